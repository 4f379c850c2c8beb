"""Crafted bytes from a raw Python socket peer.

One Tern (namespace t, 10.0.1.1 toward the raw peers, 10.0.3.1 toward BIRD) serves the whole
module: it has a real session with BIRD (10.0.3.2) and one passive neighbour per case
(10.0.1.10, .11, ...) so no case inherits another's idle or back-off state; the cases marked
"out" use an active neighbour that Tern connects to a Python listener instead. Each case reads
the NOTIFICATION Tern sends (code, subcode, data), then checks that ternd still answers and
that the BIRD session never dropped.
"""

import socket
import struct
import time

import pytest

import netlab
from netlab import (MARKER, NOTIFICATION, Bird, Tern, bgp_open, notif, parse_notification,
                    recv_eof, recv_msg, recv_until, stays, subset, wait_subset)

TERN_AS, RAW_AS, BIRD_AS = 65001, 65010, 65003
TERN_ADDR, BIRD_ADDR = "10.0.1.1", "10.0.3.2"


def hdr(length, mtype, marker=MARKER):
    return marker + struct.pack("!HB", length, mtype)


# (id, direction, bytes to send once Tern's OPEN is in, expected (code, subcode, data) or a
# special action). data None: not checked.
CASES = [
    ("bad-marker", "in", b"\x00" * 16 + struct.pack("!HB", 19, 4), (1, 1, None)),
    ("bad-marker", "out", b"\xfe" * 16 + struct.pack("!HB", 19, 4), (1, 1, None)),
    ("length-18", "in", hdr(18, 4), (1, 2, b"\x00\x12")),
    ("length-4097", "in", hdr(4097, 4), (1, 2, b"\x10\x01")),
    ("length-4097", "out", hdr(4097, 2), (1, 2, b"\x10\x01")),
    ("keepalive-length-20", "in", hdr(20, 4) + b"\x00", (1, 2, b"\x00\x14")),
    ("type-9", "in", hdr(19, 9), (1, 3, b"\x09")),
    ("type-9", "out", hdr(19, 9), (1, 3, b"\x09")),
    ("open-hold-1", "in", "open-hold-1", (2, 6, None)),
    ("open-version-5", "in", "open-version-5", (2, 1, b"\x00\x04")),
    ("open-bad-as", "in", "open-bad-as", (2, 2, None)),
    ("open-bgp-id-0", "in", "open-bgp-id-0", (2, 3, None)),
    ("truncated-header-close", "in", MARKER[:10], "eof"),
    ("silent", "in", b"", "silent"),
]


def case_addr(index):
    return f"10.0.1.{10 + index}"


def open_for(case, addr):
    return {
        "open-hold-1": bgp_open(RAW_AS, 1, addr),
        "open-version-5": bgp_open(RAW_AS, 90, addr, version=5),
        "open-bad-as": bgp_open(65099, 90, addr),
        "open-bgp-id-0": bgp_open(RAW_AS, 90, "0.0.0.0"),
    }[case]


@pytest.fixture(scope="module")
def setup(module_lab):
    miss = netlab.missing("ternd", "ternc", "bird")
    if miss:
        netlab.unavailable("missing: " + ", ".join(miss))
    lab = module_lab
    t, r, c = lab.netns("t"), lab.netns("r"), lab.netns("c")
    lab.link(t, r, f"{TERN_ADDR}/24", "10.0.1.2/24")
    lab.link(t, c, "10.0.3.1/24", f"{BIRD_ADDR}/24")
    for i in range(len(CASES)):
        r.addr("eth0", f"{case_addr(i)}/24")
    neighbors = [{"neighbor": BIRD_ADDR, "remote_as": BIRD_AS, "timers": (3, 9), "connect": 1}]
    for i, (_, direction, _, _) in enumerate(CASES):
        n = {"neighbor": case_addr(i), "remote_as": RAW_AS, "connect": 1}
        if direction == "in":
            n["passive"] = True
        neighbors.append(n)
    tern = Tern(t, "10.0.1.1", TERN_AS, neighbors, name="tern")
    bird = Bird(c, BIRD_ADDR, BIRD_AS, [{"neighbor": "10.0.3.1", "remote_as": TERN_AS,
                                         "hold": 9, "keepalive": 3}])
    wait_subset(lambda: tern.neighbor(BIRD_ADDR), {"state": "Established"}, timeout=30)
    bird.wait_established("10.0.3.1", 10)
    return {"lab": lab, "tern": tern, "bird": bird, "r": r}


