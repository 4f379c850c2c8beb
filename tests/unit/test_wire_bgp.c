/*
 * DOC: unit tests of the BGP message codec (src/wire/bgp.h).
 *
 * Golden bytes both ways: each message kind has a hand-written byte array, encode must give
 * exactly those bytes and decode must give back the struct. Then every error the codec maps
 * to a NOTIFICATION, with its code, subcode and data.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "wire/bgp.h"

#define MARKER                                                                         \
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, \
		0xff, 0xff

/* ---- helpers ---------------------------------------------------------------------------- */

static void assert_error(const struct bgp_error *err, uint8_t code, uint8_t subcode)
{
	assert_int_equal(err->code, code);
	assert_int_equal(err->subcode, subcode);
}

static void assert_error_data(const struct bgp_error *err, const uint8_t *data, size_t len)
{
	assert_int_equal(err->data_len, len);
	if (len)
		assert_memory_equal(err->data, data, len);
}

/* Decodes an OPEN body (bytes after the 19-octet header). */
static bool open_body(const uint8_t *body, size_t len, struct bgp_open *out,
		      struct bgp_error *err)
{
	struct reader r = reader_make(body, len);
	return bgp_open_decode(&r, out, err);
}

/* An OPEN body with the given fixed fields and optional parameters (normal form). */
static size_t make_open_body(uint8_t *buf, uint8_t version, uint16_t as, uint16_t hold,
			     uint32_t id, const uint8_t *params, uint8_t params_len)
{
	struct writer w = writer_make(buf, 512);
	writer_u8(&w, version);
	writer_u16(&w, as);
	writer_u16(&w, hold);
	writer_u32(&w, id);
	writer_u8(&w, params_len);
	writer_bytes(&w, params, params_len);
	return w.len;
}

/* ---- framing ---------------------------------------------------------------------------- */

static const uint8_t keepalive_bytes[] = {
	MARKER,
	0x00, 0x13, /* length 19 */
	0x04,       /* KEEPALIVE */
};

static void test_keepalive_golden(void **state)
{
	(void)state;
	uint8_t buf[64];
	struct writer w = writer_make(buf, sizeof(buf));
	assert_int_equal(bgp_keepalive_encode(&w), sizeof(keepalive_bytes));
	assert_memory_equal(buf, keepalive_bytes, sizeof(keepalive_bytes));

	struct bgp_header hdr;
	struct bgp_error err;
	assert_int_equal(bgp_frame(keepalive_bytes, sizeof(keepalive_bytes), BGP_MAX_MESSAGE,
				   &hdr, &err),
			 1);
	assert_int_equal(hdr.type, BGP_MSG_KEEPALIVE);
	assert_int_equal(hdr.length, 19);
}

static void test_keepalive_encode_overflow(void **state)
{
	(void)state;
	uint8_t buf[18];
	struct writer w = writer_make(buf, sizeof(buf));
	assert_int_equal(bgp_keepalive_encode(&w), 0);
	assert_false(writer_ok(&w));
}

static void test_frame_partial(void **state)
{
	(void)state;
	/* An UPDATE of 23 octets (empty withdrawn and attributes), followed by a KEEPALIVE. */
	const uint8_t stream[] = {
		MARKER, 0x00, 0x17, 0x02, 0x00, 0x00, 0x00, 0x00, /* UPDATE, length 23 */
		MARKER, 0x00, 0x13, 0x04,                         /* KEEPALIVE */
	};
	struct bgp_header hdr;
	struct bgp_error err;
	/* Nothing, part of the marker, all but the last header octet: need more. */
	assert_int_equal(bgp_frame(stream, 0, BGP_MAX_MESSAGE, &hdr, &err), 0);
	assert_int_equal(bgp_frame(stream, 10, BGP_MAX_MESSAGE, &hdr, &err), 0);
	assert_int_equal(bgp_frame(stream, 18, BGP_MAX_MESSAGE, &hdr, &err), 0);
	/* The header alone: valid, filled in, but the body is still missing. */
	memset(&hdr, 0, sizeof(hdr));
	assert_int_equal(bgp_frame(stream, 19, BGP_MAX_MESSAGE, &hdr, &err), 0);
	assert_int_equal(hdr.length, 23);
	assert_int_equal(hdr.type, BGP_MSG_UPDATE);
	assert_int_equal(bgp_frame(stream, 22, BGP_MAX_MESSAGE, &hdr, &err), 0);
	/* Whole message, then whole message plus part of the next one. */
	assert_int_equal(bgp_frame(stream, 23, BGP_MAX_MESSAGE, &hdr, &err), 1);
	assert_int_equal(bgp_frame(stream, 30, BGP_MAX_MESSAGE, &hdr, &err), 1);
	assert_int_equal(hdr.length, 23);
	/* The next one, from its own start. */
	assert_int_equal(bgp_frame(stream + 23, sizeof(stream) - 23, BGP_MAX_MESSAGE, &hdr, &err),
			 1);
	assert_int_equal(hdr.type, BGP_MSG_KEEPALIVE);
}

static void test_frame_bad_marker(void **state)
{
	(void)state;
	uint8_t msg[] = { MARKER, 0x00, 0x13, 0x04 };
	msg[7] = 0xfe;
	struct bgp_header hdr;
	struct bgp_error err;
	assert_int_equal(bgp_frame(msg, sizeof(msg), BGP_MAX_MESSAGE, &hdr, &err), -1);
	assert_error(&err, 1, 1);
	assert_error_data(&err, NULL, 0);
	/* Seen before the header is complete. */
	assert_int_equal(bgp_frame(msg, 8, BGP_MAX_MESSAGE, &hdr, &err), -1);
	assert_error(&err, 1, 1);
	/* A good partial marker is not an error. */
	assert_int_equal(bgp_frame(msg, 7, BGP_MAX_MESSAGE, &hdr, &err), 0);
}

static void expect_bad_length(const uint8_t *msg, size_t len, size_t max_len, uint8_t hi,
			      uint8_t lo)
{
	struct bgp_header hdr;
	struct bgp_error err;
	assert_int_equal(bgp_frame(msg, len, max_len, &hdr, &err), -1);
	assert_error(&err, 1, 2);
	const uint8_t data[] = { hi, lo };
	assert_error_data(&err, data, 2);
}

