/*
 * DOC: the little BGP speaker that the feeder and the monitor share.
 *
 * Not a BGP implementation: a TCP connection, an OPEN exchange (4-octet AS, IPv4 unicast,
 * route refresh), KEEPALIVEs, and a receive buffer cut into whole messages with the wire
 * codec's framer. Every byte is encoded and decoded by src/wire. The handshake blocks (with a
 * deadline); afterwards the socket is non-blocking and the caller runs its own poll loop.
 * The hold timer is never enforced on our side: a daemon busy with a full table must not lose
 * the session because of the measuring stick.
 */
#ifndef TERN_BENCH_SPEAKER_H
#define TERN_BENCH_SPEAKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "wire/bgp.h"

#define BENCH_HOLD_TIME 240
#define BENCH_KEEPALIVE_NS (30ull * 1000000000ull)

struct bench_conn {
	int fd;
	uint32_t local_as;
	uint32_t router_id;   /* host order */
	uint8_t *rx;
	size_t rx_len, rx_cap;
	size_t rx_off;        /* start of the first unconsumed message */
	struct bgp_open peer; /* the peer's OPEN */
	uint64_t last_tx_ns;
	uint64_t rx_bytes;
	char peer_addr[64];
};

/* Parses "a.b.c.d" into host order; false if it is not an IPv4 address. */
bool bench_parse_ipv4(const char *s, uint32_t *out);

/* Connects to dst:port (from src if given), retrying until timeout_s. -1 on failure. */
int bench_tcp_connect(const char *dst, uint16_t port, const char *src, double timeout_s);
/* A listening socket on addr:port (SO_REUSEADDR). -1 on failure. */
int bench_tcp_listen(const char *addr, uint16_t port);

void bench_conn_init(struct bench_conn *c, int fd, uint32_t local_as, uint32_t router_id);
void bench_conn_free(struct bench_conn *c);
/* OPEN, KEEPALIVE both ways until Established; why is filled on failure. Leaves the socket
 * non-blocking and any bytes after the peer's KEEPALIVE in the receive buffer. */
bool bench_handshake(struct bench_conn *c, double timeout_s, char *why, size_t why_len);
/* Drains the socket into the receive buffer. Returns >0 bytes read, 0 at EOF, -1 on an
 * error, -2 when nothing is there (EAGAIN). */
ssize_t bench_conn_read(struct bench_conn *c);
/* The next whole message of the receive buffer: 1 with its header and bytes, 0 when more are
 * needed (the consumed bytes are dropped then), -1 on a framing error. */
int bench_conn_next(struct bench_conn *c, struct bgp_header *h, const uint8_t **msg);
/* Writes all of buf, waiting with poll when the socket is full; false on an error. */
bool bench_write_all(struct bench_conn *c, const uint8_t *buf, size_t len);
/* A KEEPALIVE if BENCH_KEEPALIVE_NS passed since the last write. */
bool bench_keepalive_due(struct bench_conn *c, uint64_t now_ns);
/* Sends a Cease NOTIFICATION with the given subcode (best effort). */
void bench_send_cease(struct bench_conn *c, uint8_t subcode);
/* "Cease/Administrative Shutdown" text of a received NOTIFICATION message. */
void bench_notification_text(const uint8_t *msg, size_t len, char *out, size_t out_len);

/* Command lines on standard input, shared by the feeder and the monitor. */
struct bench_lines {
	char line[256];
	size_t len;
};
/* Reads what stdin has and calls fn for each complete non-empty line; false at EOF. */
bool bench_read_lines(struct bench_lines *l, void (*fn)(void *ctx, char *line), void *ctx);

#endif
