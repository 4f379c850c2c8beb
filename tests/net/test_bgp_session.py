"""BGP sessions between Tern and Tern, BIRD and FRR in network namespaces.

Establishment in both start orders, IBGP between loopbacks over two hops, EBGP multihop and the
TTL Tern sends, hold timer expiry, wrong remote AS, TCP-MD5. Every wait is a bounded poll."""

import time

import pytest

import netlab
from netlab import (line3, notif, pair, peer_view, start_peer, stays, subset,
                    wait_subset, wait_until)

PEER_KINDS = ["tern", "bird", "frr"]
UP = 30          # seconds allowed for a session to come up (FRR takes a few)


def sent_notifications(tern, peer):
    return [m for m in tern.messages(peer)
            if m.get("type") == "notification" and m.get("direction") == "sent"]


def received_notifications(tern, peer):
    return [m for m in tern.messages(peer)
            if m.get("type") == "notification" and m.get("direction") == "received"]


def none_or_collision(v):
    return v is None or (v["code"], v["subcode"]) == (6, 7)


# ----------------------------------------------------------------------------------------------
# 1. Establishment

@pytest.mark.parametrize("order", ["tern-first", "peer-first"])
@pytest.mark.parametrize("kind", PEER_KINDS)
def test_established(lab, need, kind, order):
    """Tern (10.0.0.1, AS 65001) and a peer (10.0.0.2, AS 65002) on one veth reach Established
    whichever starts first; the hold time is the smaller of the two offered, each side sees the
    other's BGP identifier, and Tern's summary, neighbor and message log agree."""
    need("ternd", "ternc", kind)
    a, b = pair(lab)
    # tern-first: Tern offers 9 and the peer 6; peer-first: the other way round
    tern_hold, peer_hold = (9, 6) if order == "tern-first" else (6, 9)

    def start_tern():
        return start_peer("tern", a, "10.0.0.1", 65001, "10.0.0.2", 65002, hold=tern_hold)

    def start_other():
        return start_peer(kind, b, "10.0.0.2", 65002, "10.0.0.1", 65001, hold=peer_hold,
                          name=f"{kind}-b")

    if order == "tern-first":
        tern = start_tern()
        wait_until(lambda: tern.bgp_state("10.0.0.2") in ("Idle", "Connect", "Active"), 10,
                   desc="Tern knows its neighbour")
        peer = start_other()
    else:
        peer = start_other()
        wait_until(lambda: peer.bgp_state("10.0.0.1") is not None, 10,
                   desc="peer knows its neighbour")
        tern = start_tern()

    n = wait_subset(lambda: tern.neighbor("10.0.0.2"), {
        "state": "Established", "remoteAs": 65002, "localAs": 65001,
        "localRouterId": "10.0.0.1", "remoteRouterId": "10.0.0.2",
        "localAddress": "10.0.0.1", "remoteAddress": "10.0.0.2",
        "holdTime": 6, "establishedCount": 1, "droppedCount": 0,
        # only a collision (two Terns both connecting) may have closed a connection
        "lastNotificationSent": none_or_collision, "lastNotificationReceived": none_or_collision,
    }, timeout=UP)
    assert 1 <= n["keepalive"] <= n["holdTime"] // 3, n
    # the connection that survived tells who opened it
    assert n["connectionInitiatedBy"] in ("local", "remote")
    if n["connectionInitiatedBy"] == "local":
        assert n["remotePort"] == 179, n
    else:
        assert n["localPort"] == 179, n
    assert n["messages"]["sent"]["open"] >= 1 and n["messages"]["received"]["open"] >= 1, n
    for d in ("sent", "received"):
        m = n["messages"][d]
        assert m["total"] == sum(m[k] for k in ("open", "update", "notification", "keepalive",
                                                "routeRefresh")), m
    assert "Multiprotocol IPv4 Unicast" in n["capabilities"]["sent"], n["capabilities"]

    wait_subset(tern.summary, {"routerId": "10.0.0.1", "as": 65001, "peers": {"10.0.0.2": {
        "remoteAs": 65002, "state": "Established",
        "msgRcvd": lambda v: v >= 2, "msgSent": lambda v: v >= 2}}}, timeout=5)

    # the message log: the OPEN received carries the peer's AS, offered hold time and identifier
    msgs = tern.messages("10.0.0.2")
    opens_in = [m for m in msgs if m["type"] == "open" and m["direction"] == "received"]
    assert opens_in, msgs
    assert subset(opens_in[-1], {"myAs": 65002, "holdTime": peer_hold, "bgpId": "10.0.0.2"}), \
        opens_in[-1]
    opens_out = [m for m in msgs if m["type"] == "open" and m["direction"] == "sent"]
    assert opens_out and subset(opens_out[-1], {"myAs": 65001, "holdTime": tern_hold,
                                                "bgpId": "10.0.0.1"}), opens_out
    assert any(m["type"] == "established" for m in msgs), msgs
    assert all(m.get("time", "").endswith("Z") for m in msgs), msgs[:3]

    # and the peer agrees: Established, negotiated 6 s, Tern's identifier
    wait_subset(lambda: peer_view(peer, "10.0.0.1"), {
        "state": "Established", "remoteRouterId": "10.0.0.1", "holdTime": 6}, timeout=10)


