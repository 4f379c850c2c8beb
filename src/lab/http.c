/*
 * DOC: HTTP request parsing and the same-origin checks of `tern-lab view` (http.h).
 */
#include "lab/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The end of the head ("\r\n\r\n"), or NULL. Bare "\n\n" is accepted too (RFC 9112 §2.2). */
static const char *head_end(const char *buf, size_t len, size_t *sep)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (buf[i] == '\n' && buf[i + 1] == '\n') {
			*sep = 2;
			return buf + i;
		}
		if (i + 3 < len && !memcmp(buf + i, "\r\n\r\n", 4)) {
			*sep = 4;
			return buf + i;
		}
	}
	return NULL;
}

static bool copy_field(char *dst, size_t size, const char *src, size_t n)
{
	while (n && (*src == ' ' || *src == '\t'))
		src++, n--;
	while (n && (src[n - 1] == ' ' || src[n - 1] == '\t' || src[n - 1] == '\r'))
		n--;
	if (n >= size)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)src[i] < 0x20 || src[i] == 0x7f)
			return false;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return true;
}

static bool request_line(const char *line, size_t n, struct http_request *req)
{
	const char *sp1 = memchr(line, ' ', n);
	if (!sp1)
		return false;
	const char *target = sp1 + 1;
	const char *sp2 = memchr(target, ' ', n - (size_t)(target - line));
	if (!sp2 || (size_t)(sp1 - line) >= sizeof(req->method) || sp1 == line)
		return false;
	memcpy(req->method, line, (size_t)(sp1 - line));
	req->method[sp1 - line] = '\0';
	size_t version_len = n - (size_t)(sp2 + 1 - line);
	if (version_len < 8 || strncmp(sp2 + 1, "HTTP/1.", 7))
		return false;
	size_t target_len = (size_t)(sp2 - target);
	if (target_len == 0 || target[0] != '/')
		return false; /* origin-form only (RFC 9112 §3.2.1): no absolute URIs, no '*' */
	const char *q = memchr(target, '?', target_len);
	size_t path_len = q ? (size_t)(q - target) : target_len;
	if (!copy_field(req->path, sizeof(req->path), target, path_len))
		return false;
	if (q && !copy_field(req->query, sizeof(req->query), q + 1, target_len - path_len - 1))
		return false;
	return true;
}

static bool header(const char *line, size_t n, struct http_request *req)
{
	const char *colon = memchr(line, ':', n);
	if (!colon || colon == line)
		return false;
	size_t name_len = (size_t)(colon - line);
	const char *value = colon + 1;
	size_t value_len = n - name_len - 1;
	static const struct {
		const char *name;
		size_t offset;
		size_t flag;
	} wanted[] = {
		{ "Host", offsetof(struct http_request, host), offsetof(struct http_request, has_host) },
		{ "Origin", offsetof(struct http_request, origin), offsetof(struct http_request, has_origin) },
		{ HTTP_TOKEN_HEADER, offsetof(struct http_request, token), offsetof(struct http_request, has_token) },
	};
	for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++) {
		if (strlen(wanted[i].name) != name_len || strncasecmp(line, wanted[i].name, name_len))
			continue;
		bool *flag = (bool *)((char *)req + wanted[i].flag);
		if (*flag) /* twice: which one would a proxy have seen? */
			return false;
		*flag = true;
		return copy_field((char *)req + wanted[i].offset, HTTP_FIELD_MAX, value, value_len);
	}
	if (name_len == 14 && !strncasecmp(line, "Content-Length", 14)) {
		char text[24];
		if (!copy_field(text, sizeof(text), value, value_len) || !text[0] || strspn(text, "0123456789") != strlen(text))
			return false;
		req->content_length = strtoul(text, NULL, 10);
		if (strlen(text) > 6)
			req->content_length = HTTP_BODY_MAX + 1;
	}
	if (name_len == 17 && !strncasecmp(line, "Transfer-Encoding", 17))
		return false; /* no chunked bodies: Content-Length only */
	return true;
}

