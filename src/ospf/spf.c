/*
 * DOC: the routing table calculation (RFC 2328 §16).
 *
 * Per area, Dijkstra's algorithm over the router and network LSAs builds the shortest-path
 * tree rooted at this router (§16.1): an edge counts only if both ends list each other (the
 * "link back" check of step 2b), network vertices are preferred over router vertices at equal
 * cost, and equal-cost paths merge their next hops (up to OSPF_NEXTHOPS_MAX). Next hops follow
 * §16.1.1: a network attached to the root is reached directly through its interface; a router
 * reached over a point-to-point link through the neighbour's address; a router on a network
 * attached to the root through its address on that network (its transit link's data); every
 * other vertex inherits its parent's next hops. Then the stub networks of every router in the
 * tree and the transit networks not attached to the root become intra-area routes (the root's
 * own networks are connected routes already), and AS-external LSAs (§16.4) become E1 or E2
 * routes through the ASBR or the forwarding address. Summary LSAs give inter-area routes
 * (§16.2) through the ABR that originated them (on an ABR, from the backbone's only), and
 * ASBR-summary LSAs the way to ASBRs in other areas. The router's own networks stay in the
 * table marked connected: an ABR summarises them into its other areas, but they are never
 * installed (they are connected routes already).
 *
 * The new table is compared with the last one and only the differences go to the route
 * callback, so an SPF run that changes nothing touches nothing downstream.
 */
#include "ospf/internal.h"

#include <stdlib.h>
#include <string.h>

#include "lib/memory.h"

struct vertex {
	uint8_t type;          /* OSPF_LSA_ROUTER or OSPF_LSA_NETWORK */
	uint32_t id;
	struct ospf_lsa *lsa;
	uint32_t dist;
	bool in_tree, root, attached; /* attached: a network the root is on */
	uint8_t nh_count;
	struct ospf_nexthop nh[OSPF_NEXTHOPS_MAX];
};

struct spf {
	struct array vertices; /* of struct vertex; they move when it grows: keep indices */
};

static struct vertex *vertex_at(const struct spf *s, size_t i)
{
	return array_at(&s->vertices, i);
}

static uint32_t mask_of(uint8_t len)
{
	return len == 0 ? 0 : len >= 32 ? UINT32_MAX : ~(UINT32_MAX >> len);
}

static uint8_t len_of(uint32_t mask)
{
	uint8_t n = 0;
	while (n < 32 && (mask & (0x80000000u >> n)))
		n++;
	return n;
}

static struct vertex *vertex_find(struct spf *s, uint8_t type, uint32_t id)
{
	for (size_t i = 0; i < s->vertices.count; i++) {
		struct vertex *v = vertex_at(s, i);
		if (v->type == type && v->id == id)
			return v;
	}
	return NULL;
}

static struct vertex *vertex_add(struct spf *s, uint8_t type, uint32_t id, struct ospf_lsa *lsa)
{
	static uint64_t refusals;
	struct vertex *x = array_push(&s->vertices);
	if (!x) {
		if (s->vertices.count == s->vertices.max_count)
			ospf_log_cap("SPF tree", s->vertices.max_count, &refusals);
		return NULL;
	}
	x->type = type;
	x->id = id;
	x->lsa = lsa;
	x->dist = UINT32_MAX;
	return x;
}

static void nh_merge(uint8_t *count, struct ospf_nexthop *nh, const struct ospf_nexthop *add, uint8_t add_count)
{
	for (uint8_t i = 0; i < add_count; i++) {
		bool have = false;
		for (uint8_t j = 0; j < *count; j++)
			if (nh[j].ifindex == add[i].ifindex && nh[j].gateway == add[i].gateway)
				have = true;
		if (!have && *count < OSPF_NEXTHOPS_MAX)
			nh[(*count)++] = add[i];
	}
}

