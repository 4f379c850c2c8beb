"""netlab: a small harness for BGP tests in Linux network namespaces.

Everything a test creates is named after this run (`tern-t-<pid>-<n>` namespaces, files under
`/tmp/tern-t-<pid>/`) and registered with one `Lab`, whose `cleanup()` kills every process it
started (and every process still inside its namespaces), then deletes the namespaces (which also
deletes their veths). `sweep_stale()` removes what dead runs left behind.

Pieces:
  Lab               namespaces, links, processes, per-test log directory, cleanup
  Netns             one namespace: run/popen inside it, addresses, loopbacks, routes, forwarding,
                    and `enter()` to create sockets inside it from this Python process
  Proc              a started process: log files, alive(), stop() (SIGTERM then SIGKILL),
                    freeze()/thaw() (SIGSTOP/SIGCONT)
  Bird, Frr, Tern   peer launchers, each with a uniform `bgp_state(peer)` and richer readers
  GoBgp, OpenBgpd, ExaBgp  the other Debian BGP speakers, same face; each one's death during a
                    test fails it at teardown (Proc.check_exit), as ternd's does
  RawPeer helpers   BGP message builders/parsers for crafted-bytes tests
  CtlClient         ternd's control socket spoken directly (plain and chunked replies), for
                    tests that need what ternc hides (a reader slow on purpose)
  wait_until, stays, subset, assert_subset   polling and JSON subset helpers
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import threading
import time
from pathlib import Path

RUN_PID = os.getpid()
NS_PREFIX = "tern-t-"
RUN_PREFIX = f"{NS_PREFIX}{RUN_PID}-"
RUN_DIR = Path(f"/tmp/{NS_PREFIX}{RUN_PID}")
REPO = Path(__file__).resolve().parents[2]
TERN_BUILD = Path(os.environ.get("TERN_BUILD", str(REPO / "build")))

IP = shutil.which("ip") or "/usr/sbin/ip"

# Every (pid, starttime) this run started; checked at the end of the session.
STARTED: list[tuple[int, str]] = []
# Every live Lab, so an atexit/signal handler can clean up whatever is left.
LABS: list["Lab"] = []


# ----------------------------------------------------------------------------------------------
# polling and JSON subsets

class WaitTimeout(AssertionError):
    pass


def wait_until(fn, timeout=10.0, interval=0.1, desc=None):
    """Calls fn() until it returns a truthy value and returns that value. Exceptions raised by fn
    count as "not yet". Raises WaitTimeout (an AssertionError) after `timeout` seconds, with the
    last value or exception in the message."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            v = fn()
            if v:
                return v
            last = v
        except Exception as e:  # noqa: BLE001 - anything counts as "not yet"
            last = e
        if time.monotonic() >= deadline:
            raise WaitTimeout(f"timed out after {timeout}s waiting for "
                              f"{desc or getattr(fn, '__name__', fn)}; last: {last!r}")
        time.sleep(interval)


def stays(fn, duration, interval=0.2, desc=None):
    """Asserts fn() stays truthy for `duration` seconds (checked every `interval`)."""
    deadline = time.monotonic() + duration
    while True:
        v = fn()
        assert v, f"{desc or getattr(fn, '__name__', fn)} stopped holding: {v!r}"
        if time.monotonic() >= deadline:
            return v
        time.sleep(interval)


def subset_diff(actual, expected, path="$"):
    """Returns None if `expected` is a subset of `actual` (dicts: every expected key present with
    a matching value, recursively; lists: same length, element-wise; callables: a predicate on
    the value; other values: equality), else a string saying where they differ."""
    if callable(expected) and not isinstance(expected, type):
        try:
            ok = expected(actual)
        except Exception as e:  # noqa: BLE001
            ok = False
            actual = f"{actual!r} ({e!r})"
        return None if ok else f"{path}: predicate failed on {actual!r}"
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return f"{path}: expected an object, got {actual!r}"
        for k, v in expected.items():
            if k not in actual:
                return f"{path}: missing key {k!r} (have {sorted(actual)})"
            d = subset_diff(actual[k], v, f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return f"{path}: expected list of {len(expected)}, got {actual!r}"
        for i, (a, e) in enumerate(zip(actual, expected)):
            d = subset_diff(a, e, f"{path}[{i}]")
            if d:
                return d
        return None
    if actual != expected:
        return f"{path}: expected {expected!r}, got {actual!r}"
    return None


def subset(actual, expected):
    return subset_diff(actual, expected) is None


def assert_subset(actual, expected):
    d = subset_diff(actual, expected)
    assert d is None, f"{d}\nin: {json.dumps(actual, indent=1)[:4000]}"


def wait_subset(getter, expected, timeout=10.0, interval=0.1, desc=None):
    """Polls getter() until `expected` is a subset of its value; returns that value."""
    last = {"v": None}

    def probe():
        v = getter()
        last["v"] = v
        return v if subset(v, expected) else None
    try:
        return wait_until(probe, timeout, interval, desc=desc or f"subset {expected!r}")
    except WaitTimeout as e:
        raise WaitTimeout(f"{e}\ndiff: {subset_diff(last['v'], expected)}") from None


# ----------------------------------------------------------------------------------------------
# processes

def _proc_starttime(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            s = f.read()
        return s[s.rindex(")") + 2:].split()[19]
    except (OSError, ValueError, IndexError):
        return None


def pid_alive(pid, starttime=None):
    st = _proc_starttime(pid)
    if st is None:
        return False
    try:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        if state in ("Z", "X"):
            return False
    except OSError:
        return False
    return starttime is None or st == starttime


def run(cmd, check=True, timeout=30, **kw):
    """subprocess.run with text output captured; raises with stderr in the message on failure."""
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)
    if check and r.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} -> {r.returncode}\n{r.stdout}{r.stderr}")
    return r


def describe_rc(rc):
    if rc is None:
        return "still running"
    if rc < 0:
        try:
            return f"killed by {signal.Signals(-rc).name}"
        except ValueError:
            return f"killed by signal {-rc}"
    return f"exit status {rc}"


class Proc:
    """A process started by Lab/Netns.popen, with stdout and stderr in the lab's log directory."""

    def __init__(self, name, argv, popen, log_out, log_err):
        self.name = name
        self.argv = argv
        self.popen = popen
        self.pid = popen.pid
        self.starttime = _proc_starttime(self.pid)
        self.log_out = log_out
        self.log_err = log_err
        self.check_exit = False     # Lab.cleanup reports it if it died on its own
        self.stopped = False        # stop() or kill() was called
        STARTED.append((self.pid, self.starttime))

    def alive(self):
        return self.popen.poll() is None

    @property
    def returncode(self):
        return self.popen.poll()

    def signal(self, sig):
        if self.alive():
            try:
                os.kill(self.pid, sig)
            except ProcessLookupError:
                pass

    def freeze(self):
        self.signal(signal.SIGSTOP)

    def thaw(self):
        self.signal(signal.SIGCONT)

    def stop(self, timeout=5.0):
        """SIGTERM (after SIGCONT, in case it is frozen), then SIGKILL after `timeout`.
        Returns the exit status (negative: the signal that ended it)."""
        self.stopped = True
        if self.alive():
            self.signal(signal.SIGCONT)
            self.signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.signal(signal.SIGKILL)
                try:
                    self.popen.wait(5)
                except subprocess.TimeoutExpired:
                    pass
        return self.popen.poll()

    def kill(self):
        self.stopped = True
        self.signal(signal.SIGCONT)
        self.signal(signal.SIGKILL)
        try:
            self.popen.wait(5)
        except subprocess.TimeoutExpired:
            pass

    def output(self):
        out = []
        for p in (self.log_out, self.log_err):
            try:
                out.append(Path(p).read_text(errors="replace"))
            except OSError:
                pass
        return "".join(out)

    def __repr__(self):
        return f"<Proc {self.name} pid={self.pid} rc={self.returncode}>"


# ----------------------------------------------------------------------------------------------
# namespaces

_libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNET = 0x40000000


def _setns(fd):
    if _libc.setns(fd, CLONE_NEWNET) != 0:
        e = ctypes.get_errno()
        raise OSError(e, f"setns: {os.strerror(e)}")


