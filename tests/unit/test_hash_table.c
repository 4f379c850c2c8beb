/* DOC: unit tests of the one hash table (lib/hash_table.h): lookups, collisions, removal,
 * growth a few buckets at a time (lookups and removals between splits, a cursor walk in hash
 * space across splits), growth by whole doublings from the owner's walk, removal during
 * iteration, and its memory counted by owner. */
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
	bool live; /* in the table, for walk_items() */
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

/* The owner's walk in memory order (hash_table_options.walk): the items array, in order,
 * those in the table. */
static struct item *walk_array;
static size_t walk_length;
static unsigned walks;

static void walk_items(const struct hash_table *t, hash_table_visit_fn *visit, void *ctx)
{
	(void)t;
	walks++;
	for (size_t k = 0; k < walk_length; k++)
		if (walk_array[k].live)
			visit(&walk_array[k], ctx);
}

static void init_walked(struct hash_table *t, size_t initial, size_t whole_doublings_below, struct item *items,
			size_t n)
{
	struct hash_table_options o = { .initial_size = initial, .walk = walk_items,
					.whole_doublings_below = whole_doublings_below };
	hash_table_init(t, MEMORY_OTHER, offsetof(struct item, hash_next), item_hash, &o);
	walk_array = items;
	walk_length = n;
	walks = 0;
}

static bool insert_live(struct hash_table *t, struct item *i)
{
	bool ok = hash_table_insert(t, i, i->hash);
	i->live = ok; /* after the insert: a doubling it makes must not move i in as well */
	return ok;
}

static bool remove_live(struct hash_table *t, struct item *i)
{
	i->live = false;
	return hash_table_remove(t, i, i->hash);
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

/* Every element lies in a bucket equal to its hash modulo the stride, in the bucket a lookup
 * goes to, and the sizes keep stride <= size < 2 stride <= 2 capacity. */
static void assert_placement(const struct hash_table *t)
{
	assert_true(t->stride <= t->size && t->size < 2 * t->stride && t->size <= t->capacity);
	size_t count = 0;
	for (size_t b = 0; b < t->size; b++)
		for (struct item *i = hash_table_bucket(t, b); i; i = i->hash_next) {
			assert_int_equal(i->hash & (t->stride - 1), b & (t->stride - 1));
			assert_int_equal(hash_table_index(t, i->hash), b);
			count++;
		}
	assert_int_equal(count, t->count);
}

/* Every item is found; then the table and the items go. */
static void all_found_then_free(struct hash_table *t, struct item *items, uint32_t n)
{
	for (uint32_t k = 0; k < n; k++)
		assert_ptr_equal(find(t, k, items[k].hash), &items[k]);
	hash_table_free(t);
	free(items);
}

/* Growth keeps every element findable after each insert, keeps the placement of
 * hash_table.h (the cursor guarantee), the load at most max_load per bucket, and splits at
 * most one bucket per insert (no insert rehashes the table). */
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
		size_t size = t.size;
		assert_true(hash_table_insert(&t, &items[k], items[k].hash));
		assert_true(t.count <= t.size);
		assert_true(t.size <= (size ? size + 32 : 8)); /* a batch of splits at most */
		/* lookups between splits, the table half way between two powers of two */
		if (k % 97 == 0)
			for (uint32_t j = 0; j <= k; j++)
				assert_ptr_equal(find(&t, j, items[j].hash), &items[j]);
	}
	assert_true(t.size >= N && t.size < N + 32);
	assert_int_equal(t.stride, 8192);
	assert_int_equal(t.capacity, 16384);
	assert_placement(&t);
	all_found_then_free(&t, items, N);
}

/* With a walk, growth doubles the whole table from the walk below whole_doublings_below
 * (every size a power of two, stride == size, one walk per doubling), then splits a batch at
 * a time; lookups hold throughout, and the placement too. */
static void test_growth_by_whole_doublings(void **state)
{
	(void)state;
	enum { N = 6000, BELOW = 1024 };
	struct item *items = calloc(N, sizeof(*items));
	assert_non_null(items);
	struct hash_table t;
	init_walked(&t, 8, BELOW, items, N);
	for (uint32_t k = 0; k < N; k++) {
		items[k].key = k;
		items[k].hash = (uint64_t)k * 0x9e3779b97f4a7c15ull;
		size_t size = t.size;
		unsigned walks_before = walks;
		assert_true(insert_live(&t, &items[k]));
		assert_true(t.count <= t.size);
		if (size && size < BELOW) {
			assert_true(t.size == size || (t.size == 2 * size && walks == walks_before + 1));
			assert_int_equal(t.stride, t.size);
		} else if (size) {
			assert_int_equal(walks, walks_before); /* splits from here on */
			assert_true(t.size <= size + 32);
		}
		if (k % 331 == 0) {
			for (uint32_t j = 0; j <= k; j++)
				assert_ptr_equal(find(&t, j, items[j].hash), &items[j]);
			assert_placement(&t);
		}
	}
	assert_int_equal(walks, 7); /* 8 -> 16 -> ... -> 1024 */
	assert_true(t.size >= N && t.size < N + 32);
	assert_placement(&t);
	/* removals, then inserts again, across a doubling */
	for (uint32_t k = 0; k < N; k += 2)
		assert_true(remove_live(&t, &items[k]));
	for (uint32_t k = 0; k < N; k += 2)
		assert_true(insert_live(&t, &items[k]));
	assert_placement(&t);
	all_found_then_free(&t, items, N);
}

