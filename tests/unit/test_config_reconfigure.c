/*
 * DOC: unit tests of reconfiguration by section: which sections a command changes, and which
 * protocols a new configuration concerns (config_protocols_changed(), the set ternd applies
 * again on a commit). `hostname R2` concerns no protocol; a neighbour concerns BGP alone; a
 * static route the static routes alone; an interface address every protocol that reads the
 * interfaces. Within a section, which setting changed and what it needs (the descriptors'
 * effects): these tables pin today's behaviour, setting by setting, so that a descriptor
 * whose effect changes (and with it what BGP resets: bgp_speaker_configure) fails here.
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
#include "config/config_internal.h"
#include "config_test_print.h"

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

struct effect_case {
	const char *lines[4];
	enum config_section section;
	enum cli_cmd setting;          /* the setting the change names */
	enum config_effect effect;
};

static void check_effects(const char *from, const struct effect_case *cases, size_t count)
{
	struct config running;
	load_ok(from, &running);
	for (size_t i = 0; i < count; i++) {
		const struct effect_case *c = &cases[i];
		struct config next;
		typed(&running, c->lines, &next);
		struct config_change change;
		config_section_change(c->section, &running, &next, &change);
		if (change.count != 1 || change.settings[0] != c->setting || change.effect != c->effect ||
		    change.effects[0] != c->effect)
			fail_msg("'%s': %zu settings changed, the first %s (%s); expected %s (%s)",
			         c->lines[c->lines[1] ? 1 : 0], change.count,
			         change.count ? config_setting_name(change.settings[0]) : "none",
			         config_effect_name(change.effect), config_setting_name(c->setting),
			         config_effect_name(c->effect));
		/* going back changes the same setting, with the same need */
		struct config_change back;
		config_section_change(c->section, &next, &running, &back);
		assert_int_equal(back.effect, c->effect);
		assert_true(config_change_has(&back, c->setting));
		/* the other sections saw nothing */
		for (int s = 0; s < CONFIG_SECTION_COUNT; s++) {
			struct config_change other;
			config_section_change((enum config_section)s, &running, &next, &other);
			if (s != (int)c->section && other.count)
				fail_msg("'%s' changed section %s too", c->lines[0],
				         config_section_name((enum config_section)s));
			config_change_free(&other);
		}
		config_change_free(&change);
		config_change_free(&back);
		config_free(&next);
	}
	config_free(&running);
}

#define BGP(line) { "router bgp 100", line }

/* What resets a BGP session today, and what does not: every neighbour setting, one case each
 * (a row added to config_neighbor_settings[] without a case here fails the last check). The
 * peer 10.0.12.2 is eBGP, 100.64.0.1 iBGP with settings to take away. */
