"""`tern-lab capture`: a link's frames as a pcap file that tshark reads, and its messages as a
ladder, on a copy of labs/bgp-only.

From lab start (`capture: all`): the EBGP link R2-R3 holds the seed's sequence (its section 0):
a SYN to port 179 from a high port, OPEN both ways with My AS, Hold Time and BGP Identifier as
configured, KEEPALIVE both ways, then UPDATEs with each side's prefix (R1's 10.0.0.0/8 from
R2, R4's 11.0.0.0/8 from R3). tshark reads the file tern-lab wrote; the ladder names the same
messages in the same directions. Live (no `capture: all`): a capture started on a running lab
sees `clear ip bgp` on R2 as a NOTIFICATION (Cease, Administrative Reset) and the session
starting over, and stops cleanly on SIGTERM. `clear ip bgp * soft in` shows as ROUTE-REFRESH,
answered between BoRR and EoRR. A stored capture read with --follow goes on
past what was stored, and `-w -` pipes the pcap to tshark. A bad `capture:` value creates
nothing. Every wait is for a condition, bounded.
"""

import os
import re
import shutil
import signal
import subprocess
import time

import pytest

from conftest import BUILD, TERN_LAB, wait_for

CONVERGE = 60
R2_ADDR, R3_ADDR = "192.168.2.1", "192.168.2.2"
OPEN_R2 = ("100", "180", "1.1.1.1")  # labs/bgp-only/R2.conf: router bgp 100, router-id 1.1.1.1
OPEN_R3 = ("200", "180", "3.3.3.3")  # R3.conf: router bgp 200, router-id 3.3.3.3
FIELDS = ["frame.number", "ip.src", "tcp.srcport", "tcp.dstport", "bgp.type", "bgp.open.myas",
          "bgp.open.holdtime", "bgp.open.identifier", "bgp.nlri_prefix",
          "bgp.update.path_attribute.next_hop", "bgp.notify.major_error"]


def tshark(path, display_filter, growing=False, fields=FIELDS):
    """One dict per frame that matches, with fields (tshark lists repeats comma-separated).
    A file still being written may end in half a record, which tshark reports; growing=True
    accepts that (the whole records before it are read)."""
    if not shutil.which("tshark"):
        pytest.fail("tshark is not installed (Debian package tshark)", pytrace=False)
    args = ["tshark", "-r", str(path), "-Y", display_filter, "-T", "fields", "-E", "separator=|"]
    for f in fields:
        args += ["-e", f]
    r = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 or (growing and "cut short in the middle of a packet" in r.stderr), r.stderr
    return [dict(zip(fields, line.split("|"))) for line in r.stdout.splitlines() if line]


def bgp_types(frame):
    return frame["bgp.type"].split(",") if frame["bgp.type"] else []


def seed_sequence(frames):
    """Checks the seed's sequence in tshark's BGP frames; returns the frame numbers of each step."""
    syn = [f for f in frames if f["tcp.dstport"] == "179" and not bgp_types(f)]
    opens = {f["ip.src"]: (f["bgp.open.myas"], f["bgp.open.holdtime"], f["bgp.open.identifier"])
             for f in frames if "1" in bgp_types(f)}
    assert opens.get(R2_ADDR) == OPEN_R2, opens
    assert opens.get(R3_ADDR) == OPEN_R3, opens
    first = {}
    for f in frames:
        for t in bgp_types(f):
            first.setdefault((f["ip.src"], t), int(f["frame.number"]))
    for src in (R2_ADDR, R3_ADDR):
        assert (src, "4") in first, f"no KEEPALIVE from {src}: {frames}"
        assert first[(src, "1")] < first[(src, "4")], "KEEPALIVE before OPEN"
    updates = {(f["ip.src"], p) for f in frames if "2" in bgp_types(f) for p in f["bgp.nlri_prefix"].split(",") if p}
    return first, updates, syn


def has_route(lab, router, prefix):
    r = lab.run("exec", lab.node(router), "--", "show", "ip", "route", "json", timeout=20)
    return prefix in r.stdout


def copy_bgp_only(lab, capture_all):
    d = lab.copy("bgp-only")
    if capture_all:
        topo = d / "topology.yml"
        topo.write_text(topo.read_text() + "capture: all\n")


