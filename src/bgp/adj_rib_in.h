/*
 * DOC: a peer's Adj-RIB-In as the peer sent it (pre-policy), inside the BGP module.
 *
 * Which RIBs are stored is decided in bgp.h ("Adj-RIB-In and Adj-RIB-Out"); this is the one
 * stored copy: for a peer with `neighbor A soft-reconfiguration inbound`, every prefix the
 * peer announced, with the attributes it came with, before any import policy. It is a map
 * prefix -> interned attribute set (attrs.h), so it costs a prefix and a pointer per route:
 * the attribute sets are the same interned copies the Loc-RIB uses (a route that no set
 * clause changed shares its one set with its Loc-RIB path).
 *
 * Layout: one chained hash table per address family, entries from pools shared by every
 * peer's store (struct bgp_adj_rib_in_pools, owned by the RIB), so `show memory` counts them
 * as "bgp adj-rib-in IPv4/IPv6". A table only grows, its stride never shrinking
 * (lib/hash_table.h), which is what lets a cursor walk it a slice at a time with the same promises as the Loc-RIB's cursor (rib.h).
 */
#ifndef TERN_BGP_ADJ_RIB_IN_H
#define TERN_BGP_ADJ_RIB_IN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bgp/attrs.h"
#include "lib/pool.h"

/* The entry pools of every peer's store (made at first use). */
struct bgp_adj_rib_in_pools {
	struct pool v4, v6;
	bool ready;
	struct bgp_adj_rib_in *retiring; /* stores no peer has any more, being freed */
};
/* Frees the retiring stores too, all at once. */
void bgp_adj_rib_in_pools_free(struct bgp_adj_rib_in_pools *pools);

struct bgp_adj_rib_in;

/* An empty store whose entries come from pools and hold references into attrs; NULL when
 * memory is short. */
struct bgp_adj_rib_in *bgp_adj_rib_in_create(struct bgp_adj_rib_in_pools *pools, struct bgp_attrs_table *attrs);
/* Drops every entry (and its reference) and the store. NULL is fine. */
void bgp_adj_rib_in_destroy(struct bgp_adj_rib_in *in);
/* A full store's million entries take longer to free than a loop iteration may: a store no
 * peer has any more (session down, soft-reconfiguration off) retires into the pools and is
 * freed a step at a time (the route engine, bgp_adj_rib_in_release_step). A cursor on it
 * ends (a store's id is never reused). */
void bgp_adj_rib_in_retire(struct bgp_adj_rib_in_pools *pools, struct bgp_adj_rib_in *in);
/* Frees about `buckets` buckets of retiring stores' entries, and the stores emptied; true
 * while some remain. */
bool bgp_adj_rib_in_release_step(struct bgp_adj_rib_in_pools *pools, size_t buckets);

/* The prefix as received now carries attrs (a reference is taken; an older one is dropped).
 * False when memory is short (the prefix is then not stored). */
bool bgp_adj_rib_in_set(struct bgp_adj_rib_in *in, const struct prefix *prefix, struct bgp_path_attrs *attrs);
/* Prefixes that could not be stored (memory) since the store was made or the count cleared:
 * while it is not zero, the store is not what the peer sent. */
size_t bgp_adj_rib_in_lost(const struct bgp_adj_rib_in *in);
/* The peer is asked for everything again (ROUTE-REFRESH): the count starts again. */
void bgp_adj_rib_in_clear_lost(struct bgp_adj_rib_in *in);
/* The prefix was withdrawn (nothing happens if it was not there). */
void bgp_adj_rib_in_remove(struct bgp_adj_rib_in *in, const struct prefix *prefix);
/* The attributes the prefix was received with, or NULL. */
struct bgp_path_attrs *bgp_adj_rib_in_lookup(const struct bgp_adj_rib_in *in, const struct prefix *prefix);
/* Routes stored, both families. */
size_t bgp_adj_rib_in_count(const struct bgp_adj_rib_in *in);
/* Bytes this store holds: its entries and its bucket arrays (the attribute sets are shared
 * with the Loc-RIB and counted there). */
size_t bgp_adj_rib_in_bytes(const struct bgp_adj_rib_in *in);

/* Calls fn for every stored route of a family in no particular order, in one go. fn must not
 * change the store. */
void bgp_adj_rib_in_walk(const struct bgp_adj_rib_in *in, uint8_t family,
			 void (*fn)(void *ctx, const struct prefix *prefix, struct bgp_path_attrs *attrs), void *ctx);

/* A cursor over one family, a slice at a time (rib.h has the promises: a route stored for the
 * whole walk is visited once, one added or removed meanwhile at most once). It keeps no
 * pointer: each step is given the store as it is now, and a store that is not the one the
 * walk began on (freed and made again meanwhile) ends the walk. */
struct bgp_adj_rib_in_cursor {
	uint64_t store_id;
	size_t base, next;
	uint8_t family;
};
void bgp_adj_rib_in_cursor_open(const struct bgp_adj_rib_in *in, struct bgp_adj_rib_in_cursor *cursor,
				uint8_t family);
/* Visits whole units until about `buckets` buckets were looked at; true while routes remain. */
bool bgp_adj_rib_in_cursor_step(const struct bgp_adj_rib_in *in, struct bgp_adj_rib_in_cursor *cursor,
				size_t buckets,
				void (*fn)(void *ctx, const struct prefix *prefix, struct bgp_path_attrs *attrs),
				void *ctx);

#endif