static const struct effect_case neighbor_cases[] = {
	/* the session is made again: what the OPEN or the TCP connection carries */
	{ BGP("neighbor 10.0.12.2 remote-as 201"), CONFIG_SECTION_BGP, CLI_CMD_NEIGHBOR_REMOTE_AS, CONFIG_EFFECT_RESET },
	{ BGP("neighbor 10.0.12.2 password secret"), CONFIG_SECTION_BGP, CLI_CMD_NEIGHBOR_PASSWORD, CONFIG_EFFECT_RESET },
	{ BGP("neighbor 10.0.12.2 update-source Loopback0"), CONFIG_SECTION_BGP, CLI_CMD_NEIGHBOR_UPDATE_SOURCE,
	  CONFIG_EFFECT_RESET },
	{ BGP("neighbor 10.0.12.2 update-source 1.1.1.1"), CONFIG_SECTION_BGP, CLI_CMD_NEIGHBOR_UPDATE_SOURCE,
	  CONFIG_EFFECT_RESET },
	{ BGP("neighbor 10.0.12.2 ebgp-multihop 2"), CONFIG_SECTION_BGP, CLI_CMD_NEIGHBOR_EBGP_MULTIHOP,
	  CONFIG_EFFECT_RESET },
	{ BGP("neighbor 100.64.0.1 ebgp-multihop 5"), CONFIG_SECTION_BGP, CLI_CMD_NEIGHBOR_EBGP_MULTIHOP,
	  CONFIG_EFFECT_RESET },  /* only the TTL */
	{ BGP("neighbor 10.0.12.2 ttl-security hops 2"), CONFIG_SECTION_BGP, CLI_CMD_NEIGHBOR_TTL_SECURITY,
	  CONFIG_EFFECT_RESET },
	{ BGP("neighbor 10.0.12.2 disable-connected-check"), CONFIG_SECTION_BGP,
	  CLI_CMD_NEIGHBOR_DISABLE_CONNECTED_CHECK, CONFIG_EFFECT_RESET },
	{ BGP("neighbor 10.0.12.2 transport connection-mode passive"), CONFIG_SECTION_BGP, CLI_CMD_NEIGHBOR_PASSIVE,
	  CONFIG_EFFECT_RESET },
	/* a neighbour added or removed is a session begun or ended */
	{ BGP("neighbor 10.0.12.3 remote-as 300"), CONFIG_SECTION_BGP, CLI_CMD_NEIGHBOR_REMOTE_AS, CONFIG_EFFECT_RESET },
	{ BGP("no neighbor 10.0.12.2"), CONFIG_SECTION_BGP, CLI_CMD_NEIGHBOR_REMOTE_AS, CONFIG_EFFECT_RESET },
	/* the routes are judged again, the session stays */
	{ BGP("neighbor 10.0.12.2 route-map RM in"), CONFIG_SECTION_BGP, CLI_CMD_NEIGHBOR_ROUTE_MAP,
	  CONFIG_EFFECT_REFRESH },
	{ BGP("neighbor 10.0.12.2 route-map RM out"), CONFIG_SECTION_BGP, CLI_CMD_NEIGHBOR_ROUTE_MAP,
	  CONFIG_EFFECT_REFRESH },
	{ BGP("neighbor 10.0.12.2 prefix-list PL in"), CONFIG_SECTION_BGP, CLI_CMD_NEIGHBOR_PREFIX_LIST,
	  CONFIG_EFFECT_REFRESH },
	/* in place, or for the next session (timers, as IOS) */
	{ BGP("neighbor 10.0.12.2 description peer"), CONFIG_SECTION_BGP, CLI_CMD_NEIGHBOR_DESCRIPTION,
	  CONFIG_EFFECT_IN_PLACE },
	{ BGP("neighbor 10.0.12.2 timers 10 30"), CONFIG_SECTION_BGP, CLI_CMD_NEIGHBOR_TIMERS, CONFIG_EFFECT_IN_PLACE },
	{ BGP("neighbor 10.0.12.2 timers connect 5"), CONFIG_SECTION_BGP, CLI_CMD_NEIGHBOR_TIMERS_CONNECT,
	  CONFIG_EFFECT_IN_PLACE },
	{ BGP("neighbor 10.0.12.2 shutdown"), CONFIG_SECTION_BGP, CLI_CMD_NEIGHBOR_SHUTDOWN, CONFIG_EFFECT_IN_PLACE },
	{ BGP("neighbor 100.64.0.1 route-reflector-client"), CONFIG_SECTION_BGP,
	  CLI_CMD_NEIGHBOR_ROUTE_REFLECTOR_CLIENT, CONFIG_EFFECT_IN_PLACE },
	{ BGP("neighbor 10.0.12.2 next-hop-self"), CONFIG_SECTION_BGP, CLI_CMD_NEIGHBOR_NEXT_HOP_SELF,
	  CONFIG_EFFECT_IN_PLACE },
	{ BGP("neighbor 10.0.12.2 soft-reconfiguration inbound"), CONFIG_SECTION_BGP,
	  CLI_CMD_NEIGHBOR_SOFT_RECONFIGURATION, CONFIG_EFFECT_IN_PLACE },
	{ BGP("neighbor 10.0.12.2 allowas-in"), CONFIG_SECTION_BGP, CLI_CMD_NEIGHBOR_ALLOWAS_IN, CONFIG_EFFECT_IN_PLACE },
	{ BGP("no neighbor 10.0.12.2 enforce-first-as"), CONFIG_SECTION_BGP, CLI_CMD_NEIGHBOR_ENFORCE_FIRST_AS,
	  CONFIG_EFFECT_IN_PLACE },
	{ BGP("neighbor 10.0.12.2 maximum-prefix 100"), CONFIG_SECTION_BGP, CLI_CMD_NEIGHBOR_MAXIMUM_PREFIX,
	  CONFIG_EFFECT_IN_PLACE },
	/* the speaker's own settings: the router ID is in every OPEN */
	{ BGP("bgp router-id 9.9.9.9"), CONFIG_SECTION_BGP, CLI_CMD_BGP_ROUTER_ID, CONFIG_EFFECT_RESET },
	{ BGP("timers bgp 10 30"), CONFIG_SECTION_BGP, CLI_CMD_BGP_TIMERS, CONFIG_EFFECT_IN_PLACE },
	{ BGP("bgp always-compare-med"), CONFIG_SECTION_BGP, CLI_CMD_BGP_ALWAYS_COMPARE_MED, CONFIG_EFFECT_IN_PLACE },
	{ BGP("bgp ebgp-requires-policy"), CONFIG_SECTION_BGP, CLI_CMD_BGP_EBGP_REQUIRES_POLICY,
	  CONFIG_EFFECT_REFRESH },
	{ { "no router bgp 100" }, CONFIG_SECTION_BGP, CLI_CMD_ROUTER_BGP, CONFIG_EFFECT_RESTART },
	/* a list in use is judged again: no session resets */
	{ { "ip prefix-list PL seq 10 deny 0.0.0.0/0" }, CONFIG_SECTION_POLICY, CLI_CMD_IP_PREFIX_LIST,
	  CONFIG_EFFECT_REFRESH },
	{ { "route-map RM permit 10", "set local-preference 50" }, CONFIG_SECTION_POLICY, CLI_CMD_ROUTE_MAP,
	  CONFIG_EFFECT_REFRESH },
};

