#!/usr/bin/python3
"""The differential check of issue 12: the same scripted scenarios on the pre-refactor build
(tests/diff/REFERENCE, built into build-ref/) and on HEAD's build, compared after
normalisation. See tests/diff/README.md.

    diffcheck.py [--small] [--prefixes N] [--ten-prefixes N] [--seeds N] [--only A,B]
                 [--head-build DIR] [--ref-dir DIR]

Exit status 0 only if every scenario ran on both builds and gave the same results. The last
line is "diffcheck: N passed, N failed, N skipped" (one count per scenario). Runs as root
(network namespaces); Debian's /usr/bin/python3, standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "tests" / "net"))

import bgp_peer  # noqa: E402
import compare  # noqa: E402

# What the reference build needs: the daemon, the shell, the lab tool, the bench speakers and
# the session simulation's trace printer (tests/diff/meson.build, injected into the tree).
TARGETS = ["ternd", "ternc", "tern-lab", "bench/feeder", "bench/monitor", "tests/diff/sim_trace"]

DAEMON_AS, MONITOR_AS, PEER2_AS, FEEDER_AS = 65000, 65200, 65300, 65101
DAEMON_F, DAEMON_M, MONITOR_ADDR, PEER2_ADDR = "10.1.0.1", "10.2.0.1", "10.2.0.2", "10.2.0.3"


class CheckError(Exception):
    """A scenario that could not be run to the end on one build (not a difference)."""


def log(text):
    print(text, flush=True)


def sh(cmd, check=True, **kw):
    r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)
    if check and r.returncode != 0:
        raise CheckError(f"{' '.join(map(str, cmd))} -> {r.returncode}\n{r.stdout[-3000:]}{r.stderr[-3000:]}")
    return r


# ----------------------------------------------------------------------------------------------
# the two builds

def reference_commit():
    commit = (HERE / "REFERENCE").read_text().split()[0]
    r = sh(["git", "-C", REPO, "rev-parse", "--verify", "--quiet", f"{commit}^{{commit}}"], check=False)
    if r.returncode != 0:
        raise CheckError(
            f"the reference commit {commit} (tests/diff/REFERENCE, tag "
            f"pre-refactor) is not in this repository; fetch it (git fetch --tags, or a full "
            f"clone instead of a shallow one). Nothing was compared.")
    return r.stdout.strip()


def build_reference(ref_dir: Path, jobs: int):
    """Extracts the reference commit with git archive into REF_DIR/src, adds the trace printer
    of tests/diff to it, configures it as `make build` does (plain `meson setup`) and builds
    only the targets the scenarios run."""
    commit = reference_commit()
    src, build = ref_dir / "src", ref_dir / "build"
    stamp = ref_dir / "commit"
    t0 = time.monotonic()
    if not stamp.exists() or stamp.read_text().strip() != commit or not src.exists():
        shutil.rmtree(ref_dir, ignore_errors=True)
        src.mkdir(parents=True)
        archive = subprocess.Popen(["git", "-C", str(REPO), "archive", commit], stdout=subprocess.PIPE)
        subprocess.run(["tar", "-x", "-C", str(src)], stdin=archive.stdout, check=True)
        if archive.wait() != 0:
            raise CheckError(f"git archive {commit} failed")
        stamp.write_text(commit + "\n")
    # The trace printer is ours, not the reference's: the same file goes into both trees.
    (src / "tests" / "diff").mkdir(parents=True, exist_ok=True)
    for f in ("meson.build", "sim_trace.c"):
        data = (HERE / f).read_bytes()
        dst = src / "tests" / "diff" / f
        if not dst.exists() or dst.read_bytes() != data:
            dst.write_bytes(data)
    top = src / "meson.build"
    text = top.read_text()
    if "subdir('tests/diff')" not in text:
        top.write_text(text + "subdir('tests/diff')\n")
    if not (build / "build.ninja").exists():
        sh(["meson", "setup", build, src])
    sh(["ninja", "-C", build, f"-j{jobs}", *TARGETS])
    log(f"reference {commit[:12]} built in {build} ({time.monotonic() - t0:.1f} s)")
    return build


def build_head(build: Path, jobs: int):
    if not (build / "build.ninja").exists():
        sh(["meson", "setup", build, REPO])
    sh(["ninja", "-C", build, f"-j{jobs}", *TARGETS])
    return build


# ----------------------------------------------------------------------------------------------
# collecting from a running ternd

def ternc_json(build, sock, *cmd):
    r = sh([build / "ternc", "-s", sock, "show", *cmd, "json"], timeout=120)
    try:
        return json.loads(r.stdout)
    except json.JSONDecodeError as e:
        raise CheckError(f"show {' '.join(cmd)} json is not JSON ({e}): {r.stdout[:500]}") from None


def state_of(build, sock, ns_name, paths_arrive_in_any_order=False):
    """show ip bgp json, show ip route json and the namespace's kernel FIB, normalised. Where
    several peers' paths for one prefix arrive in an order that depends on timing (ten
    feeders), the candidate paths are compared best first, then by peer: show prints them in
    arrival order, which the check must not see."""
    fib = sh(["ip", "-n", ns_name, "-j", "route", "show", "table", "main"]).stdout
    bgp = compare.normalise(ternc_json(build, sock, "ip", "bgp"))
    if paths_arrive_in_any_order:
        for prefix, paths in bgp.get("routes", {}).items():
            if isinstance(paths, list):
                paths.sort(key=lambda p: (not p.get("best"), str(p.get("peer"))))
    return {"show ip bgp json": bgp,
            "show ip route json": compare.normalise(ternc_json(build, sock, "ip", "route")),
            "kernel FIB (ip -j route)": compare.kernel_routes(fib)}


def wait(fn, timeout, what):
    """netlab.wait_until, its timeout a CheckError (the scenario could not run)."""
    import netlab
    try:
        return netlab.wait_until(fn, timeout, desc=what)
    except netlab.WaitTimeout as e:
        raise CheckError(str(e)) from None


# ----------------------------------------------------------------------------------------------
# scenario: the benchmark feeder's table through ternd to two scripted peers

def peer2_routes():
    """What the second scripted peer announces: few routes, varied attributes (MED,
    communities, AS_SET, ATOMIC_AGGREGATE and AGGREGATOR, large communities, an unknown
    optional transitive and an unknown optional non-transitive attribute, a default route)."""
    a, P = bgp_peer.attr, bgp_peer.update
    nh = a(3, bytes(map(int, PEER2_ADDR.split("."))))
    path = lambda *asns, t=2: a(2, bytes([t, len(asns)]) + b"".join(x.to_bytes(4, "big") for x in asns))  # noqa: E731
    igp, inc = a(1, b"\x00"), a(1, b"\x02")
    return [
        P(["192.0.2.0/24"], igp + path(PEER2_AS) + nh + a(4, (5).to_bytes(4, "big")) +
          a(8, bytes.fromhex("ff1c0001ff1c0002"), 0xC0)),
        P(["198.51.100.0/24", "198.51.100.128/25"], inc + path(PEER2_AS, 64512, 64513) + nh +
          a(6, b"") + a(7, (64513).to_bytes(4, "big") + bytes([10, 9, 9, 9]), 0xC0) +
          a(32, (65300).to_bytes(4, "big") + (1).to_bytes(4, "big") + (2).to_bytes(4, "big"), 0xC0)),
        P(["203.0.113.0/26"], igp + a(2, bytes([2, 1]) + PEER2_AS.to_bytes(4, "big") +
                                        bytes([1, 2]) + (64600).to_bytes(4, "big") +
                                        (64601).to_bytes(4, "big")) + nh),
        P(["203.0.113.64/26"], igp + path(PEER2_AS) + nh + a(99, b"opaque", 0xC0) + a(98, b"xx", 0x80)),
        P(["0.0.0.0/0", "100.64.0.0/10"], a(1, b"\x01") + path(PEER2_AS, PEER2_AS) + nh),
    ]


def peer2_withdrawal():
    """Sent once the monitor holds all of peer2_routes(): in one batch with the announcement
    the daemon may or may not pass the route on first, a timing the check must not see."""
    return [bgp_peer.update([], b"", ["198.51.100.128/25"]), bgp_peer.msg(bgp_peer.UPDATE, b"\x00\x00\x00\x00")]


PEER2_HELD = 6  # prefixes peer 2 still announces after its own withdrawal


def feeder_scenario(build, n, nfeeders, drop, quiet):
    import netlab
    netlab.TERN_BUILD = build
    lab = netlab.Lab(f"diff-feed{nfeeders}")
    peers = []
    try:
        f, d, m = lab.netns("f"), lab.netns("d"), lab.netns("m")
        lab.link(f, d, None, f"{DAEMON_F}/24", name_a="f0", name_b="d0")
        for k in range(nfeeders):
            f.addr("f0", f"10.1.0.{11 + k}/24")
        lab.link(d, m, f"{DAEMON_M}/24", f"{MONITOR_ADDR}/24", name_a="d1", name_b="m0")
        m.addr("m0", f"{PEER2_ADDR}/24")
        conf = ["hostname dut", "route-map NONE deny 10", "route-map PEER2 permit 10",
                " set metric 77", f"router bgp {DAEMON_AS}", f" bgp router-id {DAEMON_F}"]
        for k in range(nfeeders):
            conf += [f" neighbor 10.1.0.{11 + k} remote-as {FEEDER_AS + k}",
                     f" neighbor 10.1.0.{11 + k} transport connection-mode passive",
                     f" neighbor 10.1.0.{11 + k} route-map NONE out"]
        conf += [f" neighbor {MONITOR_ADDR} remote-as {MONITOR_AS}",
                 f" neighbor {MONITOR_ADDR} transport connection-mode passive",
                 f" neighbor {PEER2_ADDR} remote-as {PEER2_AS}",
                 f" neighbor {PEER2_ADDR} transport connection-mode passive",
                 f" neighbor {PEER2_ADDR} route-map PEER2 out"]
        tern = netlab.Tern(d, DAEMON_F, DAEMON_AS, [], name="dut", config="\n".join(conf) + "\n")
        mon = bgp_peer.Peer(m, MONITOR_ADDR, DAEMON_M, MONITOR_AS, "10.2.0.2")
        p2 = bgp_peer.Peer(m, PEER2_ADDR, DAEMON_M, PEER2_AS, "10.2.0.3", announce=peer2_routes())
        peers = [mon, p2]
        for p in peers:
            p.start()
        for p in peers:
            p.wait_established()
        wait(lambda: mon.count() == PEER2_HELD + 1, 20, "peer 2's routes at the monitor")
        for m_ in peer2_withdrawal():
            p2.send(m_)
        wait(lambda: mon.count() == PEER2_HELD, 20, "peer 2's withdrawal at the monitor")
        feeders = []
        for k in range(nfeeders):
            feeders.append(f.popen(f"feeder{k}", [
                build / "bench" / "feeder", "--connect", DAEMON_F, "--source", f"10.1.0.{11 + k}",
                "--as", FEEDER_AS + k, "-n", n, "--prefix-seed", 20240801, "--path-seed", 7,
                "--timeout", 120], stdin=subprocess.PIPE, check_exit=True))
        sent_timeout = 60 + n * nfeeders / 2000
        for fd in feeders:
            wait(lambda fd=fd: "sent " in Path(fd.log_out).read_text(errors="replace"), sent_timeout,
                 f"{fd.name} to send its table")
        total = n + PEER2_HELD

        def settled():
            return mon.count() == total and p2.count() == n and \
                min(mon.quiet_for(), p2.quiet_for()) > quiet
        try:
            wait(settled, sent_timeout, "the peers' tables")
        except CheckError as e:
            s = ternc_json(build, tern.sock, "ip", "bgp", "summary")
            raise CheckError(f"{e}: monitor holds {mon.count()} of {total}, peer 2 {p2.count()} "
                             f"of {n}; ternd's summary: {json.dumps(s)[:1500]}") from None
        out = {"load": {"wire to monitor (AS 65200)": mon.mark(),
                        "wire to peer 2 (AS 65300, route-map PEER2 out)": p2.mark(),
                        **state_of(build, tern.sock, d.name, nfeeders > 1)}}
        if drop:
            feeders[0].popen.stdin.write(b"drop\n")
            feeders[0].popen.stdin.flush()
            dropped = f"{DAEMON_AS} {FEEDER_AS}"

            def gone():
                if min(mon.quiet_for(), p2.quiet_for()) <= quiet:
                    return False
                with mon.lock:
                    if any(f"({dropped}" in a for a in mon.table.values()):
                        return False
                s = ternc_json(build, tern.sock, "ip", "bgp", "summary")
                return s.get("peers", {}).get("10.1.0.11", {}).get("state") != "Established"
            wait(gone, 60 + n / 2000, "the dropped feeder's routes to go")
            feeders[0].stopped = True
            out["drop"] = {"wire to monitor (AS 65200)": mon.mark(),
                           "wire to peer 2 (AS 65300, route-map PEER2 out)": p2.mark(),
                           **state_of(build, tern.sock, d.name, nfeeders > 1)}
        for p in peers:
            if p.error:
                raise CheckError(f"scripted peer {p.local}: {p.error}")
        return out
    except netlab.WaitTimeout as e:
        raise CheckError(str(e)) from None
    finally:
        for p in peers:
            p.stop()
        errors = lab.cleanup()
        if errors:
            log(f"  cleanup: {errors} (logs in {lab.logdir})")


# ----------------------------------------------------------------------------------------------
# scenario: a lab of tern-lab (labs/bgp-only, labs/seed)

def lab_scenario(build, lab_dir, timeout, quiet):
    """tern-lab up on a copy of the lab renamed for this run; once every session is Established
    and the state stays the same for `quiet` seconds, each router's state."""
    name = f"dif{os.getpid() % 100000}"
    tmp = Path(tempfile.mkdtemp(prefix="tern-diff-lab-"))
    os.chmod(tmp, 0o755)
    work = tmp / lab_dir.name
    shutil.copytree(lab_dir, work)
    topo = work / "topology.yml"
    # Both builds run HEAD's lab, renamed; `capture:` (packet captures of the links, which the
    # reference's tern-lab does not know) is taken out: it observes, it routes nothing.
    lines = [ln for ln in topo.read_text().splitlines()
             if not ln.startswith("name:") and not ln.startswith("capture:")]
    topo.write_text(f"name: {name}\n" + "\n".join(lines) + "\n")
    routers = [ln.split(":")[0].strip() for ln in lines if "kind: router" in ln]
    env = dict(os.environ, TERN_BUILD=str(build))
    lab_tool = build / "tern-lab"
    try:
        sh([lab_tool, "up", work], env=env, timeout=120)
        run_dir = Path("/run/tern-lab") / name

        def snapshot():
            snap = {}
            for r in routers:
                sock = run_dir / f"{r}.sock"
                summary = ternc_json(build, sock, "ip", "bgp", "summary")
                states = [p.get("state") for p in summary.get("peers", {}).values()]
                if not states or any(s != "Established" for s in states):
                    return None
                snap[r] = state_of(build, sock, f"{name}-{r}")
            return snap
        deadline = time.monotonic() + timeout
        last, since = None, time.monotonic()
        while True:
            try:
                snap = snapshot()
            except CheckError:
                snap = None
            if snap is None or snap != last:
                last, since = snap, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return snap
            if time.monotonic() > deadline:
                raise CheckError(f"{lab_dir.name}: not converged and steady within {timeout} s")
            time.sleep(0.5)
    finally:
        sh([lab_tool, "down", name], env=env, check=False, timeout=60)
        shutil.rmtree(tmp, ignore_errors=True)


