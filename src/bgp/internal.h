/*
 * DOC: what the files of the BGP module share among themselves (not for other modules).
 *
 * The session engine: session.c owns transport connections: sockets, buffers, framing,
 * decoding, and carrying out what the FSM returns; peer.c owns peers and the speaker:
 * configuration, connect retry, listeners, collisions. peer_state.c keeps the message log.
 * The route engine: route_engine.c takes the session engine's events (events.h) from the loop
 * in bounded slices and applies them to the Loc-RIB (rib.c, decide.c), whose changes go to
 * export (export.c, filter.c, aggregate.c) and back to the session engine as bytes to send.
 * They call each other through these functions, downwards only (the layers: bgp.h).
 */
#ifndef TERN_BGP_INTERNAL_H
#define TERN_BGP_INTERNAL_H

#include "bgp/bgp.h"
#include "bgp/events.h"
#include "bgp/rib.h"
#include "lib/hash_table.h"

/* A peer that reads nothing cannot eat our memory without bound; a full table (about 10 MB
 * of UPDATEs) fits. TODO: hold exports back instead of queueing once the queue is long. */
#define BGP_WRITE_QUEUE_MAX (256u << 20)
/* The write queue's array holds the sent octets it has not dropped yet too (at most as many as
 * its capacity's half, session.c), so its own cap is twice the queue's. */
#define BGP_WRITE_QUEUE_ARRAY_MAX (2 * (size_t)BGP_WRITE_QUEUE_MAX)
#define BGP_LINGER_MS 2000             /* after a NOTIFICATION, time for it to be read */
#define BGP_LOG_UPDATES 8              /* UPDATEs logged per session and direction */
/* Flow control: when this much output waits for slow peers, reading from the peers that
 * feed us pauses (at most BGP_READ_PAUSE_MS at a time, far below any hold time) until it is
 * back under the low mark; a full table then costs a bounded queue, not its encoded size. */
#define BGP_OUTPUT_HIGH (4u << 20)
/* Queued output that is sent at once, not at the next loop iteration (session.c). */
#define BGP_WRITE_EARLY (256u << 10)
#define BGP_OUTPUT_LOW (2u << 20)
#define BGP_READ_PAUSE_MS 1000
#define BGP_OUTPUT_OWN_MAX (64u << 10)  /* a connection with more queued is never paused */
#define BGP_READS_PER_WAKEUP 8
/* What all Established sessions together may read in one loop iteration (session.c). */
#define BGP_INPUT_PER_ITERATION (1u << 20)

struct bgp_connection {
	struct bgp_peer *peer;      /* NULL once detached (lingering before close) */
	bool outgoing;
	int fd;
	uv_poll_t poll;
	uv_timer_t hold_timer;
	uv_timer_t keepalive_timer;
	int open_handles;           /* libuv handles still to be closed before free */
	int poll_events;            /* what poll currently waits for */
	bool connecting;            /* non-blocking connect in progress */
	bool lingering;             /* NOTIFICATION sent and write side shut: draining */
	bool closed;
	struct bgp_fsm fsm;

	struct ip_addr local_addr, remote_addr;
	uint16_t local_port, remote_port;
	size_t max_message;         /* 4096, or 65535 once both sides offered RFC 8654 */

	uint8_t *read_buf;
	size_t read_len, read_cap;
	struct array write_queue;   /* octets: [write_head, count) are still to be sent */
	size_t write_head;
	struct bgp_speaker *speaker;
	size_t accounted;           /* of the speaker's output_queued, this connection's share */
	bool read_paused;           /* flow control (BGP_OUTPUT_HIGH, BGP_INPUT_HIGH) */
	uint64_t session_id;        /* given at Established, never reused; 0 before (events.h) */
	struct bgp_connection *session_next; /* chain of the speaker's session index */
	bool session_indexed;       /* in that index (not when it had no memory to take it) */
};

struct bgp_listener {
	int fd;
	int family;
	uv_poll_t poll;
	bool active;
};

/* How many contributors carry each AS of their AS_PATHs (an open-addressing table keyed by
 * ASN; a slot with count 0 is free). */
struct bgp_asn_count {
	uint32_t asn;
	uint32_t count;
};
struct bgp_asn_counts {
	struct bgp_asn_count *slots;
	size_t size;                 /* a power of two, or 0 */
	size_t used;                 /* distinct ASNs */
};

