/*
 * DOC: OSPF flooding: Link State Updates, Requests and Acknowledgements, retransmission.
 *
 * Flooding follows §13: a received LSA newer than the database copy (and not within
 * MinLSArrival of a copy that came by flooding) is installed, flooded out of every eligible
 * interface and acknowledged; one equal to the database copy is an implied or a direct
 * acknowledgement; one older is answered with the database copy. Unacknowledged LSAs are
 * retransmitted every RxmtInterval.
 */
#include "ospf/internal.h"

#include <stdlib.h>

/* §13.3 step 5: on a broadcast network only the DR and the BDR flood to AllSPFRouters. */
static uint32_t flood_dst(const struct ospf_if *ifp)
{
	if (ifp->cfg.type == OSPF_IF_BROADCAST && ifp->state != OSPF_IFS_DR && ifp->state != OSPF_IFS_BACKUP)
		return OSPF_ALL_D_ROUTERS;
	return OSPF_ALL_SPF_ROUTERS;
}

static void send_lsas(struct ospf *o, struct ospf_if *ifp, uint32_t dst, struct ospf_lsa *const *lsas, size_t count,
		      uint64_t now)
{
	size_t i = 0;
	while (i < count) {
		struct writer w = ospf_out_begin(o, ifp, OSPF_LSU);
		size_t count_at = writer_reserve(&w, 4);
		uint32_t n = 0;
		size_t room = ospf_out_room(ifp);
		while (i < count) {
			struct ospf_lsa *l = lsas[i];
			if (n > 0 && w.len + l->len > room)
				break;
			size_t start = w.len;
			writer_bytes(&w, l->data, l->len);
			if (!writer_ok(&w))
				break;
			/* §13.3: the age grows by InfTransDelay on the way out */
			uint32_t age = ospf_lsa_age(l, now) + OSPF_INF_TRANS_DELAY;
			writer_patch_u16(&w, start, (uint16_t)(age > OSPF_MAX_AGE ? OSPF_MAX_AGE : age));
			n++;
			i++;
		}
		if (!n) {
			i++; /* cannot fit at all */
			continue;
		}
		writer_patch_u16(&w, count_at, (uint16_t)(n >> 16));
		writer_patch_u16(&w, count_at + 2, (uint16_t)n);
		ospf_out_send(o, ifp, &w, dst);
	}
}

void ospf_rxmt_remove(struct ospf *o, const struct ospf_lsa_header *h)
{
	for (size_t i = 0; i < o->ifs.count; i++) {
		struct ospf_if *ifp = ospf_ifs(o)[i];
		for (size_t j = 0; j < ifp->nbrs.count; j++) {
			long at = ospf_hdr_list_find(&ospf_nbrs(ifp)[j]->rxmt, h->type, h->id, h->adv_router);
			if (at >= 0)
				ospf_hdr_list_remove_at(&ospf_nbrs(ifp)[j]->rxmt, (size_t)at);
		}
	}
}

/* §13.3: floods lsa out of the interfaces of its scope. from/from_ifp: where it came from
 * (NULL when self-originated). Returns true when it went back out of the receiving interface. */
bool ospf_flood(struct ospf *o, struct ospf_lsa *lsa, struct ospf_nbr *from, uint32_t area, uint64_t now)
{
	bool back_out = false;
	struct ospf_lsa_header cur = ospf_lsa_current(lsa, now);
	for (size_t i = 0; i < o->ifs.count; i++) {
		struct ospf_if *ifp = ospf_ifs(o)[i];
		if (ifp->cfg.passive || ifp->state == OSPF_IFS_DOWN || ifp->state == OSPF_IFS_LOOPBACK)
			continue;
		if (lsa->h.type != OSPF_LSA_EXTERNAL && ifp->cfg.area != area)
			continue;
		bool added = false;
		for (size_t j = 0; j < ifp->nbrs.count; j++) {
			struct ospf_nbr *n = ospf_nbrs(ifp)[j];
			if (n->state < OSPF_NBR_EXCHANGE)
				continue;
			if (n->state != OSPF_NBR_FULL) {
				long at = ospf_hdr_list_find(&n->request, cur.type, cur.id, cur.adv_router);
				if (at >= 0) {
					int cmp = ospf_lsa_compare(&cur, ospf_hdr_list_at(&n->request, at));
					if (cmp < 0)
						continue;
					ospf_hdr_list_remove_at(&n->request, (size_t)at);
					if (cmp == 0)
						continue;
				}
			}
			if (n == from)
				continue;
			ospf_hdr_list_add(&n->rxmt, &cur);
			if (!n->lsu_rxmt)
				n->lsu_rxmt = now + OSPF_RXMT_INTERVAL_MS;
			added = true;
		}
		if (!added)
			continue;
		if (from && from->ifp == ifp) {
			if (from->addr == ifp->dr || from->addr == ifp->bdr)
				continue;
			if (ifp->state == OSPF_IFS_BACKUP)
				continue;
			back_out = true;
		}
		struct ospf_lsa *one[1] = { lsa };
		send_lsas(o, ifp, flood_dst(ifp), one, 1, now);
	}
	return back_out;
}

