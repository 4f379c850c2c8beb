/*
 * DOC: the text of one BGP, OSPF or RIP message on the ladder: a short label for the arrow
 * and the key fields after it, read by Tern's own decoders (src/wire) through the bounded
 * reader. A message a decoder refuses is still shown, with the error it gave, since a
 * learner looking at a broken session wants to see the broken message too.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "lab/ladder.h"
#include "lib/addr.h"
#include "wire/bgp.h"
#include "wire/bgp_attr.h"
#include "wire/ospf.h"
#include "wire/rip.h"

static const char *afi_safi_name(uint16_t afi, uint8_t safi, char *buf, size_t size)
{
	const char *a = afi == BGP_AFI_IPV4 ? "IPv4" : afi == BGP_AFI_IPV6 ? "IPv6" : NULL;
	const char *s = safi == BGP_SAFI_UNICAST ? "unicast" : safi == 2 ? "multicast" : NULL;
	if (a && s)
		snprintf(buf, size, "%s %s", a, s);
	else
		snprintf(buf, size, "AFI %u SAFI %u", afi, safi);
	return buf;
}

static void hex_bytes(struct strbuf *sb, const uint8_t *data, size_t len, size_t max)
{
	for (size_t i = 0; i < len && i < max; i++)
		strbuf_printf(sb, "%02x", data[i]);
	if (len > max)
		strbuf_printf(sb, "... (%zu bytes)", len);
}

/* "3/1 UPDATE Message Error/Malformed Attribute List" after a prefix. */
static void error_text(const struct bgp_error *err, const char *prefix, struct strbuf *sb)
{
	strbuf_printf(sb, "%s%u/%u %s", prefix, err->code, err->subcode, bgp_error_subcode_name(err->code, err->subcode));
}

static void bgp_capabilities_text(const struct bgp_capabilities *c, struct strbuf *sb)
{
	char name[32];
	const char *sep = "";
	strbuf_append(sb, "\ncapabilities:");
	for (unsigned i = 0; i < c->multiprotocol_count; i++, sep = ",")
		strbuf_printf(sb, "%s %s %s", sep, bgp_capability_name(BGP_CAP_MULTIPROTOCOL),
			      afi_safi_name(c->multiprotocol[i].afi, c->multiprotocol[i].safi, name, sizeof(name)));
	if (c->route_refresh)
		strbuf_printf(sb, "%s %s", sep, bgp_capability_name(BGP_CAP_ROUTE_REFRESH)), sep = ",";
	if (c->enhanced_route_refresh)
		strbuf_printf(sb, "%s %s", sep, bgp_capability_name(BGP_CAP_ENHANCED_ROUTE_REFRESH)), sep = ",";
	if (c->extended_message)
		strbuf_printf(sb, "%s %s", sep, bgp_capability_name(BGP_CAP_EXTENDED_MESSAGE)), sep = ",";
	if (c->as4)
		strbuf_printf(sb, "%s %s %u", sep, bgp_capability_name(BGP_CAP_AS4), c->as4_number), sep = ",";
	if (c->graceful_restart)
		strbuf_printf(sb, "%s %s (restart time %u)", sep, bgp_capability_name(BGP_CAP_GRACEFUL_RESTART),
			      c->gr.flags_and_time & 0x0fffu), sep = ",";
	for (unsigned i = 0; i < c->unknown_count; i++, sep = ",")
		strbuf_printf(sb, "%s %s (%u)", sep, bgp_capability_name(c->unknown[i].code), c->unknown[i].code);
	if (!*sep)
		strbuf_append(sb, " none");
}

static void bgp_open_text(struct reader *body, struct ladder_bgp_side *from, struct strbuf *label,
			  struct strbuf *details)
{
	struct bgp_open open;
	struct bgp_error err = { 0 };
	strbuf_append(label, "BGP OPEN");
	if (!bgp_open_decode(body, &open, &err)) {
		error_text(&err, "malformed: ", details);
		return;
	}
	char id[16];
	strbuf_printf(details, "My AS %u, Hold Time %u, BGP Identifier %s", open.my_as, open.hold_time,
		      ipv4_format(open.bgp_id, id));
	if (open.version != BGP_VERSION)
		strbuf_printf(details, ", version %u", open.version);
	if (open.my_as == BGP_AS_TRANS && open.caps.as4)
		strbuf_printf(details, " (AS_TRANS: the real AS is %u)", open.caps.as4_number);
	if (open.caps.present)
		bgp_capabilities_text(&open.caps, details);
	from->open_seen = true;
	from->as4 = open.caps.as4;
	from->as = bgp_open_peer_as(&open);
}

