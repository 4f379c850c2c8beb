/* DOC: route netlink requests with libmnl (see nl.h). */
#include "lab/nl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static unsigned seq_next(void)
{
	static unsigned seq;
	if (!seq)
		seq = (unsigned)time(NULL);
	return ++seq;
}

struct mnl_socket *nl_open(void)
{
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl)
		return NULL;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int e = errno;
		mnl_socket_close(nl);
		errno = e;
		return NULL;
	}
	return nl;
}

void nl_close(struct mnl_socket *nl)
{
	if (nl)
		mnl_socket_close(nl);
}

/* Sends one request and reads replies until the ACK/DONE; cb sees each data message. */
static bool talk(struct mnl_socket *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *arg)
{
	nlh->nlmsg_seq = seq_next();
	unsigned portid = mnl_socket_get_portid(nl);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return false;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0)
			return false;
		int r = mnl_cb_run(buf, (size_t)n, nlh->nlmsg_seq, portid, cb, arg);
		if (r < 0)
			return false; /* errno is the kernel's */
		if (r == MNL_CB_STOP)
			return true;
	}
}

static struct nlmsghdr *start(char *buf, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	return nlh;
}

bool nl_veth_create(struct mnl_socket *nl, const char *name, const char *peer_name, int peer_netns_fd)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = start(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	struct nlattr *linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	struct nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	struct nlattr *peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	struct ifinfomsg *pifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*pifi));
	memset(pifi, 0, sizeof(*pifi));
	pifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, peer_name);
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)peer_netns_fd);
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, linkinfo);
	return talk(nl, nlh, NULL, NULL);
}

struct link_query {
	struct nl_link_info *info;
	unsigned index;
};

static int link_attr_cb(const struct nlattr *attr, void *data)
{
	struct link_query *q = data;
	switch (mnl_attr_get_type(attr)) {
	case IFLA_MTU:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) >= 0)
			q->info->mtu = mnl_attr_get_u32(attr);
		break;
	case IFLA_CARRIER:
		if (mnl_attr_validate(attr, MNL_TYPE_U8) >= 0)
			q->info->carrier = mnl_attr_get_u8(attr) != 0;
		break;
	case IFLA_ADDRESS:
		if (mnl_attr_get_payload_len(attr) == 6)
			memcpy(q->info->mac, mnl_attr_get_payload(attr), 6);
		break;
	case IFLA_LINKINFO: {
		const struct nlattr *in;
		mnl_attr_for_each_nested(in, attr) {
			if (mnl_attr_get_type(in) == IFLA_INFO_KIND) {
				const char *k = mnl_attr_get_str(in);
				size_t n = strnlen(k, mnl_attr_get_payload_len(in));
				if (n >= sizeof(q->info->kind))
					n = sizeof(q->info->kind) - 1;
				memcpy(q->info->kind, k, n);
				q->info->kind[n] = '\0';
			}
		}
		break;
	}
	}
	return MNL_CB_OK;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct link_query *q = data;
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	q->index = (unsigned)ifi->ifi_index;
	q->info->exists = true;
	q->info->admin_up = (ifi->ifi_flags & IFF_UP) != 0;
	mnl_attr_parse(nlh, sizeof(*ifi), link_attr_cb, q);
	return MNL_CB_OK;
}

static bool link_query(struct mnl_socket *nl, const char *name, struct nl_link_info *info, unsigned *index)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = start(buf, RTM_GETLINK, NLM_F_ACK);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	memset(info, 0, sizeof(*info));
	struct link_query q = { .info = info };
	bool ok = talk(nl, nlh, link_cb, &q);
	if (index)
		*index = q.index;
	if (!ok && errno == ENODEV) {
		memset(info, 0, sizeof(*info));
		return true; /* answered: there is no such link */
	}
	return ok;
}

unsigned nl_ifindex(struct mnl_socket *nl, const char *name)
{
	struct nl_link_info info;
	unsigned index = 0;
	if (!link_query(nl, name, &info, &index) || !info.exists)
		return 0;
	return index;
}

bool nl_link_get(struct mnl_socket *nl, const char *name, struct nl_link_info *out)
{
	return link_query(nl, name, out, NULL);
}

bool nl_link_set_up(struct mnl_socket *nl, const char *name, bool up)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = start(buf, RTM_NEWLINK, NLM_F_ACK);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = up ? IFF_UP : 0;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	return talk(nl, nlh, NULL, NULL);
}

bool nl_addr_add(struct mnl_socket *nl, unsigned ifindex, int family, const void *addr, unsigned len)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = start(buf, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE | NLM_F_ACK);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)family;
	ifa->ifa_prefixlen = (uint8_t)len;
	ifa->ifa_index = ifindex;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	size_t size = family == AF_INET ? 4 : 16;
	mnl_attr_put(nlh, IFA_LOCAL, size, addr);
	mnl_attr_put(nlh, IFA_ADDRESS, size, addr);
	return talk(nl, nlh, NULL, NULL);
}

struct addr_list {
	unsigned ifindex;
	uint32_t addrs[32]; /* network order */
	unsigned lens[32];
	size_t count;
};

