/*
 * DOC: unit tests of the queue between BGP's session engine and route engine (events.h):
 * batching of a peer's UPDATEs, order across peers and kinds, the byte count that drives
 * backpressure, cancellation when a session goes down (a PEER_DOWN walk is never cancelled),
 * and the ring growing while it wraps. Then the output queue the other way (bytes for a
 * session): order, chunks, what is pending per session, the drainer's wake-ups, and the
 * octets of a session that is gone counted as dropped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "bgp/events.h"

/* Stand-ins: the queue only compares peer pointers, never follows them. */
static char peer_a_object, peer_b_object;
#define peer_a ((struct bgp_peer *)(void *)&peer_a_object)
#define peer_b ((struct bgp_peer *)(void *)&peer_b_object)

static void push_update(struct bgp_event_queue *q, struct bgp_peer *peer, uint8_t mark, size_t len)
{
	uint8_t body[4096];
	memset(body, mark, len);
	assert_true(bgp_event_queue_update(q, peer, body, len));
}

static void take_update(struct bgp_event_queue *q, struct bgp_route_event *e, uint8_t mark, size_t len)
{
	const uint8_t *body;
	size_t got;
	assert_true(bgp_route_event_next_update(q, e, &body, &got));
	assert_int_equal(got, len);
	for (size_t i = 0; i < len; i++)
		assert_int_equal(body[i], mark);
}

static void test_batches_and_order(void **state)
{
	(void)state;
	struct bgp_event_queue q;
	bgp_event_queue_init(&q);
	push_update(&q, peer_a, 1, 23);
	push_update(&q, peer_a, 2, 100);
	push_update(&q, peer_b, 3, 4);
	struct bgp_route_refresh rr = { .afi = BGP_AFI_IPV4, .safi = BGP_SAFI_UNICAST };
	assert_true(bgp_event_queue_refresh(&q, peer_a, &rr));
	push_update(&q, peer_a, 4, 0); /* an End-of-RIB: an empty body */
	assert_int_equal(q.count, 4);  /* a's two UPDATEs share one batch */
	assert_int_equal(q.bytes, 23 + 100 + 4 + 0 + 4 * sizeof(uint32_t));

	struct bgp_route_event *e = bgp_event_queue_front(&q);
	assert_int_equal(e->kind, BGP_ROUTE_EVENT_UPDATES);
	assert_ptr_equal(e->peer, peer_a);
	const uint8_t *body;
	size_t len;
	assert_true(bgp_route_event_peek_update(e, 1, &body, &len));
	assert_int_equal(len, 100);
	assert_false(bgp_route_event_peek_update(e, 2, &body, &len));
	take_update(&q, e, 1, 23);
	take_update(&q, e, 2, 100);
	assert_false(bgp_route_event_next_update(&q, e, &body, &len));
	bgp_event_queue_pop(&q);

	e = bgp_event_queue_front(&q);
	assert_ptr_equal(e->peer, peer_b);
	take_update(&q, e, 3, 4);
	bgp_event_queue_pop(&q);
	e = bgp_event_queue_front(&q);
	assert_int_equal(e->kind, BGP_ROUTE_EVENT_ROUTE_REFRESH);
	assert_int_equal(e->refresh.afi, BGP_AFI_IPV4);
	bgp_event_queue_pop(&q);
	e = bgp_event_queue_front(&q);
	take_update(&q, e, 4, 0);
	bgp_event_queue_pop(&q);
	assert_true(bgp_event_queue_empty(&q));
	assert_int_equal(q.bytes, 0);
	bgp_event_queue_free(&q);
}

/* A session that goes down takes its queued events with it, but a walk of an earlier session
 * (PEER_DOWN) still has paths to remove. Popping a half-applied batch returns its bytes. */
