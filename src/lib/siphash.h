/*
 * DOC: SipHash, the keyed hash of Aumasson and Bernstein ("SipHash: a fast short-input PRF",
 * 2012), written from the paper's description.
 *
 * Why a keyed hash: the hash tables whose keys a peer chooses (IPv6 prefixes, path attribute
 * sets; IPv4 prefixes take lib/hash.h's keyed multiply-add-shift) must not let the peer
 * choose keys that all land in one chain (hash flooding). With a secret 128-bit key drawn at
 * start (lib/hash.h), a peer cannot predict which keys collide. SipHash-c-d runs c rounds per 8-byte word and d at the end;
 * the paper proposes 2-4. siphash13() is the 1-3 variant that CPython and Rust's standard
 * hash tables chose for speed (no attack on it is known as a PRF for hash tables); the tables
 * use it, and siphash24() is here to test the code against the paper's own vector.
 */
#ifndef TERN_LIB_SIPHASH_H
#define TERN_LIB_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

struct siphash_key {
	uint64_t k0, k1; /* the key's octets 0..7 and 8..15, read little-endian */
};

/* The key from 16 octets, as the paper reads it. */
struct siphash_key siphash_key_from_bytes(const uint8_t bytes[16]);

uint64_t siphash13(const struct siphash_key *key, const void *data, size_t len);
uint64_t siphash24(const struct siphash_key *key, const void *data, size_t len);

/* The state and the round of the paper's §2, inline for the short fixed keys below. */
struct siphash_state {
	uint64_t v0, v1, v2, v3;
};

static inline uint64_t siphash_rotl(uint64_t x, unsigned b)
{
	return (x << b) | (x >> (64 - b));
}

static inline void siphash_round(struct siphash_state *s)
{
	s->v0 += s->v1;
	s->v2 += s->v3;
	s->v1 = siphash_rotl(s->v1, 13);
	s->v3 = siphash_rotl(s->v3, 16);
	s->v1 ^= s->v0;
	s->v3 ^= s->v2;
	s->v0 = siphash_rotl(s->v0, 32);
	s->v2 += s->v1;
	s->v0 += s->v3;
	s->v1 = siphash_rotl(s->v1, 17);
	s->v3 = siphash_rotl(s->v3, 21);
	s->v1 ^= s->v2;
	s->v3 ^= s->v0;
	s->v2 = siphash_rotl(s->v2, 32);
}

/* Initialization: the key xor "somepseudorandomlygeneratedbytes". */
static inline struct siphash_state siphash_begin(const struct siphash_key *key)
{
	return (struct siphash_state){
		.v0 = key->k0 ^ 0x736f6d6570736575ull,
		.v1 = key->k1 ^ 0x646f72616e646f6dull,
		.v2 = key->k0 ^ 0x6c7967656e657261ull,
		.v3 = key->k1 ^ 0x7465646279746573ull,
	};
}

/* Compression of one message word m with c rounds. */
static inline void siphash_word(struct siphash_state *s, uint64_t m, unsigned c)
{
	s->v3 ^= m;
	for (unsigned i = 0; i < c; i++)
		siphash_round(s);
	s->v0 ^= m;
}

/* Finalization with d rounds. */
static inline uint64_t siphash_end(struct siphash_state *s, unsigned d)
{
	s->v2 ^= 0xff;
	for (unsigned i = 0; i < d; i++)
		siphash_round(s);
	return s->v0 ^ s->v1 ^ s->v2 ^ s->v3;
}

#endif
