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

#include "lib/hash.h"

/* At most as many network addresses noted between two runs as there are externals; past
 * that, everything is looked at again. */
#define OSPF_EXTERNALS_CHANGED_MAX 65536

static uint64_t key_hash(uint32_t net, uint8_t len)
{
	return hash_keyed_short((uint64_t)net | (uint64_t)len << 32, 5);
}

static uint64_t entry_hash(const void *element)
{
	const struct ospf_external_entry *e = element;
	return key_hash(e->x.prefix & ospf_mask_of(e->x.len), e->x.len);
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

static struct ospf_external_entry *entry_find(const struct ospf *o, uint32_t net, uint8_t len)
{
	for (struct ospf_external_entry *e = hash_table_first(&o->externals, key_hash(net, len)); e; e = e->hash_next)
		if (e->x.len == len && (e->x.prefix & ospf_mask_of(len)) == net)
			return e;
	return NULL;
}

const struct ospf_external *ospf_external_at(const struct ospf *o, uint32_t net, uint8_t len)
{
	struct ospf_external_entry *e = entry_find(o, net, len);
	return e ? &e->x : NULL;
}

const struct ospf_external *ospf_external_find(const struct ospf *o, uint32_t prefix, uint8_t len)
{
	return len <= 32 ? ospf_external_at(o, prefix & ospf_mask_of(len), len) : NULL;
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

static void note_changed(struct ospf *o, uint32_t net)
{
	if (o->externals_all)
		return;
	uint32_t *slot = array_push(&o->externals_changed);
	if (slot)
		*slot = net;
	else
		ospf_schedule_externals(o);
}

bool ospf_external_set(struct ospf *o, const struct ospf_external *x)
{
	if (x->len > 32)
		return false;
	uint32_t net = x->prefix & ospf_mask_of(x->len);
	struct ospf_external_entry *e = entry_find(o, net, x->len);
	if (e) {
		if (e->x.prefix == x->prefix && e->x.metric == x->metric && e->x.type1 == x->type1)
			return true;
		e->x = *x;
		note_changed(o, net);
		return true;
	}
	if (o->externals.count >= OSPF_EXTERNALS_MAX)
		return false;
	e = memory_alloc(MEMORY_OSPF, sizeof(*e));
	if (!e)
		return false;
	*e = (struct ospf_external_entry){ .x = *x };
	if (!hash_table_insert(&o->externals, e, key_hash(net, x->len))) {
		memory_free(MEMORY_OSPF, e);
		return false;
	}
	note_changed(o, net);
	return true;
}

void ospf_external_remove(struct ospf *o, uint32_t prefix, uint8_t len)
{
	if (len > 32)
		return;
	uint32_t net = prefix & ospf_mask_of(len);
	struct ospf_external_entry *e = entry_find(o, net, len);
	if (!e)
		return;
	hash_table_remove(&o->externals, e, key_hash(net, len));
	memory_free(MEMORY_OSPF, e);
	note_changed(o, net);
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
	uint32_t nx = x->prefix & ospf_mask_of(x->len), ny = y->prefix & ospf_mask_of(y->len);
	if (nx != ny)
		return nx < ny ? -1 : 1;
	return x->len < y->len ? -1 : x->len > y->len;
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
		memcpy(sorted.items, ext, count * sizeof(*ext));
		sorted.count = count;
		qsort(sorted.items, count, sizeof(*ext), by_prefix);
	}
	struct externals_sweep s = { .wanted = sorted.items, .count = sorted.count };
	array_init(&s.gone, MEMORY_OSPF, sizeof(struct ospf_external), OSPF_EXTERNALS_MAX);
	ospf_external_walk(o, sweep_one, &s);
	for (size_t i = 0; i < s.gone.count; i++) {
		const struct ospf_external *g = array_at(&s.gone, i);
		ospf_external_remove(o, g->prefix, g->len);
	}
	array_free(&s.gone);
	array_free(&sorted);
	for (size_t i = 0; i < count; i++)
		ospf_external_set(o, &ext[i]);
	ospf_set_asbr(o, asbr);
	ospf_schedule_originate(o);
}
