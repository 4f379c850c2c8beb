"""`tern-lab doctor` and `show ip bgp neighbors A`'s "Why not Established" on real labs.

Each fault is made in a copy of a lab of labs/ (unique names), and the test waits for the
doctor to name its cause, never for a time: the findings come from the routers' own state.
"""

import json
import re
import shutil
import subprocess

import pytest

from conftest import ROOT, wait_for


def doctor(lab):
    return lab.run("doctor", lab.name, timeout=60)


def doctor_finds(lab, text, what):
    """The doctor's answer once it names a fault (exit status 1) whose text holds text."""
    return wait_for(lambda: (lambda r: r if r.returncode == 1 and text in r.stdout else None)(doctor(lab)), 60, what)


def doctor_healthy(lab, timeout, what):
    """The doctor's answer once it finds nothing at all, not even what is converging."""
    return wait_for(lambda: (lambda r: r if r.stdout.strip() == "no faults found" else None)(doctor(lab)), timeout,
                    what)


def neighbor(lab, router, address):
    r = lab.run("exec", lab.node(router), "--", "show", "ip", "bgp", "neighbors", address, "json", timeout=20)
    try:
        return json.loads(r.stdout)[address]
    except (ValueError, KeyError):
        return {}


def edit(path, old, new):
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new))


def test_seed_as_written_doctor_names_the_missing_network_statement(lab):
    d = lab.copy("seed-as-written")
    for conf in ("R2.conf", "R3.conf", "R4.conf"):
        shutil.copy(ROOT / "labs" / "seed" / conf, d / conf)
    edit(d / "topology.yml", "../seed/", "")
    lab.up()

    r = doctor_finds(lab, "R1 has no route to 1.1.1.1", "doctor names the IBGP session's cause")
    line = finding_line(r, "R1 has no route to 1.1.1.1")
    assert "R2's Loopback0, the IBGP neighbour" in line
    assert "R2 advertises it in OSPF area 0" in line
    assert "R1 has no `network` statement covering 192.168.1.2 (FastEthernet0/0)" in line
    assert "`network 192.168.1.0 0.0.0.255 area 0` under `router ospf 100`" in line

    # R1 alone knows only that it has no route; it says so in text and JSON
    assert neighbor(lab, "R1", "1.1.1.1")["whyNotEstablished"]["reason"] == "no-route"
    text = lab.run("exec", lab.node("R1"), "--", "show", "ip", "bgp", "neighbors", "1.1.1.1").stdout
    assert re.search(r"^  Why not Established: no route to 1\.1\.1\.1", text, re.M), text


def test_seed_converging_is_not_a_fault_then_healthy(lab):
    """During OSPF's Wait timer (40 s on the seed's broadcast link) the IBGP session R1-R2 is
    not up: the doctor says it is converging, exit 0, and once it is up finds nothing."""
    lab.copy("seed")
    lab.up()
    # asked within the Wait timer, as a learner would (the timer runs 40 s from `up`); the
    # answer is awaited for nearly all of it, since on a loaded machine the doctor's first
    # answers may come late, or before every router answers
    r = wait_for(lambda: (lambda r: r if "OSPF is converging" in r.stdout else None)(doctor(lab)), 35,
                 "doctor says OSPF is converging")
    assert r.returncode == 0, r.stdout
    assert "- not yet: R1 has no route to 1.1.1.1" in r.stdout and "Wait timer" in r.stdout, r.stdout
    assert "no faults found" in r.stdout
    lab.wait_established(["R1", "R2", "R3", "R4"], 120)
    r = doctor_healthy(lab, 30, "doctor finds nothing")
    assert r.returncode == 0


def test_healthy_lab_has_no_faults(lab):
    lab.copy("bgp-only")
    lab.up()
    lab.wait_established(["R1", "R2", "R3", "R4"], 60)
    r = doctor_healthy(lab, 30, "doctor finds nothing")
    assert r.returncode == 0
    assert neighbor(lab, "R2", "192.168.2.2")["whyNotEstablished"] is None


def bgp_only_with(lab, router, old, new):
    """A bgp-only copy with one line of a router's configuration changed, up."""
    edit(lab.copy("bgp-only") / f"{router}.conf", old, new)
    lab.up()


def finding_line(r, text):
    return next(l for l in r.stdout.splitlines() if text in l)


