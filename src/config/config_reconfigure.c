/*
 * DOC: which protocols a new configuration concerns.
 *
 * The daemon applies a new configuration protocol by protocol. Each protocol's apply reads
 * some sections of the configuration; when none of them changed, the protocol is left alone:
 * `hostname R2` applies nothing, a new `ip route` applies the static routes only, a new
 * neighbour applies BGP only (and BGP's own apply then resets only the sessions whose
 * settings need it). The table below is the one place that says what each apply reads: a
 * protocol that starts reading another section adds it here.
 */
#include "config/config.h"

struct protocol_reads {
	const char *name;
	unsigned sections;
	/* Reads only whether BGP runs and as which AS (RIP and OSPF redistribute from the
	 * speaker), not the rest of router bgp: a new neighbour does not concern them. */
	bool bgp_process;
};

static const struct protocol_reads protocol_reads[CONFIG_PROTOCOL_COUNT] = {
	/* core_static_configure: the routes; their interfaces are resolved by the kernel */
	[CONFIG_PROTOCOL_STATIC] = { "static", CONFIG_SECTION_BIT(CONFIG_SECTION_STATIC), false },
	/* rip_io_configure and rip_io_redistribute: router rip, the interfaces' ip rip settings,
	 * and the BGP speaker it redistributes from (started or stopped with router bgp) */
	[CONFIG_PROTOCOL_RIP] = { "rip", CONFIG_SECTION_BIT(CONFIG_SECTION_RIP) |
	                                 CONFIG_SECTION_BIT(CONFIG_SECTION_INTERFACES), true },
	/* ospfd_configure: router ospf, the interfaces' ip ospf settings and addresses, and the
	 * BGP speaker it redistributes from (redistribute bgp ASN) */
	[CONFIG_PROTOCOL_OSPF] = { "ospf", CONFIG_SECTION_BIT(CONFIG_SECTION_OSPF) |
	                                   CONFIG_SECTION_BIT(CONFIG_SECTION_INTERFACES), true },
	/* bgp_speaker_configure and the origination: router bgp, the routing policy, the router
	 * ID picked from the interfaces' addresses when none is set, and redistribute ospf
	 * (which needs the OSPF process it names) */
	[CONFIG_PROTOCOL_BGP] = { "bgp", CONFIG_SECTION_BIT(CONFIG_SECTION_BGP) |
	                                 CONFIG_SECTION_BIT(CONFIG_SECTION_POLICY) |
	                                 CONFIG_SECTION_BIT(CONFIG_SECTION_INTERFACES) |
	                                 CONFIG_SECTION_BIT(CONFIG_SECTION_OSPF), false },
};

const char *config_protocol_name(enum config_protocol p)
{
	return p < CONFIG_PROTOCOL_COUNT ? protocol_reads[p].name : "none";
}

unsigned config_protocol_sections(enum config_protocol p)
{
	return p < CONFIG_PROTOCOL_COUNT ? protocol_reads[p].sections : 0;
}

unsigned config_protocols_changed(const struct config *running, const struct config *next)
{
	unsigned sections = config_sections_changed(running, next);
	bool bgp_process = running->bgp.enabled != next->bgp.enabled ||
	                   (next->bgp.enabled && running->bgp.asn != next->bgp.asn);
	unsigned protocols = 0;
	for (int p = 0; p < CONFIG_PROTOCOL_COUNT; p++)
		if ((protocol_reads[p].sections & sections) || (protocol_reads[p].bgp_process && bgp_process))
			protocols |= CONFIG_PROTOCOL_BIT(p);
	return protocols;
}
