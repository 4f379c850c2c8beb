/*
 * DOC: the RIPv2 protocol core (see rip/rip.h for what it does and the RFC sections).
 *
 * State: a table of routes sorted by prefix (RIP tables are small: a sorted array with binary
 * search), the interfaces with their addresses, a copy of the `router rip` configuration and
 * of the interfaces' RIP settings, and three deadlines: the next regular update, the next
 * triggered update and the end of the triggered-update hold. Each route carries its own
 * absolute deadlines (timeout, garbage collection). rip_next_event() is the earliest of all.
 * The structures are in rip/internal.h, which show.c reads too.
 */
#include "rip/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const drop_names[RIP_DROP_COUNT] = {
	[RIP_DROP_TRUNCATED] = "truncated",
	[RIP_DROP_TOO_LONG] = "too-many-entries",
	[RIP_DROP_BAD_VERSION] = "bad-version",
	[RIP_DROP_BAD_COMMAND] = "bad-command",
	[RIP_DROP_MBZ] = "must-be-zero",
	[RIP_DROP_BAD_AFI] = "bad-address-family",
	[RIP_DROP_BAD_METRIC] = "bad-metric",
	[RIP_DROP_BAD_MASK] = "bad-mask",
	[RIP_DROP_BAD_AUTH_FORMAT] = "bad-authentication-format",
	[RIP_DROP_SOURCE_PORT] = "source-port",
	[RIP_DROP_NOT_CONNECTED] = "not-connected",
	[RIP_DROP_NOT_ENABLED] = "not-enabled",
	[RIP_DROP_VERSION_MISMATCH] = "version-mismatch",
	[RIP_DROP_AUTHENTICATION] = "authentication",
};

const char *rip_drop_name(enum rip_drop reason)
{
	return (unsigned)reason < RIP_DROP_COUNT ? drop_names[reason] : "unknown";
}

/* ---- small helpers ---- */

static uint64_t rng_next(struct rip *rip)
{
	/* xorshift64 */
	uint64_t x = rip->rng;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	rip->rng = x;
	return x;
}

/* A uniform value in [lo, hi]. */
static uint64_t rng_range(struct rip *rip, uint64_t lo, uint64_t hi)
{
	return lo + rng_next(rip) % (hi - lo + 1);
}

static uint32_t len_mask(uint8_t len)
{
	return len == 0 ? 0 : len >= 32 ? UINT32_MAX : ~(UINT32_MAX >> len);
}

static uint8_t mask_len(uint32_t mask)
{
	uint8_t n = 0;
	while (n < 32 && (mask & (0x80000000u >> n)))
		n++;
	return n;
}

static uint8_t classful_len(uint32_t addr)
{
	return addr < 0x80000000u ? 8 : addr < 0xc0000000u ? 16 : 24;
}

static bool in_prefix(uint32_t addr, uint32_t prefix, uint8_t len)
{
	return ((addr ^ prefix) & len_mask(len)) == 0;
}

static struct iface *iface_find(struct rip *rip, uint32_t ifindex)
{
	for (size_t i = 0; i < rip->iface_count; i++) {
		if (rip->ifaces[i].ifindex == ifindex)
			return &rip->ifaces[i];
	}
	return NULL;
}

const struct iface *rip_iface_find_const(const struct rip *rip, uint32_t ifindex)
{
	return iface_find((struct rip *)rip, ifindex);
}

static bool iface_running(const struct iface *ifc)
{
	return ifc->enabled && ifc->up && ifc->addr_count > 0;
}

/* The interface's subnet that holds addr, or NULL. */
static const struct iface_addr *iface_subnet(const struct iface *ifc, uint32_t addr)
{
	for (size_t i = 0; i < ifc->addr_count; i++) {
		if (ifc->addrs[i].len < 32 && in_prefix(addr, ifc->addrs[i].addr, ifc->addrs[i].len))
			return &ifc->addrs[i];
	}
	return NULL;
}

static bool is_own_address(const struct rip *rip, uint32_t addr)
{
	for (size_t i = 0; i < rip->iface_count; i++)
		for (size_t j = 0; j < rip->ifaces[i].addr_count; j++)
			if (rip->ifaces[i].addrs[j].addr == addr)
				return true;
	return false;
}

static uint64_t seconds(uint32_t s)
{
	return (uint64_t)s * 1000;
}

/* ---- the route table ---- */

/* The table is sorted by prefix_compare: by address as a number, then by length. */
static size_t route_position(const struct rip *rip, const struct prefix *prefix, bool *found)
{
	size_t lo = 0, hi = rip->routes.count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = prefix_compare(&rip_routes(rip)[mid].prefix, prefix);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < rip->routes.count && prefix_equal(&rip_routes(rip)[lo].prefix, prefix);
	return lo;
}

static struct route *route_find(struct rip *rip, const struct prefix *prefix)
{
	bool found;
	size_t i = route_position(rip, prefix, &found);
	return found ? &rip_routes(rip)[i] : NULL;
}

static struct route *route_add(struct rip *rip, const struct prefix *prefix)
{
	bool found;
	size_t i = route_position(rip, prefix, &found);
	if (found)
		return &rip_routes(rip)[i];
	struct route *r = array_insert(&rip->routes, i);
	if (!r)
		return NULL; /* out of memory or at the cap: the route is not learned */
	r->prefix = *prefix;
	return r;
}

