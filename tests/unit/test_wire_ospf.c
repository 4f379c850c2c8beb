/*
 * DOC: unit tests of the OSPFv2 codecs (wire/ospf.h) against golden bytes both ways.
 *
 * The golden packets were computed independently (a Python script following RFC 2328 §D.4
 * for the packet checksum and MD5 digest and ISO 8473 / RFC 905 for the LSA checksum).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "lib/md5.h"
#include "wire/ospf.h"

/* Hello from 2.2.2.2 area 0: mask /24, hello 10, options E, priority 1, dead 40,
 * DR 192.168.1.1, BDR 0, neighbour 1.1.1.1 */
static const uint8_t hello_null[] = {
	0x02, 0x01, 0x00, 0x30, 0x02, 0x02, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x34, 0xeb, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0x00, 0x00, 0x0a, 0x02, 0x01,
	0x00, 0x00, 0x00, 0x28, 0xc0, 0xa8, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x01, 0x01, 0x01 };
static const uint8_t hello_simple[] = {
	0x02, 0x01, 0x00, 0x30, 0x02, 0x02, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x34, 0xea, 0x00, 0x01,
	0x73, 0x65, 0x63, 0x72, 0x65, 0x74, 0x00, 0x00, 0xff, 0xff, 0xff, 0x00, 0x00, 0x0a, 0x02, 0x01,
	0x00, 0x00, 0x00, 0x28, 0xc0, 0xa8, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x01, 0x01, 0x01 };
/* key id 1, key "key", crypto sequence 7 */
static const uint8_t hello_md5[] = {
	0x02, 0x01, 0x00, 0x30, 0x02, 0x02, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x00, 0x00, 0x01, 0x10, 0x00, 0x00, 0x00, 0x07, 0xff, 0xff, 0xff, 0x00, 0x00, 0x0a, 0x02, 0x01,
	0x00, 0x00, 0x00, 0x28, 0xc0, 0xa8, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x01, 0x01, 0x01,
	0x56, 0x6f, 0xc2, 0x17, 0xc4, 0xd5, 0xbd, 0x8b, 0x4c, 0x59, 0xe0, 0x54, 0x97, 0xf5, 0xbb, 0xa3 };
/* LSU with a router LSA (2.2.2.2: transit to DR 192.168.1.1 cost 10, stub 2.2.2.2/32) and a
 * network LSA (192.168.1.1/24 by 1.1.1.1, attached 1.1.1.1 and 2.2.2.2) */
static const uint8_t lsu[] = {
	0x02, 0x04, 0x00, 0x6c, 0x02, 0x02, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x91, 0xef, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01, 0x02, 0x01,
	0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x80, 0x00, 0x00, 0x01, 0xe8, 0x5f, 0x00, 0x30,
	0x02, 0x00, 0x00, 0x02, 0xc0, 0xa8, 0x01, 0x01, 0xc0, 0xa8, 0x01, 0x02, 0x02, 0x00, 0x00, 0x0a,
	0x02, 0x02, 0x02, 0x02, 0xff, 0xff, 0xff, 0xff, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x02,
	0xc0, 0xa8, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x80, 0x00, 0x00, 0x05, 0x1b, 0xbf, 0x00, 0x20,
	0xff, 0xff, 0xff, 0x00, 0x01, 0x01, 0x01, 0x01, 0x02, 0x02, 0x02, 0x02 };

static struct ospf_hello golden_hello(void)
{
	struct ospf_hello h = { .mask = 0xffffff00, .hello_interval = 10, .options = OSPF_OPT_E,
				.priority = 1, .dead_interval = 40, .dr = 0xc0a80101, .bdr = 0,
				.neighbor_count = 1 };
	h.neighbors[0] = 0x01010101;
	return h;
}

static void test_hello_decode(void **state)
{
	(void)state;
	struct ospf_header h;
	struct reader body;
	assert_int_equal(ospf_packet_decode(hello_null, sizeof(hello_null), &h, &body), OSPF_WIRE_OK);
	assert_int_equal(h.type, OSPF_HELLO);
	assert_int_equal(h.router_id, 0x02020202);
	assert_int_equal(h.area_id, 0);
	struct ospf_auth none = { .type = OSPF_AUTH_NULL };
	assert_int_equal(ospf_packet_auth_check(hello_null, sizeof(hello_null), &h, &none), OSPF_WIRE_OK);
	struct ospf_hello hello;
	assert_int_equal(ospf_hello_decode(body, &hello), OSPF_WIRE_OK);
	struct ospf_hello want = golden_hello();
	assert_int_equal(hello.mask, want.mask);
	assert_int_equal(hello.hello_interval, 10);
	assert_int_equal(hello.dead_interval, 40);
	assert_int_equal(hello.priority, 1);
	assert_int_equal(hello.dr, want.dr);
	assert_int_equal(hello.neighbor_count, 1);
	assert_int_equal(hello.neighbors[0], 0x01010101);
}

