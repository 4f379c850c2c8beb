/*
 * DOC: the Loc-RIB: prefixes, their candidate paths, UPDATE processing, the decision run.
 *
 * See rib.h for the model. Prefixes live in one hash table per address family, chained
 * through bgp_route.hash_next; routes and paths come from pools, so a path costs its 24
 * bytes. bgp_rib_update() applies one UPDATE; it marks prefixes dirty and remembers their
 * old best path. bgp_rib_commit() then decides each dirty prefix once and hands the change
 * to its consumer (rib.h): the route engine, which gives it to export (every peer's UPDATE
 * packer, the routing table) and to the aggregates.
 */
#include "bgp/internal.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "bgp/adj_rib_in.h"
#include "bgp/attrs.h"
#include "lib/hash.h"
#include "lib/hash_table.h"
#include "lib/log.h"

struct route_table {
	struct hash_table table; /* of bgp_route, chained through hash_next */
	struct pool pool;
	uint8_t addr_len;
};

struct dirty_route {
	struct bgp_route *route;
	struct bgp_path_attrs *old_attrs; /* the old best's attributes (a reference), or NULL */
	struct bgp_peer *old_peer;
	bool had_best;
};

/* A network statement's or a redistributed route's prefix (bgp_rib_originate). */
struct local_route {
	struct prefix prefix;
	uint8_t origin;
	bool has_med;
	uint32_t med;
	bool fresh;
};

/* The decision queue holds each route at most once (BGP_ROUTE_DIRTY): a cap far above any
 * table, so that growth past it is an error value, not an abort. */
#define BGP_DIRTY_MAX ((size_t)1 << 26)
/* Network statements and redistributed routes: as many as the configuration and the core's
 * table give, a full table at most. */
#define BGP_LOCAL_ROUTES_MAX ((size_t)1 << 24)

/* Import policy state of the UPDATE being applied (bgp_rib_update, filter.c). */
#define IMPORT_CACHE 8
struct import_state {
	const struct bgp_attrs *attrs;          /* the UPDATE's decoded attributes */
	const struct bgp_next_hop *next_hop;
	struct {
		const struct policy_route_map_entry *entry;
		struct bgp_path_attrs *attrs;   /* the set clauses applied, interned (a reference) */
	} cache[IMPORT_CACHE];
	size_t cached;
	uint64_t denied;
	uint8_t buf[8192];                      /* set clauses' communities and AS path */
};

struct bgp_rib {
	struct bgp_speaker *speaker;
	struct import_state import;
	struct array local;           /* of struct local_route: network statements and redistribution (below) */
	struct bgp_adj_rib_in_pools adj_rib_in; /* entries of the peers' pre-policy stores */
	struct bgp_attrs_table attrs;
	struct route_table v4, v6;
	struct pool paths;
	struct array dirty;           /* of struct dirty_route: the prefixes this batch touched */
	uint32_t next_hop_generation;
	const struct bgp_rib_consumer *consumer; /* where decisions go (NULL: nowhere) */
	uint8_t merge_buf[BGP_MAX_EXTENDED_MESSAGE];
};

static inline struct dirty_route *dirty_routes(const struct bgp_rib *rib)
{
	return rib->dirty.items;
}

static uint64_t route_hash(const void *route);
static hash_table_walk_fn route_table_walk;

static void route_table_init(struct route_table *t, const char *name, uint8_t addr_len)
{
	memset(t, 0, sizeof(*t));
	t->addr_len = addr_len;
	/* At most one route per bucket on average: a full table's buckets cost 8 MB, and a new
	 * prefix (what loading a table is made of) seldom walks a chain. Chains of two saved 4 MB
	 * and cost a fifth of the load time in cache misses (measured, make bench). Growth walks
	 * the pool (route_table_walk) up to 2^19 buckets: the last such doubling moves 256k
	 * routes in about 5 ms; from there on the table splits a batch of buckets per insert. */
	struct hash_table_options options = {
		.initial_size = 4096,
		.max_load = 1,
		.element_bytes = offsetof(struct bgp_route, addr) + addr_len,
		.walk = route_table_walk,
		.whole_doublings_below = (size_t)1 << 19,
	};
	hash_table_init(&t->table, MEMORY_BGP_RIB, offsetof(struct bgp_route, hash_next), route_hash, &options);
	/* offsetof, not sizeof: the address starts in the struct's tail padding, so an IPv4
	 * route is 24 bytes, not 32. */
	pool_init(&t->pool, MEMORY_BGP_RIB, name, offsetof(struct bgp_route, addr) + addr_len);
}

struct bgp_rib *bgp_rib_create(struct bgp_speaker *speaker)
{
	struct bgp_rib *rib = calloc(1, sizeof(*rib));
	if (!rib)
		return NULL;
	rib->speaker = speaker;
	bgp_attrs_table_init(&rib->attrs);
	route_table_init(&rib->v4, "bgp routes IPv4", 4);
	route_table_init(&rib->v6, "bgp routes IPv6", 16);
	pool_init(&rib->paths, MEMORY_BGP_RIB, "bgp paths", sizeof(struct bgp_path));
	array_init(&rib->dirty, MEMORY_BGP_RIB, sizeof(struct dirty_route), BGP_DIRTY_MAX);
	array_init(&rib->local, MEMORY_BGP_RIB, sizeof(struct local_route), BGP_LOCAL_ROUTES_MAX);
	rib->next_hop_generation = 1;
	return rib;
}

void bgp_rib_set_consumer(struct bgp_rib *rib, const struct bgp_rib_consumer *consumer)
{
	rib->consumer = consumer;
}

static void route_table_free(struct bgp_rib *rib, struct route_table *t)
{
	for (size_t i = 0; i < t->table.size; i++)
		for (struct bgp_route *r = hash_table_bucket(&t->table, i); r; r = r->hash_next)
			for (struct bgp_path *p = r->paths; p; p = p->next)
				bgp_attrs_unref(&rib->attrs, p->attrs);
	hash_table_free(&t->table);
	pool_destroy(&t->pool);
}

void bgp_rib_destroy(struct bgp_rib *rib)
{
	if (!rib)
		return;
	for (size_t i = 0; i < rib->dirty.count; i++)
		bgp_attrs_unref(&rib->attrs, dirty_routes(rib)[i].old_attrs);
	route_table_free(rib, &rib->v4);
	route_table_free(rib, &rib->v6);
	pool_destroy(&rib->paths);
	bgp_adj_rib_in_pools_free(&rib->adj_rib_in);
	bgp_attrs_table_free(&rib->attrs);
	array_free(&rib->local);
	array_free(&rib->dirty);
	free(rib);
}

