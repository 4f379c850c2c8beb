/*
 * DOC: the EBGP connected check, from the kernel's view.
 *
 * RFC 4271 §5.1.3 and IOS: a single-hop EBGP peer (no ebgp-multihop, no disable-connected-check,
 * no ttl-security beyond one hop) must be on a directly connected network; its packets go out
 * with TTL 1. The peer counts as directly connected when any of these holds:
 *
 *  1. its address lies in the subnet of one of our interface addresses whose interface is
 *     administratively up (IFF_UP). Operational state (IFF_RUNNING) is not asked for: a new
 *     veth reports it up to a second after its carrier, and a peer that connects in that
 *     second was refused and then waited minutes for the next try;
 *  2. the kernel's route to it is on-link (a unicast route with no gateway: `ip route get`);
 *  3. for a connection the peer opened: our end of it (the address the peer's SYN was sent to
 *     and arrived for) is an interface address whose subnet holds the peer, whatever the
 *     interface's flags say at this instant: the SYN came in, so the link works.
 *
 * Fast external fallover (closing a single-hop EBGP session at once when its link goes down)
 * asks a stricter question, bgp_peer_link_lost(): is there still a subnet holding the peer on
 * an interface that is up and has carrier (IFF_LOWER_UP, reported at once, unlike IFF_RUNNING)?
 */
#include "bgp/internal.h"

#include <ifaddrs.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>

#include "kernel/kernel.h"

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000 /* linux/if.h: the driver signals carrier (RFC 2863 L1 up) */
#endif

/* Is addr in the subnet of ifaddr/netmask? A host route (/32, /128) holds no other address. */
static bool in_subnet(const struct ip_addr *addr, const struct sockaddr *ifaddr,
		      const struct sockaddr *netmask)
{
	struct ip_addr local, mask;
	if (!ip_addr_from_sockaddr(ifaddr, &local, NULL) || !ip_addr_from_sockaddr(netmask, &mask, NULL))
		return false;
	if (local.family != addr->family || ip_addr_equal(&local, addr))
		return false;
	size_t n = addr->family == AF_INET ? 4 : 16;
	bool host_route = true;
	for (size_t i = 0; i < n; i++) {
		if ((local.bytes[i] & mask.bytes[i]) != (addr->bytes[i] & mask.bytes[i]))
			return false;
		if (mask.bytes[i] != 0xff)
			host_route = false;
	}
	return !host_route;
}

/* Is addr in a subnet of an interface address? flags: IFF_* bits the interface must have;
 * local (may be NULL): only that interface address counts. -1 when it cannot tell. */
static int subnet_holds(const struct ip_addr *addr, unsigned flags, const struct ip_addr *local)
{
	struct ifaddrs *list;
	if (getifaddrs(&list) != 0)
		return -1;
	int found = 0;
	for (struct ifaddrs *ifa = list; ifa && !found; ifa = ifa->ifa_next) {
		if (!ifa->ifa_addr || !ifa->ifa_netmask || (ifa->ifa_flags & flags) != flags)
			continue;
		struct ip_addr a;
		if (local && (!ip_addr_from_sockaddr(ifa->ifa_addr, &a, NULL) || !ip_addr_equal(&a, local)))
			continue;
		found = in_subnet(addr, ifa->ifa_addr, ifa->ifa_netmask);
	}
	freeifaddrs(list);
	return found;
}

bool bgp_peer_connected_check_applies(const struct bgp_peer *peer)
{
	/* ttl-security hops 1 says "directly connected" as plainly as the default does (RFC 5082
	 * §3: the peer is that many hops away); more hops are a multihop session. */
	return !peer->ibgp && !peer->config.ebgp_multihop && !peer->config.disable_connected_check &&
	       peer->config.ttl_security_hops <= 1;
}

bool bgp_peer_directly_connected(const struct bgp_peer *peer, const struct ip_addr *remote, int accepted_fd)
{
	if (!bgp_peer_connected_check_applies(peer))
		return true;
	int held = subnet_holds(remote, IFF_UP, NULL);
	if (held != 0)
		return true; /* found, or cannot tell: the TTL of 1 decides */
	enum kernel_reach reach = kernel_route_reach(remote, NULL);
	if (reach == KERNEL_REACH_ON_LINK || reach == KERNEL_REACH_UNKNOWN)
		return true;
	if (accepted_fd >= 0) {
		struct sockaddr_storage ss;
		socklen_t len = sizeof(ss);
		struct ip_addr local;
		if (getsockname(accepted_fd, (struct sockaddr *)&ss, &len) == 0 &&
		    ip_addr_from_sockaddr((struct sockaddr *)&ss, &local, NULL) && subnet_holds(remote, 0, &local) == 1)
			return true;
	}
	return false;
}

/* Does the interface ifindex have all of flags? -1 when it cannot tell. */
static int interface_has(uint32_t ifindex, unsigned flags)
{
	char name[IF_NAMESIZE];
	struct ifaddrs *list;
	if (!if_indextoname(ifindex, name) || getifaddrs(&list) != 0)
		return -1;
	int found = 0;
	for (struct ifaddrs *ifa = list; ifa && !found; ifa = ifa->ifa_next)
		found = !strcmp(ifa->ifa_name, name) && (ifa->ifa_flags & flags) == flags;
	freeifaddrs(list);
	return found;
}

bool bgp_peer_link_lost(const struct bgp_peer *peer)
{
	if (!bgp_peer_connected_check_applies(peer))
		return false;
	const unsigned up = IFF_UP | IFF_LOWER_UP;
	if (subnet_holds(&peer->config.addr, up, NULL) != 0)
		return false;
	uint32_t ifindex;
	enum kernel_reach reach = kernel_route_reach(&peer->config.addr, &ifindex);
	if (reach == KERNEL_REACH_UNKNOWN)
		return false;
	return reach != KERNEL_REACH_ON_LINK || interface_has(ifindex, up) == 0;
}
