/*
 * DOC: unit tests of best-path selection, bgp_path_compare() (src/bgp/decide.c).
 *
 * One test per tie-break, in the order decide.c applies them (RFC 4271 §9.1.2.2 with the
 * IOS steps in front and RFC 4456 §9 inserted). In each, the two paths tie on every earlier
 * criterion and differ in the one under test; where it is cheap, the loser is made better on
 * a LATER criterion, which proves the order. Every comparison is made both ways round and
 * checks the sign and the reason string.
 *
 * Attribute sets are interned with bgp_attrs_intern() from a struct bgp_attrs filled here
 * (AS paths as wire bytes with 4-octet ASNs); peers are zeroed struct bgp_peer with only the
 * fields compare() reads: speaker, ibgp, session.remote_id, config.addr.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "bgp/attrs.h"
#include "bgp/internal.h"

static struct bgp_attrs_table table; /* large (scratch buffer): not on the stack */
static struct bgp_speaker speaker;
static struct bgp_peer peer_a, peer_b;

static int setup(void **state)
{
	(void)state;
	bgp_attrs_table_init(&table);
	memset(&speaker, 0, sizeof(speaker));
	speaker.local_as = 65000;
	speaker.router_id = 0x0a0000fe;
	memset(&peer_a, 0, sizeof(peer_a));
	memset(&peer_b, 0, sizeof(peer_b));
	peer_a.speaker = peer_b.speaker = &speaker;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	bgp_attrs_table_free(&table);
	return 0;
}

static void set_peer(struct bgp_peer *p, bool ibgp, uint32_t remote_id, const char *addr)
{
	p->ibgp = ibgp;
	p->session.remote_id = remote_id;
	assert_true(ip_addr_parse(addr, &p->config.addr));
}

/* ---- attribute sets ---------------------------------------------------------------------- */

/* What a test sets; everything else is absent. */
struct spec {
	uint8_t origin;             /* BGP_ORIGIN_IGP unless set */
	const uint8_t *path;        /* AS_PATH segments, 4-octet ASNs; NULL = empty path */
	uint16_t path_len;
	bool has_med;
	uint32_t med;
	bool has_local_pref;
	uint32_t local_pref;
	bool has_originator;
	uint32_t originator_id;
	const uint8_t *clusters;    /* CLUSTER_LIST value, 4 octets per ID */
	uint16_t clusters_len;
	uint32_t next_hop;          /* 192.0.2.1 unless set */
};

#define SEG(type, count, ...) (type), (count), __VA_ARGS__
#define AS(n) (uint8_t)((uint32_t)(n) >> 24), (uint8_t)((uint32_t)(n) >> 16), (uint8_t)((uint32_t)(n) >> 8), \
	      (uint8_t)(n)
#define PATH(...) .path = (const uint8_t[]){ __VA_ARGS__ }, .path_len = sizeof((const uint8_t[]){ __VA_ARGS__ })
#define CLUSTERS(...) \
	.clusters = (const uint8_t[]){ __VA_ARGS__ }, .clusters_len = sizeof((const uint8_t[]){ __VA_ARGS__ })

static struct bgp_path_attrs *intern(const struct spec *s)
{
	struct bgp_attrs a;
	memset(&a, 0, sizeof(a));
	a.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH) | BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
	a.origin = s->origin;
	a.as_path = (struct bgp_as_path){ .data = s->path, .len = s->path_len, .asn_size = 4 };
	a.next_hop = s->next_hop ? s->next_hop : 0xc0000201;
	if (s->has_med) {
		a.present |= BGP_ATTR_BIT(BGP_ATTR_MULTI_EXIT_DISC);
		a.med = s->med;
	}
	if (s->has_local_pref) {
		a.present |= BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF);
		a.local_pref = s->local_pref;
	}
	if (s->has_originator) {
		a.present |= BGP_ATTR_BIT(BGP_ATTR_ORIGINATOR_ID);
		a.originator_id = s->originator_id;
	}
	if (s->clusters) {
		a.present |= BGP_ATTR_BIT(BGP_ATTR_CLUSTER_LIST);
		a.cluster_list = (struct bgp_attr_blob){ .data = s->clusters, .len = s->clusters_len };
	}
	struct bgp_next_hop nh = { .family = AF_INET };
	nh.addr[0] = (uint8_t)(a.next_hop >> 24);
	nh.addr[1] = (uint8_t)(a.next_hop >> 16);
	nh.addr[2] = (uint8_t)(a.next_hop >> 8);
	nh.addr[3] = (uint8_t)a.next_hop;
	struct bgp_path_attrs *pa = bgp_attrs_intern(&table, &a, &nh);
	assert_non_null(pa);
	return pa;
}

