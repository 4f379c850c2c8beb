/*
 * DOC: what the files of the core module share (not for other modules).
 */
#ifndef TERN_CORE_CORE_INTERNAL_H
#define TERN_CORE_CORE_INTERNAL_H

#include <time.h>

#include "core/core.h"
#include "lib/hash_table.h"

#define CORE_KERNEL_METRIC 20
#define CORE_CACHE_SLOTS 256
#define CORE_RESOLVE_DEPTH 4

struct core_entry {
	struct core_entry *hash_next;
	struct config_prefix prefix;
	struct core_route_info *candidates[CORE_PROTO_COUNT];
	uint64_t since_ms[CORE_PROTO_COUNT]; /* CLOCK_MONOTONIC ms when the candidate appeared */
};

struct core_table {
	struct hash_table table; /* of core_entry, chained through hash_next */
	uint32_t lengths[5]; /* bit n: some entry has prefix length n (0..128) */
};

struct cache_slot {
	struct ip_addr addr;
	uint32_t generation;
	bool resolved;
	uint32_t metric;
	struct core_nexthop nexthop;
};

struct core {
	uv_loop_t *loop;
	struct kernel *kernel;
	struct bgp_speaker *bgp;
	struct core_table v4, v6;
	uint32_t generation;
	struct cache_slot cache[CORE_CACHE_SLOTS];
	uv_check_t settle;
	/* Active while a change waits for settle: a change made in a timer callback (an OSPF SPF, a
	 * RIP update) would otherwise wait in the poll phase for whatever wakes the loop next, up
	 * to a second, before BGP hears of it (an IBGP session's first connect waits on it). */
	uv_idle_t wake;
	bool settling;
	bool changed;
	void (*change_hook)(void *ctx);
	void *change_ctx;
	struct config_static_route *statics;
	bool *static_usable;                 /* per static route, from the last refresh */
	struct core_route_info *static_info; /* what it would put in the table */
	size_t static_count;
};

/* CLOCK_MONOTONIC in milliseconds (route ages). */
uint64_t core_now_ms(void);

/* The entry of exactly this prefix (host bits zero), or NULL (show_route.c). */
const struct core_entry *core_entry_find(struct core *core, const struct config_prefix *prefix);

#endif
