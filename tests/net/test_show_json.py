"""Every `show ... json` of the grammar prints valid JSON (RFC 8259), in a lab with something
to show: two Terns running BGP, OSPF and RIP to each other.

    sa (stub) --- A (AS 65001, 10.0.0.1) ---- 10.0.12.0/24 ---- B (AS 65002, 10.0.0.2) --- sb (stub)

Each takes the other's routes through `route-map RM in` (matching prefix-list PL) with
`soft-reconfiguration inbound`; each announces a static /16 into BGP; OSPF area 0 and RIPv2
run on the link and the stub links.

The list of commands is not written here: it is every row of the command table
(src/config/commands.c, printed by the build's `grammar_rows`) that starts with `show` and ends
with `json`, with real arguments put for its placeholders. A new `show ... json` row is
covered as soon as it exists; one with a placeholder this file does not know fails until its
argument is added to ARGUMENTS. TERN_SHOW_JSON_SAVE=DIR writes each output to DIR (to compare
two builds' output byte for byte)."""

import json
import os
import pathlib

from netlab import Tern, run, wait_until

UP = 40

# A placeholder of the grammar -> the argument used in this lab, for a command run on A.
ARGUMENTS = {
    "ADDR": "10.0.12.2",          # B, A's BGP neighbour
    "NETWORK": "10.60.0.0",       # B's prefix, in A's BGP table and routing table
    "MASK": "255.255.0.0",
    "PREFIX": "10.60.0.0/16",
    "IFNAME": "eth0",
    "PL-NAME": "PL",
    "RM-NAME": "RM",
}
# LSID: per LSA kind (a router-LSA's ID is its router's ID; the link's network-LSA is named
# after the DR's address; A has no summary, ASBR-summary or external LSA: an empty answer).
LSIDS = {"router": "10.0.0.2", "network": "10.0.12.2"}


def config(name, rid, asn, peer, peer_as, stub_net, announce):
    text = f"hostname {name}\n"
    # quotes and a backslash in descriptions: JSON strings must be escaped
    text += ('interface eth0\n description link to "the other" \\ router\n ip ospf hello-interval 1\n'
             ' ip ospf dead-interval 4\n!\n')
    text += f"ip route {announce} 255.255.0.0 {stub_net.rsplit('.', 1)[0]}.2\n"
    text += ("ip prefix-list PL seq 5 permit 10.60.0.0/16\n"
             "ip prefix-list PL seq 6 permit 10.50.0.0/16\n"
             "ip prefix-list PL seq 8 deny 10.70.0.0/16 ge 20 le 24\n"
             "ip prefix-list PL seq 10 deny 0.0.0.0/0 le 32\n"
             "ip community-list standard CL permit 65000:1\n"
             "route-map RM permit 10\n match ip address prefix-list PL\n set local-preference 200\n"
             " set metric 7\n set community 65000:1 65000:2 additive\n set as-path prepend 65100 65100\n!\n"
             "route-map RM permit 20\n match community CL\n!\n"
             "route-map RM permit 30\n!\n")
    text += (f"router ospf 1\n router-id {rid}\n network 10.0.12.0 0.0.0.255 area 0\n"
             f" network {stub_net} 0.0.0.255 area 0\n!\n")
    text += "router rip\n version 2\n network 10.0.0.0\n no auto-summary\n!\n"
    text += (f"router bgp {asn}\n bgp router-id {rid}\n neighbor {peer} remote-as {peer_as}\n"
             f" neighbor {peer} timers 2 6\n neighbor {peer} description the \"other\" AS\n"
             f" network {announce} mask 255.255.0.0\n")
    text += f" neighbor {peer} route-map RM in\n neighbor {peer} soft-reconfiguration inbound\n"
    return text


def show_json_rows():
    """Every `show ... json` row of the command table, as token lists."""
    build = pathlib.Path(os.environ.get("TERN_BUILD", pathlib.Path(__file__).resolve().parents[2] / "build"))
    out = run([str(build / "grammar_rows")], check=True, timeout=10).stdout
    rows = [ln.split() for ln in out.splitlines()]
    return [r for r in rows if r and r[0] == "show" and r[-1] == "json"]


