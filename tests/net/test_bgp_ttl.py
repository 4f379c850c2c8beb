"""The EBGP connected check and GTSM (RFC 5082), judged from the wire.

The connected check from the kernel's view: a peer that connects the instant its link comes up
is accepted (the interface's carrier is on, its operational state not yet reported), Tern's
own connect goes out as soon as the link is there, and a session closes as soon as its link
loses carrier; EBGP between loopbacks one link apart is
refused without `disable-connected-check` (the reason shown by `show ip bgp neighbors`) and comes
up with it, still with TTL 1. GTSM with FRR (`ttl-security hops 1` on both sides): Established,
and every packet Tern sends has TTL 255; a mismatch either way gives no session. Every TTL is
read from a packet capture, never from Tern's own word."""

import errno
import socket
import time

import pytest

import netlab
from netlab import (OPEN, Bird, Frr, Tern, TcpCapture, pair, raw_establish,
                    recv_until, stays, wait_subset, wait_until)

UP = 30     # seconds allowed for a session to come up (FRR takes a few)


def sent_ttls(cap, src, dst):
    """TTLs of the connection attempts (SYN) and data segments src sent to dst: what the
    sending program chose (the kernel answers a SYN, or resets a refused one, on its own)."""
    return [p["ttl"] for p in list(cap.packets) if p["src"] == src and p["dst"] == dst
            and ((p["flags"] & 0x12) == 0x02 or p["len"] > 0)]


def neighbor_text(tern, addr):
    return tern.ternc("show", "ip", "bgp", "neighbors", addr).stdout


# ----------------------------------------------------------------------------------------------
# 1. Carrier lag never refuses a directly connected peer

def link_not_yet_running(lab, a, b):
    """The veth a:eth0 - b:eth0 (10.0.0.1/24, 10.0.0.2/24), made and brought up now, with a's
    end held where a new link is in its first moments: administratively up, carrier on, but
    its operational state not reported up (link mode dormant: IFF_RUNNING stays off, as it is
    while the kernel's link watch has not caught up). Packets flow all the same."""
    a.ip("link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", b.name)
    a.ip("link", "set", "eth0", "mode", "dormant")
    a.addr("eth0", "10.0.0.1/24")
    b.addr("eth0", "10.0.0.2/24")
    a.ip("link", "set", "eth0", "up")
    b.ip("link", "set", "eth0", "up")


def not_running(ns):
    """a's end still has carrier (LOWER_UP) but is not operationally up (no RUNNING)."""
    out = ns.ip("link", "show", "eth0").stdout
    return "LOWER_UP" in out and "state DORMANT" in out


def connect_when_link_works(ns, dst, timeout=5.0):
    """A TCP connection to dst:179 made the moment the link lets it through: connection-level
    failures (no ARP answer yet, no route yet) are retried at once, nothing else is."""
    deadline = time.monotonic() + timeout
    while True:
        s = ns.socket()
        s.settimeout(max(0.05, min(1.0, deadline - time.monotonic())))
        try:
            s.connect((dst, 179))
            return s
        except OSError as e:
            s.close()
            if time.monotonic() > deadline or e.errno == errno.ECONNREFUSED:
                raise
            if not isinstance(e, socket.timeout) and e.errno not in (
                    errno.EHOSTUNREACH, errno.ENETUNREACH, errno.EAGAIN, errno.EINPROGRESS):
                raise
            time.sleep(0.01)


def test_peer_connecting_at_link_up_is_accepted(lab, need):
    """Tern (passive, default timers) runs before its link exists; the veth is made, addressed
    and brought up, and the peer connects at that instant, while Tern's interface has carrier
    but is not yet reported running. Tern takes that very connection: OPEN, KEEPALIVE,
    Established, on the first TCP connection the peer made."""
    need("ternd", "ternc")
    a, b = lab.netns("a"), lab.netns("b")
    tern = Tern(a, "10.0.0.1", 65001, [{"neighbor": "10.0.0.2", "remote_as": 65002,
                                        "passive": True, "timers": (2, 6)}])
    link_not_yet_running(lab, a, b)
    sock = connect_when_link_works(b, "10.0.0.1")
    lab.add_finalizer(sock.close)
    body, seen = recv_until(sock, OPEN, timeout=5)
    assert body is not None, f"Tern closed the connection made at link-up (saw {seen}):\n" \
        f"{neighbor_text(tern, '10.0.0.2')}"
    raw_establish(sock, 65002, "10.0.0.2", hold=6)
    n = wait_subset(lambda: tern.neighbor("10.0.0.2"), {
        "state": "Established", "connectionInitiatedBy": "remote", "establishedCount": 1},
        timeout=5)
    assert n["connectedCheck"] is True and n["outgoingTtl"] == 1, n
    assert not_running(a), "the test held the link in its first moments throughout"