static void route_remove_at(struct rip *rip, size_t i)
{
	array_remove(&rip->routes, i);
}

static void install(struct rip *rip, struct route *r)
{
	struct rip_route_info info = { .metric = r->metric, .next_hop = r->next_hop,
				       .ifindex = r->ifindex, .distance = rip->config.distance };
	r->installed = true;
	if (rip->cb.route)
		rip->cb.route(rip->cb.ctx, &r->prefix, &info);
}

static void uninstall(struct rip *rip, struct route *r)
{
	if (!r->installed)
		return;
	r->installed = false;
	if (rip->cb.route)
		rip->cb.route(rip->cb.ctx, &r->prefix, NULL);
}

static void trigger(struct rip *rip, uint64_t now)
{
	if (rip->trigger_at == RIP_NEVER)
		rip->trigger_at = now > rip->trigger_hold_until ? now : rip->trigger_hold_until;
}

static uint64_t gc_time(const struct rip *rip)
{
	return seconds(rip->config.flush - rip->config.invalid);
}

/* RFC 2453 §3.8: the deletion process. The route is advertised with metric 16 until gc_at. */
static void route_delete_start(struct rip *rip, struct route *r, uint64_t now)
{
	uninstall(rip, r);
	r->metric = RIP_INFINITY;
	r->expires = 0;
	r->gc_at = now + gc_time(rip);
	r->changed = true;
	trigger(rip, now);
}

/* ---- configuration and interfaces ---- */

static const struct config_interface *if_settings(const struct rip *rip, const char *linux_name)
{
	for (size_t i = 0; i < rip->if_settings_count; i++) {
		if (!rip->if_settings[i].is_loopback && strcmp(rip->if_settings[i].linux_name, linux_name) == 0)
			return &rip->if_settings[i];
	}
	return NULL;
}

static void iface_apply_config(struct rip *rip, struct iface *ifc)
{
	const struct config_rip *c = &rip->config;
	ifc->enabled = false;
	for (size_t i = 0; i < ifc->addr_count && c->enabled; i++) {
		for (size_t n = 0; n < c->network_count; n++) {
			if (in_prefix(ifc->addrs[i].addr, prefix_v4(&c->networks[n]), c->networks[n].len))
				ifc->enabled = true;
		}
	}
	bool listed = false;
	for (size_t i = 0; i < c->passive_count; i++) {
		if (strcmp(c->passive[i].linux_name, ifc->name) == 0)
			listed = true;
	}
	ifc->passive = c->passive_default != listed;
	const struct config_interface *s = if_settings(rip, ifc->name);
	ifc->split_horizon = !(s && s->rip_no_split_horizon);
	ifc->auth_mode = s ? s->rip_auth_mode : CONFIG_RIP_AUTH_NONE;
	memset(ifc->key, 0, sizeof(ifc->key));
	if (s)
		memcpy(ifc->key, s->rip_auth_key, strnlen(s->rip_auth_key, RIP_AUTH_KEY_LEN));
}

static void send_request(struct rip *rip, struct iface *ifc);
static void refresh_local(struct rip *rip, uint64_t now);

/* Does the interfaces' change list name the link's configuration (NULL: every link)? A
 * loopback's configuration is not RIP's (if_settings). */
static bool iface_named(const struct config_change *interfaces, const struct iface *ifc)
{
	if (!interfaces || interfaces->interfaces_incomplete)
		return true;
	for (size_t i = 0; i < interfaces->interface_count; i++) {
		const struct config_interface_change *e = &interfaces->interfaces[i];
		if (!e->is_loopback && strcmp(e->linux_name, ifc->name) == 0)
			return true;
	}
	return false;
}

/* After anything about interfaces changed: settings (of the links `named` names: NULL, all),
 * connected routes, requests to new ones. */
static void interfaces_reapply(struct rip *rip, const struct config_change *named, uint64_t now)
{
	for (size_t i = 0; i < rip->iface_count; i++) {
		struct iface *ifc = &rip->ifaces[i];
		if (!iface_named(named, ifc))
			continue;
		bool was = iface_running(ifc);
		iface_apply_config(rip, ifc);
		if (!was && iface_running(ifc) && !ifc->loopback && !ifc->passive)
			send_request(rip, ifc); /* RFC 2453 §3.9.1: ask the neighbours at once */
	}
	refresh_local(rip, now);
}

struct rip *rip_create(const struct rip_callbacks *cb, uint64_t seed, uint64_t now)
{
	struct rip *rip = memory_calloc(MEMORY_RIP, 1, sizeof(*rip));
	if (!rip)
		return NULL;
	array_init(&rip->routes, MEMORY_RIP, sizeof(struct route), RIP_ROUTES_MAX);
	array_init(&rip->redists, MEMORY_RIP, sizeof(struct redist), RIP_ROUTES_MAX);
	array_init(&rip->redists_new, MEMORY_RIP, sizeof(struct redist), RIP_ROUTES_MAX);
	rip->cb = *cb;
	rip->rng = seed ? seed : 0x9e3779b97f4a7c15ull;
	rip->next_update = now + rng_range(rip, 1000, 2000);
	rip->trigger_at = RIP_NEVER;
	rip->trigger_hold_until = 0;
	rip->config.distance = CONFIG_RIP_DEFAULT_DISTANCE;
	rip->config.update = CONFIG_RIP_DEFAULT_UPDATE;
	rip->config.invalid = CONFIG_RIP_DEFAULT_INVALID;
	rip->config.holddown = CONFIG_RIP_DEFAULT_HOLDDOWN;
	rip->config.flush = CONFIG_RIP_DEFAULT_FLUSH;
	return rip;
}

