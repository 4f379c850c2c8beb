/*
 * DOC: the BGP speaker of the daemon: listeners, peers and their sessions.
 *
 * This module offers one struct bgp_speaker per `router bgp`. It owns the TCP listeners on
 * port 179, the configured peers, and each peer's one or two transport connections, and runs
 * the per-connection FSM (fsm.h) on a libuv loop. It never blocks: every socket is
 * non-blocking, every peer has its own buffers and timers, so a slow or hostile peer affects
 * only itself.
 *
 * Everything `show` needs is readable through struct bgp_peer (read-only outside this module)
 * and the per-peer message log, which records the exchange the seed describes: the TCP connect
 * from a random port to 179, OPENs with My AS, Hold Time and BGP Identifier, KEEPALIVEs,
 * Established, NOTIFICATIONs, ROUTE-REFRESH, and which connection a collision closed.
 *
 * Address families: a session carries several (RFC 4760). What is per AFI/SAFI (negotiated,
 * End-of-RIB both ways, accepted prefixes, the maximum-prefix state) is one row each of
 * struct bgp_peer.afi_safi (afi_safi.h, which also says how IPv6 over an IPv4 session and
 * graceful restart plug in).
 *
 * Adj-RIB-In and Adj-RIB-Out (RFC 4271 §3.2): which are stored, which are computed.
 * A full table is about a million prefixes per peer; what is stored per route per peer is
 * what memory is made of, so each RIB is stored only where something needs it:
 * - Adj-RIB-In, post-policy (what was accepted): NOT a copy. It is the peer's paths in the
 *   Loc-RIB (rib.h): each prefix keeps every peer's accepted path (24 bytes, interned
 *   attributes), best first. `show ip bgp neighbors A routes` walks it.
 * - Adj-RIB-In, pre-policy (what the peer sent): STORED, per peer, only when something needs
 *   it (adj_rib_in.h: prefix -> interned attribute set, about 32 bytes per IPv4 route; a set
 *   that no policy changed is the Loc-RIB path's own, so attributes cost nothing more).
 *   Today `neighbor A soft-reconfiguration inbound` turns it on, as in IOS; it is what
 *   `show ip bgp neighbors A received-routes` shows and what `clear ip bgp A soft in`
 *   re-judges under the import policy in force without asking the peer for anything.
 *   Without it, soft in is a ROUTE-REFRESH (RFC 2918), which costs nothing at rest. The
 *   same store is the one the later users turn on for their peers: BMP pre-policy
 *   monitoring (RFC 7854 §5: Route Monitoring of the pre-policy Adj-RIB-In, and its initial
 *   dump, need the copy; a ROUTE-REFRESH cannot be asked for every collector), and RPKI
 *   revalidation when ROV state is matched in import policy (RFC 8481 §4 and RFC 6811: a
 *   changed VRP must re-judge the routes as received; without the copy, a ROUTE-REFRESH).
 *   Graceful restart (RFC 4724 §4.2) needs no copy: it marks the peer's Loc-RIB paths stale
 *   and sweeps the ones not sent again; with a copy it marks the copy's entries the same way.
 *   The copy goes with the session (RFC 4271 §9.1: a closed session's routes are removed).
 * - Adj-RIB-Out: NOT stored. What a peer is sent is a pure function of the best path, the
 *   peer and the export policy in force (export.c, filter.c), so a withdrawal, a refresh
 *   answer, `clear ip bgp A soft out` and `advertised-routes` are computed, never remembered.
 *   The price: an export policy change is the difference of two computations (filter.c).
 *
 * Turning soft-reconfiguration inbound on or off on an Established session (IOS-like: the
 * session stays up): on, the store starts empty and, if the peer offers route refresh, a
 * ROUTE-REFRESH asks for its routes once so that the store holds all of them; a peer without
 * route refresh fills it only as it sends, and `clear ip bgp A` (a new session) completes
 * it. Off, the store is freed at once; the accepted routes stay. On a peer with the store, a
 * change of its inbound route-map or prefix-list is not applied by itself: as in IOS, it
 * takes effect at `clear ip bgp A soft in` (routes that arrive meanwhile meet the new one).
 *
 * The files in layers (issue 12): each calls only files below it, or its one partner of a
 * pair; what a lower layer reports up goes through an interface the upper one installs.
 *  5. core_source.c: BGP as a source of the core RIB (the daemon's glue), over the speaker.
 *  4. peer.c: the orchestrator. Configuration, peer lifecycle (connect retry, listeners,
 *     collisions, resets, the maximum-prefix restart timer), the speaker; it installs the
 *     session owner (internal.h) and calls both engines.
 *  3. The route engine. route_engine.c takes the event queue in slices and installs the
 *     Loc-RIB's consumer (rib.h: decisions -> export and aggregates); policy_change.c applies
 *     a live policy change; refresh.c answers and asks for ROUTE-REFRESH; export.c and
 *     aggregate.c (a pair: suppression) over filter.c (verdicts only) and rib.c (the Loc-RIB,
 *     calling only decide.c, adj_rib_in.c, attrs.c, filter.c); max_prefix.c returns verdicts.
 *     It writes to no connection: the UPDATEs export.c packs (wire/bgp_update_pack.h) go
 *     into the output queue (events.h) addressed by session id, which the session engine
 *     takes; it reaches the sessions downwards only to ask a session's id and to reset a
 *     session (bgp_session_route_error).
 *  2. The session engine: session.c (sockets, framing, the FSM's actions) over fsm.c; it
 *     queues events (events.h, which wake the route engine), takes the output queue into the
 *     connections' send queues (session_output.c: bytes of a session that is gone are
 *     dropped; its own KEEPALIVEs and NOTIFICATIONs go behind what was queued before them),
 *     and reports to its owner through struct bgp_session_owner. collision.c,
 *     connect_policy.c, connected.c: decisions peer.c asks, calling nothing.
 *  1. events.c (the two queues between the engines) and peer_state.c (a peer's message log,
 *     timer jitter, next-hop resolution): every layer uses them; they call nothing above.
 * The call graph (file -> files it calls; tools: includegraph over the objects):
 *   core_source -> attrs peer rib;  peer -> adj_rib_in aggregate collision connect_policy
 *   connected events export filter max_prefix peer_state policy_change refresh rib
 *   route_engine session session_output;  route_engine -> aggregate events export max_prefix
 *   peer_state refresh rib session;  policy_change -> export filter peer_state refresh rib;
 *   refresh -> export peer_state;  export -> aggregate attrs events filter peer_state rib
 *   session_output;  aggregate -> attrs export rib;  rib -> adj_rib_in attrs decide filter
 *   peer_state;  filter -> attrs;  max_prefix -> peer_state;  adj_rib_in -> attrs;
 *   session -> events fsm peer_state session_output;  session_output -> events session;
 *   the rest -> nothing. Circles: export <-> aggregate, session <-> session_output (a pair:
 *   the session engine's two files).
 */
