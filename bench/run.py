#!/usr/bin/python3
"""DOC: `make bench`, the measuring stick of issue 8: a full table through Tern, BIRD 2, FRR,
OpenBGPD and GoBGP, side by side, in network namespaces.

Topology of every run (fresh namespaces each time, named tern-bench-<pid>-*):

    feeder-ns  10.1.0.11..20 ---- 10.1.0.1  daemon-ns  10.2.0.1 ---- 10.2.0.2  monitor-ns
    (feeders, AS 65101..)         (daemon under test, AS 65000)        (monitor, AS 65200)

The feeder (bench/feeder.c) sends a seeded, realistic table over EBGP as fast as TCP takes it;
the monitor (bench/monitor.c) peers with the daemon and says when it holds all N prefixes. For
the floor the monitor itself listens on 10.1.0.1 in daemon-ns, so the feeders connect straight
to it: no daemon, same wires. Each daemon is configured to accept everything from the feeders
and re-announce it to the monitor only, without touching the kernel.

Per run it measures: time from the (first) feeder's Established to the monitor holding all N
(ten feeders: to the last UPDATE before the daemon goes quiet); CPU seconds of the daemon (all
processes in daemon-ns, /proc/PID/stat utime+stime); peak RSS (VmHWM summed); bytes per path
((peak RSS - RSS before feeding) / paths). Scenarios:

    load-100k   one feeder, N = 100,000
    load-1m     one feeder, N = 1,000,000, followed in the same run by
    churn-1m    10% withdrawn (time until the monitor holds 90%) then announced again (until
                it holds all): the two times added
    drop-1m     the feeder's session dropped (Cease, close): time until the monitor holds 0
    ten-100k    ten feeders, the same 100,000 prefixes with different paths
    stall-1m    ternd only: ten feeders x 1,000,000 (--stall-n), then one feeder dropped, then
                an IGP change (a host route to a feeder, through ternc), then `clear ip bgp F
                soft in` of a feeder whose table is stored (soft-reconfiguration inbound): the
                longest event-loop iteration of each phase, as ternd reports it on SIGUSR1
                (loop_watch.h)

Medians over --runs (3); QUICK=1 (--quick) uses N = 10,000 and one run. Each table shows time
and memory as a ratio to Tern's in the same invocation, or to BIRD's while Tern does not pass
routes on. Raw numbers go to bench/results/*.jsonl.

`run.py --check --daemon D -n 1000` is the correctness test for `make check`: exit status 0
only if the monitor got exactly the prefixes sent, each with the daemon's AS prepended, the
NEXT_HOP rewritten to the daemon's address and the communities kept.

Standard library only (Debian's /usr/bin/python3). Runs as root. Everything it creates is
removed on exit, Ctrl-C and SIGTERM included.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import queue
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
IP = shutil.which("ip") or "/usr/sbin/ip"
PREFIX = f"tern-bench-{os.getpid()}"
WORK = Path(f"/tmp/{PREFIX}")
DAEMON_AS, MONITOR_AS, FEEDER_AS = 65000, 65200, 65101
DAEMON_F, DAEMON_M, MONITOR_ADDR = "10.1.0.1", "10.2.0.1", "10.2.0.2"
PREFIX_SEED, PATH_SEED = 20240801, 7
DAEMONS = ["floor", "tern", "bird", "frr", "openbgpd", "gobgp"]
TERN_SILENT = "Tern: does not re-announce routes yet"
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def feeder_addr(k):
    return f"10.1.0.{11 + k}"


class BenchError(Exception):
    """A run that could not be measured; the message goes into the table."""


# ----------------------------------------------------------------------------------------------
# cleanup: everything created is registered here, removed by cleanup() whatever happens

NAMESPACES: list[str] = []
PROCS: list[subprocess.Popen] = []


def sh(cmd, check=True, timeout=60, **kw):
    r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=timeout, **kw)
    if check and r.returncode != 0:
        raise BenchError(f"{' '.join(map(str, cmd))}: {r.stderr.strip() or r.stdout.strip()}")
    return r


def ns_pids(ns):
    r = sh([IP, "netns", "pids", ns], check=False)
    return [int(p) for p in r.stdout.split()] if r.returncode == 0 else []


def kill_ns(ns):
    pids = ns_pids(ns)
    for pid in pids:
        for sig in (signal.SIGCONT, signal.SIGKILL):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + 5
    while pids and time.monotonic() < deadline:
        pids = [p for p in pids if Path(f"/proc/{p}").exists() and proc_state(p) not in "ZX"]
        time.sleep(0.02)


def proc_state(pid):
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "X"


def teardown():
    """Stops every process we started and deletes every namespace (and with it the veths)."""
    for p in PROCS:
        if p.poll() is None:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except (ProcessLookupError, PermissionError):
                pass
    deadline = time.monotonic() + 3
    for p in PROCS:
        try:
            p.wait(max(0.01, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                p.wait(2)
            except subprocess.TimeoutExpired:
                pass
    PROCS.clear()
    for ns in NAMESPACES:
        kill_ns(ns)
        sh([IP, "netns", "del", ns], check=False)
    NAMESPACES.clear()


KEEP_LOGS = False


def cleanup_all():
    teardown()
    if KEEP_LOGS:
        print(f"logs kept in {WORK}", file=sys.stderr)
    else:
        shutil.rmtree(WORK, ignore_errors=True)


def on_signal(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


# ----------------------------------------------------------------------------------------------
# processes with line events (feeder and monitor)

class Speaker:
    """feeder or monitor: commands on stdin, one event a line on stdout."""

    def __init__(self, name, ns, argv, log):
        self.name = name
        self.lines: list[str] = []
        self.cond = threading.Condition()
        self.cursor = 0
        self.log = open(log, "w")
        self.p = subprocess.Popen([IP, "netns", "exec", ns] + [str(a) for a in argv],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=self.log, text=True, bufsize=1,
                                  start_new_session=True)
        PROCS.append(self.p)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.p.stdout:
            self.log.write(line)
            self.log.flush()
            with self.cond:
                self.lines.append(line.strip())
                self.cond.notify_all()
        with self.cond:
            self.lines.append("exit")
            self.cond.notify_all()

    def send(self, cmd):
        try:
            self.p.stdin.write(cmd + "\n")
            self.p.stdin.flush()
        except (BrokenPipeError, ValueError):
            pass

    def wait(self, word, timeout, since=None):
        """Returns the first line from `since` (default: the cursor) whose first word is `word`,
        and moves the cursor past it. Raises BenchError on an "error" line, on exit, or after
        `timeout` seconds."""
        deadline = time.monotonic() + timeout
        i = self.cursor if since is None else since
        with self.cond:
            while True:
                while i < len(self.lines):
                    line = self.lines[i]
                    i += 1
                    head = line.split(" ", 1)[0]
                    if head == word or (word == "reached" and line.startswith("reached")):
                        self.cursor = i
                        return line
                    if head == "error":
                        raise BenchError(f"{self.name}: {line[6:]}")
                    if head == "exit" and word != "exit":
                        raise BenchError(f"{self.name} exited: {self.tail()}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise BenchError(f"{self.name}: no '{word}' within {timeout:.0f} s")
                self.cond.wait(left)

    def wait_reached(self, count, timeout):
        self.send(f"wait {count}")
        while True:
            line = self.wait("reached", timeout)
            f = line.split()
            if int(f[1]) == count:
                return int(f[2])

    def ask(self, cmd, word, timeout=10):
        self.send(cmd)
        return self.wait(word, timeout)

    def has(self, word):
        with self.cond:
            return any(l.split(" ", 1)[0] == word for l in self.lines)

    def tail(self):
        with self.cond:
            return " | ".join(self.lines[-4:])

    def stop(self):
        self.send("quit")
        try:
            self.p.wait(3)
        except subprocess.TimeoutExpired:
            self.p.kill()


def stamp(line, i=1):
    return int(line.split()[i])


def kv(line):
    return dict(f.split("=", 1) for f in line.split() if "=" in f)


# ----------------------------------------------------------------------------------------------
# daemon under test: configuration and start

class Daemon:
    """One daemon in daemon-ns. Subclasses write the configuration and the command line."""

    name = "?"

    def __init__(self, ns, dirpath: Path, feeders, opts):
        self.ns, self.dir, self.feeders, self.opts = ns, dirpath, feeders, opts
        self.dir.mkdir(parents=True, exist_ok=True)
        self.procs: list[subprocess.Popen] = []

    def popen(self, argv, label):
        out = open(self.dir / f"{label}.log", "w")
        p = subprocess.Popen([IP, "netns", "exec", self.ns] + [str(a) for a in argv],
                             stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                             start_new_session=True)
        PROCS.append(p)
        self.procs.append(p)
        return p

    def alive(self):
        return all(p.poll() is None for p in self.procs)

    def log_tail(self, n=600):
        parts = []
        for f in sorted(self.dir.glob("*.log")):
            t = f.read_text(errors="replace")
            if t.strip():
                parts.append(f"{f.name}: {t[-n:].strip()}")
        return "\n".join(parts)

    def version(self):
        return ""


class Bird(Daemon):
    name = "bird"

    def start(self):
        protos = []
        for k, (addr, asn) in enumerate(self.feeders):
            protos.append(f"protocol bgp f{k} {{\n  local {DAEMON_F} as {DAEMON_AS};\n"
                          f"  neighbor {addr} as {asn};\n  passive on;\n"
                          f"  ipv4 {{ import all; export none; }};\n}}\n")
        protos.append(f"protocol bgp mon {{\n  local {DAEMON_M} as {DAEMON_AS};\n"
                      f"  neighbor {MONITOR_ADDR} as {MONITOR_AS};\n  passive on;\n"
                      f"  ipv4 {{ import none; export all; }};\n}}\n")
        conf = self.dir / "bird.conf"
        conf.write_text(f"router id {DAEMON_F};\nlog stderr {{ warning, error, fatal }};\n"
                        f"protocol device {{ }}\n" + "".join(protos))
        r = sh(["/usr/sbin/bird", "-p", "-c", conf], check=False)
        if r.returncode:
            raise BenchError(f"bird rejects its configuration: {r.stderr.strip()}")
        self.popen(["/usr/sbin/bird", "-f", "-c", conf, "-s", self.dir / "bird.ctl",
                    "-P", self.dir / "bird.pid"], "bird")

    def version(self):
        return sh(["/usr/sbin/bird", "--version"], check=False).stderr.strip()


class Frr(Daemon):
    name = "frr"

    def start(self):
        shutil.chown(self.dir, "frr", "frr")
        vartmp = self.dir / "vartmp"
        vartmp.mkdir(exist_ok=True)
        shutil.chown(vartmp, "frr", "frr")
        nb, af = [], []
        for addr, asn in self.feeders:
            nb += [f" neighbor {addr} remote-as {asn}", f" neighbor {addr} passive",
                   f" neighbor {addr} advertisement-interval 0"]
            af += [f"  neighbor {addr} route-map DENY out"]
        nb += [f" neighbor {MONITOR_ADDR} remote-as {MONITOR_AS}",
               f" neighbor {MONITOR_ADDR} passive",
               f" neighbor {MONITOR_ADDR} advertisement-interval 0"]
        conf = "\n".join([
            "frr defaults traditional", "hostname dut", "log stdout warnings", "!",
            "route-map DENY deny 10", "!",
            f"router bgp {DAEMON_AS}", f" bgp router-id {DAEMON_F}",
            " no bgp ebgp-requires-policy", " no bgp network import-check", *nb,
            " address-family ipv4 unicast", *af, " exit-address-family", "!", ""])
        for name, text in (("bgpd.conf", conf), ("zebra.conf", "hostname dut\nlog stdout warnings\n")):
            (self.dir / name).write_text(text)
            shutil.chown(self.dir / name, "frr", "frr")
        zserv = self.dir / "zserv.api"
        common = ["-u", "frr", "-g", "frr", "--vty_socket", str(self.dir), "-P", "0",
                  "-z", str(zserv)]

        def wrap(argv):
            q = " ".join(f"'{a}'" for a in argv)
            return ["sh", "-c", f"mount --bind '{vartmp}' /var/tmp && exec {q}"]
        self.popen(wrap(["/usr/lib/frr/zebra", "-f", self.dir / "zebra.conf",
                         "-i", self.dir / "zebra.pid", *common]), "zebra")
        wait_for(lambda: zserv.exists() or not self.alive(), 15, "zebra's zserv socket")
        if not self.alive():
            raise BenchError(f"zebra exited: {self.log_tail()}")
        self.popen(wrap(["/usr/lib/frr/bgpd", "-f", self.dir / "bgpd.conf",
                         "-i", self.dir / "bgpd.pid", "-n", *common]), "bgpd")

    def version(self):
        out = sh(["/usr/lib/frr/bgpd", "--version"], check=False).stdout
        return out.splitlines()[0] if out else ""


class OpenBgpd(Daemon):
    name = "openbgpd"

    def start(self):
        lines = [f"AS {DAEMON_AS}", f"router-id {DAEMON_F}", "fib-update no",
                 f'socket "{self.dir}/bgpd.sock"', f"listen on {DAEMON_F}",
                 f"listen on {DAEMON_M}"]
        for k, (addr, asn) in enumerate(self.feeders):
            lines.append(f'neighbor {addr} {{\n  remote-as {asn}\n  passive\n  descr "f{k}"\n}}')
        lines.append(f'neighbor {MONITOR_ADDR} {{\n  remote-as {MONITOR_AS}\n  passive\n'
                     f'  descr "monitor"\n}}')
        lines += ["allow from any", f"allow to {MONITOR_ADDR}", ""]
        conf = self.dir / "bgpd.conf"
        conf.write_text("\n".join(lines))
        os.chmod(conf, 0o600)
        r = sh(["/usr/sbin/bgpd", "-n", "-f", conf], check=False)
        if r.returncode:
            raise BenchError(f"openbgpd rejects its configuration: {r.stderr.strip()}")
        self.popen(["unshare", "-m", "--propagation", "private", "sh", "-c",
                    "mount -t tmpfs none /run && mkdir -m 755 /run/openbgpd && "
                    f"exec /usr/sbin/bgpd -d -f '{conf}'"], "bgpd")

    def version(self):
        r = sh(["/usr/sbin/bgpd", "-V"], check=False)
        return (r.stdout + r.stderr).strip().splitlines()[0] if (r.stdout + r.stderr).strip() else ""


class GoBgp(Daemon):
    name = "gobgp"

    def start(self):
        t = ["[global.config]", f"  as = {DAEMON_AS}", f'  router-id = "{DAEMON_F}"', ""]
        if len(self.feeders) > 1:
            # re-announce to the monitor only, as the other daemons do
            addrs = ", ".join(f'"{a}/32"' for a, _ in self.feeders)
            t += ["[global.apply-policy.config]", '  export-policy-list = ["no-feeders"]',
                  '  default-export-policy = "accept-route"', "",
                  "[[defined-sets.neighbor-sets]]", '  neighbor-set-name = "feeders"',
                  f"  neighbor-info-list = [{addrs}]", "",
                  "[[policy-definitions]]", '  name = "no-feeders"',
                  "  [[policy-definitions.statements]]",
                  '    name = "reject-to-feeders"',
                  "    [policy-definitions.statements.conditions.match-neighbor-set]",
                  '      neighbor-set = "feeders"',
                  "    [policy-definitions.statements.actions]",
                  '      route-disposition = "reject-route"', ""]
        for addr, asn in self.feeders + [(MONITOR_ADDR, MONITOR_AS)]:
            t += ["[[neighbors]]", "  [neighbors.config]", f'    neighbor-address = "{addr}"',
                  f"    peer-as = {asn}", "  [neighbors.transport.config]",
                  "    passive-mode = true", ""]
        conf = self.dir / "gobgpd.toml"
        conf.write_text("\n".join(t))
        self.popen(["/usr/bin/gobgpd", "-f", conf, "-t", "toml", "--api-hosts",
                    "127.0.0.1:50051", "-l", "warn"], "gobgpd")

    def version(self):
        return sh(["/usr/bin/gobgpd", "--version"], check=False).stdout.strip()


class Tern(Daemon):
    name = "tern"
    soft_in = ()

    def start(self):
        ternd = self.opts.ternd
        if not ternd or not Path(ternd).exists():
            raise BenchError(f"no ternd binary ({ternd})")
        # re-announce to the monitor only, as the other daemons do: a route-map that denies
        # everything, out to each feeder
        out = ["hostname dut", "route-map NONE deny 10", f"router bgp {DAEMON_AS}",
               f" bgp router-id {DAEMON_F}"]
        for addr, asn in self.feeders + [(MONITOR_ADDR, MONITOR_AS)]:
            out += [f" neighbor {addr} remote-as {asn}",
                    f" neighbor {addr} transport connection-mode passive"]
        for addr, _ in self.feeders:
            out.append(f" neighbor {addr} route-map NONE out")
        out += [f" neighbor {addr} soft-reconfiguration inbound" for addr in self.soft_in]
        conf = self.dir / "tern.conf"
        conf.write_text("\n".join(out) + "\n")
        self.popen([ternd, "-n", "-f", conf, "-s", self.dir / "ternd.sock"], "ternd")

    def version(self):
        r = sh(["git", "-C", REPO, "describe", "--always", "--dirty"], check=False)
        return f"ternd {r.stdout.strip()}"


DAEMON_CLASSES = {c.name: c for c in (Bird, Frr, OpenBgpd, GoBgp, Tern)}


def wait_for(fn, timeout, what):
    deadline = time.monotonic() + timeout
    while not fn():
        if time.monotonic() > deadline:
            raise BenchError(f"timeout waiting for {what}")
        time.sleep(0.05)


# ----------------------------------------------------------------------------------------------
# measuring a daemon's processes

def proc_usage(pids):
    """(cpu seconds, VmRSS kB, VmHWM kB, system cpu seconds, minor page faults) summed over
    pids."""
    cpu, rss, hwm, system, faults = 0.0, 0, 0, 0.0, 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        cpu += (int(stat[11]) + int(stat[12])) / CLK_TCK
        system += int(stat[12]) / CLK_TCK
        faults += int(stat[7])
        m = re.search(r"^VmRSS:\s+(\d+)", status, re.M)
        rss += int(m.group(1)) if m else 0
        m = re.search(r"^VmHWM:\s+(\d+)", status, re.M)
        hwm += int(m.group(1)) if m else 0
    return cpu, rss, hwm, system, faults


# ----------------------------------------------------------------------------------------------
# one run

class Run:
    """Namespaces, daemon, monitor and feeders for one measurement; close() removes them."""

    def __init__(self, opts, daemon, n, nfeeders, tag, check=False):
        self.opts, self.kind, self.n, self.nfeeders = opts, daemon, n, nfeeders
        self.soft_in = ()  # feeders whose tables ternd stores (soft-reconfiguration inbound)
        self.dir = WORK / tag
        self.dir.mkdir(parents=True, exist_ok=True)
        self.nsf, self.nsd, self.nsm = (f"{PREFIX}-{tag}-{s}" for s in ("f", "d", "m"))
        for ns in (self.nsf, self.nsd, self.nsm):
            sh([IP, "netns", "add", ns])
            NAMESPACES.append(ns)
            sh([IP, "-n", ns, "link", "set", "lo", "up"])
        sh([IP, "-n", self.nsf, "link", "add", "f0", "type", "veth", "peer", "name", "d0",
            "netns", self.nsd])
        sh([IP, "-n", self.nsd, "link", "add", "d1", "type", "veth", "peer", "name", "m0",
            "netns", self.nsm])
        for k in range(nfeeders):
            sh([IP, "-n", self.nsf, "addr", "add", f"{feeder_addr(k)}/24", "dev", "f0"])
        sh([IP, "-n", self.nsd, "addr", "add", f"{DAEMON_F}/24", "dev", "d0"])
        sh([IP, "-n", self.nsd, "addr", "add", f"{DAEMON_M}/24", "dev", "d1"])
        sh([IP, "-n", self.nsm, "addr", "add", f"{MONITOR_ADDR}/24", "dev", "m0"])
        for ns, dev in ((self.nsf, "f0"), (self.nsd, "d0"), (self.nsd, "d1"), (self.nsm, "m0")):
            sh([IP, "-n", ns, "link", "set", dev, "up"])
        self.feeders_cfg = [(feeder_addr(k), FEEDER_AS + k) for k in range(nfeeders)]
        self.daemon = None
        self.monitor = None
        self.feeders: list[Speaker] = []
        self.check = check

    def start(self):
        """Starts the daemon and the monitor; returns once the monitor is Established."""
        o = self.opts
        common = ["-n", self.n, "--prefix-seed", PREFIX_SEED, "--path-seed", PATH_SEED]
        check = ["--check", "--feeder-as", FEEDER_AS, "--expect-as", DAEMON_AS,
                 "--expect-next-hop", DAEMON_M] if self.check else []
        if self.kind == "floor":
            # no daemon: nothing is prepended nor rewritten, so --check fails here (a control)
            self.monitor = Speaker("monitor", self.nsd,
                                   [o.monitor, "--listen", DAEMON_F, "--as", DAEMON_AS,
                                    *common, *check], self.dir / "monitor.log")
            self.monitor.wait("listening", 10)
            return
        self.daemon = DAEMON_CLASSES[self.kind](self.nsd, self.dir / self.kind,
                                                self.feeders_cfg, o)
        self.daemon.soft_in = self.soft_in
        self.daemon.start()
        argv = [o.monitor, "--connect", DAEMON_M, "--source", MONITOR_ADDR, "--as", MONITOR_AS,
                "--timeout", 40, *common]
        argv += check
        self.monitor = Speaker("monitor", self.nsm, argv, self.dir / "monitor.log")
        try:
            self.monitor.wait("established", 45)
        except BenchError as e:
            raise BenchError(f"{e}; daemon: {self.daemon.log_tail()}") from None

    def start_feeders(self):
        o = self.opts
        for k, (addr, asn) in enumerate(self.feeders_cfg):
            self.feeders.append(Speaker(
                f"feeder{k}", self.nsf,
                [o.feeder, "--connect", DAEMON_F, "--source", addr, "--as", asn,
                 "-n", self.n, "--prefix-seed", PREFIX_SEED, "--path-seed", PATH_SEED,
                 "--timeout", 30], self.dir / f"feeder{k}.log"))

    def usage(self):
        if not self.daemon:
            return None
        return proc_usage(ns_pids(self.nsd))

    def close(self):
        for s in [self.monitor] + self.feeders:
            if s:
                s.stop()
        teardown()


def wait_quiet(run, timeout, quiet):
    """Waits until the daemon has sent the monitor no UPDATE and used no CPU for `quiet`
    seconds; returns the monitor's last "last" line."""
    last_count, quiet_since = None, time.monotonic()
    cpu_prev = run.usage()[0]
    deadline = time.monotonic() + timeout
    line = None
    while time.monotonic() < deadline:
        time.sleep(0.5)
        line = run.monitor.ask("last", "last")
        cpu_now = run.usage()[0]
        cnt = kv(line)["updates"]
        if cnt != last_count or cpu_now - cpu_prev > 0.05:
            last_count, quiet_since = cnt, time.monotonic()
        cpu_prev = cpu_now
        if time.monotonic() - quiet_since >= quiet:
            break
    return line


