/*
 * DOC: the pre-policy Adj-RIB-In store of a peer (see adj_rib_in.h for the model).
 *
 * An entry is a chain link, the attribute set and the prefix: 24 bytes for IPv4, 40 for
 * IPv6, plus its share of the bucket array of a lib hash table (at most one entry per bucket
 * on average, as in the Loc-RIB: a chain is seldom walked).
 */
#include "bgp/adj_rib_in.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/hash.h"
#include "lib/hash_table.h"

struct adj_entry {
	struct adj_entry *hash_next;
	struct bgp_path_attrs *attrs;
	uint8_t len;
	uint8_t addr[]; /* 4 or 16 octets */
};

struct adj_table {
	struct hash_table table; /* of adj_entry, chained through hash_next */
	struct pool *pool;
	uint8_t addr_len;
	size_t released;         /* retiring: buckets below this are freed */
};

struct bgp_adj_rib_in {
	struct bgp_attrs_table *attrs;
	struct adj_table v4, v6;
	uint64_t id; /* which store a cursor walks */
	size_t lost; /* prefixes not stored for lack of memory */
	struct bgp_adj_rib_in *retiring_next;
};

static uint64_t next_store_id = 1;

static uint64_t entry_hash4(const void *entry);
static uint64_t entry_hash6(const void *entry);

void bgp_adj_rib_in_pools_free(struct bgp_adj_rib_in_pools *pools)
{
	while (pools->retiring) {
		struct bgp_adj_rib_in *in = pools->retiring;
		pools->retiring = in->retiring_next;
		bgp_adj_rib_in_destroy(in);
	}
	if (!pools->ready)
		return;
	pool_destroy(&pools->v4);
	pool_destroy(&pools->v6);
	pools->ready = false;
}

struct bgp_adj_rib_in *bgp_adj_rib_in_create(struct bgp_adj_rib_in_pools *pools, struct bgp_attrs_table *attrs)
{
	struct bgp_adj_rib_in *in = memory_calloc(MEMORY_BGP_ADJ_RIB_IN, 1, sizeof(*in));
	if (!in)
		return NULL;
	if (!pools->ready) {
		pool_init(&pools->v4, MEMORY_BGP_ADJ_RIB_IN, "bgp adj-rib-in IPv4", offsetof(struct adj_entry, addr) + 4);
		pool_init(&pools->v6, MEMORY_BGP_ADJ_RIB_IN, "bgp adj-rib-in IPv6", offsetof(struct adj_entry, addr) + 16);
		pools->ready = true;
	}
	in->attrs = attrs;
	in->v4 = (struct adj_table){ .pool = &pools->v4, .addr_len = 4 };
	in->v6 = (struct adj_table){ .pool = &pools->v6, .addr_len = 16 };
	struct hash_table_options options = { .initial_size = 1024, .max_load = 1 };
	hash_table_init(&in->v4.table, MEMORY_BGP_ADJ_RIB_IN, offsetof(struct adj_entry, hash_next), entry_hash4, &options);
	hash_table_init(&in->v6.table, MEMORY_BGP_ADJ_RIB_IN, offsetof(struct adj_entry, hash_next), entry_hash6, &options);
	in->id = next_store_id++;
	return in;
}

static void table_free(struct bgp_adj_rib_in *in, struct adj_table *t)
{
	for (size_t i = 0; i < t->table.size; i++)
		for (struct adj_entry *e = hash_table_bucket(&t->table, i), *next; e; e = next) {
			next = e->hash_next;
			bgp_attrs_unref(in->attrs, e->attrs);
			pool_free(t->pool, e);
		}
	hash_table_free(&t->table);
}

void bgp_adj_rib_in_destroy(struct bgp_adj_rib_in *in)
{
	if (!in)
		return;
	table_free(in, &in->v4);
	table_free(in, &in->v6);
	memory_free(MEMORY_BGP_ADJ_RIB_IN, in);
}

void bgp_adj_rib_in_retire(struct bgp_adj_rib_in_pools *pools, struct bgp_adj_rib_in *in)
{
	if (!in)
		return;
	in->retiring_next = pools->retiring;
	pools->retiring = in;
}

/* Frees the entries of up to `buckets` buckets of t; returns how many buckets it looked at. */
static size_t release_buckets(struct bgp_adj_rib_in *in, struct adj_table *t, size_t buckets)
{
	size_t looked = 0;
	for (; t->released < t->table.size && looked < buckets; t->released++, looked++) {
		for (struct adj_entry *e = hash_table_take_bucket(&t->table, t->released), *next; e; e = next) {
			next = e->hash_next;
			bgp_attrs_unref(in->attrs, e->attrs);
			pool_free(t->pool, e);
		}
	}
	return looked;
}

bool bgp_adj_rib_in_release_step(struct bgp_adj_rib_in_pools *pools, size_t buckets)
{
	size_t looked = 0;
	while (pools->retiring && looked < buckets) {
		struct bgp_adj_rib_in *in = pools->retiring;
		looked += release_buckets(in, &in->v4, buckets - looked);
		if (looked < buckets)
			looked += release_buckets(in, &in->v6, buckets - looked);
		if (in->v4.released < in->v4.table.size || in->v6.released < in->v6.table.size)
			break;
		pools->retiring = in->retiring_next;
		bgp_adj_rib_in_destroy(in); /* its tables are empty: only the buckets go */
		looked++;
	}
	return pools->retiring != NULL;
}

static struct adj_table *table_for(const struct bgp_adj_rib_in *in, uint8_t family)
{
	return family == AF_INET6 ? (struct adj_table *)&in->v6 : (struct adj_table *)&in->v4;
}

