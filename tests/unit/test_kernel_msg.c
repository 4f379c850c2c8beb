/*
 * DOC: unit tests of the kernel module's pure parts: rtnetlink builders and parsers, the
 * interface table.
 *
 * Builders are checked by parsing back what they wrote (and a few bytes at fixed offsets, so
 * a builder and a parser cannot agree on a mistake); parsers also get canned messages laid out
 * by hand as the kernel sends them (host byte order: these tests assume a little-endian host,
 * like every machine Tern runs its tests on), and every truncation of them, which must be
 * refused or parsed without reading past the end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <linux/if.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel.h"

static struct ip_addr ip(const char *text)
{
	struct ip_addr a;
	assert_true(ip_addr_parse(text, &a));
	return a;
}

static uint8_t buf[4096] __attribute__((aligned(4)));

/* Every proper prefix of a message is refused or parsed within bounds; the copy is on the
 * heap so a sanitizer build catches a read past its end. */
static void parse_truncations(const void *msg, size_t len, int (*parse)(const void *, size_t))
{
	for (size_t n = 0; n < len; n++) {
		uint8_t *copy = malloc(n ? n : 1);
		memcpy(copy, msg, n);
		(void)parse(copy, n);
		free(copy);
	}
}

static int parse_link_any(const void *m, size_t n)
{
	struct kernel_link l;
	return kernel_msg_parse_link(m, n, &l);
}

static int parse_addr_any(const void *m, size_t n)
{
	struct kernel_addr a;
	return kernel_msg_parse_addr(m, n, &a);
}

static int parse_route_any(const void *m, size_t n)
{
	struct kernel_route r;
	struct kernel_route_meta meta;
	return kernel_msg_parse_route(m, n, &r, &meta);
}

static int parse_error_any(const void *m, size_t n)
{
	struct kernel_msg_error e;
	return kernel_msg_parse_error(m, n, &e);
}

/* ---------------------------------------------------------------------------------------- */
/* Routes */

static void test_route_v4_round_trip(void **state)
{
	(void)state;
	struct kernel_route r = { .dst = ip("10.1.0.0"), .prefixlen = 16, .metric = 20,
				  .nexthop_count = 1 };
	r.nexthops[0].gateway = ip("192.0.2.1");
	r.nexthops[0].ifindex = 7;
	size_t len = kernel_msg_route_replace(buf, sizeof(buf), 42, &r);
	assert_true(len > 0);

	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	assert_int_equal(nlh->nlmsg_len, len);
	assert_int_equal(nlh->nlmsg_type, RTM_NEWROUTE);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_REPLACE | NLM_F_CREATE);
	assert_int_equal(nlh->nlmsg_seq, 42);
	const struct rtmsg *rtm = (const struct rtmsg *)(buf + NLMSG_HDRLEN);
	assert_int_equal(rtm->rtm_protocol, 201);
	assert_int_equal(rtm->rtm_table, RT_TABLE_MAIN);
	assert_int_equal(rtm->rtm_type, RTN_UNICAST);
	assert_int_equal(rtm->rtm_scope, RT_SCOPE_UNIVERSE);

	struct kernel_route back;
	struct kernel_route_meta meta;
	assert_int_equal(kernel_msg_parse_route(buf, len, &back, &meta), 0);
	assert_int_equal(meta.protocol, KERNEL_RTPROT_TERN);
	assert_int_equal(meta.table, RT_TABLE_MAIN);
	assert_true(ip_addr_equal(&back.dst, &r.dst));
	assert_int_equal(back.prefixlen, 16);
	assert_int_equal(back.metric, 20);
	assert_int_equal(back.nexthop_count, 1);
	assert_true(ip_addr_equal(&back.nexthops[0].gateway, &r.nexthops[0].gateway));
	assert_int_equal(back.nexthops[0].ifindex, 7);
	parse_truncations(buf, len, parse_route_any);
}

