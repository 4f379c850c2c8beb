/*
 * DOC: the route engine's loop side: it takes the session engine's events (events.h) from the
 * event loop, a bounded slice at a time, and applies them to the Loc-RIB.
 *
 * A uv_check handle runs a slice after every poll phase, so the UPDATEs that one loop
 * iteration read are applied in that same iteration (DESIGN.md principle 4: a batch, then
 * one decision and one export run for all of it). A slice stops after BGP_ROUTE_SLICE_NS,
 * commits what it applied (decision, export, routing table), and, if events remain, keeps a
 * uv_idle handle active so that the next poll does not block: sockets, timers and the
 * control socket get their turn between slices, and a KEEPALIVE never waits behind a whole
 * full table.
 *
 * Table dumps to new peers go on from the loop too, a bounded time per call (export.c).
 *
 * Between slices a session may go down: its events are cancelled (events.h), so the engine
 * only ever meets peers whose session is the one that queued the event.
 */
#include "bgp/internal.h"

#include <string.h>

#include "bgp/events.h"

/* How long one slice may apply UPDATEs before it commits and returns to the loop. */
#define BGP_ROUTE_SLICE_NS (5u * 1000 * 1000)
/* The clock is read once this many octets of UPDATEs were applied since the last look, and
 * after every UPDATE of that size or more: a look per 4096 octets is a look per largest
 * UPDATE (RFC 4271 §4.1), so the longest stretch between looks is what one UPDATE of a
 * thousand prefixes costs. Counting UPDATEs instead let sixteen large ones run a slice to
 * 38 ms instead of 5 (bench stall, ten feeders loading); a look after every UPDATE was 1%
 * of a full table's load, where UPDATEs carry four prefixes each. */
#define BGP_ROUTE_CLOCK_OCTETS BGP_MAX_MESSAGE

/* maximum-prefix (max_prefix.c), per address family: over the limit, Cease 6/1 and the peer
 * stays down; false then. */
static bool max_prefix_judged(struct bgp_peer *peer)
{
	struct bgp_error error;
	if (bgp_max_prefix_after_update(peer, &error))
		return true;
	bgp_session_route_error(peer, BGP_EVENT_AUTOMATIC_STOP, &error);
	return false;
}

static void apply_update(struct bgp_speaker *speaker, struct bgp_peer *peer, const uint8_t *bytes, size_t len)
{
	struct reader body = reader_make(bytes, len);
	struct bgp_update_parts parts;
	struct bgp_error error;
	if (!bgp_update_split(&body, &parts, &error) || !bgp_rib_update(speaker->rib, peer, &parts, &error)) {
		bgp_peer_log(peer, BGP_LOG_RECEIVED, "update", NULL, "UPDATE received: malformed (%s)",
			     bgp_error_subcode_name(error.code, error.subcode));
		bgp_session_route_error(peer, BGP_EVENT_UPDATE_MSG_ERR, &error);
		return;
	}
	/* The peer's initial table of a family is complete (RFC 4724 §2) */
	enum bgp_afi_safi_index family;
	if (bgp_afi_safi_end_of_rib(bytes, len, &family))
		peer->afi_safi.family[family].end_of_rib_received = true;
	if (!max_prefix_judged(peer))
		return;
	/* The session's first UPDATEs go in the log (the seed's §3); a full table would drown it. */
	if (peer->debug || peer->updates_logged[0] < BGP_LOG_UPDATES) {
		peer->updates_logged[0]++;
		struct reader nlri = parts.nlri, withdrawn = parts.withdrawn;
		struct bgp_prefix4 p;
		unsigned announced = 0, gone = 0;
		while (bgp_prefix4_next(&nlri, &p) > 0)
			announced++;
		while (bgp_prefix4_next(&withdrawn, &p) > 0)
			gone++;
		bgp_peer_log(peer, BGP_LOG_RECEIVED, "update", NULL,
			     "UPDATE received: %u IPv4 prefixes reachable, %u withdrawn%s%s", announced, gone,
			     !announced && !gone && reader_empty(&parts.attributes) ? " (End-of-RIB)" : "",
			     peer->updates_logged[0] == BGP_LOG_UPDATES && !peer->debug
				     ? "; later UPDATEs are counted, not logged"
				     : "");
	}
}

