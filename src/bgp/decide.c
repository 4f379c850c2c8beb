/*
 * DOC: best-path selection: RFC 4271 §9.1.2.2 in the order IOS applies it.
 *
 *   1. highest weight (locally originated routes 32768, learned ones 0)
 *   2. highest LOCAL_PREF (100 when absent)
 *   3. locally originated
 *   4. shortest AS_PATH (AS_SET counts 1, confederation segments 0)
 *   5. lowest ORIGIN (IGP < EGP < incomplete)
 *   6. lowest MED, only between paths from the same neighbouring AS
 *      (unless bgp always-compare-med); a missing MED is 0 (RFC 4271 §9.1.2.2 c)
 *   7. eBGP over iBGP
 *   8. lowest IGP metric to the next hop
 *   9. lowest BGP Identifier of the advertising router, ORIGINATOR_ID when present
 *      (RFC 4456 §9)
 *  10. shortest CLUSTER_LIST (RFC 4456 §9)
 *  11. lowest neighbour address
 * Whether a path is a candidate at all (its next hop resolves) is decided by the caller.
 */
#include "bgp/internal.h"

#include <stdlib.h>
#include <string.h>

#define BGP_WEIGHT_LOCAL 32768

static uint32_t path_weight(const struct bgp_path *p)
{
	return p->peer ? 0 : BGP_WEIGHT_LOCAL;
}

static uint32_t path_router_id(const struct bgp_path *p)
{
	if (p->attrs->flags & BGP_PA_ORIGINATOR_ID)
		return p->attrs->originator_id;
	return p->peer ? p->peer->session.remote_id : 0;
}

#define PREFER(cond_a_better, cond_b_better, why)                                              \
	do {                                                                                   \
		if (cond_a_better) {                                                           \
			if (reason)                                                            \
				*reason = why;                                                 \
			return -1;                                                             \
		}                                                                              \
		if (cond_b_better) {                                                           \
			if (reason)                                                            \
				*reason = why;                                                 \
			return 1;                                                              \
		}                                                                              \
	} while (0)

int bgp_path_compare(const struct bgp_path *a, const struct bgp_path *b, const char **reason)
{
	const struct bgp_path_attrs *x = a->attrs, *y = b->attrs;
	uint32_t wa = path_weight(a), wb = path_weight(b);
	PREFER(wa > wb, wb > wa, "weight");
	PREFER(x->local_pref > y->local_pref, y->local_pref > x->local_pref, "local preference");
	PREFER(!a->peer && b->peer, a->peer && !b->peer, "locally originated");
	PREFER(x->as_path_length < y->as_path_length, y->as_path_length < x->as_path_length, "AS path length");
	PREFER(x->origin < y->origin, y->origin < x->origin, "origin");
	bool compare_med = x->neighbor_as == y->neighbor_as;
	if (a->peer && a->peer->speaker->always_compare_med)
		compare_med = true;
	if (compare_med)
		PREFER(x->med < y->med, y->med < x->med, "MED");
	bool ebgp_a = a->peer && !a->peer->ibgp, ebgp_b = b->peer && !b->peer->ibgp;
	PREFER(ebgp_a && !ebgp_b, ebgp_b && !ebgp_a, "eBGP over iBGP");
	PREFER(x->igp_metric < y->igp_metric, y->igp_metric < x->igp_metric, "IGP metric to the next hop");
	uint32_t ida = path_router_id(a), idb = path_router_id(b);
	PREFER(ida < idb, idb < ida, "router ID");
	PREFER(x->cluster_list_length < y->cluster_list_length, y->cluster_list_length < x->cluster_list_length,
	       "cluster list length");
	if (a->peer && b->peer) {
		int c = ip_addr_compare(&a->peer->config.addr, &b->peer->config.addr);
		PREFER(c < 0, c > 0, "neighbor address");
	}
	if (reason)
		*reason = "identical";
	return 0;
}

/* Keeps in set the paths for which keep() is true, unless that would leave none. */
static size_t filter(struct bgp_path **set, size_t count, bool (*keep)(const struct bgp_path *, const void *),
		     const void *arg)
{
	size_t kept = 0;
	for (size_t i = 0; i < count; i++)
		if (keep(set[i], arg))
			set[kept++] = set[i];
	return kept ? kept : count;
}

#define BEST_BY(field_expr, better)                                                            \
	do {                                                                                   \
		uint64_t best_value = 0;                                                       \
		for (size_t i = 0; i < count; i++) {                                           \
			const struct bgp_path *p = set[i];                                     \
			uint64_t v = (field_expr);                                             \
			if (i == 0 || v better best_value)                                     \
				best_value = v;                                                \
		}                                                                              \
		size_t kept = 0;                                                               \
		for (size_t i = 0; i < count; i++) {                                           \
			const struct bgp_path *p = set[i];                                     \
			if ((uint64_t)(field_expr) == best_value)                              \
				set[kept++] = set[i];                                          \
		}                                                                              \
		count = kept;                                                                  \
	} while (0)

static bool med_not_beaten(const struct bgp_path *p, const void *arg)
{
	const struct { struct bgp_path **set; size_t count; bool always; } *ctx = arg;
	for (size_t i = 0; i < ctx->count; i++) {
		const struct bgp_path *q = ctx->set[i];
		if ((ctx->always || q->attrs->neighbor_as == p->attrs->neighbor_as) && q->attrs->med < p->attrs->med)
			return false;
	}
	return true;
}

struct bgp_path *bgp_path_select(struct bgp_path **set, size_t count, bool always_compare_med)
{
	if (count == 1)
		return set[0];
	BEST_BY(path_weight(p), >);
	BEST_BY(p->attrs->local_pref, >);
	BEST_BY(p->peer ? 0u : 1u, >);                      /* locally originated */
	BEST_BY(p->attrs->as_path_length, <);
	BEST_BY(p->attrs->origin, <);
	/* RFC 4271 §9.1.2.2 c: a path loses to a lower MED from the same neighbouring AS */
	struct bgp_path *stack[64], **copy = count <= 64 ? stack : malloc(count * sizeof(*copy));
	if (copy) {
		memcpy(copy, set, count * sizeof(*copy));
		struct { struct bgp_path **set; size_t count; bool always; } ctx = { copy, count, always_compare_med };
		count = filter(set, count, med_not_beaten, &ctx);
		if (copy != stack)
			free(copy);
	}
	BEST_BY(p->peer && !p->peer->ibgp ? 1u : 0u, >);    /* eBGP over iBGP */
	BEST_BY(p->attrs->igp_metric, <);
	BEST_BY(path_router_id(p), <);
	BEST_BY(p->attrs->cluster_list_length, <);
	struct bgp_path *best = set[0];
	for (size_t i = 1; i < count; i++)
		if (set[i]->peer && best->peer && ip_addr_compare(&set[i]->peer->config.addr, &best->peer->config.addr) < 0)
			best = set[i];
	return best;
}
