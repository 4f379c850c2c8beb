/*
 * DOC: the OSPF engine (RFC 2328), sans-I/O: packets come in through ospf_input, time through
 * ospf_run, and everything goes out through the callbacks (send, membership, route). This
 * file holds packet input, the timers, the lifecycle and the helpers the engine's files share;
 * internal.h says which file does what.
 *
 * Every received packet goes through the checks of §8.2 and §10.5; one that fails is dropped
 * and its reason counted on the interface (ospf_drop_name), so it never touches an adjacency.
 */
#include "ospf/internal.h"

#include <stdlib.h>
#include <string.h>

#include "lib/memory.h"

static const char *const if_state_names[] = { "DOWN", "LOOP", "WAITING", "P2P", "DROTHER", "BDR", "DR" };
static const char *const nbr_state_names[] = { "DOWN", "ATTEMPT", "INIT", "2WAY", "EXSTART", "EXCHANGE",
					       "LOADING", "FULL" };

const char *ospf_if_state_name(enum ospf_if_state s)
{
	return (unsigned)s < sizeof(if_state_names) / sizeof(if_state_names[0]) ? if_state_names[s] : "?";
}

const char *ospf_nbr_state_name(enum ospf_nbr_state s)
{
	return (unsigned)s < sizeof(nbr_state_names) / sizeof(nbr_state_names[0]) ? nbr_state_names[s] : "?";
}

const char *ospf_drop_name(enum ospf_drop d)
{
	if (d < OSPF_DROP_NO_INTERFACE)
		return ospf_wire_error_name((enum ospf_wire_error)(d - OSPF_DROP_WIRE_FIRST));
	switch (d) {
	case OSPF_DROP_NO_INTERFACE: return "interface not enabled for OSPF";
	case OSPF_DROP_PASSIVE: return "passive interface";
	case OSPF_DROP_AREA_MISMATCH: return "area mismatch";
	case OSPF_DROP_OWN: return "own packet";
	case OSPF_DROP_WRONG_SUBNET: return "source not on the interface's subnet";
	case OSPF_DROP_ALLDROUTERS: return "sent to AllDRouters but not DR/BDR";
	case OSPF_DROP_HELLO_MISMATCH: return "hello interval mismatch";
	case OSPF_DROP_DEAD_MISMATCH: return "dead interval mismatch";
	case OSPF_DROP_MASK_MISMATCH: return "network mask mismatch";
	case OSPF_DROP_OPTIONS_MISMATCH: return "options (E bit) mismatch";
	case OSPF_DROP_UNKNOWN_NEIGHBOR: return "unknown neighbor";
	case OSPF_DROP_MTU_MISMATCH: return "MTU mismatch";
	case OSPF_DROP_CRYPTO_SEQ: return "cryptographic sequence number decreased";
	case OSPF_DROP_BAD_LSA: return "malformed LSA";
	default: return "?";
	}
}

/* Counts a dropped packet under its reason, and reports it. */
void ospf_rx_drop(struct ospf *o, struct ospf_if *ifp, enum ospf_drop why)
{
	ifp->drops[why]++;
	if (why == OSPF_DROP_OWN)
		return;
	ifp->last_drop = why;
	ifp->has_last_drop = true;
	if (o->cb.dropped)
		o->cb.dropped(o->cb.ctx, ifp->cfg.name, o->rx_src, o->rx_router_id, ospf_drop_name(why), ifp->drops[why]);
}

/* ---- areas ---- */

struct ospf_area *ospf_area_find(struct ospf *o, uint32_t id)
{
	for (size_t i = 0; i < o->areas.count; i++)
		if (ospf_areas(o)[i].id == id)
			return &ospf_areas(o)[i];
	return NULL;
}

struct ospf_area *ospf_area_get(struct ospf *o, uint32_t id)
{
	static uint64_t refusals;
	struct ospf_area *a = ospf_area_find(o, id);
	if (a)
		return a;
	a = array_push(&o->areas);
	if (!a) {
		if (o->areas.count >= OSPF_AREAS_MAX)
			ospf_log_cap("area list", OSPF_AREAS_MAX, &refusals);
		return NULL;
	}
	a->id = id;
	ospf_lsdb_init(&a->db);
	return a;
}

