/*
 * DOC: unit tests of the BGP path attribute codec (src/wire/bgp_attr.h).
 *
 * Golden bytes both ways: each attribute has a hand-written byte array; decode must give the
 * expected values and the canonical encoder must give back exactly those bytes. Then a table
 * of RFC 7606 cases, one row each: input attributes, decode options, the expected result
 * (OK / treat-as-withdraw / session reset), NOTIFICATION subcode, and discard counts. Then
 * the AS path helpers, the text forms and the RFC 6793 merge and split.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "wire/bgp_attr.h"

struct bytes {
	const uint8_t *data;
	size_t len;
};
#define BYTES(...) { (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ }) }

/* Common well-formed attributes. */
#define ORIGIN_IGP 0x40, 0x01, 0x01, 0x00
#define ASPATH4_100 0x40, 0x02, 0x06, 0x02, 0x01, 0x00, 0x00, 0x00, 0x64
#define ASPATH2_100 0x40, 0x02, 0x04, 0x02, 0x01, 0x00, 0x64
#define NEXTHOP_10_0_0_1 0x40, 0x03, 0x04, 0x0a, 0x00, 0x00, 0x01

static const struct bgp_attr_opts EBGP4 = { .as4 = true, .ibgp = false, .ipv4_nlri = true };
static const struct bgp_attr_opts IBGP4 = { .as4 = true, .ibgp = true, .ipv4_nlri = true };
static const struct bgp_attr_opts EBGP2 = { .as4 = false, .ibgp = false, .ipv4_nlri = true };
static const struct bgp_attr_opts IBGP2 = { .as4 = false, .ibgp = true, .ipv4_nlri = true };
static const struct bgp_attr_opts NO_NLRI4 = { .as4 = true, .ibgp = true };
static const struct bgp_attr_opts WD_ONLY4 = { .as4 = true, .ibgp = true, .ipv4_withdrawn = true };

static enum bgp_attr_result decode(struct bytes b, const struct bgp_attr_opts *o,
				   struct bgp_attrs *a, struct bgp_error *err)
{
	struct reader r = reader_make(b.data, b.len);
	enum bgp_attr_result res = bgp_attr_decode(&r, o, a, err);
	assert_true(reader_empty(&r)); /* always consumes the field */
	return res;
}

/* ---- golden bytes both ways -------------------------------------------------------------- */

struct golden {
	const char *name;
	struct bytes wire;
	const struct bgp_attr_opts *opts;
	void (*check)(const struct bgp_attrs *a);
};

static void check_base4(const struct bgp_attrs *a)
{
	assert_true(bgp_attrs_has(a, BGP_ATTR_ORIGIN));
	assert_int_equal(a->origin, BGP_ORIGIN_IGP);
	assert_int_equal(bgp_as_path_length(&a->as_path), 1);
	assert_int_equal(bgp_as_path_first(&a->as_path), 100);
	assert_int_equal(a->next_hop, 0x0a000001);
}

static void check_origin(const struct bgp_attrs *a)
{
	assert_int_equal(a->present, BGP_ATTR_BIT(BGP_ATTR_ORIGIN));
	assert_int_equal(a->origin, BGP_ORIGIN_INCOMPLETE);
}

static void check_as_path4(const struct bgp_attrs *a)
{
	assert_int_equal(a->present, BGP_ATTR_BIT(BGP_ATTR_AS_PATH));
	assert_int_equal(a->as_path.asn_size, 4);
	assert_int_equal(bgp_as_path_length(&a->as_path), 3); /* 2 + set(1) + confed(0) */
	assert_true(bgp_as_path_contains(&a->as_path, 4200000000u));
	assert_true(bgp_as_path_contains(&a->as_path, 65001));
	assert_false(bgp_as_path_contains(&a->as_path, 7));
}

static void check_as_path2(const struct bgp_attrs *a)
{
	assert_int_equal(a->present, BGP_ATTR_BIT(BGP_ATTR_AS_PATH));
	assert_int_equal(a->as_path.asn_size, 2);
	assert_int_equal(bgp_as_path_length(&a->as_path), 2);
	assert_int_equal(bgp_as_path_first(&a->as_path), 100);
}

static void check_empty_as_path(const struct bgp_attrs *a)
{
	assert_int_equal(a->present, BGP_ATTR_BIT(BGP_ATTR_AS_PATH));
	assert_int_equal(a->as_path.len, 0);
	assert_int_equal(bgp_as_path_length(&a->as_path), 0);
}

static void check_med(const struct bgp_attrs *a)
{
	assert_int_equal(a->present, BGP_ATTR_BIT(BGP_ATTR_MULTI_EXIT_DISC));
	assert_int_equal(a->med, 0x01020304);
}

static void check_local_pref(const struct bgp_attrs *a)
{
	assert_int_equal(a->present, BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF));
	assert_int_equal(a->local_pref, 200);
}

static void check_atomic(const struct bgp_attrs *a)
{
	assert_int_equal(a->present, BGP_ATTR_BIT(BGP_ATTR_ATOMIC_AGGREGATE));
}

static void check_aggregator4(const struct bgp_attrs *a)
{
	assert_int_equal(a->present, BGP_ATTR_BIT(BGP_ATTR_AGGREGATOR));
	assert_int_equal(a->aggregator_as, 4200000000u);
	assert_int_equal(a->aggregator_addr, 0xc0000201);
}

static void check_aggregator2(const struct bgp_attrs *a)
{
	assert_int_equal(a->present, BGP_ATTR_BIT(BGP_ATTR_AGGREGATOR));
	assert_int_equal(a->aggregator_as, 65000);
	assert_int_equal(a->aggregator_addr, 0xc0000201);
}

static void check_communities(const struct bgp_attrs *a)
{
	assert_int_equal(a->present, BGP_ATTR_BIT(BGP_ATTR_COMMUNITIES));
	assert_int_equal(bgp_communities_count(&a->communities), 2);
	assert_int_equal(bgp_community_at(&a->communities, 0), (65000u << 16) | 1);
	assert_int_equal(bgp_community_at(&a->communities, 1), BGP_COMMUNITY_NO_EXPORT);
	assert_true(bgp_communities_contain(&a->communities, BGP_COMMUNITY_NO_EXPORT));
	assert_false(bgp_communities_contain(&a->communities, BGP_COMMUNITY_NO_ADVERTISE));
}

static void check_partial(const struct bgp_attrs *a)
{
	assert_int_equal(a->present, BGP_ATTR_BIT(BGP_ATTR_COMMUNITIES));
	assert_int_equal(a->partial, BGP_ATTR_BIT(BGP_ATTR_COMMUNITIES));
}

static void check_originator(const struct bgp_attrs *a)
{
	assert_int_equal(a->present, BGP_ATTR_BIT(BGP_ATTR_ORIGINATOR_ID));
	assert_int_equal(a->originator_id, 0x01010101);
}

static void check_cluster_list(const struct bgp_attrs *a)
{
	assert_int_equal(a->present, BGP_ATTR_BIT(BGP_ATTR_CLUSTER_LIST));
	assert_int_equal(a->cluster_list.len, 8);
	assert_int_equal(bgp_cluster_id_at(&a->cluster_list, 0), 0x02020202);
	assert_int_equal(bgp_cluster_id_at(&a->cluster_list, 1), 0x03030303);
}

static void check_mp_reach6(const struct bgp_attrs *a)
{
	assert_true(bgp_attrs_has(a, BGP_ATTR_MP_REACH_NLRI));
	assert_int_equal(a->mp_reach.afi, BGP_AFI_IPV6);
	assert_int_equal(a->mp_reach.safi, BGP_SAFI_UNICAST);
	assert_true(a->mp_reach.supported);
	assert_int_equal(a->mp_reach.nexthop_len, 32);
	assert_int_equal(a->mp_reach.nexthop[0], 0x20);
	assert_int_equal(a->mp_reach.nexthop[16], 0xfe);
	struct reader r = reader_make(a->mp_reach.nlri, a->mp_reach.nlri_len);
	struct bgp_mp_prefix p;
	assert_int_equal(bgp_mp_prefix_next(&r, BGP_AFI_IPV6, &p), 1);
	assert_int_equal(p.len, 32);
	assert_int_equal(p.addr[0], 0x20);
	assert_int_equal(p.addr[1], 0x01);
	assert_int_equal(p.addr[2], 0x0d);
	assert_int_equal(p.addr[3], 0xb8);
	assert_int_equal(bgp_mp_prefix_next(&r, BGP_AFI_IPV6, &p), 1);
	assert_int_equal(p.len, 0);
	assert_int_equal(bgp_mp_prefix_next(&r, BGP_AFI_IPV6, &p), 0);
}

