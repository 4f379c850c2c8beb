/*
 * DOC: unit tests of tern-lab's pictures and of `tern-lab view`'s request handling:
 * the JSON reader (src/lab/json.h), a session's ladder (src/lab/session_ladder.h) and the
 * HTTP parser with its Host, Origin and token checks (src/lab/http.h).
 *
 * The ladder is drawn from fixtures/session_log.json, R2's real log of its EBGP session with
 * R3 in labs/bgp-only (`show bgp neighbors 192.168.2.2 messages json` after `clear ip bgp
 * 192.168.2.2 soft in` and `clear ip bgp 192.168.2.2`), and from a log with a connection
 * collision; XML well-formedness of the SVG and HTML is checked by test_lab_pictures.py.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lab/http.h"
#include "lab/json.h"
#include "lab/session_ladder.h"

static char *read_fixture(const char *name, size_t *len)
{
	char path[1024];
	const char *dir = getenv("LADDER_FIXTURES");
	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "tests/unit/fixtures", name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static char buf[1 << 20];
	*len = fread(buf, 1, sizeof(buf) - 1, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

/* ---- JSON ---- */

static void test_json_values(void **state)
{
	(void)state;
	char err[128];
	const char *text = " {\"a\":[1,-2.5e1,true,false,null],\"s\":\"x\\\"\\u00e9\\ud83d\\ude00\\n\",\"o\":{}} ";
	struct json *j = json_parse(text, strlen(text), err, sizeof(err));
	assert_non_null(j);
	const struct json *a = json_get(j, "a");
	assert_int_equal(a->type, JSON_ARRAY);
	assert_true(a->child->number == 1 && a->child->next->number == -25);
	assert_int_equal(a->child->next->next->type, JSON_TRUE);
	assert_int_equal(a->child->next->next->next->next->type, JSON_NULL);
	assert_string_equal(json_get_string(j, "s", ""), "x\"\xc3\xa9\xf0\x9f\x98\x80\n");
	assert_int_equal(json_get(j, "o")->type, JSON_OBJECT);
	assert_null(json_get(j, "missing"));
	assert_true(json_get_number(j, "s", 7) == 7);
	json_free(j);
}

static void test_json_refuses(void **state)
{
	(void)state;
	static const char *const bad[] = { "", "{", "[1,]", "{\"a\" 1}", "\"abc", "01x", "tru", "[1] 2", "\"\\q\"",
					   "\"a\nb\"", "{1:2}", "\"\\u12\"" };
	char err[128];
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct json *j = json_parse(bad[i], strlen(bad[i]), err, sizeof(err));
		if (j)
			fail_msg("accepted %s", bad[i]);
		assert_true(err[0]);
	}
	char deep[200];
	memset(deep, '[', 100);
	memset(deep + 100, ']', 100);
	assert_null(json_parse(deep, sizeof(deep), err, sizeof(err)));
	assert_non_null(strstr(err, "deeper"));
}

/* ---- the session ladder ---- */

static const struct ladder_step *find_step(const struct session_ladder *l, size_t from, enum step_kind kind,
					   const char *label, size_t *at)
{
	for (size_t i = from; i < l->count; i++) {
		if (l->steps[i].kind == kind && !strcmp(l->steps[i].label, label)) {
			if (at)
				*at = i;
			return &l->steps[i];
		}
	}
	return NULL;
}

