/* DOC: the out-of-line parts of the bounded reader (see reader.h). */
#include "reader.h"

#include <string.h>

bool reader_bytes(struct reader *r, void *out, size_t n)
{
	if (!reader_need(r, n)) {
		memset(out, 0, n);
		return false;
	}
	if (n)
		memcpy(out, r->data + r->pos, n);
	r->pos += n;
	return true;
}

struct reader reader_rest(struct reader *r)
{
	return reader_sub(r, reader_remaining(r));
}