/* Does the LSA of w list v (the link back of §16.1 step 2b)? */
static bool links_back(const struct ospf_lsa *w, uint8_t w_type, const struct vertex *v)
{
	if (w_type == OSPF_LSA_NETWORK) {
		struct ospf_network_lsa nl;
		if (ospf_network_lsa_decode(w->data, w->len, &nl) != OSPF_WIRE_OK)
			return false;
		for (size_t i = 0; i < nl.router_count; i++)
			if (reader_u32(&nl.routers) == v->id && v->type == OSPF_LSA_ROUTER)
				return true;
		return false;
	}
	struct ospf_router_lsa rl;
	if (ospf_router_lsa_decode(w->data, w->len, &rl) != OSPF_WIRE_OK)
		return false;
	struct ospf_router_link l;
	while (ospf_router_link_next(&rl, &l)) {
		if (v->type == OSPF_LSA_ROUTER && l.type == OSPF_LINK_P2P && l.id == v->id)
			return true;
		if (v->type == OSPF_LSA_NETWORK && l.type == OSPF_LINK_TRANSIT && l.id == v->id)
			return true;
	}
	return false;
}

/* The address of router w on network v: the data of its transit link to v. */
static uint32_t router_addr_on(const struct ospf_lsa *w, uint32_t network_id)
{
	struct ospf_router_lsa rl;
	if (ospf_router_lsa_decode(w->data, w->len, &rl) != OSPF_WIRE_OK)
		return 0;
	struct ospf_router_link l;
	while (ospf_router_link_next(&rl, &l))
		if (l.type == OSPF_LINK_TRANSIT && l.id == network_id)
			return l.data;
	return 0;
}

/* §16.1.1: the next hops to w reached from v over a link whose data is link_data. */
static uint8_t next_hops(const struct ospf *o, const struct vertex *v, uint8_t w_type, uint32_t w_id,
			 const struct ospf_lsa *w_lsa, uint32_t link_data, struct ospf_nexthop *out)
{
	if (v->root) {
		struct ospf_if *ifp = ospf_if_by_addr(o, link_data);
		if (!ifp)
			return 0;
		if (w_type == OSPF_LSA_NETWORK) {
			out[0] = (struct ospf_nexthop){ ifp->cfg.ifindex, 0 };
			return 1;
		}
		struct ospf_nbr *n = ospf_nbr_by_rid(ifp, w_id);
		if (!n)
			return 0;
		out[0] = (struct ospf_nexthop){ ifp->cfg.ifindex, n->addr };
		return 1;
	}
	if (v->type == OSPF_LSA_NETWORK && v->attached && w_type == OSPF_LSA_ROUTER) {
		uint32_t gw = router_addr_on(w_lsa, v->id);
		if (!gw || !v->nh_count)
			return 0;
		out[0] = (struct ospf_nexthop){ v->nh[0].ifindex, gw };
		return 1;
	}
	memcpy(out, v->nh, v->nh_count * sizeof(out[0]));
	return v->nh_count;
}

static void relax(const struct ospf *o, struct spf *s, struct vertex *v, uint8_t w_type, uint32_t w_id,
		  struct ospf_lsa *w_lsa, uint32_t cost, uint32_t link_data)
{
	if (!w_lsa || w_lsa->h.age >= OSPF_MAX_AGE)
		return;
	if (!links_back(w_lsa, w_type, v))
		return;
	struct vertex *w = vertex_find(s, w_type, w_id);
	if (w && w->in_tree)
		return;
	uint32_t d = v->dist + cost;
	struct ospf_nexthop nh[OSPF_NEXTHOPS_MAX];
	/* v may move when the array grows: copy what next_hops needs first */
	struct vertex vc = *v;
	uint8_t nh_count = next_hops(o, &vc, w_type, w_id, w_lsa, link_data, nh);
	if (!nh_count)
		return;
	if (!w) {
		w = vertex_add(s, w_type, w_id, w_lsa);
		if (!w)
			return;
	}
	if (d < w->dist) {
		w->dist = d;
		w->nh_count = 0;
		w->attached = vc.root && w_type == OSPF_LSA_NETWORK;
		nh_merge(&w->nh_count, w->nh, nh, nh_count);
	} else if (d == w->dist) {
		if (vc.root && w_type == OSPF_LSA_NETWORK)
			w->attached = true;
		nh_merge(&w->nh_count, w->nh, nh, nh_count);
	}
}

