/*
 * DOC: bounded reader for untrusted bytes.
 *
 * Every byte that comes from a peer is read through a struct reader. It knows where its
 * buffer ends; a read past the end sets a sticky error and returns zero, and every later read
 * is a no-op. A decoder therefore does a run of reads and checks reader_ok() once. A
 * sub-reader carved with reader_sub() covers exactly the declared length of a field, so a bad
 * inner length can never move the outer position (the "carve first, parse inside" rule).
 */
#ifndef TERN_LIB_READER_H
#define TERN_LIB_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct reader {
	const uint8_t *data;
	size_t len;
	size_t pos;
	bool error;
};

static inline struct reader reader_make(const uint8_t *data, size_t len)
{
	struct reader r = { .data = data, .len = len, .pos = 0, .error = false };
	return r;
}

static inline bool reader_ok(const struct reader *r) { return !r->error; }
static inline size_t reader_remaining(const struct reader *r) { return r->error ? 0 : r->len - r->pos; }
static inline bool reader_empty(const struct reader *r) { return reader_remaining(r) == 0; }
/* Pointer to the unread bytes; valid for reader_remaining() bytes. */
static inline const uint8_t *reader_ptr(const struct reader *r) { return r->data + r->pos; }

static inline bool reader_need(struct reader *r, size_t n)
{
	if (r->error || r->len - r->pos < n) {
		r->error = true;
		return false;
	}
	return true;
}

static inline uint8_t reader_u8(struct reader *r)
{
	if (!reader_need(r, 1))
		return 0;
	return r->data[r->pos++];
}

static inline uint16_t reader_u16(struct reader *r)
{
	if (!reader_need(r, 2))
		return 0;
	uint16_t v = (uint16_t)((r->data[r->pos] << 8) | r->data[r->pos + 1]);
	r->pos += 2;
	return v;
}

static inline uint32_t reader_u32(struct reader *r)
{
	if (!reader_need(r, 4))
		return 0;
	const uint8_t *p = r->data + r->pos;
	r->pos += 4;
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

/* Copies n bytes into out (zero-filled on error). */
bool reader_bytes(struct reader *r, void *out, size_t n);
/* Inline, as the integer reads above: decoding a full table carves and skips millions of
 * times, and a call per carve was 4% of a load's instructions (cachegrind). */
static inline void reader_skip(struct reader *r, size_t n)
{
	if (reader_need(r, n))
		r->pos += n;
}

/* Carves the next n bytes as their own reader. Short input marks both as failed. */
static inline struct reader reader_sub(struct reader *r, size_t n)
{
	if (!reader_need(r, n)) {
		struct reader failed = { .data = r->data, .len = 0, .pos = 0, .error = true };
		return failed;
	}
	struct reader sub = reader_make(r->data + r->pos, n);
	r->pos += n;
	return sub;
}
/* The rest of the input as a reader; the outer reader becomes empty. */
struct reader reader_rest(struct reader *r);

#endif
