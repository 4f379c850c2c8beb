/*
 * DOC: `show ip route [ADDR] [json]`: the core table and BGP's best paths, merged and sorted
 * by prefix, with the IOS codes (C, L, S, R, O, B) and `[distance/metric] via NH, age, iface`.
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

struct shown_route {
	struct config_prefix prefix;
	char code[6];
	const char *protocol;
	bool selected;
	struct core_route_info info;
	time_t since;
	bool bgp_unresolved;
};

struct shown_list {
	struct shown_route *items;
	size_t count, cap;
	const struct ip_addr *lookup;
};

static bool prefix_contains(const struct config_prefix *p, const struct ip_addr *a)
{
	if (p->family != a->family)
		return false;
	for (unsigned i = 0; i < p->len; i++) {
		unsigned byte = i / 8, bit = 7 - i % 8;
		if (((p->addr[byte] >> bit) & 1) != ((a->bytes[byte] >> bit) & 1))
			return false;
	}
	return true;
}

static struct shown_route *add(struct shown_list *l, const struct config_prefix *p)
{
	if (l->lookup && !prefix_contains(p, l->lookup))
		return NULL;
	if (l->count == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct shown_route *grown = realloc(l->items, cap * sizeof(*grown));
		if (!grown)
			return NULL;
		l->items = grown;
		l->cap = cap;
	}
	struct shown_route *s = &l->items[l->count++];
	memset(s, 0, sizeof(*s));
	s->prefix = *p;
	return s;
}

static const char *const codes[CORE_PROTO_COUNT] = { "C", "L", "S", "O", "R" };
static const char *const names[CORE_PROTO_COUNT] = { "connected", "local", "static", "ospf", "rip" };

static bool add_bgp(void *ctx, struct bgp_route *r)
{
	struct shown_list *l = ctx;
	if (!r->best_valid || !r->paths)
		return true;
	struct config_prefix p = { .family = r->family, .len = r->len };
	memcpy(p.addr, r->addr, r->family == AF_INET ? 4 : 16);
	struct shown_route *s = add(l, &p);
	if (!s)
		return true;
	const struct bgp_path *best = r->paths;
	snprintf(s->code, sizeof(s->code), "B");
	s->protocol = "bgp";
	s->info.distance = best->peer && !best->peer->ibgp ? CORE_DISTANCE_EBGP : CORE_DISTANCE_IBGP;
	s->info.metric = best->attrs->med;
	s->info.nexthop_count = 1;
	bgp_path_attrs_next_hop(best->attrs, &s->info.nexthops[0].gateway);
	if (!best->peer)
		s->info.nexthops[0].gateway.family = 0;
	s->since = best->peer ? best->peer->last_change : 0;
	return true;
}

static int shown_order(const void *pa, const void *pb)
{
	const struct shown_route *a = pa, *b = pb;
	if (a->prefix.family != b->prefix.family)
		return a->prefix.family < b->prefix.family ? -1 : 1;
	int c = memcmp(a->prefix.addr, b->prefix.addr, 16);
	if (c)
		return c;
	if (a->prefix.len != b->prefix.len)
		return (int)a->prefix.len - (int)b->prefix.len;
	return (int)a->info.distance - (int)b->info.distance;
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

static void age_text(time_t since, char *buf, size_t size)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	time_t s = since ? ts.tv_sec - since : 0;
	if (s < 0)
		s = 0;
	if (s >= 86400)
		snprintf(buf, size, "%lldd%02lldh", (long long)(s / 86400), (long long)(s % 86400 / 3600));
	else
		snprintf(buf, size, "%02lld:%02lld:%02lld", (long long)(s / 3600), (long long)(s % 3600 / 60),
			 (long long)(s % 60));
}

void core_show_routes(struct core *core, const struct ip_addr *lookup, bool json, struct strbuf *out)
{
	struct shown_list list = { .lookup = lookup };
	struct core_table *tables[2] = { &core->v4, &core->v6 };
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < tables[k]->size; i++)
			for (struct core_entry *e = tables[k]->buckets[i]; e; e = e->hash_next)
				for (int p = 0; p < CORE_PROTO_COUNT; p++) {
					if (!e->candidates[p])
						continue;
					struct shown_route *s = add(&list, &e->prefix);
					if (!s)
						continue;
					static const char *const ospf_codes[] = { "O", "O IA", "O E1", "O E2" };
					snprintf(s->code, sizeof(s->code), "%s",
						 p == CORE_PROTO_OSPF && e->candidates[p]->ospf_type < 4
							 ? ospf_codes[e->candidates[p]->ospf_type] : codes[p]);
					s->protocol = names[p];
					s->info = *e->candidates[p];
					s->since = e->since[p];
				}
	if (core->bgp) {
		bgp_rib_walk(bgp_speaker_rib(core->bgp), AF_INET, add_bgp, &list);
		bgp_rib_walk(bgp_speaker_rib(core->bgp), AF_INET6, add_bgp, &list);
	}
	qsort(list.items, list.count, sizeof(*list.items), shown_order);
	/* The first (lowest distance) entry of each prefix is the one selected. */
	for (size_t i = 0; i < list.count; i++)
		list.items[i].selected = i == 0 || shown_order(&list.items[i - 1], &list.items[i]) != 0 ||
					 memcmp(&list.items[i - 1].prefix, &list.items[i].prefix, sizeof(struct config_prefix));
	for (size_t i = 1; i < list.count; i++)
		if (!memcmp(&list.items[i - 1].prefix, &list.items[i].prefix, sizeof(struct config_prefix)))
			list.items[i].selected = false;

	if (json)
		strbuf_append(out, "{\"routes\":{");
	else
		strbuf_append(out, "Codes: L - local, C - connected, S - static, R - RIP, O - OSPF, B - BGP\n"
				   "       IA - OSPF inter area, E1 - OSPF external type 1, E2 - OSPF external type 2\n"
				   "       * - candidate default\n\nGateway of last resort is not set\n\n");
	const struct config_prefix *open_prefix = NULL;
	for (size_t i = 0; i < list.count; i++) {
		struct shown_route *s = &list.items[i];
		char addr[INET6_ADDRSTRLEN], prefix[64], gw[IP_ADDR_STRLEN], ifname[IFNAME_IOS_MAX], age[32];
		inet_ntop(s->prefix.family, s->prefix.addr, addr, sizeof(addr));
		snprintf(prefix, sizeof(prefix), "%s/%u", addr, s->prefix.len);
		age_text(s->since, age, sizeof(age));
		if (json) {
			bool same = open_prefix && !memcmp(open_prefix, &s->prefix, sizeof(*open_prefix));
			if (!same)
				strbuf_printf(out, "%s\"%s\":[", open_prefix ? "]," : "", prefix);
			else
				strbuf_append(out, ",");
			open_prefix = &s->prefix;
			strbuf_printf(out, "{\"protocol\":\"%s\",\"code\":\"%s\",\"selected\":%s,\"distance\":%u,\"metric\":%u,"
					   "\"uptime\":\"%s\",\"nexthops\":[",
				      s->protocol, s->code, s->selected ? "true" : "false", s->info.distance, s->info.metric, age);
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
			continue;
		}
		if (!s->selected)
			continue; /* IOS shows the routing table: winners only */
		const struct core_nexthop *nh = &s->info.nexthops[0];
		interface_name(core, nh->ifindex, ifname, sizeof(ifname));
		if (!strcmp(s->code, "C") || !strcmp(s->code, "L")) {
			strbuf_printf(out, "%-2s       %s is directly connected, %s\n", s->code, prefix, ifname);
			continue;
		}
		strbuf_printf(out, "%-9s%s [%u/%u]", s->code, prefix, s->info.distance, s->info.metric);
		if (s->info.nexthop_count && ip_addr_is_set(&nh->gateway))
			strbuf_printf(out, " via %s", ip_addr_format(&nh->gateway, gw));
		strbuf_printf(out, ", %s", age);
		if (ifname[0])
			strbuf_printf(out, ", %s", ifname);
		strbuf_append(out, "\n");
		/* equal-cost paths: one more line each, aligned under the first (IOS) */
		size_t indent = 9 + strlen(prefix) + 1;
		for (uint8_t k = 1; k < s->info.nexthop_count; k++) {
			const struct core_nexthop *more = &s->info.nexthops[k];
			interface_name(core, more->ifindex, ifname, sizeof(ifname));
			strbuf_printf(out, "%*s[%u/%u]", (int)indent, "", s->info.distance, s->info.metric);
			if (ip_addr_is_set(&more->gateway))
				strbuf_printf(out, " via %s", ip_addr_format(&more->gateway, gw));
			strbuf_printf(out, ", %s", age);
			if (ifname[0])
				strbuf_printf(out, ", %s", ifname);
			strbuf_append(out, "\n");
		}
	}
	if (json)
		strbuf_printf(out, "%s}}\n", open_prefix ? "]" : "");
	free(list.items);
}
