/*
 * DOC: unit tests of the table dump to a new peer (bgp_export_send_table and
 * bgp_export_dump_continue, src/bgp/export.c): the Loc-RIB is sent a slice at a time as the
 * peer's socket drains, while UPDATEs from other peers keep changing it.
 *
 * The promise under test: the table may grow (and rehash) and lose routes between slices,
 * yet every prefix there for the whole dump is announced exactly once, none more than twice
 * (a route that changes during the dump also goes by normal export), End-of-RIB comes once,
 * at the end, and the peer ends up holding exactly the table.
 *
 * The speaker is made as in test_rib.c, with one iBGP neighbour that never connects; the test
 * then gives it an Established connection of its own making (a struct bgp_connection on a
 * socketpair that the loop never polls and that takes no bytes), so export's UPDATEs, through
 * the output queue (events.h), land in that connection's send queue. The test plays the socket: it reads the queue (drains it, decoding the UPDATEs the
 * peer would get), then fills it with KEEPALIVEs up to just under the dump's low-water mark
 * (export.c's DUMP_QUEUE_LOW), so that the next bgp_export_dump_continue() sends one slice;
 * between slices it adds and removes routes. Routes are locally originated paths
 * (bgp_rib_local_path), prefix number i being the IPv4 host route 10.0.0.0 + i.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "bgp/internal.h"
#include "bgp_harness.h"

#define MAX_ROUTES 200000
#define DUMP_QUEUE_LOW (1u << 20) /* export.c's: the dump goes on while less than this waits */

static uv_loop_t loop;
static struct bgp_speaker *spk;
static struct bgp_rib *rib;
static struct bgp_peer *peer;
static struct bgp_connection *conn;
static int fds[2];

static bool present[MAX_ROUTES];    /* in the Loc-RIB now */
static bool held[MAX_ROUTES];       /* what the peer holds, from the UPDATEs it was sent */
static uint8_t announced[MAX_ROUTES];
static unsigned end_of_rib;
static unsigned end_of_rib_of[BGP_AFI_SAFI_COUNT]; /* per family, IPv4's included */
static bool announced_after_eor;
static uint64_t announcements_seen, withdrawals_seen; /* prefixes in the UPDATEs, all counted */

static void add_neighbor(struct config *c, const char *addr, uint32_t remote_as)
{
	struct ip_addr a;
	assert_true(ip_addr_parse(addr, &a));
	struct config_bgp_neighbor *n = config_bgp_neighbor_add(&c->bgp, &a);
	assert_non_null(n);
	n->remote_as = remote_as;
	n->shutdown = true; /* it never connects: the test makes its session */
}

/* An Established session that only queues: export writes into it, nothing sends. It speaks
 * what the two OPENs' capabilities negotiate. */
static void fake_session_with(const struct bgp_capabilities *ours, const struct bgp_capabilities *theirs)
{
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
	/* The test is the socket: nothing may leave the queue through the kernel (a big queue
	 * is otherwise sent at once, session.c BGP_WRITE_EARLY). */
	assert_int_equal(shutdown(fds[0], SHUT_WR), 0);
	conn = calloc(1, sizeof(*conn));
	assert_non_null(conn);
	array_init(&conn->write_queue, MEMORY_BGP, 1, BGP_WRITE_QUEUE_ARRAY_MAX);
	conn->peer = peer;
	conn->speaker = spk;
	conn->fd = fds[0];
	conn->max_message = BGP_MAX_MESSAGE;
	assert_int_equal(uv_poll_init(&loop, &conn->poll, fds[0]), 0);
	conn->poll.data = conn;
	conn->session_id = ++spk->last_session_id; /* as session.c gives it at Established */
	bgp_session_set_established(peer, conn); /* as peer.c does: the output queue finds it */
	/* What the route engine does at PEER_UP (afi_safi.h) */
	struct bgp_afi_safi_negotiated negotiated;
	bgp_afi_safi_negotiate(ours, theirs, &negotiated);
	bgp_afi_safi_session_up(&peer->afi_safi, &negotiated);
}

/* Two OPENs without capabilities: IPv4 unicast. */
static void fake_session(void)
{
	struct bgp_capabilities none = { 0 };
	fake_session_with(&none, &none);
}

