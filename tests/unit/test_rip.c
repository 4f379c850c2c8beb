/*
 * DOC: unit tests of the RIP core (src/rip/rip.h) with a simulated clock.
 *
 * The core's callbacks record what it sends and what it puts in the routing table; time is
 * a number the test advances. Covered: the periodic update and its jitter, a learned route's
 * timeout (180 s) and garbage collection (120 s more), triggered updates sent at once and
 * then held 1-5 s, split horizon with poisoned reverse (and without it), passive interfaces,
 * requests, and every receive check with its counted reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "config/config.h"
#include "rip/rip.h"

#define IF1 2   /* eth0, 10.0.0.1/24 */
#define IF2 3   /* eth1, 10.0.1.1/24 */
#define PEER 0x0a000002u  /* 10.0.0.2 */

struct sent {
	uint32_t ifindex, dst;
	uint16_t port;
	struct rip_packet packet;
};

static struct sent sent[256];
static size_t sent_count;
static int routes_installed;
static uint32_t last_route_addr, last_route_nh;
static bool last_route_removed;
static enum rip_drop last_drop;

static void on_send(void *ctx, uint32_t ifindex, uint32_t dst, uint16_t port, const uint8_t *data, size_t len)
{
	(void)ctx;
	if (sent_count >= 256)
		return;
	struct sent *s = &sent[sent_count++];
	s->ifindex = ifindex;
	s->dst = dst;
	s->port = port;
	assert_int_equal(rip_decode(data, len, &s->packet), RIP_OK);
}

static void on_route(void *ctx, const struct prefix *prefix, const struct rip_route_info *info)
{
	(void)ctx;
	last_route_addr = prefix_v4(prefix);
	last_route_removed = info == NULL;
	last_route_nh = info ? info->next_hop : 0;
	routes_installed += info ? 1 : -1;
}

/* rip_lookup and rip_redistribute_add of addr/len (host order). */
static bool lookup(const struct rip *rip, uint32_t addr, uint8_t len, uint8_t *metric, uint32_t *next_hop)
{
	struct prefix p = prefix_from_v4(addr, len);
	return rip_lookup(rip, &p, metric, next_hop);
}

static void redistribute_add(struct rip *rip, uint32_t addr, uint8_t len, enum rip_redistribute_kind kind)
{
	struct prefix p = prefix_from_v4(addr, len);
	rip_redistribute_add(rip, &p, kind);
}

static void on_drop(void *ctx, uint32_t ifindex, uint32_t src, uint16_t port, enum rip_drop reason)
{
	(void)ctx, (void)ifindex, (void)src, (void)port;
	last_drop = reason;
}

static struct rip *setup(const char *extra, uint64_t now)
{
	sent_count = 0;
	routes_installed = 0;
	struct config c;
	char text[1024];
	snprintf(text, sizeof(text), "router rip\n network 10.0.0.0\n%s", extra);
	struct config_diag diag;
	if (!config_load_text(text, "t", &c, &diag))
		fail_msg("%s", diag.message);
	struct rip_callbacks cb = { .send = on_send, .route = on_route, .drop = on_drop };
	struct rip *rip = rip_create(&cb, 42, now);
	rip_interface(rip, IF1, "eth0", true, false, now);
	rip_address(rip, IF1, 0x0a000001, 24, true, now);
	rip_interface(rip, IF2, "eth1", true, false, now);
	rip_address(rip, IF2, 0x0a000101, 24, true, now);
	rip_configure(rip, &c, &(struct config_change){ 0 }, NULL, now);
	config_free(&c);
	return rip;
}

/* Runs the core until `until`, stepping to each event it asks for. */
static void run_until(struct rip *rip, uint64_t *now, uint64_t until)
{
	for (;;) {
		uint64_t next = rip_next_event(rip);
		if (next > until)
			break;
		*now = next > *now ? next : *now;
		rip_tick(rip, *now);
	}
	*now = until;
}

static size_t build(uint8_t *buf, uint8_t command, uint8_t version, uint32_t addr, uint8_t len, uint32_t metric)
{
	struct rip_packet p = { .command = command, .version = version, .count = 1 };
	p.entries[0] = (struct rip_entry){ .afi = RIP_AFI_INET, .addr = addr,
					   .mask = version == 2 ? (len ? ~(UINT32_MAX >> len) : 0) : 0, .metric = metric };
	return rip_encode(&p, NULL, buf, RIP_MAX_PACKET);
}

