/*
 * DOC: fuzz target for the netlink message parsers (src/kernel/msg.c).
 *
 * The kernel is not an adversary, but its messages are bytes read from a socket, so they go
 * through the same bounded parsing as a peer's: the first input byte picks the parser, the
 * rest is one message. A route that parses must build again (round trip).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t which = data[0] % 4;
	/* The parsers take aligned netlink messages, as recv() delivers them. */
	uint32_t aligned[2048];
	size_t len = size - 1 < sizeof(aligned) ? size - 1 : sizeof(aligned);
	memcpy(aligned, data + 1, len);
	switch (which) {
	case 0: {
		struct kernel_link link;
		kernel_msg_parse_link(aligned, len, &link);
		break;
	}
	case 1: {
		struct kernel_addr addr;
		kernel_msg_parse_addr(aligned, len, &addr);
		break;
	}
	case 2: {
		struct kernel_route route;
		struct kernel_route_meta meta;
		if (kernel_msg_parse_route(aligned, len, &route, &meta) == 0) {
			uint32_t out[1024];
			kernel_msg_route_replace(out, sizeof(out), 1, &route);
		}
		break;
	}
	default: {
		struct kernel_msg_error error;
		kernel_msg_parse_error(aligned, len, &error);
		break;
	}
	}
	return 0;
}
