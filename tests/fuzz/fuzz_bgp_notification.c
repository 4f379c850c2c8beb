/*
 * DOC: fuzz target for the NOTIFICATION decoder (input: the body after the header).
 *
 * Oracles: a decoded NOTIFICATION re-encodes (when it fits in 4096 octets) to a message that
 * frames and decodes to the same code, subcode, data and shutdown communication; a shutdown
 * communication is reported only when its length fits in the data. The input, as text, is
 * also turned into shutdown data, which must decode back to the same (possibly cut) text and
 * never be cut inside a UTF-8 sequence.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wire/bgp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
	if (!ok)
		abort();
}

static void check_shutdown_text(const uint8_t *data, size_t size)
{
	char text[300];
	size_t n = size < sizeof(text) - 1 ? size : sizeof(text) - 1;
	memcpy(text, data, n);
	text[n] = '\0';
	size_t text_len = strlen(text);

	uint8_t sd[256];
	size_t sd_len = bgp_shutdown_message_data(text, sd);
	check(sd_len >= 1 && sd_len <= 256 && sd_len == (size_t)sd[0] + 1);
	check(memcmp(sd + 1, text, sd[0]) == 0);
	if (text_len <= 255)
		check(sd[0] == text_len);
	else if (sd[0] < 255) /* backed up: now on a character boundary, at most 3 back */
		check(((uint8_t)text[sd[0]] & 0xc0) != 0x80 && sd[0] >= 252);
	else /* cut at 255: on a boundary, or no lead octet within 3 (not UTF-8) */
		check(((uint8_t)text[255] & 0xc0) != 0x80 ||
		      (((uint8_t)text[252] & 0xc0) == 0x80 && ((uint8_t)text[253] & 0xc0) == 0x80 &&
		       ((uint8_t)text[254] & 0xc0) == 0x80));

	/* As the data of a Cease/Administrative Shutdown, it decodes to the same text. */
	uint8_t msg[BGP_NOTIFICATION_MIN_LEN + 256];
	struct writer w = writer_make(msg, sizeof(msg));
	struct bgp_notification n1 = { .code = BGP_ERR_CEASE,
					.subcode = BGP_CEASE_ADMIN_SHUTDOWN,
					.data_len = (uint16_t)sd_len,
					.data = sd };
	size_t len = bgp_notification_encode(&w, &n1);
	check(len == BGP_HEADER_LEN + 2 + sd_len);
	struct reader body = reader_make(msg, len);
	reader_skip(&body, BGP_HEADER_LEN);
	struct bgp_notification n2;
	check(bgp_notification_decode(&body, &n2));
	check(n2.has_shutdown_message && n2.shutdown_message_len == sd[0]);
	check(memcmp(n2.shutdown_message, text, sd[0]) == 0 && n2.shutdown_message[sd[0]] == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_shutdown_text(data, size);

	struct reader body = reader_make(data, size);
	struct bgp_notification n;
	if (!bgp_notification_decode(&body, &n)) {
		check(size < 2 || size - 2 > BGP_MAX_EXTENDED_MESSAGE);
		return 0;
	}
	check((size_t)n.data_len + 2 == size);
	(void)bgp_error_subcode_name(n.code, n.subcode);
	bool shutdown_kind = n.code == BGP_ERR_CEASE && (n.subcode == BGP_CEASE_ADMIN_SHUTDOWN ||
							 n.subcode == BGP_CEASE_ADMIN_RESET);
	if (n.has_shutdown_message) {
		check(shutdown_kind && n.data_len >= 1u + n.shutdown_message_len);
		check(n.shutdown_message_len == n.data[0]);
		check(n.shutdown_message[n.shutdown_message_len] == '\0');
	} else if (shutdown_kind && n.data_len >= 1) {
		check(n.data_len < 1u + n.data[0]);
	}

	static uint8_t buf[BGP_MAX_EXTENDED_MESSAGE + 64];
	struct writer w = writer_make(buf, sizeof(buf));
	size_t len = bgp_notification_encode(&w, &n);
	if (n.data_len > BGP_MAX_MESSAGE - BGP_NOTIFICATION_MIN_LEN) {
		check(len == 0);
		return 0;
	}
	check(len == (size_t)BGP_NOTIFICATION_MIN_LEN + n.data_len);
	struct bgp_header hdr;
	struct bgp_error err;
	check(bgp_frame(buf, len, BGP_MAX_MESSAGE, &hdr, &err) == 1);
	check(hdr.type == BGP_MSG_NOTIFICATION && hdr.length == len);
	struct reader again_body = reader_make(buf, len);
	reader_skip(&again_body, BGP_HEADER_LEN);
	struct bgp_notification again;
	check(bgp_notification_decode(&again_body, &again));
	check(again.code == n.code && again.subcode == n.subcode);
	check(again.data_len == n.data_len);
	check(n.data_len == 0 || memcmp(again.data, n.data, n.data_len) == 0);
	check(again.has_shutdown_message == n.has_shutdown_message);
	check(again.shutdown_message_len == n.shutdown_message_len);
	check(memcmp(again.shutdown_message, n.shutdown_message, sizeof(n.shutdown_message)) == 0);
	return 0;
}
