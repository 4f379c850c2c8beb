/*
 * DOC: OSPFv2 packet and LSA codecs (RFC 2328 Appendix A, §12.1.7, Appendix D).
 *
 * See wire/ospf.h. Every read of received bytes goes through struct reader; checksums index
 * buffers whose length was checked first. Cryptographic authentication uses the one MD5 of
 * lib/md5.h (RIP's keyed MD5 uses it too).
 */
#include "wire/ospf.h"

#include <string.h>

#include "lib/inet_checksum.h"
#include "lib/md5.h"

static const char *const error_names[OSPF_WIRE_ERROR_COUNT] = {
	[OSPF_WIRE_OK] = "ok",
	[OSPF_WIRE_TRUNCATED] = "truncated",
	[OSPF_WIRE_BAD_VERSION] = "bad version",
	[OSPF_WIRE_BAD_LENGTH] = "bad length",
	[OSPF_WIRE_BAD_CHECKSUM] = "bad checksum",
	[OSPF_WIRE_BAD_TYPE] = "bad packet type",
	[OSPF_WIRE_BAD_AUTH] = "authentication failure",
	[OSPF_WIRE_BAD_LSA_LENGTH] = "bad LSA length",
	[OSPF_WIRE_BAD_LSA_CHECKSUM] = "bad LSA checksum",
	[OSPF_WIRE_BAD_LSA] = "malformed LSA",
};

const char *ospf_wire_error_name(enum ospf_wire_error e)
{
	return (unsigned)e < OSPF_WIRE_ERROR_COUNT ? error_names[e] : "?";
}

/* ---- checksums ---- */

uint16_t ospf_inet_checksum(const uint8_t *data, size_t len)
{
	return inet_checksum(data, len);
}

/* §D.4.1: the checksum covers the packet but the 8-byte authentication field. */
static uint16_t packet_checksum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;
	for (size_t i = 0; i + 1 < len; i += 2) {
		if (i >= 16 && i < 24)
			continue;
		if (i == 12)
			continue; /* the checksum field itself counts as zero */
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	}
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Fletcher (ISO 8473 Annex C as RFC 905 Annex B gives it) over lsa[2..len), with the
 * checksum octets (16, 17) taken as zero when `zero_field`. */
static void fletcher(const uint8_t *lsa, size_t len, bool zero_field, int32_t *c0_out, int32_t *c1_out)
{
	int32_t c0 = 0, c1 = 0;
	for (size_t i = 2; i < len; i++) {
		uint8_t b = (zero_field && (i == 16 || i == 17)) ? 0 : lsa[i];
		c0 = (c0 + b) % 255;
		c1 = (c1 + c0) % 255;
	}
	*c0_out = c0;
	*c1_out = c1;
}

uint16_t ospf_lsa_checksum_compute(const uint8_t *lsa, size_t len)
{
	if (len < OSPF_LSA_HEADER_LEN)
		return 0;
	int32_t c0, c1;
	fletcher(lsa, len, true, &c0, &c1);
	/* checksum octets at position n = 15 (1-based) of the L checksummed octets */
	int32_t l = (int32_t)((len - 2) % 255), n = 15;
	int32_t x = ((l - n) * c0 - c1) % 255;
	if (x <= 0)
		x += 255;
	int32_t y = 510 - c0 - x;
	if (y > 255)
		y -= 255;
	return (uint16_t)(x << 8 | y);
}

bool ospf_lsa_checksum_ok(const uint8_t *lsa, size_t len)
{
	if (len < OSPF_LSA_HEADER_LEN)
		return false;
	if (lsa[16] == 0 && lsa[17] == 0)
		return false; /* §12.1.7: 0 is never a valid LSA checksum */
	int32_t c0, c1;
	fletcher(lsa, len, false, &c0, &c1);
	return c0 == 0 && c1 == 0;
}

