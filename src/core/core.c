/*
 * DOC: the core routing table (see core.h).
 *
 * Stored routes live in one hash table per family, keyed by prefix, each entry holding one
 * candidate per stored protocol. A bitmap of the prefix lengths in use keeps longest-prefix
 * match to a few lookups, and a small cache in front of it answers the same next hop once per
 * change of the table. Changes to the table are noted and, at the end of the loop iteration
 * that made them (an idle handle keeps the loop from blocking in between), the settle pass
 * runs: static routes are re-evaluated, next-hop trackers hear of changed answers
 * (nexthop.c), source routes follow their next hops into the kernel, and subscribers act on
 * the events of the iteration (events.c).
 *
 * What goes to the kernel: for each prefix the candidate with the lowest distance, a source's
 * route included; connected and local routes are the kernel's own and are never installed.
 * Every Tern route goes in with one metric, so a replace always replaces.
 */
#include "core/core_internal.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "kernel/kernel.h"
#include "lib/hash.h"
#include "lib/log.h"
#include "lib/memory.h"

static const uint8_t default_distance[CORE_PROTO_COUNT] = {
	[CORE_PROTO_CONNECTED] = CORE_DISTANCE_CONNECTED, [CORE_PROTO_LOCAL] = CORE_DISTANCE_CONNECTED,
	[CORE_PROTO_STATIC] = CORE_DISTANCE_STATIC, [CORE_PROTO_OSPF] = CORE_DISTANCE_OSPF,
	[CORE_PROTO_RIP] = CORE_DISTANCE_RIP,
};

uint64_t core_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static struct core_table *table_for(struct core *core, uint8_t family)
{
	return family == AF_INET6 ? &core->v6 : &core->v4;
}

/* OSPF and RIP neighbours choose prefixes: a keyed hash (lib/prefix.h). */
static uint64_t entry_hash(const void *entry)
{
	return prefix_hash_keyed(&((const struct core_entry *)entry)->prefix);
}

static struct core_entry *entry_find(struct core_table *t, const struct prefix *p)
{
	if (!t->table.size)
		return NULL;
	for (struct core_entry *e = hash_table_first(&t->table, prefix_hash_keyed(p)); e; e = e->hash_next)
		if (prefix_equal(&e->prefix, p))
			return e;
	return NULL;
}

const struct core_entry *core_entry_find(struct core *core, const struct prefix *prefix)
{
	return entry_find(table_for(core, prefix->family), prefix);
}

static void recount_lengths(struct core_table *t)
{
	memset(t->lengths, 0, sizeof(t->lengths));
	for (size_t i = 0; i < t->table.size; i++)
		for (struct core_entry *e = hash_table_bucket(&t->table, i); e; e = e->hash_next)
			t->lengths[e->prefix.len / 32] |= 1u << (e->prefix.len % 32);
}

/* The winning stored candidate of an entry. */
static const struct core_route_info *entry_winner(const struct core_entry *e, enum core_protocol *protocol)
{
	const struct core_route_info *best = NULL;
	for (int p = 0; p < CORE_PROTO_STORED_COUNT; p++) {
		const struct core_route_info *c = e->candidates[p];
		if (c && (!best || c->distance < best->distance)) {
			best = c;
			if (protocol)
				*protocol = (enum core_protocol)p;
		}
	}
	return best;
}

static void wake_cb(uv_idle_t *handle)
{
	(void)handle; /* only keeps the loop from blocking until settle_cb has run */
}

void core_wake(struct core *core)
{
	/* settle_cb in this loop iteration, not after the next wakeup; a change made by settle_cb
	 * itself waits for the next iteration as before (no busy loop on a feedback) */
	if (core->loop && !core->settling)
		uv_idle_start(&core->wake, wake_cb);
}

static void mark_changed(struct core *core)
{
	core->changed = true;
	core->generation++;
	core_wake(core);
}

/* ---- longest-prefix match and next-hop resolution ---- */