static void test_forget_peer(void **state)
{
	(void)state;
	struct bgp_event_queue q;
	bgp_event_queue_init(&q);
	assert_true(bgp_event_queue_peer(&q, peer_a, BGP_ROUTE_EVENT_PEER_DOWN));
	assert_true(bgp_event_queue_peer(&q, peer_a, BGP_ROUTE_EVENT_PEER_UP));
	push_update(&q, peer_a, 1, 50);
	push_update(&q, peer_b, 2, 60);
	push_update(&q, peer_a, 3, 70);
	bgp_event_queue_forget_peer(&q, peer_a);
	assert_int_equal(q.bytes, 60 + sizeof(uint32_t));
	struct bgp_route_event *e = bgp_event_queue_front(&q);
	assert_int_equal(e->kind, BGP_ROUTE_EVENT_PEER_DOWN);
	assert_ptr_equal(e->peer, peer_a);
	bgp_event_queue_pop(&q);
	e = bgp_event_queue_front(&q);
	assert_null(e->peer); /* PEER_UP cancelled */
	bgp_event_queue_pop(&q);
	e = bgp_event_queue_front(&q);
	assert_null(e->peer);
	bgp_event_queue_pop(&q);
	e = bgp_event_queue_front(&q);
	assert_ptr_equal(e->peer, peer_b);
	bgp_event_queue_pop(&q); /* not applied: its bytes go all the same */
	assert_int_equal(q.bytes, 0);
	bgp_event_queue_free(&q);
}

/* A long stream from one peer is cut into batches, so that applied ones can be freed. */
static void test_batch_limit(void **state)
{
	(void)state;
	struct bgp_event_queue q;
	bgp_event_queue_init(&q);
	for (int i = 0; i < 600; i++)
		push_update(&q, peer_a, (uint8_t)i, 4000);
	assert_true(q.count >= 2);
	assert_int_equal(q.bytes, 600 * (4000 + sizeof(uint32_t)));
	assert_true(q.bytes_peak >= q.bytes);
	int seen = 0;
	struct bgp_route_event *e;
	while ((e = bgp_event_queue_front(&q))) {
		const uint8_t *body;
		size_t len;
		while (bgp_route_event_next_update(&q, e, &body, &len)) {
			assert_int_equal(body[0], (uint8_t)seen);
			seen++;
		}
		bgp_event_queue_pop(&q);
	}
	assert_int_equal(seen, 600);
	assert_int_equal(q.bytes, 0);
	bgp_event_queue_free(&q);
}

/* The ring grows while its head is in the middle: order survives. */
static void test_ring_wraps_and_grows(void **state)
{
	(void)state;
	struct bgp_event_queue q;
	bgp_event_queue_init(&q);
	uint8_t next_in = 0, next_out = 0;
	for (int round = 0; round < 5; round++) {
		for (int i = 0; i < 50; i++) /* alternate peers: every UPDATE is an event */
			push_update(&q, i % 2 ? peer_b : peer_a, next_in++, 1);
		for (int i = 0; i < 30; i++) {
			struct bgp_route_event *e = bgp_event_queue_front(&q);
			take_update(&q, e, next_out++, 1);
			bgp_event_queue_pop(&q);
		}
	}
	while (!bgp_event_queue_empty(&q)) {
		take_update(&q, bgp_event_queue_front(&q), next_out++, 1);
		bgp_event_queue_pop(&q);
	}
	assert_int_equal(next_in, next_out);
	assert_int_equal(q.bytes, 0);
	bgp_event_queue_free(&q);
}

/* PEER_UP carries what the session's OPENs negotiated per family (afi_safi.h), each event
 * its own session's. */
static void test_peer_up_carries_negotiation(void **state)
{
	(void)state;
	struct bgp_event_queue q;
	bgp_event_queue_init(&q);
	struct bgp_afi_safi_negotiated v4 = { .route_refresh = true }, v6 = { 0 };
	v4.family[BGP_AFI_SAFI_IPV4_UNICAST] = true;
	v6.family[BGP_AFI_SAFI_IPV6_UNICAST] = true;
	assert_true(bgp_event_queue_peer_up(&q, peer_a, &v4));
	push_update(&q, peer_a, 1, 10);
	assert_true(bgp_event_queue_peer_up(&q, peer_b, &v6));
	struct bgp_route_event *e = bgp_event_queue_front(&q);
	assert_int_equal(e->kind, BGP_ROUTE_EVENT_PEER_UP);
	assert_true(e->negotiated.family[BGP_AFI_SAFI_IPV4_UNICAST]);
	assert_false(e->negotiated.family[BGP_AFI_SAFI_IPV6_UNICAST]);
	assert_true(e->negotiated.route_refresh);
	bgp_event_queue_pop(&q);
	bgp_event_queue_pop(&q);
	e = bgp_event_queue_front(&q);
	assert_ptr_equal(e->peer, peer_b);
	assert_false(e->negotiated.family[BGP_AFI_SAFI_IPV4_UNICAST]);
	assert_true(e->negotiated.family[BGP_AFI_SAFI_IPV6_UNICAST]);
	assert_false(e->negotiated.route_refresh);
	bgp_event_queue_free(&q);
}