/* A locally originated set, as rib.c builds it: empty path, next hop all zero. */
static struct bgp_path_attrs *intern_local(uint8_t origin)
{
	struct bgp_attrs a;
	memset(&a, 0, sizeof(a));
	a.present = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH);
	a.origin = origin;
	a.as_path = (struct bgp_as_path){ .data = NULL, .len = 0, .asn_size = 4 };
	struct bgp_next_hop nh = { .family = AF_INET };
	struct bgp_path_attrs *pa = bgp_attrs_intern(&table, &a, &nh);
	assert_non_null(pa);
	return pa;
}

/* win must beat lose for `why`, whichever way round they are given. */
static void expect_better(const struct bgp_path *win, const struct bgp_path *lose, const char *why)
{
	const char *reason = NULL;
	assert_true(bgp_path_compare(win, lose, &reason) < 0);
	assert_non_null(reason);
	assert_string_equal(reason, why);
	reason = NULL;
	assert_true(bgp_path_compare(lose, win, &reason) > 0);
	assert_non_null(reason);
	assert_string_equal(reason, why);
	/* reason is optional */
	assert_true(bgp_path_compare(win, lose, NULL) < 0);
}

/* Common AS paths: [65001 1] from neighbour AS 65001. */
#define PATH_65001_1 PATH(SEG(BGP_AS_SEQUENCE, 1 + 1, AS(65001), AS(1)))

/* ---- 1. weight --------------------------------------------------------------------------- */

static void test_weight_local_beats_learned(void **state)
{
	(void)state;
	set_peer(&peer_b, false, 0x01010101, "192.0.2.2");
	/* The learned path is better on LOCAL_PREF (the next step): weight still decides. */
	struct spec s = { .has_local_pref = true, .local_pref = 500, PATH_65001_1 };
	struct bgp_path learned = { .attrs = intern(&s), .peer = &peer_b };
	struct bgp_path local = { .attrs = intern_local(BGP_ORIGIN_INCOMPLETE), .peer = NULL };
	expect_better(&local, &learned, "weight");
}

/* ---- 2. LOCAL_PREF ----------------------------------------------------------------------- */

static void test_local_pref_higher_wins(void **state)
{
	(void)state;
	set_peer(&peer_a, true, 0x02020202, "10.0.0.2");
	set_peer(&peer_b, true, 0x01010101, "10.0.0.1");
	/* The loser has the shorter AS path, better origin, lower router ID and address. */
	struct spec sa = { .has_local_pref = true, .local_pref = 200,
			   PATH(SEG(BGP_AS_SEQUENCE, 3, AS(65001), AS(1), AS(2))), .origin = BGP_ORIGIN_INCOMPLETE };
	struct spec sb = { .has_local_pref = true, .local_pref = 150, PATH(SEG(BGP_AS_SEQUENCE, 1, AS(65001))) };
	struct bgp_path a = { .attrs = intern(&sa), .peer = &peer_a };
	struct bgp_path b = { .attrs = intern(&sb), .peer = &peer_b };
	expect_better(&a, &b, "local preference");
}

static void test_local_pref_absent_is_100(void **state)
{
	(void)state;
	set_peer(&peer_a, true, 0x02020202, "10.0.0.2");
	set_peer(&peer_b, true, 0x01010101, "10.0.0.1");
	struct spec sa = { PATH_65001_1, .next_hop = 0x0a000101 };                     /* absent: 100 */
	struct spec sb = { .has_local_pref = true, .local_pref = 99, PATH_65001_1 };
	struct spec sc = { .has_local_pref = true, .local_pref = 101, PATH_65001_1 };
	struct bgp_path a = { .attrs = intern(&sa), .peer = &peer_a };
	struct bgp_path b = { .attrs = intern(&sb), .peer = &peer_b };
	struct bgp_path c = { .attrs = intern(&sc), .peer = &peer_b };
	assert_int_equal(a.attrs->local_pref, 100);
	expect_better(&a, &b, "local preference");
	expect_better(&c, &a, "local preference");
}

