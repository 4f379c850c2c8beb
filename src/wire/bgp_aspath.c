/*
 * DOC: AS paths (RFC 4271 §4.3, §5.1.2, §9.1.2.2; RFC 5065; RFC 6793).
 *
 * A struct bgp_as_path is the segment list exactly as it travels in AS_PATH or AS4_PATH:
 * segment type, ASN count, then count ASNs of asn_size (2 or 4) octets. Everything here reads
 * it through the bounded reader, so a malformed path just ends an iteration early; paths that
 * this module builds (prepend, the RFC 6793 merge) are written with the capped writer into a
 * caller's buffer and always have 4-octet ASNs.
 */
#include "bgp_attr.h"

void bgp_as_path_iter_init(struct bgp_as_path_iter *it, const struct bgp_as_path *p)
{
	it->r = reader_make(p->data, p->data ? p->len : 0);
	it->asn_size = p->asn_size == 2 ? 2 : 4;
}

bool bgp_as_path_iter_next(struct bgp_as_path_iter *it, struct bgp_as_segment *seg)
{
	if (reader_empty(&it->r))
		return false;
	seg->type = reader_u8(&it->r);
	seg->count = reader_u8(&it->r);
	seg->asn_size = it->asn_size;
	seg->asns = reader_sub(&it->r, (size_t)seg->count * it->asn_size);
	return reader_ok(&it->r);
}

uint32_t bgp_as_segment_next_asn(struct bgp_as_segment *seg)
{
	return seg->asn_size == 2 ? reader_u16(&seg->asns) : reader_u32(&seg->asns);
}

static bool segment_type_known(uint8_t type)
{
	return type >= BGP_AS_SET && type <= BGP_AS_CONFED_SET;
}

static bool segment_is_confed(uint8_t type)
{
	return type == BGP_AS_CONFED_SEQUENCE || type == BGP_AS_CONFED_SET;
}

bool bgp_as_path_wellformed(const struct bgp_as_path *p, bool *has_confed, bool *has_as0)
{
	if (p->asn_size != 2 && p->asn_size != 4)
		return false;
	struct reader r = reader_make(p->data, p->data ? p->len : 0);
	while (!reader_empty(&r)) {
		/* A single octet left is an underrun (RFC 7606 §7.2); reader_u8 flags it. */
		uint8_t type = reader_u8(&r);
		uint8_t count = reader_u8(&r);
		if (!reader_ok(&r) || !segment_type_known(type) || count == 0)
			return false;
		if (segment_is_confed(type) && has_confed)
			*has_confed = true;
		for (unsigned i = 0; i < count; i++) {
			uint32_t asn = p->asn_size == 2 ? reader_u16(&r) : reader_u32(&r);
			if (!reader_ok(&r))
				return false; /* segment overruns the attribute */
			if (asn == 0 && has_as0)
				*has_as0 = true;
		}
	}
	return reader_ok(&r);
}

unsigned bgp_as_path_length(const struct bgp_as_path *p)
{
	struct bgp_as_path_iter it;
	struct bgp_as_segment seg;
	unsigned n = 0;
	bgp_as_path_iter_init(&it, p);
	while (bgp_as_path_iter_next(&it, &seg)) {
		if (seg.type == BGP_AS_SEQUENCE)
			n += seg.count;
		else if (seg.type == BGP_AS_SET)
			n += 1;
		/* RFC 5065 §5.3: confederation segments do not count */
	}
	return n;
}

bool bgp_as_path_contains(const struct bgp_as_path *p, uint32_t asn)
{
	struct bgp_as_path_iter it;
	struct bgp_as_segment seg;
	bgp_as_path_iter_init(&it, p);
	while (bgp_as_path_iter_next(&it, &seg))
		for (unsigned i = 0; i < seg.count; i++)
			if (bgp_as_segment_next_asn(&seg) == asn)
				return true;
	return false;
}

uint32_t bgp_as_path_first(const struct bgp_as_path *p)
{
	struct bgp_as_path_iter it;
	struct bgp_as_segment seg;
	bgp_as_path_iter_init(&it, p);
	if (!bgp_as_path_iter_next(&it, &seg) || seg.type != BGP_AS_SEQUENCE)
		return 0;
	return bgp_as_segment_next_asn(&seg);
}

size_t bgp_as_path_wire_len(const struct bgp_as_path *p, uint8_t asn_size)
{
	struct bgp_as_path_iter it;
	struct bgp_as_segment seg;
	size_t n = 0;
	bgp_as_path_iter_init(&it, p);
	while (bgp_as_path_iter_next(&it, &seg))
		n += 2 + (size_t)seg.count * asn_size;
	return n;
}

