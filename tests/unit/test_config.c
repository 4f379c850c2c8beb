/*
 * DOC: unit tests of the configuration model: loading text and files through the grammar,
 * the canonical printed form, print -> parse -> equal for edge values (every command:
 * test_config_roundtrip.c, generated from the command table), the IOS checks of
 * config_apply() (a rejected command changes nothing), `no` forms, legacy lines, and the
 * file/line/caret of a bad line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"
#include "config_test_print.h"

static const char seed_r2[] =
	"hostname R2\n"
	"!\n"
	"router bgp 100\n"
	" bgp router-id 1.1.1.1\n"
	" timers bgp 10 30\n"
	" neighbor 2.2.2.2 remote-as 100\n"
	" neighbor 2.2.2.2 update-source lo0\n"
	" neighbor 192.168.2.2 remote-as 200\n"
	" neighbor 192.168.2.2 description to R3\n"
	"!\n"
	"end\n";

static void load_ok(const char *text, struct config *c)
{
	struct config_diag diag;
	if (!config_load_text(text, "test.conf", c, &diag))
		fail_msg("%s:%u:%u: %s [%s]", diag.file, diag.line, diag.column, diag.message, diag.text);
}

/* Loads text, prints it, loads the print: both configs must be equal, and printing the second
 * must give the same text again. */
static void assert_round_trip(const char *text)
{
	struct config a, b;
	load_ok(text, &a);
	char *first = printed(&a);
	load_ok(first, &b);
	if (!config_equal(&a, &b))
		fail_msg("not equal after print/parse:\n%s", first);
	char *second = printed(&b);
	assert_string_equal(first, second);
	free(first);
	free(second);
	config_free(&a);
	config_free(&b);
}

static void test_init_defaults(void **state)
{
	(void)state;
	struct config c;
	config_init(&c);
	assert_string_equal(c.hostname, "Router");
	assert_false(c.bgp.enabled);
	assert_int_equal(c.bgp.keepalive, CONFIG_DEFAULT_KEEPALIVE);
	assert_int_equal(c.bgp.hold_time, CONFIG_DEFAULT_HOLD_TIME);
	assert_int_equal(config_bgp_router_id(&c), 0);
	char *text = printed(&c);
	assert_string_equal(text, "hostname Router\n!\nend\n");
	free(text);
	config_free(&c);
}

static void test_seed_config_prints_canonically(void **state)
{
	(void)state;
	struct config c;
	load_ok(seed_r2, &c);
	assert_string_equal(c.hostname, "R2");
	assert_true(c.bgp.enabled);
	assert_int_equal(c.bgp.asn, 100);
	assert_int_equal(config_bgp_router_id(&c), 0x01010101);
	assert_int_equal(c.bgp.neighbor_count, 2);
	struct ip_addr addr;
	assert_true(ip_addr_parse("2.2.2.2", &addr));
	struct config_bgp_neighbor *n = config_bgp_neighbor_find(&c.bgp, &addr);
	assert_non_null(n);
	assert_int_equal(n->remote_as, 100);
	assert_string_equal(n->update_source_interface, "lo0");
	char *text = printed(&c);
	assert_string_equal(text, seed_r2);
	free(text);
	config_free(&c);
}

/* Every command round-trips in test_config_roundtrip.c, with a line generated from each row
 * of the command table. These are the values and combinations a generated line does not
 * give: range ends, asdot, IPv6 neighbours, spaces kept in LINE arguments, short interface
 * names, several settings in one block. */
static void test_round_trip_edge_values(void **state)
{
	(void)state;
	static const char *const configs[] = {
		"hostname a-b-9\n",
		"router bgp 1\n",
		"router bgp 4294967295\n",
		"router bgp 1.10\n",
		"router bgp 100\n timers bgp 0 0\n",
		"router bgp 100\n timers bgp 65535 65535\n",
		"router bgp 100\n neighbor 10.0.0.2 remote-as 4200000000\n",
		"router bgp 100\n neighbor 2001:db8::2 remote-as 200\n neighbor 10.0.0.1 remote-as 5\n",
		"router bgp 100\n neighbor 10.0.0.2 remote-as 200\n"
		" neighbor 10.0.0.2 description  link  to R3  \n",
		"router bgp 100\n neighbor 10.0.0.2 remote-as 200\n neighbor 10.0.0.2 update-source f0/0\n",
		"router bgp 100\n neighbor 10.0.0.2 remote-as 200\n neighbor 10.0.0.2 ttl-security hops 1\n",
		"router bgp 100\n neighbor 10.0.0.2 remote-as 200\n neighbor 10.0.0.2 ttl-security hops 254\n"
		" neighbor 10.0.0.2 disable-connected-check\n",
		"router bgp 100\n neighbor 10.0.0.2 remote-as 200\n neighbor 10.0.0.2 timers 0 0\n",
		"router bgp 100\n neighbor 10.0.0.2 remote-as 200\n"
		" neighbor 10.0.0.2 password s3cr3t with spaces\n",
		"router bgp 100\n neighbor 10.0.0.2 remote-as 200\n"
		" neighbor 10.0.0.2 shutdown message maintenance until 18:00\n",
		seed_r2,
		/* OSPF (the seed's §6.2 and several settings together) */
		"router ospf 100\n network 192.168.1.0 0.0.0.255 area 0\n network 1.1.1.1 0.0.0.0 area 0\n",
		"router ospf 1\n router-id 1.1.1.1\n network 10.0.0.0 0.255.255.255 area 0.0.0.1\n",
		"router ospf 1\n auto-cost reference-bandwidth 10000\n area 0 authentication message-digest\n"
		" area 1 authentication\n",
		"router ospf 1\n redistribute connected subnets\n redistribute static metric 20 metric-type 1\n"
		" redistribute bgp 100 metric 5 metric-type 2 subnets\n default-information originate\n",
		"router ospf 1\n passive-interface FastEthernet0/0\n passive-interface eth1\n",
		"router ospf 1\n passive-interface default\n no passive-interface FastEthernet1/0\n",
		"interface FastEthernet0/0\n ip address 10.0.0.1 255.255.255.0\n"
		" ip ospf authentication-key secret\n ip ospf message-digest-key 1 md5 k3y\n"
		" ip ospf network point-to-point\n ip ospf hello-interval 1\n ip ospf dead-interval 4\n"
		" ip ospf priority 0\n ip ospf cost 7\n",
		"interface eth0\n ip ospf authentication\n ip ospf authentication-key abc\n",
		"router bgp 100\n redistribute ospf 1 metric 9\n",
	};
	for (size_t i = 0; i < sizeof(configs) / sizeof(configs[0]); i++)
		assert_round_trip(configs[i]);
}

static void test_every_neighbor_setting_prints(void **state)
{
	(void)state;
	const char *text =
		"hostname R3\n"
		"!\n"
		"router bgp 200\n"
		" neighbor 192.168.2.1 remote-as 100\n"
		" neighbor 192.168.2.1 description to R2\n"
		" neighbor 192.168.2.1 update-source f1/0\n"
		" neighbor 192.168.2.1 ebgp-multihop 255\n"
		" neighbor 192.168.2.1 timers 10 30\n"
		" neighbor 192.168.2.1 timers connect 15\n"
		" neighbor 192.168.2.1 password cisco\n"
		" neighbor 192.168.2.1 shutdown message down for maintenance\n"
		" neighbor 192.168.2.1 transport connection-mode passive\n"
		"!\n"
		"end\n";
	struct config c;
	load_ok(text, &c);
	char *out = printed(&c);
	assert_string_equal(out, text);
	free(out);
	const struct config_bgp_neighbor *n = &c.bgp.neighbors[0];
	assert_int_equal(n->connect_retry, 15);
	assert_true(n->ebgp_multihop);
	assert_int_equal(n->ebgp_multihop_ttl, 255);
	assert_true(n->shutdown);
	assert_string_equal(n->shutdown_message, "down for maintenance");
	assert_string_equal(n->password, "cisco");
	assert_true(n->passive);
	config_free(&c);
}

/* Applies one line in mode to c: the parse must succeed; returns what config_apply said. */
static bool apply(struct config *c, enum cli_mode mode, const char *line, struct config_apply_result *r)
{
	struct cli_parse p;
	if (cli_parse(mode, line, &p) != CLI_OK)
		fail_msg("parse failed: %s: %s", line, p.message);
	return config_apply(c, &p, r);
}

/* The command must be refused with message, and leave c as it was. */
static void assert_rejected(struct config *c, enum cli_mode mode, const char *line,
                            const char *message, size_t column)
{
	struct config before;
	assert_true(config_copy(&before, c));
	struct config_apply_result r;
	assert_false(apply(c, mode, line, &r));
	assert_string_equal(r.message, message);
	assert_int_equal(r.column, column);
	assert_int_equal(r.mode, mode);
	assert_true(config_equal(&before, c));
	config_free(&before);
}

/* The seed's §6.2 on R1: the network statements say which interfaces run OSPF, by IOS wildcard
 * matching; the link to R2 (192.168.1.2) is not among them until its network is added. */
static void test_ospf_network_matching(void **state)
{
	(void)state;
	struct config c;
	load_ok("interface FastEthernet0/0\n ip address 192.168.1.2 255.255.255.0\n!\n"
	        "router ospf 100\n network 10.0.0.0 0.255.255.255 area 0\n network 2.2.2.2 0.0.0.0 area 0\n"
	        " passive-interface default\n no passive-interface f0/0\n", &c);
	uint32_t area = 99;
	assert_false(config_ospf_match(&c.ospf, 0xc0a80102, &area));
	assert_true(config_ospf_match(&c.ospf, 0x0a000001, &area));
	assert_int_equal(area, 0);
	assert_true(config_ospf_match(&c.ospf, 0x02020202, NULL));
	assert_false(config_ospf_match(&c.ospf, 0x02020203, NULL));
	/* first match wins, as IOS */
	struct config_apply_result r;
	assert_true(apply(&c, CLI_MODE_CONFIG_ROUTER_OSPF, "network 0.0.0.0 255.255.255.255 area 1", &r));
	assert_true(config_ospf_match(&c.ospf, 0x0a000001, &area));
	assert_int_equal(area, 0);
	assert_true(config_ospf_match(&c.ospf, 0xc0a80102, &area));
	assert_int_equal(area, 1);
	assert_true(apply(&c, CLI_MODE_CONFIG_ROUTER_OSPF, "no network 0.0.0.0 255.255.255.255 area 1", &r));
	assert_false(config_ospf_match(&c.ospf, 0xc0a80102, NULL));
	assert_rejected(&c, CLI_MODE_CONFIG_ROUTER_OSPF, "no network 1.0.0.0 0.0.0.0 area 0",
	                "% OSPF: Unknown network area entry", 3);
	assert_rejected(&c, CLI_MODE_CONFIG_ROUTER_OSPF, "network 10.0.0.0 0.255.255.255 area 1",
	                "% OSPF: \"network 10.0.0.0 0.255.255.255 area 0\" is already configured in another area", 0);
	/* passive-interface default with an exception */
	assert_false(config_ospf_passive(&c.ospf, config_interface_find(&c, "f0/0"), NULL));
	assert_true(config_ospf_passive(&c.ospf, NULL, "FastEthernet1/0"));
	config_free(&c);
}

