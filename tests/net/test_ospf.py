"""OSPFv2 in network namespaces: Tern with Tern, BIRD 2 and FRR ospfd; the seed's §6.2; bad packets.

Every router runs hello 1 s / dead 4 s so that the RFC's Wait timer (the dead interval) and
the dead timer keep the tests short. Each adjacency is checked from both sides (Full, and on a
broadcast link the DR and BDR expected from priority and router ID), then the loopbacks each
side announces must be in the other's routing table and in the kernel. Bad packets are crafted
with a raw socket in the peer's namespace and must be dropped with a counted reason while the
adjacency stays Full."""

import json
import re
import socket
import struct
import time

import pytest

import netlab
from netlab import Daemon, Tern, TernError, run, wait_until, stays

UP = 30


# ----------------------------------------------------------------------------------------------
# launchers

class TernOspf(Tern):
    """ternd with an OSPF configuration (no BGP)."""

    def __init__(self, ns, router_id, text, name):
        super().__init__(ns, router_id, 0, [], name=name, config=text)

    def wait_ready(self, timeout=10):
        def ready():
            if not self.proc.alive():
                raise TernError(f"ternd exited with {self.proc.returncode}:\n{self.proc.output()[-3000:]}")
            return self.sock.exists() and self.ternc_ok("show", "ip", "ospf", "json")
        wait_until(ready, timeout, interval=0.05, desc="ternd control socket")

    def configure_ospf(self, process, *lines):
        argv = [str(netlab.ternc_path()), "-s", str(self.sock)]
        for c in ["configure terminal", f"router ospf {process}", *lines, "end"]:
            argv += ["-c", c]
        r = run(argv, check=False, timeout=10)
        if r.returncode != 0:
            raise TernError(f"ternc configure -> {r.returncode}\n{r.stdout}{r.stderr}")

    def configure_lines(self, *lines):
        argv = [str(netlab.ternc_path()), "-s", str(self.sock)]
        for c in ["configure terminal", *lines, "end"]:
            argv += ["-c", c]
        r = run(argv, check=False, timeout=10)
        if r.returncode != 0:
            raise TernError(f"ternc configure -> {r.returncode}\n{r.stdout}{r.stderr}")

    def neighbors(self):
        return self.show_json("ip", "ospf", "neighbor").get("neighbors", [])

    def ospf_state(self, rid):
        for n in self.neighbors():
            if n["router_id"] == rid:
                return n["state"], n["role"]
        return None, None

    def interface(self, linux_name):
        for i in self.show_json("ip", "ospf", "interface")["interfaces"]:
            if i["linux_name"] == linux_name:
                return i
        return None

    def has_route(self, prefix):
        routes = self.show_json("ip", "ospf", "route")["routes"]
        return any(r["prefix"] == prefix and not r["connected"] for r in routes)

    def route_type(self, prefix):
        for r in self.show_json("ip", "ospf", "route")["routes"]:
            if r["prefix"] == prefix and not r["connected"]:
                return r["type"]
        return None


def tern_text(name, rid, ifaces, networks, extra=()):
    """ifaces: {linux_or_ios_name: [lines under the interface]}."""
    out = [f"hostname {name}"]
    for ifname, lines in ifaces.items():
        out.append(f"interface {ifname}")
        out += [f" {ln}" for ln in lines]
    out += ["router ospf 1", f" router-id {rid}"]
    out += [f" network {n}" for n in networks]
    out += [f" {ln}" for ln in extra]
    return "\n".join(out) + "\n"


def timers(p2p=False, priority=None):
    lines = ["ip ospf hello-interval 1", "ip ospf dead-interval 4"]
    if p2p:
        lines.append("ip ospf network point-to-point")
    if priority is not None:
        lines.append(f"ip ospf priority {priority}")
    return lines


BIRD_OSPF = """\
router id {rid};
log stderr all;
protocol device {{ scan time 1; }}
protocol kernel {{ ipv4 {{ export all; }}; }}
protocol ospf v2 o1 {{
  ipv4 {{ import all; export none; }};
  area 0 {{
    interface "lo" {{ stub yes; }};
    interface "{dev}" {{ type {type}; hello 1; dead 4; wait 4; priority {priority}; }};
  }};
}}
"""


class BirdOspf(Daemon):
    kind = "bird"

    def __init__(self, ns, rid, dev, p2p=False, priority=1, name="bird"):
        self.ns, self.router_id, self.name = ns, rid, name
        lab = ns.lab
        self.conf = lab.write(f"{name}.conf", BIRD_OSPF.format(
            rid=rid, dev=dev, type="ptp" if p2p else "broadcast", priority=priority))
        self.sock = lab.path(f"{name}.ctl")
        r = ns.run([netlab.BINARIES["bird"], "-p", "-c", self.conf], check=False)
        assert r.returncode == 0, f"bird rejects its configuration:\n{r.stdout}{r.stderr}"
        self.proc = ns.popen(name, [netlab.BINARIES["bird"], "-f", "-c", self.conf, "-s", self.sock,
                                    "-P", lab.path(f"{name}.pid")], check_exit=True)
        wait_until(lambda: self.sock.exists() or not self.proc.alive(), 10, desc="bird socket")
        assert self.proc.alive(), f"bird exited:\n{self.proc.output()}"

    def birdc(self, *cmd):
        return run([netlab.BINARIES["birdc"], "-s", str(self.sock)] + list(cmd), check=True,
                   timeout=10).stdout

    def ospf_state(self, rid):
        for ln in self.birdc("show", "ospf", "neighbors").splitlines():
            f = ln.split()
            if f and f[0] == rid:
                state, _, role = f[2].partition("/")
                return state.upper(), (role.upper() if role else "-")
        return None, None

    def has_route(self, prefix):
        out = self.birdc("show", "route", "for", prefix, "protocol", "o1")
        return any(ln.startswith(prefix) and "[o1 " in ln for ln in out.splitlines())


