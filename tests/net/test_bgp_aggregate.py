"""BGP `aggregate-address` (IOS syntax, RFC 4271 §9.2.2.2) in network namespaces.

R1 (Tern, AS 65001, router ID 1.1.1.1) owns 10.1.0.0/16 and 10.2.0.0/16 (addresses on its
loopback, announced with `network`) and peers over EBGP with R2 (Tern, AS 65002) on
172.16.12.0/24; for as-set, R3 (Tern, AS 65003) on 172.16.13.0/24 feeds R1 10.3.0.0/16. The
peering links are outside 10.0.0.0/8 so that only the `network` prefixes are contributors.
Aggregates are configured on R1 at run time through `ternc` (configure terminal, router bgp).

What is checked is what an engineer reads: `show ip bgp json` and `show ip bgp 10.0.0.0 [json]`
on R2 (the aggregate with its AS path, ORIGIN, atomic-aggregate and "aggregated by AS ID"), and
on R1 `show ip bgp` (status `s>` for suppressed more specifics, and `"suppressed": true` in the
JSON), `show running-config`, and the `%` errors of rejected lines. Each wait is a bounded poll.

Tests 6-8 follow what the aggregate takes from its contributors (RFC 4271 §9.2.2.2): ORIGIN
(R3 switching from `network` to `redistribute connected`), the AS_SET when a contributor's path
changes (R3 prepending through a route-map), and, from a raw BGP speaker in R3's place, EGP,
ATOMIC_AGGREGATE and AS_SETs of more than 255 ASes.
"""

import math
import re
import socket
import struct
import time

import netlab

from netlab import (OPEN, UPDATE, Tern, bgp_msg, raw_establish, recv_msg, stays, wait_subset,
                    wait_until)
from routes_helpers import (FAST, BgpCapture, bgp_prefix, bgp_routes, counters, only_path_like, pfx_rcvd,
                            start_tern, tern_global, tern_routes_config)
from shell_helpers import running_config, ternc_run

UP = 20          # seconds for Tern-Tern sessions to come up and the first routes to arrive
MOVE = 10        # seconds for a change to travel

AGG = "10.0.0.0/8"
SPEC = ["10.1.0.0/16", "10.2.0.0/16"]
R3_SPEC = "10.3.0.0/16"
R1_ID = "1.1.1.1"


def nb(addr, asn, **kw):
    return {"neighbor": addr, "remote_as": asn, **kw}


def topology(lab, with_r3=False, timers=(2, 6), r3_passive=False):
    """R2 - R1 (- R3): Terns connecting every second, with keepalive and hold `timers` on
    every session. R1 announces SPEC with `network`. With R3, R1 also has R3 as a neighbour
    (passive with r3_passive, for a raw speaker connecting from R3's namespace), and R3
    (configured to announce R3_SPEC) is made but not started: the test calls r3.start().
    Returns (r1, r2, r3 or None) as Tern objects."""
    a, b = lab.netns("r1"), lab.netns("r2")
    lab.link(a, b, "172.16.12.1/24", "172.16.12.2/24")
    for p in SPEC:
        a.addr("lo", p.replace(".0/16", ".1/16"))
    r1_nbs = [nb("172.16.12.2", 65002, timers=timers)]
    r3 = None
    if with_r3:
        c = lab.netns("r3")
        lab.link(a, c, "172.16.13.1/24", "172.16.13.2/24")
        c.addr("lo", "10.3.0.1/16")
        r1_nbs.append(nb("172.16.13.2", 65003, timers=timers, passive=r3_passive))
    r1 = start_tern(a, "R1", R1_ID, 65001, r1_nbs, networks=SPEC)
    r2 = start_tern(b, "R2", "2.2.2.2", 65002, [nb("172.16.12.1", 65001, timers=timers)])
    if with_r3:
        conf = tern_routes_config("R3", "3.3.3.3", 65003,
                                  [{**FAST, **nb("172.16.13.1", 65001, timers=timers)}],
                                  networks=[R3_SPEC])
        r3 = Tern(c, "3.3.3.3", 65003, [], name="R3", config=conf, start=False)
    return r1, r2, r3


def agg_config(r1, *lines):
    """Lines typed under `router bgp 65001` on R1; the exchange must succeed."""
    r = ternc_run(r1, "configure terminal", "router bgp 65001", *lines, "end")
    assert r.returncode == 0, f"{lines}: rc {r.returncode}\n{r.stdout}{r.stderr}"
    return r


