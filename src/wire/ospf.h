/*
 * DOC: OSPFv2 packets and LSAs (RFC 2328 Appendix A), pure codecs.
 *
 * Decoders read untrusted bytes through the bounded reader (lib/reader.h) only; a short or
 * inconsistent field is an error value (enum ospf_wire_error), never a read past the end.
 * ospf_packet_decode() checks the common header (§A.3.1): version, length against the bytes
 * received, the standard IP checksum (§D.4.1: over the whole packet but the 64-bit
 * authentication field, skipped for cryptographic authentication) and hands back the body as
 * a reader. Per-type decoders then read Hello (§A.3.2), Database Description (§A.3.3), Link
 * State Request (§A.3.4), Link State Update (§A.3.5) and Link State Acknowledgment (§A.3.6)
 * bodies; lists (neighbours, LSA headers, requests, LSAs) are read by iterators over a reader,
 * so no decoder allocates.
 *
 * LSAs (§A.4) are kept as their raw bytes: the header is decoded by ospf_lsa_header_decode(),
 * the bodies of router (type 1), network (2), summary (3, 4) and AS-external (5) LSAs by
 * their own decoders. ospf_lsa_checksum_*() is the Fletcher checksum of §12.1.7 (ISO 8473 /
 * RFC 905 Annex B), over the LSA without its age.
 *
 * Encoders write through the capped writer (lib/writer.h). ospf_packet_finish() patches the
 * length and then either the checksum and simple password (null, simple authentication,
 * §D.3) or the cryptographic sequence number and the keyed MD5 digest appended after the
 * packet (§D.3, cryptographic authentication); ospf_packet_auth_check() verifies them on
 * input.
 */
#ifndef TERN_WIRE_OSPF_H
#define TERN_WIRE_OSPF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/reader.h"
#include "lib/writer.h"

#define OSPF_VERSION 2
#define OSPF_HEADER_LEN 24
#define OSPF_LSA_HEADER_LEN 20
#define OSPF_MD5_LEN 16
#define OSPF_AUTH_KEY_LEN 8      /* simple password: 8 octets, zero padded (§D.2) */
#define OSPF_MD5_KEY_MAX 16      /* message-digest keys: up to 16 octets (§D.3) */
#define OSPF_HELLO_NEIGHBORS_MAX 512

/* §A.3.1 packet types */
enum ospf_packet_type {
	OSPF_HELLO = 1,
	OSPF_DD = 2,
	OSPF_LSR = 3,
	OSPF_LSU = 4,
	OSPF_LSACK = 5,
};

/* §A.3.1 AuType */
enum ospf_auth_type {
	OSPF_AUTH_NULL = 0,
	OSPF_AUTH_SIMPLE = 1,
	OSPF_AUTH_CRYPTO = 2,
};

/* §A.2 options */
#define OSPF_OPT_E 0x02
#define OSPF_OPT_MC 0x04
#define OSPF_OPT_NP 0x08
#define OSPF_OPT_EA 0x10
#define OSPF_OPT_DC 0x20

/* §A.3.3 DD flags */
#define OSPF_DD_MS 0x01
#define OSPF_DD_M 0x02
#define OSPF_DD_I 0x04

/* §A.4.1 LS types */
enum ospf_lsa_type {
	OSPF_LSA_ROUTER = 1,
	OSPF_LSA_NETWORK = 2,
	OSPF_LSA_SUMMARY_NET = 3,
	OSPF_LSA_SUMMARY_ASBR = 4,
	OSPF_LSA_EXTERNAL = 5,
};

/* §A.4.2 router LSA flags and link types */
#define OSPF_ROUTER_B 0x01
#define OSPF_ROUTER_E 0x02
#define OSPF_ROUTER_V 0x04
enum ospf_link_type {
	OSPF_LINK_P2P = 1,
	OSPF_LINK_TRANSIT = 2,
	OSPF_LINK_STUB = 3,
	OSPF_LINK_VIRTUAL = 4,
};

/* Appendix B architectural constants */
#define OSPF_LS_REFRESH_TIME 1800
#define OSPF_MIN_LS_INTERVAL 5
#define OSPF_MIN_LS_ARRIVAL 1
#define OSPF_MAX_AGE 3600
#define OSPF_CHECK_AGE 300
#define OSPF_MAX_AGE_DIFF 900
#define OSPF_LS_INFINITY 0xffffffu
#define OSPF_INITIAL_SEQ ((int32_t)0x80000001)
#define OSPF_MAX_SEQ ((int32_t)0x7fffffff)