/* ---- 3. locally originated --------------------------------------------------------------- */

/*
 * Step 3 cannot decide anything on its own in this implementation: weight (step 1) is
 * 32768 exactly when peer == NULL and 0 otherwise, and "locally originated" is the same
 * predicate, so whenever step 3 would differ, step 1 already differed. A local path still
 * beats a learned one that is better on every later criterion; the reason reported is
 * "weight". (Reported; there is no per-neighbour weight to make the step reachable.)
 */
static void test_locally_originated_wins(void **state)
{
	(void)state;
	set_peer(&peer_b, false, 0x01010101, "192.0.2.2");
	/* learned: same LOCAL_PREF (100), empty AS path, IGP origin, eBGP, lowest everything */
	struct spec s = { .origin = BGP_ORIGIN_IGP };
	struct bgp_path learned = { .attrs = intern(&s), .peer = &peer_b };
	struct bgp_path local = { .attrs = intern_local(BGP_ORIGIN_INCOMPLETE), .peer = NULL };
	assert_int_equal(learned.attrs->local_pref, local.attrs->local_pref);
	assert_int_equal(learned.attrs->as_path_length, local.attrs->as_path_length);
	expect_better(&local, &learned, "weight");
	/* Two local paths tie all the way down. */
	const char *reason = NULL;
	assert_int_equal(bgp_path_compare(&local, &local, &reason), 0);
	assert_string_equal(reason, "identical");
}

/* ---- 4. AS_PATH length ------------------------------------------------------------------- */

static void test_as_path_shorter_wins(void **state)
{
	(void)state;
	set_peer(&peer_a, false, 0x02020202, "192.0.2.2");
	set_peer(&peer_b, false, 0x01010101, "192.0.2.1");
	/* The loser has the better origin (the next step). */
	struct spec sa = { PATH(SEG(BGP_AS_SEQUENCE, 2, AS(65001), AS(1))), .origin = BGP_ORIGIN_INCOMPLETE };
	struct spec sb = { PATH(SEG(BGP_AS_SEQUENCE, 3, AS(65002), AS(1), AS(2))), .origin = BGP_ORIGIN_IGP };
	struct bgp_path a = { .attrs = intern(&sa), .peer = &peer_a };
	struct bgp_path b = { .attrs = intern(&sb), .peer = &peer_b };
	assert_int_equal(a.attrs->as_path_length, 2);
	assert_int_equal(b.attrs->as_path_length, 3);
	expect_better(&a, &b, "AS path length");
}

/* RFC 4271 §9.1.2.2 a: an AS_SET counts 1, however many ASes it holds. */
static void test_as_path_as_set_counts_one(void **state)
{
	(void)state;
	set_peer(&peer_a, false, 0x02020202, "192.0.2.2");
	set_peer(&peer_b, false, 0x01010101, "192.0.2.1");
	/* [65001 {1 2 3 4}] = 2 against [65002 5 6] = 3 */
	struct spec sa = { PATH(SEG(BGP_AS_SEQUENCE, 1, AS(65001)), SEG(BGP_AS_SET, 4, AS(1), AS(2), AS(3), AS(4))),
			   .origin = BGP_ORIGIN_INCOMPLETE };
	struct spec sb = { PATH(SEG(BGP_AS_SEQUENCE, 3, AS(65002), AS(5), AS(6))) };
	struct bgp_path a = { .attrs = intern(&sa), .peer = &peer_a };
	struct bgp_path b = { .attrs = intern(&sb), .peer = &peer_b };
	assert_int_equal(a.attrs->as_path_length, 2);
	expect_better(&a, &b, "AS path length");
}

