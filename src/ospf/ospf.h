/*
 * DOC: OSPFv2 (RFC 2328), the sans-I/O protocol engine.
 *
 * struct ospf is one OSPF process: its interfaces (with the interface state machine of §9,
 * DR/BDR election of §9.4), their neighbours (the neighbour state machine of §10, database
 * exchange, requests and retransmissions), the link-state database per area with flooding
 * and acknowledgements (§13), origination of the router's own router and network LSAs
 * (§12.4, MinLSInterval, refresh) and of AS-external LSAs for redistribution, and the routing
 * table calculation (§16: Dijkstra over router and network LSAs, stub networks, equal-cost
 * multipath, then AS-external routes).
 *
 * It does no I/O and reads no clock: the owner passes the time (milliseconds, monotonic) to
 * every call, hands received packets to ospf_input(), calls ospf_run() when the deadline it
 * last returned has come, and carries out what the callbacks ask (send a packet, join or leave
 * a multicast group, set or remove a route). Unit tests drive it the same way with no network.
 */
#ifndef TERN_OSPF_OSPF_H
#define TERN_OSPF_OSPF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/prefix.h"
#include "lib/strbuf.h"
#include "wire/ospf.h"

#define OSPF_NEXTHOPS_MAX 8

/* SPF throttling (RFC 2328 sets no timer; IOS `timers throttle spf` has these three): the
 * first SPF after a quiet spell runs SPF_DELAY after the change; a change within the hold time
 * of the last run waits the hold out, and each such one doubles the hold, up to HOLD_MAX; a
 * change after the hold has passed starts again from HOLD. */
#define OSPF_SPF_DELAY_MS 50
#define OSPF_SPF_HOLD_MS 200
#define OSPF_SPF_HOLD_MAX_MS 5000

#define OSPF_IFNAME_MAX 64

enum ospf_if_type {
	OSPF_IF_BROADCAST,
	OSPF_IF_P2P,
	OSPF_IF_LOOPBACK,
};

/* One interface as the configuration and the kernel describe it. */
struct ospf_if_config {
	uint32_t ifindex;
	char name[OSPF_IFNAME_MAX];   /* for show: the IOS name when configured so */
	uint32_t addr;                /* host order */
	uint8_t prefixlen;
	uint32_t area;
	enum ospf_if_type type;
	bool passive;
	bool up;
	uint16_t cost;
	uint16_t hello_interval;      /* seconds */
	uint32_t dead_interval;
	uint8_t priority;
	uint16_t mtu;
	struct ospf_auth auth;
};

struct ospf_nexthop {
	uint32_t ifindex;
	uint32_t gateway;             /* 0: directly attached */
};

enum ospf_route_type { OSPF_ROUTE_INTRA, OSPF_ROUTE_INTER, OSPF_ROUTE_E1, OSPF_ROUTE_E2 };

struct ospf_route_info {
	enum ospf_route_type type;
	bool connected;               /* a network of this router (never installed) */
	uint32_t cost;
	uint8_t nexthop_count;
	struct ospf_nexthop nexthops[OSPF_NEXTHOPS_MAX];
};

/* A route to redistribute (an AS-external LSA, §12.4.4). */
struct ospf_external {
	struct prefix prefix; /* IPv4, host bits zero */
	uint32_t metric;
	bool type1;
};

struct ospf_callbacks {
	void *ctx;
	/* Send len bytes out of ifindex from src to dst (host order); TTL 1. */
	void (*send)(void *ctx, uint32_t ifindex, uint32_t src, uint32_t dst, const uint8_t *pkt, size_t len);
	/* Join (or leave) a multicast group on an interface. */
	void (*membership)(void *ctx, uint32_t ifindex, uint32_t group, bool join);
	/* A route changed (an IPv4 prefix); info NULL removes it. */
	void (*route)(void *ctx, const struct prefix *prefix, const struct ospf_route_info *info);
	/* A neighbour changed state (for logging); may be NULL. */
	void (*neighbor_event)(void *ctx, const char *ifname, uint32_t router_id, uint32_t addr,
			       const char *from, const char *to, const char *event);
	/* A received packet was dropped (count: how many for this reason on this interface so
	 * far, for rate-limited logging); may be NULL. */
	void (*dropped)(void *ctx, const char *ifname, uint32_t src, uint32_t router_id, const char *reason,
			uint64_t count);
};

struct ospf_options {
	uint32_t router_id;
	uint32_t crypto_seq_start;    /* first cryptographic sequence number (wall clock s) */
	bool asbr;                    /* redistributing: E bit in router LSAs */
};

struct ospf;

