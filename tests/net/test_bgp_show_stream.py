"""A full table's `show ip bgp` streams (chunked replies, src/ctl/ctl_proto.h and ctl.c).

Tern (10.0.0.1, AS 65001, `-n`: no kernel routes, the table is what matters) takes 200,000
prefixes from the benchmark's feeder (bench/feeder.c) at 10.0.0.2 (AS 65002). Then:
- `ternc show ip bgp json` lists all of them, and the text view counts them, while ternd's
  peak RSS (VmHWM, reset first through /proc/PID/clear_refs) grows by less than PEAK_KB: the
  table is never built in memory as text (it used to grow by ~90 MB for this table);
- a reader that stops reading holds back the show, not ternd: its memory stays put and it
  answers other sessions at once;
- the table may change under a show in progress (a tenth of it withdrawn): the JSON is still
  one valid document without a repeated prefix, holding every prefix that stayed;
- a show whose neighbour, or BGP, goes away ends with status 1 and a valid document; a reader
  that disconnects mid-show or closes its side after the request does no harm;
- `show ip route [json]`, the Loc-RIB merged with the core table (here the connected routes),
  streams the same way: all of them, in prefix order, in little memory (it grew ~97 MB for
  the JSON when it was built whole), other sessions answered while its reader pauses.
"""

import ipaddress
import json
import re
import time
from pathlib import Path

import pytest

import netlab
from netlab import CtlClient, pair, ternd_path, wait_until
from routes_helpers import Feeder, feeder_path, pfx_rcvd, start_tern, tern_exec

N = 200_000
PEAK_KB = 4096        # ternd's peak RSS may grow this much during a show of N prefixes
PAUSE_BYTES = 1 << 20  # a slow reader takes this much, then stops reading


def sanitized():
    """ternd built with ASan: its allocator quarantines freed memory, so peaks mean nothing."""
    return b"__asan_init" in ternd_path().read_bytes()


def proc_status(pid):
    """kB fields of /proc/PID/status (VmRSS, VmHWM...)."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if value.strip().endswith("kB"):
            out[key] = int(value.split()[0])
    return out


def reset_peak(pid):
    """VmHWM := VmRSS now (clear_refs 5, Linux 4.0), so the next peak is the show's."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")
    return proc_status(pid)["VmRSS"]


def peak_growth(pid, rss_before):
    """The peak's growth in kB since reset_peak (0 under ASan: not measurable there)."""
    if sanitized():
        return 0
    return proc_status(pid)["VmHWM"] - rss_before


def no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise AssertionError("a prefix appears twice in the JSON document")
    return dict(pairs)


def strict_json(data):
    return json.loads(data, object_pairs_hook=no_duplicates)


@pytest.fixture
def loaded(lab, need):
    need("tern")
    if feeder_path() is None:
        netlab.unavailable("bench/feeder not built (ninja -C build bench/feeder)")
    a, b = pair(lab)
    # hold 180 s: the feeder sends a KEEPALIVE every 30 s only (the quick timers of the
    # other route tests would drop the session between two shows)
    tern = start_tern(a, "tern", "10.0.0.1", 65001,
                      [{"neighbor": "10.0.0.2", "remote_as": 65002, "passive": True,
                        "timers": (60, 180)}],
                      no_kernel=True)
    feeder = Feeder(b, "10.0.0.1", "10.0.0.2", 65002, N)
    wait_until(lambda: pfx_rcvd(tern, "10.0.0.2") == N, 60, interval=0.5, desc=f"pfxRcvd {N}")
    pid = tern.proc.pid  # `ip netns exec` execs: the pid is ternd's
    assert Path(f"/proc/{pid}/comm").read_text().strip() == "ternd"
    return tern, feeder, pid


def paused_show(tern, command):
    """A session that asked for `command`, took PAUSE_BYTES of its chunks and stopped reading.
    Returns (client, the bytes so far)."""
    c = CtlClient(tern.sock, timeout=30)
    c.send(command)
    status, length = c.header()
    assert (status, length) == (0, None), "a table view is chunked"
    parts, got = [], 0
    while got < PAUSE_BYTES:
        data = c.chunk()
        assert data, "the show ended before the pause"
        parts.append(data)
        got += len(data)
    return c, parts


