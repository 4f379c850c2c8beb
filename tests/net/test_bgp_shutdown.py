"""`neighbor A shutdown message T`: Cease 6/2 with an RFC 8203 Shutdown Communication."""

import json
import socket

import netlab
from netlab import (NOTIFICATION, Tern, notif, pair, parse_notification, peer_view,
                    raw_establish, recv_msg, recv_until, shutdown_text, start_peer, stays,
                    wait_subset)

MESSAGE = "going away"


def test_shutdown_message_raw_peer(lab, need):
    """Tern connects to a Python listener, the session comes up, then `neighbor 10.0.0.2
    shutdown message going away` is applied at run time: the peer receives NOTIFICATION 6/2
    whose data is the length-prefixed UTF-8 text, and Tern does not connect again."""
    need("ternd", "ternc")
    a, b = pair(lab)
    tern = start_peer("tern", a, "10.0.0.1", 65001, "10.0.0.2", 65002, hold=9)
    srv = b.tcp_listen("10.0.0.2", 179)
    lab.add_finalizer(srv.close)
    srv.settimeout(20)
    s, peer = srv.accept()
    lab.add_finalizer(s.close)
    assert peer[0] == "10.0.0.1"
    m = recv_msg(s, 5)
    assert m and m[0] == netlab.OPEN, m
    raw_establish(s, 65002, "10.0.0.2", hold=9)
    wait_subset(lambda: tern.neighbor("10.0.0.2"), {"state": "Established"}, timeout=10)

    tern.configure(f"neighbor 10.0.0.2 shutdown message {MESSAGE}")
    body, seen = recv_until(s, NOTIFICATION, timeout=10)
    assert body is not None, f"closed without a NOTIFICATION (saw {seen})"
    n = parse_notification(body)
    assert (n["code"], n["subcode"]) == (6, 2), n
    assert n["data"] == bytes([len(MESSAGE)]) + MESSAGE.encode(), n
    assert shutdown_text(n["data"]) == MESSAGE

    wait_subset(lambda: tern.neighbor("10.0.0.2"),
                {"state": "Idle", "lastNotificationSent": notif(6, 2), "droppedCount": 1},
                timeout=5)
    msgs = tern.messages("10.0.0.2")
    assert any(m["type"] == "notification" and m["direction"] == "sent"
               and (m["code"], m["subcode"]) == (6, 2) for m in msgs), msgs
    # administratively down: no new connection for a while (connect timer is 1 s)
    srv.settimeout(3)
    try:
        again, _ = srv.accept()
        again.close()
        raise AssertionError("Tern connected again to a neighbour that is shut down")
    except socket.timeout:
        pass
    assert tern.bgp_state("10.0.0.2") == "Idle"


def test_shutdown_message_frr(lab, need):
    """The same with FRR (passive) as the peer: FRR reports Cease/Administrative Shutdown with
    the text Tern sent."""
    need("ternd", "ternc", "frr")
    a, b = pair(lab)
    tern = start_peer("tern", a, "10.0.0.1", 65001, "10.0.0.2", 65002)
    frr = start_peer("frr", b, "10.0.0.2", 65002, "10.0.0.1", 65001, passive=True)
    wait_subset(lambda: tern.neighbor("10.0.0.2"), {"state": "Established"}, timeout=30)
    frr.wait_established("10.0.0.1", 10)
    tern.configure(f"neighbor 10.0.0.2 shutdown message {MESSAGE}")
    wait_subset(lambda: peer_view(frr, "10.0.0.1"), {
        "lastNotification": {"received": notif(6, 2)}, "shutdownMessage": MESSAGE},
        timeout=10)
    wait_subset(lambda: tern.neighbor("10.0.0.2"),
                {"state": "Idle", "lastNotificationSent": notif(6, 2)}, timeout=5)