/* RFC 5065 §5.3: AS_CONFED_SEQUENCE and AS_CONFED_SET count 0. */
static void test_as_path_confed_counts_zero(void **state)
{
	(void)state;
	set_peer(&peer_a, true, 0x02020202, "10.0.0.2");
	set_peer(&peer_b, true, 0x01010101, "10.0.0.1");
	/* (65010 65011 65012) [65013 65014] 65001 1 = 2 against 65002 5 6 = 3 */
	struct spec sa = { PATH(SEG(BGP_AS_CONFED_SEQUENCE, 3, AS(65010), AS(65011), AS(65012)),
				SEG(BGP_AS_CONFED_SET, 2, AS(65013), AS(65014)),
				SEG(BGP_AS_SEQUENCE, 2, AS(65001), AS(1))),
			   .origin = BGP_ORIGIN_INCOMPLETE };
	struct spec sb = { PATH(SEG(BGP_AS_SEQUENCE, 3, AS(65002), AS(5), AS(6))) };
	struct bgp_path a = { .attrs = intern(&sa), .peer = &peer_a };
	struct bgp_path b = { .attrs = intern(&sb), .peer = &peer_b };
	assert_int_equal(a.attrs->as_path_length, 2);
	expect_better(&a, &b, "AS path length");
}

/* ---- 5. ORIGIN --------------------------------------------------------------------------- */

static void test_origin_lowest_wins(void **state)
{
	(void)state;
	set_peer(&peer_a, false, 0x02020202, "192.0.2.2");
	set_peer(&peer_b, false, 0x01010101, "192.0.2.1");
	/* Same neighbour AS; the loser has the lower MED (the next step). */
	struct spec igp = { PATH_65001_1, .origin = BGP_ORIGIN_IGP, .has_med = true, .med = 50 };
	struct spec egp = { PATH_65001_1, .origin = BGP_ORIGIN_EGP, .has_med = true, .med = 10 };
	struct spec inc = { PATH_65001_1, .origin = BGP_ORIGIN_INCOMPLETE, .has_med = true, .med = 0 };
	struct bgp_path pi = { .attrs = intern(&igp), .peer = &peer_a };
	struct bgp_path pe = { .attrs = intern(&egp), .peer = &peer_b };
	struct bgp_path pn = { .attrs = intern(&inc), .peer = &peer_b };
	expect_better(&pi, &pe, "origin");
	expect_better(&pi, &pn, "origin");
	pe.peer = &peer_a;
	expect_better(&pe, &pn, "origin");
}

/* ---- 6. MED ------------------------------------------------------------------------------ */

static void test_med_lower_wins_same_neighbor_as(void **state)
{
	(void)state;
	/* The loser is eBGP (the next step) against an iBGP winner. */
	set_peer(&peer_a, true, 0x02020202, "10.0.0.2");
	set_peer(&peer_b, false, 0x01010101, "192.0.2.1");
	struct spec sa = { PATH(SEG(BGP_AS_SEQUENCE, 2, AS(65001), AS(1))), .has_med = true, .med = 10 };
	struct spec sb = { PATH(SEG(BGP_AS_SEQUENCE, 2, AS(65001), AS(2))), .has_med = true, .med = 20 };
	struct bgp_path a = { .attrs = intern(&sa), .peer = &peer_a };
	struct bgp_path b = { .attrs = intern(&sb), .peer = &peer_b };
	assert_int_equal(a.attrs->neighbor_as, 65001);
	assert_int_equal(b.attrs->neighbor_as, 65001);
	expect_better(&a, &b, "MED");
}

/* RFC 4271 §9.1.2.2 c: a route without MULTI_EXIT_DISC has the lowest possible value. */
static void test_med_missing_is_lowest(void **state)
{
	(void)state;
	set_peer(&peer_a, false, 0x02020202, "192.0.2.2");
	set_peer(&peer_b, false, 0x01010101, "192.0.2.1");
	struct spec sa = { PATH(SEG(BGP_AS_SEQUENCE, 2, AS(65001), AS(1))) };
	struct spec sb = { PATH(SEG(BGP_AS_SEQUENCE, 2, AS(65001), AS(2))), .has_med = true, .med = 1 };
	struct bgp_path a = { .attrs = intern(&sa), .peer = &peer_a };
	struct bgp_path b = { .attrs = intern(&sb), .peer = &peer_b };
	expect_better(&a, &b, "MED");
}

