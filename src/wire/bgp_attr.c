/*
 * DOC: BGP path attribute decoder and encoder (see bgp_attr.h).
 *
 * attr_table has one row per known attribute: type code, name, the Optional and Transitive
 * bits it must carry, the RFC 7606 action when it is malformed (flags or value), whether only
 * an internal peer may send it, and its decode and encode functions. bgp_attr_decode() walks
 * the field with the bounded reader: it carves each whole attribute (header and value) first,
 * then hands the value's own sub-reader to the row's decoder. A decoder returns 0 or the
 * RFC 4271 §6.3 subcode that names its error; the row's action says what happens then.
 *
 * What the RFC says and what we do, where a choice was needed:
 *  - RFC 7606 §3(c): an Optional/Transitive flags conflict means "malformed, treat-as-withdraw,
 *    unless the specification for the attribute mandates different handling". We apply the
 *    row's malformed-attribute action to a flags error too: attribute discard for
 *    ATOMIC_AGGREGATE, AGGREGATOR (RFC 7606 §7.6, §7.7) and AS4_PATH, AS4_AGGREGATOR
 *    (RFC 6793 §6); session reset for MP_REACH_NLRI/MP_UNREACH_NLRI, whose NLRI cannot be
 *    trusted to be located then (RFC 7606 §3(j), §5.3). The Partial and low bits are not
 *    checked (§3(c) names only Optional and Transitive).
 *  - RFC 7606 §4 (an attribute overrunning the field, or 1-2 stray octets at its end):
 *    treat-as-withdraw, because the Total Attribute Length still locates the NLRI field and
 *    MP_REACH/MP_UNREACH are sent first (§5.1). When the UPDATE has no NLRI, no withdrawn
 *    routes and no MP attribute was parsed before the break, there is nothing that could be
 *    withdrawn and the broken tail may hide the MP attribute: session reset 3/1 then (§3(j)).
 *  - An MP_REACH_NLRI for IPv4 unicast may carry a 16 or 32 octet next hop (RFC 8950); the
 *    decoder accepts it and the session checks the capability.
 */
#include "bgp_attr.h"

#include <string.h>

/* Expected Optional/Transitive bits. */
#define WELL_KNOWN BGP_ATTR_FLAG_TRANSITIVE
#define OPT_TRANS (BGP_ATTR_FLAG_OPTIONAL | BGP_ATTR_FLAG_TRANSITIVE)
#define OPT_NON_TRANS BGP_ATTR_FLAG_OPTIONAL
#define FLAG_MASK (BGP_ATTR_FLAG_OPTIONAL | BGP_ATTR_FLAG_TRANSITIVE)

typedef uint8_t (*attr_decode_fn)(struct reader *v, const struct bgp_attr_opts *o,
				  struct bgp_attrs *a);
typedef bool (*attr_encode_fn)(struct writer *w, const struct bgp_attrs *a, bool as4);

struct attr_desc {
	uint8_t type;
	const char *name;
	uint8_t flags;          /* expected Optional and Transitive bits */
	uint8_t action;         /* enum bgp_attr_action when malformed */
	bool ibgp_only;         /* from an external peer: attribute discard */
	attr_decode_fn decode;
	attr_encode_fn encode;  /* writes header and value */
};

/* ---- small helpers ---- */

static bool put_header(struct writer *w, uint8_t flags, uint8_t type, size_t len)
{
	flags &= (uint8_t)~BGP_ATTR_FLAG_EXTENDED;
	if (len > 0xffff) {
		w->overflow = true;
		return false;
	}
	if (len > 255) {
		writer_u8(w, flags | BGP_ATTR_FLAG_EXTENDED);
		writer_u8(w, type);
		return writer_u16(w, (uint16_t)len);
	}
	writer_u8(w, flags);
	writer_u8(w, type);
	return writer_u8(w, (uint8_t)len);
}

/* Flags of a known optional transitive attribute: RFC 4271 §5, a Partial bit once set stays
 * set when the attribute is passed on. */
static uint8_t opt_trans_flags(const struct bgp_attrs *a, uint8_t type)
{
	return (uint8_t)(OPT_TRANS | ((a->partial & BGP_ATTR_BIT(type)) ? BGP_ATTR_FLAG_PARTIAL : 0));
}

static struct bgp_attr_blob blob_of(struct reader *v)
{
	struct bgp_attr_blob b = { .data = NULL, .len = (uint16_t)reader_remaining(v) };
	if (b.len)
		b.data = reader_ptr(v);
	reader_skip(v, b.len);
	return b;
}

static bool put_blob_attr(struct writer *w, uint8_t flags, uint8_t type,
			  const struct bgp_attr_blob *b)
{
	put_header(w, flags, type, b->len);
	return writer_bytes(w, b->data, b->len);
}

/* ---- one decoder and encoder per attribute ---- */

