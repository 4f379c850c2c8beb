/*
 * DOC: the core: the protocol-independent routing table, the hub below the protocols
 * (DESIGN.md principle 3). It includes no protocol's header.
 *
 * - Candidates: connected, static, OSPF and RIP routes are stored here per prefix, one
 *   candidate per protocol (core_route_set). A protocol that keeps its own table (BGP's
 *   Loc-RIB, a full table) is a route source instead (core_source_*): the core holds no copy,
 *   it is told which prefix changed with a handle into the source's table and asks the source
 *   (lookup by prefix, describe a handle, a walk a slice at a time) when it must compare or
 *   show a route. The winner per prefix by administrative distance (connected 0, static 1,
 *   eBGP 20, OSPF 110, RIP 120, iBGP 200) goes to the kernel.
 * - Change events (core_subscribe): a protocol's candidate for a prefix came, changed or
 *   went, and the winner among the stored routes of a prefix changed. Subscribers take note
 *   per event and act once per loop iteration (batch_end), so redistribution is pushed and a
 *   burst (a full table loading) costs one batch per iteration, not one per prefix.
 * - Next-hop tracking (core_nexthop_*): a tracker asks how an address resolves (longest prefix
 *   match, recursively through static routes) and so registers it; when the table changed, the
 *   core resolves the tracker's addresses again and calls it once if any answer changed.
 */
#ifndef TERN_CORE_CORE_H
#define TERN_CORE_CORE_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "config/config.h"
#include "lib/addr.h"
#include "lib/array.h"
#include "lib/memory.h"
#include "lib/prefix.h" /* the key of every route: host bits zero */
#include "lib/show_step.h"
#include "lib/strbuf.h"

struct kernel;

enum core_protocol {
	CORE_PROTO_CONNECTED,
	CORE_PROTO_LOCAL,      /* the router's own addresses (IOS "L"), never installed */
	CORE_PROTO_STATIC,
	CORE_PROTO_OSPF,
	CORE_PROTO_RIP,
	CORE_PROTO_BGP,        /* a route source: its routes stay in its own table */
	CORE_PROTO_COUNT,      /* also "none" where a protocol is asked for */
};
/* The protocols whose candidates the core stores (core_route_set); the rest are sources. */
#define CORE_PROTO_STORED_COUNT CORE_PROTO_BGP
#define CORE_PROTO_BIT(p) (1u << (p))

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

/* A route of a source as the core sees it (core_source_ops.describe). */
struct core_source_route {
	struct core_route_info info; /* distance, metric, and at most one next hop: the protocol's
	                                own (not resolved), gateway family 0 when it has none */
	uint64_t since_ms;           /* CLOCK_MONOTONIC ms the route's age counts from; 0: unknown */
	bool since_exact;            /* since_ms is the route's own (else its session's) */
	bool local;                  /* originated on this router from a route of the table: never
	                                installed, never redistributed (it would come back) */
};

/* A position in a source's walk; what it holds is the source's business. */
struct core_source_cursor {
	uint64_t opaque[4];
};

/* What a route source offers the core. A handle stands for one prefix's route in the source's
 * table; it is valid during the call that hands it over only. */
struct core_source_ops {
	/* The source's route for exactly this prefix (host bits zero), or NULL. */
	const void *(*lookup)(void *ctx, const struct prefix *prefix);
	void (*describe)(void *ctx, const void *handle, struct core_source_route *out);
	void (*prefix)(void *ctx, const void *handle, struct prefix *out);
	/* A walk of one family's routes a slice at a time, valid across loop iterations while
	 * the table changes: step visits about `budget` units of work (at least one) and returns
	 * false once the walk is complete. fn must not change the source's table. */
	void (*walk_open)(void *ctx, struct core_source_cursor *cursor, uint8_t family);
	bool (*walk_step)(void *ctx, struct core_source_cursor *cursor, size_t budget,
			  void (*fn)(void *fn_ctx, const void *handle), void *fn_ctx);
	/* The core is destroyed: the source's glue may go (NULL: nothing to do). */
	void (*release)(void *ctx);
};

/* kernel may be NULL (unit tests): then nothing is installed. */
struct core *core_create(uv_loop_t *loop, struct kernel *kernel);
/* With a loop, the core's memory goes when the loop has closed its handles (run it once). */
void core_destroy(struct core *core);
/* The kernel, once open: connected routes of the links that are up are read from it. */
void core_set_kernel(struct core *core, struct kernel *kernel);
/* The kernel lost track (netlink ENOBUFS): every winner is pushed again. */
void core_kernel_resync(struct core *core);