static void test_route_onlink_is_scope_link(void **state)
{
	(void)state;
	struct kernel_route r = { .dst = ip("10.2.0.0"), .prefixlen = 24, .nexthop_count = 1 };
	r.nexthops[0].ifindex = 3;
	size_t len = kernel_msg_route_replace(buf, sizeof(buf), 1, &r);
	assert_true(len > 0);
	const struct rtmsg *rtm = (const struct rtmsg *)(buf + NLMSG_HDRLEN);
	assert_int_equal(rtm->rtm_scope, RT_SCOPE_LINK);
	struct kernel_route back;
	assert_int_equal(kernel_msg_parse_route(buf, len, &back, NULL), 0);
	assert_false(ip_addr_is_set(&back.nexthops[0].gateway));
	assert_int_equal(back.nexthops[0].ifindex, 3);
}

static void test_route_v6_ecmp_round_trip(void **state)
{
	(void)state;
	struct kernel_route r = { .dst = ip("2001:db8:10::"), .prefixlen = 48, .metric = 0,
				  .nexthop_count = KERNEL_MAX_NEXTHOPS };
	char text[64];
	for (unsigned i = 0; i < KERNEL_MAX_NEXTHOPS; i++) {
		snprintf(text, sizeof(text), "fe80::%u", i + 1);
		r.nexthops[i].gateway = ip(text);
		r.nexthops[i].ifindex = 2 + i % 2; /* link-local next hops need their link */
		r.nexthops[i].weight = (uint16_t)(i + 1);
	}
	size_t len = kernel_msg_route_replace(buf, sizeof(buf), 9, &r);
	assert_true(len > 0);
	struct kernel_route back;
	struct kernel_route_meta meta;
	assert_int_equal(kernel_msg_parse_route(buf, len, &back, &meta), 0);
	assert_int_equal(back.dst.family, AF_INET6);
	assert_true(ip_addr_equal(&back.dst, &r.dst));
	assert_int_equal(back.metric, 1024); /* IPv6 metric 0 means 1024; we say so first */
	assert_int_equal(back.nexthop_count, KERNEL_MAX_NEXTHOPS);
	for (unsigned i = 0; i < KERNEL_MAX_NEXTHOPS; i++) {
		assert_true(ip_addr_equal(&back.nexthops[i].gateway, &r.nexthops[i].gateway));
		assert_int_equal(back.nexthops[i].ifindex, r.nexthops[i].ifindex);
		assert_int_equal(back.nexthops[i].weight, i + 1);
	}
	parse_truncations(buf, len, parse_route_any);
}

static void test_route_blackhole_and_default(void **state)
{
	(void)state;
	struct kernel_route r = { .dst = ip("0.0.0.0"), .prefixlen = 0 };
	size_t len = kernel_msg_route_replace(buf, sizeof(buf), 1, &r);
	assert_true(len > 0);
	struct kernel_route back;
	struct kernel_route_meta meta;
	assert_int_equal(kernel_msg_parse_route(buf, len, &back, &meta), 0);
	assert_int_equal(meta.type, RTN_BLACKHOLE);
	assert_int_equal(back.prefixlen, 0);
	assert_int_equal(back.dst.family, AF_INET);
	assert_int_equal(back.nexthop_count, 0);
}

static void test_route_delete(void **state)
{
	(void)state;
	struct ip_addr dst = ip("10.3.0.0");
	size_t len = kernel_msg_route_delete(buf, sizeof(buf), 5, &dst, 16, false, 0);
	assert_true(len > 0);
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	assert_int_equal(nlh->nlmsg_type, RTM_DELROUTE);
	const struct rtmsg *rtm = (const struct rtmsg *)(buf + NLMSG_HDRLEN);
	/* Only our own routes, of any scope and type. */
	assert_int_equal(rtm->rtm_protocol, 201);
	assert_int_equal(rtm->rtm_scope, RT_SCOPE_NOWHERE);
	assert_int_equal(rtm->rtm_type, RTN_UNSPEC);
	struct kernel_route back;
	assert_int_equal(kernel_msg_parse_route(buf, len, &back, NULL), 0);
	assert_int_equal(back.metric, 0); /* no RTA_PRIORITY: any metric */
	assert_true(ip_addr_equal(&back.dst, &dst));

	len = kernel_msg_route_delete(buf, sizeof(buf), 6, &dst, 16, true, 30);
	assert_int_equal(kernel_msg_parse_route(buf, len, &back, NULL), 0);
	assert_int_equal(back.metric, 30);
}

