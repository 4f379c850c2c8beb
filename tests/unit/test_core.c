/*
 * DOC: unit tests of the core without BGP: it links the core and the pure library only, so a
 * call from src/core into a protocol shows up as a link error.
 *
 * Two fake protocols feed the table: one stores its candidates in the core (core_route_set,
 * as OSPF, RIP and static do), the other is a route source that keeps its own table (as BGP's
 * Loc-RIB is), a small array here. The winner by administrative distance is read from `show
 * ip route json` ("selected"), the events from a recording subscriber, and next-hop tracking
 * from a tracker that counts its notifications. The loop runs one iteration at a time
 * (UV_RUN_NOWAIT): the settle pass runs in its check phase.
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

static uv_loop_t loop;
static struct core *core;

/* ---- a fake route source (core_fake_source.c) ---- */

static struct core_source *source;

static struct ip_addr address(const char *text)
{
	struct ip_addr a;
	assert_true(ip_addr_parse(text, &a));
	return a;
}

/* The source's route for text: announced (distance, metric), told to the core. */
static void fake_set(size_t slot, const char *text, uint8_t distance, uint32_t metric, const char *next_hop)
{
	struct fake_route *r = &fake[slot];
	memset(r, 0, sizeof(*r));
	r->used = true;
	r->prefix = prefix(text);
	r->route.info.distance = distance;
	r->route.info.metric = metric;
	r->route.info.nexthop_count = 1;
	r->route.info.nexthops[0].gateway = address(next_hop);
	core_source_changed(source, &r->prefix, r);
}

static void fake_withdraw(size_t slot)
{
	fake[slot].used = false;
	core_source_changed(source, &fake[slot].prefix, NULL);
}

/* ---- the stored protocol ---- */

static void stored_set(const char *text, enum core_protocol protocol, uint8_t distance, uint32_t metric,
		       const char *via, uint32_t ifindex)
{
	struct prefix p = prefix(text);
	if (!distance) {
		core_route_set(core, &p, protocol, NULL);
		return;
	}
	struct core_route_info info = { .distance = distance, .metric = metric, .nexthop_count = 1 };
	if (via)
		info.nexthops[0].gateway = address(via);
	info.nexthops[0].ifindex = ifindex;
	core_route_set(core, &p, protocol, &info);
}

/* A connected route (distance 0) on ifindex; ifindex 0: none. */
static void connected_set(const char *text, uint32_t ifindex)
{
	struct prefix p = prefix(text);
	struct core_route_info info = { .distance = CORE_DISTANCE_CONNECTED, .nexthop_count = 1 };
	info.nexthops[0].ifindex = ifindex;
	core_route_set(core, &p, CORE_PROTO_CONNECTED, ifindex ? &info : NULL);
}

/* ---- a recording subscriber ---- */

#define EVENTS_MAX 4096

struct recorded {
	enum core_event_kind kind;
	char prefix[32];
	enum core_protocol protocol, previous;
	bool present;
	uint32_t metric;
};

static struct recorded events[EVENTS_MAX];
static size_t event_count;
static int batch_ends;
static size_t events_at_batch_end;

static bool record(void *ctx, const struct core_event *event)
{
	(void)ctx;
	if (event_count < EVENTS_MAX) {
		struct recorded *r = &events[event_count];
		char a[INET_ADDRSTRLEN];
		inet_ntop(AF_INET, event->prefix->addr, a, sizeof(a));
		snprintf(r->prefix, sizeof(r->prefix), "%s/%u", a, event->prefix->len);
		r->kind = event->kind;
		r->protocol = event->protocol;
		r->previous = event->previous;
		r->present = event->present;
		r->metric = event->metric;
	}
	event_count++;
	return true;
}

static void batch_end(void *ctx)
{
	(void)ctx;
	batch_ends++;
	events_at_batch_end = event_count;
}

static const struct core_subscriber_ops recorder = { .event = record, .batch_end = batch_end };

static void forget_events(void)
{
	event_count = 0;
	batch_ends = 0;
	events_at_batch_end = 0;
}

