/*
 * DOC: the speaker's locally originated routes, offered to the daemon (bgp.h).
 *
 * The daemon decides what to originate (`network` statements that match the routing table,
 * redistribution); the Loc-RIB (rib.h) holds the routes. This is the one door between the
 * two, so that the daemon needs nothing from inside this module.
 */
#include "bgp/bgp.h"

#include <string.h>

#include "bgp/rib.h"

void bgp_speaker_originate_begin(struct bgp_speaker *speaker)
{
	bgp_rib_originate_begin(bgp_speaker_rib(speaker));
}

void bgp_speaker_originate(struct bgp_speaker *speaker, const struct prefix *prefix, uint8_t origin,
			   bool has_med, uint32_t med)
{
	bgp_rib_originate(bgp_speaker_rib(speaker), prefix, origin, has_med, med);
}

void bgp_speaker_originate_end(struct bgp_speaker *speaker)
{
	bgp_rib_originate_end(bgp_speaker_rib(speaker));
}
