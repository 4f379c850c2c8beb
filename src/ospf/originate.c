/*
 * DOC: the LSAs this router originates: router, network, summary and AS-external.
 *
 * Origination reconciles: the router LSA of each area, the network LSA of each interface where
 * this router is DR with at least one full neighbour, an ABR's summaries, and one AS-external
 * LSA per redistributed route are computed as wanted; a wanted LSA whose body differs from the
 * database copy is originated with the next sequence number (at most once per MinLSInterval,
 * §12.4), one whose copy is 30 minutes old is refreshed (LSRefreshTime), and a self-originated
 * LSA no longer wanted - or a stale one from a previous incarnation received from a neighbour
 * (§13.4) - is flushed by premature ageing (§14.1).
 */
#include "ospf/internal.h"

#include <stdlib.h>
#include <string.h>

#include "lib/memory.h"

static size_t build_router_lsa(struct ospf *o, uint32_t area, uint8_t *buf, size_t cap)
{
	struct writer w = writer_make(buf, cap);
	struct ospf_lsa_header h = { .age = 0, .options = ospf_my_options(), .type = OSPF_LSA_ROUTER,
				     .id = o->opt.router_id, .adv_router = o->opt.router_id, .seq = 0 };
	size_t start = ospf_lsa_begin(&w, &h);
	writer_u8(&w, (uint8_t)((o->opt.asbr ? OSPF_ROUTER_E : 0) | (ospf_is_abr(o) ? OSPF_ROUTER_B : 0)));
	writer_u8(&w, 0);
	size_t count_at = writer_reserve(&w, 2);
	uint16_t links = 0;
	for (size_t i = 0; i < o->ifs.count; i++) {
		struct ospf_if *ifp = ospf_ifs(o)[i];
		if (ifp->cfg.area != area || ifp->state == OSPF_IFS_DOWN)
			continue;
		uint32_t mask = ospf_mask_of(ifp->cfg.prefixlen);
		struct ospf_router_link l = { 0 };
		if (ifp->state == OSPF_IFS_LOOPBACK) {
			/* §12.4.1.1: a host route to the loopback address */
			l = (struct ospf_router_link){ ifp->cfg.addr, UINT32_MAX, OSPF_LINK_STUB, 0, ifp->cfg.cost };
			ospf_router_link_write(&w, &l);
			links++;
			continue;
		}
		if (ifp->cfg.type == OSPF_IF_P2P && !ifp->cfg.passive) {
			for (size_t j = 0; j < ifp->nbrs.count; j++) {
				struct ospf_nbr *n = ospf_nbrs(ifp)[j];
				if (n->state != OSPF_NBR_FULL)
					continue;
				l = (struct ospf_router_link){ n->rid, ifp->cfg.addr, OSPF_LINK_P2P, 0, ifp->cfg.cost };
				ospf_router_link_write(&w, &l);
				links++;
			}
			l = (struct ospf_router_link){ ifp->cfg.addr & mask, mask, OSPF_LINK_STUB, 0, ifp->cfg.cost };
			ospf_router_link_write(&w, &l);
			links++;
			continue;
		}
		/* broadcast (§12.4.1.2): transit once there is a full adjacency with the DR */
		bool transit = false;
		if (!ifp->cfg.passive && ifp->state != OSPF_IFS_WAITING && ifp->dr) {
			if (ifp->state == OSPF_IFS_DR) {
				for (size_t j = 0; j < ifp->nbrs.count; j++)
					if (ospf_nbrs(ifp)[j]->state == OSPF_NBR_FULL)
						transit = true;
			} else {
				struct ospf_nbr *dr = ospf_nbr_by_addr(ifp, ifp->dr);
				transit = dr && dr->state == OSPF_NBR_FULL;
			}
		}
		if (transit)
			l = (struct ospf_router_link){ ifp->dr, ifp->cfg.addr, OSPF_LINK_TRANSIT, 0, ifp->cfg.cost };
		else
			l = (struct ospf_router_link){ ifp->cfg.addr & mask, mask, OSPF_LINK_STUB, 0, ifp->cfg.cost };
		ospf_router_link_write(&w, &l);
		links++;
	}
	writer_patch_u16(&w, count_at, links);
	ospf_lsa_end(&w, start);
	return writer_ok(&w) ? w.len : 0;
}