def arguments_for(row):
    words = []
    for i, token in enumerate(row):
        if token == "LSID":
            words.append(LSIDS.get(row[i - 1], "10.0.0.1"))
        elif token in ARGUMENTS:
            words.append(ARGUMENTS[token])
        else:
            assert not token.isupper(), f"no argument for {token} in `{' '.join(row)}`: add it to ARGUMENTS"
            words.append(token)
    return words


def test_every_show_json_command_prints_valid_json(lab, need):
    need("ternd", "ternc")
    rows = show_json_rows()
    assert len(rows) >= 40, rows   # the table has them: a broken listing must not pass
    a, b, sa, sb = lab.netns("a"), lab.netns("b"), lab.netns("sa"), lab.netns("sb")
    lab.link(a, b, "10.0.12.1/24", "10.0.12.2/24", name_a="eth0", name_b="eth0")
    lab.link(a, sa, "10.1.0.1/24", "10.1.0.2/24", name_a="eth1", name_b="eth0")
    lab.link(b, sb, "10.2.0.1/24", "10.2.0.2/24", name_a="eth1", name_b="eth0")
    for ns in (a, b):
        ns.forwarding()
    ta = Tern(a, "10.0.0.1", 65001, [], name="A", config=config(
        "A", "10.0.0.1", 65001, "10.0.12.2", 65002, "10.1.0.0", "10.50.0.0"))
    tb = Tern(b, "10.0.0.2", 65002, [], name="B", config=config(
        "B", "10.0.0.2", 65002, "10.0.12.1", 65001, "10.2.0.0", "10.60.0.0"))
    # something to show in every protocol, on both routers (each is asked about the other's
    # prefix and neighbour below, and a prefix not yet there is an error, not JSON): the
    # other's prefix through the route-map, an OSPF adjacency, a RIP route
    for tern, prefix, neighbor, stub in ((ta, "10.60.0.0/16", "10.0.12.2", "10.2.0.0/24"),
                                         (tb, "10.50.0.0/16", "10.0.12.1", "10.1.0.0/24")):
        wait_until(lambda: prefix in tern.show_json("ip", "bgp", "neighbors", neighbor,
                                                    "received-routes").get("routes", {}), UP,
                   desc=f"{tern.name} has {prefix}, stored before policy")
        wait_until(lambda: prefix in tern.show_json("ip", "bgp").get("routes", {}), UP,
                   desc=f"{tern.name} accepts {prefix}")
        wait_until(lambda: prefix in tern.show_json("ip", "route").get("routes", {}), UP,
                   desc=f"{tern.name} has {prefix} in its routing table")
        wait_until(lambda: "full" in json.dumps(tern.show_json("ip", "ospf", "neighbor")).lower(), UP,
                   desc=f"{tern.name}'s OSPF adjacency Full")
        wait_until(lambda: stub in tern.show_json("ip", "rip", "database").get("routes", {}), UP,
                   desc=f"{tern.name} learns the other's stub over RIP")
    save = os.environ.get("TERN_SHOW_JSON_SAVE")
    failures = []
    for tern in (ta, tb):
        for row in rows:
            words = arguments_for(row)
            if tern is tb:   # B's own neighbour and prefix
                words = [{"10.0.12.2": "10.0.12.1", "10.60.0.0": "10.50.0.0",
                          "10.60.0.0/16": "10.50.0.0/16"}.get(w, w) for w in words]
            r = tern.ternc(*words, check=False)
            if save:
                name = f"{tern.name}-" + "_".join(words).replace("/", "%")
                pathlib.Path(save).mkdir(parents=True, exist_ok=True)
                (pathlib.Path(save) / name).write_text(r.stdout)
            if r.returncode != 0:
                failures.append(f"{tern.name}: `{' '.join(words)}` -> exit {r.returncode}: {r.stdout}{r.stderr}")
                continue
            try:
                json.loads(r.stdout)
            except json.JSONDecodeError as e:
                failures.append(f"{tern.name}: `{' '.join(words)}` is not JSON ({e}):\n{r.stdout[:2000]}")
    assert not failures, "\n".join(failures)
