/* DOC: unit tests of a session's address families (src/bgp/afi_safi.h): OPEN negotiation
 * (RFC 4760 §8), End-of-RIB markers (RFC 4724 §2), and the table's session up and down. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "bgp/afi_safi.h"

static void offer(struct bgp_capabilities *caps, uint16_t afi, uint8_t safi)
{
	caps->present = true;
	caps->multiprotocol[caps->multiprotocol_count++] = (struct bgp_afi_safi){ .afi = afi, .safi = safi };
}

static void test_index_both_ways(void **state)
{
	(void)state;
	enum bgp_afi_safi_index index;
	assert_true(bgp_afi_safi_index(BGP_AFI_IPV4, BGP_SAFI_UNICAST, &index));
	assert_int_equal(index, BGP_AFI_SAFI_IPV4_UNICAST);
	assert_true(bgp_afi_safi_index(BGP_AFI_IPV6, BGP_SAFI_UNICAST, &index));
	assert_int_equal(index, BGP_AFI_SAFI_IPV6_UNICAST);
	assert_false(bgp_afi_safi_index(BGP_AFI_IPV4, 2, &index));   /* multicast: no row */
	assert_false(bgp_afi_safi_index(25, 65, &index));            /* L2VPN VPLS: no row */
	for (int i = 0; i < BGP_AFI_SAFI_COUNT; i++) {
		assert_true(bgp_afi_safi_index(bgp_afi_safi_afi(i), bgp_afi_safi_safi(i), &index));
		assert_int_equal(index, i);
	}
	assert_int_equal(bgp_afi_safi_unicast(AF_INET), BGP_AFI_SAFI_IPV4_UNICAST);
	assert_int_equal(bgp_afi_safi_unicast(AF_INET6), BGP_AFI_SAFI_IPV6_UNICAST);
}

/* Both offer several families: the session speaks those both offered. */
static void test_negotiate_intersection(void **state)
{
	(void)state;
	struct bgp_capabilities ours = { 0 }, theirs = { 0 };
	offer(&ours, BGP_AFI_IPV4, BGP_SAFI_UNICAST);
	offer(&ours, BGP_AFI_IPV6, BGP_SAFI_UNICAST);
	offer(&theirs, BGP_AFI_IPV6, BGP_SAFI_UNICAST);
	struct bgp_afi_safi_negotiated n;
	bgp_afi_safi_negotiate(&ours, &theirs, &n);
	assert_false(n.family[BGP_AFI_SAFI_IPV4_UNICAST]);
	assert_true(n.family[BGP_AFI_SAFI_IPV6_UNICAST]);
	/* and the other way round */
	bgp_afi_safi_negotiate(&theirs, &ours, &n);
	assert_false(n.family[BGP_AFI_SAFI_IPV4_UNICAST]);
	assert_true(n.family[BGP_AFI_SAFI_IPV6_UNICAST]);
	/* nothing in common */
	struct bgp_capabilities v4 = { 0 };
	offer(&v4, BGP_AFI_IPV4, BGP_SAFI_UNICAST);
	bgp_afi_safi_negotiate(&v4, &theirs, &n);
	assert_false(n.family[BGP_AFI_SAFI_IPV4_UNICAST]);
	assert_false(n.family[BGP_AFI_SAFI_IPV6_UNICAST]);
}

/* RFC 4760 §8: a peer without the Multiprotocol capability speaks IPv4 unicast, whatever we
 * offered; nothing else. */
