/*
 * DOC: the ladder's frames: Ethernet, IP and TCP/UDP parsed through the bounded reader, TCP
 * streams of port 179 reassembled per direction, and the ladder's layout (see ladder.h).
 *
 * Reassembly follows one sequence number per direction: data at the expected sequence is
 * appended, data already seen (a retransmission) is trimmed, and data past a hole (a frame
 * the capture lost, or a stream joined in the middle) empties the buffer and waits for the
 * next BGP marker (16 octets of 0xff, RFC 4271 §4.1) before framing again.
 */
#include "lab/ladder.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "lib/addr.h"
#include "lib/reader.h"
#include "wire/bgp.h"
#include "wire/rip.h"

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86dd
#define ETHERTYPE_VLAN 0x8100
#define IPPROTO_OSPF_NUMBER 89
#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_ACK 0x10
#define FLOW_BUFFER_MAX (2 * BGP_MAX_EXTENDED_MESSAGE)

struct flow {
	bool used;
	struct ip_addr src, dst;
	uint16_t sport, dport;
	uint64_t last_use;
	bool have_seq;
	uint32_t next_seq;
	bool resync;            /* wait for a marker before framing */
	uint8_t *buf;
	size_t len;
	struct ladder_bgp_side bgp;
};

struct end {
	bool set;
	uint8_t mac[6];
	char name[LADDER_NAME_MAX];
};

struct ladder {
	FILE *out;
	struct end ends[2];
	struct flow flows[LADDER_MAX_FLOWS];
	uint64_t clock;          /* frames seen: the flows' age */
	bool have_start;
	int64_t start_sec;
	uint32_t start_usec;
	size_t frames, shown;
};

/* One parsed frame: who sent it, addresses and the transport payload. */
struct packet {
	int side;                /* 0 left to right, 1 right to left, -1 unknown */
	struct ip_addr src, dst;
	uint8_t protocol;
	uint16_t sport, dport;
	uint8_t tcp_flags;
	uint32_t seq;
	struct reader payload;
	double time;
};

struct ladder *ladder_new(FILE *out)
{
	struct ladder *l = calloc(1, sizeof(*l));
	if (l)
		l->out = out;
	return l;
}

void ladder_free(struct ladder *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < LADDER_MAX_FLOWS; i++)
		free(l->flows[i].buf);
	free(l);
}

void ladder_set_end(struct ladder *l, int side, const uint8_t mac[6], const char *name)
{
	struct end *e = &l->ends[side ? 1 : 0];
	e->set = true;
	memcpy(e->mac, mac, 6);
	snprintf(e->name, sizeof(e->name), "%s", name);
}

void ladder_counts(const struct ladder *l, size_t *frames, size_t *shown)
{
	*frames = l->frames;
	*shown = l->shown;
}

/* Ethernet and IP headers; false if the frame is not IPv4/IPv6 or is cut short. */
static bool parse_ip(const struct pcap_frame *f, uint8_t mac[6], struct packet *p)
{
	struct reader r = reader_make(f->data, f->caplen);
	reader_skip(&r, 6);
	reader_bytes(&r, mac, 6);
	uint16_t type = reader_u16(&r);
	if (type == ETHERTYPE_VLAN) {
		reader_skip(&r, 2);
		type = reader_u16(&r);
	}
	struct reader ip;
	if (type == ETHERTYPE_IPV4) {
		uint8_t version_ihl = reader_u8(&r);
		reader_skip(&r, 1);
		uint16_t total = reader_u16(&r);
		reader_skip(&r, 2);
		uint16_t fragment = reader_u16(&r);
		reader_skip(&r, 1);
		p->protocol = reader_u8(&r);
		reader_skip(&r, 2);
		p->src.family = p->dst.family = AF_INET;
		reader_bytes(&r, p->src.bytes, 4);
		reader_bytes(&r, p->dst.bytes, 4);
		size_t header = (size_t)(version_ihl & 0x0f) * 4;
		if (!reader_ok(&r) || (version_ihl >> 4) != 4 || header < 20 || total < header)
			return false;
		reader_skip(&r, header - 20);
		/* the IP length, not the frame's: short frames carry Ethernet padding */
		ip = reader_sub(&r, total - header);
		if (fragment & 0x1fff) /* a later fragment: no transport header in it */
			return false;
	} else if (type == ETHERTYPE_IPV6) {
		reader_skip(&r, 4);
		uint16_t payload = reader_u16(&r);
		p->protocol = reader_u8(&r); /* extension headers are not followed */
		reader_skip(&r, 1);
		p->src.family = p->dst.family = AF_INET6;
		reader_bytes(&r, p->src.bytes, 16);
		reader_bytes(&r, p->dst.bytes, 16);
		ip = reader_sub(&r, payload);
	} else {
		return false;
	}
	if (!reader_ok(&ip)) /* cut by the snapshot length, or a lying length */
		return false;
	p->payload = ip;
	return true;
}

