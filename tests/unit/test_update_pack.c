/*
 * DOC: unit tests of UPDATE packing (src/wire/bgp_update_pack.h), golden bytes both ways.
 *
 * Each case packs a hand-written input and compares the message with hex written out and
 * checked by hand against RFC 4271 §4.3 (layout), RFC 4760 (MP_REACH_NLRI, MP_UNREACH_NLRI),
 * RFC 4724 §2 (End-of-RIB) and RFC 6793 §4.2.2 (a 2-octet AS peer); then the same bytes go
 * through our own decoder (bgp_frame, bgp_update_split, bgp_attr_decode, the prefix readers)
 * and must give back the input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "wire/bgp_update_pack.h"

#define MARKER                                                                         \
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, \
		0xff, 0xff

/* ---- reading a packed message back -------------------------------------------------------- */

/* Frames msg as one whole UPDATE and carves it (RFC 4271 §4.3). */
static void split_update(const uint8_t *msg, size_t len, struct bgp_update_parts *parts)
{
	struct bgp_header hdr;
	struct bgp_error err;
	assert_int_equal(bgp_frame(msg, len, BGP_MAX_MESSAGE, &hdr, &err), 1);
	assert_int_equal(hdr.type, BGP_MSG_UPDATE);
	assert_int_equal(hdr.length, len);
	struct reader body = reader_make(msg + BGP_HEADER_LEN, len - BGP_HEADER_LEN);
	assert_true(bgp_update_split(&body, parts, &err));
}

static void decode_attrs(struct bgp_update_parts *parts, bool as4, struct bgp_attrs *a)
{
	struct bgp_attr_opts opts = { .as4 = as4, .ibgp = true, .ipv4_nlri = !reader_empty(&parts->nlri),
				      .ipv4_withdrawn = !reader_empty(&parts->withdrawn) };
	struct bgp_error err;
	assert_int_equal(bgp_attr_decode(&parts->attributes, &opts, a, &err), BGP_ATTR_RESULT_OK);
	assert_int_equal(a->discarded, 0);
}

/* The IPv4 prefixes of a field, written back in wire form: must equal what was packed. */
static size_t prefixes4_rewritten(struct reader *field, uint8_t *out, size_t cap)
{
	struct writer w = writer_make(out, cap);
	struct bgp_prefix4 p;
	int rc;
	while ((rc = bgp_prefix4_next(field, &p)) > 0)
		assert_true(bgp_prefix4_encode(&w, &p));
	assert_int_equal(rc, 0);
	return w.len;
}

static size_t prefixes6_rewritten(const uint8_t *data, size_t len, uint8_t *out, size_t cap)
{
	struct reader field = reader_make(data, len);
	struct writer w = writer_make(out, cap);
	struct bgp_mp_prefix p;
	int rc;
	while ((rc = bgp_mp_prefix_next(&field, BGP_AFI_IPV6, &p)) > 0)
		assert_true(bgp_mp_prefix_encode(&w, &p));
	assert_int_equal(rc, 0);
	return w.len;
}

/* ---- withdrawals -------------------------------------------------------------------------- */

/* Packs the whole run into one message, which must be the golden one. */
static void assert_withdraw_packs_to(uint16_t afi, const uint8_t *run, size_t run_len, const uint8_t *golden,
				     size_t golden_len)
{
	uint8_t buf[BGP_MAX_MESSAGE];
	struct bgp_update_prefixes p = { .data = run, .len = run_len };
	size_t len = bgp_update_pack_withdrawn(buf, sizeof(buf), afi, &p);
	assert_int_equal(len, golden_len);
	assert_memory_equal(buf, golden, len);
	assert_int_equal(p.at, p.len);
	assert_int_equal(bgp_update_pack_withdrawn(buf, sizeof(buf), afi, &p), 0); /* all sent */
}

/* 10.0.0.0/8 and 192.168.1.0/24 */
static const uint8_t withdrawn4[] = { 0x08, 0x0a, 0x18, 0xc0, 0xa8, 0x01 };

