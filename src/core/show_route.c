/*
 * DOC: `show ip route [ADDR] [json]`: the core table and BGP's best paths, merged and sorted
 * by prefix, with the IOS codes (C, L, S, R, O, B) and `[distance/metric] via NH, age, iface`.
 *
 * With a full BGP table the whole view is a million prefixes, so it is made a slice at a
 * time (core_show_routes_next) for the control socket to stream, as `show ip bgp` is
 * (ctl/show_bgp_routes.c): per family, the prefixes of the core table and of the Loc-RIB are
 * gathered as keys (the Loc-RIB through its cursor, a slice per loop iteration) into bins
 * that put them in prefix order (lib/prefix_bins.h); then each prefix is looked up again in
 * both, as they are at that moment, and its routes are shown. A prefix in both tables is
 * gathered twice and shown once, its routes ordered by distance, the first one selected.
 * `show ip route ADDR` looks up the few prefixes that can hold ADDR instead.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "bgp/bgp.h"
#include "bgp/rib.h"
#include "core/core_internal.h"
#include "kernel/kernel.h"
#include "lib/ifname.h"
#include "lib/prefix_bins.h"

/* One route of a prefix as shown: a core candidate or BGP's best path. */
struct shown_route {
	char code[6];
	const char *protocol;
	struct core_route_info info;
	uint64_t since_ms;  /* CLOCK_MONOTONIC ms; 0: unknown */
	bool exact;         /* since_ms is the route's own (a BGP route shows its session's age) */
};

/* A prefix has at most a candidate per core protocol and BGP's best path. */
#define PREFIX_ROUTES_MAX (CORE_PROTO_COUNT + 1)

static const char *const codes[CORE_PROTO_COUNT] = { "C", "L", "S", "O", "R" };
static const char *const names[CORE_PROTO_COUNT] = { "connected", "local", "static", "ospf", "rip" };

static void core_candidate(const struct core_entry *e, int p, struct shown_route *s)
{
	static const char *const ospf_codes[] = { "O", "O IA", "O E1", "O E2" };
	memset(s, 0, sizeof(*s));
	snprintf(s->code, sizeof(s->code), "%s",
		 p == CORE_PROTO_OSPF && e->candidates[p]->ospf_type < 4 ? ospf_codes[e->candidates[p]->ospf_type]
									 : codes[p]);
	s->protocol = names[p];
	s->info = *e->candidates[p];
	s->since_ms = e->since_ms[p];
	s->exact = true;
}

static void bgp_best(const struct bgp_route *r, struct shown_route *s)
{
	const struct bgp_path *best = r->paths;
	memset(s, 0, sizeof(*s));
	snprintf(s->code, sizeof(s->code), "B");
	s->protocol = "bgp";
	s->info.distance = best->peer && !best->peer->ibgp ? CORE_DISTANCE_EBGP : CORE_DISTANCE_IBGP;
	s->info.metric = best->attrs->med;
	s->info.nexthop_count = 1;
	bgp_path_attrs_next_hop(best->attrs, &s->info.nexthops[0].gateway);
	if (!best->peer)
		s->info.nexthops[0].gateway.family = 0;
	s->since_ms = best->peer ? (uint64_t)best->peer->last_change * 1000 : 0;
}

static const struct bgp_route *bgp_find(struct core *core, const struct config_prefix *p)
{
	if (!core->bgp)
		return NULL;
	struct bgp_nlri n = { .family = p->family, .len = p->len };
	memcpy(n.addr, p->addr, sizeof(n.addr));
	const struct bgp_route *r = bgp_rib_lookup(bgp_speaker_rib(core->bgp), &n);
	return r && r->best_valid && r->paths ? r : NULL;
}

/* The routes of one prefix as the tables hold them now, by distance; on equal distances core
 * protocols in their order, then BGP (the order the one sort of the whole table gave). The
 * first is the one selected. */
static size_t prefix_routes(struct core *core, const struct config_prefix *p, struct shown_route *items)
{
	size_t n = 0;
	const struct core_entry *e = core_entry_find(core, p);
	for (int k = 0; e && k < CORE_PROTO_COUNT; k++)
		if (e->candidates[k])
			core_candidate(e, k, &items[n++]);
	const struct bgp_route *r = bgp_find(core, p);
	if (r)
		bgp_best(r, &items[n++]);
	for (size_t i = 1; i < n; i++) /* insertion sort: stable, and n <= 6 */
		for (size_t j = i; j > 0 && items[j - 1].info.distance > items[j].info.distance; j--) {
			struct shown_route t = items[j];
			items[j] = items[j - 1];
			items[j - 1] = t;
		}
	return n;
}

