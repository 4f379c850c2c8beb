/*
 * DOC: unit tests of `show ip route` (src/core/show_route.c): the core table merged with the
 * Loc-RIB's best paths, whole (core_show_routes) and a slice at a time (core_show_routes_*,
 * what the control socket streams).
 *
 * The core is made without a loop or a kernel (nothing is installed, no interface has a
 * name); BGP routes are locally originated paths (bgp_rib_local_path, distance 200), as in
 * test_rib_cursor.c. Ages are "00:00:00" unless the test straddles a second: they are
 * compared with their seconds zeroed.
 *
 * Promises under test: the text of a small mixed table is what IOS prints, byte for byte, the
 * expected table written from IOS's documented `show ip route` format, not from Tern's output
 * (see test_ios_layout); the JSON of the same table (Tern's own format: prefix order, IPv4
 * first; every route of a prefix, the winner by distance first); the sliced
 * view makes exactly the whole view's bytes in many bounded slices; and while the tables
 * change between slices (the Loc-RIB grows and rehashes, prefixes go, BGP stops), every
 * prefix present throughout is shown once, in order, and nothing is shown twice.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "bgp/internal.h"
#include "bgp_harness.h"
#include "core/core.h"

#define MAX_ROUTES 200000

static uv_loop_t loop;
static struct bgp_speaker *spk;
static struct bgp_rib *rib;
static struct core *core;
static struct bgp_core_source *glue;

static int setup(void **state)
{
	(void)state;
	spk = harness_speaker_start(&loop, &(struct bgp_speaker_options){ .listen = false });
	rib = bgp_speaker_rib(spk);
	core = core_create(NULL, NULL);
	assert_non_null(core);
	glue = bgp_core_source_create(core, NULL);
	assert_non_null(glue);
	assert_true(bgp_core_source_attach(glue, spk));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	core_destroy(core);
	harness_speaker_stop(&loop, spk);
	spk = NULL;
	rib = NULL;
	return 0;
}

static struct prefix prefix(const char *text)
{
	char addr[64];
	const char *slash = strchr(text, '/');
	assert_non_null(slash);
	snprintf(addr, sizeof(addr), "%.*s", (int)(slash - text), text);
	struct prefix p = { .family = strchr(addr, ':') ? AF_INET6 : AF_INET, .len = (uint8_t)atoi(slash + 1) };
	assert_int_equal(inet_pton(p.family, addr, p.addr), 1);
	return p;
}

static void core_add(const char *text, enum core_protocol protocol, uint8_t distance, const char *via)
{
	struct core_route_info info = { .distance = distance, .metric = 7, .nexthop_count = 1 };
	if (via)
		assert_true(ip_addr_parse(via, &info.nexthops[0].gateway));
	struct prefix p = prefix(text);
	core_route_set(core, &p, protocol, &info);
}

/* Our own BGP path for a prefix (add false: it goes); the caller commits. */
static void bgp_set(const struct prefix *p, bool add)
{
	struct prefix n = { .family = p->family, .len = p->len };
	memcpy(n.addr, p->addr, sizeof(n.addr));
	struct bgp_attrs a;
	memset(&a, 0, sizeof(a));
	a.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH);
	a.as_path = (struct bgp_as_path){ .data = NULL, .len = 0, .asn_size = 4 };
	bgp_rib_local_path(rib, &n, add ? &a : NULL);
}

static void bgp_add(const char *text)
{
	struct prefix p = prefix(text);
	bgp_set(&p, true);
	bgp_rib_commit(rib);
}

/* Ages to "00:00:00": the output was made within the second, or straddled one. (A plain
 * loop: strstr from each match on would be quadratic under ASan, which measures the whole
 * haystack at every call.) */
static char *zero_ages(struct strbuf *b)
{
	for (size_t k = 0; k + 8 <= b->len; k++)
		if (b->data[k] == '0' && !memcmp(b->data + k, "00:00:0", 7))
			b->data[k + 7] = '0';
	/* the ages to the millisecond go (test_route_ages checks them) */
	static const char key[] = "\"uptime_ms\":";
	size_t to = 0;
	for (size_t k = 0; k < b->len;) {
		if (b->len - k > sizeof(key) - 1 && !memcmp(b->data + k, key, sizeof(key) - 1)) {
			size_t end = k + sizeof(key) - 1;
			while (end < b->len && b->data[end] != ',')
				end++;
			k = end + 1;
			continue;
		}
		b->data[to++] = b->data[k++];
	}
	if (b->data) {
		b->len = to;
		b->data[to] = '\0';
	}
	return b->data ? b->data : "";
}

