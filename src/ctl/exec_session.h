/*
 * DOC: what a shell session keeps besides its mode: its terminal length and the commands it
 * ran (IOS `terminal length N`, `show history`).
 *
 * The control socket keeps one per client (ctl.c). The terminal length is the shell's to
 * use: ternc asks for it (CTL_REQUEST_TERMINAL_LENGTH) and pages its output with `--More--`
 * (ternc/pager.h); the daemon never pages. The history holds the last CTL_HISTORY_SIZE
 * lines typed in EXEC mode, as IOS's default `history size 10`.
 */
#ifndef TERN_CTL_EXEC_SESSION_H
#define TERN_CTL_EXEC_SESSION_H

#include <stddef.h>

#include "lib/strbuf.h"

#define CTL_HISTORY_SIZE 10
#define CTL_TERMINAL_LENGTH_DEFAULT 24 /* IOS's default for a vty */

struct exec_session {
	unsigned terminal_length;          /* lines a screen; 0: never pause */
	char *history[CTL_HISTORY_SIZE];   /* a ring, oldest at history_next once full */
	size_t history_count;
	size_t history_next;
};

void exec_session_init(struct exec_session *s);
void exec_session_free(struct exec_session *s);
/* Remembers a line typed in EXEC mode (blank lines are not). */
void exec_session_remember(struct exec_session *s, const char *line);
/* `show history`: the lines, oldest first, each indented by two spaces (IOS). */
void exec_session_show_history(const struct exec_session *s, struct strbuf *out);

#endif
