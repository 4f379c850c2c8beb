/*
 * DOC: memory pools with accounting.
 *
 * A pool hands out objects of one size from large slabs, with a free list for reuse: no
 * per-object malloc header, so a route costs what its struct costs. Every pool has a name and
 * counts what it holds, and its slabs count against its owner (lib/memory.h), so `show memory`
 * can say where memory goes (the BIRD habit).
 */
#ifndef TERN_LIB_POOL_H
#define TERN_LIB_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "lib/memory.h"

struct pool_slab;

struct pool {
	const char *name;
	enum memory_owner owner;
	size_t object_size;
	size_t objects_per_slab;
	struct pool_slab *slabs;
	void *free_list;
	size_t in_use;      /* objects handed out */
	size_t slab_count;
	struct pool *next;  /* all pools, for pool_report() */
};

void pool_init(struct pool *pool, enum memory_owner owner, const char *name, size_t object_size);
/* Zeroed object, or NULL when memory is exhausted. */
void *pool_alloc(struct pool *pool);
void pool_free(struct pool *pool, void *object);
/* Calls visit on every object slot carved so far, slab by slab in memory order: the objects
 * handed out and those freed since (a freed object's first pointer is the free list's; the
 * caller tells them apart by a field it clears before pool_free). Reads memory in sequence,
 * for walks that would otherwise chase pointers all over the pool (lib/hash_table.h). */
void pool_each_slot(const struct pool *pool, void (*visit)(void *object, void *ctx), void *ctx);
/* Frees every slab; objects must no longer be used. */
void pool_destroy(struct pool *pool);
/* Bytes the pool holds from the system. */
size_t pool_bytes(const struct pool *pool);
/* The first of all initialised pools (walk with ->next). */
struct pool *pool_all(void);

#endif