static const uint8_t withdraw4_golden[] = {
	MARKER, 0x00, 0x1d, 0x02,            /* length 29, UPDATE */
	0x00, 0x06,                          /* Withdrawn Routes Length 6 */
	0x08, 0x0a,                          /* 10.0.0.0/8 */
	0x18, 0xc0, 0xa8, 0x01,              /* 192.168.1.0/24 */
	0x00, 0x00,                          /* Total Path Attribute Length 0, no NLRI */
};

static void test_withdraw_ipv4_golden(void **state)
{
	(void)state;
	assert_withdraw_packs_to(BGP_AFI_IPV4, withdrawn4, sizeof(withdrawn4), withdraw4_golden,
				 sizeof(withdraw4_golden));

	struct bgp_update_parts parts;
	split_update(withdraw4_golden, sizeof(withdraw4_golden), &parts);
	assert_true(reader_empty(&parts.attributes));
	assert_true(reader_empty(&parts.nlri));
	uint8_t back[64];
	assert_int_equal(prefixes4_rewritten(&parts.withdrawn, back, sizeof(back)), sizeof(withdrawn4));
	assert_memory_equal(back, withdrawn4, sizeof(withdrawn4));
}

/* 2001:db8::/32 */
static const uint8_t withdrawn6[] = { 0x20, 0x20, 0x01, 0x0d, 0xb8 };

static const uint8_t withdraw6_golden[] = {
	MARKER, 0x00, 0x23, 0x02,            /* length 35, UPDATE */
	0x00, 0x00,                          /* no IPv4 withdrawn routes */
	0x00, 0x0c,                          /* Total Path Attribute Length 12 */
	0x90, 0x0f, 0x00, 0x08,              /* optional, extended length: MP_UNREACH_NLRI, 8 */
	0x00, 0x02, 0x01,                    /* AFI IPv6, SAFI unicast */
	0x20, 0x20, 0x01, 0x0d, 0xb8,        /* 2001:db8::/32 */
};

static void test_withdraw_ipv6_golden(void **state)
{
	(void)state;
	assert_withdraw_packs_to(BGP_AFI_IPV6, withdrawn6, sizeof(withdrawn6), withdraw6_golden,
				 sizeof(withdraw6_golden));

	struct bgp_update_parts parts;
	split_update(withdraw6_golden, sizeof(withdraw6_golden), &parts);
	struct bgp_attrs a;
	decode_attrs(&parts, true, &a);
	assert_int_equal(a.present, BGP_ATTR_BIT(BGP_ATTR_MP_UNREACH_NLRI));
	assert_int_equal(a.mp_unreach.afi, BGP_AFI_IPV6);
	uint8_t back[64];
	assert_int_equal(prefixes6_rewritten(a.mp_unreach.withdrawn, a.mp_unreach.withdrawn_len, back, sizeof(back)),
			 sizeof(withdrawn6));
	assert_memory_equal(back, withdrawn6, sizeof(withdrawn6));
}

/* ---- announcements ------------------------------------------------------------------------ */

static const uint8_t path_65000_65001[] = { 0x02, 0x02, 0x00, 0x00, 0xfd, 0xe8, 0x00, 0x00, 0xfd, 0xe9 };
static const uint8_t communities[] = { 0xfd, 0xe8, 0x00, 0x01, 0xff, 0xff, 0xff, 0x01 }; /* 65000:1 no-export */

/* 10.1.0.0/16 and 198.51.100.0/24 */
static const uint8_t announced4[] = { 0x10, 0x0a, 0x01, 0x18, 0xc6, 0x33, 0x64 };

static const uint8_t announce4_golden[] = {
	MARKER, 0x00, 0x4f, 0x02,                         /* length 79, UPDATE */
	0x00, 0x00,                                       /* no withdrawn routes */
	0x00, 0x31,                                       /* Total Path Attribute Length 49 */
	0x40, 0x01, 0x01, 0x00,                           /* ORIGIN IGP */
	0x40, 0x02, 0x0a, 0x02, 0x02,                     /* AS_PATH: AS_SEQUENCE of 2 */
	0x00, 0x00, 0xfd, 0xe8, 0x00, 0x00, 0xfd, 0xe9,   /*   65000 65001 (4 octets each) */
	0x40, 0x03, 0x04, 0xc0, 0x00, 0x02, 0x01,         /* NEXT_HOP 192.0.2.1 */
	0x80, 0x04, 0x04, 0x00, 0x00, 0x00, 0x64,         /* MULTI_EXIT_DISC 100 (optional) */
	0x40, 0x05, 0x04, 0x00, 0x00, 0x00, 0xc8,         /* LOCAL_PREF 200 */
	0xc0, 0x08, 0x08,                                 /* COMMUNITIES (optional transitive) */
	0xfd, 0xe8, 0x00, 0x01, 0xff, 0xff, 0xff, 0x01,   /*   65000:1 NO_EXPORT */
	0x10, 0x0a, 0x01,                                 /* NLRI 10.1.0.0/16 */
	0x18, 0xc6, 0x33, 0x64,                           /*      198.51.100.0/24 */
};