class Netns:
    def __init__(self, lab, name, short):
        self.lab = lab
        self.name = name
        self.short = short          # the test's own name for it ("a", "b", "m")
        self._ifidx = 0

    def __repr__(self):
        return f"<Netns {self.name}>"

    # -- commands
    def argv(self, cmd):
        return [IP, "netns", "exec", self.name] + [str(c) for c in cmd]

    def run(self, cmd, check=True, timeout=30, **kw):
        return run(self.argv(cmd), check=check, timeout=timeout, **kw)

    def ip(self, *args, check=True):
        return run([IP, "-n", self.name] + [str(a) for a in args], check=check)

    def popen(self, name, cmd, **kw):
        return self.lab.popen(name, self.argv(cmd), **kw)

    def sysctl(self, key, value):
        self.run(["sysctl", "-qw", f"{key}={value}"])

    def forwarding(self, on=True):
        self.sysctl("net.ipv4.ip_forward", 1 if on else 0)

    def loopback(self, addr):
        """Adds addr/32 (or addr with its own prefix length) to lo."""
        if "/" not in addr:
            addr += "/32"
        self.ip("addr", "add", addr, "dev", "lo")

    def addr(self, dev, addr):
        self.ip("addr", "add", addr, "dev", dev)

    def route(self, prefix, via=None, dev=None):
        args = ["route", "add", prefix]
        if via:
            args += ["via", via]
        if dev:
            args += ["dev", dev]
        self.ip(*args)

    def next_ifname(self):
        self._ifidx += 1
        return f"eth{self._ifidx - 1}"

    def pids(self):
        r = run([IP, "netns", "pids", self.name], check=False)
        return [int(p) for p in r.stdout.split()] if r.returncode == 0 else []

    # -- sockets inside the namespace
    @contextlib.contextmanager
    def enter(self):
        """Runs the body with this thread in the namespace: sockets created inside stay in it."""
        orig = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
        target = os.open(f"/run/netns/{self.name}", os.O_RDONLY)
        try:
            _setns(target)
            try:
                yield self
            finally:
                _setns(orig)
        finally:
            os.close(target)
            os.close(orig)

    def socket(self, family=socket.AF_INET, type=socket.SOCK_STREAM, proto=0):
        with self.enter():
            return socket.socket(family, type, proto)

    def tcp_connect(self, dst, port=179, src=None, timeout=5.0):
        s = self.socket()
        s.settimeout(timeout)
        try:
            if src:
                s.bind((src, 0))
            s.connect((dst, port))
        except Exception:
            s.close()
            raise
        return s

    def tcp_listen(self, addr, port=179):
        s = self.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((addr, port))
        s.listen(4)
        return s


class Lab:
    """One test's network: namespaces, links, processes and a log directory."""

    def __init__(self, test_name="lab"):
        # short: Unix socket paths in here must stay under 108 bytes
        global _lab_counter
        _lab_counter += 1
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", test_name.split("::")[-1])[:40]
        self.logdir = RUN_DIR / f"{_lab_counter:03d}-{safe}"
        self.name = test_name
        self.logdir.mkdir(parents=True)
        os.chmod(RUN_DIR, 0o755)
        os.chmod(self.logdir, 0o755)
        self.namespaces: list[Netns] = []
        self.procs: list[Proc] = []
        self.finalizers = []
        self._cleaned = False
        LABS.append(self)

    # -- namespaces and links
    def netns(self, short):
        global _ns_counter
        _ns_counter += 1
        name = f"{RUN_PREFIX}{_ns_counter}"
        run([IP, "netns", "add", name])
        ns = Netns(self, name, short)
        self.namespaces.append(ns)
        ns.ip("link", "set", "lo", "up")
        return ns

    def link(self, a: Netns, b: Netns, addr_a=None, addr_b=None, name_a=None, name_b=None):
        """A veth pair created directly inside a and b (never in the root namespace). Addresses
        are "10.0.0.1/24" style. Returns (ifname_in_a, ifname_in_b)."""
        name_a = name_a or a.next_ifname()
        name_b = name_b or b.next_ifname()
        a.ip("link", "add", name_a, "type", "veth", "peer", "name", name_b, "netns", b.name)
        for ns, dev, addr in ((a, name_a, addr_a), (b, name_b, addr_b)):
            if addr:
                ns.addr(dev, addr)
            ns.ip("link", "set", dev, "up")
        return name_a, name_b

    def path(self, name):
        return self.logdir / name

    def write(self, name, text, mode=0o644, owner=None):
        p = self.path(name)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
        os.chmod(p, mode)
        if owner:
            shutil.chown(p, *owner)
        return p

    def subdir(self, name, owner=None, mode=0o755):
        p = self.path(name)
        p.mkdir(parents=True, exist_ok=True)
        os.chmod(p, mode)
        if owner:
            shutil.chown(p, *owner)
        return p

    # -- processes
    def popen(self, name, argv, stdin=subprocess.DEVNULL, env=None, check_exit=False):
        """Starts argv with its output in the log directory. check_exit=True for a daemon
        under test or a peer: if it is found dead at cleanup without stop() or kill() having
        been called, the test fails (a dead BIRD or FRR would make every "no route", "no
        session" check pass)."""
        base = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)
        k = 0
        while (self.logdir / f"{base}.stderr").exists():
            k += 1
            base = f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.{k}"
        out = self.logdir / f"{base}.stdout"
        err = self.logdir / f"{base}.stderr"
        with open(out, "wb") as fo, open(err, "wb") as fe:
            p = subprocess.Popen(argv, stdin=stdin, stdout=fo, stderr=fe, env=env,
                                 start_new_session=True)
        proc = Proc(name, argv, p, out, err)
        proc.check_exit = check_exit
        self.procs.append(proc)
        return proc

    def add_finalizer(self, fn):
        self.finalizers.append(fn)

    # -- diagnostics
    def logs(self, max_per_file=6000):
        """Every log file's tail, for failure reports."""
        parts = [f"{self.name}: log directory {self.logdir}"]
        for p in sorted(self.logdir.rglob("*")):
            if not p.is_file() or p.suffix in (".sock", ".pid"):
                continue
            try:
                text = p.read_text(errors="replace")
            except OSError:
                continue
            if not text.strip():
                continue
            if len(text) > max_per_file:
                text = "...\n" + text[-max_per_file:]
            parts.append(f"----- {p.relative_to(self.logdir)} -----\n{text.rstrip()}")
        return "\n".join(parts)

    # -- cleanup
    def cleanup(self):
        if self._cleaned:
            return
        self._cleaned = True
        errors = []
        for fn in reversed(self.finalizers):
            try:
                fn()
            except Exception as e:  # noqa: BLE001
                errors.append(repr(e))
        for p in reversed(self.procs):
            # a daemon under test that died while nobody asked it to is a failure of the test
            # (how it exits when asked is test_clean_shutdown's business)
            if p.check_exit and not p.stopped and not p.alive():
                errors.append(f"{p.name} (pid {p.pid}) died during the test: "
                              f"{describe_rc(p.returncode)}; see {p.log_err}")
            try:
                p.stop(timeout=5)
            except Exception as e:  # noqa: BLE001
                errors.append(repr(e))
        for ns in self.namespaces:
            kill_netns_pids(ns.name)
            run([IP, "netns", "del", ns.name], check=False)
        # written by a daemon under ASan/UBSan (sanitizer_env), also at its exit (leaks)
        for report in sorted(self.logdir.glob(SANITIZER_REPORTS)):
            text = report.read_text(errors="replace").strip()
            if text:
                errors.append(f"sanitizer report {report}:\n{text[-8000:]}")
        if self in LABS:
            LABS.remove(self)
        return errors


_ns_counter = 0
_lab_counter = 0


def kill_netns_pids(name):
    """SIGCONT+SIGKILL every process inside namespace `name` (they are all ours: the namespace
    has this run's unique name) and wait for them to go."""
    r = run([IP, "netns", "pids", name], check=False)
    pids = [int(p) for p in r.stdout.split()] if r.returncode == 0 else []
    for pid in pids:
        for sig in (signal.SIGCONT, signal.SIGKILL):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + 5
    while pids and time.monotonic() < deadline:
        pids = [p for p in pids if pid_alive(p)]
        if pids:
            time.sleep(0.05)


def cleanup_all():
    for lab in list(LABS):
        lab.cleanup()


def _netns_names():
    r = run([IP, "netns", "list"], check=False)
    return [line.split()[0] for line in r.stdout.splitlines() if line.strip()]


def _proc_start_epoch(pid):
    st = _proc_starttime(pid)
    if st is None:
        return None
    with open("/proc/stat") as f:
        btime = next(int(line.split()[1]) for line in f if line.startswith("btime "))
    return btime + int(st) / os.sysconf("SC_CLK_TCK")


def owner_alive(pid, made):
    """True if process `pid` is alive and is the one that made file `made` (it started before
    the file was made; a later process with a reused pid is not the owner)."""
    if not pid_alive(pid):
        return False
    start = _proc_start_epoch(pid)
    try:
        made_at = made.stat().st_mtime
    except OSError:
        return True
    return start is not None and start <= made_at + 2


def sweep_stale():
    """Removes `tern-t-<pid>-*` namespaces (and kills their processes) whose run is dead."""
    removed = []
    for name in _netns_names():
        m = re.match(rf"^{NS_PREFIX}(\d+)-", name)
        if not m:
            continue
        pid = int(m.group(1))
        if pid == RUN_PID or owner_alive(pid, Path(f"/run/netns/{name}")):
            continue            # ours, or another live run's: leave it alone
        kill_netns_pids(name)
        run([IP, "netns", "del", name], check=False)
        removed.append(name)
    for d in Path("/tmp").glob(f"{NS_PREFIX}*"):
        m = re.match(rf"^{NS_PREFIX}(\d+)$", d.name)
        if m and int(m.group(1)) != RUN_PID and not owner_alive(int(m.group(1)), d):
            shutil.rmtree(d, ignore_errors=True)
    return removed


