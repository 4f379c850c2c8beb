/*
 * DOC: `show ip bgp` (the IOS table), `show ip bgp PREFIX` (every path, which is best and
 * why the others lost), and the per-neighbour route views, as text and JSON.
 *
 * The Loc-RIB is a hash table; the table view is sorted by prefix here, for people. JSON
 * output is built in the reply buffer (streaming a full table is future work, noted in
 * show_bgp.h).
 */
#include "ctl/show_bgp.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "bgp/rib.h"

struct route_list {
	struct bgp_route **routes;
	size_t count, cap;
	const struct bgp_peer *only_from; /* received-routes: paths of this peer */
	const struct bgp_peer *sent_to;   /* advertised-routes: best paths sent to this peer */
};

static bool collect(void *ctx, struct bgp_route *r)
{
	struct route_list *l = ctx;
	if (l->sent_to && !bgp_route_advertised_to(r, l->sent_to))
		return true;
	if (l->count == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 1024;
		struct bgp_route **grown = realloc(l->routes, cap * sizeof(*grown));
		if (!grown)
			return false;
		l->routes = grown;
		l->cap = cap;
	}
	l->routes[l->count++] = r;
	return true;
}

static int route_order(const void *pa, const void *pb)
{
	const struct bgp_route *a = *(const struct bgp_route *const *)pa, *b = *(const struct bgp_route *const *)pb;
	int c = memcmp(a->addr, b->addr, a->family == AF_INET ? 4 : 16);
	return c ? c : (int)a->len - (int)b->len;
}

/* IOS prints a classful network without its mask: 10.0.0.0 for 10.0.0.0/8. */
static void prefix_text(const struct bgp_route *r, bool ios_classful, char *buf, size_t size)
{
	char addr[INET6_ADDRSTRLEN];
	inet_ntop(r->family, r->addr, addr, sizeof(addr));
	if (ios_classful && r->family == AF_INET) {
		uint8_t first = r->addr[0];
		uint8_t natural = first < 128 ? 8 : first < 192 ? 16 : first < 224 ? 24 : 32;
		if (r->len == natural) {
			snprintf(buf, size, "%s", addr);
			return;
		}
	}
	snprintf(buf, size, "%s/%u", addr, r->len);
}

static const char origin_code[] = { 'i', 'e', '?' };

static void path_json(struct strbuf *out, struct bgp_speaker *speaker, const struct bgp_route *r,
		      const struct bgp_path *p, bool best)
{
	struct bgp_rib *rib = bgp_speaker_rib(speaker);
	struct bgp_attrs a;
	char nh[IP_ADDR_STRLEN];
	struct ip_addr next_hop;
	bgp_path_attrs_next_hop(p->attrs, &next_hop);
	bool usable = bgp_path_usable(rib, p);
	strbuf_printf(out, "{\"valid\":%s,\"best\":%s,\"nextHop\":\"%s\",\"origin\":\"%s\"",
		      usable ? "true" : "false", best ? "true" : "false",
		      bgp_path_attrs_next_hop_is_self(p->attrs) ? "0.0.0.0" : ip_addr_format(&next_hop, nh),
		      bgp_origin_name(p->attrs->origin));
	strbuf_printf(out, ",\"localPref\":%u,\"weight\":%u", p->attrs->local_pref, p->peer ? 0 : 32768);
	if (p->attrs->flags & BGP_PA_MED)
		strbuf_printf(out, ",\"metric\":%u", p->attrs->med);
	if (p->peer)
		strbuf_printf(out, ",\"peer\":\"%s\",\"internal\":%s", ip_addr_format(&p->peer->config.addr, nh),
			      p->peer->ibgp ? "true" : "false");
	else
		strbuf_append(out, ",\"peer\":null,\"internal\":false");
	if (bgp_path_attrs_decode(p->attrs, &a)) {
		struct strbuf text = STRBUF_INIT;
		if (bgp_attrs_has(&a, BGP_ATTR_AS_PATH))
			bgp_as_path_text(&a.as_path, &text);
		strbuf_append(out, ",\"path\":");
		strbuf_json_string(out, strbuf_str(&text));
		if (bgp_attrs_has(&a, BGP_ATTR_COMMUNITIES)) {
			strbuf_reset(&text);
			bgp_communities_text(&a.communities, &text);
			strbuf_append(out, ",\"communities\":");
			strbuf_json_string(out, strbuf_str(&text));
		}
		if (bgp_attrs_has(&a, BGP_ATTR_LARGE_COMMUNITY)) {
			strbuf_reset(&text);
			bgp_large_communities_text(&a.large_communities, &text);
			strbuf_append(out, ",\"largeCommunities\":");
			strbuf_json_string(out, strbuf_str(&text));
		}
		strbuf_free(&text);
		if (bgp_attrs_has(&a, BGP_ATTR_ORIGINATOR_ID)) {
			char id[16];
			strbuf_printf(out, ",\"originatorId\":\"%s\"", ipv4_format(a.originator_id, id));
		}
		if (bgp_attrs_has(&a, BGP_ATTR_CLUSTER_LIST))
			strbuf_printf(out, ",\"clusterListLength\":%u", p->attrs->cluster_list_length);
		if (bgp_attrs_has(&a, BGP_ATTR_ATOMIC_AGGREGATE))
			strbuf_append(out, ",\"atomicAggregate\":true");
		if (bgp_attrs_has(&a, BGP_ATTR_AGGREGATOR)) {
			char id[16];
			strbuf_printf(out, ",\"aggregatorAs\":%u,\"aggregatorId\":\"%s\"", a.aggregator_as,
				      ipv4_format(a.aggregator_addr, id));
		}
	}
	/* Held back by a summary-only aggregate: IOS status "s" (FRR's JSON says the same). */
	if (best && bgp_route_suppressed(speaker, r))
		strbuf_append(out, ",\"suppressed\":true");
	strbuf_append(out, "}");
}

