/*
 * DOC: kernel-probe, a test-only driver of src/kernel inside a network namespace.
 *
 * tests/net/test_kernel.py runs it with `ip netns exec NS kernel-probe [-n] [-b batch bytes]
 * [-r receive buffer bytes]` and talks to it
 * over stdin/stdout, one line each way, so the module runs on a real libuv loop exactly as in
 * ternd: every command line read in one read callback is one loop iteration, hence one batch.
 *
 * Commands (one per line):
 *   replace PREFIX [metric M] [nh GW | nh GW%IF | nh %IF]...   (no nh: a blackhole)
 *   delete PREFIX
 *   bulk N PREFIX nh GW        N consecutive prefixes of PREFIX's length, starting at PREFIX
 *   bulkdel N PREFIX           deletes them
 *   resync-begin | resync-end
 *   addr add|del IF A/L        -> "done ok" or "done error <text>"
 *   link up|down IF            -> the same
 *   settle                     -> "settled <rc>"
 *   stats | links | addrs      -> lines, then "end"
 *   quit
 * Events: "ev link added|changed|removed ...", "ev addr added|changed|removed IF A/L",
 *         "ev route-error <text>", "ev resync".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "kernel/kernel.h"
#include "lib/log.h"

static struct kernel *kern;
static uv_pipe_t in;
static char line[1 << 16];
static size_t line_len;

static const char *change_name(enum kernel_change c)
{
	return c == KERNEL_ADDED ? "added" : c == KERNEL_CHANGED ? "changed" : "removed";
}

static void print_link(const char *prefix, const struct kernel_link *l)
{
	char mac[3 * KERNEL_LLADDR_MAX + 1] = "-";
	size_t pos = 0;
	for (unsigned i = 0; i < l->lladdr_len; i++)
		pos += (size_t)snprintf(mac + pos, sizeof(mac) - pos, "%s%02x", i ? ":" : "",
					l->lladdr[i]);
	printf("%s %u %s admin=%d oper=%d carrier=%d mtu=%u mac=%s\n", prefix, l->ifindex, l->name,
	       l->admin_up, l->oper_up, l->carrier, l->mtu, mac);
}

static void on_link(void *ctx, const struct kernel_link *l, enum kernel_change c)
{
	char prefix[32];
	snprintf(prefix, sizeof(prefix), "ev link %s", change_name(c));
	print_link(prefix, l);
}

static void on_addr(void *ctx, const struct kernel_addr *a, enum kernel_change c)
{
	char buf[IP_ADDR_STRLEN];
	printf("ev addr %s %u %s/%u\n", change_name(c), a->ifindex, ip_addr_format(&a->addr, buf),
	       a->prefixlen);
}

static void on_resync(void *ctx)
{
	printf("ev resync\n");
}

static void on_route_error(void *ctx, const struct kernel_route *r, bool is_delete, int error,
			   const char *text)
{
	printf("ev route-error %s\n", text);
}

static void on_done(void *arg, int error, const char *text)
{
	if (error)
		printf("done error %s\n", text);
	else
		printf("done ok\n");
}

static uint32_t ifindex_of(const char *name)
{
	const struct kernel_link *l = kernel_ifaces_link_by_name(kernel_ifaces(kern), name);
	return l ? l->ifindex : 0;
}

static bool parse_prefix(const char *text, struct ip_addr *a, uint8_t *plen)
{
	char buf[64];
	snprintf(buf, sizeof(buf), "%s", text);
	char *slash = strchr(buf, '/');
	if (!slash)
		return false;
	*slash = '\0';
	*plen = (uint8_t)atoi(slash + 1);
	return ip_addr_parse(buf, a);
}

static bool parse_nexthop(const char *text, struct kernel_nexthop *nh)
{
	char buf[80];
	snprintf(buf, sizeof(buf), "%s", text);
	memset(nh, 0, sizeof(*nh));
	char *pct = strchr(buf, '%');
	if (pct) {
		*pct = '\0';
		nh->ifindex = ifindex_of(pct + 1);
		if (!nh->ifindex)
			return false;
	}
	return buf[0] == '\0' || ip_addr_parse(buf, &nh->gateway);
}

/* The i-th prefix after base, stepping by the prefix's size (IPv4 only). */
static struct ip_addr nth_prefix(const struct ip_addr *base, uint8_t plen, uint32_t i)
{
	uint32_t v = ip_addr_v4(base) + (plen ? i << (32 - plen) : 0);
	return ip_addr_from_v4(v);
}

