"""A peer sends 100,000 prefixes, then its session drops: nothing of it may stay behind, in
Tern's BGP table, its summary, or the kernel. Correctness only (the benchmark measures); the
timeouts are generous.

Two ways to drop: the benchmark's feeder (bench/feeder.c, if built) sends Cease and closes;
BIRD (100,000 generated static routes) is killed with SIGKILL, so the connection just closes."""

import ipaddress

import pytest

import netlab
from netlab import pair, wait_until
from routes_helpers import (BirdConf, Feeder, bgp_routes, bird_bgp, feeder_path,
                            kernel_count, pfx_rcvd, route_table, start_tern)

N = 100_000
LOAD = 240       # seconds to load 100k prefixes into Tern and the kernel, with room to spare
DRAIN = 180      # seconds for them all to go


def bird_table(n):
    """n distinct /24s from 11.0.0.0 up."""
    base = int(ipaddress.IPv4Address("11.0.0.0"))
    return "".join(f"  route {ipaddress.IPv4Address(base + (i << 8))}/24 blackhole;\n"
                   for i in range(n))


@pytest.mark.parametrize("source", ["feeder", "bird"])
def test_full_table_dropped_leaves_nothing(lab, need, source):
    """Tern (10.0.0.1, AS 65001) takes 100,000 prefixes from 10.0.0.2 (AS 65002): pfxRcvd and
    the kernel's proto-201 table reach 100,000. The session drops (feeder: Cease then close;
    BIRD: SIGKILL): pfxRcvd goes to 0, `show ip bgp json` and `show ip route json` hold no BGP
    route, `ip route show proto 201` is empty, and ternd is still answering."""
    need("tern")
    if source == "feeder" and feeder_path() is None:
        netlab.unavailable("bench/feeder not built (ninja -C build bench/feeder)")
    if source == "bird":
        need("bird")
    a, b = pair(lab)
    tern = start_tern(a, "tern", "10.0.0.1", 65001,
                      [{"neighbor": "10.0.0.2", "remote_as": 65002,
                        "passive": source == "feeder"}])
    if source == "feeder":
        feeder = Feeder(b, "10.0.0.1", "10.0.0.2", 65002, N)
    else:
        conf = (bird_bgp("10.0.0.2", 65002, "10.0.0.1", 65001)
                + f"protocol static big {{\n  ipv4;\n{bird_table(N)}}}\n")
        bird = BirdConf(b, "10.0.0.2", conf, name="bird-b")

    wait_until(lambda: tern.established("10.0.0.2"), 60, desc="session up")
    wait_until(lambda: pfx_rcvd(tern, "10.0.0.2") == N, LOAD, interval=1,
               desc=f"pfxRcvd {N}")
    wait_until(lambda: kernel_count(a) == N, LOAD, interval=2, desc=f"{N} kernel routes")
    # the JSON view really lists them (so that "empty" below means something)
    assert len(bgp_routes(tern)) == N

    if source == "feeder":
        assert feeder.has("sent"), feeder.events()
        feeder.send("drop")
        wait_until(lambda: feeder.has("dropped") or not feeder.proc.alive(), 30,
                   desc="feeder dropped the session")
    else:
        bird.proc.kill()

    wait_until(lambda: not tern.established("10.0.0.2"), 60, desc="session down")
    wait_until(lambda: not pfx_rcvd(tern, "10.0.0.2"), DRAIN, interval=1, desc="pfxRcvd 0")
    wait_until(lambda: bgp_routes(tern) == {}, DRAIN, interval=1, desc="empty BGP table")
    wait_until(lambda: kernel_count(a) == 0, DRAIN, interval=1, desc="no kernel route left")
    rt = route_table(tern)
    left = [p for p, es in rt.items() if any(e.get("protocol") == "bgp" for e in es)]
    assert not left, left[:10]
    assert tern.responsive()
