/*
 * DOC: unit tests of the Loc-RIB (src/bgp/rib.c) driven through bgp_rib_update().
 *
 * A speaker is made with bgp_speaker_create() (no listeners) on a libuv loop that never runs
 * until teardown, and configured through bgp_speaker_configure() with `shutdown` neighbours,
 * so nothing connects. The peers' session fields that the RIB reads (4-octet AS capability)
 * are then set by hand. UPDATE bodies are written byte by byte here, cut with the wire codec
 * (bgp_update_split) and fed to bgp_rib_update(), then bgp_rib_commit() ends the batch as
 * the session's read loop would. The route_changed callback records what export reports.
 *
 * Tests named regression_* were written to the RFC (or to the configuration's documented
 * meaning) and failed against the first RIB; the bugs they found are fixed and they stay.
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

static uv_loop_t loop;
static struct bgp_speaker *spk;
static struct bgp_rib *rib;
static struct bgp_peer *p1, *p2, *p3, *pi; /* eBGP 65001, eBGP 65002, eBGP 65001, iBGP */

/* ---- what export reported ---------------------------------------------------------------- */

struct change {
	struct prefix prefix;
	bool has_best;
	struct bgp_peer *peer;
	struct bgp_path_attrs *attrs;
};
static struct change changes[64];
static size_t change_count;

static bool changes_counted_only; /* big tables: count the changes, keep none */

static void route_changed(void *context, const struct bgp_route *route, const struct bgp_path *best)
{
	assert_ptr_equal(context, &changes);
	if (changes_counted_only) {
		change_count++;
		return;
	}
	assert_true(change_count < sizeof(changes) / sizeof(changes[0]));
	struct change *c = &changes[change_count++];
	memset(c, 0, sizeof(*c));
	c->prefix.family = route->family;
	c->prefix.len = route->len;
	memcpy(c->prefix.addr, route->addr, route->family == AF_INET6 ? 16 : 4);
	c->has_best = best != NULL;
	c->peer = best ? best->peer : NULL;
	c->attrs = best ? best->attrs : NULL;
}

/* Next hops: 192.0.2.66 does not resolve while unreachable_66 is set; 10.0.0.x costs x. */
static bool unreachable_66;
static bool resolve(void *context, const struct ip_addr *nh, uint32_t *metric)
{
	(void)context;
	if (nh->family == AF_INET && nh->bytes[0] == 192 && nh->bytes[3] == 66 && unreachable_66)
		return false;
	*metric = nh->bytes[0] == 10 ? nh->bytes[3] : 0;
	return true;
}

/* ---- set-up ------------------------------------------------------------------------------ */

struct start_opts {
	uint32_t local_as;
	bool always_compare_med;
	uint32_t cluster_id;
	bool as4;            /* the peers negotiated 4-octet ASNs */
};

static struct bgp_peer *find_peer(const char *addr)
{
	struct ip_addr a;
	assert_true(ip_addr_parse(addr, &a));
	struct bgp_peer *p = bgp_speaker_find_peer(spk, &a);
	assert_non_null(p);
	return p;
}

static void add_neighbor(struct config *c, const char *addr, uint32_t remote_as)
{
	struct ip_addr a;
	assert_true(ip_addr_parse(addr, &a));
	struct config_bgp_neighbor *n = config_bgp_neighbor_add(&c->bgp, &a);
	assert_non_null(n);
	n->remote_as = remote_as;
	n->shutdown = true; /* no connection attempts: the RIB is fed by hand */
}

static void start(const struct start_opts *o)
{
	change_count = 0;
	unreachable_66 = false;
	struct bgp_speaker_options options = {
		.listen = false,
		.context = &changes,
		.route_changed = route_changed,
		.resolve_next_hop = resolve,
	};
	spk = harness_speaker_start(&loop, &options);
	rib = bgp_speaker_rib(spk);

	struct config c;
	config_init(&c);
	c.bgp.enabled = true;
	c.bgp.asn = o->local_as;
	c.bgp.has_router_id = true;
	c.bgp.router_id = ROUTER_ID;
	c.bgp.always_compare_med = o->always_compare_med;
	c.bgp.cluster_id = o->cluster_id;
	add_neighbor(&c, "192.0.2.1", 65001);
	add_neighbor(&c, "192.0.2.2", 65002);
	add_neighbor(&c, "192.0.2.3", 65001);
	add_neighbor(&c, "10.0.0.3", o->local_as);
	bgp_speaker_configure(spk, &c);
	config_free(&c);
	assert_int_equal(bgp_speaker_local_as(spk), o->local_as);

	p1 = find_peer("192.0.2.1");
	p2 = find_peer("192.0.2.2");
	p3 = find_peer("192.0.2.3");
	pi = find_peer("10.0.0.3");
	assert_false(p1->ibgp);
	assert_false(p2->ibgp);
	assert_true(pi->ibgp);
	struct bgp_peer *all[] = { p1, p2, p3, pi };
	static const uint32_t ids[] = { 0x01010101, 0x02020202, 0x03030303, 0x0a000003 };
	for (size_t i = 0; i < 4; i++) {
		all[i]->session.valid = true;
		all[i]->session.remote_id = ids[i];
		all[i]->session.received_caps.as4 = o->as4;
		all[i]->session.sent_caps.as4 = o->as4;
	}
}

static int setup(void **state)
{
	(void)state;
	start(&(struct start_opts){ .local_as = LOCAL_AS, .as4 = true });
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	harness_speaker_stop(&loop, spk);
	spk = NULL;
	rib = NULL;
	return 0;
}

