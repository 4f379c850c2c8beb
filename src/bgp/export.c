/*
 * DOC: export: which peers get a best path, with which attributes, packed into UPDATEs.
 *
 * Tern keeps no Adj-RIB-Out: what a peer is sent is a function of the best path, where it
 * came from, the peer and the policy in force (export_allowed, the peer's export filter in
 * filter.c, export_encode with the route-map's set clauses). When a prefix's best path
 * changes, bgp_export_route() compares what each peer was owed before and after, and queues
 * an announcement or a withdrawal in that peer's packer. bgp_export_flush() then writes, per
 * peer, withdrawals first, then one group of prefixes per attribute set, attributes encoded
 * once per group. The bytes themselves, as many prefixes per UPDATE as fit (4096 octets, or
 * 65535 with RFC 8654), are the pure packer's (wire/bgp_update_pack.h); here are only the
 * decisions: which peer is owed what, with which attributes.
 */
#include "bgp/internal.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "bgp/attrs.h"
#include "lib/array.h"
#include "lib/hash.h"
#include "lib/hash_table.h"
#include "lib/log.h"
#include "wire/bgp_update_pack.h"

/* Wire-encoded prefixes waiting for a peer: a lib/array of octets, at most every prefix of a
 * full table (17 octets each for IPv6) and far below the cap. */
#define PREFIX_OCTETS_MAX ((size_t)1 << 30)

static void prefix_octets_init(struct array *v)
{
	array_init(v, MEMORY_BGP_EXPORT, 1, PREFIX_OCTETS_MAX);
}

static bool vec_append(struct array *v, const void *data, size_t len)
{
	if (array_reserve(v, len) != ARRAY_OK)
		return false;
	memcpy((uint8_t *)v->items + v->count, data, len);
	v->count += len;
	return true;
}

struct out_group {
	struct out_group *hash_next;  /* in bgp_out.group_index */
	struct bgp_path_attrs *attrs; /* a reference */
	struct bgp_peer *source;
	const struct policy_route_map_entry *sets; /* export route-map's set clauses, or NULL */
	uint8_t family;
	struct array prefixes;         /* octets, wire-encoded: length octet, then the address octets */
};

struct bgp_out {
	struct array withdrawn[2];    /* [0] IPv4, [1] IPv6: octets, wire-encoded prefixes */
	/* Groups in the order they were made (the order their UPDATEs go out); as many as the
	 * routes waiting for the peer at most, so no cap but memory. */
	struct array groups;          /* of out_group */
	/* Index of groups by (attributes, source, family, sets): a full table sent to a new peer
	 * arrives in hash order, so nearby prefixes rarely share attributes. Its chains point
	 * into groups: relinked when the array moves. */
	struct hash_table group_index;
	bool pending;
	bool end_of_rib[BGP_AFI_SAFI_COUNT]; /* send End-of-RIB after the groups, per family */
	/* A table dump in progress (a new session, a refresh): the table is walked a slice at
	 * a time as the socket drains, so a full table never sits encoded in memory. The walk is
	 * a Loc-RIB cursor (rib.h): the table may grow and rehash between slices, yet every
	 * prefix there for the whole dump is sent once. Routes that change meanwhile go out
	 * through normal export (the peer is Established); meeting one later in the walk only
	 * repeats its current state. */
	bool dumping;
	struct bgp_rib_cursor dump;   /* AF_INET, then AF_INET6 */
	uint16_t dump_eorr_afi;       /* 0, or the AFI of an EoRR to send when done (RFC 7313) */
};

static int family_index(uint8_t family)
{
	return family == AF_INET6 ? 1 : 0;
}

static void encode_prefix(struct array *v, uint8_t len, const uint8_t *addr)
{
	uint8_t buf[17];
	vec_append(v, buf, bgp_prefix_wire_encode(buf, len, addr));
}

/* Does the peer's session speak this address family (afi_safi.h: negotiated at OPEN,
 * installed by the route engine at PEER_UP)? */