FRR_OSPFD = """\
frr defaults traditional
hostname {name}
log stdout debugging
!
interface {dev}
 ip ospf hello-interval 1
 ip ospf dead-interval 4
 ip ospf priority {priority}
{p2p}{extra_if}!
router ospf
 ospf router-id {rid}
 network {net} area {area}
 network {lo}/32 area {area}
{extra_ospf}!
line vty
!
"""


class FrrOspf(Daemon):
    kind = "frr"

    def __init__(self, ns, rid, dev, net, lo, p2p=False, priority=1, name="frr", extra_if="",
                 extra_ospf="", area=0):
        self.ns, self.router_id, self.name = ns, rid, name
        lab = ns.lab
        owner = ("frr", "frr")
        self.dir = lab.subdir(name, owner=owner, mode=0o775)
        tmp = lab.subdir(f"{name}/vartmp", owner=owner, mode=0o775)
        conf = lab.write(f"{name}/ospfd.conf", FRR_OSPFD.format(
            name=name, rid=rid, dev=dev, net=net, lo=lo, priority=priority,
            p2p=" ip ospf network point-to-point\n" if p2p else "", extra_if=extra_if,
            extra_ospf=extra_ospf, area=area), mode=0o640, owner=owner)
        zconf = lab.write(f"{name}/zebra.conf", f"hostname {name}\nlog stdout\n", mode=0o640, owner=owner)
        self.zserv = self.dir / "zserv.api"
        common = ["-u", "frr", "-g", "frr", "--vty_socket", self.dir, "-P", "0", "-z", self.zserv]

        def wrap(argv):
            q = " ".join(f"'{a}'" for a in argv)
            return ["sh", "-c", f"mount --bind '{tmp}' /var/tmp && exec {q}"]
        self.zebra = ns.popen(f"{name}-zebra", wrap(
            ["/usr/lib/frr/zebra", "-f", zconf, "-i", self.dir / "zebra.pid", *common]),
            check_exit=True)
        wait_until(lambda: self.zserv.exists() or not self.zebra.alive(), 15, desc="zebra socket")
        self.ospfd = ns.popen(f"{name}-ospfd", wrap(
            ["/usr/lib/frr/ospfd", "-f", conf, "-i", self.dir / "ospfd.pid", *common]),
            check_exit=True)
        self.proc = self.ospfd
        wait_until(lambda: (self.dir / "ospfd.vty").exists() or not self.ospfd.alive(), 15,
                   desc="ospfd vty")
        assert self.ospfd.alive(), self.ospfd.output()

    def procs(self):
        return [self.zebra, self.ospfd]

    def vtysh(self, *cmds):
        argv = [netlab.BINARIES["vtysh"], "--vty_socket", str(self.dir)]
        for c in cmds:
            argv += ["-c", c]
        return run(argv, check=False, timeout=15).stdout

    def ospf_state(self, rid):
        try:
            data = json.loads(self.vtysh("show ip ospf neighbor json"))
        except json.JSONDecodeError:
            return None, None
        entry = data.get("neighbors", {}).get(rid)
        if not entry:
            return None, None
        e = entry[0] if isinstance(entry, list) else entry
        state = e.get("nbrState") or e.get("state", "")
        s, _, role = state.partition("/")
        return s.upper(), (role.upper() if role else "-")

    def has_route(self, prefix):
        try:
            data = json.loads(self.vtysh(f"show ip route {prefix} json"))
        except json.JSONDecodeError:
            return False
        return any(r.get("protocol") == "ospf" and r.get("selected") for r in data.get(prefix, []))


def kernel_route(ns, prefix):
    return ns.ip("route", "show", prefix, check=False).stdout.strip()


def start_peer(kind, ns, rid, dev, lo, p2p, priority, net="10.0.0.0/24"):
    if kind == "tern":
        text = tern_text("peer", rid, {dev: timers(p2p, priority)},
                         ["10.0.0.0 0.0.0.255 area 0", f"{lo} 0.0.0.0 area 0"])
        return TernOspf(ns, rid, text, "peer")
    if kind == "bird":
        return BirdOspf(ns, rid, dev, p2p=p2p, priority=priority)
    return FrrOspf(ns, rid, dev, net, lo, p2p=p2p, priority=priority)


# ----------------------------------------------------------------------------------------------
# 1. Adjacency and routes with every peer, on broadcast and point-to-point links