/* MEDs from different neighbouring ASes are not compared: the next steps decide. */
static void test_med_not_compared_across_neighbor_as(void **state)
{
	(void)state;
	set_peer(&peer_a, false, 0x01010101, "192.0.2.1");
	set_peer(&peer_b, false, 0x02020202, "192.0.2.2");
	struct spec sa = { PATH(SEG(BGP_AS_SEQUENCE, 2, AS(65001), AS(1))), .has_med = true, .med = 500 };
	struct spec sb = { PATH(SEG(BGP_AS_SEQUENCE, 2, AS(65002), AS(1))), .has_med = true, .med = 5 };
	struct bgp_path a = { .attrs = intern(&sa), .peer = &peer_a };
	struct bgp_path b = { .attrs = intern(&sb), .peer = &peer_b };
	/* a has the higher MED but the lower router ID */
	expect_better(&a, &b, "router ID");
}

/* bgp always-compare-med: MEDs compared whatever the neighbouring AS. */
static void test_med_always_compare(void **state)
{
	(void)state;
	speaker.always_compare_med = true;
	set_peer(&peer_a, false, 0x01010101, "192.0.2.1");
	set_peer(&peer_b, false, 0x02020202, "192.0.2.2");
	struct spec sa = { PATH(SEG(BGP_AS_SEQUENCE, 2, AS(65001), AS(1))), .has_med = true, .med = 500 };
	struct spec sb = { PATH(SEG(BGP_AS_SEQUENCE, 2, AS(65002), AS(1))), .has_med = true, .med = 5 };
	struct bgp_path a = { .attrs = intern(&sa), .peer = &peer_a };
	struct bgp_path b = { .attrs = intern(&sb), .peer = &peer_b };
	expect_better(&b, &a, "MED");
}

/* ---- 7. eBGP over iBGP ------------------------------------------------------------------- */

static void test_ebgp_over_ibgp(void **state)
{
	(void)state;
	/* Same attribute set; the iBGP path has the lower router ID and address. */
	set_peer(&peer_a, false, 0x09090909, "192.0.2.9");
	set_peer(&peer_b, true, 0x01010101, "10.0.0.1");
	struct spec s = { PATH_65001_1 };
	struct bgp_path a = { .attrs = intern(&s), .peer = &peer_a };
	struct bgp_path b = { .attrs = a.attrs, .peer = &peer_b };
	bgp_attrs_ref(a.attrs);
	expect_better(&a, &b, "eBGP over iBGP");
}

/* ---- 8. IGP metric ----------------------------------------------------------------------- */

static void test_igp_metric_lower_wins(void **state)
{
	(void)state;
	set_peer(&peer_a, true, 0x02020202, "10.0.0.2");
	set_peer(&peer_b, true, 0x01010101, "10.0.0.1");
	/* Different next hops: different sets, each with its cost (rib.c fills igp_metric when
	 * it resolves the next hop). The loser has the lower router ID. */
	struct spec sa = { PATH_65001_1, .next_hop = 0x0a000102 };
	struct spec sb = { PATH_65001_1, .next_hop = 0x0a000101 };
	struct bgp_path a = { .attrs = intern(&sa), .peer = &peer_a };
	struct bgp_path b = { .attrs = intern(&sb), .peer = &peer_b };
	assert_ptr_not_equal(a.attrs, b.attrs);
	a.attrs->igp_metric = 10;
	b.attrs->igp_metric = 20;
	expect_better(&a, &b, "IGP metric to the next hop");
}

/* ---- 9. router ID ------------------------------------------------------------------------ */

static void test_router_id_lower_wins(void **state)
{
	(void)state;
	set_peer(&peer_a, true, 0x01010101, "10.0.0.9");
	set_peer(&peer_b, true, 0x02020202, "10.0.0.1");
	struct spec s = { PATH_65001_1 };
	struct bgp_path a = { .attrs = intern(&s), .peer = &peer_a };
	struct bgp_path b = { .attrs = a.attrs, .peer = &peer_b };
	bgp_attrs_ref(a.attrs);
	expect_better(&a, &b, "router ID");
}