static void table_line(struct strbuf *out, struct bgp_speaker *speaker, const struct bgp_route *r,
		       const struct bgp_path *p, bool best, bool first)
{
	struct bgp_rib *rib = bgp_speaker_rib(speaker);
	char prefix[64], nh[IP_ADDR_STRLEN];
	struct ip_addr next_hop;
	bgp_path_attrs_next_hop(p->attrs, &next_hop);
	bool usable = bgp_path_usable(rib, p);
	prefix_text(r, true, prefix, sizeof(prefix));
	struct bgp_attrs a;
	struct strbuf path = STRBUF_INIT;
	if (bgp_path_attrs_decode(p->attrs, &a) && bgp_attrs_has(&a, BGP_ATTR_AS_PATH))
		bgp_as_path_text(&a.as_path, &path);
	char metric[16] = "", locprf[16] = "";
	if (p->attrs->flags & BGP_PA_MED)
		snprintf(metric, sizeof(metric), "%u", p->attrs->med);
	if (p->peer && p->peer->ibgp)
		snprintf(locprf, sizeof(locprf), "%u", p->attrs->local_pref);
	const char *nh_text = bgp_path_attrs_next_hop_is_self(p->attrs) ? "0.0.0.0" : ip_addr_format(&next_hop, nh);
	bool suppressed = best && bgp_route_suppressed(speaker, r);
	strbuf_printf(out, " %c%c%c %-16s %-19s %6s %6s %6u %s%s%c\n", suppressed ? 's' : usable ? '*' : ' ', best ? '>' : ' ',
		      p->peer && p->peer->ibgp ? 'i' : ' ', first ? prefix : "", nh_text, metric, locprf,
		      p->peer ? 0 : 32768, strbuf_str(&path), path.len ? " " : "",
		      origin_code[p->attrs->origin < 3 ? p->attrs->origin : 2]);
	strbuf_free(&path);
}

static bool path_wanted(const struct route_list *l, const struct bgp_route *r, const struct bgp_path *p)
{
	if (l->sent_to)
		return p == r->paths;
	return !l->only_from || p->peer == l->only_from;
}

void show_bgp_table(struct bgp_speaker *speaker, uint8_t family, const struct bgp_peer *from,
		    const struct bgp_peer *to, bool json, struct strbuf *out)
{
	struct route_list list = { .only_from = from, .sent_to = to };
	bgp_rib_walk(bgp_speaker_rib(speaker), family, collect, &list);
	qsort(list.routes, list.count, sizeof(*list.routes), route_order);
	char id[16];
	ipv4_format(bgp_speaker_router_id(speaker), id);
	if (json) {
		strbuf_printf(out, "{\"routerId\":\"%s\",\"localAs\":%u,\"routes\":{", id, bgp_speaker_local_as(speaker));
		bool first_route = true;
		for (size_t i = 0; i < list.count; i++) {
			struct bgp_route *r = list.routes[i];
			bool any = false;
			for (struct bgp_path *p = r->paths; p; p = p->next)
				any |= path_wanted(&list, r, p);
			if (!any)
				continue;
			char prefix[64];
			prefix_text(r, false, prefix, sizeof(prefix));
			strbuf_printf(out, "%s\"%s\":[", first_route ? "" : ",", prefix);
			bool first = true;
			for (struct bgp_path *p = r->paths; p; p = p->next) {
				if (!path_wanted(&list, r, p))
					continue;
				strbuf_append(out, first ? "" : ",");
				path_json(out, speaker, r, p, p == r->paths && r->best_valid);
				first = false;
			}
			strbuf_append(out, "]");
			first_route = false;
		}
		strbuf_append(out, "}}\n");
		free(list.routes);
		return;
	}
	strbuf_printf(out, "BGP table version is 1, local router ID is %s\n", id);
	strbuf_append(out, "Status codes: s suppressed, * valid, > best, i - internal\n"
			   "Origin codes: i - IGP, e - EGP, ? - incomplete\n\n"
			   "     Network          Next Hop            Metric LocPrf Weight Path\n");
	for (size_t i = 0; i < list.count; i++) {
		struct bgp_route *r = list.routes[i];
		bool first = true;
		for (struct bgp_path *p = r->paths; p; p = p->next) {
			if (!path_wanted(&list, r, p))
				continue;
			table_line(out, speaker, r, p, p == r->paths && r->best_valid, first);
			first = false;
		}
	}
	strbuf_printf(out, "\nTotal number of prefixes %zu\n", list.count);
	free(list.routes);
}

