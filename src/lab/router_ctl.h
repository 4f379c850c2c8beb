/*
 * DOC: running a program for its output, and one command on a lab router through ternc.
 *
 * The router's control socket is /run/tern-lab/<lab>/<node>.sock (a path, so reachable from
 * any network namespace); tern-lab asks it as `status` does, by running ternc on it, so the
 * control protocol has one client. Used by `tern-lab ladder` and `tern-lab view`. Output is
 * bounded (the rest is read and dropped) and a child that takes too long is stopped, so a
 * stuck daemon cannot hang the caller.
 */
#ifndef TERN_LAB_ROUTER_CTL_H
#define TERN_LAB_ROUTER_CTL_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/strbuf.h"

#define ROUTER_CTL_REPLY_MAX (16u << 20)
#define ROUTER_CTL_TIMEOUT_SECONDS 10

/* Runs program with argv (argv[0] its name, NULL-terminated); its standard output and error,
 * at most max bytes, in out. Stopped (SIGKILL) after seconds. The exit status, or -1 if it
 * could not run, was killed or timed out. */
int lab_run_output(const char *program, char *const argv[], struct strbuf *out, size_t max, int seconds);

/* Runs line on the router; its output in out. False with a message in out if ternc is
 * missing or the router could not be asked; *status is ternc's (0 success, 1 the command
 * failed or the router did not answer). */
bool router_ctl_run(const char *lab, const char *node, const char *line, struct strbuf *out, int *status);

#endif
