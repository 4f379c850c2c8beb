/*
 * DOC: BGP message header and framing (RFC 4271 §4.1, §6.1).
 *
 * bgp_frame() looks at the start of a receive buffer and says whether a whole message is
 * there, whether more bytes are needed, or whether the header is bad and which Message
 * Header Error NOTIFICATION to send. It reads through a bounded reader only and never looks
 * past the header until the whole message is present. Encoders write the header with a
 * length placeholder (bgp_header_begin) and patch it once the body is known
 * (bgp_header_end).
 */
#include "wire/bgp.h"

#include <string.h>

#define BGP_MARKER_LEN 16

/* RFC 4271 §6.1: the marker must be all ones. Checks only the bytes present, so garbage is
 * caught before a whole header has arrived. */
static bool marker_ok(struct reader *r)
{
	size_t n = reader_remaining(r) < BGP_MARKER_LEN ? reader_remaining(r) : BGP_MARKER_LEN;
	for (size_t i = 0; i < n; i++)
		if (reader_u8(r) != 0xff)
			return false;
	return true;
}

/* RFC 4271 §6.1 and the per-type minimums of §4.2-§4.5, RFC 2918 §3; RFC 8654 §4: OPEN and
 * KEEPALIVE never use the extended length. */
static bool length_fits_type(uint8_t type, size_t length, size_t max_len)
{
	switch (type) {
	case BGP_MSG_OPEN:
		return length >= BGP_OPEN_MIN_LEN && length <= BGP_MAX_MESSAGE;
	case BGP_MSG_UPDATE:
		return length >= BGP_UPDATE_MIN_LEN && length <= max_len;
	case BGP_MSG_NOTIFICATION:
		return length >= BGP_NOTIFICATION_MIN_LEN && length <= max_len;
	case BGP_MSG_KEEPALIVE:
		return length == BGP_KEEPALIVE_LEN;
	case BGP_MSG_ROUTE_REFRESH:
		/* RFC 5291 ORF entries may follow the 4 fixed octets of a normal request. */
		return length >= BGP_ROUTE_REFRESH_LEN && length <= max_len;
	default:
		return false;
	}
}

static bool type_known(uint8_t type)
{
	return type >= BGP_MSG_OPEN && type < BGP_MSG_TYPE_COUNT;
}

/* Copies the length field (2 octets) or the type field (1 octet) as NOTIFICATION data, from a
 * reader bounded to the header. */
static void error_with_field(struct bgp_error *err, uint8_t subcode, struct reader field)
{
	bgp_error_set(err, BGP_ERR_HEADER, subcode);
	size_t n = reader_remaining(&field);
	if (reader_bytes(&field, err->data, n))
		err->data_len = (uint16_t)n;
}

int bgp_frame(const uint8_t *buf, size_t len, size_t max_len, struct bgp_header *hdr,
	      struct bgp_error *err)
{
	struct reader r = reader_make(buf, len);
	if (!marker_ok(&r)) {
		bgp_error_set(err, BGP_ERR_HEADER, BGP_ERR_HEADER_NOT_SYNCHRONIZED);
		return -1;
	}
	if (len < BGP_HEADER_LEN)
		return 0;

	/* Carve the two fields so the NOTIFICATION data comes from them, bounded. */
	struct reader length_field = reader_sub(&r, 2);
	struct reader type_field = reader_sub(&r, 1);
	struct reader lr = length_field, tr = type_field;
	uint16_t length = reader_u16(&lr);
	uint8_t type = reader_u8(&tr);
	if (max_len > BGP_MAX_EXTENDED_MESSAGE)
		max_len = BGP_MAX_EXTENDED_MESSAGE;

	/* RFC 4271 §6.1: the length is judged first, then the type, then the length again
	 * against what the type allows. */
	if (length < BGP_HEADER_LEN || length > max_len) {
		error_with_field(err, BGP_ERR_HEADER_BAD_LENGTH, length_field);
		return -1;
	}
	if (!type_known(type)) {
		error_with_field(err, BGP_ERR_HEADER_BAD_TYPE, type_field);
		return -1;
	}
	if (!length_fits_type(type, length, max_len)) {
		error_with_field(err, BGP_ERR_HEADER_BAD_LENGTH, length_field);
		return -1;
	}
	hdr->length = length;
	hdr->type = type;
	return len >= length ? 1 : 0;
}

size_t bgp_header_begin(struct writer *w, enum bgp_msg_type type)
{
	size_t start = w->len;
	uint8_t marker[BGP_MARKER_LEN];
	memset(marker, 0xff, sizeof(marker));
	writer_bytes(w, marker, sizeof(marker));
	writer_reserve(w, 2);
	writer_u8(w, (uint8_t)type);
	return start;
}

bool bgp_header_end(struct writer *w, size_t start, size_t max_len)
{
	if (!writer_ok(w) || w->len < start + BGP_HEADER_LEN)
		return false;
	size_t length = w->len - start;
	if (length > max_len || length > BGP_MAX_EXTENDED_MESSAGE)
		return false;
	writer_patch_u16(w, start + BGP_MARKER_LEN, (uint16_t)length);
	return true;
}

size_t bgp_keepalive_encode(struct writer *w)
{
	size_t start = bgp_header_begin(w, BGP_MSG_KEEPALIVE);
	if (!bgp_header_end(w, start, BGP_KEEPALIVE_LEN))
		return 0;
	return w->len - start;
}