static void test_rejected_commands_change_nothing(void **state)
{
	(void)state;
	struct config c;
	load_ok(seed_r2, &c);
	enum cli_mode bgp = CLI_MODE_CONFIG_ROUTER_BGP;
	assert_rejected(&c, bgp, "neighbor 9.9.9.9 description T",
	                "% Specify remote-as or peer-group commands first", 9);
	assert_rejected(&c, bgp, "neighbor 9.9.9.9 shutdown",
	                "% Specify remote-as or peer-group commands first", 9);
	assert_rejected(&c, bgp, "no neighbor 9.9.9.9",
	                "% Specify remote-as or peer-group commands first", 12);
	assert_rejected(&c, bgp, "neighbor 2.2.2.2 timers 1 2",
	                "% Hold time must be 0 or at least 3 seconds", 26);
	assert_rejected(&c, bgp, "timers bgp 1 2", "% Hold time must be 0 or at least 3 seconds", 13);
	assert_rejected(&c, CLI_MODE_CONFIG, "router bgp 200", "% BGP is already running; AS is 100", 11);
	assert_rejected(&c, CLI_MODE_CONFIG, "no router bgp 200",
	                "% No BGP process for AS 200; AS is 100", 14);
	assert_rejected(&c, bgp, "bgp router-id 0.0.0.0", "% Invalid router-id 0.0.0.0", 14);
	assert_rejected(&c, CLI_MODE_CONFIG, "hostname 1abc",
	                "% Hostname contains one or more illegal characters.", 9);
	assert_rejected(&c, CLI_MODE_CONFIG, "hostname ab_c",
	                "% Hostname contains one or more illegal characters.", 9);
	assert_rejected(&c, CLI_MODE_CONFIG, "hostname abc-",
	                "% Hostname contains one or more illegal characters.", 9);
	char line[200];
	snprintf(line, sizeof(line), "neighbor 2.2.2.2 password %081d", 0);
	assert_rejected(&c, bgp, line, "% Password too long (at most 80 characters)", 26);
	/* Modules not built yet: an error that names the command. */
	assert_rejected(&c, CLI_MODE_CONFIG_ROUTER_RIP, "network 10.0.0.0", "% RIP is not running", 0);
	assert_rejected(&c, bgp, "no neighbor 2.2.2.2 activate",
	                "% Not yet supported: neighbor activate", 3);
	/* Interface commands need the session's interface (config_apply_in). */
	assert_rejected(&c, CLI_MODE_CONFIG_INTERFACE, "ip address 10.0.0.1 255.0.0.0",
	                "% No interface selected", 0);
	assert_rejected(&c, CLI_MODE_CONFIG, "interface f0/0/", "% Invalid input detected at '^' marker.",
	                10);
	assert_rejected(&c, CLI_MODE_CONFIG, "interface averyverylongname0",
	                "% Invalid input detected at '^' marker.", 10);
	/* Exec commands are not configuration. */
	assert_rejected(&c, CLI_MODE_CONFIG, "do show ip bgp summary", "% Not a configuration command", 3);
	assert_rejected(&c, CLI_MODE_EXEC, "show ip bgp summary", "% Not a configuration command", 0);
	config_free(&c);

	/* Router mode commands when BGP is gone (another session removed it). */
	config_init(&c);
	assert_rejected(&c, bgp, "neighbor 1.1.1.1 remote-as 1", "% BGP is not running", 0);
	config_free(&c);
}

static void test_apply_modes_and_notes(void **state)
{
	(void)state;
	struct config c;
	config_init(&c);
	struct config_apply_result r;
	assert_true(apply(&c, CLI_MODE_CONFIG, "router bgp 65000", &r));
	assert_int_equal(r.mode, CLI_MODE_CONFIG_ROUTER_BGP);
	assert_string_equal(r.message, "");
	/* Same AS again: just enters the mode. */
	assert_true(apply(&c, CLI_MODE_CONFIG, "router bgp 65000", &r));
	assert_int_equal(r.mode, CLI_MODE_CONFIG_ROUTER_BGP);
	assert_true(apply(&c, CLI_MODE_CONFIG_ROUTER_BGP, "no synchronization", &r));
	assert_string_equal(r.message,
	                    "% Ignored: no synchronization (Tern never synchronizes BGP with the IGP)");
	assert_int_equal(r.mode, CLI_MODE_CONFIG_ROUTER_BGP);
	assert_true(apply(&c, CLI_MODE_CONFIG_ROUTER_BGP, "no auto-summary", &r));
	assert_true(apply(&c, CLI_MODE_CONFIG_ROUTER_BGP, "exit", &r));
	assert_int_equal(r.mode, CLI_MODE_CONFIG);
	assert_true(apply(&c, CLI_MODE_CONFIG_ROUTER_BGP, "end", &r));
	assert_int_equal(r.mode, CLI_MODE_EXEC);
	assert_true(apply(&c, CLI_MODE_CONFIG, "line vty 0 4", &r));
	assert_int_equal(r.mode, CLI_MODE_CONFIG_LINE);
	assert_true(apply(&c, CLI_MODE_CONFIG_LINE, "login", &r));
	assert_true(apply(&c, CLI_MODE_CONFIG, "ip classless", &r));
	assert_string_equal(r.message, "% Ignored: ip classless (Tern always forwards classless)");
	assert_true(apply(&c, CLI_MODE_CONFIG, "no router bgp 65000", &r));
	assert_int_equal(r.mode, CLI_MODE_CONFIG);
	assert_false(c.bgp.enabled);
	/* no router bgp when none runs is accepted, as IOS does. */
	assert_true(apply(&c, CLI_MODE_CONFIG, "no router bgp 1", &r));
	config_free(&c);
}

static void test_no_forms(void **state)
{
	(void)state;
	struct config c, fresh;
	const char *full =
		"hostname R9\n"
		"router bgp 100\n"
		" bgp router-id 9.9.9.9\n"
		" timers bgp 5 15\n"
		" neighbor 10.0.0.2 remote-as 200\n"
		" neighbor 10.0.0.2 description d\n"
		" neighbor 10.0.0.2 update-source lo0\n"
		" neighbor 10.0.0.2 ebgp-multihop 3\n"
		" neighbor 10.0.0.2 timers 3 9\n"
		" neighbor 10.0.0.2 timers connect 7\n"
		" neighbor 10.0.0.2 password p\n"
		" neighbor 10.0.0.2 shutdown message m\n"
		" neighbor 10.0.0.2 transport connection-mode passive\n";
	const char *undo =
		"no hostname R9\n"
		"router bgp 100\n"
		" no bgp router-id\n"
		" no timers bgp 5 15\n"
		" no neighbor 10.0.0.2 description\n"
		" no neighbor 10.0.0.2 update-source lo0\n"
		" no neighbor 10.0.0.2 ebgp-multihop\n"
		" no neighbor 10.0.0.2 timers\n"
		" no neighbor 10.0.0.2 timers connect 7\n"
		" no neighbor 10.0.0.2 password\n"
		" no neighbor 10.0.0.2 shutdown\n"
		" no neighbor 10.0.0.2 transport connection-mode passive\n";
	char text[2048];
	snprintf(text, sizeof(text), "%s%s", full, undo);
	load_ok(text, &c);
	load_ok("router bgp 100\n neighbor 10.0.0.2 remote-as 200\n", &fresh);
	assert_true(config_equal(&c, &fresh));
	config_free(&c);
	config_free(&fresh);

	snprintf(text, sizeof(text), "%s no neighbor 10.0.0.2\n", full);
	load_ok(text, &c);
	assert_int_equal(c.bgp.neighbor_count, 0);
	config_free(&c);
	snprintf(text, sizeof(text), "%s no neighbor 10.0.0.2 remote-as 200\n", full);
	load_ok(text, &c);
	assert_int_equal(c.bgp.neighbor_count, 0);
	config_free(&c);
	snprintf(text, sizeof(text), "%sno router bgp 100\n", full);
	load_ok(text, &c);
	config_init(&fresh);
	snprintf(fresh.hostname, sizeof(fresh.hostname), "R9");
	assert_true(config_equal(&c, &fresh));
	config_free(&c);
	config_free(&fresh);
}

/* disable-connected-check and ttl-security (RFC 5082): printed in IOS order, `no` forms, and
 * ttl-security refused beside ebgp-multihop in either order, leaving the config as it was. */
static void test_ttl_security_and_connected_check(void **state)
{
	(void)state;
	const char *text =
		"router bgp 100\n"
		" neighbor 10.0.0.2 remote-as 200\n"
		" neighbor 10.0.0.2 ttl-security hops 2\n"
		" neighbor 10.0.0.2 disable-connected-check\n"
		" neighbor 10.0.0.3 remote-as 300\n"
		" neighbor 10.0.0.3 ebgp-multihop 2\n";
	struct config c;
	load_ok(text, &c);
	const struct config_bgp_neighbor *n = &c.bgp.neighbors[0];
	assert_int_equal(n->ttl_security_hops, 2);
	assert_true(n->disable_connected_check);
	assert_false(n->ebgp_multihop);
	char *out = printed(&c);
	assert_non_null(strstr(out, " neighbor 10.0.0.2 disable-connected-check\n"
	                            " neighbor 10.0.0.2 ttl-security hops 2\n"));
	free(out);

	enum cli_mode bgp = CLI_MODE_CONFIG_ROUTER_BGP;
	const char *both = "% ttl-security and ebgp-multihop cannot be configured together";
	assert_rejected(&c, bgp, "neighbor 10.0.0.2 ebgp-multihop", both, 0);
	assert_rejected(&c, bgp, "neighbor 10.0.0.2 ebgp-multihop 3", both, 0);
	assert_rejected(&c, bgp, "neighbor 10.0.0.3 ttl-security hops 1", both, 0);
	/* the `no` forms of the one already there are fine, and then the other is accepted */
	struct config_apply_result r;
	assert_true(apply(&c, bgp, "no neighbor 10.0.0.3 ebgp-multihop", &r));
	assert_true(apply(&c, bgp, "neighbor 10.0.0.3 ttl-security hops 1", &r));
	assert_int_equal(c.bgp.neighbors[1].ttl_security_hops, 1);
	assert_true(apply(&c, bgp, "no neighbor 10.0.0.2 ttl-security", &r));
	assert_true(apply(&c, bgp, "no neighbor 10.0.0.2 disable-connected-check", &r));
	assert_true(apply(&c, bgp, "neighbor 10.0.0.2 ebgp-multihop 3", &r));
	n = &c.bgp.neighbors[0];
	assert_int_equal(n->ttl_security_hops, 0);
	assert_false(n->disable_connected_check);
	assert_true(n->ebgp_multihop);
	config_free(&c);

	/* a file with both is refused at the second line */
	struct config d;
	struct config_diag diag;
	assert_false(config_load_text("router bgp 100\n neighbor 10.0.0.2 remote-as 200\n"
	                              " neighbor 10.0.0.2 ebgp-multihop\n"
	                              " neighbor 10.0.0.2 ttl-security hops 1\n",
	                              "test.conf", &d, &diag));
	assert_int_equal(diag.line, 4);
	assert_string_equal(diag.message, both);
}

static void test_legacy_lines_and_notes(void **state)
{
	(void)state;
	const char *text =
		"!\n"
		"! R2, from the seed lab\n"
		"hostname R2\n"
		"ip subnet-zero\n"
		"ip classless\n"
		"\n"
		"router bgp 100\n"
		"  no synchronization\n"
		"\tneighbor 192.168.2.2 remote-as 200\n"
		"  no auto-summary\n"
		"!\n"
		"line con 0\n"
		" exec-timeout 0 0\n"
		" logging synchronous\n"
		"line vty 0 4\n"
		" password cisco\n"
		" login\n"
		" transport input telnet ssh\n"
		"!\n"
		"end\n";
	struct config c;
	struct config_diag diag;
	struct strbuf notes = STRBUF_INIT;
	assert_true(config_load_text_notes(text, "r2.conf", &c, &diag, &notes));
	assert_int_equal(c.bgp.neighbor_count, 1);
	assert_non_null(strstr(strbuf_str(&notes), "r2.conf:8: % Ignored: no synchronization"));
	assert_non_null(strstr(strbuf_str(&notes), "r2.conf:15: % Ignored: line vty"));
	assert_non_null(strstr(strbuf_str(&notes), "r2.conf:16: % Ignored: password"));
	strbuf_free(&notes);
	config_free(&c);
}

