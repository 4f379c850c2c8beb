/*
 * DOC: MD5 (RFC 1321), for keyed-MD5 authentication of RIPv2 (RFC 4822 §3).
 *
 * MD5 is broken as a collision-resistant hash; RIP's keyed-MD5 still uses it, so it is here
 * for interoperability only. One-shot and incremental forms; no allocation.
 */
#ifndef TERN_LIB_MD5_H
#define TERN_LIB_MD5_H

#include <stddef.h>
#include <stdint.h>

#define MD5_DIGEST_LEN 16

struct md5 {
	uint32_t state[4];
	uint64_t length;   /* bytes hashed so far */
	uint8_t block[64]; /* bytes not yet hashed */
	size_t used;
};

void md5_init(struct md5 *m);
void md5_update(struct md5 *m, const void *data, size_t len);
void md5_final(struct md5 *m, uint8_t digest[MD5_DIGEST_LEN]);
void md5(const void *data, size_t len, uint8_t digest[MD5_DIGEST_LEN]);

#endif
