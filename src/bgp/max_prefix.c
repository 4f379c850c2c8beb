/*
 * DOC: maximum-prefix (see max_prefix.h): the sans-I/O verdict first, then the glue the
 * route engine (after each UPDATE) and the peer (may it connect? clear ip bgp, the restart
 * timer) call. It calls nothing above it: the verdict is returned, and the peers act on it.
 *
 * Counting follows IOS: prefixes accepted after the inbound policy, per address family
 * (rib.c keeps each family's prefixes_accepted, afi_safi.h, as it adds and removes paths),
 * each family judged against the one configured limit. The check runs after each UPDATE, so a session can end up to
 * one UPDATE's prefixes over the limit before it closes; they go with the session.
 */
#include "bgp/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

uint64_t bgp_max_prefix_threshold_count(const struct bgp_max_prefix_limit *limit)
{
	uint64_t n = (uint64_t)limit->max * limit->threshold / 100;
	return n ? n : 1;
}

enum bgp_max_prefix_verdict bgp_max_prefix_check(const struct bgp_max_prefix_limit *limit,
						 struct bgp_max_prefix_family *family, uint64_t count)
{
	if (!limit->max)
		return BGP_MAXPFX_OK;
	if (count > limit->max) {
		if (!limit->warning_only)
			return BGP_MAXPFX_EXCEEDED;
		family->threshold_logged = true; /* the threshold is past too: one message */
		if (family->exceeded_logged)
			return BGP_MAXPFX_OK;
		family->exceeded_logged = true;
		return BGP_MAXPFX_EXCEEDED_WARNING;
	}
	family->exceeded_logged = false;
	if (count >= bgp_max_prefix_threshold_count(limit)) {
		if (family->threshold_logged)
			return BGP_MAXPFX_OK;
		family->threshold_logged = true;
		return BGP_MAXPFX_THRESHOLD;
	}
	family->threshold_logged = false;
	return BGP_MAXPFX_OK;
}

void bgp_max_prefix_cease(struct bgp_error *err, uint16_t afi, uint8_t safi, uint32_t max)
{
	/* RFC 4486 §4: "the Data field MAY be used to convey the AFI (2 octets), SAFI (1 octet)
	 * and the prefix upper bound (4 octets) for which the limit was reached." */
	bgp_error_set(err, BGP_ERR_CEASE, BGP_CEASE_MAX_PREFIXES);
	err->data[0] = (uint8_t)(afi >> 8);
	err->data[1] = (uint8_t)afi;
	err->data[2] = safi;
	err->data[3] = (uint8_t)(max >> 24);
	err->data[4] = (uint8_t)(max >> 16);
	err->data[5] = (uint8_t)(max >> 8);
	err->data[6] = (uint8_t)max;
	err->data_len = 7;
}

/* ---- glue ---- */

static struct bgp_max_prefix_limit limit_of(const struct bgp_peer *peer)
{
	return (struct bgp_max_prefix_limit){
		.max = peer->config.maximum_prefix,
		.threshold = peer->config.maximum_prefix_threshold,
		.warning_only = peer->config.maximum_prefix_warning_only,
		.restart_minutes = peer->config.maximum_prefix_restart,
	};
}

static int64_t monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void bgp_max_prefix_arm_restart(struct bgp_peer *peer, void (*expired)(struct uv_timer_s *timer))
{
	struct bgp_max_prefix_state *s = &peer->max_prefix;
	if (!s->held_down || !s->restart_at)
		return;
	if (!s->restart_timer) {
		s->restart_timer = calloc(1, sizeof(*s->restart_timer));
		if (!s->restart_timer)
			return; /* then it waits for clear ip bgp */
		uv_timer_init(peer->speaker->loop, s->restart_timer);
		s->restart_timer->data = peer;
	}
	int64_t left = s->restart_at - monotonic_ms();
	uv_timer_start(s->restart_timer, expired, left > 0 ? (uint64_t)left : 0, 0);
}