static void small_table(void)
{
	core_add("10.0.0.0/24", CORE_PROTO_CONNECTED, 0, NULL);
	core_add("10.0.0.1/32", CORE_PROTO_LOCAL, 0, NULL);
	core_add("192.0.2.0/24", CORE_PROTO_STATIC, 1, "10.0.0.2");   /* beats BGP's 200 */
	core_add("203.0.113.0/24", CORE_PROTO_STATIC, 250, "10.0.0.3"); /* a floating static: BGP wins */
	core_add("172.16.0.0/16", CORE_PROTO_RIP, 120, "10.0.0.4");
	core_add("172.16.0.0/16", CORE_PROTO_OSPF, 110, "10.0.0.5");    /* OSPF beats RIP */
	core_add("2001:db8::/32", CORE_PROTO_STATIC, 1, "2001:db8:1::1");
	bgp_add("192.0.2.0/24");
	bgp_add("203.0.113.0/24");
	bgp_add("198.51.100.0/24");
	bgp_add("10.0.0.0/8");
	bgp_add("2001:db8:ff::/48");
}

static void core_add_ospf(const char *text, enum core_ospf_type type, const char *via1, const char *via2)
{
	struct core_route_info info = { .distance = 110, .ospf_type = type, .metric = 7,
					.nexthop_count = via2 ? 2 : 1 };
	assert_true(ip_addr_parse(via1, &info.nexthops[0].gateway));
	if (via2)
		assert_true(ip_addr_parse(via2, &info.nexthops[1].gateway));
	struct prefix p = prefix(text);
	core_route_set(core, &p, CORE_PROTO_OSPF, &info);
}

/*
 * The expected text is IOS's `show ip route` as Cisco documents it and as routers print it
 * (e.g. the IOS 15 outputs in Cisco's command reference and CCNA material):
 *
 *     Codes: L - local, C - connected, S - static, R - RIP, M - mobile, B - BGP
 *            D - EIGRP, EX - EIGRP external, O - OSPF, IA - OSPF inter area
 *            ...
 *
 *     Gateway of last resort is 10.0.0.1 to network 0.0.0.0
 *
 *     S*    0.0.0.0/0 [1/0] via 10.0.0.1
 *           10.0.0.0/8 is variably subnetted, 2 subnets, 2 masks
 *     C        10.0.0.0/30 is directly connected, GigabitEthernet0/0
 *     L        10.0.0.2/32 is directly connected, GigabitEthernet0/0
 *     O     192.168.1.0/24 [110/2] via 10.0.0.1, 00:05:43, GigabitEthernet0/0
 *     S     172.16.0.0/16 [1/0] via 10.0.0.1
 *
 * and, with subnets of one mask, "      10.0.0.0/24 is subnetted, 4 subnets" ("1 subnets" too);
 * a summary of the classful network itself is one of its subnets ("172.16.0.0/16 is variably
 * subnetted, 4 subnets, 2 masks" over "D 172.16.0.0/16 is a summary" and three /24s). The
 * rules taken from there: the legend in IOS's words, a blank line, the gateway of last resort
 * (the default route's next hop) and a blank line; the subnets of a classful network (class A
 * /8, B /16, C /24) under a header at column 6, their lines at column 9, every other prefix at
 * column 6; the default route's code starred ("S*", "O*E2"); "[distance/metric] via NEXT-HOP,
 * AGE, INTERFACE", no age on a static route, C and L "is directly connected, INTERFACE"; an
 * equal-cost path on a line of its own under the first one's "[".
 *
 * Where IOS has nothing to say, Tern's choice is written down as such: the legend lists only
 * the codes Tern can show; the unit core has no interfaces, so the interface after the comma
 * is empty here (tests/net reads real ones); a locally originated BGP path has no next hop,
 * so no "via"; and IPv6 prefixes, which IOS keeps for `show ipv6 route`, follow the IPv4
 * ones at column 9.
 */
