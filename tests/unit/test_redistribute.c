/*
 * DOC: redistribution into OSPF and RIP followed one change event at a time gives what a
 * full recompute gives.
 *
 * A core (no kernel) with connected and static routes and a fake BGP source (a small array,
 * as in test_core.c) changes one route at a time; after each change the loop runs one
 * iteration, the core's events reach ospf_redistribution_event / rip_redistribution_event
 * and the batch's end applies them to an OSPF and a RIP instance. Then a fresh OSPF and RIP
 * instance get the full recompute from the same table, and both must hold the same externals
 * (prefix, metric, type) and the same redistributed local routes (prefix, kind, metric). The
 * OSPF instance also runs, and its AS-external LSDB must hold exactly one live LSA of ours per
 * external (origination of the changed network addresses only, flushing what went). Routes
 * come, are replaced (a route of another protocol wins the prefix, a BGP route changes), go;
 * the cap on externals is made small to test the limit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <cmocka.h>
#include <uv.h>

#include "core/core.h"
#include "core_fake_source.h"
#include "ospf/internal.h"
#include "ospf/redistribute.h"
#include "rip/internal.h"
#include "rip/redistribute.h"

static uv_loop_t loop;
static uv_timer_t tick;
static struct core *core;
static struct config config;
static uint64_t now_ms = 1000000;

/* ---- a fake BGP source (core_fake_source.c) ---- */

static struct core_source *source;

/* BGP's route in slot: eBGP with a metric; local: originated here (never redistributed). */
static void bgp_set(size_t slot, const char *text, uint32_t metric, bool local)
{
	struct fake_route *r = &fake[slot];
	memset(r, 0, sizeof(*r));
	r->used = true;
	r->prefix = prefix(text);
	r->route.info.distance = CORE_DISTANCE_EBGP;
	r->route.info.metric = metric;
	r->route.local = local;
	core_source_changed(source, &r->prefix, r);
}

static void bgp_withdraw(size_t slot)
{
	fake[slot].used = false;
	core_source_changed(source, &fake[slot].prefix, NULL);
}

/* A stored protocol's route; distance 0 with protocol not connected: removes it. */
static void stored_set(const char *text, enum core_protocol protocol, bool present)
{
	struct prefix p = prefix(text);
	if (!present) {
		core_route_set(core, &p, protocol, NULL);
		return;
	}
	uint8_t distance = protocol == CORE_PROTO_CONNECTED ? CORE_DISTANCE_CONNECTED
			   : protocol == CORE_PROTO_STATIC  ? CORE_DISTANCE_STATIC
							    : CORE_DISTANCE_OSPF;
	struct core_route_info info = { .distance = distance, .metric = 7, .nexthop_count = 1 };
	info.nexthops[0].ifindex = 2;
	core_route_set(core, &p, protocol, &info);
}

/* ---- the instances under test ---- */

static void ospf_send(void *ctx, uint32_t ifindex, uint32_t src, uint32_t dst, const uint8_t *pkt, size_t len)
{
	(void)ctx, (void)ifindex, (void)src, (void)dst, (void)pkt, (void)len;
}
static void ospf_membership(void *ctx, uint32_t ifindex, uint32_t group, bool join)
{
	(void)ctx, (void)ifindex, (void)group, (void)join;
}
static void ospf_route(void *ctx, const struct prefix *prefix, const struct ospf_route_info *info)
{
	(void)ctx, (void)prefix, (void)info;
}
static void rip_send(void *ctx, uint32_t ifindex, uint32_t dst, uint16_t port, const uint8_t *data, size_t len)
{
	(void)ctx, (void)ifindex, (void)dst, (void)port, (void)data, (void)len;
}
static void rip_route(void *ctx, const struct prefix *prefix, const struct rip_route_info *info)
{
	(void)ctx, (void)prefix, (void)info;
}

#define RID 0x01010101u
#define IF1 3

static struct ospf *ospf_make(void)
{
	struct ospf_callbacks cb = { .send = ospf_send, .membership = ospf_membership, .route = ospf_route };
	struct ospf_options opt = { .router_id = RID, .crypto_seq_start = 1 };
	struct ospf *o = ospf_create(&cb, &opt, now_ms);
	assert_non_null(o);
	return o;
}

static struct rip *rip_make(void)
{
	struct rip_callbacks cb = { .send = rip_send, .route = rip_route };
	struct rip *rip = rip_create(&cb, 42, now_ms);
	assert_non_null(rip);
	/* an interface whose subnet is also a connected route: RIP's own, never redistributed */
	rip_interface(rip, IF1, "eth0", true, false, now_ms);
	rip_address(rip, IF1, 0x0a000001, 24, true, now_ms);
	rip_configure(rip, &config, &(struct config_change){ 0 }, NULL, now_ms);
	return rip;
}