def test_wrong_remote_as_is_named_with_what_the_peer_said(lab):
    bgp_only_with(lab, "R2", "neighbor 192.168.2.2 remote-as 200", "neighbor 192.168.2.2 remote-as 300")
    line = finding_line(doctor_finds(lab, "wrong remote-as", "doctor names the wrong remote-as"), "wrong remote-as")
    assert "R2: wrong remote-as for 192.168.2.2 (R3's FastEthernet1/0, in AS 200)" in line
    assert "OPEN said My AS 200" in line and "remote-as 300" in line and "2/2 (Bad Peer AS)" in line
    why = neighbor(lab, "R2", "192.168.2.2")["whyNotEstablished"]
    assert why["reason"] == "bad-peer-as" and "My AS 200" in why["text"]
    # R3 is told only that its OPEN was refused: the finding is R2's, said once
    assert "R3's session with 192.168.2.1" not in doctor(lab).stdout


def test_next_hop_without_next_hop_self(lab):
    bgp_only_with(lab, "R2", " neighbor 2.2.2.2 next-hop-self\n", "")
    text = "next hop 192.168.2.2 of 11.0.0.0/8"
    line = finding_line(doctor_finds(lab, text, "doctor names the unresolved next hop"), text)
    assert line.startswith(("1. R1:", "2. R1:", "3. R1:")), line
    assert "`neighbor 2.2.2.2 next-hop-self` on R2" in line


def test_ebgp_peer_not_directly_connected(lab):
    # R3 peers with R2's loopback from outside its AS, with no ebgp-multihop
    bgp_only_with(lab, "R3", "neighbor 192.168.2.1 remote-as 100",
                  "neighbor 1.1.1.1 remote-as 100\nip route 1.1.1.1 255.255.255.255 192.168.2.1")
    r = doctor_finds(lab, "R3's session with 1.1.1.1", "doctor names the EBGP peer that is not directly connected")
    assert "ebgp-multihop" in r.stdout
    assert neighbor(lab, "R3", "1.1.1.1")["whyNotEstablished"]["reason"] == "not-directly-connected"


OSPF_PAIR = """name: LAB
nodes:
  R1: {kind: router, config: R1.conf}
  R2: {kind: router, config: R2.conf}
links:
  - ["R1:f0/0", "R2:f0/0"]
"""


def ospf_router(name, n, interface_lines="", ospf_lines="", area=0):
    return f"""hostname {name}
interface Loopback0
 ip address {n}.{n}.{n}.{n} 255.255.255.255
interface FastEthernet0/0
 ip address 10.1.0.{n} 255.255.255.0
 ip ospf network point-to-point
{interface_lines} no shutdown
router ospf 1
 network 10.1.0.0 0.0.0.255 area {area}
 network {n}.{n}.{n}.{n} 0.0.0.0 area 0
{ospf_lines}end
"""


@pytest.mark.parametrize("fault,r2,expect", [
    ("none", {}, None),
    ("area", {"area": 1}, "area mismatch, R1 puts FastEthernet0/0 in area 0, R2 puts FastEthernet0/0 in area 1"),
    ("hello", {"interface_lines": " ip ospf hello-interval 5\n"}, "hello interval mismatch, R1 has 10 s, R2 has 5 s"),
    ("dead", {"interface_lines": " ip ospf dead-interval 30\n"}, "dead interval mismatch, R1 has 40 s, R2 has 30 s"),
    ("passive", {"ospf_lines": " passive-interface FastEthernet0/0\n"}, "R2's FastEthernet0/0 is passive"),
    ("mtu", {}, "MTU mismatch"),
])
def test_ospf_link_faults(lab, fault, r2, expect):
    lab.write(OSPF_PAIR, R1=ospf_router("R1", 1), R2=ospf_router("R2", 2, **r2))
    lab.up()
    if fault == "mtu":
        subprocess.run(["ip", "netns", "exec", f"{lab.name}-R2", "ip", "link", "set", "f0-0", "mtu", "1400"],
                       check=True)
    if expect is None:
        r = doctor_healthy(lab, 60, "OSPF Full, no faults")
        assert r.returncode == 0
        return

    r = doctor_finds(lab, expect, f"doctor names the {fault} fault")
    assert "R1's OSPF has no " in r.stdout, r.stdout
