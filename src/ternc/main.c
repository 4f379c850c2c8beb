/*
 * DOC: ternc, the shell.
 *
 *   ternc [-s SOCKET] [-c COMMAND]... [COMMAND WORDS...]
 *
 * With words, runs that one command and exits (status 1 if the command failed). With -c,
 * runs each command in order on one session, so mode changes carry over (`-c 'conf t' -c
 * 'hostname R1'`), and stops at the first error with status 1. With neither, reads lines:
 * from a script on standard input the same way as -c; from a terminal interactively (libedit:
 * line editing, history). In -c and script mode a failing line is echoed after its prompt
 * before the daemon's answer, so the caret (indented by the prompt's length) lines up under
 * the offending word, as when a configuration is pasted into IOS; a line ending in `?` prints
 * the help for what precedes it.
 *
 * At the terminal, output longer than the session's `terminal length` (24 lines unless set;
 * 0: no paging) pauses at ` --More-- ` (pager.h): space for a screen more, Enter for a line,
 * q for none. -c, scripts and pipes never page.
 *
 * At the terminal, keys behave as on IOS:
 *   ?       at once, without Enter: what may come next (after a blank) or what the word being
 *           typed may become (inside a word), one line each with its description; then the
 *           line is shown again as typed. Ctrl-V ? inserts a literal `?`.
 *   Tab     completes a unique keyword prefix; lists the candidates when there are several.
 *   Ctrl-Z  runs the line typed so far (if any), then leaves configuration mode (`end`).
 *   Ctrl-C  drops the line typed so far.
 *   Ctrl-D  on an empty line: leaves the shell.
 * `exit` leaves the current mode, and the shell from EXEC mode.
 *
 * All parsing, help and completion happen in the daemon through the one grammar (DESIGN.md,
 * principle 6); ternc only carries lines and keys.
 */
#include <errno.h>
#include <getopt.h>
#include <histedit.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "ctl/ctl_proto.h"
#include "lib/strbuf.h"
#include "ternc/pager.h"

static int ctl_fd = -1;
static struct pager *pager; /* the interactive shell's, while a command's output is shown */
static char prompt[256] = "ternc> ";
static bool connection_lost;

static int connect_socket(const char *path)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(sun.sun_path)) {
		close(fd);
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static bool send_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		data += n;
		len -= (size_t)n;
	}
	return true;
}

static bool read_exact(int fd, char *buf, size_t len)
{
	while (len) {
		ssize_t n = read(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		buf += n;
		len -= (size_t)n;
	}
	return true;
}

/* One line of a reply's framing, its newline dropped. False if the daemon is gone (or the
 * line is longer than any framing line: not ternd). */
static bool read_line(int fd, char *buf, size_t size)
{
	for (size_t used = 0; used + 1 < size; used++) {
		if (!read_exact(fd, buf + used, 1))
			return false;
		if (buf[used] == '\n') {
			buf[used] = '\0';
			return true;
		}
	}
	return false;
}

static bool parse_length(const char *text, size_t *len)
{
	char *end;
	if (*text < '0' || *text > '9')
		return false;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno || *end || v > SIZE_MAX)
		return false;
	*len = (size_t)v;
	return true;
}

/* len bytes of output: into reply, or (to != NULL) written out as they come, so that a full
 * table never sits in ternc's memory either. */
static bool read_output(size_t len, struct strbuf *reply, FILE *to)
{
	static char buf[65536];
	while (len) {
		size_t n = len < sizeof(buf) ? len : sizeof(buf);
		if (!read_exact(ctl_fd, buf, n))
			return false;
		if (to && pager)
			pager_write(pager, buf, n);
		else if (to)
			fwrite(buf, 1, n, to);
		if (to) /* a ping's !!!!! shows as each answer comes */
			fflush(to);
		else
			strbuf_appendn(reply, buf, n);
		len -= n;
	}
	return true;
}

