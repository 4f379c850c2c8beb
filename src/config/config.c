/*
 * DOC: the configuration model: init, copy, compare, apply one command, load a file.
 *
 * struct config holds plain values (config.h). config_apply() is the only code that changes
 * it from a command: it takes a line already matched by the grammar (grammar.h), checks what
 * IOS would check, and only then writes, so a rejected command leaves the config as it was.
 *
 * Loading a file runs every line through cli_parse() and config_apply(), starting in global
 * configuration mode. Indentation means nothing; the block structure comes from the modes:
 * `router bgp 100` enters router mode, and a line router mode does not know is tried again in
 * global mode, leaving router mode, as IOS does when a configuration is pasted. `end` and
 * `exit` in a file never leave configuration mode. The first bad line stops the load with its
 * file, line, caret column and IOS message.
 */
#include "config/config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONFIG_FILE_MAX (16u << 20) /* a configuration file larger than this is refused */

static const char msg_remote_as_first[] = "% Specify remote-as or peer-group commands first";

/* ---- the model ---- */

static void config_bgp_reset(struct config_bgp *bgp)
{
	free(bgp->neighbors);
	memset(bgp, 0, sizeof(*bgp));
	bgp->keepalive = CONFIG_DEFAULT_KEEPALIVE;
	bgp->hold_time = CONFIG_DEFAULT_HOLD_TIME;
}

void config_init(struct config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->hostname, sizeof(c->hostname), "Router");
	config_bgp_reset(&c->bgp);
}

void config_free(struct config *c)
{
	free(c->bgp.neighbors);
	c->bgp.neighbors = NULL;
	c->bgp.neighbor_count = 0;
}

bool config_copy(struct config *dst, const struct config *src)
{
	*dst = *src;
	dst->bgp.neighbors = NULL;
	if (src->bgp.neighbor_count == 0)
		return true;
	size_t size = src->bgp.neighbor_count * sizeof(src->bgp.neighbors[0]);
	dst->bgp.neighbors = malloc(size);
	if (!dst->bgp.neighbors) {
		config_init(dst);
		return false;
	}
	memcpy(dst->bgp.neighbors, src->bgp.neighbors, size);
	return true;
}

static bool neighbor_equal(const struct config_bgp_neighbor *a, const struct config_bgp_neighbor *b)
{
	if (!ip_addr_equal(&a->addr, &b->addr) || a->remote_as != b->remote_as ||
	    strcmp(a->description, b->description) != 0 ||
	    strcmp(a->update_source_interface, b->update_source_interface) != 0 ||
	    ip_addr_is_set(&a->update_source_addr) != ip_addr_is_set(&b->update_source_addr) ||
	    (ip_addr_is_set(&a->update_source_addr) &&
	     !ip_addr_equal(&a->update_source_addr, &b->update_source_addr)))
		return false;
	if (a->ebgp_multihop != b->ebgp_multihop ||
	    (a->ebgp_multihop && a->ebgp_multihop_ttl != b->ebgp_multihop_ttl))
		return false;
	if (a->has_timers != b->has_timers ||
	    (a->has_timers && (a->keepalive != b->keepalive || a->hold_time != b->hold_time)))
		return false;
	return a->connect_retry == b->connect_retry && strcmp(a->password, b->password) == 0 &&
	       a->shutdown == b->shutdown && strcmp(a->shutdown_message, b->shutdown_message) == 0 &&
	       a->passive == b->passive;
}

static bool bgp_equal(const struct config_bgp *a, const struct config_bgp *b)
{
	if (a->enabled != b->enabled)
		return false;
	if (!a->enabled)
		return true;
	if (a->asn != b->asn || a->has_router_id != b->has_router_id ||
	    (a->has_router_id && a->router_id != b->router_id))
		return false;
	if (a->has_timers != b->has_timers ||
	    (a->has_timers && (a->keepalive != b->keepalive || a->hold_time != b->hold_time)))
		return false;
	if (a->neighbor_count != b->neighbor_count)
		return false;
	for (size_t i = 0; i < a->neighbor_count; i++) {
		if (!neighbor_equal(&a->neighbors[i], &b->neighbors[i]))
			return false;
	}
	return true;
}

bool config_equal(const struct config *a, const struct config *b)
{
	return strcmp(a->hostname, b->hostname) == 0 && bgp_equal(&a->bgp, &b->bgp);
}

