/*
 * DOC: unit tests of what an UPDATE is checked against this router before its routes are
 * accepted (src/bgp/rib.c) and of maximum-prefix (src/bgp/max_prefix.c).
 *
 * - bgp enforce-first-as (IOS default on) and its per-neighbour override: RFC 4271 §6.3 names
 *   the check, RFC 7606 §3 (e) makes its failure a treat-as-withdraw, not a reset.
 * - A NEXT_HOP that is one of our own addresses (RFC 4271 §6.3): ignored, no NOTIFICATION.
 * - maximum-prefix: the sans-I/O verdict (threshold once, exceeded, warning-only), the
 *   Cease 6/1 data of RFC 4486 §4 byte by byte, and the per-family counting and hold-down
 *   through a speaker fed by hand as the session would feed it.
 * The speaker is the harness's (no sockets); neighbours are `shutdown` so nothing connects.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "bgp/internal.h"
#include "bgp_harness.h"

#define LOCAL_AS 65000

static uv_loop_t loop;
static struct bgp_speaker *spk;
static struct bgp_rib *rib;
static struct bgp_peer *ebgp, *rs, *forced, *ibgp; /* 192.0.2.1 AS 65001, .2 AS 65002 (a route
                                                      server), .3 AS 65003, 10.0.0.3 iBGP */

/* Our own addresses, as the kernel would report them: 192.0.2.254 and 2001:db8::fe. */
static bool is_local(void *context, const struct ip_addr *addr)
{
	(void)context;
	struct ip_addr v4, v6;
	ip_addr_parse("192.0.2.254", &v4);
	ip_addr_parse("2001:db8::fe", &v6);
	return ip_addr_equal(addr, &v4) || ip_addr_equal(addr, &v6);
}

static struct config_bgp_neighbor *add_neighbor(struct config *c, const char *addr, uint32_t remote_as)
{
	struct ip_addr a;
	assert_true(ip_addr_parse(addr, &a));
	struct config_bgp_neighbor *n = config_bgp_neighbor_add(&c->bgp, &a);
	assert_non_null(n);
	n->remote_as = remote_as;
	n->shutdown = true; /* the RIB is fed by hand */
	return n;
}

static struct bgp_peer *find_peer(const char *addr)
{
	struct ip_addr a;
	assert_true(ip_addr_parse(addr, &a));
	struct bgp_peer *p = bgp_speaker_find_peer(spk, &a);
	assert_non_null(p);
	p->session.valid = true;
	p->session.received_caps.as4 = p->session.sent_caps.as4 = true;
	return p;
}

/* The configuration of every test; global_enforce false is `no bgp enforce-first-as`. */
static void configure(bool global_enforce, uint32_t max_prefix, uint8_t threshold, bool warning_only)
{
	struct config c;
	config_init(&c);
	c.bgp.enabled = true;
	c.bgp.asn = LOCAL_AS;
	c.bgp.has_router_id = true;
	c.bgp.router_id = 0x0a0000fe;
	c.bgp.no_enforce_first_as = !global_enforce;
	struct config_bgp_neighbor *n = add_neighbor(&c, "192.0.2.1", 65001);
	n->maximum_prefix = max_prefix;
	n->maximum_prefix_threshold = threshold;
	n->maximum_prefix_warning_only = warning_only;
	add_neighbor(&c, "192.0.2.2", 65002)->enforce_first_as = CONFIG_FIRST_AS_IGNORE;
	add_neighbor(&c, "192.0.2.3", 65003)->enforce_first_as = CONFIG_FIRST_AS_ENFORCE;
	add_neighbor(&c, "10.0.0.3", LOCAL_AS);
	bgp_speaker_configure(spk, &c);
	config_free(&c);
	ebgp = find_peer("192.0.2.1");
	rs = find_peer("192.0.2.2");
	forced = find_peer("192.0.2.3");
	ibgp = find_peer("10.0.0.3");
}

