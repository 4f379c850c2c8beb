/*
 * DOC: one command to a lab router's ternd, through its control socket.
 *
 * The socket is /run/tern-lab/<lab>/<node>.sock (a path, so reachable from any network
 * namespace); the framing is ctl/ctl_proto.h's, plain or chunked. Used by `tern-lab ladder`
 * and `tern-lab view`, which read `show` output; replies are bounded (ROUTER_CTL_REPLY_MAX)
 * and each read waits at most a few seconds, so a stuck daemon cannot hang the caller.
 */
#ifndef TERN_LAB_ROUTER_CTL_H
#define TERN_LAB_ROUTER_CTL_H

#include <stdbool.h>

#include "lib/strbuf.h"

#define ROUTER_CTL_REPLY_MAX (16u << 20)
#define ROUTER_CTL_TIMEOUT_SECONDS 5

/* Runs line (no newline) on the router; its output in out. False with a message in out if
 * the router could not be asked; *status is the command's (0 success, 1 failed). */
bool router_ctl_run(const char *lab, const char *node, const char *line, struct strbuf *out, int *status);

#endif