struct live_routes {
	hash_table_visit_fn *visit;
	void *ctx;
};

/* A freed route's family is 0 (route_free): its slot is skipped. */
static void visit_live_route(void *object, void *ctx)
{
	struct live_routes *live = ctx;
	if (((struct bgp_route *)object)->family)
		live->visit(object, live->ctx);
}

/* The table's growth moves the routes in pool order (hash_table_options.walk). */
static void route_table_walk(const struct hash_table *table, hash_table_visit_fn *visit, void *ctx)
{
	const struct route_table *t = (const struct route_table *)((const char *)table - offsetof(struct route_table, table));
	struct live_routes live = { visit, ctx };
	pool_each_slot(&t->pool, visit_live_route, &live);
}

static struct route_table *table_for(struct bgp_rib *rib, uint8_t family)
{
	return family == AF_INET6 ? &rib->v6 : &rib->v4;
}

/* The peer chooses the prefixes: a keyed hash (prefix_hash_keyed, lib/prefix.h), so that it
 * cannot choose a million that share one chain. */
static uint64_t route_hash(const void *route)
{
	const struct bgp_route *r = route;
	if (r->family != AF_INET6) /* growth rehashes a route a bucket split moves: no copy */
		return prefix_v4_hash(r->addr, r->len);
	struct prefix n = { .family = r->family, .len = r->len };
	memcpy(n.addr, r->addr, 16);
	return prefix_hash_keyed(&n);
}

struct bgp_route *bgp_rib_lookup(struct bgp_rib *rib, const struct prefix *n)
{
	struct route_table *t = table_for(rib, n->family);
	if (!t->table.size)
		return NULL;
	for (struct bgp_route *r = hash_table_first(&t->table, prefix_hash_keyed(n)); r; r = r->hash_next)
		if (r->len == n->len && !memcmp(r->addr, n->addr, t->addr_len))
			return r;
	return NULL;
}

static struct bgp_route *route_get(struct bgp_rib *rib, const struct prefix *n)
{
	struct route_table *t = table_for(rib, n->family);
	uint64_t hash = prefix_hash_keyed(n);
	for (struct bgp_route *r = hash_table_first(&t->table, hash); r; r = r->hash_next)
		if (r->len == n->len && !memcmp(r->addr, n->addr, t->addr_len))
			return r;
	struct bgp_route *r = pool_alloc(&t->pool);
	if (!r)
		return NULL;
	r->len = n->len;
	memcpy(r->addr, n->addr, t->addr_len);
	/* family 0 until inserted: a doubling the insert makes walks the pool (route_table_walk)
	 * and must not move this route in before the insert links it */
	if (!hash_table_insert(&t->table, r, hash)) {
		pool_free(&t->pool, r);
		return NULL;
	}
	r->family = n->family;
	return r;
}

static void route_free(struct bgp_rib *rib, struct bgp_route *r)
{
	struct route_table *t = table_for(rib, r->family);
	hash_table_remove(&t->table, r, route_hash(r));
	r->family = 0; /* a free slot to route_table_walk */
	pool_free(&t->pool, r);
}

/* Remembers the route's best path as it was before this batch touched it. */
static void mark_dirty(struct bgp_rib *rib, struct bgp_route *r)
{
	if (r->flags & BGP_ROUTE_DIRTY)
		return;
	/* growth only when full: a route costs a compare here, no call */
	if (rib->dirty.count == rib->dirty.capacity && array_reserve(&rib->dirty, 1) != ARRAY_OK) {
		log_error("bgp: out of memory for the decision queue");
		return;
	}
	struct dirty_route *d = &dirty_routes(rib)[rib->dirty.count++];
	d->route = r;
	d->had_best = r->best_valid && r->paths;
	d->old_attrs = d->had_best ? r->paths->attrs : NULL;
	d->old_peer = d->had_best ? r->paths->peer : NULL;
	bgp_attrs_ref(d->old_attrs);
	r->flags |= BGP_ROUTE_DIRTY;
}

/* Adds or replaces the peer's path for a prefix. attrs' reference passes to the path. */
static void path_announce(struct bgp_rib *rib, struct bgp_peer *peer, const struct prefix *n,
			  struct bgp_path_attrs *attrs)
{
	struct bgp_route *r = route_get(rib, n);
	if (!r)
		return;
	for (struct bgp_path *p = r->paths; p; p = p->next) {
		if (p->peer == peer) {
			if (p->attrs == attrs)
				return; /* nothing new: an implicit re-announcement */
			mark_dirty(rib, r);
			bgp_attrs_unref(&rib->attrs, p->attrs);
			bgp_attrs_ref(attrs);
			p->attrs = attrs;
			return;
		}
	}
	struct bgp_path *p = pool_alloc(&rib->paths);
	if (!p)
		return;
	mark_dirty(rib, r);
	bgp_attrs_ref(attrs);
	p->attrs = attrs;
	p->peer = peer;
	if (peer)
		peer->afi_safi.family[bgp_afi_safi_unicast(r->family)].prefixes_accepted++;
	/* Appended after the current best so that the best stays first until decided. */
	if (r->paths) {
		p->next = r->paths->next;
		r->paths->next = p;
	} else {
		r->paths = p;
	}
}

static void path_withdraw(struct bgp_rib *rib, struct bgp_peer *peer, const struct prefix *n)
{
	struct bgp_route *r = bgp_rib_lookup(rib, n);
	if (!r)
		return;
	for (struct bgp_path **pp = &r->paths; *pp; pp = &(*pp)->next) {
		struct bgp_path *p = *pp;
		if (p->peer != peer)
			continue;
		mark_dirty(rib, r);
		*pp = p->next;
		if (pp == &r->paths)
			r->best_valid = 0; /* the best went: decide again */
		if (peer)
			peer->afi_safi.family[bgp_afi_safi_unicast(r->family)].prefixes_accepted--;
		bgp_attrs_unref(&rib->attrs, p->attrs);
		pool_free(&rib->paths, p);
		return;
	}
}

/* RFC 4271 §9.1.2: a path is a candidate only if its next hop is reachable. */
bool bgp_path_usable(struct bgp_rib *rib, const struct bgp_path *p)
{
	struct bgp_path_attrs *a = p->attrs;
	if (!p->peer)
		return true;
	/* The peer's session went down: its paths are on their way out (a sliced walk). */
	if (p->peer->withdrawing)
		return false;
	if (bgp_path_attrs_next_hop_is_self(a))
		return true;
	if (a->next_hop_generation != rib->next_hop_generation) {
		struct ip_addr nh;
		bgp_path_attrs_next_hop(a, &nh);
		uint32_t metric = 0;
		a->next_hop_resolved = bgp_speaker_resolve_next_hop(rib->speaker, &nh, &metric);
		a->igp_metric = metric;
		a->next_hop_generation = rib->next_hop_generation;
	}
	return a->next_hop_resolved;
}