static void test_ios_layout(void **state)
{
	(void)state;
	small_table();
	core_add("0.0.0.0/0", CORE_PROTO_STATIC, 1, "10.0.0.254");
	core_add("172.20.1.0/24", CORE_PROTO_RIP, 120, "10.0.0.4");
	core_add_ospf("172.20.2.0/24", CORE_OSPF_E2, "10.0.0.5", NULL);
	core_add_ospf("192.168.23.0/24", CORE_OSPF_INTER, "10.0.0.2", "10.0.0.3");
	struct strbuf out = STRBUF_INIT;
	core_show_routes(core, NULL, false, &out);
	assert_string_equal(zero_ages(&out),
		"Codes: L - local, C - connected, S - static, R - RIP, O - OSPF, B - BGP\n"
		"       IA - OSPF inter area, E1 - OSPF external type 1, E2 - OSPF external type 2\n"
		"       * - candidate default\n"
		"\n"
		"Gateway of last resort is 10.0.0.254 to network 0.0.0.0\n"
		"\n"
		"S*    0.0.0.0/0 [1/7] via 10.0.0.254\n"
		"      10.0.0.0/8 is variably subnetted, 3 subnets, 3 masks\n"
		"B        10.0.0.0/8 [200/0], 00:00:00\n"
		"C        10.0.0.0/24 is directly connected, \n"
		"L        10.0.0.1/32 is directly connected, \n"
		"O     172.16.0.0/16 [110/7] via 10.0.0.5, 00:00:00\n"
		"      172.20.0.0/24 is subnetted, 2 subnets\n"
		"R        172.20.1.0/24 [120/7] via 10.0.0.4, 00:00:00\n"
		"O E2     172.20.2.0/24 [110/7] via 10.0.0.5, 00:00:00\n"
		"S     192.0.2.0/24 [1/7] via 10.0.0.2\n"
		"O IA  192.168.23.0/24 [110/7] via 10.0.0.2, 00:00:00\n"
		"                      [110/7] via 10.0.0.3, 00:00:00\n"
		"B     198.51.100.0/24 [200/0], 00:00:00\n"
		"B     203.0.113.0/24 [200/0], 00:00:00\n"
		"S        2001:db8::/32 [1/7] via 2001:db8:1::1\n"
		"B        2001:db8:ff::/48 [200/0], 00:00:00\n");
	strbuf_free(&out);
}

/* The filtered view's text, whole. */
static void show_filtered(const struct core_route_filter *f, struct strbuf *out)
{
	struct core_route_view *v = core_show_routes_open_filtered(core, false, f);
	assert_non_null(v);
	while (core_show_routes_next(v, out) == SHOW_STEP_MORE)
		;
	core_show_routes_close(v);
}

static const char legend[] =
	"Codes: L - local, C - connected, S - static, R - RIP, O - OSPF, B - BGP\n"
	"       IA - OSPF inter area, E1 - OSPF external type 1, E2 - OSPF external type 2\n"
	"       * - candidate default\n"
	"\n";

/* show ip route ospf|connected|..., and A M longer-prefixes: the lines of the whole table
 * that pass, a classful header counting only those. */
