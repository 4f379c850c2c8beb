"""`show memory` accounts by owner (lib/memory.h): every owner is listed, in JSON and text,
and the modules that hold something say so. Two Terns, one announcing a few connected prefixes to
the other; the keys the older tests read (bgp, pools, rssKb) stay. Two Terns in OSPF with a
route-map: the ospf, config and policy owners count what those modules hold."""

from netlab import wait_subset, wait_until
from routes_helpers import bgp_routes, start_tern
from test_ospf import TernOspf, tern_text, timers

UP = 40
OWNERS = ["bgp rib", "bgp attributes", "bgp adj-rib-in", "bgp export", "bgp sessions", "core", "kernel", "ospf",
          "rip", "policy", "config", "ctl", "other"]
NETS = ["172.16.1.0/24", "172.16.2.0/24", "172.16.3.0/24"]


def test_every_owner_listed_and_counted(lab, need):
    need("tern")
    a, b = lab.netns("a"), lab.netns("b")
    lab.link(a, b, "10.0.0.1/24", "10.0.0.2/24")
    for p in NETS:  # a network statement announces a prefix the routing table holds
        b.addr("lo", p.replace(".0/24", ".1/24"))
    ta = start_tern(a, "A", "10.0.0.1", 65001, [{"neighbor": "10.0.0.2", "remote_as": 65002}])
    start_tern(b, "B", "10.0.0.2", 65002, [{"neighbor": "10.0.0.1", "remote_as": 65001}],
               networks=NETS)
    wait_until(lambda: all(p in bgp_routes(ta) for p in NETS), UP, desc="A holds B's prefixes")

    m = ta.show_json("memory")
    assert m["rssKb"] > 0 and m["bgp"]["routes"] >= len(NETS), m
    assert "bgp paths" in m["pools"], m["pools"]
    assert list(m["owners"]) == OWNERS, m["owners"]
    for name, o in m["owners"].items():
        assert set(o) == {"bytes", "allocations", "peakBytes"}, (name, o)
        assert o["peakBytes"] >= o["bytes"] >= 0, (name, o)
    # the modules that hold something now: routes and paths (pools, buckets), attribute
    # sets, the routing table (connected routes), the netlink module
    for name in ("bgp rib", "bgp attributes", "core", "kernel"):
        assert m["owners"][name]["bytes"] > 0 and m["owners"][name]["allocations"] > 0, (name, m)
    # the pools are counted against their owner: at least their bytes are in it
    rib_pools = sum(p["bytes"] for n, p in m["pools"].items() if n.startswith("bgp routes")
                    or n == "bgp paths")
    assert m["owners"]["bgp rib"]["bytes"] >= rib_pools, m

    text = ta.ternc("show", "memory").stdout
    assert "Owner" in text and "Peak bytes" in text, text
    for name in OWNERS:
        assert any(line.startswith(name + " ") for line in text.splitlines()), (name, text)


def owner(tern, name):
    return tern.show_json("memory")["owners"][name]


def test_ospf_config_policy_counted(lab, need):
    """With an OSPF adjacency Full and a route-map and prefix-list configured, the owners ospf
    (databases, neighbours, routing table), config (the running configuration) and policy (the
    lists) hold bytes; removing the route-map and the prefix-list gives the policy's back."""
    need("ternd", "ternc")
    a, b = lab.netns("a"), lab.netns("b")
    da, db = lab.link(a, b, "10.0.0.1/24", "10.0.0.2/24")
    a.loopback("10.255.0.1")
    b.loopback("10.255.0.2")
    policy = ["ip prefix-list LOOPS seq 5 permit 10.255.0.0/16 le 32",
              "route-map LOOPS permit 10", " match ip address prefix-list LOOPS"]
    terns = []
    for ns, dev, rid, lo in ((a, da, "1.1.1.1", "10.255.0.1"), (b, db, "2.2.2.2", "10.255.0.2")):
        text = tern_text(f"R{rid[0]}", rid, {dev: timers()}, ["10.0.0.0 0.0.0.255 area 0", f"{lo} 0.0.0.0 area 0"])
        terns.append(TernOspf(ns, rid, "\n".join(policy) + "\n" + text, f"R{rid[0]}"))
    t1 = terns[0]
    wait_until(lambda: t1.ospf_state("2.2.2.2")[0] == "FULL", UP, desc="R1 sees R2 Full")
    wait_until(lambda: t1.has_route("10.255.0.2/32"), UP, desc="R1 learns R2's loopback")
    for name in ("ospf", "config", "policy", "core"):
        o = owner(t1, name)
        assert o["bytes"] > 0 and o["allocations"] > 0, (name, o)
    t1.configure_lines("no route-map LOOPS", "no ip prefix-list LOOPS")
    text = t1.ternc("show", "running-config").stdout
    assert "route-map" not in text and "prefix-list" not in text, text
    assert owner(t1, "policy") == {**owner(t1, "policy"), "bytes": 0, "allocations": 0}, owner(t1, "policy")
    assert owner(t1, "ospf")["bytes"] > 0, owner(t1, "ospf")