def leftovers():
    """What this run left behind: namespaces, live processes, root-namespace veths of ours."""
    out = []
    out += [f"netns {n}" for n in _netns_names() if n.startswith(RUN_PREFIX)]
    for pid, st in STARTED:
        if pid_alive(pid, st):
            out.append(f"process {pid}")
    # any process whose command line points into this run's directory
    run_dir = str(RUN_DIR).encode()
    for d in Path("/proc").iterdir():
        if not d.name.isdigit() or int(d.name) == RUN_PID:
            continue
        try:
            cmd = (d / "cmdline").read_bytes()
        except OSError:
            continue
        if run_dir + b"/" in cmd and pid_alive(int(d.name)):
            shown = cmd.replace(b"\x00", b" ")[:200]
            out.append(f"process {d.name}: {shown!r}")
    r = run([IP, "-o", "link", "show", "type", "veth"], check=False)
    for line in r.stdout.splitlines():
        if RUN_PREFIX in line:
            out.append(f"veth {line.strip()}")
    return sorted(set(out))


def line3(lab, loopbacks=True):
    """Three namespaces a - m - b: 10.0.1.0/24 between a (.1) and m (.2), 10.0.2.0/24 between
    m (.1) and b (.2); m forwards. With loopbacks: a has 10.255.0.1/32 and b 10.255.0.2/32 on lo,
    and static routes make them reachable (a and b also reach each other's link address).
    Returns (a, m, b)."""
    a, m, b = lab.netns("a"), lab.netns("m"), lab.netns("b")
    lab.link(a, m, "10.0.1.1/24", "10.0.1.2/24")
    lab.link(m, b, "10.0.2.1/24", "10.0.2.2/24")
    m.forwarding()
    a.route("10.0.2.0/24", via="10.0.1.2")
    b.route("10.0.1.0/24", via="10.0.2.1")
    if loopbacks:
        a.loopback("10.255.0.1")
        b.loopback("10.255.0.2")
        a.route("10.255.0.2/32", via="10.0.1.2")
        b.route("10.255.0.1/32", via="10.0.2.1")
        m.route("10.255.0.1/32", via="10.0.1.1")
        m.route("10.255.0.2/32", via="10.0.2.2")
    return a, m, b


def listening(ns, addr, port):
    """True if something in `ns` listens on TCP addr:port."""
    r = ns.run(["ss", "-Hltn", f"src {addr}:{port}"], check=False)
    return r.returncode == 0 and bool(r.stdout.strip())


def pair(lab, addr_a="10.0.0.1/24", addr_b="10.0.0.2/24"):
    """Two namespaces on one veth: a (10.0.0.1) and b (10.0.0.2). Returns (a, b)."""
    a, b = lab.netns("a"), lab.netns("b")
    lab.link(a, b, addr_a, addr_b)
    return a, b


# ----------------------------------------------------------------------------------------------
# binaries

def which(path_or_name):
    p = Path(path_or_name)
    if p.is_absolute():
        return str(p) if p.exists() and os.access(p, os.X_OK) else None
    return shutil.which(path_or_name)


BINARIES = {
    "bird": "/usr/sbin/bird",
    "birdc": "/usr/sbin/birdc",
    "zebra": "/usr/lib/frr/zebra",
    "bgpd": "/usr/lib/frr/bgpd",
    "vtysh": "/usr/bin/vtysh",
    "exabgp": "/usr/sbin/exabgp",
    "gobgpd": "/usr/bin/gobgpd",
    "gobgp": "/usr/bin/gobgp",
    "openbgpd": "/usr/sbin/bgpd",      # OpenBGPD's; FRR's bgpd is BINARIES["bgpd"]
    "bgpctl": "/usr/sbin/bgpctl",
    "tshark": "/usr/bin/tshark",
}


def ternd_path():
    return TERN_BUILD / "ternd"


SANITIZER_REPORTS = "*.sanitizer.*"


def sanitizer_env(lab, name):
    """The environment for a ternd: with a build under ASan+UBSan (make asan, TERN_BUILD=build-asan)
    the first error stops the daemon, leaks are looked for when it exits, and every report goes
    to <name>.sanitizer.<pid> in the test's log directory, which Lab.cleanup reads: a report
    fails the test with its text. Without sanitizers the variables are read by nobody."""
    base = lab.path(f"{name}.sanitizer")
    env = dict(os.environ)
    env["ASAN_OPTIONS"] = f"halt_on_error=1:detect_leaks=1:log_path={base}"
    env["UBSAN_OPTIONS"] = f"halt_on_error=1:print_stacktrace=1:log_path={base}"
    return env


def ternc_path():
    return TERN_BUILD / "ternc"


STRICT = os.environ.get("TERN_NET_STRICT", "") not in ("", "0")


def unavailable(msg):
    """Skips the calling test because something it needs is missing, or fails it when
    TERN_NET_STRICT=1 (make check): in CI nothing is silently left out."""
    import pytest
    if STRICT:
        pytest.fail(msg + " (TERN_NET_STRICT=1)", pytrace=False)
    pytest.skip(msg)


def missing(*names):
    """Names of the needed programs that are not installed (or not built, for ternd/ternc)."""
    out = []
    for n in names:
        if n == "tern":
            out += missing("ternd", "ternc")
        elif n == "ternd":
            if not which(str(ternd_path())):
                out.append(f"ternd ({ternd_path()})")
        elif n == "ternc":
            if not which(str(ternc_path())):
                out.append(f"ternc ({ternc_path()})")
        elif n == "frr":
            out += [b for b in ("zebra", "bgpd", "vtysh") if not which(BINARIES[b])]
        elif n == "gobgp":
            out += [b for b in ("gobgpd", "gobgp") if not which(BINARIES[b])]
        elif n == "openbgpd":
            out += [b for b in ("openbgpd", "bgpctl") if not which(BINARIES[b])]
        elif n == "bird":
            out += [b for b in ("bird", "birdc") if not which(BINARIES[b])]
        elif not which(BINARIES.get(n, n)):
            out.append(n)
    return out


# ----------------------------------------------------------------------------------------------
# peers: a common face
#
# Every launcher has .ns, .router_id, .asn, .proc, .stop(), .freeze()/.thaw(), and
# .bgp_state(peer_addr) returning an RFC 4271 state name ("Idle" ... "Established") or None.

STATES = ("Idle", "Connect", "Active", "OpenSent", "OpenConfirm", "Established")


class Daemon:
    kind = "?"

    def stop(self):
        for p in reversed(self.procs()):
            p.stop()

    def procs(self):
        return [self.proc]

    def freeze(self):
        for p in self.procs():
            p.freeze()

    def thaw(self):
        for p in self.procs():
            p.thaw()

    def alive(self):
        return all(p.alive() for p in self.procs())

    def established(self, peer):
        return self.bgp_state(peer) == "Established"

    def wait_established(self, peer, timeout=20):
        return wait_until(lambda: self.established(peer), timeout,
                          desc=f"{self.kind} {self.name}: {peer} Established")

    def wait_state(self, peer, state, timeout=20):
        return wait_until(lambda: self.bgp_state(peer) == state, timeout,
                          desc=f"{self.kind} {self.name}: {peer} {state}")


# -- BIRD 2 ------------------------------------------------------------------------------------

BIRD_TEMPLATE = """\
router id {router_id};
log stderr all;
debug protocols {{ states, events }};
protocol device {{ }}
{protocols}
"""

BIRD_BGP_TEMPLATE = """\
protocol bgp {name} {{
  local {local} as {asn};
  neighbor {neighbor} as {remote_as};
  hold time {hold};
  keepalive time {keepalive};
  connect delay time 1;
  connect retry time {connect_retry};
  error wait time 1, 5;
{extra}  ipv4 {{ import all; export none; }};
}}
"""


def bird_peer_name(addr):
    return "p_" + addr.replace(".", "_").replace(":", "_")


