"""IOS commands a learner types: output modifiers on every show, terminal length and the
--More-- pager, show history, show version, show clock (issue 13).

The modifiers are applied by ternd to the show's output as it is made (ctl/output_filter.h);
the pager is ternc's, at a pseudo-terminal only.
"""

import re

from netlab import Tern
from shell_helpers import PtyShell, ternc_run

SETUP = [
    "configure terminal",
    "interface lo0",
    "ip address 2.2.2.2 255.255.255.255",
    "router bgp 100",
    "neighbor 10.9.9.9 remote-as 200",
    "neighbor 10.9.9.9 description to bgp peer",
    "network 2.2.2.2 mask 255.255.255.255",
    "router rip",
    "version 2",
    "network 10.0.0.0",
    "end",
]


def run(tern, *cmds):
    result = ternc_run(tern, *cmds)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_output_modifiers(lab, need):
    need("ternd", "ternc")
    tern = Tern(lab.netns("R1"), "2.2.2.2", 100, [], name="R1")
    run(tern, *SETUP)
    whole = run(tern, "show running-config").splitlines()
    got = run(tern, "show running-config | include bgp").splitlines()
    assert got == [l for l in whole if "bgp" in l] and got, got
    assert "router bgp 100" in got
    got = run(tern, "sh run | exclude ^ [a-z]").splitlines()
    assert got == [l for l in whole if not l.startswith(" ")]
    got = run(tern, "show running-config | begin router rip").splitlines()
    assert got == whole[whole.index("router rip"):]
    got = run(tern, "show running-config | section router bgp").splitlines()
    start = whole.index("router bgp 100")
    end = start + 1
    while whole[end].startswith(" "):
        end += 1
    assert got == whole[start:end], got
    assert " neighbor 10.9.9.9 description to bgp peer" in got
    assert run(tern, "show running-config | count") == \
        f"Number of lines which match regexp = {len(whole)}\n"
    assert run(tern, "show running-config | count _10.9.9.9_") == \
        "Number of lines which match regexp = 2\n"
    # a streamed table view is filtered too
    routes = run(tern, "show ip route").splitlines()
    got = run(tern, "show ip route | include 2.2.2.2").splitlines()
    assert got == [l for l in routes if "2.2.2.2" in l] and got, (routes, got)
    # from a configuration mode, with do
    got = run(tern, "configure terminal", "do show running-config | include ^hostname")
    assert got.splitlines()[-1:] == ["hostname R1"], got
    assert len(got.splitlines()) == 2, got  # "Enter configuration commands...", then it
    # errors: an unknown modifier, a bad expression, a modifier after a non-show
    bad = ternc_run(tern, "show running-config | grep bgp")
    assert bad.returncode == 1 and "% Invalid input detected at '^' marker." in bad.stderr
    bad = ternc_run(tern, "show running-config | include a(b")
    assert bad.returncode == 1 and '% Invalid regular expression "a(b"' in bad.stderr
    bad = ternc_run(tern, "clear ip bgp * | include x")
    assert bad.returncode == 1 and "% Invalid input" in bad.stderr
    # `?` after the bar
    help_out = run(tern, "show running-config | ?")
    assert re.search(r"^  include +Include lines that match$", help_out, re.M), help_out
    assert re.search(r"^  \| +Output modifiers$", run(tern, "show ip route ?"), re.M)


def test_version_clock_history(lab, need):
    need("ternd", "ternc")
    tern = Tern(lab.netns("R1"), "2.2.2.2", 100, [], name="R1")
    version = run(tern, "show version")
    assert re.match(r"Tern Routing Suite, Version \d+\.\d+\.\d+\n", version), version
    assert re.search(r"^R1 uptime is \d+ minutes?$", version, re.M), version
    clock = run(tern, "show clock")
    assert re.fullmatch(r"\*\d\d:\d\d:\d\d\.\d{3} UTC (Sun|Mon|Tue|Wed|Thu|Fri|Sat) "
                        r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2} \d{4}\n",
                        clock), clock
    history = run(tern, "show clock", "sh ver | count", "show history")
    assert history.endswith("  show clock\n  sh ver | count\n  show history\n"), history
    # -c never pages, whatever the terminal length
    out = run(tern, "terminal length 2", "show running-config")
    assert "--More--" not in out and len(out.splitlines()) > 2