/* Loading a full table is bound by cache misses in the prefix table: while one UPDATE is
 * applied, the chains of the next one and the buckets of the one after are on their way. */
static void prefetch_ahead(struct bgp_rib *rib, const struct bgp_route_event *e, bool first)
{
	const uint8_t *body;
	size_t len;
	if (first && bgp_route_event_peek_update(e, 0, &body, &len))
		bgp_rib_prefetch(rib, body, len, BGP_RIB_PREFETCH_BUCKETS);
	if (bgp_route_event_peek_update(e, 1, &body, &len))
		bgp_rib_prefetch(rib, body, len, first ? BGP_RIB_PREFETCH_BUCKETS : BGP_RIB_PREFETCH_CHAINS);
	if (!first && bgp_route_event_peek_update(e, 2, &body, &len))
		bgp_rib_prefetch(rib, body, len, BGP_RIB_PREFETCH_BUCKETS);
}

static bool slice_over(uint64_t start, uint64_t budget)
{
	return uv_hrtime() - start > budget;
}

/* Whole-table walks go in steps of this many buckets, each ending with a commit; the slice
 * looks at the clock between steps, so a step is what a slice may overrun its time by. A
 * bucket holds one or two routes, and a route of a table ten peers sent costs about a
 * microsecond and a half to decide again (its paths' attributes are cache misses): 4096
 * buckets made steps of 13 to 35 ms when a feeder of ten dropped (bench stall), 512 make
 * them a few ms. */
#define WALK_STEP_BUCKETS 512

/* The front event's peer-down walk, until the slice is over; true once it is complete. */
static bool walk_peer_down(struct bgp_speaker *speaker, struct bgp_route_event *e, uint64_t start, uint64_t budget)
{
	if (!e->walking) {
		bgp_afi_safi_session_down(&e->peer->afi_safi); /* nothing is spoken until PEER_UP */
		bgp_rib_table_walk_open(speaker->rib, &e->walk);
		e->walking = true;
	}
	while (bgp_rib_peer_down_step(speaker->rib, e->peer, &e->walk, WALK_STEP_BUCKETS))
		if (slice_over(start, budget))
			return false;
	e->peer->withdrawing--;
	return true;
}

/* The front event's soft-in replay, until the slice is over; true once it is complete. */
static bool replay_soft_in(struct bgp_speaker *speaker, struct bgp_route_event *e, uint64_t start, uint64_t budget)
{
	if (!e->walking) {
		bgp_rib_peer_soft_in_open(e->peer, &e->replay);
		e->walking = true;
	}
	while (bgp_rib_peer_soft_in_step(speaker->rib, e->peer, &e->replay, WALK_STEP_BUCKETS))
		if (slice_over(start, budget))
			return false;
	return true;
}

