/*
 * DOC: `ping` and `traceroute` from the router, with IOS's output (ICMP echo, IPv4).
 *
 * ternd runs them in its own network namespace over a raw ICMP socket (CAP_NET_RAW, which
 * ternd keeps). A run is a view the control socket streams (ctl.c): each step reads what
 * arrived without blocking, prints a result character or hop line as soon as it is known,
 * sends the next probe, and otherwise asks to be called again after ping_wait_ms(), so the
 * daemon's loop never waits on a ping.
 *
 *   Type escape sequence to abort.
 *   Sending 5, 100-byte ICMP Echos to 10.0.0.2, timeout is 2 seconds:
 *   Packet sent with a source address of 1.1.1.1          (with `source`)
 *   !!!!!
 *   Success rate is 100 percent (5/5), round-trip min/avg/max = 1/2/4 ms
 *
 * `!` a reply, `.` no reply within the timeout (or the kernel could not send it: no route),
 * `U` destination unreachable, `&` time exceeded; 70 to a line. The size is the IP datagram's
 * (20 bytes of IP header, 8 of ICMP, the rest data), as on IOS. Round-trip times are whole
 * milliseconds, rounded.
 *
 * traceroute sends three ICMP echo probes per hop (IOS sends UDP probes; ICMP needs no port
 * on the far end), TTL 1 to 30, 3 seconds each, and stops at the hop that is the
 * destination or answers unreachable:
 *
 *   Type escape sequence to abort.
 *   Tracing the route to 10.0.0.2
 *
 *     1 192.168.1.1 0 msec 0 msec 1 msec
 *     2 10.0.0.2 1 msec *  1 msec
 *
 * The escape sequence is IOS's text; in ternc, Ctrl-C ends the shell and with it the run.
 */
#ifndef TERN_CTL_PING_H
#define TERN_CTL_PING_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/show_step.h"
#include "lib/strbuf.h"

struct ping_request {
	bool trace;          /* traceroute */
	uint32_t dst;        /* host order */
	uint32_t src;        /* host order; 0: as the kernel chooses */
	unsigned repeat;     /* echoes (ping) */
	unsigned size;       /* datagram bytes, 36-18024 */
	unsigned timeout_s;  /* seconds a probe waits */
};

#define PING_DEFAULT_REPEAT 5
#define PING_DEFAULT_SIZE 100
#define PING_DEFAULT_TIMEOUT 2
#define TRACE_PROBES 3
#define TRACE_TIMEOUT 3
#define TRACE_MAX_TTL 30

struct ping_view;

/* The source for `source NAME`: the interface's first IPv4 address (IOS or Linux name).
 * False with the reason in err when it has none. */
bool ping_source_of_interface(const char *name, uint32_t *src, struct strbuf *err);
/* Opens the socket; NULL with the reason in err. */
struct ping_view *ping_open(const struct ping_request *r, struct strbuf *err);
enum show_step ping_next(struct ping_view *v, struct strbuf *out);
/* When to call ping_next again if it made no output (milliseconds). */
unsigned ping_wait_ms(const struct ping_view *v);
const char *ping_failure(const struct ping_view *v);
void ping_close(struct ping_view *v);

/* "Success rate is 100 percent (5/5), round-trip min/avg/max = 1/2/4 ms\n" (the times only
 * when something came back). */
void ping_summary(unsigned sent, unsigned received, unsigned min_ms, unsigned avg_ms, unsigned max_ms,
                  struct strbuf *out);

#endif