class Bird(Daemon):
    kind = "bird"

    def __init__(self, ns: Netns, router_id, asn, neighbors, name="bird"):
        """neighbors: list of dicts with keys neighbor, remote_as, and optionally local (default
        router_id), hold (default 6), keepalive (2), connect_retry (1), passive, multihop,
        password, extra (raw lines)."""
        self.ns, self.router_id, self.asn, self.name = ns, router_id, asn, name
        lab = ns.lab
        protos = []
        for n in neighbors:
            extra = ""
            if n.get("passive"):
                extra += "  passive on;\n"
            if n.get("multihop"):
                extra += f"  multihop {n['multihop']};\n"
            if n.get("password"):
                extra += f"  password \"{n['password']}\";\n"
            extra += n.get("extra", "")
            protos.append(BIRD_BGP_TEMPLATE.format(
                name=bird_peer_name(n["neighbor"]), local=n.get("local", router_id), asn=asn,
                neighbor=n["neighbor"], remote_as=n["remote_as"], hold=n.get("hold", 6),
                keepalive=n.get("keepalive", 2), connect_retry=n.get("connect_retry", 1),
                extra=extra))
        self.conf = lab.write(f"{name}.conf", BIRD_TEMPLATE.format(
            router_id=router_id, protocols="".join(protos)))
        self.sock = lab.path(f"{name}.ctl")
        r = ns.run([BINARIES["bird"], "-p", "-c", self.conf], check=False)
        if r.returncode != 0:
            raise RuntimeError(f"bird rejects {self.conf}:\n{r.stdout}{r.stderr}")
        self.proc = ns.popen(name, [BINARIES["bird"], "-f", "-c", self.conf, "-s", self.sock,
                                    "-P", lab.path(f"{name}.pid")], check_exit=True)
        wait_until(lambda: self.sock.exists() or not self.proc.alive(), 10,
                   desc="bird control socket")
        assert self.proc.alive(), f"bird exited:\n{self.proc.output()}"

    def birdc(self, *cmd):
        r = run([BINARIES["birdc"], "-s", str(self.sock)] + list(cmd), check=True, timeout=10)
        return r.stdout

    def protocol(self, peer):
        """`show protocols all NAME` parsed into a dict: state (BIRD's), bgp_state, neighbor_id,
        hold_time (negotiated), keepalive, last_error, neighbor_as, local_as, and raw."""
        out = self.birdc("show", "protocols", "all", bird_peer_name(peer))
        d = {"raw": out}
        lines = out.splitlines()
        for ln in lines:
            if ln.startswith(bird_peer_name(peer)):
                f = ln.split()
                d["state"] = f[3] if len(f) > 3 else None
                d["info"] = " ".join(f[5:]) if len(f) > 5 else ""
            m = re.match(r"\s+(BGP state|Neighbor ID|Hold timer|Keepalive timer|Last error|"
                         r"Neighbor AS|Local AS|Neighbor address|Source address)\s*:\s*(.*)$", ln)
            if m:
                d[m.group(1).lower().replace(" ", "_")] = m.group(2).strip()
        # "Hold timer: 4.2/6" -> negotiated 6
        for k in ("hold_timer", "keepalive_timer"):
            if k in d and "/" in d[k]:
                d[k.replace("_timer", "_time")] = int(d[k].split("/")[1])
        return d

    def bgp_state(self, peer):
        d = self.protocol(peer)
        s = d.get("bgp_state")
        if s in STATES:
            return s
        # BIRD prints "Established" in the one-line info too; when down it has no BGP state line
        if d.get("state") == "up" and "Established" in d.get("info", ""):
            return "Established"
        return s


# -- FRR ---------------------------------------------------------------------------------------

FRR_BGPD_TEMPLATE = """\
frr defaults traditional
hostname {name}
log stdout debugging
!
router bgp {asn}
 bgp router-id {router_id}
 no bgp ebgp-requires-policy
 no bgp network import-check
 bgp log-neighbor-changes
 timers bgp {keepalive} {hold}
{neighbors}!
line vty
!
"""


class Frr(Daemon):
    kind = "frr"

    def __init__(self, ns: Netns, router_id, asn, neighbors, name="frr", keepalive=2, hold=6,
                 extra=""):
        """neighbors: list of dicts with keys neighbor, remote_as and optionally update_source,
        passive, multihop (ttl), password, timers ((ka, hold)), connect (seconds, default 1),
        shutdown, lines (raw lines)."""
        self.ns, self.router_id, self.asn, self.name = ns, router_id, asn, name
        lab = ns.lab
        owner = ("frr", "frr")
        self.dir = lab.subdir(name, owner=owner, mode=0o775)
        tmp = lab.subdir(f"{name}/vartmp", owner=owner, mode=0o775)
        nb = []
        for n in neighbors:
            a = n["neighbor"]
            nb.append(f" neighbor {a} remote-as {n['remote_as']}")
            nb.append(f" neighbor {a} timers connect {n.get('connect', 1)}")
            nb.append(f" neighbor {a} advertisement-interval 0")
            if n.get("timers"):
                nb.append(f" neighbor {a} timers {n['timers'][0]} {n['timers'][1]}")
            if n.get("update_source"):
                nb.append(f" neighbor {a} update-source {n['update_source']}")
            if n.get("passive"):
                nb.append(f" neighbor {a} passive")
            if n.get("multihop"):
                nb.append(f" neighbor {a} ebgp-multihop {n['multihop']}")
            if n.get("password"):
                nb.append(f" neighbor {a} password {n['password']}")
            if n.get("shutdown"):
                nb.append(f" neighbor {a} shutdown")
            nb += [f" {ln}" for ln in n.get("lines", [])]
        text = FRR_BGPD_TEMPLATE.format(name=name, asn=asn, router_id=router_id,
                                        keepalive=keepalive, hold=hold,
                                        neighbors="\n".join(nb) + "\n" + extra)
        self.bgpd_conf = lab.write(f"{name}/bgpd.conf", text, mode=0o640, owner=owner)
        self.zebra_conf = lab.write(f"{name}/zebra.conf", f"hostname {name}\nlog stdout\n",
                                    mode=0o640, owner=owner)
        self.zserv = self.dir / "zserv.api"
        common = ["-u", "frr", "-g", "frr", "--vty_socket", self.dir, "-P", "0",
                  "-z", self.zserv]
        # a private /var/tmp (FRR's crash logs) in this command's mount namespace only;
        # `ip netns exec` already gave the command a private mount namespace.

        def wrap(argv):
            q = " ".join(f"'{a}'" for a in argv)
            return ["sh", "-c", f"mount --bind '{tmp}' /var/tmp && exec {q}"]
        self.zebra = ns.popen(f"{name}-zebra", wrap(
            ["/usr/lib/frr/zebra", "-f", self.zebra_conf, "-i", self.dir / "zebra.pid",
             *common]), check_exit=True)
        wait_until(lambda: self.zserv.exists() or not self.zebra.alive(), 15,
                   desc="zebra zserv socket")
        assert self.zebra.alive(), f"zebra exited:\n{self.zebra.output()}"
        self.bgpd = ns.popen(f"{name}-bgpd", wrap(
            ["/usr/lib/frr/bgpd", "-f", self.bgpd_conf, "-i", self.dir / "bgpd.pid", "-n",
             *common]), check_exit=True)
        self.proc = self.bgpd
        wait_until(lambda: (self.dir / "bgpd.vty").exists() or not self.bgpd.alive(), 15,
                   desc="bgpd vty socket")
        assert self.bgpd.alive(), f"bgpd exited:\n{self.bgpd.output()}"

    def procs(self):
        return [self.zebra, self.bgpd]

    def vtysh(self, *cmds, check=True):
        argv = [BINARIES["vtysh"], "--vty_socket", str(self.dir)]
        for c in cmds:
            argv += ["-c", c]
        return run(argv, check=check, timeout=15).stdout

    def configure(self, *lines):
        return self.vtysh("configure terminal", f"router bgp {self.asn}", *lines, "end")

    def neighbors(self):
        return json.loads(self.vtysh("show bgp neighbors json"))

    def neighbor(self, peer):
        return self.neighbors().get(peer, {})

    def last_notification_logged(self, peer):
        """The last NOTIFICATION bgpd logged for `peer`: ({direction: {code, subcode}}, the
        shutdown text or None), or (None, None)."""
        pattern = re.compile(r"%NOTIFICATION: (sent to|received from) neighbor "
                             + re.escape(peer) + r" (\d+)/(\d+) \([^)]*\)(?: \"(.*)\")?")
        found = (None, None)
        for line in self.bgpd.output().splitlines():
            m = pattern.search(line)
            if m:
                d = "sent" if m.group(1) == "sent to" else "received"
                found = ({d: {"code": int(m.group(2)), "subcode": int(m.group(3))}}, m.group(4))
        return found

    def bgp_state(self, peer):
        return self.neighbor(peer).get("bgpState")


# -- GoBGP -------------------------------------------------------------------------------------

# GoBGP's session states (api.PeerState_SessionState), as `gobgp neighbor -j` prints them
GOBGP_STATES = {0: None, 1: "Idle", 2: "Connect", 3: "Active", 4: "OpenSent", 5: "OpenConfirm",
                6: "Established", "unknown": None, "idle": "Idle", "connect": "Connect",
                "active": "Active", "opensent": "OpenSent", "openconfirm": "OpenConfirm",
                "established": "Established"}