LOOP_RE = re.compile(r"event loop \(SIGUSR1\): longest iteration ([0-9.]+) ms \(([0-9.]+) ms on the CPU\)")


def loop_report(run):
    """Asks ternd for its longest event-loop iteration since the last question (SIGUSR1,
    src/ternd/loop_watch.h): (wall ms, CPU ms); the wall time includes other processes'
    turns on a loaded machine."""
    log = run.daemon.dir / "ternd.log"
    before = len(LOOP_RE.findall(log.read_text(errors="replace")))
    os.kill(run.daemon.procs[0].pid, signal.SIGUSR1)  # `ip netns exec` execs ternd itself
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = LOOP_RE.findall(log.read_text(errors="replace"))
        if len(found) > before:
            return tuple(float(v) for v in found[-1])
        time.sleep(0.05)
    raise BenchError("ternd did not report its event loop (SIGUSR1)")


def measure_stall(run, n, timeout, opts):
    """The `stall` phases (ternd only): the longest event-loop iteration while ten feeders
    load (up to quiet), while one feeder's session drops and its paths are replaced by the
    others', and while an IGP change (a static route, through ternc) decides every route
    again, and while `clear ip bgp F soft in` judges a stored table again."""
    out = {}
    out["stall_load_ms"], out["stall_load_cpu_ms"] = loop_report(run)
    f = run.feeders[0]
    f.send("drop")
    f.wait("dropped", 30)
    wait_quiet(run, timeout, opts.quiet)
    out["stall_drop_ms"], out["stall_drop_cpu_ms"] = loop_report(run)
    # through the control socket, not SIGHUP (a signal's wakeup would count as busy): a host
    # route to a remaining feeder's address moves its next hop, so the core's next-hop
    # tracking tells BGP, which decides every route again
    sh([IP, "netns", "exec", run.nsd, opts.ternc, "-s", run.daemon.dir / "ternd.sock",
        "-c", "configure terminal", "-c", f"ip route {feeder_addr(1)} 255.255.255.255 {MONITOR_ADDR}",
        "-c", "end"], timeout=60)
    time.sleep(0.5)
    wait_quiet(run, timeout, opts.quiet)
    out["stall_igp_ms"], out["stall_igp_cpu_ms"] = loop_report(run)
    sh([IP, "netns", "exec", run.nsd, opts.ternc, "-s", run.daemon.dir / "ternd.sock",
        "-c", f"clear ip bgp {STALL_SOFT_IN} soft in"], timeout=60)
    time.sleep(0.5)
    wait_quiet(run, timeout, opts.quiet)
    out["stall_soft_in_ms"], out["stall_soft_in_cpu_ms"] = loop_report(run)
    return out


