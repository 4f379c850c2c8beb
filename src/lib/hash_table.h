/*
 * DOC: the one hash table: intrusive chains, power-of-two buckets, memory by owner.
 *
 * The table holds pointers to the caller's elements; each element carries its own chain link
 * (a `next` pointer of its own type, e.g. bgp_route.hash_next) at link_offset, so a table
 * costs one bucket pointer per element and no allocation per insert: a full table's routes
 * stay 24 bytes. The caller computes hashes (lib/hash.h says which function for which keys)
 * and compares keys itself while walking a chain, so the hot lookups inline:
 *
 *	for (struct bgp_route *r = hash_table_first(&t, hash); r; r = r->hash_next)
 *		if (same key) return r;
 *
 * Growth doubles the buckets and puts an element in bucket hash mod size, always: an element
 * whose hash is j modulo an earlier size lies, after any number of growths, in one of the
 * buckets j, j + old size, j + 2 old size... (the Loc-RIB's cursor relies on that). The table
 * grows when the elements outnumber max_load per bucket, and never shrinks (a table that held
 * a full table once is likely to again).
 *
 * Iteration: hash_table_iter_next() reads the following element before it returns one, so
 * the element just returned may be removed (and freed) before the next call. Inserting
 * during an iteration is not allowed (growth moves elements between buckets).
 */
#ifndef TERN_LIB_HASH_TABLE_H
#define TERN_LIB_HASH_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/memory.h"

/* The hash an element was inserted with (growth needs it again); at least its low bits up to
 * the table's size must be the same. */
typedef uint64_t hash_table_hash_fn(const void *element);

struct hash_table {
	void **buckets;             /* size chain heads, or NULL before the first insert */
	size_t size;                /* a power of two, or 0 */
	size_t count;
	size_t link_offset;         /* offsetof the element's next pointer */
	size_t initial_size;        /* buckets at the first insert (a power of two) */
	unsigned max_load;          /* elements per bucket before it grows */
	hash_table_hash_fn *hash;
	enum memory_owner owner;
};

struct hash_table_options {
	size_t initial_size; /* a power of two; 0: 64 */
	unsigned max_load;   /* 0: 1 */
};

/* Holds no memory until the first insert. options may be NULL. */
void hash_table_init(struct hash_table *t, enum memory_owner owner, size_t link_offset, hash_table_hash_fn *hash,
		     const struct hash_table_options *options);
/* Gives back the buckets; the elements are the caller's. */
void hash_table_free(struct hash_table *t);
/* Empties the table and keeps its buckets (the elements are the caller's). */
void hash_table_clear(struct hash_table *t);

static inline void *hash_table_link(const struct hash_table *t, const void *element)
{
	return *(void *const *)((const char *)element + t->link_offset);
}

/* The chain head of bucket i < t->size (for walks that go bucket by bucket). */
static inline void *hash_table_bucket(const struct hash_table *t, size_t i)
{
	return t->buckets[i];
}

/* The first element of the chain where elements with this hash live, or NULL. */
static inline void *hash_table_first(const struct hash_table *t, uint64_t hash)
{
	return t->size ? t->buckets[hash & (t->size - 1)] : NULL;
}

/* The address of that chain's head, or NULL (to prefetch it). */
static inline void *const *hash_table_slot(const struct hash_table *t, uint64_t hash)
{
	return t->size ? &t->buckets[hash & (t->size - 1)] : NULL;
}

/* Adds element (not already in the table) under hash, growing first if needed. False when
 * out of memory: the element is then not in the table. */
bool hash_table_insert(struct hash_table *t, void *element, uint64_t hash);
/* Takes element (inserted with hash) out of the table. False if it was not there. */
bool hash_table_remove(struct hash_table *t, void *element, uint64_t hash);

struct hash_table_iter {
	size_t bucket; /* the next bucket to look at */
	void *next;    /* the next element to return */
};

void hash_table_iter_init(const struct hash_table *t, struct hash_table_iter *it);
/* The next element, or NULL at the end. */
void *hash_table_iter_next(const struct hash_table *t, struct hash_table_iter *it);

#endif