/* Removals between splits: the removed are gone, the others found, the placement holds, and
 * inserting them again finds room. */
static void test_remove_while_splitting(void **state)
{
	(void)state;
	struct hash_table t;
	init(&t, 4);
	enum { N = 3000 };
	struct item *items = calloc(N, sizeof(*items));
	assert_non_null(items);
	for (uint32_t k = 0; k < N; k++) {
		items[k].key = k;
		items[k].hash = (uint64_t)k * 0x2545f4914f6cdd1dull;
		assert_true(hash_table_insert(&t, &items[k], items[k].hash));
		if (k % 3 == 2) /* the one before, while the table is mid-way */
			assert_true(hash_table_remove(&t, &items[k - 1], items[k - 1].hash));
	}
	assert_placement(&t);
	for (uint32_t k = 0; k < N; k++)
		assert_ptr_equal(find(&t, k, items[k].hash), k % 3 == 1 ? NULL : &items[k]);
	for (uint32_t k = 1; k < N; k += 3)
		assert_true(hash_table_insert(&t, &items[k], items[k].hash));
	assert_placement(&t);
	all_found_then_free(&t, items, N);
}

/* A walk in hash space as the Loc-RIB's cursor does it (rib.h): for j below the stride at
 * its start, buckets j, j + that stride... below the size of the moment, a few j per slice,
 * with inserts (which split buckets, and double the stride several times) and removals
 * between slices. Every element present throughout is visited exactly once, and no element
 * more than once. */
static void cursor_walk_across_growth(bool walked)
{
	struct hash_table t;
	enum { OLD = 600, NEW = 20000 };
	struct item *items = calloc(OLD + NEW, sizeof(*items));
	unsigned *seen = calloc(OLD + NEW, sizeof(*seen));
	assert_non_null(items);
	assert_non_null(seen);
	for (uint32_t k = 0; k < OLD + NEW; k++) {
		items[k].key = k;
		items[k].hash = (uint64_t)(k + 1) * 0x9e3779b97f4a7c15ull;
	}
	if (walked)
		init_walked(&t, 16, 4096, items, OLD + NEW);
	else
		init(&t, 16);
	for (uint32_t k = 0; k < OLD; k++)
		assert_true(insert_live(&t, &items[k]));
	size_t base = hash_table_stride(&t), next = 0;
	uint32_t added = OLD;
	if (walked) /* whole doublings to 4096 buckets, splits above */
		assert_true(base > 0 && base == t.size);
	else /* the walk begins mid-way between two strides */
		assert_true(base > 0 && base < t.size);
	while (next < base) {
		for (size_t j = 0; j < 3 && next < base; j++, next++)
			for (size_t b = next; b < t.size; b += base)
				for (struct item *i = hash_table_bucket(&t, b); i; i = i->hash_next)
					seen[i->key]++;
		for (int n = 0; n < 200 && added < OLD + NEW; n++, added++)
			assert_true(insert_live(&t, &items[added]));
		/* the doomed: every tenth old element goes, in turn */
		uint32_t doomed = (uint32_t)next * 10;
		if (doomed < OLD && items[doomed].key % 10 == 0)
			assert_true(remove_live(&t, &items[doomed]));
	}
	assert_true(hash_table_stride(&t) >= 8 * base); /* it grew under the walk */
	for (uint32_t k = 0; k < OLD + NEW; k++) {
		assert_true(seen[k] <= 1);
		bool throughout = k < OLD && !(k % 10 == 0 && k / 10 < base);
		if (throughout)
			assert_int_equal(seen[k], 1);
	}
	assert_placement(&t);
	hash_table_free(&t);
	free(items);
	free(seen);
}

static void test_cursor_walk_across_growth(void **state)
{
	(void)state;
	cursor_walk_across_growth(false);
}

/* The same across whole doublings from a walk, then splits. */
static void test_cursor_walk_across_whole_doublings(void **state)
{
	(void)state;
	cursor_walk_across_growth(true);
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
		cmocka_unit_test(test_remove_while_splitting),
		cmocka_unit_test(test_cursor_walk_across_growth),
		cmocka_unit_test(test_growth_by_whole_doublings),
		cmocka_unit_test(test_cursor_walk_across_whole_doublings),
		cmocka_unit_test(test_remove_during_iteration),
		cmocka_unit_test(test_buckets_are_accounted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