/* RFC 4271 §5.1.1; RFC 7606 §7.1: wrong length or undefined value -> treat-as-withdraw. */
static uint8_t dec_origin(struct reader *v, const struct bgp_attr_opts *o, struct bgp_attrs *a)
{
	if (reader_remaining(v) != 1)
		return BGP_ERR_UPDATE_ATTRIBUTE_LENGTH;
	a->origin = reader_u8(v);
	if (a->origin > BGP_ORIGIN_INCOMPLETE)
		return BGP_ERR_UPDATE_INVALID_ORIGIN;
	return 0;
}

static bool enc_origin(struct writer *w, const struct bgp_attrs *a, bool as4)
{
	put_header(w, WELL_KNOWN, BGP_ATTR_ORIGIN, 1);
	return writer_u8(w, a->origin);
}

/* RFC 4271 §6.3 and RFC 7606 §7.2: a bad segment type, a zero-length segment, a segment
 * overrunning the attribute or one stray octet -> treat-as-withdraw. RFC 7607 §2: AS 0 in
 * AS_PATH is malformed too. A zero-length AS_PATH is valid (RFC 7606 §4). */
static uint8_t dec_as_path(struct reader *v, const struct bgp_attr_opts *o, struct bgp_attrs *a)
{
	struct bgp_as_path p = { .data = NULL, .len = (uint16_t)reader_remaining(v),
				 .asn_size = o->as4 ? 4 : 2 };
	if (p.len)
		p.data = reader_ptr(v);
	reader_skip(v, p.len);
	bool as0 = false;
	if (!bgp_as_path_wellformed(&p, NULL, &as0) || as0)
		return BGP_ERR_UPDATE_MALFORMED_AS_PATH;
	a->as_path = p;
	return 0;
}

static bool enc_as_path(struct writer *w, const struct bgp_attrs *a, bool as4)
{
	uint8_t size = as4 ? 4 : 2;
	put_header(w, WELL_KNOWN, BGP_ATTR_AS_PATH, bgp_as_path_wire_len(&a->as_path, size));
	return bgp_as_path_write(w, &a->as_path, size);
}

/* RFC 4271 §6.3: a syntactically incorrect NEXT_HOP (here: 0/8, 127/8, class D and E);
 * RFC 7606 §7.3: wrong length or bad value -> treat-as-withdraw. */
static uint8_t dec_next_hop(struct reader *v, const struct bgp_attr_opts *o, struct bgp_attrs *a)
{
	if (reader_remaining(v) != 4)
		return BGP_ERR_UPDATE_ATTRIBUTE_LENGTH;
	uint32_t nh = reader_u32(v);
	uint8_t first = (uint8_t)(nh >> 24);
	if (first == 0 || first == 127 || first >= 224)
		return BGP_ERR_UPDATE_INVALID_NEXT_HOP;
	a->next_hop = nh;
	return 0;
}

static bool enc_next_hop(struct writer *w, const struct bgp_attrs *a, bool as4)
{
	put_header(w, WELL_KNOWN, BGP_ATTR_NEXT_HOP, 4);
	return writer_u32(w, a->next_hop);
}

/* RFC 7606 §7.4 (MED), §7.5 (LOCAL_PREF), §7.9 (ORIGINATOR_ID): length other than 4 ->
 * treat-as-withdraw. */
static uint8_t dec_u32(struct reader *v, uint32_t *out)
{
	if (reader_remaining(v) != 4)
		return BGP_ERR_UPDATE_ATTRIBUTE_LENGTH;
	*out = reader_u32(v);
	return 0;
}

static uint8_t dec_med(struct reader *v, const struct bgp_attr_opts *o, struct bgp_attrs *a)
{
	return dec_u32(v, &a->med);
}

static bool enc_med(struct writer *w, const struct bgp_attrs *a, bool as4)
{
	put_header(w, OPT_NON_TRANS, BGP_ATTR_MULTI_EXIT_DISC, 4);
	return writer_u32(w, a->med);
}

static uint8_t dec_local_pref(struct reader *v, const struct bgp_attr_opts *o,
			      struct bgp_attrs *a)
{
	return dec_u32(v, &a->local_pref);
}

static bool enc_local_pref(struct writer *w, const struct bgp_attrs *a, bool as4)
{
	put_header(w, WELL_KNOWN, BGP_ATTR_LOCAL_PREF, 4);
	return writer_u32(w, a->local_pref);
}

/* RFC 7606 §7.6: length other than 0 -> attribute discard. */
static uint8_t dec_atomic(struct reader *v, const struct bgp_attr_opts *o, struct bgp_attrs *a)
{
	return reader_remaining(v) == 0 ? 0 : BGP_ERR_UPDATE_ATTRIBUTE_LENGTH;
}

static bool enc_atomic(struct writer *w, const struct bgp_attrs *a, bool as4)
{
	return put_header(w, WELL_KNOWN, BGP_ATTR_ATOMIC_AGGREGATE, 0);
}

/* RFC 7606 §7.7: length other than 6 (2-octet session) or 8 (4-octet session, RFC 6793 §4.1)
 * -> attribute discard. RFC 7607 §2: AS 0 is malformed, same handling. */