struct ospf_lsdb *ospf_db_for(struct ospf *o, uint32_t area, uint8_t type)
{
	if (type == OSPF_LSA_EXTERNAL)
		return &o->external;
	struct ospf_area *a = ospf_area_get(o, area);
	return a ? &a->db : NULL;
}

/* ---- lookups ---- */

bool ospf_is_abr(const struct ospf *o)
{
	uint32_t first = 0;
	bool have = false;
	for (size_t i = 0; i < o->ifs.count; i++) {
		const struct ospf_if *ifp = ospf_ifs(o)[i];
		if (ifp->state == OSPF_IFS_DOWN)
			continue;
		if (!have) {
			first = ifp->cfg.area;
			have = true;
		} else if (ifp->cfg.area != first) {
			return true;
		}
	}
	return false;
}

struct ospf_if *ospf_if_by_addr(const struct ospf *o, uint32_t addr)
{
	for (size_t i = 0; i < o->ifs.count; i++)
		if (ospf_ifs(o)[i]->cfg.addr == addr)
			return ospf_ifs(o)[i];
	return NULL;
}

static struct ospf_if *if_by_index(const struct ospf *o, uint32_t ifindex)
{
	for (size_t i = 0; i < o->ifs.count; i++)
		if (ospf_ifs(o)[i]->cfg.ifindex == ifindex)
			return ospf_ifs(o)[i];
	return NULL;
}

struct ospf_nbr *ospf_nbr_by_rid(const struct ospf_if *ifp, uint32_t rid)
{
	for (size_t i = 0; i < ifp->nbrs.count; i++)
		if (ospf_nbrs(ifp)[i]->rid == rid)
			return ospf_nbrs(ifp)[i];
	return NULL;
}

struct ospf_nbr *ospf_nbr_by_addr(const struct ospf_if *ifp, uint32_t addr)
{
	for (size_t i = 0; i < ifp->nbrs.count; i++)
		if (ospf_nbrs(ifp)[i]->addr == addr)
			return ospf_nbrs(ifp)[i];
	return NULL;
}

/* ---- sending ---- */

struct writer ospf_out_begin(struct ospf *o, const struct ospf_if *ifp, uint8_t type)
{
	struct writer w = writer_make(o->pkt, sizeof(o->pkt));
	ospf_packet_begin(&w, type, o->opt.router_id, ifp->cfg.area);
	return w;
}

/* The room for a packet on this interface: MTU minus the IP header and an MD5 digest. */
size_t ospf_out_room(const struct ospf_if *ifp)
{
	size_t mtu = ifp->cfg.mtu ? ifp->cfg.mtu : 1500;
	return mtu - 20 - OSPF_MD5_LEN;
}

void ospf_out_send(struct ospf *o, struct ospf_if *ifp, struct writer *w, uint32_t dst)
{
	size_t len = ospf_packet_finish(w, &ifp->cfg.auth, o->crypto_seq);
	if (ifp->cfg.auth.type == OSPF_AUTH_CRYPTO)
		o->crypto_seq++;
	if (!len)
		return;
	uint8_t type = o->pkt[1];
	if (type <= 5)
		ifp->tx[type]++;
	o->cb.send(o->cb.ctx, ifp->cfg.ifindex, ifp->cfg.addr, dst, o->pkt, len);
}

void ospf_schedule_originate(struct ospf *o)
{
	o->originate_dirty = true;
}