# The stall scenario's feeder with soft-reconfiguration inbound (not the one dropped).
STALL_SOFT_IN = feeder_addr(2)


def load_timeout(n, nfeeders):
    return 60 + n * nfeeders / 2000


def measure(opts, daemon, n, nfeeders, tag, phases):
    """One run: load (and the phases asked for: 'churn', 'drop'). Returns a dict of results."""
    res = {"daemon": daemon, "n": n, "feeders": nfeeders, "status": "ok"}
    run = Run(opts, daemon, n, nfeeders, tag)
    if "stall" in phases and daemon == "tern":
        run.soft_in = (STALL_SOFT_IN,)
    try:
        run.start()
        time.sleep(0.5 if daemon != "frr" else 1.0)
        base = run.usage()
        run.start_feeders()
        est = [stamp(f.wait("established", 40)) for f in run.feeders]
        t0 = min(est)
        expect = n * nfeeders if daemon == "floor" else n
        timeout = load_timeout(n, nfeeders)
        sent = [f.wait("sent", timeout) for f in run.feeders]
        res["sent_s"] = (max(stamp(s) for s in sent) - t0) / 1e9
        res["table_bytes"] = int(kv(sent[0])["bytes"])
        res["table_messages"] = int(kv(sent[0])["messages"])
        # a daemon that passes nothing on: say so rather than wait for the whole timeout
        try:
            run.monitor.wait("first", opts.silence, since=0)
        except BenchError:
            if run.daemon and not run.daemon.alive():
                raise BenchError(f"{daemon} exited: {run.daemon.log_tail()}") from None
            res["status"] = "silent"
            res["note"] = TERN_SILENT if daemon == "tern" else \
                f"{daemon}: no route re-announced within {opts.silence:.0f} s"
            u = run.usage()
            if u:
                res.update(cpu_s=u[0] - base[0], peak_rss_kb=u[2], base_rss_kb=base[1])
            return res
        t_full = run.monitor.wait_reached(expect, timeout)
        res["time_s"] = (t_full - t0) / 1e9
        if nfeeders > 1 and daemon != "floor":
            # best-path competition goes on after the monitor holds all N: wait until the
            # daemon has gone quiet, and count to the last UPDATE it sent
            line = wait_quiet(run, timeout, opts.quiet)
            res["time_full_s"] = res["time_s"]
            res["time_s"] = (stamp(line) - t0) / 1e9
        u = run.usage()
        if u:
            res["cpu_s"] = u[0] - base[0]
            res["system_cpu_s"] = u[3] - base[3]
            res["minor_faults"] = u[4] - base[4]
            res["peak_rss_kb"] = u[2]
            res["base_rss_kb"] = base[1]
            res["bytes_per_path"] = (u[2] - base[1]) * 1024 / (n * nfeeders)
        if "churn" in phases:
            f = run.feeders[0]
            c0 = run.usage()
            f.send("churn-withdraw")
            s1 = stamp(f.wait("start", 30), 2)
            r1 = run.monitor.wait_reached(expect - len(range(0, n, 10)), timeout)
            f.send("churn-announce")
            s2 = stamp(f.wait("start", 30), 2)
            r2 = run.monitor.wait_reached(expect, timeout)
            c1 = run.usage()
            res["churn_s"] = (r1 - s1 + r2 - s2) / 1e9
            res["churn_withdraw_s"] = (r1 - s1) / 1e9
            res["churn_announce_s"] = (r2 - s2) / 1e9
            if c0:
                res["churn_cpu_s"] = c1[0] - c0[0]
        if "drop" in phases:
            f = run.feeders[0]
            c0 = run.usage()
            f.send("drop")
            d = stamp(f.wait("dropped", 30))
            r = run.monitor.wait_reached(expect - n if daemon == "floor" else 0, timeout)
            res["drop_s"] = (r - d) / 1e9
            c1 = run.usage()
            if c0:
                res["drop_cpu_s"] = c1[0] - c0[0]
        if "stall" in phases:
            res.update(measure_stall(run, n, timeout, opts))
        if nfeeders > 1:
            rx = []
            for f in run.feeders:
                if f.has("dropped"):
                    continue
                f.send("quit")
                try:
                    rx.append(int(kv(f.wait("rx", 5))["updates"]))
                except BenchError:
                    pass
            res["updates_to_feeders"] = sum(rx)
        return res
    except BenchError as e:
        res["status"] = "error"
        res["note"] = str(e)[:400]
        return res
    finally:
        run.close()