static size_t encode_hello(uint8_t *buf, size_t cap, const struct ospf_auth *auth, uint32_t seq)
{
	struct writer w = writer_make(buf, cap);
	ospf_packet_begin(&w, OSPF_HELLO, 0x02020202, 0);
	struct ospf_hello h = golden_hello();
	ospf_hello_encode(&w, &h);
	return ospf_packet_finish(&w, auth, seq);
}

static void test_hello_encode(void **state)
{
	(void)state;
	uint8_t buf[128];
	struct ospf_auth none = { .type = OSPF_AUTH_NULL };
	size_t n = encode_hello(buf, sizeof(buf), &none, 0);
	assert_int_equal(n, sizeof(hello_null));
	assert_memory_equal(buf, hello_null, n);

	struct ospf_auth simple = { .type = OSPF_AUTH_SIMPLE };
	memcpy(simple.key, "secret", 6);
	n = encode_hello(buf, sizeof(buf), &simple, 0);
	assert_int_equal(n, sizeof(hello_simple));
	assert_memory_equal(buf, hello_simple, n);

	struct ospf_auth md5 = { .type = OSPF_AUTH_CRYPTO, .key_id = 1 };
	memcpy(md5.key, "key", 3);
	n = encode_hello(buf, sizeof(buf), &md5, 7);
	assert_int_equal(n, sizeof(hello_md5));
	assert_memory_equal(buf, hello_md5, n);

	/* a writer too small fails cleanly */
	assert_int_equal(encode_hello(buf, 40, &none, 0), 0);
}

static void test_auth(void **state)
{
	(void)state;
	struct ospf_header h;
	struct reader body;
	struct ospf_auth simple = { .type = OSPF_AUTH_SIMPLE };
	memcpy(simple.key, "secret", 6);
	assert_int_equal(ospf_packet_decode(hello_simple, sizeof(hello_simple), &h, &body), OSPF_WIRE_OK);
	assert_int_equal(ospf_packet_auth_check(hello_simple, sizeof(hello_simple), &h, &simple), OSPF_WIRE_OK);
	simple.key[0] = 'S';
	assert_int_equal(ospf_packet_auth_check(hello_simple, sizeof(hello_simple), &h, &simple),
			 OSPF_WIRE_BAD_AUTH);
	struct ospf_auth none = { .type = OSPF_AUTH_NULL };
	assert_int_equal(ospf_packet_auth_check(hello_simple, sizeof(hello_simple), &h, &none), OSPF_WIRE_BAD_AUTH);

	struct ospf_auth md5 = { .type = OSPF_AUTH_CRYPTO, .key_id = 1 };
	memcpy(md5.key, "key", 3);
	assert_int_equal(ospf_packet_decode(hello_md5, sizeof(hello_md5), &h, &body), OSPF_WIRE_OK);
	assert_int_equal(h.key_id, 1);
	assert_int_equal(h.crypto_seq, 7);
	assert_int_equal(ospf_packet_auth_check(hello_md5, sizeof(hello_md5), &h, &md5), OSPF_WIRE_OK);
	md5.key[0] = 'K';
	assert_int_equal(ospf_packet_auth_check(hello_md5, sizeof(hello_md5), &h, &md5), OSPF_WIRE_BAD_AUTH);
	/* digest missing */
	memcpy(md5.key, "key", 3);
	assert_int_equal(ospf_packet_auth_check(hello_md5, sizeof(hello_md5) - 1, &h, &md5), OSPF_WIRE_BAD_AUTH);
}

static void test_header_errors(void **state)
{
	(void)state;
	struct ospf_header h;
	struct reader body;
	uint8_t p[sizeof(hello_null)];
	memcpy(p, hello_null, sizeof(p));
	assert_int_equal(ospf_packet_decode(p, 10, &h, &body), OSPF_WIRE_TRUNCATED);
	assert_int_equal(ospf_packet_decode(p, sizeof(p) - 1, &h, &body), OSPF_WIRE_BAD_LENGTH);
	p[13] ^= 1;
	assert_int_equal(ospf_packet_decode(p, sizeof(p), &h, &body), OSPF_WIRE_BAD_CHECKSUM);
	p[13] ^= 1;
	p[0] = 3;
	assert_int_equal(ospf_packet_decode(p, sizeof(p), &h, &body), OSPF_WIRE_BAD_VERSION);
	p[0] = 2;
	p[1] = 6;
	assert_int_equal(ospf_packet_decode(p, sizeof(p), &h, &body), OSPF_WIRE_BAD_TYPE);
	/* a hello body with a torn neighbour */
	const uint8_t torn[] = { 0xff, 0xff, 0xff, 0, 0, 10, 2, 1, 0, 0, 0, 40, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1 };
	struct ospf_hello hello;
	assert_int_equal(ospf_hello_decode(reader_make(torn, sizeof(torn)), &hello), OSPF_WIRE_TRUNCATED);
}