static void test_frame_bad_length(void **state)
{
	(void)state;
	const uint8_t len18[] = { MARKER, 0x00, 0x12, 0x04 };
	expect_bad_length(len18, sizeof(len18), BGP_MAX_MESSAGE, 0x00, 0x12);
	const uint8_t len4097[] = { MARKER, 0x10, 0x01, 0x02 };
	expect_bad_length(len4097, sizeof(len4097), BGP_MAX_MESSAGE, 0x10, 0x01);
	/* The same UPDATE is fine once extended messages are negotiated: need more bytes. */
	struct bgp_header hdr;
	struct bgp_error err;
	assert_int_equal(bgp_frame(len4097, sizeof(len4097), BGP_MAX_EXTENDED_MESSAGE, &hdr, &err),
			 0);
	assert_int_equal(hdr.length, 4097);
	/* A KEEPALIVE is exactly 19, even with a body present. */
	const uint8_t keepalive20[] = { MARKER, 0x00, 0x14, 0x04, 0x00 };
	expect_bad_length(keepalive20, sizeof(keepalive20), BGP_MAX_MESSAGE, 0x00, 0x14);
	/* OPEN under 29 octets. */
	const uint8_t open28[] = { MARKER, 0x00, 0x1c, 0x01 };
	expect_bad_length(open28, sizeof(open28), BGP_MAX_MESSAGE, 0x00, 0x1c);
	/* OPEN over 4096 even with extended messages (RFC 8654 §4). */
	const uint8_t open4097[] = { MARKER, 0x10, 0x01, 0x01 };
	expect_bad_length(open4097, sizeof(open4097), BGP_MAX_EXTENDED_MESSAGE, 0x10, 0x01);
	/* UPDATE under 23, NOTIFICATION under 21, ROUTE-REFRESH under 23. */
	const uint8_t update22[] = { MARKER, 0x00, 0x16, 0x02 };
	expect_bad_length(update22, sizeof(update22), BGP_MAX_MESSAGE, 0x00, 0x16);
	const uint8_t notification20[] = { MARKER, 0x00, 0x14, 0x03 };
	expect_bad_length(notification20, sizeof(notification20), BGP_MAX_MESSAGE, 0x00, 0x14);
	const uint8_t refresh22[] = { MARKER, 0x00, 0x16, 0x05 };
	expect_bad_length(refresh22, sizeof(refresh22), BGP_MAX_MESSAGE, 0x00, 0x16);
	/* A bad length wins over a bad type (RFC 4271 §6.1 checks the length first). */
	const uint8_t len18type9[] = { MARKER, 0x00, 0x12, 0x09 };
	expect_bad_length(len18type9, sizeof(len18type9), BGP_MAX_MESSAGE, 0x00, 0x12);
}

static void test_frame_bad_type(void **state)
{
	(void)state;
	const uint8_t msg[] = { MARKER, 0x00, 0x13, 0x09 };
	struct bgp_header hdr;
	struct bgp_error err;
	assert_int_equal(bgp_frame(msg, sizeof(msg), BGP_MAX_MESSAGE, &hdr, &err), -1);
	assert_error(&err, 1, 3);
	const uint8_t data[] = { 0x09 };
	assert_error_data(&err, data, 1);
	const uint8_t type0[] = { MARKER, 0x00, 0x13, 0x00 };
	assert_int_equal(bgp_frame(type0, sizeof(type0), BGP_MAX_MESSAGE, &hdr, &err), -1);
	assert_error(&err, 1, 3);
}

/* ---- OPEN ------------------------------------------------------------------------------- */

static const uint8_t open_bytes[] = {
	MARKER,
	0x00, 0x39,             /* length 57 */
	0x01,                   /* OPEN */
	0x04,                   /* version 4 */
	0xfd, 0xe9,             /* My AS 65001 */
	0x00, 0xb4,             /* Hold Time 180 */
	0x0a, 0x00, 0x00, 0x01, /* BGP Identifier 10.0.0.1 */
	0x1c,                   /* Optional Parameters Length 28 */
	0x02, 0x1a,             /* Capabilities, 26 octets */
	0x01, 0x04, 0x00, 0x01, 0x00, 0x01, /* Multiprotocol IPv4 unicast */
	0x02, 0x00,                         /* Route Refresh */
	0x46, 0x00,                         /* Enhanced Route Refresh */
	0x06, 0x00,                         /* Extended Message */
	0x41, 0x04, 0x00, 0x00, 0xfd, 0xe9, /* 4-octet AS 65001 */
	0x40, 0x06, 0x00, 0x78,             /* Graceful Restart, restart time 120 */
	0x00, 0x01, 0x01, 0x80,             /* IPv4 unicast, forwarding state preserved */
};

static struct bgp_open golden_open(void)
{
	struct bgp_open o;
	memset(&o, 0, sizeof(o));
	o.version = 4;
	o.my_as = 65001;
	o.hold_time = 180;
	o.bgp_id = 0x0a000001;
	o.caps.present = true;
	o.caps.multiprotocol_count = 1;
	o.caps.multiprotocol[0].afi = BGP_AFI_IPV4;
	o.caps.multiprotocol[0].safi = BGP_SAFI_UNICAST;
	o.caps.route_refresh = true;
	o.caps.enhanced_route_refresh = true;
	o.caps.extended_message = true;
	o.caps.as4 = true;
	o.caps.as4_number = 65001;
	o.caps.graceful_restart = true;
	o.caps.gr.flags_and_time = 120;
	o.caps.gr.afi_count = 1;
	o.caps.gr.afi[0].afi = 1;
	o.caps.gr.afi[0].safi = 1;
	o.caps.gr.afi[0].flags = 0x80;
	return o;
}

static void test_open_golden_encode(void **state)
{
	(void)state;
	struct bgp_open o = golden_open();
	uint8_t buf[4096];
	struct writer w = writer_make(buf, sizeof(buf));
	assert_int_equal(bgp_open_encode(&w, &o), sizeof(open_bytes));
	assert_memory_equal(buf, open_bytes, sizeof(open_bytes));
}

static void test_open_golden_decode(void **state)
{
	(void)state;
	struct bgp_header hdr;
	struct bgp_error err;
	assert_int_equal(bgp_frame(open_bytes, sizeof(open_bytes), BGP_MAX_MESSAGE, &hdr, &err), 1);
	assert_int_equal(hdr.type, BGP_MSG_OPEN);
	struct bgp_open got;
	assert_true(open_body(open_bytes + BGP_HEADER_LEN, sizeof(open_bytes) - BGP_HEADER_LEN,
			      &got, &err));
	struct bgp_open want = golden_open();
	assert_memory_equal(&got, &want, sizeof(want));
	assert_int_equal(bgp_open_peer_as(&got), 65001);
	assert_true(bgp_open_check(&got, 65001, 0x0a000002, &err));
}

static void test_open_no_parameters(void **state)
{
	(void)state;
	/* The smallest OPEN: 29 octets, no optional parameters. */
	const uint8_t msg[] = {
		MARKER, 0x00, 0x1d, 0x01,
		0x04, 0x00, 0x64, 0x00, 0x5a, /* version 4, AS 100, hold 90 */
		0xc0, 0x00, 0x02, 0x01, 0x00, /* id 192.0.2.1, no parameters */
	};
	struct bgp_open o;
	memset(&o, 0, sizeof(o));
	o.version = 4;
	o.my_as = 100;
	o.hold_time = 90;
	o.bgp_id = 0xc0000201;
	uint8_t buf[64];
	struct writer w = writer_make(buf, sizeof(buf));
	assert_int_equal(bgp_open_encode(&w, &o), sizeof(msg));
	assert_memory_equal(buf, msg, sizeof(msg));
	struct bgp_open got;
	struct bgp_error err;
	assert_true(open_body(msg + BGP_HEADER_LEN, sizeof(msg) - BGP_HEADER_LEN, &got, &err));
	assert_memory_equal(&got, &o, sizeof(o));
	assert_false(got.caps.present);
	assert_int_equal(bgp_open_peer_as(&got), 100);
}

