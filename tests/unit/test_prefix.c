/* DOC: unit tests of the one prefix type (lib/prefix.h): making prefixes (host bits masked,
 * /0, /32, /128), equality and the order configuration printing relies on, containment, the
 * hash input and keyed hash, and the text forms. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/prefix.h"

static struct ip_addr addr_of(const char *text)
{
	struct ip_addr a;
	assert_true(ip_addr_parse(text, &a));
	return a;
}

static struct prefix make(const char *text, uint8_t len)
{
	struct ip_addr a = addr_of(text);
	return prefix_make(&a, len);
}

static void assert_text(const struct prefix *p, const char *want)
{
	char buf[PREFIX_STRLEN];
	assert_string_equal(prefix_format(p, buf), want);
}

static void test_layout_is_the_rib_key(void **state)
{
	(void)state;
	/* The BGP RIB hashes and stores one per prefix of a full table: 18 octets, no padding. */
	assert_int_equal(sizeof(struct prefix), 18);
	assert_int_equal(offsetof(struct prefix, addr), 2);
}

static void test_make_masks_host_bits(void **state)
{
	(void)state;
	struct prefix p = make("10.1.2.3", 8);
	assert_int_equal(p.family, AF_INET);
	assert_int_equal(p.len, 8);
	assert_text(&p, "10.0.0.0/8");
	assert_int_equal(prefix_v4(&p), 0x0a000000u);
	/* the octets past an IPv4 address are zero, so equal prefixes are equal octet for octet */
	for (size_t i = 4; i < 16; i++)
		assert_int_equal(p.addr[i], 0);
	/* a length inside an octet */
	p = make("192.168.255.255", 20);
	assert_text(&p, "192.168.240.0/20");
	p = make("2001:db8:ffff::1", 33);
	assert_text(&p, "2001:db8:8000::/33");
	/* has_host_bits says whether make would change the address */
	struct ip_addr a = addr_of("10.1.0.0");
	assert_true(prefix_has_host_bits(&a, 8));
	assert_false(prefix_has_host_bits(&a, 16));
	a = addr_of("2001:db8::1");
	assert_true(prefix_has_host_bits(&a, 64));
	assert_false(prefix_has_host_bits(&a, 128));
}

