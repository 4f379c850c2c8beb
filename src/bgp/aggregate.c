/*
 * DOC: aggregate-address (RFC 4271 §9.2.2.2), the IOS way.
 *
 * An aggregate is announced while at least one more specific prefix inside it has a best
 * path in the Loc-RIB; it is originated by us with ORIGIN IGP, an empty AS_PATH and
 * ATOMIC_AGGREGATE (some path information is lost), or with `as-set` an AS_SET of the ASes
 * of the contributors instead of ATOMIC_AGGREGATE, and AGGREGATOR = our AS and router ID.
 * With `summary-only` the contributors are suppressed: kept and used, not advertised.
 *
 * Contributors are counted incrementally as best paths come and go (bgp_aggregate_track,
 * called by the decision run), so a full table costs a containment test per change against
 * the few configured aggregates; a table walk happens only when the configuration changes
 * or an as-set aggregate's contributors change.
 */
#include "bgp/internal.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "bgp/attrs.h"
#include "lib/log.h"

static bool contains(const struct bgp_aggregate *agg, const struct bgp_route *r)
{
	if (r->family != agg->prefix.family || r->len <= agg->prefix.len)
		return false;
	for (unsigned bit = 0; bit < agg->prefix.len; bit++) {
		uint8_t mask = (uint8_t)(0x80 >> (bit % 8));
		if ((r->addr[bit / 8] & mask) != (agg->prefix.addr[bit / 8] & mask))
			return false;
	}
	return true;
}

static bool suppressed_by(const struct bgp_aggregate *aggs, size_t count, const struct bgp_route *r)
{
	for (size_t i = 0; i < count; i++)
		if (aggs[i].summary_only && contains(&aggs[i], r))
			return true;
	return false;
}

/*
 * A route under a summary-only aggregate is suppressed whenever it has a best path: that path
 * makes it a contributor, so the aggregate is up. The answer comes from the configuration,
 * not from agg->active, so that it is the same before and after the decision run that brings
 * the aggregate up or down: the first contributor is never queued for announcement (and then
 * for withdrawal, which is sent first: it would have stayed at the peers), the last one never
 * withdrawn though it was never announced.
 */
bool bgp_aggregate_suppresses(const struct bgp_speaker *speaker, const struct bgp_route *r)
{
	return suppressed_by(speaker->aggregates, speaker->aggregate_count, r);
}

struct as_set_ctx {
	const struct bgp_aggregate *agg;
	uint32_t asns[256];
	unsigned count;
};

static bool collect_asns(void *arg, struct bgp_route *r)
{
	struct as_set_ctx *ctx = arg;
	if (!r->best_valid || !r->paths || !contains(ctx->agg, r))
		return true;
	struct bgp_attrs a;
	if (!bgp_path_attrs_decode(r->paths->attrs, &a) || !bgp_attrs_has(&a, BGP_ATTR_AS_PATH))
		return true;
	struct bgp_as_path_iter it;
	struct bgp_as_segment seg;
	bgp_as_path_iter_init(&it, &a.as_path);
	while (bgp_as_path_iter_next(&it, &seg))
		for (unsigned k = 0; k < seg.count; k++) {
			uint32_t asn = bgp_as_segment_next_asn(&seg);
			bool known = false;
			for (unsigned j = 0; j < ctx->count && !known; j++)
				known = ctx->asns[j] == asn;
			if (!known && ctx->count < 255)
				ctx->asns[ctx->count++] = asn;
		}
	return true;
}

/* Announces or withdraws the aggregate itself (a locally originated path). */
static void originate(struct bgp_speaker *speaker, struct bgp_aggregate *agg)
{
	struct bgp_rib *rib = speaker->rib;
	struct bgp_nlri n = agg->prefix;
	if (!agg->active) {
		bgp_rib_local_path(rib, &n, NULL);
		return;
	}
	struct bgp_attrs a;
	memset(&a, 0, sizeof(a));
	a.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH) | BGP_ATTR_BIT(BGP_ATTR_AGGREGATOR);
	a.origin = BGP_ORIGIN_IGP;
	a.aggregator_as = speaker->local_as;
	a.aggregator_addr = speaker->router_id;
	uint8_t path[3 + 4 * 255];
	a.as_path = (struct bgp_as_path){ .data = NULL, .len = 0, .asn_size = 4 };
	if (agg->as_set) {
		struct as_set_ctx ctx = { .agg = agg };
		bgp_rib_walk(rib, agg->prefix.family, collect_asns, &ctx);
		if (ctx.count) {
			struct writer w = writer_make(path, sizeof(path));
			writer_u8(&w, BGP_AS_SET);
			writer_u8(&w, (uint8_t)ctx.count);
			for (unsigned j = 0; j < ctx.count; j++)
				writer_u32(&w, ctx.asns[j]);
			a.as_path = (struct bgp_as_path){ .data = path, .len = (uint16_t)w.len, .asn_size = 4 };
		}
	} else {
		/* RFC 4271 §9.2.2.2: an aggregate that loses path information says so */
		a.present |= BGP_ATTR_BIT(BGP_ATTR_ATOMIC_AGGREGATE);
	}
	bgp_rib_local_path(rib, &n, &a);
}