# ----------------------------------------------------------------------------------------------
# scenario: the session simulation's traces

def sim_scenario(build, seeds):
    r = sh([build / "tests" / "diff" / "sim_trace", "1", str(seeds)], timeout=600)
    return {"traces": r.stdout.splitlines()}


# ----------------------------------------------------------------------------------------------
# scenario: the fuzz corpus of the stateful session target, replayed into ternd

def fuzz_session_scenario(build, quiet, every=1):
    """Each input of tests/fuzz/corpus/bgp_session (records: type, length, body; see
    fuzz_bgp_session.c) is replayed by a scripted EBGP peer into a fresh ternd that also has an
    IBGP observer, as the fuzz target does in process. Compared: what ternd answers the fuzzed
    peer (NOTIFICATIONs, whether it closes), what the observer receives, show ip bgp json."""
    import netlab
    netlab.TERN_BUILD = build
    corpus = sorted((REPO / "tests" / "fuzz" / "corpus" / "bgp_session").iterdir())[::every]
    results = {}
    for path in corpus:
        data = path.read_bytes()
        lab = netlab.Lab(f"diff-fuzz-{path.name[:12]}")
        peers = []
        try:
            d, p = lab.netns("d"), lab.netns("p")
            # the corpus's routes have NEXT_HOP 192.0.2.2 (IPv6: 2001:db8::2), the fuzzed peer's
            # address on a second link, so that they resolve and pass on to the observer
            lab.link(d, p, "10.3.0.1/24", "10.3.0.2/24", name_a="d0", name_b="p0")
            p.addr("p0", "10.3.0.3/24")
            lab.link(d, p, "192.0.2.1/24", "192.0.2.2/24", name_a="d1", name_b="p1")
            d.addr("d1", "2001:db8::1/64")
            p.addr("p1", "2001:db8::2/64")
            # fuzz_bgp_session.c's configuration, on these addresses
            conf = ["hostname fz", "ip route 10.9.0.0 255.255.0.0 192.0.2.2", "router bgp 65001",
                    " bgp router-id 10.0.0.1",
                    " neighbor 10.3.0.2 remote-as 65002",
                    " neighbor 10.3.0.2 transport connection-mode passive",
                    " neighbor 10.3.0.3 remote-as 65001",
                    " neighbor 10.3.0.3 transport connection-mode passive",
                    " network 10.9.0.0 mask 255.255.0.0"]
            tern = netlab.Tern(d, "10.0.0.1", 65001, [], name="fz", config="\n".join(conf) + "\n")
            obs = bgp_peer.Peer(p, "10.3.0.3", "10.3.0.1", 65001, "10.3.0.3")
            fz = bgp_peer.Peer(p, "10.3.0.2", "10.3.0.1", 65002, "10.3.0.2")
            peers = [obs, fz]
            for x in peers:
                x.start()
            for x in peers:
                x.wait_established()
            i = 0
            while i + 3 <= len(data):
                t, length = data[i], int.from_bytes(data[i + 1:i + 3], "big")
                body = data[i + 3:i + 3 + length]
                i += 3 + length
                raw = body if t & 0x80 else bgp_peer.msg(t & 0x7F, body)
                try:
                    fz.send(raw)
                except OSError:
                    break
                time.sleep(0.02)
            wait(lambda: min(obs.quiet_for(), fz.quiet_for()) > quiet, 30, "quiet")
            results[path.name] = {"to the fuzzed peer": fz.mark(), "to the observer": obs.mark(),
                                  **state_of(build, tern.sock, d.name)}
        finally:
            for x in peers:
                x.stop()
            lab.cleanup()
    return results