static uint8_t dec_aggregator(struct reader *v, const struct bgp_attr_opts *o,
			      struct bgp_attrs *a)
{
	if (reader_remaining(v) != (o->as4 ? 8u : 6u))
		return BGP_ERR_UPDATE_ATTRIBUTE_LENGTH;
	uint32_t as = o->as4 ? reader_u32(v) : reader_u16(v);
	if (as == 0)
		return BGP_ERR_UPDATE_OPTIONAL_ATTRIBUTE;
	a->aggregator_as = as;
	a->aggregator_addr = reader_u32(v);
	return 0;
}

static bool enc_aggregator(struct writer *w, const struct bgp_attrs *a, bool as4)
{
	put_header(w, opt_trans_flags(a, BGP_ATTR_AGGREGATOR), BGP_ATTR_AGGREGATOR, as4 ? 8 : 6);
	if (as4)
		writer_u32(w, a->aggregator_as);
	else
		writer_u16(w, a->aggregator_as > 0xffff ? BGP_AS_TRANS : (uint16_t)a->aggregator_as);
	return writer_u32(w, a->aggregator_addr);
}

/* A non-empty run of item-sized entries: COMMUNITIES (RFC 7606 §7.8), CLUSTER_LIST (§7.10),
 * EXTENDED COMMUNITIES (§7.14), LARGE_COMMUNITY (RFC 8092 §6): otherwise treat-as-withdraw.
 * Zero length is an error for all of them (RFC 7606 §4). */
static uint8_t dec_run(struct reader *v, size_t item, struct bgp_attr_blob *out)
{
	size_t n = reader_remaining(v);
	if (n == 0 || n % item != 0)
		return BGP_ERR_UPDATE_ATTRIBUTE_LENGTH;
	*out = blob_of(v);
	return 0;
}

static uint8_t dec_communities(struct reader *v, const struct bgp_attr_opts *o,
			       struct bgp_attrs *a)
{
	return dec_run(v, 4, &a->communities);
}

static bool enc_communities(struct writer *w, const struct bgp_attrs *a, bool as4)
{
	return put_blob_attr(w, opt_trans_flags(a, BGP_ATTR_COMMUNITIES), BGP_ATTR_COMMUNITIES, &a->communities);
}

static uint8_t dec_originator(struct reader *v, const struct bgp_attr_opts *o,
			      struct bgp_attrs *a)
{
	return dec_u32(v, &a->originator_id);
}

static bool enc_originator(struct writer *w, const struct bgp_attrs *a, bool as4)
{
	put_header(w, OPT_NON_TRANS, BGP_ATTR_ORIGINATOR_ID, 4);
	return writer_u32(w, a->originator_id);
}

static uint8_t dec_cluster_list(struct reader *v, const struct bgp_attr_opts *o,
				struct bgp_attrs *a)
{
	return dec_run(v, 4, &a->cluster_list);
}

static bool enc_cluster_list(struct writer *w, const struct bgp_attrs *a, bool as4)
{
	return put_blob_attr(w, OPT_NON_TRANS, BGP_ATTR_CLUSTER_LIST, &a->cluster_list);
}

static bool afi_safi_supported(uint16_t afi, uint8_t safi)
{
	return (afi == BGP_AFI_IPV4 || afi == BGP_AFI_IPV6) && safi == BGP_SAFI_UNICAST;
}

/* RFC 7606 §5.3: an NLRI field is syntactically incorrect if a prefix length exceeds the
 * family's maximum or the last prefix overruns the field. */
static bool mp_nlri_wellformed(struct reader field, uint16_t afi)
{
	struct bgp_mp_prefix p;
	int rc;
	while ((rc = bgp_mp_prefix_next(&field, afi, &p)) == 1)
		;
	return rc == 0;
}

/*
 * RFC 4760 §3. RFC 7606 §7.11: a next hop length inconsistent with the AFI/SAFI makes the
 * NLRI impossible to locate -> session reset (or AFI/SAFI disable, which we do not do); an
 * attribute too short to hold the AFI/SAFI, a next hop overrunning the attribute, and
 * syntactically incorrect NLRI (§5.3) likewise. RFC 4760 §7 names the subcode: Optional
 * Attribute Error. Other AFI/SAFIs are kept raw for the session to ignore.
 */
static uint8_t dec_mp_reach(struct reader *v, const struct bgp_attr_opts *o, struct bgp_attrs *a)
{
	struct bgp_mp_reach m = { 0 };
	m.afi = reader_u16(v);
	m.safi = reader_u8(v);
	m.nexthop_len = reader_u8(v);
	if (!reader_ok(v))
		return BGP_ERR_UPDATE_OPTIONAL_ATTRIBUTE;
	struct reader nh = reader_sub(v, m.nexthop_len);
	reader_u8(v); /* Reserved, RFC 4760 §3: ignored on receipt */
	if (!reader_ok(v) || !reader_ok(&nh))
		return BGP_ERR_UPDATE_OPTIONAL_ATTRIBUTE;
	m.nexthop = m.nexthop_len ? reader_ptr(&nh) : NULL;
	struct reader nlri = reader_rest(v);
	m.nlri_len = (uint16_t)reader_remaining(&nlri);
	m.nlri = m.nlri_len ? reader_ptr(&nlri) : NULL;
	m.supported = afi_safi_supported(m.afi, m.safi);
	if (m.supported) {
		bool nh_ok = m.afi == BGP_AFI_IPV4
				     ? (m.nexthop_len == 4 || m.nexthop_len == 16 || m.nexthop_len == 32)
				     : (m.nexthop_len == 16 || m.nexthop_len == 32);
		if (!nh_ok || !mp_nlri_wellformed(nlri, m.afi))
			return BGP_ERR_UPDATE_OPTIONAL_ATTRIBUTE;
	}
	a->mp_reach = m;
	return 0;
}