static void route_set_nh(struct ospf_route *r, const struct ospf_nexthop *nh, uint8_t nh_count)
{
	r->info.nexthop_count = 0;
	nh_merge(&r->info.nexthop_count, r->info.nexthops, nh, nh_count);
}

static void route_add(struct ospf_route_table *t, uint32_t prefix, uint8_t len, enum ospf_route_type type,
		      uint32_t cost, uint32_t type2_cost, const struct ospf_nexthop *nh, uint8_t nh_count,
		      uint32_t area, bool connected)
{
	prefix &= mask_of(len);
	for (size_t i = 0; i < ospf_routes_count(t); i++) {
		struct ospf_route *r = ospf_routes_at(t, i);
		if (r->prefix != prefix || r->len != len)
			continue;
		/* §16.4.1 / §11: intra-area beats inter-area beats E1 beats E2, then the cost; a
		 * network of this router beats a path to it at no more cost */
		bool better = type < r->info.type ||
			      (type == r->info.type &&
			       (cost < r->info.cost || (cost == r->info.cost && type2_cost < r->type2_cost) ||
				(cost == r->info.cost && connected && !r->connected)));
		bool equal = type == r->info.type && cost == r->info.cost && type2_cost == r->type2_cost &&
			     connected == r->connected;
		if (better) {
			r->info.type = type;
			r->info.cost = cost;
			r->type2_cost = type2_cost;
			r->area = area;
			r->connected = connected;
			r->info.connected = connected;
			route_set_nh(r, nh, nh_count);
		} else if (equal) {
			nh_merge(&r->info.nexthop_count, r->info.nexthops, nh, nh_count);
		}
		return;
	}
	static uint64_t refusals;
	struct ospf_route *r = array_push(&t->routes);
	if (!r) {
		if (t->routes.count == t->routes.max_count)
			ospf_log_cap("routing table", t->routes.max_count, &refusals);
		return;
	}
	r->prefix = prefix;
	r->len = len;
	r->info.type = type;
	r->info.cost = cost;
	r->type2_cost = type2_cost;
	r->area = area;
	r->connected = connected;
	r->info.connected = connected;
	route_set_nh(r, nh, nh_count);
}

static bool is_own_network(const struct ospf *o, uint32_t prefix, uint8_t len)
{
	for (size_t i = 0; i < o->ifs.count; i++) {
		const struct ospf_if *ifp = ospf_ifs(o)[i];
		if (ifp->state == OSPF_IFS_DOWN)
			continue;
		uint8_t l = ifp->state == OSPF_IFS_LOOPBACK ? 32 : ifp->cfg.prefixlen;
		if (l == len && (ifp->cfg.addr & mask_of(l)) == prefix)
			return true;
	}
	return false;
}

/* The routers an SPF run reached: a struct array of struct ospf_spf_router. */
static struct ospf_spf_router *router_find(struct array *routers, uint32_t area, uint32_t rid)
{
	for (size_t i = 0; i < routers->count; i++) {
		struct ospf_spf_router *r = array_at(routers, i);
		if (r->area == area && r->rid == rid)
			return r;
	}
	return NULL;
}

static struct ospf_spf_router *router_add(struct array *routers, uint32_t area, uint32_t rid)
{
	static uint64_t refusals;
	struct ospf_spf_router *r = router_find(routers, area, rid);
	if (r)
		return r;
	r = array_push(routers);
	if (!r) {
		if (routers->count == routers->max_count)
			ospf_log_cap("SPF router list", routers->max_count, &refusals);
		return NULL;
	}
	r->area = area;
	r->rid = rid;
	r->dist = UINT32_MAX;
	return r;
}

