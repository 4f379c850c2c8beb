"""Judging connection collisions (RFC 4271 §6.8) from the wire: a BgpCapture of the link,
decoded independently of Tern, and `ss` in a namespace."""


def _key(addr):
    return tuple(int(x) for x in addr.split("."))


def bgp_connections(cap):
    """The BGP connections seen: {(initiator, initiator port, acceptor): {"opens": set of
    senders, "notifications": [(sender, code, subcode)]}}. The initiator is the side whose
    port is not 179."""
    conns = {}
    for m in cap.messages():
        if m["dport"] == 179:
            key = (m["src"], m["sport"], m["dst"])
        else:
            key = (m["dst"], m["dport"], m["src"])
        c = conns.setdefault(key, {"opens": set(), "notifications": []})
        if m["type"] == 1:
            c["opens"].add(m["src"])
        elif m["type"] == 3 and len(m["body"]) >= 2:
            c["notifications"].append((m["src"], m["body"][0], m["body"][1]))
    return conns


def established_179(ns):
    """The TCP connections to or from port 179 that are ESTABLISHED in a namespace."""
    r = ns.run(["ss", "-Htn", "state", "established", "( sport = :179 or dport = :179 )"], check=False)
    return [ln for ln in r.stdout.splitlines() if ln.strip()]


def judge(cap, views, high_addr, low_addr, round_no):
    """views: {addr of the side: (local port, remote port, initiated locally)} of the session
    each side reports. Returns whether OPENs crossed on two connections."""
    h_local, h_remote, h_init = views[high_addr]
    l_local, l_remote, l_init = views[low_addr]
    # one and the same connection seen from both ends
    assert (h_local, h_remote) == (l_remote, l_local), (round_no, views)
    assert h_init != l_init, (round_no, views)
    survivor_initiator = high_addr if h_init else low_addr
    survivor_port = h_local if h_init else l_local
    conns = bgp_connections(cap)
    for key, c in conns.items():
        for sender, code, subcode in c["notifications"]:
            assert (code, subcode) == (6, 7), (round_no, "unexpected NOTIFICATION", key, c)
    crossed = [k for k, c in conns.items() if len(c["opens"]) == 2]
    if len(crossed) >= 2:
        # RFC 4271 §6.8: the connection initiated by the higher identifier survives
        assert survivor_initiator == high_addr, (round_no, "the lower identifier's connection survived", conns)
        for key, c in conns.items():
            if key == (survivor_initiator, survivor_port, low_addr if survivor_initiator == high_addr else high_addr):
                assert not c["notifications"], (round_no, key, c)
            elif len(c["opens"]) == 2:
                assert any((code, sub) == (6, 7) for _, code, sub in c["notifications"]), \
                    (round_no, "a losing connection closed without Cease 6/7", key, c)
    return len(crossed) >= 2


def tern_view(t, peer):
    n = t.neighbor(peer)
    return (n["localPort"], n["remotePort"], n["connectionInitiatedBy"] == "local")


def start_ibgp_or_ebgp_peer(kind, ns, router_id, asn, neighbor, remote_as, local, name, extra_bird=""):
    """BIRD or FRR with their default timers (hold 90, ConnectRetry 120) and the session's
    source address `local`."""
    from netlab import Bird, Frr
    if kind == "bird":
        return Bird(ns, router_id, asn, [{"neighbor": neighbor, "remote_as": remote_as, "local": local,
                                          "hold": 90, "keepalive": 30, "connect_retry": 120,
                                          "extra": extra_bird}], name=name)
    return Frr(ns, router_id, asn, [{"neighbor": neighbor, "remote_as": remote_as, "update_source": local,
                                     "connect": 120}], name=name, keepalive=30, hold=90)


def judge_tern_and_peer(tern, peer, cap, tern_addr, peer_addr, tern_high, round_no, ns):
    """Tern and a BIRD or FRR peer both Established on one TCP connection (the only one left
    in ns), judged from the capture; returns whether OPENs crossed on two connections."""
    from netlab import wait_until
    wait_until(lambda: len(established_179(ns)) == 1, 5, desc=f"round {round_no}: one TCP connection left")
    n = tern.neighbor(peer_addr)
    assert n["establishedCount"] == 1, (round_no, n)
    # the peer's view of the same connection is Tern's mirrored: ss saw only one
    lp, rp, init = tern_view(tern, peer_addr)
    views = {tern_addr: (lp, rp, init), peer_addr: (rp, lp, not init)}
    high, low = (tern_addr, peer_addr) if tern_high else (peer_addr, tern_addr)
    return judge(cap, views, high, low, round_no)
