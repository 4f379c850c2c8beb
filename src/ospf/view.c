/*
 * DOC: read-only views of the OSPF engine for `show ip ospf ...` (src/ospf/show.c) and tests:
 * interfaces, neighbours, the database, counters and the routing table, copied out so that
 * nothing outside the engine sees its structures.
 */
#include "ospf/internal.h"

#include <stdio.h>
#include <string.h>

size_t ospf_interface_count(const struct ospf *o)
{
	return o->ifs.count;
}

bool ospf_interface_view(const struct ospf *o, size_t i, struct ospf_if_view *out)
{
	if (i >= o->ifs.count)
		return false;
	const struct ospf_if *ifp = ospf_ifs(o)[i];
	memset(out, 0, sizeof(*out));
	out->cfg = ifp->cfg;
	out->state = ifp->state;
	out->dr_addr = ifp->dr;
	out->bdr_addr = ifp->bdr;
	if (ifp->dr == ifp->cfg.addr)
		out->dr_id = o->opt.router_id;
	if (ifp->bdr == ifp->cfg.addr)
		out->bdr_id = o->opt.router_id;
	for (size_t j = 0; j < ifp->nbrs.count; j++) {
		const struct ospf_nbr *n = ospf_nbrs(ifp)[j];
		out->neighbor_count++;
		if (n->state == OSPF_NBR_FULL)
			out->adjacent_count++;
		if (n->addr == ifp->dr)
			out->dr_id = n->rid;
		if (n->addr == ifp->bdr)
			out->bdr_id = n->rid;
	}
	out->hello_due_ms = ifp->hello_timer;
	out->wait_due_ms = ifp->wait_timer;
	out->wait_ended_ms = ifp->wait_ended;
	out->wait_backup_seen = ifp->wait_backup_seen;
	memcpy(out->rx, ifp->rx, sizeof(out->rx));
	memcpy(out->tx, ifp->tx, sizeof(out->tx));
	memcpy(out->drops, ifp->drops, sizeof(out->drops));
	out->last_drop = ifp->last_drop;
	out->has_last_drop = ifp->has_last_drop;
	return true;
}

size_t ospf_neighbor_count(const struct ospf *o)
{
	size_t n = 0;
	for (size_t i = 0; i < o->ifs.count; i++)
		n += ospf_ifs(o)[i]->nbrs.count;
	return n;
}

bool ospf_neighbor_view(const struct ospf *o, size_t k, uint64_t now, struct ospf_nbr_view *out)
{
	for (size_t i = 0; i < o->ifs.count; i++) {
		const struct ospf_if *ifp = ospf_ifs(o)[i];
		if (k >= ifp->nbrs.count) {
			k -= ifp->nbrs.count;
			continue;
		}
		const struct ospf_nbr *n = ospf_nbrs(ifp)[k];
		memset(out, 0, sizeof(*out));
		out->router_id = n->rid;
		out->addr = n->addr;
		out->priority = n->priority;
		out->state = n->state;
		out->dr = n->dr;
		out->bdr = n->bdr;
		snprintf(out->ifname, sizeof(out->ifname), "%s", ifp->cfg.name);
		out->ifindex = ifp->cfg.ifindex;
		out->dead_ms = n->inactivity > now ? n->inactivity - now : 0;
		out->up_ms = n->state == OSPF_NBR_FULL && now > n->full_since ? now - n->full_since : 0;
		out->state_changes = n->state_changes;
		out->request_count = ospf_hdr_list_count(&n->request);
		out->retransmit_count = ospf_hdr_list_count(&n->rxmt);
		size_t summaries = ospf_hdr_list_count(&n->summary);
		out->summary_count = summaries > n->summary_pos ? summaries - n->summary_pos : 0;
		out->is_dr = ifp->dr == n->addr;
		out->is_bdr = ifp->bdr == n->addr;
		return true;
	}
	return false;
}

size_t ospf_lsa_count(const struct ospf *o)
{
	size_t n = ospf_lsdb_count(&o->external);
	for (size_t a = 0; a < o->areas.count; a++)
		n += ospf_lsdb_count(&ospf_areas(o)[a].db);
	return n;
}

bool ospf_lsa_view(const struct ospf *o, size_t k, uint64_t now, struct ospf_lsa_view *out)
{
	for (size_t a = 0; a < o->areas.count; a++) {
		const struct ospf_lsdb *db = &ospf_areas(o)[a].db;
		if (k >= ospf_lsdb_count(db)) {
			k -= ospf_lsdb_count(db);
			continue;
		}
		out->area = ospf_areas(o)[a].id;
		out->external = false;
		const struct ospf_lsa *l = ospf_lsdb_at(db, k);
		out->header = ospf_lsa_current(l, now);
		out->data = l->data;
		out->len = l->len;
		out->self = l->h.adv_router == o->opt.router_id;
		return true;
	}
	if (k >= ospf_lsdb_count(&o->external))
		return false;
	out->area = 0;
	out->external = true;
	const struct ospf_lsa *l = ospf_lsdb_at(&o->external, k);
	out->header = ospf_lsa_current(l, now);
	out->data = l->data;
	out->len = l->len;
	out->self = l->h.adv_router == o->opt.router_id;
	return true;
}

void ospf_get_stats(const struct ospf *o, struct ospf_stats *out)
{
	memset(out, 0, sizeof(*out));
	out->spf_runs = o->spf_runs;
	out->lsa_originated = o->lsa_originated;
	out->lsa_received = o->lsa_received;
	out->last_spf_ms = o->spf_last;
	for (size_t a = 0; a < o->areas.count && a < 16; a++)
		out->areas[out->area_count++] = ospf_areas(o)[a].id;
}

size_t ospf_route_count(const struct ospf *o)
{
	return ospf_routes_count(&o->routes);
}

bool ospf_route_view(const struct ospf *o, size_t i, uint32_t *prefix, uint8_t *len, struct ospf_route_info *info)
{
	if (i >= ospf_routes_count(&o->routes))
		return false;
	const struct ospf_route *r = ospf_routes_at(&o->routes, i);
	*prefix = r->prefix;
	*len = r->len;
	*info = r->info;
	return true;
}
