"""Tern with GoBGP, OpenBGPD and ExaBGP in network namespaces.

Each peer (10.0.0.2) runs beside a Tern (10.0.0.1, AS 65001) on one veth, started before or
after it. The peer announces one prefix with a longer AS_PATH, a MED, two communities and
ORIGIN EGP, and one plain prefix; Tern announces two `network` prefixes through a route-map
out that sets a MED and a community. What Tern holds is read from `show ip bgp json`; what the
peer holds from its own tools: `gobgp global rib -j` and `gobgp neighbor -j`, `bgpctl -j show
rib detail` and `bgpctl -j show neighbor`, and the JSON ExaBGP hands its API process
(tests/net/exabgp_api.py). Then each side withdraws one prefix, and `neighbor A shutdown
[message T]` on Tern must reach the peer as a Cease/Administrative Shutdown NOTIFICATION
(RFC 4486, 6/2) carrying T (RFC 8203).

Tern offers hold time 6 and the peers 9: both sides must settle on 6 (RFC 4271 §4.2) and keep
the session up past it. Tern keeps its default ConnectRetry: in "tern-first" its first
connection finds nobody listening, in "peer-first" the peer's first one does. Every wait is a
bounded poll on the condition asserted."""

import pytest

from netlab import (ExaBgp, GoBgp, OpenBgpd, Tern, gobgp_as_path, gobgp_attr, pair, stays,
                    wait_subset, wait_until)
from routes_helpers import bgp_routes, only_path_like, tern_global, tern_routes_config

UP = 40         # seconds for a session to come up and its first routes to arrive
MOVE = 20       # seconds for a change to travel

TERN, PEER = "10.0.0.1", "10.0.0.2"
TERN_AS = 65001
TERN_HOLD, PEER_HOLD = 6, 9
KINDS = ["gobgp", "openbgpd", "exabgp"]
ORDERS = ["tern-first", "peer-first"]

# Tern's prefixes: one stays, one is withdrawn with `no network`
TERN_KEEP, TERN_GONE = "172.16.1.0/24", "172.16.2.0/24"
# what the peers see of them: the route-map out sets these
TERN_MED, TERN_COMMUNITY = 70, "65001:7"
# RFC 8203 Shutdown Communication sent with the Cease; ExaBGP 4.2.21 cannot decode one (on
# Python 3 its parser formats the text into bytes with %s, raises TypeError, and answers with
# NOTIFICATION 1/0 "can not decode"), so ExaBGP gets a bare `neighbor A shutdown`
SHUTDOWN_TEXT = "maintenance: back at 09:00"


# ----------------------------------------------------------------------------------------------
# each peer: its AS, its prefixes, how it starts, withdraws, and shows what it holds

PEERS = {
    "gobgp": {
        "asn": 65002,
        # the prefix with attributes; in Tern's table: GoBGP prepends its own AS
        "rich": "10.30.0.0/16",
        "rich_path": "65002 65100 65200",
        "communities": "65002:100 65002:200",
        "plain": "10.31.0.0/16",
    },
    "openbgpd": {
        "asn": 65003,
        # OpenBGPD cannot originate a foreign AS: `prepend-self 1` lengthens the path
        "rich": "10.40.0.0/16",
        "rich_path": "65003 65003",
        "communities": "65003:300 65003:301",
        "plain": "10.41.0.0/16",
    },
    "exabgp": {
        "asn": 65004,
        # ExaBGP sends the AS_PATH it is given, so it is given its own AS first
        "rich": "10.50.0.0/16",
        "rich_path": "65004 65100",
        "communities": "65004:400 65004:401",
        "plain": "10.51.0.0/16",
    },
}


