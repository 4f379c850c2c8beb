/*
 * DOC: unit tests of the RIP message codec (src/wire/rip.h) and of MD5 (src/lib/md5.h).
 *
 * Golden bytes both ways: a RIPv2 Response with two routes, a whole-table Request, a RIPv1
 * Response, plain-text and keyed-MD5 authenticated messages (the MD5 digest was computed
 * independently with Python's hashlib); then every classified error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "lib/md5.h"
#include "wire/rip.h"

static const uint8_t response_v2[] = {
	2, 2, 0, 0,
	0, 2, 0, 7, 10, 1, 0, 0, 255, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	0, 2, 0, 0, 192, 168, 0, 0, 255, 255, 0, 0, 10, 0, 0, 9, 0, 0, 0, 16,
};

static void test_response_golden(void **state)
{
	(void)state;
	struct rip_packet p;
	assert_int_equal(rip_decode(response_v2, sizeof(response_v2), &p), RIP_OK);
	assert_int_equal(p.command, RIP_RESPONSE);
	assert_int_equal(p.version, 2);
	assert_false(p.has_auth);
	assert_int_equal(p.count, 2);
	assert_int_equal(p.entries[0].afi, RIP_AFI_INET);
	assert_int_equal(p.entries[0].tag, 7);
	assert_int_equal(p.entries[0].addr, 0x0a010000);
	assert_int_equal(p.entries[0].mask, 0xffffff00);
	assert_int_equal(p.entries[0].metric, 1);
	assert_int_equal(p.entries[1].next_hop, 0x0a000009);
	assert_int_equal(p.entries[1].metric, 16);
	uint8_t buf[RIP_MAX_PACKET];
	size_t n = rip_encode(&p, NULL, buf, sizeof(buf));
	assert_int_equal(n, sizeof(response_v2));
	assert_memory_equal(buf, response_v2, n);
	/* too small a buffer: nothing */
	assert_int_equal(rip_encode(&p, NULL, buf, sizeof(response_v2) - 1), 0);
}

static void test_request_whole_table(void **state)
{
	(void)state;
	static const uint8_t req[] = { 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
				       0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 16 };
	struct rip_packet p;
	assert_int_equal(rip_decode(req, sizeof(req), &p), RIP_OK);
	assert_true(rip_is_whole_table_request(&p));
	struct rip_packet q = { .command = RIP_REQUEST, .version = 2, .count = 1 };
	q.entries[0].metric = RIP_INFINITY;
	uint8_t buf[64];
	size_t n = rip_encode(&q, NULL, buf, sizeof(buf));
	assert_int_equal(n, sizeof(req));
	assert_memory_equal(buf, req, n);
	/* a Request for one route is not a whole-table Request; its metric is not checked */
	static const uint8_t one[] = { 1, 2, 0, 0, 0, 2, 0, 0, 10, 0, 0, 0, 255, 0, 0, 0,
				       0, 0, 0, 0, 0, 0, 0, 0 };
	assert_int_equal(rip_decode(one, sizeof(one), &p), RIP_OK);
	assert_false(rip_is_whole_table_request(&p));
}

static void test_v1(void **state)
{
	(void)state;
	static const uint8_t v1[] = { 2, 1, 0, 0, 0, 2, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0,
				      0, 0, 0, 0, 0, 0, 0, 3 };
	struct rip_packet p;
	assert_int_equal(rip_decode(v1, sizeof(v1), &p), RIP_OK);
	assert_int_equal(p.version, 1);
	assert_int_equal(p.entries[0].metric, 3);
	uint8_t buf[64];
	assert_int_equal(rip_encode(&p, NULL, buf, sizeof(buf)), sizeof(v1));
	assert_memory_equal(buf, v1, sizeof(v1));
	/* RFC 1058 §3.4: must-be-zero fields */
	uint8_t bad[sizeof(v1)];
	memcpy(bad, v1, sizeof(v1));
	bad[13] = 255; /* a mask */
	assert_int_equal(rip_decode(bad, sizeof(bad), &p), RIP_ERR_MBZ);
	memcpy(bad, v1, sizeof(v1));
	bad[3] = 1;
	assert_int_equal(rip_decode(bad, sizeof(bad), &p), RIP_ERR_MBZ);
	/* no authentication in version 1 */
	memcpy(bad, v1, sizeof(v1));
	bad[4] = bad[5] = 0xff;
	assert_int_equal(rip_decode(bad, sizeof(bad), &p), RIP_ERR_AFI);
}

