/* DOC: unit tests of the one hash table (lib/hash_table.h): lookups, collisions, removal,
 * growth, removal during iteration, and its memory counted by owner. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/hash_table.h"

struct item {
	uint32_t key;
	uint64_t hash; /* what it was inserted with: a test may force collisions */
	struct item *hash_next;
	bool seen;
};

static uint64_t item_hash(const void *element)
{
	return ((const struct item *)element)->hash;
}

static struct item *find(const struct hash_table *t, uint32_t key, uint64_t hash)
{
	for (struct item *i = hash_table_first(t, hash); i; i = i->hash_next)
		if (i->key == key)
			return i;
	return NULL;
}

static void init(struct hash_table *t, size_t initial)
{
	struct hash_table_options o = { .initial_size = initial };
	hash_table_init(t, MEMORY_OTHER, offsetof(struct item, hash_next), item_hash, &o);
}

static void test_empty_table_finds_nothing(void **state)
{
	(void)state;
	struct hash_table t;
	init(&t, 0);
	assert_null(hash_table_first(&t, 42));
	assert_null(hash_table_slot(&t, 42));
	struct item i = { .key = 1, .hash = 42 };
	assert_false(hash_table_remove(&t, &i, 42));
	struct hash_table_iter it;
	hash_table_iter_init(&t, &it);
	assert_null(hash_table_iter_next(&t, &it));
	hash_table_free(&t);
}

/* Every key in one chain: all found, and removing from the middle, head and tail keeps the
 * others. */
static void test_collisions(void **state)
{
	(void)state;
	struct hash_table t;
	init(&t, 4);
	struct item items[40];
	for (uint32_t k = 0; k < 40; k++) {
		/* the same low bits at every size the table takes here */
		items[k] = (struct item){ .key = k, .hash = (uint64_t)k << 40 | 3 };
		assert_true(hash_table_insert(&t, &items[k], items[k].hash));
	}
	assert_int_equal(t.count, 40);
	for (uint32_t k = 0; k < 40; k++)
		assert_ptr_equal(find(&t, k, items[k].hash), &items[k]);
	uint32_t gone[] = { 0, 39, 20, 21 };
	for (size_t g = 0; g < 4; g++)
		assert_true(hash_table_remove(&t, &items[gone[g]], items[gone[g]].hash));
	assert_false(hash_table_remove(&t, &items[20], items[20].hash));
	assert_int_equal(t.count, 36);
	for (uint32_t k = 0; k < 40; k++) {
		bool removed = k == 0 || k == 39 || k == 20 || k == 21;
		assert_ptr_equal(find(&t, k, items[k].hash), removed ? NULL : &items[k]);
	}
	hash_table_free(&t);
}

/* Growth keeps every element findable, keeps elements at hash mod size (the cursor
 * guarantee of hash_table.h), and the load stays at most max_load per bucket. */
static void test_growth(void **state)
{
	(void)state;
	struct hash_table t;
	init(&t, 8);
	enum { N = 10000 };
	struct item *items = calloc(N, sizeof(*items));
	assert_non_null(items);
	for (uint32_t k = 0; k < N; k++) {
		items[k].key = k;
		items[k].hash = (uint64_t)k * 0x9e3779b97f4a7c15ull;
		assert_true(hash_table_insert(&t, &items[k], items[k].hash));
		assert_true(t.count <= t.size);
	}
	assert_int_equal(t.size, 16384);
	for (uint32_t k = 0; k < N; k++)
		assert_ptr_equal(find(&t, k, items[k].hash), &items[k]);
	for (size_t b = 0; b < t.size; b++)
		for (struct item *i = hash_table_bucket(&t, b); i; i = i->hash_next)
			assert_int_equal(i->hash & (t.size - 1), b);
	hash_table_free(&t);
	free(items);
}

/* Iteration sees each element once, and the element just returned may be removed and freed
 * before the next step. */
static void test_remove_during_iteration(void **state)
{
	(void)state;
	struct hash_table t;
	init(&t, 4);
	enum { N = 500 };
	for (uint32_t k = 0; k < N; k++) {
		struct item *i = calloc(1, sizeof(*i));
		assert_non_null(i);
		i->key = k;
		i->hash = k % 7; /* long chains */
		assert_true(hash_table_insert(&t, i, i->hash));
	}
	unsigned seen[N] = { 0 };
	struct hash_table_iter it;
	hash_table_iter_init(&t, &it);
	size_t visited = 0;
	for (struct item *i; (i = hash_table_iter_next(&t, &it));) {
		seen[i->key]++;
		visited++;
		if (i->key % 2 == 0) {
			assert_true(hash_table_remove(&t, i, i->hash));
			free(i);
		}
	}
	assert_int_equal(visited, N);
	for (uint32_t k = 0; k < N; k++)
		assert_int_equal(seen[k], 1);
	assert_int_equal(t.count, N / 2);
	/* what is left: only odd keys; free it the same way */
	hash_table_iter_init(&t, &it);
	for (struct item *i; (i = hash_table_iter_next(&t, &it));) {
		assert_int_equal(i->key % 2, 1);
		assert_true(hash_table_remove(&t, i, i->hash));
		free(i);
	}
	assert_int_equal(t.count, 0);
	hash_table_free(&t);
}

/* The buckets count against the table's owner, and come back when it is freed. */
static void test_buckets_are_accounted(void **state)
{
	(void)state;
	struct memory_usage before = memory_usage(MEMORY_CORE);
	struct hash_table t;
	hash_table_init(&t, MEMORY_CORE, offsetof(struct item, hash_next), item_hash, NULL);
	struct item items[100];
	for (uint32_t k = 0; k < 100; k++) {
		items[k] = (struct item){ .key = k, .hash = k };
		assert_true(hash_table_insert(&t, &items[k], k));
	}
	struct memory_usage during = memory_usage(MEMORY_CORE);
	assert_true(during.bytes >= before.bytes + t.size * sizeof(void *));
	assert_int_equal(during.allocations, before.allocations + 1);
	hash_table_clear(&t);
	assert_int_equal(t.count, 0);
	assert_null(find(&t, 5, 5));
	hash_table_free(&t);
	struct memory_usage after = memory_usage(MEMORY_CORE);
	assert_int_equal(after.bytes, before.bytes);
	assert_int_equal(after.allocations, before.allocations);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_table_finds_nothing),
		cmocka_unit_test(test_collisions),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_remove_during_iteration),
		cmocka_unit_test(test_buckets_are_accounted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