static void test_route_refuses_bad_input(void **state)
{
	(void)state;
	struct kernel_route r = { .dst = ip("10.0.0.0"), .prefixlen = 8, .nexthop_count = 1 };
	r.nexthops[0].gateway = ip("2001:db8::1"); /* family mismatch */
	assert_int_equal(kernel_msg_route_replace(buf, sizeof(buf), 1, &r), 0);
	r.nexthops[0] = (struct kernel_nexthop){ 0 }; /* neither gateway nor interface */
	assert_int_equal(kernel_msg_route_replace(buf, sizeof(buf), 1, &r), 0);
	r.nexthops[0].gateway = ip("10.0.0.1");
	r.prefixlen = 33;
	assert_int_equal(kernel_msg_route_replace(buf, sizeof(buf), 1, &r), 0);
	r.prefixlen = 8;
	r.nexthop_count = KERNEL_MAX_NEXTHOPS + 1;
	assert_int_equal(kernel_msg_route_replace(buf, sizeof(buf), 1, &r), 0);
	r.nexthop_count = 1;
	/* Too small a buffer: nothing, never a partial message. */
	size_t full = kernel_msg_route_replace(buf, sizeof(buf), 1, &r);
	assert_true(full > 0);
	for (size_t cap = 0; cap < full; cap++)
		assert_int_equal(kernel_msg_route_replace(buf, cap, 1, &r), 0);
}

static void test_route_parse_rejects_bad_multipath(void **state)
{
	(void)state;
	struct kernel_route r = { .dst = ip("10.4.0.0"), .prefixlen = 16, .nexthop_count = 2 };
	r.nexthops[0].gateway = ip("10.0.0.2");
	r.nexthops[1].gateway = ip("10.0.0.3");
	size_t len = kernel_msg_route_replace(buf, sizeof(buf), 1, &r);
	assert_true(len > 0);
	/* Find the first rtnexthop and claim it is longer than the nest. */
	uint8_t *p = buf + NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct rtmsg));
	while (p < buf + len) {
		struct nlattr *a = (struct nlattr *)p;
		if ((a->nla_type & NLA_TYPE_MASK) == RTA_MULTIPATH) {
			struct rtnexthop *rtnh = (struct rtnexthop *)(p + NLA_HDRLEN);
			rtnh->rtnh_len = 200;
			break;
		}
		p += NLA_ALIGN(a->nla_len);
	}
	assert_true(p < buf + len);
	struct kernel_route back;
	assert_int_equal(kernel_msg_parse_route(buf, len, &back, NULL), -1);
}

/* ---------------------------------------------------------------------------------------- */
/* Canned kernel messages */

/* RTM_NEWLINK for f0-0, ifindex 3, UP|BROADCAST|RUNNING|MULTICAST|LOWER_UP, MTU 1500,
 * MAC 02:00:00:00:00:01, plus IFLA_OPERSTATE which the parser does not want. */
static const uint8_t canned_link[] __attribute__((aligned(4))) = {
	0x48, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, /* nlmsghdr: len 72, RTM_NEWLINK */
	0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* seq 1, pid 0 */
	0x00, 0x00, 0x01, 0x00, 0x03, 0x00, 0x00, 0x00, /* ifinfomsg: AF_UNSPEC, ether, 3 */
	0x43, 0x10, 0x01, 0x00, 0xff, 0xff, 0xff, 0xff, /* flags 0x11043, change */
	0x09, 0x00, 0x03, 0x00, 'f', '0', '-', '0', /* IFLA_IFNAME "f0-0" */
	0x00, 0x00, 0x00, 0x00,
	0x08, 0x00, 0x04, 0x00, 0xdc, 0x05, 0x00, 0x00, /* IFLA_MTU 1500 */
	0x0a, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, /* IFLA_ADDRESS */
	0x00, 0x01, 0x00, 0x00,
	0x05, 0x00, 0x10, 0x00, 0x06, 0x00, 0x00, 0x00, /* IFLA_OPERSTATE UP */
};

