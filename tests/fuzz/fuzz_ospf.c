/*
 * DOC: fuzz target for the OSPFv2 packet and LSA decoders (input: one OSPF packet, as the
 * raw socket hands it over after the IP header).
 *
 * Every decoder that applies is run over the input: header, authentication (null, simple,
 * MD5), the body of its type, every LSA header, request and LSA, and every LSA body by type.
 * Oracle: nothing reads out of bounds (sanitizers); a Hello that decodes is encoded again and
 * decodes to the same values.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wire/ospf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
	if (!ok)
		abort();
}

static void lsa_bodies(const struct ospf_lsa_raw *lsa)
{
	switch (lsa->header.type) {
	case OSPF_LSA_ROUTER: {
		struct ospf_router_lsa rl;
		if (ospf_router_lsa_decode(lsa->data, lsa->len, &rl) == OSPF_WIRE_OK) {
			struct ospf_router_link l;
			size_t n = 0;
			while (ospf_router_link_next(&rl, &l))
				n++;
			check(n == rl.link_count);
		}
		break;
	}
	case OSPF_LSA_NETWORK: {
		struct ospf_network_lsa nl;
		if (ospf_network_lsa_decode(lsa->data, lsa->len, &nl) == OSPF_WIRE_OK)
			for (size_t i = 0; i < nl.router_count; i++)
				reader_u32(&nl.routers);
		break;
	}
	case OSPF_LSA_SUMMARY_NET:
	case OSPF_LSA_SUMMARY_ASBR: {
		struct ospf_summary_lsa s;
		ospf_summary_lsa_decode(lsa->data, lsa->len, &s);
		break;
	}
	case OSPF_LSA_EXTERNAL: {
		struct ospf_external_lsa e;
		ospf_external_lsa_decode(lsa->data, lsa->len, &e);
		break;
	}
	default:
		break;
	}
}

static void hello_roundtrip(const struct ospf_hello *h)
{
	static uint8_t buf[OSPF_HEADER_LEN + 20 + 4 * OSPF_HELLO_NEIGHBORS_MAX + 16];
	struct writer w = writer_make(buf, sizeof(buf));
	ospf_packet_begin(&w, OSPF_HELLO, 1, 0);
	ospf_hello_encode(&w, h);
	size_t n = ospf_packet_finish(&w, NULL, 0);
	check(n > 0);
	struct ospf_header hh;
	struct reader body;
	check(ospf_packet_decode(buf, n, &hh, &body) == OSPF_WIRE_OK);
	static struct ospf_hello again;
	check(ospf_hello_decode(body, &again) == OSPF_WIRE_OK);
	check(again.mask == h->mask && again.hello_interval == h->hello_interval &&
	      again.dead_interval == h->dead_interval && again.priority == h->priority &&
	      again.dr == h->dr && again.bdr == h->bdr && again.neighbor_count == h->neighbor_count);
	check(memcmp(again.neighbors, h->neighbors, h->neighbor_count * 4) == 0);
}

static void body_decoders(uint8_t type, struct reader body);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ospf_header h;
	struct reader body;
	enum ospf_wire_error e = ospf_packet_decode(data, size, &h, &body);
	if (e == OSPF_WIRE_BAD_CHECKSUM && size > OSPF_HEADER_LEN) {
		/* the fuzzer rarely gets a checksum right: run the body decoders anyway */
		struct reader r = reader_make(data, size);
		reader_skip(&r, OSPF_HEADER_LEN);
		body_decoders(data[1], reader_rest(&r));
		return 0;
	}
	if (e != OSPF_WIRE_OK)
		return 0;
	struct ospf_auth auth = { .type = h.auth_type, .key_id = h.key_id };
	memcpy(auth.key, "fuzz", 4);
	ospf_packet_auth_check(data, size, &h, &auth);
	body_decoders(h.type, body);
	return 0;
}

static void body_decoders(uint8_t type, struct reader body)
{
	switch (type) {
	case OSPF_HELLO: {
		static struct ospf_hello hello;
		if (ospf_hello_decode(body, &hello) == OSPF_WIRE_OK && hello.neighbor_count < OSPF_HELLO_NEIGHBORS_MAX)
			hello_roundtrip(&hello);
		break;
	}
	case OSPF_DD: {
		struct ospf_dd dd;
		if (ospf_dd_decode(body, &dd) == OSPF_WIRE_OK) {
			struct ospf_lsa_header lh;
			while (!reader_empty(&dd.headers))
				check(ospf_lsa_header_read(&dd.headers, &lh) == OSPF_WIRE_OK);
		}
		break;
	}
	case OSPF_LSR: {
		struct ospf_lsr_entry e;
		while (ospf_lsr_next(&body, &e))
			;
		break;
	}
	case OSPF_LSU: {
		uint32_t count;
		if (ospf_lsu_count(&body, &count) != OSPF_WIRE_OK)
			break;
		struct ospf_lsa_raw lsa;
		for (uint32_t i = 0; i < count; i++) {
			enum ospf_wire_error e = ospf_lsu_next(&body, &lsa);
			/* bodies behind a bad Fletcher checksum are decoded too, for coverage */
			if (e == OSPF_WIRE_OK || e == OSPF_WIRE_BAD_LSA_CHECKSUM)
				lsa_bodies(&lsa);
			if (e != OSPF_WIRE_OK)
				break;
		}
		break;
	}
	case OSPF_LSACK: {
		struct ospf_lsa_header lh;
		while (reader_remaining(&body) >= OSPF_LSA_HEADER_LEN)
			ospf_lsa_header_read(&body, &lh);
		break;
	}
	default:
		break;
	}
}