static void check_mp_reach4(const struct bgp_attrs *a)
{
	assert_int_equal(a->mp_reach.afi, BGP_AFI_IPV4);
	assert_int_equal(a->mp_reach.nexthop_len, 4);
	assert_int_equal(a->mp_reach.nlri_len, 4);
}

static void check_mp_unreach6(const struct bgp_attrs *a)
{
	assert_int_equal(a->present, BGP_ATTR_BIT(BGP_ATTR_MP_UNREACH_NLRI));
	assert_int_equal(a->mp_unreach.afi, BGP_AFI_IPV6);
	assert_true(a->mp_unreach.supported);
	assert_int_equal(a->mp_unreach.withdrawn_len, 5);
}

static void check_mp_unsupported(const struct bgp_attrs *a)
{
	assert_int_equal(a->mp_reach.afi, 1);
	assert_int_equal(a->mp_reach.safi, 128);
	assert_false(a->mp_reach.supported);
	assert_int_equal(a->mp_reach.nexthop_len, 12);
	assert_int_equal(a->mp_reach.nlri_len, 3);
}

static void check_ext_communities(const struct bgp_attrs *a)
{
	assert_int_equal(a->present, BGP_ATTR_BIT(BGP_ATTR_EXT_COMMUNITIES));
	assert_int_equal(bgp_ext_communities_count(&a->ext_communities), 1);
	assert_true(bgp_ext_community_at(&a->ext_communities, 0) == 0x0002fde800000064ull);
}

static void check_as4_path(const struct bgp_attrs *a)
{
	assert_int_equal(a->present, BGP_ATTR_BIT(BGP_ATTR_AS4_PATH));
	assert_int_equal(a->as4_path.asn_size, 4);
	assert_int_equal(bgp_as_path_first(&a->as4_path), 4200000000u);
}

static void check_as4_aggregator(const struct bgp_attrs *a)
{
	assert_int_equal(a->present, BGP_ATTR_BIT(BGP_ATTR_AS4_AGGREGATOR));
	assert_int_equal(a->as4_aggregator_as, 4200000000u);
	assert_int_equal(a->as4_aggregator_addr, 0xc0000201);
}

static void check_large(const struct bgp_attrs *a)
{
	assert_int_equal(a->present, BGP_ATTR_BIT(BGP_ATTR_LARGE_COMMUNITY));
	assert_int_equal(bgp_large_communities_count(&a->large_communities), 1);
	struct bgp_large_community c = bgp_large_community_at(&a->large_communities, 0);
	assert_int_equal(c.global, 4200000000u);
	assert_int_equal(c.local1, 1);
	assert_int_equal(c.local2, 2);
}

static void check_unknown(const struct bgp_attrs *a)
{
	assert_int_equal(a->present, 0);
	assert_int_equal(a->unknown_count, 1);
	assert_int_equal(a->unknown[0].type, 99);
	assert_int_equal(a->unknown[0].len, 2);
	assert_int_equal(a->unknown[0].data[1], 0xbb);
}

static void check_long_as_path(const struct bgp_attrs *a)
{
	assert_int_equal(a->as_path.len, 2 + 4 * 70);
	assert_int_equal(bgp_as_path_length(&a->as_path), 70);
}

static const uint8_t long_as_path[] = {
	0x50, 0x02, 0x01, 0x1a, 0x02, 70,
#define A4(n) 0, 0, 0, n
#define A4x10(b) A4(b), A4(b + 1), A4(b + 2), A4(b + 3), A4(b + 4), A4(b + 5), A4(b + 6), \
		 A4(b + 7), A4(b + 8), A4(b + 9)
	A4x10(1), A4x10(11), A4x10(21), A4x10(31), A4x10(41), A4x10(51), A4x10(61),
};

static const struct golden goldens[] = {
	{ "base set", BYTES(ORIGIN_IGP, ASPATH4_100, NEXTHOP_10_0_0_1), &EBGP4, check_base4 },
	{ "ORIGIN", BYTES(0x40, 0x01, 0x01, 0x02), &NO_NLRI4, check_origin },
	{ "AS_PATH 4-octet: seq, set, confed seq",
	  BYTES(0x40, 0x02, 0x16,
		0x02, 0x02, 0xfa, 0x56, 0xea, 0x00, 0x00, 0x00, 0x00, 0xc8, /* 4200000000 200 */
		0x01, 0x01, 0x00, 0x00, 0x01, 0x2c,                         /* {300} */
		0x03, 0x01, 0x00, 0x00, 0xfd, 0xe9),                        /* (65001) */
	  &NO_NLRI4, check_as_path4 },
	{ "AS_PATH 2-octet", BYTES(0x40, 0x02, 0x06, 0x02, 0x02, 0x00, 0x64, 0x00, 0xc8),
	  &(struct bgp_attr_opts){ .as4 = false }, check_as_path2 },
	{ "AS_PATH empty", BYTES(0x40, 0x02, 0x00), &NO_NLRI4, check_empty_as_path },
	{ "MULTI_EXIT_DISC", BYTES(0x80, 0x04, 0x04, 0x01, 0x02, 0x03, 0x04), &NO_NLRI4, check_med },
	{ "LOCAL_PREF", BYTES(0x40, 0x05, 0x04, 0x00, 0x00, 0x00, 0xc8), &NO_NLRI4,
	  check_local_pref },
	{ "ATOMIC_AGGREGATE", BYTES(0x40, 0x06, 0x00), &NO_NLRI4, check_atomic },
	{ "AGGREGATOR 4-octet",
	  BYTES(0xc0, 0x07, 0x08, 0xfa, 0x56, 0xea, 0x00, 0xc0, 0x00, 0x02, 0x01), &NO_NLRI4,
	  check_aggregator4 },
	{ "AGGREGATOR 2-octet", BYTES(0xc0, 0x07, 0x06, 0xfd, 0xe8, 0xc0, 0x00, 0x02, 0x01),
	  &(struct bgp_attr_opts){ .as4 = false }, check_aggregator2 },
	{ "COMMUNITIES",
	  BYTES(0xc0, 0x08, 0x08, 0xfd, 0xe8, 0x00, 0x01, 0xff, 0xff, 0xff, 0x01), &NO_NLRI4,
	  check_communities },
	{ "COMMUNITIES with Partial kept (RFC 4271 §5)", BYTES(0xe0, 0x08, 0x04, 0, 1, 0, 1),
	  &NO_NLRI4, check_partial },
	{ "ORIGINATOR_ID", BYTES(0x80, 0x09, 0x04, 0x01, 0x01, 0x01, 0x01), &NO_NLRI4,
	  check_originator },
	{ "CLUSTER_LIST", BYTES(0x80, 0x0a, 0x08, 2, 2, 2, 2, 3, 3, 3, 3), &NO_NLRI4,
	  check_cluster_list },
	{ "MP_REACH_NLRI IPv6, global + link-local",
	  BYTES(0x80, 0x0e, 0x2b, 0x00, 0x02, 0x01, 0x20,
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
		0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
		0x00, 0x20, 0x20, 0x01, 0x0d, 0xb8, 0x00, ORIGIN_IGP, ASPATH4_100),
	  &NO_NLRI4, check_mp_reach6 },
	{ "MP_REACH_NLRI IPv4", BYTES(0x80, 0x0e, 0x0d, 0x00, 0x01, 0x01, 0x04, 10, 0, 0, 1, 0x00,
				      0x18, 192, 0, 2, ORIGIN_IGP, ASPATH4_100),
	  &NO_NLRI4, check_mp_reach4 },
	{ "MP_REACH_NLRI unsupported AFI/SAFI kept raw",
	  BYTES(0x80, 0x0e, 0x14, 0x00, 0x01, 0x80, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 1, 0x00,
		0xff, 0xff, 0xff, ORIGIN_IGP, ASPATH4_100),
	  &NO_NLRI4, check_mp_unsupported },
	{ "MP_UNREACH_NLRI IPv6", BYTES(0x80, 0x0f, 0x08, 0x00, 0x02, 0x01, 0x20, 0x20, 0x01, 0x0d,
					0xb8),
	  &NO_NLRI4, check_mp_unreach6 },
	{ "EXTENDED_COMMUNITIES", BYTES(0xc0, 0x10, 0x08, 0x00, 0x02, 0xfd, 0xe8, 0, 0, 0, 0x64),
	  &NO_NLRI4, check_ext_communities },
	{ "AS4_PATH", BYTES(0xc0, 0x11, 0x06, 0x02, 0x01, 0xfa, 0x56, 0xea, 0x00),
	  &(struct bgp_attr_opts){ .as4 = false }, check_as4_path },
	{ "AS4_AGGREGATOR", BYTES(0xc0, 0x12, 0x08, 0xfa, 0x56, 0xea, 0x00, 0xc0, 0x00, 0x02, 0x01),
	  &(struct bgp_attr_opts){ .as4 = false }, check_as4_aggregator },
	{ "LARGE_COMMUNITY", BYTES(0xc0, 0x20, 0x0c, 0xfa, 0x56, 0xea, 0x00, 0, 0, 0, 1, 0, 0, 0, 2),
	  &NO_NLRI4, check_large },
	{ "unknown optional transitive, passed on with Partial",
	  BYTES(0xe0, 0x63, 0x02, 0xaa, 0xbb), &NO_NLRI4, check_unknown },
	{ "extended length when over 255", { long_as_path, sizeof(long_as_path) }, &NO_NLRI4,
	  check_long_as_path },
};

