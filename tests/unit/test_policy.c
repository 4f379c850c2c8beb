/*
 * DOC: unit tests of routing policy evaluation (policy.h): prefix-list matching with ge/le,
 * sequence order and the implicit deny, route-maps (first match, deny entries, undefined
 * lists, the implicit deny), community-lists, set clauses on decoded attributes, and the
 * show output. Policies are built from configuration text through the real grammar.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "config/config.h"
#include "policy/policy.h"

static void load(const char *text, struct config *c)
{
	struct config_diag diag;
	if (!config_load_text(text, "test.conf", c, &diag))
		fail_msg("%s:%u: %s [%s]", diag.file, diag.line, diag.message, diag.text);
}

static struct policy_route v4(const char *text, uint8_t *buf)
{
	struct ip_addr a;
	char addr[64];
	const char *slash = strchr(text, '/');
	snprintf(addr, sizeof(addr), "%.*s", (int)(slash - text), text);
	assert_true(ip_addr_parse(addr, &a));
	memcpy(buf, a.bytes, 16);
	return (struct policy_route){ .family = a.family, .len = (uint8_t)atoi(slash + 1), .addr = buf };
}

static bool pl_permits(const struct config *c, const char *list, const char *prefix)
{
	uint8_t buf[16];
	struct policy_route r = v4(prefix, buf);
	const struct policy_prefix_list *l = policy_prefix_list_find(&c->policy, list);
	assert_non_null(l);
	return policy_prefix_list_permits(l, &r);
}

static void test_prefix_list_ge_le(void **state)
{
	(void)state;
	struct config c;
	load("ip prefix-list EXACT permit 10.0.0.0/8\n"
	     "ip prefix-list LE permit 10.0.0.0/8 le 24\n"
	     "ip prefix-list GE permit 10.0.0.0/8 ge 16\n"
	     "ip prefix-list GELE permit 10.0.0.0/8 ge 16 le 24\n"
	     "ip prefix-list ANY permit 0.0.0.0/0 le 32\n",
	     &c);
	assert_true(pl_permits(&c, "EXACT", "10.0.0.0/8"));
	assert_false(pl_permits(&c, "EXACT", "10.1.0.0/16"));
	assert_false(pl_permits(&c, "EXACT", "11.0.0.0/8"));
	assert_true(pl_permits(&c, "LE", "10.0.0.0/8"));
	assert_true(pl_permits(&c, "LE", "10.1.2.0/24"));
	assert_false(pl_permits(&c, "LE", "10.1.2.128/25"));
	assert_false(pl_permits(&c, "GE", "10.0.0.0/8"));
	assert_true(pl_permits(&c, "GE", "10.1.0.0/16"));
	assert_true(pl_permits(&c, "GE", "10.1.2.3/32"));
	assert_false(pl_permits(&c, "GELE", "10.1.2.3/32"));
	assert_true(pl_permits(&c, "GELE", "10.1.2.0/24"));
	assert_false(pl_permits(&c, "GELE", "9.0.0.0/16"));
	assert_true(pl_permits(&c, "ANY", "0.0.0.0/0"));
	assert_true(pl_permits(&c, "ANY", "192.0.2.1/32"));
	/* an IPv4 list never matches an IPv6 prefix */
	assert_false(pl_permits(&c, "ANY", "2001:db8::/32"));
	config_free(&c);
}

static void test_prefix_list_order_and_implicit_deny(void **state)
{
	(void)state;
	struct config c;
	/* typed out of order: seq decides, not the order of the lines */
	load("ip prefix-list L seq 20 permit 10.0.0.0/8 le 32\n"
	     "ip prefix-list L seq 10 deny 10.1.0.0/16 le 32\n",
	     &c);
	assert_false(pl_permits(&c, "L", "10.1.2.0/24"));
	assert_true(pl_permits(&c, "L", "10.2.0.0/16"));
	assert_false(pl_permits(&c, "L", "11.0.0.0/8")); /* matches nothing: denied */
	config_free(&c);
}

static bool rm_permits(const struct config *c, const char *map, const char *prefix, const struct bgp_attrs *a,
		       const struct policy_route_map_entry **entry)
{
	uint8_t buf[16];
	struct policy_route r = v4(prefix, buf);
	r.attrs = a;
	return policy_route_map_permits(&c->policy, policy_route_map_find(&c->policy, map), &r, entry);
}

