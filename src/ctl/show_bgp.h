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
/* `show ip bgp [json]` (family AF_INET) or `show bgp ipv6 unicast`; from != NULL limits the
 * view to the paths accepted from that peer (routes), or with received to the routes as that
 * peer sent them, before policy (received-routes: its soft-reconfiguration store; JSON adds
 * "accepted" to each); to != NULL to the best paths that peer is sent (advertised-routes).
 * The whole view at once, into out. */
void show_bgp_table(struct bgp_speaker *speaker, uint8_t family, const struct bgp_peer *from,
		    const struct bgp_peer *to, bool received, bool json, struct strbuf *out);

/* The same view a slice at a time, for the control socket to stream a full table: open, then
 * next until it stops returning SHOW_STEP_MORE (each call appends a slice to out, maybe
 * nothing while it gathers the prefixes; one call is bounded work), then close. The output
 * is the same as show_bgp_table's, in prefix order; the table may change between slices
 * (a prefix withdrawn meanwhile is left out, one announced after the walk began may be).
 * speaker is the speaker now (NULL without BGP); if it is not the one the view was opened
 * on, a neighbour of the view went or memory ran out, the view fails: SHOW_STEP_FAILED,
 * after closing the JSON document. */
struct show_bgp_table;
struct show_bgp_table *show_bgp_table_open(struct bgp_speaker *speaker, uint8_t family, const struct bgp_peer *from,
					   const struct bgp_peer *to, bool received, bool json);
enum show_step show_bgp_table_next(struct show_bgp_table *view, struct bgp_speaker *speaker, struct strbuf *out);
/* After SHOW_STEP_FAILED: why, in a few words ("BGP was stopped during the show"). */
const char *show_bgp_table_failure(const struct show_bgp_table *view);
void show_bgp_table_close(struct show_bgp_table *view);
/* `show ip bgp PREFIX`: false if the RIB has no such prefix. */
struct bgp_nlri;
bool show_bgp_prefix(struct bgp_speaker *speaker, const struct bgp_nlri *prefix, bool json, struct strbuf *out);
bool show_bgp_messages(struct bgp_speaker *speaker, const struct ip_addr *addr, bool json,
		       struct strbuf *out);

#endif