static void command(char *cmd)
{
	char *argv[40];
	int argc = 0;
	for (char *tok = strtok(cmd, " \t"); tok && argc < 40; tok = strtok(NULL, " \t"))
		argv[argc++] = tok;
	if (argc == 0)
		return;
	const char *why = NULL;
	if (strcmp(argv[0], "replace") == 0 && argc >= 2) {
		struct kernel_route r = { 0 };
		if (!parse_prefix(argv[1], &r.dst, &r.prefixlen)) {
			printf("bad prefix\n");
			return;
		}
		for (int i = 2; i < argc; i++) {
			if (strcmp(argv[i], "metric") == 0 && i + 1 < argc)
				r.metric = (uint32_t)strtoul(argv[++i], NULL, 10);
			else if (strcmp(argv[i], "nh") == 0 && i + 1 < argc &&
				 r.nexthop_count < KERNEL_MAX_NEXTHOPS) {
				if (!parse_nexthop(argv[++i], &r.nexthops[r.nexthop_count++])) {
					printf("bad nexthop %s\n", argv[i]);
					return;
				}
			}
		}
		if (!kernel_route_replace(kern, &r, &why))
			printf("refused %s\n", why);
	} else if (strcmp(argv[0], "delete") == 0 && argc >= 2) {
		struct ip_addr a;
		uint8_t plen;
		if (parse_prefix(argv[1], &a, &plen))
			kernel_route_delete(kern, &a, plen);
	} else if ((strcmp(argv[0], "bulk") == 0 && argc >= 5) ||
		   (strcmp(argv[0], "bulkdel") == 0 && argc >= 3)) {
		uint32_t n = (uint32_t)strtoul(argv[1], NULL, 10);
		struct ip_addr base;
		uint8_t plen;
		struct kernel_route r = { 0 };
		if (!parse_prefix(argv[2], &base, &plen) || !ip_addr_is_v4(&base)) {
			printf("bad prefix\n");
			return;
		}
		bool del = argv[0][4] == 'd';
		if (!del) {
			r.nexthop_count = 1;
			if (!parse_nexthop(argv[4], &r.nexthops[0])) {
				printf("bad nexthop\n");
				return;
			}
		}
		r.prefixlen = plen;
		for (uint32_t i = 0; i < n; i++) {
			r.dst = nth_prefix(&base, plen, i);
			if (del)
				kernel_route_delete(kern, &r.dst, plen);
			else if (!kernel_route_replace(kern, &r, &why))
				printf("refused %s\n", why);
		}
	} else if (strcmp(argv[0], "resync-begin") == 0) {
		kernel_routes_resync_begin(kern);
	} else if (strcmp(argv[0], "resync-end") == 0) {
		kernel_routes_resync_end(kern);
	} else if (strcmp(argv[0], "addr") == 0 && argc == 4) {
		struct ip_addr a;
		uint8_t plen;
		if (!parse_prefix(argv[3], &a, &plen)) {
			printf("done error bad address\n");
			return;
		}
		uint32_t ifindex = ifindex_of(argv[2]);
		if (strcmp(argv[1], "add") == 0)
			kernel_address_add(kern, ifindex, &a, plen, on_done, NULL);
		else
			kernel_address_delete(kern, ifindex, &a, plen, on_done, NULL);
	} else if (strcmp(argv[0], "link") == 0 && argc == 3) {
		kernel_link_set_up(kern, ifindex_of(argv[2]), strcmp(argv[1], "up") == 0, on_done,
				   NULL);
	} else if (strcmp(argv[0], "settle") == 0) {
		printf("settled %d\n", kernel_settle(kern, 5000));
	} else if (strcmp(argv[0], "stats") == 0) {
		struct kernel_stats s;
		kernel_get_stats(kern, &s);
		printf("stats installed=%llu replaces=%llu deletes=%llu errors=%llu messages=%llu "
		       "sends=%llu flushed=%llu resyncs=%llu enobufs=%llu parse_errors=%llu\n",
		       (unsigned long long)s.routes_installed, (unsigned long long)s.route_replaces,
		       (unsigned long long)s.route_deletes, (unsigned long long)s.route_errors,
		       (unsigned long long)s.messages_sent, (unsigned long long)s.sends,
		       (unsigned long long)s.flushed_at_open, (unsigned long long)s.resyncs,
		       (unsigned long long)s.enobufs, (unsigned long long)s.parse_errors);
	} else if (strcmp(argv[0], "links") == 0) {
		const struct kernel_ifaces *t = kernel_ifaces(kern);
		for (size_t i = 0; i < kernel_ifaces_link_count(t); i++)
			print_link("link", kernel_ifaces_link_at(t, i));
		printf("end\n");
	} else if (strcmp(argv[0], "addrs") == 0) {
		size_t cur = 0;
		const struct kernel_addr *a;
		char buf[IP_ADDR_STRLEN];
		while ((a = kernel_ifaces_addr_next(kernel_ifaces(kern), 0, &cur)))
			printf("addr %u %s/%u\n", a->ifindex, ip_addr_format(&a->addr, buf),
			       a->prefixlen);
		printf("end\n");
	} else if (strcmp(argv[0], "quit") == 0) {
		uv_read_stop((uv_stream_t *)&in);
		kernel_close(kern);
		kern = NULL;
		uv_close((uv_handle_t *)&in, NULL);
		printf("bye\n");
	} else {
		printf("unknown command %s\n", argv[0]);
	}
}

