/*
 * DOC: hashing of byte strings for the hash tables (interned attributes, prefixes).
 *
 * A fast 64-bit mix over 8-byte words (multiply-xorshift), good enough against accidental
 * clustering; peers cannot choose our seed, which is random per process.
 */
#ifndef TERN_LIB_HASH_H
#define TERN_LIB_HASH_H

#include <stddef.h>
#include <stdint.h>

void hash_seed_init(void);
uint64_t hash_bytes(const void *data, size_t len, uint64_t seed);

/* A 64-bit finaliser (multiply-xorshift); inline because the prefix tables call it once per
 * prefix of every UPDATE. */
static inline uint64_t hash_u64(uint64_t v)
{
	v ^= v >> 33;
	v *= 0xff51afd7ed558ccdull;
	v ^= v >> 33;
	v *= 0xc4ceb9fe1a85ec53ull;
	v ^= v >> 33;
	return v;
}
extern uint64_t hash_seed;

#endif