static bool family_negotiated(const struct bgp_peer *peer, uint8_t family)
{
	return bgp_afi_safi_spoken(&peer->afi_safi, bgp_afi_safi_unicast(family));
}

/* Would this peer be sent a path with these attributes from that source? */
static bool export_allowed(const struct bgp_peer *target, const struct bgp_path_attrs *attrs,
			   const struct bgp_peer *source, uint8_t family)
{
	if (!target->established || target == source || target->removed)
		return false;
	if (!family_negotiated(target, family))
		return false;
	/* RFC 1997: well-known communities */
	if (attrs->flags & BGP_PA_NO_ADVERTISE)
		return false;
	if (!target->ibgp && (attrs->flags & (BGP_PA_NO_EXPORT | BGP_PA_NO_EXPORT_SUBCONFED)))
		return false;
	/* RFC 4271 §9.2: iBGP-learned routes are not passed to iBGP peers, except by a route
	 * reflector (RFC 4456 §6): from a client to everyone, from a non-client to clients. */
	if (source && source->ibgp && target->ibgp)
		return source->config.route_reflector_client || target->config.route_reflector_client;
	return true;
}

/* export_allowed, then the peer's export policy and RFC 8212 (filter.c). */
static bool export_decide(const struct bgp_peer *target, const struct bgp_route *r, const struct bgp_path_attrs *attrs,
			  const struct bgp_peer *source, const struct policy_route_map_entry **sets)
{
	*sets = NULL;
	if (!export_allowed(target, attrs, source, r->family))
		return false;
	struct bgp_filter_view view = bgp_filter_current(target->speaker);
	return bgp_filter_export(&view, &target->filter, target, r, attrs, sets);
}

static void local_address_bytes(const struct bgp_peer *target, uint8_t family, uint8_t out[16])
{
	memset(out, 0, 16);
	if (target->session.local_addr.family == family)
		memcpy(out, target->session.local_addr.bytes, family == AF_INET ? 4 : 16);
}

/*
 * The attributes a peer is sent (RFC 4271 §5.1, RFC 4456 §8). Returns the encoded length
 * of everything but the prefixes (for IPv6: MP_REACH_NLRI is added per message), or 0.
 */
