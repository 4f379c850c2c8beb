/* DOC: unit tests of the capped growable array (lib/array.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "lib/array.h"

struct pair {
	uint32_t a, b;
};

static void test_push_keeps_elements_in_order(void **state)
{
	(void)state;
	struct array a;
	array_init(&a, MEMORY_OTHER, sizeof(struct pair), ARRAY_NO_CAP);
	for (uint32_t i = 0; i < 1000; i++) {
		struct pair *p = array_push(&a);
		assert_non_null(p);
		assert_int_equal(p->a, 0); /* zeroed */
		p->a = i;
		p->b = i * 3;
	}
	assert_int_equal(a.count, 1000);
	assert_true(a.capacity >= 1000);
	const struct pair *all = a.items;
	for (uint32_t i = 0; i < 1000; i++)
		assert_true(all[i].a == i && all[i].b == i * 3);
	array_remove(&a, 0);
	array_remove(&a, 500);
	array_remove(&a, a.count - 1);
	array_remove(&a, a.count); /* out of range: nothing */
	assert_int_equal(a.count, 997);
	all = a.items;
	assert_int_equal(all[0].a, 1);
	assert_int_equal(all[499].a, 500);
	assert_int_equal(all[500].a, 502);
	assert_int_equal(all[996].a, 998);
	array_free(&a);
	assert_int_equal(a.count, 0);
	assert_null(a.items);
}

static void test_insert_in_the_middle(void **state)
{
	(void)state;
	struct array a;
	array_init(&a, MEMORY_OTHER, sizeof(uint32_t), 4);
	uint32_t *v;
	assert_non_null(v = array_insert(&a, 0));
	*v = 30;
	assert_non_null(v = array_insert(&a, 0));
	*v = 10;
	assert_non_null(v = array_insert(&a, 1));
	*v = 20;
	assert_null(array_insert(&a, 4)); /* past the end */
	assert_non_null(v = array_insert(&a, 3));
	*v = 40;
	assert_null(array_insert(&a, 0)); /* the cap */
	const uint32_t *all = a.items;
	assert_true(a.count == 4 && all[0] == 10 && all[1] == 20 && all[2] == 30 && all[3] == 40);
	array_free(&a);
}

/* Growth past the cap is an error value; what is there stays. */
static void test_cap(void **state)
{
	(void)state;
	struct array a;
	array_init(&a, MEMORY_OTHER, sizeof(uint32_t), 20);
	for (uint32_t i = 0; i < 20; i++) {
		uint32_t *v = array_push(&a);
		assert_non_null(v);
		*v = i;
	}
	assert_int_equal(a.capacity, 20); /* never more room than the cap */
	assert_null(array_push(&a));
	assert_int_equal(array_reserve(&a, 1), ARRAY_AT_CAP);
	assert_int_equal(array_reserve(&a, 0), ARRAY_OK);
	assert_int_equal(array_reserve(&a, (size_t)-1), ARRAY_AT_CAP);
	assert_int_equal(a.count, 20);
	assert_int_equal(*(uint32_t *)array_at(&a, 19), 19);
	array_remove(&a, 3);
	assert_non_null(array_push(&a)); /* room again below the cap */
	array_clear(&a);
	assert_int_equal(a.count, 0);
	assert_int_equal(array_reserve(&a, 20), ARRAY_OK);
	assert_int_equal(array_reserve(&a, 21), ARRAY_AT_CAP);
	array_free(&a);
}

/* A cap of zero: nothing can be pushed, and no memory is taken. */
static void test_zero_cap(void **state)
{
	(void)state;
	struct array a;
	array_init(&a, MEMORY_OTHER, 8, 0);
	assert_null(array_push(&a));
	assert_null(a.items);
	array_free(&a);
}

/* An element size whose capacity would overflow size_t is out of memory, not a small block. */
static void test_huge_elements(void **state)
{
	(void)state;
	struct array a;
	array_init(&a, MEMORY_OTHER, (size_t)1 << 62, ARRAY_NO_CAP);
	assert_int_equal(array_reserve(&a, 8), ARRAY_NO_MEMORY);
	assert_int_equal(a.count, 0);
	array_free(&a);
}

static void test_memory_counted_by_owner(void **state)
{
	(void)state;
	struct memory_usage before = memory_usage(MEMORY_RIP);
	struct array a;
	array_init(&a, MEMORY_RIP, 100, ARRAY_NO_CAP);
	assert_int_equal(array_reserve(&a, 50), ARRAY_OK);
	struct memory_usage during = memory_usage(MEMORY_RIP);
	assert_true(during.bytes >= before.bytes + 5000);
	assert_int_equal(during.allocations, before.allocations + 1);
	assert_int_equal(array_reserve(&a, 500), ARRAY_OK); /* grown: still one block */
	assert_true(memory_usage(MEMORY_RIP).bytes >= before.bytes + 50000);
	assert_int_equal(memory_usage(MEMORY_RIP).allocations, before.allocations + 1);
	array_free(&a);
	assert_int_equal(memory_usage(MEMORY_RIP).bytes, before.bytes);
	assert_int_equal(memory_usage(MEMORY_RIP).allocations, before.allocations);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_push_keeps_elements_in_order),
		cmocka_unit_test(test_insert_in_the_middle),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_zero_cap),
		cmocka_unit_test(test_huge_elements),
		cmocka_unit_test(test_memory_counted_by_owner),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