void ospf_schedule_spf(struct ospf *o, uint64_t now)
{
	if (o->spf_at)
		return;
	uint64_t at = now + OSPF_SPF_DELAY_MS;
	uint64_t hold = o->spf_hold ? o->spf_hold : OSPF_SPF_HOLD_MS;
	if (o->spf_last && now < o->spf_last + hold) {
		/* changes keep coming: wait the hold out, and the next one twice as long */
		if (at < o->spf_last + hold)
			at = o->spf_last + hold;
		o->spf_hold = hold * 2 < OSPF_SPF_HOLD_MAX_MS ? hold * 2 : OSPF_SPF_HOLD_MAX_MS;
	} else {
		o->spf_hold = OSPF_SPF_HOLD_MS;
	}
	o->spf_at = at;
}

/* ---- input (§8.2) ---- */

void ospf_input(struct ospf *o, uint32_t ifindex, uint32_t src, uint32_t dst, const uint8_t *pkt, size_t len,
		uint64_t now)
{
	struct ospf_if *ifp = if_by_index(o, ifindex);
	if (!ifp)
		return;
	struct ospf_header h;
	struct reader body;
	o->rx_src = src;
	o->rx_router_id = 0;
	enum ospf_wire_error e = ospf_packet_decode(pkt, len, &h, &body);
	o->rx_router_id = h.router_id;
	if (e) {
		ospf_rx_drop(o, ifp, (enum ospf_drop)(OSPF_DROP_WIRE_FIRST + e));
		return;
	}
	if (ifp->cfg.passive || ifp->state == OSPF_IFS_DOWN || ifp->state == OSPF_IFS_LOOPBACK) {
		ospf_rx_drop(o, ifp, OSPF_DROP_PASSIVE);
		return;
	}
	if (h.router_id == o->opt.router_id) {
		ospf_rx_drop(o, ifp, OSPF_DROP_OWN);
		return;
	}
	if (h.area_id != ifp->cfg.area) {
		ospf_rx_drop(o, ifp, OSPF_DROP_AREA_MISMATCH);
		return;
	}
	if (dst == OSPF_ALL_D_ROUTERS && ifp->state != OSPF_IFS_DR && ifp->state != OSPF_IFS_BACKUP) {
		ospf_rx_drop(o, ifp, OSPF_DROP_ALLDROUTERS);
		return;
	}
	if (ifp->cfg.type == OSPF_IF_BROADCAST &&
	    (src & ospf_mask_of(ifp->cfg.prefixlen)) != (ifp->cfg.addr & ospf_mask_of(ifp->cfg.prefixlen))) {
		ospf_rx_drop(o, ifp, OSPF_DROP_WRONG_SUBNET);
		return;
	}
	e = ospf_packet_auth_check(pkt, len, &h, &ifp->cfg.auth);
	if (e) {
		ospf_rx_drop(o, ifp, (enum ospf_drop)(OSPF_DROP_WIRE_FIRST + e));
		return;
	}
	struct ospf_nbr *n = ifp->cfg.type == OSPF_IF_P2P ? ospf_nbr_by_rid(ifp, h.router_id) : ospf_nbr_by_addr(ifp, src);
	if (n && h.auth_type == OSPF_AUTH_CRYPTO) {
		if (n->have_crypto_seq && h.crypto_seq < n->crypto_seq) {
			ospf_rx_drop(o, ifp, OSPF_DROP_CRYPTO_SEQ);
			return;
		}
		n->crypto_seq = h.crypto_seq;
		n->have_crypto_seq = true;
	}
	ifp->rx[h.type]++;
	if (h.type == OSPF_HELLO) {
		ospf_recv_hello(o, ifp, &h, src, body, now);
		return;
	}
	if (!n || n->rid != h.router_id) {
		ospf_rx_drop(o, ifp, OSPF_DROP_UNKNOWN_NEIGHBOR);
		return;
	}
	switch (h.type) {
	case OSPF_DD:
		ospf_recv_dd(o, n, body, now);
		break;
	case OSPF_LSR:
		ospf_recv_lsr(o, n, body, now);
		break;
	case OSPF_LSU:
		ospf_recv_lsu(o, n, body, now);
		break;
	case OSPF_LSACK:
		ospf_recv_ack(o, n, body, now);
		break;
	default:
		break;
	}
}

/* ---- timers ---- */

