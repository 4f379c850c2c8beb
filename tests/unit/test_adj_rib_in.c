/*
 * DOC: unit tests of the pre-policy Adj-RIB-In (src/bgp/adj_rib_in.c) and of
 * soft-reconfiguration inbound through the RIB's import path (bgp_rib_peer_soft_in).
 *
 * The store alone: references into the attribute table are taken and dropped exactly, the
 * table grows, and a cursor walks it a slice at a time with the Loc-RIB cursor's promises
 * while it changes. Through a speaker (configured from IOS text, its neighbour shut down so
 * that nothing connects; the store made by hand as an Established session would): a
 * route-map denies a prefix, the store keeps it and the Loc-RIB does not; the policy changes,
 * nothing moves until soft in, then the stored routes meet the new policy.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "bgp/adj_rib_in.h"
#include "bgp/internal.h"
#include "bgp_harness.h"

/* ---- the store alone --------------------------------------------------------------------- */

static struct bgp_path_attrs *intern_origin(struct bgp_attrs_table *t, uint8_t origin, uint32_t med)
{
	struct bgp_attrs a;
	memset(&a, 0, sizeof(a));
	a.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH) | BGP_ATTR_BIT(BGP_ATTR_MULTI_EXIT_DISC);
	a.origin = origin;
	a.med = med;
	a.as_path = (struct bgp_as_path){ .data = NULL, .len = 0, .asn_size = 4 };
	struct bgp_next_hop nh = { .family = AF_INET, .addr = { 192, 0, 2, 1 } };
	struct bgp_path_attrs *pa = bgp_attrs_intern(t, &a, &nh);
	assert_non_null(pa);
	return pa;
}

static struct prefix v4(uint32_t addr, uint8_t len)
{
	struct prefix n = { .family = AF_INET, .len = len };
	n.addr[0] = (uint8_t)(addr >> 24);
	n.addr[1] = (uint8_t)(addr >> 16);
	n.addr[2] = (uint8_t)(addr >> 8);
	n.addr[3] = (uint8_t)addr;
	return n;
}

static void store_references(void **state)
{
	(void)state;
	struct bgp_attrs_table attrs;
	struct bgp_adj_rib_in_pools pools = { 0 };
	bgp_attrs_table_init(&attrs);
	struct bgp_path_attrs *a = intern_origin(&attrs, BGP_ORIGIN_IGP, 1);
	struct bgp_path_attrs *b = intern_origin(&attrs, BGP_ORIGIN_IGP, 2);
	struct bgp_adj_rib_in *in = bgp_adj_rib_in_create(&pools, &attrs);
	assert_non_null(in);

	struct prefix p = v4(0x0a010000, 16), q = v4(0x0a010000, 24);
	struct prefix v6 = { .family = AF_INET6, .len = 32, .addr = { 0x20, 0x01, 0x0d, 0xb8 } };
	assert_true(bgp_adj_rib_in_set(in, &p, a));
	assert_true(bgp_adj_rib_in_set(in, &q, a));
	assert_true(bgp_adj_rib_in_set(in, &v6, b));
	assert_int_equal(a->refcount, 3); /* ours and two routes */
	assert_int_equal(b->refcount, 2);
	assert_ptr_equal(bgp_adj_rib_in_lookup(in, &p), a);
	assert_ptr_equal(bgp_adj_rib_in_lookup(in, &q), a);
	assert_ptr_equal(bgp_adj_rib_in_lookup(in, &v6), b);
	assert_int_equal(bgp_adj_rib_in_count(in), 3);

	/* the same prefix again with other attributes: replaced, references moved */
	assert_true(bgp_adj_rib_in_set(in, &p, b));
	assert_true(bgp_adj_rib_in_set(in, &p, b)); /* an implicit re-announcement: nothing changes */
	assert_int_equal(a->refcount, 2);
	assert_int_equal(b->refcount, 3);
	assert_int_equal(bgp_adj_rib_in_count(in), 3);

	bgp_adj_rib_in_remove(in, &q);
	bgp_adj_rib_in_remove(in, &q); /* not there: nothing */
	assert_null(bgp_adj_rib_in_lookup(in, &q));
	assert_int_equal(a->refcount, 1);
	assert_int_equal(bgp_adj_rib_in_count(in), 2);
	assert_true(bgp_adj_rib_in_bytes(in) >= 2 * 24);

	bgp_adj_rib_in_destroy(in);
	assert_int_equal(b->refcount, 1);
	bgp_attrs_unref(&attrs, a);
	bgp_attrs_unref(&attrs, b);
	assert_int_equal(attrs.table.count, 0);
	bgp_adj_rib_in_pools_free(&pools);
	bgp_attrs_table_free(&attrs);
}