static const struct core_entry *lookup_longest(struct core *core, const struct ip_addr *addr)
{
	struct core_table *t = table_for(core, addr->family);
	int max = addr->family == AF_INET6 ? 128 : 32;
	for (int len = max; len >= 0; len--) {
		if (!(t->lengths[len / 32] & (1u << (len % 32))))
			continue;
		struct prefix p = prefix_make(addr, (uint8_t)len);
		const struct core_entry *e = entry_find(t, &p);
		if (e && entry_winner(e, NULL))
			return e;
	}
	return NULL;
}

/* Resolves an address to the interface and gateway a packet to it leaves by. */
static bool resolve(struct core *core, const struct ip_addr *addr, struct core_nexthop *out, uint32_t *metric,
		    int depth)
{
	const struct core_entry *e = lookup_longest(core, addr);
	if (!e || depth > CORE_RESOLVE_DEPTH)
		return false;
	enum core_protocol protocol = CORE_PROTO_COUNT;
	const struct core_route_info *w = entry_winner(e, &protocol);
	if (!w || !w->nexthop_count)
		return false;
	*metric = w->metric;
	const struct core_nexthop *nh = &w->nexthops[0];
	if (protocol == CORE_PROTO_CONNECTED || protocol == CORE_PROTO_LOCAL) {
		out->gateway = *addr;
		out->ifindex = nh->ifindex;
		if (protocol == CORE_PROTO_LOCAL)
			out->gateway.family = 0; /* our own address */
		return true;
	}
	if (!ip_addr_is_set(&nh->gateway)) {
		out->gateway = *addr;
		out->ifindex = nh->ifindex;
		return true;
	}
	/* A route via a gateway: the gateway itself must be reachable (recursive static). */
	uint32_t ignored;
	struct core_nexthop inner;
	if (!resolve(core, &nh->gateway, &inner, &ignored, depth + 1))
		return false;
	out->gateway = nh->gateway;
	out->ifindex = inner.ifindex;
	return true;
}

static struct cache_slot *resolve_cached(struct core *core, const struct ip_addr *addr)
{
	struct cache_slot *slot = &core->cache[core_addr_hash(addr) % CORE_CACHE_SLOTS];
	if (slot->generation == core->generation && core->generation && ip_addr_equal(&slot->addr, addr))
		return slot;
	slot->addr = *addr;
	slot->generation = core->generation;
	slot->metric = 0;
	slot->resolved = resolve(core, addr, &slot->nexthop, &slot->metric, 0);
	return slot;
}

bool core_is_local_address(struct core *core, const struct ip_addr *addr)
{
	if (!core->kernel)
		return false;
	/* The kernel's view of every interface address (src/kernel keeps it from netlink). */
	const struct kernel_ifaces *ifaces = kernel_ifaces(core->kernel);
	size_t cursor = 0;
	const struct kernel_addr *a;
	while ((a = kernel_ifaces_addr_next(ifaces, 0, &cursor)))
		if (ip_addr_equal(&a->addr, addr))
			return true;
	return false;
}

bool core_resolve_answer(struct core *core, const struct ip_addr *addr, struct core_nexthop *nexthop,
			 uint32_t *metric)
{
	struct cache_slot *slot = resolve_cached(core, addr);
	*metric = slot->metric;
	*nexthop = slot->nexthop;
	if (!slot->resolved)
		memset(nexthop, 0, sizeof(*nexthop));
	return slot->resolved;
}

bool core_resolve(struct core *core, const struct ip_addr *next_hop, uint32_t *metric)
{
	struct core_nexthop ignored;
	return core_resolve_answer(core, next_hop, &ignored, metric);
}

/* ---- kernel ---- */

static void kernel_install(struct core *core, const struct prefix *p, const struct core_route_info *info)
{
	if (!core->kernel)
		return;
	struct kernel_route r = { .prefixlen = p->len, .metric = CORE_KERNEL_METRIC };
	r.dst = prefix_address(p);
	for (unsigned i = 0; i < info->nexthop_count && i < KERNEL_MAX_NEXTHOPS; i++) {
		r.nexthops[i].gateway = info->nexthops[i].gateway;
		r.nexthops[i].ifindex = info->nexthops[i].ifindex;
		r.nexthop_count++;
	}
	const char *why = NULL;
	if (!kernel_route_replace(core->kernel, &r, &why) && why)
		log_warning("core: route not installed: %s", why);
}

