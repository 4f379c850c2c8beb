"""BGP changed live from the shell: neighbours added and removed, `no router bgp`.

R1 (Tern, AS 65001, under test) sits between R2 (AS 65002, 10.0.0.0/24) and R3 (AS 65003,
10.0.1.0/24); R2 and R3 are a second Tern or FRR, each configured with R1 as its neighbour.
"""

import pytest

from netlab import Tern, notif, peer_view, stays, start_peer, subset, wait_subset, wait_until
from shell_helpers import running_config, ternc_run

R1_TO_R2 = {"neighbor": "10.0.0.2", "remote_as": 65002, "timers": (2, 6)}
R1_TO_R3 = {"neighbor": "10.0.1.2", "remote_as": 65003, "timers": (2, 6)}


def triangle(lab, kind, r1_neighbors):
    a, b, c = lab.netns("R1"), lab.netns("R2"), lab.netns("R3")
    lab.link(a, b, "10.0.0.1/24", "10.0.0.2/24")
    lab.link(a, c, "10.0.1.1/24", "10.0.1.2/24")
    r1 = Tern(a, "10.0.0.1", 65001, r1_neighbors, name="R1")
    r2 = start_peer(kind, b, "10.0.0.2", 65002, "10.0.0.1", 65001, name="R2", hold=6)
    r3 = start_peer(kind, c, "10.0.1.2", 65003, "10.0.1.1", 65001, name="R3", hold=6)
    return r1, r2, r3


def received(peer, addr, code, subcode):
    last = (peer_view(peer, addr).get("lastNotification") or {}).get("received")
    return last is not None and subset(last, notif(code, subcode))


def undisturbed(r1, r2, kind):
    """The R1-R2 session came up once and never dropped, as both ends see it."""
    wait_subset(lambda: r1.neighbor("10.0.0.2"),
                {"state": "Established", "establishedCount": 1, "droppedCount": 0}, timeout=2)
    if kind == "tern":
        wait_subset(lambda: r2.neighbor("10.0.0.1"),
                    {"state": "Established", "establishedCount": 1, "droppedCount": 0}, timeout=2)
    else:
        view = peer_view(r2, "10.0.0.1")
        assert view["state"] == "Established", view
        assert view["raw"].get("connectionsEstablished") == 1, view["raw"]
        assert view["raw"].get("connectionsDropped") == 0, view["raw"]


@pytest.mark.parametrize("kind", ["tern", "frr"])
def test_add_and_remove_neighbor_live(lab, need, kind):
    """`neighbor 10.0.1.2 remote-as 65003` typed at run time brings the R3 session up while
    R1-R2 is not disturbed (establishedCount 1, droppedCount 0); `no neighbor 10.0.1.2` sends
    Cease 6/3 (Peer De-configured) to R3, which sees it as its last NOTIFICATION received,
    and R1-R2 still never dropped."""
    need("ternd", "ternc", kind)
    r1, r2, r3 = triangle(lab, kind, [R1_TO_R2])
    r1.wait_established("10.0.0.2")
    r2.wait_established("10.0.0.1")

    r = ternc_run(r1, "configure terminal", "router bgp 65001",
                  "neighbor 10.0.1.2 remote-as 65003")
    assert r.returncode == 0, r.stderr
    r1.wait_established("10.0.1.2")
    r3.wait_established("10.0.1.1")
    stays(lambda: r1.established("10.0.0.2"), 1.5)
    undisturbed(r1, r2, kind)

    r = ternc_run(r1, "configure terminal", "router bgp 65001", "no neighbor 10.0.1.2")
    assert r.returncode == 0, r.stderr
    wait_until(lambda: received(r3, "10.0.1.1", 6, 3), 10,
               desc=f"{kind} R3 received Cease 6/3")
    assert "10.0.1.2" not in r1.summary().get("peers", {})
    assert "10.0.1.2" not in running_config(r1)
    stays(lambda: r1.established("10.0.0.2"), 1.5)
    undisturbed(r1, r2, kind)


@pytest.mark.parametrize("kind", ["tern", "frr"])
def test_no_router_bgp_closes_every_session(lab, need, kind):
    """`no router bgp 65001` closes both sessions with Cease 6/3; BGP is then gone from the
    running configuration and from `show`; `router bgp` again brings them back."""
    need("ternd", "ternc", kind)
    r1, r2, r3 = triangle(lab, kind, [R1_TO_R2, R1_TO_R3])
    for peer in ("10.0.0.2", "10.0.1.2"):
        r1.wait_established(peer)
    r2.wait_established("10.0.0.1")
    r3.wait_established("10.0.1.1")

    r = ternc_run(r1, "configure terminal", "no router bgp 65001")
    assert r.returncode == 0, r.stderr
    for peer in (r2, r3):
        addr = "10.0.0.1" if peer is r2 else "10.0.1.1"
        wait_until(lambda p=peer, a=addr: received(p, a, 6, 3), 10,
                   desc=f"{kind} {peer.name} received Cease 6/3")
    assert "router bgp" not in running_config(r1)
    r = r1.ternc("show", "ip", "bgp", "summary", check=False)
    assert r.returncode == 1 and "% BGP not active" in r.stderr, r.stderr
    assert r1.proc.alive()

    lines = ["configure terminal", "router bgp 65001", "bgp router-id 10.0.0.1"]
    for n in (R1_TO_R2, R1_TO_R3):
        lines += [f"neighbor {n['neighbor']} remote-as {n['remote_as']}",
                  f"neighbor {n['neighbor']} timers 2 6",
                  f"neighbor {n['neighbor']} timers connect 1"]
    r = ternc_run(r1, *lines)
    assert r.returncode == 0, r.stderr
    for peer in ("10.0.0.2", "10.0.1.2"):
        r1.wait_established(peer, timeout=30)
