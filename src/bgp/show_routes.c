/*
 * DOC: `show ip bgp` (the IOS table), `show ip bgp PREFIX` (every path, which is best and
 * why the others lost), and the per-neighbour route views, as text and JSON.
 *
 * The table views go a slice at a time (show_bgp_table_next), so that the control socket
 * streams a full table instead of building it in memory (ctl.c); the single-prefix view is
 * small and built whole. They read the Loc-RIB and the Adj-RIB-In store, which is why they
 * live in this module: ctl only calls them (bgp.h).
 */
#include "bgp/bgp.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "bgp/adj_rib_in.h"
#include "bgp/rib.h"
#include "lib/json_writer.h"
#include "lib/memory.h"
#include "lib/prefix_bins.h"

/* IOS prints a classful network without its mask: 10.0.0.0 for 10.0.0.0/8. */
static void prefix_text_of(uint8_t family, const uint8_t *address, uint8_t len, bool ios_classful, char *buf,
			   size_t size)
{
	char addr[INET6_ADDRSTRLEN];
	inet_ntop(family, address, addr, sizeof(addr));
	if (ios_classful && family == AF_INET) {
		uint8_t first = address[0];
		uint8_t natural = first < 128 ? 8 : first < 192 ? 16 : first < 224 ? 24 : 32;
		if (len == natural) {
			snprintf(buf, size, "%s", addr);
			return;
		}
	}
	snprintf(buf, size, "%s/%u", addr, len);
}

static void prefix_text(const struct bgp_route *r, bool ios_classful, char *buf, size_t size)
{
	prefix_text_of(r->family, r->addr, r->len, ios_classful, buf, size);
}

static const char origin_code[] = { 'i', 'e', '?' };

/* A path's members, written into an object the caller opened (and closes: a view adds its
 * own members after these). */
static void path_members(struct json_writer *w, struct bgp_speaker *speaker, const struct bgp_route *r,
			 const struct bgp_path *p, bool best)
{
	struct bgp_rib *rib = bgp_speaker_rib(speaker);
	struct bgp_attrs a;
	char nh[IP_ADDR_STRLEN];
	struct ip_addr next_hop;
	bgp_path_attrs_next_hop(p->attrs, &next_hop);
	json_member_bool(w, "valid", bgp_path_usable(rib, p));
	json_member_bool(w, "best", best);
	json_member_string(w, "nextHop", bgp_path_attrs_next_hop_is_self(p->attrs) ? "0.0.0.0"
										   : ip_addr_format(&next_hop, nh));
	json_member_string(w, "origin", bgp_origin_name(p->attrs->origin));
	json_member_uint(w, "localPref", p->attrs->local_pref);
	json_member_uint(w, "weight", p->peer ? 0 : 32768);
	if (p->attrs->flags & BGP_PA_MED)
		json_member_uint(w, "metric", p->attrs->med);
	if (p->peer) {
		json_member_string(w, "peer", ip_addr_format(&p->peer->config.addr, nh));
		json_member_bool(w, "internal", p->peer->ibgp);
	} else {
		json_member_null(w, "peer");
		json_member_bool(w, "internal", false);
	}
	if (bgp_path_attrs_decode(p->attrs, &a)) {
		struct strbuf text = STRBUF_INIT;
		if (bgp_attrs_has(&a, BGP_ATTR_AS_PATH))
			bgp_as_path_text(&a.as_path, &text);
		json_member_string(w, "path", strbuf_str(&text));
		if (bgp_attrs_has(&a, BGP_ATTR_COMMUNITIES)) {
			strbuf_reset(&text);
			bgp_communities_text(&a.communities, &text);
			json_member_string(w, "communities", strbuf_str(&text));
		}
		if (bgp_attrs_has(&a, BGP_ATTR_LARGE_COMMUNITY)) {
			strbuf_reset(&text);
			bgp_large_communities_text(&a.large_communities, &text);
			json_member_string(w, "largeCommunities", strbuf_str(&text));
		}
		strbuf_free(&text);
		char id[16];
		if (bgp_attrs_has(&a, BGP_ATTR_ORIGINATOR_ID))
			json_member_string(w, "originatorId", ipv4_format(a.originator_id, id));
		if (bgp_attrs_has(&a, BGP_ATTR_CLUSTER_LIST))
			json_member_uint(w, "clusterListLength", p->attrs->cluster_list_length);
		if (bgp_attrs_has(&a, BGP_ATTR_ATOMIC_AGGREGATE))
			json_member_bool(w, "atomicAggregate", true);
		if (bgp_attrs_has(&a, BGP_ATTR_AGGREGATOR)) {
			json_member_uint(w, "aggregatorAs", a.aggregator_as);
			json_member_string(w, "aggregatorId", ipv4_format(a.aggregator_addr, id));
		}
	}
	/* Held back by a summary-only aggregate: IOS status "s" (FRR's JSON says the same). */
	if (best && r && bgp_route_suppressed(speaker, r))
		json_member_bool(w, "suppressed", true);
}

