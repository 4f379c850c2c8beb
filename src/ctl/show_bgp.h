/*
 * DOC: BGP `show` commands, as text in IOS layout and as JSON.
 *
 * Pure rendering of what the BGP module exposes (bgp.h) into a strbuf: `show ip bgp
 * summary`, `show ip bgp neighbors [A]`, `show bgp neighbors A messages`.
 */
#ifndef TERN_CTL_SHOW_BGP_H
#define TERN_CTL_SHOW_BGP_H

#include <stdbool.h>

#include "bgp/bgp.h"
#include "lib/strbuf.h"

void show_bgp_summary(struct bgp_speaker *speaker, bool json, struct strbuf *out);
/* addr NULL: every neighbour. Returns false if addr names no neighbour. */
bool show_bgp_neighbors(struct bgp_speaker *speaker, const struct ip_addr *addr, bool json,
			struct strbuf *out);
/* `show ip bgp [json]` (family AF_INET) or `show bgp ipv6 unicast`; from != NULL limits the
 * view to paths received from that peer (routes, received-routes), to != NULL to the best
 * paths that peer is sent (advertised-routes). */
void show_bgp_table(struct bgp_speaker *speaker, uint8_t family, const struct bgp_peer *from,
		    const struct bgp_peer *to, bool json, struct strbuf *out);
/* `show ip bgp PREFIX`: false if the RIB has no such prefix. */
struct bgp_nlri;
bool show_bgp_prefix(struct bgp_speaker *speaker, const struct bgp_nlri *prefix, bool json, struct strbuf *out);
bool show_bgp_messages(struct bgp_speaker *speaker, const struct ip_addr *addr, bool json,
		       struct strbuf *out);

#endif