static void test_block_structure(void **state)
{
	(void)state;
	struct config c;
	/* A top-level line ends the router block; indentation means nothing. */
	load_ok("router bgp 1\nneighbor 1.1.1.1 remote-as 2\nhostname X\nrouter bgp 1\n"
	        "    neighbor 1.1.1.2 remote-as 3\n", &c);
	assert_string_equal(c.hostname, "X");
	assert_int_equal(c.bgp.neighbor_count, 2);
	config_free(&c);

	/* After leaving the block, router commands are invalid input. */
	struct config_diag diag;
	assert_false(config_load_text("router bgp 1\nhostname X\n neighbor 1.1.1.1 remote-as 2\n",
	                              "t.conf", &c, &diag));
	assert_int_equal(diag.line, 3);
	assert_int_equal(diag.column, 1);
	assert_string_equal(diag.message, "% Invalid input detected at '^' marker.");

	/* `exit` and `end` never leave configuration mode in a file. */
	load_ok("router bgp 1\nexit\nexit\nhostname Y\nend\nhostname Z\n", &c);
	assert_string_equal(c.hostname, "Z");
	config_free(&c);

	/* CRLF line ends, no final newline, empty text. */
	load_ok("hostname W\r\nrouter bgp 5\r\n neighbor 1.1.1.1 remote-as 5", &c);
	assert_string_equal(c.hostname, "W");
	assert_int_equal(c.bgp.neighbor_count, 1);
	config_free(&c);
	load_ok("", &c);
	assert_string_equal(c.hostname, "Router");
	config_free(&c);
}

static void test_bad_line_diagnostics(void **state)
{
	(void)state;
	struct config c;
	struct config_diag diag;
	const char *text = "hostname R1\n!\nrouter bgp 100\n neighbor 10.0.0.1 remote-as foo\n";
	assert_false(config_load_text(text, "tern.conf", &c, &diag));
	assert_string_equal(diag.file, "tern.conf");
	assert_int_equal(diag.line, 4);
	assert_int_equal(diag.column, 29);
	assert_string_equal(diag.text, " neighbor 10.0.0.1 remote-as foo");
	assert_string_equal(diag.message, "% Invalid input detected at '^' marker.");
	struct strbuf out = STRBUF_INIT;
	config_diag_format(&diag, &out);
	assert_string_equal(strbuf_str(&out),
	                    "tern.conf:4: % Invalid input detected at '^' marker.\n"
	                    "   neighbor 10.0.0.1 remote-as foo\n"
	                    "                               ^");
	strbuf_free(&out);

	/* Router mode got further than global mode: its error is the one reported. */
	assert_false(config_load_text("router bgp 1\n timers bgp 1 70000\n", "t", &c, &diag));
	assert_int_equal(diag.line, 2);
	assert_int_equal(diag.column, 14);

	assert_false(config_load_text("router bgp 1\n neighbor 1.1.1.1 description x\n", "t", &c, &diag));
	assert_int_equal(diag.line, 2);
	assert_int_equal(diag.column, 10);
	assert_string_equal(diag.message, "% Specify remote-as or peer-group commands first");

	assert_false(config_load_text("sh ip bgp su\n", "t", &c, &diag));
	assert_int_equal(diag.column, 0);
	assert_false(config_load_text("router\n", "t", &c, &diag));
	assert_string_equal(diag.message, "% Incomplete command.");
	assert_int_equal(diag.column, 6);
	assert_false(config_load_text("i c\n", "t", &c, &diag));
	assert_string_equal(diag.message, "% Ambiguous command:  \"i c\"");
	assert_false(config_load_text("interface f0/0\n ip address 10.0.0.1 255.0.255.0\n", "t", &c,
	                              &diag));
	assert_int_equal(diag.line, 2);
	assert_int_equal(diag.column, 21);
	assert_string_equal(diag.message, "% Bad mask 0xFF00FF00 for address 10.0.0.1");
	assert_false(config_load_text("interface f0/0\n ip rip authentication key-chain K\n", "t", &c, &diag));
	assert_int_equal(diag.line, 2);
	assert_string_equal(diag.message, "% Not yet supported: key chains (ip rip authentication key KEY sets the key)");
	assert_false(config_load_text("router ospf 1\nrouter ospf 2\n", "t", &c, &diag));
	assert_int_equal(diag.line, 2);
	assert_string_equal(diag.message, "% Only one OSPF process is supported (process 1 is configured)");
	assert_false(config_load_text("ip route 10.1.0.0 255.0.0.0 1.1.1.1\n", "t", &c, &diag));
	assert_int_equal(diag.column, 9);
	assert_string_equal(diag.message, "% Inconsistent address and mask");
}

static void test_file_load(void **state)
{
	(void)state;
	char path[] = "/tmp/tern-test-config-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, seed_r2, strlen(seed_r2)), (ssize_t)strlen(seed_r2));
	close(fd);
	struct config c;
	struct config_diag diag;
	assert_true(config_load_file(path, &c, &diag));
	assert_string_equal(c.hostname, "R2");
	config_free(&c);
	unlink(path);
	assert_false(config_load_file(path, &c, &diag));
	assert_string_equal(diag.file, path);
	assert_int_equal(diag.line, 0);
	assert_non_null(strstr(diag.message, "Cannot open"));
}

static void test_neighbors_sorted(void **state)
{
	(void)state;
	struct config c;
	config_init(&c);
	c.bgp.enabled = true;
	c.bgp.asn = 1;
	const char *addrs[] = { "10.0.0.3", "10.0.0.1", "2001:db8::1", "10.0.0.2" };
	for (size_t i = 0; i < 4; i++) {
		struct ip_addr a;
		assert_true(ip_addr_parse(addrs[i], &a));
		assert_non_null(config_bgp_neighbor_add(&c.bgp, &a));
		/* Adding twice gives the same neighbour. */
		assert_ptr_equal(config_bgp_neighbor_add(&c.bgp, &a), config_bgp_neighbor_find(&c.bgp, &a));
	}
	assert_int_equal(c.bgp.neighbor_count, 4);
	for (size_t i = 1; i < c.bgp.neighbor_count; i++)
		assert_true(ip_addr_compare(&c.bgp.neighbors[i - 1].addr, &c.bgp.neighbors[i].addr) < 0);
	struct config copy;
	assert_true(config_copy(&copy, &c));
	assert_true(config_equal(&copy, &c));
	struct ip_addr a;
	ip_addr_parse("10.0.0.2", &a);
	config_bgp_neighbor_remove(&c.bgp, &a);
	assert_null(config_bgp_neighbor_find(&c.bgp, &a));
	assert_int_equal(c.bgp.neighbor_count, 3);
	assert_false(config_equal(&copy, &c));
	config_bgp_neighbor_remove(&c.bgp, &a); /* absent: nothing happens */
	assert_int_equal(c.bgp.neighbor_count, 3);
	config_free(&copy);
	config_free(&c);
}

/* ---- routes and interfaces ---- */

/* A router as the seed's lab has it: interfaces, router bgp with every new setting, static
 * routes, printed exactly as `show running-config` shows it. */
static const char full_canonical[] =
	"hostname R1\n"
	"!\n"
	"interface Loopback0\n"
	" ip address 1.1.1.1 255.255.255.255\n"
	" ipv6 address 2001:db8::1/128\n"
	"!\n"
	"interface Loopback1\n"
	" no ip address\n"
	"!\n"
	"interface FastEthernet0/0\n"
	" description to R2\n"
	" ip address 10.9.0.1 255.255.255.0 secondary\n"
	" ip address 192.168.1.1 255.255.255.0\n"
	" ipv6 address 2001:db8:1::1/64\n"
	"!\n"
	"interface FastEthernet0/10\n"
	" ip address 192.168.10.1 255.255.255.0\n"
	" shutdown\n"
	"!\n"
	"interface GigabitEthernet0/1\n"
	" ip address 192.168.2.1 255.255.255.252\n"
	"!\n"
	"interface eth0\n"
	" ip address 172.16.0.1 255.255.0.0\n"
	"!\n"
	"router bgp 100\n"
	" bgp router-id 1.1.1.1\n"
	" bgp cluster-id 0.0.0.7\n"
	" bgp always-compare-med\n"
	" bgp ebgp-requires-policy\n"
	" timers bgp 10 30\n"
	" network 0.0.0.0\n"
	" network 10.0.0.0\n"
	" network 10.1.0.0 mask 255.255.0.0\n"
	" network 172.16.0.0\n"
	" network 192.168.1.0\n"
	" network 192.168.1.0 mask 255.255.255.128\n"
	" aggregate-address 10.0.0.0 255.0.0.0 as-set summary-only\n"
	" aggregate-address 172.16.0.0 255.240.0.0 summary-only\n"
	" redistribute connected\n"
	" redistribute static metric 50\n"
	" neighbor 2.2.2.2 remote-as 100\n"
	" neighbor 2.2.2.2 update-source Loopback0\n"
	" neighbor 2.2.2.2 route-reflector-client\n"
	" neighbor 2.2.2.2 next-hop-self\n"
	" neighbor 2.2.2.2 soft-reconfiguration inbound\n"
	" neighbor 192.168.2.2 remote-as 200\n"
	" neighbor 192.168.2.2 allowas-in\n"
	" neighbor 192.168.2.3 remote-as 300\n"
	" neighbor 192.168.2.3 allowas-in 1\n"
	"!\n"
	"ip route 0.0.0.0 0.0.0.0 192.168.2.2\n"
	"ip route 2.2.2.2 255.255.255.255 192.168.1.2\n"
	"ip route 2.2.2.2 255.255.255.255 192.168.2.2 250\n"
	"ip route 10.0.0.0 255.0.0.0 FastEthernet0/0\n"
	"ip route 10.0.0.0 255.0.0.0 FastEthernet0/0 192.168.1.9 5\n"
	"ipv6 route ::/0 2001:db8:1::2\n"
	"ipv6 route 2001:db8:99::/48 FastEthernet0/0 fe80::2\n"
	"!\n"
	"end\n";

