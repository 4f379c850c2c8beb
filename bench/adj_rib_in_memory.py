#!/usr/bin/python3
"""DOC: what `neighbor A soft-reconfiguration inbound` costs per route (issue 12).

The benchmark's feeder (bench/feeder.c: the seeded, realistic table of bench/table.h) sends
N prefixes to one ternd (no kernel routes) twice: once without the flag and once with it.
Per run: the daemon's resident memory once all N are held (VmRSS, `show memory json`), and
the bytes of the store's entry pool ("bgp adj-rib-in IPv4"); with the flag, how long
`clear ip bgp A soft in` takes over the whole stored table. The store's cost per route is
the difference of the two RSS figures over N (entries, bucket arrays and any attribute set
of its own); the pool's bytes over N is the entries alone.

    sudo TERN_BUILD=$PWD/build bench/adj_rib_in_memory.py [-n 1000000]

Uses the namespace test library (tests/net/netlab.py); everything it makes goes on exit."""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "net"))

import netlab  # noqa: E402
from netlab import pair, wait_until  # noqa: E402
from routes_helpers import Feeder, feeder_path, pfx_rcvd, start_tern  # noqa: E402


def one_run(n, soft):
    lab = netlab.Lab(f"adjrib-{'soft' if soft else 'plain'}")
    try:
        a, b = pair(lab)
        lines = ["soft-reconfiguration inbound"] if soft else []
        tern = start_tern(a, "tern", "10.0.0.1", 65001,
                          [{"neighbor": "10.0.0.2", "remote_as": 65002, "passive": True, "lines": lines}],
                          no_kernel=True)
        Feeder(b, "10.0.0.1", "10.0.0.2", 65002, n, timeout=600)
        wait_until(lambda: pfx_rcvd(tern, "10.0.0.2") == n, 600, interval=1, desc=f"pfxRcvd {n}")
        memory = tern.show_json("memory")
        pool = memory.get("pools", {}).get("bgp adj-rib-in IPv4", {})
        result = {"rssKb": memory["rssKb"], "poolBytes": pool.get("bytes", 0),
                  "stored": pool.get("objects", 0), "attributeSets": memory["bgp"]["attributeSets"]}
        if soft:
            # the whole stored table through the import path again, in one callback today
            start = time.monotonic()
            tern.ternc("clear", "ip", "bgp", "10.0.0.2", "soft", "in")
            result["softInSeconds"] = time.monotonic() - start
        return result
    finally:
        lab.cleanup()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=1_000_000)
    args = parser.parse_args()
    if feeder_path() is None:
        sys.exit("bench/feeder is not built (ninja -C build)")
    plain = one_run(args.n, False)
    soft = one_run(args.n, True)
    n = args.n
    print(f"N = {n:,} prefixes from one feeder")
    print(f"without soft-reconfiguration: {plain['rssKb']:,} kB resident, {plain['attributeSets']:,} attribute sets")
    print(f"with soft-reconfiguration:    {soft['rssKb']:,} kB resident, {soft['attributeSets']:,} attribute sets, "
          f"{soft['stored']:,} routes stored")
    print(f"store entries (pool):   {soft['poolBytes'] / n:.1f} bytes per route")
    print(f"whole cost (RSS delta): {(soft['rssKb'] - plain['rssKb']) * 1024 / n:.1f} bytes per route")
    print(f"clear ip bgp A soft in over the stored table: {soft['softInSeconds']:.2f} s (ternc round trip)")


if __name__ == "__main__":
    main()
