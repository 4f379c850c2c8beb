"""A scripted BGP peer for the differential check: it connects to a ternd from inside a
namespace, opens the session, sends the UPDATEs it was given, and records everything the
daemon sends it as a table (prefix -> path attributes) with the withdrawals since the last
mark. Standard library only; one thread per peer.

What it records is the wire content, normalised only where RFC 4271 leaves the sender free:
- the attributes of a route are kept sorted by type code (§5: the order of attributes in an
  UPDATE carries no meaning) and the Extended Length flag is dropped (§4.3: it only says how
  the length is encoded);
- which UPDATE a prefix travels in, and the order of prefixes, are not kept (§9.2: grouping
  is the sender's choice); the order between messages is kept only as far as it gives the
  final state: a later announcement replaces an earlier one and a withdrawal removes it (§3.1).
What it keeps beside the table: the prefixes withdrawn since the last mark, how many
announcements repeated the attributes the prefix already had, End-of-RIB, NOTIFICATIONs.
"""

from __future__ import annotations

import socket
import struct
import threading
import time

MARKER = b"\xff" * 16
OPEN, UPDATE, NOTIFICATION, KEEPALIVE, ROUTE_REFRESH = 1, 2, 3, 4, 5

ATTR_NAMES = {1: "ORIGIN", 2: "AS_PATH", 3: "NEXT_HOP", 4: "MED", 5: "LOCAL_PREF",
              6: "ATOMIC_AGGREGATE", 7: "AGGREGATOR", 8: "COMMUNITIES", 9: "ORIGINATOR_ID",
              10: "CLUSTER_LIST", 17: "AS4_PATH", 18: "AS4_AGGREGATOR", 32: "LARGE_COMMUNITIES"}


def msg(mtype, body=b""):
    return MARKER + struct.pack("!HB", 19 + len(body), mtype) + body


def open_msg(asn, hold, router_id):
    caps = struct.pack("!BBHBB", 1, 4, 1, 0, 1) + struct.pack("!BBI", 65, 4, asn)
    params = struct.pack("!BB", 2, len(caps)) + caps
    return msg(OPEN, struct.pack("!BHH4sB", 4, asn if asn < 65536 else 23456, hold,
                                 socket.inet_aton(router_id), len(params)) + params)


