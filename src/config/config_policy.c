/*
 * DOC: policy commands: ip prefix-list, ip community-list, route-map and its clauses.
 *
 * The checks are IOS's: `ge` above the prefix length and `le` not below `ge` ("% Invalid
 * prefix range"), host bits cleared, `seq` numbered by fives when not typed, a route-map entry
 * sequence 10 when not typed (and the only entry, when the map has one). A route-map entry is
 * what (config-route-map)# configures; the session's config_context names it. Lists are kept
 * sorted by name, entries by sequence, so printing is canonical.
 */
#include "config/config_policy.h"
#include "config/config_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/memory.h"

__attribute__((format(printf, 4, 5)))
static bool fail(struct config_apply_result *r, const struct cli_parse *p, size_t column, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->message, sizeof(r->message), fmt, ap);
	va_end(ap);
	r->mode = p->mode;
	r->column = column;
	return false;
}

static void name_copy(char *dst, const char *src)
{
	size_t len = strnlen(src, POLICY_NAME_MAX - 1);
	memcpy(dst, src, len);
	dst[len] = '\0';
}

/* Lists of every kind start with their name: one sorted insert for all. */
static void *named_get(void **base, size_t *count, size_t size, const char *name, bool create)
{
	size_t low = 0, high = *count;
	while (low < high) {
		size_t mid = low + (high - low) / 2;
		int cmp = strcmp((char *)*base + mid * size, name);
		if (!cmp)
			return (char *)*base + mid * size;
		if (cmp < 0)
			low = mid + 1;
		else
			high = mid;
	}
	if (!create || *count >= POLICY_LISTS_MAX)
		return NULL;
	char *grown = memory_realloc(MEMORY_POLICY, *base, (*count + 1) * size);
	if (!grown)
		return NULL;
	memmove(grown + (low + 1) * size, grown + low * size, (*count - low) * size);
	memset(grown + low * size, 0, size);
	name_copy(grown + low * size, name);
	*base = grown;
	(*count)++;
	return grown + low * size;
}

static void named_remove(void **base, size_t *count, size_t size, void *item)
{
	size_t at = (size_t)((char *)item - (char *)*base) / size;
	memmove((char *)*base + at * size, (char *)*base + (at + 1) * size, (*count - at - 1) * size);
	if (--*count == 0) {
		memory_free(MEMORY_POLICY, *base);
		*base = NULL;
	}
}

/* Makes room for one entry at index at; NULL on allocation failure or past the cap. */
static void *entry_insert(void **entries, size_t *count, size_t size, size_t at)
{
	if (*count >= POLICY_ENTRIES_MAX)
		return NULL;
	char *grown = memory_realloc(MEMORY_POLICY, *entries, (*count + 1) * size);
	if (!grown)
		return NULL;
	memmove(grown + (at + 1) * size, grown + at * size, (*count - at) * size);
	memset(grown + at * size, 0, size);
	*entries = grown;
	(*count)++;
	return grown + at * size;
}

static void entry_remove(void **entries, size_t *count, size_t size, size_t at)
{
	memmove((char *)*entries + at * size, (char *)*entries + (at + 1) * size, (*count - at - 1) * size);
	if (--*count == 0) {
		memory_free(MEMORY_POLICY, *entries);
		*entries = NULL;
	}
}

/* ---- ip prefix-list ---- */

static void prefix_list_drop(struct policy_config *pc, struct policy_prefix_list *l)
{
	memory_free(MEMORY_POLICY, l->entries);
	named_remove((void **)&pc->prefix_lists, &pc->prefix_list_count, sizeof(*l), l);
}

