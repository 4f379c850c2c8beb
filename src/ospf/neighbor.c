/*
 * DOC: OSPF neighbours: the neighbour state machine, hellos received, the database exchange.
 *
 * Neighbours follow §10.3 from Down through Init, 2-Way, ExStart (master/slave negotiation),
 * Exchange (Database Description packets, §10.8), Loading (Link State Requests, §10.9) to
 * Full; an adjacency forms on point-to-point links and, on broadcast links, with the DR and
 * the BDR (§10.4). The MTU of received DD packets is checked (§10.6), inactivity kills. A
 * master whose initial DD went unheard (the neighbour was still Waiting) sends it again the
 * moment the neighbour's own initial DD shows it is in ExStart, not an RxmtInterval later.
 */
#include "ospf/internal.h"

#include <stdlib.h>
#include <string.h>

#include "lib/memory.h"

void ospf_nbr_clear_lists(struct ospf_nbr *n)
{
	ospf_hdr_list_clear(&n->summary);
	ospf_hdr_list_clear(&n->request);
	ospf_hdr_list_clear(&n->rxmt);
	n->summary_pos = 0;
	memory_free(MEMORY_OSPF, n->last_tx);
	n->last_tx = NULL;
	n->last_tx_len = 0;
	n->dd_rxmt = n->lsr_rxmt = n->lsu_rxmt = 0;
	n->have_last_rx = false;
}

void ospf_nbr_set_state(struct ospf *o, struct ospf_nbr *n, enum ospf_nbr_state to, const char *event,
		       uint64_t now)
{
	enum ospf_nbr_state from = n->state;
	if (from == to)
		return;
	n->state = to;
	n->state_changes++;
	if (o->cb.neighbor_event)
		o->cb.neighbor_event(o->cb.ctx, n->ifp->cfg.name, n->rid, n->addr, ospf_nbr_state_name(from),
				     ospf_nbr_state_name(to), event);
	if (to == OSPF_NBR_FULL)
		n->full_since = now;
	if (from == OSPF_NBR_FULL || to == OSPF_NBR_FULL) {
		ospf_schedule_originate(o);
		ospf_schedule_spf(o, now);
	}
	if (to < OSPF_NBR_EXSTART)
		ospf_nbr_clear_lists(n);
	/* §9.2 NeighborChange: bidirectional communication gained or lost */
	if ((from >= OSPF_NBR_2WAY) != (to >= OSPF_NBR_2WAY) && n->ifp->cfg.type == OSPF_IF_BROADCAST)
		ospf_if_election(o, n->ifp, now);
}

/* §10.4: should an adjacency form with this neighbour? */
static bool adjacency_wanted(const struct ospf_nbr *n)
{
	const struct ospf_if *ifp = n->ifp;
	if (ifp->cfg.type == OSPF_IF_P2P)
		return true;
	return ifp->state == OSPF_IFS_DR || ifp->state == OSPF_IFS_BACKUP || ifp->dr == n->addr ||
	       ifp->bdr == n->addr;
}

void ospf_nbr_start_exstart(struct ospf *o, struct ospf_nbr *n, uint64_t now)
{
	ospf_nbr_clear_lists(n);
	ospf_nbr_set_state(o, n, OSPF_NBR_EXSTART, "AdjOK", now);
	if (!n->dd_seq)
		n->dd_seq = (uint32_t)(now / 1000) ^ o->opt.router_id;
	else
		n->dd_seq++;
	n->master = true;
	ospf_send_dd(o, n, now);
}

void ospf_nbr_destroy(struct ospf *o, struct ospf_nbr *n, const char *event, uint64_t now)
{
	struct ospf_if *ifp = n->ifp;
	ospf_nbr_set_state(o, n, OSPF_NBR_DOWN, event, now);
	ospf_nbr_clear_lists(n);
	for (size_t i = 0; i < ifp->nbrs.count; i++) {
		if (ospf_nbrs(ifp)[i] == n) {
			ospf_nbrs(ifp)[i] = ospf_nbrs(ifp)[--ifp->nbrs.count];
			break;
		}
	}
	memory_free(MEMORY_OSPF, n);
	if (ifp->cfg.type == OSPF_IF_BROADCAST)
		ospf_if_election(o, ifp, now);
}

