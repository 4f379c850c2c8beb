/*
 * DOC: BGP path attributes (RFC 4271 §4.3, §5), pure codec with RFC 7606 error handling.
 *
 * bgp_attr_decode() takes the Path Attributes field of one UPDATE (the sub-reader that
 * bgp_update_split() carved) and fills a struct bgp_attrs: a presence bit per known type,
 * fixed-size values inline, and every variable part (AS path segments, communities, cluster
 * list, MP NLRI, unknown attributes) as a pointer into the message bytes plus a length. The
 * decoded form is zero-copy: it is valid as long as the message buffer is, and the RIB interns
 * (copies) it later. Nothing here allocates.
 *
 * One table (bgp_attr.c, attr_table) describes each known attribute: type code, name,
 * expected Optional/Transitive flags, decode, encode, and the RFC 7606 action taken when it
 * is malformed. Errors never abort the walk over the attributes early unless they call for a
 * session reset: the outer cursor skips a whole attribute before its value is decoded, so a
 * bad value never loses the position of the next attribute. The whole list gives one result:
 *
 *   BGP_ATTR_RESULT_OK        use the attributes (some may have been discarded: counted in
 *                             struct bgp_attrs.discarded, RFC 7606 "attribute discard")
 *   BGP_ATTR_RESULT_WITHDRAW  RFC 7606 "treat-as-withdraw": withdraw every prefix of the
 *                             UPDATE (NLRI field, MP_REACH_NLRI and MP_UNREACH_NLRI, which
 *                             are still decoded into the struct when they were well formed)
 *   BGP_ATTR_RESULT_RESET     send the NOTIFICATION in *err and close the session
 *
 * When several errors occur the strongest action wins (RFC 7606 §3(i)). For WITHDRAW, *err
 * still describes the first error of that strength (code 3, subcode and data), for the log.
 *
 * bgp_attr_encode() writes the canonical form of a struct bgp_attrs. The AS-path helpers and
 * the RFC 6793 AS4_PATH merge live in bgp_aspath.c; community accessors, their text forms and
 * the MP prefix iterator in bgp_community.c.
 */
#ifndef TERN_WIRE_BGP_ATTR_H
#define TERN_WIRE_BGP_ATTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/reader.h"
#include "lib/strbuf.h"
#include "lib/writer.h"
#include "wire/bgp.h"

/* Attribute flags, RFC 4271 §4.3. */
#define BGP_ATTR_FLAG_OPTIONAL 0x80
#define BGP_ATTR_FLAG_TRANSITIVE 0x40
#define BGP_ATTR_FLAG_PARTIAL 0x20
#define BGP_ATTR_FLAG_EXTENDED 0x10

enum bgp_attr_type {
	BGP_ATTR_ORIGIN = 1,
	BGP_ATTR_AS_PATH = 2,
	BGP_ATTR_NEXT_HOP = 3,
	BGP_ATTR_MULTI_EXIT_DISC = 4,
	BGP_ATTR_LOCAL_PREF = 5,
	BGP_ATTR_ATOMIC_AGGREGATE = 6,
	BGP_ATTR_AGGREGATOR = 7,
	BGP_ATTR_COMMUNITIES = 8,       /* RFC 1997 */
	BGP_ATTR_ORIGINATOR_ID = 9,     /* RFC 4456 */
	BGP_ATTR_CLUSTER_LIST = 10,     /* RFC 4456 */
	BGP_ATTR_MP_REACH_NLRI = 14,    /* RFC 4760 */
	BGP_ATTR_MP_UNREACH_NLRI = 15,  /* RFC 4760 */
	BGP_ATTR_EXT_COMMUNITIES = 16,  /* RFC 4360 */
	BGP_ATTR_AS4_PATH = 17,         /* RFC 6793 */
	BGP_ATTR_AS4_AGGREGATOR = 18,   /* RFC 6793 */
	BGP_ATTR_LARGE_COMMUNITY = 32,  /* RFC 8092 */
};

/* Presence bit of a known attribute in struct bgp_attrs.present. */
#define BGP_ATTR_BIT(type) ((uint64_t)1 << (type))