/* TCP or UDP ports (and TCP sequence and flags); the payload narrows to the data. */
static bool parse_transport(struct packet *p)
{
	struct reader *r = &p->payload;
	if (p->protocol == IPPROTO_TCP) {
		p->sport = reader_u16(r);
		p->dport = reader_u16(r);
		p->seq = reader_u32(r);
		reader_skip(r, 4);
		uint8_t offset = reader_u8(r);
		p->tcp_flags = reader_u8(r);
		reader_skip(r, 6);
		size_t header = (size_t)(offset >> 4) * 4;
		if (!reader_ok(r) || header < 20)
			return false;
		reader_skip(r, header - 20);
	} else if (p->protocol == IPPROTO_UDP) {
		p->sport = reader_u16(r);
		p->dport = reader_u16(r);
		uint16_t length = reader_u16(r);
		reader_skip(r, 2);
		if (!reader_ok(r) || length < 8)
			return false;
		*r = reader_sub(r, length - 8);
	}
	return reader_ok(r);
}

void ladder_learn(struct ladder *l, const struct pcap_frame *f)
{
	if (l->ends[0].set && l->ends[1].set)
		return;
	uint8_t mac[6];
	struct packet p = { 0 };
	if (!parse_ip(f, mac, &p))
		return;
	/* a name from an IPv4 address or a global IPv6 one (2000::/3), never from :: or fe80:: */
	static const uint8_t zero[4];
	if (p.src.family == AF_INET ? !memcmp(p.src.bytes, zero, 4) : (p.src.bytes[0] & 0xe0) != 0x20)
		return;
	for (int s = 0; s < 2; s++) {
		if (l->ends[s].set && !memcmp(l->ends[s].mac, mac, 6))
			return;
		if (!l->ends[s].set) {
			char text[IP_ADDR_STRLEN];
			ladder_set_end(l, s, mac, ip_addr_format(&p.src, text));
			return;
		}
	}
}

void ladder_heading(struct ladder *l)
{
	const char *left = l->ends[0].set ? l->ends[0].name : "?";
	const char *right = l->ends[1].set ? l->ends[1].name : "?";
	int width = LADDER_ARROW + 2 - (int)strlen(left);
	fprintf(l->out, "%10s  %s%*s\n", "time", left, width > (int)strlen(right) ? width : (int)strlen(right) + 1,
		right);
}

/* One message: the arrow with its label, then the key fields after the right rail, one
 * line of the ladder per line of details. */
static void emit(struct ladder *l, const struct packet *p, const char *label, const char *details)
{
	char arrow[LADDER_ARROW + 64];
	size_t label_len = strlen(label);
	size_t dashes = label_len + 6 < LADDER_ARROW ? LADDER_ARROW - label_len - 6 : 1;
	char run[LADDER_ARROW + 1];
	memset(run, '-', dashes);
	run[dashes] = '\0';
	if (p->side == 1)
		snprintf(arrow, sizeof(arrow), "|<%s %s --|", run, label);
	else if (p->side == 0)
		snprintf(arrow, sizeof(arrow), "|-- %s %s>|", label, run);
	else
		snprintf(arrow, sizeof(arrow), "|?? %s %s?|", label, run);
	const char *line = details;
	const char *nl = strchr(line, '\n');
	int first = nl ? (int)(nl - line) : (int)strlen(line);
	while (first > 0 && line[first - 1] == ' ')
		first--;
	fprintf(l->out, "%10.6f  %s%s%.*s\n", p->time, arrow, first ? "  " : "", first, line);
	while (nl) {
		line = nl + 1;
		nl = strchr(line, '\n');
		fprintf(l->out, "%10s  |%*s|  %.*s\n", "", LADDER_ARROW, "", nl ? (int)(nl - line) : (int)strlen(line),
			line);
	}
	l->shown++;
}

