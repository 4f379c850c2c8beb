/*
 * DOC: feeder, the benchmark's route source.
 *
 *   feeder --connect ADDR --source ADDR --as AS [--port 179] [--router-id ID] [-n N]
 *          [--prefix-seed S] [--path-seed S] [--timeout SECONDS]
 *
 * Generates the seeded table of table.h (the source address is the NEXT_HOP), pre-encodes it
 * into packed UPDATEs, connects over EBGP to the daemon under test (or straight to the
 * monitor: the floor), and once Established writes the whole table and an End-of-RIB as fast
 * as TCP takes them. While it writes, and afterwards, it drains what the peer sends.
 *
 * Then it obeys one command per line on standard input:
 *   churn-withdraw   withdraw every tenth prefix (index % 10 == 0)
 *   churn-announce   announce those prefixes again, with their attributes
 *   withdraw-all     withdraw every prefix
 *   announce-all     announce the whole table again
 *   drop             Cease/Administrative Shutdown, then close the connection and exit
 *   quit (or EOF)    close and exit
 *
 * Standard output is machine-readable, one event a line, times in CLOCK_MONOTONIC
 * nanoseconds: "ready sets=S messages=M bytes=B", "established T", "sent T bytes=B
 * messages=M" (after the last byte of the table and End-of-RIB was written), "start CMD T"
 * once a command's messages are encoded, "done CMD T" after their last byte, "dropped T", "rx updates=U bytes=B" at exit, "error TEXT".
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

#include "encode.h"
#include "speaker.h"
#include "table.h"

struct feeder {
	struct bench_conn conn;
	struct bench_table table;
	uint32_t next_hop;
	uint64_t rx_updates;
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

/* Reads and discards what the peer sent; exits on a NOTIFICATION or a closed connection. */
static void drain(struct feeder *f)
{
	ssize_t n = bench_conn_read(&f->conn);
	if (n == 0)
		fail("%s", "peer closed the connection");
	if (n == -1)
		fail("read: %s", strerror(errno));
	for (;;) {
		struct bgp_header h;
		const uint8_t *msg = NULL;
		int r = bench_conn_next(&f->conn, &h, &msg);
		if (r < 0)
			fail("%s", "framing error from peer");
		if (r == 0)
			return;
		if (h.type == BGP_MSG_UPDATE)
			f->rx_updates++;
		if (h.type == BGP_MSG_NOTIFICATION) {
			char text[128];
			bench_notification_text(msg, h.length, text, sizeof text);
			fail("NOTIFICATION from peer: %s", text);
		}
	}
}

/* Writes buf while draining the socket: a daemon that sends while we send must never stall
 * on us (and we on it). */
