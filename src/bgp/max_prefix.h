/*
 * DOC: maximum-prefix, the per-peer cap on accepted prefixes (inside the BGP module).
 *
 * `neighbor A maximum-prefix MAX [THRESHOLD] [warning-only | restart MINUTES]`, as IOS: the
 * prefixes accepted from a peer (after its inbound policy) are counted per address family;
 * crossing THRESHOLD percent of MAX logs a warning once, and going over MAX closes the
 * session with Cease / Maximum Number of Prefixes Reached (RFC 4486 §4), whose data names
 * the AFI, the SAFI and the limit. The peer then stays Idle (PfxCt) until `clear ip bgp A`,
 * or for MINUTES with `restart`; with `warning-only` it is only logged.
 *
 * The decision is sans-I/O (bgp_max_prefix_check, bgp_max_prefix_cease): counts and a limit
 * in, a verdict and the NOTIFICATION out, tested without a session. max_prefix.c also holds
 * the small glue the route engine and the peer call: one check after each UPDATE, the
 * hold-down that keeps the peer from connecting, and its restart timer (its own libuv timer,
 * apart from the connect-retry logic; peer.c arms it once the session is down and resets
 * the peer when it expires: this file calls nothing above it).
 */
#ifndef TERN_BGP_MAX_PREFIX_H
#define TERN_BGP_MAX_PREFIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wire/bgp.h"

struct bgp_peer;

struct bgp_max_prefix_limit {
	uint32_t max;                /* 0: no limit */
	uint8_t threshold;           /* percent of max at which to warn */
	bool warning_only;
	uint16_t restart_minutes;    /* 0: stay down until cleared */
};

/* What has been said about one address family's count, so each message comes once per
 * crossing. */
struct bgp_max_prefix_family {
	bool threshold_logged;
	bool exceeded_logged;
};

/* A peer's counts and hold-down (struct bgp_peer.max_prefix). */
struct bgp_max_prefix_state {
	/* The counts and what was logged are per family: struct bgp_afi_safi_state */
	bool held_down;              /* the limit closed the session: Idle (PfxCt) */
	uint16_t exceeded_afi;       /* the family that went over */
	uint64_t exceeded_count;     /* sessions the limit closed, ever */
	int64_t restart_at;          /* monotonic milliseconds of the restart, 0 = none */
	struct uv_timer_s *restart_timer; /* allocated on first use */
};

enum bgp_max_prefix_verdict {
	BGP_MAXPFX_OK,
	BGP_MAXPFX_THRESHOLD,        /* reached the warning threshold: log it */
	BGP_MAXPFX_EXCEEDED_WARNING, /* over the limit with warning-only: log it */
	BGP_MAXPFX_EXCEEDED,         /* over the limit: Cease 6/1 and hold the peer down */
};

/* The count at which the warning comes: THRESHOLD percent of MAX, at least 1. */
uint64_t bgp_max_prefix_threshold_count(const struct bgp_max_prefix_limit *limit);
/* Judges a family's count now; updates what was logged (a count back under the mark may
 * log again later). */
enum bgp_max_prefix_verdict bgp_max_prefix_check(const struct bgp_max_prefix_limit *limit,
						 struct bgp_max_prefix_family *family, uint64_t count);
/* Cease / Maximum Number of Prefixes Reached with RFC 4486 §4's data: AFI (2 octets), SAFI
 * (1 octet), the upper bound (4 octets). */
void bgp_max_prefix_cease(struct bgp_error *err, uint16_t afi, uint8_t safi, uint32_t max);

/* ---- glue (max_prefix.c) ---- */

/* After an UPDATE was applied: logs threshold crossings; false with err set when the session
 * must close (the peer is then held down). */
bool bgp_max_prefix_after_update(struct bgp_peer *peer, struct bgp_error *err);
/* Is the peer held down by an exceeded limit (Idle (PfxCt))? Writes why into reason. */
bool bgp_max_prefix_holds(const struct bgp_peer *peer, char *reason, size_t size);
/* The session the limit closed is down: a hold-down with a restart interval (maximum-prefix
 * N restart M) arms the restart timer, whose expiry (the peer's: clear ip bgp) is expired. */
void bgp_max_prefix_arm_restart(struct bgp_peer *peer, void (*expired)(struct uv_timer_s *timer));
/* `clear ip bgp A`: ends the hold-down. */
void bgp_max_prefix_release(struct bgp_peer *peer);
/* The peer is being freed: its restart timer goes. */
void bgp_max_prefix_peer_free(struct bgp_peer *peer);
/* Seconds until a held-down peer restarts by itself, -1 when it waits for clear ip bgp. */
long bgp_max_prefix_restart_in(const struct bgp_peer *peer);

#endif
