/*
 * DOC: the core settles a change in the loop iteration that made it.
 *
 * Next-hop tracking and the subscribers' batch ends run from the core's settle pass. A change made
 * in a timer callback (OSPF's SPF runs from one) must reach them before the loop blocks in
 * poll, not when something next wakes it: in the seed lab the IBGP session's first connect
 * after OSPF's route appeared waited up to a second for that. Here a timer changes the table
 * and a second timer, a second later, is the next thing that would wake the loop.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>
#include <uv.h>

#include "core/core.h"

static uv_loop_t loop;
static struct core *core;
static uint64_t changed_at, settled_at;
static int settled;

static bool note(void *ctx, const struct core_event *event)
{
	(void)ctx, (void)event;
	return true;
}

static void hook(void *ctx)
{
	(void)ctx;
	settled++;
	uv_update_time(&loop);
	settled_at = uv_now(&loop);
}

static void change_cb(uv_timer_t *t)
{
	(void)t;
	struct prefix p = { .family = AF_INET, .len = 32, .addr = { 1, 1, 1, 1 } };
	struct core_route_info info = { .distance = 110, .metric = 2, .nexthop_count = 1 };
	info.nexthops[0].ifindex = 2;
	changed_at = uv_now(&loop);
	core_route_set(core, &p, CORE_PROTO_OSPF, &info);
}

static void stop_cb(uv_timer_t *t)
{
	uv_stop(t->loop);
}

static void test_timer_change_settles_at_once(void **state)
{
	(void)state;
	assert_int_equal(uv_loop_init(&loop), 0);
	core = core_create(&loop, NULL);
	assert_non_null(core);
	static const struct core_subscriber_ops ops = { .event = note, .batch_end = hook };
	assert_non_null(core_subscribe(core, 0, CORE_PROTO_BIT(CORE_PROTO_OSPF), &ops, NULL));
	uv_timer_t change, stop;
	uv_timer_init(&loop, &change);
	uv_timer_init(&loop, &stop);
	uv_timer_start(&change, change_cb, 10, 0);
	uv_timer_start(&stop, stop_cb, 1000, 0);
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(settled, 1);
	/* in the same iteration: well before the other timer, a second away, woke the loop */
	assert_true(settled_at - changed_at < 500);
	uv_close((uv_handle_t *)&change, NULL);
	uv_close((uv_handle_t *)&stop, NULL);
	uv_run(&loop, UV_RUN_DEFAULT);
	core_destroy(core);
	uv_run(&loop, UV_RUN_DEFAULT); /* closes the core's handles */
	assert_int_equal(uv_loop_close(&loop), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timer_change_settles_at_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
