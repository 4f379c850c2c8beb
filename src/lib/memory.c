/* DOC: memory accounting by owner (see memory.h). */
#include "lib/memory.h"

#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>

static const char *const owner_names[MEMORY_OWNER_COUNT] = {
	[MEMORY_BGP_RIB] = "bgp rib",
	[MEMORY_BGP_ATTRIBUTES] = "bgp attributes",
	[MEMORY_BGP_ADJ_RIB_IN] = "bgp adj-rib-in",
	[MEMORY_BGP_EXPORT] = "bgp export",
	[MEMORY_BGP] = "bgp sessions",
	[MEMORY_CORE] = "core",
	[MEMORY_KERNEL] = "kernel",
	[MEMORY_OSPF] = "ospf",
	[MEMORY_RIP] = "rip",
	[MEMORY_POLICY] = "policy",
	[MEMORY_CONFIG] = "config",
	[MEMORY_CTL] = "ctl",
	[MEMORY_OTHER] = "other",
};

static struct memory_usage usage[MEMORY_OWNER_COUNT];

static enum memory_owner valid(enum memory_owner owner)
{
	return (unsigned)owner < MEMORY_OWNER_COUNT ? owner : MEMORY_OTHER;
}

const char *memory_owner_name(enum memory_owner owner)
{
	return owner_names[valid(owner)];
}

struct memory_usage memory_usage(enum memory_owner owner)
{
	return usage[valid(owner)];
}

void memory_account(enum memory_owner owner, ptrdiff_t bytes, ptrdiff_t allocations)
{
	struct memory_usage *u = &usage[valid(owner)];
	u->bytes += (size_t)bytes;
	u->allocations += (size_t)allocations;
	if (u->bytes > u->peak_bytes)
		u->peak_bytes = u->bytes;
}

void *memory_alloc(enum memory_owner owner, size_t size)
{
	void *block = malloc(size ? size : 1);
	if (block)
		memory_account(owner, (ptrdiff_t)malloc_usable_size(block), 1);
	return block;
}

void *memory_calloc(enum memory_owner owner, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		return NULL;
	void *block = calloc(count ? count : 1, size ? size : 1);
	if (block)
		memory_account(owner, (ptrdiff_t)malloc_usable_size(block), 1);
	return block;
}

void *memory_realloc(enum memory_owner owner, void *block, size_t size)
{
	if (!block)
		return memory_alloc(owner, size);
	size_t old = malloc_usable_size(block);
	void *grown = realloc(block, size ? size : 1);
	if (grown)
		memory_account(owner, (ptrdiff_t)malloc_usable_size(grown) - (ptrdiff_t)old, 0);
	return grown;
}

void memory_free(enum memory_owner owner, void *block)
{
	if (!block)
		return;
	memory_account(owner, -(ptrdiff_t)malloc_usable_size(block), -1);
	free(block);
}
