/*
 * DOC: interned path attribute sets (see rib.h for the model).
 *
 * bgp_attrs_intern() takes a decoded attribute set and its next hop, normalises it (4-octet
 * ASNs, canonical order, no NEXT_HOP and no MP attributes: those belong to the prefixes and
 * the next hop field), and returns the one shared copy with a reference taken. The decision
 * fields are computed only when a new set is made, so an UPDATE whose attributes the RIB
 * already knows costs one hash lookup.
 */
#include "bgp/attrs.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/hash.h"

/* The hash is kept in the set (32 bits: the table never has 2^32 buckets). */
static uint64_t stored_hash(const void *attrs)
{
	return ((const struct bgp_path_attrs *)attrs)->hash;
}

void bgp_attrs_table_init(struct bgp_attrs_table *table)
{
	memset(table, 0, sizeof(*table));
	struct hash_table_options options = { .initial_size = 1024, .max_load = 1 };
	hash_table_init(&table->table, MEMORY_BGP_ATTRIBUTES, offsetof(struct bgp_path_attrs, hash_next), stored_hash,
			&options);
}

/* Sets live in pools by 16-byte size class: no malloc header per set, and a full table has
 * a few hundred thousand of them. Larger ones (long paths, many communities) use malloc. */
static size_t size_class(size_t size)
{
	return (size + BGP_ATTRS_SIZE_STEP - 1) / BGP_ATTRS_SIZE_STEP;
}

static void *attrs_alloc(struct bgp_attrs_table *table, size_t size)
{
	size_t c = size_class(size);
	if (c >= BGP_ATTRS_SIZE_CLASSES)
		return memory_calloc(MEMORY_BGP_ATTRIBUTES, 1, size);
	if (!table->pools_ready[c]) {
		pool_init(&table->pools[c], MEMORY_BGP_ATTRIBUTES, "bgp attribute sets", c * BGP_ATTRS_SIZE_STEP);
		table->pools_ready[c] = true;
	}
	return pool_alloc(&table->pools[c]);
}

static void attrs_free(struct bgp_attrs_table *table, void *p, size_t size)
{
	size_t c = size_class(size);
	if (c >= BGP_ATTRS_SIZE_CLASSES)
		memory_free(MEMORY_BGP_ATTRIBUTES, p);
	else
		pool_free(&table->pools[c], p);
}

static void decision_fields(struct bgp_path_attrs *pa, const struct bgp_attrs *a)
{
	pa->origin = bgp_attrs_has(a, BGP_ATTR_ORIGIN) ? a->origin : BGP_ORIGIN_INCOMPLETE;
	pa->local_pref = bgp_attrs_has(a, BGP_ATTR_LOCAL_PREF) ? a->local_pref : 100;
	if (bgp_attrs_has(a, BGP_ATTR_LOCAL_PREF))
		pa->flags |= BGP_PA_LOCAL_PREF;
	pa->med = bgp_attrs_has(a, BGP_ATTR_MULTI_EXIT_DISC) ? a->med : 0;
	if (bgp_attrs_has(a, BGP_ATTR_MULTI_EXIT_DISC))
		pa->flags |= BGP_PA_MED;
	if (bgp_attrs_has(a, BGP_ATTR_AS_PATH)) {
		unsigned len = bgp_as_path_length(&a->as_path);
		pa->as_path_length = len > 0xffff ? 0xffff : (uint16_t)len;
		pa->neighbor_as = bgp_as_path_first(&a->as_path);
	}
	if (bgp_attrs_has(a, BGP_ATTR_ORIGINATOR_ID)) {
		pa->originator_id = a->originator_id;
		pa->flags |= BGP_PA_ORIGINATOR_ID;
	}
	if (bgp_attrs_has(a, BGP_ATTR_CLUSTER_LIST))
		pa->cluster_list_length = (uint16_t)(a->cluster_list.len / 4);
	if (bgp_attrs_has(a, BGP_ATTR_ATOMIC_AGGREGATE))
		pa->flags |= BGP_PA_ATOMIC_AGGREGATE;
	if (bgp_attrs_has(a, BGP_ATTR_COMMUNITIES)) {
		/* RFC 1997: the well-known communities that limit where a route goes */
		if (bgp_communities_contain(&a->communities, BGP_COMMUNITY_NO_EXPORT))
			pa->flags |= BGP_PA_NO_EXPORT;
		if (bgp_communities_contain(&a->communities, BGP_COMMUNITY_NO_ADVERTISE))
			pa->flags |= BGP_PA_NO_ADVERTISE;
		if (bgp_communities_contain(&a->communities, BGP_COMMUNITY_NO_EXPORT_SUBCONFED))
			pa->flags |= BGP_PA_NO_EXPORT_SUBCONFED;
	}
}