/* ---- UPDATE building --------------------------------------------------------------------- */

static void nlri(struct test_update *u, const char *addr, uint8_t len) { test_update_prefix(&u->nl, addr, len); }
static void withdraw(struct test_update *u, const char *addr, uint8_t len) { test_update_prefix(&u->wd, addr, len); }

static void a_origin(struct test_update *u, uint8_t origin)
{
	test_update_attr_header(u, BGP_ATTR_FLAG_TRANSITIVE, BGP_ATTR_ORIGIN, 1);
	writer_u8(&u->at, origin);
}

/* One segment of `type` with n ASNs of asn_size octets, in attribute `code`. */
static void a_segment(struct test_update *u, uint8_t flags, uint8_t code, uint8_t type, size_t n, const uint32_t *asns,
		      uint8_t asn_size)
{
	test_update_attr_header(u, flags, code, n ? 2 + n * asn_size : 0);
	if (!n)
		return;
	writer_u8(&u->at, type);
	writer_u8(&u->at, (uint8_t)n);
	for (size_t i = 0; i < n; i++) {
		if (asn_size == 4)
			writer_u32(&u->at, asns[i]);
		else
			writer_u16(&u->at, (uint16_t)asns[i]);
	}
}

#define ASNS(...) sizeof((const uint32_t[]){ __VA_ARGS__ }) / sizeof(uint32_t), (const uint32_t[]){ __VA_ARGS__ }
/* AS_PATH of one AS_SEQUENCE, 4-octet ASNs: A_PATH(u, 65001, 1) */
#define A_PATH(u, ...) \
	a_segment((u), BGP_ATTR_FLAG_TRANSITIVE, BGP_ATTR_AS_PATH, BGP_AS_SEQUENCE, ASNS(__VA_ARGS__), 4)

static void a_next_hop(struct test_update *u, const char *addr)
{
	struct ip_addr a;
	assert_true(ip_addr_parse(addr, &a));
	test_update_attr_header(u, BGP_ATTR_FLAG_TRANSITIVE, BGP_ATTR_NEXT_HOP, 4);
	writer_bytes(&u->at, a.bytes, 4);
}

static void a_u32(struct test_update *u, uint8_t flags, uint8_t type, uint32_t v)
{
	test_update_attr_header(u, flags, type, 4);
	writer_u32(&u->at, v);
}

static void a_med(struct test_update *u, uint32_t med) { a_u32(u, BGP_ATTR_FLAG_OPTIONAL, BGP_ATTR_MULTI_EXIT_DISC, med); }
static void a_local_pref(struct test_update *u, uint32_t lp) { a_u32(u, BGP_ATTR_FLAG_TRANSITIVE, BGP_ATTR_LOCAL_PREF, lp); }
static void a_originator(struct test_update *u, uint32_t id) { a_u32(u, BGP_ATTR_FLAG_OPTIONAL, BGP_ATTR_ORIGINATOR_ID, id); }

static void a_cluster_list(struct test_update *u, size_t n, const uint32_t *ids)
{
	test_update_attr_header(u, BGP_ATTR_FLAG_OPTIONAL, BGP_ATTR_CLUSTER_LIST, n * 4);
	for (size_t i = 0; i < n; i++)
		writer_u32(&u->at, ids[i]);
}

/* ORIGIN IGP, AS_PATH, NEXT_HOP */
#define BASIC(u, nh, ...)                   \
	do {                                \
		a_origin((u), BGP_ORIGIN_IGP); \
		A_PATH((u), __VA_ARGS__);   \
		a_next_hop((u), (nh));      \
	} while (0)

/* Frames the body, cuts it with the wire codec, applies it and ends the batch. */
static void feed(struct bgp_peer *peer, struct test_update *u)
{
	struct bgp_error err;
	assert_true(test_update_apply(rib, peer, u, &err));
	assert_int_equal(err.code, 0);
}

/* peer announces addr/len with ORIGIN IGP, the AS path and next hop */
#define ANNOUNCE(peer, addr, len, nh, ...)         \
	do {                                       \
		struct test_update u_;                     \
		test_update_init(&u_);                     \
		BASIC(&u_, (nh), __VA_ARGS__);     \
		nlri(&u_, (addr), (len));          \
		feed((peer), &u_);                 \
	} while (0)

static void withdraw_one(struct bgp_peer *peer, const char *addr, uint8_t len)
{
	struct test_update u;
	test_update_init(&u);
	withdraw(&u, addr, len);
	feed(peer, &u);
}

/* ---- looking ----------------------------------------------------------------------------- */

static struct prefix prefix(const char *addr, uint8_t len)
{
	struct ip_addr a;
	assert_true(ip_addr_parse(addr, &a));
	struct prefix n = { .family = a.family, .len = len };
	memcpy(n.addr, a.bytes, 16);
	return n;
}

static struct bgp_route *route(const char *addr, uint8_t len)
{
	struct prefix n = prefix(addr, len);
	return bgp_rib_lookup(rib, &n);
}

/* The best path of a route that must exist and have one. */
static struct bgp_path *best(const char *addr, uint8_t len)
{
	struct bgp_route *r = route(addr, len);
	assert_non_null(r);
	assert_true(r->best_valid);
	assert_non_null(r->paths);
	return r->paths;
}

static size_t path_count(const struct bgp_route *r)
{
	size_t n = 0;
	for (const struct bgp_path *p = r ? r->paths : NULL; p; p = p->next)
		n++;
	return n;
}

