/*
 * DOC: the BGP routing information bases (inside the BGP module; bgp.h offers them out).
 *
 * Data model, chosen for a full table (DESIGN.md principles 4-5):
 * - struct bgp_path_attrs: an interned, reference-counted attribute set. Its key is the
 *   attribute set normalised (RFC 6793 merge done, 4-octet ASNs, canonical order, NEXT_HOP
 *   and MP attributes taken out) plus the next hop, so every route with the same attributes
 *   from any peer shares one copy. The fields the decision process reads are decoded once,
 *   when the set is interned.
 * - struct bgp_route: one prefix in the Loc-RIB, with its candidate paths in a singly linked
 *   list, the best one first. A path is 24 bytes: next, attributes, peer.
 * - No Adj-RIB-In copies (unless soft-reconfiguration inbound asks, later) and no stored
 *   Adj-RIB-Out: what a peer was sent is a pure function of the best path and the peer
 *   (export.c), so withdrawals and refreshes are computed, not remembered.
 * - Work in batches: an UPDATE marks prefixes dirty (remembering the old best); at the end
 *   of a route engine slice (route_engine.c) bgp_rib_commit() runs the decision for dirty
 *   prefixes only and hands changes to every peer's update packer and to the routing table.
 */
#ifndef TERN_BGP_RIB_H
#define TERN_BGP_RIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"
#include "lib/pool.h"
#include "lib/prefix.h" /* a prefix as the UPDATE carried it */
#include "wire/bgp.h"
#include "wire/bgp_attr.h"

struct bgp_peer;
struct bgp_speaker;

enum bgp_path_attrs_flag {
	BGP_PA_MED = 1 << 0,
	BGP_PA_LOCAL_PREF = 1 << 1,
	BGP_PA_ORIGINATOR_ID = 1 << 2,
	BGP_PA_NO_EXPORT = 1 << 3,
	BGP_PA_NO_ADVERTISE = 1 << 4,
	BGP_PA_NO_EXPORT_SUBCONFED = 1 << 5,
	BGP_PA_ATOMIC_AGGREGATE = 1 << 6,
	BGP_PA_NEXT_HOP_LINK_LOCAL = 1 << 7,
};

struct bgp_path_attrs {
	struct bgp_path_attrs *hash_next;
	uint32_t hash;
	uint32_t refcount;
	uint32_t local_pref;     /* 100 when absent (IOS default) */
	uint32_t med;            /* 0 when absent */
	uint32_t neighbor_as;    /* first AS of the path, 0 for an empty path */
	uint32_t originator_id;
	uint32_t next_hop_generation;
	uint32_t igp_metric;        /* cost to the next hop, valid with the generation */
	uint16_t as_path_length; /* RFC 4271 §9.1.2.2 a */
	uint16_t cluster_list_length;
	uint16_t key_len;
	uint8_t origin;
	uint8_t flags;           /* enum bgp_path_attrs_flag */
	uint8_t next_hop_family; /* AF_INET or AF_INET6 */
	uint8_t next_hop_resolved;  /* valid for next_hop_generation */
	/* key: next hop (4 or 16 octets, +16 with a link-local address), then the normalised
	 * attributes as they would go on the wire to a 4-octet AS peer. */
	uint8_t key[];
};

struct bgp_path {
	struct bgp_path *next;
	struct bgp_path_attrs *attrs;
	struct bgp_peer *peer;   /* NULL for locally originated paths */
};

enum bgp_route_flag {
	BGP_ROUTE_DIRTY = 1 << 0,
};

struct bgp_route {
	struct bgp_route *hash_next;
	struct bgp_path *paths;  /* best first, when best_valid */
	uint8_t family;          /* AF_INET or AF_INET6 */
	uint8_t len;
	uint8_t flags;
	uint8_t best_valid;      /* paths->... is a usable best path */
	uint8_t addr[];          /* 4 or 16 octets, network order */
};

struct bgp_rib_stats {
	size_t routes, paths, attrs;
	size_t bytes; /* memory held by the RIB's pools and tables */
};

struct bgp_rib;

struct bgp_rib *bgp_rib_create(struct bgp_speaker *speaker);
void bgp_rib_destroy(struct bgp_rib *rib);

/* An UPDATE body's parts from an Established peer: decodes the attributes (RFC 7606), interns
 * them and applies withdrawals and announcements (IPv4 NLRI and MP_REACH/MP_UNREACH for IPv4
 * and IPv6 unicast). Returns false with err set when the session must be reset; treat-as-
 * withdraw errors withdraw the UPDATE's prefixes and return true. */
bool bgp_rib_update(struct bgp_rib *rib, struct bgp_peer *peer, const struct bgp_update_parts *parts,
		    struct bgp_error *err);
/* A hint before UPDATEs are applied: fetch into the cache the prefix-table buckets (first)
 * or chains (next) the UPDATE with this body will touch. Changes nothing; any bytes are safe. */
enum bgp_rib_prefetch { BGP_RIB_PREFETCH_BUCKETS, BGP_RIB_PREFETCH_CHAINS };
void bgp_rib_prefetch(struct bgp_rib *rib, const uint8_t *body, size_t len, enum bgp_rib_prefetch stage);
/* Every path of the peer goes (session down), all at once; the route engine uses the
 * step-wise form (internal.h, bgp_rib_peer_down_step). */
void bgp_rib_peer_down(struct bgp_rib *rib, struct bgp_peer *peer);
/* A session came up: the whole table goes out to it, then End-of-RIB. Also for a refresh.
 * True when the dump goes on from the route engine (bgp_export_dump_continue). */
