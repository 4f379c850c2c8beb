/*
 * DOC: the routes we install: kernel_route_replace and kernel_route_delete queue their requests
 * in the batch (kernel.c sends it), and a hash set keyed by prefix remembers each route with its
 * metric and a generation number: kernel_close deletes what it holds, a metric change knows
 * which old route to remove, and resync_end deletes what the resync did not replace.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "lib/log.h"

static size_t addr_len(uint8_t family)
{
	return family == AF_INET ? 4 : 16;
}

static uint64_t route_hash(uint8_t family, uint8_t plen, const uint8_t *bytes)
{
	/* FNV-1a: prefixes are not chosen by an attacker we could not also just flood with. */
	uint64_t h = 1469598103934665603ull;
	h = (h ^ family) * 1099511628211ull;
	h = (h ^ plen) * 1099511628211ull;
	for (size_t i = 0; i < addr_len(family); i++)
		h = (h ^ bytes[i]) * 1099511628211ull;
	return h ^ (h >> 29);
}

static bool slot_is(const struct route_slot *s, uint8_t family, uint8_t plen, const uint8_t *b)
{
	return s->state == SLOT_USED && s->family == family && s->prefixlen == plen &&
	       memcmp(s->bytes, b, addr_len(family)) == 0;
}

static struct route_slot *set_find(const struct route_set *set, const struct ip_addr *dst,
				   uint8_t plen)
{
	if (!set->cap)
		return NULL;
	size_t mask = set->cap - 1;
	for (size_t i = route_hash(dst->family, plen, dst->bytes) & mask;; i = (i + 1) & mask) {
		struct route_slot *s = &set->slots[i];
		if (s->state == SLOT_EMPTY)
			return NULL;
		if (slot_is(s, dst->family, plen, dst->bytes))
			return s;
	}
}

static bool set_grow(struct route_set *set)
{
	size_t cap = set->cap ? set->cap : 1024;
	while ((set->used + 1) * 2 > cap)
		cap *= 2;
	struct route_slot *slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return false;
	for (size_t i = 0; i < set->cap; i++) {
		struct route_slot *s = &set->slots[i];
		if (s->state != SLOT_USED)
			continue;
		size_t j = route_hash(s->family, s->prefixlen, s->bytes) & (cap - 1);
		while (slots[j].state != SLOT_EMPTY)
			j = (j + 1) & (cap - 1);
		slots[j] = *s;
	}
	free(set->slots);
	set->slots = slots;
	set->cap = cap;
	set->dead = 0;
	return true;
}

/* Finds or adds; *fresh tells which. NULL only when out of memory. */
static struct route_slot *set_insert(struct route_set *set, const struct ip_addr *dst,
				     uint8_t plen, bool *fresh)
{
	struct route_slot *s = set_find(set, dst, plen);
	*fresh = s == NULL;
	if (s)
		return s;
	/* Keep at most 3/4 of the slots non-empty so probes stay short. */
	if ((set->used + set->dead + 1) * 4 > set->cap * 3 && !set_grow(set))
		return NULL;
	size_t mask = set->cap - 1;
	size_t i = route_hash(dst->family, plen, dst->bytes) & mask;
	while (set->slots[i].state == SLOT_USED)
		i = (i + 1) & mask;
	s = &set->slots[i];
	if (s->state == SLOT_DEAD)
		set->dead--;
	memset(s, 0, sizeof(*s));
	s->state = SLOT_USED;
	s->family = dst->family;
	s->prefixlen = plen;
	memcpy(s->bytes, dst->bytes, addr_len(dst->family));
	set->used++;
	return s;
}

static void set_remove(struct route_set *set, struct route_slot *s)
{
	s->state = SLOT_DEAD;
	set->used--;
	set->dead++;
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
	for (size_t i = 0; i < k->routes.cap; i++) {
		struct route_slot *s = &k->routes.slots[i];
		if (s->state != SLOT_USED || s->gen == k->gen)
			continue;
		struct ip_addr dst = slot_addr(s);
		kernel_route_delete(k, &dst, s->prefixlen);
	}
}

void kernel_routes_remove_all(struct kernel *k)
{
	log_notice("kernel: deleting %zu routes", k->routes.used);
	for (size_t i = 0; i < k->routes.cap; i++) {
		struct route_slot *s = &k->routes.slots[i];
		if (s->state != SLOT_USED)
			continue;
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