static uint64_t earliest(uint64_t a, uint64_t b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	return a < b ? a : b;
}

/* MaxAge LSAs leave the database once nobody still needs them (§14). */
static void sweep_maxage(struct ospf *o, uint64_t now)
{
	if (ospf_any_exchanging(o))
		return;
	struct ospf_lsdb *dbs[17];
	size_t ndb = 0;
	for (size_t a = 0; a < o->areas.count && ndb < 16; a++)
		dbs[ndb++] = &ospf_areas(o)[a].db;
	dbs[ndb++] = &o->external;
	for (size_t d = 0; d < ndb; d++) {
		for (size_t i = 0; i < ospf_lsdb_count(dbs[d]);) {
			struct ospf_lsa *l = ospf_lsdb_at(dbs[d], i);
			bool listed = false;
			if (ospf_lsa_age(l, now) >= OSPF_MAX_AGE) {
				for (size_t k = 0; k < o->ifs.count && !listed; k++)
					for (size_t j = 0; j < ospf_ifs(o)[k]->nbrs.count; j++)
						if (ospf_hdr_list_find(&ospf_nbrs(ospf_ifs(o)[k])[j]->rxmt, l->h.type, l->h.id,
								       l->h.adv_router) >= 0)
							listed = true;
				if (!listed) {
					ospf_lsdb_remove(dbs[d], l);
					ospf_schedule_spf(o, now);
					continue;
				}
			} else if (l->originated && ospf_lsa_age(l, now) >= OSPF_LS_REFRESH_TIME) {
				if (l->h.type == OSPF_LSA_EXTERNAL)
					ospf_schedule_externals(o); /* LSRefreshTime */
				else
					ospf_schedule_originate(o); /* LSRefreshTime */
			}
			i++;
		}
	}
}

uint64_t ospf_run(struct ospf *o, uint64_t now)
{
	uint64_t next = now + 1000;
	for (size_t i = 0; i < o->ifs.count; i++) {
		struct ospf_if *ifp = ospf_ifs(o)[i];
		if (ifp->state == OSPF_IFS_DOWN || ifp->state == OSPF_IFS_LOOPBACK)
			continue;
		if (ifp->wait_timer && now >= ifp->wait_timer)
			ospf_if_wait_over(o, ifp, false, now);
		if (!ifp->cfg.passive && now >= ifp->hello_timer) {
			ospf_if_send_hello(o, ifp);
			ifp->hello_timer = now + ifp->cfg.hello_interval * 1000u;
		}
		if (!ifp->cfg.passive)
			next = earliest(next, ifp->hello_timer);
		next = earliest(next, ifp->wait_timer);
		for (size_t j = 0; j < ifp->nbrs.count;) {
			struct ospf_nbr *n = ospf_nbrs(ifp)[j];
			if (now >= n->inactivity) {
				ospf_nbr_destroy(o, n, "InactivityTimer", now);
				continue;
			}
			if (n->dd_rxmt && now >= n->dd_rxmt) {
				if (n->state == OSPF_NBR_EXSTART) {
					ospf_send_dd(o, n, now); /* built again: the interface may have changed */
				} else if (n->state == OSPF_NBR_EXCHANGE && n->master) {
					ospf_resend_last_dd(o, n);
					n->dd_rxmt = now + OSPF_RXMT_INTERVAL_MS;
				} else {
					n->dd_rxmt = 0;
				}
			}
			if (n->lsr_rxmt && now >= n->lsr_rxmt)
				ospf_send_lsr(o, n, now);
			if (n->lsu_rxmt && now >= n->lsu_rxmt)
				ospf_retransmit(o, n, now);
			next = earliest(next, n->inactivity);
			next = earliest(next, n->dd_rxmt);
			next = earliest(next, n->lsr_rxmt);
			next = earliest(next, n->lsu_rxmt);
			j++;
		}
	}
	sweep_maxage(o, now);
	if (o->originate_dirty || (o->originate_at && now >= o->originate_at))
		ospf_originate_all(o, now);
	else if (o->externals_changed.count || o->externals_all)
		ospf_originate_externals(o, now); /* redistribution changed, nothing else */
	next = earliest(next, o->originate_at);
	if (o->spf_at && now >= o->spf_at) {
		o->spf_at = 0;
		o->spf_last = now;
		ospf_spf_run(o, now);
		if (o->originate_dirty)
			ospf_originate_all(o, now); /* an ABR's summaries follow the new table */
	}
	next = earliest(next, o->spf_at);
	return next;
}