static bool apply_prefix_list(struct policy_config *pc, const struct cli_parse *p, struct config_apply_result *r)
{
	const struct cli_value *name = cli_arg(p, "PL-NAME");
	const struct cli_value *seq = cli_arg(p, "PL-SEQ");
	const struct cli_value *prefix = cli_arg(p, "PREFIX");
	const struct cli_value *ge = cli_arg(p, "GE"), *le = cli_arg(p, "LE");
	struct policy_prefix_list *l = policy_prefix_list_find(pc, name->text);
	struct policy_prefix_entry e = { .permit = cli_has(p, "permit"), .family = AF_INET };
	if (prefix) {
		e.len = prefix->prefix_len;
		memcpy(e.addr, prefix->addr.bytes, 4);
		for (unsigned bit = e.len; bit < 32; bit++)
			e.addr[bit / 8] &= (uint8_t)~(0x80u >> (bit % 8));
		e.ge = ge ? (uint8_t)ge->number : 0;
		e.le = le ? (uint8_t)le->number : 0;
		if ((ge && e.ge <= e.len) || (le && e.le < e.len) || (ge && le && e.ge > e.le))
			return fail(r, p, (ge ? ge : le)->column,
				    "%% Invalid prefix range for %s, make sure: len < ge-value <= le-value",
				    prefix->text);
	}
	if (p->negated) {
		if (!l)
			return true;
		if (!prefix && !seq) {
			prefix_list_drop(pc, l); /* no ip prefix-list NAME: all of it */
			return true;
		}
		for (size_t i = 0; i < l->count; i++) {
			struct policy_prefix_entry *x = &l->entries[i];
			bool same = seq ? x->seq == seq->number
					: x->permit == e.permit && x->len == e.len && x->ge == e.ge && x->le == e.le &&
						  !memcmp(x->addr, e.addr, 4);
			if (!same)
				continue;
			entry_remove((void **)&l->entries, &l->count, sizeof(*x), i);
			if (!l->count)
				prefix_list_drop(pc, l);
			return true;
		}
		return true;
	}
	if (!l && !(l = named_get((void **)&pc->prefix_lists, &pc->prefix_list_count, sizeof(*l), name->text, true)))
		return fail(r, p, name->column, "%% Too many prefix lists (at most %u)", POLICY_LISTS_MAX);
	if (seq) {
		e.seq = seq->number;
	} else {
		/* IOS: an entry typed again without seq is already there; a new one goes 5 after
		 * the last */
		for (size_t i = 0; i < l->count; i++) {
			const struct policy_prefix_entry *x = &l->entries[i];
			if (x->permit == e.permit && x->len == e.len && x->ge == e.ge && x->le == e.le &&
			    !memcmp(x->addr, e.addr, 4))
				return true;
		}
		uint64_t next = l->count ? (uint64_t)l->entries[l->count - 1].seq + 5 : 5;
		if (next > POLICY_SEQ_MAX)
			return fail(r, p, name->column, "%% Sequence number overflow: give seq");
		e.seq = (uint32_t)next;
	}
	size_t at = 0;
	while (at < l->count && l->entries[at].seq < e.seq)
		at++;
	if (at < l->count && l->entries[at].seq == e.seq) {
		l->entries[at] = e; /* the same seq again replaces it */
		return true;
	}
	struct policy_prefix_entry *slot = entry_insert((void **)&l->entries, &l->count, sizeof(e), at);
	if (!slot) {
		if (!l->count)
			prefix_list_drop(pc, l);
		return fail(r, p, name->column, "%% Too many entries (at most %u)", POLICY_ENTRIES_MAX);
	}
	*slot = e;
	return true;
}

/* ---- communities in a LINE: words, each checked, caret on the bad one ---- */

struct words {
	size_t count;
	const char *word[POLICY_COMMUNITIES_MAX + 2];
	size_t column[POLICY_COMMUNITIES_MAX + 2];
	char buf[CLI_VALUE_MAX];
};

/* Splits v's text into words; false (with the caret on the first extra one) when too many. */
static bool split_words(const struct cli_value *v, struct words *w, size_t max, size_t *bad_column)
{
	memcpy(w->buf, v->text, sizeof(w->buf));
	w->count = 0;
	for (char *at = w->buf; *at;) {
		while (*at == ' ' || *at == '\t')
			*at++ = '\0';
		if (!*at)
			break;
		if (w->count == max) {
			*bad_column = v->column + (size_t)(at - w->buf);
			return false;
		}
		w->word[w->count] = at;
		w->column[w->count++] = v->column + (size_t)(at - w->buf);
		while (*at && *at != ' ' && *at != '\t')
			at++;
	}
	return true;
}

static bool parse_communities(const struct cli_parse *p, const struct cli_value *v, bool allow_flags,
			      uint32_t *out, uint8_t *count, unsigned *flags, struct config_apply_result *r)
{
	struct words w;
	size_t bad;
	if (!split_words(v, &w, POLICY_COMMUNITIES_MAX + 1, &bad))
		return fail(r, p, bad, "%% At most %u communities", POLICY_COMMUNITIES_MAX);
	*count = 0;
	for (size_t i = 0; i < w.count; i++) {
		if (allow_flags && !strcmp(w.word[i], "none") && w.count == 1) {
			*flags |= POLICY_SET_COMMUNITY_NONE;
			return true;
		}
		if (allow_flags && !strcmp(w.word[i], "additive") && i == w.count - 1 && i > 0) {
			*flags |= POLICY_SET_COMMUNITY_ADDITIVE;
			break;
		}
		if (*count == POLICY_COMMUNITIES_MAX)
			return fail(r, p, w.column[i], "%% At most %u communities", POLICY_COMMUNITIES_MAX);
		if (!policy_community_parse(w.word[i], &out[*count]))
			return fail(r, p, w.column[i], "%% Invalid input detected at '^' marker.");
		(*count)++;
	}
	*flags |= POLICY_SET_COMMUNITY;
	return true;
}

