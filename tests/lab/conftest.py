"""pytest glue for tern-lab's tests: where the binaries are, unique lab names, cleanup.

Run as root with Debian's python:  /usr/bin/python3 -m pytest -q tests/lab
(TERN_BUILD=DIR picks the build directory; default build, the one `make` builds.)

Every lab a test makes is taken down at the end of the test even when it fails: first with
`tern-lab down`, then, whatever that did, by removing any namespace named after the lab and
killing what runs in it, so a broken tern-lab cannot leave anything behind either. Labs are
named after the run's pid (tl<PID>x<N>); what a killed run left is removed when the next run
starts (sweep_stale), so a run never meets an old one's lab under its own name.
"""

import itertools
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _build_dir():
    env = os.environ.get("TERN_BUILD")
    if env:
        return pathlib.Path(env).resolve()
    return ROOT / "build"


BUILD = _build_dir()
TERN_LAB = BUILD / "tern-lab"
_names = itertools.count(1)


def pytest_configure(config):
    if os.geteuid() != 0:
        raise pytest.UsageError("tests/lab needs root (network namespaces)")
    sweep_stale()


STATE_ROOT = pathlib.Path("/run/tern-lab")
LAB_NAME = re.compile(r"^tl(\d+)x\d+$")


def remove_lab(name):
    """Takes a lab down: `tern-lab down`, then, whatever that did (or if it hung), every
    process in a namespace named after the lab killed and the namespaces and state removed."""
    if (STATE_ROOT / name).exists():
        try:
            subprocess.run([str(TERN_LAB), "down", name], capture_output=True, timeout=60,
                           env={**os.environ, "TERN_BUILD": str(BUILD)})
        except (OSError, subprocess.TimeoutExpired):
            pass
    for ns in netns_list():
        if ns.startswith(name + "-"):
            for pid in netns_pids(ns):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            subprocess.run(["ip", "netns", "delete", ns], capture_output=True)
    shutil.rmtree(STATE_ROOT / name, ignore_errors=True)


def sweep_stale():
    """Removes the labs a killed run of these tests left (tl<PID>x<N>, see Lab): those of a
    dead process, and those named after this process, which has made none yet (a new run
    can get the pid of an old one, in a fresh container most of all). Another live run's
    are left alone."""
    names = {p.name for p in STATE_ROOT.iterdir()} if STATE_ROOT.exists() else set()
    names |= {ns.rsplit("-", 1)[0] for ns in netns_list() if "-" in ns}
    for name in sorted(names):
        m = LAB_NAME.match(name)
        if m and (int(m.group(1)) == os.getpid() or not pathlib.Path(f"/proc/{m.group(1)}").exists()):
            remove_lab(name)


def netns_list():
    d = pathlib.Path("/run/netns")
    return sorted(p.name for p in d.iterdir()) if d.exists() else []


def root_veths():
    out = subprocess.run(["ip", "-o", "link", "show", "type", "veth"], capture_output=True, text=True)
    return sorted(line.split(":")[1].strip().split("@")[0] for line in out.stdout.splitlines())


def netns_pids(name):
    out = subprocess.run(["ip", "netns", "pids", name], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


class Lab:
    """One test's lab: writes topology files, runs tern-lab, always cleans up."""

    def __init__(self, tmp_path):
        self.name = f"tl{os.getpid()}x{next(_names)}"
        self.dir = tmp_path / self.name
        self.dir.mkdir()

    def write(self, text, **files):
        (self.dir / "topology.yml").write_text(text.replace("LAB", self.name))
        for fname, body in files.items():
            (self.dir / f"{fname}.conf").write_text(body)
        return self.dir

    def copy(self, labdir):
        """A copy of a lab of labs/ under this test's unique name, so that it never meets a
        lab of the same name someone has up (make demo leaves bgp-only running)."""
        src = ROOT / "labs" / labdir
        for f in src.iterdir():
            if f.is_file():
                shutil.copy(f, self.dir / f.name)
        topo = self.dir / "topology.yml"
        text, n = re.subn(r"^name: .*$", f"name: {self.name}", topo.read_text(), count=1, flags=re.M)
        topo.write_text(text if n else f"name: {self.name}\n" + text)
        return self.dir

    def sessions(self, router):
        """{neighbour: state} of a router, from `show ip bgp summary json` ({} if no answer)."""
        r = self.run("exec", self.node(router), "--", "show", "ip", "bgp", "summary", "json", timeout=20)
        try:
            return {n: p["state"] for n, p in json.loads(r.stdout)["peers"].items()}
        except (ValueError, KeyError, TypeError):
            return {}

    def wait_established(self, routers, timeout):
        """Waits until every BGP session of every router is Established; returns the seconds
        it took, or fails the test with each router's sessions."""
        start = time.monotonic()
        while True:
            states = {r: self.sessions(r) for r in routers}
            if all(s and all(v == "Established" for v in s.values()) for s in states.values()):
                return time.monotonic() - start
            if time.monotonic() - start > timeout:
                pytest.fail(f"not converged in {timeout} s: {states}", pytrace=False)
            time.sleep(1)

    def run(self, *args, timeout=60, input=None):
        return subprocess.run([str(TERN_LAB), *map(str, args)], capture_output=True, text=True,
                              timeout=timeout, input=input,
                              env={**os.environ, "TERN_BUILD": str(BUILD)})

    def up(self, *extra):
        r = self.run("up", self.dir, *extra)
        assert r.returncode == 0, f"up failed:\n{r.stdout}\n{r.stderr}"
        return r

    def node(self, n):
        return f"{self.name}/{n}"

    def namespaces(self):
        return [n for n in netns_list() if n.startswith(self.name + "-")]

    def state_dir(self):
        return STATE_ROOT / self.name

    def cleanup(self):
        remove_lab(self.name)


def wait_for(fn, timeout, what):
    """fn's first true value, asked every 0.2 s; fails the test after timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = fn()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {timeout} s", pytrace=False)
        time.sleep(0.2)


@pytest.fixture
def lab(tmp_path):
    if not TERN_LAB.exists():
        pytest.fail(f"{TERN_LAB} is not built (ninja -C {BUILD})", pytrace=False)
    lab = Lab(tmp_path)
    try:
        yield lab
    finally:
        lab.cleanup()
