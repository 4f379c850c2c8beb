/* DOC: byte-string hashing (see hash.h). */
#include "hash.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

uint64_t hash_seed = 0x9e3779b97f4a7c15ull;

void hash_seed_init(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	hash_seed ^= hash_u64((uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 32));
}

uint64_t hash_bytes(const void *data, size_t len, uint64_t seed)
{
	const uint8_t *p = data;
	uint64_t h = seed ^ (len * 0x9e3779b97f4a7c15ull);
	while (len >= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		h = (h ^ hash_u64(w)) * 0x9e3779b97f4a7c15ull;
		p += 8;
		len -= 8;
	}
	uint64_t tail = 0;
	if (len)
		memcpy(&tail, p, len);
	h = (h ^ hash_u64(tail ^ len)) * 0x9e3779b97f4a7c15ull;
	return hash_u64(h);
}
