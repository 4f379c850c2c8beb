/*
 * DOC: the control socket's framing, shared by ternd and ternc.
 *
 * Request: one line, "<kind> <text>\n", kind 'x' = execute the line, '?' = help for the
 * line so far, 't' = Tab completion, 'p' = the prompt now. The text never holds a newline.
 * Reply: "<status> <length>\n" then length bytes of output; status 0 = success, 1 = the
 * command failed (the output says why, IOS style), 2 = the session ended (exit).
 */
#ifndef TERN_CTL_CTL_PROTO_H
#define TERN_CTL_CTL_PROTO_H

#define CTL_REQUEST_EXECUTE 'x'
#define CTL_REQUEST_HELP '?'
#define CTL_REQUEST_COMPLETE 't'
#define CTL_REQUEST_PROMPT 'p'

#define CTL_STATUS_OK 0
#define CTL_STATUS_ERROR 1
#define CTL_STATUS_END 2

#define CTL_REQUEST_MAX 1024
#define CTL_DEFAULT_SOCKET "/run/tern/ternd.sock"

#endif
