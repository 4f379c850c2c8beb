/*
 * DOC: fuzz target for the OPEN decoder (input: the body after the 19-octet header).
 *
 * Oracle: an OPEN that decodes is encoded again, framed and decoded again, and both decoded
 * structs must agree field by field. Two differences are allowed by the codec's contract:
 * the encoder picks the RFC 9072 form by size alone, and an unknown capability longer than
 * BGP_CAP_UNKNOWN_DATA_MAX comes back with the length of the part that was kept.
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

static void compare_caps(const struct bgp_capabilities *a, const struct bgp_capabilities *b)
{
	check(a->present == b->present);
	check(a->multiprotocol_count == b->multiprotocol_count);
	for (size_t i = 0; i < a->multiprotocol_count; i++) {
		check(a->multiprotocol[i].afi == b->multiprotocol[i].afi);
		check(a->multiprotocol[i].safi == b->multiprotocol[i].safi);
	}
	check(a->route_refresh == b->route_refresh);
	check(a->enhanced_route_refresh == b->enhanced_route_refresh);
	check(a->extended_message == b->extended_message);
	check(a->as4 == b->as4);
	check(a->as4_number == b->as4_number);
	check(a->graceful_restart == b->graceful_restart);
	check(a->gr.flags_and_time == b->gr.flags_and_time);
	check(a->gr.afi_count == b->gr.afi_count);
	for (size_t i = 0; i < a->gr.afi_count; i++) {
		check(a->gr.afi[i].afi == b->gr.afi[i].afi);
		check(a->gr.afi[i].safi == b->gr.afi[i].safi);
		check(a->gr.afi[i].flags == b->gr.afi[i].flags);
	}
	check(a->unknown_count == b->unknown_count);
	for (size_t i = 0; i < a->unknown_count; i++) {
		const struct bgp_unknown_capability *ua = &a->unknown[i], *ub = &b->unknown[i];
		check(ua->code == ub->code);
		check(ua->data_len == ub->data_len);
		check(ub->length == ub->data_len);
		check(ua->length == ua->data_len || ua->data_len == BGP_CAP_UNKNOWN_DATA_MAX);
		check(memcmp(ua->data, ub->data, ua->data_len) == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reader body = reader_make(data, size);
	struct bgp_open open;
	struct bgp_error err;
	memset(&err, 0, sizeof(err));
	if (!bgp_open_decode(&body, &open, &err)) {
		/* Only OPEN errors, or 1/2 for a short body. */
		check(err.code == BGP_ERR_OPEN || (err.code == BGP_ERR_HEADER &&
						   err.subcode == BGP_ERR_HEADER_BAD_LENGTH));
		check(err.data_len <= BGP_ERROR_DATA_MAX);
		(void)bgp_error_subcode_name(err.code, err.subcode);
		return 0;
	}
	check(open.version == BGP_VERSION && open.bgp_id != 0);
	check(open.hold_time == 0 || open.hold_time >= 3);
	(void)bgp_open_check(&open, bgp_open_peer_as(&open), open.bgp_id ^ 1u, &err);

	/* Whatever the decoder accepted fits in one OPEN. */
	uint8_t buf[BGP_MAX_MESSAGE];
	struct writer w = writer_make(buf, sizeof(buf));
	size_t len = bgp_open_encode(&w, &open);
	check(len >= BGP_OPEN_MIN_LEN && len == w.len);
	struct bgp_header hdr;
	check(bgp_frame(buf, len, BGP_MAX_MESSAGE, &hdr, &err) == 1);
	check(hdr.type == BGP_MSG_OPEN && hdr.length == len);

	struct reader again_body = reader_make(buf, len);
	reader_skip(&again_body, BGP_HEADER_LEN);
	struct bgp_open again;
	check(bgp_open_decode(&again_body, &again, &err));
	check(again.version == open.version);
	check(again.my_as == open.my_as);
	check(again.hold_time == open.hold_time);
	check(again.bgp_id == open.bgp_id);
	check(bgp_open_peer_as(&again) == bgp_open_peer_as(&open));
	compare_caps(&open.caps, &again.caps);

	/* And the second encoding is the same bytes as the first. */
	uint8_t buf2[BGP_MAX_MESSAGE];
	struct writer w2 = writer_make(buf2, sizeof(buf2));
	check(bgp_open_encode(&w2, &again) == len && memcmp(buf, buf2, len) == 0);
	return 0;
}
