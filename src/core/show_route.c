/*
 * DOC: `show ip route [ADDR] [json]`: the core table and the routes of the sources (BGP's best
 * paths), merged and sorted by prefix, with the IOS codes (C, L, S, R, O, B) and
 * `[distance/metric] via NH, age, iface`.
 *
 * With a full BGP table the whole view is a million prefixes, so it is made a slice at a
 * time (core_show_routes_next) for the control socket to stream, as `show ip bgp` is
 * (bgp/show_routes.c): per family, the prefixes of the core table and of each source are
 * gathered as keys (a source through its walk, a slice per loop iteration) into bins that put
 * them in prefix order (lib/prefix_bins.h); then each prefix is looked up again in the core
 * table and the sources, as they are at that moment, and its routes are shown. A prefix in
 * both is gathered twice and shown once, its routes ordered by distance, the first one
 * selected.
 * `show ip route ADDR` looks up the few prefixes that can hold ADDR instead.
 *
 * The text is laid out as IOS lays it out: the subnets of a classful network come under a
 * header line ("10.0.0.0/8 is variably subnetted, 3 subnets, 2 masks", or with one mask
 * "10.0.0.0/24 is subnetted, 2 subnets"), their prefixes at column 9; other prefixes start at
 * column 6. Counting a group's subnets looks ahead in the sorted keys of the current bin (a
 * classful network shares its first octet), so the header comes first without holding the
 * group's routes. IPv6 prefixes (IOS shows them in `show ipv6 route`) stay at column 9.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "core/core_internal.h"
#include "lib/json_writer.h"
#include "kernel/kernel.h"
#include "lib/ifname.h"
#include "lib/prefix_bins.h"

/* One route of a prefix as shown: a core candidate or a source's route. */
struct shown_route {
	char code[6];
	const char *protocol;
	struct core_route_info info;
	uint64_t since_ms;  /* CLOCK_MONOTONIC ms; 0: unknown */
	bool exact;         /* since_ms is the route's own (a BGP route shows its session's age) */
	int proto;          /* enum core_proto */
};

/* A prefix has at most a candidate per stored protocol and a route per source. */
#define PREFIX_ROUTES_MAX CORE_PROTO_COUNT

static const char *const codes[CORE_PROTO_COUNT] = { "C", "L", "S", "O", "R", "B" };
static const char *const names[CORE_PROTO_COUNT] = { "connected", "local", "static", "ospf", "rip", "bgp" };

static void core_candidate(const struct core_entry *e, int p, struct shown_route *s)
{
	static const char *const ospf_codes[] = { "O", "O IA", "O E1", "O E2" };
	memset(s, 0, sizeof(*s));
	snprintf(s->code, sizeof(s->code), "%s",
		 p == CORE_PROTO_OSPF && e->candidates[p]->ospf_type < 4 ? ospf_codes[e->candidates[p]->ospf_type]
									 : codes[p]);
	s->protocol = names[p];
	s->proto = p;
	s->info = *e->candidates[p];
	s->since_ms = e->since_ms[p];
	s->exact = true;
}

/* The route source k holds for p, as shown; false if none (or no source is attached). */
static bool source_route(struct core *core, int k, const struct prefix *p, struct shown_route *s)
{
	struct core_source *source = core->sources[k];
	const void *handle = source ? source->ops->lookup(source->ctx, p) : NULL;
	if (!handle)
		return false;
	struct core_source_route r;
	source->ops->describe(source->ctx, handle, &r);
	memset(s, 0, sizeof(*s));
	snprintf(s->code, sizeof(s->code), "%s", codes[k]);
	s->protocol = names[k];
	s->proto = k;
	s->info = r.info;
	s->since_ms = r.since_ms;
	s->exact = r.since_exact;
	return true;
}

/* The routes of one prefix as the tables hold them now, by distance; on equal distances core
 * protocols in their order, then the sources (the order the one sort of the whole table
 * gave). The first is the one selected. */