static void test_open_unsupported_version(void **state)
{
	(void)state;
	uint8_t body[64];
	size_t n = make_open_body(body, 3, 65001, 180, 0x0a000001, NULL, 0);
	struct bgp_open o;
	struct bgp_error err;
	assert_false(open_body(body, n, &o, &err));
	assert_error(&err, 2, 1);
	const uint8_t data[] = { 0x00, 0x04 };
	assert_error_data(&err, data, 2);
	n = make_open_body(body, 5, 65001, 180, 0x0a000001, NULL, 0);
	assert_false(open_body(body, n, &o, &err));
	assert_error(&err, 2, 1);
	assert_error_data(&err, data, 2);
}

static void test_open_hold_time(void **state)
{
	(void)state;
	uint8_t body[64];
	struct bgp_open o;
	struct bgp_error err;
	for (uint16_t hold = 0; hold <= 3; hold++) {
		size_t n = make_open_body(body, 4, 65001, hold, 0x0a000001, NULL, 0);
		bool ok = open_body(body, n, &o, &err);
		if (hold == 1 || hold == 2) {
			assert_false(ok);
			assert_error(&err, 2, 6);
			assert_error_data(&err, NULL, 0);
		} else {
			assert_true(ok);
			assert_int_equal(o.hold_time, hold);
		}
	}
}

static void test_open_bad_identifier(void **state)
{
	(void)state;
	uint8_t body[64];
	struct bgp_open o;
	struct bgp_error err;
	size_t n = make_open_body(body, 4, 65001, 180, 0, NULL, 0);
	assert_false(open_body(body, n, &o, &err));
	assert_error(&err, 2, 3);
	/* RFC 6286: any non-zero identifier is syntactically valid. */
	n = make_open_body(body, 4, 65001, 180, 0xffffffff, NULL, 0);
	assert_true(open_body(body, n, &o, &err));
	n = make_open_body(body, 4, 65001, 180, 0xe0000001, NULL, 0);
	assert_true(open_body(body, n, &o, &err));
	/* Same identifier as ours: refused by the session check. */
	n = make_open_body(body, 4, 65001, 180, 0x0a000001, NULL, 0);
	assert_true(open_body(body, n, &o, &err));
	assert_false(bgp_open_check(&o, 65001, 0x0a000001, &err));
	assert_error(&err, 2, 3);
	assert_true(bgp_open_check(&o, 65001, 0x0a000002, &err));
}

static void test_open_bad_peer_as(void **state)
{
	(void)state;
	uint8_t body[64];
	struct bgp_open o;
	struct bgp_error err;
	size_t n = make_open_body(body, 4, 65001, 180, 0x0a000001, NULL, 0);
	assert_true(open_body(body, n, &o, &err));
	assert_false(bgp_open_check(&o, 65002, 0x0a000002, &err));
	assert_error(&err, 2, 2);
	const uint8_t data[] = { 0xfd, 0xe9 };
	assert_error_data(&err, data, 2);

	/* AS 0 is never acceptable (RFC 7607), even if it were "expected". */
	n = make_open_body(body, 4, 0, 180, 0x0a000001, NULL, 0);
	assert_true(open_body(body, n, &o, &err));
	assert_false(bgp_open_check(&o, 0, 0x0a000002, &err));
	assert_error(&err, 2, 2);
}

static void test_open_as4_mismatch(void **state)
{
	(void)state;
	/* My AS is AS_TRANS (23456 = 0x5ba0); the capability says 4200000001 (0xfa56ea01). */
	const uint8_t params[] = { 0x02, 0x06, 0x41, 0x04, 0xfa, 0x56, 0xea, 0x01 };
	uint8_t body[64];
	size_t n = make_open_body(body, 4, BGP_AS_TRANS, 180, 0x0a000001, params, sizeof(params));
	struct bgp_open o;
	struct bgp_error err;
	assert_true(open_body(body, n, &o, &err));
	assert_int_equal(bgp_open_peer_as(&o), 4200000001u);
	assert_true(bgp_open_check(&o, 4200000001u, 0x0a000002, &err));
	/* Configured for another 4-octet AS: 2/2 with My AS (AS_TRANS) as data. */
	assert_false(bgp_open_check(&o, 4200000002u, 0x0a000002, &err));
	assert_error(&err, 2, 2);
	const uint8_t data[] = { 0x5b, 0xa0 };
	assert_error_data(&err, data, 2);
	/* Configured for AS_TRANS itself: the 4-octet value is what counts. */
	assert_false(bgp_open_check(&o, BGP_AS_TRANS, 0x0a000002, &err));
	assert_error(&err, 2, 2);
}

static void test_open_unsupported_parameter(void **state)
{
	(void)state;
	/* Type 1 was Authentication Information (deprecated). */
	const uint8_t params[] = { 0x01, 0x02, 0xaa, 0xbb };
	uint8_t body[64];
	size_t n = make_open_body(body, 4, 65001, 180, 0x0a000001, params, sizeof(params));
	struct bgp_open o;
	struct bgp_error err;
	assert_false(open_body(body, n, &o, &err));
	assert_error(&err, 2, 4);
}

static void expect_open_params_error(const uint8_t *params, size_t len, uint8_t code,
				     uint8_t subcode)
{
	uint8_t body[512];
	size_t n = make_open_body(body, 4, 65001, 180, 0x0a000001, params, (uint8_t)len);
	struct bgp_open o;
	struct bgp_error err;
	assert_false(open_body(body, n, &o, &err));
	assert_error(&err, code, subcode);
}

static void test_open_malformed_capabilities(void **state)
{
	(void)state;
	/* A capability TLV that overruns its parameter. */
	const uint8_t overrun[] = { 0x02, 0x04, 0x41, 0x04, 0x00, 0x00 };
	expect_open_params_error(overrun, sizeof(overrun), 2, 0);
	/* A code with no length octet. */
	const uint8_t half[] = { 0x02, 0x01, 0x41 };
	expect_open_params_error(half, sizeof(half), 2, 0);
	/* Known capabilities with wrong lengths. */
	const uint8_t mp3[] = { 0x02, 0x05, 0x01, 0x03, 0x00, 0x01, 0x00 };
	expect_open_params_error(mp3, sizeof(mp3), 2, 0);
	const uint8_t as4_2[] = { 0x02, 0x04, 0x41, 0x02, 0xfd, 0xe9 };
	expect_open_params_error(as4_2, sizeof(as4_2), 2, 0);
	const uint8_t rr1[] = { 0x02, 0x03, 0x02, 0x01, 0x00 };
	expect_open_params_error(rr1, sizeof(rr1), 2, 0);
	const uint8_t err1[] = { 0x02, 0x03, 0x46, 0x01, 0x00 };
	expect_open_params_error(err1, sizeof(err1), 2, 0);
	const uint8_t ext1[] = { 0x02, 0x03, 0x06, 0x01, 0x00 };
	expect_open_params_error(ext1, sizeof(ext1), 2, 0);
	const uint8_t gr3[] = { 0x02, 0x05, 0x40, 0x03, 0x00, 0x78, 0x00 };
	expect_open_params_error(gr3, sizeof(gr3), 2, 0);
	const uint8_t gr1[] = { 0x02, 0x03, 0x40, 0x01, 0x00 };
	expect_open_params_error(gr1, sizeof(gr1), 2, 0);
	/* A parameter that overruns the optional parameters. */
	const uint8_t param_overrun[] = { 0x02, 0x08, 0x02, 0x00 };
	expect_open_params_error(param_overrun, sizeof(param_overrun), 2, 0);
}

