/*
 * DOC: unit tests of the session index (session_output.c): the output queue finds a
 * session's connection by its id among many peers, and loses it however the session ends.
 *
 * Real sessions, not fakes: a speaker with PEERS passive iBGP neighbours, each given a TCP
 * connection over 127.0.0.1 that the test accepts on a listener of its own (port chosen by
 * the kernel) and hands to the session engine as its listener would (bgp_connection_accept,
 * then TcpConnectionConfirmed). The test plays the peers: it writes their OPEN and
 * KEEPALIVE and the speaker's FSM takes them to Established, so a session enters the index
 * through peer.c's own path. Sessions then end by each way there is: a NOTIFICATION from
 * the peer, the hold timer (its event, as hold_timer_cb feeds it), the neighbour deleted by
 * configuration, and the speaker destroyed.
 *
 * What is checked: the index holds exactly the Established connections; bytes queued for
 * every live session reach that session's send queue; bytes queued for a session that is
 * gone (even one whose connection memory is freed: ASan would see a dangling pointer) are
 * dropped and counted; a peer's new session has a new id and the old id finds nothing; the
 * index is empty once every session is down, and after the speaker is destroyed.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "bgp_harness.h"
#include "lib/writer.h"
#include "wire/bgp.h"

#define PEERS 160
#define MARK_LEN BGP_HEADER_LEN /* the test's own queued message: a KEEPALIVE */

/* How each peer's first session ends (index modulo 4). */
enum ending { BY_NOTIFICATION, BY_HOLD_TIMER, BY_DECONFIGURATION, STAYS_UP };

static uv_loop_t loop;
static struct bgp_speaker *spk;
static int listener = -1;
static struct bgp_peer *peers[PEERS];
static int clients[PEERS];        /* the test's end of each peer's TCP connection, or -1 */
static uint64_t first_ids[PEERS]; /* each peer's first session id */

static struct ip_addr neighbor_addr(unsigned i)
{
	char text[32];
	snprintf(text, sizeof(text), "10.9.%u.%u", i / 200, i % 200 + 1);
	struct ip_addr a;
	assert_true(ip_addr_parse(text, &a));
	return a;
}

/* The configuration: every neighbour, or every one but those deconfigured. */
static void configure(bool with_deconfigured)
{
	struct config c;
	harness_bgp_config(&c, 65000, 0x0a0000fe);
	for (unsigned i = 0; i < PEERS; i++) {
		if (!with_deconfigured && i % 4 == BY_DECONFIGURATION)
			continue;
		struct ip_addr a = neighbor_addr(i);
		struct config_bgp_neighbor *n = config_bgp_neighbor_add(&c.bgp, &a);
		assert_non_null(n);
		n->remote_as = 65000;
		n->passive = true; /* the test connects; the speaker never does */
	}
	bgp_speaker_configure(spk, &c);
	config_free(&c);
	for (unsigned i = 0; i < PEERS; i++) {
		struct ip_addr a = neighbor_addr(i);
		peers[i] = bgp_speaker_find_peer(spk, &a);
		assert_true(!peers[i] == (!with_deconfigured && i % 4 == BY_DECONFIGURATION));
	}
}

static void send_all(int fd, const uint8_t *bytes, size_t len)
{
	assert_int_equal(send(fd, bytes, len, MSG_NOSIGNAL), (ssize_t)len);
}

/* The peers read whatever the speaker sent (OPEN, KEEPALIVE, End-of-RIB, the test's). */
static void clients_read(void)
{
	uint8_t discard[65536];
	for (unsigned i = 0; i < PEERS; i++)
		if (clients[i] >= 0)
			while (recv(clients[i], discard, sizeof(discard), MSG_DONTWAIT) > 0)
				;
}

static void client_close(unsigned i)
{
	if (clients[i] >= 0)
		close(clients[i]);
	clients[i] = -1;
}

