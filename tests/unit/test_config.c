/*
 * DOC: unit tests of the configuration model: loading text and files through the grammar,
 * the canonical printed form, print -> parse -> equal for every command, the IOS checks of
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

static char *printed(const struct config *c)
{
	struct strbuf out = STRBUF_INIT;
	config_print(c, &out);
	char *text = strdup(strbuf_str(&out));
	strbuf_free(&out);
	return text;
}

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

static void test_round_trip_every_command(void **state)
{
	(void)state;
	static const char *const configs[] = {
		"hostname R1\n",
		"hostname a-b-9\n",
		"router bgp 1\n",
		"router bgp 4294967295\n",
		"router bgp 1.10\n",
		"router bgp 100\n bgp router-id 10.0.0.1\n",
		"router bgp 100\n timers bgp 0 0\n",
		"router bgp 100\n timers bgp 65535 65535\n",
		"router bgp 100\n neighbor 10.0.0.2 remote-as 4200000000\n",
		"router bgp 100\n neighbor 2001:db8::2 remote-as 200\n neighbor 10.0.0.1 remote-as 5\n",
		"router bgp 100\n neighbor 10.0.0.2 remote-as 200\n"
		" neighbor 10.0.0.2 description  link  to R3  \n",
		"router bgp 100\n neighbor 10.0.0.2 remote-as 200\n neighbor 10.0.0.2 update-source f0/0\n",
		"router bgp 100\n neighbor 10.0.0.2 remote-as 200\n"
		" neighbor 10.0.0.2 update-source 192.168.1.1\n",
		"router bgp 100\n neighbor 10.0.0.2 remote-as 200\n neighbor 10.0.0.2 ebgp-multihop\n",
		"router bgp 100\n neighbor 10.0.0.2 remote-as 200\n neighbor 10.0.0.2 ebgp-multihop 2\n",
		"router bgp 100\n neighbor 10.0.0.2 remote-as 200\n neighbor 10.0.0.2 timers 3 9\n",
		"router bgp 100\n neighbor 10.0.0.2 remote-as 200\n neighbor 10.0.0.2 timers 0 0\n",
		"router bgp 100\n neighbor 10.0.0.2 remote-as 200\n neighbor 10.0.0.2 timers connect 5\n",
		"router bgp 100\n neighbor 10.0.0.2 remote-as 200\n"
		" neighbor 10.0.0.2 password s3cr3t with spaces\n",
		"router bgp 100\n neighbor 10.0.0.2 remote-as 200\n neighbor 10.0.0.2 shutdown\n",
		"router bgp 100\n neighbor 10.0.0.2 remote-as 200\n"
		" neighbor 10.0.0.2 shutdown message maintenance until 18:00\n",
		"router bgp 100\n neighbor 10.0.0.2 remote-as 200\n"
		" neighbor 10.0.0.2 transport connection-mode passive\n",
		seed_r2,
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
	assert_rejected(&c, CLI_MODE_CONFIG, "router ospf 100", "% Not yet supported: router ospf", 0);
	assert_rejected(&c, CLI_MODE_CONFIG, "router rip", "% Not yet supported: router rip", 0);
	assert_rejected(&c, bgp, "redistribute ospf 1", "% Not yet supported: redistribute ospf", 0);
	assert_rejected(&c, bgp, "redistribute rip", "% Not yet supported: redistribute rip", 0);
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
	assert_false(config_load_text("router ospf 1\n", "t", &c, &diag));
	assert_string_equal(diag.message, "% Not yet supported: router ospf");
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_defaults),
		cmocka_unit_test(test_seed_config_prints_canonically),
		cmocka_unit_test(test_round_trip_every_command),
		cmocka_unit_test(test_every_neighbor_setting_prints),
		cmocka_unit_test(test_rejected_commands_change_nothing),
		cmocka_unit_test(test_apply_modes_and_notes),
		cmocka_unit_test(test_no_forms),
		cmocka_unit_test(test_legacy_lines_and_notes),
		cmocka_unit_test(test_block_structure),
		cmocka_unit_test(test_bad_line_diagnostics),
		cmocka_unit_test(test_file_load),
		cmocka_unit_test(test_neighbors_sorted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