/* ---- route sources ---- */

struct core_source;
/* A protocol (one that is not stored: CORE_PROTO_BGP) joins the table as a source: its routes
 * compete by distance from now on, and are shown. ops must outlive the core. NULL when out of
 * memory or the protocol has a source attached already. The core owns the returned handle. */
struct core_source *core_source_attach(struct core *core, enum core_protocol protocol,
				       const struct core_source_ops *ops, void *ctx);
/* The source leaves (`no router bgp`): its routes no longer compete nor show. The handle stays
 * valid until the core is destroyed: changes reported through it afterwards (its sessions
 * closing) count as removals, so the kernel follows. */
void core_source_detach(struct core_source *source);
/* The source's route for prefix changed: handle is its route now (NULL: it has none). The
 * kernel follows at once; subscribers hear of it. */
void core_source_changed(struct core_source *source, const struct prefix *prefix, const void *handle);
/* Does a change of the source's routes concern anyone now (the kernel takes routes, or a
 * subscriber listens to the source's candidates)? When not, core_source_changed() does
 * nothing, and a source with a full table of changes may skip even making the calls. */
bool core_source_heard(const struct core_source *source);

/* Adds or replaces the candidate of a protocol for a prefix; info NULL removes it. */
void core_route_set(struct core *core, const struct prefix *prefix, enum core_protocol protocol,
		    const struct core_route_info *info);

/* Addresses and link state as the kernel reports them: connected and local routes. */
void core_interface_address(struct core *core, uint32_t ifindex, const struct ip_addr *addr, uint8_t len,
			    bool added);
void core_interface_state(struct core *core, uint32_t ifindex, bool up);

/* Static routes from the configuration: the set replaces the previous one. */
void core_static_configure(struct core *core, const struct config *config);

/* Is addr one of this router's interface addresses (as the kernel reports them)? */
bool core_is_local_address(struct core *core, const struct ip_addr *addr);

/* Exact-match lookup of the winner among the stored routes, for `network` statements and
 * redistribution. */
bool core_has_prefix(struct core *core, const struct prefix *prefix, enum core_protocol *protocol,
		     uint32_t *metric);
/* Walks the routes of a protocol that redistribution takes: of a stored protocol, the prefixes
 * it wins among the stored routes; of a source, every route it holds that is not local. */
void core_walk_protocol(struct core *core, enum core_protocol protocol,
			void (*fn)(void *ctx, const struct prefix *prefix, uint32_t metric), void *ctx);

/* The per-prefix form of core_walk_protocol: would the walk visit this prefix (host bits
 * zero), and with what metric? For a subscriber that follows change events one prefix at a
 * time instead of walking the whole table again. */
bool core_redistributable(struct core *core, enum core_protocol protocol, const struct prefix *prefix,
			  uint32_t *metric);

/* ---- change events ---- */

enum core_event_kind {
	CORE_EVENT_CANDIDATE, /* a protocol's route for the prefix came or changed (present), or went */
	CORE_EVENT_WINNER,    /* the winner among the stored routes of the prefix changed, or its route did */
};

struct core_event {
	enum core_event_kind kind;
	const struct prefix *prefix;
	enum core_protocol protocol; /* candidate: whose; winner: the winner now (COUNT: none) */
	enum core_protocol previous; /* winner: the one before (COUNT: none); candidate: = protocol */
	bool present;                /* candidate: the protocol has a route for the prefix now */
	uint32_t metric;             /* of that route, when present */
	bool local;                  /* candidate of a source, present: originated here */
};

struct core_subscriber_ops {
	/* One change. It takes note only (it must not change the core): true asks for batch_end. */
	bool (*event)(void *ctx, const struct core_event *event);
	/* Once per loop iteration in which event returned true, after the table settled: here
	 * the subscriber acts (originates, redistributes). */
	void (*batch_end)(void *ctx);
};

struct core_subscription;
/* Candidate events of the protocols in the candidates mask (CORE_PROTO_BIT), winner events
 * whose winner before or after is in the winners mask. NULL when out of memory. */
struct core_subscription *core_subscribe(struct core *core, uint32_t candidates, uint32_t winners,
					 const struct core_subscriber_ops *ops, void *ctx);
/* Sets the masks anew. A subscriber whose configuration says which changes matter keeps them
 * to those (redistribute bgp: the BGP candidates), so that a change nobody listens to costs
 * nothing: a full table loading into BGP with no redistribution makes no event at all. */
void core_subscription_listen(struct core_subscription *subscription, uint32_t candidates, uint32_t winners);
void core_unsubscribe(struct core_subscription *subscription);