static const uint8_t text_auth[] = {
	2, 2, 0, 0,
	0xff, 0xff, 0, 2, 's', 'e', 'c', 'r', 'e', 't', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 2, 0, 0, 10, 1, 0, 0, 255, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0, 1,
};

static void test_text_auth(void **state)
{
	(void)state;
	struct rip_packet p;
	assert_int_equal(rip_decode(text_auth, sizeof(text_auth), &p), RIP_OK);
	assert_true(p.has_auth);
	assert_int_equal(p.auth.type, RIP_AUTH_TEXT);
	assert_memory_equal(p.auth.password, "secret\0\0\0\0\0\0\0\0\0\0", 16);
	assert_int_equal(p.count, 1);
	uint8_t buf[RIP_MAX_PACKET];
	assert_int_equal(rip_encode(&p, NULL, buf, sizeof(buf)), sizeof(text_auth));
	assert_memory_equal(buf, text_auth, sizeof(text_auth));
	/* an unknown authentication type */
	uint8_t bad[sizeof(text_auth)];
	memcpy(bad, text_auth, sizeof(bad));
	bad[7] = 9;
	assert_int_equal(rip_decode(bad, sizeof(bad), &p), RIP_ERR_AUTH);
	/* 25 entries after the authentication entry: one too many */
	uint8_t big[4 + 26 * 20];
	memset(big, 0, sizeof(big));
	memcpy(big, text_auth, 24);
	for (int i = 0; i < 25; i++)
		memcpy(big + 24 + 20 * i, text_auth + 24, 20);
	assert_int_equal(rip_decode(big, sizeof(big), &p), RIP_ERR_TOO_LONG);
	assert_int_equal(rip_decode(big, sizeof(big) - 20, &p), RIP_OK);
	assert_int_equal(p.count, 24);
}

static const uint8_t md5_auth[] = {
	2, 2, 0, 0,
	0xff, 0xff, 0, 3, 0, 44, 1, 16, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 2, 0, 0, 10, 1, 0, 0, 255, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	0xff, 0xff, 0, 1,
	0x7f, 0x2f, 0x1c, 0xe8, 0x46, 0x4c, 0x9a, 0x05, 0x1e, 0xd3, 0xec, 0x78, 0xd6, 0xeb, 0xd9, 0x37,
};

static void test_md5_auth(void **state)
{
	(void)state;
	uint8_t key[16] = "secret";
	struct rip_packet p;
	assert_int_equal(rip_decode(md5_auth, sizeof(md5_auth), &p), RIP_OK);
	assert_int_equal(p.auth.type, RIP_AUTH_MD5);
	assert_int_equal(p.auth.trailer_offset, 44);
	assert_int_equal(p.auth.key_id, 1);
	assert_int_equal(p.auth.sequence, 7);
	assert_int_equal(p.count, 1);
	assert_true(rip_md5_verify(md5_auth, sizeof(md5_auth), &p, key));
	uint8_t wrong[16] = "secreT";
	assert_false(rip_md5_verify(md5_auth, sizeof(md5_auth), &p, wrong));
	uint8_t buf[RIP_MAX_PACKET];
	assert_int_equal(rip_encode(&p, key, buf, sizeof(buf)), sizeof(md5_auth));
	assert_memory_equal(buf, md5_auth, sizeof(md5_auth));
	/* a trailer offset past the end, and a missing trailer */
	uint8_t bad[sizeof(md5_auth)];
	memcpy(bad, md5_auth, sizeof(bad));
	bad[9] = 200;
	assert_int_equal(rip_decode(bad, sizeof(bad), &p), RIP_ERR_AUTH);
	assert_int_equal(rip_decode(md5_auth, 44, &p), RIP_ERR_AUTH);
	memcpy(bad, md5_auth, sizeof(bad));
	bad[47] = 2; /* trailer type */
	assert_int_equal(rip_decode(bad, sizeof(bad), &p), RIP_ERR_AUTH);
}

