/*
 * DOC: unit tests of tern-lab's pcap files (src/lab/pcap.h) and message ladder
 * (src/lab/ladder.h).
 *
 * The writer's bytes are checked field by field against the pcap format, read back by the
 * reader, cut by the size limit, and read again as a file that grows mid-record. The ladder
 * is run over three captures tern-lab made of labs/seed and labs/bgp-only (fixtures/ladder_X.pcap:
 * an EBGP collision with a NOTIFICATION, OSPF's Hello/DD/LSR/LSU/LSAck with an IBGP session,
 * RIP responses) and compared with the ladder stored beside each (fixtures/ladder_X.txt, checked by
 * hand against tshark's reading of the same file). Crafted frames test TCP reassembly: a
 * message split over two segments, two messages in one segment, a retransmission, and a
 * hole followed by resynchronisation on the next marker; then an IPv6 SYN, and a RIP message
 * the codec refuses (shown with its reason, read within the IP length despite padding).
 *
 * Regenerate the stored ladders with `tern-lab capture -r fixtures/X.pcap > fixtures/X.txt`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "lab/ladder.h"
#include "lab/pcap.h"

static const uint8_t frame_a[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x08, 0x06 };

static uint32_t le32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v; /* the writer writes host order; the test runs on the same host */
}

static void test_pcap_writer_bytes(void **state)
{
	(void)state;
	FILE *tmp = tmpfile();
	assert_non_null(tmp);
	struct pcap_writer w;
	assert_true(pcap_writer_start(&w, fileno(tmp), 0));
	struct pcap_frame f = { .sec = 1700000000, .usec = 123456, .caplen = sizeof(frame_a),
				.origlen = sizeof(frame_a), .data = frame_a };
	assert_true(pcap_write(&w, &f));
	assert_int_equal(w.written, 24 + 16 + sizeof(frame_a));
	uint8_t buf[128];
	rewind(tmp);
	assert_int_equal(fread(buf, 1, sizeof(buf), tmp), 24 + 16 + sizeof(frame_a));
	assert_int_equal(le32(buf), 0xa1b2c3d4u);               /* magic: microseconds */
	assert_int_equal(buf[4] | buf[5] << 8, 2);               /* version 2.4 (little-endian host) */
	assert_int_equal(buf[6] | buf[7] << 8, 4);
	assert_int_equal(le32(buf + 16), PCAP_SNAPLEN);
	assert_int_equal(le32(buf + 20), PCAP_LINKTYPE_ETHERNET);
	assert_int_equal(le32(buf + 24), 1700000000u);
	assert_int_equal(le32(buf + 28), 123456u);
	assert_int_equal(le32(buf + 32), sizeof(frame_a));
	assert_int_equal(le32(buf + 36), sizeof(frame_a));
	assert_memory_equal(buf + 40, frame_a, sizeof(frame_a));

	/* read back */
	rewind(tmp);
	struct pcap_reader r;
	char err[128];
	assert_true(pcap_reader_open(&r, tmp, err, sizeof(err)));
	struct pcap_frame got;
	assert_int_equal(pcap_read(&r, &got, err, sizeof(err)), PCAP_FRAME);
	assert_int_equal(got.sec, f.sec);
	assert_int_equal(got.usec, f.usec);
	assert_int_equal(got.caplen, sizeof(frame_a));
	assert_memory_equal(got.data, frame_a, sizeof(frame_a));
	assert_int_equal(pcap_read(&r, &got, err, sizeof(err)), PCAP_END);
	pcap_reader_close(&r);
	fclose(tmp);
}

static void test_pcap_size_limit(void **state)
{
	(void)state;
	FILE *tmp = tmpfile();
	struct pcap_writer w;
	/* room for the header and two records of 14 bytes, not three */
	assert_true(pcap_writer_start(&w, fileno(tmp), 24 + 2 * 30 + 10));
	struct pcap_frame f = { .caplen = sizeof(frame_a), .origlen = sizeof(frame_a), .data = frame_a };
	assert_true(pcap_write(&w, &f));
	assert_true(pcap_write(&w, &f));
	assert_false(pcap_write(&w, &f));
	assert_true(w.full);
	assert_false(pcap_write(&w, &f));
	assert_int_equal(w.written, 24 + 2 * 30);
	fseek(tmp, 0, SEEK_END);
	assert_int_equal(ftell(tmp), 24 + 2 * 30);
	fclose(tmp);
}