/* One area: the tree, then its intra-area routes (§16.1) and the routers it reached. */
static void spf_area(const struct ospf *o, const struct ospf_area *area, struct ospf_route_table *t,
		     struct array *routers)
{
	struct spf s;
	array_init(&s.vertices, MEMORY_OSPF, sizeof(struct vertex), OSPF_LSDB_MAX);
	struct ospf_lsa *me = ospf_lsdb_find(&area->db, OSPF_LSA_ROUTER, o->opt.router_id, o->opt.router_id);
	if (!me || me->h.age >= OSPF_MAX_AGE)
		return;
	struct vertex *root = vertex_add(&s, OSPF_LSA_ROUTER, o->opt.router_id, me);
	if (!root)
		return;
	root->dist = 0;
	root->root = true;
	size_t vi = 0;
	for (;;) {
		struct vertex *v = vertex_at(&s, vi);
		v->in_tree = true;
		if (v->type == OSPF_LSA_ROUTER) {
			struct ospf_router_lsa rl;
			if (ospf_router_lsa_decode(v->lsa->data, v->lsa->len, &rl) == OSPF_WIRE_OK) {
				struct ospf_router_link l;
				while (ospf_router_link_next(&rl, &l)) {
					v = vertex_at(&s, vi);
					if (l.type == OSPF_LINK_P2P)
						relax(o, &s, v, OSPF_LSA_ROUTER, l.id,
						      ospf_lsdb_find(&area->db, OSPF_LSA_ROUTER, l.id, l.id), l.metric, l.data);
					else if (l.type == OSPF_LINK_TRANSIT)
						relax(o, &s, v, OSPF_LSA_NETWORK, l.id,
						      ospf_lsdb_find_network(&area->db, l.id), l.metric, l.data);
				}
			}
		} else {
			struct ospf_network_lsa nl;
			if (ospf_network_lsa_decode(v->lsa->data, v->lsa->len, &nl) == OSPF_WIRE_OK) {
				for (size_t i = 0; i < nl.router_count; i++) {
					uint32_t rid = reader_u32(&nl.routers);
					v = vertex_at(&s, vi);
					relax(o, &s, v, OSPF_LSA_ROUTER, rid,
					      ospf_lsdb_find(&area->db, OSPF_LSA_ROUTER, rid, rid), 0, 0);
				}
			}
		}
		/* step 3: the closest candidate; networks before routers at equal distance */
		size_t best = SIZE_MAX;
		for (size_t i = 0; i < s.vertices.count; i++) {
			struct vertex *c = vertex_at(&s, i);
			if (c->in_tree || c->dist == UINT32_MAX)
				continue;
			if (best == SIZE_MAX || c->dist < vertex_at(&s, best)->dist ||
			    (c->dist == vertex_at(&s, best)->dist && c->type == OSPF_LSA_NETWORK && vertex_at(&s, best)->type == OSPF_LSA_ROUTER))
				best = i;
		}
		if (best == SIZE_MAX)
			break;
		vi = best;
	}
	/* intra-area routes (§16.1 step 2 for networks, stage 2 for stubs); this router's own
	 * networks are kept as connected, for the summaries an ABR originates */
	for (size_t i = 0; i < s.vertices.count; i++) {
		struct vertex *v = vertex_at(&s, i);
		if (!v->in_tree)
			continue;
		if (v->type == OSPF_LSA_NETWORK) {
			struct ospf_network_lsa nl;
			if (ospf_network_lsa_decode(v->lsa->data, v->lsa->len, &nl) != OSPF_WIRE_OK)
				continue;
			uint8_t len = len_of(nl.mask);
			bool own = v->attached || is_own_network(o, v->id & nl.mask, len);
			route_add(t, v->id, len, OSPF_ROUTE_INTRA, v->dist, 0, v->nh, v->nh_count, area->id, own);
			continue;
		}
		struct ospf_router_lsa rl;
		if (ospf_router_lsa_decode(v->lsa->data, v->lsa->len, &rl) != OSPF_WIRE_OK)
			continue;
		if (!v->root) {
			struct ospf_spf_router *r = router_add(routers, area->id, v->id);
			if (r && v->dist < r->dist) {
				r->dist = v->dist;
				r->flags = rl.flags;
				r->nh_count = 0;
				nh_merge(&r->nh_count, r->nh, v->nh, v->nh_count);
			}
		}
		struct ospf_router_link l;
		while (ospf_router_link_next(&rl, &l)) {
			if (l.type != OSPF_LINK_STUB)
				continue;
			uint8_t len = len_of(l.data);
			bool own = v->root || is_own_network(o, l.id & l.data, len);
			route_add(t, l.id, len, OSPF_ROUTE_INTRA, v->dist + l.metric, 0, v->nh, v->nh_count, area->id, own);
		}
	}
	array_free(&s.vertices);
}