static void test_lsu_decode(void **state)
{
	(void)state;
	struct ospf_header h;
	struct reader body;
	assert_int_equal(ospf_packet_decode(lsu, sizeof(lsu), &h, &body), OSPF_WIRE_OK);
	uint32_t count;
	assert_int_equal(ospf_lsu_count(&body, &count), OSPF_WIRE_OK);
	assert_int_equal(count, 2);
	struct ospf_lsa_raw lsa;
	assert_int_equal(ospf_lsu_next(&body, &lsa), OSPF_WIRE_OK);
	assert_int_equal(lsa.header.type, OSPF_LSA_ROUTER);
	assert_int_equal(lsa.header.id, 0x02020202);
	assert_int_equal(lsa.header.seq, OSPF_INITIAL_SEQ);
	assert_int_equal(lsa.header.checksum, 0xe85f);
	assert_int_equal(lsa.len, 48);
	struct ospf_router_lsa rl;
	assert_int_equal(ospf_router_lsa_decode(lsa.data, lsa.len, &rl), OSPF_WIRE_OK);
	assert_int_equal(rl.flags, OSPF_ROUTER_E);
	struct ospf_router_link l;
	assert_true(ospf_router_link_next(&rl, &l));
	assert_int_equal(l.type, OSPF_LINK_TRANSIT);
	assert_int_equal(l.id, 0xc0a80101);
	assert_int_equal(l.data, 0xc0a80102);
	assert_int_equal(l.metric, 10);
	assert_true(ospf_router_link_next(&rl, &l));
	assert_int_equal(l.type, OSPF_LINK_STUB);
	assert_int_equal(l.data, 0xffffffff);
	assert_false(ospf_router_link_next(&rl, &l));

	assert_int_equal(ospf_lsu_next(&body, &lsa), OSPF_WIRE_OK);
	assert_int_equal(lsa.header.type, OSPF_LSA_NETWORK);
	struct ospf_network_lsa nl;
	assert_int_equal(ospf_network_lsa_decode(lsa.data, lsa.len, &nl), OSPF_WIRE_OK);
	assert_int_equal(nl.mask, 0xffffff00);
	assert_int_equal(nl.router_count, 2);
	assert_int_equal(reader_u32(&nl.routers), 0x01010101);
	assert_int_equal(reader_u32(&nl.routers), 0x02020202);
	assert_true(reader_empty(&body));
}

static void test_lsa_encode(void **state)
{
	(void)state;
	uint8_t buf[256];
	struct writer w = writer_make(buf, sizeof(buf));
	ospf_packet_begin(&w, OSPF_LSU, 0x02020202, 0);
	writer_u32(&w, 2);
	struct ospf_lsa_header rh = { .age = 1, .options = OSPF_OPT_E, .type = OSPF_LSA_ROUTER,
				      .id = 0x02020202, .adv_router = 0x02020202, .seq = OSPF_INITIAL_SEQ };
	size_t start = ospf_lsa_begin(&w, &rh);
	writer_u8(&w, OSPF_ROUTER_E);
	writer_u8(&w, 0);
	writer_u16(&w, 2);
	ospf_router_link_write(&w, &(struct ospf_router_link){ .id = 0xc0a80101, .data = 0xc0a80102,
							     .type = OSPF_LINK_TRANSIT, .metric = 10 });
	ospf_router_link_write(&w, &(struct ospf_router_link){ .id = 0x02020202, .data = 0xffffffff,
							     .type = OSPF_LINK_STUB, .metric = 0 });
	ospf_lsa_end(&w, start);
	struct ospf_lsa_header nh = { .age = 1, .options = OSPF_OPT_E, .type = OSPF_LSA_NETWORK,
				      .id = 0xc0a80101, .adv_router = 0x01010101, .seq = OSPF_INITIAL_SEQ + 4 };
	start = ospf_lsa_begin(&w, &nh);
	writer_u32(&w, 0xffffff00);
	writer_u32(&w, 0x01010101);
	writer_u32(&w, 0x02020202);
	ospf_lsa_end(&w, start);
	size_t n = ospf_packet_finish(&w, NULL, 0);
	assert_int_equal(n, sizeof(lsu));
	assert_memory_equal(buf, lsu, n);
}