bool bgp_max_prefix_after_update(struct bgp_peer *peer, struct bgp_error *err)
{
	struct bgp_max_prefix_limit limit = limit_of(peer);
	if (!limit.max)
		return true;
	char addr[IP_ADDR_STRLEN];
	ip_addr_format(&peer->config.addr, addr);
	for (int i = 0; i < BGP_AFI_SAFI_COUNT; i++) {
		struct bgp_max_prefix_state *s = &peer->max_prefix;
		struct bgp_afi_safi_state *family = &peer->afi_safi.family[i];
		uint64_t count = family->prefixes_accepted;
		/* IOS numbers the families in these messages: afi 0 is IPv4 unicast, as our index */
		switch (bgp_max_prefix_check(&limit, &family->max_prefix, count)) {
		case BGP_MAXPFX_OK:
			break;
		case BGP_MAXPFX_THRESHOLD:
			bgp_peer_log(peer, BGP_LOG_EVENT, "max-prefix", "\"threshold\":true",
				     "%%BGP-4-MAXPFX: No. of prefix received from %s (afi %d) reaches %llu, max %u",
				     addr, i, (unsigned long long)count, limit.max);
			break;
		case BGP_MAXPFX_EXCEEDED_WARNING:
			bgp_peer_log(peer, BGP_LOG_EVENT, "max-prefix", "\"exceeded\":true",
				     "%%BGP-3-MAXPFXEXCEED: No. of prefix received from %s (afi %d): %llu exceed limit %u",
				     addr, i, (unsigned long long)count, limit.max);
			break;
		case BGP_MAXPFX_EXCEEDED:
			bgp_peer_log(peer, BGP_LOG_EVENT, "max-prefix", "\"exceeded\":true",
				     "%%BGP-3-MAXPFXEXCEED: No. of prefix received from %s (afi %d): %llu exceed limit %u",
				     addr, i, (unsigned long long)count, limit.max);
			s->held_down = true;
			s->exceeded_afi = bgp_afi_safi_afi((enum bgp_afi_safi_index)i);
			s->exceeded_count++;
			/* The restart is the peer's to carry out once the session is down (peer.c,
			 * bgp_max_prefix_arm_restart): the limit only says when. */
			s->restart_at = limit.restart_minutes
						? monotonic_ms() + (int64_t)limit.restart_minutes * 60000
						: 0;
			bgp_max_prefix_cease(err, s->exceeded_afi, bgp_afi_safi_safi((enum bgp_afi_safi_index)i),
					     limit.max);
			return false;
		}
	}
	return true;
}

long bgp_max_prefix_restart_in(const struct bgp_peer *peer)
{
	const struct bgp_max_prefix_state *s = &peer->max_prefix;
	if (!s->held_down || !s->restart_at)
		return -1;
	int64_t left = s->restart_at - monotonic_ms();
	return left > 0 ? (long)((left + 999) / 1000) : 0;
}

bool bgp_max_prefix_holds(const struct bgp_peer *peer, char *reason, size_t size)
{
	if (!peer->max_prefix.held_down)
		return false;
	long in = bgp_max_prefix_restart_in(peer);
	if (in >= 0)
		snprintf(reason, size, "maximum-prefix %u exceeded (PfxCt): restarts in %ld seconds",
			 peer->config.maximum_prefix, in);
	else
		snprintf(reason, size, "maximum-prefix %u exceeded (PfxCt): clear ip bgp to restore peering",
			 peer->config.maximum_prefix);
	return true;
}

void bgp_max_prefix_release(struct bgp_peer *peer)
{
	struct bgp_max_prefix_state *s = &peer->max_prefix;
	s->held_down = false;
	s->restart_at = 0;
	if (s->restart_timer)
		uv_timer_stop(s->restart_timer);
}

static void timer_closed(uv_handle_t *handle)
{
	free(handle);
}

void bgp_max_prefix_peer_free(struct bgp_peer *peer)
{
	struct bgp_max_prefix_state *s = &peer->max_prefix;
	if (s->restart_timer)
		uv_close((uv_handle_t *)s->restart_timer, timer_closed);
	s->restart_timer = NULL;
}
