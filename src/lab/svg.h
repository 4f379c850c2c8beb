/*
 * DOC: the little SVG and HTML writing tern-lab's pictures share (ladder_draw.c, topo_draw.c).
 *
 * Every text that comes from outside (node names, a router's log lines) goes through
 * svg_escape(), so a picture is always well-formed XML whatever a configuration holds.
 */
#ifndef TERN_LAB_SVG_H
#define TERN_LAB_SVG_H

#include "lib/strbuf.h"

/* text with &, <, >, " and ' escaped; bytes below 0x20 other than tab and newline dropped. */
void svg_escape(struct strbuf *out, const char *text);
/* <text x y class anchor>escaped text</text>; anchor "start", "middle" or "end". */
void svg_text(struct strbuf *out, double x, double y, const char *class_name, const char *anchor, const char *text);
/* The head of a standalone XHTML page (parseable as XML) with its style, up to <body>. */
void svg_html_head(struct strbuf *out, const char *title, const char *style);

#endif
