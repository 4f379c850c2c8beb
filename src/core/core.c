/*
 * DOC: the core routing table (see core.h).
 *
 * Non-BGP routes live in one hash table per family, keyed by prefix, each entry holding one
 * candidate per protocol. A bitmap of the prefix lengths in use keeps longest-prefix match
 * to a few lookups, and a small cache in front of it answers the same BGP next hop once per
 * change of the table. Changes to the table are noted and, at the end of the loop iteration
 * that made them (an idle handle keeps the loop from blocking in between), BGP is told
 * (next-hop tracking) and the change hook runs (network statements, redistribution).
 *
 * What goes to the kernel: for each prefix the candidate with the lowest distance, BGP's best
 * path included; connected and local routes are the kernel's own and are never installed.
 * Every Tern route goes in with one metric, so a replace always replaces.
 */
#include "core/core_internal.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "bgp/bgp.h"
#include "bgp/rib.h"
#include "kernel/kernel.h"
#include "lib/hash.h"
#include "lib/log.h"

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

static size_t addr_len(uint8_t family)
{
	return family == AF_INET6 ? 16 : 4;
}

/* OSPF and RIP neighbours choose prefixes: a keyed hash (lib/hash.h). */
static uint64_t prefix_hash(const struct config_prefix *p)
{
	uint8_t key[17];
	memcpy(key, p->addr, addr_len(p->family));
	key[addr_len(p->family)] = p->len;
	return hash_keyed(key, addr_len(p->family) + 1);
}

static uint64_t entry_hash(const void *entry)
{
	return prefix_hash(&((const struct core_entry *)entry)->prefix);
}

static bool prefix_equal(const struct config_prefix *a, const struct config_prefix *b)
{
	return a->family == b->family && a->len == b->len && !memcmp(a->addr, b->addr, addr_len(a->family));
}

static void prefix_mask(struct config_prefix *p)
{
	size_t n = addr_len(p->family);
	for (size_t i = 0; i < n; i++) {
		int bits = (int)p->len - (int)i * 8;
		uint8_t mask = bits >= 8 ? 0xff : bits <= 0 ? 0 : (uint8_t)(0xff << (8 - bits));
		p->addr[i] &= mask;
	}
	for (size_t i = n; i < 16; i++)
		p->addr[i] = 0;
}

static struct core_entry *entry_find(struct core_table *t, const struct config_prefix *p)
{
	if (!t->table.size)
		return NULL;
	for (struct core_entry *e = hash_table_first(&t->table, prefix_hash(p)); e; e = e->hash_next)
		if (prefix_equal(&e->prefix, p))
			return e;
	return NULL;
}

const struct core_entry *core_entry_find(struct core *core, const struct config_prefix *prefix)
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