void ospf_lsa_checksum_set(uint8_t *lsa, size_t len)
{
	uint16_t c = ospf_lsa_checksum_compute(lsa, len);
	lsa[16] = (uint8_t)(c >> 8);
	lsa[17] = (uint8_t)c;
}

/* ---- header ---- */

enum ospf_wire_error ospf_packet_decode(const uint8_t *buf, size_t len, struct ospf_header *h,
					struct reader *body)
{
	memset(h, 0, sizeof(*h));
	struct reader r = reader_make(buf, len);
	h->version = reader_u8(&r);
	h->type = reader_u8(&r);
	h->length = reader_u16(&r);
	h->router_id = reader_u32(&r);
	h->area_id = reader_u32(&r);
	h->checksum = reader_u16(&r);
	h->auth_type = reader_u16(&r);
	reader_bytes(&r, h->auth, sizeof(h->auth));
	if (!reader_ok(&r))
		return OSPF_WIRE_TRUNCATED;
	if (h->version != OSPF_VERSION)
		return OSPF_WIRE_BAD_VERSION;
	if (h->length < OSPF_HEADER_LEN || h->length > len)
		return OSPF_WIRE_BAD_LENGTH;
	if (h->type < OSPF_HELLO || h->type > OSPF_LSACK)
		return OSPF_WIRE_BAD_TYPE;
	if (h->auth_type == OSPF_AUTH_CRYPTO) {
		struct reader a = reader_make(h->auth, sizeof(h->auth));
		reader_u16(&a);
		h->key_id = reader_u8(&a);
		h->auth_data_len = reader_u8(&a);
		h->crypto_seq = reader_u32(&a);
	} else if (packet_checksum(buf, h->length) != h->checksum) {
		/* §D.4.1: no checksum with cryptographic authentication */
		return OSPF_WIRE_BAD_CHECKSUM;
	}
	struct reader whole = reader_make(buf, h->length);
	reader_skip(&whole, OSPF_HEADER_LEN);
	*body = reader_rest(&whole);
	return OSPF_WIRE_OK;
}

static void md5_digest(const uint8_t *packet, size_t len, const uint8_t key[OSPF_MD5_KEY_MAX],
		       uint8_t out[OSPF_MD5_LEN])
{
	struct md5 m;
	md5_init(&m);
	md5_update(&m, packet, len);
	md5_update(&m, key, OSPF_MD5_KEY_MAX);
	md5_final(&m, out);
}

enum ospf_wire_error ospf_packet_auth_check(const uint8_t *buf, size_t len, const struct ospf_header *h,
					    const struct ospf_auth *auth)
{
	if (h->auth_type != auth->type)
		return OSPF_WIRE_BAD_AUTH;
	switch (auth->type) {
	case OSPF_AUTH_NULL:
		return OSPF_WIRE_OK;
	case OSPF_AUTH_SIMPLE:
		return memcmp(h->auth, auth->key, OSPF_AUTH_KEY_LEN) == 0 ? OSPF_WIRE_OK : OSPF_WIRE_BAD_AUTH;
	case OSPF_AUTH_CRYPTO: {
		if (h->key_id != auth->key_id || h->auth_data_len != OSPF_MD5_LEN)
			return OSPF_WIRE_BAD_AUTH;
		struct reader r = reader_make(buf, len);
		uint8_t packet[65536];
		reader_bytes(&r, packet, h->length);
		uint8_t received[OSPF_MD5_LEN], computed[OSPF_MD5_LEN];
		reader_bytes(&r, received, sizeof(received));
		if (!reader_ok(&r))
			return OSPF_WIRE_BAD_AUTH;
		md5_digest(packet, h->length, auth->key, computed);
		return memcmp(received, computed, OSPF_MD5_LEN) == 0 ? OSPF_WIRE_OK : OSPF_WIRE_BAD_AUTH;
	}
	default:
		return OSPF_WIRE_BAD_AUTH;
	}
}

