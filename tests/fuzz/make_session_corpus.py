#!/usr/bin/env python3
"""Seed corpus of fuzz_bgp_session: message sequences a peer sends after its OPEN.
Each record: type (0x80 = raw bytes), 2-octet length, body. Run from tests/fuzz:
    python3 make_session_corpus.py corpus/bgp_session"""
import struct
import sys
from pathlib import Path


def rec(mtype, body):
    return struct.pack("!BH", mtype, len(body)) + body


def attr(flags, code, value):
    if len(value) > 255:
        return struct.pack("!BBH", flags | 0x10, code, len(value)) + value
    return struct.pack("!BBB", flags, code, len(value)) + value


def prefix(p):
    addr, plen = p.split("/")
    plen = int(plen)
    octets = bytes(int(x) for x in addr.split("."))
    return bytes([plen]) + octets[:(plen + 7) // 8]


def as_path(asns, seg=2):
    return bytes([seg, len(asns)]) + b"".join(struct.pack("!I", a) for a in asns)


def update(withdrawn=(), attrs=b"", nlri=()):
    wd = b"".join(prefix(p) for p in withdrawn)
    nl = b"".join(prefix(p) for p in nlri)
    return struct.pack("!H", len(wd)) + wd + struct.pack("!H", len(attrs)) + attrs + nl


def base_attrs(path=(65002,), nh="192.0.2.2", med=None, extra=b""):
    a = attr(0x40, 1, b"\x00") + attr(0x40, 2, as_path(list(path)))
    a += attr(0x40, 3, bytes(int(x) for x in nh.split(".")))
    if med is not None:
        a += attr(0x80, 4, struct.pack("!I", med))
    return a + extra


def mp_reach_v6(prefixes, nh=b"\x20\x01\x0d\xb8" + b"\x00" * 11 + b"\x02"):
    nl = b""
    for p, plen in prefixes:
        nl += bytes([plen]) + p[:(plen + 7) // 8]
    return attr(0x80, 14, struct.pack("!HBB", 2, 1, len(nh)) + nh + b"\x00" + nl)


seeds = {
    "announce": rec(2, update(attrs=base_attrs(), nlri=["10.1.0.0/16", "10.2.0.0/24"])),
    "announce_withdraw": rec(2, update(attrs=base_attrs(med=5), nlri=["10.1.0.0/16"]))
    + rec(2, update(withdrawn=["10.1.0.0/16"])),
    "path_change": rec(2, update(attrs=base_attrs(), nlri=["10.3.0.0/16"]))
    + rec(2, update(attrs=base_attrs(path=(65002, 65010, 65020)), nlri=["10.3.0.0/16"]))
    + rec(4, b""),
    "communities": rec(2, update(attrs=base_attrs(extra=attr(0xc0, 8, struct.pack("!II", 65002 << 16 | 1, 0xFFFFFF01))),
                                 nlri=["10.4.0.0/16"])),
    "refresh": rec(2, update(attrs=base_attrs(), nlri=["10.5.0.0/16"])) + rec(5, struct.pack("!HBB", 1, 0, 1)),
    "enhanced_refresh": rec(5, struct.pack("!HBB", 1, 1, 1)) + rec(2, update(attrs=base_attrs(), nlri=["10.6.0.0/16"]))
    + rec(5, struct.pack("!HBB", 1, 2, 1)),
    "ipv6": rec(2, update(attrs=attr(0x40, 1, b"\x00") + attr(0x40, 2, as_path([65002]))
                          + mp_reach_v6([(b"\x20\x01\x0d\xb8\x00\x01", 48)]))),
    "bad_origin": rec(2, update(attrs=attr(0x40, 1, b"\x07") + attr(0x40, 2, as_path([65002]))
                                + attr(0x40, 3, b"\xc0\x00\x02\x02"), nlri=["10.7.0.0/16"])),
    "missing_nexthop": rec(2, update(attrs=attr(0x40, 1, b"\x00") + attr(0x40, 2, as_path([65002])),
                                     nlri=["10.8.0.0/16"])),
    "loop": rec(2, update(attrs=base_attrs(path=(65002, 65001)), nlri=["10.9.1.0/24"])),
    "notification": rec(2, update(attrs=base_attrs(), nlri=["10.10.0.0/16"])) + rec(3, b"\x06\x02"),
    "raw_garbage": rec(0x80, b"\xff" * 16 + b"\x00\x13\x04" + b"\xff" * 10),
    "bad_type": rec(9, b"abc"),
    "open_again": rec(1, bytes.fromhex("04fdea005a0a0000020000")),
    "many": b"".join(rec(2, update(attrs=base_attrs(med=i), nlri=[f"10.{20 + i}.0.0/16"])) for i in range(40))
    + b"".join(rec(2, update(withdrawn=[f"10.{20 + i}.0.0/16"])) for i in range(0, 40, 2)),
    "own_network": rec(2, update(attrs=base_attrs(), nlri=["10.9.0.0/16"])),
}

out = Path(sys.argv[1] if len(sys.argv) > 1 else "corpus/bgp_session")
out.mkdir(parents=True, exist_ok=True)
for name, data in seeds.items():
    (out / name).write_bytes(data)
print(f"{len(seeds)} seeds in {out}")