/* Moves the best usable path to the front. One candidate is the common case; several go
 * through the elimination of RFC 4271 §9.1.2.2 (decide.c), whose MED step looks at the whole
 * set, so the result never depends on the order paths arrived in. */
static void decide(struct bgp_rib *rib, struct bgp_route *r)
{
	struct bgp_path *stack[32], **set = stack;
	size_t count = 0, cap = 32;
	struct bgp_path **best_link = NULL;
	for (struct bgp_path **pp = &r->paths; *pp; pp = &(*pp)->next) {
		if (!bgp_path_usable(rib, *pp))
			continue;
		if (count == cap) {
			struct bgp_path **grown = malloc(cap * 2 * sizeof(*grown));
			if (!grown)
				break;
			memcpy(grown, set, count * sizeof(*grown));
			if (set != stack)
				free(set);
			set = grown;
			cap *= 2;
		}
		set[count++] = *pp;
	}
	struct bgp_path *best = count ? bgp_path_select(set, count, rib->speaker->always_compare_med) : NULL;
	if (set != stack)
		free(set);
	for (struct bgp_path **pp = &r->paths; best && *pp; pp = &(*pp)->next)
		if (*pp == best)
			best_link = pp;
	r->best_valid = best_link != NULL;
	if (best_link && best_link != &r->paths) {
		struct bgp_path *winner = *best_link;
		*best_link = winner->next;
		winner->next = r->paths;
		r->paths = winner;
	}
}

/* The dirty routes lie anywhere in memory: ask for the routes a few places ahead of the
 * decision, and for their first paths once the routes are there (a dropped full table is a
 * million of them). */
static void prefetch_dirty(const struct bgp_rib *rib, size_t i)
{
	if (i + 16 < rib->dirty.count)
		__builtin_prefetch(dirty_routes(rib)[i + 16].route);
	if (i + 8 < rib->dirty.count) {
		const struct dirty_route *d = &dirty_routes(rib)[i + 8];
		if (d->route->paths)
			__builtin_prefetch(d->route->paths);
		if (d->old_attrs)
			__builtin_prefetch(d->old_attrs);
	}
}

void bgp_rib_commit(struct bgp_rib *rib)
{
	if (!rib->dirty.count)
		return;
	for (size_t i = 0; i < rib->dirty.count; i++) {
		prefetch_dirty(rib, i);
		struct dirty_route *d = &dirty_routes(rib)[i];
		struct bgp_route *r = d->route;
		decide(rib, r);
		struct bgp_path *best = r->best_valid ? r->paths : NULL;
		bool changed = (best != NULL) != d->had_best ||
			       (best && (best->attrs != d->old_attrs || best->peer != d->old_peer));
		if (rib->consumer)
			rib->consumer->decided(rib->speaker, r, d->old_attrs, d->old_peer, best, changed);
		bgp_attrs_unref(&rib->attrs, d->old_attrs);
		r->flags &= (uint8_t)~BGP_ROUTE_DIRTY;
		if (!r->paths)
			route_free(rib, r);
		/* Every route of the batch decided: what the consumer makes dirty now (an aggregate
		 * originated again, route_engine.c) joins this loop (d is stale then). */
		if (i + 1 == rib->dirty.count && rib->consumer)
			rib->consumer->batch_decided(rib->speaker);
	}
	rib->dirty.count = 0;
	if (rib->consumer)
		rib->consumer->committed(rib->speaker);
}

/* ---- UPDATE processing ---- */

static bool next_hop_from(const struct bgp_attrs *a, uint8_t family, struct bgp_next_hop *nh)
{
	memset(nh, 0, sizeof(*nh));
	nh->family = family;
	if (family == AF_INET && bgp_attrs_has(a, BGP_ATTR_NEXT_HOP)) {
		uint32_t v = a->next_hop;
		nh->addr[0] = (uint8_t)(v >> 24);
		nh->addr[1] = (uint8_t)(v >> 16);
		nh->addr[2] = (uint8_t)(v >> 8);
		nh->addr[3] = (uint8_t)v;
		return true;
	}
	if (bgp_attrs_has(a, BGP_ATTR_MP_REACH_NLRI)) {
		const struct bgp_mp_reach *mp = &a->mp_reach;
		struct reader r = reader_make(mp->nexthop, mp->nexthop_len);
		if (family == AF_INET && mp->nexthop_len == 4)
			return reader_bytes(&r, nh->addr, 4);
		if (family == AF_INET6 && (mp->nexthop_len == 16 || mp->nexthop_len == 32)) {
			reader_bytes(&r, nh->addr, 16);
			if (mp->nexthop_len == 32) {
				nh->has_link_local = true;
				reader_bytes(&r, nh->link_local, 16);
			}
			return reader_ok(&r);
		}
	}
	return false;
}

static uint8_t afi_family(uint16_t afi)
{
	return afi == BGP_AFI_IPV6 ? AF_INET6 : AF_INET;
}

static struct prefix nlri_of_prefix4(const struct bgp_prefix4 *p)
{
	struct prefix n = { .family = AF_INET, .len = p->len };
	n.addr[0] = (uint8_t)(p->addr >> 24);
	n.addr[1] = (uint8_t)(p->addr >> 16);
	n.addr[2] = (uint8_t)(p->addr >> 8);
	n.addr[3] = (uint8_t)p->addr;
	return n;
}

/* Walks the IPv4 prefixes of a field; fn per prefix. False if the field is malformed. */
static bool each_ipv4(struct reader field, void (*fn)(struct bgp_rib *, struct bgp_peer *, const struct prefix *,
						    struct bgp_path_attrs *),
		      struct bgp_rib *rib, struct bgp_peer *peer, struct bgp_path_attrs *attrs,
		      uint64_t counts[BGP_AFI_SAFI_COUNT])
{
	struct bgp_prefix4 p;
	int rc;
	while ((rc = bgp_prefix4_next(&field, &p)) > 0) {
		struct prefix n = nlri_of_prefix4(&p);
		fn(rib, peer, &n, attrs);
		counts[BGP_AFI_SAFI_IPV4_UNICAST]++;
	}
	return rc == 0;
}

/*
 * Loading a full table is bound by cache misses in the prefix table: the bucket, then the
 * chain. The route engine knows the queued UPDATEs before it applies them, so it asks
 * for the buckets of one UPDATE two messages ahead and for the chains of the next one (the
 * buckets having arrived by then): the misses overlap instead of coming one after another.
 */