static struct flow *find_flow(struct ladder *l, const struct packet *p, bool reverse, bool create)
{
	struct flow *oldest = &l->flows[0];
	for (size_t i = 0; i < LADDER_MAX_FLOWS; i++) {
		struct flow *f = &l->flows[i];
		if (f->used && ip_addr_equal(&f->src, reverse ? &p->dst : &p->src) &&
		    ip_addr_equal(&f->dst, reverse ? &p->src : &p->dst) && f->sport == (reverse ? p->dport : p->sport) &&
		    f->dport == (reverse ? p->sport : p->dport))
			return f;
		if (!f->used || (oldest->used && f->last_use < oldest->last_use))
			oldest = f;
	}
	if (!create)
		return NULL;
	/* bounded: the least recently used direction is forgotten */
	uint8_t *buf = oldest->buf;
	*oldest = (struct flow){ .used = true, .src = p->src, .dst = p->dst, .sport = p->sport, .dport = p->dport,
				 .buf = buf };
	return oldest;
}

static void tcp_control(struct ladder *l, const struct packet *p)
{
	const char *what = NULL;
	if (p->tcp_flags & TCP_RST)
		what = "TCP RST";
	else if ((p->tcp_flags & TCP_SYN) && (p->tcp_flags & TCP_ACK))
		what = "TCP SYN-ACK";
	else if (p->tcp_flags & TCP_SYN)
		what = "TCP SYN";
	else if (p->tcp_flags & TCP_FIN)
		what = "TCP FIN";
	if (!what)
		return;
	char src[IP_ADDR_STRLEN], dst[IP_ADDR_STRLEN], details[160];
	ip_addr_format(&p->src, src);
	ip_addr_format(&p->dst, dst);
	snprintf(details, sizeof(details), p->src.family == AF_INET6 ? "[%s]:%u -> [%s]:%u" : "%s:%u -> %s:%u", src,
		 p->sport, dst, p->dport);
	emit(l, p, what, details);
}

/* Appends the segment's data in sequence; false when nothing new came. */
static bool tcp_append(struct flow *f, const struct packet *p)
{
	uint32_t seq = p->seq + ((p->tcp_flags & TCP_SYN) ? 1 : 0);
	const uint8_t *data = reader_ptr(&p->payload);
	size_t len = reader_remaining(&p->payload);
	if (p->tcp_flags & TCP_SYN) {
		f->have_seq = true;
		f->next_seq = seq;
		f->len = 0;
		f->resync = false;
	}
	if (!f->have_seq) { /* joined in the middle of a stream */
		f->have_seq = true;
		f->next_seq = seq;
		f->resync = true;
	}
	int32_t ahead = (int32_t)(seq - f->next_seq);
	if (ahead > 0) { /* a hole: what is buffered cannot be completed */
		f->len = 0;
		f->resync = true;
		f->next_seq = seq;
	} else if (ahead < 0) { /* already seen, in part or whole */
		size_t seen = (size_t)-(int64_t)ahead;
		if (seen >= len)
			return false;
		data += seen;
		len -= seen;
	}
	f->next_seq += (uint32_t)len;
	if (len == 0)
		return false;
	if (!f->buf && !(f->buf = malloc(FLOW_BUFFER_MAX)))
		return false;
	if (f->len + len > FLOW_BUFFER_MAX) { /* cannot be BGP: start over at a marker */
		f->len = 0;
		f->resync = true;
		if (len > FLOW_BUFFER_MAX)
			return false;
	}
	memcpy(f->buf + f->len, data, len);
	f->len += len;
	return true;
}

static void consume(struct flow *f, size_t n)
{
	memmove(f->buf, f->buf + n, f->len - n);
	f->len -= n;
}