/* One line of the IOS table; r (NULL for a route not in the Loc-RIB) says whether it is
 * suppressed. */
static void table_line(struct strbuf *out, struct bgp_speaker *speaker, const struct prefix *n,
		       const struct bgp_route *r, const struct bgp_path *p, bool best, bool first)
{
	struct bgp_rib *rib = bgp_speaker_rib(speaker);
	char prefix[64], nh[IP_ADDR_STRLEN];
	struct ip_addr next_hop;
	bgp_path_attrs_next_hop(p->attrs, &next_hop);
	bool usable = bgp_path_usable(rib, p);
	prefix_text_of(n->family, n->addr, n->len, true, prefix, sizeof(prefix));
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
	bool suppressed = best && r && bgp_route_suppressed(speaker, r);
	strbuf_printf(out, " %c%c%c %-16s %-19s %6s %6s %6u %s%s%c\n", suppressed ? 's' : usable ? '*' : ' ', best ? '>' : ' ',
		      p->peer && p->peer->ibgp ? 'i' : ' ', first ? prefix : "", nh_text, metric, locprf,
		      p->peer ? 0 : 32768, strbuf_str(&path), path.len ? " " : "",
		      origin_code[p->attrs->origin < 3 ? p->attrs->origin : 2]);
	strbuf_free(&path);
}

/* ---- the table views, a slice at a time ----
 *
 * The view first gathers the prefixes through a RIB cursor (rib.h), a slice per loop
 * iteration, into bins that put them in prefix order (lib/prefix_bins.h); then it shows them
 * in that order, a slice of output at a time. Each prefix is looked up again when shown: one
 * withdrawn since the gathering is left out, one announced since is not shown (the cursor's
 * promise, rib.h). Neighbours are found again by address at every slice, and the speaker
 * must still be the one the view began on.
 */
#define GATHER_BUCKETS 16384  /* hash buckets per gathering slice (about 32,000 prefixes) */
#define SLICE_BYTES 65536     /* a slice of output ends past this size... */
#define SLICE_ROUTES 2048     /* ...or after this many prefixes */

enum view_phase { VIEW_HEAD, VIEW_GATHER, VIEW_ROUTES, VIEW_DONE };

struct show_bgp_table {
	const struct bgp_speaker *speaker; /* the view's speaker: compared, never followed */
	struct ip_addr from, to;           /* neighbour views: the neighbour's address */
	bool has_from, has_to, json;
	bool received;                     /* from's pre-policy routes (received-routes) */
	struct bgp_adj_rib_in_cursor received_cursor;
	struct json_writer writer;         /* JSON: the document, resumed at every slice */
	bool out_of_memory;
	const char *failure;               /* why the view ended early (SHOW_STEP_FAILED) */
	uint8_t family;
	enum view_phase phase;
	struct bgp_rib_cursor cursor;
	struct prefix_bins prefixes;
	size_t count;    /* prefixes so far, for "Total number of prefixes" */
};

/* What one slice shows: the speaker and neighbours as they are now. */
struct view_now {
	struct bgp_speaker *speaker;
	struct bgp_rib *rib;
	const struct bgp_peer *only_from; /* routes: paths of this peer; received-routes: its store */
	const struct bgp_peer *sent_to;   /* advertised-routes: best paths sent to this peer */
};

struct show_bgp_table *show_bgp_table_open(struct bgp_speaker *speaker, uint8_t family, const struct bgp_peer *from,
					   const struct bgp_peer *to, bool received, bool json)
{
	struct show_bgp_table *v = memory_calloc(MEMORY_CTL, 1, sizeof(*v));
	if (!v)
		return NULL;
	v->speaker = speaker;
	v->family = family;
	prefix_bins_init(&v->prefixes, family);
	v->json = json;
	json_writer_init(&v->writer, NULL); /* pointed at each slice's buffer by show_bgp_table_next */
	if (from) {
		v->has_from = true;
		v->from = from->config.addr;
	}
	if (to) {
		v->has_to = true;
		v->to = to->config.addr;
	}
	v->received = received && from;
	if (v->received)
		bgp_adj_rib_in_cursor_open(from->adj_rib_in, &v->received_cursor, family);
	else
		bgp_rib_cursor_open(bgp_speaker_rib(speaker), &v->cursor, family);
	return v;
}

const char *show_bgp_table_failure(const struct show_bgp_table *v)
{
	return v->failure ? v->failure : "";
}

void show_bgp_table_close(struct show_bgp_table *v)
{
	if (!v)
		return;
	prefix_bins_free(&v->prefixes);
	memory_free(MEMORY_CTL, v);
}