static void prefetch_ipv4(struct bgp_rib *rib, struct reader field, enum bgp_rib_prefetch stage)
{
	struct route_table *t = &rib->v4;
	if (!t->table.size)
		return;
	struct bgp_prefix4 p;
	while (bgp_prefix4_next(&field, &p) > 0) {
		struct prefix n = nlri_of_prefix4(&p);
		void *const *bucket = hash_table_slot(&t->table, prefix_hash_keyed(&n));
		if (stage == BGP_RIB_PREFETCH_BUCKETS)
			__builtin_prefetch(bucket);
		else if (*bucket)
			__builtin_prefetch(*bucket);
	}
}

void bgp_rib_prefetch(struct bgp_rib *rib, const uint8_t *body, size_t len, enum bgp_rib_prefetch stage)
{
	struct reader r = reader_make(body, len);
	struct bgp_update_parts parts;
	struct bgp_error err;
	if (bgp_update_split(&r, &parts, &err)) /* a malformed one is judged when applied */
		prefetch_ipv4(rib, parts.nlri, stage);
}

static bool each_mp(const uint8_t *data, uint16_t len, uint16_t afi,
		    void (*fn)(struct bgp_rib *, struct bgp_peer *, const struct prefix *, struct bgp_path_attrs *),
		    struct bgp_rib *rib, struct bgp_peer *peer, struct bgp_path_attrs *attrs,
		    uint64_t counts[BGP_AFI_SAFI_COUNT])
{
	struct reader field = reader_make(data, len);
	struct bgp_mp_prefix p;
	int rc;
	enum bgp_afi_safi_index family = bgp_afi_safi_unicast(afi_family(afi));
	while ((rc = bgp_mp_prefix_next(&field, afi, &p)) > 0) {
		struct prefix n = { .family = afi_family(afi), .len = p.len };
		memcpy(n.addr, p.addr, 16);
		fn(rib, peer, &n, attrs);
		counts[family]++;
	}
	return rc == 0;
}

/* The peer's pre-policy store (soft-reconfiguration inbound) keeps what it announced. */
static void keep_received(struct bgp_peer *peer, const struct prefix *n, struct bgp_path_attrs *attrs)
{
	if (peer->adj_rib_in && !bgp_adj_rib_in_set(peer->adj_rib_in, n, attrs) &&
	    bgp_adj_rib_in_lost(peer->adj_rib_in) == 1)
		bgp_peer_log(peer, BGP_LOG_EVENT, "soft-reconfiguration", NULL,
			     "out of memory: received routes are no longer all stored; "
			     "clear ip bgp soft in sends ROUTE-REFRESH instead");
}

/* The peer withdrew the prefix (or RFC 7606 treat-as-withdraw). */
static void withdraw_fn(struct bgp_rib *rib, struct bgp_peer *peer, const struct prefix *n,
			struct bgp_path_attrs *attrs)
{
	(void)attrs;
	if (peer && peer->adj_rib_in)
		bgp_adj_rib_in_remove(peer->adj_rib_in, n);
	path_withdraw(rib, peer, n);
}

/* Announced, but refused before any policy (loops, first AS, our NEXT_HOP, RFC 8212): kept
 * as received, not accepted. */
static void refused_fn(struct bgp_rib *rib, struct bgp_peer *peer, const struct prefix *n,
		       struct bgp_path_attrs *attrs)
{
	keep_received(peer, n, attrs);
	path_withdraw(rib, peer, n);
}

static void announce_fn(struct bgp_rib *rib, struct bgp_peer *peer, const struct prefix *n,
			struct bgp_path_attrs *attrs)
{
	keep_received(peer, n, attrs);
	path_announce(rib, peer, n, attrs);
}

/* The peer's import policy over one announced prefix (filter.c): denied ones are not
 * accepted, set clauses give the prefix its own interned attributes. rib->import holds the
 * decoded attributes and the next hop attrs was interned with. */
static void import_filtered(struct bgp_rib *rib, struct bgp_peer *peer, const struct prefix *n,
			    struct bgp_path_attrs *attrs)
{
	struct import_state *im = &rib->import;
	const struct policy_route_map_entry *entry;
	if (!bgp_filter_import(peer, n, im->attrs, &entry)) {
		im->denied++;
		path_withdraw(rib, peer, n);
		return;
	}
	if (!policy_entry_sets(entry)) {
		path_announce(rib, peer, n, attrs);
		return;
	}
	for (size_t i = 0; i < im->cached; i++)
		if (im->cache[i].entry == entry) {
			path_announce(rib, peer, n, im->cache[i].attrs);
			return;
		}
	struct bgp_attrs changed = *im->attrs;
	struct bgp_path_attrs *pa = NULL;
	if (policy_apply_sets(entry, &changed, im->buf, sizeof(im->buf)))
		pa = bgp_attrs_intern(&rib->attrs, &changed, im->next_hop);
	if (!pa) {
		log_warning("bgp: route-map set clauses could not be applied; prefix not accepted");
		path_withdraw(rib, peer, n);
		return;
	}
	path_announce(rib, peer, n, pa);
	if (im->cached < IMPORT_CACHE) {
		im->cache[im->cached].entry = entry;
		im->cache[im->cached++].attrs = pa;
	} else {
		bgp_attrs_unref(&rib->attrs, pa);
	}
}

static void announce_filtered_fn(struct bgp_rib *rib, struct bgp_peer *peer, const struct prefix *n,
				 struct bgp_path_attrs *attrs)
{
	keep_received(peer, n, attrs);
	import_filtered(rib, peer, n, attrs);
}

static void import_done(struct bgp_rib *rib)
{
	for (size_t i = 0; i < rib->import.cached; i++)
		bgp_attrs_unref(&rib->attrs, rib->import.cache[i].attrs);
	rib->import.cached = 0;
}

static unsigned as_path_count(const struct bgp_as_path *path, uint32_t asn)
{
	struct bgp_as_path_iter it;
	struct bgp_as_segment seg;
	unsigned n = 0;
	bgp_as_path_iter_init(&it, path);
	while (bgp_as_path_iter_next(&it, &seg))
		for (unsigned i = 0; i < seg.count; i++)
			n += bgp_as_segment_next_asn(&seg) == asn;
	return n;
}