# ----------------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--small", action="store_true", help="the form make check runs")
    ap.add_argument("--prefixes", type=int, help="one feeder's table (full: 100000, small: 2000)")
    ap.add_argument("--ten-prefixes", type=int, help="each of ten feeders' table (full: 20000, small: 300)")
    ap.add_argument("--seeds", type=int, help="session simulation seeds (full: 4000, small: 300)")
    ap.add_argument("--only", help="comma-separated scenario names")
    ap.add_argument("--head-build", default=str(REPO / "build"))
    ap.add_argument("--ref-dir", default=str(REPO / "build-ref"))
    ap.add_argument("--jobs", type=int, default=2)
    o = ap.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("diffcheck: needs root (network namespaces)")
    n1 = o.prefixes or (2000 if o.small else 100000)
    n10 = o.ten_prefixes or (300 if o.small else 20000)
    seeds = o.seeds or (300 if o.small else 4000)
    quiet = 0.6 if o.small else 2.0
    compare.self_test()
    log("comparator self test passed")
    scenarios = [
        (f"one feeder, {n1} prefixes, then it drops", lambda b: feeder_scenario(b, n1, 1, True, quiet)),
        (f"ten feeders, {n10} prefixes each, then one drops", lambda b: feeder_scenario(b, n10, 10, True, quiet)),
        ("labs/bgp-only through tern-lab", lambda b: lab_scenario(b, REPO / "labs" / "bgp-only", 60, 2.0)),
        (f"session simulation traces, seeds 1..{seeds}", lambda b: sim_scenario(b, seeds)),
        ("fuzz corpus bgp_session replayed into ternd" + (", every fourth input" if o.small else ""),
         lambda b: fuzz_session_scenario(b, 0.4, 4 if o.small else 1)),
    ]
    if not o.small:
        scenarios.insert(3, ("labs/seed through tern-lab", lambda b: lab_scenario(b, REPO / "labs" / "seed", 150, 3.0)))
    if o.only:
        want = o.only.split(",")
        scenarios = [s for s in scenarios if any(w in s[0] for w in want)]
    try:
        ref = build_reference(Path(o.ref_dir), o.jobs)
        head = build_head(Path(o.head_build).resolve(), o.jobs)
    except (CheckError, subprocess.CalledProcessError) as e:
        log(f"FAIL  building the reference or HEAD: {e}")
        log(f"diffcheck: 0 passed, {len(scenarios)} failed, 0 skipped")
        return 1
    import netlab
    netlab.sweep_stale()
    netlab.RUN_DIR.mkdir(parents=True, exist_ok=True)
    passed = failed = skipped = 0
    for title, fn in scenarios:
        t0 = time.monotonic()
        try:
            r = compare.normalise(fn(ref))
            h = compare.normalise(fn(head))
        except CheckError as e:
            failed += 1
            log(f"FAIL  {title}: could not run: {e}")
            continue
        diffs = compare.report(r, h)
        if diffs:
            failed += 1
            log(f"FAIL  {title}: the reference and HEAD differ ({time.monotonic() - t0:.1f} s):")
            for line in diffs:
                log(f"        {line}")
        else:
            passed += 1
            log(f"same  {title} ({time.monotonic() - t0:.1f} s)")
    if failed == 0:
        shutil.rmtree(netlab.RUN_DIR, ignore_errors=True)  # the logs are for reading a failure
    else:
        log(f"the logs of the scenarios are kept in {netlab.RUN_DIR}")
    log(f"diffcheck: {passed} passed, {failed} failed, {skipped} skipped")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