def absent(tern, *prefixes):
    def probe():
        routes = bgp_routes(tern)
        return not any(p in routes for p in prefixes)
    probe.__name__ = f"{', '.join(prefixes)} absent from {tern.name}"
    return probe


def table_status(tern):
    """`show ip bgp` (text) as {network as printed: the three status characters}, e.g.
    {"10.0.0.0": "*> ", "10.1.0.0/16": "s> "}; first path of each network only."""
    out = tern.ternc("show", "ip", "bgp").stdout
    status = {}
    for ln in out.splitlines():
        if len(ln) < 6 or ln[0] != " " or ln[1] not in "s* " or ln[4] != " ":
            continue
        net = ln[5:22].strip()
        if net and net[0].isdigit():
            status.setdefault(net, ln[1:4])
    return status


def as_path(text):
    """Predicate on an AS path as `show ip bgp` prints it ("65001 {64999,65003}"): the same
    segments, AS_SEQUENCEs in order and AS_SETs as sets. An AS_SET is unordered (RFC 4271
    §5.1.2), so the order Tern happens to list its members in is nobody's business."""
    def canon(t):
        return [frozenset(w.strip("{}").split(",")) if w.startswith("{") else w
                for w in t.split(" ") if w]

    def pred(actual):
        return isinstance(actual, str) and canon(actual) == canon(text)
    pred.__name__ = f"as_path({text!r})"
    return pred


def from_r1(path, **extra):
    """Predicate for R2's view of a prefix R1 sends: one valid best external path."""
    return only_path_like({"valid": True, "best": True, "nextHop": "172.16.12.1",
                           "peer": "172.16.12.1", "internal": False, "path": path, **extra})


def no_key(*keys):
    """Predicate on a path list: the only path has none of these keys."""
    def pred(paths):
        return len(paths) == 1 and not any(k in paths[0] for k in keys)
    pred.__name__ = f"no {keys}"
    return pred


def specifics_at_r2(r2):
    wait_subset(lambda: bgp_routes(r2), {p: from_r1("65001", origin="IGP") for p in SPEC},
                timeout=UP)


# ----------------------------------------------------------------------------------------------
# 1. the aggregate next to its more specifics

def test_aggregate_announced_with_specifics(lab, need):
    """Without an aggregate R2 holds only 10.1.0.0/16 and 10.2.0.0/16. `aggregate-address
    10.0.0.0 255.0.0.0` typed on R1: R2 now also holds 10.0.0.0/8 with AS path "65001", origin
    IGP, ATOMIC_AGGREGATE and AGGREGATOR 65001 1.1.1.1 (JSON, and `show ip bgp 10.0.0.0`:
    "65001, (aggregated by 65001 1.1.1.1)" and "atomic-aggregate"), and still the two
    specifics; R1 holds the aggregate as its own path (empty AS path, next hop 0.0.0.0) and
    shows the specifics `*>`, not suppressed."""
    need("ternd", "ternc")
    r1, r2, _ = topology(lab)
    specifics_at_r2(r2)
    assert AGG not in bgp_routes(r2) and AGG not in bgp_routes(r1)

    agg_config(r1, "aggregate-address 10.0.0.0 255.0.0.0")
    wait_subset(lambda: bgp_routes(r2), {
        AGG: from_r1("65001", origin="IGP", atomicAggregate=True, aggregatorAs=65001,
                     aggregatorId=R1_ID),
        **{p: from_r1("65001") for p in SPEC}}, timeout=MOVE)
    assert pfx_rcvd(r2, "172.16.12.1") == 3
    detail = r2.ternc("show", "ip", "bgp", "10.0.0.0").stdout
    assert "BGP routing table entry for 10.0.0.0/8" in detail, detail
    assert f"  65001, (aggregated by 65001 {R1_ID})\n" in detail, detail
    assert "Origin IGP," in detail and ", external, atomic-aggregate, best" in detail, detail

    wait_subset(lambda: bgp_routes(r1), {AGG: only_path_like({
        "valid": True, "best": True, "peer": None, "path": "", "nextHop": "0.0.0.0",
        "origin": "IGP", "weight": 32768, "atomicAggregate": True, "aggregatorAs": 65001,
        "aggregatorId": R1_ID})}, timeout=MOVE)
    routes = bgp_routes(r1)
    for p in SPEC:
        assert no_key("suppressed")(routes[p]), routes[p]
    assert table_status(r1) == {"10.0.0.0": "*> ", "10.1.0.0/16": "*> ",
                                "10.2.0.0/16": "*> "}, r1.ternc("show", "ip", "bgp").stdout