#ifndef TERN_BGP_BGP_H
#define TERN_BGP_BGP_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <uv.h>

#include "bgp/afi_safi.h"
#include "bgp/connect_policy.h"
#include "bgp/fsm.h"
#include "bgp/max_prefix.h"
#include "config/config.h"
#include "lib/addr.h"
#include "lib/show_step.h"
#include "lib/strbuf.h"
#include "wire/bgp.h"

struct bgp_speaker;
struct bgp_connection;

/* Per-direction message counters, by type. */
struct bgp_message_counts {
	uint64_t by_type[BGP_MSG_TYPE_COUNT];
	uint64_t total;
};

enum bgp_log_direction { BGP_LOG_SENT, BGP_LOG_RECEIVED, BGP_LOG_EVENT };

/* An entry's facts for JSON (`show bgp neighbors A messages json`), kept as names and values
 * so that show writes them through the JSON writer (escaped, whole): the sizes fit every
 * entry the module makes (two IPv6 addresses and a word: tcp-connect); a member that would
 * not fit is left out whole (message_log.c), never cut. */
enum bgp_log_value { BGP_LOG_VALUE_UINT, BGP_LOG_VALUE_STRING, BGP_LOG_VALUE_TRUE };
#define BGP_LOG_MEMBERS_MAX 5
#define BGP_LOG_STRINGS_MAX 128
struct bgp_log_member {
	const char *key;             /* a string literal */
	uint64_t number;             /* BGP_LOG_VALUE_UINT */
	uint8_t kind;                /* enum bgp_log_value */
	uint8_t text_at;             /* BGP_LOG_VALUE_STRING: its offset in strings */
};
struct bgp_log_members {
	uint8_t count, strings_used;
	struct bgp_log_member member[BGP_LOG_MEMBERS_MAX];
	char strings[BGP_LOG_STRINGS_MAX]; /* the string values, each ending in a NUL */
};
/* The members' builders (message_log.c): false when the member did not fit (left out). */
bool bgp_log_add_uint(struct bgp_log_members *members, const char *key, uint64_t value);
bool bgp_log_add_string(struct bgp_log_members *members, const char *key, const char *text);
bool bgp_log_add_true(struct bgp_log_members *members, const char *key);
/* A member's string value (BGP_LOG_VALUE_STRING). */
const char *bgp_log_member_text(const struct bgp_log_members *members, const struct bgp_log_member *member);
/* The number a member named key holds (BGP_LOG_VALUE_UINT); false if there is none. */
bool bgp_log_member_uint(const struct bgp_log_members *members, const char *key, uint64_t *value);

