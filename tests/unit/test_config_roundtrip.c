/*
 * DOC: the round trip of every configuration command, generated from the command table.
 *
 * For every row of cli_commands[] valid in a configuration mode, a line is built from the
 * row's syntax: keywords as written, each argument a sample derived from its type (a number
 * inside the type's range, an address of the type's kind, a word, a line), with a few
 * samples fixed where the command itself relates its arguments (a mask, timers that must
 * grow, ge/le). The line is typed after a preamble that enters the row's mode (router bgp
 * with a neighbour, interface, route-map entry, ...), and then:
 *   - the grammar must read it as the row's command;
 *   - the configuration must accept it (or refuse it as "% Not yet supported"), and either
 *     note that it ignores it (then the configuration is unchanged) or change the
 *     configuration (a command whose apply or compare is missing fails here);
 *   - printing that configuration and loading the print must give an equal configuration
 *     and the same print (a command whose print or parse is missing fails here);
 *   - for a row with a `no` form, the same after the `no` line;
 *   - every change is known by name: comparing setting by setting names the row's setting
 *     (config_section_change), with what it needs (a row missing its descriptor fails here).
 * A new command needs no change here; a new argument type gets its sample from its kind.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "config_test_print.h"

/* Samples that the command relates to its other arguments, or that a kind cannot give. */
static const struct {
	const char *type;
	const char *sample;
} fixed_samples[] = {
	{ "ADDR", "10.0.0.2" },            /* the neighbour of the router bgp preamble */
	{ "MASK", "255.255.255.0" },
	{ "WILDCARD", "0.0.0.255" },
	{ "NETWORK", "192.168.1.0" },      /* a class C network: classful and masked forms agree */
	{ "UPDATE", "10" },                /* timers basic: invalid >= update, flush > invalid */
	{ "INVALID", "60" },
	{ "HOLDDOWN", "60" },
	{ "FLUSH", "120" },
	{ "GE", "16" },                    /* ge above the prefix length, le not below ge */
	{ "LE", "24" },
	{ "COMMUNITY-VALUES", "65000:1" },
	{ "COMMUNITIES", "65000:1 65000:2" },
	{ "ASNS", "65000 65000" },
};

/* The preamble that enters a mode, and the neighbour ADDR names. */
static const char *preamble(enum cli_mode mode)
{
	switch (mode) {
	case CLI_MODE_CONFIG:
		return "";
	case CLI_MODE_CONFIG_ROUTER_BGP:
		return "router bgp 65001\n neighbor 10.0.0.2 remote-as 65001\n";
	case CLI_MODE_CONFIG_ROUTER_RIP:
		return "router rip\n";
	case CLI_MODE_CONFIG_ROUTER_OSPF:
		return "router ospf 1\n";
	case CLI_MODE_CONFIG_INTERFACE:
		return "interface FastEthernet0/0\n";
	case CLI_MODE_CONFIG_LINE:
		return "line vty 0 4\n";
	case CLI_MODE_CONFIG_ROUTE_MAP:
		return "route-map RM permit 10\n";
	default:
		return NULL;
	}
}

/* A sample for an argument, from its type: false if the kind gives none. */
static bool sample_of(const struct cli_type *t, char *buf, size_t size)
{
	for (size_t i = 0; i < sizeof(fixed_samples) / sizeof(fixed_samples[0]); i++) {
		if (strcmp(fixed_samples[i].type, t->name) == 0) {
			snprintf(buf, size, "%s", fixed_samples[i].sample);
			return true;
		}
	}
	switch (t->kind) {
	case CLI_NUMBER: {
		/* inside the range and off its ends, where defaults usually are */
		uint64_t v = (uint64_t)t->min + 5 <= t->max ? (uint64_t)t->min + 5 : t->max;
		snprintf(buf, size, "%llu", (unsigned long long)v);
		return true;
	}
	case CLI_ASN:
		snprintf(buf, size, "65002");
		return true;
	case CLI_IP:
	case CLI_IPV4:
		snprintf(buf, size, "10.0.0.5");
		return true;
	case CLI_IPV6:
		snprintf(buf, size, "2001:db8::5");
		return true;
	case CLI_IPV4_PREFIX:
		snprintf(buf, size, "10.0.0.0/8");
		return true;
	case CLI_IPV6_PREFIX:
		snprintf(buf, size, "2001:db8::5/64");
		return true;
	case CLI_WORD:
		snprintf(buf, size, "%.*s", (int)(t->max < 7 ? t->max : 7), "sample1");
		return true;
	case CLI_IFNAME:
		snprintf(buf, size, "FastEthernet0/1");
		return true;
	case CLI_LINE:
		snprintf(buf, size, "sample text");
		return true;
	default:
		return false;
	}
}

/* Loads text; on failure fills message and returns false. notes collects ignored lines. */
static bool load(const char *text, struct config *c, char *message, size_t size, struct strbuf *notes)
{
	struct config_diag diag;
	if (config_load_text_notes(text, "roundtrip.conf", c, &diag, notes))
		return true;
	snprintf(message, size, "line %u: %.200s [%.200s]", diag.line, diag.message, diag.text);
	return false;
}