static size_t build_network_lsa(struct ospf *o, struct ospf_if *ifp, uint8_t *buf, size_t cap)
{
	struct writer w = writer_make(buf, cap);
	struct ospf_lsa_header h = { .options = ospf_my_options(), .type = OSPF_LSA_NETWORK, .id = ifp->cfg.addr,
				     .adv_router = o->opt.router_id };
	size_t start = ospf_lsa_begin(&w, &h);
	writer_u32(&w, ospf_mask_of(ifp->cfg.prefixlen));
	writer_u32(&w, o->opt.router_id);
	for (size_t j = 0; j < ifp->nbrs.count; j++)
		if (ospf_nbrs(ifp)[j]->state == OSPF_NBR_FULL)
			writer_u32(&w, ospf_nbrs(ifp)[j]->rid);
	ospf_lsa_end(&w, start);
	return writer_ok(&w) ? w.len : 0;
}

/* Appendix E: the link state ID of a prefix that shares its network address with a shorter
 * prefix of the same set gets its host bits set (10.0.0.0/16 beside 10.0.0.0/8 is 10.0.255.255),
 * so both have an LSA of their own. `shorter` says whether such a prefix exists. */
static uint32_t prefix_lsid(uint32_t prefix, uint8_t len, bool shorter)
{
	uint32_t net = prefix & ospf_mask_of(len);
	return shorter ? net | ~ospf_mask_of(len) : net;
}

/* A shorter prefix of the set with the same network address: at most 32 lookups. */
static uint32_t external_lsid(const struct ospf *o, const struct ospf_external *x)
{
	uint32_t net = prefix_v4(&x->prefix) & ospf_mask_of(x->prefix.len);
	bool shorter = false;
	for (uint8_t len = 0; len < x->prefix.len && !shorter; len++)
		shorter = (net & ospf_mask_of(len)) == net && ospf_external_at(o, net, len);
	return prefix_lsid(prefix_v4(&x->prefix), x->prefix.len, shorter);
}

static uint32_t summary_lsid(const struct ospf *o, const struct ospf_route *r)
{
	bool shorter = false;
	for (size_t i = 0; i < ospf_routes_count(&o->routes); i++) {
		const struct ospf_route *y = ospf_routes_at(&o->routes, i);
		if (y->len < r->len && y->prefix == r->prefix)
			shorter = true;
	}
	return prefix_lsid(r->prefix, r->len, shorter);
}

static size_t build_external_lsa(struct ospf *o, const struct ospf_external *x, uint8_t *buf, size_t cap)
{
	struct writer w = writer_make(buf, cap);
	struct ospf_lsa_header h = { .options = ospf_my_options(), .type = OSPF_LSA_EXTERNAL,
				     .id = external_lsid(o, x), .adv_router = o->opt.router_id };
	size_t start = ospf_lsa_begin(&w, &h);
	writer_u32(&w, ospf_mask_of(x->prefix.len));
	writer_u32(&w, (x->type1 ? 0 : 0x80000000u) | (x->metric & OSPF_LS_INFINITY));
	writer_u32(&w, 0);
	writer_u32(&w, 0);
	ospf_lsa_end(&w, start);
	return writer_ok(&w) ? w.len : 0;
}