/* RFC 4271 §9.1.2 and RFC 4456 §8: routes that would loop are not accepted. */
static const char *loop_reason(const struct bgp_rib *rib, const struct bgp_peer *peer, const struct bgp_attrs *a)
{
	const struct bgp_speaker *s = rib->speaker;
	/* allowas-in N accepts our AS up to N times (IOS) */
	if (bgp_attrs_has(a, BGP_ATTR_AS_PATH) && as_path_count(&a->as_path, s->local_as) > peer->config.allowas_in)
		return "own AS in AS_PATH";
	if (peer->ibgp && bgp_attrs_has(a, BGP_ATTR_ORIGINATOR_ID) && a->originator_id == s->router_id)
		return "ORIGINATOR_ID is our router ID";
	if (peer->ibgp && bgp_attrs_has(a, BGP_ATTR_CLUSTER_LIST)) {
		uint32_t cluster = s->cluster_id ? s->cluster_id : s->router_id;
		for (size_t i = 0; i < a->cluster_list.len / 4; i++)
			if (bgp_cluster_id_at(&a->cluster_list, i) == cluster)
				return "our cluster ID in CLUSTER_LIST";
	}
	return NULL;
}

/*
 * bgp enforce-first-as (IOS, on by default) and neighbor A [no] enforce-first-as.
 *
 * What the RFCs say: RFC 4271 §6.3 lets a speaker check that the leftmost AS of an AS_PATH
 * from an external peer is the peer's AS, and calls a failure a Malformed AS_PATH (3/11), a
 * session reset; RFC 7606 §3 (e) then revises every such reset that involves AS_PATH to
 * "treat-as-withdraw".
 * What Tern does: treat-as-withdraw (the routes are withdrawn, the UPDATE is counted as
 * rejected with its reason, no NOTIFICATION, the session stays up). FRR sends 3/11 and
 * closes the session; one route a peer got wrong should not cost all the others.
 * A path that does not start with an AS_SEQUENCE (empty, or an AS_SET first) fails too: an
 * external peer prepends its AS in an AS_SEQUENCE (RFC 4271 §5.1.2). A route server does not
 * prepend (RFC 7947 §2.2.2.1): `no neighbor A enforce-first-as` accepts its routes.
 */
bool bgp_peer_enforces_first_as(const struct bgp_peer *peer)
{
	if (peer->ibgp)
		return false;
	switch (peer->config.enforce_first_as) {
	case CONFIG_FIRST_AS_ENFORCE:
		return true;
	case CONFIG_FIRST_AS_IGNORE:
		return false;
	default:
		return peer->speaker->enforce_first_as;
	}
}

static bool next_hop_is_ours(const struct bgp_rib *rib, const struct bgp_next_hop *nh)
{
	const struct bgp_speaker_options *o = &rib->speaker->options;
	if (!o->is_local_address)
		return false;
	struct ip_addr addr = { .family = nh->family };
	memcpy(addr.bytes, nh->addr, sizeof(addr.bytes));
	return o->is_local_address(o->context, &addr);
}

static bool first_as_wrong(const struct bgp_peer *peer, const struct bgp_attrs *a)
{
	return bgp_attrs_has(a, BGP_ATTR_AS_PATH) && bgp_peer_enforces_first_as(peer) &&
	       bgp_as_path_first(&a->as_path) != peer->config.remote_as;
}

/* RFC 8212: without an import policy an eBGP session accepts nothing. */
static bool lacks_required_policy(const struct bgp_rib *rib, const struct bgp_peer *peer)
{
	return !peer->ibgp && rib->speaker->ebgp_requires_policy && !bgp_filter_has(&peer->filter, false);
}

/* Checks of what an UPDATE announces against this router: the first AS, the next hop. */
static const char *semantic_reason(const struct bgp_rib *rib, const struct bgp_peer *peer, const struct bgp_attrs *a,
				   bool ipv4_nlri, bool mp_reach)
{
	if (!ipv4_nlri && !mp_reach)
		return NULL; /* nothing announced: nothing to judge */
	if (first_as_wrong(peer, a))
		return "first AS is not the peer's (enforce-first-as)";
	/* RFC 4271 §6.3: a NEXT_HOP that is one of the receiver's own addresses is semantically
	 * incorrect: the error is logged and the route ignored, no NOTIFICATION is sent. */
	struct bgp_next_hop nh;
	if (ipv4_nlri && next_hop_from(a, AF_INET, &nh) && next_hop_is_ours(rib, &nh))
		return "NEXT_HOP is our own address (RFC 4271 6.3)";
	if (mp_reach && next_hop_from(a, afi_family(a->mp_reach.afi), &nh) && next_hop_is_ours(rib, &nh))
		return "NEXT_HOP is our own address (RFC 4271 6.3)";
	return NULL;
}

/* Rejected UPDATEs go in the message log when the reason changes, and past the first
 * thousand only at powers of two: a peer repeating or alternating its mistakes cannot flood
 * the log (the count says how often). */
static void log_rejected(struct bgp_peer *peer, const char *why)
{
	uint64_t n = ++peer->updates_rejected;
	bool changed = strcmp(peer->last_rejected, why) != 0;
	if (peer->debug || (changed && (n <= 1000 || (n & (n - 1)) == 0)))
		bgp_peer_log(peer, BGP_LOG_RECEIVED, "rejected", NULL,
			     "UPDATE received: its routes are not accepted: %s (%llu rejected so far)", why,
			     (unsigned long long)peer->updates_rejected);
	snprintf(peer->last_rejected, sizeof(peer->last_rejected), "%s", why);
}

/* An applied UPDATE's prefixes, family by family (afi_safi.h: pre-policy, all sessions). */
static void count_received(struct bgp_peer *peer, const uint64_t announced[BGP_AFI_SAFI_COUNT],
			   const uint64_t withdrawn[BGP_AFI_SAFI_COUNT])
{
	for (int f = 0; f < BGP_AFI_SAFI_COUNT; f++) {
		peer->afi_safi.family[f].announced_received += announced[f];
		peer->afi_safi.family[f].withdrawn_received += withdrawn[f];
	}
}

bool bgp_rib_update(struct bgp_rib *rib, struct bgp_peer *peer, const struct bgp_update_parts *parts,
		    struct bgp_error *err)
{
	struct bgp_attrs a;
	struct bgp_attr_opts opts = {
		.as4 = peer->session.received_caps.as4 && peer->session.sent_caps.as4,
		.ibgp = peer->ibgp,
		.ipv4_nlri = !reader_empty(&parts->nlri),
		.ipv4_withdrawn = !reader_empty(&parts->withdrawn),
	};
	struct reader attributes = parts->attributes;
	enum bgp_attr_result result = bgp_attr_decode(&attributes, &opts, &a, err);
	if (result == BGP_ATTR_RESULT_RESET)
		return false;

