/*
 * DOC: the OSPF engine: interfaces, neighbours, packets, flooding and origination.
 *
 * Interfaces follow the interface state machine of RFC 2328 §9.3: a loopback is in state
 * Loopback and announces its address as a host route (§12.4.1.1 option 1); a point-to-point
 * interface goes straight to Point-to-point; a broadcast interface with a priority waits
 * (Waiting, the Wait timer = the dead interval) unless BackupSeen ends the wait early, then
 * elects the DR and BDR (§9.4) and becomes DR, Backup or DROther. Passive interfaces send and
 * accept nothing but are announced as stub networks.
 *
 * Neighbours follow §10.3 from Down through Init, 2-Way, ExStart (master/slave negotiation),
 * Exchange (Database Description packets, §10.8), Loading (Link State Requests, §10.9) to
 * Full; an adjacency forms on point-to-point links and, on broadcast links, with the DR and
 * the BDR (§10.4). The MTU of received DD packets is checked (§10.6), inactivity kills. A
 * master whose initial DD went unheard (the neighbour was still Waiting) sends it again the
 * moment the neighbour's own initial DD shows it is in ExStart, not an RxmtInterval later.
 *
 * Flooding follows §13: a received LSA newer than the database copy (and not within
 * MinLSArrival of a copy that came by flooding) is installed, flooded out of every eligible
 * interface and acknowledged; one equal to the database copy is an implied or a direct
 * acknowledgement; one older is answered with the database copy. Unacknowledged LSAs are
 * retransmitted every RxmtInterval.
 *
 * Origination reconciles: the router LSA of each area, the network LSA of each interface where
 * this router is DR with at least one full neighbour, and one AS-external LSA per
 * redistributed route are computed as wanted; a wanted LSA whose body differs from the
 * database copy is originated with the next sequence number (at most once per MinLSInterval,
 * §12.4), one whose copy is 30 minutes old is refreshed (LSRefreshTime), and a self-originated
 * LSA no longer wanted - or a stale one from a previous incarnation received from a neighbour
 * (§13.4) - is flushed by premature ageing (§14.1).
 *
 * Every received packet goes through the checks of §8.2 and §10.5; one that fails is dropped
 * and its reason counted on the interface (ospf_drop_name), so it never touches an adjacency.
 */
#include "ospf/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static uint32_t mask_of(uint8_t len)
{
	return len == 0 ? 0 : len >= 32 ? UINT32_MAX : ~(UINT32_MAX >> len);
}

static uint32_t dead_ms(const struct ospf_if *ifp)
{
	return ifp->cfg.dead_interval * 1000u;
}

/* Counts a dropped packet under its reason, and reports it. */
static void drop(struct ospf *o, struct ospf_if *ifp, enum ospf_drop why)
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

static struct ospf_area *area_find(struct ospf *o, uint32_t id)
{
	for (size_t i = 0; i < o->area_count; i++)
		if (o->areas[i].id == id)
			return &o->areas[i];
	return NULL;
}

static struct ospf_area *area_get(struct ospf *o, uint32_t id)
{
	struct ospf_area *a = area_find(o, id);
	if (a)
		return a;
	struct ospf_area *v = realloc(o->areas, (o->area_count + 1) * sizeof(*v));
	if (!v)
		return NULL;
	o->areas = v;
	a = &o->areas[o->area_count++];
	memset(a, 0, sizeof(*a));
	a->id = id;
	return a;
}

static struct ospf_lsdb *db_for(struct ospf *o, uint32_t area, uint8_t type)
{
	if (type == OSPF_LSA_EXTERNAL)
		return &o->external;
	struct ospf_area *a = area_get(o, area);
	return a ? &a->db : NULL;
}

/* ---- lookups ---- */

