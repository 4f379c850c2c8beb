"""Connection collisions (RFC 4271 §6.8) between two active Terns started at the same moment.

On a plain veth the first SYN often wins outright (the other Tern's own attempt fails or comes
after the session is up), so a collision happens only in some runs; across a link that delays
every frame by 100 ms both connections are always open at once and the OPENs cross, so nearly
every run is a real collision. In both cases:
  - exactly one session is Established, once on each side, with no drop, and it stays so;
  - both sides agree which connection survived (one says "local", the other "remote");
  - when a collision was resolved, the surviving connection is the one the higher BGP
    Identifier initiated, the collision event names the closed connection accordingly, and the
    side that logged it sent Cease 6/7 (Connection Collision Resolution) on the closed one.
"""

import pytest

from netlab import Tern, pair, slow_pair, stays, subset, wait_subset


def _ip_key(addr):
    return tuple(int(x) for x in addr.split("."))


def _neighbors(peer_addr, peer_as):
    return [{"neighbor": peer_addr, "remote_as": peer_as, "timers": (1, 3), "connect": 1}]


def run_collisions(lab, a, b, runs):
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
        first.start(wait=False)
        second.start(wait=False)
        try:
            first.wait_ready()
            second.wait_ready()
            higher, lower = (ta, tb) if _ip_key(ta.router_id) > _ip_key(tb.router_id) else (tb, ta)
            h_peer = "10.0.0.2" if higher is ta else "10.0.0.1"
            l_peer = "10.0.0.1" if higher is ta else "10.0.0.2"
            want = {"state": "Established", "establishedCount": 1, "droppedCount": 0}
            nh = wait_subset(lambda: higher.neighbor(h_peer), want, timeout=20,
                             desc=f"run {i}: {higher.name} Established")
            nl = wait_subset(lambda: lower.neighbor(l_peer), want, timeout=10,
                             desc=f"run {i}: {lower.name} Established")
            # one and the same TCP connection seen from both ends
            assert {nh["connectionInitiatedBy"], nl["connectionInitiatedBy"]} == \
                {"local", "remote"}, (i, nh, nl)
            assert (nh["localPort"], nh["remotePort"]) == (nl["remotePort"], nl["localPort"])
            assert nh["remoteRouterId"] == lower.router_id
            assert nl["remoteRouterId"] == higher.router_id
            stays(lambda: subset(higher.neighbor(h_peer), want)
                  and subset(lower.neighbor(l_peer), want), 1.0, desc=f"run {i}: stable")

            collided = False
            for t, p, closed in ((higher, h_peer, "remote"), (lower, l_peer, "local")):
                msgs = t.messages(p)
                cols = [m for m in msgs if m.get("type") == "collision"]
                if not cols:
                    continue
                collided = True
                assert all(m.get("closed") == closed for m in cols), (i, t.name, cols)
                cease = [m for m in msgs if m.get("type") == "notification"
                         and m.get("direction") == "sent"
                         and (m.get("code"), m.get("subcode")) == (6, 7)]
                assert cease, (i, t.name, "collision without a Cease 6/7 sent", msgs)
            if collided:
                collided_runs += 1
                # RFC 4271 §6.8: the connection initiated by the higher identifier survives
                assert nh["connectionInitiatedBy"] == "local", (i, nh)
                assert nl["connectionInitiatedBy"] == "remote", (i, nl)
                assert nh["remotePort"] == 179 and nl["localPort"] == 179, (i, nh, nl)
        finally:
            for t in (ta, tb):
                t.stop()
    print(f"{collided_runs} of {runs} runs had a collision")
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
