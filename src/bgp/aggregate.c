/*
 * DOC: aggregate-address (RFC 4271 §9.2.2.2), the IOS way.
 *
 * An aggregate is announced while at least one more specific prefix inside it has a best
 * path in the Loc-RIB (a contributor). We originate it with AGGREGATOR = our AS and router ID
 * (the contributors' own AGGREGATORs are not carried) and, from the contributors' best paths
 * (RFC 4271 §9.2.2.2):
 * - ORIGIN INCOMPLETE if any contributor's is INCOMPLETE, else EGP if any is EGP, else IGP;
 * - without `as-set`: an empty AS_PATH and ATOMIC_AGGREGATE (path information is lost,
 *   §5.1.6);
 * - with `as-set`: an AS_PATH of AS_SET segments holding every AS of the contributors'
 *   AS_PATHs, in ascending order, and ATOMIC_AGGREGATE only when a contributor carries it
 *   (§9.2.2.2) or the set had to be cut to fit a message (§5.1.6, see AS_SET_MAX_ASNS).
 * With `summary-only` the contributors are suppressed: kept and used, not advertised.
 *
 * All of it is counted incrementally as best paths come, go and change (bgp_aggregate_track,
 * called by the decision run for every decided prefix): contributors per ORIGIN, those with
 * ATOMIC_AGGREGATE, and for as-set how many times each AS appears in their paths. A full table
 * costs a containment test per change against the few configured aggregates (plus an AS path
 * walk for a contributor of an as-set aggregate); an aggregate is originated again, once at the
 * end of the decision run, only when a value it is built from changed. A table walk happens
 * only when the configuration changes.
 */
#include "bgp/internal.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "bgp/attrs.h"
#include "lib/hash.h"
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

/* ---- the ASes of an as-set aggregate's contributors, with how often each appears ---- */

static size_t asn_home(const struct bgp_asn_counts *t, uint32_t asn)
{
	return (size_t)hash_u64(asn ^ hash_seed) & (t->size - 1);
}

/* The slot holding asn, or the free slot where it would go. */
static size_t asn_slot(const struct bgp_asn_counts *t, uint32_t asn)
{
	size_t i = asn_home(t, asn);
	while (t->slots[i].count && t->slots[i].asn != asn)
		i = (i + 1) & (t->size - 1);
	return i;
}

static bool asn_counts_grow(struct bgp_asn_counts *t)
{
	struct bgp_asn_counts grown = { .size = t->size ? t->size * 2 : 64, .used = t->used };
	grown.slots = calloc(grown.size, sizeof(*grown.slots));
	if (!grown.slots)
		return false;
	for (size_t i = 0; i < t->size; i++)
		if (t->slots[i].count)
			grown.slots[asn_slot(&grown, t->slots[i].asn)] = t->slots[i];
	free(t->slots);
	*t = grown;
	return true;
}

/* One more occurrence of asn; true when it is new to the set. */
static bool asn_counts_add(struct bgp_asn_counts *t, uint32_t asn)
{
	if (t->size) {
		struct bgp_asn_count *s = &t->slots[asn_slot(t, asn)];
		if (s->count) {
			s->count++;
			return false;
		}
	}
	if ((t->used + 1) * 2 > t->size && !asn_counts_grow(t)) {
		log_error("bgp: out of memory for an aggregate's AS_SET");
		return false;
	}
	t->slots[asn_slot(t, asn)] = (struct bgp_asn_count){ .asn = asn, .count = 1 };
	t->used++;
	return true;
}

/* One occurrence less; true when asn left the set. The entries after a freed slot move back
 * into it while that keeps them reachable from their home slot (no tombstones). */
static bool asn_counts_remove(struct bgp_asn_counts *t, uint32_t asn)
{
	if (!t->size)
		return false;
	size_t mask = t->size - 1, hole = asn_slot(t, asn);
	if (!t->slots[hole].count || --t->slots[hole].count)
		return false;
	t->used--;
	for (size_t j = (hole + 1) & mask; t->slots[j].count; j = (j + 1) & mask) {
		size_t home = asn_home(t, t->slots[j].asn);
		bool home_after_hole = hole <= j ? hole < home && home <= j : hole < home || home <= j;
		if (home_after_hole)
			continue;
		t->slots[hole] = t->slots[j];
		t->slots[j].count = 0;
		hole = j;
	}
	return true;
}

static void asn_counts_free(struct bgp_asn_counts *t)
{
	free(t->slots);
	*t = (struct bgp_asn_counts){ 0 };
}