def test_pager_at_the_terminal(lab, need):
    need("ternd", "ternc")
    tern = Tern(lab.netns("R1"), "2.2.2.2", 100, [], name="R1")
    run(tern, *SETUP)
    whole = run(tern, "show running-config").splitlines()
    sh = PtyShell(tern)
    sh.expect(r"^R1#$")
    sh.line("terminal length 5")
    start = sh.mark()
    sh.type("show running-config\r")
    sh.expect(r"^ --More-- ?$", since=start + 1)
    shown = sh.screen()[start + 1:-1]
    assert shown == whole[:4], shown
    # each key is answered before the next is typed: the --More-- that the key puts below
    # what it showed is awaited, never the one already on the screen (which matches at once,
    # so on a loaded machine the next key could come before ternc had answered the last)
    sh.type(" ")  # a screen more: whole[4:8], then --More-- on line start + 9
    sh.expect(r"^ --More-- ?$", since=start + 9)
    sh.type("\r")  # a line more: whole[8], then --More-- on line start + 10
    sh.expect(r"^ --More-- ?$", since=start + 10)
    assert sh.screen()[start + 1:start + 10] == whole[:9], sh.text()
    sh.type("q")  # the rest is dropped
    sh.expect(r"^R1#$", since=start + 9)
    assert whole[9] not in sh.screen()[start + 10:]
    # length 0: no pause
    sh.line("terminal length 0")
    out = sh.line("show running-config")
    assert out == whole, out
    sh.type("exit\r")
    assert sh.wait_exit() == 0


def udp_datagrams_sent(ns):
    """Udp OutDatagrams of the namespace (/proc/net/snmp is the reader's namespace's)."""
    lines = [ln.split() for ln in ns.run(["cat", "/proc/net/snmp"]).stdout.splitlines() if ln.startswith("Udp:")]
    return int(lines[1][lines[0].index("OutDatagrams")])


def test_debug_ip_protocols(lab, need):
    """debug ip rip|ospf|bgp put that protocol's messages in ternd's log; show debugging
    lists what is on; undebug all turns everything off. The waits are for the line itself,
    bounded by more than a periodic update (RIP, 30 s) or three Hellos (OSPF, 10 s)."""
    from netlab import wait_until
    need("ternd", "ternc")
    r1, r2 = lab.netns("R1"), lab.netns("R2")
    lab.link(r1, r2, "10.0.1.1/24", "10.0.1.2/24", name_a="f0-0", name_b="f0-0")
    # a second network, for RIP to have something to send on f0/0
    lab.link(r1, lab.netns("R3"), "10.0.3.1/24", "10.0.3.2/24", name_a="f1-0", name_b="f0-0")
    tern = Tern(r1, "1.1.1.1", 100, [], name="R1")
    log = lambda: tern.proc.output()  # noqa: E731
    assert run(tern, "show debugging") == ""
    assert run(tern, "debug ip rip") == "RIP protocol debugging is on\n"
    assert run(tern, "debug ip ospf") == "OSPF packet debugging is on\n"
    assert run(tern, "debug ip bgp") == "BGP debugging is on for address family: IPv4 Unicast\n"
    assert run(tern, "show debugging") == ("IP routing:\n"
                                           "  BGP debugging is on for address family: IPv4 Unicast\n"
                                           "  OSPF packet debugging is on\n"
                                           "  RIP protocol debugging is on\n")
    run(tern, "configure terminal", "router rip", "version 2", "network 10.0.0.0",
        "router ospf 1", "network 10.0.1.0 0.0.0.255 area 0", "end")
    wait_until(lambda: re.search(r"RIP: sending v2 update to 224\.0\.0\.9 on FastEthernet0/0 \(\d+ entries\)",
                                 log()), 40,
               desc="RIP debug line")
    wait_until(lambda: re.search(r"OSPF: send v:2 t:1 \(Hello\) l:\d+ rid:\S+ aid:0\.0\.0\.0 "
                                 r"to 224\.0\.0\.5 on FastEthernet0/0", log()), 35, desc="OSPF debug line")
    assert run(tern, "undebug ip ospf") == "OSPF packet debugging is off\n"
    assert run(tern, "show debugging") == ("IP routing:\n"
                                           "  BGP debugging is on for address family: IPv4 Unicast\n"
                                           "  RIP protocol debugging is on\n")
    assert run(tern, "undebug all") == "All possible debugging has been turned off\n"
    assert run(tern, "show debugging") == ""
    assert run(tern, "debug ip rip", "no debug all").endswith("All possible debugging has been turned off\n")
    # off: a new RIP process's request and first update are not logged. Waited for by what
    # R1's namespace sent (UDP: only RIP uses it there), not by a fixed time that a loaded
    # machine may not reach them in: a request on each of the two interfaces at once (RFC
    # 2453 3.9.1), an update on each 1 to 2 seconds later
    before = log().count("RIP: sending")
    sent = udp_datagrams_sent(r1)
    run(tern, "configure terminal", "no router rip", "router rip", "version 2", "network 10.0.0.0", "end")
    wait_until(lambda: udp_datagrams_sent(r1) >= sent + 4, 40, desc="the new RIP process's request and update")
    assert log().count("RIP: sending") == before
    # user EXEC has no debug
    bad = ternc_run(tern, "disable", "debug ip rip")
    assert bad.returncode == 1
