/*
 * DOC: a shell session's terminal length and command history (see exec_session.h).
 */
#include "ctl/exec_session.h"

#include <stdlib.h>
#include <string.h>

#include "lib/memory.h"

void exec_session_init(struct exec_session *s)
{
	memset(s, 0, sizeof(*s));
	s->terminal_length = CTL_TERMINAL_LENGTH_DEFAULT;
}

void exec_session_free(struct exec_session *s)
{
	for (size_t i = 0; i < CTL_HISTORY_SIZE; i++)
		memory_free(MEMORY_CTL, s->history[i]);
	memset(s->history, 0, sizeof(s->history));
	s->history_count = s->history_next = 0;
}

void exec_session_remember(struct exec_session *s, const char *line)
{
	size_t len = strlen(line);
	while (len && (line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	if (line[strspn(line, " \t")] == '\0')
		return;
	char *copy = memory_alloc(MEMORY_CTL, len + 1);
	if (!copy)
		return;
	memcpy(copy, line, len);
	copy[len] = '\0';
	memory_free(MEMORY_CTL, s->history[s->history_next]);
	s->history[s->history_next] = copy;
	s->history_next = (s->history_next + 1) % CTL_HISTORY_SIZE;
	if (s->history_count < CTL_HISTORY_SIZE)
		s->history_count++;
}

void exec_session_show_history(const struct exec_session *s, struct strbuf *out)
{
	size_t first = (s->history_next + CTL_HISTORY_SIZE - s->history_count) % CTL_HISTORY_SIZE;
	for (size_t i = 0; i < s->history_count; i++)
		strbuf_printf(out, "  %s\n", s->history[(first + i) % CTL_HISTORY_SIZE]);
}
