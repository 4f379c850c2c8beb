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
 */
#ifndef TERN_BGP_BGP_H
#define TERN_BGP_BGP_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <uv.h>

#include "bgp/connect_policy.h"
#include "bgp/fsm.h"
#include "bgp/max_prefix.h"
#include "config/config.h"
#include "lib/addr.h"
#include "wire/bgp.h"

struct bgp_speaker;
struct bgp_connection;

/* Per-direction message counters, by type. */
struct bgp_message_counts {
	uint64_t by_type[BGP_MSG_TYPE_COUNT];
	uint64_t total;
};

enum bgp_log_direction { BGP_LOG_SENT, BGP_LOG_RECEIVED, BGP_LOG_EVENT };

#define BGP_LOG_TEXT_MAX 200
#define BGP_LOG_JSON_MAX 200
struct bgp_log_entry {
	struct timespec time;        /* CLOCK_REALTIME */
	enum bgp_log_direction direction;
	const char *type;            /* "tcp-connect", "open", "keepalive", ... */
	char text[BGP_LOG_TEXT_MAX]; /* what a person reads */
	char json[BGP_LOG_JSON_MAX]; /* extra JSON members, without braces ("" = none) */
};

#define BGP_LOG_ENTRIES 256

/* The policy names a peer is judged by (filter.c): the configuration's, taken together with
 * the speaker's copy of the policy, so that the two always agree. "" = none. */
struct bgp_peer_filter {
	char route_map_in[POLICY_NAME_MAX], route_map_out[POLICY_NAME_MAX];
	char prefix_list_in[POLICY_NAME_MAX], prefix_list_out[POLICY_NAME_MAX];
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
	uint64_t prefixes_received;  /* paths held from the peer now */
	uint64_t prefixes_announced, prefixes_withdrawn; /* counted as received, all sessions */
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
	} session;

	bool debug;                  /* `debug bgp`: messages also go to the daemon log */
	unsigned log_head, log_count;
	struct bgp_log_entry log[BGP_LOG_ENTRIES];

	struct bgp_max_prefix_state max_prefix; /* accepted prefixes per family, the limit's state */
	uint64_t updates_rejected;   /* UPDATEs whose routes were not accepted (loops, RFC 7606,
	                                first AS, our own NEXT_HOP) */
	char last_rejected[64];
	struct bgp_out *out;         /* export packer (export.c) */
	struct bgp_peer_filter filter; /* policy in force (filter.c) */

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
/* `clear ip bgp A soft in`: asks the peer for its routes again (RFC 2918). */
bool bgp_peer_request_refresh(struct bgp_peer *peer);
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

#endif
