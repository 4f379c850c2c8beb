/*
 * DOC: pre-encoding of the benchmark table into UPDATE messages (used by the feeder).
 *
 * Announcements are packed the way a good speaker packs them: one attribute set, then as many
 * of its prefixes as fit in 4096 octets, a new UPDATE with the same attributes when they do
 * not. Withdrawals are packed into the Withdrawn Routes field the same way. All bytes come from
 * the wire codec (bgp_attr_encode, bgp_prefix4_encode, bgp_header_begin/end).
 */
#ifndef TERN_BENCH_ENCODE_H
#define TERN_BENCH_ENCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "table.h"

struct bench_buf {
	uint8_t *data;
	size_t len, cap;
	size_t messages;
};

/* Which prefixes (by index) a message stream covers: all, or those with index % mod == rem. */
struct bench_select {
	uint32_t mod; /* 0 or 1: every prefix */
	uint32_t rem;
};

/* Appends UPDATEs announcing the selected prefixes with next_hop (host order). */
bool bench_encode_announce(struct bench_buf *b, const struct bench_table *t,
			   struct bench_select sel, uint32_t next_hop);
/* Appends UPDATEs withdrawing the selected prefixes. */
bool bench_encode_withdraw(struct bench_buf *b, const struct bench_table *t,
			   struct bench_select sel);
/* Appends the IPv4 unicast End-of-RIB marker (RFC 4724 §2: an empty UPDATE). */
bool bench_encode_eor(struct bench_buf *b);
void bench_buf_free(struct bench_buf *b);

#endif