static void expect_stats(size_t routes, size_t paths, size_t attrs)
{
	struct bgp_rib_stats s;
	bgp_rib_stats(rib, &s);
	assert_int_equal(s.routes, routes);
	assert_int_equal(s.paths, paths);
	assert_int_equal(s.attrs, attrs);
	if (routes)
		assert_true(s.bytes > 0);
}

static void expect_change(size_t i, const char *addr, uint8_t len, struct bgp_peer *peer, bool has_best)
{
	assert_true(i < change_count);
	struct prefix n = prefix(addr, len);
	assert_int_equal(changes[i].prefix.family, n.family);
	assert_int_equal(changes[i].prefix.len, n.len);
	assert_memory_equal(changes[i].prefix.addr, n.addr, 4);
	assert_int_equal(changes[i].has_best, has_best);
	assert_ptr_equal(changes[i].peer, peer);
}

/* ---- announcements, better paths, withdrawals ------------------------------------------- */

static void test_announce_creates_route(void **state)
{
	(void)state;
	expect_stats(0, 0, 0);
	ANNOUNCE(p1, "10.1.0.0", 16, "192.0.2.1", 65001, 1);
	struct bgp_path *b = best("10.1.0.0", 16);
	assert_ptr_equal(b->peer, p1);
	assert_null(b->next);
	assert_int_equal(b->attrs->as_path_length, 2);
	assert_int_equal(b->attrs->neighbor_as, 65001);
	assert_int_equal(b->attrs->origin, BGP_ORIGIN_IGP);
	assert_int_equal(b->attrs->local_pref, 100);
	struct ip_addr nh, want;
	bgp_path_attrs_next_hop(b->attrs, &nh);
	assert_true(ip_addr_parse("192.0.2.1", &want));
	assert_true(ip_addr_equal(&nh, &want));
	/* the decoded view of the interned set gives the path back */
	struct bgp_attrs a;
	assert_true(bgp_path_attrs_decode(b->attrs, &a));
	assert_true(bgp_as_path_contains(&a.as_path, 65001));
	assert_true(bgp_as_path_contains(&a.as_path, 1));

	expect_stats(1, 1, 1);
	assert_int_equal(bgp_afi_safi_prefixes_accepted(&p1->afi_safi), 1);
	assert_int_equal(p1->afi_safi.family[BGP_AFI_SAFI_IPV4_UNICAST].announced_received, 1);
	assert_int_equal(change_count, 1);
	expect_change(0, "10.1.0.0", 16, p1, true);
	assert_ptr_equal(changes[0].attrs, b->attrs);
	/* the same announcement again changes nothing */
	ANNOUNCE(p1, "10.1.0.0", 16, "192.0.2.1", 65001, 1);
	assert_int_equal(change_count, 1);
	expect_stats(1, 1, 1);
	/* a more specific prefix is another route */
	assert_null(route("10.1.0.0", 24));
	assert_null(route("10.1.0.0", 15));
}

static void test_better_path_from_second_peer_becomes_best(void **state)
{
	(void)state;
	ANNOUNCE(p1, "10.1.0.0", 16, "192.0.2.1", 65001, 1, 2);
	assert_ptr_equal(best("10.1.0.0", 16)->peer, p1);
	ANNOUNCE(p2, "10.1.0.0", 16, "192.0.2.2", 65002);
	struct bgp_route *r = route("10.1.0.0", 16);
	assert_int_equal(path_count(r), 2);
	assert_ptr_equal(best("10.1.0.0", 16)->peer, p2);
	assert_int_equal(change_count, 2);
	expect_change(1, "10.1.0.0", 16, p2, true);
	expect_stats(1, 2, 2);
	/* p1 replaces its path with one still worse: no change of best, nothing reported */
	ANNOUNCE(p1, "10.1.0.0", 16, "192.0.2.1", 65001, 1, 2, 3);
	assert_ptr_equal(best("10.1.0.0", 16)->peer, p2);
	assert_int_equal(path_count(route("10.1.0.0", 16)), 2);
	assert_int_equal(change_count, 2);
	expect_stats(1, 2, 2); /* the replaced set went */
	/* p1 improves past p2: the best changes back */
	ANNOUNCE(p1, "10.1.0.0", 16, "192.0.2.1", 65001);
	assert_ptr_equal(best("10.1.0.0", 16)->peer, p1); /* lower router ID */
	assert_int_equal(change_count, 3);
	expect_change(2, "10.1.0.0", 16, p1, true);
}

static void test_withdraw_best_falls_back(void **state)
{
	(void)state;
	ANNOUNCE(p1, "10.1.0.0", 16, "192.0.2.1", 65001, 1, 2);
	ANNOUNCE(p2, "10.1.0.0", 16, "192.0.2.2", 65002);
	assert_ptr_equal(best("10.1.0.0", 16)->peer, p2);
	withdraw_one(p2, "10.1.0.0", 16);
	assert_ptr_equal(best("10.1.0.0", 16)->peer, p1);
	assert_int_equal(path_count(route("10.1.0.0", 16)), 1);
	assert_int_equal(bgp_afi_safi_prefixes_accepted(&p2->afi_safi), 0);
	assert_int_equal(p2->afi_safi.family[BGP_AFI_SAFI_IPV4_UNICAST].withdrawn_received, 1);
	expect_change(change_count - 1, "10.1.0.0", 16, p1, true);
	expect_stats(1, 1, 1);
	/* withdrawing what a peer does not have is harmless */
	size_t before = change_count;
	withdraw_one(p2, "10.1.0.0", 16);
	withdraw_one(p2, "10.99.0.0", 16);
	assert_int_equal(change_count, before);
	assert_ptr_equal(best("10.1.0.0", 16)->peer, p1);
	/* the last path goes: the route goes, and export hears of it */
	withdraw_one(p1, "10.1.0.0", 16);
	assert_null(route("10.1.0.0", 16));
	expect_change(change_count - 1, "10.1.0.0", 16, NULL, false);
	expect_stats(0, 0, 0);
}