/* Does the event change what redistribution of these protocols (a CORE_PROTO_BIT mask) takes:
 * a candidate of a source (BGP: its routes are taken whether they win or not), or a winner
 * among the stored routes that was or is one of them? */
bool core_event_touches(const struct core_event *event, uint32_t protocols);

/* The prefixes a subscriber noted from change events, to act on at batch_end one at a time.
 * Capped: past the cap (a burst bigger than a walk of the table costs) only `overflow` is
 * kept, and the subscriber recomputes everything instead. */
struct core_noted_prefixes {
	struct array prefixes; /* of struct prefix */
	bool overflow;
};
#define CORE_NOTED_PREFIXES_MAX 65536
void core_noted_init(struct core_noted_prefixes *noted, enum memory_owner owner);
void core_noted_add(struct core_noted_prefixes *noted, const struct prefix *prefix);
/* Empty again (memory kept), overflow cleared. */
void core_noted_clear(struct core_noted_prefixes *noted);
void core_noted_free(struct core_noted_prefixes *noted);

/* ---- next-hop tracking ---- */

struct core_nexthop_tracker;
struct core_nexthop_tracker_ops {
	/* Some address the tracker asked about resolves differently now (once per settled change,
	 * however many did). The tracker asks again what it still needs. */
	void (*changed)(void *ctx);
	/* Before the core looks at the answers: the tracker names with core_nexthop_watch the
	 * addresses it wants watched even if it has not asked about them (may be NULL). */
	void (*watch)(void *ctx, struct core_nexthop_tracker *tracker);
};
struct core_nexthop_tracker *core_nexthop_track(struct core *core, const struct core_nexthop_tracker_ops *ops,
						void *ctx);
void core_nexthop_untrack(struct core_nexthop_tracker *tracker);
/* Does next_hop resolve through the table, and at what metric (RFC 4271 §9.1.2)? The address
 * is watched for the tracker from now on. */
bool core_nexthop_resolve(struct core_nexthop_tracker *tracker, const struct ip_addr *next_hop, uint32_t *metric);
void core_nexthop_watch(struct core_nexthop_tracker *tracker, const struct ip_addr *addr);
/* The same answer, for one who does not track it. */
bool core_resolve(struct core *core, const struct ip_addr *next_hop, uint32_t *metric);

/* show ip route [ADDR] [json]: whole, into out. */
void core_show_routes(struct core *core, const struct ip_addr *lookup, bool json, struct strbuf *out);

/* `show ip route [json]` a slice at a time, for the control socket to stream a routing table
 * that holds a full BGP table: open, then next until it stops returning SHOW_STEP_MORE (each
 * call appends a slice to out, maybe nothing while it gathers the prefixes; one call is
 * bounded work), then close. The output is core_show_routes's, in prefix order; the tables
 * may change between slices (a prefix gone meanwhile is left out, one that came after the
 * walk began may be; a prefix is shown as it is when its turn comes). A source may leave or
 * join meanwhile (core_source_attach, core_source_detach). The only failure is running out of memory: SHOW_STEP_FAILED,
 * after closing the JSON document. */
struct core_route_view;
struct core_route_view *core_show_routes_open(struct core *core, bool json);
/* A part of the table: `show ip route ospf` (the prefixes whose selected route is of one of
 * the protocols; `connected` is CONNECTED and LOCAL, as IOS shows C and L), `show ip route A M
 * longer-prefixes` (the prefixes within one). Laid out as the whole table, the classful
 * headers counting only what is shown. */
struct core_route_filter {
	unsigned protocols;          /* CORE_PROTO_BIT()s; 0: every protocol */
	bool has_within;
	struct prefix within; /* with has_within: only prefixes inside it (itself included) */
	bool exact;                  /* with has_within: only `within` itself */
};
struct core_route_view *core_show_routes_open_filtered(struct core *core, bool json,
						       const struct core_route_filter *filter);
/* IOS's `show ip route A` and `show ip route A M` in text: the "Routing entry for P/L" block of
 * the longest prefix holding addr (prefix NULL) or of prefix exactly. False, with nothing
 * written, when there is none. */
bool core_show_route_entry(struct core *core, const struct ip_addr *addr, const struct prefix *prefix,
			   struct strbuf *out);
enum show_step core_show_routes_next(struct core_route_view *view, struct strbuf *out);
/* After SHOW_STEP_FAILED: why, in a few words. */
const char *core_show_routes_failure(const struct core_route_view *view);
void core_show_routes_close(struct core_route_view *view);

#endif