def test_capture_from_lab_start_shows_the_seed_sequence(lab, tmp_path):
    copy_bgp_only(lab, capture_all=True)
    r = lab.up()
    assert "capture: every link" in r.stdout
    lab.wait_established(["R2", "R3"], CONVERGE)
    # each side has the other's prefix: both UPDATEs have crossed the link
    wait_for(lambda: has_route(lab, "R2", "11.0.0.0/8") and has_route(lab, "R3", "10.0.0.0/8"), CONVERGE,
             "the UPDATEs")
    pcap = tmp_path / "r2-r3.pcap"

    def updates_in_capture():
        r = lab.run("capture", lab.node("R2") + ":f0/0", "-w", pcap)
        assert r.returncode == 0, r.stderr
        frames = tshark(pcap, "bgp || tcp.flags.syn == 1")
        ups = {(f["ip.src"], p) for f in frames if "2" in bgp_types(f) for p in f["bgp.nlri_prefix"].split(",")}
        return frames if {(R2_ADDR, "10.0.0.0"), (R3_ADDR, "11.0.0.0")} <= ups else None

    # the capture process writes what its socket has queued: wait until the UPDATEs are in
    frames = wait_for(updates_in_capture, 30, "the UPDATEs in the capture")
    first, _, syn = seed_sequence(frames)
    # the TCP connection: a SYN to 179 from a high (ephemeral) port, before any OPEN
    assert syn and all(int(f["tcp.srcport"]) >= 1024 for f in syn), syn
    assert int(syn[0]["frame.number"]) < min(first[(R2_ADDR, "1")], first[(R3_ADDR, "1")])
    # UPDATEs with the expected prefixes and next hops, after the OPENs
    nh = {f["ip.src"]: f["bgp.update.path_attribute.next_hop"] for f in frames if f["bgp.nlri_prefix"]}
    assert nh == {R2_ADDR: R2_ADDR, R3_ADDR: R3_ADDR}, nh
    assert first[(R2_ADDR, "2")] > first[(R2_ADDR, "1")]

    # the ladder of the same capture names the same sequence, R2 on the left
    r = lab.run("capture", lab.node("R2") + "-R3", "--ladder")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert re.match(r"\s+time\s+R2\s+R3$", lines[0]), lines[0]
    right, left = r"\|-- {} -+>\|", r"\|<-+ {} --\|"

    def index(pattern, text):
        for i, line in enumerate(lines):
            if re.search(pattern, line) and text in line:
                return i
        pytest.fail(f"no ladder line /{pattern}/ with {text!r}:\n{r.stdout}", pytrace=False)

    syn_i = min(i for i, line in enumerate(lines) if "TCP SYN " in line + " " and ":179" in line.split("->")[-1])
    open_r2 = index(right.format("BGP OPEN"), "My AS 100, Hold Time 180, BGP Identifier 1.1.1.1")
    open_r3 = index(left.format("BGP OPEN"), "My AS 200, Hold Time 180, BGP Identifier 3.3.3.3")
    ka_r2 = index(right.format("BGP KEEPALIVE"), "")
    ka_r3 = index(left.format("BGP KEEPALIVE"), "")
    up_r2 = index(right.format("BGP UPDATE"), "NLRI: 10.0.0.0/8")
    up_r3 = index(left.format("BGP UPDATE"), "NLRI: 11.0.0.0/8")
    assert syn_i < open_r2 < ka_r3 and syn_i < open_r3 < ka_r2, r.stdout
    assert open_r2 < up_r2 and open_r3 < up_r3
    assert "AS_PATH 100, NEXT_HOP 192.168.2.1" in lines[up_r2 + 1], r.stdout
    assert "capabilities:" in lines[open_r2 + 1] and "4-Octet AS 100" in lines[open_r2 + 1]

    # the link named without its lab, as a learner types it (only when no other running lab
    # has an R2, such as a `make demo` left up: then tern-lab rightly asks for LAB/R2)
    if sorted(p.name for p in lab.state_dir().parent.iterdir()) == [lab.name]:
        for plain in ("R2:f0/0", "R3:FastEthernet1/0", "R2-R3"):
            r3 = lab.run("capture", plain)
            assert r3.returncode == 0 and "My AS 200, Hold Time 180" in r3.stdout, (plain, r3.stderr)

    # the seed's section 5: `clear ip bgp * soft in` on R2 asks R3 for its routes again; R3
    # answers between BoRR and EoRR (RFC 7313, both sides have enhanced route refresh)
    r = lab.run("exec", lab.node("R2"), "--", "clear", "ip", "bgp", "*", "soft", "in")
    assert r.returncode == 0, r.stdout + r.stderr

    def refresh_ladder():
        out = lab.run("capture", lab.node("R2") + "-R3").stdout
        return out if "(EoRR: end of route refresh)" in out else None

    out = wait_for(refresh_ladder, 30, "the route refresh on the ladder")
    assert re.search(r"\|-- BGP ROUTE-REFRESH -+>\|  \[\d+\] IPv4 unicast$", out, re.M), out
    assert re.search(r"\|<-+ BGP ROUTE-REFRESH --\|  \[\d+\] IPv4 unicast \(BoRR", out), out
    lab.run("capture", lab.node("R2") + ":f0/0", "-w", pcap)
    assert {f["ip.src"] for f in tshark(pcap, "bgp.type == 5")} == {R2_ADDR, R3_ADDR}

    # a saved file gives the same ladder, its ends named by their addresses
    r2 = lab.run("capture", "-r", pcap, "--ladder")
    assert r2.returncode == 0, r2.stderr
    assert "My AS 200, Hold Time 180, BGP Identifier 3.3.3.3" in r2.stdout
    assert re.match(r"\s+time\s+192\.168\.2\.\d\s+192\.168\.2\.\d$", r2.stdout.splitlines()[0])