class GoBgp(Daemon):
    kind = "gobgp"

    def __init__(self, ns: Netns, router_id, asn, neighbors, name="gobgp", api_port=50051):
        """neighbors: list of dicts with keys neighbor, remote_as and optionally hold (default
        6), keepalive (2), connect (connect-retry seconds, default 1), passive. The gRPC API
        listens on 127.0.0.1:api_port inside `ns` (each namespace has its own loopback), so
        `gobgp()` runs the CLI in `ns` too."""
        self.ns, self.router_id, self.asn, self.name = ns, router_id, asn, name
        self.api_port = api_port
        lab = ns.lab
        t = ["[global.config]", f"  as = {asn}", f'  router-id = "{router_id}"', ""]
        for n in neighbors:
            t += ["[[neighbors]]", "  [neighbors.config]",
                  f'    neighbor-address = "{n["neighbor"]}"', f"    peer-as = {n['remote_as']}",
                  "  [neighbors.timers.config]", f"    hold-time = {n.get('hold', 6)}",
                  f"    keepalive-interval = {n.get('keepalive', 2)}",
                  f"    connect-retry = {n.get('connect', 1)}",
                  "  [neighbors.transport.config]",
                  f"    passive-mode = {'true' if n.get('passive') else 'false'}", ""]
        self.conf = lab.write(f"{name}.toml", "\n".join(t))
        self.proc = ns.popen(name, [BINARIES["gobgpd"], "-f", self.conf, "-t", "toml",
                                    "--api-hosts", f"127.0.0.1:{api_port}", "-l", "info",
                                    "--pprof-disable"])
        self.proc.check_exit = True
        wait_until(lambda: not self.proc.alive() or self.gobgp("global", check=False)
                   .returncode == 0, 15, desc="gobgpd API")
        assert self.proc.alive(), f"gobgpd exited:\n{self.proc.output()}"

    def gobgp(self, *args, check=True):
        """The gobgp CLI against this instance (run inside its namespace)."""
        return self.ns.run([BINARIES["gobgp"], "-p", self.api_port] + list(args), check=check,
                           timeout=15)

    def gobgp_json(self, *args):
        out = self.gobgp(*args, "-j").stdout
        return json.loads(out) if out.strip() else None

    def neighbor(self, peer):
        """`gobgp neighbor PEER -j`: {"conf", "state", "timers", "transport", ...}."""
        return self.gobgp_json("neighbor", peer) or {}

    def bgp_state(self, peer):
        return GOBGP_STATES.get(self.neighbor(peer).get("state", {}).get("session_state"))

    def rib(self):
        """`gobgp global rib -a ipv4 -j`: {prefix: [path, ...]}, each path with "attrs" (a
        list of {"type": code, ...}), "neighbor-ip", "best"."""
        return self.gobgp_json("global", "rib", "-a", "ipv4") or {}

    def add_route(self, prefix, *attrs):
        """`gobgp global rib add PREFIX ATTRS... -a ipv4` (attrs as the CLI spells them:
        "aspath", "65100,65200", "med", "50", "community", "65002:100", "origin", "egp")."""
        self.gobgp("global", "rib", "add", prefix, *attrs, "-a", "ipv4")

    def del_route(self, prefix):
        self.gobgp("global", "rib", "del", prefix, "-a", "ipv4")

    def log(self):
        """gobgpd's log: one JSON object a line ({"level", "msg", "Key", "Topic", ...})."""
        out = []
        for ln in self.proc.output().splitlines():
            try:
                out.append(json.loads(ln))
            except json.JSONDecodeError:
                pass
        return out


def gobgp_attr(path, code):
    """The attribute with type `code` of a `gobgp ... -j` path, or None."""
    for a in path.get("attrs", []):
        if a.get("type") == code:
            return a
    return None


def gobgp_as_path(path):
    """A GoBGP path's AS_PATH as text ("65001 65100"; AS_SETs in braces)."""
    a = gobgp_attr(path, 2)
    if a is None:
        return None
    parts = []
    for seg in a.get("as_paths", []):
        asns = " ".join(str(x) for x in seg.get("asns", []))
        parts.append(asns if seg.get("segment_type") == 2 else "{" + asns + "}")
    return " ".join(parts)


# -- OpenBGPD ----------------------------------------------------------------------------------

class OpenBgpd(Daemon):
    kind = "openbgpd"

    def __init__(self, ns: Netns, router_id, asn, neighbors, name="openbgpd", networks=()):
        """neighbors: list of dicts with keys neighbor, remote_as and optionally hold (default
        6), passive. networks: `network` lines' arguments ("10.40.0.0/16 set { med 50 }").
        OpenBGPD's children chroot to /run/openbgpd, which only systemd creates: bgpd runs in
        a mount namespace of its own with a private tmpfs on /run (nothing on the host
        changes). Its control socket is in the lab directory, so `bgpctl()` works from the
        root namespace."""
        self.ns, self.router_id, self.asn, self.name = ns, router_id, asn, name
        lab = ns.lab
        self.sock = lab.path(f"{name}.sock")
        lines = [f"AS {asn}", f"router-id {router_id}", "fib-update no", "connect-retry 1",
                 f'socket "{self.sock}"', "log updates"]
        lines += [f"network {n}" for n in networks]
        for n in neighbors:
            body = [f"  remote-as {n['remote_as']}", f"  holdtime {n.get('hold', 6)}",
                    '  descr "' + n.get("descr", f"as{n['remote_as']}") + '"']
            if n.get("passive"):
                body.append("  passive")
            lines.append(f"neighbor {n['neighbor']} {{\n" + "\n".join(body) + "\n}")
        # RFC 8212: OpenBGPD exchanges nothing with an EBGP peer without explicit policy
        lines += ["allow from any", "allow to any", ""]
        self.conf = lab.write(f"{name}.conf", "\n".join(lines), mode=0o600)
        r = run([BINARIES["openbgpd"], "-n", "-f", str(self.conf)], check=False)
        if r.returncode != 0:
            raise RuntimeError(f"openbgpd rejects {self.conf}:\n{r.stdout}{r.stderr}")
        self.proc = ns.popen(name, ["unshare", "-m", "--propagation", "private", "sh", "-c",
                                    "mount -t tmpfs none /run && mkdir -m 755 /run/openbgpd "
                                    f"&& exec {BINARIES['openbgpd']} -d -v -f '{self.conf}'"])
        self.proc.check_exit = True
        wait_until(lambda: not self.proc.alive() or (
            self.sock.exists() and self.bgpctl("show", check=False).returncode == 0), 15,
            desc="openbgpd control socket")
        assert self.proc.alive(), f"openbgpd exited:\n{self.proc.output()}"

    def bgpctl(self, *args, check=True):
        return run([BINARIES["bgpctl"], "-s", str(self.sock)] + [str(a) for a in args],
                   check=check, timeout=15)

    def bgpctl_json(self, *args):
        out = self.bgpctl("-j", *args).stdout
        return json.loads(out) if out.strip() else {}

    def neighbor(self, peer):
        """`bgpctl -j show neighbor PEER`: the neighbour's object ("state", "session",
        "stats", "last_error_received", "last_shutdown_reason", ...), or {}."""
        for n in self.bgpctl_json("show", "neighbor", peer).get("neighbors", []):
            if n.get("remote_addr") == peer:
                return n
        return {}

    def bgp_state(self, peer):
        s = self.neighbor(peer).get("state")
        for st in STATES:
            if s and s.lower() == st.lower():
                return st
        return s

    def rib(self, detail=False):
        """`bgpctl -j show rib [detail]`: {prefix: [route, ...]}, each route with "aspath",
        "exit_nexthop", "origin", "metric", "neighbor" ({"remote_addr", ...}), and with
        detail "communities"."""
        out = {}
        for r in self.bgpctl_json("show", "rib", *(["detail"] if detail else [])).get("rib", []):
            out.setdefault(r.get("prefix"), []).append(r)
        return out


# -- ExaBGP ------------------------------------------------------------------------------------

EXABGP_API = Path(__file__).resolve().parent / "exabgp_api.py"


