/*
 * DOC: the OSPF engine's own structures and the functions its files call in one another.
 * ospf.c: packet input (§8.2), timers, lifecycle, and the helpers below; interface.c: the
 * interface state machine and the DR election (§9); neighbor.c: the neighbour state machine,
 * hellos received and the database exchange (§10); flood.c: flooding, requests,
 * acknowledgements and retransmission (§13); originate.c: the LSAs this router originates
 * (§12.4) and their flushing (§14.1); lsdb.c: the database; spf.c: the routing table
 * calculation (§16); view.c: read-only views for `show`. Nothing outside src/ospf includes this.
 */
#ifndef TERN_OSPF_INTERNAL_H
#define TERN_OSPF_INTERNAL_H

#include "lib/array.h"
#include "lib/hash_table.h"
#include "ospf/ospf.h"

#define OSPF_RXMT_INTERVAL_MS 5000   /* RxmtInterval (§C.3) */
#define OSPF_INF_TRANS_DELAY 1       /* InfTransDelay, seconds */
#define OSPF_PACKET_MAX 65535

/* Caps (STYLE.md "caps everywhere"): far above any real area, low enough that a peer that
 * floods without end meets a refusal, which is logged, before the daemon runs out of memory. */
#define OSPF_LSDB_MAX 262144         /* LSAs in one database (an area's, or the AS-external one) */
#define OSPF_HDR_LIST_MAX OSPF_LSDB_MAX /* headers in one neighbour list: at most a database */
#define OSPF_ROUTES_MAX 262144       /* routing table entries */
#define OSPF_AREAS_MAX 1024
#define OSPF_NBRS_MAX 1024           /* neighbours on one interface */

struct ospf_lsa_key {
	uint8_t type;
	uint32_t id;
	uint32_t adv_router;
};

struct ospf_lsa {
	struct ospf_lsa_header h;   /* h.age: the age when installed */
	uint8_t *data;              /* the whole LSA as received or built */
	size_t len;
	uint64_t installed;         /* ms; the age grows from here */
	uint64_t originated;        /* self-originated: when we last built it (MinLSInterval) */
	bool flooded;               /* installed from a flood, not as the answer to our request:
	                               only such a copy holds MinLSArrival (§13 step 5a) */
	bool stale_self;            /* a newer instance of our own LSA came from a neighbour:
	                               originate past it (§13.4) */
};

struct ospf_lsdb {
	struct array lsas; /* of struct ospf_lsa *, in no order */
};

static inline size_t ospf_lsdb_count(const struct ospf_lsdb *db)
{
	return db->lsas.count;
}

static inline struct ospf_lsa *ospf_lsdb_at(const struct ospf_lsdb *db, size_t i)
{
	return ((struct ospf_lsa *const *)db->lsas.items)[i];
}

struct ospf_hdr_list {
	struct array headers; /* of struct ospf_lsa_header */
};

static inline size_t ospf_hdr_list_count(const struct ospf_hdr_list *l)
{
	return l->headers.count;
}

static inline struct ospf_lsa_header *ospf_hdr_list_at(const struct ospf_hdr_list *l, size_t i)
{
	return array_at(&l->headers, i);
}

struct ospf_area {
	uint32_t id;
	struct ospf_lsdb db;
};

struct ospf_if;

struct ospf_nbr {
	struct ospf_if *ifp;
	uint32_t rid, addr;
	uint8_t priority, options;
	uint32_t dr, bdr;           /* as its hellos declare them (interface addresses) */
	enum ospf_nbr_state state;
	uint64_t inactivity;        /* deadline */
	bool master;                /* we are master of the exchange */
	uint32_t dd_seq;
	bool have_last_rx;
	uint8_t last_rx_flags, last_rx_options;
	uint32_t last_rx_seq;
	uint8_t *last_tx;           /* the last DD sent (for retransmission) */
	size_t last_tx_len;
	bool last_tx_more;          /* the M bit of the last DD sent */
	size_t last_tx_count;       /* summary headers in it */
	uint64_t dd_rxmt;           /* deadline, 0 = none */
	uint64_t lsr_rxmt;
	uint64_t lsu_rxmt;
	struct ospf_hdr_list summary;
	size_t summary_pos;
	struct ospf_hdr_list request;
	struct ospf_hdr_list rxmt;  /* LSA instances flooded and not yet acknowledged */
	uint32_t crypto_seq;
	bool have_crypto_seq;
	uint64_t full_since;
	uint32_t state_changes;
};