bool bgp_rib_peer_send_table(struct bgp_rib *rib, struct bgp_peer *peer);
/* End of a batch: decision for dirty prefixes, each decision handed to the consumer. */
void bgp_rib_commit(struct bgp_rib *rib);

/* Where the decisions of bgp_rib_commit() go: the route engine installs it (route_engine.c)
 * and turns them into export and aggregate work. The Loc-RIB decides and reports; it knows
 * nothing of who sends what (the layers, bgp.h). */
struct bgp_rib_consumer {
	/* A dirty route was decided: best is its best path now (NULL: none), old_attrs and
	 * old_peer what was best before the batch (old_attrs NULL if nothing was); changed when
	 * the best path is another one. */
	void (*decided)(struct bgp_speaker *speaker, const struct bgp_route *route,
			struct bgp_path_attrs *old_attrs, struct bgp_peer *old_peer,
			const struct bgp_path *best, bool changed);
	/* Every dirty route of the batch decided: the consumer may make more routes dirty (an
	 * aggregate whose attributes changed), and they are decided in this same commit. */
	void (*batch_decided)(struct bgp_speaker *speaker);
	/* The commit is over: what it changed goes out. */
	void (*committed)(struct bgp_speaker *speaker);
};
void bgp_rib_set_consumer(struct bgp_rib *rib, const struct bgp_rib_consumer *consumer);

/* Locally originated routes (network statements, redistribution): between begin and end,
 * every route that should exist is named once; those not named are withdrawn at the end,
 * and the batch is committed. origin is BGP_ORIGIN_IGP for network statements (IOS) and
 * BGP_ORIGIN_INCOMPLETE for redistribution. */
void bgp_rib_originate_begin(struct bgp_rib *rib);
void bgp_rib_originate(struct bgp_rib *rib, const struct prefix *prefix, uint8_t origin, bool has_med,
		       uint32_t med);
void bgp_rib_originate_end(struct bgp_rib *rib);

/* Lookups for show. */
struct bgp_route *bgp_rib_lookup(struct bgp_rib *rib, const struct prefix *prefix);
/* Calls fn for every route of a family in no particular order; fn returns false to stop. */
void bgp_rib_walk(struct bgp_rib *rib, uint8_t family, bool (*fn)(void *ctx, struct bgp_route *route),
		  void *ctx);

/*
 * A cursor walks one family's routes a slice at a time, across loop iterations, while UPDATEs
 * keep changing the table: `show ip bgp` and `show ip route` stream a full table through one
 * without holding the daemon's loop (ctl/show_bgp_routes.c, core/show_route.c), and a new
 * peer is sent the table through one as its socket drains (export.c).
 *
 * It holds no route pointer between slices, only a position in hash space: "the routes
 * whose hash modulo base is below next are done", base being the table's stride when the
 * walk began (lib/hash_table.h). The stride only ever grows, and a route lives in a bucket
 * equal to its hash modulo the stride; so however often the table grew, the routes with hash
 * modulo base == j lie in buckets j, j + base, j + 2 base... and the cursor visits those
 * buckets together, as one unit, within one slice. Nothing is frozen: buckets split between
 * slices just make later units wider.
 * Hence, between two slices routes may come, go and the table may grow, and:
 * - a prefix in the table for the whole walk is visited exactly once;
 * - a prefix added or removed during the walk is visited at most once (or not at all);
 * - freeing any route between slices, the one visited last included, is safe.
 * fn must not add or remove routes itself. The RIB is passed to every step (the cursor keeps
 * no pointer to it); a cursor needs no closing.
 */
struct bgp_rib_cursor {
	size_t base;    /* the table's stride when the walk began; 0: nothing to walk */
	size_t next;    /* the next unit: hash modulo base */
	uint8_t family;
};

void bgp_rib_cursor_open(struct bgp_rib *rib, struct bgp_rib_cursor *cursor, uint8_t family);
/* Visits whole units until about `buckets` buckets were looked at (at least one unit).
 * Returns true while routes remain to walk, false once the walk is complete. */
bool bgp_rib_cursor_step(struct bgp_rib *rib, struct bgp_rib_cursor *cursor, size_t buckets,
			 void (*fn)(void *ctx, struct bgp_route *route), void *ctx);
void bgp_rib_stats(const struct bgp_rib *rib, struct bgp_rib_stats *stats);

/* Decoded view of an interned set (pointers into attrs->key); for show and export. */
bool bgp_path_attrs_decode(const struct bgp_path_attrs *attrs, struct bgp_attrs *out);
void bgp_path_attrs_next_hop(const struct bgp_path_attrs *attrs, struct ip_addr *out);
/* A next hop of all zeroes: a locally originated route. */
bool bgp_path_attrs_next_hop_is_self(const struct bgp_path_attrs *attrs);
/* Is the path a candidate (its next hop resolves, RFC 4271 §9.1.2)? */
bool bgp_path_usable(struct bgp_rib *rib, const struct bgp_path *path);

/* The best of count candidate paths by the elimination of RFC 4271 §9.1.2.2 in the IOS order
 * (decide.c); MED is compared only within a neighbouring AS unless always_compare_med. */
struct bgp_path *bgp_path_select(struct bgp_path **set, size_t count, bool always_compare_med);
/* Decision (decide.c): <0 when a is better than b (RFC 4271 §9.1.2.2 and the IOS order).
 * reason (if not NULL) gets why the loser lost. */
int bgp_path_compare(const struct bgp_path *a, const struct bgp_path *b, const char **reason);

#endif
