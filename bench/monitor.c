/*
 * DOC: monitor, the benchmark's route sink.
 *
 *   monitor (--listen ADDR | --connect ADDR [--source ADDR]) --as AS [--port 179]
 *           [--router-id ID] [-n N] [--prefix-seed S] [--path-seed S]
 *           [--check --feeder-as AS --expect-as AS --expect-next-hop ADDR] [--timeout S]
 *
 * Peers with the daemon under test (connecting to it), or accepts feeders straight (the
 * floor: any number of sessions). It regenerates the feeder's table from the same seeds to
 * index what it receives: one bit per (session, prefix) held, set by an NLRI, cleared by a
 * withdrawal or when the session goes down. The count of bits is what the harness waits on.
 *
 * Commands on standard input, one a line:
 *   wait COUNT   print "reached COUNT T" as soon as the count of (session, prefix) held is
 *                COUNT (at once if it is already)
 *   last         print "last T updates=U held=H": when the last UPDATE arrived
 *   check        print "check ok ..." or "check fail ..." (check mode)
 *   stats        print "stats ..."
 *   quit (EOF)   print stats and exit
 * Events on standard output, times in CLOCK_MONOTONIC nanoseconds: "listening", "established T
 * peer=ADDR peer_as=AS", "first T" (first NLRI), "closed T peer=ADDR", "error TEXT".
 *
 * Check mode (--check) asserts what issue 8 asks of a daemon that passes routes on: the
 * prefixes held are exactly the table's, each with the AS path [expect-as, the feeder's path],
 * the NEXT_HOP rewritten to expect-next-hop, and the feeder's communities kept.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "speaker.h"
#include "table.h"
#include "wire/bgp_attr.h"

#define MAX_SESSIONS 32
#define MAX_WAITS 16

struct session {
	struct bench_conn conn;
	uint64_t *held; /* one bit per table prefix */
	size_t count;
};

struct monitor {
	struct bench_table table;
	struct session *sessions[MAX_SESSIONS];
	size_t nsessions;
	int listen_fd;
	uint32_t local_as, router_id;
	size_t total;
	long waits[MAX_WAITS];
	size_t nwaits;
	bool first_seen;
	uint64_t last_update_ns;
	uint64_t updates, announced, withdrawn, unexpected, withdrawn_absent, eor;
	/* check mode */
	bool check;
	uint32_t expect_as, expect_nh;
	uint64_t *good; /* last announcement of the prefix was as expected */
	uint64_t bad_path, bad_nh, bad_comm, bad_attrs;
	char first_problem[256];
	struct bench_lines input;
};

static _Noreturn void fail(const char *fmt, const char *arg)
{
	printf("error ");
	printf(fmt, arg);
	printf("\n");
	fflush(stdout);
	exit(1);
}

static bool bit_get(const uint64_t *b, size_t i) { return (b[i >> 6] >> (i & 63)) & 1; }
static void bit_set(uint64_t *b, size_t i) { b[i >> 6] |= (uint64_t)1 << (i & 63); }
static void bit_clear(uint64_t *b, size_t i) { b[i >> 6] &= ~((uint64_t)1 << (i & 63)); }

static void check_waits(struct monitor *m)
{
	for (size_t i = 0; i < m->nwaits;) {
		if ((size_t)m->waits[i] == m->total) {
			printf("reached %ld %llu\n", m->waits[i], (unsigned long long)bench_mono_ns());
			m->waits[i] = m->waits[--m->nwaits];
		} else {
			i++;
		}
	}
}

static void problem(struct monitor *m, const char *what, const struct bench_prefix *p)
{
	if (m->first_problem[0])
		return;
	snprintf(m->first_problem, sizeof m->first_problem, "%s for %u.%u.%u.%u/%u", what,
		 p->addr >> 24, (p->addr >> 16) & 255, (p->addr >> 8) & 255, p->addr & 255, p->len);
}

