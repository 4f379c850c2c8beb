"""Helpers for the route tests (test_bgp_routes*.py), on top of netlab.

  tern_routes_config / start_tern   ternd with `network`, `redistribute`, `ip route` and extra
                                    per-neighbour lines (IOS syntax)
  TernCli                           run-time configuration at the global level (`ip route`)
  bgp_routes, route_table           Tern's `show ip bgp json` / `show bgp ipv6 unicast json`
                                    and `show ip route json`, parsed
  kernel_routes                     `ip -n NS -j route show proto 201`, keyed by prefix
  BirdConf, bird_routes             BIRD 2 with a free-form configuration; its table, parsed
  frr_routes                        FRR's `show bgp ipv4|ipv6 unicast json`
  path_like, only_path_like         predicates for wait_subset on a prefix's path list
  BgpCapture                        BGP messages seen on an interface (TCP reassembled per
                                    direction), an independent witness of ROUTE-REFRESH etc.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import os
import re
import struct
import subprocess
import time

import netlab
from netlab import (BINARIES, Bird, Tern, bird_peer_name, run, subset, tern_config,
                    wait_until)

TERN_PROTO = 201
FAST = {"timers": (2, 6)}      # per-neighbour options for quick sessions (default connect timers)


# ----------------------------------------------------------------------------------------------
# Tern

def _prefix_mask(prefix):
    n = ipaddress.ip_network(prefix, strict=True)
    return str(n.network_address), str(n.netmask)


def tern_routes_config(name, router_id, asn, neighbors, networks=(), statics=(), bgp_lines=(),
                       keepalive=None, hold=None):
    """IOS configuration: netlab.tern_config's neighbours (dicts; "lines" are extra
    per-neighbour lines such as "next-hop-self", written as `neighbor A LINE`), plus
    `network P mask M` for each IPv4 prefix in `networks`, raw `bgp_lines` inside `router bgp`
    and `ip route P M NH|IFACE` for each (prefix, via) in `statics` (at the global level,
    written before `router bgp`)."""
    nbs = []
    for n in neighbors:
        n = dict(n)
        n["lines"] = [f"neighbor {n['neighbor']} {ln}" for ln in n.get("lines", [])]
        nbs.append(n)
    text = tern_config(router_id, asn, nbs, hostname=name, keepalive=keepalive, hold=hold)
    lines = text.rstrip("\n").split("\n")
    head, rest = lines[:1], lines[1:]          # hostname, then `router bgp` and its lines
    glob = []
    for prefix, via in statics:
        a, m = _prefix_mask(prefix)
        glob.append(f"ip route {a} {m} {via}")
    bgp = []
    for p in networks:
        a, m = _prefix_mask(p)
        bgp.append(f" network {a} mask {m}")
    bgp += [f" {ln}" for ln in bgp_lines]
    return "\n".join(head + glob + rest + bgp) + "\n"


def start_tern(ns, name, router_id, asn, neighbors, **kw):
    """A ternd with tern_routes_config(...); neighbours get fast timers unless they say
    otherwise. kw: networks, statics, bgp_lines, no_kernel, debug."""
    no_kernel = kw.pop("no_kernel", False)
    debug = kw.pop("debug", False)
    nbs = [{**FAST, **n} for n in neighbors]
    conf = tern_routes_config(name, router_id, asn, nbs, **kw)
    return Tern(ns, router_id, asn, [], name=name, config=conf, no_kernel=no_kernel,
                debug=debug)


def tern_exec(tern, *lines):
    """Runs lines through `ternc -c` (each its own -c); for global configuration pass
    "configure terminal", ..., "end" yourself."""
    argv = [str(netlab.ternc_path()), "-s", str(tern.sock)]
    for c in lines:
        argv += ["-c", c]
    r = run(argv, check=False, timeout=15)
    if r.returncode != 0:
        raise netlab.TernError(f"ternc {lines} -> {r.returncode}\n{r.stdout}{r.stderr}")
    return r.stdout


def tern_global(tern, *lines):
    """Global configuration lines at run time (e.g. `ip route ...`)."""
    return tern_exec(tern, "configure terminal", *lines, "end")


def bgp_routes(tern, family=4):
    """{prefix: [path, ...]} from `show ip bgp json` (IPv4) or `show bgp ipv6 unicast json`."""
    if family == 4:
        d = tern.show_json("ip", "bgp")
    else:
        d = tern.show_json("bgp", "ipv6", "unicast")
    return d.get("routes", {})


def bgp_prefix(tern, prefix):
    """`show ip bgp P json`: {"prefix", "paths": [...]}."""
    return tern.show_json("ip", "bgp", prefix)


def route_table(tern):
    """{prefix: [entry, ...]} from `show ip route json`."""
    return tern.show_json("ip", "route").get("routes", {})


def pfx_rcvd(tern, peer):
    return tern.summary().get("peers", {}).get(peer, {}).get("pfxRcvd")


def counters(tern, peer):
    """messages.sent / messages.received of `show ip bgp neighbors A json`."""
    return tern.neighbor(peer).get("messages", {})


def path_like(expected):
    """Predicate on a path list: some path matches the subset `expected`."""
    def pred(paths):
        return isinstance(paths, list) and any(subset(p, expected) for p in paths)
    pred.__name__ = f"path_like({expected!r})"
    return pred


def only_path_like(expected):
    """Predicate on a path list: exactly one path, matching `expected`."""
    def pred(paths):
        return isinstance(paths, list) and len(paths) == 1 and subset(paths[0], expected)
    pred.__name__ = f"only_path_like({expected!r})"
    return pred


# ----------------------------------------------------------------------------------------------
# the kernel

def norm_dst(dst, family):
    if dst == "default":
        return "0.0.0.0/0" if family == 4 else "::/0"
    if "/" not in dst:
        return dst + ("/32" if family == 4 else "/128")
    return dst


def kernel_routes(ns, family=4, proto=TERN_PROTO):
    """`ip -n NS -j [-6] route show proto P`, as {prefix: route object}."""
    args = ["-j"] + (["-6"] if family == 6 else []) + ["route", "show", "proto", str(proto)]
    r = run([netlab.IP, "-n", ns.name] + args, timeout=120)
    data = json.loads(r.stdout) if r.stdout.strip() else []
    return {norm_dst(e["dst"], family): e for e in data}


def kernel_count(ns, family=4, proto=TERN_PROTO):
    return len(kernel_routes(ns, family, proto))


def via(gateway, dev=None):
    """Predicate on a kernel route: a single next hop through `gateway` (and `dev`)."""
    def pred(e):
        if e.get("gateway") != gateway:
            return False
        return dev is None or e.get("dev") == dev
    pred.__name__ = f"via({gateway}, {dev})"
    return pred


# ----------------------------------------------------------------------------------------------
# BIRD with a free-form configuration

BIRD_HEAD = """\
router id {router_id};
log stderr all;
debug protocols {{ states }};
protocol device {{ }}
"""


def bird_bgp(local, asn, neighbor, remote_as, channels=None, extra=""):
    """One `protocol bgp` block named as netlab names it (so Bird.bgp_state works); channels
    default to the neighbour's family with `import all; export where source = RTS_STATIC;`."""
    if channels is None:
        fam = "ipv6" if ":" in neighbor else "ipv4"
        channels = f"  {fam} {{ import all; export where source = RTS_STATIC; }};\n"
    return (f"protocol bgp {bird_peer_name(neighbor)} {{\n"
            f"  local {local} as {asn};\n  neighbor {neighbor} as {remote_as};\n"
            f"  hold time 6;\n  keepalive time 2;\n  connect delay time 1;\n"
            f"  connect retry time 1;\n  error wait time 1, 5;\n{extra}{channels}}}\n")


