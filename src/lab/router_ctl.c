/*
 * DOC: child processes for their output, and ternc on a lab router (router_ctl.h).
 */
#include "lab/router_ctl.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lab/lab.h"
#include "lab/state.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int lab_run_output(const char *program, char *const argv[], struct strbuf *out, size_t max, int seconds)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) != 0)
		return -1;
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);
		dup2(devnull, 0);
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		execv(program, argv);
		_exit(127);
	}
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		return -1;
	}
	double deadline = now() + seconds;
	bool killed = false;
	char buf[8192];
	for (;;) {
		struct pollfd p = { .fd = fds[0], .events = POLLIN };
		int left = (int)((deadline - now()) * 1000);
		int ready = left > 0 ? poll(&p, 1, left) : 0;
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready <= 0) {
			kill(pid, SIGKILL);
			killed = true;
			strbuf_append(out, "\n(stopped: it took too long)\n");
			break;
		}
		ssize_t n = read(fds[0], buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (out->len + (size_t)n <= max)
			strbuf_appendn(out, buf, (size_t)n);
	}
	close(fds[0]);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return !killed && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool router_ctl_run(const char *lab, const char *node, const char *line, struct strbuf *out, int *status)
{
	char ternc[4096], file[64], sock[512], command[1024];
	if (!lab_find_program("ternc", ternc, sizeof(ternc))) {
		strbuf_append(out, "cannot find ternc (next to tern-lab, in $TERN_BUILD or on PATH)");
		return false;
	}
	snprintf(file, sizeof(file), "%.31s.sock", node);
	state_path(lab, file, sock, sizeof(sock));
	snprintf(command, sizeof(command), "%s", line);
	char *argv[] = { "ternc", "-s", sock, "-c", command, NULL };
	*status = lab_run_output(ternc, argv, out, ROUTER_CTL_REPLY_MAX, ROUTER_CTL_TIMEOUT_SECONDS);
	if (*status < 0 || *status == 127) {
		strbuf_printf(out, "%s: ternc did not run", node);
		return false;
	}
	return true;
}