static void send_stream(struct feeder *f, const uint8_t *buf, size_t len)
{
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(f->conn.fd, buf + off, len - off);
		if (w > 0) {
			off += (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			fail("write: %s", strerror(errno));
		struct pollfd p = { .fd = f->conn.fd, .events = POLLIN | POLLOUT };
		if (poll(&p, 1, -1) < 0 && errno != EINTR)
			fail("poll: %s", strerror(errno));
		if (p.revents & (POLLIN | POLLHUP | POLLERR))
			drain(f);
	}
	f->conn.last_tx_ns = bench_mono_ns();
}

static void run_command(struct feeder *f, const char *cmd)
{
	struct bench_buf b = { 0 };
	struct bench_select tenth = { .mod = 10, .rem = 0 }, all = { 0 };
	bool ok;
	if (strcmp(cmd, "churn-withdraw") == 0)
		ok = bench_encode_withdraw(&b, &f->table, tenth);
	else if (strcmp(cmd, "churn-announce") == 0)
		ok = bench_encode_announce(&b, &f->table, tenth, f->next_hop);
	else if (strcmp(cmd, "withdraw-all") == 0)
		ok = bench_encode_withdraw(&b, &f->table, all);
	else if (strcmp(cmd, "announce-all") == 0)
		ok = bench_encode_announce(&b, &f->table, all, f->next_hop);
	else if (strcmp(cmd, "drop") == 0) {
		bench_send_cease(&f->conn, BGP_CEASE_ADMIN_SHUTDOWN);
		shutdown(f->conn.fd, SHUT_WR);
		printf("dropped %llu\n", (unsigned long long)bench_mono_ns());
		/* read until the peer closes too, so unread bytes never turn our close into a RST
		 * that could destroy the NOTIFICATION */
		uint64_t until = bench_mono_ns() + 3000000000ull;
		char sink[65536];
		while (bench_mono_ns() < until) {
			struct pollfd p = { .fd = f->conn.fd, .events = POLLIN };
			if (poll(&p, 1, 100) > 0 && read(f->conn.fd, sink, sizeof sink) == 0)
				break;
		}
		close(f->conn.fd);
		f->conn.fd = -1;
		printf("rx updates=%llu bytes=%llu\n", (unsigned long long)f->rx_updates,
		       (unsigned long long)f->conn.rx_bytes);
		exit(0);
	} else if (strcmp(cmd, "quit") == 0) {
		printf("rx updates=%llu bytes=%llu\n", (unsigned long long)f->rx_updates,
		       (unsigned long long)f->conn.rx_bytes);
		exit(0);
	} else {
		printf("error unknown command %s\n", cmd);
		return;
	}
	if (!ok)
		fail("%s", "cannot encode");
	printf("start %s %llu\n", cmd, (unsigned long long)bench_mono_ns());
	send_stream(f, b.data, b.len);
	printf("done %s %llu messages=%zu\n", cmd, (unsigned long long)bench_mono_ns(), b.messages);
	bench_buf_free(&b);
}

static void command_line(void *ctx, char *line)
{
	run_command(ctx, line);
}

/* Reads commands from standard input; returns false at EOF. */
static bool read_commands(struct feeder *f)
{
	return bench_read_lines(&f->input, command_line, f);
}

static void usage(void)
{
	fprintf(stderr, "usage: feeder --connect ADDR --source ADDR --as AS [--port 179] "
			"[--router-id ID] [-n N] [--prefix-seed S] [--path-seed S] [--timeout S]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "connect", required_argument, NULL, 'c' },
		{ "source", required_argument, NULL, 's' },
		{ "as", required_argument, NULL, 'a' },
		{ "port", required_argument, NULL, 'p' },
		{ "router-id", required_argument, NULL, 'r' },
		{ "prefix-seed", required_argument, NULL, 'P' },
		{ "path-seed", required_argument, NULL, 'S' },
		{ "timeout", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dst = NULL, *src = NULL, *rid = NULL;
	uint32_t as = 0;
	uint16_t port = 179;
	size_t n = 100000;
	uint64_t prefix_seed = 1, path_seed = 1;
	double timeout = 30;
	int c;
	while ((c = getopt_long(argc, argv, "n:", opts, NULL)) != -1) {
		switch (c) {
		case 'c': dst = optarg; break;
		case 's': src = optarg; break;
		case 'a': as = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'p': port = (uint16_t)atoi(optarg); break;
		case 'r': rid = optarg; break;
		case 'n': n = strtoul(optarg, NULL, 10); break;
		case 'P': prefix_seed = strtoull(optarg, NULL, 10); break;
		case 'S': path_seed = strtoull(optarg, NULL, 10); break;
		case 't': timeout = atof(optarg); break;
		default: usage();
		}
	}
	if (!dst || !src || !as)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);

	struct feeder f;
	memset(&f, 0, sizeof f);
	uint32_t router_id = 0;
	if (!bench_parse_ipv4(src, &f.next_hop) || !bench_parse_ipv4(rid ? rid : src, &router_id))
		fail("bad address %s", src);
	if (!bench_table_generate(&f.table, n, prefix_seed, path_seed, as))
		fail("%s", "cannot generate the table");
	struct bench_buf table = { 0 };
	if (!bench_encode_announce(&table, &f.table, (struct bench_select){ 0 }, f.next_hop) ||
	    !bench_encode_eor(&table))
		fail("%s", "cannot encode the table");
	printf("ready sets=%zu messages=%zu bytes=%zu\n", f.table.nsets, table.messages, table.len);

	/* the daemon may accept TCP before it is ready for the session: retry both */
	uint64_t deadline = bench_mono_ns() + (uint64_t)(timeout * 1e9);
	for (;;) {
		double left = (double)(deadline - bench_mono_ns()) / 1e9;
		int fd = bench_tcp_connect(dst, port, src, left > 0.1 ? left : 0.1);
		if (fd < 0)
			fail("connect: %s", strerror(errno));
		bench_conn_init(&f.conn, fd, as, router_id);
		char why[200];
		if (bench_handshake(&f.conn, left > 1 ? left : 1, why, sizeof why))
			break;
		bench_conn_free(&f.conn);
		if (bench_mono_ns() >= deadline)
			fail("%s", why);
		printf("retry %s\n", why);
		struct timespec ts = { .tv_sec = 0, .tv_nsec = 500000000L };
		nanosleep(&ts, NULL);
	}
	printf("established %llu peer_as=%u\n", (unsigned long long)bench_mono_ns(),
	       bgp_open_peer_as(&f.conn.peer));

	send_stream(&f, table.data, table.len);
	printf("sent %llu bytes=%zu messages=%zu\n", (unsigned long long)bench_mono_ns(), table.len,
	       table.messages);
	bench_buf_free(&table);

	for (;;) {
		struct pollfd p[2] = { { .fd = 0, .events = POLLIN },
				       { .fd = f.conn.fd, .events = POLLIN } };
		int r = poll(p, 2, 1000);
		if (r < 0 && errno != EINTR)
			fail("poll: %s", strerror(errno));
		if (p[1].revents)
			drain(&f);
		if (p[0].revents && !read_commands(&f))
			run_command(&f, "quit");
		if (!bench_keepalive_due(&f.conn, bench_mono_ns()))
			fail("%s", "cannot send KEEPALIVE");
	}
}
