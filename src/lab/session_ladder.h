/*
 * DOC: a BGP session's message ladder (the seed's first picture), drawn from what the router
 * logged: `show bgp neighbors A messages json`.
 *
 * Each log entry becomes one step: an arrow from the router (left rail) to its peer (right
 * rail) for what it sent, back for what it received, and a TCP connect in the direction of
 * the side that connected; the label is the message (TCP connect, OPEN, KEEPALIVE, UPDATE,
 * NOTIFICATION 6/7, ROUTE-REFRESH, BoRR, EoRR) and the key fields follow it (My AS, Hold
 * Time, BGP Identifier; the prefixes; the error's name). Events (state changes, a connection
 * collision and which connection it closed) are notes across both rails.
 *
 *   time          R2                                     R3 (192.168.2.2)
 *   09:40:01.123  |-- TCP connect ----------------------->|  port 40233 -> 179
 *   09:40:01.124  |-- OPEN ------------------------------>|  My AS 100, Hold Time 180, ...
 *
 * Three forms: text (the terminal), SVG and a standalone XHTML page (the SVG inline and a
 * table of every log line in full); neither needs a server or anything outside the file.
 */
#ifndef TERN_LAB_SESSION_LADDER_H
#define TERN_LAB_SESSION_LADDER_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/strbuf.h"

enum step_kind { STEP_TO_PEER, STEP_FROM_PEER, STEP_NOTE };

struct ladder_step {
	enum step_kind kind;
	char time[16];      /* HH:MM:SS.mmm (UTC) */
	char type[24];      /* the log's type: "open", "tcp-connect", "collision", ... */
	char label[64];     /* on the arrow */
	char fields[256];   /* after it */
	char text[256];     /* the log line in full */
};

struct session_ladder {
	struct ladder_step *steps;
	size_t count;
};

/* Reads `show bgp neighbors A messages json`. False with a message in err. */
bool session_ladder_parse(const char *json, size_t len, struct session_ladder *out, char *err, size_t err_size);
void session_ladder_free(struct session_ladder *l);

/* left: the router, right: its peer, as the rails are named. */
void session_ladder_text(const struct session_ladder *l, const char *left, const char *right, struct strbuf *out);
void session_ladder_svg(const struct session_ladder *l, const char *left, const char *right, struct strbuf *out);
void session_ladder_html(const struct session_ladder *l, const char *left, const char *right, struct strbuf *out);

#endif