/* The speaker and neighbours of the view as they are now; NULL, or why the view cannot go on. */
static const char *view_now(const struct show_bgp_table *v, struct bgp_speaker *speaker, struct view_now *now)
{
	if (!speaker || speaker != v->speaker)
		return "BGP was stopped during the show";
	now->speaker = speaker;
	now->rib = bgp_speaker_rib(speaker);
	now->only_from = v->has_from ? bgp_speaker_find_peer(speaker, &v->from) : NULL;
	now->sent_to = v->has_to ? bgp_speaker_find_peer(speaker, &v->to) : NULL;
	if ((v->has_from && !now->only_from) || (v->has_to && !now->sent_to))
		return "the neighbor was removed during the show";
	return v->out_of_memory ? "out of memory" : NULL;
}

static void gather(void *ctx, struct bgp_route *r)
{
	struct show_bgp_table *v = ctx;
	if (!prefix_bins_add(&v->prefixes, r->addr, r->len))
		v->out_of_memory = true;
}

static void gather_received(void *ctx, const struct prefix *n, struct bgp_path_attrs *attrs)
{
	(void)attrs;
	struct show_bgp_table *v = ctx;
	if (!prefix_bins_add(&v->prefixes, n->addr, n->len))
		v->out_of_memory = true;
}

static bool path_wanted(const struct view_now *now, const struct bgp_route *r, const struct bgp_path *p)
{
	if (now->sent_to)
		return p == r->paths;
	return !now->only_from || p->peer == now->only_from;
}

static void head(struct show_bgp_table *v, struct bgp_speaker *speaker, struct strbuf *out)
{
	char id[16];
	ipv4_format(bgp_speaker_router_id(speaker), id);
	if (v->json) {
		json_object_begin(&v->writer);
		json_member_string(&v->writer, "routerId", id);
		json_member_uint(&v->writer, "localAs", bgp_speaker_local_as(speaker));
		json_member_object_begin(&v->writer, "routes");
		return;
	}
	strbuf_printf(out, "BGP table version is 1, local router ID is %s\n", id);
	strbuf_append(out, "Status codes: s suppressed, * valid, > best, i - internal\n"
			   "Origin codes: i - IGP, e - EGP, ? - incomplete\n\n"
			   "     Network          Next Hop            Metric LocPrf Weight Path\n");
}

static void route_json(struct show_bgp_table *v, const struct view_now *now, const struct bgp_route *r)
{
	bool any = false;
	for (struct bgp_path *p = r->paths; p; p = p->next)
		any |= path_wanted(now, r, p);
	if (!any)
		return;
	char prefix[64];
	prefix_text(r, false, prefix, sizeof(prefix));
	json_member_array_begin(&v->writer, prefix);
	for (struct bgp_path *p = r->paths; p; p = p->next) {
		if (!path_wanted(now, r, p))
			continue;
		json_object_begin(&v->writer);
		path_members(&v->writer, now->speaker, r, p, p == r->paths && r->best_valid);
		json_object_end(&v->writer);
	}
	json_array_end(&v->writer);
}

static void route_text(const struct view_now *now, const struct bgp_route *r, struct strbuf *out)
{
	bool first = true;
	for (struct bgp_path *p = r->paths; p; p = p->next) {
		if (!path_wanted(now, r, p))
			continue;
		struct prefix n = { .family = r->family, .len = r->len };
		memcpy(n.addr, r->addr, r->family == AF_INET6 ? 16 : 4);
		table_line(out, now->speaker, &n, r, p, p == r->paths && r->best_valid, first);
		first = false;
	}
}

/* One prefix of received-routes: as the peer sent it (before policy), if it is still stored.
 * '>' when the peer's path is the Loc-RIB's best (IOS); JSON says whether it was accepted. */
static void show_received(struct show_bgp_table *v, const struct view_now *now, const struct prefix *n,
			  struct strbuf *out)
{
	const struct bgp_adj_rib_in *in = now->only_from->adj_rib_in;
	struct bgp_path_attrs *attrs = in ? bgp_adj_rib_in_lookup(in, n) : NULL;
	if (!attrs)
		return;
	struct bgp_route *r = bgp_rib_lookup(now->rib, n);
	bool accepted = false;
	for (const struct bgp_path *p = r ? r->paths : NULL; p && !accepted; p = p->next)
		accepted = p->peer == now->only_from;
	bool best = accepted && r->best_valid && r->paths->peer == now->only_from;
	struct bgp_path as_received = { .attrs = attrs, .peer = (struct bgp_peer *)now->only_from };
	v->count++;
	if (!v->json) {
		table_line(out, now->speaker, n, NULL, &as_received, best, true);
		return;
	}
	char prefix[64];
	prefix_text_of(n->family, n->addr, n->len, false, prefix, sizeof(prefix));
	json_member_array_begin(&v->writer, prefix);
	json_object_begin(&v->writer);
	path_members(&v->writer, now->speaker, NULL, &as_received, best);
	json_member_bool(&v->writer, "accepted", accepted); /* what became of it */
	json_object_end(&v->writer);
	json_array_end(&v->writer);
}