/* Prefixes of an IPv4 field (withdrawn routes, NLRI), at most LADDER_PREFIXES_SHOWN. */
static void prefixes4_text(struct reader field, const char *what, struct strbuf *sb)
{
	struct bgp_prefix4 p;
	size_t n = 0;
	int rc;
	strbuf_printf(sb, "\n%s:", what);
	while ((rc = bgp_prefix4_next(&field, &p)) == 1) {
		char a[16];
		if (n++ < LADDER_PREFIXES_SHOWN)
			strbuf_printf(sb, " %s/%u", ipv4_format(p.addr, a), p.len);
	}
	if (n > LADDER_PREFIXES_SHOWN)
		strbuf_printf(sb, " and %zu more", n - LADDER_PREFIXES_SHOWN);
	if (rc < 0)
		strbuf_append(sb, " (malformed prefix)");
}

static void mp_prefixes_text(const uint8_t *data, uint16_t len, uint16_t afi, uint8_t safi, const char *what,
			     struct strbuf *sb)
{
	struct reader field = reader_make(data, len);
	struct bgp_mp_prefix p;
	size_t n = 0;
	int rc;
	char name[32];
	strbuf_printf(sb, "\n%s (%s):", what, afi_safi_name(afi, safi, name, sizeof(name)));
	while ((rc = bgp_mp_prefix_next(&field, afi, &p)) == 1) {
		char a[IP_ADDR_STRLEN];
		struct ip_addr ip = { .family = p.afi == BGP_AFI_IPV6 ? AF_INET6 : AF_INET };
		memcpy(ip.bytes, p.addr, sizeof(p.addr));
		if (n++ < LADDER_PREFIXES_SHOWN)
			strbuf_printf(sb, " %s/%u", ip_addr_format(&ip, a), p.len);
	}
	if (n > LADDER_PREFIXES_SHOWN)
		strbuf_printf(sb, " and %zu more", n - LADDER_PREFIXES_SHOWN);
	if (rc < 0)
		strbuf_append(sb, " (malformed prefix)");
}

/* The attributes a learner looks at first: ORIGIN, AS_PATH, NEXT_HOP, MED, LOCAL_PREF,
 * communities. */
static void attrs_text(const struct bgp_attrs *a, struct strbuf *sb)
{
	char ip[16];
	strbuf_append(sb, "\nattributes:");
	const char *sep = " ";
	if (bgp_attrs_has(a, BGP_ATTR_ORIGIN))
		strbuf_printf(sb, "%sORIGIN %s", sep, bgp_origin_name(a->origin)), sep = ", ";
	if (bgp_attrs_has(a, BGP_ATTR_AS_PATH)) {
		strbuf_printf(sb, "%sAS_PATH ", sep);
		size_t before = sb->len;
		bgp_as_path_text(&a->as_path, sb);
		if (sb->len == before)
			strbuf_append(sb, "(empty)");
		sep = ", ";
	}
	if (bgp_attrs_has(a, BGP_ATTR_NEXT_HOP))
		strbuf_printf(sb, "%sNEXT_HOP %s", sep, ipv4_format(a->next_hop, ip)), sep = ", ";
	if (bgp_attrs_has(a, BGP_ATTR_MULTI_EXIT_DISC))
		strbuf_printf(sb, "%sMED %u", sep, a->med), sep = ", ";
	if (bgp_attrs_has(a, BGP_ATTR_LOCAL_PREF))
		strbuf_printf(sb, "%sLOCAL_PREF %u", sep, a->local_pref), sep = ", ";
	if (bgp_attrs_has(a, BGP_ATTR_COMMUNITIES)) {
		strbuf_printf(sb, "%sCOMMUNITIES ", sep);
		bgp_communities_text(&a->communities, sb);
		sep = ", ";
	}
	if (bgp_attrs_has(a, BGP_ATTR_ORIGINATOR_ID))
		strbuf_printf(sb, "%sORIGINATOR_ID %s", sep, ipv4_format(a->originator_id, ip)), sep = ", ";
	if (bgp_attrs_has(a, BGP_ATTR_MP_REACH_NLRI) && a->mp_reach.nexthop_len >= 4) {
		struct ip_addr nh = { .family = a->mp_reach.nexthop_len >= 16 ? AF_INET6 : AF_INET };
		memcpy(nh.bytes, a->mp_reach.nexthop, nh.family == AF_INET6 ? 16 : 4);
		char text[IP_ADDR_STRLEN];
		strbuf_printf(sb, "%sMP next hop %s", sep, ip_addr_format(&nh, text)), sep = ", ";
	}
	if (!strcmp(sep, " "))
		strbuf_append(sb, " none");
}