# ----------------------------------------------------------------------------------------------
# 3. IBGP between loopbacks, two hops apart

@pytest.mark.parametrize("kind,update_source", [
    ("tern", "lo"), ("tern", "10.255.0.1"), ("bird", "lo"), ("frr", "10.255.0.1")])
def test_ibgp_loopbacks_update_source(lab, need, kind, update_source):
    """A - M - B with static routes to the loopbacks: IBGP from 10.255.0.1 to 10.255.0.2 with
    update-source (an interface or an address) comes up and uses the loopback addresses."""
    need("ternd", "ternc", kind)
    a, m, b = line3(lab)
    tern = start_peer("tern", a, "10.255.0.1", 65001, "10.255.0.2", 65001,
                      update_source=update_source)
    peer = start_peer(kind, b, "10.255.0.2", 65001, "10.255.0.1", 65001,
                      update_source="10.255.0.2", name=f"{kind}-b")
    wait_subset(lambda: tern.neighbor("10.255.0.2"), {
        "state": "Established", "remoteAs": 65001, "localAs": 65001,
        "localAddress": "10.255.0.1", "remoteAddress": "10.255.0.2",
        "remoteRouterId": "10.255.0.2"}, timeout=UP)
    wait_subset(lambda: peer_view(peer, "10.255.0.1"), {
        "state": "Established", "remoteRouterId": "10.255.0.1"}, timeout=10)


# ----------------------------------------------------------------------------------------------
# 4. EBGP multihop and TTL

def tern_ttls(cap, src, dst):
    """TTLs of the SYNs Tern sent to the peer and of its segments carrying BGP data (the kernel
    answers a SYN, or closes a refused connection, before ternd can set a TTL on it)."""
    return [p["ttl"] for p in list(cap.packets) if p["src"] == src and p["dst"] == dst
            and ((p["flags"] & 0x12) == 0x02 or p["len"] > 0)]


def test_ebgp_single_hop_ttl_1(lab, need):
    """EBGP on a shared link: everything Tern sends to the peer has TTL 1."""
    need("tern", "bird")
    a, b = pair(lab)
    cap = netlab.TcpCapture(a, "eth0")
    bird = start_peer("bird", b, "10.0.0.2", 65002, "10.0.0.1", 65001)
    tern = start_peer("tern", a, "10.0.0.1", 65001, "10.0.0.2", 65002)
    wait_subset(lambda: tern.neighbor("10.0.0.2"), {"state": "Established"}, timeout=UP)
    bird.wait_established("10.0.0.1", 10)
    wait_until(lambda: len(tern_ttls(cap, "10.0.0.1", "10.0.0.2")) >= 3, 10,
               desc="some packets from Tern")
    ttls = tern_ttls(cap, "10.0.0.1", "10.0.0.2")
    assert set(ttls) == {1}, ttls