static void test_golden(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(goldens) / sizeof(goldens[0]); i++) {
		const struct golden *g = &goldens[i];
		print_message("golden: %s\n", g->name);
		struct bgp_attrs a;
		struct bgp_error err;
		assert_int_equal(decode(g->wire, g->opts, &a, &err), BGP_ATTR_RESULT_OK);
		assert_int_equal(err.code, 0);
		assert_int_equal(a.discarded, 0);
		g->check(&a);
		uint8_t buf[1024];
		struct writer w = writer_make(buf, sizeof(buf));
		assert_true(bgp_attr_encode(&w, &a, g->opts->as4));
		assert_int_equal(w.len, g->wire.len);
		assert_memory_equal(buf, g->wire.data, g->wire.len);
		/* and the re-decoded set is the same */
		struct bgp_attrs b;
		assert_int_equal(decode((struct bytes){ buf, w.len }, g->opts, &b, &err),
				 BGP_ATTR_RESULT_OK);
		assert_true(bgp_attrs_equal(&a, &b));
	}
}

static void test_encode_order_and_extended(void **state)
{
	(void)state;
	/* Received out of order, with a needless Extended Length flag on ORIGIN. */
	struct bytes in = BYTES(0xc0, 0x08, 0x04, 0xfd, 0xe8, 0x00, 0x01, NEXTHOP_10_0_0_1,
				0x50, 0x01, 0x00, 0x01, 0x00, ASPATH4_100,
				0x80, 0x0f, 0x03, 0x00, 0x02, 0x01);
	const uint8_t canonical[] = { 0x80, 0x0f, 0x03, 0x00, 0x02, 0x01, ORIGIN_IGP, ASPATH4_100,
				      NEXTHOP_10_0_0_1, 0xc0, 0x08, 0x04, 0xfd, 0xe8, 0x00, 0x01 };
	struct bgp_attrs a;
	struct bgp_error err;
	assert_int_equal(decode(in, &EBGP4, &a, &err), BGP_ATTR_RESULT_OK);
	uint8_t buf[256];
	struct writer w = writer_make(buf, sizeof(buf));
	assert_true(bgp_attr_encode(&w, &a, true));
	assert_int_equal(w.len, sizeof(canonical));
	assert_memory_equal(buf, canonical, sizeof(canonical));
	/* a too small writer fails cleanly */
	struct writer small = writer_make(buf, 10);
	assert_false(bgp_attr_encode(&small, &a, true));
}