static size_t export_encode(struct bgp_speaker *speaker, const struct bgp_peer *target,
			    const struct out_group *g, uint8_t *buf, size_t cap, uint8_t next_hop[16])
{
	struct bgp_attrs a;
	if (!bgp_path_attrs_decode(g->attrs, &a))
		return 0;
	/* The export route-map's set clauses first: a prepend goes behind our own AS, a MED it
	 * sets is sent even to an eBGP peer. */
	struct bgp_export_scratch *scratch = &speaker->export_scratch;
	if (g->sets && !policy_apply_sets(g->sets, &a, scratch->sets, sizeof(scratch->sets)))
		return 0;
	bool set_med = g->sets && (g->sets->set & POLICY_SET_METRIC);
	/* An AS_PATH may be as long as an extended message allows (RFC 8654), e.g. the AS_SET
	 * segments of an aggregate (scratch->as_path). */
	struct bgp_as_path prepended;
	bool self = bgp_path_attrs_next_hop_is_self(g->attrs);
	struct ip_addr nh;
	bgp_path_attrs_next_hop(g->attrs, &nh);
	memcpy(next_hop, nh.bytes, 16);
	if (!bgp_attrs_has(&a, BGP_ATTR_ORIGIN)) {
		a.origin = BGP_ORIGIN_INCOMPLETE;
		a.present |= BGP_ATTR_BIT(BGP_ATTR_ORIGIN);
	}
	if (!bgp_attrs_has(&a, BGP_ATTR_AS_PATH)) {
		a.as_path = (struct bgp_as_path){ .data = NULL, .len = 0, .asn_size = 4 };
		a.present |= BGP_ATTR_BIT(BGP_ATTR_AS_PATH);
	}
	if (!target->ibgp) {
		/* RFC 4271 §5.1.2: prepend our AS; §5.1.3: we are the next hop; §5.1.4: a MED
		 * learned from another AS goes no further; §5.1.5: no LOCAL_PREF to eBGP. */
		if (!bgp_as_path_prepend(&a.as_path, speaker->local_as, 1, scratch->as_path, sizeof(scratch->as_path),
					 &prepended))
			return 0;
		a.as_path = prepended;
		local_address_bytes(target, g->family, next_hop);
		if (g->source && !g->source->ibgp && !set_med)
			a.present &= ~BGP_ATTR_BIT(BGP_ATTR_MULTI_EXIT_DISC);
		a.present &= ~(BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF) | BGP_ATTR_BIT(BGP_ATTR_ORIGINATOR_ID) |
			       BGP_ATTR_BIT(BGP_ATTR_CLUSTER_LIST));
	} else {
		if (!bgp_attrs_has(&a, BGP_ATTR_LOCAL_PREF)) {
			a.local_pref = g->attrs->local_pref;
			a.present |= BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF);
		}
		if (self || target->config.next_hop_self)
			local_address_bytes(target, g->family, next_hop);
		if (g->source && g->source->ibgp) {
			/* RFC 4456 §8: reflecting; ORIGINATOR_ID once, our cluster ID in front. */
			if (!bgp_attrs_has(&a, BGP_ATTR_ORIGINATOR_ID)) {
				a.originator_id = g->source->session.remote_id;
				a.present |= BGP_ATTR_BIT(BGP_ATTR_ORIGINATOR_ID);
			}
			uint32_t cluster = speaker->cluster_id ? speaker->cluster_id : speaker->router_id;
			struct writer cw = writer_make(scratch->cluster_list, sizeof(scratch->cluster_list));
			writer_u32(&cw, cluster);
			if (bgp_attrs_has(&a, BGP_ATTR_CLUSTER_LIST))
				writer_bytes(&cw, a.cluster_list.data, a.cluster_list.len);
			if (!writer_ok(&cw))
				return 0;
			a.cluster_list = (struct bgp_attr_blob){ .data = scratch->cluster_list, .len = (uint16_t)cw.len };
			a.present |= BGP_ATTR_BIT(BGP_ATTR_CLUSTER_LIST);
		}
	}
	if (g->family == AF_INET) {
		uint32_t v = ((uint32_t)next_hop[0] << 24) | ((uint32_t)next_hop[1] << 16) |
			     ((uint32_t)next_hop[2] << 8) | next_hop[3];
		a.next_hop = v;
		a.present |= BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
	}
	bool as4 = target->session.received_caps.as4 && target->session.sent_caps.as4;
	return bgp_update_attributes_encode(buf, cap, &a, as4);
}

static uint64_t out_group_hash(const void *group);

static struct out_group *groups_of(const struct bgp_out *out)
{
	return out->groups.items;
}

static struct bgp_out *peer_out(struct bgp_peer *peer)
{
	if (!peer->out) {
		peer->out = memory_calloc(MEMORY_BGP_EXPORT, 1, sizeof(*peer->out));
		if (!peer->out)
			return NULL;
		array_init(&peer->out->groups, MEMORY_BGP_EXPORT, sizeof(struct out_group), ARRAY_NO_CAP);
		prefix_octets_init(&peer->out->withdrawn[0]);
		prefix_octets_init(&peer->out->withdrawn[1]);
		hash_table_init(&peer->out->group_index, MEMORY_BGP_EXPORT, offsetof(struct out_group, hash_next),
				out_group_hash, NULL);
	}
	return peer->out;
}

static void queue_withdraw(struct bgp_peer *peer, const struct bgp_route *r)
{
	struct bgp_out *out = peer_out(peer);
	if (!out)
		return;
	encode_prefix(&out->withdrawn[family_index(r->family)], r->len, r->addr);
	out->pending = true;
}