static int setup(void **state)
{
	(void)state;
	struct bgp_speaker_options options = { .listen = false, .is_local_address = is_local };
	spk = harness_speaker_start(&loop, &options);
	rib = bgp_speaker_rib(spk);
	configure(true, 0, 0, false);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	harness_speaker_stop(&loop, spk);
	return 0;
}

/* ---- UPDATE building ---- */

static void a_origin(struct test_update *u)
{
	test_update_attr_header(u, BGP_ATTR_FLAG_TRANSITIVE, BGP_ATTR_ORIGIN, 1);
	writer_u8(&u->at, BGP_ORIGIN_IGP);
}

/* AS_PATH of one segment (n 0: an empty AS_PATH), 4-octet ASNs */
static void a_path(struct test_update *u, uint8_t type, size_t n, const uint32_t *asns)
{
	test_update_attr_header(u, BGP_ATTR_FLAG_TRANSITIVE, BGP_ATTR_AS_PATH, n ? 2 + 4 * n : 0);
	if (!n)
		return;
	writer_u8(&u->at, type);
	writer_u8(&u->at, (uint8_t)n);
	for (size_t i = 0; i < n; i++)
		writer_u32(&u->at, asns[i]);
}

static void a_next_hop(struct test_update *u, const char *addr)
{
	struct ip_addr a;
	assert_true(ip_addr_parse(addr, &a));
	test_update_attr_header(u, BGP_ATTR_FLAG_TRANSITIVE, BGP_ATTR_NEXT_HOP, 4);
	writer_bytes(&u->at, a.bytes, 4);
}

/* MP_REACH_NLRI for IPv6 unicast: one next hop, one prefix (RFC 4760 §3) */
static void a_mp_reach6(struct test_update *u, const char *next_hop, const char *prefix, uint8_t len)
{
	struct ip_addr nh, p;
	assert_true(ip_addr_parse(next_hop, &nh));
	assert_true(ip_addr_parse(prefix, &p));
	size_t plen = (len + 7u) / 8;
	test_update_attr_header(u, BGP_ATTR_FLAG_OPTIONAL, BGP_ATTR_MP_REACH_NLRI, 2 + 1 + 1 + 16 + 1 + 1 + plen);
	writer_u16(&u->at, BGP_AFI_IPV6);
	writer_u8(&u->at, BGP_SAFI_UNICAST);
	writer_u8(&u->at, 16);
	writer_bytes(&u->at, nh.bytes, 16);
	writer_u8(&u->at, 0);
	writer_u8(&u->at, len);
	writer_bytes(&u->at, p.bytes, plen);
}

#define ASNS(...) sizeof((const uint32_t[]){ __VA_ARGS__ }) / sizeof(uint32_t), (const uint32_t[]){ __VA_ARGS__ }

/* Applies an UPDATE announcing prefix/len with that path and next hop; it never resets. */
static void announce(struct bgp_peer *peer, const char *prefix, uint8_t len, const char *next_hop, uint8_t type,
		     size_t n, const uint32_t *asns)
{
	struct test_update u;
	test_update_init(&u);
	a_origin(&u);
	a_path(&u, type, n, asns);
	a_next_hop(&u, next_hop);
	test_update_prefix(&u.nl, prefix, len);
	struct bgp_error err;
	assert_true(test_update_apply(rib, peer, &u, &err));
}

static bool has_path_from(const char *addr, uint8_t len, const struct bgp_peer *peer)
{
	struct prefix n = { .family = AF_INET, .len = len };
	struct ip_addr a;
	assert_true(ip_addr_parse(addr, &a));
	memcpy(n.addr, a.bytes, 4);
	struct bgp_route *r = bgp_rib_lookup(rib, &n);
	for (struct bgp_path *p = r ? r->paths : NULL; p; p = p->next)
		if (p->peer == peer)
			return true;
	return false;
}

/* ---- enforce-first-as ---- */

static void test_first_as_is_peer_as(void **state)
{
	(void)state;
	announce(ebgp, "203.0.113.0", 24, "192.0.2.1", BGP_AS_SEQUENCE, ASNS(65001, 64999));
	assert_true(has_path_from("203.0.113.0", 24, ebgp));
	assert_int_equal(ebgp->updates_rejected, 0);
}