struct bgp_path_attrs *bgp_attrs_intern(struct bgp_attrs_table *table, const struct bgp_attrs *attrs,
					const struct bgp_next_hop *next_hop)
{
	/* The key: next hop, then the attributes without NEXT_HOP and MP parts. */
	struct bgp_attrs normal = *attrs;
	normal.present &= ~(BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP) | BGP_ATTR_BIT(BGP_ATTR_MP_REACH_NLRI) |
			    BGP_ATTR_BIT(BGP_ATTR_MP_UNREACH_NLRI) | BGP_ATTR_BIT(BGP_ATTR_AS4_PATH) |
			    BGP_ATTR_BIT(BGP_ATTR_AS4_AGGREGATOR));
	uint8_t *key = table->scratch;
	size_t nh_len = next_hop->family == AF_INET ? 4 : next_hop->has_link_local ? 32 : 16;
	memcpy(key, next_hop->addr, next_hop->family == AF_INET ? 4 : 16);
	if (next_hop->has_link_local)
		memcpy(key + 16, next_hop->link_local, 16);
	struct writer w = writer_make(key + nh_len, sizeof(table->scratch) - nh_len);
	if (!bgp_attr_encode(&w, &normal, true))
		return NULL;
	size_t key_len = nh_len + w.len;
	/* The peer chooses the attributes: a keyed hash (lib/hash.h). */
	uint32_t hash = (uint32_t)hash_keyed(key, key_len);

	for (struct bgp_path_attrs *a = hash_table_first(&table->table, hash); a; a = a->hash_next) {
		if (a->hash == hash && a->key_len == key_len && a->next_hop_family == next_hop->family &&
		    !memcmp(a->key, key, key_len) &&
		    ((a->flags & BGP_PA_NEXT_HOP_LINK_LOCAL) != 0) == next_hop->has_link_local) {
			a->refcount++;
			return a;
		}
	}
	struct bgp_path_attrs *pa = attrs_alloc(table, offsetof(struct bgp_path_attrs, key) + key_len);
	if (!pa)
		return NULL;
	pa->hash = hash;
	pa->refcount = 1;
	pa->key_len = (uint16_t)key_len;
	pa->next_hop_family = next_hop->family;
	if (next_hop->has_link_local)
		pa->flags |= BGP_PA_NEXT_HOP_LINK_LOCAL;
	memcpy(pa->key, key, key_len);
	decision_fields(pa, attrs);
	if (!hash_table_insert(&table->table, pa, hash)) {
		attrs_free(table, pa, offsetof(struct bgp_path_attrs, key) + key_len);
		return NULL;
	}
	table->bytes += sizeof(*pa) + key_len;
	return pa;
}

void bgp_attrs_ref(struct bgp_path_attrs *attrs)
{
	if (attrs)
		attrs->refcount++;
}

void bgp_attrs_unref(struct bgp_attrs_table *table, struct bgp_path_attrs *attrs)
{
	if (!attrs || --attrs->refcount)
		return;
	hash_table_remove(&table->table, attrs, attrs->hash);
	table->bytes -= sizeof(*attrs) + attrs->key_len;
	attrs_free(table, attrs, offsetof(struct bgp_path_attrs, key) + attrs->key_len);
}

void bgp_attrs_table_free(struct bgp_attrs_table *table)
{
	for (size_t i = 0; i < table->table.size; i++)
		for (struct bgp_path_attrs *a = hash_table_bucket(&table->table, i), *next; a; a = next) {
			next = a->hash_next;
			attrs_free(table, a, offsetof(struct bgp_path_attrs, key) + a->key_len);
		}
	for (size_t c = 0; c < BGP_ATTRS_SIZE_CLASSES; c++)
		if (table->pools_ready[c])
			pool_destroy(&table->pools[c]);
	hash_table_free(&table->table);
	memset(table, 0, sizeof(*table));
}

static size_t next_hop_len(const struct bgp_path_attrs *pa)
{
	if (pa->next_hop_family == AF_INET)
		return 4;
	return (pa->flags & BGP_PA_NEXT_HOP_LINK_LOCAL) ? 32 : 16;
}

bool bgp_path_attrs_decode(const struct bgp_path_attrs *pa, struct bgp_attrs *out)
{
	size_t nh = next_hop_len(pa);
	struct reader r = reader_make(pa->key + nh, pa->key_len - nh);
	/* Stored sets were validated when they came in; they are read back as a 4-octet AS
	 * internal session would send them, so nothing is discarded. */
	struct bgp_attr_opts opts = { .as4 = true, .ibgp = true };
	struct bgp_error err;
	return bgp_attr_decode(&r, &opts, out, &err) == BGP_ATTR_RESULT_OK;
}

void bgp_path_attrs_next_hop(const struct bgp_path_attrs *pa, struct ip_addr *out)
{
	memset(out, 0, sizeof(*out));
	out->family = pa->next_hop_family;
	memcpy(out->bytes, pa->key, pa->next_hop_family == AF_INET ? 4 : 16);
}

void bgp_path_attrs_next_hop_of(const struct bgp_path_attrs *pa, struct bgp_next_hop *out)
{
	memset(out, 0, sizeof(*out));
	out->family = pa->next_hop_family;
	memcpy(out->addr, pa->key, pa->next_hop_family == AF_INET ? 4 : 16);
	if (pa->flags & BGP_PA_NEXT_HOP_LINK_LOCAL) {
		out->has_link_local = true;
		memcpy(out->link_local, pa->key + 16, 16);
	}
}

bool bgp_path_attrs_next_hop_is_self(const struct bgp_path_attrs *pa)
{
	size_t n = pa->next_hop_family == AF_INET ? 4 : 16;
	for (size_t i = 0; i < n; i++)
		if (pa->key[i])
			return false;
	return true;
}