@pytest.mark.parametrize("net", ["broadcast", "p2p"])
@pytest.mark.parametrize("kind", ["tern", "bird", "frr"])
def test_adjacency_and_routes(lab, need, kind, net):
    """Tern (1.1.1.1, 10.0.0.1, loopback 10.255.0.1) and a peer (2.2.2.2, 10.0.0.2, loopback
    10.255.0.2) reach Full; on a broadcast link with equal priority the peer (higher router ID)
    is DR and Tern BDR; each learns the other's loopback, and Tern installs it in the kernel."""
    need("ternd", "ternc", *([kind] if kind != "tern" else []))
    if kind == "frr" and netlab.missing("/usr/lib/frr/ospfd"):
        netlab.unavailable("no ospfd (/usr/lib/frr/ospfd)")
    p2p = net == "p2p"
    a, b = lab.netns("a"), lab.netns("b")
    da, db = lab.link(a, b, "10.0.0.1/24", "10.0.0.2/24")
    a.loopback("10.255.0.1")
    b.loopback("10.255.0.2")
    tern = TernOspf(a, "1.1.1.1", tern_text("R1", "1.1.1.1", {da: timers(p2p)},
                                           ["10.0.0.0 0.0.0.255 area 0", "10.255.0.1 0.0.0.0 area 0"]), "R1")
    peer = start_peer(kind, b, "2.2.2.2", db, "10.255.0.2", p2p, 1)
    wait_until(lambda: tern.ospf_state("2.2.2.2")[0] == "FULL", UP, desc="Tern sees the peer Full")
    wait_until(lambda: peer.ospf_state("1.1.1.1")[0] == "FULL", UP, desc="the peer sees Tern Full")
    if not p2p:
        # Full does not wait for the election to settle (RFC 2328 §9.4: a router that first
        # elected itself re-runs it on NeighborChange): the roles are waited for as a whole
        def roles():
            return (tern.ospf_state("2.2.2.2")[1], tern.interface(da)["state"],
                    peer.ospf_state("1.1.1.1")[1])
        try:
            wait_until(lambda: roles()[:2] == ("DR", "BDR") and roles()[2] in ("BDR", "BACKUP"), UP,
                       desc="the peer DR, Tern BDR, on both sides")
        except netlab.WaitTimeout as e:
            raise AssertionError(f"{e}: (Tern's view of the peer, Tern's interface, the peer's view "
                                 f"of Tern) = {roles()}") from None
    wait_until(lambda: tern.has_route("10.255.0.2/32"), UP, desc="Tern learns the peer's loopback")
    wait_until(lambda: "10.0.0.2" in kernel_route(a, "10.255.0.2"), 10, desc="kernel route on Tern")
    wait_until(lambda: peer.has_route("10.255.0.1/32"), UP, desc="the peer learns Tern's loopback")
    # the ping's way back: the peer's own table may lead its kernel's
    wait_until(lambda: "10.0.0.1" in kernel_route(b, "10.255.0.1"), UP, desc="kernel route on the peer")
    routes = tern.show_json("ip", "route")
    text = json.dumps(routes)
    assert "10.255.0.2" in text
    out = tern.ternc("show", "ip", "route").stdout
    assert re.search(r"^O\s+10\.255\.0\.2/32 \[110/\d+\] via 10\.0\.0\.2", out, re.M), out
    # traffic really flows over the learned route
    r = a.run(["ping", "-c", "1", "-W", "2", "-I", "10.255.0.1", "10.255.0.2"], check=False)
    assert r.returncode == 0, r.stdout + r.stderr


# ----------------------------------------------------------------------------------------------
# 2. The seed's §6.2

def seed_configs():
    r2 = "\n".join([
        "hostname R2",
        "interface Loopback0", " ip address 1.1.1.1 255.255.255.255",
        "interface FastEthernet1/0", " ip address 192.168.1.1 255.255.255.0", *[f" {x}" for x in timers()],
        "router ospf 100",
        " network 192.168.1.0 0.0.0.255 area 0",
        " network 1.1.1.1 0.0.0.0 area 0", ""])
    r1 = "\n".join([
        "hostname R1",
        "interface Loopback0", " ip address 2.2.2.2 255.255.255.255",
        "interface FastEthernet0/0", " ip address 192.168.1.2 255.255.255.0", *[f" {x}" for x in timers()],
        "interface FastEthernet1/0", " ip address 10.0.0.1 255.0.0.0",
        "router ospf 100",
        " network 10.0.0.0 0.255.255.255 area 0",
        " network 2.2.2.2 0.0.0.0 area 0", ""])
    return r1, r2


