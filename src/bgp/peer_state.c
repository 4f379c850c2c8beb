/*
 * DOC: what every layer of the module records or reads about a peer and the speaker.
 *
 * The bottom of the module's call graph (bgp.h): it calls nothing above it, so the session
 * engine, the route engine and the peers all may use it. A peer's message log (every layer
 * logs what it does to the peer: session events, routes refused, policy changes), the
 * RFC 4271 §10 jitter of timers, and next-hop resolution through the speaker owner's resolver
 * (the route engine for the decision, the peers for connect retry).
 */
#include "bgp/internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/log.h"

uint64_t bgp_jitter_ms(uint32_t base_seconds)
{
	/* RFC 4271 §10: multiply by a random factor between 0.75 and 1.0 */
	uint64_t base = (uint64_t)base_seconds * 1000;
	return base - (base * (uint64_t)(random() % 251)) / 1000;
}

void bgp_peer_log(struct bgp_peer *peer, enum bgp_log_direction direction, const char *type,
		  const char *json, const char *fmt, ...)
{
	unsigned slot = (peer->log_head + peer->log_count) % BGP_LOG_ENTRIES;
	if (peer->log_count == BGP_LOG_ENTRIES)
		peer->log_head = (peer->log_head + 1) % BGP_LOG_ENTRIES;
	else
		peer->log_count++;
	struct bgp_log_entry *e = &peer->log[slot];
	clock_gettime(CLOCK_REALTIME, &e->time);
	e->direction = direction;
	e->type = type;
	snprintf(e->json, sizeof(e->json), "%s", json ? json : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->text, sizeof(e->text), fmt, ap);
	va_end(ap);
	char addr[IP_ADDR_STRLEN];
	bool routine = !strcmp(type, "keepalive") || !strcmp(type, "update");
	log_msg(routine && !peer->debug ? LOG_LEVEL_DEBUG : LOG_LEVEL_INFO, "bgp %s: %s",
		ip_addr_format(&peer->config.addr, addr), e->text);
}

const struct bgp_log_entry *bgp_peer_log_at(const struct bgp_peer *peer, unsigned index)
{
	if (index >= peer->log_count)
		return NULL;
	return &peer->log[(peer->log_head + index) % BGP_LOG_ENTRIES];
}

bool bgp_speaker_resolve_next_hop(struct bgp_speaker *speaker, const struct ip_addr *next_hop, uint32_t *metric)
{
	*metric = 0;
	if (!speaker->options.resolve_next_hop)
		return true;
	return speaker->options.resolve_next_hop(speaker->options.context, next_hop, metric);
}