struct seen {
	uint8_t *count; /* by route number */
	size_t n;
	uint32_t base;
};

static void count_visit(void *ctx, const struct prefix *prefix, struct bgp_path_attrs *attrs)
{
	(void)attrs;
	struct seen *s = ctx;
	uint32_t addr = (uint32_t)prefix->addr[0] << 24 | (uint32_t)prefix->addr[1] << 16 |
			(uint32_t)prefix->addr[2] << 8 | prefix->addr[3];
	uint32_t i = (addr - s->base) >> 8;
	assert_true(i < s->n);
	s->count[i]++;
}

/* A walk a slice at a time, while routes come (the table grows several times) and go:
 * every route there for the whole walk is seen once, the others at most once. */
static void store_cursor_while_changing(void **state)
{
	(void)state;
	enum { KEPT = 3000, ADDED = 20000, REMOVED = 1000 };
	struct bgp_attrs_table attrs;
	struct bgp_adj_rib_in_pools pools = { 0 };
	bgp_attrs_table_init(&attrs);
	struct bgp_path_attrs *a = intern_origin(&attrs, BGP_ORIGIN_IGP, 1);
	struct bgp_adj_rib_in *in = bgp_adj_rib_in_create(&pools, &attrs);
	const uint32_t base = 0x0b000000;
	for (uint32_t i = 0; i < KEPT + REMOVED; i++) {
		struct prefix n = v4(base + (i << 8), 24);
		assert_true(bgp_adj_rib_in_set(in, &n, a));
	}
	struct seen s = { .count = calloc(KEPT + REMOVED + ADDED, 1), .n = KEPT + REMOVED + ADDED, .base = base };
	assert_non_null(s.count);
	struct bgp_adj_rib_in_cursor cursor;
	bgp_adj_rib_in_cursor_open(in, &cursor, AF_INET);
	uint32_t added = 0, removed = 0;
	while (bgp_adj_rib_in_cursor_step(in, &cursor, 64, count_visit, &s)) {
		for (int k = 0; k < 400 && added < ADDED; k++, added++) {
			struct prefix n = v4(base + ((KEPT + REMOVED + added) << 8), 24);
			assert_true(bgp_adj_rib_in_set(in, &n, a));
		}
		for (int k = 0; k < 20 && removed < REMOVED; k++, removed++) {
			struct prefix n = v4(base + ((KEPT + removed) << 8), 24);
			bgp_adj_rib_in_remove(in, &n);
		}
	}
	for (size_t i = 0; i < s.n; i++) {
		if (i < KEPT)
			assert_int_equal(s.count[i], 1);
		else
			assert_true(s.count[i] <= 1);
	}
	/* a store made again is not the one the cursor walked: the walk ends */
	bgp_adj_rib_in_cursor_open(in, &cursor, AF_INET);
	bgp_adj_rib_in_destroy(in);
	in = bgp_adj_rib_in_create(&pools, &attrs);
	struct prefix n = v4(base, 24);
	assert_true(bgp_adj_rib_in_set(in, &n, a));
	memset(s.count, 0, s.n);
	assert_false(bgp_adj_rib_in_cursor_step(in, &cursor, 1u << 20, count_visit, &s));
	assert_int_equal(s.count[0], 0);
	free(s.count);
	bgp_adj_rib_in_destroy(in);
	bgp_attrs_unref(&attrs, a);
	bgp_adj_rib_in_pools_free(&pools);
	bgp_attrs_table_free(&attrs);
}