static void write_asn(struct writer *w, uint32_t asn, uint8_t asn_size)
{
	if (asn_size == 4)
		writer_u32(w, asn);
	else
		writer_u16(w, asn > 0xffff ? BGP_AS_TRANS : (uint16_t)asn);
}

/* Writes the first count ASNs of seg as a segment of the given type. */
static void write_segment(struct writer *w, uint8_t type, struct bgp_as_segment *seg,
			  unsigned count, uint8_t asn_size)
{
	writer_u8(w, type);
	writer_u8(w, (uint8_t)count);
	for (unsigned i = 0; i < count; i++)
		write_asn(w, bgp_as_segment_next_asn(seg), asn_size);
}

bool bgp_as_path_write(struct writer *w, const struct bgp_as_path *p, uint8_t asn_size)
{
	struct bgp_as_path_iter it;
	struct bgp_as_segment seg;
	bgp_as_path_iter_init(&it, p);
	while (bgp_as_path_iter_next(&it, &seg))
		write_segment(w, seg.type, &seg, seg.count, asn_size);
	return writer_ok(w);
}

static void write_repeated(struct writer *w, uint32_t asn, unsigned n)
{
	while (n) {
		unsigned c = n > 255 ? 255 : n;
		writer_u8(w, BGP_AS_SEQUENCE);
		writer_u8(w, (uint8_t)c);
		for (unsigned i = 0; i < c; i++)
			writer_u32(w, asn);
		n -= c;
	}
}

bool bgp_as_path_prepend(const struct bgp_as_path *in, uint32_t asn, unsigned count,
			 uint8_t *buf, size_t cap, struct bgp_as_path *out)
{
	struct writer w = writer_make(buf, cap);
	struct bgp_as_path_iter it;
	struct bgp_as_segment seg;
	bgp_as_path_iter_init(&it, in);
	bool have = bgp_as_path_iter_next(&it, &seg);
	if (have && seg.type == BGP_AS_SEQUENCE) {
		/* RFC 4271 §5.1.2: into the leading AS_SEQUENCE; what does not fit goes into
		 * new AS_SEQUENCE segments in front of it. */
		unsigned room = 255u - seg.count;
		unsigned into_first = count < room ? count : room;
		write_repeated(&w, asn, count - into_first);
		writer_u8(&w, BGP_AS_SEQUENCE);
		writer_u8(&w, (uint8_t)(seg.count + into_first));
		for (unsigned i = 0; i < into_first; i++)
			writer_u32(&w, asn);
		for (unsigned i = 0; i < seg.count; i++)
			writer_u32(&w, bgp_as_segment_next_asn(&seg));
	} else {
		write_repeated(&w, asn, count);
		if (have)
			write_segment(&w, seg.type, &seg, seg.count, 4);
	}
	while (bgp_as_path_iter_next(&it, &seg))
		write_segment(&w, seg.type, &seg, seg.count, 4);
	if (!writer_ok(&w) || w.len > 0xffff)
		return false;
	out->data = w.len ? buf : NULL;
	out->len = (uint16_t)w.len;
	out->asn_size = 4;
	return true;
}

void bgp_as_path_text(const struct bgp_as_path *p, struct strbuf *sb)
{
	struct bgp_as_path_iter it;
	struct bgp_as_segment seg;
	bool first = true;
	bgp_as_path_iter_init(&it, p);
	while (bgp_as_path_iter_next(&it, &seg)) {
		const char *open = "", *close = "", *sep = " ";
		switch (seg.type) {
		case BGP_AS_SET:
			open = "{", close = "}", sep = ",";
			break;
		case BGP_AS_CONFED_SEQUENCE:
			open = "(", close = ")";
			break;
		case BGP_AS_CONFED_SET:
			open = "[", close = "]", sep = ",";
			break;
		default:
			break;
		}
		strbuf_printf(sb, "%s%s", first ? "" : " ", open);
		for (unsigned i = 0; i < seg.count; i++)
			strbuf_printf(sb, "%s%u", i ? sep : "", bgp_as_segment_next_asn(&seg));
		strbuf_append(sb, close);
		first = false;
	}
}

/* Output of the merge: consecutive AS_SEQUENCEs are joined while they fit in 255 ASNs. */
struct seg_out {
	struct writer *w;
	size_t count_at;
	uint8_t type;
	uint8_t count;
	bool open;
};

static void seg_out_add(struct seg_out *o, struct bgp_as_segment *seg, unsigned k)
{
	if (o->open && seg->type == BGP_AS_SEQUENCE && o->type == BGP_AS_SEQUENCE &&
	    o->count + k <= 255) {
		o->count = (uint8_t)(o->count + k);
	} else {
		writer_u8(o->w, seg->type);
		o->count_at = writer_reserve(o->w, 1);
		o->type = seg->type;
		o->count = (uint8_t)k;
		o->open = true;
	}
	for (unsigned i = 0; i < k; i++)
		writer_u32(o->w, bgp_as_segment_next_asn(seg));
	writer_patch_u8(o->w, o->count_at, o->count);
}

