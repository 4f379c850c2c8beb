"""src/kernel against a real kernel, inside a throwaway network namespace.

Each test gets its own namespace `tern-k-<pid>-<n>` holding a veth pair v0 (10.0.0.1/24, up)
and v1 (no address), and runs tests/kernel/kernel-probe in it (`ip netns exec`), which drives
the module on a libuv loop and talks over stdin/stdout (see its DOC block). What the module did
is checked with `ip -j` (JSON, never scraped text); what it reported is checked on the probe's
event lines. The namespace is deleted, and the probe killed, whatever happens.

Run as root: /usr/bin/python3 -m pytest tests/net/test_kernel.py
"""

import itertools
import json
import os
import queue
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

import netlab

REPO = Path(__file__).resolve().parents[2]
IP = shutil.which("ip") or "/usr/sbin/ip"
_counter = itertools.count()


def find_probe():
    """$KERNEL_PROBE, else $TERN_BUILD's, else build/'s (the one `make` builds)."""
    if os.environ.get("KERNEL_PROBE"):
        return Path(os.environ["KERNEL_PROBE"])
    if os.environ.get("TERN_BUILD"):
        return Path(os.environ["TERN_BUILD"]) / "tests/kernel/kernel-probe"
    probe = REPO / "build/tests/kernel/kernel-probe"
    return probe if probe.is_file() and os.access(probe, os.X_OK) else None


PROBE = find_probe()


@pytest.fixture(autouse=True)
def _probe_built():
    """A missing kernel-probe skips these tests, or fails them under TERN_NET_STRICT=1."""
    if PROBE is None or not PROBE.is_file():
        netlab.unavailable("kernel-probe is not built (ninja -C build tests/kernel/kernel-probe)")


def ip(*args, ns=None, check=True):
    argv = [IP] + (["-n", ns] if ns else []) + list(args)
    r = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    if check and r.returncode != 0:
        raise AssertionError(f"{' '.join(argv)}: {r.stderr.strip()}")
    return r


def ip_json(ns, *args):
    out = ip("-j", *args, ns=ns).stdout.strip()
    return json.loads(out) if out else []


def wait_for(fn, timeout=5.0, desc="condition"):
    deadline = time.monotonic() + timeout
    while True:
        v = fn()
        if v:
            return v
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {desc}")
        time.sleep(0.05)