/* §12.4.3: a summary LSA (type 3 network, type 4 ASBR). */
static size_t build_summary_lsa(struct ospf *o, uint8_t type, uint32_t id, uint32_t mask, uint32_t metric,
				uint8_t *buf, size_t cap)
{
	struct writer w = writer_make(buf, cap);
	struct ospf_lsa_header h = { .options = ospf_my_options(), .type = type, .id = id, .adv_router = o->opt.router_id };
	size_t start = ospf_lsa_begin(&w, &h);
	writer_u32(&w, mask);
	writer_u32(&w, metric & OSPF_LS_INFINITY);
	ospf_lsa_end(&w, start);
	return writer_ok(&w) ? w.len : 0;
}

/* Is a summary LSA of ours still wanted in area `area`? (what originate_summaries builds) */
static bool summary_wanted(const struct ospf *o, const struct ospf_lsa *l, uint32_t area)
{
	if (!ospf_is_abr(o))
		return false;
	if (l->h.type == OSPF_LSA_SUMMARY_ASBR) {
		for (size_t i = 0; i < o->spf_routers.count; i++) {
			const struct ospf_spf_router *r = array_at(&o->spf_routers, i);
			if (r->rid == l->h.id && (r->flags & OSPF_ROUTER_E) && !r->inter && r->area != area)
				return true;
		}
		return false;
	}
	for (size_t i = 0; i < ospf_routes_count(&o->routes); i++) {
		const struct ospf_route *r = ospf_routes_at(&o->routes, i);
		if (summary_lsid(o, r) != l->h.id || r->area == area)
			continue;
		if (r->info.type == OSPF_ROUTE_INTRA || (r->info.type == OSPF_ROUTE_INTER && r->area == 0 && area != 0))
			return true;
	}
	return false;
}

/* Originates `want` (an LSA built with seq 0) if it differs from the database copy. Returns
 * false when MinLSInterval postponed it (o->originate_at then says until when). */
static bool originate(struct ospf *o, uint32_t area, uint8_t *want, size_t len, uint64_t now)
{
	struct reader r = reader_make(want, len);
	struct ospf_lsa_header h;
	if (ospf_lsa_header_read(&r, &h) != OSPF_WIRE_OK)
		return true;
	struct ospf_lsdb *db = ospf_db_for(o, area, h.type);
	if (!db)
		return true;
	struct ospf_lsa *have = ospf_lsdb_find(db, h.type, h.id, h.adv_router);
	int32_t seq = OSPF_INITIAL_SEQ;
	if (have) {
		uint16_t age = ospf_lsa_age(have, now);
		bool same = have->h.options == h.options && ospf_lsa_body_equal(have->data, have->len, want, len);
		/* §13.4: a copy from a neighbour (our previous run's) is always superseded, even
		 * when identical, so that every router holds the instance we now own */
		if (same && age < OSPF_LS_REFRESH_TIME && !have->stale_self)
			return true;
		if (have->originated && now < have->originated + OSPF_MIN_LS_INTERVAL * 1000) {
			/* §12.4: again when MinLSInterval is over, not a moment later */
			uint64_t due = have->originated + OSPF_MIN_LS_INTERVAL * 1000;
			if (!o->originate_at || due < o->originate_at)
				o->originate_at = due;
			return false;
		}
		seq = have->h.seq == OSPF_MAX_SEQ ? OSPF_INITIAL_SEQ : have->h.seq + 1;
		ospf_rxmt_remove(o, &have->h);
	}
	want[12] = (uint8_t)((uint32_t)seq >> 24);
	want[13] = (uint8_t)((uint32_t)seq >> 16);
	want[14] = (uint8_t)((uint32_t)seq >> 8);
	want[15] = (uint8_t)seq;
	ospf_lsa_checksum_set(want, len);
	struct ospf_lsa *l = ospf_lsdb_install(db, want, len, now);
	if (!l)
		return true;
	l->originated = now;
	l->flooded = false;
	l->stale_self = false;
	o->lsa_originated++;
	ospf_flood(o, l, NULL, area, now);
	ospf_schedule_spf(o, now);
	return true;
}

