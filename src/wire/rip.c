/*
 * DOC: RIP message decoding and encoding (see wire/rip.h for the layout and the RFCs).
 *
 * The decoder carves the message with the bounded reader: the four-octet header, then the
 * entries region (for keyed MD5, exactly up to the trailer offset the authentication entry
 * declares), then the trailer; each entry is read field by field from its own 20-octet
 * sub-reader, so a bad length can only ever produce an error.
 */
#include "wire/rip.h"

#include <string.h>

#include "lib/md5.h"
#include "lib/reader.h"
#include "lib/writer.h"

static const char *const error_names[RIP_ERR_COUNT] = {
	[RIP_OK] = "ok",
	[RIP_ERR_TRUNCATED] = "truncated",
	[RIP_ERR_TOO_LONG] = "too many entries",
	[RIP_ERR_VERSION] = "bad version",
	[RIP_ERR_COMMAND] = "bad command",
	[RIP_ERR_MBZ] = "must-be-zero field set",
	[RIP_ERR_AFI] = "bad address family",
	[RIP_ERR_METRIC] = "bad metric",
	[RIP_ERR_MASK] = "bad mask",
	[RIP_ERR_AUTH] = "malformed authentication",
};

const char *rip_error_name(enum rip_error e)
{
	return (unsigned)e < RIP_ERR_COUNT ? error_names[e] : "unknown";
}

static bool mask_contiguous(uint32_t mask)
{
	uint32_t inverted = ~mask;
	return (inverted & (inverted + 1)) == 0;
}

bool rip_is_whole_table_request(const struct rip_packet *p)
{
	/* RFC 2453 §3.9.1 */
	return p->command == RIP_REQUEST && p->count == 1 && p->entries[0].afi == 0 &&
	       p->entries[0].metric == RIP_INFINITY;
}

/* RFC 2453 §4.1, RFC 4822 §2: the authentication entry after its AFI. */
static enum rip_error decode_auth(struct reader *e, struct rip_auth *auth)
{
	auth->type = reader_u16(e);
	if (auth->type == RIP_AUTH_TEXT) {
		reader_bytes(e, auth->password, RIP_AUTH_KEY_LEN);
	} else if (auth->type == RIP_AUTH_MD5) {
		auth->trailer_offset = reader_u16(e);
		auth->key_id = reader_u8(e);
		auth->data_len = reader_u8(e);
		auth->sequence = reader_u32(e);
		reader_skip(e, 8);
		if (auth->data_len != 16 && auth->data_len != 20)
			return RIP_ERR_AUTH;
	} else {
		return RIP_ERR_AUTH;
	}
	return reader_ok(e) ? RIP_OK : RIP_ERR_TRUNCATED;
}

static enum rip_error decode_entry(struct reader *e, const struct rip_packet *p, struct rip_entry *out)
{
	out->afi = reader_u16(e);
	out->tag = reader_u16(e);
	out->addr = reader_u32(e);
	out->mask = reader_u32(e);
	out->next_hop = reader_u32(e);
	out->metric = reader_u32(e);
	if (!reader_ok(e))
		return RIP_ERR_TRUNCATED;
	bool whole_table = p->command == RIP_REQUEST && out->afi == 0 && out->metric == RIP_INFINITY;
	if (out->afi != RIP_AFI_INET && !whole_table)
		return RIP_ERR_AFI;
	/* RFC 1058 §3.4: version 1 must-be-zero fields */
	if (p->version == 1 && (out->tag || out->mask || out->next_hop))
		return RIP_ERR_MBZ;
	if (p->version == 2 && !mask_contiguous(out->mask))
		return RIP_ERR_MASK;
	/* RFC 2453 §3.9.2: a metric outside 1-16 makes the entry (here: the message) invalid.
	 * A Request's metrics carry no route (§3.9.1). */
	if (p->command == RIP_RESPONSE && (out->metric < 1 || out->metric > RIP_INFINITY))
		return RIP_ERR_METRIC;
	return RIP_OK;
}

enum rip_error rip_decode(const uint8_t *data, size_t len, struct rip_packet *out)
{
	memset(out, 0, sizeof(*out));
	struct reader r = reader_make(data, len);
	out->command = reader_u8(&r);
	out->version = reader_u8(&r);
	uint16_t unused = reader_u16(&r);
	if (!reader_ok(&r))
		return RIP_ERR_TRUNCATED;
	/* RFC 2453 §4: version 0 is discarded; Tern speaks 1 and 2 only */
	if (out->version < 1 || out->version > 2)
		return RIP_ERR_VERSION;
	/* RFC 2453 §3.6: other commands are obsolete or reserved and are ignored */
	if (out->command != RIP_REQUEST && out->command != RIP_RESPONSE)
		return RIP_ERR_COMMAND;
	if (out->version == 1 && unused != 0)
		return RIP_ERR_MBZ;
	if (reader_empty(&r))
		return RIP_ERR_TRUNCATED; /* a message carries at least one entry */

