/*
 * DOC: the routes OSPF redistributes (AS-external LSAs, §12.4.4), kept by prefix.
 *
 * One entry per prefix in a hash table keyed by network address and length, so that a change
 * of one route costs a lookup, not a walk of every external: ternd follows the core's change
 * events one prefix at a time (ospf/redistribute.c). A change notes the prefix's network
 * address in externals_changed; origination (originate.c) then looks again only at the LSAs
 * that address can have - the prefix's own and those whose Appendix E link state ID depends
 * on it (the longer prefixes of the same network address).
 */
#include "ospf/internal.h"

#include <stdlib.h>
#include <string.h>

#include "lib/prefix.h"

/* At most as many network addresses noted between two runs as there are externals; past
 * that, everything is looked at again. */
#define OSPF_EXTERNALS_CHANGED_MAX 65536

static uint64_t entry_hash(const void *element)
{
	const struct ospf_external_entry *e = element;
	return prefix_hash_keyed(&e->x.prefix);
}

void ospf_externals_init(struct ospf *o)
{
	hash_table_init(&o->externals, MEMORY_OSPF, offsetof(struct ospf_external_entry, hash_next), entry_hash, NULL);
	array_init(&o->externals_changed, MEMORY_OSPF, sizeof(uint32_t), OSPF_EXTERNALS_CHANGED_MAX);
	o->externals_all = true;
}

void ospf_externals_free(struct ospf *o)
{
	for (size_t i = 0; i < o->externals.size; i++) {
		struct ospf_external_entry *e = hash_table_take_bucket(&o->externals, i);
		while (e) {
			struct ospf_external_entry *next = e->hash_next;
			memory_free(MEMORY_OSPF, e);
			e = next;
		}
	}
	hash_table_free(&o->externals);
	array_free(&o->externals_changed);
}

/* p: IPv4, host bits zero (the set's key). */
static struct ospf_external_entry *entry_find(const struct ospf *o, const struct prefix *p)
{
	for (struct ospf_external_entry *e = hash_table_first(&o->externals, prefix_hash_keyed(p)); e; e = e->hash_next)
		if (prefix_equal(&e->x.prefix, p))
			return e;
	return NULL;
}

const struct ospf_external *ospf_external_at(const struct ospf *o, uint32_t net, uint8_t len)
{
	struct prefix p = prefix_from_v4(net, len);
	struct ospf_external_entry *e = entry_find(o, &p);
	return e ? &e->x : NULL;
}

/* The set's key of an IPv4 prefix: host bits cleared; false for anything else. */
static bool key_of(const struct prefix *prefix, struct prefix *key)
{
	if (prefix->family != AF_INET || prefix->len > 32)
		return false;
	*key = prefix_from_v4(prefix_v4(prefix), prefix->len);
	return true;
}

const struct ospf_external *ospf_external_find(const struct ospf *o, const struct prefix *prefix)
{
	struct prefix key;
	struct ospf_external_entry *e = key_of(prefix, &key) ? entry_find(o, &key) : NULL;
	return e ? &e->x : NULL;
}

size_t ospf_external_count(const struct ospf *o)
{
	return o->externals.count;
}

void ospf_external_walk(const struct ospf *o, void (*fn)(void *ctx, const struct ospf_external *x), void *ctx)
{
	struct hash_table_iter it;
	hash_table_iter_init(&o->externals, &it);
	struct ospf_external_entry *e;
	while ((e = hash_table_iter_next(&o->externals, &it)) != NULL)
		fn(ctx, &e->x);
}

void ospf_schedule_externals(struct ospf *o)
{
	o->externals_all = true;
	array_clear(&o->externals_changed);
	ospf_schedule_originate(o);
}

static void note_changed(struct ospf *o, const struct prefix *key)
{
	if (o->externals_all)
		return;
	uint32_t *slot = array_push(&o->externals_changed);
	if (slot)
		*slot = prefix_v4(key);
	else
		ospf_schedule_externals(o);
}

