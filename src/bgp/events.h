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
 * Route engine -> session engine: bytes for session X (struct bgp_output_queue below), and
 * "reset peer X with this error" (bgp_session_route_error) when an UPDATE was malformed
 * (RFC 7606 session reset) or a maximum-prefix limit was crossed. Both run from the route
 * engine's slice, never from inside a session callback.
 *
 * The output queue carries whole messages (UPDATEs, End-of-RIB, the ROUTE-REFRESH markers of
 * RFC 7313) addressed by session id, not by peer pointer: an id is a number given to each
 * session when it reaches Established and never reused, so bytes for a peer deleted, or for
 * a session that went down (even one followed at once by a new session of the same peer),
 * find no session when they are taken and are dropped (counted in .dropped), never sent on
 * another session. Messages of one session keep the order they were queued in. The session
 * engine takes the queue into the connections' send queues (session_output.c): when it is
 * woken by a queued message, at the latest in the next loop iteration before the loop polls,
 * at once when BGP_OUTPUT_QUEUE_EARLY octets wait (a big batch goes out while it is still
 * being made), and before any message of its own (KEEPALIVE, NOTIFICATION), so those never
 * overtake UPDATEs queued before them. The queue stays small: it is emptied at
 * BGP_OUTPUT_QUEUE_EARLY octets, and a table dump pauses on a peer's send queue plus its
 * octets here (bgp_output_queue_pending).
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

/* Above this many UPDATE bytes waiting for the route engine, sockets are no longer read.
 * Small enough that what the session engine copied in is still in this core's cache (4 MB
 * of L2 here) when the route engine applies it: at 8 MB (low mark 2 MB) every UPDATE was
 * read back from further out, and the 1M one-feeder load took 0.82 s of CPU against 0.76 s
 * at 2 MB (five alternating runs each, make bench). A peer still never waits on us longer
 * than the route engine takes for this much. */
#define BGP_INPUT_HIGH (2u << 20)
#define BGP_INPUT_LOW (1u << 20)

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
	struct array spare;             /* an applied batch's buffer, emptied, for the next batch */
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

/* ---- route engine -> session engine: bytes for a session ---- */

/* Taken at once (not at the next loop iteration) once this many octets wait. */
#define BGP_OUTPUT_QUEUE_EARLY (256u << 10)

/* A run of messages for one session: consecutive messages of a session share a chunk. */
struct bgp_output_chunk {
	uint64_t session;  /* the session's id (bgp_connection.session_id), never 0 */
	size_t offset;     /* in bgp_output_queue.bytes */
	size_t len;
};

struct bgp_output_queue {
	struct array chunks;  /* of struct bgp_output_chunk, oldest first */
	struct array bytes;   /* the chunks' octets, back to back */
	uint64_t dropped;     /* octets whose session had ended when they were taken */
	/* Told of every message queued, with the octets now waiting (may be NULL). */
	void (*drainer_wake)(void *drainer, size_t queued);
	void *drainer;
};

void bgp_output_queue_init(struct bgp_output_queue *q);
/* The drainer (the session engine) is woken by each message queued: the producer (the route
 * engine) knows nothing of it but this queue. */
void bgp_output_queue_set_drainer(struct bgp_output_queue *q, void (*wake)(void *drainer, size_t queued),
				  void *drainer);
void bgp_output_queue_free(struct bgp_output_queue *q);
/* Appends one whole message for the session; false when memory ran out (nothing queued). */
bool bgp_output_queue_put(struct bgp_output_queue *q, uint64_t session, const uint8_t *message, size_t len);
/* Octets waiting for the session. */
size_t bgp_output_queue_pending(const struct bgp_output_queue *q, uint64_t session);
bool bgp_output_queue_empty(const struct bgp_output_queue *q);
/* Empties the queue, oldest first: deliver gets each chunk's session and octets and returns
 * false when that session is gone (the octets count as dropped). deliver must not queue. */
void bgp_output_queue_take(struct bgp_output_queue *q,
			   bool (*deliver)(void *context, uint64_t session, const uint8_t *bytes, size_t len),
			   void *context);

#endif
