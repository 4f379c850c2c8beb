/*
 * DOC: the `--More--` pager (see pager.h).
 */
#include "ternc/pager.h"

#include <string.h>

static size_t screen(const struct pager *p)
{
	return p->length > 1 ? p->length - 1 : 1;
}

void pager_start(struct pager *p, unsigned length, FILE *to, enum pager_key (*ask)(void *context),
                 void *context)
{
	*p = (struct pager){ .length = length, .at_line_start = true, .ask = ask, .context = context, .to = to };
	p->limit = screen(p);
}

enum pager_key pager_key_of(int ch)
{
	if (ch == ' ')
		return PAGER_PAGE;
	if (ch == '\r' || ch == '\n')
		return PAGER_LINE;
	return PAGER_QUIT;
}

void pager_write(struct pager *p, const char *data, size_t len)
{
	while (len && !p->quit) {
		if (p->length && p->at_line_start && p->shown >= p->limit) {
			fflush(p->to);
			switch (p->ask(p->context)) {
			case PAGER_PAGE: p->limit = p->shown + screen(p); break;
			case PAGER_LINE: p->limit = p->shown + 1; break;
			case PAGER_QUIT: p->quit = true; return;
			}
		}
		const char *nl = memchr(data, '\n', len);
		size_t piece = nl ? (size_t)(nl - data) + 1 : len;
		fwrite(data, 1, piece, p->to);
		p->at_line_start = nl != NULL;
		p->shown += nl != NULL;
		data += piece;
		len -= piece;
	}
}
