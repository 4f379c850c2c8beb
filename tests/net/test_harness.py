"""Self-tests of the harness itself, with real peers only (no Tern needed)."""

import os
import signal
import socket

import netlab
from netlab import Bird, Frr, wait_until, wait_subset, stays


def two_hosts(lab):
    a, b = lab.netns("a"), lab.netns("b")
    lab.link(a, b, "10.0.0.1/24", "10.0.0.2/24")
    return a, b


def test_harness_bird_frr(lab, need):
    """BIRD and FRR reach Established on a veth between two namespaces; the readers of both
    agree on the negotiated hold time and each other's BGP identifier."""
    need("bird", "frr")
    a, b = two_hosts(lab)
    bird = Bird(a, "10.0.0.1", 65001, [{"neighbor": "10.0.0.2", "remote_as": 65002,
                                        "hold": 9, "keepalive": 3}])
    frr = Frr(b, "10.0.0.2", 65002, [{"neighbor": "10.0.0.1", "remote_as": 65001}],
              keepalive=2, hold=6)
    bird.wait_established("10.0.0.2", timeout=30)
    frr.wait_established("10.0.0.1", timeout=30)
    p = bird.protocol("10.0.0.2")
    assert p["neighbor_id"] == "10.0.0.2"
    assert p["hold_time"] == 6
    n = wait_subset(lambda: frr.neighbor("10.0.0.1"),
                    {"bgpState": "Established", "remoteRouterId": "10.0.0.1",
                     "bgpTimerHoldTimeMsecs": 6000}, timeout=10)
    assert n["remoteAs"] == 65001


def test_harness_netns_sockets(lab):
    """Sockets made with Netns.enter() live in that namespace; links and routes work."""
    a, m, b = netlab.line3(lab)
    srv = b.tcp_listen("10.255.0.2", 1790)
    c = a.tcp_connect("10.255.0.2", 1790, src="10.255.0.1")
    conn, peer = srv.accept()
    assert peer[0] == "10.255.0.1"
    conn.sendall(netlab.bgp_keepalive())
    assert netlab.recv_msg(c, 5) == (netlab.KEEPALIVE, b"")
    for s in (c, conn, srv):
        s.close()
    # the root namespace has no such address
    root = socket.socket()
    try:
        root.bind(("10.255.0.1", 0))
        bound = True
    except OSError:
        bound = False
    finally:
        root.close()
    assert not bound


def test_harness_cleanup_kills_everything():
    """A lab's cleanup kills a frozen process and deletes its namespaces."""
    lab = netlab.Lab("cleanup-selftest")
    try:
        a = lab.netns("a")
        p = a.popen("sleeper", ["sleep", "600"])
        wait_until(lambda: p.pid in a.pids(), 5)
        p.freeze()
        name = a.name
    finally:
        lab.cleanup()
    assert not p.alive()
    assert name not in netlab._netns_names()


def test_harness_wait_helpers():
    assert netlab.subset({"a": {"b": 1, "c": [1, 2]}, "d": 3}, {"a": {"c": [1, 2]}})
    assert not netlab.subset({"a": 1}, {"a": 2})
    assert netlab.subset({"a": 5}, {"a": lambda v: v > 3})
    try:
        wait_until(lambda: False, 0.3)
    except netlab.WaitTimeout:
        pass
    else:
        raise AssertionError("wait_until did not time out")
    stays(lambda: True, 0.3)


def test_harness_dead_daemons_fail_the_test(need):
    """Every daemon a launcher starts (BIRD; FRR's zebra and bgpd) is checked at cleanup: one
    that died on its own is reported, so a dead peer cannot make a negative check pass; one
    the test stopped is not."""
    need("bird", "frr")
    lab = netlab.Lab("dead-daemon-selftest")
    try:
        a, b = two_hosts(lab)
        bird = Bird(a, "10.0.0.1", 65001, [{"neighbor": "10.0.0.2", "remote_as": 65002}])
        frr = Frr(b, "10.0.0.2", 65002, [{"neighbor": "10.0.0.1", "remote_as": 65001}])
        stopped = a.popen("stopped", ["sleep", "600"], check_exit=True)
        stopped.stop()
        for p in (bird.proc, frr.bgpd):
            os.kill(p.pid, signal.SIGKILL)
            wait_until(lambda: not p.alive(), 5, desc=f"{p.name} gone")
    finally:
        errors = lab.cleanup()
    died = sorted(e.split(" ")[0] for e in errors if "died during the test" in e)
    assert died == ["bird", "frr-bgpd"], errors
