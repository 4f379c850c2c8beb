/*
 * DOC: IOS output modifiers (see output_filter.h).
 */
#include "ctl/output_filter.h"

#include <stdint.h>
#include <string.h>

/* IOS's `_` as an extended regular expression: a delimiter, or either end of the line. */
static const char underscore[] = "(^|$|[ ,{}()])";

/* The IOS expression as POSIX ERE: `_` outside a bracket expression becomes `underscore`;
 * `\_` is a literal underscore. */
static void translate(const char *ios, struct strbuf *ere)
{
	bool in_bracket = false;
	for (const char *c = ios; *c; c++) {
		if (in_bracket) {
			strbuf_appendn(ere, c, 1);
			/* `]` right after `[` or `[^` is a member, not the end (POSIX) */
			if (*c == ']' && c[-1] != '[' && !(c[-1] == '^' && c - 2 >= ios && c[-2] == '['))
				in_bracket = false;
		} else if (*c == '\\' && c[1]) {
			strbuf_appendn(ere, c, 2);
			c++;
		} else if (*c == '[') {
			in_bracket = true;
			strbuf_append(ere, "[");
		} else if (*c == '_') {
			strbuf_append(ere, underscore);
		} else {
			strbuf_appendn(ere, c, 1);
		}
	}
	if (!ere->data)
		strbuf_append(ere, "");
}

bool output_filter_init(struct output_filter *f, const struct cli_parse *p, struct strbuf *error)
{
	memset(f, 0, sizeof(*f));
	f->kind = p->filter;
	f->section_indent = SIZE_MAX;
	if (!p->filter_regex[0])
		return true; /* bare count */
	struct strbuf ere = STRBUF_INIT;
	translate(p->filter_regex, &ere);
	int rc = ere.failed ? REG_ESPACE : regcomp(&f->regex, strbuf_str(&ere), REG_EXTENDED | REG_NOSUB);
	strbuf_free(&ere);
	if (rc != 0) {
		char why[128];
		regerror(rc, NULL, why, sizeof(why));
		strbuf_printf(error, "%% Invalid regular expression \"%s\": %s\n", p->filter_regex, why);
		return false;
	}
	f->has_regex = true;
	return true;
}

static bool matches(const struct output_filter *f, const char *line)
{
	return !f->has_regex || regexec(&f->regex, line, 0, NULL, 0) == 0;
}

static size_t indent_of(const char *line)
{
	return strspn(line, " \t");
}

static bool passes(struct output_filter *f, const char *line)
{
	switch (f->kind) {
	case CLI_CMD_FILTER_INCLUDE:
		return matches(f, line);
	case CLI_CMD_FILTER_EXCLUDE:
		return !matches(f, line);
	case CLI_CMD_FILTER_BEGIN:
		f->begun = f->begun || matches(f, line);
		return f->begun;
	case CLI_CMD_FILTER_SECTION: {
		size_t indent = indent_of(line);
		if (f->section_indent != SIZE_MAX && indent > f->section_indent && line[indent])
			return true; /* a child of the section's line */
		f->section_indent = matches(f, line) ? indent : SIZE_MAX;
		return f->section_indent != SIZE_MAX;
	}
	case CLI_CMD_FILTER_COUNT:
		f->count += matches(f, line);
		return false;
	default:
		return true;
	}
}

/* The line collected in f->line, with its newline (has_newline) or without (the last). */
static void line_done(struct output_filter *f, bool has_newline, struct strbuf *out)
{
	if (passes(f, strbuf_str(&f->line))) {
		strbuf_appendn(out, strbuf_str(&f->line), f->line.len);
		if (has_newline)
			strbuf_append(out, "\n");
	}
	strbuf_reset(&f->line);
}

void output_filter_feed(struct output_filter *f, const char *data, size_t len, struct strbuf *out)
{
	while (len) {
		const char *nl = memchr(data, '\n', len);
		size_t piece = nl ? (size_t)(nl - data) : len;
		strbuf_appendn(&f->line, data, piece);
		if (!nl)
			return;
		line_done(f, true, out);
		data += piece + 1;
		len -= piece + 1;
	}
}

void output_filter_finish(struct output_filter *f, struct strbuf *out)
{
	if (f->line.len)
		line_done(f, false, out);
	if (f->kind == CLI_CMD_FILTER_COUNT)
		strbuf_printf(out, "Number of lines which match regexp = %zu\n", f->count);
}

void output_filter_free(struct output_filter *f)
{
	if (f->has_regex)
		regfree(&f->regex);
	f->has_regex = false;
	strbuf_free(&f->line);
}

bool output_filter_text(const struct cli_parse *p, const char *text, size_t len, struct strbuf *out)
{
	struct output_filter f;
	if (!output_filter_init(&f, p, out))
		return false;
	output_filter_feed(&f, text, len, out);
	output_filter_finish(&f, out);
	output_filter_free(&f);
	return true;
}