void ospf_packet_begin(struct writer *w, uint8_t type, uint32_t router_id, uint32_t area_id)
{
	writer_u8(w, OSPF_VERSION);
	writer_u8(w, type);
	writer_u16(w, 0);
	writer_u32(w, router_id);
	writer_u32(w, area_id);
	writer_u16(w, 0);
	writer_u16(w, 0);
	writer_u32(w, 0);
	writer_u32(w, 0);
}

static void patch_u32(struct writer *w, size_t at, uint32_t v)
{
	writer_patch_u16(w, at, (uint16_t)(v >> 16));
	writer_patch_u16(w, at + 2, (uint16_t)v);
}

size_t ospf_packet_finish(struct writer *w, const struct ospf_auth *auth, uint32_t crypto_seq)
{
	if (!writer_ok(w) || w->len < OSPF_HEADER_LEN || w->len > 65535)
		return 0;
	size_t len = w->len;
	uint16_t type = auth ? auth->type : OSPF_AUTH_NULL;
	writer_patch_u16(w, 2, (uint16_t)len);
	writer_patch_u16(w, 14, type);
	if (type == OSPF_AUTH_CRYPTO) {
		/* §D.3: checksum not computed; key id, digest length, sequence number */
		writer_patch_u16(w, 16, 0);
		writer_patch_u8(w, 18, auth->key_id);
		writer_patch_u8(w, 19, OSPF_MD5_LEN);
		patch_u32(w, 20, crypto_seq);
		uint8_t digest[OSPF_MD5_LEN];
		md5_digest(w->data, len, auth->key, digest);
		writer_bytes(w, digest, sizeof(digest));
		return writer_ok(w) ? w->len : 0;
	}
	writer_patch_u16(w, 12, packet_checksum(w->data, len));
	if (type == OSPF_AUTH_SIMPLE)
		for (size_t i = 0; i < OSPF_AUTH_KEY_LEN; i++)
			writer_patch_u8(w, 16 + i, auth->key[i]);
	return len;
}

/* ---- hello ---- */

enum ospf_wire_error ospf_hello_decode(struct reader body, struct ospf_hello *out)
{
	struct reader *r = &body;
	out->mask = reader_u32(r);
	out->hello_interval = reader_u16(r);
	out->options = reader_u8(r);
	out->priority = reader_u8(r);
	out->dead_interval = reader_u32(r);
	out->dr = reader_u32(r);
	out->bdr = reader_u32(r);
	if (!reader_ok(r))
		return OSPF_WIRE_TRUNCATED;
	if (reader_remaining(r) % 4)
		return OSPF_WIRE_TRUNCATED;
	out->neighbor_count = 0;
	while (!reader_empty(r)) {
		uint32_t n = reader_u32(r);
		if (out->neighbor_count < OSPF_HELLO_NEIGHBORS_MAX)
			out->neighbors[out->neighbor_count++] = n;
	}
	return OSPF_WIRE_OK;
}

void ospf_hello_encode(struct writer *w, const struct ospf_hello *h)
{
	writer_u32(w, h->mask);
	writer_u16(w, h->hello_interval);
	writer_u8(w, h->options);
	writer_u8(w, h->priority);
	writer_u32(w, h->dead_interval);
	writer_u32(w, h->dr);
	writer_u32(w, h->bdr);
	for (size_t i = 0; i < h->neighbor_count; i++)
		writer_u32(w, h->neighbors[i]);
}

/* ---- LSA headers, DD, LSR, LSU ---- */

enum ospf_wire_error ospf_lsa_header_read(struct reader *r, struct ospf_lsa_header *out)
{
	out->age = reader_u16(r);
	out->options = reader_u8(r);
	out->type = reader_u8(r);
	out->id = reader_u32(r);
	out->adv_router = reader_u32(r);
	out->seq = (int32_t)reader_u32(r);
	out->checksum = reader_u16(r);
	out->length = reader_u16(r);
	return reader_ok(r) ? OSPF_WIRE_OK : OSPF_WIRE_TRUNCATED;
}