	/* Prefixes per family, as received: what the import policy saw, what went (afi_safi.h) */
	uint64_t withdrawn[BGP_AFI_SAFI_COUNT] = { 0 }, announced[BGP_AFI_SAFI_COUNT] = { 0 };
	/* Withdrawals first (RFC 4271 §9): the IPv4 field, then MP_UNREACH_NLRI. Malformed
	 * prefix fields were already judged by the attribute decoder (RFC 7606 §5.3). */
	if (!each_ipv4(parts->withdrawn, withdraw_fn, rib, peer, NULL, withdrawn)) {
		bgp_error_set(err, BGP_ERR_UPDATE, BGP_ERR_UPDATE_MALFORMED_ATTRIBUTE_LIST);
		return false;
	}
	if (bgp_attrs_has(&a, BGP_ATTR_MP_UNREACH_NLRI) && a.mp_unreach.supported)
		each_mp(a.mp_unreach.withdrawn, a.mp_unreach.withdrawn_len, a.mp_unreach.afi, withdraw_fn, rib, peer,
			NULL, withdrawn);

	/* RFC 6793 §4.2.3: the real path of a 2-octet peer's route, before loops are checked */
	if (result == BGP_ATTR_RESULT_OK && !opts.as4 &&
	    !bgp_attrs_as4_merge(&a, rib->merge_buf, sizeof(rib->merge_buf))) {
		bgp_error_set(err, BGP_ERR_UPDATE, BGP_ERR_UPDATE_MALFORMED_AS_PATH);
		return false;
	}
	bool mp_reach = bgp_attrs_has(&a, BGP_ATTR_MP_REACH_NLRI) && a.mp_reach.supported;
	const char *why = result == BGP_ATTR_RESULT_WITHDRAW ? "malformed attributes (RFC 7606 treat-as-withdraw)"
							      : loop_reason(rib, peer, &a);
	if (!why)
		why = semantic_reason(rib, peer, &a, opts.ipv4_nlri, mp_reach);
	if (!why && lacks_required_policy(rib, peer))
		why = "no import policy (bgp ebgp-requires-policy, RFC 8212)";
	/* The import policy, prefix by prefix, before interning (filter.c) */
	bool filtered = bgp_filter_has(&peer->filter, false);
	void (*announce)(struct bgp_rib *, struct bgp_peer *, const struct prefix *, struct bgp_path_attrs *) =
		filtered ? announce_filtered_fn : announce_fn;
	rib->import.attrs = &a;
	/* A refused route is not accepted; a peer's pre-policy store still keeps it as received
	 * (soft-reconfiguration inbound), unless RFC 7606 made it a withdrawal. */
	bool keep_refused = why && peer->adj_rib_in && result != BGP_ATTR_RESULT_WITHDRAW;
	if (why && !keep_refused) {
		/* RFC 7606 §2: treat-as-withdraw; a looped route is simply not accepted. */
		if (!each_ipv4(parts->nlri, withdraw_fn, rib, peer, NULL, withdrawn)) {
			bgp_error_set(err, BGP_ERR_UPDATE, BGP_ERR_UPDATE_INVALID_NETWORK_FIELD);
			return false;
		}
		if (mp_reach)
			each_mp(a.mp_reach.nlri, a.mp_reach.nlri_len, a.mp_reach.afi, withdraw_fn, rib, peer, NULL,
				withdrawn);
		log_rejected(peer, why);
		count_received(peer, announced, withdrawn);
		return true;
	}
	if (why)
		announce = refused_fn;
	uint64_t *counted = why ? withdrawn : announced;
	if (opts.ipv4_nlri) {
		struct bgp_next_hop nh;
		next_hop_from(&a, AF_INET, &nh);
		struct bgp_path_attrs *pa = bgp_attrs_intern(&rib->attrs, &a, &nh);
		if (!pa) {
			bgp_error_set(err, BGP_ERR_CEASE, BGP_CEASE_OUT_OF_RESOURCES);
			return false;
		}
		rib->import.next_hop = &nh;
		bool ok = each_ipv4(parts->nlri, announce, rib, peer, pa, counted);
		import_done(rib);
		bgp_attrs_unref(&rib->attrs, pa);
		if (!ok) {
			bgp_error_set(err, BGP_ERR_UPDATE, BGP_ERR_UPDATE_INVALID_NETWORK_FIELD);
			return false;
		}
	}
	if (mp_reach) {
		struct bgp_next_hop nh;
		if (next_hop_from(&a, afi_family(a.mp_reach.afi), &nh)) {
			struct bgp_path_attrs *pa = bgp_attrs_intern(&rib->attrs, &a, &nh);
			if (!pa) {
				bgp_error_set(err, BGP_ERR_CEASE, BGP_CEASE_OUT_OF_RESOURCES);
				return false;
			}
			rib->import.next_hop = &nh;
			each_mp(a.mp_reach.nlri, a.mp_reach.nlri_len, a.mp_reach.afi, announce, rib, peer, pa,
				counted);
			import_done(rib);
			bgp_attrs_unref(&rib->attrs, pa);
		}
	}
	if (why)
		log_rejected(peer, why);
	count_received(peer, announced, withdrawn);
	return true;
}

/* ---- soft-reconfiguration inbound: the import path again, over the stored routes ---- */

struct bgp_adj_rib_in *bgp_rib_adj_rib_in_create(struct bgp_rib *rib)
{
	return bgp_adj_rib_in_create(&rib->adj_rib_in, &rib->attrs);
}

void bgp_rib_adj_rib_in_retire(struct bgp_rib *rib, struct bgp_adj_rib_in *in)
{
	bgp_adj_rib_in_retire(&rib->adj_rib_in, in);
}

bool bgp_rib_adj_rib_in_release_step(struct bgp_rib *rib, size_t buckets)
{
	return bgp_adj_rib_in_release_step(&rib->adj_rib_in, buckets);
}

bool bgp_rib_adj_rib_in_releasing(const struct bgp_rib *rib)
{
	return rib->adj_rib_in.retiring != NULL;
}

struct replay {
	struct bgp_rib *rib;
	struct bgp_peer *peer;
	bool filtered;
	struct bgp_path_attrs *attrs;   /* the set decoded below (stored routes sharing one in a row) */
	struct bgp_attrs decoded;
	struct bgp_next_hop next_hop;
	const char *why;                /* why routes with that set are refused, NULL if they are not */
};

/* The checks bgp_rib_update makes of an announcement, on a stored set (decoded, RFC 6793
 * merge already done, NEXT_HOP as interned). */