void rip_destroy(struct rip *rip)
{
	if (!rip)
		return;
	for (size_t i = 0; i < rip->routes.count; i++)
		uninstall(rip, &rip_routes(rip)[i]);
	array_free(&rip->routes);
	array_free(&rip->redists);
	array_free(&rip->redists_new);
	memory_free(MEMORY_RIP, rip->if_settings);
	memory_free(MEMORY_RIP, rip);
}

void rip_configure(struct rip *rip, const struct config *config, const struct config_change *change,
                   const struct config_change *interfaces, uint64_t now)
{
	/* router rip makes every interface's network and passive state */
	const struct config_change *named = rip->configured && !change->count ? interfaces : NULL;
	rip->config = config->rip;
	memory_free(MEMORY_RIP, rip->if_settings);
	rip->if_settings = NULL;
	rip->if_settings_count = 0;
	if (config->interface_count) {
		rip->if_settings = memory_calloc(MEMORY_RIP, config->interface_count, sizeof(config->interfaces[0]));
		if (rip->if_settings) {
			memcpy(rip->if_settings, config->interfaces,
			       config->interface_count * sizeof(config->interfaces[0]));
			rip->if_settings_count = config->interface_count;
		}
	}
	if (rip->configured && config_change_has(change, CLI_CMD_RIP_TIMERS) &&
	    rip->next_update > now + seconds(rip->config.update))
		rip->next_update = now + seconds(rip->config.update);
	/* summaries on or off: the neighbours hear the new form within a second or two, not at
	 * the next periodic update */
	if (rip->configured && config_change_has(change, CLI_CMD_RIP_AUTO_SUMMARY)) {
		uint64_t soon = now + rng_range(rip, 1000, 2000);
		rip->next_update = rip->next_update > soon ? soon : rip->next_update;
	}
	rip->configured = true;
	interfaces_reapply(rip, named, now);
	/* learned routes keep their timers; a new distance goes to the table */
	bool distance = config_change_has(change, CLI_CMD_RIP_DISTANCE);
	for (size_t i = 0; i < rip->routes.count; i++) {
		struct route *r = &rip_routes(rip)[i];
		if (r->installed && distance)
			install(rip, r);
		/* an interface that no longer runs RIP loses what was learned on it */
		const struct iface *ifc = iface_find(rip, r->ifindex);
		if (r->kind == ROUTE_LEARNED && r->metric < RIP_INFINITY && (!ifc || !iface_running(ifc)))
			route_delete_start(rip, r, now);
	}
}

void rip_interface(struct rip *rip, uint32_t ifindex, const char *name, bool up, bool loopback, uint64_t now)
{
	struct iface *ifc = iface_find(rip, ifindex);
	if (!ifc) {
		if (rip->iface_count >= IFACES_MAX)
			return;
		ifc = &rip->ifaces[rip->iface_count++];
		memset(ifc, 0, sizeof(*ifc));
		ifc->ifindex = ifindex;
		ifc->sequence = (uint32_t)(now / 1000);
	}
	snprintf(ifc->name, sizeof(ifc->name), "%s", name);
	bool was_up = ifc->up;
	ifc->up = up;
	ifc->loopback = loopback;
	interfaces_reapply(rip, NULL, now);
	if (was_up && !up) {
		/* RFC 2453 §3.8: routes through a dead interface are deleted at once */
		for (size_t i = 0; i < rip->routes.count; i++) {
			struct route *r = &rip_routes(rip)[i];
			if (r->kind == ROUTE_LEARNED && r->ifindex == ifindex && r->metric < RIP_INFINITY)
				route_delete_start(rip, r, now);
		}
	}
}

void rip_address(struct rip *rip, uint32_t ifindex, uint32_t addr, uint8_t len, bool added, uint64_t now)
{
	struct iface *ifc = iface_find(rip, ifindex);
	if (!ifc) {
		rip_interface(rip, ifindex, "", false, false, now);
		ifc = iface_find(rip, ifindex);
		if (!ifc)
			return;
	}
	size_t i = 0;
	while (i < ifc->addr_count && !(ifc->addrs[i].addr == addr && ifc->addrs[i].len == len))
		i++;
	if (added && i == ifc->addr_count && ifc->addr_count < RIP_IFACE_ADDRS_MAX)
		ifc->addrs[ifc->addr_count++] = (struct iface_addr){ addr, len };
	if (!added && i < ifc->addr_count) {
		memmove(&ifc->addrs[i], &ifc->addrs[i + 1], (ifc->addr_count - i - 1) * sizeof(ifc->addrs[0]));
		ifc->addr_count--;
	}
	interfaces_reapply(rip, NULL, now);
}

/* ---- local routes: connected subnets and redistribution ---- */

static uint8_t redistribute_metric(const struct rip *rip, uint8_t kind)
{
	const struct config_rip *c = &rip->config;
	const struct config_redistribute *how = kind == RIP_REDIST_CONNECTED ? &c->redistribute_connected
					      : kind == RIP_REDIST_STATIC  ? &c->redistribute_static
									   : &c->redistribute_bgp;
	if (!how->enabled)
		return 0;
	if (how->has_metric)
		return (uint8_t)how->metric;
	return c->default_metric ? c->default_metric : 1;
}