/* The check is on by default; a wrong first AS withdraws what the UPDATE names (an earlier
 * good route of the same prefix goes too) and the session stays (the UPDATE is not an
 * error: bgp_rib_update returned true). */
static void test_first_as_wrong_is_withdrawn(void **state)
{
	(void)state;
	announce(ebgp, "203.0.113.0", 24, "192.0.2.1", BGP_AS_SEQUENCE, ASNS(65001));
	assert_true(has_path_from("203.0.113.0", 24, ebgp));
	announce(ebgp, "203.0.113.0", 24, "192.0.2.1", BGP_AS_SEQUENCE, ASNS(64999, 65001));
	assert_false(has_path_from("203.0.113.0", 24, ebgp));
	assert_int_equal(ebgp->updates_rejected, 1);
	assert_string_equal(ebgp->last_rejected, "first AS is not the peer's (enforce-first-as)");
	assert_true(bgp_peer_enforces_first_as(ebgp));
}

/* An external peer prepends its AS as an AS_SEQUENCE (RFC 4271 §5.1.2): an AS_SET first or
 * an empty AS_PATH has no first AS that is the peer's. */
static void test_first_as_set_or_empty_fails(void **state)
{
	(void)state;
	announce(ebgp, "198.51.100.0", 24, "192.0.2.1", BGP_AS_SET, ASNS(65001, 64999));
	assert_false(has_path_from("198.51.100.0", 24, ebgp));
	announce(ebgp, "198.51.100.0", 24, "192.0.2.1", BGP_AS_SEQUENCE, 0, NULL);
	assert_false(has_path_from("198.51.100.0", 24, ebgp));
	assert_int_equal(ebgp->updates_rejected, 2);
}

/* `no neighbor A enforce-first-as` (a route server); iBGP is never checked. */
static void test_first_as_exempt(void **state)
{
	(void)state;
	assert_false(bgp_peer_enforces_first_as(rs));
	announce(rs, "203.0.113.0", 24, "192.0.2.2", BGP_AS_SEQUENCE, ASNS(64999));
	assert_true(has_path_from("203.0.113.0", 24, rs));
	assert_false(bgp_peer_enforces_first_as(ibgp));
	announce(ibgp, "203.0.113.0", 24, "10.0.0.3", BGP_AS_SEQUENCE, ASNS(64999));
	assert_true(has_path_from("203.0.113.0", 24, ibgp));
}

/* `no bgp enforce-first-as` accepts it, except from a neighbour that enforces it itself. */
static void test_first_as_global_off(void **state)
{
	(void)state;
	configure(false, 0, 0, false);
	assert_false(bgp_peer_enforces_first_as(ebgp));
	announce(ebgp, "203.0.113.0", 24, "192.0.2.1", BGP_AS_SEQUENCE, ASNS(64999));
	assert_true(has_path_from("203.0.113.0", 24, ebgp));
	assert_true(bgp_peer_enforces_first_as(forced));
	announce(forced, "203.0.113.0", 24, "192.0.2.3", BGP_AS_SEQUENCE, ASNS(64999));
	assert_false(has_path_from("203.0.113.0", 24, forced));
	assert_int_equal(forced->updates_rejected, 1);
}

/* ---- NEXT_HOP is ours ---- */

static void test_own_next_hop_ignored(void **state)
{
	(void)state;
	announce(ebgp, "203.0.113.0", 24, "192.0.2.254", BGP_AS_SEQUENCE, ASNS(65001));
	assert_false(has_path_from("203.0.113.0", 24, ebgp));
	assert_int_equal(ebgp->updates_rejected, 1);
	assert_string_equal(ebgp->last_rejected, "NEXT_HOP is our own address (RFC 4271 6.3)");
	/* iBGP too: the rule is about the receiver, not the session */
	announce(ibgp, "203.0.113.0", 24, "192.0.2.254", BGP_AS_SEQUENCE, ASNS(64999));
	assert_false(has_path_from("203.0.113.0", 24, ibgp));
	/* another next hop is fine */
	announce(ebgp, "203.0.113.0", 24, "192.0.2.1", BGP_AS_SEQUENCE, ASNS(65001));
	assert_true(has_path_from("203.0.113.0", 24, ebgp));
	assert_int_equal(ebgp->afi_safi.family[BGP_AFI_SAFI_IPV4_UNICAST].prefixes_accepted, 1);
}