bool show_bgp_prefix(struct bgp_speaker *speaker, const struct bgp_nlri *prefix, bool json, struct strbuf *out)
{
	struct bgp_route *r = bgp_rib_lookup(bgp_speaker_rib(speaker), prefix);
	if (!r)
		return false;
	char text[64];
	prefix_text(r, false, text, sizeof(text));
	unsigned count = 0;
	for (struct bgp_path *p = r->paths; p; p = p->next)
		count++;
	if (json) {
		strbuf_printf(out, "{\"prefix\":\"%s\",\"paths\":[", text);
		for (struct bgp_path *p = r->paths; p; p = p->next) {
			strbuf_append(out, p == r->paths ? "" : ",");
			path_json(out, speaker, r, p, p == r->paths && r->best_valid);
			if (r->best_valid && p != r->paths) {
				/* Reopen the object to say why this path lost (IOS does not, FRR does). */
				const char *why = NULL;
				bgp_path_compare(r->paths, p, &why);
				out->len--;
				strbuf_printf(out, ",\"lostBecause\":\"%s\"}", why ? why : "");
			}
		}
		strbuf_append(out, "]}\n");
		return true;
	}
	strbuf_printf(out, "BGP routing table entry for %s\n", text);
	strbuf_printf(out, "Paths: (%u available, %s)\n", count, r->best_valid ? "best #1" : "no best path");
	for (struct bgp_path *p = r->paths; p; p = p->next) {
		struct bgp_attrs a;
		struct strbuf path = STRBUF_INIT;
		if (bgp_path_attrs_decode(p->attrs, &a) && bgp_attrs_has(&a, BGP_ATTR_AS_PATH))
			bgp_as_path_text(&a.as_path, &path);
		strbuf_printf(out, "  %s", path.len ? strbuf_str(&path) : "Local");
		if (bgp_attrs_has(&a, BGP_ATTR_AGGREGATOR)) {
			char agg_id[16];
			strbuf_printf(out, ", (aggregated by %u %s)", a.aggregator_as, ipv4_format(a.aggregator_addr, agg_id));
		}
		strbuf_append(out, "\n");
		char nh[IP_ADDR_STRLEN], from[IP_ADDR_STRLEN], id[16];
		struct ip_addr next_hop;
		bgp_path_attrs_next_hop(p->attrs, &next_hop);
		if (p->peer)
			strbuf_printf(out, "    %s from %s (%s)\n", ip_addr_format(&next_hop, nh),
				      ip_addr_format(&p->peer->config.addr, from), ipv4_format(p->peer->session.remote_id, id));
		else
			strbuf_append(out, "    0.0.0.0 from 0.0.0.0 (local)\n");
		strbuf_printf(out, "      Origin %s, ", bgp_origin_name(p->attrs->origin));
		if (p->attrs->flags & BGP_PA_MED)
			strbuf_printf(out, "metric %u, ", p->attrs->med);
		strbuf_printf(out, "localpref %u, weight %u, %s%s%s%s\n", p->attrs->local_pref, p->peer ? 0 : 32768,
			      bgp_path_usable(bgp_speaker_rib(speaker), p) ? "valid" : "inaccessible (next hop unreachable)",
			      p->peer ? (p->peer->ibgp ? ", internal" : ", external") : ", sourced, local",
			      bgp_attrs_has(&a, BGP_ATTR_ATOMIC_AGGREGATE) ? ", atomic-aggregate" : "",
			      p == r->paths && r->best_valid ? ", best" : "");
		if (bgp_attrs_has(&a, BGP_ATTR_COMMUNITIES)) {
			struct strbuf c = STRBUF_INIT;
			bgp_communities_text(&a.communities, &c);
			strbuf_printf(out, "      Community: %s\n", strbuf_str(&c));
			strbuf_free(&c);
		}
		if (bgp_attrs_has(&a, BGP_ATTR_ORIGINATOR_ID))
			strbuf_printf(out, "      Originator: %s, Cluster list length %u\n", ipv4_format(a.originator_id, id),
				      p->attrs->cluster_list_length);
		if (r->best_valid && p != r->paths) {
			const char *why = NULL;
			bgp_path_compare(r->paths, p, &why);
			strbuf_printf(out, "      Not best: lost to path #1 on %s\n", why ? why : "");
		}
		strbuf_free(&path);
	}
	return true;
}
