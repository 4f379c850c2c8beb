/*
 * DOC: growable text buffer for output (show commands, configuration printing, JSON).
 *
 * Output only: never used on wire input. Appends are printf-style; an allocation failure, or
 * growth past STRBUF_MAX (a cap, like every growable buffer's), marks the buffer failed and
 * later appends are ignored. strbuf_json_string() writes a JSON string literal with escaping.
 *
 * The memory counts under the control socket's line of `show memory` (lib/memory.h): output
 * text is what replies are made of. It is grown by doubling with memory_realloc rather than
 * kept in a lib/array, so that the text stays a plain NUL-terminated `data` every reader
 * takes as it is, and so that this stays as light as lib/memory.
 */
#ifndef TERN_LIB_STRBUF_H
#define TERN_LIB_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char *data; /* always NUL-terminated once anything was appended */
	size_t len;
	size_t cap;
	bool failed;
};

#define STRBUF_INIT { NULL, 0, 0, false }
#define STRBUF_MAX ((size_t)1 << 30)       /* octets, the NUL included */

void strbuf_append(struct strbuf *sb, const char *text);
void strbuf_appendn(struct strbuf *sb, const char *text, size_t n);
__attribute__((format(printf, 2, 3))) void strbuf_printf(struct strbuf *sb, const char *fmt, ...);
void strbuf_vprintf(struct strbuf *sb, const char *fmt, va_list ap);
void strbuf_json_string(struct strbuf *sb, const char *text);
void strbuf_reset(struct strbuf *sb);
void strbuf_free(struct strbuf *sb);
/* "" when nothing was appended. */
static inline const char *strbuf_str(const struct strbuf *sb) { return sb->data ? sb->data : ""; }

#endif