static void test_full_config_prints_canonically(void **state)
{
	(void)state;
	struct config c;
	load_ok(full_canonical, &c);
	char *text = printed(&c);
	assert_string_equal(text, full_canonical);
	free(text);
	assert_round_trip(full_canonical);

	/* The model, as the daemon reads it. */
	assert_int_equal(c.interface_count, 6);
	const struct config_interface *lo = &c.interfaces[0];
	assert_string_equal(lo->name, "Loopback0");
	assert_string_equal(lo->linux_name, "lo");
	assert_true(lo->is_loopback);
	assert_string_equal(c.interfaces[1].linux_name, "lo");
	const struct config_interface *f00 = &c.interfaces[2];
	assert_string_equal(f00->name, "FastEthernet0/0");
	assert_string_equal(f00->linux_name, "f0-0");
	assert_false(f00->is_loopback);
	assert_false(f00->shutdown);
	assert_string_equal(f00->description, "to R2");
	assert_int_equal(f00->address_count, 3);
	assert_false(f00->addresses[0].secondary); /* primary first, then secondaries, then IPv6 */
	assert_int_equal(ip_addr_v4(&f00->addresses[0].addr), 0xc0a80101);
	assert_int_equal(f00->addresses[0].len, 24);
	assert_true(f00->addresses[1].secondary);
	assert_int_equal(f00->addresses[2].addr.family, AF_INET6);
	assert_int_equal(f00->addresses[2].len, 64);
	assert_true(c.interfaces[3].shutdown);
	assert_string_equal(c.interfaces[5].name, "eth0");
	assert_string_equal(c.interfaces[5].linux_name, "eth0");

	assert_int_equal(c.bgp.cluster_id, 7);
	assert_true(c.bgp.always_compare_med);
	assert_true(c.bgp.ebgp_requires_policy);
	assert_int_equal(c.bgp.network_count, 6);
	assert_int_equal(c.bgp.networks[0].len, 0);
	assert_int_equal(c.bgp.networks[1].len, 8);
	assert_int_equal(c.bgp.networks[2].family, AF_INET);
	assert_int_equal(c.bgp.networks[2].addr[1], 1);
	assert_int_equal(c.bgp.aggregate_count, 2);
	assert_true(c.bgp.aggregates[0].as_set);
	assert_true(c.bgp.aggregates[0].summary_only);
	assert_false(c.bgp.aggregates[1].as_set);
	assert_true(c.bgp.redistribute_connected.enabled);
	assert_false(c.bgp.redistribute_connected.has_metric);
	assert_true(c.bgp.redistribute_static.has_metric);
	assert_int_equal(c.bgp.redistribute_static.metric, 50);
	const struct config_bgp_neighbor *n = &c.bgp.neighbors[0];
	assert_true(n->route_reflector_client);
	assert_true(n->next_hop_self);
	assert_true(n->soft_reconfiguration_inbound);
	assert_int_equal(n->allowas_in, 0);
	assert_int_equal(c.bgp.neighbors[1].allowas_in, 3);
	assert_int_equal(c.bgp.neighbors[2].allowas_in, 1);

	assert_int_equal(c.static_route_count, 7);
	const struct config_static_route *r = &c.static_routes[3];
	assert_string_equal(r->interface, "FastEthernet0/0");
	assert_string_equal(r->linux_name, "f0-0");
	assert_false(ip_addr_is_set(&r->next_hop));
	assert_int_equal(r->distance, 1);
	assert_int_equal(c.static_routes[4].distance, 5);
	assert_int_equal(c.static_routes[6].prefix.family, AF_INET6);
	assert_int_equal(c.static_routes[6].prefix.len, 48);

	/* A copy is equal and independent. */
	struct config copy;
	assert_true(config_copy(&copy, &c));
	assert_true(config_equal(&copy, &c));
	copy.interfaces[2].shutdown = true;
	assert_false(config_equal(&copy, &c));
	copy.interfaces[2].shutdown = false;
	copy.static_routes[0].distance = 9;
	assert_false(config_equal(&copy, &c));
	copy.static_routes[0].distance = 1;
	copy.bgp.networks[0].len = 1;
	assert_false(config_equal(&copy, &c));
	copy.bgp.networks[0].len = 0;
	copy.bgp.aggregates[1].as_set = true;
	assert_false(config_equal(&copy, &c));
	copy.bgp.aggregates[1].as_set = false;
	copy.bgp.neighbors[0].next_hop_self = false;
	assert_false(config_equal(&copy, &c));
	copy.bgp.neighbors[0].next_hop_self = true;
	copy.bgp.redistribute_static.metric = 51;
	assert_false(config_equal(&copy, &c));
	copy.bgp.redistribute_static.metric = 50;
	assert_true(config_equal(&copy, &c));
	config_free(&copy);
	config_free(&c);
}

/* The same router typed the way people type it: short names, any order, abbreviations,
 * IOS pasting habits; it must give exactly the canonical text above. */
static void test_typed_config_gives_canonical_form(void **state)
{
	(void)state;
	const char *typed =
		"hostname R1\n"
		"ip route 10.0.0.0 255.0.0.0 f0/0 192.168.1.9 5\n"
		"ip route 2.2.2.2 255.255.255.255 192.168.2.2 250\n"
		"int eth0\n"
		" ip add 172.16.0.1 255.255.0.0\n"
		"int fa0/10\n"
		" ip address 192.168.10.1 255.255.255.0\n"
		" shut\n"
		" duplex auto\n"
		" speed 100\n"
		"interface g0/1\n"
		" ip address 192.168.2.1 255.255.255.252\n"
		"interface lo1\n"
		"interface f0/0\n"
		" ip address 192.168.1.7 255.255.255.0\n"
		" ip address 192.168.1.1 255.255.255.0\n"
		" ip address 10.9.0.1 255.255.255.0 secondary\n"
		" description to R2\n"
		" ipv6 address 2001:db8:1::1/64\n"
		" no shutdown\n"
		"interface lo0\n"
		" ip address 1.1.1.1 255.255.255.255\n"
		" ipv6 address 2001:db8::1/128\n"
		"exit\n"
		"router bgp 100\n"
		" no synchronization\n"
		" bgp log-neighbor-changes\n"
		" bgp router-id 1.1.1.1\n"
		" bgp cluster-id 7\n"
		" bgp always-compare-med\n"
		" bgp ebgp-requires-policy\n"
		" timers bgp 10 30\n"
		" neighbor 2.2.2.2 remote-as 100\n"
		" neighbor 2.2.2.2 update-source Loopback0\n"
		" neighbor 192.168.2.2 remote-as 200\n"
		" neighbor 192.168.2.3 remote-as 300\n"
		" address-family ipv4 unicast\n"
		"  network 10.1.2.3 mask 255.255.0.0\n"
		"  network 10.0.0.0\n"
		"  network 172.16.0.0 mask 255.255.0.0\n"
		"  network 192.168.1.0 mask 255.255.255.128\n"
		"  network 192.168.1.77\n"
		"  network 0.0.0.0\n"
		"  aggregate-address 172.16.0.0 255.240.0.0 summary-only\n"
		"  aggregate-address 10.0.0.0 255.0.0.0\n"
		"  aggregate-address 10.0.0.0 255.0.0.0 summary-only as-set\n"
		"  redistribute static metric 50\n"
		"  redistribute connected\n"
		"  neighbor 2.2.2.2 activate\n"
		"  neighbor 2.2.2.2 next-hop-self\n"
		"  neighbor 2.2.2.2 route-reflector-client\n"
		"  neighbor 2.2.2.2 soft-reconfiguration inbound\n"
		"  neighbor 192.168.2.2 allowas-in 3\n"
		"  neighbor 192.168.2.3 allowas-in 1\n"
		"  no auto-summary\n"
		" exit-address-family\n"
		"ip route 0.0.0.0 0.0.0.0 192.168.2.2\n"
		"ipv6 route 2001:db8:99::/48 f0/0 fe80::2\n"
		"ipv6 route ::/0 2001:db8:1::2\n"
		"ip route 2.2.2.2 255.255.255.255 192.168.1.2\n"
		"ip route 10.0.0.0 255.0.0.0 FastEthernet0/0\n"
		"end\n";
	struct config c;
	struct config_diag diag;
	struct strbuf notes = STRBUF_INIT;
	if (!config_load_text_notes(typed, "typed.conf", &c, &diag, &notes))
		fail_msg("%u:%u %s [%s]", diag.line, diag.column, diag.message, diag.text);
	char *text = printed(&c);
	assert_string_equal(text, full_canonical);
	free(text);
	const char *n = strbuf_str(&notes);
	assert_non_null(strstr(n, "typed.conf:9: % Ignored: duplex auto (Tern does not set link media)"));
	assert_non_null(strstr(n, "% Ignored: bgp log-neighbor-changes"));
	assert_non_null(strstr(n, "% Ignored: address-family ipv4 unicast"));
	assert_non_null(strstr(n, "% Ignored: neighbor activate"));
	assert_non_null(strstr(n, "% Ignored: exit-address-family"));
	strbuf_free(&notes);
	config_free(&c);
}

static void test_round_trip_routes_and_interfaces(void **state)
{
	(void)state;
	static const char *const configs[] = {
		"router bgp 1\n network 10.0.0.0\n",
		"router bgp 1\n network 128.1.0.0\n network 192.0.2.0\n network 0.0.0.0\n",
		"router bgp 1\n network 0.0.0.0 mask 255.0.0.0\n",
		"router bgp 1\n network 10.0.0.0 mask 255.255.255.255\n",
		"router bgp 1\n network 224.0.0.0 mask 240.0.0.0\n",
		"router bgp 1\n aggregate-address 10.0.0.0 255.0.0.0\n",
		"router bgp 1\n aggregate-address 10.0.0.0 255.0.0.0 as-set\n",
		"router bgp 1\n aggregate-address 0.0.0.0 0.0.0.0 summary-only\n",
		"router bgp 1\n redistribute connected metric 0\n redistribute static\n",
		"router bgp 1\n bgp cluster-id 255.255.255.255\n",
		"router bgp 1\n bgp cluster-id 4294967295\n",
		"router bgp 1\n bgp always-compare-med\n",
		"router bgp 1\n bgp ebgp-requires-policy\n",
		"router bgp 1\n no bgp enforce-first-as\n",
		"router bgp 1\n neighbor 10.0.0.2 remote-as 2\n neighbor 10.0.0.2 enforce-first-as\n",
		"router bgp 1\n no bgp enforce-first-as\n neighbor 10.0.0.2 remote-as 2\n"
		" no neighbor 10.0.0.2 enforce-first-as\n",
		"router bgp 1\n neighbor 10.0.0.2 remote-as 2\n neighbor 10.0.0.2 maximum-prefix 100\n",
		"router bgp 1\n neighbor 10.0.0.2 remote-as 2\n neighbor 10.0.0.2 maximum-prefix 1000 90 restart 5\n",
		"router bgp 1\n neighbor 10.0.0.2 remote-as 2\n"
		" neighbor 10.0.0.2 maximum-prefix 2147483647 warning-only\n",
		"router bgp 1\n neighbor 10.0.0.2 remote-as 2\n neighbor 10.0.0.2 maximum-prefix 10 50 warning-only\n",
		"router bgp 1\n neighbor 10.0.0.2 remote-as 2\n neighbor 10.0.0.2 maximum-prefix 1 restart 65535\n",
		"router bgp 1\n neighbor 10.0.0.2 remote-as 2\n neighbor 10.0.0.2 next-hop-self\n",
		"router bgp 1\n neighbor 10.0.0.2 remote-as 1\n neighbor 10.0.0.2 route-reflector-client\n",
		"router bgp 1\n neighbor 10.0.0.2 remote-as 2\n neighbor 10.0.0.2 allowas-in\n",
		"router bgp 1\n neighbor 10.0.0.2 remote-as 2\n neighbor 10.0.0.2 allowas-in 10\n",
		"router bgp 1\n neighbor 2001:db8::2 remote-as 2\n"
		" neighbor 2001:db8::2 soft-reconfiguration inbound\n",
		"ip route 10.0.0.0 255.0.0.0 10.1.1.1\n",
		"ip route 10.0.0.0 255.0.0.0 10.1.1.1 255\n",
		"ip route 10.0.0.0 255.0.0.0 Null0\n",
		"ip route 10.0.0.0 255.0.0.0 lo0\n",
		"ip route 10.0.0.0 255.0.0.0 GigabitEthernet0/1.100 10.1.1.1\n",
		"ip route 0.0.0.0 0.0.0.0 eth0 200\n",
		"ip route 1.2.3.4 255.255.255.255 1.1.1.1\nip route 1.2.3.4 255.255.255.255 1.1.1.2\n",
		"ipv6 route 2001:db8::/32 2001:db8:1::1\n",
		"ipv6 route 2001:db8::/32 eth1\n",
		"ipv6 route ::/0 veth0 fe80::1 7\n",
		"ipv6 route 2001:db8::1/128 2001:db8:1::1 3\n",
		"interface f0/0\n",
		"interface f0/0\n ip address 10.0.0.1 255.0.0.0\n",
		"interface f0/0\n ip address 10.0.0.1 255.255.255.254\n",
		"interface f0/0\n ip address 10.0.0.1 255.0.0.0 secondary\n",
		"interface f0/0\n ip address 10.0.0.1 255.255.0.0 secondary\n"
		" ip address 10.1.0.1 255.255.0.0 secondary\n ip address 10.2.0.1 255.255.0.0\n",
		"interface f0/0\n ipv6 address 2001:db8::1/64\n ipv6 address fe80::1/64\n",
		"interface f0/0\n shutdown\n",
		"interface f0/0\n description  a  b  \n",
		"interface Serial0/0/1\n ip address 10.0.0.1 255.255.255.252\n",
		"interface e0\n ip address 10.0.0.1 255.255.255.0\n",
		"interface t0/0/1\n",
		"interface lo\n ip address 9.9.9.9 255.255.255.255\n",
		"interface veth-r1.5\n ip address 10.0.0.1 255.255.255.0\n",
		"interface Loopback99\n interface Loopback5\n interface Loopback10\n",
		full_canonical,
	};
	for (size_t i = 0; i < sizeof(configs) / sizeof(configs[0]); i++)
		assert_round_trip(configs[i]);
}