def test_tern_connects_as_soon_as_link_is_up(lab, need):
    """Tern (active, default ConnectRetry of 120 s) starts while the peer's subnet does not
    exist: it is refused by its own connected check. When the veth is made its connect goes
    out at once (the link and address changes retry it), not two minutes later. (Tern learns
    of the link when the kernel reports it running, so this one is not held dormant.)"""
    need("ternd", "ternc")
    a, b = lab.netns("a"), lab.netns("b")
    listener = b.socket()
    lab.add_finalizer(listener.close)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("0.0.0.0", 179))
    listener.listen(4)
    tern = Tern(a, "10.0.0.1", 65001, [{"neighbor": "10.0.0.2", "remote_as": 65002,
                                        "timers": (2, 6)}])
    wait_subset(lambda: tern.neighbor("10.0.0.2"),
                {"downReason": lambda v: v is not None and "not directly connected" in v},
                timeout=5)
    lab.link(a, b, "10.0.0.1/24", "10.0.0.2/24")
    made = time.monotonic()
    listener.settimeout(10)
    sock, peer = listener.accept()
    lab.add_finalizer(sock.close)
    assert peer[0] == "10.0.0.1", peer
    assert time.monotonic() - made < 5, "Tern waited for its ConnectRetry timer"
    body, seen = recv_until(sock, OPEN, timeout=5)
    assert body is not None, seen
    raw_establish(sock, 65002, "10.0.0.2", hold=6)
    wait_subset(lambda: tern.neighbor("10.0.0.2"), {
        "state": "Established", "connectionInitiatedBy": "local", "downReason": None},
        timeout=5)


def test_fast_external_fallover_on_carrier_loss(lab, need):
    """A single-hop EBGP session is closed the moment its link loses carrier (the peer's end
    goes down), well before the 6 s hold time: fast external fallover asks for carrier, which
    the kernel reports at once, not for the operational state that lags."""
    need("ternd", "ternc")
    a, b = pair(lab)
    tern_a = Tern(a, "10.0.0.1", 65001, [{"neighbor": "10.0.0.2", "remote_as": 65002,
                                          "timers": (2, 6), "connect": 2}], name="tern-a")
    Tern(b, "10.0.0.2", 65002, [{"neighbor": "10.0.0.1", "remote_as": 65001, "timers": (2, 6),
                                 "passive": True}], name="tern-b")
    wait_subset(lambda: tern_a.neighbor("10.0.0.2"), {"state": "Established"}, timeout=UP)
    b.ip("link", "set", "eth0", "down")
    cut = time.monotonic()
    wait_until(lambda: any("fast external fallover" in m.get("text", "")
                           for m in tern_a.messages("10.0.0.2")), 5,
               desc="Tern closes the session when the link loses carrier")
    assert time.monotonic() - cut < 4, "closed by the hold timer, not by fallover"
    assert tern_a.bgp_state("10.0.0.2") != "Established"


# ----------------------------------------------------------------------------------------------
# 2. EBGP between loopbacks one link apart: disable-connected-check

def loopbacks_one_link(lab):
    """a (10.0.0.1, lo 10.255.0.1) and b (10.0.0.2, lo 10.255.0.2) on one veth, static routes
    to each other's loopback through the link address: one hop, but not a connected subnet."""
    a, b = pair(lab)
    a.loopback("10.255.0.1")
    b.loopback("10.255.0.2")
    a.route("10.255.0.2/32", via="10.0.0.2")
    b.route("10.255.0.1/32", via="10.0.0.1")
    return a, b


def loopback_neighbor(addr, remote_as, *lines, passive=False, connect=None):
    n = {"neighbor": addr, "remote_as": remote_as, "timers": (2, 6), "passive": passive,
         "update_source": "Loopback0", "lines": [f"neighbor {addr} {ln}" for ln in lines]}
    if connect:
        n["connect"] = connect
    return n