static bool enc_mp_reach(struct writer *w, const struct bgp_attrs *a, bool as4)
{
	const struct bgp_mp_reach *m = &a->mp_reach;
	put_header(w, OPT_NON_TRANS, BGP_ATTR_MP_REACH_NLRI, 5u + m->nexthop_len + m->nlri_len);
	writer_u16(w, m->afi);
	writer_u8(w, m->safi);
	writer_u8(w, m->nexthop_len);
	writer_bytes(w, m->nexthop, m->nexthop_len);
	writer_u8(w, 0);
	return writer_bytes(w, m->nlri, m->nlri_len);
}

/* RFC 4760 §4; RFC 7606 §7.11 and §5.3 as for MP_REACH_NLRI. */
static uint8_t dec_mp_unreach(struct reader *v, const struct bgp_attr_opts *o,
			      struct bgp_attrs *a)
{
	struct bgp_mp_unreach m = { 0 };
	m.afi = reader_u16(v);
	m.safi = reader_u8(v);
	if (!reader_ok(v))
		return BGP_ERR_UPDATE_OPTIONAL_ATTRIBUTE;
	struct reader wd = reader_rest(v);
	m.withdrawn_len = (uint16_t)reader_remaining(&wd);
	m.withdrawn = m.withdrawn_len ? reader_ptr(&wd) : NULL;
	m.supported = afi_safi_supported(m.afi, m.safi);
	if (m.supported && !mp_nlri_wellformed(wd, m.afi))
		return BGP_ERR_UPDATE_OPTIONAL_ATTRIBUTE;
	a->mp_unreach = m;
	return 0;
}

static bool enc_mp_unreach(struct writer *w, const struct bgp_attrs *a, bool as4)
{
	const struct bgp_mp_unreach *m = &a->mp_unreach;
	put_header(w, OPT_NON_TRANS, BGP_ATTR_MP_UNREACH_NLRI, 3u + m->withdrawn_len);
	writer_u16(w, m->afi);
	writer_u8(w, m->safi);
	return writer_bytes(w, m->withdrawn, m->withdrawn_len);
}

static uint8_t dec_ext_communities(struct reader *v, const struct bgp_attr_opts *o,
				   struct bgp_attrs *a)
{
	return dec_run(v, 8, &a->ext_communities);
}

static bool enc_ext_communities(struct writer *w, const struct bgp_attrs *a, bool as4)
{
	return put_blob_attr(w, opt_trans_flags(a, BGP_ATTR_EXT_COMMUNITIES), BGP_ATTR_EXT_COMMUNITIES, &a->ext_communities);
}

/*
 * RFC 6793 §6: AS4_PATH and AS4_AGGREGATOR between two 4-octet speakers -> discard; a
 * malformed AS4_PATH (length odd or under 6, a zero or overrunning segment, a bad type) or
 * AS4_AGGREGATOR (length not 8) -> attribute discard. RFC 7607 §2: AS 0 in either is
 * malformed. Confederation segments in AS4_PATH are skipped by bgp_attrs_as4_merge().
 */
static uint8_t dec_as4_path(struct reader *v, const struct bgp_attr_opts *o, struct bgp_attrs *a)
{
	if (o->as4)
		return BGP_ERR_UPDATE_OPTIONAL_ATTRIBUTE;
	struct bgp_as_path p = { .data = NULL, .len = (uint16_t)reader_remaining(v), .asn_size = 4 };
	if (p.len < 6 || p.len % 2 != 0)
		return BGP_ERR_UPDATE_ATTRIBUTE_LENGTH;
	p.data = reader_ptr(v);
	reader_skip(v, p.len);
	bool as0 = false;
	if (!bgp_as_path_wellformed(&p, NULL, &as0) || as0)
		return BGP_ERR_UPDATE_MALFORMED_AS_PATH;
	a->as4_path = p;
	return 0;
}

static bool enc_as4_path(struct writer *w, const struct bgp_attrs *a, bool as4)
{
	put_header(w, opt_trans_flags(a, BGP_ATTR_AS4_PATH), BGP_ATTR_AS4_PATH, bgp_as_path_wire_len(&a->as4_path, 4));
	return bgp_as_path_write(w, &a->as4_path, 4);
}

