/*
 * DOC: rtnetlink message codec (pure).
 *
 * Builders write one request into a caller's buffer with libmnl's mnl_nlmsg_put_* and
 * mnl_attr_put_check (which refuses to write past cap), so a batch is just these messages laid
 * end to end. Parsers treat every byte as untrusted, even though it comes from the kernel: a
 * fuzzer feeds them too, and a kernel of another version may send attributes of sizes we do not
 * expect. Each parser first checks the message header against the buffer (mnl_nlmsg_ok), then
 * the fixed family header against nlmsg_len, then walks the attributes with mnl_attr_parse into
 * a table indexed by attribute type, validating each wanted attribute's type and size against a
 * policy row (the approach of BIRD's sysdep/linux/netlink.c, written here from the rtnetlink(7)
 * and libmnl documentation). Attributes not in the policy are skipped unread.
 */
#include "kernel.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------- */
/* Attribute tables */

struct attr_rule {
	enum mnl_attr_data_type kind; /* MNL_TYPE_UNSPEC: not wanted */
	uint16_t len;                 /* exact payload size for MNL_TYPE_BINARY; 0: any size */
};

struct attr_table {
	const struct attr_rule *rules;
	uint16_t max;                 /* highest type the rules cover */
	const struct nlattr **tb;     /* max + 1 slots */
	bool bad;
};

static int attr_collect(const struct nlattr *attr, void *data)
{
	struct attr_table *t = data;
	uint16_t type = mnl_attr_get_type(attr);
	if (type > t->max || t->rules[type].kind == MNL_TYPE_UNSPEC)
		return MNL_CB_OK;
	const struct attr_rule *rule = &t->rules[type];
	int rc = rule->len ? mnl_attr_validate2(attr, rule->kind, rule->len)
			   : mnl_attr_validate(attr, rule->kind);
	if (rc < 0) {
		t->bad = true;
		return MNL_CB_ERROR;
	}
	t->tb[type] = attr;
	return MNL_CB_OK;
}

/* Checks the netlink header and that a fixed header of hdrlen bytes follows, then fills tb.
 * Returns the message or NULL. */
static const struct nlmsghdr *parse_msg(const void *msg, size_t len, size_t hdrlen,
					const struct attr_rule *rules, uint16_t max,
					const struct nlattr **tb)
{
	if (len > INT32_MAX)
		len = INT32_MAX;
	const struct nlmsghdr *nlh = msg;
	/* mnl_nlmsg_ok() compares the length as an int: a length of 2^31 or more passes it
	 * (found by fuzz_kernel_msg), so the declared length is checked here first. */
	if (!msg || len < sizeof(*nlh) || nlh->nlmsg_len > len || !mnl_nlmsg_ok(nlh, (int)len))
		return NULL;
	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + MNL_ALIGN(hdrlen))
		return NULL;
	memset(tb, 0, (max + 1u) * sizeof(*tb));
	if (!rules)
		return nlh;
	struct attr_table t = { .rules = rules, .max = max, .tb = tb, .bad = false };
	/* mnl_attr_parse stops at the first attribute whose nla_len does not fit what is left
	 * (mnl_attr_ok), so a truncated tail is not an error but is never read. */
	if (mnl_attr_parse(nlh, (unsigned)MNL_ALIGN(hdrlen), attr_collect, &t) < 0 || t.bad)
		return NULL;
	return nlh;
}