static size_t prefix_routes(struct core *core, const struct prefix *p, struct shown_route *items)
{
	size_t n = 0;
	const struct core_entry *e = core_entry_find(core, p);
	for (int k = 0; e && k < CORE_PROTO_STORED_COUNT; k++)
		if (e->candidates[k])
			core_candidate(e, k, &items[n++]);
	for (int k = CORE_PROTO_STORED_COUNT; k < CORE_PROTO_COUNT; k++)
		if (source_route(core, k, p, &items[n]))
			n++;
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

static size_t prefix_routes(struct core *core, const struct prefix *p, struct shown_route *items);

/* IOS: the legend of the codes, then the gateway of last resort, the next hop of the selected
 * default route ("Gateway of last resort is 10.0.0.1 to network 0.0.0.0"). */
static void head(struct core *core, struct json_writer *json, struct strbuf *out)
{
	if (json) {
		json_object_begin(json);
		json_member_object_begin(json, "routes");
		return;
	}
	strbuf_append(out, "Codes: L - local, C - connected, S - static, R - RIP, O - OSPF, B - BGP\n"
			   "       IA - OSPF inter area, E1 - OSPF external type 1, E2 - OSPF external type 2\n"
			   "       * - candidate default\n\n");
	struct shown_route items[PREFIX_ROUTES_MAX];
	const struct prefix any = { .family = AF_INET, .len = 0 };
	char gw[IP_ADDR_STRLEN];
	if (!prefix_routes(core, &any, items))
		strbuf_append(out, "Gateway of last resort is not set\n\n");
	else
		strbuf_printf(out, "Gateway of last resort is %s to network 0.0.0.0\n\n",
			      items[0].info.nexthop_count && ip_addr_is_set(&items[0].info.nexthops[0].gateway)
				      ? ip_addr_format(&items[0].info.nexthops[0].gateway, gw)
				      : "0.0.0.0");
}

static void tail(struct json_writer *json)
{
	if (json)
		json_close_all(json);
}

static void route_json(struct core *core, const struct shown_route *s, bool selected, struct json_writer *w)
{
	char gw[IP_ADDR_STRLEN], ifname[IFNAME_IOS_MAX], age[32];
	age_text(s->since_ms, age, sizeof(age));
	json_object_begin(w);
	json_member_string(w, "protocol", s->protocol);
	json_member_string(w, "code", s->code);
	json_member_bool(w, "selected", selected);
	json_member_uint(w, "distance", s->info.distance);
	json_member_uint(w, "metric", s->info.metric);
	json_member_string(w, "uptime", age);
	/* the route's age to the millisecond; null where the table does not know it */
	json_key(w, "uptime_ms");
	if (s->exact && s->since_ms)
		json_uint(w, age_ms(s->since_ms));
	else
		json_null(w);
	json_member_array_begin(w, "nexthops");
	for (unsigned n = 0; n < s->info.nexthop_count; n++) {
		const struct core_nexthop *nh = &s->info.nexthops[n];
		interface_name(core, nh->ifindex, ifname, sizeof(ifname));
		json_object_begin(w);
		json_key(w, "ip");
		json_string_or_null(w, ip_addr_is_set(&nh->gateway) ? ip_addr_format(&nh->gateway, gw) : NULL);
		json_key(w, "interface");
		json_string_or_null(w, ifname);
		json_object_end(w);
	}
	json_array_end(w);
	json_object_end(w);
}

/* One next hop's "[distance/metric] via NH, age, iface" and the end of the line; age NULL:
 * none (IOS prints none for a static route). */
static void next_hop_text(struct core *core, const struct shown_route *s, const struct core_nexthop *nh,
			  const char *age, struct strbuf *out)
{
	char gw[IP_ADDR_STRLEN], ifname[IFNAME_IOS_MAX];
	interface_name(core, nh->ifindex, ifname, sizeof(ifname));
	strbuf_printf(out, "[%u/%u]", s->info.distance, s->info.metric);
	if (ip_addr_is_set(&nh->gateway))
		strbuf_printf(out, " via %s", ip_addr_format(&nh->gateway, gw));
	if (age)
		strbuf_printf(out, ", %s", age);
	if (ifname[0])
		strbuf_printf(out, ", %s", ifname);
	strbuf_append(out, "\n");
}

/* ---- IOS's layout: a classful network's subnets under a header ---- */

#define COLUMN_NETWORK 6 /* where a prefix starts that heads no group and is in none */
#define COLUMN_SUBNET 9  /* where a subnet under its classful network's header starts */

/* A classful network (RFC 791 §3.2: class A /8, B /16, C /24) and its prefixes shown. */
struct subnet_group {
	uint8_t net[4];
	uint8_t len;
	size_t subnets;  /* prefixes of the network shown, the network itself included */
	uint64_t masks;  /* bit L: a prefix of length L among them */
};

/* What the text view remembers between prefixes: the group being shown, and how to count the
 * rest of a group when one begins (count_ahead adds the prefixes after the current one). */
struct text_layout {
	struct subnet_group group;
	bool grouped; /* the prefixes shown now are group's, under its header */
	void (*count_ahead)(void *ctx, struct subnet_group *g);
	void *ctx;
};

/* Is p shown under filter (NULL: everything)? items[0] is its selected route. */
static bool filter_passes(const struct core_route_filter *filter, const struct prefix *p,
			  const struct shown_route *selected)
{
	if (!filter)
		return true;
	if (filter->has_within && (!prefix_contains(&filter->within, p) || (filter->exact && p->len != filter->within.len)))
		return false;
	return !filter->protocols || (filter->protocols & CORE_PROTO_BIT(selected->proto));
}

static bool has_routes(struct core *core, const struct prefix *p, const struct core_route_filter *filter)
{
	if (filter) {
		struct shown_route items[PREFIX_ROUTES_MAX];
		return prefix_routes(core, p, items) && filter_passes(filter, p, &items[0]);
	}
	const struct core_entry *e = core_entry_find(core, p);
	for (int k = 0; e && k < CORE_PROTO_STORED_COUNT; k++)
		if (e->candidates[k])
			return true;
	for (int k = CORE_PROTO_STORED_COUNT; k < CORE_PROTO_COUNT; k++) {
		struct core_source *source = core->sources[k];
		if (source && source->ops->lookup(source->ctx, p))
			return true;
	}
	return false;
}

/* p's classful network in g, counts zero; false if it has none: IPv6, class D or E, or a
 * prefix shorter than its class's mask. */
static bool classful_network(const struct prefix *p, struct subnet_group *g)
{
	memset(g, 0, sizeof(*g));
	if (p->family != AF_INET)
		return false;
	uint8_t first = p->addr[0];
	g->len = first < 128 ? 8 : first < 192 ? 16 : first < 224 ? 24 : 0;
	if (!g->len || p->len < g->len)
		return false;
	memcpy(g->net, p->addr, g->len / 8u);
	return true;
}

static bool in_group(const struct subnet_group *g, const uint8_t *addr, uint8_t len)
{
	return len >= g->len && !memcmp(addr, g->net, g->len / 8u);
}

static void group_add(struct subnet_group *g, uint8_t len)
{
	g->subnets++;
	g->masks |= UINT64_C(1) << len;
}

/* IOS's header: "N/L is subnetted, K subnets" when they share one mask (L is theirs), else
 * "N/L is variably subnetted, K subnets, M masks" (L the class's). "1 subnets" as IOS says. */
static void group_header(const struct subnet_group *g, struct strbuf *out)
{
	char net[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, g->net, net, sizeof(net));
	int masks = __builtin_popcountll(g->masks);
	if (masks == 1)
		strbuf_printf(out, "%*s%s/%d is subnetted, %zu subnets\n", COLUMN_NETWORK, "", net,
			      __builtin_ctzll(g->masks), g->subnets);
	else
		strbuf_printf(out, "%*s%s/%u is variably subnetted, %zu subnets, %d masks\n", COLUMN_NETWORK, "",
			      net, g->len, g->subnets, masks);
}

/* The column p's line starts at; a header first when p begins a classful network that has
 * subnets (a prefix longer than the class's mask) among the prefixes shown. */
static int layout_prefix(struct text_layout *l, const struct prefix *p, struct strbuf *out)
{
	if (p->family != AF_INET)
		return COLUMN_SUBNET;
	if (l->grouped && in_group(&l->group, p->addr, p->len))
		return COLUMN_SUBNET;
	l->grouped = false;
	struct subnet_group g;
	if (!classful_network(p, &g))
		return COLUMN_NETWORK;
	group_add(&g, p->len);
	l->count_ahead(l->ctx, &g);
	if (!(g.masks & ~(UINT64_C(1) << g.len)))
		return COLUMN_NETWORK; /* the classful network alone */
	group_header(&g, out);
	l->group = g;
	l->grouped = true;
	return COLUMN_SUBNET;
}

/* IOS shows the routing table: the selected route only. A default route is the candidate
 * default, its code starred: "S*", "O*E2". */
static void route_text(struct core *core, const struct shown_route *shown, const struct prefix *p,
		       const char *prefix, int column, struct strbuf *out)
{
	char ifname[IFNAME_IOS_MAX], age[32];
	struct shown_route starred;
	const struct shown_route *s = shown;
	if (p->family == AF_INET && p->len == 0) {
		starred = *shown;
		size_t n = strlen(starred.code);
		if (starred.code[1] == ' ')
			starred.code[1] = '*'; /* "O E2" -> "O*E2" */
		else if (n + 1 < sizeof(starred.code))
			memcpy(starred.code + n, "*", 2);
		s = &starred;
	}
	const struct core_nexthop *nh = &s->info.nexthops[0];
	bool is_static = s->code[0] == 'S';
	if (!strcmp(s->code, "C") || !strcmp(s->code, "L") || !strcmp(s->code, "C*") ||
	    (is_static && s->info.nexthop_count == 1 && !ip_addr_is_set(&nh->gateway) && nh->ifindex)) {
		/* a static route to an interface reads as connected (IOS) */
		interface_name(core, nh->ifindex, ifname, sizeof(ifname));
		strbuf_printf(out, "%-*s%s is directly connected, %s\n", column, s->code, prefix, ifname);
		return;
	}
	age_text(s->since_ms, age, sizeof(age));
	strbuf_printf(out, "%-*s%s ", column, s->code, prefix);
	struct core_nexthop first = *nh;
	if (!s->info.nexthop_count)
		first.gateway.family = 0; /* no next hop: no "via" */
	next_hop_text(core, s, &first, is_static ? NULL : age, out);
	/* equal-cost paths: one more line each, aligned under the first (IOS) */
	int indent = (int)((size_t)column + strlen(prefix) + 1);
	for (uint8_t k = 1; k < s->info.nexthop_count; k++) {
		strbuf_printf(out, "%*s", indent, "");
		next_hop_text(core, s, &s->info.nexthops[k], is_static ? NULL : age, out);
	}
}

/* One prefix's routes; false if it has none (now) or filter (NULL: none) leaves it out.
 * json: the JSON document's writer, NULL for text. layout: the text's (unused for JSON). */
static bool show_prefix(struct core *core, const struct prefix *p, struct json_writer *json,
			struct text_layout *layout, const struct core_route_filter *filter, struct strbuf *out)
{
	struct shown_route items[PREFIX_ROUTES_MAX];
	size_t n = prefix_routes(core, p, items);
	if (!n || !filter_passes(filter, p, &items[0]))
		return false;
	char addr[INET6_ADDRSTRLEN], prefix[64];
	inet_ntop(p->family, p->addr, addr, sizeof(addr));
	snprintf(prefix, sizeof(prefix), "%s/%u", addr, p->len);
	if (!json) {
		route_text(core, &items[0], p, prefix, layout_prefix(layout, p, out), out);
		return true;
	}
	json_member_array_begin(json, prefix);
	for (size_t i = 0; i < n; i++)
		route_json(core, &items[i], i == 0, json);
	json_array_end(json);
	return true;
}

/* ---- the whole table, a slice at a time ---- */

#define GATHER_BUDGET 16384   /* a source's walk per gathering slice (Loc-RIB buckets: about 32,000 prefixes) */
#define SLICE_BYTES 65536     /* a slice of output ends past this size... */
#define SLICE_ROUTES 2048     /* ...or after this many prefixes */

enum route_view_phase { ROUTES_HEAD, ROUTES_GATHER_CORE, ROUTES_GATHER_SOURCES, ROUTES_SHOW, ROUTES_DONE };

struct core_route_view {
	struct core *core;
	const struct core_source *source;  /* the source being gathered: compared, never followed */
	int source_protocol;               /* its protocol; CORE_PROTO_COUNT: all gathered */
	bool json;
	struct json_writer writer;         /* JSON: the document, resumed at every slice */
	bool out_of_memory;
	uint8_t family;                    /* AF_INET, then AF_INET6 */
	enum route_view_phase phase;
	struct core_source_cursor cursor;
	struct prefix_bins prefixes;       /* of this family */
	struct text_layout layout;
	bool filtered;
	struct core_route_filter filter;   /* with filtered */
};

struct ahead_count {
	struct core *core;
	struct subnet_group *group;
	const struct core_route_filter *filter;
};

static bool count_key(void *ctx, const uint8_t *addr, uint8_t len)
{
	struct ahead_count *c = ctx;
	if (!in_group(c->group, addr, len))
		return false; /* in order: the group's prefixes are side by side */
	struct prefix p = { .family = AF_INET, .len = len };
	memcpy(p.addr, addr, 4);
	if (has_routes(c->core, &p, c->filter))
		group_add(c->group, len);
	return true;
}

/* The rest of a classful network, from the keys not read yet (the tables as they are now). */
static void view_count_ahead(void *ctx, struct subnet_group *g)
{
	struct core_route_view *v = ctx;
	struct ahead_count c = { v->core, g, v->filtered ? &v->filter : NULL };
	prefix_bins_ahead(&v->prefixes, count_key, &c);
}

struct core_route_view *core_show_routes_open(struct core *core, bool json)
{
	struct core_route_view *v = calloc(1, sizeof(*v));
	if (!v)
		return NULL;
	v->core = core;
	v->json = json;
	json_writer_init(&v->writer, NULL); /* pointed at each slice's buffer by core_show_routes_next */
	v->family = AF_INET;
	v->layout.count_ahead = view_count_ahead;
	v->layout.ctx = v;
	prefix_bins_init(&v->prefixes, AF_INET);
	return v;
}

struct core_route_view *core_show_routes_open_filtered(struct core *core, bool json,
						       const struct core_route_filter *filter)
{
	struct core_route_view *v = core_show_routes_open(core, json);
	if (v && filter) {
		v->filtered = true;
		v->filter = *filter;
	}
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
 * the full table (BGP routes stay in the source, the Loc-RIB), and gathering is a copy of a
 * key each. */
static void gather_core(struct core_route_view *v)
{
	const struct core_table *t = v->family == AF_INET6 ? &v->core->v6 : &v->core->v4;
	for (size_t i = 0; i < t->table.size; i++)
		for (const struct core_entry *e = hash_table_bucket(&t->table, i); e; e = e->hash_next)
			add_key(v, e->prefix.addr, e->prefix.len);
}

static void gather_source_route(void *ctx, const void *handle)
{
	struct core_route_view *v = ctx;
	struct prefix p;
	v->source->ops->prefix(v->source->ctx, handle, &p);
	add_key(v, p.addr, p.len);
}

/* Opens the walk of the next attached source from protocol k on; false when none is left. */
static bool open_source(struct core_route_view *v, int k)
{
	for (; k < CORE_PROTO_COUNT; k++) {
		struct core_source *source = v->core->sources[k];
		if (!source)
			continue;
		v->source = source;
		v->source_protocol = k;
		source->ops->walk_open(source->ctx, &v->cursor, v->family);
		return true;
	}
	v->source = NULL;
	v->source_protocol = CORE_PROTO_COUNT;
	return false;
}

/* A source's table a slice at a time; false once every source is gathered. A source that
 * left (or left and came back) since its gathering began: what was gathered is shown as the
 * tables are now. */
static bool gather_source_slice(struct core_route_view *v)
{
	if (v->source_protocol >= CORE_PROTO_COUNT)
		return false;
	struct core_source *source = v->core->sources[v->source_protocol];
	bool more = source && source == v->source &&
		    source->ops->walk_step(source->ctx, &v->cursor, GATHER_BUDGET, gather_source_route, v);
	if (!more)
		return open_source(v, v->source_protocol + 1);
	return true;
}

static void start_gathering(struct core_route_view *v)
{
	gather_core(v);
	open_source(v, CORE_PROTO_STORED_COUNT);
	v->phase = ROUTES_GATHER_SOURCES;
}

static struct json_writer *view_json(struct core_route_view *v)
{
	return v->json ? &v->writer : NULL;
}

/* Shows prefixes in order until the slice is full; false once this family's are done. */
static bool show_slice(struct core_route_view *v, struct strbuf *out)
{
	size_t shown = 0, start = out->len;
	struct prefix p = { .family = v->family };
	while (shown < SLICE_ROUTES && out->len - start < SLICE_BYTES) {
		memset(p.addr, 0, sizeof(p.addr));
		if (!prefix_bins_next(&v->prefixes, p.addr, &p.len))
			return false;
		show_prefix(v->core, &p, view_json(v), &v->layout, v->filtered ? &v->filter : NULL, out);
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
	tail(view_json(v));
	v->phase = ROUTES_DONE;
	return SHOW_STEP_DONE;
}

enum show_step core_show_routes_next(struct core_route_view *v, struct strbuf *out)
{
	if (v->phase == ROUTES_DONE)
		return SHOW_STEP_DONE;
	json_writer_resume(&v->writer, out);
	if (v->out_of_memory) {
		tail(view_json(v)); /* JSON stays a document */
		v->phase = ROUTES_DONE;
		return SHOW_STEP_FAILED;
	}
	switch (v->phase) {
	case ROUTES_HEAD:
		head(v->core, view_json(v), out);
		v->phase = ROUTES_GATHER_CORE;
		break;
	case ROUTES_GATHER_CORE:
		start_gathering(v);
		break;
	case ROUTES_GATHER_SOURCES:
		if (!gather_source_slice(v))
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
struct lookup {
	struct core *core;
	const struct ip_addr *addr;
	int len; /* of the prefix being shown */
};

/* The longer prefixes holding the address are all in the group of the one being shown. */
static void lookup_count_ahead(void *ctx, struct subnet_group *g)
{
	const struct lookup *l = ctx;
	for (int len = l->len + 1; len <= 32; len++) {
		struct prefix p = prefix_make(l->addr, (uint8_t)len);
		if (has_routes(l->core, &p, NULL))
			group_add(g, (uint8_t)len);
	}
}

static void show_lookup(struct core *core, const struct ip_addr *addr, bool json, struct strbuf *out)
{
	struct json_writer writer;
	json_writer_init(&writer, out);
	struct json_writer *json_out = json ? &writer : NULL;
	int max = addr->family == AF_INET6 ? 128 : 32;
	struct lookup l = { core, addr, 0 };
	struct text_layout layout = { .count_ahead = lookup_count_ahead, .ctx = &l };
	head(core, json_out, out);
	for (l.len = 0; l.len <= max; l.len++) {
		struct prefix p = prefix_make(addr, (uint8_t)l.len);
		show_prefix(core, &p, json_out, &layout, NULL, out);
	}
	tail(json_out);
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

/* ---- show ip route A: IOS's routing entry ---- */

static const char *ospf_type_text(uint8_t type)
{
	static const char *const texts[] = { "intra area", "inter area", "extern 1", "extern 2" };
	return type < 4 ? texts[type] : "";
}

/* The block IOS prints for one prefix: how the route is known, then a descriptor a next hop. */
static void entry_text(struct core *core, const struct prefix *p, const struct shown_route *s,
		       struct strbuf *out)
{
	char addr[INET6_ADDRSTRLEN], gw[IP_ADDR_STRLEN], ifname[IFNAME_IOS_MAX], age[32];
	inet_ntop(p->family, p->addr, addr, sizeof(addr));
	strbuf_printf(out, "Routing entry for %s/%u\n", addr, p->len);
	bool connected = s->proto == CORE_PROTO_CONNECTED || s->proto == CORE_PROTO_LOCAL;
	/* IOS names the local /32 "connected" too */
	strbuf_printf(out, "  Known via \"%s\", distance %u, metric %u", connected ? "connected" : s->protocol,
		      s->info.distance, s->info.metric);
	if (connected)
		strbuf_append(out, " (connected, via interface)");
	else if (s->proto == CORE_PROTO_OSPF)
		strbuf_printf(out, ", type %s", ospf_type_text(s->info.ospf_type));
	strbuf_append(out, "\n");
	bool dynamic = s->proto == CORE_PROTO_OSPF || s->proto == CORE_PROTO_RIP || s->proto == CORE_PROTO_BGP;
	age_text(s->since_ms, age, sizeof(age));
	const struct core_nexthop *first = s->info.nexthop_count ? &s->info.nexthops[0] : NULL;
	if (dynamic && first && ip_addr_is_set(&first->gateway)) {
		interface_name(core, first->ifindex, ifname, sizeof(ifname));
		strbuf_printf(out, "  Last update from %s", ip_addr_format(&first->gateway, gw));
		if (ifname[0])
			strbuf_printf(out, " on %s", ifname);
		strbuf_printf(out, ", %s ago\n", age);
	}
	strbuf_append(out, "  Routing Descriptor Blocks:\n");
	if (!s->info.nexthop_count) /* a locally originated BGP route */
		strbuf_append(out, "  * directly connected\n      Route metric is 0, traffic share count is 1\n");
	for (uint8_t k = 0; k < s->info.nexthop_count; k++) {
		const struct core_nexthop *nh = &s->info.nexthops[k];
		interface_name(core, nh->ifindex, ifname, sizeof(ifname));
		strbuf_append(out, k == 0 ? "  * " : "    ");
		if (ip_addr_is_set(&nh->gateway)) {
			strbuf_append(out, ip_addr_format(&nh->gateway, gw));
			if (dynamic)
				strbuf_printf(out, ", %s ago", age);
			if (ifname[0])
				strbuf_printf(out, ", via %s", ifname);
		} else {
			strbuf_printf(out, "directly connected, via %s", ifname[0] ? ifname : "?");
		}
		strbuf_printf(out, "\n      Route metric is %u, traffic share count is 1\n", s->info.metric);
	}
}

bool core_show_route_entry(struct core *core, const struct ip_addr *addr, const struct prefix *prefix,
			   struct strbuf *out)
{
	struct shown_route items[PREFIX_ROUTES_MAX];
	if (prefix) {
		if (!prefix_routes(core, prefix, items))
			return false;
		entry_text(core, prefix, &items[0], out);
		return true;
	}
	for (int len = addr->family == AF_INET6 ? 128 : 32; len >= 0; len--) {
		struct prefix p = prefix_make(addr, (uint8_t)len);
		if (prefix_routes(core, &p, items)) {
			entry_text(core, &p, &items[0], out);
			return true;
		}
	}
	return false;
}