/* Peer i connects, the speaker accepts, and the peer's OPEN and KEEPALIVE are on their way. */
static void connect_peer(unsigned i)
{
	struct sockaddr_in addr;
	socklen_t len = sizeof(addr);
	assert_int_equal(getsockname(listener, (struct sockaddr *)&addr, &len), 0);
	clients[i] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(clients[i] >= 0);
	assert_int_equal(connect(clients[i], (struct sockaddr *)&addr, len), 0);
	int fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	assert_true(fd >= 0);
	/* What peer.c's accept_one does once a connection is judged acceptable. */
	struct bgp_connection *conn = bgp_connection_accept(peers[i], fd);
	assert_non_null(conn);
	peers[i]->incoming = conn;
	bgp_connection_event(conn, BGP_EVENT_TCP_CONNECTION_CONFIRMED, NULL);

	uint8_t buf[256];
	struct writer w = writer_make(buf, sizeof(buf));
	struct bgp_open open = { .version = 4, .my_as = 65000, .hold_time = 90, .bgp_id = 0x0b000001u + i };
	assert_true(bgp_open_encode(&w, &open) > 0);
	assert_true(bgp_keepalive_encode(&w) > 0);
	send_all(clients[i], buf, w.len);
}

/* The peer ends its session with a Cease. */
static void notify_peer(unsigned i)
{
	uint8_t buf[64];
	struct writer w = writer_make(buf, sizeof(buf));
	struct bgp_notification n = { .code = BGP_ERR_CEASE, .subcode = BGP_CEASE_ADMIN_SHUTDOWN };
	assert_true(bgp_notification_encode(&w, &n) > 0);
	send_all(clients[i], buf, w.len);
}

static bool established(unsigned i)
{
	return peers[i] && peers[i]->established && peers[i]->established->fsm.state == BGP_STATE_ESTABLISHED;
}

/* Runs the loop (the peers reading) until every peer in [from, to) that want says is up
 * (or down), or 10 seconds. */
static void run_until(unsigned step, unsigned offset, bool up)
{
	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		uv_run(&loop, UV_RUN_NOWAIT);
		clients_read();
		bool done = true;
		for (unsigned i = offset; i < PEERS; i += step)
			done &= established(i) == up;
		if (done)
			return;
		clock_gettime(CLOCK_MONOTONIC, &now);
		assert_true(now.tv_sec - start.tv_sec < 10);
		usleep(1000);
	}
}

/* The loop until nothing more happens at once (the table dumps and End-of-RIBs are out). */
static void settle(void)
{
	for (int k = 0; k < 20; k++) {
		uv_run(&loop, UV_RUN_NOWAIT);
		clients_read();
	}
}

static size_t queued_of(const struct bgp_connection *c)
{
	return c->write_queue.count - c->write_head;
}

/* The index holds exactly the peers' Established connections, each under its id. */
static void check_index(void)
{
	size_t up = 0;
	for (unsigned i = 0; i < PEERS; i++) {
		if (!peers[i] || !peers[i]->established)
			continue;
		up++;
		struct bgp_connection *c = peers[i]->established;
		assert_ptr_equal(bgp_session_connection(spk, c->session_id), c);
		assert_true(c->session_indexed);
	}
	assert_int_equal(spk->sessions.count, up);
	assert_int_equal(spk->sessions_unindexed, 0);
}

/* A KEEPALIVE queued for every id in ids (0: none), then drained: each live session's send
 * queue grows by it, the others' octets are dropped. Returns how many were dropped. */
static uint64_t queue_and_drain(const uint64_t *ids, size_t count)
{
	uint8_t keepalive[MARK_LEN];
	struct writer w = writer_make(keepalive, sizeof(keepalive));
	assert_int_equal(bgp_keepalive_encode(&w), MARK_LEN);
	size_t before[PEERS] = { 0 };
	for (unsigned i = 0; i < PEERS; i++)
		if (established(i))
			before[i] = queued_of(peers[i]->established);
	uint64_t dropped_before = spk->output.dropped;
	uint64_t gone = 0;
	for (size_t k = 0; k < count; k++) {
		if (!ids[k])
			continue;
		assert_true(bgp_output_queue_put(&spk->output, ids[k], keepalive, MARK_LEN));
		gone += bgp_session_connection(spk, ids[k]) == NULL;
	}
	bgp_session_output_drain(spk);
	for (unsigned i = 0; i < PEERS; i++) {
		if (!established(i))
			continue;
		size_t expected = 0;
		for (size_t k = 0; k < count; k++)
			expected += ids[k] == peers[i]->established->session_id ? MARK_LEN : 0;
		assert_int_equal(queued_of(peers[i]->established), before[i] + expected);
	}
	assert_int_equal(spk->output.dropped - dropped_before, gone * MARK_LEN);
	return gone;
}

