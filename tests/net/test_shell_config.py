"""The configuration file and the shell: a bad line at start and on SIGHUP, `write memory`."""

import os
import signal
import time

from netlab import Tern, pair, start_peer, stays, wait_subset, wait_until
from shell_helpers import running_config, ternc_run

BAD_LINE = " neighbor 10.0.0.2 remote-az 65002"


def test_bad_line_at_start(lab, need):
    """ternd refuses to start on a bad line: file, line number, the line and a caret under the
    offending word on stderr, exit status non-zero."""
    need("ternd")
    a = lab.netns("R1")
    text = "hostname R1\n!\nrouter bgp 65001\n neighbor 10.0.0.2 remote-as 65002\n" + BAD_LINE + "\n"
    tern = Tern(a, "10.0.0.1", 65001, [], name="R1", config=text, start=False)
    tern.start(wait=False)
    tern.proc.check_exit = False  # dying is what it must do here
    wait_until(lambda: not tern.proc.alive(), 10, desc="ternd exits")
    assert tern.proc.returncode not in (0, None), tern.proc.returncode
    err = open(tern.proc.log_err).read()
    lines = err.splitlines()
    head = f"{tern.conf}:5: % Invalid input detected at '^' marker."
    assert head in lines, err
    i = lines.index(head)
    shown, caret = lines[i + 1], lines[i + 2]
    assert shown == "  " + BAD_LINE, err
    assert caret.rstrip().endswith("^") and caret.strip() == "^", err
    assert caret.index("^") == shown.index("remote-az"), err
    assert not os.path.exists(tern.sock)


def test_sighup_bad_line_keeps_running_config(lab, need):
    """SIGHUP after the file was edited to hold a bad line: the daemon logs file, line and
    caret, and keeps its previous configuration; the session stays up with no drop. A good
    edit then applies, and a neighbour's description does not reset its session."""
    need("ternd", "ternc")
    a, b = pair(lab)
    r1 = start_peer("tern", a, "10.0.0.1", 65001, "10.0.0.2", 65002, name="R1")
    r2 = start_peer("tern", b, "10.0.0.2", 65002, "10.0.0.1", 65001, name="R2")
    r1.wait_established("10.0.0.2")
    before = running_config(r1)
    original = open(r1.conf).read()

    with open(r1.conf, "w") as f:
        f.write(original.replace("hostname R1", "hostname CHANGED") + BAD_LINE + "\n")
    r1.proc.signal(signal.SIGHUP)
    wait_until(lambda: "reload refused" in open(r1.proc.log_err).read(), 5,
               desc="reload refused in the log")
    log = open(r1.proc.log_err).read()
    line_no = len(original.splitlines()) + 1
    assert f"{r1.conf}:{line_no}: % Invalid input detected at '^' marker." in log, log
    assert "  " + BAD_LINE in log, log
    assert running_config(r1) == before
    assert r1.ternc("show", "ip", "bgp", "summary").stdout  # still answers
    stays(lambda: r1.established("10.0.0.2"), 2)
    for tern, peer in ((r1, "10.0.0.2"), (r2, "10.0.0.1")):
        wait_subset(lambda t=tern, p=peer: t.neighbor(p),
                    {"state": "Established", "establishedCount": 1, "droppedCount": 0})

    with open(r1.conf, "w") as f:
        f.write(original + " neighbor 10.0.0.2 description to R2\n")
    r1.proc.signal(signal.SIGHUP)
    wait_until(lambda: "neighbor 10.0.0.2 description to R2" in running_config(r1), 5,
               desc="the good edit applied")
    stays(lambda: r1.established("10.0.0.2"), 2)
    wait_subset(lambda: r2.neighbor("10.0.0.1"), {"establishedCount": 1, "droppedCount": 0})


def test_write_memory_then_restart(lab, need):
    """Configuration changed live, `write memory`: the file is replaced by rename (a new inode,
    no temporary file left) and holds exactly the running configuration; `show
    startup-config` shows it; after a restart `show running-config` is the same."""
    need("ternd", "ternc")
    a, b = pair(lab)
    r1 = start_peer("tern", a, "10.0.0.1", 65001, "10.0.0.2", 65002, name="R1")
    start_peer("tern", b, "10.0.0.2", 65002, "10.0.0.1", 65001, name="R2")
    r1.wait_established("10.0.0.2")
    r = ternc_run(r1, "configure terminal", "hostname Edge1", "interface lo0",
                  "ip address 2.2.2.2 255.255.255.255", "interface eth0", "description to R2",
                  "router bgp 65001", "neighbor 10.0.0.2 description R2 in AS 65002",
                  "neighbor 10.9.9.9 remote-as 65009", "neighbor 10.9.9.9 shutdown",
                  "timers bgp 10 30", "end")
    assert r.returncode == 0, r.stderr
    live = running_config(r1)
    assert "hostname Edge1" in live and "neighbor 10.9.9.9 remote-as 65009" in live, live
    inode = os.stat(r1.conf).st_ino

    r = ternc_run(r1, "write memory")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "Building configuration...\n[OK]\n", r.stdout
    assert os.stat(r1.conf).st_ino != inode, "the file was rewritten in place, not renamed"
    assert not [p for p in os.listdir(os.path.dirname(r1.conf)) if p.startswith("R1.conf.")]
    saved = open(r1.conf).read()
    assert saved == live, (saved, live)
    assert r1.ternc("show", "startup-config").stdout == saved

    r = ternc_run(r1, "copy running-config startup-config")
    assert r.returncode == 0 and open(r1.conf).read() == saved

    r1.stop()       # returns once ternd has exited
    r1.start()
    assert running_config(r1) == live
    r1.wait_established("10.0.0.2")


