/*
 * DOC: the link-state database (RFC 2328 §12.2) and the header lists of a neighbour
 * (Database summary, Link state request and Link state retransmission lists, §10).
 *
 * A database is an array of LSAs searched linearly: an area of a few hundred LSAs costs
 * microseconds. Each LSA keeps its bytes and the time it was installed; its age is computed
 * when asked (§12.1.1: the age grows by one each second in the database), so no timer ages it.
 */
#include "ospf/internal.h"

#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "lib/memory.h"

uint16_t ospf_lsa_age(const struct ospf_lsa *lsa, uint64_t now)
{
	uint64_t age = lsa->h.age + (now > lsa->installed ? (now - lsa->installed) / 1000 : 0);
	return age > OSPF_MAX_AGE ? OSPF_MAX_AGE : (uint16_t)age;
}

struct ospf_lsa_header ospf_lsa_current(const struct ospf_lsa *lsa, uint64_t now)
{
	struct ospf_lsa_header h = lsa->h;
	h.age = ospf_lsa_age(lsa, now);
	return h;
}

bool ospf_lsa_body_equal(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len)
{
	if (a_len != b_len)
		return false;
	struct reader ra = reader_make(a, a_len), rb = reader_make(b, b_len);
	reader_skip(&ra, OSPF_LSA_HEADER_LEN);
	reader_skip(&rb, OSPF_LSA_HEADER_LEN);
	if (!reader_ok(&ra) || !reader_ok(&rb))
		return false;
	return memcmp(reader_ptr(&ra), reader_ptr(&rb), reader_remaining(&ra)) == 0;
}

void ospf_log_cap(const char *what, size_t cap, uint64_t *refusals)
{
	if ((*refusals)++ % 1024 == 0)
		log_warning("ospf: %s full (%zu entries): %llu refused so far", what, cap,
			    (unsigned long long)*refusals);
}

void ospf_lsdb_init(struct ospf_lsdb *db)
{
	array_init(&db->lsas, MEMORY_OSPF, sizeof(struct ospf_lsa *), OSPF_LSDB_MAX);
}

struct ospf_lsa *ospf_lsdb_find(const struct ospf_lsdb *db, uint8_t type, uint32_t id, uint32_t adv)
{
	for (size_t i = 0; i < ospf_lsdb_count(db); i++) {
		struct ospf_lsa *l = ospf_lsdb_at(db, i);
		if (l->h.type == type && l->h.id == id && l->h.adv_router == adv)
			return l;
	}
	return NULL;
}

struct ospf_lsa *ospf_lsdb_find_network(const struct ospf_lsdb *db, uint32_t id)
{
	for (size_t i = 0; i < ospf_lsdb_count(db); i++) {
		struct ospf_lsa *l = ospf_lsdb_at(db, i);
		if (l->h.type == OSPF_LSA_NETWORK && l->h.id == id && l->h.age < OSPF_MAX_AGE)
			return l;
	}
	return NULL;
}

struct ospf_lsa *ospf_lsdb_install(struct ospf_lsdb *db, const uint8_t *raw, size_t len, uint64_t now)
{
	static uint64_t refusals;
	struct reader r = reader_make(raw, len);
	struct ospf_lsa_header h;
	if (ospf_lsa_header_read(&r, &h) != OSPF_WIRE_OK)
		return NULL;
	uint8_t *copy = memory_alloc(MEMORY_OSPF, len);
	if (!copy)
		return NULL;
	memcpy(copy, raw, len);
	struct ospf_lsa *old = ospf_lsdb_find(db, h.type, h.id, h.adv_router);
	if (old) {
		memory_free(MEMORY_OSPF, old->data);
		old->data = copy;
		old->len = len;
		old->h = h;
		old->installed = now;
		return old;
	}
	enum array_status room = array_reserve(&db->lsas, 1);
	if (room != ARRAY_OK) {
		if (room == ARRAY_AT_CAP)
			ospf_log_cap("link-state database", db->lsas.max_count, &refusals);
		memory_free(MEMORY_OSPF, copy);
		return NULL;
	}
	struct ospf_lsa *l = memory_calloc(MEMORY_OSPF, 1, sizeof(*l));
	if (!l) {
		memory_free(MEMORY_OSPF, copy);
		return NULL;
	}
	l->h = h;
	l->data = copy;
	l->len = len;
	l->installed = now;
	*(struct ospf_lsa **)array_push(&db->lsas) = l; /* room reserved above */
	return l;
}

void ospf_lsdb_remove(struct ospf_lsdb *db, struct ospf_lsa *lsa)
{
	struct ospf_lsa **v = db->lsas.items;
	for (size_t i = 0; i < db->lsas.count; i++) {
		if (v[i] == lsa) {
			memory_free(MEMORY_OSPF, lsa->data);
			memory_free(MEMORY_OSPF, lsa);
			/* the last one takes its place: the order is none */
			v[i] = v[--db->lsas.count];
			return;
		}
	}
}

void ospf_lsdb_free(struct ospf_lsdb *db)
{
	for (size_t i = 0; i < ospf_lsdb_count(db); i++) {
		memory_free(MEMORY_OSPF, ospf_lsdb_at(db, i)->data);
		memory_free(MEMORY_OSPF, ospf_lsdb_at(db, i));
	}
	array_free(&db->lsas);
}

void ospf_hdr_list_init(struct ospf_hdr_list *l)
{
	array_init(&l->headers, MEMORY_OSPF, sizeof(struct ospf_lsa_header), OSPF_HDR_LIST_MAX);
}

bool ospf_hdr_list_add(struct ospf_hdr_list *l, const struct ospf_lsa_header *h)
{
	static uint64_t refusals;
	long at = ospf_hdr_list_find(l, h->type, h->id, h->adv_router);
	if (at >= 0) {
		*ospf_hdr_list_at(l, (size_t)at) = *h;
		return true;
	}
	struct ospf_lsa_header *slot = array_push(&l->headers);
	if (!slot) {
		if (l->headers.count == l->headers.max_count)
			ospf_log_cap("neighbour LSA header list", l->headers.max_count, &refusals);
		return false;
	}
	*slot = *h;
	return true;
}

long ospf_hdr_list_find(const struct ospf_hdr_list *l, uint8_t type, uint32_t id, uint32_t adv)
{
	for (size_t i = 0; i < ospf_hdr_list_count(l); i++) {
		const struct ospf_lsa_header *e = ospf_hdr_list_at(l, i);
		if (e->type == type && e->id == id && e->adv_router == adv)
			return (long)i;
	}
	return -1;
}

void ospf_hdr_list_remove_at(struct ospf_hdr_list *l, size_t i)
{
	array_remove(&l->headers, i);
}

void ospf_hdr_list_clear(struct ospf_hdr_list *l)
{
	array_free(&l->headers);
}