static const char bgp_base[] =
	"hostname R1\n"
	"interface Loopback0\n ip address 1.1.1.1 255.255.255.255\n"
	"router bgp 100\n"
	" neighbor 10.0.12.2 remote-as 200\n"
	" neighbor 100.64.0.1 remote-as 100\n"
	" neighbor 100.64.0.1 ebgp-multihop 2\n"
	"ip prefix-list PL seq 5 permit 10.0.0.0/8\n"
	"route-map RM permit 10\n set metric 5\n";

static void test_bgp_setting_effects(void **state)
{
	(void)state;
	size_t count = sizeof(neighbor_cases) / sizeof(neighbor_cases[0]);
	check_effects(bgp_base, neighbor_cases, count);
	/* every neighbour setting that keeps state has its case above */
	for (size_t i = 0; i < config_neighbor_setting_count; i++) {
		const struct config_neighbor_setting *setting = &config_neighbor_settings[i];
		bool pinned = false;
		for (size_t j = 0; j < count; j++)
			pinned = pinned || neighbor_cases[j].setting == setting->cmd;
		if (setting->equal && !pinned)
			fail_msg("neighbour setting %s has no case: what does a change of it need?", setting->name);
	}
}

/* BGP asks config_bgp_neighbor_change() about one neighbour, old and new: several settings at
 * once need the largest effect, and each is named. */