/* Withdrawals and announcements in one UPDATE: withdrawals first (RFC 4271 §9). */
static void test_withdraw_and_announce_in_one_update(void **state)
{
	(void)state;
	ANNOUNCE(p1, "10.1.0.0", 16, "192.0.2.1", 65001);
	struct test_update u;
	test_update_init(&u);
	withdraw(&u, "10.1.0.0", 16);
	BASIC(&u, "192.0.2.1", 65001, 7);
	nlri(&u, "10.1.0.0", 16);
	nlri(&u, "10.2.0.0", 16);
	feed(p1, &u);
	assert_int_equal(best("10.1.0.0", 16)->attrs->as_path_length, 2);
	assert_int_equal(best("10.2.0.0", 16)->attrs->as_path_length, 2);
	expect_stats(2, 2, 1);
}

/* RFC 4271 §9.1.2: a path whose next hop does not resolve is no candidate. */
static void test_unresolvable_next_hop_not_candidate(void **state)
{
	(void)state;
	unreachable_66 = true;
	ANNOUNCE(p1, "10.1.0.0", 16, "192.0.2.1", 65001, 1, 2);
	ANNOUNCE(p2, "10.1.0.0", 16, "192.0.2.66", 65002);
	assert_ptr_equal(best("10.1.0.0", 16)->peer, p1);
	/* only p2's path: the route exists without a best */
	ANNOUNCE(p2, "10.2.0.0", 16, "192.0.2.66", 65002);
	struct bgp_route *r = route("10.2.0.0", 16);
	assert_non_null(r);
	assert_false(r->best_valid);
	size_t before = change_count;
	unreachable_66 = false;
	bgp_speaker_next_hops_changed(spk);
	bgp_route_engine_finish(spk); /* the route engine decides again in slices, from the loop */
	assert_ptr_equal(best("10.1.0.0", 16)->peer, p2);
	assert_ptr_equal(best("10.2.0.0", 16)->peer, p2);
	assert_int_equal(change_count, before + 2);
}

/* The IGP metric the resolver reports decides between otherwise equal iBGP paths. */
static void test_igp_metric_from_resolver(void **state)
{
	(void)state;
	struct test_update u;
	test_update_init(&u);
	BASIC(&u, "10.0.0.20", 65001);
	a_local_pref(&u, 100);
	nlri(&u, "10.1.0.0", 16);
	feed(pi, &u);
	/* the same prefix via p1 (eBGP) would win on eBGP over iBGP; give it a longer path */
	ANNOUNCE(p1, "10.1.0.0", 16, "192.0.2.1", 65001, 1);
	assert_ptr_equal(best("10.1.0.0", 16)->peer, pi);
	assert_int_equal(best("10.1.0.0", 16)->attrs->igp_metric, 20);
}

/* ---- RFC 7606 treat-as-withdraw, loops ----------------------------------------------------- */

static void test_treat_as_withdraw_malformed_med(void **state)
{
	(void)state;
	ANNOUNCE(p1, "10.1.0.0", 16, "192.0.2.1", 65001, 1, 2);
	ANNOUNCE(p2, "10.1.0.0", 16, "192.0.2.2", 65002);
	ANNOUNCE(p2, "10.5.0.0", 16, "192.0.2.2", 65002);
	assert_ptr_equal(best("10.1.0.0", 16)->peer, p2);

	/* RFC 7606 §7.4: MULTI_EXIT_DISC of a length other than 4 -> treat-as-withdraw */
	struct test_update u;
	test_update_init(&u);
	BASIC(&u, "192.0.2.2", 65002);
	test_update_attr_header(&u, BGP_ATTR_FLAG_OPTIONAL, BGP_ATTR_MULTI_EXIT_DISC, 3);
	writer_u8(&u.at, 0);
	writer_u16(&u.at, 5);
	nlri(&u, "10.1.0.0", 16);
	nlri(&u, "10.6.0.0", 16); /* new: must not appear */
	struct bgp_error err;
	assert_true(test_update_apply(rib, p2, &u, &err)); /* no session reset */
	assert_int_equal(err.code, BGP_ERR_UPDATE); /* for the log */

	assert_ptr_equal(best("10.1.0.0", 16)->peer, p1);
	assert_int_equal(path_count(route("10.1.0.0", 16)), 1);
	assert_null(route("10.6.0.0", 16));
	/* the peer's other routes are untouched */
	assert_ptr_equal(best("10.5.0.0", 16)->peer, p2);
	assert_int_equal(p2->updates_rejected, 1);
	assert_non_null(strstr(p2->last_rejected, "treat-as-withdraw"));
	assert_int_equal(bgp_afi_safi_prefixes_accepted(&p2->afi_safi), 1);
	expect_change(change_count - 1, "10.1.0.0", 16, p1, true);
	expect_stats(2, 2, 2);
}

/* Contrast: an NLRI field that cannot be parsed resets the session (RFC 7606 §5.3). */
static void test_malformed_nlri_resets(void **state)
{
	(void)state;
	struct test_update u;
	test_update_init(&u);
	BASIC(&u, "192.0.2.1", 65001);
	writer_u8(&u.nl, 33); /* prefix length above 32 */
	writer_u32(&u.nl, 0x0a010000);
	writer_u8(&u.nl, 0);
	struct bgp_error err;
	assert_false(test_update_apply(rib, p1, &u, &err));
	assert_int_equal(err.code, BGP_ERR_UPDATE);
	assert_int_equal(err.subcode, BGP_ERR_UPDATE_INVALID_NETWORK_FIELD);
}

