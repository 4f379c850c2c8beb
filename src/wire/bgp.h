/*
 * DOC: BGP-4 message codec (RFC 4271), pure.
 *
 * Bytes in, structs and a classified error out; structs in, bytes out. No daemon state, no
 * I/O, no allocation. Every decoder reads through the bounded reader (lib/reader.h) and, on
 * failure, fills a struct bgp_error with the NOTIFICATION that RFC 4271 §6 prescribes. Data
 * of that NOTIFICATION is copied from the bounded sub-buffer (never trusted from a declared
 * length) into the error's own small buffer.
 *
 * Offered here: the 19-byte header and framing, OPEN with capabilities (RFC 5492) and the
 * RFC 9072 extended optional parameters length, UPDATE framing into withdrawn / attributes /
 * NLRI sub-readers and IPv4 NLRI prefixes, KEEPALIVE, NOTIFICATION (with the RFC 8203
 * shutdown communication), ROUTE-REFRESH (RFC 2918, RFC 7313 subtypes), and the names of
 * message types and NOTIFICATION codes for logs and `show` output.
 */
#ifndef TERN_WIRE_BGP_H
#define TERN_WIRE_BGP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/reader.h"
#include "lib/writer.h"

#define BGP_PORT 179
#define BGP_VERSION 4
#define BGP_HEADER_LEN 19
#define BGP_MAX_MESSAGE 4096
#define BGP_MAX_EXTENDED_MESSAGE 65535 /* RFC 8654 */
#define BGP_AS_TRANS 23456             /* RFC 6793 §9 */
#define BGP_OPEN_MIN_LEN 29
#define BGP_KEEPALIVE_LEN 19
#define BGP_NOTIFICATION_MIN_LEN 21
#define BGP_ROUTE_REFRESH_LEN 23
#define BGP_UPDATE_MIN_LEN 23

enum bgp_msg_type {
	BGP_MSG_OPEN = 1,
	BGP_MSG_UPDATE = 2,
	BGP_MSG_NOTIFICATION = 3,
	BGP_MSG_KEEPALIVE = 4,
	BGP_MSG_ROUTE_REFRESH = 5, /* RFC 2918 */
	BGP_MSG_TYPE_COUNT = 6,
};

/* NOTIFICATION error codes and subcodes, RFC 4271 §4.5, RFC 4486, RFC 7313, RFC 9003. */
enum bgp_error_code {
	BGP_ERR_HEADER = 1,
	BGP_ERR_OPEN = 2,
	BGP_ERR_UPDATE = 3,
	BGP_ERR_HOLD_TIMER = 4,
	BGP_ERR_FSM = 5,
	BGP_ERR_CEASE = 6,
	BGP_ERR_ROUTE_REFRESH = 7, /* RFC 7313 */
};

enum bgp_header_subcode {
	BGP_ERR_HEADER_NOT_SYNCHRONIZED = 1,
	BGP_ERR_HEADER_BAD_LENGTH = 2,
	BGP_ERR_HEADER_BAD_TYPE = 3,
};

enum bgp_open_subcode {
	BGP_ERR_OPEN_UNSPECIFIC = 0,
	BGP_ERR_OPEN_UNSUPPORTED_VERSION = 1,
	BGP_ERR_OPEN_BAD_PEER_AS = 2,
	BGP_ERR_OPEN_BAD_BGP_ID = 3,
	BGP_ERR_OPEN_UNSUPPORTED_PARAMETER = 4,
	BGP_ERR_OPEN_UNACCEPTABLE_HOLD_TIME = 6,
	BGP_ERR_OPEN_UNSUPPORTED_CAPABILITY = 7, /* RFC 5492 */
	BGP_ERR_OPEN_ROLE_MISMATCH = 11,         /* RFC 9234 */
};

enum bgp_update_subcode {
	BGP_ERR_UPDATE_MALFORMED_ATTRIBUTE_LIST = 1,
	BGP_ERR_UPDATE_UNRECOGNIZED_WELL_KNOWN = 2,
	BGP_ERR_UPDATE_MISSING_WELL_KNOWN = 3,
	BGP_ERR_UPDATE_ATTRIBUTE_FLAGS = 4,
	BGP_ERR_UPDATE_ATTRIBUTE_LENGTH = 5,
	BGP_ERR_UPDATE_INVALID_ORIGIN = 6,
	BGP_ERR_UPDATE_INVALID_NEXT_HOP = 8,
	BGP_ERR_UPDATE_OPTIONAL_ATTRIBUTE = 9,
	BGP_ERR_UPDATE_INVALID_NETWORK_FIELD = 10,
	BGP_ERR_UPDATE_MALFORMED_AS_PATH = 11,
};