static void test_filtered_views(void **state)
{
	(void)state;
	small_table();
	core_add("172.20.1.0/24", CORE_PROTO_RIP, 120, "10.0.0.4");
	core_add_ospf("172.20.2.0/24", CORE_OSPF_E2, "10.0.0.5", NULL);
	struct strbuf out = STRBUF_INIT, want = STRBUF_INIT;
	struct core_route_filter f = { .protocols = CORE_PROTO_BIT(CORE_PROTO_OSPF) };
	show_filtered(&f, &out);
	strbuf_printf(&want, "%sGateway of last resort is not set\n\n"
		      "O     172.16.0.0/16 [110/7] via 10.0.0.5, 00:00:00\n"
		      "      172.20.0.0/24 is subnetted, 1 subnets\n"
		      "O E2     172.20.2.0/24 [110/7] via 10.0.0.5, 00:00:00\n", legend);
	assert_string_equal(zero_ages(&out), strbuf_str(&want));
	strbuf_reset(&out);
	strbuf_reset(&want);
	f.protocols = CORE_PROTO_BIT(CORE_PROTO_CONNECTED) | CORE_PROTO_BIT(CORE_PROTO_LOCAL);
	show_filtered(&f, &out);
	strbuf_printf(&want, "%sGateway of last resort is not set\n\n"
		      "      10.0.0.0/8 is variably subnetted, 2 subnets, 2 masks\n"
		      "C        10.0.0.0/24 is directly connected, \n"
		      "L        10.0.0.1/32 is directly connected, \n", legend);
	assert_string_equal(strbuf_str(&out), strbuf_str(&want));
	/* the selected route decides: the floating static under BGP is not a static route */
	strbuf_reset(&out);
	f.protocols = CORE_PROTO_BIT(CORE_PROTO_STATIC);
	show_filtered(&f, &out);
	assert_non_null(strstr(strbuf_str(&out), "\nS     192.0.2.0/24 [1/7] via 10.0.0.2\n"));
	assert_non_null(strstr(strbuf_str(&out), "\nS        2001:db8::/32 [1/7] via 2001:db8:1::1\n"));
	assert_null(strstr(strbuf_str(&out), "203.0.113.0"));
	/* 172.16.0.0 255.240.0.0 longer-prefixes */
	strbuf_reset(&out);
	strbuf_reset(&want);
	f = (struct core_route_filter){ .has_within = true, .within = { .family = AF_INET, .len = 12,
									.addr = { 172, 16 } } };
	show_filtered(&f, &out);
	strbuf_printf(&want, "%sGateway of last resort is not set\n\n"
		      "O     172.16.0.0/16 [110/7] via 10.0.0.5, 00:00:00\n"
		      "      172.20.0.0/24 is subnetted, 2 subnets\n"
		      "R        172.20.1.0/24 [120/7] via 10.0.0.4, 00:00:00\n"
		      "O E2     172.20.2.0/24 [110/7] via 10.0.0.5, 00:00:00\n", legend);
	assert_string_equal(zero_ages(&out), strbuf_str(&want));
	/* exact: the prefix alone */
	strbuf_reset(&out);
	f.exact = true;
	f.within.len = 16;
	show_filtered(&f, &out);
	assert_non_null(strstr(strbuf_str(&out), "O     172.16.0.0/16 "));
	assert_null(strstr(strbuf_str(&out), "172.20"));
	strbuf_free(&out);
	strbuf_free(&want);
}

/* show ip route A [M]: IOS's "Routing entry for" block of the longest match or the prefix. */
static void test_route_entry(void **state)
{
	(void)state;
	small_table();
	struct strbuf out = STRBUF_INIT;
	struct ip_addr a;
	assert_true(ip_addr_parse("172.16.9.9", &a));
	assert_true(core_show_route_entry(core, &a, NULL, &out));
	assert_string_equal(zero_ages(&out),
		"Routing entry for 172.16.0.0/16\n"
		"  Known via \"ospf\", distance 110, metric 7, type intra area\n"
		"  Last update from 10.0.0.5, 00:00:00 ago\n"
		"  Routing Descriptor Blocks:\n"
		"  * 10.0.0.5, 00:00:00 ago\n"
		"      Route metric is 7, traffic share count is 1\n");
	strbuf_reset(&out);
	assert_true(ip_addr_parse("10.0.0.7", &a));
	assert_true(core_show_route_entry(core, &a, NULL, &out));
	assert_string_equal(strbuf_str(&out),
		"Routing entry for 10.0.0.0/24\n"
		"  Known via \"connected\", distance 0, metric 7 (connected, via interface)\n"
		"  Routing Descriptor Blocks:\n"
		"  * directly connected, via ?\n"
		"      Route metric is 7, traffic share count is 1\n");
	strbuf_reset(&out);
	struct prefix p = { .family = AF_INET, .len = 24, .addr = { 192, 0, 2 } };
	assert_true(core_show_route_entry(core, NULL, &p, &out));
	assert_string_equal(strbuf_str(&out),
		"Routing entry for 192.0.2.0/24\n"
		"  Known via \"static\", distance 1, metric 7\n"
		"  Routing Descriptor Blocks:\n"
		"  * 10.0.0.2\n"
		"      Route metric is 7, traffic share count is 1\n");
	strbuf_reset(&out);
	p.len = 25;
	assert_false(core_show_route_entry(core, NULL, &p, &out));
	assert_true(ip_addr_parse("8.8.8.8", &a));
	assert_false(core_show_route_entry(core, &a, NULL, &out));
	assert_string_equal(strbuf_str(&out), "");
	strbuf_free(&out);
}