/* Skips to the next BGP marker; false if none is in the buffer yet (its last 15 bytes kept). */
static bool find_marker(struct flow *f)
{
	size_t run = 0;
	for (size_t i = 0; i < f->len; i++) {
		run = f->buf[i] == 0xff ? run + 1 : 0;
		if (run == 16) {
			consume(f, i + 1 - 16);
			f->resync = false;
			return true;
		}
	}
	consume(f, f->len > 15 ? f->len - 15 : 0);
	return false;
}

static void bgp_stream(struct ladder *l, const struct packet *p)
{
	struct flow *f = find_flow(l, p, false, true);
	f->last_use = l->clock;
	size_t before = f->len;
	bool resyncing = f->resync;
	if (!tcp_append(f, p))
		return;
	if (f->resync && !resyncing && before > 0)
		emit(l, p, "BGP ?", "a gap in the TCP stream (frames not captured): waiting for the next marker");
	struct flow *back = find_flow(l, p, true, false);
	struct ladder_bgp_side none = { 0 };
	while (f->len > 0) {
		if (f->resync && !find_marker(f))
			return;
		struct bgp_header hdr;
		struct bgp_error err = { 0 };
		int rc = bgp_frame(f->buf, f->len, BGP_MAX_EXTENDED_MESSAGE, &hdr, &err);
		if (rc == 0)
			return;
		struct strbuf label = STRBUF_INIT, details = STRBUF_INIT;
		if (rc < 0) {
			strbuf_printf(&details, "bad message header: %u/%u %s", err.code, err.subcode,
				      bgp_error_subcode_name(err.code, err.subcode));
			emit(l, p, "BGP ?", strbuf_str(&details));
			strbuf_free(&details);
			consume(f, 1);
			f->resync = true;
			continue;
		}
		/* which connection: a collision has two at once (the seed's §2 tip) */
		strbuf_printf(&details, "[%u] ", p->sport == BGP_PORT ? p->dport : p->sport);
		ladder_bgp_text(f->buf, hdr.length, &f->bgp, back ? &back->bgp : &none, &label, &details);
		emit(l, p, strbuf_str(&label), strbuf_str(&details));
		strbuf_free(&label);
		strbuf_free(&details);
		consume(f, hdr.length);
	}
}

/* A datagram protocol's message: the whole payload is one message. */
static void emit_decoded(struct ladder *l, const struct packet *p,
			 void (*text)(const uint8_t *, size_t, struct strbuf *, struct strbuf *))
{
	struct strbuf label = STRBUF_INIT, details = STRBUF_INIT;
	text(reader_ptr(&p->payload), reader_remaining(&p->payload), &label, &details);
	emit(l, p, strbuf_str(&label), strbuf_str(&details));
	strbuf_free(&label);
	strbuf_free(&details);
}

void ladder_frame(struct ladder *l, const struct pcap_frame *f)
{
	l->frames++;
	l->clock++;
	if (!l->have_start) {
		l->have_start = true;
		l->start_sec = f->sec;
		l->start_usec = f->usec;
	}
	uint8_t mac[6];
	struct packet p = { .side = -1 };
	p.time = (double)(f->sec - l->start_sec) + ((double)f->usec - (double)l->start_usec) / 1e6;
	if (!parse_ip(f, mac, &p))
		return;
	for (int s = 0; s < 2; s++)
		if (l->ends[s].set && !memcmp(l->ends[s].mac, mac, 6))
			p.side = s;
	if (p.protocol == IPPROTO_OSPF_NUMBER) {
		emit_decoded(l, &p, ladder_ospf_text);
		return;
	}
	if (!parse_transport(&p))
		return;
	if (p.protocol == IPPROTO_UDP && (p.sport == RIP_PORT || p.dport == RIP_PORT)) {
		emit_decoded(l, &p, ladder_rip_text);
		return;
	}
	if (p.protocol != IPPROTO_TCP || (p.sport != BGP_PORT && p.dport != BGP_PORT))
		return;
	/* SYN, data, then FIN: the order they take in the stream */
	if (p.tcp_flags & (TCP_SYN | TCP_RST))
		tcp_control(l, &p);
	bgp_stream(l, &p);
	if ((p.tcp_flags & TCP_FIN) && !(p.tcp_flags & (TCP_SYN | TCP_RST)))
		tcp_control(l, &p);
}
