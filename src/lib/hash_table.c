/* DOC: chained hash table with intrusive links (see hash_table.h). */
#include "lib/hash_table.h"

#include <string.h>
#include <sys/mman.h>

static void **link_of(const struct hash_table *t, void *element)
{
	return (void **)((char *)element + t->link_offset);
}

/*
 * Bucket arrays of a megabyte or more are pages mapped for them alone: growing one moves its
 * pages (mremap) instead of copying them, and new pages come zeroed by the kernel as they are
 * first written, not all at once. A heap block's realloc copied the attribute table's 16 MB
 * into fresh pages inside one insert: 30 to 68 ms of one loop iteration (bench stall, ten
 * feeders loading), where splitting is meant to bound growth to a few microseconds.
 */
#define MAPPED_BUCKETS_BYTES ((size_t)1 << 20)

static bool mapped(size_t bytes)
{
	return bytes >= MAPPED_BUCKETS_BYTES;
}

/* count zeroed slots, or NULL. */
static void **buckets_alloc(enum memory_owner owner, size_t count)
{
	if (count > SIZE_MAX / sizeof(void *))
		return NULL;
	size_t bytes = count * sizeof(void *);
	if (!mapped(bytes))
		return memory_calloc(owner, count, sizeof(void *));
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	memory_account(owner, (ptrdiff_t)bytes, 1);
	return p;
}

static void buckets_free(enum memory_owner owner, void **buckets, size_t count)
{
	if (!buckets)
		return;
	size_t bytes = count * sizeof(void *);
	if (!mapped(bytes)) {
		memory_free(owner, buckets);
		return;
	}
	munmap(buckets, bytes);
	memory_account(owner, -(ptrdiff_t)bytes, -1);
}

/* The slots grown from count to more (> count), the first count kept, or NULL (the old ones
 * then stay as they were). The new slots are not zeroed: the splits write them. */
static void **buckets_grow(enum memory_owner owner, void **buckets, size_t count, size_t more)
{
	if (more > SIZE_MAX / sizeof(void *))
		return NULL;
	size_t bytes = count * sizeof(void *), new_bytes = more * sizeof(void *);
	if (!mapped(new_bytes))
		return memory_realloc(owner, buckets, new_bytes);
	void *p;
	if (mapped(bytes)) {
		p = mremap(buckets, bytes, new_bytes, MREMAP_MAYMOVE);
		if (p == MAP_FAILED)
			return NULL;
		memory_account(owner, (ptrdiff_t)(new_bytes - bytes), 0);
		return p;
	}
	p = buckets_alloc(owner, more); /* from the heap to pages of its own: under a megabyte to copy */
	if (!p)
		return NULL;
	memcpy(p, buckets, bytes);
	memory_free(owner, buckets);
	return p;
}

void hash_table_init(struct hash_table *t, enum memory_owner owner, size_t link_offset, hash_table_hash_fn *hash,
		     const struct hash_table_options *options)
{
	memset(t, 0, sizeof(*t));
	t->owner = owner;
	t->link_offset = link_offset;
	t->hash = hash;
	t->initial_size = options && options->initial_size ? options->initial_size : 64;
	t->max_load = options && options->max_load ? options->max_load : 1;
	t->element_bytes = options ? options->element_bytes : 0;
	t->walk = options ? options->walk : NULL;
	t->whole_doublings_below = options ? options->whole_doublings_below : 0;
}

void hash_table_free(struct hash_table *t)
{
	buckets_free(t->owner, t->buckets, t->capacity);
	t->buckets = NULL;
	t->size = t->stride = t->capacity = t->count = 0;
}

void hash_table_clear(struct hash_table *t)
{
	if (t->buckets)
		memset(t->buckets, 0, t->size * sizeof(*t->buckets));
	t->count = 0;
}

static bool allocate_first(struct hash_table *t)
{
	size_t size = t->initial_size ? t->initial_size : 64;
	t->buckets = buckets_alloc(t->owner, size);
	if (!t->buckets)
		return false;
	t->size = t->stride = t->capacity = size;
	return true;
}

/* Buckets split together when the table grows (hash_table.h): their chains lie anywhere in
 * memory, and a split that waits for its chain waits for main memory. One split per insert
 * made a full table's growth wait once per route (a tenth of its load time); asking for a
 * batch's chains together overlaps the waits. Still bounded work: this many chains. */
#define SPLIT_BATCH 32