static void test_unknown_order(void **state)
{
	(void)state;
	/* Unknown transitive attributes are kept sorted by type, type 0 included, and go out in
	 * type order with Partial set (found by the fuzzer). */
	struct bytes in = BYTES(0xc0, 0x23, 0x01, 0x07, 0xd0, 0x00, 0x00, 0x01, 0x01, 0xc0, 0x00, 0x00);
	const uint8_t want[] = { 0xe0, 0x00, 0x01, 0x01, 0xe0, 0x23, 0x01, 0x07 };
	struct bgp_attrs a;
	struct bgp_error err;
	assert_int_equal(decode(in, &NO_NLRI4, &a, &err), BGP_ATTR_RESULT_OK);
	assert_int_equal(a.unknown_count, 2);
	assert_int_equal(a.unknown[0].type, 0);
	assert_int_equal(a.unknown[1].type, 0x23);
	assert_int_equal(a.discarded, 1); /* the second type 0 */
	uint8_t buf[64];
	struct writer w = writer_make(buf, sizeof(buf));
	assert_true(bgp_attr_encode(&w, &a, true));
	assert_int_equal(w.len, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
}

static void test_encode_width_conversion(void **state)
{
	(void)state;
	/* 4-octet path and aggregator to a 2-octet peer: AS_TRANS for the big ASN. */
	struct bytes in = BYTES(0x40, 0x02, 0x0a, 0x02, 0x02, 0xfa, 0x56, 0xea, 0x00, 0x00, 0x00,
				0x00, 0x64, 0xc0, 0x07, 0x08, 0xfa, 0x56, 0xea, 0x00, 1, 2, 3, 4);
	const uint8_t out2[] = { 0x40, 0x02, 0x06, 0x02, 0x02, 0x5b, 0xa0, 0x00, 0x64,
				 0xc0, 0x07, 0x06, 0x5b, 0xa0, 1, 2, 3, 4 };
	struct bgp_attrs a;
	struct bgp_error err;
	assert_int_equal(decode(in, &NO_NLRI4, &a, &err), BGP_ATTR_RESULT_OK);
	uint8_t buf[64];
	struct writer w = writer_make(buf, sizeof(buf));
	assert_true(bgp_attr_encode(&w, &a, false));
	assert_int_equal(w.len, sizeof(out2));
	assert_memory_equal(buf, out2, sizeof(out2));
}

/* ---- RFC 7606 cases ---------------------------------------------------------------------- */

struct rfc7606_case {
	const char *name;
	struct bytes wire;
	const struct bgp_attr_opts *opts;
	enum bgp_attr_result result;
	uint8_t subcode;     /* of err (for RESET the NOTIFICATION, for WITHDRAW the log); 0: none */
	uint16_t discarded;
	uint16_t dropped_unknown;
};

#define BASE4 ORIGIN_IGP, ASPATH4_100, NEXTHOP_10_0_0_1
#define OK_ BGP_ATTR_RESULT_OK
#define WD_ BGP_ATTR_RESULT_WITHDRAW
#define RS_ BGP_ATTR_RESULT_RESET

static const struct rfc7606_case cases[] = {
	/* RFC 7606 §7.1 ORIGIN */
	{ "ORIGIN undefined value", BYTES(0x40, 0x01, 0x01, 0x03, ASPATH4_100, NEXTHOP_10_0_0_1),
	  &EBGP4, WD_, BGP_ERR_UPDATE_INVALID_ORIGIN, 0, 0 },
	{ "ORIGIN length 2", BYTES(0x40, 0x01, 0x02, 0x00, 0x00, ASPATH4_100, NEXTHOP_10_0_0_1),
	  &EBGP4, WD_, BGP_ERR_UPDATE_ATTRIBUTE_LENGTH, 0, 0 },
	{ "ORIGIN length 0 (RFC 7606 §4)", BYTES(0x40, 0x01, 0x00, ASPATH4_100, NEXTHOP_10_0_0_1),
	  &EBGP4, WD_, BGP_ERR_UPDATE_ATTRIBUTE_LENGTH, 0, 0 },
	/* RFC 7606 §3(c) flags */
	{ "ORIGIN flagged optional", BYTES(0xc0, 0x01, 0x01, 0x00, ASPATH4_100, NEXTHOP_10_0_0_1),
	  &EBGP4, WD_, BGP_ERR_UPDATE_ATTRIBUTE_FLAGS, 0, 0 },
	{ "NEXT_HOP not transitive", BYTES(ORIGIN_IGP, ASPATH4_100, 0x00, 0x03, 0x04, 10, 0, 0, 1),
	  &EBGP4, WD_, BGP_ERR_UPDATE_ATTRIBUTE_FLAGS, 0, 0 },
	{ "MED flagged transitive", BYTES(BASE4, 0xc0, 0x04, 0x04, 0, 0, 0, 1), &EBGP4, WD_,
	  BGP_ERR_UPDATE_ATTRIBUTE_FLAGS, 0, 0 },
	{ "COMMUNITIES flagged well-known", BYTES(BASE4, 0x40, 0x08, 0x04, 0, 1, 0, 1), &EBGP4, WD_,
	  BGP_ERR_UPDATE_ATTRIBUTE_FLAGS, 0, 0 },
	{ "Partial bit on well-known is not a flags error",
	  BYTES(0x60, 0x01, 0x01, 0x00, ASPATH4_100, NEXTHOP_10_0_0_1), &EBGP4, OK_, 0, 0, 0 },
	{ "AGGREGATOR flags error: discard (RFC 7606 §7.7)",
	  BYTES(BASE4, 0x40, 0x07, 0x08, 0, 0, 0, 1, 1, 2, 3, 4), &EBGP4, OK_, 0, 1, 0 },
	{ "ATOMIC_AGGREGATE flags error: discard", BYTES(BASE4, 0x80, 0x06, 0x00), &EBGP4, OK_, 0, 1,
	  0 },
	{ "MP_REACH_NLRI flags error: reset",
	  BYTES(0xc0, 0x0e, 0x05, 0x00, 0x02, 0x01, 0x00, 0x00), &NO_NLRI4, RS_,
	  BGP_ERR_UPDATE_ATTRIBUTE_FLAGS, 0, 0 },
	/* RFC 7606 §7.2 AS_PATH */
	{ "AS_PATH segment overrun",
	  BYTES(ORIGIN_IGP, 0x40, 0x02, 0x06, 0x02, 0x02, 0, 0, 0, 0x64, NEXTHOP_10_0_0_1), &EBGP4,
	  WD_, BGP_ERR_UPDATE_MALFORMED_AS_PATH, 0, 0 },
	{ "AS_PATH zero-length segment",
	  BYTES(ORIGIN_IGP, 0x40, 0x02, 0x02, 0x02, 0x00, NEXTHOP_10_0_0_1), &EBGP4, WD_,
	  BGP_ERR_UPDATE_MALFORMED_AS_PATH, 0, 0 },
	{ "AS_PATH bad segment type",
	  BYTES(ORIGIN_IGP, 0x40, 0x02, 0x06, 0x05, 0x01, 0, 0, 0, 0x64, NEXTHOP_10_0_0_1), &EBGP4,
	  WD_, BGP_ERR_UPDATE_MALFORMED_AS_PATH, 0, 0 },
	{ "AS_PATH one stray octet",
	  BYTES(ORIGIN_IGP, 0x40, 0x02, 0x07, 0x02, 0x01, 0, 0, 0, 0x64, 0x02, NEXTHOP_10_0_0_1),
	  &EBGP4, WD_, BGP_ERR_UPDATE_MALFORMED_AS_PATH, 0, 0 },
	{ "AS_PATH 2-octet ASNs on a 4-octet session",
	  BYTES(ORIGIN_IGP, ASPATH2_100, NEXTHOP_10_0_0_1), &EBGP4, WD_,
	  BGP_ERR_UPDATE_MALFORMED_AS_PATH, 0, 0 },
	{ "AS_PATH with AS 0 (RFC 7607)",
	  BYTES(ORIGIN_IGP, 0x40, 0x02, 0x06, 0x02, 0x01, 0, 0, 0, 0, NEXTHOP_10_0_0_1), &EBGP4, WD_,
	  BGP_ERR_UPDATE_MALFORMED_AS_PATH, 0, 0 },
	/* RFC 7606 §7.3 NEXT_HOP */
	{ "NEXT_HOP length 5", BYTES(ORIGIN_IGP, ASPATH4_100, 0x40, 0x03, 0x05, 10, 0, 0, 1, 0),
	  &EBGP4, WD_, BGP_ERR_UPDATE_ATTRIBUTE_LENGTH, 0, 0 },
	{ "NEXT_HOP 0.0.0.0", BYTES(ORIGIN_IGP, ASPATH4_100, 0x40, 0x03, 0x04, 0, 0, 0, 0), &EBGP4,
	  WD_, BGP_ERR_UPDATE_INVALID_NEXT_HOP, 0, 0 },
	{ "NEXT_HOP multicast", BYTES(ORIGIN_IGP, ASPATH4_100, 0x40, 0x03, 0x04, 224, 0, 0, 5),
	  &EBGP4, WD_, BGP_ERR_UPDATE_INVALID_NEXT_HOP, 0, 0 },
	{ "NEXT_HOP broadcast", BYTES(ORIGIN_IGP, ASPATH4_100, 0x40, 0x03, 0x04, 255, 255, 255, 255),
	  &EBGP4, WD_, BGP_ERR_UPDATE_INVALID_NEXT_HOP, 0, 0 },
	{ "bad NEXT_HOP ignored without NLRI (RFC 4760 §3)",
	  BYTES(0x80, 0x0f, 0x03, 0x00, 0x02, 0x01, 0x40, 0x03, 0x05, 1, 2, 3, 4, 5), &NO_NLRI4, OK_,
	  0, 1, 0 },
	/* RFC 7606 §7.4, §7.5 */
	{ "MED length 3", BYTES(BASE4, 0x80, 0x04, 0x03, 0, 0, 1), &EBGP4, WD_,
	  BGP_ERR_UPDATE_ATTRIBUTE_LENGTH, 0, 0 },
	{ "LOCAL_PREF length 3 from IBGP", BYTES(BASE4, 0x40, 0x05, 0x03, 0, 0, 1), &IBGP4, WD_,
	  BGP_ERR_UPDATE_ATTRIBUTE_LENGTH, 0, 0 },
	{ "LOCAL_PREF from EBGP: discard", BYTES(BASE4, 0x40, 0x05, 0x04, 0, 0, 0, 100), &EBGP4, OK_,
	  0, 1, 0 },
	{ "LOCAL_PREF bad length from EBGP: discard", BYTES(BASE4, 0x40, 0x05, 0x03, 0, 0, 1),
	  &EBGP4, OK_, 0, 1, 0 },
	/* RFC 7606 §7.6, §7.7 */
	{ "ATOMIC_AGGREGATE length 1", BYTES(BASE4, 0x40, 0x06, 0x01, 0x00), &EBGP4, OK_, 0, 1, 0 },
	{ "AGGREGATOR length 7 (4-octet)", BYTES(BASE4, 0xc0, 0x07, 0x07, 0, 0, 1, 1, 2, 3, 4),
	  &EBGP4, OK_, 0, 1, 0 },
	{ "AGGREGATOR length 6 on a 4-octet session",
	  BYTES(BASE4, 0xc0, 0x07, 0x06, 0, 1, 1, 2, 3, 4), &EBGP4, OK_, 0, 1, 0 },
	{ "AGGREGATOR length 8 on a 2-octet session",
	  BYTES(ORIGIN_IGP, ASPATH2_100, NEXTHOP_10_0_0_1, 0xc0, 0x07, 0x08, 0, 0, 0, 1, 1, 2, 3, 4),
	  &EBGP2, OK_, 0, 1, 0 },
	{ "AGGREGATOR AS 0 (RFC 7607)", BYTES(BASE4, 0xc0, 0x07, 0x08, 0, 0, 0, 0, 1, 2, 3, 4),
	  &EBGP4, OK_, 0, 1, 0 },
	/* RFC 7606 §7.8 */
	{ "COMMUNITIES length 5", BYTES(BASE4, 0xc0, 0x08, 0x05, 0, 1, 0, 1, 0), &EBGP4, WD_,
	  BGP_ERR_UPDATE_ATTRIBUTE_LENGTH, 0, 0 },
	{ "COMMUNITIES length 0", BYTES(BASE4, 0xc0, 0x08, 0x00), &EBGP4, WD_,
	  BGP_ERR_UPDATE_ATTRIBUTE_LENGTH, 0, 0 },
	/* RFC 7606 §7.9, §7.10 */
	{ "ORIGINATOR_ID length 3 from IBGP", BYTES(BASE4, 0x80, 0x09, 0x03, 1, 1, 1), &IBGP4, WD_,
	  BGP_ERR_UPDATE_ATTRIBUTE_LENGTH, 0, 0 },
	{ "ORIGINATOR_ID from EBGP: discard", BYTES(BASE4, 0x80, 0x09, 0x04, 1, 1, 1, 1), &EBGP4, OK_,
	  0, 1, 0 },
	{ "CLUSTER_LIST length 6 from IBGP", BYTES(BASE4, 0x80, 0x0a, 0x06, 1, 1, 1, 1, 2, 2),
	  &IBGP4, WD_, BGP_ERR_UPDATE_ATTRIBUTE_LENGTH, 0, 0 },
	{ "CLUSTER_LIST from EBGP: discard", BYTES(BASE4, 0x80, 0x0a, 0x04, 1, 1, 1, 1), &EBGP4, OK_,
	  0, 1, 0 },
	/* RFC 7606 §7.11, §5.3 */
	{ "MP_REACH_NLRI too short for AFI/SAFI", BYTES(0x80, 0x0e, 0x02, 0x00, 0x02), &NO_NLRI4,
	  RS_, BGP_ERR_UPDATE_OPTIONAL_ATTRIBUTE, 0, 0 },
	{ "MP_REACH_NLRI IPv6 next hop length 12",
	  BYTES(0x80, 0x0e, 0x11, 0x00, 0x02, 0x01, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00),
	  &NO_NLRI4, RS_, BGP_ERR_UPDATE_OPTIONAL_ATTRIBUTE, 0, 0 },
	{ "MP_REACH_NLRI next hop overruns", BYTES(0x80, 0x0e, 0x06, 0x00, 0x02, 0x01, 0x10, 1, 2),
	  &NO_NLRI4, RS_, BGP_ERR_UPDATE_OPTIONAL_ATTRIBUTE, 0, 0 },
	{ "MP_REACH_NLRI without the reserved octet",
	  BYTES(0x80, 0x0e, 0x08, 0x00, 0x01, 0x01, 0x04, 10, 0, 0, 1), &NO_NLRI4, RS_,
	  BGP_ERR_UPDATE_OPTIONAL_ATTRIBUTE, 0, 0 },
	{ "MP_REACH_NLRI prefix length 129",
	  BYTES(ORIGIN_IGP, ASPATH4_100,
		0x80, 0x0e, 0x18, 0x00, 0x02, 0x01, 0x10, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 1, 0x00, 0x81, 0x20, 0x01),
	  &NO_NLRI4, RS_, BGP_ERR_UPDATE_OPTIONAL_ATTRIBUTE, 0, 0 },
	{ "MP_REACH_NLRI prefix overruns",
	  BYTES(0x80, 0x0e, 0x0c, 0x00, 0x01, 0x01, 0x04, 10, 0, 0, 1, 0x00, 0x18, 10, 0),
	  &NO_NLRI4, RS_, BGP_ERR_UPDATE_OPTIONAL_ATTRIBUTE, 0, 0 },
	{ "MP_UNREACH_NLRI too short", BYTES(0x80, 0x0f, 0x02, 0x00, 0x02), &NO_NLRI4, RS_,
	  BGP_ERR_UPDATE_OPTIONAL_ATTRIBUTE, 0, 0 },
	{ "MP_UNREACH_NLRI prefix length 33", BYTES(0x80, 0x0f, 0x05, 0x00, 0x01, 0x01, 0x21, 10),
	  &NO_NLRI4, RS_, BGP_ERR_UPDATE_OPTIONAL_ATTRIBUTE, 0, 0 },
	/* RFC 7606 §3(g) duplicates */
	{ "MP_UNREACH_NLRI twice", BYTES(0x80, 0x0f, 0x03, 0x00, 0x02, 0x01, 0x80, 0x0f, 0x03, 0x00,
				       0x01, 0x01),
	  &NO_NLRI4, RS_, BGP_ERR_UPDATE_MALFORMED_ATTRIBUTE_LIST, 0, 0 },
	{ "ORIGIN twice: the second discarded",
	  BYTES(BASE4, 0x40, 0x01, 0x01, 0x07), &EBGP4, OK_, 0, 1, 0 },
	{ "unknown attribute twice: the second discarded",
	  BYTES(BASE4, 0xc0, 0x63, 0x01, 0x01, 0xc0, 0x63, 0x01, 0x02), &EBGP4, OK_, 0, 1, 0 },
	/* RFC 4271 §6.3, §5: unknown attributes */
	{ "unknown well-known", BYTES(BASE4, 0x40, 0x63, 0x01, 0x01), &EBGP4, RS_,
	  BGP_ERR_UPDATE_UNRECOGNIZED_WELL_KNOWN, 0, 0 },
	{ "unknown optional non-transitive dropped", BYTES(BASE4, 0x80, 0x63, 0x01, 0x01), &EBGP4,
	  OK_, 0, 0, 1 },
	/* RFC 7606 §3(d) missing well-known attributes */
	{ "ORIGIN missing", BYTES(ASPATH4_100, NEXTHOP_10_0_0_1), &EBGP4, WD_,
	  BGP_ERR_UPDATE_MISSING_WELL_KNOWN, 0, 0 },
	{ "NEXT_HOP missing", BYTES(ORIGIN_IGP, ASPATH4_100), &EBGP4, WD_,
	  BGP_ERR_UPDATE_MISSING_WELL_KNOWN, 0, 0 },
	{ "MP-only UPDATE needs no NEXT_HOP",
	  BYTES(0x80, 0x0e, 0x0d, 0x00, 0x01, 0x01, 0x04, 10, 0, 0, 1, 0x00, 0x18, 10, 0, 0,
		ORIGIN_IGP, ASPATH4_100),
	  &NO_NLRI4, OK_, 0, 0, 0 },
	{ "MP-only UPDATE needs AS_PATH",
	  BYTES(0x80, 0x0e, 0x0d, 0x00, 0x01, 0x01, 0x04, 10, 0, 0, 1, 0x00, 0x18, 10, 0, 0,
		ORIGIN_IGP),
	  &NO_NLRI4, WD_, BGP_ERR_UPDATE_MISSING_WELL_KNOWN, 0, 0 },
	{ "MP_UNREACH-only UPDATE needs nothing", BYTES(0x80, 0x0f, 0x03, 0x00, 0x02, 0x01),
	  &NO_NLRI4, OK_, 0, 0, 0 },
	{ "no attributes, no NLRI", BYTES(0x00), &NO_NLRI4, RS_,
	  BGP_ERR_UPDATE_MALFORMED_ATTRIBUTE_LIST, 0, 0 },
	/* RFC 7606 §4 framing */
	{ "attribute overruns the field", BYTES(BASE4, 0xc0, 0x08, 0x08, 0, 1, 0, 1), &EBGP4, WD_,
	  BGP_ERR_UPDATE_MALFORMED_ATTRIBUTE_LIST, 0, 0 },
	{ "two stray octets at the end", BYTES(BASE4, 0xc0, 0x08), &EBGP4, WD_,
	  BGP_ERR_UPDATE_MALFORMED_ATTRIBUTE_LIST, 0, 0 },
	{ "three octets of an extended-length header", BYTES(BASE4, 0xd0, 0x08, 0x00), &EBGP4, WD_,
	  BGP_ERR_UPDATE_MALFORMED_ATTRIBUTE_LIST, 0, 0 },
	{ "overrun, withdrawn routes locatable", BYTES(0xc0, 0x08, 0x08, 0, 1), &WD_ONLY4, WD_,
	  BGP_ERR_UPDATE_MALFORMED_ATTRIBUTE_LIST, 0, 0 },
	{ "overrun after MP_UNREACH", BYTES(0x80, 0x0f, 0x03, 0x00, 0x02, 0x01, 0xc0, 0x08, 0x08),
	  &NO_NLRI4, WD_, BGP_ERR_UPDATE_MALFORMED_ATTRIBUTE_LIST, 0, 0 },
	{ "overrun, nothing locatable", BYTES(0xc0, 0x08, 0x08, 0, 1), &NO_NLRI4, RS_,
	  BGP_ERR_UPDATE_MALFORMED_ATTRIBUTE_LIST, 0, 0 },
	/* RFC 6793 §6 */
	{ "AS4_PATH between 4-octet speakers: discard",
	  BYTES(BASE4, 0xc0, 0x11, 0x06, 0x02, 0x01, 0, 0, 0, 1), &EBGP4, OK_, 0, 1, 0 },
	{ "AS4_AGGREGATOR between 4-octet speakers: discard",
	  BYTES(BASE4, 0xc0, 0x12, 0x08, 0, 0, 0, 1, 1, 2, 3, 4), &EBGP4, OK_, 0, 1, 0 },
	{ "AS4_PATH malformed: discard",
	  BYTES(ORIGIN_IGP, ASPATH2_100, NEXTHOP_10_0_0_1, 0xc0, 0x11, 0x06, 0x02, 0x02, 0, 0, 0, 1),
	  &EBGP2, OK_, 0, 1, 0 },
	{ "AS4_PATH too short: discard",
	  BYTES(ORIGIN_IGP, ASPATH2_100, NEXTHOP_10_0_0_1, 0xc0, 0x11, 0x04, 0x02, 0x01, 0, 1),
	  &EBGP2, OK_, 0, 1, 0 },
	{ "AS4_AGGREGATOR length 6: discard",
	  BYTES(ORIGIN_IGP, ASPATH2_100, NEXTHOP_10_0_0_1, 0xc0, 0x12, 0x06, 0, 1, 1, 2, 3, 4),
	  &EBGP2, OK_, 0, 1, 0 },
	/* RFC 7606 §7.14, RFC 8092 §6 */
	{ "EXTENDED_COMMUNITIES length 7", BYTES(BASE4, 0xc0, 0x10, 0x07, 0, 2, 0, 0, 0, 0, 1),
	  &EBGP4, WD_, BGP_ERR_UPDATE_ATTRIBUTE_LENGTH, 0, 0 },
	{ "LARGE_COMMUNITY length 11",
	  BYTES(BASE4, 0xc0, 0x20, 0x0b, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 3), &EBGP4, WD_,
	  BGP_ERR_UPDATE_ATTRIBUTE_LENGTH, 0, 0 },
	/* RFC 7606 §3(i): the strongest action wins */
	{ "discard + withdraw", BYTES(BASE4, 0x40, 0x06, 0x01, 0x00, 0x80, 0x04, 0x01, 0x00), &EBGP4,
	  WD_, BGP_ERR_UPDATE_ATTRIBUTE_LENGTH, 1, 0 },
	{ "withdraw then reset", BYTES(BASE4, 0x80, 0x04, 0x01, 0x00, 0x40, 0x63, 0x00), &EBGP4, RS_,
	  BGP_ERR_UPDATE_UNRECOGNIZED_WELL_KNOWN, 0, 0 },
	{ "2-octet session, IBGP, all good",
	  BYTES(ORIGIN_IGP, ASPATH2_100, NEXTHOP_10_0_0_1, 0x40, 0x05, 0x04, 0, 0, 0, 100), &IBGP2,
	  OK_, 0, 0, 0 },
};

static void test_rfc7606(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct rfc7606_case *c = &cases[i];
		print_message("rfc7606: %s\n", c->name);
		struct bgp_attrs a;
		struct bgp_error err;
		enum bgp_attr_result res = decode(c->wire, c->opts, &a, &err);
		assert_int_equal(res, c->result);
		if (c->subcode) {
			assert_int_equal(err.code, BGP_ERR_UPDATE);
			assert_int_equal(err.subcode, c->subcode);
		} else {
			assert_int_equal(err.code, 0);
		}
		if (res != BGP_ATTR_RESULT_RESET) {
			assert_int_equal(a.discarded, c->discarded);
			assert_int_equal(a.dropped_unknown, c->dropped_unknown);
		}
	}
}