def test_ebgp_loopbacks_disable_connected_check(lab, need):
    """EBGP 10.255.0.1 <-> 10.255.0.2 (update-source Loopback0, one link, static routes), B
    passive. Without disable-connected-check A never connects (nothing leaves it) and says why
    in `show ip bgp neighbors`; with it on A only, A connects with TTL 1 and B refuses the
    connection, saying why; with it on both the session is Established and every segment
    either side sends carries TTL 1 (one hop: the TTL still reaches)."""
    need("ternd", "ternc")
    a, b = loopbacks_one_link(lab)
    cap = TcpCapture(a, "eth0")
    tern_b = Tern(b, "10.255.0.2", 65002,
                  [loopback_neighbor("10.255.0.1", 65001, passive=True)], name="tern-b")
    tern_a = Tern(a, "10.255.0.1", 65001,
                  [loopback_neighbor("10.255.0.2", 65002, connect=2)], name="tern-a")

    # 1. neither has it: A refuses to connect
    n = wait_subset(lambda: tern_a.neighbor("10.255.0.2"), {
        "state": lambda v: v != "Established", "connectedCheck": True, "outgoingTtl": 1,
        "downReason": lambda v: v is not None and "EBGP peer not directly connected" in v},
        timeout=5)
    assert "EBGP peer not directly connected" in neighbor_text(tern_a, "10.255.0.2"), n
    assert "configured for connected checks" in neighbor_text(tern_a, "10.255.0.2")
    stays(lambda: tern_a.bgp_state("10.255.0.2") != "Established", 3,
          desc="no session without disable-connected-check")
    assert sent_ttls(cap, "10.255.0.1", "10.255.0.2") == [], \
        "the check refuses before anything is sent"

    # 2. A has it, B not: A connects with TTL 1, B refuses the connection and says why
    tern_a.configure("neighbor 10.255.0.2 disable-connected-check")
    wait_until(lambda: sent_ttls(cap, "10.255.0.1", "10.255.0.2"), 10,
               desc="A connects once the check is off")
    wait_subset(lambda: tern_b.neighbor("10.255.0.1"), {
        "state": lambda v: v != "Established",
        "downReason": lambda v: v is not None and "EBGP peer not directly connected" in v},
        timeout=10)
    assert "EBGP peer not directly connected" in neighbor_text(tern_b, "10.255.0.1")
    assert any("refused: EBGP peer not directly connected" in m.get("text", "")
               for m in tern_b.messages("10.255.0.1")), tern_b.messages("10.255.0.1")

    # 3. both have it: Established, TTL 1 both ways
    tern_b.configure("neighbor 10.255.0.1 disable-connected-check")
    n = wait_subset(lambda: tern_a.neighbor("10.255.0.2"), {
        "state": "Established", "localAddress": "10.255.0.1", "remoteAddress": "10.255.0.2",
        "connectedCheck": False, "outgoingTtl": 1}, timeout=UP)
    wait_subset(lambda: tern_b.neighbor("10.255.0.1"), {"state": "Established"}, timeout=10)
    assert "NOT configured for connected checks" in neighbor_text(tern_a, "10.255.0.2")
    wait_until(lambda: len(sent_ttls(cap, "10.255.0.2", "10.255.0.1")) >= 2, 10,
               desc="B's OPEN and KEEPALIVE on the wire")
    for src, dst in (("10.255.0.1", "10.255.0.2"), ("10.255.0.2", "10.255.0.1")):
        ttls = sent_ttls(cap, src, dst)
        assert ttls and set(ttls) == {1}, (src, ttls)


# ----------------------------------------------------------------------------------------------
# 3. GTSM (RFC 5082) with FRR

def frr_peer(ns, *lines):
    return Frr(ns, "10.0.0.2", 65002, [{"neighbor": "10.0.0.1", "remote_as": 65001,
                                        "timers": (2, 6),
                                        "lines": [f"neighbor 10.0.0.1 {ln}" for ln in lines]}],
               name="frr-b", keepalive=2, hold=6)


def tern_peer(ns, *lines, passive=False):
    return Tern(ns, "10.0.0.1", 65001, [{
        "neighbor": "10.0.0.2", "remote_as": 65002, "timers": (2, 6), "connect": 2,
        "passive": passive, "lines": [f"neighbor 10.0.0.2 {ln}" for ln in lines]}])