/* A reader at the end of a growing file leaves a partial record for later. */
static void test_pcap_growing_file(void **state)
{
	(void)state;
	FILE *tmp = tmpfile();
	int fd = fileno(tmp);
	struct pcap_writer w;
	assert_true(pcap_writer_start(&w, fd, 0));
	uint8_t record[16 + sizeof(frame_a)];
	uint32_t v[4] = { 5, 6, sizeof(frame_a), sizeof(frame_a) };
	memcpy(record, v, 16);
	memcpy(record + 16, frame_a, sizeof(frame_a));
	assert_int_equal(write(fd, record, 20), 20); /* half a record */
	char path[64]; /* a second, independent reader of the same file */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	FILE *in = fopen(path, "rb");
	assert_non_null(in);
	struct pcap_reader r;
	char err[128];
	assert_true(pcap_reader_open(&r, in, err, sizeof(err)));
	struct pcap_frame got;
	assert_int_equal(pcap_read(&r, &got, err, sizeof(err)), PCAP_END);
	assert_int_equal(write(fd, record + 20, sizeof(record) - 20), (ssize_t)(sizeof(record) - 20));
	assert_int_equal(pcap_read(&r, &got, err, sizeof(err)), PCAP_FRAME);
	assert_int_equal(got.sec, 5);
	assert_memory_equal(got.data, frame_a, sizeof(frame_a));
	pcap_reader_close(&r);
	fclose(in);
	fclose(tmp);
}

static FILE *memory_file(const void *data, size_t len)
{
	FILE *f = tmpfile();
	fwrite(data, 1, len, f);
	rewind(f);
	return f;
}

static void test_pcap_reader_refuses(void **state)
{
	(void)state;
	struct pcap_reader r;
	char err[128];
	static const uint8_t pcapng[24] = { 0x0a, 0x0d, 0x0d, 0x0a };
	FILE *f = memory_file(pcapng, sizeof(pcapng));
	assert_false(pcap_reader_open(&r, f, err, sizeof(err)));
	assert_non_null(strstr(err, "pcapng"));
	fclose(f);

	uint8_t hdr[24];
	pcap_global_header(hdr);
	hdr[20] = 113; /* Linux cooked capture */
	f = memory_file(hdr, sizeof(hdr));
	assert_false(pcap_reader_open(&r, f, err, sizeof(err)));
	assert_non_null(strstr(err, "link type 113"));
	fclose(f);

	/* a record that claims more than the snapshot length is refused, not trusted */
	uint8_t file[24 + 16];
	pcap_global_header(file);
	uint32_t v[4] = { 0, 0, PCAP_SNAPLEN + 1, PCAP_SNAPLEN + 1 };
	memcpy(file + 24, v, 16);
	f = memory_file(file, sizeof(file));
	assert_true(pcap_reader_open(&r, f, err, sizeof(err)));
	struct pcap_frame got;
	assert_int_equal(pcap_read(&r, &got, err, sizeof(err)), PCAP_ERROR);
	pcap_reader_close(&r);
	fclose(f);

	/* the other byte order, with nanoseconds */
	uint8_t swapped[24 + 16 + sizeof(frame_a)] = { 0xa1, 0xb2, 0x3c, 0x4d, 0, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0,
						       0, 4, 0, 0, 0, 0, 0, 1, 0, 0, 0, 9, 0, 0, 0x03, 0xe8,
						       0, 0, 0, sizeof(frame_a), 0, 0, 0, sizeof(frame_a) };
	memcpy(swapped + 40, frame_a, sizeof(frame_a));
	f = memory_file(swapped, sizeof(swapped));
	assert_true(pcap_reader_open(&r, f, err, sizeof(err)));
	assert_int_equal(pcap_read(&r, &got, err, sizeof(err)), PCAP_FRAME);
	assert_int_equal(got.sec, 9);
	assert_int_equal(got.usec, 1); /* 1000 ns */
	assert_int_equal(got.caplen, sizeof(frame_a));
	pcap_reader_close(&r);
	fclose(f);
}

