/*
 * DOC: IOS output modifiers on show output (`show running-config | include bgp`).
 *
 * The grammar reads the modifier (grammar.h, cli_parse.filter); this module applies it to
 * the show's output as the output is made, line by line: a streamed table view (ctl.c) passes
 * each slice through output_filter_feed(), so a filtered full table is neither held in memory
 * nor sent to the shell. Only an unfinished last line waits here.
 *
 *   include REGEX   the lines that match
 *   exclude REGEX   the lines that do not match
 *   begin REGEX     everything from the first line that matches on
 *   section REGEX   each line that matches, with the lines after it indented deeper than it
 *                   (its children: an `interface` block, `router bgp` and its settings)
 *   count [REGEX]   no lines, only "Number of lines which match regexp = N" (every line
 *                   when no expression was given)
 *
 * Expressions are POSIX extended regular expressions, with IOS's `_`, which matches a space,
 * comma, brace or parenthesis, or the start or end of the line (`_65001_` in an AS path).
 * A line matches when the expression matches anywhere in it, as on IOS.
 */
#ifndef TERN_CTL_OUTPUT_FILTER_H
#define TERN_CTL_OUTPUT_FILTER_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "config/grammar.h"
#include "lib/strbuf.h"

struct output_filter {
	enum cli_cmd kind;     /* CLI_CMD_FILTER_* */
	bool has_regex;
	regex_t regex;
	bool begun;            /* begin: a line has matched */
	size_t section_indent; /* section: the indent of the matching line, SIZE_MAX outside one */
	size_t count;          /* count: lines that matched */
	struct strbuf line;    /* the line being received, until its newline */
};

/* Sets f up for p's modifier (p->filter must not be CLI_CMD_NONE). On a bad expression
 * writes the IOS-style error to error and returns false (nothing to free then). */
bool output_filter_init(struct output_filter *f, const struct cli_parse *p, struct strbuf *error);
/* Output of the show, in pieces of any size; what passes the filter is appended to out. */
void output_filter_feed(struct output_filter *f, const char *data, size_t len, struct strbuf *out);
/* The end of the output: a last line without a newline, and for count the total. */
void output_filter_finish(struct output_filter *f, struct strbuf *out);
void output_filter_free(struct output_filter *f);

/* The whole of text through p's modifier, into out (for output that is already whole). */
bool output_filter_text(const struct cli_parse *p, const char *text, size_t len, struct strbuf *out);

#endif