# ----------------------------------------------------------------------------------------------
# scenarios and report

def scenarios(opts):
    big = 10_000 if opts.quick else opts.big
    small = 10_000 if opts.quick else opts.small
    out = []
    if "load-small" in opts.scenarios and (small != big or not {"load-big", "churn", "drop"}
                                           & set(opts.scenarios)):
        out.append(("load", small, 1, (), [f"load-{fmt_n(small)}"]))
    if {"load-big", "churn", "drop"} & set(opts.scenarios):
        phases = tuple(p for p in ("churn", "drop") if p in opts.scenarios)
        out.append(("load", big, 1, phases,
                    [f"load-{fmt_n(big)}"] + [f"{p}-{fmt_n(big)}" for p in phases]))
    if "ten" in opts.scenarios:
        out.append(("ten", small, 10, (), [f"ten-{fmt_n(small)}"]))
    if "stall" in opts.scenarios:
        stall = 10_000 if opts.quick else opts.stall_n
        out.append(("stall", stall, 10, ("stall",), [f"stall-{fmt_n(stall)}"]))
    return out


def fmt_n(n):
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}m"
    if n % 1000 == 0:
        return f"{n // 1000}k"
    return str(n)


SCENARIO_TITLES = {
    "load": "{n:,} prefixes from one feeder: Established to the monitor holding all",
    "churn": "churn of {n:,}: 10% withdrawn, then announced again (sum of both times)",
    "drop": "session with {n:,} prefixes dropped: until the monitor has every withdrawal",
    "ten": "ten feeders x {n:,} prefixes, different paths: to the daemon's last UPDATE",
}