/* A reply, plain or chunked (ctl_proto.h). The chunks' output goes to chunks_to (or reply if
 * NULL); the closing frame's output always to reply. Returns the status, -1 on a broken
 * frame or a lost daemon. */
static int read_reply(struct strbuf *reply, FILE *chunks_to, bool in_chunked)
{
	char line[64], length[32];
	int status;
	if (!read_line(ctl_fd, line, sizeof(line)) || sscanf(line, "%d %31s", &status, length) != 2)
		return -1;
	if (!strcmp(length, CTL_CHUNKED) && !in_chunked) {
		size_t n;
		do {
			if (!read_line(ctl_fd, line, sizeof(line)) || !parse_length(line, &n) ||
			    !read_output(n, reply, chunks_to))
				return -1;
		} while (n);
		if (chunks_to)
			fflush(chunks_to);
		return read_reply(reply, NULL, true);
	}
	size_t body;
	if (!parse_length(length, &body) || !read_output(body, reply, NULL))
		return -1;
	return status;
}

/* Sends one request and reads its reply. Returns the status, or -1 if the daemon is gone.
 * A chunked reply's output goes to chunks_to as it comes when that is not NULL. */
static int request(char kind, const char *text, struct strbuf *reply, FILE *chunks_to)
{
	if (connection_lost)
		return -1;
	size_t len = strlen(text);
	if (len + 3 > CTL_REQUEST_MAX) {
		strbuf_append(reply, "% Line too long\n");
		return CTL_STATUS_ERROR;
	}
	char line[CTL_REQUEST_MAX];
	int n = snprintf(line, sizeof(line), "%c %s\n", kind, text);
	int status = -1;
	if (send_all(ctl_fd, line, (size_t)n))
		status = read_reply(reply, chunks_to, false);
	if (status >= 0)
		return status;
	connection_lost = true;
	fprintf(stderr, "%% Connection to ternd lost\n");
	return -1;
}

/* The prompt of the session now (R1#, R1(config-if)#...). */
static const char *refresh_prompt(void)
{
	struct strbuf out = STRBUF_INIT;
	if (request(CTL_REQUEST_PROMPT, "", &out, NULL) == CTL_STATUS_OK)
		snprintf(prompt, sizeof(prompt), "%s", strbuf_str(&out));
	strbuf_free(&out);
	return prompt;
}

static bool in_config_mode(void)
{
	return strstr(prompt, "(config") != NULL;
}

/* Runs one line and prints its output. With echo_errors (scripts, -c), a failing line is
 * first shown after its prompt, so the daemon's caret lines up under it. Returns the status
 * (-1: the daemon is gone). */
static int run_line(const char *line, bool echo_errors)
{
	struct strbuf out = STRBUF_INIT;
	int status = request(CTL_REQUEST_EXECUTE, line, &out, stdout);
	if (status < 0) {
		strbuf_free(&out);
		return -1;
	}
	if (status == CTL_STATUS_ERROR) {
		fflush(stdout);
		if (echo_errors) /* a failed line leaves the mode as it was: same prompt */
			fprintf(stderr, "%s%s\n", refresh_prompt(), line);
		fputs(strbuf_str(&out), stderr);
		fflush(stderr);
	} else {
		if (pager)
			pager_write(pager, strbuf_str(&out), out.len);
		else
			fputs(strbuf_str(&out), stdout);
		fflush(stdout);
	}
	strbuf_free(&out);
	return status;
}

/* `?` help for line_so_far: what may come next. Returns the status. */
static int show_help(const char *line_so_far, bool echo_errors)
{
	struct strbuf out = STRBUF_INIT;
	int status = request(CTL_REQUEST_HELP, line_so_far, &out, NULL);
	if (status < 0) {
		strbuf_free(&out);
		return -1;
	}
	if (status == CTL_STATUS_ERROR && echo_errors) {
		fprintf(stderr, "%s%s?\n", refresh_prompt(), line_so_far);
		fputs(strbuf_str(&out), stderr);
	} else {
		fputs(strbuf_str(&out), stdout);
	}
	fflush(stdout);
	fflush(stderr);
	strbuf_free(&out);
	return status;
}