/* The buckets the split at (size, stride) takes: from, count of them; and the table's size and
 * stride after it. */
struct split_batch {
	size_t from, count;
	size_t size, stride;
};

static struct split_batch split_batch_at(size_t size, size_t stride)
{
	struct split_batch b = { .from = size - stride, .count = 2 * stride - size };
	if (b.count > SPLIT_BATCH)
		b.count = SPLIT_BATCH;
	b.size = size + b.count;
	b.stride = b.size == 2 * stride ? 2 * stride : stride;
	return b;
}

/* The prefetch helpers below are always inlined: GCC 12 finds an out-of-line one free of side
 * effects and drops its prefetches (seen in the object code), leaving the walks alone. */
#define PREFETCH_HELPER static inline __attribute__((always_inline))

/* Asks for an element's bytes the split reads: its link and its key. An element need not
 * start at a line (a pool's 24-byte routes): its key may begin in the next one. */
PREFETCH_HELPER void prefetch_element(const struct hash_table *t, const void *e)
{
	__builtin_prefetch(e);
	const char *last = (const char *)e + (t->element_bytes ? t->element_bytes - 1 : 0);
	if (((uintptr_t)last ^ (uintptr_t)e) >= 64)
		__builtin_prefetch(last);
}

/* Asks for the elements at the given depth of the batch's chains (0: the heads), having
 * walked the shallower ones, which an earlier split asked for (in the cache by now). Only
 * the buckets in use now: in a small table, a batch after a doubling of the stride takes
 * buckets the splits before it make. */
PREFETCH_HELPER void prefetch_chains(const struct hash_table *t, const struct split_batch *b, unsigned depth)
{
	for (size_t i = b->from; i < b->from + b->count && i < t->size; i++) {
		void *e = t->buckets[i];
		for (unsigned d = 0; e && d < depth; d++)
			e = *link_of(t, e);
		if (e)
			prefetch_element(t, e);
	}
}

/* Asks for the cache lines of a batch's buckets and of the new buckets it will fill. */
PREFETCH_HELPER void prefetch_slots(const struct hash_table *t, const struct split_batch *b)
{
	size_t line = 64 / sizeof(*t->buckets);
	for (size_t i = b->from; i < b->from + b->count && i < t->capacity; i += line)
		__builtin_prefetch(&t->buckets[i]);
	for (size_t i = b->size - b->count; i < b->size && i < t->capacity; i += line)
		__builtin_prefetch(&t->buckets[i], 1);
}

/* Doubles the slots until count more buckets fit. */
static bool make_room(struct hash_table *t, size_t count)
{
	while (t->size + count > t->capacity) {
		size_t capacity = t->capacity * 2;
		if (capacity < t->capacity || capacity > SIZE_MAX / sizeof(*t->buckets))
			return false;
		void **buckets = buckets_grow(t->owner, t->buckets, t->capacity, capacity);
		if (!buckets)
			return false;
		t->buckets = buckets;
		t->capacity = capacity;
	}
	return true;
}

/* Splits the next buckets in order, up to SPLIT_BATCH and not past the doubling of the
 * stride: bucket (size - stride) gives its elements with the stride bit set to the new
 * bucket at size (hash_table.h). The slots are doubled when full; realloc of a large block
 * remaps pages rather than copying them.
 *
 * The splits to come are known (the batches go in order), so each split asks ahead for the
 * memory of the next ones, a stage each, the following split finding its stage's memory in
 * the cache: the slots three splits ahead, the chain heads two ahead, the second elements
 * one ahead, the third of this batch. A split then seldom waits for main memory (the chains
 * of a table at max_load 1 are one or two long; a longer one waits from the fourth). */
static bool split_some(struct hash_table *t)
{
	struct split_batch now = split_batch_at(t->size, t->stride);
	if (!make_room(t, now.count))
		return false;
	struct split_batch next = split_batch_at(now.size, now.stride);
	struct split_batch after = split_batch_at(next.size, next.stride);
	struct split_batch third = split_batch_at(after.size, after.stride);
	prefetch_slots(t, &third);
	prefetch_chains(t, &after, 0);
	prefetch_chains(t, &next, 1);
	prefetch_chains(t, &now, 2);
	for (size_t i = 0; i < now.count; i++) {
		void **keep = &t->buckets[now.from + i], *moved = NULL;
		while (*keep) {
			void *e = *keep;
			if (t->hash(e) & t->stride) {
				*keep = *link_of(t, e);
				*link_of(t, e) = moved;
				moved = e;
			} else {
				keep = link_of(t, e);
			}
		}
		t->buckets[t->size + i] = moved;
	}
	t->size = now.size;
	t->stride = now.stride;
	return true;
}