/* RFC 4271 §9.1.2: a route whose AS_PATH holds our own AS is not accepted. */
static void test_own_as_loop_not_accepted(void **state)
{
	(void)state;
	ANNOUNCE(p1, "10.1.0.0", 16, "192.0.2.1", 65001, LOCAL_AS, 1);
	assert_null(route("10.1.0.0", 16));
	assert_int_equal(p1->updates_rejected, 1);
	assert_string_equal(p1->last_rejected, "own AS in AS_PATH");
	assert_int_equal(change_count, 0);
	expect_stats(0, 0, 0);

	/* a looped announcement replaces (withdraws) the peer's earlier path */
	ANNOUNCE(p1, "10.2.0.0", 16, "192.0.2.1", 65001, 1);
	assert_ptr_equal(best("10.2.0.0", 16)->peer, p1);
	ANNOUNCE(p1, "10.2.0.0", 16, "192.0.2.1", 65001, 1, LOCAL_AS);
	assert_null(route("10.2.0.0", 16));
	expect_change(change_count - 1, "10.2.0.0", 16, NULL, false);

	/* our AS inside an AS_SET is a loop too */
	struct test_update u;
	test_update_init(&u);
	a_origin(&u, BGP_ORIGIN_IGP);
	test_update_attr_header(&u, BGP_ATTR_FLAG_TRANSITIVE, BGP_ATTR_AS_PATH, 6 + 10);
	writer_u8(&u.at, BGP_AS_SEQUENCE);
	writer_u8(&u.at, 1);
	writer_u32(&u.at, 65001);
	writer_u8(&u.at, BGP_AS_SET);
	writer_u8(&u.at, 2);
	writer_u32(&u.at, 7);
	writer_u32(&u.at, LOCAL_AS);
	a_next_hop(&u, "192.0.2.1");
	nlri(&u, "10.3.0.0", 16);
	feed(p1, &u);
	assert_null(route("10.3.0.0", 16));
	assert_int_equal(p1->updates_rejected, 3);
}

/* RFC 4456 §8: ORIGINATOR_ID equal to our router ID, or our cluster ID in CLUSTER_LIST. */
static void test_reflection_loops_not_accepted(void **state)
{
	(void)state;
	struct test_update u;
	test_update_init(&u);
	BASIC(&u, "10.0.0.3", 65001);
	a_local_pref(&u, 100);
	a_originator(&u, ROUTER_ID);
	nlri(&u, "10.1.0.0", 16);
	feed(pi, &u);
	assert_null(route("10.1.0.0", 16));
	assert_string_equal(pi->last_rejected, "ORIGINATOR_ID is our router ID");

	test_update_init(&u);
	BASIC(&u, "10.0.0.3", 65001);
	a_local_pref(&u, 100);
	a_originator(&u, 0x0a000009);
	a_cluster_list(&u, 2, (const uint32_t[]){ 0x0a000077, ROUTER_ID }); /* cluster ID = router ID */
	nlri(&u, "10.1.0.0", 16);
	feed(pi, &u);
	assert_null(route("10.1.0.0", 16));
	assert_string_equal(pi->last_rejected, "our cluster ID in CLUSTER_LIST");
	assert_int_equal(pi->updates_rejected, 2);

	/* another cluster's ID is fine */
	test_update_init(&u);
	BASIC(&u, "10.0.0.3", 65001);
	a_local_pref(&u, 100);
	a_originator(&u, 0x0a000009);
	a_cluster_list(&u, 1, (const uint32_t[]){ 0x0a000077 });
	nlri(&u, "10.1.0.0", 16);
	feed(pi, &u);
	struct bgp_path *b = best("10.1.0.0", 16);
	assert_ptr_equal(b->peer, pi);
	assert_int_equal(b->attrs->cluster_list_length, 1);
	assert_int_equal(b->attrs->originator_id, 0x0a000009);
}

/* ---- peer down, sharing, local routes -------------------------------------------------------- */

static void test_peer_down_removes_all_paths(void **state)
{
	(void)state;
	struct test_update u;
	test_update_init(&u);
	BASIC(&u, "192.0.2.1", 65001);
	nlri(&u, "10.1.0.0", 16);
	nlri(&u, "10.2.0.0", 16);
	nlri(&u, "10.3.0.0", 24);
	feed(p1, &u);
	ANNOUNCE(p2, "10.2.0.0", 16, "192.0.2.2", 65002, 9);
	assert_ptr_equal(best("10.2.0.0", 16)->peer, p1);
	assert_int_equal(bgp_afi_safi_prefixes_accepted(&p1->afi_safi), 3);
	expect_stats(3, 4, 2);
	change_count = 0;

	bgp_rib_peer_down(rib, p1);
	assert_null(route("10.1.0.0", 16));
	assert_null(route("10.3.0.0", 24));
	assert_ptr_equal(best("10.2.0.0", 16)->peer, p2);
	assert_int_equal(path_count(route("10.2.0.0", 16)), 1);
	assert_int_equal(bgp_afi_safi_prefixes_accepted(&p1->afi_safi), 0);
	expect_stats(1, 1, 1);
	/* export heard of all three, in one batch */
	assert_int_equal(change_count, 3);
	size_t gone = 0, moved = 0;
	for (size_t i = 0; i < change_count; i++) {
		if (!changes[i].has_best)
			gone++;
		else if (changes[i].peer == p2 && changes[i].prefix.len == 16 && changes[i].prefix.addr[1] == 2)
			moved++;
	}
	assert_int_equal(gone, 2);
	assert_int_equal(moved, 1);
	/* a second peer-down of the same peer is a no-op */
	bgp_rib_peer_down(rib, p1);
	assert_int_equal(change_count, 3);
}