/* Applies events until the slice's time is used up; true if UPDATEs wait to be committed. */
static bool run_events(struct bgp_speaker *speaker, uint64_t start, uint64_t budget)
{
	struct bgp_event_queue *q = &speaker->events;
	unsigned applied = 0;
	size_t unlooked = 0; /* octets applied since the clock was last read */
	struct bgp_route_event *e;
	while ((e = bgp_event_queue_front(q))) {
		if (!e->peer) {
			bgp_event_queue_pop(q);
			continue;
		}
		struct bgp_peer *peer = e->peer;
		switch (e->kind) {
		case BGP_ROUTE_EVENT_ROUTE_REFRESH: {
			struct bgp_route_refresh refresh = e->refresh;
			bgp_event_queue_pop(q);
			if (peer->established)
				bgp_peer_received_refresh(peer, peer->established, &refresh);
			continue;
		}
		case BGP_ROUTE_EVENT_PEER_UP: {
			struct bgp_afi_safi_negotiated negotiated = e->negotiated;
			bgp_event_queue_pop(q);
			/* What the session speaks per family (afi_safi.h), then the initial table
			 * and each family's End-of-RIB (RFC 4724 §2); it goes out as the peer's
			 * socket drains (export.c). */
			if (peer->established) {
				bgp_afi_safi_session_up(&peer->afi_safi, &negotiated);
				bgp_rib_peer_send_table(speaker->rib, peer);
			}
			continue;
		}
		case BGP_ROUTE_EVENT_PEER_DOWN:
			if (applied)
				bgp_rib_commit(speaker->rib); /* what came before, decided before */
			applied = 0;
			if (!walk_peer_down(speaker, e, start, budget))
				return false;
			bgp_event_queue_pop(q);
			continue;
		case BGP_ROUTE_EVENT_SOFT_IN:
			if (applied)
				bgp_rib_commit(speaker->rib);
			applied = 0;
			if (!replay_soft_in(speaker, e, start, budget))
				return false;
			bgp_event_queue_pop(q);
			/* more routes may be accepted now: judged as after an UPDATE */
			if (peer->established)
				max_prefix_judged(peer);
			continue;
		case BGP_ROUTE_EVENT_UPDATES:
			break;
		}
		const uint8_t *body;
		size_t len;
		prefetch_ahead(speaker->rib, e, true);
		while (e->peer && bgp_route_event_next_update(q, e, &body, &len)) {
			prefetch_ahead(speaker->rib, e, false);
			apply_update(speaker, e->peer, body, len);
			/* A reset of the session queued its PEER_DOWN (the ring may have moved) and
			 * cancelled the rest of this event (e->peer NULL). */
			e = bgp_event_queue_front(q);
			applied++;
			unlooked += len;
			if (unlooked >= BGP_ROUTE_CLOCK_OCTETS) {
				unlooked = 0;
				if (slice_over(start, budget))
					return true;
			}
		}
		bgp_event_queue_pop(q);
	}
	return applied > 0;
}

/* Every route decided again, a step at a time; true once complete. */
static bool run_redecide(struct bgp_speaker *speaker, uint64_t start, uint64_t budget)
{
	while (speaker->redeciding) {
		if (!bgp_rib_redecide_step(speaker->rib, &speaker->redecide, WALK_STEP_BUCKETS))
			speaker->redeciding = false;
		else if (slice_over(start, budget))
			return false;
	}
	return true;
}

/* Table dumps to new peers (and refreshes) that have room in their send queue and only wait
 * for time: a peer whose export policy sends nothing never drains a queue to wake them. */
static bool dumps_runnable(struct bgp_speaker *speaker)
{
	for (struct bgp_peer *peer = speaker->peers; peer; peer = peer->next)
		if (bgp_export_dump_runnable(peer))
			return true;
	return false;
}

/* After the events; one dump goes on even when they used the whole slice, so that a stream of
 * UPDATEs cannot hold a new peer's table back for good. */
static void run_dumps(struct bgp_speaker *speaker, uint64_t start, uint64_t budget)
{
	bool first = true;
	for (struct bgp_peer *peer = speaker->peers; peer; peer = peer->next) {
		if (!bgp_export_dump_runnable(peer))
			continue;
		if (!first && slice_over(start, budget))
			return;
		bgp_export_dump_continue(peer);
		first = false;
	}
}

static bool engine_busy(struct bgp_speaker *speaker)
{
	return !bgp_event_queue_empty(&speaker->events) || speaker->redeciding || dumps_runnable(speaker) ||
	       bgp_rib_adj_rib_in_releasing(speaker->rib);
}

/* Stores no peer has any more, freed with what time is left (at least one step). */
static void run_release(struct bgp_speaker *speaker, uint64_t start, uint64_t budget)
{
	while (bgp_rib_adj_rib_in_release_step(speaker->rib, WALK_STEP_BUCKETS))
		if (slice_over(start, budget))
			return;
}

/* One slice: a table-wide decision under way gets half of it, the events the rest. */
static void run_slice(struct bgp_speaker *speaker, uint64_t budget)
{
	uint64_t start = uv_hrtime();
	if (speaker->redeciding)
		run_redecide(speaker, start, bgp_event_queue_empty(&speaker->events) ? budget : budget / 2);
	if (run_events(speaker, start, budget))
		bgp_rib_commit(speaker->rib);
	run_dumps(speaker, start, budget);
	run_release(speaker, start, budget);
}

/* An active idle handle only keeps the next poll from blocking: the slices run in check. */
static void engine_idle_cb(uv_idle_t *idle)
{
	(void)idle;
}