/* A doubling's moves, a few behind its reads: each element's new bucket is asked for (to be
 * written) when the walk reads the element, and written REGROW_AHEAD elements later, so the
 * random writes into the new buckets overlap instead of waiting one by one (this halved a
 * 256k-route doubling). */
#define REGROW_AHEAD 16

struct regrow {
	const struct hash_table *t;
	void **buckets;
	size_t mask;
	size_t seen;
	struct {
		void *element;
		size_t bucket;
	} ahead[REGROW_AHEAD];
};

static void regrow_link(struct regrow *g, void *element, size_t i)
{
	*link_of(g->t, element) = g->buckets[i];
	g->buckets[i] = element;
}

static void regrow_visit(void *element, void *ctx)
{
	struct regrow *g = ctx;
	size_t i = g->t->hash(element) & g->mask;
	__builtin_prefetch(&g->buckets[i], 1);
	size_t k = g->seen++ % REGROW_AHEAD;
	if (g->seen > REGROW_AHEAD)
		regrow_link(g, g->ahead[k].element, g->ahead[k].bucket);
	g->ahead[k].element = element;
	g->ahead[k].bucket = i;
}

/* Doubles the buckets, moving every element in the order the owner's walk gives (memory
 * order): each one's bucket modulo the new size is congruent to its old one modulo the old,
 * as splits would leave it (hash_table.h). Called with size == stride (a power of two):
 * below whole_doublings_below the table only ever doubles. */
static bool double_in_memory_order(struct hash_table *t)
{
	if (t->size > SIZE_MAX / 2 / sizeof(*t->buckets))
		return false;
	size_t size = 2 * t->size;
	void **buckets = buckets_alloc(t->owner, size);
	if (!buckets)
		return false;
	struct regrow g = { .t = t, .buckets = buckets, .mask = size - 1 };
	t->walk(t, regrow_visit, &g);
	size_t last = g.seen < REGROW_AHEAD ? g.seen : REGROW_AHEAD;
	for (size_t n = 0; n < last; n++) {
		size_t k = (g.seen - last + n) % REGROW_AHEAD;
		regrow_link(&g, g.ahead[k].element, g.ahead[k].bucket);
	}
	buckets_free(t->owner, t->buckets, t->capacity);
	t->buckets = buckets;
	t->size = t->stride = t->capacity = size;
	return true;
}

bool hash_table_insert(struct hash_table *t, void *element, uint64_t hash)
{
	if (!t->size) {
		if (!allocate_first(t))
			return false;
	} else if (t->count >= t->size * t->max_load &&
		   !(t->walk && t->size < t->whole_doublings_below ? double_in_memory_order(t) : split_some(t))) {
		return false;
	}
	void **slot = &t->buckets[hash_table_index(t, hash)];
	*link_of(t, element) = *slot;
	*slot = element;
	t->count++;
	return true;
}

bool hash_table_remove(struct hash_table *t, void *element, uint64_t hash)
{
	if (!t->size)
		return false;
	for (void **p = &t->buckets[hash_table_index(t, hash)]; *p; p = link_of(t, *p)) {
		if (*p == element) {
			*p = *link_of(t, element);
			*link_of(t, element) = NULL;
			t->count--;
			return true;
		}
	}
	return false;
}

void *hash_table_take_bucket(struct hash_table *t, size_t i)
{
	void *chain = t->buckets[i];
	t->buckets[i] = NULL;
	for (void *e = chain; e; e = *link_of(t, e))
		t->count--;
	return chain;
}

void hash_table_iter_init(const struct hash_table *t, struct hash_table_iter *it)
{
	it->bucket = 0;
	it->next = NULL;
	while (it->bucket < t->size && !it->next)
		it->next = t->buckets[it->bucket++];
}

void *hash_table_iter_next(const struct hash_table *t, struct hash_table_iter *it)
{
	void *e = it->next;
	if (!e)
		return NULL;
	it->next = hash_table_link(t, e);
	while (!it->next && it->bucket < t->size)
		it->next = t->buckets[it->bucket++];
	return e;
}
