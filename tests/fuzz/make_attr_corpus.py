#!/usr/bin/env python3
"""DOC: writes the seed corpus of fuzz_bgp_attr (tests/fuzz/corpus/bgp_attr/).

Each seed is one mode octet (bit 0: 4-octet AS session, bit 1: internal peer, bit 2: the
UPDATE has IPv4 NLRI, bit 3: it has withdrawn routes) followed by a Path Attributes field.
The seeds cover every attribute type well formed, and one or more RFC 7606 error of each kind,
so the fuzzer starts next to every branch. Standard library only; run from anywhere:

    python3 tests/fuzz/make_attr_corpus.py
"""
import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "bgp_attr")

AS4, IBGP, NLRI, WITHDRAWN = 1, 2, 4, 8
WK, OPT, OPT_T = 0x40, 0x80, 0xC0


def attr(flags, type_code, value):
    """One attribute; the Extended Length flag when the value needs it (or is asked for)."""
    if len(value) > 255 or flags & 0x10:
        return struct.pack("!BBH", flags | 0x10, type_code, len(value)) + value
    return struct.pack("!BBB", flags, type_code, len(value)) + value


def seg(seg_type, asns, size=4):
    fmt = "!I" if size == 4 else "!H"
    return bytes([seg_type, len(asns)]) + b"".join(struct.pack(fmt, a) for a in asns)


def u32(v):
    return struct.pack("!I", v)


def origin(v=0):
    return attr(WK, 1, bytes([v]))


def as_path(*segments):
    return attr(WK, 2, b"".join(segments))


def next_hop(a=0x0A000001):
    return attr(WK, 3, u32(a))


def mp_reach(afi, safi, nh, nlri):
    return attr(OPT, 14, struct.pack("!HBB", afi, safi, len(nh)) + nh + b"\x00" + nlri)


def mp_unreach(afi, safi, nlri):
    return attr(OPT, 15, struct.pack("!HB", afi, safi) + nlri)


BASE4 = origin() + as_path(seg(2, [100])) + next_hop()
BASE2 = origin() + as_path(seg(2, [100], 2)) + next_hop()
V6_NH = bytes.fromhex("20010db8000000000000000000000001")
LL_NH = bytes.fromhex("fe800000000000000000000000000001")

