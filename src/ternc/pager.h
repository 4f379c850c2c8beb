/*
 * DOC: the `--More--` pager of the interactive shell (IOS `terminal length N`).
 *
 * Output passes through pager_write() in pieces of any size, as it arrives from ternd (a
 * streamed table is never gathered first). After length - 1 lines, before the next line
 * starts, the pager calls ask(), which shows ` --More-- `, waits for one key and erases the
 * prompt: space shows another screen (length - 1 lines), Enter one more line, any other key
 * (q) drops the rest of the output, as on IOS. Length 0 never pauses. If the output ends
 * exactly at a screen's end there is no pause. `ternc -c`, scripts and pipes never page:
 * only the interactive shell makes a pager.
 */
#ifndef TERN_TERNC_PAGER_H
#define TERN_TERNC_PAGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum pager_key {
	PAGER_PAGE, /* space */
	PAGER_LINE, /* Enter */
	PAGER_QUIT, /* anything else */
};

struct pager {
	unsigned length;       /* lines a screen; 0: no paging */
	size_t shown;          /* lines written since the output began */
	size_t limit;          /* lines that may be written before the next pause */
	bool at_line_start;
	bool quit;             /* the rest of the output is dropped */
	enum pager_key (*ask)(void *context);
	void *context;
	FILE *to;
};

void pager_start(struct pager *p, unsigned length, FILE *to, enum pager_key (*ask)(void *context),
                 void *context);
void pager_write(struct pager *p, const char *data, size_t len);
/* The key a `--More--` answer means: ' ' page, '\r' or '\n' line, anything else quit. */
enum pager_key pager_key_of(int ch);

#endif