/* §16.2: inter-area routes from the summary LSAs of an area (the backbone only, on an ABR). */
static void spf_inter(const struct ospf *o, const struct ospf_area *area, struct ospf_route_table *t,
		      struct array *routers)
{
	for (size_t i = 0; i < ospf_lsdb_count(&area->db); i++) {
		struct ospf_lsa *l = ospf_lsdb_at(&area->db, i);
		if ((l->h.type != OSPF_LSA_SUMMARY_NET && l->h.type != OSPF_LSA_SUMMARY_ASBR) || l->h.age >= OSPF_MAX_AGE ||
		    l->h.adv_router == o->opt.router_id)
			continue;
		struct ospf_summary_lsa sl;
		if (ospf_summary_lsa_decode(l->data, l->len, &sl) != OSPF_WIRE_OK || sl.metric >= OSPF_LS_INFINITY)
			continue;
		struct ospf_spf_router *abr = router_find(routers, area->id, l->h.adv_router);
		if (!abr || abr->inter || abr->dist == UINT32_MAX)
			continue;
		uint32_t cost = abr->dist + sl.metric;
		struct ospf_nexthop nh[OSPF_NEXTHOPS_MAX];
		uint8_t nh_count = abr->nh_count;
		memcpy(nh, abr->nh, sizeof(nh));
		if (l->h.type == OSPF_LSA_SUMMARY_ASBR) {
			struct ospf_spf_router *asbr = router_add(routers, area->id, l->h.id);
			if (asbr && (asbr->dist == UINT32_MAX || (asbr->inter && cost < asbr->dist))) {
				asbr->dist = cost;
				asbr->flags = OSPF_ROUTER_E;
				asbr->inter = true;
				asbr->nh_count = 0;
				nh_merge(&asbr->nh_count, asbr->nh, nh, nh_count);
			}
			continue;
		}
		uint8_t len = len_of(sl.mask);
		route_add(t, l->h.id, len, OSPF_ROUTE_INTER, cost, 0, nh, nh_count, area->id, false);
	}
}

/* §16.4: AS-external routes. */
static void spf_external(const struct ospf *o, struct ospf_route_table *t, struct array *routers)
{
	size_t internal = ospf_routes_count(t);
	for (size_t i = 0; i < ospf_lsdb_count(&o->external); i++) {
		struct ospf_lsa *l = ospf_lsdb_at(&o->external, i);
		if (l->h.age >= OSPF_MAX_AGE || l->h.adv_router == o->opt.router_id)
			continue;
		struct ospf_external_lsa x;
		if (ospf_external_lsa_decode(l->data, l->len, &x) != OSPF_WIRE_OK || x.metric >= OSPF_LS_INFINITY)
			continue;
		/* the closest way to the ASBR, intra-area first */
		const struct ospf_spf_router *a = NULL;
		for (size_t k = 0; k < routers->count; k++) {
			const struct ospf_spf_router *r = array_at(routers, k);
			if (r->rid != l->h.adv_router || !(r->flags & OSPF_ROUTER_E) || r->dist == UINT32_MAX)
				continue;
			if (!a || (a->inter && !r->inter) || (a->inter == r->inter && r->dist < a->dist))
				a = r;
		}
		if (!a)
			continue;
		uint32_t dist = a->dist;
		const struct ospf_nexthop *nh = a->nh;
		uint8_t nh_count = a->nh_count;
		if (x.forwarding) {
			/* longest internal match of the forwarding address */
			const struct ospf_route *best = NULL;
			for (size_t k = 0; k < internal; k++) {
				const struct ospf_route *r = ospf_routes_at(t, k);
				if ((x.forwarding & mask_of(r->len)) == r->prefix && (!best || r->len > best->len))
					best = r;
			}
			if (!best)
				continue;
			if (!best->connected) {
				dist = best->info.cost;
				nh = best->info.nexthops;
				nh_count = best->info.nexthop_count;
			}
		}
		uint8_t len = len_of(x.mask);
		if (x.e_bit)
			route_add(t, l->h.id, len, OSPF_ROUTE_E2, x.metric, dist, nh, nh_count, 0, false);
		else
			route_add(t, l->h.id, len, OSPF_ROUTE_E1, dist + x.metric, 0, nh, nh_count, 0, false);
	}
}