static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
	struct addr_list *l = data;
	struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	if (ifa->ifa_family != AF_INET || ifa->ifa_index != l->ifindex || l->count >= 32)
		return MNL_CB_OK;
	const struct nlattr *attr;
	mnl_attr_for_each(attr, nlh, sizeof(*ifa)) {
		if (mnl_attr_get_type(attr) == IFA_LOCAL && mnl_attr_get_payload_len(attr) == 4) {
			memcpy(&l->addrs[l->count], mnl_attr_get_payload(attr), 4);
			l->lens[l->count++] = ifa->ifa_prefixlen;
		}
	}
	return MNL_CB_OK;
}

static bool addr_dump(struct mnl_socket *nl, struct addr_list *l)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = start(buf, RTM_GETADDR, NLM_F_DUMP);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	return talk(nl, nlh, addr_cb, l);
}

bool nl_addr_flush_v4(struct mnl_socket *nl, unsigned ifindex)
{
	struct addr_list l = { .ifindex = ifindex };
	if (!addr_dump(nl, &l))
		return false;
	for (size_t i = 0; i < l.count; i++) {
		char buf[MNL_SOCKET_BUFFER_SIZE];
		struct nlmsghdr *nlh = start(buf, RTM_DELADDR, NLM_F_ACK);
		struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
		ifa->ifa_family = AF_INET;
		ifa->ifa_prefixlen = (uint8_t)l.lens[i];
		ifa->ifa_index = ifindex;
		mnl_attr_put(nlh, IFA_LOCAL, 4, &l.addrs[i]);
		if (!talk(nl, nlh, NULL, NULL) && errno != EADDRNOTAVAIL)
			return false;
	}
	return true;
}

bool nl_addr_get_v4(struct mnl_socket *nl, unsigned ifindex, uint32_t *addr, unsigned *len)
{
	struct addr_list l = { .ifindex = ifindex };
	if (!addr_dump(nl, &l) || l.count == 0)
		return false;
	*addr = ntohl(l.addrs[0]);
	*len = l.lens[0];
	return true;
}

static bool route_request(struct mnl_socket *nl, uint16_t type, uint16_t flags, uint32_t dst,
			  unsigned len, uint32_t gateway, unsigned oif)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = start(buf, type, flags | NLM_F_ACK);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = (uint8_t)len;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_STATIC;
	rtm->rtm_scope = type == RTM_DELROUTE ? RT_SCOPE_NOWHERE : RT_SCOPE_UNIVERSE;
	rtm->rtm_type = RTN_UNICAST;
	uint32_t d = htonl(dst);
	mnl_attr_put_u32(nlh, RTA_DST, d);
	if (gateway)
		mnl_attr_put_u32(nlh, RTA_GATEWAY, htonl(gateway));
	if (oif)
		mnl_attr_put_u32(nlh, RTA_OIF, oif);
	return talk(nl, nlh, NULL, NULL);
}

bool nl_route_replace_v4(struct mnl_socket *nl, uint32_t dst, unsigned len, uint32_t gateway, unsigned oif)
{
	return route_request(nl, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, dst, len, gateway, oif);
}

bool nl_route_delete_v4(struct mnl_socket *nl, uint32_t dst, unsigned len)
{
	if (route_request(nl, RTM_DELROUTE, 0, dst, len, 0, 0))
		return true;
	return errno == ESRCH;
}

static int default_route_cb(const struct nlmsghdr *nlh, void *data)
{
	uint32_t *gw = data;
	struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	if (rtm->rtm_family != AF_INET || rtm->rtm_dst_len != 0 || rtm->rtm_table != RT_TABLE_MAIN)
		return MNL_CB_OK;
	const struct nlattr *attr;
	mnl_attr_for_each(attr, nlh, sizeof(*rtm)) {
		if (mnl_attr_get_type(attr) == RTA_GATEWAY && mnl_attr_get_payload_len(attr) == 4)
			*gw = ntohl(mnl_attr_get_u32(attr));
	}
	return MNL_CB_OK;
}

uint32_t nl_default_gateway_v4(struct mnl_socket *nl)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = start(buf, RTM_GETROUTE, NLM_F_DUMP);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	uint32_t gw = 0;
	if (!talk(nl, nlh, default_route_cb, &gw))
		return 0;
	return gw;
}

struct link_walk {
	void (*fn)(const char *name, const char *kind, void *arg);
	void *arg;
};

static int walk_cb(const struct nlmsghdr *nlh, void *data)
{
	struct link_walk *w = data;
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct nl_link_info info = { 0 };
	struct link_query q = { .info = &info };
	mnl_attr_parse(nlh, sizeof(*ifi), link_attr_cb, &q);
	const struct nlattr *attr;
	mnl_attr_for_each(attr, nlh, sizeof(*ifi)) {
		if (mnl_attr_get_type(attr) == IFLA_IFNAME) {
			char name[IFNAMSIZ] = "";
			size_t n = strnlen(mnl_attr_get_str(attr), mnl_attr_get_payload_len(attr));
			if (n >= sizeof(name))
				n = sizeof(name) - 1;
			memcpy(name, mnl_attr_get_str(attr), n);
			w->fn(name, info.kind, w->arg);
		}
	}
	return MNL_CB_OK;
}

bool nl_link_foreach(struct mnl_socket *nl, void (*fn)(const char *name, const char *kind, void *arg), void *arg)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = start(buf, RTM_GETLINK, NLM_F_DUMP);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	struct link_walk w = { fn, arg };
	return talk(nl, nlh, walk_cb, &w);
}