	struct reader entries = reader_rest(&r);
	struct reader trailer = reader_make(NULL, 0);
	size_t max = RIP_MAX_ENTRIES;
	/* The authentication entry, if any, is the first (RFC 2453 §4.1). */
	struct reader peek = entries;
	if (reader_u16(&peek) == RIP_AFI_AUTH) {
		if (out->version != 2)
			return RIP_ERR_AFI;
		struct reader e = reader_sub(&entries, RIP_ENTRY_LEN);
		if (!reader_ok(&e))
			return RIP_ERR_TRUNCATED;
		reader_skip(&e, 2);
		enum rip_error err = decode_auth(&e, &out->auth);
		if (err != RIP_OK)
			return err;
		out->has_auth = true;
		max--;
		if (out->auth.type == RIP_AUTH_MD5) {
			/* RFC 4822 §2: the entries end where the trailer begins */
			size_t offset = out->auth.trailer_offset;
			size_t done = RIP_HEADER_LEN + RIP_ENTRY_LEN;
			if (offset < done || offset - done > reader_remaining(&entries))
				return RIP_ERR_AUTH;
			struct reader body = reader_sub(&entries, offset - done);
			trailer = reader_rest(&entries);
			entries = body;
			if (reader_remaining(&trailer) < RIP_MD5_TRAILER_LEN)
				return RIP_ERR_AUTH;
			uint16_t afi = reader_u16(&trailer);
			uint16_t type = reader_u16(&trailer);
			if (afi != RIP_AFI_AUTH || type != 1)
				return RIP_ERR_AUTH;
			reader_bytes(&trailer, out->auth.digest, RIP_AUTH_KEY_LEN);
		}
	}
	size_t remaining = reader_remaining(&entries);
	if (remaining % RIP_ENTRY_LEN != 0)
		return RIP_ERR_TRUNCATED;
	if (remaining / RIP_ENTRY_LEN > max)
		return RIP_ERR_TOO_LONG;
	if (remaining == 0 && !out->has_auth)
		return RIP_ERR_TRUNCATED;
	while (!reader_empty(&entries)) {
		struct reader e = reader_sub(&entries, RIP_ENTRY_LEN);
		enum rip_error err = decode_entry(&e, out, &out->entries[out->count]);
		if (err != RIP_OK)
			return err;
		out->count++;
	}
	return RIP_OK;
}

static void encode_entry(struct writer *w, const struct rip_entry *e)
{
	writer_u16(w, e->afi);
	writer_u16(w, e->tag);
	writer_u32(w, e->addr);
	writer_u32(w, e->mask);
	writer_u32(w, e->next_hop);
	writer_u32(w, e->metric);
}

void rip_md5_digest(const uint8_t *data, size_t signed_len, const uint8_t key[RIP_AUTH_KEY_LEN],
		    uint8_t digest[RIP_AUTH_KEY_LEN])
{
	struct md5 m;
	md5_init(&m);
	md5_update(&m, data, signed_len);
	md5_update(&m, key, RIP_AUTH_KEY_LEN);
	md5_final(&m, digest);
}

bool rip_md5_verify(const uint8_t *data, size_t len, const struct rip_packet *p,
		    const uint8_t key[RIP_AUTH_KEY_LEN])
{
	if (!p->has_auth || p->auth.type != RIP_AUTH_MD5)
		return false;
	size_t signed_len = (size_t)p->auth.trailer_offset + 4;
	if (signed_len > len)
		return false;
	uint8_t digest[RIP_AUTH_KEY_LEN];
	rip_md5_digest(data, signed_len, key, digest);
	/* constant time: the comparison does not tell how many octets matched */
	uint8_t diff = 0;
	for (size_t i = 0; i < RIP_AUTH_KEY_LEN; i++)
		diff |= (uint8_t)(digest[i] ^ p->auth.digest[i]);
	return diff == 0;
}

size_t rip_encode(const struct rip_packet *p, const uint8_t key[RIP_AUTH_KEY_LEN], uint8_t *buf,
		  size_t cap)
{
	size_t max = p->has_auth ? RIP_MAX_ENTRIES - 1 : RIP_MAX_ENTRIES;
	if (p->count > max)
		return 0;
	struct writer w = writer_make(buf, cap);
	writer_u8(&w, p->command);
	writer_u8(&w, p->version);
	writer_u16(&w, 0);
	bool md5 = p->has_auth && p->auth.type == RIP_AUTH_MD5;
	if (p->has_auth) {
		writer_u16(&w, RIP_AFI_AUTH);
		writer_u16(&w, p->auth.type);
		if (md5) {
			size_t offset = RIP_HEADER_LEN + RIP_ENTRY_LEN * (p->count + 1);
			writer_u16(&w, (uint16_t)offset);
			writer_u8(&w, p->auth.key_id);
			writer_u8(&w, p->auth.data_len ? p->auth.data_len : RIP_AUTH_KEY_LEN);
			writer_u32(&w, p->auth.sequence);
			writer_u32(&w, 0);
			writer_u32(&w, 0);
		} else {
			writer_bytes(&w, p->auth.password, RIP_AUTH_KEY_LEN);
		}
	}
	for (size_t i = 0; i < p->count; i++)
		encode_entry(&w, &p->entries[i]);
	if (md5) {
		writer_u16(&w, RIP_AFI_AUTH);
		writer_u16(&w, 1);
		size_t signed_len = w.len;
		uint8_t digest[RIP_AUTH_KEY_LEN];
		static const uint8_t no_key[RIP_AUTH_KEY_LEN];
		if (writer_ok(&w))
			rip_md5_digest(buf, signed_len, key ? key : no_key, digest);
		else
			memset(digest, 0, sizeof(digest));
		writer_bytes(&w, digest, RIP_AUTH_KEY_LEN);
	}
	return writer_ok(&w) ? w.len : 0;
}
