/*
 * DOC: the policy model (copy, compare, look up) and its evaluation (see policy.h).
 */
#include "policy/policy.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/memory.h"

void policy_config_init(struct policy_config *p)
{
	memset(p, 0, sizeof(*p));
}

void policy_config_free(struct policy_config *p)
{
	for (size_t i = 0; i < p->prefix_list_count; i++)
		memory_free(MEMORY_POLICY, p->prefix_lists[i].entries);
	for (size_t i = 0; i < p->route_map_count; i++)
		memory_free(MEMORY_POLICY, p->route_maps[i].entries);
	for (size_t i = 0; i < p->community_list_count; i++)
		memory_free(MEMORY_POLICY, p->community_lists[i].entries);
	memory_free(MEMORY_POLICY, p->prefix_lists);
	memory_free(MEMORY_POLICY, p->route_maps);
	memory_free(MEMORY_POLICY, p->community_lists);
	policy_config_init(p);
}

static void *dup_array(const void *src, size_t count, size_t size, bool *ok)
{
	if (!count || !*ok)
		return NULL;
	void *dst = memory_alloc(MEMORY_POLICY, count * size);
	if (!dst) {
		*ok = false;
		return NULL;
	}
	memcpy(dst, src, count * size);
	return dst;
}

bool policy_config_copy(struct policy_config *dst, const struct policy_config *src)
{
	bool ok = true;
	policy_config_init(dst);
	dst->prefix_lists = dup_array(src->prefix_lists, src->prefix_list_count, sizeof(*src->prefix_lists), &ok);
	dst->prefix_list_count = ok ? src->prefix_list_count : 0;
	for (size_t i = 0; i < dst->prefix_list_count; i++) {
		struct policy_prefix_list *l = &dst->prefix_lists[i];
		l->entries = dup_array(l->entries, l->count, sizeof(*l->entries), &ok);
		if (!l->entries)
			l->count = 0;
	}
	dst->route_maps = dup_array(src->route_maps, src->route_map_count, sizeof(*src->route_maps), &ok);
	dst->route_map_count = ok ? src->route_map_count : 0;
	for (size_t i = 0; i < dst->route_map_count; i++) {
		struct policy_route_map *m = &dst->route_maps[i];
		m->entries = dup_array(m->entries, m->count, sizeof(*m->entries), &ok);
		if (!m->entries)
			m->count = 0;
	}
	dst->community_lists = dup_array(src->community_lists, src->community_list_count,
					 sizeof(*src->community_lists), &ok);
	dst->community_list_count = ok ? src->community_list_count : 0;
	for (size_t i = 0; i < dst->community_list_count; i++) {
		struct policy_community_list *l = &dst->community_lists[i];
		l->entries = dup_array(l->entries, l->count, sizeof(*l->entries), &ok);
		if (!l->entries)
			l->count = 0;
	}
	if (!ok)
		policy_config_free(dst);
	return ok;
}

static bool prefix_entry_equal(const struct policy_prefix_entry *a, const struct policy_prefix_entry *b)
{
	return a->seq == b->seq && a->permit == b->permit && a->family == b->family && a->len == b->len &&
	       a->ge == b->ge && a->le == b->le && !memcmp(a->addr, b->addr, 16);
}

bool policy_prefix_list_same(const struct policy_prefix_list *a, const struct policy_prefix_list *b)
{
	if (!a || !b)
		return a == b;
	if (strcmp(a->name, b->name) || a->count != b->count)
		return false;
	for (size_t i = 0; i < a->count; i++)
		if (!prefix_entry_equal(&a->entries[i], &b->entries[i]))
			return false;
	return true;
}

static bool community_list_same(const struct policy_community_list *a, const struct policy_community_list *b)
{
	if (!a || !b)
		return a == b;
	if (strcmp(a->name, b->name) || a->count != b->count)
		return false;
	for (size_t i = 0; i < a->count; i++) {
		const struct policy_community_entry *x = &a->entries[i], *y = &b->entries[i];
		if (x->permit != y->permit || x->count != y->count ||
		    memcmp(x->communities, y->communities, x->count * sizeof(x->communities[0])))
			return false;
	}
	return true;
}

static bool route_map_entry_equal(const struct policy_route_map_entry *a, const struct policy_route_map_entry *b)
{
	return a->seq == b->seq && a->permit == b->permit && !strcmp(a->match_prefix_list, b->match_prefix_list) &&
	       !strcmp(a->match_community, b->match_community) && a->set == b->set &&
	       a->local_pref == b->local_pref && a->metric == b->metric &&
	       a->community_count == b->community_count && a->prepend_count == b->prepend_count &&
	       !memcmp(a->communities, b->communities, a->community_count * sizeof(a->communities[0])) &&
	       !memcmp(a->prepend, b->prepend, a->prepend_count * sizeof(a->prepend[0]));
}