def bird_static(name, prefixes, family=4):
    routes = "".join(f"  route {p} blackhole;\n" for p in prefixes)
    return f"protocol static {name} {{\n  ipv{family};\n{routes}}}\n"


class BirdConf(Bird):
    """BIRD 2 started with the given protocol blocks (after router id, log and device)."""

    def __init__(self, ns, router_id, protocols, name="bird"):   # noqa: super not called
        self.ns, self.router_id, self.name = ns, router_id, name
        self.asn = None
        lab = ns.lab
        self.conf = lab.write(f"{name}.conf", BIRD_HEAD.format(router_id=router_id) + protocols)
        self.sock = lab.path(f"{name}.ctl")
        r = ns.run([BINARIES["bird"], "-p", "-c", self.conf], check=False)
        if r.returncode != 0:
            raise RuntimeError(f"bird rejects {self.conf}:\n{r.stdout}{r.stderr}")
        self.proc = ns.popen(name, [BINARIES["bird"], "-f", "-c", self.conf, "-s", self.sock,
                                    "-P", lab.path(f"{name}.pid")], check_exit=True)
        wait_until(lambda: self.sock.exists() or not self.proc.alive(), 10,
                   desc="bird control socket")
        assert self.proc.alive(), f"bird exited:\n{self.proc.output()}"