/* Is the route for prefix k carried with the attributes issue 8 expects? */
static bool route_ok(struct monitor *m, const struct bgp_attrs *a, const struct bgp_error *err,
		     size_t k)
{
	const struct bench_prefix *p = &m->table.prefixes[k];
	const struct bench_attrset *s = &m->table.sets[p->set];
	if (err->code) {
		char what[64];
		snprintf(what, sizeof what, "attributes rejected (%u/%u)", err->code, err->subcode);
		m->bad_attrs++;
		problem(m, what, p);
		return false;
	}
	bool ok = true;
	struct bgp_as_path_iter it;
	struct bgp_as_segment seg;
	bgp_as_path_iter_init(&it, &a->as_path);
	bool path_ok = bgp_attrs_has(a, BGP_ATTR_AS_PATH) && bgp_as_path_iter_next(&it, &seg) &&
		       seg.type == BGP_AS_SEQUENCE && seg.count == s->hops + 1 &&
		       bgp_as_segment_next_asn(&seg) == m->expect_as;
	for (uint8_t h = 0; path_ok && h < s->hops; h++)
		path_ok = bgp_as_segment_next_asn(&seg) == s->asns[h];
	if (path_ok)
		path_ok = !bgp_as_path_iter_next(&it, &seg);
	if (!path_ok) {
		m->bad_path++;
		problem(m, "AS path is not the daemon's AS then the feeder's path", p);
		ok = false;
	}
	if (!bgp_attrs_has(a, BGP_ATTR_NEXT_HOP) || a->next_hop != m->expect_nh) {
		m->bad_nh++;
		problem(m, "NEXT_HOP not rewritten to the daemon's address", p);
		ok = false;
	}
	bool comm_ok = s->ncomm == 0 ? !bgp_attrs_has(a, BGP_ATTR_COMMUNITIES) ||
					       bgp_communities_count(&a->communities) == 0
				     : bgp_attrs_has(a, BGP_ATTR_COMMUNITIES) &&
					       bgp_communities_count(&a->communities) == s->ncomm;
	for (uint8_t i = 0; comm_ok && i < s->ncomm; i++)
		comm_ok = bgp_communities_contain(&a->communities, s->comm[i]);
	if (!comm_ok) {
		m->bad_comm++;
		problem(m, "communities not kept", p);
		ok = false;
	}
	return ok;
}

static void withdraw_prefix(struct monitor *m, struct session *s, uint32_t addr, uint8_t len)
{
	long k = bench_table_find(&m->table, addr, len);
	m->withdrawn++;
	if (k < 0 || !bit_get(s->held, (size_t)k)) {
		m->withdrawn_absent++;
		return;
	}
	bit_clear(s->held, (size_t)k);
	s->count--;
	m->total--;
}

static void announce_prefix(struct monitor *m, struct session *s, uint32_t addr, uint8_t len,
			    const struct bgp_attrs *a, const struct bgp_error *err)
{
	long k = bench_table_find(&m->table, addr, len);
	m->announced++;
	if (!m->first_seen) {
		m->first_seen = true;
		printf("first %llu\n", (unsigned long long)bench_mono_ns());
	}
	if (k < 0) {
		m->unexpected++;
		return;
	}
	if (m->check) {
		if (route_ok(m, a, err, (size_t)k))
			bit_set(m->good, (size_t)k);
		else
			bit_clear(m->good, (size_t)k);
	}
	if (!bit_get(s->held, (size_t)k)) {
		bit_set(s->held, (size_t)k);
		s->count++;
		m->total++;
	}
}