enum bgp_fsm_subcode { /* RFC 6608 */
	BGP_ERR_FSM_UNSPECIFIC = 0,
	BGP_ERR_FSM_IN_OPENSENT = 1,
	BGP_ERR_FSM_IN_OPENCONFIRM = 2,
	BGP_ERR_FSM_IN_ESTABLISHED = 3,
};

enum bgp_cease_subcode { /* RFC 4486 */
	BGP_CEASE_MAX_PREFIXES = 1,
	BGP_CEASE_ADMIN_SHUTDOWN = 2,
	BGP_CEASE_PEER_DECONFIGURED = 3,
	BGP_CEASE_ADMIN_RESET = 4,
	BGP_CEASE_CONNECTION_REJECTED = 5,
	BGP_CEASE_CONFIG_CHANGE = 6,
	BGP_CEASE_CONNECTION_COLLISION = 7,
	BGP_CEASE_OUT_OF_RESOURCES = 8,
	BGP_CEASE_HARD_RESET = 9, /* RFC 8538 */
	BGP_CEASE_BFD_DOWN = 10,  /* RFC 9384 */
};

enum bgp_route_refresh_error_subcode { /* RFC 7313 §5 */
	BGP_ERR_ROUTE_REFRESH_INVALID_LENGTH = 1,
};

/* Optional parameter and capability codes: RFC 5492, RFC 4760, RFC 2918, RFC 7313, RFC 6793,
 * RFC 8654, RFC 4724. */
#define BGP_OPT_PARAM_CAPABILITIES 2
#define BGP_OPT_PARAM_EXTENDED_LENGTH 255 /* RFC 9072 */
enum bgp_capability_code {
	BGP_CAP_MULTIPROTOCOL = 1,
	BGP_CAP_ROUTE_REFRESH = 2,
	BGP_CAP_EXTENDED_MESSAGE = 6,
	BGP_CAP_GRACEFUL_RESTART = 64,
	BGP_CAP_AS4 = 65,
	BGP_CAP_ENHANCED_ROUTE_REFRESH = 70,
};

#define BGP_AFI_IPV4 1
#define BGP_AFI_IPV6 2
#define BGP_SAFI_UNICAST 1

/* The NOTIFICATION a decode error calls for; data_len 0 means no data. */
#define BGP_ERROR_DATA_MAX 256 /* room for an RFC 9003 shutdown communication */
struct bgp_error {
	uint8_t code;
	uint8_t subcode;
	uint16_t data_len;
	uint8_t data[BGP_ERROR_DATA_MAX];
};

struct bgp_header {
	uint16_t length; /* whole message, header included */
	uint8_t type;
};

/*
 * Framing: looks at the start of a receive buffer. Returns 1 and the header when a whole
 * message of header.length bytes is present, 0 when more bytes are needed, -1 with err set
 * (1/1, 1/2 with the bad length as data, 1/3 with the type as data) when the header is bad.
 * max_len is 4096, or 65535 once extended messages are negotiated (RFC 8654); the length is
 * checked against the type's own minimum and maximum (RFC 4271 §6.1): OPEN 29..4096 and
 * KEEPALIVE exactly 19 whatever max_len is (RFC 8654 §4), UPDATE >= 23, NOTIFICATION >= 21,
 * ROUTE-REFRESH >= 23. The header is checked as soon as its 19 bytes are present, so a bad
 * header is reported without waiting for the body; a marker byte that is not 0xff is reported
 * as soon as it is seen. hdr is filled whenever a valid header is present (return 0 or 1).
 */
int bgp_frame(const uint8_t *buf, size_t len, size_t max_len, struct bgp_header *hdr,
	      struct bgp_error *err);

/* Writes the 19-byte header with a length to patch; returns its offset. */
size_t bgp_header_begin(struct writer *w, enum bgp_msg_type type);
/* Patches the length of the message started at offset; false if it exceeds max_len. */
bool bgp_header_end(struct writer *w, size_t start, size_t max_len);

