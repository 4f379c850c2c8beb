/*
 * DOC: the HTTP/1.1 requests `tern-lab view` accepts, and the checks that keep a page from
 * another site (or a rebound DNS name) from driving a server that runs as root.
 *
 * A request is at most HTTP_HEAD_MAX bytes of request line and headers and HTTP_BODY_MAX of
 * body (Content-Length only; no chunked bodies), anything larger is refused whole. The server
 * listens on 127.0.0.1 only, and every request must also:
 *   - name the server itself in Host: 127.0.0.1:PORT or localhost:PORT (RFC 9110 §7.2). A
 *     page on evil.example whose name was rebound to 127.0.0.1 sends Host: evil.example.
 *   - if it carries Origin (RFC 6454), come from http://127.0.0.1:PORT or
 *     http://localhost:PORT: browsers send Origin on every cross-origin request and on POST.
 * A request that changes the lab must in addition be a POST, carry Origin (same origin as
 * above: a form or fetch from another site cannot forge it) and the token the server printed
 * at start in the X-Tern-Token header (a custom header, which no cross-origin request may
 * carry without a CORS preflight this server never grants). The token is compared in
 * constant time.
 */
#ifndef TERN_LAB_HTTP_H
#define TERN_LAB_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#define HTTP_HEAD_MAX 8192
#define HTTP_BODY_MAX 1024
#define HTTP_FIELD_MAX 256
#define HTTP_TOKEN_HEADER "X-Tern-Token"

enum http_parse { HTTP_INCOMPLETE, HTTP_COMPLETE, HTTP_BAD_REQUEST, HTTP_TOO_LARGE };

struct http_request {
	char method[8];
	char path[HTTP_FIELD_MAX];   /* before '?' */
	char query[HTTP_FIELD_MAX];  /* after '?', "" if none */
	char host[HTTP_FIELD_MAX];
	char origin[HTTP_FIELD_MAX];
	char token[HTTP_FIELD_MAX];
	bool has_host, has_origin, has_token;
	size_t content_length;
	size_t head_length;          /* request line and headers, blank line included */
	const char *body;            /* inside the parsed buffer; content_length bytes */
};

/* Parses buf[0..len): HTTP_INCOMPLETE until the head and the whole body are there. */
enum http_parse http_parse_request(const char *buf, size_t len, struct http_request *req);

/* The status a request gets before it is routed: 0 if it may go on, else 403 (Host, Origin
 * or token), 405 (a state change that is not a POST); *why says which check failed. */
int http_check(const struct http_request *req, unsigned port, const char *token, bool changes_state,
	       const char **why);

/* The value of name in a query string or form body (a=1&b=2), %XX and '+' decoded. False if
 * absent, too long or holding a control character. */
bool http_param(const char *query, const char *name, char *value, size_t size);

#endif