static void interface_name(struct core *core, uint32_t ifindex, char *buf, size_t size)
{
	buf[0] = '\0';
	if (!core->kernel || !ifindex)
		return;
	const struct kernel_link *link = kernel_ifaces_link(kernel_ifaces(core->kernel), ifindex);
	struct ifname name;
	if (link && ifname_from_linux(link->name, &name))
		snprintf(buf, size, "%s", name.ios_name);
}

static uint64_t age_ms(uint64_t since_ms)
{
	uint64_t now = core_now_ms();
	return since_ms && now > since_ms ? now - since_ms : 0;
}

static void age_text(uint64_t since_ms, char *buf, size_t size)
{
	long long s = (long long)(age_ms(since_ms) / 1000);
	if (s >= 86400)
		snprintf(buf, size, "%lldd%02lldh", (long long)(s / 86400), (long long)(s % 86400 / 3600));
	else
		snprintf(buf, size, "%02lld:%02lld:%02lld", (long long)(s / 3600), (long long)(s % 3600 / 60),
			 (long long)(s % 60));
}

static void head(bool json, struct strbuf *out)
{
	if (json)
		strbuf_append(out, "{\"routes\":{");
	else
		strbuf_append(out, "Codes: L - local, C - connected, S - static, R - RIP, O - OSPF, B - BGP\n"
				   "       IA - OSPF inter area, E1 - OSPF external type 1, E2 - OSPF external type 2\n"
				   "       * - candidate default\n\nGateway of last resort is not set\n\n");
}

/* JSON: the list of the last prefix shown is left open, for it is closed by what follows. */
static void tail(bool json, bool any_prefix, struct strbuf *out)
{
	if (json)
		strbuf_printf(out, "%s}}\n", any_prefix ? "]" : "");
}

static void route_json(struct core *core, const struct shown_route *s, bool selected, struct strbuf *out)
{
	char gw[IP_ADDR_STRLEN], ifname[IFNAME_IOS_MAX], age[32];
	age_text(s->since_ms, age, sizeof(age));
	strbuf_printf(out, "{\"protocol\":\"%s\",\"code\":\"%s\",\"selected\":%s,\"distance\":%u,\"metric\":%u,"
			   "\"uptime\":\"%s\",",
		      s->protocol, s->code, selected ? "true" : "false", s->info.distance, s->info.metric, age);
	/* the route's age to the millisecond; null where the table does not know it */
	if (s->exact && s->since_ms)
		strbuf_printf(out, "\"uptime_ms\":%llu,", (unsigned long long)age_ms(s->since_ms));
	else
		strbuf_append(out, "\"uptime_ms\":null,");
	strbuf_append(out, "\"nexthops\":[");
	for (unsigned n = 0; n < s->info.nexthop_count; n++) {
		const struct core_nexthop *nh = &s->info.nexthops[n];
		interface_name(core, nh->ifindex, ifname, sizeof(ifname));
		strbuf_printf(out, "%s{\"ip\":", n ? "," : "");
		if (ip_addr_is_set(&nh->gateway))
			strbuf_printf(out, "\"%s\"", ip_addr_format(&nh->gateway, gw));
		else
			strbuf_append(out, "null");
		strbuf_append(out, ",\"interface\":");
		if (ifname[0])
			strbuf_json_string(out, ifname);
		else
			strbuf_append(out, "null");
		strbuf_append(out, "}");
	}
	strbuf_append(out, "]}");
}

/* One next hop's "[distance/metric] via NH, age, iface" and the end of the line. */
static void next_hop_text(struct core *core, const struct shown_route *s, const struct core_nexthop *nh,
			  const char *age, struct strbuf *out)
{
	char gw[IP_ADDR_STRLEN], ifname[IFNAME_IOS_MAX];
	interface_name(core, nh->ifindex, ifname, sizeof(ifname));
	strbuf_printf(out, "[%u/%u]", s->info.distance, s->info.metric);
	if (ip_addr_is_set(&nh->gateway))
		strbuf_printf(out, " via %s", ip_addr_format(&nh->gateway, gw));
	strbuf_printf(out, ", %s", age);
	if (ifname[0])
		strbuf_printf(out, ", %s", ifname);
	strbuf_append(out, "\n");
}

