/* DOC: unit tests of SipHash (lib/siphash.h) against published values, and of the keyed
 * hashes the tables use (lib/hash.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "lib/hash.h"
#include "lib/siphash.h"

static const uint8_t key_bytes[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };

/* The paper's appendix A: key 00 01 .. 0f, message 00 01 .. 0e (15 octets), SipHash-2-4. */
static void test_siphash24_paper_vector(void **state)
{
	(void)state;
	uint8_t message[15];
	for (size_t i = 0; i < sizeof(message); i++)
		message[i] = (uint8_t)i;
	struct siphash_key key = siphash_key_from_bytes(key_bytes);
	assert_true(key.k0 == 0x0706050403020100ull && key.k1 == 0x0f0e0d0c0b0a0908ull);
	assert_true(siphash24(&key, message, sizeof(message)) == 0xa129ca6149be45e5ull);
	/* one octet less or more is another value */
	assert_true(siphash24(&key, message, 14) != 0xa129ca6149be45e5ull);
}

/* SipHash-1-3 has no vector in the paper: these are CPython's hash() of bytes with
 * PYTHONHASHSEED=0 (SipHash-1-3 under the all-zero key; sys.hash_info.algorithm is
 * 'siphash13'), an implementation independent of ours. */
static void test_siphash13_cross_check(void **state)
{
	(void)state;
	struct siphash_key zero = { 0, 0 };
	uint8_t m[64];
	for (size_t i = 0; i < sizeof(m); i++)
		m[i] = (uint8_t)i;
	assert_true(siphash13(&zero, "a", 1) == 0x407448d2b89b1813ull);
	assert_true(siphash13(&zero, m, 5) == 0x5abe2169dff36275ull);
	assert_true(siphash13(&zero, m, 8) == 0xead411e67ebe2eeaull);
	assert_true(siphash13(&zero, m, 15) == 0xf30eb725bb91c9eaull);
	assert_true(siphash13(&zero, m, 64) == 0x75e05fd5bbc870c6ull);
}

/* The process key changes what hash_keyed gives: a peer that knows the code still does not
 * know the hashes. */
static void test_keyed_hash_depends_on_the_key(void **state)
{
	(void)state;
	const uint8_t prefix[5] = { 10, 1, 2, 0, 24 };
	uint64_t fixed = hash_keyed(prefix, sizeof(prefix));
	assert_true(hash_seed_init());
	uint64_t drawn = hash_keyed(prefix, sizeof(prefix));
	assert_true(drawn != fixed);
	struct siphash_key before = hash_key;
	assert_true(hash_seed_init());
	assert_false(before.k0 == hash_key.k0 && before.k1 == hash_key.k1);
}

/* hash_keyed_word() is ((a x + b) mod 2^128) div 2^64: checked against the same sum done in
 * 32-bit limbs, so a wrong carry or a truncated multiply shows. */
static uint64_t multiply_add_shift_by_limbs(const struct hash_word_key *k, uint64_t x)
{
	uint32_t a[4], b[4], r[4] = { 0 };
	for (int i = 0; i < 4; i++) {
		a[i] = (uint32_t)(k->a >> (32 * i));
		b[i] = (uint32_t)(k->b >> (32 * i));
	}
	uint32_t xs[2] = { (uint32_t)x, (uint32_t)(x >> 32) };
	for (int i = 0; i < 4; i++) { /* r = a * x mod 2^128, limb by limb */
		uint64_t carry = 0;
		for (int j = 0; j < 2 && i + j < 4; j++) {
			uint64_t t = (uint64_t)a[i] * xs[j] + r[i + j] + carry;
			r[i + j] = (uint32_t)t;
			carry = t >> 32;
		}
		for (int k2 = i + 2; k2 < 4 && carry; k2++) {
			uint64_t t = (uint64_t)r[k2] + carry;
			r[k2] = (uint32_t)t;
			carry = t >> 32;
		}
	}
	uint64_t carry = 0;
	for (int i = 0; i < 4; i++) { /* + b */
		uint64_t t = (uint64_t)r[i] + b[i] + carry;
		r[i] = (uint32_t)t;
		carry = t >> 32;
	}
	return (uint64_t)r[2] | (uint64_t)r[3] << 32;
}

static void test_keyed_word_is_multiply_add_shift(void **state)
{
	(void)state;
	assert_true(hash_seed_init());
	const uint64_t words[] = { 0, 1, 0x180a0102ull, 0x20ffffffffull, UINT64_MAX, 0x8000000000000000ull };
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		assert_true(hash_keyed_word(words[i]) == hash_u64(multiply_add_shift_by_limbs(&hash_word_key, words[i])));
	struct hash_word_key before = hash_word_key;
	uint64_t h = hash_keyed_word(0x180a0102ull);
	assert_true(hash_seed_init());
	assert_false(before.a == hash_word_key.a && before.b == hash_word_key.b);
	assert_true(hash_keyed_word(0x180a0102ull) != h);
}

/* The prefixes a peer would pick to crowd a table whose buckets are the low bits of an
 * unkeyed hash: every /24 of a /8, which differ only in the third and second octets, as the
 * words lib/prefix.h hashes. The fullest of 4,096 buckets, hashed with or without the
 * bijection (the bare multiply-add-shift). */
enum { SPREAD_BUCKETS = 4096, SPREAD_KEYS = 65536 };
static unsigned fullest_bucket(bool bare)
{
	static unsigned count[SPREAD_BUCKETS];
	memset(count, 0, sizeof(count));
	for (uint64_t i = 0; i < SPREAD_KEYS; i++) {
		uint64_t word = 10 | (i & 0xff) << 8 | (i >> 8) << 16 | 24ull << 32;
		uint64_t h = bare ? multiply_add_shift_by_limbs(&hash_word_key, word) : hash_keyed_word(word);
		count[h & (SPREAD_BUCKETS - 1)]++;
	}
	unsigned most = 0;
	for (size_t i = 0; i < SPREAD_BUCKETS; i++)
		if (count[i] > most)
			most = count[i];
	return most;
}

/* Under a fresh key they spread as chance would: the mean is 16, and a Poisson(16) bucket
 * exceeds 48 with probability about 1e-10 (4e-7 for the fullest of 4,096). The bare scheme
 * failed this for about one key in a hundred. */
static void test_keyed_word_spreads_chosen_prefixes(void **state)
{
	(void)state;
	assert_true(hash_seed_init());
	assert_true(fullest_bucket(false) < 48);
}

/* One of those keys, kept: the bare multiply-add-shift folds the /24s onto a lattice (284 in
 * the fullest bucket), and the bijection spreads them (33). */
static void test_keyed_word_spreads_under_a_lattice_key(void **state)
{
	(void)state;
	hash_word_key.a = (hash_u128)0x859a0cf18488acecull << 64 | 0xd4873c9d6d24f2eeull;
	hash_word_key.b = (hash_u128)0xd5cf1a7c416d617bull << 64 | 0x6071c28c286aa28full;
	assert_true(fullest_bucket(true) >= 256);
	assert_true(fullest_bucket(false) < 48);
	assert_true(hash_seed_init());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_siphash24_paper_vector),
		cmocka_unit_test(test_siphash13_cross_check),
		cmocka_unit_test(test_keyed_hash_depends_on_the_key),
		cmocka_unit_test(test_keyed_word_is_multiply_add_shift),
		cmocka_unit_test(test_keyed_word_spreads_chosen_prefixes),
		cmocka_unit_test(test_keyed_word_spreads_under_a_lattice_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
