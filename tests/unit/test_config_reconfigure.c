/*
 * DOC: unit tests of reconfiguration by section: which sections a command changes, and which
 * protocols a new configuration concerns (config_protocols_changed(), the set ternd applies
 * again on a commit). `hostname R2` concerns no protocol; a neighbour concerns BGP alone; a
 * static route the static routes alone; an interface address every protocol that reads the
 * interfaces.
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

#define STATIC_BIT CONFIG_PROTOCOL_BIT(CONFIG_PROTOCOL_STATIC)
#define RIP_BIT CONFIG_PROTOCOL_BIT(CONFIG_PROTOCOL_RIP)
#define OSPF_BIT CONFIG_PROTOCOL_BIT(CONFIG_PROTOCOL_OSPF)
#define BGP_BIT CONFIG_PROTOCOL_BIT(CONFIG_PROTOCOL_BGP)

/* A router running every protocol, as the seed's routers do. */
static const char base[] =
	"hostname R1\n"
	"interface Loopback0\n ip address 1.1.1.1 255.255.255.255\n"
	"interface FastEthernet0/0\n ip address 10.0.12.1 255.255.255.0\n ip ospf cost 10\n"
	"router rip\n version 2\n network 10.0.0.0\n"
	"router ospf 1\n network 10.0.12.0 0.0.0.255 area 0\n"
	"router bgp 100\n neighbor 10.0.12.2 remote-as 200\n"
	"ip route 192.168.0.0 255.255.0.0 10.0.12.2\n"
	"ip prefix-list PL seq 5 permit 10.0.0.0/8\n";

static void load_ok(const char *text, struct config *c)
{
	struct config_diag diag;
	if (!config_load_text(text, "test.conf", c, &diag))
		fail_msg("%s:%u:%u: %s [%s]", diag.file, diag.line, diag.column, diag.message, diag.text);
}

/* Applies lines (each typed in the mode the one before left) to a copy of the base. */
static void typed(const struct config *from, const char *const *lines, struct config *out)
{
	assert_true(config_copy(out, from));
	struct config_context ctx;
	config_context_init(&ctx);
	enum cli_mode mode = CLI_MODE_CONFIG;
	for (size_t i = 0; lines[i]; i++) {
		struct cli_parse p;
		if (cli_parse(mode, lines[i], &p) != CLI_OK)
			fail_msg("%s: %s", lines[i], p.message);
		struct config_apply_result r;
		if (!config_apply_in(out, &p, &ctx, &r))
			fail_msg("%s: %s", lines[i], r.message);
		mode = r.mode;
	}
}

struct case_ {
	const char *lines[4];
	unsigned sections;
	unsigned protocols;
};

