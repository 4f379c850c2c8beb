/*
 * DOC: redistribution into OSPF, one prefix at a time (see ospf/redistribute.h).
 *
 * What one prefix becomes (wanted) is decided from the core alone - which protocol wins it
 * among the stored routes, whether BGP's source has a route for it that was not originated
 * here - so a change event's prefix can be judged again without walking anything. The
 * recompute walks the same tables in the same order (connected, static, BGP, the default
 * route) and keeps the first route of each prefix, so that both give the same set.
 */
#include "ospf/redistribute.h"

#include <stdlib.h>
#include <sys/socket.h>

#include "lib/log.h"

void ospf_redistribution_init(struct ospf_redistribution *r, struct core *core)
{
	*r = (struct ospf_redistribution){ .core = core, .max_externals = OSPF_EXTERNALS_MAX };
	core_noted_init(&r->noted, MEMORY_OSPF);
}

void ospf_redistribution_free(struct ospf_redistribution *r)
{
	core_noted_free(&r->noted);
}

static int classful_len(uint32_t a)
{
	return a < 0x80000000u ? 8 : a < 0xc0000000u ? 16 : a < 0xe0000000u ? 24 : 32;
}

/* `redistribute bgp [AS]` takes BGP's routes when BGP runs as that AS. */
static bool bgp_taken(const struct config *config)
{
	const struct config_ospf_redistribute *how = &config->ospf.redistribute_bgp;
	return how->enabled && config->bgp.enabled && (!how->asn || how->asn == config->bgp.asn);
}

/* IOS: without `subnets` only classful networks are redistributed. */
static bool taken(const struct config_ospf_redistribute *how, uint32_t prefix, uint8_t len)
{
	return how->subnets || len == classful_len(prefix);
}

static struct ospf_external external_of(const struct config_ospf_redistribute *how, const struct prefix *p)
{
	return (struct ospf_external){ *p, how->has_metric ? how->metric : 20, how->metric_type == 1 };
}

/* The default route's external of `default-information originate` (metric 1, type 2), when
 * the table has a default route that is not OSPF's. */
static bool default_wanted(struct core *core, const struct config *config)
{
	if (!config->ospf.default_information_originate)
		return false;
	struct prefix def = { .family = AF_INET, .len = 0 };
	enum core_protocol protocol;
	return core_has_prefix(core, &def, &protocol, NULL) && protocol != CORE_PROTO_OSPF;
}

/* What one prefix becomes: the first protocol (in the walk's order) that gives it. */
static bool wanted(struct core *core, const struct config *config, const struct prefix *p,
		   struct ospf_external *out)
{
	const struct config_ospf *o = &config->ospf;
	uint32_t prefix = prefix_v4(p);
	static const enum core_protocol order[] = { CORE_PROTO_CONNECTED, CORE_PROTO_STATIC, CORE_PROTO_BGP };
	const struct config_ospf_redistribute *hows[] = { &o->redistribute_connected, &o->redistribute_static,
							  &o->redistribute_bgp };
	for (size_t i = 0; i < 3; i++) {
		bool on = order[i] == CORE_PROTO_BGP ? bgp_taken(config) : hows[i]->enabled;
		if (on && taken(hows[i], prefix, p->len) && core_redistributable(core, order[i], p, NULL)) {
			*out = external_of(hows[i], p);
			return true;
		}
	}
	if (p->len == 0 && default_wanted(core, config)) {
		*out = (struct ospf_external){ *p, 1, false };
		return true;
	}
	return false;
}

bool ospf_redistribution_event(struct ospf_redistribution *r, const struct config *config,
			       const struct core_event *event)
{
	if (!config || event->prefix->family != AF_INET)
		return false;
	const struct config_ospf *o = &config->ospf;
	uint32_t taken = (o->redistribute_connected.enabled ? CORE_PROTO_BIT(CORE_PROTO_CONNECTED) : 0) |
			 (o->redistribute_static.enabled ? CORE_PROTO_BIT(CORE_PROTO_STATIC) : 0) |
			 (o->redistribute_bgp.enabled ? CORE_PROTO_BIT(CORE_PROTO_BGP) : 0);
	/* default-information follows the default route's winner, whichever protocol it is */
	bool relevant = core_event_touches(event, taken) ||
			(event->kind == CORE_EVENT_WINNER && event->prefix->len == 0 && o->default_information_originate);
	if (relevant)
		core_noted_add(&r->noted, event->prefix);
	return relevant;
}

static void log_cap(struct ospf_redistribution *r)
{
	if (r->cap_logged)
		return;
	r->cap_logged = true;
	log_warning("ospf %u: more than %zu routes to redistribute; the rest are not", r->process,
		    r->max_externals);
}