/* ---- soft-reconfiguration inbound through the import path -------------------------------- */

static uv_loop_t loop;
static struct bgp_speaker *spk;
static struct bgp_rib *rib;
static struct bgp_peer *peer;

static const char *const base_config =
	"router bgp 65000\n"
	" bgp router-id 10.0.0.254\n"
	" neighbor 192.0.2.1 remote-as 65001\n"
	" neighbor 192.0.2.1 shutdown\n"
	" neighbor 192.0.2.1 soft-reconfiguration inbound\n"
	" neighbor 192.0.2.1 route-map IN in\n"
	"!\n";

static void configure(const char *policy)
{
	char text[2048];
	snprintf(text, sizeof(text), "%s%s", base_config, policy);
	struct config c;
	struct config_diag diag;
	assert_true(config_load_text(text, "test", &c, &diag));
	bgp_speaker_configure(spk, &c);
	config_free(&c);
}

/* 10.1.0.0/16 is denied, everything else permitted */
static const char *const deny_10_1 =
	"ip prefix-list TEN-ONE seq 5 permit 10.1.0.0/16\n"
	"route-map IN deny 10\n"
	" match ip address prefix-list TEN-ONE\n"
	"route-map IN permit 20\n";
static const char *const permit_all = "route-map IN permit 10\n";
static const char *const set_local_pref = "route-map IN permit 10\n set local-preference 200\n";

static int speaker_setup(void **state)
{
	(void)state;
	struct bgp_speaker_options options = { .listen = false };
	spk = harness_speaker_start(&loop, &options);
	rib = bgp_speaker_rib(spk);
	configure(deny_10_1);
	struct ip_addr a;
	assert_true(ip_addr_parse("192.0.2.1", &a));
	peer = bgp_speaker_find_peer(spk, &a);
	assert_non_null(peer);
	peer->session.valid = true;
	peer->session.received_caps.as4 = peer->session.sent_caps.as4 = true;
	/* what an Established session with soft-reconfiguration inbound has */
	peer->adj_rib_in = bgp_rib_adj_rib_in_create(rib);
	assert_non_null(peer->adj_rib_in);
	return 0;
}

static int speaker_teardown(void **state)
{
	(void)state;
	harness_speaker_stop(&loop, spk);
	return 0;
}

/* peer announces prefixes with ORIGIN IGP, AS_PATH (as_path_first, then 1), NEXT_HOP 192.0.2.1 */
static void announce(uint32_t first_as, const char *a1, uint8_t l1, const char *a2, uint8_t l2)
{
	struct test_update u;
	test_update_init(&u);
	test_update_attr_header(&u, BGP_ATTR_FLAG_TRANSITIVE, BGP_ATTR_ORIGIN, 1);
	writer_u8(&u.at, BGP_ORIGIN_IGP);
	test_update_attr_header(&u, BGP_ATTR_FLAG_TRANSITIVE, BGP_ATTR_AS_PATH, 2 + 8);
	writer_u8(&u.at, BGP_AS_SEQUENCE);
	writer_u8(&u.at, 2);
	writer_u32(&u.at, first_as);
	writer_u32(&u.at, 1);
	test_update_attr_header(&u, BGP_ATTR_FLAG_TRANSITIVE, BGP_ATTR_NEXT_HOP, 4);
	writer_bytes(&u.at, (const uint8_t[]){ 192, 0, 2, 1 }, 4);
	test_update_prefix(&u.nl, a1, l1);
	if (a2)
		test_update_prefix(&u.nl, a2, l2);
	struct bgp_error err;
	assert_true(test_update_apply(rib, peer, &u, &err));
}

static struct prefix pfx(const char *addr, uint8_t len)
{
	struct ip_addr a;
	assert_true(ip_addr_parse(addr, &a));
	struct prefix n = { .family = AF_INET, .len = len };
	memcpy(n.addr, a.bytes, 4);
	return n;
}