/* Loads text and checks the printed form. */
static void assert_prints(const char *text, const char *expected)
{
	struct config c;
	load_ok(text, &c);
	char *out = printed(&c);
	assert_string_equal(out, expected);
	free(out);
	config_free(&c);
}

static void test_masks_and_normalising(void **state)
{
	(void)state;
	/* network: the classful mask when none is given; host bits are cleared, as IOS does. */
	assert_prints("router bgp 1\n network 10.1.2.3\n network 172.16.5.5\n network 200.1.1.1\n"
	              " network 10.1.2.3 mask 255.255.0.0\n network 0.0.0.0\n",
	              "hostname Router\n!\nrouter bgp 1\n network 0.0.0.0\n network 10.0.0.0\n"
	              " network 10.1.0.0 mask 255.255.0.0\n network 172.16.0.0\n network 200.1.1.0\n"
	              "!\nend\n");
	/* The same network twice is one network; a classful one typed with its mask prints short. */
	assert_prints("router bgp 1\n network 10.0.0.0\n network 10.0.0.0 mask 255.0.0.0\n",
	              "hostname Router\n!\nrouter bgp 1\n network 10.0.0.0\n!\nend\n");
	assert_prints("router bgp 1\n aggregate-address 10.1.2.3 255.0.0.0\n",
	              "hostname Router\n!\nrouter bgp 1\n aggregate-address 10.0.0.0 255.0.0.0\n!\nend\n");
	/* ipv6 route: host bits cleared too. */
	assert_prints("ipv6 route 2001:db8::1/32 eth0\n",
	              "hostname Router\n!\nipv6 route 2001:db8::/32 eth0\n!\nend\n");

	struct config c;
	load_ok("router bgp 1\n", &c);
	enum cli_mode bgp = CLI_MODE_CONFIG_ROUTER_BGP;
	assert_rejected(&c, bgp, "network 10.0.0.0 mask 255.0.255.0", "% Inconsistent address and mask",
	                22);
	assert_rejected(&c, bgp, "network 224.0.0.1", "% 224.0.0.1 is not a classful network: give its mask",
	                8);
	assert_rejected(&c, bgp, "aggregate-address 10.0.0.0 0.255.0.0",
	                "% Inconsistent address and mask", 27);
	assert_rejected(&c, CLI_MODE_CONFIG, "ip route 10.0.0.1 255.0.0.0 1.1.1.1",
	                "% Inconsistent address and mask", 9);
	assert_rejected(&c, CLI_MODE_CONFIG, "ip route 10.0.0.0 255.255.0.255 1.1.1.1",
	                "% Inconsistent address and mask", 18);
	assert_rejected(&c, CLI_MODE_CONFIG, "ip route 10.0.0.0 255.0.0.0 0.0.0.0",
	                "% Invalid next hop address", 28);
	assert_rejected(&c, CLI_MODE_CONFIG, "ip route 10.0.0.0 255.0.0.0 224.0.0.5",
	                "% Invalid next hop address", 28);
	assert_rejected(&c, CLI_MODE_CONFIG, "ip route 10.0.0.0 255.0.0.0 f0/0/ 1.1.1.1",
	                "% Invalid input detected at '^' marker.", 28);
	assert_rejected(&c, CLI_MODE_CONFIG, "ipv6 route ::/0 fe80::1",
	                "% Interface has to be specified for a link-local nexthop", 16);
	assert_rejected(&c, CLI_MODE_CONFIG, "ipv6 route ::/0 ff02::1", "% Invalid next hop address",
	                16);
	assert_rejected(&c, CLI_MODE_CONFIG, "ipv6 route ::/0 fe80::1 fe80::2",
	                "% Invalid input detected at '^' marker.", 16);
	assert_rejected(&c, bgp, "bgp cluster-id 0.0.0.0", "% Invalid cluster-id 0.0.0.0", 15);
	config_free(&c);
}

static void test_bgp_route_settings(void **state)
{
	(void)state;
	struct config c;
	load_ok("router bgp 100\n neighbor 10.0.0.2 remote-as 200\n neighbor 10.0.0.3 remote-as 100\n"
	        " neighbor 10.0.0.3 route-reflector-client\n", &c);
	enum cli_mode bgp = CLI_MODE_CONFIG_ROUTER_BGP;
	/* IOS refuses route reflection to an eBGP neighbour. */
	assert_rejected(&c, bgp, "neighbor 10.0.0.2 route-reflector-client",
	                "% Invalid command for an eBGP neighbor", 9);
	assert_rejected(&c, bgp, "neighbor 10.0.0.9 next-hop-self",
	                "% Specify remote-as or peer-group commands first", 9);
	assert_rejected(&c, bgp, "neighbor 10.0.0.9 allowas-in",
	                "% Specify remote-as or peer-group commands first", 9);
	/* An iBGP client that turns eBGP stops being a client, and says so. */
	struct config_apply_result r;
	assert_true(apply(&c, bgp, "neighbor 10.0.0.3 remote-as 300", &r));
	assert_string_equal(r.message,
	                    "% Removed route-reflector-client: 10.0.0.3 is an eBGP neighbor now");
	assert_false(c.bgp.neighbors[1].route_reflector_client);
	assert_true(apply(&c, bgp, "neighbor 10.0.0.3 remote-as 100", &r));
	assert_string_equal(r.message, "");
	/* allowas-in: default 3, a value, `no` with or without it */
	assert_true(apply(&c, bgp, "neighbor 10.0.0.2 allowas-in", &r));
	assert_int_equal(c.bgp.neighbors[0].allowas_in, 3);
	assert_true(apply(&c, bgp, "neighbor 10.0.0.2 allowas-in 7", &r));
	assert_int_equal(c.bgp.neighbors[0].allowas_in, 7);
	assert_true(apply(&c, bgp, "no neighbor 10.0.0.2 allowas-in 2", &r));
	assert_int_equal(c.bgp.neighbors[0].allowas_in, 0);
	/* enforce-first-as: on for the router by default; a neighbour may say either way */
	assert_false(c.bgp.no_enforce_first_as);
	assert_true(apply(&c, bgp, "no bgp enforce-first-as", &r));
	assert_true(c.bgp.no_enforce_first_as);
	assert_true(apply(&c, bgp, "bgp enforce-first-as", &r));
	assert_false(c.bgp.no_enforce_first_as);
	assert_int_equal(c.bgp.neighbors[0].enforce_first_as, CONFIG_FIRST_AS_DEFAULT);
	assert_true(apply(&c, bgp, "no neighbor 10.0.0.2 enforce-first-as", &r));
	assert_int_equal(c.bgp.neighbors[0].enforce_first_as, CONFIG_FIRST_AS_IGNORE);
	assert_true(apply(&c, bgp, "neighbor 10.0.0.2 enforce-first-as", &r));
	assert_int_equal(c.bgp.neighbors[0].enforce_first_as, CONFIG_FIRST_AS_ENFORCE);
	/* maximum-prefix: threshold 75 unless given; retyped, it replaces; `no` in any form */
	assert_true(apply(&c, bgp, "neighbor 10.0.0.2 maximum-prefix 100", &r));
	assert_int_equal(c.bgp.neighbors[0].maximum_prefix, 100);
	assert_int_equal(c.bgp.neighbors[0].maximum_prefix_threshold, 75);
	assert_true(apply(&c, bgp, "neighbor 10.0.0.2 maximum-prefix 50 80 restart 3", &r));
	assert_int_equal(c.bgp.neighbors[0].maximum_prefix, 50);
	assert_int_equal(c.bgp.neighbors[0].maximum_prefix_threshold, 80);
	assert_int_equal(c.bgp.neighbors[0].maximum_prefix_restart, 3);
	assert_false(c.bgp.neighbors[0].maximum_prefix_warning_only);
	assert_true(apply(&c, bgp, "neighbor 10.0.0.2 maximum-prefix 50 warning-only", &r));
	assert_true(c.bgp.neighbors[0].maximum_prefix_warning_only);
	assert_int_equal(c.bgp.neighbors[0].maximum_prefix_restart, 0);
	assert_int_equal(c.bgp.neighbors[0].maximum_prefix_threshold, 75);
	assert_true(apply(&c, bgp, "no neighbor 10.0.0.2 maximum-prefix", &r));
	assert_int_equal(c.bgp.neighbors[0].maximum_prefix, 0);
	assert_true(apply(&c, bgp, "neighbor 10.0.0.2 maximum-prefix 50", &r));
	assert_true(apply(&c, bgp, "no neighbor 10.0.0.2 maximum-prefix 50 90", &r));
	assert_int_equal(c.bgp.neighbors[0].maximum_prefix, 0);
	assert_rejected(&c, bgp, "neighbor 10.0.0.9 maximum-prefix 10",
	                "% Specify remote-as or peer-group commands first", 9);
	/* out of range, and (IOS) restart together with warning-only: refused by the grammar */
	static const char *const refused[] = {
		"neighbor 10.0.0.2 maximum-prefix 0",
		"neighbor 10.0.0.2 maximum-prefix 2147483648",
		"neighbor 10.0.0.2 maximum-prefix 10 101",
		"neighbor 10.0.0.2 maximum-prefix 10 warning-only restart 5",
		"neighbor 10.0.0.2 maximum-prefix 10 restart 0",
	};
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		struct cli_parse p;
		assert_int_not_equal(cli_parse(bgp, refused[i], &p), CLI_OK);
		assert_string_equal(p.message, "% Invalid input detected at '^' marker.");
	}
	/* A second aggregate-address for a prefix replaces the first. */
	assert_true(apply(&c, bgp, "aggregate-address 10.0.0.0 255.0.0.0 as-set", &r));
	assert_true(apply(&c, bgp, "aggregate-address 10.0.0.0 255.0.0.0 summary-only", &r));
	assert_int_equal(c.bgp.aggregate_count, 1);
	assert_false(c.bgp.aggregates[0].as_set);
	assert_true(c.bgp.aggregates[0].summary_only);
	/* redistribute: typed again without metric, the metric goes */
	assert_true(apply(&c, bgp, "redistribute connected metric 5", &r));
	assert_true(apply(&c, bgp, "redistribute connected", &r));
	assert_false(c.bgp.redistribute_connected.has_metric);
	assert_true(apply(&c, bgp, "no redistribute connected metric 5", &r));
	assert_false(c.bgp.redistribute_connected.enabled);
	/* no router bgp forgets networks and aggregates too */
	assert_true(apply(&c, bgp, "network 10.0.0.0", &r));
	assert_true(apply(&c, CLI_MODE_CONFIG, "no router bgp 100", &r));
	assert_int_equal(c.bgp.network_count, 0);
	assert_null(c.bgp.networks);
	assert_int_equal(c.bgp.aggregate_count, 0);
	config_free(&c);
}

