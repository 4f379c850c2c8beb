/*
 * DOC: prefixes in order, a bin at a time (see prefix_bins.h).
 */
#include "lib/prefix_bins.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

void prefix_bins_init(struct prefix_bins *b, uint8_t family)
{
	memset(b, 0, sizeof(*b));
	b->family = family;
	b->key_len = family == AF_INET6 ? 16 : 4;
	for (size_t i = 0; i < 256; i++)
		array_init(&b->bins[i], MEMORY_CTL, b->key_len, ARRAY_NO_CAP);
}

bool prefix_bins_add(struct prefix_bins *b, const uint8_t *addr, uint8_t len)
{
	uint8_t *key = array_push(&b->bins[addr[0]]);
	if (!key)
		return false;
	memcpy(key, addr + 1, b->key_len - 1u);
	key[b->key_len - 1] = len;
	return true;
}

/* Keys in prefix order: memcmp of the address, then of the length, is that order. */
static int key4_order(const void *x, const void *y)
{
	return memcmp(x, y, 4);
}

static int key16_order(const void *x, const void *y)
{
	return memcmp(x, y, 16);
}

/* The bin being read is done: its memory goes now, not at the end of the view. */
static void next_bin(struct prefix_bins *b)
{
	array_free(&b->bins[b->bin]);
	b->bin++;
	b->pos = 0;
	b->sorted = false;
}

bool prefix_bins_next(struct prefix_bins *b, uint8_t *addr, uint8_t *len)
{
	while (b->bin < 256) {
		struct array *bin = &b->bins[b->bin];
		if (!b->sorted && bin->count)
			qsort(bin->items, bin->count, b->key_len, b->key_len == 4 ? key4_order : key16_order);
		b->sorted = true;
		/* a prefix added twice is two equal keys, side by side once sorted */
		while (b->pos < bin->count && b->pos &&
		       !memcmp(array_at(bin, b->pos), array_at(bin, b->pos - 1), b->key_len))
			b->pos++;
		if (b->pos == bin->count) {
			next_bin(b);
			continue;
		}
		const uint8_t *key = array_at(bin, b->pos++);
		memset(addr, 0, b->key_len);
		addr[0] = (uint8_t)b->bin;
		memcpy(addr + 1, key, b->key_len - 1u);
		*len = key[b->key_len - 1];
		return true;
	}
	return false;
}

void prefix_bins_ahead(const struct prefix_bins *b, bool (*fn)(void *ctx, const uint8_t *addr, uint8_t len),
		       void *ctx)
{
	if (b->bin >= 256 || !b->sorted)
		return;
	const struct array *bin = &b->bins[b->bin];
	uint8_t addr[16];
	for (size_t i = b->pos; i < bin->count; i++) {
		const uint8_t *key = array_at(bin, i);
		if (i && !memcmp(key, key - b->key_len, b->key_len))
			continue; /* added twice */
		memset(addr, 0, sizeof(addr));
		addr[0] = (uint8_t)b->bin;
		memcpy(addr + 1, key, b->key_len - 1u);
		if (!fn(ctx, addr, key[b->key_len - 1]))
			return;
	}
}

void prefix_bins_free(struct prefix_bins *b)
{
	for (size_t i = 0; i < 256; i++)
		array_free(&b->bins[i]);
}
