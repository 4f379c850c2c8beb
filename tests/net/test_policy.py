"""Routing policy in network namespaces: Tern (AS 65001) in the middle of three BIRDs.

    b1 (10.0.1.2, AS 65002) -- t (Tern: 10.0.1.1, 10.0.2.1, 10.0.3.1) -- b2 (10.0.2.2, AS 65003)
                                       |
                              b3 (10.0.3.2, AS 65004)

A prefix-list out hides a prefix from one peer and not another, also when bound and unbound
live; a route-map in sets LOCAL_PREF and the best path moves; a route-map out prepends; a
route-map out changed or deleted under the same name is judged anew; and
`bgp ebgp-requires-policy` (RFC 8212) exchanges nothing without a policy and routes with one.
What the BIRDs hold is read with birdc, what Tern holds from its JSON views."""

import pytest

from netlab import stays, wait_subset, wait_until
from routes_helpers import (BirdConf, bgp_routes, bird_bgp, bird_routes, bird_static, start_tern,
                            tern_exec, tern_global)

UP = 40
MOVE = 20

PEERS = {"b1": ("10.0.1", 65002), "b2": ("10.0.2", 65003), "b3": ("10.0.3", 65004)}


def star(lab, statics, tern_lines=(), neighbor_lines=None, bgp_lines=()):
    """t with three BIRDs; statics: {bird: [prefix...]} each BIRD announces. tern_lines: global
    lines before router bgp (prefix-lists, route-maps); neighbor_lines: {bird: [lines]}."""
    t = lab.netns("t")
    birds = {}
    nbs = []
    for name, (net, asn) in PEERS.items():
        ns = lab.netns(name)
        lab.link(t, ns, f"{net}.1/24", f"{net}.2/24")
        birds[name] = BirdConf(ns, f"{net}.2", bird_bgp(f"{net}.2", asn, f"{net}.1", 65001,
                                                         channels="  ipv4 { import all; export where "
                                                                  "source = RTS_STATIC; };\n")
                               + bird_static("s4", statics.get(name, ["192.0.2.0/24"])),
                               name=f"bird-{name}")
        nbs.append({"neighbor": f"{net}.2", "remote_as": asn,
                    "lines": list((neighbor_lines or {}).get(name, []))})
    tern = start_tern(t, "tern", "10.0.0.1", 65001, nbs, bgp_lines=bgp_lines)
    if tern_lines:
        tern_global(tern, *tern_lines)
    return tern, birds


def addr(name):
    return PEERS[name][0] + ".2"


def has(prefix):
    def probe(routes):
        return prefix in routes
    return probe


def bird_as_path(path):
    def pred(paths):
        return isinstance(paths, list) and any(p.get("primary") and p.get("as_path") == path for p in paths)
    pred.__name__ = f"bird as_path {path!r}"
    return pred


def best_from(peer):
    def pred(paths):
        return isinstance(paths, list) and any(p.get("best") and p.get("peer") == peer for p in paths)
    pred.__name__ = f"best from {peer}"
    return pred


def test_prefix_list_out_hides_from_one_peer(lab, need):
    """`neighbor b2 prefix-list HIDE out` keeps 10.21.0.0/16 from b2 while b3 gets it; unbound
    live, b2 gets it (soft out); bound again, b2 has it withdrawn."""
    need("tern", "bird")
    hide = ["ip prefix-list HIDE seq 5 deny 10.21.0.0/16",
            "ip prefix-list HIDE seq 10 permit 0.0.0.0/0 le 32"]
    tern, birds = star(lab, {"b1": ["10.20.0.0/16", "10.21.0.0/16"]},
                       neighbor_lines={"b2": ["prefix-list HIDE out"]})
    tern_global(tern, *hide)
    wait_subset(lambda: bird_routes(birds["b3"]),
                {"10.20.0.0/16": bird_as_path("65001 65002"), "10.21.0.0/16": bird_as_path("65001 65002")},
                timeout=UP)
    wait_subset(lambda: bird_routes(birds["b2"]), {"10.20.0.0/16": bird_as_path("65001 65002")}, timeout=MOVE)
    stays(lambda: "10.21.0.0/16" not in bird_routes(birds["b2"]), 2, desc="10.21/16 hidden from b2")
    out = tern_exec(tern, "show ip prefix-list HIDE")
    assert "ip prefix-list HIDE: 2 entries" in out and "seq 5 deny 10.21.0.0/16" in out

    tern_global(tern, "router bgp 65001", f"no neighbor {addr('b2')} prefix-list HIDE out")
    wait_subset(lambda: bird_routes(birds["b2"]), {"10.21.0.0/16": bird_as_path("65001 65002")}, timeout=MOVE)
    tern_global(tern, "router bgp 65001", f"neighbor {addr('b2')} prefix-list HIDE out")
    wait_until(lambda: "10.21.0.0/16" not in bird_routes(birds["b2"]), timeout=MOVE,
               desc="10.21/16 withdrawn from b2")
    assert "10.20.0.0/16" in bird_routes(birds["b2"])