static void test_static_routes(void **state)
{
	(void)state;
	struct config c;
	config_init(&c);
	struct config_apply_result r;
	enum cli_mode conf = CLI_MODE_CONFIG;
	assert_true(apply(&c, conf, "ip route 10.0.0.0 255.0.0.0 1.1.1.1", &r));
	assert_true(apply(&c, conf, "ip route 10.0.0.0 255.0.0.0 1.1.1.2 20", &r));
	assert_true(apply(&c, conf, "ip route 10.0.0.0 255.0.0.0 f0/0", &r));
	assert_true(apply(&c, conf, "ip route 10.0.0.0 255.255.0.0 1.1.1.1", &r));
	assert_int_equal(c.static_route_count, 4);
	/* The same route again: a new distance, still one route. */
	assert_true(apply(&c, conf, "ip route 10.0.0.0 255.0.0.0 1.1.1.1 7", &r));
	assert_int_equal(c.static_route_count, 4);
	assert_int_equal(c.static_routes[0].distance, 7); /* 10/8: via 1.1.1.1, 1.1.1.2, f0/0 */
	assert_int_equal(c.static_routes[1].distance, 20);
	assert_string_equal(c.static_routes[2].interface, "FastEthernet0/0");
	/* `no` names one route exactly (the distance does not matter)... */
	assert_rejected(&c, conf, "no ip route 10.0.0.0 255.0.0.0 1.1.1.3", "%No matching route to delete",
	                3);
	assert_rejected(&c, conf, "no ip route 10.0.0.0 255.0.0.0 FastEthernet0/1",
	                "%No matching route to delete", 3);
	assert_true(apply(&c, conf, "no ip route 10.0.0.0 255.0.0.0 1.1.1.1 99", &r));
	assert_int_equal(c.static_route_count, 3);
	assert_true(apply(&c, conf, "no ip route 10.0.0.0 255.0.0.0 FastEthernet0/0", &r));
	assert_int_equal(c.static_route_count, 2);
	/* ...or every route to the prefix. */
	assert_true(apply(&c, conf, "no ip route 10.0.0.0 255.0.0.0", &r));
	assert_int_equal(c.static_route_count, 1);
	assert_int_equal(c.static_routes[0].prefix.len, 16);
	assert_rejected(&c, conf, "no ip route 10.0.0.0 255.0.0.0", "%No matching route to delete", 3);
	assert_true(apply(&c, conf, "ipv6 route 2001:db8::/32 eth0 fe80::1", &r));
	assert_true(apply(&c, conf, "ipv6 route 2001:db8::/32 2001:db8:1::1", &r));
	assert_true(apply(&c, conf, "no ipv6 route 2001:db8::/32 eth0 fe80::1", &r));
	assert_int_equal(c.static_route_count, 2);
	assert_true(apply(&c, conf, "no ipv6 route 2001:db8::/32", &r));
	assert_true(apply(&c, conf, "no ip route 10.0.0.0 255.255.0.0 1.1.1.1", &r));
	assert_int_equal(c.static_route_count, 0);
	assert_null(c.static_routes);
	config_free(&c);
}

/* One line typed in a session with its interface context. */
static bool apply_in(struct config *c, struct config_context *ctx, enum cli_mode mode,
                     const char *line, struct config_apply_result *r)
{
	struct cli_parse p;
	if (cli_parse(mode, line, &p) != CLI_OK)
		fail_msg("parse failed: %s: %s", line, p.message);
	return config_apply_in(c, &p, ctx, r);
}

/* Refused in the session: message and column, nothing changed (config and context). */
static void assert_rejected_in(struct config *c, struct config_context *ctx, const char *line,
                               const char *message, size_t column)
{
	struct config before;
	struct config_context ctx_before = *ctx;
	assert_true(config_copy(&before, c));
	struct config_apply_result r;
	assert_false(apply_in(c, ctx, CLI_MODE_CONFIG_INTERFACE, line, &r));
	assert_string_equal(r.message, message);
	assert_int_equal(r.column, column);
	assert_int_equal(r.mode, CLI_MODE_CONFIG_INTERFACE);
	assert_true(config_equal(&before, c));
	assert_memory_equal(&ctx_before, ctx, sizeof(*ctx));
	config_free(&before);
}

static void test_interface_context(void **state)
{
	(void)state;
	struct config c;
	struct config_context ctx;
	struct config_apply_result r;
	config_init(&c);
	config_context_init(&ctx);
	enum cli_mode ifm = CLI_MODE_CONFIG_INTERFACE;
	assert_true(apply_in(&c, &ctx, CLI_MODE_CONFIG, "interface fa0/0", &r));
	assert_int_equal(r.mode, ifm);
	assert_string_equal(ctx.interface, "FastEthernet0/0");
	assert_true(apply_in(&c, &ctx, ifm, "ip address 192.168.1.1 255.255.255.0", &r));
	assert_true(apply_in(&c, &ctx, CLI_MODE_CONFIG, "interface Loopback0", &r));
	assert_string_equal(ctx.interface, "Loopback0");
	assert_true(apply_in(&c, &ctx, ifm, "ip address 1.1.1.1 255.255.255.255", &r));
	/* The Linux name of an IOS interface is the same interface. */
	assert_true(apply_in(&c, &ctx, CLI_MODE_CONFIG, "interface f0-0", &r));
	assert_string_equal(ctx.interface, "FastEthernet0/0");
	assert_true(apply_in(&c, &ctx, ifm, "description lan", &r));
	assert_int_equal(c.interface_count, 2);
	assert_string_equal(c.interfaces[0].name, "Loopback0");
	assert_int_equal(ip_addr_v4(&c.interfaces[0].addresses[0].addr), 0x01010101);
	assert_string_equal(c.interfaces[1].description, "lan");
	assert_int_equal(ip_addr_v4(&c.interfaces[1].addresses[0].addr), 0xc0a80101);
	assert_ptr_equal(config_interface_find(&c, "f0/0"), &c.interfaces[1]);
	assert_ptr_equal(config_interface_find(&c, "f0-0"), &c.interfaces[1]);
	assert_ptr_equal(config_interface_find(&c, "lo0"), &c.interfaces[0]);
	assert_null(config_interface_find(&c, "lo"));
	assert_null(config_interface_find(&c, "f0/1"));
	/* Leaving interface mode clears the context; a refused command keeps it. */
	assert_rejected_in(&c, &ctx, "ip address 10.0.0.0 255.0.0.0", "% Bad mask /8 for address 10.0.0.0",
	                   11);
	assert_string_equal(ctx.interface, "FastEthernet0/0");
	assert_true(apply_in(&c, &ctx, ifm, "exit", &r));
	assert_string_equal(ctx.interface, "");
	assert_rejected_in(&c, &ctx, "shutdown", "% No interface selected", 0);
	/* Another session removed the interface: the next command configures it again. */
	assert_true(apply_in(&c, &ctx, CLI_MODE_CONFIG, "interface eth1", &r));
	struct config_context other;
	config_context_init(&other);
	assert_true(apply_in(&c, &other, CLI_MODE_CONFIG, "no interface eth1", &r));
	assert_string_equal(other.interface, "");
	assert_int_equal(c.interface_count, 2);
	assert_true(apply_in(&c, &ctx, ifm, "shutdown", &r));
	assert_int_equal(c.interface_count, 3);
	assert_true(config_interface_find(&c, "eth1")->shutdown);
	/* `do` in interface mode is exec, and keeps the context. */
	assert_false(apply_in(&c, &ctx, ifm, "do show ip interface brief", &r));
	assert_string_equal(ctx.interface, "eth1");
	config_free(&c);

	/* In a file, each interface's lines go to it, and a global line ends the block. */
	load_ok("interface f0/0\n ip address 10.0.0.1 255.255.255.0\n"
	        "interface f0/1\n ip address 10.0.1.1 255.255.255.0\n no shutdown\n"
	        "ip route 0.0.0.0 0.0.0.0 10.0.0.2\n", &c);
	assert_int_equal(c.interface_count, 2);
	assert_int_equal(c.interfaces[0].addresses[0].addr.bytes[2], 0);
	assert_int_equal(c.interfaces[1].addresses[0].addr.bytes[2], 1);
	assert_string_equal(c.interfaces[1].description, "");
	config_free(&c);
	struct config_diag diag;
	/* ` description` after the block ended is not a global command: its line and caret. */
	assert_false(config_load_text("interface f0/1\nip route 0.0.0.0 0.0.0.0 10.0.0.2\n"
	                              " description stray\n", "t.conf", &c, &diag));
	assert_int_equal(diag.line, 3);
	assert_int_equal(diag.column, 1);
	assert_string_equal(diag.message, "% Invalid input detected at '^' marker.");
}

static void test_interface_addresses(void **state)
{
	(void)state;
	struct config c;
	struct config_context ctx;
	struct config_apply_result r;
	config_init(&c);
	config_context_init(&ctx);
	enum cli_mode ifm = CLI_MODE_CONFIG_INTERFACE;
	assert_true(apply_in(&c, &ctx, CLI_MODE_CONFIG, "interface g0/0", &r));
	assert_true(apply_in(&c, &ctx, ifm, "ip address 10.0.0.1 255.255.255.0", &r));
	/* A second primary replaces the first (IOS). */
	assert_true(apply_in(&c, &ctx, ifm, "ip address 10.0.0.2 255.255.255.0", &r));
	assert_int_equal(c.interfaces[0].address_count, 1);
	assert_int_equal(c.interfaces[0].addresses[0].addr.bytes[3], 2);
	assert_true(apply_in(&c, &ctx, ifm, "ip address 10.0.0.2 255.255.255.0", &r)); /* again */
	assert_true(apply_in(&c, &ctx, ifm, "ip address 10.1.0.1 255.255.0.0 secondary", &r));
	assert_true(apply_in(&c, &ctx, ifm, "ip address 10.2.0.1 255.255.0.0 secondary", &r));
	assert_true(apply_in(&c, &ctx, ifm, "ipv6 address 2001:db8::1/64", &r));
	assert_true(apply_in(&c, &ctx, ifm, "ipv6 address 2001:db8::1/56", &r)); /* a new length */
	assert_int_equal(c.interfaces[0].address_count, 4);
	assert_int_equal(c.interfaces[0].addresses[3].len, 56);
	/* IOS checks */
	assert_rejected_in(&c, &ctx, "ip address 10.5.0.1 255.0.255.0",
	                   "% Bad mask 0xFF00FF00 for address 10.5.0.1", 20);
	assert_rejected_in(&c, &ctx, "ip address 10.5.0.0 255.255.255.0",
	                   "% Bad mask /24 for address 10.5.0.0", 11);
	assert_rejected_in(&c, &ctx, "ip address 10.5.0.255 255.255.255.0",
	                   "% Bad mask /24 for address 10.5.0.255", 11);
	assert_rejected_in(&c, &ctx, "ip address 10.5.0.1 0.0.0.0", "% Bad mask /0 for address 10.5.0.1",
	                   11);
	assert_rejected_in(&c, &ctx, "ip address 224.0.0.1 255.255.255.0",
	                   "% Not a valid host address - 224.0.0.1", 11);
	assert_rejected_in(&c, &ctx, "ip address 127.0.0.1 255.0.0.0",
	                   "% Not a valid host address - 127.0.0.1", 11);
	assert_rejected_in(&c, &ctx, "ip address 10.1.2.3 255.255.255.0 secondary",
	                   "% 10.1.2.0 overlaps with GigabitEthernet0/0", 11);
	assert_rejected_in(&c, &ctx, "no ip address 10.0.0.2 255.255.255.0",
	                   "% Must delete secondary before deleting primary", 14);
	assert_rejected_in(&c, &ctx, "no ip address 10.9.0.1 255.255.0.0 secondary",
	                   "% Address 10.9.0.1 not configured on GigabitEthernet0/0", 14);
	assert_rejected_in(&c, &ctx, "no ip address 10.1.0.1 255.255.0.0",
	                   "% Address 10.1.0.1 not configured on GigabitEthernet0/0", 14);
	assert_rejected_in(&c, &ctx, "ipv6 address ff02::1/64",
	                   "% Not a valid IPv6 unicast address - ff02::1/64", 13);
	assert_rejected_in(&c, &ctx, "ipv6 address 2001:db8::2/0",
	                   "% Bad prefix length /0 for address 2001:db8::2/0", 13);
	assert_rejected_in(&c, &ctx, "no ipv6 address 2001:db8::1/64",
	                   "% Address 2001:db8::1/64 not configured on GigabitEthernet0/0", 16);
	/* Another interface may not overlap, nor share an IPv6 address. */
	assert_true(apply_in(&c, &ctx, CLI_MODE_CONFIG, "interface g0/1", &r));
	assert_rejected_in(&c, &ctx, "ip address 10.0.0.9 255.255.0.0",
	                   "% 10.0.0.0 overlaps with GigabitEthernet0/0", 11);
	assert_rejected_in(&c, &ctx, "ipv6 address 2001:db8::1/64",
	                   "% 2001:db8::1/64 is already configured on GigabitEthernet0/0", 13);
	assert_true(apply_in(&c, &ctx, ifm, "ip address 10.3.0.1 255.255.0.0", &r));
	/* Removing: a secondary, then the primary, then everything. */
	assert_true(apply_in(&c, &ctx, CLI_MODE_CONFIG, "interface g0/0", &r));
	assert_true(apply_in(&c, &ctx, ifm, "no ip address 10.1.0.1 255.255.0.0 secondary", &r));
	assert_true(apply_in(&c, &ctx, ifm, "no ip address 10.2.0.1 255.255.0.0 secondary", &r));
	assert_true(apply_in(&c, &ctx, ifm, "no ip address 10.0.0.2 255.255.255.0", &r));
	assert_int_equal(c.interfaces[0].address_count, 1);
	assert_true(apply_in(&c, &ctx, ifm, "ip address 10.0.0.1 255.255.255.0 secondary", &r));
	assert_true(apply_in(&c, &ctx, ifm, "ip address 10.1.0.1 255.255.255.0", &r));
	assert_true(apply_in(&c, &ctx, ifm, "no ip address", &r));
	assert_int_equal(c.interfaces[0].address_count, 1); /* the IPv6 one */
	assert_true(apply_in(&c, &ctx, ifm, "no ipv6 address", &r));
	assert_int_equal(c.interfaces[0].address_count, 0);
	/* Sixteen addresses at most. */
	char line[80];
	for (int i = 0; i < CONFIG_INTERFACE_ADDRESSES_MAX; i++) {
		snprintf(line, sizeof(line), "ip address 10.200.%d.1 255.255.255.0 secondary", i);
		assert_true(apply_in(&c, &ctx, ifm, line, &r));
	}
	assert_rejected_in(&c, &ctx, "ipv6 address 2001:db8::7/64",
	                   "% Too many addresses on GigabitEthernet0/0 (at most 16)", 13);
	/* shutdown, description and their no forms */
	assert_true(apply_in(&c, &ctx, ifm, "shutdown", &r));
	assert_true(c.interfaces[0].shutdown);
	assert_true(apply_in(&c, &ctx, ifm, "no shutdown", &r));
	assert_false(c.interfaces[0].shutdown);
	assert_true(apply_in(&c, &ctx, ifm, "description x y", &r));
	assert_true(apply_in(&c, &ctx, ifm, "no description", &r));
	assert_string_equal(c.interfaces[0].description, "");
	/* no interface forgets it all */
	assert_true(apply_in(&c, &ctx, CLI_MODE_CONFIG, "no interface GigabitEthernet0/0", &r));
	assert_int_equal(c.interface_count, 1);
	assert_string_equal(c.interfaces[0].name, "GigabitEthernet0/1");
	assert_true(apply_in(&c, &ctx, CLI_MODE_CONFIG, "no interface g0/1", &r));
	assert_int_equal(c.interface_count, 0);
	assert_true(apply_in(&c, &ctx, CLI_MODE_CONFIG, "no interface g0/7", &r)); /* absent: fine */
	config_free(&c);
}