/* §10.3 AdjOK?: adjacencies form or go after the DR or BDR changed. */
void ospf_adj_ok(struct ospf *o, struct ospf_if *ifp, uint64_t now)
{
	for (size_t i = 0; i < ifp->nbrs.count; i++) {
		struct ospf_nbr *n = ospf_nbrs(ifp)[i];
		if (n->state == OSPF_NBR_2WAY && adjacency_wanted(n))
			ospf_nbr_start_exstart(o, n, now);
		else if (n->state >= OSPF_NBR_EXSTART && !adjacency_wanted(n))
			ospf_nbr_set_state(o, n, OSPF_NBR_2WAY, "AdjOK", now);
	}
}

/* ---- database description (§10.6, §10.8) ---- */

static void dd_summary_snapshot(struct ospf *o, struct ospf_nbr *n, uint64_t now)
{
	ospf_hdr_list_clear(&n->summary);
	struct ospf_area *a = ospf_area_find(o, n->ifp->cfg.area);
	const struct ospf_lsdb *dbs[2] = { a ? &a->db : NULL, &o->external };
	for (int d = 0; d < 2; d++) {
		if (!dbs[d])
			continue;
		for (size_t i = 0; i < ospf_lsdb_count(dbs[d]); i++) {
			struct ospf_lsa_header h = ospf_lsa_current(ospf_lsdb_at(dbs[d], i), now);
			if (h.age >= OSPF_MAX_AGE)
				continue; /* §10.3: MaxAge LSAs go on the retransmission list instead */
			ospf_hdr_list_add(&n->summary, &h);
		}
	}
	n->summary_pos = 0;
}

void ospf_send_dd(struct ospf *o, struct ospf_nbr *n, uint64_t now)
{
	struct ospf_if *ifp = n->ifp;
	struct writer w = ospf_out_begin(o, ifp, OSPF_DD);
	uint8_t flags = 0;
	size_t count = 0;
	bool more = false;
	if (n->state == OSPF_NBR_EXSTART) {
		flags = OSPF_DD_I | OSPF_DD_M | OSPF_DD_MS;
		more = true;
	} else {
		size_t room = (ospf_out_room(ifp) - OSPF_HEADER_LEN - 8) / OSPF_LSA_HEADER_LEN;
		size_t left = ospf_hdr_list_count(&n->summary) - n->summary_pos;
		count = left < room ? left : room;
		more = n->summary_pos + count < ospf_hdr_list_count(&n->summary);
		flags = (n->master ? OSPF_DD_MS : 0) | (more ? OSPF_DD_M : 0);
	}
	ospf_dd_encode(&w, (uint16_t)(ifp->cfg.type == OSPF_IF_P2P || ifp->cfg.type == OSPF_IF_BROADCAST
				      ? (ifp->cfg.mtu ? ifp->cfg.mtu : 1500) : 0),
		       ospf_my_options(), flags, n->dd_seq);
	for (size_t i = 0; i < count; i++)
		ospf_lsa_header_write(&w, ospf_hdr_list_at(&n->summary, n->summary_pos + i));
	n->last_tx_more = more;
	n->last_tx_count = count;
	ospf_out_send(o, ifp, &w, n->addr);
	/* keep the packet for retransmission (master) or a duplicate (slave) */
	memory_free(MEMORY_OSPF, n->last_tx);
	n->last_tx = NULL;
	n->last_tx_len = 0;
	size_t len = w.len;
	n->last_tx = memory_alloc(MEMORY_OSPF, len);
	if (n->last_tx) {
		memcpy(n->last_tx, o->pkt, len);
		n->last_tx_len = len;
	}
	n->dd_rxmt = n->master ? now + OSPF_RXMT_INTERVAL_MS : 0;
}

void ospf_resend_last_dd(struct ospf *o, struct ospf_nbr *n)
{
	if (!n->last_tx)
		return;
	/* the authentication (crypto sequence) must be new: rebuild from the stored bytes */
	struct writer w = writer_make(o->pkt, sizeof(o->pkt));
	size_t body = n->last_tx_len;
	writer_bytes(&w, n->last_tx, body);
	if (n->ifp->cfg.auth.type == OSPF_AUTH_CRYPTO)
		w.len = body < OSPF_HEADER_LEN + OSPF_MD5_LEN ? body : body - OSPF_MD5_LEN;
	ospf_out_send(o, n->ifp, &w, n->addr);
}

