/*
 * DOC: UPDATE framing and IPv4 prefixes (RFC 4271 §4.3, §6.3).
 *
 * "Carve first, parse inside": the body is cut into the withdrawn routes, the path
 * attributes and the NLRI by their declared lengths before any of them is parsed, so an
 * error inside one part can never move the position of another. Each part is then a
 * bounded sub-reader for its own decoder (attributes: bgp_attr; prefixes: below).
 */
#include "wire/bgp.h"

#include <string.h>

bool bgp_update_split(struct reader *body, struct bgp_update_parts *out,
		      struct bgp_error *err)
{
	memset(out, 0, sizeof(*out));
	uint16_t withdrawn_len = reader_u16(body);
	out->withdrawn = reader_sub(body, withdrawn_len);
	uint16_t attr_len = reader_u16(body);
	out->attributes = reader_sub(body, attr_len);
	/* RFC 4271 §6.3: Withdrawn Routes Length + Total Attribute Length + 23 beyond the
	 * message Length is a Malformed Attribute List (no data). */
	if (!reader_ok(body)) {
		bgp_error_set(err, BGP_ERR_UPDATE, BGP_ERR_UPDATE_MALFORMED_ATTRIBUTE_LIST);
		return false;
	}
	/* RFC 4271 §4.3: the NLRI is whatever follows the attributes. */
	out->nlri = reader_rest(body);
	return true;
}

int bgp_prefix4_next(struct reader *field, struct bgp_prefix4 *out)
{
	if (!reader_ok(field))
		return -1;
	if (reader_empty(field))
		return 0;
	uint8_t len = reader_u8(field);
	if (len > 32) {
		/* RFC 4271 §4.3: a prefix is at most 32 bits; the field cannot be trusted past
		 * this point, so the reader is failed for every later call. */
		field->error = true;
		return -1;
	}
	/* Only the octets that hold the prefix are on the wire: ceil(len / 8). */
	uint8_t octets[4] = { 0, 0, 0, 0 };
	if (!reader_bytes(field, octets, (len + 7u) / 8u))
		return -1;
	uint32_t addr = ((uint32_t)octets[0] << 24) | ((uint32_t)octets[1] << 16) |
			((uint32_t)octets[2] << 8) | octets[3];
	/* Trailing bits past the prefix length are irrelevant (RFC 4271 §4.3); zero them so
	 * equal prefixes compare equal. */
	uint32_t mask = len ? ~(uint32_t)0 << (32 - len) : 0;
	out->addr = addr & mask;
	out->len = len;
	return 1;
}

bool bgp_prefix4_encode(struct writer *w, const struct bgp_prefix4 *p)
{
	if (p->len > 32)
		return false;
	uint32_t mask = p->len ? ~(uint32_t)0 << (32 - p->len) : 0;
	uint32_t addr = p->addr & mask;
	writer_u8(w, p->len);
	for (unsigned i = 0; i < (p->len + 7u) / 8u; i++)
		writer_u8(w, (uint8_t)(addr >> (24 - 8 * i)));
	return writer_ok(w);
}