static void local_set(struct rip *rip, const struct prefix *prefix, uint8_t kind, uint8_t metric,
		      uint32_t ifindex, uint8_t redist_kind, uint64_t now)
{
	struct route *r = route_find(rip, prefix);
	if (r && r->kind != ROUTE_LEARNED && r->mark && r->metric < RIP_INFINITY) {
		/* already kept this round: the first source wins (connected before redistributed) */
		return;
	}
	if (!r) {
		r = route_add(rip, prefix);
		if (!r)
			return;
	}
	if (r->kind == ROUTE_LEARNED)
		uninstall(rip, r);
	bool changed = r->kind != kind || r->metric != metric || r->ifindex != ifindex;
	r->kind = kind;
	r->redist_kind = redist_kind;
	r->metric = metric;
	r->ifindex = ifindex;
	r->next_hop = 0;
	r->from = 0;
	r->tag = 0;
	r->expires = 0;
	r->gc_at = 0;
	r->mark = true;
	if (changed) {
		r->updated = now;
		r->changed = true;
		trigger(rip, now);
	}
}

static bool route_addr_valid(uint32_t addr, uint8_t len);

/* The subnet of an interface's address, if it is one RIP routes (a connected route): lo
 * carries 127.0.0.1/8 beside a router's loopback address, never a route. */
static bool connected_subnet(const struct iface *ifc, size_t a, struct prefix *out)
{
	uint8_t len = ifc->addrs[a].len;
	if (!route_addr_valid(ifc->addrs[a].addr & len_mask(len), len))
		return false;
	*out = prefix_from_v4(ifc->addrs[a].addr, len);
	return true;
}

static void refresh_local(struct rip *rip, uint64_t now)
{
	for (size_t i = 0; i < rip->routes.count; i++)
		rip_routes(rip)[i].mark = false;
	for (size_t i = 0; i < rip->iface_count; i++) {
		const struct iface *ifc = &rip->ifaces[i];
		if (!iface_running(ifc))
			continue;
		struct prefix subnet;
		for (size_t a = 0; a < ifc->addr_count; a++)
			if (connected_subnet(ifc, a, &subnet))
				local_set(rip, &subnet, ROUTE_CONNECTED, 1, ifc->ifindex, 0, now);
	}
	for (size_t i = 0; i < rip->redists.count; i++) {
		const struct redist *d = &((const struct redist *)rip->redists.items)[i];
		uint8_t metric = redistribute_metric(rip, d->kind);
		if (metric)
			local_set(rip, &d->prefix, ROUTE_REDISTRIBUTED, metric, 0, d->kind, now);
	}
	for (size_t i = 0; i < rip->routes.count; i++) {
		struct route *r = &rip_routes(rip)[i];
		if (r->kind != ROUTE_LEARNED && !r->mark && r->metric < RIP_INFINITY)
			route_delete_start(rip, r, now);
	}
}

void rip_redistribute_begin(struct rip *rip)
{
	array_clear(&rip->redists_new);
}

void rip_redistribute_add(struct rip *rip, const struct prefix *prefix, enum rip_redistribute_kind kind)
{
	if (prefix->family != AF_INET || prefix->len > 32)
		return;
	size_t order = rip->redists_new.count;
	struct redist *d = array_push(&rip->redists_new);
	if (d)
		*d = (struct redist){ .prefix = prefix_from_v4(prefix_v4(prefix), prefix->len), .kind = (uint8_t)kind,
				      .order = (uint32_t)order };
}

static int redist_compare(const void *a, const void *b)
{
	const struct redist *x = a, *y = b;
	int cmp = prefix_compare(&x->prefix, &y->prefix);
	if (cmp)
		return cmp;
	return x->order < y->order ? -1 : x->order > y->order;
}

static struct redist *redists(const struct rip *rip)
{
	return rip->redists.items;
}