bool ospf_is_abr(const struct ospf *o)
{
	uint32_t first = 0;
	bool have = false;
	for (size_t i = 0; i < o->if_count; i++) {
		const struct ospf_if *ifp = o->ifs[i];
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
	for (size_t i = 0; i < o->if_count; i++)
		if (o->ifs[i]->cfg.addr == addr)
			return o->ifs[i];
	return NULL;
}

static struct ospf_if *if_by_index(const struct ospf *o, uint32_t ifindex)
{
	for (size_t i = 0; i < o->if_count; i++)
		if (o->ifs[i]->cfg.ifindex == ifindex)
			return o->ifs[i];
	return NULL;
}

struct ospf_nbr *ospf_nbr_by_rid(const struct ospf_if *ifp, uint32_t rid)
{
	for (size_t i = 0; i < ifp->nbr_count; i++)
		if (ifp->nbrs[i]->rid == rid)
			return ifp->nbrs[i];
	return NULL;
}

static struct ospf_nbr *nbr_by_addr(const struct ospf_if *ifp, uint32_t addr)
{
	for (size_t i = 0; i < ifp->nbr_count; i++)
		if (ifp->nbrs[i]->addr == addr)
			return ifp->nbrs[i];
	return NULL;
}

/* ---- sending ---- */

static struct writer packet_begin(struct ospf *o, const struct ospf_if *ifp, uint8_t type)
{
	struct writer w = writer_make(o->pkt, sizeof(o->pkt));
	ospf_packet_begin(&w, type, o->opt.router_id, ifp->cfg.area);
	return w;
}

/* The room for a packet on this interface: MTU minus the IP header and an MD5 digest. */
static size_t packet_room(const struct ospf_if *ifp)
{
	size_t mtu = ifp->cfg.mtu ? ifp->cfg.mtu : 1500;
	return mtu - 20 - OSPF_MD5_LEN;
}

static void packet_send(struct ospf *o, struct ospf_if *ifp, struct writer *w, uint32_t dst)
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

static uint32_t flood_dst(const struct ospf_if *ifp)
{
	if (ifp->cfg.type == OSPF_IF_BROADCAST && ifp->state != OSPF_IFS_DR && ifp->state != OSPF_IFS_BACKUP)
		return OSPF_ALL_D_ROUTERS;
	return OSPF_ALL_SPF_ROUTERS;
}

static uint8_t my_options(void)
{
	return OSPF_OPT_E;
}

static void send_hello(struct ospf *o, struct ospf_if *ifp)
{
	struct ospf_hello h; /* about 2 KB, on the stack: the core keeps no static state */
	memset(&h, 0, sizeof(h));
	h.mask = ifp->cfg.type == OSPF_IF_P2P ? 0 : mask_of(ifp->cfg.prefixlen);
	h.hello_interval = ifp->cfg.hello_interval;
	h.options = my_options();
	h.priority = ifp->cfg.priority;
	h.dead_interval = ifp->cfg.dead_interval;
	h.dr = ifp->dr;
	h.bdr = ifp->bdr;
	for (size_t i = 0; i < ifp->nbr_count && h.neighbor_count < OSPF_HELLO_NEIGHBORS_MAX; i++)
		if (ifp->nbrs[i]->state >= OSPF_NBR_INIT)
			h.neighbors[h.neighbor_count++] = ifp->nbrs[i]->rid;
	struct writer w = packet_begin(o, ifp, OSPF_HELLO);
	ospf_hello_encode(&w, &h);
	packet_send(o, ifp, &w, OSPF_ALL_SPF_ROUTERS);
}

/* ---- neighbours ---- */

static void nbr_clear_lists(struct ospf_nbr *n)
{
	ospf_hdr_list_clear(&n->summary);
	ospf_hdr_list_clear(&n->request);
	ospf_hdr_list_clear(&n->rxmt);
	n->summary_pos = 0;
	free(n->last_tx);
	n->last_tx = NULL;
	n->last_tx_len = 0;
	n->dd_rxmt = n->lsr_rxmt = n->lsu_rxmt = 0;
	n->have_last_rx = false;
}

static void schedule_originate(struct ospf *o)
{
	o->originate_dirty = true;
}

static void schedule_spf(struct ospf *o, uint64_t now)
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

static void election(struct ospf *o, struct ospf_if *ifp, uint64_t now);

static void nbr_set_state(struct ospf *o, struct ospf_nbr *n, enum ospf_nbr_state to, const char *event,
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
		schedule_originate(o);
		schedule_spf(o, now);
	}
	if (to < OSPF_NBR_EXSTART)
		nbr_clear_lists(n);
	/* §9.2 NeighborChange: bidirectional communication gained or lost */
	if ((from >= OSPF_NBR_2WAY) != (to >= OSPF_NBR_2WAY) && n->ifp->cfg.type == OSPF_IF_BROADCAST)
		election(o, n->ifp, now);
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

static void send_dd(struct ospf *o, struct ospf_nbr *n, uint64_t now);

static void start_exstart(struct ospf *o, struct ospf_nbr *n, uint64_t now)
{
	nbr_clear_lists(n);
	nbr_set_state(o, n, OSPF_NBR_EXSTART, "AdjOK", now);
	if (!n->dd_seq)
		n->dd_seq = (uint32_t)(now / 1000) ^ o->opt.router_id;
	else
		n->dd_seq++;
	n->master = true;
	send_dd(o, n, now);
}

static void nbr_destroy(struct ospf *o, struct ospf_nbr *n, const char *event, uint64_t now)
{
	struct ospf_if *ifp = n->ifp;
	nbr_set_state(o, n, OSPF_NBR_DOWN, event, now);
	nbr_clear_lists(n);
	for (size_t i = 0; i < ifp->nbr_count; i++) {
		if (ifp->nbrs[i] == n) {
			ifp->nbrs[i] = ifp->nbrs[--ifp->nbr_count];
			break;
		}
	}
	free(n);
	if (ifp->cfg.type == OSPF_IF_BROADCAST)
		election(o, ifp, now);
}

/* §10.3 AdjOK?: adjacencies form or go after the DR or BDR changed. */
static void adj_ok(struct ospf *o, struct ospf_if *ifp, uint64_t now)
{
	for (size_t i = 0; i < ifp->nbr_count; i++) {
		struct ospf_nbr *n = ifp->nbrs[i];
		if (n->state == OSPF_NBR_2WAY && adjacency_wanted(n))
			start_exstart(o, n, now);
		else if (n->state >= OSPF_NBR_EXSTART && !adjacency_wanted(n))
			nbr_set_state(o, n, OSPF_NBR_2WAY, "AdjOK", now);
	}
}

/* ---- interfaces ---- */

static void update_membership(struct ospf *o, struct ospf_if *ifp)
{
	bool active = ifp->state != OSPF_IFS_DOWN && ifp->state != OSPF_IFS_LOOPBACK && !ifp->cfg.passive;
	bool spf = active;
	bool drs = active && (ifp->state == OSPF_IFS_DR || ifp->state == OSPF_IFS_BACKUP);
	if (spf != ifp->joined_spf) {
		o->cb.membership(o->cb.ctx, ifp->cfg.ifindex, OSPF_ALL_SPF_ROUTERS, spf);
		ifp->joined_spf = spf;
	}
	if (drs != ifp->joined_dr) {
		o->cb.membership(o->cb.ctx, ifp->cfg.ifindex, OSPF_ALL_D_ROUTERS, drs);
		ifp->joined_dr = drs;
	}
}

static void if_set_state(struct ospf *o, struct ospf_if *ifp, enum ospf_if_state s, uint64_t now)
{
	if (ifp->state == s)
		return;
	enum ospf_if_state from = ifp->state;
	ifp->state = s;
	update_membership(o, ifp);
	schedule_originate(o);
	/* SPF looks at an interface only for being down (its own networks); any other change
	 * (the election after Waiting) reaches it through the LSAs it changes. An SPF run for
	 * nothing would make the change that matters, a moment later, wait out the hold time. */
	if (from == OSPF_IFS_DOWN || s == OSPF_IFS_DOWN)
		schedule_spf(o, now);
}

struct candidate {
	uint32_t rid, addr;
	uint8_t priority;
	uint32_t dr, bdr;
};

static bool better(const struct candidate *a, const struct candidate *b)
{
	if (a->priority != b->priority)
		return a->priority > b->priority;
	return a->rid > b->rid;
}

/* §9.4 steps 2 and 3 over the candidates; the results are interface addresses. */
static void elect(const struct candidate *c, size_t n, uint32_t *dr_out, uint32_t *bdr_out)
{
	const struct candidate *bdr = NULL;
	for (int pass = 0; pass < 2 && !bdr; pass++) {
		for (size_t i = 0; i < n; i++) {
			if (c[i].dr == c[i].addr)
				continue; /* declares itself DR: not a BDR candidate */
			if (pass == 0 && c[i].bdr != c[i].addr)
				continue; /* first those that declare themselves BDR */
			if (!bdr || better(&c[i], bdr))
				bdr = &c[i];
		}
	}
	const struct candidate *dr = NULL;
	for (size_t i = 0; i < n; i++)
		if (c[i].dr == c[i].addr && (!dr || better(&c[i], dr)))
			dr = &c[i];
	if (!dr)
		dr = bdr;
	*dr_out = dr ? dr->addr : 0;
	*bdr_out = bdr ? bdr->addr : 0;
}

static void election(struct ospf *o, struct ospf_if *ifp, uint64_t now)
{
	if (ifp->cfg.type != OSPF_IF_BROADCAST || ifp->state < OSPF_IFS_DROTHER)
		return;
	size_t max = ifp->nbr_count + 1, n = 0;
	struct candidate *c = calloc(max, sizeof(*c));
	if (!c)
		return;
	uint32_t me = ifp->cfg.addr;
	size_t self = SIZE_MAX;
	if (ifp->cfg.priority > 0) {
		self = n;
		c[n++] = (struct candidate){ o->opt.router_id, me, ifp->cfg.priority, ifp->dr, ifp->bdr };
	}
	for (size_t i = 0; i < ifp->nbr_count; i++) {
		struct ospf_nbr *nb = ifp->nbrs[i];
		if (nb->state >= OSPF_NBR_2WAY && nb->priority > 0)
			c[n++] = (struct candidate){ nb->rid, nb->addr, nb->priority, nb->dr, nb->bdr };
	}
	uint32_t old_dr = ifp->dr, old_bdr = ifp->bdr, dr, bdr;
	elect(c, n, &dr, &bdr);
	/* §9.4 step 4: if this router's role changed, run steps 2 and 3 again */
	bool was_dr = old_dr == me, was_bdr = old_bdr == me;
	if (self != SIZE_MAX && ((dr == me) != was_dr || (bdr == me) != was_bdr)) {
		c[self].dr = dr;
		c[self].bdr = bdr;
		elect(c, n, &dr, &bdr);
	}
	free(c);
	ifp->dr = dr;
	ifp->bdr = bdr;
	enum ospf_if_state s = dr == me ? OSPF_IFS_DR : bdr == me ? OSPF_IFS_BACKUP : OSPF_IFS_DROTHER;
	if_set_state(o, ifp, s, now);
	if (old_dr != dr || old_bdr != bdr) {
		adj_ok(o, ifp, now);
		schedule_originate(o);
		/* let the neighbours know at once rather than at the next hello */
		send_hello(o, ifp);
	}
}

static void if_up(struct ospf *o, struct ospf_if *ifp, uint64_t now)
{
	area_get(o, ifp->cfg.area);
	ifp->dr = ifp->bdr = 0;
	if (!ifp->cfg.up) {
		if_set_state(o, ifp, OSPF_IFS_DOWN, now);
		return;
	}
	if (ifp->cfg.type == OSPF_IF_LOOPBACK) {
		if_set_state(o, ifp, OSPF_IFS_LOOPBACK, now);
		return;
	}
	ifp->hello_timer = now; /* the first hello right away */
	if (ifp->cfg.passive) {
		if_set_state(o, ifp, ifp->cfg.type == OSPF_IF_P2P ? OSPF_IFS_P2P : OSPF_IFS_DR, now);
		return;
	}
	if (ifp->cfg.type == OSPF_IF_P2P) {
		if_set_state(o, ifp, OSPF_IFS_P2P, now);
	} else if (ifp->cfg.priority == 0) {
		if_set_state(o, ifp, OSPF_IFS_DROTHER, now);
	} else {
		/* §9.3 InterfaceUp: Waiting, for the dead interval unless BackupSeen comes first */
		ifp->wait_ended = 0;
		if_set_state(o, ifp, OSPF_IFS_WAITING, now);
		ifp->wait_timer = now + dead_ms(ifp);
	}
}

static void if_down(struct ospf *o, struct ospf_if *ifp, uint64_t now)
{
	while (ifp->nbr_count)
		nbr_destroy(o, ifp->nbrs[ifp->nbr_count - 1], "InterfaceDown", now);
	ifp->dr = ifp->bdr = 0;
	ifp->wait_timer = 0;
	if_set_state(o, ifp, OSPF_IFS_DOWN, now);
}

/* §9.3 WaitTimer or BackupSeen: the end of Waiting, then the election. */
static void wait_over(struct ospf *o, struct ospf_if *ifp, bool backup_seen, uint64_t now)
{
	ifp->wait_timer = 0;
	if (ifp->state != OSPF_IFS_WAITING)
		return;
	ifp->wait_ended = now;
	ifp->wait_backup_seen = backup_seen;
	ifp->state = OSPF_IFS_DROTHER; /* election() sets the real one */
	election(o, ifp, now);
	update_membership(o, ifp);
}

static bool if_config_same_identity(const struct ospf_if_config *a, const struct ospf_if_config *b)
{
	return a->addr == b->addr && a->prefixlen == b->prefixlen && a->area == b->area && a->type == b->type &&
	       a->passive == b->passive && a->up == b->up && a->hello_interval == b->hello_interval &&
	       a->mtu == b->mtu &&
	       a->dead_interval == b->dead_interval && memcmp(&a->auth, &b->auth, sizeof(a->auth)) == 0;
}

void ospf_set_interfaces(struct ospf *o, const struct ospf_if_config *cfgs, size_t count, uint64_t now)
{
	/* interfaces that went away */
	for (size_t i = 0; i < o->if_count;) {
		struct ospf_if *ifp = o->ifs[i];
		bool keep = false;
		for (size_t j = 0; j < count; j++)
			if (cfgs[j].ifindex == ifp->cfg.ifindex && cfgs[j].addr == ifp->cfg.addr)
				keep = true;
		if (keep) {
			i++;
			continue;
		}
		if_down(o, ifp, now);
		ifp->cfg.passive = true;
		update_membership(o, ifp);
		free(ifp->nbrs);
		free(ifp);
		o->ifs[i] = o->ifs[--o->if_count];
	}
	for (size_t j = 0; j < count; j++) {
		struct ospf_if *ifp = NULL;
		for (size_t i = 0; i < o->if_count; i++)
			if (o->ifs[i]->cfg.ifindex == cfgs[j].ifindex && o->ifs[i]->cfg.addr == cfgs[j].addr)
				ifp = o->ifs[i];
		if (ifp) {
			bool restart = !if_config_same_identity(&ifp->cfg, &cfgs[j]);
			bool reelect = ifp->cfg.priority != cfgs[j].priority;
			if (ifp->cfg.cost != cfgs[j].cost)
				schedule_originate(o);
			if (restart)
				if_down(o, ifp, now);
			ifp->cfg = cfgs[j];
			if (restart)
				if_up(o, ifp, now);
			else if (reelect)
				election(o, ifp, now);
			continue;
		}
		struct ospf_if **v = realloc(o->ifs, (o->if_count + 1) * sizeof(*v));
		if (!v)
			return;
		o->ifs = v;
		ifp = calloc(1, sizeof(*ifp));
		if (!ifp)
			return;
		ifp->cfg = cfgs[j];
		o->ifs[o->if_count++] = ifp;
		if_up(o, ifp, now);
	}
	schedule_originate(o);
	schedule_spf(o, now);
}

/* ---- database description (§10.6, §10.8) ---- */

static void dd_summary_snapshot(struct ospf *o, struct ospf_nbr *n, uint64_t now)
{
	ospf_hdr_list_clear(&n->summary);
	struct ospf_area *a = area_find(o, n->ifp->cfg.area);
	const struct ospf_lsdb *dbs[2] = { a ? &a->db : NULL, &o->external };
	for (int d = 0; d < 2; d++) {
		if (!dbs[d])
			continue;
		for (size_t i = 0; i < dbs[d]->n; i++) {
			struct ospf_lsa_header h = ospf_lsa_current(dbs[d]->v[i], now);
			if (h.age >= OSPF_MAX_AGE)
				continue; /* §10.3: MaxAge LSAs go on the retransmission list instead */
			ospf_hdr_list_add(&n->summary, &h);
		}
	}
	n->summary_pos = 0;
}

static void send_dd(struct ospf *o, struct ospf_nbr *n, uint64_t now)
{
	struct ospf_if *ifp = n->ifp;
	struct writer w = packet_begin(o, ifp, OSPF_DD);
	uint8_t flags = 0;
	size_t count = 0;
	bool more = false;
	if (n->state == OSPF_NBR_EXSTART) {
		flags = OSPF_DD_I | OSPF_DD_M | OSPF_DD_MS;
		more = true;
	} else {
		size_t room = (packet_room(ifp) - OSPF_HEADER_LEN - 8) / OSPF_LSA_HEADER_LEN;
		size_t left = n->summary.n - n->summary_pos;
		count = left < room ? left : room;
		more = n->summary_pos + count < n->summary.n;
		flags = (n->master ? OSPF_DD_MS : 0) | (more ? OSPF_DD_M : 0);
	}
	ospf_dd_encode(&w, (uint16_t)(ifp->cfg.type == OSPF_IF_P2P || ifp->cfg.type == OSPF_IF_BROADCAST
				      ? (ifp->cfg.mtu ? ifp->cfg.mtu : 1500) : 0),
		       my_options(), flags, n->dd_seq);
	for (size_t i = 0; i < count; i++)
		ospf_lsa_header_write(&w, &n->summary.v[n->summary_pos + i]);
	n->last_tx_more = more;
	n->last_tx_count = count;
	packet_send(o, ifp, &w, n->addr);
	/* keep the packet for retransmission (master) or a duplicate (slave) */
	free(n->last_tx);
	n->last_tx = NULL;
	n->last_tx_len = 0;
	size_t len = w.len;
	n->last_tx = malloc(len);
	if (n->last_tx) {
		memcpy(n->last_tx, o->pkt, len);
		n->last_tx_len = len;
	}
	n->dd_rxmt = n->master ? now + OSPF_RXMT_INTERVAL_MS : 0;
}

static void resend_last_dd(struct ospf *o, struct ospf_nbr *n)
{
	if (!n->last_tx)
		return;
	/* the authentication (crypto sequence) must be new: rebuild from the stored bytes */
	struct writer w = writer_make(o->pkt, sizeof(o->pkt));
	size_t body = n->last_tx_len;
	writer_bytes(&w, n->last_tx, body);
	if (n->ifp->cfg.auth.type == OSPF_AUTH_CRYPTO)
		w.len = body < OSPF_HEADER_LEN + OSPF_MD5_LEN ? body : body - OSPF_MD5_LEN;
	packet_send(o, n->ifp, &w, n->addr);
}

static void send_lsr(struct ospf *o, struct ospf_nbr *n, uint64_t now)
{
	if (!n->request.n) {
		n->lsr_rxmt = 0;
		return;
	}
	struct writer w = packet_begin(o, n->ifp, OSPF_LSR);
	size_t room = (packet_room(n->ifp) - OSPF_HEADER_LEN) / 12;
	for (size_t i = 0; i < n->request.n && i < room; i++) {
		struct ospf_lsr_entry e = { n->request.v[i].type, n->request.v[i].id, n->request.v[i].adv_router };
		ospf_lsr_write(&w, &e);
	}
	packet_send(o, n->ifp, &w, n->addr);
	n->lsr_rxmt = now + OSPF_RXMT_INTERVAL_MS;
}

static void exchange_done(struct ospf *o, struct ospf_nbr *n, uint64_t now)
{
	n->dd_rxmt = 0;
	if (!n->request.n) {
		nbr_set_state(o, n, OSPF_NBR_FULL, "ExchangeDone", now);
	} else {
		nbr_set_state(o, n, OSPF_NBR_LOADING, "ExchangeDone", now);
		if (!n->lsr_rxmt)
			send_lsr(o, n, now);
	}
}

static void seq_mismatch(struct ospf *o, struct ospf_nbr *n, const char *why, uint64_t now)
{
	(void)why;
	nbr_set_state(o, n, OSPF_NBR_EXSTART, "SeqNumberMismatch", now);
	start_exstart(o, n, now);
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
		struct ospf_lsdb *db = db_for(o, n->ifp->cfg.area, h.type);
		struct ospf_lsa *have = db ? ospf_lsdb_find(db, h.type, h.id, h.adv_router) : NULL;
		if (!have) {
			ospf_hdr_list_add(&n->request, &h);
		} else {
			struct ospf_lsa_header cur = ospf_lsa_current(have, now);
			if (ospf_lsa_compare(&h, &cur) > 0)
				ospf_hdr_list_add(&n->request, &h);
		}
	}
	if (n->request.n && !n->lsr_rxmt)
		send_lsr(o, n, now);
	return true;
}

