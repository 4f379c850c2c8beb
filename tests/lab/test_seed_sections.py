"""The seed's sections a learner watches, each seen both in a capture and in the view, on one
copy of labs/bgp-only with `capture: all` and one `tern-lab view` of it.

- The collision (the seed's §2 tip), made with `tern-lab collide R2 R3`: in the link's pcap
  (read back with tshark) two TCP connections to port 179 cross, one opened by each router,
  both SYNs before any NOTIFICATION; each carries OPENs both ways; the one R2 opened (R2 has
  the lower BGP Identifier, RFC 4271 §6.8) is closed by Cease 6/7 (Connection Collision
  Resolution) and only the other goes on with KEEPALIVEs. The capture ladder names the two
  connections by their high port, `[PORT]`, and the 6/7 on the closed one. The view shows
  the same: R2's message ladder (its /api/ladder picture) has a TCP connect each way, the
  collision note and NOTIFICATION 6/7 sent; the link's capture panel (/api/capture) has both
  ports and the Cease.
- The ROUTE-REFRESH after `clear ip bgp * soft in` on R2, in the view's capture panel (the
  pcap and the view's session ladder are covered by test_capture.py and test_view.py).
- A wrong remote-as (R3 told `neighbor 192.168.2.1 remote-as 999`): R3 answers R2's OPEN
  (My AS 100) with NOTIFICATION 2/2 (Bad Peer AS, RFC 4271 §6.2): in the pcap from R3 with
  codes 2 and 2, on the capture ladder from R3, in the view's capture panel, and on R2's
  session ladder in the view as NOTIFICATION 2/2 from the peer.

Every wait is for a condition, bounded; the lab and the view are stopped even on failure.
"""

import re
import xml.etree.ElementTree as ET

import pytest

from conftest import wait_for
from test_capture import R2_ADDR, R3_ADDR, copy_bgp_only, has_route, tshark
from test_view import SVG, View, ladder_arrows

CONVERGE = 60
R2_R3_LINK = 2  # labs/bgp-only's third link, R2:f0/0 -- R3:f1/0: the view's link-2
FIELDS = ["frame.number", "tcp.stream", "ip.src", "tcp.srcport", "tcp.dstport", "tcp.flags.syn",
          "tcp.flags.ack", "bgp.type", "bgp.notify.major_error",
          "bgp.notify.minor_error", "bgp.notify.minor_error_open", "bgp.notify.minor_error_cease"]


def tshark_frames(path, display_filter):
    return tshark(path, display_filter, fields=FIELDS)


def types(frame):
    return frame["bgp.type"].split(",") if frame["bgp.type"] else []


def notifications(frame):
    """[(major, minor)] of the NOTIFICATIONs in a frame."""
    majors = [m for m in frame["bgp.notify.major_error"].split(",") if m]
    # tshark puts the subcode in a field per error code (OPEN Message Error, Cease, ...)
    minors = [m for field in ("bgp.notify.minor_error", "bgp.notify.minor_error_open", "bgp.notify.minor_error_cease")
              for m in frame[field].split(",") if m]
    return list(zip(majors, minors))


def write_pcap(lab, path):
    r = lab.run("capture", lab.node("R2") + ":f0/0", "-w", path)
    assert r.returncode == 0, r.stderr
    return path


def svg_texts(view, node, peer):
    status, svg = view.request("GET", f"/api/ladder?node={node}&peer={peer}")
    assert status == 200, svg
    return [t.text or "" for t in ET.fromstring(svg).iter(SVG + "text")]


def view_capture(view):
    status, text = view.request("GET", f"/api/capture?link={R2_R3_LINK}")
    assert status == 200, text
    return text


def connections(frames):
    """{tcp.stream: {"client": address, "port": high port, "syn": frame, "frames": [...]}}
    of the TCP connections to port 179 that start (SYN without ACK) in frames."""
    conns = {}
    for f in frames:
        if f["tcp.flags.syn"] in ("1", "True") and f["tcp.flags.ack"] in ("0", "False") and f["tcp.dstport"] == "179":
            conns[f["tcp.stream"]] = {"client": f["ip.src"], "port": f["tcp.srcport"],
                                      "syn": int(f["frame.number"]), "frames": []}
    for f in frames:
        if f["tcp.stream"] in conns:
            conns[f["tcp.stream"]]["frames"].append(f)
    return conns


@pytest.fixture
def seed_lab(lab):
    copy_bgp_only(lab, capture_all=True)
    lab.up()
    view = View(lab)
    try:
        lab.wait_established(["R2", "R3"], CONVERGE)
        wait_for(lambda: has_route(lab, "R2", "11.0.0.0/8") and has_route(lab, "R3", "10.0.0.0/8"), CONVERGE,
                 "the UPDATEs")
        yield lab, view
    finally:
        view.stop()