static void test_parse_canned_link(void **state)
{
	(void)state;
	struct kernel_link l;
	assert_int_equal(kernel_msg_parse_link(canned_link, sizeof(canned_link), &l), 0);
	assert_int_equal(l.ifindex, 3);
	assert_string_equal(l.name, "f0-0");
	assert_true(l.admin_up);
	assert_true(l.oper_up);
	assert_true(l.carrier);
	assert_false(l.loopback);
	assert_int_equal(l.mtu, 1500);
	assert_int_equal(l.lladdr_len, 6);
	const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };
	assert_memory_equal(l.lladdr, mac, 6);
	parse_truncations(canned_link, sizeof(canned_link), parse_link_any);
	/* The header alone says 72 bytes; a buffer of 71 holds no message. */
	assert_int_equal(kernel_msg_parse_link(canned_link, sizeof(canned_link) - 1, &l), -1);
}

static void test_parse_link_bad_attributes(void **state)
{
	(void)state;
	uint8_t m[sizeof(canned_link)] __attribute__((aligned(4)));
	struct kernel_link l;
	/* IFLA_MTU of 3 bytes: refused, not read as a u32. */
	memcpy(m, canned_link, sizeof(m));
	m[44] = 0x07;
	assert_int_equal(kernel_msg_parse_link(m, sizeof(m), &l), -1);
	/* A name without its terminator. */
	memcpy(m, canned_link, sizeof(m));
	m[32] = 0x08;
	assert_int_equal(kernel_msg_parse_link(m, sizeof(m), &l), -1);
	/* A bridge port's message is well formed but not about the link. */
	memcpy(m, canned_link, sizeof(m));
	m[16] = AF_BRIDGE;
	assert_int_equal(kernel_msg_parse_link(m, sizeof(m), &l), 1);
	/* Not a link message at all. */
	memcpy(m, canned_link, sizeof(m));
	m[4] = RTM_NEWADDR;
	assert_int_equal(kernel_msg_parse_link(m, sizeof(m), &l), -1);
}

/* RTM_NEWADDR: 10.0.0.1 peer 10.0.0.2 /24 on ifindex 3, permanent, label f0-0. */
static const uint8_t canned_addr4[] __attribute__((aligned(4))) = {
	0x3c, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, /* nlmsghdr: len 60, RTM_NEWADDR */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x02, 0x18, 0x80, 0x00, 0x03, 0x00, 0x00, 0x00, /* ifaddrmsg: AF_INET /24 ifindex 3 */
	0x08, 0x00, 0x01, 0x00, 10, 0, 0, 2,           /* IFA_ADDRESS (the peer) */
	0x08, 0x00, 0x02, 0x00, 10, 0, 0, 1,           /* IFA_LOCAL */
	0x09, 0x00, 0x03, 0x00, 'f', '0', '-', '0', 0x00, 0x00, 0x00, 0x00, /* IFA_LABEL */
	0x08, 0x00, 0x08, 0x00, 0x80, 0x00, 0x00, 0x00, /* IFA_FLAGS permanent */
};

/* RTM_DELADDR: 2001:db8::1/64 on ifindex 3 with IFA_CACHEINFO (not wanted). */
static const uint8_t canned_addr6[] __attribute__((aligned(4))) = {
	0x48, 0x00, 0x00, 0x00, 0x15, 0x00, 0x00, 0x00, /* nlmsghdr: len 72, RTM_DELADDR */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x0a, 0x40, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, /* ifaddrmsg: AF_INET6 /64 ifindex 3 */
	0x14, 0x00, 0x01, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	0x14, 0x00, 0x06, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0,
	0, 0,
	0x08, 0x00, 0x08, 0x00, 0x80, 0x00, 0x00, 0x00,
};

