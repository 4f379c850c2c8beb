/*
 * DOC: UPDATE packing: prefixes and attributes into complete UPDATE messages.
 *
 * RFC 4271 §4.3 lays an UPDATE out as Withdrawn Routes Length, Withdrawn Routes, Total Path
 * Attribute Length, Path Attributes, NLRI; the whole message is at most 4096 octets (RFC 8654:
 * 65535 once extended messages are negotiated). Each call below fills one message with as
 * many whole prefixes as fit and leaves the rest on the cursor for the next call; a prefix is
 * never split across messages. IPv6 unicast uses MP_REACH_NLRI / MP_UNREACH_NLRI (RFC 4760
 * §3, §4) with the Extended Length flag, so a full message of prefixes fits its length field.
 */
#include "wire/bgp_update_pack.h"

#include <string.h>

size_t bgp_prefix_wire_encode(uint8_t *out, uint8_t prefix_len, const uint8_t *addr)
{
	size_t octets = (prefix_len + 7u) / 8u;
	out[0] = prefix_len;
	memcpy(out + 1, addr, octets);
	return octets + 1;
}

/* The wire size of the prefix under the cursor. */
static size_t next_prefix_size(const struct bgp_update_prefixes *p)
{
	return bgp_prefix_wire_size(p->data[p->at]);
}

/* Copies prefixes from the cursor while the message stays within limit once `after` more
 * octets are added behind them. Returns how many octets of prefixes were written. */
static size_t put_prefixes(struct writer *w, struct bgp_update_prefixes *p, size_t after, size_t limit)
{
	size_t first = w->len;
	while (p->at < p->len && w->len + next_prefix_size(p) + after <= limit) {
		size_t n = next_prefix_size(p);
		if (p->at + n > p->len)
			break; /* a truncated last prefix: the caller's run is malformed */
		writer_bytes(w, p->data + p->at, n);
		p->at += n;
		p->packed++;
	}
	return w->len - first;
}

/* Opens an MP_REACH_NLRI or MP_UNREACH_NLRI attribute of the AFI, SAFI unicast (RFC 4760
 * §3, §4), with the Extended Length flag; returns where its value starts (its 2-octet length
 * is just before, to patch with mp_attribute_end). */
static size_t mp_attribute_begin(struct writer *w, uint8_t type, uint16_t afi)
{
	writer_u8(w, BGP_ATTR_FLAG_OPTIONAL | BGP_ATTR_FLAG_EXTENDED);
	writer_u8(w, type);
	writer_reserve(w, 2);
	size_t value_start = w->len;
	writer_u16(w, afi);
	writer_u8(w, BGP_SAFI_UNICAST);
	return value_start;
}

static void mp_attribute_end(struct writer *w, size_t value_start)
{
	writer_patch_u16(w, value_start - 2, (uint16_t)(w->len - value_start));
}

/* The message's end: its length patched, or 0 when it overran max. */
static size_t finish(struct writer *w, size_t start, size_t max)
{
	return bgp_header_end(w, start, max) ? w->len - start : 0;
}

size_t bgp_update_pack_withdrawn(uint8_t *buf, size_t max, uint16_t afi, struct bgp_update_prefixes *prefixes)
{
	if (prefixes->at >= prefixes->len)
		return 0;
	struct writer w = writer_make(buf, max);
	size_t start = bgp_header_begin(&w, BGP_MSG_UPDATE);
	size_t packed;
	if (afi == BGP_AFI_IPV4) {
		size_t len_at = writer_reserve(&w, 2);
		/* room for the Total Path Attribute Length behind them */
		packed = put_prefixes(&w, prefixes, 2, max);
		writer_patch_u16(&w, len_at, (uint16_t)packed);
		writer_u16(&w, 0);
	} else {
		/* RFC 4760 §4: withdrawn IPv6 routes go in MP_UNREACH_NLRI */
		writer_u16(&w, 0);
		size_t attrs_len_at = writer_reserve(&w, 2);
		size_t attrs_start = w.len;
		size_t value_start = mp_attribute_begin(&w, BGP_ATTR_MP_UNREACH_NLRI, afi);
		packed = put_prefixes(&w, prefixes, 0, max);
		mp_attribute_end(&w, value_start);
		writer_patch_u16(&w, attrs_len_at, (uint16_t)(w.len - attrs_start));
	}
	return packed ? finish(&w, start, max) : 0;
}

