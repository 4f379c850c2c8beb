/*
 * DOC: capped writer for outgoing bytes.
 *
 * Encoders write into a fixed buffer through a struct writer. Writing past the cap sets a
 * sticky overflow flag instead of growing or overrunning, so an encoder checks writer_ok()
 * once at the end. Length fields are reserved first and patched when the body is known.
 */
#ifndef TERN_LIB_WRITER_H
#define TERN_LIB_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct writer {
	uint8_t *data;
	size_t cap;
	size_t len;
	bool overflow;
};

static inline struct writer writer_make(uint8_t *data, size_t cap)
{
	struct writer w = { .data = data, .cap = cap, .len = 0, .overflow = false };
	return w;
}

static inline bool writer_ok(const struct writer *w) { return !w->overflow; }

/* Room for n more bytes, or the writer overflows (sticky). */
static inline bool writer_room(struct writer *w, size_t n)
{
	if (w->overflow || w->cap - w->len < n) {
		w->overflow = true;
		return false;
	}
	return true;
}

/* The writes are inline: encoding a full table's UPDATEs writes tens of millions of
 * integers, and a call per integer was 6% of a load's instructions (cachegrind). */
static inline bool writer_u8(struct writer *w, uint8_t v)
{
	if (!writer_room(w, 1))
		return false;
	w->data[w->len++] = v;
	return true;
}

static inline bool writer_u16(struct writer *w, uint16_t v)
{
	if (!writer_room(w, 2))
		return false;
	w->data[w->len] = (uint8_t)(v >> 8);
	w->data[w->len + 1] = (uint8_t)v;
	w->len += 2;
	return true;
}

static inline bool writer_u32(struct writer *w, uint32_t v)
{
	if (!writer_room(w, 4))
		return false;
	uint8_t *p = w->data + w->len;
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
	w->len += 4;
	return true;
}

bool writer_bytes(struct writer *w, const void *src, size_t n);
/* Reserves n bytes for a length written later; returns their offset. */
size_t writer_reserve(struct writer *w, size_t n);
void writer_patch_u8(struct writer *w, size_t at, uint8_t v);
void writer_patch_u16(struct writer *w, size_t at, uint16_t v);

#endif