/* The peer's accepted path for a prefix in the Loc-RIB, or NULL. */
static struct bgp_path *accepted(const char *addr, uint8_t len)
{
	struct prefix n = pfx(addr, len);
	struct bgp_route *r = bgp_rib_lookup(rib, &n);
	for (struct bgp_path *p = r ? r->paths : NULL; p; p = p->next)
		if (p->peer == peer)
			return p;
	return NULL;
}

static struct bgp_path_attrs *received(const char *addr, uint8_t len)
{
	struct prefix n = pfx(addr, len);
	return bgp_adj_rib_in_lookup(peer->adj_rib_in, &n);
}

static void soft_in_reapplies_policy(void **state)
{
	(void)state;
	announce(65001, "10.1.0.0", 16, "10.2.0.0", 16);
	/* received-routes has both, the Loc-RIB only the permitted one */
	assert_non_null(received("10.1.0.0", 16));
	assert_non_null(received("10.2.0.0", 16));
	assert_null(accepted("10.1.0.0", 16));
	assert_non_null(accepted("10.2.0.0", 16));
	assert_int_equal(bgp_afi_safi_prefixes_accepted(&peer->afi_safi), 1);
	/* a policy without set clauses leaves the stored set and the path's one the same set */
	assert_ptr_equal(received("10.2.0.0", 16), accepted("10.2.0.0", 16)->attrs);

	/* the route-map changes: nothing happens to the stored routes until soft in (IOS) */
	configure(permit_all);
	assert_null(accepted("10.1.0.0", 16));
	bgp_rib_peer_soft_in(rib, peer);
	assert_non_null(accepted("10.1.0.0", 16));
	assert_int_equal(bgp_afi_safi_prefixes_accepted(&peer->afi_safi), 2);

	/* set clauses: the accepted path gets its own set, the stored one stays as received */
	configure(set_local_pref);
	bgp_rib_peer_soft_in(rib, peer);
	struct bgp_path *p = accepted("10.1.0.0", 16);
	assert_non_null(p);
	assert_int_equal(p->attrs->local_pref, 200);
	assert_false(received("10.1.0.0", 16)->flags & BGP_PA_LOCAL_PREF);
	assert_ptr_not_equal(received("10.1.0.0", 16), p->attrs);

	/* and back to denying: soft in withdraws what the policy no longer accepts */
	configure(deny_10_1);
	bgp_rib_peer_soft_in(rib, peer);
	assert_null(accepted("10.1.0.0", 16));
	assert_non_null(accepted("10.2.0.0", 16));
	assert_int_equal(accepted("10.2.0.0", 16)->attrs->local_pref, 100);
	assert_int_equal(bgp_afi_safi_prefixes_accepted(&peer->afi_safi), 1);
	assert_int_equal(bgp_adj_rib_in_count(peer->adj_rib_in), 2);
}

static void withdrawal_leaves_store(void **state)
{
	(void)state;
	configure(permit_all);
	announce(65001, "10.1.0.0", 16, "10.2.0.0", 16);
	struct test_update u;
	test_update_init(&u);
	test_update_prefix(&u.wd, "10.1.0.0", 16);
	struct bgp_error err;
	assert_true(test_update_apply(rib, peer, &u, &err));
	assert_null(received("10.1.0.0", 16));
	assert_null(accepted("10.1.0.0", 16));
	bgp_rib_peer_soft_in(rib, peer); /* nothing to bring back */
	assert_null(accepted("10.1.0.0", 16));
	assert_non_null(accepted("10.2.0.0", 16));
}

/* Routes refused before policy (here the first AS is not the peer's) are stored as received
 * and judged again at soft in, with the checks in force then. */
static void refused_routes_are_stored(void **state)
{
	(void)state;
	configure(permit_all);
	announce(65099, "10.3.0.0", 16, NULL, 0);
	assert_non_null(received("10.3.0.0", 16));
	assert_null(accepted("10.3.0.0", 16));
	assert_int_equal(peer->updates_rejected, 1);
	bgp_rib_peer_soft_in(rib, peer);
	assert_null(accepted("10.3.0.0", 16));
	/* no neighbor A enforce-first-as (a route server): soft in accepts it */
	char policy[512];
	snprintf(policy, sizeof(policy), "router bgp 65000\n no neighbor 192.0.2.1 enforce-first-as\n!\n%s", permit_all);
	configure(policy);
	bgp_rib_peer_soft_in(rib, peer);
	assert_non_null(accepted("10.3.0.0", 16));
}

