"""`show ip protocols` names every routing protocol that runs (issue 7): OSPF, RIP and BGP
sections, as text and as JSON."""

from netlab import Tern

CONFIG = """hostname R1
interface Loopback0
 ip address 2.2.2.2 255.255.255.255
router ospf 100
 network 2.2.2.2 0.0.0.0 area 0
router rip
 version 2
 network 2.0.0.0
router bgp 100
 bgp router-id 2.2.2.2
"""


def test_show_ip_protocols_has_every_protocol(lab, need):
    need("ternd", "ternc")
    ns = lab.netns("R1")
    tern = Tern(ns, "2.2.2.2", 100, [], name="R1", config=CONFIG)
    j = tern.show_json("ip", "protocols")
    assert j["ospf"]["process"] == 100 and j["ospf"]["distance"] == 110, j
    assert {"address": "2.2.2.2", "wildcard": "0.0.0.0", "area": "0.0.0.0"} in j["ospf"]["networks"], j
    assert j["rip"] is not None and j["bgp"]["asn"] == 100, j
    text = tern.ternc("show", "ip", "protocols").stdout
    for head in ('Routing Protocol is "ospf 100"', 'Routing Protocol is "rip"', 'Routing Protocol is "bgp 100"'):
        assert head in text, text
