/* DOC: the hash tables' secret key (see hash.h). */
#include "lib/hash.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

/* Fixed values until hash_seed_init(): unit tests and tools get the same tables each run. */
struct siphash_key hash_key = { 0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull };
uint64_t hash_seed = 0x9e3779b97f4a7c15ull;
struct hash_word_key hash_word_key = {
	((hash_u128)0x9e3779b97f4a7c15ull << 64) | 0xbf58476d1ce4e5b9ull,
	((hash_u128)0x94d049bb133111ebull << 64) | 0x2545f4914f6cdd1dull,
};

bool hash_seed_init(void)
{
	uint8_t bytes[24 + sizeof(hash_word_key)];
	size_t got = 0;
	while (got < sizeof(bytes)) {
		ssize_t n = getrandom(bytes + got, sizeof(bytes) - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		got += (size_t)n;
	}
	hash_key = siphash_key_from_bytes(bytes);
	memcpy(&hash_seed, bytes + 16, sizeof(hash_seed));
	memcpy(&hash_word_key, bytes + 24, sizeof(hash_word_key));
	return true;
}