static void test_negotiate_without_multiprotocol(void **state)
{
	(void)state;
	struct bgp_capabilities ours = { 0 }, theirs = { .present = true, .route_refresh = true };
	struct bgp_afi_safi_negotiated n;
	bgp_afi_safi_negotiate(&ours, &theirs, &n);
	assert_true(n.family[BGP_AFI_SAFI_IPV4_UNICAST]);
	assert_false(n.family[BGP_AFI_SAFI_IPV6_UNICAST]);
	offer(&ours, BGP_AFI_IPV6, BGP_SAFI_UNICAST);
	bgp_afi_safi_negotiate(&ours, &theirs, &n);
	assert_true(n.family[BGP_AFI_SAFI_IPV4_UNICAST]);
	assert_false(n.family[BGP_AFI_SAFI_IPV6_UNICAST]);
	/* We without it, the peer with IPv4 unicast in its list: IPv4 unicast */
	struct bgp_capabilities none = { 0 }, v4 = { 0 };
	offer(&v4, BGP_AFI_IPV4, BGP_SAFI_UNICAST);
	bgp_afi_safi_negotiate(&none, &v4, &n);
	assert_true(n.family[BGP_AFI_SAFI_IPV4_UNICAST]);
	assert_false(n.family[BGP_AFI_SAFI_IPV6_UNICAST]);
}

/* A pair we have no row for is ignored: it neither adds a family nor makes the peer look as
 * if it sent no Multiprotocol capability at all. */
static void test_negotiate_unknown_ignored(void **state)
{
	(void)state;
	struct bgp_capabilities ours = { 0 }, theirs = { 0 };
	offer(&ours, BGP_AFI_IPV4, BGP_SAFI_UNICAST);
	offer(&theirs, 25, 65);                       /* L2VPN VPLS */
	offer(&theirs, BGP_AFI_IPV4, 128);            /* VPNv4 */
	struct bgp_afi_safi_negotiated n;
	bgp_afi_safi_negotiate(&ours, &theirs, &n);
	assert_false(n.family[BGP_AFI_SAFI_IPV4_UNICAST]);
	assert_false(n.family[BGP_AFI_SAFI_IPV6_UNICAST]);
	offer(&theirs, BGP_AFI_IPV4, BGP_SAFI_UNICAST);
	bgp_afi_safi_negotiate(&ours, &theirs, &n);
	assert_true(n.family[BGP_AFI_SAFI_IPV4_UNICAST]);
	assert_false(n.family[BGP_AFI_SAFI_IPV6_UNICAST]);
}

/* Route refresh: the peer's offer (RFC 2918 §3); enhanced: both (RFC 7313 §3). */
static void test_negotiate_route_refresh(void **state)
{
	(void)state;
	struct bgp_capabilities ours = { .route_refresh = true, .enhanced_route_refresh = true };
	struct bgp_capabilities theirs = { .route_refresh = true };
	struct bgp_afi_safi_negotiated n;
	bgp_afi_safi_negotiate(&ours, &theirs, &n);
	assert_true(n.route_refresh);
	assert_false(n.enhanced_route_refresh);
	theirs.enhanced_route_refresh = true;
	bgp_afi_safi_negotiate(&ours, &theirs, &n);
	assert_true(n.enhanced_route_refresh);
	theirs.route_refresh = false;
	bgp_afi_safi_negotiate(&ours, &theirs, &n);
	assert_false(n.route_refresh);
}