static void test_small_table_text(void **state)
{
	(void)state;
	small_table();
	struct strbuf out = STRBUF_INIT;
	core_show_routes(core, NULL, false, &out);
	/* no default route: IOS says so */
	assert_non_null(strstr(strbuf_str(&out), "\n\nGateway of last resort is not set\n\n"));
	/* the selected route alone: OSPF's 110 over RIP's 120, a static 1 over BGP, BGP over a
	 * floating static (250) */
	assert_non_null(strstr(strbuf_str(&out), "\nO     172.16.0.0/16 [110/7] via 10.0.0.5, "));
	assert_null(strstr(strbuf_str(&out), "[120/7] via 10.0.0.4"));
	assert_non_null(strstr(strbuf_str(&out), "\nS     192.0.2.0/24 [1/7] via 10.0.0.2\n"));
	assert_non_null(strstr(strbuf_str(&out), "\nB     203.0.113.0/24 [200/0], "));
	assert_null(strstr(strbuf_str(&out), "[250/7]"));
	/* ADDR: the prefixes holding it, shortest first, laid out as in the whole table */
	struct ip_addr a;
	assert_true(ip_addr_parse("10.0.0.1", &a));
	strbuf_reset(&out);
	core_show_routes(core, &a, false, &out);
	assert_non_null(strstr(strbuf_str(&out), "\n\n      10.0.0.0/8 is variably subnetted, 3 subnets, 3 masks\n"
						 "B        10.0.0.0/8 [200/0], 00:00:0"));
	assert_non_null(strstr(strbuf_str(&out), "\nC        10.0.0.0/24 is directly connected, \n"
						 "L        10.0.0.1/32 is directly connected, \n"));
	assert_null(strstr(strbuf_str(&out), "172.16"));
	strbuf_free(&out);
}

static void test_small_table_json(void **state)
{
	(void)state;
	small_table();
	struct strbuf out = STRBUF_INIT;
	core_show_routes(core, NULL, true, &out);
	const char *bgp = "{\"protocol\":\"bgp\",\"code\":\"B\",\"selected\":%s,\"distance\":200,\"metric\":0,"
			  "\"uptime\":\"00:00:00\",\"nexthops\":[{\"ip\":null,\"interface\":null}]}";
	char b_sel[256], b_not[256];
	snprintf(b_sel, sizeof(b_sel), bgp, "true");
	snprintf(b_not, sizeof(b_not), bgp, "false");
#define CORE(proto, code, sel, dist, via)                                                                 \
	"{\"protocol\":\"" proto "\",\"code\":\"" code "\",\"selected\":" sel ",\"distance\":" dist           \
	",\"metric\":7,\"uptime\":\"00:00:00\",\"nexthops\":[{\"ip\":" via ",\"interface\":null}]}"
	struct strbuf want = STRBUF_INIT;
	strbuf_printf(&want, "{\"routes\":{\"10.0.0.0/8\":[%s],", b_sel);
	strbuf_append(&want, "\"10.0.0.0/24\":[" CORE("connected", "C", "true", "0", "null") "],"
			     "\"10.0.0.1/32\":[" CORE("local", "L", "true", "0", "null") "],"
			     "\"172.16.0.0/16\":[" CORE("ospf", "O", "true", "110", "\"10.0.0.5\"") ","
			     CORE("rip", "R", "false", "120", "\"10.0.0.4\"") "],"
			     "\"192.0.2.0/24\":[" CORE("static", "S", "true", "1", "\"10.0.0.2\"") ",");
	strbuf_printf(&want, "%s],\"198.51.100.0/24\":[%s],\"203.0.113.0/24\":[%s,", b_not, b_sel, b_sel);
	strbuf_append(&want, CORE("static", "S", "false", "250", "\"10.0.0.3\"") "],"
			     "\"2001:db8::/32\":[" CORE("static", "S", "true", "1", "\"2001:db8:1::1\"") "],");
	strbuf_printf(&want, "\"2001:db8:ff::/48\":[%s]}}\n", b_sel);
#undef CORE
	assert_string_equal(zero_ages(&out), strbuf_str(&want));
	strbuf_free(&want);
	/* nothing at all: still a document */
	struct ip_addr a;
	assert_true(ip_addr_parse("100.64.0.1", &a));
	strbuf_reset(&out);
	core_show_routes(core, &a, true, &out);
	assert_string_equal(strbuf_str(&out), "{\"routes\":{}}\n");
	strbuf_free(&out);
}