TIME_KEY = {"load": "time_s", "churn": "churn_s", "drop": "drop_s", "ten": "time_s"}
CPU_KEY = {"load": "cpu_s", "churn": "churn_cpu_s", "drop": "drop_cpu_s", "ten": "cpu_s"}


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def summarize(records, kind, daemon):
    """Medians of one daemon's runs for one table."""
    rs = [r for r in records if r["daemon"] == daemon]
    ok = [r for r in rs if r["status"] == "ok" and r.get(TIME_KEY[kind]) is not None]
    notes = sorted({r.get("note", "") for r in rs if r["status"] != "ok"})
    s = {"runs": len(rs), "ok": len(ok), "note": "; ".join(n for n in notes if n)}
    to_feeders = median([r.get("updates_to_feeders") for r in ok])
    if kind == "ten" and to_feeders and to_feeders > 100:
        # a daemon without an export policy also sends every best path back to the feeders
        s["note"] = (s["note"] + "; " if s["note"] else "") + \
            f"also sent {to_feeders:,.0f} UPDATEs to the feeders"

    s["time"] = median([r.get(TIME_KEY[kind]) for r in ok])
    s["cpu"] = median([r.get(CPU_KEY[kind]) for r in ok])
    mem = ok if kind in ("load", "ten") else []
    s["rss"] = median([r.get("peak_rss_kb") for r in mem])
    s["bpp"] = median([r.get("bytes_per_path") for r in mem])
    if not ok and rs and kind in ("load", "ten"):
        s["rss"] = median([r.get("peak_rss_kb") for r in rs])
    return s