def rest_of(c, parts):
    """Reads the rest of a chunked reply: (status, output, closing text)."""
    while True:
        data = c.chunk()
        if not data:
            break
        parts.append(data)
    status, tail = c.finish()
    return status, b"".join(parts), tail


def test_full_table_shown_whole_in_little_memory(loaded):
    tern, _, pid = loaded
    rss = reset_peak(pid)
    start = time.monotonic()
    r = tern.ternc("show", "ip", "bgp", "json", timeout=60)
    took = time.monotonic() - start
    growth = peak_growth(pid, rss)
    routes = strict_json(r.stdout)["routes"]
    assert len(routes) == N
    assert all(paths and paths[0]["best"] for paths in routes.values())
    print(f"show ip bgp json: {len(r.stdout) / 1e6:.1f} MB in {took:.2f} s, "
          f"ternd peak RSS +{growth} kB")
    assert growth < PEAK_KB, f"ternd's peak RSS grew {growth} kB during the show"

    rss = reset_peak(pid)
    r = tern.ternc("show", "ip", "bgp", timeout=60)
    growth = peak_growth(pid, rss)
    lines = r.stdout.splitlines()
    assert lines[-1] == f"Total number of prefixes {N}"
    assert sum(1 for ln in lines if ln.startswith(" *>")) == N
    assert growth < PEAK_KB, f"ternd's peak RSS grew {growth} kB during the text show"

    # Prefix order, as before the streaming (IOS order)
    keys = list(routes)
    sample = keys[:: max(1, N // 5000)]
    nets = [ipaddress.ip_network(k) for k in sample]
    assert nets == sorted(nets, key=lambda n: (n.network_address, n.prefixlen))


def test_slow_reader_holds_back_the_show_not_ternd(loaded):
    tern, _, pid = loaded
    rss = reset_peak(pid)
    c, parts = paused_show(tern, "show ip bgp json")
    with c:
        # ternd waits for this reader with a slice in hand, and serves everyone else meanwhile
        for _ in range(3):
            start = time.monotonic()
            summary = tern.summary()
            assert time.monotonic() - start < 2
            assert summary["peers"]["10.0.0.2"]["pfxRcvd"] == N
        growth = peak_growth(pid, rss)
        assert growth < PEAK_KB, f"ternd buffered for the slow reader: peak RSS +{growth} kB"
        status, output, tail = rest_of(c, parts)
    assert (status, tail) == (0, b"")
    assert len(strict_json(output)["routes"]) == N


def test_table_changes_under_a_show(loaded):
    tern, feeder, _ = loaded
    before = set(tern.show_json("ip", "bgp")["routes"])
    assert len(before) == N
    c, parts = paused_show(tern, "show ip bgp json")
    with c:
        feeder.send("churn-withdraw")  # every tenth prefix goes, while the show waits
        wait_until(lambda: feeder.has("done"), 30, desc="churn sent")
        wait_until(lambda: pfx_rcvd(tern, "10.0.0.2") == N - N // 10, 30, desc="churn applied")
        # the same session asks again before the show's end: answered after it, in order
        c.send("show ip bgp summary json")
        status, output, tail = rest_of(c, parts)
        s2, summary, _ = c.reply()
    assert (status, tail, s2) == (0, b"", 0)
    assert json.loads(summary)["peers"]["10.0.0.2"]["pfxRcvd"] == N - N // 10
    during = set(strict_json(output)["routes"])
    after = set(tern.show_json("ip", "bgp")["routes"])
    assert len(after) == N - N // 10
    # every prefix that stayed is there once; the withdrawn ones may or may not be
    assert after <= during <= before
    assert len(during) < N  # the withdrawals after the pause are seen
    assert tern.established("10.0.0.2")
    # BGP itself goes while the text view waits
    c, parts = paused_show(tern, "show ip bgp")
    with c:
        tern_exec(tern, "configure terminal", "no router bgp 65001", "end")
        status, output, tail = rest_of(c, parts)
    assert (status, tail) == (1, b"% Output incomplete: BGP was stopped during the show\n")
    assert output.startswith(b"BGP table version is 1")
    assert tern.proc.alive() and tern.ternc_ok("show", "ip", "protocols")


def test_show_outlives_neighbor_and_readers(loaded):
    tern, _, _ = loaded
    # a reader that goes away mid-show, and one that closes its side after asking
    c, _ = paused_show(tern, "show ip bgp")
    c.close()
    with CtlClient(tern.sock, timeout=30) as c:
        c.send("show ip bgp summary json")
        c.sock.shutdown(1)  # SHUT_WR
        status, summary, _ = c.reply()
        assert status == 0 and json.loads(summary)["peers"]["10.0.0.2"]["pfxRcvd"] == N
    with CtlClient(tern.sock, timeout=30) as c:
        c.send("show ip bgp json")
        c.sock.shutdown(1)
        status, output, chunks = c.reply()
        assert status == 0 and chunks > 1
        assert len(strict_json(output)["routes"]) == N
    # the neighbour of a neighbour view goes while the view waits
    c, parts = paused_show(tern, "show ip bgp neighbors 10.0.0.2 routes json")
    with c:
        tern.configure("no neighbor 10.0.0.2")
        status, output, tail = rest_of(c, parts)
    assert (status, tail) == (1, b"% Output incomplete: the neighbor was removed during the show\n")
    assert len(strict_json(output)["routes"]) < N
    assert tern.responsive()


def prefix_order(prefix):
    """`show ip route`'s order: IPv4 before IPv6, then address, then length (IOS)."""
    n = ipaddress.ip_network(prefix)
    return n.version, n.network_address, n.prefixlen


def test_route_table_streams(loaded):
    """`show ip route` merges the core table (here the connected routes) with the Loc-RIB's
    best paths: streamed the same way, in prefix order, while other sessions are answered."""
    tern, _, pid = loaded
    rss = reset_peak(pid)
    start = time.monotonic()
    r = tern.ternc("show", "ip", "route", "json", timeout=60)
    took = time.monotonic() - start
    growth = peak_growth(pid, rss)
    routes = strict_json(r.stdout)["routes"]
    print(f"show ip route json: {len(r.stdout) / 1e6:.1f} MB in {took:.2f} s, "
          f"ternd peak RSS +{growth} kB")
    # every BGP route, and besides them only the link's connected and local routes
    assert sum(1 for e in routes.values() if e[0]["protocol"] == "bgp") == N
    assert {p: [e["protocol"] for e in es] for p, es in routes.items() if es[0]["protocol"] != "bgp"} == {
        "10.0.0.0/24": ["connected"], "10.0.0.1/32": ["local"]}
    assert list(routes) == sorted(routes, key=prefix_order)
    assert all(e[0]["selected"] for e in routes.values())
    assert growth < PEAK_KB, f"ternd's peak RSS grew {growth} kB during show ip route json"

    rss = reset_peak(pid)
    start = time.monotonic()
    r = tern.ternc("show", "ip", "route", timeout=60)
    took = time.monotonic() - start
    growth = peak_growth(pid, rss)
    print(f"show ip route: {len(r.stdout) / 1e6:.1f} MB in {took:.2f} s, ternd peak RSS +{growth} kB")
    lines = r.stdout.splitlines()
    assert lines[0].startswith("Codes: L - local, C - connected")
    # IOS's layout: a subnet of a classful network at column 9 under its network's header,
    # any other prefix at column 6
    assert sum(1 for ln in lines if re.match(r"B {5}( {3})?\d", ln)) == N
    assert "C        10.0.0.0/24 is directly connected, eth0" in lines
    assert "L        10.0.0.1/32 is directly connected, eth0" in lines
    assert growth < PEAK_KB, f"ternd's peak RSS grew {growth} kB during show ip route"

    # a reader that stops: ternd answers others meanwhile (a single prefix is not streamed)
    rss = reset_peak(pid)
    c, parts = paused_show(tern, "show ip route json")
    with c:
        for _ in range(3):
            start = time.monotonic()
            one = tern.show_json("ip", "route", "10.0.0.1")["routes"]
            assert time.monotonic() - start < 2
            assert list(one) == ["10.0.0.0/24", "10.0.0.1/32"]
        assert tern.summary()["peers"]["10.0.0.2"]["pfxRcvd"] == N
        growth = peak_growth(pid, rss)
        assert growth < PEAK_KB, f"ternd buffered for the slow reader: peak RSS +{growth} kB"
        status, output, tail = rest_of(c, parts)
    assert (status, tail) == (0, b"")
    after = strict_json(output)["routes"]
    assert list(after) == list(routes)  # the same prefixes in the same order (ages move on)