/* Prefix number i: the IPv4 host route 100.64.0.0 + i, or 2001:db8:1::i/128. */
static struct prefix numbered(uint8_t family, uint32_t i)
{
	struct prefix p = { .family = family };
	if (family == AF_INET) {
		uint32_t a = 0x64400000u + i;
		p.len = 32;
		for (int k = 0; k < 4; k++)
			p.addr[k] = (uint8_t)(a >> (24 - 8 * k));
	} else {
		static const uint8_t base[6] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1 };
		p.len = 128;
		memcpy(p.addr, base, sizeof(base));
		p.addr[13] = (uint8_t)(i >> 16);
		p.addr[14] = (uint8_t)(i >> 8);
		p.addr[15] = (uint8_t)i;
	}
	return p;
}

static void add_numbered(uint8_t family, uint32_t from, uint32_t to)
{
	for (uint32_t i = from; i < to; i++) {
		struct prefix p = numbered(family, i);
		bgp_set(&p, true);
	}
	bgp_rib_commit(rib);
}

/* Runs a view to its end, calling between(step) after each slice; returns the slices. */
static size_t run_view(struct core_route_view *v, struct strbuf *out, size_t *largest, void (*between)(size_t step))
{
	size_t slices = 0;
	enum show_step step;
	do {
		size_t before = out->len;
		step = core_show_routes_next(v, out);
		if (out->len - before > *largest)
			*largest = out->len - before;
		slices++;
		if (between)
			between(slices);
	} while (step == SHOW_STEP_MORE);
	assert_int_equal(step, SHOW_STEP_DONE);
	return slices;
}

static void test_slices_make_the_whole(void **state)
{
	(void)state;
	small_table();
	add_numbered(AF_INET, 0, 60000);
	add_numbered(AF_INET6, 0, 5000);
	for (int json = 0; json < 2; json++) {
		struct strbuf whole = STRBUF_INIT, sliced = STRBUF_INIT;
		core_show_routes(core, NULL, json, &whole);
		struct core_route_view *v = core_show_routes_open(core, json);
		assert_non_null(v);
		size_t largest = 0;
		size_t slices = run_view(v, &sliced, &largest, NULL);
		core_show_routes_close(v);
		assert_string_equal(zero_ages(&sliced), zero_ages(&whole));
		/* a slice is about 64 kB or 2048 prefixes, never the table */
		assert_true(slices > 20);
		assert_true(largest < 70000);
		print_message("%s: %zu bytes in %zu slices, the largest %zu bytes\n", json ? "JSON" : "text",
			      sliced.len, slices, largest);
		strbuf_free(&whole);
		strbuf_free(&sliced);
	}
}

/* ---- the tables change between slices ---- */

static bool present[MAX_ROUTES];
static uint32_t added;

