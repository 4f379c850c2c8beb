"""`tern-lab doctor` and `show ip bgp neighbors A`'s "Why not Established" on real labs.

Each fault is made in a copy of a lab of labs/ (unique names), and the test waits for the
doctor to name its cause, never for a time: the findings come from the routers' own state.
"""

import json
import re
import shutil

from conftest import ROOT, wait_for


def doctor(lab):
    return lab.run("doctor", lab.name, timeout=60)


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

    def found():
        r = doctor(lab)
        return r if r.returncode == 1 and "R1 has no route to 1.1.1.1" in r.stdout else None

    r = wait_for(found, 60, "doctor names the IBGP session's cause")
    line = next(l for l in r.stdout.splitlines() if "R1 has no route to 1.1.1.1" in l)
    assert "R2's Loopback0, the IBGP neighbour" in line
    assert "R2 advertises it in OSPF area 0" in line
    assert "R1 has no `network` statement covering 192.168.1.2 (FastEthernet0/0)" in line
    assert "`network 192.168.1.0 0.0.0.255 area 0` under `router ospf 100`" in line

    # R1 alone knows only that it has no route; it says so in text and JSON
    assert neighbor(lab, "R1", "1.1.1.1")["whyNotEstablished"]["reason"] == "no-route"
    text = lab.run("exec", lab.node("R1"), "--", "show", "ip", "bgp", "neighbors", "1.1.1.1").stdout
    assert re.search(r"^  Why not Established: no route to 1\.1\.1\.1", text, re.M), text


def test_healthy_lab_has_no_faults(lab):
    lab.copy("bgp-only")
    lab.up()
    lab.wait_established(["R1", "R2", "R3", "R4"], 60)
    r = wait_for(lambda: (lambda r: r if r.returncode == 0 else None)(doctor(lab)), 30, "doctor finds nothing")
    assert r.stdout.strip() == "no faults found"
    assert neighbor(lab, "R2", "192.168.2.2")["whyNotEstablished"] is None


def test_wrong_remote_as_is_named_with_what_the_peer_said(lab):
    d = lab.copy("bgp-only")
    edit(d / "R2.conf", "neighbor 192.168.2.2 remote-as 200", "neighbor 192.168.2.2 remote-as 300")
    lab.up()

    def found():
        r = doctor(lab)
        return r if r.returncode == 1 and "wrong remote-as" in r.stdout else None

    r = wait_for(found, 60, "doctor names the wrong remote-as")
    line = next(l for l in r.stdout.splitlines() if "wrong remote-as" in l)
    assert "R2: wrong remote-as for 192.168.2.2 (R3's FastEthernet1/0, in AS 200)" in line
    assert "OPEN said My AS 200" in line and "remote-as 300" in line and "2/2 (Bad Peer AS)" in line
    why = neighbor(lab, "R2", "192.168.2.2")["whyNotEstablished"]
    assert why["reason"] == "bad-peer-as" and "My AS 200" in why["text"]
    # R3 is told only that its OPEN was refused: the finding is R2's, said once
    assert "R3's session with 192.168.2.1" not in r.stdout


def test_next_hop_without_next_hop_self(lab):
    d = lab.copy("bgp-only")
    edit(d / "R2.conf", " neighbor 2.2.2.2 next-hop-self\n", "")
    lab.up()

    def found():
        r = doctor(lab)
        return r if r.returncode == 1 and "next hop 192.168.2.2 of 11.0.0.0/8" in r.stdout else None

    r = wait_for(found, 60, "doctor names the unresolved next hop")
    line = next(l for l in r.stdout.splitlines() if "next hop 192.168.2.2" in l)
    assert line.startswith(("1. R1:", "2. R1:", "3. R1:")), line
    assert "`neighbor 2.2.2.2 next-hop-self` on R2" in line


def test_ebgp_peer_not_directly_connected(lab):
    d = lab.copy("bgp-only")
    # R3 peers with R2's loopback from outside its AS, with no ebgp-multihop
    edit(d / "R3.conf", "neighbor 192.168.2.1 remote-as 100", "neighbor 1.1.1.1 remote-as 100")
    edit(d / "R3.conf", "ip route 4.4.4.4", "ip route 1.1.1.1 255.255.255.255 192.168.2.1\nip route 4.4.4.4")
    lab.up()

    def found():
        r = doctor(lab)
        return r if r.returncode == 1 and "R3's session with 1.1.1.1" in r.stdout else None

    r = wait_for(found, 60, "doctor names the EBGP peer that is not directly connected")
    assert "ebgp-multihop" in r.stdout
    assert neighbor(lab, "R3", "1.1.1.1")["whyNotEstablished"]["reason"] == "not-directly-connected"
