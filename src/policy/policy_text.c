/*
 * DOC: policy as text: communities, the configuration lines, show ip prefix-list and show
 * route-map (IOS layout, and json).
 *
 *   Router# show ip prefix-list
 *   ip prefix-list CUSTOMERS: 2 entries
 *      seq 5 permit 10.0.0.0/8 le 24
 *      seq 10 deny 0.0.0.0/0 le 32
 *
 *   Router# show route-map
 *   route-map PREFER, permit, sequence 10
 *     Match clauses:
 *       ip address prefix-lists: CUSTOMERS
 *     Set clauses:
 *       local-preference 200
 */
#include "policy/policy.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "lib/addr.h"
#include "lib/json_writer.h"

static const struct {
	const char *name;
	uint32_t value;
} well_known[] = {
	{ "internet", 0 },
	{ "no-export", POLICY_COMMUNITY_NO_EXPORT },
	{ "no-advertise", POLICY_COMMUNITY_NO_ADVERTISE },
	{ "local-AS", POLICY_COMMUNITY_LOCAL_AS },
};

static bool parse_number(const char *s, size_t len, uint32_t max, uint32_t *out)
{
	if (!len || len > 10)
		return false;
	uint64_t v = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > max)
		return false;
	*out = (uint32_t)v;
	return true;
}

bool policy_community_parse(const char *text, uint32_t *out)
{
	for (size_t i = 0; i < sizeof(well_known) / sizeof(well_known[0]); i++)
		if (!strcasecmp(text, well_known[i].name)) {
			*out = well_known[i].value;
			return true;
		}
	const char *colon = strchr(text, ':');
	if (!colon)
		return parse_number(text, strlen(text), UINT32_MAX, out);
	uint32_t high, low;
	if (!parse_number(text, (size_t)(colon - text), 65535, &high) ||
	    !parse_number(colon + 1, strlen(colon + 1), 65535, &low))
		return false;
	*out = high << 16 | low;
	return true;
}

const char *policy_community_format(uint32_t community, char *buf, size_t size)
{
	for (size_t i = 1; i < sizeof(well_known) / sizeof(well_known[0]); i++)
		if (well_known[i].value == community) {
			snprintf(buf, size, "%s", well_known[i].name);
			return buf;
		}
	snprintf(buf, size, "%u:%u", community >> 16, community & 0xFFFFu);
	return buf;
}

static const char *prefix_text(const struct policy_prefix_entry *e, char *buf, size_t size)
{
	struct ip_addr a = { .family = e->family };
	memcpy(a.bytes, e->addr, e->family == AF_INET6 ? 16 : 4);
	char addr[IP_ADDR_STRLEN];
	snprintf(buf, size, "%s/%u", ip_addr_format(&a, addr), e->len);
	return buf;
}

/* "permit 10.0.0.0/8 ge 16 le 24" */
static void print_prefix_entry(const struct policy_prefix_entry *e, struct strbuf *out)
{
	char prefix[IP_ADDR_STRLEN + 8];
	strbuf_printf(out, "%s %s", e->permit ? "permit" : "deny", prefix_text(e, prefix, sizeof(prefix)));
	if (e->ge)
		strbuf_printf(out, " ge %u", e->ge);
	if (e->le)
		strbuf_printf(out, " le %u", e->le);
}

void policy_print_prefix_lists(const struct policy_config *p, struct strbuf *out)
{
	for (size_t i = 0; i < p->prefix_list_count; i++) {
		const struct policy_prefix_list *l = &p->prefix_lists[i];
		for (size_t k = 0; k < l->count; k++) {
			strbuf_printf(out, "ip prefix-list %s seq %u ", l->name, l->entries[k].seq);
			print_prefix_entry(&l->entries[k], out);
			strbuf_append(out, "\n");
		}
	}
	if (p->prefix_list_count)
		strbuf_append(out, "!\n");
}

static void print_communities(const uint32_t *c, unsigned count, struct strbuf *out)
{
	char buf[24];
	for (unsigned i = 0; i < count; i++)
		strbuf_printf(out, " %s", policy_community_format(c[i], buf, sizeof(buf)));
}

/* A list named by a number 1-99 is a standard list in IOS's old form. */
static bool numbered(const char *name)
{
	uint32_t v;
	return parse_number(name, strlen(name), 99, &v) && v >= 1;
}