static void churn(size_t step)
{
	/* while it gathers (and shows): 1000 prefixes come (the Loc-RIB rehashes), 100 go */
	if (step > 60)
		return;
	for (int k = 0; k < 1000 && added < MAX_ROUTES; k++) {
		struct prefix p = numbered(AF_INET, added);
		bgp_set(&p, true);
		present[added++] = true;
	}
	for (uint32_t i = 30000 + (uint32_t)step * 100; i < 30000 + (uint32_t)step * 100 + 100; i++) {
		struct prefix p = numbered(AF_INET, i);
		bgp_set(&p, false);
		present[i] = false;
	}
	bgp_rib_commit(rib);
	/* the core changes too: a route comes and one goes */
	core_add("10.9.0.0/16", CORE_PROTO_STATIC, 1, "10.0.0.2");
	struct prefix gone = prefix("172.16.0.0/16");
	core_route_set(core, &gone, CORE_PROTO_RIP, NULL);
}

/* The line after the one at line, or end. */
static const char *next_line(const char *line, const char *end)
{
	const char *nl = memchr(line, '\n', (size_t)(end - line));
	return nl ? nl + 1 : end;
}

/* The numbers of the 100.64/10 prefixes of a text view, checked to be in order. (No sscanf or
 * strstr on the output: under ASan each call measures the whole string.) */
static void shown_numbers(const struct strbuf *out, uint8_t *count)
{
	uint32_t last = 0;
	bool any = false;
	static const char mark[] = "B        100.";
	const char *end = out->data + out->len;
	for (const char *line = out->data; line < end; line = next_line(line, end)) {
		if ((size_t)(end - line) < sizeof(mark) || memcmp(line, mark, sizeof(mark) - 1))
			continue;
		char addr[32];
		size_t n = 0;
		for (const char *c = line + 9; c < end && n < sizeof(addr) - 1; c++) {
			if (*c != '.' && (*c < '0' || *c > '9'))
				break;
			addr[n++] = *c;
		}
		addr[n] = '\0';
		struct in_addr a;
		assert_int_equal(inet_pton(AF_INET, addr, &a), 1);
		uint32_t i = ntohl(a.s_addr) - 0x64400000u;
		assert_true(i < MAX_ROUTES);
		assert_true(!any || i > last);
		any = true;
		last = i;
		count[i]++;
	}
}

/* Where text is in the output (it must be). */
static const char *at(const struct strbuf *out, const char *text)
{
	const char *found = strstr(strbuf_str(out), text);
	if (!found)
		fail_msg("not in the output: %s", text);
	return found;
}

static size_t stride_of(size_t buckets)
{
	size_t stride = 1;
	while (stride * 2 <= buckets)
		stride *= 2;
	return stride;
}

static void test_changes_between_slices(void **state)
{
	(void)state;
	small_table();
	memset(present, 0, sizeof(present));
	add_numbered(AF_INET, 0, 40000);
	for (uint32_t i = 0; i < 40000; i++)
		present[i] = true;
	added = 40000;
	size_t buckets = bgp_rib_table_size(rib, AF_INET);
	struct strbuf out = STRBUF_INIT;
	struct core_route_view *v = core_show_routes_open(core, false);
	size_t largest = 0;
	run_view(v, &out, &largest, churn);
	core_show_routes_close(v);
	/* it rehashed under the view: the stride (the power of two at most the size,
	 * lib/hash_table.h) doubled */
	assert_true(stride_of(bgp_rib_table_size(rib, AF_INET)) >= 2 * stride_of(buckets));
	static uint8_t count[MAX_ROUTES];
	memset(count, 0, sizeof(count));
	shown_numbers(&out, count);
	for (uint32_t i = 0; i < MAX_ROUTES; i++) {
		assert_true(count[i] <= 1);     /* never twice */
		if (i < 30000 || (present[i] && i < 40000))
			assert_int_equal(count[i], 1); /* there all along: shown */
		if (i >= added)
			assert_int_equal(count[i], 0); /* never there: never shown */
	}
	/* the core as it is: a static route that came before it was gathered is there */
	at(&out, "\nS        10.9.0.0/16 [1/7] via 10.0.0.2");
	at(&out, "\nO     172.16.0.0/16 [110/7] via 10.0.0.5");
	assert_true(at(&out, "\nB        10.0.0.0/8 ") < at(&out, "\nC        10.0.0.0/24 "));
	assert_true(at(&out, "\nB     203.0.113.0/24 ") < at(&out, "\nS        2001:db8::/32 "));
	strbuf_free(&out);
}