static void assert_round_trip(const struct config *a, const char *what)
{
	char *first = printed(a);
	struct config b;
	char message[600];
	if (!load(first, &b, message, sizeof(message), NULL))
		fail_msg("%s: the print does not load again: %s\n%s", what, message, first);
	if (!config_equal(a, &b))
		fail_msg("%s: not equal after print and parse:\n%s", what, first);
	char *second = printed(&b);
	if (strcmp(first, second) != 0)
		fail_msg("%s: printed differently the second time:\n%s---\n%s", what, first, second);
	free(first);
	free(second);
	config_free(&b);
}

/* The row's line: keywords as written, arguments as samples. */
static void row_line(const struct cli_command *row, bool negated, char *line, size_t size)
{
	size_t used = (size_t)snprintf(line, size, "%s", negated ? "no" : "");
	for (size_t i = 0; i < CLI_SYNTAX_MAX && row->syntax[i]; i++) {
		const struct cli_type *t = cli_type_find(row->syntax[i]);
		char word[CLI_VALUE_MAX];
		if (t && !sample_of(t, word, sizeof(word)))
			fail_msg("no sample for argument type %s (kind %d)", t->name, t->kind);
		used += (size_t)snprintf(line + used, size - used, "%s%s", used ? " " : "",
		                         t ? word : row->syntax[i]);
	}
}

static enum cli_mode row_mode(const struct cli_command *row)
{
	for (int m = 0; m < CLI_MODE_COUNT; m++)
		if ((row->modes & CLI_IN(m)) && cli_mode_is_config((enum cli_mode)m))
			return (enum cli_mode)m;
	return CLI_MODE_COUNT;
}

static bool not_supported(const char *message)
{
	return strstr(message, "% Not yet supported") != NULL;
}

struct counts {
	size_t rows, changed, ignored, not_supported, negated, named;
};

/* The setting a row's change is named by: its own command, except where the row changes a
 * setting of another command (a route-map entry's lines change the route-map; `no neighbor
 * A` removes the neighbour, as remote-as created it). */
static enum cli_cmd setting_of(enum cli_cmd cmd)
{
	switch (cmd) {
	case CLI_CMD_RM_MATCH_PREFIX_LIST:
	case CLI_CMD_RM_MATCH_COMMUNITY:
	case CLI_CMD_RM_SET_LOCAL_PREF:
	case CLI_CMD_RM_SET_METRIC:
	case CLI_CMD_RM_SET_COMMUNITY:
	case CLI_CMD_RM_SET_PREPEND:
		return CLI_CMD_ROUTE_MAP;
	case CLI_CMD_NEIGHBOR:
		return CLI_CMD_NEIGHBOR_REMOTE_AS;
	default:
		return cmd;
	}
}

/* A change is known by name: comparing the configurations setting by setting names the
 * row's setting, in the section the command belongs to, with a name and what it needs. */
static void assert_change_named(const struct config *a, const struct config *b, const struct cli_command *row,
                                const char *line, struct counts *n)
{
	if (config_equal(a, b))
		return;
	enum cli_cmd expected = setting_of(row->id);
	enum config_section section = config_command_section(row->id);
	if (section == CONFIG_SECTION_COUNT)
		fail_msg("'%s' changed the configuration but belongs to no section", line);
	struct config_change change;
	config_section_change(section, a, b, &change);
	if (!config_change_has(&change, expected))
		fail_msg("'%s': the %s section's change does not name %s (%zu settings, the first %s)", line,
		         config_section_name(section), config_setting_name(expected), change.count,
		         change.count ? config_setting_name(change.settings[0]) : "none");
	/* an ip ospf setting's effect is what OSPF runs with: a default written out (ip ospf
	 * network broadcast on an Ethernet) is named with nothing to do */
	bool computed = expected == CLI_CMD_IF_OSPF;
	if (strcmp(config_setting_name(expected), "unknown") == 0 || (change.effect == CONFIG_EFFECT_NONE && !computed))
		fail_msg("'%s': setting without a name or an effect", line);
	config_change_free(&change);
	n->named++;
}

/* The first row of the same command that is not `no` only: what a `no`-only row undoes. */
static const struct cli_command *positive_row(const struct cli_command *row)
{
	for (size_t i = 0; i < cli_command_count; i++)
		if (cli_commands[i].id == row->id && !(cli_commands[i].flags & CLI_F_NO_ONLY))
			return &cli_commands[i];
	return NULL;
}