static void kernel_remove(struct core *core, const struct prefix *p)
{
	if (!core->kernel)
		return;
	struct ip_addr dst = prefix_address(p);
	kernel_route_delete(core->kernel, &dst, p->len);
}

/* ---- route sources ---- */

/* The route a source holds for p as the kernel needs it: its next hop resolved to a gateway
 * and interface. False when it cannot go in (originated here: the route it comes from is
 * already in the table; or its next hop does not resolve). */
static bool source_kernel_info(struct core *core, const struct core_source_route *route, struct core_route_info *info)
{
	memset(info, 0, sizeof(*info));
	info->distance = route->info.distance;
	info->metric = route->info.metric;
	if (route->local || !route->info.nexthop_count)
		return false;
	struct cache_slot *slot = resolve_cached(core, &route->info.nexthops[0].gateway);
	if (!slot->resolved || !ip_addr_is_set(&slot->nexthop.gateway))
		return false;
	info->nexthop_count = 1;
	info->nexthops[0] = slot->nexthop;
	return true;
}

/* The best route the attached sources hold for p (lowest distance), or false. known, if not
 * NULL, is source's route for p (NULL with source: it has none), not looked up again. */
static bool sources_best(struct core *core, const struct prefix *p, const struct core_source *source,
			 const struct core_source_route *known, struct core_source_route *out)
{
	bool found = false;
	for (int k = CORE_PROTO_STORED_COUNT; k < CORE_PROTO_COUNT; k++) {
		struct core_source *s = core->sources[k];
		if (!s)
			continue;
		struct core_source_route r;
		if (s == source) {
			if (!known)
				continue;
			r = *known;
		} else {
			const void *handle = s->ops->lookup(s->ctx, p);
			if (!handle)
				continue;
			s->ops->describe(s->ctx, handle, &r);
		}
		if (!found || r.info.distance < out->info.distance) {
			*out = r;
			found = true;
		}
	}
	return found;
}

/* Puts the winner of one prefix, a source's route included, into the kernel. */
static void fib_sync(struct core *core, const struct prefix *p, const struct core_entry *e,
		     const struct core_source_route *source_route)
{
	enum core_protocol protocol = CORE_PROTO_COUNT;
	const struct core_route_info *w = e ? entry_winner(e, &protocol) : NULL;
	if (source_route && (!w || source_route->info.distance < w->distance)) {
		struct core_route_info info;
		if (source_kernel_info(core, source_route, &info))
			kernel_install(core, p, &info);
		else
			kernel_remove(core, p);
		return;
	}
	if (!w || protocol == CORE_PROTO_CONNECTED || protocol == CORE_PROTO_LOCAL) {
		kernel_remove(core, p);
		return;
	}
	kernel_install(core, p, w);
}

static bool kernel_routes_wanted(const struct core *core)
{
	/* under ternd -n there is no kernel work: a full table's worth */
	return core->kernel && kernel_fib_enabled(core->kernel);
}

/* The stored table and the sources together, for one prefix. */
static void fib_sync_prefix(struct core *core, const struct prefix *p, const struct core_entry *e)
{
	struct core_source_route best;
	bool any = sources_best(core, p, NULL, NULL, &best);
	fib_sync(core, p, e, any ? &best : NULL);
}

bool core_source_heard(const struct core_source *source)
{
	return kernel_routes_wanted(source->core) || (source->core->candidate_mask & CORE_PROTO_BIT(source->protocol));
}

void core_source_changed(struct core_source *source, const struct prefix *prefix, const void *handle)
{
	struct core *core = source->core;
	bool kernel = kernel_routes_wanted(core);
	bool listened = core->candidate_mask & CORE_PROTO_BIT(source->protocol);
	if (!kernel && !listened)
		return; /* a full table loading under ternd -n with no redistribution: no work */
	struct prefix p = *prefix;
	prefix_clear_host_bits(&p);
	struct core_source_route route;
	bool present = handle && source->attached;
	if (present)
		source->ops->describe(source->ctx, handle, &route);
	if (kernel) {
		struct core_source_route best;
		bool any = sources_best(core, &p, source, present ? &route : NULL, &best);
		fib_sync(core, &p, entry_find(table_for(core, p.family), &p), any ? &best : NULL);
	}
	if (listened)
		core_events_candidate(core, &p, source->protocol, present, present ? route.info.metric : 0,
				      present && route.local);
}