/* The session goes: the store goes with it (RFC 4271 §9.1). */
static void peer_down_frees_store(void **state)
{
	(void)state;
	announce(65001, "10.2.0.0", 16, NULL, 0);
	bgp_rib_peer_down(rib, peer);
	assert_null(peer->adj_rib_in);
	assert_null(accepted("10.2.0.0", 16));
}

/* Retired stores are freed a bounded step at a time: entries, attribute references and
 * memory all come back, the pools' other stores untouched, and what is left at the end goes
 * with the pools. */
static void retired_stores_are_freed_in_steps(void **state)
{
	(void)state;
	struct bgp_attrs_table attrs;
	struct bgp_adj_rib_in_pools pools = { 0 };
	bgp_attrs_table_init(&attrs);
	struct bgp_path_attrs *a = intern_origin(&attrs, 0, 1);
	struct memory_usage before = memory_usage(MEMORY_BGP_ADJ_RIB_IN);
	struct bgp_adj_rib_in *kept = bgp_adj_rib_in_create(&pools, &attrs);
	struct bgp_adj_rib_in *gone = bgp_adj_rib_in_create(&pools, &attrs);
	struct bgp_adj_rib_in *left = bgp_adj_rib_in_create(&pools, &attrs);
	enum { N = 5000 };
	for (uint32_t k = 0; k < N; k++) {
		struct prefix n = v4(0x0a000000u + (k << 8), 24);
		assert_true(bgp_adj_rib_in_set(kept, &n, a));
		assert_true(bgp_adj_rib_in_set(gone, &n, a));
	}
	struct prefix one = v4(0xc0000200u, 24);
	assert_true(bgp_adj_rib_in_set(left, &one, a));
	assert_int_equal(a->refcount, 1 + 2 * N + 1);
	assert_false(bgp_adj_rib_in_release_step(&pools, 64)); /* nothing retired */
	bgp_adj_rib_in_retire(&pools, gone);
	size_t steps = 0;
	while (bgp_adj_rib_in_release_step(&pools, 64)) {
		steps++;
		assert_true(a->refcount > 1 + N + 1 && a->refcount <= 1 + 2 * N + 1);
	}
	assert_true(steps >= N / 64 / 2); /* in steps, not at once */
	assert_int_equal(a->refcount, 1 + N + 1);
	assert_int_equal(bgp_adj_rib_in_count(kept), N);
	struct prefix n = v4(0x0a000000u + (7u << 8), 24);
	assert_ptr_equal(bgp_adj_rib_in_lookup(kept, &n), a);
	bgp_adj_rib_in_destroy(kept);
	bgp_adj_rib_in_retire(&pools, left);
	bgp_adj_rib_in_pools_free(&pools); /* frees the retiring store too */
	assert_int_equal(a->refcount, 1);
	struct memory_usage after = memory_usage(MEMORY_BGP_ADJ_RIB_IN);
	assert_int_equal(after.bytes, before.bytes);
	bgp_attrs_unref(&attrs, a);
	bgp_attrs_table_free(&attrs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(store_references),
		cmocka_unit_test(store_cursor_while_changing),
		cmocka_unit_test(retired_stores_are_freed_in_steps),
		cmocka_unit_test_setup_teardown(soft_in_reapplies_policy, speaker_setup, speaker_teardown),
		cmocka_unit_test_setup_teardown(withdrawal_leaves_store, speaker_setup, speaker_teardown),
		cmocka_unit_test_setup_teardown(refused_routes_are_stored, speaker_setup, speaker_teardown),
		cmocka_unit_test_setup_teardown(peer_down_frees_store, speaker_setup, speaker_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
