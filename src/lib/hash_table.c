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
	t->size = t->count = 0;
}

void hash_table_clear(struct hash_table *t)
{
	if (t->buckets)
		memset(t->buckets, 0, t->size * sizeof(*t->buckets));
	t->count = 0;
}

static bool grow(struct hash_table *t)
{
	size_t size = t->size ? t->size * 2 : t->initial_size ? t->initial_size : 64;
	if (size < t->size)
		return false;
	void **buckets = memory_calloc(t->owner, size, sizeof(*buckets));
	if (!buckets)
		return false;
	for (size_t i = 0; i < t->size; i++) {
		/* Every element is read once, in no useful order: fetch a few buckets ahead so the
		 * misses overlap (a full table is moved about twenty times its size in all). */
		if (i + 8 < t->size && t->buckets[i + 8])
			__builtin_prefetch(t->buckets[i + 8]);
		for (void *e = t->buckets[i], *next; e; e = next) {
			next = *link_of(t, e);
			size_t slot = t->hash(e) & (size - 1);
			*link_of(t, e) = buckets[slot];
			buckets[slot] = e;
		}
	}
	memory_free(t->owner, t->buckets);
	t->buckets = buckets;
	t->size = size;
	return true;
}

bool hash_table_insert(struct hash_table *t, void *element, uint64_t hash)
{
	if (t->count >= t->size * t->max_load && !grow(t))
		return false;
	void **slot = &t->buckets[hash & (t->size - 1)];
	*link_of(t, element) = *slot;
	*slot = element;
	t->count++;
	return true;
}

bool hash_table_remove(struct hash_table *t, void *element, uint64_t hash)
{
	if (!t->size)
		return false;
	for (void **p = &t->buckets[hash & (t->size - 1)]; *p; p = link_of(t, *p)) {
		if (*p == element) {
			*p = *link_of(t, element);
			*link_of(t, element) = NULL;
			t->count--;
			return true;
		}
	}
	return false;
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