static void test_open_length_mismatch(void **state)
{
	(void)state;
	struct bgp_open o;
	struct bgp_error err;
	/* Optional Parameters Length 8 with 2 octets of parameters in the message. */
	const uint8_t longer[] = { 0x04, 0xfd, 0xe9, 0x00, 0xb4, 0x0a, 0x00, 0x00, 0x01,
				   0x08, 0x02, 0x00 };
	assert_false(open_body(longer, sizeof(longer), &o, &err));
	assert_error(&err, 2, 0);
	/* Optional Parameters Length 0 with 2 octets after it. */
	const uint8_t trailing[] = { 0x04, 0xfd, 0xe9, 0x00, 0xb4, 0x0a, 0x00, 0x00, 0x01,
				     0x00, 0x02, 0x00 };
	assert_false(open_body(trailing, sizeof(trailing), &o, &err));
	assert_error(&err, 2, 0);
	/* A body under 10 octets: 1/2 with the message length (19 + 9 = 28). */
	assert_false(open_body(trailing, 9, &o, &err));
	assert_error(&err, 1, 2);
	const uint8_t data[] = { 0x00, 0x1c };
	assert_error_data(&err, data, 2);
}

static void test_open_several_parameters(void **state)
{
	(void)state;
	/* Two Capabilities parameters, the second with two capabilities in it. */
	const uint8_t params[] = {
		0x02, 0x06, 0x01, 0x04, 0x00, 0x02, 0x00, 0x01, /* MP IPv6 unicast */
		0x02, 0x08, 0x02, 0x00,                         /* Route Refresh */
		0x01, 0x04, 0x00, 0x01, 0x00, 0x01,             /* MP IPv4 unicast */
	};
	uint8_t body[64];
	size_t n = make_open_body(body, 4, 65001, 180, 0x0a000001, params, sizeof(params));
	struct bgp_open o;
	struct bgp_error err;
	assert_true(open_body(body, n, &o, &err));
	assert_true(o.caps.present);
	assert_true(o.caps.route_refresh);
	assert_int_equal(o.caps.multiprotocol_count, 2);
	assert_int_equal(o.caps.multiprotocol[0].afi, BGP_AFI_IPV6);
	assert_int_equal(o.caps.multiprotocol[1].afi, BGP_AFI_IPV4);
	assert_false(o.extended_parameters);
	/* An empty Capabilities parameter still says the peer knows capabilities. */
	const uint8_t empty[] = { 0x02, 0x00 };
	n = make_open_body(body, 4, 65001, 180, 0x0a000001, empty, sizeof(empty));
	assert_true(open_body(body, n, &o, &err));
	assert_true(o.caps.present);
	assert_int_equal(o.caps.multiprotocol_count, 0);
}

static void test_open_unknown_capabilities(void **state)
{
	(void)state;
	uint8_t params[128];
	struct writer w = writer_make(params, sizeof(params));
	writer_u8(&w, 0x02);
	size_t plen = writer_reserve(&w, 1);
	/* ADD-PATH (69): IPv4 unicast, send/receive. Unknown to this codec: kept as is. */
	const uint8_t addpath[] = { 0x45, 0x04, 0x00, 0x01, 0x01, 0x03 };
	writer_bytes(&w, addpath, sizeof(addpath));
	/* A 40-octet private capability (code 200): the first 32 octets are kept. */
	writer_u8(&w, 200);
	writer_u8(&w, 40);
	for (uint8_t i = 0; i < 40; i++)
		writer_u8(&w, i);
	writer_patch_u8(&w, plen, (uint8_t)(w.len - 2));
	assert_true(writer_ok(&w));

	uint8_t body[256];
	size_t n = make_open_body(body, 4, 65001, 180, 0x0a000001, params, (uint8_t)w.len);
	struct bgp_open o;
	struct bgp_error err;
	assert_true(open_body(body, n, &o, &err));
	assert_int_equal(o.caps.unknown_count, 2);
	assert_int_equal(o.caps.unknown[0].code, 69);
	assert_int_equal(o.caps.unknown[0].length, 4);
	assert_int_equal(o.caps.unknown[0].data_len, 4);
	assert_memory_equal(o.caps.unknown[0].data, addpath + 2, 4);
	assert_int_equal(o.caps.unknown[1].code, 200);
	assert_int_equal(o.caps.unknown[1].length, 40);
	assert_int_equal(o.caps.unknown[1].data_len, BGP_CAP_UNKNOWN_DATA_MAX);
	assert_int_equal(o.caps.unknown[1].data[31], 31);

	/* Re-encoded, the ADD-PATH TLV comes back byte for byte. */
	uint8_t out[512];
	struct writer ow = writer_make(out, sizeof(out));
	size_t len = bgp_open_encode(&ow, &o);
	assert_true(len > 0);
	struct bgp_open again;
	assert_true(open_body(out + BGP_HEADER_LEN, len - BGP_HEADER_LEN, &again, &err));
	assert_int_equal(again.caps.unknown_count, 2);
	assert_memory_equal(&again.caps.unknown[0], &o.caps.unknown[0],
			    sizeof(o.caps.unknown[0]));
}

static void test_open_extended_parameters_decode(void **state)
{
	(void)state;
	/* RFC 9072: Non-Ext OP Len 255, Non-Ext OP Type 255, 2-octet length, then each
	 * parameter with a 2-octet length. */
	const uint8_t body[] = {
		0x04, 0xfd, 0xe9, 0x00, 0xb4, 0x0a, 0x00, 0x00, 0x01, /* fixed fields */
		0xff,                         /* Non-Ext OP Len */
		0xff,                         /* Non-Ext OP Type: extended form */
		0x00, 0x0e,                   /* Extended Opt. Parm. Length 14 */
		0x02, 0x00, 0x0b,             /* Capabilities, 11 octets */
		0x41, 0x04, 0x00, 0x01, 0x00, 0x00, /* 4-octet AS 65536 */
		0x02, 0x00,                         /* Route Refresh */
		0x06, 0x00,                         /* Extended Message */
		0x46,                               /* (truncated TLV, see below) */
	};
	struct bgp_open o;
	struct bgp_error err;
	/* As written, the last octet is a capability code with no length: 2/0. */
	assert_false(open_body(body, sizeof(body), &o, &err));
	assert_error(&err, 2, 0);

	/* The same without the stray octet (length 13, capabilities 10). */
	uint8_t good[sizeof(body)];
	memcpy(good, body, sizeof(body));
	good[12] = 0x0d;
	good[15] = 0x0a;
	assert_true(open_body(good, sizeof(good) - 1, &o, &err));
	assert_true(o.extended_parameters);
	assert_true(o.caps.as4);
	assert_int_equal(o.caps.as4_number, 65536);
	assert_true(o.caps.route_refresh);
	assert_true(o.caps.extended_message);

	/* RFC 9072 §2: the one-octet length is ignored once the type says extended. */
	good[9] = 0x01;
	assert_true(open_body(good, sizeof(good) - 1, &o, &err));
	assert_true(o.extended_parameters);
	/* An extended length that overruns the message. */
	good[12] = 0x20;
	assert_false(open_body(good, sizeof(good) - 1, &o, &err));
	assert_error(&err, 2, 0);
}

