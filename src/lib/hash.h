/*
 * DOC: hash functions for the hash tables (lib/hash_table.h), and their secret.
 *
 * Two kinds, chosen by who picks the keys:
 * - hash_keyed(), hash_keyed_short(): SipHash-1-3 (lib/siphash.h) under a 128-bit key drawn
 *   from getrandom() at start, for keys a peer chooses: prefixes (UPDATEs, LSAs, RIP
 *   responses, and the kernel routes they become) and path attribute sets. A peer that cannot
 *   learn the key cannot send prefixes that all fall into one chain. An IPv4 prefix is one
 *   SipHash word (hash_keyed_short), a few nanoseconds per prefix of a full table.
 * - hash_u64(): a fast multiply-xorshift finaliser for keys no peer chooses (our own
 *   pointers, such as an attribute set's address), where only accidental clustering matters.
 */
#ifndef TERN_LIB_HASH_H
#define TERN_LIB_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/siphash.h"

/* Draws hash_key and hash_seed from getrandom(). False if the kernel gave no randomness (the
 * key then stays the fixed one tests use). Call once, before any table holds keys. */
bool hash_seed_init(void);

extern struct siphash_key hash_key;
extern uint64_t hash_seed; /* for hash_u64 users that want a per-process value too */

static inline uint64_t hash_keyed(const void *data, size_t len)
{
	return siphash13(&hash_key, data, len);
}

/* hash_keyed() of the len < 8 octets in word, first octet in the low bits. */
static inline uint64_t hash_keyed_short(uint64_t word, size_t len)
{
	return siphash13_short(&hash_key, word, len);
}

/* A 64-bit finaliser (multiply-xorshift), a bijection: not for keys a peer chooses. */
static inline uint64_t hash_u64(uint64_t v)
{
	v ^= v >> 33;
	v *= 0xff51afd7ed558ccdull;
	v ^= v >> 33;
	v *= 0xc4ceb9fe1a85ec53ull;
	v ^= v >> 33;
	return v;
}

#endif