def _protocols_conf(name, addr, loopback, asn, peer, peer_as):
    return f"""hostname {name}
interface Loopback0
 ip address {loopback} 255.255.255.255
interface eth0
 ip address {addr} 255.255.255.0
 ip ospf hello-interval 1
 ip ospf dead-interval 4
router rip
 version 2
 network 10.0.0.0
 redistribute connected
router ospf 1
 network 10.0.12.0 0.0.0.255 area 0
router bgp {asn}
 bgp router-id {loopback}
 neighbor {peer} remote-as {peer_as}
 neighbor {peer} timers 1 3
"""


def every_protocol_pair(lab):
    """R1 (AS 65001) and R2 (AS 65002) on one link, eth0, running RIP, OSPF and BGP with
    each other (_protocols_conf)."""
    a, b = lab.netns("R1"), lab.netns("R2")
    lab.link(a, b, name_a="eth0", name_b="eth0")
    r1 = Tern(a, "1.1.1.1", 65001, [], name="R1",
              config=_protocols_conf("R1", "10.0.12.1", "1.1.1.1", 65001, "10.0.12.2", 65002))
    r2 = Tern(b, "2.2.2.2", 65002, [], name="R2",
              config=_protocols_conf("R2", "10.0.12.2", "2.2.2.2", 65002, "10.0.12.1", 65001))
    return r1, r2


def test_hostname_touches_no_protocol(lab, need):
    """`hostname R1b` at run time: the BGP session, the OSPF adjacency and RIP stay as they
    were, and ternd applies no protocol (it logs what it applies); a neighbour description,
    by contrast, applies BGP alone."""
    need("ternd", "ternc")
    r1, r2 = every_protocol_pair(lab)
    wait_until(lambda: r1.bgp_state("10.0.12.2") == "Established", 20, desc="BGP Established")
    wait_until(lambda: any(n.get("state") == "FULL"
                           for n in r1.show_json("ip", "ospf", "neighbor")["neighbors"]),
               30, desc="OSPF adjacency Full")
    # RIP: R2's loopback (redistribute connected) reaches R1's RIP database
    wait_until(lambda: "2.2.2.2/32" in r1.show_json("ip", "rip", "database")["routes"], 30,
               desc="RIP route from R2")

    def snapshot():
        bgp = r1.neighbor("10.0.12.2")
        ospf = r1.show_json("ip", "ospf")
        nbr = [n for n in r1.show_json("ip", "ospf", "neighbor")["neighbors"]]
        rip = r1.show_json("ip", "rip", "database")["routes"]["2.2.2.2/32"]
        return {"bgp": (bgp["state"], bgp["establishedCount"], bgp["droppedCount"]),
                "ospf": (ospf.get("spf_runs"), ospf.get("lsa_originated"),
                         [(n["state"], n.get("state_changes")) for n in nbr]),
                "rip": (rip["metric"], rip["type"], rip["nextHop"], rip["interface"])}

    def settled():
        # LSAs and SPF runs settle after the adjacency forms: wait for 3 s without a change
        first = snapshot()
        time.sleep(3)
        return first if snapshot() == first else None

    before = wait_until(settled, 40, interval=0, desc="BGP, OSPF and RIP settled")
    log_before = len(open(r1.proc.log_err).read())
    out = ternc_run(r1, "configure terminal", "hostname R1b", "end")
    assert out.returncode == 0, out.stdout + out.stderr
    wait_until(lambda: "configuration: applying nothing" in open(r1.proc.log_err).read()[log_before:], 5,
               desc="ternd logs that it applies nothing")
    stays(lambda: snapshot() == before, 4, desc="BGP, OSPF and RIP untouched")
    log = open(r1.proc.log_err).read()[log_before:]
    assert "configuration: applying nothing" in log and "applying static" not in log and \
        " bgp" not in log.split("configuration: applying")[-1].splitlines()[0], log
    assert "R1b" in running_config(r1)

    # a change that concerns BGP applies BGP, and only BGP; the session stays (a description
    # needs no reset)
    log_before = len(open(r1.proc.log_err).read())
    out = ternc_run(r1, "configure terminal", "router bgp 65001",
                    "neighbor 10.0.12.2 description to R2", "end")
    assert out.returncode == 0, out.stdout + out.stderr
    wait_until(lambda: "configuration: applying bgp" in open(r1.proc.log_err).read()[log_before:], 5,
               desc="ternd logs that it applies BGP alone")
    assert snapshot()["bgp"] == before["bgp"]
