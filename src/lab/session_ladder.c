/*
 * DOC: a session's ladder from its message log (session_ladder.h).
 */
#include "lab/session_ladder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab/json.h"
#include "lab/svg.h"

#define TEXT_ARROW 40 /* characters between the rails */

/* The label and fields of one entry (time and kind set by the caller). */
static void describe(struct ladder_step *s, const struct json *e, const char *direction)
{
	const char *type = json_get_string(e, "type", "");
	const char *text = json_get_string(e, "text", "");
	const char *colon = strstr(text, ": ");
	const char *after = colon ? colon + 2 : "";
	snprintf(s->type, sizeof(s->type), "%s", type);
	snprintf(s->text, sizeof(s->text), "%s", text);
	if (!strcmp(type, "tcp-connect")) {
		bool local = !strcmp(json_get_string(e, "initiator", "local"), "local");
		s->kind = local ? STEP_TO_PEER : STEP_FROM_PEER;
		snprintf(s->label, sizeof(s->label), "TCP connect");
		snprintf(s->fields, sizeof(s->fields), "%s port %.0f -> %s port %.0f",
			 json_get_string(e, local ? "localAddress" : "remoteAddress", "?"),
			 json_get_number(e, local ? "localPort" : "remotePort", 0),
			 json_get_string(e, local ? "remoteAddress" : "localAddress", "?"),
			 json_get_number(e, local ? "remotePort" : "localPort", 0));
	} else if (!strcmp(type, "open")) {
		snprintf(s->label, sizeof(s->label), "OPEN");
		snprintf(s->fields, sizeof(s->fields), "My AS %.0f, Hold Time %.0f, BGP Identifier %s",
			 json_get_number(e, "myAs", 0), json_get_number(e, "holdTime", 0),
			 json_get_string(e, "bgpId", "?"));
	} else if (!strcmp(type, "notification")) {
		snprintf(s->label, sizeof(s->label), "NOTIFICATION %.0f/%.0f", json_get_number(e, "code", 0),
			 json_get_number(e, "subcode", 0));
		snprintf(s->fields, sizeof(s->fields), "%s", json_get_string(e, "name", after));
	} else if (!strcmp(type, "route-refresh") && strcmp(direction, "event")) {
		/* "ROUTE-REFRESH sent (IPv4 unicast)", "BoRR received (...)": the first word. */
		size_t n = strcspn(text, " ");
		snprintf(s->label, sizeof(s->label), "%.*s", (int)(n < 40 ? n : 40), text);
		const char *paren = strchr(text, '(');
		snprintf(s->fields, sizeof(s->fields), "%s", paren ? paren : "");
	} else if (!strcmp(type, "collision")) {
		bool ours = !strcmp(json_get_string(e, "closed", ""), "local");
		snprintf(s->label, sizeof(s->label), "collision: closes the connection %s opened",
			 ours ? "this router" : "the peer");
		snprintf(s->fields, sizeof(s->fields), "%s", text);
	} else if (!strcmp(type, "state") && strstr(text, " -> ") && strstr(text, " (")) {
		/* "Connect -> OpenSent (TCP connection established, ...)": the change, then why */
		size_t n = (size_t)(strstr(text, " (") - text);
		snprintf(s->label, sizeof(s->label), "%.*s", (int)(n < 60 ? n : 60), text);
		size_t why = strlen(text + n + 2);
		if (why && text[n + 2 + why - 1] == ')')
			why--;
		snprintf(s->fields, sizeof(s->fields), "%.*s", (int)(why < 250 ? why : 250), text + n + 2);
	} else if (s->kind == STEP_NOTE) {
		snprintf(s->label, sizeof(s->label), "%s", type);
		snprintf(s->fields, sizeof(s->fields), "%s", text);
	} else {
		/* keepalive, update, rejected, ...: the type in capitals, the text's details. */
		size_t i = 0;
		for (; type[i] && i + 1 < sizeof(s->label); i++)
			s->label[i] = (char)(type[i] >= 'a' && type[i] <= 'z' ? type[i] - 32 : type[i]);
		s->label[i] = '\0';
		snprintf(s->fields, sizeof(s->fields), "%s", after);
	}
}