static void test_open_extended_parameters_encode(void **state)
{
	(void)state;
	/* Eight unknown capabilities of 32 octets: 272 octets, too many for one octet. */
	struct bgp_open o = golden_open();
	o.caps.unknown_count = BGP_CAP_MAX_UNKNOWN;
	for (uint8_t i = 0; i < BGP_CAP_MAX_UNKNOWN; i++) {
		o.caps.unknown[i].code = (uint8_t)(200 + i);
		o.caps.unknown[i].length = BGP_CAP_UNKNOWN_DATA_MAX;
		o.caps.unknown[i].data_len = BGP_CAP_UNKNOWN_DATA_MAX;
		memset(o.caps.unknown[i].data, i, BGP_CAP_UNKNOWN_DATA_MAX);
	}
	uint8_t buf[4096];
	struct writer w = writer_make(buf, sizeof(buf));
	size_t len = bgp_open_encode(&w, &o);
	/* 19 + 9 fixed + 4 (255, 255, length) + 3 (type, length) + 26 + 8 * 34. */
	assert_int_equal(len, 19 + 9 + 4 + 3 + 26 + 8 * 34);
	assert_int_equal(buf[28], 0xff);
	assert_int_equal(buf[29], 0xff);
	assert_int_equal((buf[30] << 8) | buf[31], 3 + 26 + 8 * 34);
	assert_int_equal(buf[32], 0x02);
	assert_int_equal((buf[33] << 8) | buf[34], 26 + 8 * 34);

	struct bgp_header hdr;
	struct bgp_error err;
	assert_int_equal(bgp_frame(buf, len, BGP_MAX_MESSAGE, &hdr, &err), 1);
	struct bgp_open got;
	assert_true(open_body(buf + BGP_HEADER_LEN, len - BGP_HEADER_LEN, &got, &err));
	assert_true(got.extended_parameters);
	o.extended_parameters = true;
	assert_memory_equal(&got, &o, sizeof(o));
}

static void test_open_encode_overflow(void **state)
{
	(void)state;
	struct bgp_open o = golden_open();
	uint8_t buf[40];
	struct writer w = writer_make(buf, sizeof(buf));
	assert_int_equal(bgp_open_encode(&w, &o), 0);
}

/* ---- NOTIFICATION ----------------------------------------------------------------------- */

static const uint8_t notification_bytes[] = {
	MARKER,
	0x00, 0x21, /* length 33 */
	0x03,       /* NOTIFICATION */
	0x06, 0x02, /* Cease / Administrative Shutdown */
	0x0b,       /* shutdown communication, 11 octets */
	'm', 'a', 'i', 'n', 't', 'e', 'n', 'a', 'n', 'c', 'e',
};

static void test_notification_golden(void **state)
{
	(void)state;
	uint8_t data[256];
	size_t data_len = bgp_shutdown_message_data("maintenance", data);
	assert_int_equal(data_len, 12);
	struct bgp_notification n;
	memset(&n, 0, sizeof(n));
	n.code = BGP_ERR_CEASE;
	n.subcode = BGP_CEASE_ADMIN_SHUTDOWN;
	n.data = data;
	n.data_len = (uint16_t)data_len;
	uint8_t buf[128];
	struct writer w = writer_make(buf, sizeof(buf));
	assert_int_equal(bgp_notification_encode(&w, &n), sizeof(notification_bytes));
	assert_memory_equal(buf, notification_bytes, sizeof(notification_bytes));

	struct bgp_header hdr;
	struct bgp_error err;
	assert_int_equal(bgp_frame(buf, w.len, BGP_MAX_MESSAGE, &hdr, &err), 1);
	assert_int_equal(hdr.type, BGP_MSG_NOTIFICATION);
	struct reader body = reader_make(notification_bytes + BGP_HEADER_LEN,
					 sizeof(notification_bytes) - BGP_HEADER_LEN);
	struct bgp_notification got;
	assert_true(bgp_notification_decode(&body, &got));
	assert_int_equal(got.code, 6);
	assert_int_equal(got.subcode, 2);
	assert_int_equal(got.data_len, 12);
	assert_memory_equal(got.data, data, 12);
	assert_true(got.has_shutdown_message);
	assert_int_equal(got.shutdown_message_len, 11);
	assert_string_equal(got.shutdown_message, "maintenance");
}

static void test_notification_plain(void **state)
{
	(void)state;
	/* Hold Timer Expired, no data: the smallest NOTIFICATION. */
	const uint8_t msg[] = { MARKER, 0x00, 0x15, 0x03, 0x04, 0x00 };
	struct bgp_notification n;
	memset(&n, 0, sizeof(n));
	n.code = BGP_ERR_HOLD_TIMER;
	uint8_t buf[64];
	struct writer w = writer_make(buf, sizeof(buf));
	assert_int_equal(bgp_notification_encode(&w, &n), sizeof(msg));
	assert_memory_equal(buf, msg, sizeof(msg));
	struct reader body = reader_make(msg + BGP_HEADER_LEN, 2);
	struct bgp_notification got;
	assert_true(bgp_notification_decode(&body, &got));
	assert_int_equal(got.code, 4);
	assert_int_equal(got.data_len, 0);
	assert_false(got.has_shutdown_message);
	/* A body of one octet is not a NOTIFICATION. */
	body = reader_make(msg + BGP_HEADER_LEN, 1);
	assert_false(bgp_notification_decode(&body, &got));
}

static void test_notification_shutdown_forms(void **state)
{
	(void)state;
	struct bgp_notification got;
	/* Length 20 with only 5 octets of text: the data is kept, no message. */
	const uint8_t overrun[] = { 0x06, 0x02, 0x14, 'h', 'e', 'l', 'l', 'o' };
	struct reader body = reader_make(overrun, sizeof(overrun));
	assert_true(bgp_notification_decode(&body, &got));
	assert_false(got.has_shutdown_message);
	assert_int_equal(got.data_len, 6);
	/* Length 0: an empty message. */
	const uint8_t empty[] = { 0x06, 0x04, 0x00 };
	body = reader_make(empty, sizeof(empty));
	assert_true(bgp_notification_decode(&body, &got));
	assert_true(got.has_shutdown_message);
	assert_int_equal(got.shutdown_message_len, 0);
	assert_string_equal(got.shutdown_message, "");
	/* Administrative Reset with text and trailing octets. */
	const uint8_t reset[] = { 0x06, 0x04, 0x02, 'o', 'k', 0x99 };
	body = reader_make(reset, sizeof(reset));
	assert_true(bgp_notification_decode(&body, &got));
	assert_true(got.has_shutdown_message);
	assert_string_equal(got.shutdown_message, "ok");
	/* Cease without data. */
	const uint8_t bare[] = { 0x06, 0x02 };
	body = reader_make(bare, sizeof(bare));
	assert_true(bgp_notification_decode(&body, &got));
	assert_false(got.has_shutdown_message);
	/* Other Cease subcodes carry no text: Peer De-configured with the same data. */
	const uint8_t other[] = { 0x06, 0x03, 0x02, 'o', 'k' };
	body = reader_make(other, sizeof(other));
	assert_true(bgp_notification_decode(&body, &got));
	assert_false(got.has_shutdown_message);
	/* A full 255-octet message. */
	uint8_t full[2 + 1 + 255];
	full[0] = 6;
	full[1] = 2;
	full[2] = 255;
	memset(full + 3, 'x', 255);
	body = reader_make(full, sizeof(full));
	assert_true(bgp_notification_decode(&body, &got));
	assert_true(got.has_shutdown_message);
	assert_int_equal(got.shutdown_message_len, 255);
	assert_int_equal(strlen(got.shutdown_message), 255);
}