struct core_source *core_source_attach(struct core *core, enum core_protocol protocol,
				       const struct core_source_ops *ops, void *ctx)
{
	if (protocol < CORE_PROTO_STORED_COUNT || protocol >= CORE_PROTO_COUNT || core->sources[protocol])
		return NULL;
	struct core_source *s = memory_calloc(MEMORY_CORE, 1, sizeof(*s));
	if (!s)
		return NULL;
	s->core = core;
	s->protocol = protocol;
	s->ops = ops;
	s->ctx = ctx;
	s->attached = true;
	s->owned_next = core->owned_sources;
	core->owned_sources = s;
	core->sources[protocol] = s;
	/* its routes compete from now on: the settle pass puts them in the kernel */
	core->repush_sources = true;
	mark_changed(core);
	return s;
}

void core_source_detach(struct core_source *source)
{
	if (!source || !source->attached)
		return;
	source->attached = false;
	source->core->sources[source->protocol] = NULL;
	mark_changed(source->core);
}

struct source_walk {
	struct core_source *source;
	void (*fn)(void *ctx, const void *handle);
	void *ctx;
};

void core_source_walk(struct core_source *source, uint8_t family, void (*fn)(void *ctx, const void *handle), void *ctx)
{
	struct core_source_cursor cursor;
	source->ops->walk_open(source->ctx, &cursor, family);
	while (source->ops->walk_step(source->ctx, &cursor, SIZE_MAX, fn, ctx))
		;
}

static void reinstall_one(void *ctx, const void *handle)
{
	struct source_walk *w = ctx;
	struct core *core = w->source->core;
	struct prefix p;
	w->source->ops->prefix(w->source->ctx, handle, &p);
	struct core_source_route route;
	w->source->ops->describe(w->source->ctx, handle, &route);
	struct core_source_route best;
	bool any = sources_best(core, &p, w->source, &route, &best);
	fib_sync(core, &p, entry_find(table_for(core, p.family), &p), any ? &best : NULL);
}

/* Every route of the sources into the kernel again: their next hops may resolve otherwise. */
static void reinstall_sources(struct core *core)
{
	if (!kernel_routes_wanted(core))
		return;
	for (int k = CORE_PROTO_STORED_COUNT; k < CORE_PROTO_COUNT; k++) {
		struct core_source *s = core->sources[k];
		if (!s)
			continue;
		struct source_walk w = { s, NULL, NULL };
		core_source_walk(s, AF_INET, reinstall_one, &w);
		core_source_walk(s, AF_INET6, reinstall_one, &w);
	}
}

/* ---- stored candidates ---- */

/* Tells the subscribers what one core_route_set changed: the candidate, and the winner when
 * the candidate was or is it. A candidate set again as it was is no news. */
static void route_set_events(struct core *core, const struct prefix *p, enum core_protocol protocol,
			     const struct core_route_info *info, bool same, enum core_protocol before,
			     const struct core_entry *e)
{
	if (same)
		return;
	if (core->candidate_mask & CORE_PROTO_BIT(protocol))
		core_events_candidate(core, p, protocol, info != NULL, info ? info->metric : 0, false);
	enum core_protocol after = CORE_PROTO_COUNT;
	const struct core_route_info *w = entry_winner(e, &after);
	if ((before == protocol || after == protocol) &&
	    (core->winner_mask & (CORE_PROTO_BIT(before) | CORE_PROTO_BIT(after))))
		core_events_winner(core, p, before, after, w ? w->metric : 0);
}