bool ospf_is_self_originated(const struct ospf *o, const struct ospf_lsa_header *h)
{
	if (h->adv_router == o->opt.router_id)
		return true;
	return h->type == OSPF_LSA_NETWORK && ospf_if_by_addr(o, h->id) != NULL;
}

static void check_loading_done(struct ospf *o, struct ospf_nbr *n, uint64_t now)
{
	if (n->state == OSPF_NBR_LOADING && !ospf_hdr_list_count(&n->request))
		ospf_nbr_set_state(o, n, OSPF_NBR_FULL, "LoadingDone", now);
}

bool ospf_any_exchanging(const struct ospf *o)
{
	for (size_t i = 0; i < o->ifs.count; i++)
		for (size_t j = 0; j < ospf_ifs(o)[i]->nbrs.count; j++) {
			enum ospf_nbr_state s = ospf_nbrs(ospf_ifs(o)[i])[j]->state;
			if (s == OSPF_NBR_EXCHANGE || s == OSPF_NBR_LOADING)
				return true;
		}
	return false;
}

static bool lsa_body_valid(const struct ospf_lsa_raw *raw)
{
	switch (raw->header.type) {
	case OSPF_LSA_ROUTER: {
		struct ospf_router_lsa rl;
		return ospf_router_lsa_decode(raw->data, raw->len, &rl) == OSPF_WIRE_OK;
	}
	case OSPF_LSA_NETWORK: {
		struct ospf_network_lsa nl;
		return ospf_network_lsa_decode(raw->data, raw->len, &nl) == OSPF_WIRE_OK;
	}
	case OSPF_LSA_SUMMARY_NET:
	case OSPF_LSA_SUMMARY_ASBR: {
		struct ospf_summary_lsa s;
		return ospf_summary_lsa_decode(raw->data, raw->len, &s) == OSPF_WIRE_OK;
	}
	case OSPF_LSA_EXTERNAL: {
		struct ospf_external_lsa e;
		return ospf_external_lsa_decode(raw->data, raw->len, &e) == OSPF_WIRE_OK;
	}
	default:
		return false;
	}
}

static void send_ack(struct ospf *o, struct ospf_nbr *n, const struct ospf_lsa_header *acks, size_t count)
{
	size_t i = 0;
	while (i < count) {
		struct writer w = ospf_out_begin(o, n->ifp, OSPF_LSACK);
		size_t room = (ospf_out_room(n->ifp) - OSPF_HEADER_LEN) / OSPF_LSA_HEADER_LEN;
		for (size_t k = 0; k < room && i < count; k++, i++)
			ospf_lsa_header_write(&w, &acks[i]);
		ospf_out_send(o, n->ifp, &w, n->addr);
	}
}