static struct bgp_attrs full_attrs(void)
{
	struct bgp_attrs a;
	memset(&a, 0, sizeof(a));
	a.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH) | BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP) |
		    BGP_ATTR_BIT(BGP_ATTR_MULTI_EXIT_DISC) | BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF) |
		    BGP_ATTR_BIT(BGP_ATTR_COMMUNITIES);
	a.origin = BGP_ORIGIN_IGP;
	a.as_path = (struct bgp_as_path){ .data = path_65000_65001, .len = sizeof(path_65000_65001), .asn_size = 4 };
	a.next_hop = 0xc0000201;
	a.med = 100;
	a.local_pref = 200;
	a.communities = (struct bgp_attr_blob){ .data = communities, .len = sizeof(communities) };
	return a;
}

static void test_announce_ipv4_golden(void **state)
{
	(void)state;
	struct bgp_attrs a = full_attrs();
	uint8_t attrs[BGP_MAX_MESSAGE];
	struct bgp_update_reach reach = { .afi = BGP_AFI_IPV4, .attributes = attrs };
	reach.attributes_len = bgp_update_attributes_encode(attrs, sizeof(attrs), &a, true);
	assert_int_equal(reach.attributes_len, 49);

	uint8_t buf[BGP_MAX_MESSAGE];
	struct bgp_update_prefixes p = { .data = announced4, .len = sizeof(announced4) };
	size_t len = bgp_update_pack_announce(buf, sizeof(buf), &reach, &p);
	assert_int_equal(len, sizeof(announce4_golden));
	assert_memory_equal(buf, announce4_golden, len);
	assert_int_equal(bgp_update_pack_announce(buf, sizeof(buf), &reach, &p), 0);

	/* Read back: the same attribute set and the same prefixes. */
	struct bgp_update_parts parts;
	split_update(announce4_golden, sizeof(announce4_golden), &parts);
	assert_true(reader_empty(&parts.withdrawn));
	struct bgp_attrs back;
	decode_attrs(&parts, true, &back);
	assert_true(bgp_attrs_equal(&back, &a));
	uint8_t nlri[64];
	assert_int_equal(prefixes4_rewritten(&parts.nlri, nlri, sizeof(nlri)), sizeof(announced4));
	assert_memory_equal(nlri, announced4, sizeof(announced4));
}

/* 2001:db8:1::/48, next hop 2001:db8::1 */
static const uint8_t announced6[] = { 0x30, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01 };
static const uint8_t next_hop6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01 };
static const uint8_t path_65000[] = { 0x02, 0x01, 0x00, 0x00, 0xfd, 0xe8 };

static const uint8_t announce6_golden[] = {
	MARKER, 0x00, 0x44, 0x02,                         /* length 68, UPDATE */
	0x00, 0x00,                                       /* no withdrawn routes */
	0x00, 0x2d,                                       /* Total Path Attribute Length 45 */
	0x90, 0x0e, 0x00, 0x1c,                           /* MP_REACH_NLRI, extended length 28 */
	0x00, 0x02, 0x01,                                 /*   AFI IPv6, SAFI unicast */
	0x10,                                             /*   next hop length 16 */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,   /*   2001:db8::1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x00,                                             /*   reserved */
	0x30, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01,         /*   2001:db8:1::/48 */
	0x40, 0x01, 0x01, 0x00,                           /* ORIGIN IGP */
	0x40, 0x02, 0x06, 0x02, 0x01, 0x00, 0x00, 0xfd, 0xe8, /* AS_PATH 65000 */
};

