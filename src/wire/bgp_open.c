/*
 * DOC: OPEN message and capabilities (RFC 4271 §4.2, §6.2; RFC 5492; RFC 9072).
 *
 * Decode carves the body into fixed fields and an optional parameters sub-reader whose
 * length is the declared one; each parameter is carved again by its own length, and each
 * capability TLV inside a Capabilities parameter once more. A bad inner length can therefore
 * only fail its own sub-reader, and every such failure maps to one NOTIFICATION (2/0 for
 * lengths, 2/4 for a parameter type we do not know). Syntax checks that need no
 * configuration live in bgp_open_decode(); checks against the configured peer live in
 * bgp_open_check(), which the session calls.
 *
 * Encode writes what the caller filled in: My AS is put as is (AS_TRANS for a 4-octet AS is
 * the caller's choice, RFC 6793 §4.2.2), and all capabilities go into one Capabilities
 * parameter, each in its own TLV (RFC 5492 §4 allows either form; one TLV each is what most
 * speakers send and what every receiver accepts).
 */
#include "wire/bgp.h"

#include <string.h>

/* Fixed part of the OPEN body: version, My AS, Hold Time, BGP Identifier, Opt Parm Len. */
#define OPEN_FIXED_LEN 10
/* Room for the largest capability set the struct can hold (about 370 octets). */
#define OPEN_CAPS_MAX 512

static bool open_error(struct bgp_error *err, uint8_t subcode)
{
	bgp_error_set(err, BGP_ERR_OPEN, subcode);
	return false;
}

static void add_multiprotocol(struct bgp_capabilities *caps, uint16_t afi, uint8_t safi)
{
	for (uint8_t i = 0; i < caps->multiprotocol_count; i++)
		if (caps->multiprotocol[i].afi == afi && caps->multiprotocol[i].safi == safi)
			return;
	if (caps->multiprotocol_count >= BGP_CAP_MAX_AFI_SAFI)
		return; /* more families than we could ever use: ignored, not an error */
	caps->multiprotocol[caps->multiprotocol_count].afi = afi;
	caps->multiprotocol[caps->multiprotocol_count].safi = safi;
	caps->multiprotocol_count++;
}

/* RFC 4724 §3: Restart Flags and Time (2 octets), then 4 octets per address family. A
 * repeated capability replaces the earlier one. */
static bool decode_graceful_restart(struct reader *v, struct bgp_capabilities *caps)
{
	size_t len = reader_remaining(v);
	if (len < 2 || (len - 2) % 4 != 0)
		return false;
	caps->graceful_restart = true;
	caps->gr.flags_and_time = reader_u16(v);
	caps->gr.afi_count = 0;
	while (!reader_empty(v)) {
		uint16_t afi = reader_u16(v);
		uint8_t safi = reader_u8(v);
		uint8_t flags = reader_u8(v);
		if (caps->gr.afi_count >= BGP_CAP_MAX_AFI_SAFI)
			continue;
		caps->gr.afi[caps->gr.afi_count].afi = afi;
		caps->gr.afi[caps->gr.afi_count].safi = safi;
		caps->gr.afi[caps->gr.afi_count].flags = flags;
		caps->gr.afi_count++;
	}
	return reader_ok(v);
}

/* RFC 5492 §4: unknown capabilities are not an error; we keep them for `show` output. */
static void keep_unknown(struct reader *v, uint8_t code, uint8_t length,
			 struct bgp_capabilities *caps)
{
	if (caps->unknown_count >= BGP_CAP_MAX_UNKNOWN)
		return;
	struct bgp_unknown_capability *u = &caps->unknown[caps->unknown_count++];
	u->code = code;
	u->length = length;
	u->data_len = length < BGP_CAP_UNKNOWN_DATA_MAX ? length : BGP_CAP_UNKNOWN_DATA_MAX;
	reader_bytes(v, u->data, u->data_len);
}

/* One capability value, already carved to its declared length. False on a wrong length
 * for a capability whose length the RFC fixes. */