static void bgp_update_text(struct reader *body, const struct ladder_bgp_side *from, const struct ladder_bgp_side *to,
			    struct strbuf *label, struct strbuf *details)
{
	struct bgp_update_parts parts;
	struct bgp_error err = { 0 };
	strbuf_append(label, "BGP UPDATE");
	if (!bgp_update_split(body, &parts, &err)) {
		error_text(&err, "malformed: ", details);
		return;
	}
	size_t withdrawn = reader_remaining(&parts.withdrawn), nlri = reader_remaining(&parts.nlri);
	if (!withdrawn && !nlri && reader_empty(&parts.attributes)) {
		strbuf_append(details, "End-of-RIB (IPv4 unicast)"); /* RFC 4724 §2 */
		return;
	}
	/* The AS width and IBGP come from the OPENs when the capture has them; a capture started
	 * later guesses 4-octet (what every current speaker negotiates) and tries 2 if that fails. */
	bool both = from->open_seen && to->open_seen;
	struct bgp_attr_opts opts = {
		.as4 = both ? from->as4 && to->as4 : from->open_seen ? from->as4 : true,
		.ibgp = both && from->as == to->as,
		.ipv4_nlri = nlri > 0,
		.ipv4_withdrawn = withdrawn > 0,
	};
	struct bgp_attrs attrs;
	struct reader attributes = parts.attributes;
	enum bgp_attr_result result = bgp_attr_decode(&attributes, &opts, &attrs, &err);
	if (result != BGP_ATTR_RESULT_OK && !both) {
		opts.as4 = !opts.as4;
		attributes = parts.attributes;
		struct bgp_error err2 = { 0 };
		if (bgp_attr_decode(&attributes, &opts, &attrs, &err2) == BGP_ATTR_RESULT_OK)
			result = BGP_ATTR_RESULT_OK;
	}
	/* sections, each on its own line: withdrawn, NLRI, attributes */
	struct strbuf lines = STRBUF_INIT;
	if (withdrawn)
		prefixes4_text(parts.withdrawn, "withdrawn", &lines);
	if (result == BGP_ATTR_RESULT_OK || result == BGP_ATTR_RESULT_WITHDRAW) {
		if (bgp_attrs_has(&attrs, BGP_ATTR_MP_UNREACH_NLRI)) {
			if (attrs.mp_unreach.withdrawn_len == 0 && !nlri && !withdrawn)
				strbuf_append(&lines, "\nEnd-of-RIB");
			mp_prefixes_text(attrs.mp_unreach.withdrawn, attrs.mp_unreach.withdrawn_len, attrs.mp_unreach.afi,
					 attrs.mp_unreach.safi, "withdrawn", &lines);
		}
		if (bgp_attrs_has(&attrs, BGP_ATTR_MP_REACH_NLRI))
			mp_prefixes_text(attrs.mp_reach.nlri, attrs.mp_reach.nlri_len, attrs.mp_reach.afi,
					 attrs.mp_reach.safi, "NLRI", &lines);
	}
	if (nlri)
		prefixes4_text(parts.nlri, "NLRI", &lines);
	if (result == BGP_ATTR_RESULT_OK || result == BGP_ATTR_RESULT_WITHDRAW)
		attrs_text(&attrs, &lines);
	strbuf_append(details, strbuf_str(&lines) + (lines.len ? 1 : 0));
	strbuf_free(&lines);
	if (result != BGP_ATTR_RESULT_OK)
	{
		error_text(&err, "\nattribute error ", details);
		strbuf_append(details, result == BGP_ATTR_RESULT_WITHDRAW ? " (treat-as-withdraw)" : " (session reset)");
	}
}