static void on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
	static char chunk[1 << 16];
	*buf = uv_buf_init(chunk, sizeof(chunk));
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	if (n < 0) {
		char quit[] = "quit";
		if (kern)
			command(quit);
		return;
	}
	for (ssize_t i = 0; i < n && kern; i++) {
		char c = buf->base[i];
		if (c == '\n') {
			line[line_len] = '\0';
			line_len = 0;
			command(line);
		} else if (line_len + 1 < sizeof(line)) {
			line[line_len++] = c;
		}
	}
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	struct kernel_options opt = { 0 };
	int c;
	while ((c = getopt(argc, argv, "nb:r:")) != -1) {
		if (c == 'n')
			opt.no_fib = true;
		else if (c == 'b')
			opt.batch_bytes = (size_t)atol(optarg);
		else if (c == 'r')
			opt.rcvbuf_bytes = atoi(optarg);
	}
	log_open("kernel-probe", false, LOG_LEVEL_INFO);
	uv_loop_t *loop = uv_default_loop();
	struct kernel_callbacks cb = {
		.link = on_link, .addr = on_addr, .resync = on_resync, .route_error = on_route_error,
	};
	char err[256];
	kern = kernel_open(loop, &opt, &cb, err, sizeof(err));
	if (!kern) {
		printf("error %s\n", err);
		return 1;
	}
	printf("ready\n");
	uv_pipe_init(loop, &in, 0);
	if (uv_pipe_open(&in, 0) != 0) {
		printf("error stdin is not a pipe\n");
		return 1;
	}
	uv_read_start((uv_stream_t *)&in, on_alloc, on_read);
	uv_run(loop, UV_RUN_DEFAULT);
	return 0;
}
