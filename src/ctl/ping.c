/*
 * DOC: ping and traceroute from the router (see ping.h).
 */
#include "ctl/ping.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lib/addr.h"
#include "lib/icmp_echo.h"
#include "lib/ifname.h"
#include "lib/memory.h"

#define IP_HEADER 20
#define RESULTS_PER_LINE 70 /* IOS wraps the !!!!! line there */
#define POLL_MS 10          /* how often a waiting probe looks for its answer */

struct ping_view {
	struct ping_request request;
	int fd;
	uint16_t id;
	bool started;
	/* the probe in flight */
	bool waiting;
	uint16_t seq;
	double sent_at, deadline;
	/* ping */
	unsigned sent, received, on_line;
	double min_ms, max_ms, sum_ms;
	/* traceroute */
	unsigned ttl, probe;     /* probe of the hop, 0..TRACE_PROBES-1 */
	uint32_t hop_from;       /* the address last printed on the hop's line, 0 none */
	bool reached;            /* the destination (or an unreachable) answered at this hop */
	char failure[128];
};

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static const char *v4(uint32_t host_order, char *buf)
{
	struct in_addr a = { htonl(host_order) };
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

bool ping_source_of_interface(const char *name, uint32_t *src, struct strbuf *err)
{
	struct ifname n;
	if (!ifname_parse(name, &n)) {
		strbuf_printf(err, "%% Invalid source interface - %s\n", name);
		return false;
	}
	struct ifaddrs *list;
	if (getifaddrs(&list) != 0) {
		strbuf_printf(err, "%% Cannot read the interfaces: %s\n", strerror(errno));
		return false;
	}
	bool found = false;
	for (struct ifaddrs *i = list; i && !found; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET || strcmp(i->ifa_name, n.linux_name) != 0)
			continue;
		uint32_t a = ntohl(((struct sockaddr_in *)i->ifa_addr)->sin_addr.s_addr);
		if (n.is_loopback && a >> 24 == 127)
			continue; /* lo0's own addresses live on lo, beside 127.0.0.1 */
		*src = a;
		found = true;
	}
	freeifaddrs(list);
	if (!found)
		strbuf_printf(err, "%% Invalid source interface - %s has no IP address\n", n.ios_name);
	return found;
}

struct ping_view *ping_open(const struct ping_request *r, struct strbuf *err)
{
	int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_ICMP);
	if (fd < 0) {
		strbuf_printf(err, "%% Cannot open an ICMP socket: %s\n", strerror(errno));
		return NULL;
	}
	if (r->src) {
		struct sockaddr_in from = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(r->src) };
		if (bind(fd, (struct sockaddr *)&from, sizeof(from)) != 0) {
			char a[INET_ADDRSTRLEN];
			strbuf_printf(err, "%% Invalid source address - %s: %s\n", v4(r->src, a), strerror(errno));
			close(fd);
			return NULL;
		}
	}
	struct ping_view *v = memory_calloc(MEMORY_CTL, 1, sizeof(*v));
	if (!v) {
		close(fd);
		strbuf_append(err, "% Out of memory\n");
		return NULL;
	}
	static uint16_t runs;
	v->request = *r;
	v->fd = fd;
	v->id = (uint16_t)((unsigned)getpid() * 31u + ++runs);
	v->ttl = 1;
	return v;
}

void ping_summary(unsigned sent, unsigned received, unsigned min_ms, unsigned avg_ms, unsigned max_ms,
                  struct strbuf *out)
{
	strbuf_printf(out, "Success rate is %u percent (%u/%u)", sent ? received * 100u / sent : 0, received, sent);
	if (received)
		strbuf_printf(out, ", round-trip min/avg/max = %u/%u/%u ms", min_ms, avg_ms, max_ms);
	strbuf_append(out, "\n");
}

static void header(struct ping_view *v, struct strbuf *out)
{
	char a[INET_ADDRSTRLEN];
	strbuf_append(out, "Type escape sequence to abort.\n");
	if (v->request.trace) {
		strbuf_printf(out, "Tracing the route to %s\n\n", v4(v->request.dst, a));
		return;
	}
	strbuf_printf(out, "Sending %u, %u-byte ICMP Echos to %s, timeout is %u seconds:\n", v->request.repeat,
	              v->request.size, v4(v->request.dst, a), v->request.timeout_s);
	if (v->request.src)
		strbuf_printf(out, "Packet sent with a source address of %s\n", v4(v->request.src, a));
}

static void send_probe(struct ping_view *v, struct strbuf *out);

/* What one probe came to: an answer of `kind` from `from` after ms, or none (timeout). */
static void ping_result(struct ping_view *v, enum icmp_answer kind, double ms, struct strbuf *out)
{
	char mark = '.';
	if (kind == ICMP_ANSWER_ECHO_REPLY) {
		mark = '!';
		v->received++;
		v->min_ms = v->received == 1 || ms < v->min_ms ? ms : v->min_ms;
		v->max_ms = ms > v->max_ms ? ms : v->max_ms;
		v->sum_ms += ms;
	} else if (kind == ICMP_ANSWER_UNREACHABLE) {
		mark = 'U';
	} else if (kind == ICMP_ANSWER_TIME_EXCEEDED) {
		mark = '&';
	}
	strbuf_appendn(out, &mark, 1);
	if (++v->on_line == RESULTS_PER_LINE && v->sent < v->request.repeat) {
		strbuf_append(out, "\n");
		v->on_line = 0;
	}
}

