"""What an UPDATE is checked against before its routes are accepted: the first AS of the path
(`bgp enforce-first-as`, IOS's default, and its per-neighbour override) and a NEXT_HOP that
is one of this router's own addresses (RFC 4271 §6.3).

Tern (namespace a, 10.0.0.1, AS 65001, loopback 1.1.1.1) has one passive neighbour, a raw
Python peer at 10.0.0.2 (AS 65002) that sends exactly the UPDATE each step needs. After each
bad UPDATE the peer sends a good one; TCP keeps the order, so once the good prefix is in
Tern's table the bad one has been judged. Both cases are "ignore the route, keep the session"
(RFC 7606 treat-as-withdraw for the first AS, RFC 4271 §6.3 for the next hop): the session
must stay up with no NOTIFICATION on the wire, and the rejection must be visible in
`show ip bgp neighbors A json` and its message log.
"""

import socket
import struct

import netlab
from netlab import (KEEPALIVE, NOTIFICATION, UPDATE, Tern, bgp_msg, raw_establish, recv_msg,
                    wait_until)

TERN_AS, PEER_AS = 65001, 65002
TERN, PEER = "10.0.0.1", "10.0.0.2"


def update(prefix, as_path, next_hop, seg_type=2):
    """An UPDATE announcing prefix ("a.b.c.d/len") with ORIGIN IGP, an AS_PATH of one segment
    (4-octet ASNs: both sides offer RFC 6793; as_path [] is an empty AS_PATH) and NEXT_HOP."""
    path = b""
    if as_path:
        path = struct.pack("!BB", seg_type, len(as_path)) + b"".join(struct.pack("!I", a) for a in as_path)
    attrs = (b"\x40\x01\x01\x00" + struct.pack("!BBB", 0x40, 2, len(path)) + path +
             b"\x40\x03\x04" + socket.inet_aton(next_hop))
    addr, length = prefix.split("/")
    length = int(length)
    nlri = bytes([length]) + socket.inet_aton(addr)[:(length + 7) // 8]
    return bgp_msg(UPDATE, struct.pack("!H", 0) + struct.pack("!H", len(attrs)) + attrs + nlri)


def routes(tern):
    return tern.show_json("ip", "bgp").get("routes", {})


def no_notification(sock):
    """Reads what Tern sent so far (without waiting): no NOTIFICATION, and not closed."""
    sock.setblocking(False)
    try:
        data = b""
        while True:
            try:
                chunk = sock.recv(65536)
            except BlockingIOError:
                break
            assert chunk, "Tern closed the connection"
            data += chunk
    finally:
        sock.setblocking(True)
    i = 0
    while i + 19 <= len(data):
        length, mtype = struct.unpack("!HB", data[i + 16:i + 19])
        assert mtype != NOTIFICATION, f"Tern sent a NOTIFICATION: {data[i + 19:i + length]!r}"
        i += length


def judged(tern, sock, bad, good_prefix):
    """Sends the bad UPDATE, then a good one for good_prefix, and waits for good_prefix."""
    sock.sendall(bad + update(good_prefix, [PEER_AS], PEER))
    wait_until(lambda: good_prefix in routes(tern), 10, desc=f"{good_prefix} in show ip bgp")


def test_first_as_and_own_next_hop(lab, need):
    need("tern")
    a, b = netlab.pair(lab)
    a.loopback("1.1.1.1/32")
    tern = Tern(a, "1.1.1.1", TERN_AS,
                [{"neighbor": PEER, "remote_as": PEER_AS, "passive": True}])
    sock = b.tcp_connect(TERN, 179, src=PEER)
    m = recv_msg(sock, 10)
    assert m and m[0] == netlab.OPEN, m
    raw_establish(sock, PEER_AS, PEER)
    wait_until(lambda: tern.neighbor(PEER).get("state") == "Established", 10, desc="Established")

    # on by default: a path that does not start with the peer's AS is not accepted
    judged(tern, sock, update("203.0.113.0/24", [65099, PEER_AS], PEER), "198.51.100.1/32")
    assert "203.0.113.0/24" not in routes(tern)
    n = tern.neighbor(PEER)
    assert n["enforceFirstAs"] is True
    assert n["updatesRejected"] == 1, n
    assert "first AS" in n["lastRejected"], n
    # an AS_SET first or an empty AS_PATH has no first AS that is the peer's
    judged(tern, sock, update("203.0.113.0/24", [PEER_AS, 65099], PEER, seg_type=1), "198.51.100.2/32")
    judged(tern, sock, update("203.0.113.0/24", [], PEER), "198.51.100.3/32")
    assert "203.0.113.0/24" not in routes(tern)
    assert tern.neighbor(PEER)["updatesRejected"] == 3

    # NEXT_HOP = our interface address, or our loopback: ignored, logged, counted
    judged(tern, sock, update("203.0.113.0/24", [PEER_AS], TERN), "198.51.100.4/32")
    judged(tern, sock, update("192.0.2.0/24", [PEER_AS], "1.1.1.1"), "198.51.100.5/32")
    assert "203.0.113.0/24" not in routes(tern)
    assert "192.0.2.0/24" not in routes(tern)
    n = tern.neighbor(PEER)
    assert n["updatesRejected"] == 5, n
    assert "NEXT_HOP is our own address" in n["lastRejected"], n
    texts = [m.get("text", "") for m in tern.messages(PEER)]
    assert any("NEXT_HOP is our own address" in t for t in texts), texts
    assert any("first AS is not the peer's" in t for t in texts), texts

    # `no bgp enforce-first-as`: the same UPDATE is accepted when sent again
    tern.configure("no bgp enforce-first-as")
    assert "no bgp enforce-first-as" in tern.ternc("show", "running-config").stdout
    judged(tern, sock, update("203.0.113.0/24", [65099, PEER_AS], PEER), "198.51.100.6/32")
    assert "203.0.113.0/24" in routes(tern)
    # the neighbour's own setting wins over the router's
    tern.configure(f"neighbor {PEER} enforce-first-as")
    judged(tern, sock, update("203.0.113.0/24", [65098], PEER), "198.51.100.7/32")
    assert "203.0.113.0/24" not in routes(tern)
    # a route server's neighbour: `no neighbor A enforce-first-as` with the default back on
    tern.configure("bgp enforce-first-as", f"no neighbor {PEER} enforce-first-as")
    run = tern.ternc("show", "running-config").stdout
    assert f"no neighbor {PEER} enforce-first-as" in run and "no bgp enforce-first-as" not in run
    judged(tern, sock, update("203.0.113.0/24", [65097], PEER), "198.51.100.8/32")
    assert "203.0.113.0/24" in routes(tern)
    assert tern.neighbor(PEER)["enforceFirstAs"] is False

    # all along: one session, never dropped, no NOTIFICATION
    no_notification(sock)
    n = tern.neighbor(PEER)
    assert n["state"] == "Established" and n["establishedCount"] == 1 and n["droppedCount"] == 0, n
    assert n["messages"]["sent"]["notification"] == 0, n
    sock.close()
