/*
 * DOC: unit tests of aggregate-address (src/bgp/aggregate.c), RFC 4271 §9.2.2.2.
 *
 * Set up as in test_rib.c: a speaker with no listeners on a libuv loop that never runs until
 * teardown, `shutdown` eBGP neighbours 192.0.2.1 (AS 65001), .2 (65002) and .3 (65003) with
 * 4-octet ASNs, UPDATE bodies written byte by byte, cut with the wire codec and fed to
 * bgp_rib_update(), each batch ended with bgp_rib_commit(). Aggregates are configured through
 * bgp_speaker_configure(). What is checked is the aggregate as the Loc-RIB holds it (our own
 * path for 10.0.0.0/8, decoded: ORIGIN, AS_PATH segments, ATOMIC_AGGREGATE, AGGREGATOR) and
 * how often export was told that it changed.
 *
 * Tests named regression_* failed against the previous aggregate code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "bgp/internal.h"
#include "bgp_harness.h"

#define LOCAL_AS 65000
#define ROUTER_ID 0x0a0000fe /* 10.0.0.254 */
#define WIDE_AS 100000       /* contributors' ASNs from here on */

static uv_loop_t loop;
static struct bgp_speaker *spk;
static struct bgp_rib *rib;
static struct bgp_peer *p1, *p2, *p3;

/* ---- export's view: how many times the aggregate's best path changed ---------------------- */

static unsigned aggregate_changes;

static void route_changed(void *context, const struct bgp_route *route, const struct bgp_path *best)
{
	(void)context;
	(void)best;
	static const uint8_t ten[4] = { 10, 0, 0, 0 };
	if (route->family == AF_INET && route->len == 8 && !memcmp(route->addr, ten, 4))
		aggregate_changes++;
}

static bool resolve(void *context, const struct ip_addr *nh, uint32_t *metric)
{
	(void)context;
	(void)nh;
	*metric = 0;
	return true;
}

/* ---- set-up ------------------------------------------------------------------------------ */

struct agg_conf {
	const char *addr;
	uint8_t len;
	bool as_set;
	bool summary_only;
};

static void add_neighbor(struct config *c, const char *addr, uint32_t remote_as)
{
	struct ip_addr a;
	assert_true(ip_addr_parse(addr, &a));
	struct config_bgp_neighbor *n = config_bgp_neighbor_add(&c->bgp, &a);
	assert_non_null(n);
	n->remote_as = remote_as;
	n->shutdown = true; /* no connection attempts: the RIB is fed by hand */
}

/* The whole configuration: the three neighbours and these aggregates (n of them). */
static void configure(uint32_t router_id, const struct agg_conf *aggs, size_t n)
{
	struct config c;
	config_init(&c);
	c.bgp.enabled = true;
	c.bgp.asn = LOCAL_AS;
	c.bgp.has_router_id = true;
	c.bgp.router_id = router_id;
	add_neighbor(&c, "192.0.2.1", 65001);
	add_neighbor(&c, "192.0.2.2", 65002);
	add_neighbor(&c, "192.0.2.3", 65003);
	c.bgp.aggregates = n ? calloc(n, sizeof(*c.bgp.aggregates)) : NULL;
	c.bgp.aggregate_count = n;
	for (size_t i = 0; i < n; i++) {
		struct ip_addr a;
		assert_true(ip_addr_parse(aggs[i].addr, &a));
		struct config_bgp_aggregate *g = &c.bgp.aggregates[i];
		g->prefix.family = a.family;
		g->prefix.len = aggs[i].len;
		memcpy(g->prefix.addr, a.bytes, 16);
		g->as_set = aggs[i].as_set;
		g->summary_only = aggs[i].summary_only;
	}
	bgp_speaker_configure(spk, &c);
	config_free(&c);
}

static void configure_one(bool as_set)
{
	configure(ROUTER_ID, &(struct agg_conf){ "10.0.0.0", 8, as_set, false }, 1);
}