static bool decode_capability(uint8_t code, uint8_t length, struct reader *v,
			      struct bgp_capabilities *caps)
{
	switch (code) {
	case BGP_CAP_MULTIPROTOCOL: { /* RFC 4760 §8: AFI(2) Reserved(1) SAFI(1) */
		if (length != 4)
			return false;
		uint16_t afi = reader_u16(v);
		reader_skip(v, 1);
		uint8_t safi = reader_u8(v);
		add_multiprotocol(caps, afi, safi);
		return reader_ok(v);
	}
	case BGP_CAP_ROUTE_REFRESH: /* RFC 2918 §2 */
		caps->route_refresh = true;
		return length == 0;
	case BGP_CAP_ENHANCED_ROUTE_REFRESH: /* RFC 7313 §3.1 */
		caps->enhanced_route_refresh = true;
		return length == 0;
	case BGP_CAP_EXTENDED_MESSAGE: /* RFC 8654 §3 */
		caps->extended_message = true;
		return length == 0;
	case BGP_CAP_AS4: /* RFC 6793 §3 */
		if (length != 4)
			return false;
		caps->as4 = true;
		caps->as4_number = reader_u32(v);
		return reader_ok(v);
	case BGP_CAP_GRACEFUL_RESTART:
		return decode_graceful_restart(v, caps);
	default:
		keep_unknown(v, code, length, caps);
		return true;
	}
}

/* RFC 5492 §4: a Capabilities parameter holds one or more code/length/value triples. */
static bool decode_capabilities(struct reader *param, struct bgp_capabilities *caps)
{
	caps->present = true;
	while (!reader_empty(param)) {
		uint8_t code = reader_u8(param);
		uint8_t length = reader_u8(param);
		struct reader v = reader_sub(param, length);
		if (!reader_ok(param))
			return false; /* the TLV overruns its parameter */
		if (!decode_capability(code, length, &v, caps))
			return false;
	}
	return reader_ok(param);
}

/* The optional parameters, carved to their declared total length. wide is the RFC 9072
 * form, where each parameter length is 2 octets. */
static bool decode_parameters(struct reader *params, bool wide, struct bgp_open *out,
			      struct bgp_error *err)
{
	while (!reader_empty(params)) {
		uint8_t type = reader_u8(params);
		size_t length = wide ? reader_u16(params) : reader_u8(params);
		struct reader value = reader_sub(params, length);
		if (!reader_ok(params))
			return open_error(err, BGP_ERR_OPEN_UNSPECIFIC);
		/* RFC 5492 §4 replaced every other parameter; RFC 4271 §6.2 says an
		 * unrecognized one is Unsupported Optional Parameter. */
		if (type != BGP_OPT_PARAM_CAPABILITIES)
			return open_error(err, BGP_ERR_OPEN_UNSUPPORTED_PARAMETER);
		if (!decode_capabilities(&value, &out->caps))
			return open_error(err, BGP_ERR_OPEN_UNSPECIFIC);
	}
	return true;
}