/* Our own pointers, not a peer's choice: the fast unkeyed mix (lib/hash.h). */
static uint64_t group_hash(const struct bgp_path_attrs *attrs, const struct bgp_peer *source, uint8_t family,
			   const struct policy_route_map_entry *sets)
{
	return hash_u64((uint64_t)(uintptr_t)attrs ^ ((uint64_t)(uintptr_t)source << 1) ^ family ^
				((uint64_t)(uintptr_t)sets << 3));
}

static uint64_t out_group_hash(const void *group)
{
	const struct out_group *g = group;
	return group_hash(g->attrs, g->source, g->family, g->sets);
}

/* The groups array moved (it grew): the index's chains point into the old one. */
static bool index_relink(struct bgp_out *out)
{
	hash_table_clear(&out->group_index);
	for (size_t i = 0; i < out->groups.count; i++)
		if (!hash_table_insert(&out->group_index, &groups_of(out)[i], out_group_hash(&groups_of(out)[i])))
			return false;
	return true;
}

static void queue_announce(struct bgp_peer *peer, const struct bgp_route *r, const struct bgp_path *best,
			   const struct policy_route_map_entry *sets)
{
	struct bgp_out *out = peer_out(peer);
	if (!out)
		return;
	struct out_group *g = NULL;
	uint64_t hash = group_hash(best->attrs, best->peer, r->family, sets);
	for (struct out_group *c = hash_table_first(&out->group_index, hash); c; c = c->hash_next) {
		if (c->attrs == best->attrs && c->source == best->peer && c->family == r->family && c->sets == sets) {
			g = c;
			break;
		}
	}
	if (!g) {
		void *before = out->groups.items;
		g = array_push(&out->groups);
		if (!g)
			return;
		bool linked = out->groups.items == before ? hash_table_insert(&out->group_index, g, hash)
							  : index_relink(out);
		if (!linked) {
			out->groups.count--;
			index_relink(out); /* what fits stays findable; the route is lost as before */
			return;
		}
		g->attrs = best->attrs;
		bgp_attrs_ref(g->attrs);
		g->source = best->peer;
		g->family = r->family;
		g->sets = sets;
		prefix_octets_init(&g->prefixes);
	}
	encode_prefix(&g->prefixes, r->len, r->addr);
	out->pending = true;
}

void bgp_export_route(struct bgp_speaker *speaker, const struct bgp_route *r, struct bgp_path_attrs *old_attrs,
		      struct bgp_peer *old_source, const struct bgp_path *best)
{
	/* A route under an active summary-only aggregate is suppressed before and after. */
	bool suppressed = speaker->aggregate_count && bgp_aggregate_suppresses(speaker, r);
	for (struct bgp_peer *peer = speaker->peers; peer; peer = peer->next) {
		if (!peer->established)
			continue;
		const struct policy_route_map_entry *old_sets, *sets;
		bool had = !suppressed && old_attrs && export_decide(peer, r, old_attrs, old_source, &old_sets);
		bool has = !suppressed && best && export_decide(peer, r, best->attrs, best->peer, &sets);
		if (has)
			queue_announce(peer, r, best, sets);
		else if (had)
			queue_withdraw(peer, r);
	}
	if (speaker->options.route_changed)
		speaker->options.route_changed(speaker->options.context, r, best);
}

/* Hands one whole message to the session engine for the peer's session (events.h: bytes
 * for a session that is gone by the time they are taken are dropped there). */
static bool queue_message(struct bgp_peer *peer, const uint8_t *buf, size_t len)
{
	uint64_t session = bgp_session_id(peer);
	return session && bgp_output_queue_put(&peer->speaker->output, session, buf, len);
}