void ospf_lsa_header_write(struct writer *w, const struct ospf_lsa_header *h)
{
	writer_u16(w, h->age);
	writer_u8(w, h->options);
	writer_u8(w, h->type);
	writer_u32(w, h->id);
	writer_u32(w, h->adv_router);
	writer_u32(w, (uint32_t)h->seq);
	writer_u16(w, h->checksum);
	writer_u16(w, h->length);
}

enum ospf_wire_error ospf_dd_decode(struct reader body, struct ospf_dd *out)
{
	out->mtu = reader_u16(&body);
	out->options = reader_u8(&body);
	out->flags = reader_u8(&body);
	out->seq = reader_u32(&body);
	if (!reader_ok(&body))
		return OSPF_WIRE_TRUNCATED;
	if (reader_remaining(&body) % OSPF_LSA_HEADER_LEN)
		return OSPF_WIRE_TRUNCATED;
	out->headers = reader_rest(&body);
	return OSPF_WIRE_OK;
}

void ospf_dd_encode(struct writer *w, uint16_t mtu, uint8_t options, uint8_t flags, uint32_t seq)
{
	writer_u16(w, mtu);
	writer_u8(w, options);
	writer_u8(w, flags);
	writer_u32(w, seq);
}

bool ospf_lsr_next(struct reader *r, struct ospf_lsr_entry *out)
{
	if (reader_empty(r))
		return false;
	out->type = reader_u32(r);
	out->id = reader_u32(r);
	out->adv_router = reader_u32(r);
	return reader_ok(r);
}

void ospf_lsr_write(struct writer *w, const struct ospf_lsr_entry *e)
{
	writer_u32(w, e->type);
	writer_u32(w, e->id);
	writer_u32(w, e->adv_router);
}

enum ospf_wire_error ospf_lsu_count(struct reader *body, uint32_t *count)
{
	*count = reader_u32(body);
	return reader_ok(body) ? OSPF_WIRE_OK : OSPF_WIRE_TRUNCATED;
}

enum ospf_wire_error ospf_lsu_next(struct reader *r, struct ospf_lsa_raw *out)
{
	if (reader_remaining(r) < OSPF_LSA_HEADER_LEN)
		return OSPF_WIRE_TRUNCATED;
	/* Peek at the header to learn the length, then carve exactly that many bytes. */
	struct reader peek = *r;
	enum ospf_wire_error e = ospf_lsa_header_read(&peek, &out->header);
	if (e)
		return e;
	if (out->header.length < OSPF_LSA_HEADER_LEN || out->header.length > reader_remaining(r))
		return OSPF_WIRE_BAD_LSA_LENGTH;
	struct reader lsa = reader_sub(r, out->header.length);
	if (!reader_ok(&lsa))
		return OSPF_WIRE_TRUNCATED;
	out->data = reader_ptr(&lsa);
	out->len = reader_remaining(&lsa);
	if (!ospf_lsa_checksum_ok(out->data, out->len))
		return OSPF_WIRE_BAD_LSA_CHECKSUM;
	return OSPF_WIRE_OK;
}

/* ---- LSA bodies ---- */

static struct reader lsa_body(const uint8_t *lsa, size_t len)
{
	struct reader r = reader_make(lsa, len);
	reader_skip(&r, OSPF_LSA_HEADER_LEN);
	return r;
}

enum ospf_wire_error ospf_router_lsa_decode(const uint8_t *lsa, size_t len, struct ospf_router_lsa *out)
{
	struct reader r = lsa_body(lsa, len);
	out->flags = reader_u8(&r);
	reader_u8(&r);
	out->link_count = reader_u16(&r);
	if (!reader_ok(&r))
		return OSPF_WIRE_TRUNCATED;
	out->links = reader_rest(&r);
	/* Walk once to validate: every link fits and the count matches. */
	struct ospf_router_lsa check = *out;
	struct ospf_router_link l;
	size_t n = 0;
	while (ospf_router_link_next(&check, &l))
		n++;
	if (!reader_ok(&check.links) || n != out->link_count || !reader_empty(&check.links))
		return OSPF_WIRE_BAD_LSA;
	return OSPF_WIRE_OK;
}