static void test_ladder_from_a_real_log(void **state)
{
	(void)state;
	size_t len;
	const char *json = read_fixture("session_log.json", &len);
	struct session_ladder l;
	char err[128];
	assert_true(session_ladder_parse(json, len, &l, err, sizeof(err)));
	/* the seed's sequence, in order: TCP connect from R2, OPEN both ways, KEEPALIVE both
	 * ways, UPDATE */
	size_t at = 0;
	const struct ladder_step *s = find_step(&l, 0, STEP_TO_PEER, "TCP connect", &at);
	assert_non_null(s);
	assert_non_null(strstr(s->fields, "-> 192.168.2.2 port 179"));
	s = find_step(&l, at, STEP_TO_PEER, "OPEN", &at);
	assert_non_null(s);
	assert_string_equal(s->fields, "My AS 100, Hold Time 180, BGP Identifier 1.1.1.1");
	s = find_step(&l, at, STEP_FROM_PEER, "OPEN", &at);
	assert_non_null(s);
	assert_string_equal(s->fields, "My AS 200, Hold Time 180, BGP Identifier 3.3.3.3");
	assert_non_null(find_step(&l, at, STEP_TO_PEER, "KEEPALIVE", NULL));
	assert_non_null(find_step(&l, at, STEP_FROM_PEER, "KEEPALIVE", &at));
	assert_non_null(find_step(&l, at, STEP_NOTE, "OpenConfirm -> Established", &at));
	assert_non_null(find_step(&l, at, STEP_FROM_PEER, "UPDATE", &at));
	/* clear ip bgp A soft in: a ROUTE-REFRESH sent; clear ip bgp A: a Cease NOTIFICATION */
	assert_non_null(find_step(&l, at, STEP_TO_PEER, "ROUTE-REFRESH", &at));
	s = find_step(&l, at, STEP_TO_PEER, "NOTIFICATION 6/4", &at);
	assert_non_null(s);
	assert_string_equal(s->fields, "Cease/Administrative Reset");
	/* then the peer connects: its TCP connect comes from the right */
	s = find_step(&l, at, STEP_FROM_PEER, "TCP connect", &at);
	assert_non_null(s);
	assert_non_null(strstr(s->fields, "-> 192.168.2.1 port 179"));

	struct strbuf text = STRBUF_INIT, svg = STRBUF_INIT;
	session_ladder_text(&l, "R2", "R3", &text);
	assert_non_null(strstr(strbuf_str(&text), "|-- OPEN ---"));
	assert_non_null(strstr(strbuf_str(&text), "|<------------------------------- OPEN --|  My AS 200"));
	session_ladder_svg(&l, "R2", "R3", &svg);
	/* one arrow (a line and its head) per message, one box per event */
	size_t arrows = 0, notes = 0;
	for (const char *p = strbuf_str(&svg); (p = strstr(p, "class=\"step ")); p++)
		*(p[12] == 'a' ? &arrows : &notes) += 1;
	size_t want_arrows = 0;
	for (size_t i = 0; i < l.count; i++)
		want_arrows += l.steps[i].kind != STEP_NOTE;
	assert_int_equal(arrows, want_arrows);
	assert_int_equal(arrows + notes, l.count);
	size_t heads = 0;
	for (const char *p = strbuf_str(&svg); (p = strstr(p, "<polygon")); p++)
		heads++;
	assert_int_equal(heads, want_arrows);
	strbuf_free(&text);
	strbuf_free(&svg);
	session_ladder_free(&l);
}

static void test_ladder_collision_and_escaping(void **state)
{
	(void)state;
	const char *json = "{\"messages\":[{\"time\":\"2026-12-06T09:00:00.000Z\",\"direction\":\"event\","
			   "\"type\":\"collision\",\"text\":\"connection collision: our BGP Identifier 1.1.1.1 is lower "
			   "than the peer's 3.3.3.3, so the connection initiated by us is closed with Cease 6/7\","
			   "\"closed\":\"local\",\"localId\":\"1.1.1.1\",\"remoteId\":\"3.3.3.3\"},"
			   "{\"time\":\"2026-12-06T09:00:00.001Z\",\"direction\":\"received\",\"type\":\"notification\","
			   "\"text\":\"NOTIFICATION received: 2/2 <Bad Peer AS> & more\",\"code\":2,\"subcode\":2,"
			   "\"name\":\"OPEN Message Error/Bad Peer AS\"}]}";
	struct session_ladder l;
	char err[128];
	assert_true(session_ladder_parse(json, strlen(json), &l, err, sizeof(err)));
	assert_int_equal(l.count, 2);
	assert_int_equal(l.steps[0].kind, STEP_NOTE);
	assert_string_equal(l.steps[0].label, "collision: closes the connection this router opened");
	assert_string_equal(l.steps[0].time, "09:00:00.000");
	assert_int_equal(l.steps[1].kind, STEP_FROM_PEER);
	assert_string_equal(l.steps[1].label, "NOTIFICATION 2/2");
	struct strbuf html = STRBUF_INIT;
	session_ladder_html(&l, "R2 <a>", "R3 & co", &html);
	assert_null(strstr(strbuf_str(&html), "<Bad"));
	assert_null(strstr(strbuf_str(&html), "R2 <a>"));
	assert_non_null(strstr(strbuf_str(&html), "&lt;Bad Peer AS&gt; &amp; more"));
	assert_non_null(strstr(strbuf_str(&html), "R3 &amp; co"));
	strbuf_free(&html);
	session_ladder_free(&l);
	assert_false(session_ladder_parse("{\"x\":1}", 7, &l, err, sizeof(err)));
	assert_non_null(strstr(err, "messages"));
}

