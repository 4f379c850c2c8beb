/*
 * DOC: MD5 message digest, written from RFC 1321 §3.
 *
 * Four rounds of sixteen steps over each 64-byte block; words are little-endian. The padding
 * (RFC 1321 §3.1-3.2) is a 0x80 byte, zeros up to 56 mod 64, then the bit length as a 64-bit
 * little-endian number.
 */
#include "lib/md5.h"

#include <string.h>

/* RFC 1321 §3.4: T[i] = floor(2^32 * abs(sin(i + 1))) */
static const uint32_t md5_t[64] = {
	0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
	0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
	0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
	0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
	0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
	0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
	0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
	0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

static const uint8_t md5_shift[64] = {
	7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
	5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
	4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
	6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
};

static uint32_t rotl(uint32_t x, unsigned n)
{
	return (x << n) | (x >> (32 - n));
}

static void md5_block(struct md5 *m, const uint8_t block[64])
{
	uint32_t x[16];
	for (int i = 0; i < 16; i++)
		x[i] = (uint32_t)block[i * 4] | ((uint32_t)block[i * 4 + 1] << 8) |
		       ((uint32_t)block[i * 4 + 2] << 16) | ((uint32_t)block[i * 4 + 3] << 24);
	uint32_t a = m->state[0], b = m->state[1], c = m->state[2], d = m->state[3];
	for (int i = 0; i < 64; i++) {
		uint32_t f;
		int k;
		if (i < 16) {
			f = (b & c) | (~b & d);
			k = i;
		} else if (i < 32) {
			f = (b & d) | (c & ~d);
			k = (5 * i + 1) % 16;
		} else if (i < 48) {
			f = b ^ c ^ d;
			k = (3 * i + 5) % 16;
		} else {
			f = c ^ (b | ~d);
			k = (7 * i) % 16;
		}
		uint32_t next = b + rotl(a + f + md5_t[i] + x[k], md5_shift[i]);
		a = d;
		d = c;
		c = b;
		b = next;
	}
	m->state[0] += a;
	m->state[1] += b;
	m->state[2] += c;
	m->state[3] += d;
}

void md5_init(struct md5 *m)
{
	memset(m, 0, sizeof(*m));
	m->state[0] = 0x67452301;
	m->state[1] = 0xefcdab89;
	m->state[2] = 0x98badcfe;
	m->state[3] = 0x10325476;
}

void md5_update(struct md5 *m, const void *data, size_t len)
{
	const uint8_t *in = data;
	m->length += len;
	for (size_t i = 0; i < len; i++) {
		m->block[m->used++] = in[i];
		if (m->used == 64) {
			md5_block(m, m->block);
			m->used = 0;
		}
	}
}

void md5_final(struct md5 *m, uint8_t digest[MD5_DIGEST_LEN])
{
	uint64_t bits = m->length * 8;
	uint8_t pad = 0x80;
	md5_update(m, &pad, 1);
	pad = 0;
	while (m->used != 56)
		md5_update(m, &pad, 1);
	uint8_t len[8];
	for (int i = 0; i < 8; i++)
		len[i] = (uint8_t)(bits >> (8 * i));
	md5_update(m, len, 8);
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 4; j++)
			digest[i * 4 + j] = (uint8_t)(m->state[i] >> (8 * j));
}

void md5(const void *data, size_t len, uint8_t digest[MD5_DIGEST_LEN])
{
	struct md5 m;
	md5_init(&m);
	md5_update(&m, data, len);
	md5_final(&m, digest);
}