/* The ladder of a fixture, as `tern-lab capture -r` prints it. */
static char *ladder_of_file(const char *path, size_t *len)
{
	FILE *in = fopen(path, "rb");
	assert_non_null(in);
	char *text = NULL;
	FILE *out = open_memstream(&text, len);
	struct ladder *l = ladder_new(out);
	struct pcap_reader r;
	char err[128];
	assert_true(pcap_reader_open(&r, in, err, sizeof(err)));
	struct pcap_frame f;
	while (pcap_read(&r, &f, err, sizeof(err)) == PCAP_FRAME)
		ladder_learn(l, &f);
	fseek(in, PCAP_GLOBAL_HEADER_LEN, SEEK_SET);
	ladder_heading(l);
	while (pcap_read(&r, &f, err, sizeof(err)) == PCAP_FRAME)
		ladder_frame(l, &f);
	ladder_free(l);
	pcap_reader_close(&r);
	fclose(in);
	fclose(out);
	return text;
}

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char *text = calloc(1, 65536);
	size_t n = fread(text, 1, 65535, f);
	text[n] = '\0';
	fclose(f);
	return text;
}

static void check_fixture(const char *name, const char *const *must_have)
{
	const char *dir = getenv("LADDER_FIXTURES");
	assert_non_null(dir);
	char pcap[512], txt[512];
	snprintf(pcap, sizeof(pcap), "%s/%s.pcap", dir, name);
	snprintf(txt, sizeof(txt), "%s/%s.txt", dir, name);
	size_t len;
	char *got = ladder_of_file(pcap, &len);
	char *want = read_text(txt);
	if (strcmp(got, want))
		fprintf(stderr, "ladder of %s differs from %s:\n%s", pcap, txt, got);
	assert_string_equal(got, want);
	for (const char *const *m = must_have; *m; m++)
		if (!strstr(got, *m))
			fail_msg("%s: no \"%s\" in the ladder", name, *m);
	free(got);
	free(want);
}

static void test_ladder_ebgp_collision(void **state)
{
	(void)state;
	static const char *const want[] = {
		/* the file's first frame came from R3 (192.168.2.2): R3 is on the left */
		"|-- TCP SYN ----------------------->|  192.168.2.2:46744 -> 192.168.2.1:179",
		"|<------------------- TCP SYN-ACK --|  192.168.2.1:179 -> 192.168.2.2:46744",
		"|-- BGP OPEN ---------------------->|  [46744] My AS 200, Hold Time 180, BGP Identifier 3.3.3.3",
		"|<---------------------- BGP OPEN --|  [46744] My AS 100, Hold Time 180, BGP Identifier 1.1.1.1",
		"capabilities: Multiprotocol IPv4 unicast, Route Refresh, Enhanced Route Refresh, Extended Message, "
		"4-Octet AS 100",
		"|-- BGP NOTIFICATION -------------->|  [33700] 6/7 Cease/Connection Collision Resolution",
		"|-- BGP KEEPALIVE ----------------->|  [46744]",
		"|<-------------------- BGP UPDATE --|  [46744] NLRI: 10.0.0.0/8",
		"attributes: ORIGIN IGP, AS_PATH 100, NEXT_HOP 192.168.2.1, MED 0",
		"End-of-RIB (IPv4 unicast)",
		NULL,
	};
	check_fixture("ladder_ebgp", want);
}

static void test_ladder_ospf(void **state)
{
	(void)state;
	static const char *const want[] = {
		"|-- OSPF Hello -------------------->|  router 1.1.1.1, area 0.0.0.0",
		"mask 255.255.255.0, hello 10 s, dead 40 s, priority 1",
		"OSPF DD", "OSPF LSR", "OSPF LSU", "OSPF LSAck", "flags I M MS, MTU 1500",
		"Router 2.2.2.2 adv 2.2.2.2 seq 0x8000",
		"[48345] My AS 100, Hold Time 180, BGP Identifier 2.2.2.2",
		"LOCAL_PREF 100",
		NULL,
	};
	check_fixture("ladder_ospf", want);
}