static void receive_route(struct rip *rip, uint32_t addr, uint8_t len, uint32_t metric, uint64_t now)
{
	uint8_t buf[RIP_MAX_PACKET];
	size_t n = build(buf, RIP_RESPONSE, 2, addr, len, metric);
	rip_receive(rip, IF1, PEER, RIP_PORT, buf, n, now);
}

/* The entry for addr in the last message sent on ifindex, NULL if absent. */
static const struct rip_entry *advertised_entry(uint32_t ifindex, uint32_t addr)
{
	for (size_t i = sent_count; i-- > 0;) {
		if (sent[i].ifindex != ifindex || sent[i].packet.command != RIP_RESPONSE)
			continue;
		for (size_t e = 0; e < sent[i].packet.count; e++)
			if (sent[i].packet.entries[e].addr == addr)
				return &sent[i].packet.entries[e];
		return NULL;
	}
	return NULL;
}

/* The metric of addr in the last message sent on ifindex, 0 if absent. */
static uint32_t advertised(uint32_t ifindex, uint32_t addr)
{
	const struct rip_entry *e = advertised_entry(ifindex, addr);
	return e ? e->metric : 0;
}

static void test_startup_request_and_periodic_updates(void **state)
{
	(void)state;
	uint64_t now = 1000000;
	struct rip *rip = setup("", now);
	/* a whole-table request on each interface, to 224.0.0.9 */
	assert_int_equal(sent_count, 2);
	assert_true(rip_is_whole_table_request(&sent[0].packet));
	assert_int_equal(sent[0].dst, RIP_GROUP);
	assert_int_equal(sent[0].port, RIP_PORT);
	/* the first update within two seconds: each interface advertises the other's subnet */
	sent_count = 0;
	run_until(rip, &now, 1000000 + 2500);
	assert_int_equal(advertised(IF1, 0x0a000100), 1);
	assert_int_equal(advertised(IF2, 0x0a000000), 1);
	assert_int_equal(advertised(IF1, 0x0a000000), 0); /* not its own subnet */
	/* then every 30 s +/- 5 s */
	uint64_t last = now;
	for (int i = 0; i < 10; i++) {
		uint64_t next = rip_next_event(rip);
		assert_true(next - last >= 25000 && next - last <= 35000);
		sent_count = 0;
		run_until(rip, &now, next);
		assert_int_equal(sent_count, 2);
		last = next;
	}
	rip_destroy(rip);
}

static void test_learn_timeout_and_garbage_collection(void **state)
{
	(void)state;
	uint64_t now = 5000;
	struct rip *rip = setup("", now);
	run_until(rip, &now, 10000);
	receive_route(rip, 0x0b000000, 8, 3, now);
	assert_int_equal(routes_installed, 1);
	assert_int_equal(last_route_nh, PEER);
	uint8_t metric;
	assert_true(lookup(rip, 0x0b000000, 8, &metric, NULL));
	assert_int_equal(metric, 4);
	/* refreshed at 100 s, so still there at 250 s */
	run_until(rip, &now, 100000);
	receive_route(rip, 0x0b000000, 8, 3, now);
	run_until(rip, &now, 250000);
	assert_int_equal(routes_installed, 1);
	/* 180 s after the last update: timed out, out of the table, advertised with 16 */
	sent_count = 0;
	run_until(rip, &now, 100000 + 180000 + 1);
	assert_int_equal(routes_installed, 0);
	assert_true(last_route_removed);
	assert_true(lookup(rip, 0x0b000000, 8, &metric, NULL));
	assert_int_equal(metric, 16);
	assert_int_equal(advertised(IF2, 0x0b000000), 16); /* a triggered update, at once */
	/* 120 s later it is gone */
	run_until(rip, &now, 100000 + 180000 + 119000);
	assert_true(lookup(rip, 0x0b000000, 8, NULL, NULL));
	run_until(rip, &now, 100000 + 180000 + 121000);
	assert_false(lookup(rip, 0x0b000000, 8, NULL, NULL));
	rip_destroy(rip);
}

