/*
 * DOC: OSPF interfaces: hellos sent, the interface state machine and the DR election.
 *
 * Interfaces follow the interface state machine of RFC 2328 §9.3: a loopback is in state
 * Loopback and announces its address as a host route (§12.4.1.1 option 1); a point-to-point
 * interface goes straight to Point-to-point; a broadcast interface with a priority waits
 * (Waiting, the Wait timer = the dead interval) unless BackupSeen ends the wait early, then
 * elects the DR and BDR (§9.4) and becomes DR, Backup or DROther. Passive interfaces send and
 * accept nothing but are announced as stub networks.
 */
#include "ospf/internal.h"

#include <stdlib.h>
#include <string.h>

#include "lib/memory.h"

void ospf_if_send_hello(struct ospf *o, struct ospf_if *ifp)
{
	struct ospf_hello h; /* about 2 KB, on the stack: the core keeps no static state */
	memset(&h, 0, sizeof(h));
	h.mask = ifp->cfg.type == OSPF_IF_P2P ? 0 : ospf_mask_of(ifp->cfg.prefixlen);
	h.hello_interval = ifp->cfg.hello_interval;
	h.options = ospf_my_options();
	h.priority = ifp->cfg.priority;
	h.dead_interval = ifp->cfg.dead_interval;
	h.dr = ifp->dr;
	h.bdr = ifp->bdr;
	for (size_t i = 0; i < ifp->nbrs.count && h.neighbor_count < OSPF_HELLO_NEIGHBORS_MAX; i++)
		if (ospf_nbrs(ifp)[i]->state >= OSPF_NBR_INIT)
			h.neighbors[h.neighbor_count++] = ospf_nbrs(ifp)[i]->rid;
	struct writer w = ospf_out_begin(o, ifp, OSPF_HELLO);
	ospf_hello_encode(&w, &h);
	ospf_out_send(o, ifp, &w, OSPF_ALL_SPF_ROUTERS);
}

void ospf_if_update_membership(struct ospf *o, struct ospf_if *ifp)
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
	ospf_if_update_membership(o, ifp);
	ospf_schedule_originate(o);
	/* SPF looks at an interface only for being down (its own networks); any other change
	 * (the election after Waiting) reaches it through the LSAs it changes. An SPF run for
	 * nothing would make the change that matters, a moment later, wait out the hold time. */
	if (from == OSPF_IFS_DOWN || s == OSPF_IFS_DOWN)
		ospf_schedule_spf(o, now);
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

void ospf_if_election(struct ospf *o, struct ospf_if *ifp, uint64_t now)
{
	if (ifp->cfg.type != OSPF_IF_BROADCAST || ifp->state < OSPF_IFS_DROTHER)
		return;
	size_t max = ifp->nbrs.count + 1, n = 0;
	struct candidate *c = memory_calloc(MEMORY_OSPF, max, sizeof(*c));
	if (!c)
		return;
	uint32_t me = ifp->cfg.addr;
	size_t self = SIZE_MAX;
	if (ifp->cfg.priority > 0) {
		self = n;
		c[n++] = (struct candidate){ o->opt.router_id, me, ifp->cfg.priority, ifp->dr, ifp->bdr };
	}
	for (size_t i = 0; i < ifp->nbrs.count; i++) {
		struct ospf_nbr *nb = ospf_nbrs(ifp)[i];
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
	memory_free(MEMORY_OSPF, c);
	ifp->dr = dr;
	ifp->bdr = bdr;
	enum ospf_if_state s = dr == me ? OSPF_IFS_DR : bdr == me ? OSPF_IFS_BACKUP : OSPF_IFS_DROTHER;
	if_set_state(o, ifp, s, now);
	if (old_dr != dr || old_bdr != bdr) {
		ospf_adj_ok(o, ifp, now);
		ospf_schedule_originate(o);
		/* let the neighbours know at once rather than at the next hello */
		ospf_if_send_hello(o, ifp);
	}
}

void ospf_if_up(struct ospf *o, struct ospf_if *ifp, uint64_t now)
{
	ospf_area_get(o, ifp->cfg.area);
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
		ifp->wait_timer = now + ospf_if_dead_ms(ifp);
	}
}

void ospf_if_down(struct ospf *o, struct ospf_if *ifp, uint64_t now)
{
	while (ifp->nbrs.count)
		ospf_nbr_destroy(o, ospf_nbrs(ifp)[ifp->nbrs.count - 1], "InterfaceDown", now);
	ifp->dr = ifp->bdr = 0;
	ifp->wait_timer = 0;
	if_set_state(o, ifp, OSPF_IFS_DOWN, now);
}

