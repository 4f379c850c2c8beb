"""RIPv2 in network namespaces: Tern with Tern, BIRD 2 and FRR ripd.

Routes are exchanged and reach the kernel; a withdrawn route (the far router's interface goes
down) is poisoned and gone from the neighbour within seconds (triggered updates); a passive
interface sends nothing; malformed or misdirected messages, sent from a raw UDP socket in a
test namespace, are dropped with a counted reason and the daemon stays up."""

import json
import socket
import struct

import pytest

from netlab import Tern, stays, wait_until, run

UP = 20      # seconds for the first routes to arrive
MOVE = 8     # seconds for a change to cross one router (triggered updates: at most ~5 s)


class RipTern(Tern):
    """A Tern with a RIP-only configuration (ready when `show ip protocols json` answers)."""

    def __init__(self, ns, config, name="tern"):
        super().__init__(ns, None, None, [], name=name, config=config, start=False)
        self.start(wait=False)
        self.wait_ready()

    def wait_ready(self, timeout=10):
        wait_until(lambda: self.sock.exists() and self.ternc_ok("show", "ip", "protocols", "json"),
                   timeout, interval=0.05, desc="ternd control socket")

    def responsive(self):
        return self.proc.alive() and self.ternc_ok("show", "ip", "protocols", "json")

    def rip(self):
        return self.show_json("ip", "protocols")["rip"]

    def database(self):
        return self.show_json("ip", "rip", "database")["routes"]


def kernel_routes(ns):
    out = ns.run(["ip", "-j", "route", "show"]).stdout
    return {r["dst"]: r for r in json.loads(out or "[]")}


def rip_conf(name, networks, extra="", router_extra=""):
    nets = "".join(f" network {n}\n" for n in networks)
    return f"hostname {name}\n{extra}router rip\n version 2\n{nets}{router_extra} no auto-summary\n"


def chain(lab):
    """a -(10.0.1.0/24)- b -(10.0.2.0/24)- c; a has 10.1.0.0/24 and c 10.3.0.0/24 on a second
    veth to a stub namespace (so the link can be taken down)."""
    a, b, c = lab.netns("a"), lab.netns("b"), lab.netns("c")
    sa, sc = lab.netns("sa"), lab.netns("sc")
    lab.link(a, b, "10.0.1.1/24", "10.0.1.2/24", name_a="eth0", name_b="eth0")
    lab.link(b, c, "10.0.2.1/24", "10.0.2.2/24", name_a="eth1", name_b="eth0")
    lab.link(a, sa, "10.1.0.1/24", "10.1.0.2/24", name_a="eth1", name_b="eth0")
    lab.link(c, sc, "10.3.0.1/24", "10.3.0.2/24", name_a="eth1", name_b="eth0")
    for ns in (a, b, c):
        ns.forwarding()
    return a, b, c, sa, sc