bool bgp_open_decode(struct reader *body, struct bgp_open *out, struct bgp_error *err)
{
	memset(out, 0, sizeof(*out));
	size_t body_len = reader_remaining(body);
	if (body_len < OPEN_FIXED_LEN) {
		/* RFC 4271 §6.1: Bad Message Length, data = the erroneous Length field. */
		bgp_error_set(err, BGP_ERR_HEADER, BGP_ERR_HEADER_BAD_LENGTH);
		uint16_t msg_len = (uint16_t)(body_len + BGP_HEADER_LEN);
		err->data[0] = (uint8_t)(msg_len >> 8);
		err->data[1] = (uint8_t)msg_len;
		err->data_len = 2;
		return false;
	}
	out->version = reader_u8(body);
	out->my_as = reader_u16(body);
	out->hold_time = reader_u16(body);
	out->bgp_id = reader_u32(body);
	uint8_t opt_len = reader_u8(body);

	/* RFC 4271 §6.2: data is the largest version we support below the one bid, or our
	 * smallest if all are above it; we support only 4, so it is 4 either way. */
	if (out->version != BGP_VERSION) {
		bgp_error_set(err, BGP_ERR_OPEN, BGP_ERR_OPEN_UNSUPPORTED_VERSION);
		err->data[0] = 0;
		err->data[1] = BGP_VERSION;
		err->data_len = 2;
		return false;
	}
	/* RFC 4271 §4.2, §6.2: the hold time is 0 or at least 3 seconds. */
	if (out->hold_time == 1 || out->hold_time == 2)
		return open_error(err, BGP_ERR_OPEN_UNACCEPTABLE_HOLD_TIME);
	/*
	 * RFC 4271 §6.2 says the identifier must be a valid unicast host address; RFC 6286
	 * §2.1 relaxed that to any non-zero 4-octet value, which is what we check, so that
	 * speakers deriving their identifier from other numbers are not refused.
	 */
	if (out->bgp_id == 0)
		return open_error(err, BGP_ERR_OPEN_BAD_BGP_ID);

	/* RFC 9072 §2: a non-zero length followed by a first parameter type of 255 means the
	 * extended form; the one-octet length is then ignored. Peek at the type on a copy. */
	struct reader peek = *body;
	bool wide = opt_len != 0 && reader_u8(&peek) == BGP_OPT_PARAM_EXTENDED_LENGTH &&
		    reader_ok(&peek);
	struct reader params;
	if (wide) {
		reader_skip(body, 1);
		uint16_t ext_len = reader_u16(body);
		params = reader_sub(body, ext_len);
	} else {
		params = reader_sub(body, opt_len);
	}
	out->extended_parameters = wide;
	/* The parameters must exist in full and end the message exactly (OpenBGPD and most
	 * speakers treat a mismatch as 2/0, RFC 4271 names no subcode for it). */
	if (!reader_ok(body) || !reader_empty(body))
		return open_error(err, BGP_ERR_OPEN_UNSPECIFIC);
	return decode_parameters(&params, wide, out, err);
}

uint32_t bgp_open_peer_as(const struct bgp_open *open)
{
	/* RFC 6793 §4.1: the capability carries the real AS; My AS may be AS_TRANS. */
	return open->caps.as4 ? open->caps.as4_number : open->my_as;
}

bool bgp_open_check(const struct bgp_open *open, uint32_t expected_as, uint32_t local_id,
		    struct bgp_error *err)
{
	uint32_t peer_as = bgp_open_peer_as(open);
	/* RFC 4271 §6.2, RFC 6793 §4.1; RFC 7607 §2: AS 0 is always a Bad Peer AS. The data
	 * is the 2-octet My AS field as received. */
	if (peer_as == 0 || peer_as != expected_as) {
		bgp_error_set(err, BGP_ERR_OPEN, BGP_ERR_OPEN_BAD_PEER_AS);
		err->data[0] = (uint8_t)(open->my_as >> 8);
		err->data[1] = (uint8_t)open->my_as;
		err->data_len = 2;
		return false;
	}
	/*
	 * RFC 6286 §2.2: an identifier equal to ours is an error for an internal peer; for an
	 * external one it is allowed and collisions are broken by AS. Tern refuses it for
	 * every peer, as RFC 4271 did, which keeps collision resolution simple.
	 */
	if (open->bgp_id == 0 || open->bgp_id == local_id)
		return open_error(err, BGP_ERR_OPEN_BAD_BGP_ID);
	return true;
}

static bool caps_wanted(const struct bgp_capabilities *c)
{
	return c->present || c->multiprotocol_count || c->route_refresh ||
	       c->enhanced_route_refresh || c->extended_message || c->as4 ||
	       c->graceful_restart || c->unknown_count;
}

static void encode_tlv_header(struct writer *w, uint8_t code, size_t length)
{
	writer_u8(w, code);
	writer_u8(w, (uint8_t)length);
}

