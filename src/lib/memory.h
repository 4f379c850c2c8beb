/*
 * DOC: memory accounting by owner, so `show memory` can say where every byte went.
 *
 * Each module owns a line in a fixed table (below); the lib's containers (hash tables,
 * arrays, pools) and the thin allocator wrapper memory_alloc()/memory_free() count the bytes
 * and blocks they hold from the system against that line. The table is fixed at compile time
 * so that `show memory` lists every owner, also those that hold nothing yet.
 *
 * Bytes are what malloc says it gave (malloc_usable_size), not what was asked for, so a
 * module's line is what it really costs, not counting malloc's own headers. One thread: the
 * counters are plain integers (a second thread would need its own table or atomics).
 */
#ifndef TERN_LIB_MEMORY_H
#define TERN_LIB_MEMORY_H

#include <stddef.h>

enum memory_owner {
	MEMORY_BGP_RIB,        /* Loc-RIB prefixes, paths and their hash tables */
	MEMORY_BGP_ATTRIBUTES, /* interned path attribute sets */
	MEMORY_BGP_ADJ_RIB_IN, /* peers' pre-policy routes (soft-reconfiguration inbound) */
	MEMORY_BGP_EXPORT,     /* UPDATE packing: groups of prefixes per attribute set */
	MEMORY_BGP,            /* sessions, peers, buffers */
	MEMORY_CORE,           /* the protocol-independent routing table */
	MEMORY_KERNEL,         /* netlink: installed routes, links, addresses, requests */
	MEMORY_OSPF,
	MEMORY_RIP,
	MEMORY_POLICY,
	MEMORY_CONFIG,
	MEMORY_CTL,            /* the control socket: clients and replies */
	MEMORY_OTHER,          /* whatever no module claims (tests, tools) */
	MEMORY_OWNER_COUNT
};

struct memory_usage {
	size_t bytes;       /* held now */
	size_t allocations; /* blocks held now */
	size_t peak_bytes;  /* the most held at once */
};

/* "bgp rib", "core", ...: the name `show memory` prints. */
const char *memory_owner_name(enum memory_owner owner);
struct memory_usage memory_usage(enum memory_owner owner);

/* malloc, calloc (count * size, overflow checked), realloc and free, counted against owner.
 * A block must be freed or reallocated with the owner that allocated it. NULL on failure,
 * and then nothing changes (realloc keeps the old block). */
void *memory_alloc(enum memory_owner owner, size_t size);
void *memory_calloc(enum memory_owner owner, size_t count, size_t size);
void *memory_realloc(enum memory_owner owner, void *block, size_t size);
void memory_free(enum memory_owner owner, void *block);

/* For allocators of their own (pools): bytes and blocks taken (positive) or given back
 * (negative). */
void memory_account(enum memory_owner owner, ptrdiff_t bytes, ptrdiff_t allocations);

#endif