/* Capabilities of one OPEN: what we send, what a peer sent. */
#define BGP_CAP_MAX_AFI_SAFI 8
#define BGP_CAP_MAX_UNKNOWN 8
#define BGP_CAP_UNKNOWN_DATA_MAX 32
struct bgp_afi_safi {
	uint16_t afi;
	uint8_t safi;
};
struct bgp_unknown_capability {
	uint8_t code;
	uint8_t length;          /* length on the wire */
	uint8_t data_len;        /* bytes kept in data (at most BGP_CAP_UNKNOWN_DATA_MAX) */
	uint8_t data[BGP_CAP_UNKNOWN_DATA_MAX];
};
struct bgp_graceful_restart {
	uint16_t flags_and_time; /* R bit, N bit, restart time (RFC 4724 §3) */
	uint8_t afi_count;
	struct {
		uint16_t afi;
		uint8_t safi;
		uint8_t flags;
	} afi[BGP_CAP_MAX_AFI_SAFI];
};
struct bgp_capabilities {
	bool present; /* an OPEN carried a Capabilities parameter at all */
	uint8_t multiprotocol_count;
	struct bgp_afi_safi multiprotocol[BGP_CAP_MAX_AFI_SAFI];
	bool route_refresh;
	bool enhanced_route_refresh;
	bool extended_message;
	bool as4;
	uint32_t as4_number;
	bool graceful_restart;
	struct bgp_graceful_restart gr;
	uint8_t unknown_count;
	struct bgp_unknown_capability unknown[BGP_CAP_MAX_UNKNOWN];
};

struct bgp_open {
	uint8_t version;
	uint16_t my_as;       /* as on the wire: AS_TRANS when the real AS is 4-octet */
	uint16_t hold_time;
	uint32_t bgp_id;      /* host order */
	bool extended_parameters; /* RFC 9072 encoding was used */
	struct bgp_capabilities caps;
};

/* The AS a peer really has: the 4-octet capability's value if present (RFC 6793 §4.1). */
uint32_t bgp_open_peer_as(const struct bgp_open *open);

/*
 * OPEN body (after the header) decode, RFC 4271 §6.2 syntax checks:
 *   version != 4                     -> 2/1, data = 2 octets, our highest version (4)
 *   hold time 1 or 2                 -> 2/6
 *   BGP Identifier 0                 -> 2/3 (RFC 6286 §2.2, which updates RFC 4271: any
 *                                       other value, multicast or all-ones included, is valid)
 *   optional parameters that overrun the declared length (or do not fill the rest of the
 *   body exactly), a capability TLV that overruns its parameter, or a known capability with a
 *   wrong length -> 2/0 (unspecific)
 *   an optional parameter type other than 2 (Capabilities) -> 2/4 (Unsupported Optional
 *   Parameter)
 *   a short body (under 10 octets) -> 1/2 with the message length as data
 * RFC 9072 §2: a non-zero Optional Parameters Length followed by a first parameter type of
 * 255 announces the extended form (2-octet total length, 2-octet parameter lengths).
 * Several Capabilities parameters, and several capabilities in one, are merged.
 * Unknown capabilities are kept (up to BGP_CAP_MAX_UNKNOWN), never an error (RFC 5492 §4).
 * Multiprotocol and graceful restart AFI/SAFI entries beyond BGP_CAP_MAX_AFI_SAFI are dropped.
 * Peer AS and identifier checks against configuration belong to the session:
 * bgp_open_check(). Returns true on success.
 */
bool bgp_open_decode(struct reader *body, struct bgp_open *out, struct bgp_error *err);

/* Session-level OPEN checks against the configuration (RFC 4271 §6.2, RFC 6793 §4.1):
 * the peer's AS (4-octet capability value if present) must be non-zero (RFC 7607 §2) and equal
 * expected_as (2/2, data = the 2-octet My AS field); the peer's identifier must differ from
 * local_id (2/3; RFC 6286 §2.2 requires this for internal peers only, Tern asks it of all). */
bool bgp_open_check(const struct bgp_open *open, uint32_t expected_as, uint32_t local_id,
		    struct bgp_error *err);

/* Encodes a whole OPEN message (header included). Uses RFC 9072 only if the parameters do
 * not fit in 255 octets. Returns bytes written or 0 on overflow. A Capabilities parameter is
 * written when caps.present is set or any capability is; each capability is its own TLV;
 * an unknown capability is written with its data_len bytes. A version of 0 is written as
 * BGP_VERSION. */