static void test_triggered_updates_rate_limited(void **state)
{
	(void)state;
	uint64_t now = 5000;
	struct rip *rip = setup("", now);
	run_until(rip, &now, 10000);
	/* a new route goes out on the other interface at once */
	sent_count = 0;
	receive_route(rip, 0x0b000000, 8, 1, now);
	run_until(rip, &now, now);
	assert_int_equal(advertised(IF2, 0x0b000000), 2);
	/* only the changed route is in a triggered update */
	assert_int_equal(sent[sent_count - 1].packet.count, 1);
	/* a second change right after waits 1-5 s */
	sent_count = 0;
	receive_route(rip, 0x0c000000, 8, 1, now);
	run_until(rip, &now, now + 999);
	assert_int_equal(advertised(IF2, 0x0c000000), 0);
	run_until(rip, &now, now + 4002);
	assert_int_equal(advertised(IF2, 0x0c000000), 2);
	/* the peer withdraws (metric 16): poisoned out of the other interface within 5 s */
	sent_count = 0;
	receive_route(rip, 0x0b000000, 8, 16, now);
	assert_int_equal(routes_installed, 1);
	run_until(rip, &now, now + 5000);
	assert_int_equal(advertised(IF2, 0x0b000000), 16);
	struct rip_stats st;
	rip_get_stats(rip, &st);
	assert_true(st.triggered_updates >= 3);
	rip_destroy(rip);
}

static void test_split_horizon_poisoned_reverse(void **state)
{
	(void)state;
	uint64_t now = 5000;
	struct rip *rip = setup("", now);
	run_until(rip, &now, 10000);
	receive_route(rip, 0x0b000000, 8, 1, now);
	sent_count = 0;
	run_until(rip, &now, now + 40000); /* a regular update */
	assert_int_equal(advertised(IF1, 0x0b000000), 16); /* back where it came from: poisoned */
	assert_int_equal(advertised(IF2, 0x0b000000), 2);
	rip_destroy(rip);
	/* no ip split-horizon on eth0: advertised back with its metric */
	now = 5000;
	rip = setup("interface eth0\n no ip split-horizon\n", now);
	run_until(rip, &now, 10000);
	receive_route(rip, 0x0b000000, 8, 1, now);
	sent_count = 0;
	run_until(rip, &now, now + 40000);
	assert_int_equal(advertised(IF1, 0x0b000000), 2);
	rip_destroy(rip);
}

/* rip_configure with the configuration `text` and the interfaces' change list from the
 * configuration `from` to `to` (what RIP is told changed). */
static void configure_told(struct rip *rip, const char *text, const char *from, const char *to, uint64_t now)
{
	struct config c, a, b;
	struct config_diag diag;
	if (!config_load_text(text, "t", &c, &diag) || !config_load_text(from, "from", &a, &diag) ||
	    !config_load_text(to, "to", &b, &diag))
		fail_msg("%s", diag.message);
	struct config_change interfaces;
	config_section_change(CONFIG_SECTION_INTERFACES, &a, &b, &interfaces);
	rip_configure(rip, &c, &(struct config_change){ 0 }, &interfaces, now);
	config_change_free(&interfaces);
	config_free(&a);
	config_free(&b);
	config_free(&c);
}

/* RIP reads an interface's ip rip settings again when the interfaces' change list names that
 * interface, and does not compare the others: told of nothing, it keeps what it runs with. */
static void test_interface_settings_as_the_change_names(void **state)
{
	(void)state;
	static const char base[] = "router rip\n network 10.0.0.0\n";
	static const char eth0_no_split[] = "router rip\n network 10.0.0.0\ninterface eth0\n no ip split-horizon\n";
	uint64_t now = 5000;
	struct rip *rip = setup("", now);
	run_until(rip, &now, 10000);
	receive_route(rip, 0x0b000000, 8, 1, now);
	/* told that only the hostname changed: eth0 keeps split horizon */
	configure_told(rip, eth0_no_split, base, "hostname R9\n", now);
	sent_count = 0;
	run_until(rip, &now, now + 40000);
	assert_int_equal(advertised(IF1, 0x0b000000), 16);
	/* told that eth0 changed: it advertises the route back with its metric */
	configure_told(rip, eth0_no_split, base, eth0_no_split, now);
	sent_count = 0;
	run_until(rip, &now, now + 40000);
	assert_int_equal(advertised(IF1, 0x0b000000), 2);
	assert_int_equal(advertised(IF2, 0x0b000000), 2);
	rip_destroy(rip);
}