/* Where the prefix is or would go in the sorted list. */
static size_t redist_position(const struct rip *rip, const struct prefix *prefix, bool *found)
{
	size_t lo = 0, hi = rip->redists.count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (prefix_compare(&redists(rip)[mid].prefix, prefix) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < rip->redists.count && prefix_equal(&redists(rip)[lo].prefix, prefix);
	return lo;
}

void rip_redistribute_end(struct rip *rip, uint64_t now)
{
	/* One entry per prefix, sorted: the first listed of a prefix wins (connected before
	 * static before BGP, the order ternd lists them in). */
	struct redist *listed = rip->redists_new.items;
	size_t count = rip->redists_new.count, kept = 0;
	if (count)
		qsort(listed, count, sizeof(*listed), redist_compare);
	for (size_t i = 0; i < count; i++) {
		if (kept && prefix_equal(&listed[kept - 1].prefix, &listed[i].prefix))
			continue;
		listed[kept] = listed[i];
		listed[kept++].order = 0;
	}
	rip->redists_new.count = kept;
	bool same = kept == rip->redists.count;
	for (size_t i = 0; same && i < kept; i++)
		same = prefix_equal(&redists(rip)[i].prefix, &listed[i].prefix) && redists(rip)[i].kind == listed[i].kind;
	if (same)
		return;
	/* The new list becomes the list; the old one's memory is reused for the next listing. */
	struct array previous = rip->redists;
	rip->redists = rip->redists_new;
	rip->redists_new = previous;
	refresh_local(rip, now);
}

/* Is the prefix the subnet of a running interface (a connected route, which redistribution
 * never replaces: refresh_local sets those first)? */
static bool interface_subnet(const struct rip *rip, const struct prefix *prefix)
{
	for (size_t i = 0; i < rip->iface_count; i++) {
		const struct iface *ifc = &rip->ifaces[i];
		if (!iface_running(ifc))
			continue;
		struct prefix subnet;
		for (size_t a = 0; a < ifc->addr_count; a++)
			if (connected_subnet(ifc, a, &subnet) && prefix_equal(&subnet, prefix))
				return true;
	}
	return false;
}

void rip_redistribute_one(struct rip *rip, const struct prefix *prefix, bool present,
			  enum rip_redistribute_kind kind, uint64_t now)
{
	if (prefix->family != AF_INET || prefix->len > 32)
		return;
	struct prefix p = prefix_from_v4(prefix_v4(prefix), prefix->len);
	bool found;
	size_t i = redist_position(rip, &p, &found);
	if (present && found) {
		if (redists(rip)[i].kind == kind)
			return;
		redists(rip)[i].kind = (uint8_t)kind;
	} else if (present) {
		struct redist *d = array_insert(&rip->redists, i);
		if (!d)
			return;
		*d = (struct redist){ .prefix = p, .kind = (uint8_t)kind };
	} else if (found) {
		array_remove(&rip->redists, i);
	} else {
		return;
	}
	/* The local route of this prefix as refresh_local would make it. */
	if (interface_subnet(rip, &p))
		return;
	struct route *r = route_find(rip, &p);
	uint8_t metric = present ? redistribute_metric(rip, kind) : 0;
	if (metric) {
		if (r)
			r->mark = false; /* not one kept earlier in this round: this is its round */
		local_set(rip, &p, ROUTE_REDISTRIBUTED, metric, 0, (uint8_t)kind, now);
	} else if (r && r->kind == ROUTE_REDISTRIBUTED && r->metric < RIP_INFINITY) {
		route_delete_start(rip, r, now);
	}
}

/* ---- sending ---- */

uint8_t rip_send_version(const struct rip *rip)
{
	return rip->config.version == 1 ? 1 : 2;
}

struct builder {
	struct rip *rip;
	struct iface *ifc;
	uint32_t dst;
	uint16_t port;
	struct rip_packet packet;
};

static void builder_flush(struct builder *b)
{
	if (b->packet.count == 0)
		return;
	struct iface *ifc = b->ifc;
	if (ifc->auth_mode != CONFIG_RIP_AUTH_NONE && b->packet.version == 2) {
		b->packet.has_auth = true;
		memset(&b->packet.auth, 0, sizeof(b->packet.auth));
		if (ifc->auth_mode == CONFIG_RIP_AUTH_TEXT) {
			b->packet.auth.type = RIP_AUTH_TEXT;
			memcpy(b->packet.auth.password, ifc->key, RIP_AUTH_KEY_LEN);
		} else {
			b->packet.auth.type = RIP_AUTH_MD5;
			b->packet.auth.key_id = 1;
			b->packet.auth.data_len = RIP_AUTH_KEY_LEN;
			b->packet.auth.sequence = ++ifc->sequence;
		}
	}
	uint8_t buf[RIP_MAX_PACKET];
	size_t n = rip_encode(&b->packet, ifc->key, buf, sizeof(buf));
	if (n && b->rip->cb.send) {
		b->rip->cb.send(b->rip->cb.ctx, ifc->ifindex, b->dst, b->port, buf, n);
		ifc->sent++;
		b->rip->stats.sent++;
	}
	b->packet.count = 0;
}

static void builder_add(struct builder *b, const struct rip_entry *e)
{
	size_t max = b->ifc->auth_mode != CONFIG_RIP_AUTH_NONE && b->packet.version == 2 ? RIP_MAX_ENTRIES - 1
											      : RIP_MAX_ENTRIES;
	b->packet.entries[b->packet.count++] = *e;
	if (b->packet.count == max)
		builder_flush(b);
}

/* ---- auto-summary ---- */

/* Is ifc in the classful network net/len (one of its addresses)? */
static bool iface_in_network(const struct iface *ifc, uint32_t net, uint8_t len)
{
	for (size_t i = 0; i < ifc->addr_count; i++)
		if (in_prefix(ifc->addrs[i].addr, net, len))
			return true;
	return false;
}

/* With `auto-summary` (RIPv2), a subnet of a classful network that ifc is not in goes out as
 * that network, at the lowest metric of its subnets, as IOS does at a major network boundary
 * (RIPv1 never sends a mask, so RFC 1058's rule already covers it). Routes are in address
 * order, so a network's subnets come one after the other: one summary is pending at a time. */
struct summary {
	bool pending;
	bool changed;     /* a subnet in it changed: a triggered update sends it */
	uint32_t net;
	uint8_t len;
	uint32_t metric;
	uint16_t tag;
};

/* The summary r falls into, or false when r goes out as it is. */
static bool summary_of(const struct rip *rip, const struct iface *ifc, const struct route *r, uint32_t *net,
		       uint8_t *len)
{
	if (!rip->config.auto_summary || rip_send_version(rip) != 2)
		return false;
	uint32_t addr = prefix_v4(&r->prefix);
	*len = classful_len(addr);
	*net = addr & len_mask(*len);
	return *len && r->prefix.len >= *len && !iface_in_network(ifc, *net, *len);
}

static void summary_flush(struct summary *s, struct builder *b, bool only_changed)
{
	if (s->pending && (!only_changed || s->changed)) {
		struct rip_entry e = { .afi = RIP_AFI_INET, .addr = s->net, .mask = len_mask(s->len),
				       .metric = s->metric, .tag = s->tag };
		builder_add(b, &e);
	}
	s->pending = false;
}

/* RFC 2453 §3.9.1 / §3.10: the table (or its changed routes) as ifc's neighbours see it. */
static void send_table(struct rip *rip, struct iface *ifc, uint32_t dst, uint16_t port, bool only_changed,
		       bool split_horizon)
{
	struct builder b = { .rip = rip, .ifc = ifc, .dst = dst, .port = port };
	b.packet.command = RIP_RESPONSE;
	b.packet.version = rip_send_version(rip);
	struct summary summary = { 0 };
	for (size_t i = 0; i < rip->routes.count; i++) {
		const struct route *r = &rip_routes(rip)[i];
		uint32_t net;
		uint8_t net_len;
		bool summarised = summary_of(rip, ifc, r, &net, &net_len);
		if (!summarised || !summary.pending || summary.net != net || summary.len != net_len)
			summary_flush(&summary, &b, only_changed);
		if (summarised) {
			/* every subnet counts toward the summary's metric, changed or not */
			uint32_t metric = split_horizon && ifc->split_horizon && r->kind == ROUTE_LEARNED &&
							  r->ifindex == ifc->ifindex
						  ? RIP_INFINITY
						  : r->metric;
			if (!summary.pending)
				summary = (struct summary){ .pending = true, .net = net, .len = net_len,
							    .metric = metric, .tag = r->tag };
			summary.metric = metric < summary.metric ? metric : summary.metric;
			summary.changed = summary.changed || r->changed;
			continue;
		}
		if (only_changed && !r->changed)
			continue;
		/* a subnet of this interface is known to everyone on it */
		if (r->kind == ROUTE_CONNECTED && r->ifindex == ifc->ifindex)
			continue;
		uint32_t metric = r->metric;
		/* §3.4.3: split horizon with poisoned reverse */
		if (split_horizon && ifc->split_horizon && r->kind == ROUTE_LEARNED && r->ifindex == ifc->ifindex)
			metric = RIP_INFINITY;
		struct rip_entry e = { .afi = RIP_AFI_INET, .addr = prefix_v4(&r->prefix), .metric = metric };
		if (b.packet.version == 2) {
			e.tag = r->tag;
			e.mask = len_mask(r->prefix.len);
		} else if (r->prefix.len != classful_len(e.addr) && !iface_subnet(ifc, e.addr)) {
			continue; /* RFC 1058 cannot say a mask; only classful or same-network routes */
		}
		builder_add(&b, &e);
	}
	summary_flush(&summary, &b, only_changed);
	builder_flush(&b);
}

/* The destinations of ifc's updates: the group (or broadcast) unless passive, and the
 * configured neighbours on its subnets. */
static void send_update_on(struct rip *rip, struct iface *ifc, bool only_changed)
{
	if (!iface_running(ifc) || ifc->loopback)
		return;
	if (!ifc->passive) {
		uint32_t dst = RIP_GROUP;
		if (rip_send_version(rip) == 1) {
			const struct iface_addr *a = &ifc->addrs[0];
			dst = a->addr | ~len_mask(a->len);
		}
		send_table(rip, ifc, dst, RIP_PORT, only_changed, true);
	}
	for (size_t n = 0; n < rip->config.neighbor_count; n++) {
		uint32_t nb = rip->config.neighbors[n];
		if (iface_subnet(ifc, nb))
			send_table(rip, ifc, nb, RIP_PORT, only_changed, true);
	}
	if (only_changed)
		ifc->triggered++;
}

static void send_request(struct rip *rip, struct iface *ifc)
{
	struct builder b = { .rip = rip, .ifc = ifc, .dst = RIP_GROUP, .port = RIP_PORT };
	if (rip_send_version(rip) == 1)
		b.dst = ifc->addrs[0].addr | ~len_mask(ifc->addrs[0].len);
	b.packet.command = RIP_REQUEST;
	b.packet.version = rip_send_version(rip);
	struct rip_entry e = { .afi = 0, .metric = RIP_INFINITY };
	builder_add(&b, &e);
	builder_flush(&b);
}

static void clear_changed(struct rip *rip)
{
	for (size_t i = 0; i < rip->routes.count; i++)
		rip_routes(rip)[i].changed = false;
}

/* ---- receiving ---- */

static struct source *source_note(struct rip *rip, uint32_t addr, uint8_t version, uint64_t now)
{
	for (size_t i = 0; i < rip->source_count; i++) {
		if (rip->sources[i].addr == addr) {
			rip->sources[i].last_heard = now;
			rip->sources[i].version = version;
			return &rip->sources[i];
		}
	}
	if (rip->source_count >= sizeof(rip->sources) / sizeof(rip->sources[0]))
		return NULL;
	struct source *s = &rip->sources[rip->source_count++];
	*s = (struct source){ addr, now, version };
	return s;
}

static void drop(struct rip *rip, struct iface *ifc, uint32_t ifindex, uint32_t src, uint16_t port,
		 enum rip_drop reason)
{
	rip->stats.drops[reason]++;
	if (ifc)
		ifc->bad++;
	if (rip->cb.drop)
		rip->cb.drop(rip->cb.ctx, ifindex, src, port, reason);
}

/* RFC 2453 §3.9.2: is this a destination a route may have? */
static bool route_addr_valid(uint32_t addr, uint8_t len)
{
	uint8_t first = (uint8_t)(addr >> 24);
	if (addr == 0)
		return len == 0;   /* the default route */
	return first != 0 && first != 127 && first < 224;
}

/* The prefix length of an entry: the mask in version 2; in version 1 (and a version 2 entry
 * without a mask) the classful length, the receiving subnet's if the address is inside it,
 * or a host route (RFC 1058 §3.2). */
static uint8_t entry_len(const struct iface *ifc, const struct rip_entry *e, uint8_t version)
{
	if (version == 2 && e->mask)
		return mask_len(e->mask);
	if (e->addr == 0)
		return 0;
	uint8_t len = classful_len(e->addr);
	if ((e->addr & ~len_mask(len)) == 0)
		return len;
	const struct iface_addr *sub = iface_subnet(ifc, e->addr);
	if (sub && in_prefix(e->addr, sub->addr, classful_len(sub->addr)) && (e->addr & ~len_mask(sub->len)) == 0)
		return sub->len;
	return 32;
}

static void process_entry(struct rip *rip, struct iface *ifc, uint32_t src, uint8_t version,
			  const struct rip_entry *e, uint64_t now)
{
	uint8_t len = entry_len(ifc, e, version);
	uint32_t addr = e->addr & len_mask(len);
	if (!route_addr_valid(addr, len) || addr != e->addr) {
		rip->stats.bad_routes++;
		return;
	}
	uint8_t metric = (uint8_t)(e->metric + 1 > RIP_INFINITY ? RIP_INFINITY : e->metric + 1);
	/* §4.4: a next hop on the receiving subnet, not ours, is used as given */
	uint32_t next_hop = src;
	if (version == 2 && e->next_hop && iface_subnet(ifc, e->next_hop) && !is_own_address(rip, e->next_hop))
		next_hop = e->next_hop;
	struct prefix prefix = prefix_from_v4(addr, len);
	struct route *r = route_find(rip, &prefix);
	if (!r) {
		if (metric >= RIP_INFINITY)
			return;
		r = route_add(rip, &prefix);
		if (!r)
			return;
		r->kind = ROUTE_LEARNED;
		r->metric = metric;
		r->next_hop = next_hop;
		r->from = src;
		r->ifindex = ifc->ifindex;
		r->tag = e->tag;
		r->expires = now + seconds(rip->config.invalid);
		r->updated = now;
		r->changed = true;
		install(rip, r);
		trigger(rip, now);
		return;
	}
	if (r->kind != ROUTE_LEARNED)
		return; /* our own subnets and redistributed routes are not replaced */
	bool same_router = r->from == src && r->ifindex == ifc->ifindex;
	if (same_router) {
		if (metric < RIP_INFINITY) {
			r->expires = now + seconds(rip->config.invalid);
			r->gc_at = 0;
			r->updated = now;
		}
		if (metric == r->metric && next_hop == r->next_hop)
			return;
		if (metric >= RIP_INFINITY) {
			if (r->metric < RIP_INFINITY)
				route_delete_start(rip, r, now);
			return;
		}
	} else {
		/* §3.9.2: another router's route only if strictly better; or as good when ours
		 * is at least halfway to its timeout (the heuristic the RFC suggests) */
		bool better = metric < r->metric;
		bool as_good_stale = metric == r->metric && metric < RIP_INFINITY && r->expires &&
				     r->expires - now < seconds(rip->config.invalid) / 2;
		if (!better && !as_good_stale)
			return;
		r->expires = now + seconds(rip->config.invalid);
		r->gc_at = 0;
		r->updated = now;
	}
	r->metric = metric;
	r->next_hop = next_hop;
	r->from = src;
	r->ifindex = ifc->ifindex;
	r->tag = e->tag;
	r->changed = true;
	install(rip, r);
	trigger(rip, now);
}

static bool auth_ok(const struct iface *ifc, const uint8_t *data, size_t len, const struct rip_packet *p)
{
	/* RFC 2453 §5.1 */
	if (ifc->auth_mode == CONFIG_RIP_AUTH_NONE)
		return !p->has_auth;
	if (!p->has_auth || p->version != 2)
		return false;
	if (ifc->auth_mode == CONFIG_RIP_AUTH_TEXT)
		return p->auth.type == RIP_AUTH_TEXT && memcmp(p->auth.password, ifc->key, RIP_AUTH_KEY_LEN) == 0;
	return p->auth.type == RIP_AUTH_MD5 && rip_md5_verify(data, len, p, ifc->key);
}

static void answer_request(struct rip *rip, struct iface *ifc, uint32_t src, uint16_t port,
			   const struct rip_packet *p)
{
	if (rip_is_whole_table_request(p)) {
		/* §3.9.1: a router (port 520) gets what an update would tell it; a query tool
		 * gets the whole table */
		send_table(rip, ifc, src, port, false, port == RIP_PORT);
		return;
	}
	struct builder b = { .rip = rip, .ifc = ifc, .dst = src, .port = port };
	b.packet.command = RIP_RESPONSE;
	b.packet.version = p->version;
	for (size_t i = 0; i < p->count; i++) {
		struct rip_entry e = p->entries[i];
		uint8_t len = entry_len(ifc, &e, p->version);
		struct prefix prefix = prefix_from_v4(e.addr, len);
		const struct route *r = route_find(rip, &prefix);
		e.metric = r ? r->metric : RIP_INFINITY;
		builder_add(&b, &e);
	}
	builder_flush(&b);
}

void rip_receive(struct rip *rip, uint32_t ifindex, uint32_t src, uint16_t port, const uint8_t *data,
		 size_t len, uint64_t now)
{
	struct iface *ifc = iface_find(rip, ifindex);
	if (is_own_address(rip, src))
		return; /* our own multicast, looped back: not an error */
	struct rip_packet p;
	enum rip_error err = rip_decode(data, len, &p);
	if (err != RIP_OK) {
		drop(rip, ifc, ifindex, src, port, (enum rip_drop)(err - 1));
		return;
	}
	if (!ifc || !iface_running(ifc)) {
		drop(rip, ifc, ifindex, src, port, RIP_DROP_NOT_ENABLED);
		return;
	}
	if (p.command == RIP_RESPONSE && port != RIP_PORT) {
		drop(rip, ifc, ifindex, src, port, RIP_DROP_SOURCE_PORT);
		return;
	}
	if (!iface_subnet(ifc, src)) {
		drop(rip, ifc, ifindex, src, port, RIP_DROP_NOT_CONNECTED);
		return;
	}
	if (rip->config.version && p.version != rip->config.version) {
		drop(rip, ifc, ifindex, src, port, RIP_DROP_VERSION_MISMATCH);
		return;
	}
	if (!auth_ok(ifc, data, len, &p)) {
		drop(rip, ifc, ifindex, src, port, RIP_DROP_AUTHENTICATION);
		return;
	}
	ifc->received++;
	rip->stats.received++;
	if (p.command == RIP_REQUEST) {
		bool neighbor = false;
		for (size_t n = 0; n < rip->config.neighbor_count; n++)
			neighbor |= rip->config.neighbors[n] == src;
		if (!ifc->passive || neighbor)
			answer_request(rip, ifc, src, port, &p);
		return;
	}
	source_note(rip, src, p.version, now);
	for (size_t i = 0; i < p.count; i++)
		process_entry(rip, ifc, src, p.version, &p.entries[i], now);
}

/* ---- time ---- */

void rip_tick(struct rip *rip, uint64_t now)
{
	/* §3.8: timeouts, then garbage collection */
	for (size_t i = 0; i < rip->routes.count;) {
		struct route *r = &rip_routes(rip)[i];
		if (r->kind == ROUTE_LEARNED && r->metric < RIP_INFINITY && r->expires && r->expires <= now)
			route_delete_start(rip, r, now);
		if (r->metric >= RIP_INFINITY && r->gc_at && r->gc_at <= now) {
			uninstall(rip, r);
			route_remove_at(rip, i);
			continue;
		}
		i++;
	}
	if (!rip->configured || !rip->config.enabled)
		return;
	if (now >= rip->next_update) {
		for (size_t i = 0; i < rip->iface_count; i++)
			send_update_on(rip, &rip->ifaces[i], false);
		clear_changed(rip);
		/* §3.8: a random offset keeps routers from synchronising */
		uint64_t period = seconds(rip->config.update);
		uint64_t jitter = period / 6;
		rip->next_update = now + period - jitter + rng_range(rip, 0, 2 * jitter);
		rip->trigger_at = RIP_NEVER; /* §3.10.1: the regular update carried the changes */
		return;
	}
	if (rip->trigger_at != RIP_NEVER && now >= rip->trigger_at) {
		for (size_t i = 0; i < rip->iface_count; i++)
			send_update_on(rip, &rip->ifaces[i], true);
		clear_changed(rip);
		rip->stats.triggered_updates++;
		rip->trigger_at = RIP_NEVER;
		rip->trigger_hold_until = now + rng_range(rip, 1000, 5000);
	}
}

uint64_t rip_next_event(const struct rip *rip)
{
	uint64_t next = RIP_NEVER;
	if (rip->configured && rip->config.enabled) {
		next = rip->next_update;
		if (rip->trigger_at < next)
			next = rip->trigger_at;
	}
	for (size_t i = 0; i < rip->routes.count; i++) {
		const struct route *r = &rip_routes(rip)[i];
		if (r->kind == ROUTE_LEARNED && r->metric < RIP_INFINITY && r->expires && r->expires < next)
			next = r->expires;
		if (r->metric >= RIP_INFINITY && r->gc_at && r->gc_at < next)
			next = r->gc_at;
	}
	return next;
}

bool rip_interface_wanted(const struct rip *rip, uint32_t ifindex)
{
	const struct iface *ifc = rip_iface_find_const(rip, ifindex);
	return ifc && iface_running(ifc) && !ifc->loopback;
}

void rip_get_stats(const struct rip *rip, struct rip_stats *out)
{
	*out = rip->stats;
}

bool rip_lookup(const struct rip *rip, const struct prefix *prefix, uint8_t *metric, uint32_t *next_hop)
{
	const struct route *r = route_find((struct rip *)rip, prefix);
	if (!r)
		return false;
	if (metric)
		*metric = r->metric;
	if (next_hop)
		*next_hop = r->next_hop;
	return true;
}

size_t rip_route_count(const struct rip *rip)
{
	return rip->routes.count;
}
