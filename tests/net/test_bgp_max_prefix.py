"""maximum-prefix (IOS `neighbor A maximum-prefix N [THRESHOLD] [warning-only] [restart M]`).

BIRD 2 (namespace b, 10.0.0.2, AS 65002) announces 12 static prefixes to Tern (a, 10.0.0.1,
AS 65001). Over the limit Tern must send Cease / Maximum Number of Prefixes Reached (6/1)
carrying RFC 4486 §4's data (AFI 1, SAFI 1, the limit), read here off the wire by a capture
on Tern's interface and from BIRD's own `show protocols all`; the peer then stays down,
"Idle (PfxCt)", until `clear ip bgp` or the restart interval. Below the limit the threshold
warning is logged once, and `warning-only` only logs.

The flood: the benchmark's feeder announces 100,000 prefixes against a limit of 1,000. The
session closes with 6/1, ternd keeps answering, its BGP table and pools go back to what they
were, and a BIRD session on another interface is never disturbed.
"""

import re
import struct

import pytest

import netlab
from netlab import pair, stays, wait_subset, wait_until
from routes_helpers import (BgpCapture, BirdConf, Feeder, bird_bgp, bird_static, feeder_path,
                            pfx_rcvd, start_tern, tern_exec)

TERN, PEER = "10.0.0.1", "10.0.0.2"
PREFIXES = [f"10.{i}.0.0/16" for i in range(1, 13)]     # 12 prefixes
UP = 30


def bird_with_routes(ns, prefixes=PREFIXES, local=PEER, neighbor=TERN, name="bird"):
    return BirdConf(ns, local, bird_bgp(local, 65002, neighbor, 65001) +
                    bird_static("statics", prefixes), name=name)


def cease_6_1(cap):
    """Bodies of the Cease 6/1 NOTIFICATIONs Tern put on the wire."""
    return [m["body"] for m in cap.messages()
            if m["src"] == TERN and m["name"] == "notification" and m["body"][:2] == b"\x06\x01"]


def summary_text(tern):
    return tern.ternc("show", "ip", "bgp", "summary").stdout


def test_exceeded_holds_down_until_clear(lab, need):
    need("tern", "bird")
    a, b = pair(lab)
    cap = BgpCapture(a, "eth0")
    tern = start_tern(a, "tern", TERN, 65001,
                      [{"neighbor": PEER, "remote_as": 65002, "lines": ["maximum-prefix 10"]}],
                      no_kernel=True)
    bird = bird_with_routes(b)
    # RFC 4486 §4 data: AFI 1 (2 octets), SAFI 1 (1 octet), upper bound 10 (4 octets)
    wait_until(lambda: cease_6_1(cap), UP, desc="Cease 6/1 from Tern on the wire")
    assert cease_6_1(cap)[0] == b"\x06\x01" + struct.pack("!HBI", 1, 1, 10)
    wait_until(lambda: "Received: Maximum number of prefixes reached" in
               (bird.protocol(TERN).get("last_error") or ""), UP, desc="BIRD saw 6/1")
    n = tern.neighbor(PEER)
    assert n["lastNotificationSent"] == {"code": 6, "subcode": 1,
                                         "name": "Cease/Maximum Number of Prefixes Reached"}, n
    assert netlab.subset(n, {"maximumPrefix": {"max": 10, "threshold": 75, "exceeded": True,
                                               "exceededCount": 1, "restartIn": None}}), n
    assert "(PfxCt)" in n["downReason"], n
    text = tern.ternc("show", "ip", "bgp", "neighbors", PEER).stdout
    assert "Maximum prefixes allowed 10" in text, text
    assert "Peer had exceeded the max. no. of prefixes configured." in text, text
    assert "%BGP-3-MAXPFXEXCEED: No. of prefix received from 10.0.0.2 (afi 0)" in \
        " ".join(m["text"] for m in tern.messages(PEER))
    # BIRD keeps trying (connect retry 1 s); Tern stays down and connects to nothing
    assert "Idle (PfxCt)" in summary_text(tern)
    stays(lambda: tern.neighbor(PEER)["state"] != "Established" and bird.proc.alive(), 4,
          desc="held down")
    assert tern.neighbor(PEER)["establishedCount"] == 1
    assert pfx_rcvd(tern, PEER) == 0
    # a higher limit does not release it by itself; clear ip bgp does
    tern_exec(tern, "configure terminal", "router bgp 65001", f"neighbor {PEER} maximum-prefix 100",
              "end")
    assert tern.neighbor(PEER)["state"] != "Established"
    tern_exec(tern, f"clear ip bgp {PEER}")
    wait_subset(lambda: tern.neighbor(PEER), {"state": "Established", "prefixesReceived": 12,
                                             "maximumPrefix": {"exceeded": False}}, UP)
    assert len(cease_6_1(cap)) == 1