/* The peer chooses the prefixes: a keyed hash (prefix_hash_keyed, lib/hash.h), as in the
 * Loc-RIB. */
static uint64_t entry_hash(const struct adj_entry *e, uint8_t family)
{
	struct prefix n = { .family = family, .len = e->len };
	memcpy(n.addr, e->addr, family == AF_INET6 ? 16 : 4);
	return prefix_hash_keyed(&n);
}

static uint64_t entry_hash4(const void *entry)
{
	return entry_hash(entry, AF_INET);
}

static uint64_t entry_hash6(const void *entry)
{
	return entry_hash(entry, AF_INET6);
}

static struct adj_entry *find(const struct adj_table *t, const struct prefix *n, uint64_t hash)
{
	for (struct adj_entry *e = hash_table_first(&t->table, hash); e; e = e->hash_next)
		if (e->len == n->len && !memcmp(e->addr, n->addr, t->addr_len))
			return e;
	return NULL;
}

bool bgp_adj_rib_in_set(struct bgp_adj_rib_in *in, const struct prefix *n, struct bgp_path_attrs *attrs)
{
	struct adj_table *t = table_for(in, n->family);
	uint64_t hash = prefix_hash_keyed(n);
	struct adj_entry *found = find(t, n, hash);
	if (found) {
		if (found->attrs != attrs) {
			bgp_attrs_ref(attrs);
			bgp_attrs_unref(in->attrs, found->attrs);
			found->attrs = attrs;
		}
		return true;
	}
	struct adj_entry *e = pool_alloc(t->pool);
	if (e) {
		e->len = n->len;
		memcpy(e->addr, n->addr, t->addr_len);
		if (!hash_table_insert(&t->table, e, hash)) {
			pool_free(t->pool, e);
			e = NULL;
		}
	}
	if (!e) {
		in->lost++;
		return false;
	}
	bgp_attrs_ref(attrs);
	e->attrs = attrs;
	return true;
}

void bgp_adj_rib_in_remove(struct bgp_adj_rib_in *in, const struct prefix *n)
{
	struct adj_table *t = table_for(in, n->family);
	uint64_t hash = prefix_hash_keyed(n);
	struct adj_entry *e = find(t, n, hash);
	if (!e)
		return;
	hash_table_remove(&t->table, e, hash);
	bgp_attrs_unref(in->attrs, e->attrs);
	pool_free(t->pool, e);
}

struct bgp_path_attrs *bgp_adj_rib_in_lookup(const struct bgp_adj_rib_in *in, const struct prefix *n)
{
	const struct adj_table *t = table_for(in, n->family);
	struct adj_entry *found = find(t, n, prefix_hash_keyed(n));
	return found ? found->attrs : NULL;
}

size_t bgp_adj_rib_in_lost(const struct bgp_adj_rib_in *in)
{
	return in->lost;
}

void bgp_adj_rib_in_clear_lost(struct bgp_adj_rib_in *in)
{
	in->lost = 0;
}

size_t bgp_adj_rib_in_count(const struct bgp_adj_rib_in *in)
{
	return in->v4.table.count + in->v6.table.count;
}

size_t bgp_adj_rib_in_bytes(const struct bgp_adj_rib_in *in)
{
	return in->v4.table.count * in->v4.pool->object_size + in->v6.table.count * in->v6.pool->object_size +
	       hash_table_bytes(&in->v4.table) + hash_table_bytes(&in->v6.table);
}

static void visit(const struct adj_table *t, const struct adj_entry *e, uint8_t family,
		  void (*fn)(void *ctx, const struct prefix *prefix, struct bgp_path_attrs *attrs), void *ctx)
{
	struct prefix n = { .family = family, .len = e->len };
	memcpy(n.addr, e->addr, t->addr_len);
	fn(ctx, &n, e->attrs);
}

void bgp_adj_rib_in_walk(const struct bgp_adj_rib_in *in, uint8_t family,
			 void (*fn)(void *ctx, const struct prefix *prefix, struct bgp_path_attrs *attrs), void *ctx)
{
	const struct adj_table *t = table_for(in, family);
	for (size_t i = 0; i < t->table.size; i++)
		for (const struct adj_entry *e = hash_table_bucket(&t->table, i); e; e = e->hash_next)
			visit(t, e, family, fn, ctx);
}

void bgp_adj_rib_in_cursor_open(const struct bgp_adj_rib_in *in, struct bgp_adj_rib_in_cursor *cursor,
				uint8_t family)
{
	cursor->family = family;
	cursor->store_id = in ? in->id : 0;
	cursor->base = in ? hash_table_stride(&table_for(in, family)->table) : 0;
	cursor->next = 0;
}

/* The same walk in hash space as bgp_rib_cursor_step (rib.h explains why it is sound). */
bool bgp_adj_rib_in_cursor_step(const struct bgp_adj_rib_in *in, struct bgp_adj_rib_in_cursor *cursor,
				size_t buckets,
				void (*fn)(void *ctx, const struct prefix *prefix, struct bgp_path_attrs *attrs),
				void *ctx)
{
	if (!in || in->id != cursor->store_id)
		cursor->next = cursor->base;
	const struct adj_table *t = in ? table_for(in, cursor->family) : NULL;
	size_t looked = 0;
	while (cursor->next < cursor->base && (looked < buckets || !looked)) {
		for (size_t i = cursor->next; i < t->table.size; i += cursor->base)
			for (const struct adj_entry *e = hash_table_bucket(&t->table, i); e; e = e->hash_next)
				visit(t, e, cursor->family, fn, ctx);
		looked += (t->table.size - cursor->next + cursor->base - 1) / cursor->base;
		cursor->next++;
	}
	return cursor->next < cursor->base;
}