static void test_own_next_hop_ipv6(void **state)
{
	(void)state;
	struct test_update u;
	test_update_init(&u);
	a_origin(&u);
	a_path(&u, BGP_AS_SEQUENCE, ASNS(65001));
	a_mp_reach6(&u, "2001:db8::fe", "2001:db8:1::", 48);
	struct bgp_error err;
	assert_true(test_update_apply(rib, ebgp, &u, &err));
	assert_int_equal(ebgp->afi_safi.family[BGP_AFI_SAFI_IPV6_UNICAST].prefixes_accepted, 0);
	assert_int_equal(ebgp->updates_rejected, 1);

	test_update_init(&u);
	a_origin(&u);
	a_path(&u, BGP_AS_SEQUENCE, ASNS(65001));
	a_mp_reach6(&u, "2001:db8::1", "2001:db8:1::", 48);
	assert_true(test_update_apply(rib, ebgp, &u, &err));
	assert_int_equal(ebgp->afi_safi.family[BGP_AFI_SAFI_IPV6_UNICAST].prefixes_accepted, 1);
	assert_int_equal(ebgp->afi_safi.family[BGP_AFI_SAFI_IPV4_UNICAST].prefixes_accepted, 0);
}

/* ---- End-of-RIB and counts per family, through the route engine ---- */

/* An UPDATE body onto the speaker's queue, as the session engine queues it. */
static void queue_update(struct bgp_peer *peer, struct test_update *u)
{
	uint8_t body[4096];
	assert_true(bgp_event_queue_update(&spk->events, peer, body, test_update_body(u, body, sizeof(body))));
}

/* RFC 4724 §2: the peer's initial table of a family is complete at its End-of-RIB; each
 * family's is its own, and routes count in their family. */
static void test_end_of_rib_received_per_family(void **state)
{
	(void)state;
	struct test_update u;
	test_update_init(&u);
	a_origin(&u);
	a_path(&u, BGP_AS_SEQUENCE, ASNS(65001));
	a_next_hop(&u, "192.0.2.1");
	test_update_prefix(&u.nl, "198.51.100.0", 24);
	test_update_prefix(&u.nl, "198.51.101.0", 24);
	queue_update(ebgp, &u);
	test_update_init(&u);
	a_origin(&u);
	a_path(&u, BGP_AS_SEQUENCE, ASNS(65001));
	a_mp_reach6(&u, "2001:db8::1", "2001:db8:1::", 48);
	queue_update(ebgp, &u);
	test_update_init(&u); /* IPv4 unicast's End-of-RIB: an empty UPDATE */
	queue_update(ebgp, &u);
	bgp_route_engine_finish(spk);
	const struct bgp_afi_safi_state *f = ebgp->afi_safi.family;
	assert_true(f[BGP_AFI_SAFI_IPV4_UNICAST].end_of_rib_received);
	assert_false(f[BGP_AFI_SAFI_IPV6_UNICAST].end_of_rib_received);
	assert_int_equal(f[BGP_AFI_SAFI_IPV4_UNICAST].prefixes_accepted, 2);
	assert_int_equal(f[BGP_AFI_SAFI_IPV6_UNICAST].prefixes_accepted, 1);
	assert_false(rs->afi_safi.family[BGP_AFI_SAFI_IPV4_UNICAST].end_of_rib_received);

	test_update_init(&u); /* IPv6 unicast's: an empty MP_UNREACH_NLRI */
	test_update_attr_header(&u, BGP_ATTR_FLAG_OPTIONAL, BGP_ATTR_MP_UNREACH_NLRI, 3);
	writer_u16(&u.at, BGP_AFI_IPV6);
	writer_u8(&u.at, BGP_SAFI_UNICAST);
	queue_update(ebgp, &u);
	bgp_route_engine_finish(spk);
	assert_true(f[BGP_AFI_SAFI_IPV6_UNICAST].end_of_rib_received);
	assert_int_equal(f[BGP_AFI_SAFI_IPV6_UNICAST].prefixes_accepted, 1);
}

