/* IOS output modifiers over show text (ctl/output_filter.h), whole and fed in pieces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "config/grammar.h"
#include "ctl/output_filter.h"

static const char config[] =
	"hostname R1\n"
	"!\n"
	"interface f0/0\n"
	" ip address 10.0.0.1 255.0.0.0\n"
	" description to bgp peer\n"
	"!\n"
	"router bgp 65001\n"
	" neighbor 10.0.0.2 remote-as 65002\n"
	" network 192.168.1.0\n"
	"!\n"
	"router rip\n"
	" network 10.0.0.0\n"
	"end\n";

/* The output of `show running-config | MODIFIER` over config, whole. */
static void filtered(const char *modifier, const char *text, const char *expected)
{
	char line[256];
	snprintf(line, sizeof(line), "show running-config | %s", modifier);
	struct cli_parse p;
	assert_int_equal(cli_parse(CLI_MODE_EXEC, line, &p), CLI_OK);
	struct strbuf out = STRBUF_INIT;
	assert_true(output_filter_text(&p, text, strlen(text), &out));
	assert_string_equal(strbuf_str(&out), expected);
	strbuf_free(&out);
	/* the same, fed a byte at a time: a piece boundary means nothing */
	struct output_filter f;
	struct strbuf bytewise = STRBUF_INIT;
	assert_true(output_filter_init(&f, &p, &bytewise));
	for (size_t i = 0; text[i]; i++)
		output_filter_feed(&f, text + i, 1, &bytewise);
	output_filter_finish(&f, &bytewise);
	output_filter_free(&f);
	assert_string_equal(strbuf_str(&bytewise), expected);
	strbuf_free(&bytewise);
}

static void test_include_exclude(void **state)
{
	(void)state;
	filtered("include bgp", config, " description to bgp peer\nrouter bgp 65001\n");
	filtered("i ^router", config, "router bgp 65001\nrouter rip\n");
	filtered("include 10.0.0.[12] ", config,
	         " ip address 10.0.0.1 255.0.0.0\n neighbor 10.0.0.2 remote-as 65002\n");
	filtered("include nothing-like-this", config, "");
	filtered("exclude ^( |!)", config, "hostname R1\ninterface f0/0\nrouter bgp 65001\nrouter rip\nend\n");
	/* IOS's `_`: a delimiter or an end of the line */
	filtered("include _65002$", config, " neighbor 10.0.0.2 remote-as 65002\n");
	filtered("include _R1_", config, "hostname R1\n");
	filtered("include ^end_", config, "end\n");
	filtered("include [_]", "a_b\nab\n", "a_b\n");
	filtered("include a\\_b", "a_b\na b\n", "a_b\n");
}

static void test_begin_section_count(void **state)
{
	(void)state;
	filtered("begin router rip", config, "router rip\n network 10.0.0.0\nend\n");
	filtered("section bgp", config,
	         " description to bgp peer\n"
	         "router bgp 65001\n neighbor 10.0.0.2 remote-as 65002\n network 192.168.1.0\n");
	filtered("section ^interface", config,
	         "interface f0/0\n ip address 10.0.0.1 255.0.0.0\n description to bgp peer\n");
	/* nested children; a blank line ends the section */
	filtered("section ^a", "a\n b\n  c\n d\n\n  e\nf\n", "a\n b\n  c\n d\n");
	filtered("count", config, "Number of lines which match regexp = 13\n");
	filtered("count ^ [a-z]", config, "Number of lines which match regexp = 5\n");
	filtered("count zzz", config, "Number of lines which match regexp = 0\n");
	/* a last line without its newline is filtered too, and stays without one */
	filtered("include b", "a\nb", "b");
	filtered("count", "a\nb", "Number of lines which match regexp = 2\n");
}

static void test_bad_expression(void **state)
{
	(void)state;
	struct cli_parse p;
	assert_int_equal(cli_parse(CLI_MODE_EXEC, "show running-config | include a(b", &p), CLI_OK);
	struct strbuf out = STRBUF_INIT;
	assert_false(output_filter_text(&p, "a(b\n", 4, &out));
	assert_non_null(strstr(strbuf_str(&out), "% Invalid regular expression \"a(b\""));
	strbuf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_include_exclude),
		cmocka_unit_test(test_begin_section_count),
		cmocka_unit_test(test_bad_expression),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
