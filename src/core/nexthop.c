/*
 * DOC: next-hop tracking, a service of the core (see core.h).
 *
 * A tracker (BGP) asks how its next hops resolve (RFC 4271 §9.1.2: a route whose NEXT_HOP
 * does not resolve is no candidate, and the IGP metric to it is a step of the decision).
 * Every answer is remembered per tracker, keyed by address. After the table changed, the
 * settle pass resolves each remembered address again; if any answer differs (resolved or
 * not, metric, gateway, interface) the tracker is told once, and it asks again what it still
 * needs. The addresses it only asked about are forgotten at that moment (what it no longer
 * asks about it no longer needs); those its watch callback names (a peer's own address, whose
 * route decides fast external fallover and retries) are kept.
 *
 * An address asked about again while the table is changing may get a different answer than
 * the one remembered: then the tracker holds two answers for one address, and is told at the
 * next check whatever the table says by then.
 *
 * The watches live inline in an open-addressing table (keyed hash: the addresses come from
 * peers), not in lib/hash_table: that one chains elements the caller allocates, one block per
 * watch, and forgetting the asked-only addresses here is one rebuild that keeps the others.
 */
#include "core/core_internal.h"

#include <stdlib.h>

#include "lib/hash.h"
#include "lib/log.h"
#include "lib/memory.h"

static size_t slot_of(const struct core_nexthop_tracker *t, const struct ip_addr *addr)
{
	return (size_t)core_addr_hash(addr) & (t->size - 1);
}

static struct core_watch *watch_find(struct core_nexthop_tracker *t, const struct ip_addr *addr)
{
	if (!t->size)
		return NULL;
	for (size_t i = slot_of(t, addr);; i = (i + 1) & (t->size - 1)) {
		struct core_watch *w = &t->slots[i];
		if (!w->addr.family)
			return NULL;
		if (ip_addr_equal(&w->addr, addr))
			return w;
	}
}

static bool nexthop_equal(const struct core_nexthop *a, const struct core_nexthop *b)
{
	return a->ifindex == b->ifindex && a->gateway.family == b->gateway.family &&
	       (!a->gateway.family || ip_addr_equal(&a->gateway, &b->gateway));
}

/* Is the answer now the one the entry holds? */
static bool same_answer(const struct core_watch *w, bool resolved, uint32_t metric, const struct core_nexthop *nexthop)
{
	return w->resolved == resolved && w->metric == metric && nexthop_equal(&w->nexthop, nexthop);
}

static void watch_put(struct core_nexthop_tracker *t, const struct core_watch *w)
{
	size_t i = slot_of(t, &w->addr);
	while (t->slots[i].addr.family)
		i = (i + 1) & (t->size - 1);
	t->slots[i] = *w;
	t->count++;
}

/* Rebuilds the table at a size for count entries, keeping every entry or the explicit ones. */
static bool rebuild(struct core_nexthop_tracker *t, size_t count, bool explicit_only)
{
	size_t size = 16;
	while (size < count * 2)
		size *= 2;
	struct core_watch *slots = memory_calloc(MEMORY_CORE, size, sizeof(*slots));
	if (!slots)
		return false;
	struct core_watch *old = t->slots;
	size_t old_size = t->size;
	t->slots = slots;
	t->size = size;
	t->count = 0;
	for (size_t i = 0; i < old_size; i++)
		if (old[i].addr.family && (!explicit_only || old[i].explicit_watch))
			watch_put(t, &old[i]);
	memory_free(MEMORY_CORE, old);
	return true;
}

/* The entry of addr, made when missing (with the answer now); NULL when out of memory. */
static struct core_watch *watch_get(struct core_nexthop_tracker *t, const struct ip_addr *addr, bool *made)
{
	*made = false;
	struct core_watch *w = watch_find(t, addr);
	if (w)
		return w;
	if (t->count >= CORE_WATCHES_MAX) {
		if (!t->full_logged)
			log_warning("core: next-hop tracking full (%u addresses): changes of further next hops "
				    "are not told", CORE_WATCHES_MAX);
		t->full_logged = true;
		return NULL;
	}
	if ((t->count + 1) * 2 > t->size && !rebuild(t, t->count + 1, false))
		return NULL;
	struct core_watch fresh = { .addr = *addr };
	watch_put(t, &fresh);
	*made = true;
	return watch_find(t, addr);
}