def print_table(title, kind, records, daemons, out):
    rows = {d: summarize(records, kind, d) for d in daemons}
    ref = "tern" if rows.get("tern", {}).get("time") else "bird"
    refrow = rows.get(ref, {})
    out(f"\n== {title} (median of {max((r['runs'] for r in rows.values()), default=0)}) ==")
    out(f"{'daemon':<9} {'time s':>9} {'x ' + ref:>8} {'CPU s':>8} {'peak RSS MB':>12} "
        f"{'x ' + ref:>8} {'B/path':>8}  note")

    def f(v, fmt):
        width = int(re.match(r"\d*", fmt).group(0) or 0)
        return format(v, fmt) if v is not None else "-".rjust(width)
    for d in daemons:
        s = rows[d]
        tr = s["time"] / refrow["time"] if s["time"] and refrow.get("time") else None
        mr = s["rss"] / refrow["rss"] if s["rss"] and refrow.get("rss") and d != "floor" else None
        rss_mb = s["rss"] / 1024 if s["rss"] else None
        note = s["note"]
        if s["ok"] and s["ok"] < s["runs"]:
            note = f"{s['ok']}/{s['runs']} runs ok; {note}"
        out(f"{d:<9} {f(s['time'], '9.3f')} {f(tr, '8.2f')} {f(s['cpu'], '8.2f')} "
            f"{f(rss_mb, '12.1f')} {f(mr, '8.2f')} {f(s['bpp'], '8.0f')}  {note}")
    if ref == "bird" and "tern" in daemons:
        out(f"(ratios against BIRD: {TERN_SILENT if rows['tern']['note'] == TERN_SILENT else 'Tern has no time in this run'})")