class ExaBgp(Daemon):
    kind = "exabgp"

    def __init__(self, ns: Netns, router_id, asn, local, neighbor, remote_as, name="exabgp",
                 routes=(), hold=6, passive=False):
        """One ExaBGP neighbour (ExaBGP has one configuration block per peer). routes: its
        `static` routes, as ExaBGP spells them ("10.50.0.0/16 next-hop 10.0.0.2 med 50"; not
        `next-hop self`, which `exabgp --test` rejects when it re-encodes the route). It
        listens on `local` (port 179) as well as connecting, like a router, unless passive. Its
        API process (exabgp_api.py) writes every message ExaBGP reports, one JSON object a line,
        to self.events_path, and passes the lines of self.fifo to ExaBGP as API commands."""
        self.ns, self.router_id, self.asn, self.name = ns, router_id, asn, name
        self.peer = neighbor
        lab = ns.lab
        self.events_path = lab.path(f"{name}.events")
        self.fifo = lab.path(f"{name}.cmd")
        os.mkfifo(self.fifo, 0o600)
        self.events_path.touch()
        statics = "".join(f"    route {r};\n" for r in routes)
        conf = (f"process tap {{\n  run /usr/bin/python3 {EXABGP_API} {self.events_path} "
                f"{self.fifo};\n  encoder json;\n}}\n"
                f"neighbor {neighbor} {{\n  router-id {router_id};\n"
                f"  local-address {local};\n  local-as {asn};\n  peer-as {remote_as};\n"
                f"  hold-time {hold};\n" + ("  passive true;\n" if passive else "")
                + "  listen 179;\n  family {\n    ipv4 unicast;\n  }\n"
                "  api {\n    processes [ tap ];\n    neighbor-changes;\n"
                "    receive {\n      parsed;\n      update;\n      notification;\n    }\n  }\n"
                f"  static {{\n{statics}  }}\n}}\n")
        self.conf = lab.write(f"{name}.conf", conf)
        # root stays root (the API process writes into the lab directory); no CLI pipes; no
        # global listener (the neighbour's `listen 179` is the one)
        env = dict(os.environ, exabgp_daemon_user="root", exabgp_api_cli="false",
                   exabgp_log_level="INFO", exabgp_log_destination="stdout",
                   exabgp_daemon_daemonize="false", exabgp_tcp_bind="")
        r = ns.run([BINARIES["exabgp"], "--test", self.conf], check=False, env=env)
        if r.returncode != 0:
            raise RuntimeError(f"exabgp rejects {self.conf}:\n{r.stdout}{r.stderr}")
        self.proc = ns.popen(name, [BINARIES["exabgp"], self.conf], env=env)
        self.proc.check_exit = True
        self._cmd = None
        wait_until(lambda: not self.proc.alive() or listening(ns, local, 179), 15,
                   desc="exabgp listening")
        assert self.proc.alive(), f"exabgp exited:\n{self.proc.output()}"

    def send(self, command):
        """One API command ("withdraw route 10.50.0.0/16 next-hop 10.0.0.2")."""
        if self._cmd is None:
            fd = os.open(self.fifo, os.O_RDWR | os.O_NONBLOCK)
            self._cmd = os.fdopen(fd, "w", buffering=1)
            self.ns.lab.add_finalizer(self._cmd.close)
        self._cmd.write(command + "\n")

    def events(self, kind=None):
        """What ExaBGP reported to its API process, parsed ({"type": "update"|"state"|
        "notification"|..., "neighbor": {...}}), oldest first; acknowledgements ("done") are
        left out."""
        out = []
        for ln in self.events_path.read_text(errors="replace").splitlines():
            ln = ln.strip()
            if not ln.startswith("{"):
                continue
            try:
                e = json.loads(ln)
            except json.JSONDecodeError:
                continue        # a line being written
            if kind is None or e.get("type") == kind:
                out.append(e)
        return out

    def bgp_state(self, peer=None):
        """"Established" after a state "up" with no "down" since; else the last state
        ExaBGP reported ("connected", "down"), or None."""
        st = None
        for e in self.events("state"):
            st = e.get("neighbor", {}).get("state")
        return "Established" if st == "up" else st

    def rib(self):
        """The routes received, replayed from the UPDATE events: {prefix: {"next_hop",
        "attribute"}} where attribute is ExaBGP's ("as-path", "med", "community", "origin"...).
        A session that goes down empties it (ExaBGP does not report that as withdrawals)."""
        rib = {}
        for e in self.events():
            nb = e.get("neighbor", {})
            if e.get("type") == "state" and nb.get("state") == "down":
                rib = {}
                continue
            if e.get("type") != "update":
                continue
            upd = nb.get("message", {}).get("update", {})
            for nlris in upd.get("withdraw", {}).values():
                for n in nlris:
                    rib.pop(n.get("nlri") if isinstance(n, dict) else n, None)
            attrs = upd.get("attribute", {})
            for nexthops in upd.get("announce", {}).values():
                for nh, nlris in nexthops.items():
                    for n in nlris:
                        rib[n.get("nlri") if isinstance(n, dict) else n] = {
                            "next_hop": nh, "attribute": attrs}
        return rib

    def notifications(self):
        """NOTIFICATIONs ExaBGP received: [{"code", "subcode", "data" (hex, "0x" for none)}]
        (ExaBGP's own "shutdown" event, when it exits, is not one)."""
        return [e["neighbor"]["notification"] for e in self.events("notification")
                if isinstance(e.get("neighbor", {}).get("notification"), dict)]


# -- Tern --------------------------------------------------------------------------------------

def tern_config(router_id, asn, neighbors, hostname="R1", keepalive=None, hold=None):
    """IOS-syntax configuration. neighbors: list of dicts with keys neighbor, remote_as and
    optionally update_source, multihop (True or ttl), timers ((ka, hold)), connect (seconds),
    password, passive, shutdown (True or a message text), lines (raw lines)."""
    out = [f"hostname {hostname}", f"router bgp {asn}", f" bgp router-id {router_id}"]
    if keepalive is not None:
        out.append(f" timers bgp {keepalive} {hold}")
    for n in neighbors:
        a = n["neighbor"]
        out.append(f" neighbor {a} remote-as {n['remote_as']}")
        if n.get("update_source"):
            out.append(f" neighbor {a} update-source {n['update_source']}")
        if n.get("multihop"):
            mh = n["multihop"]
            out.append(f" neighbor {a} ebgp-multihop" + ("" if mh is True else f" {mh}"))
        if n.get("timers"):
            out.append(f" neighbor {a} timers {n['timers'][0]} {n['timers'][1]}")
        if n.get("connect") is not None:
            out.append(f" neighbor {a} timers connect {n['connect']}")
        if n.get("password"):
            out.append(f" neighbor {a} password {n['password']}")
        if n.get("passive"):
            out.append(f" neighbor {a} transport connection-mode passive")
        if n.get("shutdown"):
            sd = n["shutdown"]
            out.append(f" neighbor {a} shutdown" + ("" if sd is True else f" message {sd}"))
        out += [f" {ln}" for ln in n.get("lines", [])]
    return "\n".join(out) + "\n"


class TernError(RuntimeError):
    pass


class Tern(Daemon):
    kind = "tern"

    def __init__(self, ns: Netns, router_id, asn, neighbors, name="tern", keepalive=None,
                 hold=None, args=(), config=None, start=True, no_kernel=False, debug=False):
        self.ns, self.router_id, self.asn, self.name = ns, router_id, asn, name
        lab = ns.lab
        self.conf = lab.write(f"{name}.conf", config if config is not None else tern_config(
            router_id, asn, neighbors, hostname=name, keepalive=keepalive, hold=hold))
        self.sock = lab.path(f"{name}.sock")
        # -n: never touch the kernel routing table; -d: debug logging
        self.args = (["-n"] if no_kernel else []) + (["-d"] if debug else []) + list(args)
        self.proc = None
        if start:
            self.start()

    def start(self, wait=True):
        """Starts (or restarts) ternd in the foreground; waits for its control socket."""
        if self.proc is not None and self.proc.alive():
            raise RuntimeError("ternd already running")
        with contextlib.suppress(FileNotFoundError):
            self.sock.unlink()
        self.proc = self.ns.popen(self.name, [ternd_path(), "-f", self.conf, "-s", self.sock,
                                              *self.args], check_exit=True,
                                  env=sanitizer_env(self.ns.lab, self.name))
        if wait:
            self.wait_ready()
        return self

    def wait_ready(self, timeout=10):
        def ready():
            if not self.proc.alive():
                raise TernError(f"ternd exited with {self.proc.returncode}:\n"
                                f"{self.proc.output()[-3000:]}")
            return self.sock.exists() and self.ternc_ok("show", "ip", "bgp", "summary", "json")
        try:
            wait_until(ready, timeout, interval=0.05, desc="ternd control socket")
        except WaitTimeout:
            if not self.proc.alive():
                raise TernError(f"ternd exited with {self.proc.returncode}:\n"
                                f"{self.proc.output()[-3000:]}") from None
            raise

    def ternc(self, *cmd, check=True, timeout=10):
        r = run([str(ternc_path()), "-s", str(self.sock)] + [str(c) for c in cmd], check=False,
                timeout=timeout)
        if check and r.returncode != 0:
            raise TernError(f"ternc {' '.join(map(str, cmd))} -> {r.returncode}\n"
                            f"{r.stdout}{r.stderr}")
        return r

    def ternc_ok(self, *cmd):
        try:
            return self.ternc(*cmd, check=False).returncode == 0
        except subprocess.TimeoutExpired:
            return False

    def show_json(self, *cmd):
        """`ternc -s SOCK show CMD... json`, parsed."""
        r = self.ternc("show", *cmd, "json")
        try:
            return json.loads(r.stdout)
        except json.JSONDecodeError as e:
            raise TernError(f"ternc show {' '.join(cmd)} json: not JSON ({e}):\n"
                            f"{r.stdout[:2000]}") from None

    def configure(self, *lines):
        """Applies configuration lines at run time, as one ternc invocation:
        `ternc -s SOCK -c 'configure terminal' -c 'router bgp ASN' -c LINE... -c end`."""
        argv = [str(ternc_path()), "-s", str(self.sock)]
        for c in ["configure terminal", f"router bgp {self.asn}", *lines, "end"]:
            argv += ["-c", c]
        r = run(argv, check=False, timeout=10)
        if r.returncode != 0:
            raise TernError(f"ternc configure -> {r.returncode}\n{r.stdout}{r.stderr}")
        return r.stdout

    def summary(self):
        return self.show_json("ip", "bgp", "summary")

    def neighbors(self):
        return self.show_json("ip", "bgp", "neighbors")

    def neighbor(self, peer):
        return self.show_json("ip", "bgp", "neighbors", peer).get(peer, {})

    def messages(self, peer):
        return self.show_json("bgp", "neighbors", peer, "messages").get("messages", [])

    def bgp_state(self, peer):
        return self.summary().get("peers", {}).get(peer, {}).get("state")

    def responsive(self):
        return self.proc.alive() and self.ternc_ok("show", "ip", "bgp", "summary", "json")


