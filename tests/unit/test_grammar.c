/*
 * DOC: unit tests of the command grammar: parsing in every mode, abbreviations, `no` and
 * `do`, every error form with its caret column, `?` help, Tab completion, and the table itself
 * (every keyword has a help text, every argument type is known).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/grammar.h"

static struct cli_parse parsed;

static enum cli_status parse(enum cli_mode mode, const char *line)
{
	return cli_parse(mode, line, &parsed);
}

static void assert_error(enum cli_mode mode, const char *line, enum cli_status status,
                         size_t column, const char *message)
{
	assert_int_equal(parse(mode, line), status);
	assert_int_equal(parsed.column, column);
	assert_string_equal(parsed.message, message);
}

static const char invalid[] = "% Invalid input detected at '^' marker.";

static void test_exec_commands(void **state)
{
	(void)state;
	assert_int_equal(parse(CLI_MODE_EXEC, "show ip bgp summary"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_SHOW_BGP_SUMMARY);
	assert_int_equal(parsed.mode, CLI_MODE_EXEC);
	assert_int_equal(parsed.next_mode, CLI_MODE_EXEC);
	assert_false(parsed.negated);
	assert_false(cli_has(&parsed, "json"));

	assert_int_equal(parse(CLI_MODE_EXEC, "show ip bgp summary json"), CLI_OK);
	assert_true(cli_has(&parsed, "json"));

	assert_int_equal(parse(CLI_MODE_EXEC, "show ip bgp neighbors"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_SHOW_BGP_NEIGHBORS);
	assert_null(cli_arg(&parsed, "ADDR"));

	assert_int_equal(parse(CLI_MODE_EXEC, "show ip bgp neighbors 192.168.1.1 json"), CLI_OK);
	const struct cli_value *addr = cli_arg(&parsed, "ADDR");
	assert_non_null(addr);
	assert_int_equal(addr->kind, CLI_IP);
	assert_string_equal(addr->text, "192.168.1.1");
	assert_int_equal(ip_addr_v4(&addr->addr), 0xc0a80101);
	assert_int_equal(addr->column, 22);
	assert_true(cli_has(&parsed, "json"));

	assert_int_equal(parse(CLI_MODE_EXEC, "show bgp neighbors 2001:db8::1 messages"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_SHOW_BGP_MESSAGES);
	assert_int_equal(cli_arg(&parsed, "ADDR")->addr.family, AF_INET6);

	assert_int_equal(parse(CLI_MODE_EXEC, "show running-config"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_SHOW_RUNNING_CONFIG);
	assert_int_equal(parse(CLI_MODE_EXEC, "show startup-config"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_SHOW_STARTUP_CONFIG);
	assert_int_equal(parse(CLI_MODE_EXEC, "write memory"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_WRITE_MEMORY);
	assert_int_equal(parse(CLI_MODE_EXEC, "wr"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_WRITE_MEMORY);
	assert_int_equal(parse(CLI_MODE_EXEC, "copy run start"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_COPY_RUN_START);
	assert_int_equal(parse(CLI_MODE_EXEC, "debug bgp"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_DEBUG_BGP);
	assert_false(parsed.negated);
	assert_int_equal(parse(CLI_MODE_EXEC, "no debug bgp"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_DEBUG_BGP);
	assert_true(parsed.negated);
	assert_int_equal(parsed.count, 2); /* `no` is not a value */
}