def test_seed_missing_network_statement(lab, need):
    """R1 as the seed writes it enables OSPF on 10.0.0.0/8 and its loopback only: no adjacency
    with R2, and `show ip ospf interface f0/0` on R1 says why. With `network 192.168.1.0
    0.0.0.255 area 0` added live, R1 and R2 reach Full and learn each other's loopback."""
    need("ternd", "ternc")
    r1ns, r2ns, pc2 = lab.netns("R1"), lab.netns("R2"), lab.netns("PC2")
    lab.link(r1ns, r2ns, None, None, "f0-0", "f1-0")
    lab.link(r1ns, pc2, None, "10.0.0.2/8", "f1-0", "eth0")
    c1, c2 = seed_configs()
    r1 = TernOspf(r1ns, "2.2.2.2", c1, "R1")
    r2 = TernOspf(r2ns, "1.1.1.1", c2, "R2")
    wait_until(lambda: r1.interface("lo") is not None, 10, desc="R1's loopback in OSPF")
    assert stays(lambda: not r1.neighbors() and not r2.neighbors(), 6, desc="no adjacency")
    text = r1.ternc("show", "ip", "ospf", "interface", "f0/0").stdout
    assert "FastEthernet0/0" in text and "OSPF not enabled on this interface" in text, text
    assert "no network statement of process 100 covers its address 192.168.1.2" in text, text
    j = r1.show_json("ip", "ospf", "interface")
    assert any(x["name"] == "FastEthernet0/0" for x in j["not_enabled"]), j
    # R2 sends hellos R1 never answers
    assert r2.interface("f1-0")["state"] in ("WAITING", "DR")

    r1.configure_ospf(100, "network 192.168.1.0 0.0.0.255 area 0")
    wait_until(lambda: r1.ospf_state("1.1.1.1")[0] == "FULL", UP, desc="R1 Full with R2")
    wait_until(lambda: r2.ospf_state("2.2.2.2")[0] == "FULL", UP, desc="R2 Full with R1")
    wait_until(lambda: r1.has_route("1.1.1.1/32") and r2.has_route("2.2.2.2/32"), UP,
               desc="loopbacks learned")
    wait_until(lambda: r2.has_route("10.0.0.0/8"), UP, desc="R2 learns PC2's network")
    wait_until(lambda: "192.168.1.1" in kernel_route(r1ns, "1.1.1.1"), UP, desc="R1's kernel route to R2's loopback")
    text = r1.ternc("show", "ip", "ospf", "neighbor").stdout
    assert re.search(r"^1\.1\.1\.1\s+1\s+FULL/", text, re.M), text
    assert "network 192.168.1.0 0.0.0.255 area 0" in r1.ternc("show", "running-config").stdout


# ----------------------------------------------------------------------------------------------
# 3. Bad packets

def inet_checksum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack(f"!{len(b) // 2}H", b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def ospf_packet(ptype, rid, area, body, autype=0, auth=b"\0" * 8, fix_checksum=True):
    length = 24 + len(body)
    h = struct.pack("!BBHIIHH", 2, ptype, length, rid, area, 0, autype)
    c = inet_checksum(h + b"\0" * 8 + body) if fix_checksum else 0x1234
    return struct.pack("!BBHIIHH", 2, ptype, length, rid, area, c, autype) + auth + body


def ip4(s):
    return struct.unpack("!I", socket.inet_aton(s))[0]


def hello_body(hello=1, dead=4, mask="255.255.255.0", neighbors=()):
    return struct.pack("!IHBBIII", ip4(mask), hello, 0x02, 1, dead, 0, 0) + \
        b"".join(struct.pack("!I", ip4(n)) for n in neighbors)


def test_bad_packets_dropped(lab, need):
    """With Tern and Tern Full on a broadcast link, packets with a wrong checksum, another
    area, another hello or dead interval, a truncated LSA or bad authentication are dropped,
    each counted under its reason on Tern's interface, and the adjacency stays Full."""
    need("ternd", "ternc")
    a, b = lab.netns("a"), lab.netns("b")
    da, db = lab.link(a, b, "10.0.0.1/24", "10.0.0.2/24")
    tern = TernOspf(a, "1.1.1.1", tern_text("R1", "1.1.1.1", {da: timers()}, ["10.0.0.0 0.0.0.255 area 0"]), "R1")
    peer = TernOspf(b, "2.2.2.2", tern_text("R2", "2.2.2.2", {db: timers()}, ["10.0.0.0 0.0.0.255 area 0"]), "R2")
    wait_until(lambda: tern.ospf_state("2.2.2.2")[0] == "FULL", UP, desc="Full")
    wait_until(lambda: peer.ospf_state("1.1.1.1")[0] == "FULL", UP, desc="Full")
    s = b.socket(socket.AF_INET, socket.SOCK_RAW, 89)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("10.0.0.2"))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
    stranger, area0 = ip4("9.9.9.9"), 0
    peer_rid = ip4("2.2.2.2")
    # an LSU from the real neighbour whose LSA claims 100 bytes and has 20
    lsa_hdr = struct.pack("!HBBIIiHH", 1, 2, 1, ip4("7.7.7.7"), ip4("7.7.7.7"), -0x7fffffff, 0x1111, 100)
    bad = {
        "bad checksum": ospf_packet(1, stranger, area0, hello_body(), fix_checksum=False),
        "area mismatch": ospf_packet(1, stranger, 1, hello_body()),
        "hello interval mismatch": ospf_packet(1, stranger, area0, hello_body(hello=10, dead=40)),
        "dead interval mismatch": ospf_packet(1, stranger, area0, hello_body(dead=7)),
        "bad LSA length": ospf_packet(4, peer_rid, area0, struct.pack("!I", 1) + lsa_hdr),
        "authentication failure": ospf_packet(1, stranger, area0, hello_body(), autype=1, auth=b"secret\0\0"),
    }
    for pkt in bad.values():
        for _ in range(3):
            s.sendto(pkt, ("224.0.0.5", 0))
    s.close()

    def drops():
        return tern.interface(da)["drops"]
    wait_until(lambda: all(drops().get(k, 0) >= 3 for k in bad), 10,
               desc=f"drops counted by reason: {bad.keys()}")
    assert stays(lambda: tern.ospf_state("2.2.2.2")[0] == "FULL", 5, desc="adjacency undisturbed")
    assert not any(n["router_id"] == "9.9.9.9" for n in tern.neighbors())
    text = tern.ternc("show", "ip", "ospf", "interface", da).stdout
    assert "Dropped (area mismatch): 3" in text, text
    log = tern.proc.output()
    for reason in bad:
        assert f"dropped: {reason} (1 so far)" in log, (reason, log[-3000:])


