/*
 * DOC: NOTIFICATION message (RFC 4271 §4.5) and the shutdown communication (RFC 9003).
 *
 * A NOTIFICATION is code, subcode and data to the end of the message. The decoded data
 * points into the caller's buffer, bounded by the body reader. For Cease subcodes 2
 * (Administrative Shutdown) and 4 (Administrative Reset) the data may start with a length
 * octet and that many octets of UTF-8 text, which we copy out NUL-terminated for logs and
 * `show` output when the length fits in the data.
 */
#include "wire/bgp.h"

#include <string.h>

/* RFC 9003 §2: at most 255 octets of text after the length octet. */
#define SHUTDOWN_TEXT_MAX 255

static void decode_shutdown_message(struct bgp_notification *n)
{
	struct reader data = reader_make(n->data, n->data_len);
	uint8_t len = reader_u8(&data);
	if (!reader_ok(&data))
		return; /* no data at all: a plain Cease */
	/*
	 * RFC 9003 §2 asks that a bad length or bad UTF-8 be logged and otherwise ignored.
	 * We report the text only when the length fits; the text is kept as received (the
	 * printer escapes it) and anything after it is left in data.
	 */
	if (!reader_bytes(&data, n->shutdown_message, len))
		return;
	n->shutdown_message[len] = '\0';
	n->shutdown_message_len = len;
	n->has_shutdown_message = true;
}

bool bgp_notification_decode(struct reader *body, struct bgp_notification *out)
{
	memset(out, 0, sizeof(*out));
	out->code = reader_u8(body);
	out->subcode = reader_u8(body);
	if (!reader_ok(body))
		return false;
	/* RFC 4271 §4.5: the data runs to the end of the message. */
	size_t n = reader_remaining(body);
	if (n > BGP_MAX_EXTENDED_MESSAGE)
		return false; /* larger than any message: not a NOTIFICATION body */
	struct reader data = reader_sub(body, n);
	out->data_len = (uint16_t)n;
	out->data = n ? reader_ptr(&data) : NULL;
	if (out->code == BGP_ERR_CEASE &&
	    (out->subcode == BGP_CEASE_ADMIN_SHUTDOWN || out->subcode == BGP_CEASE_ADMIN_RESET))
		decode_shutdown_message(out);
	return true;
}

size_t bgp_notification_encode(struct writer *w, const struct bgp_notification *n)
{
	size_t start = bgp_header_begin(w, BGP_MSG_NOTIFICATION);
	writer_u8(w, n->code);
	writer_u8(w, n->subcode);
	if (n->data_len) {
		if (!n->data)
			return 0;
		writer_bytes(w, n->data, n->data_len);
	}
	/* RFC 8654 §4 lets a NOTIFICATION be extended only once the capability is known on
	 * both sides; we do not know that here, so we stay within 4096. */
	if (!bgp_header_end(w, start, BGP_MAX_MESSAGE))
		return 0;
	return w->len - start;
}

/* Length of the longest prefix of s (at most max octets) that does not cut a UTF-8
 * sequence: back up over continuation octets (10xxxxxx) to the lead octet. A sequence is at
 * most 4 octets (RFC 3629 §3), so at most 3 are backed over; more continuation octets than
 * that is not UTF-8, and is cut at max rather than emptied. */
static size_t utf8_cut(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	for (size_t back = 0; back <= 3 && back < max; back++)
		if (((uint8_t)s[max - back] & 0xc0) != 0x80)
			return max - back;
	return max;
}

size_t bgp_shutdown_message_data(const char *text, uint8_t data[256])
{
	size_t len = text ? strlen(text) : 0;
	len = utf8_cut(text, len, SHUTDOWN_TEXT_MAX);
	data[0] = (uint8_t)len;
	if (len)
		memcpy(data + 1, text, len);
	return len + 1;
}