static void test_clear(void **state)
{
	(void)state;
	assert_int_equal(parse(CLI_MODE_EXEC, "clear ip bgp *"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_CLEAR_BGP);
	assert_true(cli_has(&parsed, "*"));
	assert_null(cli_arg(&parsed, "ADDR"));
	assert_false(cli_has(&parsed, "soft"));

	assert_int_equal(parse(CLI_MODE_EXEC, "clear ip bgp 10.0.0.1 soft in"), CLI_OK);
	assert_string_equal(cli_arg(&parsed, "ADDR")->text, "10.0.0.1");
	assert_true(cli_has(&parsed, "soft"));
	assert_true(cli_has(&parsed, "in"));
	assert_false(cli_has(&parsed, "out"));

	assert_int_equal(parse(CLI_MODE_EXEC, "clear ip bgp * soft out"), CLI_OK);
	assert_true(cli_has(&parsed, "out"));
	assert_int_equal(parse(CLI_MODE_EXEC, "cle ip bgp * so"), CLI_OK);
	assert_true(cli_has(&parsed, "soft"));
	assert_error(CLI_MODE_EXEC, "clear ip bgp", CLI_ERR_INCOMPLETE, 12, "% Incomplete command.");
	assert_error(CLI_MODE_EXEC, "clear ip bgp foo", CLI_ERR_INVALID, 13, invalid);
}

static void test_abbreviations(void **state)
{
	(void)state;
	assert_int_equal(parse(CLI_MODE_EXEC, "sh ip bgp su"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_SHOW_BGP_SUMMARY);
	assert_string_equal(parsed.values[0].text, "sh");
	assert_string_equal(parsed.values[0].name, "show");

	assert_int_equal(parse(CLI_MODE_EXEC, "conf t"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_CONFIGURE_TERMINAL);
	assert_int_equal(parsed.next_mode, CLI_MODE_CONFIG);

	assert_int_equal(parse(CLI_MODE_CONFIG_ROUTER_BGP, "nei 1.1.1.1 rem 100"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_NEIGHBOR_REMOTE_AS);
	assert_int_equal(cli_arg(&parsed, "ASN")->number, 100);
	assert_int_equal(ip_addr_v4(&cli_arg(&parsed, "ADDR")->addr), 0x01010101);

	assert_int_equal(parse(CLI_MODE_CONFIG_ROUTER_BGP, "no nei 1.1.1.1 shut"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_NEIGHBOR_SHUTDOWN);
	assert_true(parsed.negated);

	/* Keywords are case-insensitive, and blanks around words do not matter. */
	assert_int_equal(parse(CLI_MODE_EXEC, "  SHOW\tIP  Bgp summary  "), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_SHOW_BGP_SUMMARY);
}

static void test_config_commands(void **state)
{
	(void)state;
	assert_int_equal(parse(CLI_MODE_CONFIG, "router bgp 100"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_ROUTER_BGP);
	assert_int_equal(parsed.next_mode, CLI_MODE_CONFIG_ROUTER_BGP);
	assert_int_equal(parse(CLI_MODE_CONFIG, "no router bgp 100"), CLI_OK);
	assert_true(parsed.negated);
	assert_int_equal(parsed.next_mode, CLI_MODE_CONFIG);

	assert_int_equal(parse(CLI_MODE_CONFIG, "router bgp 1.10"), CLI_OK);
	assert_int_equal(cli_arg(&parsed, "ASN")->number, 65546);
	assert_int_equal(parse(CLI_MODE_CONFIG, "router bgp 4294967295"), CLI_OK);
	assert_int_equal(cli_arg(&parsed, "ASN")->number, UINT32_MAX);

	assert_int_equal(parse(CLI_MODE_CONFIG, "hostname R1"), CLI_OK);
	assert_string_equal(cli_arg(&parsed, "HOSTNAME")->text, "R1");
	assert_int_equal(parse(CLI_MODE_CONFIG, "no hostname"), CLI_OK);
	assert_true(parsed.negated);

	assert_int_equal(parse(CLI_MODE_CONFIG_ROUTER_BGP, "timers bgp 10 30"), CLI_OK);
	assert_int_equal(cli_arg(&parsed, "KEEPALIVE")->number, 10);
	assert_int_equal(cli_arg(&parsed, "HOLD")->number, 30);

	assert_int_equal(parse(CLI_MODE_CONFIG_ROUTER_BGP, "neighbor 2.2.2.2 update-source lo0"), CLI_OK);
	assert_string_equal(cli_arg(&parsed, "IFNAME")->text, "lo0");
	assert_null(cli_arg(&parsed, "SOURCE"));
	assert_int_equal(parse(CLI_MODE_CONFIG_ROUTER_BGP, "neighbor 2.2.2.2 update-source 1.1.1.1"),
	                 CLI_OK);
	assert_null(cli_arg(&parsed, "IFNAME"));
	assert_string_equal(cli_arg(&parsed, "SOURCE")->text, "1.1.1.1");

	/* LINE keeps inner blanks as typed, cuts the trailing ones. */
	assert_int_equal(parse(CLI_MODE_CONFIG_ROUTER_BGP, "neighbor 2.2.2.2 description to  R3 !x  "),
	                 CLI_OK);
	assert_string_equal(cli_arg(&parsed, "DESCRIPTION")->text, "to  R3 !x");

	assert_int_equal(parse(CLI_MODE_CONFIG_ROUTER_BGP, "neighbor 2.2.2.2 shutdown message going down"),
	                 CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_NEIGHBOR_SHUTDOWN);
	assert_string_equal(cli_arg(&parsed, "MESSAGE")->text, "going down");

	assert_int_equal(parse(CLI_MODE_CONFIG_ROUTER_BGP, "neighbor 2.2.2.2 ebgp-multihop"), CLI_OK);
	assert_null(cli_arg(&parsed, "TTL"));
	assert_int_equal(parse(CLI_MODE_CONFIG_ROUTER_BGP, "neighbor 2.2.2.2 ebgp-multihop 2"), CLI_OK);
	assert_int_equal(cli_arg(&parsed, "TTL")->number, 2);
	assert_int_equal(parse(CLI_MODE_CONFIG_ROUTER_BGP, "neighbor 2.2.2.2 disable-connected-check"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_NEIGHBOR_DISABLE_CONNECTED_CHECK);
	assert_int_equal(parse(CLI_MODE_CONFIG_ROUTER_BGP, "neighbor 2.2.2.2 ttl-security hops 254"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_NEIGHBOR_TTL_SECURITY);
	assert_int_equal(cli_arg(&parsed, "HOPS")->number, 254);
	assert_int_equal(parse(CLI_MODE_CONFIG_ROUTER_BGP, "neighbor 2.2.2.2 timers connect 5"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_NEIGHBOR_TIMERS_CONNECT);
	assert_int_equal(parse(CLI_MODE_CONFIG_ROUTER_BGP, "neighbor 2.2.2.2 timers 3 9"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_NEIGHBOR_TIMERS);
	assert_int_equal(parse(CLI_MODE_CONFIG_ROUTER_BGP,
	                       "neighbor 2.2.2.2 transport connection-mode passive"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_NEIGHBOR_PASSIVE);
	assert_int_equal(parse(CLI_MODE_CONFIG_ROUTER_BGP, "no synchronization"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_BGP_SYNCHRONIZATION);
	assert_int_equal(parse(CLI_MODE_CONFIG_ROUTER_BGP, "no auto-summary"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_BGP_AUTO_SUMMARY);

	assert_int_equal(parse(CLI_MODE_CONFIG, "interface f0/0"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_INTERFACE);
	assert_int_equal(parsed.next_mode, CLI_MODE_CONFIG_INTERFACE);
	assert_int_equal(parse(CLI_MODE_CONFIG, "line vty 0 4"), CLI_OK);
	assert_int_equal(parsed.next_mode, CLI_MODE_CONFIG_LINE);
	assert_int_equal(parse(CLI_MODE_CONFIG_LINE, "password cisco"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_LINE_SETTING);
}

static void test_no_forms(void **state)
{
	(void)state;
	assert_int_equal(parse(CLI_MODE_CONFIG_ROUTER_BGP, "no neighbor 1.1.1.1"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_NEIGHBOR);
	assert_true(parsed.negated);
	/* Only the `no` form exists without more words. */
	assert_error(CLI_MODE_CONFIG_ROUTER_BGP, "neighbor 1.1.1.1", CLI_ERR_INCOMPLETE, 16,
	             "% Incomplete command.");
	assert_int_equal(parse(CLI_MODE_CONFIG_ROUTER_BGP, "no neighbor 1.1.1.1 description"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_NEIGHBOR_DESCRIPTION);
	assert_error(CLI_MODE_CONFIG_ROUTER_BGP, "neighbor 1.1.1.1 description", CLI_ERR_INCOMPLETE, 28,
	             "% Incomplete command.");
	assert_int_equal(parse(CLI_MODE_CONFIG_ROUTER_BGP, "no neighbor 1.1.1.1 remote-as"), CLI_OK);
	assert_int_equal(parse(CLI_MODE_CONFIG_ROUTER_BGP, "no neighbor 1.1.1.1 remote-as 5"), CLI_OK);
	assert_int_equal(parse(CLI_MODE_CONFIG_ROUTER_BGP, "no bgp router-id"), CLI_OK);
	assert_int_equal(parse(CLI_MODE_CONFIG_ROUTER_BGP, "no timers bgp"), CLI_OK);
	assert_int_equal(parse(CLI_MODE_CONFIG_ROUTER_BGP, "no neighbor 1.1.1.1 password"), CLI_OK);
	assert_int_equal(parse(CLI_MODE_CONFIG_ROUTER_BGP, "no neighbor 1.1.1.1 update-source"), CLI_OK);
	assert_int_equal(parse(CLI_MODE_CONFIG_ROUTER_BGP, "no neighbor 1.1.1.1 timers"), CLI_OK);
	assert_int_equal(parse(CLI_MODE_CONFIG_ROUTER_BGP, "no neighbor 1.1.1.1 timers connect"), CLI_OK);
	assert_int_equal(parse(CLI_MODE_CONFIG_ROUTER_BGP, "no neighbor 1.1.1.1 ebgp-multihop"), CLI_OK);
	assert_int_equal(parse(CLI_MODE_CONFIG_ROUTER_BGP, "no neighbor 1.1.1.1 ttl-security"), CLI_OK);
	assert_int_equal(parse(CLI_MODE_CONFIG_ROUTER_BGP, "no neighbor 1.1.1.1 ttl-security hops 2"), CLI_OK);
	assert_int_equal(parse(CLI_MODE_CONFIG_ROUTER_BGP, "no neighbor 1.1.1.1 disable-connected-check"),
	                 CLI_OK);
	assert_error(CLI_MODE_CONFIG_ROUTER_BGP, "neighbor 1.1.1.1 ttl-security", CLI_ERR_INCOMPLETE, 29,
	             "% Incomplete command.");
	assert_int_equal(parse(CLI_MODE_CONFIG_ROUTER_BGP,
	                       "no neighbor 1.1.1.1 transport connection-mode passive"), CLI_OK);
	/* `no` takes only commands that have a no form. */
	assert_error(CLI_MODE_CONFIG, "no line vty 0 4", CLI_ERR_INVALID, 3, invalid);
	assert_error(CLI_MODE_CONFIG_ROUTER_BGP, "no address-family ipv4", CLI_ERR_INVALID, 3, invalid);
	assert_error(CLI_MODE_EXEC, "no show ip bgp summary", CLI_ERR_INVALID, 3, invalid);
}

static void test_modes(void **state)
{
	(void)state;
	assert_int_equal(parse(CLI_MODE_CONFIG_ROUTER_BGP, "exit"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_EXIT);
	assert_int_equal(parsed.next_mode, CLI_MODE_CONFIG);
	assert_int_equal(parse(CLI_MODE_CONFIG, "exit"), CLI_OK);
	assert_int_equal(parsed.next_mode, CLI_MODE_EXEC);
	assert_int_equal(parse(CLI_MODE_CONFIG_ROUTER_BGP, "end"), CLI_OK);
	assert_int_equal(parsed.next_mode, CLI_MODE_EXEC);
	assert_int_equal(parse(CLI_MODE_EXEC, "exit"), CLI_OK);
	assert_int_equal(parsed.next_mode, CLI_MODE_EXEC);
	assert_int_equal(parse(CLI_MODE_EXEC, "disable"), CLI_OK);
	assert_int_equal(parsed.next_mode, CLI_MODE_USER_EXEC);
	assert_int_equal(parse(CLI_MODE_USER_EXEC, "en"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_ENABLE);
	assert_int_equal(parsed.next_mode, CLI_MODE_EXEC);

	/* User EXEC is read-only: show commands, but not the configuration. */
	assert_int_equal(parse(CLI_MODE_USER_EXEC, "sh ip bgp su"), CLI_OK);
	assert_error(CLI_MODE_USER_EXEC, "show running-config", CLI_ERR_INVALID, 5, invalid);
	assert_error(CLI_MODE_USER_EXEC, "configure terminal", CLI_ERR_INVALID, 0, invalid);
	assert_error(CLI_MODE_USER_EXEC, "clear ip bgp *", CLI_ERR_INVALID, 0, invalid);

	/* Commands of one mode are invalid input in another. */
	assert_error(CLI_MODE_EXEC, "router bgp 1", CLI_ERR_INVALID, 0, invalid);
	assert_error(CLI_MODE_CONFIG, "neighbor 1.1.1.1 remote-as 1", CLI_ERR_INVALID, 0, invalid);
	assert_error(CLI_MODE_CONFIG, "show ip bgp summary", CLI_ERR_INVALID, 0, invalid);
	assert_error(CLI_MODE_EXEC, "end", CLI_ERR_INVALID, 0, invalid);

	assert_string_equal(cli_mode_prompt(CLI_MODE_CONFIG_ROUTER_BGP), "(config-router)#");
	assert_string_equal(cli_mode_prompt(CLI_MODE_USER_EXEC), ">");
	assert_true(cli_mode_is_config(CLI_MODE_CONFIG_LINE));
	assert_false(cli_mode_is_config(CLI_MODE_EXEC));
}

static void test_do(void **state)
{
	(void)state;
	assert_int_equal(parse(CLI_MODE_CONFIG_ROUTER_BGP, "do sh ip bgp su json"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_SHOW_BGP_SUMMARY);
	assert_true(parsed.via_do);
	assert_int_equal(parsed.mode, CLI_MODE_EXEC);
	assert_int_equal(parsed.next_mode, CLI_MODE_CONFIG_ROUTER_BGP);
	assert_true(cli_has(&parsed, "json"));
	assert_int_equal(cli_arg(&parsed, "json")->column, 16);

	assert_int_equal(parse(CLI_MODE_CONFIG, "do write"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_WRITE_MEMORY);
	assert_int_equal(parsed.next_mode, CLI_MODE_CONFIG);

	assert_error(CLI_MODE_CONFIG, "do", CLI_ERR_INCOMPLETE, 2, "% Incomplete command.");
	assert_error(CLI_MODE_CONFIG, "do foo", CLI_ERR_INVALID, 3, invalid);
	assert_error(CLI_MODE_CONFIG, "do show ip bgp x", CLI_ERR_INVALID, 15, invalid);
	assert_error(CLI_MODE_CONFIG, "do c", CLI_ERR_AMBIGUOUS, 3, "% Ambiguous command:  \"do c\"");
	assert_error(CLI_MODE_EXEC, "do show ip bgp summary", CLI_ERR_INVALID, 0, invalid);
}

static void test_errors(void **state)
{
	(void)state;
	assert_error(CLI_MODE_EXEC, "show ip bgp foo", CLI_ERR_INVALID, 12, invalid);
	assert_error(CLI_MODE_EXEC, "foo", CLI_ERR_INVALID, 0, invalid);
	assert_error(CLI_MODE_EXEC, "   foo bar", CLI_ERR_INVALID, 3, invalid);
	assert_error(CLI_MODE_EXEC, "show ip bgp summary json extra", CLI_ERR_INVALID, 25, invalid);
	assert_error(CLI_MODE_EXEC, "show ip", CLI_ERR_INCOMPLETE, 7, "% Incomplete command.");
	assert_error(CLI_MODE_EXEC, "show ip ", CLI_ERR_INCOMPLETE, 7, "% Incomplete command.");
	assert_error(CLI_MODE_EXEC, "c", CLI_ERR_AMBIGUOUS, 0, "% Ambiguous command:  \"c\"");
	assert_error(CLI_MODE_EXEC, "co t", CLI_ERR_AMBIGUOUS, 0, "% Ambiguous command:  \"co t\"");
	assert_error(CLI_MODE_CONFIG, "router bgp 0", CLI_ERR_INVALID, 11, invalid);
	assert_error(CLI_MODE_CONFIG, "router bgp 4294967296", CLI_ERR_INVALID, 11, invalid);
	assert_error(CLI_MODE_CONFIG, "router bgp 65536.1", CLI_ERR_INVALID, 11, invalid);
	assert_error(CLI_MODE_CONFIG, "router bgp -1", CLI_ERR_INVALID, 11, invalid);
	assert_error(CLI_MODE_CONFIG, "router bgp 1 2", CLI_ERR_INVALID, 13, invalid);
	assert_error(CLI_MODE_CONFIG, "router bgp", CLI_ERR_INCOMPLETE, 10, "% Incomplete command.");
	assert_error(CLI_MODE_CONFIG_ROUTER_BGP, "timers bgp 70000 30", CLI_ERR_INVALID, 11, invalid);
	assert_error(CLI_MODE_CONFIG_ROUTER_BGP, "neighbor 1.1.1 remote-as 1", CLI_ERR_INVALID, 9,
	             invalid);
	assert_error(CLI_MODE_CONFIG_ROUTER_BGP, "neighbor 1.1.1.1 remote-as foo", CLI_ERR_INVALID, 27,
	             invalid);
	assert_error(CLI_MODE_CONFIG_ROUTER_BGP, "neighbor 1.1.1.1 ebgp-multihop 256", CLI_ERR_INVALID,
	             31, invalid);
	/* RFC 5082 hops: 1-254 (255 hops would accept any TTL) */
	assert_error(CLI_MODE_CONFIG_ROUTER_BGP, "neighbor 1.1.1.1 ttl-security hops 255", CLI_ERR_INVALID,
	             35, invalid);
	assert_error(CLI_MODE_CONFIG_ROUTER_BGP, "neighbor 1.1.1.1 ttl-security hops 0", CLI_ERR_INVALID,
	             35, invalid);
	assert_error(CLI_MODE_CONFIG_ROUTER_BGP, "bgp router-id 2001:db8::1", CLI_ERR_INVALID, 14,
	             invalid);
	assert_error(CLI_MODE_CONFIG_ROUTER_BGP, "neighbor 1.1.1.1 update-source 0bad", CLI_ERR_INVALID,
	             31, invalid);
	assert_error(CLI_MODE_CONFIG, "hostname a b", CLI_ERR_INVALID, 11, invalid);
	/* `n` in router mode: neighbor or no. */
	assert_error(CLI_MODE_CONFIG_ROUTER_BGP, "n 1.1.1.1", CLI_ERR_AMBIGUOUS, 0,
	             "% Ambiguous command:  \"n 1.1.1.1\"");
	/* Control characters and overlong lines. */
	assert_error(CLI_MODE_EXEC, "show\x01 ip", CLI_ERR_INVALID, 4, invalid);
	char longline[CLI_LINE_MAX + 10];
	memset(longline, 'a', sizeof(longline) - 1);
	longline[sizeof(longline) - 1] = '\0';
	assert_error(CLI_MODE_EXEC, longline, CLI_ERR_INVALID, CLI_LINE_MAX, invalid);
	/* A trailing CR LF is not part of the line. */
	assert_int_equal(parse(CLI_MODE_EXEC, "show ip bgp summary\r\n"), CLI_OK);
	assert_int_equal(parse(CLI_MODE_EXEC, NULL), CLI_EMPTY);
}

static void test_empty_and_comments(void **state)
{
	(void)state;
	assert_int_equal(parse(CLI_MODE_CONFIG, ""), CLI_EMPTY);
	assert_int_equal(parse(CLI_MODE_CONFIG, "   \t "), CLI_EMPTY);
	assert_int_equal(parse(CLI_MODE_CONFIG, "!"), CLI_EMPTY);
	assert_int_equal(parse(CLI_MODE_CONFIG_ROUTER_BGP, " ! a comment"), CLI_EMPTY);
	assert_string_equal(parsed.message, "");
}

static void test_format_error(void **state)
{
	(void)state;
	struct strbuf out = STRBUF_INIT;
	parse(CLI_MODE_EXEC, "show ip bgp foo");
	cli_format_error(&parsed, 3, &out);
	assert_string_equal(strbuf_str(&out),
	                    "               ^\n% Invalid input detected at '^' marker.\n");
	strbuf_reset(&out);
	parse(CLI_MODE_EXEC, "show ip");
	cli_format_error(&parsed, 3, &out);
	assert_string_equal(strbuf_str(&out), "% Incomplete command.\n");
	strbuf_reset(&out);
	parse(CLI_MODE_EXEC, "show ip bgp summary");
	cli_format_error(&parsed, 3, &out);
	assert_string_equal(strbuf_str(&out), "");
	strbuf_free(&out);
}

static void assert_help(enum cli_mode mode, const char *line, const char *expected)
{
	struct strbuf out = STRBUF_INIT;
	assert_int_equal(cli_help(mode, line, &out, NULL), CLI_OK);
	assert_string_equal(strbuf_str(&out), expected);
	strbuf_free(&out);
}

static void test_help(void **state)
{
	(void)state;
	assert_help(CLI_MODE_EXEC, "show ip bgp ",
	            "  A.B.C.D     Network in the BGP routing table to display\n"
	            "  A.B.C.D/nn  IP prefix <network>/<length>, e.g., 35.0.0.0/8\n"
	            "  json        JavaScript Object Notation output\n"
	            "  neighbors   Detailed information on TCP and BGP neighbor connections\n"
	            "  summary     Summary of BGP neighbor status\n"
	            "  |           Output modifiers\n"
	            "  <cr>\n");
	assert_help(CLI_MODE_EXEC, "show ip bgp summary ",
	            "  json  JavaScript Object Notation output\n"
	            "  |     Output modifiers\n"
	            "  <cr>\n");
	assert_help(CLI_MODE_EXEC, "sh",
	            "  show  Show running system information\n");
	assert_help(CLI_MODE_EXEC, "sh ip bgp s",
	            "  summary  Summary of BGP neighbor status\n");
	assert_help(CLI_MODE_EXEC, "c",
	            "  clear      Reset functions\n"
	            "  configure  Enter configuration mode\n"
	            "  copy       Copy from one file to another\n");
	assert_help(CLI_MODE_USER_EXEC, "show ",
	            "  bgp         BGP information\n"
	            "  clock       Display the system clock\n"
	            "  history     Display the session command history\n"
	            "  interfaces  Interface status and configuration\n"
	            "  ip          IP information\n"
	            "  memory      Memory statistics\n"
	            "  route-map   route-map information\n"
	            "  version     System hardware and software status\n");
	assert_help(CLI_MODE_EXEC, "show ",
	            "  bgp             BGP information\n"
	            "  clock           Display the system clock\n"
	            "  debugging       State of each debugging option\n"
	            "  history         Display the session command history\n"
	            "  interfaces      Interface status and configuration\n"
	            "  ip              IP information\n"
	            "  memory          Memory statistics\n"
	            "  route-map       route-map information\n"
	            "  running-config  Current operating configuration\n"
	            "  startup-config  Contents of startup configuration\n"
	            "  version         System hardware and software status\n");
	assert_help(CLI_MODE_EXEC, "terminal length ",
	            "  <0-512>  Number of lines on screen (0 for no pausing)\n");
	assert_help(CLI_MODE_EXEC, "configure ",
	            "  terminal  Configure from the terminal\n");
	assert_help(CLI_MODE_EXEC, "show ip bgp neighbors ",
	            "  A.B.C.D   Neighbor address\n"
	            "  X:X::X:X  Neighbor IPv6 address\n"
	            "  json      JavaScript Object Notation output\n"
	            "  |         Output modifiers\n"
	            "  <cr>\n");
	assert_help(CLI_MODE_CONFIG, "router bgp ",
	            "  <1-4294967295>  Autonomous system number\n"
	            "  <1.0-XX.YY>     Autonomous system number in asdot notation\n");
	assert_help(CLI_MODE_CONFIG, "router bgp 1",
	            "  <1-4294967295>  Autonomous system number\n"
	            "  <1.0-XX.YY>     Autonomous system number in asdot notation\n");
	assert_help(CLI_MODE_CONFIG_ROUTER_BGP, "timers ",
	            "  bgp  BGP timers\n");
	assert_help(CLI_MODE_CONFIG_ROUTER_BGP, "neighbor 1.1.1.1 timers ",
	            "  <0-65535>  Keepalive interval\n"
	            "  connect    BGP connect timer\n");
	assert_help(CLI_MODE_CONFIG_ROUTER_BGP, "neighbor 1.1.1.1 update-source ",
	            "  WORD      Interface name (lo0, f0/0, eth0)\n"
	            "  A.B.C.D   IP address\n"
	            "  X:X::X:X  IPv6 address\n");
	assert_help(CLI_MODE_CONFIG_ROUTER_BGP, "neighbor 1.1.1.1 ebgp-multihop ",
	            "  <1-255>  maximum hop count\n"
	            "  <cr>\n");
	assert_help(CLI_MODE_CONFIG_ROUTER_BGP, "neighbor 1.1.1.1 ttl-security ", "  hops  IP hops\n");
	assert_help(CLI_MODE_CONFIG_ROUTER_BGP, "neighbor 1.1.1.1 ttl-security hops ",
	            "  <1-254>  maximum number of hops\n");
	assert_help(CLI_MODE_CONFIG_ROUTER_BGP, "neighbor 1.1.1.1 description ",
	            "  LINE  Up to 255 characters describing it\n");
	assert_help(CLI_MODE_CONFIG_ROUTER_BGP, "neighbor 1.1.1.1 description to R3 ", "  <cr>\n");
	assert_help(CLI_MODE_CONFIG_ROUTER_BGP, "no neighbor 1.1.1.1 description ",
	            "  LINE  Up to 255 characters describing it\n"
	            "  <cr>\n");
	assert_help(CLI_MODE_CONFIG_ROUTER_BGP, "no ",
	            "  aggregate-address  Configure BGP aggregate entries\n"
	            "  auto-summary       Enable automatic network number summarization\n"
	            "  bgp                BGP information\n"
	            "  neighbor           Specify a neighbor router\n"
	            "  network            Specify a network to announce via BGP\n"
	            "  redistribute       Redistribute information from another routing protocol\n"
	            "  synchronization    Perform IGP synchronization\n"
	            "  timers             Adjust routing timers\n");
	assert_help(CLI_MODE_CONFIG, "do sh",
	            "  show  Show running system information\n");
	assert_help(CLI_MODE_CONFIG, "do show ip bgp n",
	            "  neighbors  Detailed information on TCP and BGP neighbor connections\n");
}

static void test_help_everything_in_a_mode(void **state)
{
	(void)state;
	struct strbuf out = STRBUF_INIT;
	assert_int_equal(cli_help(CLI_MODE_CONFIG_ROUTER_BGP, "", &out, NULL), CLI_OK);
	const char *text = strbuf_str(&out);
	assert_non_null(strstr(text, "  neighbor             Specify a neighbor router\n"));
	assert_non_null(strstr(text, "  do                   To run exec commands in config mode\n"));
	assert_non_null(strstr(text, "  no                   Negate a command or set its defaults\n"));
	assert_null(strstr(text, "hostname"));
	strbuf_reset(&out);
	assert_int_equal(cli_help(CLI_MODE_CONFIG, "do ", &out, NULL), CLI_OK);
	assert_non_null(strstr(strbuf_str(&out), "  show "));
	strbuf_free(&out);
}

static void test_help_errors(void **state)
{
	(void)state;
	struct strbuf out = STRBUF_INIT;
	size_t column = 99;
	assert_int_equal(cli_help(CLI_MODE_EXEC, "show foo ", &out, &column), CLI_ERR_INVALID);
	assert_int_equal(column, 5);
	assert_string_equal(strbuf_str(&out), "% Invalid input detected at '^' marker.\n");
	strbuf_reset(&out);
	assert_int_equal(cli_help(CLI_MODE_EXEC, "xyz", &out, &column), CLI_ERR_INVALID);
	assert_int_equal(column, 0);
	strbuf_reset(&out);
	assert_int_equal(cli_help(CLI_MODE_EXEC, "c ", &out, &column), CLI_ERR_AMBIGUOUS);
	assert_string_equal(strbuf_str(&out), "% Ambiguous command:  \"c\"\n");
	strbuf_reset(&out);
	assert_int_equal(cli_help(CLI_MODE_CONFIG, "router bgp 0", &out, &column), CLI_ERR_INVALID);
	assert_int_equal(column, 11);
	strbuf_free(&out);
}

static void test_complete(void **state)
{
	(void)state;
	struct cli_completion c;
	assert_int_equal(cli_complete(CLI_MODE_EXEC, "sh", &c), 1);
	assert_string_equal(c.candidates[0], "show");
	assert_string_equal(c.line, "show ");
	assert_int_equal(c.word_column, 0);

	assert_int_equal(cli_complete(CLI_MODE_EXEC, "sh ip bgp n", &c), 1);
	assert_string_equal(c.line, "sh ip bgp neighbors ");
	assert_int_equal(c.word_column, 10);

	assert_int_equal(cli_complete(CLI_MODE_EXEC, "conf t", &c), 1);
	assert_string_equal(c.line, "conf terminal ");

	assert_int_equal(cli_complete(CLI_MODE_EXEC, "c", &c), 3);
	assert_string_equal(c.candidates[0], "clear");
	assert_string_equal(c.candidates[1], "configure");
	assert_string_equal(c.candidates[2], "copy");
	assert_string_equal(c.line, "");

	/* After a blank: every keyword that may come next, nothing completed. */
	assert_int_equal(cli_complete(CLI_MODE_EXEC, "show ip bgp ", &c), 3);
	assert_string_equal(c.candidates[0], "json");
	assert_string_equal(c.candidates[1], "neighbors");
	assert_string_equal(c.candidates[2], "summary");
	assert_int_equal(c.word_column, 12);
	assert_string_equal(c.line, "");

	assert_int_equal(cli_complete(CLI_MODE_CONFIG_ROUTER_BGP, "nei 1.1.1.1 rem", &c), 1);
	assert_string_equal(c.line, "nei 1.1.1.1 remote-as ");
	assert_int_equal(cli_complete(CLI_MODE_CONFIG_ROUTER_BGP, "n", &c), 3);
	assert_string_equal(c.candidates[0], "neighbor");
	assert_string_equal(c.candidates[1], "network");
	assert_string_equal(c.candidates[2], "no");
	assert_int_equal(cli_complete(CLI_MODE_CONFIG_ROUTER_BGP, "nei 1.1.1.1 route-", &c), 2);
	assert_string_equal(c.candidates[0], "route-map");
	assert_int_equal(cli_complete(CLI_MODE_CONFIG_ROUTER_BGP, "nei 1.1.1.1 route-r", &c), 1);
	assert_string_equal(c.line, "nei 1.1.1.1 route-reflector-client ");
	assert_int_equal(cli_complete(CLI_MODE_CONFIG_INTERFACE, "ip address 10.0.0.1 255.0.0.0 s", &c), 1);
	assert_string_equal(c.line, "ip address 10.0.0.1 255.0.0.0 secondary ");
	assert_int_equal(cli_complete(CLI_MODE_CONFIG, "do sh ip b", &c), 1);
	assert_string_equal(c.line, "do sh ip bgp ");

	/* Arguments are not completed; nor is anything after an error. */
	assert_int_equal(cli_complete(CLI_MODE_CONFIG, "router bgp 1", &c), 0);
	assert_int_equal(cli_complete(CLI_MODE_EXEC, "foo s", &c), 0);
	assert_int_equal(cli_complete(CLI_MODE_USER_EXEC, "con", &c), 0);
}

static void test_show_routes_and_interfaces(void **state)
{
	(void)state;
	assert_int_equal(parse(CLI_MODE_EXEC, "show ip bgp"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_SHOW_BGP);
	assert_null(cli_arg(&parsed, "NETWORK"));
	assert_false(cli_has(&parsed, "json"));
	assert_int_equal(parse(CLI_MODE_USER_EXEC, "sh ip bgp json"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_SHOW_BGP);
	assert_true(cli_has(&parsed, "json"));

	assert_int_equal(parse(CLI_MODE_EXEC, "show ip bgp 10.1.0.0"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_SHOW_BGP);
	assert_int_equal(ip_addr_v4(&cli_arg(&parsed, "NETWORK")->addr), 0x0a010000);
	assert_null(cli_arg(&parsed, "MASK"));
	assert_int_equal(parse(CLI_MODE_EXEC, "show ip bgp 10.1.0.0 255.255.0.0 json"), CLI_OK);
	assert_int_equal(ip_addr_v4(&cli_arg(&parsed, "MASK")->addr), 0xffff0000);
	assert_true(cli_has(&parsed, "json"));
	assert_int_equal(parse(CLI_MODE_EXEC, "show ip bgp 10.1.0.0/16"), CLI_OK);
	const struct cli_value *prefix = cli_arg(&parsed, "PREFIX");
	assert_non_null(prefix);
	assert_int_equal(prefix->kind, CLI_IPV4_PREFIX);
	assert_int_equal(prefix->prefix_len, 16);
	assert_int_equal(ip_addr_v4(&prefix->addr), 0x0a010000);
	assert_string_equal(prefix->text, "10.1.0.0/16");
	assert_int_equal(parse(CLI_MODE_EXEC, "show ip bgp 0.0.0.0/0 json"), CLI_OK);
	assert_int_equal(cli_arg(&parsed, "PREFIX")->prefix_len, 0);

	static const char *const kinds[] = { "routes", "advertised-routes", "received-routes" };
	for (size_t i = 0; i < 3; i++) {
		char line[128];
		snprintf(line, sizeof(line), "show ip bgp neighbors 10.0.0.2 %s json", kinds[i]);
		assert_int_equal(parse(CLI_MODE_EXEC, line), CLI_OK);
		assert_int_equal(parsed.cmd, CLI_CMD_SHOW_BGP_NEIGHBOR_ROUTES);
		assert_true(cli_has(&parsed, kinds[i]));
		assert_true(cli_has(&parsed, "json"));
		assert_string_equal(cli_arg(&parsed, "ADDR")->text, "10.0.0.2");
	}
	assert_int_equal(parse(CLI_MODE_EXEC, "sh ip bgp nei 10.0.0.2 adv"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_SHOW_BGP_NEIGHBOR_ROUTES);
	assert_true(cli_has(&parsed, "advertised-routes"));
	assert_false(cli_has(&parsed, "routes"));
	assert_error(CLI_MODE_EXEC, "sh ip bgp nei 10.0.0.2 r", CLI_ERR_AMBIGUOUS, 23,
	             "% Ambiguous command:  \"sh ip bgp nei 10.0.0.2 r\"");

	assert_int_equal(parse(CLI_MODE_EXEC, "show bgp ipv6 unicast"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_SHOW_BGP_IPV6);
	assert_int_equal(parse(CLI_MODE_EXEC, "show bgp ipv6 unicast json"), CLI_OK);
	assert_true(cli_has(&parsed, "json"));

	assert_int_equal(parse(CLI_MODE_EXEC, "show ip route"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_SHOW_IP_ROUTE);
	assert_null(cli_arg(&parsed, "NETWORK"));
	assert_int_equal(parse(CLI_MODE_EXEC, "sh ip ro 192.168.1.7 json"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_SHOW_IP_ROUTE);
	assert_string_equal(cli_arg(&parsed, "NETWORK")->text, "192.168.1.7");
	assert_true(cli_has(&parsed, "json"));

	assert_int_equal(parse(CLI_MODE_EXEC, "show ip interface brief"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_SHOW_IP_INTERFACE_BRIEF);
	assert_int_equal(parse(CLI_MODE_EXEC, "sh ip int br json"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_SHOW_IP_INTERFACE_BRIEF);
	assert_true(cli_has(&parsed, "json"));
	assert_int_equal(parse(CLI_MODE_EXEC, "show ip interface"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_SHOW_IP_INTERFACE);
	assert_null(cli_arg(&parsed, "IFNAME"));
	assert_int_equal(parse(CLI_MODE_EXEC, "show ip interface f0/0 json"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_SHOW_IP_INTERFACE);
	assert_string_equal(cli_arg(&parsed, "IFNAME")->text, "f0/0");
	assert_int_equal(parse(CLI_MODE_EXEC, "show interfaces"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_SHOW_INTERFACES);
	assert_int_equal(parse(CLI_MODE_EXEC, "show interfaces GigabitEthernet0/1"), CLI_OK);
	assert_string_equal(cli_arg(&parsed, "IFNAME")->text, "GigabitEthernet0/1");
	assert_int_equal(parse(CLI_MODE_EXEC, "show interfaces json"), CLI_OK);
	assert_null(cli_arg(&parsed, "IFNAME"));
	assert_true(cli_has(&parsed, "json"));
	assert_int_equal(parse(CLI_MODE_EXEC, "show memory"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_SHOW_MEMORY);
	assert_int_equal(parse(CLI_MODE_EXEC, "show memory json"), CLI_OK);
	assert_true(cli_has(&parsed, "json"));
	assert_int_equal(parse(CLI_MODE_CONFIG_INTERFACE, "do show ip int brief"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_SHOW_IP_INTERFACE_BRIEF);
	assert_int_equal(parsed.next_mode, CLI_MODE_CONFIG_INTERFACE);

	/* Errors, with the caret under the bad word. */
	assert_error(CLI_MODE_EXEC, "show ip bgp 10.0.0.0/33", CLI_ERR_INVALID, 12, invalid);
	assert_error(CLI_MODE_EXEC, "show ip bgp 10.0.0.0/", CLI_ERR_INVALID, 12, invalid);
	assert_error(CLI_MODE_EXEC, "show ip bgp 10.0.0/8", CLI_ERR_INVALID, 12, invalid);
	assert_error(CLI_MODE_EXEC, "show ip bgp 2001:db8::/32", CLI_ERR_INVALID, 12, invalid);
	assert_error(CLI_MODE_EXEC, "show ip bgp 10.0.0.0 255.0.0.0 foo", CLI_ERR_INVALID, 31, invalid);
	assert_error(CLI_MODE_EXEC, "show ip bgp 10.0.0.0/8 255.0.0.0", CLI_ERR_INVALID, 23, invalid);
	assert_error(CLI_MODE_EXEC, "show ip bgp neighbors 10.0.0.2 foo", CLI_ERR_INVALID, 31, invalid);
	assert_error(CLI_MODE_EXEC, "show ip route 10.0.0.0/8", CLI_ERR_INVALID, 14, invalid);
	assert_error(CLI_MODE_EXEC, "show bgp ipv6", CLI_ERR_INCOMPLETE, 13, "% Incomplete command.");
	assert_error(CLI_MODE_EXEC, "show i", CLI_ERR_AMBIGUOUS, 5, "% Ambiguous command:  \"show i\"");
	assert_error(CLI_MODE_EXEC, "show interfaces f0/0 x", CLI_ERR_INVALID, 21, invalid);
}

static void test_route_and_bgp_config_commands(void **state)
{
	(void)state;
	enum cli_mode bgp = CLI_MODE_CONFIG_ROUTER_BGP;
	assert_int_equal(parse(bgp, "network 10.0.0.0"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_BGP_NETWORK);
	assert_null(cli_arg(&parsed, "MASK"));
	assert_int_equal(parse(bgp, "net 10.1.0.0 m 255.255.0.0"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_BGP_NETWORK);
	assert_int_equal(ip_addr_v4(&cli_arg(&parsed, "MASK")->addr), 0xffff0000);
	assert_int_equal(parse(bgp, "no network 10.0.0.0"), CLI_OK);
	assert_true(parsed.negated);
	assert_error(bgp, "network 10.0.0.0/8", CLI_ERR_INVALID, 8, invalid);
	assert_error(bgp, "network 10.0.0.0 mask", CLI_ERR_INCOMPLETE, 21, "% Incomplete command.");
	assert_error(bgp, "network 10.0.0.0 255.0.0.0", CLI_ERR_INVALID, 17, invalid);

	assert_int_equal(parse(bgp, "aggregate-address 10.0.0.0 255.0.0.0"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_BGP_AGGREGATE);
	assert_false(cli_has(&parsed, "summary-only"));
	assert_int_equal(parse(bgp, "aggregate-address 10.0.0.0 255.0.0.0 as-set summary-only"), CLI_OK);
	assert_true(cli_has(&parsed, "summary-only"));
	assert_true(cli_has(&parsed, "as-set"));
	assert_int_equal(parse(bgp, "agg 10.0.0.0 255.0.0.0 su"), CLI_OK);
	assert_true(cli_has(&parsed, "summary-only"));
	assert_false(cli_has(&parsed, "as-set"));
	assert_error(bgp, "aggregate-address 10.0.0.0 255.0.0.0 as-set as-set", CLI_ERR_INVALID, 44,
	             invalid);
	assert_error(bgp, "aggregate-address 10.0.0.0", CLI_ERR_INCOMPLETE, 26, "% Incomplete command.");

	assert_int_equal(parse(bgp, "redistribute connected"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_BGP_REDISTRIBUTE);
	assert_true(cli_has(&parsed, "connected"));
	assert_int_equal(parse(bgp, "redistribute static metric 4294967295"), CLI_OK);
	assert_int_equal(cli_arg(&parsed, "METRIC")->number, UINT32_MAX);
	assert_int_equal(parse(bgp, "redistribute ospf 1"), CLI_OK);
	assert_int_equal(parse(bgp, "redistribute rip"), CLI_OK);
	assert_error(bgp, "redistribute static metric 4294967296", CLI_ERR_INVALID, 27, invalid);
	assert_error(bgp, "redistribute bgp", CLI_ERR_INVALID, 13, invalid);

	assert_int_equal(parse(bgp, "bgp cluster-id 1.2.3.4"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_BGP_CLUSTER_ID);
	assert_non_null(cli_arg(&parsed, "CLUSTER-ID"));
	assert_int_equal(parse(bgp, "bgp cluster-id 7"), CLI_OK);
	assert_int_equal(cli_arg(&parsed, "CLUSTER-NUMBER")->number, 7);
	assert_int_equal(parse(bgp, "no bgp cluster-id"), CLI_OK);
	assert_error(bgp, "bgp cluster-id 0", CLI_ERR_INVALID, 15, invalid);
	assert_error(bgp, "bgp cluster-id", CLI_ERR_INCOMPLETE, 14, "% Incomplete command.");
	assert_int_equal(parse(bgp, "bgp always-compare-med"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_BGP_ALWAYS_COMPARE_MED);
	assert_int_equal(parse(bgp, "no bgp ebgp-requires-policy"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_BGP_EBGP_REQUIRES_POLICY);
	assert_int_equal(parse(bgp, "bgp log-neighbor-changes"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_BGP_LOG_NEIGHBOR_CHANGES);

	assert_int_equal(parse(bgp, "neighbor 10.0.0.2 next-hop-self"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_NEIGHBOR_NEXT_HOP_SELF);
	assert_int_equal(parse(bgp, "neighbor 10.0.0.2 route-reflector-client"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_NEIGHBOR_ROUTE_REFLECTOR_CLIENT);
	assert_int_equal(parse(bgp, "neighbor 10.0.0.2 allowas-in"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_NEIGHBOR_ALLOWAS_IN);
	assert_null(cli_arg(&parsed, "ALLOWAS"));
	assert_int_equal(parse(bgp, "neighbor 10.0.0.2 allowas-in 10"), CLI_OK);
	assert_int_equal(cli_arg(&parsed, "ALLOWAS")->number, 10);
	assert_error(bgp, "neighbor 10.0.0.2 allowas-in 11", CLI_ERR_INVALID, 29, invalid);
	assert_error(bgp, "neighbor 10.0.0.2 allowas-in 0", CLI_ERR_INVALID, 29, invalid);
	assert_int_equal(parse(bgp, "neighbor 10.0.0.2 soft-reconfiguration inbound"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_NEIGHBOR_SOFT_RECONFIGURATION);
	assert_error(bgp, "neighbor 10.0.0.2 soft-reconfiguration", CLI_ERR_INCOMPLETE, 38,
	             "% Incomplete command.");
	assert_int_equal(parse(bgp, "neighbor 10.0.0.2 activate"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_NEIGHBOR_ACTIVATE);
	assert_int_equal(parse(bgp, "address-family ipv4 unicast"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_BGP_ADDRESS_FAMILY);
	assert_int_equal(parsed.next_mode, bgp);
	assert_int_equal(parse(bgp, "address-family ipv4"), CLI_OK);
	assert_int_equal(parse(bgp, "exit-address-family"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_BGP_EXIT_ADDRESS_FAMILY);
	assert_int_equal(parsed.next_mode, bgp);
	assert_int_equal(parse(bgp, "exit"), CLI_OK); /* an exact keyword beats exit-address-family */
	assert_int_equal(parsed.cmd, CLI_CMD_EXIT);

	/* ip route: next hop, interface, both, distance */
	assert_int_equal(parse(CLI_MODE_CONFIG, "ip route 0.0.0.0 0.0.0.0 192.168.1.2"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_IP_ROUTE);
	assert_string_equal(cli_arg(&parsed, "NEXTHOP")->text, "192.168.1.2");
	assert_null(cli_arg(&parsed, "IFNAME"));
	assert_null(cli_arg(&parsed, "DISTANCE"));
	assert_int_equal(parse(CLI_MODE_CONFIG, "ip route 10.0.0.0 255.0.0.0 f0/0"), CLI_OK);
	assert_string_equal(cli_arg(&parsed, "IFNAME")->text, "f0/0");
	assert_null(cli_arg(&parsed, "NEXTHOP"));
	assert_int_equal(parse(CLI_MODE_CONFIG, "ip route 10.0.0.0 255.0.0.0 f0/0 10.1.1.1 250"), CLI_OK);
	assert_string_equal(cli_arg(&parsed, "IFNAME")->text, "f0/0");
	assert_string_equal(cli_arg(&parsed, "NEXTHOP")->text, "10.1.1.1");
	assert_int_equal(cli_arg(&parsed, "DISTANCE")->number, 250);
	assert_int_equal(parse(CLI_MODE_CONFIG, "ip route 10.0.0.0 255.0.0.0 eth0 5"), CLI_OK);
	assert_int_equal(cli_arg(&parsed, "DISTANCE")->number, 5);
	assert_null(cli_arg(&parsed, "NEXTHOP"));
	assert_int_equal(parse(CLI_MODE_CONFIG, "no ip route 10.0.0.0 255.0.0.0"), CLI_OK);
	assert_true(parsed.negated);
	assert_error(CLI_MODE_CONFIG, "ip route 10.0.0.0 255.0.0.0", CLI_ERR_INCOMPLETE, 27,
	             "% Incomplete command.");
	assert_error(CLI_MODE_CONFIG, "ip route 10.0.0.0 255.0.0.0 1.1.1.1 256", CLI_ERR_INVALID, 36,
	             invalid);
	assert_error(CLI_MODE_CONFIG, "ip route 10.0.0.0 255.0.0.0 1.1.1.1 0", CLI_ERR_INVALID, 36,
	             invalid);
	assert_error(CLI_MODE_CONFIG, "ip route 10.0.0.0/8 1.1.1.1", CLI_ERR_INVALID, 9, invalid);
	assert_error(CLI_MODE_CONFIG, "ip route 10.0.0.0 255.0.0.0 1.1.1.1 2.2.2.2", CLI_ERR_INVALID,
	             36, invalid);

	/* ipv6 route: an IPv6 next hop also reads as an interface name; the next hop wins */
	assert_int_equal(parse(CLI_MODE_CONFIG, "ipv6 route ::/0 fe80::1"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_IPV6_ROUTE);
	assert_non_null(cli_arg(&parsed, "IPV6-NEXTHOP"));
	assert_null(cli_arg(&parsed, "IFNAME"));
	assert_int_equal(cli_arg(&parsed, "IPV6-PREFIX")->prefix_len, 0);
	assert_int_equal(parse(CLI_MODE_CONFIG, "ipv6 route 2001:db8::/32 eth0 fe80::1 10"), CLI_OK);
	assert_string_equal(cli_arg(&parsed, "IFNAME")->text, "eth0");
	assert_string_equal(cli_arg(&parsed, "IPV6-NEXTHOP")->text, "fe80::1");
	assert_int_equal(cli_arg(&parsed, "DISTANCE")->number, 10);
	assert_int_equal(cli_arg(&parsed, "IPV6-PREFIX")->prefix_len, 32);
	assert_int_equal(parse(CLI_MODE_CONFIG, "no ipv6 route 2001:db8::/32"), CLI_OK);
	assert_error(CLI_MODE_CONFIG, "ipv6 route 2001:db8::/129 eth0", CLI_ERR_INVALID, 11, invalid);
	assert_error(CLI_MODE_CONFIG, "ipv6 route 10.0.0.0/8 eth0", CLI_ERR_INVALID, 11, invalid);
}

static void test_interface_commands(void **state)
{
	(void)state;
	enum cli_mode ifm = CLI_MODE_CONFIG_INTERFACE;
	assert_int_equal(parse(CLI_MODE_CONFIG, "int FastEthernet0/0"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_INTERFACE);
	assert_int_equal(parsed.next_mode, ifm);
	assert_int_equal(parse(CLI_MODE_CONFIG, "no interface Loopback0"), CLI_OK);
	assert_true(parsed.negated);
	assert_int_equal(parsed.next_mode, CLI_MODE_CONFIG);

	assert_int_equal(parse(ifm, "ip address 192.168.1.1 255.255.255.0"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_IF_IP_ADDRESS);
	assert_false(cli_has(&parsed, "secondary"));
	assert_int_equal(parse(ifm, "ip add 10.0.0.1 255.0.0.0 sec"), CLI_OK);
	assert_true(cli_has(&parsed, "secondary"));
	assert_int_equal(parse(ifm, "no ip address"), CLI_OK);
	assert_null(cli_arg(&parsed, "IP-ADDRESS"));
	assert_int_equal(parse(ifm, "no ip address 10.0.0.1 255.0.0.0 secondary"), CLI_OK);
	assert_error(ifm, "ip address 10.0.0.1", CLI_ERR_INCOMPLETE, 19, "% Incomplete command.");
	assert_error(ifm, "ip address 10.0.0.1/8", CLI_ERR_INVALID, 11, invalid);
	assert_error(ifm, "ip address 10.0.0.1 255.0.0.0 primary", CLI_ERR_INVALID, 30, invalid);

	assert_int_equal(parse(ifm, "ipv6 address 2001:db8::1/64"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_IF_IPV6_ADDRESS);
	assert_int_equal(cli_arg(&parsed, "IPV6-PREFIX")->prefix_len, 64);
	assert_int_equal(parse(ifm, "no ipv6 address"), CLI_OK);
	assert_error(ifm, "ipv6 address 2001:db8::1", CLI_ERR_INVALID, 13, invalid);

	assert_int_equal(parse(ifm, "no shut"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_IF_SHUTDOWN);
	assert_true(parsed.negated);
	assert_int_equal(parse(ifm, "description uplink to R2"), CLI_OK);
	assert_string_equal(cli_arg(&parsed, "DESCRIPTION")->text, "uplink to R2");
	assert_int_equal(parse(ifm, "duplex auto"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_IF_MEDIA);
	assert_int_equal(parse(ifm, "speed 100"), CLI_OK);
	assert_error(ifm, "speed 1", CLI_ERR_AMBIGUOUS, 6, "% Ambiguous command:  \"speed 1\"");
	assert_int_equal(parse(ifm, "exit"), CLI_OK);
	assert_int_equal(parsed.next_mode, CLI_MODE_CONFIG);
	/* Global commands are not interface commands (the file loader falls back to global).
	 * Under an interface `route` abbreviates `route-cache` (as on IOS), so the caret goes
	 * under the address that follows it. */
	assert_error(ifm, "ip route 0.0.0.0 0.0.0.0 1.1.1.1", CLI_ERR_INVALID, 9, invalid);
	assert_error(ifm, "ip classless", CLI_ERR_INVALID, 3, invalid);
	assert_int_equal(parse(ifm, "no ip route-cache"), CLI_OK);
	assert_int_equal(parsed.cmd, CLI_CMD_LEGACY_INTERFACE);
	assert_string_equal(cli_mode_prompt(ifm), "(config-if)#");
}

static void test_argument_help_in_context(void **state)
{
	(void)state;
	assert_help(CLI_MODE_CONFIG, "ip route ", "  A.B.C.D  Destination prefix\n");
	assert_help(CLI_MODE_CONFIG, "ip route 10.0.0.0 ", "  A.B.C.D  Destination prefix mask\n");
	assert_help(CLI_MODE_CONFIG, "ip route 10.0.0.0 255.0.0.0 ",
	            "  A.B.C.D  Forwarding router's address\n"
	            "  WORD     Interface name (lo0, f0/0, eth0)\n");
	assert_help(CLI_MODE_CONFIG, "ip route 10.0.0.0 255.0.0.0 1.1.1.1 ",
	            "  <1-255>  Distance metric for this route\n"
	            "  <cr>\n");
	assert_help(CLI_MODE_CONFIG_ROUTER_BGP, "network 10.0.0.0 ",
	            "  mask  Network mask\n"
	            "  <cr>\n");
	assert_help(CLI_MODE_CONFIG_ROUTER_BGP, "bgp cluster-id ",
	            "  A.B.C.D         Route-Reflector Cluster-id in IP address format\n"
	            "  <1-4294967295>  Route-Reflector Cluster-id as 32 bit quantity\n");
	assert_help(CLI_MODE_CONFIG_ROUTER_BGP, "aggregate-address 10.0.0.0 255.0.0.0 ",
	            "  as-set        Generate AS set path information\n"
	            "  summary-only  Filter more specific routes from updates\n"
	            "  <cr>\n");
	assert_help(CLI_MODE_EXEC, "show ip route ",
	            "  A.B.C.D    Network to display information about or host\n"
	            "  bgp        Border Gateway Protocol (BGP)\n"
	            "  connected  Connected\n"
	            "  json       JavaScript Object Notation output\n"
	            "  ospf       Open Shortest Path First (OSPF)\n"
	            "  rip        Routing Information Protocol (RIP)\n"
	            "  static     Static routes\n"
	            "  |          Output modifiers\n"
	            "  <cr>\n");
	assert_help(CLI_MODE_EXEC, "show ip route 10.0.0.0 ",
	            "  A.B.C.D  Network mask\n"
	            "  json     JavaScript Object Notation output\n"
	            "  |        Output modifiers\n"
	            "  <cr>\n");
	assert_help(CLI_MODE_EXEC, "show ip route 10.0.0.0 255.0.0.0 ",
	            "  json             JavaScript Object Notation output\n"
	            "  longer-prefixes  Show route matching the specified Network/Mask pair only\n"
	            "  |                Output modifiers\n"
	            "  <cr>\n");
	assert_help(CLI_MODE_CONFIG_INTERFACE, "ip address 10.0.0.1 255.0.0.0 ",
	            "  secondary  Make this IP address a secondary address\n"
	            "  <cr>\n");
}

static void test_output_modifiers(void **state)
{
	(void)state;
	struct cli_parse p;
	assert_int_equal(cli_parse(CLI_MODE_EXEC, "show running-config | include bgp", &p), CLI_OK);
	assert_int_equal(p.cmd, CLI_CMD_SHOW_RUNNING_CONFIG);
	assert_int_equal(p.filter, CLI_CMD_FILTER_INCLUDE);
	assert_string_equal(p.filter_regex, "bgp");
	assert_int_equal(p.filter_column, 30);
	/* abbreviated, with blanks in the expression, in user EXEC and after `do` */
	assert_int_equal(cli_parse(CLI_MODE_USER_EXEC, "sh ip bgp | inc 65001 i", &p), CLI_OK);
	assert_int_equal(p.cmd, CLI_CMD_SHOW_BGP);
	assert_int_equal(p.filter, CLI_CMD_FILTER_INCLUDE);
	assert_string_equal(p.filter_regex, "65001 i");
	assert_int_equal(cli_parse(CLI_MODE_CONFIG_INTERFACE, "do sh run | sec router", &p), CLI_OK);
	assert_true(p.via_do);
	assert_int_equal(p.filter, CLI_CMD_FILTER_SECTION);
	assert_int_equal(cli_parse(CLI_MODE_EXEC, "show ip route | count", &p), CLI_OK);
	assert_int_equal(p.filter, CLI_CMD_FILTER_COUNT);
	assert_string_equal(p.filter_regex, "");
	assert_int_equal(cli_parse(CLI_MODE_EXEC, "show ip route | e a|b", &p), CLI_OK);
	assert_int_equal(p.filter, CLI_CMD_FILTER_EXCLUDE);
	assert_string_equal(p.filter_regex, "a|b");
	assert_int_equal(cli_parse(CLI_MODE_EXEC, "show ip route | b ^B", &p), CLI_OK);
	assert_int_equal(p.filter, CLI_CMD_FILTER_BEGIN);
	/* no modifier, an unknown one, a missing expression, or not after a show */
	assert_int_equal(cli_parse(CLI_MODE_EXEC, "show ip route", &p), CLI_OK);
	assert_int_equal(p.filter, CLI_CMD_NONE);
	assert_int_equal(cli_parse(CLI_MODE_EXEC, "show ip route |", &p), CLI_ERR_INCOMPLETE);
	assert_int_equal(cli_parse(CLI_MODE_EXEC, "show ip route | grep x", &p), CLI_ERR_INVALID);
	assert_int_equal(p.column, 16);
	assert_int_equal(cli_parse(CLI_MODE_EXEC, "show ip route | include", &p), CLI_ERR_INCOMPLETE);
	assert_int_equal(cli_parse(CLI_MODE_EXEC, "clear ip bgp * | include x", &p), CLI_ERR_INVALID);
	assert_int_equal(p.column, 15);
	assert_int_equal(cli_parse(CLI_MODE_EXEC, "show ip | include x", &p), CLI_ERR_INCOMPLETE);
	/* a configuration line keeps its `|` */
	assert_int_equal(cli_parse(CLI_MODE_CONFIG_INTERFACE, "description a | b", &p), CLI_OK);
	assert_string_equal(cli_arg(&p, "DESCRIPTION")->text, "a | b");
	assert_int_equal(p.filter, CLI_CMD_NONE);
	/* help and completion after the bar */
	assert_help(CLI_MODE_EXEC, "show running-config | ",
	            "  begin    Begin with the line that matches\n"
	            "  count    Count number of lines which match regular expression\n"
	            "  exclude  Exclude lines that match\n"
	            "  include  Include lines that match\n"
	            "  section  Filter a section of output\n");
	assert_help(CLI_MODE_EXEC, "show running-config | include ",
	            "  LINE  Regular Expression\n");
	assert_help(CLI_MODE_EXEC, "show running-config |",
	            "  |  Output modifiers\n");
	assert_help(CLI_MODE_EXEC, "show running-config | count ",
	            "  LINE  Regular Expression\n"
	            "  <cr>\n");
	struct cli_completion c;
	assert_int_equal(cli_complete(CLI_MODE_EXEC, "show running-config | inc", &c), 1);
	assert_string_equal(c.line, "show running-config | include ");
	struct strbuf out = STRBUF_INIT;
	assert_int_equal(cli_help(CLI_MODE_EXEC, "clear ip bgp * | ", &out, NULL), CLI_ERR_INVALID);
	strbuf_free(&out);
}

static void test_table_is_complete(void **state)
{
	(void)state;
	/* Every mode's rows, with their `no` variants, fit the matcher (VARIANTS_MAX 1024). */
	for (int mode = 0; mode < CLI_MODE_COUNT; mode++) {
		size_t variants = 0;
		for (size_t r = 0; r < cli_command_count; r++) {
			if (cli_commands[r].modes & CLI_IN(mode))
				variants += 2;
		}
		assert_true(variants <= 1024);
	}
	for (size_t r = 0; r < cli_command_count; r++) {
		const struct cli_command *row = &cli_commands[r];
		assert_non_null(row->syntax[0]);
		assert_true(row->modes != 0);
		for (size_t k = 0; k < CLI_SYNTAX_MAX && row->syntax[k]; k++) {
			const char *token = row->syntax[k];
			bool upper = token[0] >= 'A' && token[0] <= 'Z';
			if (upper) {
				if (!cli_type_find(token))
					fail_msg("row %zu: unknown type %s", r, token);
				continue;
			}
			if (cli_keyword_help(row, k)[0] == '\0')
				fail_msg("row %zu: keyword %s has no help", r, token);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exec_commands),
		cmocka_unit_test(test_clear),
		cmocka_unit_test(test_abbreviations),
		cmocka_unit_test(test_config_commands),
		cmocka_unit_test(test_no_forms),
		cmocka_unit_test(test_modes),
		cmocka_unit_test(test_do),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_empty_and_comments),
		cmocka_unit_test(test_format_error),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_help_everything_in_a_mode),
		cmocka_unit_test(test_help_errors),
		cmocka_unit_test(test_complete),
		cmocka_unit_test(test_show_routes_and_interfaces),
		cmocka_unit_test(test_route_and_bgp_config_commands),
		cmocka_unit_test(test_interface_commands),
		cmocka_unit_test(test_argument_help_in_context),
		cmocka_unit_test(test_output_modifiers),
		cmocka_unit_test(test_table_is_complete),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
