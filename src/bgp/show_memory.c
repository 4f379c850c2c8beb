/*
 * DOC: the BGP part of `show memory`: what the Loc-RIB holds and the peers' output queues'
 * peaks, read here so that ctl needs nothing from inside this module (bgp.h).
 */
#include "bgp/bgp.h"

#include <string.h>

#include "bgp/rib.h"

void bgp_speaker_memory_stats(struct bgp_speaker *speaker, struct bgp_memory_stats *stats)
{
	memset(stats, 0, sizeof(*stats));
	struct bgp_rib_stats rib = { 0 };
	bgp_rib_stats(bgp_speaker_rib(speaker), &rib);
	stats->routes = rib.routes;
	stats->paths = rib.paths;
	stats->attribute_sets = rib.attrs;
	stats->bytes = rib.bytes;
	for (const struct bgp_peer *peer = bgp_speaker_peers(speaker); peer; peer = peer->next)
		stats->output_queued_peak += peer->output_queued_peak;
}
