"""soft-reconfiguration inbound and received-routes, in network namespaces (issue 12).

    b1 (BIRD, 10.0.1.2, AS 65002) ---- t (Tern, 10.0.1.1, AS 65001)

b1 announces 10.60.0.0/16 and 10.61.0.0/16; t's `route-map IN` in from b1 denies 10.61/16
(`deny 10` matching prefix-list BLOCK, then `permit 20`).

With `neighbor 10.0.1.2 soft-reconfiguration inbound`: received-routes shows both prefixes as
b1 sent them (10.61/16 "accepted": false), routes only 10.60/16; the route-map's `deny 10`
removed live changes nothing until `clear ip bgp 10.0.1.2 soft in` (IOS), which then accepts
10.61/16 from the stored copy with no ROUTE-REFRESH on the wire (a capture on t's link, and
t's own counters, say so). Without the flag, received-routes is refused as in IOS and the same
clear sends a ROUTE-REFRESH (RFC 2918). Turning the flag on live asks b1 once for its routes
(ROUTE-REFRESH) to fill the store; off, received-routes is refused again and the routes stay."""

import pytest

from netlab import Tern, TernError, stays, wait_subset, wait_until
from routes_helpers import (FAST, BgpCapture, BirdConf, bgp_routes, bird_bgp, bird_static, counters,
                            tern_exec, tern_global, tern_routes_config)

UP = 40
MOVE = 20
B1 = "10.0.1.2"
T = "10.0.1.1"
POLICY = ("ip prefix-list BLOCK seq 5 permit 10.61.0.0/16\n"
          "route-map IN deny 10\n match ip address prefix-list BLOCK\n!\n"
          "route-map IN permit 20\n!\n")


def pair(lab, soft):
    """t and b1 up, the route-map in t's configuration from the start (a live change would
    send ROUTE-REFRESHes of its own); a capture on t's side of the link."""
    t_ns, b_ns = lab.netns("t"), lab.netns("b1")
    t_if, _ = lab.link(t_ns, b_ns, f"{T}/24", f"{B1}/24")
    cap = BgpCapture(t_ns, t_if)
    bird = BirdConf(b_ns, B1, bird_bgp(B1, 65002, T, 65001,
                                       channels="  ipv4 { import all; export where source = RTS_STATIC; };\n")
                    + bird_static("s4", ["10.60.0.0/16", "10.61.0.0/16"]), name="bird-b1")
    lines = ["route-map IN in"] + (["soft-reconfiguration inbound"] if soft else [])
    conf = tern_routes_config("tern", "10.0.0.1", 65001, [{**FAST, "neighbor": B1, "remote_as": 65002,
                                                            "lines": lines}]) + POLICY
    tern = Tern(t_ns, "10.0.0.1", 65001, [], name="tern", config=conf)
    wait_subset(lambda: neighbor_routes(tern, "routes"), {"10.60.0.0/16": is_list}, timeout=UP)
    return tern, bird, cap


def is_list(value):
    return isinstance(value, list)


def neighbor_routes(tern, kind):
    return tern.show_json("ip", "bgp", "neighbors", B1, kind).get("routes", {})


def refreshes_sent(tern, cap):
    """ROUTE-REFRESH messages t sent to b1: (on the wire, by t's own count)."""
    return cap.count("route-refresh", src=T), counters(tern, B1).get("sent", {}).get("routeRefresh")


def accepted_flag(value):
    def pred(paths):
        return isinstance(paths, list) and len(paths) == 1 and paths[0].get("accepted") is value
    pred.__name__ = f"accepted is {value}"
    return pred


