"""Which live changes of a BGP neighbour reset its session, and which do not.

Two ternd, eBGP over one link. Each change is typed into R1 at run time; R2's view of the
session (established and dropped counts) says whether R1 closed it. The configuration's
descriptors say what each setting needs (src/config/config_bgp_neighbor.c: RESET for what
the OPEN or the TCP connection carries, REFRESH for policy bindings, IN_PLACE for the rest),
and bgp_speaker_configure resets exactly when they say so: these cases pin today's behaviour
end to end (tests/unit/test_config_reconfigure.c pins every setting in the model)."""

from netlab import pair, start_peer, stays, wait_subset, wait_until

PEER = "10.0.0.2"


def _counts(r2):
    n = r2.neighbor("10.0.0.1")
    return n.get("state"), n.get("establishedCount"), n.get("droppedCount")


def test_neighbor_changes_reset_or_not(lab, need):
    need("ternd", "ternc")
    a, b = pair(lab)
    r1 = start_peer("tern", a, "10.0.0.1", 65001, PEER, 65002, name="R1", connect=1)
    r2 = start_peer("tern", b, "10.0.0.2", 65002, "10.0.0.1", 65001, name="R2", connect=1)
    r1.wait_established(PEER)
    wait_subset(lambda: r2.neighbor("10.0.0.1"), {"state": "Established", "establishedCount": 1,
                                                   "droppedCount": 0})
    r1.configure("exit", "route-map RM permit 10", "exit", f"router bgp 65001")

    # in place, or a refresh: the session stays
    for line in (f"neighbor {PEER} description to R2", f"neighbor {PEER} route-map RM in",
                 f"neighbor {PEER} route-map RM out", f"neighbor {PEER} next-hop-self",
                 f"neighbor {PEER} timers connect 2", f"neighbor {PEER} maximum-prefix 1000",
                 "timers bgp 20 60"):
        before = _counts(r2)
        r1.configure(line)
        assert line in r1.ternc("show", "running-config").stdout
        stays(lambda b=before: _counts(r2) == b, 2, desc=f"'{line}' keeps the session")

    # reset: R1 closes the session (Cease), and it comes up again
    for line in (f"neighbor {PEER} ebgp-multihop 2", f"neighbor {PEER} disable-connected-check",
                 f"neighbor {PEER} transport connection-mode passive",
                 f"neighbor {PEER} update-source 10.0.0.1"):
        _, established, dropped = _counts(r2)
        r1.configure(line)
        wait_until(lambda d=dropped: (_counts(r2)[2] or 0) > d, 10, desc=f"'{line}' resets the session")
        wait_until(lambda e=established: _counts(r2)[0] == "Established" and _counts(r2)[1] > e, 30,
                   desc=f"the session up again after '{line}'")
        last = r1.neighbor(PEER)
        assert r1.established(PEER), last