static int setup(void **state)
{
	(void)state;
	spk = harness_speaker_start(&loop, &(struct bgp_speaker_options){ .listen = false });
	rib = bgp_speaker_rib(spk);
	struct config c;
	harness_bgp_config(&c, 65000, 0x0a0000fe);
	add_neighbor(&c, "192.0.2.1", 65000);
	bgp_speaker_configure(spk, &c);
	config_free(&c);
	struct ip_addr a;
	assert_true(ip_addr_parse("192.0.2.1", &a));
	peer = bgp_speaker_find_peer(spk, &a);
	assert_non_null(peer);
	memset(present, 0, sizeof(present));
	memset(held, 0, sizeof(held));
	memset(announced, 0, sizeof(announced));
	end_of_rib = 0;
	memset(end_of_rib_of, 0, sizeof(end_of_rib_of));
	announced_after_eor = false;
	announcements_seen = withdrawals_seen = 0;
	return 0;
}

static void conn_closed(uv_handle_t *handle)
{
	struct bgp_connection *c = handle->data;
	array_free(&c->write_queue);
	free(c);
}

/* The session goes down: the peer has no Established connection any more. */
static void end_fake_session(void)
{
	if (!conn)
		return;
	bgp_session_set_established(peer, NULL);
	spk->output_queued -= conn->accounted;
	uv_close((uv_handle_t *)&conn->poll, conn_closed);
	close(fds[0]);
	close(fds[1]);
	conn = NULL;
}

static int teardown(void **state)
{
	(void)state;
	end_fake_session();
	harness_speaker_stop(&loop, spk);
	return 0;
}

static struct prefix prefix_of(uint32_t i)
{
	uint32_t a = 0x0a000000u + i;
	struct prefix n = { .family = AF_INET, .len = 32 };
	for (int k = 0; k < 4; k++)
		n.addr[k] = (uint8_t)(a >> (24 - 8 * k));
	return n;
}

/* Adds (or removes) route i; the caller commits. */
static void set_route(uint32_t i, bool add)
{
	struct prefix n = prefix_of(i);
	struct bgp_attrs a;
	memset(&a, 0, sizeof(a));
	a.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH);
	a.as_path = (struct bgp_as_path){ .data = NULL, .len = 0, .asn_size = 4 };
	bgp_rib_local_path(rib, &n, add ? &a : NULL);
	present[i] = add;
}

static void add_range(uint32_t from, uint32_t to)
{
	for (uint32_t i = from; i < to; i++)
		set_route(i, true);
	bgp_rib_commit(rib);
}

static uint32_t number_of(const struct bgp_prefix4 *p)
{
	assert_int_equal(p->len, 32);
	uint32_t i = p->addr - 0x0a000000u;
	assert_true(i < MAX_ROUTES);
	return i;
}

/* What the peer makes of one UPDATE. */
static void receive_update(const uint8_t *msg, size_t len)
{
	struct reader body = reader_make(msg + BGP_HEADER_LEN, len - BGP_HEADER_LEN);
	struct bgp_update_parts parts;
	struct bgp_error err;
	assert_true(bgp_update_split(&body, &parts, &err));
	if (len == BGP_UPDATE_MIN_LEN) {
		end_of_rib++;
		end_of_rib_of[BGP_AFI_SAFI_IPV4_UNICAST]++;
		return;
	}
	enum bgp_afi_safi_index family;
	if (bgp_afi_safi_end_of_rib(msg + BGP_HEADER_LEN, len - BGP_HEADER_LEN, &family)) {
		end_of_rib_of[family]++;
		return;
	}
	struct bgp_prefix4 p;
	int rc;
	while ((rc = bgp_prefix4_next(&parts.withdrawn, &p)) > 0) {
		held[number_of(&p)] = false;
		withdrawals_seen++;
	}
	assert_int_equal(rc, 0);
	while ((rc = bgp_prefix4_next(&parts.nlri, &p)) > 0) {
		uint32_t i = number_of(&p);
		held[i] = true;
		announcements_seen++;
		if (announced[i] < 255)
			announced[i]++;
		if (end_of_rib)
			announced_after_eor = true;
	}
	assert_int_equal(rc, 0);
}