static struct bgp_peer *find_peer(const char *addr)
{
	struct ip_addr a;
	assert_true(ip_addr_parse(addr, &a));
	struct bgp_peer *p = bgp_speaker_find_peer(spk, &a);
	assert_non_null(p);
	p->session.valid = true;
	p->session.remote_id = ip_addr_v4(&a);
	p->session.received_caps.as4 = true;
	p->session.sent_caps.as4 = true;
	return p;
}

static int setup(void **state)
{
	(void)state;
	aggregate_changes = 0;
	struct bgp_speaker_options options = {
		.listen = false,
		.route_changed = route_changed,
		.resolve_next_hop = resolve,
	};
	spk = harness_speaker_start(&loop, &options);
	rib = bgp_speaker_rib(spk);
	configure(ROUTER_ID, NULL, 0);
	p1 = find_peer("192.0.2.1");
	p2 = find_peer("192.0.2.2");
	p3 = find_peer("192.0.2.3");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	configure(ROUTER_ID, NULL, 0); /* frees the aggregates */
	harness_speaker_stop(&loop, spk);
	spk = NULL;
	rib = NULL;
	return 0;
}

/* ---- UPDATE building --------------------------------------------------------------------- */

/* ORIGIN, an AS_PATH of one AS_SEQUENCE (n ASNs, 4 octets each), NEXT_HOP 192.0.2.x of the
 * peer, ATOMIC_AGGREGATE if asked. */
static void path_attrs(struct test_update *u, uint8_t origin, const uint32_t *asns, size_t n, bool atomic,
		       const struct bgp_peer *peer)
{
	test_update_attr_header(u, BGP_ATTR_FLAG_TRANSITIVE, BGP_ATTR_ORIGIN, 1);
	writer_u8(&u->at, origin);
	assert_true(n >= 1 && n <= 255);
	test_update_attr_header(u, BGP_ATTR_FLAG_TRANSITIVE, BGP_ATTR_AS_PATH, 2 + 4 * n);
	writer_u8(&u->at, BGP_AS_SEQUENCE);
	writer_u8(&u->at, (uint8_t)n);
	for (size_t i = 0; i < n; i++)
		writer_u32(&u->at, asns[i]);
	test_update_attr_header(u, BGP_ATTR_FLAG_TRANSITIVE, BGP_ATTR_NEXT_HOP, 4);
	writer_bytes(&u->at, peer->config.addr.bytes, 4);
	if (atomic)
		test_update_attr_header(u, BGP_ATTR_FLAG_TRANSITIVE, BGP_ATTR_ATOMIC_AGGREGATE, 0);
}

static void feed(struct bgp_peer *peer, struct test_update *u)
{
	struct bgp_error err;
	assert_true(test_update_apply(rib, peer, u, &err));
	assert_int_equal(err.code, 0);
}

/* peer announces addr/len with this ORIGIN and AS_SEQUENCE (the peer's AS first). */
static void announce_full(struct bgp_peer *peer, const char *addr, uint8_t len, uint8_t origin,
			  const uint32_t *asns, size_t n, bool atomic)
{
	struct test_update u;
	test_update_init(&u);
	path_attrs(&u, origin, asns, n, atomic, peer);
	test_update_prefix(&u.nl, addr, len);
	feed(peer, &u);
}

#define ASNS(...) (const uint32_t[]){ __VA_ARGS__ }, sizeof((const uint32_t[]){ __VA_ARGS__ }) / sizeof(uint32_t)
#define ANNOUNCE(peer, addr, len, origin, ...) announce_full((peer), (addr), (len), (origin), ASNS(__VA_ARGS__), false)

static void withdraw_one(struct bgp_peer *peer, const char *addr, uint8_t len)
{
	struct test_update u;
	test_update_init(&u);
	test_update_prefix(&u.wd, addr, len);
	feed(peer, &u);
}

/* ---- looking at the aggregate ------------------------------------------------------------ */

static struct bgp_route *route(const char *addr, uint8_t len)
{
	struct ip_addr a;
	assert_true(ip_addr_parse(addr, &a));
	struct prefix n = { .family = a.family, .len = len };
	memcpy(n.addr, a.bytes, 16);
	return bgp_rib_lookup(rib, &n);
}