def print_stall(n, records, out):
    ok = [r for r in records if r["status"] == "ok"]
    out(f"\n== longest event-loop iteration, ternd, ten feeders x {fmt_n(n)} "
        f"(median of {len(ok)}; target < 50 ms) ==")
    out(f"{'phase':<34} {'wall ms':>9} {'CPU ms':>9}")
    for key, what in (("stall_load", "ten feeders loading"),
                      ("stall_drop", "one feeder dropped"),
                      ("stall_igp", "IGP change: every route decided"),
                      ("stall_soft_in", "clear soft in of a stored table")):
        v = [median([r.get(f"{key}{unit}") for r in ok]) for unit in ("_ms", "_cpu_ms")]
        out(f"{what:<34} " + " ".join(format(x, '9.1f') if x is not None else '-'.rjust(9)
                                     for x in v))
    for r in records:
        if r["status"] != "ok":
            out(f"run {r.get('run', 0) + 1}: {r['status']}: {r.get('note', '')}")


def build(opts):
    """Builds the feeder, the monitor (and ternd) in build-bench; returns paths."""
    bdir = REPO / opts.build
    if not (bdir / "build.ninja").exists():
        sh(["meson", "setup", bdir], cwd=REPO, timeout=300)
    sh(["ninja", "-C", bdir, "bench/feeder", "bench/monitor"], timeout=600)
    opts.feeder = str(bdir / "bench/feeder")
    opts.monitor = str(bdir / "bench/monitor")
    if opts.ternd is None:
        r = sh(["ninja", "-C", bdir, "ternd", "ternc"], check=False, timeout=600)
        if r.returncode == 0:
            opts.ternd = str(bdir / "ternd")
        elif (REPO / "build/ternd").exists():
            opts.ternd = str(REPO / "build/ternd")
            print(f"note: ternd does not build in {opts.build}; using build/ternd", flush=True)
    opts.ternc = str(Path(opts.ternd).parent / "ternc") if opts.ternd else None


def available(daemon):
    need = {"bird": "/usr/sbin/bird", "frr": "/usr/lib/frr/bgpd", "openbgpd": "/usr/sbin/bgpd",
            "gobgp": "/usr/bin/gobgpd"}.get(daemon)
    return need is None or Path(need).exists()


