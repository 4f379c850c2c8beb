/*
 * DOC: what every layer of the module records or reads about a peer and the speaker.
 *
 * The bottom of the module's call graph (bgp.h): it calls nothing above it, so the session
 * engine, the route engine and the peers all may use it: the RFC 4271 §10 jitter of timers,
 * and next-hop resolution through the speaker owner's resolver (the route engine for the
 * decision, the peers for connect retry). A peer's message log, which every layer writes to
 * as well, is message_log.c's, at the same level.
 */
#include "bgp/internal.h"

#include <stdlib.h>

uint64_t bgp_jitter_ms(uint32_t base_seconds)
{
	/* RFC 4271 §10: multiply by a random factor between 0.75 and 1.0 */
	uint64_t base = (uint64_t)base_seconds * 1000;
	return base - (base * (uint64_t)(random() % 251)) / 1000;
}

bool bgp_speaker_resolve_next_hop(struct bgp_speaker *speaker, const struct ip_addr *next_hop, uint32_t *metric)
{
	*metric = 0;
	if (!speaker->options.resolve_next_hop)
		return true;
	return speaker->options.resolve_next_hop(speaker->options.context, next_hop, metric);
}
