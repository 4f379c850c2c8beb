"""`tern-lab collide`: both ends of the EBGP session R2-R3 restarted behind one barrier connect
at once, every time, and the collision (RFC 4271 §6.8) is resolved by BGP Identifier: R2
(1.1.1.1, the lower) closes the connection it initiated, R3 the one R2 initiated, each with
Cease 6/7, and one session is Established."""

import json

from conftest import wait_for


def messages(lab, router, address):
    r = lab.run("exec", lab.node(router), "--", "show", "bgp", "neighbors", address, "messages", "json", timeout=20)
    return json.loads(r.stdout)["messages"]


def test_collide_three_times(lab):
    lab.copy("bgp-only")
    lab.up()
    lab.wait_established(["R2", "R3"], 60)
    for run in range(3):
        r = lab.run("collide", lab.node("R2"), "R3", timeout=90)
        assert r.returncode == 0, f"run {run}: {r.stdout}\n{r.stderr}"
        assert "connection collision resolved" in r.stdout, (
            f"run {run}: {r.stdout}\nR2: {messages(lab, 'R2', '192.168.2.2')}\nR3: {messages(lab, 'R3', '192.168.2.1')}")
        for router, address, closed in (("R2", "192.168.2.2", "initiated by us"),
                                        ("R3", "192.168.2.1", "initiated by the peer")):
            log = messages(lab, router, address)
            collisions = [m for m in log if m["type"] == "collision"]
            assert len(collisions) == 1, f"run {run} {router}: {log}"
            assert closed in collisions[0]["text"], collisions[0]["text"]
            cease = [m for m in log if m["type"] == "notification" and m["direction"] == "sent"]
            assert any("6/7" in m["text"] for m in cease), f"run {run} {router}: {cease}"
        sessions = wait_for(lambda: (lambda s: s if s.get("192.168.2.2") == "Established" else None)(
            lab.sessions("R2")), 30, "R2-R3 Established")
        assert sessions["192.168.2.2"] == "Established"
    # the ladder shows the closed connection and why
    ladder = lab.run("ladder", lab.node("R2"), "R3")
    assert ladder.returncode == 0 and "6/7" in ladder.stdout, ladder.stdout
