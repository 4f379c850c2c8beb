/*
 * DOC: why a BGP session is not Established, in plain words, as far as the router alone can
 * know it: `show ip bgp neighbors A` prints it as "Why not Established:" and its JSON as
 * "whyNotEstablished". The lab's `tern-lab doctor` adds what only both ends together show
 * (which IGP should have carried the address, and why it did not).
 */
#ifndef TERN_CTL_SHOW_BGP_WHY_H
#define TERN_CTL_SHOW_BGP_WHY_H

#include <stdbool.h>
#include <stddef.h>

#include "bgp/bgp.h"

/* Does the routing table have a route to addr? NULL: not asked (every address resolves). */
struct show_bgp_resolver {
	bool (*resolves)(void *context, const struct ip_addr *addr);
	void *context;
};

/* The reason's short name for JSON ("no-route", "not-directly-connected", "bad-peer-as",
 * "refused-our-open", "notification-received", "notification-sent", "connect-failed"), its
 * text in text; NULL (text "") when there is nothing to say: Established, shut down,
 * passive and never tried, or not tried yet. */
const char *show_bgp_why_not_established(const struct bgp_peer *peer, const struct show_bgp_resolver *resolver,
					 char *text, size_t size);

#endif
