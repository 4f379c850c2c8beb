"""The differential check's comparator: normalises what a scenario collected from one build
and says where two builds' results differ.

Normalisation removes what changes from run to run whatever the code: keys that hold times
(uptime, age, ...), TCP ports, process ids, and the kernel's own bookkeeping. Nothing else is
dropped. Lists keep their order (a show command's order is output too) except where a
collector said the order carries no meaning (the kernel FIB, sorted by the collector).

    python3 tests/diff/compare.py      the comparator's self test (no root, no build)
"""

from __future__ import annotations

import json
import re

# Keys whose values are clocks, ports or pids: never compared.
VOLATILE_KEY = re.compile(r"(?i)(^|_)(uptime|uptime_ms|age|ages|expires|time|timestamp|since|"
                          r"last_?[a-z]*_?time|port|local_?port|remote_?port|foreign_?port|pid|"
                          r"elapsed|duration)$|(uptime|Time|Timer|Since|Port|Stamp|Ago)$")


def normalise(value):
    """The value with volatile keys removed, recursively."""
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items() if not VOLATILE_KEY.search(k)}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    return value


def differences(ref, head, path="$", out=None, limit=20):
    """Up to `limit` texts "PATH: reference X, HEAD Y" where the two differ."""
    if out is None:
        out = []
    if len(out) >= limit:
        return out
    if isinstance(ref, dict) and isinstance(head, dict):
        for k in sorted(set(ref) | set(head), key=str):
            if len(out) >= limit:
                break
            if k not in head:
                out.append(f"{path}.{k}: only in the reference: {short(ref[k])}")
            elif k not in ref:
                out.append(f"{path}.{k}: only in HEAD: {short(head[k])}")
            else:
                differences(ref[k], head[k], f"{path}.{k}", out, limit)
        return out
    if isinstance(ref, list) and isinstance(head, list):
        for i, (a, b) in enumerate(zip(ref, head)):
            if len(out) >= limit:
                break
            differences(a, b, f"{path}[{i}]", out, limit)
        if len(ref) != len(head) and len(out) < limit:
            out.append(f"{path}: {len(ref)} elements in the reference, {len(head)} in HEAD")
        return out
    if ref != head:
        out.append(f"{path}: reference {short(ref)}, HEAD {short(head)}")
    return out


def report(ref, head, depth=2, per_section=6):
    """The differences grouped by section (the keys down to `depth` levels: phase, then what
    was collected), each section's count and its first `per_section` lines, so that one
    difference everywhere in a show command does not hide another on the wire."""
    lines = []

    def walk(r, h, path, level):
        if level < depth and isinstance(r, dict) and isinstance(h, dict) and set(r) == set(h):
            for k in sorted(r, key=str):
                walk(r[k], h[k], f"{path}.{k}", level + 1)
            return
        found = differences(r, h, path, limit=100000)
        if found:
            lines.append(f"{path}: {len(found)}{'+' if len(found) >= 100000 else ''} differences")
            lines.extend("  " + d for d in found[:per_section])
    walk(ref, head, "$", 0)
    return lines


def short(v, n=160):
    s = json.dumps(v, sort_keys=True)
    return s if len(s) <= n else s[:n] + "..."


def kernel_routes(ip_json):
    """`ip -j route show` as a sorted list: the kernel keeps no order that means anything."""
    routes = normalise(json.loads(ip_json) if isinstance(ip_json, str) else ip_json)
    return sorted(routes, key=lambda r: json.dumps(r, sort_keys=True))


def self_test():
    """The comparator finds what it must and ignores what it must: proof that the check can
    fail and that it does not fail on clocks."""
    base = {"routes": {"10.0.0.0/8": [{"metric": 0, "uptime": "00:00:01", "peer": "1.1.1.1",
                                       "nextHop": "10.1.0.11"}]},
            "peers": {"10.1.0.11": {"state": "Established", "uptime_ms": 1200,
                                    "localPort": 179, "remotePort": 40123}}}
    later = json.loads(json.dumps(base))
    later["routes"]["10.0.0.0/8"][0]["uptime"] = "00:09:59"
    later["peers"]["10.1.0.11"]["uptime_ms"] = 9
    later["peers"]["10.1.0.11"]["remotePort"] = 51000
    assert differences(normalise(base), normalise(later)) == [], "clocks and ports must not count"
    med = json.loads(json.dumps(base))
    med["routes"]["10.0.0.0/8"][0]["metric"] = 77
    d = differences(normalise(base), normalise(med))
    assert d == ["$.routes.10.0.0.0/8[0].metric: reference 0, HEAD 77"], d
    renamed = json.loads(json.dumps(base))
    renamed["routes"]["10.0.0.0/8"][0]["next_hop"] = renamed["routes"]["10.0.0.0/8"][0].pop("nextHop")
    d = differences(normalise(base), normalise(renamed))
    assert len(d) == 2 and "only in the reference" in d[0] + d[1] and "only in HEAD" in d[0] + d[1], d
    shorter = {"routes": {}, "peers": base["peers"]}
    assert differences(normalise(base), normalise(shorter)), "a missing route must count"
    a = kernel_routes('[{"dst":"10.0.0.0/8","gateway":"10.1.0.11"},{"dst":"default","gateway":"10.2.0.3"}]')
    b = kernel_routes('[{"dst":"default","gateway":"10.2.0.3"},{"dst":"10.0.0.0/8","gateway":"10.1.0.11"}]')
    assert differences(a, b) == [], "kernel route order does not count"
    c = kernel_routes('[{"dst":"default","gateway":"10.2.0.3"},{"dst":"10.0.0.0/8","gateway":"10.1.0.12"}]')
    assert differences(a, c), "a kernel next hop counts"
    both = report({"load": {"wire": {"p": "MED=77"}, "show": {"a": 1, "b": 2}}},
                  {"load": {"wire": {"p": "MED=78"}, "show": {"a": 1, "c": 2}}}, per_section=1)
    assert both[0] == "$.load.show: 2 differences" and both[2] == "$.load.wire: 1 differences", both
    order = differences({"paths": [1, 2]}, {"paths": [2, 1]})
    assert order, "the order of a show command's list counts"
    import bgp_peer
    x = bgp_peer.describe_attrs(bgp_peer.attr(2, bytes.fromhex("0201000000fd")) + bgp_peer.attr(1, b"\x00"))
    y = bgp_peer.describe_attrs(bgp_peer.attr(1, b"\x00") + bytes.fromhex("5002000602010000" "00fd"))
    assert x == y == "ORIGIN[40]=IGP AS_PATH[40]=(253)", (x, y)
    z = bgp_peer.describe_attrs(bgp_peer.attr(1, b"\x00") + bgp_peer.attr(4, b"\x00\x00\x00\x4d"))
    assert z == "ORIGIN[40]=IGP MED[80]=77", z
    return 8


if __name__ == "__main__":
    import os
    import sys
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    n = self_test()
    print(f"compare.py: self test passed ({n} groups of assertions)")