/* ---- maximum-prefix: the verdict ---- */

static void test_max_prefix_verdicts(void **state)
{
	(void)state;
	struct bgp_max_prefix_limit limit = { .max = 100, .threshold = 75 };
	struct bgp_max_prefix_family f = { 0 };
	assert_int_equal(bgp_max_prefix_threshold_count(&limit), 75);
	assert_int_equal(bgp_max_prefix_check(&limit, &f, 74), BGP_MAXPFX_OK);
	assert_int_equal(bgp_max_prefix_check(&limit, &f, 75), BGP_MAXPFX_THRESHOLD);
	assert_int_equal(bgp_max_prefix_check(&limit, &f, 80), BGP_MAXPFX_OK); /* once */
	assert_int_equal(bgp_max_prefix_check(&limit, &f, 100), BGP_MAXPFX_OK); /* at the limit */
	assert_int_equal(bgp_max_prefix_check(&limit, &f, 101), BGP_MAXPFX_EXCEEDED);
	/* back under the mark, it may warn again */
	assert_int_equal(bgp_max_prefix_check(&limit, &f, 10), BGP_MAXPFX_OK);
	assert_int_equal(bgp_max_prefix_check(&limit, &f, 76), BGP_MAXPFX_THRESHOLD);

	struct bgp_max_prefix_limit warn = { .max = 10, .threshold = 50, .warning_only = true };
	struct bgp_max_prefix_family g = { 0 };
	assert_int_equal(bgp_max_prefix_check(&warn, &g, 11), BGP_MAXPFX_EXCEEDED_WARNING);
	assert_int_equal(bgp_max_prefix_check(&warn, &g, 12), BGP_MAXPFX_OK);
	assert_int_equal(bgp_max_prefix_check(&warn, &g, 9), BGP_MAXPFX_OK); /* threshold said */
	assert_int_equal(bgp_max_prefix_check(&warn, &g, 11), BGP_MAXPFX_EXCEEDED_WARNING);

	struct bgp_max_prefix_limit tiny = { .max = 1, .threshold = 1 };
	assert_int_equal(bgp_max_prefix_threshold_count(&tiny), 1);
	struct bgp_max_prefix_limit none = { 0 };
	assert_int_equal(bgp_max_prefix_check(&none, &g, 1000000), BGP_MAXPFX_OK);
}

/* RFC 4486 §4: AFI (2 octets), SAFI (1 octet), the prefix upper bound (4 octets). */
static void test_max_prefix_cease_data(void **state)
{
	(void)state;
	struct bgp_error err;
	bgp_max_prefix_cease(&err, BGP_AFI_IPV6, BGP_SAFI_UNICAST, 0x01020304);
	assert_int_equal(err.code, 6);
	assert_int_equal(err.subcode, 1);
	assert_int_equal(err.data_len, 7);
	assert_memory_equal(err.data, "\x00\x02\x01\x01\x02\x03\x04", 7);
}

/* ---- maximum-prefix through the speaker ---- */

static bool log_has(const struct bgp_peer *peer, const char *text)
{
	for (unsigned i = 0; bgp_peer_log_at(peer, i); i++)
		if (strstr(bgp_peer_log_at(peer, i)->text, text))
			return true;
	return false;
}