/* ---- ip community-list ---- */

static bool apply_community_list(struct policy_config *pc, const struct cli_parse *p,
				 struct config_apply_result *r)
{
	const struct cli_value *name = cli_arg(p, "CL-NAME");
	if (!name)
		name = cli_arg(p, "CL-NUMBER");
	const struct cli_value *values = cli_arg(p, "COMMUNITY-VALUES");
	struct policy_community_list *l = policy_community_list_find(pc, name->text);
	struct policy_community_entry e = { .permit = cli_has(p, "permit") };
	unsigned flags = 0;
	if (values && !parse_communities(p, values, false, e.communities, &e.count, &flags, r))
		return false;
	if (p->negated) {
		if (!l)
			return true;
		for (size_t i = 0; values && i < l->count; i++) {
			const struct policy_community_entry *x = &l->entries[i];
			if (x->permit != e.permit || x->count != e.count ||
			    memcmp(x->communities, e.communities, e.count * sizeof(e.communities[0])))
				continue;
			entry_remove((void **)&l->entries, &l->count, sizeof(e), i);
			break;
		}
		if (!values || !l->count) {
			memory_free(MEMORY_POLICY, l->entries);
			named_remove((void **)&pc->community_lists, &pc->community_list_count, sizeof(*l), l);
		}
		return true;
	}
	if (!l && !(l = named_get((void **)&pc->community_lists, &pc->community_list_count, sizeof(*l), name->text,
				  true)))
		return fail(r, p, name->column, "%% Too many community lists (at most %u)", POLICY_LISTS_MAX);
	for (size_t i = 0; i < l->count; i++)
		if (l->entries[i].permit == e.permit && l->entries[i].count == e.count &&
		    !memcmp(l->entries[i].communities, e.communities, e.count * sizeof(e.communities[0])))
			return true; /* already there */
	struct policy_community_entry *slot = entry_insert((void **)&l->entries, &l->count, sizeof(e), l->count);
	if (!slot)
		return fail(r, p, name->column, "%% Too many entries (at most %u)", POLICY_ENTRIES_MAX);
	*slot = e;
	return true;
}

/* ---- route-map ---- */

static void route_map_drop(struct policy_config *pc, struct policy_route_map *m)
{
	memory_free(MEMORY_POLICY, m->entries);
	named_remove((void **)&pc->route_maps, &pc->route_map_count, sizeof(*m), m);
}

static bool apply_route_map(struct policy_config *pc, const struct cli_parse *p, struct config_context *ctx,
			    struct config_apply_result *r)
{
	const struct cli_value *name = cli_arg(p, "RM-NAME");
	const struct cli_value *seq = cli_arg(p, "RM-SEQ");
	bool has_action = cli_has(p, "permit") || cli_has(p, "deny");
	bool permit = !cli_has(p, "deny");
	struct policy_route_map *m = policy_route_map_find(pc, name->text);
	if (p->negated) {
		if (!m)
			return seq ? fail(r, p, name->column, "%% Could not find route-map %s", name->text) : true;
		if (!seq) {
			route_map_drop(pc, m); /* no route-map NAME: every entry */
			return true;
		}
		for (size_t i = 0; i < m->count; i++) {
			if (m->entries[i].seq != seq->number)
				continue;
			entry_remove((void **)&m->entries, &m->count, sizeof(m->entries[0]), i);
			if (!m->count)
				route_map_drop(pc, m);
			return true;
		}
		return fail(r, p, seq->column, "%% Could not find route-map entry %s %u", name->text, seq->number);
	}
	uint32_t number = seq ? seq->number : 10;
	if (!seq && m && m->count == 1)
		number = m->entries[0].seq; /* the only entry */
	else if (!seq && m && m->count > 1)
		return fail(r, p, name->column, "%% Please specify the entry by its sequence");
	if (!m && !(m = named_get((void **)&pc->route_maps, &pc->route_map_count, sizeof(*m), name->text, true)))
		return fail(r, p, name->column, "%% Too many route-maps (at most %u)", POLICY_LISTS_MAX);
	size_t at = 0;
	while (at < m->count && m->entries[at].seq < number)
		at++;
	struct policy_route_map_entry *e = at < m->count && m->entries[at].seq == number ? &m->entries[at] : NULL;
	if (!e) {
		e = entry_insert((void **)&m->entries, &m->count, sizeof(*e), at);
		if (!e) {
			if (!m->count)
				route_map_drop(pc, m);
			return fail(r, p, name->column, "%% Too many entries (at most %u)", POLICY_ENTRIES_MAX);
		}
		e->seq = number;
		e->permit = permit;
	} else if (has_action) {
		e->permit = permit;
	}
	if (ctx) {
		name_copy(ctx->route_map, name->text);
		ctx->route_map_seq = number;
	}
	return true;
}