# ----------------------------------------------------------------------------------------------
# 2. summary-only

def test_summary_only_suppresses_specifics(lab, need):
    """The aggregate of test 1 changed to `summary-only` at run time: R2 keeps 10.0.0.0/8 and
    loses both specifics (1 prefix received); R1 still holds them, marked `s>` in `show ip
    bgp` and `"suppressed": true` in its JSON (the aggregate itself `*>`, not suppressed), and
    `show ip bgp neighbors 172.16.12.2 advertised-routes` lists only the aggregate. Made
    `as-set summary-only` (local contributors only: an empty AS_SET), the specifics stay away
    from R2 and the aggregate there loses ATOMIC_AGGREGATE but keeps its AGGREGATOR."""
    need("ternd", "ternc")
    r1, r2, _ = topology(lab)
    specifics_at_r2(r2)
    agg_config(r1, "aggregate-address 10.0.0.0 255.0.0.0")
    wait_subset(lambda: bgp_routes(r2), {AGG: from_r1("65001", atomicAggregate=True)},
                timeout=MOVE)

    agg_config(r1, "aggregate-address 10.0.0.0 255.0.0.0 summary-only")
    wait_until(absent(r2, *SPEC), MOVE)
    wait_subset(lambda: bgp_routes(r2), {AGG: from_r1("65001", atomicAggregate=True,
                                                      aggregatorAs=65001)}, timeout=MOVE)
    assert pfx_rcvd(r2, "172.16.12.1") == 1

    assert table_status(r1) == {"10.0.0.0": "*> ", "10.1.0.0/16": "s> ",
                                "10.2.0.0/16": "s> "}, r1.ternc("show", "ip", "bgp").stdout
    routes = bgp_routes(r1)
    for p in SPEC:
        assert only_path_like({"best": True, "valid": True, "peer": None,
                               "suppressed": True})(routes[p]), routes[p]
    assert no_key("suppressed")(routes[AGG]), routes[AGG]
    adv = r1.show_json("ip", "bgp", "neighbors", "172.16.12.2", "advertised-routes")
    assert sorted(adv.get("routes", {})) == [AGG], adv

    agg_config(r1, "aggregate-address 10.0.0.0 255.0.0.0 as-set summary-only")
    wait_subset(lambda: bgp_routes(r2), {
        AGG: lambda paths: from_r1("65001", aggregatorAs=65001, aggregatorId=R1_ID)(paths)
        and no_key("atomicAggregate")(paths)}, timeout=MOVE)
    stays(absent(r2, *SPEC), 2, desc="the specifics stay suppressed")
    assert table_status(r1)["10.1.0.0/16"] == "s> "


# ----------------------------------------------------------------------------------------------
# 3. as-set

def test_as_set_carries_contributor_ases(lab, need):
    """R3 (AS 65003) feeds R1 10.3.0.0/16. `aggregate-address 10.0.0.0 255.0.0.0 as-set` on R1
    before R3 is up: the aggregate reaches R2 with AS path "65001" (an empty AS_SET: every
    contributor is R1's own) and no ATOMIC_AGGREGATE. R3 comes up: R1's own aggregate path
    becomes "{65003}", R2's "65001 {65003}", still without ATOMIC_AGGREGATE and with AGGREGATOR
    65001 1.1.1.1; R3 never accepts the aggregate (its AS is in the set). R3 goes away: back
    to "65001". Without as-set, with R3's route a contributor, the path is "65001" and
    ATOMIC_AGGREGATE is back. Keepalives are 30 s apart here, so each change reaches R2 on
    its own, not carried along by the next message R1 happens to read."""
    need("ternd", "ternc")
    r1, r2, r3 = topology(lab, with_r3=True, timers=(30, 90))
    specifics_at_r2(r2)

    agg_config(r1, "aggregate-address 10.0.0.0 255.0.0.0 as-set")
    wait_subset(lambda: bgp_routes(r2), {AGG: lambda paths: from_r1(
        "65001", origin="IGP", aggregatorAs=65001, aggregatorId=R1_ID)(paths)
        and no_key("atomicAggregate")(paths)}, timeout=MOVE)

    r3.start()
    wait_subset(lambda: bgp_routes(r1), {R3_SPEC: only_path_like({
        "valid": True, "best": True, "path": "65003", "peer": "172.16.13.2"})}, timeout=UP)
    wait_subset(lambda: bgp_routes(r1), {AGG: only_path_like({
        "peer": None, "path": "{65003}", "aggregatorAs": 65001})}, timeout=MOVE)
    wait_subset(lambda: bgp_routes(r2), {
        AGG: lambda paths: from_r1("65001 {65003}", origin="IGP", aggregatorAs=65001,
                                   aggregatorId=R1_ID)(paths)
        and no_key("atomicAggregate")(paths),
        R3_SPEC: from_r1("65001 65003")}, timeout=MOVE)
    detail = r2.ternc("show", "ip", "bgp", "10.0.0.0").stdout
    assert f"  65001 {{65003}}, (aggregated by 65001 {R1_ID})\n" in detail, detail
    assert "atomic-aggregate" not in detail, detail
    # RFC 4271 §9.1.2: R3 finds its own AS in the path and drops the aggregate
    wait_until(lambda: all(p in bgp_routes(r3) for p in SPEC), MOVE, desc="R3 has R1's routes")
    stays(absent(r3, AGG), 1.5, desc="R3 never installs the aggregate")

    r3.stop()
    wait_until(absent(r2, R3_SPEC), MOVE)
    wait_subset(lambda: bgp_routes(r2), {AGG: lambda paths: from_r1("65001")(paths)
                                         and no_key("atomicAggregate")(paths)}, timeout=MOVE)

    r3.start()
    wait_subset(lambda: bgp_routes(r2), {AGG: from_r1("65001 {65003}")}, timeout=UP)
    agg_config(r1, "aggregate-address 10.0.0.0 255.0.0.0")
    wait_subset(lambda: bgp_routes(r2), {AGG: from_r1("65001", atomicAggregate=True,
                                                      aggregatorAs=65001)}, timeout=MOVE)