/* The socket takes everything queued: the peer reads it. */
static void drain(void)
{
	bgp_session_output_drain(spk); /* what export queued for the session (events.h) */
	if (!conn->write_queue.items)
		return; /* nothing was ever queued */
	const uint8_t *q = (const uint8_t *)conn->write_queue.items + conn->write_head;
	size_t left = conn->write_queue.count - conn->write_head;
	while (left) {
		assert_true(left >= BGP_HEADER_LEN);
		size_t len = (size_t)q[16] << 8 | q[17];
		assert_true(len >= BGP_HEADER_LEN && len <= left);
		if (q[18] == BGP_MSG_UPDATE)
			receive_update(q, len);
		else
			assert_int_equal(q[18], BGP_MSG_KEEPALIVE);
		q += len;
		left -= len;
	}
	conn->write_head = conn->write_queue.count = 0;
}

/* Fills the queue to just under the low-water mark: the next continuation sends a slice. */
static void fill(void)
{
	static uint8_t keepalives[DUMP_QUEUE_LOW];
	size_t count = (DUMP_QUEUE_LOW - 4096) / BGP_HEADER_LEN;
	for (size_t k = 0; k < count; k++) {
		uint8_t *m = keepalives + k * BGP_HEADER_LEN;
		memset(m, 0xff, 16);
		m[16] = 0;
		m[17] = BGP_HEADER_LEN;
		m[18] = BGP_MSG_KEEPALIVE;
	}
	assert_true(bgp_connection_send(conn, keepalives, count * BGP_HEADER_LEN));
}

/* Cheap deterministic randomness for the order of removals. */
static uint32_t rng = 12345;
static uint32_t next_random(void)
{
	rng = rng * 1103515245u + 12345u;
	return rng >> 8;
}

enum { STABLE = 15000, DOOMED_END = 20000, NEW_PER_SLICE = 4000, NEW_SLICES = 30 };

/* Between two slices: new routes (the table grows and rehashes), doomed ones go. */
static void churn(uint32_t *added, unsigned slice)
{
	if (slice <= NEW_SLICES)
		for (int k = 0; k < NEW_PER_SLICE && *added < MAX_ROUTES; k++)
			set_route((*added)++, true);
	for (int k = 0; k < 40; k++) {
		uint32_t i = STABLE + next_random() % (DOOMED_END - STABLE);
		if (present[i])
			set_route(i, false);
	}
	bgp_rib_commit(rib); /* normal export: the changes go to the peer now */
}

static void test_dump_through_growth_and_removals(void **state)
{
	(void)state;
	add_range(0, DOOMED_END);
	fake_session(); /* the session comes up with the table there */
	size_t buckets = bgp_rib_table_size(rib, AF_INET);
	uint32_t added = DOOMED_END;
	fill();
	bgp_export_send_table(peer, 0);
	unsigned slices = 1;
	while (!end_of_rib) {
		assert_true(slices < 10000);
		drain();
		churn(&added, slices);
		fill();
		bgp_export_dump_continue(peer); /* the socket drained: the dump goes on */
		slices++;
	}
	drain();
	print_message("%u slices, table %zu -> %zu buckets, %u routes added during the dump\n", slices, buckets,
		      bgp_rib_table_size(rib, AF_INET), added - DOOMED_END);
	assert_true(slices > 20);                                     /* it went in slices... */
	assert_true(bgp_rib_table_size(rib, AF_INET) >= 4 * buckets); /* ...and rehashed under the dump */
	assert_int_equal(end_of_rib, 1);
	assert_int_equal(end_of_rib_of[BGP_AFI_SAFI_IPV6_UNICAST], 0); /* not negotiated */
	assert_true(peer->afi_safi.family[BGP_AFI_SAFI_IPV4_UNICAST].end_of_rib_sent);
	assert_false(peer->afi_safi.family[BGP_AFI_SAFI_IPV6_UNICAST].end_of_rib_sent);
	assert_false(announced_after_eor);
	/* The peer's advertised counts are what its UPDATEs carried (afi_safi.h). */
	const struct bgp_afi_safi_state *v4 = &peer->afi_safi.family[BGP_AFI_SAFI_IPV4_UNICAST];
	assert_int_equal(v4->announced_sent, announcements_seen);
	assert_int_equal(v4->withdrawn_sent, withdrawals_seen);
	assert_true(withdrawals_seen > 0);
	for (uint32_t i = 0; i < MAX_ROUTES; i++) {
		if (i < STABLE && announced[i] != 1)
			fail_msg("prefix %u, there all along, announced %u times", i, announced[i]);
		if (announced[i] > 2)
			fail_msg("prefix %u announced %u times", i, announced[i]);
		if (held[i] != present[i])
			fail_msg("prefix %u: the peer %s it, the table %s", i, held[i] ? "holds" : "lacks",
				 present[i] ? "has it" : "does not");
	}
}