static void test_route_map_first_match(void **state)
{
	(void)state;
	struct config c;
	load("ip prefix-list TEN permit 10.0.0.0/8 le 32\n"
	     "ip prefix-list TWENTY permit 20.0.0.0/8 le 32\n"
	     "route-map RM deny 5\n match ip address prefix-list TWENTY\n"
	     "route-map RM permit 10\n match ip address prefix-list TEN\n set local-preference 200\n"
	     "route-map RM permit 20\n match ip address prefix-list TEN\n set local-preference 50\n"
	     "route-map GHOST permit 10\n match ip address prefix-list UNDEFINED\n set metric 7\n"
	     "route-map EMPTY permit 10\n"
	     "route-map NONE deny 10\n",
	     &c);
	const struct policy_route_map_entry *e;
	assert_true(rm_permits(&c, "RM", "10.1.0.0/16", NULL, &e));
	assert_non_null(e);
	assert_int_equal(e->seq, 10); /* the first match, not the later one */
	assert_int_equal(e->local_pref, 200);
	assert_false(rm_permits(&c, "RM", "20.1.0.0/16", NULL, &e)); /* a deny entry */
	assert_null(e);
	assert_false(rm_permits(&c, "RM", "30.0.0.0/8", NULL, &e)); /* the implicit deny */
	/* IOS: a match on an undefined prefix-list is ignored: the entry matches everything */
	assert_true(rm_permits(&c, "GHOST", "30.0.0.0/8", NULL, &e));
	assert_int_equal(e->metric, 7);
	/* no match clause matches everything; a lone deny denies everything */
	assert_true(rm_permits(&c, "EMPTY", "30.0.0.0/8", NULL, &e));
	assert_false(policy_entry_sets(e));
	assert_false(rm_permits(&c, "NONE", "30.0.0.0/8", NULL, &e));
	/* an undefined route-map denies */
	assert_false(rm_permits(&c, "MISSING", "30.0.0.0/8", NULL, &e));
	config_free(&c);
}

static const uint8_t communities_wire[] = { 0xFD, 0xE8, 0x00, 0x01, 0xFF, 0xFF, 0xFF, 0x01 }; /* 65000:1 no-export */

static void test_community_lists(void **state)
{
	(void)state;
	struct config c;
	load("ip community-list standard BOTH permit 65000:1 no-export\n"
	     "ip community-list standard OTHER permit 65000:2\n"
	     "ip community-list 5 deny 65000:1\n"
	     "ip community-list 5 permit internet\n"
	     "route-map RM permit 10\n match community BOTH\n"
	     "route-map RM2 permit 10\n match community OTHER\n",
	     &c);
	struct bgp_attrs a;
	memset(&a, 0, sizeof(a));
	a.present = BGP_ATTR_BIT(BGP_ATTR_COMMUNITIES);
	a.communities = (struct bgp_attr_blob){ .data = communities_wire, .len = sizeof(communities_wire) };
	const struct policy_route_map_entry *e;
	assert_true(rm_permits(&c, "RM", "10.0.0.0/8", &a, &e));
	assert_false(rm_permits(&c, "RM2", "10.0.0.0/8", &a, &e));
	uint8_t buf[16];
	struct policy_route r = v4("10.0.0.0/8", buf);
	r.attrs = &a;
	assert_false(policy_community_list_permits(policy_community_list_find(&c.policy, "5"), &r));
	config_free(&c);
}

static void test_set_clauses(void **state)
{
	(void)state;
	struct config c;
	load("route-map S permit 10\n set local-preference 300\n set metric 9\n"
	     " set community 1:1 65000:1 additive\n set as-path prepend 65001 65002\n"
	     "route-map R permit 10\n set community 2:2\n"
	     "route-map N permit 10\n set community none\n",
	     &c);
	static const uint8_t path[] = { 2, 1, 0, 0, 0x01, 0x2C }; /* AS_SEQUENCE 300 */
	struct bgp_attrs a;
	memset(&a, 0, sizeof(a));
	a.present = BGP_ATTR_BIT(BGP_ATTR_COMMUNITIES) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH);
	a.communities = (struct bgp_attr_blob){ .data = communities_wire, .len = sizeof(communities_wire) };
	a.as_path = (struct bgp_as_path){ .data = path, .len = sizeof(path), .asn_size = 4 };
	uint8_t buf[1024];
	const struct policy_route_map_entry *e;
	assert_true(rm_permits(&c, "S", "10.0.0.0/8", &a, &e));
	struct bgp_attrs out = a;
	assert_true(policy_apply_sets(e, &out, buf, sizeof(buf)));
	assert_true(bgp_attrs_has(&out, BGP_ATTR_LOCAL_PREF));
	assert_int_equal(out.local_pref, 300);
	assert_true(bgp_attrs_has(&out, BGP_ATTR_MULTI_EXIT_DISC));
	assert_int_equal(out.med, 9);
	/* additive: the old two, then 1:1 (65000:1 is already there) */
	assert_int_equal(bgp_communities_count(&out.communities), 3);
	assert_int_equal(bgp_community_at(&out.communities, 2), 0x00010001);
	struct strbuf sb = STRBUF_INIT;
	bgp_as_path_text(&out.as_path, &sb);
	assert_string_equal(strbuf_str(&sb), "65001 65002 300");
	strbuf_free(&sb);

	assert_true(rm_permits(&c, "R", "10.0.0.0/8", &a, &e));
	out = a;
	assert_true(policy_apply_sets(e, &out, buf, sizeof(buf)));
	assert_int_equal(bgp_communities_count(&out.communities), 1);
	assert_int_equal(bgp_community_at(&out.communities, 0), 0x00020002);

	assert_true(rm_permits(&c, "N", "10.0.0.0/8", &a, &e));
	out = a;
	assert_true(policy_apply_sets(e, &out, buf, sizeof(buf)));
	assert_false(bgp_attrs_has(&out, BGP_ATTR_COMMUNITIES));
	/* a buffer too small leaves the attributes as they were */
	assert_true(rm_permits(&c, "S", "10.0.0.0/8", &a, &e));
	out = a;
	assert_false(policy_apply_sets(e, &out, buf, 4));
	assert_int_equal(out.present, a.present);
	config_free(&c);
}