static void test_parse_canned_addrs(void **state)
{
	(void)state;
	struct kernel_addr a;
	assert_int_equal(kernel_msg_parse_addr(canned_addr4, sizeof(canned_addr4), &a), 0);
	struct ip_addr want = ip("10.0.0.1");
	assert_true(ip_addr_equal(&a.addr, &want)); /* IFA_LOCAL, not the peer */
	assert_int_equal(a.prefixlen, 24);
	assert_int_equal(a.ifindex, 3);
	assert_int_equal(a.flags, 0x80);
	parse_truncations(canned_addr4, sizeof(canned_addr4), parse_addr_any);

	assert_int_equal(kernel_msg_parse_addr(canned_addr6, sizeof(canned_addr6), &a), 0);
	want = ip("2001:db8::1");
	assert_true(ip_addr_equal(&a.addr, &want));
	assert_int_equal(a.prefixlen, 64);
	parse_truncations(canned_addr6, sizeof(canned_addr6), parse_addr_any);

	/* An IPv4 address of 5 bytes is refused. */
	uint8_t m[sizeof(canned_addr4)] __attribute__((aligned(4)));
	memcpy(m, canned_addr4, sizeof(m));
	m[32] = 0x09; /* IFA_LOCAL nla_len 9 (still inside the message) */
	assert_int_equal(kernel_msg_parse_addr(m, sizeof(m), &a), -1);
	/* Prefix length 33 for IPv4. */
	memcpy(m, canned_addr4, sizeof(m));
	m[17] = 33;
	assert_int_equal(kernel_msg_parse_addr(m, sizeof(m), &a), -1);
}

static void test_parse_error_with_echo_and_extack(void **state)
{
	(void)state;
	/* What the kernel sends back for a refused route: nlmsgerr, the whole request, then
	 * NLMSGERR_ATTR_MSG (NLM_F_ACK_TLVS). */
	struct kernel_route r = { .dst = ip("10.3.0.0"), .prefixlen = 24, .nexthop_count = 1 };
	r.nexthops[0].gateway = ip("10.99.0.1");
	uint8_t req[512] __attribute__((aligned(4)));
	size_t rlen = kernel_msg_route_replace(req, sizeof(req), 77, &r);
	assert_true(rlen > 0);
	static const char text[] = "Nexthop has invalid gateway";
	size_t len = NLMSG_HDRLEN + sizeof(int) + rlen;
	size_t tlv = NLA_HDRLEN + sizeof(text);
	len = NLMSG_ALIGN(len) + NLA_ALIGN(tlv);
	memset(buf, 0, len);
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	nlh->nlmsg_len = (uint32_t)len;
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_ACK_TLVS;
	nlh->nlmsg_seq = 77;
	int err = -ENETUNREACH;
	memcpy(buf + NLMSG_HDRLEN, &err, sizeof(err));
	memcpy(buf + NLMSG_HDRLEN + sizeof(int), req, rlen);
	struct nlattr *a = (struct nlattr *)(buf + NLMSG_ALIGN(NLMSG_HDRLEN + sizeof(int) + rlen));
	a->nla_len = (uint16_t)tlv;
	a->nla_type = NLMSGERR_ATTR_MSG;
	memcpy((uint8_t *)a + NLA_HDRLEN, text, sizeof(text));

	struct kernel_msg_error e;
	assert_int_equal(kernel_msg_parse_error(buf, len, &e), 0);
	assert_int_equal(e.error, ENETUNREACH);
	assert_int_equal(e.seq, 77);
	assert_string_equal(e.extack, text);
	assert_non_null(e.request);
	assert_int_equal(e.request_len, rlen);
	struct kernel_route back;
	assert_int_equal(kernel_msg_parse_route(e.request, e.request_len, &back, NULL), 0);
	assert_true(ip_addr_equal(&back.nexthops[0].gateway, &r.nexthops[0].gateway));
	char shown[128];
	assert_string_equal(kernel_route_format(&back, shown, sizeof(shown)),
			    "10.3.0.0/24 via 10.99.0.1");
	parse_truncations(buf, len, parse_error_any);

	/* An echoed request longer than the message: no echo, still the error. */
	((struct nlmsghdr *)(buf + NLMSG_HDRLEN + sizeof(int)))->nlmsg_len = 4000;
	assert_int_equal(kernel_msg_parse_error(buf, len, &e), 0);
	assert_null(e.request);
	assert_int_equal(e.error, ENETUNREACH);
}

