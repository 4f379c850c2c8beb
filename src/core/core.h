/*
 * DOC: the protocol-independent routing table (DESIGN.md principle 3).
 *
 * Connected, static, and later OSPF and RIP routes are stored here per prefix, one
 * candidate per protocol; the winner by administrative distance (connected 0, static 1,
 * eBGP 20, OSPF 110, RIP 120, iBGP 200) goes to the kernel. BGP routes are not copied here:
 * the BGP Loc-RIB is asked when a BGP route must be compared or shown, so a full table costs
 * its memory once. BGP next hops resolve against this table's non-BGP routes (longest prefix
 * match, recursively through static routes); when those change, BGP is told to decide again
 * and the kernel routes of BGP prefixes are resolved again.
 */
#ifndef TERN_CORE_CORE_H
#define TERN_CORE_CORE_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "config/config.h"
#include "lib/addr.h"
#include "lib/show_step.h"
#include "lib/strbuf.h"

struct kernel;
struct bgp_speaker;
struct bgp_route;
struct bgp_path;

enum core_protocol {
	CORE_PROTO_CONNECTED,
	CORE_PROTO_LOCAL,      /* the router's own addresses (IOS "L"), never installed */
	CORE_PROTO_STATIC,
	CORE_PROTO_OSPF,
	CORE_PROTO_RIP,
	CORE_PROTO_COUNT,
};

#define CORE_DISTANCE_CONNECTED 0
#define CORE_DISTANCE_STATIC 1
#define CORE_DISTANCE_EBGP 20
#define CORE_DISTANCE_OSPF 110
#define CORE_DISTANCE_RIP 120
#define CORE_DISTANCE_IBGP 200

#define CORE_NEXTHOPS_MAX 8
struct core_nexthop {
	struct ip_addr gateway;  /* family 0: directly connected */
	uint32_t ifindex;        /* 0: found from the gateway */
};

/* OSPF route types, for the IOS codes O, O IA, O E1, O E2 */
enum core_ospf_type { CORE_OSPF_INTRA, CORE_OSPF_INTER, CORE_OSPF_E1, CORE_OSPF_E2 };

struct core_route_info {
	uint8_t distance;
	uint8_t ospf_type;       /* enum core_ospf_type, OSPF routes only */
	uint32_t metric;
	uint8_t nexthop_count;
	struct core_nexthop nexthops[CORE_NEXTHOPS_MAX];
};

struct core;

/* kernel may be NULL (unit tests): then nothing is installed. */
struct core *core_create(uv_loop_t *loop, struct kernel *kernel);
void core_destroy(struct core *core);
/* The kernel, once open: connected routes of the links that are up are read from it. */
void core_set_kernel(struct core *core, struct kernel *kernel);
/* The kernel lost track (netlink ENOBUFS): every winner is pushed again. */
void core_kernel_resync(struct core *core);
/* BGP joins the table: its best paths compete by distance and its next hops resolve here. */
void core_attach_bgp(struct core *core, struct bgp_speaker *speaker);

/* Adds or replaces the candidate of a protocol for a prefix; info NULL removes it. */
void core_route_set(struct core *core, const struct config_prefix *prefix, enum core_protocol protocol,
		    const struct core_route_info *info);

/* Addresses and link state as the kernel reports them: connected and local routes. */
void core_interface_address(struct core *core, uint32_t ifindex, const struct ip_addr *addr, uint8_t len,
			    bool added);
void core_interface_state(struct core *core, uint32_t ifindex, bool up);

/* Static routes from the configuration: the set replaces the previous one. */
void core_static_configure(struct core *core, const struct config *config);

/* The speaker's callbacks (context = the core). */
bool core_resolve_next_hop(void *core, const struct ip_addr *next_hop, uint32_t *metric);
void core_bgp_route_changed(void *core, const struct bgp_route *route, const struct bgp_path *best);
/* Is addr one of this router's interface addresses (as the kernel reports them)? */
bool core_is_local_address(void *core, const struct ip_addr *addr);

/* Exact-match lookup of the non-BGP winner, for `network` statements and redistribution. */
bool core_has_prefix(struct core *core, const struct config_prefix *prefix, enum core_protocol *protocol,
		     uint32_t *metric);
/* Walks the winners of a protocol (redistribution). */
void core_walk_protocol(struct core *core, enum core_protocol protocol,
			void (*fn)(void *ctx, const struct config_prefix *prefix, uint32_t metric), void *ctx);
/* Called (once per loop iteration at most) after the non-BGP table changed. */
void core_set_change_hook(struct core *core, void (*fn)(void *ctx), void *ctx);

/* show ip route [ADDR] [json]: whole, into out. */
void core_show_routes(struct core *core, const struct ip_addr *lookup, bool json, struct strbuf *out);

/* `show ip route [json]` a slice at a time, for the control socket to stream a routing table
 * that holds a full BGP table: open, then next until it stops returning SHOW_STEP_MORE (each
 * call appends a slice to out, maybe nothing while it gathers the prefixes; one call is
 * bounded work), then close. The output is core_show_routes's, in prefix order; the tables
 * may change between slices (a prefix gone meanwhile is left out, one that came after the
 * walk began may be; a prefix is shown as it is when its turn comes). BGP may stop or start
 * meanwhile (core_attach_bgp). The only failure is running out of memory: SHOW_STEP_FAILED,
 * after closing the JSON document. */
struct core_route_view;
struct core_route_view *core_show_routes_open(struct core *core, bool json);
enum show_step core_show_routes_next(struct core_route_view *view, struct strbuf *out);
/* After SHOW_STEP_FAILED: why, in a few words. */
const char *core_show_routes_failure(const struct core_route_view *view);
void core_show_routes_close(struct core_route_view *view);

#endif