static const char *stored_reason(const struct bgp_rib *rib, const struct bgp_peer *peer, const struct bgp_attrs *a,
				 const struct bgp_next_hop *nh)
{
	const char *why = loop_reason(rib, peer, a);
	if (!why && first_as_wrong(peer, a))
		why = "first AS is not the peer's (enforce-first-as)";
	if (!why && next_hop_is_ours(rib, nh))
		why = "NEXT_HOP is our own address (RFC 4271 6.3)";
	if (!why && lacks_required_policy(rib, peer))
		why = "no import policy (bgp ebgp-requires-policy, RFC 8212)";
	return why;
}

/* The peer-down walk's slice: a full table re-judged sends its changes out as it goes. */
#define PEER_DOWN_SLICE 65536

static void replay_route(void *ctx, const struct prefix *n, struct bgp_path_attrs *attrs)
{
	struct replay *c = ctx;
	struct bgp_rib *rib = c->rib;
	if (attrs != c->attrs) {
		import_done(rib);
		c->attrs = attrs;
		bgp_path_attrs_next_hop_of(attrs, &c->next_hop);
		c->why = bgp_path_attrs_decode(attrs, &c->decoded)
				 ? stored_reason(rib, c->peer, &c->decoded, &c->next_hop)
				 : "stored attributes unreadable";
		rib->import.attrs = &c->decoded;
		rib->import.next_hop = &c->next_hop;
	}
	if (c->why)
		path_withdraw(rib, c->peer, n);
	else if (c->filtered)
		import_filtered(rib, c->peer, n, attrs);
	else
		path_announce(rib, c->peer, n, attrs);
	if (rib->dirty.count >= PEER_DOWN_SLICE)
		bgp_rib_commit(rib);
}

void bgp_rib_peer_soft_in(struct bgp_rib *rib, struct bgp_peer *peer)
{
	if (!peer->adj_rib_in)
		return;
	struct replay c = { .rib = rib, .peer = peer, .filtered = bgp_filter_has(&peer->filter, false) };
	bgp_adj_rib_in_walk(peer->adj_rib_in, AF_INET, replay_route, &c);
	bgp_adj_rib_in_walk(peer->adj_rib_in, AF_INET6, replay_route, &c);
	import_done(rib);
	bgp_rib_commit(rib);
}

void bgp_rib_peer_soft_in_open(const struct bgp_peer *peer, struct bgp_adj_rib_in_cursor *cursor)
{
	bgp_adj_rib_in_cursor_open(peer->adj_rib_in, cursor, AF_INET);
}

/* Nothing of the replay's context outlives a step: between steps UPDATEs may replace the
 * stored attribute sets it decoded, and the store itself may go (the cursor then ends). */
bool bgp_rib_peer_soft_in_step(struct bgp_rib *rib, struct bgp_peer *peer, struct bgp_adj_rib_in_cursor *cursor,
			       size_t buckets)
{
	struct replay c = { .rib = rib, .peer = peer, .filtered = bgp_filter_has(&peer->filter, false) };
	bool more = bgp_adj_rib_in_cursor_step(peer->adj_rib_in, cursor, buckets, replay_route, &c);
	if (!more && cursor->family == AF_INET) {
		bgp_adj_rib_in_cursor_open(peer->adj_rib_in, cursor, AF_INET6);
		more = true;
	}
	import_done(rib);
	bgp_rib_commit(rib);
	return more;
}

struct peer_down_ctx {
	struct bgp_rib *rib;
	struct bgp_peer *peer;
};

/* The peer's path for the route, if it has one, goes; the route is decided again at the
 * step's commit (and freed there if that was its last path). */
static void remove_peer_path(void *context, struct bgp_route *r)
{
	struct peer_down_ctx *ctx = context;
	for (struct bgp_path **pp = &r->paths; *pp; pp = &(*pp)->next) {
		struct bgp_path *p = *pp;
		if (p->peer != ctx->peer)
			continue;
		mark_dirty(ctx->rib, r);
		*pp = p->next;
		if (pp == &r->paths)
			r->best_valid = 0;
		ctx->peer->afi_safi.family[bgp_afi_safi_unicast(r->family)].prefixes_accepted--;
		bgp_attrs_unref(&ctx->rib->attrs, p->attrs);
		pool_free(&ctx->rib->paths, p);
		return;
	}
}

static void redecide_route(void *context, struct bgp_route *r)
{
	mark_dirty(context, r);
}

/* One step of a whole-table walk over IPv4 then IPv6, then the commit of what it touched. */
static bool table_step(struct bgp_rib *rib, struct bgp_rib_cursor *cursor, size_t buckets,
		       void (*fn)(void *ctx, struct bgp_route *route), void *ctx)
{
	bool more = bgp_rib_cursor_step(rib, cursor, buckets, fn, ctx);
	if (!more && cursor->family == AF_INET) {
		bgp_rib_cursor_open(rib, cursor, AF_INET6);
		more = true;
	}
	bgp_rib_commit(rib);
	return more;
}

void bgp_rib_table_walk_open(struct bgp_rib *rib, struct bgp_rib_cursor *cursor)
{
	bgp_rib_cursor_open(rib, cursor, AF_INET);
}

/* Between steps the peer's paths are still there but no longer candidates (bgp_path_usable:
 * its withdrawal is pending), and the peer adds none: its new session's events wait behind
 * the walk (events.h). So every route holding one of its paths is in the table for the whole
 * walk, and the cursor visits it exactly once (rib.h). */
bool bgp_rib_peer_down_step(struct bgp_rib *rib, struct bgp_peer *peer, struct bgp_rib_cursor *cursor,
			    size_t buckets)
{
	struct peer_down_ctx ctx = { .rib = rib, .peer = peer };
	return table_step(rib, cursor, buckets, remove_peer_path, &ctx);
}

/* All at once (tests, a peer that goes away): PEER_DOWN_SLICE buckets a step, so that a
 * dropped full table's withdrawals start going out (BGP_WRITE_EARLY) while the rest of the
 * table is still being walked. */
void bgp_rib_peer_down(struct bgp_rib *rib, struct bgp_peer *peer)
{
	/* What the closed session sent goes with it, pre-policy copy included (RFC 4271 §9.1). */
	bgp_adj_rib_in_destroy(peer->adj_rib_in);
	peer->adj_rib_in = NULL;
	struct bgp_rib_cursor cursor;
	bgp_rib_table_walk_open(rib, &cursor);
	while (bgp_rib_peer_down_step(rib, peer, &cursor, PEER_DOWN_SLICE))
		;
}

bool bgp_rib_redecide_step(struct bgp_rib *rib, struct bgp_rib_cursor *cursor, size_t buckets)
{
	return table_step(rib, cursor, buckets, redecide_route, rib);
}

void bgp_rib_next_hops_invalidate(struct bgp_rib *rib)
{
	rib->next_hop_generation++;
}

