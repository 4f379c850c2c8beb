/*
 * DOC: fuzz target for BGP framing (bgp_frame) over a stream of messages.
 *
 * The first input octet picks the maximum length (4096, or 65535 as after RFC 8654
 * negotiation); the rest is a receive buffer. Every whole message is framed, its body handed
 * to the decoder of its type, and the next one looked at, as the session does. Oracles: a
 * framed message is within its bounds; the same message cut one octet short needs more
 * bytes instead; an error is always a Message Header Error with at most 2 octets of data; a
 * KEEPALIVE re-encodes to the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wire/bgp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void decode_body(uint8_t type, const uint8_t *body, size_t len)
{
	struct reader r = reader_make(body, len);
	struct bgp_error err;
	switch (type) {
	case BGP_MSG_OPEN: {
		struct bgp_open open;
		if (bgp_open_decode(&r, &open, &err))
			(void)bgp_open_check(&open, bgp_open_peer_as(&open), 1, &err);
		break;
	}
	case BGP_MSG_UPDATE: {
		struct bgp_update_parts parts;
		struct bgp_prefix4 p;
		if (bgp_update_split(&r, &parts, &err)) {
			while (bgp_prefix4_next(&parts.withdrawn, &p) == 1)
				;
			while (bgp_prefix4_next(&parts.nlri, &p) == 1)
				;
		}
		break;
	}
	case BGP_MSG_NOTIFICATION: {
		struct bgp_notification n;
		(void)bgp_notification_decode(&r, &n);
		break;
	}
	case BGP_MSG_ROUTE_REFRESH: {
		struct bgp_route_refresh rr;
		(void)bgp_route_refresh_decode(&r, &rr, &err);
		break;
	}
	default:
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t max_len = (data[0] & 1) ? BGP_MAX_EXTENDED_MESSAGE : BGP_MAX_MESSAGE;
	struct reader stream = reader_make(data, size);
	reader_skip(&stream, 1);

	while (!reader_empty(&stream)) {
		const uint8_t *buf = reader_ptr(&stream);
		size_t len = reader_remaining(&stream);
		struct bgp_header hdr;
		struct bgp_error err;
		memset(&err, 0, sizeof(err));
		int ret = bgp_frame(buf, len, max_len, &hdr, &err);
		if (ret < 0) {
			if (err.code != BGP_ERR_HEADER || err.subcode < 1 || err.subcode > 3 ||
			    err.data_len > 2)
				abort();
			return 0;
		}
		if (ret == 0)
			return 0;
		if (ret != 1 || hdr.length < BGP_HEADER_LEN || hdr.length > max_len ||
		    hdr.length > len || hdr.type < 1 || hdr.type >= BGP_MSG_TYPE_COUNT)
			abort();
		/* One octet short of the same message: more bytes needed, same header. */
		struct bgp_header shorter;
		if (bgp_frame(buf, hdr.length - 1u, max_len, &shorter, &err) != 0)
			abort();
		if (hdr.length - 1u >= BGP_HEADER_LEN &&
		    (shorter.length != hdr.length || shorter.type != hdr.type))
			abort();

		struct reader msg = reader_sub(&stream, hdr.length);
		reader_skip(&msg, BGP_HEADER_LEN);
		if (hdr.type == BGP_MSG_KEEPALIVE) {
			uint8_t out[BGP_HEADER_LEN];
			struct writer w = writer_make(out, sizeof(out));
			if (bgp_keepalive_encode(&w) != BGP_HEADER_LEN ||
			    memcmp(out, buf, BGP_HEADER_LEN) != 0)
				abort();
		}
		decode_body(hdr.type, reader_ptr(&msg), reader_remaining(&msg));
		(void)bgp_msg_type_name(hdr.type);
	}
	return 0;
}
