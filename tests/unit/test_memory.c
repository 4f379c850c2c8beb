/* DOC: unit tests of memory accounting by owner (lib/memory.h) and of pools' share in it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "lib/memory.h"
#include "lib/pool.h"

static void test_every_owner_has_a_name(void **state)
{
	(void)state;
	for (int o = 0; o < MEMORY_OWNER_COUNT; o++) {
		const char *name = memory_owner_name((enum memory_owner)o);
		assert_non_null(name);
		assert_true(strlen(name) > 0);
		for (int p = 0; p < o; p++)
			assert_string_not_equal(name, memory_owner_name((enum memory_owner)p));
	}
	assert_string_equal(memory_owner_name(MEMORY_BGP_RIB), "bgp rib");
	assert_string_equal(memory_owner_name((enum memory_owner)999), "other");
}

static void test_alloc_realloc_free(void **state)
{
	(void)state;
	struct memory_usage before = memory_usage(MEMORY_CONFIG);
	char *p = memory_alloc(MEMORY_CONFIG, 100);
	assert_non_null(p);
	memset(p, 1, 100);
	struct memory_usage one = memory_usage(MEMORY_CONFIG);
	assert_true(one.bytes >= before.bytes + 100);
	assert_int_equal(one.allocations, before.allocations + 1);
	p = memory_realloc(MEMORY_CONFIG, p, 10000);
	assert_non_null(p);
	assert_int_equal(p[99], 1);
	struct memory_usage grown = memory_usage(MEMORY_CONFIG);
	assert_true(grown.bytes >= before.bytes + 10000);
	assert_int_equal(grown.allocations, before.allocations + 1);
	assert_true(grown.peak_bytes >= grown.bytes);
	/* other owners saw nothing */
	struct memory_usage ctl = memory_usage(MEMORY_CTL);
	void *q = memory_calloc(MEMORY_CTL, 10, 10);
	assert_non_null(q);
	assert_int_equal(((char *)q)[99], 0);
	assert_int_equal(memory_usage(MEMORY_CONFIG).bytes, grown.bytes);
	memory_free(MEMORY_CTL, q);
	assert_int_equal(memory_usage(MEMORY_CTL).bytes, ctl.bytes);
	memory_free(MEMORY_CONFIG, p);
	struct memory_usage after = memory_usage(MEMORY_CONFIG);
	assert_int_equal(after.bytes, before.bytes);
	assert_int_equal(after.allocations, before.allocations);
	assert_true(after.peak_bytes >= before.bytes + 10000); /* the peak stays */
	memory_free(MEMORY_CONFIG, NULL);
	assert_int_equal(memory_usage(MEMORY_CONFIG).allocations, before.allocations);
}

static void test_calloc_overflow_fails(void **state)
{
	(void)state;
	struct memory_usage before = memory_usage(MEMORY_OTHER);
	assert_null(memory_calloc(MEMORY_OTHER, SIZE_MAX / 2, 4));
	assert_int_equal(memory_usage(MEMORY_OTHER).allocations, before.allocations);
}

/* A pool's slabs count against its owner; destroying it gives them back. */
static void test_pool_slabs_count_against_owner(void **state)
{
	(void)state;
	struct memory_usage before = memory_usage(MEMORY_OSPF);
	struct pool pool;
	pool_init(&pool, MEMORY_OSPF, "test objects", 40);
	void *objects[20000];
	for (size_t i = 0; i < 20000; i++)
		assert_non_null(objects[i] = pool_alloc(&pool));
	struct memory_usage during = memory_usage(MEMORY_OSPF);
	assert_int_equal(during.bytes, before.bytes + pool_bytes(&pool));
	assert_int_equal(during.allocations, before.allocations + pool.slab_count);
	assert_true(pool_bytes(&pool) >= 20000 * 40);
	for (size_t i = 0; i < 20000; i++)
		pool_free(&pool, objects[i]);
	pool_destroy(&pool);
	assert_int_equal(memory_usage(MEMORY_OSPF).bytes, before.bytes);
	assert_int_equal(memory_usage(MEMORY_OSPF).allocations, before.allocations);
}

struct slot_visits {
	size_t count;
	size_t marked;
};

static void count_slot(void *object, void *ctx)
{
	struct slot_visits *v = ctx;
	v->count++;
	if (((const uint64_t *)object)[1] == 0xfeed)
		v->marked++;
}

/* pool_each_slot() visits every slot carved so far, the freed ones too (the caller tells them
 * apart), and no slot twice: a whole slab and part of the next. */
static void test_pool_each_slot(void **state)
{
	(void)state;
	struct pool p;
	pool_init(&p, MEMORY_OTHER, "test slots", 3 * sizeof(uint64_t));
	enum { N = 20000 }; /* more than one 256 KiB slab of 24-byte objects */
	static uint64_t *objects[N];
	for (size_t i = 0; i < N; i++) {
		objects[i] = pool_alloc(&p);
		assert_non_null(objects[i]);
		objects[i][1] = 0xfeed;
	}
	assert_true(p.slab_count >= 2);
	for (size_t i = 0; i < N; i += 4) {
		objects[i][1] = 0; /* the caller's mark of a free slot, then freed */
		pool_free(&p, objects[i]);
	}
	struct slot_visits v = { 0 };
	pool_each_slot(&p, count_slot, &v);
	assert_int_equal(v.count, N);
	assert_int_equal(v.marked, N - N / 4);
	/* a freed slot handed out again is visited once, not twice */
	uint64_t *again = pool_alloc(&p);
	again[1] = 0xfeed;
	v = (struct slot_visits){ 0 };
	pool_each_slot(&p, count_slot, &v);
	assert_int_equal(v.count, N);
	assert_int_equal(v.marked, N - N / 4 + 1);
	pool_destroy(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_owner_has_a_name),
		cmocka_unit_test(test_alloc_realloc_free),
		cmocka_unit_test(test_calloc_overflow_fails),
		cmocka_unit_test(test_pool_slabs_count_against_owner),
		cmocka_unit_test(test_pool_each_slot),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
