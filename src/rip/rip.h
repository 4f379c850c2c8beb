/*
 * DOC: RIPv2 (RFC 2453): the sans-I/O protocol core.
 *
 * No sockets, no timers, no clock of its own: the owner (rip_io.c in ternd, or a unit test)
 * feeds it events with the current time in milliseconds (`now`) and carries out what it asks
 * through callbacks: send these bytes out of this interface to this address, put this route
 * in the routing table or take it out. The owner calls rip_tick() whenever rip_next_event()
 * is due. Randomness (update jitter, triggered-update holds) comes from a seeded generator,
 * so a test with a simulated clock is deterministic.
 *
 * What it does:
 * - Interfaces are enabled by `network` statements (classful, as IOS); their subnets are
 *   advertised as directly connected with metric 1. Passive interfaces send nothing but
 *   unicast to configured neighbours; they still listen.
 * - Periodic updates every `update` seconds with a jitter of +/- update/6 (RFC 2453 §3.8),
 *   to 224.0.0.9 (version 2) or the subnet broadcast (version 1), and unicast to each
 *   `neighbor` on the interface's subnet; at most 25 entries a message (24 with
 *   authentication).
 * - Split horizon with poisoned reverse (§3.4.3) unless `no ip split-horizon`.
 * - Route timeout after `invalid` seconds, then garbage collection until `flush` (§3.8):
 *   the route is advertised with metric 16 meanwhile.
 * - Triggered updates (§3.10.1): a change is sent at once, then further triggered updates
 *   wait a random 1-5 s, so a change crosses a router in at most a few seconds; a regular
 *   update due first makes the triggered one unnecessary.
 * - Requests (§3.9.1): a whole-table Request is sent when an interface comes up and answered
 *   with the table (split horizon applied when it comes from port 520), a Request for given
 *   routes with their metrics.
 * - Receive checks (§3.9.2, §5.1): a Response must come from port 520, from an address on a
 *   subnet of the receiving interface that is not one of ours, on an interface running RIP,
 *   in the version configured, with the authentication configured; anything else, and every
 *   message the codec refuses, is dropped and counted by reason (enum rip_drop) and reported
 *   through the drop callback, so the owner can log it.
 */
#ifndef TERN_RIP_RIP_H
#define TERN_RIP_RIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "lib/prefix.h"
#include "lib/strbuf.h"
#include "wire/rip.h"

#define RIP_IFACE_ADDRS_MAX 16
#define RIP_NEVER UINT64_MAX

/* Why a message was dropped. The first ones are the codec's errors (RIP_ERR_x - 1). */
enum rip_drop {
	RIP_DROP_TRUNCATED,
	RIP_DROP_TOO_LONG,
	RIP_DROP_BAD_VERSION,
	RIP_DROP_BAD_COMMAND,
	RIP_DROP_MBZ,
	RIP_DROP_BAD_AFI,
	RIP_DROP_BAD_METRIC,
	RIP_DROP_BAD_MASK,
	RIP_DROP_BAD_AUTH_FORMAT,
	RIP_DROP_SOURCE_PORT,       /* a Response not from port 520 */
	RIP_DROP_NOT_CONNECTED,     /* source not on a subnet of the receiving interface */
	RIP_DROP_NOT_ENABLED,       /* the interface does not run RIP */
	RIP_DROP_VERSION_MISMATCH,  /* a version the configuration does not receive */
	RIP_DROP_AUTHENTICATION,    /* missing, unexpected or wrong authentication */
	RIP_DROP_COUNT,
};

/* "bad-version", "source-port", ...: stable names for logs, `show` and JSON. */
const char *rip_drop_name(enum rip_drop reason);

/* What goes into the routing table for a learned route. */
struct rip_route_info {
	uint8_t metric;       /* 1-15 */
	uint32_t next_hop;    /* host order */
	uint32_t ifindex;
	uint8_t distance;
};

enum rip_redistribute_kind {
	RIP_REDIST_CONNECTED,
	RIP_REDIST_STATIC,
	RIP_REDIST_BGP,
};

