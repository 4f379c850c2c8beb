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

/*
 * A memo of recent hash_keyed_short() values: a table that hashes the same keys again soon
 * (the prefixes of an UPDATE: prefetched twice ahead of the apply, then looked up, then
 * freed) looks them up here instead of running SipHash again. Direct-mapped: a key chooses
 * one slot by a cheap unkeyed mix, and replaces what was there. A peer that makes keys share
 * slots only makes the memo miss, costing the SipHash it would cost anyway: the hash values
 * themselves are always SipHash's. Valid for the key it was filled under: make it (zeroed)
 * after hash_seed_init().
 */
#define HASH_MEMO_BITS 10 /* 1024 slots, 16 KB: a few UPDATEs' prefixes, well inside the L1 cache */
#define HASH_MEMO_SLOTS (1u << HASH_MEMO_BITS)

struct hash_memo {
	struct {
		uint64_t tag; /* the word, its length in octets 56..62, bit 63 set; 0: empty */
		uint64_t hash;
	} slot[HASH_MEMO_SLOTS];
};

static inline uint64_t hash_keyed_short_memo(struct hash_memo *memo, uint64_t word, size_t len)
{
	uint64_t tag = word | ((uint64_t)len << 56) | (1ull << 63);
	size_t i = (size_t)((tag * 0x9e3779b97f4a7c15ull) >> (64 - HASH_MEMO_BITS));
	if (memo->slot[i].tag != tag) {
		memo->slot[i].tag = tag;
		memo->slot[i].hash = hash_keyed_short(word, len);
	}
	return memo->slot[i].hash;
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
