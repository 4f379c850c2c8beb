/* The per-peer message log (src/bgp/message_log.c): an entry's JSON members are names and
 * values that fit or are left out whole, its text is cut at a UTF-8 character's end, and a
 * peer's free text is made valid UTF-8 without control characters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "bgp/internal.h"

static void test_sanitise(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "plain \"quoted\" \\ text", "plain \"quoted\" \\ text" },
		{ "bye \x1b[31mred\x07", "bye ?[31mred?" },
		{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80" },
		{ "bad \xff end", "bad ? end" },
		{ "overlong \xc0\xaf", "overlong ??" },          /* '/' in two octets */
		{ "surrogate \xed\xa0\x80", "surrogate ???" },   /* U+D800 */
		{ "too high \xf4\x90\x80\x80", "too high ????" }, /* past U+10FFFF */
		{ "cut \xe2\x82", "cut ??" },
		{ "lone \x80 continuation", "lone ? continuation" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[64];
		strcpy(text, cases[i].in);
		bgp_peer_text_sanitise(text);
		assert_string_equal(text, cases[i].out);
	}
}

static void test_members_fit_or_are_left_out(void **state)
{
	(void)state;
	struct bgp_log_members m = { 0 };
	char address[IP_ADDR_STRLEN];
	memset(address, 'a', sizeof(address) - 1);
	address[sizeof(address) - 1] = '\0';
	/* the largest entry the module makes: tcp-connect between two IPv6 addresses */
	assert_true(bgp_log_add_string(&m, "localAddress", address));
	assert_true(bgp_log_add_uint(&m, "localPort", 65535));
	assert_true(bgp_log_add_string(&m, "remoteAddress", address));
	assert_true(bgp_log_add_uint(&m, "remotePort", 179));
	assert_true(bgp_log_add_string(&m, "initiator", "remote"));
	assert_int_equal(m.count, 5);
	assert_string_equal(bgp_log_member_text(&m, &m.member[2]), address);
	assert_string_equal(bgp_log_member_text(&m, &m.member[4]), "remote");
	assert_int_equal(m.member[1].number, 65535);
	uint64_t port = 0;
	assert_true(bgp_log_member_uint(&m, "remotePort", &port));
	assert_int_equal(port, 179);
	assert_false(bgp_log_member_uint(&m, "initiator", &port)); /* a string, not a number */
	assert_false(bgp_log_member_uint(&m, "myAs", &port));
	/* a sixth member has no room: left out, the others stay as they were */
	assert_false(bgp_log_add_true(&m, "extra"));
	assert_int_equal(m.count, 5);
	/* a string that does not fit what is left of the strings is left out whole */
	struct bgp_log_members n = { 0 };
	char long_text[BGP_LOG_STRINGS_MAX + 1];
	memset(long_text, 'x', BGP_LOG_STRINGS_MAX);
	long_text[BGP_LOG_STRINGS_MAX] = '\0';
	assert_false(bgp_log_add_string(&n, "text", long_text));
	assert_int_equal(n.count, 0);
	assert_true(bgp_log_add_true(&n, "exceeded"));
	assert_int_equal(n.member[0].kind, BGP_LOG_VALUE_TRUE);
}

static void test_entry_text_cut_at_a_character(void **state)
{
	(void)state;
	struct bgp_peer *peer = calloc(1, sizeof(*peer));
	assert_non_null(peer);
	ip_addr_parse("192.0.2.1", &peer->config.addr);
	/* 'é' is two octets: with one octet of ASCII first, the cut at BGP_LOG_TEXT_MAX - 1
	 * octets would fall inside one for an odd BGP_LOG_TEXT_MAX - 1 - 1 */
	char text[2 * BGP_LOG_TEXT_MAX + 1] = "";
	size_t lead = (BGP_LOG_TEXT_MAX - 1) % 2 ? 0 : 1;
	memset(text, 'x', lead);
	for (size_t i = lead; i + 2 <= sizeof(text) - 1; i += 2)
		memcpy(text + i, "\xc3\xa9", 2);
	bgp_peer_log(peer, BGP_LOG_EVENT, "test", NULL, "%s", text);
	const struct bgp_log_entry *e = bgp_peer_log_at(peer, 0);
	assert_non_null(e);
	size_t len = strnlen(e->text, sizeof(e->text));
	assert_int_equal(len, BGP_LOG_TEXT_MAX - 2); /* the incomplete character went */
	assert_memory_equal(e->text + len - 2, "\xc3\xa9", 2);
	assert_int_equal(e->members.count, 0);
	/* members are copied into the entry */
	struct bgp_log_members m = { 0 };
	bgp_log_add_string(&m, "name", "Cease/Administrative Shutdown");
	bgp_peer_log(peer, BGP_LOG_RECEIVED, "notification", &m, "short");
	e = bgp_peer_log_at(peer, 1);
	assert_string_equal(e->text, "short");
	assert_int_equal(e->members.count, 1);
	assert_string_equal(bgp_log_member_text(&e->members, &e->members.member[0]), "Cease/Administrative Shutdown");
	assert_null(bgp_peer_log_at(peer, 2));
	free(peer);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sanitise),
		cmocka_unit_test(test_members_fit_or_are_left_out),
		cmocka_unit_test(test_entry_text_cut_at_a_character),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