struct rip_callbacks {
	void *ctx;
	/* Send a message out of ifindex to dst:port (host order), from port 520. */
	void (*send)(void *ctx, uint32_t ifindex, uint32_t dst, uint16_t port, const uint8_t *data,
		     size_t len);
	/* A learned route changed; info NULL: remove it. */
	void (*route)(void *ctx, const struct prefix *prefix, const struct rip_route_info *info);
	/* A message was dropped (may be NULL). */
	void (*drop)(void *ctx, uint32_t ifindex, uint32_t src, uint16_t port, enum rip_drop reason);
};

struct rip;

struct rip *rip_create(const struct rip_callbacks *cb, uint64_t seed, uint64_t now);
/* Removes every learned route from the table (route callbacks) and frees. */
void rip_destroy(struct rip *rip);

/* The configuration (router rip and the interfaces' RIP settings) changed; `change` says
 * what changed in router rip, `interfaces` which interfaces changed (config_section_change;
 * NULL: every interface, as at the start). Every setting is applied in place: a new update
 * interval or auto-summary brings the next update forward, a new distance goes to the table,
 * an interface's ip rip settings are read again for the interfaces the list names only (a
 * change of router rip, which every interface's network and passive state is made of, reads
 * them all again). */
void rip_configure(struct rip *rip, const struct config *config, const struct config_change *change,
                   const struct config_change *interfaces, uint64_t now);

/* Links and addresses, as the kernel reports them. A link that goes away is reported down. */
void rip_interface(struct rip *rip, uint32_t ifindex, const char *name, bool up, bool loopback,
		   uint64_t now);
void rip_address(struct rip *rip, uint32_t ifindex, uint32_t addr, uint8_t len, bool added,
		 uint64_t now);

/* One received UDP payload: from src:port (host order), arrived on ifindex. */
void rip_receive(struct rip *rip, uint32_t ifindex, uint32_t src, uint16_t port, const uint8_t *data,
		 size_t len, uint64_t now);

/* Routes of other sources to announce (redistribute ...): the set between begin and end
 * replaces the previous one. The metric comes from the configuration. */
void rip_redistribute_begin(struct rip *rip);
/* IPv4 prefixes only: another family is ignored. */
void rip_redistribute_add(struct rip *rip, const struct prefix *prefix, enum rip_redistribute_kind kind);
void rip_redistribute_end(struct rip *rip, uint64_t now);
/* One prefix's redistribution changed (present: it is redistributed now, as kind; else no
 * longer): the same local route and triggered update as a new set between begin and end that
 * differs in that prefix only, without listing the others. */
void rip_redistribute_one(struct rip *rip, const struct prefix *prefix, bool present,
			  enum rip_redistribute_kind kind, uint64_t now);

/* Runs what is due: timeouts, garbage collection, updates. */
void rip_tick(struct rip *rip, uint64_t now);
/* When rip_tick() should next run (absolute ms), RIP_NEVER if nothing is pending. */
uint64_t rip_next_event(const struct rip *rip);

/* Is this interface (an ifindex) one RIP wants a socket on: enabled, up, not loopback? */
bool rip_interface_wanted(const struct rip *rip, uint32_t ifindex);

/* Counters, for tests and `show`. */
struct rip_stats {
	uint64_t received, sent, triggered_updates, bad_routes;
	uint64_t drops[RIP_DROP_COUNT];
};
void rip_get_stats(const struct rip *rip, struct rip_stats *out);
/* The route to prefix: metric (16 while being deleted) and next hop; false if none. */
bool rip_lookup(const struct rip *rip, const struct prefix *prefix, uint8_t *metric, uint32_t *next_hop);
size_t rip_route_count(const struct rip *rip);

/* show ip rip database [json], show ip protocols [json] (the RIP section). */
void rip_show_database(const struct rip *rip, bool json, uint64_t now, struct strbuf *out);
/* json: the RIP section alone, as a document of its own. */
void rip_show_protocols(const struct rip *rip, bool json, uint64_t now, struct strbuf *out);
/* The RIP section inside `show ip protocols json`: one value (an object) into w. */
struct json_writer;
void rip_show_protocols_json(const struct rip *rip, uint64_t now, struct json_writer *w);

#endif
