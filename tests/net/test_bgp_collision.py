"""Connection collisions (RFC 4271 §6.8), judged from the wire (collision_helpers.judge).

On a plain veth the first SYN often wins outright (the other side's own attempt comes after
the session is up), so a collision happens only in some runs; across a link that delays every
frame by 100 ms both connections are open at once and the OPENs cross, so most runs are real
collisions. Every run, from a capture of the link decoded independently of Tern:
  - exactly one session, Established once on each side, on one TCP connection, the only BGP
    connection left, and it stays so;
  - no NOTIFICATION but Cease 6/7;
  - when OPENs crossed on two connections, the surviving connection is the one the higher
    BGP Identifier initiated and the other carried a Cease 6/7.
Tern's own message log must agree (its collision event names the closed connection).
Default timers throughout (ConnectRetry 120 s): a collision that lost both connections would
show as a session missing for two minutes, not as a quick retry.

With BIRD and FRR, the collision is made on purpose: the peer starts first, and Tern starts the
moment the peer's SYN is seen on the slow link, so both connections are in flight together.
"""

import time

import pytest

from collision_helpers import _key, established_179, judge, judge_tern_and_peer, start_ibgp_or_ebgp_peer, tern_view
from netlab import Tern, TcpCapture, pair, slow_pair, stays, subset, wait_subset, wait_until
from routes_helpers import BgpCapture


def _neighbors(peer_addr, peer_as):
    return [{"neighbor": peer_addr, "remote_as": peer_as}]


def run_collisions(lab, a, b, runs, ifname="eth0"):
    # two identities per side, so that the higher identifier alternates between a and b
    terns = {
        ("a", "low"): Tern(a, "10.0.0.1", 65001, _neighbors("10.0.0.2", 65002),
                           name="a-low", start=False),
        ("a", "high"): Tern(a, "10.9.9.9", 65001, _neighbors("10.0.0.2", 65002),
                            name="a-high", start=False),
        ("b", "low"): Tern(b, "10.0.0.2", 65002, _neighbors("10.0.0.1", 65001),
                           name="b-low", start=False),
        ("b", "high"): Tern(b, "10.9.9.10", 65002, _neighbors("10.0.0.1", 65001),
                            name="b-high", start=False),
    }
    collided_runs = 0
    for i in range(runs):
        # a has the higher identifier on even runs; the start order alternates every two runs
        ta = terns[("a", "high" if i % 2 == 0 else "low")]
        tb = terns[("b", "low" if i % 2 == 0 else "high")]
        first, second = (ta, tb) if (i // 2) % 2 == 0 else (tb, ta)
        cap = BgpCapture(a, ifname)
        first.start(wait=False)
        second.start(wait=False)
        try:
            first.wait_ready()
            second.wait_ready()
            higher, lower = (ta, tb) if _key(ta.router_id) > _key(tb.router_id) else (tb, ta)
            h_peer = "10.0.0.2" if higher is ta else "10.0.0.1"
            l_peer = "10.0.0.1" if higher is ta else "10.0.0.2"
            want = {"state": "Established", "establishedCount": 1, "droppedCount": 0}
            wait_subset(lambda: higher.neighbor(h_peer), want, timeout=10,
                        desc=f"run {i}: {higher.name} Established")
            wait_subset(lambda: lower.neighbor(l_peer), want, timeout=10,
                        desc=f"run {i}: {lower.name} Established")
            wait_until(lambda: len(established_179(a)) == 1, 5, desc=f"run {i}: one TCP connection left")
            stays(lambda: subset(higher.neighbor(h_peer), want)
                  and subset(lower.neighbor(l_peer), want), 1.0, desc=f"run {i}: stable")
            views = {"10.0.0.1": tern_view(ta, "10.0.0.2"), "10.0.0.2": tern_view(tb, "10.0.0.1")}
            high_addr = "10.0.0.1" if higher is ta else "10.0.0.2"
            low_addr = "10.0.0.2" if higher is ta else "10.0.0.1"
            crossed = judge(cap, views, high_addr, low_addr, i)
            # Tern's log agrees with the wire
            for t, p, closed in ((higher, h_peer, "remote"), (lower, l_peer, "local")):
                cols = [m for m in t.messages(p) if m.get("type") == "collision"]
                assert all(m.get("closed") == closed for m in cols), (i, t.name, cols)
            if crossed:
                collided_runs += 1
        finally:
            for t in (ta, tb):
                t.stop()
            cap.stop()
    print(f"{collided_runs} of {runs} runs had OPENs crossed on two connections")
    return collided_runs


def test_collision_simultaneous_start(lab, need):
    """20 simultaneous starts on a plain veth (whatever happens, the rules above hold)."""
    need("tern")
    a, b = pair(lab)
    run_collisions(lab, a, b, 20)


@pytest.mark.parametrize("delay", [0.1])
def test_collision_slow_link(lab, need, delay):
    """10 simultaneous starts across a link with `delay` seconds each way: the OPENs cross, so
    most runs must be real collisions, each resolved in favour of the higher identifier."""
    need("tern")
    a, b = slow_pair(lab, delay)
    runs = 10
    collided = run_collisions(lab, a, b, runs)
    assert collided >= runs // 2, f"only {collided} of {runs} runs collided"


@pytest.mark.parametrize("kind", ["bird", "frr"])
def test_collision_with_peer(lab, need, kind):
    """Crossed OPENs with BIRD or FRR: the peer connects first over a link that delays every
    frame by 300 ms, and Tern starts the moment the peer's SYN is on the wire. Both sides must
    keep the connection the higher identifier initiated, whichever side that is."""
    need("tern", kind)
    a, b = slow_pair(lab, 0.3)
    runs = 4
    collided = 0
    for i in range(runs):
        tern_high = i % 2 == 0
        rid_tern, rid_peer = ("10.9.9.9", "10.0.0.9") if tern_high else ("10.0.0.9", "10.9.9.9")
        syns = TcpCapture(b, "eth0")
        cap = BgpCapture(a, "eth0")
        tern = Tern(a, rid_tern, 65001, _neighbors("10.0.0.2", 65002), name=f"tern{i}", start=False)
        peer = None
        try:
            # BIRD: connect delay 1 s instead of 5 s, so the round does not wait for it
            peer = start_ibgp_or_ebgp_peer(kind, b, rid_peer, 65002, "10.0.0.1", 65001, "10.0.0.2",
                                           f"{kind}{i}", extra_bird="  connect delay time 1;\n")
            wait_until(lambda: syns.syns(src="10.0.0.2"), 15, interval=0.01, desc=f"round {i}: the peer's SYN")
            tern.start(wait=False)
            wait_until(lambda: tern.responsive() and tern.neighbor("10.0.0.2")["state"] == "Established"
                       and peer.established("10.0.0.1"), 15, interval=0.05,
                       desc=f"round {i}: both Established")
            if judge_tern_and_peer(tern, peer, cap, "10.0.0.1", "10.0.0.2", tern_high, i, a):
                collided += 1
        finally:
            tern.stop()
            if peer:
                peer.stop()
            cap.stop()
            syns.stop()
    print(f"{collided} of {runs} rounds with {kind} had OPENs crossed on two connections")
    assert collided >= 1, f"no round with {kind} was a real collision"