/* The winning non-BGP candidate of an entry. */
static const struct core_route_info *entry_winner(const struct core_entry *e, enum core_protocol *protocol)
{
	const struct core_route_info *best = NULL;
	for (int p = 0; p < CORE_PROTO_COUNT; p++) {
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

static void mark_changed(struct core *core)
{
	core->changed = true;
	core->generation++;
	/* settle_cb in this loop iteration, not after the next wakeup; a change made by settle_cb
	 * itself waits for the next iteration as before (no busy loop on a feedback) */
	if (core->loop && !core->settling)
		uv_idle_start(&core->wake, wake_cb);
}

/* ---- longest-prefix match and next-hop resolution ---- */

static const struct core_entry *lookup_longest(struct core *core, const struct ip_addr *addr)
{
	struct core_table *t = table_for(core, addr->family);
	int max = addr->family == AF_INET6 ? 128 : 32;
	for (int len = max; len >= 0; len--) {
		if (!(t->lengths[len / 32] & (1u << (len % 32))))
			continue;
		struct config_prefix p = { .family = addr->family, .len = (uint8_t)len };
		memcpy(p.addr, addr->bytes, addr_len(addr->family));
		prefix_mask(&p);
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
	struct cache_slot *slot = &core->cache[(hash_keyed(addr->bytes, 16) ^ addr->family) % CORE_CACHE_SLOTS];
	if (slot->generation == core->generation && core->generation && ip_addr_equal(&slot->addr, addr))
		return slot;
	slot->addr = *addr;
	slot->generation = core->generation;
	slot->metric = 0;
	slot->resolved = resolve(core, addr, &slot->nexthop, &slot->metric, 0);
	return slot;
}

bool core_is_local_address(void *ctx, const struct ip_addr *addr)
{
	struct core *core = ctx;
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

bool core_resolve_next_hop(void *ctx, const struct ip_addr *next_hop, uint32_t *metric)
{
	struct core *core = ctx;
	struct cache_slot *slot = resolve_cached(core, next_hop);
	*metric = slot->metric;
	return slot->resolved;
}

/* ---- kernel ---- */

static void kernel_install(struct core *core, const struct config_prefix *p, const struct core_route_info *info)
{
	if (!core->kernel)
		return;
	struct kernel_route r = { .prefixlen = p->len, .metric = CORE_KERNEL_METRIC };
	r.dst.family = p->family;
	memcpy(r.dst.bytes, p->addr, addr_len(p->family));
	for (unsigned i = 0; i < info->nexthop_count && i < KERNEL_MAX_NEXTHOPS; i++) {
		r.nexthops[i].gateway = info->nexthops[i].gateway;
		r.nexthops[i].ifindex = info->nexthops[i].ifindex;
		r.nexthop_count++;
	}
	const char *why = NULL;
	if (!kernel_route_replace(core->kernel, &r, &why) && why)
		log_warning("core: route not installed: %s", why);
}

static void kernel_remove(struct core *core, const struct config_prefix *p)
{
	if (!core->kernel)
		return;
	struct ip_addr dst = { .family = p->family };
	memcpy(dst.bytes, p->addr, addr_len(p->family));
	kernel_route_delete(core->kernel, &dst, p->len);
}

static void nlri_to_prefix(const struct bgp_route *r, struct config_prefix *p)
{
	memset(p, 0, sizeof(*p));
	p->family = r->family;
	p->len = r->len;
	memcpy(p->addr, r->addr, addr_len(r->family));
}

static struct bgp_route *bgp_lookup(struct core *core, const struct config_prefix *p)
{
	if (!core->bgp)
		return NULL;
	struct bgp_nlri n = { .family = p->family, .len = p->len };
	memcpy(n.addr, p->addr, addr_len(p->family));
	return bgp_rib_lookup(bgp_speaker_rib(core->bgp), &n);
}

static uint8_t bgp_distance(const struct bgp_path *best)
{
	return best->peer && !best->peer->ibgp ? CORE_DISTANCE_EBGP : CORE_DISTANCE_IBGP;
}

/* The BGP candidate as a kernel route: its next hop resolved to a gateway and interface. */
static bool bgp_route_info(struct core *core, const struct bgp_path *best, struct core_route_info *info)
{
	memset(info, 0, sizeof(*info));
	info->distance = bgp_distance(best);
	info->metric = best->attrs->med;
	if (!best->peer)
		return false; /* locally originated: the route it comes from is already here */
	struct ip_addr nh;
	bgp_path_attrs_next_hop(best->attrs, &nh);
	struct cache_slot *slot = resolve_cached(core, &nh);
	if (!slot->resolved || !ip_addr_is_set(&slot->nexthop.gateway))
		return false;
	info->nexthop_count = 1;
	info->nexthops[0] = slot->nexthop;
	return true;
}

/* Puts the winner of one prefix, BGP included, into the kernel. */
static void fib_sync(struct core *core, const struct config_prefix *p, const struct core_entry *e,
		     const struct bgp_path *best)
{
	enum core_protocol protocol = CORE_PROTO_COUNT;
	const struct core_route_info *w = e ? entry_winner(e, &protocol) : NULL;
	if (best && (!w || bgp_distance(best) < w->distance)) {
		struct core_route_info info;
		if (bgp_route_info(core, best, &info))
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

void core_bgp_route_changed(void *ctx, const struct bgp_route *route, const struct bgp_path *best)
{
	struct core *core = ctx;
	/* BGP routes are read from the Loc-RIB when asked for (core_lookup, show): the only
	 * work here is the kernel's, and under ternd -n there is none (a full table's worth). */
	if (!core->kernel || !kernel_fib_enabled(core->kernel))
		return;
	struct config_prefix p;
	nlri_to_prefix(route, &p);
	fib_sync(core, &p, entry_find(table_for(core, p.family), &p), best);
}

void core_route_set(struct core *core, const struct config_prefix *prefix, enum core_protocol protocol,
		    const struct core_route_info *info)
{
	struct config_prefix p = *prefix;
	prefix_mask(&p);
	struct core_table *t = table_for(core, p.family);
	struct core_entry *e = entry_find(t, &p);
	if (!e && !info)
		return;
	if (!e) {
		e = memory_calloc(MEMORY_CORE, 1, sizeof(*e));
		if (!e)
			return;
		e->prefix = p;
		if (!hash_table_insert(&t->table, e, prefix_hash(&p))) {
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
	struct bgp_route *bgp = bgp_lookup(core, &p);
	fib_sync(core, &p, e, bgp && bgp->best_valid ? bgp->paths : NULL);
	if (!entry_winner(e, NULL)) {
		hash_table_remove(&t->table, e, prefix_hash(&p));
		memory_free(MEMORY_CORE, e);
		recount_lengths(t);
	}
}

static void push_entry_winners(struct core *core, struct core_table *t);

static void core_repush_static_and_igp(struct core *core)
{
	push_entry_winners(core, &core->v4);
	push_entry_winners(core, &core->v6);
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
	struct config_prefix subnet = { .family = addr->family, .len = len };
	memcpy(subnet.addr, addr->bytes, addr_len(addr->family));
	struct config_prefix host = subnet;
	host.len = addr->family == AF_INET ? 32 : 128;
	prefix_mask(&subnet);
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
	 * through it are pushed again (the settle pass does BGP's). */
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
		const struct config_prefix *p = &core->statics[i].prefix;
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
		struct config_prefix masked = *p;
		prefix_mask(&masked);
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
	free(core->statics);
	free(core->static_usable);
	free(core->static_info);
	core->statics = NULL;
	core->static_usable = NULL;
	core->static_info = NULL;
	core->static_count = 0;
	size_t n = config->static_route_count;
	if (n) {
		core->statics = malloc(n * sizeof(*core->statics));
		core->static_usable = calloc(n, sizeof(*core->static_usable));
		core->static_info = calloc(n, sizeof(*core->static_info));
		if (!core->statics || !core->static_usable || !core->static_info) {
			free(core->statics);
			free(core->static_usable);
			free(core->static_info);
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

bool core_has_prefix(struct core *core, const struct config_prefix *prefix, enum core_protocol *protocol,
		     uint32_t *metric)
{
	struct config_prefix p = *prefix;
	prefix_mask(&p);
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

void core_walk_protocol(struct core *core, enum core_protocol protocol,
			void (*fn)(void *ctx, const struct config_prefix *prefix, uint32_t metric), void *ctx)
{
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

void core_set_change_hook(struct core *core, void (*fn)(void *ctx), void *ctx)
{
	core->change_hook = fn;
	core->change_ctx = ctx;
}

/* ---- settling: once per loop iteration after changes ---- */

static bool reinstall_bgp(void *ctx, struct bgp_route *r)
{
	struct core *core = ctx;
	if (!r->best_valid)
		return true;
	struct config_prefix p;
	nlri_to_prefix(r, &p);
	fib_sync(core, &p, entry_find(table_for(core, p.family), &p), r->paths);
	return true;
}

static void settle_cb(uv_check_t *handle)
{
	struct core *core = handle->data;
	uv_idle_stop(&core->wake);
	if (!core->changed)
		return;
	core->settling = true;
	for (int pass = 0; pass < 4; pass++)
		statics_refresh(core);
	core->changed = false;
	if (core->bgp) {
		/* Next-hop tracking: BGP decides again, then its kernel routes follow the IGP. */
		bgp_speaker_next_hops_changed(core->bgp);
		struct bgp_rib *rib = bgp_speaker_rib(core->bgp);
		bgp_rib_walk(rib, AF_INET, reinstall_bgp, core);
		bgp_rib_walk(rib, AF_INET6, reinstall_bgp, core);
	}
	if (core->change_hook)
		core->change_hook(core->change_ctx);
	core->settling = false;
}

struct core *core_create(uv_loop_t *loop, struct kernel *kernel)
{
	struct core *core = calloc(1, sizeof(*core));
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
		uv_unref((uv_handle_t *)&core->wake);
	}
	return core;
}

void core_attach_bgp(struct core *core, struct bgp_speaker *speaker)
{
	core->bgp = speaker;
	mark_changed(core);
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

void core_destroy(struct core *core)
{
	if (!core)
		return;
	if (core->loop) {
		uv_check_stop(&core->settle);
		uv_idle_stop(&core->wake);
	}
	table_free(&core->v4);
	table_free(&core->v6);
	free(core->statics);
	free(core->static_usable);
	free(core->static_info);
	free(core);
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
		for (struct core_entry *e = hash_table_bucket(&t->table, i); e; e = e->hash_next) {
			struct bgp_route *bgp = bgp_lookup(core, &e->prefix);
			fib_sync(core, &e->prefix, e, bgp && bgp->best_valid ? bgp->paths : NULL);
		}
}

void core_kernel_resync(struct core *core)
{
	if (!core->kernel)
		return;
	/* ENOBUFS lost replies: push every winner again; the kernel module removes the rest. */
	kernel_routes_resync_begin(core->kernel);
	push_entry_winners(core, &core->v4);
	push_entry_winners(core, &core->v6);
	if (core->bgp) {
		bgp_rib_walk(bgp_speaker_rib(core->bgp), AF_INET, reinstall_bgp, core);
		bgp_rib_walk(bgp_speaker_rib(core->bgp), AF_INET6, reinstall_bgp, core);
	}
	kernel_routes_resync_end(core->kernel);
}
