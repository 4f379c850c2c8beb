/*
 * DOC: a small JSON reader for what ternd prints (`show ... json`), parsed into a tree.
 *
 * Bounded: at most JSON_MAX_DEPTH levels and the input's own size in nodes; strings are
 * unescaped (\uXXXX of the Basic Multilingual Plane as UTF-8, surrogate pairs joined). Used by
 * tern-lab's ladder pictures; ternd's JSON is written by strbuf_json_string(), so this reader
 * never meets anything exotic, but refuses what is not JSON (RFC 8259) instead of guessing.
 */
#ifndef TERN_LAB_JSON_H
#define TERN_LAB_JSON_H

#include <stdbool.h>
#include <stddef.h>

#define JSON_MAX_DEPTH 32

enum json_type { JSON_NULL, JSON_FALSE, JSON_TRUE, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

struct json {
	enum json_type type;
	char *key;           /* a member's name inside an object, else NULL */
	char *string;        /* JSON_STRING: the text; JSON_NUMBER: the number as written */
	double number;
	struct json *child;  /* first element or member */
	struct json *next;   /* next sibling */
};

/* The tree of text (len bytes), or NULL with a message in err. */
struct json *json_parse(const char *text, size_t len, char *err, size_t err_size);
void json_free(struct json *j);
/* The member called key of an object, or NULL. */
const struct json *json_get(const struct json *object, const char *key);
/* A member's string, or def if absent or not a string. */
const char *json_get_string(const struct json *object, const char *key, const char *def);
/* A member's number, or def if absent or not a number. */
double json_get_number(const struct json *object, const char *key, double def);

#endif
