/*
 * DOC: a live change of routing policy, applied to the peers (filter.c judges).
 *
 * A live change (a list, a map, a binding, or bgp ebgp-requires-policy) is applied at once,
 * as `clear ip bgp A soft` would: outbound, every best path is judged under the old and the
 * new policy and the difference (announcements with the new attributes, withdrawals) goes
 * out; inbound, the peer is asked for its routes again (ROUTE-REFRESH, RFC 2918), and a peer
 * without route refresh is told in the log to be reset (`clear ip bgp A`). A peer with
 * soft-reconfiguration inbound is the exception, as in IOS: its stored routes wait for
 * `clear ip bgp A soft in` to meet the new import policy (bgp.h), and nothing is sent.
 *
 * Part of the route engine, above filter.c (verdicts), export.c (what goes out), rib.c (the
 * best paths) and refresh.c (asking the peer); called by peer.c on a configuration change.
 */
#include "bgp/internal.h"

#include <sys/socket.h>

#include "lib/log.h"

struct resend_ctx {
	struct bgp_peer *peer;
	const struct bgp_filter_view *old_view, *new_view;
	const struct bgp_peer_filter *old_f;
};

static bool resend_route(void *ctx, struct bgp_route *r)
{
	struct resend_ctx *c = ctx;
	if (!r->best_valid || !r->paths)
		return true;
	const struct bgp_path *best = r->paths;
	bool had = bgp_export_base_allowed(c->peer, r, best);
	bool has = had;
	const struct policy_route_map_entry *old_entry, *new_entry;
	had = had && bgp_filter_export(c->old_view, c->old_f, c->peer, r, best->attrs, &old_entry);
	has = has && bgp_filter_export(c->new_view, &c->peer->filter, c->peer, r, best->attrs, &new_entry);
	if (has)
		bgp_export_queue(c->peer, r, best, new_entry);
	else if (had)
		bgp_export_queue(c->peer, r, NULL, NULL);
	return true;
}

void bgp_policy_change_configure(struct bgp_speaker *speaker, const struct config *config)
{
	struct policy_config fresh;
	if (!policy_config_copy(&fresh, &config->policy)) {
		log_error("bgp: out of memory for the routing policy; the old one stays in force");
		return;
	}
	struct policy_config old = speaker->policy;
	struct bgp_filter_view old_view = { .policy = &old, .requires_policy = speaker->filter_requires_policy };
	speaker->policy = fresh;
	speaker->filter_requires_policy = speaker->ebgp_requires_policy;
	struct bgp_filter_view new_view = bgp_filter_current(speaker);
	bool flushed = false;
	for (struct bgp_peer *peer = speaker->peers; peer; peer = peer->next) {
		/* every peer, removed ones too: the filter points into the copy freed below */
		struct bgp_peer_filter old_f = peer->filter;
		peer->filter = bgp_filter_of(&peer->config, &speaker->policy);
		if (peer->removed || !peer->established)
			continue;
		if (bgp_filter_direction_changed(&old_view, &old_f, &new_view, &peer->filter, peer, true)) {
			/* soft out: the difference between what the old and the new policy send */
			struct resend_ctx ctx = { .peer = peer, .old_view = &old_view, .new_view = &new_view,
						  .old_f = &old_f };
			bgp_rib_walk(speaker->rib, AF_INET, resend_route, &ctx);
			bgp_rib_walk(speaker->rib, AF_INET6, resend_route, &ctx);
			bgp_peer_log(peer, BGP_LOG_EVENT, "policy", NULL, "export policy changed: table sent again");
			flushed = true;
		}
		if (bgp_filter_direction_changed(&old_view, &old_f, &new_view, &peer->filter, peer, false)) {
			/* soft in: the peer sends its routes again and the new policy judges them */
			if (peer->adj_rib_in)
				bgp_peer_log(peer, BGP_LOG_EVENT, "policy", NULL,
					     "import policy changed: clear ip bgp soft in applies it to the "
					     "stored routes (soft-reconfiguration inbound)");
			else
				bgp_peer_refresh_or_explain(peer, "policy", "import policy changed: ROUTE-REFRESH asked",
							    "import policy changed, but the peer has no route refresh: "
							    "a hard reset (clear ip bgp) applies it to the routes it sent");
		}
	}
	if (flushed)
		bgp_export_flush(speaker);
	policy_config_free(&old);
}