/* A line of a script or a -c argument: help when it ends in `?`, else run. */
static int script_line(char *line)
{
	size_t len = strlen(line);
	if (len && line[len - 1] == '?') {
		line[len - 1] = '\0';
		return show_help(line, true);
	}
	return run_line(line, true);
}

static void usage(FILE *to)
{
	fprintf(to, "usage: ternc [-s SOCKET] [-c COMMAND]... [COMMAND WORDS...]\n");
}

/* ---- the terminal ---- */

static EditLine *el;
static History *hist;
static bool session_over;

static char *el_prompt(EditLine *e)
{
	(void)e;
	return prompt;
}

/* The text before the cursor, as a C string (caller frees). */
static char *text_before_cursor(EditLine *e)
{
	const LineInfo *li = el_line(e);
	size_t n = (size_t)(li->cursor - li->buffer);
	char *s = malloc(n + 1);
	if (!s)
		return NULL;
	memcpy(s, li->buffer, n);
	s[n] = '\0';
	return s;
}

static void clear_line(EditLine *e)
{
	const LineInfo *li = el_line(e);
	el_cursor(e, (int)(li->lastchar - li->cursor));
	li = el_line(e);
	el_deletestr(e, (int)(li->cursor - li->buffer));
}

/* `?`: show the help at once, then the line again as typed (IOS). */
static unsigned char key_help(EditLine *e, int ch)
{
	(void)ch;
	char *text = text_before_cursor(e);
	if (!text)
		return CC_ERROR;
	const LineInfo *li = el_line(e);
	/* echo the `?` at the end of what is on screen, as IOS does, then the answer below */
	fputs(li->cursor == li->lastchar ? "?\n" : "\n", stdout);
	fflush(stdout);
	struct strbuf out = STRBUF_INIT;
	int status = request(CTL_REQUEST_HELP, text, &out, NULL);
	free(text);
	if (status < 0) {
		strbuf_free(&out);
		session_over = true;
		return CC_EOF;
	}
	fputs(strbuf_str(&out), stdout);
	fflush(stdout);
	strbuf_free(&out);
	return CC_REDISPLAY;
}

/* Candidates in columns, like a shell. */
static void print_columns(const char *list)
{
	char *copy = strdup(list);
	if (!copy)
		return;
	const char *words[64];
	size_t count = 0, width = 0;
	for (char *save = NULL, *w = strtok_r(copy, " ", &save); w && count < 64; w = strtok_r(NULL, " ", &save)) {
		words[count++] = w;
		if (strlen(w) > width)
			width = strlen(w);
	}
	width += 2;
	size_t per_line = width < 80 ? 80 / width : 1;
	for (size_t i = 0; i < count; i++)
		printf("%-*s%s", (int)width, words[i], (i + 1) % per_line == 0 || i + 1 == count ? "\n" : "");
	free(copy);
}

/* Tab: complete a unique keyword prefix through the daemon; list the candidates otherwise. */
static unsigned char key_complete(EditLine *e, int ch)
{
	(void)ch;
	char *text = text_before_cursor(e);
	if (!text)
		return CC_ERROR;
	struct strbuf out = STRBUF_INIT;
	int status = request(CTL_REQUEST_COMPLETE, text, &out, NULL);
	unsigned char rc = CC_REFRESH;
	if (status < 0) {
		session_over = true;
		rc = CC_EOF;
	} else if (strbuf_str(&out)[0] == '=') {
		/* the line up to the cursor, with the word completed and a blank after it */
		el_deletestr(e, (int)strlen(text));
		el_insertstr(e, strbuf_str(&out) + 1);
	} else if (out.len && !strchr(strbuf_str(&out), ' ')) {
		/* one keyword may come next and none was begun: type it */
		size_t len = strlen(text);
		if (len && text[len - 1] != ' ')
			el_insertstr(e, " ");
		el_insertstr(e, strbuf_str(&out));
		el_insertstr(e, " ");
	} else if (out.len) {
		putchar('\n');
		print_columns(strbuf_str(&out));
		fflush(stdout);
		rc = CC_REDISPLAY;
	} else {
		rc = CC_REFRESH_BEEP;
	}
	strbuf_free(&out);
	free(text);
	return rc;
}

