/*
 * DOC: the JSON writer every `show ... json` goes through (RFC 8259 text into a strbuf).
 *
 * The writer keeps a small stack of the open objects and arrays and places every comma and
 * colon itself: a producer says what it writes (begin or end an object or array, a member's
 * key, a value) and never punctuation. Output is compact, as ternd has always printed it
 * ({"a":1,"b":[true,null]}), and a document ends with a newline when its outermost object
 * or array closes.
 *
 * The state is a plain struct with no allocation, so a view that streams a large document
 * a slice at a time (ctl.c, lib/show_step.h) keeps its writer in the view and points it at
 * each slice's buffer with json_writer_resume(); nothing of the document is kept but the
 * stack.
 *
 * Misuse is a programming error, not a runtime condition: a value where a key is due, a key
 * inside an array, an end that does not match its begin, or nesting deeper than
 * JSON_WRITER_MAX_DEPTH. Debug builds stop on an assertion; with NDEBUG the writer marks
 * itself broken (json_writer_misused) and writes nothing more, so the output is short but
 * never silently malformed in the middle.
 */
#ifndef TERN_LIB_JSON_WRITER_H
#define TERN_LIB_JSON_WRITER_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/strbuf.h"

#define JSON_WRITER_MAX_DEPTH 32

struct json_writer {
	struct strbuf *out;
	uint32_t object_levels; /* bit d: level d+1 is an object (else an array) */
	uint32_t filled_levels; /* bit d: level d+1 has a member or element already */
	uint8_t depth;          /* open objects and arrays */
	bool key_written;       /* inside an object: a key was written, its value is due */
	bool complete;          /* the outermost value is written */
	bool misused;           /* a misuse was seen (only with NDEBUG; else it asserted) */
};

/* A writer at the start of a document, writing into out. */
void json_writer_init(struct json_writer *w, struct strbuf *out);
/* Go on writing the same document into out (the next slice of a stream). */
void json_writer_resume(struct json_writer *w, struct strbuf *out);

void json_object_begin(struct json_writer *w);
void json_object_end(struct json_writer *w);
void json_array_begin(struct json_writer *w);
void json_array_end(struct json_writer *w);
/* Closes every open object and array (a view that ends early keeps its document whole). */
void json_close_all(struct json_writer *w);

/* A member's name, inside an object; its value comes next. */
void json_key(struct json_writer *w, const char *key);

/* Values: after a key in an object, as an element in an array, or as the whole document. */
void json_string(struct json_writer *w, const char *text);
__attribute__((format(printf, 2, 3))) void json_stringf(struct json_writer *w, const char *fmt, ...);
void json_uint(struct json_writer *w, unsigned long long value);
void json_int(struct json_writer *w, long long value);
void json_bool(struct json_writer *w, bool value);
void json_null(struct json_writer *w);
/* The text of a string, or null when text is NULL or empty. */
void json_string_or_null(struct json_writer *w, const char *text);

/* Members written ahead of time by code that is not yet on the writer (a BGP log entry's
 * members, "\"a\":1,\"b\":2"): written as they are into the open object, comma placed. The
 * text must be a well-formed member list; empty text writes nothing. */
void json_members_raw(struct json_writer *w, const char *members);

/* A key and its value in one call. */
void json_member_string(struct json_writer *w, const char *key, const char *text);
void json_member_uint(struct json_writer *w, const char *key, unsigned long long value);
void json_member_int(struct json_writer *w, const char *key, long long value);
void json_member_bool(struct json_writer *w, const char *key, bool value);
void json_member_null(struct json_writer *w, const char *key);
/* A key and the beginning of its object or array value. */
void json_member_object_begin(struct json_writer *w, const char *key);
void json_member_array_begin(struct json_writer *w, const char *key);

/* The outermost value is written and every object and array closed. */
bool json_writer_complete(const struct json_writer *w);
/* A misuse was seen (NDEBUG builds only; debug builds assert instead). */
bool json_writer_misused(const struct json_writer *w);

#endif
