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
 * Growth is linear hashing, a few buckets at a time, so that no insert ever rehashes the
 * whole table (a full table's doubling held the daemon's loop for a fifth of a second).
 * Between two powers of two, stride <= size < 2 stride: buckets below size - stride are split
 * already and address by hash mod 2 stride, the others by hash mod stride. An insert that
 * finds the elements outnumbering max_load per bucket splits the next buckets in order (up
 * to 32, their chains asked for together: hash_table.c): each one's elements with the stride
 * bit set move to bucket (it + stride), a new one at the end; when every bucket below stride
 * is split the stride doubles. Hence, always: an element lies in a
 * bucket equal to its hash modulo the stride, and, the stride only growing, an element whose
 * hash is j modulo an earlier stride lies, after any number of splits, in one of the buckets
 * j, j + that stride, j + 2 that stride... below size (the Loc-RIB's and adj-rib-in's
 * cursors rely on that: hash_table_stride()). The table never shrinks (a table that held a
 * full table once is likely to again).
 *
 * A split reads its chains' elements where they lie, all over memory: for a table of
 * routes each is a cache and TLB miss, and a table's growth moves every element once per
 * doubling of the stride. An owner that can walk its elements in memory order (the slabs of
 * their pool) gives that walk (hash_table_options.walk): then, while the table has fewer
 * buckets than options.whole_doublings_below, growth doubles it at once, filling a new
 * bucket array from the walk, which reads memory in sequence (its moves no more than the
 * splits' per doubling, at a fraction of the misses). Past that size, it splits as above: a
 * doubling's one go is bounded by the moves below that size (a few milliseconds).
 * Either way the placement above holds.
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

struct hash_table;

/* An owner's walk over every element of table t in the order they lie in memory (the slabs of
 * the pool they come from: lib/pool.h pool_each_slot), calling visit(element, ctx) on each. */
typedef void hash_table_visit_fn(void *element, void *ctx);
typedef void hash_table_walk_fn(const struct hash_table *t, hash_table_visit_fn *visit, void *ctx);

struct hash_table {
	void **buckets;             /* capacity slots, the first size of them chain heads; NULL before the first insert */
	size_t size;                /* buckets in use: stride <= size < 2 stride, or 0 */
	size_t stride;              /* a power of two: buckets below size - stride are split, or 0 */
	size_t capacity;            /* slots allocated, a power of two >= size */
	size_t count;
	size_t link_offset;         /* offsetof the element's next pointer */
	size_t initial_size;        /* buckets at the first insert (a power of two) */
	unsigned max_load;          /* elements per bucket before it grows */
	size_t element_bytes;       /* what growth prefetches of an element (hash_table_options) */
	hash_table_hash_fn *hash;
	hash_table_walk_fn *walk;   /* hash_table_options */
	size_t whole_doublings_below;
	enum memory_owner owner;
};

struct hash_table_options {
	size_t initial_size; /* a power of two; 0: 64 */
	unsigned max_load;   /* 0: 1 */
	/* The bytes from an element's start that its link and its hash read: growth asks for
	 * them ahead (hash_table.c), all the lines they span. 0: the first line only. */
	size_t element_bytes;
	/* The owner's walk over the elements in memory order, and the size (a power of two)
	 * below which growth doubles the table at once with it (above). */
	hash_table_walk_fn *walk;
	size_t whole_doublings_below;
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

/* The power of two every element's bucket is congruent to its hash modulo (0 when the table
 * has no buckets yet); it only grows, until hash_table_free(). A walk that keeps the stride
 * it began with visits, for each j below it, buckets j, j + stride... below the size then. */
static inline size_t hash_table_stride(const struct hash_table *t)
{
	return t->stride;
}

/* The bucket of a hash: hash mod 2 stride if that bucket exists (was split), else mod stride. */
static inline size_t hash_table_index(const struct hash_table *t, uint64_t hash)
{
	size_t i = hash & (2 * t->stride - 1);
	return i < t->size ? i : i - t->stride;
}

/* The first element of the chain where elements with this hash live, or NULL. */
static inline void *hash_table_first(const struct hash_table *t, uint64_t hash)
{
	return t->size ? t->buckets[hash_table_index(t, hash)] : NULL;
}

/* The address of that chain's head, or NULL (to prefetch it). */
static inline void *const *hash_table_slot(const struct hash_table *t, uint64_t hash)
{
	return t->size ? &t->buckets[hash_table_index(t, hash)] : NULL;
}

/* The bytes the buckets take (allocated, not only in use). */
static inline size_t hash_table_bytes(const struct hash_table *t)
{
	return t->capacity * sizeof(*t->buckets);
}

/* Adds element (not already in the table) under hash, first splitting one bucket if needed. False when
 * out of memory: the element is then not in the table. */
bool hash_table_insert(struct hash_table *t, void *element, uint64_t hash);
/* Takes element (inserted with hash) out of the table. False if it was not there. */
bool hash_table_remove(struct hash_table *t, void *element, uint64_t hash);
/* Empties bucket i < t->size and returns its chain, still linked (to free a table a bucket
 * at a time without hashing anything again). */
void *hash_table_take_bucket(struct hash_table *t, size_t i);

struct hash_table_iter {
	size_t bucket; /* the next bucket to look at */
	void *next;    /* the next element to return */
};

void hash_table_iter_init(const struct hash_table *t, struct hash_table_iter *it);
/* The next element, or NULL at the end. */
void *hash_table_iter_next(const struct hash_table *t, struct hash_table_iter *it);

#endif