static int setup(void **state)
{
	(void)state;
	spk = harness_speaker_start(&loop, &(struct bgp_speaker_options){ .listen = false });
	listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(listener >= 0);
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	assert_int_equal(bind(listener, (struct sockaddr *)&addr, sizeof(addr)), 0);
	assert_int_equal(listen(listener, PEERS), 0);
	for (unsigned i = 0; i < PEERS; i++)
		clients[i] = -1;
	configure(true);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (unsigned i = 0; i < PEERS; i++)
		client_close(i);
	if (spk)
		harness_speaker_stop(&loop, spk);
	spk = NULL;
	close(listener);
	return 0;
}

static void test_sessions_down_and_up(void **state)
{
	(void)state;
	assert_int_equal(spk->sessions.count, 0);
	for (unsigned i = 0; i < PEERS; i++)
		connect_peer(i);
	run_until(1, 0, true);
	settle();
	check_index();
	assert_int_equal(spk->sessions.count, PEERS);
	for (unsigned i = 0; i < PEERS; i++)
		first_ids[i] = peers[i]->established->session_id;

	/* Every session gets its bytes, none is dropped. */
	assert_int_equal(queue_and_drain(first_ids, PEERS), 0);

	/* Three quarters go down, each quarter its own way. */
	for (unsigned i = BY_NOTIFICATION; i < PEERS; i += 4)
		notify_peer(i);
	run_until(4, BY_NOTIFICATION, false);
	for (unsigned i = BY_HOLD_TIMER; i < PEERS; i += 4)
		bgp_connection_event(peers[i]->established, BGP_EVENT_HOLD_TIMER_EXPIRES, NULL);
	configure(false); /* BY_DECONFIGURATION's neighbours are gone: Cease, peer freed */
	for (unsigned i = 0; i < PEERS; i++)
		if (i % 4 != STAYS_UP)
			client_close(i);
	settle(); /* the connections close and their memory goes */
	check_index();
	assert_int_equal(spk->sessions.count, PEERS / 4);

	/* Bytes for the gone sessions are dropped and counted; the others arrive. */
	assert_int_equal(queue_and_drain(first_ids, PEERS), PEERS - PEERS / 4);

	/* They come back (the deconfigured ones configured again): new sessions, new ids. */
	configure(true);
	for (unsigned i = 0; i < PEERS; i++)
		if (i % 4 != STAYS_UP)
			connect_peer(i);
	run_until(1, 0, true);
	settle();
	check_index();
	assert_int_equal(spk->sessions.count, PEERS);
	uint64_t ids[2 * PEERS];
	for (unsigned i = 0; i < PEERS; i++) {
		uint64_t id = peers[i]->established->session_id;
		if (i % 4 == STAYS_UP)
			assert_int_equal(id, first_ids[i]);
		else
			assert_true(id > first_ids[PEERS - 1]); /* never reused */
		ids[2 * i] = first_ids[i];
		ids[2 * i + 1] = id;
	}
	/* The old ids of the returned peers find nothing; every live session gets its bytes
	 * (the ones that stayed up, twice: under ids[2i] and ids[2i+1]). */
	assert_int_equal(queue_and_drain(ids, 2 * PEERS), PEERS - PEERS / 4);

	/* All go down: the index is empty, every byte for them is dropped. */
	for (unsigned i = 0; i < PEERS; i++)
		notify_peer(i);
	run_until(1, 0, false);
	for (unsigned i = 0; i < PEERS; i++)
		client_close(i);
	settle();
	check_index();
	assert_int_equal(spk->sessions.count, 0);
	assert_int_equal(queue_and_drain(ids, 2 * PEERS), 2 * PEERS);
}