# ----------------------------------------------------------------------------------------------
# 4. live removal, and the last contributor

def test_removal_and_last_contributor(lab, need):
    """A summary-only aggregate on R1: R2 holds 10.0.0.0/8 alone. `no aggregate-address
    10.0.0.0 255.0.0.0`: R2 loses it and gets both specifics back, R1 no longer has it or
    marks anything `s`. Configured again (summary-only), then `no network` for both specifics:
    with no contributor left the aggregate is withdrawn from R2 and gone from R1, while its
    line stays in the running configuration. One `network` back: the aggregate returns to R2
    and the specific never reaches it."""
    need("ternd", "ternc")
    r1, r2, _ = topology(lab)
    specifics_at_r2(r2)
    agg_config(r1, "aggregate-address 10.0.0.0 255.0.0.0 summary-only")
    wait_until(absent(r2, *SPEC), MOVE)
    wait_subset(lambda: bgp_routes(r2), {AGG: from_r1("65001")}, timeout=MOVE)

    agg_config(r1, "no aggregate-address 10.0.0.0 255.0.0.0")
    wait_until(absent(r2, AGG), MOVE)
    specifics_at_r2(r2)
    assert pfx_rcvd(r2, "172.16.12.1") == 2
    assert AGG not in bgp_routes(r1)
    assert table_status(r1) == {p: "*> " for p in SPEC}
    assert "aggregate-address" not in running_config(r1)

    agg_config(r1, "aggregate-address 10.0.0.0 255.0.0.0 summary-only")
    wait_until(absent(r2, *SPEC), MOVE)
    wait_subset(lambda: bgp_routes(r2), {AGG: from_r1("65001")}, timeout=MOVE)

    agg_config(r1, "no network 10.1.0.0 mask 255.255.0.0")
    stays(lambda: AGG in bgp_routes(r2), 1, desc="one contributor left: the aggregate stays")
    agg_config(r1, "no network 10.2.0.0 mask 255.255.0.0")
    wait_until(absent(r2, AGG, *SPEC), MOVE)
    wait_until(absent(r1, AGG, *SPEC), MOVE)
    assert pfx_rcvd(r2, "172.16.12.1") == 0
    assert " aggregate-address 10.0.0.0 255.0.0.0 summary-only\n" in running_config(r1)

    agg_config(r1, "network 10.2.0.0 mask 255.255.0.0")
    wait_subset(lambda: bgp_routes(r2), {AGG: from_r1("65001", atomicAggregate=True)},
                timeout=MOVE)
    stays(absent(r2, *SPEC), 2, desc="the returning specific stays suppressed")
    assert pfx_rcvd(r2, "172.16.12.1") == 1
    assert table_status(r1) == {"10.0.0.0": "*> ", "10.2.0.0/16": "s> "}


# ----------------------------------------------------------------------------------------------
# 5. the running configuration, and lines that are refused