# ----------------------------------------------------------------------------------------------
# 4. MD5 authentication with FRR, redistribution, a ring that re-routes

@pytest.mark.parametrize("key", ["right", "wrong", "per-interface"])
def test_md5_with_frr(lab, need, key):
    """Cryptographic authentication (RFC 2328 Appendix D) with FRR: with the same key and key
    ID the adjacency forms (set for the area, or for the interface with `ip ospf
    authentication message-digest`); with another key it never does and Tern counts
    authentication failures."""
    need("ternd", "ternc", "frr")
    a, b = lab.netns("a"), lab.netns("b")
    da, db = lab.link(a, b, "10.0.0.1/24", "10.0.0.2/24")
    b.loopback("10.255.0.2")
    per_if = key == "per-interface"
    tern = TernOspf(a, "1.1.1.1", tern_text(
        "R1", "1.1.1.1", {da: timers() + ["ip ospf message-digest-key 1 md5 s3cret"] +
                          (["ip ospf authentication message-digest"] if per_if else [])},
        ["10.0.0.0 0.0.0.255 area 0"], extra=[] if per_if else ["area 0 authentication message-digest"]), "R1")
    frr_key = "other" if key == "wrong" else "s3cret"
    peer = FrrOspf(b, "2.2.2.2", db, "10.0.0.0/24", "10.255.0.2",
                   extra_if=f" ip ospf authentication message-digest\n"
                            f" ip ospf message-digest-key 1 md5 {frr_key}\n")
    if key != "wrong":
        wait_until(lambda: tern.ospf_state("2.2.2.2")[0] == "FULL", UP, desc="Full with MD5")
        wait_until(lambda: peer.ospf_state("1.1.1.1")[0] == "FULL", UP, desc="FRR Full with MD5")
        wait_until(lambda: tern.has_route("10.255.0.2/32"), UP, desc="route over MD5")
        assert tern.interface(da)["auth"] == 2
    else:
        wait_until(lambda: tern.interface(da)["drops"].get("authentication failure", 0) >= 3, 15,
                   desc="authentication failures counted")
        assert stays(lambda: not tern.neighbors(), 3, desc="no neighbour with the wrong key")


def test_redistribute_connected_to_frr(lab, need):
    """`redistribute connected subnets` makes Tern an ASBR: a connected network outside OSPF
    reaches FRR as an external type-2 route, and `no redistribute connected` withdraws it. The
    other way, FRR's redistributed address is an `O E2` route in Tern's table."""
    need("ternd", "ternc", "frr")
    a, b, c = lab.netns("a"), lab.netns("b"), lab.netns("c")
    da, db = lab.link(a, b, "10.0.0.1/24", "10.0.0.2/24")
    lab.link(a, c, "172.16.5.1/24", "172.16.5.2/24")
    b.loopback("10.255.0.2")
    b.loopback("172.17.0.1")
    tern = TernOspf(a, "1.1.1.1", tern_text("R1", "1.1.1.1", {da: timers()}, ["10.0.0.0 0.0.0.255 area 0"],
                                           extra=["redistribute connected subnets"]), "R1")
    peer = FrrOspf(b, "2.2.2.2", db, "10.0.0.0/24", "10.255.0.2", extra_ospf=" redistribute connected\n")
    wait_until(lambda: peer.has_route("172.16.5.0/24"), UP, desc="FRR learns the external route")
    wait_until(lambda: tern.has_route("172.17.0.1/32"), UP, desc="Tern learns FRR's external route")
    e2 = r"^O E2\s+172\.17\.0\.1/32 \[110/20\] via 10\.0\.0\.2"
    wait_until(lambda: re.search(e2, tern.ternc("show", "ip", "route").stdout, re.M), UP,
               desc="the O E2 route in Tern's routing table")
    out = peer.vtysh("show ip ospf database external")
    assert "172.16.5.0" in out, out
    tern.configure_ospf(1, "no redistribute connected")
    wait_until(lambda: not peer.has_route("172.16.5.0/24"), UP, desc="the external route is withdrawn")