def test_collision_refresh_and_wrong_remote_as_in_capture_and_view(seed_lab, tmp_path):
    lab, view = seed_lab
    pcap = tmp_path / "r2-r3.pcap"
    # what the capture holds before the collision: the collision is what comes after
    before = max((int(f["frame.number"]) for f in tshark_frames(write_pcap(lab, pcap), "frame")), default=0)

    # --- the collision, made on demand
    r = lab.run("collide", lab.node("R2"), "R3", timeout=90)
    assert r.returncode == 0 and "connection collision resolved" in r.stdout, r.stdout + r.stderr
    wait_for(lambda: lab.sessions("R2").get(R3_ADDR) == "Established", 30, "R2-R3 Established after collide")

    def collision_in_pcap():
        frames = [f for f in tshark_frames(write_pcap(lab, pcap), "tcp.port == 179")
                  if int(f["frame.number"]) > before]
        conns = connections(frames)
        closed = [c for c in conns.values() if any(n == ("6", "7") for f in c["frames"] for n in notifications(f))]
        # the surviving connection has KEEPALIVEs both ways after its OPENs
        alive = [c for c in conns.values() if c not in closed and
                 {f["ip.src"] for f in c["frames"] if "4" in types(f)} == {R2_ADDR, R3_ADDR}]
        return (frames, conns, closed, alive) if closed and alive else None

    frames, conns, closed, alive = wait_for(collision_in_pcap, 30, "the collision in the capture")
    by_client = {c["client"]: c for c in conns.values()}
    assert set(by_client) == {R2_ADDR, R3_ADDR}, conns
    r2_conn, r3_conn = by_client[R2_ADDR], by_client[R3_ADDR]
    # both connect at once: each SYN goes out before any NOTIFICATION closes either (the old
    # session's Cease, as collide restarts both daemons, comes before both and is not counted)
    first_note = min(int(f["frame.number"]) for c in (r2_conn, r3_conn) for f in c["frames"] if "3" in types(f))
    assert max(r2_conn["syn"], r3_conn["syn"]) < first_note, (r2_conn["syn"], r3_conn["syn"], first_note)
    for c in (r2_conn, r3_conn):
        assert int(c["port"]) >= 1024, c["port"]
        opens = {f["ip.src"] for f in c["frames"] if "1" in types(f)}
        assert opens == {R2_ADDR, R3_ADDR}, f"OPENs on {c['client']}'s connection: {opens}"
    # RFC 4271 §6.8: the connection opened by the lower BGP Identifier (R2, 1.1.1.1) is closed
    assert closed == [r2_conn] and alive == [r3_conn], (closed, alive)
    ceases = [f for f in r2_conn["frames"] if ("6", "7") in notifications(f)]
    assert ceases, r2_conn["frames"]
    assert not any("3" in types(f) for f in r3_conn["frames"]), r3_conn["frames"]

    # the capture ladder names the two connections by their port, and the Cease on R2's
    ladder = lab.run("capture", lab.node("R2") + "-R3", "--ladder")
    assert ladder.returncode == 0, ladder.stderr
    for c in (r2_conn, r3_conn):
        assert re.search(r"BGP OPEN -+>\|  \[%s\] My AS 100" % c["port"], ladder.stdout), (c["port"], ladder.stdout)
        assert re.search(r"\|<-+ BGP OPEN --\|  \[%s\] My AS 200" % c["port"], ladder.stdout), ladder.stdout
    cease_line = r"BGP NOTIFICATION.*\[%s\] 6/7 Cease/Connection Collision Resolution" % r2_conn["port"]
    assert re.search(cease_line, ladder.stdout), ladder.stdout
    assert not re.search(r"\[%s\] 6/7" % r3_conn["port"], ladder.stdout), ladder.stdout

    # the view: R2's session ladder has a connect each way, the collision and the Cease it sent
    arrows = ladder_arrows(view, "R2", R3_ADDR)
    assert ("TCP connect", "to peer") in arrows and ("TCP connect", "from peer") in arrows, arrows
    assert ("NOTIFICATION 6/7", "to peer") in arrows, arrows
    texts = svg_texts(view, "R2", R3_ADDR)
    assert "collision: closes the connection this router opened" in texts, texts
    assert "collision: closes the connection the peer opened" in svg_texts(view, "R3", R2_ADDR)
    # and the link's capture panel, the same ladder
    panel = view_capture(view)
    assert f"[{r2_conn['port']}] 6/7 Cease/Connection Collision Resolution" in panel, panel
    assert f"[{r3_conn['port']}] My AS 200" in panel, panel

    # --- the seed's section 5: ROUTE-REFRESH, in the view's capture panel
    r = lab.run("exec", lab.node("R2"), "--", "clear", "ip", "bgp", "*", "soft", "in")
    assert r.returncode == 0, r.stdout + r.stderr
    panel = wait_for(lambda: (lambda t: t if "(EoRR: end of route refresh)" in t else None)(view_capture(view)), 30,
                     "the route refresh in the view's capture panel")
    assert re.search(r"\|-- BGP ROUTE-REFRESH -+>\|  \[%s\] IPv4 unicast" % r3_conn["port"], panel), panel

    # --- a wrong remote-as: R3 refuses R2's OPEN with NOTIFICATION 2/2
    before = max(int(f["frame.number"]) for f in tshark_frames(write_pcap(lab, pcap), "frame"))
    r = lab.run("console", lab.node("R3"),
                input="configure terminal\nrouter bgp 200\nneighbor 192.168.2.1 remote-as 999\nend\n")
    assert r.returncode == 0, r.stdout + r.stderr

    def bad_peer_as_in_pcap():
        notes = [f for f in tshark_frames(write_pcap(lab, pcap), "bgp.type == 3")
                 if int(f["frame.number"]) > before and ("2", "2") in notifications(f)]
        return notes or None

    notes = wait_for(bad_peer_as_in_pcap, CONVERGE, "NOTIFICATION 2/2 in the capture")
    assert {f["ip.src"] for f in notes} == {R3_ADDR}, notes
    ladder = lab.run("capture", lab.node("R2") + "-R3", "--ladder")
    assert re.search(r"\|<-+ BGP NOTIFICATION --\|  \[\d+\] 2/2 OPEN Message Error/Bad Peer AS", ladder.stdout), \
        ladder.stdout
    assert "2/2 OPEN Message Error/Bad Peer AS" in view_capture(view)
    wait_for(lambda: ("NOTIFICATION 2/2", "from peer") in ladder_arrows(view, "R2", R3_ADDR), 30,
             "NOTIFICATION 2/2 from R3 on R2's ladder in the view")