static void test_neighbor_change(void **state)
{
	(void)state;
	struct config a, b;
	load_ok(bgp_base, &a);
	static const char *const lines[] = { "router bgp 100", "neighbor 10.0.12.2 description x",
	                                     "neighbor 10.0.12.2 route-map RM in",
	                                     "neighbor 10.0.12.2 ebgp-multihop", NULL };
	typed(&a, lines, &b);
	struct ip_addr addr;
	assert_true(ip_addr_parse("10.0.12.2", &addr));
	struct config_change change = { 0 };
	config_bgp_neighbor_change(config_bgp_neighbor_find(&a.bgp, &addr), config_bgp_neighbor_find(&b.bgp, &addr),
	                           &change);
	assert_int_equal(change.count, 3);
	assert_int_equal(change.effect, CONFIG_EFFECT_RESET);
	assert_true(config_change_has(&change, CLI_CMD_NEIGHBOR_DESCRIPTION));
	assert_true(config_change_has(&change, CLI_CMD_NEIGHBOR_ROUTE_MAP));
	assert_true(config_change_has(&change, CLI_CMD_NEIGHBOR_EBGP_MULTIHOP));
	assert_false(config_change_has(&change, CLI_CMD_NEIGHBOR_REMOTE_AS));
	struct config_change none = { 0 };
	config_bgp_neighbor_change(&a.bgp.neighbors[0], &a.bgp.neighbors[0], &none);
	assert_int_equal(none.count, 0);
	assert_int_equal(none.effect, CONFIG_EFFECT_NONE);
	config_free(&a);
	config_free(&b);
}

#define OSPF(line) { "router ospf 1", line }
#define RIP(line) { "router rip", line }
#define IF(line) { "interface FastEthernet0/0", line }

/* OSPF and RIP: what each setting needs; the daemons act on it (ospfd_configure and
 * ospf_if_settings_changed, ospf_set_router_id, ospf_reconfigure_interfaces; rip_configure). */
