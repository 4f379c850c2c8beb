/*
 * DOC: fuzz target for the ROUTE-REFRESH decoder (input: the body after the header).
 *
 * Oracles: a request that decodes re-encodes to a 23-octet message that frames and decodes
 * to the same AFI, subtype and SAFI; a refusal is 1/2 for a body under 4 octets or 7/1 for
 * a BoRR/EoRR of the wrong length, whose data is the message (header rebuilt) cut to the
 * error buffer.
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reader body = reader_make(data, size);
	struct bgp_route_refresh rr;
	struct bgp_error err;
	memset(&err, 0, sizeof(err));
	if (!bgp_route_refresh_decode(&body, &rr, &err)) {
		if (size < 4) {
			check(err.code == BGP_ERR_HEADER && err.subcode == BGP_ERR_HEADER_BAD_LENGTH);
			return 0;
		}
		check(err.code == BGP_ERR_ROUTE_REFRESH &&
		      err.subcode == BGP_ERR_ROUTE_REFRESH_INVALID_LENGTH);
		check(size != 4 && (data[2] == BGP_ROUTE_REFRESH_BORR ||
				    data[2] == BGP_ROUTE_REFRESH_EORR));
		size_t whole = size + BGP_HEADER_LEN;
		size_t want = whole < BGP_ERROR_DATA_MAX ? whole : BGP_ERROR_DATA_MAX;
		check(err.data_len == want);
		check(err.data[0] == 0xff && err.data[15] == 0xff && err.data[18] == 5);
		size_t body_part = want - BGP_HEADER_LEN;
		check(memcmp(err.data + BGP_HEADER_LEN, data, body_part) == 0);
		return 0;
	}
	check(size >= 4);

	uint8_t buf[64];
	struct writer w = writer_make(buf, sizeof(buf));
	check(bgp_route_refresh_encode(&w, &rr) == BGP_ROUTE_REFRESH_LEN);
	check(memcmp(buf + BGP_HEADER_LEN, data, 4) == 0);
	struct bgp_header hdr;
	check(bgp_frame(buf, w.len, BGP_MAX_MESSAGE, &hdr, &err) == 1);
	check(hdr.type == BGP_MSG_ROUTE_REFRESH);
	struct reader again_body = reader_make(buf, w.len);
	reader_skip(&again_body, BGP_HEADER_LEN);
	struct bgp_route_refresh again;
	check(bgp_route_refresh_decode(&again_body, &again, &err));
	check(again.afi == rr.afi && again.subtype == rr.subtype && again.safi == rr.safi);
	return 0;
}
