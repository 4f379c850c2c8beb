/*
 * DOC: BGP as a route source of the core, and the core's next-hop tracking as BGP's.
 *
 * The core (src/core, below the protocols) knows no BGP type. This file is the one place
 * that joins them: it gives the core a handle into the Loc-RIB for each prefix whose best
 * path changed (a struct bgp_route, not a copy), and implements the core's source
 * operations over the Loc-RIB: lookup by prefix, describe a handle (distance 20 for a path
 * from an external peer, 200 for an internal one, MED as metric, NEXT_HOP as next hop;
 * locally originated paths are marked local), and a walk a slice at a time through the
 * Loc-RIB's cursor. The speaker's next hops resolve through a core next-hop tracker; when an
 * answer changes, the core calls bgp_speaker_next_hops_changed(), BGP's own re-decision.
 * Every peer's address is watched too, so that a route to a peer that changes reaches a
 * failed connect's retry and fast external fallover even before the peer sent a route.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "bgp/bgp.h"
#include "bgp/rib.h"
#include "core/core.h"

struct bgp_core_source {
	struct core *core;
	struct bgp_speaker *speaker;
	struct core_source *source;           /* NULL before attach */
	struct core_nexthop_tracker *tracker; /* while attached */
	bool detached;
};

_Static_assert(sizeof(struct bgp_rib_cursor) <= sizeof(struct core_source_cursor),
	       "the Loc-RIB's cursor fits in the core's");

/* ---- the core's source operations ---- */

static const void *source_lookup(void *ctx, const struct prefix *prefix)
{
	struct bgp_core_source *glue = ctx;
	const struct bgp_route *r = bgp_rib_lookup(bgp_speaker_rib(glue->speaker), prefix);
	return r && r->best_valid && r->paths ? r : NULL;
}

static void source_describe(void *ctx, const void *handle, struct core_source_route *out)
{
	(void)ctx;
	const struct bgp_route *r = handle;
	const struct bgp_path *best = r->paths;
	memset(out, 0, sizeof(*out));
	out->info.distance = best->peer && !best->peer->ibgp ? CORE_DISTANCE_EBGP : CORE_DISTANCE_IBGP;
	out->info.metric = best->attrs->med;
	out->info.nexthop_count = 1;
	bgp_path_attrs_next_hop(best->attrs, &out->info.nexthops[0].gateway);
	if (!best->peer)
		out->info.nexthops[0].gateway.family = 0;
	/* the age a BGP route shows is its session's (IOS), so not exact */
	out->since_ms = best->peer ? (uint64_t)best->peer->last_change * 1000 : 0;
	out->local = !best->peer;
}

static void source_prefix(void *ctx, const void *handle, struct prefix *out)
{
	(void)ctx;
	const struct bgp_route *r = handle;
	memset(out, 0, sizeof(*out));
	out->family = r->family;
	out->len = r->len;
	memcpy(out->addr, r->addr, r->family == AF_INET6 ? 16 : 4);
}

static void source_walk_open(void *ctx, struct core_source_cursor *cursor, uint8_t family)
{
	struct bgp_core_source *glue = ctx;
	struct bgp_rib_cursor c;
	bgp_rib_cursor_open(bgp_speaker_rib(glue->speaker), &c, family);
	memset(cursor, 0, sizeof(*cursor));
	memcpy(cursor->opaque, &c, sizeof(c));
}

struct walk_visit {
	void (*fn)(void *fn_ctx, const void *handle);
	void *fn_ctx;
};

static void walk_visit(void *ctx, struct bgp_route *r)
{
	struct walk_visit *w = ctx;
	if (r->best_valid && r->paths)
		w->fn(w->fn_ctx, r);
}

static bool source_walk_step(void *ctx, struct core_source_cursor *cursor, size_t budget,
			     void (*fn)(void *fn_ctx, const void *handle), void *fn_ctx)
{
	struct bgp_core_source *glue = ctx;
	struct bgp_rib_cursor c;
	memcpy(&c, cursor->opaque, sizeof(c));
	struct walk_visit w = { fn, fn_ctx };
	bool more = bgp_rib_cursor_step(bgp_speaker_rib(glue->speaker), &c, budget, walk_visit, &w);
	memcpy(cursor->opaque, &c, sizeof(c));
	return more;
}

static void source_release(void *ctx)
{
	free(ctx);
}

static const struct core_source_ops source_ops = {
	.lookup = source_lookup,
	.describe = source_describe,
	.prefix = source_prefix,
	.walk_open = source_walk_open,
	.walk_step = source_walk_step,
	.release = source_release,
};

/* ---- next-hop tracking ---- */

static void next_hops_changed(void *ctx)
{
	struct bgp_core_source *glue = ctx;
	bgp_speaker_next_hops_changed(glue->speaker);
}

static void watch_peers(void *ctx, struct core_nexthop_tracker *tracker)
{
	struct bgp_core_source *glue = ctx;
	for (struct bgp_peer *peer = bgp_speaker_peers(glue->speaker); peer; peer = peer->next)
		if (!peer->removed)
			core_nexthop_watch(tracker, &peer->config.addr);
}

static const struct core_nexthop_tracker_ops tracker_ops = {
	.changed = next_hops_changed,
	.watch = watch_peers,
};

/* ---- the speaker's callbacks ---- */

static void route_changed(void *ctx, const struct bgp_route *route, const struct bgp_path *best)
{
	struct bgp_core_source *glue = ctx;
	if (!glue->source || !core_source_heard(glue->source))
		return; /* no kernel, no redistribution: a full table loading costs nothing here */
	struct prefix p;
	source_prefix(glue, route, &p);
	core_source_changed(glue->source, &p, best ? route : NULL);
}

static bool resolve_next_hop(void *ctx, const struct ip_addr *next_hop, uint32_t *metric)
{
	struct bgp_core_source *glue = ctx;
	if (glue->tracker)
		return core_nexthop_resolve(glue->tracker, next_hop, metric);
	return core_resolve(glue->core, next_hop, metric);
}

static bool is_local_address(void *ctx, const struct ip_addr *addr)
{
	struct bgp_core_source *glue = ctx;
	return core_is_local_address(glue->core, addr);
}

struct bgp_core_source *bgp_core_source_create(struct core *core, struct bgp_speaker_options *options)
{
	struct bgp_core_source *glue = calloc(1, sizeof(*glue));
	if (!glue)
		return NULL;
	glue->core = core;
	if (options) {
		options->context = glue;
		options->route_changed = route_changed;
		options->resolve_next_hop = resolve_next_hop;
		options->is_local_address = is_local_address;
	}
	return glue;
}

bool bgp_core_source_attach(struct bgp_core_source *glue, struct bgp_speaker *speaker)
{
	glue->speaker = speaker;
	glue->source = core_source_attach(glue->core, CORE_PROTO_BGP, &source_ops, glue);
	if (!glue->source)
		return false;
	glue->tracker = core_nexthop_track(glue->core, &tracker_ops, glue);
	return glue->tracker != NULL;
}

void bgp_core_source_detach(struct bgp_core_source *glue)
{
	if (!glue || glue->detached)
		return;
	glue->detached = true;
	core_nexthop_untrack(glue->tracker);
	glue->tracker = NULL;
	if (!glue->source) {
		if (!glue->speaker)
			free(glue); /* no speaker was made with it, the core does not own it */
		return;
	}
	/* The core owns the glue from here (released with the core): the speaker's sessions,
	 * closing, still report their routes gone through it. */
	core_source_detach(glue->source);
}