static void test_announce_ipv6_golden(void **state)
{
	(void)state;
	struct bgp_attrs a;
	memset(&a, 0, sizeof(a));
	a.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH);
	a.as_path = (struct bgp_as_path){ .data = path_65000, .len = sizeof(path_65000), .asn_size = 4 };
	uint8_t attrs[256];
	struct bgp_update_reach reach = { .afi = BGP_AFI_IPV6, .attributes = attrs };
	memcpy(reach.next_hop, next_hop6, 16);
	reach.attributes_len = bgp_update_attributes_encode(attrs, sizeof(attrs), &a, true);
	uint8_t buf[BGP_MAX_MESSAGE];
	struct bgp_update_prefixes p = { .data = announced6, .len = sizeof(announced6) };
	size_t len = bgp_update_pack_announce(buf, sizeof(buf), &reach, &p);
	assert_int_equal(len, sizeof(announce6_golden));
	assert_memory_equal(buf, announce6_golden, len);

	struct bgp_update_parts parts;
	split_update(announce6_golden, sizeof(announce6_golden), &parts);
	assert_true(reader_empty(&parts.nlri));
	struct bgp_attrs back;
	decode_attrs(&parts, true, &back);
	assert_true(bgp_attrs_has(&back, BGP_ATTR_MP_REACH_NLRI));
	assert_int_equal(back.mp_reach.nexthop_len, 16);
	assert_memory_equal(back.mp_reach.nexthop, next_hop6, 16);
	uint8_t nlri[64];
	assert_int_equal(prefixes6_rewritten(back.mp_reach.nlri, back.mp_reach.nlri_len, nlri, sizeof(nlri)),
			 sizeof(announced6));
	assert_memory_equal(nlri, announced6, sizeof(announced6));
	back.present &= ~BGP_ATTR_BIT(BGP_ATTR_MP_REACH_NLRI);
	assert_true(bgp_attrs_equal(&back, &a));
}

/* ---- a 2-octet AS peer (RFC 6793 §4.2.2) -------------------------------------------------- */

/* AS_SEQUENCE 4200000000 65000 */
static const uint8_t path_as4[] = { 0x02, 0x02, 0xfa, 0x56, 0xea, 0x00, 0x00, 0x00, 0xfd, 0xe8 };

static const uint8_t old_peer_attrs_golden[] = {
	0x40, 0x01, 0x01, 0x00,                           /* ORIGIN IGP */
	0x40, 0x02, 0x06, 0x02, 0x02, 0x5b, 0xa0, 0xfd, 0xe8, /* AS_PATH: AS_TRANS 65000 (2 octets) */
	0x40, 0x03, 0x04, 0xc0, 0x00, 0x02, 0x01,         /* NEXT_HOP 192.0.2.1 */
	0xc0, 0x11, 0x0a, 0x02, 0x02,                     /* AS4_PATH (optional transitive) */
	0xfa, 0x56, 0xea, 0x00, 0x00, 0x00, 0xfd, 0xe8,   /*   4200000000 65000 */
};

