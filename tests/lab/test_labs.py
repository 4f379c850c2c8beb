"""The labs of labs/ end to end, each run as a copy under a unique name (so a `make demo` lab
left up never clashes): the seed's chain with static routes for the IGPs converges and its PCs
reach each other; the seed's fault-isolation triangle keeps its IBGP session between loopbacks
through a cut while the session between interface addresses dies; the seed's own lab, which
needs OSPF and RIP, fails cleanly with ternd's file:line.

Convergence is bounded by CONVERGE seconds. Today's ternd makes a loopback session's first
connect before its own static routes are in the kernel (ENETUNREACH) and retries only after
ConnectRetry (120 s, jittered): expect about 90-120 s per lab until that is fixed.
"""

import json
import os
import re
import time

import pytest

from conftest import netns_list, netns_pids, root_veths

CONVERGE = 200

ROUTERS = ["R1", "R2", "R3", "R4"]


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def routes(lab, router):
    r = lab.run("exec", lab.node(router), "--", "show", "ip", "route", "json", timeout=20)
    return json.loads(r.stdout)["routes"]


@pytest.mark.parametrize("which", ["bgp-only", "seed"])
def test_lab_converges_pcs_ping_and_down_leaves_nothing(lab, which):
    """labs/bgp-only (static routes for the IGPs) and labs/seed (the seed's lab complete: OSPF
    100 in AS 100, RIP in AS 200, IBGP between loopbacks, EBGP R2-R3): every session
    Established, each PC reaches the other across both ASes, trace shows the five hops, and
    `down` leaves nothing behind. On the seed's lab OSPF's Wait timer (RFC 2328, the 40 s
    dead interval on a broadcast link) comes first."""
    veths_before = root_veths()
    lab.copy(which)
    lab.up()
    pids = [int((lab.state_dir() / f"{r}.pid").read_text()) for r in ROUTERS]
    took = lab.wait_established(ROUTERS, CONVERGE)
    print(f"{which} converged in {took:.1f} s")
    if which == "seed":
        # the IGPs underneath: R1-R2 Full in OSPF, R4 learns R3's loopback by RIP
        assert any(x["code"] == "O" for x in routes(lab, "R1").get("1.1.1.1/32", [])), routes(lab, "R1")
        assert any(x["code"] == "R" for x in routes(lab, "R4").get("3.3.3.3/32", [])), routes(lab, "R4")
    want = {"R1": {"1.1.1.1"}, "R2": {"2.2.2.2", "192.168.2.2"}, "R3": {"4.4.4.4", "192.168.2.1"},
            "R4": {"3.3.3.3"}}
    for r, peers in want.items():
        assert set(lab.sessions(r)) == peers, (r, lab.sessions(r))
    # R1 announces 10/8, R4 11/8; each end learns the other's across both ASes
    for r, prefix, code in (("R1", "11.0.0.0/8", "B"), ("R4", "10.0.0.0/8", "B"),
                            ("R2", "11.0.0.0/8", "B"), ("R3", "10.0.0.0/8", "B")):
        lab_routes = {}
        for _ in range(20):  # the UPDATEs follow the last session by a moment
            lab_routes = routes(lab, r)
            if any(x["code"] == code and x["selected"] for x in lab_routes.get(prefix, [])):
                break
            time.sleep(0.5)
        assert any(x["code"] == code and x["selected"] for x in lab_routes.get(prefix, [])), (r, lab_routes)

    r = lab.run("exec", lab.node("PC1"), "--", "ping", "10.0.0.2", "-c", "3")
    assert r.returncode == 0, r.stdout + r.stderr
    # four routers between the PCs: 64 - 4
    assert len(re.findall(r"^84 bytes from 10\.0\.0\.2 icmp_seq=\d ttl=60 ", r.stdout, re.M)) == 3, r.stdout
    r = lab.run("exec", lab.node("PC2"), "--", "ping", "11.0.0.2", "-c", "2")
    assert r.returncode == 0, r.stdout + r.stderr
    r = lab.run("exec", lab.node("PC1"), "--", "trace", "10.0.0.2")
    assert r.returncode == 0, r.stdout
    hops = [m.group(1) for m in re.finditer(r"^ *\d+ +\*?(\S+) ", r.stdout, re.M)]
    assert hops == ["11.0.0.1", "192.168.3.1", "192.168.2.1", "192.168.1.2", "10.0.0.2"], r.stdout

    r = lab.run("down", lab.name)
    assert r.returncode == 0, r.stderr
    assert lab.namespaces() == [] and not lab.state_dir().exists()
    assert not [n for n in netns_list() if n.startswith(lab.name)]
    assert root_veths() == veths_before
    for _ in range(50):
        if not any(alive(p) for p in pids):
            break
        time.sleep(0.1)
    assert not [p for p in pids if alive(p)], "a ternd survived down"