static void test_ladder_rip(void **state)
{
	(void)state;
	static const char *const want[] = {
		"|-- RIPv2 Response ---------------->|  2 routes", "11.0.0.0/8 metric 1", "4.4.4.4/32 metric 1",
		"My AS 200, Hold Time 180, BGP Identifier 4.4.4.4",
		NULL,
	};
	check_fixture("ladder_rip", want);
}

/* ---- crafted TCP segments ---- */

static const uint8_t mac_left[6] = { 2, 0, 0, 0, 0, 1 }, mac_right[6] = { 2, 0, 0, 0, 0, 2 };

/* An Ethernet/IPv4/TCP frame from left (10.0.0.1:40000) to right (10.0.0.2:179). */
static size_t tcp_frame(uint8_t *buf, uint32_t seq, uint8_t flags, const uint8_t *data, size_t len)
{
	size_t n = 0;
	memcpy(buf, mac_right, 6);
	memcpy(buf + 6, mac_left, 6);
	buf[12] = 0x08, buf[13] = 0x00;
	n = 14;
	uint16_t total = (uint16_t)(20 + 20 + len);
	uint8_t ip[20] = { 0x45, 0, (uint8_t)(total >> 8), (uint8_t)total, 0, 0, 0x40, 0, 64, 6, 0, 0,
			   10, 0, 0, 1, 10, 0, 0, 2 };
	memcpy(buf + n, ip, 20);
	n += 20;
	uint8_t tcp[20] = { 40000 >> 8, 40000 & 0xff, 0, 179, (uint8_t)(seq >> 24), (uint8_t)(seq >> 16),
			    (uint8_t)(seq >> 8), (uint8_t)seq, 0, 0, 0, 1, 0x50, flags, 0xff, 0xff, 0, 0, 0, 0 };
	memcpy(buf + n, tcp, 20);
	n += 20;
	if (len)
		memcpy(buf + n, data, len);
	return n + len;
}

struct crafted {
	char *text;
	size_t len;
	FILE *out;
	struct ladder *l;
	uint8_t frame[256];
};

static void crafted_start(struct crafted *c)
{
	c->text = NULL;
	c->out = open_memstream(&c->text, &c->len);
	c->l = ladder_new(c->out);
	ladder_set_end(c->l, 0, mac_left, "A");
	ladder_set_end(c->l, 1, mac_right, "B");
}

static void crafted_send(struct crafted *c, uint32_t seq, uint8_t flags, const uint8_t *data, size_t len)
{
	size_t n = tcp_frame(c->frame, seq, flags, data, len);
	struct pcap_frame f = { .caplen = (uint32_t)n, .origlen = (uint32_t)n, .data = c->frame };
	ladder_frame(c->l, &f);
}