#define BGP_LOG_TEXT_MAX 200
struct bgp_log_entry {
	struct timespec time;        /* CLOCK_REALTIME */
	enum bgp_log_direction direction;
	const char *type;            /* "tcp-connect", "open", "keepalive", ... */
	char text[BGP_LOG_TEXT_MAX]; /* what a person reads (cut at a UTF-8 character's end) */
	struct bgp_log_members members; /* extra JSON members (none: count 0) */
};

#define BGP_LOG_ENTRIES 256

/* The policy names a peer is judged by (filter.c): the configuration's, taken together with
 * the speaker's copy of the policy, so that the two always agree. "" = none. Each name is
 * also looked up once, in the copy it was taken with (NULL: "" or defined nowhere): export
 * judges every route for every peer, and a lookup by name each time was a tenth of the
 * instructions of ten feeders loading (cachegrind). */
struct bgp_peer_filter {
	char route_map_in[POLICY_NAME_MAX], route_map_out[POLICY_NAME_MAX];
	char prefix_list_in[POLICY_NAME_MAX], prefix_list_out[POLICY_NAME_MAX];
	const struct policy_route_map *route_map_in_found, *route_map_out_found;
	const struct policy_prefix_list *prefix_list_in_found, *prefix_list_out_found;
	bool route_map_out_reads_attrs; /* it matches communities: export decodes the path's set */
};

struct bgp_peer {
	struct bgp_speaker *speaker;
	struct config_bgp_neighbor config;  /* a copy of the neighbour's configuration */
	bool ibgp;

	/* At most one connection we initiated and one the peer initiated (RFC 4271 §6.8). */
	struct bgp_connection *outgoing;
	struct bgp_connection *incoming;
	struct bgp_connection *established; /* one of the two, once Established */

	/* When the next connect is due and why (connect_policy.h); the timer is armed for it,
	 * and during a try it is the connect timeout. */
	struct bgp_connect_policy connect;
	uv_timer_t connect_retry_timer;
	bool connect_retry_running;
	uint64_t route_signature;    /* the route to the peer at the last failed try */
	/* Why the peer is not up, for `show` ("Admin shutdown", "not directly connected"...). */
	char down_reason[128];

	/* What show commands report. */
	struct bgp_message_counts sent, received;
	uint64_t established_count;
	uint64_t dropped_count;
	time_t last_change;          /* monotonic seconds: up or down since */
	char last_reset[160];        /* why the last session went down, "" = never */
	bool has_notification_sent, has_notification_received;
	struct bgp_error notification_sent, notification_received;
	char shutdown_message_received[256];
	size_t output_queued_peak;   /* most bytes ever waiting to be sent to this peer */

	/* Snapshot of the last connection that reached OpenConfirm, kept for `show`. */
	struct {
		bool valid;
		bool initiated_locally;
		struct ip_addr local_addr, remote_addr;
		uint16_t local_port, remote_port;
		uint32_t remote_id;
		uint16_t hold_time, keepalive;
		struct bgp_capabilities sent_caps, received_caps;
		struct bgp_afi_safi_negotiated negotiated; /* from the two (afi_safi.h) */
	} session;

	bool debug;                  /* `debug bgp`: messages also go to the daemon log */
	unsigned log_head, log_count;
	struct bgp_log_entry log[BGP_LOG_ENTRIES];

	struct bgp_max_prefix_state max_prefix; /* the limit's hold-down and restart */
	/* Per address family (afi_safi.h): negotiated, End-of-RIB, accepted prefixes, prefixes
	 * announced and withdrawn both ways, the limit's per-family state. The route engine's:
	 * installed at PEER_UP. */
	struct bgp_afi_safi_table afi_safi;
	uint64_t updates_rejected;   /* UPDATEs whose routes were not accepted (loops, RFC 7606,
	                                first AS, our own NEXT_HOP) */
	char last_rejected[64];
	struct bgp_out *out;         /* export packer (export.c) */
	struct bgp_peer_filter filter; /* policy in force (filter.c) */
	/* Pre-policy Adj-RIB-In (adj_rib_in.h): kept with soft-reconfiguration inbound while
	 * the session is Established, else NULL. */
	struct bgp_adj_rib_in *adj_rib_in;