/* n /24s from 20.0.0.0 on, announced by peer with one attribute set. */
static void announce_many(struct bgp_peer *peer, const char *next_hop, uint32_t asn, uint32_t n)
{
	for (uint32_t i = 0; i < n;) {
		struct test_update u;
		test_update_init(&u);
		BASIC(&u, next_hop, asn);
		for (int k = 0; k < 120 && i < n; k++, i++) {
			char addr[16];
			snprintf(addr, sizeof(addr), "%u.%u.%u.0", 20 + (i >> 16), (i >> 8) & 255, i & 255);
			nlri(&u, addr, 24);
		}
		feed(peer, &u);
	}
}

/* A dropped table larger than a decision slice (rib.c PEER_DOWN_SLICE) is decided and exported
 * slice by slice: nothing of the peer is left, the other peer's paths take over, and every
 * prefix is reported exactly once. */
static void test_peer_down_large_table_in_slices(void **state)
{
	(void)state;
	enum { N = 150000, SHARED = 1000 };
	changes_counted_only = true;
	announce_many(p1, "192.0.2.1", 65001, N);
	announce_many(p2, "192.0.2.2", 65002, SHARED);
	expect_stats(N, N + SHARED, 2);
	change_count = 0;
	bgp_rib_peer_down(rib, p1);
	changes_counted_only = false;
	assert_int_equal(change_count, N);
	assert_int_equal(bgp_afi_safi_prefixes_accepted(&p1->afi_safi), 0);
	expect_stats(SHARED, SHARED, 1);
	assert_ptr_equal(best("20.0.0.0", 24)->peer, p2);
	assert_ptr_equal(best("20.3.231.0", 24)->peer, p2); /* the last shared one, 999 */
	assert_null(route("20.3.232.0", 24));
	assert_null(route("22.73.239.0", 24)); /* the last one, 149999 */
}

static void test_identical_attributes_shared(void **state)
{
	(void)state;
	/* two UPDATEs from p1, same attributes */
	ANNOUNCE(p1, "10.1.0.0", 16, "192.0.2.1", 65001, 1);
	ANNOUNCE(p1, "10.2.0.0", 16, "192.0.2.1", 65001, 1);
	struct bgp_path_attrs *a1 = best("10.1.0.0", 16)->attrs, *a2 = best("10.2.0.0", 16)->attrs;
	assert_ptr_equal(a1, a2);
	assert_int_equal(a1->refcount, 2);
	expect_stats(2, 2, 1);

	/* the same set in another attribute order, from another peer: still the same copy */
	struct test_update u;
	test_update_init(&u);
	a_next_hop(&u, "192.0.2.1");
	A_PATH(&u, 65001, 1);
	a_origin(&u, BGP_ORIGIN_IGP);
	nlri(&u, "10.3.0.0", 16);
	feed(p3, &u);
	assert_ptr_equal(best("10.3.0.0", 16)->attrs, a1);
	assert_int_equal(a1->refcount, 3);
	expect_stats(3, 3, 1);

	/* another next hop is another set */
	ANNOUNCE(p1, "10.4.0.0", 16, "192.0.2.9", 65001, 1);
	assert_ptr_not_equal(best("10.4.0.0", 16)->attrs, a1);
	expect_stats(4, 4, 2);

	/* references follow the paths */
	withdraw_one(p1, "10.1.0.0", 16);
	assert_int_equal(a1->refcount, 2);
	withdraw_one(p1, "10.2.0.0", 16);
	assert_int_equal(a1->refcount, 1);
	expect_stats(2, 2, 2);
	withdraw_one(p3, "10.3.0.0", 16);
	expect_stats(1, 1, 1);
}