static size_t family_len(uint8_t family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

static bool addr_from_attr(const struct nlattr *a, uint8_t family, struct ip_addr *out)
{
	size_t n = family_len(family);
	memset(out, 0, sizeof(*out));
	if (!a || n == 0 || mnl_attr_get_payload_len(a) != n)
		return false;
	out->family = family;
	memcpy(out->bytes, mnl_attr_get_payload(a), n);
	return true;
}

/* ---------------------------------------------------------------------------------------- */
/* Builders */

static struct nlmsghdr *put_header(void *buf, size_t cap, uint16_t type, uint16_t flags,
				   uint32_t seq, size_t hdrlen)
{
	if (!buf || cap < MNL_NLMSG_HDRLEN + MNL_ALIGN(hdrlen))
		return NULL;
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	mnl_nlmsg_put_extra_header(nlh, hdrlen);
	return nlh;
}

static bool route_valid(const struct kernel_route *r)
{
	size_t n = family_len(r->dst.family);
	if (n == 0 || r->prefixlen > n * 8 || r->nexthop_count > KERNEL_MAX_NEXTHOPS)
		return false;
	for (unsigned i = 0; i < r->nexthop_count; i++) {
		const struct kernel_nexthop *nh = &r->nexthops[i];
		if (ip_addr_is_set(&nh->gateway) && nh->gateway.family != r->dst.family)
			return false; /* RTA_VIA (v4 over v6 next hop) is not supported */
		if (!ip_addr_is_set(&nh->gateway) && nh->ifindex == 0)
			return false;
		if (nh->weight > 256)
			return false;
	}
	return true;
}

size_t kernel_msg_route_replace(void *buf, size_t cap, uint32_t seq, const struct kernel_route *r)
{
	if (!r || !route_valid(r))
		return 0;
	/* NLM_F_REPLACE|NLM_F_CREATE: install or overwrite, whatever was there (rtnetlink(7)). */
	struct nlmsghdr *nlh = put_header(buf, cap, RTM_NEWROUTE, NLM_F_REPLACE | NLM_F_CREATE, seq,
					  sizeof(struct rtmsg));
	if (!nlh)
		return 0;
	struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	size_t alen = family_len(r->dst.family);
	bool any_gateway = false;
	for (unsigned i = 0; i < r->nexthop_count; i++)
		any_gateway |= ip_addr_is_set(&r->nexthops[i].gateway);
	rtm->rtm_family = r->dst.family;
	rtm->rtm_dst_len = r->prefixlen;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = KERNEL_RTPROT_TERN;
	rtm->rtm_type = r->nexthop_count ? RTN_UNICAST : RTN_BLACKHOLE;
	/* An IPv4 route out of an interface with no gateway is on-link: scope link, as `ip route
	 * add P dev X` makes it; anything through a gateway is universe. IPv6 ignores the scope. */
	rtm->rtm_scope = (r->dst.family == AF_INET && r->nexthop_count && !any_gateway)
				 ? RT_SCOPE_LINK
				 : RT_SCOPE_UNIVERSE;

	bool ok = mnl_attr_put_u32_check(nlh, cap, RTA_TABLE, RT_TABLE_MAIN);
	if (r->prefixlen > 0)
		ok = ok && mnl_attr_put_check(nlh, cap, RTA_DST, alen, r->dst.bytes);
	uint32_t metric = r->metric;
	if (metric == 0 && r->dst.family == AF_INET6)
		metric = 1024; /* IP6_RT_PRIO_USER: what the kernel would pick */
	ok = ok && mnl_attr_put_u32_check(nlh, cap, RTA_PRIORITY, metric);

	if (r->nexthop_count == 1) {
		const struct kernel_nexthop *nh = &r->nexthops[0];
		if (ip_addr_is_set(&nh->gateway))
			ok = ok && mnl_attr_put_check(nlh, cap, RTA_GATEWAY, alen, nh->gateway.bytes);
		if (nh->ifindex)
			ok = ok && mnl_attr_put_u32_check(nlh, cap, RTA_OIF, nh->ifindex);
	} else if (r->nexthop_count > 1) {
		/* RTA_MULTIPATH: a run of struct rtnexthop, each followed by its own attributes
		 * and covering them in rtnh_len. */
		struct nlattr *mp = ok ? mnl_attr_nest_start_check(nlh, cap, RTA_MULTIPATH) : NULL;
		ok = mp != NULL;
		for (unsigned i = 0; ok && i < r->nexthop_count; i++) {
			const struct kernel_nexthop *nh = &r->nexthops[i];
			if (nlh->nlmsg_len + RTNH_ALIGN(sizeof(struct rtnexthop)) > cap) {
				ok = false;
				break;
			}
			struct rtnexthop *rtnh = mnl_nlmsg_get_payload_tail(nlh);
			memset(rtnh, 0, sizeof(*rtnh));
			nlh->nlmsg_len += RTNH_ALIGN(sizeof(struct rtnexthop));
			rtnh->rtnh_ifindex = (int)nh->ifindex;
			rtnh->rtnh_hops = (uint8_t)(nh->weight ? nh->weight - 1 : 0);
			if (ip_addr_is_set(&nh->gateway))
				ok = mnl_attr_put_check(nlh, cap, RTA_GATEWAY, alen, nh->gateway.bytes);
			rtnh->rtnh_len = (unsigned short)((char *)mnl_nlmsg_get_payload_tail(nlh) -
							  (char *)rtnh);
		}
		if (ok)
			mnl_attr_nest_end(nlh, mp);
	}
	return ok ? nlh->nlmsg_len : 0;
}

size_t kernel_msg_route_delete(void *buf, size_t cap, uint32_t seq, const struct ip_addr *dst,
			       uint8_t prefixlen, bool exact_metric, uint32_t metric)
{
	size_t alen = dst ? family_len(dst->family) : 0;
	if (alen == 0 || prefixlen > alen * 8)
		return 0;
	struct nlmsghdr *nlh = put_header(buf, cap, RTM_DELROUTE, 0, seq, sizeof(struct rtmsg));
	if (!nlh)
		return 0;
	struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	rtm->rtm_family = dst->family;
	rtm->rtm_dst_len = prefixlen;
	rtm->rtm_table = RT_TABLE_MAIN;
	/* The kernel matches a delete on every field that is set: protocol 201 keeps us off
	 * routes that are not ours; scope NOWHERE and type 0 match any scope and type; no
	 * RTA_PRIORITY matches any metric (fib_table_delete, ip6_route_del). */
	rtm->rtm_protocol = KERNEL_RTPROT_TERN;
	rtm->rtm_scope = RT_SCOPE_NOWHERE;
	rtm->rtm_type = RTN_UNSPEC;
	bool ok = mnl_attr_put_u32_check(nlh, cap, RTA_TABLE, RT_TABLE_MAIN);
	if (prefixlen > 0)
		ok = ok && mnl_attr_put_check(nlh, cap, RTA_DST, alen, dst->bytes);
	if (exact_metric) {
		if (metric == 0 && dst->family == AF_INET6)
			metric = 1024;
		ok = ok && mnl_attr_put_u32_check(nlh, cap, RTA_PRIORITY, metric);
	}
	return ok ? nlh->nlmsg_len : 0;
}

size_t kernel_msg_addr(void *buf, size_t cap, uint32_t seq, bool add, uint32_t ifindex,
		       const struct ip_addr *addr, uint8_t prefixlen)
{
	size_t alen = addr ? family_len(addr->family) : 0;
	if (alen == 0 || prefixlen > alen * 8 || ifindex == 0)
		return 0;
	/* NLM_F_EXCL: an address that is already there is an error the shell shows, as IOS
	 * would refuse an overlapping address, rather than a silent success. */
	struct nlmsghdr *nlh = put_header(buf, cap, add ? RTM_NEWADDR : RTM_DELADDR,
					  add ? NLM_F_CREATE | NLM_F_EXCL : 0, seq,
					  sizeof(struct ifaddrmsg));
	if (!nlh)
		return 0;
	struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	ifa->ifa_family = addr->family;
	ifa->ifa_prefixlen = prefixlen;
	ifa->ifa_index = ifindex;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	/* IPv4 names the local address in IFA_LOCAL and the peer (or, on broadcast links, the
	 * same address) in IFA_ADDRESS; IPv6 uses IFA_ADDRESS alone. */
	bool ok = true;
	if (addr->family == AF_INET)
		ok = mnl_attr_put_check(nlh, cap, IFA_LOCAL, alen, addr->bytes);
	ok = ok && mnl_attr_put_check(nlh, cap, IFA_ADDRESS, alen, addr->bytes);
	return ok ? nlh->nlmsg_len : 0;
}

size_t kernel_msg_link_set_up(void *buf, size_t cap, uint32_t seq, uint32_t ifindex, bool up)
{
	if (ifindex == 0 || ifindex > INT32_MAX)
		return 0;
	struct nlmsghdr *nlh = put_header(buf, cap, RTM_NEWLINK, 0, seq, sizeof(struct ifinfomsg));
	if (!nlh)
		return 0;
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)ifindex;
	/* ifi_change says which flag bits to touch; only IFF_UP. */
	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = up ? IFF_UP : 0;
	return nlh->nlmsg_len;
}