_BIRD_ROUTE = re.compile(r"^(?P<prefix>\S+/\d+)?\s+(?P<kind>\w+)\s+\[(?P<proto>\S+)[^\]]*\]"
                         r"\s*(?P<star>\*)?")


def bird_routes(bird, table="master4"):
    """`birdc show route all table T` as {prefix: [{"proto", "primary", "kind", "via",
    "dev", "as_path", "next_hop", "origin", "local_pref"}]}. BIRD has no JSON output; this reads
    only the fields the tests compare."""
    out = bird.birdc("show", "route", "all", "table", table)
    routes = {}
    cur = None
    prefix = None
    for ln in out.splitlines():
        if ln.startswith("\t"):
            if cur is None:
                continue
            s = ln.strip()
            m = re.match(r"via (\S+) on (\S+)", s)
            if m:
                cur["via"], cur["dev"] = m.group(1), m.group(2)
                continue
            m = re.match(r"BGP\.(as_path|next_hop|origin|local_pref):\s*(.*)$", s)
            if m:
                cur[m.group(1)] = m.group(2).strip()
            continue
        m = _BIRD_ROUTE.match(ln)
        if not m or (m.group("prefix") is None and prefix is None):
            continue
        if m.group("prefix"):
            prefix = m.group("prefix")
        cur = {"proto": m.group("proto"), "kind": m.group("kind"),
               "primary": bool(m.group("star"))}
        routes.setdefault(prefix, []).append(cur)
    return routes


# ----------------------------------------------------------------------------------------------
# FRR

def frr_routes(frr, family=4):
    """{prefix: [path]} from `show bgp ipv4|ipv6 unicast json`."""
    afi = "ipv4" if family == 4 else "ipv6"
    out = frr.vtysh(f"show bgp {afi} unicast json")
    d = json.loads(out) if out.strip() else {}
    return d.get("routes", {})


def frr_nexthops(path):
    return [n.get("ip") for n in path.get("nexthops", [])]


# ----------------------------------------------------------------------------------------------
# the wire: BGP messages reassembled from the TCP streams seen on one interface

MARKER = b"\xff" * 16
MSG_NAMES = {1: "open", 2: "update", 3: "notification", 4: "keepalive", 5: "route-refresh"}