/* RFC 6793 §4.2.3. */
bool bgp_attrs_as4_merge(struct bgp_attrs *a, uint8_t *buf, size_t cap)
{
	bool use_as4_path = bgp_attrs_has(a, BGP_ATTR_AS4_PATH);
	bool use_as4_agg = false;
	uint64_t as4_bits = BGP_ATTR_BIT(BGP_ATTR_AS4_PATH) | BGP_ATTR_BIT(BGP_ATTR_AS4_AGGREGATOR);
	if (a->as_path.asn_size == 4) {
		/* A 4-octet (NEW) peer: the AS4 attributes were already discarded (§6). */
		a->present &= ~as4_bits;
		a->partial &= ~as4_bits;
		return true;
	}
	if (bgp_attrs_has(a, BGP_ATTR_AGGREGATOR) && bgp_attrs_has(a, BGP_ATTR_AS4_AGGREGATOR)) {
		/* An AGGREGATOR other than AS_TRANS means an OLD speaker aggregated after the
		 * AS4 attributes were attached: ignore both AS4_AGGREGATOR and AS4_PATH. */
		if (a->aggregator_as != BGP_AS_TRANS)
			use_as4_path = false;
		else
			use_as4_agg = true;
	}
	/* An AS4_PATH longer than AS_PATH cannot be right: ignore it. */
	unsigned n_path = bgp_as_path_length(&a->as_path);
	unsigned n_as4 = use_as4_path ? bgp_as_path_length(&a->as4_path) : 0;
	if (use_as4_path && n_path < n_as4)
		use_as4_path = false;

	struct writer w = writer_make(buf, cap);
	struct seg_out o = { .w = &w, .open = false };
	struct bgp_as_path_iter it;
	struct bgp_as_segment seg;
	if (!use_as4_path) {
		bgp_as_path_write(&w, &a->as_path, 4);
	} else {
		/* As many leading ASNs and segments of AS_PATH as make up the difference, then
		 * AS4_PATH without its confederation segments (§6). Leading confederation
		 * segments of AS_PATH are kept. */
		unsigned need = n_path - n_as4;
		bool started = false;
		bgp_as_path_iter_init(&it, &a->as_path);
		while (bgp_as_path_iter_next(&it, &seg)) {
			if (segment_is_confed(seg.type)) {
				if (started && need == 0)
					break;
				seg_out_add(&o, &seg, seg.count);
				continue;
			}
			started = true;
			if (need == 0)
				break;
			if (seg.type == BGP_AS_SET) {
				seg_out_add(&o, &seg, seg.count);
				need--;
				continue;
			}
			unsigned k = seg.count < need ? seg.count : need;
			seg_out_add(&o, &seg, k);
			need -= k;
		}
		bgp_as_path_iter_init(&it, &a->as4_path);
		while (bgp_as_path_iter_next(&it, &seg))
			if (!segment_is_confed(seg.type))
				seg_out_add(&o, &seg, seg.count);
	}
	if (!writer_ok(&w) || w.len > 0xffff)
		return false;
	a->as_path.data = w.len ? buf : NULL;
	a->as_path.len = (uint16_t)w.len;
	a->as_path.asn_size = 4;
	if (use_as4_agg) {
		a->aggregator_as = a->as4_aggregator_as;
		a->aggregator_addr = a->as4_aggregator_addr;
	}
	a->present &= ~as4_bits;
	a->partial &= ~as4_bits;
	return true;
}

static bool path_has_wide_asn(const struct bgp_as_path *p)
{
	struct bgp_as_path_iter it;
	struct bgp_as_segment seg;
	bgp_as_path_iter_init(&it, p);
	while (bgp_as_path_iter_next(&it, &seg))
		for (unsigned i = 0; i < seg.count; i++)
			if (bgp_as_segment_next_asn(&seg) > 0xffff)
				return true;
	return false;
}

/* RFC 6793 §4.2.2. */
void bgp_attrs_as4_split(struct bgp_attrs *a)
{
	if (bgp_attrs_has(a, BGP_ATTR_AS_PATH) && path_has_wide_asn(&a->as_path)) {
		a->as4_path = a->as_path;
		a->present |= BGP_ATTR_BIT(BGP_ATTR_AS4_PATH);
	}
	if (bgp_attrs_has(a, BGP_ATTR_AGGREGATOR) && a->aggregator_as > 0xffff) {
		a->as4_aggregator_as = a->aggregator_as;
		a->as4_aggregator_addr = a->aggregator_addr;
		a->present |= BGP_ATTR_BIT(BGP_ATTR_AS4_AGGREGATOR);
	}
}
