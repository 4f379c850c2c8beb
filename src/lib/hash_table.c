/* DOC: chained hash table with intrusive links (see hash_table.h). */
#include "lib/hash_table.h"

#include <string.h>

static void **link_of(const struct hash_table *t, void *element)
{
	return (void **)((char *)element + t->link_offset);
}

void hash_table_init(struct hash_table *t, enum memory_owner owner, size_t link_offset, hash_table_hash_fn *hash,
		     const struct hash_table_options *options)
{
	memset(t, 0, sizeof(*t));
	t->owner = owner;
	t->link_offset = link_offset;
	t->hash = hash;
	t->initial_size = options && options->initial_size ? options->initial_size : 64;
	t->max_load = options && options->max_load ? options->max_load : 1;
}

void hash_table_free(struct hash_table *t)
{
	memory_free(t->owner, t->buckets);
	t->buckets = NULL;
	t->size = t->stride = t->capacity = t->count = 0;
}

void hash_table_clear(struct hash_table *t)
{
	if (t->buckets)
		memset(t->buckets, 0, t->size * sizeof(*t->buckets));
	t->count = 0;
}

static bool allocate_first(struct hash_table *t)
{
	size_t size = t->initial_size ? t->initial_size : 64;
	t->buckets = memory_calloc(t->owner, size, sizeof(*t->buckets));
	if (!t->buckets)
		return false;
	t->size = t->stride = t->capacity = size;
	return true;
}

/* Buckets split together when the table grows (hash_table.h): their chains lie anywhere in
 * memory, and a split that waits for its chain waits for main memory. One split per insert
 * made a full table's growth wait once per route (a tenth of its load time); asking for a
 * batch's chains together overlaps the waits. Still bounded work: this many chains. */
#define SPLIT_BATCH 32

/* Doubles the slots until count more buckets fit. */
static bool make_room(struct hash_table *t, size_t count)
{
	while (t->size + count > t->capacity) {
		size_t capacity = t->capacity * 2;
		if (capacity < t->capacity || capacity > SIZE_MAX / sizeof(*t->buckets))
			return false;
		void **buckets = memory_realloc(t->owner, t->buckets, capacity * sizeof(*buckets));
		if (!buckets)
			return false;
		t->buckets = buckets;
		t->capacity = capacity;
	}
	return true;
}

/* Splits the next buckets in order, up to SPLIT_BATCH and not past the doubling of the
 * stride: bucket (size - stride) gives its elements with the stride bit set to the new
 * bucket at size (hash_table.h). The slots are doubled when full; realloc of a large block
 * remaps pages rather than copying them. */
static bool split_some(struct hash_table *t)
{
	size_t from = t->size - t->stride, count = t->stride - from;
	if (count > SPLIT_BATCH)
		count = SPLIT_BATCH;
	if (!make_room(t, count))
		return false;
	for (size_t i = 0; i < count; i++)
		if (t->buckets[from + i])
			__builtin_prefetch(t->buckets[from + i]);
	for (size_t i = 0; i < count; i++) {
		void **keep = &t->buckets[from + i], *moved = NULL;
		while (*keep) {
			void *e = *keep;
			if (t->hash(e) & t->stride) {
				*keep = *link_of(t, e);
				*link_of(t, e) = moved;
				moved = e;
			} else {
				keep = link_of(t, e);
			}
		}
		t->buckets[t->size + i] = moved;
	}
	t->size += count;
	if (t->size == 2 * t->stride)
		t->stride *= 2;
	return true;
}

bool hash_table_insert(struct hash_table *t, void *element, uint64_t hash)
{
	if (!t->size) {
		if (!allocate_first(t))
			return false;
	} else if (t->count >= t->size * t->max_load && !split_some(t)) {
		return false;
	}
	void **slot = &t->buckets[hash_table_index(t, hash)];
	*link_of(t, element) = *slot;
	*slot = element;
	t->count++;
	return true;
}

bool hash_table_remove(struct hash_table *t, void *element, uint64_t hash)
{
	if (!t->size)
		return false;
	for (void **p = &t->buckets[hash_table_index(t, hash)]; *p; p = link_of(t, *p)) {
		if (*p == element) {
			*p = *link_of(t, element);
			*link_of(t, element) = NULL;
			t->count--;
			return true;
		}
	}
	return false;
}

void *hash_table_take_bucket(struct hash_table *t, size_t i)
{
	void *chain = t->buckets[i];
	t->buckets[i] = NULL;
	for (void *e = chain; e; e = *link_of(t, e))
		t->count--;
	return chain;
}

void hash_table_iter_init(const struct hash_table *t, struct hash_table_iter *it)
{
	it->bucket = 0;
	it->next = NULL;
	while (it->bucket < t->size && !it->next)
		it->next = t->buckets[it->bucket++];
}

void *hash_table_iter_next(const struct hash_table *t, struct hash_table_iter *it)
{
	void *e = it->next;
	if (!e)
		return NULL;
	it->next = hash_table_link(t, e);
	while (!it->next && it->bucket < t->size)
		it->next = t->buckets[it->bucket++];
	return e;
}