/* IOS shows the routing table: the selected route only. */
static void route_text(struct core *core, const struct shown_route *s, const char *prefix, struct strbuf *out)
{
	char ifname[IFNAME_IOS_MAX], age[32];
	const struct core_nexthop *nh = &s->info.nexthops[0];
	if (!strcmp(s->code, "C") || !strcmp(s->code, "L")) {
		interface_name(core, nh->ifindex, ifname, sizeof(ifname));
		strbuf_printf(out, "%-2s       %s is directly connected, %s\n", s->code, prefix, ifname);
		return;
	}
	age_text(s->since_ms, age, sizeof(age));
	strbuf_printf(out, "%-9s%s ", s->code, prefix);
	struct core_nexthop first = *nh;
	if (!s->info.nexthop_count)
		first.gateway.family = 0; /* no next hop: no "via" */
	next_hop_text(core, s, &first, age, out);
	/* equal-cost paths: one more line each, aligned under the first (IOS) */
	int indent = (int)(9 + strlen(prefix) + 1);
	for (uint8_t k = 1; k < s->info.nexthop_count; k++) {
		strbuf_printf(out, "%*s", indent, "");
		next_hop_text(core, s, &s->info.nexthops[k], age, out);
	}
}

/* One prefix's routes; false if it has none (now). *any_prefix: JSON, a prefix's list is
 * open (this one's, when it had routes). */
static bool show_prefix(struct core *core, const struct config_prefix *p, bool json, bool *any_prefix,
			struct strbuf *out)
{
	struct shown_route items[PREFIX_ROUTES_MAX];
	size_t n = prefix_routes(core, p, items);
	if (!n)
		return false;
	char addr[INET6_ADDRSTRLEN], prefix[64];
	inet_ntop(p->family, p->addr, addr, sizeof(addr));
	snprintf(prefix, sizeof(prefix), "%s/%u", addr, p->len);
	if (!json) {
		route_text(core, &items[0], prefix, out);
		return true;
	}
	strbuf_printf(out, "%s\"%s\":[", *any_prefix ? "]," : "", prefix);
	for (size_t i = 0; i < n; i++) {
		strbuf_append(out, i ? "," : "");
		route_json(core, &items[i], i == 0, out);
	}
	*any_prefix = true;
	return true;
}

/* ---- the whole table, a slice at a time ---- */

#define GATHER_BUCKETS 16384  /* Loc-RIB buckets per gathering slice (about 32,000 prefixes) */
#define SLICE_BYTES 65536     /* a slice of output ends past this size... */
#define SLICE_ROUTES 2048     /* ...or after this many prefixes */

enum route_view_phase { ROUTES_HEAD, ROUTES_GATHER_CORE, ROUTES_GATHER_BGP, ROUTES_SHOW, ROUTES_DONE };

struct core_route_view {
	struct core *core;
	const struct bgp_speaker *speaker; /* whose Loc-RIB is gathered: compared, never followed */
	bool json;
	bool any_prefix;                   /* JSON: a prefix's list is open */
	bool out_of_memory;
	uint8_t family;                    /* AF_INET, then AF_INET6 */
	enum route_view_phase phase;
	struct bgp_rib_cursor cursor;
	struct prefix_bins prefixes;       /* of this family */
};

struct core_route_view *core_show_routes_open(struct core *core, bool json)
{
	struct core_route_view *v = calloc(1, sizeof(*v));
	if (!v)
		return NULL;
	v->core = core;
	v->json = json;
	v->family = AF_INET;
	prefix_bins_init(&v->prefixes, AF_INET);
	return v;
}

void core_show_routes_close(struct core_route_view *v)
{
	if (!v)
		return;
	prefix_bins_free(&v->prefixes);
	free(v);
}

const char *core_show_routes_failure(const struct core_route_view *v)
{
	return v->out_of_memory ? "out of memory" : "";
}

static void add_key(struct core_route_view *v, const uint8_t *addr, uint8_t len)
{
	if (!prefix_bins_add(&v->prefixes, addr, len))
		v->out_of_memory = true;
}

/* The core table is gathered in one go: it holds the connected, static and IGP routes, not
 * the full table (BGP routes stay in the Loc-RIB), and gathering is a copy of a key each. */
static void gather_core(struct core_route_view *v)
{
	const struct core_table *t = v->family == AF_INET6 ? &v->core->v6 : &v->core->v4;
	for (size_t i = 0; i < t->size; i++)
		for (const struct core_entry *e = t->buckets[i]; e; e = e->hash_next)
			add_key(v, e->prefix.addr, e->prefix.len);
}

static void gather_bgp(void *ctx, struct bgp_route *r)
{
	if (r->best_valid && r->paths)
		add_key(ctx, r->addr, r->len);
}