struct core_nexthop_tracker *core_nexthop_track(struct core *core, const struct core_nexthop_tracker_ops *ops,
						void *ctx)
{
	struct core_nexthop_tracker *t = memory_calloc(MEMORY_CORE, 1, sizeof(*t));
	if (!t)
		return NULL;
	t->core = core;
	t->ops = ops;
	t->ctx = ctx;
	t->next = core->trackers;
	core->trackers = t;
	return t;
}

static void tracker_free(struct core_nexthop_tracker *t)
{
	memory_free(MEMORY_CORE, t->slots);
	memory_free(MEMORY_CORE, t);
}

static void sweep(struct core *core)
{
	if (core->checking)
		return;
	for (struct core_nexthop_tracker **pp = &core->trackers; *pp;) {
		struct core_nexthop_tracker *t = *pp;
		if (t->ops) {
			pp = &t->next;
			continue;
		}
		*pp = t->next;
		tracker_free(t);
	}
}

void core_nexthop_untrack(struct core_nexthop_tracker *t)
{
	if (!t)
		return;
	t->ops = NULL;
	sweep(t->core);
}

bool core_nexthop_resolve(struct core_nexthop_tracker *t, const struct ip_addr *next_hop, uint32_t *metric)
{
	struct core_nexthop nexthop;
	bool resolved = core_resolve_answer(t->core, next_hop, &nexthop, metric);
	bool made;
	struct core_watch *w = watch_get(t, next_hop, &made);
	if (!w)
		return resolved;
	if (made || w->fresh) {
		w->fresh = false;
		w->resolved = resolved;
		w->metric = *metric;
		w->nexthop = nexthop;
	} else if (!same_answer(w, resolved, *metric, &nexthop)) {
		w->mixed = true;
	}
	return resolved;
}

void core_nexthop_watch(struct core_nexthop_tracker *t, const struct ip_addr *addr)
{
	bool made;
	struct core_watch *w = watch_get(t, addr, &made);
	if (!w)
		return;
	/* Named before the tracker was told anything about it: the first check tells it. */
	if (made)
		w->fresh = true;
	w->explicit_watch = true;
}

/* Does any answer the tracker holds differ from the table now? The answers are brought up to
 * date. */
static bool answers_changed(struct core_nexthop_tracker *t)
{
	bool changed = false;
	for (size_t i = 0; i < t->size; i++) {
		struct core_watch *w = &t->slots[i];
		if (!w->addr.family)
			continue;
		struct core_nexthop nexthop;
		uint32_t metric;
		bool resolved = core_resolve_answer(t->core, &w->addr, &nexthop, &metric);
		if (w->fresh || w->mixed || !same_answer(w, resolved, metric, &nexthop))
			changed = true;
		w->fresh = w->mixed = false;
		w->resolved = resolved;
		w->metric = metric;
		w->nexthop = nexthop;
	}
	return changed;
}

bool core_nexthops_check(struct core *core)
{
	bool told = false;
	core->checking = true;
	for (struct core_nexthop_tracker *t = core->trackers; t; t = t->next) {
		if (!t->ops)
			continue;
		if (t->ops->watch)
			t->ops->watch(t->ctx, t);
		if (!answers_changed(t))
			continue;
		/* What it only asked about it asks about again, if it still needs it. */
		rebuild(t, t->count, true);
		t->ops->changed(t->ctx);
		told = true;
	}
	core->checking = false;
	sweep(core);
	return told;
}

void core_nexthops_free(struct core *core)
{
	for (struct core_nexthop_tracker *t = core->trackers, *next; t; t = next) {
		next = t->next;
		tracker_free(t);
	}
	core->trackers = NULL;
}