/* An aggregate-address and what its contributors (the more specifics with a best path) give
 * it (RFC 4271 §9.2.2.2), counted as best paths come, go and change (aggregate.c). */
struct bgp_aggregate {
	struct prefix prefix;
	bool summary_only;
	bool as_set;
	bool active;                 /* announced: it has contributors */
	bool stale;                  /* its attributes changed: to originate again */
	bool as_set_capped;          /* the AS_SET was cut to fit a message (logged once) */
	uint32_t aggregator_as;      /* the speaker's AS and router ID when it was configured */
	uint32_t aggregator_id;
	uint32_t contributors;
	uint32_t by_origin[3];       /* contributors per ORIGIN: IGP, EGP, INCOMPLETE */
	uint32_t atomic;             /* contributors carrying ATOMIC_AGGREGATE */
	struct bgp_asn_counts asns;  /* as-set only: every AS of the contributors' AS_PATHs */
};

/* export.c's working space for encoding one peer's UPDATEs (no function-static buffers:
 * each speaker, and later each route engine thread, has its own). */
struct bgp_export_scratch {
	uint8_t sets[8192];                          /* set clauses' communities and AS path */
	uint8_t as_path[BGP_MAX_EXTENDED_MESSAGE];   /* the AS_PATH with our AS prepended */
	uint8_t cluster_list[4096];                  /* our cluster ID in front (RFC 4456 §8) */
	uint8_t attributes[BGP_MAX_EXTENDED_MESSAGE]; /* one group's encoded attributes */
	uint8_t message[BGP_MAX_EXTENDED_MESSAGE];   /* the UPDATE being packed */
};

/* What the session engine reports up to the peers that own its connections (peer.c installs
 * it in the speaker): the session engine calls nothing above it but through this, the way
 * it hands routes to the route engine only through the event queue (events.h). */
struct bgp_session_owner {
	/* A connection's FSM moved: peer bookkeeping (collision snapshots, established, down). */
	void (*state_changed)(struct bgp_peer *peer, struct bgp_connection *conn, enum bgp_state old_state);
	/* A valid OPEN arrived on conn in OpenSent: resolves a collision (RFC 4271 §6.8). Returns
	 * false if conn itself must be dropped. */
	bool (*resolve_collision)(struct bgp_peer *peer, struct bgp_connection *conn, const struct bgp_open *open);
	/* The connection is detached from its peer (closing). */
	void (*connection_gone)(struct bgp_peer *peer, struct bgp_connection *conn);
};

struct bgp_speaker {
	uv_loop_t *loop;
	const struct bgp_session_owner *session_owner;
	struct bgp_speaker_options options;
	uint32_t local_as;
	uint32_t router_id;
	uint16_t hold_time, keepalive;
	struct bgp_listener listeners[2];
	struct bgp_peer *peers;
	bool debug;
	bool destroying;
	struct bgp_rib *rib;
	size_t output_queued;        /* bytes waiting in every connection's send queue */
	bool reads_paused;
	uv_timer_t resume_timer;     /* ends a pause that the queues did not end */
	uint32_t cluster_id;         /* bgp cluster-id; 0 = the router ID (RFC 4456 §7) */
	bool always_compare_med;
	bool ebgp_requires_policy;   /* RFC 8212 */
	bool enforce_first_as;       /* bgp enforce-first-as (IOS default on; RFC 4271 §6.3) */
	struct bgp_aggregate *aggregates; /* aggregate-address (aggregate.c) */
	size_t aggregate_count;
	struct policy_config policy;     /* the speaker's copy of the routing policy (filter.c) */
	bool filter_requires_policy;     /* ebgp_requires_policy as the filter last applied it */
	struct bgp_event_queue events;   /* session engine -> route engine (events.h) */
	struct bgp_output_queue output;  /* route engine -> session engine (events.h) */
	uv_idle_t output_idle;           /* active while output waits (session_output.c) */
	uint64_t last_session_id;        /* the id the latest Established session got */
	/* Session id -> the peer's Established connection (session_output.c): exactly the
	 * peers' `established`, so that the output queue finds a session without a walk. */
	struct hash_table sessions;
	unsigned sessions_unindexed;     /* Established connections the index had no memory for */
	uv_check_t engine_check;         /* runs the route engine's slices (route_engine.c) */
	uv_idle_t engine_idle;           /* active while events wait: the loop does not block */
	bool input_paused;               /* reads stopped: too many UPDATE bytes queued */
	size_t input_this_iteration;     /* octets read from Established sessions since the last
	                                    check phase, at most BGP_INPUT_PER_ITERATION (session.c) */
	bool redeciding;                 /* every route is being decided again (route_engine.c) */
	struct bgp_export_scratch export_scratch;
	struct bgp_rib_cursor redecide;
};