/* The aggregate 10.0.0.0/8: our own path, best, decoded. */
static const struct bgp_path_attrs *aggregate(struct bgp_attrs *a)
{
	struct bgp_route *r = route("10.0.0.0", 8);
	assert_non_null(r);
	assert_true(r->best_valid);
	assert_null(r->paths->peer);
	assert_true(bgp_path_attrs_decode(r->paths->attrs, a));
	assert_true(bgp_attrs_has(a, BGP_ATTR_AGGREGATOR));
	assert_int_equal(a->aggregator_as, LOCAL_AS);
	return r->paths->attrs;
}

static bool aggregate_is_up(void)
{
	struct bgp_route *r = route("10.0.0.0", 8);
	return r && r->best_valid;
}

static void expect_aggregate(uint8_t origin, const char *path, bool atomic)
{
	struct bgp_attrs a;
	aggregate(&a);
	assert_int_equal(a.origin, origin);
	struct strbuf sb = STRBUF_INIT;
	bgp_as_path_text(&a.as_path, &sb);
	assert_string_equal(sb.len ? strbuf_str(&sb) : "", path);
	strbuf_free(&sb);
	assert_int_equal(bgp_attrs_has(&a, BGP_ATTR_ATOMIC_AGGREGATE), atomic);
}

/* ---- ORIGIN (RFC 4271 §9.2.2.2) ----------------------------------------------------------- */

static void regression_origin_follows_contributors(void **state)
{
	(void)state;
	configure_one(false);
	ANNOUNCE(p1, "10.1.0.0", 16, BGP_ORIGIN_IGP, 65001);
	expect_aggregate(BGP_ORIGIN_IGP, "", true);
	ANNOUNCE(p2, "10.2.0.0", 16, BGP_ORIGIN_EGP, 65002);
	expect_aggregate(BGP_ORIGIN_EGP, "", true);
	ANNOUNCE(p3, "10.3.0.0", 16, BGP_ORIGIN_INCOMPLETE, 65003);
	expect_aggregate(BGP_ORIGIN_INCOMPLETE, "", true);
	/* EGP next to INCOMPLETE changes nothing; the INCOMPLETE contributor going does */
	unsigned before = aggregate_changes;
	ANNOUNCE(p1, "10.1.0.0", 16, BGP_ORIGIN_EGP, 65001);
	assert_int_equal(aggregate_changes, before);
	withdraw_one(p3, "10.3.0.0", 16);
	expect_aggregate(BGP_ORIGIN_EGP, "", true);
	assert_int_equal(aggregate_changes, before + 1);
	/* a contributor's ORIGIN changing in place counts too */
	ANNOUNCE(p1, "10.1.0.0", 16, BGP_ORIGIN_IGP, 65001);
	expect_aggregate(BGP_ORIGIN_EGP, "", true);
	ANNOUNCE(p2, "10.2.0.0", 16, BGP_ORIGIN_IGP, 65002);
	expect_aggregate(BGP_ORIGIN_IGP, "", true);
	assert_int_equal(aggregate_changes, before + 2);
}

/* ---- AS_SET ------------------------------------------------------------------------------- */

