/*
 * DOC: the command matcher: parse, `?` help and Tab completion over the one table.
 *
 * A line is split into words (blanks are spaces and tabs; trailing CR/LF are cut; any other
 * control character is invalid input at its column). The rows valid in the mode are expanded
 * into "variants": each row as written, and, for rows that take `no`, the row with `no` in
 * front. Then word by word the set of live variants shrinks (resolve_word): an exact keyword
 * wins, else the one keyword the word abbreviates (two: ambiguous), else the arguments that
 * accept the word (none: invalid input, caret under that word). A LINE argument swallows the
 * rest of the line. parse, help and completion all run this same walk over the words already
 * typed, and then look at what the live variants allow next.
 */
#include "config/grammar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/memory.h"

#define VARIANTS_MAX 1024
#define WORDS_MAX (CLI_LINE_MAX / 2 + 2)
#define HELP_ITEMS_MAX 64

static const char invalid_message[] = "% Invalid input detected at '^' marker.";
static const char incomplete_message[] = "% Incomplete command.";

/* ---- words ---- */

struct word {
	size_t column;
	size_t len;
};

struct words {
	const char *line;
	size_t len;            /* up to the last non-blank character */
	const struct word *w;
	size_t count;
};

/* What split_line() found besides the words. */
struct line_info {
	bool ends_in_blank;    /* the user typed a blank after the last word (or nothing) */
	bool bad;              /* too long, or a control character */
	size_t bad_column;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_control(unsigned char c)
{
	return (c < 0x20 && c != '\t') || c == 0x7f;
}

static void split_line(const char *line, struct words *ws, struct word *store, struct line_info *info)
{
	size_t len = strnlen(line, CLI_LINE_MAX + 1);
	memset(info, 0, sizeof(*info));
	if (len > CLI_LINE_MAX) {
		info->bad = true;
		info->bad_column = CLI_LINE_MAX;
		len = CLI_LINE_MAX;
	}
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	for (size_t i = 0; i < len && !info->bad; i++) {
		if (is_control((unsigned char)line[i])) {
			info->bad = true;
			info->bad_column = i;
		}
	}
	info->ends_in_blank = len == 0 || is_blank(line[len - 1]);
	while (len > 0 && is_blank(line[len - 1]))
		len--;
	ws->line = line;
	ws->len = len;
	ws->w = store;
	ws->count = 0;
	size_t i = 0;
	while (i < len && ws->count < WORDS_MAX) {
		while (i < len && is_blank(line[i]))
			i++;
		size_t start = i;
		while (i < len && !is_blank(line[i]))
			i++;
		if (i > start)
			store[ws->count++] = (struct word){ .column = start, .len = i - start };
	}
}

static struct words words_from(const struct words *ws, size_t first)
{
	struct words sub = *ws;
	sub.w += first;
	sub.count -= first;
	return sub;
}

static const char *word_text(const struct words *ws, size_t i)
{
	return ws->line + ws->w[i].column;
}

/* ---- types and values ---- */

const struct cli_type *cli_type_find(const char *token)
{
	if (!token || token[0] < 'A' || token[0] > 'Z')
		return NULL;
	for (size_t i = 0; i < cli_type_count; i++) {
		if (strcmp(cli_types[i].name, token) == 0)
			return &cli_types[i];
	}
	return NULL;
}

static bool parse_decimal(const char *text, size_t len, uint64_t max, uint64_t *out)
{
	if (len == 0 || len > 10)
		return false;
	uint64_t v = 0;
	for (size_t i = 0; i < len; i++) {
		if (text[i] < '0' || text[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(text[i] - '0');
	}
	if (v > max)
		return false;
	*out = v;
	return true;
}

/* asplain 1-4294967295, or asdot HIGH.LOW with both halves 0-65535 (RFC 5396). */
static bool parse_asn(const char *text, size_t len, uint32_t *out)
{
	const char *dot = memchr(text, '.', len);
	uint64_t v;
	if (!dot) {
		if (!parse_decimal(text, len, UINT32_MAX, &v) || v == 0)
			return false;
		*out = (uint32_t)v;
		return true;
	}
	uint64_t high, low;
	size_t high_len = (size_t)(dot - text);
	if (!parse_decimal(text, high_len, 65535, &high) ||
	    !parse_decimal(dot + 1, len - high_len - 1, 65535, &low))
		return false;
	v = (high << 16) | low;
	if (v == 0)
		return false;
	*out = (uint32_t)v;
	return true;
}

static bool parse_address(enum cli_kind kind, const char *text, size_t len, struct ip_addr *out)
{
	char buf[64];
	if (len >= sizeof(buf))
		return false;
	memcpy(buf, text, len);
	buf[len] = '\0';
	if (!ip_addr_parse(buf, out))
		return false;
	if (kind == CLI_IPV4)
		return ip_addr_is_v4(out);
	if (kind == CLI_IPV6)
		return !ip_addr_is_v4(out);
	return true;
}

/* A.B.C.D/LEN or X:X::X:X/LEN: the address as typed (host bits kept) and the length. */
static bool parse_prefix(enum cli_kind kind, const char *text, size_t len, struct ip_addr *out,
                         uint8_t *prefix_len)
{
	const char *slash = memchr(text, '/', len);
	if (!slash)
		return false;
	size_t addr_len = (size_t)(slash - text);
	uint64_t bits;
	uint64_t max = kind == CLI_IPV4_PREFIX ? 32 : 128;
	if (!parse_address(kind == CLI_IPV4_PREFIX ? CLI_IPV4 : CLI_IPV6, text, addr_len, out) ||
	    len - addr_len - 1 > 3 || !parse_decimal(slash + 1, len - addr_len - 1, max, &bits))
		return false;
	*prefix_len = (uint8_t)bits;
	return true;
}

static bool is_ifname(const char *text, size_t len)
{
	if (len == 0 || !((text[0] >= 'a' && text[0] <= 'z') || (text[0] >= 'A' && text[0] <= 'Z')))
		return false;
	for (size_t i = 1; i < len; i++) {
		char c = text[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
		if (!alnum && !strchr("/.:_-", c))
			return false;
	}
	return true;
}

/* Does type t accept text? If so and out is not NULL, fills out's typed value. */
static bool value_read(const struct cli_type *t, const char *text, size_t len, struct cli_value *out)
{
	struct cli_value v = { .name = t->name, .kind = t->kind };
	uint64_t n;
	bool ok;
	switch (t->kind) {
	case CLI_NUMBER:
		ok = parse_decimal(text, len, t->max, &n) && n >= t->min;
		v.number = ok ? (uint32_t)n : 0;
		break;
	case CLI_ASN:
		ok = parse_asn(text, len, &v.number);
		break;
	case CLI_IPV4:
	case CLI_IPV6:
	case CLI_IP:
		ok = parse_address(t->kind, text, len, &v.addr);
		break;
	case CLI_IPV4_PREFIX:
	case CLI_IPV6_PREFIX:
		ok = parse_prefix(t->kind, text, len, &v.addr, &v.prefix_len);
		break;
	case CLI_WORD:
	case CLI_LINE:
		ok = len >= t->min && len <= t->max;
		break;
	case CLI_IFNAME:
		ok = len >= t->min && len <= t->max && is_ifname(text, len);
		break;
	default:
		ok = false;
		break;
	}
	if (!ok || len >= CLI_VALUE_MAX)
		return false;
	if (out) {
		memcpy(v.text, text, len);
		v.text[len] = '\0';
		*out = v;
	}
	return true;
}

/* ---- variants: a row, with or without `no` in front ---- */

struct variant {
	uint16_t row;
	bool negated;
};

struct variants {
	struct variant v[VARIANTS_MAX];
	size_t count;
};

/* The token of a variant at one word position. */
struct token {
	const char *text;            /* keyword or type name */
	const struct cli_type *type; /* NULL for a keyword */
	int index;                   /* in the row's syntax; -1 for the `no` in front */
	bool continued;              /* inside a LINE (or EXEC) that began at an earlier word */
};

static bool variant_token(struct variant v, size_t pos, struct token *t)
{
	const struct cli_command *row = &cli_commands[v.row];
	*t = (struct token){ .index = -1 };
	if (v.negated) {
		if (pos == 0) {
			t->text = "no";
			return true;
		}
		pos--;
	}
	for (size_t k = 0; k < CLI_SYNTAX_MAX && row->syntax[k]; k++) {
		const struct cli_type *type = cli_type_find(row->syntax[k]);
		if (k == pos || (type && (type->kind == CLI_LINE || type->kind == CLI_EXEC))) {
			t->text = row->syntax[k];
			t->type = type;
			t->index = (int)k;
			t->continued = k < pos;
			return true;
		}
	}
	return false;
}

static void variants_init(enum cli_mode mode, struct variants *vs)
{
	vs->count = 0;
	for (size_t r = 0; r < cli_command_count && vs->count + 2 <= VARIANTS_MAX; r++) {
		const struct cli_command *row = &cli_commands[r];
		if (!(row->modes & CLI_IN(mode)))
			continue;
		if (!(row->flags & CLI_F_NO_ONLY))
			vs->v[vs->count++] = (struct variant){ (uint16_t)r, false };
		if (row->flags & (CLI_F_NO | CLI_F_NO_ONLY))
			vs->v[vs->count++] = (struct variant){ (uint16_t)r, true };
	}
}

/* The text a token at word i would read: one word, or for LINE the rest of the line. */
static size_t token_span(const struct token *t, const struct words *ws, size_t i)
{
	if (t->type && t->type->kind == CLI_LINE)
		return ws->len - ws->w[i].column;
	return ws->w[i].len;
}

static bool keyword_matches(const char *keyword, const char *text, size_t len, bool *exact)
{
	size_t klen = strlen(keyword);
	if (len > klen || strncasecmp(keyword, text, len) != 0)
		return false;
	*exact = len == klen;
	return true;
}

enum resolve_result { RESOLVE_OK, RESOLVE_INVALID, RESOLVE_AMBIGUOUS };

static bool token_accepts(const struct token *t, const struct words *ws, size_t i)
{
	if (t->continued)
		return true;
	return value_read(t->type, word_text(ws, i), token_span(t, ws, i), NULL);
}

/* Keeps the variants that word i leaves alive. */
static enum resolve_result resolve_word(struct variants *vs, const struct words *ws, size_t i)
{
	const char *text = word_text(ws, i);
	size_t len = ws->w[i].len;
	const char *exact_keyword = NULL, *partial_keyword = NULL;
	bool many_partial = false;
	struct token t;
	for (size_t k = 0; k < vs->count; k++) {
		bool exact;
		if (!variant_token(vs->v[k], i, &t) || t.type || !keyword_matches(t.text, text, len, &exact))
			continue;
		if (exact)
			exact_keyword = t.text;
		else if (!partial_keyword)
			partial_keyword = t.text;
		else if (strcmp(partial_keyword, t.text) != 0)
			many_partial = true;
	}
	const char *keyword = exact_keyword ? exact_keyword : partial_keyword;
	if (!exact_keyword && many_partial)
		return RESOLVE_AMBIGUOUS;
	size_t kept = 0;
	for (size_t k = 0; k < vs->count; k++) {
		if (!variant_token(vs->v[k], i, &t))
			continue;
		bool keep = keyword ? (!t.type && strcmp(t.text, keyword) == 0)
		                    : (t.type && token_accepts(&t, ws, i));
		if (keep)
			vs->v[kept++] = vs->v[k];
	}
	vs->count = kept;
	return kept ? RESOLVE_OK : RESOLVE_INVALID;
}

enum match_result { MATCH_OK, MATCH_DO, MATCH_INVALID, MATCH_AMBIGUOUS };

static bool variants_expect_exec(const struct variants *vs, size_t pos)
{
	struct token t;
	for (size_t k = 0; k < vs->count; k++) {
		if (variant_token(vs->v[k], pos, &t) && t.type && t.type->kind == CLI_EXEC)
			return true;
	}
	return false;
}

/* Walks the first n words. *stop is the word that failed, or for MATCH_DO the first word of
 * the exec command that follows `do`. */
static enum match_result match_words(enum cli_mode mode, const struct words *ws, size_t n,
                                     struct variants *vs, size_t *stop)
{
	variants_init(mode, vs);
	for (size_t i = 0; i <= n; i++) {
		*stop = i;
		if (variants_expect_exec(vs, i))
			return MATCH_DO;
		if (i == n)
			break;
		enum resolve_result r = resolve_word(vs, ws, i);
		if (r == RESOLVE_AMBIGUOUS)
			return MATCH_AMBIGUOUS;
		if (r == RESOLVE_INVALID)
			return MATCH_INVALID;
	}
	return MATCH_OK;
}

/* ---- parse ---- */

static enum cli_mode parent_mode(enum cli_mode mode)
{
	switch (mode) {
	case CLI_MODE_CONFIG:
		return CLI_MODE_EXEC;
	case CLI_MODE_CONFIG_ROUTER_BGP:
	case CLI_MODE_CONFIG_ROUTER_RIP:
	case CLI_MODE_CONFIG_ROUTER_OSPF:
	case CLI_MODE_CONFIG_INTERFACE:
	case CLI_MODE_CONFIG_LINE:
	case CLI_MODE_CONFIG_ROUTE_MAP:
		return CLI_MODE_CONFIG;
	default:
		return mode;
	}
}

static enum cli_mode mode_after(const struct cli_command *row, bool negated, enum cli_mode mode)
{
	if (negated || row->enters == CLI_ENTERS_NONE)
		return mode;
	if (row->enters == CLI_ENTERS_PARENT)
		return parent_mode(mode);
	return (enum cli_mode)row->enters;
}

static enum cli_status parse_error(struct cli_parse *p, enum cli_status status, size_t column,
                                   const struct words *all)
{
	p->status = status;
	p->column = column;
	if (status == CLI_ERR_INVALID) {
		snprintf(p->message, sizeof(p->message), "%s", invalid_message);
	} else if (status == CLI_ERR_INCOMPLETE) {
		snprintf(p->message, sizeof(p->message), "%s", incomplete_message);
	} else {
		size_t start = all->count ? all->w[0].column : 0;
		snprintf(p->message, sizeof(p->message), "%% Ambiguous command:  \"%.*s\"",
		         (int)(all->len - start), all->line + start);
	}
	return status;
}

static const struct variant *first_complete(const struct variants *vs, size_t n)
{
	struct token t;
	for (size_t k = 0; k < vs->count; k++) {
		if (!variant_token(vs->v[k], n, &t) || t.continued)
			return &vs->v[k];
	}
	return NULL;
}

static void fill_values(struct cli_parse *p, struct variant v, const struct words *ws)
{
	struct token t;
	for (size_t i = 0; i < ws->count && p->count < CLI_VALUES_MAX; i++) {
		if (!variant_token(v, i, &t) || t.continued)
			break;
		if (t.index < 0)
			continue; /* the `no` in front */
		struct cli_value *val = &p->values[p->count++];
		if (t.type) {
			value_read(t.type, word_text(ws, i), token_span(&t, ws, i), val);
		} else {
			*val = (struct cli_value){ .name = t.text, .kind = CLI_KEYWORD };
			snprintf(val->text, sizeof(val->text), "%.*s", (int)ws->w[i].len, word_text(ws, i));
		}
		val->column = ws->w[i].column;
	}
}

/* ---- output modifiers (`show ... | include REGEX`) ---- */

static bool is_exec_mode(enum cli_mode mode)
{
	return mode == CLI_MODE_EXEC || mode == CLI_MODE_USER_EXEC;
}

/* The first of the first n words that is `|` alone, SIZE_MAX if none. */
static size_t find_bar(const struct words *ws, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (ws->w[i].len == 1 && word_text(ws, i)[0] == '|')
			return i;
	}
	return SIZE_MAX;
}

/* Output modifiers follow show commands only (IOS). */
static bool is_show_row(const struct variant *v)
{
	return v && !v->negated && strcmp(cli_commands[v->row].syntax[0], "show") == 0;
}

static enum cli_status parse_words(enum cli_mode mode, const struct words *ws,
                                   const struct words *all, struct cli_parse *p);

/* A show command, `|` at word bar, and a modifier after it. */
static enum cli_status parse_filtered(enum cli_mode mode, const struct words *ws, size_t bar,
                                      const struct words *all, struct cli_parse *p)
{
	struct words command = *ws;
	command.count = bar;
	if (bar == 0)
		return parse_error(p, CLI_ERR_INVALID, ws->w[bar].column, all);
	enum cli_status status = parse_words(mode, &command, all, p);
	if (status != CLI_OK)
		return status;
	if (strcmp(p->values[0].name, "show") != 0)
		return parse_error(p, CLI_ERR_INVALID, ws->w[bar].column, all);
	struct words modifier = words_from(ws, bar + 1);
	if (modifier.count == 0)
		return parse_error(p, CLI_ERR_INCOMPLETE, all->len, all);
	struct cli_parse *f = memory_alloc(MEMORY_CONFIG, sizeof(*f));
	if (!f)
		return parse_error(p, CLI_ERR_INVALID, ws->w[bar].column, all);
	memset(f, 0, sizeof(*f));
	status = parse_words(CLI_MODE_OUTPUT_FILTER, &modifier, all, f);
	if (status != CLI_OK) {
		p->status = status;
		p->column = f->column;
		memcpy(p->message, f->message, sizeof(p->message));
	} else {
		const struct cli_value *regex = cli_arg(f, "REGEX");
		p->filter = f->cmd;
		snprintf(p->filter_regex, sizeof(p->filter_regex), "%s", regex ? regex->text : "");
		p->filter_column = regex ? regex->column : f->values[0].column;
	}
	memory_free(MEMORY_CONFIG, f);
	return status;
}

static enum cli_status parse_words(enum cli_mode mode, const struct words *ws,
                                   const struct words *all, struct cli_parse *p)
{
	if (is_exec_mode(mode)) {
		size_t bar = find_bar(ws, ws->count);
		if (bar != SIZE_MAX)
			return parse_filtered(mode, ws, bar, all, p);
	}
	struct variants *vs = memory_alloc(MEMORY_CONFIG, sizeof(*vs));
	if (!vs)
		return parse_error(p, CLI_ERR_INVALID, 0, all);
	size_t stop;
	enum match_result m = match_words(mode, ws, ws->count, vs, &stop);
	enum cli_status status = CLI_OK;
	if (m == MATCH_DO) {
		struct words rest = words_from(ws, stop);
		memory_free(MEMORY_CONFIG, vs);
		if (rest.count == 0)
			return parse_error(p, CLI_ERR_INCOMPLETE, all->len, all);
		status = parse_words(CLI_MODE_EXEC, &rest, all, p);
		p->via_do = true;
		p->next_mode = mode;
		return status;
	}
	if (m == MATCH_INVALID || m == MATCH_AMBIGUOUS) {
		status = parse_error(p, m == MATCH_INVALID ? CLI_ERR_INVALID : CLI_ERR_AMBIGUOUS,
		                     ws->w[stop].column, all);
	} else {
		const struct variant *v = first_complete(vs, ws->count);
		if (!v) {
			status = parse_error(p, CLI_ERR_INCOMPLETE, all->len, all);
		} else {
			const struct cli_command *row = &cli_commands[v->row];
			p->cmd = row->id;
			p->negated = v->negated;
			p->mode = mode;
			p->next_mode = mode_after(row, v->negated, mode);
			fill_values(p, *v, ws);
		}
	}
	memory_free(MEMORY_CONFIG, vs);
	return status;
}

static bool is_comment(const struct words *ws)
{
	return ws->count > 0 && word_text(ws, 0)[0] == '!';
}

enum cli_status cli_parse(enum cli_mode mode, const char *line, struct cli_parse *p)
{
	struct word *store = memory_alloc(MEMORY_CONFIG, sizeof(struct word) * WORDS_MAX);
	memset(p, 0, sizeof(*p));
	p->mode = mode;
	p->next_mode = mode;
	struct words ws = { .line = line ? line : "" };
	if (!store)
		return parse_error(p, CLI_ERR_INVALID, 0, &ws);
	struct line_info info;
	split_line(ws.line, &ws, store, &info);
	enum cli_status status;
	if (info.bad)
		status = parse_error(p, CLI_ERR_INVALID, info.bad_column, &ws);
	else if (ws.count == 0 || is_comment(&ws))
		status = p->status = CLI_EMPTY;
	else
		status = parse_words(mode, &ws, &ws, p);
	memory_free(MEMORY_CONFIG, store);
	return status;
}

const struct cli_value *cli_arg(const struct cli_parse *p, const char *name)
{
	for (size_t i = 0; i < p->count; i++) {
		if (p->values[i].name && strcmp(p->values[i].name, name) == 0)
			return &p->values[i];
	}
	return NULL;
}

bool cli_has(const struct cli_parse *p, const char *name)
{
	return cli_arg(p, name) != NULL;
}

void cli_format_error(const struct cli_parse *p, size_t indent, struct strbuf *out)
{
	if (p->status == CLI_OK || p->status == CLI_EMPTY)
		return;
	if (p->status == CLI_ERR_INVALID)
		strbuf_printf(out, "%*s^\n", (int)(indent + p->column), "");
	strbuf_printf(out, "%s\n", p->message);
}

/* ---- help ---- */

static bool keyword_help_lookup(const char *path, const char **help)
{
	for (size_t i = 0; i < cli_keyword_help_count; i++) {
		if (strcmp(cli_keyword_helps[i].path, path) == 0) {
			*help = cli_keyword_helps[i].help;
			return true;
		}
	}
	return false;
}

const char *cli_keyword_help(const struct cli_command *row, size_t index)
{
	const char *help = "";
	for (size_t first = 0; first <= index && index < CLI_SYNTAX_MAX; first++) {
		char path[256];
		size_t used = 0;
		for (size_t k = first; k <= index && row->syntax[k]; k++) {
			int n = snprintf(path + used, sizeof(path) - used, "%s%s", k > first ? " " : "",
			                 row->syntax[k]);
			if (n < 0 || (size_t)n >= sizeof(path) - used)
				break;
			used += (size_t)n;
		}
		if (keyword_help_lookup(path, &help))
			return help;
	}
	return help;
}

static const char *token_help(struct variant v, const struct token *t)
{
	const char *help = "";
	if (t->index < 0) {
		keyword_help_lookup("no", &help);
		return help;
	}
	return cli_keyword_help(&cli_commands[v.row], (size_t)t->index);
}

struct help_item {
	const char *label;
	const char *help;
	bool is_argument;
	size_t order;
};

struct help_list {
	struct help_item items[HELP_ITEMS_MAX];
	size_t count;
	bool cr;
};

static void help_add(struct help_list *h, const char *label, const char *help, bool is_argument)
{
	if (!label)
		return;
	for (size_t i = 0; i < h->count; i++) {
		if (strcmp(h->items[i].label, label) == 0)
			return;
	}
	if (h->count == HELP_ITEMS_MAX)
		return;
	h->items[h->count] = (struct help_item){ label, help ? help : "", is_argument, h->count };
	h->count++;
}

static int help_item_compare(const void *a, const void *b)
{
	const struct help_item *x = a, *y = b;
	if (x->is_argument != y->is_argument)
		return x->is_argument ? -1 : 1;
	if (x->is_argument)
		return x->order < y->order ? -1 : x->order > y->order;
	return strcmp(x->label, y->label);
}

/* What the live variants allow at word position pos; partial is the word begun there (its
 * index in ws), or SIZE_MAX after a blank. */
static void help_collect(const struct variants *vs, const struct words *ws, size_t pos,
                         size_t partial, struct help_list *h)
{
	struct token t;
	for (size_t k = 0; k < vs->count; k++) {
		if (!variant_token(vs->v[k], pos, &t) || (t.continued && partial == SIZE_MAX)) {
			h->cr = h->cr || partial == SIZE_MAX;
			continue;
		}
		if (!t.type) {
			bool exact;
			if (partial == SIZE_MAX ||
			    keyword_matches(t.text, word_text(ws, partial), ws->w[partial].len, &exact))
				help_add(h, t.text, token_help(vs->v[k], &t), false);
			continue;
		}
		if (partial != SIZE_MAX && !token_accepts(&t, ws, partial))
			continue;
		/* The table may say what this argument means here ("ip route NETWORK"). */
		const char *here = t.continued ? "" : token_help(vs->v[k], &t);
		help_add(h, t.type->label, here[0] ? here : t.type->help, true);
		help_add(h, t.type->label2, t.type->help2, true);
	}
}

static void help_print(struct help_list *h, struct strbuf *out)
{
	qsort(h->items, h->count, sizeof(h->items[0]), help_item_compare);
	size_t width = 0;
	for (size_t i = 0; i < h->count; i++) {
		size_t len = strlen(h->items[i].label);
		width = len > width ? len : width;
	}
	for (size_t i = 0; i < h->count; i++)
		strbuf_printf(out, "  %-*s  %s\n", (int)width, h->items[i].label, h->items[i].help);
	if (h->cr)
		strbuf_append(out, "  <cr>\n");
}

struct walk {
	enum cli_mode mode;       /* where the last word is read (EXEC after `do`) */
	struct words ws;          /* the words from that mode's first word on */
	size_t done;              /* words fully typed */
	size_t partial;           /* index of the word being typed, SIZE_MAX after a blank */
	struct variants vs;       /* live after the first `done` words */
	enum match_result result;
	size_t stop;
};

/* The walk help and completion share: match the typed words, following `do` into EXEC. */
static void walk_line(enum cli_mode mode, const struct words *all, bool ends_in_blank, struct walk *w)
{
	w->mode = mode;
	w->ws = *all;
	for (;;) {
		w->done = ends_in_blank ? w->ws.count : w->ws.count - 1;
		w->partial = ends_in_blank ? SIZE_MAX : w->ws.count - 1;
		size_t bar = is_exec_mode(w->mode) ? find_bar(&w->ws, w->done) : SIZE_MAX;
		if (bar != SIZE_MAX) {
			/* a show command, then its output modifier: help and completion go on there */
			w->result = match_words(w->mode, &w->ws, bar, &w->vs, &w->stop);
			if (w->result != MATCH_OK)
				return;
			if (!is_show_row(first_complete(&w->vs, bar))) {
				w->result = MATCH_INVALID;
				w->stop = bar;
				return;
			}
			w->ws = words_from(&w->ws, bar + 1);
			w->mode = CLI_MODE_OUTPUT_FILTER;
			continue;
		}
		w->result = match_words(w->mode, &w->ws, w->done, &w->vs, &w->stop);
		if (w->result != MATCH_DO)
			return;
		w->ws = words_from(&w->ws, w->stop);
		w->mode = CLI_MODE_EXEC;
	}
}

struct typed_line {
	struct word store[WORDS_MAX];
	struct words ws;
	struct line_info info;
};

enum cli_status cli_help(enum cli_mode mode, const char *line_so_far, struct strbuf *out,
                         size_t *error_column)
{
	struct typed_line *tl = memory_alloc(MEMORY_CONFIG, sizeof(*tl));
	struct walk *w = memory_alloc(MEMORY_CONFIG, sizeof(*w));
	enum cli_status status = CLI_OK;
	size_t column = 0;
	if (!tl || !w) {
		memory_free(MEMORY_CONFIG, tl);
		memory_free(MEMORY_CONFIG, w);
		return CLI_ERR_INVALID;
	}
	split_line(line_so_far ? line_so_far : "", &tl->ws, tl->store, &tl->info);
	if (tl->info.bad) {
		status = CLI_ERR_INVALID;
		column = tl->info.bad_column;
		goto done;
	}
	walk_line(mode, &tl->ws, tl->info.ends_in_blank, w);
	if (w->result == MATCH_INVALID || w->result == MATCH_AMBIGUOUS) {
		status = w->result == MATCH_INVALID ? CLI_ERR_INVALID : CLI_ERR_AMBIGUOUS;
		column = w->ws.w[w->stop].column;
		goto done;
	}
	struct help_list *h = memory_calloc(MEMORY_CONFIG, 1, sizeof(*h));
	if (!h) {
		status = CLI_ERR_INVALID;
		goto done;
	}
	help_collect(&w->vs, &w->ws, w->done, w->partial, h);
	/* A complete show command may go on with an output modifier (IOS lists `|`) */
	bool bar_typed = w->partial != SIZE_MAX && w->ws.w[w->partial].len == 1 &&
	                 word_text(&w->ws, w->partial)[0] == '|';
	if (is_exec_mode(w->mode) && (w->partial == SIZE_MAX || bar_typed) &&
	    is_show_row(first_complete(&w->vs, w->done)))
		help_add(h, "|", "Output modifiers", false);
	if (h->count == 0 && !h->cr) {
		status = CLI_ERR_INVALID;
		column = w->partial != SIZE_MAX ? w->ws.w[w->partial].column : tl->ws.len;
	} else {
		help_print(h, out);
	}
	memory_free(MEMORY_CONFIG, h);
done:
	if (status != CLI_OK) {
		struct cli_parse *p = memory_alloc(MEMORY_CONFIG, sizeof(*p));
		if (p) {
			parse_error(p, status, column, &tl->ws);
			strbuf_printf(out, "%s\n", p->message);
			memory_free(MEMORY_CONFIG, p);
		}
		if (error_column)
			*error_column = column;
	}
	memory_free(MEMORY_CONFIG, tl);
	memory_free(MEMORY_CONFIG, w);
	return status;
}

/* ---- completion ---- */

static int keyword_compare(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void completion_add(struct cli_completion *out, const char *keyword)
{
	for (size_t i = 0; i < out->count; i++) {
		if (strcmp(out->candidates[i], keyword) == 0)
			return;
	}
	if (out->count < CLI_COMPLETE_MAX)
		out->candidates[out->count++] = keyword;
}

static void completion_collect(const struct walk *w, struct cli_completion *out)
{
	struct token t;
	for (size_t k = 0; k < w->vs.count; k++) {
		bool exact;
		if (!variant_token(w->vs.v[k], w->done, &t) || t.type)
			continue;
		if (w->partial == SIZE_MAX ||
		    keyword_matches(t.text, word_text(&w->ws, w->partial), w->ws.w[w->partial].len, &exact))
			completion_add(out, t.text);
	}
	qsort(out->candidates, out->count, sizeof(out->candidates[0]), keyword_compare);
}

size_t cli_complete(enum cli_mode mode, const char *line_so_far, struct cli_completion *out)
{
	memset(out, 0, sizeof(*out));
	struct typed_line *tl = memory_alloc(MEMORY_CONFIG, sizeof(*tl));
	struct walk *w = memory_alloc(MEMORY_CONFIG, sizeof(*w));
	if (!tl || !w)
		goto done;
	const char *line = line_so_far ? line_so_far : "";
	split_line(line, &tl->ws, tl->store, &tl->info);
	out->word_column = tl->ws.len + (tl->info.ends_in_blank && tl->ws.count ? 1 : 0);
	if (tl->info.bad)
		goto done;
	walk_line(mode, &tl->ws, tl->info.ends_in_blank, w);
	if (w->result != MATCH_OK)
		goto done;
	completion_collect(w, out);
	if (w->partial == SIZE_MAX)
		goto done;
	out->word_column = w->ws.w[w->partial].column;
	if (out->count == 1)
		snprintf(out->line, sizeof(out->line), "%.*s%s ", (int)out->word_column, line,
		         out->candidates[0]);
done:
	memory_free(MEMORY_CONFIG, tl);
	memory_free(MEMORY_CONFIG, w);
	return out->count;
}

/* ---- modes ---- */

const char *cli_mode_prompt(enum cli_mode mode)
{
	switch (mode) {
	case CLI_MODE_USER_EXEC:
		return ">";
	case CLI_MODE_EXEC:
		return "#";
	case CLI_MODE_CONFIG:
		return "(config)#";
	case CLI_MODE_CONFIG_ROUTER_BGP:
	case CLI_MODE_CONFIG_ROUTER_RIP:
	case CLI_MODE_CONFIG_ROUTER_OSPF:
		return "(config-router)#";
	case CLI_MODE_CONFIG_INTERFACE:
		return "(config-if)#";
	case CLI_MODE_CONFIG_LINE:
		return "(config-line)#";
	case CLI_MODE_CONFIG_ROUTE_MAP:
		return "(config-route-map)#";
	default:
		return "#";
	}
}

bool cli_mode_is_config(enum cli_mode mode)
{
	return (CLI_IN_ANY_CONFIG & CLI_IN(mode)) != 0;
}