/* Index of addr, or where it would go (binary search over the sorted array). */
static size_t neighbor_position(const struct config_bgp *bgp, const struct ip_addr *addr, bool *found)
{
	size_t low = 0, high = bgp->neighbor_count;
	*found = false;
	while (low < high) {
		size_t mid = low + (high - low) / 2;
		int cmp = ip_addr_compare(&bgp->neighbors[mid].addr, addr);
		if (cmp == 0) {
			*found = true;
			return mid;
		}
		if (cmp < 0)
			low = mid + 1;
		else
			high = mid;
	}
	return low;
}

struct config_bgp_neighbor *config_bgp_neighbor_find(struct config_bgp *bgp, const struct ip_addr *addr)
{
	bool found;
	size_t i = neighbor_position(bgp, addr, &found);
	return found ? &bgp->neighbors[i] : NULL;
}

struct config_bgp_neighbor *config_bgp_neighbor_add(struct config_bgp *bgp, const struct ip_addr *addr)
{
	bool found;
	size_t i = neighbor_position(bgp, addr, &found);
	if (found)
		return &bgp->neighbors[i];
	if (bgp->neighbor_count >= CONFIG_BGP_NEIGHBOR_MAX)
		return NULL;
	struct config_bgp_neighbor *grown =
		realloc(bgp->neighbors, (bgp->neighbor_count + 1) * sizeof(*grown));
	if (!grown)
		return NULL;
	bgp->neighbors = grown;
	memmove(&grown[i + 1], &grown[i], (bgp->neighbor_count - i) * sizeof(*grown));
	bgp->neighbor_count++;
	memset(&grown[i], 0, sizeof(grown[i]));
	grown[i].addr = *addr;
	return &grown[i];
}

void config_bgp_neighbor_remove(struct config_bgp *bgp, const struct ip_addr *addr)
{
	bool found;
	size_t i = neighbor_position(bgp, addr, &found);
	if (!found)
		return;
	memmove(&bgp->neighbors[i], &bgp->neighbors[i + 1],
	        (bgp->neighbor_count - i - 1) * sizeof(bgp->neighbors[0]));
	bgp->neighbor_count--;
	if (bgp->neighbor_count == 0) {
		free(bgp->neighbors);
		bgp->neighbors = NULL;
	}
}

uint32_t config_bgp_router_id(const struct config *c)
{
	return c->bgp.has_router_id ? c->bgp.router_id : 0;
}

/* ---- applying one command ---- */

__attribute__((format(printf, 4, 5)))
static bool apply_fail(struct config_apply_result *r, const struct cli_parse *p,
                       const struct cli_value *at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->message, sizeof(r->message), fmt, ap);
	va_end(ap);
	r->mode = p->via_do ? p->next_mode : p->mode;
	r->column = at ? at->column : p->count ? p->values[0].column : 0;
	return false;
}

