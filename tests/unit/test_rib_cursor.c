/*
 * DOC: unit tests of the Loc-RIB cursor (bgp_rib_cursor_*, rib.h), the walk `show ip bgp`
 * streams a full table through.
 *
 * The promise under test: between two slices of a walk, routes may be added and removed and
 * the table may rehash (grow), yet every prefix present for the whole walk is visited
 * exactly once, no prefix is visited twice, and freeing a route the cursor just visited is
 * safe (run under ASan: `meson test -C build-asan test_rib_cursor`).
 *
 * Routes are made without peers, as locally originated paths (bgp_rib_local_path), and a
 * batch is ended with bgp_rib_commit() as the daemon does; a removed route's memory goes back
 * to its pool at that commit. Prefix number i is the IPv4 host route 10.0.0.0 + i (or
 * 2001:db8::i/128), so a visit is counted in an array indexed by i.
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

#define MAX_ROUTES 200000

static uv_loop_t loop;
static struct bgp_speaker *spk;
static struct bgp_rib *rib;
static uint8_t visits[MAX_ROUTES];
static bool present[MAX_ROUTES];
static bool twice;                  /* some prefix was visited a second time */

static void route_changed(void *context, const struct bgp_route *route, const struct bgp_path *best)
{
	(void)context;
	(void)route;
	(void)best;
}

static bool resolve(void *context, const struct ip_addr *nh, uint32_t *metric)
{
	(void)context;
	(void)nh;
	*metric = 0;
	return true;
}

static int setup(void **state)
{
	(void)state;
	struct bgp_speaker_options options = { .listen = false, .route_changed = route_changed, .resolve_next_hop = resolve };
	spk = harness_speaker_start(&loop, &options);
	rib = bgp_speaker_rib(spk);
	memset(visits, 0, sizeof(visits));
	memset(present, 0, sizeof(present));
	twice = false;
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

static struct prefix prefix_of(uint8_t family, uint32_t i)
{
	struct prefix n = { .family = family };
	if (family == AF_INET) {
		uint32_t a = 0x0a000000u + i;
		n.len = 32;
		n.addr[0] = (uint8_t)(a >> 24);
		n.addr[1] = (uint8_t)(a >> 16);
		n.addr[2] = (uint8_t)(a >> 8);
		n.addr[3] = (uint8_t)a;
	} else {
		n.len = 128;
		n.addr[0] = 0x20;
		n.addr[1] = 0x01;
		n.addr[2] = 0x0d;
		n.addr[3] = 0xb8;
		n.addr[13] = (uint8_t)(i >> 16);
		n.addr[14] = (uint8_t)(i >> 8);
		n.addr[15] = (uint8_t)i;
	}
	return n;
}

static uint32_t number_of(const struct bgp_route *r)
{
	if (r->family == AF_INET)
		return (((uint32_t)r->addr[0] << 24) | ((uint32_t)r->addr[1] << 16) | ((uint32_t)r->addr[2] << 8) |
			r->addr[3]) - 0x0a000000u;
	return ((uint32_t)r->addr[13] << 16) | ((uint32_t)r->addr[14] << 8) | r->addr[15];
}

/* Adds (or removes) route i; the caller commits. */
static void set_route(uint8_t family, uint32_t i, bool add)
{
	struct prefix n = prefix_of(family, i);
	struct bgp_attrs a;
	memset(&a, 0, sizeof(a));
	a.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH);
	a.as_path = (struct bgp_as_path){ .data = NULL, .len = 0, .asn_size = 4 };
	bgp_rib_local_path(rib, &n, add ? &a : NULL);
	present[i] = add;
}

static void add_range(uint8_t family, uint32_t from, uint32_t to)
{
	for (uint32_t i = from; i < to; i++)
		set_route(family, i, true);
	bgp_rib_commit(rib);
}

struct visit_ctx {
	uint32_t last;   /* the number of the route visited last */
	size_t count;    /* routes visited in this slice */
};

static void visit(void *ctx, struct bgp_route *r)
{
	struct visit_ctx *v = ctx;
	uint32_t i = number_of(r);
	assert_true(i < MAX_ROUTES);
	if (visits[i]++)
		twice = true;
	v->last = i;
	v->count++;
}

/* Every route of `from..to` was visited exactly once. */
static void assert_once(uint32_t from, uint32_t to)
{
	for (uint32_t i = from; i < to; i++)
		if (visits[i] != 1)
			fail_msg("route %u visited %u times", i, visits[i]);
}