#define OSPF_ALL_SPF_ROUTERS 0xe0000005u /* 224.0.0.5 */
#define OSPF_ALL_D_ROUTERS 0xe0000006u   /* 224.0.0.6 */

/* Why a packet or LSA was refused. Every value has a name (ospf_wire_error_name). */
enum ospf_wire_error {
	OSPF_WIRE_OK = 0,
	OSPF_WIRE_TRUNCATED,      /* shorter than a field or the length it declares */
	OSPF_WIRE_BAD_VERSION,
	OSPF_WIRE_BAD_LENGTH,     /* packet length field outside 24..bytes received */
	OSPF_WIRE_BAD_CHECKSUM,   /* packet checksum */
	OSPF_WIRE_BAD_TYPE,       /* packet type outside 1..5 */
	OSPF_WIRE_BAD_AUTH,       /* authentication type, key or digest */
	OSPF_WIRE_BAD_LSA_LENGTH, /* LSA length below 20 or past its packet */
	OSPF_WIRE_BAD_LSA_CHECKSUM,
	OSPF_WIRE_BAD_LSA,        /* LSA body inconsistent with its type */
	OSPF_WIRE_ERROR_COUNT
};
const char *ospf_wire_error_name(enum ospf_wire_error e);

/* §A.3.1 */
struct ospf_header {
	uint8_t version;
	uint8_t type;
	uint16_t length;
	uint32_t router_id;  /* host order, like every 32-bit field below */
	uint32_t area_id;
	uint16_t checksum;
	uint16_t auth_type;
	uint8_t auth[8];     /* simple: the password; crypto: see the fields below */
	/* cryptographic authentication (§D.3), decoded from auth[] */
	uint8_t key_id;
	uint8_t auth_data_len;
	uint32_t crypto_seq;
};

/* Decodes and checks the header (not the authentication: ospf_packet_auth_check()). On
 * success *body covers the packet body (length - 24 bytes); bytes after the packet length
 * (the MD5 digest) are ignored here. */
enum ospf_wire_error ospf_packet_decode(const uint8_t *buf, size_t len, struct ospf_header *h,
					struct reader *body);

/* What the receiving interface expects (§D). key is the password (simple, zero padded to 8)
 * or the MD5 key of key_id (crypto, zero padded to 16). */
struct ospf_auth {
	uint16_t type;
	uint8_t key_id;
	uint8_t key[OSPF_MD5_KEY_MAX];
};
/* Checks the authentication of a packet already decoded (len: bytes received). For crypto,
 * the digest is the 16 bytes after the packet length. The crypto sequence number check
 * (non-decreasing per neighbour) is the caller's. */
enum ospf_wire_error ospf_packet_auth_check(const uint8_t *buf, size_t len, const struct ospf_header *h,
					    const struct ospf_auth *auth);

/* Encoding: ospf_packet_begin() writes a header with zero length and checksum; the body
 * follows; ospf_packet_finish() patches length, checksum and authentication (appending the
 * digest for crypto). Returns the total bytes to send (0 when the writer overflowed). */
void ospf_packet_begin(struct writer *w, uint8_t type, uint32_t router_id, uint32_t area_id);
size_t ospf_packet_finish(struct writer *w, const struct ospf_auth *auth, uint32_t crypto_seq);

/* The standard Internet checksum (RFC 1071) of len bytes. */
uint16_t ospf_inet_checksum(const uint8_t *data, size_t len);

/* §A.3.2 */
struct ospf_hello {
	uint32_t mask;
	uint16_t hello_interval;
	uint8_t options;
	uint8_t priority;
	uint32_t dead_interval;
	uint32_t dr, bdr;       /* interface addresses */
	size_t neighbor_count;  /* capped at OSPF_HELLO_NEIGHBORS_MAX */
	uint32_t neighbors[OSPF_HELLO_NEIGHBORS_MAX];
};
enum ospf_wire_error ospf_hello_decode(struct reader body, struct ospf_hello *out);
void ospf_hello_encode(struct writer *w, const struct ospf_hello *h);

/* §A.4.1 */
struct ospf_lsa_header {
	uint16_t age;
	uint8_t options;
	uint8_t type;
	uint32_t id;
	uint32_t adv_router;
	int32_t seq;
	uint16_t checksum;
	uint16_t length;
};
/* Reads 20 bytes of header. */
enum ospf_wire_error ospf_lsa_header_read(struct reader *r, struct ospf_lsa_header *out);
void ospf_lsa_header_write(struct writer *w, const struct ospf_lsa_header *h);