/* session.c */
struct bgp_connection *bgp_connection_connect(struct bgp_peer *peer);
struct bgp_connection *bgp_connection_accept(struct bgp_peer *peer, int fd);
/* Feeds an event to the connection's FSM and carries out the actions. */
void bgp_connection_event(struct bgp_connection *conn, enum bgp_event event,
			  const struct bgp_fsm_input *input);
/* Queues bytes for the peer; false when the queue is over its cap. */
bool bgp_connection_send(struct bgp_connection *conn, const uint8_t *data, size_t len);
/* GTSM on a listener (RFC 5082): SYN-ACKs leave with TTL 255, and each SYN's IP header is kept
 * so that an accepted connection can be judged by the TTL its SYN arrived with. */
void bgp_listener_gtsm_options(int fd, int family);
/* Closes without any message (e.g. a connect attempt made pointless by a collision). */
void bgp_connection_abort(struct bgp_connection *conn, const char *reason);
void bgp_fsm_config_for_peer(const struct bgp_peer *peer, struct bgp_fsm_config *config);
/* The route engine's way back (events.h): an UPDATE of the peer's session was malformed
 * (BGP_EVENT_UPDATE_MSG_ERR) or crossed a limit (BGP_EVENT_AUTOMATIC_STOP): the session
 * resets with this error. */
void bgp_session_route_error(struct bgp_peer *peer, enum bgp_event event, const struct bgp_error *error);
/* The route engine took events off the queue: reads resume once it is below BGP_INPUT_LOW. */
void bgp_session_input_drained(struct bgp_speaker *speaker);
/* A loop iteration's check phase: the sessions' read allowance starts again (session.c). */
void bgp_session_iteration_begin(struct bgp_speaker *speaker);

/* session_output.c: the output queue (events.h) into the connections' send queues. */
void bgp_session_output_init(struct bgp_speaker *speaker);
void bgp_session_output_close(struct bgp_speaker *speaker);
/* Everything queued goes into its session's send queue now (or is dropped: session gone). */
void bgp_session_output_drain(struct bgp_speaker *speaker);
/* The id to queue the peer's messages under: its Established session's, or 0 (none). */
uint64_t bgp_session_id(const struct bgp_peer *peer);
/* The one way peer->established changes: conn (Established now) or NULL (the session ended,
 * whatever ended it), and the session index follows. */
void bgp_session_set_established(struct bgp_peer *peer, struct bgp_connection *conn);
/* The Established connection of a session id, or NULL (the session is gone). */
struct bgp_connection *bgp_session_connection(struct bgp_speaker *speaker, uint64_t session);

/* route_engine.c */
void bgp_route_engine_init(struct bgp_speaker *speaker);
/* The speaker is destroyed: its handles close, queued events are dropped. */
void bgp_route_engine_close(struct bgp_speaker *speaker);
/* Events were queued: the loop must not block before the engine has run. */
void bgp_route_engine_wake(struct bgp_speaker *speaker);
/* Next hops resolve differently, or the decision's settings changed: every route is decided
 * again, in slices. */
void bgp_route_engine_redecide(struct bgp_speaker *speaker);
/* Runs everything queued to the end, now (tests). */
void bgp_route_engine_finish(struct bgp_speaker *speaker);
/* The peer goes away: its events are cancelled and its paths removed now. */
void bgp_route_engine_drop_peer(struct bgp_speaker *speaker, struct bgp_peer *peer);

/* message_log.c: an entry in the peer's message log (members NULL: no JSON members), also
 * written to the daemon log. */
__attribute__((format(printf, 5, 6)))
void bgp_peer_log(struct bgp_peer *peer, enum bgp_log_direction direction, const char *type,
		  const struct bgp_log_members *members, const char *fmt, ...);
/* A peer's free text (an RFC 9003 shutdown communication) made fit for logs, terminals and
 * JSON: a control character or an octet that is not part of well-formed UTF-8 becomes '?'. */
void bgp_peer_text_sanitise(char *text);

/* refresh.c: a ROUTE-REFRESH from the peer (RFC 2918 §4, RFC 7313 §4) sends its Adj-RIB-Out
 * again (bgp_peer_request_refresh, bgp.h, asks the peer for its routes). */