void ospf_redistribution_apply(struct ospf_redistribution *r, struct ospf *ospf, const struct config *config)
{
	if (r->noted.overflow) {
		ospf_redistribution_recompute(r, ospf, config);
		return;
	}
	bool recompute = false;
	for (size_t i = 0; i < r->noted.prefixes.count; i++) {
		const struct prefix *p = array_at(&r->noted.prefixes, i);
		struct ospf_external want;
		if (wanted(r->core, config, p, &want)) {
			if (!ospf_external_find(ospf, p) && ospf_external_count(ospf) >= r->max_externals) {
				r->left_out = true;
				log_cap(r);
			} else {
				ospf_external_set(ospf, &want);
			}
		} else if (ospf_external_find(ospf, p)) {
			ospf_external_remove(ospf, p);
			recompute = recompute || r->left_out; /* a route left out may take the place */
		}
	}
	core_noted_clear(&r->noted);
	if (recompute)
		ospf_redistribution_recompute(r, ospf, config);
}

/* ---- the recompute ---- */

struct listed {
	struct ospf_external x;
	uint32_t order; /* in the walk: the first of a prefix wins, the first max_externals stay */
};

/* The recompute compacts its listings into externals in place. */
_Static_assert(sizeof(struct ospf_external) <= sizeof(struct listed), "an external fits in its listing");

struct walk {
	struct array listed; /* of struct listed */
	const struct config_ospf_redistribute *how;
	bool full;           /* the listing reached its cap: more than max_externals prefixes */
};

/* A prefix is listed at most three times (a stored protocol's winner, BGP's route, the
 * default route's external), so twice the cap and two more hold max_externals distinct
 * prefixes at least. */
static size_t listed_max(const struct ospf_redistribution *r)
{
	return 2 * r->max_externals + 2;
}

static void list(struct walk *w, const struct ospf_external *x)
{
	size_t order = w->listed.count;
	struct listed *l = array_push(&w->listed);
	if (l)
		*l = (struct listed){ *x, (uint32_t)order };
	else
		w->full = true;
}

static void walk_one(void *ctx, const struct prefix *p, uint32_t metric)
{
	struct walk *w = ctx;
	(void)metric;
	if (p->family != AF_INET)
		return;
	uint32_t prefix = prefix_v4(p);
	if (!taken(w->how, prefix, p->len))
		return;
	struct ospf_external x = external_of(w->how, p);
	list(w, &x);
}

static int by_prefix(const void *a, const void *b)
{
	const struct listed *x = a, *y = b;
	int cmp = prefix_compare(&x->x.prefix, &y->x.prefix);
	if (cmp)
		return cmp;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int by_order(const void *a, const void *b)
{
	const struct listed *x = a, *y = b;
	return x->order < y->order ? -1 : x->order > y->order;
}

void ospf_redistribution_recompute(struct ospf_redistribution *r, struct ospf *ospf, const struct config *config)
{
	core_noted_clear(&r->noted);
	const struct config_ospf *o = &config->ospf;
	struct walk w = { 0 };
	array_init(&w.listed, MEMORY_OSPF, sizeof(struct listed), listed_max(r));
	if (o->redistribute_connected.enabled) {
		w.how = &o->redistribute_connected;
		core_walk_protocol(r->core, CORE_PROTO_CONNECTED, walk_one, &w);
	}
	if (o->redistribute_static.enabled) {
		w.how = &o->redistribute_static;
		core_walk_protocol(r->core, CORE_PROTO_STATIC, walk_one, &w);
	}
	if (bgp_taken(config)) {
		/* BGP's best paths learned from peers (the core's BGP source) */
		w.how = &o->redistribute_bgp;
		core_walk_protocol(r->core, CORE_PROTO_BGP, walk_one, &w);
	}
	if (default_wanted(r->core, config))
		list(&w, &(struct ospf_external){ { .family = AF_INET, .len = 0 }, 1, false });

	/* the first listing of each prefix */
	struct listed *listed = w.listed.items;
	size_t count = w.listed.count, kept = 0;
	if (count)
		qsort(listed, count, sizeof(*listed), by_prefix);
	for (size_t i = 0; i < count; i++)
		if (!kept || !prefix_equal(&listed[kept - 1].x.prefix, &listed[i].x.prefix))
			listed[kept++] = listed[i];
	/* the cap: the first max_externals prefixes of the walk */
	r->left_out = w.full || kept > r->max_externals;
	r->cap_logged = false;
	if (kept > r->max_externals) {
		qsort(listed, kept, sizeof(*listed), by_order);
		kept = r->max_externals;
	}
	if (r->left_out)
		log_cap(r);

	/* the set handed over whole (the difference is applied, what went first), compacted in
	 * place: each external is no larger than its listing, so none is overwritten unread */
	struct ospf_external *externals = w.listed.items;
	for (size_t i = 0; i < kept; i++) {
		struct ospf_external x = listed[i].x;
		externals[i] = x;
	}
	ospf_set_externals(ospf, externals, kept,
			   o->redistribute_connected.enabled || o->redistribute_static.enabled ||
				   o->redistribute_bgp.enabled || o->default_information_originate,
			   0);
	array_free(&w.listed);
}