enum http_parse http_parse_request(const char *buf, size_t len, struct http_request *req)
{
	memset(req, 0, sizeof(*req));
	size_t sep = 0;
	const char *end = head_end(buf, len < HTTP_HEAD_MAX ? len : HTTP_HEAD_MAX, &sep);
	if (!end)
		return len >= HTTP_HEAD_MAX ? HTTP_TOO_LARGE : HTTP_INCOMPLETE;
	if (memchr(buf, '\0', (size_t)(end - buf)))
		return HTTP_BAD_REQUEST;
	const char *line = buf;
	bool first = true;
	while (line < end) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		size_t n = (size_t)((nl ? nl : end) - line);
		if (n && line[n - 1] == '\r')
			n--;
		if (first ? !request_line(line, n, req) : !header(line, n, req))
			return HTTP_BAD_REQUEST;
		first = false;
		line += n + (line[n] == '\r' ? 2 : 1);
	}
	if (first)
		return HTTP_BAD_REQUEST;
	if (req->content_length > HTTP_BODY_MAX)
		return HTTP_TOO_LARGE;
	req->head_length = (size_t)(end - buf) + sep;
	if (len < req->head_length + req->content_length)
		return HTTP_INCOMPLETE;
	req->body = buf + req->head_length;
	return HTTP_COMPLETE;
}

/* value is exactly PREFIX127.0.0.1:PORT or PREFIXlocalhost:PORT (the name case-insensitive). */
static bool names_this_server(const char *value, const char *prefix, unsigned port)
{
	size_t p = strlen(prefix);
	if (strncasecmp(value, prefix, p))
		return false;
	char a[64], b[64];
	snprintf(a, sizeof(a), "127.0.0.1:%u", port);
	snprintf(b, sizeof(b), "localhost:%u", port);
	return !strcmp(value + p, a) || !strcasecmp(value + p, b);
}

static bool same_secret(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char diff = la != lb;
	for (size_t i = 0; i < la && i < lb; i++)
		diff |= (unsigned char)(a[i] ^ b[i]);
	return diff == 0 && la > 0;
}

int http_check(const struct http_request *req, unsigned port, const char *token, bool changes_state,
	       const char **why)
{
	if (!req->has_host || !names_this_server(req->host, "", port)) {
		*why = "Host is not this server (127.0.0.1 or localhost with its port)";
		return 403;
	}
	if (req->has_origin && !names_this_server(req->origin, "http://", port)) {
		*why = "Origin is another site";
		return 403;
	}
	if (!changes_state)
		return 0;
	if (strcmp(req->method, "POST")) {
		*why = "a change to the lab must be a POST";
		return 405;
	}
	if (!req->has_origin) {
		*why = "a change to the lab must carry Origin";
		return 403;
	}
	if (!req->has_token || !same_secret(req->token, token)) {
		*why = "a change to the lab needs the token tern-lab view printed (header " HTTP_TOKEN_HEADER ")";
		return 403;
	}
	return 0;
}

static int hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

bool http_param(const char *query, const char *name, char *value, size_t size)
{
	size_t name_len = strlen(name);
	for (const char *p = query; p && *p; p = strchr(p, '&') ? strchr(p, '&') + 1 : NULL) {
		if (strncmp(p, name, name_len) || p[name_len] != '=')
			continue;
		const char *v = p + name_len + 1;
		size_t n = 0;
		for (; *v && *v != '&'; v++) {
			int c = (unsigned char)*v;
			if (c == '+') {
				c = ' ';
			} else if (c == '%') {
				int hi = hex_digit(v[1]), lo = hi < 0 ? -1 : hex_digit(v[2]);
				if (lo < 0)
					return false;
				c = hi * 16 + lo;
				v += 2;
			}
			if (c < 0x20 || c == 0x7f || n + 1 >= size)
				return false;
			value[n++] = (char)c;
		}
		value[n] = '\0';
		return true;
	}
	return false;
}