static void bgp_notification_text(struct reader *body, struct strbuf *label, struct strbuf *details)
{
	struct bgp_notification n;
	strbuf_append(label, "BGP NOTIFICATION");
	if (!bgp_notification_decode(body, &n)) {
		strbuf_append(details, "malformed: shorter than code and subcode");
		return;
	}
	strbuf_printf(details, "%u/%u %s", n.code, n.subcode, bgp_error_subcode_name(n.code, n.subcode));
	if (n.has_shutdown_message)
		strbuf_printf(details, "\nshutdown communication: \"%s\"", n.shutdown_message);
	else if (n.data_len) {
		strbuf_append(details, "\ndata: ");
		hex_bytes(details, n.data, n.data_len, 32);
	}
}

static void bgp_route_refresh_text(struct reader *body, struct strbuf *label, struct strbuf *details)
{
	struct bgp_route_refresh rr;
	struct bgp_error err = { 0 };
	strbuf_append(label, "BGP ROUTE-REFRESH");
	if (!bgp_route_refresh_decode(body, &rr, &err)) {
		error_text(&err, "malformed: ", details);
		return;
	}
	char name[32];
	static const char *const subtypes[] = { "", " (BoRR: beginning of route refresh)",
						" (EoRR: end of route refresh)" };
	strbuf_printf(details, "%s%s", afi_safi_name(rr.afi, rr.safi, name, sizeof(name)),
		      rr.subtype < 3 ? subtypes[rr.subtype] : " (unknown subtype)");
}

void ladder_bgp_text(const uint8_t *msg, size_t len, struct ladder_bgp_side *from, const struct ladder_bgp_side *to,
		     struct strbuf *label, struct strbuf *details)
{
	struct reader r = reader_make(msg, len);
	reader_skip(&r, 16); /* the marker, checked by bgp_frame() */
	uint16_t length = reader_u16(&r);
	uint8_t type = reader_u8(&r);
	struct reader body = reader_sub(&r, length >= BGP_HEADER_LEN ? length - BGP_HEADER_LEN : 0);
	if (!reader_ok(&body)) {
		strbuf_append(label, "BGP ?");
		strbuf_append(details, "truncated message");
		return;
	}
	switch (type) {
	case BGP_MSG_OPEN:
		bgp_open_text(&body, from, label, details);
		break;
	case BGP_MSG_UPDATE:
		bgp_update_text(&body, from, to, label, details);
		break;
	case BGP_MSG_NOTIFICATION:
		bgp_notification_text(&body, label, details);
		break;
	case BGP_MSG_KEEPALIVE:
		strbuf_append(label, "BGP KEEPALIVE");
		break;
	case BGP_MSG_ROUTE_REFRESH:
		bgp_route_refresh_text(&body, label, details);
		break;
	default:
		strbuf_printf(label, "BGP type %u", type);
		strbuf_printf(details, "%u bytes", length);
	}
}

/* ---- OSPFv2 (RFC 2328 Appendix A) ---- */

static const char *lsa_type_name(uint8_t type)
{
	static const char *const names[] = { "?", "Router", "Network", "Summary", "ASBR-Summary", "AS-External" };
	return type < sizeof(names) / sizeof(names[0]) ? names[type] : "?";
}

static void lsa_header_text(const struct ospf_lsa_header *h, struct strbuf *sb)
{
	char id[16], adv[16];
	strbuf_printf(sb, "\n  %s %s adv %s seq 0x%08x age %u", lsa_type_name(h->type), ipv4_format(h->id, id),
		      ipv4_format(h->adv_router, adv), (uint32_t)h->seq, h->age);
}

static void ospf_hello_text(struct reader body, struct strbuf *details)
{
	struct ospf_hello hello; /* 2 KB of neighbour list */
	if (ospf_hello_decode(body, &hello) != OSPF_WIRE_OK) {
		strbuf_append(details, ", malformed Hello");
		return;
	}
	char dr[16], bdr[16], mask[16];
	strbuf_printf(details, "\nmask %s, hello %u s, dead %u s, priority %u, DR %s, BDR %s",
		      ipv4_format(hello.mask, mask), hello.hello_interval, hello.dead_interval, hello.priority,
		      ipv4_format(hello.dr, dr), ipv4_format(hello.bdr, bdr));
	strbuf_append(details, "\nneighbours seen:");
	for (size_t i = 0; i < hello.neighbor_count; i++) {
		char n[16];
		strbuf_printf(details, " %s", ipv4_format(hello.neighbors[i], n));
	}
	if (hello.neighbor_count == 0)
		strbuf_append(details, " none");
}

