/*
 * DOC: loading a configuration file, with file/line/caret diagnostics.
 *
 * Every line runs through cli_parse() and config_apply_in(), starting in global configuration
 * mode with an empty context. Indentation means nothing; the block structure comes from the
 * modes: `router bgp 100` enters router mode, `interface f0/0` interface mode, and a line the
 * mode does not know is tried again in global mode, leaving the block, as IOS does when a
 * configuration is pasted. `end` and `exit` in a file never leave configuration mode. The
 * first bad line stops the load with its file, line, caret column and IOS message.
 */
#include "config/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/memory.h"

#define CONFIG_FILE_MAX (16u << 20) /* a configuration file larger than this is refused */

void config_diag_format(const struct config_diag *d, struct strbuf *out)
{
	if (d->line)
		strbuf_printf(out, "%s:%u: %s\n", d->file, d->line, d->message);
	else
		strbuf_printf(out, "%s: %s\n", d->file, d->message);
	strbuf_printf(out, "  %s\n  %*s^", d->text, (int)d->column, "");
}

static void diag_set(struct config_diag *diag, const char *name, unsigned line, const char *text,
                     size_t column, const char *message)
{
	if (!diag)
		return;
	memset(diag, 0, sizeof(*diag));
	snprintf(diag->file, sizeof(diag->file), "%s", name ? name : "-");
	diag->line = line;
	diag->column = (unsigned)column;
	snprintf(diag->text, sizeof(diag->text), "%s", text);
	snprintf(diag->message, sizeof(diag->message), "%s", message);
}

struct loader {
	struct config *config;
	enum cli_mode mode;
	const char *name;
	unsigned line_number;
	struct config_diag *diag;
	struct strbuf *notes;
	struct config_context context; /* the interface of interface mode */
	struct cli_parse parse;      /* the line as read in the current mode */
	struct cli_parse fallback;   /* the line as read in global configuration mode */
};

/* Reads the line in the current mode; a line that mode does not know, but global mode does,
 * ends the block (IOS pasting). Of two failures the one that got further is reported. */
static const struct cli_parse *load_parse(struct loader *l, const char *line)
{
	cli_parse(l->mode, line, &l->parse);
	if (l->parse.status == CLI_OK || l->parse.status == CLI_EMPTY || l->mode == CLI_MODE_CONFIG)
		return &l->parse;
	cli_parse(CLI_MODE_CONFIG, line, &l->fallback);
	if (l->fallback.status == CLI_OK || l->fallback.column > l->parse.column)
		return &l->fallback;
	return &l->parse;
}

static bool load_line(struct loader *l, const char *line)
{
	const struct cli_parse *p = load_parse(l, line);
	if (p->status == CLI_EMPTY)
		return true;
	if (p->status != CLI_OK) {
		diag_set(l->diag, l->name, l->line_number, line, p->column, p->message);
		return false;
	}
	struct config_apply_result r;
	if (!config_apply_in(l->config, p, &l->context, &r)) {
		diag_set(l->diag, l->name, l->line_number, line, r.column, r.message);
		return false;
	}
	if (r.message[0] && l->notes)
		strbuf_printf(l->notes, "%s:%u: %s\n", l->name, l->line_number, r.message);
	/* A file is configuration from start to end: `end` and `exit` do not leave it. */
	l->mode = cli_mode_is_config(r.mode) ? r.mode : CLI_MODE_CONFIG;
	return true;
}

bool config_load_text_notes(const char *text, const char *name, struct config *out,
                            struct config_diag *diag, struct strbuf *notes)
{
	config_init(out);
	struct loader *l = memory_calloc(MEMORY_CONFIG, 1, sizeof(*l));
	if (!l) {
		diag_set(diag, name, 0, "", 0, "% Out of memory");
		return false;
	}
	*l = (struct loader){ .config = out, .mode = CLI_MODE_CONFIG, .name = name ? name : "-",
	                      .diag = diag, .notes = notes };
	bool ok = true;
	char line[CLI_LINE_MAX + 2];
	for (const char *at = text ? text : ""; ok && *at;) {
		const char *end = strchr(at, '\n');
		size_t len = end ? (size_t)(end - at) : strlen(at);
		l->line_number++;
		/* One byte more than the grammar takes, so that an overlong line is refused. */
		snprintf(line, sizeof(line), "%.*s", (int)(len < sizeof(line) ? len : sizeof(line) - 1), at);
		ok = load_line(l, line);
		at += len + (end ? 1 : 0);
	}
	memory_free(MEMORY_CONFIG, l);
	if (!ok)
		config_free(out);
	return ok;
}

bool config_load_text(const char *text, const char *name, struct config *out, struct config_diag *diag)
{
	return config_load_text_notes(text, name, out, diag, NULL);
}

static char *read_file(const char *path, char *error, size_t error_size)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(error, error_size, "%% Cannot open: %s", strerror(errno));
		return NULL;
	}
	char *text = memory_alloc(MEMORY_CONFIG, CONFIG_FILE_MAX + 1);
	size_t len = text ? fread(text, 1, CONFIG_FILE_MAX + 1, f) : 0;
	bool failed = !text || ferror(f);
	fclose(f);
	if (failed || len > CONFIG_FILE_MAX || memchr(text, '\0', len)) {
		snprintf(error, error_size, "%s", failed ? "% Cannot read the file"
		         : len > CONFIG_FILE_MAX ? "% File too large" : "% File contains a NUL byte");
		memory_free(MEMORY_CONFIG, text);
		return NULL;
	}
	text[len] = '\0';
	return text;
}

bool config_load_file(const char *path, struct config *out, struct config_diag *diag)
{
	char error[CONFIG_TEXT_MAX];
	char *text = read_file(path, error, sizeof(error));
	if (!text) {
		config_init(out);
		diag_set(diag, path, 0, "", 0, error);
		return false;
	}
	bool ok = config_load_text(text, path, out, diag);
	memory_free(MEMORY_CONFIG, text);
	return ok;
}