static bool route_map_equal(const struct policy_route_map *a, const struct policy_route_map *b)
{
	if (strcmp(a->name, b->name) || a->count != b->count)
		return false;
	for (size_t i = 0; i < a->count; i++)
		if (!route_map_entry_equal(&a->entries[i], &b->entries[i]))
			return false;
	return true;
}

bool policy_prefix_lists_equal(const struct policy_config *a, const struct policy_config *b)
{
	if (a->prefix_list_count != b->prefix_list_count)
		return false;
	for (size_t i = 0; i < a->prefix_list_count; i++)
		if (!policy_prefix_list_same(&a->prefix_lists[i], &b->prefix_lists[i]))
			return false;
	return true;
}

bool policy_route_maps_equal(const struct policy_config *a, const struct policy_config *b)
{
	if (a->route_map_count != b->route_map_count)
		return false;
	for (size_t i = 0; i < a->route_map_count; i++)
		if (!route_map_equal(&a->route_maps[i], &b->route_maps[i]))
			return false;
	return true;
}

bool policy_community_lists_equal(const struct policy_config *a, const struct policy_config *b)
{
	if (a->community_list_count != b->community_list_count)
		return false;
	for (size_t i = 0; i < a->community_list_count; i++)
		if (!community_list_same(&a->community_lists[i], &b->community_lists[i]))
			return false;
	return true;
}

bool policy_config_equal(const struct policy_config *a, const struct policy_config *b)
{
	return policy_prefix_lists_equal(a, b) && policy_route_maps_equal(a, b) &&
	       policy_community_lists_equal(a, b);
}

bool policy_route_map_same(const struct policy_config *pa, const struct policy_route_map *a,
			   const struct policy_config *pb, const struct policy_route_map *b)
{
	if (!a || !b)
		return a == b;
	if (!route_map_equal(a, b))
		return false;
	for (size_t i = 0; i < a->count; i++) {
		const struct policy_route_map_entry *e = &a->entries[i];
		if (e->match_prefix_list[0] &&
		    !policy_prefix_list_same(policy_prefix_list_find(pa, e->match_prefix_list),
					     policy_prefix_list_find(pb, e->match_prefix_list)))
			return false;
		if (e->match_community[0] &&
		    !community_list_same(policy_community_list_find(pa, e->match_community),
					 policy_community_list_find(pb, e->match_community)))
			return false;
	}
	return true;
}

/* Binary search over an array sorted by its leading name field. */
static void *find_named(const void *base, size_t count, size_t size, const char *name)
{
	size_t low = 0, high = count;
	while (low < high) {
		size_t mid = low + (high - low) / 2;
		const char *at = (const char *)base + mid * size;
		int cmp = strcmp(at, name);
		if (!cmp)
			return (void *)(uintptr_t)at;
		if (cmp < 0)
			low = mid + 1;
		else
			high = mid;
	}
	return NULL;
}

struct policy_prefix_list *policy_prefix_list_find(const struct policy_config *p, const char *name)
{
	return p ? find_named(p->prefix_lists, p->prefix_list_count, sizeof(*p->prefix_lists), name) : NULL;
}

struct policy_route_map *policy_route_map_find(const struct policy_config *p, const char *name)
{
	return p ? find_named(p->route_maps, p->route_map_count, sizeof(*p->route_maps), name) : NULL;
}

struct policy_community_list *policy_community_list_find(const struct policy_config *p, const char *name)
{
	return p ? find_named(p->community_lists, p->community_list_count, sizeof(*p->community_lists), name)
		 : NULL;
}

/* ---- evaluation ---- */

static bool bits_equal(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	unsigned bytes = bits / 8;
	if (memcmp(a, b, bytes))
		return false;
	unsigned rest = bits % 8;
	if (!rest)
		return true;
	uint8_t mask = (uint8_t)(0xFFu << (8 - rest));
	return (a[bytes] & mask) == (b[bytes] & mask);
}

bool policy_prefix_entry_matches(const struct policy_prefix_entry *e, const struct policy_route *r)
{
	if (e->family != r->family || r->len < e->len || !bits_equal(e->addr, r->addr, e->len))
		return false;
	unsigned max = r->family == AF_INET6 ? 128 : 32;
	unsigned low = e->ge ? e->ge : e->len;
	unsigned high = e->le ? e->le : e->ge ? max : e->len;
	return r->len >= low && r->len <= high;
}

