/*
 * DOC: RIPv1/RIPv2 message codec (RFC 1058, RFC 2453), pure.
 *
 * Bytes in, a struct rip_packet and a classified error out; a struct in, bytes out. No
 * daemon state, no I/O, no allocation; every read goes through the bounded reader.
 *
 * RFC 2453 §4 message: command (1 = Request, 2 = Response), version (1 or 2), two octets
 * unused (must be zero in version 1), then 1 to 25 route entries of 20 octets: AFI (2 = IP),
 * route tag, address, mask, next hop, metric (1-16, 16 = infinity). In version 1 the tag,
 * mask and next hop are must-be-zero (RFC 1058 §3.4). A Request with a single entry of AFI 0
 * and metric 16 asks for the whole table (RFC 2453 §3.9.1).
 *
 * Authentication (version 2 only) takes the place of the first entry: AFI 0xFFFF, then an
 * authentication type. Type 2 is a 16-octet plain-text password (RFC 2453 §4.1). Type 3 is
 * keyed MD5 (RFC 4822 §2): the offset of the authentication trailer ("RIPv2 packet length"),
 * key ID, authentication data length, a 32-bit sequence number and 8 zero octets; the trailer
 * after the last entry is 0xFFFF 0x0001 and the 16-octet digest, MD5 over the packet up to
 * and including those four trailer octets, followed by the key zero-padded to 16 octets.
 *
 * The decoder refuses a whole message on the first problem; the error says which, so the
 * caller can count and log the reason (RFC 2453 §3.9.2 asks that bad messages be ignored).
 */
#ifndef TERN_WIRE_RIP_H
#define TERN_WIRE_RIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RIP_PORT 520
#define RIP_GROUP 0xe0000009u       /* 224.0.0.9, RFC 2453 §4.6 */
#define RIP_HEADER_LEN 4
#define RIP_ENTRY_LEN 20
#define RIP_MAX_ENTRIES 25
#define RIP_MAX_PACKET (RIP_HEADER_LEN + RIP_MAX_ENTRIES * RIP_ENTRY_LEN + RIP_ENTRY_LEN)
#define RIP_INFINITY 16
#define RIP_AFI_INET 2
#define RIP_AFI_AUTH 0xffff
#define RIP_AUTH_KEY_LEN 16
#define RIP_MD5_TRAILER_LEN 20          /* 0xFFFF, 0x0001, 16-octet digest */

enum rip_command {
	RIP_REQUEST = 1,
	RIP_RESPONSE = 2,
};

enum rip_auth_type {
	RIP_AUTH_NONE = 0,
	RIP_AUTH_TEXT = 2,      /* RFC 2453 §4.1 */
	RIP_AUTH_MD5 = 3,       /* RFC 4822 §2 (keyed MD5) */
};

enum rip_error {
	RIP_OK,
	RIP_ERR_TRUNCATED,      /* shorter than a header, or entries not a multiple of 20 */
	RIP_ERR_TOO_LONG,       /* more than 25 entries */
	RIP_ERR_VERSION,        /* version 0, or above 2 */
	RIP_ERR_COMMAND,        /* neither Request nor Response */
	RIP_ERR_MBZ,            /* version 1 with a must-be-zero field set */
	RIP_ERR_AFI,            /* an entry of an address family other than IP */
	RIP_ERR_METRIC,         /* a Response entry with metric 0 or above 16 */
	RIP_ERR_MASK,           /* a version 2 mask that is not contiguous */
	RIP_ERR_AUTH,           /* a malformed or unknown authentication entry or trailer */
	RIP_ERR_COUNT,
};

struct rip_entry {
	uint16_t afi;           /* RIP_AFI_INET; 0 in a whole-table Request */
	uint16_t tag;           /* route tag (version 2) */
	uint32_t addr;          /* host order, as every address here */
	uint32_t mask;          /* 0 in version 1 */
	uint32_t next_hop;      /* 0: the sender */
	uint32_t metric;
};

struct rip_auth {
	uint16_t type;                      /* enum rip_auth_type */
	uint8_t password[RIP_AUTH_KEY_LEN]; /* RIP_AUTH_TEXT: as sent, zero-padded */
	uint16_t trailer_offset;            /* RIP_AUTH_MD5: where the trailer starts */
	uint8_t key_id;
	uint8_t data_len;                   /* 16 (RFC 4822) or 20 (older senders) */
	uint32_t sequence;
	uint8_t digest[RIP_AUTH_KEY_LEN];   /* the trailer's digest */
};

struct rip_packet {
	uint8_t command;        /* enum rip_command */
	uint8_t version;        /* 1 or 2 */
	bool has_auth;
	struct rip_auth auth;
	size_t count;
	struct rip_entry entries[RIP_MAX_ENTRIES];
};

/* Decodes one UDP payload. On an error *out is partly filled and must not be used. */
enum rip_error rip_decode(const uint8_t *data, size_t len, struct rip_packet *out);
/* Is this a Request for the whole table (one entry, AFI 0, metric 16)? */
bool rip_is_whole_table_request(const struct rip_packet *p);

/* Encodes p into buf: header, the authentication entry if p->has_auth, the entries, and for
 * MD5 the trailer signed with key (16 octets, zero-padded; ignored otherwise; the trailer
 * offset is computed here). Returns the length, or 0 if buf is too small or p has more
 * entries than fit (25, or 24 with authentication). */
size_t rip_encode(const struct rip_packet *p, const uint8_t key[RIP_AUTH_KEY_LEN], uint8_t *buf,
		  size_t cap);

/* RFC 4822 keyed MD5: the digest of the first signed_len octets of a message (through the
 * trailer's 0xFFFF 0x0001) followed by the key. */
void rip_md5_digest(const uint8_t *data, size_t signed_len, const uint8_t key[RIP_AUTH_KEY_LEN],
		    uint8_t digest[RIP_AUTH_KEY_LEN]);
/* Checks a decoded MD5 message's digest against key; data/len: the whole message. */
bool rip_md5_verify(const uint8_t *data, size_t len, const struct rip_packet *p,
		    const uint8_t key[RIP_AUTH_KEY_LEN]);

/* "truncated", "bad version", "bad command", "bad metric", ... for logs and `show`. */
const char *rip_error_name(enum rip_error e);

#endif