static void engine_check_cb(uv_check_t *check)
{
	struct bgp_speaker *speaker = check->data;
	bgp_session_iteration_begin(speaker);
	if (!engine_busy(speaker))
		return;
	run_slice(speaker, BGP_ROUTE_SLICE_NS);
	if (engine_busy(speaker))
		uv_idle_start(&speaker->engine_idle, engine_idle_cb);
	else
		uv_idle_stop(&speaker->engine_idle);
	bgp_session_input_drained(speaker);
}

void bgp_route_engine_wake(struct bgp_speaker *speaker)
{
	if (!speaker->destroying)
		uv_idle_start(&speaker->engine_idle, engine_idle_cb);
}

/* The Loc-RIB's consumer (rib.h): each decision goes to export and to the aggregates. */
static void route_decided(struct bgp_speaker *speaker, const struct bgp_route *route,
			  struct bgp_path_attrs *old_attrs, struct bgp_peer *old_peer,
			  const struct bgp_path *best, bool changed)
{
	if (changed)
		bgp_export_route(speaker, route, old_attrs, old_peer, best);
	if (speaker->aggregate_count)
		bgp_aggregate_track(speaker, route, old_attrs, best ? best->attrs : NULL);
}

/* Every contributor decided: an aggregate whose attributes changed (RFC 4271 §9.2.2.2) is
 * originated again and joins the commit's loop, so that it is decided and exported now, not
 * at the next read batch (a keepalive, maybe a minute later). */
static void batch_decided(struct bgp_speaker *speaker)
{
	if (speaker->aggregate_count)
		bgp_aggregate_refresh(speaker);
}

static void committed(struct bgp_speaker *speaker)
{
	bgp_export_flush(speaker);
}

static const struct bgp_rib_consumer rib_consumer = {
	.decided = route_decided,
	.batch_decided = batch_decided,
	.committed = committed,
};

/* The event queue's consumer: an event queued by the session engine wakes the engine. */
static void events_queued(void *speaker)
{
	bgp_route_engine_wake(speaker);
}

void bgp_route_engine_redecide(struct bgp_speaker *speaker)
{
	/* A walk under way starts over: the routes it already decided must see this change too. */
	bgp_rib_next_hops_invalidate(speaker->rib);
	bgp_rib_table_walk_open(speaker->rib, &speaker->redecide);
	speaker->redeciding = true;
	bgp_route_engine_wake(speaker);
}

void bgp_route_engine_finish(struct bgp_speaker *speaker)
{
	while (engine_busy(speaker))
		run_slice(speaker, UINT64_MAX);
	bgp_session_input_drained(speaker);
}

void bgp_route_engine_drop_peer(struct bgp_speaker *speaker, struct bgp_peer *peer)
{
	struct bgp_event_queue *q = &speaker->events;
	bgp_event_queue_forget_peer(q, peer);
	/* Its walks finish now, out of turn: they only remove this peer's paths, and nothing of
	 * the peer comes after them any more. */
	for (size_t i = 0; peer->withdrawing && i < q->count; i++) {
		struct bgp_route_event *e = &q->events[(q->head + i) % q->cap];
		if (e->peer != peer || e->kind != BGP_ROUTE_EVENT_PEER_DOWN)
			continue;
		walk_peer_down(speaker, e, uv_hrtime(), UINT64_MAX);
		e->peer = NULL;
	}
}

void bgp_route_engine_init(struct bgp_speaker *speaker)
{
	bgp_event_queue_init(&speaker->events);
	bgp_event_queue_set_consumer(&speaker->events, events_queued, speaker);
	bgp_rib_set_consumer(speaker->rib, &rib_consumer);
	uv_check_init(speaker->loop, &speaker->engine_check);
	uv_idle_init(speaker->loop, &speaker->engine_idle);
	speaker->engine_check.data = speaker->engine_idle.data = speaker;
	uv_check_start(&speaker->engine_check, engine_check_cb);
	/* The check alone never keeps the loop alive; queued work does (the idle handle). */
	uv_unref((uv_handle_t *)&speaker->engine_check);
}

void bgp_route_engine_close(struct bgp_speaker *speaker)
{
	bgp_event_queue_free(&speaker->events);
	uv_close((uv_handle_t *)&speaker->engine_check, NULL);
	uv_close((uv_handle_t *)&speaker->engine_idle, NULL);
}
