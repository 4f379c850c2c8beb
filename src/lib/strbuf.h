/*
 * DOC: growable text buffer for output (show commands, configuration printing, JSON).
 *
 * Output only: never used on wire input. Appends are printf-style; an allocation failure
 * marks the buffer failed and later appends are ignored. strbuf_json_string() writes a JSON
 * string literal with escaping.
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