static void test_edge_lengths(void **state)
{
	(void)state;
	struct prefix p = make("255.255.255.255", 0);
	assert_text(&p, "0.0.0.0/0");
	assert_int_equal(prefix_v4(&p), 0);
	p = make("255.255.255.255", 32);
	assert_text(&p, "255.255.255.255/32");
	assert_int_equal(prefix_v4(&p), 0xffffffffu);
	p = make("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 128);
	assert_text(&p, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128");
	p = make("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 0);
	assert_text(&p, "::/0");
	p = make("ffff::", 1);
	assert_text(&p, "8000::/1");
	/* clear_host_bits in place, and on octets past the family's address */
	struct prefix q = { .family = AF_INET, .len = 24, .addr = { 10, 1, 2, 3, 9, 9 } };
	prefix_clear_host_bits(&q);
	struct prefix want = prefix_from_v4(0x0a010200u, 24);
	assert_memory_equal(&q, &want, sizeof(q));
	assert_text(&q, "10.1.2.0/24");
	/* from a host-order value */
	p = prefix_from_v4(0xc0a80101u, 31);
	assert_text(&p, "192.168.1.0/31");
	char buf[IP_ADDR_STRLEN];
	assert_string_equal(prefix_format_address(&p, buf), "192.168.1.0");
	struct ip_addr a = prefix_address(&p);
	struct ip_addr b = addr_of("192.168.1.0");
	assert_true(ip_addr_equal(&a, &b));
}

static void test_equal(void **state)
{
	(void)state;
	struct prefix a = make("10.0.0.0", 8), b = make("10.255.0.1", 8);
	assert_true(prefix_equal(&a, &b));
	b = make("10.0.0.0", 9);
	assert_false(prefix_equal(&a, &b));
	b = make("11.0.0.0", 8);
	assert_false(prefix_equal(&a, &b));
	/* the same octets in another family are another prefix */
	b = make("a00::", 8);
	assert_false(prefix_equal(&a, &b));
	assert_int_equal(a.addr[0], b.addr[0]);
}

static int compare_qsort(const void *a, const void *b)
{
	return prefix_compare(a, b);
}

static void test_compare_order(void **state)
{
	(void)state;
	/* `show running-config` lists networks and static routes in this order: IPv4 before
	 * IPv6; by address as a number (not as text: 9 before 10, 10.0.0.0 before 10.1.0.0);
	 * at one address, the shorter first. */
	struct prefix sorted[] = {
		make("0.0.0.0", 0),   make("9.0.0.0", 8),    make("10.0.0.0", 8),     make("10.0.0.0", 16),
		make("10.1.0.0", 16), make("128.0.0.0", 1),  make("255.255.255.255", 32), make("::", 0),
		make("2001:db8::", 32), make("2001:db8::", 48), make("2001:db9::", 32),
	};
	size_t n = sizeof(sorted) / sizeof(sorted[0]);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(prefix_compare(&sorted[i], &sorted[i]), 0);
		for (size_t j = i + 1; j < n; j++) {
			assert_true(prefix_compare(&sorted[i], &sorted[j]) < 0);
			assert_true(prefix_compare(&sorted[j], &sorted[i]) > 0);
		}
	}
	/* shuffled, then sorted back */
	struct prefix shuffled[sizeof(sorted) / sizeof(sorted[0])];
	for (size_t i = 0; i < n; i++)
		shuffled[i] = sorted[(i * 7 + 3) % n];
	qsort(shuffled, n, sizeof(shuffled[0]), compare_qsort);
	assert_memory_equal(shuffled, sorted, sizeof(sorted));
}

static void test_contains(void **state)
{
	(void)state;
	struct prefix ten = make("10.0.0.0", 8), sub = make("10.20.0.0", 16), other = make("11.0.0.0", 16);
	struct prefix all = make("0.0.0.0", 0), host = make("10.20.30.40", 32);
	assert_true(prefix_contains(&ten, &sub));
	assert_true(prefix_contains(&ten, &ten));
	assert_true(prefix_contains(&ten, &host));
	assert_false(prefix_contains(&sub, &ten));
	assert_false(prefix_contains(&ten, &other));
	assert_true(prefix_contains(&all, &other));
	assert_true(prefix_contains(&all, &host));
	assert_true(prefix_contains(&host, &host));
	/* a /0 of one family does not contain the other's prefixes */
	struct prefix all6 = make("::", 0), v6 = make("2001:db8::1", 128);
	assert_false(prefix_contains(&all, &v6));
	assert_false(prefix_contains(&all6, &host));
	assert_true(prefix_contains(&all6, &v6));
	struct prefix doc = make("2001:db8::", 32), near = make("2001:db9::", 48);
	assert_true(prefix_contains(&doc, &v6));
	assert_false(prefix_contains(&doc, &near));
}

static void test_hash(void **state)
{
	(void)state;
	uint8_t in[PREFIX_HASH_INPUT_MAX];
	struct prefix p = make("10.1.0.0", 16);
	assert_int_equal(prefix_hash_input(&p, in), 5);
	const uint8_t want4[] = { 10, 1, 0, 0, 16 };
	assert_memory_equal(in, want4, sizeof(want4));
	/* IPv4: the keyed word of the octets, the first in the low bits */
	assert_true(prefix_v4_hash_word(p.addr, p.len) == 0x100000010aull);
	assert_true(prefix_hash_keyed(&p) == hash_keyed_word(0x100000010aull));
	struct prefix q = make("10.1.0.0", 17);
	assert_true(prefix_hash_keyed(&p) != prefix_hash_keyed(&q));
	struct prefix v6 = make("2001:db8::", 128);
	assert_int_equal(prefix_hash_input(&v6, in), 17);
	assert_int_equal(in[0], 0x20);
	assert_int_equal(in[16], 128);
	assert_true(prefix_hash_keyed(&v6) == hash_keyed(in, 17));
	/* equal prefixes made from different addresses hash alike */
	struct prefix r = make("10.1.99.99", 16);
	assert_true(prefix_hash_keyed(&p) == prefix_hash_keyed(&r));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_is_the_rib_key),
		cmocka_unit_test(test_make_masks_host_bits),
		cmocka_unit_test(test_edge_lengths),
		cmocka_unit_test(test_equal),
		cmocka_unit_test(test_compare_order),
		cmocka_unit_test(test_contains),
		cmocka_unit_test(test_hash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