static void regression_as_set_follows_path_changes(void **state)
{
	(void)state;
	configure_one(true);
	ANNOUNCE(p1, "10.1.0.0", 16, BGP_ORIGIN_IGP, 65001);
	expect_aggregate(BGP_ORIGIN_IGP, "{65001}", false);
	unsigned before = aggregate_changes;
	/* the contributor stays, its path changes: the set follows, in ascending order */
	ANNOUNCE(p1, "10.1.0.0", 16, BGP_ORIGIN_IGP, 65001, 64512);
	expect_aggregate(BGP_ORIGIN_IGP, "{64512,65001}", false);
	assert_int_equal(aggregate_changes, before + 1);
	/* a prepend gives the same set: nothing to announce again */
	struct bgp_attrs a;
	const struct bgp_path_attrs *same = aggregate(&a);
	ANNOUNCE(p1, "10.1.0.0", 16, BGP_ORIGIN_IGP, 65001, 65001, 64512, 64512);
	assert_ptr_equal(aggregate(&a), same);
	assert_int_equal(aggregate_changes, before + 1);
	/* an AS two contributors share stays while one of them has it */
	ANNOUNCE(p2, "10.2.0.0", 16, BGP_ORIGIN_IGP, 65002, 64512);
	expect_aggregate(BGP_ORIGIN_IGP, "{64512,65001,65002}", false);
	ANNOUNCE(p1, "10.1.0.0", 16, BGP_ORIGIN_IGP, 65001);
	expect_aggregate(BGP_ORIGIN_IGP, "{64512,65001,65002}", false);
	withdraw_one(p2, "10.2.0.0", 16);
	expect_aggregate(BGP_ORIGIN_IGP, "{65001}", false);
	/* a better path from another peer replaces the contributor's best */
	ANNOUNCE(p3, "10.1.0.0", 16, BGP_ORIGIN_IGP, 65003);
	ANNOUNCE(p1, "10.1.0.0", 16, BGP_ORIGIN_IGP, 65001, 65001, 65001);
	expect_aggregate(BGP_ORIGIN_IGP, "{65003}", false);
	withdraw_one(p3, "10.1.0.0", 16);
	expect_aggregate(BGP_ORIGIN_IGP, "{65001}", false);
	withdraw_one(p1, "10.1.0.0", 16);
	assert_false(aggregate_is_up());
}

/* RFC 4271 §9.2.2.2: a contributor's ATOMIC_AGGREGATE is carried by an as-set aggregate too. */
static void regression_as_set_carries_atomic_aggregate(void **state)
{
	(void)state;
	configure_one(true);
	ANNOUNCE(p1, "10.1.0.0", 16, BGP_ORIGIN_IGP, 65001);
	expect_aggregate(BGP_ORIGIN_IGP, "{65001}", false);
	announce_full(p2, "10.2.0.0", 16, BGP_ORIGIN_IGP, ASNS(65002), true);
	expect_aggregate(BGP_ORIGIN_IGP, "{65001,65002}", true);
	/* the same contributor without it */
	announce_full(p2, "10.2.0.0", 16, BGP_ORIGIN_IGP, ASNS(65002), false);
	expect_aggregate(BGP_ORIGIN_IGP, "{65001,65002}", false);
	announce_full(p2, "10.2.0.0", 16, BGP_ORIGIN_IGP, ASNS(65002), true);
	withdraw_one(p2, "10.2.0.0", 16);
	expect_aggregate(BGP_ORIGIN_IGP, "{65001}", false);
	/* without as-set the aggregate always has it */
	configure_one(false);
	expect_aggregate(BGP_ORIGIN_IGP, "", true);
}

/* A contributor's path: its peer's AS, then n - 1 ASNs from first. */
static void announce_wide(struct bgp_peer *peer, const char *addr, uint8_t len, uint32_t first, size_t n)
{
	uint32_t asns[255];
	asns[0] = peer->config.remote_as;
	for (size_t i = 1; i < n; i++)
		asns[i] = first + (uint32_t)i - 1;
	announce_full(peer, addr, len, BGP_ORIGIN_IGP, asns, n, false);
}

/* The aggregate's AS_PATH: every segment an AS_SET in ascending order; returns the ASN count
 * and the segment count in *segments. */
static size_t as_set_shape(const struct bgp_attrs *a, size_t *segments)
{
	struct bgp_as_path_iter it;
	struct bgp_as_segment seg;
	size_t n = 0;
	uint32_t last = 0;
	*segments = 0;
	bgp_as_path_iter_init(&it, &a->as_path);
	while (bgp_as_path_iter_next(&it, &seg)) {
		assert_int_equal(seg.type, BGP_AS_SET);
		for (unsigned k = 0; k < seg.count; k++) {
			uint32_t asn = bgp_as_segment_next_asn(&seg);
			assert_true(asn > last);
			last = asn;
			n++;
		}
		(*segments)++;
	}
	return n;
}