/* A refresh (clear ip bgp soft out) in the middle of a dump starts it over, once. */
static void test_dump_started_again(void **state)
{
	(void)state;
	add_range(0, 50000);
	fake_session();
	fill();
	bgp_export_send_table(peer, 0);
	for (int k = 0; k < 5; k++) {
		drain();
		fill();
		bgp_export_dump_continue(peer);
	}
	drain();
	memset(announced, 0, sizeof(announced));
	bgp_export_send_table(peer, 0); /* no filler: the dump goes as far as the queue allows */
	unsigned rounds = 0;
	while (!end_of_rib) {
		assert_true(rounds++ < 1000);
		drain();
		bgp_export_dump_continue(peer);
	}
	drain();
	assert_int_equal(end_of_rib, 1);
	for (uint32_t i = 0; i < 50000; i++)
		if (announced[i] != 1)
			fail_msg("prefix %u announced %u times after the new start", i, announced[i]);
}

static void offer(struct bgp_capabilities *caps, uint16_t afi)
{
	caps->multiprotocol[caps->multiprotocol_count++] = (struct bgp_afi_safi){ .afi = afi, .safi = BGP_SAFI_UNICAST };
}

/* The table goes out per negotiated family, each family closed by its own End-of-RIB
 * (RFC 4724 §2): IPv4's an empty UPDATE, IPv6's an empty MP_UNREACH_NLRI. */
static void dump_until_end_of_rib(enum bgp_afi_safi_index last)
{
	bgp_export_send_table(peer, 0);
	unsigned rounds = 0;
	while (!end_of_rib_of[last]) {
		assert_true(rounds++ < 1000);
		drain();
		bgp_export_dump_continue(peer);
	}
	drain();
}

static void test_end_of_rib_per_family(void **state)
{
	(void)state;
	add_range(0, 1000);
	struct bgp_capabilities both = { 0 };
	offer(&both, BGP_AFI_IPV4);
	offer(&both, BGP_AFI_IPV6);
	fake_session_with(&both, &both);
	dump_until_end_of_rib(BGP_AFI_SAFI_IPV6_UNICAST);
	assert_int_equal(end_of_rib_of[BGP_AFI_SAFI_IPV4_UNICAST], 1);
	assert_int_equal(end_of_rib_of[BGP_AFI_SAFI_IPV6_UNICAST], 1);
	assert_true(peer->afi_safi.family[BGP_AFI_SAFI_IPV4_UNICAST].end_of_rib_sent);
	assert_true(peer->afi_safi.family[BGP_AFI_SAFI_IPV6_UNICAST].end_of_rib_sent);
	for (uint32_t i = 0; i < 1000; i++)
		assert_int_equal(announced[i], 1);
	/* Counted per family: the IPv4 table went out, no IPv6 prefix did. */
	assert_int_equal(peer->afi_safi.family[BGP_AFI_SAFI_IPV4_UNICAST].announced_sent, 1000);
	assert_int_equal(peer->afi_safi.family[BGP_AFI_SAFI_IPV6_UNICAST].announced_sent, 0);
}

