/*
 * DOC: ternc, the shell.
 *
 *   ternc [-s SOCKET] [-c COMMAND]... [COMMAND WORDS...]
 *
 * With words, runs that one command and exits (status 1 if the command failed). With -c,
 * runs each command in order on one session, so mode changes carry over (`-c 'conf t' -c
 * 'hostname R1'`), and stops at the first error. With neither, reads lines: from a script on
 * standard input the same way as -c, from a terminal interactively with line editing and
 * history; a line ending in `?` shows what may come next.
 *
 * All parsing happens in the daemon through the one grammar; ternc only carries lines.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <editline/readline.h>

#include "ctl/ctl_proto.h"
#include "lib/strbuf.h"

static int ctl_fd = -1;

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
		if (n <= 0)
			return false;
		buf += n;
		len -= (size_t)n;
	}
	return true;
}

/* Sends one request and reads its reply. Returns the status, or -1 if the daemon is gone. */
static int request(char kind, const char *text, struct strbuf *reply)
{
	size_t len = strlen(text);
	if (len + 3 > CTL_REQUEST_MAX) {
		strbuf_append(reply, "% Line too long\n");
		return CTL_STATUS_ERROR;
	}
	char line[CTL_REQUEST_MAX];
	int n = snprintf(line, sizeof(line), "%c %s\n", kind, text);
	if (!send_all(ctl_fd, line, (size_t)n))
		return -1;
	char header[32];
	size_t used = 0;
	while (used < sizeof(header) - 1) {
		if (!read_exact(ctl_fd, header + used, 1))
			return -1;
		if (header[used++] == '\n')
			break;
	}
	header[used] = '\0';
	int status;
	size_t body;
	if (sscanf(header, "%d %zu", &status, &body) != 2)
		return -1;
	char *data = malloc(body + 1);
	if (!data || !read_exact(ctl_fd, data, body)) {
		free(data);
		return -1;
	}
	strbuf_appendn(reply, data, body);
	free(data);
	return status;
}

/* Runs one line; prints its output. Returns the status. */
static int run_line(const char *line)
{
	struct strbuf out = STRBUF_INIT;
	int status = request(CTL_REQUEST_EXECUTE, line, &out);
	if (status < 0) {
		fprintf(stderr, "%% Connection to ternd lost\n");
		strbuf_free(&out);
		return -1;
	}
	fputs(strbuf_str(&out), status == CTL_STATUS_ERROR ? stderr : stdout);
	fflush(stdout);
	strbuf_free(&out);
	return status;
}

static void usage(FILE *to)
{
	fprintf(to, "usage: ternc [-s SOCKET] [-c COMMAND]... [COMMAND WORDS...]\n");
}

static char *prompt_text(void)
{
	static char prompt[128];
	struct strbuf out = STRBUF_INIT;
	if (request(CTL_REQUEST_PROMPT, "", &out) < 0)
		snprintf(prompt, sizeof(prompt), "ternc> ");
	else
		snprintf(prompt, sizeof(prompt), "%s", strbuf_str(&out));
	strbuf_free(&out);
	return prompt;
}

static int interactive(void)
{
	for (;;) {
		char *line = readline(prompt_text());
		if (!line) {
			putchar('\n');
			return 0;
		}
		size_t len = strlen(line);
		if (len && line[len - 1] == '?') {
			line[len - 1] = '\0';
			struct strbuf out = STRBUF_INIT;
			if (request(CTL_REQUEST_HELP, line, &out) < 0)
				return 1;
			fputs(strbuf_str(&out), stdout);
			strbuf_free(&out);
			free(line);
			continue;
		}
		if (line[0])
			add_history(line);
		int status = run_line(line);
		free(line);
		if (status < 0)
			return 1;
		if (status == CTL_STATUS_END)
			return 0;
	}
}

static int script(FILE *in)
{
	char line[CTL_REQUEST_MAX];
	while (fgets(line, sizeof(line), in)) {
		line[strcspn(line, "\r\n")] = '\0';
		int status = run_line(line);
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
	ctl_fd = connect_socket(path);
	if (ctl_fd < 0) {
		fprintf(stderr, "ternc: cannot connect to ternd at %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (optind < argc) {
		struct strbuf line = STRBUF_INIT;
		for (int i = optind; i < argc; i++)
			strbuf_printf(&line, "%s%s", i > optind ? " " : "", argv[i]);
		int status = run_line(strbuf_str(&line));
		strbuf_free(&line);
		return status == CTL_STATUS_OK || status == CTL_STATUS_END ? 0 : 1;
	}
	if (command_count) {
		for (int i = 0; i < command_count; i++) {
			int status = run_line(commands[i]);
			if (status == CTL_STATUS_END)
				return 0;
			if (status != CTL_STATUS_OK)
				return 1;
		}
		return 0;
	}
	return isatty(STDIN_FILENO) ? interactive() : script(stdin);
}