static const struct effect_case igp_cases[] = {
	{ OSPF("router-id 9.9.9.9"), CONFIG_SECTION_OSPF, CLI_CMD_OSPF_ROUTER_ID, CONFIG_EFFECT_RESET },
	{ OSPF("network 10.0.13.0 0.0.0.255 area 0"), CONFIG_SECTION_OSPF, CLI_CMD_OSPF_NETWORK, CONFIG_EFFECT_RESET },
	{ OSPF("passive-interface default"), CONFIG_SECTION_OSPF, CLI_CMD_OSPF_PASSIVE, CONFIG_EFFECT_RESET },
	{ OSPF("area 0 authentication"), CONFIG_SECTION_OSPF, CLI_CMD_OSPF_AREA_AUTH, CONFIG_EFFECT_RESET },
	{ OSPF("redistribute static subnets"), CONFIG_SECTION_OSPF, CLI_CMD_OSPF_REDISTRIBUTE, CONFIG_EFFECT_IN_PLACE },
	{ OSPF("default-information originate"), CONFIG_SECTION_OSPF, CLI_CMD_OSPF_DEFAULT_INFORMATION,
	  CONFIG_EFFECT_IN_PLACE },
	{ OSPF("auto-cost reference-bandwidth 1000"), CONFIG_SECTION_OSPF, CLI_CMD_OSPF_AUTO_COST,
	  CONFIG_EFFECT_IN_PLACE },
	{ { "no router ospf 1" }, CONFIG_SECTION_OSPF, CLI_CMD_ROUTER_OSPF, CONFIG_EFFECT_RESTART },
	{ { "no router ospf 1", "router ospf 2" }, CONFIG_SECTION_OSPF, CLI_CMD_ROUTER_OSPF, CONFIG_EFFECT_RESTART },
	/* an interface's ip ospf settings: what its neighbours check in a Hello resets it */
	{ IF("ip ospf cost 20"), CONFIG_SECTION_INTERFACES, CLI_CMD_IF_OSPF, CONFIG_EFFECT_IN_PLACE },
	{ IF("ip ospf priority 5"), CONFIG_SECTION_INTERFACES, CLI_CMD_IF_OSPF, CONFIG_EFFECT_IN_PLACE },
	{ IF("ip ospf hello-interval 5"), CONFIG_SECTION_INTERFACES, CLI_CMD_IF_OSPF, CONFIG_EFFECT_RESET },
	{ IF("ip ospf dead-interval 20"), CONFIG_SECTION_INTERFACES, CLI_CMD_IF_OSPF, CONFIG_EFFECT_RESET },
	{ IF("ip ospf network point-to-point"), CONFIG_SECTION_INTERFACES, CLI_CMD_IF_OSPF, CONFIG_EFFECT_RESET },
	{ IF("ip ospf authentication message-digest"), CONFIG_SECTION_INTERFACES, CLI_CMD_IF_OSPF,
	  CONFIG_EFFECT_RESET },
	{ { "interface FastEthernet0/0", "ip ospf authentication message-digest", "ip ospf message-digest-key 1 md5 k" },
	  CONFIG_SECTION_INTERFACES, CLI_CMD_IF_OSPF, CONFIG_EFFECT_RESET },
	/* a key that no authentication type uses (none on the interface or its area), or a
	 * default written out: what OSPF runs with is the same */
	{ IF("ip ospf message-digest-key 1 md5 k"), CONFIG_SECTION_INTERFACES, CLI_CMD_IF_OSPF, CONFIG_EFFECT_NONE },
	{ IF("ip ospf hello-interval 10"), CONFIG_SECTION_INTERFACES, CLI_CMD_IF_OSPF, CONFIG_EFFECT_NONE },
	{ IF("ip ospf network broadcast"), CONFIG_SECTION_INTERFACES, CLI_CMD_IF_OSPF, CONFIG_EFFECT_NONE },
	{ { "interface Loopback0", "ip ospf network point-to-point" }, CONFIG_SECTION_INTERFACES, CLI_CMD_IF_OSPF,
	  CONFIG_EFFECT_NONE },  /* a loopback is a loopback */
	{ IF("ip address 10.0.12.1 255.255.255.128"), CONFIG_SECTION_INTERFACES, CLI_CMD_IF_IP_ADDRESS,
	  CONFIG_EFFECT_RESET },
	{ IF("description core"), CONFIG_SECTION_INTERFACES, CLI_CMD_IF_DESCRIPTION, CONFIG_EFFECT_IN_PLACE },
	{ IF("shutdown"), CONFIG_SECTION_INTERFACES, CLI_CMD_IF_SHUTDOWN, CONFIG_EFFECT_IN_PLACE },
	{ IF("no ip split-horizon"), CONFIG_SECTION_INTERFACES, CLI_CMD_IF_SPLIT_HORIZON, CONFIG_EFFECT_IN_PLACE },
	{ IF("ip rip authentication mode md5"), CONFIG_SECTION_INTERFACES, CLI_CMD_IF_RIP_AUTH_MODE,
	  CONFIG_EFFECT_IN_PLACE },
	{ { "interface FastEthernet0/9" }, CONFIG_SECTION_INTERFACES, CLI_CMD_INTERFACE, CONFIG_EFFECT_IN_PLACE },
	/* RIP changes everything in place; only the process itself starts and stops */
	{ RIP("version 1"), CONFIG_SECTION_RIP, CLI_CMD_RIP_VERSION, CONFIG_EFFECT_IN_PLACE },
	{ RIP("timers basic 10 60 60 120"), CONFIG_SECTION_RIP, CLI_CMD_RIP_TIMERS, CONFIG_EFFECT_IN_PLACE },
	{ RIP("network 192.168.1.0"), CONFIG_SECTION_RIP, CLI_CMD_RIP_NETWORK, CONFIG_EFFECT_IN_PLACE },
	{ RIP("neighbor 10.0.12.2"), CONFIG_SECTION_RIP, CLI_CMD_RIP_NEIGHBOR, CONFIG_EFFECT_IN_PLACE },
	{ RIP("passive-interface FastEthernet0/0"), CONFIG_SECTION_RIP, CLI_CMD_RIP_PASSIVE_INTERFACE,
	  CONFIG_EFFECT_IN_PLACE },
	{ RIP("redistribute static"), CONFIG_SECTION_RIP, CLI_CMD_RIP_REDISTRIBUTE, CONFIG_EFFECT_IN_PLACE },
	{ RIP("default-metric 3"), CONFIG_SECTION_RIP, CLI_CMD_RIP_DEFAULT_METRIC, CONFIG_EFFECT_IN_PLACE },
	{ RIP("distance 99"), CONFIG_SECTION_RIP, CLI_CMD_RIP_DISTANCE, CONFIG_EFFECT_IN_PLACE },
	{ RIP("auto-summary"), CONFIG_SECTION_RIP, CLI_CMD_RIP_AUTO_SUMMARY, CONFIG_EFFECT_IN_PLACE },
	{ { "no router rip" }, CONFIG_SECTION_RIP, CLI_CMD_ROUTER_RIP, CONFIG_EFFECT_RESTART },
	/* the rest */
	{ { "hostname R2" }, CONFIG_SECTION_SYSTEM, CLI_CMD_HOSTNAME, CONFIG_EFFECT_IN_PLACE },
	{ { "ip route 172.16.0.0 255.255.0.0 10.0.12.2" }, CONFIG_SECTION_STATIC, CLI_CMD_IP_ROUTE,
	  CONFIG_EFFECT_IN_PLACE },
	{ { "ipv6 route 2001:db8::/32 2001:db8:1::1" }, CONFIG_SECTION_STATIC, CLI_CMD_IPV6_ROUTE,
	  CONFIG_EFFECT_IN_PLACE },
};

