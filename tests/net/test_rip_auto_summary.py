"""RIP auto-summary between two Terns (issue 13): with it, A's subnets of 172.16.0.0/16 reach
B, across the 10.0.1.0/24 link, as 172.16.0.0/16; without it (Tern's default), as they are;
turning it on and off takes effect within seconds and round-trips in the running config."""

from netlab import wait_until
from test_rip import UP, RipTern, rip_conf


def test_auto_summary_at_a_major_network_boundary(lab, need):
    need("ternd", "ternc")
    a, b = lab.netns("a"), lab.netns("b")
    lab.link(a, b, "10.0.1.1/24", "10.0.1.2/24", name_a="eth0", name_b="eth0")
    lab.link(a, lab.netns("s1"), "172.16.1.1/24", "172.16.1.2/24", name_a="eth1", name_b="eth0")
    lab.link(a, lab.netns("s2"), "172.16.2.1/24", "172.16.2.2/24", name_a="eth2", name_b="eth0")
    ta = RipTern(a, rip_conf("A", ["10.0.0.0", "172.16.0.0"]), name="A")
    tb = RipTern(b, rip_conf("B", ["10.0.0.0"]), name="B")
    # the default: subnets as they are
    wait_until(lambda: {"172.16.1.0/24", "172.16.2.0/24"} <= set(tb.database()), UP,
               desc="B learns A's subnets")
    assert "172.16.0.0/16" not in tb.database()
    # auto-summary on A: B hears 172.16.0.0/16 (metric 2: A's connected 1, plus one hop)
    r = ta.ternc("-c", "configure terminal", "-c", "router rip", "-c", "auto-summary", "-c", "end")
    assert r.returncode == 0, r.stderr
    wait_until(lambda: tb.database().get("172.16.0.0/16", {}).get("metric") == 2, 10,
               desc="B learns the summary")
    config = ta.ternc("show", "running-config").stdout
    assert "\n auto-summary\n" in config and "no auto-summary" not in config, config
    assert "Automatic network summarization is in effect" in ta.ternc("show", "ip", "protocols").stdout
    # (the subnets are no longer advertised and would time out at B after 180 s: not waited
    # for here; test_rip.c checks what is sent)
    # off again: the subnets come back as they are, the configuration says so
    r = ta.ternc("-c", "configure terminal", "-c", "router rip", "-c", "no auto-summary", "-c", "end")
    assert r.returncode == 0, r.stderr
    assert "\n no auto-summary\n" in ta.ternc("show", "running-config").stdout
    assert "Automatic network summarization is not in effect" in ta.ternc("show", "ip", "protocols").stdout
