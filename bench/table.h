/*
 * DOC: the benchmark's routing table: deterministic, seeded, realistic, shared by the feeder
 * and the monitor.
 *
 * Prefixes depend only on (n, prefix_seed), so ten feeders that share a prefix seed announce
 * the same prefixes. The grouping of prefixes into attribute sets and the sets themselves
 * depend on path_seed and the feeder's AS, so each feeder has its own paths. The monitor
 * regenerates the same table from the same numbers to index what it receives and, in check
 * mode, to know what every route must look like after the daemon under test.
 *
 * What "realistic" means here (a 2020s IPv4 table): prefix lengths about 60% /24, 10% /22,
 * 9% /23, 5% /20, 5% /21, then /19../16; addresses drawn from public unicast space only;
 * about one attribute set per four prefixes (most sets carry one or two prefixes, a few
 * carry dozens); AS paths of 1-8 hops (mostly 3-5) whose first AS is the feeder's, through a
 * pool of transit ASes to one of ~70,000 origin ASes, 2- and 4-octet; a third of the sets
 * with communities, a quarter with a MED, a few with ORIGIN incomplete.
 */
#ifndef TERN_BENCH_TABLE_H
#define TERN_BENCH_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BENCH_MAX_HOPS 8
#define BENCH_MAX_COMMUNITIES 6

struct bench_prefix {
	uint32_t addr; /* host order, host bits zero */
	uint8_t len;
	uint32_t set;  /* index into bench_table.sets */
};

struct bench_attrset {
	uint8_t origin;
	uint8_t hops;
	uint8_t ncomm;
	bool has_med;
	uint32_t med;
	uint32_t asns[BENCH_MAX_HOPS];
	uint32_t comm[BENCH_MAX_COMMUNITIES];
	uint32_t first;  /* first prefix (index into prefixes) of this set */
	uint32_t count;  /* prefixes of this set: prefixes[first .. first+count) */
};

struct bench_table {
	size_t n;
	struct bench_prefix *prefixes;
	size_t nsets;
	struct bench_attrset *sets;
	/* prefix -> index: open addressing, UINT32_MAX is empty */
	uint32_t *index;
	size_t index_mask;
};

/* Generates n unique prefixes and their attribute sets; false on allocation failure or an n
 * above 8,000,000. */
bool bench_table_generate(struct bench_table *t, size_t n, uint64_t prefix_seed,
			  uint64_t path_seed, uint32_t feeder_as);
void bench_table_free(struct bench_table *t);
/* Index of a prefix in t->prefixes, or -1 if it is not in the table. */
long bench_table_find(const struct bench_table *t, uint32_t addr, uint8_t len);

/* CLOCK_MONOTONIC in nanoseconds: the same clock in every namespace of this machine. */
uint64_t bench_mono_ns(void);

#endif
