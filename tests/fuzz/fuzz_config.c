/*
 * DOC: fuzz target for the configuration loader and the grammar.
 *
 * Input: any bytes, read as configuration text (cut at the first NUL). Oracle: a text that
 * loads is printed, the print is loaded again, and the two configs must be config_equal and
 * print the same text; a text that fails must carry a diagnostic whose caret lies within its
 * line. The first lines are also fed to `?` help and Tab completion in every mode, which must
 * not crash.
 *
 * Most random texts fail at some line, so the print/parse oracle would rarely run. The target
 * therefore also applies the text leniently: line by line through cli_parse() and
 * config_apply_in() as a shell user would type it (with the session's interface context),
 * skipping refused lines, and checks the round trip of whatever configuration that builds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define INPUT_MAX (64u << 10)
#define HELP_LINES_MAX 4

static void check(bool ok)
{
	if (!ok)
		abort();
}

static void check_round_trip(const struct config *loaded)
{
	struct strbuf first = STRBUF_INIT, second = STRBUF_INIT;
	config_print(loaded, &first);
	check(!first.failed);
	struct config again;
	struct config_diag diag;
	check(config_load_text(strbuf_str(&first), "printed", &again, &diag));
	check(config_equal(loaded, &again));
	config_print(&again, &second);
	check(strcmp(strbuf_str(&first), strbuf_str(&second)) == 0);
	config_free(&again);
	strbuf_free(&first);
	strbuf_free(&second);
}

/* Next line of text into line (cut to CLI_LINE_MAX); returns the text after it. */
static const char *next_line(const char *text, char *line)
{
	const char *end = strchr(text, '\n');
	size_t len = end ? (size_t)(end - text) : strlen(text);
	size_t copy = len < CLI_LINE_MAX ? len : CLI_LINE_MAX;
	memcpy(line, text, copy);
	line[copy] = '\0';
	return text + len + (end ? 1 : 0);
}

static void apply_leniently(const char *text)
{
	struct config c;
	config_init(&c);
	struct config_context ctx;
	config_context_init(&ctx);
	enum cli_mode mode = CLI_MODE_CONFIG;
	char line[CLI_LINE_MAX + 1];
	struct cli_parse *p = malloc(sizeof(*p));
	if (!p)
		return;
	while (*text) {
		text = next_line(text, line);
		if (cli_parse(mode, line, p) != CLI_OK && cli_parse(CLI_MODE_CONFIG, line, p) != CLI_OK)
			continue;
		struct config before;
		check(config_copy(&before, &c));
		struct config_context ctx_before = ctx;
		struct config_apply_result r;
		if (config_apply_in(&c, p, &ctx, &r)) {
			mode = cli_mode_is_config(r.mode) ? r.mode : CLI_MODE_CONFIG;
			/* in interface mode exactly when the context names an interface */
			check((mode == CLI_MODE_CONFIG_INTERFACE) == (ctx.interface[0] != '\0'));
		} else {
			/* a refused command changes nothing, neither the config nor the context */
			check(config_equal(&before, &c));
			check(memcmp(&ctx_before, &ctx, sizeof(ctx)) == 0);
		}
		config_free(&before);
	}
	free(p);
	check_round_trip(&c);
	config_free(&c);
}

static void check_help_and_completion(const char *line)
{
	for (int mode = 0; mode < CLI_MODE_COUNT; mode++) {
		struct strbuf out = STRBUF_INIT;
		size_t column = 0;
		enum cli_status status = cli_help((enum cli_mode)mode, line, &out, &column);
		check(status == CLI_OK || column <= CLI_LINE_MAX);
		strbuf_free(&out);
		struct cli_completion *c = malloc(sizeof(*c));
		if (!c)
			return;
		size_t n = cli_complete((enum cli_mode)mode, line, c);
		check(n <= CLI_COMPLETE_MAX);
		for (size_t i = 0; i < n; i++)
			check(c->candidates[i] != NULL);
		free(c);
	}
}

static void fuzz_lines(const char *text)
{
	char line[CLI_LINE_MAX + 1];
	for (int i = 0; i < HELP_LINES_MAX && *text; i++) {
		text = next_line(text, line);
		check_help_and_completion(line);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > INPUT_MAX)
		return 0;
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	struct config c;
	struct config_diag diag;
	struct strbuf notes = STRBUF_INIT;
	if (config_load_text_notes(text, "fuzz", &c, &diag, &notes)) {
		check_round_trip(&c);
		config_free(&c);
	} else {
		check(diag.line >= 1);
		check(diag.column <= strlen(diag.text));
		check(diag.message[0] == '%');
		struct strbuf out = STRBUF_INIT;
		config_diag_format(&diag, &out);
		strbuf_free(&out);
	}
	strbuf_free(&notes);
	apply_leniently(text);
	fuzz_lines(text);
	free(text);
	return 0;
}