def test_threshold_and_warning_only(lab, need):
    need("tern", "bird")
    a, b = pair(lab)
    tern = start_tern(a, "tern", TERN, 65001,
                      [{"neighbor": PEER, "remote_as": 65002, "lines": ["maximum-prefix 20 50"]}],
                      no_kernel=True)
    bird_with_routes(b)
    wait_subset(lambda: tern.neighbor(PEER), {"state": "Established", "prefixesReceived": 12}, UP)

    def texts():
        return [m["text"] for m in tern.messages(PEER)]
    wait_until(lambda: any("%BGP-4-MAXPFX: No. of prefix received from 10.0.0.2 (afi 0) reaches "
                           "12, max 20" in t for t in texts()), UP, desc="threshold warning")
    # warning-only: over the limit it logs (on the next UPDATEs: asked for with a refresh)
    tern_exec(tern, "configure terminal", "router bgp 65001",
              f"neighbor {PEER} maximum-prefix 10 warning-only", "end")
    tern_exec(tern, f"clear ip bgp {PEER} soft in")
    wait_until(lambda: any("%BGP-3-MAXPFXEXCEED" in t for t in texts()), UP, desc="exceeded logged")
    n = tern.neighbor(PEER)
    assert netlab.subset(n, {"state": "Established", "establishedCount": 1, "prefixesReceived": 12,
                             "lastNotificationSent": None,
                             "maximumPrefix": {"max": 10, "warningOnly": True, "exceeded": False}}), n
    assert sum("%BGP-4-MAXPFX:" in t for t in texts()) == 1, texts()


def test_restart_after_minutes(lab, need):
    """`restart 1`: down for one minute, then connects again by itself (the limit raised in
    the meantime, so the session then stays up)."""
    need("tern", "bird")
    a, b = pair(lab)
    tern = start_tern(a, "tern", TERN, 65001,
                      [{"neighbor": PEER, "remote_as": 65002, "lines": ["maximum-prefix 10 restart 1"]}],
                      no_kernel=True)
    bird_with_routes(b)
    wait_subset(lambda: tern.neighbor(PEER),
                {"maximumPrefix": {"exceeded": True, "restartIn": lambda v: v is not None and 50 <= v <= 60}},
                UP)
    text = tern.ternc("show", "ip", "bgp", "neighbors", PEER).stdout
    assert re.search(r"Reduce the no of prefix from 10\.0\.0\.2, will restart in 00:0[01]:\d\d", text), text
    tern_exec(tern, "configure terminal", "router bgp 65001",
              f"neighbor {PEER} maximum-prefix 100 restart 1", "end")
    assert tern.neighbor(PEER)["state"] != "Established"
    wait_subset(lambda: tern.neighbor(PEER), {"state": "Established", "establishedCount": 2,
                                             "prefixesReceived": 12,
                                             "maximumPrefix": {"exceeded": False}}, 90)
    assert any("restart interval of 1 minutes over" in m["text"] for m in tern.messages(PEER))