def start_peer(kind, ns, router_id, asn, neighbor, remote_as, name=None, **opts):
    """One launcher for parametrised tests: kind is "tern", "bird" or "frr"; opts are the
    per-neighbour options the launchers share (hold, keepalive, passive, multihop, password,
    update_source, connect)."""
    name = name or kind
    hold = opts.pop("hold", 6)
    keepalive = opts.pop("keepalive", max(1, hold // 3))
    if kind == "tern":
        n = {"neighbor": neighbor, "remote_as": remote_as, "connect": opts.pop("connect", None),
             "timers": (keepalive, hold)}
        n.update(opts)
        return Tern(ns, router_id, asn, [n], name=name)
    if kind == "bird":
        n = {"neighbor": neighbor, "remote_as": remote_as, "hold": hold, "keepalive": keepalive,
             "connect_retry": opts.pop("connect", 1)}
        if opts.get("update_source"):
            n["local"] = opts.pop("update_source")
        if opts.pop("ibgp_direct", False):
            n["extra"] = n.get("extra", "") + "  direct;\n"
        n.update(opts)
        return Bird(ns, router_id, asn, [n], name=name)
    if kind == "frr":
        n = {"neighbor": neighbor, "remote_as": remote_as, "connect": opts.pop("connect", 1),
             "timers": (keepalive, hold)}
        n.update(opts)
        return Frr(ns, router_id, asn, [n], name=name, keepalive=keepalive, hold=hold)
    raise ValueError(kind)


# ----------------------------------------------------------------------------------------------
# the control socket without ternc

class CtlClient:
    """One session on ternd's control socket (src/ctl/ctl_proto.h). A reply is plain,
    "<status> <len>\\n" + bytes, or chunked: "<status> *\\n", chunks "<len>\\n" + bytes, "0\\n",
    then a plain reply whose status is the reply's and whose bytes come last. A Unix socket
    path works from any namespace."""

    def __init__(self, path, timeout=10.0):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(str(path))
        self.f = self.sock.makefile("rb")

    def close(self):
        self.f.close()
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def send(self, text, kind="x"):
        self.sock.sendall(f"{kind} {text}\n".encode())

    def _line(self):
        line = self.f.readline(64)
        if not line.endswith(b"\n"):
            raise ConnectionError(f"control socket: broken frame {line!r}")
        return line[:-1].decode()

    def _exact(self, n):
        data = self.f.read(n)
        if len(data) != n:
            raise ConnectionError(f"control socket: {len(data)} of {n} bytes")
        return data

    def header(self):
        """The next reply's header: (status, length or None when chunked)."""
        status, length = self._line().split(" ")
        return int(status), (None if length == "*" else int(length))

    def chunk(self):
        """The next chunk's bytes of a chunked reply; b"" at its end."""
        return self._exact(int(self._line()))

    def finish(self):
        """The closing frame of a chunked reply: (status, bytes)."""
        status, length = self.header()
        if length is None:
            raise ConnectionError("control socket: chunked reply inside a chunked reply")
        return status, self._exact(length)

    def reply(self):
        """A whole reply, either form: (status, output bytes, number of chunks)."""
        status, length = self.header()
        if length is not None:
            return status, self._exact(length), 0
        parts = []
        while True:
            data = self.chunk()
            if not data:
                break
            parts.append(data)
        status, tail = self.finish()
        return status, b"".join(parts) + tail, len(parts)

    def request(self, text, kind="x"):
        self.send(text, kind)
        return self.reply()


# ----------------------------------------------------------------------------------------------
# crafted BGP messages (for raw-socket peers)

MARKER = b"\xff" * 16
OPEN, UPDATE, NOTIFICATION, KEEPALIVE, ROUTE_REFRESH = 1, 2, 3, 4, 5


def bgp_msg(mtype, body=b"", length=None, marker=MARKER):
    if length is None:
        length = 19 + len(body)
    return marker + struct.pack("!HB", length, mtype) + body


def bgp_open(my_as, hold, bgp_id, caps=None, version=4):
    """An OPEN. caps: list of (code, value bytes); default: MP IPv4 unicast and 4-octet AS."""
    if caps is None:
        caps = [(1, struct.pack("!HBB", 1, 0, 1)), (65, struct.pack("!I", my_as))]
    cap_bytes = b"".join(struct.pack("!BB", c, len(v)) + v for c, v in caps)
    params = (struct.pack("!BB", 2, len(cap_bytes)) + cap_bytes) if caps else b""
    as2 = my_as if my_as < 65536 else 23456
    body = struct.pack("!BHH4sB", version, as2, hold, socket.inet_aton(bgp_id), len(params))
    return bgp_msg(OPEN, body + params)


def bgp_keepalive():
    return bgp_msg(KEEPALIVE)


def recv_exact(sock, n, timeout):
    """n bytes, or fewer if the peer closed; raises socket.timeout when nothing more comes."""
    sock.settimeout(timeout)
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            break
        buf += chunk
    return buf


def recv_msg(sock, timeout=5.0):
    """One BGP message as (type, body) or None on EOF. Raises on a bad marker or timeout."""
    hdr = recv_exact(sock, 19, timeout)
    if len(hdr) < 19:
        return None
    assert hdr[:16] == MARKER, f"bad marker from peer: {hdr!r}"
    length, mtype = struct.unpack("!HB", hdr[16:19])
    assert 19 <= length <= 65535, f"bad length {length}"
    body = recv_exact(sock, length - 19, timeout)
    assert len(body) == length - 19, "truncated message"
    return mtype, body


def parse_open(body):
    version, my_as, hold, bgp_id, plen = struct.unpack("!BHH4sB", body[:10])
    return {"version": version, "myAs": my_as, "holdTime": hold,
            "bgpId": socket.inet_ntoa(bgp_id), "params": body[10:10 + plen]}


def parse_notification(body):
    return {"code": body[0], "subcode": body[1], "data": body[2:]}


def shutdown_text(data):
    """RFC 8203/9003 Shutdown Communication: length octet, then UTF-8 text."""
    if not data:
        return None
    n = data[0]
    return data[1:1 + n].decode("utf-8", errors="replace")


def recv_until(sock, mtype, timeout=10.0):
    """Reads messages until one of type `mtype`; returns (body, [types seen before]).
    Returns (None, seen) on EOF."""
    seen = []
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise socket.timeout(f"no message of type {mtype} within {timeout}s; saw {seen}")
        m = recv_msg(sock, left)
        if m is None:
            return None, seen
        if m[0] == mtype:
            return m[1], seen
        seen.append(m[0])


def recv_eof(sock, timeout=10.0):
    """True once the peer closes (reading and discarding anything it sends first)."""
    deadline = time.monotonic() + timeout
    sock.settimeout(0.2)
    while time.monotonic() < deadline:
        try:
            if not sock.recv(65536):
                return True
        except socket.timeout:
            continue
        except ConnectionResetError:
            return True
        except OSError as e:
            if e.errno in (errno.ECONNRESET, errno.EPIPE):
                return True
            raise
    return False


# ----------------------------------------------------------------------------------------------
# packet capture: an independent witness of what went over the wire

def tcp_segment(frame):
    """The IPv4 or IPv6 TCP segment of an Ethernet frame, or None: a dict with src, dst, ttl
    (IPv4 TTL or IPv6 hop limit), tcp (the segment's bytes, IP padding cut off)."""
    if len(frame) < 14:
        return None
    ethertype, ip = frame[12:14], frame[14:]
    if ethertype == b"\x08\x00" and len(ip) >= 20:
        ihl = (ip[0] & 0x0F) * 4
        total = struct.unpack("!H", ip[2:4])[0] or len(ip)
        if ip[9] != 6:
            return None
        seg = {"src": socket.inet_ntoa(ip[12:16]), "dst": socket.inet_ntoa(ip[16:20]),
               "ttl": ip[8], "tcp": ip[ihl:total]}
    elif ethertype == b"\x86\xdd" and len(ip) >= 40:
        if ip[6] != 6:
            return None     # extension headers: not on these sessions
        plen = struct.unpack("!H", ip[4:6])[0]
        seg = {"src": socket.inet_ntop(socket.AF_INET6, ip[8:24]),
               "dst": socket.inet_ntop(socket.AF_INET6, ip[24:40]),
               "ttl": ip[7], "tcp": ip[40:40 + plen] if plen else ip[40:]}
    else:
        return None
    return seg if len(seg["tcp"]) >= 20 else None


class PacketCapture:
    """Reads every frame on one interface of a namespace (an AF_PACKET socket made inside it,
    read by a thread) and hands each TCP segment to or from `port` to self.segment(seg,
    outgoing), seg as tcp_segment() makes it plus sport and dport. Stopped with the test."""

    def __init__(self, ns: Netns, ifname, port=179):
        with ns.enter():
            self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
            self.sock.bind((ifname, 0))
        self.sock.settimeout(0.1)
        self.port = port
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        ns.lab.add_finalizer(self.stop)

    def _run(self):
        while not self._stop.is_set():
            try:
                data, addr = self.sock.recvfrom(262144)
            except socket.timeout:
                continue
            except OSError:
                break
            seg = tcp_segment(data)
            if seg is None:
                continue
            seg["sport"], seg["dport"] = struct.unpack("!HH", seg["tcp"][:4])
            if self.port in (seg["sport"], seg["dport"]):
                with self._lock:
                    self.segment(seg, addr[2] == socket.PACKET_OUTGOING)

    def segment(self, seg, outgoing):
        raise NotImplementedError

    def stop(self):
        if not self._stop.is_set():
            self._stop.set()
            self._thread.join(2)
            self.sock.close()


class TcpCapture(PacketCapture):
    """Records the TCP packets to or from `port` on one interface of a namespace. packets:
    dicts with src, dst, sport, dport, ttl, flags, len (TCP payload octets), outgoing."""

    def __init__(self, ns: Netns, ifname, port=179):
        self.packets = []
        super().__init__(ns, ifname, port)

    def segment(self, seg, outgoing):
        tcp = seg["tcp"]
        self.packets.append({
            "src": seg["src"], "dst": seg["dst"], "sport": seg["sport"], "dport": seg["dport"],
            "ttl": seg["ttl"], "flags": tcp[13], "len": len(tcp) - (tcp[12] >> 4) * 4,
            "outgoing": outgoing})

    def syns(self, src=None, dst=None):
        """Connection attempts (SYN without ACK), optionally filtered by addresses."""
        return [p for p in list(self.packets)
                if p["flags"] & 0x02 and not p["flags"] & 0x10
                and (src is None or p["src"] == src) and (dst is None or p["dst"] == dst)]


# ----------------------------------------------------------------------------------------------
# one view of a session, whatever the implementation

# BIRD's names of NOTIFICATIONs (proto/bgp/packets.c, bgp_msg_table)
BIRD_ERRORS = {
    "Invalid message header": (1, 0), "Connection not synchronized": (1, 1),
    "Bad message length": (1, 2), "Bad message type": (1, 3),
    "Invalid OPEN message": (2, 0), "Unsupported version number": (2, 1),
    "Bad peer AS": (2, 2), "Bad BGP identifier": (2, 3), "Unsupported optional parameter": (2, 4),
    "Unacceptable hold time": (2, 6), "Hold timer expired": (4, 0),
    "Finite state machine error": (5, 0), "Cease": (6, 0),
    "Maximum number of prefixes reached": (6, 1), "Administrative shutdown": (6, 2),
    "Peer de-configured": (6, 3), "Administrative reset": (6, 4), "Connection rejected": (6, 5),
    "Other configuration change": (6, 6), "Connection collision resolution": (6, 7),
    "Out of Resources": (6, 8), "Hard reset": (6, 9),
}


def peer_view(peer, addr):
    """What `peer` (Tern, Bird or Frr) says about its session with `addr`, normalised:
    state (RFC 4271 name), remoteRouterId, holdTime (negotiated, when up), lastNotification
    ({"direction": "sent"|"received", "code", "subcode"} or None), shutdownMessage (FRR only)."""
    if isinstance(peer, Tern):
        n = peer.neighbor(addr)
        last = None
        s, r = n.get("lastNotificationSent"), n.get("lastNotificationReceived")
        # the one that matters is whichever exists; when both do, report both
        if s or r:
            last = {"sent": s, "received": r}
        return {"state": n.get("state"), "remoteRouterId": n.get("remoteRouterId"),
                "holdTime": n.get("holdTime"), "lastNotification": last, "raw": n}
    if isinstance(peer, Frr):
        n = peer.neighbor(addr)
        last = None
        cs = n.get("lastErrorCodeSubcode")
        if cs:
            d = "received" if "received" in n.get("lastResetDueTo", "") else "sent"
            last = {d: {"code": int(cs[:2]), "subcode": int(cs[2:])}}
        shutdown_message = n.get("lastShutdownDescription")
        if last is None:
            # FRR sometimes overwrites its last reset reason within a second of the
            # NOTIFICATION (a passive peer's "Waiting for peer OPEN"); its log keeps it.
            last, shutdown_message = peer.last_notification_logged(addr)
        hold = n.get("bgpTimerHoldTimeMsecs")
        return {"state": n.get("bgpState"), "remoteRouterId": n.get("remoteRouterId"),
                "holdTime": hold // 1000 if hold else None, "lastNotification": last,
                "shutdownMessage": shutdown_message, "raw": n}
    if isinstance(peer, Bird):
        p = peer.protocol(addr)
        last = None
        err = p.get("last_error") or ""
        # "Received: Bad peer AS" (from the peer) or "BGP Error: Bad peer AS" (BIRD sent it)
        m = re.match(r"(Received|BGP Error): ([^:]*)", err)
        if m:
            code = BIRD_ERRORS.get(m.group(2).strip())
            if code:
                d = "received" if m.group(1) == "Received" else "sent"
                last = {d: {"code": code[0], "subcode": code[1]}}
        return {"state": peer.bgp_state(addr), "remoteRouterId": p.get("neighbor_id"),
                "holdTime": p.get("hold_time"), "lastNotification": last, "lastError": err,
                "raw": p.get("raw")}
    raise TypeError(peer)


def notif(code, subcode):
    """A subset pattern for a NOTIFICATION record."""
    return {"code": code, "subcode": subcode}


def raw_establish(sock, my_as, bgp_id, hold=90, timeout=10.0):
    """Completes a session on a socket where the other side's OPEN was already read: sends an
    OPEN and a KEEPALIVE, then waits for the other side's KEEPALIVE. Returns the message types
    seen before it."""
    sock.sendall(bgp_open(my_as, hold, bgp_id) + bgp_keepalive())
    body, seen = recv_until(sock, KEEPALIVE, timeout)
    assert body is not None, f"connection closed during OPEN exchange (saw {seen})"
    return seen


# ----------------------------------------------------------------------------------------------
# a slow wire: this kernel has no netem, so a namespace in the middle relays Ethernet frames
# between two of its interfaces after a delay (AF_PACKET sockets, one thread)

def _csum(data):
    if len(data) % 2:
        data += b"\x00"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def fix_l4_checksum(frame):
    """Recomputes the TCP checksum of an Ethernet/IPv4 frame. A locally sent segment captured
    on a veth carries only a partial checksum (offloaded); relayed as is, it would be dropped."""
    if len(frame) < 34 or frame[12:14] != b"\x08\x00":
        return frame
    ip = frame[14:]
    ihl = (ip[0] & 0x0F) * 4
    total = struct.unpack("!H", ip[2:4])[0]
    if ip[9] != 6 or (struct.unpack("!H", ip[6:8])[0] & 0x3FFF) or total > len(ip):
        return frame
    seg = bytearray(ip[ihl:total])
    if len(seg) < 20:
        return frame
    seg[16:18] = b"\x00\x00"
    pseudo = ip[12:20] + struct.pack("!BBH", 0, 6, len(seg))
    seg[16:18] = struct.pack("!H", _csum(pseudo + bytes(seg)))
    return frame[:14 + ihl] + bytes(seg) + frame[14 + total:]


class DelayBridge:
    """Relays every frame between ifaces if1 and if2 of namespace `ns` (which must have no
    addresses on them) `delay` seconds later, in order. Endpoints on both sides then share one
    broadcast domain whose one-way latency is `delay`."""

    def __init__(self, ns: Netns, if1, if2, delay):
        import heapq
        import select
        self._heapq, self._select = heapq, select
        self.delay = delay
        for i in (if1, if2):
            ns.ip("link", "set", i, "promisc", "on")
        with ns.enter():
            self.socks = []
            for i in (if1, if2):
                s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
                s.bind((i, 0))
                s.setblocking(False)
                self.socks.append(s)
        self._stop = threading.Event()
        self._queue = []
        self._seq = 0
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        ns.lab.add_finalizer(self.stop)

    def _run(self):
        a, b = self.socks
        other = {a.fileno(): b, b.fileno(): a}
        while not self._stop.is_set():
            now = time.monotonic()
            while self._queue and self._queue[0][0] <= now:
                _, _, out, frame = self._heapq.heappop(self._queue)
                try:
                    out.send(frame)
                except OSError:
                    pass
            wait = 0.05
            if self._queue:
                wait = max(0.0, min(wait, self._queue[0][0] - now))
            r, _, _ = self._select.select(self.socks, [], [], wait)
            for s in r:
                while True:
                    try:
                        frame, addr = s.recvfrom(65535)
                    except (BlockingIOError, InterruptedError):
                        break
                    except OSError:
                        return
                    if addr[2] == socket.PACKET_OUTGOING:
                        continue        # our own relayed frame going out
                    self._seq += 1
                    self._heapq.heappush(self._queue, (time.monotonic() + self.delay,
                                                       self._seq, other[s.fileno()],
                                                       fix_l4_checksum(frame)))

    def stop(self):
        if not self._stop.is_set():
            self._stop.set()
            self._thread.join(2)
            for s in self.socks:
                s.close()


def slow_pair(lab, delay, addr_a="10.0.0.1/24", addr_b="10.0.0.2/24"):
    """Like pair(), but a and b talk through a relay namespace that delays every frame by
    `delay` seconds each way. Returns (a, b)."""
    a, w, b = lab.netns("a"), lab.netns("wire"), lab.netns("b")
    lab.link(a, w, addr_a, None)
    lab.link(w, b, None, addr_b)
    DelayBridge(w, "eth0", "eth1", delay)
    return a, b