static void test_two_octet_peer_gets_as4_path(void **state)
{
	(void)state;
	struct bgp_attrs a;
	memset(&a, 0, sizeof(a));
	a.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH) | BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
	a.as_path = (struct bgp_as_path){ .data = path_as4, .len = sizeof(path_as4), .asn_size = 4 };
	a.next_hop = 0xc0000201;
	uint8_t attrs[256];
	size_t len = bgp_update_attributes_encode(attrs, sizeof(attrs), &a, false);
	assert_int_equal(len, sizeof(old_peer_attrs_golden));
	assert_memory_equal(attrs, old_peer_attrs_golden, len);
	/* The caller's set is untouched: no AS4_PATH was added to it. */
	assert_false(bgp_attrs_has(&a, BGP_ATTR_AS4_PATH));

	/* A path that fits in two octets gets no AS4_PATH. */
	struct bgp_attrs small = a;
	small.as_path = (struct bgp_as_path){ .data = path_65000_65001, .len = sizeof(path_65000_65001), .asn_size = 4 };
	len = bgp_update_attributes_encode(attrs, sizeof(attrs), &small, false);
	static const uint8_t small_path[] = { 0x40, 0x02, 0x06, 0x02, 0x02, 0xfd, 0xe8, 0xfd, 0xe9 };
	assert_int_equal(len, 4 + sizeof(small_path) + 7);
	assert_memory_equal(attrs + 4, small_path, sizeof(small_path));

	/* Read back as the old peer would send it on: the merge gives the real path. */
	struct reader r = reader_make(old_peer_attrs_golden, sizeof(old_peer_attrs_golden));
	struct bgp_attr_opts opts = { .as4 = false, .ipv4_nlri = true };
	struct bgp_attrs back;
	struct bgp_error err;
	assert_int_equal(bgp_attr_decode(&r, &opts, &back, &err), BGP_ATTR_RESULT_OK);
	uint8_t merged[64];
	assert_true(bgp_attrs_as4_merge(&back, merged, sizeof(merged)));
	assert_false(bgp_attrs_has(&back, BGP_ATTR_AS4_PATH));
	assert_int_equal(back.as_path.asn_size, 4);
	assert_int_equal(back.as_path.len, sizeof(path_as4));
	assert_memory_equal(back.as_path.data, path_as4, sizeof(path_as4));
}

/* ---- splitting at the 4096-octet limit (RFC 4271 §4.3) ------------------------------------ */

/* count /16s then /24s, all different, in wire form; returns the octets written. */
static size_t make_prefixes(uint8_t *out, unsigned sixteens, unsigned twenty_fours)
{
	size_t at = 0;
	for (unsigned i = 0; i < sixteens; i++) {
		uint8_t addr[2] = { 172, (uint8_t)(16 + i) };
		at += bgp_prefix_wire_encode(out + at, 16, addr);
	}
	for (unsigned i = 0; i < twenty_fours; i++) {
		uint8_t addr[3] = { 20, (uint8_t)(i >> 8), (uint8_t)i };
		at += bgp_prefix_wire_encode(out + at, 24, addr);
	}
	return at;
}

/* ORIGIN IGP, AS_PATH 65000, NEXT_HOP 192.0.2.1: 20 octets */
static const uint8_t small_attrs[] = {
	0x40, 0x01, 0x01, 0x00, 0x40, 0x02, 0x06, 0x02, 0x01, 0x00,
	0x00, 0xfd, 0xe8, 0x40, 0x03, 0x04, 0xc0, 0x00, 0x02, 0x01,
};

static const uint8_t second_announce_golden[] = {
	MARKER, 0x00, 0x2f, 0x02,                         /* length 47, UPDATE */
	0x00, 0x00, 0x00, 0x14,                           /* no withdrawn; attributes 20 */
	0x40, 0x01, 0x01, 0x00,                           /* ORIGIN IGP */
	0x40, 0x02, 0x06, 0x02, 0x01, 0x00, 0x00, 0xfd, 0xe8, /* AS_PATH 65000 */
	0x40, 0x03, 0x04, 0xc0, 0x00, 0x02, 0x01,         /* NEXT_HOP 192.0.2.1 */
	0x18, 0x14, 0x03, 0xf3,                           /* 20.3.243.0/24, the 1,012th /24 */
};

