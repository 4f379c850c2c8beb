/*
 * DOC: IP prefixes as values: the one prefix type of every module (configuration, core, BGP,
 * OSPF, RIP).
 *
 * struct prefix is an IPv4 or IPv6 prefix: family, length and the address in network order
 * with the host bits zero (and, for IPv4, the 12 octets after the address zero), so that two
 * equal prefixes are equal octet for octet. It is 18 octets with no padding, the same layout
 * the BGP RIB's per-prefix hash key has always had: do not make it bigger, a full table hashes
 * one per prefix of every UPDATE.
 *
 * Operations: make one from an address and a length (host bits masked), from a host-order IPv4
 * value; equal, compare (the order configuration printing lists networks in), contains; the
 * octets a hash takes, and the keyed hash itself (lib/hash.h: a peer chooses prefixes); format
 * "A/L" or the address alone into a caller's buffer. Nothing here allocates.
 */
#ifndef TERN_LIB_PREFIX_H
#define TERN_LIB_PREFIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/addr.h"
#include "lib/hash.h"

struct prefix {
	uint8_t family;   /* AF_INET or AF_INET6 */
	uint8_t len;      /* 0-32 or 0-128 */
	uint8_t addr[16]; /* network order, host bits zero */
};

/* "2001:db8::/32", "10.0.0.0/8": an address and "/128". */
#define PREFIX_STRLEN (IP_ADDR_STRLEN + 4)
/* prefix_hash_input's most octets: the address and the length. */
#define PREFIX_HASH_INPUT_MAX 17

/* The octets of the address that count: 4 for IPv4, 16 for IPv6. */
static inline size_t prefix_addr_size(const struct prefix *p)
{
	return p->family == AF_INET6 ? 16 : 4;
}

/* addr/len with the host bits cleared; len is not checked against the family. */
struct prefix prefix_make(const struct ip_addr *addr, uint8_t len);
/* An IPv4 prefix from a host-order address, host bits cleared. */
struct prefix prefix_from_v4(uint32_t host_order, uint8_t len);
/* Clears the host bits of p in place, and the octets past its family's address. */
void prefix_clear_host_bits(struct prefix *p);
/* Would addr/len lose bits to prefix_make (is addr not the network of the prefix)? */
bool prefix_has_host_bits(const struct ip_addr *addr, uint8_t len);

/* IPv4 only: the address as a host-order integer. */
static inline uint32_t prefix_v4(const struct prefix *p)
{
	return (uint32_t)p->addr[0] << 24 | (uint32_t)p->addr[1] << 16 | (uint32_t)p->addr[2] << 8 |
	       (uint32_t)p->addr[3];
}
static inline bool prefix_is_v4(const struct prefix *p) { return p->family == AF_INET; }
/* The prefix's address (its network) as an address value. */
struct ip_addr prefix_address(const struct prefix *p);

/* Inline: tables search with these (RIP's sorted table, OSPF's externals). */
static inline bool prefix_equal(const struct prefix *a, const struct prefix *b)
{
	return a->family == b->family && a->len == b->len && !memcmp(a->addr, b->addr, prefix_addr_size(a));
}
/* Family (IPv4 first), then address, then length: 10.0.0.0/8 before 10.0.0.0/16 before
 * 10.1.0.0/16. Configuration printing lists networks and static routes in this order. */
static inline int prefix_compare(const struct prefix *a, const struct prefix *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	int cmp = memcmp(a->addr, b->addr, prefix_addr_size(a));
	if (cmp)
		return cmp;
	return a->len < b->len ? -1 : a->len > b->len;
}
/* Is inner within outer (same family, at least as long, outer's bits equal)? A prefix
 * contains itself; a /0 contains every prefix of its family. */
bool prefix_contains(const struct prefix *outer, const struct prefix *inner);

/* The octets that identify p, for a hash: the address (4 or 16 octets) then the length.
 * Returns how many were written into out (at most PREFIX_HASH_INPUT_MAX). */
size_t prefix_hash_input(const struct prefix *p, uint8_t out[PREFIX_HASH_INPUT_MAX]);
/* An IPv4 prefix as one word (5 octets, the first in the low bits), for prefix_v4_hash(). */
static inline uint64_t prefix_v4_hash_word(const uint8_t addr[4], uint8_t len)
{
	return (uint64_t)addr[0] | (uint64_t)addr[1] << 8 | (uint64_t)addr[2] << 16 | (uint64_t)addr[3] << 24 |
	       (uint64_t)len << 32;
}

/* A peer chooses prefixes: a keyed hash (lib/hash.h). An IPv4 prefix, hashed three or four
 * times per prefix of a full table's load, is one multiply-add-shift word. */
static inline uint64_t prefix_v4_hash(const uint8_t addr[4], uint8_t len)
{
	return hash_keyed_word(prefix_v4_hash_word(addr, len));
}

/* IPv6: SipHash of prefix_hash_input(). */
static inline uint64_t prefix_hash_keyed(const struct prefix *p)
{
	if (p->family != AF_INET6)
		return prefix_v4_hash(p->addr, p->len);
	uint8_t key[PREFIX_HASH_INPUT_MAX];
	size_t n = prefix_hash_input(p, key);
	return hash_keyed(key, n);
}

/* "10.0.0.0/8" into buf (at least PREFIX_STRLEN); returns buf. */
const char *prefix_format(const struct prefix *p, char *buf);
/* The address alone, "10.0.0.0", into buf (at least IP_ADDR_STRLEN); returns buf. */
const char *prefix_format_address(const struct prefix *p, char *buf);

#endif