class BgpCapture(netlab.PacketCapture):
    """Records every TCP segment to or from port 179 on interface `ifname` of `ns` (IPv4 and
    IPv6) and rebuilds each direction's byte stream from the sequence numbers. messages()
    returns the BGP messages found in those streams: [{"src", "dst", "type", "name", "body"}]
    in stream order per direction; refreshes() the ROUTE-REFRESH ones with afi, safi and
    subtype (0 normal, 1 BoRR, 2 EoRR)."""

    def __init__(self, ns, ifname, port=179):
        self.segments = []          # (t, flow, seq, payload)
        super().__init__(ns, ifname, port)

    def segment(self, seg, outgoing):
        tcp = seg["tcp"]
        payload = bytes(tcp[(tcp[12] >> 4) * 4:])
        if payload:
            flow = (seg["src"], seg["sport"], seg["dst"], seg["dport"])
            self.segments.append((time.monotonic(), flow, struct.unpack("!I", tcp[4:8])[0], payload))

    def _streams(self):
        with self._lock:
            segs = list(self.segments)
        flows = {}
        for _, flow, seq, payload in segs:
            flows.setdefault(flow, []).append((seq, payload))
        streams = {}
        for flow, lst in flows.items():
            base = lst[0][0]
            data = bytearray()
            for seq, payload in sorted(lst, key=lambda x: (x[0] - base) & 0xFFFFFFFF):
                off = (seq - base) & 0xFFFFFFFF
                if off > len(data):
                    data += b"\x00" * (off - len(data))      # a gap: nothing parses across it
                end = off + len(payload)
                if end > len(data):
                    data[off:] = payload
            streams[flow] = bytes(data)
        return streams

    def messages(self):
        out = []
        for (src, sport, dst, dport), data in self._streams().items():
            i = data.find(MARKER)
            while 0 <= i <= len(data) - 19:
                length, mtype = struct.unpack("!HB", data[i + 16:i + 19])
                if 19 <= length <= 65535 and 1 <= mtype <= 5 and i + length <= len(data):
                    out.append({"src": src, "dst": dst, "sport": sport, "dport": dport,
                                "type": mtype, "name": MSG_NAMES[mtype],
                                "body": data[i + 19:i + length]})
                    i = data.find(MARKER, i + length)
                else:
                    i = data.find(MARKER, i + 1)
        return out

    def refreshes(self, src=None):
        out = []
        for m in self.messages():
            if m["type"] != 5 or len(m["body"]) < 4 or (src and m["src"] != src):
                continue
            afi, sub, safi = struct.unpack("!HBB", m["body"][:4])
            out.append({"src": m["src"], "dst": m["dst"], "afi": afi, "safi": safi,
                        "subtype": sub})
        return out

    def count(self, name, src=None):
        return sum(1 for m in self.messages()
                   if m["name"] == name and (src is None or m["src"] == src))



# ----------------------------------------------------------------------------------------------
# the benchmark's feeder (bench/feeder.c), if built

def feeder_path():
    for p in (netlab.TERN_BUILD / "bench" / "feeder",
              netlab.REPO / "build" / "bench" / "feeder",
              netlab.REPO / "build-bench" / "bench" / "feeder"):
        if p.exists() and os.access(p, os.X_OK):
            return p
    return None


class Feeder:
    """feeder --connect ADDR --source ADDR --as AS -n N: sends N prefixes and an End-of-RIB once
    Established, then obeys commands on stdin ("drop", "withdraw-all", "quit")."""

    def __init__(self, ns, connect, source, asn, n, name="feeder", timeout=120):
        self.proc = ns.popen(name, [feeder_path(), "--connect", connect, "--source", source,
                                    "--as", asn, "-n", n, "--timeout", timeout],
                             stdin=subprocess.PIPE)

    def events(self):
        try:
            return self.proc.log_out.read_text().splitlines()
        except OSError:
            return []

    def has(self, word):
        return any(ln.split(" ", 1)[0] == word for ln in self.events())

    def send(self, cmd):
        with contextlib.suppress(BrokenPipeError, ValueError):
            self.proc.popen.stdin.write((cmd + "\n").encode())
            self.proc.popen.stdin.flush()