static struct ospf *ospf;
static struct rip *rip;
static struct ospf_redistribution ospf_redist;
static struct rip_redistribution rip_redist;
static int batches;

static bool on_event(void *ctx, const struct core_event *event)
{
	(void)ctx;
	bool a = ospf_redistribution_event(&ospf_redist, &config, event);
	bool b = rip_redistribution_event(&rip_redist, &config, event);
	return a || b;
}

static void on_batch_end(void *ctx)
{
	(void)ctx;
	batches++;
	ospf_redistribution_apply(&ospf_redist, ospf, &config);
	rip_redistribution_apply(&rip_redist, rip, &config, now_ms);
}

static const struct core_subscriber_ops subscriber = { .event = on_event, .batch_end = on_batch_end };

static void tick_cb(uv_timer_t *t)
{
	(void)t;
}

/* One loop iteration (the core settles in its check phase), then time passes: MinLSInterval
 * (§12.4) never holds back the next change's LSA. */
static void settle(void)
{
	uv_timer_start(&tick, tick_cb, 0, 0);
	uv_run(&loop, UV_RUN_NOWAIT);
	ospf_run(ospf, now_ms);
	now_ms += 10000;
}

static void configure(const char *text)
{
	config_free(&config);
	struct config_diag diag;
	if (!config_load_text(text, "t", &config, &diag))
		fail_msg("%s", diag.message);
}

static const char *const full_config = "router ospf 1\n"
				       " redistribute connected subnets\n"
				       " redistribute static metric 50 metric-type 1\n"
				       " redistribute bgp 65000 subnets\n"
				       " default-information originate\n"
				       "router bgp 65000\n"
				       "router rip\n"
				       " network 10.0.0.0\n"
				       " redistribute connected\n"
				       " redistribute static metric 3\n"
				       " redistribute bgp\n";

static int setup(void **state)
{
	(void)state;
	assert_int_equal(uv_loop_init(&loop), 0);
	uv_timer_init(&loop, &tick);
	core = core_create(&loop, NULL);
	assert_non_null(core);
	memset(fake, 0, sizeof(fake));
	source = core_source_attach(core, CORE_PROTO_BGP, &fake_ops, NULL);
	assert_non_null(source);
	memset(&config, 0, sizeof(config));
	configure(full_config);
	ospf = ospf_make();
	rip = rip_make();
	ospf_redistribution_init(&ospf_redist, core);
	rip_redistribution_init(&rip_redist, core);
	ospf_redistribution_recompute(&ospf_redist, ospf, &config);
	rip_redistribution_recompute(&rip_redist, rip, &config, now_ms);
	assert_non_null(core_subscribe(core, CORE_PROTO_BIT(CORE_PROTO_BGP), CORE_PROTO_BIT(CORE_PROTO_STORED_COUNT) - 1,
				       &subscriber, NULL));
	batches = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ospf_redistribution_free(&ospf_redist);
	rip_redistribution_free(&rip_redist);
	ospf_destroy(ospf);
	rip_destroy(rip);
	core_destroy(core);
	config_free(&config);
	uv_close((uv_handle_t *)&tick, NULL);
	uv_run(&loop, UV_RUN_NOWAIT);
	assert_int_equal(uv_loop_close(&loop), 0);
	return 0;
}

/* ---- the comparison ---- */

struct contains {
	const struct ospf *other;
	size_t checked;
};

static void ospf_contains(void *ctx, const struct ospf_external *x)
{
	struct contains *c = ctx;
	const struct ospf_external *y = ospf_external_find(c->other, &x->prefix);
	char text[PREFIX_STRLEN];
	if (!y)
		fail_msg("external %s is not in the full recompute's set", prefix_format(&x->prefix, text));
	assert_true(prefix_equal(&x->prefix, &y->prefix));
	assert_int_equal(x->metric, y->metric);
	assert_int_equal(x->type1, y->type1);
	c->checked++;
}

/* Ours, live, in the AS-external LSDB: as many as externals, one under each's ID. */
static void check_lsdb(const struct ospf *o)
{
	size_t live = 0;
	for (size_t i = 0; i < ospf_lsdb_count(&o->external); i++) {
		const struct ospf_lsa *l = ospf_lsdb_at(&o->external, i);
		if (l->h.adv_router == RID && ospf_lsa_age(l, now_ms) < OSPF_MAX_AGE)
			live++;
	}
	assert_int_equal(live, ospf_external_count(o));
}