struct ospf *ospf_create(const struct ospf_callbacks *cb, const struct ospf_options *opt, uint64_t now);
void ospf_destroy(struct ospf *o);
/* A new router ID restarts every adjacency and flushes what the old one originated. */
void ospf_set_router_id(struct ospf *o, uint32_t router_id, uint64_t now);
uint32_t ospf_router_id(const struct ospf *o);
/* The interfaces that run OSPF, all of them (at most OSPF_INTERFACES_MAX): new ones come up,
 * missing ones go down, changed ones are reconfigured (a change of address, area or type
 * restarts the interface). */
#define OSPF_INTERFACES_MAX 4096
void ospf_set_interfaces(struct ospf *o, const struct ospf_if_config *ifs, size_t count, uint64_t now);
/* What the engine compares of an interface (enum ospf_if_settings): a setting that router
 * ospf changes is made of the kernel's addresses (network statements: the area; passive-
 * interface; area authentication), so only the engine can tell which interfaces it changes:
 * those on which the value it computes differs restart. What the kernel says of an interface
 * (address, prefix length, up, MTU) is always compared. ospf_set_interfaces compares them all
 * (OSPF_IF_SETTING_ALL: nothing is known of what changed). */
enum ospf_if_settings {
	OSPF_IF_SETTING_AREA = 1u << 0,     /* network statements */
	OSPF_IF_SETTING_PASSIVE = 1u << 1,  /* passive-interface */
	OSPF_IF_SETTING_AUTH = 1u << 2,     /* area or interface authentication */
	OSPF_IF_SETTING_HELLO = 1u << 3,    /* network type, hello and dead intervals (RFC 2328 §10.5) */
	OSPF_IF_SETTING_PRIORITY = 1u << 4, /* a new one runs the election (§9.4), in place */
	OSPF_IF_SETTING_ALL = (1u << 5) - 1,
};
/* What the configuration's change list says of one interface (the daemon reads the entry of
 * the interface the OSPF interface runs on: ospf_if_named): acted on, not compared. */
enum ospf_if_named {
	OSPF_IF_NAMED_RESTART = 1u << 0, /* what a neighbour checks in a Hello changed: down and up */
	OSPF_IF_NAMED_REELECT = 1u << 1, /* its priority changed: the election again (§9.4) */
	/* its configuration came, went or moved to another address: what the engine runs it with
	 * is compared as a whole (OSPF_IF_SETTING_ALL), as for a new interface */
	OSPF_IF_NAMED_ANEW = 1u << 2,
};
/* ifs[i] runs with named[i] (enum ospf_if_named; named NULL: nothing named) and the settings
 * `changed` (enum ospf_if_settings) compared. */
void ospf_reconfigure_interfaces(struct ospf *o, const struct ospf_if_config *ifs, const unsigned *named,
                                 size_t count, unsigned changed, uint64_t now);
/* The routes to redistribute, at most OSPF_EXTERNALS_MAX, one per prefix: one AS-external LSA
 * each (§12.4.4). Set all of them at once (ospf_set_externals, sorted or not; asbr when the
 * set is in use), or change one at a time (ospf_external_set / _remove): only the LSAs of
 * that prefix's network address (Appendix E link state IDs) are looked at again, at the next
 * ospf_run, not every external. */
#define OSPF_EXTERNALS_MAX 262144
void ospf_set_externals(struct ospf *o, const struct ospf_external *ext, size_t count, bool asbr, uint64_t now);
/* Adds or replaces the external of x's prefix; false at OSPF_EXTERNALS_MAX or out of memory. */
bool ospf_external_set(struct ospf *o, const struct ospf_external *x);
void ospf_external_remove(struct ospf *o, const struct prefix *prefix);
/* The external of the prefix (host bits ignored), or NULL. */
const struct ospf_external *ospf_external_find(const struct ospf *o, const struct prefix *prefix);
size_t ospf_external_count(const struct ospf *o);
/* Calls fn for each external, in no particular order. */
void ospf_external_walk(const struct ospf *o, void (*fn)(void *ctx, const struct ospf_external *x), void *ctx);
/* The E bit of the router LSAs (§12.4.1): redistributing or not. */
void ospf_set_asbr(struct ospf *o, bool asbr);
/* A packet received on ifindex (the OSPF packet, after the IP header). */
void ospf_input(struct ospf *o, uint32_t ifindex, uint32_t src, uint32_t dst, const uint8_t *pkt, size_t len,
		uint64_t now);
/* Runs what is due and returns the next deadline (absolute ms). */
uint64_t ospf_run(struct ospf *o, uint64_t now);

/* ---- read-only views for show commands and tests ---- */