static void handle_update(struct monitor *m, struct session *s, const uint8_t *msg, size_t len)
{
	struct reader body = reader_make(msg + BGP_HEADER_LEN, len - BGP_HEADER_LEN);
	struct bgp_update_parts parts;
	struct bgp_error err;
	m->updates++;
	m->last_update_ns = bench_mono_ns();
	if (!bgp_update_split(&body, &parts, &err))
		fail("%s", "malformed UPDATE from peer");
	struct bgp_prefix4 p;
	int r;
	bool any = !reader_empty(&parts.withdrawn) || !reader_empty(&parts.nlri);
	while ((r = bgp_prefix4_next(&parts.withdrawn, &p)) == 1)
		withdraw_prefix(m, s, p.addr, p.len);
	if (r < 0)
		fail("%s", "malformed withdrawn routes from peer");
	struct bgp_attrs a;
	memset(&err, 0, sizeof err);
	if (m->check && !reader_empty(&parts.nlri)) {
		struct bgp_attr_opts o = { .as4 = true, .ipv4_nlri = true };
		if (bgp_attr_decode(&parts.attributes, &o, &a, &err) == BGP_ATTR_RESULT_OK)
			err.code = 0;
		else if (!err.code)
			err.code = BGP_ERR_UPDATE;
	}
	while ((r = bgp_prefix4_next(&parts.nlri, &p)) == 1)
		announce_prefix(m, s, p.addr, p.len, &a, &err);
	if (r < 0)
		fail("%s", "malformed NLRI from peer");
	if (!any && reader_empty(&parts.attributes))
		m->eor++;
	if (m->nwaits)
		check_waits(m);
}

static void close_session(struct monitor *m, size_t i)
{
	struct session *s = m->sessions[i];
	printf("closed %llu peer=%s\n", (unsigned long long)bench_mono_ns(), s->conn.peer_addr);
	m->total -= s->count;
	bench_conn_free(&s->conn);
	free(s->held);
	free(s);
	m->sessions[i] = m->sessions[--m->nsessions];
	check_waits(m);
}

/* Handles the whole messages in the receive buffer; false when the session is gone. */
static bool process(struct monitor *m, size_t i)
{
	struct session *s = m->sessions[i];
	for (;;) {
		struct bgp_header h;
		const uint8_t *msg = NULL;
		int r = bench_conn_next(&s->conn, &h, &msg);
		if (r < 0)
			fail("%s", "framing error from peer");
		if (r == 0)
			return true;
		if (h.type == BGP_MSG_UPDATE) {
			handle_update(m, s, msg, h.length);
		} else if (h.type == BGP_MSG_NOTIFICATION) {
			char text[128];
			bench_notification_text(msg, h.length, text, sizeof text);
			printf("notification %s\n", text);
			close_session(m, i);
			return false;
		}
	}
}

/* Reads what the socket has and handles it; false when the session is gone. */
static bool service(struct monitor *m, size_t i)
{
	ssize_t n = bench_conn_read(&m->sessions[i]->conn);
	if (n == 0 || n == -1) {
		close_session(m, i);
		return false;
	}
	return process(m, i);
}

static bool add_session(struct monitor *m, int fd, double timeout)
{
	if (m->nsessions == MAX_SESSIONS) {
		close(fd);
		return false;
	}
	struct session *s = calloc(1, sizeof *s);
	if (!s)
		fail("%s", "out of memory");
	s->held = calloc((m->table.n + 63) / 64, sizeof *s->held);
	if (!s->held)
		fail("%s", "out of memory");
	bench_conn_init(&s->conn, fd, m->local_as, m->router_id);
	char why[200];
	if (!bench_handshake(&s->conn, timeout, why, sizeof why)) {
		printf("session-failed %s %s\n", s->conn.peer_addr, why);
		bench_conn_free(&s->conn);
		free(s->held);
		free(s);
		return false;
	}
	printf("established %llu peer=%s peer_as=%u\n", (unsigned long long)bench_mono_ns(),
	       s->conn.peer_addr, bgp_open_peer_as(&s->conn.peer));
	m->sessions[m->nsessions++] = s;
	/* UPDATEs that came with the peer's KEEPALIVE: poll will not report them again */
	process(m, m->nsessions - 1);
	return true;
}