enum bgp_origin {
	BGP_ORIGIN_IGP = 0,
	BGP_ORIGIN_EGP = 1,
	BGP_ORIGIN_INCOMPLETE = 2,
};

/* AS path segment types, RFC 4271 §4.3 and RFC 5065 §3. */
enum bgp_as_segment_type {
	BGP_AS_SET = 1,
	BGP_AS_SEQUENCE = 2,
	BGP_AS_CONFED_SEQUENCE = 3,
	BGP_AS_CONFED_SET = 4,
};

/* Well-known communities, RFC 1997. */
#define BGP_COMMUNITY_NO_EXPORT 0xFFFFFF01u
#define BGP_COMMUNITY_NO_ADVERTISE 0xFFFFFF02u
#define BGP_COMMUNITY_NO_EXPORT_SUBCONFED 0xFFFFFF03u

/* The RFC 7606 actions, weakest first (RFC 7606 §2). */
enum bgp_attr_action {
	BGP_ATTR_ACTION_NONE = 0,
	BGP_ATTR_ACTION_DISCARD = 1,  /* drop this attribute, go on */
	BGP_ATTR_ACTION_WITHDRAW = 2, /* treat-as-withdraw */
	BGP_ATTR_ACTION_RESET = 3,    /* session reset */
};

enum bgp_attr_result {
	BGP_ATTR_RESULT_OK = 0,
	BGP_ATTR_RESULT_WITHDRAW = 2,
	BGP_ATTR_RESULT_RESET = 3,
};

/*
 * An AS path in wire form (the segments of AS_PATH or AS4_PATH): asn_size is 2 for a
 * 2-octet session's AS_PATH, 4 for a 4-octet session's AS_PATH, for AS4_PATH, and for paths
 * built by the helpers. data is NULL when len is 0.
 */
struct bgp_as_path {
	const uint8_t *data;
	uint16_t len;
	uint8_t asn_size;
};

/* A run of fixed-size items (communities 4, cluster list 4, extended communities 8, large
 * communities 12 octets each): count = len / item size. */
struct bgp_attr_blob {
	const uint8_t *data;
	uint16_t len;
};

struct bgp_mp_reach {
	uint16_t afi;
	uint8_t safi;
	uint8_t nexthop_len;      /* 4 (IPv4), 16 (IPv6 global), 32 (global + link-local) */
	const uint8_t *nexthop;
	const uint8_t *nlri;      /* prefixes; well formed when supported is set */
	uint16_t nlri_len;
	bool supported;           /* IPv4 or IPv6 unicast, checked; otherwise kept raw */
};

struct bgp_mp_unreach {
	uint16_t afi;
	uint8_t safi;
	const uint8_t *withdrawn;
	uint16_t withdrawn_len;
	bool supported;
};

/* An unrecognized optional transitive attribute, passed on with Partial set (RFC 4271 §5).
 * struct bgp_attrs keeps them sorted by type code. */
struct bgp_attr_unknown {
	uint8_t flags; /* as received */
	uint8_t type;
	uint16_t len;
	const uint8_t *data;
};

#define BGP_ATTR_MAX_UNKNOWN 16

struct bgp_attrs {
	uint64_t present;          /* BGP_ATTR_BIT(type) for each decoded known attribute */
	uint64_t partial;          /* known optional transitive ones received with Partial set */
	uint8_t origin;
	struct bgp_as_path as_path;
	uint32_t next_hop;         /* host order */
	uint32_t med;
	uint32_t local_pref;
	uint32_t aggregator_as;
	uint32_t aggregator_addr;  /* host order */
	struct bgp_attr_blob communities;
	uint32_t originator_id;    /* host order */
	struct bgp_attr_blob cluster_list;
	struct bgp_mp_reach mp_reach;
	struct bgp_mp_unreach mp_unreach;
	struct bgp_attr_blob ext_communities;
	struct bgp_as_path as4_path;
	uint32_t as4_aggregator_as;
	uint32_t as4_aggregator_addr;
	struct bgp_attr_blob large_communities;
	uint8_t unknown_count;
	struct bgp_attr_unknown unknown[BGP_ATTR_MAX_UNKNOWN];
	/* Counters for the session's log and `show`: not part of the attribute set. */
	uint16_t discarded;        /* attributes dropped by "attribute discard" */
	uint16_t dropped_unknown;  /* unknown non-transitive, or unknown past BGP_ATTR_MAX_UNKNOWN */
};