void ospf_send_lsr(struct ospf *o, struct ospf_nbr *n, uint64_t now)
{
	if (!ospf_hdr_list_count(&n->request)) {
		n->lsr_rxmt = 0;
		return;
	}
	struct writer w = ospf_out_begin(o, n->ifp, OSPF_LSR);
	size_t room = (ospf_out_room(n->ifp) - OSPF_HEADER_LEN) / 12;
	for (size_t i = 0; i < ospf_hdr_list_count(&n->request) && i < room; i++) {
		const struct ospf_lsa_header *rq = ospf_hdr_list_at(&n->request, i);
		struct ospf_lsr_entry e = { rq->type, rq->id, rq->adv_router };
		ospf_lsr_write(&w, &e);
	}
	ospf_out_send(o, n->ifp, &w, n->addr);
	n->lsr_rxmt = now + OSPF_RXMT_INTERVAL_MS;
}

static void exchange_done(struct ospf *o, struct ospf_nbr *n, uint64_t now)
{
	n->dd_rxmt = 0;
	if (!ospf_hdr_list_count(&n->request)) {
		ospf_nbr_set_state(o, n, OSPF_NBR_FULL, "ExchangeDone", now);
	} else {
		ospf_nbr_set_state(o, n, OSPF_NBR_LOADING, "ExchangeDone", now);
		if (!n->lsr_rxmt)
			ospf_send_lsr(o, n, now);
	}
}

static void seq_mismatch(struct ospf *o, struct ospf_nbr *n, const char *why, uint64_t now)
{
	(void)why;
	ospf_nbr_set_state(o, n, OSPF_NBR_EXSTART, "SeqNumberMismatch", now);
	ospf_nbr_start_exstart(o, n, now);
}

/* §10.6: the LSA headers of an accepted DD packet. false on an unknown LS type. */
static bool dd_headers(struct ospf *o, struct ospf_nbr *n, struct reader *headers, uint64_t now)
{
	while (!reader_empty(headers)) {
		struct ospf_lsa_header h;
		if (ospf_lsa_header_read(headers, &h) != OSPF_WIRE_OK)
			return false;
		if (h.type < OSPF_LSA_ROUTER || h.type > OSPF_LSA_EXTERNAL)
			return false;
		struct ospf_lsdb *db = ospf_db_for(o, n->ifp->cfg.area, h.type);
		struct ospf_lsa *have = db ? ospf_lsdb_find(db, h.type, h.id, h.adv_router) : NULL;
		if (!have) {
			ospf_hdr_list_add(&n->request, &h);
		} else {
			struct ospf_lsa_header cur = ospf_lsa_current(have, now);
			if (ospf_lsa_compare(&h, &cur) > 0)
				ospf_hdr_list_add(&n->request, &h);
		}
	}
	if (ospf_hdr_list_count(&n->request) && !n->lsr_rxmt)
		ospf_send_lsr(o, n, now);
	return true;
}