def run_check(opts):
    """--check: one daemon, n prefixes, every route verified. Exit status 0 only if correct."""
    daemon = opts.daemon
    n = opts.n or 1000
    run = Run(opts, daemon, n, 1, f"check-{daemon}", check=True)
    try:
        run.start()
        run.start_feeders()
        run.feeders[0].wait("sent", 60)
        try:
            run.monitor.wait("first", opts.silence, since=0)
        except BenchError:
            print(f"FAIL {daemon}: "
                  f"{TERN_SILENT if daemon == 'tern' else 'no route re-announced'} "
                  f"(nothing within {opts.silence:.0f} s)")
            return 1
        try:
            run.monitor.wait_reached(n, 60)
        except BenchError as e:
            print(f"FAIL {daemon}: {e}; {run.monitor.ask('stats', 'stats')}")
            return 1
        time.sleep(1.0)  # anything extra the daemon still sends counts against it
        line = run.monitor.ask("check", "check")
        print(f"{'PASS' if line.startswith('check ok') else 'FAIL'} {daemon}: {line}")
        return 0 if line.startswith("check ok") else 1
    except BenchError as e:
        print(f"FAIL {daemon}: {e}")
        return 1
    finally:
        run.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--daemons", default=",".join(DAEMONS),
                    help="comma-separated, from: " + ",".join(DAEMONS))
    ap.add_argument("--scenarios", default="load-small,load-big,churn,drop,ten,stall",
                    help="comma-separated, from: load-small,load-big,churn,drop,ten,stall")
    ap.add_argument("--stall-n", type=int, default=1_000_000,
                    help="N of stall: ten feeders, one dropped, an IGP change (tern only)")
    ap.add_argument("--runs", type=int, default=None, help="runs per scenario (3; quick: 1)")
    ap.add_argument("--quick", action="store_true", default=os.environ.get("QUICK") == "1",
                    help="N = 10,000 and one run (also QUICK=1 in the environment)")
    ap.add_argument("--small", type=int, default=100_000, help="N of load-small and ten")
    ap.add_argument("--big", type=int, default=1_000_000, help="N of load-big, churn, drop")
    ap.add_argument("--build", default="build-bench", help="Meson build directory")
    ap.add_argument("--ternd", default=None, help="ternd binary (default: built in --build)")
    ap.add_argument("--silence", type=float, default=20.0,
                    help="seconds after the table was sent with nothing re-announced "
                         "before a daemon is said to pass nothing on")
    ap.add_argument("--quiet", type=float, default=None,
                    help="ten feeders: seconds without UPDATE (and without CPU use) that mean "
                         "the daemon has converged (3; quick: 1)")
    ap.add_argument("--keep", action="store_true", help="keep the logs and configurations")
    ap.add_argument("--results", default=str(REPO / "bench/results"))
    ap.add_argument("--check", action="store_true",
                    help="correctness test of one daemon (--daemon, -n); exit 0 if correct")
    ap.add_argument("--daemon", default="tern")
    ap.add_argument("-n", type=int, default=None, help="prefixes for --check (1000)")
    opts = ap.parse_args()
    opts.scenarios = opts.scenarios.split(",")
    global KEEP_LOGS
    KEEP_LOGS = opts.keep
    if opts.runs is None:
        opts.runs = 1 if opts.quick else 3
    if opts.quiet is None:
        opts.quiet = 1.0 if opts.quick else 3.0
    if os.geteuid() != 0:
        sys.exit("run.py needs root (network namespaces)")

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    WORK.mkdir(parents=True, exist_ok=True)
    try:
        build(opts)
        if opts.check:
            if opts.daemon not in DAEMONS:
                sys.exit(f"--check needs a daemon: {', '.join(DAEMONS)}")
            sys.exit(run_check(opts))
        daemons = [d for d in opts.daemons.split(",") if d]
        for d in daemons:
            if d not in DAEMONS:
                sys.exit(f"unknown daemon {d}")
        missing = [d for d in daemons if not available(d)]
        daemons = [d for d in daemons if d not in missing]
        if "floor" not in daemons:
            daemons.insert(0, "floor")  # every report shows the floor
        stamp_s = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        Path(opts.results).mkdir(parents=True, exist_ok=True)
        results_path = Path(opts.results) / f"{stamp_s}.jsonl"
        git = sh(["git", "-C", REPO, "describe", "--always", "--dirty"], check=False).stdout.strip()
        versions = {}
        print(f"tern bench {stamp_s} ({git}); runs {opts.runs}; daemons {', '.join(daemons)}"
              + (f"; not installed: {', '.join(missing)}" if missing else ""), flush=True)
        tables = []
        with open(results_path, "w") as jl:
            for kind, n, nfeeders, phases, names in scenarios(opts):
                records = []
                for r in range(opts.runs):
                    # only ternd reports its event loop's longest iteration
                    for d in (["tern"] if kind == "stall" and "tern" in daemons else
                              [] if kind == "stall" else daemons):
                        tag = f"{kind}{fmt_n(n)}-{d}-{r}"
                        t_start = time.monotonic()
                        rec = measure(opts, d, n, nfeeders, tag, phases)
                        if d not in versions and d in DAEMON_CLASSES:
                            try:
                                versions[d] = DAEMON_CLASSES[d](None, WORK / "v", [], opts).version()
                            except Exception:  # noqa: BLE001 - a version string is optional
                                versions[d] = ""
                        rec.update(run=r, scenario=names[0], date=stamp_s, git=git,
                                   version=versions.get(d, ""), phases=list(phases),
                                   wall_s=time.monotonic() - t_start)
                        records.append(rec)
                        jl.write(json.dumps(rec) + "\n")
                        jl.flush()
                        brief = {k: (round(v, 3) if isinstance(v, float) else v)
                                 for k, v in rec.items()
                                 if k in ("time_s", "cpu_s", "peak_rss_kb", "churn_s", "drop_s",
                                          "stall_load_ms", "stall_drop_ms", "stall_igp_ms",
                                          "stall_load_cpu_ms", "stall_drop_cpu_ms",
                                          "stall_igp_cpu_ms", "stall_soft_in_ms",
                                          "stall_soft_in_cpu_ms", "status")}
                        print(f"  {names[0]} run {r + 1}/{opts.runs} {d}: {brief}"
                              + (f" {rec['note'][:160]}" if rec.get("note") else ""), flush=True)
                tables.append((kind, n, phases, records))
        lines = []
        for kind, n, phases, records in tables:
            if kind == "stall":
                print_stall(n, records, lines.append)
                continue
            print_table(SCENARIO_TITLES["ten" if kind == "ten" else "load"].format(n=n),
                        kind, records, daemons, lines.append)
            for p in phases:
                print_table(SCENARIO_TITLES[p].format(n=n), p, records, daemons, lines.append)
        report = "\n".join(lines)
        print(report)
        (Path(opts.results) / f"{stamp_s}.txt").write_text(report + "\n")
        print(f"\nraw numbers: {results_path}")
    except KeyboardInterrupt:
        print("\ninterrupted: cleaning up", file=sys.stderr)
        sys.exit(130)
    finally:
        cleanup_all()


if __name__ == "__main__":
    main()
