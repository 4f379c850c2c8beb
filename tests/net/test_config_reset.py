"""Which live changes of a BGP neighbour reset its session, and which do not; the same for
an OSPF adjacency.

Two ternd, eBGP over one link. Each change is typed into R1 at run time; R2's view of the
session (established and dropped counts) says whether R1 closed it. The configuration's
descriptors say what each setting needs (src/config/config_bgp_neighbor.c: RESET for what
the OPEN or the TCP connection carries, REFRESH for policy bindings, IN_PLACE for the rest),
and bgp_speaker_configure resets exactly when they say so: these cases pin today's behaviour
end to end (tests/unit/test_config_reconfigure.c pins every setting in the model)."""

from netlab import pair, start_peer, stays, wait_subset, wait_until
from shell_helpers import ternc_run
from test_shell_config import every_protocol_pair  # OSPF with 1-s Hellos

PEER = "10.0.0.2"


def _counts(r2):
    n = r2.neighbor("10.0.0.1")
    return n.get("state"), n.get("establishedCount"), n.get("droppedCount")


def test_neighbor_changes_reset_or_not(lab, need):
    need("ternd", "ternc")
    a, b = pair(lab)
    r1 = start_peer("tern", a, "10.0.0.1", 65001, PEER, 65002, name="R1", connect=1)
    r2 = start_peer("tern", b, "10.0.0.2", 65002, "10.0.0.1", 65001, name="R2", connect=1)
    r1.wait_established(PEER)
    wait_subset(lambda: r2.neighbor("10.0.0.1"), {"state": "Established", "establishedCount": 1,
                                                   "droppedCount": 0})
    r1.configure("exit", "route-map RM permit 10", "exit", f"router bgp 65001")

    # in place, or a refresh: the session stays
    for line in (f"neighbor {PEER} description to R2", f"neighbor {PEER} route-map RM in",
                 f"neighbor {PEER} route-map RM out", f"neighbor {PEER} next-hop-self",
                 f"neighbor {PEER} timers connect 2", f"neighbor {PEER} maximum-prefix 1000",
                 "timers bgp 20 60"):
        before = _counts(r2)
        r1.configure(line)
        assert line in r1.ternc("show", "running-config").stdout
        stays(lambda b=before: _counts(r2) == b, 2, desc=f"'{line}' keeps the session")

    # reset: R1 closes the session (Cease), and it comes up again
    for line in (f"neighbor {PEER} ebgp-multihop 2", f"neighbor {PEER} disable-connected-check",
                 f"neighbor {PEER} transport connection-mode passive",
                 f"neighbor {PEER} update-source 10.0.0.1"):
        _, established, dropped = _counts(r2)
        r1.configure(line)
        wait_until(lambda d=dropped: (_counts(r2)[2] or 0) > d, 10, desc=f"'{line}' resets the session")
        wait_until(lambda e=established: _counts(r2)[0] == "Established" and _counts(r2)[1] > e, 30,
                   desc=f"the session up again after '{line}'")
        last = r1.neighbor(PEER)
        assert r1.established(PEER), last


def test_ospf_changes_reset_or_not(lab, need):
    """OSPF, as its descriptors say (src/config/config_ospf.c, config_interface.c): a cost or a
    redistribution is applied in place, the adjacency stays Full; what a neighbour checks in a
    Hello (the intervals) and the router ID take the adjacency down, and it forms again."""
    need("ternd", "ternc")
    r1, r2 = every_protocol_pair(lab)

    def r2_view():
        nbrs = r2.show_json("ip", "ospf", "neighbor")["neighbors"]
        return [(n["state"], n.get("state_changes")) for n in nbrs]

    def full():
        view = r2_view()
        return len(view) == 1 and view[0][0] == "FULL"

    wait_until(full, 30, desc="OSPF adjacency Full")

    def type_in(*lines):
        out = ternc_run(r1, "configure terminal", *lines, "end")
        assert out.returncode == 0, out.stdout + out.stderr

    for lines in (("interface eth0", "ip ospf cost 20"), ("router ospf 1", "redistribute connected subnets"),
                  ("router ospf 1", "auto-cost reference-bandwidth 1000")):
        before = r2_view()
        type_in(*lines)
        stays(lambda b=before: r2_view() == b, 3, desc=f"'{lines[-1]}' keeps the adjacency")

    for lines in (("interface eth0", "ip ospf hello-interval 2", "ip ospf dead-interval 8"),
                  ("router ospf 1", "router-id 1.1.1.9")):
        before = r2_view()
        type_in(*lines)
        wait_until(lambda b=before: r2_view() != b, 10, desc=f"'{lines[-1]}' resets the adjacency")
        if lines[0] == "interface eth0":
            # the Hellos agree again once R2 has the same intervals
            out = ternc_run(r2, "configure terminal", *lines, "end")
            assert out.returncode == 0, out.stdout + out.stderr
        wait_until(full, 30, desc=f"Full again after '{lines[-1]}'")