void policy_print_community_lists(const struct policy_config *p, struct strbuf *out)
{
	for (size_t i = 0; i < p->community_list_count; i++) {
		const struct policy_community_list *l = &p->community_lists[i];
		for (size_t k = 0; k < l->count; k++) {
			const struct policy_community_entry *e = &l->entries[k];
			strbuf_printf(out, "ip community-list %s%s %s", numbered(l->name) ? "" : "standard ", l->name,
				      e->permit ? "permit" : "deny");
			print_communities(e->communities, e->count, out);
			strbuf_append(out, "\n");
		}
	}
	if (p->community_list_count)
		strbuf_append(out, "!\n");
}

static void print_set_community(const struct policy_route_map_entry *e, struct strbuf *out)
{
	if (e->set & POLICY_SET_COMMUNITY_NONE) {
		strbuf_append(out, " none");
		return;
	}
	print_communities(e->communities, e->community_count, out);
	if (e->set & POLICY_SET_COMMUNITY_ADDITIVE)
		strbuf_append(out, " additive");
}

static void print_prepend(const struct policy_route_map_entry *e, struct strbuf *out)
{
	for (unsigned i = 0; i < e->prepend_count; i++)
		strbuf_printf(out, " %u", e->prepend[i]);
}

void policy_print_route_maps(const struct policy_config *p, struct strbuf *out)
{
	for (size_t i = 0; i < p->route_map_count; i++) {
		const struct policy_route_map *m = &p->route_maps[i];
		for (size_t k = 0; k < m->count; k++) {
			const struct policy_route_map_entry *e = &m->entries[k];
			strbuf_printf(out, "route-map %s %s %u\n", m->name, e->permit ? "permit" : "deny", e->seq);
			if (e->match_prefix_list[0])
				strbuf_printf(out, " match ip address prefix-list %s\n", e->match_prefix_list);
			if (e->match_community[0])
				strbuf_printf(out, " match community %s\n", e->match_community);
			if (e->set & POLICY_SET_METRIC)
				strbuf_printf(out, " set metric %u\n", e->metric);
			if (e->set & POLICY_SET_LOCAL_PREF)
				strbuf_printf(out, " set local-preference %u\n", e->local_pref);
			if (e->set & (POLICY_SET_COMMUNITY | POLICY_SET_COMMUNITY_NONE)) {
				strbuf_append(out, " set community");
				print_set_community(e, out);
				strbuf_append(out, "\n");
			}
			if (e->set & POLICY_SET_PREPEND) {
				strbuf_append(out, " set as-path prepend");
				print_prepend(e, out);
				strbuf_append(out, "\n");
			}
			strbuf_append(out, "!\n");
		}
	}
}

/* ---- show ---- */

static void prefix_list_text(const struct policy_prefix_list *l, struct strbuf *out)
{
	strbuf_printf(out, "ip prefix-list %s: %zu entries\n", l->name, l->count);
	for (size_t k = 0; k < l->count; k++) {
		strbuf_printf(out, "   seq %u ", l->entries[k].seq);
		print_prefix_entry(&l->entries[k], out);
		strbuf_append(out, "\n");
	}
}

static void prefix_list_json(const struct policy_prefix_list *l, struct json_writer *w)
{
	json_member_object_begin(w, l->name);
	json_member_array_begin(w, "entries");
	for (size_t k = 0; k < l->count; k++) {
		const struct policy_prefix_entry *e = &l->entries[k];
		char prefix[IP_ADDR_STRLEN + 8];
		json_object_begin(w);
		json_member_uint(w, "seq", e->seq);
		json_member_string(w, "action", e->permit ? "permit" : "deny");
		json_member_string(w, "prefix", prefix_text(e, prefix, sizeof(prefix)));
		if (e->ge)
			json_member_uint(w, "ge", e->ge);
		if (e->le)
			json_member_uint(w, "le", e->le);
		json_object_end(w);
	}
	json_array_end(w);
	json_object_end(w);
}

bool policy_show_prefix_lists(const struct policy_config *p, const char *name, bool json, struct strbuf *out)
{
	const struct policy_prefix_list *only = name ? policy_prefix_list_find(p, name) : NULL;
	if (name && !only)
		return false;
	struct json_writer w;
	json_writer_init(&w, out);
	if (json)
		json_object_begin(&w);
	for (size_t i = 0; i < p->prefix_list_count; i++) {
		if (only && &p->prefix_lists[i] != only)
			continue;
		if (json)
			prefix_list_json(&p->prefix_lists[i], &w);
		else
			prefix_list_text(&p->prefix_lists[i], out);
	}
	if (json)
		json_object_end(&w);
	return true;
}