/* ---- what the contributors give an aggregate ---- */

/* RFC 4271 §9.2.2.2: INCOMPLETE wins over EGP, EGP over IGP. */
static uint8_t aggregate_origin(const struct bgp_aggregate *agg)
{
	if (agg->by_origin[BGP_ORIGIN_INCOMPLETE])
		return BGP_ORIGIN_INCOMPLETE;
	if (agg->by_origin[BGP_ORIGIN_EGP])
		return BGP_ORIGIN_EGP;
	return BGP_ORIGIN_IGP;
}

/* The values the announced aggregate is built from, besides its AS_SET. */
struct aggregate_summary {
	bool active;
	uint8_t origin;
	bool atomic;
};

static struct aggregate_summary summary_of(const struct bgp_aggregate *agg)
{
	return (struct aggregate_summary){ .active = agg->contributors > 0, .origin = aggregate_origin(agg),
					   .atomic = agg->atomic > 0 };
}

static bool summaries_equal(struct aggregate_summary a, struct aggregate_summary b)
{
	return a.active == b.active && a.origin == b.origin && a.atomic == b.atomic;
}

static void count_step(uint32_t *counter, bool add)
{
	if (add)
		(*counter)++;
	else if (*counter)
		(*counter)--;
}

/* Counts the ASes of a contributor's AS_PATH in or out; true when the set changed. RFC 5065
 * Appendix A lets confederation segments stay out of aggregation: they do. */
static bool count_as_path(struct bgp_asn_counts *asns, const struct bgp_path_attrs *pa, bool add)
{
	struct bgp_attrs a;
	if (!bgp_path_attrs_decode(pa, &a) || !bgp_attrs_has(&a, BGP_ATTR_AS_PATH))
		return false;
	bool changed = false;
	struct bgp_as_path_iter it;
	struct bgp_as_segment seg;
	bgp_as_path_iter_init(&it, &a.as_path);
	while (bgp_as_path_iter_next(&it, &seg)) {
		if (seg.type != BGP_AS_SEQUENCE && seg.type != BGP_AS_SET)
			continue;
		for (unsigned k = 0; k < seg.count; k++) {
			uint32_t asn = bgp_as_segment_next_asn(&seg);
			changed |= add ? asn_counts_add(asns, asn) : asn_counts_remove(asns, asn);
		}
	}
	return changed;
}

/* Counts one contributor's best path in or out; true when the AS_SET changed. */
static bool count_contributor(struct bgp_aggregate *agg, const struct bgp_path_attrs *pa, bool add)
{
	count_step(&agg->contributors, add);
	count_step(&agg->by_origin[pa->origin <= BGP_ORIGIN_INCOMPLETE ? pa->origin : BGP_ORIGIN_INCOMPLETE], add);
	if (pa->flags & BGP_PA_ATOMIC_AGGREGATE)
		count_step(&agg->atomic, add);
	return agg->as_set && count_as_path(&agg->asns, pa, add);
}

/* ---- the aggregate's own path ---- */

/*
 * RFC 4271 §4.3: a segment's length is one octet, so an AS_SET of more than 255 ASes goes out
 * as several AS_SET segments. Each counts 1 in a receiver's path length (§9.1.2.2 a), so a
 * large set makes the aggregate's path a little longer than one set would; leaving ASes out
 * instead would defeat the loop detection (§9.1.2) the set is there for. The path stays within
 * an extended message (RFC 8654: 65535 octets) with room for the header, the other attributes,
 * our own AS prepended on export and the NLRI: at most 60 full segments of 4-octet ASNs
 * (RFC 6793), 61320 octets. Past that (15300 ASes) the highest ASNs are left out, with a
 * warning and ATOMIC_AGGREGATE (§5.1.6).
 */
#define AS_SET_SEGMENT_MAX 255u
#define AS_SET_MAX_SEGMENTS 60u
#define AS_SET_MAX_ASNS (AS_SET_SEGMENT_MAX * AS_SET_MAX_SEGMENTS)

static uint8_t as_set_path_buf[AS_SET_MAX_SEGMENTS * (2 + 4 * AS_SET_SEGMENT_MAX)];

