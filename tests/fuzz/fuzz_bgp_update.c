/*
 * DOC: fuzz target for UPDATE framing and IPv4 prefixes (input: the body after the header).
 *
 * The body is split into withdrawn routes, attributes and NLRI; every prefix of both prefix
 * fields is decoded. Oracles: the three parts and the two length fields account for the
 * whole body; every prefix has its host bits zero; and when all prefixes decode, the body is
 * rebuilt from the decoded prefixes and the attribute bytes, split again, and must give the
 * same prefixes and the same attributes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wire/bgp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
	if (!ok)
		abort();
}

/* Up to 65535 octets of prefixes, one octet each at least. */
#define MAX_PREFIXES 65536
static struct bgp_prefix4 withdrawn[MAX_PREFIXES], nlri[MAX_PREFIXES];

/* Decodes every prefix of a field; -1 if one is malformed, else the count. */
static long all_prefixes(struct reader field, struct bgp_prefix4 *out)
{
	long n = 0;
	for (;;) {
		struct bgp_prefix4 p;
		int ret = bgp_prefix4_next(&field, &p);
		if (ret == 0)
			return n;
		if (ret < 0) {
			check(bgp_prefix4_next(&field, &p) == -1); /* the failure is sticky */
			return -1;
		}
		check(ret == 1 && p.len <= 32);
		uint32_t mask = p.len ? ~(uint32_t)0 << (32 - p.len) : 0;
		check((p.addr & ~mask) == 0);
		check(n < MAX_PREFIXES);
		out[n++] = p;
	}
}

static size_t encode_prefixes(struct writer *w, const struct bgp_prefix4 *p, long n)
{
	size_t start = w->len;
	for (long i = 0; i < n; i++)
		check(bgp_prefix4_encode(w, &p[i]));
	return w->len - start;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reader body = reader_make(data, size);
	struct bgp_update_parts parts;
	struct bgp_error err;
	memset(&err, 0, sizeof(err));
	if (!bgp_update_split(&body, &parts, &err)) {
		check(err.code == BGP_ERR_UPDATE &&
		      err.subcode == BGP_ERR_UPDATE_MALFORMED_ATTRIBUTE_LIST && err.data_len == 0);
		return 0;
	}
	size_t wlen = reader_remaining(&parts.withdrawn);
	size_t alen = reader_remaining(&parts.attributes);
	size_t nlen = reader_remaining(&parts.nlri);
	check(wlen + alen + nlen + 4 == size);

	long nw = all_prefixes(parts.withdrawn, withdrawn);
	long nn = all_prefixes(parts.nlri, nlri);
	if (nw < 0 || nn < 0)
		return 0;

	/* Rebuild: canonical prefixes take exactly the octets the originals took. */
	uint8_t *buf = malloc(size);
	check(buf != NULL);
	struct writer w = writer_make(buf, size);
	size_t at = writer_reserve(&w, 2);
	size_t wl = encode_prefixes(&w, withdrawn, nw);
	check(wl == wlen);
	writer_patch_u16(&w, at, (uint16_t)wl);
	writer_u16(&w, (uint16_t)alen);
	struct reader attrs = parts.attributes;
	uint8_t *attr_copy = malloc(alen ? alen : 1);
	check(attr_copy != NULL);
	check(reader_bytes(&attrs, attr_copy, alen));
	writer_bytes(&w, attr_copy, alen);
	check(encode_prefixes(&w, nlri, nn) == nlen);
	check(writer_ok(&w) && w.len == size);

	struct reader again_body = reader_make(buf, w.len);
	struct bgp_update_parts again;
	check(bgp_update_split(&again_body, &again, &err));
	check(reader_remaining(&again.attributes) == alen);
	uint8_t *attr_again = malloc(alen ? alen : 1);
	check(attr_again != NULL);
	check(reader_bytes(&again.attributes, attr_again, alen));
	check(alen == 0 || memcmp(attr_copy, attr_again, alen) == 0);
	struct bgp_prefix4 p;
	for (long i = 0; i < nw; i++) {
		check(bgp_prefix4_next(&again.withdrawn, &p) == 1);
		check(p.addr == withdrawn[i].addr && p.len == withdrawn[i].len);
	}
	check(bgp_prefix4_next(&again.withdrawn, &p) == 0);
	for (long i = 0; i < nn; i++) {
		check(bgp_prefix4_next(&again.nlri, &p) == 1);
		check(p.addr == nlri[i].addr && p.len == nlri[i].len);
	}
	check(bgp_prefix4_next(&again.nlri, &p) == 0);
	free(attr_again);
	free(attr_copy);
	free(buf);
	return 0;
}