static void test_new_no_forms(void **state)
{
	(void)state;
	const char *full =
		"interface f0/0\n"
		" description d\n"
		" ip address 10.0.0.1 255.0.0.0\n"
		" ip address 11.0.0.1 255.0.0.0 secondary\n"
		" ipv6 address 2001:db8::1/64\n"
		" shutdown\n"
		"router bgp 100\n"
		" bgp cluster-id 1.2.3.4\n"
		" bgp always-compare-med\n"
		" bgp ebgp-requires-policy\n"
		" network 10.0.0.0\n"
		" network 10.1.0.0 mask 255.255.0.0\n"
		" aggregate-address 10.0.0.0 255.0.0.0 summary-only\n"
		" redistribute connected metric 3\n"
		" redistribute static\n"
		" neighbor 10.0.0.2 remote-as 100\n"
		" neighbor 10.0.0.2 next-hop-self\n"
		" neighbor 10.0.0.2 route-reflector-client\n"
		" neighbor 10.0.0.2 allowas-in 4\n"
		" neighbor 10.0.0.2 soft-reconfiguration inbound\n"
		"ip route 0.0.0.0 0.0.0.0 10.0.0.9\n"
		"ipv6 route ::/0 f0/0 fe80::1\n";
	const char *undo =
		"interface f0/0\n"
		" no description\n"
		" no ip address 11.0.0.1 255.0.0.0 secondary\n"
		" no ip address 10.0.0.1 255.0.0.0\n"
		" no ipv6 address 2001:db8::1/64\n"
		" no shutdown\n"
		"router bgp 100\n"
		" no bgp cluster-id\n"
		" no bgp always-compare-med\n"
		" no bgp ebgp-requires-policy\n"
		" no network 10.0.0.0\n"
		" no network 10.1.0.0 mask 255.255.0.0\n"
		" no aggregate-address 10.0.0.0 255.0.0.0\n"
		" no redistribute connected\n"
		" no redistribute static metric 1\n"
		" no neighbor 10.0.0.2 next-hop-self\n"
		" no neighbor 10.0.0.2 route-reflector-client\n"
		" no neighbor 10.0.0.2 allowas-in\n"
		" no neighbor 10.0.0.2 soft-reconfiguration inbound\n"
		"no ip route 0.0.0.0 0.0.0.0 10.0.0.9\n"
		"no ipv6 route ::/0 FastEthernet0/0 fe80::1\n";
	char text[4096];
	snprintf(text, sizeof(text), "%s%s", full, undo);
	struct config c, fresh;
	load_ok(text, &c);
	load_ok("interface f0/0\nrouter bgp 100\n neighbor 10.0.0.2 remote-as 100\n", &fresh);
	assert_true(config_equal(&c, &fresh));
	config_free(&c);
	config_free(&fresh);
	snprintf(text, sizeof(text), "%sno interface f0/0\nno router bgp 100\nno ip route 0.0.0.0 0.0.0.0\n"
	         "no ipv6 route ::/0\n", full);
	load_ok(text, &c);
	config_init(&fresh);
	assert_true(config_equal(&c, &fresh));
	config_free(&c);
	config_free(&fresh);
}


/* ---- routing policy: prefix-lists, community-lists, route-maps, neighbour bindings ---- */

static void test_policy_round_trip(void **state)
{
	(void)state;
	static const char *const configs[] = {
		"ip prefix-list A seq 5 permit 10.0.0.0/8\n",
		"ip prefix-list A seq 5 permit 10.0.0.0/8 le 24\n",
		"ip prefix-list A seq 5 deny 10.0.0.0/8 ge 16\n",
		"ip prefix-list A seq 5 permit 10.0.0.0/8 ge 16 le 24\n"
		"ip prefix-list A seq 10 deny 0.0.0.0/0 le 32\n"
		"ip prefix-list B seq 7 permit 192.168.1.0/24\n",
		"ip community-list standard KEEP permit 65000:1 no-export\n"
		"ip community-list standard KEEP deny 1:2\n",
		"ip community-list 10 permit 100:1\n",
		"route-map NONE deny 10\n",
		"route-map RM permit 10\n match ip address prefix-list A\n set local-preference 200\n"
		"route-map RM permit 20\n set metric 5\n set community 65000:1 65000:2 additive\n"
		" set as-path prepend 65001 65001\n",
		"route-map RM permit 10\n match community KEEP\n set community none\n",
		"route-map RM deny 65535\nroute-map RM permit 0\n set community no-advertise local-AS\n",
		"router bgp 100\n neighbor 10.0.0.2 remote-as 200\n neighbor 10.0.0.2 prefix-list A in\n"
		" neighbor 10.0.0.2 prefix-list B out\n neighbor 10.0.0.2 route-map RM in\n"
		" neighbor 10.0.0.2 route-map NONE out\n",
	};
	for (size_t i = 0; i < sizeof(configs) / sizeof(configs[0]); i++)
		assert_round_trip(configs[i]);
}

static void test_policy_canonical_form(void **state)
{
	(void)state;
	struct config c;
	load_ok("route-map RM permit 20\n set metric 5\n"
		"route-map RM permit 10\n"
		"ip prefix-list Z permit 10.1.2.3/16\n"
		"ip prefix-list Z deny 0.0.0.0/0 le 32\n"
		"ip prefix-list Z permit 10.1.0.0/16\n" /* already there: ignored */
		"ip prefix-list A seq 3 permit 1.0.0.0/8\n"
		"router bgp 1\n neighbor 10.0.0.2 remote-as 2\n neighbor 10.0.0.2 route-map RM out\n"
		"ip route 10.9.0.0 255.255.0.0 10.0.0.2\n",
		&c);
	char *text = printed(&c);
	assert_string_equal(text,
			    "hostname Router\n!\n"
			    "router bgp 1\n neighbor 10.0.0.2 remote-as 2\n neighbor 10.0.0.2 route-map RM out\n!\n"
			    "ip route 10.9.0.0 255.255.0.0 10.0.0.2\n!\n"
			    "ip prefix-list A seq 3 permit 1.0.0.0/8\n"
			    "ip prefix-list Z seq 5 permit 10.1.0.0/16\n"
			    "ip prefix-list Z seq 10 deny 0.0.0.0/0 le 32\n!\n"
			    "route-map RM permit 10\n!\n"
			    "route-map RM permit 20\n set metric 5\n!\n"
			    "end\n");
	free(text);
	config_free(&c);
}

/* Refused in the session in mode: message and column, nothing changed. */
static void assert_refused_in(struct config *c, struct config_context *ctx, enum cli_mode mode, const char *line,
			      const char *message, size_t column)
{
	struct config before;
	struct config_context ctx_before = *ctx;
	assert_true(config_copy(&before, c));
	struct config_apply_result r;
	assert_false(apply_in(c, ctx, mode, line, &r));
	assert_string_equal(r.message, message);
	assert_int_equal(r.column, column);
	assert_int_equal(r.mode, mode);
	assert_true(config_equal(&before, c));
	assert_memory_equal(&ctx_before, ctx, sizeof(*ctx));
	config_free(&before);
}