def test_ring_reroutes(lab, need):
    """Three Terns in a ring of point-to-point links: R1 reaches R3's loopback directly; when
    that link goes down R1 re-routes through R2, and back when it comes up."""
    need("ternd", "ternc")
    r = [lab.netns(f"R{i}") for i in (1, 2, 3)]
    l12 = lab.link(r[0], r[1], "10.0.12.1/24", "10.0.12.2/24")
    l23 = lab.link(r[1], r[2], "10.0.23.2/24", "10.0.23.3/24")
    l13 = lab.link(r[0], r[2], "10.0.13.1/24", "10.0.13.3/24")
    ifs = [{l12[0]: timers(True), l13[0]: timers(True)}, {l12[1]: timers(True), l23[0]: timers(True)},
           {l23[1]: timers(True), l13[1]: timers(True)}]
    terns = []
    for i in range(3):
        r[i].loopback(f"10.255.0.{i + 1}")
        r[i].forwarding()
        terns.append(TernOspf(r[i], f"{i + 1}.{i + 1}.{i + 1}.{i + 1}", tern_text(
            f"R{i + 1}", f"{i + 1}.{i + 1}.{i + 1}.{i + 1}", ifs[i],
            ["10.0.0.0 0.255.255.255 area 0"]), f"R{i + 1}"))
    # the converged table, waited for as a whole: R3's loopback direct, R2-R3's link network by
    # two equal paths (two lines, as IOS), which needs both of R1's adjacencies Full
    converged = [r"^O\s+10\.255\.0\.3/32 \[110/2\] via 10\.0\.13\.3",
                 r"^O\s+10\.0\.23\.0/24 \[110/2\] via 10\.0\.1[23]\.[23], .*\n"
                 r"\s+\[110/2\] via 10\.0\.1[23]\.[23]"]
    last = {}

    def table_has_all():
        last["out"] = terns[0].ternc("show", "ip", "route").stdout
        return all(re.search(p, last["out"], re.M) for p in converged)
    try:
        wait_until(table_has_all, UP, desc="R1's converged table")
    except netlab.WaitTimeout as e:
        raise AssertionError(f"{e}\n{last.get('out')}") from None
    wait_until(lambda: "via 10.0.13.3" in kernel_route(r[0], "10.255.0.3"), UP,
               desc="direct route R1->R3 in the kernel")
    r[0].ip("link", "set", l13[0], "down")
    # the ping needs both directions through R2: R1's route to R3 and R3's route back
    wait_until(lambda: "via 10.0.12.2" in kernel_route(r[0], "10.255.0.3"), UP, desc="re-routed through R2")
    wait_until(lambda: "via 10.0.23.2" in kernel_route(r[2], "10.255.0.1"), UP,
               desc="R3 re-routed back through R2")

    def ping():
        return r[0].run(["ping", "-c", "1", "-W", "1", "-I", "10.255.0.1", "10.255.0.3"],
                        check=False).returncode == 0
    wait_until(ping, UP, desc="R1 pings R3's loopback through R2")
    r[0].ip("link", "set", l13[0], "up")
    wait_until(lambda: "via 10.0.13.3" in kernel_route(r[0], "10.255.0.3"), UP, desc="back on the direct link")


def test_seed_ibgp_over_ospf(lab, need):
    """The point of the seed's §6.2: with OSPF carrying the loopbacks (the missing network
    statement added), R1 and R2 peer over IBGP between their loopbacks (update-source
    Loopback0), and a prefix R2 announces reaches R1's table with the OSPF-resolved next hop."""
    need("ternd", "ternc")
    r1ns, r2ns = lab.netns("R1"), lab.netns("R2")
    lab.link(r1ns, r2ns, None, None, "f0-0", "f1-0")
    c1, c2 = seed_configs()
    c1 = c1.replace(" network 10.0.0.0 0.255.255.255 area 0\n",
                    " network 10.0.0.0 0.255.255.255 area 0\n network 192.168.1.0 0.0.0.255 area 0\n")
    c1 += ("router bgp 100\n bgp router-id 2.2.2.2\n neighbor 1.1.1.1 remote-as 100\n"
           " neighbor 1.1.1.1 update-source Loopback0\n neighbor 1.1.1.1 timers connect 1\n")
    c2 += ("interface FastEthernet0/0\n ip address 192.168.2.1 255.255.255.0\n"
           "router bgp 100\n bgp router-id 1.1.1.1\n neighbor 2.2.2.2 remote-as 100\n"
           " neighbor 2.2.2.2 update-source Loopback0\n neighbor 2.2.2.2 timers connect 1\n"
           " network 192.168.2.0 mask 255.255.255.0\n")
    lab.link(r2ns, lab.netns("R3"), None, "192.168.2.2/24", "f0-0", "eth0")
    r1 = TernOspf(r1ns, "2.2.2.2", c1, "R1")
    r2 = TernOspf(r2ns, "1.1.1.1", c2, "R2")
    wait_until(lambda: r1.ospf_state("1.1.1.1")[0] == "FULL", UP, desc="OSPF Full")
    wait_until(lambda: r1.bgp_state("1.1.1.1") == "Established", UP, desc="IBGP between loopbacks")
    wait_until(lambda: "192.168.2.0" in kernel_route(r1ns, "192.168.2.0/24"), UP,
               desc="R2's BGP prefix installed on R1")
    out = r1.ternc("show", "ip", "route").stdout
    assert re.search(r"^O\s+1\.1\.1\.1/32", out, re.M), out
    assert re.search(r"^B\s+192\.168\.2\.0/24", out, re.M), out
    # redistribute bgp: R1 turns its BGP route into an AS-external LSA that R2 receives
    r1.configure_ospf(100, "redistribute bgp 100 subnets")

    def external_at_r2():
        lsas = r2.show_json("ip", "ospf", "database")["lsas"]
        return any(x["type"] == 5 and x["link_id"] == "192.168.2.0" and x["adv_router"] == "2.2.2.2"
                   for x in lsas)
    wait_until(external_at_r2, UP, desc="R2 has R1's external LSA for 192.168.2.0/24")
    # and the other way: BGP's `redistribute ospf 100` on R2 announces what OSPF learned
    r2.configure_lines("router bgp 100", "redistribute ospf 100")
    wait_until(lambda: "2.2.2.2/32" in r1.ternc("show", "ip", "bgp").stdout, UP,
               desc="R1 receives R2's OSPF routes over IBGP")


