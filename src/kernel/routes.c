/*
 * DOC: the routes we install: kernel_route_replace and kernel_route_delete queue their requests
 * in the batch (kernel.c sends it), and a hash set keyed by prefix (a lib hash table) remembers each route with its
 * metric and a generation number: kernel_close deletes what it holds, a metric change knows
 * which old route to remove, and resync_end deletes what the resync did not replace.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "lib/hash.h"
#include "lib/log.h"

static size_t addr_len(uint8_t family)
{
	return family == AF_INET ? 4 : 16;
}

/* The routes come from peers (BGP, OSPF, RIP), who choose the prefixes: a keyed hash. */
static uint64_t route_hash(uint8_t family, uint8_t plen, const uint8_t *bytes)
{
	uint8_t key[18] = { family, plen };
	memcpy(key + 2, bytes, addr_len(family));
	return hash_keyed(key, 2 + addr_len(family));
}

static uint64_t slot_hash(const void *slot)
{
	const struct route_slot *s = slot;
	return route_hash(s->family, s->prefixlen, s->bytes);
}

void kernel_routes_init(struct kernel *k)
{
	struct hash_table_options options = { .initial_size = 1024, .max_load = 1 };
	hash_table_init(&k->routes.table, MEMORY_KERNEL, offsetof(struct route_slot, hash_next), slot_hash, &options);
	pool_init(&k->routes.pool, MEMORY_KERNEL, "kernel routes", sizeof(struct route_slot));
	k->routes.used = 0;
}

void kernel_routes_free(struct kernel *k)
{
	hash_table_free(&k->routes.table);
	pool_destroy(&k->routes.pool);
	k->routes.used = 0;
}

static bool slot_is(const struct route_slot *s, uint8_t family, uint8_t plen, const uint8_t *b)
{
	return s->family == family && s->prefixlen == plen && memcmp(s->bytes, b, addr_len(family)) == 0;
}

static struct route_slot *set_find(const struct route_set *set, const struct ip_addr *dst,
				   uint8_t plen)
{
	uint64_t hash = route_hash(dst->family, plen, dst->bytes);
	for (struct route_slot *s = hash_table_first(&set->table, hash); s; s = s->hash_next)
		if (slot_is(s, dst->family, plen, dst->bytes))
			return s;
	return NULL;
}

/* Finds or adds; *fresh tells which. NULL only when out of memory. */
static struct route_slot *set_insert(struct route_set *set, const struct ip_addr *dst,
				     uint8_t plen, bool *fresh)
{
	struct route_slot *s = set_find(set, dst, plen);
	*fresh = s == NULL;
	if (s)
		return s;
	s = pool_alloc(&set->pool);
	if (!s)
		return NULL;
	s->family = dst->family;
	s->prefixlen = plen;
	memcpy(s->bytes, dst->bytes, addr_len(dst->family));
	if (!hash_table_insert(&set->table, s, slot_hash(s))) {
		pool_free(&set->pool, s);
		return NULL;
	}
	set->used++;
	return s;
}

static void set_remove(struct route_set *set, struct route_slot *s)
{
	hash_table_remove(&set->table, s, slot_hash(s));
	pool_free(&set->pool, s);
	set->used--;
}

static struct ip_addr slot_addr(const struct route_slot *s)
{
	struct ip_addr a = { .family = s->family };
	memcpy(a.bytes, s->bytes, addr_len(s->family));
	return a;
}

/* ---------------------------------------------------------------------------------------- */
/* Route requests */

static bool host_bits_clear(const struct ip_addr *a, uint8_t plen)
{
	size_t n = addr_len(a->family);
	for (size_t bit = plen; bit < n * 8; bit++)
		if (a->bytes[bit / 8] & (0x80 >> (bit % 8)))
			return false;
	return true;
}