	bool removed;                /* deconfigured; freed once its connections are gone */
	bool freed;                  /* peer_free() ran; memory goes when its timer has closed */
	unsigned withdrawing;        /* sessions down whose paths the route engine still removes */
	unsigned updates_logged[2];  /* UPDATEs put in the message log this session: [0] in, [1] out */
	struct bgp_peer *next;
};

struct bgp_route;
struct bgp_path;

struct bgp_speaker_options {
	uint16_t port;               /* 179 unless testing */
	bool listen;                 /* open the port 179 listeners */
	void *context;               /* for the callbacks below */
	/* A prefix's best path changed (best NULL: no route any more): the routing table's
	 * business. May be NULL. */
	void (*route_changed)(void *context, const struct bgp_route *route, const struct bgp_path *best);
	/* Does a next hop resolve through the routing table, and at what IGP metric
	 * (RFC 4271 §9.1.2)? NULL: every next hop resolves. */
	bool (*resolve_next_hop)(void *context, const struct ip_addr *next_hop, uint32_t *metric);
	/* Is the address one of this router's own (an interface address)? A route whose
	 * NEXT_HOP is ours is ignored (RFC 4271 §6.3). NULL: none is. */
	bool (*is_local_address)(void *context, const struct ip_addr *addr);
};

/* Creates the speaker for a configuration with `router bgp`; NULL on failure (logged). */
struct bgp_speaker *bgp_speaker_create(uv_loop_t *loop, const struct bgp_speaker_options *options);
/* Applies a new configuration live: new peers start, removed peers get Cease 6/3, changed
 * peers are reset only where the change needs a new session (Cease 6/6). */
void bgp_speaker_configure(struct bgp_speaker *speaker, const struct config *config);
/* Closes every session with Cease `subcode` and frees the speaker once all handles closed. */
void bgp_speaker_destroy(struct bgp_speaker *speaker, uint8_t cease_subcode);

uint32_t bgp_speaker_router_id(const struct bgp_speaker *speaker);
uint32_t bgp_speaker_local_as(const struct bgp_speaker *speaker);
struct bgp_peer *bgp_speaker_peers(struct bgp_speaker *speaker);
struct bgp_peer *bgp_speaker_find_peer(struct bgp_speaker *speaker, const struct ip_addr *addr);
void bgp_speaker_set_debug(struct bgp_speaker *speaker, bool on);

/* The state a person sees: the most advanced connection's, else Idle/Connect/Active. */
enum bgp_state bgp_peer_state(const struct bgp_peer *peer);
/* When the next connect is due (milliseconds from now, -1 = none scheduled) and why, in
 * words (connect_policy.h), for `show ip bgp neighbors`. */
int64_t bgp_peer_next_connect(const struct bgp_peer *peer, char *why, size_t size);
/* Is the first AS of the peer's routes checked (bgp enforce-first-as, neighbor override)? */
bool bgp_peer_enforces_first_as(const struct bgp_peer *peer);
/* `clear ip bgp A`: hard reset with Cease 6/4 (RFC 4486). */
void bgp_peer_reset(struct bgp_peer *peer);
/* Asks the peer for its routes again (RFC 2918); false if not Established or the peer did
 * not offer route refresh. */
bool bgp_peer_request_refresh(struct bgp_peer *peer);
/* `clear ip bgp A soft in`: with soft-reconfiguration inbound, the stored routes are judged
 * again by the import policy in force, nothing is sent; without, a ROUTE-REFRESH. False
 * when neither can be done (not Established, or no store and no route refresh). */
bool bgp_peer_soft_in(struct bgp_peer *peer);
/* `clear ip bgp A soft out`: sends the peer our table again. */
void bgp_peer_resend(struct bgp_peer *peer);

/* The TTL rules (RFC 4271 §5.1.3, RFC 5082): the TTL the peer's packets leave with, and does
 * the EBGP connected check apply (single-hop EBGP without disable-connected-check)? */
int bgp_peer_outgoing_ttl(const struct bgp_peer *peer);
bool bgp_peer_connected_check_applies(const struct bgp_peer *peer);

/* Walks the message log, oldest first. */
const struct bgp_log_entry *bgp_peer_log_at(const struct bgp_peer *peer, unsigned index);