def test_running_config_and_rejected_lines(lab, need):
    """`aggregate-address 10.0.0.0 255.0.0.0 as-set summary-only` appears in `show
    running-config` exactly as typed, under `router bgp 65001` after the networks; typed with
    the options the other way round it prints the same single line (one aggregate per
    prefix). Refused with an IOS `%` error on stderr and a failing exit, each leaving the
    running configuration and R2's table as they were: a mask that is not contiguous
    (255.0.255.0: "% Inconsistent address and mask" with the caret under the mask), a
    missing mask ("% Incomplete command."), an unknown keyword ("% Invalid input detected at
    '^' marker.")."""
    need("ternd", "ternc")
    r1, r2, _ = topology(lab)
    specifics_at_r2(r2)
    line = "aggregate-address 10.0.0.0 255.0.0.0 as-set summary-only"
    agg_config(r1, line)
    wait_until(absent(r2, *SPEC), MOVE)
    wait_subset(lambda: bgp_routes(r2), {AGG: from_r1("65001")}, timeout=MOVE)

    conf = running_config(r1)
    bgp = conf.split("router bgp 65001\n", 1)[1].split("!\n", 1)[0].splitlines()
    assert bgp.count(" " + line) == 1, conf
    assert [ln for ln in bgp if "aggregate-address" in ln] == [" " + line], conf
    assert bgp.index(" " + line) > bgp.index(" network 10.2.0.0 mask 255.255.0.0"), conf

    agg_config(r1, "aggregate-address 10.0.0.0 255.0.0.0 summary-only as-set")
    assert running_config(r1) == conf

    before = bgp_routes(r2)
    for bad, error, caret in [
            ("aggregate-address 10.0.0.0 255.0.255.0", "% Inconsistent address and mask",
             "255.0.255.0"),
            ("aggregate-address 10.0.0.0", "% Incomplete command.", None),
            ("aggregate-address 10.0.0.0 255.0.0.0 bogus",
             "% Invalid input detected at '^' marker.", "bogus")]:
        r = ternc_run(r1, "configure terminal", "router bgp 65001", bad, "end")
        assert r.returncode != 0, f"{bad!r} accepted:\n{r.stdout}{r.stderr}"
        assert error in r.stderr, f"{bad!r}:\n{r.stderr}"
        if caret:
            echo, marker = r.stderr.splitlines()[:2]
            assert echo.endswith(bad) and marker.strip() == "^", r.stderr
            col = marker.index("^")
            assert echo[col:col + len(caret)] == caret, r.stderr
        assert running_config(r1) == conf, f"after {bad!r}"
    stays(lambda: bgp_routes(r2) == before, 1.5, desc="R2's table unchanged")
    assert table_status(r1)["10.1.0.0/16"] == "s> "


# ----------------------------------------------------------------------------------------------
# what the aggregate takes from its contributors (RFC 4271 §9.2.2.2)

def agg_at_r2(r2):
    """R2's paths for the aggregate, from `show ip bgp 10.0.0.0 json`."""
    return bgp_prefix(r2, "10.0.0.0").get("paths", [])


def wait_agg_at_r2(r2, path, atomic, **fields):
    """Waits until R2's one path for 10.0.0.0/8 is R1's with this AS path, ATOMIC_AGGREGATE
    or not, AGGREGATOR 65001 1.1.1.1 and the other fields given (e.g. origin)."""
    want = from_r1(path, aggregatorAs=65001, aggregatorId=R1_ID, **fields)

    def pred(paths):
        return want(paths) and (paths[0].get("atomicAggregate") is True) == atomic
    pred.__name__ = f"{want.__name__}, atomicAggregate {atomic}"
    wait_subset(lambda: {"paths": agg_at_r2(r2)}, {"paths": pred}, timeout=MOVE)


# 6. ORIGIN

