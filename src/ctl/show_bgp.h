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
#include "ctl/show_bgp_why.h"
#include "lib/show_step.h"
#include "lib/strbuf.h"

void show_bgp_summary(struct bgp_speaker *speaker, bool json, struct strbuf *out);
/* addr NULL: every neighbour. Returns false if addr names no neighbour. A neighbour that is
 * not Established says why (show_bgp_why.h), asking resolver whether its address has a route. */
bool show_bgp_neighbors(struct bgp_speaker *speaker, const struct ip_addr *addr,
			const struct show_bgp_resolver *resolver, bool json, struct strbuf *out);
bool show_bgp_messages(struct bgp_speaker *speaker, const struct ip_addr *addr, bool json,
		       struct strbuf *out);

#endif
