/* DOC: the JSON writer (see json_writer.h): punctuation from a stack of open levels. */
#include "lib/json_writer.h"

#include <assert.h>
#include <stdarg.h>

#define LEVEL_BIT(depth) (1u << ((depth) - 1))

void json_writer_init(struct json_writer *w, struct strbuf *out)
{
	*w = (struct json_writer){ .out = out };
}

void json_writer_resume(struct json_writer *w, struct strbuf *out)
{
	w->out = out;
}

/* false (and, in a debug build, an assertion) when the caller broke the grammar. */
static bool allowed(struct json_writer *w, bool ok)
{
	assert(ok && "JSON writer misuse: see lib/json_writer.h");
	if (!ok)
		w->misused = true;
	return !w->misused;
}

static bool in_object(const struct json_writer *w)
{
	return w->depth > 0 && (w->object_levels & LEVEL_BIT(w->depth));
}

/* A member or element begins at this level: a comma if one came before. */
static void next_item(struct json_writer *w)
{
	if (w->filled_levels & LEVEL_BIT(w->depth))
		strbuf_append(w->out, ",");
	w->filled_levels |= LEVEL_BIT(w->depth);
}

/* Before any value: it must have its place (after a key, in an array, or as the document). */
static bool value_begins(struct json_writer *w)
{
	if (!allowed(w, !w->complete))
		return false;
	if (w->depth == 0)
		return true;
	if (in_object(w)) {
		if (!allowed(w, w->key_written))
			return false;
		w->key_written = false;
		return true;
	}
	next_item(w);
	return true;
}

/* After a value: at the outermost level, the document is done. */
static void value_ends(struct json_writer *w)
{
	if (w->depth == 0) {
		w->complete = true;
		strbuf_append(w->out, "\n");
	}
}

static void begin(struct json_writer *w, bool object)
{
	if (!value_begins(w) || !allowed(w, w->depth < JSON_WRITER_MAX_DEPTH))
		return;
	w->depth++;
	if (object)
		w->object_levels |= LEVEL_BIT(w->depth);
	else
		w->object_levels &= ~LEVEL_BIT(w->depth);
	w->filled_levels &= ~LEVEL_BIT(w->depth);
	strbuf_append(w->out, object ? "{" : "[");
}

static void end(struct json_writer *w, bool object)
{
	if (!allowed(w, w->depth > 0 && in_object(w) == object && !w->key_written))
		return;
	w->depth--;
	strbuf_append(w->out, object ? "}" : "]");
	value_ends(w);
}

void json_object_begin(struct json_writer *w) { begin(w, true); }
void json_object_end(struct json_writer *w) { end(w, true); }
void json_array_begin(struct json_writer *w) { begin(w, false); }
void json_array_end(struct json_writer *w) { end(w, false); }

void json_close_all(struct json_writer *w)
{
	if (w->misused)
		return;
	if (w->key_written)
		json_null(w);
	while (w->depth > 0 && !w->misused)
		end(w, in_object(w));
}

void json_key(struct json_writer *w, const char *key)
{
	if (!allowed(w, in_object(w) && !w->key_written))
		return;
	next_item(w);
	strbuf_json_string(w->out, key);
	strbuf_append(w->out, ":");
	w->key_written = true;
}

void json_members_raw(struct json_writer *w, const char *members)
{
	if (!allowed(w, in_object(w) && !w->key_written) || !members[0])
		return;
	next_item(w);
	strbuf_append(w->out, members);
}

/* A value written as text that needs no escaping (numbers, true, false, null). */
static void literal(struct json_writer *w, const char *text)
{
	if (!value_begins(w))
		return;
	strbuf_append(w->out, text);
	value_ends(w);
}

void json_string(struct json_writer *w, const char *text)
{
	if (!value_begins(w))
		return;
	strbuf_json_string(w->out, text);
	value_ends(w);
}

void json_stringf(struct json_writer *w, const char *fmt, ...)
{
	struct strbuf text = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vprintf(&text, fmt, ap);
	va_end(ap);
	json_string(w, strbuf_str(&text));
	strbuf_free(&text);
}

void json_uint(struct json_writer *w, unsigned long long value)
{
	if (!value_begins(w))
		return;
	strbuf_printf(w->out, "%llu", value);
	value_ends(w);
}

void json_int(struct json_writer *w, long long value)
{
	if (!value_begins(w))
		return;
	strbuf_printf(w->out, "%lld", value);
	value_ends(w);
}

void json_bool(struct json_writer *w, bool value) { literal(w, value ? "true" : "false"); }
void json_null(struct json_writer *w) { literal(w, "null"); }

void json_string_or_null(struct json_writer *w, const char *text)
{
	if (text && text[0])
		json_string(w, text);
	else
		json_null(w);
}

void json_member_string(struct json_writer *w, const char *key, const char *text)
{
	json_key(w, key);
	json_string(w, text);
}

void json_member_uint(struct json_writer *w, const char *key, unsigned long long value)
{
	json_key(w, key);
	json_uint(w, value);
}

void json_member_int(struct json_writer *w, const char *key, long long value)
{
	json_key(w, key);
	json_int(w, value);
}

void json_member_bool(struct json_writer *w, const char *key, bool value)
{
	json_key(w, key);
	json_bool(w, value);
}

void json_member_null(struct json_writer *w, const char *key)
{
	json_key(w, key);
	json_null(w);
}

void json_member_object_begin(struct json_writer *w, const char *key)
{
	json_key(w, key);
	json_object_begin(w);
}

void json_member_array_begin(struct json_writer *w, const char *key)
{
	json_key(w, key);
	json_array_begin(w);
}

bool json_writer_complete(const struct json_writer *w)
{
	return w->complete && !w->misused;
}

bool json_writer_misused(const struct json_writer *w)
{
	return w->misused;
}