/* ---- HTTP ---- */

#define PORT 8179
#define TOKEN "00112233445566778899aabbccddeeff"

static enum http_parse parse(const char *text, struct http_request *req)
{
	return http_parse_request(text, strlen(text), req);
}

static void test_http_parse(void **state)
{
	(void)state;
	struct http_request req;
	assert_int_equal(parse("GET /api/ladder?node=R2&peer=1.1.1.1 HTTP/1.1\r\nHost: 127.0.0.1:8179\r\n"
			       "Origin: http://127.0.0.1:8179\r\n\r\n", &req),
			 HTTP_COMPLETE);
	assert_string_equal(req.method, "GET");
	assert_string_equal(req.path, "/api/ladder");
	assert_string_equal(req.query, "node=R2&peer=1.1.1.1");
	assert_string_equal(req.host, "127.0.0.1:8179");
	assert_true(req.has_origin && !req.has_token);
	/* the head not complete yet, then the body not complete yet */
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: 127.0.0.1:8179\r\n", &req), HTTP_INCOMPLETE);
	assert_int_equal(parse("POST /api/link HTTP/1.1\r\nContent-Length: 17\r\nx-tern-token:  " TOKEN " \r\n\r\nlink=1", &req),
			 HTTP_INCOMPLETE);
	assert_int_equal(parse("POST /api/link HTTP/1.1\r\nContent-Length: 17\r\nx-tern-token:  " TOKEN
			       " \r\n\r\nlink=1&state=down",
			       &req),
			 HTTP_COMPLETE);
	assert_string_equal(req.token, TOKEN);
	assert_int_equal(req.content_length, 17);
	assert_memory_equal(req.body, "link=1&state=down", 17);
	/* bare newlines are accepted */
	assert_int_equal(parse("GET / HTTP/1.0\nHost: localhost:8179\n\n", &req), HTTP_COMPLETE);
}