size_t bgp_open_encode(struct writer *w, const struct bgp_open *open);

size_t bgp_keepalive_encode(struct writer *w);

struct bgp_notification {
	uint8_t code;
	uint8_t subcode;
	uint16_t data_len;
	const uint8_t *data; /* points into the decoded buffer, or caller's buffer for encode */
	/* RFC 8203/9003: the shutdown communication of a Cease 2 or 4, if well-formed */
	bool has_shutdown_message;
	uint8_t shutdown_message_len;
	char shutdown_message[256];   /* NUL-terminated, UTF-8 as received */
};

/* Body (after the header) decode: false only if the body is shorter than code and subcode.
 * data points into the body reader's buffer. */
bool bgp_notification_decode(struct reader *body, struct bgp_notification *out);
/* Writes code, subcode and n->data (data_len bytes); the shutdown_message fields are not
 * read (build data with bgp_shutdown_message_data). Returns bytes written, or 0 on overflow
 * or if the message would exceed 4096 octets (RFC 8654 §4: the peer may not have the
 * extended message capability). */
size_t bgp_notification_encode(struct writer *w, const struct bgp_notification *n);
/* Builds an admin shutdown/reset NOTIFICATION data from a text (RFC 9003: length octet then
 * up to 255 octets of UTF-8). Returns the data length written to data (at most 256). A
 * longer text is cut at 255 octets, backing up to a UTF-8 character boundary. */
size_t bgp_shutdown_message_data(const char *text, uint8_t data[256]);

/* ROUTE-REFRESH (RFC 2918) with the RFC 7313 message subtype. */
enum bgp_route_refresh_subtype {
	BGP_ROUTE_REFRESH_NORMAL = 0,
	BGP_ROUTE_REFRESH_BORR = 1,
	BGP_ROUTE_REFRESH_EORR = 2,
};
struct bgp_route_refresh {
	uint16_t afi;
	uint8_t subtype;
	uint8_t safi;
};
/* Framing guarantees at least 4 octets of body (a shorter one gives 1/2). RFC 7313 §5: a BoRR
 * or EoRR whose body is not exactly 4 octets gives 7/1 (Invalid Message Length) with as much
 * of the message as fits in the error data (header rebuilt: marker, length, type; then the
 * body); a normal request may carry ORF data (RFC 5291), which is ignored. An unknown
 * subtype decodes; the caller ignores it (RFC 7313 §5). */
bool bgp_route_refresh_decode(struct reader *body, struct bgp_route_refresh *out,
			      struct bgp_error *err);
size_t bgp_route_refresh_encode(struct writer *w, const struct bgp_route_refresh *rr);

/* UPDATE framing (RFC 4271 §4.3): the three parts as bounded sub-readers. Lengths that
 * overrun give 3/1 (Malformed Attribute List, RFC 4271 §6.3). The parts are parsed by their
 * own decoders. */
struct bgp_update_parts {
	struct reader withdrawn;
	struct reader attributes;
	struct reader nlri;
};
bool bgp_update_split(struct reader *body, struct bgp_update_parts *out, struct bgp_error *err);

/* One IPv4 prefix from an NLRI or withdrawn field (RFC 4271 §4.3). Returns 1 with a prefix,
 * 0 at the end, -1 on a malformed prefix (length > 32 or short bytes); after -1 the field
 * reader is failed and every later call returns -1. Encode writes host bits as zero and
 * fails on a length > 32. */
struct bgp_prefix4 {
	uint32_t addr; /* host order, host bits zero */
	uint8_t len;
};
int bgp_prefix4_next(struct reader *field, struct bgp_prefix4 *out);
bool bgp_prefix4_encode(struct writer *w, const struct bgp_prefix4 *p);

/* Names for logs and show output. */
const char *bgp_msg_type_name(uint8_t type);
const char *bgp_error_code_name(uint8_t code);
/* "Cease/Administrative Shutdown", "OPEN Message Error/Bad Peer AS", ... */
const char *bgp_error_subcode_name(uint8_t code, uint8_t subcode);
const char *bgp_capability_name(uint8_t code);

static inline void bgp_error_set(struct bgp_error *err, uint8_t code, uint8_t subcode)
{
	err->code = code;
	err->subcode = subcode;
	err->data_len = 0;
}

#endif