static void announce_n(struct bgp_peer *peer, unsigned first, unsigned n)
{
	for (unsigned i = first; i < first + n; i++) {
		char prefix[32];
		snprintf(prefix, sizeof(prefix), "10.%u.%u.0", i / 256, i % 256);
		announce(peer, prefix, 24, "192.0.2.1", BGP_AS_SEQUENCE, ASNS(65001));
	}
}

static void test_max_prefix_after_update(void **state)
{
	(void)state;
	configure(true, 4, 50, false); /* warn at 2, close above 4 */
	struct bgp_error err;
	announce_n(ebgp, 0, 1);
	assert_true(bgp_max_prefix_after_update(ebgp, &err));
	assert_false(log_has(ebgp, "%BGP-4-MAXPFX"));
	announce_n(ebgp, 1, 1);
	assert_true(bgp_max_prefix_after_update(ebgp, &err));
	assert_true(log_has(ebgp, "%BGP-4-MAXPFX: No. of prefix received from 192.0.2.1 (afi 0) reaches 2, max 4"));
	/* a prefix denied (here: its first AS) is not counted: IOS counts accepted prefixes */
	announce(ebgp, "10.9.9.0", 24, "192.0.2.1", BGP_AS_SEQUENCE, ASNS(64999));
	assert_int_equal(ebgp->afi_safi.family[BGP_AFI_SAFI_IPV4_UNICAST].prefixes_accepted, 2);
	announce_n(ebgp, 2, 2);
	assert_true(bgp_max_prefix_after_update(ebgp, &err));
	announce_n(ebgp, 4, 1);
	assert_int_equal(ebgp->afi_safi.family[BGP_AFI_SAFI_IPV4_UNICAST].prefixes_accepted, 5);
	assert_false(bgp_max_prefix_after_update(ebgp, &err));
	assert_int_equal(err.code, BGP_ERR_CEASE);
	assert_int_equal(err.subcode, BGP_CEASE_MAX_PREFIXES);
	assert_memory_equal(err.data, "\x00\x01\x01\x00\x00\x00\x04", 7);
	assert_true(log_has(ebgp, "%BGP-3-MAXPFXEXCEED: No. of prefix received from 192.0.2.1 (afi 0): 5 exceed limit 4"));
	char reason[128];
	assert_true(bgp_max_prefix_holds(ebgp, reason, sizeof(reason)));
	assert_non_null(strstr(reason, "(PfxCt)"));
	assert_int_equal(bgp_max_prefix_restart_in(ebgp), -1);
	assert_int_equal(ebgp->max_prefix.exceeded_count, 1);
	/* the session's end takes the paths and the count with it; clear ip bgp releases */
	bgp_rib_peer_down(rib, ebgp);
	assert_int_equal(ebgp->afi_safi.family[BGP_AFI_SAFI_IPV4_UNICAST].prefixes_accepted, 0);
	bgp_peer_reset(ebgp);
	assert_false(bgp_max_prefix_holds(ebgp, reason, sizeof(reason)));
}

static void test_max_prefix_warning_only(void **state)
{
	(void)state;
	configure(true, 2, 75, true);
	struct bgp_error err;
	announce_n(ebgp, 0, 3);
	assert_true(bgp_max_prefix_after_update(ebgp, &err));
	assert_true(log_has(ebgp, "%BGP-3-MAXPFXEXCEED"));
	char reason[128];
	assert_false(bgp_max_prefix_holds(ebgp, reason, sizeof(reason)));
	assert_int_equal(ebgp->afi_safi.family[BGP_AFI_SAFI_IPV4_UNICAST].prefixes_accepted, 3);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_first_as_is_peer_as),
		T(test_first_as_wrong_is_withdrawn),
		T(test_first_as_set_or_empty_fails),
		T(test_first_as_exempt),
		T(test_first_as_global_off),
		T(test_own_next_hop_ignored),
		T(test_own_next_hop_ipv6),
		T(test_end_of_rib_received_per_family),
		cmocka_unit_test(test_max_prefix_verdicts),
		cmocka_unit_test(test_max_prefix_cease_data),
		T(test_max_prefix_after_update),
		T(test_max_prefix_warning_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