def test_live_capture_sees_a_reset_and_stops_on_sigterm(lab, tmp_path):
    copy_bgp_only(lab, capture_all=False)
    lab.up()
    lab.wait_established(["R2", "R3"], CONVERGE)
    wait_for(lambda: has_route(lab, "R2", "11.0.0.0/8"), CONVERGE, "R3's UPDATE")
    pcap = tmp_path / "live.pcap"
    cap = subprocess.Popen([str(TERN_LAB), "capture", lab.node("R3") + ":f1/0", "-w", str(pcap)],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           env={**os.environ, "TERN_BUILD": str(BUILD)})
    try:
        line = cap.stderr.readline()  # printed once the socket is bound: from here on, nothing is missed
        assert "capturing R3:FastEthernet1/0 -- R2:FastEthernet0/0" in line, line
        r = lab.run("exec", lab.node("R2"), "--", "clear", "ip", "bgp", R3_ADDR)
        assert r.returncode == 0, r.stdout + r.stderr
        # the reset and the session coming back, R3's prefix with it, all in the capture (a
        # poll of the session state could miss a reset that is over within a poll interval)

        def reset_and_update_seen():
            frames = tshark(pcap, "bgp", growing=True)
            notes = [int(f["frame.number"]) for f in frames if "3" in bgp_types(f)]
            again = [int(f["frame.number"]) for f in frames if f["ip.src"] == R3_ADDR
                     and "11.0.0.0" in f["bgp.nlri_prefix"].split(",")]
            return frames if notes and again and max(again) > notes[0] else None

        frames = wait_for(reset_and_update_seen, CONVERGE, "the reset and R3's UPDATE after it in the live capture")
        lab.wait_established(["R2", "R3"], CONVERGE)
    finally:
        cap.send_signal(signal.SIGTERM)
        out, err = cap.communicate(timeout=20)
    assert cap.returncode == 0, err
    assert re.search(r"\d+ frames written to", err), err
    frames = tshark(pcap, "bgp")  # the whole file, now that the capture has ended
    notes = [f for f in frames if "3" in bgp_types(f)]
    assert notes and notes[0]["ip.src"] == R2_ADDR and notes[0]["bgp.notify.major_error"].startswith("6"), notes
    opens = [f for f in frames if "1" in bgp_types(f)]
    assert {f["ip.src"] for f in opens} == {R2_ADDR, R3_ADDR}
    assert int(opens[0]["frame.number"]) > int(notes[0]["frame.number"])
    # the ladder of the saved file names the reset too
    r = lab.run("capture", "-r", pcap)
    assert "6/4 Cease/Administrative Reset" in r.stdout, r.stdout


def test_stored_capture_followed_and_piped(lab, tmp_path):
    """In a `capture: all` lab, --follow goes on past what was stored (a reset made after it
    started shows up in its file), and `-w -` streams the same pcap to standard output."""
    copy_bgp_only(lab, capture_all=True)
    lab.up()
    lab.wait_established(["R2", "R3"], CONVERGE)
    wait_for(lambda: has_route(lab, "R2", "11.0.0.0/8"), CONVERGE, "R3's UPDATE")
    followed = tmp_path / "followed.pcap"
    cap = subprocess.Popen([str(TERN_LAB), "capture", lab.node("R2") + "-R3", "--follow", "-w", str(followed)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                           env={**os.environ, "TERN_BUILD": str(BUILD)})
    try:
        # what was stored is copied first: the session's start is in the file
        wait_for(lambda: any("1" in bgp_types(f) for f in tshark(followed, "bgp", growing=True)), 30,
                 "the stored OPENs in the followed copy")
        r = lab.run("exec", lab.node("R3"), "--", "clear", "ip", "bgp", R2_ADDR)
        assert r.returncode == 0, r.stdout + r.stderr
        wait_for(lambda: any("3" in bgp_types(f) and f["ip.src"] == R3_ADDR
                             for f in tshark(followed, "bgp", growing=True)), 30, "R3's NOTIFICATION, followed")
    finally:
        cap.send_signal(signal.SIGINT)
        _, err = cap.communicate(timeout=20)
    assert cap.returncode == 0, err
    # -w -: a pcap on standard output, which tshark reads from its standard input
    r = subprocess.run([str(TERN_LAB), "capture", lab.node("R2") + ":f0/0", "-w", "-"], capture_output=True,
                       timeout=60, env={**os.environ, "TERN_BUILD": str(BUILD)})
    assert r.returncode == 0, r.stderr
    assert r.stdout[:4] in (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4"), r.stdout[:24]
    t = subprocess.run(["tshark", "-r", "-", "-Y", "bgp.type == 3", "-T", "fields", "-e", "ip.src"],
                       input=r.stdout, capture_output=True, timeout=60)
    assert t.returncode == 0, t.stderr
    assert R3_ADDR.encode() in t.stdout.split(), t.stdout


def test_capture_key_is_checked(lab):
    lab.copy("bgp-only")
    topo = lab.dir / "topology.yml"
    topo.write_text(topo.read_text() + "capture: sometimes\n")
    r = lab.run("up", lab.dir)
    assert r.returncode == 1
    assert re.search(r"topology\.yml:\d+: capture: all or none", r.stderr), r.stderr
    assert lab.namespaces() == []