static void test_announce_splits_at_4096(void **state)
{
	(void)state;
	/* 23 octets of fixed fields + 20 of attributes + 3 x 3 + 1011 x 4 of prefixes = 4096:
	 * the 1,014 first prefixes fill one message exactly; the next one starts another. */
	static uint8_t prefixes[8192];
	size_t n = make_prefixes(prefixes, 3, 1012);
	struct bgp_update_reach reach = { .afi = BGP_AFI_IPV4, .attributes = small_attrs,
					  .attributes_len = sizeof(small_attrs) };
	struct bgp_update_prefixes p = { .data = prefixes, .len = n };
	uint8_t buf[BGP_MAX_MESSAGE];
	size_t len = bgp_update_pack_announce(buf, sizeof(buf), &reach, &p);
	assert_int_equal(len, BGP_MAX_MESSAGE);
	static const uint8_t first_head[] = { MARKER, 0x10, 0x00, 0x02, 0x00, 0x00, 0x00, 0x14 };
	assert_memory_equal(buf, first_head, sizeof(first_head));
	assert_memory_equal(buf + sizeof(first_head), small_attrs, sizeof(small_attrs));
	assert_int_equal(p.at, 4053);
	assert_int_equal(p.packed, 1014);
	assert_memory_equal(buf + 43, prefixes, 4053);
	struct bgp_update_parts parts;
	split_update(buf, len, &parts);
	struct bgp_prefix4 pfx;
	unsigned count = 0;
	while (bgp_prefix4_next(&parts.nlri, &pfx) > 0)
		count++;
	assert_int_equal(count, 1014);

	len = bgp_update_pack_announce(buf, sizeof(buf), &reach, &p);
	assert_int_equal(len, sizeof(second_announce_golden));
	assert_memory_equal(buf, second_announce_golden, len);
	assert_int_equal(p.at, p.len);
	assert_int_equal(p.packed, 1015); /* every prefix of the run, once */

	/* One octet more in the first run (a /24 in place of a /16) and its last prefix moves. */
	n = make_prefixes(prefixes, 2, 1013);
	p = (struct bgp_update_prefixes){ .data = prefixes, .len = n };
	len = bgp_update_pack_announce(buf, sizeof(buf), &reach, &p);
	assert_int_equal(len, BGP_MAX_MESSAGE - 3);
	assert_int_equal(bgp_update_pack_announce(buf, sizeof(buf), &reach, &p), 23 + 20 + 4 + 4);
}

static void test_withdraw_splits_at_4096(void **state)
{
	(void)state;
	/* 23 fixed octets + 3 x 3 + 1016 x 4 = 4096. */
	static uint8_t prefixes[8192];
	size_t n = make_prefixes(prefixes, 3, 1017);
	struct bgp_update_prefixes p = { .data = prefixes, .len = n };
	uint8_t buf[BGP_MAX_MESSAGE];
	size_t len = bgp_update_pack_withdrawn(buf, sizeof(buf), BGP_AFI_IPV4, &p);
	assert_int_equal(len, BGP_MAX_MESSAGE);
	static const uint8_t head[] = { MARKER, 0x10, 0x00, 0x02, 0x0f, 0xe9 }; /* withdrawn 4073 */
	assert_memory_equal(buf, head, sizeof(head));
	assert_int_equal(buf[BGP_MAX_MESSAGE - 2], 0); /* Total Path Attribute Length 0 */
	assert_int_equal(buf[BGP_MAX_MESSAGE - 1], 0);
	static const uint8_t second[] = { MARKER, 0x00, 0x1b, 0x02, 0x00, 0x04, 0x18, 0x14, 0x03, 0xf8, 0x00, 0x00 };
	assert_int_equal(p.packed, 1019);
	len = bgp_update_pack_withdrawn(buf, sizeof(buf), BGP_AFI_IPV4, &p);
	assert_int_equal(len, sizeof(second));
	assert_memory_equal(buf, second, len);
	assert_int_equal(p.packed, 1020);
	/* With extended messages (RFC 8654) they all fit in one. */
	static uint8_t big[BGP_MAX_EXTENDED_MESSAGE];
	p.at = 0;
	assert_int_equal(bgp_update_pack_withdrawn(big, sizeof(big), BGP_AFI_IPV4, &p), BGP_MAX_MESSAGE + 4);
}

static void test_attributes_leave_no_room(void **state)
{
	(void)state;
	static uint8_t attrs[BGP_MAX_MESSAGE];
	memset(attrs, 0, sizeof(attrs));
	struct bgp_update_reach reach = { .afi = BGP_AFI_IPV4, .attributes = attrs,
					  .attributes_len = BGP_MAX_MESSAGE - 23 - 3 };
	struct bgp_update_prefixes p = { .data = announced4 + 3, .len = 4 }; /* one /24 */
	uint8_t buf[BGP_MAX_MESSAGE];
	assert_int_equal(bgp_update_pack_announce(buf, sizeof(buf), &reach, &p), 0);
	assert_int_equal(p.at, 0);
	reach.afi = BGP_AFI_IPV6;
	p = (struct bgp_update_prefixes){ .data = announced6, .len = sizeof(announced6) };
	assert_int_equal(bgp_update_pack_announce(buf, sizeof(buf), &reach, &p), 0);
	/* Room for exactly one /24 */
	reach.afi = BGP_AFI_IPV4;
	reach.attributes_len = BGP_MAX_MESSAGE - 23 - 4;
	p = (struct bgp_update_prefixes){ .data = announced4 + 3, .len = 4 };
	assert_int_equal(bgp_update_pack_announce(buf, sizeof(buf), &reach, &p), BGP_MAX_MESSAGE);
}