void core_route_set(struct core *core, const struct prefix *prefix, enum core_protocol protocol,
		    const struct core_route_info *info)
{
	if (protocol >= CORE_PROTO_STORED_COUNT)
		return; /* a source's routes stay in its table (core_source_changed) */
	struct prefix p = *prefix;
	prefix_clear_host_bits(&p);
	struct core_table *t = table_for(core, p.family);
	struct core_entry *e = entry_find(t, &p);
	if (!e && !info)
		return;
	enum core_protocol before = CORE_PROTO_COUNT;
	if (e)
		entry_winner(e, &before);
	const struct core_route_info *old = e ? e->candidates[protocol] : NULL;
	bool same = (!old && !info) || (old && info && !memcmp(old, info, sizeof(*info)));
	if (!e) {
		e = memory_calloc(MEMORY_CORE, 1, sizeof(*e));
		if (!e)
			return;
		e->prefix = p;
		if (!hash_table_insert(&t->table, e, prefix_hash_keyed(&p))) {
			memory_free(MEMORY_CORE, e);
			return;
		}
		t->lengths[p.len / 32] |= 1u << (p.len % 32);
	}
	if (info) {
		if (!e->candidates[protocol]) {
			e->candidates[protocol] = memory_alloc(MEMORY_CORE, sizeof(*info));
			e->since_ms[protocol] = core_now_ms();
		}
		if (e->candidates[protocol]) {
			*e->candidates[protocol] = *info;
			if (!e->candidates[protocol]->distance && protocol != CORE_PROTO_CONNECTED &&
			    protocol != CORE_PROTO_LOCAL)
				e->candidates[protocol]->distance = default_distance[protocol];
		}
	} else {
		memory_free(MEMORY_CORE, e->candidates[protocol]);
		e->candidates[protocol] = NULL;
	}
	mark_changed(core);
	fib_sync_prefix(core, &p, e);
	route_set_events(core, &p, protocol, info ? e->candidates[protocol] : NULL, same, before, e);
	if (!entry_winner(e, NULL)) {
		hash_table_remove(&t->table, e, prefix_hash_keyed(&p));
		memory_free(MEMORY_CORE, e);
		recount_lengths(t);
	}
}

static void push_entry_winners(struct core *core, struct core_table *t);

static void core_repush_static_and_igp(struct core *core)
{
	push_entry_winners(core, &core->v4);
	push_entry_winners(core, &core->v6);
	core->repush_sources = true; /* the settle pass does the sources' */
	mark_changed(core);
}

/* ---- connected routes ---- */

static bool usable_interface_address(const struct ip_addr *addr)
{
	if (addr->family == AF_INET)
		return addr->bytes[0] != 127;
	if (addr->family == AF_INET6) {
		static const uint8_t loopback6[16] = { [15] = 1 };
		bool link_local = addr->bytes[0] == 0xfe && (addr->bytes[1] & 0xc0) == 0x80;
		return !link_local && memcmp(addr->bytes, loopback6, 16) != 0;
	}
	return false;
}

void core_interface_address(struct core *core, uint32_t ifindex, const struct ip_addr *addr, uint8_t len, bool added)
{
	if (!usable_interface_address(addr))
		return;
	struct core_route_info info = { .distance = CORE_DISTANCE_CONNECTED, .nexthop_count = 1 };
	info.nexthops[0].ifindex = ifindex;
	struct prefix subnet = prefix_make(addr, len);
	struct prefix host = prefix_make(addr, addr->family == AF_INET ? 32 : 128);
	/* IOS: a /32 (a loopback) is "C"; a subnet gets "C" for the subnet and "L" for us. */
	if (len == host.len) {
		core_route_set(core, &host, CORE_PROTO_CONNECTED, added ? &info : NULL);
		return;
	}
	core_route_set(core, &subnet, CORE_PROTO_CONNECTED, added ? &info : NULL);
	core_route_set(core, &host, CORE_PROTO_LOCAL, added ? &info : NULL);
}

void core_interface_state(struct core *core, uint32_t ifindex, bool up)
{
	if (!core->kernel)
		return;
	const struct kernel_ifaces *ifaces = kernel_ifaces(core->kernel);
	size_t cursor = 0;
	const struct kernel_addr *a;
	while ((a = kernel_ifaces_addr_next(ifaces, ifindex, &cursor)))
		core_interface_address(core, ifindex, &a->addr, a->prefixlen, up);
	/* Linux drops IPv4 routes through a link that goes down; when it comes back, our routes
	 * through it are pushed again (the settle pass does the sources'). */
	if (up)
		core_repush_static_and_igp(core);
}

