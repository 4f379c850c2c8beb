#!/usr/bin/python3
"""DOC: where the seconds of `make demo` went, as the routers themselves report them.

scripts/demo.sh calls this once PC1 pings PC2. Every time printed comes from a router's own
state, read over its control socket, and is measured from the moment `tern-lab up` started:

- OSPF: when each broadcast interface left Waiting and why (`show ip ospf interface json`,
  wait_ended_ms and wait_ended_by), when each adjacency reached Full (`show ip ospf neighbor
  json`, up_ms);
- the IGP's route to each BGP neighbour that is not on a connected subnet, i.e. the loopback
  an IBGP session runs between (`show ip route json`, uptime_ms of the OSPF, RIP or static
  route);
- BGP: when each session was Established and when the first UPDATE with routes came in
  (`show bgp neighbors A messages json`, the session's message log with its timestamps);
- the first ping reply from PC1 to PC2, as the demo's own polling saw it.

A router reports an age (milliseconds before the moment it was asked); the age is turned into
a time by the clock of the moment of asking. Message logs carry wall-clock timestamps.

Usage: demo_times.py TERN_LAB LAB START UP_DONE PING ROUTER... (times: seconds since the epoch)
"""
import datetime
import ipaddress
import json
import subprocess
import sys
import time


def ask(tern_lab, lab, node, command):
    """The JSON a router answers to `command`, and the wall-clock time it was asked at."""
    before = time.time()
    done = subprocess.run([tern_lab, "exec", f"{lab}/{node}", "--", *command.split(), "json"],
                          capture_output=True, text=True, timeout=20)
    at = (before + time.time()) / 2
    if done.returncode != 0:
        return None, at
    try:
        return json.loads(done.stdout), at
    except ValueError:
        return None, at


def log_time(text):
    """A message log timestamp ("2026-12-06T06:32:17.891Z") in seconds since the epoch."""
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(
        tzinfo=datetime.timezone.utc).timestamp()


def main(argv):
    if len(argv) < 6:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    tern_lab, lab = argv[0], argv[1]
    start, up_done, ping = float(argv[2]), float(argv[3]), float(argv[4])
    routers = argv[5:]
    events = []  # (time, what)

    # Whose address is whose: neighbours are named by router.
    owner, subnets = {}, {}
    for r in routers:
        brief, _ = ask(tern_lab, lab, r, "show ip interface brief")
        subnets[r] = []
        for ifc in (brief or {}).get("interfaces", {}).values():
            for a in ifc.get("addresses", []):
                net = ipaddress.ip_interface(a)
                if net.version == 4 and not net.ip.is_loopback:
                    owner[str(net.ip)] = r
                    subnets[r].append(net.network)

    def name(addr):
        return owner.get(addr, addr)

    full, established = {}, {}
    for r in routers:
        # OSPF: the end of Waiting on each interface with neighbours, each adjacency Full
        ifs, at = ask(tern_lab, lab, r, "show ip ospf interface")
        for i in (ifs or {}).get("interfaces", []):
            if i.get("wait_ended_ms") is not None and i.get("neighbors", 0) > 0:
                events.append((at - i["wait_ended_ms"] / 1000,
                               f"{r} {i['name']}: OSPF Wait ended ({i['wait_ended_by']}), "
                               f"{r} is {i['state']} there"))
        nbrs, at = ask(tern_lab, lab, r, "show ip ospf neighbor")
        for n in (nbrs or {}).get("neighbors", []):
            if n.get("state") == "FULL":
                pair = tuple(sorted((r, name(n["address"]))))
                full[pair] = max(full.get(pair, 0), at - n["up_ms"] / 1000)

        # The IGP's route to each BGP neighbour off the connected subnets (IBGP loopbacks)
        summary, _ = ask(tern_lab, lab, r, "show ip bgp summary")
        peers = (summary or {}).get("peers", {})
        routes, at = ask(tern_lab, lab, r, "show ip route")
        table = (routes or {}).get("routes", {})
        for addr in peers:
            ip = ipaddress.ip_address(addr)
            if ip.version != 4 or any(ip in net for net in subnets[r]):
                continue
            best = None
            for prefix, candidates in table.items():
                net = ipaddress.ip_network(prefix)
                if net.version == 4 and ip in net and (best is None or net.prefixlen > best[0].prefixlen):
                    best = (net, candidates)
            chosen = [c for c in best[1] if c.get("selected")] if best else []
            if chosen and chosen[0].get("uptime_ms") is not None:
                events.append((at - chosen[0]["uptime_ms"] / 1000,
                               f"{r}: route {best[0]} ({chosen[0]['protocol'].upper()}) to "
                               f"{name(addr)}'s {addr}, its BGP neighbour"))

        # BGP: Established, and the first UPDATE with routes after it, from the message log
        for addr, peer in peers.items():
            log, _ = ask(tern_lab, lab, r, f"show bgp neighbors {addr} messages")
            up = None
            for m in (log or {}).get("messages", []):
                if m.get("type") == "established":
                    up = log_time(m["time"])
                elif up and m.get("direction") == "received" and m.get("type") == "update":
                    text = m.get("text", "")
                    count = text.split("UPDATE received: ", 1)[-1].split(" ", 1)[0]
                    if count.isdigit() and int(count) > 0:
                        events.append((log_time(m["time"]),
                                       f"{r} <- {name(addr)}: first UPDATE with routes ({count} prefix"
                                       f"{'' if count == '1' else 'es'})"))
                        break
            if up:
                kind = "IBGP" if peer.get("remoteAs") == (summary or {}).get("as") else "EBGP"
                pair = tuple(sorted((r, name(addr))))
                established[pair] = (max(established.get(pair, (0,))[0], up), kind)

    for (a, b), t in full.items():
        events.append((t, f"{a}-{b}: OSPF adjacency Full on both sides"))
    for (a, b), (t, kind) in established.items():
        events.append((t, f"{a}-{b}: BGP session Established ({kind}) on both sides"))
    events.append((up_done, "tern-lab up returned: namespaces, links and every ternd started"))
    events.append((ping, "PC1 -> PC2: first ping reply (as the demo's polling, every 0.1-0.3 s, saw it)"))

    print("Where the seconds went (from `tern-lab up`; each line as the router reports it):")
    last = 0.0
    for t, what in sorted(events):
        s = t - start
        print(f"  {s:6.2f} s  (+{max(s - last, 0):5.2f})  {what}")
        last = max(last, s)
    if any("OSPF Wait ended (WaitTimer)" in what for _, what in events):
        print("OSPF's Wait timer is the dead interval (RFC 2328 §9.3); BackupSeen ends it early only\n"
              "where a neighbour is already DR or BDR, and here the routers all start together.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