static void test_shutdown_message_data(void **state)
{
	(void)state;
	uint8_t data[256];
	assert_int_equal(bgp_shutdown_message_data("", data), 1);
	assert_int_equal(data[0], 0);
	assert_int_equal(bgp_shutdown_message_data(NULL, data), 1);
	/* 254 ASCII octets then "é" (0xc3 0xa9): 256 octets, cut before the é. */
	char text[300];
	memset(text, 'a', 254);
	text[254] = (char)0xc3;
	text[255] = (char)0xa9;
	text[256] = '\0';
	assert_int_equal(bgp_shutdown_message_data(text, data), 255);
	assert_int_equal(data[0], 254);
	/* 255 ASCII octets fit exactly; 300 are cut to 255. */
	memset(text, 'b', 299);
	text[299] = '\0';
	assert_int_equal(bgp_shutdown_message_data(text, data), 256);
	assert_int_equal(data[0], 255);
	assert_int_equal(data[255], 'b');
	/* Not UTF-8 (a run of continuation octets): cut at 255, not emptied. */
	memset(text, 0x81, 299);
	assert_int_equal(bgp_shutdown_message_data(text, data), 256);
	/* A 4-octet character (U+1F600) across the 255 boundary: backs up 3 octets. */
	memset(text, 'c', 299);
	memcpy(text + 252, "\xf0\x9f\x98\x80", 4);
	assert_int_equal(bgp_shutdown_message_data(text, data), 253);
	assert_int_equal(data[0], 252);
}

static void test_notification_encode_too_long(void **state)
{
	(void)state;
	static uint8_t data[4096];
	static uint8_t buf[8192];
	struct bgp_notification n;
	memset(&n, 0, sizeof(n));
	n.code = BGP_ERR_UPDATE;
	n.subcode = BGP_ERR_UPDATE_MALFORMED_ATTRIBUTE_LIST;
	n.data = data;
	n.data_len = 4096 - 21;
	struct writer w = writer_make(buf, sizeof(buf));
	assert_int_equal(bgp_notification_encode(&w, &n), 4096);
	n.data_len = 4096 - 20;
	w = writer_make(buf, sizeof(buf));
	assert_int_equal(bgp_notification_encode(&w, &n), 0);
}

/* ---- ROUTE-REFRESH ---------------------------------------------------------------------- */

static const uint8_t route_refresh_bytes[] = {
	MARKER,
	0x00, 0x17, /* length 23 */
	0x05,       /* ROUTE-REFRESH */
	0x00, 0x01, /* AFI IPv4 */
	0x01,       /* subtype BoRR (RFC 7313) */
	0x01,       /* SAFI unicast */
};

static void test_route_refresh_golden(void **state)
{
	(void)state;
	struct bgp_route_refresh rr = { .afi = 1, .subtype = BGP_ROUTE_REFRESH_BORR, .safi = 1 };
	uint8_t buf[64];
	struct writer w = writer_make(buf, sizeof(buf));
	assert_int_equal(bgp_route_refresh_encode(&w, &rr), sizeof(route_refresh_bytes));
	assert_memory_equal(buf, route_refresh_bytes, sizeof(route_refresh_bytes));

	struct bgp_header hdr;
	struct bgp_error err;
	assert_int_equal(bgp_frame(buf, w.len, BGP_MAX_MESSAGE, &hdr, &err), 1);
	assert_int_equal(hdr.type, BGP_MSG_ROUTE_REFRESH);
	struct reader body = reader_make(route_refresh_bytes + BGP_HEADER_LEN, 4);
	struct bgp_route_refresh got;
	assert_true(bgp_route_refresh_decode(&body, &got, &err));
	assert_memory_equal(&got, &rr, sizeof(rr));
}

static void test_route_refresh_lengths(void **state)
{
	(void)state;
	struct bgp_route_refresh got;
	struct bgp_error err;
	/* A normal request with ORF data (RFC 5291): decodes, the ORF is skipped. */
	const uint8_t orf[] = { 0x00, 0x02, 0x00, 0x01, 0x01, 0x40, 0x00, 0x00 };
	struct reader body = reader_make(orf, sizeof(orf));
	assert_true(bgp_route_refresh_decode(&body, &got, &err));
	assert_int_equal(got.afi, BGP_AFI_IPV6);
	assert_int_equal(got.subtype, BGP_ROUTE_REFRESH_NORMAL);
	/* An EoRR of 5 octets: 7/1 with the whole message rebuilt as data. */
	const uint8_t eorr5[] = { 0x00, 0x01, 0x02, 0x01, 0xee };
	body = reader_make(eorr5, sizeof(eorr5));
	assert_false(bgp_route_refresh_decode(&body, &got, &err));
	assert_error(&err, 7, 1);
	const uint8_t whole[] = { MARKER, 0x00, 0x18, 0x05, 0x00, 0x01, 0x02, 0x01, 0xee };
	assert_error_data(&err, whole, sizeof(whole));
	/* A long BoRR: the data is cut at BGP_ERROR_DATA_MAX. */
	uint8_t borr[300];
	memset(borr, 0x55, sizeof(borr));
	borr[0] = 0;
	borr[1] = 1;
	borr[2] = 1;
	borr[3] = 1;
	body = reader_make(borr, sizeof(borr));
	assert_false(bgp_route_refresh_decode(&body, &got, &err));
	assert_error(&err, 7, 1);
	assert_int_equal(err.data_len, BGP_ERROR_DATA_MAX);
	assert_int_equal(err.data[16], 0x01); /* length 319 */
	assert_int_equal(err.data[17], 0x3f);
	assert_int_equal(err.data[BGP_ERROR_DATA_MAX - 1], 0x55);
	/* An unknown subtype decodes; the session ignores it. */
	const uint8_t unknown[] = { 0x00, 0x01, 0x07, 0x01, 0x00 };
	body = reader_make(unknown, sizeof(unknown));
	assert_true(bgp_route_refresh_decode(&body, &got, &err));
	assert_int_equal(got.subtype, 7);
	/* Too short for the fixed part. */
	body = reader_make(unknown, 3);
	assert_false(bgp_route_refresh_decode(&body, &got, &err));
	assert_error(&err, 1, 2);
}

/* ---- UPDATE ----------------------------------------------------------------------------- */

static const uint8_t update_bytes[] = {
	MARKER,
	0x00, 0x33,             /* length 51 */
	0x02,                   /* UPDATE */
	0x00, 0x05,             /* Withdrawn Routes Length 5 */
	0x08, 0x0a,             /* 10.0.0.0/8 */
	0x10, 0xac, 0x10,       /* 172.16.0.0/16 */
	0x00, 0x0e,             /* Total Path Attribute Length 14 */
	0x40, 0x01, 0x01, 0x00, /* ORIGIN IGP */
	0x40, 0x02, 0x00,       /* AS_PATH empty */
	0x40, 0x03, 0x04, 0xc0, 0x00, 0x02, 0x01, /* NEXT_HOP 192.0.2.1 */
	0x18, 0xc0, 0xa8, 0x01, /* 192.168.1.0/24 */
	0x20, 0xc6, 0x33, 0x64, 0x07, /* 198.51.100.7/32 */
};