static inline bool bgp_attrs_has(const struct bgp_attrs *a, uint8_t type)
{
	return type < 64 && (a->present & BGP_ATTR_BIT(type));
}

/* What the decoder needs to know about the session and the rest of the UPDATE. */
struct bgp_attr_opts {
	bool as4;            /* the 4-octet AS capability was negotiated (RFC 6793) */
	bool ibgp;           /* the peer is internal (or a confederation member) */
	bool ipv4_nlri;      /* the UPDATE's NLRI field is not empty */
	bool ipv4_withdrawn; /* the UPDATE's Withdrawn Routes field is not empty */
};

/*
 * Decodes the Path Attributes field. Consumes the whole reader. Never reads past it, never
 * asserts. On RESET, *err is the NOTIFICATION to send (code 3; data = the erroneous
 * attribute as received: flags, type, length, value, cut to BGP_ERROR_DATA_MAX; or the
 * missing type code for 3/3). On WITHDRAW *err says why, for the log. On OK err->code is 0.
 */
enum bgp_attr_result bgp_attr_decode(struct reader *attrs, const struct bgp_attr_opts *opts,
				     struct bgp_attrs *out, struct bgp_error *err);

/*
 * Canonical encoding of an attribute set for a session with or without 4-octet AS: the
 * MP_REACH_NLRI and MP_UNREACH_NLRI attributes first (RFC 7606 §5.1), then the others in
 * type-code order, unknown transitive ones with the Partial bit set (known optional transitive
 * ones keep a Partial bit they were received with, in .partial); the Extended Length flag
 * only when a value is longer than 255 octets. AS_PATH and AGGREGATOR are written with the
 * session's AS width (4-octet ASNs above 65535 become AS_TRANS on a 2-octet session; building
 * AS4_PATH for such a peer is the caller's choice). Returns false on writer overflow.
 */
bool bgp_attr_encode(struct writer *w, const struct bgp_attrs *a, bool as4);

/* Same attribute set (presence, Partial bits of known attributes, values and the bytes of every
 * variable part; the counters and the Partial bit of unknown attributes are ignored). */
bool bgp_attrs_equal(const struct bgp_attrs *a, const struct bgp_attrs *b);

/* "ORIGIN", "AS_PATH", ...; "UNKNOWN" for others. */
const char *bgp_attr_name(uint8_t type);
const char *bgp_origin_name(uint8_t origin); /* "IGP", "EGP", "incomplete" */

/* Items of the fixed-size runs; index must be below the count. */
static inline size_t bgp_communities_count(const struct bgp_attr_blob *b) { return b->len / 4; }
static inline size_t bgp_ext_communities_count(const struct bgp_attr_blob *b) { return b->len / 8; }
static inline size_t bgp_large_communities_count(const struct bgp_attr_blob *b) { return b->len / 12; }
uint32_t bgp_community_at(const struct bgp_attr_blob *b, size_t i);
uint64_t bgp_ext_community_at(const struct bgp_attr_blob *b, size_t i);
struct bgp_large_community {
	uint32_t global;
	uint32_t local1;
	uint32_t local2;
};
struct bgp_large_community bgp_large_community_at(const struct bgp_attr_blob *b, size_t i);
uint32_t bgp_cluster_id_at(const struct bgp_attr_blob *b, size_t i);
bool bgp_communities_contain(const struct bgp_attr_blob *b, uint32_t community);

/* "65000:1 no-export no-advertise local-AS" (the IOS names of the RFC 1997 well-known ones). */
void bgp_communities_text(const struct bgp_attr_blob *b, struct strbuf *sb);
/* "65000:1:2 65000:3:4" (RFC 8092 §3 canonical form). */
void bgp_large_communities_text(const struct bgp_attr_blob *b, struct strbuf *sb);

/* One prefix of MP_REACH / MP_UNREACH NLRI (IPv4 or IPv6 unicast). */
struct bgp_mp_prefix {
	uint16_t afi;
	uint8_t len;
	uint8_t addr[16]; /* network order, host bits zero */
};
/* Returns 1 with a prefix, 0 at the end, -1 when malformed (length above 32 or 128, or short
 * bytes) or the AFI is not IPv4/IPv6. */