static void test_better_route_and_interface_down(void **state)
{
	(void)state;
	uint64_t now = 5000;
	struct rip *rip = setup("", now);
	receive_route(rip, 0x0b000000, 8, 5, now);
	/* a worse route from another router is ignored, a better one replaces */
	uint8_t buf[RIP_MAX_PACKET];
	size_t n = build(buf, RIP_RESPONSE, 2, 0x0b000000, 8, 7);
	rip_receive(rip, IF2, 0x0a000102, RIP_PORT, buf, n, now);
	uint32_t nh;
	assert_true(lookup(rip, 0x0b000000, 8, NULL, &nh));
	assert_int_equal(nh, PEER);
	n = build(buf, RIP_RESPONSE, 2, 0x0b000000, 8, 2);
	rip_receive(rip, IF2, 0x0a000102, RIP_PORT, buf, n, now);
	assert_true(lookup(rip, 0x0b000000, 8, NULL, &nh));
	assert_int_equal(nh, 0x0a000102);
	/* the interface goes down: its routes are deleted at once */
	rip_interface(rip, IF2, "eth1", false, false, now);
	uint8_t metric;
	assert_true(lookup(rip, 0x0b000000, 8, &metric, NULL));
	assert_int_equal(metric, 16);
	assert_true(last_route_removed);
	rip_destroy(rip);
}

static void test_passive_interface_and_neighbor(void **state)
{
	(void)state;
	uint64_t now = 5000;
	struct rip *rip = setup(" passive-interface eth1\n neighbor 10.0.1.9\n", now);
	run_until(rip, &now, 100000);
	bool multicast_on_eth1 = false, unicast = false;
	for (size_t i = 0; i < sent_count; i++) {
		if (sent[i].ifindex == IF2 && sent[i].dst == RIP_GROUP)
			multicast_on_eth1 = true;
		if (sent[i].ifindex == IF2 && sent[i].dst == 0x0a000109)
			unicast = true;
	}
	assert_false(multicast_on_eth1);
	assert_true(unicast);
	/* a request on the passive interface from a non-neighbour is not answered */
	sent_count = 0;
	uint8_t buf[RIP_MAX_PACKET];
	struct rip_packet req = { .command = RIP_REQUEST, .version = 2, .count = 1 };
	req.entries[0].metric = 16;
	size_t n = rip_encode(&req, NULL, buf, sizeof(buf));
	rip_receive(rip, IF2, 0x0a000102, RIP_PORT, buf, n, now);
	assert_int_equal(sent_count, 0);
	/* on an active interface it is, unicast to the asker */
	rip_receive(rip, IF1, PEER, RIP_PORT, buf, n, now);
	assert_int_equal(sent_count, 1);
	assert_int_equal(sent[0].dst, PEER);
	assert_int_equal(sent[0].packet.command, RIP_RESPONSE);
	rip_destroy(rip);
}