static void check_row(const struct cli_command *row, struct counts *n)
{
	enum cli_mode mode = row_mode(row);
	const char *pre = preamble(mode);
	if (!pre)
		fail_msg("no preamble for mode %d (a new configuration mode?)", mode);
	bool no_only = row->flags & CLI_F_NO_ONLY;
	char line[CLI_LINE_MAX + 1], negated[CLI_LINE_MAX + 1], setting[CLI_LINE_MAX + 1] = "";
	row_line(row, no_only, line, sizeof(line));
	row_line(row, true, negated, sizeof(negated));
	/* a `no`-only row (no ip route P M, no neighbor A timers) undoes the command's setting */
	const struct cli_command *positive = no_only ? positive_row(row) : NULL;
	if (positive)
		row_line(positive, false, setting, sizeof(setting));

	struct cli_parse *p = calloc(1, sizeof(*p));
	assert_non_null(p);
	if (cli_parse(mode, line, p) != CLI_OK || p->cmd != row->id)
		fail_msg("'%s' in mode %d: read as command %d, status %d (%s), not as its row's %d", line,
		         mode, p->cmd, p->status, p->message, row->id);
	free(p);

	struct config base, after;
	char message[600];
	if (!load(pre, &base, message, sizeof(message), NULL))
		fail_msg("preamble of mode %d: %s", mode, message);
	char *text = malloc(strlen(pre) + 3 * sizeof(line) + 8);
	assert_non_null(text);
	sprintf(text, "%s %s\n %s\n", pre, setting, line);
	struct strbuf notes = STRBUF_INIT;
	bool sets_default = false;
	n->rows++;
	if (!load(text, &after, message, sizeof(message), &notes)) {
		if (!not_supported(message))
			fail_msg("'%s' refused: %s", line, message);
		n->not_supported++;
	} else {
		if (strstr(strbuf_str(&notes), "% Ignored") && !positive) {
			if (!config_equal(&base, &after))
				fail_msg("'%s' is noted as ignored but changed the configuration", line);
			n->ignored++;
		} else if (!no_only && config_equal(&base, &after)) {
			/* the default (bgp enforce-first-as): then its `no` form must change it */
			if (!(row->flags & CLI_F_NO))
				fail_msg("'%s' changed nothing in the configuration (apply or compare "
				         "missing?)", line);
			sets_default = true;
		} else {
			n->changed++;
		}
		assert_change_named(&base, &after, row, line, n);
		assert_round_trip(&after, line);
		config_free(&after);
	}
	strbuf_free(&notes);
	if ((row->flags & CLI_F_NO) && !no_only) {
		sprintf(text, "%s %s\n %s\n", pre, line, negated);
		if (load(text, &after, message, sizeof(message), NULL)) {
			if (sets_default && config_equal(&base, &after))
				fail_msg("neither '%s' nor '%s' changed the configuration (apply or compare "
				         "missing?)", line, negated);
			n->changed += sets_default;
			assert_change_named(&base, &after, row, negated, n);
			assert_round_trip(&after, negated);
			config_free(&after);
			n->negated++;
		} else if (!not_supported(message)) {
			fail_msg("'%s' after '%s' refused: %s", negated, line, message);
		}
	}
	free(text);
	config_free(&base);
}

static void test_every_configuration_row_round_trips(void **state)
{
	(void)state;
	struct counts n = { 0 };
	for (size_t i = 0; i < cli_command_count; i++) {
		const struct cli_command *row = &cli_commands[i];
		/* mode changes and `do` carry no configuration */
		if (row->id == CLI_CMD_EXIT || row->id == CLI_CMD_END || row->id == CLI_CMD_DO)
			continue;
		if (row_mode(row) == CLI_MODE_COUNT)
			continue; /* exec only */
		check_row(row, &n);
	}
	printf("rows %zu: changed %zu, ignored %zu, not yet supported %zu; no forms %zu; changes named %zu\n",
	       n.rows, n.changed, n.ignored, n.not_supported, n.negated, n.named);
	/* the walk saw the table: every protocol's commands are there */
	assert_true(n.rows > 200);
	assert_true(n.changed > 150);
	assert_true(n.named > 150);
}

/* Every configuration command the table has is covered by a row of the walk above: each id
 * valid in a configuration mode has a row a line can be built from. */
static void test_every_configuration_command_has_a_row(void **state)
{
	(void)state;
	bool seen[CLI_CMD_COUNT] = { false };
	for (size_t i = 0; i < cli_command_count; i++)
		if (row_mode(&cli_commands[i]) != CLI_MODE_COUNT)
			seen[cli_commands[i].id] = true;
	/* the commands the walk must meet, whatever the table looks like */
	static const enum cli_cmd expected[] = {
		CLI_CMD_HOSTNAME, CLI_CMD_ROUTER_BGP, CLI_CMD_NEIGHBOR_REMOTE_AS,
		CLI_CMD_NEIGHBOR_MAXIMUM_PREFIX, CLI_CMD_ROUTER_RIP, CLI_CMD_ROUTER_OSPF, CLI_CMD_IF_OSPF,
		CLI_CMD_IP_ROUTE, CLI_CMD_IPV6_ROUTE, CLI_CMD_ROUTE_MAP, CLI_CMD_RM_SET_PREPEND,
	};
	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++)
		assert_true(seen[expected[i]]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_configuration_row_round_trips),
		cmocka_unit_test(test_every_configuration_command_has_a_row),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