static size_t crafted_lines(struct crafted *c, const char *needle)
{
	fflush(c->out);
	size_t n = 0;
	for (const char *p = c->text; p && (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static void crafted_end(struct crafted *c)
{
	ladder_free(c->l);
	fclose(c->out);
	free(c->text);
}

#define KEEPALIVE 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 19, 4

static void test_ladder_reassembly(void **state)
{
	(void)state;
	static const uint8_t two[] = { KEEPALIVE, KEEPALIVE };
	struct crafted c;
	crafted_start(&c);
	crafted_send(&c, 1000, 0x02, NULL, 0); /* SYN: data starts at 1001 */
	assert_int_equal(crafted_lines(&c, "|-- TCP SYN ---"), 1);
	/* a KEEPALIVE split 10 + 9 over two segments: one line, once both are in */
	crafted_send(&c, 1001, 0x18, two, 10);
	assert_int_equal(crafted_lines(&c, "BGP KEEPALIVE"), 0);
	crafted_send(&c, 1011, 0x18, two + 10, 9);
	assert_int_equal(crafted_lines(&c, "|-- BGP KEEPALIVE ----------------->|  [40000]"), 1);
	/* the second segment again (a retransmission): nothing new */
	crafted_send(&c, 1011, 0x18, two + 10, 9);
	assert_int_equal(crafted_lines(&c, "BGP KEEPALIVE"), 1);
	/* two messages in one segment, overlapping what was seen by 5 bytes: two lines */
	crafted_send(&c, 1015, 0x18, two + 14, 24);
	assert_int_equal(crafted_lines(&c, "BGP KEEPALIVE"), 2);
	crafted_send(&c, 1039, 0x18, two, sizeof(two));
	assert_int_equal(crafted_lines(&c, "BGP KEEPALIVE"), 4);
	/* half a message, then a hole: the gap is shown, the half dropped, and framing resumes at
	 * the next marker (the 3 bytes before it are the tail of a message never seen whole) */
	crafted_send(&c, 1077, 0x18, two, 7);
	crafted_send(&c, 1200, 0x18, two + 16, 3 + 19);
	assert_int_equal(crafted_lines(&c, "a gap in the TCP stream"), 1);
	assert_int_equal(crafted_lines(&c, "BGP KEEPALIVE"), 5);
	/* a FIN, shown after the data it ends */
	crafted_send(&c, 1222, 0x11, NULL, 0);
	assert_int_equal(crafted_lines(&c, "|-- TCP FIN ---"), 1);
	crafted_end(&c);
}

/* IPv6: the SYN of a session between global addresses, shown with bracketed addresses. */
static void test_ladder_ipv6_syn(void **state)
{
	(void)state;
	struct crafted c;
	crafted_start(&c);
	uint8_t *b = c.frame;
	memcpy(b, mac_left, 6);
	memcpy(b + 6, mac_right, 6);
	b[12] = 0x86, b[13] = 0xdd;
	uint8_t ip6[40] = { 0x60, 0, 0, 0, 0, 20, 6, 64, 0x20, 0x01, 0x0d, 0xb8 };
	ip6[23] = 2;                                       /* from 2001:db8::2 */
	memcpy(ip6 + 24, (uint8_t[]){ 0x20, 0x01, 0x0d, 0xb8 }, 4);
	ip6[39] = 1;                                       /* to 2001:db8::1 */
	memcpy(b + 14, ip6, 40);
	uint8_t tcp[20] = { 0xc0, 0x00, 0, 179, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff };
	memcpy(b + 54, tcp, 20);
	struct pcap_frame f = { .caplen = 74, .origlen = 74, .data = b };
	ladder_frame(c.l, &f);
	assert_int_equal(crafted_lines(&c, "|<----------------------- TCP SYN --|  [2001:db8::2]:49152 -> [2001:db8::1]:179"), 1);
	crafted_end(&c);
}

/* A datagram the codec refuses is shown with the codec's reason, not dropped. */
static void test_ladder_malformed_rip(void **state)
{
	(void)state;
	struct crafted c;
	crafted_start(&c);
	uint8_t *b = c.frame;
	memcpy(b, mac_right, 6);
	memcpy(b + 6, mac_left, 6);
	b[12] = 0x08, b[13] = 0x00;
	uint8_t ip[20] = { 0x45, 0, 0, 20 + 8 + 4, 0, 0, 0, 0, 1, 17, 0, 0, 10, 0, 0, 1, 224, 0, 0, 9 };
	uint8_t udp[8] = { 2, 8, 2, 8, 0, 12, 0, 0 };
	uint8_t rip[4] = { 9, 2, 0, 0 }; /* command 9: neither Request nor Response */
	memcpy(b + 14, ip, 20);
	memcpy(b + 34, udp, 8);
	memcpy(b + 42, rip, 4);
	struct pcap_frame f = { .caplen = 60, .origlen = 60, .data = b }; /* with Ethernet padding */
	ladder_frame(c.l, &f);
	assert_int_equal(crafted_lines(&c, "|-- RIP ? "), 1);
	assert_int_equal(crafted_lines(&c, "malformed: "), 1);
	crafted_end(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pcap_writer_bytes),
		cmocka_unit_test(test_pcap_size_limit),
		cmocka_unit_test(test_pcap_growing_file),
		cmocka_unit_test(test_pcap_reader_refuses),
		cmocka_unit_test(test_ladder_ebgp_collision),
		cmocka_unit_test(test_ladder_ospf),
		cmocka_unit_test(test_ladder_rip),
		cmocka_unit_test(test_ladder_reassembly),
		cmocka_unit_test(test_ladder_ipv6_syn),
		cmocka_unit_test(test_ladder_malformed_rip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