static uv_timer_t tick;

static void tick_cb(uv_timer_t *t)
{
	(void)t;
}

/* One loop iteration; the core's handles keep no loop alive, a timer due now does. */
static void settle(void)
{
	uv_timer_start(&tick, tick_cb, 0, 0);
	uv_run(&loop, UV_RUN_NOWAIT);
}

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
	forget_events();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	core_destroy(core);
	core = NULL;
	uv_close((uv_handle_t *)&tick, NULL);
	uv_run(&loop, UV_RUN_NOWAIT);
	assert_int_equal(uv_loop_close(&loop), 0);
	return 0;
}

/* The protocol of the route `show ip route ADDR json` selects for exactly text ("" none). */
static const char *selected(const char *text)
{
	static char protocol[32];
	struct prefix p = prefix(text);
	struct ip_addr a = { .family = AF_INET };
	memcpy(a.bytes, p.addr, 4);
	struct strbuf out = STRBUF_INIT;
	core_show_routes(core, &a, true, &out);
	protocol[0] = '\0';
	char key[48];
	snprintf(key, sizeof(key), "\"%s\":[{\"protocol\":\"", text);
	const char *at = strstr(strbuf_str(&out), key);
	if (at) {
		at += strlen(key);
		snprintf(protocol, sizeof(protocol), "%.*s", (int)strcspn(at, "\""), at);
		/* the first route listed is the selected one */
		assert_non_null(strstr(at, "\"selected\":true"));
	}
	strbuf_free(&out);
	return protocol;
}

/* ---- winners ---- */

static void test_winner_by_distance(void **state)
{
	(void)state;
	stored_set("10.1.0.0/16", CORE_PROTO_OSPF, 110, 20, "10.0.0.2", 0);
	assert_string_equal(selected("10.1.0.0/16"), "ospf");
	fake_set(0, "10.1.0.0/16", CORE_DISTANCE_EBGP, 0, "192.0.2.1"); /* eBGP 20 beats OSPF 110 */
	assert_string_equal(selected("10.1.0.0/16"), "bgp");
	fake_set(0, "10.1.0.0/16", CORE_DISTANCE_IBGP, 0, "192.0.2.1"); /* iBGP 200 loses to it */
	assert_string_equal(selected("10.1.0.0/16"), "ospf");
	stored_set("10.1.0.0/16", CORE_PROTO_STATIC, 1, 0, "10.0.0.3", 0); /* static 1 beats both */
	assert_string_equal(selected("10.1.0.0/16"), "static");
	stored_set("10.1.0.0/16", CORE_PROTO_STATIC, 0, 0, NULL, 0);
	stored_set("10.1.0.0/16", CORE_PROTO_OSPF, 0, 0, NULL, 0);
	assert_string_equal(selected("10.1.0.0/16"), "bgp");
	fake_withdraw(0);
	assert_string_equal(selected("10.1.0.0/16"), "");
	/* a source that left is neither shown nor a candidate */
	fake_set(1, "10.2.0.0/16", CORE_DISTANCE_EBGP, 0, "192.0.2.1");
	assert_string_equal(selected("10.2.0.0/16"), "bgp");
	core_source_detach(source);
	assert_string_equal(selected("10.2.0.0/16"), "");
}

/* Redistribution reads the winners of a stored protocol, and a source's routes not local. */
static void walk_count(void *ctx, const struct prefix *p, uint32_t metric)
{
	(void)p, (void)metric;
	(*(int *)ctx)++;
}

static void test_walk_protocol(void **state)
{
	(void)state;
	stored_set("10.1.0.0/16", CORE_PROTO_OSPF, 110, 20, "10.0.0.2", 0);
	stored_set("10.2.0.0/16", CORE_PROTO_OSPF, 110, 20, "10.0.0.2", 0);
	stored_set("10.2.0.0/16", CORE_PROTO_STATIC, 1, 0, "10.0.0.3", 0);
	fake_set(0, "10.3.0.0/16", CORE_DISTANCE_EBGP, 0, "192.0.2.1");
	fake_set(1, "10.4.0.0/16", CORE_DISTANCE_IBGP, 0, "192.0.2.1");
	fake[1].route.local = true;
	int ospf = 0, bgp = 0;
	core_walk_protocol(core, CORE_PROTO_OSPF, walk_count, &ospf);
	core_walk_protocol(core, CORE_PROTO_BGP, walk_count, &bgp);
	assert_int_equal(ospf, 1); /* 10.2.0.0/16 is static's */
	assert_int_equal(bgp, 1);  /* 10.4.0.0/16 was originated here */
}