static void test_igp_setting_effects(void **state)
{
	(void)state;
	check_effects(base, igp_cases, sizeof(igp_cases) / sizeof(igp_cases[0]));
}

/* Two OSPF interfaces besides the loopback. */
static const char two_interfaces[] =
	"interface Loopback0\n ip address 1.1.1.1 255.255.255.255\n"
	"interface FastEthernet0/0\n ip address 10.0.12.1 255.255.255.0\n ip ospf cost 10\n"
	"interface FastEthernet0/1\n ip address 10.0.13.1 255.255.255.0\n"
	"router ospf 1\n network 10.0.0.0 0.255.255.255 area 0\n";

/* The change of `lines` typed on two_interfaces, in the interfaces section. */
static void interfaces_changed_by(const char *const *lines, struct config_change *out)
{
	struct config running, next;
	load_ok(two_interfaces, &running);
	typed(&running, lines, &next);
	config_section_change(CONFIG_SECTION_INTERFACES, &running, &next, out);
	config_free(&next);
	config_free(&running);
}

/* The change names one interface, name, as delta, with exactly the settings `settings`;
 * returns its entry. */
static const struct config_interface_change *only_entry(const struct config_change *change, const char *name,
                                                        enum config_interface_delta delta, unsigned settings)
{
	assert_int_equal(change->interface_count, 1);
	const struct config_interface_change *e = &change->interfaces[0];
	assert_string_equal(e->name, name);
	assert_ptr_equal(config_change_interface(change, name), e);
	assert_int_equal(e->delta, delta);
	assert_int_equal(e->settings, settings);
	return e;
}

#define BIT(s) CONFIG_IF_SETTING_BIT(CONFIG_IF_##s)

/* The interfaces' change list names the interface that changed, and only it, with the
 * settings of it that changed and what each needs; an interface added or removed is named
 * with its settings against none. */
