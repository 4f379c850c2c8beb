/*
 * DOC: hash functions for the hash tables (lib/hash_table.h), and their secret.
 *
 * Chosen by who picks the keys:
 * - hash_keyed(): SipHash-1-3 (lib/siphash.h) under a 128-bit key drawn
 *   from getrandom() at start, for keys a peer chooses: IPv6 prefixes (UPDATEs, and the
 *   kernel routes they become) and path attribute sets. A peer that cannot learn the key
 *   cannot send keys that all fall into one chain.
 * - hash_keyed_word(): multiply-add-shift under a 256-bit key drawn with hash_key, for keys a
 *   peer chooses that fit in 64 bits and are hashed once per prefix of a full table (an IPv4
 *   prefix: lib/prefix.h). Dietzfelbinger's scheme ((a x + b) mod 2^128) div 2^64, a and b
 *   uniform in [2^128], is strongly universal (M. Dietzfelbinger, "Universal hashing and
 *   k-wise independent random variables via integer arithmetic without primes", STACS 1996;
 *   M. Thorup, "High speed hashing for integers and strings", 2015, multiply-add-shift): two
 *   different keys a peer picks without knowing a and b land in the same one of m buckets
 *   with probability 1/m, any m a power of two. A fixed bijection of the result (hash_u64) then keeps
 *   the lattice that a linear scheme makes of arithmetic progressions out of the buckets, so
 *   no chain is longer than chance makes it.
 *   Like SipHash it rests on the key staying secret; unlike SipHash it is not a PRF (seeing
 *   hash values would reveal the key), and nothing we send shows one. Four multiplies with
 *   the bijection, against SipHash's four rounds: a full table's load hashes each prefix
 *   three or four times.
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

/* The key of hash_keyed_word(), drawn by hash_seed_init(). */
__extension__ typedef unsigned __int128 hash_u128;
struct hash_word_key {
	hash_u128 a, b;
};
extern struct hash_word_key hash_word_key;

/* A 64-bit finaliser (multiply-xorshift), a bijection: alone, not for keys a peer chooses;
 * hash_keyed_word() applies it to its keyed result. */
static inline uint64_t hash_u64(uint64_t v)
{
	v ^= v >> 33;
	v *= 0xff51afd7ed558ccdull;
	v ^= v >> 33;
	v *= 0xc4ceb9fe1a85ec53ull;
	v ^= v >> 33;
	return v;
}

/* Multiply-add-shift, then hash_u64(), a fixed bijection of its 64 bits. Strong universality
 * bounds how many pairs collide, not the longest chain: the scheme is linear, and a peer's
 * prefixes are arithmetic progressions (every /24 of a /8), which some keys fold onto a
 * lattice of few buckets. One key in a hundred put 200 to 500 of those 65,536 prefixes into
 * one of 4,096 buckets (the mean is 16; test_siphash keeps one such key). The finaliser mixes
 * every bit of the result into the low bits the tables index by, and a bijection keeps what
 * the scheme promises: a uniform pair of results stays a uniform pair. */
static inline uint64_t hash_keyed_word(uint64_t word)
{
	return hash_u64((uint64_t)((hash_word_key.a * word + hash_word_key.b) >> 64));
}

#endif