size_t kernel_msg_dump(void *buf, size_t cap, uint32_t seq, uint16_t type, uint8_t family)
{
	size_t hdrlen;
	switch (type) {
	case RTM_GETLINK: hdrlen = sizeof(struct ifinfomsg); break;
	case RTM_GETADDR: hdrlen = sizeof(struct ifaddrmsg); break;
	case RTM_GETROUTE: hdrlen = sizeof(struct rtmsg); break;
	default: return 0;
	}
	struct nlmsghdr *nlh = put_header(buf, cap, type, NLM_F_DUMP, seq, hdrlen);
	if (!nlh)
		return 0;
	/* Every family header starts with its family byte. */
	*(uint8_t *)mnl_nlmsg_get_payload(nlh) = family;
	return nlh->nlmsg_len;
}

size_t kernel_msg_route_get(void *buf, size_t cap, uint32_t seq, const struct ip_addr *dst)
{
	size_t n = dst ? family_len(dst->family) : 0;
	if (n == 0)
		return 0;
	struct nlmsghdr *nlh = put_header(buf, cap, RTM_GETROUTE, 0, seq, sizeof(struct rtmsg));
	if (!nlh)
		return 0;
	struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	rtm->rtm_family = dst->family;
	rtm->rtm_dst_len = (uint8_t)(n * 8);
	if (!mnl_attr_put_check(nlh, cap, RTA_DST, n, dst->bytes))
		return 0;
	return nlh->nlmsg_len;
}