def test_soft_in_uses_stored_routes_without_route_refresh(lab, need):
    need("tern", "bird")
    tern, _, cap = pair(lab, soft=True)
    # received-routes: both, as b1 sent them; routes: what the route-map accepted
    wait_subset(lambda: neighbor_routes(tern, "received-routes"),
                {"10.60.0.0/16": accepted_flag(True), "10.61.0.0/16": accepted_flag(False)}, timeout=MOVE)
    received = neighbor_routes(tern, "received-routes")
    assert received["10.61.0.0/16"][0]["path"] == "65002" and received["10.61.0.0/16"][0]["nextHop"] == B1
    assert "10.61.0.0/16" not in neighbor_routes(tern, "routes")
    assert "10.61.0.0/16" not in bgp_routes(tern)
    text = tern_exec(tern, f"show ip bgp neighbors {B1} received-routes")
    assert "10.61.0.0/16" in text and "Total number of prefixes 2" in text, text
    assert "10.61.0.0/16" not in tern_exec(tern, f"show ip bgp neighbors {B1} routes")
    before = refreshes_sent(tern, cap)
    assert before == (0, 0), before

    # the deny goes: nothing changes until clear soft in (IOS)
    tern_global(tern, "no route-map IN deny 10")
    stays(lambda: "10.61.0.0/16" not in neighbor_routes(tern, "routes"), 2,
          desc="the new route-map waits for clear soft in")
    tern_exec(tern, f"clear ip bgp {B1} soft in")
    wait_subset(lambda: neighbor_routes(tern, "routes"), {"10.61.0.0/16": is_list}, timeout=MOVE)
    wait_subset(lambda: neighbor_routes(tern, "received-routes"), {"10.61.0.0/16": accepted_flag(True)},
                timeout=MOVE)
    # no ROUTE-REFRESH went out: t's link carried none, t counted none (keepalives every
    # second by now prove the capture still sees t's stream)
    keepalives = cap.count("keepalive", src=T)
    wait_until(lambda: cap.count("keepalive", src=T) > keepalives, timeout=MOVE, desc="the capture runs")
    assert refreshes_sent(tern, cap) == (0, 0)

    # and back: clear ip bgp * soft in withdraws it again from the stored copy
    tern_global(tern, "route-map IN deny 10", "match ip address prefix-list BLOCK", "exit")
    tern_exec(tern, "clear ip bgp * soft in")
    wait_until(lambda: "10.61.0.0/16" not in neighbor_routes(tern, "routes"), timeout=MOVE,
               desc="10.61/16 denied again")
    assert refreshes_sent(tern, cap) == (0, 0)


def test_soft_in_without_the_flag_sends_route_refresh(lab, need):
    need("tern", "bird")
    tern, _, cap = pair(lab, soft=False)
    with pytest.raises(TernError) as refused:
        tern_exec(tern, f"show ip bgp neighbors {B1} received-routes")
    assert f"% Inbound soft reconfiguration not enabled on {B1}" in str(refused.value)
    wait_until(lambda: refreshes_sent(tern, cap) == (0, 0), timeout=MOVE, desc="no refresh yet")
    tern_exec(tern, f"clear ip bgp {B1} soft in")
    wait_until(lambda: refreshes_sent(tern, cap) == (1, 1), timeout=MOVE, desc="one ROUTE-REFRESH sent")
    assert "10.61.0.0/16" not in neighbor_routes(tern, "routes")


def test_flag_on_and_off_on_an_established_session(lab, need):
    need("tern", "bird")
    tern, _, cap = pair(lab, soft=False)
    established = tern.neighbor(B1)["establishedCount"]
    tern_global(tern, "router bgp 65001", f"neighbor {B1} soft-reconfiguration inbound")
    # the store starts empty; one ROUTE-REFRESH asks b1 for its routes to fill it
    wait_until(lambda: refreshes_sent(tern, cap) == (1, 1), timeout=MOVE, desc="one ROUTE-REFRESH")
    wait_subset(lambda: neighbor_routes(tern, "received-routes"),
                {"10.60.0.0/16": accepted_flag(True), "10.61.0.0/16": accepted_flag(False)}, timeout=MOVE)
    tern_global(tern, "router bgp 65001", f"no neighbor {B1} soft-reconfiguration inbound")
    with pytest.raises(TernError):
        tern_exec(tern, f"show ip bgp neighbors {B1} received-routes")
    assert "10.60.0.0/16" in neighbor_routes(tern, "routes")
    # the session stayed up throughout
    assert tern.neighbor(B1).get("state") == "Established"
    now = tern.neighbor(B1)["establishedCount"]
    assert now == established