static void test_receive_checks(void **state)
{
	(void)state;
	uint64_t now = 5000;
	struct rip *rip = setup(" version 2\n", now);
	uint8_t buf[RIP_MAX_PACKET];
	size_t n = build(buf, RIP_RESPONSE, 2, 0x0b000000, 8, 1);
	rip_receive(rip, IF1, PEER, 1234, buf, n, now);
	assert_int_equal(last_drop, RIP_DROP_SOURCE_PORT);
	rip_receive(rip, IF1, 0x0a090909, RIP_PORT, buf, n, now);
	assert_int_equal(last_drop, RIP_DROP_NOT_CONNECTED);
	rip_receive(rip, 99, PEER, RIP_PORT, buf, n, now);
	assert_int_equal(last_drop, RIP_DROP_NOT_ENABLED);
	buf[1] = 3;
	rip_receive(rip, IF1, PEER, RIP_PORT, buf, n, now);
	assert_int_equal(last_drop, RIP_DROP_BAD_VERSION);
	buf[1] = 2;
	buf[0] = 9;
	rip_receive(rip, IF1, PEER, RIP_PORT, buf, n, now);
	assert_int_equal(last_drop, RIP_DROP_BAD_COMMAND);
	n = build(buf, RIP_RESPONSE, 1, 0x0b000000, 8, 1);
	rip_receive(rip, IF1, PEER, RIP_PORT, buf, n, now);
	assert_int_equal(last_drop, RIP_DROP_VERSION_MISMATCH);
	n = build(buf, RIP_RESPONSE, 2, 0x0b000000, 8, 17);
	rip_receive(rip, IF1, PEER, RIP_PORT, buf, n, now);
	assert_int_equal(last_drop, RIP_DROP_BAD_METRIC);
	/* our own looped-back message is no error */
	struct rip_stats st;
	rip_get_stats(rip, &st);
	uint64_t before = 0;
	for (int d = 0; d < RIP_DROP_COUNT; d++)
		before += st.drops[d];
	assert_int_equal(before, 7);
	n = build(buf, RIP_RESPONSE, 2, 0x0b000000, 8, 1);
	rip_receive(rip, IF1, 0x0a000001, RIP_PORT, buf, n, now);
	rip_get_stats(rip, &st);
	assert_int_equal(st.drops[RIP_DROP_SOURCE_PORT] + st.drops[RIP_DROP_NOT_CONNECTED], 2);
	assert_int_equal(routes_installed, 0);
	/* a bad destination is skipped, the rest of the message used */
	n = build(buf, RIP_RESPONSE, 2, 0x7f000000, 8, 1);
	rip_receive(rip, IF1, PEER, RIP_PORT, buf, n, now);
	rip_get_stats(rip, &st);
	assert_int_equal(st.bad_routes, 1);
	struct strbuf out = STRBUF_INIT;
	rip_show_protocols(rip, false, now, &out);
	assert_non_null(strstr(strbuf_str(&out), "source-port 1"));
	strbuf_free(&out);
	rip_destroy(rip);
}

static void test_authentication(void **state)
{
	(void)state;
	uint64_t now = 5000;
	struct rip *rip = setup("interface eth0\n ip rip authentication mode md5\n"
				" ip rip authentication key k3y\n", now);
	/* what it sends is signed */
	run_until(rip, &now, 10000);
	bool signed_seen = false;
	for (size_t i = 0; i < sent_count; i++)
		if (sent[i].ifindex == IF1 && sent[i].packet.has_auth)
			signed_seen = sent[i].packet.auth.type == RIP_AUTH_MD5;
	assert_true(signed_seen);
	/* unsigned and wrongly signed messages are dropped, a good one is taken */
	uint8_t buf[RIP_MAX_PACKET];
	size_t n = build(buf, RIP_RESPONSE, 2, 0x0b000000, 8, 1);
	rip_receive(rip, IF1, PEER, RIP_PORT, buf, n, now);
	assert_int_equal(last_drop, RIP_DROP_AUTHENTICATION);
	struct rip_packet p = { .command = RIP_RESPONSE, .version = 2, .count = 1, .has_auth = true };
	p.auth.type = RIP_AUTH_MD5;
	p.auth.key_id = 1;
	p.entries[0] = (struct rip_entry){ .afi = 2, .addr = 0x0b000000, .mask = 0xff000000, .metric = 1 };
	uint8_t wrong[16] = "k3Y", right[16] = "k3y";
	n = rip_encode(&p, wrong, buf, sizeof(buf));
	rip_receive(rip, IF1, PEER, RIP_PORT, buf, n, now);
	assert_int_equal(routes_installed, 0);
	n = rip_encode(&p, right, buf, sizeof(buf));
	rip_receive(rip, IF1, PEER, RIP_PORT, buf, n, now);
	assert_int_equal(routes_installed, 1);
	rip_destroy(rip);
}

static void test_redistribution(void **state)
{
	(void)state;
	uint64_t now = 5000;
	struct rip *rip = setup(" redistribute static metric 5\n", now);
	run_until(rip, &now, 10000);
	sent_count = 0;
	rip_redistribute_begin(rip);
	redistribute_add(rip, 0xc0a80000, 16, RIP_REDIST_STATIC);
	redistribute_add(rip, 0xc0a90000, 16, RIP_REDIST_CONNECTED); /* not configured */
	rip_redistribute_end(rip, now);
	run_until(rip, &now, now);
	assert_int_equal(advertised(IF1, 0xc0a80000), 5);
	assert_false(lookup(rip, 0xc0a90000, 16, NULL, NULL));
	/* gone from the set: poisoned */
	sent_count = 0;
	rip_redistribute_begin(rip);
	rip_redistribute_end(rip, now);
	run_until(rip, &now, now + 5000);
	assert_int_equal(advertised(IF1, 0xc0a80000), 16);
	struct strbuf out = STRBUF_INIT;
	rip_show_database(rip, true, now, &out);
	assert_non_null(strstr(strbuf_str(&out), "\"192.168.0.0/16\":{\"metric\":16"));
	strbuf_free(&out);
	rip_destroy(rip);
}