static bool parse_prepend(const struct cli_parse *p, const struct cli_value *v, struct policy_route_map_entry *e,
			  struct config_apply_result *r)
{
	struct words w;
	size_t bad;
	if (!split_words(v, &w, POLICY_PREPEND_MAX, &bad))
		return fail(r, p, bad, "%% At most %u AS numbers", POLICY_PREPEND_MAX);
	for (size_t i = 0; i < w.count; i++) {
		char *end;
		unsigned long long asn = strtoull(w.word[i], &end, 10);
		if (*end == '.') { /* asdot HIGH.LOW */
			unsigned long long low = strtoull(end + 1, &end, 10);
			asn = asn <= 65535 && low <= 65535 ? asn << 16 | low : 0;
		}
		if (*end || asn == 0 || asn > UINT32_MAX || w.word[i][0] < '0' || w.word[i][0] > '9')
			return fail(r, p, w.column[i], "%% Invalid input detected at '^' marker.");
		e->prepend[i] = (uint32_t)asn;
	}
	e->prepend_count = (uint8_t)w.count;
	return true;
}

/* A (config-route-map)# command on the session's entry. */
static bool apply_route_map_entry(struct policy_config *pc, const struct cli_parse *p,
				  const struct config_context *ctx, struct config_apply_result *r)
{
	struct policy_route_map *m = ctx && ctx->route_map[0] ? policy_route_map_find(pc, ctx->route_map) : NULL;
	struct policy_route_map_entry *e = NULL;
	for (size_t i = 0; m && i < m->count; i++)
		if (m->entries[i].seq == ctx->route_map_seq)
			e = &m->entries[i];
	if (!e)
		return fail(r, p, 0, "%% No route-map entry selected (it was removed?)");
	struct policy_route_map_entry copy = *e;
	const struct cli_value *v;
	switch (p->cmd) {
	case CLI_CMD_RM_MATCH_PREFIX_LIST:
		v = cli_arg(p, "PL-NAME");
		name_copy(copy.match_prefix_list, !p->negated && v ? v->text : "");
		break;
	case CLI_CMD_RM_MATCH_COMMUNITY:
		v = cli_arg(p, "CL-NAME");
		name_copy(copy.match_community, !p->negated && v ? v->text : "");
		break;
	case CLI_CMD_RM_SET_LOCAL_PREF:
		copy.set &= ~(unsigned)POLICY_SET_LOCAL_PREF;
		copy.local_pref = 0;
		if (!p->negated) {
			copy.set |= POLICY_SET_LOCAL_PREF;
			copy.local_pref = cli_arg(p, "LOCAL-PREF")->number;
		}
		break;
	case CLI_CMD_RM_SET_METRIC:
		copy.set &= ~(unsigned)POLICY_SET_METRIC;
		copy.metric = 0;
		if (!p->negated) {
			copy.set |= POLICY_SET_METRIC;
			copy.metric = cli_arg(p, "MED")->number;
		}
		break;
	case CLI_CMD_RM_SET_COMMUNITY:
		copy.set &= ~(unsigned)(POLICY_SET_COMMUNITY | POLICY_SET_COMMUNITY_ADDITIVE | POLICY_SET_COMMUNITY_NONE);
		copy.community_count = 0;
		memset(copy.communities, 0, sizeof(copy.communities));
		if (!p->negated &&
		    !parse_communities(p, cli_arg(p, "COMMUNITIES"), true, copy.communities, &copy.community_count,
				       &copy.set, r))
			return false;
		break;
	case CLI_CMD_RM_SET_PREPEND:
		copy.set &= ~(unsigned)POLICY_SET_PREPEND;
		copy.prepend_count = 0;
		memset(copy.prepend, 0, sizeof(copy.prepend));
		if (!p->negated) {
			if (!parse_prepend(p, cli_arg(p, "ASNS"), &copy, r))
				return false;
			copy.set |= POLICY_SET_PREPEND;
		}
		break;
	default:
		return fail(r, p, 0, "%% Not a route-map command");
	}
	*e = copy;
	return true;
}