/* §A.3.3 */
struct ospf_dd {
	uint16_t mtu;
	uint8_t options;
	uint8_t flags;
	uint32_t seq;
	struct reader headers;  /* LSA headers: read with ospf_lsa_header_read until empty */
};
enum ospf_wire_error ospf_dd_decode(struct reader body, struct ospf_dd *out);
/* Writes the fixed part; the caller then writes LSA headers. */
void ospf_dd_encode(struct writer *w, uint16_t mtu, uint8_t options, uint8_t flags, uint32_t seq);

/* §A.3.4: one request is 12 bytes; ospf_lsr_next() returns false at the end (check the
 * reader for truncation). */
struct ospf_lsr_entry {
	uint32_t type;
	uint32_t id;
	uint32_t adv_router;
};
bool ospf_lsr_next(struct reader *r, struct ospf_lsr_entry *out);
void ospf_lsr_write(struct writer *w, const struct ospf_lsr_entry *e);

/* §A.3.5: the count, then LSAs. ospf_lsu_next() carves one LSA by its length field, checks
 * the length and the Fletcher checksum, and returns its raw bytes (valid while the packet
 * is). */
struct ospf_lsa_raw {
	struct ospf_lsa_header header;
	const uint8_t *data;  /* the whole LSA, header included */
	size_t len;
};
enum ospf_wire_error ospf_lsu_count(struct reader *body, uint32_t *count);
enum ospf_wire_error ospf_lsu_next(struct reader *r, struct ospf_lsa_raw *out);

/* Fletcher checksum (§12.1.7) of an LSA of len bytes (age excluded). ospf_lsa_checksum_ok
 * verifies the stored one; ospf_lsa_checksum_set computes and stores it at bytes 16-17. */
bool ospf_lsa_checksum_ok(const uint8_t *lsa, size_t len);
uint16_t ospf_lsa_checksum_compute(const uint8_t *lsa, size_t len);
void ospf_lsa_checksum_set(uint8_t *lsa, size_t len);

/* §A.4.2: the router LSA body. Links are read with ospf_router_link_next(). */
struct ospf_router_lsa {
	uint8_t flags;
	uint16_t link_count;
	struct reader links;
};
struct ospf_router_link {
	uint32_t id;
	uint32_t data;
	uint8_t type;
	uint8_t tos_count;
	uint16_t metric;
};
/* lsa/len: the whole LSA (header included). */
enum ospf_wire_error ospf_router_lsa_decode(const uint8_t *lsa, size_t len, struct ospf_router_lsa *out);
/* false at the end or on error (out->links' reader then says which). TOS metrics skipped. */
bool ospf_router_link_next(struct ospf_router_lsa *rl, struct ospf_router_link *out);
void ospf_router_link_write(struct writer *w, const struct ospf_router_link *l);

/* §A.4.3: the network LSA body; attached routers read with reader_u32 until empty. */
struct ospf_network_lsa {
	uint32_t mask;
	struct reader routers;
	size_t router_count;
};
enum ospf_wire_error ospf_network_lsa_decode(const uint8_t *lsa, size_t len, struct ospf_network_lsa *out);

/* §A.4.4 summary (3, 4) and §A.4.5 AS-external (5) LSAs, TOS 0 only. */
struct ospf_summary_lsa {
	uint32_t mask;
	uint32_t metric; /* 24 bits */
};
enum ospf_wire_error ospf_summary_lsa_decode(const uint8_t *lsa, size_t len, struct ospf_summary_lsa *out);
struct ospf_external_lsa {
	uint32_t mask;
	bool e_bit;      /* type 2 metric */
	uint32_t metric; /* 24 bits */
	uint32_t forwarding;
	uint32_t tag;
};
enum ospf_wire_error ospf_external_lsa_decode(const uint8_t *lsa, size_t len, struct ospf_external_lsa *out);

/* Builds a whole LSA into w: the header (length and checksum patched), then the body that
 * the callback-free builders below write between begin and end. */
size_t ospf_lsa_begin(struct writer *w, const struct ospf_lsa_header *h);
/* Patches the length and the checksum of the LSA begun at `start`. */
void ospf_lsa_end(struct writer *w, size_t start);

/* Compares two instances of one LSA (§13.1): > 0 when a is newer, < 0 when b is, 0 same. */
int ospf_lsa_compare(const struct ospf_lsa_header *a, const struct ospf_lsa_header *b);

#endif