/* RFC 4271 §4.3: more than 255 ASes go in several AS_SET segments, none dropped. */
static void regression_as_set_over_255_ases(void **state)
{
	(void)state;
	configure_one(true);
	announce_wide(p1, "10.1.0.0", 16, WIDE_AS, 200);       /* 65001 + 199 */
	announce_wide(p2, "10.2.0.0", 16, WIDE_AS + 1000, 100); /* 65002 + 99 */
	struct bgp_attrs a;
	const struct bgp_path_attrs *pa = aggregate(&a);
	size_t segments;
	assert_int_equal(as_set_shape(&a, &segments), 300);
	assert_int_equal(segments, 2);
	assert_true(bgp_as_path_contains(&a.as_path, 65001));
	assert_true(bgp_as_path_contains(&a.as_path, WIDE_AS + 198));
	assert_true(bgp_as_path_contains(&a.as_path, WIDE_AS + 1098));
	/* RFC 4271 §9.1.2.2 a: each AS_SET counts 1 */
	assert_int_equal(pa->as_path_length, 2);
	assert_false(bgp_attrs_has(&a, BGP_ATTR_ATOMIC_AGGREGATE));
}

/* Past what an extended message holds (60 segments, 15300 ASes) the set is cut, and says so. */
static void test_as_set_cap(void **state)
{
	(void)state;
	configure_one(true);
	struct bgp_peer *peers[3] = { p1, p2, p3 };
	char addr[16];
	for (unsigned i = 0; i < 61; i++) {
		snprintf(addr, sizeof(addr), "10.%u.0.0", i + 1);
		announce_wide(peers[i % 3], addr, 16, WIDE_AS + 254 * i, 255);
	}
	/* 3 + 61 * 254 = 15497 ASes */
	struct bgp_attrs a;
	aggregate(&a);
	size_t segments;
	assert_int_equal(as_set_shape(&a, &segments), 15300);
	assert_int_equal(segments, 60);
	assert_true(bgp_as_path_contains(&a.as_path, 65001));
	assert_false(bgp_as_path_contains(&a.as_path, WIDE_AS + 254 * 61 - 1));
	assert_true(a.as_path.len <= BGP_MAX_EXTENDED_MESSAGE - 4096);
	assert_true(bgp_attrs_has(&a, BGP_ATTR_ATOMIC_AGGREGATE)); /* RFC 4271 §5.1.6 */
	/* one contributor less: 15243, all of them again */
	withdraw_one(p1, "10.1.0.0", 16);
	aggregate(&a);
	assert_int_equal(as_set_shape(&a, &segments), 15243);
	assert_int_equal(segments, 60);
	assert_true(bgp_as_path_contains(&a.as_path, WIDE_AS + 254 * 61 - 1));
	assert_false(bgp_attrs_has(&a, BGP_ATTR_ATOMIC_AGGREGATE));
}

/* Many contributors coming, changing and going with overlapping paths: after every UPDATE
 * the AS_SET is exactly the union of the contributors' paths (the per-AS counts, their table
 * growing and its deletions, stay right). */
static void test_as_set_churn(void **state)
{
	(void)state;
	configure_one(true);
	enum { PREFIXES = 20, MAX_LEN = 30, ROUNDS = 400 };
	uint32_t paths[PREFIXES][MAX_LEN];
	size_t lens[PREFIXES] = { 0 };
	struct bgp_peer *peers[3] = { p1, p2, p3 };
	uint32_t seed = 12345;
	char addr[16];
	for (unsigned round = 0; round < ROUNDS; round++) {
		seed = seed * 1103515245u + 12345u;
		unsigned i = (seed >> 8) % PREFIXES;
		snprintf(addr, sizeof(addr), "10.%u.0.0", i + 1);
		if (lens[i] && (seed >> 20) % 4 == 0) {
			withdraw_one(peers[i % 3], addr, 16);
			lens[i] = 0;
		} else {
			lens[i] = 1 + (seed >> 12) % MAX_LEN;
			paths[i][0] = peers[i % 3]->config.remote_as;
			for (size_t k = 1; k < lens[i]; k++) {
				seed = seed * 1103515245u + 12345u;
				paths[i][k] = WIDE_AS + (seed >> 10) % 700;
			}
			announce_full(peers[i % 3], addr, 16, BGP_ORIGIN_IGP, paths[i], lens[i], false);
		}
		size_t expected = 0, contributors = 0;
		static bool seen[WIDE_AS + 700];
		memset(seen, 0, sizeof(seen));
		for (unsigned j = 0; j < PREFIXES; j++) {
			contributors += lens[j] != 0;
			for (size_t k = 0; k < lens[j]; k++)
				if (!seen[paths[j][k]]) {
					seen[paths[j][k]] = true;
					expected++;
				}
		}
		if (!contributors) {
			assert_false(aggregate_is_up());
			continue;
		}
		struct bgp_attrs a;
		aggregate(&a);
		size_t segments;
		assert_int_equal(as_set_shape(&a, &segments), expected);
		for (unsigned j = 0; j < PREFIXES; j++)
			for (size_t k = 0; k < lens[j]; k++)
				assert_true(bgp_as_path_contains(&a.as_path, paths[j][k]));
	}
}