static void print_stats(struct monitor *m)
{
	printf("stats held=%zu sessions=%zu updates=%llu announced=%llu withdrawn=%llu "
	       "unexpected=%llu withdrawn_absent=%llu eor=%llu\n",
	       m->total, m->nsessions, (unsigned long long)m->updates,
	       (unsigned long long)m->announced, (unsigned long long)m->withdrawn,
	       (unsigned long long)m->unexpected, (unsigned long long)m->withdrawn_absent,
	       (unsigned long long)m->eor);
}

static void print_check(struct monitor *m)
{
	size_t good = 0, missing = 0;
	for (size_t k = 0; k < m->table.n; k++) {
		bool held = false;
		for (size_t i = 0; i < m->nsessions; i++)
			held = held || bit_get(m->sessions[i]->held, k);
		if (!held)
			missing++;
		else if (m->good && bit_get(m->good, k))
			good++;
	}
	bool ok = m->check && missing == 0 && m->unexpected == 0 && good == m->table.n &&
		  m->total == m->table.n;
	printf("check %s expected=%zu held=%zu good=%zu missing=%zu unexpected=%llu "
	       "bad_path=%llu bad_next_hop=%llu bad_communities=%llu bad_attrs=%llu%s%s\n",
	       ok ? "ok" : "fail", m->table.n, m->total, good, missing,
	       (unsigned long long)m->unexpected, (unsigned long long)m->bad_path,
	       (unsigned long long)m->bad_nh, (unsigned long long)m->bad_comm,
	       (unsigned long long)m->bad_attrs, m->first_problem[0] ? " first: " : "",
	       m->first_problem);
}

static void command(struct monitor *m, const char *cmd)
{
	if (strncmp(cmd, "wait ", 5) == 0) {
		if (m->nwaits < MAX_WAITS)
			m->waits[m->nwaits++] = atol(cmd + 5);
		check_waits(m);
	} else if (strcmp(cmd, "check") == 0) {
		print_check(m);
	} else if (strcmp(cmd, "last") == 0) {
		printf("last %llu updates=%llu held=%zu\n", (unsigned long long)m->last_update_ns,
		       (unsigned long long)m->updates, m->total);
	} else if (strcmp(cmd, "stats") == 0) {
		print_stats(m);
	} else if (strcmp(cmd, "quit") == 0) {
		print_stats(m);
		exit(0);
	} else {
		printf("error unknown command %s\n", cmd);
	}
}

static void command_line(void *ctx, char *line)
{
	command(ctx, line);
}

/* Reads commands from standard input; returns false at EOF. */
static bool read_commands(struct monitor *m)
{
	return bench_read_lines(&m->input, command_line, m);
}