static uint8_t dec_as4_aggregator(struct reader *v, const struct bgp_attr_opts *o,
				  struct bgp_attrs *a)
{
	if (o->as4)
		return BGP_ERR_UPDATE_OPTIONAL_ATTRIBUTE;
	if (reader_remaining(v) != 8)
		return BGP_ERR_UPDATE_ATTRIBUTE_LENGTH;
	uint32_t as = reader_u32(v);
	if (as == 0)
		return BGP_ERR_UPDATE_OPTIONAL_ATTRIBUTE;
	a->as4_aggregator_as = as;
	a->as4_aggregator_addr = reader_u32(v);
	return 0;
}

static bool enc_as4_aggregator(struct writer *w, const struct bgp_attrs *a, bool as4)
{
	put_header(w, opt_trans_flags(a, BGP_ATTR_AS4_AGGREGATOR), BGP_ATTR_AS4_AGGREGATOR, 8);
	writer_u32(w, a->as4_aggregator_as);
	return writer_u32(w, a->as4_aggregator_addr);
}

static uint8_t dec_large_communities(struct reader *v, const struct bgp_attr_opts *o,
				     struct bgp_attrs *a)
{
	return dec_run(v, 12, &a->large_communities);
}

static bool enc_large_communities(struct writer *w, const struct bgp_attrs *a, bool as4)
{
	return put_blob_attr(w, opt_trans_flags(a, BGP_ATTR_LARGE_COMMUNITY), BGP_ATTR_LARGE_COMMUNITY, &a->large_communities);
}

/* ---- the table ---- */

#define W BGP_ATTR_ACTION_WITHDRAW
#define D BGP_ATTR_ACTION_DISCARD
#define R BGP_ATTR_ACTION_RESET
static const struct attr_desc attr_table[] = {
	/* type                       name                 flags          action ibgp   */
	{ BGP_ATTR_ORIGIN,            "ORIGIN",            WELL_KNOWN,    W, false, dec_origin, enc_origin },
	{ BGP_ATTR_AS_PATH,           "AS_PATH",           WELL_KNOWN,    W, false, dec_as_path, enc_as_path },
	{ BGP_ATTR_NEXT_HOP,          "NEXT_HOP",          WELL_KNOWN,    W, false, dec_next_hop, enc_next_hop },
	{ BGP_ATTR_MULTI_EXIT_DISC,   "MULTI_EXIT_DISC",   OPT_NON_TRANS, W, false, dec_med, enc_med },
	/* RFC 7606 §7.5: LOCAL_PREF from an external peer -> attribute discard */
	{ BGP_ATTR_LOCAL_PREF,        "LOCAL_PREF",        WELL_KNOWN,    W, true,  dec_local_pref, enc_local_pref },
	{ BGP_ATTR_ATOMIC_AGGREGATE,  "ATOMIC_AGGREGATE",  WELL_KNOWN,    D, false, dec_atomic, enc_atomic },
	{ BGP_ATTR_AGGREGATOR,        "AGGREGATOR",        OPT_TRANS,     D, false, dec_aggregator, enc_aggregator },
	{ BGP_ATTR_COMMUNITIES,       "COMMUNITIES",       OPT_TRANS,     W, false, dec_communities, enc_communities },
	/* RFC 7606 §7.9, §7.10: ORIGINATOR_ID, CLUSTER_LIST from an external peer -> discard */
	{ BGP_ATTR_ORIGINATOR_ID,     "ORIGINATOR_ID",     OPT_NON_TRANS, W, true,  dec_originator, enc_originator },
	{ BGP_ATTR_CLUSTER_LIST,      "CLUSTER_LIST",      OPT_NON_TRANS, W, true,  dec_cluster_list, enc_cluster_list },
	{ BGP_ATTR_MP_REACH_NLRI,     "MP_REACH_NLRI",     OPT_NON_TRANS, R, false, dec_mp_reach, enc_mp_reach },
	{ BGP_ATTR_MP_UNREACH_NLRI,   "MP_UNREACH_NLRI",   OPT_NON_TRANS, R, false, dec_mp_unreach, enc_mp_unreach },
	{ BGP_ATTR_EXT_COMMUNITIES,   "EXTENDED_COMMUNITIES", OPT_TRANS,  W, false, dec_ext_communities, enc_ext_communities },
	{ BGP_ATTR_AS4_PATH,          "AS4_PATH",          OPT_TRANS,     D, false, dec_as4_path, enc_as4_path },
	{ BGP_ATTR_AS4_AGGREGATOR,    "AS4_AGGREGATOR",    OPT_TRANS,     D, false, dec_as4_aggregator, enc_as4_aggregator },
	{ BGP_ATTR_LARGE_COMMUNITY,   "LARGE_COMMUNITY",   OPT_TRANS,     W, false, dec_large_communities, enc_large_communities },
};
#undef W
#undef D
#undef R

#define ATTR_TABLE_LEN (sizeof(attr_table) / sizeof(attr_table[0]))

static const struct attr_desc *attr_lookup(uint8_t type)
{
	for (size_t i = 0; i < ATTR_TABLE_LEN; i++)
		if (attr_table[i].type == type)
			return &attr_table[i];
	return NULL;
}