enum ospf_if_state { OSPF_IFS_DOWN, OSPF_IFS_LOOPBACK, OSPF_IFS_WAITING, OSPF_IFS_P2P,
		     OSPF_IFS_DROTHER, OSPF_IFS_BACKUP, OSPF_IFS_DR };
enum ospf_nbr_state { OSPF_NBR_DOWN, OSPF_NBR_ATTEMPT, OSPF_NBR_INIT, OSPF_NBR_2WAY, OSPF_NBR_EXSTART,
		      OSPF_NBR_EXCHANGE, OSPF_NBR_LOADING, OSPF_NBR_FULL };
const char *ospf_if_state_name(enum ospf_if_state s);
const char *ospf_nbr_state_name(enum ospf_nbr_state s);

/* Why received packets were dropped: counted per interface. */
enum ospf_drop {
	OSPF_DROP_WIRE_FIRST,  /* + enum ospf_wire_error */
	OSPF_DROP_NO_INTERFACE = OSPF_DROP_WIRE_FIRST + OSPF_WIRE_ERROR_COUNT,
	OSPF_DROP_PASSIVE,
	OSPF_DROP_AREA_MISMATCH,
	OSPF_DROP_OWN,
	OSPF_DROP_WRONG_SUBNET,
	OSPF_DROP_ALLDROUTERS,
	OSPF_DROP_HELLO_MISMATCH,
	OSPF_DROP_DEAD_MISMATCH,
	OSPF_DROP_MASK_MISMATCH,
	OSPF_DROP_OPTIONS_MISMATCH,
	OSPF_DROP_UNKNOWN_NEIGHBOR,
	OSPF_DROP_MTU_MISMATCH,
	OSPF_DROP_CRYPTO_SEQ,
	OSPF_DROP_BAD_LSA,
	OSPF_DROP_COUNT
};
const char *ospf_drop_name(enum ospf_drop d);

struct ospf_if_view {
	struct ospf_if_config cfg;
	enum ospf_if_state state;
	uint32_t dr_id, dr_addr, bdr_id, bdr_addr;
	size_t neighbor_count, adjacent_count;
	uint64_t hello_due_ms;        /* when the next hello goes (engine clock) */
	uint64_t wait_due_ms;         /* Waiting: when the wait timer fires (engine clock) */
	uint64_t wait_ended_ms;       /* when Waiting ended (engine clock), 0: never waited */
	bool wait_backup_seen;        /* it ended by BackupSeen (§9.3), not the Wait timer */
	uint64_t rx[6], tx[6];        /* per packet type, 0 unused */
	uint64_t drops[OSPF_DROP_COUNT];
	enum ospf_drop last_drop;
	bool has_last_drop;
};
size_t ospf_interface_count(const struct ospf *o);
bool ospf_interface_view(const struct ospf *o, size_t i, struct ospf_if_view *out);

struct ospf_nbr_view {
	uint32_t router_id, addr;
	uint8_t priority;
	enum ospf_nbr_state state;
	uint32_t dr, bdr;
	char ifname[OSPF_IFNAME_MAX];
	uint32_t ifindex;
	uint64_t dead_ms;             /* until the inactivity timer fires */
	uint64_t up_ms;               /* since the neighbour reached Full (0 if not) */
	uint32_t state_changes;
	size_t request_count, retransmit_count, summary_count;
	bool is_dr, is_bdr;
};
/* Neighbours of every interface, in interface order. */
size_t ospf_neighbor_count(const struct ospf *o);
bool ospf_neighbor_view(const struct ospf *o, size_t i, uint64_t now, struct ospf_nbr_view *out);

/* LSDB walk: every LSA of every area, then AS-external ones (area UINT32_MAX... see below). */
struct ospf_lsa_view {
	uint32_t area;
	bool external;
	struct ospf_lsa_header header; /* age is the current age */
	const uint8_t *data;
	size_t len;
	bool self;
};
size_t ospf_lsa_count(const struct ospf *o);
bool ospf_lsa_view(const struct ospf *o, size_t i, uint64_t now, struct ospf_lsa_view *out);

struct ospf_stats {
	uint64_t spf_runs;
	uint64_t lsa_originated;
	uint64_t lsa_received;
	size_t area_count;
	uint32_t areas[16];
	uint64_t last_spf_ms;        /* time of the last SPF run */
};
void ospf_get_stats(const struct ospf *o, struct ospf_stats *out);

/* Routes the last SPF produced (for show ip ospf route and tests). */
size_t ospf_route_count(const struct ospf *o);
bool ospf_route_view(const struct ospf *o, size_t i, uint32_t *prefix, uint8_t *len, struct ospf_route_info *info);

#endif