static int compare_asn(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* The set's ASNs in ascending order (so that one set always gives the same path); the caller
 * frees them. NULL when the set is empty or memory is short. */
static uint32_t *sorted_asns(const struct bgp_asn_counts *t)
{
	uint32_t *asns = t->used ? malloc(t->used * sizeof(*asns)) : NULL;
	if (!asns)
		return NULL;
	size_t n = 0;
	for (size_t i = 0; i < t->size; i++)
		if (t->slots[i].count)
			asns[n++] = t->slots[i].asn;
	qsort(asns, n, sizeof(*asns), compare_asn);
	return asns;
}

static void note_as_set_cap(struct bgp_aggregate *agg, size_t count)
{
	bool capped = count > AS_SET_MAX_ASNS;
	if (capped && !agg->as_set_capped) {
		struct ip_addr addr = { .family = agg->prefix.family };
		char text[IP_ADDR_STRLEN];
		memcpy(addr.bytes, agg->prefix.addr, 16);
		log_warning("bgp: aggregate %s/%u: its contributors have %zu ASes, more than the %u an AS_SET "
			    "can carry in one message; the highest are left out and the aggregate carries "
			    "ATOMIC_AGGREGATE", ip_addr_format(&addr, text), agg->prefix.len, count,
			    AS_SET_MAX_ASNS);
	}
	agg->as_set_capped = capped;
}

/* The AS_SET segments of an as-set aggregate (RFC 4271 §4.3, §9.2.2.2) in a static buffer,
 * valid until the next call; an empty path when the contributors' paths are all empty. False
 * when memory is short. */
static bool as_set_path(struct bgp_aggregate *agg, struct bgp_as_path *out)
{
	*out = (struct bgp_as_path){ .data = NULL, .len = 0, .asn_size = 4 };
	size_t count = agg->asns.used;
	note_as_set_cap(agg, count);
	if (!count)
		return true;
	uint32_t *asns = sorted_asns(&agg->asns);
	if (!asns)
		return false;
	if (count > AS_SET_MAX_ASNS)
		count = AS_SET_MAX_ASNS;
	struct writer w = writer_make(as_set_path_buf, sizeof(as_set_path_buf));
	for (size_t at = 0; at < count; at += AS_SET_SEGMENT_MAX) {
		size_t n = count - at < AS_SET_SEGMENT_MAX ? count - at : AS_SET_SEGMENT_MAX;
		writer_u8(&w, BGP_AS_SET);
		writer_u8(&w, (uint8_t)n);
		for (size_t k = 0; k < n; k++)
			writer_u32(&w, asns[at + k]);
	}
	free(asns);
	if (!writer_ok(&w))
		return false;
	out->data = as_set_path_buf;
	out->len = (uint16_t)w.len;
	return true;
}

/* Announces (with the attributes its contributors give it) or withdraws the aggregate itself,
 * a locally originated path. An unchanged attribute set interns to the same copy, which the
 * decision run does not announce again. */
static void originate(struct bgp_speaker *speaker, struct bgp_aggregate *agg)
{
	struct bgp_rib *rib = speaker->rib;
	struct prefix n = agg->prefix;
	if (!agg->active) {
		bgp_rib_local_path(rib, &n, NULL);
		return;
	}
	struct bgp_attrs a;
	memset(&a, 0, sizeof(a));
	a.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH) | BGP_ATTR_BIT(BGP_ATTR_AGGREGATOR);
	a.origin = aggregate_origin(agg);
	a.aggregator_as = agg->aggregator_as;
	a.aggregator_addr = agg->aggregator_id;
	a.as_path = (struct bgp_as_path){ .data = NULL, .len = 0, .asn_size = 4 };
	/* Without as-set, path information is lost (§5.1.6). */
	bool atomic = true;
	if (agg->as_set && as_set_path(agg, &a.as_path))
		atomic = agg->atomic > 0 || agg->as_set_capped;
	if (atomic)
		a.present |= BGP_ATTR_BIT(BGP_ATTR_ATOMIC_AGGREGATE);
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

void bgp_aggregate_track(struct bgp_speaker *speaker, const struct bgp_route *r,
			 const struct bgp_path_attrs *old_best, const struct bgp_path_attrs *new_best)
{
	if (old_best == new_best)
		return;
	for (size_t i = 0; i < speaker->aggregate_count; i++) {
		struct bgp_aggregate *agg = &speaker->aggregates[i];
		if (!contains(agg, r))
			continue;
		struct aggregate_summary before = summary_of(agg);
		bool as_set_changed = false;
		if (old_best)
			as_set_changed |= count_contributor(agg, old_best, false);
		if (new_best)
			as_set_changed |= count_contributor(agg, new_best, true);
		if (as_set_changed || !summaries_equal(before, summary_of(agg)))
			agg->stale = true;
	}
}

void bgp_aggregate_refresh(struct bgp_speaker *speaker)
{
	for (size_t i = 0; i < speaker->aggregate_count; i++) {
		struct bgp_aggregate *agg = &speaker->aggregates[i];
		if (!agg->stale)
			continue;
		agg->stale = false;
		agg->active = agg->contributors > 0;
		originate(speaker, agg);
	}
}

static bool count_existing(void *arg, struct bgp_route *r)
{
	struct bgp_aggregate *agg = arg;
	if (r->best_valid && r->paths && contains(agg, r))
		count_contributor(agg, r->paths->attrs, true);
	return true;
}

/* A configured aggregate, counted afresh from a Loc-RIB with no decision pending. */
static void aggregate_count(struct bgp_speaker *speaker, struct bgp_aggregate *agg,
			    const struct config_bgp_aggregate *c)
{
	agg->prefix.family = c->prefix.family;
	agg->prefix.len = c->prefix.len;
	memcpy(agg->prefix.addr, c->prefix.addr, 16);
	agg->summary_only = c->summary_only;
	agg->as_set = c->as_set;
	agg->aggregator_as = speaker->local_as;
	agg->aggregator_id = speaker->router_id;
	bgp_rib_walk(speaker->rib, agg->prefix.family, count_existing, agg);
}

static void aggregate_stop(struct bgp_speaker *speaker, struct bgp_aggregate *agg)
{
	if (agg->active) {
		agg->active = false;
		originate(speaker, agg);
	}
	asn_counts_free(&agg->asns);
}

static bool same_configuration(const struct bgp_speaker *speaker, const struct config_bgp *bgp)
{
	if (speaker->aggregate_count != bgp->aggregate_count)
		return false;
	for (size_t i = 0; i < bgp->aggregate_count; i++) {
		const struct config_bgp_aggregate *c = &bgp->aggregates[i];
		const struct bgp_aggregate *a = &speaker->aggregates[i];
		if (a->prefix.len != c->prefix.len || a->prefix.family != c->prefix.family ||
		    memcmp(a->prefix.addr, c->prefix.addr, 16) || a->summary_only != c->summary_only ||
		    a->as_set != c->as_set)
			return false;
		/* RFC 4271 §5.1.7: AGGREGATOR names our AS and router ID as they are now */
		if (a->aggregator_as != speaker->local_as || a->aggregator_id != speaker->router_id)
			return false;
	}
	return true;
}

void bgp_aggregate_configure(struct bgp_speaker *speaker, const struct config_bgp *bgp)
{
	if (same_configuration(speaker, bgp))
		return;
	/* The new aggregates are counted while no decision is pending: each route counts as its
	 * best path is now, which is also what the next decision run takes out when it changes
	 * (the old aggregates withdrawn, the new ones originated). */
	bgp_rib_commit(speaker->rib);
	struct bgp_aggregate *fresh = NULL;
	size_t fresh_count = 0;
	if (bgp->aggregate_count) {
		fresh = calloc(bgp->aggregate_count, sizeof(*fresh));
		if (fresh)
			fresh_count = bgp->aggregate_count;
		else
			log_error("bgp: out of memory for aggregates");
	}
	for (size_t i = 0; i < fresh_count; i++)
		aggregate_count(speaker, &fresh[i], &bgp->aggregates[i]);
	/* Old aggregates are withdrawn, new ones originated (a prefix in both is decided once, in
	 * the commit below); then the suppressed set is brought from the old configuration's to
	 * the new one's. */
	struct bgp_aggregate *old = speaker->aggregates;
	size_t old_count = speaker->aggregate_count;
	for (size_t i = 0; i < old_count; i++)
		aggregate_stop(speaker, &old[i]);
	speaker->aggregates = fresh;
	speaker->aggregate_count = fresh_count;
	for (size_t i = 0; i < fresh_count; i++) {
		fresh[i].active = fresh[i].contributors > 0;
		if (fresh[i].active)
			originate(speaker, &fresh[i]);
	}
	if (any_summary_only(old, old_count) || any_summary_only(fresh, fresh_count)) {
		struct resuppress_ctx ctx = { speaker, old, old_count };
		bgp_rib_walk(speaker->rib, AF_INET, resuppress, &ctx);
		bgp_rib_walk(speaker->rib, AF_INET6, resuppress, &ctx);
	}
	free(old);
	bgp_rib_commit(speaker->rib);
}