/* ` --More-- `: one key, read raw, then the prompt erased (pager.h). */
static enum pager_key ask_more(void *context)
{
	(void)context;
	static const char more[] = " --More-- ";
	fputs(more, stdout);
	fflush(stdout);
	struct termios saved, raw;
	bool tty = tcgetattr(STDIN_FILENO, &saved) == 0;
	if (tty) {
		raw = saved;
		raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG);
		raw.c_cc[VMIN] = 1;
		raw.c_cc[VTIME] = 0;
		tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	}
	unsigned char ch = 'q';
	ssize_t n;
	do
		n = read(STDIN_FILENO, &ch, 1);
	while (n < 0 && errno == EINTR);
	if (tty)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	printf("\r%*s\r", (int)sizeof(more) - 1, "");
	fflush(stdout);
	return n == 1 ? pager_key_of(ch) : PAGER_QUIT;
}

/* The session's `terminal length` (24 if ternd does not say). */
static unsigned terminal_length(void)
{
	struct strbuf out = STRBUF_INIT;
	unsigned length = 24;
	if (request(CTL_REQUEST_TERMINAL_LENGTH, "", &out, NULL) == CTL_STATUS_OK)
		sscanf(strbuf_str(&out), "%u", &length);
	strbuf_free(&out);
	return length;
}

/* A line typed at the terminal: its output paged. */
static int run_paged(const char *line)
{
	struct pager paging;
	unsigned length = terminal_length();
	if (connection_lost)
		return -1;
	pager_start(&paging, length, stdout, ask_more, NULL);
	pager = &paging;
	int status = run_line(line, false);
	pager = NULL;
	return status;
}

static void remember(const char *line)
{
	HistEvent ev;
	if (line[0])
		history(hist, &ev, H_ENTER, line);
}

/* Ctrl-Z: run what was typed, then `end` (IOS). */
static unsigned char key_end(EditLine *e, int ch)
{
	(void)ch;
	const LineInfo *li = el_line(e);
	size_t n = (size_t)(li->lastchar - li->buffer);
	char *line = malloc(n + 1);
	if (!line)
		return CC_ERROR;
	memcpy(line, li->buffer, n);
	line[n] = '\0';
	fputs("^Z\n", stdout);
	fflush(stdout);
	clear_line(e);
	int status = CTL_STATUS_OK;
	if (line[strspn(line, " ")]) {
		remember(line);
		status = run_line(line, false);
	}
	free(line);
	if (status >= 0 && in_config_mode())
		status = run_line("end", false);
	if (status < 0) {
		session_over = true;
		return CC_EOF;
	}
	refresh_prompt();
	return CC_REDISPLAY;
}

/* Ctrl-C: drop the line. */
static unsigned char key_cancel(EditLine *e, int ch)
{
	(void)ch;
	fputs("^C\n", stdout);
	fflush(stdout);
	clear_line(e);
	return CC_REDISPLAY;
}