bool ospf_router_link_next(struct ospf_router_lsa *rl, struct ospf_router_link *out)
{
	struct reader *r = &rl->links;
	if (!reader_ok(r) || reader_empty(r))
		return false;
	out->id = reader_u32(r);
	out->data = reader_u32(r);
	out->type = reader_u8(r);
	out->tos_count = reader_u8(r);
	out->metric = reader_u16(r);
	reader_skip(r, (size_t)out->tos_count * 4);
	return reader_ok(r);
}

void ospf_router_link_write(struct writer *w, const struct ospf_router_link *l)
{
	writer_u32(w, l->id);
	writer_u32(w, l->data);
	writer_u8(w, l->type);
	writer_u8(w, 0);
	writer_u16(w, l->metric);
}

enum ospf_wire_error ospf_network_lsa_decode(const uint8_t *lsa, size_t len, struct ospf_network_lsa *out)
{
	struct reader r = lsa_body(lsa, len);
	out->mask = reader_u32(&r);
	if (!reader_ok(&r))
		return OSPF_WIRE_TRUNCATED;
	if (reader_remaining(&r) % 4 || reader_empty(&r))
		return OSPF_WIRE_BAD_LSA;
	out->router_count = reader_remaining(&r) / 4;
	out->routers = reader_rest(&r);
	return OSPF_WIRE_OK;
}

enum ospf_wire_error ospf_summary_lsa_decode(const uint8_t *lsa, size_t len, struct ospf_summary_lsa *out)
{
	struct reader r = lsa_body(lsa, len);
	out->mask = reader_u32(&r);
	out->metric = reader_u32(&r) & OSPF_LS_INFINITY;
	return reader_ok(&r) ? OSPF_WIRE_OK : OSPF_WIRE_TRUNCATED;
}

enum ospf_wire_error ospf_external_lsa_decode(const uint8_t *lsa, size_t len, struct ospf_external_lsa *out)
{
	struct reader r = lsa_body(lsa, len);
	out->mask = reader_u32(&r);
	uint32_t m = reader_u32(&r);
	out->e_bit = (m & 0x80000000u) != 0;
	out->metric = m & OSPF_LS_INFINITY;
	out->forwarding = reader_u32(&r);
	out->tag = reader_u32(&r);
	return reader_ok(&r) ? OSPF_WIRE_OK : OSPF_WIRE_TRUNCATED;
}

size_t ospf_lsa_begin(struct writer *w, const struct ospf_lsa_header *h)
{
	size_t start = w->len;
	struct ospf_lsa_header copy = *h;
	copy.checksum = 0;
	copy.length = 0;
	ospf_lsa_header_write(w, &copy);
	return start;
}

void ospf_lsa_end(struct writer *w, size_t start)
{
	if (!writer_ok(w))
		return;
	size_t len = w->len - start;
	writer_patch_u16(w, start + 18, (uint16_t)len);
	uint16_t c = ospf_lsa_checksum_compute(w->data + start, len);
	writer_patch_u16(w, start + 16, c);
}

int ospf_lsa_compare(const struct ospf_lsa_header *a, const struct ospf_lsa_header *b)
{
	/* §13.1: sequence number, then checksum, then MaxAge, then age difference */
	if (a->seq != b->seq)
		return a->seq > b->seq ? 1 : -1;
	if (a->checksum != b->checksum)
		return a->checksum > b->checksum ? 1 : -1;
	bool a_max = a->age >= OSPF_MAX_AGE, b_max = b->age >= OSPF_MAX_AGE;
	if (a_max != b_max)
		return a_max ? 1 : -1;
	int diff = (int)a->age - (int)b->age;
	if (diff > OSPF_MAX_AGE_DIFF || diff < -OSPF_MAX_AGE_DIFF)
		return diff < 0 ? 1 : -1; /* the younger one is newer */
	return 0;
}