/* ---- static routes ---- */

/* IOS puts a static route in the table only while it is usable: its interface exists and is
 * up, and its next hop resolves through another route. */
static bool static_usable(struct core *core, const struct config_static_route *s, struct core_route_info *info)
{
	memset(info, 0, sizeof(*info));
	info->distance = s->distance ? s->distance : CORE_DISTANCE_STATIC;
	info->nexthop_count = 1;
	info->nexthops[0].gateway = s->next_hop;
	if (s->interface[0]) {
		if (!core->kernel)
			return false;
		struct ifname name;
		const struct kernel_link *link = NULL;
		if (ifname_parse(s->interface, &name))
			link = kernel_ifaces_link_by_name(kernel_ifaces(core->kernel), name.linux_name);
		if (!link || !link->admin_up || !link->oper_up)
			return false;
		info->nexthops[0].ifindex = link->ifindex;
	}
	if (!ip_addr_is_set(&s->next_hop))
		return s->interface[0] != 0;
	/* The next hop must resolve, and not through this very prefix (a route cannot carry
	 * itself). */
	const struct core_entry *e = lookup_longest(core, &s->next_hop);
	if (!e || (e->prefix.len == s->prefix.len && !memcmp(e->prefix.addr, s->prefix.addr, 16)))
		return false;
	struct core_nexthop nh;
	uint32_t metric;
	return resolve(core, &s->next_hop, &nh, &metric, 1);
}

/* IOS keeps every static route: per prefix the usable ones with the lowest distance are in
 * the table (several at that distance are equal-cost next hops), and a floating static
 * (a higher distance) takes over when they become unusable. Only changes touch the table,
 * so this settles. */
static void statics_refresh(struct core *core)
{
	for (size_t i = 0; i < core->static_count; i++)
		core->static_usable[i] = static_usable(core, &core->statics[i], &core->static_info[i]);
	for (size_t i = 0; i < core->static_count; i++) {
		const struct prefix *p = &core->statics[i].prefix;
		bool first = true;
		for (size_t k = 0; k < i && first; k++)
			first = memcmp(&core->statics[k].prefix, p, sizeof(*p)) != 0;
		if (!first)
			continue; /* this prefix was done with its first route */
		struct core_route_info best;
		memset(&best, 0, sizeof(best)); /* compared with memcmp below: padding too */
		for (size_t k = i; k < core->static_count; k++) {
			if (!core->static_usable[k] || memcmp(&core->statics[k].prefix, p, sizeof(*p)))
				continue;
			const struct core_route_info *c = &core->static_info[k];
			if (!best.nexthop_count || c->distance < best.distance) {
				best = *c;
			} else if (c->distance == best.distance && best.nexthop_count < CORE_NEXTHOPS_MAX) {
				best.nexthops[best.nexthop_count++] = c->nexthops[0];
			}
		}
		struct prefix masked = *p;
		prefix_clear_host_bits(&masked);
		const struct core_entry *e = entry_find(table_for(core, masked.family), &masked);
		const struct core_route_info *now = e ? e->candidates[CORE_PROTO_STATIC] : NULL;
		if (!best.nexthop_count && !now)
			continue;
		if (best.nexthop_count && now && !memcmp(now, &best, sizeof(best)))
			continue;
		core_route_set(core, p, CORE_PROTO_STATIC, best.nexthop_count ? &best : NULL);
	}
}

void core_static_configure(struct core *core, const struct config *config)
{
	for (size_t i = 0; i < core->static_count; i++)
		core_route_set(core, &core->statics[i].prefix, CORE_PROTO_STATIC, NULL);
	memory_free(MEMORY_CORE, core->statics);
	memory_free(MEMORY_CORE, core->static_usable);
	memory_free(MEMORY_CORE, core->static_info);
	core->statics = NULL;
	core->static_usable = NULL;
	core->static_info = NULL;
	core->static_count = 0;
	size_t n = config->static_route_count;
	if (n) {
		core->statics = memory_alloc(MEMORY_CORE, n * sizeof(*core->statics));
		core->static_usable = memory_calloc(MEMORY_CORE, n, sizeof(*core->static_usable));
		core->static_info = memory_calloc(MEMORY_CORE, n, sizeof(*core->static_info));
		if (!core->statics || !core->static_usable || !core->static_info) {
			memory_free(MEMORY_CORE, core->statics);
			memory_free(MEMORY_CORE, core->static_usable);
			memory_free(MEMORY_CORE, core->static_info);
			core->statics = NULL;
			core->static_usable = NULL;
			core->static_info = NULL;
			return;
		}
		memcpy(core->statics, config->static_routes, n * sizeof(*core->statics));
		core->static_count = n;
	}
	/* Static routes may resolve through each other: a few passes settle them. */
	for (int pass = 0; pass < 4; pass++)
		statics_refresh(core);
}