/* The mask of addr in the last message sent on ifindex, 0 if absent. */
static uint32_t advertised_mask(uint32_t ifindex, uint32_t addr)
{
	const struct rip_entry *e = advertised_entry(ifindex, addr);
	return e ? e->mask : 0;
}

#define IF3 4 /* eth2, 172.16.1.1/24: another classful network */

/* auto-summary: a subnet leaves as its classful network through an interface of another
 * network, at the lowest metric of the network's subnets; inside its network, as it is. */
static void test_auto_summary(void **state)
{
	(void)state;
	for (int on = 0; on <= 1; on++) {
		uint64_t now = 5000;
		struct rip *rip = setup(on ? " network 172.16.0.0\n auto-summary\n" : " network 172.16.0.0\n", now);
		rip_interface(rip, IF3, "eth2", true, false, now);
		rip_address(rip, IF3, 0xac100101, 24, true, now);
		run_until(rip, &now, 10000);
		receive_route(rip, 0xac100500, 24, 3, now); /* 172.16.5.0/24 from 10.0.0.2 on eth0 */
		receive_route(rip, 0xac100600, 24, 1, now); /* 172.16.6.0/24 */
		sent_count = 0;
		run_until(rip, &now, now + 40000); /* a periodic update on every interface */
		if (!on) {
			assert_int_equal(advertised(IF2, 0xac100500), 4);
			assert_int_equal(advertised(IF2, 0xac100600), 2);
			assert_int_equal(advertised(IF2, 0xac100000), 0);
			assert_int_equal(advertised(IF3, 0x0a000000), 1);
			assert_int_equal(advertised_mask(IF3, 0x0a000000), 0xffffff00u);
			rip_destroy(rip);
			continue;
		}
		/* eth1 (10.0.1.0/24) is outside 172.16.0.0/16: one summary, at eth2's connected 1 */
		assert_int_equal(advertised(IF2, 0xac100000), 1);
		assert_int_equal(advertised_mask(IF2, 0xac100000), 0xffff0000u);
		assert_int_equal(advertised(IF2, 0xac100500), 0);
		assert_int_equal(advertised(IF2, 0xac100600), 0);
		assert_int_equal(advertised(IF2, 0xac100100), 0);
		/* eth2 is inside it: the subnets as they are; 10.0.0.0/24 and 10.0.1.0/24 as 10.0.0.0/8 */
		assert_int_equal(advertised(IF3, 0xac100500), 4);
		assert_int_equal(advertised(IF3, 0xac100600), 2);
		assert_int_equal(advertised(IF3, 0x0a000000), 1);
		assert_int_equal(advertised_mask(IF3, 0x0a000000), 0xff000000u);
		assert_int_equal(advertised(IF3, 0x0a000100), 0);
		/* eth0, where the subnets were learned: poisoned reverse makes them 16, the connected
		 * 172.16.1.0/24 keeps the summary at 1 */
		assert_int_equal(advertised(IF1, 0xac100000), 1);
		/* a triggered update for a changed subnet sends the summary, not the subnet */
		sent_count = 0;
		receive_route(rip, 0xac100700, 24, 5, now);
		run_until(rip, &now, now);
		assert_int_equal(advertised(IF2, 0xac100000), 1);
		assert_int_equal(advertised(IF2, 0xac100700), 0);
		rip_destroy(rip);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_startup_request_and_periodic_updates),
		cmocka_unit_test(test_learn_timeout_and_garbage_collection),
		cmocka_unit_test(test_triggered_updates_rate_limited),
		cmocka_unit_test(test_split_horizon_poisoned_reverse),
		cmocka_unit_test(test_interface_settings_as_the_change_names),
		cmocka_unit_test(test_better_route_and_interface_down),
		cmocka_unit_test(test_passive_interface_and_neighbor),
		cmocka_unit_test(test_receive_checks),
		cmocka_unit_test(test_authentication),
		cmocka_unit_test(test_redistribution),
		cmocka_unit_test(test_auto_summary),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