@pytest.mark.parametrize("peer_mode", ["passive", "active"])
def test_ebgp_two_hops_needs_multihop(lab, need, peer_mode):
    """An EBGP peer two hops away (BIRD allowing 2 hops, passive or connecting itself). Tern
    without ebgp-multihop refuses it by the connected check: nothing leaves Tern for it, and
    `show ip bgp neighbors` says why. With disable-connected-check Tern does send, every
    packet with TTL 1, which dies one hop short: still no session. With `ebgp-multihop 2` what
    it sends has TTL 2 and the session comes up."""
    need("tern", "bird")
    a, m, b = line3(lab, loopbacks=False)
    bird = start_peer("bird", b, "10.0.2.2", 65002, "10.0.1.1", 65001,
                      passive=peer_mode == "passive", multihop=2)
    cap = netlab.TcpCapture(a, "eth0")

    tern = start_peer("tern", a, "10.0.1.1", 65001, "10.0.2.2", 65002, name="tern-nomh")
    wait_subset(lambda: tern.neighbor("10.0.2.2"), {
        "downReason": lambda v: v is not None and "not directly connected" in v}, timeout=10)
    stays(lambda: tern.bgp_state("10.0.2.2") != "Established"
          and bird.bgp_state("10.0.1.1") != "Established", 4,
          desc="no session without ebgp-multihop")
    assert tern_ttls(cap, "10.0.1.1", "10.0.2.2") == [], "refused before anything is sent"
    tern.stop()

    cap.packets.clear()
    tern1 = start_peer("tern", a, "10.0.1.1", 65001, "10.0.2.2", 65002, name="tern-dcc",
                       lines=["neighbor 10.0.2.2 disable-connected-check"])
    wait_until(lambda: len(tern_ttls(cap, "10.0.1.1", "10.0.2.2")) >= 2, 10,
               desc="Tern sends once the check is off")
    stays(lambda: tern1.bgp_state("10.0.2.2") != "Established"
          and bird.bgp_state("10.0.1.1") != "Established", 4,
          desc="no session: TTL 1 does not reach two hops")
    ttls = tern_ttls(cap, "10.0.1.1", "10.0.2.2")
    assert ttls and set(ttls) == {1}, ttls
    tern1.stop()

    cap.packets.clear()
    tern2 = start_peer("tern", a, "10.0.1.1", 65001, "10.0.2.2", 65002, name="tern-mh2",
                       multihop=2)
    n = wait_subset(lambda: tern2.neighbor("10.0.2.2"), {
        "state": "Established", "remoteRouterId": "10.0.2.2", "localAddress": "10.0.1.1"},
        timeout=UP)
    if peer_mode == "passive":
        assert n["connectionInitiatedBy"] == "local", n
    ttls = tern_ttls(cap, "10.0.1.1", "10.0.2.2")
    assert ttls and set(ttls) == {2}, ttls
    bird.wait_established("10.0.1.1", 10)


# ----------------------------------------------------------------------------------------------
# 5. Hold timer expiry

@pytest.mark.parametrize("kind", PEER_KINDS)
def test_hold_timer_expiry(lab, need, kind):
    """Timers 1/3 on both sides; the peer is frozen with SIGSTOP: Tern sends NOTIFICATION 4/0
    (Hold Timer Expired) within the hold time plus a margin, counts a drop, and once the peer
    is thawed the session comes back."""
    need("ternd", "ternc", kind)
    a, b = pair(lab)
    tern = start_peer("tern", a, "10.0.0.1", 65001, "10.0.0.2", 65002, hold=3, keepalive=1)
    peer = start_peer(kind, b, "10.0.0.2", 65002, "10.0.0.1", 65001, hold=3, keepalive=1,
                      name=f"{kind}-b")
    lab.add_finalizer(peer.thaw)
    wait_subset(lambda: tern.neighbor("10.0.0.2"), {"state": "Established", "holdTime": 3},
                timeout=UP)

    t0 = time.monotonic()
    peer.freeze()
    n = wait_subset(lambda: tern.neighbor("10.0.0.2"),
                    {"lastNotificationSent": notif(4, 0)}, timeout=3 + 3, interval=0.05)
    elapsed = time.monotonic() - t0
    assert elapsed >= 1.0, f"hold timer fired {elapsed:.2f}s after the peer froze"
    assert n["state"] != "Established", n
    assert n["droppedCount"] == 1, n
    assert any(subset(m, {"code": 4, "subcode": 0}) for m in sent_notifications(tern, "10.0.0.2"))
    tern_alive = tern.responsive()
    assert tern_alive

    peer.thaw()
    wait_subset(lambda: tern.neighbor("10.0.0.2"),
                {"state": "Established", "establishedCount": 2}, timeout=UP)


# ----------------------------------------------------------------------------------------------
# 6. Wrong remote AS