/* Core routes carry their age to the millisecond (what `make demo` times convergence by); a
 * BGP route, whose own arrival the Loc-RIB does not keep, says null rather than its session's. */
static void test_route_ages(void **state)
{
	(void)state;
	small_table();
	struct strbuf out = STRBUF_INIT;
	core_show_routes(core, NULL, true, &out);
	const char *ospf = strstr(strbuf_str(&out), "\"protocol\":\"ospf\"");
	assert_non_null(ospf);
	const char *ms = strstr(ospf, "\"uptime_ms\":");
	assert_non_null(ms);
	char *end;
	unsigned long age = strtoul(ms + strlen("\"uptime_ms\":"), &end, 10);
	assert_true(*end == ',' && end > ms + strlen("\"uptime_ms\":"));
	assert_true(age < 60000);
	const char *bgp = strstr(strbuf_str(&out), "\"protocol\":\"bgp\"");
	assert_non_null(bgp);
	ms = strstr(bgp, "\"uptime_ms\":");
	assert_non_null(ms);
	assert_true(!strncmp(ms, "\"uptime_ms\":null,", strlen("\"uptime_ms\":null,")));
	strbuf_free(&out);
}

static void stop_bgp(size_t step)
{
	if (step == 3)
		bgp_core_source_detach(glue); /* `no router bgp` while the view gathers */
}

static void test_bgp_stops_during_the_view(void **state)
{
	(void)state;
	small_table();
	add_numbered(AF_INET, 0, 100000);
	struct strbuf out = STRBUF_INIT;
	struct core_route_view *v = core_show_routes_open(core, true);
	size_t largest = 0;
	run_view(v, &out, &largest, stop_bgp);
	core_show_routes_close(v);
	/* a routing table without BGP: the core's routes, nothing of BGP, a whole document */
	assert_string_equal(zero_ages(&out),
		"{\"routes\":{\"10.0.0.0/24\":[{\"protocol\":\"connected\",\"code\":\"C\",\"selected\":true,\"distance\":0,"
		"\"metric\":7,\"uptime\":\"00:00:00\",\"nexthops\":[{\"ip\":null,\"interface\":null}]}],\"10.0.0.1/32\":[{"
		"\"protocol\":\"local\",\"code\":\"L\",\"selected\":true,\"distance\":0,\"metric\":7,\"uptime\":\"00:00:00\","
		"\"nexthops\":[{\"ip\":null,\"interface\":null}]}],\"172.16.0.0/16\":[{\"protocol\":\"ospf\",\"code\":\"O\","
		"\"selected\":true,\"distance\":110,\"metric\":7,\"uptime\":\"00:00:00\",\"nexthops\":[{\"ip\":\"10.0.0.5\","
		"\"interface\":null}]},{\"protocol\":\"rip\",\"code\":\"R\",\"selected\":false,\"distance\":120,\"metric\":7,"
		"\"uptime\":\"00:00:00\",\"nexthops\":[{\"ip\":\"10.0.0.4\",\"interface\":null}]}],\"192.0.2.0/24\":[{"
		"\"protocol\":\"static\",\"code\":\"S\",\"selected\":true,\"distance\":1,\"metric\":7,\"uptime\":\"00:00:00\","
		"\"nexthops\":[{\"ip\":\"10.0.0.2\",\"interface\":null}]}],\"203.0.113.0/24\":[{\"protocol\":\"static\","
		"\"code\":\"S\",\"selected\":true,\"distance\":250,\"metric\":7,\"uptime\":\"00:00:00\",\"nexthops\":[{\"ip\":"
		"\"10.0.0.3\",\"interface\":null}]}],\"2001:db8::/32\":[{\"protocol\":\"static\",\"code\":\"S\",\"selected\":"
		"true,\"distance\":1,\"metric\":7,\"uptime\":\"00:00:00\",\"nexthops\":[{\"ip\":\"2001:db8:1::1\","
		"\"interface\":null}]}]}}\n");
	strbuf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_filtered_views, setup, teardown),
		cmocka_unit_test_setup_teardown(test_route_entry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ios_layout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_small_table_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_small_table_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_route_ages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slices_make_the_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(test_changes_between_slices, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bgp_stops_during_the_view, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