void ospf_recv_dd(struct ospf *o, struct ospf_nbr *n, struct reader body, uint64_t now)
{
	struct ospf_if *ifp = n->ifp;
	struct ospf_dd dd;
	if (ospf_dd_decode(body, &dd) != OSPF_WIRE_OK) {
		ospf_rx_drop(o, ifp, OSPF_DROP_WIRE_FIRST + OSPF_WIRE_TRUNCATED);
		return;
	}
	uint16_t mtu = ifp->cfg.mtu ? ifp->cfg.mtu : 1500;
	if (dd.mtu > mtu) {
		ospf_rx_drop(o, ifp, OSPF_DROP_MTU_MISMATCH);
		return;
	}
	bool dup = n->have_last_rx && dd.flags == n->last_rx_flags && dd.options == n->last_rx_options &&
		   dd.seq == n->last_rx_seq;
	switch (n->state) {
	case OSPF_NBR_DOWN:
	case OSPF_NBR_ATTEMPT:
	case OSPF_NBR_2WAY:
		return;
	case OSPF_NBR_INIT:
		/* §10.6: 2-WayReceived, then process further if the state is ExStart */
		if (adjacency_wanted(n))
			ospf_nbr_start_exstart(o, n, now);
		else
			ospf_nbr_set_state(o, n, OSPF_NBR_2WAY, "2-WayReceived", now);
		if (n->state != OSPF_NBR_EXSTART)
			return;
		/* fall through */
	case OSPF_NBR_EXSTART: {
		bool init = (dd.flags & (OSPF_DD_I | OSPF_DD_M | OSPF_DD_MS)) == (OSPF_DD_I | OSPF_DD_M | OSPF_DD_MS);
		if (init && reader_empty(&dd.headers) && n->rid > o->opt.router_id) {
			/* we are the slave */
			n->master = false;
			n->dd_seq = dd.seq;
			n->options = dd.options;
			dd_summary_snapshot(o, n, now);
			ospf_nbr_set_state(o, n, OSPF_NBR_EXCHANGE, "NegotiationDone", now);
			n->have_last_rx = true;
			n->last_rx_flags = dd.flags;
			n->last_rx_options = dd.options;
			n->last_rx_seq = dd.seq;
			ospf_send_dd(o, n, now);
			return;
		}
		if (init && reader_empty(&dd.headers) && n->rid < o->opt.router_id) {
			/* The neighbour, our slave-to-be, has just entered ExStart: it ignored the
			 * initial DD we sent while it was still in 2-Way (its interface Waiting) and
			 * now offers to be master. §10.6 says to ignore this packet, and we do; but
			 * rather than leave both sides to RxmtInterval (5 s), our initial DD goes out
			 * again now, which the neighbour accepts as slave. */
			ospf_send_dd(o, n, now);
			return;
		}
		if (!(dd.flags & (OSPF_DD_I | OSPF_DD_MS)) && dd.seq == n->dd_seq && n->rid < o->opt.router_id) {
			/* we are the master; this packet is the slave's first answer */
			n->master = true;
			n->options = dd.options;
			dd_summary_snapshot(o, n, now);
			n->last_tx_count = 0;
			n->last_tx_more = true;
			ospf_nbr_set_state(o, n, OSPF_NBR_EXCHANGE, "NegotiationDone", now);
			break; /* processed as in Exchange, below */
		}
		return;
	}
	case OSPF_NBR_EXCHANGE:
		if (dup) {
			if (!n->master)
				ospf_resend_last_dd(o, n);
			return;
		}
		if ((dd.flags & OSPF_DD_MS) != (n->master ? 0 : OSPF_DD_MS) || (dd.flags & OSPF_DD_I) ||
		    dd.options != n->options) {
			seq_mismatch(o, n, "flags", now);
			return;
		}
		if (n->master ? dd.seq != n->dd_seq : dd.seq != n->dd_seq + 1) {
			seq_mismatch(o, n, "sequence", now);
			return;
		}
		break;
	case OSPF_NBR_LOADING:
	case OSPF_NBR_FULL:
		if (dup) {
			if (!n->master)
				ospf_resend_last_dd(o, n);
			return;
		}
		seq_mismatch(o, n, "after exchange", now);
		return;
	}
	/* accepted (§10.6 "when the packet is accepted") */
	n->have_last_rx = true;
	n->last_rx_flags = dd.flags;
	n->last_rx_options = dd.options;
	n->last_rx_seq = dd.seq;
	if (!dd_headers(o, n, &dd.headers, now)) {
		seq_mismatch(o, n, "LS type", now);
		return;
	}
	n->summary_pos += n->last_tx_count;
	n->last_tx_count = 0;
	if (n->master) {
		if (!n->last_tx_more && !(dd.flags & OSPF_DD_M)) {
			exchange_done(o, n, now);
			return;
		}
		n->dd_seq++;
		ospf_send_dd(o, n, now);
	} else {
		n->dd_seq = dd.seq;
		ospf_send_dd(o, n, now);
		if (!(dd.flags & OSPF_DD_M) && !n->last_tx_more)
			exchange_done(o, n, now);
	}
}

/* ---- hello (§10.5) ---- */