struct ospf_if {
	struct ospf_if_config cfg;
	enum ospf_if_state state;
	uint32_t dr, bdr;           /* interface addresses; 0 = none */
	uint64_t hello_timer, wait_timer;
	uint64_t wait_ended;        /* when Waiting last ended (0: never waited) */
	bool wait_backup_seen;      /* ... by BackupSeen rather than the Wait timer */
	struct array nbrs;           /* of struct ospf_nbr *, at most OSPF_NBRS_MAX */
	bool joined_spf, joined_dr;
	uint64_t rx[6], tx[6];
	uint64_t drops[OSPF_DROP_COUNT];
	enum ospf_drop last_drop;
	bool has_last_drop;
};

/* SPF builds and compares these by the thousand on every run: the prefix stays a host-order
 * IPv4 value here (OSPFv2 is IPv4 only); it becomes a struct prefix where it leaves the
 * protocol (ospf_callbacks.route). */
struct ospf_route {
	uint32_t prefix;
	uint8_t len;
	struct ospf_route_info info;
	uint32_t type2_cost;        /* E2: cost to the ASBR, to break ties */
	uint32_t area;              /* intra- and inter-area routes: the area of the path */
	bool connected;             /* a network of this router: summarised, never installed */
};

/* A router the SPF reached (for AS-external routes and ASBR summaries), per area. */
struct ospf_spf_router {
	uint32_t area, rid, dist;
	uint8_t flags;              /* router LSA B and E bits (E also from an ASBR summary) */
	bool inter;                 /* reached through a type-4 summary */
	uint8_t nh_count;
	struct ospf_nexthop nh[OSPF_NEXTHOPS_MAX];
};

struct ospf_route_table {
	struct array routes; /* of struct ospf_route */
};

static inline size_t ospf_routes_count(const struct ospf_route_table *t)
{
	return t->routes.count;
}

static inline struct ospf_route *ospf_routes_at(const struct ospf_route_table *t, size_t i)
{
	return array_at(&t->routes, i);
}

struct ospf {
	struct ospf_callbacks cb;
	struct ospf_options opt;
	struct array ifs;                /* of struct ospf_if *, at most OSPF_INTERFACES_MAX */
	struct array areas;              /* of struct ospf_area, at most OSPF_AREAS_MAX */
	struct ospf_lsdb external;
	struct hash_table externals;     /* of struct ospf_external_entry, by prefix (externals.c) */
	struct array externals_changed;  /* of uint32_t: network addresses whose externals changed */
	bool externals_all;              /* every external LSA to look at again (router ID, refresh) */
	bool originate_dirty;
	uint64_t originate_at;      /* deadline of a postponed origination (MinLSInterval) */
	uint64_t spf_at;            /* 0 = none scheduled */
	uint64_t spf_last;
	uint64_t spf_hold;          /* the hold time after spf_last (throttling, see above) */
	struct ospf_route_table routes;
	struct array spf_routers;   /* of struct ospf_spf_router: those the last SPF run reached */
	uint32_t crypto_seq;
	uint32_t rx_src, rx_router_id; /* of the packet being processed (drop reports) */
	uint64_t spf_runs, lsa_originated, lsa_received;
	uint8_t pkt[OSPF_PACKET_MAX];
};

/* lsdb.c */
/* A list at its cap refused an element: says so in the log, the first time and then every
 * 1024th (refusals: the caller's count), so that the daemon says it without flooding the log. */
void ospf_log_cap(const char *what, size_t cap, uint64_t *refusals);
void ospf_lsdb_init(struct ospf_lsdb *db);
struct ospf_lsa *ospf_lsdb_find(const struct ospf_lsdb *db, uint8_t type, uint32_t id, uint32_t adv);
/* Network LSA by link state ID alone (SPF: a transit link names the DR's address). */
struct ospf_lsa *ospf_lsdb_find_network(const struct ospf_lsdb *db, uint32_t id);
/* Installs a copy of raw (len bytes) replacing any instance of the same LSA; returns it, or
 * NULL out of memory or with the database at its cap (logged). */