static void test_empty_table(void **state)
{
	(void)state;
	struct bgp_rib_cursor c;
	bgp_rib_cursor_open(rib, &c, AF_INET);
	struct visit_ctx v = { 0 };
	/* routes that arrive after the walk began on an empty table may be left out */
	add_range(AF_INET, 0, 10);
	assert_false(bgp_rib_cursor_step(rib, &c, 16, visit, &v));
	assert_false(bgp_rib_cursor_step(rib, &c, 16, visit, &v));
	assert_int_equal(v.count, 0);
}

static void test_still_table_visited_once(void **state)
{
	(void)state;
	add_range(AF_INET, 0, 20000);
	add_range(AF_INET6, 0, 300); /* the other family is not walked */
	struct bgp_rib_cursor c;
	bgp_rib_cursor_open(rib, &c, AF_INET);
	struct visit_ctx v = { 0 };
	size_t steps = 0;
	while (bgp_rib_cursor_step(rib, &c, 100, visit, &v))
		steps++;
	assert_false(twice);
	assert_once(0, 20000);
	assert_int_equal(v.count, 20000);
	assert_true(steps > 10); /* it really went in slices */
	assert_false(bgp_rib_cursor_step(rib, &c, 100, visit, &v));
	assert_int_equal(v.count, 20000);
}

/* Cheap deterministic randomness for the order of removals. */
static uint32_t rng = 12345;
static uint32_t next_random(void)
{
	rng = rng * 1103515245u + 12345u;
	return rng >> 8;
}

/* Walks the family while, between slices: 500 routes arrive (the table doubles twice), 60
 * of the "doomed" ones go (at random), and the route visited last goes if it is doomed. */
static void churn_walk(uint8_t family)
{
	enum { STABLE = 6000, DOOMED_END = 9000, NEW_FROM = 100000, NEW_PER_STEP = 500, NEW_STEPS = 80 };
	add_range(family, 0, DOOMED_END);
	struct bgp_rib_cursor c;
	bgp_rib_cursor_open(rib, &c, family);
	size_t base = bgp_rib_table_size(rib, family);
	uint32_t added = NEW_FROM;
	size_t steps = 0;
	struct visit_ctx v = { 0 };
	bool more = true;
	while (more) {
		more = bgp_rib_cursor_step(rib, &c, 64, visit, &v);
		steps++;
		if (v.count && v.last >= STABLE && v.last < DOOMED_END && present[v.last])
			set_route(family, v.last, false); /* the one the cursor "points at" */
		for (int k = 0; k < 60; k++) {
			uint32_t i = STABLE + next_random() % (DOOMED_END - STABLE);
			if (present[i])
				set_route(family, i, false);
		}
		if (steps <= NEW_STEPS) {
			for (int k = 0; k < NEW_PER_STEP; k++)
				set_route(family, added++, true);
		}
		bgp_rib_commit(rib);
	}
	assert_false(twice);
	assert_once(0, STABLE);
	for (uint32_t i = 0; i < MAX_ROUTES; i++)
		assert_true(visits[i] <= 1);
	/* the table grew under the walk, more than once */
	assert_true(bgp_rib_table_size(rib, family) >= 4 * base);
	print_message("%s: %zu slices, table %zu -> %zu buckets, %zu routes visited\n",
		      family == AF_INET ? "IPv4" : "IPv6", steps, base, bgp_rib_table_size(rib, family), v.count);
}

static void test_churn_and_rehash_ipv4(void **state)
{
	(void)state;
	churn_walk(AF_INET);
}

static void test_churn_and_rehash_ipv6(void **state)
{
	(void)state;
	churn_walk(AF_INET6);
}

/* A slice of one unit at a time, each route removed (and freed) right after its visit. */
static void test_remove_each_visited(void **state)
{
	(void)state;
	add_range(AF_INET, 0, 5000);
	struct bgp_rib_cursor c;
	bgp_rib_cursor_open(rib, &c, AF_INET);
	struct visit_ctx v = { 0 };
	bool more = true;
	while (more) {
		size_t before = v.count;
		more = bgp_rib_cursor_step(rib, &c, 0, visit, &v);
		if (v.count > before) {
			set_route(AF_INET, v.last, false);
			bgp_rib_commit(rib);
		}
	}
	assert_false(twice);
	assert_once(0, 5000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_empty_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_still_table_visited_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_churn_and_rehash_ipv4, setup, teardown),
		cmocka_unit_test_setup_teardown(test_churn_and_rehash_ipv6, setup, teardown),
		cmocka_unit_test_setup_teardown(test_remove_each_visited, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