static void usage(void)
{
	fprintf(stderr, "usage: monitor (--listen ADDR | --connect ADDR [--source ADDR]) --as AS "
			"[--port 179] [--router-id ID] [-n N] [--prefix-seed S] [--path-seed S]\n"
			"       [--check --feeder-as AS --expect-as AS --expect-next-hop ADDR] "
			"[--timeout S]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "connect", required_argument, NULL, 'c' },
		{ "source", required_argument, NULL, 's' },
		{ "as", required_argument, NULL, 'a' },
		{ "port", required_argument, NULL, 'p' },
		{ "router-id", required_argument, NULL, 'r' },
		{ "prefix-seed", required_argument, NULL, 'P' },
		{ "path-seed", required_argument, NULL, 'S' },
		{ "check", no_argument, NULL, 'k' },
		{ "feeder-as", required_argument, NULL, 'f' },
		{ "expect-as", required_argument, NULL, 'e' },
		{ "expect-next-hop", required_argument, NULL, 'h' },
		{ "timeout", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	static struct monitor m;
	const char *listen_addr = NULL, *dst = NULL, *src = NULL, *rid = NULL, *nh = NULL;
	uint16_t port = 179;
	size_t n = 100000;
	uint64_t prefix_seed = 1, path_seed = 1;
	uint32_t feeder_as = 0;
	double timeout = 30;
	int c;
	while ((c = getopt_long(argc, argv, "n:", opts, NULL)) != -1) {
		switch (c) {
		case 'l': listen_addr = optarg; break;
		case 'c': dst = optarg; break;
		case 's': src = optarg; break;
		case 'a': m.local_as = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'p': port = (uint16_t)atoi(optarg); break;
		case 'r': rid = optarg; break;
		case 'n': n = strtoul(optarg, NULL, 10); break;
		case 'P': prefix_seed = strtoull(optarg, NULL, 10); break;
		case 'S': path_seed = strtoull(optarg, NULL, 10); break;
		case 'k': m.check = true; break;
		case 'f': feeder_as = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'e': m.expect_as = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'h': nh = optarg; break;
		case 't': timeout = atof(optarg); break;
		default: usage();
		}
	}
	if ((!listen_addr == !dst) || !m.local_as)
		usage();
	if (m.check && (!feeder_as || !m.expect_as || !nh || !bench_parse_ipv4(nh, &m.expect_nh)))
		usage();
	const char *self = rid ? rid : (src ? src : (listen_addr ? listen_addr : "192.0.2.1"));
	if (!bench_parse_ipv4(self, &m.router_id))
		fail("bad router id %s", self);
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	if (!bench_table_generate(&m.table, n, prefix_seed, path_seed, feeder_as ? feeder_as : 1))
		fail("%s", "cannot generate the table");
	if (m.check && !(m.good = calloc((n + 63) / 64, sizeof *m.good)))
		fail("%s", "out of memory");

	m.listen_fd = -1;
	if (listen_addr) {
		m.listen_fd = bench_tcp_listen(listen_addr, port);
		if (m.listen_fd < 0)
			fail("listen: %s", strerror(errno));
		printf("listening\n");
	} else {
		/* the daemon may accept TCP before it is ready for the session: retry both */
		uint64_t deadline = bench_mono_ns() + (uint64_t)(timeout * 1e9);
		for (;;) {
			double left = (double)(deadline - bench_mono_ns()) / 1e9;
			int fd = bench_tcp_connect(dst, port, src, left > 0.1 ? left : 0.1);
			if (fd < 0)
				fail("connect: %s", strerror(errno));
			if (add_session(&m, fd, left > 1 ? left : 1))
				break;
			if (bench_mono_ns() >= deadline)
				fail("%s", "no session with the daemon");
			struct timespec ts = { .tv_sec = 0, .tv_nsec = 500000000L };
			nanosleep(&ts, NULL);
		}
	}

	bool stdin_open = true;
	for (;;) {
		struct pollfd p[MAX_SESSIONS + 2];
		size_t np = 0;
		p[np++] = (struct pollfd){ .fd = stdin_open ? 0 : -1, .events = POLLIN };
		p[np++] = (struct pollfd){ .fd = m.listen_fd, .events = POLLIN };
		for (size_t i = 0; i < m.nsessions; i++)
			p[np++] = (struct pollfd){ .fd = m.sessions[i]->conn.fd, .events = POLLIN };
		size_t nsess = m.nsessions;
		int r = poll(p, np, 1000);
		if (r < 0 && errno != EINTR)
			fail("poll: %s", strerror(errno));
		/* sessions first, last one first: close_session moves the last into the gap */
		for (size_t i = nsess; i-- > 0;)
			if (p[2 + i].revents)
				service(&m, i);
		if (p[1].revents) {
			int fd = accept4(m.listen_fd, NULL, NULL, SOCK_CLOEXEC);
			if (fd >= 0)
				add_session(&m, fd, timeout);
		}
		if (p[0].revents && !read_commands(&m)) {
			command(&m, "quit");
		}
		uint64_t now = bench_mono_ns();
		for (size_t i = 0; i < m.nsessions; i++)
			bench_keepalive_due(&m.sessions[i]->conn, now);
		(void)stdin_open;
	}
}