def test_shutdown_configured_at_start(lab, need):
    """A neighbour shut down in the configuration file is never connected to, stays Idle, and
    the configuration parses (ternd starts)."""
    need("ternd", "ternc")
    a, b = pair(lab)
    srv = b.tcp_listen("10.0.0.2", 179)
    lab.add_finalizer(srv.close)
    tern = Tern(a, "10.0.0.1", 65001, [{"neighbor": "10.0.0.2", "remote_as": 65002,
                                         "connect": 1, "shutdown": MESSAGE}])
    srv.settimeout(3)
    try:
        s, _ = srv.accept()
        s.close()
        raise AssertionError("Tern connected to a neighbour that is shut down")
    except socket.timeout:
        pass
    stays(lambda: tern.bgp_state("10.0.0.2") == "Idle", 1)


def established_with_raw_peer(lab):
    """Tern connects to a Python peer that brings the session up: (Tern, the peer's socket)."""
    a, b = pair(lab)
    tern = start_peer("tern", a, "10.0.0.1", 65001, "10.0.0.2", 65002, hold=9)
    srv = b.tcp_listen("10.0.0.2", 179)
    lab.add_finalizer(srv.close)
    srv.settimeout(20)
    s, _ = srv.accept()
    lab.add_finalizer(s.close)
    m = recv_msg(s, 5)
    assert m and m[0] == netlab.OPEN, m
    raw_establish(s, 65002, "10.0.0.2", hold=9)
    wait_subset(lambda: tern.neighbor("10.0.0.2"), {"state": "Established"}, timeout=10)
    return tern, s


def test_received_shutdown_message_is_sanitised(lab, need):
    """A peer's RFC 8203 text is shown as received, but its control characters (a terminal
    escape here) never reach `show` or the log: they read as '?'."""
    need("ternd", "ternc")
    tern, s = established_with_raw_peer(lab)
    text = b"bye \x1b[31mred\x07"
    s.sendall(netlab.bgp_msg(NOTIFICATION, bytes([6, 2, len(text)]) + text))
    wait_subset(lambda: tern.neighbor("10.0.0.2"),
                {"lastNotificationReceived": notif(6, 2), "shutdownMessageReceived": "bye ?[31mred?"},
                timeout=10)
    assert "\x1b" not in tern.ternc("show", "ip", "bgp", "neighbors", "10.0.0.2").stdout


def test_received_shutdown_message_in_messages_json(lab, need):
    """The message log's JSON stays a valid document whatever the peer's RFC 8203 text holds:
    quotes and a backslash are escaped, and a text longer than a log entry is cut at a UTF-8
    character's end, not inside one."""
    need("ternd", "ternc")
    tern, s = established_with_raw_peer(lab)
    # the log line is 'NOTIFICATION received: 6/2 Cease/Administrative Shutdown "TEXT"' in
    # 199 octets at most: 58 octets before the text, 20 of head, so the cut falls after 121
    # octets of two-octet characters, inside one (the text itself, 220 octets, is whole)
    head = 'say "bye" \\ C:\\tern '
    text = (head + "\u00e9" * 100).encode()
    s.sendall(netlab.bgp_msg(NOTIFICATION, bytes([6, 2, len(text)]) + text))
    wait_subset(lambda: tern.neighbor("10.0.0.2"), {"lastNotificationReceived": notif(6, 2)}, timeout=10)
    out = tern.ternc("show", "bgp", "neighbors", "10.0.0.2", "messages", "json").stdout
    msgs = json.loads(out)["messages"]  # raises on invalid JSON or UTF-8
    got = [m for m in msgs if m["type"] == "notification" and m["direction"] == "received"]
    assert got and (got[-1]["code"], got[-1]["subcode"]) == (6, 2), msgs
    assert got[-1]["name"] == "Cease/Administrative Shutdown", got[-1]
    assert got[-1]["text"].startswith('NOTIFICATION received: 6/2 Cease/Administrative Shutdown "' + head), got[-1]
    assert got[-1]["text"].endswith("\u00e9"), got[-1]["text"][-20:]