const char *bgp_attr_name(uint8_t type)
{
	const struct attr_desc *d = attr_lookup(type);
	return d ? d->name : "UNKNOWN";
}

const char *bgp_origin_name(uint8_t origin)
{
	switch (origin) {
	case BGP_ORIGIN_IGP:
		return "IGP";
	case BGP_ORIGIN_EGP:
		return "EGP";
	case BGP_ORIGIN_INCOMPLETE:
		return "incomplete";
	default:
		return "invalid";
	}
}

/* ---- decoding the whole field ---- */

struct decode_state {
	uint8_t action;          /* strongest so far */
	struct bgp_error *err;
};

/* Records an error: the strongest action wins (RFC 7606 §3(i)); among equals the first one
 * names the error. raw is the whole attribute as received (NULL for none). */
static void note_error(struct decode_state *st, uint8_t action, uint8_t subcode,
		       const struct reader *raw)
{
	if (action <= st->action)
		return;
	st->action = action;
	bgp_error_set(st->err, BGP_ERR_UPDATE, subcode);
	if (raw) {
		struct reader copy = *raw;
		size_t n = reader_remaining(&copy);
		if (n > BGP_ERROR_DATA_MAX)
			n = BGP_ERROR_DATA_MAX;
		reader_bytes(&copy, st->err->data, n);
		st->err->data_len = (uint16_t)n;
	}
}

static void decode_unknown(struct bgp_attrs *out, struct decode_state *st, uint8_t flags,
			   uint8_t type, struct reader *val, const struct reader *raw)
{
	/* RFC 4271 §6.3: an unrecognized well-known attribute -> 3/2, data = the attribute. */
	if (!(flags & BGP_ATTR_FLAG_OPTIONAL)) {
		note_error(st, BGP_ATTR_ACTION_RESET, BGP_ERR_UPDATE_UNRECOGNIZED_WELL_KNOWN, raw);
		return;
	}
	/* RFC 4271 §5: unrecognized optional non-transitive attributes are quietly ignored;
	 * optional transitive ones are passed on with the Partial bit set. */
	if (!(flags & BGP_ATTR_FLAG_TRANSITIVE) || out->unknown_count >= BGP_ATTR_MAX_UNKNOWN) {
		out->dropped_unknown++;
		return;
	}
	/* Kept sorted by type code: the canonical order, so equal sets compare equal. */
	size_t at = out->unknown_count++;
	while (at > 0 && out->unknown[at - 1].type > type) {
		out->unknown[at] = out->unknown[at - 1];
		at--;
	}
	struct bgp_attr_unknown *u = &out->unknown[at];
	u->flags = flags;
	u->type = type;
	struct bgp_attr_blob b = blob_of(val);
	u->len = b.len;
	u->data = b.data;
}

enum bgp_attr_result bgp_attr_decode(struct reader *attrs, const struct bgp_attr_opts *opts,
				     struct bgp_attrs *out, struct bgp_error *err)
{
	memset(out, 0, sizeof(*out));
	bgp_error_set(err, 0, 0);
	struct decode_state st = { .action = BGP_ATTR_ACTION_NONE, .err = err };
	struct reader r = reader_rest(attrs);
	uint8_t seen[32] = { 0 };
	bool framing_error = false;

	while (!reader_empty(&r) && st.action < BGP_ATTR_ACTION_RESET) {
		struct reader whole = r; /* to carve the attribute as received, header included */
		size_t left = reader_remaining(&r);
		/* RFC 7606 §4: fewer octets than a minimal header (3, or 4 with Extended Length). */
		if (left < 3) {
			framing_error = true;
			break;
		}
		uint8_t flags = reader_u8(&r);
		uint8_t type = reader_u8(&r);
		size_t hdr = (flags & BGP_ATTR_FLAG_EXTENDED) ? 4 : 3;
		if (left < hdr) {
			framing_error = true;
			break;
		}
		size_t len = hdr == 4 ? reader_u16(&r) : reader_u8(&r);
		/* RFC 7606 §4: the attribute's length overruns the Path Attributes field. */
		if (reader_remaining(&r) < len) {
			framing_error = true;
			break;
		}
		struct reader raw = reader_sub(&whole, hdr + len);
		struct reader val = reader_sub(&r, len);

		const struct attr_desc *d = attr_lookup(type);
		bool dup = seen[type / 8] & (1u << (type % 8));
		seen[type / 8] |= (uint8_t)(1u << (type % 8));
		if (dup) {
			/* RFC 7606 §3(g): MP_REACH_NLRI or MP_UNREACH_NLRI more than once -> 3/1;
			 * any other attribute: all but the first occurrence are discarded. */
			if (type == BGP_ATTR_MP_REACH_NLRI || type == BGP_ATTR_MP_UNREACH_NLRI) {
				note_error(&st, BGP_ATTR_ACTION_RESET,
					   BGP_ERR_UPDATE_MALFORMED_ATTRIBUTE_LIST, &raw);
			} else {
				out->discarded++;
			}
			continue;
		}
		if (!d) {
			decode_unknown(out, &st, flags, type, &val, &raw);
			continue;
		}
		/* RFC 7606 §7.5, §7.9, §7.10: IBGP-only attributes from an external peer are
		 * discarded whatever their form. RFC 4760 §3: a NEXT_HOP in an UPDATE without
		 * NLRI in its NLRI field SHOULD be ignored (so it cannot cause a withdraw). */
		if ((d->ibgp_only && !opts->ibgp) || (type == BGP_ATTR_NEXT_HOP && !opts->ipv4_nlri)) {
			out->discarded++;
			continue;
		}
		uint8_t subcode;
		if ((flags & FLAG_MASK) != d->flags) {
			/* RFC 7606 §3(c): Optional/Transitive bits in conflict -> malformed. */
			subcode = BGP_ERR_UPDATE_ATTRIBUTE_FLAGS;
		} else {
			subcode = d->decode(&val, opts, out);
			if (subcode == 0 && !reader_ok(&val))
				subcode = BGP_ERR_UPDATE_ATTRIBUTE_LENGTH;
		}
		if (subcode == 0) {
			out->present |= BGP_ATTR_BIT(type);
			if (d->flags == OPT_TRANS && (flags & BGP_ATTR_FLAG_PARTIAL))
				out->partial |= BGP_ATTR_BIT(type);
		} else if (d->action == BGP_ATTR_ACTION_DISCARD) {
			out->discarded++;
		} else {
			note_error(&st, d->action, subcode, &raw);
		}
	}
	reader_skip(attrs, reader_remaining(attrs));

