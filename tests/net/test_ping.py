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