/* Sends one UPDATE built in buf; counts it. */
static bool send_update(struct bgp_peer *peer, uint8_t *buf, size_t len)
{
	if (!queue_message(peer, buf, len))
		return false;
	peer->sent.by_type[BGP_MSG_UPDATE]++;
	peer->sent.total++;
	if (peer->debug || peer->updates_logged[1] < BGP_LOG_UPDATES) {
		peer->updates_logged[1]++;
		/* What the message carries, read back from it (it was just built, so it splits) */
		struct reader body = reader_make(buf + BGP_HEADER_LEN, len - BGP_HEADER_LEN);
		struct bgp_update_parts parts;
		struct bgp_error error;
		unsigned announced = 0, gone = 0;
		if (bgp_update_split(&body, &parts, &error)) {
			struct bgp_prefix4 p;
			while (bgp_prefix4_next(&parts.nlri, &p) > 0)
				announced++;
			while (bgp_prefix4_next(&parts.withdrawn, &p) > 0)
				gone++;
		}
		bgp_peer_log(peer, BGP_LOG_SENT, "update", NULL, "UPDATE sent: %u IPv4 prefixes reachable, %u withdrawn%s%s",
			     announced, gone, len == BGP_UPDATE_MIN_LEN ? " (End-of-RIB)" : "",
			     peer->updates_logged[1] == BGP_LOG_UPDATES && !peer->debug ? "; later UPDATEs are counted, not logged" : "");
	}
	return true;
}

static void flush_withdrawn(struct bgp_peer *peer, uint8_t family, struct array *v, uint8_t *buf,
			    size_t max)
{
	struct bgp_update_prefixes prefixes = { .data = v->items, .len = v->count };
	uint16_t afi = family == AF_INET ? BGP_AFI_IPV4 : BGP_AFI_IPV6;
	uint64_t *sent = &peer->afi_safi.family[bgp_afi_safi_unicast(family)].withdrawn_sent;
	size_t len, counted = 0;
	while ((len = bgp_update_pack_withdrawn(buf, max, afi, &prefixes))) {
		if (!send_update(peer, buf, len))
			return;
		*sent += prefixes.packed - counted;
		counted = prefixes.packed;
	}
}

static void flush_group(struct bgp_speaker *speaker, struct bgp_peer *peer, struct out_group *g, uint8_t *buf,
			size_t max)
{
	struct bgp_update_reach reach = { .afi = g->family == AF_INET6 ? BGP_AFI_IPV6 : BGP_AFI_IPV4,
					  .attributes = speaker->export_scratch.attributes };
	reach.attributes_len = export_encode(speaker, peer, g, speaker->export_scratch.attributes,
					     sizeof(speaker->export_scratch.attributes), reach.next_hop);
	if (!reach.attributes_len) {
		log_warning("bgp: an attribute set could not be encoded for a peer; %zu octets of prefixes not sent",
			    g->prefixes.count);
		return;
	}
	struct bgp_update_prefixes prefixes = { .data = g->prefixes.items, .len = g->prefixes.count };
	uint64_t *sent = &peer->afi_safi.family[bgp_afi_safi_unicast(g->family)].announced_sent;
	size_t len, counted = 0;
	while ((len = bgp_update_pack_announce(buf, max, &reach, &prefixes))) {
		if (!send_update(peer, buf, len))
			return;
		*sent += prefixes.packed - counted;
		counted = prefixes.packed;
	}
}

static void send_end_of_rib(struct bgp_peer *peer, enum bgp_afi_safi_index family, uint8_t *buf, size_t max)
{
	size_t len = bgp_update_pack_end_of_rib(buf, max, bgp_afi_safi_afi(family), bgp_afi_safi_safi(family));
	if (len) {
		send_update(peer, buf, len);
		peer->afi_safi.family[family].end_of_rib_sent = true;
	}
}

static void out_clear(struct bgp_speaker *speaker, struct bgp_out *out)
{
	for (size_t i = 0; i < out->groups.count; i++) {
		bgp_attrs_unref(bgp_rib_attrs_table(speaker->rib), groups_of(out)[i].attrs);
		array_free(&groups_of(out)[i].prefixes);
	}
	array_clear(&out->groups);
	hash_table_clear(&out->group_index);
	array_clear(&out->withdrawn[0]);
	array_clear(&out->withdrawn[1]);
	out->pending = false;
	memset(out->end_of_rib, 0, sizeof(out->end_of_rib));
}