static void test_error_data(void **state)
{
	(void)state;
	struct bgp_attrs a;
	struct bgp_error err;
	/* The erroneous attribute as received: flags, type, length, value. */
	struct bytes wk = BYTES(BASE4, 0x40, 0x63, 0x02, 0xaa, 0xbb);
	assert_int_equal(decode(wk, &EBGP4, &a, &err), BGP_ATTR_RESULT_RESET);
	const uint8_t want[] = { 0x40, 0x63, 0x02, 0xaa, 0xbb };
	assert_int_equal(err.data_len, sizeof(want));
	assert_memory_equal(err.data, want, sizeof(want));

	/* Truncated to BGP_ERROR_DATA_MAX, extended-length header kept. */
	uint8_t big[4 + 300];
	big[0] = 0x50;
	big[1] = 0x63;
	big[2] = 300 >> 8;
	big[3] = 300 & 0xff;
	for (int i = 0; i < 300; i++)
		big[4 + i] = (uint8_t)i;
	assert_int_equal(decode((struct bytes){ big, sizeof(big) }, &NO_NLRI4, &a, &err),
			 BGP_ATTR_RESULT_RESET);
	assert_int_equal(err.data_len, BGP_ERROR_DATA_MAX);
	assert_memory_equal(err.data, big, BGP_ERROR_DATA_MAX);

	/* Missing well-known: the type code. */
	struct bytes miss = BYTES(ORIGIN_IGP, NEXTHOP_10_0_0_1);
	assert_int_equal(decode(miss, &EBGP4, &a, &err), BGP_ATTR_RESULT_WITHDRAW);
	assert_int_equal(err.subcode, BGP_ERR_UPDATE_MISSING_WELL_KNOWN);
	assert_int_equal(err.data_len, 1);
	assert_int_equal(err.data[0], BGP_ATTR_AS_PATH);

	/* Duplicate MP attribute: the second one. */
	struct bytes dup = BYTES(0x80, 0x0f, 0x03, 0x00, 0x02, 0x01, 0x80, 0x0f, 0x03, 0x00, 0x01,
				 0x01);
	assert_int_equal(decode(dup, &NO_NLRI4, &a, &err), BGP_ATTR_RESULT_RESET);
	const uint8_t want_dup[] = { 0x80, 0x0f, 0x03, 0x00, 0x01, 0x01 };
	assert_int_equal(err.data_len, sizeof(want_dup));
	assert_memory_equal(err.data, want_dup, sizeof(want_dup));
}