/* The command's keywords as the table spells them: "router ospf", "ip classless". */
static void command_keywords(const struct cli_parse *p, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < p->count && used < size; i++) {
		if (p->values[i].kind != CLI_KEYWORD)
			continue;
		int n = snprintf(buf + used, size - used, "%s%s", used ? " " : "", p->values[i].name);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

static bool apply_not_supported(const struct cli_parse *p, struct config_apply_result *r)
{
	char words[CONFIG_TEXT_MAX / 2];
	command_keywords(p, words, sizeof(words));
	return apply_fail(r, p, NULL, "%% Not yet supported: %s", words);
}

static bool apply_ignored(const struct cli_parse *p, struct config_apply_result *r, const char *why)
{
	char words[CONFIG_TEXT_MAX / 2];
	command_keywords(p, words, sizeof(words));
	snprintf(r->message, sizeof(r->message), "%% Ignored: %s%s (%s)", p->negated ? "no " : "",
	         words, why);
	return true;
}

/* Copies src into dst of size bytes, cutting it if it does not fit. */
static void text_copy(char *dst, size_t size, const char *src)
{
	size_t len = strnlen(src, size - 1);
	memcpy(dst, src, len);
	dst[len] = '\0';
}

static bool is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* RFC 1123 host name label, as IOS enforces it. */
static bool hostname_valid(const char *name)
{
	size_t len = strlen(name);
	if (len == 0 || len >= CONFIG_NAME_MAX || !is_letter(name[0]))
		return false;
	if (!is_letter(name[len - 1]) && !is_digit(name[len - 1]))
		return false;
	for (size_t i = 0; i < len; i++) {
		if (!is_letter(name[i]) && !is_digit(name[i]) && name[i] != '-')
			return false;
	}
	return true;
}

static bool apply_hostname(struct config *c, const struct cli_parse *p, struct config_apply_result *r)
{
	const struct cli_value *name = cli_arg(p, "HOSTNAME");
	if (p->negated) {
		snprintf(c->hostname, sizeof(c->hostname), "Router");
		return true;
	}
	if (!hostname_valid(name->text))
		return apply_fail(r, p, name, "%% Hostname contains one or more illegal characters.");
	text_copy(c->hostname, sizeof(c->hostname), name->text);
	return true;
}

static bool apply_router_bgp(struct config *c, const struct cli_parse *p, struct config_apply_result *r)
{
	const struct cli_value *asn = cli_arg(p, "ASN");
	struct config_bgp *bgp = &c->bgp;
	if (bgp->enabled && bgp->asn != asn->number) {
		if (p->negated)
			return apply_fail(r, p, asn, "%% No BGP process for AS %u; AS is %u",
			                  asn->number, bgp->asn);
		return apply_fail(r, p, asn, "%% BGP is already running; AS is %u", bgp->asn);
	}
	if (p->negated) {
		config_bgp_reset(bgp);
		return true;
	}
	bgp->enabled = true;
	bgp->asn = asn->number;
	return true;
}

/* RFC 4271 §4.2: a Hold Time is 0 or at least three seconds. */
static bool hold_time_valid(uint32_t hold)
{
	return hold == 0 || hold >= 3;
}

static bool apply_bgp_router_id(struct config_bgp *bgp, const struct cli_parse *p,
                                struct config_apply_result *r)
{
	const struct cli_value *id = cli_arg(p, "ROUTER-ID");
	if (p->negated) {
		bgp->has_router_id = false;
		bgp->router_id = 0;
		return true;
	}
	uint32_t value = ip_addr_v4(&id->addr);
	/* RFC 6286 §2.1: a non-zero 4-octet value; IOS also refuses the broadcast address. */
	if (value == 0 || value == UINT32_MAX)
		return apply_fail(r, p, id, "%% Invalid router-id %s", id->text);
	bgp->has_router_id = true;
	bgp->router_id = value;
	return true;
}

static bool apply_bgp_timers(struct config_bgp *bgp, const struct cli_parse *p,
                             struct config_apply_result *r)
{
	if (p->negated) {
		bgp->has_timers = false;
		bgp->keepalive = CONFIG_DEFAULT_KEEPALIVE;
		bgp->hold_time = CONFIG_DEFAULT_HOLD_TIME;
		return true;
	}
	const struct cli_value *keepalive = cli_arg(p, "KEEPALIVE");
	const struct cli_value *hold = cli_arg(p, "HOLD");
	if (!hold_time_valid(hold->number))
		return apply_fail(r, p, hold, "%% Hold time must be 0 or at least 3 seconds");
	bgp->has_timers = true;
	bgp->keepalive = (uint16_t)keepalive->number;
	bgp->hold_time = (uint16_t)hold->number;
	return true;
}

static bool apply_neighbor_remote_as(struct config_bgp *bgp, const struct cli_parse *p,
                                     struct config_apply_result *r)
{
	const struct cli_value *addr = cli_arg(p, "ADDR");
	struct config_bgp_neighbor *n = config_bgp_neighbor_find(bgp, &addr->addr);
	if (p->negated) {
		if (!n)
			return apply_fail(r, p, addr, "%s", msg_remote_as_first);
		config_bgp_neighbor_remove(bgp, &addr->addr);
		return true;
	}
	if (!n) {
		n = config_bgp_neighbor_add(bgp, &addr->addr);
		if (!n)
			return apply_fail(r, p, addr, "%% Too many neighbors (at most %u)",
			                  CONFIG_BGP_NEIGHBOR_MAX);
	}
	n->remote_as = cli_arg(p, "ASN")->number;
	return true;
}

static bool apply_neighbor_timers(struct config_bgp_neighbor *n, const struct cli_parse *p,
                                  struct config_apply_result *r)
{
	if (p->negated) {
		n->has_timers = false;
		n->keepalive = 0;
		n->hold_time = 0;
		return true;
	}
	const struct cli_value *hold = cli_arg(p, "HOLD");
	if (!hold_time_valid(hold->number))
		return apply_fail(r, p, hold, "%% Hold time must be 0 or at least 3 seconds");
	n->has_timers = true;
	n->keepalive = (uint16_t)cli_arg(p, "KEEPALIVE")->number;
	n->hold_time = (uint16_t)hold->number;
	return true;
}

static bool apply_neighbor_password(struct config_bgp_neighbor *n, const struct cli_parse *p,
                                    struct config_apply_result *r)
{
	const struct cli_value *password = cli_arg(p, "PASSWORD");
	if (p->negated) {
		n->password[0] = '\0';
		return true;
	}
	if (strlen(password->text) > CONFIG_PASSWORD_MAX)
		return apply_fail(r, p, password, "%% Password too long (at most %d characters)",
		                  CONFIG_PASSWORD_MAX);
	text_copy(n->password, sizeof(n->password), password->text);
	return true;
}

static void apply_neighbor_update_source(struct config_bgp_neighbor *n, const struct cli_parse *p)
{
	const struct cli_value *ifname = cli_arg(p, "IFNAME");
	const struct cli_value *source = cli_arg(p, "SOURCE");
	n->update_source_interface[0] = '\0';
	memset(&n->update_source_addr, 0, sizeof(n->update_source_addr));
	if (p->negated)
		return;
	if (ifname)
		text_copy(n->update_source_interface, sizeof(n->update_source_interface), ifname->text);
	else if (source)
		n->update_source_addr = source->addr;
}

static void apply_neighbor_shutdown(struct config_bgp_neighbor *n, const struct cli_parse *p)
{
	const struct cli_value *message = cli_arg(p, "MESSAGE");
	n->shutdown = !p->negated;
	text_copy(n->shutdown_message, sizeof(n->shutdown_message),
	          !p->negated && message ? message->text : "");
}

/* Neighbour settings other than remote-as: the neighbour must exist. */
static bool apply_neighbor_setting(struct config_bgp *bgp, const struct cli_parse *p,
                                   struct config_apply_result *r)
{
	const struct cli_value *addr = cli_arg(p, "ADDR");
	struct config_bgp_neighbor *n = config_bgp_neighbor_find(bgp, &addr->addr);
	if (!n)
		return apply_fail(r, p, addr, "%s", msg_remote_as_first);
	const struct cli_value *value;
	switch (p->cmd) {
	case CLI_CMD_NEIGHBOR:
		config_bgp_neighbor_remove(bgp, &addr->addr);
		return true;
	case CLI_CMD_NEIGHBOR_DESCRIPTION:
		value = cli_arg(p, "DESCRIPTION");
		text_copy(n->description, sizeof(n->description), !p->negated && value ? value->text : "");
		return true;
	case CLI_CMD_NEIGHBOR_UPDATE_SOURCE:
		apply_neighbor_update_source(n, p);
		return true;
	case CLI_CMD_NEIGHBOR_EBGP_MULTIHOP:
		value = cli_arg(p, "TTL");
		n->ebgp_multihop = !p->negated;
		n->ebgp_multihop_ttl = p->negated ? 0 : value ? (uint8_t)value->number : 255;
		return true;
	case CLI_CMD_NEIGHBOR_TIMERS:
		return apply_neighbor_timers(n, p, r);
	case CLI_CMD_NEIGHBOR_TIMERS_CONNECT:
		value = cli_arg(p, "CONNECT-RETRY");
		n->connect_retry = !p->negated && value ? (uint16_t)value->number : 0;
		return true;
	case CLI_CMD_NEIGHBOR_PASSWORD:
		return apply_neighbor_password(n, p, r);
	case CLI_CMD_NEIGHBOR_SHUTDOWN:
		apply_neighbor_shutdown(n, p);
		return true;
	case CLI_CMD_NEIGHBOR_PASSIVE:
		n->passive = !p->negated;
		return true;
	default:
		return apply_fail(r, p, NULL, "%% Not a neighbor command");
	}
}

static bool apply_router_bgp_mode(struct config *c, const struct cli_parse *p,
                                  struct config_apply_result *r)
{
	struct config_bgp *bgp = &c->bgp;
	if (!bgp->enabled)
		return apply_fail(r, p, NULL, "%% BGP is not running");
	switch (p->cmd) {
	case CLI_CMD_BGP_ROUTER_ID:
		return apply_bgp_router_id(bgp, p, r);
	case CLI_CMD_BGP_TIMERS:
		return apply_bgp_timers(bgp, p, r);
	case CLI_CMD_BGP_SYNCHRONIZATION:
		return apply_ignored(p, r, "Tern never synchronizes BGP with the IGP");
	case CLI_CMD_BGP_AUTO_SUMMARY:
		return apply_ignored(p, r, "Tern never summarizes to classful networks");
	case CLI_CMD_NEIGHBOR_REMOTE_AS:
		return apply_neighbor_remote_as(bgp, p, r);
	default:
		return apply_neighbor_setting(bgp, p, r);
	}
}

static bool apply_command(struct config *c, const struct cli_parse *p, struct config_apply_result *r)
{
	switch (p->cmd) {
	case CLI_CMD_EXIT:
	case CLI_CMD_END:
		return true;
	case CLI_CMD_HOSTNAME:
		return apply_hostname(c, p, r);
	case CLI_CMD_ROUTER_BGP:
		return apply_router_bgp(c, p, r);
	case CLI_CMD_ROUTER_OSPF:
	case CLI_CMD_ROUTER_RIP:
	case CLI_CMD_INTERFACE:
	case CLI_CMD_IF_IP_ADDRESS:
	case CLI_CMD_IF_SHUTDOWN:
	case CLI_CMD_IF_DESCRIPTION:
		return apply_not_supported(p, r);
	case CLI_CMD_IP_CLASSLESS:
		return apply_ignored(p, r, "Tern always forwards classless");
	case CLI_CMD_IP_SUBNET_ZERO:
		return apply_ignored(p, r, "subnet zero is always allowed");
	case CLI_CMD_LINE:
	case CLI_CMD_LINE_SETTING:
		return apply_ignored(p, r, "terminal lines are not managed by Tern");
	case CLI_CMD_BGP_ROUTER_ID:
	case CLI_CMD_BGP_TIMERS:
	case CLI_CMD_BGP_SYNCHRONIZATION:
	case CLI_CMD_BGP_AUTO_SUMMARY:
	case CLI_CMD_NEIGHBOR:
	case CLI_CMD_NEIGHBOR_REMOTE_AS:
	case CLI_CMD_NEIGHBOR_DESCRIPTION:
	case CLI_CMD_NEIGHBOR_UPDATE_SOURCE:
	case CLI_CMD_NEIGHBOR_EBGP_MULTIHOP:
	case CLI_CMD_NEIGHBOR_TIMERS:
	case CLI_CMD_NEIGHBOR_TIMERS_CONNECT:
	case CLI_CMD_NEIGHBOR_PASSWORD:
	case CLI_CMD_NEIGHBOR_SHUTDOWN:
	case CLI_CMD_NEIGHBOR_PASSIVE:
		return apply_router_bgp_mode(c, p, r);
	default:
		return apply_fail(r, p, NULL, "%% Not a configuration command");
	}
}

bool config_apply(struct config *c, const struct cli_parse *p, struct config_apply_result *r)
{
	memset(r, 0, sizeof(*r));
	r->mode = p->via_do ? p->next_mode : p->mode;
	if (p->status != CLI_OK)
		return apply_fail(r, p, NULL, "%s", p->message);
	if (p->via_do || !cli_mode_is_config(p->mode))
		return apply_fail(r, p, NULL, "%% Not a configuration command");
	if (!apply_command(c, p, r))
		return false;
	r->mode = p->next_mode;
	return true;
}

/* ---- diagnostics ---- */

void config_diag_format(const struct config_diag *d, struct strbuf *out)
{
	if (d->line)
		strbuf_printf(out, "%s:%u: %s\n", d->file, d->line, d->message);
	else
		strbuf_printf(out, "%s: %s\n", d->file, d->message);
	strbuf_printf(out, "  %s\n  %*s^", d->text, (int)d->column, "");
}

static void diag_set(struct config_diag *diag, const char *name, unsigned line, const char *text,
                     size_t column, const char *message)
{
	if (!diag)
		return;
	memset(diag, 0, sizeof(*diag));
	snprintf(diag->file, sizeof(diag->file), "%s", name ? name : "-");
	diag->line = line;
	diag->column = (unsigned)column;
	snprintf(diag->text, sizeof(diag->text), "%s", text);
	snprintf(diag->message, sizeof(diag->message), "%s", message);
}

/* ---- loading ---- */

struct loader {
	struct config *config;
	enum cli_mode mode;
	const char *name;
	unsigned line_number;
	struct config_diag *diag;
	struct strbuf *notes;
	struct cli_parse parse;      /* the line as read in the current mode */
	struct cli_parse fallback;   /* the line as read in global configuration mode */
};

/* Reads the line in the current mode; a line that mode does not know, but global mode does,
 * ends the block (IOS pasting). Of two failures the one that got further is reported. */
static const struct cli_parse *load_parse(struct loader *l, const char *line)
{
	cli_parse(l->mode, line, &l->parse);
	if (l->parse.status == CLI_OK || l->parse.status == CLI_EMPTY || l->mode == CLI_MODE_CONFIG)
		return &l->parse;
	cli_parse(CLI_MODE_CONFIG, line, &l->fallback);
	if (l->fallback.status == CLI_OK || l->fallback.column > l->parse.column)
		return &l->fallback;
	return &l->parse;
}

static bool load_line(struct loader *l, const char *line)
{
	const struct cli_parse *p = load_parse(l, line);
	if (p->status == CLI_EMPTY)
		return true;
	if (p->status != CLI_OK) {
		diag_set(l->diag, l->name, l->line_number, line, p->column, p->message);
		return false;
	}
	struct config_apply_result r;
	if (!config_apply(l->config, p, &r)) {
		diag_set(l->diag, l->name, l->line_number, line, r.column, r.message);
		return false;
	}
	if (r.message[0] && l->notes)
		strbuf_printf(l->notes, "%s:%u: %s\n", l->name, l->line_number, r.message);
	/* A file is configuration from start to end: `end` and `exit` do not leave it. */
	l->mode = cli_mode_is_config(r.mode) ? r.mode : CLI_MODE_CONFIG;
	return true;
}

bool config_load_text_notes(const char *text, const char *name, struct config *out,
                            struct config_diag *diag, struct strbuf *notes)
{
	config_init(out);
	struct loader *l = calloc(1, sizeof(*l));
	if (!l) {
		diag_set(diag, name, 0, "", 0, "% Out of memory");
		return false;
	}
	*l = (struct loader){ .config = out, .mode = CLI_MODE_CONFIG, .name = name ? name : "-",
	                      .diag = diag, .notes = notes };
	bool ok = true;
	char line[CLI_LINE_MAX + 2];
	for (const char *at = text ? text : ""; ok && *at;) {
		const char *end = strchr(at, '\n');
		size_t len = end ? (size_t)(end - at) : strlen(at);
		l->line_number++;
		/* One byte more than the grammar takes, so that an overlong line is refused. */
		snprintf(line, sizeof(line), "%.*s", (int)(len < sizeof(line) ? len : sizeof(line) - 1), at);
		ok = load_line(l, line);
		at += len + (end ? 1 : 0);
	}
	free(l);
	if (!ok)
		config_free(out);
	return ok;
}

bool config_load_text(const char *text, const char *name, struct config *out, struct config_diag *diag)
{
	return config_load_text_notes(text, name, out, diag, NULL);
}

static char *read_file(const char *path, char *error, size_t error_size)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(error, error_size, "%% Cannot open: %s", strerror(errno));
		return NULL;
	}
	char *text = malloc(CONFIG_FILE_MAX + 1);
	size_t len = text ? fread(text, 1, CONFIG_FILE_MAX + 1, f) : 0;
	bool failed = !text || ferror(f);
	fclose(f);
	if (failed || len > CONFIG_FILE_MAX || memchr(text, '\0', len)) {
		snprintf(error, error_size, "%s", failed ? "% Cannot read the file"
		         : len > CONFIG_FILE_MAX ? "% File too large" : "% File contains a NUL byte");
		free(text);
		return NULL;
	}
	text[len] = '\0';
	return text;
}

bool config_load_file(const char *path, struct config *out, struct config_diag *diag)
{
	char error[CONFIG_TEXT_MAX];
	char *text = read_file(path, error, sizeof(error));
	if (!text) {
		config_init(out);
		diag_set(diag, path, 0, "", 0, error);
		return false;
	}
	bool ok = config_load_text(text, path, out, diag);
	free(text);
	return ok;
}