def test_tern_tern_routes_and_withdrawal(lab, need):
    need("ternd", "ternc")
    a, b, c, sa, sc = chain(lab)
    ta = RipTern(a, rip_conf("A", ["10.0.0.0"]), name="A")
    tb = RipTern(b, rip_conf("B", ["10.0.0.0"]), name="B")
    tc = RipTern(c, rip_conf("C", ["10.0.0.0"]), name="C")
    # each end learns the other's stub subnet through b, two hops away (metric 3)
    wait_until(lambda: ta.database().get("10.3.0.0/24", {}).get("metric") == 3, UP,
               desc="A learns 10.3.0.0/24")
    wait_until(lambda: tc.database().get("10.1.0.0/24", {}).get("metric") == 3, UP,
               desc="C learns 10.1.0.0/24")
    wait_until(lambda: "10.3.0.0/24" in kernel_routes(a), UP, desc="10.3.0.0/24 in A's kernel")
    r = kernel_routes(a)["10.3.0.0/24"]
    assert r["gateway"] == "10.0.1.2" and r.get("protocol") in (201, "201"), r
    route = ta.show_json("ip", "route")
    assert "10.3.0.0/24" in json.dumps(route)
    text = ta.ternc("show", "ip", "route").stdout
    assert any(ln.startswith("R") and "10.3.0.0" in ln and "[120/3]" in ln for ln in text.splitlines()), text
    # A's view of the end-to-end path works: a ping from A to C's stub address, once C's
    # kernel has the way back to A's address (C's database may lead its kernel)
    wait_until(lambda: "10.0.1.0/24" in kernel_routes(c), UP, desc="10.0.1.0/24 in C's kernel")
    a.run(["ping", "-c", "1", "-W", "2", "10.3.0.1"])
    # C's stub link goes down: poisoned, gone from A within seconds (not 180 s)
    c.ip("link", "set", "eth1", "down")
    wait_until(lambda: "10.3.0.0/24" not in kernel_routes(a), MOVE, desc="10.3.0.0/24 gone from A")
    db = ta.database()
    assert db.get("10.3.0.0/24", {"metric": 16})["metric"] == 16, db
    # and it comes back when the link does
    c.ip("link", "set", "eth1", "up")
    wait_until(lambda: "10.3.0.0/24" in kernel_routes(a), MOVE + 5, desc="10.3.0.0/24 back in A")
    for t in (ta, tb, tc):
        assert t.responsive()
    st = tb.rip()
    assert st["triggeredUpdates"] >= 2, st
    assert st["sources"].keys() >= {"10.0.1.1", "10.0.2.2"}, st


def test_passive_interface_sends_nothing(lab, need):
    need("ternd", "ternc")
    a, b = lab.netns("a"), lab.netns("b")
    lab.link(a, b, "10.0.1.1/24", "10.0.1.2/24", name_a="eth0", name_b="eth0")
    lab.link(a, lab.netns("s"), "10.1.0.1/24", "10.1.0.2/24", name_a="eth1", name_b="eth0")
    ta = RipTern(a, rip_conf("A", ["10.0.0.0"], router_extra=" passive-interface eth0\n"), name="A")
    tb = RipTern(b, rip_conf("B", ["10.0.0.0"]), name="B")
    # B hears nothing from A. Waited for: A has sent its start-up messages on its other
    # interface (where 10.1.0.0/24 would go out on eth0 too, were it not passive), so a silent
    # eth0 is passive-interface at work, not a slow start. (B itself has nothing to send A:
    # its one network is the shared link, split horizon.)
    wait_until(lambda: ta.rip()["interfaces"]["eth1"]["sent"] >= 2, UP,
               desc="A's start-up messages out on eth1")
    assert stays(lambda: ta.rip()["interfaces"]["eth0"]["sent"] == 0 and tb.rip()["sources"] == {},
                 3, desc="A silent on its passive interface")
    assert ta.rip()["interfaces"]["eth0"]["passive"] is True
    assert "10.1.0.0/24" not in tb.database()


def udp_from(ns, src, sport, dst, payload):
    """Sends one UDP datagram from src:sport inside ns (a raw socket, so any source port)."""
    udp = struct.pack(">HHHH", sport, 520, 8 + len(payload), 0) + payload  # no UDP checksum
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 1, socket.IPPROTO_UDP, 0,
                     socket.inet_aton(src), socket.inet_aton(dst))  # the kernel fills the sum
    with ns.enter():
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
        try:
            s.sendto(ip + udp, (dst, 0))
        finally:
            s.close()


def rip_msg(command=2, version=2, entries=((0x0b000000, 0xff000000, 1),), afi=2):
    body = b"".join(struct.pack(">HHIIII", afi, 0, a, m, 0, met) for a, m, met in entries)
    return bytes([command, version, 0, 0]) + body