void ospf_recv_lsu(struct ospf *o, struct ospf_nbr *n, struct reader body, uint64_t now)
{
	struct ospf_if *ifp = n->ifp;
	if (n->state < OSPF_NBR_EXCHANGE)
		return;
	uint32_t count;
	if (ospf_lsu_count(&body, &count) != OSPF_WIRE_OK) {
		ospf_rx_drop(o, ifp, OSPF_DROP_WIRE_FIRST + OSPF_WIRE_TRUNCATED);
		return;
	}
	struct ospf_hdr_list acks;
	ospf_hdr_list_init(&acks);
	/* our newer copies to send back: at most one per LSA of the packet */
	struct array reply;
	array_init(&reply, MEMORY_OSPF, sizeof(struct ospf_lsa *), OSPF_PACKET_MAX / OSPF_LSA_HEADER_LEN);
	for (uint32_t k = 0; k < count; k++) {
		struct ospf_lsa_raw raw;
		enum ospf_wire_error e = ospf_lsu_next(&body, &raw);
		if (e != OSPF_WIRE_OK) {
			/* the rest of the packet cannot be trusted: what came before stays */
			ospf_rx_drop(o, ifp, (enum ospf_drop)(OSPF_DROP_WIRE_FIRST + e));
			break;
		}
		o->lsa_received++;
		const struct ospf_lsa_header *h = &raw.header;
		/* §13 steps 1-3 */
		if (h->type < OSPF_LSA_ROUTER || h->type > OSPF_LSA_EXTERNAL || !lsa_body_valid(&raw)) {
			ospf_rx_drop(o, ifp, OSPF_DROP_BAD_LSA);
			continue;
		}
		struct ospf_lsdb *db = ospf_db_for(o, ifp->cfg.area, h->type);
		if (!db)
			continue;
		struct ospf_lsa *have = ospf_lsdb_find(db, h->type, h->id, h->adv_router);
		/* step 4: MaxAge and not in the database, nobody exchanging: ack and drop */
		if (h->age >= OSPF_MAX_AGE && !have && !ospf_any_exchanging(o)) {
			ospf_hdr_list_add(&acks, h);
			continue;
		}
		struct ospf_lsa_header cur;
		if (have)
			cur = ospf_lsa_current(have, now);
		int cmp = have ? ospf_lsa_compare(h, &cur) : 1;
		if (cmp > 0) {
			/* step 5 (a): MinLSArrival holds against a database copy "received via
			 * flooding"; the copy we asked for in the database exchange does not count,
			 * or the instance its originator builds at once on reaching Full (its router
			 * LSA with the new transit link) would be dropped unacknowledged and only
			 * arrive again at RxmtInterval, 5 s later. */
			if (have && have->flooded && !ospf_is_self_originated(o, h) &&
			    now - have->installed < OSPF_MIN_LS_ARRIVAL * 1000 && have->originated == 0)
				continue; /* MinLSArrival */
			bool requested = ospf_hdr_list_find(&n->request, h->type, h->id, h->adv_router) >= 0;
			bool changed = !have || !ospf_lsa_body_equal(have->data, have->len, raw.data, raw.len) ||
				       (h->age >= OSPF_MAX_AGE) != (cur.age >= OSPF_MAX_AGE);
			uint64_t originated = have ? have->originated : 0;
			if (have)
				ospf_rxmt_remove(o, &cur);
			struct ospf_lsa *l = ospf_lsdb_install(db, raw.data, raw.len, now);
			if (!l)
				continue;
			l->originated = originated;
			l->flooded = !requested;
			bool back = ospf_flood(o, l, n, ifp->cfg.area, now);
			if (!back)
				ospf_hdr_list_add(&acks, h);
			if (changed)
				ospf_schedule_spf(o, now);
			l->stale_self = ospf_is_self_originated(o, h);
			if (l->stale_self && h->type == OSPF_LSA_EXTERNAL)
				ospf_schedule_externals(o); /* §13.4: a newer instance of our own LSA */
			else if (l->stale_self)
				ospf_schedule_originate(o); /* §13.4: a newer instance of our own LSA */
			continue;
		}
		/* step 6: on the request list: BadLSReq */
		if (ospf_hdr_list_find(&n->request, h->type, h->id, h->adv_router) >= 0) {
			ospf_nbr_set_state(o, n, OSPF_NBR_EXSTART, "BadLSReq", now);
			ospf_nbr_start_exstart(o, n, now);
			break;
		}
		if (cmp == 0) {
			/* step 7: duplicate; implied acknowledgement if we were waiting for one */
			long at = ospf_hdr_list_find(&n->rxmt, h->type, h->id, h->adv_router);
			if (at >= 0)
				ospf_hdr_list_remove_at(&n->rxmt, (size_t)at);
			else
				ospf_hdr_list_add(&acks, h);
			continue;
		}
		/* step 8: ours is newer: send it back, unless it is MaxAge with MaxSequenceNumber */
		if (cur.age >= OSPF_MAX_AGE && cur.seq == OSPF_MAX_SEQ)
			continue;
		struct ospf_lsa **slot = array_push(&reply);
		if (slot)
			*slot = have;
	}
	if (ospf_hdr_list_count(&acks))
		send_ack(o, n, acks.headers.items, ospf_hdr_list_count(&acks));
	if (reply.count)
		send_lsas(o, ifp, n->addr, reply.items, reply.count, now);
	array_free(&reply);
	ospf_hdr_list_clear(&acks);
	/* requests satisfied by this update */
	for (size_t i = 0; i < ospf_hdr_list_count(&n->request);) {
		struct ospf_lsa_header *rq = ospf_hdr_list_at(&n->request, i);
		struct ospf_lsdb *db = ospf_db_for(o, ifp->cfg.area, rq->type);
		struct ospf_lsa *have = db ? ospf_lsdb_find(db, rq->type, rq->id, rq->adv_router) : NULL;
		if (have) {
			struct ospf_lsa_header cur = ospf_lsa_current(have, now);
			if (ospf_lsa_compare(&cur, rq) >= 0) {
				ospf_hdr_list_remove_at(&n->request, i);
				continue;
			}
		}
		i++;
	}
	if (n->state >= OSPF_NBR_EXCHANGE && ospf_hdr_list_count(&n->request) == 0)
		n->lsr_rxmt = 0;
	else if (ospf_hdr_list_count(&n->request))
		ospf_send_lsr(o, n, now);
	check_loading_done(o, n, now);
}

