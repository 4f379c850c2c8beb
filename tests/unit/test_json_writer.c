/*
 * DOC: unit tests of the JSON writer (lib/json_writer.h): punctuation at every nesting,
 * escaping, a document written across several buffers (the streaming views), and misuse
 * stopped by the debug assertion. Every finished document is read back by tern-lab's strict
 * JSON reader (lab/json.h, RFC 8259), so "valid" is checked, not assumed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "lab/json.h"
#include "lib/json_writer.h"

static void assert_valid_json(const struct strbuf *out)
{
	char err[128] = "";
	struct json *j = json_parse(out->data, out->len, err, sizeof(err));
	if (!j)
		fail_msg("not JSON (%s): %s", err, strbuf_str(out));
	json_free(j);
}

static void test_empty_containers(void **state)
{
	(void)state;
	struct strbuf out = STRBUF_INIT;
	struct json_writer w;
	json_writer_init(&w, &out);
	json_object_begin(&w);
	json_key(&w, "a");
	json_array_begin(&w);
	json_array_end(&w);
	json_member_object_begin(&w, "o");
	json_object_end(&w);
	json_object_end(&w);
	assert_string_equal(strbuf_str(&out), "{\"a\":[],\"o\":{}}\n");
	assert_true(json_writer_complete(&w));
	assert_valid_json(&out);
	strbuf_free(&out);
}

static void test_commas_and_colons_at_every_level(void **state)
{
	(void)state;
	struct strbuf out = STRBUF_INIT;
	struct json_writer w;
	json_writer_init(&w, &out);
	json_object_begin(&w);
	json_member_string(&w, "routerId", "10.0.0.1");
	json_member_uint(&w, "as", 65001);
	json_member_int(&w, "delta", -3);
	json_member_bool(&w, "up", true);
	json_member_bool(&w, "down", false);
	json_member_null(&w, "none");
	json_member_array_begin(&w, "list");
	json_uint(&w, 1);
	json_array_begin(&w);
	json_string(&w, "x");
	json_null(&w);
	json_array_end(&w);
	json_object_begin(&w);
	json_member_uint(&w, "k", 18446744073709551615ull);
	json_object_end(&w);
	json_array_end(&w);
	json_key(&w, "text");
	json_string_or_null(&w, "");
	json_key(&w, "f");
	json_stringf(&w, "%u/%u", 10u, 24u);
	json_object_end(&w);
	assert_string_equal(strbuf_str(&out),
			    "{\"routerId\":\"10.0.0.1\",\"as\":65001,\"delta\":-3,\"up\":true,\"down\":false,"
			    "\"none\":null,\"list\":[1,[\"x\",null],{\"k\":18446744073709551615}],\"text\":null,"
			    "\"f\":\"10/24\"}\n");
	assert_valid_json(&out);
	strbuf_free(&out);
}

static void test_deep_nesting(void **state)
{
	(void)state;
	struct strbuf out = STRBUF_INIT;
	struct json_writer w;
	json_writer_init(&w, &out);
	for (int i = 0; i < JSON_WRITER_MAX_DEPTH; i++) {
		if (i % 2) {
			json_object_begin(&w);
			json_key(&w, "k");
		} else {
			json_array_begin(&w);
			json_uint(&w, (unsigned)i);
		}
	}
	json_close_all(&w);
	assert_true(json_writer_complete(&w));
	assert_int_equal(w.depth, 0);
	assert_valid_json(&out);
	strbuf_free(&out);
}

static void test_escaping(void **state)
{
	(void)state;
	struct strbuf out = STRBUF_INIT;
	struct json_writer w;
	json_writer_init(&w, &out);
	json_object_begin(&w);
	json_member_string(&w, "quote\"key", "a\"b\\c\nd\re\tf\x01g");
	json_object_end(&w);
	assert_string_equal(strbuf_str(&out), "{\"quote\\\"key\":\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\"}\n");
	char err[128];
	struct json *j = json_parse(out.data, out.len, err, sizeof(err));
	assert_non_null(j);
	assert_string_equal(json_get_string(j, "quote\"key", ""), "a\"b\\c\nd\re\tf\x01g");
	json_free(j);
	strbuf_free(&out);
}

static void test_raw_members(void **state)
{
	(void)state;
	struct strbuf out = STRBUF_INIT;
	struct json_writer w;
	json_writer_init(&w, &out);
	json_object_begin(&w);
	json_members_raw(&w, "\"a\":1,\"b\":\"x\"");
	json_members_raw(&w, "");
	json_member_uint(&w, "c", 2);
	json_object_end(&w);
	assert_string_equal(strbuf_str(&out), "{\"a\":1,\"b\":\"x\",\"c\":2}\n");
	assert_valid_json(&out);
	strbuf_reset(&out);
	json_writer_init(&w, &out);
	json_object_begin(&w);
	json_members_raw(&w, "");
	json_members_raw(&w, "\"a\":1");
	json_object_end(&w);
	assert_string_equal(strbuf_str(&out), "{\"a\":1}\n");
	assert_valid_json(&out);
	strbuf_free(&out);
}

/* A streamed document: each slice goes into a fresh buffer (as the control socket sends
 * each one and starts over); the writer lives on in between, and the slices joined are one
 * valid document, the same as written into one buffer. */