void bgp_peer_received_refresh(struct bgp_peer *peer, struct bgp_connection *conn,
			       const struct bgp_route_refresh *rr);
/* Asks the peer for its routes (ROUTE-REFRESH, when it offered route refresh) and says in the
 * peer's log, under kind, either what was asked or why not and what to type instead. True
 * when the request went out. */
bool bgp_peer_refresh_or_explain(struct bgp_peer *peer, const char *kind, const char *asked,
				 const char *no_refresh);

/* peer.c */

/* connected.c: the EBGP connected check (RFC 4271 §5.1.3, IOS) */
/* May we connect to (accepted_fd < 0) or accept from (accepted_fd: the accepted socket) remote?
 * True when the check does not apply or the peer is directly connected. */
bool bgp_peer_directly_connected(const struct bgp_peer *peer, const struct ip_addr *remote, int accepted_fd);
/* Fast external fallover: the check applies and no link that is up with carrier reaches the peer
 * any more. */
bool bgp_peer_link_lost(const struct bgp_peer *peer);

/* export.c */
void bgp_export_route(struct bgp_speaker *speaker, const struct bgp_route *route,
		      struct bgp_path_attrs *old_attrs, struct bgp_peer *old_source,
		      const struct bgp_path *best);
void bgp_export_flush(struct bgp_speaker *speaker);
void bgp_export_peer_free(struct bgp_peer *peer);

/* aggregate.c */
void bgp_aggregate_configure(struct bgp_speaker *speaker, const struct config_bgp *bgp);
/* A route's best path went from old_best to new_best (attribute sets, NULL for none): the
 * aggregates it contributes to count it again. */
void bgp_aggregate_track(struct bgp_speaker *speaker, const struct bgp_route *route,
			 const struct bgp_path_attrs *old_best, const struct bgp_path_attrs *new_best);
/* Every contributor of the batch counted: aggregates whose attributes changed are originated
 * again (or withdrawn). */
void bgp_aggregate_refresh(struct bgp_speaker *speaker);
bool bgp_aggregate_suppresses(const struct bgp_speaker *speaker, const struct bgp_route *route);
/* export.c: a route became suppressed (or not) by a summary-only aggregate. */
void bgp_export_suppression_changed(struct bgp_speaker *speaker, const struct bgp_route *route,
				    bool suppressed);

/* filter.c: neighbour prefix-lists and route-maps, RFC 8212 */
struct bgp_filter_view {
	const struct policy_config *policy;
	bool requires_policy;        /* bgp ebgp-requires-policy */
};
struct bgp_filter_view bgp_filter_current(const struct bgp_speaker *speaker);
/* Does the peer have a policy in that direction (RFC 8212)? */
bool bgp_filter_has(const struct bgp_peer_filter *filter, bool out);
/* Import verdict for one prefix of an UPDATE (a: its decoded attributes); *entry: the set
 * clauses to apply, or NULL. */
bool bgp_filter_import(const struct bgp_peer *peer, const struct prefix *prefix, const struct bgp_attrs *a,
		       const struct policy_route_map_entry **entry);
/* Export verdict for a best path to target under a policy and names (pure). */
bool bgp_filter_export(const struct bgp_filter_view *view, const struct bgp_peer_filter *filter,
		       const struct bgp_peer *target, const struct bgp_route *route,
		       const struct bgp_path_attrs *attrs, const struct policy_route_map_entry **entry);
/* The names of the prefix-lists and route-maps a neighbour's configuration binds, each looked
 * up in policy (the speaker's copy: the result holds pointers into it, so it is taken again
 * whenever the copy is replaced). */
struct bgp_peer_filter bgp_filter_of(const struct config_bgp_neighbor *neighbor, const struct policy_config *policy);
/* Does what the peer gets (out) or takes (!out) differ between the old and the new policy
 * and names? */
bool bgp_filter_direction_changed(const struct bgp_filter_view *old_view, const struct bgp_peer_filter *old_f,
				   const struct bgp_filter_view *new_view, const struct bgp_peer_filter *new_f,
				   const struct bgp_peer *peer, bool out);

/* policy_change.c: after bgp_speaker_configure updated the peers: the new policy in force,
 * with soft reconfiguration of the peers it changes for. */
void bgp_policy_change_configure(struct bgp_speaker *speaker, const struct config *config);
/* export.c, for policy_change.c: may the best path go to target before policy (families, split
 * horizon, communities, aggregates)? Queue an announcement with set clauses, or (best NULL)
 * a withdrawal. */