static void test_withdraw_keeps_mp(void **state)
{
	(void)state;
	/* Treat-as-withdraw must still locate the MP NLRI to withdraw. */
	struct bytes in = BYTES(0x80, 0x0e, 0x0d, 0x00, 0x01, 0x01, 0x04, 10, 0, 0, 1, 0x00, 0x18,
				10, 1, 2, 0x80, 0x0f, 0x06, 0x00, 0x01, 0x01, 0x10, 10, 3,
				0x40, 0x01, 0x01, 0x09, ASPATH4_100);
	struct bgp_attrs a;
	struct bgp_error err;
	assert_int_equal(decode(in, &NO_NLRI4, &a, &err), BGP_ATTR_RESULT_WITHDRAW);
	assert_int_equal(err.subcode, BGP_ERR_UPDATE_INVALID_ORIGIN);
	assert_true(bgp_attrs_has(&a, BGP_ATTR_MP_REACH_NLRI));
	assert_true(bgp_attrs_has(&a, BGP_ATTR_MP_UNREACH_NLRI));
	assert_int_equal(a.mp_reach.nlri_len, 4);
	assert_int_equal(a.mp_unreach.withdrawn_len, 3);
}

static void test_unknown_cap(void **state)
{
	(void)state;
	uint8_t buf[BGP_ATTR_MAX_UNKNOWN * 4 + 8];
	size_t n = 0;
	for (int i = 0; i < BGP_ATTR_MAX_UNKNOWN + 2; i++) {
		buf[n++] = 0xc0;
		buf[n++] = (uint8_t)(100 + i);
		buf[n++] = 0;
	}
	struct bgp_attrs a;
	struct bgp_error err;
	assert_int_equal(decode((struct bytes){ buf, n }, &NO_NLRI4, &a, &err), BGP_ATTR_RESULT_OK);
	assert_int_equal(a.unknown_count, BGP_ATTR_MAX_UNKNOWN);
	assert_int_equal(a.dropped_unknown, 2);
}

/* ---- AS paths, text, merge ----------------------------------------------------------------- */

static struct bgp_as_path path4(const uint8_t *data, size_t len)
{
	struct bgp_as_path p = { .data = data, .len = (uint16_t)len, .asn_size = 4 };
	return p;
}