def test_abr_with_frr_in_area_1(lab, need):
    """R2 (Tern) is an ABR between area 0 (R1, Tern) and area 1 (R3, FRR): it summarises each
    area into the other (type-3 LSAs), so R1 reaches R3's loopback as `O IA` and FRR reaches
    R1's loopback as an inter-area route."""
    need("ternd", "ternc", "frr")
    r1ns, r2ns, r3ns = lab.netns("R1"), lab.netns("R2"), lab.netns("R3")
    l12 = lab.link(r1ns, r2ns, "10.0.12.1/24", "10.0.12.2/24")
    l23 = lab.link(r2ns, r3ns, "10.1.23.2/24", "10.1.23.3/24")
    r1ns.loopback("10.255.0.1")
    r2ns.loopback("10.255.0.2")
    r3ns.loopback("10.255.1.3")
    r2ns.forwarding()
    r1 = TernOspf(r1ns, "1.1.1.1", tern_text("R1", "1.1.1.1", {l12[0]: timers(True)},
                                            ["10.0.0.0 0.0.255.255 area 0", "10.255.0.1 0.0.0.0 area 0"]), "R1")
    r2 = TernOspf(r2ns, "2.2.2.2", tern_text("R2", "2.2.2.2", {l12[1]: timers(True), l23[0]: timers(True)},
                                            ["10.0.0.0 0.0.255.255 area 0", "10.255.0.2 0.0.0.0 area 0",
                                             "10.1.0.0 0.0.255.255 area 1"]), "R2")
    r3 = FrrOspf(r3ns, "3.3.3.3", l23[1], "10.1.23.0/24", "10.255.1.3", p2p=True, area=1)
    wait_until(lambda: r2.ospf_state("1.1.1.1")[0] == "FULL" and r2.ospf_state("3.3.3.3")[0] == "FULL", UP,
               desc="the ABR Full with both")
    wait_until(lambda: r1.route_type("10.255.1.3/32") == "O IA", UP, desc="R1: R3's loopback inter-area")
    wait_until(lambda: r3.has_route("10.255.0.1/32"), UP, desc="FRR: R1's loopback")
    out = r3.vtysh("show ip ospf route")
    assert re.search(r"N IA\s+10\.255\.0\.1/32", out), out
    db = r1.show_json("ip", "ospf", "database", "summary")["lsas"]
    assert db and all(x["type"] == 3 for x in db), db
    assert any(x["adv_router"] == "2.2.2.2" and x["link_id"] == "10.255.1.3" for x in db), db
    one = r1.show_json("ip", "ospf", "database", "router", "2.2.2.2")["lsas"]
    assert [(x["type"], x["link_id"]) for x in one] == [(1, "2.2.2.2")], one
    # the ping goes R1 -> R2 -> R3 and back: both ends' kernels must have the routes
    wait_until(lambda: "10.0.12.2" in kernel_route(r1ns, "10.255.1.3"), UP, desc="R1's kernel route")
    wait_until(lambda: "10.1.23.2" in kernel_route(r3ns, "10.255.0.1"), UP, desc="FRR's kernel route")
    res = r1ns.run(["ping", "-c", "1", "-W", "2", "-I", "10.255.0.1", "10.255.1.3"], check=False)
    assert res.returncode == 0, res.stdout + res.stderr