/* ---- events ---- */

static void test_events_of_stored_and_source(void **state)
{
	(void)state;
	assert_non_null(core_subscribe(core, CORE_PROTO_BIT(CORE_PROTO_BGP) | CORE_PROTO_BIT(CORE_PROTO_OSPF),
				       CORE_PROTO_BIT(CORE_PROTO_STATIC) | CORE_PROTO_BIT(CORE_PROTO_OSPF), &recorder,
				       NULL));
	stored_set("10.1.0.0/16", CORE_PROTO_OSPF, 110, 20, "10.0.0.2", 0);
	assert_int_equal(event_count, 2);
	assert_int_equal(events[0].kind, CORE_EVENT_CANDIDATE);
	assert_string_equal(events[0].prefix, "10.1.0.0/16");
	assert_int_equal(events[0].protocol, CORE_PROTO_OSPF);
	assert_true(events[0].present);
	assert_int_equal(events[0].metric, 20);
	assert_int_equal(events[1].kind, CORE_EVENT_WINNER);
	assert_int_equal(events[1].previous, CORE_PROTO_COUNT);
	assert_int_equal(events[1].protocol, CORE_PROTO_OSPF);
	/* batch_end comes from the settle pass, once */
	assert_int_equal(batch_ends, 0);
	settle();
	assert_int_equal(batch_ends, 1);
	settle();
	assert_int_equal(batch_ends, 1);

	/* the same route again is no news */
	forget_events();
	stored_set("10.1.0.0/16", CORE_PROTO_OSPF, 110, 20, "10.0.0.2", 0);
	assert_int_equal(event_count, 0);

	/* static takes over: its candidate is not subscribed, the winner change is */
	stored_set("10.1.0.0/16", CORE_PROTO_STATIC, 1, 0, "10.0.0.3", 0);
	assert_int_equal(event_count, 1);
	assert_int_equal(events[0].kind, CORE_EVENT_WINNER);
	assert_int_equal(events[0].previous, CORE_PROTO_OSPF);
	assert_int_equal(events[0].protocol, CORE_PROTO_STATIC);

	/* OSPF's route changes under the static one: a candidate event, no winner event */
	forget_events();
	stored_set("10.1.0.0/16", CORE_PROTO_OSPF, 110, 30, "10.0.0.2", 0);
	assert_int_equal(event_count, 1);
	assert_int_equal(events[0].kind, CORE_EVENT_CANDIDATE);
	assert_int_equal(events[0].metric, 30);

	/* RIP is subscribed to neither way: nothing */
	forget_events();
	stored_set("10.9.0.0/16", CORE_PROTO_RIP, 120, 2, "10.0.0.4", 0);
	assert_int_equal(event_count, 0);

	/* the source: added, then gone */
	fake_set(0, "10.3.0.0/16", CORE_DISTANCE_EBGP, 7, "192.0.2.1");
	assert_int_equal(event_count, 1);
	assert_int_equal(events[0].kind, CORE_EVENT_CANDIDATE);
	assert_int_equal(events[0].protocol, CORE_PROTO_BGP);
	assert_true(events[0].present);
	assert_int_equal(events[0].metric, 7);
	fake_withdraw(0);
	assert_int_equal(event_count, 2);
	assert_false(events[1].present);
	settle();
	assert_int_equal(batch_ends, 1);
}

