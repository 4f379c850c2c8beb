/*
 * DOC: BGP's use of routing policy: neighbour prefix-lists and route-maps, RFC 8212.
 *
 * The speaker keeps its own copy of the configuration's policy (policy.h) and each peer the
 * names it is bound to (struct bgp_peer_filter), so what a peer gets is always a function of
 * (route, best path, peer, that copy); the copy and the names change together, here.
 *
 * In each direction a neighbour's prefix-list is applied first, then its route-map; both
 * must permit (IOS). An undefined prefix-list permits everything, an undefined route-map
 * denies everything (policy.h). RFC 8212 (`bgp ebgp-requires-policy`): an eBGP session with
 * neither a prefix-list nor a route-map in a direction exchanges nothing in that direction.
 *
 * Import (rib.c) runs before interning: a denied prefix is treated as not accepted (it
 * withdraws what the peer had sent for it before), and set clauses change the attributes
 * that are interned. Export (export.c) runs per peer on the best path: a denied prefix is
 * not sent (or withdrawn), and set clauses change what that peer is sent.
 *
 * Everything here judges and returns verdicts; what a live policy change does to the peers
 * (soft reconfiguration) is policy_change.c's.
 */
#include "bgp/internal.h"

#include <string.h>

/* Does a route-map look at attributes (so that export must decode the interned set)? */
static bool map_reads_attrs(const struct policy_route_map *m)
{
	for (size_t i = 0; m && i < m->count; i++)
		if (m->entries[i].match_community[0])
			return true;
	return false;
}

struct bgp_peer_filter bgp_filter_of(const struct config_bgp_neighbor *n, const struct policy_config *policy)
{
	struct bgp_peer_filter f;
	memcpy(f.route_map_in, n->route_map_in, sizeof(f.route_map_in));
	memcpy(f.route_map_out, n->route_map_out, sizeof(f.route_map_out));
	memcpy(f.prefix_list_in, n->prefix_list_in, sizeof(f.prefix_list_in));
	memcpy(f.prefix_list_out, n->prefix_list_out, sizeof(f.prefix_list_out));
	f.route_map_in_found = f.route_map_in[0] ? policy_route_map_find(policy, f.route_map_in) : NULL;
	f.route_map_out_found = f.route_map_out[0] ? policy_route_map_find(policy, f.route_map_out) : NULL;
	f.prefix_list_in_found = f.prefix_list_in[0] ? policy_prefix_list_find(policy, f.prefix_list_in) : NULL;
	f.prefix_list_out_found = f.prefix_list_out[0] ? policy_prefix_list_find(policy, f.prefix_list_out) : NULL;
	f.route_map_out_reads_attrs = map_reads_attrs(f.route_map_out_found);
	return f;
}

bool bgp_filter_has(const struct bgp_peer_filter *f, bool out)
{
	return out ? f->route_map_out[0] || f->prefix_list_out[0] : f->route_map_in[0] || f->prefix_list_in[0];
}

/* The verdict of one direction's prefix-list and route-map over a route. A name that is
 * defined nowhere: the prefix-list permits, the route-map denies (policy.h). */
static bool judge(const struct policy_config *policy, const struct policy_prefix_list *prefix_list,
		  const char *route_map_name, const struct policy_route_map *route_map,
		  const struct policy_route *r, const struct policy_route_map_entry **entry)
{
	*entry = NULL;
	if (prefix_list && !policy_prefix_list_permits(prefix_list, r))
		return false;
	if (route_map_name[0])
		return policy_route_map_permits(policy, route_map, r, entry);
	return true;
}

bool bgp_filter_import(const struct bgp_peer *peer, const struct prefix *n, const struct bgp_attrs *a,
		       const struct policy_route_map_entry **entry)
{
	const struct bgp_peer_filter *f = &peer->filter;
	struct policy_route r = { .family = n->family, .len = n->len, .addr = n->addr, .attrs = a };
	return judge(&peer->speaker->policy, f->prefix_list_in_found, f->route_map_in, f->route_map_in_found,
		     &r, entry);
}

bool bgp_filter_export(const struct bgp_filter_view *view, const struct bgp_peer_filter *f,
		       const struct bgp_peer *target, const struct bgp_route *route,
		       const struct bgp_path_attrs *attrs, const struct policy_route_map_entry **entry)
{
	*entry = NULL;
	bool has = bgp_filter_has(f, true);
	/* RFC 8212 §2: no export policy, nothing goes out to an external peer */
	if (!has)
		return target->ibgp || !view->requires_policy;
	struct bgp_attrs decoded;
	struct policy_route r = { .family = route->family, .len = route->len, .addr = route->addr };
	if (f->route_map_out_reads_attrs && bgp_path_attrs_decode(attrs, &decoded))
		r.attrs = &decoded;
	return judge(view->policy, f->prefix_list_out_found, f->route_map_out, f->route_map_out_found, &r,
		     entry);
}

struct bgp_filter_view bgp_filter_current(const struct bgp_speaker *speaker)
{
	return (struct bgp_filter_view){ .policy = &speaker->policy, .requires_policy = speaker->ebgp_requires_policy };
}

/* ---- live changes ---- */

bool bgp_filter_direction_changed(const struct bgp_filter_view *old_view, const struct bgp_peer_filter *old_f,
				   const struct bgp_filter_view *new_view, const struct bgp_peer_filter *new_f,
				   const struct bgp_peer *peer, bool out)
{
	const char *old_rm = out ? old_f->route_map_out : old_f->route_map_in;
	const char *new_rm = out ? new_f->route_map_out : new_f->route_map_in;
	const char *old_pl = out ? old_f->prefix_list_out : old_f->prefix_list_in;
	const char *new_pl = out ? new_f->prefix_list_out : new_f->prefix_list_in;
	if (strcmp(old_rm, new_rm) || strcmp(old_pl, new_pl))
		return true;
	if (!peer->ibgp && old_view->requires_policy != new_view->requires_policy && !bgp_filter_has(new_f, out))
		return true;
	if (new_pl[0] && !policy_prefix_list_same(policy_prefix_list_find(old_view->policy, old_pl),
						  policy_prefix_list_find(new_view->policy, new_pl)))
		return true;
	return new_rm[0] && !policy_route_map_same(old_view->policy, policy_route_map_find(old_view->policy, old_rm),
						   new_view->policy, policy_route_map_find(new_view->policy, new_rm));
}