	if (st.action >= BGP_ATTR_ACTION_RESET)
		return BGP_ATTR_RESULT_RESET;

	if (framing_error) {
		bool locatable = opts->ipv4_nlri || opts->ipv4_withdrawn ||
				 bgp_attrs_has(out, BGP_ATTR_MP_REACH_NLRI) ||
				 bgp_attrs_has(out, BGP_ATTR_MP_UNREACH_NLRI);
		note_error(&st, locatable ? BGP_ATTR_ACTION_WITHDRAW : BGP_ATTR_ACTION_RESET,
			   BGP_ERR_UPDATE_MALFORMED_ATTRIBUTE_LIST, NULL);
		if (st.action >= BGP_ATTR_ACTION_RESET)
			return BGP_ATTR_RESULT_RESET;
	}

	/* RFC 7606 §3(d): a missing well-known mandatory attribute -> treat-as-withdraw.
	 * RFC 4760 §3: an UPDATE that carries only MP_REACH_NLRI needs no NEXT_HOP; one that
	 * carries no reachable NLRI at all needs no attributes. Data: the missing type code. */
	bool reach = opts->ipv4_nlri || bgp_attrs_has(out, BGP_ATTR_MP_REACH_NLRI);
	if (reach && st.action < BGP_ATTR_ACTION_WITHDRAW) {
		static const uint8_t mandatory[] = { BGP_ATTR_ORIGIN, BGP_ATTR_AS_PATH,
						     BGP_ATTR_NEXT_HOP };
		for (size_t i = 0; i < sizeof(mandatory); i++) {
			uint8_t t = mandatory[i];
			if (t == BGP_ATTR_NEXT_HOP && !opts->ipv4_nlri)
				continue;
			if (seen[t / 8] & (1u << (t % 8)))
				continue; /* present but malformed: already an error of its own */
			note_error(&st, BGP_ATTR_ACTION_WITHDRAW, BGP_ERR_UPDATE_MISSING_WELL_KNOWN, NULL);
			err->data[0] = t;
			err->data_len = 1;
			break;
		}
	}
	return st.action >= BGP_ATTR_ACTION_WITHDRAW ? BGP_ATTR_RESULT_WITHDRAW : BGP_ATTR_RESULT_OK;
}

/* ---- encoding ---- */

static bool encode_unknown(struct writer *w, const struct bgp_attr_unknown *u)
{
	/* RFC 4271 §5: a passed-on unrecognized optional transitive attribute has Partial set. */
	struct bgp_attr_blob b = { .data = u->data, .len = u->len };
	return put_blob_attr(w, (uint8_t)((u->flags & FLAG_MASK) | BGP_ATTR_FLAG_PARTIAL), u->type,
			     &b);
}