/* The configuration changed which routes are suppressed: a route whose answer changed is
 * withdrawn from, or given back to, every peer, once, as the new configuration has it. (One
 * step per aggregate, old ones off then new ones on, would queue both for a prefix that stays
 * suppressed, e.g. summary-only becoming as-set summary-only, and leak it.) */
struct resuppress_ctx {
	struct bgp_speaker *speaker;
	const struct bgp_aggregate *old;
	size_t old_count;
};

static bool resuppress(void *arg, struct bgp_route *r)
{
	struct resuppress_ctx *ctx = arg;
	if (!r->best_valid || !r->paths)
		return true;
	bool was = suppressed_by(ctx->old, ctx->old_count, r);
	bool now = bgp_aggregate_suppresses(ctx->speaker, r);
	if (was != now)
		bgp_export_suppression_changed(ctx->speaker, r, now);
	return true;
}

static bool any_summary_only(const struct bgp_aggregate *aggs, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (aggs[i].summary_only)
			return true;
	return false;
}

static void set_active(struct bgp_speaker *speaker, struct bgp_aggregate *agg, bool active)
{
	if (agg->active == active)
		return;
	agg->active = active;
	originate(speaker, agg);
}

void bgp_aggregate_track(struct bgp_speaker *speaker, const struct bgp_route *r, bool had_best, bool has_best)
{
	if (had_best == has_best)
		return;
	for (size_t i = 0; i < speaker->aggregate_count; i++) {
		struct bgp_aggregate *agg = &speaker->aggregates[i];
		if (!contains(agg, r))
			continue;
		if (has_best && !had_best)
			agg->contributors++;
		else if (had_best && !has_best && agg->contributors)
			agg->contributors--;
		if (agg->as_set && agg->active && agg->contributors)
			agg->as_set_stale = true;
		set_active(speaker, agg, agg->contributors > 0);
	}
}

void bgp_aggregate_refresh_as_sets(struct bgp_speaker *speaker)
{
	for (size_t i = 0; i < speaker->aggregate_count; i++) {
		struct bgp_aggregate *agg = &speaker->aggregates[i];
		if (agg->as_set_stale && agg->active) {
			agg->as_set_stale = false;
			originate(speaker, agg);
		}
	}
}

struct count_ctx {
	struct bgp_aggregate *agg;
};

static bool count_contributors(void *arg, struct bgp_route *r)
{
	struct count_ctx *ctx = arg;
	if (r->best_valid && r->paths && contains(ctx->agg, r))
		ctx->agg->contributors++;
	return true;
}

void bgp_aggregate_configure(struct bgp_speaker *speaker, const struct config_bgp *bgp)
{
	bool same = speaker->aggregate_count == bgp->aggregate_count;
	for (size_t i = 0; same && i < bgp->aggregate_count; i++) {
		const struct config_bgp_aggregate *c = &bgp->aggregates[i];
		const struct bgp_aggregate *a = &speaker->aggregates[i];
		same = a->prefix.len == c->prefix.len && a->prefix.family == c->prefix.family &&
		       !memcmp(a->prefix.addr, c->prefix.addr, 16) && a->summary_only == c->summary_only &&
		       a->as_set == c->as_set;
	}
	if (same)
		return;
	/* Old aggregates are withdrawn, new ones counted afresh and originated (a prefix in both
	 * is decided once, in the commit below); then the suppressed set is brought from the old
	 * configuration's to the new one's. */
	struct bgp_aggregate *old = speaker->aggregates;
	size_t old_count = speaker->aggregate_count;
	for (size_t i = 0; i < old_count; i++)
		set_active(speaker, &old[i], false);
	speaker->aggregates = NULL;
	speaker->aggregate_count = 0;
	if (bgp->aggregate_count) {
		speaker->aggregates = calloc(bgp->aggregate_count, sizeof(*speaker->aggregates));
		if (speaker->aggregates)
			speaker->aggregate_count = bgp->aggregate_count;
		else
			log_error("bgp: out of memory for aggregates");
	}
	for (size_t i = 0; i < speaker->aggregate_count; i++) {
		struct bgp_aggregate *agg = &speaker->aggregates[i];
		const struct config_bgp_aggregate *c = &bgp->aggregates[i];
		agg->prefix.family = c->prefix.family;
		agg->prefix.len = c->prefix.len;
		memcpy(agg->prefix.addr, c->prefix.addr, 16);
		agg->summary_only = c->summary_only;
		agg->as_set = c->as_set;
		struct count_ctx ctx = { agg };
		bgp_rib_walk(speaker->rib, agg->prefix.family, count_contributors, &ctx);
		set_active(speaker, agg, agg->contributors > 0);
	}
	if (any_summary_only(old, old_count) || any_summary_only(speaker->aggregates, speaker->aggregate_count)) {
		struct resuppress_ctx ctx = { speaker, old, old_count };
		bgp_rib_walk(speaker->rib, AF_INET, resuppress, &ctx);
		bgp_rib_walk(speaker->rib, AF_INET6, resuppress, &ctx);
	}
	free(old);
	bgp_rib_commit(speaker->rib);
}