class Probe:
    """kernel-probe in a namespace: send command lines, read reply and event lines."""

    def __init__(self, ns, *flags):
        self.proc = subprocess.Popen([IP, "netns", "exec", ns, str(PROBE), *flags],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, bufsize=1)
        self.lines = queue.Queue()
        self.seen = []          # every line so far, for event checks
        self.stderr = []
        threading.Thread(target=self._pump, args=(self.proc.stdout, self.lines),
                         daemon=True).start()
        threading.Thread(target=self._pump_err, daemon=True).start()
        self.expect(lambda line: line == "ready" or line.startswith("error"), desc="ready")
        assert self.seen[-1] == "ready", self.seen[-1]

    @staticmethod
    def _pump(stream, q):
        for line in stream:
            q.put(line.rstrip("\n"))
        q.put(None)

    def _pump_err(self):
        for line in self.proc.stderr:
            self.stderr.append(line.rstrip("\n"))

    def send(self, *lines):
        self.proc.stdin.write("".join(line + "\n" for line in lines))
        self.proc.stdin.flush()

    def expect(self, pred, timeout=10.0, desc="line"):
        """Reads lines until pred(line); returns it. Lines read on the way stay in seen."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"timed out waiting for {desc}; seen {self.seen[-20:]}")
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            if line is None:
                raise AssertionError(f"probe exited waiting for {desc}; stderr {self.stderr}")
            self.seen.append(line)
            if pred(line):
                return line

    def event(self, pred, timeout=10.0, desc="event"):
        """Like expect, but an event line already read on the way to a reply counts too."""
        for line in self.seen:
            if pred(line):
                return line
        return self.expect(pred, timeout, desc)

    def ask(self, cmd, prefix, timeout=10.0):
        self.send(cmd)
        return self.expect(lambda line: line.startswith(prefix), timeout, desc=prefix)

    def stats(self):
        line = self.ask("stats", "stats ")
        return {k: int(v) for k, v in (f.split("=") for f in line.split()[1:])}

    def settle(self):
        assert self.ask("settle", "settled ") == "settled 0"

    def done(self, cmd):
        self.send(cmd)
        return self.expect(lambda line: line.startswith("done "), desc=f"done of {cmd}")

    def quit(self):
        if self.proc.poll() is None:
            self.send("quit")
            self.expect(lambda line: line == "bye", desc="bye")
            self.proc.wait(timeout=10)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=5)


@pytest.fixture
def ns():
    name = f"tern-k-{os.getpid()}-{next(_counter)}"
    ip("netns", "add", name)
    try:
        ip("link", "add", "v0", "type", "veth", "peer", "name", "v1", ns=name)
        ip("link", "set", "lo", "up", ns=name)
        ip("link", "set", "v0", "up", ns=name)
        ip("addr", "add", "10.0.0.1/24", "dev", "v0", ns=name)
        yield name
    finally:
        # Whatever is still running in it goes first, then the namespace (and its veths).
        r = ip("netns", "pids", name, check=False)
        for pid in r.stdout.split():
            try:
                os.kill(int(pid), 9)
            except (ProcessLookupError, ValueError):
                pass
        ip("netns", "del", name, check=False)


@pytest.fixture
def probe_in(ns):
    started = []

    def start(*flags):
        p = Probe(ns, *flags)
        started.append(p)
        return p
    yield start
    for p in started:
        p.kill()


def routes(ns, family="-4"):
    return ip_json(ns, family, "route", "show", "proto", "201")


def test_batch_of_1000_routes_then_delete(ns, probe_in):
    p = probe_in()
    before = p.stats()
    # One command line is one loop iteration: the 1000 replaces must leave in one sendmsg.
    p.send("bulk 1000 10.100.0.0/24 nh 10.0.0.2")
    p.settle()
    after = p.stats()
    assert after["installed"] == 1000
    assert after["messages"] - before["messages"] == 1000
    assert after["sends"] - before["sends"] == 1
    assert after["errors"] == 0
    got = routes(ns)
    assert len(got) == 1000
    want = {f"10.{100 + i // 256}.{i % 256}.0/24" for i in range(1000)}
    assert {r["dst"] for r in got} == want
    # (`show proto 201` selects ours; it then omits the protocol field)
    assert all(r["gateway"] == "10.0.0.2" and r["dev"] == "v0"
               for r in got), got[:3]

    p.send("bulkdel 1000 10.100.0.0/24")
    p.settle()
    assert routes(ns) == []
    assert p.stats()["installed"] == 0


def test_ecmp_metric_change_and_ipv6(ns, probe_in):
    ip("addr", "add", "2001:db8:1::1/64", "dev", "v0", "nodad", ns=ns)
    p = probe_in()
    p.send("replace 10.200.0.0/16 metric 50 nh 10.0.0.2 nh 10.0.0.3 nh 10.0.0.4%v0",
           "replace 2001:db8:100::/48 nh 2001:db8:1::2 nh 2001:db8:1::3",
           "replace 10.201.0.0/16 nh %v0")
    p.settle()
    v4 = {r["dst"]: r for r in routes(ns)}
    ecmp = v4["10.200.0.0/16"]
    assert ecmp["metric"] == 50
    assert sorted(h["gateway"] for h in ecmp["nexthops"]) == ["10.0.0.2", "10.0.0.3", "10.0.0.4"]
    assert all(h["dev"] == "v0" for h in ecmp["nexthops"])
    assert v4["10.201.0.0/16"]["dev"] == "v0" and v4["10.201.0.0/16"]["scope"] == "link"
    v6 = {r["dst"]: r for r in routes(ns, "-6")}
    assert sorted(h["gateway"] for h in v6["2001:db8:100::/48"]["nexthops"]) == \
        ["2001:db8:1::2", "2001:db8:1::3"]

    # A new metric: the old route must not stay behind.
    p.send("replace 10.200.0.0/16 metric 60 nh 10.0.0.2")
    p.settle()
    mine = [r for r in routes(ns) if r["dst"] == "10.200.0.0/16"]
    assert len(mine) == 1 and mine[0]["metric"] == 60 and mine[0]["gateway"] == "10.0.0.2", mine

    # Closing removes everything we installed.
    p.quit()
    assert routes(ns) == [] and routes(ns, "-6") == []


def test_route_error_is_reported_as_text(ns, probe_in):
    p = probe_in()
    p.send("replace 10.3.0.0/24 nh 10.99.0.1")
    line = p.expect(lambda line: line.startswith("ev route-error"), desc="route error")
    assert line.startswith("ev route-error % Cannot install 10.3.0.0/24 via 10.99.0.1: "
                           "Network is unreachable"), line
    assert p.stats()["errors"] == 1


def test_address_and_link_state_applied(ns, probe_in):
    p = probe_in()
    assert p.done("link up v1") == "done ok"
    assert p.done("addr add v1 10.5.0.1/24") == "done ok"
    assert p.done("addr add v1 2001:db8:5::1/64") == "done ok"
    link = ip_json(ns, "addr", "show", "dev", "v1")[0]
    assert "UP" in link["flags"]
    assert {(a["local"], a["prefixlen"]) for a in link["addr_info"]} >= \
        {("10.5.0.1", 24), ("2001:db8:5::1", 64)}
    # The module also saw its own changes come back through the notifications.
    p.event(lambda line: line.startswith("ev addr added ") and line.endswith(" 10.5.0.1/24"),
            desc="own address reported")
    # Errors come back as text a shell can print.
    line = p.done("addr add v1 10.5.0.1/24")
    assert line.startswith("done error % Cannot assign 10.5.0.1/24 to v1: File exists"), line
    assert p.done("addr del v1 10.5.0.1/24") == "done ok"
    assert p.done("link down v1") == "done ok"
    link = ip_json(ns, "addr", "show", "dev", "v1")[0]
    assert "UP" not in link["flags"]
    assert all(a["local"] != "10.5.0.1" for a in link["addr_info"])


def test_outside_changes_are_reported(ns, probe_in):
    p = probe_in()
    ip("addr", "add", "10.6.0.1/24", "dev", "v0", ns=ns)
    p.expect(lambda line: line.startswith("ev addr added ") and line.endswith(" 10.6.0.1/24"),
             desc="address added outside")
    ip("addr", "del", "10.6.0.1/24", "dev", "v0", ns=ns)
    p.expect(lambda line: line.startswith("ev addr removed ") and line.endswith(" 10.6.0.1/24"),
             desc="address removed outside")
    ip("link", "add", "w0", "type", "veth", "peer", "name", "w1", ns=ns)
    p.expect(lambda line: line.startswith("ev link added ") and " w0 " in line, desc="new link")
    ip("link", "set", "w0", "mtu", "1400", ns=ns)
    p.expect(lambda line: line.startswith("ev link changed ") and " w0 " in line
             and "mtu=1400" in line, desc="mtu change")
    p.send("links")
    p.expect(lambda line: line == "end", desc="links")
    table = [line for line in p.seen[p.seen.index("end") - 6:] if line.startswith("link ")]
    assert any(" w0 " in line and "mtu=1400" in line for line in table), table
    ip("link", "del", "w0", ns=ns)
    p.expect(lambda line: line.startswith("ev link removed ") and " w0 " in line,
             desc="link removed")


def test_stale_routes_flushed_at_open(ns, probe_in):
    ip("route", "add", "10.9.0.0/24", "via", "10.0.0.2", "proto", "201", ns=ns)
    ip("route", "add", "10.9.1.0/24", "via", "10.0.0.2", "proto", "201", "metric", "7", ns=ns)
    ip("-6", "route", "add", "2001:db8:9::/48", "dev", "v0", "proto", "201", ns=ns)
    ip("route", "add", "10.8.0.0/24", "via", "10.0.0.2", "proto", "static", ns=ns)
    p = probe_in()
    assert p.stats()["flushed"] == 3
    assert routes(ns) == [] and routes(ns, "-6") == []
    others = [r["dst"] for r in ip_json(ns, "route", "show")]
    assert "10.8.0.0/24" in others   # not ours: untouched


def test_no_fib_mode(ns, probe_in):
    ip("route", "add", "10.9.0.0/24", "via", "10.0.0.2", "proto", "201", ns=ns)
    p = probe_in("-n")
    p.send("bulk 10 10.100.0.0/24 nh 10.0.0.2")
    p.settle()
    s = p.stats()
    # -n keeps no bookkeeping of routes that never reach the kernel: counted, not tracked
    assert s["replaces"] == 10 and s["installed"] == 0
    assert s["sends"] == 0 and s["flushed"] == 0
    assert [r["dst"] for r in routes(ns)] == ["10.9.0.0/24"]  # nothing added, nothing flushed
    p.quit()
    assert [r["dst"] for r in routes(ns)] == ["10.9.0.0/24"]


def test_resync_end_removes_unwanted(ns, probe_in):
    p = probe_in()
    p.send("bulk 4 10.100.0.0/24 nh 10.0.0.2")
    p.settle()
    assert len(routes(ns)) == 4
    # A full resync that wants only two of them.
    p.send("resync-begin", "replace 10.100.0.0/24 nh 10.0.0.2",
           "replace 10.100.2.0/24 nh 10.0.0.3", "resync-end")
    p.settle()
    got = {r["dst"]: r.get("gateway") for r in routes(ns)}
    assert got == {"10.100.0.0/24": "10.0.0.2", "10.100.2.0/24": "10.0.0.3"}
    assert p.stats()["installed"] == 2


def test_lost_answers_ask_for_resync(ns, probe_in):
    # A tiny receive buffer: the kernel's answers to 300 refused routes cannot all fit, so
    # some errors are lost and the owner must be asked to push its table again.
    p = probe_in("-r", "4096")
    p.send("bulk 300 10.128.0.0/32 nh 10.99.0.1")
    p.event(lambda line: line == "ev resync", desc="resync request")
    s = p.stats()
    assert s["enobufs"] >= 1 and s["resyncs"] >= 1


def test_lost_notifications_are_re_read(ns, probe_in):
    # 100 addresses added at once overflow a tiny buffer; the module re-dumps and still
    # reports (and holds) every one of them.
    p = probe_in("-r", "4096")
    batch = "".join(f"addr add 10.7.0.{i}/32 dev v0\n" for i in range(1, 101))
    # Stopped, the probe cannot keep up: its buffer overflows for sure (`ip netns exec`
    # execs the probe, so the pid is the probe's).
    os.kill(p.proc.pid, signal.SIGSTOP)
    try:
        subprocess.run([IP, "-n", ns, "-batch", "-"], input=batch, text=True, check=True)
    finally:
        os.kill(p.proc.pid, signal.SIGCONT)

    def all_reported():
        got = {line.split()[-1] for line in p.seen if line.startswith("ev addr added ")}
        return all(f"10.7.0.{i}/32" in got for i in range(1, 101))
    deadline = time.monotonic() + 10
    while not all_reported():
        assert time.monotonic() < deadline, "addresses not all reported"
        try:
            p.expect(lambda line: line.startswith("ev addr added "), timeout=1)
        except AssertionError:
            pass
    assert p.stats()["enobufs"] >= 1
    p.send("addrs")
    p.expect(lambda line: line == "end", desc="addrs")
    held = {line.split()[-1] for line in p.seen if line.startswith("addr ")}
    assert all(f"10.7.0.{i}/32" in held for i in range(1, 101))
