/*
 * DOC: generation of the benchmark table (see table.h for what it looks like and why).
 *
 * One PRNG (splitmix64) per stream: the prefix stream is seeded by prefix_seed alone, the path
 * stream by path_seed and the feeder's AS, so the same seeds always give the same bytes on the
 * wire. Uniqueness of prefixes is kept by the same open-addressing index the monitor uses to
 * find a received prefix.
 */
#include "table.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [0, bound). */
static uint32_t rnd(uint64_t *s, uint32_t bound)
{
	return (uint32_t)(((splitmix64(s) >> 32) * bound) >> 32);
}

static uint32_t prefix_hash(uint32_t addr, uint8_t len)
{
	uint64_t k = ((uint64_t)addr << 6) | len;
	k *= 0x9e3779b97f4a7c15ull;
	return (uint32_t)(k >> 32);
}

long bench_table_find(const struct bench_table *t, uint32_t addr, uint8_t len)
{
	size_t i = prefix_hash(addr, len) & t->index_mask;
	for (;;) {
		uint32_t v = t->index[i];
		if (v == UINT32_MAX)
			return -1;
		if (t->prefixes[v].addr == addr && t->prefixes[v].len == len)
			return (long)v;
		i = (i + 1) & t->index_mask;
	}
}

/* Inserts prefixes[k] unless an equal prefix is there; false if it was a duplicate. */
static bool index_insert(struct bench_table *t, uint32_t k)
{
	const struct bench_prefix *p = &t->prefixes[k];
	size_t i = prefix_hash(p->addr, p->len) & t->index_mask;
	while (t->index[i] != UINT32_MAX) {
		const struct bench_prefix *q = &t->prefixes[t->index[i]];
		if (q->addr == p->addr && q->len == p->len)
			return false;
		i = (i + 1) & t->index_mask;
	}
	t->index[i] = k;
	return true;
}

/* Public unicast space only: not 0/8, 10/8, 100.64/10, 127/8, 169.254/16, 172.16/12,
 * 192.168/16, 198.18/15, nor 224/3. */
static bool public_unicast(uint32_t a)
{
	uint8_t o1 = (uint8_t)(a >> 24), o2 = (uint8_t)(a >> 16);
	if (o1 == 0 || o1 == 10 || o1 == 127 || o1 >= 224)
		return false;
	if (o1 == 100 && (o2 & 0xc0) == 64)
		return false;
	if ((o1 == 169 && o2 == 254) || (o1 == 172 && (o2 & 0xf0) == 16) ||
	    (o1 == 192 && o2 == 168) || (o1 == 198 && (o2 & 0xfe) == 18))
		return false;
	return true;
}

static uint8_t prefix_length(uint64_t *s)
{
	/* percent of today's table by length */
	static const struct { uint8_t len; uint8_t pct; } dist[] = {
		{ 24, 60 }, { 22, 10 }, { 23, 9 }, { 20, 5 }, { 21, 5 },
		{ 19, 4 },  { 18, 3 },  { 17, 2 }, { 16, 2 },
	};
	uint32_t r = rnd(s, 100);
	for (size_t i = 0; i < sizeof dist / sizeof dist[0]; i++) {
		if (r < dist[i].pct)
			return dist[i].len;
		r -= dist[i].pct;
	}
	return 24;
}

/* Prefixes per attribute set: mean about 4, most sets small, a few large. */
static uint32_t set_size(uint64_t *s)
{
	uint32_t r = rnd(s, 100);
	if (r < 50)
		return 1;
	if (r < 70)
		return 2;
	if (r < 80)
		return 3;
	if (r < 92)
		return 4 + rnd(s, 5);
	if (r < 99)
		return 9 + rnd(s, 24);
	return 33 + rnd(s, 32);
}

static uint8_t path_hops(uint64_t *s)
{
	static const uint8_t pct[BENCH_MAX_HOPS] = { 3, 15, 30, 25, 15, 7, 3, 2 };
	uint32_t r = rnd(s, 100);
	for (uint8_t i = 0; i < BENCH_MAX_HOPS; i++) {
		if (r < pct[i])
			return (uint8_t)(i + 1);
		r -= pct[i];
	}
	return 3;
}

/* An AS from a pool: 2-octet ones first, the upper part of the pool 4-octet (RFC 6793). */
static uint32_t pool_as(uint32_t i)
{
	return i < 50000 ? 1000 + i : 200000 + i;
}

static void make_set(struct bench_attrset *a, uint64_t *s, uint32_t feeder_as)
{
	a->hops = path_hops(s);
	a->asns[0] = feeder_as;
	for (uint8_t h = 1; h < a->hops; h++) {
		if (h + 1 == a->hops)
			a->asns[h] = pool_as(rnd(s, 70000));        /* origin */
		else
			a->asns[h] = pool_as(rnd(s, 2000) * 7 % 70000); /* transit */
	}
	uint32_t r = rnd(s, 100);
	a->origin = r < 90 ? 0 : (r < 98 ? 2 : 1);
	a->has_med = rnd(s, 4) == 0;
	a->med = a->has_med ? rnd(s, 1000) : 0;
	a->ncomm = 0;
	if (rnd(s, 3) == 0) {
		a->ncomm = (uint8_t)(1 + rnd(s, BENCH_MAX_COMMUNITIES));
		for (uint8_t c = 0; c < a->ncomm; c++)
			a->comm[c] = (pool_as(rnd(s, 2000) * 7 % 50000) << 16) | rnd(s, 1000);
	}
}

bool bench_table_generate(struct bench_table *t, size_t n, uint64_t prefix_seed,
			  uint64_t path_seed, uint32_t feeder_as)
{
	memset(t, 0, sizeof *t);
	if (n == 0 || n > 8000000)
		return false;
	size_t cap = 1;
	while (cap < n * 2)
		cap <<= 1;
	t->prefixes = calloc(n, sizeof *t->prefixes);
	t->index = malloc(cap * sizeof *t->index);
	t->sets = calloc(n, sizeof *t->sets);
	if (!t->prefixes || !t->index || !t->sets) {
		bench_table_free(t);
		return false;
	}
	memset(t->index, 0xff, cap * sizeof *t->index);
	t->index_mask = cap - 1;

	uint64_t ps = prefix_seed;
	for (size_t k = 0; k < n;) {
		uint8_t len = prefix_length(&ps);
		uint32_t addr = (uint32_t)(splitmix64(&ps) >> 32);
		if (!public_unicast(addr))
			continue;
		addr &= len ? ~(uint32_t)0 << (32 - len) : 0;
		t->prefixes[k].addr = addr;
		t->prefixes[k].len = len;
		if (index_insert(t, (uint32_t)k))
			k++;
	}
	t->n = n;

	uint64_t ss = path_seed ^ ((uint64_t)feeder_as * 0xd6e8feb86659fd93ull);
	for (size_t k = 0; k < n;) {
		struct bench_attrset *a = &t->sets[t->nsets];
		uint32_t size = set_size(&ss);
		if (size > n - k)
			size = (uint32_t)(n - k);
		make_set(a, &ss, feeder_as);
		a->first = (uint32_t)k;
		a->count = size;
		for (uint32_t i = 0; i < size; i++)
			t->prefixes[k + i].set = (uint32_t)t->nsets;
		t->nsets++;
		k += size;
	}
	return true;
}

void bench_table_free(struct bench_table *t)
{
	free(t->prefixes);
	free(t->index);
	free(t->sets);
	memset(t, 0, sizeof *t);
}

uint64_t bench_mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}