static void test_protocols_per_change(void **state)
{
	(void)state;
	static const struct case_ cases[] = {
		{ { "hostname R2" }, CONFIG_SECTION_BIT(CONFIG_SECTION_SYSTEM), 0 },
		{ { "hostname R1" }, 0, 0 },
		{ { "router bgp 100", "neighbor 10.0.12.3 remote-as 300" },
		  CONFIG_SECTION_BIT(CONFIG_SECTION_BGP), BGP_BIT },
		{ { "router bgp 100", "neighbor 10.0.12.2 description peer" },
		  CONFIG_SECTION_BIT(CONFIG_SECTION_BGP), BGP_BIT },
		{ { "router bgp 100", "timers bgp 10 30" }, CONFIG_SECTION_BIT(CONFIG_SECTION_BGP), BGP_BIT },
		/* RIP and OSPF redistribute from the BGP speaker: its start and stop concern them */
		{ { "no router bgp 100" }, CONFIG_SECTION_BIT(CONFIG_SECTION_BGP), RIP_BIT | OSPF_BIT | BGP_BIT },
		{ { "ip route 172.16.0.0 255.255.0.0 10.0.12.2" }, CONFIG_SECTION_BIT(CONFIG_SECTION_STATIC),
		  STATIC_BIT },
		{ { "router rip", "neighbor 10.0.12.2" }, CONFIG_SECTION_BIT(CONFIG_SECTION_RIP), RIP_BIT },
		{ { "router ospf 1", "passive-interface default" }, CONFIG_SECTION_BIT(CONFIG_SECTION_OSPF),
		  OSPF_BIT | BGP_BIT /* redistribute ospf reads the process */ },
		{ { "interface FastEthernet0/0", "ip ospf cost 20" },
		  CONFIG_SECTION_BIT(CONFIG_SECTION_INTERFACES), RIP_BIT | OSPF_BIT | BGP_BIT },
		{ { "ip prefix-list PL seq 10 deny 0.0.0.0/0" }, CONFIG_SECTION_BIT(CONFIG_SECTION_POLICY),
		  BGP_BIT },
		{ { "hostname R2", "ip route 172.16.0.0 255.255.0.0 10.0.12.2" },
		  CONFIG_SECTION_BIT(CONFIG_SECTION_SYSTEM) | CONFIG_SECTION_BIT(CONFIG_SECTION_STATIC),
		  STATIC_BIT },
	};
	struct config running;
	load_ok(base, &running);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct config next;
		typed(&running, cases[i].lines, &next);
		unsigned sections = config_sections_changed(&running, &next);
		unsigned protocols = config_protocols_changed(&running, &next);
		if (sections != cases[i].sections || protocols != cases[i].protocols)
			fail_msg("case %zu (%s): sections %#x, expected %#x; protocols %#x, expected %#x", i,
			         cases[i].lines[0], sections, cases[i].sections, protocols, cases[i].protocols);
		/* the change is symmetric: going back concerns the same protocols */
		assert_int_equal(config_protocols_changed(&next, &running), protocols);
		config_free(&next);
	}
	assert_int_equal(config_sections_changed(&running, &running), 0);
	config_free(&running);
}

/* Every configuration command that changes the model names the section it changes, and that
 * section is the one the change shows up in. */
static void test_command_sections(void **state)
{
	(void)state;
	assert_int_equal(config_command_section(CLI_CMD_HOSTNAME), CONFIG_SECTION_SYSTEM);
	assert_int_equal(config_command_section(CLI_CMD_NEIGHBOR_REMOTE_AS), CONFIG_SECTION_BGP);
	assert_int_equal(config_command_section(CLI_CMD_NEIGHBOR_MAXIMUM_PREFIX), CONFIG_SECTION_BGP);
	assert_int_equal(config_command_section(CLI_CMD_IF_OSPF), CONFIG_SECTION_INTERFACES);
	assert_int_equal(config_command_section(CLI_CMD_IP_ROUTE), CONFIG_SECTION_STATIC);
	assert_int_equal(config_command_section(CLI_CMD_ROUTE_MAP), CONFIG_SECTION_POLICY);
	assert_int_equal(config_command_section(CLI_CMD_RIP_TIMERS), CONFIG_SECTION_RIP);
	assert_int_equal(config_command_section(CLI_CMD_OSPF_NETWORK), CONFIG_SECTION_OSPF);
	/* ignored lines, mode changes and exec commands change no section */
	assert_int_equal(config_command_section(CLI_CMD_IP_CLASSLESS), CONFIG_SECTION_COUNT);
	assert_int_equal(config_command_section(CLI_CMD_EXIT), CONFIG_SECTION_COUNT);
	assert_int_equal(config_command_section(CLI_CMD_SHOW_BGP_SUMMARY), CONFIG_SECTION_COUNT);
	for (int s = 0; s < CONFIG_SECTION_COUNT; s++)
		assert_string_not_equal(config_section_name((enum config_section)s), "none");
	for (int p = 0; p < CONFIG_PROTOCOL_COUNT; p++)
		assert_int_not_equal(config_protocol_sections((enum config_protocol)p), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_protocols_per_change),
		cmocka_unit_test(test_command_sections),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