static void test_originate(void **state)
{
	(void)state;
	/* a learned path first: the local one beats it */
	ANNOUNCE(p1, "10.9.0.0", 16, "192.0.2.1", 65001);
	struct prefix n9 = prefix("10.9.0.0", 16), n8 = prefix("10.8.0.0", 16);
	bgp_rib_originate_begin(rib);
	bgp_rib_originate(rib, &n9, BGP_ORIGIN_IGP, false, 0);
	bgp_rib_originate(rib, &n8, BGP_ORIGIN_INCOMPLETE, true, 5);
	bgp_rib_originate_end(rib);

	struct bgp_path *b9 = best("10.9.0.0", 16), *b8 = best("10.8.0.0", 16);
	assert_null(b9->peer);
	assert_null(b8->peer);
	assert_int_equal(path_count(route("10.9.0.0", 16)), 2);
	assert_true(bgp_path_attrs_next_hop_is_self(b9->attrs));
	assert_int_equal(b9->attrs->origin, BGP_ORIGIN_IGP);
	assert_int_equal(b9->attrs->as_path_length, 0);
	assert_int_equal(b8->attrs->origin, BGP_ORIGIN_INCOMPLETE);
	assert_true(b8->attrs->flags & BGP_PA_MED);
	assert_int_equal(b8->attrs->med, 5);
	expect_change(change_count - 2, "10.9.0.0", 16, NULL, true);
	expect_change(change_count - 1, "10.8.0.0", 16, NULL, true);
	expect_stats(2, 3, 3);

	/* named again: nothing changes */
	size_t before = change_count;
	bgp_rib_originate_begin(rib);
	bgp_rib_originate(rib, &n9, BGP_ORIGIN_IGP, false, 0);
	bgp_rib_originate(rib, &n8, BGP_ORIGIN_INCOMPLETE, true, 5);
	bgp_rib_originate_end(rib);
	assert_int_equal(change_count, before);

	/* 10.8 not named: it goes; a network statement and redistribution of one prefix: the
	 * first wins */
	bgp_rib_originate_begin(rib);
	bgp_rib_originate(rib, &n9, BGP_ORIGIN_IGP, false, 0);
	bgp_rib_originate(rib, &n9, BGP_ORIGIN_INCOMPLETE, false, 0);
	bgp_rib_originate_end(rib);
	assert_null(route("10.8.0.0", 16));
	assert_int_equal(best("10.9.0.0", 16)->attrs->origin, BGP_ORIGIN_IGP);
	assert_int_equal(change_count, before + 1);
	expect_change(change_count - 1, "10.8.0.0", 16, NULL, false);

	/* nothing named: the local 10.9 goes and p1's path is best again */
	bgp_rib_originate_begin(rib);
	bgp_rib_originate_end(rib);
	assert_ptr_equal(best("10.9.0.0", 16)->peer, p1);
	expect_change(change_count - 1, "10.9.0.0", 16, p1, true);
	expect_stats(1, 1, 1);
}

/* A session without 4-octet ASNs: AS4_PATH is merged in (RFC 6793 §4.2.3), and the interned
 * set holds the real path with 4-octet ASNs. */
static int setup_2octet(void **state)
{
	(void)state;
	start(&(struct start_opts){ .local_as = LOCAL_AS, .as4 = false });
	return 0;
}

static void test_2octet_session_as4_path_merged(void **state)
{
	(void)state;
	struct test_update u;
	test_update_init(&u);
	a_origin(&u, BGP_ORIGIN_IGP);
	a_segment(&u, BGP_ATTR_FLAG_TRANSITIVE, BGP_ATTR_AS_PATH, BGP_AS_SEQUENCE, ASNS(65001, BGP_AS_TRANS, 1), 2);
	a_next_hop(&u, "192.0.2.1");
	a_segment(&u, BGP_ATTR_FLAG_OPTIONAL | BGP_ATTR_FLAG_TRANSITIVE, BGP_ATTR_AS4_PATH, BGP_AS_SEQUENCE,
		  ASNS(4200000099u, 1), 4);
	nlri(&u, "10.1.0.0", 16);
	feed(p1, &u);
	struct bgp_path *b = best("10.1.0.0", 16);
	assert_int_equal(b->attrs->as_path_length, 3);
	assert_int_equal(b->attrs->neighbor_as, 65001);
	struct bgp_attrs a;
	assert_true(bgp_path_attrs_decode(b->attrs, &a));
	assert_int_equal(a.as_path.asn_size, 4);
	assert_true(bgp_as_path_contains(&a.as_path, 4200000099u));
	assert_false(bgp_as_path_contains(&a.as_path, BGP_AS_TRANS));
	assert_false(bgp_attrs_has(&a, BGP_ATTR_AS4_PATH));
	/* our own (2-octet) AS is still a loop on such a session */
	test_update_init(&u);
	a_origin(&u, BGP_ORIGIN_IGP);
	a_segment(&u, BGP_ATTR_FLAG_TRANSITIVE, BGP_ATTR_AS_PATH, BGP_AS_SEQUENCE, ASNS(65001, LOCAL_AS), 2);
	a_next_hop(&u, "192.0.2.1");
	nlri(&u, "10.2.0.0", 16);
	feed(p1, &u);
	assert_null(route("10.2.0.0", 16));
}

/* ---- regressions: bugs these tests found, fixed since -------------------------------------- */

/*
 * RFC 4271 §9.1.2.2 c removes, among ALL candidates, every route with a higher MED than
 * another route from the same neighbouring AS, and only then goes on to d) - g); any
 * algorithm "that produces the same results" may be used. The first decide() folded a
 * pairwise comparison over the path list, which is not transitive once MEDs are compared only
 * within a neighbouring AS, so the winner depended on arrival order.
 *
 * X = p1, AS 65001, MED 20, router ID 1.1.1.1
 * Y = p2, AS 65002, MED 0,  router ID 2.2.2.2
 * Z = p3, AS 65001, MED 10, router ID 3.3.3.3
 * RFC: c) removes X (Z has the lower MED in AS 65001); f) Y beats Z on router ID: Y.
 */
static void regression_med_order_independent(void **state)
{
	(void)state;
	static const int orders[6][3] = { { 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 }, { 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 } };
	struct bgp_peer *peers[3] = { p1, p2, p3 };
	static const uint32_t first_as[3] = { 65001, 65002, 65001 }, meds[3] = { 20, 0, 10 };
	static const char *const nh[3] = { "192.0.2.1", "192.0.2.2", "192.0.2.3" };
	const char *prefixes[6] = { "10.1.0.0", "10.2.0.0", "10.3.0.0", "10.4.0.0", "10.5.0.0", "10.6.0.0" };
	int wrong = 0;
	for (int o = 0; o < 6; o++) {
		for (int k = 0; k < 3; k++) {
			int i = orders[o][k];
			struct test_update u;
			test_update_init(&u);
			BASIC(&u, nh[i], first_as[i], 1);
			a_med(&u, meds[i]);
			nlri(&u, prefixes[o], 16);
			feed(peers[i], &u);
		}
		struct bgp_path *b = best(prefixes[o], 16);
		if (b->peer != p2) {
			print_message("arrival order %d %d %d: best is from %s, RFC 4271 says p2\n", orders[o][0] + 1,
				      orders[o][1] + 1, orders[o][2] + 1, b->peer == p1 ? "p1" : "p3");
			wrong++;
		}
	}
	assert_int_equal(wrong, 0);
}