/* The speaker destroyed with its sessions up: each leaves the index as its peer goes. */
static void test_speaker_destroyed(void **state)
{
	(void)state;
	for (unsigned i = 0; i < PEERS; i++)
		connect_peer(i);
	run_until(1, 0, true);
	settle();
	check_index();
	struct bgp_connection *conns[PEERS];
	for (unsigned i = 0; i < PEERS; i++)
		conns[i] = peers[i]->established;
	bgp_speaker_destroy(spk, BGP_CEASE_ADMIN_SHUTDOWN);
	/* Peers and connections are closing, their memory not yet given back (the loop has not
	 * run): none is Established or in the index any more. */
	for (unsigned i = 0; i < PEERS; i++) {
		assert_null(peers[i]->established);
		assert_false(conns[i]->session_indexed);
		client_close(i);
	}
	assert_int_equal(spk->sessions_unindexed, 0);
	harness_speaker_finish(&loop, spk);
	spk = NULL;
}

/* The sessions' read allowance per loop iteration (session.c): forty peers each with their
 * UPDATEs waiting in the socket are read at most BGP_INPUT_PER_ITERATION (plus the one read
 * that crosses it) in one iteration, and every UPDATE is read in the iterations after. */
static void test_reads_per_iteration_are_bounded(void **state)
{
	(void)state;
	enum { STEP = 4, UPDATE_LEN = BGP_HEADER_LEN + 4, CHUNK = 65536 / UPDATE_LEN * UPDATE_LEN };
	for (unsigned i = 0; i < PEERS; i += STEP)
		connect_peer(i);
	run_until(STEP, 0, true);
	settle();
	/* empty UPDATEs (an IPv4 End-of-RIB each, RFC 4724 §2): nothing for the RIB to do */
	static uint8_t chunk[CHUNK];
	for (size_t at = 0; at < CHUNK; at += UPDATE_LEN) {
		memset(chunk + at, 0xff, 16); /* the marker */
		chunk[at + 16] = 0;
		chunk[at + 17] = UPDATE_LEN;
		chunk[at + 18] = BGP_MSG_UPDATE;
		memset(chunk + at + 19, 0, 4);
	}
	uint64_t sent = 0, before = 0;
	for (unsigned i = 0; i < PEERS; i += STEP) {
		for (int k = 0; k < 4; k++) { /* as much as the sockets take without the speaker reading */
			ssize_t n = send(clients[i], chunk, CHUNK, MSG_DONTWAIT | MSG_NOSIGNAL);
			if (n <= 0)
				break;
			sent += (size_t)n / UPDATE_LEN;
			if ((size_t)n < CHUNK) { /* the rest of a cut message, so that it stays whole */
				size_t rest = UPDATE_LEN - (size_t)n % UPDATE_LEN;
				if (rest < UPDATE_LEN) {
					send_all(clients[i], chunk, rest);
					sent++;
				}
				break;
			}
		}
		before += peers[i]->received.by_type[BGP_MSG_UPDATE];
	}
	/* enough waiting that an unbounded iteration would read well past the allowance */
	assert_true(sent * UPDATE_LEN > 2 * BGP_INPUT_PER_ITERATION);
	uv_run(&loop, UV_RUN_NOWAIT);
	uint64_t after = 0;
	for (unsigned i = 0; i < PEERS; i += STEP)
		after += peers[i]->received.by_type[BGP_MSG_UPDATE];
	uint64_t read = (after - before) * UPDATE_LEN;
	assert_true(read > 0);
	assert_true(read <= BGP_INPUT_PER_ITERATION + 2 * BGP_MAX_EXTENDED_MESSAGE);
	/* nothing is lost: the rest comes in the next iterations */
	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (after - before < sent) {
		uv_run(&loop, UV_RUN_NOWAIT);
		after = 0;
		for (unsigned i = 0; i < PEERS; i += STEP)
			after += peers[i]->received.by_type[BGP_MSG_UPDATE];
		clock_gettime(CLOCK_MONOTONIC, &now);
		assert_true(now.tv_sec - start.tv_sec < 10);
	}
	assert_int_equal(after - before, sent);
	for (unsigned i = 0; i < PEERS; i += STEP)
		assert_true(established(i));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sessions_down_and_up, setup, teardown),
		cmocka_unit_test_setup_teardown(test_speaker_destroyed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reads_per_iteration_are_bounded, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