struct ospf_lsa *ospf_lsdb_install(struct ospf_lsdb *db, const uint8_t *raw, size_t len, uint64_t now);
void ospf_lsdb_remove(struct ospf_lsdb *db, struct ospf_lsa *lsa);
void ospf_lsdb_free(struct ospf_lsdb *db);
uint16_t ospf_lsa_age(const struct ospf_lsa *lsa, uint64_t now);
/* Same body (everything after the 20-byte header)? */
bool ospf_lsa_body_equal(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len);
/* The header with the current age. */
struct ospf_lsa_header ospf_lsa_current(const struct ospf_lsa *lsa, uint64_t now);

void ospf_hdr_list_init(struct ospf_hdr_list *l);
/* Adds h, or replaces the entry for the same LSA; false out of memory or at the cap (logged). */
bool ospf_hdr_list_add(struct ospf_hdr_list *l, const struct ospf_lsa_header *h);
/* Index of the entry for the same LSA (type, id, adv router), or -1. */
long ospf_hdr_list_find(const struct ospf_hdr_list *l, uint8_t type, uint32_t id, uint32_t adv);
void ospf_hdr_list_remove_at(struct ospf_hdr_list *l, size_t i);
/* Empties the list and gives its memory back; it can be used again. */
void ospf_hdr_list_clear(struct ospf_hdr_list *l);

/* externals.c: the set of routes to redistribute, by prefix */
struct ospf_external_entry {
	struct ospf_external x;
	struct ospf_external_entry *hash_next;
};
void ospf_externals_init(struct ospf *o);
void ospf_externals_free(struct ospf *o);
/* The external of exactly this network (host bits zero) and length, or NULL. */
const struct ospf_external *ospf_external_at(const struct ospf *o, uint32_t net, uint8_t len);
/* Every external LSA to be looked at again at the next ospf_run (router ID, LSRefreshTime, a
 * newer instance of one of ours from a neighbour). */
void ospf_schedule_externals(struct ospf *o);

static inline struct ospf_area *ospf_areas(const struct ospf *o)
{
	return o->areas.items;
}

static inline struct ospf_if **ospf_ifs(const struct ospf *o)
{
	return o->ifs.items;
}

static inline struct ospf_nbr **ospf_nbrs(const struct ospf_if *ifp)
{
	return ifp->nbrs.items;
}

/* spf.c */
void ospf_spf_run(struct ospf *o, uint64_t now);
void ospf_routes_init(struct ospf_route_table *t);
void ospf_routes_free(struct ospf_route_table *t);

static inline uint32_t ospf_mask_of(uint8_t len)
{
	return len == 0 ? 0 : len >= 32 ? UINT32_MAX : ~(UINT32_MAX >> len);
}

static inline uint32_t ospf_if_dead_ms(const struct ospf_if *ifp)
{
	return ifp->cfg.dead_interval * 1000u;
}

/* The options this router sets in hellos, DDs and LSAs: E, no stub areas. */
static inline uint8_t ospf_my_options(void)
{
	return OSPF_OPT_E;
}

/* Tells the route callback that r changed (info NULL: it went). */
static inline void ospf_route_report(const struct ospf *o, const struct ospf_route *r,
				     const struct ospf_route_info *info)
{
	struct prefix p = prefix_from_v4(r->prefix, r->len);
	o->cb.route(o->cb.ctx, &p, info);
}

/* ospf.c */
/* Counts a dropped packet under its reason on the interface, and reports it. */
void ospf_rx_drop(struct ospf *o, struct ospf_if *ifp, enum ospf_drop why);
struct ospf_area *ospf_area_find(struct ospf *o, uint32_t id);
/* The area, added if it is new; NULL when out of memory. */
struct ospf_area *ospf_area_get(struct ospf *o, uint32_t id);
/* The database an LSA of this type belongs to: the area's, or the AS-external one. */
struct ospf_lsdb *ospf_db_for(struct ospf *o, uint32_t area, uint8_t type);
/* Attached to two areas or more (§3.3): originates summary LSAs, B bit set. */
bool ospf_is_abr(const struct ospf *o);
struct ospf_if *ospf_if_by_addr(const struct ospf *o, uint32_t addr);
struct ospf_nbr *ospf_nbr_by_rid(const struct ospf_if *ifp, uint32_t rid);
struct ospf_nbr *ospf_nbr_by_addr(const struct ospf_if *ifp, uint32_t addr);
/* A packet of this type for this interface, built in o->pkt; ospf_out_send finishes it
 * (length, checksum or authentication) and hands it to the send callback. */