static unsigned whole_ms(double ms)
{
	return (unsigned)(ms + 0.5);
}

static void trace_result(struct ping_view *v, enum icmp_answer kind, uint32_t from, double ms, int code,
                         struct strbuf *out)
{
	char a[INET_ADDRSTRLEN];
	if (v->probe == 0)
		strbuf_printf(out, "%3u", v->ttl);
	if (kind == ICMP_ANSWER_NONE) {
		strbuf_append(out, " *");
	} else {
		if (from != v->hop_from)
			strbuf_printf(out, " %s", v4(from, a));
		v->hop_from = from;
		strbuf_printf(out, " %u msec", whole_ms(ms));
		if (kind == ICMP_ANSWER_UNREACHABLE) /* IOS: !H host, !N network, !P protocol, !A prohibited */
			strbuf_append(out, code == 0 ? " !N" : code == 2 ? " !P" : code == 1 ? " !H" : " !A");
		if (kind == ICMP_ANSWER_ECHO_REPLY || kind == ICMP_ANSWER_UNREACHABLE)
			v->reached = true;
	}
	if (++v->probe == TRACE_PROBES) {
		strbuf_append(out, "\n");
		v->probe = 0;
		v->ttl++;
		v->hop_from = 0;
	}
}

static void result(struct ping_view *v, enum icmp_answer kind, uint32_t from, int code, struct strbuf *out)
{
	double ms = now_ms() - v->sent_at;
	v->waiting = false;
	if (v->request.trace)
		trace_result(v, kind, from, ms, code, out);
	else
		ping_result(v, kind, ms, out);
}

static void send_probe(struct ping_view *v, struct strbuf *out)
{
	size_t len = v->request.size - IP_HEADER;
	uint8_t *pkt = memory_alloc(MEMORY_CTL, len);
	if (!pkt) {
		snprintf(v->failure, sizeof(v->failure), "out of memory");
		return;
	}
	v->seq++;
	icmp_echo_build(pkt, len, v->id, v->seq, len - ICMP_ECHO_HEADER);
	int ttl = v->request.trace ? (int)v->ttl : 64;
	setsockopt(v->fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(v->request.dst) };
	v->sent_at = now_ms();
	v->deadline = v->sent_at + 1000.0 * (v->request.trace ? TRACE_TIMEOUT : v->request.timeout_s);
	v->sent += !v->request.trace;
	ssize_t n = sendto(v->fd, pkt, len, 0, (struct sockaddr *)&to, sizeof(to));
	memory_free(MEMORY_CTL, pkt);
	v->waiting = true;
	if (n < 0)
		result(v, ICMP_ANSWER_NONE, 0, 0, out); /* no route: not sent, as lost */
}

/* Reads what arrived; the answer to the probe in flight ends its wait. */
static void drain(struct ping_view *v, struct strbuf *out)
{
	uint8_t buf[2048];
	for (;;) {
		struct sockaddr_in from;
		socklen_t flen = sizeof(from);
		ssize_t n = recvfrom(v->fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from, &flen);
		if (n < 0)
			return;
		if (!v->waiting)
			continue;
		int type, code;
		uint32_t src = ntohl(from.sin_addr.s_addr);
		enum icmp_answer a = icmp_echo_classify(buf, (size_t)n, src, v->request.dst, v->id, v->seq, &type, &code);
		if (a != ICMP_ANSWER_NONE)
			result(v, a, src, code, out);
	}
}

static bool finished(const struct ping_view *v)
{
	if (v->request.trace)
		return (v->reached && v->probe == 0) || v->ttl > TRACE_MAX_TTL;
	return v->sent >= v->request.repeat;
}

enum show_step ping_next(struct ping_view *v, struct strbuf *out)
{
	if (!v->started) {
		header(v, out);
		v->started = true;
	}
	drain(v, out);
	if (v->waiting && now_ms() >= v->deadline)
		result(v, ICMP_ANSWER_NONE, 0, 0, out);
	if (v->waiting)
		return SHOW_STEP_MORE;
	if (finished(v)) {
		if (!v->request.trace) {
			unsigned avg = v->received ? whole_ms(v->sum_ms / v->received) : 0;
			strbuf_append(out, "\n");
			ping_summary(v->sent, v->received, whole_ms(v->min_ms), avg, whole_ms(v->max_ms), out);
		}
		return SHOW_STEP_DONE;
	}
	send_probe(v, out);
	return v->failure[0] ? SHOW_STEP_FAILED : SHOW_STEP_MORE;
}

unsigned ping_wait_ms(const struct ping_view *v)
{
	double left = v->deadline - now_ms();
	return left < POLL_MS ? (left > 0 ? (unsigned)left + 1 : 0) : POLL_MS;
}

const char *ping_failure(const struct ping_view *v)
{
	return v->failure;
}

void ping_close(struct ping_view *v)
{
	if (!v)
		return;
	close(v->fd);
	memory_free(MEMORY_CTL, v);
}