/* ---- configuration changes ---------------------------------------------------------------- */

/* An inner aggregate removed while the outer one counts it: the outer one keeps the right
 * number of contributors (the old code counted the inner one's withdrawal without having
 * counted it, and lost the outer aggregate while 10.1.1.0/24 was still there). */
static void regression_inner_aggregate_removed(void **state)
{
	(void)state;
	const struct agg_conf both[] = { { "10.0.0.0", 8, true, false }, { "10.1.0.0", 16, true, false } };
	configure(ROUTER_ID, both, 2);
	ANNOUNCE(p1, "10.1.1.0", 24, BGP_ORIGIN_INCOMPLETE, 65001);
	assert_non_null(route("10.1.0.0", 16));
	expect_aggregate(BGP_ORIGIN_INCOMPLETE, "{65001}", false);
	configure(ROUTER_ID, both, 1);
	assert_null(route("10.1.0.0", 16));
	expect_aggregate(BGP_ORIGIN_INCOMPLETE, "{65001}", false);
	ANNOUNCE(p2, "10.2.0.0", 16, BGP_ORIGIN_IGP, 65002);
	withdraw_one(p2, "10.2.0.0", 16);
	expect_aggregate(BGP_ORIGIN_INCOMPLETE, "{65001}", false);
	withdraw_one(p1, "10.1.1.0", 24);
	assert_false(aggregate_is_up());
}

/* Options changed at run time: the aggregate is rebuilt from the same contributors. */
static void test_options_changed(void **state)
{
	(void)state;
	configure_one(false);
	ANNOUNCE(p1, "10.1.0.0", 16, BGP_ORIGIN_EGP, 65001, 7);
	expect_aggregate(BGP_ORIGIN_EGP, "", true);
	configure_one(true);
	expect_aggregate(BGP_ORIGIN_EGP, "{7,65001}", false);
	configure(ROUTER_ID, &(struct agg_conf){ "10.0.0.0", 8, true, true }, 1);
	expect_aggregate(BGP_ORIGIN_EGP, "{7,65001}", false);
	withdraw_one(p1, "10.1.0.0", 16);
	assert_false(aggregate_is_up());
}

/* RFC 4271 §5.1.7: AGGREGATOR names the router ID in force. */
static void regression_router_id_change_updates_aggregator(void **state)
{
	(void)state;
	configure_one(false);
	ANNOUNCE(p1, "10.1.0.0", 16, BGP_ORIGIN_IGP, 65001);
	struct bgp_attrs a;
	aggregate(&a);
	assert_int_equal(a.aggregator_addr, ROUTER_ID);
	configure(0x01020304, &(struct agg_conf){ "10.0.0.0", 8, false, false }, 1);
	aggregate(&a);
	assert_int_equal(a.aggregator_addr, 0x01020304);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(regression_origin_follows_contributors, setup, teardown),
		cmocka_unit_test_setup_teardown(regression_as_set_follows_path_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(regression_as_set_carries_atomic_aggregate, setup, teardown),
		cmocka_unit_test_setup_teardown(regression_as_set_over_255_ases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_as_set_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_as_set_churn, setup, teardown),
		cmocka_unit_test_setup_teardown(regression_inner_aggregate_removed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_options_changed, setup, teardown),
		cmocka_unit_test_setup_teardown(regression_router_id_change_updates_aggregator, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
