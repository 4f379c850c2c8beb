/*
 * DOC: UPDATE packing for the feeder; see encode.h.
 */
#include "encode.h"

#include <stdlib.h>
#include <string.h>

#include "wire/bgp.h"
#include "wire/bgp_attr.h"

static bool buf_append(struct bench_buf *b, const uint8_t *p, size_t n)
{
	if (b->cap - b->len < n) {
		size_t cap = b->cap ? b->cap : 1u << 16;
		while (cap - b->len < n)
			cap *= 2;
		uint8_t *d = realloc(b->data, cap);
		if (!d)
			return false;
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->messages++;
	return true;
}

void bench_buf_free(struct bench_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof *b);
}

static bool selected(struct bench_select sel, uint32_t i)
{
	return sel.mod <= 1 || i % sel.mod == sel.rem;
}

/* Encodes the path attributes of set a into out; returns their length, 0 on failure. */
static size_t encode_attrs(const struct bench_attrset *a, uint32_t next_hop, uint8_t *out,
			   size_t cap)
{
	uint8_t path[2 + 4 * BENCH_MAX_HOPS];
	uint8_t comm[4 * BENCH_MAX_COMMUNITIES];
	struct writer pw = writer_make(path, sizeof path);
	writer_u8(&pw, BGP_AS_SEQUENCE);
	writer_u8(&pw, a->hops);
	for (uint8_t i = 0; i < a->hops; i++)
		writer_u32(&pw, a->asns[i]);
	struct writer cw = writer_make(comm, sizeof comm);
	for (uint8_t i = 0; i < a->ncomm; i++)
		writer_u32(&cw, a->comm[i]);

	struct bgp_attrs at;
	memset(&at, 0, sizeof at);
	at.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH) |
		     BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
	at.origin = a->origin;
	at.as_path.data = path;
	at.as_path.len = (uint16_t)pw.len;
	at.as_path.asn_size = 4;
	at.next_hop = next_hop;
	if (a->has_med) {
		at.present |= BGP_ATTR_BIT(BGP_ATTR_MULTI_EXIT_DISC);
		at.med = a->med;
	}
	if (a->ncomm) {
		at.present |= BGP_ATTR_BIT(BGP_ATTR_COMMUNITIES);
		at.communities.data = comm;
		at.communities.len = (uint16_t)cw.len;
	}
	struct writer w = writer_make(out, cap);
	if (!bgp_attr_encode(&w, &at, true))
		return 0;
	return w.len;
}

/* One UPDATE being filled: header, withdrawn length, attributes, NLRI. */
struct msg {
	uint8_t buf[BGP_MAX_MESSAGE];
	struct writer w;
	size_t start, wlen_at;
	size_t items;
};

static void msg_begin(struct msg *m, const uint8_t *attrs, size_t attrs_len)
{
	m->w = writer_make(m->buf, sizeof m->buf);
	m->start = bgp_header_begin(&m->w, BGP_MSG_UPDATE);
	m->wlen_at = m->w.len;
	writer_u16(&m->w, 0); /* no withdrawn routes */
	writer_u16(&m->w, (uint16_t)attrs_len);
	writer_bytes(&m->w, attrs, attrs_len);
	m->items = 0;
}

static bool msg_flush(struct bench_buf *b, struct msg *m)
{
	if (m->items == 0)
		return true;
	if (!bgp_header_end(&m->w, m->start, BGP_MAX_MESSAGE) || !writer_ok(&m->w))
		return false;
	return buf_append(b, m->buf, m->w.len);
}

static size_t prefix_octets(uint8_t len)
{
	return 1 + (len + 7u) / 8;
}

bool bench_encode_announce(struct bench_buf *b, const struct bench_table *t,
			   struct bench_select sel, uint32_t next_hop)
{
	static struct msg m;
	uint8_t attrs[256];
	for (size_t s = 0; s < t->nsets; s++) {
		const struct bench_attrset *a = &t->sets[s];
		size_t alen = 0;
		bool begun = false;
		for (uint32_t i = a->first; i < a->first + a->count; i++) {
			if (!selected(sel, i))
				continue;
			if (!begun) {
				alen = encode_attrs(a, next_hop, attrs, sizeof attrs);
				if (alen == 0)
					return false;
				msg_begin(&m, attrs, alen);
				begun = true;
			}
			const struct bench_prefix *p = &t->prefixes[i];
			if (m.w.len + prefix_octets(p->len) > BGP_MAX_MESSAGE) {
				if (!msg_flush(b, &m))
					return false;
				msg_begin(&m, attrs, alen);
			}
			struct bgp_prefix4 bp = { .addr = p->addr, .len = p->len };
			bgp_prefix4_encode(&m.w, &bp);
			m.items++;
		}
		if (begun && !msg_flush(b, &m))
			return false;
	}
	return true;
}

bool bench_encode_withdraw(struct bench_buf *b, const struct bench_table *t,
			   struct bench_select sel)
{
	static struct msg m;
	/* header, 2-octet withdrawn length, prefixes, then a zero attribute length */
	m.w = writer_make(m.buf, sizeof m.buf);
	m.items = 0;
	for (uint32_t i = 0; i < t->n; i++) {
		if (!selected(sel, i))
			continue;
		const struct bench_prefix *p = &t->prefixes[i];
		if (m.items == 0) {
			m.w = writer_make(m.buf, sizeof m.buf);
			m.start = bgp_header_begin(&m.w, BGP_MSG_UPDATE);
			m.wlen_at = writer_reserve(&m.w, 2);
		}
		if (m.w.len + prefix_octets(p->len) + 2 > BGP_MAX_MESSAGE) {
			writer_patch_u16(&m.w, m.wlen_at, (uint16_t)(m.w.len - m.wlen_at - 2));
			writer_u16(&m.w, 0);
			if (!msg_flush(b, &m))
				return false;
			m.w = writer_make(m.buf, sizeof m.buf);
			m.start = bgp_header_begin(&m.w, BGP_MSG_UPDATE);
			m.wlen_at = writer_reserve(&m.w, 2);
			m.items = 0;
		}
		struct bgp_prefix4 bp = { .addr = p->addr, .len = p->len };
		bgp_prefix4_encode(&m.w, &bp);
		m.items++;
	}
	if (m.items) {
		writer_patch_u16(&m.w, m.wlen_at, (uint16_t)(m.w.len - m.wlen_at - 2));
		writer_u16(&m.w, 0);
		return msg_flush(b, &m);
	}
	return true;
}

bool bench_encode_eor(struct bench_buf *b)
{
	uint8_t buf[BGP_UPDATE_MIN_LEN];
	struct writer w = writer_make(buf, sizeof buf);
	size_t start = bgp_header_begin(&w, BGP_MSG_UPDATE);
	writer_u16(&w, 0);
	writer_u16(&w, 0);
	return bgp_header_end(&w, start, BGP_MAX_MESSAGE) && writer_ok(&w) &&
	       buf_append(b, buf, w.len);
}