bool ospf_external_set(struct ospf *o, const struct ospf_external *x)
{
	struct prefix key;
	if (!key_of(&x->prefix, &key))
		return false;
	struct ospf_external_entry *e = entry_find(o, &key);
	if (e) {
		if (e->x.metric == x->metric && e->x.type1 == x->type1)
			return true;
		e->x.metric = x->metric;
		e->x.type1 = x->type1;
		note_changed(o, &key);
		return true;
	}
	if (o->externals.count >= OSPF_EXTERNALS_MAX)
		return false;
	e = memory_alloc(MEMORY_OSPF, sizeof(*e));
	if (!e)
		return false;
	*e = (struct ospf_external_entry){ .x = *x };
	e->x.prefix = key;
	if (!hash_table_insert(&o->externals, e, prefix_hash_keyed(&key))) {
		memory_free(MEMORY_OSPF, e);
		return false;
	}
	note_changed(o, &key);
	return true;
}

void ospf_external_remove(struct ospf *o, const struct prefix *prefix)
{
	struct prefix key;
	struct ospf_external_entry *e = key_of(prefix, &key) ? entry_find(o, &key) : NULL;
	if (!e)
		return;
	hash_table_remove(&o->externals, e, prefix_hash_keyed(&key));
	memory_free(MEMORY_OSPF, e);
	note_changed(o, &key);
}

void ospf_set_asbr(struct ospf *o, bool asbr)
{
	if (o->opt.asbr == asbr)
		return;
	o->opt.asbr = asbr;
	ospf_schedule_originate(o); /* the router LSAs' E bit */
}

static int by_prefix(const void *a, const void *b)
{
	const struct ospf_external *x = a, *y = b;
	return prefix_compare(&x->prefix, &y->prefix);
}

struct externals_sweep {
	const struct ospf_external *wanted; /* sorted by prefix */
	size_t count;
	struct array gone;                  /* of struct ospf_external: in the set, not wanted */
};

static void sweep_one(void *ctx, const struct ospf_external *x)
{
	struct externals_sweep *s = ctx;
	if (s->count && bsearch(x, s->wanted, s->count, sizeof(*x), by_prefix))
		return;
	struct ospf_external *g = array_push(&s->gone);
	if (g)
		*g = *x;
}

/* The whole set at once: what is not listed goes first, so that what comes finds room under
 * the cap; then each listed one is added or replaced (unchanged ones cost nothing). */
void ospf_set_externals(struct ospf *o, const struct ospf_external *ext, size_t count, bool asbr, uint64_t now)
{
	(void)now;
	struct array sorted;
	array_init(&sorted, MEMORY_OSPF, sizeof(struct ospf_external), OSPF_EXTERNALS_MAX);
	if (count && array_reserve(&sorted, count) == ARRAY_OK) {
		struct ospf_external *keyed = sorted.items;
		for (size_t i = 0; i < count; i++) {
			keyed[i] = ext[i];
			if (!key_of(&ext[i].prefix, &keyed[i].prefix))
				keyed[i].prefix = (struct prefix){ 0 };
		}
		sorted.count = count;
		qsort(keyed, count, sizeof(*keyed), by_prefix);
	}
	struct externals_sweep s = { .wanted = sorted.items, .count = sorted.count };
	array_init(&s.gone, MEMORY_OSPF, sizeof(struct ospf_external), OSPF_EXTERNALS_MAX);
	ospf_external_walk(o, sweep_one, &s);
	for (size_t i = 0; i < s.gone.count; i++) {
		const struct ospf_external *g = array_at(&s.gone, i);
		ospf_external_remove(o, &g->prefix);
	}
	array_free(&s.gone);
	array_free(&sorted);
	for (size_t i = 0; i < count; i++)
		ospf_external_set(o, &ext[i]);
	ospf_set_asbr(o, asbr);
	ospf_schedule_originate(o);
}