static void write_routes(struct json_writer *w, struct strbuf *slices, size_t slice_count, size_t routes)
{
	json_writer_resume(w, &slices[0]);
	json_object_begin(w);
	json_member_string(w, "routerId", "1.1.1.1");
	json_key(w, "routes");
	json_object_begin(w);
	for (size_t i = 0; i < routes; i++) {
		json_writer_resume(w, &slices[i * slice_count / routes]);
		char prefix[32];
		snprintf(prefix, sizeof(prefix), "10.%zu.0.0/16", i);
		json_key(w, prefix);
		json_array_begin(w);
		json_object_begin(w);
		json_member_bool(w, "best", i % 2);
		json_object_end(w);
		json_array_end(w);
	}
	json_writer_resume(w, &slices[slice_count - 1]);
	json_object_end(w);
	json_object_end(w);
}

static void test_suspend_and_resume_across_slices(void **state)
{
	(void)state;
	enum { SLICES = 7, ROUTES = 50 };
	struct strbuf slices[SLICES], whole = STRBUF_INIT, joined = STRBUF_INIT;
	for (size_t i = 0; i < SLICES; i++)
		slices[i] = (struct strbuf)STRBUF_INIT;
	struct json_writer w;
	json_writer_init(&w, &slices[0]);
	write_routes(&w, slices, SLICES, ROUTES);
	assert_true(json_writer_complete(&w));
	for (size_t i = 0; i < SLICES; i++) {
		assert_true(slices[i].len > 0);
		strbuf_append(&joined, strbuf_str(&slices[i]));
		strbuf_free(&slices[i]);
	}
	struct json_writer one;
	json_writer_init(&one, &whole);
	write_routes(&one, &whole, 1, ROUTES);
	assert_string_equal(strbuf_str(&joined), strbuf_str(&whole));
	assert_valid_json(&joined);
	strbuf_free(&joined);
	strbuf_free(&whole);
}

/* A view that fails half way closes what is open: the document stays whole. */
static void test_close_all_after_a_key(void **state)
{
	(void)state;
	struct strbuf out = STRBUF_INIT;
	struct json_writer w;
	json_writer_init(&w, &out);
	json_object_begin(&w);
	json_key(&w, "routes");
	json_object_begin(&w);
	json_key(&w, "10.0.0.0/8");
	json_close_all(&w);
	assert_string_equal(strbuf_str(&out), "{\"routes\":{\"10.0.0.0/8\":null}}\n");
	assert_valid_json(&out);
	strbuf_free(&out);
}

enum misuse {
	VALUE_WITHOUT_KEY,
	KEY_IN_ARRAY,
	KEY_AT_TOP,
	UNBALANCED_END,
	WRONG_END,
	END_AFTER_KEY,
	TWO_KEYS,
	SECOND_DOCUMENT,
	TOO_DEEP,
};

static void misuse(struct json_writer *w, enum misuse kind)
{
	switch (kind) {
	case VALUE_WITHOUT_KEY:
		json_object_begin(w);
		json_uint(w, 1);
		break;
	case KEY_IN_ARRAY:
		json_array_begin(w);
		json_key(w, "k");
		break;
	case KEY_AT_TOP:
		json_key(w, "k");
		break;
	case UNBALANCED_END:
		json_object_begin(w);
		json_object_end(w);
		json_object_end(w);
		break;
	case WRONG_END:
		json_object_begin(w);
		json_array_end(w);
		break;
	case END_AFTER_KEY:
		json_object_begin(w);
		json_key(w, "k");
		json_object_end(w);
		break;
	case TWO_KEYS:
		json_object_begin(w);
		json_key(w, "a");
		json_key(w, "b");
		break;
	case SECOND_DOCUMENT:
		json_null(w);
		json_null(w);
		break;
	case TOO_DEEP:
		for (int i = 0; i <= JSON_WRITER_MAX_DEPTH; i++)
			json_array_begin(w);
		break;
	}
}

/* Each misuse in a child process: a debug build must stop on the assertion (SIGABRT); a
 * build with NDEBUG must flag the writer instead. Either way the misuse never passes. */
static void test_misuse_is_caught(void **state)
{
	(void)state;
	for (enum misuse kind = VALUE_WITHOUT_KEY; kind <= TOO_DEEP; kind++) {
		fflush(NULL);
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			FILE *quiet = freopen("/dev/null", "w", stderr);
			(void)quiet;
			struct strbuf out = STRBUF_INIT;
			struct json_writer w;
			json_writer_init(&w, &out);
			misuse(&w, kind);
			_exit(json_writer_misused(&w) ? 3 : 0);
		}
		int status;
		assert_int_equal(waitpid(pid, &status, 0), pid);
		bool caught = (WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT) ||
			      (WIFEXITED(status) && WEXITSTATUS(status) == 3);
		if (!caught)
			fail_msg("misuse %d was not caught (status %d)", kind, status);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_containers),
		cmocka_unit_test(test_commas_and_colons_at_every_level),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_raw_members),
		cmocka_unit_test(test_suspend_and_resume_across_slices),
		cmocka_unit_test(test_close_all_after_a_key),
		cmocka_unit_test(test_misuse_is_caught),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