int bgp_mp_prefix_next(struct reader *field, uint16_t afi, struct bgp_mp_prefix *out);
bool bgp_mp_prefix_encode(struct writer *w, const struct bgp_mp_prefix *p);

/* ---- AS paths (bgp_aspath.c) ---- */

struct bgp_as_segment {
	uint8_t type;
	uint8_t count;
	uint8_t asn_size;
	struct reader asns; /* count ASNs of asn_size octets */
};
struct bgp_as_path_iter {
	struct reader r;
	uint8_t asn_size;
};
void bgp_as_path_iter_init(struct bgp_as_path_iter *it, const struct bgp_as_path *p);
/* Next segment; false at the end or on a malformed segment. */
bool bgp_as_path_iter_next(struct bgp_as_path_iter *it, struct bgp_as_segment *seg);
/* Next ASN of a segment (0 past its end). */
uint32_t bgp_as_segment_next_asn(struct bgp_as_segment *seg);

/* Syntax check of the segments (RFC 4271 §6.3, RFC 7606 §7.2, RFC 6793 §6): known types,
 * no empty segment, no overrun, no leftover octet. Reports confederation segments and AS 0
 * (RFC 7607) through the optional out parameters. */
bool bgp_as_path_wellformed(const struct bgp_as_path *p, bool *has_confed, bool *has_as0);

/* Path length for best-path selection (RFC 4271 §9.1.2.2 a, RFC 5065 §5.3): each AS of an
 * AS_SEQUENCE counts 1, an AS_SET counts 1, confederation segments count 0. */
unsigned bgp_as_path_length(const struct bgp_as_path *p);
bool bgp_as_path_contains(const struct bgp_as_path *p, uint32_t asn);
/* First AS of the path (the neighbor AS for RFC 4271 §6.3), 0 if the path does not start with
 * an AS_SEQUENCE. */
uint32_t bgp_as_path_first(const struct bgp_as_path *p);
/* Octets of the segments when written with asn_size-octet ASNs. */
size_t bgp_as_path_wire_len(const struct bgp_as_path *p, uint8_t asn_size);
/* Writes the segments with asn_size-octet ASNs (ASNs above 65535 become AS_TRANS in 2). */
bool bgp_as_path_write(struct writer *w, const struct bgp_as_path *p, uint8_t asn_size);
/* Prepends asn count times (RFC 4271 §5.1.2): into the leading AS_SEQUENCE while it has room
 * for 255 ASNs, else in new AS_SEQUENCE segments. The result has 4-octet ASNs and lives in
 * buf. False if buf is too small. */
bool bgp_as_path_prepend(const struct bgp_as_path *in, uint32_t asn, unsigned count,
			 uint8_t *buf, size_t cap, struct bgp_as_path *out);
/* "100 200 {300,400}"; confederation segments as "(65001 65002)" and "[65003,65004]". */
void bgp_as_path_text(const struct bgp_as_path *p, struct strbuf *sb);

/*
 * RFC 6793 §4.2.3: rebuilds the real path of a route received from a 2-octet (OLD) peer from
 * AS_PATH, AGGREGATOR, AS4_PATH and AS4_AGGREGATOR. Afterwards as_path has 4-octet ASNs (in
 * buf, when a merge was needed), the aggregator is the real one, and AS4_PATH and
 * AS4_AGGREGATOR are no longer present. False if buf is too small (a is unchanged then).
 */
bool bgp_attrs_as4_merge(struct bgp_attrs *a, uint8_t *buf, size_t cap);

/*
 * RFC 6793 §4.2.2, the other way: a set with 4-octet ASNs (as_path.asn_size 4) about to go to
 * a 2-octet (OLD) peer gets AS4_PATH (the path as it is) when an AS of the path does not fit in
 * two octets, and AS4_AGGREGATOR (the aggregator as it is) when the aggregator's AS does not;
 * the encoder then writes AS_TRANS for those in AS_PATH and AGGREGATOR. as4_path points to the
 * same bytes as as_path.
 */
void bgp_attrs_as4_split(struct bgp_attrs *a);

#endif