def test_flood(lab, need):
    need("tern", "bird")
    if feeder_path() is None:
        pytest.skip("bench/feeder not built (ninja -C build bench/feeder)")
    a, b = pair(lab)
    c = lab.netns("c")
    lab.link(a, c, "10.0.3.1/24", "10.0.3.2/24")
    tern = start_tern(a, "tern", TERN, 65001,
                      [{"neighbor": PEER, "remote_as": 65002, "passive": True, "timers": (60, 180),
                        "lines": ["maximum-prefix 1000"]},
                       {"neighbor": "10.0.3.2", "remote_as": 65003}],
                      no_kernel=True)
    BirdConf(c, "10.0.3.2", bird_bgp("10.0.3.2", 65003, "10.0.3.1", 65001) +
             bird_static("statics", ["192.168.0.0/24"]), name="bird-c")
    wait_subset(lambda: tern.neighbor("10.0.3.2"), {"state": "Established", "prefixesReceived": 1}, UP)
    before = tern.show_json("memory")

    feeder = Feeder(b, TERN, PEER, 65002, 100000)
    wait_subset(lambda: tern.neighbor(PEER), {
        "lastNotificationSent": {"code": 6, "subcode": 1},
        "maximumPrefix": {"exceeded": True}, "prefixesReceived": 0,
        "establishedCount": 1, "droppedCount": 1}, 60)
    wait_until(lambda: not feeder.proc.alive(), 30, desc="the feeder's session closed")
    assert tern.responsive()
    # the feeder (its own decoder) read the Cease too, and Tern says how far it got
    assert any(e.startswith("error NOTIFICATION from peer: 6/1") for e in feeder.events()), feeder.events()
    texts = " ".join(m["text"] for m in tern.messages(PEER))
    assert re.search(r"%BGP-3-MAXPFXEXCEED: No\. of prefix received from 10\.0\.0\.2 \(afi 0\): "
                     r"1\d\d\d exceed limit 1000", texts), texts
    # everything the flood brought is gone again
    after = tern.show_json("memory")
    for k in ("routes", "paths", "attributeSets"):
        assert after["bgp"][k] == before["bgp"][k], (k, before["bgp"], after["bgp"])
    for name, pool in after["pools"].items():
        assert pool["objects"] <= before["pools"].get(name, {"objects": 0})["objects"], (name, before, after)
    # the other session never noticed
    n = tern.neighbor("10.0.3.2")
    assert netlab.subset(n, {"state": "Established", "establishedCount": 1, "droppedCount": 0,
                             "prefixesReceived": 1}), n


def test_exceeded_with_frr(lab, need):
    """The same limit against FRR announcing 12 prefixes: Cease 6/1 with the RFC 4486 §4 data
    on the wire, FRR reports receiving it, and Tern holds the peer down."""
    need("tern", "frr")
    a, b = pair(lab)
    cap = BgpCapture(a, "eth0")
    tern = start_tern(a, "tern", TERN, 65001,
                      [{"neighbor": PEER, "remote_as": 65002, "lines": ["maximum-prefix 10"]}],
                      no_kernel=True)
    networks = "".join(f" network {p}\n" for p in PREFIXES)
    frr = netlab.Frr(b, PEER, 65002, [{"neighbor": TERN, "remote_as": 65001}], extra=networks)
    wait_until(lambda: cease_6_1(cap), UP, desc="Cease 6/1 from Tern on the wire")
    assert cease_6_1(cap)[0] == b"\x06\x01" + struct.pack("!HBI", 1, 1, 10)
    wait_subset(lambda: netlab.peer_view(frr, TERN),
                {"lastNotification": {"received": {"code": 6, "subcode": 1}}}, UP)
    assert "Idle (PfxCt)" in summary_text(tern)
    stays(lambda: tern.neighbor(PEER)["state"] != "Established" and frr.alive(), 3, desc="held down")
    assert tern.neighbor(PEER)["establishedCount"] == 1