/* ---------------------------------------------------------------------------------------- */
/* Parsers */

static const struct attr_rule link_rules[IFLA_MTU + 1] = {
	[IFLA_ADDRESS] = { MNL_TYPE_BINARY, 0 },
	[IFLA_IFNAME] = { MNL_TYPE_NUL_STRING, 0 },
	[IFLA_MTU] = { MNL_TYPE_U32, 0 },
};

int kernel_msg_parse_link(const void *msg, size_t len, struct kernel_link *out)
{
	const struct nlattr *tb[IFLA_MTU + 1];
	const struct nlmsghdr *nlh =
		parse_msg(msg, len, sizeof(struct ifinfomsg), link_rules, IFLA_MTU, tb);
	if (!nlh || (nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK))
		return -1;
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	if (ifi->ifi_index <= 0)
		return -1;
	/* A bridge sends RTM_NEWLINK/RTM_DELLINK of family AF_BRIDGE about a port's bridge
	 * state; an RTM_DELLINK of those does not mean the link is gone. */
	if (ifi->ifi_family != AF_UNSPEC)
		return 1;
	memset(out, 0, sizeof(*out));
	out->ifindex = (uint32_t)ifi->ifi_index;
	out->flags = ifi->ifi_flags;
	out->admin_up = (ifi->ifi_flags & IFF_UP) != 0;
	out->oper_up = (ifi->ifi_flags & IFF_RUNNING) != 0;
	out->carrier = (ifi->ifi_flags & IFF_LOWER_UP) != 0;
	out->loopback = (ifi->ifi_flags & IFF_LOOPBACK) != 0;
	if (tb[IFLA_IFNAME]) {
		/* NUL_STRING validation guarantees a terminator inside the payload. */
		const char *name = mnl_attr_get_str(tb[IFLA_IFNAME]);
		if (strlen(name) >= sizeof(out->name) || name[0] == '\0')
			return -1;
		memcpy(out->name, name, strlen(name) + 1);
	}
	if (tb[IFLA_MTU])
		out->mtu = mnl_attr_get_u32(tb[IFLA_MTU]);
	if (tb[IFLA_ADDRESS]) {
		uint16_t n = mnl_attr_get_payload_len(tb[IFLA_ADDRESS]);
		if (n > KERNEL_LLADDR_MAX)
			return -1;
		out->lladdr_len = (uint8_t)n;
		memcpy(out->lladdr, mnl_attr_get_payload(tb[IFLA_ADDRESS]), n);
	}
	return 0;
}

