/* DOC: the capped writer (see writer.h). */
#include "writer.h"

#include <string.h>

bool writer_bytes(struct writer *w, const void *src, size_t n)
{
	if (!writer_room(w, n))
		return false;
	if (n)
		memcpy(w->data + w->len, src, n);
	w->len += n;
	return true;
}

size_t writer_reserve(struct writer *w, size_t n)
{
	size_t at = w->len;
	if (writer_room(w, n)) {
		memset(w->data + w->len, 0, n);
		w->len += n;
	}
	return at;
}

void writer_patch_u8(struct writer *w, size_t at, uint8_t v)
{
	if (!w->overflow && at + 1 <= w->len)
		w->data[at] = v;
}

void writer_patch_u16(struct writer *w, size_t at, uint16_t v)
{
	if (!w->overflow && at + 2 <= w->len) {
		w->data[at] = (uint8_t)(v >> 8);
		w->data[at + 1] = (uint8_t)v;
	}
}
