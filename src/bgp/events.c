/*
 * DOC: the queues between the session engine and the route engine (events.h).
 *
 * Session -> route engine: a ring of events; an UPDATES event owns one buffer of
 * length-prefixed UPDATE bodies. A batch is closed at BATCH_MAX bytes so that the memory of
 * applied UPDATEs goes back while a long stream from one peer is still coming in; one
 * applied batch's buffer is kept for the next batch (spare).
 *
 * Route engine -> session engine: one buffer of message octets and a list of chunks (session
 * id, where, how long); emptied whole each time it is taken, its memory kept for the next
 * batch (it is taken at BGP_OUTPUT_QUEUE_EARLY octets, so it stays about that size).
 */
#include "bgp/events.h"

#include <stdlib.h>
#include <string.h>

#define BATCH_MAX (1u << 20)
#define RECORD_HEADER sizeof(uint32_t)

void bgp_event_queue_init(struct bgp_event_queue *q)
{
	memset(q, 0, sizeof(*q));
	array_init(&q->spare, MEMORY_BGP, 1, ARRAY_NO_CAP);
}

void bgp_event_queue_set_consumer(struct bgp_event_queue *q, void (*wake)(void *consumer), void *consumer)
{
	q->consumer_wake = wake;
	q->consumer = consumer;
}

static bool queued(struct bgp_event_queue *q)
{
	if (q->consumer_wake)
		q->consumer_wake(q->consumer);
	return true;
}

static struct bgp_route_event *at(const struct bgp_event_queue *q, size_t i)
{
	return &q->events[(q->head + i) % q->cap];
}

void bgp_event_queue_free(struct bgp_event_queue *q)
{
	for (size_t i = 0; i < q->count; i++)
		array_free(&at(q, i)->bytes);
	array_free(&q->spare);
	free(q->events);
	memset(q, 0, sizeof(*q));
}

static struct bgp_route_event *push(struct bgp_event_queue *q)
{
	if (q->count == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 64;
		struct bgp_route_event *grown = malloc(cap * sizeof(*grown));
		if (!grown)
			return NULL;
		for (size_t i = 0; i < q->count; i++)
			grown[i] = *at(q, i);
		free(q->events);
		q->events = grown;
		q->cap = cap;
		q->head = 0;
	}
	struct bgp_route_event *e = at(q, q->count++);
	memset(e, 0, sizeof(*e));
	return e;
}

bool bgp_event_queue_update(struct bgp_event_queue *q, struct bgp_peer *peer, const uint8_t *body, size_t len)
{
	struct bgp_route_event *e = q->count ? at(q, q->count - 1) : NULL;
	if (!e || e->kind != BGP_ROUTE_EVENT_UPDATES || e->peer != peer || e->bytes.count >= BATCH_MAX) {
		e = push(q);
		if (!e)
			return false;
		e->kind = BGP_ROUTE_EVENT_UPDATES;
		e->peer = peer;
		/* the last applied batch's buffer, already grown and its pages touched: a full
		 * table is tens of batches, each one otherwise grown from nothing again */
		e->bytes = q->spare;
		array_init(&q->spare, MEMORY_BGP, 1, ARRAY_NO_CAP);
	}
	if (array_reserve(&e->bytes, RECORD_HEADER + len) != ARRAY_OK)
		return false;
	uint8_t *end = (uint8_t *)e->bytes.items + e->bytes.count;
	uint32_t length = (uint32_t)len;
	memcpy(end, &length, RECORD_HEADER);
	memcpy(end + RECORD_HEADER, body, len);
	e->bytes.count += RECORD_HEADER + len;
	q->bytes += RECORD_HEADER + len;
	if (q->bytes > q->bytes_peak)
		q->bytes_peak = q->bytes;
	return queued(q);
}

bool bgp_event_queue_refresh(struct bgp_event_queue *q, struct bgp_peer *peer, const struct bgp_route_refresh *refresh)
{
	struct bgp_route_event *e = push(q);
	if (!e)
		return false;
	e->kind = BGP_ROUTE_EVENT_ROUTE_REFRESH;
	e->peer = peer;
	e->refresh = *refresh;
	return queued(q);
}

bool bgp_event_queue_peer(struct bgp_event_queue *q, struct bgp_peer *peer, enum bgp_route_event_kind kind)
{
	struct bgp_route_event *e = push(q);
	if (!e)
		return false;
	e->kind = kind;
	e->peer = peer;
	return queued(q);
}

bool bgp_event_queue_peer_up(struct bgp_event_queue *q, struct bgp_peer *peer,
			     const struct bgp_afi_safi_negotiated *negotiated)
{
	if (!bgp_event_queue_peer(q, peer, BGP_ROUTE_EVENT_PEER_UP))
		return false;
	at(q, q->count - 1)->negotiated = *negotiated;
	return true;
}

struct bgp_route_event *bgp_event_queue_front(struct bgp_event_queue *q)
{
	return q->count ? at(q, 0) : NULL;
}