/* A session of IPv6 unicast alone is sent no IPv4 route and no IPv4 End-of-RIB. */
static void test_family_not_negotiated_not_sent(void **state)
{
	(void)state;
	add_range(0, 1000);
	struct bgp_capabilities v6 = { 0 };
	offer(&v6, BGP_AFI_IPV6);
	fake_session_with(&v6, &v6);
	dump_until_end_of_rib(BGP_AFI_SAFI_IPV6_UNICAST);
	assert_int_equal(end_of_rib_of[BGP_AFI_SAFI_IPV4_UNICAST], 0);
	assert_false(peer->afi_safi.family[BGP_AFI_SAFI_IPV4_UNICAST].end_of_rib_sent);
	for (uint32_t i = 0; i < 1000; i++)
		assert_int_equal(announced[i], 0);
}

/* Bytes export queued for a session that went down before the session engine took them are
 * dropped (events.h): not sent on the peer's next session, which starts from its own dump. */
static void test_output_of_a_gone_session_dropped(void **state)
{
	(void)state;
	add_range(0, 100);
	fake_session();
	bgp_export_send_table(peer, 0); /* the table and End-of-RIB, queued, not taken yet */
	uint64_t old_session = conn->session_id;
	size_t pending = bgp_output_queue_pending(&spk->output, old_session);
	assert_true(pending > BGP_UPDATE_MIN_LEN);
	assert_int_equal(conn->write_queue.count, 0);

	/* Down, and at once up again: a new session of the same peer, nothing negotiated yet but
	 * IPv4 as before. */
	end_fake_session();
	fake_session();
	assert_int_not_equal(conn->session_id, old_session);
	uint64_t dropped = spk->output.dropped;
	drain();
	assert_int_equal(spk->output.dropped - dropped, pending);
	assert_int_equal(end_of_rib, 0);
	for (uint32_t i = 0; i < 100; i++)
		assert_int_equal(announced[i], 0);
	assert_true(bgp_output_queue_empty(&spk->output));

	/* What is queued for the new session reaches it, in order: a change, then its dump. */
	set_route(500, true);
	bgp_rib_commit(rib);
	bgp_export_send_table(peer, 0);
	drain();
	assert_int_equal(announced[500], 2);
	assert_int_equal(end_of_rib, 1);
	for (uint32_t i = 0; i < 100; i++)
		assert_int_equal(announced[i], 1);

	/* Down for good: what was queued after goes nowhere. */
	set_route(501, true);
	bgp_rib_commit(rib);
	pending = bgp_output_queue_pending(&spk->output, conn->session_id);
	assert_true(pending > 0);
	dropped = spk->output.dropped;
	end_fake_session();
	bgp_session_output_drain(spk);
	assert_int_equal(spk->output.dropped - dropped, pending);
	assert_int_equal(announced[501], 0);
}

/* The last entry of the peer's message log. */
static const struct bgp_log_entry *last_logged(void)
{
	assert_true(peer->log_count > 0);
	return bgp_peer_log_at(peer, peer->log_count - 1);
}

/* refresh.c: ROUTE-REFRESH when the peer offered route refresh, else the log says why not and
 * what to type (soft-reconfiguration and import policy changes share it). */
static void test_refresh_or_explain(void **state)
{
	(void)state;
	fake_session();
	size_t before = bgp_output_queue_pending(&spk->output, conn->session_id);
	assert_false(bgp_peer_refresh_or_explain(peer, "policy", "asked", "the peer has no route refresh"));
	assert_string_equal(last_logged()->type, "policy");
	assert_string_equal(last_logged()->text, "the peer has no route refresh");
	assert_int_equal(bgp_output_queue_pending(&spk->output, conn->session_id), before);

	peer->session.negotiated.route_refresh = true;
	assert_true(bgp_peer_refresh_or_explain(peer, "soft-reconfiguration", "ROUTE-REFRESH asked", "not asked"));
	assert_string_equal(last_logged()->type, "soft-reconfiguration");
	assert_string_equal(last_logged()->text, "ROUTE-REFRESH asked");
	/* the request itself: a 23-octet ROUTE-REFRESH (RFC 2918 §3) queued for the session */
	assert_int_equal(bgp_output_queue_pending(&spk->output, conn->session_id), before + 23);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dump_through_growth_and_removals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_end_of_rib_per_family, setup, teardown),
		cmocka_unit_test_setup_teardown(test_family_not_negotiated_not_sent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump_started_again, setup, teardown),
		cmocka_unit_test_setup_teardown(test_output_of_a_gone_session_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refresh_or_explain, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