@pytest.mark.parametrize("wrong", ["tern", "peer"])
@pytest.mark.parametrize("kind", PEER_KINDS)
def test_wrong_remote_as(lab, need, kind, wrong):
    """When one side expects another AS than the other has, the side that checks the OPEN sends
    NOTIFICATION 2/2 (Bad Peer AS), the other receives it, and the session never comes up."""
    need("ternd", "ternc", kind)
    a, b = pair(lab)
    tern = start_peer("tern", a, "10.0.0.1", 65001, "10.0.0.2",
                      65099 if wrong == "tern" else 65002)
    peer = start_peer(kind, b, "10.0.0.2", 65002, "10.0.0.1",
                      65099 if wrong == "peer" else 65001, name=f"{kind}-b")
    direction = "lastNotificationSent" if wrong == "tern" else "lastNotificationReceived"
    n = wait_subset(lambda: tern.neighbor("10.0.0.2"), {direction: notif(2, 2)}, timeout=UP)
    assert n["establishedCount"] == 0, n
    log = sent_notifications(tern, "10.0.0.2") if wrong == "tern" else \
        received_notifications(tern, "10.0.0.2")
    assert any(subset(m, notif(2, 2)) for m in log), log
    # the other side saw the same error, from its own point of view
    other = "received" if wrong == "tern" else "sent"
    wait_subset(lambda: peer_view(peer, "10.0.0.1"),
                {"lastNotification": {other: notif(2, 2)}}, timeout=10)
    stays(lambda: tern.bgp_state("10.0.0.2") != "Established"
          and peer.bgp_state("10.0.0.1") != "Established", 3)


# ----------------------------------------------------------------------------------------------
# 7. TCP-MD5

@pytest.mark.parametrize("kind,peer_password", [
    ("frr", "tern-secret"), ("frr", "wrong-secret"), ("frr", None),
    ("bird", "tern-secret"), ("bird", "wrong-secret"),
    ("tern", "tern-secret"), ("tern", "wrong-secret")])
def test_tcp_md5(lab, need, kind, peer_password):
    """Tern with `neighbor ... password tern-secret`: the same password on the peer gives an
    Established session; another password, or none, never does."""
    need("ternd", "ternc", kind)
    a, b = pair(lab)
    tern = start_peer("tern", a, "10.0.0.1", 65001, "10.0.0.2", 65002, password="tern-secret")
    opts = {"password": peer_password} if peer_password else {}
    peer = start_peer(kind, b, "10.0.0.2", 65002, "10.0.0.1", 65001, name=f"{kind}-b", **opts)
    if peer_password == "tern-secret":
        wait_subset(lambda: tern.neighbor("10.0.0.2"),
                    {"state": "Established", "remoteRouterId": "10.0.0.2"}, timeout=UP)
        peer.wait_established("10.0.0.1", 10)
    else:
        stays(lambda: tern.bgp_state("10.0.0.2") != "Established"
              and peer.bgp_state("10.0.0.1") != "Established", 6,
              desc="no session with mismatched TCP-MD5 keys")
        n = tern.neighbor("10.0.0.2")
        assert n["establishedCount"] == 0 and n["messages"]["received"]["open"] == 0, n
        assert tern.responsive()


# ----------------------------------------------------------------------------------------------
# Stopping ternd

@pytest.mark.parametrize("kind", ["bird", "frr"])
def test_clean_shutdown(lab, need, kind):
    """SIGTERM to ternd with a session up: the peer is told with a Cease NOTIFICATION, and ternd
    exits with status 0 within a few seconds (no crash, no assertion)."""
    need("tern", kind)
    a, b = pair(lab)
    tern = start_peer("tern", a, "10.0.0.1", 65001, "10.0.0.2", 65002)
    peer = start_peer(kind, b, "10.0.0.2", 65002, "10.0.0.1", 65001, name=f"{kind}-b",
                      **({"passive": True} if kind == "frr" else {}))
    wait_subset(lambda: tern.neighbor("10.0.0.2"), {"state": "Established"}, timeout=UP)
    peer.wait_established("10.0.0.1", 10)
    rc = tern.proc.stop(timeout=5)
    assert rc == 0, f"ternd exited with {netlab.describe_rc(rc)} on SIGTERM:\n" \
                    f"{tern.proc.output()[-2000:]}"
    wait_subset(lambda: peer_view(peer, "10.0.0.1"),
                {"lastNotification": {"received": {"code": 6}}}, timeout=5)