/* §9.3 WaitTimer or BackupSeen: the end of Waiting, then the election. */
void ospf_if_wait_over(struct ospf *o, struct ospf_if *ifp, bool backup_seen, uint64_t now)
{
	ifp->wait_timer = 0;
	if (ifp->state != OSPF_IFS_WAITING)
		return;
	ifp->wait_ended = now;
	ifp->wait_backup_seen = backup_seen;
	ifp->state = OSPF_IFS_DROTHER; /* ospf_if_election() sets the real one */
	ospf_if_election(o, ifp, now);
	ospf_if_update_membership(o, ifp);
}

/* Does the interface have to go down and up? When the kernel's facts about it differ, or a
 * setting compared (`changed`: enum ospf_if_settings) differs on it: a change of network
 * statements restarts the interfaces whose area they change, no others. */
static bool if_config_restarts(const struct ospf_if_config *a, const struct ospf_if_config *b, unsigned changed)
{
	if (a->addr != b->addr || a->prefixlen != b->prefixlen || a->up != b->up || a->mtu != b->mtu)
		return true;
	if ((changed & OSPF_IF_SETTING_AREA) && a->area != b->area)
		return true;
	if ((changed & OSPF_IF_SETTING_PASSIVE) && a->passive != b->passive)
		return true;
	if ((changed & OSPF_IF_SETTING_AUTH) && memcmp(&a->auth, &b->auth, sizeof(a->auth)) != 0)
		return true;
	return (changed & OSPF_IF_SETTING_HELLO) &&
	       (a->type != b->type || a->hello_interval != b->hello_interval || a->dead_interval != b->dead_interval);
}

void ospf_set_interfaces(struct ospf *o, const struct ospf_if_config *cfgs, size_t count, uint64_t now)
{
	ospf_reconfigure_interfaces(o, cfgs, NULL, count, OSPF_IF_SETTING_ALL, now);
}

void ospf_reconfigure_interfaces(struct ospf *o, const struct ospf_if_config *cfgs, const unsigned *named,
                                 size_t count, unsigned changed, uint64_t now)
{
	/* interfaces that went away */
	for (size_t i = 0; i < o->ifs.count;) {
		struct ospf_if *ifp = ospf_ifs(o)[i];
		bool keep = false;
		for (size_t j = 0; j < count; j++)
			if (cfgs[j].ifindex == ifp->cfg.ifindex && cfgs[j].addr == ifp->cfg.addr)
				keep = true;
		if (keep) {
			i++;
			continue;
		}
		ospf_if_down(o, ifp, now);
		ifp->cfg.passive = true;
		ospf_if_update_membership(o, ifp);
		array_free(&ifp->nbrs);
		memory_free(MEMORY_OSPF, ifp);
		ospf_ifs(o)[i] = ospf_ifs(o)[--o->ifs.count];
	}
	for (size_t j = 0; j < count; j++) {
		struct ospf_if *ifp = NULL;
		for (size_t i = 0; i < o->ifs.count; i++)
			if (ospf_ifs(o)[i]->cfg.ifindex == cfgs[j].ifindex && ospf_ifs(o)[i]->cfg.addr == cfgs[j].addr)
				ifp = ospf_ifs(o)[i];
		if (ifp) {
			/* a new cost is originated below, with every interface's */
			unsigned said = named ? named[j] : 0;
			unsigned compared = said & OSPF_IF_NAMED_ANEW ? OSPF_IF_SETTING_ALL : changed;
			bool restart = (said & OSPF_IF_NAMED_RESTART) || if_config_restarts(&ifp->cfg, &cfgs[j], compared);
			bool reelect = (said & OSPF_IF_NAMED_REELECT) ||
			               ((compared & OSPF_IF_SETTING_PRIORITY) && ifp->cfg.priority != cfgs[j].priority);
			if (restart)
				ospf_if_down(o, ifp, now);
			ifp->cfg = cfgs[j];
			if (restart)
				ospf_if_up(o, ifp, now);
			else if (reelect)
				ospf_if_election(o, ifp, now);
			continue;
		}
		if (array_reserve(&o->ifs, 1) != ARRAY_OK)
			break; /* out of memory: the rest stay down; what changed is originated */
		ifp = memory_calloc(MEMORY_OSPF, 1, sizeof(*ifp));
		if (!ifp)
			break;
		ifp->cfg = cfgs[j];
		array_init(&ifp->nbrs, MEMORY_OSPF, sizeof(struct ospf_nbr *), OSPF_NBRS_MAX);
		*(struct ospf_if **)array_push(&o->ifs) = ifp;
		ospf_if_up(o, ifp, now);
	}
	ospf_schedule_originate(o);
	ospf_schedule_spf(o, now);
}