static int interactive(const char *argv0)
{
	refresh_prompt();
	if (connection_lost)
		return 1;
	el = el_init(argv0, stdin, stdout, stderr);
	hist = history_init();
	if (!el || !hist) {
		fprintf(stderr, "ternc: cannot set up line editing\n");
		return 1;
	}
	HistEvent ev;
	history(hist, &ev, H_SETSIZE, 1000);
	history(hist, &ev, H_SETUNIQUE, 1);
	el_set(el, EL_EDITOR, "emacs");
	el_set(el, EL_SIGNAL, 1);
	el_set(el, EL_PROMPT, el_prompt);
	el_set(el, EL_HIST, history, hist);
	el_source(el, NULL); /* ~/.editrc, before our keys so they stay IOS's */
	/* Ctrl-C and Ctrl-Z are keys here, not signals */
	el_set(el, EL_SETTY, "-d", "-isig", NULL);
	el_set(el, EL_ADDFN, "tern-help", "Show what may come next", key_help);
	el_set(el, EL_ADDFN, "tern-complete", "Complete the keyword", key_complete);
	el_set(el, EL_ADDFN, "tern-end", "Run the line and leave configuration mode", key_end);
	el_set(el, EL_ADDFN, "tern-cancel", "Drop the line", key_cancel);
	el_set(el, EL_BIND, "?", "tern-help", NULL);
	el_set(el, EL_BIND, "^I", "tern-complete", NULL);
	el_set(el, EL_BIND, "^Z", "tern-end", NULL);
	el_set(el, EL_BIND, "^C", "tern-cancel", NULL);
	int result = 0;
	for (;;) {
		int count;
		/* the terminal raw before the prompt shows, so a key typed the moment it appears
		 * is not echoed by the kernel as well */
		el_set(el, EL_PREP_TERM, 1);
		const char *got = el_gets(el, &count);
		if (session_over || connection_lost) {
			result = 1;
			break;
		}
		if (!got || count <= 0) {
			if (count < 0 && errno == EINTR)
				continue;
			putchar('\n'); /* Ctrl-D */
			break;
		}
		char *line = strdup(got);
		if (!line) {
			result = 1;
			break;
		}
		line[strcspn(line, "\r\n")] = '\0';
		remember(line);
		int status = run_paged(line);
		free(line);
		if (status < 0) {
			result = 1;
			break;
		}
		if (status == CTL_STATUS_END)
			break;
		refresh_prompt();
	}
	el_end(el);
	history_end(hist);
	return result;
}

static int script(FILE *in)
{
	char line[CTL_REQUEST_MAX];
	while (fgets(line, sizeof(line), in)) {
		line[strcspn(line, "\r\n")] = '\0';
		int status = script_line(line);
		if (status == CTL_STATUS_END)
			return 0;
		if (status != CTL_STATUS_OK)
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *path = getenv("TERN_SOCKET") ? getenv("TERN_SOCKET") : CTL_DEFAULT_SOCKET;
	const char *commands[64];
	int command_count = 0;
	int opt;
	while ((opt = getopt(argc, argv, "+s:c:h")) != -1) {
		switch (opt) {
		case 's': path = optarg; break;
		case 'c':
			if (command_count == 64) {
				fprintf(stderr, "ternc: at most 64 -c commands\n");
				return 2;
			}
			commands[command_count++] = optarg;
			break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	signal(SIGPIPE, SIG_IGN);
	ctl_fd = connect_socket(path);
	if (ctl_fd < 0) {
		fprintf(stderr, "ternc: cannot connect to ternd at %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (optind < argc) {
		struct strbuf line = STRBUF_INIT;
		for (int i = optind; i < argc; i++)
			strbuf_printf(&line, "%s%s", i > optind ? " " : "", argv[i]);
		int status = run_line(strbuf_str(&line), true);
		strbuf_free(&line);
		return status == CTL_STATUS_OK || status == CTL_STATUS_END ? 0 : 1;
	}
	if (command_count) {
		for (int i = 0; i < command_count; i++) {
			char line[CTL_REQUEST_MAX];
			snprintf(line, sizeof(line), "%s", commands[i]);
			int status = script_line(line);
			if (status == CTL_STATUS_END)
				return 0;
			if (status != CTL_STATUS_OK)
				return 1;
		}
		return 0;
	}
	return isatty(STDIN_FILENO) ? interactive(argv[0]) : script(stdin);
}
