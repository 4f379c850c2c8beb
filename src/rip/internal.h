/*
 * DOC: the RIP core's own structures, shared by rip.c (the protocol) and show.c (show ip rip
 * database, the RIP part of show ip protocols). Nothing outside src/rip includes this.
 */
#ifndef TERN_RIP_INTERNAL_H
#define TERN_RIP_INTERNAL_H

#include "rip/rip.h"

#include "lib/array.h"
#include "lib/ifname.h"

#define IFACES_MAX 256
/* Learned, connected and redistributed routes: RIP tables are small, but a neighbour decides
 * how many it sends; past the cap a new route is not learned (as when memory runs out). */
#define RIP_ROUTES_MAX (1u << 20)

enum route_kind {
	ROUTE_LEARNED,
	ROUTE_CONNECTED,       /* a subnet of an interface `network` enables */
	ROUTE_REDISTRIBUTED,
};

struct route {
	struct prefix prefix;  /* the table's key: IPv4, host bits zero */
	uint8_t metric;        /* 1-16 */
	uint8_t kind;          /* enum route_kind */
	uint8_t redist_kind;   /* enum rip_redistribute_kind */
	bool changed;          /* route change flag (RFC 2453 §3.10.1) */
	bool installed;        /* in the routing table */
	bool mark;
	uint16_t tag;
	uint32_t next_hop;     /* learned: the gateway */
	uint32_t from;         /* learned: the router that sent it */
	uint32_t ifindex;
	uint64_t expires;      /* learned and valid: timeout deadline */
	uint64_t gc_at;        /* metric 16: when it is deleted */
	uint64_t updated;      /* last time it was refreshed, for `show` */
};

struct iface_addr {
	uint32_t addr;
	uint8_t len;
};

struct iface {
	uint32_t ifindex;
	char name[IFNAME_LINUX_MAX];
	bool up, loopback;
	size_t addr_count;
	struct iface_addr addrs[RIP_IFACE_ADDRS_MAX];
	/* from the configuration */
	bool enabled, passive, split_horizon;
	uint8_t auth_mode;
	uint8_t key[RIP_AUTH_KEY_LEN];
	uint32_t sequence;     /* keyed MD5 (RFC 4822 §3.2.1) */
	uint64_t received, bad, sent, triggered;
};

struct source {                /* IOS "Routing Information Sources" */
	uint32_t addr;
	uint64_t last_heard;
	uint8_t version;
};

struct redist {
	struct prefix prefix;  /* IPv4, host bits zero */
	uint8_t kind;
	uint32_t order;        /* while listed: the position rip_redistribute_add saw it at; then 0 */
};

struct rip {
	struct rip_callbacks cb;
	uint64_t rng;
	struct config_rip config;
	bool configured;
	size_t if_settings_count;
	struct config_interface *if_settings;  /* copies of the configured interfaces */
	size_t iface_count;
	struct iface ifaces[IFACES_MAX];
	struct array routes;       /* of route, sorted by prefix */
	struct array redists;      /* of redist: what is redistributed now, sorted by prefix, one each */
	struct array redists_new;  /* of redist: being listed (redistribute_begin .. end) */
	size_t source_count;
	struct source sources[64];
	uint64_t next_update, trigger_at, trigger_hold_until;
	struct rip_stats stats;
};

static inline struct route *rip_routes(const struct rip *rip)
{
	return rip->routes.items;
}

/* rip.c */
const struct iface *rip_iface_find_const(const struct rip *rip, uint32_t ifindex);
/* The version of the updates we send: 1 when `version 1` is configured, else 2. */
uint8_t rip_send_version(const struct rip *rip);

#endif