static void assert_path_text(const struct bgp_as_path *p, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	bgp_as_path_text(p, &sb);
	assert_string_equal(strbuf_str(&sb), want);
	strbuf_free(&sb);
}

static void test_as_path_helpers(void **state)
{
	(void)state;
	const uint8_t seg[] = { 0x02, 0x02, 0, 0, 0, 100, 0, 0, 0, 200,
				0x01, 0x02, 0, 0, 1, 0x2c, 0, 0, 1, 0x90,
				0x03, 0x02, 0, 0, 0xfd, 0xe9, 0, 0, 0xfd, 0xea,
				0x04, 0x01, 0, 0, 0xfd, 0xeb };
	struct bgp_as_path p = path4(seg, sizeof(seg));
	assert_true(bgp_as_path_wellformed(&p, NULL, NULL));
	assert_int_equal(bgp_as_path_length(&p), 3);
	assert_true(bgp_as_path_contains(&p, 400));
	assert_true(bgp_as_path_contains(&p, 65003));
	assert_false(bgp_as_path_contains(&p, 65004));
	assert_int_equal(bgp_as_path_first(&p), 100);
	assert_path_text(&p, "100 200 {300,400} (65001 65002) [65003]");
	assert_int_equal(bgp_as_path_wire_len(&p, 2), 4 * 2 + 7 * 2);

	struct bgp_as_path empty = { 0 };
	empty.asn_size = 4;
	assert_int_equal(bgp_as_path_length(&empty), 0);
	assert_path_text(&empty, "");
	assert_int_equal(bgp_as_path_first(&empty), 0);

	/* prepend into the leading sequence */
	uint8_t buf[4096];
	struct bgp_as_path out;
	assert_true(bgp_as_path_prepend(&p, 65000, 2, buf, sizeof(buf), &out));
	assert_path_text(&out, "65000 65000 100 200 {300,400} (65001 65002) [65003]");
	assert_int_equal(bgp_as_path_length(&out), 5);
	/* prepend to an empty path and before a set */
	assert_true(bgp_as_path_prepend(&empty, 7, 1, buf, sizeof(buf), &out));
	assert_path_text(&out, "7");
	const uint8_t set_first[] = { 0x01, 0x01, 0, 0, 0, 9 };
	struct bgp_as_path sp = path4(set_first, sizeof(set_first));
	assert_true(bgp_as_path_prepend(&sp, 7, 1, buf, sizeof(buf), &out));
	assert_path_text(&out, "7 {9}");
	/* a full leading sequence overflows into a new segment */
	assert_true(bgp_as_path_prepend(&empty, 5, 254, buf, sizeof(buf), &out));
	uint8_t buf2[4096];
	struct bgp_as_path out2;
	assert_true(bgp_as_path_prepend(&out, 6, 3, buf2, sizeof(buf2), &out2));
	assert_int_equal(bgp_as_path_length(&out2), 257);
	struct bgp_as_path_iter it;
	struct bgp_as_segment s;
	bgp_as_path_iter_init(&it, &out2);
	assert_true(bgp_as_path_iter_next(&it, &s));
	assert_int_equal(s.count, 2);
	assert_true(bgp_as_path_iter_next(&it, &s));
	assert_int_equal(s.count, 255);
	assert_int_equal(bgp_as_segment_next_asn(&s), 6);
	assert_int_equal(bgp_as_segment_next_asn(&s), 5);
	assert_false(bgp_as_path_iter_next(&it, &s));
	/* too small a buffer */
	assert_false(bgp_as_path_prepend(&p, 1, 1, buf, 8, &out));

	/* 2-octet path */
	const uint8_t seg2[] = { 0x02, 0x01, 0x5b, 0xa0 };
	struct bgp_as_path p2 = { .data = seg2, .len = sizeof(seg2), .asn_size = 2 };
	assert_path_text(&p2, "23456");
	bool confed = false, as0 = false;
	assert_true(bgp_as_path_wellformed(&p, &confed, &as0));
	assert_true(confed);
	assert_false(as0);
}

static void test_communities_text(void **state)
{
	(void)state;
	const uint8_t c[] = { 0xfd, 0xe8, 0x00, 0x01, 0xff, 0xff, 0xff, 0x01, 0xff, 0xff, 0xff, 0x02,
			      0xff, 0xff, 0xff, 0x03, 0x00, 0x00, 0x00, 0x00 };
	struct bgp_attr_blob b = { c, sizeof(c) };
	struct strbuf sb = STRBUF_INIT;
	bgp_communities_text(&b, &sb);
	assert_string_equal(strbuf_str(&sb), "65000:1 no-export no-advertise local-AS 0:0");
	strbuf_free(&sb);
	const uint8_t l[] = { 0xfa, 0x56, 0xea, 0x00, 0, 0, 0, 1, 0, 0, 0, 2,
			      0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5 };
	struct bgp_attr_blob lb = { l, sizeof(l) };
	bgp_large_communities_text(&lb, &sb);
	assert_string_equal(strbuf_str(&sb), "4200000000:1:2 3:4:5");
	strbuf_free(&sb);
	assert_string_equal(bgp_attr_name(BGP_ATTR_LARGE_COMMUNITY), "LARGE_COMMUNITY");
	assert_string_equal(bgp_attr_name(200), "UNKNOWN");
	assert_string_equal(bgp_origin_name(BGP_ORIGIN_INCOMPLETE), "incomplete");
}

static void test_mp_prefix(void **state)
{
	(void)state;
	const uint8_t f[] = { 0x18, 10, 1, 2, 0x0c, 0xab, 0xff, 0x00, 0x21 };
	struct reader r = reader_make(f, sizeof(f));
	struct bgp_mp_prefix p;
	assert_int_equal(bgp_mp_prefix_next(&r, BGP_AFI_IPV4, &p), 1);
	assert_int_equal(p.len, 24);
	assert_int_equal(p.addr[2], 2);
	assert_int_equal(bgp_mp_prefix_next(&r, BGP_AFI_IPV4, &p), 1);
	assert_int_equal(p.len, 12);
	assert_int_equal(p.addr[1], 0xf0); /* host bits cleared */
	uint8_t out[8];
	struct writer w = writer_make(out, sizeof(out));
	assert_true(bgp_mp_prefix_encode(&w, &p));
	assert_int_equal(w.len, 3);
	assert_int_equal(bgp_mp_prefix_next(&r, BGP_AFI_IPV4, &p), 1);
	assert_int_equal(p.len, 0);
	assert_int_equal(bgp_mp_prefix_next(&r, BGP_AFI_IPV4, &p), -1); /* 33 */
	struct reader r2 = reader_make(f, 1);
	assert_int_equal(bgp_mp_prefix_next(&r2, BGP_AFI_IPV4, &p), -1); /* short */
	assert_int_equal(bgp_mp_prefix_next(&r2, 3, &p), -1);
}

/* Decodes a 2-octet session's attributes and merges (RFC 6793 §4.2.3). */
static void merge_case(struct bytes in, const char *want_path, uint32_t want_agg_as)
{
	struct bgp_attrs a;
	struct bgp_error err;
	assert_int_equal(decode(in, &EBGP2, &a, &err), BGP_ATTR_RESULT_OK);
	uint8_t buf[512];
	assert_true(bgp_attrs_as4_merge(&a, buf, sizeof(buf)));
	assert_false(bgp_attrs_has(&a, BGP_ATTR_AS4_PATH));
	assert_false(bgp_attrs_has(&a, BGP_ATTR_AS4_AGGREGATOR));
	assert_int_equal(a.as_path.asn_size, 4);
	assert_path_text(&a.as_path, want_path);
	if (want_agg_as)
		assert_int_equal(a.aggregator_as, want_agg_as);
}