bool config_policy_apply(struct policy_config *policy, const struct cli_parse *p, struct config_context *ctx,
			 struct config_apply_result *r)
{
	switch (p->cmd) {
	case CLI_CMD_IP_PREFIX_LIST:
		return apply_prefix_list(policy, p, r);
	case CLI_CMD_IP_COMMUNITY_LIST:
		return apply_community_list(policy, p, r);
	case CLI_CMD_ROUTE_MAP:
		return apply_route_map(policy, p, ctx, r);
	default:
		return apply_route_map_entry(policy, p, ctx, r);
	}
}

void config_policy_neighbor(struct config_bgp_neighbor *n, const struct cli_parse *p)
{
	bool route_map = p->cmd == CLI_CMD_NEIGHBOR_ROUTE_MAP, in = cli_has(p, "in");
	const struct cli_value *name = cli_arg(p, route_map ? "RM-NAME" : "PL-NAME");
	char *field = route_map ? (in ? n->route_map_in : n->route_map_out)
				: (in ? n->prefix_list_in : n->prefix_list_out);
	name_copy(field, !p->negated && name ? name->text : "");
}

/* ---- the policy section ---- */

static bool policy_apply(struct config *c, const struct cli_parse *p, struct config_apply_state *s)
{
	return config_policy_apply(&c->policy, p, s->ctx, s->r);
}

static bool community_list_equal(const struct config *a, const struct config *b)
{
	return policy_community_lists_equal(&a->policy, &b->policy);
}

static void community_list_print(const struct config *c, struct strbuf *out)
{
	policy_print_community_lists(&c->policy, out);
}

static bool prefix_list_equal(const struct config *a, const struct config *b)
{
	return policy_prefix_lists_equal(&a->policy, &b->policy);
}

static void prefix_list_print(const struct config *c, struct strbuf *out)
{
	policy_print_prefix_lists(&c->policy, out);
}

static bool route_map_equal(const struct config *a, const struct config *b)
{
	return policy_route_maps_equal(&a->policy, &b->policy);
}

static void route_map_print(const struct config *c, struct strbuf *out)
{
	policy_print_route_maps(&c->policy, out);
}

#define POLICY_SETTING(cmd, text, name) \
	CONFIG_SETTING(cmd, text, policy_apply, name##_print, name##_equal, CONFIG_EFFECT_REFRESH)

/* The lists print in this order (community-lists, prefix-lists, route-maps, as IOS). A change
 * of a list in use judges the routes again: BGP sends what the new policy lets out and asks
 * its peers for their routes again (bgp/policy_change.c); no session resets. The route-map
 * entry commands change the route-map row's lists. */
static const struct config_command policy_commands[] = {
	POLICY_SETTING(CLI_CMD_IP_COMMUNITY_LIST, "ip community-list", community_list),
	POLICY_SETTING(CLI_CMD_IP_PREFIX_LIST, "ip prefix-list", prefix_list),
	POLICY_SETTING(CLI_CMD_ROUTE_MAP, "route-map", route_map),
	CONFIG_APPLY(CLI_CMD_RM_MATCH_PREFIX_LIST, policy_apply),
	CONFIG_APPLY(CLI_CMD_RM_MATCH_COMMUNITY, policy_apply),
	CONFIG_APPLY(CLI_CMD_RM_SET_LOCAL_PREF, policy_apply),
	CONFIG_APPLY(CLI_CMD_RM_SET_METRIC, policy_apply),
	CONFIG_APPLY(CLI_CMD_RM_SET_COMMUNITY, policy_apply),
	CONFIG_APPLY(CLI_CMD_RM_SET_PREPEND, policy_apply),
};
#define POLICY_COMMAND_COUNT (sizeof(policy_commands) / sizeof(policy_commands[0]))

static void policy_section_print(const struct config *c, struct strbuf *out)
{
	config_rows_print(policy_commands, POLICY_COMMAND_COUNT, c, out);
}

const struct config_section_ops config_policy_section = {
	.section = CONFIG_SECTION_POLICY,
	.name = "policy",
	.commands = policy_commands,
	.command_count = POLICY_COMMAND_COUNT,
	.print = policy_section_print,
};