static void recv_dd(struct ospf *o, struct ospf_nbr *n, struct reader body, uint64_t now)
{
	struct ospf_if *ifp = n->ifp;
	struct ospf_dd dd;
	if (ospf_dd_decode(body, &dd) != OSPF_WIRE_OK) {
		drop(o, ifp, OSPF_DROP_WIRE_FIRST + OSPF_WIRE_TRUNCATED);
		return;
	}
	uint16_t mtu = ifp->cfg.mtu ? ifp->cfg.mtu : 1500;
	if (dd.mtu > mtu) {
		drop(o, ifp, OSPF_DROP_MTU_MISMATCH);
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
			start_exstart(o, n, now);
		else
			nbr_set_state(o, n, OSPF_NBR_2WAY, "2-WayReceived", now);
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
			nbr_set_state(o, n, OSPF_NBR_EXCHANGE, "NegotiationDone", now);
			n->have_last_rx = true;
			n->last_rx_flags = dd.flags;
			n->last_rx_options = dd.options;
			n->last_rx_seq = dd.seq;
			send_dd(o, n, now);
			return;
		}
		if (init && reader_empty(&dd.headers) && n->rid < o->opt.router_id) {
			/* The neighbour, our slave-to-be, has just entered ExStart: it ignored the
			 * initial DD we sent while it was still in 2-Way (its interface Waiting) and
			 * now offers to be master. §10.6 says to ignore this packet, and we do; but
			 * rather than leave both sides to RxmtInterval (5 s), our initial DD goes out
			 * again now, which the neighbour accepts as slave. */
			send_dd(o, n, now);
			return;
		}
		if (!(dd.flags & (OSPF_DD_I | OSPF_DD_MS)) && dd.seq == n->dd_seq && n->rid < o->opt.router_id) {
			/* we are the master; this packet is the slave's first answer */
			n->master = true;
			n->options = dd.options;
			dd_summary_snapshot(o, n, now);
			n->last_tx_count = 0;
			n->last_tx_more = true;
			nbr_set_state(o, n, OSPF_NBR_EXCHANGE, "NegotiationDone", now);
			break; /* processed as in Exchange, below */
		}
		return;
	}
	case OSPF_NBR_EXCHANGE:
		if (dup) {
			if (!n->master)
				resend_last_dd(o, n);
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
				resend_last_dd(o, n);
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
		send_dd(o, n, now);
	} else {
		n->dd_seq = dd.seq;
		send_dd(o, n, now);
		if (!(dd.flags & OSPF_DD_M) && !n->last_tx_more)
			exchange_done(o, n, now);
	}
}

