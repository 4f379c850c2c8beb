#!/usr/bin/env python3
"""Seed corpus for the BGP codec fuzz targets (tests/fuzz/corpus/<target>/).

Writes small binary files: valid messages of each kind and a few broken ones. The OPEN,
NOTIFICATION, ROUTE-REFRESH and UPDATE targets take a message body (the bytes after the
19-octet header); the frame target takes one selector octet (bit 0: extended messages
negotiated) followed by a stream of whole messages. Standard library only; run it from
anywhere, it writes next to itself. Regression inputs found by fuzzing are kept in the same
folders under names starting with "crash-" and are not touched by this script.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
MARKER = b"\xff" * 16


def header(msg_type, body):
    return MARKER + struct.pack("!HB", 19 + len(body), msg_type) + body


def cap(code, value=b""):
    return struct.pack("!BB", code, len(value)) + value


def open_body(version=4, my_as=65001, hold=180, bgp_id=0x0A000001, params=b""):
    return struct.pack("!BHHIB", version, my_as, hold, bgp_id, len(params)) + params


def cap_param(*caps):
    value = b"".join(caps)
    return struct.pack("!BB", 2, len(value)) + value


MP4 = cap(1, struct.pack("!HBB", 1, 0, 1))
MP6 = cap(1, struct.pack("!HBB", 2, 0, 1))
RR = cap(2)
ERR = cap(70)
EXT = cap(6)
AS4 = cap(65, struct.pack("!I", 65001))
GR = cap(64, struct.pack("!HHBB", 120, 1, 1, 0x80))

OPEN_BODIES = {
    "golden": open_body(params=cap_param(MP4, RR, ERR, EXT, AS4, GR)),
    "no_params": open_body(params=b""),
    "as_trans": open_body(my_as=23456, params=cap_param(cap(65, struct.pack("!I", 4200000001)))),
    "two_params": open_body(params=cap_param(MP6) + cap_param(RR, MP4)),
    "empty_caps": open_body(params=cap_param()),
    "unknown_caps": open_body(params=cap_param(cap(69, b"\x00\x01\x01\x03"),
                                               cap(200, bytes(range(40))), cap(128))),
    "bad_version": open_body(version=3),
    "hold_1": open_body(hold=1),
    "hold_0": open_body(hold=0),
    "id_zero": open_body(bgp_id=0),
    "cap_overrun": open_body(params=b"\x02\x04\x41\x04\x00\x00"),
    "mp_len_3": open_body(params=b"\x02\x05\x01\x03\x00\x01\x00"),
    "gr_len_3": open_body(params=b"\x02\x05\x40\x03\x00\x78\x00"),
    "param_type_1": open_body(params=b"\x01\x02\xaa\xbb"),
    "param_overrun": open_body(params=b"\x02\x08\x02\x00"),
    "short": open_body()[:9],
}

# RFC 9072: Non-Ext OP Len 255, Non-Ext OP Type 255, 2-octet length, 2-octet param lengths.
_caps = AS4 + RR + EXT
_ext_params = struct.pack("!BH", 2, len(_caps)) + _caps
OPEN_BODIES["extended"] = (struct.pack("!BHHI", 4, 65001, 180, 0x0A000001)
                           + b"\xff\xff" + struct.pack("!H", len(_ext_params)) + _ext_params)
_big = b"".join(cap(200 + i, bytes([i]) * 32) for i in range(8))
_big_params = struct.pack("!BH", 2, len(_big)) + _big
OPEN_BODIES["extended_big"] = (struct.pack("!BHHI", 4, 65001, 180, 0x0A000001)
                               + b"\xff\xff" + struct.pack("!H", len(_big_params)) + _big_params)


def shutdown(text):
    raw = text.encode("utf-8")
    return bytes([len(raw)]) + raw


NOTIFICATION_BODIES = {
    "admin_shutdown": b"\x06\x02" + shutdown("maintenance"),
    "admin_reset_utf8": b"\x06\x04" + shutdown("r\u00e9initialisation \u2014 ok"),
    "shutdown_overrun": b"\x06\x02\x14hello",
    "shutdown_empty": b"\x06\x02\x00",
    "shutdown_255": b"\x06\x02" + bytes([255]) + b"x" * 255,
    "hold_timer": b"\x04\x00",
    "bad_peer_as": b"\x02\x02\xfd\xe9",
    "update_error": b"\x03\x01",
    "peer_deconfigured": b"\x06\x03\x02ok",
    "one_octet": b"\x06",
}

ROUTE_REFRESH_BODIES = {
    "normal": struct.pack("!HBB", 1, 0, 1),
    "borr": struct.pack("!HBB", 1, 1, 1),
    "eorr": struct.pack("!HBB", 2, 2, 1),
    "orf": struct.pack("!HBB", 1, 0, 1) + b"\x01\x40\x00\x00",
    "borr_long": struct.pack("!HBB", 1, 1, 1) + b"\x55" * 60,
    "unknown_subtype": struct.pack("!HBB", 1, 7, 1),
    "short": b"\x00\x01\x00",
}


def update_body(withdrawn=b"", attrs=b"", nlri=b""):
    return struct.pack("!H", len(withdrawn)) + withdrawn + struct.pack("!H", len(attrs)) + attrs + nlri


ATTRS = (b"\x40\x01\x01\x00"                 # ORIGIN IGP
         b"\x40\x02\x06\x02\x01\x00\x00\xfd\xe9"  # AS_PATH (65001)
         b"\x40\x03\x04\xc0\x00\x02\x01")     # NEXT_HOP 192.0.2.1

UPDATE_BODIES = {
    "golden": update_body(b"\x08\x0a\x10\xac\x10", ATTRS, b"\x18\xc0\xa8\x01\x20\xc6\x33\x64\x07"),
    "end_of_rib": update_body(),
    "withdraw_only": update_body(b"\x18\xc0\x00\x02\x00\x00"),
    "default_route": update_body(b"", ATTRS, b"\x00"),
    "host_bits": update_body(b"", ATTRS, b"\x0c\x0a\xff"),
    "many_prefixes": update_body(b"", ATTRS, b"".join(bytes([24, 10, i // 256, i % 256]) for i in range(200))),
    "withdrawn_overrun": b"\x00\x06\x08\x0a\x00",
    "attr_overrun": b"\x00\x00\x00\x05\x40\x01\x01\x00",
    "prefix_33": update_body(b"", ATTRS, b"\x21\x01\x02\x03\x04\x05"),
    "prefix_short": update_body(b"", ATTRS, b"\x18\xc0\xa8"),
    "short": b"\x00\x00\x00",
}


def frame_streams():
    ka = header(4, b"")
    op = header(1, OPEN_BODIES["golden"])
    up = header(2, UPDATE_BODIES["golden"])
    no = header(3, NOTIFICATION_BODIES["admin_shutdown"])
    rr = header(5, ROUTE_REFRESH_BODIES["borr"])
    big_update = header(2, update_body(b"", ATTRS, b"\x18\x0a\x00\x00" * 1100))  # 4400+ octets
    return {
        "keepalive": b"\x00" + ka,
        "session": b"\x00" + op + ka + up + rr + ka + no,
        "partial": b"\x00" + ka + op[:25],
        "extended_update": b"\x01" + big_update + ka,
        "extended_update_not_negotiated": b"\x00" + big_update,
        "bad_marker": b"\x00" + b"\xff" * 7 + b"\xfe" + b"\xff" * 8 + b"\x00\x13\x04",
        "length_18": b"\x00" + MARKER + b"\x00\x12\x04",
        "length_4097": b"\x00" + MARKER + b"\x10\x01\x02",
        "keepalive_20": b"\x00" + MARKER + b"\x00\x14\x04\x00",
        "open_28": b"\x00" + MARKER + b"\x00\x1c\x01" + b"\x00" * 9,
        "type_9": b"\x00" + MARKER + b"\x00\x13\x09",
    }


def write(target, files):
    folder = os.path.join(HERE, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    for name, data in files.items():
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)


def main():
    write("bgp_frame", frame_streams())
    write("bgp_open", OPEN_BODIES)
    write("bgp_notification", NOTIFICATION_BODIES)
    write("bgp_route_refresh", ROUTE_REFRESH_BODIES)
    write("bgp_update", UPDATE_BODIES)


if __name__ == "__main__":
    main()