def test_gtsm_with_frr(lab, need):
    """Tern and FRR both with `ttl-security hops 1`: Established; every SYN and data segment
    Tern sends has TTL 255, and so has FRR's; `show ip bgp neighbors` says so."""
    need("ternd", "ternc", "frr")
    a, b = pair(lab)
    cap = TcpCapture(a, "eth0")
    frr = frr_peer(b, "ttl-security hops 1")
    tern = tern_peer(a, "ttl-security hops 1")
    n = wait_subset(lambda: tern.neighbor("10.0.0.2"), {
        "state": "Established", "remoteRouterId": "10.0.0.2", "ttlSecurityHops": 1,
        "outgoingTtl": 255, "minIncomingTtl": 255}, timeout=UP)
    frr.wait_established("10.0.0.1", 10)
    wait_until(lambda: len(sent_ttls(cap, "10.0.0.1", "10.0.0.2")) >= 3, 10,
               desc="Tern's OPEN, KEEPALIVEs on the wire")
    ttls = sent_ttls(cap, "10.0.0.1", "10.0.0.2")
    assert set(ttls) == {255}, ttls
    theirs = sent_ttls(cap, "10.0.0.2", "10.0.0.1")
    assert theirs and set(theirs) == {255}, theirs
    text = neighbor_text(tern, "10.0.0.2")
    assert "Minimum incoming TTL 255, Outgoing TTL 255" in text, text
    assert "External BGP neighbor may be up to 1 hop away." in text, text
    assert n["connectedCheck"] is True, n


def test_gtsm_mismatch_tern_without(lab, need):
    """FRR with ttl-security hops 1, Tern without (single-hop EBGP: TTL 1) and passive: FRR
    connects with its minimum TTL of 255 already set, its kernel drops what Tern sends, so no
    session comes up, and FRR stays alive. (Tern is passive because FRR 8.4 sets the minimum
    on a connection it accepts only after accept(), when the first segments of a peer that
    connected to it may already be queued: a mismatched session then lasts one hold time.)"""
    need("ternd", "ternc", "frr")
    a, b = pair(lab)
    cap = TcpCapture(a, "eth0")
    frr = frr_peer(b, "ttl-security hops 1")
    tern = tern_peer(a, passive=True)
    wait_until(lambda: len(sent_ttls(cap, "10.0.0.1", "10.0.0.2")) >= 2, 15,
               desc="Tern answers FRR's connections")
    stays(lambda: tern.bgp_state("10.0.0.2") != "Established"
          and frr.bgp_state("10.0.0.1") != "Established", 8, desc="no session")
    ttls = sent_ttls(cap, "10.0.0.1", "10.0.0.2")
    assert ttls and set(ttls) == {1}, ttls
    assert frr.alive() and tern.alive()


def test_gtsm_mismatch_frr_without(lab, need):
    """Tern with ttl-security hops 1, FRR without (it sends with TTL 1): Tern's minimum TTL of
    255 drops FRR's segments, on the connection Tern opens and on the one it accepts, so no
    session comes up; Tern itself sent only TTL 255."""
    need("ternd", "ternc", "frr")
    a, b = pair(lab)
    cap = TcpCapture(a, "eth0")
    frr = frr_peer(b)
    tern = tern_peer(a, "ttl-security hops 1")
    wait_until(lambda: len(sent_ttls(cap, "10.0.0.2", "10.0.0.1")) >= 2
               and sent_ttls(cap, "10.0.0.1", "10.0.0.2"), 15, desc="both sides try")
    stays(lambda: tern.bgp_state("10.0.0.2") != "Established"
          and frr.bgp_state("10.0.0.1") != "Established", 8, desc="no session")
    theirs = sent_ttls(cap, "10.0.0.2", "10.0.0.1")
    assert theirs and set(theirs) == {1}, theirs
    ours = sent_ttls(cap, "10.0.0.1", "10.0.0.2")
    assert ours and set(ours) == {255}, ours
    assert frr.alive() and tern.alive()
    received = tern.neighbor("10.0.0.2")["messages"]["received"]
    assert received["open"] == 0 and received["keepalive"] == 0, received
    # FRR's own connections are refused by the TTL of their SYN
    wait_until(lambda: any("SYN arrived with TTL 1," in m.get("text", "")
                           for m in tern.messages("10.0.0.2")), 10,
               desc="Tern refuses FRR's connections by their SYN's TTL")


def test_gtsm_with_bird(lab, need):
    """Tern with ttl-security hops 1 and BIRD with `ttl security yes`: Established, TTL 255."""
    need("ternd", "ternc", "bird")
    a, b = pair(lab)
    cap = TcpCapture(a, "eth0")
    bird = Bird(b, "10.0.0.2", 65002, [{"neighbor": "10.0.0.1", "remote_as": 65001,
                                        "extra": "  ttl security yes;\n"}], name="bird-b")
    tern = tern_peer(a, "ttl-security hops 1")
    wait_subset(lambda: tern.neighbor("10.0.0.2"), {"state": "Established"}, timeout=UP)
    bird.wait_established("10.0.0.1", 10)
    wait_until(lambda: len(sent_ttls(cap, "10.0.0.1", "10.0.0.2")) >= 3, 10,
               desc="Tern's segments on the wire")
    ttls = sent_ttls(cap, "10.0.0.1", "10.0.0.2")
    assert set(ttls) == {255}, ttls
    theirs = sent_ttls(cap, "10.0.0.2", "10.0.0.1")
    assert theirs and set(theirs) == {255}, theirs


