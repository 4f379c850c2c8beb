/*
 * DOC: the typed events between BGP's session engine and its route engine (DESIGN.md, "Processes
 * and threads").
 *
 * The session engine (session.c, peer.c, fsm.c: sockets, framing, timers, collisions) never
 * applies an UPDATE itself: the read callback frames each message once, feeds the FSM, and
 * queues what concerns routes here. The route engine (route_engine.c over rib.c, export.c)
 * takes the queue from the event loop, a bounded slice at a time, so a read callback never
 * runs the decision process nor writes to other peers' sockets.
 *
 * Session -> route engine (this queue, first in first out):
 * - UPDATES: a batch of a peer's UPDATE bodies, framed once by the session (the bodies only;
 *   each record is its length then its bytes). Consecutive UPDATEs of one peer share a batch.
 * - ROUTE_REFRESH: the peer asked for our routes again (RFC 2918, RFC 7313), in its place in
 *   the stream, after the UPDATEs that came before it.
 * - PEER_UP: a session reached Established, with what its OPENs negotiated per address
 *   family (afi_safi.h), which the route engine installs in the peer's table: the table of
 *   each negotiated family goes out to it, then that family's End-of-RIB.
 * - PEER_DOWN: a session ended: every path it gave goes, a bounded step at a time (the event
 *   keeps its cursor, rib.h).
 * - SOFT_IN: `clear ip bgp A soft in` with a stored table: the peer's stored routes go
 *   through the import path again, a bounded step at a time (the event keeps the store's
 *   cursor, adj_rib_in.h), in their place in the stream like an UPDATE batch of the peer.
 * A session that goes down first cancels its other queued events (bgp_event_queue_forget_peer);
 * a new session's events queue behind the PEER_DOWN walk, so a path of the old session and one
 * of the new never meet.
 *
 * Each event queued wakes the consumer (bgp_event_queue_set_consumer): the session engine
 * only queues, and calls nothing of the route engine.
 *
 * Route engine -> session engine: bytes for peer X (bgp_connection_send through export.c),
 * and "reset peer X with this error" (bgp_session_route_error) when an UPDATE was malformed
 * (RFC 7606 session reset) or a maximum-prefix limit was crossed. Both run from the route
 * engine's slice, never from inside a session callback.
 *
 * The queue is bounded by its bytes: above BGP_INPUT_HIGH the session engine stops reading
 * Established sockets (TCP then pushes back on the peers) until it is below BGP_INPUT_LOW.
 * Everything is single-threaded today; the queue is where a second thread can go later.
 */
#ifndef TERN_BGP_EVENTS_H
#define TERN_BGP_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bgp/adj_rib_in.h"
#include "bgp/afi_safi.h"
#include "bgp/rib.h"
#include "lib/array.h"
#include "wire/bgp.h"

struct bgp_peer;

/* Above this many UPDATE bytes waiting for the route engine, sockets are no longer read. */
#define BGP_INPUT_HIGH (8u << 20)
#define BGP_INPUT_LOW (2u << 20)

enum bgp_route_event_kind {
	BGP_ROUTE_EVENT_UPDATES,
	BGP_ROUTE_EVENT_ROUTE_REFRESH,
	BGP_ROUTE_EVENT_PEER_UP,
	BGP_ROUTE_EVENT_PEER_DOWN,
	BGP_ROUTE_EVENT_SOFT_IN,
};

struct bgp_route_event {
	enum bgp_route_event_kind kind;
	struct bgp_peer *peer;          /* NULL: cancelled (the session went down) */
	/* UPDATES: records [uint32_t length][body], back to back, in an array of octets
	 * (lib/array.h, MEMORY_BGP); the records from offset done on are still to apply. */
	struct array bytes;
	size_t done;
	struct bgp_route_refresh refresh;  /* ROUTE_REFRESH */
	struct bgp_afi_safi_negotiated negotiated; /* PEER_UP: what the session speaks */
	struct bgp_rib_cursor walk;        /* PEER_DOWN: where the walk is */
	struct bgp_adj_rib_in_cursor replay; /* SOFT_IN: where the replay is */
	bool walking;                      /* PEER_DOWN, SOFT_IN: the walk began */
};

struct bgp_event_queue {
	struct bgp_route_event *events; /* a ring of cap slots: count of them from head */
	size_t head, count, cap;
	size_t bytes;                   /* UPDATE bytes queued and not yet applied */
	uint64_t bytes_peak;            /* the most ever queued */
	void (*consumer_wake)(void *consumer); /* told of every event queued (may be NULL) */
	void *consumer;
};

void bgp_event_queue_init(struct bgp_event_queue *q);
/* The consumer (the route engine) is woken by each event queued, so that the producer (the
 * session engine) needs to know nothing of it but this queue. */
void bgp_event_queue_set_consumer(struct bgp_event_queue *q, void (*wake)(void *consumer), void *consumer);
void bgp_event_queue_free(struct bgp_event_queue *q);
/* Appends one UPDATE body of the peer (to its batch at the tail, or a new one). False when
 * memory ran out. */
bool bgp_event_queue_update(struct bgp_event_queue *q, struct bgp_peer *peer, const uint8_t *body,
			    size_t len);
bool bgp_event_queue_refresh(struct bgp_event_queue *q, struct bgp_peer *peer,
			     const struct bgp_route_refresh *refresh);
/* A session reached Established (PEER_UP, nothing negotiated: use bgp_event_queue_peer_up),
 * ended (PEER_DOWN), or its stored routes are to be judged again (SOFT_IN). */
bool bgp_event_queue_peer(struct bgp_event_queue *q, struct bgp_peer *peer, enum bgp_route_event_kind kind);
/* A session reached Established and its OPENs negotiated this (PEER_UP). */
bool bgp_event_queue_peer_up(struct bgp_event_queue *q, struct bgp_peer *peer,
			     const struct bgp_afi_safi_negotiated *negotiated);
/* The oldest event, or NULL. */
struct bgp_route_event *bgp_event_queue_front(struct bgp_event_queue *q);
void bgp_event_queue_pop(struct bgp_event_queue *q);
/* The next UPDATE body of an UPDATES event: false once all were taken. */
bool bgp_route_event_next_update(struct bgp_event_queue *q, struct bgp_route_event *e, const uint8_t **body,
				 size_t *len);
/* The body of the UPDATE `ahead` records after the next one, without taking it (prefetch). */
bool bgp_route_event_peek_update(const struct bgp_route_event *e, unsigned ahead, const uint8_t **body,
				 size_t *len);
/* The peer's session went down: its queued events are cancelled, but for earlier sessions'
 * PEER_DOWN walks. */
void bgp_event_queue_forget_peer(struct bgp_event_queue *q, const struct bgp_peer *peer);
bool bgp_event_queue_empty(const struct bgp_event_queue *q);

#endif