static const struct attr_rule addr_rules[IFA_FLAGS + 1] = {
	[IFA_ADDRESS] = { MNL_TYPE_BINARY, 0 },
	[IFA_LOCAL] = { MNL_TYPE_BINARY, 0 },
	[IFA_FLAGS] = { MNL_TYPE_U32, 0 },
};

int kernel_msg_parse_addr(const void *msg, size_t len, struct kernel_addr *out)
{
	const struct nlattr *tb[IFA_FLAGS + 1];
	const struct nlmsghdr *nlh =
		parse_msg(msg, len, sizeof(struct ifaddrmsg), addr_rules, IFA_FLAGS, tb);
	if (!nlh || (nlh->nlmsg_type != RTM_NEWADDR && nlh->nlmsg_type != RTM_DELADDR))
		return -1;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	size_t alen = family_len(ifa->ifa_family);
	if (alen == 0 || ifa->ifa_prefixlen > alen * 8 || ifa->ifa_index == 0)
		return -1;
	memset(out, 0, sizeof(*out));
	out->ifindex = ifa->ifa_index;
	out->prefixlen = ifa->ifa_prefixlen;
	out->flags = tb[IFA_FLAGS] ? mnl_attr_get_u32(tb[IFA_FLAGS]) : ifa->ifa_flags;
	const struct nlattr *a = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (!addr_from_attr(a, ifa->ifa_family, &out->addr))
		return -1;
	return 0;
}

static const struct attr_rule route_rules[RTA_TABLE + 1] = {
	[RTA_DST] = { MNL_TYPE_BINARY, 0 },
	[RTA_OIF] = { MNL_TYPE_U32, 0 },
	[RTA_GATEWAY] = { MNL_TYPE_BINARY, 0 },
	[RTA_PRIORITY] = { MNL_TYPE_U32, 0 },
	[RTA_MULTIPATH] = { MNL_TYPE_NESTED, 0 },
	[RTA_TABLE] = { MNL_TYPE_U32, 0 },
};

static const struct attr_rule nexthop_rules[RTA_GATEWAY + 1] = {
	[RTA_GATEWAY] = { MNL_TYPE_BINARY, 0 },
};

/* Walks RTA_MULTIPATH: each struct rtnexthop is checked against what is left of the nest and
 * its attributes against its own rtnh_len, so one bad entry cannot move the next one. */