void bgp_rib_walk(struct bgp_rib *rib, uint8_t family, bool (*fn)(void *ctx, struct bgp_route *route), void *ctx)
{
	struct route_table *t = table_for(rib, family);
	for (size_t i = 0; i < t->table.size; i++)
		for (struct bgp_route *r = hash_table_bucket(&t->table, i), *next; r; r = next) {
			next = r->hash_next;
			if (!fn(ctx, r))
				return;
		}
}

void bgp_rib_cursor_open(struct bgp_rib *rib, struct bgp_rib_cursor *cursor, uint8_t family)
{
	cursor->family = family;
	cursor->base = hash_table_stride(&table_for(rib, family)->table);
	cursor->next = 0;
}

bool bgp_rib_cursor_step(struct bgp_rib *rib, struct bgp_rib_cursor *cursor, size_t buckets,
			 void (*fn)(void *ctx, struct bgp_route *route), void *ctx)
{
	struct route_table *t = table_for(rib, cursor->family);
	/* A smaller stride than when the walk began: not the table the walk began on (the RIB
	 * went and came back); nothing of it can be walked by this cursor. */
	if (hash_table_stride(&t->table) < cursor->base)
		cursor->next = cursor->base;
	size_t looked = 0;
	while (cursor->next < cursor->base && (looked < buckets || !looked)) {
		/* Buckets in order, in a few streams base apart (a unit's buckets), whose chains lie
		 * anywhere in memory: ask for the routes and paths of the units a few ahead. */
		for (size_t i = cursor->next + 16; i < t->table.size; i += cursor->base) {
			struct bgp_route *r = hash_table_bucket(&t->table, i);
			if (r)
				__builtin_prefetch(r);
		}
		for (size_t i = cursor->next + 8; i < t->table.size; i += cursor->base) {
			struct bgp_route *r = hash_table_bucket(&t->table, i);
			if (r && r->paths)
				__builtin_prefetch(r->paths);
		}
		for (size_t i = cursor->next; i < t->table.size; i += cursor->base)
			for (struct bgp_route *r = hash_table_bucket(&t->table, i), *next; r; r = next) {
				next = r->hash_next;
				fn(ctx, r);
			}
		looked += (t->table.size - cursor->next + cursor->base - 1) / cursor->base;
		cursor->next++;
	}
	return cursor->next < cursor->base;
}

size_t bgp_rib_table_size(struct bgp_rib *rib, uint8_t family)
{
	return table_for(rib, family)->table.size;
}

void bgp_rib_next_hops_changed(struct bgp_rib *rib)
{
	bgp_rib_next_hops_invalidate(rib);
	struct bgp_rib_cursor cursor;
	bgp_rib_table_walk_open(rib, &cursor);
	while (bgp_rib_redecide_step(rib, &cursor, PEER_DOWN_SLICE))
		;
}

void bgp_rib_stats(const struct bgp_rib *rib, struct bgp_rib_stats *stats)
{
	stats->routes = rib->v4.table.count + rib->v6.table.count;
	stats->paths = rib->paths.in_use;
	stats->attrs = rib->attrs.table.count;
	stats->bytes = pool_bytes(&rib->v4.pool) + pool_bytes(&rib->v6.pool) + pool_bytes(&rib->paths) +
		       rib->attrs.bytes + hash_table_bytes(&rib->v4.table) + hash_table_bytes(&rib->v6.table) +
		       hash_table_bytes(&rib->attrs.table);
}

struct bgp_attrs_table *bgp_rib_attrs_table(struct bgp_rib *rib)
{
	return &rib->attrs;
}

/* ---- locally originated routes (network, redistribute) ---- */

static struct local_route *local_routes(struct bgp_rib *rib)
{
	return rib->local.items;
}

void bgp_rib_originate_begin(struct bgp_rib *rib)
{
	for (size_t i = 0; i < rib->local.count; i++)
		local_routes(rib)[i].fresh = false;
}

static void originate_path(struct bgp_rib *rib, const struct local_route *lr, bool add)
{
	if (!add) {
		path_withdraw(rib, NULL, &lr->prefix);
		return;
	}
	struct bgp_attrs a;
	memset(&a, 0, sizeof(a));
	a.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH);
	a.origin = lr->origin;
	a.as_path = (struct bgp_as_path){ .data = NULL, .len = 0, .asn_size = 4 };
	if (lr->has_med) {
		a.med = lr->med;
		a.present |= BGP_ATTR_BIT(BGP_ATTR_MULTI_EXIT_DISC);
	}
	struct bgp_next_hop nh = { .family = lr->prefix.family }; /* all zero: ourselves */
	struct bgp_path_attrs *pa = bgp_attrs_intern(&rib->attrs, &a, &nh);
	if (!pa)
		return;
	path_announce(rib, NULL, &lr->prefix, pa);
	bgp_attrs_unref(&rib->attrs, pa);
}

void bgp_rib_originate(struct bgp_rib *rib, const struct prefix *prefix, uint8_t origin, bool has_med, uint32_t med)
{
	struct local_route *lr = NULL;
	for (size_t i = 0; i < rib->local.count; i++) {
		struct local_route *x = &local_routes(rib)[i];
		if (x->prefix.family == prefix->family && x->prefix.len == prefix->len &&
		    !memcmp(x->prefix.addr, prefix->addr, 16))
			lr = x;
	}
	if (!lr) {
		lr = array_push(&rib->local);
		if (!lr)
			return;
		lr->prefix = *prefix;
	} else if (lr->fresh) {
		return; /* a network statement and redistribution of the same prefix: first wins */
	}
	lr->fresh = true;
	lr->origin = origin;
	lr->has_med = has_med;
	lr->med = med;
	originate_path(rib, lr, true);
}

void bgp_rib_originate_end(struct bgp_rib *rib)
{
	struct local_route *l = local_routes(rib);
	size_t kept = 0;
	for (size_t i = 0; i < rib->local.count; i++) {
		if (!l[i].fresh) {
			originate_path(rib, &l[i], false);
			continue;
		}
		l[kept++] = l[i];
	}
	rib->local.count = kept;
	bgp_rib_commit(rib);
}

void bgp_rib_local_path(struct bgp_rib *rib, const struct prefix *prefix, const struct bgp_attrs *attrs)
{
	if (!attrs) {
		path_withdraw(rib, NULL, prefix);
		return;
	}
	struct bgp_next_hop nh = { .family = prefix->family }; /* all zero: ourselves */
	struct bgp_path_attrs *pa = bgp_attrs_intern(&rib->attrs, attrs, &nh);
	if (!pa)
		return;
	path_announce(rib, NULL, prefix, pa);
	bgp_attrs_unref(&rib->attrs, pa);
}
