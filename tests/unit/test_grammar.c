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
	assert_int_equal(parse(CLI_MODE_CONFIG_ROUTER_BGP,
	                       "no neighbor 1.1.1.1 transport connection-mode passive"), CLI_OK);
	/* `no` takes only commands that have a no form. */
	assert_error(CLI_MODE_CONFIG, "no interface f0/0", CLI_ERR_INVALID, 3, invalid);
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
	assert_error(CLI_MODE_EXEC, "show ip bgp", CLI_ERR_INCOMPLETE, 11, "% Incomplete command.");
	assert_error(CLI_MODE_EXEC, "show ip bgp ", CLI_ERR_INCOMPLETE, 11, "% Incomplete command.");
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
	            "  neighbors  Detailed information on TCP and BGP neighbor connections\n"
	            "  summary    Summary of BGP neighbor status\n");
	assert_help(CLI_MODE_EXEC, "show ip bgp summary ",
	            "  json  JavaScript Object Notation output\n"
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
	            "  bgp  BGP information\n"
	            "  ip   IP information\n");
	assert_help(CLI_MODE_EXEC, "show ",
	            "  bgp             BGP information\n"
	            "  ip              IP information\n"
	            "  running-config  Current operating configuration\n"
	            "  startup-config  Contents of startup configuration\n");
	assert_help(CLI_MODE_EXEC, "show ip bgp neighbors ",
	            "  A.B.C.D   Neighbor address\n"
	            "  X:X::X:X  Neighbor IPv6 address\n"
	            "  json      JavaScript Object Notation output\n"
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
	assert_help(CLI_MODE_CONFIG_ROUTER_BGP, "neighbor 1.1.1.1 description ",
	            "  LINE  Up to 255 characters describing it\n");
	assert_help(CLI_MODE_CONFIG_ROUTER_BGP, "neighbor 1.1.1.1 description to R3 ", "  <cr>\n");
	assert_help(CLI_MODE_CONFIG_ROUTER_BGP, "no neighbor 1.1.1.1 description ",
	            "  LINE  Up to 255 characters describing it\n"
	            "  <cr>\n");
	assert_help(CLI_MODE_CONFIG_ROUTER_BGP, "no ",
	            "  auto-summary     Enable automatic network number summarization\n"
	            "  bgp              BGP information\n"
	            "  neighbor         Specify a neighbor router\n"
	            "  synchronization  Perform IGP synchronization\n"
	            "  timers           Adjust routing timers\n");
	assert_help(CLI_MODE_CONFIG, "do sh",
	            "  show  Show running system information\n");
	assert_help(CLI_MODE_CONFIG, "do show ip bgp ",
	            "  neighbors  Detailed information on TCP and BGP neighbor connections\n"
	            "  summary    Summary of BGP neighbor status\n");
}

static void test_help_everything_in_a_mode(void **state)
{
	(void)state;
	struct strbuf out = STRBUF_INIT;
	assert_int_equal(cli_help(CLI_MODE_CONFIG_ROUTER_BGP, "", &out, NULL), CLI_OK);
	const char *text = strbuf_str(&out);
	assert_non_null(strstr(text, "  neighbor         Specify a neighbor router\n"));
	assert_non_null(strstr(text, "  do               To run exec commands in config mode\n"));
	assert_non_null(strstr(text, "  no               Negate a command or set its defaults\n"));
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
	assert_int_equal(cli_complete(CLI_MODE_EXEC, "show ip bgp ", &c), 2);
	assert_string_equal(c.candidates[0], "neighbors");
	assert_string_equal(c.candidates[1], "summary");
	assert_int_equal(c.word_column, 12);
	assert_string_equal(c.line, "");

	assert_int_equal(cli_complete(CLI_MODE_CONFIG_ROUTER_BGP, "nei 1.1.1.1 rem", &c), 1);
	assert_string_equal(c.line, "nei 1.1.1.1 remote-as ");
	assert_int_equal(cli_complete(CLI_MODE_CONFIG_ROUTER_BGP, "n", &c), 2);
	assert_int_equal(cli_complete(CLI_MODE_CONFIG, "do sh ip b", &c), 1);
	assert_string_equal(c.line, "do sh ip bgp ");

	/* Arguments are not completed; nor is anything after an error. */
	assert_int_equal(cli_complete(CLI_MODE_CONFIG, "router bgp 1", &c), 0);
	assert_int_equal(cli_complete(CLI_MODE_EXEC, "foo s", &c), 0);
	assert_int_equal(cli_complete(CLI_MODE_USER_EXEC, "con", &c), 0);
}

static void test_table_is_complete(void **state)
{
	(void)state;
	assert_true(cli_command_count * 2 <= 512);
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
		cmocka_unit_test(test_table_is_complete),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