def test_origin_follows_contributors(lab, need):
    """R1 aggregates 10.0.0.0/8 (no as-set); R3 announces 10.3.0.0/16 with `network` (ORIGIN
    IGP). R2's `show ip bgp 10.0.0.0 json`: origin IGP. R3 then announces it through
    `redistribute connected` instead (INCOMPLETE, as IOS does): R2 sees 10.3.0.0/16 and the
    aggregate incomplete ("Origin incomplete" in the text view too), R1's own specifics still
    IGP; RFC 4271 §9.2.2.2: INCOMPLETE if any aggregated route is. Back to `network`: IGP."""
    need("ternd", "ternc")
    r1, r2, r3 = topology(lab, with_r3=True, timers=(30, 90))
    specifics_at_r2(r2)
    agg_config(r1, "aggregate-address 10.0.0.0 255.0.0.0")
    r3.start()
    wait_subset(lambda: bgp_routes(r2), {R3_SPEC: from_r1("65001 65003", origin="IGP")},
                timeout=UP)
    wait_agg_at_r2(r2, "65001", True, origin="IGP")

    r3.configure("redistribute connected", "no network 10.3.0.0 mask 255.255.0.0")
    wait_subset(lambda: bgp_routes(r2), {R3_SPEC: from_r1("65001 65003", origin="incomplete")},
                timeout=MOVE)
    wait_agg_at_r2(r2, "65001", True, origin="incomplete")
    detail = r2.ternc("show", "ip", "bgp", "10.0.0.0").stdout
    assert "Origin incomplete," in detail, detail
    assert {p: bgp_routes(r2)[p][0]["origin"] for p in SPEC} == {p: "IGP" for p in SPEC}

    r3.configure("network 10.3.0.0 mask 255.255.0.0", "no redistribute connected")
    wait_subset(lambda: bgp_routes(r2), {R3_SPEC: from_r1("65001 65003", origin="IGP")},
                timeout=MOVE)
    wait_agg_at_r2(r2, "65001", True, origin="IGP")


# 7. a contributor's AS path changes

def test_as_set_follows_contributor_path(lab, need):
    """R1: `aggregate-address 10.0.0.0 255.0.0.0 as-set`, R3's 10.3.0.0/16 a contributor: R2
    sees "65001 {65003}". R3 binds a route-map out to R1 that prepends 64999: R1's path for
    10.3.0.0/16 becomes "65003 64999", the same prefix still contributing, and the aggregate
    follows: "{64999,65003}" on R1, "65001 {64999,65003}" on R2. The prepend changed to
    65003 65003: "65001 {65003}" again. Changed to one 65003 (the set stays {65003}): R2
    gets the new path of 10.3.0.0/16 in one UPDATE and no other, the aggregate unchanged."""
    need("ternd", "ternc")
    r1, r2, r3 = topology(lab, with_r3=True, timers=(30, 90))
    specifics_at_r2(r2)
    agg_config(r1, "aggregate-address 10.0.0.0 255.0.0.0 as-set")
    r3.start()
    wait_agg_at_r2(r2, "65001 {65003}", False, origin="IGP")

    tern_global(r3, "route-map LONGER permit 10", "set as-path prepend 64999", "exit",
                "router bgp 65003", "neighbor 172.16.13.1 route-map LONGER out")
    wait_subset(lambda: bgp_routes(r1), {R3_SPEC: only_path_like({
        "best": True, "peer": "172.16.13.2", "path": "65003 64999"})}, timeout=MOVE)
    wait_subset(lambda: bgp_routes(r1), {AGG: only_path_like({
        "peer": None, "path": as_path("{64999,65003}")})}, timeout=MOVE)
    wait_agg_at_r2(r2, as_path("65001 {64999,65003}"), False, origin="IGP")
    detail = r2.ternc("show", "ip", "bgp", "10.0.0.0").stdout
    assert re.search(r"^  65001 \{(64999,65003|65003,64999)\}, \(aggregated by 65001 "
                     + re.escape(R1_ID) + r"\)$", detail, re.M), detail

    tern_global(r3, "route-map LONGER permit 10", "set as-path prepend 65003 65003")
    wait_subset(lambda: bgp_routes(r2), {R3_SPEC: from_r1("65001 65003 65003 65003")},
                timeout=MOVE)
    wait_agg_at_r2(r2, "65001 {65003}", False, origin="IGP")

    before = counters(r2, "172.16.12.1")["received"]["update"]
    tern_global(r3, "route-map LONGER permit 10", "set as-path prepend 65003")
    wait_subset(lambda: bgp_routes(r2), {R3_SPEC: from_r1("65001 65003 65003")}, timeout=MOVE)
    stays(lambda: counters(r2, "172.16.12.1")["received"]["update"] == before + 1, 1.5,
          desc="one UPDATE: 10.3.0.0/16's; the aggregate is not sent again")
    wait_agg_at_r2(r2, "65001 {65003}", False, origin="IGP")


# 8. EGP, ATOMIC_AGGREGATE and large AS_SETs, from a raw speaker

RAW_BASE_AS = 4200000000        # RFC 6996 private 4-octet ASNs
RAW_PREFIXES = [f"10.{i}.0.0/16" for i in range(3, 8)]