bool session_ladder_parse(const char *json, size_t len, struct session_ladder *out, char *err, size_t err_size)
{
	memset(out, 0, sizeof(*out));
	struct json *root = json_parse(json, len, err, err_size);
	if (!root)
		return false;
	const struct json *list = json_get(root, "messages");
	if (!list || list->type != JSON_ARRAY) {
		snprintf(err, err_size, "no \"messages\" list (is it `show bgp neighbors A messages json`?)");
		json_free(root);
		return false;
	}
	size_t n = 0;
	for (const struct json *e = list->child; e; e = e->next)
		n++;
	out->steps = calloc(n ? n : 1, sizeof(*out->steps));
	if (!out->steps) {
		snprintf(err, err_size, "out of memory");
		json_free(root);
		return false;
	}
	for (const struct json *e = list->child; e; e = e->next) {
		if (e->type != JSON_OBJECT)
			continue;
		struct ladder_step *s = &out->steps[out->count++];
		const char *direction = json_get_string(e, "direction", "event");
		s->kind = !strcmp(direction, "sent") ? STEP_TO_PEER : !strcmp(direction, "received") ? STEP_FROM_PEER : STEP_NOTE;
		const char *time = json_get_string(e, "time", "");
		/* 2026-12-06T09:40:01.123Z: the time of day is what a ladder reads */
		snprintf(s->time, sizeof(s->time), "%.12s", strlen(time) > 11 ? time + 11 : time);
		describe(s, e, direction);
	}
	json_free(root);
	return true;
}

void session_ladder_free(struct session_ladder *l)
{
	free(l->steps);
	l->steps = NULL;
	l->count = 0;
}

void session_ladder_text(const struct session_ladder *l, const char *left, const char *right, struct strbuf *out)
{
	strbuf_printf(out, "%-14s%-*s %s\n", "time", TEXT_ARROW + 1, left, right);
	for (size_t i = 0; i < l->count; i++) {
		const struct ladder_step *s = &l->steps[i];
		char arrow[TEXT_ARROW + 1];
		size_t label = strlen(s->label);
		if (label > TEXT_ARROW - 6)
			label = TEXT_ARROW - 6;
		if (s->kind == STEP_NOTE) {
			strbuf_printf(out, "%-14s|  %-*.*s|  %s\n", s->time, TEXT_ARROW - 2, TEXT_ARROW - 3, s->label, s->fields);
			continue;
		}
		memset(arrow, '-', TEXT_ARROW);
		arrow[TEXT_ARROW] = '\0';
		if (s->kind == STEP_TO_PEER) {
			arrow[2] = ' ';
			memcpy(arrow + 3, s->label, label);
			arrow[3 + label] = ' ';
			arrow[TEXT_ARROW - 1] = '>';
		} else {
			arrow[0] = '<';
			memcpy(arrow + TEXT_ARROW - 3 - label, s->label, label);
			arrow[TEXT_ARROW - 4 - label] = ' ';
			arrow[TEXT_ARROW - 3] = ' ';
		}
		strbuf_printf(out, "%-14s|%s|  %s\n", s->time, arrow, s->fields);
	}
	if (l->count == 0)
		strbuf_append(out, "(no messages logged yet)\n");
}

/* ---- SVG ---- */

#define SVG_WIDTH 900
#define SVG_LEFT 190
#define SVG_RIGHT 730
#define SVG_TOP 70
#define SVG_ROW 46
#define SVG_FIELDS_SHOWN 80 /* characters of fields under an arrow; the rest in its tooltip */

static const char *step_colour(const struct ladder_step *s)
{
	static const struct {
		const char *prefix, *colour;
	} colours[] = {
		{ "tcp", "#555555" },          { "open", "#1f5fbf" },   { "keepalive", "#2e8b3a" },
		{ "update", "#7b3fa0" },       { "notification", "#c62828" }, { "route-refresh", "#d9822b" },
		{ "collision", "#c62828" },    { "established", "#2e8b3a" },
	};
	for (size_t i = 0; i < sizeof(colours) / sizeof(colours[0]); i++)
		if (!strncmp(s->type, colours[i].prefix, strlen(colours[i].prefix)))
			return colours[i].colour;
	return "#777777";
}

static const char svg_style[] =
	"text{font-family:DejaVu Sans,Arial,sans-serif;font-size:12px;fill:#222}"
	".name{font-size:16px;font-weight:bold}.time{font-family:DejaVu Sans Mono,monospace;fill:#666}"
	".label{font-weight:bold}.fields{font-size:11px;fill:#444}.note{font-size:11px;fill:#333}";

