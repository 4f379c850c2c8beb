/*
 * DOC: when a peer tries to connect (RFC 4271 §8.1.1 and §10), sans-I/O.
 *
 * A new or reset peer connects at once. After a failed try of any kind (refused, timed out,
 * unreachable, closed before Established) the next comes when the route to the peer appears
 * or changes, or else after a short wait that doubles with each failure up to the
 * ConnectRetry time (`neighbor A timers connect N`, 120 s by default, RFC 4271 §10). A
 * session that goes down is tried again at once, unless it was up only briefly: then the
 * IdleHoldTime of DampPeerOscillations (§8.1.1) holds the next try back, doubling each time
 * the peer flaps, and a session that stays up long enough forgives it.
 *
 * The clock is the caller's (milliseconds, any origin); the caller arms one timer for
 * bgp_connect_policy_due() and reports what happened. bgp_connect_policy_describe() says
 * when and why, for `show ip bgp neighbors`.
 */
#ifndef TERN_BGP_CONNECT_POLICY_H
#define TERN_BGP_CONNECT_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BGP_CONNECT_FIRST_RETRY_MS 1000u   /* the first wait after a failure */
#define BGP_CONNECT_TIMEOUT_MS 5000u       /* a SYN unanswered this long is a failure */
#define BGP_IDLE_HOLD_FIRST_MS 2000u       /* the first IdleHoldTime of a flapping peer */
#define BGP_IDLE_HOLD_MAX_MS 120000u
#define BGP_SESSION_STABLE_MS 60000u       /* up this long: not flapping */
#define BGP_CONNECT_NEVER UINT64_MAX

enum bgp_connect_why {
	BGP_CONNECT_IDLE,          /* nothing scheduled (connected, passive, stopped) */
	BGP_CONNECT_START,         /* a new or reset peer: at once */
	BGP_CONNECT_RETRY,         /* after a failure, backing off */
	BGP_CONNECT_ROUTE_CHANGED, /* the route to the peer changed since the failure */
	BGP_CONNECT_SESSION_DOWN,  /* a session went down: at once */
	BGP_CONNECT_IDLE_HOLD,     /* a flapping session: DampPeerOscillations */
	BGP_CONNECT_IN_PROGRESS,   /* a try is under way (due = its timeout) */
};

struct bgp_connect_policy {
	uint32_t max_ms;           /* ConnectRetryTime */
	uint32_t backoff_ms;       /* the wait after the next failure */
	uint32_t idle_hold_ms;     /* the IdleHoldTime after the next brief session */
	uint64_t due_ms;           /* when the next try (or the timeout) is due */
	uint64_t established_ms;   /* when the last session came up */
	bool established;
	enum bgp_connect_why why;
	unsigned failures;         /* since the last session */
	char last_failure[64];     /* "connection refused", "timed out", ... */
};

void bgp_connect_policy_init(struct bgp_connect_policy *p, uint32_t connect_retry_seconds);
/* `timers connect N` changed: N bounds the waits from now on. */
void bgp_connect_policy_set_max(struct bgp_connect_policy *p, uint32_t connect_retry_seconds);

/* A new peer, `clear ip bgp`, a configuration change: try now. */
void bgp_connect_policy_start(struct bgp_connect_policy *p, uint64_t now_ms);
/* Nothing to schedule (passive, shut down, deconfigured). */
void bgp_connect_policy_stop(struct bgp_connect_policy *p);
/* A try begins: the timeout is due at the returned time. */
uint64_t bgp_connect_policy_attempt(struct bgp_connect_policy *p, uint64_t now_ms);
/* The try (or the connection from it, before Established) failed. */
void bgp_connect_policy_failed(struct bgp_connect_policy *p, uint64_t now_ms, const char *why);
/* A connection reached Established: nothing to try while it lasts. */
void bgp_connect_policy_established(struct bgp_connect_policy *p, uint64_t now_ms);
/* The Established session went down. */
void bgp_connect_policy_session_down(struct bgp_connect_policy *p, uint64_t now_ms);
/* The route to the peer appeared or changed: a peer waiting after a failure tries now.
 * Returns whether the due time moved. */
bool bgp_connect_policy_route_changed(struct bgp_connect_policy *p, uint64_t now_ms);

uint64_t bgp_connect_policy_due(const struct bgp_connect_policy *p);
/* During IdleHoldTime the peer's connections are refused too (RFC 4271 §8: Idle refuses
 * incoming connections), or a flapping peer would simply connect again. */
bool bgp_connect_policy_refuses(const struct bgp_connect_policy *p, uint64_t now_ms);
/* "in 4 s: connection refused, 3 failures, retry backing off" (no trailing newline). */
void bgp_connect_policy_describe(const struct bgp_connect_policy *p, uint64_t now_ms, char *buf, size_t size);
const char *bgp_connect_why_name(enum bgp_connect_why why);

#endif