struct writer ospf_out_begin(struct ospf *o, const struct ospf_if *ifp, uint8_t type);
/* The room for a packet on this interface: MTU minus the IP header and an MD5 digest. */
size_t ospf_out_room(const struct ospf_if *ifp);
void ospf_out_send(struct ospf *o, struct ospf_if *ifp, struct writer *w, uint32_t dst);
/* Origination runs at the next ospf_run; SPF after its delay and hold time. */
void ospf_schedule_originate(struct ospf *o);
void ospf_schedule_spf(struct ospf *o, uint64_t now);

/* interface.c */
void ospf_if_send_hello(struct ospf *o, struct ospf_if *ifp);
/* Joins or leaves AllSPFRouters and AllDRouters as the interface's state wants. */
void ospf_if_update_membership(struct ospf *o, struct ospf_if *ifp);
/* §9.4, on a broadcast interface past Waiting. */
void ospf_if_election(struct ospf *o, struct ospf_if *ifp, uint64_t now);
void ospf_if_up(struct ospf *o, struct ospf_if *ifp, uint64_t now);
void ospf_if_down(struct ospf *o, struct ospf_if *ifp, uint64_t now);
/* §9.3 WaitTimer (backup_seen false) or BackupSeen. */
void ospf_if_wait_over(struct ospf *o, struct ospf_if *ifp, bool backup_seen, uint64_t now);

/* neighbor.c */
void ospf_nbr_clear_lists(struct ospf_nbr *n);
void ospf_nbr_set_state(struct ospf *o, struct ospf_nbr *n, enum ospf_nbr_state to, const char *event,
			uint64_t now);
void ospf_nbr_start_exstart(struct ospf *o, struct ospf_nbr *n, uint64_t now);
/* The neighbour goes Down and is freed. */
void ospf_nbr_destroy(struct ospf *o, struct ospf_nbr *n, const char *event, uint64_t now);
/* §10.3 AdjOK? for every neighbour of the interface. */
void ospf_adj_ok(struct ospf *o, struct ospf_if *ifp, uint64_t now);
void ospf_send_dd(struct ospf *o, struct ospf_nbr *n, uint64_t now);
void ospf_resend_last_dd(struct ospf *o, struct ospf_nbr *n);
void ospf_send_lsr(struct ospf *o, struct ospf_nbr *n, uint64_t now);
void ospf_recv_hello(struct ospf *o, struct ospf_if *ifp, const struct ospf_header *hdr, uint32_t src,
		     struct reader body, uint64_t now);
void ospf_recv_dd(struct ospf *o, struct ospf_nbr *n, struct reader body, uint64_t now);

/* flood.c */
/* Takes the LSA off every neighbour's retransmission list. */
void ospf_rxmt_remove(struct ospf *o, const struct ospf_lsa_header *h);
/* §13.3: floods lsa out of the interfaces of its scope. from: the neighbour it came from (NULL
 * when self-originated). Returns true when it went back out of the receiving interface. */
bool ospf_flood(struct ospf *o, struct ospf_lsa *lsa, struct ospf_nbr *from, uint32_t area, uint64_t now);
bool ospf_is_self_originated(const struct ospf *o, const struct ospf_lsa_header *h);
/* Is any neighbour in Exchange or Loading? */
bool ospf_any_exchanging(const struct ospf *o);
void ospf_recv_lsu(struct ospf *o, struct ospf_nbr *n, struct reader body, uint64_t now);
void ospf_recv_lsr(struct ospf *o, struct ospf_nbr *n, struct reader body, uint64_t now);
void ospf_recv_ack(struct ospf *o, struct ospf_nbr *n, struct reader body, uint64_t now);
/* RxmtInterval is over: the unacknowledged LSAs go out again. */
void ospf_retransmit(struct ospf *o, struct ospf_nbr *n, uint64_t now);

/* originate.c */
/* Reconciles the LSAs this router originates with what it wants now (§12.4). */
void ospf_originate_all(struct ospf *o, uint64_t now);
/* The external LSAs of the network addresses whose externals changed (externals_changed). */
void ospf_originate_externals(struct ospf *o, uint64_t now);
/* §14.1 premature ageing of one of our LSAs. */
void ospf_lsa_flush(struct ospf *o, struct ospf_lsa *l, uint32_t area, uint64_t now);

#endif