def test_ospf_change_of_one_interface(lab, need):
    """R1 runs OSPF on two links, to R2 and to R3. The interfaces' change list names the one
    interface a change concerns (src/config/config_interface.c): a new cost on R1's link to R2
    keeps both adjacencies; a new hello interval on R1's link to R3 takes that adjacency down
    and leaves the one with R2 Full, untouched."""
    need("ternd", "ternc")
    from test_ospf import TernOspf, tern_text, timers
    r = [lab.netns(f"R{i}") for i in (1, 2, 3)]
    l12 = lab.link(r[0], r[1], "10.0.12.1/24", "10.0.12.2/24")
    l13 = lab.link(r[0], r[2], "10.0.13.1/24", "10.0.13.3/24")
    ifs = [{l12[0]: timers(), l13[0]: timers()}, {l12[1]: timers()}, {l13[1]: timers()}]
    terns = [TernOspf(r[i], f"{i + 1}.{i + 1}.{i + 1}.{i + 1}",
                      tern_text(f"R{i + 1}", f"{i + 1}.{i + 1}.{i + 1}.{i + 1}", ifs[i],
                                ["10.0.0.0 0.255.255.255 area 0"]), f"R{i + 1}") for i in range(3)]
    r1 = terns[0]

    def view():
        return {n["router_id"]: (n["state"], n.get("state_changes")) for n in r1.neighbors()}

    def both_full():
        v = view()
        return v.get("2.2.2.2", ("",))[0] == "FULL" and v.get("3.3.3.3", ("",))[0] == "FULL"

    wait_until(both_full, 30, desc="R1 Full with R2 and R3")

    before = view()
    r1.configure_lines(f"interface {l12[0]}", "ip ospf cost 30")
    wait_until(lambda: r1.interface(l12[0]).get("cost") == 30, 5, desc="the new cost on R1's link to R2")
    stays(lambda: view() == before, 3, desc="a new cost keeps both adjacencies")
    assert r1.interface(l13[0]).get("cost") != 30

    before = view()
    r1.configure_lines(f"interface {l13[0]}", "ip ospf hello-interval 2", "ip ospf dead-interval 8")
    wait_until(lambda: view().get("3.3.3.3") != before["3.3.3.3"], 10,
               desc="the hello interval resets the adjacency with R3")
    stays(lambda: view().get("2.2.2.2") == before["2.2.2.2"], 3,
          desc="the adjacency with R2 stays Full, untouched")
    terns[2].configure_lines(f"interface {l13[1]}", "ip ospf hello-interval 2", "ip ospf dead-interval 8")
    wait_until(both_full, 30, desc="Full again with R3")
    assert view()["2.2.2.2"] == before["2.2.2.2"]


def test_interface_changes_reach_the_kernel(lab, need):
    """The kernel follows the interfaces the change list names (src/ternd/interfaces.c): a
    new address on one interface replaces its old one there and leaves the other interface's
    alone; `no interface` takes its addresses away; an interface that does not exist here is
    said once, by the commit that names it, not by a later commit of something else."""
    need("ternd", "ternc")
    from netlab import Tern
    from shell_helpers import kernel_addrs, ternc_run
    a, b, c = lab.netns("R1"), lab.netns("R2"), lab.netns("R3")
    lab.link(a, b, name_a="eth0", name_b="eth0")
    lab.link(a, c, name_a="eth1", name_b="eth0")
    r1 = Tern(a, "1.1.1.1", 65001, [], name="R1",
              config="interface eth0\n ip address 10.0.12.1 255.255.255.0\n"
                     "interface eth1\n ip address 10.0.13.1 255.255.255.0\n"
                     "router bgp 65001\n bgp router-id 1.1.1.1\n")
    wait_until(lambda: "10.0.12.1/24" in kernel_addrs(a, "eth0") and "10.0.13.1/24" in kernel_addrs(a, "eth1"),
               10, desc="the configured addresses in the kernel")

    def type_in(*lines):
        out = ternc_run(r1, "configure terminal", *lines, "end")
        assert out.returncode == 0, out.stdout + out.stderr
        return out.stdout + out.stderr

    type_in("interface eth0", "ip address 10.0.14.1 255.255.255.0")
    wait_until(lambda: kernel_addrs(a, "eth0") >= {"10.0.14.1/24"} and "10.0.12.1/24" not in kernel_addrs(a, "eth0"),
               10, desc="eth0's new address replaces its old one")
    assert "10.0.13.1/24" in kernel_addrs(a, "eth1")

    out = type_in("interface eth7", "description not here")
    assert "does not exist" in out, out
    out = type_in("hostname R1b")
    assert "does not exist" not in out, out

    type_in("no interface eth1")
    wait_until(lambda: "10.0.13.1/24" not in kernel_addrs(a, "eth1"), 10, desc="no interface takes its address away")
    assert "10.0.14.1/24" in kernel_addrs(a, "eth0")