static void test_communities_text(void **state)
{
	(void)state;
	uint32_t v;
	char buf[24];
	assert_true(policy_community_parse("65000:1", &v));
	assert_int_equal(v, 0xFDE80001);
	assert_true(policy_community_parse("no-export", &v));
	assert_string_equal(policy_community_format(v, buf, sizeof(buf)), "no-export");
	assert_true(policy_community_parse("4294967295", &v));
	assert_false(policy_community_parse("65536:1", &v));
	assert_false(policy_community_parse("1:", &v));
	assert_false(policy_community_parse("x", &v));
	assert_string_equal(policy_community_format(0x00010002, buf, sizeof(buf)), "1:2");
}

static void test_show(void **state)
{
	(void)state;
	struct config c;
	load("ip prefix-list CUST permit 10.0.0.0/8 le 24\n"
	     "ip prefix-list CUST deny 0.0.0.0/0 le 32\n"
	     "route-map PREFER permit 10\n match ip address prefix-list CUST\n set local-preference 200\n"
	     "route-map PREFER deny 20\n match ip address prefix-list NOPE\n",
	     &c);
	struct strbuf out = STRBUF_INIT;
	assert_true(policy_show_prefix_lists(&c.policy, NULL, false, &out));
	assert_string_equal(strbuf_str(&out), "ip prefix-list CUST: 2 entries\n"
					      "   seq 5 permit 10.0.0.0/8 le 24\n"
					      "   seq 10 deny 0.0.0.0/0 le 32\n");
	strbuf_reset(&out);
	assert_true(policy_show_prefix_lists(&c.policy, "CUST", true, &out));
	assert_string_equal(strbuf_str(&out),
			    "{\"CUST\":{\"entries\":[{\"seq\":5,\"action\":\"permit\",\"prefix\":\"10.0.0.0/8\",\"le\":24},"
			    "{\"seq\":10,\"action\":\"deny\",\"prefix\":\"0.0.0.0/0\",\"le\":32}]}}\n");
	strbuf_reset(&out);
	assert_false(policy_show_prefix_lists(&c.policy, "NOPE", false, &out));
	assert_true(policy_show_route_maps(&c.policy, "PREFER", false, &out));
	assert_string_equal(strbuf_str(&out), "route-map PREFER, permit, sequence 10\n"
					      "  Match clauses:\n"
					      "    ip address prefix-lists: CUST\n"
					      "  Set clauses:\n"
					      "    local-preference 200\n"
					      "route-map PREFER, deny, sequence 20\n"
					      "  Match clauses:\n"
					      "    ip address prefix-lists: NOPE (not defined: matches all)\n"
					      "  Set clauses:\n");
	strbuf_reset(&out);
	assert_true(policy_show_route_maps(&c.policy, NULL, true, &out));
	assert_string_equal(strbuf_str(&out),
			    "{\"PREFER\":{\"entries\":[{\"sequence\":10,\"action\":\"permit\",\"match\":{\"prefixList\":"
			    "\"CUST\"},\"set\":{\"localPreference\":200}},{\"sequence\":20,\"action\":\"deny\","
			    "\"match\":{\"prefixList\":\"NOPE\"},\"set\":{}}]}}\n");
	strbuf_free(&out);
	config_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefix_list_ge_le),
		cmocka_unit_test(test_prefix_list_order_and_implicit_deny),
		cmocka_unit_test(test_route_map_first_match),
		cmocka_unit_test(test_community_lists),
		cmocka_unit_test(test_set_clauses),
		cmocka_unit_test(test_communities_text),
		cmocka_unit_test(test_show),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