void ospf_recv_hello(struct ospf *o, struct ospf_if *ifp, const struct ospf_header *hdr, uint32_t src,
		     struct reader body, uint64_t now)
{
	struct ospf_hello h; /* filled by the decoder */
	enum ospf_wire_error e = ospf_hello_decode(body, &h);
	if (e) {
		ospf_rx_drop(o, ifp, (enum ospf_drop)(OSPF_DROP_WIRE_FIRST + e));
		return;
	}
	if (ifp->cfg.type == OSPF_IF_BROADCAST && h.mask != ospf_mask_of(ifp->cfg.prefixlen)) {
		ospf_rx_drop(o, ifp, OSPF_DROP_MASK_MISMATCH);
		return;
	}
	if (h.hello_interval != ifp->cfg.hello_interval) {
		ospf_rx_drop(o, ifp, OSPF_DROP_HELLO_MISMATCH);
		return;
	}
	if (h.dead_interval != ifp->cfg.dead_interval) {
		ospf_rx_drop(o, ifp, OSPF_DROP_DEAD_MISMATCH);
		return;
	}
	if ((h.options & OSPF_OPT_E) != (ospf_my_options() & OSPF_OPT_E)) {
		ospf_rx_drop(o, ifp, OSPF_DROP_OPTIONS_MISMATCH);
		return;
	}
	struct ospf_nbr *n = ifp->cfg.type == OSPF_IF_P2P ? ospf_nbr_by_rid(ifp, hdr->router_id) : ospf_nbr_by_addr(ifp, src);
	if (n && n->rid != hdr->router_id) {
		/* another router behind the same address: the old neighbour is gone */
		ospf_nbr_destroy(o, n, "RouterIdChanged", now);
		n = NULL;
	}
	if (!n) {
		static uint64_t refusals;
		enum array_status room = array_reserve(&ifp->nbrs, 1);
		if (room == ARRAY_AT_CAP)
			ospf_log_cap("neighbour list of an interface", OSPF_NBRS_MAX, &refusals);
		if (room != ARRAY_OK)
			return;
		n = memory_calloc(MEMORY_OSPF, 1, sizeof(*n));
		if (!n)
			return;
		*(struct ospf_nbr **)array_push(&ifp->nbrs) = n;
		n->ifp = ifp;
		ospf_hdr_list_init(&n->summary);
		ospf_hdr_list_init(&n->request);
		ospf_hdr_list_init(&n->rxmt);
		n->rid = hdr->router_id;
		n->addr = src;
		n->priority = h.priority;
		n->dr = h.dr;
		n->bdr = h.bdr;
		n->state = OSPF_NBR_DOWN;
		if (hdr->auth_type == OSPF_AUTH_CRYPTO) {
			n->crypto_seq = hdr->crypto_seq;
			n->have_crypto_seq = true;
		}
	}
	n->addr = src;
	n->inactivity = now + ospf_if_dead_ms(ifp);
	if (n->state == OSPF_NBR_DOWN)
		ospf_nbr_set_state(o, n, OSPF_NBR_INIT, "HelloReceived", now);
	bool two_way = false;
	for (size_t i = 0; i < h.neighbor_count; i++)
		if (h.neighbors[i] == o->opt.router_id)
			two_way = true;
	uint8_t old_priority = n->priority;
	uint32_t old_dr = n->dr, old_bdr = n->bdr;
	n->priority = h.priority;
	n->dr = h.dr;
	n->bdr = h.bdr;
	if (!two_way) {
		if (n->state >= OSPF_NBR_2WAY)
			ospf_nbr_set_state(o, n, OSPF_NBR_INIT, "1-WayReceived", now);
		return;
	}
	if (n->state == OSPF_NBR_INIT) {
		if (ifp->cfg.type == OSPF_IF_BROADCAST && ifp->state >= OSPF_IFS_DROTHER) {
			ospf_nbr_set_state(o, n, OSPF_NBR_2WAY, "2-WayReceived", now);
			/* the election may make us or it DR/BDR: AdjOK? decides */
			if (n->state == OSPF_NBR_2WAY && adjacency_wanted(n))
				ospf_nbr_start_exstart(o, n, now);
		} else if (ifp->cfg.type == OSPF_IF_BROADCAST) {
			ospf_nbr_set_state(o, n, OSPF_NBR_2WAY, "2-WayReceived", now); /* Waiting: no DR yet */
		} else {
			ospf_nbr_start_exstart(o, n, now);
		}
	}
	if (ifp->cfg.type != OSPF_IF_BROADCAST)
		return;
	/* §10.5: BackupSeen and NeighborChange */
	if (ifp->state == OSPF_IFS_WAITING) {
		if ((h.bdr == src) || (h.dr == src && h.bdr == 0)) {
			ospf_if_wait_over(o, ifp, true, now);
			return;
		}
	}
	bool change = old_priority != h.priority || ((old_dr == src) != (h.dr == src)) ||
		      ((old_bdr == src) != (h.bdr == src));
	if (change && ifp->state >= OSPF_IFS_DROTHER)
		ospf_if_election(o, ifp, now);
}