def test_live_reconfiguration(lab, need):
    """Changes typed at run time take effect at once: `ip ospf cost` changes the cost of Tern's
    links in the router LSA FRR receives (and Tern's route cost),
    `passive-interface` drops the adjacency and `no passive-interface` brings it back,
    `no router ospf` withdraws Tern's routes from the kernel, and a new `router ospf` forms
    the adjacency again."""
    need("ternd", "ternc", "frr")
    a, b = lab.netns("a"), lab.netns("b")
    da, db = lab.link(a, b, "10.0.0.1/24", "10.0.0.2/24")
    a.loopback("10.255.0.1")
    b.loopback("10.255.0.2")
    text = tern_text("R1", "1.1.1.1", {da: timers(True)},
                     ["10.0.0.0 0.0.0.255 area 0", "10.255.0.1 0.0.0.0 area 0"])
    tern = TernOspf(a, "1.1.1.1", text, "R1")
    peer = FrrOspf(b, "2.2.2.2", db, "10.0.0.0/24", "10.255.0.2", p2p=True)
    wait_until(lambda: tern.ospf_state("2.2.2.2")[0] == "FULL", UP, desc="Full")
    wait_until(lambda: peer.has_route("10.255.0.1/32"), UP, desc="FRR learns Tern's loopback")

    def tern_cost():
        for r in tern.show_json("ip", "ospf", "route")["routes"]:
            if r["prefix"] == "10.255.0.2/32":
                return r["cost"]
        return None
    wait_until(lambda: tern_cost() is not None, UP, desc="Tern's route to FRR's loopback")
    before = tern_cost()
    tern.configure_lines(f"interface {da}", "ip ospf cost 50")
    wait_until(lambda: tern_cost() == before - 1 + 50, UP, desc=f"Tern's cost follows ({before})")
    wait_until(lambda: "Metric: 50" in peer.vtysh("show ip ospf database router 1.1.1.1"), UP,
               desc="FRR has the router LSA with metric 50")
    tern.configure_ospf(1, f"passive-interface {da}")
    wait_until(lambda: not tern.neighbors(), 10, desc="passive: the adjacency goes")
    tern.configure_ospf(1, f"no passive-interface {da}")
    wait_until(lambda: tern.ospf_state("2.2.2.2")[0] == "FULL", UP, desc="Full again")
    wait_until(lambda: "10.0.0.2" in kernel_route(a, "10.255.0.2"), UP, desc="route installed")
    tern.configure_lines("no router ospf 1")
    wait_until(lambda: "10.255.0.2" not in kernel_route(a, "10.255.0.2"), 10, desc="routes withdrawn")
    assert "OSPF is not running" in tern.ternc("show", "ip", "ospf").stdout
    tern.configure_lines("router ospf 1", "router-id 1.1.1.1", "network 10.0.0.0 0.0.0.255 area 0")
    wait_until(lambda: tern.ospf_state("2.2.2.2")[0] == "FULL", UP, desc="Full after router ospf again")


@pytest.mark.parametrize("kind", ["tern", "bird", "frr"])
def test_dr_by_priority(lab, need, kind):
    """Priority decides before the router ID: Tern (1.1.1.1) with priority 10 becomes DR over
    a peer with a higher router ID and priority 1, and the peer agrees."""
    need("ternd", "ternc", *([kind] if kind != "tern" else []))
    a, b = lab.netns("a"), lab.netns("b")
    da, db = lab.link(a, b, "10.0.0.1/24", "10.0.0.2/24")
    b.loopback("10.255.0.2")
    tern = TernOspf(a, "1.1.1.1", tern_text("R1", "1.1.1.1", {da: timers(priority=10)},
                                           ["10.0.0.0 0.0.0.255 area 0"]), "R1")
    peer = start_peer(kind, b, "2.2.2.2", db, "10.255.0.2", False, 1)
    wait_until(lambda: tern.ospf_state("2.2.2.2")[0] == "FULL", UP, desc="Full")
    wait_until(lambda: peer.ospf_state("1.1.1.1")[0] == "FULL", UP, desc="peer Full")
    # the roles as a whole, waited for (Full comes before the election has settled)
    def roles():
        return tern.interface(da)["state"], tern.ospf_state("2.2.2.2")[1], peer.ospf_state("1.1.1.1")[1]
    try:
        wait_until(lambda: roles() == ("DR", "BDR", "DR"), UP, desc="Tern DR, the peer BDR, on both sides")
    except netlab.WaitTimeout as e:
        raise AssertionError(f"{e}: (Tern's interface, Tern's view of the peer, the peer's view of "
                             f"Tern) = {roles()}") from None


def test_restart_against_frr(lab, need):
    """ternd restarts while FRR keeps the old router LSA: in the exchange Tern learns its own
    LSA of the previous run (RFC 2328 §13.4), goes on from its sequence number, and both sides
    are Full with their routes again."""
    need("ternd", "ternc", "frr")
    a, b = lab.netns("a"), lab.netns("b")
    da, db = lab.link(a, b, "10.0.0.1/24", "10.0.0.2/24")
    a.loopback("10.255.0.1")
    b.loopback("10.255.0.2")
    tern = TernOspf(a, "1.1.1.1", tern_text("R1", "1.1.1.1", {da: timers(True)},
                                           ["10.0.0.0 0.0.0.255 area 0", "10.255.0.1 0.0.0.0 area 0"]), "R1")
    peer = FrrOspf(b, "2.2.2.2", db, "10.0.0.0/24", "10.255.0.2", p2p=True)
    wait_until(lambda: peer.has_route("10.255.0.1/32"), UP, desc="FRR learns Tern's loopback")

    def my_seq():
        lsas = tern.show_json("ip", "ospf", "database", "router", "1.1.1.1")["lsas"]
        return int(lsas[0]["seq"], 16) if lsas else 0
    before = my_seq()
    tern.stop()
    tern.start()
    wait_until(lambda: tern.ospf_state("2.2.2.2")[0] == "FULL", UP, desc="Full after the restart")
    wait_until(lambda: my_seq() > before, UP, desc=f"router LSA sequence beyond {before:#x}")
    wait_until(lambda: tern.has_route("10.255.0.2/32"), UP, desc="Tern's routes back")
    assert stays(lambda: peer.has_route("10.255.0.1/32"), 3, desc="FRR keeps the route")
