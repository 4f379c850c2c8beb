/*
 * DOC: communities, cluster lists and MP prefixes of decoded attributes (see bgp_attr.h).
 *
 * The runs of fixed-size items that bgp_attr_decode() leaves as pointers into the message
 * (COMMUNITIES, EXTENDED COMMUNITIES, LARGE_COMMUNITY, CLUSTER_LIST) are read back here through
 * the bounded reader, by index or as text for `show ip bgp`; and the IPv4/IPv6 unicast prefixes
 * of MP_REACH_NLRI and MP_UNREACH_NLRI are iterated and written.
 */
#include "bgp_attr.h"

#include <string.h>

static uint32_t blob_u32(const struct bgp_attr_blob *b, size_t offset)
{
	struct reader r = reader_make(b->data, b->len);
	reader_skip(&r, offset);
	return reader_u32(&r);
}

uint32_t bgp_community_at(const struct bgp_attr_blob *b, size_t i) { return blob_u32(b, i * 4); }
uint32_t bgp_cluster_id_at(const struct bgp_attr_blob *b, size_t i) { return blob_u32(b, i * 4); }

uint64_t bgp_ext_community_at(const struct bgp_attr_blob *b, size_t i)
{
	return ((uint64_t)blob_u32(b, i * 8) << 32) | blob_u32(b, i * 8 + 4);
}

struct bgp_large_community bgp_large_community_at(const struct bgp_attr_blob *b, size_t i)
{
	struct reader r = reader_make(b->data, b->len);
	reader_skip(&r, i * 12);
	struct bgp_large_community c;
	c.global = reader_u32(&r);
	c.local1 = reader_u32(&r);
	c.local2 = reader_u32(&r);
	return c;
}

bool bgp_communities_contain(const struct bgp_attr_blob *b, uint32_t community)
{
	struct reader r = reader_make(b->data, b->len);
	while (reader_remaining(&r) >= 4)
		if (reader_u32(&r) == community)
			return true;
	return false;
}

void bgp_communities_text(const struct bgp_attr_blob *b, struct strbuf *sb)
{
	struct reader r = reader_make(b->data, b->len);
	for (size_t i = 0; reader_remaining(&r) >= 4; i++) {
		uint32_t c = reader_u32(&r);
		if (i)
			strbuf_append(sb, " ");
		switch (c) {
		case BGP_COMMUNITY_NO_EXPORT:
			strbuf_append(sb, "no-export");
			break;
		case BGP_COMMUNITY_NO_ADVERTISE:
			strbuf_append(sb, "no-advertise");
			break;
		case BGP_COMMUNITY_NO_EXPORT_SUBCONFED:
			strbuf_append(sb, "local-AS");
			break;
		default:
			strbuf_printf(sb, "%u:%u", c >> 16, c & 0xffff);
		}
	}
}

void bgp_large_communities_text(const struct bgp_attr_blob *b, struct strbuf *sb)
{
	struct reader r = reader_make(b->data, b->len);
	for (size_t i = 0; reader_remaining(&r) >= 12; i++) {
		uint32_t g = reader_u32(&r), l1 = reader_u32(&r), l2 = reader_u32(&r);
		strbuf_printf(sb, "%s%u:%u:%u", i ? " " : "", g, l1, l2);
	}
}

int bgp_mp_prefix_next(struct reader *field, uint16_t afi, struct bgp_mp_prefix *out)
{
	unsigned max = afi == BGP_AFI_IPV4 ? 32 : afi == BGP_AFI_IPV6 ? 128 : 0;
	if (max == 0)
		return -1;
	if (reader_empty(field))
		return reader_ok(field) ? 0 : -1;
	memset(out, 0, sizeof(*out));
	out->afi = afi;
	out->len = reader_u8(field);
	if (out->len > max)
		return -1;
	size_t n = (out->len + 7u) / 8u;
	if (!reader_bytes(field, out->addr, n))
		return -1;
	if (out->len % 8)
		out->addr[n - 1] &= (uint8_t)(0xff << (8 - out->len % 8));
	return 1;
}

bool bgp_mp_prefix_encode(struct writer *w, const struct bgp_mp_prefix *p)
{
	writer_u8(w, p->len);
	return writer_bytes(w, p->addr, (p->len + 7u) / 8u);
}