static void test_end_of_rib_markers(void **state)
{
	(void)state;
	enum bgp_afi_safi_index index = BGP_AFI_SAFI_COUNT;
	const uint8_t ipv4[] = { 0, 0, 0, 0 };
	assert_true(bgp_afi_safi_end_of_rib(ipv4, sizeof(ipv4), &index));
	assert_int_equal(index, BGP_AFI_SAFI_IPV4_UNICAST);
	const uint8_t ipv6[] = { 0, 0, 0, 6, 0x80, 15, 3, 0, 2, 1 };
	assert_true(bgp_afi_safi_end_of_rib(ipv6, sizeof(ipv6), &index));
	assert_int_equal(index, BGP_AFI_SAFI_IPV6_UNICAST);
	/* the attribute length in two octets (Extended Length) is the same marker */
	const uint8_t ipv6_extended[] = { 0, 0, 0, 7, 0x90, 15, 0, 3, 0, 2, 1 };
	index = BGP_AFI_SAFI_COUNT;
	assert_true(bgp_afi_safi_end_of_rib(ipv6_extended, sizeof(ipv6_extended), &index));
	assert_int_equal(index, BGP_AFI_SAFI_IPV6_UNICAST);
	/* not markers: a family without a row, a withdrawal, an announcement, another attribute */
	const uint8_t unknown[] = { 0, 0, 0, 6, 0x80, 15, 3, 0, 1, 128 };
	assert_false(bgp_afi_safi_end_of_rib(unknown, sizeof(unknown), &index));
	const uint8_t withdrawal[] = { 0, 0, 0, 9, 0x80, 15, 6, 0, 2, 1, 16, 0x20, 0x01 };
	assert_false(bgp_afi_safi_end_of_rib(withdrawal, sizeof(withdrawal), &index));
	const uint8_t ipv4_withdrawal[] = { 0, 2, 8, 10, 0, 0 };
	assert_false(bgp_afi_safi_end_of_rib(ipv4_withdrawal, sizeof(ipv4_withdrawal), &index));
	const uint8_t nlri_only[] = { 0, 0, 0, 0, 8, 10 };
	assert_false(bgp_afi_safi_end_of_rib(nlri_only, sizeof(nlri_only), &index));
	const uint8_t origin[] = { 0, 0, 0, 4, 0x40, 1, 1, 0 };
	assert_false(bgp_afi_safi_end_of_rib(origin, sizeof(origin), &index));
	const uint8_t truncated[] = { 0, 0, 0, 6, 0x80, 15, 3, 0 };
	assert_false(bgp_afi_safi_end_of_rib(truncated, sizeof(truncated), &index));
	assert_false(bgp_afi_safi_end_of_rib(ipv4, 3, &index));
}

/* A session up installs what it speaks and starts End-of-RIB over; the counts stay (the last
 * session's paths leave only with its walk). Down: nothing is spoken. */
static void test_table_session_up_and_down(void **state)
{
	(void)state;
	struct bgp_afi_safi_table t;
	memset(&t, 0, sizeof(t));
	t.family[BGP_AFI_SAFI_IPV6_UNICAST].prefixes_accepted = 7;
	t.family[BGP_AFI_SAFI_IPV4_UNICAST].end_of_rib_sent = true;
	t.family[BGP_AFI_SAFI_IPV4_UNICAST].end_of_rib_received = true;
	struct bgp_afi_safi_negotiated n = { .route_refresh = true };
	n.family[BGP_AFI_SAFI_IPV6_UNICAST] = true;
	bgp_afi_safi_session_up(&t, &n);
	assert_false(bgp_afi_safi_spoken(&t, BGP_AFI_SAFI_IPV4_UNICAST));
	assert_true(bgp_afi_safi_spoken(&t, BGP_AFI_SAFI_IPV6_UNICAST));
	assert_true(t.session.route_refresh);
	assert_false(t.family[BGP_AFI_SAFI_IPV4_UNICAST].end_of_rib_sent);
	assert_false(t.family[BGP_AFI_SAFI_IPV4_UNICAST].end_of_rib_received);
	assert_int_equal(t.family[BGP_AFI_SAFI_IPV6_UNICAST].prefixes_accepted, 7);
	bgp_afi_safi_session_down(&t);
	assert_false(bgp_afi_safi_spoken(&t, BGP_AFI_SAFI_IPV6_UNICAST));
	assert_false(t.session.route_refresh);
	assert_int_equal(t.family[BGP_AFI_SAFI_IPV6_UNICAST].prefixes_accepted, 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index_both_ways),
		cmocka_unit_test(test_negotiate_intersection),
		cmocka_unit_test(test_negotiate_without_multiprotocol),
		cmocka_unit_test(test_negotiate_unknown_ignored),
		cmocka_unit_test(test_negotiate_route_refresh),
		cmocka_unit_test(test_end_of_rib_markers),
		cmocka_unit_test(test_table_session_up_and_down),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