static void test_interface_change_list(void **state)
{
	(void)state;
	struct config_change change;
	/* one interface's hello interval: that interface, that setting, a reset */
	static const char *const hello[] = { "interface FastEthernet0/1", "ip ospf hello-interval 5", NULL };
	interfaces_changed_by(hello, &change);
	const struct config_interface_change *e =
		only_entry(&change, "FastEthernet0/1", CONFIG_INTERFACE_CHANGED, BIT(OSPF_HELLO_INTERVAL));
	assert_string_equal(e->linux_name, "f0-1");
	assert_int_equal(e->effects[CONFIG_IF_OSPF_HELLO_INTERVAL], CONFIG_EFFECT_RESET);
	assert_int_equal(e->effect, CONFIG_EFFECT_RESET);
	assert_null(config_change_interface(&change, "FastEthernet0/0"));
	assert_string_equal(config_interface_setting_label(CONFIG_IF_OSPF_HELLO_INTERVAL), "ip ospf hello-interval");
	config_change_free(&change);
	assert_null(change.interfaces);

	/* the other one's cost: in place; its priority, with it */
	static const char *const cost[] = { "interface FastEthernet0/0", "ip ospf cost 20", "ip ospf priority 0", NULL };
	interfaces_changed_by(cost, &change);
	e = only_entry(&change, "FastEthernet0/0", CONFIG_INTERFACE_CHANGED, BIT(OSPF_COST) | BIT(OSPF_PRIORITY));
	assert_int_equal(e->effects[CONFIG_IF_OSPF_COST], CONFIG_EFFECT_IN_PLACE);
	assert_int_equal(e->effects[CONFIG_IF_OSPF_PRIORITY], CONFIG_EFFECT_IN_PLACE);
	assert_int_equal(e->effects[CONFIG_IF_OSPF_HELLO_INTERVAL], CONFIG_EFFECT_NONE);
	assert_int_equal(e->effect, CONFIG_EFFECT_IN_PLACE);
	config_change_free(&change);

	/* a default written out is named, with nothing to do */
	static const char *const same[] = { "interface FastEthernet0/1", "ip ospf dead-interval 40", NULL };
	interfaces_changed_by(same, &change);
	e = only_entry(&change, "FastEthernet0/1", CONFIG_INTERFACE_CHANGED, BIT(OSPF_DEAD_INTERVAL));
	assert_int_equal(e->effect, CONFIG_EFFECT_NONE);
	config_change_free(&change);

	/* an interface added, with its settings against none */
	static const char *const added[] = { "interface FastEthernet0/2", "ip address 10.0.14.1 255.255.255.0",
	                                     "ip ospf network point-to-point", NULL };
	interfaces_changed_by(added, &change);
	e = only_entry(&change, "FastEthernet0/2", CONFIG_INTERFACE_ADDED, BIT(IP_ADDRESS) | BIT(OSPF_NETWORK));
	assert_int_equal(e->effects[CONFIG_IF_OSPF_NETWORK], CONFIG_EFFECT_RESET);
	assert_true(config_change_has(&change, CLI_CMD_INTERFACE));
	config_change_free(&change);

	/* one removed: the other two are not named */
	static const char *const removed[] = { "no interface FastEthernet0/0", NULL };
	interfaces_changed_by(removed, &change);
	only_entry(&change, "FastEthernet0/0", CONFIG_INTERFACE_REMOVED, BIT(IP_ADDRESS) | BIT(OSPF_COST));
	config_change_free(&change);

	/* no change, no list */
	static const char *const nothing[] = { "hostname R9", NULL };
	interfaces_changed_by(nothing, &change);
	assert_int_equal(change.count, 0);
	assert_int_equal(change.interface_count, 0);
	config_change_free(&change);
}

/* What the daemon logs on a commit: each changed section, its settings by name and need. */
static void test_changes_print(void **state)
{
	(void)state;
	struct config running, next;
	load_ok(base, &running);
	static const char *const lines[] = { "hostname R2", "router ospf 1", "router-id 9.9.9.9",
	                                     "redistribute connected subnets", "exit", "interface FastEthernet0/0",
	                                     "ip ospf cost 30", NULL };
	typed(&running, lines, &next);
	struct strbuf out = STRBUF_INIT;
	config_changes_print(&running, &next, &out);
	assert_string_equal(strbuf_str(&out), "system: hostname (in place)\n"
	                                      "interfaces: ip ospf (in place)\n"
	                                      "ospf: router-id (reset), redistribute (in place)\n");
	strbuf_free(&out);
	config_changes_print(&running, &running, &out);
	assert_string_equal(strbuf_str(&out), "");
	strbuf_free(&out);
	/* comparing by setting agrees with comparing the printed text */
	char *a = printed(&running), *b = printed(&next);
	assert_string_not_equal(a, b);
	free(a);
	free(b);
	config_free(&next);
	config_free(&running);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_protocols_per_change),
		cmocka_unit_test(test_command_sections),
		cmocka_unit_test(test_bgp_setting_effects),
		cmocka_unit_test(test_neighbor_change),
		cmocka_unit_test(test_igp_setting_effects),
		cmocka_unit_test(test_changes_print),
		cmocka_unit_test(test_interface_change_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