static void flush_peer(struct bgp_speaker *speaker, struct bgp_peer *peer)
{
	struct bgp_out *out = peer->out;
	if (!out || !out->pending)
		return;
	if (peer->established) {
		uint8_t *buf = speaker->export_scratch.message;
		size_t max = peer->established->max_message;
		flush_withdrawn(peer, AF_INET, &out->withdrawn[0], buf, max);
		flush_withdrawn(peer, AF_INET6, &out->withdrawn[1], buf, max);
		for (size_t i = 0; i < out->groups.count; i++)
			flush_group(speaker, peer, &groups_of(out)[i], buf, max);
		for (int f = 0; f < BGP_AFI_SAFI_COUNT; f++)
			if (out->end_of_rib[f])
				send_end_of_rib(peer, (enum bgp_afi_safi_index)f, buf, max);
	}
	out_clear(speaker, out);
}

void bgp_export_flush(struct bgp_speaker *speaker)
{
	for (struct bgp_peer *peer = speaker->peers; peer; peer = peer->next)
		flush_peer(speaker, peer);
}

struct send_table_ctx {
	struct bgp_peer *peer;
};

static void send_table_route(void *ctx, struct bgp_route *r)
{
	struct send_table_ctx *c = ctx;
	const struct policy_route_map_entry *sets;
	if (r->best_valid && r->paths && export_decide(c->peer, r, r->paths->attrs, r->paths->peer, &sets) &&
	    !(c->peer->speaker->aggregate_count && bgp_aggregate_suppresses(c->peer->speaker, r)))
		queue_announce(c->peer, r, r->paths, sets);
}

#define DUMP_BUCKETS 2048                 /* buckets per slice of a table dump */
#define DUMP_QUEUE_LOW (1u << 20)        /* dump more while less than this waits */
/* A dump goes on for at most this long per call: to a peer whose export policy sends nothing
 * (the queue never fills) a whole table is otherwise walked in one go. The route engine
 * carries it on from the loop (bgp_export_dump_runnable). */
#define DUMP_SLICE_NS (2u * 1000 * 1000)

/* What waits for the peer's socket: its send queue, and what the session engine has not
 * taken into it yet (events.h). */
static size_t queued_output(const struct bgp_peer *peer)
{
	const struct bgp_connection *c = peer->established;
	if (!c)
		return 0;
	return c->write_queue.count - c->write_head + bgp_output_queue_pending(&peer->speaker->output, c->session_id);
}

void bgp_export_send_route_refresh(struct bgp_peer *peer, uint16_t afi, uint8_t subtype)
{
	struct bgp_route_refresh rr = { .afi = afi, .safi = BGP_SAFI_UNICAST, .subtype = subtype };
	uint8_t buf[BGP_ROUTE_REFRESH_LEN];
	struct writer w = writer_make(buf, sizeof(buf));
	size_t len = bgp_route_refresh_encode(&w, &rr);
	if (!len || !queue_message(peer, buf, len))
		return;
	peer->sent.by_type[BGP_MSG_ROUTE_REFRESH]++;
	peer->sent.total++;
	static const char *const names[] = { "ROUTE-REFRESH", "BoRR", "EoRR" };
	bgp_peer_log(peer, BGP_LOG_SENT, "route-refresh", NULL, "%s sent (%s unicast)", names[subtype % 3],
		     afi == BGP_AFI_IPV6 ? "IPv6" : "IPv4");
}