/* Is this route's best path what the peer is sent now (advertised-routes)? */
bool bgp_route_advertised_to(const struct bgp_route *route, const struct bgp_peer *peer);
/* Is it held back by a summary-only aggregate (IOS status "s")? */
bool bgp_route_suppressed(const struct bgp_speaker *speaker, const struct bgp_route *route);

/* The Loc-RIB (rib.h has its API), and the signal that next-hop reachability changed. */
struct bgp_rib *bgp_speaker_rib(struct bgp_speaker *speaker);
void bgp_speaker_next_hops_changed(struct bgp_speaker *speaker);

/* The speaker joined to the core (core_source.c): its best paths are a route source of the
 * core's table (a handle into the Loc-RIB each, no copy), its next hops resolve through the
 * core's next-hop tracking, and a changed answer makes it decide again. create fills the
 * options' callbacks (options may be NULL: a speaker made without them, shown only); attach
 * once the speaker exists; detach before the speaker is destroyed (`no router bgp`): then the
 * core owns the glue, for the closing sessions still report their routes gone through it. */
struct core;
struct bgp_core_source;
struct bgp_core_source *bgp_core_source_create(struct core *core, struct bgp_speaker_options *options);
bool bgp_core_source_attach(struct bgp_core_source *glue, struct bgp_speaker *speaker);
void bgp_core_source_detach(struct bgp_core_source *glue);

/* ---- show: the views over the speaker's tables (show_routes.c, show_memory.c) ---- */

/* `show ip bgp [json]` (family AF_INET) or `show bgp ipv6 unicast`; from != NULL limits the
 * view to the paths accepted from that peer (routes), or with received to the routes as that
 * peer sent them, before policy (received-routes: its soft-reconfiguration store; JSON adds
 * "accepted" to each); to != NULL to the best paths that peer is sent (advertised-routes).
 * The whole view at once, into out. */
void show_bgp_table(struct bgp_speaker *speaker, uint8_t family, const struct bgp_peer *from,
		    const struct bgp_peer *to, bool received, bool json, struct strbuf *out);

/* The same view a slice at a time, for the control socket to stream a full table: open, then
 * next until it stops returning SHOW_STEP_MORE (each call appends a slice to out, maybe
 * nothing while it gathers the prefixes; one call is bounded work), then close. The output
 * is the same as show_bgp_table's, in prefix order; the table may change between slices
 * (a prefix withdrawn meanwhile is left out, one announced after the walk began may be).
 * speaker is the speaker now (NULL without BGP); if it is not the one the view was opened
 * on, a neighbour of the view went or memory ran out, the view fails: SHOW_STEP_FAILED,
 * after closing the JSON document. */
struct show_bgp_table;
struct show_bgp_table *show_bgp_table_open(struct bgp_speaker *speaker, uint8_t family, const struct bgp_peer *from,
					   const struct bgp_peer *to, bool received, bool json);
enum show_step show_bgp_table_next(struct show_bgp_table *view, struct bgp_speaker *speaker, struct strbuf *out);
/* After SHOW_STEP_FAILED: why, in a few words ("BGP was stopped during the show"). */
const char *show_bgp_table_failure(const struct show_bgp_table *view);
void show_bgp_table_close(struct show_bgp_table *view);
/* `show ip bgp PREFIX`: false if the RIB has no such prefix. */
bool show_bgp_prefix(struct bgp_speaker *speaker, const struct prefix *prefix, bool json, struct strbuf *out);

/* `show memory`: what the speaker's tables hold. */
struct bgp_memory_stats {
	size_t routes, paths, attribute_sets;
	size_t bytes;              /* memory held by the Loc-RIB's pools and tables */
	size_t output_queued_peak; /* most bytes that waited to be sent, summed over the peers */
};
void bgp_speaker_memory_stats(struct bgp_speaker *speaker, struct bgp_memory_stats *stats);

/* Locally originated routes (network statements, redistribution; originate.c): between begin
 * and end every route that should exist is named once; those not named are withdrawn at the
 * end, and the batch is committed. origin is BGP_ORIGIN_IGP for network statements (IOS) and
 * BGP_ORIGIN_INCOMPLETE for redistribution. */
void bgp_speaker_originate_begin(struct bgp_speaker *speaker);
void bgp_speaker_originate(struct bgp_speaker *speaker, const struct prefix *prefix, uint8_t origin,
			   bool has_med, uint32_t med);
void bgp_speaker_originate_end(struct bgp_speaker *speaker);

#endif