static void test_as4_merge(void **state)
{
	(void)state;
	/* AS_PATH 100 23456 23456, AS4_PATH 4200000000 4200000001: 100 prepended by an OLD AS. */
	merge_case((struct bytes)BYTES(ORIGIN_IGP, 0x40, 0x02, 0x08, 0x02, 0x03, 0x00, 0x64, 0x5b, 0xa0, 0x5b,
			 0xa0, NEXTHOP_10_0_0_1, 0xc0, 0x11, 0x0a, 0x02, 0x02, 0xfa, 0x56, 0xea,
			 0x00, 0xfa, 0x56, 0xea, 0x01),
		   "100 4200000000 4200000001", 0);
	/* No AS4_PATH: just widened. */
	merge_case((struct bytes)BYTES(ORIGIN_IGP, 0x40, 0x02, 0x06, 0x02, 0x02, 0x00, 0x64, 0x00, 0xc8,
			 NEXTHOP_10_0_0_1),
		   "100 200", 0);
	/* AS4_PATH longer than AS_PATH: ignored. */
	merge_case((struct bytes)BYTES(ORIGIN_IGP, ASPATH2_100, NEXTHOP_10_0_0_1, 0xc0, 0x11, 0x0a, 0x02, 0x02,
			 0xfa, 0x56, 0xea, 0x00, 0xfa, 0x56, 0xea, 0x01),
		   "100", 0);
	/* AGGREGATOR AS_TRANS: AS4_AGGREGATOR taken, path merged. */
	merge_case((struct bytes)BYTES(ORIGIN_IGP, 0x40, 0x02, 0x04, 0x02, 0x01, 0x5b, 0xa0, NEXTHOP_10_0_0_1,
			 0xc0, 0x07, 0x06, 0x5b, 0xa0, 1, 2, 3, 4,
			 0xc0, 0x11, 0x06, 0x02, 0x01, 0xfa, 0x56, 0xea, 0x00,
			 0xc0, 0x12, 0x08, 0xfa, 0x56, 0xea, 0x00, 1, 2, 3, 4),
		   "4200000000", 4200000000u);
	/* AGGREGATOR not AS_TRANS: both AS4 attributes ignored. */
	merge_case((struct bytes)BYTES(ORIGIN_IGP, 0x40, 0x02, 0x04, 0x02, 0x01, 0x5b, 0xa0, NEXTHOP_10_0_0_1,
			 0xc0, 0x07, 0x06, 0x00, 0x07, 1, 2, 3, 4,
			 0xc0, 0x11, 0x06, 0x02, 0x01, 0xfa, 0x56, 0xea, 0x00,
			 0xc0, 0x12, 0x08, 0xfa, 0x56, 0xea, 0x00, 1, 2, 3, 4),
		   "23456", 7);
	/* Leading confed segment and a set kept from AS_PATH, confed in AS4_PATH skipped. */
	merge_case((struct bytes)BYTES(ORIGIN_IGP, 0x40, 0x02, 0x0e, 0x03, 0x01, 0xfd, 0xe9, 0x01, 0x01, 0x00,
			 0x05, 0x02, 0x02, 0x5b, 0xa0, 0x00, 0x09, NEXTHOP_10_0_0_1,
			 0xc0, 0x11, 0x10, 0x03, 0x01, 0, 0, 0xfd, 0xe9, 0x02, 0x02, 0xfa, 0x56,
			 0xea, 0x00, 0, 0, 0, 9),
		   "(65001) {5} 4200000000 9", 0);
	/* A partly used AS_SEQUENCE joins the AS4_PATH sequence. */
	merge_case((struct bytes)BYTES(ORIGIN_IGP, 0x40, 0x02, 0x08, 0x02, 0x03, 0x00, 0x01, 0x00, 0x02, 0x5b,
			 0xa0, NEXTHOP_10_0_0_1, 0xc0, 0x11, 0x06, 0x02, 0x01, 0xfa, 0x56, 0xea,
			 0x00),
		   "1 2 4200000000", 0);
	/* 4-octet session: nothing to merge. */
	struct bgp_attrs a;
	struct bgp_error err;
	struct bytes in = BYTES(BASE4);
	assert_int_equal(decode(in, &EBGP4, &a, &err), BGP_ATTR_RESULT_OK);
	struct bgp_as_path before = a.as_path;
	uint8_t buf[16];
	assert_true(bgp_attrs_as4_merge(&a, buf, sizeof(buf)));
	assert_ptr_equal(a.as_path.data, before.data);
	/* too small a buffer leaves the set unchanged */
	struct bytes in2 = BYTES(ORIGIN_IGP, ASPATH2_100, NEXTHOP_10_0_0_1);
	assert_int_equal(decode(in2, &EBGP2, &a, &err), BGP_ATTR_RESULT_OK);
	assert_false(bgp_attrs_as4_merge(&a, buf, 3));
	assert_int_equal(a.as_path.asn_size, 2);
}

/* RFC 6793 §4.2.2: an aggregate made by a 4-octet AS, sent to a 2-octet peer: AS_TRANS in
 * AS_PATH and AGGREGATOR, the real ones in AS4_PATH and AS4_AGGREGATOR; the peer's merge
 * (§4.2.3) gets them back. */
static void test_as4_split(void **state)
{
	(void)state;
	/* AS_PATH {4200000000,100}, AGGREGATOR 4200000000 1.2.3.4, as a 4-octet peer sent them */
	struct bytes in = BYTES(ORIGIN_IGP, 0x40, 0x02, 0x0a, 0x01, 0x02, 0xfa, 0x56, 0xea, 0x00, 0x00, 0x00,
				0x00, 0x64, NEXTHOP_10_0_0_1, 0xc0, 0x07, 0x08, 0xfa, 0x56, 0xea, 0x00, 1, 2, 3, 4);
	struct bgp_attrs a;
	struct bgp_error err;
	assert_int_equal(decode(in, &EBGP4, &a, &err), BGP_ATTR_RESULT_OK);
	bgp_attrs_as4_split(&a);
	uint8_t buf[128];
	struct writer w = writer_make(buf, sizeof(buf));
	assert_true(bgp_attr_encode(&w, &a, false));
	const uint8_t want[] = { ORIGIN_IGP, 0x40, 0x02, 0x06, 0x01, 0x02, 0x5b, 0xa0, 0x00, 0x64,
				 NEXTHOP_10_0_0_1, 0xc0, 0x07, 0x06, 0x5b, 0xa0, 1, 2, 3, 4,
				 0xc0, 0x11, 0x0a, 0x01, 0x02, 0xfa, 0x56, 0xea, 0x00, 0x00, 0x00, 0x00, 0x64,
				 0xc0, 0x12, 0x08, 0xfa, 0x56, 0xea, 0x00, 1, 2, 3, 4 };
	assert_int_equal(w.len, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	merge_case((struct bytes){ buf, w.len }, "{4200000000,100}", 4200000000u);

	/* 2-octet ASNs only: nothing added */
	struct bytes small = BYTES(ORIGIN_IGP, ASPATH4_100, NEXTHOP_10_0_0_1, 0xc0, 0x07, 0x08, 0x00, 0x00,
				   0xfd, 0xe9, 1, 2, 3, 4);
	assert_int_equal(decode(small, &EBGP4, &a, &err), BGP_ATTR_RESULT_OK);
	bgp_attrs_as4_split(&a);
	assert_false(bgp_attrs_has(&a, BGP_ATTR_AS4_PATH));
	assert_false(bgp_attrs_has(&a, BGP_ATTR_AS4_AGGREGATOR));
	/* a wide aggregator alone: AS4_AGGREGATOR without AS4_PATH */
	struct bytes agg_only = BYTES(ORIGIN_IGP, ASPATH4_100, NEXTHOP_10_0_0_1, 0xc0, 0x07, 0x08, 0xfa, 0x56,
				      0xea, 0x00, 1, 2, 3, 4);
	assert_int_equal(decode(agg_only, &EBGP4, &a, &err), BGP_ATTR_RESULT_OK);
	bgp_attrs_as4_split(&a);
	assert_false(bgp_attrs_has(&a, BGP_ATTR_AS4_PATH));
	assert_true(bgp_attrs_has(&a, BGP_ATTR_AS4_AGGREGATOR));
	assert_int_equal(a.as4_aggregator_as, 4200000000u);
	assert_int_equal(a.as4_aggregator_addr, 0x01020304);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_encode_order_and_extended),
		cmocka_unit_test(test_encode_width_conversion),
		cmocka_unit_test(test_unknown_order),
		cmocka_unit_test(test_rfc7606),
		cmocka_unit_test(test_error_data),
		cmocka_unit_test(test_withdraw_keeps_mp),
		cmocka_unit_test(test_unknown_cap),
		cmocka_unit_test(test_as_path_helpers),
		cmocka_unit_test(test_communities_text),
		cmocka_unit_test(test_mp_prefix),
		cmocka_unit_test(test_as4_merge),
		cmocka_unit_test(test_as4_split),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