static void test_lsa_checksum_and_errors(void **state)
{
	(void)state;
	uint8_t p[sizeof(lsu)];
	memcpy(p, lsu, sizeof(p));
	/* the age is not covered */
	p[28] = 0x0e;
	p[29] = 0x10;
	struct reader r = reader_make(p, sizeof(p));
	reader_skip(&r, 28);
	struct ospf_lsa_raw lsa;
	assert_int_equal(ospf_lsu_next(&r, &lsa), OSPF_WIRE_OK);
	assert_int_equal(lsa.header.age, 3600);
	/* a flipped body byte is caught */
	p[60] ^= 0x40;
	r = reader_make(p, sizeof(p));
	reader_skip(&r, 28);
	assert_int_equal(ospf_lsu_next(&r, &lsa), OSPF_WIRE_BAD_LSA_CHECKSUM);
	p[60] ^= 0x40;
	/* an LSA longer than what is left */
	r = reader_make(p, sizeof(p) - 4);
	reader_skip(&r, 28 + 48);
	assert_int_equal(ospf_lsu_next(&r, &lsa), OSPF_WIRE_BAD_LSA_LENGTH);
	/* truncated header */
	r = reader_make(p, 28 + 10);
	reader_skip(&r, 28);
	assert_int_equal(ospf_lsu_next(&r, &lsa), OSPF_WIRE_TRUNCATED);
	/* a router LSA whose link count lies */
	uint8_t bad[48];
	memcpy(bad, lsu + 28, 48);
	bad[23] = 3;
	ospf_lsa_checksum_set(bad, sizeof(bad));
	assert_true(ospf_lsa_checksum_ok(bad, sizeof(bad)));
	struct ospf_router_lsa rl;
	assert_int_equal(ospf_router_lsa_decode(bad, sizeof(bad), &rl), OSPF_WIRE_BAD_LSA);
}

static void test_compare(void **state)
{
	(void)state;
	struct ospf_lsa_header a = { .seq = 5, .checksum = 1, .age = 10 }, b = a;
	assert_int_equal(ospf_lsa_compare(&a, &b), 0);
	b.seq = 6;
	assert_true(ospf_lsa_compare(&a, &b) < 0);
	b = a;
	b.checksum = 2;
	assert_true(ospf_lsa_compare(&a, &b) < 0);
	b = a;
	b.age = OSPF_MAX_AGE;
	assert_true(ospf_lsa_compare(&a, &b) < 0);
	b = a;
	b.age = 1000;
	assert_true(ospf_lsa_compare(&a, &b) > 0);
	b.age = 800;
	assert_int_equal(ospf_lsa_compare(&a, &b), 0);
	/* sequence numbers are signed: 0x80000001 is the oldest */
	a.seq = OSPF_INITIAL_SEQ;
	b = a;
	b.seq = 1;
	assert_true(ospf_lsa_compare(&a, &b) < 0);
}

static void test_md5_vectors(void **state)
{
	(void)state;
	/* RFC 1321 A.5 */
	struct md5 m;
	uint8_t d[16];
	md5_init(&m);
	md5_update(&m, (const uint8_t *)"abc", 3);
	md5_final(&m, d);
	const uint8_t abc[16] = { 0x90, 0x01, 0x50, 0x98, 0x3c, 0xd2, 0x4f, 0xb0, 0xd6, 0x96, 0x3f, 0x7d,
				  0x28, 0xe1, 0x7f, 0x72 };
	assert_memory_equal(d, abc, 16);
	const char *long_text = "12345678901234567890123456789012345678901234567890123456789012345678901234567890";
	md5_init(&m);
	md5_update(&m, (const uint8_t *)long_text, strlen(long_text));
	md5_final(&m, d);
	const uint8_t digits[16] = { 0x57, 0xed, 0xf4, 0xa2, 0x2b, 0xe3, 0xc9, 0x55, 0xac, 0x49, 0xda, 0x2e,
				     0x21, 0x07, 0xb6, 0x7a };
	assert_memory_equal(d, digits, 16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hello_decode),
		cmocka_unit_test(test_hello_encode),
		cmocka_unit_test(test_auth),
		cmocka_unit_test(test_header_errors),
		cmocka_unit_test(test_lsu_decode),
		cmocka_unit_test(test_lsa_encode),
		cmocka_unit_test(test_lsa_checksum_and_errors),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_md5_vectors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