@pytest.mark.parametrize("backup", ["covering", "floating"])
def test_seed_redundant_loopback_session_survives_a_cut(lab, backup):
    """labs/seed-redundant as it is ("floating": the IOS way, a second static route to the
    loopback through R4 at distance 10), or with that backup written as a covering /24 through
    R4 ("covering": the same two paths without two static routes to one prefix)."""
    lab.copy("seed-redundant")
    if backup == "covering":
        for conf, old, new in (("R1", "ip route 3.3.3.3 255.255.255.255 192.168.14.4 10",
                                "ip route 3.3.3.0 255.255.255.0 192.168.14.4"),
                               ("R3", "ip route 2.2.2.2 255.255.255.255 192.168.34.4 10",
                                "ip route 2.2.2.0 255.255.255.0 192.168.34.4")):
            f = lab.dir / f"{conf}.conf"
            text = f.read_text()
            assert old in text
            f.write_text(text.replace(old, new))
    lab.up()
    took = lab.wait_established(["R1", "R3", "R4"], CONVERGE)
    print(f"seed-redundant ({backup}) converged in {took:.1f} s")
    # over the direct link while it is up
    assert routes(lab, "R1")["3.3.3.3/32"][0]["nexthops"][0]["ip"] == "192.168.13.3"

    def neighbor(router, addr):
        r = lab.run("exec", lab.node(router), "--", "show", "ip", "bgp", "neighbors", addr, "json", timeout=20)
        return json.loads(r.stdout)[addr]

    before = {r: neighbor(r, a)["establishedCount"] for r, a in (("R1", "3.3.3.3"), ("R3", "2.2.2.2"))}
    r = lab.run("link", lab.node("R1") + ":f0/0", "down")
    assert r.returncode == 0, r.stderr
    # the session between interface addresses dies with its link (hold time 9 s)
    # on both ends (each notices at its own hold timer's expiry)
    deadline = time.monotonic() + 30
    while True:
        s1, s3 = lab.sessions("R1"), lab.sessions("R3")
        if s1.get("192.168.13.3") != "Established" and s3.get("192.168.13.1") != "Established":
            break
        if time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert s1["192.168.13.3"] != "Established" and s3["192.168.13.1"] != "Established", (s1, s3)
    # ... while the one between loopbacks never went down: R4 carries it now
    assert s1["3.3.3.3"] == "Established" and s3["2.2.2.2"] == "Established", (s1, s3)
    for (router, addr), count in zip((("R1", "3.3.3.3"), ("R3", "2.2.2.2")), before.values()):
        assert neighbor(router, addr)["establishedCount"] == count, f"{router}'s session to {addr} was reset"
    r = lab.run("exec", lab.node("R1"), "--", "show", "ip", "route", timeout=20)
    assert re.search(r"^S +3\.3\.3\.\d+/\d+ \[\d+/0\] via 192\.168\.14\.4", r.stdout, re.M), r.stdout

    r = lab.run("link", lab.node("R3") + ":f0/0", "up")  # the same cable from the other end
    assert r.returncode == 0, r.stderr
    # the direct path comes back (waited for, not slept on); the session over it comes back at
    # its next ConnectRetry, not waited for here
    deadline = time.monotonic() + 10
    while routes(lab, "R1")["3.3.3.3/32"][0]["nexthops"][0]["ip"] != "192.168.13.3":
        assert time.monotonic() < deadline, routes(lab, "R1")["3.3.3.3/32"]
        time.sleep(0.2)
    assert lab.sessions("R1")["3.3.3.3"] == "Established"


