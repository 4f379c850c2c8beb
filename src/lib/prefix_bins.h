/*
 * DOC: the prefixes of a table put in order a little at a time, for the views that stream a
 * table (`show ip bgp`, `show ip route`).
 *
 * The tables are hashes; people expect prefix order (IOS prints it). Sorting needs every
 * prefix, but not every route, held at once: a view adds the prefixes' keys, a slice at a
 * time, into 256 bins by the address's first octet; a key is the rest of the address and the
 * length, 4 octets for IPv4 (4 MB for a million prefixes), 16 for IPv6. It then reads them
 * back in order: each bin is sorted when its turn comes (no single sort covers the table, so
 * no slice does a long one) and freed once read, so the memory goes as the output does. The
 * views serve the control socket, so the bins count against its owner (ctl).
 */
#ifndef TERN_LIB_PREFIX_BINS_H
#define TERN_LIB_PREFIX_BINS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/array.h"

struct prefix_bins {
	/* Keys of key_len octets each: the address after its first octet, then the length. */
	struct array bins[256];
	uint8_t family, key_len;
	size_t bin, pos; /* the next key to read: bins[bin], key pos */
	bool sorted;     /* bins[bin] is */
};

/* family: AF_INET or AF_INET6. Holds no memory until the first add. */
void prefix_bins_init(struct prefix_bins *b, uint8_t family);
/* addr: 4 or 16 octets, host bits zero. False when out of memory (the key is lost). The same
 * prefix may be added more than once. Not after reading began. */
bool prefix_bins_add(struct prefix_bins *b, const uint8_t *addr, uint8_t len);
/* The next prefix in order: address, then length; each prefix once, however often it was
 * added. addr gets 4 or 16 octets. False once every prefix was read. */
bool prefix_bins_next(struct prefix_bins *b, uint8_t *addr, uint8_t *len);
/* Looks ahead without reading: the prefixes after the last one prefix_bins_next gave that
 * share its first octet, in order, each once, handed to fn until it returns false (what
 * `show ip route` needs to head a classful network's subnets with their count). */
void prefix_bins_ahead(const struct prefix_bins *b, bool (*fn)(void *ctx, const uint8_t *addr, uint8_t len),
		       void *ctx);
void prefix_bins_free(struct prefix_bins *b);

#endif
