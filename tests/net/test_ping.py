"""ping and traceroute typed on a Tern router (issue 13): ICMP from ternd's namespace, with
IOS's output. R1 -(10.0.1.0/24)- R2 -(10.0.2.0/24)- host, R2 forwarding; the routes are the
kernel's, set up by the test."""

import re
import time

from netlab import Tern
from shell_helpers import ternc_run


def chain(lab):
    r1, r2, host = lab.netns("R1"), lab.netns("R2"), lab.netns("host")
    lab.link(r1, r2, "10.0.1.1/24", "10.0.1.2/24", name_a="f0-0", name_b="f0-0")
    lab.link(r2, host, "10.0.2.1/24", "10.0.2.2/24", name_a="f1-0", name_b="eth0")
    r1.loopback("1.1.1.1")
    r2.forwarding()
    r1.route("10.0.2.0/24", via="10.0.1.2")
    host.route("10.0.1.0/24", via="10.0.2.1")
    host.route("1.1.1.1/32", via="10.0.2.1")
    r2.route("1.1.1.1/32", via="10.0.1.1")
    return r1, r2, host


def ping(tern, line, ok=True):
    result = ternc_run(tern, line, timeout=60)
    assert (result.returncode == 0) == ok, (result.stdout, result.stderr)
    return result.stdout if ok else result.stderr


def test_ping_and_traceroute(lab, need):
    need("ternd", "ternc")
    r1, r2, _ = chain(lab)
    tern = Tern(r1, "1.1.1.1", 100, [], name="R1")
    Tern(r2, "2.2.2.2", 100, [], name="R2")
    out = ping(tern, "ping 10.0.1.2")
    lines = out.splitlines()
    assert lines[:3] == ["Type escape sequence to abort.",
                         "Sending 5, 100-byte ICMP Echos to 10.0.1.2, timeout is 2 seconds:",
                         "!!!!!"], out
    assert re.fullmatch(r"Success rate is 100 percent \(5/5\), round-trip min/avg/max = "
                        r"(\d+)/(\d+)/(\d+) ms", lines[3]), out
    assert len(lines) == 4, out
    # two hops, options, and the source given as an address or an interface
    out = ping(tern, "ping 10.0.2.2 repeat 3 size 300 timeout 1 source 1.1.1.1")
    assert "Sending 3, 300-byte ICMP Echos to 10.0.2.2, timeout is 1 seconds:\n" in out, out
    assert "Packet sent with a source address of 1.1.1.1\n!!!\n" in out, out
    assert "Success rate is 100 percent (3/3)" in out
    out = ping(tern, "ping 10.0.2.2 rep 2 source lo0")
    assert "Packet sent with a source address of 1.1.1.1\n!!\n" in out, out
    out = ping(tern, "ping 10.0.1.2 repeat 1 source f0/0")
    assert "Packet sent with a source address of 10.0.1.1\n!\n" in out, out
    # no answer: dots, and the rate without times
    start = time.monotonic()
    out = ping(tern, "ping 10.0.1.99 repeat 2 timeout 1")
    assert "\n..\nSuccess rate is 0 percent (0/2)\n" in out, out
    assert time.monotonic() - start >= 1.5
    # no route: not sent, counted lost
    out = ping(tern, "ping 192.0.2.1 repeat 3")
    assert out.endswith("\n...\nSuccess rate is 0 percent (0/3)\n"), out
    # errors
    assert "Invalid source interface" in ping(tern, "ping 10.0.1.2 source f9/9", ok=False)
    assert "% Invalid input" in ping(tern, "ping 10.0.1.2 repeat 0", ok=False)
    # traceroute: one line a hop, the destination last
    out = ping(tern, "traceroute 10.0.2.2")
    lines = out.splitlines()
    assert lines[:3] == ["Type escape sequence to abort.", "Tracing the route to 10.0.2.2", ""], out
    assert re.fullmatch(r"  1 10\.0\.1\.2( \d+ msec){3}", lines[3]), out
    assert re.fullmatch(r"  2 10\.0\.2\.2( \d+ msec){3}", lines[4]), out
    assert len(lines) == 5, out
    # the daemon kept answering meanwhile, and a filtered ping works as any show would not:
    # ping is not a show, so no modifier
    assert "% Invalid input" in ping(tern, "ping 10.0.1.2 | include !", ok=False)