/* ---- End-of-RIB (RFC 4724 §2) ------------------------------------------------------------- */

static const uint8_t end_of_rib4_golden[] = { MARKER, 0x00, 0x17, 0x02, 0x00, 0x00, 0x00, 0x00 };
static const uint8_t end_of_rib6_golden[] = {
	MARKER, 0x00, 0x1d, 0x02,                         /* length 29, UPDATE */
	0x00, 0x00, 0x00, 0x06,                           /* no withdrawn; attributes 6 */
	0x80, 0x0f, 0x03, 0x00, 0x02, 0x01,               /* MP_UNREACH_NLRI: IPv6 unicast, empty */
};

static void test_end_of_rib_golden(void **state)
{
	(void)state;
	uint8_t buf[64];
	size_t len = bgp_update_pack_end_of_rib(buf, sizeof(buf), BGP_AFI_IPV4, BGP_SAFI_UNICAST);
	assert_int_equal(len, BGP_UPDATE_MIN_LEN);
	assert_memory_equal(buf, end_of_rib4_golden, len);
	len = bgp_update_pack_end_of_rib(buf, sizeof(buf), BGP_AFI_IPV6, BGP_SAFI_UNICAST);
	assert_int_equal(len, sizeof(end_of_rib6_golden));
	assert_memory_equal(buf, end_of_rib6_golden, len);
	assert_int_equal(bgp_update_pack_end_of_rib(buf, 22, BGP_AFI_IPV4, BGP_SAFI_UNICAST), 0);

	struct bgp_update_parts parts;
	split_update(end_of_rib4_golden, sizeof(end_of_rib4_golden), &parts);
	assert_true(reader_empty(&parts.withdrawn) && reader_empty(&parts.attributes) && reader_empty(&parts.nlri));
	split_update(end_of_rib6_golden, sizeof(end_of_rib6_golden), &parts);
	struct bgp_attrs a;
	decode_attrs(&parts, true, &a);
	assert_int_equal(a.present, BGP_ATTR_BIT(BGP_ATTR_MP_UNREACH_NLRI));
	assert_int_equal(a.mp_unreach.afi, BGP_AFI_IPV6);
	assert_int_equal(a.mp_unreach.safi, BGP_SAFI_UNICAST);
	assert_int_equal(a.mp_unreach.withdrawn_len, 0);
}

static void test_empty_and_truncated_runs(void **state)
{
	(void)state;
	uint8_t buf[BGP_MAX_MESSAGE];
	struct bgp_update_prefixes none = { .data = NULL, .len = 0 };
	assert_int_equal(bgp_update_pack_withdrawn(buf, sizeof(buf), BGP_AFI_IPV4, &none), 0);
	/* A /24 cut short after two octets: the packer stops before it, never reads past. */
	static const uint8_t cut[] = { 0x08, 0x0a, 0x18, 0xc0 };
	struct bgp_update_prefixes p = { .data = cut, .len = sizeof(cut) };
	size_t len = bgp_update_pack_withdrawn(buf, sizeof(buf), BGP_AFI_IPV4, &p);
	assert_int_equal(len, 23 + 2);
	assert_int_equal(p.at, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_withdraw_ipv4_golden),
		cmocka_unit_test(test_withdraw_ipv6_golden),
		cmocka_unit_test(test_announce_ipv4_golden),
		cmocka_unit_test(test_announce_ipv6_golden),
		cmocka_unit_test(test_two_octet_peer_gets_as4_path),
		cmocka_unit_test(test_announce_splits_at_4096),
		cmocka_unit_test(test_withdraw_splits_at_4096),
		cmocka_unit_test(test_attributes_leave_no_room),
		cmocka_unit_test(test_end_of_rib_golden),
		cmocka_unit_test(test_empty_and_truncated_runs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