static void test_policy_checks_and_no_forms(void **state)
{
	(void)state;
	struct config c;
	config_init(&c);
	struct config_context ctx;
	config_context_init(&ctx);
	struct config_apply_result r;
	assert_rejected(&c, CLI_MODE_CONFIG, "ip prefix-list A permit 10.0.0.0/8 ge 8",
			"% Invalid prefix range for 10.0.0.0/8, make sure: len < ge-value <= le-value", 38);
	assert_rejected(&c, CLI_MODE_CONFIG, "ip prefix-list A permit 10.0.0.0/16 le 8",
			"% Invalid prefix range for 10.0.0.0/16, make sure: len < ge-value <= le-value", 39);
	assert_rejected(&c, CLI_MODE_CONFIG, "ip prefix-list A permit 10.0.0.0/8 ge 24 le 16",
			"% Invalid prefix range for 10.0.0.0/8, make sure: len < ge-value <= le-value", 38);
	assert_true(apply(&c, CLI_MODE_CONFIG, "ip prefix-list A permit 10.0.0.0/8", &r));
	assert_true(apply(&c, CLI_MODE_CONFIG, "ip prefix-list A permit 11.0.0.0/8", &r));
	assert_int_equal(c.policy.prefix_lists[0].entries[1].seq, 10);
	assert_true(apply(&c, CLI_MODE_CONFIG, "no ip prefix-list A seq 5", &r));
	assert_int_equal(c.policy.prefix_lists[0].count, 1);
	assert_true(apply(&c, CLI_MODE_CONFIG, "no ip prefix-list A permit 11.0.0.0/8", &r));
	assert_int_equal(c.policy.prefix_list_count, 0); /* the last entry takes the list */
	assert_true(apply(&c, CLI_MODE_CONFIG, "ip prefix-list A permit 10.0.0.0/8", &r));
	assert_true(apply(&c, CLI_MODE_CONFIG, "no ip prefix-list A", &r));
	assert_int_equal(c.policy.prefix_list_count, 0);

	/* route-map entries and their clauses through the session's context */
	assert_true(apply_in(&c, &ctx, CLI_MODE_CONFIG, "route-map RM", &r));
	assert_int_equal(r.mode, CLI_MODE_CONFIG_ROUTE_MAP);
	assert_string_equal(ctx.route_map, "RM");
	assert_int_equal(ctx.route_map_seq, 10);
	assert_true(apply_in(&c, &ctx, CLI_MODE_CONFIG_ROUTE_MAP, "set local-preference 300", &r));
	assert_true(apply_in(&c, &ctx, CLI_MODE_CONFIG_ROUTE_MAP, "set as-path prepend 1 2 3", &r));
	assert_true(apply_in(&c, &ctx, CLI_MODE_CONFIG_ROUTE_MAP, "set community 1:1 additive", &r));
	assert_true(apply_in(&c, &ctx, CLI_MODE_CONFIG_ROUTE_MAP, "match ip address prefix-list P", &r));
	const struct policy_route_map_entry *e = &c.policy.route_maps[0].entries[0];
	assert_int_equal(e->local_pref, 300);
	assert_int_equal(e->prepend_count, 3);
	assert_int_equal(e->prepend[0], 1);
	assert_true(e->set & POLICY_SET_COMMUNITY_ADDITIVE);
	assert_string_equal(e->match_prefix_list, "P");
	enum cli_mode rm = CLI_MODE_CONFIG_ROUTE_MAP;
	assert_refused_in(&c, &ctx, rm, "set community 1:1 99999:1", "% Invalid input detected at '^' marker.", 18);
	assert_refused_in(&c, &ctx, rm, "set as-path prepend 1 2 3 4 5 6 7 8 9 10 11", "% At most 10 AS numbers",
			  41);
	assert_refused_in(&c, &ctx, rm, "set as-path prepend 0", "% Invalid input detected at '^' marker.", 20);
	assert_true(apply_in(&c, &ctx, CLI_MODE_CONFIG_ROUTE_MAP, "no set local-preference", &r));
	assert_true(apply_in(&c, &ctx, CLI_MODE_CONFIG_ROUTE_MAP, "no set as-path prepend", &r));
	assert_true(apply_in(&c, &ctx, CLI_MODE_CONFIG_ROUTE_MAP, "no set community", &r));
	assert_true(apply_in(&c, &ctx, CLI_MODE_CONFIG_ROUTE_MAP, "no match ip address prefix-list", &r));
	e = &c.policy.route_maps[0].entries[0];
	assert_int_equal(e->set, 0);
	assert_string_equal(e->match_prefix_list, "");
	assert_true(apply_in(&c, &ctx, CLI_MODE_CONFIG_ROUTE_MAP, "exit", &r));
	assert_string_equal(ctx.route_map, "");
	assert_true(apply_in(&c, &ctx, CLI_MODE_CONFIG, "route-map RM deny 20", &r));
	assert_refused_in(&c, &ctx, CLI_MODE_CONFIG, "route-map RM permit", "% Please specify the entry by its sequence",
			  10);
	assert_refused_in(&c, &ctx, CLI_MODE_CONFIG, "no route-map RM deny 30", "% Could not find route-map entry RM 30",
			  21);
	assert_true(apply_in(&c, &ctx, CLI_MODE_CONFIG, "no route-map RM permit 10", &r));
	assert_int_equal(c.policy.route_maps[0].count, 1);
	assert_false(c.policy.route_maps[0].entries[0].permit);
	assert_true(apply_in(&c, &ctx, CLI_MODE_CONFIG, "no route-map RM", &r));
	assert_int_equal(c.policy.route_map_count, 0);

	/* neighbour bindings */
	assert_true(apply(&c, CLI_MODE_CONFIG, "router bgp 1", &r));
	assert_true(apply(&c, CLI_MODE_CONFIG_ROUTER_BGP, "neighbor 10.0.0.2 remote-as 2", &r));
	assert_true(apply(&c, CLI_MODE_CONFIG_ROUTER_BGP, "neighbor 10.0.0.2 route-map X in", &r));
	assert_true(apply(&c, CLI_MODE_CONFIG_ROUTER_BGP, "neighbor 10.0.0.2 prefix-list Y out", &r));
	assert_string_equal(c.bgp.neighbors[0].route_map_in, "X");
	assert_string_equal(c.bgp.neighbors[0].prefix_list_out, "Y");
	assert_true(apply(&c, CLI_MODE_CONFIG_ROUTER_BGP, "no neighbor 10.0.0.2 route-map X in", &r));
	assert_string_equal(c.bgp.neighbors[0].route_map_in, "");
	assert_rejected(&c, CLI_MODE_CONFIG_ROUTER_BGP, "neighbor 10.0.0.9 route-map X in",
			"% Specify remote-as or peer-group commands first", 9);
	config_free(&c);
}

static void test_rip_commands(void **state)
{
	(void)state;
	static const char *const configs[] = {
		"router rip\n",
		"router rip\n version 2\n network 10.0.0.0\n no auto-summary\n",
		"router rip\n version 1\n network 192.168.1.0\n network 3.0.0.0\n",
		"router rip\n timers basic 5 15 15 30\n default-metric 3\n distance 100\n",
		"router rip\n passive-interface f0/0\n passive-interface eth1\n neighbor 10.0.0.2\n",
		"router rip\n passive-interface default\n no passive-interface f0/1\n",
		"router rip\n redistribute connected metric 2\n redistribute static\n"
		" redistribute bgp 100 metric 5\n",
		"router rip\n redistribute bgp\n",
		"interface f0/0\n ip rip authentication mode md5\n ip rip authentication key s3cret\n"
		" no ip split-horizon\n",
		"interface f0/0\n ip rip authentication mode text\n",
		"router bgp 100\n redistribute rip metric 7\n",
	};
	for (size_t i = 0; i < sizeof(configs) / sizeof(configs[0]); i++)
		assert_round_trip(configs[i]);

	/* `router rip` enters its own router mode, with the IOS prompt */
	struct cli_parse parse;
	assert_int_equal(cli_parse(CLI_MODE_CONFIG, "router rip", &parse), CLI_OK);
	assert_int_equal(parse.next_mode, CLI_MODE_CONFIG_ROUTER_RIP);
	assert_string_equal(cli_mode_prompt(CLI_MODE_CONFIG_ROUTER_RIP), "(config-router)#");
	assert_int_equal(cli_parse(CLI_MODE_CONFIG_ROUTER_RIP, "ver 2", &parse), CLI_OK);
	assert_int_equal(cli_parse(CLI_MODE_CONFIG_ROUTER_RIP, "neighbor 10.0.0.1 remote-as 5", &parse),
	                 CLI_ERR_INVALID);

	/* classful networks, defaults, the printed block */
	struct config c;
	load_ok("router rip\n version 2\n network 10.1.2.3\n network 172.16.5.0\n"
	        " network 10.0.0.0\n timers basic 10 60 60 90\n passive-interface f0/0\n"
	        " neighbor 10.0.0.9\n redistribute static metric 4\n", &c);
	assert_true(c.rip.enabled);
	assert_int_equal(c.rip.network_count, 2);
	assert_int_equal(c.rip.networks[0].len, 8);
	assert_int_equal(c.rip.networks[1].len, 16);
	assert_int_equal(c.rip.distance, 120);
	char *text = printed(&c);
	assert_non_null(strstr(text, "router rip\n version 2\n timers basic 10 60 60 90\n"
	                             " redistribute static metric 4\n passive-interface FastEthernet0/0\n"
	                             " network 10.0.0.0\n network 172.16.0.0\n neighbor 10.0.0.9\n"
	                             " no auto-summary\n!\n"));
	free(text);
	config_free(&c);

	/* every `no` form undoes its command */
	const char *full =
		"interface f0/0\n ip rip authentication mode md5\n ip rip authentication key k\n"
		" no ip split-horizon\n"
		"router rip\n version 1\n network 10.0.0.0\n passive-interface default\n"
		" no passive-interface f0/0\n neighbor 10.0.0.2\n timers basic 5 15 15 30\n"
		" default-metric 3\n distance 90\n redistribute connected\n redistribute static metric 2\n"
		" redistribute bgp 1\n"
		"router bgp 1\n redistribute rip\n";
	const char *undo =
		"interface f0/0\n no ip rip authentication mode\n no ip rip authentication key\n"
		" ip split-horizon\n"
		"router rip\n no version\n no network 10.0.0.0\n no passive-interface default\n"
		" no neighbor 10.0.0.2\n no timers basic\n no default-metric\n no distance\n"
		" no redistribute connected\n no redistribute static\n no redistribute bgp\n"
		"router bgp 1\n no redistribute rip\n";
	char both[2048];
	snprintf(both, sizeof(both), "%s%s", full, undo);
	struct config fresh;
	load_ok(both, &c);
	load_ok("interface f0/0\nrouter rip\nrouter bgp 1\n", &fresh);
	assert_true(config_equal(&c, &fresh));
	config_free(&c);
	config_free(&fresh);
	snprintf(both, sizeof(both), "%sno router rip\nno router bgp 1\nno interface f0/0\n", full);
	load_ok(both, &c);
	config_init(&fresh);
	assert_true(config_equal(&c, &fresh));
	config_free(&c);
	config_free(&fresh);

	/* passive-interface NAME, then default clears the list; bad values are refused */
	load_ok("router rip\n passive-interface f0/0\n no passive-interface f0/0\n", &c);
	assert_int_equal(c.rip.passive_count, 0);
	enum cli_mode rip = CLI_MODE_CONFIG_ROUTER_RIP;
	assert_rejected(&c, rip, "timers basic 30 10 10 40",
	                "% Invalid timer must not be less than the update timer", 16);
	assert_rejected(&c, rip, "timers basic 30 180 180 180",
	                "% Flush timer must be greater than the invalid timer", 24);
	/* auto-summary: off unless configured (Tern's behaviour before it existed), printed both ways */
	assert_false(c.rip.auto_summary);
	load_ok("router rip\n auto-summary\n", &c);
	assert_true(c.rip.auto_summary);
	struct strbuf printed = STRBUF_INIT;
	config_print(&c, &printed);
	assert_non_null(strstr(strbuf_str(&printed), "\n auto-summary\n!\n"));
	assert_null(strstr(strbuf_str(&printed), "no auto-summary"));
	strbuf_free(&printed);
	load_ok("router rip\n auto-summary\n no auto-summary\n", &c);
	assert_false(c.rip.auto_summary);
	assert_rejected(&c, rip, "network 224.0.0.0", "% Invalid network 224.0.0.0", 8);
	assert_rejected(&c, rip, "neighbor 127.0.0.1", "% Invalid neighbor address", 9);
	config_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_defaults),
		cmocka_unit_test(test_seed_config_prints_canonically),
		cmocka_unit_test(test_round_trip_edge_values),
		cmocka_unit_test(test_rip_commands),
		cmocka_unit_test(test_every_neighbor_setting_prints),
		cmocka_unit_test(test_ospf_network_matching),
		cmocka_unit_test(test_rejected_commands_change_nothing),
		cmocka_unit_test(test_apply_modes_and_notes),
		cmocka_unit_test(test_no_forms),
		cmocka_unit_test(test_ttl_security_and_connected_check),
		cmocka_unit_test(test_legacy_lines_and_notes),
		cmocka_unit_test(test_block_structure),
		cmocka_unit_test(test_bad_line_diagnostics),
		cmocka_unit_test(test_file_load),
		cmocka_unit_test(test_neighbors_sorted),
		cmocka_unit_test(test_full_config_prints_canonically),
		cmocka_unit_test(test_typed_config_gives_canonical_form),
		cmocka_unit_test(test_round_trip_routes_and_interfaces),
		cmocka_unit_test(test_masks_and_normalising),
		cmocka_unit_test(test_bgp_route_settings),
		cmocka_unit_test(test_static_routes),
		cmocka_unit_test(test_interface_context),
		cmocka_unit_test(test_interface_addresses),
		cmocka_unit_test(test_new_no_forms),
		cmocka_unit_test(test_policy_round_trip),
		cmocka_unit_test(test_policy_canonical_form),
		cmocka_unit_test(test_policy_checks_and_no_forms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