static int parse_multipath(const struct nlattr *mp, uint8_t family, struct kernel_route *out)
{
	const uint8_t *p = mnl_attr_get_payload(mp);
	size_t left = mnl_attr_get_payload_len(mp);
	while (left >= sizeof(struct rtnexthop)) {
		struct rtnexthop rtnh;
		memcpy(&rtnh, p, sizeof(rtnh));
		if (rtnh.rtnh_len < sizeof(struct rtnexthop) || rtnh.rtnh_len > left)
			return -1;
		if (out->nexthop_count < KERNEL_MAX_NEXTHOPS) {
			struct kernel_nexthop *nh = &out->nexthops[out->nexthop_count++];
			memset(nh, 0, sizeof(*nh));
			nh->ifindex = rtnh.rtnh_ifindex > 0 ? (uint32_t)rtnh.rtnh_ifindex : 0;
			nh->weight = (uint16_t)(rtnh.rtnh_hops + 1);
			const uint8_t *ap = p + RTNH_ALIGN(sizeof(struct rtnexthop));
			size_t aleft = rtnh.rtnh_len > RTNH_ALIGN(sizeof(struct rtnexthop))
					       ? rtnh.rtnh_len - RTNH_ALIGN(sizeof(struct rtnexthop))
					       : 0;
			const struct nlattr *tb[RTA_GATEWAY + 1] = { 0 };
			struct attr_table t = { nexthop_rules, RTA_GATEWAY, tb, false };
			/* mnl_attr_parse_payload walks exactly aleft bytes with mnl_attr_ok. */
			if (aleft && (mnl_attr_parse_payload(ap, aleft, attr_collect, &t) < 0 || t.bad))
				return -1;
			if (tb[RTA_GATEWAY] && !addr_from_attr(tb[RTA_GATEWAY], family, &nh->gateway))
				return -1;
		}
		size_t step = RTNH_ALIGN(rtnh.rtnh_len);
		if (step >= left)
			break;
		p += step;
		left -= step;
	}
	return 0;
}

int kernel_msg_parse_route(const void *msg, size_t len, struct kernel_route *out,
			   struct kernel_route_meta *meta)
{
	const struct nlattr *tb[RTA_TABLE + 1];
	const struct nlmsghdr *nlh =
		parse_msg(msg, len, sizeof(struct rtmsg), route_rules, RTA_TABLE, tb);
	if (!nlh || (nlh->nlmsg_type != RTM_NEWROUTE && nlh->nlmsg_type != RTM_DELROUTE))
		return -1;
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	size_t alen = family_len(rtm->rtm_family);
	if (alen == 0 || rtm->rtm_dst_len > alen * 8)
		return -1;
	memset(out, 0, sizeof(*out));
	struct kernel_route_meta m = {
		.protocol = rtm->rtm_protocol,
		.type = rtm->rtm_type,
		.scope = rtm->rtm_scope,
		.table = tb[RTA_TABLE] ? mnl_attr_get_u32(tb[RTA_TABLE]) : rtm->rtm_table,
	};
	if (meta)
		*meta = m;
	out->prefixlen = rtm->rtm_dst_len;
	if (tb[RTA_DST]) {
		if (!addr_from_attr(tb[RTA_DST], rtm->rtm_family, &out->dst))
			return -1;
	} else {
		out->dst.family = rtm->rtm_family; /* a default route has no RTA_DST */
	}
	out->metric = tb[RTA_PRIORITY] ? mnl_attr_get_u32(tb[RTA_PRIORITY]) : 0;
	if (tb[RTA_MULTIPATH]) {
		if (parse_multipath(tb[RTA_MULTIPATH], rtm->rtm_family, out) < 0)
			return -1;
	} else if (tb[RTA_GATEWAY] || tb[RTA_OIF]) {
		struct kernel_nexthop *nh = &out->nexthops[0];
		out->nexthop_count = 1;
		nh->weight = 1;
		if (tb[RTA_GATEWAY] && !addr_from_attr(tb[RTA_GATEWAY], rtm->rtm_family, &nh->gateway))
			return -1;
		nh->ifindex = tb[RTA_OIF] ? mnl_attr_get_u32(tb[RTA_OIF]) : 0;
	}
	return 0;
}

