/*
 * A session's address families: the index, OPEN negotiation, End-of-RIB markers
 * (afi_safi.h). Sans-I/O: no session, no loop.
 */
#include "bgp/afi_safi.h"

#include "wire/bgp_attr.h"

#include <string.h>
#include <sys/socket.h>

static const struct bgp_afi_safi rows[BGP_AFI_SAFI_COUNT] = {
	[BGP_AFI_SAFI_IPV4_UNICAST] = { .afi = BGP_AFI_IPV4, .safi = BGP_SAFI_UNICAST },
	[BGP_AFI_SAFI_IPV6_UNICAST] = { .afi = BGP_AFI_IPV6, .safi = BGP_SAFI_UNICAST },
};

bool bgp_afi_safi_index(uint16_t afi, uint8_t safi, enum bgp_afi_safi_index *index)
{
	for (int i = 0; i < BGP_AFI_SAFI_COUNT; i++) {
		if (rows[i].afi == afi && rows[i].safi == safi) {
			*index = (enum bgp_afi_safi_index)i;
			return true;
		}
	}
	return false;
}

enum bgp_afi_safi_index bgp_afi_safi_unicast(uint8_t address_family)
{
	return address_family == AF_INET6 ? BGP_AFI_SAFI_IPV6_UNICAST : BGP_AFI_SAFI_IPV4_UNICAST;
}

uint16_t bgp_afi_safi_afi(enum bgp_afi_safi_index index)
{
	return rows[index].afi;
}

uint8_t bgp_afi_safi_safi(enum bgp_afi_safi_index index)
{
	return rows[index].safi;
}

/* The families one OPEN offers: its Multiprotocol Extensions capabilities, or IPv4 unicast
 * alone when it has none (RFC 4760 §8; a speaker without the capability speaks RFC 4271's
 * IPv4 unicast). */
static void offered(const struct bgp_capabilities *caps, bool out[BGP_AFI_SAFI_COUNT])
{
	memset(out, 0, sizeof(bool) * BGP_AFI_SAFI_COUNT);
	if (!caps->multiprotocol_count) {
		out[BGP_AFI_SAFI_IPV4_UNICAST] = true;
		return;
	}
	for (unsigned i = 0; i < caps->multiprotocol_count && i < BGP_CAP_MAX_AFI_SAFI; i++) {
		enum bgp_afi_safi_index index;
		if (bgp_afi_safi_index(caps->multiprotocol[i].afi, caps->multiprotocol[i].safi, &index))
			out[index] = true;
	}
}

void bgp_afi_safi_negotiate(const struct bgp_capabilities *sent, const struct bgp_capabilities *received,
			    struct bgp_afi_safi_negotiated *out)
{
	memset(out, 0, sizeof(*out));
	bool ours[BGP_AFI_SAFI_COUNT], theirs[BGP_AFI_SAFI_COUNT];
	offered(sent, ours);
	offered(received, theirs);
	for (int i = 0; i < BGP_AFI_SAFI_COUNT; i++)
		out->family[i] = ours[i] && theirs[i];
	/* A peer without the capability speaks IPv4 unicast to us whatever we offered: it
	 * cannot have understood our list (RFC 4760 §8, as every implementation does). */
	if (!received->multiprotocol_count)
		out->family[BGP_AFI_SAFI_IPV4_UNICAST] = true;
	out->route_refresh = received->route_refresh;
	out->enhanced_route_refresh = sent->enhanced_route_refresh && received->enhanced_route_refresh;
}

void bgp_afi_safi_session_up(struct bgp_afi_safi_table *table, const struct bgp_afi_safi_negotiated *negotiated)
{
	table->session = *negotiated;
	for (int i = 0; i < BGP_AFI_SAFI_COUNT; i++) {
		table->family[i].negotiated = negotiated->family[i];
		table->family[i].end_of_rib_sent = false;
		table->family[i].end_of_rib_received = false;
	}
}

void bgp_afi_safi_session_down(struct bgp_afi_safi_table *table)
{
	memset(&table->session, 0, sizeof(table->session));
	for (int i = 0; i < BGP_AFI_SAFI_COUNT; i++)
		table->family[i].negotiated = false;
}

uint64_t bgp_afi_safi_prefixes_accepted(const struct bgp_afi_safi_table *table)
{
	uint64_t total = 0;
	for (int i = 0; i < BGP_AFI_SAFI_COUNT; i++)
		total += table->family[i].prefixes_accepted;
	return total;
}

bool bgp_afi_safi_spoken(const struct bgp_afi_safi_table *table, enum bgp_afi_safi_index index)
{
	return table->family[index].negotiated;
}

bool bgp_afi_safi_end_of_rib(const uint8_t *body, size_t len, enum bgp_afi_safi_index *index)
{
	/* Withdrawn Routes Length 0, Total Path Attribute Length, no NLRI (RFC 4271 §4.3) */
	if (len < 4 || body[0] || body[1])
		return false;
	size_t attributes = (size_t)body[2] << 8 | body[3];
	if (len != 4 + attributes)
		return false;
	if (!attributes) {
		*index = BGP_AFI_SAFI_IPV4_UNICAST;
		return true;
	}
	/* One attribute, MP_UNREACH_NLRI (RFC 4760 §4), of AFI and SAFI alone; its length in
	 * one octet or, with the Extended Length bit, two. */
	const uint8_t *a = body + 4;
	bool extended = a[0] & BGP_ATTR_FLAG_EXTENDED;
	size_t header = extended ? 4 : 3;
	if (attributes < header || a[1] != BGP_ATTR_MP_UNREACH_NLRI)
		return false;
	size_t value = extended ? ((size_t)a[2] << 8 | a[3]) : a[2];
	if (value != 3 || attributes != header + value)
		return false;
	const uint8_t *v = a + header;
	return bgp_afi_safi_index((uint16_t)(v[0] << 8 | v[1]), v[2], index);
}
