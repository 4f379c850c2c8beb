"""Prefix counts per address family in `show ip bgp neighbors json` (addressFamilies), between
two Terns with an IPv4 session and an IPv6 session (MP-BGP, RFC 4760) on one link.

    A (AS 65001) 10.0.0.1, 2001:db8::1 ---- eth0 ---- 10.0.0.2, 2001:db8::2 (AS 65002) B

Each redistributes its connected IPv4 and IPv6 prefixes (loopback addresses and the link), so
each session carries its own family's prefixes both ways. Each count is checked against
something else that says the same: a neighbour's accepted and received counts against the
paths from it in A's BGP tables, the sender's sent counts against the receiver's received
counts, the whole-peer numbers (pfxRcvd, prefixesReceived, prefixesAccepted) against the
families' sum; then a withdrawal moves the withdrawn counts, sent and received, by one."""

from netlab import pair, wait_until
from routes_helpers import bgp_routes, start_tern

UP = 40
MOVE = 20

A_V4, A_V6 = "10.0.0.1", "2001:db8::1"
B_V4, B_V6 = "10.0.0.2", "2001:db8::2"
B_LOOPBACKS6 = ["2001:db8:60::1/64", "2001:db8:61::1/64"]
GONE6 = "2001:db8:61::/64"


def nb(addr, asn):
    return {"neighbor": addr, "remote_as": asn, "timers": (2, 6)}


def families(tern, peer):
    return tern.neighbor(peer)["addressFamilies"]


def paths_from(tern, peer, family):
    """How many prefixes of A's BGP table (family 4 or 6) hold a path from peer."""
    return sum(1 for paths in bgp_routes(tern, family).values()
               if any(p.get("peer") == peer for p in paths))


def consistent(a, b, a_peer, b_peer, family, other):
    """A's counts for its neighbour b_peer agree with A's table and with B's counts for
    a_peer (the same session seen from the other end); the other family has none."""
    fa, fb = families(a, b_peer), families(b, a_peer)
    mine, theirs = fa[family], fb[family]
    held = paths_from(a, b_peer, 4 if family == "ipv4" else 6)
    return (held > 0 and mine["prefixesAccepted"] == held
            and mine["announcedReceived"] - mine["withdrawnReceived"] == held
            and theirs["announcedSent"] == mine["announcedReceived"]
            and theirs["withdrawnSent"] == mine["withdrawnReceived"]
            and mine["announcedSent"] == theirs["announcedReceived"] > 0
            and all(v == 0 for v in fa[other].values())
            and all(v == 0 for v in fb[other].values()))


def test_counts_per_address_family(lab, need):
    need("tern")
    a, b = pair(lab)
    a.ip("addr", "add", f"{A_V6}/64", "dev", "eth0", "nodad")
    b.ip("addr", "add", f"{B_V6}/64", "dev", "eth0", "nodad")
    a.addr("lo", "172.17.1.1/24")
    a.ip("addr", "add", "2001:db8:71::1/64", "dev", "lo", "nodad")
    b.addr("lo", "172.16.1.1/24")
    b.addr("lo", "172.16.2.1/24")
    for p in B_LOOPBACKS6:
        b.ip("addr", "add", p, "dev", "lo", "nodad")
    ta = start_tern(a, "ta", "10.0.0.1", 65001, [nb(B_V4, 65002), nb(B_V6, 65002)],
                    bgp_lines=["redistribute connected"])
    tb = start_tern(b, "tb", "10.0.0.2", 65002, [nb(A_V4, 65001), nb(A_V6, 65001)],
                    bgp_lines=["redistribute connected"])

    wait_until(lambda: {"172.16.1.0/24", "172.16.2.0/24"} <= set(bgp_routes(ta)), UP,
               desc="B's IPv4 prefixes at A")
    wait_until(lambda: {"2001:db8:60::/64", GONE6} <= set(bgp_routes(ta, 6)), UP,
               desc="B's IPv6 prefixes at A")
    wait_until(lambda: consistent(ta, tb, A_V4, B_V4, "ipv4", "ipv6"), MOVE, interval=0.5,
               desc="IPv4 session's counts")
    wait_until(lambda: consistent(ta, tb, A_V6, B_V6, "ipv6", "ipv4"), MOVE, interval=0.5,
               desc="IPv6 session's counts")

    # The whole-peer numbers are the families' sums, as printed before per-family counts.
    summary = ta.summary()["peers"]
    for peer in (B_V4, B_V6):
        n = ta.neighbor(peer)
        per_family = n["addressFamilies"]
        total = sum(f["prefixesAccepted"] for f in per_family.values())
        assert n["prefixesReceived"] == total == summary[peer]["pfxRcvd"], (n, summary[peer])
        assert n["prefixesAccepted"] == {k: f["prefixesAccepted"] for k, f in per_family.items()}
    assert families(ta, B_V4)["ipv4"]["withdrawnReceived"] == 0

    # B withdraws one IPv6 prefix: one withdrawal sent by B, received by A, on that family.
    before = families(ta, B_V6)["ipv6"]
    b.ip("addr", "del", B_LOOPBACKS6[1], "dev", "lo")
    wait_until(lambda: GONE6 not in bgp_routes(ta, 6), MOVE, desc=f"{GONE6} withdrawn at A")
    wait_until(lambda: consistent(ta, tb, A_V6, B_V6, "ipv6", "ipv4"), MOVE, interval=0.5,
               desc="IPv6 session's counts after the withdrawal")
    after = families(ta, B_V6)["ipv6"]
    assert after["withdrawnReceived"] == before["withdrawnReceived"] + 1, (before, after)
    assert after["announcedReceived"] == before["announcedReceived"], (before, after)
    assert after["prefixesAccepted"] == before["prefixesAccepted"] - 1, (before, after)
    assert families(tb, A_V6)["ipv6"]["withdrawnSent"] == before["withdrawnReceived"] + 1