SEEDS = {
    # well formed
    "base4": (AS4 | NLRI, BASE4),
    "base2": (NLRI, BASE2),
    "full_ibgp4": (AS4 | IBGP | NLRI, BASE4 + attr(OPT, 4, u32(10)) + attr(WK, 5, u32(200))
                   + attr(WK, 6, b"") + attr(OPT_T, 7, u32(4200000000) + u32(0xC0000201))
                   + attr(OPT_T, 8, u32(0xFDE80001) + u32(0xFFFFFF01) + u32(0xFFFFFF03))
                   + attr(OPT, 9, u32(0x01010101)) + attr(OPT, 10, u32(2) + u32(3))
                   + attr(OPT_T, 16, bytes.fromhex("0002fde800000064"))
                   + attr(OPT_T, 32, u32(4200000000) + u32(1) + u32(2))),
    "aspath_all_segments": (AS4 | NLRI, origin(2) + as_path(
        seg(3, [65001, 65002]), seg(4, [65003]), seg(2, [100, 4200000000]), seg(1, [300, 400]))
        + next_hop()),
    "aspath_empty_ibgp": (AS4 | IBGP | NLRI, origin() + as_path() + next_hop()),
    "aspath_extended_length": (AS4 | NLRI, origin() + as_path(seg(2, list(range(1, 80))))
                               + next_hop()),
    "old_peer_as4_attrs": (NLRI, origin() + as_path(seg(2, [100, 23456, 23456], 2)) + next_hop()
                           + attr(OPT_T, 7, struct.pack("!H", 23456) + u32(0x01020304))
                           + attr(OPT_T, 17, seg(3, [65001]) + seg(2, [4200000000, 4200000001]))
                           + attr(OPT_T, 18, u32(4200000000) + u32(0x01020304))),
    "old_peer_agg_not_trans": (NLRI, BASE2 + attr(OPT_T, 7, struct.pack("!H", 7) + u32(1))
                               + attr(OPT_T, 17, seg(2, [4200000000]))
                               + attr(OPT_T, 18, u32(4200000000) + u32(1))),
    "mp_reach_v6_ll": (AS4, mp_reach(2, 1, V6_NH + LL_NH, bytes.fromhex("2020010db800"))
                       + origin() + as_path(seg(2, [100]))),
    "mp_reach_v4": (AS4 | IBGP, mp_reach(1, 1, u32(0x0A000001), bytes.fromhex("18c00002"))
                    + origin() + as_path()),
    "mp_reach_unsupported": (AS4, mp_reach(1, 128, bytes(12), b"\xff\xff") + origin()
                             + as_path(seg(2, [1]))),
    "mp_unreach_v6": (AS4, mp_unreach(2, 1, bytes.fromhex("2020010db8"))),
    "mp_both_withdrawn": (AS4 | WITHDRAWN, mp_unreach(1, 1, bytes.fromhex("100a03"))
                          + mp_reach(1, 1, u32(0x0A000001), bytes.fromhex("180a0102"))
                          + origin() + as_path(seg(2, [1]))),
    "unknown_transitive": (AS4 | NLRI, BASE4 + attr(OPT_T | 0x20, 99, b"\xaa\xbb")
                           + attr(OPT, 98, b"\x01")),
    "extended_length_flag_small": (AS4 | NLRI, attr(WK | 0x10, 1, b"\x00") + as_path(seg(2, [1]))
                                   + next_hop()),
    # RFC 7606 errors
    "origin_bad_value": (AS4 | NLRI, origin(3) + as_path(seg(2, [100])) + next_hop()),
    "origin_bad_flags": (AS4 | NLRI, attr(OPT_T, 1, b"\x00") + as_path(seg(2, [1])) + next_hop()),
    "aspath_overrun": (AS4 | NLRI, origin() + attr(WK, 2, bytes([2, 2]) + u32(1)) + next_hop()),
    "aspath_zero_segment": (AS4 | NLRI, origin() + attr(WK, 2, b"\x02\x00") + next_hop()),
    "aspath_bad_type": (AS4 | NLRI, origin() + as_path(seg(5, [1])) + next_hop()),
    "aspath_as0": (AS4 | NLRI, origin() + as_path(seg(2, [0])) + next_hop()),
    "nexthop_martian": (AS4 | NLRI, origin() + as_path(seg(2, [1])) + next_hop(0xE0000001)),
    "nexthop_len5": (AS4 | NLRI, origin() + as_path(seg(2, [1])) + attr(WK, 3, bytes(5))),
    "med_len3": (AS4 | NLRI, BASE4 + attr(OPT, 4, bytes(3))),
    "local_pref_ebgp": (AS4 | NLRI, BASE4 + attr(WK, 5, u32(100))),
    "atomic_len1": (AS4 | NLRI, BASE4 + attr(WK, 6, b"\x00")),
    "aggregator_len7": (AS4 | NLRI, BASE4 + attr(OPT_T, 7, bytes(7))),
    "communities_len5": (AS4 | NLRI, BASE4 + attr(OPT_T, 8, bytes(5))),
    "cluster_list_len6_ibgp": (AS4 | IBGP | NLRI, BASE4 + attr(OPT, 10, bytes(6))),
    "originator_ebgp": (AS4 | NLRI, BASE4 + attr(OPT, 9, u32(1))),
    "mp_reach_short": (AS4, attr(OPT, 14, b"\x00\x02")),
    "mp_reach_bad_nh_len": (AS4, mp_reach(2, 1, bytes(12), b"")),
    "mp_reach_bad_prefix": (AS4, mp_reach(2, 1, V6_NH, b"\x81" + bytes(17))),
    "mp_unreach_twice": (AS4, mp_unreach(2, 1, b"") + mp_unreach(1, 1, b"")),
    "duplicate_origin": (AS4 | NLRI, BASE4 + origin(1)),
    "unknown_well_known": (AS4 | NLRI, BASE4 + attr(WK, 99, b"\x01")),
    "missing_nexthop": (AS4 | NLRI, origin() + as_path(seg(2, [1]))),
    "attr_overrun": (AS4 | NLRI, BASE4 + b"\xc0\x08\x08\x00\x01"),
    "attr_overrun_nothing_located": (AS4, b"\xc0\x08\x08\x00\x01"),
    "stray_octets": (AS4 | WITHDRAWN, b"\xc0\x08"),
    "as4_path_between_new": (AS4 | NLRI, BASE4 + attr(OPT_T, 17, seg(2, [1]))),
    "as4_path_malformed": (NLRI, BASE2 + attr(OPT_T, 17, b"\x02\x02" + u32(1))),
    "ext_communities_len7": (AS4 | NLRI, BASE4 + attr(OPT_T, 16, bytes(7))),
    "large_community_len11": (AS4 | NLRI, BASE4 + attr(OPT_T, 32, bytes(11))),
    "empty": (AS4, b""),
    # found by the fuzzer: an unknown attribute of type 0 followed by duplicates of it, and
    # unknown attributes received out of type order (both broke the encode/decode round trip)
    "regress_unknown_type0": (AS4, bytes.fromhex("fb000000") + bytes(45)),
    "regress_unknown_order": (AS4 | WITHDRAWN, bytes.fromhex(
        "800a080000000200102303c0230300bbdde8000800bbdde800010002")),
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, (mode, body) in sorted(SEEDS.items()):
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(bytes([mode]) + body)
    print(f"wrote {len(SEEDS)} seeds to {OUT}")


if __name__ == "__main__":
    main()