/* One gathered prefix, if it is still there and belongs to the view. */
static void show_prefix(struct show_bgp_table *v, const struct view_now *now, const struct prefix *n,
			struct strbuf *out)
{
	if (v->received) {
		show_received(v, now, n, out);
		return;
	}
	struct bgp_route *r = bgp_rib_lookup(now->rib, n);
	if (!r || (now->sent_to && !bgp_route_advertised_to(r, now->sent_to)))
		return;
	v->count++;
	if (v->json)
		route_json(v, now, r);
	else
		route_text(now, r, out);
}

/* Shows prefixes in order until the slice is full; false once every one was shown. */
static bool show_routes(struct show_bgp_table *v, const struct view_now *now, struct strbuf *out)
{
	size_t shown = 0, start = out->len;
	struct prefix n = { .family = v->family };
	while (shown < SLICE_ROUTES && out->len - start < SLICE_BYTES) {
		if (!prefix_bins_next(&v->prefixes, n.addr, &n.len))
			return false;
		show_prefix(v, now, &n, out);
		shown++;
	}
	return true;
}

static void tail(struct show_bgp_table *v, struct strbuf *out)
{
	if (v->json)
		json_close_all(&v->writer);
	else
		strbuf_printf(out, "\nTotal number of prefixes %zu\n", v->count);
}

enum show_step show_bgp_table_next(struct show_bgp_table *v, struct bgp_speaker *speaker, struct strbuf *out)
{
	struct view_now now;
	if (v->phase == VIEW_DONE)
		return SHOW_STEP_DONE;
	json_writer_resume(&v->writer, out);
	v->failure = view_now(v, speaker, &now);
	if (v->failure) {
		/* JSON stays a document; the caller says why it is incomplete */
		if (v->json)
			json_close_all(&v->writer);
		v->phase = VIEW_DONE;
		return SHOW_STEP_FAILED;
	}
	switch (v->phase) {
	case VIEW_HEAD:
		head(v, speaker, out);
		v->phase = VIEW_GATHER;
		return SHOW_STEP_MORE;
	case VIEW_GATHER:
		if (v->received ? !bgp_adj_rib_in_cursor_step(now.only_from->adj_rib_in, &v->received_cursor,
							     GATHER_BUCKETS, gather_received, v)
				: !bgp_rib_cursor_step(now.rib, &v->cursor, GATHER_BUCKETS, gather, v))
			v->phase = VIEW_ROUTES;
		return SHOW_STEP_MORE;
	case VIEW_ROUTES:
		if (show_routes(v, &now, out))
			return SHOW_STEP_MORE;
		tail(v, out);
		v->phase = VIEW_DONE;
		return SHOW_STEP_DONE;
	case VIEW_DONE:
		break;
	}
	return SHOW_STEP_DONE;
}

void show_bgp_table(struct bgp_speaker *speaker, uint8_t family, const struct bgp_peer *from,
		    const struct bgp_peer *to, bool received, bool json, struct strbuf *out)
{
	struct show_bgp_table *v = show_bgp_table_open(speaker, family, from, to, received, json);
	if (!v) {
		strbuf_append(out, "% Out of memory\n");
		return;
	}
	enum show_step step;
	while ((step = show_bgp_table_next(v, speaker, out)) == SHOW_STEP_MORE)
		;
	if (step == SHOW_STEP_FAILED)
		strbuf_printf(out, "%% Output incomplete: %s\n", show_bgp_table_failure(v));
	show_bgp_table_close(v);
}

bool show_bgp_prefix(struct bgp_speaker *speaker, const struct prefix *prefix, bool json, struct strbuf *out)
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
		struct json_writer w;
		json_writer_init(&w, out);
		json_object_begin(&w);
		json_member_string(&w, "prefix", text);
		json_member_array_begin(&w, "paths");
		for (struct bgp_path *p = r->paths; p; p = p->next) {
			json_object_begin(&w);
			path_members(&w, speaker, r, p, p == r->paths && r->best_valid);
			if (r->best_valid && p != r->paths) {
				/* why this path lost (IOS does not say, FRR does) */
				const char *why = NULL;
				bgp_path_compare(r->paths, p, &why);
				json_member_string(&w, "lostBecause", why ? why : "");
			}
			json_object_end(&w);
		}
		json_array_end(&w);
		json_object_end(&w);
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
