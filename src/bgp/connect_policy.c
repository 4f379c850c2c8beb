/*
 * DOC: the connect schedule of connect_policy.h: a due time, why it is due, and the waits
 * that grow with failures and flaps.
 */
#include "bgp/connect_policy.h"

#include <stdio.h>
#include <string.h>

#define BGP_CONNECT_RETRY_DEFAULT 120 /* RFC 4271 §10 */

static uint32_t retry_max_ms(uint32_t seconds)
{
	return (seconds ? seconds : BGP_CONNECT_RETRY_DEFAULT) * 1000u;
}

static uint32_t min_u32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

void bgp_connect_policy_init(struct bgp_connect_policy *p, uint32_t connect_retry_seconds)
{
	memset(p, 0, sizeof(*p));
	p->max_ms = retry_max_ms(connect_retry_seconds);
	p->backoff_ms = min_u32(BGP_CONNECT_FIRST_RETRY_MS, p->max_ms);
	p->idle_hold_ms = BGP_IDLE_HOLD_FIRST_MS;
	p->due_ms = BGP_CONNECT_NEVER;
	p->why = BGP_CONNECT_IDLE;
}

void bgp_connect_policy_set_max(struct bgp_connect_policy *p, uint32_t connect_retry_seconds)
{
	p->max_ms = retry_max_ms(connect_retry_seconds);
	p->backoff_ms = min_u32(p->backoff_ms, p->max_ms);
}

static void schedule(struct bgp_connect_policy *p, uint64_t due, enum bgp_connect_why why)
{
	p->due_ms = due;
	p->why = why;
}

void bgp_connect_policy_start(struct bgp_connect_policy *p, uint64_t now_ms)
{
	p->failures = 0;
	p->backoff_ms = min_u32(BGP_CONNECT_FIRST_RETRY_MS, p->max_ms);
	p->last_failure[0] = '\0';
	p->established = false;
	schedule(p, now_ms, BGP_CONNECT_START);
}

void bgp_connect_policy_stop(struct bgp_connect_policy *p)
{
	p->established = false;
	schedule(p, BGP_CONNECT_NEVER, BGP_CONNECT_IDLE);
}

uint64_t bgp_connect_policy_attempt(struct bgp_connect_policy *p, uint64_t now_ms)
{
	/* The timeout grows with the backoff: a slow path gets longer than a lost SYN. */
	uint32_t timeout = p->backoff_ms > BGP_CONNECT_TIMEOUT_MS ? p->backoff_ms : BGP_CONNECT_TIMEOUT_MS;
	schedule(p, now_ms + timeout, BGP_CONNECT_IN_PROGRESS);
	return p->due_ms;
}

void bgp_connect_policy_failed(struct bgp_connect_policy *p, uint64_t now_ms, const char *why)
{
	if (p->established)
		return; /* the session is up on the other connection: nothing to retry */
	snprintf(p->last_failure, sizeof(p->last_failure), "%s", why ? why : "failed");
	p->failures++;
	schedule(p, now_ms + p->backoff_ms, BGP_CONNECT_RETRY);
	/* RFC 4271 §10 bounds the wait by ConnectRetryTime; until then it doubles. */
	p->backoff_ms = p->backoff_ms >= p->max_ms / 2 ? p->max_ms : p->backoff_ms * 2;
}

void bgp_connect_policy_established(struct bgp_connect_policy *p, uint64_t now_ms)
{
	p->established = true;
	p->established_ms = now_ms;
	p->failures = 0;
	p->backoff_ms = min_u32(BGP_CONNECT_FIRST_RETRY_MS, p->max_ms);
	p->last_failure[0] = '\0';
	schedule(p, BGP_CONNECT_NEVER, BGP_CONNECT_IDLE);
}

void bgp_connect_policy_session_down(struct bgp_connect_policy *p, uint64_t now_ms)
{
	if (!p->established)
		return;
	p->established = false;
	if (now_ms - p->established_ms >= BGP_SESSION_STABLE_MS) {
		/* A session that was stable: back at once, and its flapping is forgiven. */
		p->idle_hold_ms = BGP_IDLE_HOLD_FIRST_MS;
		schedule(p, now_ms, BGP_CONNECT_SESSION_DOWN);
		return;
	}
	/* RFC 4271 §8.1.1 DampPeerOscillations: IdleHoldTime, longer with each flap. */
	schedule(p, now_ms + p->idle_hold_ms, BGP_CONNECT_IDLE_HOLD);
	p->idle_hold_ms = p->idle_hold_ms >= BGP_IDLE_HOLD_MAX_MS / 2 ? BGP_IDLE_HOLD_MAX_MS : p->idle_hold_ms * 2;
}

bool bgp_connect_policy_route_changed(struct bgp_connect_policy *p, uint64_t now_ms)
{
	if (p->why != BGP_CONNECT_RETRY || p->due_ms <= now_ms)
		return false;
	schedule(p, now_ms, BGP_CONNECT_ROUTE_CHANGED);
	return true;
}

uint64_t bgp_connect_policy_due(const struct bgp_connect_policy *p)
{
	return p->due_ms;
}

bool bgp_connect_policy_refuses(const struct bgp_connect_policy *p, uint64_t now_ms)
{
	return p->why == BGP_CONNECT_IDLE_HOLD && p->due_ms > now_ms;
}

const char *bgp_connect_why_name(enum bgp_connect_why why)
{
	switch (why) {
	case BGP_CONNECT_IDLE: return "none";
	case BGP_CONNECT_START: return "start";
	case BGP_CONNECT_RETRY: return "retry";
	case BGP_CONNECT_ROUTE_CHANGED: return "route-changed";
	case BGP_CONNECT_SESSION_DOWN: return "session-down";
	case BGP_CONNECT_IDLE_HOLD: return "idle-hold";
	case BGP_CONNECT_IN_PROGRESS: return "connecting";
	}
	return "unknown";
}

void bgp_connect_policy_describe(const struct bgp_connect_policy *p, uint64_t now_ms, char *buf, size_t size)
{
	if (p->due_ms == BGP_CONNECT_NEVER) {
		snprintf(buf, size, "none scheduled");
		return;
	}
	uint64_t left = p->due_ms > now_ms ? p->due_ms - now_ms : 0;
	unsigned s = (unsigned)(left / 1000), tenth = (unsigned)(left % 1000 / 100);
	switch (p->why) {
	case BGP_CONNECT_IN_PROGRESS:
		snprintf(buf, size, "connecting, times out in %u.%u s", s, tenth);
		break;
	case BGP_CONNECT_RETRY:
		snprintf(buf, size, "in %u.%u s, or when the route to the peer changes (%s, %u failure%s, backing off up to %u s)",
			 s, tenth, p->last_failure, p->failures, p->failures == 1 ? "" : "s", p->max_ms / 1000);
		break;
	case BGP_CONNECT_IDLE_HOLD:
		snprintf(buf, size, "in %u.%u s (IdleHoldTime: the session flapped, DampPeerOscillations)", s, tenth);
		break;
	case BGP_CONNECT_ROUTE_CHANGED:
		snprintf(buf, size, "now (the route to the peer changed)");
		break;
	default:
		snprintf(buf, size, "in %u.%u s (%s)", s, tenth, bgp_connect_why_name(p->why));
		break;
	}
}
