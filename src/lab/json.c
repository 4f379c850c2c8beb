/*
 * DOC: the JSON reader (json.h): recursive descent over RFC 8259's grammar.
 */
#include "lab/json.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct parser {
	const char *p, *end;
	char *err;
	size_t err_size;
	bool failed;
};

__attribute__((format(printf, 2, 3))) static void fail(struct parser *ps, const char *fmt, ...)
{
	if (ps->failed)
		return;
	ps->failed = true;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ps->err, ps->err_size, fmt, ap);
	va_end(ap);
}

static void skip_space(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

static struct json *node_new(struct parser *ps, enum json_type type)
{
	struct json *j = calloc(1, sizeof(*j));
	if (!j)
		fail(ps, "out of memory");
	else
		j->type = type;
	return j;
}

static void put_utf8(char *out, size_t *n, uint32_t c)
{
	if (c < 0x80) {
		out[(*n)++] = (char)c;
	} else if (c < 0x800) {
		out[(*n)++] = (char)(0xc0 | (c >> 6));
		out[(*n)++] = (char)(0x80 | (c & 0x3f));
	} else if (c < 0x10000) {
		out[(*n)++] = (char)(0xe0 | (c >> 12));
		out[(*n)++] = (char)(0x80 | ((c >> 6) & 0x3f));
		out[(*n)++] = (char)(0x80 | (c & 0x3f));
	} else {
		out[(*n)++] = (char)(0xf0 | (c >> 18));
		out[(*n)++] = (char)(0x80 | ((c >> 12) & 0x3f));
		out[(*n)++] = (char)(0x80 | ((c >> 6) & 0x3f));
		out[(*n)++] = (char)(0x80 | (c & 0x3f));
	}
}

static bool hex4(struct parser *ps, uint32_t *out)
{
	if (ps->end - ps->p < 4)
		return false;
	uint32_t v = 0;
	for (int i = 0; i < 4; i++) {
		char c = *ps->p++;
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return false;
	}
	*out = v;
	return true;
}

/* A string literal at ps->p (its opening quote); the unescaped text, never longer than the
 * literal, so one allocation of the literal's size is enough. */
static char *parse_string(struct parser *ps)
{
	const char *start = ++ps->p;
	const char *q = start;
	while (q < ps->end && *q != '"')
		q += *q == '\\' ? 2 : 1;
	if (q >= ps->end) {
		fail(ps, "unterminated string");
		return NULL;
	}
	char *out = malloc((size_t)(q - start) + 1);
	if (!out) {
		fail(ps, "out of memory");
		return NULL;
	}
	size_t n = 0;
	while (*ps->p != '"') {
		unsigned char c = (unsigned char)*ps->p++;
		if (c < 0x20) {
			fail(ps, "control character in a string");
			break;
		}
		if (c != '\\') {
			out[n++] = (char)c;
			continue;
		}
		char e = *ps->p++;
		const char *simple = strchr("\"\\/bfnrt", e);
		if (e && simple) {
			out[n++] = "\"\\/\b\f\n\r\t"[simple - "\"\\/bfnrt"];
			continue;
		}
		uint32_t cp, low;
		if (e != 'u' || !hex4(ps, &cp)) {
			fail(ps, "bad escape in a string");
			break;
		}
		if (cp >= 0xd800 && cp < 0xdc00 && ps->end - ps->p >= 6 && ps->p[0] == '\\' && ps->p[1] == 'u') {
			ps->p += 2;
			if (!hex4(ps, &low) || low < 0xdc00 || low > 0xdfff) {
				fail(ps, "bad surrogate pair");
				break;
			}
			cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
		}
		put_utf8(out, &n, cp); /* at most 4 bytes for the 6 or 12 of the escape */
	}
	out[n] = '\0';
	if (ps->failed) {
		free(out);
		return NULL;
	}
	ps->p++;
	return out;
}

static struct json *parse_value(struct parser *ps, int depth);

static struct json *parse_container(struct parser *ps, int depth, bool object)
{
	struct json *j = node_new(ps, object ? JSON_OBJECT : JSON_ARRAY);
	if (!j)
		return NULL;
	char close = object ? '}' : ']';
	struct json **tail = &j->child;
	ps->p++;
	skip_space(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		return j;
	}
	while (!ps->failed) {
		char *key = NULL;
		if (object) {
			skip_space(ps);
			if (ps->p >= ps->end || *ps->p != '"') {
				fail(ps, "object member without a name");
				break;
			}
			key = parse_string(ps);
			skip_space(ps);
			if (!key || ps->p >= ps->end || *ps->p != ':') {
				free(key);
				fail(ps, "':' expected after a member name");
				break;
			}
			ps->p++;
		}
		struct json *v = parse_value(ps, depth + 1);
		if (!v) {
			free(key);
			break;
		}
		v->key = key;
		*tail = v;
		tail = &v->next;
		skip_space(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == close) {
			ps->p++;
			return j;
		}
		fail(ps, "',' or '%c' expected", close);
	}
	json_free(j);
	return NULL;
}

static struct json *parse_number(struct parser *ps)
{
	const char *start = ps->p;
	while (ps->p < ps->end && strchr("+-0123456789.eE", *ps->p) && *ps->p)
		ps->p++;
	size_t len = (size_t)(ps->p - start);
	char buf[64];
	if (len == 0 || len >= sizeof(buf)) {
		fail(ps, "bad value");
		return NULL;
	}
	memcpy(buf, start, len);
	buf[len] = '\0';
	char *endp;
	double v = strtod(buf, &endp);
	if (*endp || !(buf[0] == '-' || (buf[0] >= '0' && buf[0] <= '9'))) {
		fail(ps, "bad number");
		return NULL;
	}
	struct json *j = node_new(ps, JSON_NUMBER);
	if (j) {
		j->number = v;
		j->string = strdup(buf);
	}
	return j;
}

static struct json *parse_value(struct parser *ps, int depth)
{
	if (depth > JSON_MAX_DEPTH) {
		fail(ps, "nested deeper than %d", JSON_MAX_DEPTH);
		return NULL;
	}
	skip_space(ps);
	if (ps->p >= ps->end) {
		fail(ps, "unexpected end");
		return NULL;
	}
	static const struct {
		const char *word;
		enum json_type type;
	} words[] = { { "null", JSON_NULL }, { "false", JSON_FALSE }, { "true", JSON_TRUE } };
	for (size_t i = 0; i < 3; i++) {
		size_t n = strlen(words[i].word);
		if ((size_t)(ps->end - ps->p) >= n && !memcmp(ps->p, words[i].word, n)) {
			ps->p += n;
			return node_new(ps, words[i].type);
		}
	}
	if (*ps->p == '{' || *ps->p == '[')
		return parse_container(ps, depth, *ps->p == '{');
	if (*ps->p == '"') {
		char *s = parse_string(ps);
		struct json *j = s ? node_new(ps, JSON_STRING) : NULL;
		if (j)
			j->string = s;
		else
			free(s);
		return j;
	}
	return parse_number(ps);
}

struct json *json_parse(const char *text, size_t len, char *err, size_t err_size)
{
	struct parser ps = { .p = text, .end = text + len, .err = err, .err_size = err_size };
	struct json *j = parse_value(&ps, 0);
	skip_space(&ps);
	if (j && ps.p != ps.end)
		fail(&ps, "text after the value");
	if (ps.failed) {
		json_free(j);
		return NULL;
	}
	return j;
}

void json_free(struct json *j)
{
	while (j) {
		struct json *next = j->next;
		json_free(j->child);
		free(j->key);
		free(j->string);
		free(j);
		j = next;
	}
}

const struct json *json_get(const struct json *object, const char *key)
{
	if (!object || object->type != JSON_OBJECT)
		return NULL;
	for (const struct json *m = object->child; m; m = m->next)
		if (!strcmp(m->key, key))
			return m;
	return NULL;
}

const char *json_get_string(const struct json *object, const char *key, const char *def)
{
	const struct json *m = json_get(object, key);
	return m && m->type == JSON_STRING ? m->string : def;
}

double json_get_number(const struct json *object, const char *key, double def)
{
	const struct json *m = json_get(object, key);
	return m && m->type == JSON_NUMBER ? m->number : def;
}