/* ---- lookups for origination ---- */

bool core_has_prefix(struct core *core, const struct prefix *prefix, enum core_protocol *protocol,
		     uint32_t *metric)
{
	struct prefix p = *prefix;
	prefix_clear_host_bits(&p);
	const struct core_entry *e = entry_find(table_for(core, p.family), &p);
	enum core_protocol proto = CORE_PROTO_COUNT;
	const struct core_route_info *w = e ? entry_winner(e, &proto) : NULL;
	if (!w)
		return false;
	if (protocol)
		*protocol = proto;
	if (metric)
		*metric = w->metric;
	return true;
}

struct protocol_walk {
	struct core_source *source;
	void (*fn)(void *ctx, const struct prefix *prefix, uint32_t metric);
	void *ctx;
};

static void walk_source_route(void *ctx, const void *handle)
{
	struct protocol_walk *w = ctx;
	struct core_source_route route;
	w->source->ops->describe(w->source->ctx, handle, &route);
	if (route.local)
		return;
	struct prefix p;
	w->source->ops->prefix(w->source->ctx, handle, &p);
	w->fn(w->ctx, &p, route.info.metric);
}

void core_walk_protocol(struct core *core, enum core_protocol protocol,
			void (*fn)(void *ctx, const struct prefix *prefix, uint32_t metric), void *ctx)
{
	if (protocol >= CORE_PROTO_STORED_COUNT) {
		struct core_source *s = protocol < CORE_PROTO_COUNT ? core->sources[protocol] : NULL;
		if (!s)
			return;
		struct protocol_walk w = { s, fn, ctx };
		core_source_walk(s, AF_INET, walk_source_route, &w);
		core_source_walk(s, AF_INET6, walk_source_route, &w);
		return;
	}
	struct core_table *tables[2] = { &core->v4, &core->v6 };
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < tables[k]->table.size; i++)
			for (struct core_entry *e = hash_table_bucket(&tables[k]->table, i); e; e = e->hash_next) {
				enum core_protocol proto = CORE_PROTO_COUNT;
				const struct core_route_info *w = entry_winner(e, &proto);
				if (w && proto == protocol)
					fn(ctx, &e->prefix, w->metric);
			}
}

bool core_redistributable(struct core *core, enum core_protocol protocol, const struct prefix *prefix,
			  uint32_t *metric)
{
	if (protocol >= CORE_PROTO_STORED_COUNT) {
		struct core_source *s = protocol < CORE_PROTO_COUNT ? core->sources[protocol] : NULL;
		if (!s)
			return false;
		const void *handle = s->ops->lookup(s->ctx, prefix);
		if (!handle)
			return false;
		struct core_source_route route;
		s->ops->describe(s->ctx, handle, &route);
		if (route.local)
			return false;
		if (metric)
			*metric = route.info.metric;
		return true;
	}
	enum core_protocol winner = CORE_PROTO_COUNT;
	uint32_t m = 0;
	if (!core_has_prefix(core, prefix, &winner, &m) || winner != protocol)
		return false;
	if (metric)
		*metric = m;
	return true;
}

/* ---- settling: once per loop iteration after changes ---- */

