/*
 * DOC: the control socket's framing, shared by ternd and ternc.
 *
 * Request: one line, "<kind> <text>\n", kind 'x' = execute the line, '?' = help for the
 * line so far, 't' = Tab completion, 'p' = the prompt now, 'l' = the session's `terminal
 * length` (for the shell's pager). The text never holds a newline.
 * Requests on one connection are answered in order, one reply each.
 *
 * Reply, plain: "<status> <length>\n" then length bytes of output; status 0 = success, 1 =
 * the command failed (the output says why, IOS style), 2 = the session ended (exit).
 *
 * Reply, chunked (ternd sends it for the table views, `show ip bgp` and the like, and `show
 * ip route`, whose output may be hundreds of MB): the length is "*" (CTL_CHUNKED), then
 * chunks, each "<length>\n" and that many bytes of output (length > 0), then "0\n", then a
 * plain reply that ends it, whose status is the reply's (the header's, always 0, is not) and
 * whose bytes, usually none, follow the chunks' output (on an error, the explanation):
 *
 *	0 *\n  65536\n <65536 bytes>  4711\n <4711 bytes>  0\n  0 0\n
 *
 * A reader takes either form after any request; the output is the chunks' bytes in order,
 * then the closing reply's. A chunk boundary means nothing (it may fall inside a line or a
 * JSON string).
 */
#ifndef TERN_CTL_CTL_PROTO_H
#define TERN_CTL_CTL_PROTO_H

#define CTL_REQUEST_EXECUTE 'x'
#define CTL_REQUEST_HELP '?'
#define CTL_REQUEST_COMPLETE 't'
#define CTL_REQUEST_PROMPT 'p'
#define CTL_REQUEST_TERMINAL_LENGTH 'l' /* the session's `terminal length` (decimal; 0: no paging) */

#define CTL_STATUS_OK 0
#define CTL_STATUS_ERROR 1
#define CTL_STATUS_END 2

/* The length of a chunked reply's header. */
#define CTL_CHUNKED "*"

#define CTL_REQUEST_MAX 1024
#define CTL_DEFAULT_SOCKET "/run/tern/ternd.sock"

#endif