static size_t rip_local_routes(const struct rip *r, struct route *out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < r->routes.count; i++) {
		const struct route *x = &rip_routes(r)[i];
		if (x->kind == ROUTE_LEARNED || x->metric >= RIP_INFINITY)
			continue;
		assert_true(n < max);
		out[n++] = *x;
	}
	return n;
}

static void check_same_as_full(void)
{
	struct ospf *full_ospf = ospf_make();
	struct rip *full_rip = rip_make();
	struct ospf_redistribution r;
	ospf_redistribution_init(&r, core);
	r.max_externals = ospf_redist.max_externals;
	ospf_redistribution_recompute(&r, full_ospf, &config);
	struct rip_redistribution rr;
	rip_redistribution_init(&rr, core);
	rip_redistribution_recompute(&rr, full_rip, &config, now_ms);

	assert_int_equal(ospf_external_count(ospf), ospf_external_count(full_ospf));
	struct contains c = { full_ospf, 0 };
	ospf_external_walk(ospf, ospf_contains, &c);
	assert_int_equal(c.checked, ospf_external_count(full_ospf));
	assert_int_equal(ospf->opt.asbr, full_ospf->opt.asbr);
	check_lsdb(ospf);

	struct route a[64], b[64];
	size_t na = rip_local_routes(rip, a, 64), nb = rip_local_routes(full_rip, b, 64);
	assert_int_equal(na, nb);
	for (size_t i = 0; i < na; i++) {
		assert_true(prefix_equal(&a[i].prefix, &b[i].prefix));
		assert_int_equal(a[i].kind, b[i].kind);
		assert_int_equal(a[i].metric, b[i].metric);
		assert_int_equal(a[i].redist_kind, b[i].redist_kind);
	}
	ospf_redistribution_free(&r);
	rip_redistribution_free(&rr);
	ospf_destroy(full_ospf);
	rip_destroy(full_rip);
}

static const struct ospf_external *external(const char *text)
{
	struct prefix p = prefix(text);
	return ospf_external_find(ospf, &p);
}

/* ---- the tests ---- */

static void test_one_event_at_a_time(void **state)
{
	(void)state;
	stored_set("192.168.1.0/24", CORE_PROTO_CONNECTED, true);
	settle();
	check_same_as_full();
	assert_non_null(external("192.168.1.0/24"));
	assert_true(batches > 0);

	/* static, classful (taken without subnets) and not */
	stored_set("172.16.0.0/16", CORE_PROTO_STATIC, true);
	stored_set("172.16.5.0/24", CORE_PROTO_STATIC, true);
	settle();
	check_same_as_full();
	assert_int_equal(external("172.16.0.0/16")->metric, 50);
	assert_true(external("172.16.0.0/16")->type1);
	assert_null(external("172.16.5.0/24"));

	/* BGP: learned, originated here (not taken), the same prefix as a static route, and a
	 * shorter prefix with the same network address (Appendix E IDs) */
	bgp_set(0, "10.1.0.0/16", 5, false);
	bgp_set(1, "10.2.0.0/24", 5, false);
	bgp_set(2, "10.3.0.0/24", 5, true);
	bgp_set(3, "172.16.0.0/16", 5, false);
	bgp_set(4, "10.1.0.0/24", 5, false);
	settle();
	check_same_as_full();
	assert_null(external("10.3.0.0/24"));
	assert_int_equal(external("172.16.0.0/16")->metric, 50); /* static came first */
	bgp_set(5, "10.0.0.0/8", 5, false);
	settle();
	check_same_as_full();

	/* replace: connected wins the static prefix (another metric and type) */
	stored_set("172.16.0.0/16", CORE_PROTO_CONNECTED, true);
	settle();
	check_same_as_full();
	assert_int_equal(external("172.16.0.0/16")->metric, 20);
	assert_false(external("172.16.0.0/16")->type1);
	/* replace: a BGP route changes */
	bgp_set(1, "10.2.0.0/24", 99, false);
	settle();
	check_same_as_full();

	/* the default route: default-information originate; then a static default */
	stored_set("0.0.0.0/0", CORE_PROTO_OSPF, true);
	settle();
	check_same_as_full();
	assert_null(external("0.0.0.0/0")); /* OSPF's own default is not announced again */
	stored_set("0.0.0.0/0", CORE_PROTO_STATIC, true);
	settle();
	check_same_as_full();
	/* without subnets a static default is not classful: default-information's metric 1 */
	assert_int_equal(external("0.0.0.0/0")->metric, 1);

	/* RIP: the interface's subnet stays connected when it is also redistributed */
	stored_set("10.0.0.0/24", CORE_PROTO_CONNECTED, true);
	settle();
	check_same_as_full();

	/* remove */
	stored_set("172.16.0.0/16", CORE_PROTO_CONNECTED, false);
	settle();
	check_same_as_full();
	assert_int_equal(external("172.16.0.0/16")->metric, 50); /* the static route again */
	stored_set("172.16.0.0/16", CORE_PROTO_STATIC, false);
	settle();
	check_same_as_full();
	assert_int_equal(external("172.16.0.0/16")->metric, 20); /* now BGP's */
	bgp_set(3, "172.16.0.0/16", 5, true);                     /* originated here */
	bgp_withdraw(5);
	bgp_withdraw(0);
	stored_set("0.0.0.0/0", CORE_PROTO_STATIC, false);
	settle();
	check_same_as_full();
	assert_null(external("172.16.0.0/16"));
	assert_null(external("10.0.0.0/8"));
	assert_null(external("0.0.0.0/0"));

	/* a configuration change: the daemons recompute */
	configure("router ospf 1\n redistribute bgp 65000 metric 7 subnets\nrouter bgp 65000\n"
		  "router rip\n network 10.0.0.0\n redistribute static\n");
	ospf_redistribution_recompute(&ospf_redist, ospf, &config);
	rip_configure(rip, &config, &(struct config_change){ 0 }, NULL, now_ms);
	rip_redistribution_recompute(&rip_redist, rip, &config, now_ms);
	ospf_run(ospf, now_ms);
	check_same_as_full();
	bgp_set(6, "10.9.0.0/16", 5, false);
	settle();
	check_same_as_full();
	assert_int_equal(external("10.9.0.0/16")->metric, 7);
}