static void test_http_refuses(void **state)
{
	(void)state;
	struct http_request req;
	static const char *const bad[] = {
		"\r\n\r\n",
		"GET\r\n\r\n",
		"GET / FTP/1.0\r\n\r\n",
		"GET http://evil/ HTTP/1.1\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
		"GET / HTTP/1.1\r\nno colon\r\n\r\n",
		"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
		"POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
		"GET /\x01 HTTP/1.1\r\n\r\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (parse(bad[i], &req) != HTTP_BAD_REQUEST)
			fail_msg("accepted %s", bad[i]);
	assert_int_equal(parse("POST / HTTP/1.1\r\nContent-Length: 1025\r\n\r\n", &req), HTTP_TOO_LARGE);
	assert_int_equal(parse("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", &req), HTTP_TOO_LARGE);
	static char big[HTTP_HEAD_MAX + 100];
	memset(big, 'a', sizeof(big) - 1);
	memcpy(big, "GET / HTTP/1.1\r\nX: ", 19);
	assert_int_equal(http_parse_request(big, sizeof(big) - 1, &req), HTTP_TOO_LARGE);
}

static int check(const char *text, bool changes_state)
{
	struct http_request req;
	const char *why = "";
	assert_int_equal(parse(text, &req), HTTP_COMPLETE);
	int status = http_check(&req, PORT, TOKEN, changes_state, &why);
	assert_true(status == 0 || why[0]);
	return status;
}

static void test_http_checks(void **state)
{
	(void)state;
	/* reading: Host must name this server; Origin, if any, too */
	assert_int_equal(check("GET / HTTP/1.1\r\nHost: 127.0.0.1:8179\r\n\r\n", false), 0);
	assert_int_equal(check("GET / HTTP/1.1\r\nHost: LocalHost:8179\r\n\r\n", false), 0);
	assert_int_equal(check("GET / HTTP/1.1\r\n\r\n", false), 403);
	assert_int_equal(check("GET / HTTP/1.1\r\nHost: evil.example:8179\r\n\r\n", false), 403); /* rebinding */
	assert_int_equal(check("GET / HTTP/1.1\r\nHost: 127.0.0.1:8180\r\n\r\n", false), 403);
	assert_int_equal(check("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", false), 403);
	assert_int_equal(check("GET / HTTP/1.1\r\nHost: 127.0.0.1:81790\r\n\r\n", false), 403);
	assert_int_equal(check("GET / HTTP/1.1\r\nHost: 127.0.0.1:8179\r\nOrigin: http://evil.example\r\n\r\n", false), 403);
	assert_int_equal(check("GET / HTTP/1.1\r\nHost: 127.0.0.1:8179\r\nOrigin: null\r\n\r\n", false), 403);
	/* changing: POST, same Origin, the token */
	const char *good = "POST /api/link HTTP/1.1\r\nHost: 127.0.0.1:8179\r\nOrigin: http://127.0.0.1:8179\r\n"
			   "X-Tern-Token: " TOKEN "\r\nContent-Length: 0\r\n\r\n";
	assert_int_equal(check(good, true), 0);
	assert_int_equal(check("POST /api/link HTTP/1.1\r\nHost: localhost:8179\r\nOrigin: http://localhost:8179\r\n"
			       "X-Tern-Token: " TOKEN "\r\n\r\n", true),
			 0);
	assert_int_equal(check("GET /api/link HTTP/1.1\r\nHost: 127.0.0.1:8179\r\nOrigin: http://127.0.0.1:8179\r\n"
			       "X-Tern-Token: " TOKEN "\r\n\r\n", true),
			 405);
	assert_int_equal(check("POST /api/link HTTP/1.1\r\nHost: 127.0.0.1:8179\r\nX-Tern-Token: " TOKEN "\r\n\r\n", true),
			 403); /* no Origin */
	assert_int_equal(check("POST /api/link HTTP/1.1\r\nHost: 127.0.0.1:8179\r\nOrigin: http://127.0.0.1:8179\r\n\r\n",
			       true),
			 403); /* no token */
	assert_int_equal(check("POST /api/link HTTP/1.1\r\nHost: 127.0.0.1:8179\r\nOrigin: http://127.0.0.1:8179\r\n"
			       "X-Tern-Token: 00112233445566778899aabbccddeefe\r\n\r\n", true),
			 403); /* a wrong token */
	assert_int_equal(check("POST /api/link HTTP/1.1\r\nHost: 127.0.0.1:8179\r\nOrigin: http://127.0.0.1:8179\r\n"
			       "X-Tern-Token: " TOKEN "0\r\n\r\n", true),
			 403); /* a longer one */
	assert_int_equal(check("POST /api/link HTTP/1.1\r\nHost: 127.0.0.1:8179\r\nOrigin: http://127.0.0.1:8179\r\n"
			       "X-Tern-Token: \r\n\r\n", true),
			 403); /* an empty one */
	assert_int_equal(check("POST /api/link HTTP/1.1\r\nHost: 127.0.0.1:8179\r\nOrigin: https://evil.example\r\n"
			       "X-Tern-Token: " TOKEN "\r\n\r\n", true),
			 403);
	assert_int_equal(check("POST /api/link HTTP/1.1\r\nHost: evil.example\r\nOrigin: http://evil.example\r\n"
			       "X-Tern-Token: " TOKEN "\r\n\r\n", true),
			 403);
}

static void test_http_params(void **state)
{
	(void)state;
	char v[32];
	assert_true(http_param("node=R2&peer=1.1.1.1", "peer", v, sizeof(v)));
	assert_string_equal(v, "1.1.1.1");
	assert_true(http_param("a=x%2Fy+z&node=R%32", "node", v, sizeof(v)));
	assert_string_equal(v, "R2");
	assert_true(http_param("a=x%2Fy+z", "a", v, sizeof(v)));
	assert_string_equal(v, "x/y z");
	assert_true(http_param("link=", "link", v, sizeof(v)));
	assert_string_equal(v, "");
	assert_false(http_param("xnode=R2", "node", v, sizeof(v)));
	assert_false(http_param("node=R%0a2", "node", v, sizeof(v)));
	assert_false(http_param("node=R%zz", "node", v, sizeof(v)));
	assert_false(http_param("node=0123456789012345678901234567890123456789", "node", v, sizeof(v)));
}

/* Byte flips, truncations and insertions of valid inputs: the parsers never read outside
 * what they were given (run under ASan by `make asan`), and what they accept is consistent. */
static void test_mutated_inputs(void **state)
{
	(void)state;
	static const char *const seeds[] = {
		"POST /api/link?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8179\r\nOrigin: http://127.0.0.1:8179\r\n"
		"X-Tern-Token: " TOKEN "\r\nContent-Length: 17\r\n\r\nlink=1&state=down",
		"{\"messages\":[{\"time\":\"2026-12-06T09:00:00.000Z\",\"direction\":\"sent\",\"type\":\"open\","
		"\"text\":\"OPEN sent: \\u00e9\",\"myAs\":100,\"holdTime\":180,\"bgpId\":\"1.1.1.1\"},[true,null,-1e3]]}",
	};
	unsigned seed = 12345;
	char buf[512];
	for (int round = 0; round < 20000; round++) {
		const char *base = seeds[round % 2];
		size_t len = strlen(base);
		memcpy(buf, base, len);
		for (int k = 0; k < 1 + round % 4; k++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = (seed >> 8) % len;
			switch ((seed >> 4) % 3) {
			case 0: buf[at] = (char)(seed >> 16); break;
			case 1: len = at + 1; break;
			default:
				if (len + 1 < sizeof(buf)) {
					memmove(buf + at + 1, buf + at, len - at);
					buf[at] = "{}[]\",:\\\r\n%&="[(seed >> 12) % 14];
					len++;
				}
			}
		}
		char *copy = malloc(len); /* exactly len bytes: ASan sees any read past them */
		assert_non_null(copy);
		memcpy(copy, buf, len);
		if (round % 2 == 0) {
			struct http_request req;
			enum http_parse r = http_parse_request(copy, len, &req);
			if (r == HTTP_COMPLETE) {
				assert_true(req.head_length + req.content_length <= len);
				const char *why;
				(void)http_check(&req, PORT, TOKEN, true, &why);
				char v[64];
				(void)http_param(req.query, "x", v, sizeof(v));
			}
		} else {
			char err[128];
			struct session_ladder l;
			if (session_ladder_parse(copy, len, &l, err, sizeof(err))) {
				struct strbuf out = STRBUF_INIT;
				session_ladder_svg(&l, "a", "b", &out);
				strbuf_free(&out);
				session_ladder_free(&l);
			}
		}
		free(copy);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_values),
		cmocka_unit_test(test_json_refuses),
		cmocka_unit_test(test_ladder_from_a_real_log),
		cmocka_unit_test(test_ladder_collision_and_escaping),
		cmocka_unit_test(test_http_parse),
		cmocka_unit_test(test_http_refuses),
		cmocka_unit_test(test_http_checks),
		cmocka_unit_test(test_http_params),
		cmocka_unit_test(test_mutated_inputs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