static void test_other_builders(void **state)
{
	(void)state;
	struct ip_addr a = ip("10.0.0.1");
	size_t len = kernel_msg_addr(buf, sizeof(buf), 3, true, 4, &a, 8);
	assert_true(len > 0);
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	assert_int_equal(nlh->nlmsg_type, RTM_NEWADDR);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL);
	struct kernel_addr back;
	assert_int_equal(kernel_msg_parse_addr(buf, len, &back), 0);
	assert_true(ip_addr_equal(&back.addr, &a));
	assert_int_equal(back.prefixlen, 8);
	assert_int_equal(back.ifindex, 4);
	assert_int_equal(kernel_msg_addr(buf, sizeof(buf), 3, true, 0, &a, 8), 0);
	assert_int_equal(kernel_msg_addr(buf, sizeof(buf), 3, true, 4, &a, 40), 0);

	len = kernel_msg_link_set_up(buf, sizeof(buf), 4, 5, true);
	assert_true(len > 0);
	const struct ifinfomsg *ifi = (const struct ifinfomsg *)(buf + NLMSG_HDRLEN);
	assert_int_equal(ifi->ifi_index, 5);
	assert_int_equal(ifi->ifi_change, IFF_UP);
	assert_int_equal(ifi->ifi_flags, IFF_UP);

	len = kernel_msg_dump(buf, sizeof(buf), 5, RTM_GETADDR, AF_UNSPEC);
	assert_true(len > 0);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_DUMP);
	assert_int_equal(kernel_msg_dump(buf, sizeof(buf), 5, RTM_NEWROUTE, AF_UNSPEC), 0);

	/* `ip route get`: one request, no dump, the address as a /32 (or /128) RTA_DST */
	struct ip_addr peer6 = ip("2001:db8::2");
	const struct ip_addr *dsts[2] = { &a, &peer6 };
	for (int i = 0; i < 2; i++) {
		len = kernel_msg_route_get(buf, sizeof(buf), 6, dsts[i]);
		assert_true(len > 0);
		assert_int_equal(nlh->nlmsg_type, RTM_GETROUTE);
		assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST);
		const struct rtmsg *rtm = (const struct rtmsg *)(buf + NLMSG_HDRLEN);
		assert_int_equal(rtm->rtm_family, dsts[i]->family);
		assert_int_equal(rtm->rtm_dst_len, i ? 128 : 32);
		const struct rtattr *rta = (const struct rtattr *)(buf + NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*rtm)));
		assert_int_equal(rta->rta_type, RTA_DST);
		assert_memory_equal(RTA_DATA(rta), dsts[i]->bytes, i ? 16 : 4);
		assert_int_equal(len, NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*rtm)) + RTA_LENGTH(i ? 16 : 4));
	}
	struct ip_addr none = { 0 };
	assert_int_equal(kernel_msg_route_get(buf, sizeof(buf), 6, &none), 0);
	assert_int_equal(kernel_msg_route_get(buf, 20, 6, &a), 0);
}

/* ---------------------------------------------------------------------------------------- */
/* Interface table */

static int removed_count;

static void count_link_removed(void *ctx, const struct kernel_link *l)
{
	(void)ctx;
	(void)l;
	removed_count++;
}

static void count_addr_removed(void *ctx, const struct kernel_addr *a)
{
	(void)ctx;
	(void)a;
	removed_count++;
}