bool bgp_export_dump_continue(struct bgp_peer *peer)
{
	struct bgp_out *out = peer->out;
	if (!out || !out->dumping)
		return false;
	if (!peer->established) {
		out->dumping = false;
		return false;
	}
	struct bgp_rib *rib = peer->speaker->rib;
	struct send_table_ctx ctx = { .peer = peer };
	uint64_t start = uv_hrtime();
	while (out->dumping && queued_output(peer) < DUMP_QUEUE_LOW) {
		if (uv_hrtime() - start > DUMP_SLICE_NS)
			return true; /* the route engine carries it on */
		if (!bgp_rib_cursor_step(rib, &out->dump, DUMP_BUCKETS, send_table_route, &ctx)) {
			if (out->dump.family == AF_INET) {
				/* IPv6 from where its table is now: what comes later goes by normal export */
				bgp_rib_cursor_open(rib, &out->dump, AF_INET6);
			} else {
				out->dumping = false;
				for (int f = 0; f < BGP_AFI_SAFI_COUNT; f++)
					out->end_of_rib[f] =
						bgp_afi_safi_spoken(&peer->afi_safi, (enum bgp_afi_safi_index)f);
			}
		}
		out->pending = true;
		flush_peer(peer->speaker, peer);
		if (!out->dumping && out->dump_eorr_afi) {
			bgp_export_send_route_refresh(peer, out->dump_eorr_afi, BGP_ROUTE_REFRESH_EORR);
			out->dump_eorr_afi = 0;
		}
	}
	return false;
}

bool bgp_export_dump_runnable(const struct bgp_peer *peer)
{
	const struct bgp_out *out = peer->out;
	return out && out->dumping && peer->established && queued_output(peer) < DUMP_QUEUE_LOW;
}

bool bgp_export_send_table(struct bgp_peer *peer, uint16_t eorr_afi)
{
	struct bgp_out *out = peer_out(peer);
	if (!out)
		return false;
	/* Pending changes go first; the dump starts over if one was under way. */
	flush_peer(peer->speaker, peer);
	out->dumping = true;
	bgp_rib_cursor_open(peer->speaker->rib, &out->dump, AF_INET);
	out->dump_eorr_afi = eorr_afi;
	return bgp_export_dump_continue(peer);
}

bool bgp_rib_peer_send_table(struct bgp_rib *rib, struct bgp_peer *peer)
{
	(void)rib;
	return bgp_export_send_table(peer, 0);
}

void bgp_export_peer_free(struct bgp_peer *peer)
{
	if (!peer->out)
		return;
	out_clear(peer->speaker, peer->out);
	array_free(&peer->out->groups);
	hash_table_free(&peer->out->group_index);
	array_free(&peer->out->withdrawn[0]);
	array_free(&peer->out->withdrawn[1]);
	memory_free(MEMORY_BGP_EXPORT, peer->out);
	peer->out = NULL;
}

bool bgp_route_advertised_to(const struct bgp_route *route, const struct bgp_peer *peer)
{
	const struct policy_route_map_entry *sets;
	return route->best_valid && route->paths &&
	       export_decide(peer, route, route->paths->attrs, route->paths->peer, &sets) &&
	       !(peer->speaker->aggregate_count && bgp_aggregate_suppresses(peer->speaker, route));
}

bool bgp_route_suppressed(const struct bgp_speaker *speaker, const struct bgp_route *route)
{
	return speaker->aggregate_count && bgp_aggregate_suppresses(speaker, route);
}

void bgp_export_suppression_changed(struct bgp_speaker *speaker, const struct bgp_route *r, bool suppressed)
{
	for (struct bgp_peer *peer = speaker->peers; peer; peer = peer->next) {
		const struct policy_route_map_entry *sets;
		if (!peer->established || !export_decide(peer, r, r->paths->attrs, r->paths->peer, &sets))
			continue;
		if (suppressed)
			queue_withdraw(peer, r);
		else
			queue_announce(peer, r, r->paths, sets);
	}
}

bool bgp_export_base_allowed(const struct bgp_peer *target, const struct bgp_route *r, const struct bgp_path *best)
{
	return export_allowed(target, best->attrs, best->peer, r->family) &&
	       !(target->speaker->aggregate_count && bgp_aggregate_suppresses(target->speaker, r));
}

void bgp_export_queue(struct bgp_peer *peer, const struct bgp_route *r, const struct bgp_path *best,
		      const struct policy_route_map_entry *sets)
{
	if (best)
		queue_announce(peer, r, best, sets);
	else
		queue_withdraw(peer, r);
}