/* A burst (a table loading) is one batch for the subscriber, however many prefixes. */
static void test_burst_is_one_batch(void **state)
{
	(void)state;
	assert_non_null(core_subscribe(core, CORE_PROTO_BIT(CORE_PROTO_BGP), 0, &recorder, NULL));
	char text[32];
	for (size_t i = 0; i < 1000; i++) {
		snprintf(text, sizeof(text), "10.%zu.%zu.0/24", i / 256, i % 256);
		fake_set(i, text, CORE_DISTANCE_EBGP, 0, "192.0.2.1");
	}
	assert_int_equal(event_count, 1000);
	settle();
	assert_int_equal(batch_ends, 1);
	assert_int_equal(events_at_batch_end, 1000);
	for (size_t i = 0; i < 1000; i++)
		fake_withdraw(i);
	settle();
	assert_int_equal(batch_ends, 2);
	assert_int_equal(event_count, 2000);
}

static bool ignore(void *ctx, const struct core_event *event)
{
	(void)ctx, (void)event;
	return false;
}

static void test_unsubscribed_and_uninterested(void **state)
{
	(void)state;
	static const struct core_subscriber_ops quiet = { .event = ignore, .batch_end = batch_end };
	struct core_subscription *s = core_subscribe(core, CORE_PROTO_BIT(CORE_PROTO_OSPF), 0, &quiet, NULL);
	assert_non_null(s);
	stored_set("10.1.0.0/16", CORE_PROTO_OSPF, 110, 20, "10.0.0.2", 0);
	settle();
	assert_int_equal(batch_ends, 0); /* it said the event was nothing to it */
	core_unsubscribe(s);
	s = core_subscribe(core, CORE_PROTO_BIT(CORE_PROTO_OSPF), 0, &recorder, NULL);
	core_unsubscribe(s);
	stored_set("10.1.0.0/16", CORE_PROTO_OSPF, 110, 30, "10.0.0.2", 0);
	settle();
	assert_int_equal(event_count, 0);
	assert_int_equal(batch_ends, 0);
}

/* A subscription that listens again hears from then on what its new masks say, nothing else. */
static void test_listen_again(void **state)
{
	(void)state;
	struct core_subscription *s = core_subscribe(core, 0, 0, &recorder, NULL);
	assert_non_null(s);
	fake_set(0, "10.1.0.0/16", CORE_DISTANCE_EBGP, 0, "192.0.2.1");
	settle();
	assert_int_equal(event_count, 0);
	core_subscription_listen(s, CORE_PROTO_BIT(CORE_PROTO_BGP), 0);
	fake_set(1, "10.2.0.0/16", CORE_DISTANCE_EBGP, 7, "192.0.2.1");
	settle();
	assert_int_equal(event_count, 1);
	assert_string_equal(events[0].prefix, "10.2.0.0/16");
	assert_int_equal(events[0].metric, 7);
	assert_int_equal(batch_ends, 1);
	core_subscription_listen(s, 0, CORE_PROTO_BIT(CORE_PROTO_OSPF));
	fake_withdraw(1);
	stored_set("10.3.0.0/16", CORE_PROTO_OSPF, 110, 20, "10.0.0.2", 0);
	settle();
	assert_int_equal(event_count, 2);
	assert_int_equal(events[1].kind, CORE_EVENT_WINNER);
	assert_string_equal(events[1].prefix, "10.3.0.0/16");
}

/* ---- next-hop tracking ---- */

static int notified;
static struct core_nexthop_tracker *tracker;
static bool ask_again;
static const char *watched;

static void tracker_changed(void *ctx)
{
	(void)ctx;
	notified++;
	if (ask_again) {
		uint32_t metric;
		struct ip_addr a = address("10.0.0.5");
		core_nexthop_resolve(tracker, &a, &metric);
	}
}

static void tracker_watch(void *ctx, struct core_nexthop_tracker *t)
{
	(void)ctx;
	if (watched) {
		struct ip_addr a = address(watched);
		core_nexthop_watch(t, &a);
	}
}

static const struct core_nexthop_tracker_ops tracker_ops = { .changed = tracker_changed, .watch = tracker_watch };