bool kernel_route_replace(struct kernel *k, const struct kernel_route *r, const char **why)
{
	const char *dummy;
	if (!why)
		why = &dummy;
	if (r->dst.family != AF_INET && r->dst.family != AF_INET6) {
		*why = "not an IPv4 or IPv6 prefix";
		return false;
	}
	if (r->prefixlen > addr_len(r->dst.family) * 8 || !host_bits_clear(&r->dst, r->prefixlen)) {
		*why = "bad prefix length or host bits set";
		return false;
	}
	struct kernel_route route = *r;
	if (route.metric == 0 && route.dst.family == AF_INET6)
		route.metric = 1024; /* what the kernel makes of 0, so the set matches it */
	if (!k->opt.no_fib) {
		size_t cap;
		uint8_t *p = kernel_batch_room(k, &cap);
		size_t n = kernel_msg_route_replace(p, cap, kernel_next_seq(k), &route);
		if (!n) {
			*why = "bad next hops";
			return false;
		}
		kernel_batch_commit(k, n);
	} else {
		/* ternd -n: nothing is sent and nothing is tracked (a full table would cost tens
		 * of megabytes of bookkeeping for routes that never reach the kernel). */
		if (route.nexthop_count > KERNEL_MAX_NEXTHOPS) {
			*why = "bad next hops";
			return false;
		}
		k->stats.route_replaces++;
		return true;
	}
	k->stats.route_replaces++;
	bool fresh;
	struct route_slot *s = set_insert(&k->routes, &route.dst, route.prefixlen, &fresh);
	if (!s) {
		/* Sent but untracked: close would leave it behind, so ask for a resync later. */
		log_error("kernel: out of memory tracking routes");
		k->resync_due = true;
		return true;
	}
	if (!fresh && s->metric != route.metric && !k->opt.no_fib) {
		/* The kernel keys routes by metric too: the replace added a second route, so
		 * remove the old one now that the new one is in place. */
		size_t cap;
		uint8_t *p = kernel_batch_room(k, &cap);
		size_t n = kernel_msg_route_delete(p, cap, kernel_next_seq(k), &route.dst, route.prefixlen,
						   true, s->metric);
		if (n)
			kernel_batch_commit(k, n);
	}
	s->metric = route.metric;
	s->gen = k->gen;
	return true;
}

bool kernel_fib_enabled(const struct kernel *k)
{
	return !k->opt.no_fib;
}

void kernel_route_delete(struct kernel *k, const struct ip_addr *dst, uint8_t prefixlen)
{
	struct route_slot *s = set_find(&k->routes, dst, prefixlen);
	if (!s)
		return;
	k->stats.route_deletes++;
	uint32_t metric = s->metric;
	set_remove(&k->routes, s);
	if (k->opt.no_fib)
		return;
	size_t cap;
	uint8_t *p = kernel_batch_room(k, &cap);
	size_t n = kernel_msg_route_delete(p, cap, kernel_next_seq(k), dst, prefixlen, true, metric);
	if (n)
		kernel_batch_commit(k, n);
}

void kernel_routes_resync_begin(struct kernel *k)
{
	if (++k->gen == 0)
		k->gen = 1;
}

void kernel_routes_resync_end(struct kernel *k)
{
	/* Deleting the route just returned is allowed during an iteration (lib/hash_table.h). */
	struct hash_table_iter it;
	hash_table_iter_init(&k->routes.table, &it);
	for (struct route_slot *s; (s = hash_table_iter_next(&k->routes.table, &it));) {
		if (s->gen == k->gen)
			continue;
		struct ip_addr dst = slot_addr(s);
		kernel_route_delete(k, &dst, s->prefixlen);
	}
}

void kernel_routes_remove_all(struct kernel *k)
{
	log_notice("kernel: deleting %zu routes", k->routes.used);
	struct hash_table_iter it;
	hash_table_iter_init(&k->routes.table, &it);
	for (struct route_slot *s; (s = hash_table_iter_next(&k->routes.table, &it));) {
		struct ip_addr dst = slot_addr(s);
		size_t cap;
		uint8_t *p = kernel_batch_room(k, &cap);
		size_t n = kernel_msg_route_delete(p, cap, kernel_next_seq(k), &dst, s->prefixlen,
						   false, 0);
		if (n)
			kernel_batch_commit(k, n);
		set_remove(&k->routes, s);
	}
}