def test_route_map_in_sets_local_preference(lab, need):
    """b1 and b2 both announce 10.30.0.0/16; Tern prefers b1's (lower neighbour address, both
    one AS hop). `route-map PREFER` in from b2 setting local-preference 200, bound live, makes
    b2's path best (ROUTE-REFRESH brings b2's routes again), and b3 follows."""
    need("tern", "bird")
    tern, birds = star(lab, {"b1": ["10.30.0.0/16"], "b2": ["10.30.0.0/16"]})
    wait_subset(lambda: bgp_routes(tern), {"10.30.0.0/16": best_from(addr("b1"))}, timeout=UP)
    wait_subset(lambda: bird_routes(birds["b3"]), {"10.30.0.0/16": bird_as_path("65001 65002")}, timeout=MOVE)

    tern_global(tern, "route-map PREFER permit 10", "set local-preference 200", "exit",
                "router bgp 65001", f"neighbor {addr('b2')} route-map PREFER in")
    wait_subset(lambda: bgp_routes(tern), {"10.30.0.0/16": best_from(addr("b2"))}, timeout=MOVE)
    paths = bgp_routes(tern)["10.30.0.0/16"]
    best = [p for p in paths if p.get("best")][0]
    assert best.get("localPref", best.get("locPrf")) == 200, best
    wait_subset(lambda: bird_routes(birds["b3"]), {"10.30.0.0/16": bird_as_path("65001 65003")}, timeout=MOVE)
    out = tern_exec(tern, "show route-map PREFER")
    assert "route-map PREFER, permit, sequence 10" in out and "local-preference 200" in out


def test_route_map_out_prepends(lab, need):
    """`set as-path prepend 65001 65001` out to b2: b2 sees 65001 65001 65001 65002, b3 the
    plain 65001 65002; the map's prefix-list limits it to 10.40.0.0/16."""
    need("tern", "bird")
    tern, birds = star(lab, {"b1": ["10.40.0.0/16", "10.41.0.0/16"]},
                       neighbor_lines={"b2": ["route-map PREPEND out"]})
    tern_global(tern, "ip prefix-list FORTY permit 10.40.0.0/16",
                "route-map PREPEND permit 10", "match ip address prefix-list FORTY",
                "set as-path prepend 65001 65001", "route-map PREPEND permit 20")
    wait_subset(lambda: bird_routes(birds["b2"]),
                {"10.40.0.0/16": bird_as_path("65001 65001 65001 65002"),
                 "10.41.0.0/16": bird_as_path("65001 65002")}, timeout=UP)
    wait_subset(lambda: bird_routes(birds["b3"]), {"10.40.0.0/16": bird_as_path("65001 65002")}, timeout=MOVE)


def test_route_map_out_changed_in_place(lab, need):
    """A route-map out changed under the same name is judged anew: `route-map LIMIT permit
    10` matching 10.50.0.0/16 sends b2 only that prefix; a `permit 20` added live sends it
    10.51.0.0/16 as well (soft out); `no route-map LIMIT` leaves the name bound to nothing,
    which denies everything (IOS), and b2 has both withdrawn while b3 keeps them."""
    need("tern", "bird")
    tern, birds = star(lab, {"b1": ["10.50.0.0/16", "10.51.0.0/16"]},
                       neighbor_lines={"b2": ["route-map LIMIT out"]})
    tern_global(tern, "ip prefix-list FIFTY permit 10.50.0.0/16",
                "route-map LIMIT permit 10", "match ip address prefix-list FIFTY")
    wait_subset(lambda: bird_routes(birds["b3"]),
                {"10.50.0.0/16": bird_as_path("65001 65002"), "10.51.0.0/16": bird_as_path("65001 65002")},
                timeout=UP)
    wait_subset(lambda: bird_routes(birds["b2"]), {"10.50.0.0/16": bird_as_path("65001 65002")}, timeout=MOVE)
    stays(lambda: "10.51.0.0/16" not in bird_routes(birds["b2"]), 2, desc="10.51/16 denied to b2")

    tern_global(tern, "route-map LIMIT permit 20")
    wait_subset(lambda: bird_routes(birds["b2"]), {"10.51.0.0/16": bird_as_path("65001 65002")}, timeout=MOVE)

    tern_global(tern, "no route-map LIMIT")
    wait_until(lambda: not {"10.50.0.0/16", "10.51.0.0/16"} & set(bird_routes(birds["b2"])), timeout=MOVE,
               desc="both withdrawn from b2")
    assert {"10.50.0.0/16", "10.51.0.0/16"} <= set(bird_routes(birds["b3"]))
    assert f"neighbor {addr('b2')} route-map LIMIT out" in tern_exec(tern, "show running-config")


@pytest.mark.parametrize("with_policy", [False, True])
def test_ebgp_requires_policy(lab, need, with_policy):
    """RFC 8212: with `bgp ebgp-requires-policy` b1's routes reach Tern and b2 only when b1 has
    an import policy and b2 an export policy; without, nothing is exchanged."""
    need("tern", "bird")
    lines = {"b1": ["route-map ALL in"], "b2": ["route-map ALL out"]} if with_policy else {}
    tern, birds = star(lab, {"b1": ["10.50.0.0/16"]}, neighbor_lines=lines,
                       bgp_lines=["bgp ebgp-requires-policy"])
    tern_global(tern, "route-map ALL permit 10")
    if with_policy:
        wait_subset(lambda: bgp_routes(tern), {"10.50.0.0/16": best_from(addr("b1"))}, timeout=UP)
        wait_subset(lambda: bird_routes(birds["b2"]), {"10.50.0.0/16": bird_as_path("65001 65002")},
                    timeout=MOVE)
        stays(lambda: "10.50.0.0/16" not in bird_routes(birds["b3"]), 2, desc="b3 has no export policy")
    else:
        wait_until(lambda: tern.summary().get("peers", {}).get(addr("b1"), {}).get("state") == "Established",
                   timeout=UP, desc="b1 Established")
        stays(lambda: "10.50.0.0/16" not in bgp_routes(tern), 3, desc="nothing accepted from b1")
        assert "10.50.0.0/16" not in bird_routes(birds["b2"])