static void test_update_golden(void **state)
{
	(void)state;
	struct bgp_header hdr;
	struct bgp_error err;
	assert_int_equal(bgp_frame(update_bytes, sizeof(update_bytes), BGP_MAX_MESSAGE, &hdr, &err),
			 1);
	struct reader body = reader_make(update_bytes + BGP_HEADER_LEN,
					 sizeof(update_bytes) - BGP_HEADER_LEN);
	struct bgp_update_parts parts;
	assert_true(bgp_update_split(&body, &parts, &err));
	assert_int_equal(reader_remaining(&parts.withdrawn), 5);
	assert_int_equal(reader_remaining(&parts.attributes), 14);
	assert_int_equal(reader_remaining(&parts.nlri), 9);
	assert_int_equal(reader_u8(&parts.attributes), 0x40);

	const struct bgp_prefix4 withdrawn[] = { { 0x0a000000, 8 }, { 0xac100000, 16 } };
	const struct bgp_prefix4 nlri[] = { { 0xc0a80100, 24 }, { 0xc6336407, 32 } };
	struct bgp_prefix4 p;
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(bgp_prefix4_next(&parts.withdrawn, &p), 1);
		assert_int_equal(p.addr, withdrawn[i].addr);
		assert_int_equal(p.len, withdrawn[i].len);
	}
	assert_int_equal(bgp_prefix4_next(&parts.withdrawn, &p), 0);
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(bgp_prefix4_next(&parts.nlri, &p), 1);
		assert_int_equal(p.addr, nlri[i].addr);
		assert_int_equal(p.len, nlri[i].len);
	}
	assert_int_equal(bgp_prefix4_next(&parts.nlri, &p), 0);

	/* Encode: the prefixes give back exactly the withdrawn and NLRI bytes. */
	uint8_t buf[64];
	struct writer w = writer_make(buf, sizeof(buf));
	for (size_t i = 0; i < 2; i++)
		assert_true(bgp_prefix4_encode(&w, &withdrawn[i]));
	assert_int_equal(w.len, 5);
	assert_memory_equal(buf, update_bytes + 21, 5);
	w = writer_make(buf, sizeof(buf));
	for (size_t i = 0; i < 2; i++)
		assert_true(bgp_prefix4_encode(&w, &nlri[i]));
	assert_int_equal(w.len, 9);
	assert_memory_equal(buf, update_bytes + sizeof(update_bytes) - 9, 9);
}

static void test_update_split_overruns(void **state)
{
	(void)state;
	struct bgp_update_parts parts;
	struct bgp_error err;
	/* Withdrawn Routes Length 6 with 5 octets in the whole body. */
	const uint8_t withdrawn_overrun[] = { 0x00, 0x06, 0x08, 0x0a, 0x00 };
	struct reader body = reader_make(withdrawn_overrun, sizeof(withdrawn_overrun));
	assert_false(bgp_update_split(&body, &parts, &err));
	assert_error(&err, 3, 1);
	assert_error_data(&err, NULL, 0);
	/* Total Path Attribute Length 5 with 4 octets left. */
	const uint8_t attr_overrun[] = { 0x00, 0x00, 0x00, 0x05, 0x40, 0x01, 0x01, 0x00 };
	body = reader_make(attr_overrun, sizeof(attr_overrun));
	assert_false(bgp_update_split(&body, &parts, &err));
	assert_error(&err, 3, 1);
	/* No room for the attribute length at all. */
	const uint8_t short_body[] = { 0x00, 0x00, 0x00 };
	body = reader_make(short_body, sizeof(short_body));
	assert_false(bgp_update_split(&body, &parts, &err));
	assert_error(&err, 3, 1);
	/* The smallest UPDATE (End-of-RIB for IPv4 unicast, RFC 4724 §2). */
	const uint8_t eor[] = { 0x00, 0x00, 0x00, 0x00 };
	body = reader_make(eor, sizeof(eor));
	assert_true(bgp_update_split(&body, &parts, &err));
	assert_true(reader_empty(&parts.withdrawn));
	assert_true(reader_empty(&parts.attributes));
	assert_true(reader_empty(&parts.nlri));
}

static void test_prefix_decode(void **state)
{
	(void)state;
	struct bgp_prefix4 p;
	/* /0: a length octet and no address octets. */
	const uint8_t def[] = { 0x00 };
	struct reader r = reader_make(def, sizeof(def));
	assert_int_equal(bgp_prefix4_next(&r, &p), 1);
	assert_int_equal(p.len, 0);
	assert_int_equal(p.addr, 0);
	assert_int_equal(bgp_prefix4_next(&r, &p), 0);
	/* /32 */
	const uint8_t host[] = { 0x20, 0x01, 0x02, 0x03, 0x04 };
	r = reader_make(host, sizeof(host));
	assert_int_equal(bgp_prefix4_next(&r, &p), 1);
	assert_int_equal(p.len, 32);
	assert_int_equal(p.addr, 0x01020304);
	/* Host bits set on the wire come back zeroed: 10.255.0.0/12 is 10.240.0.0/12. */
	const uint8_t hostbits[] = { 0x0c, 0x0a, 0xff };
	r = reader_make(hostbits, sizeof(hostbits));
	assert_int_equal(bgp_prefix4_next(&r, &p), 1);
	assert_int_equal(p.len, 12);
	assert_int_equal(p.addr, 0x0af00000);
	/* /33: malformed, and it stays so. */
	const uint8_t too_long[] = { 0x21, 0x01, 0x02, 0x03, 0x04, 0x05, 0x08, 0x0a };
	r = reader_make(too_long, sizeof(too_long));
	assert_int_equal(bgp_prefix4_next(&r, &p), -1);
	assert_int_equal(bgp_prefix4_next(&r, &p), -1);
	/* /24 with two address octets. */
	const uint8_t short_bytes[] = { 0x08, 0x0a, 0x18, 0xc0, 0xa8 };
	r = reader_make(short_bytes, sizeof(short_bytes));
	assert_int_equal(bgp_prefix4_next(&r, &p), 1);
	assert_int_equal(bgp_prefix4_next(&r, &p), -1);
	assert_int_equal(bgp_prefix4_next(&r, &p), -1);
	/* An empty field: the end at once. */
	r = reader_make(NULL, 0);
	assert_int_equal(bgp_prefix4_next(&r, &p), 0);
}

