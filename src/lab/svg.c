/*
 * DOC: SVG and HTML writing helpers (svg.h).
 */
#include "lab/svg.h"

void svg_escape(struct strbuf *out, const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		switch (*p) {
		case '&': strbuf_append(out, "&amp;"); break;
		case '<': strbuf_append(out, "&lt;"); break;
		case '>': strbuf_append(out, "&gt;"); break;
		case '"': strbuf_append(out, "&quot;"); break;
		case '\'': strbuf_append(out, "&#39;"); break;
		default:
			if (*p >= 0x20 || *p == '\t' || *p == '\n')
				strbuf_appendn(out, (const char *)p, 1);
		}
	}
}

void svg_text(struct strbuf *out, double x, double y, const char *class_name, const char *anchor, const char *text)
{
	strbuf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"%s\" text-anchor=\"%s\">", x, y, class_name, anchor);
	svg_escape(out, text);
	strbuf_append(out, "</text>\n");
}

void svg_html_head(struct strbuf *out, const char *title, const char *style)
{
	strbuf_append(out, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
			   "<meta charset=\"utf-8\"/>\n<title>");
	svg_escape(out, title);
	strbuf_printf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", style);
}