def test_show_ip_route_parts(lab, need):
    """show ip route connected|static|ospf, A, A M, A M longer-prefixes, on the kernel's real
    interfaces; the whole table's text is unchanged by the parts."""
    need("ternd", "ternc")
    r1, r2 = lab.netns("R1"), lab.netns("R2")
    lab.link(r1, r2, "10.0.1.1/24", "10.0.1.2/24", name_a="f0-0", name_b="f0-0")
    tern = Tern(r1, "1.1.1.1", 100, [], name="R1")
    run = lambda *cmds: ternc_run(tern, *cmds)  # noqa: E731
    assert run("configure terminal", "ip route 192.0.2.0 255.255.255.0 10.0.1.2",
               "ip route 198.51.100.0 255.255.255.128 10.0.1.2", "end").returncode == 0
    whole = run("show ip route").stdout
    assert "S        198.51.100.0/25 [1/0] via 10.0.1.2" in whole, whole
    body = lambda text: [l for l in text.splitlines()[6:] if l]  # noqa: E731  (after the legend)
    static = run("show ip route static").stdout
    assert static.startswith("Codes: L - local"), static
    assert [l for l in body(static) if l.startswith("S")] == [l for l in body(whole) if l.startswith("S")]
    # a classful header counts only what is shown: 10.0.0.0/8 (C and L) is not
    assert "      198.51.100.0/25 is subnetted, 1 subnets" in body(static), static
    assert "10.0.0.0/8" not in static
    assert "is directly connected" not in static
    connected = body(run("show ip route connected").stdout)
    assert any(l.startswith("C ") and "10.0.1.0/24 is directly connected, " in l for l in connected), connected
    assert any(l.startswith("L ") and "10.0.1.1/32" in l for l in connected), connected
    assert not any(l.startswith("S") for l in connected)
    assert body(run("show ip route ospf").stdout) == []
    # the routing entry of an address (longest match) and of a prefix
    entry = run("show ip route 192.0.2.5").stdout
    assert entry == ("Routing entry for 192.0.2.0/24\n"
                     "  Known via \"static\", distance 1, metric 0\n"
                     "  Routing Descriptor Blocks:\n"
                     "  * 10.0.1.2\n"
                     "      Route metric is 0, traffic share count is 1\n"), entry
    entry = run("show ip route 10.0.1.0 255.255.255.0").stdout
    assert entry.startswith("Routing entry for 10.0.1.0/24\n  Known via \"connected\", distance 0"), entry
    assert "  * directly connected, via FastEthernet0/0\n" in entry, entry
    bad = run("show ip route 8.8.8.8")
    assert bad.returncode == 1 and "% Network not in table" in bad.stderr
    bad = run("show ip route 192.0.2.0 255.255.255.128")
    assert bad.returncode == 1 and "% Subnet not in table" in bad.stderr
    longer = body(run("show ip route 198.51.100.0 255.255.255.0 longer-prefixes").stdout)
    assert [l.split()[0] for l in longer if not l.startswith(" ")] == ["S"], longer
    assert any("198.51.100.0/25 [1/0] via 10.0.1.2" in l for l in longer), longer
    assert not any("192.0.2.0" in l for l in longer)
    # json of a part, and a modifier on a part
    import json
    parts = json.loads(run("show ip route static json").stdout)["routes"]
    assert set(parts) == {"192.0.2.0/24", "198.51.100.0/25"}, parts
    assert run("show ip route static | count").stdout == \
        f"Number of lines which match regexp = {len(static.splitlines())}\n"