bool policy_prefix_list_permits(const struct policy_prefix_list *list, const struct policy_route *r)
{
	for (size_t i = 0; i < list->count; i++)
		if (policy_prefix_entry_matches(&list->entries[i], r))
			return list->entries[i].permit;
	return false;
}

static bool has_community(const struct bgp_attrs *a, uint32_t c)
{
	return a && bgp_attrs_has(a, BGP_ATTR_COMMUNITIES) && bgp_communities_contain(&a->communities, c);
}

bool policy_community_list_permits(const struct policy_community_list *list, const struct policy_route *r)
{
	for (size_t i = 0; i < list->count; i++) {
		const struct policy_community_entry *e = &list->entries[i];
		bool all = true;
		for (unsigned k = 0; k < e->count && all; k++)
			all = has_community(r->attrs, e->communities[k]);
		if (all)
			return e->permit;
	}
	return false;
}

static bool entry_matches(const struct policy_config *config, const struct policy_route_map_entry *e,
			  const struct policy_route *r)
{
	if (e->match_prefix_list[0]) {
		const struct policy_prefix_list *l = policy_prefix_list_find(config, e->match_prefix_list);
		if (l && !policy_prefix_list_permits(l, r))
			return false; /* an undefined list is ignored, as IOS does */
	}
	if (e->match_community[0]) {
		const struct policy_community_list *l = policy_community_list_find(config, e->match_community);
		if (l && !policy_community_list_permits(l, r))
			return false;
	}
	return true;
}

bool policy_route_map_permits(const struct policy_config *config, const struct policy_route_map *map,
			      const struct policy_route *r, const struct policy_route_map_entry **entry)
{
	if (entry)
		*entry = NULL;
	if (!map)
		return false;
	for (size_t i = 0; i < map->count; i++) {
		const struct policy_route_map_entry *e = &map->entries[i];
		if (!entry_matches(config, e, r))
			continue;
		if (entry && e->permit)
			*entry = e;
		return e->permit;
	}
	return false;
}

static void put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

bool policy_apply_sets(const struct policy_route_map_entry *e, struct bgp_attrs *a, uint8_t *buf, size_t cap)
{
	if (!e || !e->set)
		return true;
	struct bgp_attrs out = *a;
	size_t used = 0;
	if (e->set & POLICY_SET_LOCAL_PREF) {
		out.local_pref = e->local_pref;
		out.present |= BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF);
	}
	if (e->set & POLICY_SET_METRIC) {
		out.med = e->metric;
		out.present |= BGP_ATTR_BIT(BGP_ATTR_MULTI_EXIT_DISC);
	}
	if (e->set & POLICY_SET_COMMUNITY_NONE) {
		out.present &= ~BGP_ATTR_BIT(BGP_ATTR_COMMUNITIES);
		out.communities = (struct bgp_attr_blob){ 0 };
	} else if (e->set & POLICY_SET_COMMUNITY) {
		bool keep = (e->set & POLICY_SET_COMMUNITY_ADDITIVE) && bgp_attrs_has(a, BGP_ATTR_COMMUNITIES);
		size_t old = keep ? a->communities.len : 0;
		size_t need = old + 4u * e->community_count;
		if (need > cap - used || need > UINT16_MAX)
			return false;
		uint8_t *c = buf + used;
		if (old)
			memcpy(c, a->communities.data, old);
		size_t len = old;
		for (unsigned i = 0; i < e->community_count; i++) {
			if (keep && bgp_communities_contain(&a->communities, e->communities[i]))
				continue;
			put_u32(c + len, e->communities[i]);
			len += 4;
		}
		out.communities = (struct bgp_attr_blob){ .data = c, .len = (uint16_t)len };
		out.present |= BGP_ATTR_BIT(BGP_ATTR_COMMUNITIES);
		used += len;
	}
	if (e->set & POLICY_SET_PREPEND) {
		struct bgp_as_path path = bgp_attrs_has(a, BGP_ATTR_AS_PATH)
						  ? a->as_path
						  : (struct bgp_as_path){ .data = NULL, .len = 0, .asn_size = 4 };
		/* prepend A B C: C first, then B, then A, so that A ends up in front */
		uint8_t *scratch[2] = { buf + used, NULL };
		size_t room = (cap - used) / 2;
		scratch[1] = scratch[0] + room;
		for (unsigned i = e->prepend_count; i-- > 0;) {
			struct bgp_as_path next;
			uint8_t *target = scratch[i % 2];
			if (!bgp_as_path_prepend(&path, e->prepend[i], 1, target, room, &next))
				return false;
			path = next;
		}
		out.as_path = path;
		out.present |= BGP_ATTR_BIT(BGP_ATTR_AS_PATH);
	}
	*a = out;
	return true;
}