bool bgp_export_base_allowed(const struct bgp_peer *target, const struct bgp_route *route,
			     const struct bgp_path *best);
void bgp_export_queue(struct bgp_peer *peer, const struct bgp_route *route, const struct bgp_path *best,
		      const struct policy_route_map_entry *sets);

/* rib.c */
/* A pre-policy store for a peer (adj_rib_in.h), its entries from the RIB's pools; NULL when
 * memory is short. */
struct bgp_adj_rib_in *bgp_rib_adj_rib_in_create(struct bgp_rib *rib);
/* A store no peer has any more: freed a step at a time by the route engine (adj_rib_in.h). */
void bgp_rib_adj_rib_in_retire(struct bgp_rib *rib, struct bgp_adj_rib_in *in);
/* Frees about `buckets` buckets of retired stores; true while some remain. */
bool bgp_rib_adj_rib_in_release_step(struct bgp_rib *rib, size_t buckets);
bool bgp_rib_adj_rib_in_releasing(const struct bgp_rib *rib);
/* soft-reconfiguration inbound: the peer's stored routes go through the import path again
 * (the checks, then the policy in force) and the differences are decided and exported. */
void bgp_rib_peer_soft_in(struct bgp_rib *rib, struct bgp_peer *peer);
/* The same a step at a time (the route engine): IPv4 then IPv6 through one store cursor
 * (bgp_rib_peer_soft_in_open), each step of about `buckets` buckets ending with a commit;
 * true while the replay has more to do. */
void bgp_rib_peer_soft_in_open(const struct bgp_peer *peer, struct bgp_adj_rib_in_cursor *cursor);
bool bgp_rib_peer_soft_in_step(struct bgp_rib *rib, struct bgp_peer *peer, struct bgp_adj_rib_in_cursor *cursor,
			       size_t buckets);
/* Sets (attrs != NULL) or removes our own path for a prefix, outside the network statement
 * bookkeeping (aggregates). */
void bgp_rib_local_path(struct bgp_rib *rib, const struct prefix *prefix, const struct bgp_attrs *attrs);
struct bgp_attrs_table *bgp_rib_attrs_table(struct bgp_rib *rib);
/* The number of buckets of a family's table now (tests: proof that a walk saw a rehash). */
size_t bgp_rib_table_size(struct bgp_rib *rib, uint8_t family);
/* export.c: continues a table dump to the peer while its send queue has room, for a bounded
 * time; true when it ran out of time with room left: the route engine carries it on (its
 * slices find it runnable; a caller outside them wakes the engine). */
bool bgp_export_dump_continue(struct bgp_peer *peer);
bool bgp_export_dump_runnable(const struct bgp_peer *peer);
/* The whole table to the peer, then End-of-RIB, then (eorr_afi != 0) an EoRR; true as for
 * bgp_export_dump_continue. */
bool bgp_export_send_table(struct bgp_peer *peer, uint16_t eorr_afi);
/* A ROUTE-REFRESH message of this subtype (RFC 2918 §3, RFC 7313 §3: BoRR, EoRR) to the peer. */
void bgp_export_send_route_refresh(struct bgp_peer *peer, uint16_t afi, uint8_t subtype);
/* Every route is decided again (the IGP under the next hops, or the decision's settings,
 * changed), all at once (tests, configuration) or a step at a time (the route engine). */
void bgp_rib_next_hops_changed(struct bgp_rib *rib);
void bgp_rib_next_hops_invalidate(struct bgp_rib *rib);
/* Whole-table walks a step at a time: IPv4 then IPv6 through one cursor, each step of about
 * `buckets` buckets ending with a commit; true while the walk has more to do. */
void bgp_rib_table_walk_open(struct bgp_rib *rib, struct bgp_rib_cursor *cursor);
bool bgp_rib_peer_down_step(struct bgp_rib *rib, struct bgp_peer *peer, struct bgp_rib_cursor *cursor,
			    size_t buckets);
bool bgp_rib_redecide_step(struct bgp_rib *rib, struct bgp_rib_cursor *cursor, size_t buckets);
bool bgp_speaker_resolve_next_hop(struct bgp_speaker *speaker, const struct ip_addr *next_hop,
				  uint32_t *metric);

/* Jitter of RFC 4271 §10: a value between 75% and 100% of base, in milliseconds. */
uint64_t bgp_jitter_ms(uint32_t base_seconds);

#endif