def start_peer(kind, ns):
    """The peer in `ns` at 10.0.0.2, announcing its two prefixes, ready for commands (its
    session need not be up)."""
    p = PEERS[kind]
    asn = p["asn"]
    if kind == "gobgp":
        peer = GoBgp(ns, PEER, asn, [{"neighbor": TERN, "remote_as": TERN_AS,
                                      "hold": PEER_HOLD, "keepalive": PEER_HOLD // 3}])
        peer.add_route(p["rich"], "origin", "egp", "aspath", "65100,65200", "med", "50",
                       "community", "65002:100,65002:200")
        peer.add_route(p["plain"], "origin", "igp")
        return peer
    if kind == "openbgpd":
        peer = OpenBgpd(ns, PEER, asn, [{"neighbor": TERN, "remote_as": TERN_AS,
                                         "hold": PEER_HOLD}], networks=[
            f"{p['rich']} set {{ origin egp prepend-self 1 med 50 community 65003:300 "
            "community 65003:301 }"])
        # the plain one through bgpctl, so that it can be withdrawn the same way
        peer.bgpctl("network", "add", p["plain"])
        return peer
    return ExaBgp(ns, PEER, asn, PEER, TERN, TERN_AS, hold=PEER_HOLD, routes=[
        f"{p['rich']} next-hop {PEER} origin egp as-path [ 65004 65100 ] med 50 "
        "community [ 65004:400 65004:401 ]",
        f"{p['plain']} next-hop {PEER}"])


def peer_withdraw(kind, peer, prefix):
    if kind == "gobgp":
        peer.del_route(prefix)
    elif kind == "openbgpd":
        peer.bgpctl("network", "delete", prefix)
    else:
        peer.send(f"withdraw route {prefix} next-hop {PEER}")


def peer_routes(kind, peer):
    """What the peer received from Tern, in its own words, normalised: {prefix: {"path",
    "nextHop", "origin", "med", "communities"}} (communities as "A:B" text, space-separated)."""
    out = {}
    if kind == "gobgp":
        for prefix, paths in peer.rib().items():
            for p in paths:
                if p.get("neighbor-ip") != TERN:
                    continue
                origin, med = gobgp_attr(p, 1), gobgp_attr(p, 4)
                nh, comms = gobgp_attr(p, 3), gobgp_attr(p, 8)
                out[prefix] = {
                    "path": gobgp_as_path(p),
                    "nextHop": nh and nh.get("nexthop"),
                    "origin": {0: "IGP", 1: "EGP", 2: "incomplete"}.get(
                        origin and origin.get("value")),
                    "med": med and med.get("metric", 0),
                    "communities": " ".join(f"{c >> 16}:{c & 0xFFFF}"
                                            for c in (comms or {}).get("communities", []))}
    elif kind == "openbgpd":
        for prefix, routes in peer.rib(detail=True).items():
            for r in routes:
                if r.get("neighbor", {}).get("remote_addr") != TERN:
                    continue
                out[prefix] = {
                    "path": r.get("aspath"), "nextHop": r.get("exit_nexthop"),
                    "origin": r.get("origin"), "med": r.get("metric"),
                    "communities": " ".join(c for c in r.get("communities", []))}
    else:
        for prefix, r in peer.rib().items():
            a = r["attribute"]
            out[prefix] = {
                "path": " ".join(str(x) for x in a.get("as-path", [])),
                "nextHop": r["next_hop"], "origin": ORIGINS.get(a.get("origin")),
                "med": a.get("med"),
                "communities": " ".join(f"{x}:{y}" for x, y in a.get("community", []))}
    return out


ORIGINS = {"igp": "IGP", "egp": "EGP", "incomplete": "incomplete"}


def peer_hold_time(kind, peer):
    """The hold time the peer's session runs with, as the peer shows it (ExaBGP shows none)."""
    if kind == "gobgp":
        return peer.neighbor(TERN)["timers"]["state"].get("negotiated_hold_time")
    if kind == "openbgpd":
        return peer.neighbor(TERN).get("session", {}).get("holdtime")
    return None


def peer_saw_shutdown(kind, peer):
    """The peer says it received a NOTIFICATION Cease / Administrative Shutdown (6/2) from
    Tern and its session is down: returns the Shutdown Communication it shows ("" for none),
    or None while it does not."""
    if kind == "gobgp":
        if peer.bgp_state(TERN) == "Established":
            return None
        seen = [e for e in peer.log() if e.get("msg") == "received notification"
                and e.get("Key") == TERN and (e.get("Code"), e.get("Subcode")) == (6, 2)]
        got = peer.neighbor(TERN)["state"]["messages"]["received"].get("notification", 0)
        return seen[-1].get("Communicated-Reason", "") if seen and got >= 1 else None
    if kind == "openbgpd":
        n = peer.neighbor(TERN)
        ok = (n.get("state") != "Established"
              and n.get("last_error_received") == "Cease, administratively down"
              and n["stats"]["message"]["received"]["notifications"] >= 1)
        return n.get("last_shutdown_reason", "") if ok else None
    if peer.bgp_state() == "Established":
        return None
    seen = [n for n in peer.notifications() if (n.get("code"), n.get("subcode")) == (6, 2)]
    return "" if seen and seen[-1].get("data") == "0x" else None


# ----------------------------------------------------------------------------------------------
# Tern

def start_tern(ns, peer_as):
    """Tern at 10.0.0.1 announcing TERN_KEEP and TERN_GONE through route-map OUT (MED 70,
    community 65001:7); hold time TERN_HOLD, ConnectRetry left at its default."""
    conf = tern_routes_config("tern", TERN, TERN_AS, [
        {"neighbor": PEER, "remote_as": peer_as,
         "timers": (TERN_HOLD // 3, TERN_HOLD), "lines": ["route-map OUT out"]}],
        networks=[TERN_KEEP, TERN_GONE])
    head, rest = conf.split("\n", 1)
    policy = (f"route-map OUT permit 10\n set metric {TERN_MED}\n"
              f" set community {TERN_COMMUNITY}\n")
    return Tern(ns, TERN, TERN_AS, [], name="tern", config=head + "\n" + policy + rest)


def tern_expects(kind):
    """The peer's two routes as Tern must show them (`show ip bgp json` subsets)."""
    p = PEERS[kind]
    base = {"valid": True, "best": True, "nextHop": PEER, "peer": PEER, "internal": False}
    return {
        p["rich"]: only_path_like({**base, "path": p["rich_path"], "origin": "EGP",
                                   "metric": 50, "communities": p["communities"]}),
        p["plain"]: only_path_like({**base, "path": str(p["asn"]), "origin": "IGP"}),
    }


def peer_expects(prefixes):
    return {pfx: {"path": str(TERN_AS), "nextHop": TERN, "origin": "IGP", "med": TERN_MED,
                  "communities": TERN_COMMUNITY} for pfx in prefixes}


def start_both(lab, kind, order):
    a, b = pair(lab)
    a.addr("lo", "172.16.1.1/24")
    a.addr("lo", "172.16.2.1/24")
    if order == "tern-first":
        tern = start_tern(a, PEERS[kind]["asn"])
        peer = start_peer(kind, b)
    else:
        peer = start_peer(kind, b)
        tern = start_tern(a, PEERS[kind]["asn"])
    return tern, peer


def absent(getter, prefix):
    def probe():
        return prefix not in getter()
    probe.__name__ = f"{prefix} absent"
    return probe


# ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("kind", KINDS)
def test_routes_both_ways(lab, need, kind, order):
    """The session comes up whoever starts first; the peer's prefixes are in Tern's table with
    their AS_PATH, MED, communities and ORIGIN, next hop the peer; Tern's `network` prefixes
    are in the peer's table with path "65001", next hop 10.0.0.1, ORIGIN IGP and the MED and
    community Tern's route-map out set. Both sides run the session with hold time 6."""
    need("tern", kind)
    tern, peer = start_both(lab, kind, order)
    tern.wait_established(PEER, timeout=UP)
    peer.wait_established(TERN, timeout=UP)
    wait_subset(lambda: bgp_routes(tern), tern_expects(kind), timeout=UP,
                desc=f"{kind}'s routes in Tern")
    wait_subset(lambda: peer_routes(kind, peer), peer_expects([TERN_KEEP, TERN_GONE]),
                timeout=UP, desc=f"Tern's routes at {kind}")
    assert tern.summary()["peers"][PEER]["pfxRcvd"] == 2
    # RFC 4271 §4.2: the smaller hold time of the two OPENs
    assert tern.neighbor(PEER).get("holdTime") == TERN_HOLD, tern.neighbor(PEER)
    if kind != "exabgp":
        assert peer_hold_time(kind, peer) == TERN_HOLD, peer.neighbor(TERN)


@pytest.mark.parametrize("kind", KINDS)
def test_withdrawals_and_shutdown(lab, need, kind):
    """The session stays up on both sides longer than its hold time. A prefix the peer withdraws leaves Tern's table, the other stays; a `no network` on Tern
    leaves the peer's table, the other stays; `neighbor 10.0.0.2 shutdown message T` on Tern
    reaches the peer as NOTIFICATION 6/2 with T (RFC 8203; bare for ExaBGP) and the session goes
    down on both sides, taking the routes."""
    need("tern", kind)
    p = PEERS[kind]
    tern, peer = start_both(lab, kind, "tern-first")
    wait_subset(lambda: bgp_routes(tern), tern_expects(kind), timeout=UP,
                desc=f"{kind}'s routes in Tern")
    wait_subset(lambda: peer_routes(kind, peer), peer_expects([TERN_KEEP, TERN_GONE]),
                timeout=UP, desc=f"Tern's routes at {kind}")
    # KEEPALIVEs flow both ways in time: up on both sides for longer than the hold time
    stays(lambda: tern.established(PEER) and peer.established(TERN), TERN_HOLD + 2,
          desc="session up on both sides")

    peer_withdraw(kind, peer, p["plain"])
    wait_until(absent(lambda: bgp_routes(tern), p["plain"]), MOVE)
    assert p["rich"] in bgp_routes(tern)

    tern.configure("no network 172.16.2.0 mask 255.255.255.0")
    wait_until(absent(lambda: peer_routes(kind, peer), TERN_GONE), MOVE)
    wait_subset(lambda: peer_routes(kind, peer), peer_expects([TERN_KEEP]), timeout=MOVE)

    text = "" if kind == "exabgp" else SHUTDOWN_TEXT
    tern.configure(f"neighbor {PEER} shutdown" + (f" message {text}" if text else ""))
    wait_until(lambda: peer_saw_shutdown(kind, peer) == text, MOVE,
               desc=f"{kind} reports Cease/Administrative Shutdown {text!r} from Tern")
    wait_until(lambda: tern.bgp_state(PEER) != "Established", MOVE)
    wait_until(absent(lambda: bgp_routes(tern), p["rich"]), MOVE)
    wait_until(absent(lambda: peer_routes(kind, peer), TERN_KEEP), MOVE)
    sent = tern.neighbor(PEER).get("lastNotificationSent") or {}
    assert (sent.get("code"), sent.get("subcode")) == (6, 2), tern.neighbor(PEER)


def test_route_refresh_gobgp(lab, need):
    """A route-map in bound live on Tern asks GoBGP for a ROUTE-REFRESH (RFC 2918); GoBGP counts
    it and sends its routes again, and they come back through the new policy: LOCAL_PREF 200,
    the attributes GoBGP sent unchanged. (Only GoBGP: OpenBGPD 7.7 drops every ROUTE-REFRESH,
    BIRD's too, logging "route refresh: AID IPv4 unicast not negotiated"; ExaBGP 4.2 does not
    announce the capability by default.)"""
    need("tern", "gobgp")
    kind = "gobgp"
    p = PEERS[kind]
    tern, peer = start_both(lab, kind, "tern-first")
    wait_subset(lambda: bgp_routes(tern), tern_expects(kind), timeout=UP,
                desc="GoBGP's routes in Tern")
    tern_global(tern, "route-map IN permit 10", "set local-preference 200", "exit",
                f"router bgp {TERN_AS}", f"neighbor {PEER} route-map IN in")
    wait_until(lambda: peer.neighbor(TERN)["state"]["messages"]["received"].get("refresh", 0)
               >= 1, MOVE, desc="GoBGP received a ROUTE-REFRESH")
    base = {"valid": True, "best": True, "nextHop": PEER, "peer": PEER, "localPref": 200}
    wait_subset(lambda: bgp_routes(tern), {
        p["rich"]: only_path_like({**base, "path": p["rich_path"], "origin": "EGP",
                                   "metric": 50, "communities": p["communities"]}),
        p["plain"]: only_path_like({**base, "path": str(p["asn"]), "origin": "IGP"})},
        timeout=MOVE, desc="GoBGP's routes again, through route-map IN")