static void tracking_setup(void)
{
	notified = 0;
	ask_again = true;
	watched = NULL;
	tracker = core_nexthop_track(core, &tracker_ops, NULL);
	assert_non_null(tracker);
}

static void test_nexthop_tracking(void **state)
{
	(void)state;
	tracking_setup();
	connected_set("10.0.0.0/24", 2);
	uint32_t metric = 99;
	struct ip_addr nh = address("10.0.0.5");
	assert_true(core_nexthop_resolve(tracker, &nh, &metric));
	assert_int_equal(metric, 0);
	settle();
	assert_int_equal(notified, 0); /* the answer it got is still the table's */

	/* a route elsewhere: nothing it asked about */
	stored_set("192.168.0.0/24", CORE_PROTO_OSPF, 110, 5, "10.0.0.7", 0);
	settle();
	assert_int_equal(notified, 0);

	/* a longer prefix now covers its next hop: told once */
	stored_set("10.0.0.0/28", CORE_PROTO_OSPF, 110, 10, "10.0.0.20", 0);
	settle();
	assert_int_equal(notified, 1);
	assert_true(core_nexthop_resolve(tracker, &nh, &metric));
	assert_int_equal(metric, 10);

	/* the metric changes: told */
	stored_set("10.0.0.0/28", CORE_PROTO_OSPF, 110, 11, "10.0.0.20", 0);
	settle();
	assert_int_equal(notified, 2);

	/* its next hop no longer resolves: told; it asks again and hears so */
	stored_set("10.0.0.0/28", CORE_PROTO_OSPF, 0, 0, NULL, 0);
	connected_set("10.0.0.0/24", 0);
	settle();
	assert_int_equal(notified, 3);
	assert_false(core_nexthop_resolve(tracker, &nh, &metric));

	/* what it stopped asking about is forgotten after a notification */
	ask_again = false;
	connected_set("10.0.0.0/24", 2);
	settle();
	assert_int_equal(notified, 4);
	connected_set("10.0.0.0/24", 0);
	settle();
	assert_int_equal(notified, 4);
	core_nexthop_untrack(tracker);
}

static void test_nexthop_watch(void **state)
{
	(void)state;
	tracking_setup();
	ask_again = false;
	/* an address it watches without asking: the first check tells it, then only changes */
	watched = "10.0.0.1";
	stored_set("172.16.0.0/16", CORE_PROTO_RIP, 120, 1, "172.31.0.1", 0);
	settle();
	assert_int_equal(notified, 1);
	stored_set("172.17.0.0/16", CORE_PROTO_RIP, 120, 1, "172.31.0.1", 0);
	settle();
	assert_int_equal(notified, 1);
	/* the route to it appears: told (a watched address stays watched) */
	connected_set("10.0.0.0/24", 3);
	settle();
	assert_int_equal(notified, 2);
	connected_set("10.0.0.0/24", 0);
	settle();
	assert_int_equal(notified, 3);
}

/* Asked twice while the table changed between: two answers are out, so it is told even if
 * the table came back to the first by the check. */
static void test_nexthop_mixed_answers(void **state)
{
	(void)state;
	tracking_setup();
	ask_again = false;
	connected_set("10.0.0.0/24", 2);
	settle();
	uint32_t metric;
	struct ip_addr nh = address("10.0.0.5");
	assert_true(core_nexthop_resolve(tracker, &nh, &metric));
	connected_set("10.0.0.0/24", 0);
	assert_false(core_nexthop_resolve(tracker, &nh, &metric));
	connected_set("10.0.0.0/24", 2);
	settle();
	assert_int_equal(notified, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_winner_by_distance, setup, teardown),
		cmocka_unit_test_setup_teardown(test_walk_protocol, setup, teardown),
		cmocka_unit_test_setup_teardown(test_events_of_stored_and_source, setup, teardown),
		cmocka_unit_test_setup_teardown(test_burst_is_one_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unsubscribed_and_uninterested, setup, teardown),
		cmocka_unit_test_setup_teardown(test_listen_again, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nexthop_tracking, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nexthop_watch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nexthop_mixed_answers, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