static void svg_step(const struct ladder_step *s, double y, struct strbuf *out)
{
	const char *colour = step_colour(s);
	strbuf_printf(out, "<g class=\"step %s\" data-type=\"", s->kind == STEP_NOTE ? "note" : "arrow");
	svg_escape(out, s->type);
	strbuf_append(out, "\"><title>");
	svg_escape(out, s->text);
	strbuf_append(out, "</title>\n");
	svg_text(out, 10, y + 4, "time", "start", s->time);
	char fields[SVG_FIELDS_SHOWN + 8];
	snprintf(fields, sizeof(fields), "%.*s%s", SVG_FIELDS_SHOWN, s->fields,
		 strlen(s->fields) > SVG_FIELDS_SHOWN ? "..." : "");
	double mid = (SVG_LEFT + SVG_RIGHT) / 2.0;
	if (s->kind == STEP_NOTE) {
		strbuf_printf(out,
			      "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"34\" rx=\"4\" fill=\"#fff8dc\" "
			      "stroke=\"%s\"/>\n",
			      SVG_LEFT + 10, y - 16, SVG_RIGHT - SVG_LEFT - 20, colour);
		svg_text(out, mid, y - 2, "label", "middle", s->label);
		svg_text(out, mid, y + 12, "note", "middle", fields);
	} else {
		bool right = s->kind == STEP_TO_PEER;
		double from = right ? SVG_LEFT : SVG_RIGHT, to = right ? SVG_RIGHT : SVG_LEFT;
		double tip = right ? -10 : 10;
		strbuf_printf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/>\n",
			      from, y, to + tip, y, colour);
		strbuf_printf(out, "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\" fill=\"%s\"/>\n", to, y, to + tip,
			      y - 5, to + tip, y + 5, colour);
		svg_text(out, mid, y - 6, "label", "middle", s->label);
		svg_text(out, mid, y + 15, "fields", "middle", fields);
	}
	strbuf_append(out, "</g>\n");
}

void session_ladder_svg(const struct session_ladder *l, const char *left, const char *right, struct strbuf *out)
{
	size_t rows = l->count ? l->count : 1;
	double height = SVG_TOP + (double)rows * SVG_ROW + 20;
	strbuf_printf(out,
		      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"ladder\" width=\"%d\" height=\"%.0f\" "
		      "viewBox=\"0 0 %d %.0f\">\n<style>%s</style>\n<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n",
		      SVG_WIDTH, height, SVG_WIDTH, height, svg_style);
	svg_text(out, SVG_LEFT, 24, "name", "middle", left);
	svg_text(out, SVG_RIGHT, 24, "name", "middle", right);
	svg_text(out, 10, 50, "time", "start", "time (UTC)");
	for (int x = SVG_LEFT; x <= SVG_RIGHT; x += SVG_RIGHT - SVG_LEFT)
		strbuf_printf(out, "<line x1=\"%d\" y1=\"34\" x2=\"%d\" y2=\"%.0f\" stroke=\"#333\" stroke-width=\"3\"/>\n",
			      x, x, height - 10);
	for (size_t i = 0; i < l->count; i++)
		svg_step(&l->steps[i], SVG_TOP + (double)i * SVG_ROW + SVG_ROW / 2.0, out);
	if (l->count == 0)
		svg_text(out, (SVG_LEFT + SVG_RIGHT) / 2.0, SVG_TOP + 20, "note", "middle", "(no messages logged yet)");
	strbuf_append(out, "</svg>\n");
}

void session_ladder_html(const struct session_ladder *l, const char *left, const char *right, struct strbuf *out)
{
	char title[160];
	snprintf(title, sizeof(title), "BGP session %s - %s", left, right);
	svg_html_head(out, title,
		      "body{font-family:DejaVu Sans,Arial,sans-serif;margin:1em}\n"
		      "table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;padding:2px 6px;"
		      "text-align:left}\n");
	strbuf_append(out, "<h1>");
	svg_escape(out, title);
	strbuf_append(out, "</h1>\n<p>The session's messages as the router logged them "
			   "(<code>show bgp neighbors A messages json</code>): arrows to the right were sent by ");
	svg_escape(out, left);
	strbuf_append(out, ", arrows to the left received from its peer.</p>\n");
	session_ladder_svg(l, left, right, out);
	strbuf_append(out, "<h2>The log</h2>\n<table>\n<tr><th>time</th><th>direction</th><th>message</th></tr>\n");
	static const char *const directions[] = { "sent", "received", "event" };
	for (size_t i = 0; i < l->count; i++) {
		strbuf_append(out, "<tr><td>");
		svg_escape(out, l->steps[i].time);
		strbuf_printf(out, "</td><td>%s</td><td>", directions[l->steps[i].kind]);
		svg_escape(out, l->steps[i].text);
		strbuf_append(out, "</td></tr>\n");
	}
	strbuf_append(out, "</table>\n</body>\n</html>\n");
}