static void show_entry_text(const struct policy_config *p, const struct policy_route_map *m,
			    const struct policy_route_map_entry *e, struct strbuf *out)
{
	strbuf_printf(out, "route-map %s, %s, sequence %u\n", m->name, e->permit ? "permit" : "deny", e->seq);
	strbuf_append(out, "  Match clauses:\n");
	if (e->match_prefix_list[0])
		strbuf_printf(out, "    ip address prefix-lists: %s%s\n", e->match_prefix_list,
			      policy_prefix_list_find(p, e->match_prefix_list) ? "" : " (not defined: matches all)");
	if (e->match_community[0])
		strbuf_printf(out, "    community (community-list filter): %s%s\n", e->match_community,
			      policy_community_list_find(p, e->match_community) ? "" : " (not defined: matches all)");
	strbuf_append(out, "  Set clauses:\n");
	if (e->set & POLICY_SET_METRIC)
		strbuf_printf(out, "    metric %u\n", e->metric);
	if (e->set & POLICY_SET_LOCAL_PREF)
		strbuf_printf(out, "    local-preference %u\n", e->local_pref);
	if (e->set & (POLICY_SET_COMMUNITY | POLICY_SET_COMMUNITY_NONE)) {
		strbuf_append(out, "    community");
		print_set_community(e, out);
		strbuf_append(out, "\n");
	}
	if (e->set & POLICY_SET_PREPEND) {
		strbuf_append(out, "    as-path prepend");
		print_prepend(e, out);
		strbuf_append(out, "\n");
	}
}

static void show_entry_json(const struct policy_route_map_entry *e, struct json_writer *w)
{
	char buf[24];
	json_object_begin(w);
	json_member_uint(w, "sequence", e->seq);
	json_member_string(w, "action", e->permit ? "permit" : "deny");
	json_member_object_begin(w, "match");
	if (e->match_prefix_list[0])
		json_member_string(w, "prefixList", e->match_prefix_list);
	if (e->match_community[0])
		json_member_string(w, "communityList", e->match_community);
	json_object_end(w);
	json_member_object_begin(w, "set");
	if (e->set & POLICY_SET_METRIC)
		json_member_uint(w, "metric", e->metric);
	if (e->set & POLICY_SET_LOCAL_PREF)
		json_member_uint(w, "localPreference", e->local_pref);
	if (e->set & (POLICY_SET_COMMUNITY | POLICY_SET_COMMUNITY_NONE)) {
		json_member_array_begin(w, "community");
		for (unsigned i = 0; i < e->community_count; i++)
			json_string(w, policy_community_format(e->communities[i], buf, sizeof(buf)));
		json_array_end(w);
		json_member_bool(w, "communityAdditive", e->set & POLICY_SET_COMMUNITY_ADDITIVE);
	}
	if (e->set & POLICY_SET_PREPEND) {
		json_member_array_begin(w, "asPathPrepend");
		for (unsigned i = 0; i < e->prepend_count; i++)
			json_uint(w, e->prepend[i]);
		json_array_end(w);
	}
	json_object_end(w);
	json_object_end(w);
}

bool policy_show_route_maps(const struct policy_config *p, const char *name, bool json, struct strbuf *out)
{
	const struct policy_route_map *only = name ? policy_route_map_find(p, name) : NULL;
	if (name && !only)
		return false;
	struct json_writer w;
	json_writer_init(&w, out);
	if (json)
		json_object_begin(&w);
	for (size_t i = 0; i < p->route_map_count; i++) {
		const struct policy_route_map *m = &p->route_maps[i];
		if (only && m != only)
			continue;
		if (!json) {
			for (size_t k = 0; k < m->count; k++)
				show_entry_text(p, m, &m->entries[k], out);
			continue;
		}
		json_member_object_begin(&w, m->name);
		json_member_array_begin(&w, "entries");
		for (size_t k = 0; k < m->count; k++)
			show_entry_json(&m->entries[k], &w);
		json_array_end(&w);
		json_object_end(&w);
	}
	if (json)
		json_object_end(&w);
	return true;
}