static void test_prefix_encode(void **state)
{
	(void)state;
	uint8_t buf[16];
	struct writer w = writer_make(buf, sizeof(buf));
	/* Host bits given by the caller are not sent. */
	struct bgp_prefix4 p = { .addr = 0x0affffff, .len = 12 };
	assert_true(bgp_prefix4_encode(&w, &p));
	const uint8_t want[] = { 0x0c, 0x0a, 0xf0 };
	assert_int_equal(w.len, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	struct bgp_prefix4 zero = { .addr = 0x12345678, .len = 0 };
	w = writer_make(buf, sizeof(buf));
	assert_true(bgp_prefix4_encode(&w, &zero));
	assert_int_equal(w.len, 1);
	assert_int_equal(buf[0], 0);
	struct bgp_prefix4 bad = { .addr = 0, .len = 33 };
	w = writer_make(buf, sizeof(buf));
	assert_false(bgp_prefix4_encode(&w, &bad));
	assert_int_equal(w.len, 0);
	/* No room. */
	struct bgp_prefix4 host = { .addr = 0x01020304, .len = 32 };
	w = writer_make(buf, 3);
	assert_false(bgp_prefix4_encode(&w, &host));
}

/* ---- names ------------------------------------------------------------------------------ */

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(bgp_msg_type_name(BGP_MSG_OPEN), "OPEN");
	assert_string_equal(bgp_msg_type_name(BGP_MSG_UPDATE), "UPDATE");
	assert_string_equal(bgp_msg_type_name(BGP_MSG_NOTIFICATION), "NOTIFICATION");
	assert_string_equal(bgp_msg_type_name(BGP_MSG_KEEPALIVE), "KEEPALIVE");
	assert_string_equal(bgp_msg_type_name(BGP_MSG_ROUTE_REFRESH), "ROUTE-REFRESH");
	assert_string_equal(bgp_msg_type_name(0), "unknown");
	assert_string_equal(bgp_msg_type_name(9), "unknown");

	assert_string_equal(bgp_error_code_name(1), "Message Header Error");
	assert_string_equal(bgp_error_code_name(2), "OPEN Message Error");
	assert_string_equal(bgp_error_code_name(3), "UPDATE Message Error");
	assert_string_equal(bgp_error_code_name(4), "Hold Timer Expired");
	assert_string_equal(bgp_error_code_name(5), "Finite State Machine Error");
	assert_string_equal(bgp_error_code_name(6), "Cease");
	assert_string_equal(bgp_error_code_name(7), "ROUTE-REFRESH Message Error");

	assert_string_equal(bgp_error_subcode_name(6, 2), "Cease/Administrative Shutdown");
	assert_string_equal(bgp_error_subcode_name(6, 1),
			    "Cease/Maximum Number of Prefixes Reached");
	assert_string_equal(bgp_error_subcode_name(6, 3), "Cease/Peer De-configured");
	assert_string_equal(bgp_error_subcode_name(6, 4), "Cease/Administrative Reset");
	assert_string_equal(bgp_error_subcode_name(6, 5), "Cease/Connection Rejected");
	assert_string_equal(bgp_error_subcode_name(6, 6), "Cease/Other Configuration Change");
	assert_string_equal(bgp_error_subcode_name(6, 7),
			    "Cease/Connection Collision Resolution");
	assert_string_equal(bgp_error_subcode_name(6, 8), "Cease/Out of Resources");
	assert_string_equal(bgp_error_subcode_name(6, 9), "Cease/Hard Reset");
	assert_string_equal(bgp_error_subcode_name(6, 42), "Cease/Unknown subcode");
	assert_string_equal(bgp_error_subcode_name(2, 2), "OPEN Message Error/Bad Peer AS");
	assert_string_equal(bgp_error_subcode_name(2, 1),
			    "OPEN Message Error/Unsupported Version Number");
	assert_string_equal(bgp_error_subcode_name(2, 3), "OPEN Message Error/Bad BGP Identifier");
	assert_string_equal(bgp_error_subcode_name(2, 4),
			    "OPEN Message Error/Unsupported Optional Parameter");
	assert_string_equal(bgp_error_subcode_name(2, 6),
			    "OPEN Message Error/Unacceptable Hold Time");
	assert_string_equal(bgp_error_subcode_name(2, 7),
			    "OPEN Message Error/Unsupported Capability");
	assert_string_equal(bgp_error_subcode_name(1, 1),
			    "Message Header Error/Connection Not Synchronized");
	assert_string_equal(bgp_error_subcode_name(1, 2), "Message Header Error/Bad Message Length");
	assert_string_equal(bgp_error_subcode_name(1, 3), "Message Header Error/Bad Message Type");
	assert_string_equal(bgp_error_subcode_name(3, 1),
			    "UPDATE Message Error/Malformed Attribute List");
	assert_string_equal(bgp_error_subcode_name(3, 11), "UPDATE Message Error/Malformed AS_PATH");
	assert_string_equal(bgp_error_subcode_name(4, 0), "Hold Timer Expired");
	assert_string_equal(bgp_error_subcode_name(4, 5), "Hold Timer Expired");
	assert_string_equal(bgp_error_subcode_name(2, 0), "OPEN Message Error");
	assert_string_equal(bgp_error_subcode_name(7, 1),
			    "ROUTE-REFRESH Message Error/Invalid Message Length");
	assert_string_equal(bgp_error_subcode_name(99, 1), "Unknown error code");

	assert_string_equal(bgp_capability_name(1), "Multiprotocol");
	assert_string_equal(bgp_capability_name(2), "Route Refresh");
	assert_string_equal(bgp_capability_name(6), "Extended Message");
	assert_string_equal(bgp_capability_name(64), "Graceful Restart");
	assert_string_equal(bgp_capability_name(65), "4-Octet AS");
	assert_string_equal(bgp_capability_name(70), "Enhanced Route Refresh");
	assert_string_equal(bgp_capability_name(250), "Unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keepalive_golden),
		cmocka_unit_test(test_keepalive_encode_overflow),
		cmocka_unit_test(test_frame_partial),
		cmocka_unit_test(test_frame_bad_marker),
		cmocka_unit_test(test_frame_bad_length),
		cmocka_unit_test(test_frame_bad_type),
		cmocka_unit_test(test_open_golden_encode),
		cmocka_unit_test(test_open_golden_decode),
		cmocka_unit_test(test_open_no_parameters),
		cmocka_unit_test(test_open_unsupported_version),
		cmocka_unit_test(test_open_hold_time),
		cmocka_unit_test(test_open_bad_identifier),
		cmocka_unit_test(test_open_bad_peer_as),
		cmocka_unit_test(test_open_as4_mismatch),
		cmocka_unit_test(test_open_unsupported_parameter),
		cmocka_unit_test(test_open_malformed_capabilities),
		cmocka_unit_test(test_open_length_mismatch),
		cmocka_unit_test(test_open_several_parameters),
		cmocka_unit_test(test_open_unknown_capabilities),
		cmocka_unit_test(test_open_extended_parameters_decode),
		cmocka_unit_test(test_open_extended_parameters_encode),
		cmocka_unit_test(test_open_encode_overflow),
		cmocka_unit_test(test_notification_golden),
		cmocka_unit_test(test_notification_plain),
		cmocka_unit_test(test_notification_shutdown_forms),
		cmocka_unit_test(test_shutdown_message_data),
		cmocka_unit_test(test_notification_encode_too_long),
		cmocka_unit_test(test_route_refresh_golden),
		cmocka_unit_test(test_route_refresh_lengths),
		cmocka_unit_test(test_update_golden),
		cmocka_unit_test(test_update_split_overruns),
		cmocka_unit_test(test_prefix_decode),
		cmocka_unit_test(test_prefix_encode),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
