#!/usr/bin/env python3
"""Holds the source tree to src/README.md and to its layering rules.

usage: architecture_check.py SRC_DIR [BGP_ARCHIVE ...]

SRC_DIR is the tree's src/; the archives (libternbgp.a, libterncore.a) give the calls between
the files of src/bgp through `nm`. Each broken rule is printed on a line of its own; the exit
status is 1 if any is broken.
"""
import collections
import os
import re
import subprocess
import sys

PROTOCOLS = ('bgp', 'ospf', 'rip')
MAX_LINES = 1200
MAX_CIRCLE = 2
INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z_0-9]+)/([a-z_0-9]+\.h)"', re.M)


def offered_headers(readme):
    """The table of src/README.md: folder -> set of headers it offers ('*' = every one)."""
    offers = {}
    planned = set()
    in_planned = False
    for line in readme.splitlines():
        if line.startswith('| planned'):
            in_planned = True
            continue
        row = re.match(r'^\| `([a-z]+)` \| (.*?) \|', line)
        if not row:
            continue
        if in_planned:
            planned.add(row.group(1))
            continue
        cell = row.group(2)
        offers[row.group(1)] = {'*'} if cell == 'every header' else set(re.findall(r'`([a-z_0-9]+\.h)`', cell))
    return offers, planned


def sources(src):
    for folder in sorted(os.listdir(src)):
        path = os.path.join(src, folder)
        if not os.path.isdir(path):
            continue
        for name in sorted(os.listdir(path)):
            if name.endswith(('.c', '.h')):
                yield folder, name, os.path.join(path, name)


def strongly_connected(graph):
    """Tarjan's components of a graph given as node -> set of nodes."""
    index, low, stack, on_stack, components = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == node:
                    break
            components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def bgp_call_graph(archives):
    """file -> files it calls, for the objects of src/bgp in the archives."""
    defined, undefined = {}, {}
    for archive in archives:
        out = subprocess.run(['nm', archive], capture_output=True, text=True, check=True).stdout
        member = None
        for line in out.splitlines():
            head = re.match(r'^(?:.*/)?src_bgp_([a-z_0-9]+)\.c\.o:$', line)
            if head:
                member = head.group(1)
                defined.setdefault(member, set())
                undefined.setdefault(member, set())
                continue
            if line.endswith(':'):
                member = None
                continue
            if member is None or not line.strip():
                continue
            parts = line.split()
            if len(parts) >= 2 and parts[-2] in 'TDBR':
                defined[member].add(parts[-1])
            elif len(parts) >= 2 and parts[-2] == 'U':
                undefined[member].add(parts[-1])
    graph = collections.defaultdict(set)
    for caller, wanted in undefined.items():
        for callee, offered in defined.items():
            if caller != callee and wanted & offered:
                graph[caller].add(callee)
    return defined, graph


def main():
    src = sys.argv[1]
    archives = sys.argv[2:]
    problems = []
    readme = open(os.path.join(src, 'README.md'), encoding='utf-8').read()
    offers, planned = offered_headers(readme)
    folders = {f for f in os.listdir(src) if os.path.isdir(os.path.join(src, f))}

    for folder in sorted(folders - offers.keys()):
        problems.append(f'src/{folder} is not in src/README.md')
    for folder in sorted(offers.keys() - folders):
        problems.append(f'src/README.md names src/{folder}, which does not exist')
    for folder in sorted(planned & folders):
        problems.append(f'src/{folder} exists but src/README.md still calls it planned')

    for folder, headers in sorted(offers.items()):
        for header in sorted(headers - {'*'}):
            path = os.path.join(src, folder, header)
            if not os.path.exists(path):
                problems.append(f'src/README.md: src/{folder}/{header} does not exist')

    for folder, name, path in sources(src):
        text = open(path, encoding='utf-8', errors='replace').read()
        lines = text.count('\n')
        if lines > MAX_LINES:
            problems.append(f'src/{folder}/{name}: {lines} lines, over {MAX_LINES}')
        if name.endswith('.h') and not re.match(r'/\*\n \* DOC: ', text):
            problems.append(f'src/{folder}/{name}: does not begin with a "/*\\n * DOC:" comment')
        for target, header in INCLUDE.findall(text):
            if target == folder:
                continue
            where = f'src/{folder}/{name} includes {target}/{header}'
            if folder == 'core' and target in PROTOCOLS:
                problems.append(f'{where}: the core is below the protocols')
            elif folder in PROTOCOLS and target in PROTOCOLS:
                problems.append(f'{where}: a protocol includes another protocol')
            elif target in offers and '*' not in offers[target] and header not in offers[target]:
                problems.append(f'{where}, which src/{target} does not offer (src/README.md)')

    if archives:
        defined, graph = bgp_call_graph(archives)
        if len(defined) < 10:
            problems.append(f'found only {len(defined)} src/bgp objects in {archives}')
        for component in strongly_connected(graph):
            if len(component) > MAX_CIRCLE:
                problems.append(f'src/bgp: a circle of calls between {len(component)} files: '
                                + ' '.join(component))

    for problem in problems:
        print(problem)
    if not problems:
        print(f'ok: {len(folders)} folders as src/README.md says; layering rules hold')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
