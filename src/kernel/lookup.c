/*
 * DOC: one route lookup, asked of the kernel (RTM_GETROUTE without NLM_F_DUMP).
 *
 * `ip route get ADDR` in a function: the kernel runs its forwarding decision for ADDR and
 * answers with one RTM_NEWROUTE describing the route it picked: its type (unicast, local,
 * unreachable, ...), its output interface and, when it goes through a router, RTA_GATEWAY.
 * The question goes over a socket of its own, opened and closed around it, so it never mixes
 * with kernel.c's batches and subscriptions; the answer comes back at once (the kernel answers
 * in the sendmsg call's context), and a 1 s receive timeout bounds the wait anyway. The reply
 * is parsed by the same bounded parser as every other route message (msg.c).
 *
 * A route with RTA_VIA (an IPv4 route through an IPv6 next hop) is not parsed as having a
 * gateway; no Tern peer is reached that way.
 */
#include "kernel.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

enum kernel_reach kernel_route_reach(const struct ip_addr *dst, uint32_t *ifindex)
{
	if (ifindex)
		*ifindex = 0;
	_Alignas(struct nlmsghdr) uint8_t req[128];
	size_t len = kernel_msg_route_get(req, sizeof(req), 1, dst);
	if (len == 0)
		return KERNEL_REACH_UNKNOWN;
	struct mnl_socket *s = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!s)
		return KERNEL_REACH_UNKNOWN;
	enum kernel_reach reach = KERNEL_REACH_UNKNOWN;
	struct timeval timeout = { .tv_sec = 1 };
	setsockopt(mnl_socket_get_fd(s), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
	_Alignas(struct nlmsghdr) uint8_t buf[8192];
	if (mnl_socket_bind(s, 0, MNL_SOCKET_AUTOPID) < 0 || mnl_socket_sendto(s, req, len) < 0)
		goto out;
	ssize_t n = mnl_socket_recvfrom(s, buf, sizeof(buf));
	if (n <= 0)
		goto out;
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	if ((size_t)n < sizeof(*nlh))
		goto out;
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		struct kernel_msg_error e;
		/* ENETUNREACH, EHOSTUNREACH: the kernel has no route at all */
		if (kernel_msg_parse_error(buf, (size_t)n, &e) == 0 && e.error != 0)
			reach = KERNEL_REACH_NONE;
		goto out;
	}
	struct kernel_route route;
	struct kernel_route_meta meta;
	if (kernel_msg_parse_route(buf, (size_t)n, &route, &meta) != 0)
		goto out;
	if (meta.type == RTN_LOCAL) {
		reach = KERNEL_REACH_LOCAL;
	} else if (meta.type != RTN_UNICAST || route.nexthop_count == 0) {
		reach = KERNEL_REACH_NONE;
	} else {
		reach = ip_addr_is_set(&route.nexthops[0].gateway) ? KERNEL_REACH_GATEWAY
								   : KERNEL_REACH_ON_LINK;
		if (ifindex)
			*ifindex = route.nexthops[0].ifindex;
	}
out:
	mnl_socket_close(s);
	return reach;
}