/* ---- the output queue: route engine -> session engine ---- */

struct delivered {
	uint64_t sessions[8];
	uint8_t first[8];
	size_t lens[8];
	unsigned count;
	uint64_t gone; /* this session's chunks are refused */
};

static bool deliver(void *context, uint64_t session, const uint8_t *bytes, size_t len)
{
	struct delivered *d = context;
	assert_true(d->count < 8);
	d->sessions[d->count] = session;
	d->first[d->count] = bytes[0];
	d->lens[d->count++] = len;
	for (size_t i = 1; i < len; i++)
		assert_true(bytes[i] >= bytes[i - 1]); /* each session's messages in the order queued */
	return session != d->gone;
}

static size_t wakes, last_queued;
static void drainer_woken(void *drainer, size_t queued)
{
	(void)drainer;
	wakes++;
	last_queued = queued;
}

static void put(struct bgp_output_queue *q, uint64_t session, uint8_t mark, size_t len)
{
	uint8_t message[64];
	memset(message, mark, len);
	assert_true(bgp_output_queue_put(q, session, message, len));
}

static void test_output_queue(void **state)
{
	(void)state;
	struct bgp_output_queue q;
	bgp_output_queue_init(&q);
	bgp_output_queue_set_drainer(&q, drainer_woken, NULL);
	wakes = 0;
	assert_true(bgp_output_queue_empty(&q));
	put(&q, 7, 1, 23);
	put(&q, 7, 2, 30); /* same session: same chunk */
	put(&q, 9, 3, 19);
	put(&q, 7, 4, 40); /* a new chunk: after session 9's */
	assert_int_equal(wakes, 4);
	assert_int_equal(last_queued, 23 + 30 + 19 + 40);
	assert_int_equal(bgp_output_queue_pending(&q, 7), 23 + 30 + 40);
	assert_int_equal(bgp_output_queue_pending(&q, 9), 19);
	assert_int_equal(bgp_output_queue_pending(&q, 8), 0);

	struct delivered d = { .gone = 9 };
	bgp_output_queue_take(&q, deliver, &d);
	assert_int_equal(d.count, 3);
	assert_int_equal(d.sessions[0], 7);
	assert_int_equal(d.first[0], 1);
	assert_int_equal(d.lens[0], 53);
	assert_int_equal(d.sessions[1], 9);
	assert_int_equal(d.sessions[2], 7);
	assert_int_equal(d.first[2], 4);
	assert_int_equal(d.lens[2], 40);
	assert_int_equal(q.dropped, 19); /* session 9 was gone */
	assert_true(bgp_output_queue_empty(&q));
	assert_int_equal(bgp_output_queue_pending(&q, 7), 0);

	/* Used again after a take */
	put(&q, 9, 5, 10);
	memset(&d, 0, sizeof(d));
	bgp_output_queue_take(&q, deliver, &d);
	assert_int_equal(d.count, 1);
	assert_int_equal(d.lens[0], 10);
	assert_int_equal(q.dropped, 19);
	bgp_output_queue_free(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_batches_and_order),
		cmocka_unit_test(test_forget_peer),
		cmocka_unit_test(test_batch_limit),
		cmocka_unit_test(test_ring_wraps_and_grows),
		cmocka_unit_test(test_peer_up_carries_negotiation),
		cmocka_unit_test(test_output_queue),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