def test_bad_packets_dropped_and_counted(lab, need):
    need("ternd", "ternc")
    a, b = lab.netns("a"), lab.netns("b")
    lab.link(a, b, "10.0.1.1/24", "10.0.1.2/24", name_a="eth0", name_b="eth0")
    b.ip("addr", "add", "192.168.9.9/24", "dev", "eth0")
    ta = RipTern(a, rip_conf("A", ["10.0.0.0"]), name="A")
    cases = [
        ("bad-version", "10.0.1.2", 520, rip_msg(version=0)),
        ("bad-version", "10.0.1.2", 520, rip_msg(version=7)),
        ("bad-command", "10.0.1.2", 520, rip_msg(command=9)),
        ("bad-metric", "10.0.1.2", 520, rip_msg(entries=((0x0b000000, 0xff000000, 0),))),
        ("bad-metric", "10.0.1.2", 520, rip_msg(entries=((0x0b000000, 0xff000000, 17),))),
        ("bad-address-family", "10.0.1.2", 520, rip_msg(afi=7)),
        ("truncated", "10.0.1.2", 520, rip_msg()[:17]),
        ("source-port", "10.0.1.2", 5555, rip_msg()),
        ("not-connected", "192.168.9.9", 520, rip_msg()),
    ]
    for reason, src, sport, payload in cases:
        udp_from(b, src, sport, "10.0.1.1", payload)
    expected = {}
    for reason, *_ in cases:
        expected[reason] = expected.get(reason, 0) + 1

    def counted():
        drops = ta.rip()["drops"]
        return all(drops.get(k, 0) >= v for k, v in expected.items())
    wait_until(counted, 5, desc="every drop counted")
    assert ta.responsive()
    assert "11.0.0.0/8" not in ta.database()
    text = ta.ternc("show", "ip", "protocols").stdout
    assert "source-port 1" in text and "bad-metric 2" in text, text
    assert "dropped a message from 10.0.1.2 port 5555" in ta.proc.output() or \
        "dropped a message" in ta.proc.output()
    # a good one from the same place is taken
    udp_from(b, "10.0.1.2", 520, "10.0.1.1", rip_msg())
    wait_until(lambda: "11.0.0.0/8" in ta.database(), 5, desc="good message accepted")


# -- real peers --------------------------------------------------------------------------------

BIRD_RIP = """\
router id 10.0.1.2;
log stderr all;
protocol device { scan time 1; }
protocol direct { ipv4; interface "eth1"; }
protocol kernel { ipv4 { import none; export all; }; }
protocol rip {
  ipv4 { import all; export all; };
  interface "eth0" { version 2; update time 5; };
}
"""

FRR_RIPD = """\
hostname frr
log stdout debugging
router rip
 version 2
 network 10.0.0.0/8
 timers basic 5 30 15
!
"""