def connect_in(r, addr, timeout=20.0):
    """Connects from addr to Tern and returns (sock, Tern's OPEN body). Retries while Tern
    refuses or closes before its OPEN (it may still be starting the neighbour)."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        s = None
        try:
            s = r.tcp_connect(TERN_ADDR, 179, src=addr, timeout=3)
            m = recv_msg(s, 5)
            if m and m[0] == netlab.OPEN:
                return s, m[1]
            last = f"got {m!r} instead of an OPEN"
        except OSError as e:
            last = e
        if s:
            s.close()
        time.sleep(0.2)
    raise AssertionError(f"Tern never sent an OPEN to {addr}: {last!r}")


def accept_out(r, addr, timeout=20.0):
    """Listens on addr:179 until Tern connects (connect timer 1 s); returns (sock, its OPEN)."""
    srv = r.tcp_listen(addr, 179)
    try:
        srv.settimeout(timeout)
        s, peer = srv.accept()
    finally:
        srv.close()
    assert peer[0] == TERN_ADDR, peer
    m = recv_msg(s, 5)
    assert m and m[0] == netlab.OPEN, m
    return s, m[1]


def bird_unharmed(setup):
    tern, bird = setup["tern"], setup["bird"]
    assert tern.responsive(), "ternd stopped answering"
    n = tern.neighbor(BIRD_ADDR)
    assert subset(n, {"state": "Established", "establishedCount": 1, "droppedCount": 0}), n
    assert bird.bgp_state("10.0.3.1") == "Established"


@pytest.mark.parametrize("index", range(len(CASES)),
                         ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_bad_input(setup, index):
    name, direction, payload, expect = CASES[index]
    tern, r = setup["tern"], setup["r"]
    addr = case_addr(index)
    if isinstance(payload, str):
        payload = open_for(payload, addr)
    s, open_body = (connect_in if direction == "in" else accept_out)(r, addr)
    try:
        o = netlab.parse_open(open_body)
        assert (o["version"], o["myAs"], o["bgpId"]) == (4, TERN_AS, "10.0.1.1"), o
        if payload:
            s.sendall(payload)
        if expect == "eof":
            # half-close after a truncated header: Tern drops the connection, sends nothing
            # but (at most) a NOTIFICATION, and does not crash
            s.shutdown(socket.SHUT_WR)
            assert recv_eof(s, 10), "Tern kept the connection open after EOF"
        elif expect == "silent":
            # a peer that says nothing after Tern's OPEN: Tern waits (OpenSent, long hold
            # timer) and stays responsive meanwhile
            wait_subset(lambda: tern.neighbor(addr), {"state": "OpenSent"}, timeout=5)

            def waiting_unharmed():
                bird_unharmed(setup)
                return tern.neighbor(addr)["state"] == "OpenSent"
            stays(waiting_unharmed, 3, interval=1, desc="Tern waiting in OpenSent, BIRD unharmed")
        else:
            code, subcode, data = expect
            body, seen = recv_until(s, NOTIFICATION, timeout=10)
            assert body is not None, f"connection closed without a NOTIFICATION (saw {seen})"
            assert all(t == netlab.KEEPALIVE for t in seen), seen
            n = parse_notification(body)
            assert (n["code"], n["subcode"]) == (code, subcode), n
            if data is not None:
                assert n["data"] == data, n
            assert recv_eof(s, 10), "Tern kept the connection open after its NOTIFICATION"
            wait_subset(lambda: tern.neighbor(addr),
                        {"lastNotificationSent": notif(code, subcode), "establishedCount": 0},
                        timeout=5)
    finally:
        s.close()
    bird_unharmed(setup)


def test_bad_input_after_all(setup):
    """After every case: the BIRD session is still the first one, never dropped, and ternd has
    not restarted (same process)."""
    tern = setup["tern"]
    assert tern.proc.alive()
    bird_unharmed(setup)
    summ = tern.summary()
    assert summ["peers"][BIRD_ADDR]["state"] == "Established"
    # the raw neighbours all exist, none ever Established
    for i in range(len(CASES)):
        assert tern.neighbor(case_addr(i)).get("establishedCount", 0) == 0