/* ---- lifecycle ---- */

struct ospf *ospf_create(const struct ospf_callbacks *cb, const struct ospf_options *opt, uint64_t now)
{
	struct ospf *o = memory_calloc(MEMORY_OSPF, 1, sizeof(*o));
	if (!o)
		return NULL;
	o->cb = *cb;
	o->opt = *opt;
	o->crypto_seq = opt->crypto_seq_start;
	ospf_lsdb_init(&o->external);
	ospf_externals_init(o);
	ospf_routes_init(&o->routes);
	array_init(&o->spf_routers, MEMORY_OSPF, sizeof(struct ospf_spf_router), OSPF_LSDB_MAX);
	array_init(&o->areas, MEMORY_OSPF, sizeof(struct ospf_area), OSPF_AREAS_MAX);
	array_init(&o->ifs, MEMORY_OSPF, sizeof(struct ospf_if *), OSPF_INTERFACES_MAX);
	(void)now;
	return o;
}

void ospf_destroy(struct ospf *o)
{
	if (!o)
		return;
	for (size_t i = 0; i < o->ifs.count; i++) {
		struct ospf_if *ifp = ospf_ifs(o)[i];
		while (ifp->nbrs.count) {
			struct ospf_nbr *n = ospf_nbrs(ifp)[--ifp->nbrs.count];
			ospf_nbr_clear_lists(n);
			memory_free(MEMORY_OSPF, n);
		}
		ifp->cfg.passive = true;
		ospf_if_update_membership(o, ifp);
		array_free(&ifp->nbrs);
		memory_free(MEMORY_OSPF, ifp);
	}
	/* routes leave the table with the process */
	for (size_t i = 0; i < ospf_routes_count(&o->routes); i++) {
		const struct ospf_route *r = ospf_routes_at(&o->routes, i);
		if (!r->connected && r->info.nexthop_count)
			ospf_route_report(o, r, NULL);
	}
	ospf_routes_free(&o->routes);
	array_free(&o->spf_routers);
	array_free(&o->ifs);
	for (size_t a = 0; a < o->areas.count; a++)
		ospf_lsdb_free(&ospf_areas(o)[a].db);
	array_free(&o->areas);
	ospf_lsdb_free(&o->external);
	ospf_externals_free(o);
	memory_free(MEMORY_OSPF, o);
}

void ospf_set_router_id(struct ospf *o, uint32_t router_id, uint64_t now)
{
	if (router_id == o->opt.router_id)
		return;
	/* IOS needs `clear ip ospf process`; Tern restarts at once: every adjacency again,
	 * our old LSAs flushed. */
	for (size_t i = 0; i < o->ifs.count; i++)
		ospf_if_down(o, ospf_ifs(o)[i], now);
	for (size_t a = 0; a < o->areas.count; a++)
		for (size_t i = 0; i < ospf_lsdb_count(&ospf_areas(o)[a].db); i++)
			if (ospf_lsdb_at(&ospf_areas(o)[a].db, i)->h.adv_router == o->opt.router_id)
				ospf_lsa_flush(o, ospf_lsdb_at(&ospf_areas(o)[a].db, i), ospf_areas(o)[a].id, now);
	o->opt.router_id = router_id;
	for (size_t i = 0; i < o->ifs.count; i++)
		ospf_if_up(o, ospf_ifs(o)[i], now);
	ospf_schedule_externals(o); /* every external again, under the new ID */
}

uint32_t ospf_router_id(const struct ospf *o)
{
	return o->opt.router_id;
}