bool bgp_attr_encode(struct writer *w, const struct bgp_attrs *a, bool as4)
{
	/* RFC 7606 §5.1: MP_REACH_NLRI and MP_UNREACH_NLRI first. */
	if (bgp_attrs_has(a, BGP_ATTR_MP_REACH_NLRI))
		enc_mp_reach(w, a, as4);
	if (bgp_attrs_has(a, BGP_ATTR_MP_UNREACH_NLRI))
		enc_mp_unreach(w, a, as4);
	/* Then by type code (RFC 4271 §5: SHOULD be in ascending order), unknown ones merged in.
	 * Only the present types are visited (this runs once per UPDATE in and per group out).
	 * Unknown types never collide with known ones: the decoder routes known types to the
	 * table, and keeps the unknown ones sorted by type. */
	uint64_t known = a->present & ~(BGP_ATTR_BIT(BGP_ATTR_MP_REACH_NLRI) | BGP_ATTR_BIT(BGP_ATTR_MP_UNREACH_NLRI));
	size_t u = 0;
	while (known) {
		unsigned type = (unsigned)__builtin_ctzll(known);
		known &= known - 1;
		for (; u < a->unknown_count && a->unknown[u].type < type; u++)
			if (!attr_lookup(a->unknown[u].type))
				encode_unknown(w, &a->unknown[u]);
		const struct attr_desc *d = attr_lookup((uint8_t)type);
		if (d)
			d->encode(w, a, as4);
	}
	for (; u < a->unknown_count; u++)
		if (!attr_lookup(a->unknown[u].type))
			encode_unknown(w, &a->unknown[u]);
	return writer_ok(w);
}

static bool blob_equal(const struct bgp_attr_blob *x, const struct bgp_attr_blob *y)
{
	return x->len == y->len && (x->len == 0 || memcmp(x->data, y->data, x->len) == 0);
}

static bool bytes_equal(const uint8_t *x, const uint8_t *y, size_t n)
{
	return n == 0 || memcmp(x, y, n) == 0;
}

static bool as_path_equal(const struct bgp_as_path *x, const struct bgp_as_path *y)
{
	return x->asn_size == y->asn_size && x->len == y->len && bytes_equal(x->data, y->data, x->len);
}

bool bgp_attrs_equal(const struct bgp_attrs *a, const struct bgp_attrs *b)
{
	if (a->present != b->present || (a->partial & a->present) != (b->partial & b->present) ||
	    a->unknown_count != b->unknown_count)
		return false;
#define SAME(type, cond) (!bgp_attrs_has(a, type) || (cond))
	bool same =
		SAME(BGP_ATTR_ORIGIN, a->origin == b->origin) &&
		SAME(BGP_ATTR_AS_PATH, as_path_equal(&a->as_path, &b->as_path)) &&
		SAME(BGP_ATTR_NEXT_HOP, a->next_hop == b->next_hop) &&
		SAME(BGP_ATTR_MULTI_EXIT_DISC, a->med == b->med) &&
		SAME(BGP_ATTR_LOCAL_PREF, a->local_pref == b->local_pref) &&
		SAME(BGP_ATTR_AGGREGATOR, a->aggregator_as == b->aggregator_as &&
						  a->aggregator_addr == b->aggregator_addr) &&
		SAME(BGP_ATTR_COMMUNITIES, blob_equal(&a->communities, &b->communities)) &&
		SAME(BGP_ATTR_ORIGINATOR_ID, a->originator_id == b->originator_id) &&
		SAME(BGP_ATTR_CLUSTER_LIST, blob_equal(&a->cluster_list, &b->cluster_list)) &&
		SAME(BGP_ATTR_MP_REACH_NLRI,
		     a->mp_reach.afi == b->mp_reach.afi && a->mp_reach.safi == b->mp_reach.safi &&
			     a->mp_reach.supported == b->mp_reach.supported &&
			     a->mp_reach.nexthop_len == b->mp_reach.nexthop_len &&
			     bytes_equal(a->mp_reach.nexthop, b->mp_reach.nexthop,
					 a->mp_reach.nexthop_len) &&
			     a->mp_reach.nlri_len == b->mp_reach.nlri_len &&
			     bytes_equal(a->mp_reach.nlri, b->mp_reach.nlri, a->mp_reach.nlri_len)) &&
		SAME(BGP_ATTR_MP_UNREACH_NLRI,
		     a->mp_unreach.afi == b->mp_unreach.afi &&
			     a->mp_unreach.safi == b->mp_unreach.safi &&
			     a->mp_unreach.supported == b->mp_unreach.supported &&
			     a->mp_unreach.withdrawn_len == b->mp_unreach.withdrawn_len &&
			     bytes_equal(a->mp_unreach.withdrawn, b->mp_unreach.withdrawn,
					 a->mp_unreach.withdrawn_len)) &&
		SAME(BGP_ATTR_EXT_COMMUNITIES, blob_equal(&a->ext_communities, &b->ext_communities)) &&
		SAME(BGP_ATTR_AS4_PATH, as_path_equal(&a->as4_path, &b->as4_path)) &&
		SAME(BGP_ATTR_AS4_AGGREGATOR, a->as4_aggregator_as == b->as4_aggregator_as &&
						      a->as4_aggregator_addr == b->as4_aggregator_addr) &&
		SAME(BGP_ATTR_LARGE_COMMUNITY,
		     blob_equal(&a->large_communities, &b->large_communities));
#undef SAME
	if (!same)
		return false;
	for (size_t i = 0; i < a->unknown_count; i++) {
		const struct bgp_attr_unknown *x = &a->unknown[i], *y = &b->unknown[i];
		if (x->type != y->type || (x->flags & FLAG_MASK) != (y->flags & FLAG_MASK) ||
		    x->len != y->len || !bytes_equal(x->data, y->data, x->len))
			return false;
	}
	return true;
}