void ospf_recv_lsr(struct ospf *o, struct ospf_nbr *n, struct reader body, uint64_t now)
{
	if (n->state < OSPF_NBR_EXCHANGE)
		return;
	/* the LSAs asked for: at most one per 12-octet request entry (§A.3.4) of the packet */
	struct array asked;
	array_init(&asked, MEMORY_OSPF, sizeof(struct ospf_lsa *), OSPF_PACKET_MAX / 12);
	struct ospf_lsr_entry e;
	bool bad = false;
	while (ospf_lsr_next(&body, &e)) {
		struct ospf_lsdb *db = ospf_db_for(o, n->ifp->cfg.area, (uint8_t)e.type);
		struct ospf_lsa *l = (db && e.type <= 255) ? ospf_lsdb_find(db, (uint8_t)e.type, e.id, e.adv_router)
							   : NULL;
		if (!l) {
			bad = true;
			break;
		}
		struct ospf_lsa **slot = array_push(&asked);
		if (!slot)
			break;
		*slot = l;
	}
	if (!reader_ok(&body))
		ospf_rx_drop(o, n->ifp, OSPF_DROP_WIRE_FIRST + OSPF_WIRE_TRUNCATED);
	if (bad) {
		array_free(&asked);
		ospf_nbr_set_state(o, n, OSPF_NBR_EXSTART, "BadLSReq", now);
		ospf_nbr_start_exstart(o, n, now);
		return;
	}
	if (asked.count)
		send_lsas(o, n->ifp, n->addr, asked.items, asked.count, now);
	array_free(&asked);
}

void ospf_recv_ack(struct ospf *o, struct ospf_nbr *n, struct reader body, uint64_t now)
{
	if (n->state < OSPF_NBR_EXCHANGE)
		return;
	while (reader_remaining(&body) >= OSPF_LSA_HEADER_LEN) {
		struct ospf_lsa_header h;
		if (ospf_lsa_header_read(&body, &h) != OSPF_WIRE_OK)
			break;
		long at = ospf_hdr_list_find(&n->rxmt, h.type, h.id, h.adv_router);
		if (at < 0)
			continue;
		struct ospf_lsdb *db = ospf_db_for(o, n->ifp->cfg.area, h.type);
		struct ospf_lsa *have = db ? ospf_lsdb_find(db, h.type, h.id, h.adv_router) : NULL;
		struct ospf_lsa_header cur = have ? ospf_lsa_current(have, now) : *ospf_hdr_list_at(&n->rxmt, at);
		if (!have || ospf_lsa_compare(&h, &cur) == 0)
			ospf_hdr_list_remove_at(&n->rxmt, (size_t)at);
	}
	if (!ospf_hdr_list_count(&n->rxmt))
		n->lsu_rxmt = 0;
}

void ospf_retransmit(struct ospf *o, struct ospf_nbr *n, uint64_t now)
{
	struct array resend; /* of struct ospf_lsa *: at most one per header on the list */
	array_init(&resend, MEMORY_OSPF, sizeof(struct ospf_lsa *), OSPF_HDR_LIST_MAX);
	if (array_reserve(&resend, ospf_hdr_list_count(&n->rxmt) ? ospf_hdr_list_count(&n->rxmt) : 1) != ARRAY_OK)
		return;
	for (size_t i = 0; i < ospf_hdr_list_count(&n->rxmt);) {
		struct ospf_lsa_header *h = ospf_hdr_list_at(&n->rxmt, i);
		struct ospf_lsdb *db = ospf_db_for(o, n->ifp->cfg.area, h->type);
		struct ospf_lsa *l = db ? ospf_lsdb_find(db, h->type, h->id, h->adv_router) : NULL;
		if (!l) {
			ospf_hdr_list_remove_at(&n->rxmt, i);
			continue;
		}
		*(struct ospf_lsa **)array_push(&resend) = l; /* room reserved above */
		i++;
	}
	if (resend.count)
		send_lsas(o, n->ifp, n->addr, resend.items, resend.count, now);
	array_free(&resend);
	n->lsu_rxmt = ospf_hdr_list_count(&n->rxmt) ? now + OSPF_RXMT_INTERVAL_MS : 0;
}