/* ---- flooding (§13) ---- */

static void send_lsas(struct ospf *o, struct ospf_if *ifp, uint32_t dst, struct ospf_lsa *const *lsas, size_t count,
		      uint64_t now)
{
	size_t i = 0;
	while (i < count) {
		struct writer w = packet_begin(o, ifp, OSPF_LSU);
		size_t count_at = writer_reserve(&w, 4);
		uint32_t n = 0;
		size_t room = packet_room(ifp);
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
		packet_send(o, ifp, &w, dst);
	}
}

static void remove_from_rxmt_lists(struct ospf *o, const struct ospf_lsa_header *h)
{
	for (size_t i = 0; i < o->if_count; i++) {
		struct ospf_if *ifp = o->ifs[i];
		for (size_t j = 0; j < ifp->nbr_count; j++) {
			long at = ospf_hdr_list_find(&ifp->nbrs[j]->rxmt, h->type, h->id, h->adv_router);
			if (at >= 0)
				ospf_hdr_list_remove_at(&ifp->nbrs[j]->rxmt, (size_t)at);
		}
	}
}

/* §13.3: floods lsa out of the interfaces of its scope. from/from_ifp: where it came from
 * (NULL when self-originated). Returns true when it went back out of the receiving interface. */
static bool flood(struct ospf *o, struct ospf_lsa *lsa, struct ospf_nbr *from, uint32_t area, uint64_t now)
{
	bool back_out = false;
	struct ospf_lsa_header cur = ospf_lsa_current(lsa, now);
	for (size_t i = 0; i < o->if_count; i++) {
		struct ospf_if *ifp = o->ifs[i];
		if (ifp->cfg.passive || ifp->state == OSPF_IFS_DOWN || ifp->state == OSPF_IFS_LOOPBACK)
			continue;
		if (lsa->h.type != OSPF_LSA_EXTERNAL && ifp->cfg.area != area)
			continue;
		bool added = false;
		for (size_t j = 0; j < ifp->nbr_count; j++) {
			struct ospf_nbr *n = ifp->nbrs[j];
			if (n->state < OSPF_NBR_EXCHANGE)
				continue;
			if (n->state != OSPF_NBR_FULL) {
				long at = ospf_hdr_list_find(&n->request, cur.type, cur.id, cur.adv_router);
				if (at >= 0) {
					int cmp = ospf_lsa_compare(&cur, &n->request.v[at]);
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

static bool is_self_originated(const struct ospf *o, const struct ospf_lsa_header *h)
{
	if (h->adv_router == o->opt.router_id)
		return true;
	return h->type == OSPF_LSA_NETWORK && ospf_if_by_addr(o, h->id) != NULL;
}

static void check_loading_done(struct ospf *o, struct ospf_nbr *n, uint64_t now)
{
	if (n->state == OSPF_NBR_LOADING && !n->request.n)
		nbr_set_state(o, n, OSPF_NBR_FULL, "LoadingDone", now);
}

static bool any_exchanging(const struct ospf *o)
{
	for (size_t i = 0; i < o->if_count; i++)
		for (size_t j = 0; j < o->ifs[i]->nbr_count; j++) {
			enum ospf_nbr_state s = o->ifs[i]->nbrs[j]->state;
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
		struct writer w = packet_begin(o, n->ifp, OSPF_LSACK);
		size_t room = (packet_room(n->ifp) - OSPF_HEADER_LEN) / OSPF_LSA_HEADER_LEN;
		for (size_t k = 0; k < room && i < count; k++, i++)
			ospf_lsa_header_write(&w, &acks[i]);
		packet_send(o, n->ifp, &w, n->addr);
	}
}

static void recv_lsu(struct ospf *o, struct ospf_nbr *n, struct reader body, uint64_t now)
{
	struct ospf_if *ifp = n->ifp;
	if (n->state < OSPF_NBR_EXCHANGE)
		return;
	uint32_t count;
	if (ospf_lsu_count(&body, &count) != OSPF_WIRE_OK) {
		drop(o, ifp, OSPF_DROP_WIRE_FIRST + OSPF_WIRE_TRUNCATED);
		return;
	}
	struct ospf_hdr_list acks = { 0 };
	struct ospf_lsa **reply = NULL;
	size_t reply_n = 0;
	for (uint32_t k = 0; k < count; k++) {
		struct ospf_lsa_raw raw;
		enum ospf_wire_error e = ospf_lsu_next(&body, &raw);
		if (e != OSPF_WIRE_OK) {
			/* the rest of the packet cannot be trusted: what came before stays */
			drop(o, ifp, (enum ospf_drop)(OSPF_DROP_WIRE_FIRST + e));
			break;
		}
		o->lsa_received++;
		const struct ospf_lsa_header *h = &raw.header;
		/* §13 steps 1-3 */
		if (h->type < OSPF_LSA_ROUTER || h->type > OSPF_LSA_EXTERNAL || !lsa_body_valid(&raw)) {
			drop(o, ifp, OSPF_DROP_BAD_LSA);
			continue;
		}
		struct ospf_lsdb *db = db_for(o, ifp->cfg.area, h->type);
		if (!db)
			continue;
		struct ospf_lsa *have = ospf_lsdb_find(db, h->type, h->id, h->adv_router);
		/* step 4: MaxAge and not in the database, nobody exchanging: ack and drop */
		if (h->age >= OSPF_MAX_AGE && !have && !any_exchanging(o)) {
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
			if (have && have->flooded && !is_self_originated(o, h) &&
			    now - have->installed < OSPF_MIN_LS_ARRIVAL * 1000 && have->originated == 0)
				continue; /* MinLSArrival */
			bool requested = ospf_hdr_list_find(&n->request, h->type, h->id, h->adv_router) >= 0;
			bool changed = !have || !ospf_lsa_body_equal(have->data, have->len, raw.data, raw.len) ||
				       (h->age >= OSPF_MAX_AGE) != (cur.age >= OSPF_MAX_AGE);
			uint64_t originated = have ? have->originated : 0;
			if (have)
				remove_from_rxmt_lists(o, &cur);
			struct ospf_lsa *l = ospf_lsdb_install(db, raw.data, raw.len, now);
			if (!l)
				continue;
			l->originated = originated;
			l->flooded = !requested;
			bool back = flood(o, l, n, ifp->cfg.area, now);
			if (!back)
				ospf_hdr_list_add(&acks, h);
			if (changed)
				schedule_spf(o, now);
			l->stale_self = is_self_originated(o, h);
			if (l->stale_self)
				schedule_originate(o); /* §13.4: a newer instance of our own LSA */
			continue;
		}
		/* step 6: on the request list: BadLSReq */
		if (ospf_hdr_list_find(&n->request, h->type, h->id, h->adv_router) >= 0) {
			nbr_set_state(o, n, OSPF_NBR_EXSTART, "BadLSReq", now);
			start_exstart(o, n, now);
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
		struct ospf_lsa **v = realloc(reply, (reply_n + 1) * sizeof(*v));
		if (v) {
			reply = v;
			reply[reply_n++] = have;
		}
	}
	if (acks.n)
		send_ack(o, n, acks.v, acks.n);
	if (reply_n)
		send_lsas(o, ifp, n->addr, reply, reply_n, now);
	free(reply);
	ospf_hdr_list_clear(&acks);
	/* requests satisfied by this update */
	for (size_t i = 0; i < n->request.n;) {
		struct ospf_lsa_header *rq = &n->request.v[i];
		struct ospf_lsdb *db = db_for(o, ifp->cfg.area, rq->type);
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
	if (n->state >= OSPF_NBR_EXCHANGE && n->request.n == 0)
		n->lsr_rxmt = 0;
	else if (n->request.n)
		send_lsr(o, n, now);
	check_loading_done(o, n, now);
}

static void recv_lsr(struct ospf *o, struct ospf_nbr *n, struct reader body, uint64_t now)
{
	if (n->state < OSPF_NBR_EXCHANGE)
		return;
	struct ospf_lsa **v = NULL;
	size_t count = 0;
	struct ospf_lsr_entry e;
	bool bad = false;
	while (ospf_lsr_next(&body, &e)) {
		struct ospf_lsdb *db = db_for(o, n->ifp->cfg.area, (uint8_t)e.type);
		struct ospf_lsa *l = (db && e.type <= 255) ? ospf_lsdb_find(db, (uint8_t)e.type, e.id, e.adv_router)
							   : NULL;
		if (!l) {
			bad = true;
			break;
		}
		struct ospf_lsa **nv = realloc(v, (count + 1) * sizeof(*nv));
		if (!nv)
			break;
		v = nv;
		v[count++] = l;
	}
	if (!reader_ok(&body))
		drop(o, n->ifp, OSPF_DROP_WIRE_FIRST + OSPF_WIRE_TRUNCATED);
	if (bad) {
		free(v);
		nbr_set_state(o, n, OSPF_NBR_EXSTART, "BadLSReq", now);
		start_exstart(o, n, now);
		return;
	}
	if (count)
		send_lsas(o, n->ifp, n->addr, v, count, now);
	free(v);
}

static void recv_ack(struct ospf *o, struct ospf_nbr *n, struct reader body, uint64_t now)
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
		struct ospf_lsdb *db = db_for(o, n->ifp->cfg.area, h.type);
		struct ospf_lsa *have = db ? ospf_lsdb_find(db, h.type, h.id, h.adv_router) : NULL;
		struct ospf_lsa_header cur = have ? ospf_lsa_current(have, now) : n->rxmt.v[at];
		if (!have || ospf_lsa_compare(&h, &cur) == 0)
			ospf_hdr_list_remove_at(&n->rxmt, (size_t)at);
	}
	if (!n->rxmt.n)
		n->lsu_rxmt = 0;
}

/* ---- hello (§10.5) ---- */

static void recv_hello(struct ospf *o, struct ospf_if *ifp, const struct ospf_header *hdr, uint32_t src,
		       struct reader body, uint64_t now)
{
	struct ospf_hello h; /* filled by the decoder */
	enum ospf_wire_error e = ospf_hello_decode(body, &h);
	if (e) {
		drop(o, ifp, (enum ospf_drop)(OSPF_DROP_WIRE_FIRST + e));
		return;
	}
	if (ifp->cfg.type == OSPF_IF_BROADCAST && h.mask != mask_of(ifp->cfg.prefixlen)) {
		drop(o, ifp, OSPF_DROP_MASK_MISMATCH);
		return;
	}
	if (h.hello_interval != ifp->cfg.hello_interval) {
		drop(o, ifp, OSPF_DROP_HELLO_MISMATCH);
		return;
	}
	if (h.dead_interval != ifp->cfg.dead_interval) {
		drop(o, ifp, OSPF_DROP_DEAD_MISMATCH);
		return;
	}
	if ((h.options & OSPF_OPT_E) != (my_options() & OSPF_OPT_E)) {
		drop(o, ifp, OSPF_DROP_OPTIONS_MISMATCH);
		return;
	}
	struct ospf_nbr *n = ifp->cfg.type == OSPF_IF_P2P ? ospf_nbr_by_rid(ifp, hdr->router_id) : nbr_by_addr(ifp, src);
	if (n && n->rid != hdr->router_id) {
		/* another router behind the same address: the old neighbour is gone */
		nbr_destroy(o, n, "RouterIdChanged", now);
		n = NULL;
	}
	if (!n) {
		n = calloc(1, sizeof(*n));
		if (!n)
			return;
		struct ospf_nbr **v = realloc(ifp->nbrs, (ifp->nbr_count + 1) * sizeof(*v));
		if (!v) {
			free(n);
			return;
		}
		ifp->nbrs = v;
		ifp->nbrs[ifp->nbr_count++] = n;
		n->ifp = ifp;
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
	n->inactivity = now + dead_ms(ifp);
	if (n->state == OSPF_NBR_DOWN)
		nbr_set_state(o, n, OSPF_NBR_INIT, "HelloReceived", now);
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
			nbr_set_state(o, n, OSPF_NBR_INIT, "1-WayReceived", now);
		return;
	}
	if (n->state == OSPF_NBR_INIT) {
		if (ifp->cfg.type == OSPF_IF_BROADCAST && ifp->state >= OSPF_IFS_DROTHER) {
			nbr_set_state(o, n, OSPF_NBR_2WAY, "2-WayReceived", now);
			/* the election may make us or it DR/BDR: AdjOK? decides */
			if (n->state == OSPF_NBR_2WAY && adjacency_wanted(n))
				start_exstart(o, n, now);
		} else if (ifp->cfg.type == OSPF_IF_BROADCAST) {
			nbr_set_state(o, n, OSPF_NBR_2WAY, "2-WayReceived", now); /* Waiting: no DR yet */
		} else {
			start_exstart(o, n, now);
		}
	}
	if (ifp->cfg.type != OSPF_IF_BROADCAST)
		return;
	/* §10.5: BackupSeen and NeighborChange */
	if (ifp->state == OSPF_IFS_WAITING) {
		if ((h.bdr == src) || (h.dr == src && h.bdr == 0)) {
			wait_over(o, ifp, true, now);
			return;
		}
	}
	bool change = old_priority != h.priority || ((old_dr == src) != (h.dr == src)) ||
		      ((old_bdr == src) != (h.bdr == src));
	if (change && ifp->state >= OSPF_IFS_DROTHER)
		election(o, ifp, now);
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
		drop(o, ifp, (enum ospf_drop)(OSPF_DROP_WIRE_FIRST + e));
		return;
	}
	if (ifp->cfg.passive || ifp->state == OSPF_IFS_DOWN || ifp->state == OSPF_IFS_LOOPBACK) {
		drop(o, ifp, OSPF_DROP_PASSIVE);
		return;
	}
	if (h.router_id == o->opt.router_id) {
		drop(o, ifp, OSPF_DROP_OWN);
		return;
	}
	if (h.area_id != ifp->cfg.area) {
		drop(o, ifp, OSPF_DROP_AREA_MISMATCH);
		return;
	}
	if (dst == OSPF_ALL_D_ROUTERS && ifp->state != OSPF_IFS_DR && ifp->state != OSPF_IFS_BACKUP) {
		drop(o, ifp, OSPF_DROP_ALLDROUTERS);
		return;
	}
	if (ifp->cfg.type == OSPF_IF_BROADCAST &&
	    (src & mask_of(ifp->cfg.prefixlen)) != (ifp->cfg.addr & mask_of(ifp->cfg.prefixlen))) {
		drop(o, ifp, OSPF_DROP_WRONG_SUBNET);
		return;
	}
	e = ospf_packet_auth_check(pkt, len, &h, &ifp->cfg.auth);
	if (e) {
		drop(o, ifp, (enum ospf_drop)(OSPF_DROP_WIRE_FIRST + e));
		return;
	}
	struct ospf_nbr *n = ifp->cfg.type == OSPF_IF_P2P ? ospf_nbr_by_rid(ifp, h.router_id) : nbr_by_addr(ifp, src);
	if (n && h.auth_type == OSPF_AUTH_CRYPTO) {
		if (n->have_crypto_seq && h.crypto_seq < n->crypto_seq) {
			drop(o, ifp, OSPF_DROP_CRYPTO_SEQ);
			return;
		}
		n->crypto_seq = h.crypto_seq;
		n->have_crypto_seq = true;
	}
	ifp->rx[h.type]++;
	if (h.type == OSPF_HELLO) {
		recv_hello(o, ifp, &h, src, body, now);
		return;
	}
	if (!n || n->rid != h.router_id) {
		drop(o, ifp, OSPF_DROP_UNKNOWN_NEIGHBOR);
		return;
	}
	switch (h.type) {
	case OSPF_DD:
		recv_dd(o, n, body, now);
		break;
	case OSPF_LSR:
		recv_lsr(o, n, body, now);
		break;
	case OSPF_LSU:
		recv_lsu(o, n, body, now);
		break;
	case OSPF_LSACK:
		recv_ack(o, n, body, now);
		break;
	default:
		break;
	}
}

/* ---- origination (§12.4) ---- */

static size_t build_router_lsa(struct ospf *o, uint32_t area, uint8_t *buf, size_t cap)
{
	struct writer w = writer_make(buf, cap);
	struct ospf_lsa_header h = { .age = 0, .options = my_options(), .type = OSPF_LSA_ROUTER,
				     .id = o->opt.router_id, .adv_router = o->opt.router_id, .seq = 0 };
	size_t start = ospf_lsa_begin(&w, &h);
	writer_u8(&w, (uint8_t)((o->opt.asbr ? OSPF_ROUTER_E : 0) | (ospf_is_abr(o) ? OSPF_ROUTER_B : 0)));
	writer_u8(&w, 0);
	size_t count_at = writer_reserve(&w, 2);
	uint16_t links = 0;
	for (size_t i = 0; i < o->if_count; i++) {
		struct ospf_if *ifp = o->ifs[i];
		if (ifp->cfg.area != area || ifp->state == OSPF_IFS_DOWN)
			continue;
		uint32_t mask = mask_of(ifp->cfg.prefixlen);
		struct ospf_router_link l = { 0 };
		if (ifp->state == OSPF_IFS_LOOPBACK) {
			/* §12.4.1.1: a host route to the loopback address */
			l = (struct ospf_router_link){ ifp->cfg.addr, UINT32_MAX, OSPF_LINK_STUB, 0, ifp->cfg.cost };
			ospf_router_link_write(&w, &l);
			links++;
			continue;
		}
		if (ifp->cfg.type == OSPF_IF_P2P && !ifp->cfg.passive) {
			for (size_t j = 0; j < ifp->nbr_count; j++) {
				struct ospf_nbr *n = ifp->nbrs[j];
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
				for (size_t j = 0; j < ifp->nbr_count; j++)
					if (ifp->nbrs[j]->state == OSPF_NBR_FULL)
						transit = true;
			} else {
				struct ospf_nbr *dr = nbr_by_addr(ifp, ifp->dr);
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
	struct ospf_lsa_header h = { .options = my_options(), .type = OSPF_LSA_NETWORK, .id = ifp->cfg.addr,
				     .adv_router = o->opt.router_id };
	size_t start = ospf_lsa_begin(&w, &h);
	writer_u32(&w, mask_of(ifp->cfg.prefixlen));
	writer_u32(&w, o->opt.router_id);
	for (size_t j = 0; j < ifp->nbr_count; j++)
		if (ifp->nbrs[j]->state == OSPF_NBR_FULL)
			writer_u32(&w, ifp->nbrs[j]->rid);
	ospf_lsa_end(&w, start);
	return writer_ok(&w) ? w.len : 0;
}

/* Appendix E: the link state ID of a prefix that shares its network address with a shorter
 * prefix of the same set gets its host bits set (10.0.0.0/16 beside 10.0.0.0/8 is 10.0.255.255),
 * so both have an LSA of their own. `shorter` says whether such a prefix exists. */
static uint32_t prefix_lsid(uint32_t prefix, uint8_t len, bool shorter)
{
	uint32_t net = prefix & mask_of(len);
	return shorter ? net | ~mask_of(len) : net;
}

static uint32_t external_lsid(const struct ospf *o, const struct ospf_external *x)
{
	uint32_t net = x->prefix & mask_of(x->len);
	bool shorter = false;
	for (size_t i = 0; i < o->external_count; i++) {
		const struct ospf_external *y = &o->externals[i];
		if (y->len < x->len && (y->prefix & mask_of(y->len)) == net)
			shorter = true;
	}
	return prefix_lsid(x->prefix, x->len, shorter);
}

static uint32_t summary_lsid(const struct ospf *o, const struct ospf_route *r)
{
	bool shorter = false;
	for (size_t i = 0; i < o->routes.n; i++) {
		const struct ospf_route *y = &o->routes.v[i];
		if (y->len < r->len && y->prefix == r->prefix)
			shorter = true;
	}
	return prefix_lsid(r->prefix, r->len, shorter);
}

static size_t build_external_lsa(struct ospf *o, const struct ospf_external *x, uint8_t *buf, size_t cap)
{
	struct writer w = writer_make(buf, cap);
	struct ospf_lsa_header h = { .options = my_options(), .type = OSPF_LSA_EXTERNAL,
				     .id = external_lsid(o, x), .adv_router = o->opt.router_id };
	size_t start = ospf_lsa_begin(&w, &h);
	writer_u32(&w, mask_of(x->len));
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
	struct ospf_lsa_header h = { .options = my_options(), .type = type, .id = id, .adv_router = o->opt.router_id };
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
		for (size_t i = 0; i < o->spf_router_count; i++) {
			const struct ospf_spf_router *r = &o->spf_routers[i];
			if (r->rid == l->h.id && (r->flags & OSPF_ROUTER_E) && !r->inter && r->area != area)
				return true;
		}
		return false;
	}
	for (size_t i = 0; i < o->routes.n; i++) {
		const struct ospf_route *r = &o->routes.v[i];
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
	struct ospf_lsdb *db = db_for(o, area, h.type);
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
		remove_from_rxmt_lists(o, &have->h);
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
	flood(o, l, NULL, area, now);
	schedule_spf(o, now);
	return true;
}

static void flush(struct ospf *o, struct ospf_lsa *l, uint32_t area, uint64_t now)
{
	if (ospf_lsa_age(l, now) >= OSPF_MAX_AGE)
		return;
	remove_from_rxmt_lists(o, &l->h);
	l->data[0] = (uint8_t)(OSPF_MAX_AGE >> 8);
	l->data[1] = (uint8_t)OSPF_MAX_AGE;
	l->h.age = OSPF_MAX_AGE;
	l->installed = now;
	flood(o, l, NULL, area, now);
	schedule_spf(o, now);
}

static bool network_lsa_wanted(const struct ospf *o, const struct ospf_lsa *l, uint32_t area)
{
	struct ospf_if *ifp = ospf_if_by_addr(o, l->h.id);
	if (!ifp || ifp->cfg.area != area || ifp->state != OSPF_IFS_DR || ifp->cfg.passive ||
	    l->h.adv_router != o->opt.router_id)
		return false;
	for (size_t j = 0; j < ifp->nbr_count; j++)
		if (ifp->nbrs[j]->state == OSPF_NBR_FULL)
			return true;
	return false;
}

static bool external_wanted(const struct ospf *o, const struct ospf_lsa *l)
{
	for (size_t i = 0; i < o->external_count; i++)
		if (external_lsid(o, &o->externals[i]) == l->h.id)
			return true;
	return false;
}

static void originate_all(struct ospf *o, uint64_t now)
{
	o->originate_dirty = false;
	o->originate_at = 0;
	uint8_t buf[OSPF_PACKET_MAX];
	for (size_t a = 0; a < o->area_count; a++) {
		uint32_t area = o->areas[a].id;
		bool has_if = false;
		for (size_t i = 0; i < o->if_count; i++)
			if (o->ifs[i]->cfg.area == area)
				has_if = true;
		if (has_if) {
			size_t len = build_router_lsa(o, area, buf, sizeof(buf));
			if (len)
				originate(o, area, buf, len, now);
		}
		for (size_t i = 0; i < o->if_count; i++) {
			struct ospf_if *ifp = o->ifs[i];
			if (ifp->cfg.area != area || ifp->state != OSPF_IFS_DR || ifp->cfg.passive)
				continue;
			bool full = false;
			for (size_t j = 0; j < ifp->nbr_count; j++)
				if (ifp->nbrs[j]->state == OSPF_NBR_FULL)
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
			for (size_t i = 0; i < o->routes.n; i++) {
				const struct ospf_route *r = &o->routes.v[i];
				if (r->area == area)
					continue;
				if (r->info.type != OSPF_ROUTE_INTRA &&
				    !(r->info.type == OSPF_ROUTE_INTER && r->area == 0 && area != 0))
					continue;
				size_t len = build_summary_lsa(o, OSPF_LSA_SUMMARY_NET, summary_lsid(o, r), mask_of(r->len),
							       r->info.cost, buf, sizeof(buf));
				if (len)
					originate(o, area, buf, len, now);
			}
			for (size_t i = 0; i < o->spf_router_count; i++) {
				const struct ospf_spf_router *r = &o->spf_routers[i];
				if (!(r->flags & OSPF_ROUTER_E) || r->inter || r->area == area)
					continue;
				size_t len = build_summary_lsa(o, OSPF_LSA_SUMMARY_ASBR, r->rid, 0, r->dist, buf, sizeof(buf));
				if (len)
					originate(o, area, buf, len, now);
			}
		}
		/* self-originated LSAs that are no longer wanted (§14.1 premature ageing) */
		struct ospf_lsdb *db = &o->areas[a].db;
		for (size_t i = 0; i < db->n; i++) {
			struct ospf_lsa *l = db->v[i];
			if (!is_self_originated(o, &l->h))
				continue;
			bool wanted = l->h.type == OSPF_LSA_ROUTER ? (l->h.id == o->opt.router_id && has_if)
				      : l->h.type == OSPF_LSA_NETWORK ? network_lsa_wanted(o, l, area)
								     : summary_wanted(o, l, area);
			if (!wanted)
				flush(o, l, area, now);
		}
	}
	for (size_t i = 0; i < o->external_count; i++) {
		size_t len = build_external_lsa(o, &o->externals[i], buf, sizeof(buf));
		if (len)
			originate(o, 0, buf, len, now);
	}
	for (size_t i = 0; i < o->external.n; i++) {
		struct ospf_lsa *l = o->external.v[i];
		if (l->h.adv_router == o->opt.router_id && !external_wanted(o, l))
			flush(o, l, 0, now);
	}
}

void ospf_set_externals(struct ospf *o, const struct ospf_external *ext, size_t count, bool asbr, uint64_t now)
{
	struct ospf_external *copy = count ? malloc(count * sizeof(*copy)) : NULL;
	if (count && !copy)
		return;
	if (count)
		memcpy(copy, ext, count * sizeof(*copy));
	free(o->externals);
	o->externals = copy;
	o->external_count = count;
	o->opt.asbr = asbr;
	/* the LSAs that change schedule SPF; ternd calls this on every change of the core table */
	schedule_originate(o);
	(void)now;
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

static void retransmit(struct ospf *o, struct ospf_nbr *n, uint64_t now)
{
	struct ospf_lsa **v = calloc(n->rxmt.n ? n->rxmt.n : 1, sizeof(*v));
	if (!v)
		return;
	size_t count = 0;
	for (size_t i = 0; i < n->rxmt.n;) {
		struct ospf_lsa_header *h = &n->rxmt.v[i];
		struct ospf_lsdb *db = db_for(o, n->ifp->cfg.area, h->type);
		struct ospf_lsa *l = db ? ospf_lsdb_find(db, h->type, h->id, h->adv_router) : NULL;
		if (!l) {
			ospf_hdr_list_remove_at(&n->rxmt, i);
			continue;
		}
		v[count++] = l;
		i++;
	}
	if (count)
		send_lsas(o, n->ifp, n->addr, v, count, now);
	free(v);
	n->lsu_rxmt = n->rxmt.n ? now + OSPF_RXMT_INTERVAL_MS : 0;
}

/* MaxAge LSAs leave the database once nobody still needs them (§14). */
static void sweep_maxage(struct ospf *o, uint64_t now)
{
	if (any_exchanging(o))
		return;
	struct ospf_lsdb *dbs[17];
	size_t ndb = 0;
	for (size_t a = 0; a < o->area_count && ndb < 16; a++)
		dbs[ndb++] = &o->areas[a].db;
	dbs[ndb++] = &o->external;
	for (size_t d = 0; d < ndb; d++) {
		for (size_t i = 0; i < dbs[d]->n;) {
			struct ospf_lsa *l = dbs[d]->v[i];
			bool listed = false;
			if (ospf_lsa_age(l, now) >= OSPF_MAX_AGE) {
				for (size_t k = 0; k < o->if_count && !listed; k++)
					for (size_t j = 0; j < o->ifs[k]->nbr_count; j++)
						if (ospf_hdr_list_find(&o->ifs[k]->nbrs[j]->rxmt, l->h.type, l->h.id,
								       l->h.adv_router) >= 0)
							listed = true;
				if (!listed) {
					ospf_lsdb_remove(dbs[d], l);
					schedule_spf(o, now);
					continue;
				}
			} else if (l->originated && ospf_lsa_age(l, now) >= OSPF_LS_REFRESH_TIME) {
				schedule_originate(o); /* LSRefreshTime */
			}
			i++;
		}
	}
}

uint64_t ospf_run(struct ospf *o, uint64_t now)
{
	uint64_t next = now + 1000;
	for (size_t i = 0; i < o->if_count; i++) {
		struct ospf_if *ifp = o->ifs[i];
		if (ifp->state == OSPF_IFS_DOWN || ifp->state == OSPF_IFS_LOOPBACK)
			continue;
		if (ifp->wait_timer && now >= ifp->wait_timer)
			wait_over(o, ifp, false, now);
		if (!ifp->cfg.passive && now >= ifp->hello_timer) {
			send_hello(o, ifp);
			ifp->hello_timer = now + ifp->cfg.hello_interval * 1000u;
		}
		if (!ifp->cfg.passive)
			next = earliest(next, ifp->hello_timer);
		next = earliest(next, ifp->wait_timer);
		for (size_t j = 0; j < ifp->nbr_count;) {
			struct ospf_nbr *n = ifp->nbrs[j];
			if (now >= n->inactivity) {
				nbr_destroy(o, n, "InactivityTimer", now);
				continue;
			}
			if (n->dd_rxmt && now >= n->dd_rxmt) {
				if (n->state == OSPF_NBR_EXSTART) {
					send_dd(o, n, now); /* built again: the interface may have changed */
				} else if (n->state == OSPF_NBR_EXCHANGE && n->master) {
					resend_last_dd(o, n);
					n->dd_rxmt = now + OSPF_RXMT_INTERVAL_MS;
				} else {
					n->dd_rxmt = 0;
				}
			}
			if (n->lsr_rxmt && now >= n->lsr_rxmt)
				send_lsr(o, n, now);
			if (n->lsu_rxmt && now >= n->lsu_rxmt)
				retransmit(o, n, now);
			next = earliest(next, n->inactivity);
			next = earliest(next, n->dd_rxmt);
			next = earliest(next, n->lsr_rxmt);
			next = earliest(next, n->lsu_rxmt);
			j++;
		}
	}
	sweep_maxage(o, now);
	if (o->originate_dirty || (o->originate_at && now >= o->originate_at))
		originate_all(o, now);
	next = earliest(next, o->originate_at);
	if (o->spf_at && now >= o->spf_at) {
		o->spf_at = 0;
		o->spf_last = now;
		ospf_spf_run(o, now);
		if (o->originate_dirty)
			originate_all(o, now); /* an ABR's summaries follow the new table */
	}
	next = earliest(next, o->spf_at);
	return next;
}

/* ---- lifecycle ---- */

struct ospf *ospf_create(const struct ospf_callbacks *cb, const struct ospf_options *opt, uint64_t now)
{
	struct ospf *o = calloc(1, sizeof(*o));
	if (!o)
		return NULL;
	o->cb = *cb;
	o->opt = *opt;
	o->crypto_seq = opt->crypto_seq_start;
	(void)now;
	return o;
}

void ospf_destroy(struct ospf *o)
{
	if (!o)
		return;
	for (size_t i = 0; i < o->if_count; i++) {
		struct ospf_if *ifp = o->ifs[i];
		while (ifp->nbr_count) {
			struct ospf_nbr *n = ifp->nbrs[--ifp->nbr_count];
			nbr_clear_lists(n);
			free(n);
		}
		ifp->cfg.passive = true;
		update_membership(o, ifp);
		free(ifp->nbrs);
		free(ifp);
	}
	/* routes leave the table with the process */
	for (size_t i = 0; i < o->routes.n; i++)
		if (!o->routes.v[i].connected && o->routes.v[i].info.nexthop_count)
			o->cb.route(o->cb.ctx, o->routes.v[i].prefix, o->routes.v[i].len, NULL);
	ospf_routes_free(&o->routes);
	free(o->spf_routers);
	free(o->ifs);
	for (size_t a = 0; a < o->area_count; a++)
		ospf_lsdb_free(&o->areas[a].db);
	free(o->areas);
	ospf_lsdb_free(&o->external);
	free(o->externals);
	free(o);
}

void ospf_set_router_id(struct ospf *o, uint32_t router_id, uint64_t now)
{
	if (router_id == o->opt.router_id)
		return;
	/* IOS needs `clear ip ospf process`; Tern restarts at once: every adjacency again,
	 * our old LSAs flushed. */
	for (size_t i = 0; i < o->if_count; i++)
		if_down(o, o->ifs[i], now);
	for (size_t a = 0; a < o->area_count; a++)
		for (size_t i = 0; i < o->areas[a].db.n; i++)
			if (o->areas[a].db.v[i]->h.adv_router == o->opt.router_id)
				flush(o, o->areas[a].db.v[i], o->areas[a].id, now);
	o->opt.router_id = router_id;
	for (size_t i = 0; i < o->if_count; i++)
		if_up(o, o->ifs[i], now);
	schedule_originate(o);
}

uint32_t ospf_router_id(const struct ospf *o)
{
	return o->opt.router_id;
}

/* ---- views ---- */

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