def test_ttl_security_and_multihop_refused_live(lab, need):
    """At run time as in a file: ttl-security beside ebgp-multihop is refused in either order
    with IOS's message, and the running configuration stays as it was."""
    need("ternd", "ternc")
    a, b = pair(lab)
    tern = Tern(a, "10.0.0.1", 65001, [
        {"neighbor": "10.0.0.2", "remote_as": 65002, "multihop": 2},
        {"neighbor": "10.0.0.3", "remote_as": 65003, "lines": ["neighbor 10.0.0.3 ttl-security hops 2"]}])
    before = tern.ternc("show", "running-config").stdout
    for line in ("neighbor 10.0.0.2 ttl-security hops 1", "neighbor 10.0.0.3 ebgp-multihop 2"):
        with pytest.raises(netlab.TernError) as e:
            tern.configure(line)
        assert "ttl-security and ebgp-multihop cannot be configured together" in str(e.value)
    assert tern.ternc("show", "running-config").stdout == before


def test_gtsm_ipv6_between_terns(lab, need):
    """The same over IPv6 (IPV6_UNICAST_HOPS 255, IPV6_MINHOPCOUNT 255), Tern with Tern, one
    side passive: Established, and every segment either side sends has hop limit 255; a third
    Tern without ttl-security (hop limit 1) on the same link gets no session with the first,
    whose log says it refused the third's connections by their SYN's hop limit."""
    need("ternd", "ternc")
    a, b = lab.netns("a"), lab.netns("b")
    a.ip("link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", b.name)
    for ns, addr in ((a, "2001:db8::1/64"), (b, "2001:db8::2/64")):
        ns.ip("addr", "add", addr, "dev", "eth0", "nodad")
        ns.ip("link", "set", "eth0", "up")
    cap = TcpCapture(a, "eth0")

    def tern(ns, rid, asn, peer, peer_as, name, *lines, passive=False):
        return Tern(ns, rid, asn, [{"neighbor": peer, "remote_as": peer_as, "timers": (2, 6),
                                    "connect": 2, "passive": passive,
                                    "lines": [f"neighbor {peer} {ln}" for ln in lines]}],
                    name=name)

    ta = tern(a, "10.0.0.1", 65001, "2001:db8::2", 65002, "tern-a", "ttl-security hops 1")
    tb = tern(b, "10.0.0.2", 65002, "2001:db8::1", 65001, "tern-b", "ttl-security hops 1",
              passive=True)
    wait_subset(lambda: ta.neighbor("2001:db8::2"), {
        "state": "Established", "ttlSecurityHops": 1, "outgoingTtl": 255,
        "minIncomingTtl": 255}, timeout=UP)
    wait_subset(lambda: tb.neighbor("2001:db8::1"), {"state": "Established"}, timeout=10)
    wait_until(lambda: len(sent_ttls(cap, "2001:db8::2", "2001:db8::1")) >= 2, 10,
               desc="B's OPEN and KEEPALIVE on the wire")
    for src, dst in (("2001:db8::1", "2001:db8::2"), ("2001:db8::2", "2001:db8::1")):
        hops = sent_ttls(cap, src, dst)
        assert hops and set(hops) == {255}, (src, hops)

    # B without ttl-security sends with hop limit 1: A's minimum drops it
    tb.stop()
    cap.packets.clear()
    tc = tern(b, "10.0.0.2", 65002, "2001:db8::1", 65001, "tern-c")
    wait_until(lambda: sent_ttls(cap, "2001:db8::2", "2001:db8::1"), 15, desc="C tries")
    stays(lambda: ta.bgp_state("2001:db8::2") != "Established"
          and tc.bgp_state("2001:db8::1") != "Established", 6, desc="no session")
    hops = sent_ttls(cap, "2001:db8::2", "2001:db8::1")
    assert hops and set(hops) == {1}, hops
    # C's own connections are refused by their SYN's hop limit, before a byte is read. C
    # tries only while it has no connection under way: A's own connection to C hangs in
    # OpenConfirm at C (A drops C's hop-limit-1 KEEPALIVEs) until C's hold timer ends it.
    wait_until(lambda: any("SYN arrived with TTL 1," in m.get("text", "")
                           for m in ta.messages("2001:db8::2")), 30,
               desc="A refuses C's connection by its SYN's hop limit")
    assert ta.bgp_state("2001:db8::2") != "Established"