static void test_errors(void **state)
{
	(void)state;
	struct rip_packet p;
	uint8_t m[sizeof(response_v2)];
	assert_int_equal(rip_decode(response_v2, 3, &p), RIP_ERR_TRUNCATED);
	assert_int_equal(rip_decode(response_v2, 4, &p), RIP_ERR_TRUNCATED);
	assert_int_equal(rip_decode(response_v2, 23, &p), RIP_ERR_TRUNCATED);
	memcpy(m, response_v2, sizeof(m));
	m[1] = 0;
	assert_int_equal(rip_decode(m, sizeof(m), &p), RIP_ERR_VERSION);
	m[1] = 3;
	assert_int_equal(rip_decode(m, sizeof(m), &p), RIP_ERR_VERSION);
	memcpy(m, response_v2, sizeof(m));
	m[0] = 5;
	assert_int_equal(rip_decode(m, sizeof(m), &p), RIP_ERR_COMMAND);
	m[0] = 0;
	assert_int_equal(rip_decode(m, sizeof(m), &p), RIP_ERR_COMMAND);
	memcpy(m, response_v2, sizeof(m));
	m[23] = 0;
	assert_int_equal(rip_decode(m, sizeof(m), &p), RIP_ERR_METRIC);
	m[23] = 17;
	assert_int_equal(rip_decode(m, sizeof(m), &p), RIP_ERR_METRIC);
	memcpy(m, response_v2, sizeof(m));
	m[20] = 1; /* metric 0x01000001 */
	assert_int_equal(rip_decode(m, sizeof(m), &p), RIP_ERR_METRIC);
	memcpy(m, response_v2, sizeof(m));
	m[5] = 10; /* AFI 10 */
	assert_int_equal(rip_decode(m, sizeof(m), &p), RIP_ERR_AFI);
	memcpy(m, response_v2, sizeof(m));
	m[14] = 0; /* 255.255.0.0 -> 255.255.0.0? make it 255.0.255.0 */
	m[13] = 0;
	m[14] = 255;
	assert_int_equal(rip_decode(m, sizeof(m), &p), RIP_ERR_MASK);
	/* an authentication entry in second place is just a bad AFI */
	memcpy(m, response_v2, sizeof(m));
	m[24] = m[25] = 0xff;
	assert_int_equal(rip_decode(m, sizeof(m), &p), RIP_ERR_AFI);
	/* a whole-table entry in a Response is a bad AFI */
	memcpy(m, response_v2, sizeof(m));
	m[5] = 0;
	assert_int_equal(rip_decode(m, sizeof(m), &p), RIP_ERR_AFI);
	/* 26 entries */
	uint8_t big[4 + 26 * 20];
	memcpy(big, response_v2, 4);
	for (int i = 0; i < 26; i++)
		memcpy(big + 4 + 20 * i, response_v2 + 4, 20);
	assert_int_equal(rip_decode(big, sizeof(big), &p), RIP_ERR_TOO_LONG);
	assert_int_equal(rip_decode(big, sizeof(big) - 20, &p), RIP_OK);
	assert_int_equal(p.count, 25);
	p.count = 26;
	assert_int_equal(rip_encode(&p, NULL, big, sizeof(big)), 0);
	assert_string_equal(rip_error_name(RIP_ERR_METRIC), "bad metric");
	assert_string_equal(rip_error_name(RIP_ERR_COUNT), "unknown");
}

static void test_md5_vectors(void **state)
{
	(void)state;
	/* RFC 1321 §A.5 */
	static const struct {
		const char *in, *hex;
	} v[] = {
		{ "", "d41d8cd98f00b204e9800998ecf8427e" },
		{ "abc", "900150983cd24fb0d6963f7d28e17f72" },
		{ "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
		{ "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
		  "57edf4a22be3c955ac49da2e2107b67a" },
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		uint8_t d[16];
		md5(v[i].in, strlen(v[i].in), d);
		char hex[33];
		for (int j = 0; j < 16; j++)
			snprintf(hex + 2 * j, 3, "%02x", d[j]);
		assert_string_equal(hex, v[i].hex);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_response_golden),
		cmocka_unit_test(test_request_whole_table),
		cmocka_unit_test(test_v1),
		cmocka_unit_test(test_text_auth),
		cmocka_unit_test(test_md5_auth),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_md5_vectors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
