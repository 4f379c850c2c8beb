/* A shell session's history, the --More-- pager, show clock/version text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ctl/exec_session.h"
#include "ctl/ping.h"
#include "ctl/show_system.h"
#include "ternc/pager.h"

static void test_history(void **state)
{
	(void)state;
	struct exec_session s;
	exec_session_init(&s);
	assert_int_equal(s.terminal_length, 24);
	struct strbuf out = STRBUF_INIT;
	exec_session_show_history(&s, &out);
	assert_string_equal(strbuf_str(&out), "");
	exec_session_remember(&s, "show ip route  ");
	exec_session_remember(&s, "   ");
	exec_session_remember(&s, "show history");
	exec_session_show_history(&s, &out);
	assert_string_equal(strbuf_str(&out), "  show ip route\n  show history\n");
	/* the last ten only, oldest first */
	char line[32];
	for (int i = 0; i < 12; i++) {
		snprintf(line, sizeof(line), "show %d", i);
		exec_session_remember(&s, line);
	}
	strbuf_reset(&out);
	exec_session_show_history(&s, &out);
	assert_string_equal(strbuf_str(&out), "  show 2\n  show 3\n  show 4\n  show 5\n  show 6\n"
	                                      "  show 7\n  show 8\n  show 9\n  show 10\n  show 11\n");
	strbuf_free(&out);
	exec_session_free(&s);
}

struct script {
	const char *keys; /* answers to --More--, in order */
	size_t asked;
	FILE *to;
};

static enum pager_key scripted(void *context)
{
	struct script *s = context;
	fputs("<More>", s->to);
	assert_true(s->keys[s->asked] != '\0');
	return pager_key_of(s->keys[s->asked++]);
}

/* What the pager writes for text in pieces of `piece` bytes, answering keys. */
static char *paged(unsigned length, const char *keys, const char *text, size_t piece, size_t *asked)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *to = open_memstream(&buf, &size);
	struct script s = { keys, 0, to };
	struct pager p;
	pager_start(&p, length, to, scripted, &s);
	for (size_t at = 0, len = strlen(text); at < len; at += piece)
		pager_write(&p, text + at, len - at < piece ? len - at : piece);
	fclose(to);
	*asked = s.asked;
	return buf;
}

static void check_paged(unsigned length, const char *keys, const char *text, const char *expected,
                        size_t expected_asked)
{
	for (size_t piece = 1; piece <= strlen(text); piece++) {
		size_t asked;
		char *got = paged(length, keys, text, piece, &asked);
		assert_string_equal(got, expected);
		assert_int_equal(asked, expected_asked);
		free(got);
	}
}

static void test_pager(void **state)
{
	(void)state;
	const char *text = "1\n2\n3\n4\n5\n6\n7\n";
	/* length 3: two lines a screen; space: two more; Enter: one more; q: the rest dropped */
	check_paged(3, " \nq", text, "1\n2\n<More>3\n4\n<More>5\n<More>", 3);
	check_paged(3, "   ", text, "1\n2\n<More>3\n4\n<More>5\n6\n<More>7\n", 3);
	/* length 0 never pauses; output that fits never pauses */
	check_paged(0, "", text, text, 0);
	check_paged(24, "", text, text, 0);
	/* ending exactly at a screen's end: no pause */
	check_paged(3, "", "1\n2\n", "1\n2\n", 0);
	/* a last line without a newline */
	check_paged(2, "x", "a\nb", "a\n<More>", 1);
	assert_int_equal(pager_key_of(' '), PAGER_PAGE);
	assert_int_equal(pager_key_of('\r'), PAGER_LINE);
	assert_int_equal(pager_key_of('q'), PAGER_QUIT);
}

static void test_clock_and_uptime(void **state)
{
	(void)state;
	struct strbuf out = STRBUF_INIT;
	/* 2026-12-06 10:01:07.123 UTC, a Sunday */
	struct timespec t = { .tv_sec = 1796551267, .tv_nsec = 123456789 };
	show_clock(&t, &out);
	assert_string_equal(strbuf_str(&out), "*10:01:07.123 UTC Sun Dec 6 2026\n");
	strbuf_reset(&out);
	show_uptime_text(59, &out);
	assert_string_equal(strbuf_str(&out), "0 minutes");
	strbuf_reset(&out);
	show_uptime_text(60 * (60 * 24 * 9 + 61), &out);
	assert_string_equal(strbuf_str(&out), "1 week, 2 days, 1 hour, 1 minute");
	strbuf_reset(&out);
	show_version("R1", 125, "/etc/tern/tern.conf", &out);
	assert_non_null(strstr(strbuf_str(&out), "Tern Routing Suite, Version " TERN_VERSION "\n"));
	assert_non_null(strstr(strbuf_str(&out), "\nR1 uptime is 2 minutes\n"));
	assert_non_null(strstr(strbuf_str(&out), "configuration file /etc/tern/tern.conf\n"));
	strbuf_free(&out);
	assert_true(show_process_uptime() < 24 * 3600);
}

static void test_ping_summary(void **state)
{
	(void)state;
	struct strbuf out = STRBUF_INIT;
	ping_summary(5, 5, 1, 2, 4, &out);
	assert_string_equal(strbuf_str(&out),
	                    "Success rate is 100 percent (5/5), round-trip min/avg/max = 1/2/4 ms\n");
	strbuf_reset(&out);
	ping_summary(3, 2, 0, 1, 1, &out);
	assert_string_equal(strbuf_str(&out),
	                    "Success rate is 66 percent (2/3), round-trip min/avg/max = 0/1/1 ms\n");
	strbuf_reset(&out);
	ping_summary(5, 0, 0, 0, 0, &out);
	assert_string_equal(strbuf_str(&out), "Success rate is 0 percent (0/5)\n");
	strbuf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_history),
		cmocka_unit_test(test_pager),
		cmocka_unit_test(test_clock_and_uptime),
		cmocka_unit_test(test_ping_summary),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