/* The cap: at most max_externals; a route that comes at the cap is left out with a warning;
 * one that goes while others were left out lets the recompute take one in. */
static void test_limit(void **state)
{
	(void)state;
	configure("router ospf 1\n redistribute bgp 65000 subnets\nrouter bgp 65000\n");
	ospf_redist.max_externals = 4;
	ospf_redistribution_recompute(&ospf_redist, ospf, &config);
	rip_configure(rip, &config, &(struct config_change){ 0 }, NULL, now_ms);
	rip_redistribution_recompute(&rip_redist, rip, &config, now_ms);
	char text[32];
	for (size_t i = 0; i < 4; i++) {
		snprintf(text, sizeof(text), "10.%zu.0.0/16", i);
		bgp_set(i, text, 1, false);
	}
	settle();
	check_same_as_full();
	assert_int_equal(ospf_external_count(ospf), 4);
	assert_false(ospf_redist.left_out);

	bgp_set(4, "10.4.0.0/16", 1, false);
	settle();
	assert_int_equal(ospf_external_count(ospf), 4);
	assert_true(ospf_redist.left_out);
	assert_true(ospf_redist.cap_logged);
	assert_null(external("10.4.0.0/16"));
	check_same_as_full(); /* the walk meets 10.4.0.0/16 last too */

	/* a route goes: the one left out takes its place */
	bgp_withdraw(1);
	settle();
	check_same_as_full();
	assert_non_null(external("10.4.0.0/16"));
	assert_false(ospf_redist.left_out);

	/* a replace at the cap is not a new route */
	bgp_set(4, "10.4.0.0/16", 9, false);
	bgp_set(5, "10.5.0.0/16", 1, false);
	settle();
	assert_int_equal(ospf_external_count(ospf), 4);
	assert_null(external("10.5.0.0/16"));
	bgp_withdraw(5);
	bgp_withdraw(4);
	settle();
	check_same_as_full();
	assert_int_equal(ospf_external_count(ospf), 3);
}

/* A burst past the noted cap falls back to one recompute. */
static void test_overflow(void **state)
{
	(void)state;
	struct core_noted_prefixes noted;
	core_noted_init(&noted, MEMORY_OTHER);
	struct prefix p = prefix("10.0.0.0/24");
	for (size_t i = 0; i < CORE_NOTED_PREFIXES_MAX; i++)
		core_noted_add(&noted, &p);
	assert_false(noted.overflow);
	core_noted_add(&noted, &p);
	assert_true(noted.overflow);
	core_noted_clear(&noted);
	assert_false(noted.overflow);
	assert_int_equal(noted.prefixes.count, 0);
	core_noted_free(&noted);

	ospf_redist.noted.overflow = true;
	bgp_set(0, "10.1.0.0/16", 1, false);
	settle();
	assert_false(ospf_redist.noted.overflow);
	check_same_as_full();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_one_event_at_a_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overflow, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