def start_bird(ns):
    lab = ns.lab
    conf = lab.write("bird.conf", BIRD_RIP)
    sock = lab.path("bird.ctl")
    r = ns.run(["/usr/sbin/bird", "-p", "-c", conf], check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    proc = ns.popen("bird", ["/usr/sbin/bird", "-f", "-c", conf, "-s", sock, "-P", lab.path("bird.pid")],
                    check_exit=True)
    wait_until(lambda: sock.exists() or not proc.alive(), 10, desc="bird control socket")
    assert proc.alive(), proc.output()
    return proc


def start_frr(ns):
    lab = ns.lab
    owner = ("frr", "frr")
    d = lab.subdir("frr", owner=owner, mode=0o775)
    tmp = lab.subdir("frr/vartmp", owner=owner, mode=0o775)
    zconf = lab.write("frr/zebra.conf", "hostname frr\nlog stdout\n", mode=0o640, owner=owner)
    rconf = lab.write("frr/ripd.conf", FRR_RIPD, mode=0o640, owner=owner)
    zserv = d / "zserv.api"
    common = ["-u", "frr", "-g", "frr", "--vty_socket", d, "-P", "0", "-z", zserv]

    def wrap(argv):
        q = " ".join(f"'{a}'" for a in argv)
        return ["sh", "-c", f"mount --bind '{tmp}' /var/tmp && exec {q}"]
    zebra = ns.popen("zebra", wrap(["/usr/lib/frr/zebra", "-f", zconf, "-i", d / "zebra.pid", *common]),
                     check_exit=True)
    wait_until(lambda: zserv.exists() or not zebra.alive(), 15, desc="zebra zserv socket")
    assert zebra.alive(), zebra.output()
    ripd = ns.popen("ripd", wrap(["/usr/lib/frr/ripd", "-f", rconf, "-i", d / "ripd.pid", *common]),
                    check_exit=True)
    wait_until(lambda: (d / "ripd.vty").exists() or not ripd.alive(), 15, desc="ripd vty socket")
    assert ripd.alive(), ripd.output()
    return ripd


@pytest.mark.parametrize("kind", ["bird", "frr"])
def test_tern_with_real_peer(lab, need, kind):
    need("ternd", "ternc", *(["bird", "birdc"] if kind == "bird" else ["zebra", "vtysh"]))
    a, b = lab.netns("a"), lab.netns("b")
    lab.link(a, b, "10.0.1.1/24", "10.0.1.2/24", name_a="eth0", name_b="eth0")
    lab.link(a, lab.netns("sa"), "10.1.0.1/24", "10.1.0.2/24", name_a="eth1", name_b="eth0")
    lab.link(b, lab.netns("sb"), "10.2.0.1/24", "10.2.0.2/24", name_a="eth1", name_b="eth0")
    a.forwarding()
    b.forwarding()
    ta = RipTern(a, rip_conf("A", ["10.0.0.0"]), name="A")
    peer = start_bird(b) if kind == "bird" else start_frr(b)
    # Tern learns the peer's stub subnet, installs it; the peer learns Tern's
    wait_until(lambda: ta.database().get("10.2.0.0/24", {}).get("metric") == 2, UP,
               desc=f"Tern learns 10.2.0.0/24 from {kind}")
    wait_until(lambda: "10.2.0.0/24" in kernel_routes(a), UP, desc="10.2.0.0/24 in Tern's kernel")
    assert kernel_routes(a)["10.2.0.0/24"]["gateway"] == "10.0.1.2"
    wait_until(lambda: "10.1.0.0/24" in kernel_routes(b), UP, desc=f"10.1.0.0/24 in {kind}'s kernel")
    assert kernel_routes(b)["10.1.0.0/24"]["gateway"] == "10.0.1.1"
    # end to end through both
    lab.namespaces[2].route("default", via="10.1.0.1")
    lab.namespaces[3].route("default", via="10.2.0.1")
    lab.namespaces[2].run(["ping", "-c", "1", "-W", "2", "10.2.0.2"])
    # the peer's stub link goes down: gone from Tern within seconds
    b.ip("link", "set", "eth1", "down")
    wait_until(lambda: "10.2.0.0/24" not in kernel_routes(a), MOVE + 4, desc="10.2.0.0/24 withdrawn")
    # Tern's stub link goes down: gone from the peer within seconds
    a.ip("link", "set", "eth1", "down")
    wait_until(lambda: "10.1.0.0/24" not in kernel_routes(b), MOVE + 4, desc=f"10.1.0.0/24 gone from {kind}")
    assert ta.responsive() and peer.alive()
    drops = ta.rip()["drops"]
    assert sum(drops.values()) == 0, drops


def test_start_up_request_is_sent(lab, need):
    """RFC 2453 §3.9.1: a router that starts asks its neighbours for their whole table (a Request
    with one entry, address family 0 and metric 16) at once, so its first routes do not wait for
    their next 30-s update. Heard by a plain UDP socket on the neighbour's side of the link."""
    need("ternd", "ternc")
    a, b = lab.netns("a"), lab.netns("b")
    lab.link(a, b, "10.0.1.1/24", "10.0.1.2/24", name_a="eth0", name_b="eth0")
    with b.enter():
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", 520))
        s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                     socket.inet_aton("224.0.0.9") + socket.inet_aton("10.0.1.2"))
    lab.add_finalizer(s.close)
    s.settimeout(0.2)
    RipTern(a, rip_conf("A", ["10.0.0.0"]), name="A")
    heard = []

    def request_heard():
        try:
            data, src = s.recvfrom(2048)
        except socket.timeout:
            return False
        heard.append((src[0], data[:1]))
        return src[0] == "10.0.1.1" and data[:2] == b"\x01\x02" and len(data) == 24 and \
            struct.unpack(">H", data[4:6])[0] == 0 and struct.unpack(">I", data[20:24])[0] == 16
    # within the first seconds: the periodic update (a Response) comes every 30 s
    wait_until(request_heard, 5, interval=0, desc=f"A's start-up Request (heard: {heard})")