static void encode_capabilities(struct writer *w, const struct bgp_capabilities *c)
{
	uint8_t mp = c->multiprotocol_count < BGP_CAP_MAX_AFI_SAFI ? c->multiprotocol_count
								    : BGP_CAP_MAX_AFI_SAFI;
	for (uint8_t i = 0; i < mp; i++) {
		encode_tlv_header(w, BGP_CAP_MULTIPROTOCOL, 4);
		writer_u16(w, c->multiprotocol[i].afi);
		writer_u8(w, 0);
		writer_u8(w, c->multiprotocol[i].safi);
	}
	if (c->route_refresh)
		encode_tlv_header(w, BGP_CAP_ROUTE_REFRESH, 0);
	if (c->enhanced_route_refresh)
		encode_tlv_header(w, BGP_CAP_ENHANCED_ROUTE_REFRESH, 0);
	if (c->extended_message)
		encode_tlv_header(w, BGP_CAP_EXTENDED_MESSAGE, 0);
	if (c->as4) {
		encode_tlv_header(w, BGP_CAP_AS4, 4);
		writer_u32(w, c->as4_number);
	}
	if (c->graceful_restart) {
		uint8_t n = c->gr.afi_count < BGP_CAP_MAX_AFI_SAFI ? c->gr.afi_count
								  : BGP_CAP_MAX_AFI_SAFI;
		encode_tlv_header(w, BGP_CAP_GRACEFUL_RESTART, 2 + 4 * (size_t)n);
		writer_u16(w, c->gr.flags_and_time);
		for (uint8_t i = 0; i < n; i++) {
			writer_u16(w, c->gr.afi[i].afi);
			writer_u8(w, c->gr.afi[i].safi);
			writer_u8(w, c->gr.afi[i].flags);
		}
	}
	uint8_t unknown = c->unknown_count < BGP_CAP_MAX_UNKNOWN ? c->unknown_count
								 : BGP_CAP_MAX_UNKNOWN;
	for (uint8_t i = 0; i < unknown; i++) {
		const struct bgp_unknown_capability *u = &c->unknown[i];
		uint8_t n = u->data_len < BGP_CAP_UNKNOWN_DATA_MAX ? u->data_len
								   : BGP_CAP_UNKNOWN_DATA_MAX;
		encode_tlv_header(w, u->code, n);
		writer_bytes(w, u->data, n);
	}
}

size_t bgp_open_encode(struct writer *w, const struct bgp_open *open)
{
	uint8_t caps_buf[OPEN_CAPS_MAX];
	struct writer caps = writer_make(caps_buf, sizeof(caps_buf));
	bool with_caps = caps_wanted(&open->caps);
	if (with_caps)
		encode_capabilities(&caps, &open->caps);
	if (!writer_ok(&caps))
		return 0;

	size_t start = bgp_header_begin(w, BGP_MSG_OPEN);
	writer_u8(w, open->version ? open->version : BGP_VERSION);
	writer_u16(w, open->my_as);
	writer_u16(w, open->hold_time);
	writer_u32(w, open->bgp_id);
	if (!with_caps) {
		writer_u8(w, 0);
	} else if (caps.len + 2 <= 255) {
		/* RFC 4271 §4.2: one-octet lengths while everything fits. */
		writer_u8(w, (uint8_t)(caps.len + 2));
		writer_u8(w, BGP_OPT_PARAM_CAPABILITIES);
		writer_u8(w, (uint8_t)caps.len);
		writer_bytes(w, caps_buf, caps.len);
	} else {
		/* RFC 9072 §2: 255, type 255, 2-octet total, 2-octet parameter lengths. */
		writer_u8(w, 255);
		writer_u8(w, BGP_OPT_PARAM_EXTENDED_LENGTH);
		writer_u16(w, (uint16_t)(caps.len + 3));
		writer_u8(w, BGP_OPT_PARAM_CAPABILITIES);
		writer_u16(w, (uint16_t)caps.len);
		writer_bytes(w, caps_buf, caps.len);
	}
	/* RFC 8654 §4: an OPEN is never an extended message. */
	if (!bgp_header_end(w, start, BGP_MAX_MESSAGE))
		return 0;
	return w->len - start;
}
