/*
 * DOC: ROUTE-REFRESH message (RFC 2918 §3) with the RFC 7313 §3.2 message subtype.
 *
 * Body: AFI (2), Message Subtype (1, was Reserved in RFC 2918), SAFI (1), then for a normal
 * request optional ORF entries (RFC 5291), which Tern does not use and skips. A Beginning
 * or End of Route Refresh marker must be exactly 4 octets (RFC 7313 §5).
 */
#include "wire/bgp.h"

#include <string.h>

#define ROUTE_REFRESH_BODY_LEN (BGP_ROUTE_REFRESH_LEN - BGP_HEADER_LEN)

/*
 * RFC 7313 §5: the data of the Invalid Message Length NOTIFICATION is the complete
 * ROUTE-REFRESH message. We only hold the body; the header is rebuilt from what framing
 * already verified (all-ones marker, the length, type 5) and the body is copied from the
 * bounded reader. What does not fit in the error's data buffer is cut off.
 */
static void route_refresh_length_error(struct reader body, struct bgp_error *err)
{
	bgp_error_set(err, BGP_ERR_ROUTE_REFRESH, BGP_ERR_ROUTE_REFRESH_INVALID_LENGTH);
	size_t body_len = reader_remaining(&body);
	size_t msg_len = body_len + BGP_HEADER_LEN;
	struct writer w = writer_make(err->data, sizeof(err->data));
	for (int i = 0; i < 16; i++)
		writer_u8(&w, 0xff);
	writer_u16(&w, msg_len > 0xffff ? 0xffff : (uint16_t)msg_len);
	writer_u8(&w, BGP_MSG_ROUTE_REFRESH);
	size_t room = w.cap - w.len;
	size_t n = body_len < room ? body_len : room;
	uint8_t part[BGP_ERROR_DATA_MAX];
	if (reader_bytes(&body, part, n))
		writer_bytes(&w, part, n);
	err->data_len = (uint16_t)w.len;
}

bool bgp_route_refresh_decode(struct reader *body, struct bgp_route_refresh *out,
			      struct bgp_error *err)
{
	memset(out, 0, sizeof(*out));
	struct reader whole = *body;
	size_t body_len = reader_remaining(body);
	if (body_len < ROUTE_REFRESH_BODY_LEN) {
		/* Framing already refuses this (RFC 4271 §6.1); kept for direct callers. */
		bgp_error_set(err, BGP_ERR_HEADER, BGP_ERR_HEADER_BAD_LENGTH);
		uint16_t msg_len = (uint16_t)(body_len + BGP_HEADER_LEN);
		err->data[0] = (uint8_t)(msg_len >> 8);
		err->data[1] = (uint8_t)msg_len;
		err->data_len = 2;
		return false;
	}
	out->afi = reader_u16(body);
	out->subtype = reader_u8(body);
	out->safi = reader_u8(body);
	bool marker = out->subtype == BGP_ROUTE_REFRESH_BORR ||
		      out->subtype == BGP_ROUTE_REFRESH_EORR;
	if (marker && body_len != ROUTE_REFRESH_BODY_LEN) {
		route_refresh_length_error(whole, err);
		return false;
	}
	/* RFC 5291 ORF entries of a normal request, or whatever follows an unknown subtype
	 * (RFC 7313 §5 says to ignore such a message; the caller does): skipped. */
	reader_skip(body, reader_remaining(body));
	return reader_ok(body);
}

size_t bgp_route_refresh_encode(struct writer *w, const struct bgp_route_refresh *rr)
{
	size_t start = bgp_header_begin(w, BGP_MSG_ROUTE_REFRESH);
	writer_u16(w, rr->afi);
	writer_u8(w, rr->subtype);
	writer_u8(w, rr->safi);
	if (!bgp_header_end(w, start, BGP_MAX_MESSAGE))
		return 0;
	return w->len - start;
}