/*
 * RFC 6793 §4.2.3 / RFC 4271 §9.1.2: on a session without 4-octet ASNs the real path is the
 * merge of AS_PATH and AS4_PATH, and loop detection must look at it. rib.c runs
 * loop_reason() on the raw 2-octet AS_PATH before bgp_attrs_as4_merge(), so a 4-octet local
 * AS (seen there only as AS_TRANS 23456) is never found: the looped route is accepted.
 */
static void regression_loop_in_as4_path_on_2octet_session(void **state)
{
	(void)state;
	teardown(NULL);
	start(&(struct start_opts){ .local_as = 4200000001u, .as4 = false });
	struct test_update u;
	test_update_init(&u);
	a_origin(&u, BGP_ORIGIN_IGP);
	a_segment(&u, BGP_ATTR_FLAG_TRANSITIVE, BGP_ATTR_AS_PATH, BGP_AS_SEQUENCE, ASNS(65001, BGP_AS_TRANS, 1), 2);
	a_next_hop(&u, "192.0.2.1");
	a_segment(&u, BGP_ATTR_FLAG_OPTIONAL | BGP_ATTR_FLAG_TRANSITIVE, BGP_ATTR_AS4_PATH, BGP_AS_SEQUENCE,
		  ASNS(65001, 4200000001u, 1), 4);
	nlri(&u, "10.1.0.0", 16);
	feed(p1, &u);
	struct bgp_route *r = route("10.1.0.0", 16);
	if (r && r->paths) {
		struct bgp_attrs a;
		assert_true(bgp_path_attrs_decode(r->paths->attrs, &a));
		print_message("accepted; our AS %s in the merged path\n",
			      bgp_as_path_contains(&a.as_path, 4200000001u) ? "is" : "is not");
	}
	assert_null(r);
	assert_string_equal(p1->last_rejected, "own AS in AS_PATH");
}

/*
 * `bgp always-compare-med` (config_bgp.always_compare_med) never reaches the speaker:
 * bgp_speaker_configure() copies the AS, router ID and timers but not always_compare_med,
 * cluster_id or ebgp_requires_policy, so decide.c always sees false.
 */
static void regression_always_compare_med_from_config(void **state)
{
	(void)state;
	teardown(NULL);
	start(&(struct start_opts){ .local_as = LOCAL_AS, .always_compare_med = true, .as4 = true });
	struct test_update u;
	test_update_init(&u);
	BASIC(&u, "192.0.2.1", 65001, 1);
	a_med(&u, 50);
	nlri(&u, "10.1.0.0", 16);
	feed(p1, &u);
	test_update_init(&u);
	BASIC(&u, "192.0.2.2", 65002, 1);
	a_med(&u, 5);
	nlri(&u, "10.1.0.0", 16);
	feed(p2, &u);
	/* MEDs compared across neighbouring ASes: p2 (MED 5) wins despite its higher router ID */
	if (best("10.1.0.0", 16)->peer != p2)
		print_message("speaker->always_compare_med is %d after configure\n", spk->always_compare_med);
	assert_ptr_equal(best("10.1.0.0", 16)->peer, p2);
}

/*
 * RFC 4456 §7, §8 with `bgp cluster-id`: a route carrying our configured cluster ID in its
 * CLUSTER_LIST must be ignored. The configured value never reaches speaker->cluster_id
 * (see above), so only the router ID is checked.
 */
static void regression_cluster_id_from_config(void **state)
{
	(void)state;
	teardown(NULL);
	start(&(struct start_opts){ .local_as = LOCAL_AS, .cluster_id = 0x0a0000c1, .as4 = true });
	struct test_update u;
	test_update_init(&u);
	BASIC(&u, "10.0.0.3", 65001);
	a_local_pref(&u, 100);
	a_originator(&u, 0x0a000009);
	a_cluster_list(&u, 1, (const uint32_t[]){ 0x0a0000c1 });
	nlri(&u, "10.1.0.0", 16);
	feed(pi, &u);
	if (route("10.1.0.0", 16))
		print_message("accepted; speaker->cluster_id is 0x%08x after configure\n", spk->cluster_id);
	assert_null(route("10.1.0.0", 16));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_announce_creates_route),
		T(test_better_path_from_second_peer_becomes_best),
		T(test_withdraw_best_falls_back),
		T(test_withdraw_and_announce_in_one_update),
		T(test_unresolvable_next_hop_not_candidate),
		T(test_igp_metric_from_resolver),
		T(test_treat_as_withdraw_malformed_med),
		T(test_malformed_nlri_resets),
		T(test_own_as_loop_not_accepted),
		T(test_reflection_loops_not_accepted),
		T(test_peer_down_removes_all_paths),
		T(test_peer_down_large_table_in_slices),
		T(test_identical_attributes_shared),
		T(test_originate),
		cmocka_unit_test_setup_teardown(test_2octet_session_as4_path_merged, setup_2octet, teardown),
		T(regression_med_order_independent),
		T(regression_loop_in_as4_path_on_2octet_session),
		T(regression_always_compare_med_from_config),
		T(regression_cluster_id_from_config),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