def encode_prefix(text):
    addr, plen = text.split("/")
    plen = int(plen)
    return bytes([plen]) + socket.inet_aton(addr)[:(plen + 7) // 8]


def attr(type_code, value, flags=None):
    if flags is None:
        flags = 0x40 if type_code in (1, 2, 3, 5, 6) else 0x80
    if len(value) > 255:
        return struct.pack("!BBH", flags | 0x10, type_code, len(value)) + value
    return struct.pack("!BBB", flags, type_code, len(value)) + value


def update(prefixes=(), attrs=b"", withdrawn=()):
    w = b"".join(encode_prefix(p) for p in withdrawn)
    n = b"".join(encode_prefix(p) for p in prefixes)
    return msg(UPDATE, struct.pack("!H", len(w)) + w + struct.pack("!H", len(attrs)) + attrs + n)


def prefix_text(raw):
    plen = raw[0]
    addr = raw[1:] + bytes(4 - len(raw) + 1)
    return f"{socket.inet_ntoa(addr[:4])}/{plen}"


def split_prefixes(data):
    out, i = [], 0
    while i < len(data):
        n = (data[i] + 7) // 8
        out.append(bytes(data[i:i + 1 + n]))
        i += 1 + n
    return out


def describe_attrs(data):
    """The attributes as one canonical text: sorted by type, Extended Length flag dropped,
    the well-known ones decoded."""
    items, i = [], 0
    while i + 3 <= len(data):
        flags, code = data[i], data[i + 1]
        if flags & 0x10:
            length = struct.unpack("!H", data[i + 2:i + 4])[0]
            i += 4
        else:
            length = data[i + 2]
            i += 3
        value = bytes(data[i:i + length])
        i += length
        items.append((code, flags & ~0x10 & 0xF0, value))
    if i != len(data):
        items.append((256, 0, bytes(data[i:])))  # trailing garbage: kept visible
    parts = []
    for code, flags, value in sorted(items, key=lambda t: t[0]):
        name = ATTR_NAMES.get(code, f"ATTR{code}")
        parts.append(f"{name}[{flags:02x}]={decode_value(code, value)}")
    return " ".join(parts)


def decode_value(code, v):
    try:
        if code == 1:
            return {0: "IGP", 1: "EGP", 2: "INCOMPLETE"}.get(v[0], str(v[0])) if len(v) == 1 else v.hex()
        if code in (2, 17):
            segs, i = [], 0
            while i < len(v):
                t, n = v[i], v[i + 1]
                asns = struct.unpack(f"!{n}I", v[i + 2:i + 2 + 4 * n])
                segs.append(("{" if t == 1 else "(") + " ".join(map(str, asns)) + ("}" if t == 1 else ")"))
                i += 2 + 4 * n
            return "".join(segs)
        if code in (3, 9) and len(v) == 4:
            return socket.inet_ntoa(v)
        if code in (4, 5) and len(v) == 4:
            return str(struct.unpack("!I", v)[0])
        if code == 8 and len(v) % 4 == 0:
            return ",".join(f"{a}:{b}" for a, b in struct.iter_unpack("!HH", v))
        if code == 32 and len(v) % 12 == 0:
            return ",".join(f"{a}:{b}:{c}" for a, b, c in struct.iter_unpack("!III", v))
        if code == 7 and len(v) == 8:
            return f"{struct.unpack('!I', v[:4])[0]}/{socket.inet_ntoa(v[4:])}"
    except (IndexError, struct.error):
        pass
    return v.hex()


class Peer(threading.Thread):
    """One session to a ternd. `announce`: raw messages sent once Established (in order).
    `records`: (type, body) pairs, sent after `announce`, each as a message of that type (a
    type with bit 0x80: the body as raw bytes), as the fuzz target fuzz_bgp_session does."""

    def __init__(self, ns, local, remote, asn, router_id, announce=(), hold=240):
        super().__init__(daemon=True)
        self.ns, self.local, self.remote = ns, local, remote
        self.asn, self.router_id, self.hold = asn, router_id, hold
        self.announce = list(announce)
        self.lock = threading.Lock()
        self.table: dict[bytes, str] = {}
        self.withdrawn: set[bytes] = set()
        self.repeats = 0
        self.updates = 0
        self.eor = False
        self.notifications: list[str] = []
        self.state = "Connect"
        self.open_reply = None
        self.closed = False
        self.error = None
        self.last_rx = time.monotonic()
        self._attr_cache: dict[bytes, str] = {}
        self._sock = None
        self._halt = threading.Event()

    # -- control from the harness
    def wait_established(self, timeout=30):
        deadline = time.monotonic() + timeout
        while self.state != "Established":
            if self.error or self.closed or time.monotonic() > deadline:
                raise RuntimeError(f"peer {self.local}: no session with {self.remote} "
                                   f"(state {self.state}, error {self.error}, "
                                   f"notifications {self.notifications})")
            time.sleep(0.05)

    def send(self, data):
        self._sock.sendall(data)

    def quiet_for(self):
        return time.monotonic() - self.last_rx

    def count(self):
        with self.lock:
            return len(self.table)

    def mark(self):
        """What was received: the table now, and what happened since the previous mark."""
        with self.lock:
            snap = {"routes": {prefix_text(p): a for p, a in self.table.items()},
                    "withdrawn": sorted(prefix_text(p) for p in self.withdrawn),
                    "repeated_announcements": self.repeats,
                    "end_of_rib": self.eor,
                    "notifications": list(self.notifications),
                    "closed": self.closed}
            self.withdrawn = set()
            self.repeats = 0
            self.notifications = []
            return snap

    def stop(self):
        self._halt.set()
        if self._sock:
            try:
                self._sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.join(5)

    # -- the session
    def run(self):
        try:
            self._run()
        except Exception as e:  # noqa: BLE001 - reported through self.error
            if not self._halt.is_set():
                self.error = repr(e)
        finally:
            self.closed = True

    def _connect(self):
        deadline = time.monotonic() + 20
        while True:
            try:
                return self.ns.tcp_connect(self.remote, 179, src=self.local, timeout=2)
            except OSError:
                if time.monotonic() > deadline or self._halt.is_set():
                    raise
                time.sleep(0.1)

    def _run(self):
        self._sock = s = self._connect()
        s.settimeout(1.0)
        s.sendall(open_msg(self.asn, self.hold, self.router_id))
        buf = bytearray()
        last_ka = time.monotonic()
        while not self._halt.is_set():
            try:
                chunk = s.recv(1 << 20)
            except socket.timeout:
                chunk = None
            if chunk == b"":
                return
            if chunk:
                buf += chunk
                self.last_rx = time.monotonic()
                off = 0
                while len(buf) - off >= 19:
                    length = struct.unpack("!H", buf[off + 16:off + 18])[0]
                    if length < 19 or len(buf) - off < length:
                        break
                    self._handle(buf[off + 18], memoryview(buf)[off + 19:off + length])
                    off += length
                del buf[:off]
            if self.state == "Established" and time.monotonic() - last_ka > self.hold / 4:
                s.sendall(msg(KEEPALIVE))
                last_ka = time.monotonic()

    def _handle(self, mtype, body):
        if mtype == OPEN:
            self.open_reply = bytes(body).hex()
            self._sock.sendall(msg(KEEPALIVE))
            self.state = "OpenConfirm"
        elif mtype == KEEPALIVE:
            if self.state == "OpenConfirm":
                self.state = "Established"
                for m in self.announce:
                    self._sock.sendall(m)
        elif mtype == NOTIFICATION:
            b = bytes(body)
            with self.lock:
                self.notifications.append(f"{b[0]}/{b[1]} {b[2:].hex()}" if len(b) >= 2 else b.hex())
        elif mtype == UPDATE:
            self._update(bytes(body))
        else:
            with self.lock:
                self.notifications.append(f"message type {mtype}")

    def _update(self, b):
        wl = struct.unpack("!H", b[:2])[0]
        withdrawn = split_prefixes(b[2:2 + wl])
        al = struct.unpack("!H", b[2 + wl:4 + wl])[0]
        raw_attrs = b[4 + wl:4 + wl + al]
        nlri = split_prefixes(b[4 + wl + al:])
        with self.lock:
            self.updates += 1
            if not withdrawn and not nlri and not raw_attrs:
                self.eor = True
            for p in withdrawn:
                self.table.pop(p, None)
                self.withdrawn.add(p)
            if nlri:
                a = self._attr_cache.get(raw_attrs)
                if a is None:
                    a = self._attr_cache[raw_attrs] = describe_attrs(raw_attrs)
                for p in nlri:
                    if self.table.get(p) == a:
                        self.repeats += 1
                    self.table[p] = a
