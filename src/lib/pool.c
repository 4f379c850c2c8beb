/* DOC: slab pools (see pool.h). */
#include "pool.h"

#include <stdlib.h>
#include <string.h>

#define POOL_SLAB_BYTES (256 * 1024)

struct pool_slab {
	struct pool_slab *next;
	size_t used; /* objects carved from this slab so far */
	max_align_t objects[];
};

static struct pool *all_pools;

static size_t slab_bytes(const struct pool *pool)
{
	return sizeof(struct pool_slab) + pool->objects_per_slab * pool->object_size;
}

void pool_init(struct pool *pool, enum memory_owner owner, const char *name, size_t object_size)
{
	memset(pool, 0, sizeof(*pool));
	pool->name = name;
	pool->owner = owner;
	size_t align = sizeof(void *);
	if (object_size < sizeof(void *))
		object_size = sizeof(void *);
	pool->object_size = (object_size + align - 1) / align * align;
	pool->objects_per_slab = (POOL_SLAB_BYTES - sizeof(struct pool_slab)) / pool->object_size;
	if (pool->objects_per_slab == 0)
		pool->objects_per_slab = 1;
	pool->next = all_pools;
	all_pools = pool;
}

void *pool_alloc(struct pool *pool)
{
	void *object;
	if (pool->free_list) {
		object = pool->free_list;
		pool->free_list = *(void **)object;
	} else {
		struct pool_slab *slab = pool->slabs;
		if (!slab || slab->used == pool->objects_per_slab) {
			slab = malloc(sizeof(*slab) + pool->objects_per_slab * pool->object_size);
			if (!slab)
				return NULL;
			slab->next = pool->slabs;
			slab->used = 0;
			pool->slabs = slab;
			pool->slab_count++;
			memory_account(pool->owner, (ptrdiff_t)slab_bytes(pool), 1);
		}
		object = (char *)slab->objects + slab->used++ * pool->object_size;
	}
	pool->in_use++;
	memset(object, 0, pool->object_size);
	return object;
}

void pool_free(struct pool *pool, void *object)
{
	if (!object)
		return;
	*(void **)object = pool->free_list;
	pool->free_list = object;
	pool->in_use--;
}

void pool_each_slot(const struct pool *pool, void (*visit)(void *object, void *ctx), void *ctx)
{
	for (const struct pool_slab *slab = pool->slabs; slab; slab = slab->next)
		for (size_t i = 0; i < slab->used; i++)
			visit((char *)slab->objects + i * pool->object_size, ctx);
}

void pool_destroy(struct pool *pool)
{
	for (struct pool_slab *slab = pool->slabs, *next; slab; slab = next) {
		next = slab->next;
		free(slab);
		memory_account(pool->owner, -(ptrdiff_t)slab_bytes(pool), -1);
	}
	pool->slabs = NULL;
	pool->free_list = NULL;
	pool->in_use = 0;
	pool->slab_count = 0;
	for (struct pool **p = &all_pools; *p; p = &(*p)->next)
		if (*p == pool) {
			*p = pool->next;
			break;
		}
}

size_t pool_bytes(const struct pool *pool)
{
	return pool->slab_count * slab_bytes(pool);
}

struct pool *pool_all(void)
{
	return all_pools;
}
