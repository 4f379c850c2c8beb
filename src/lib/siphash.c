/* DOC: SipHash-c-d over octet strings (see siphash.h). */
#include "lib/siphash.h"

#include <string.h>

static uint64_t load_le64(const uint8_t *p, size_t n)
{
	uint64_t w = 0;
	for (size_t i = 0; i < n; i++)
		w |= (uint64_t)p[i] << (8 * i);
	return w;
}

struct siphash_key siphash_key_from_bytes(const uint8_t bytes[16])
{
	return (struct siphash_key){ .k0 = load_le64(bytes, 8), .k1 = load_le64(bytes + 8, 8) };
}

/* The paper's §2: the message as little-endian 64-bit words, the last one padded with zeros
 * and carrying the length modulo 256 in its top octet (so a message of a multiple of 8
 * octets ends with a word of its own). */
static inline uint64_t siphash(const struct siphash_key *key, const void *data, size_t len, unsigned c,
			       unsigned d)
{
	const uint8_t *p = data;
	struct siphash_state s = siphash_begin(key);
	size_t whole = len & ~(size_t)7;
	for (size_t i = 0; i < whole; i += 8) {
		uint64_t m;
		memcpy(&m, p + i, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		m = __builtin_bswap64(m);
#endif
		siphash_word(&s, m, c);
	}
	siphash_word(&s, load_le64(p + whole, len - whole) | ((uint64_t)len << 56), c);
	return siphash_end(&s, d);
}

uint64_t siphash13(const struct siphash_key *key, const void *data, size_t len)
{
	return siphash(key, data, len, 1, 3);
}

uint64_t siphash24(const struct siphash_key *key, const void *data, size_t len)
{
	return siphash(key, data, len, 2, 4);
}
