/*
 * DOC: what the files of the core module share (not for other modules).
 */
#ifndef TERN_CORE_CORE_INTERNAL_H
#define TERN_CORE_CORE_INTERNAL_H

#include <sys/socket.h>
#include <time.h>

#include "core/core.h"
#include "lib/hash.h"
#include "lib/hash_table.h"

/* Next hops come from peers' NEXT_HOP attributes: a keyed hash (lib/hash.h), over the
 * octets ip_addr_equal() compares; an IPv4 address is one multiply-add-shift word. */
static inline uint64_t core_addr_hash(const struct ip_addr *addr)
{
	if (addr->family != AF_INET6)
		return hash_keyed_word((uint64_t)addr->bytes[0] | ((uint64_t)addr->bytes[1] << 8) |
				       ((uint64_t)addr->bytes[2] << 16) | ((uint64_t)addr->bytes[3] << 24)) ^ addr->family;
	return hash_keyed(addr->bytes, sizeof(addr->bytes)) ^ addr->family;
}

#define CORE_KERNEL_METRIC 20
#define CORE_CACHE_SLOTS 256
#define CORE_RESOLVE_DEPTH 4

struct core_entry {
	struct core_entry *hash_next;
	struct prefix prefix;
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

/* A route source (core.h); owned by the core from attach to core_destroy. */
struct core_source {
	struct core *core;
	struct core_source *owned_next;
	enum core_protocol protocol;
	const struct core_source_ops *ops;
	void *ctx;
	bool attached;
};

struct core_subscription {
	struct core_subscription *next;
	struct core *core;
	uint32_t candidates, winners;           /* CORE_PROTO_BIT masks */
	const struct core_subscriber_ops *ops; /* NULL: unsubscribed, freed when none is delivering */
	void *ctx;
	bool pending;                          /* batch_end is due */
};

/* One address a tracker watches, with the answer it was given. */
struct core_watch {
	struct ip_addr addr;   /* family 0: a free slot */
	bool resolved;
	bool explicit_watch;   /* named by the tracker's watch callback: kept across notifications */
	bool fresh;            /* never compared: counts as changed */
	bool mixed;            /* asked again meanwhile and answered differently */
	uint32_t metric;
	struct core_nexthop nexthop;
};

struct core_nexthop_tracker {
	struct core_nexthop_tracker *next;
	struct core *core;
	const struct core_nexthop_tracker_ops *ops; /* NULL: untracked, freed when none is checking */
	void *ctx;
	struct core_watch *slots;                   /* open addressing, size a power of two */
	size_t size, count;                         /* count: at most CORE_WATCHES_MAX */
	bool full_logged;                           /* the cap was met and the log says so */
};

/* Addresses one tracker's table remembers: far above the next hops of any real set of peers;
 * past it an answer is still given but not remembered (its changes are not told), and the
 * log says so once. */
#define CORE_WATCHES_MAX (1u << 20)

struct core {
	uv_loop_t *loop;
	struct kernel *kernel;
	struct core_source *sources[CORE_PROTO_COUNT]; /* attached, by protocol */
	struct core_source *owned_sources;             /* every source ever attached */
	struct core_subscription *subscriptions;
	uint32_t candidate_mask, winner_mask;          /* union of the subscriptions' */
	bool delivering;                               /* inside a subscriber's callback */
	bool events_pending;                           /* some subscription's batch_end is due */
	struct core_nexthop_tracker *trackers;
	bool checking;                                 /* inside a tracker's callback */
	bool repush_sources;                           /* settle puts every source route in the kernel again */
	struct core_table v4, v6;
	uint32_t generation;
	struct cache_slot cache[CORE_CACHE_SLOTS];
	uv_check_t settle;
	/* Active while a change waits for settle: a change made in a timer callback (an OSPF SPF, a
	 * RIP update) would otherwise wait in the poll phase for whatever wakes the loop next, up
	 * to a second, before BGP hears of it (an IBGP session's first connect waits on it). */
	uv_idle_t wake;
	int open_handles; /* core_destroy: handles the loop has still to close */
	bool settling;
	bool changed;
	struct config_static_route *statics;
	bool *static_usable;                 /* per static route, from the last refresh */
	struct core_route_info *static_info; /* what it would put in the table */
	size_t static_count;
};

/* CLOCK_MONOTONIC in milliseconds (route ages). */
uint64_t core_now_ms(void);

/* The entry of exactly this prefix (host bits zero), or NULL (show_route.c). */
const struct core_entry *core_entry_find(struct core *core, const struct prefix *prefix);

/* How an address resolves now (core.c): the gateway and interface a packet leaves by. */
bool core_resolve_answer(struct core *core, const struct ip_addr *addr, struct core_nexthop *nexthop,
			 uint32_t *metric);
/* Keeps the loop from blocking before the settle pass has run (core.c). */
void core_wake(struct core *core);

/* Events (events.c): delivered at once to the subscriptions that want them; batch_end from
 * the settle pass. */
void core_events_candidate(struct core *core, const struct prefix *prefix, enum core_protocol protocol,
			   bool present, uint32_t metric, bool local);
void core_events_winner(struct core *core, const struct prefix *prefix, enum core_protocol previous,
			enum core_protocol now, uint32_t metric);
void core_events_batch_end(struct core *core);
void core_events_free(struct core *core);

/* Next-hop tracking (nexthop.c), from the settle pass after the table changed: true if some
 * tracker was told that an answer changed. */
bool core_nexthops_check(struct core *core);
void core_nexthops_free(struct core *core);

/* A source's walk of one family, whole (core.c). */
void core_source_walk(struct core_source *source, uint8_t family, void (*fn)(void *ctx, const void *handle),
		      void *ctx);

#endif