void ospf_lsa_flush(struct ospf *o, struct ospf_lsa *l, uint32_t area, uint64_t now)
{
	if (ospf_lsa_age(l, now) >= OSPF_MAX_AGE)
		return;
	ospf_rxmt_remove(o, &l->h);
	l->data[0] = (uint8_t)(OSPF_MAX_AGE >> 8);
	l->data[1] = (uint8_t)OSPF_MAX_AGE;
	l->h.age = OSPF_MAX_AGE;
	l->installed = now;
	ospf_flood(o, l, NULL, area, now);
	ospf_schedule_spf(o, now);
}

static bool network_lsa_wanted(const struct ospf *o, const struct ospf_lsa *l, uint32_t area)
{
	struct ospf_if *ifp = ospf_if_by_addr(o, l->h.id);
	if (!ifp || ifp->cfg.area != area || ifp->state != OSPF_IFS_DR || ifp->cfg.passive ||
	    l->h.adv_router != o->opt.router_id)
		return false;
	for (size_t j = 0; j < ifp->nbrs.count; j++)
		if (ospf_nbrs(ifp)[j]->state == OSPF_NBR_FULL)
			return true;
	return false;
}

/* Is an external of the set originated under this link state ID? Its network address is
 * the ID's under one of the 33 masks. */
static bool external_wanted(const struct ospf *o, uint32_t id)
{
	for (int len = 0; len <= 32; len++) {
		const struct ospf_external *x = ospf_external_at(o, id & ospf_mask_of((uint8_t)len), (uint8_t)len);
		if (x && external_lsid(o, x) == id)
			return true;
	}
	return false;
}

/* Every external LSA: the set's, and ours that the set no longer has. False when
 * MinLSInterval postponed one. */
static bool originate_every_external(struct ospf *o, uint64_t now)
{
	uint8_t buf[OSPF_PACKET_MAX];
	bool done = true;
	struct hash_table_iter it;
	hash_table_iter_init(&o->externals, &it);
	const struct ospf_external_entry *e;
	while ((e = hash_table_iter_next(&o->externals, &it)) != NULL) {
		size_t len = build_external_lsa(o, &e->x, buf, sizeof(buf));
		if (len && !originate(o, 0, buf, len, now))
			done = false;
	}
	for (size_t i = 0; i < ospf_lsdb_count(&o->external); i++) {
		struct ospf_lsa *l = ospf_lsdb_at(&o->external, i);
		if (l->h.adv_router == o->opt.router_id && !external_wanted(o, l->h.id))
			ospf_lsa_flush(o, l, 0, now);
	}
	return done;
}

/* The external LSAs one network address can have: those of its prefixes (each one's link
 * state ID depends on the shorter ones, Appendix E), and ours under an ID one of them had or
 * could have had, flushed when no external has it any more. False when MinLSInterval
 * postponed one. */
static bool originate_network_externals(struct ospf *o, uint32_t net, uint64_t now)
{
	uint8_t buf[OSPF_PACKET_MAX];
	bool done = true;
	for (int len = 0; len <= 32; len++) {
		if ((net & ospf_mask_of((uint8_t)len)) != net)
			continue;
		const struct ospf_external *x = ospf_external_at(o, net, (uint8_t)len);
		if (x) {
			size_t n = build_external_lsa(o, x, buf, sizeof(buf));
			if (n && !originate(o, 0, buf, n, now))
				done = false;
		}
		uint32_t ids[2] = { net, net | ~ospf_mask_of((uint8_t)len) };
		for (int k = 0; k < 2; k++) {
			struct ospf_lsa *l = ospf_lsdb_find(&o->external, OSPF_LSA_EXTERNAL, ids[k], o->opt.router_id);
			if (l && !external_wanted(o, ids[k]))
				ospf_lsa_flush(o, l, 0, now);
		}
	}
	return done;
}

static int compare_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