/* The Loc-RIB a slice at a time; false once gathered. BGP stopped (or started again) since
 * the gathering began: what was gathered is shown as the tables are now. */
static bool gather_bgp_slice(struct core_route_view *v)
{
	struct bgp_speaker *speaker = v->core->bgp;
	if (!speaker || speaker != v->speaker)
		return false;
	return bgp_rib_cursor_step(bgp_speaker_rib(speaker), &v->cursor, GATHER_BUCKETS, gather_bgp, v);
}

static void start_gathering(struct core_route_view *v)
{
	gather_core(v);
	v->speaker = v->core->bgp;
	if (v->speaker)
		bgp_rib_cursor_open(bgp_speaker_rib(v->core->bgp), &v->cursor, v->family);
	v->phase = ROUTES_GATHER_BGP;
}

/* Shows prefixes in order until the slice is full; false once this family's are done. */
static bool show_slice(struct core_route_view *v, struct strbuf *out)
{
	size_t shown = 0, start = out->len;
	struct config_prefix p = { .family = v->family };
	while (shown < SLICE_ROUTES && out->len - start < SLICE_BYTES) {
		memset(p.addr, 0, sizeof(p.addr));
		if (!prefix_bins_next(&v->prefixes, p.addr, &p.len))
			return false;
		show_prefix(v->core, &p, v->json, &v->any_prefix, out);
		shown++;
	}
	return true;
}

/* This family is shown: IPv6 next, or the end. */
static enum show_step family_done(struct core_route_view *v, struct strbuf *out)
{
	prefix_bins_free(&v->prefixes);
	if (v->family == AF_INET) {
		v->family = AF_INET6;
		prefix_bins_init(&v->prefixes, AF_INET6);
		v->phase = ROUTES_GATHER_CORE;
		return SHOW_STEP_MORE;
	}
	tail(v->json, v->any_prefix, out);
	v->phase = ROUTES_DONE;
	return SHOW_STEP_DONE;
}

enum show_step core_show_routes_next(struct core_route_view *v, struct strbuf *out)
{
	if (v->phase == ROUTES_DONE)
		return SHOW_STEP_DONE;
	if (v->out_of_memory) {
		tail(v->json, v->any_prefix, out); /* JSON stays a document */
		v->phase = ROUTES_DONE;
		return SHOW_STEP_FAILED;
	}
	switch (v->phase) {
	case ROUTES_HEAD:
		head(v->json, out);
		v->phase = ROUTES_GATHER_CORE;
		break;
	case ROUTES_GATHER_CORE:
		start_gathering(v);
		break;
	case ROUTES_GATHER_BGP:
		if (!gather_bgp_slice(v))
			v->phase = ROUTES_SHOW;
		break;
	case ROUTES_SHOW:
		if (!show_slice(v, out))
			return family_done(v, out);
		break;
	case ROUTES_DONE:
		return SHOW_STEP_DONE;
	}
	return SHOW_STEP_MORE;
}

/* ---- show ip route ADDR: the prefixes holding the address ---- */

/* Every prefix holding addr is the address masked to one length; by increasing length they
 * come in prefix order (a shorter mask gives an address no greater, and on a tie the shorter
 * prefix comes first). */
static void show_lookup(struct core *core, const struct ip_addr *addr, bool json, struct strbuf *out)
{
	bool any_prefix = false;
	int max = addr->family == AF_INET6 ? 128 : 32;
	head(json, out);
	for (int len = 0; len <= max; len++) {
		struct config_prefix p = { .family = addr->family, .len = (uint8_t)len };
		for (int bit = 0; bit < len; bit++)
			p.addr[bit / 8] |= (uint8_t)(addr->bytes[bit / 8] & (0x80 >> (bit % 8)));
		show_prefix(core, &p, json, &any_prefix, out);
	}
	tail(json, any_prefix, out);
}

void core_show_routes(struct core *core, const struct ip_addr *lookup, bool json, struct strbuf *out)
{
	if (lookup) {
		show_lookup(core, lookup, json, out);
		return;
	}
	struct core_route_view *v = core_show_routes_open(core, json);
	if (!v) {
		strbuf_append(out, "% Out of memory\n");
		return;
	}
	enum show_step step;
	while ((step = core_show_routes_next(v, out)) == SHOW_STEP_MORE)
		;
	if (step == SHOW_STEP_FAILED)
		strbuf_printf(out, "%% Output incomplete: %s\n", core_show_routes_failure(v));
	core_show_routes_close(v);
}
