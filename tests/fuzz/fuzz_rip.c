/*
 * DOC: fuzz target for the RIP message decoder (input: one UDP payload).
 *
 * Oracles: the decoder never reads past the input (sanitizers) and always classifies; a
 * message that decodes re-encodes to bytes that decode to the same command, version,
 * authentication and entries; a message without MD5 re-encodes to exactly the input (every
 * field is kept, version 1 must-be-zero fields were checked), except the version 2 header's
 * unused octets, which the encoder writes as zero.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wire/rip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
	if (!ok)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rip_packet p;
	enum rip_error err = rip_decode(data, size, &p);
	check((unsigned)err < RIP_ERR_COUNT);
	check(rip_error_name(err) != NULL);
	if (err != RIP_OK)
		return 0;
	check(p.version == 1 || p.version == 2);
	check(p.command == RIP_REQUEST || p.command == RIP_RESPONSE);
	check(p.count <= (p.has_auth ? RIP_MAX_ENTRIES - 1 : RIP_MAX_ENTRIES));
	uint8_t key[RIP_AUTH_KEY_LEN] = "fuzz";
	uint8_t buf[RIP_MAX_PACKET];
	size_t n = rip_encode(&p, key, buf, sizeof(buf));
	check(n > 0);
	struct rip_packet again;
	check(rip_decode(buf, n, &again) == RIP_OK);
	check(again.command == p.command && again.version == p.version);
	check(again.has_auth == p.has_auth && again.count == p.count);
	check(memcmp(again.entries, p.entries, p.count * sizeof(p.entries[0])) == 0);
	if (p.has_auth && p.auth.type == RIP_AUTH_MD5) {
		check(rip_md5_verify(buf, n, &again, key));
	} else {
		check(n == size);
		check(memcmp(buf + 4, data + 4, n - 4) == 0 && buf[0] == data[0] && buf[1] == data[1]);
	}
	return 0;
}