void ospf_originate_externals(struct ospf *o, uint64_t now)
{
	if (o->externals_all) {
		o->externals_all = !originate_every_external(o, now);
		array_clear(&o->externals_changed);
		return;
	}
	/* each address once; the ones MinLSInterval postpones stay noted for the run
	 * originate_at asks for */
	uint32_t *nets = o->externals_changed.items;
	size_t count = o->externals_changed.count, kept = 0;
	if (count)
		qsort(nets, count, sizeof(*nets), compare_u32);
	for (size_t i = 0; i < count; i++) {
		if (i && nets[i] == nets[i - 1])
			continue;
		if (!originate_network_externals(o, nets[i], now))
			nets[kept++] = nets[i];
	}
	o->externals_changed.count = kept;
}

void ospf_originate_all(struct ospf *o, uint64_t now)
{
	o->originate_dirty = false;
	o->originate_at = 0;
	uint8_t buf[OSPF_PACKET_MAX];
	for (size_t a = 0; a < o->areas.count; a++) {
		uint32_t area = ospf_areas(o)[a].id;
		bool has_if = false;
		for (size_t i = 0; i < o->ifs.count; i++)
			if (ospf_ifs(o)[i]->cfg.area == area)
				has_if = true;
		if (has_if) {
			size_t len = build_router_lsa(o, area, buf, sizeof(buf));
			if (len)
				originate(o, area, buf, len, now);
		}
		for (size_t i = 0; i < o->ifs.count; i++) {
			struct ospf_if *ifp = ospf_ifs(o)[i];
			if (ifp->cfg.area != area || ifp->state != OSPF_IFS_DR || ifp->cfg.passive)
				continue;
			bool full = false;
			for (size_t j = 0; j < ifp->nbrs.count; j++)
				if (ospf_nbrs(ifp)[j]->state == OSPF_NBR_FULL)
					full = true;
			if (!full)
				continue;
			size_t len = build_network_lsa(o, ifp, buf, sizeof(buf));
			if (len)
				originate(o, area, buf, len, now);
		}
		/* §12.4.3: an ABR summarises the routes of its other areas into this one: intra-area
		 * routes of every other area, inter-area routes of the backbone into the others */
		if (has_if && ospf_is_abr(o)) {
			for (size_t i = 0; i < ospf_routes_count(&o->routes); i++) {
				const struct ospf_route *r = ospf_routes_at(&o->routes, i);
				if (r->area == area)
					continue;
				if (r->info.type != OSPF_ROUTE_INTRA &&
				    !(r->info.type == OSPF_ROUTE_INTER && r->area == 0 && area != 0))
					continue;
				size_t len = build_summary_lsa(o, OSPF_LSA_SUMMARY_NET, summary_lsid(o, r), ospf_mask_of(r->len),
							       r->info.cost, buf, sizeof(buf));
				if (len)
					originate(o, area, buf, len, now);
			}
			for (size_t i = 0; i < o->spf_routers.count; i++) {
				const struct ospf_spf_router *r = array_at(&o->spf_routers, i);
				if (!(r->flags & OSPF_ROUTER_E) || r->inter || r->area == area)
					continue;
				size_t len = build_summary_lsa(o, OSPF_LSA_SUMMARY_ASBR, r->rid, 0, r->dist, buf, sizeof(buf));
				if (len)
					originate(o, area, buf, len, now);
			}
		}
		/* self-originated LSAs that are no longer wanted (§14.1 premature ageing) */
		struct ospf_lsdb *db = &ospf_areas(o)[a].db;
		for (size_t i = 0; i < ospf_lsdb_count(db); i++) {
			struct ospf_lsa *l = ospf_lsdb_at(db, i);
			if (!ospf_is_self_originated(o, &l->h))
				continue;
			bool wanted = l->h.type == OSPF_LSA_ROUTER ? (l->h.id == o->opt.router_id && has_if)
				      : l->h.type == OSPF_LSA_NETWORK ? network_lsa_wanted(o, l, area)
								     : summary_wanted(o, l, area);
			if (!wanted)
				ospf_lsa_flush(o, l, area, now);
		}
	}
	ospf_originate_externals(o, now);
}
