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
	return o->if_count;
}

bool ospf_interface_view(const struct ospf *o, size_t i, struct ospf_if_view *out)
{
	if (i >= o->if_count)
		return false;
	const struct ospf_if *ifp = o->ifs[i];
	memset(out, 0, sizeof(*out));
	out->cfg = ifp->cfg;
	out->state = ifp->state;
	out->dr_addr = ifp->dr;
	out->bdr_addr = ifp->bdr;
	if (ifp->dr == ifp->cfg.addr)
		out->dr_id = o->opt.router_id;
	if (ifp->bdr == ifp->cfg.addr)
		out->bdr_id = o->opt.router_id;
	for (size_t j = 0; j < ifp->nbr_count; j++) {
		const struct ospf_nbr *n = ifp->nbrs[j];
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
	for (size_t i = 0; i < o->if_count; i++)
		n += o->ifs[i]->nbr_count;
	return n;
}

bool ospf_neighbor_view(const struct ospf *o, size_t k, uint64_t now, struct ospf_nbr_view *out)
{
	for (size_t i = 0; i < o->if_count; i++) {
		const struct ospf_if *ifp = o->ifs[i];
		if (k >= ifp->nbr_count) {
			k -= ifp->nbr_count;
			continue;
		}
		const struct ospf_nbr *n = ifp->nbrs[k];
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
		out->request_count = n->request.n;
		out->retransmit_count = n->rxmt.n;
		out->summary_count = n->summary.n > n->summary_pos ? n->summary.n - n->summary_pos : 0;
		out->is_dr = ifp->dr == n->addr;
		out->is_bdr = ifp->bdr == n->addr;
		return true;
	}
	return false;
}

size_t ospf_lsa_count(const struct ospf *o)
{
	size_t n = o->external.n;
	for (size_t a = 0; a < o->area_count; a++)
		n += o->areas[a].db.n;
	return n;
}

bool ospf_lsa_view(const struct ospf *o, size_t k, uint64_t now, struct ospf_lsa_view *out)
{
	for (size_t a = 0; a < o->area_count; a++) {
		const struct ospf_lsdb *db = &o->areas[a].db;
		if (k >= db->n) {
			k -= db->n;
			continue;
		}
		out->area = o->areas[a].id;
		out->external = false;
		out->header = ospf_lsa_current(db->v[k], now);
		out->data = db->v[k]->data;
		out->len = db->v[k]->len;
		out->self = db->v[k]->h.adv_router == o->opt.router_id;
		return true;
	}
	if (k >= o->external.n)
		return false;
	out->area = 0;
	out->external = true;
	out->header = ospf_lsa_current(o->external.v[k], now);
	out->data = o->external.v[k]->data;
	out->len = o->external.v[k]->len;
	out->self = o->external.v[k]->h.adv_router == o->opt.router_id;
	return true;
}

void ospf_get_stats(const struct ospf *o, struct ospf_stats *out)
{
	memset(out, 0, sizeof(*out));
	out->spf_runs = o->spf_runs;
	out->lsa_originated = o->lsa_originated;
	out->lsa_received = o->lsa_received;
	out->last_spf_ms = o->spf_last;
	for (size_t a = 0; a < o->area_count && a < 16; a++)
		out->areas[out->area_count++] = o->areas[a].id;
}

size_t ospf_route_count(const struct ospf *o)
{
	return o->routes.n;
}

bool ospf_route_view(const struct ospf *o, size_t i, uint32_t *prefix, uint8_t *len, struct ospf_route_info *info)
{
	if (i >= o->routes.n)
		return false;
	*prefix = o->routes.v[i].prefix;
	*len = o->routes.v[i].len;
	*info = o->routes.v[i].info;
	return true;
}