size_t bgp_update_pack_announce(uint8_t *buf, size_t max, const struct bgp_update_reach *reach,
				struct bgp_update_prefixes *prefixes)
{
	if (prefixes->at >= prefixes->len)
		return 0;
	struct writer w = writer_make(buf, max);
	size_t start = bgp_header_begin(&w, BGP_MSG_UPDATE);
	writer_u16(&w, 0); /* no withdrawn routes */
	size_t attrs_len_at = writer_reserve(&w, 2);
	size_t attrs_start = w.len;
	size_t packed;
	if (reach->afi == BGP_AFI_IPV6) {
		/* RFC 4760 §3: MP_REACH_NLRI first (RFC 7606 §5.1), with the prefixes inside */
		size_t value_start = mp_attribute_begin(&w, BGP_ATTR_MP_REACH_NLRI, BGP_AFI_IPV6);
		writer_u8(&w, 16);
		writer_bytes(&w, reach->next_hop, 16);
		writer_u8(&w, 0); /* reserved */
		/* room for the other attributes behind them */
		packed = put_prefixes(&w, prefixes, reach->attributes_len, max);
		mp_attribute_end(&w, value_start);
		writer_bytes(&w, reach->attributes, reach->attributes_len);
		writer_patch_u16(&w, attrs_len_at, (uint16_t)(w.len - attrs_start));
	} else {
		writer_bytes(&w, reach->attributes, reach->attributes_len);
		writer_patch_u16(&w, attrs_len_at, (uint16_t)(w.len - attrs_start));
		/* RFC 4271 §4.3: the NLRI is whatever follows the attributes */
		packed = put_prefixes(&w, prefixes, 0, max);
	}
	/* No prefix fits beside the attributes: this group cannot be sent at all. */
	return packed ? finish(&w, start, max) : 0;
}

size_t bgp_update_pack_end_of_rib(uint8_t *buf, size_t max, uint16_t afi, uint8_t safi)
{
	struct writer w = writer_make(buf, max);
	size_t start = bgp_header_begin(&w, BGP_MSG_UPDATE);
	writer_u16(&w, 0); /* no withdrawn routes */
	if (afi == BGP_AFI_IPV4 && safi == BGP_SAFI_UNICAST) {
		writer_u16(&w, 0); /* no attributes, no NLRI */
	} else {
		/* RFC 4724 §2: MP_UNREACH_NLRI with only the AFI and SAFI */
		writer_u16(&w, 6);
		writer_u8(&w, BGP_ATTR_FLAG_OPTIONAL);
		writer_u8(&w, BGP_ATTR_MP_UNREACH_NLRI);
		writer_u8(&w, 3);
		writer_u16(&w, afi);
		writer_u8(&w, safi);
	}
	return finish(&w, start, max);
}

size_t bgp_update_attributes_encode(uint8_t *buf, size_t cap, const struct bgp_attrs *attrs, bool as4)
{
	struct bgp_attrs a = *attrs;
	/* RFC 6793 §4.2.2: a 2-octet peer gets AS_TRANS in AS_PATH and AGGREGATOR, and the real
	 * path and aggregator in AS4_PATH and AS4_AGGREGATOR, when an AS does not fit in two
	 * octets. */
	if (!as4)
		bgp_attrs_as4_split(&a);
	struct writer w = writer_make(buf, cap);
	if (!bgp_attr_encode(&w, &a, as4))
		return 0;
	return w.len;
}
