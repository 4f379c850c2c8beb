"""Redistribution of BGP into OSPF and RIP is pushed by the core's change events, not polled
(issue 12): a route R learns over eBGP becomes R's own AS-external LSA (`redistribute bgp 65001
subnets`) and a redistributed route in R's RIP database (`redistribute bgp`) soon after it is in
R's BGP table, and both go when the peer withdraws it. The deadline (SOON) is below the 5-s
period the polling had, with room for a loaded machine (the push takes milliseconds), and the
route goes and comes back five times: a 5-s poll meets a 3-s deadline with a chance of 3 in 5
per wait, all eleven of OSPF's waits with less than 1 in 200. Each wait is for the
condition itself."""

from netlab import Tern, pair, wait_until
from routes_helpers import bgp_routes, start_tern, tern_exec, tern_routes_config, FAST

UP = 30      # seconds for the session and the first route
SOON = 3     # seconds from BGP's table to OSPF's and RIP's: no polling period in between
ROUNDS = 5   # withdrawn and announced again

PREFIX = "172.16.5.0/24"


def r_config():
    """R, AS 65001: eBGP to A, OSPF and RIP redistributing BGP."""
    bgp = tern_routes_config("R", "10.0.0.2", 65001, [{"neighbor": "10.0.0.1", "remote_as": 65002, **FAST}])
    return (bgp +
            "router ospf 1\n"
            " router-id 10.0.0.2\n"
            " network 10.0.0.0 0.0.0.255 area 0\n"
            " redistribute bgp 65001 subnets\n"
            "router rip\n"
            " version 2\n"
            " network 10.0.0.0\n"
            " redistribute bgp\n")


def external_lsa(tern):
    """R's own live AS-external LSA for PREFIX, or None."""
    for x in tern.show_json("ip", "ospf", "database")["lsas"]:
        if (x["type"] == 5 and x["link_id"] == PREFIX.split("/")[0] and x["adv_router"] == "10.0.0.2"
                and x["age"] < 3600):
            return x
    return None


def rip_redistributed(tern):
    r = tern.show_json("ip", "rip", "database")["routes"].get(PREFIX)
    return r is not None and r["type"] == "redistributed-bgp" and r["metric"] < 16


def test_bgp_route_pushed_into_ospf_and_rip(lab, need):
    need("ternd", "ternc")
    a, r = pair(lab, "10.0.0.1/24", "10.0.0.2/24")
    a.addr("lo", "172.16.5.1/24")
    ta = start_tern(a, "A", "10.0.0.1", 65002, [{"neighbor": "10.0.0.2", "remote_as": 65001}],
                    networks=[PREFIX])
    tr = Tern(r, "10.0.0.2", 65001, [], name="R", config=r_config())
    wait_until(lambda: PREFIX in bgp_routes(tr), UP, desc="R has A's route in BGP")
    wait_until(lambda: external_lsa(tr) is not None, SOON, desc="R's AS-external LSA for it")
    wait_until(lambda: rip_redistributed(tr), SOON, desc="R's RIP database has it redistributed")
    for _ in range(ROUNDS):
        # A withdraws it: gone from BGP, then from OSPF and RIP as soon
        tern_exec(ta, "configure terminal", "router bgp 65002", "no network 172.16.5.0 mask 255.255.255.0",
                  "end")
        wait_until(lambda: PREFIX not in bgp_routes(tr), UP, desc="R's BGP table without it")
        wait_until(lambda: external_lsa(tr) is None, SOON, desc="R's AS-external LSA flushed")
        wait_until(lambda: not rip_redistributed(tr), SOON, desc="R's RIP database without it")
        # and back again
        tern_exec(ta, "configure terminal", "router bgp 65002", "network 172.16.5.0 mask 255.255.255.0", "end")
        wait_until(lambda: PREFIX in bgp_routes(tr), UP, desc="R has it in BGP again")
        wait_until(lambda: external_lsa(tr) is not None, SOON, desc="R's AS-external LSA again")
        wait_until(lambda: rip_redistributed(tr), SOON, desc="R's RIP database has it again")