/* RFC 4456 §9: ORIGINATOR_ID stands for the BGP Identifier when present. */
static void test_router_id_uses_originator_id(void **state)
{
	(void)state;
	/* a comes from the lower-ID speaker but carries a higher ORIGINATOR_ID */
	set_peer(&peer_a, true, 0x01010101, "10.0.0.1");
	set_peer(&peer_b, true, 0x02020202, "10.0.0.2");
	struct spec sa = { PATH_65001_1, .has_originator = true, .originator_id = 0x03030303 };
	struct spec sb = { PATH_65001_1 };
	struct bgp_path a = { .attrs = intern(&sa), .peer = &peer_a };
	struct bgp_path b = { .attrs = intern(&sb), .peer = &peer_b };
	expect_better(&b, &a, "router ID");
	/* and with ORIGINATOR_ID on both, the peers' identifiers do not matter */
	struct spec sc = { PATH_65001_1, .has_originator = true, .originator_id = 0x00000001 };
	struct bgp_path c = { .attrs = intern(&sc), .peer = &peer_b };
	expect_better(&c, &a, "router ID");
}

/* ---- 10. CLUSTER_LIST length ------------------------------------------------------------- */

static void test_cluster_list_shorter_wins(void **state)
{
	(void)state;
	/* The same originator (router ID ties); the loser has the lower neighbour address. */
	set_peer(&peer_a, true, 0x0a0a0a0a, "10.0.0.2");
	set_peer(&peer_b, true, 0x0b0b0b0b, "10.0.0.1");
	struct spec sa = { PATH_65001_1, .has_originator = true, .originator_id = 0x05050505,
			   CLUSTERS(AS(0x0a0a0a0a)) };
	struct spec sb = { PATH_65001_1, .has_originator = true, .originator_id = 0x05050505,
			   CLUSTERS(AS(0x0b0b0b0b), AS(0x0c0c0c0c)) };
	struct bgp_path a = { .attrs = intern(&sa), .peer = &peer_a };
	struct bgp_path b = { .attrs = intern(&sb), .peer = &peer_b };
	assert_int_equal(a.attrs->cluster_list_length, 1);
	assert_int_equal(b.attrs->cluster_list_length, 2);
	expect_better(&a, &b, "cluster list length");
	/* no CLUSTER_LIST is length 0 */
	struct spec sc = { PATH_65001_1, .has_originator = true, .originator_id = 0x05050505 };
	struct bgp_path c = { .attrs = intern(&sc), .peer = &peer_b };
	expect_better(&c, &a, "cluster list length");
}

/* ---- 11. neighbour address --------------------------------------------------------------- */

static void test_neighbor_address_lower_wins(void **state)
{
	(void)state;
	/* Two sessions to the same router (same identifier), same attributes. */
	set_peer(&peer_a, true, 0x01010101, "10.0.0.1");
	set_peer(&peer_b, true, 0x01010101, "10.0.0.2");
	struct spec s = { PATH_65001_1 };
	struct bgp_path a = { .attrs = intern(&s), .peer = &peer_a };
	struct bgp_path b = { .attrs = a.attrs, .peer = &peer_b };
	bgp_attrs_ref(a.attrs);
	expect_better(&a, &b, "neighbor address");
	/* a path against itself */
	const char *reason = NULL;
	assert_int_equal(bgp_path_compare(&a, &a, &reason), 0);
	assert_string_equal(reason, "identical");
}

static void test_neighbor_address_ipv6(void **state)
{
	(void)state;
	set_peer(&peer_a, false, 0x01010101, "2001:db8::1");
	set_peer(&peer_b, false, 0x01010101, "2001:db8::10");
	struct spec s = { PATH_65001_1 };
	struct bgp_path a = { .attrs = intern(&s), .peer = &peer_a };
	struct bgp_path b = { .attrs = a.attrs, .peer = &peer_b };
	bgp_attrs_ref(a.attrs);
	expect_better(&a, &b, "neighbor address");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_weight_local_beats_learned),
		T(test_local_pref_higher_wins),
		T(test_local_pref_absent_is_100),
		T(test_locally_originated_wins),
		T(test_as_path_shorter_wins),
		T(test_as_path_as_set_counts_one),
		T(test_as_path_confed_counts_zero),
		T(test_origin_lowest_wins),
		T(test_med_lower_wins_same_neighbor_as),
		T(test_med_missing_is_lowest),
		T(test_med_not_compared_across_neighbor_as),
		T(test_med_always_compare),
		T(test_ebgp_over_ibgp),
		T(test_igp_metric_lower_wins),
		T(test_router_id_lower_wins),
		T(test_router_id_uses_originator_id),
		T(test_cluster_list_shorter_wins),
		T(test_neighbor_address_lower_wins),
		T(test_neighbor_address_ipv6),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