static const struct attr_rule ext_rules[NLMSGERR_ATTR_MSG + 1] = {
	[NLMSGERR_ATTR_MSG] = { MNL_TYPE_NUL_STRING, 0 },
};

int kernel_msg_parse_error(const void *msg, size_t len, struct kernel_msg_error *out)
{
	const struct nlmsghdr *nlh = parse_msg(msg, len, sizeof(struct nlmsgerr), NULL, 0,
					       (const struct nlattr *[1]){ 0 });
	if (!nlh || nlh->nlmsg_type != NLMSG_ERROR)
		return -1;
	memset(out, 0, sizeof(*out));
	struct nlmsgerr e;
	memcpy(&e, mnl_nlmsg_get_payload(nlh), sizeof(e));
	/* error is a negative errno (0 for an ACK); anything else is garbage. */
	if (e.error > 0 || e.error < -4095)
		return -1;
	out->error = -e.error;
	out->seq = e.msg.nlmsg_seq;
	const uint8_t *payload = mnl_nlmsg_get_payload(nlh);
	size_t plen = mnl_nlmsg_get_payload_len(nlh);
	size_t tlv_off = sizeof(struct nlmsgerr);
	/* Unless NLM_F_CAPPED (or an ACK), the whole request follows nlmsgerr; its echoed
	 * nlmsg_len must fit inside what we were given. */
	if (e.error != 0 && !(nlh->nlmsg_flags & NLM_F_CAPPED) &&
	    e.msg.nlmsg_len >= sizeof(struct nlmsghdr) &&
	    e.msg.nlmsg_len <= plen - offsetof(struct nlmsgerr, msg)) {
		out->request = payload + offsetof(struct nlmsgerr, msg);
		out->request_len = e.msg.nlmsg_len;
		tlv_off = MNL_ALIGN(offsetof(struct nlmsgerr, msg) + e.msg.nlmsg_len);
	}
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && tlv_off < plen) {
		const struct nlattr *tb[NLMSGERR_ATTR_MSG + 1] = { 0 };
		struct attr_table t = { ext_rules, NLMSGERR_ATTR_MSG, tb, false };
		if (mnl_attr_parse_payload(payload + tlv_off, plen - tlv_off, attr_collect, &t) >= 0 &&
		    !t.bad && tb[NLMSGERR_ATTR_MSG])
			snprintf(out->extack, sizeof(out->extack), "%s",
				 mnl_attr_get_str(tb[NLMSGERR_ATTR_MSG]));
	}
	return 0;
}

/* ---------------------------------------------------------------------------------------- */

const char *kernel_route_format(const struct kernel_route *r, char *buf, size_t len)
{
	char a[IP_ADDR_STRLEN];
	size_t used = 0;
	if (!len)
		return buf;
	buf[0] = '\0';
#define APPEND(...)                                                                   \
	do {                                                                          \
		if (used < len) {                                                     \
			int n_ = snprintf(buf + used, len - used, __VA_ARGS__);       \
			used = n_ < 0 ? len : used + (size_t)n_;                      \
		}                                                                     \
	} while (0)
	APPEND("%s/%u", ip_addr_format(&r->dst, a), r->prefixlen);
	if (r->nexthop_count == 0)
		APPEND(" blackhole");
	for (unsigned i = 0; i < r->nexthop_count && i < KERNEL_MAX_NEXTHOPS; i++) {
		const struct kernel_nexthop *nh = &r->nexthops[i];
		if (i)
			APPEND(",");
		if (ip_addr_is_set(&nh->gateway))
			APPEND(" via %s", ip_addr_format(&nh->gateway, a));
		if (nh->ifindex)
			APPEND(" if %u", nh->ifindex);
		if (r->nexthop_count > 1 && nh->weight > 1)
			APPEND(" weight %u", nh->weight);
	}
	if (r->metric)
		APPEND(" metric %u", r->metric);
#undef APPEND
	return buf;
}
