/*
 * DOC: the feeder's and monitor's shared speaker: sockets, OPEN exchange, framing, KEEPALIVE.
 * See speaker.h.
 */
#include "speaker.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "table.h"

#define RX_INITIAL (1u << 20)

bool bench_parse_ipv4(const char *s, uint32_t *out)
{
	struct in_addr a;
	if (inet_pton(AF_INET, s, &a) != 1)
		return false;
	*out = ntohl(a.s_addr);
	return true;
}

static bool sockaddr_of(const char *addr, uint16_t port, struct sockaddr_in *sa)
{
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	sa->sin_port = htons(port);
	return addr == NULL || inet_pton(AF_INET, addr, &sa->sin_addr) == 1;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

int bench_tcp_connect(const char *dst, uint16_t port, const char *src, double timeout_s)
{
	struct sockaddr_in to, from;
	if (!sockaddr_of(dst, port, &to) || (src && !sockaddr_of(src, 0, &from)))
		return -1;
	uint64_t deadline = bench_mono_ns() + (uint64_t)(timeout_s * 1e9);
	for (;;) {
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -1;
		int one = 1;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		if ((!src || bind(fd, (struct sockaddr *)&from, sizeof from) == 0) &&
		    connect(fd, (struct sockaddr *)&to, sizeof to) == 0)
			return fd;
		int e = errno;
		close(fd);
		if (bench_mono_ns() >= deadline) {
			errno = e;
			return -1;
		}
		sleep_ms(50);
	}
}

int bench_tcp_listen(const char *addr, uint16_t port)
{
	struct sockaddr_in sa;
	if (!sockaddr_of(addr, port, &sa))
		return -1;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 64) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

void bench_conn_init(struct bench_conn *c, int fd, uint32_t local_as, uint32_t router_id)
{
	memset(c, 0, sizeof *c);
	c->fd = fd;
	c->local_as = local_as;
	c->router_id = router_id;
	c->rx_cap = RX_INITIAL;
	c->rx = malloc(c->rx_cap);
	struct sockaddr_in sa;
	socklen_t sl = sizeof sa;
	if (getpeername(fd, (struct sockaddr *)&sa, &sl) == 0)
		inet_ntop(AF_INET, &sa.sin_addr, c->peer_addr, sizeof c->peer_addr);
}

void bench_conn_free(struct bench_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	free(c->rx);
	c->rx = NULL;
}

ssize_t bench_conn_read(struct bench_conn *c)
{
	if (c->rx_off > 0 && c->rx_off == c->rx_len) {
		c->rx_off = c->rx_len = 0;
	}
	if (c->rx_cap - c->rx_len < 65536 && c->rx_off > 0) {
		memmove(c->rx, c->rx + c->rx_off, c->rx_len - c->rx_off);
		c->rx_len -= c->rx_off;
		c->rx_off = 0;
	}
	if (c->rx_cap - c->rx_len < 65536) {
		uint8_t *n = realloc(c->rx, c->rx_cap * 2);
		if (!n)
			return -1;
		c->rx = n;
		c->rx_cap *= 2;
	}
	ssize_t total = 0;
	while (c->rx_len < c->rx_cap) {
		ssize_t r = read(c->fd, c->rx + c->rx_len, c->rx_cap - c->rx_len);
		if (r > 0) {
			c->rx_len += (size_t)r;
			c->rx_bytes += (uint64_t)r;
			total += r;
			continue;
		}
		if (r == 0)
			return total > 0 ? total : 0;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return total > 0 ? total : -2;
		return total > 0 ? total : -1;
	}
	return total;
}

int bench_conn_next(struct bench_conn *c, struct bgp_header *h, const uint8_t **msg)
{
	struct bgp_error err;
	int r = bgp_frame(c->rx + c->rx_off, c->rx_len - c->rx_off, BGP_MAX_MESSAGE, h, &err);
	if (r == 1) {
		*msg = c->rx + c->rx_off;
		c->rx_off += h->length;
	}
	return r;
}

static bool wait_fd(int fd, short events, uint64_t deadline_ns)
{
	for (;;) {
		uint64_t now = bench_mono_ns();
		if (deadline_ns && now >= deadline_ns)
			return false;
		int ms = deadline_ns ? (int)((deadline_ns - now) / 1000000 + 1) : -1;
		struct pollfd p = { .fd = fd, .events = events };
		int r = poll(&p, 1, ms);
		if (r > 0)
			return true;
		if (r < 0 && errno != EINTR)
			return false;
	}
}

bool bench_write_all(struct bench_conn *c, const uint8_t *buf, size_t len)
{
	while (len > 0) {
		ssize_t w = write(c->fd, buf, len);
		if (w > 0) {
			buf += w;
			len -= (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (!wait_fd(c->fd, POLLOUT, 0))
				return false;
			continue;
		}
		return false;
	}
	c->last_tx_ns = bench_mono_ns();
	return true;
}

bool bench_keepalive_due(struct bench_conn *c, uint64_t now_ns)
{
	if (now_ns - c->last_tx_ns < BENCH_KEEPALIVE_NS)
		return true;
	uint8_t buf[BGP_KEEPALIVE_LEN];
	struct writer w = writer_make(buf, sizeof buf);
	bgp_keepalive_encode(&w);
	return bench_write_all(c, buf, w.len);
}

void bench_send_cease(struct bench_conn *c, uint8_t subcode)
{
	uint8_t buf[64];
	struct writer w = writer_make(buf, sizeof buf);
	struct bgp_notification n = { .code = BGP_ERR_CEASE, .subcode = subcode };
	if (bgp_notification_encode(&w, &n))
		bench_write_all(c, buf, w.len);
}

void bench_notification_text(const uint8_t *msg, size_t len, char *out, size_t out_len)
{
	struct reader r = reader_make(msg + BGP_HEADER_LEN, len - BGP_HEADER_LEN);
	struct bgp_notification n;
	if (!bgp_notification_decode(&r, &n)) {
		snprintf(out, out_len, "malformed NOTIFICATION");
		return;
	}
	snprintf(out, out_len, "%u/%u %s", n.code, n.subcode,
		 bgp_error_subcode_name(n.code, n.subcode));
}

bool bench_handshake(struct bench_conn *c, double timeout_s, char *why, size_t why_len)
{
	uint64_t deadline = bench_mono_ns() + (uint64_t)(timeout_s * 1e9);
	int fl = fcntl(c->fd, F_GETFL);
	fcntl(c->fd, F_SETFL, fl | O_NONBLOCK);

	uint8_t buf[512];
	struct writer w = writer_make(buf, sizeof buf);
	struct bgp_open o;
	memset(&o, 0, sizeof o);
	o.version = BGP_VERSION;
	o.my_as = c->local_as > 65535 ? BGP_AS_TRANS : (uint16_t)c->local_as;
	o.hold_time = BENCH_HOLD_TIME;
	o.bgp_id = c->router_id;
	o.caps.present = true;
	o.caps.multiprotocol_count = 1;
	o.caps.multiprotocol[0].afi = BGP_AFI_IPV4;
	o.caps.multiprotocol[0].safi = BGP_SAFI_UNICAST;
	o.caps.route_refresh = true;
	o.caps.as4 = true;
	o.caps.as4_number = c->local_as;
	if (!bgp_open_encode(&w, &o) || !bench_write_all(c, buf, w.len)) {
		snprintf(why, why_len, "cannot send OPEN");
		return false;
	}
	bool got_open = false;
	for (;;) {
		struct bgp_header h;
		const uint8_t *msg = NULL;
		int r = bench_conn_next(c, &h, &msg);
		if (r < 0) {
			snprintf(why, why_len, "framing error from peer");
			return false;
		}
		if (r == 0) {
			if (!wait_fd(c->fd, POLLIN, deadline)) {
				snprintf(why, why_len, "timeout waiting for %s",
					 got_open ? "KEEPALIVE" : "OPEN");
				return false;
			}
			ssize_t n = bench_conn_read(c);
			if (n == 0 || n == -1) {
				snprintf(why, why_len, "connection closed during the OPEN exchange");
				return false;
			}
			continue;
		}
		if (h.type == BGP_MSG_NOTIFICATION) {
			char text[128];
			bench_notification_text(msg, h.length, text, sizeof text);
			snprintf(why, why_len, "NOTIFICATION %s", text);
			return false;
		}
		if (!got_open) {
			if (h.type != BGP_MSG_OPEN) {
				snprintf(why, why_len, "expected OPEN, got type %u", h.type);
				return false;
			}
			struct reader body = reader_make(msg + BGP_HEADER_LEN, h.length - BGP_HEADER_LEN);
			struct bgp_error err;
			if (!bgp_open_decode(&body, &c->peer, &err)) {
				snprintf(why, why_len, "bad OPEN (%u/%u)", err.code, err.subcode);
				return false;
			}
			if (!c->peer.caps.as4) {
				snprintf(why, why_len, "peer lacks the 4-octet AS capability");
				return false;
			}
			got_open = true;
			w = writer_make(buf, sizeof buf);
			bgp_keepalive_encode(&w);
			if (!bench_write_all(c, buf, w.len)) {
				snprintf(why, why_len, "cannot send KEEPALIVE");
				return false;
			}
			continue;
		}
		if (h.type == BGP_MSG_KEEPALIVE)
			return true;
		snprintf(why, why_len, "expected KEEPALIVE, got type %u", h.type);
		return false;
	}
}

bool bench_read_lines(struct bench_lines *l, void (*fn)(void *ctx, char *line), void *ctx)
{
	char buf[256];
	ssize_t n = read(0, buf, sizeof buf);
	if (n <= 0)
		return n < 0 && errno == EINTR;
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] == '\n') {
			l->line[l->len] = 0;
			if (l->len)
				fn(ctx, l->line);
			l->len = 0;
		} else if (l->len + 1 < sizeof l->line) {
			l->line[l->len++] = buf[i];
		}
	}
	return true;
}