void bgp_event_queue_pop(struct bgp_event_queue *q)
{
	if (!q->count)
		return;
	struct bgp_route_event *e = at(q, 0);
	q->bytes -= e->bytes.count - e->done;
	if (e->kind == BGP_ROUTE_EVENT_UPDATES && !q->spare.capacity) {
		q->spare = e->bytes;
		q->spare.count = 0;
	} else {
		array_free(&e->bytes);
	}
	q->head = (q->head + 1) % q->cap;
	q->count--;
}

static bool record_at(const struct bgp_route_event *e, size_t offset, const uint8_t **body, size_t *len)
{
	if (e->kind != BGP_ROUTE_EVENT_UPDATES || offset + RECORD_HEADER > e->bytes.count)
		return false;
	const uint8_t *record = (const uint8_t *)e->bytes.items + offset;
	uint32_t length;
	memcpy(&length, record, RECORD_HEADER);
	*body = record + RECORD_HEADER;
	*len = length;
	return true;
}

bool bgp_route_event_next_update(struct bgp_event_queue *q, struct bgp_route_event *e, const uint8_t **body,
				 size_t *len)
{
	if (!record_at(e, e->done, body, len))
		return false;
	e->done += RECORD_HEADER + *len;
	q->bytes -= RECORD_HEADER + *len;
	return true;
}

bool bgp_route_event_peek_update(const struct bgp_route_event *e, unsigned ahead, const uint8_t **body, size_t *len)
{
	size_t offset = e->done;
	for (;;) {
		if (!record_at(e, offset, body, len))
			return false;
		if (!ahead--)
			return true;
		offset += RECORD_HEADER + *len;
	}
}

void bgp_event_queue_forget_peer(struct bgp_event_queue *q, const struct bgp_peer *peer)
{
	for (size_t i = 0; i < q->count; i++) {
		struct bgp_route_event *e = at(q, i);
		if (e->peer != peer || e->kind == BGP_ROUTE_EVENT_PEER_DOWN)
			continue;
		e->peer = NULL;
		q->bytes -= e->bytes.count - e->done;
		e->done = e->bytes.count;
	}
}

bool bgp_event_queue_empty(const struct bgp_event_queue *q)
{
	return q->count == 0;
}

/* ---- route engine -> session engine ---- */

void bgp_output_queue_init(struct bgp_output_queue *q)
{
	memset(q, 0, sizeof(*q));
	array_init(&q->chunks, MEMORY_BGP_EXPORT, sizeof(struct bgp_output_chunk), ARRAY_NO_CAP);
	array_init(&q->bytes, MEMORY_BGP_EXPORT, 1, ARRAY_NO_CAP);
}

void bgp_output_queue_set_drainer(struct bgp_output_queue *q, void (*wake)(void *drainer, size_t queued),
				  void *drainer)
{
	q->drainer_wake = wake;
	q->drainer = drainer;
}

void bgp_output_queue_free(struct bgp_output_queue *q)
{
	array_free(&q->chunks);
	array_free(&q->bytes);
}

bool bgp_output_queue_put(struct bgp_output_queue *q, uint64_t session, const uint8_t *message, size_t len)
{
	if (array_reserve(&q->bytes, len) != ARRAY_OK)
		return false;
	struct bgp_output_chunk *last = q->chunks.count ? array_at(&q->chunks, q->chunks.count - 1) : NULL;
	if (last && last->session == session) {
		last->len += len;
	} else {
		struct bgp_output_chunk *c = array_push(&q->chunks);
		if (!c)
			return false;
		*c = (struct bgp_output_chunk){ .session = session, .offset = q->bytes.count, .len = len };
	}
	memcpy((uint8_t *)q->bytes.items + q->bytes.count, message, len);
	q->bytes.count += len;
	if (q->drainer_wake)
		q->drainer_wake(q->drainer, q->bytes.count);
	return true;
}

size_t bgp_output_queue_pending(const struct bgp_output_queue *q, uint64_t session)
{
	size_t pending = 0;
	for (size_t i = 0; i < q->chunks.count; i++) {
		const struct bgp_output_chunk *c = array_at(&q->chunks, i);
		if (c->session == session)
			pending += c->len;
	}
	return pending;
}

bool bgp_output_queue_empty(const struct bgp_output_queue *q)
{
	return q->chunks.count == 0;
}

void bgp_output_queue_take(struct bgp_output_queue *q,
			   bool (*deliver)(void *context, uint64_t session, const uint8_t *bytes, size_t len),
			   void *context)
{
	for (size_t i = 0; i < q->chunks.count; i++) {
		const struct bgp_output_chunk *c = array_at(&q->chunks, i);
		if (!deliver(context, c->session, (const uint8_t *)q->bytes.items + c->offset, c->len))
			q->dropped += c->len;
	}
	array_clear(&q->chunks);
	array_clear(&q->bytes);
	/* A burst bigger than usual gives its memory back. */
	if (q->bytes.capacity > 4 * BGP_OUTPUT_QUEUE_EARLY)
		array_free(&q->bytes);
}