void ladder_ospf_text(const uint8_t *packet, size_t len, struct strbuf *label, struct strbuf *details)
{
	struct ospf_header h;
	struct reader body;
	enum ospf_wire_error e = ospf_packet_decode(packet, len, &h, &body);
	if (e != OSPF_WIRE_OK) {
		strbuf_append(label, "OSPF ?");
		strbuf_printf(details, "malformed: %s", ospf_wire_error_name(e));
		return;
	}
	static const char *const names[] = { "?", "Hello", "DD", "LSR", "LSU", "LSAck" };
	strbuf_printf(label, "OSPF %s", h.type <= OSPF_LSACK ? names[h.type] : "?");
	char rid[16], area[16];
	strbuf_printf(details, "router %s, area %s", ipv4_format(h.router_id, rid), ipv4_format(h.area_id, area));
	switch (h.type) {
	case OSPF_HELLO:
		ospf_hello_text(body, details);
		break;
	case OSPF_DD: {
		struct ospf_dd dd;
		if (ospf_dd_decode(body, &dd) != OSPF_WIRE_OK) {
			strbuf_append(details, ", malformed DD");
			break;
		}
		strbuf_printf(details, "\nseq %u, flags%s%s%s, MTU %u", dd.seq, dd.flags & OSPF_DD_I ? " I" : "",
			      dd.flags & OSPF_DD_M ? " M" : "", dd.flags & OSPF_DD_MS ? " MS" : "", dd.mtu);
		struct ospf_lsa_header lh;
		while (!reader_empty(&dd.headers) && ospf_lsa_header_read(&dd.headers, &lh) == OSPF_WIRE_OK)
			lsa_header_text(&lh, details);
		break;
	}
	case OSPF_LSR: {
		struct ospf_lsr_entry req;
		while (ospf_lsr_next(&body, &req)) {
			char id[16], adv[16];
			strbuf_printf(details, "\n  request %s %s adv %s", lsa_type_name((uint8_t)req.type),
				      ipv4_format(req.id, id), ipv4_format(req.adv_router, adv));
		}
		break;
	}
	case OSPF_LSU: {
		uint32_t count = 0;
		if (ospf_lsu_count(&body, &count) != OSPF_WIRE_OK) {
			strbuf_append(details, ", malformed LSU");
			break;
		}
		strbuf_printf(details, ", %u LSA%s", count, count == 1 ? "" : "s");
		struct ospf_lsa_raw lsa;
		for (uint32_t i = 0; i < count && ospf_lsu_next(&body, &lsa) == OSPF_WIRE_OK; i++)
			lsa_header_text(&lsa.header, details);
		break;
	}
	case OSPF_LSACK: {
		struct ospf_lsa_header lh;
		while (!reader_empty(&body) && ospf_lsa_header_read(&body, &lh) == OSPF_WIRE_OK)
			lsa_header_text(&lh, details);
		break;
	}
	}
}

/* ---- RIP (RFC 2453 §4) ---- */

void ladder_rip_text(const uint8_t *payload, size_t len, struct strbuf *label, struct strbuf *details)
{
	struct rip_packet p;
	enum rip_error e = rip_decode(payload, len, &p);
	if (e != RIP_OK) {
		strbuf_append(label, "RIP ?");
		strbuf_printf(details, "malformed: %s", rip_error_name(e));
		return;
	}
	strbuf_printf(label, "RIPv%u %s", p.version, p.command == RIP_REQUEST ? "Request" : "Response");
	if (rip_is_whole_table_request(&p)) {
		strbuf_append(details, "the whole table");
		return;
	}
	strbuf_printf(details, "%zu route%s", p.count, p.count == 1 ? "" : "s");
	for (size_t i = 0; i < p.count; i++) {
		const struct rip_entry *r = &p.entries[i];
		char a[16], nh[16];
		unsigned plen = (unsigned)__builtin_popcount(r->mask);
		strbuf_printf(details, "\n  %s/%u metric %u%s%s", ipv4_format(r->addr, a), plen, r->metric,
			      r->next_hop ? " next hop " : "", r->next_hop ? ipv4_format(r->next_hop, nh) : "");
	}
}