def raw_peer_connect(ns, timeout=UP):
    """A Python BGP speaker in AS 65003 connecting from 172.16.13.2 to R1 (passive toward it):
    returns the socket once Established (hold time 90: no keepalives needed in a test)."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        s = None
        try:
            s = ns.tcp_connect("172.16.13.1", 179, src="172.16.13.2", timeout=3)
            m = recv_msg(s, 5)
            if m and m[0] == OPEN:
                raw_establish(s, 65003, "3.3.3.3", hold=90)
                return s
            last = f"got {m!r} instead of an OPEN"
        except OSError as e:
            last = e
        if s:
            s.close()
        time.sleep(0.2)
    raise AssertionError(f"R1 never completed a session with the raw speaker: {last!r}")


def raw_update(prefix, asns, origin=0, atomic=False):
    """An UPDATE announcing prefix with ORIGIN, an AS_PATH of AS_SEQUENCE segments (255 ASNs
    each at most, 4-octet ASNs, Extended Length), NEXT_HOP 172.16.13.2 and, if asked,
    ATOMIC_AGGREGATE."""
    segs = b""
    for i in range(0, len(asns), 255):
        chunk = asns[i:i + 255]
        segs += struct.pack("!BB", 2, len(chunk)) + b"".join(struct.pack("!I", a) for a in chunk)
    attrs = struct.pack("!BBBB", 0x40, 1, 1, origin)
    attrs += struct.pack("!BBH", 0x50, 2, len(segs)) + segs
    attrs += struct.pack("!BBB", 0x40, 3, 4) + socket.inet_aton("172.16.13.2")
    if atomic:
        attrs += struct.pack("!BBB", 0x40, 6, 0)
    addr, plen = prefix.split("/")
    nlri = bytes([int(plen)]) + socket.inet_aton(addr)[:(int(plen) + 7) // 8]
    return bgp_msg(UPDATE, struct.pack("!HH", 0, len(attrs)) + attrs + nlri)


def raw_withdraw(prefix):
    addr, plen = prefix.split("/")
    wd = bytes([int(plen)]) + socket.inet_aton(addr)[:(int(plen) + 7) // 8]
    return bgp_msg(UPDATE, struct.pack("!H", len(wd)) + wd + struct.pack("!H", 0))


def is_text(value):
    return isinstance(value, str)


def as_sets(path):
    """'65001 {1,2} {3}' -> (['65001'], [[1, 2], [3]])."""
    words = path.split(" ")
    seq = [w for w in words if not w.startswith("{")]
    sets = [[int(a) for a in w.strip("{}").split(",")] for w in words if w.startswith("{")]
    return seq, sets


def wire_as_path(cap, prefix):
    """The AS_PATH of the last UPDATE on the wire from R1 to R2 announcing `prefix`, decoded
    by scapy (an implementation independent of Tern's): [(segment type, [AS, ...]), ...]
    (type 1 AS_SET, 2 AS_SEQUENCE), or None if no such UPDATE was captured."""
    try:
        from scapy.contrib import bgp as sbgp
    except ImportError:
        netlab.unavailable("python3-scapy is not installed")
    sbgp.bgp_module_conf.use_2_bytes_asn = False    # RFC 6793: Tern-Tern sessions are AS4
    found = None
    for m in cap.messages():
        if m["src"] != "172.16.12.1" or m["name"] != "update":
            continue
        wire = netlab.MARKER + struct.pack("!HB", 19 + len(m["body"]), UPDATE) + m["body"]
        upd = sbgp.BGP(wire)[sbgp.BGPUpdate]
        if not any(n.prefix == prefix for n in upd.nlri):
            continue
        for a in upd.path_attr:
            if a.type_code == 2:
                found = [(s.segment_type, list(s.segment_value)) for s in a.attribute.segments]
    return found


def wire_set_members(cap):
    """Every AS in the AS_SETs of the aggregate's last UPDATE on the wire (a set)."""
    return {a for t, v in (wire_as_path(cap, "10.0.0.0/8") or []) if t == 1 for a in v}


def assert_rfc_as_set_path(segments, asns):
    """RFC 4271 §9.2.2.2 and §5.1.2 on the wire: R1's AS (65001) as an AS_SEQUENCE, then
    AS_SETs holding every contributor AS once, each with at most 255 ASes (a segment counts
    its ASes in one octet, §4.3), hence at least ceil(n / 255) of them. The members' order
    and how they are split between the sets are free: an AS_SET is unordered."""
    assert segments, "no UPDATE for the aggregate on the wire"
    assert segments[0] == (2, [65001]), segments[:1]
    sets = segments[1:]
    assert all(t == 1 for t, _ in sets), [t for t, _ in sets]
    assert all(1 <= len(v) <= 255 for _, v in sets), [len(v) for _, v in sets]
    flat = [a for _, v in sets for a in v]
    assert len(flat) == len(set(flat)), "an AS listed twice"
    assert set(flat) == set(asns)
    assert len(sets) >= math.ceil(len(asns) / 255)


def test_as_set_egp_atomic_and_over_255_ases(lab, need):
    """A raw speaker in AS 65003 announces 10.3-10.7.0.0/16 to R1, each with its own 254
    4-octet ASes after 65003; 10.3.0.0/16 with ORIGIN EGP and ATOMIC_AGGREGATE, the others
    IGP. R1's as-set aggregate at R2: origin EGP and atomicAggregate (RFC 4271 §9.2.2.2), and
    all 1271 ASes in AS_SET segments of at most 255 (a segment counts its ASes in one octet,
    §4.3): an AS_PATH of over 5000 octets that an extended message carries (RFC 8654). The
    AS_PATH is read off the wire with scapy and judged by the RFC's rules, not by the order
    Tern lists an AS_SET in. 10.3.0.0/16 withdrawn: IGP, no ATOMIC_AGGREGATE, 1017 ASes."""
    need("ternd", "ternc")
    r1, r2, r3 = topology(lab, with_r3=True, timers=(30, 90), r3_passive=True)
    cap = BgpCapture(r2.ns, "eth0")
    specifics_at_r2(r2)
    agg_config(r1, "aggregate-address 10.0.0.0 255.0.0.0 as-set")
    wait_agg_at_r2(r2, "65001", False, origin="IGP")
    s = raw_peer_connect(r3.ns)
    lab.add_finalizer(s.close)
    paths = {p: [65003] + [RAW_BASE_AS + 254 * i + k for k in range(254)]
             for i, p in enumerate(RAW_PREFIXES)}
    for i, p in enumerate(RAW_PREFIXES):
        first = i == 0
        s.sendall(raw_update(p, paths[p], origin=1 if first else 0, atomic=first))

    def agg_shape(n_sets, n_asns, origin, atomic):
        """R2's aggregate: from R1, this ORIGIN, ATOMIC_AGGREGATE or not, and an AS path of
        65001 then n_sets AS_SETs of at most 255 ASes, n_asns in all, none twice."""
        def pred(agg_paths):
            if not from_r1(is_text, origin=origin, aggregatorAs=65001)(agg_paths):
                return False
            if (agg_paths[0].get("atomicAggregate") is True) != atomic:
                return False
            seq, sets = as_sets(agg_paths[0]["path"])
            flat = [a for st in sets for a in st]
            return (seq == ["65001"] and len(sets) >= n_sets and all(len(st) <= 255 for st in sets)
                    and len(flat) == n_asns and len(set(flat)) == n_asns)
        pred.__name__ = (f"origin {origin}, atomicAggregate {atomic}, 65001 then {n_sets} "
                         f"AS_SETs of {n_asns} ASes in all")
        return pred

    wait_subset(lambda: {"paths": agg_at_r2(r2)}, {"paths": agg_shape(5, 1271, "EGP", True)},
                timeout=UP)
    _, sets = as_sets(agg_at_r2(r2)[0]["path"])
    every = set(a for p in paths.values() for a in p)
    assert set(a for st in sets for a in st) == every
    # the same on the wire, decoded independently: the last UPDATE of 10.0.0.0/8 R2 received
    wait_until(lambda: wire_set_members(cap) == every, MOVE,
               desc="the aggregate's UPDATE with every AS on the wire")
    assert_rfc_as_set_path(wire_as_path(cap, "10.0.0.0/8"), every)

    s.sendall(raw_withdraw(RAW_PREFIXES[0]))
    wait_subset(lambda: {"paths": agg_at_r2(r2)}, {"paths": agg_shape(4, 1017, "IGP", False)},
                timeout=MOVE)
    assert RAW_PREFIXES[0] not in bgp_routes(r2)
    rest = set(a for p in RAW_PREFIXES[1:] for a in paths[p])
    wait_until(lambda: wire_set_members(cap) == rest, MOVE,
               desc="the aggregate's new UPDATE on the wire")
    assert_rfc_as_set_path(wire_as_path(cap, "10.0.0.0/8"), rest)
