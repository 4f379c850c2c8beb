"""Connection collisions (RFC 4271 §6.8) between two active Terns started at the same moment."""

from netlab import Tern, pair, stays, subset, wait_subset

RUNS = 20


def _ip_key(addr):
    return tuple(int(x) for x in addr.split("."))


def _conf(rid, peer_addr, peer_as):
    return [{"neighbor": peer_addr, "remote_as": peer_as, "timers": (1, 3), "connect": 1}]


def test_collision_higher_identifier_wins(lab, need):
    """20 simultaneous starts of two active Terns with 1 s connect timers. Each time exactly one
    session is Established (once on each side, no drop), the connection that survives is the one
    the higher BGP Identifier opened (`connectionInitiatedBy` is "local" there and "remote" on
    the other side), and whenever a side logs a collision it closed the connection the lower
    identifier opened and sent Cease 6/7 on it."""
    need("ternd", "ternc")
    a, b = pair(lab)
    # two identities per side, so the higher identifier alternates between a and b
    terns = {
        ("a", "low"): Tern(a, "10.0.0.1", 65001, _conf("10.0.0.1", "10.0.0.2", 65002),
                           name="a-low", start=False),
        ("a", "high"): Tern(a, "10.9.9.9", 65001, _conf("10.9.9.9", "10.0.0.2", 65002),
                            name="a-high", start=False),
        ("b", "low"): Tern(b, "10.0.0.2", 65002, _conf("10.0.0.2", "10.0.0.1", 65001),
                           name="b-low", start=False),
        ("b", "high"): Tern(b, "10.9.9.10", 65002, _conf("10.9.9.10", "10.0.0.1", 65001),
                            name="b-high", start=False),
    }
    collisions = 0
    for i in range(RUNS):
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
            assert nh["connectionInitiatedBy"] == "local", (i, nh)
            assert nl["connectionInitiatedBy"] == "remote", (i, nl)
            assert nh["remotePort"] == 179 and nl["localPort"] == 179, (i, nh, nl)
            assert (nh["localPort"], nh["remoteRouterId"]) == (nl["remotePort"], lower.router_id)
            # one session, and it stays the only one
            stays(lambda: subset(higher.neighbor(h_peer), want)
                  and subset(lower.neighbor(l_peer), want), 1.0, desc=f"run {i}: stable")

            for t, p, closed in ((higher, h_peer, "remote"), (lower, l_peer, "local")):
                msgs = t.messages(p)
                cols = [m for m in msgs if m.get("type") == "collision"]
                if not cols:
                    continue
                collisions += 1
                assert all(m.get("closed") == closed for m in cols), (i, t.name, cols)
                cease = [m for m in msgs if m.get("type") == "notification"
                         and m.get("direction") == "sent"
                         and (m.get("code"), m.get("subcode")) == (6, 7)]
                assert cease, (i, t.name, "collision without a Cease 6/7 sent", msgs)
        finally:
            for t in (ta, tb):
                t.stop()
    print(f"{collisions} collision(s) resolved in {RUNS} runs")