static void test_ifaces_table(void **state)
{
	(void)state;
	struct kernel_ifaces *t = kernel_ifaces_new();
	struct kernel_link l;
	assert_int_equal(kernel_msg_parse_link(canned_link, sizeof(canned_link), &l), 0);
	assert_int_equal(kernel_ifaces_link_update(t, &l, false), KERNEL_ADDED);
	assert_int_equal(kernel_ifaces_link_update(t, &l, false), -1); /* nothing new */
	struct kernel_link lo = { .ifindex = 1, .name = "lo", .loopback = true, .mtu = 65536 };
	assert_int_equal(kernel_ifaces_link_update(t, &lo, false), KERNEL_ADDED);
	l.mtu = 9000;
	assert_int_equal(kernel_ifaces_link_update(t, &l, false), KERNEL_CHANGED);
	assert_int_equal(kernel_ifaces_link_count(t), 2);
	assert_int_equal(kernel_ifaces_link_at(t, 0)->ifindex, 1); /* ifindex order */
	assert_int_equal(kernel_ifaces_link(t, 3)->mtu, 9000);
	assert_string_equal(kernel_ifaces_link_by_name(t, "f0-0")->name, "f0-0");
	assert_null(kernel_ifaces_link_by_name(t, "f0-1"));
	assert_null(kernel_ifaces_link(t, 2));

	struct kernel_addr a4, a6;
	assert_int_equal(kernel_msg_parse_addr(canned_addr4, sizeof(canned_addr4), &a4), 0);
	assert_int_equal(kernel_msg_parse_addr(canned_addr6, sizeof(canned_addr6), &a6), 0);
	assert_int_equal(kernel_ifaces_addr_update(t, &a4, false), KERNEL_ADDED);
	assert_int_equal(kernel_ifaces_addr_update(t, &a6, false), KERNEL_ADDED);
	assert_int_equal(kernel_ifaces_addr_update(t, &a4, false), -1);
	a6.flags |= 0x40; /* IFA_F_TENTATIVE */
	assert_int_equal(kernel_ifaces_addr_update(t, &a6, false), KERNEL_CHANGED);
	size_t cur = 0, n = 0;
	while (kernel_ifaces_addr_next(t, 3, &cur))
		n++;
	assert_int_equal(n, 2);
	cur = 0;
	assert_null(kernel_ifaces_addr_next(t, 1, &cur));
	assert_int_equal(kernel_ifaces_addr_update(t, &a6, true), KERNEL_REMOVED);
	assert_int_equal(kernel_ifaces_addr_update(t, &a6, true), -1);

	/* Re-dump in which lo and the IPv4 address no longer appear. */
	removed_count = 0;
	kernel_ifaces_mark_links(t);
	assert_int_equal(kernel_ifaces_link_update(t, &l, false), -1);
	kernel_ifaces_sweep_links(t, count_link_removed, NULL);
	assert_int_equal(removed_count, 1);
	assert_null(kernel_ifaces_link(t, 1));
	kernel_ifaces_mark_addrs(t);
	kernel_ifaces_sweep_addrs(t, count_addr_removed, NULL);
	assert_int_equal(removed_count, 2);
	cur = 0;
	assert_null(kernel_ifaces_addr_next(t, 0, &cur));

	/* Removing a link drops its addresses. */
	assert_int_equal(kernel_ifaces_addr_update(t, &a4, false), KERNEL_ADDED);
	assert_int_equal(kernel_ifaces_link_update(t, &l, true), KERNEL_REMOVED);
	cur = 0;
	assert_null(kernel_ifaces_addr_next(t, 0, &cur));
	kernel_ifaces_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_route_v4_round_trip),
		cmocka_unit_test(test_route_onlink_is_scope_link),
		cmocka_unit_test(test_route_v6_ecmp_round_trip),
		cmocka_unit_test(test_route_blackhole_and_default),
		cmocka_unit_test(test_route_delete),
		cmocka_unit_test(test_route_refuses_bad_input),
		cmocka_unit_test(test_route_parse_rejects_bad_multipath),
		cmocka_unit_test(test_parse_canned_link),
		cmocka_unit_test(test_parse_link_bad_attributes),
		cmocka_unit_test(test_parse_canned_addrs),
		cmocka_unit_test(test_parse_error_with_echo_and_extack),
		cmocka_unit_test(test_other_builders),
		cmocka_unit_test(test_ifaces_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