static void settle_cb(uv_check_t *handle)
{
	struct core *core = handle->data;
	uv_idle_stop(&core->wake);
	if (!core->changed && !core->events_pending && !core->repush_sources)
		return;
	core->settling = true;
	if (core->changed) {
		for (int pass = 0; pass < 4; pass++)
			statics_refresh(core);
		core->changed = false;
		/* Next-hop tracking: a tracker (BGP) decides again; then the sources' kernel routes
		 * follow the table their next hops resolve through. */
		if (core_nexthops_check(core))
			core->repush_sources = true;
	}
	if (core->repush_sources) {
		core->repush_sources = false;
		reinstall_sources(core);
	}
	core_events_batch_end(core);
	core->settling = false;
}

struct core *core_create(uv_loop_t *loop, struct kernel *kernel)
{
	struct core *core = memory_calloc(MEMORY_CORE, 1, sizeof(*core));
	if (!core)
		return NULL;
	core->loop = loop;
	core->kernel = kernel;
	core->generation = 1;
	struct hash_table_options options = { .initial_size = 256, .max_load = 1 };
	hash_table_init(&core->v4.table, MEMORY_CORE, offsetof(struct core_entry, hash_next), entry_hash, &options);
	hash_table_init(&core->v6.table, MEMORY_CORE, offsetof(struct core_entry, hash_next), entry_hash, &options);
	if (loop) {
		uv_check_init(loop, &core->settle);
		core->settle.data = core;
		uv_check_start(&core->settle, settle_cb);
		uv_unref((uv_handle_t *)&core->settle);
		uv_idle_init(loop, &core->wake);
		core->wake.data = core;
		uv_unref((uv_handle_t *)&core->wake);
	}
	return core;
}

static void table_free(struct core_table *t)
{
	for (size_t i = 0; i < t->table.size; i++)
		for (struct core_entry *e = hash_table_bucket(&t->table, i), *next; e; e = next) {
			next = e->hash_next;
			for (int p = 0; p < CORE_PROTO_COUNT; p++)
				memory_free(MEMORY_CORE, e->candidates[p]);
			memory_free(MEMORY_CORE, e);
		}
	hash_table_free(&t->table);
}

static void handle_closed(uv_handle_t *handle)
{
	struct core *core = handle->data;
	if (--core->open_handles == 0)
		memory_free(MEMORY_CORE, core);
}

void core_destroy(struct core *core)
{
	if (!core)
		return;
	table_free(&core->v4);
	table_free(&core->v6);
	core_events_free(core);
	core_nexthops_free(core);
	for (struct core_source *s = core->owned_sources, *next; s; s = next) {
		next = s->owned_next;
		if (s->ops->release)
			s->ops->release(s->ctx);
		memory_free(MEMORY_CORE, s);
	}
	memory_free(MEMORY_CORE, core->statics);
	memory_free(MEMORY_CORE, core->static_usable);
	memory_free(MEMORY_CORE, core->static_info);
	if (core->loop) {
		/* the core goes once the loop has closed its handles */
		core->open_handles = 2;
		uv_close((uv_handle_t *)&core->settle, handle_closed);
		uv_close((uv_handle_t *)&core->wake, handle_closed);
		return;
	}
	memory_free(MEMORY_CORE, core);
}

void core_set_kernel(struct core *core, struct kernel *kernel)
{
	core->kernel = kernel;
	if (!kernel)
		return;
	/* Connected routes of every link that is up, as the kernel has them now. */
	const struct kernel_ifaces *ifaces = kernel_ifaces(kernel);
	for (size_t i = 0; i < kernel_ifaces_link_count(ifaces); i++) {
		const struct kernel_link *link = kernel_ifaces_link_at(ifaces, i);
		if (link->admin_up && link->oper_up)
			core_interface_state(core, link->ifindex, true);
	}
}

static void push_entry_winners(struct core *core, struct core_table *t)
{
	for (size_t i = 0; i < t->table.size; i++)
		for (struct core_entry *e = hash_table_bucket(&t->table, i); e; e = e->hash_next)
			fib_sync_prefix(core, &e->prefix, e);
}

void core_kernel_resync(struct core *core)
{
	if (!core->kernel)
		return;
	/* ENOBUFS lost replies: push every winner again; the kernel module removes the rest. */
	kernel_routes_resync_begin(core->kernel);
	push_entry_winners(core, &core->v4);
	push_entry_winners(core, &core->v6);
	reinstall_sources(core);
	kernel_routes_resync_end(core->kernel);
}