static int route_cmp(const void *a, const void *b)
{
	const struct ospf_route *x = a, *y = b;
	if (x->prefix != y->prefix)
		return x->prefix < y->prefix ? -1 : 1;
	return (int)x->len - (int)y->len;
}

static bool info_equal(const struct ospf_route_info *a, const struct ospf_route_info *b)
{
	if (a->type != b->type || a->cost != b->cost || a->nexthop_count != b->nexthop_count)
		return false;
	for (uint8_t i = 0; i < a->nexthop_count; i++) {
		bool found = false;
		for (uint8_t j = 0; j < b->nexthop_count; j++)
			if (a->nexthops[i].ifindex == b->nexthops[j].ifindex &&
			    a->nexthops[i].gateway == b->nexthops[j].gateway)
				found = true;
		if (!found)
			return false;
	}
	return true;
}

/* Routes that go to the routing table: not our own networks, with a next hop. */
static bool installed(const struct ospf_route *r)
{
	return !r->connected && r->info.nexthop_count > 0;
}

void ospf_spf_run(struct ospf *o, uint64_t now)
{
	(void)now;
	o->spf_runs++;
	struct ospf_route_table t;
	ospf_routes_init(&t);
	struct array routers;
	array_init(&routers, MEMORY_OSPF, sizeof(struct ospf_spf_router), OSPF_LSDB_MAX);
	for (size_t a = 0; a < o->areas.count; a++)
		spf_area(o, &ospf_areas(o)[a], &t, &routers);
	bool abr = ospf_is_abr(o);
	for (size_t a = 0; a < o->areas.count; a++)
		if (!abr || ospf_areas(o)[a].id == 0)
			spf_inter(o, &ospf_areas(o)[a], &t, &routers);
	spf_external(o, &t, &routers);
	for (size_t i = 0; i < ospf_routes_count(&t);) {
		struct ospf_route *r = ospf_routes_at(&t, i);
		if (!r->connected && !r->info.nexthop_count)
			*r = *ospf_routes_at(&t, --t.routes.count); /* the last one takes its place */
		else
			i++;
	}
	if (ospf_routes_count(&t))
		qsort(t.routes.items, ospf_routes_count(&t), sizeof(struct ospf_route), route_cmp);
	/* the difference with the last table goes out */
	size_t i = 0, j = 0;
	struct ospf_route_table *old = &o->routes;
	size_t old_count = ospf_routes_count(old), new_count = ospf_routes_count(&t);
	while (i < old_count || j < new_count) {
		const struct ospf_route *was = i < old_count ? ospf_routes_at(old, i) : NULL;
		const struct ospf_route *is = j < new_count ? ospf_routes_at(&t, j) : NULL;
		if (was && !installed(was)) {
			i++;
			continue;
		}
		if (is && !installed(is)) {
			j++;
			continue;
		}
		if (!was && !is)
			break;
		int c = !was ? 1 : !is ? -1 : route_cmp(was, is);
		if (c < 0) {
			ospf_route_report(o, was, NULL);
			i++;
		} else if (c > 0) {
			ospf_route_report(o, is, &is->info);
			j++;
		} else {
			if (!info_equal(&was->info, &is->info))
				ospf_route_report(o, is, &is->info);
			i++;
			j++;
		}
	}
	ospf_routes_free(old);
	o->routes = t;
	array_free(&o->spf_routers);
	o->spf_routers = routers;
	if (abr)
		o->originate_dirty = true; /* the summaries follow the table */
}

void ospf_routes_init(struct ospf_route_table *t)
{
	array_init(&t->routes, MEMORY_OSPF, sizeof(struct ospf_route), OSPF_ROUTES_MAX);
}

void ospf_routes_free(struct ospf_route_table *t)
{
	array_free(&t->routes);
}
