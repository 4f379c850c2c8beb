/*
 * DOC: the stand-ins: interface addresses and static routes that tern-lab puts on routers
 * until ternd configures interfaces (`ip address`) and static routes (`ip route`) itself.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lab/lab.h"
#include "lab/netns.h"
#include "lab/nl.h"

bool lab_apply_addresses(const struct topology *topo, size_t node, const char *linux_ifname,
			 char *err, size_t err_size)
{
	char ns[2 * TOPO_NAME_MAX + 2];
	state_netns_name(topo->name, topo->nodes[node].name, ns, sizeof(ns));
	struct mnl_socket *nl = NULL;
	bool ok = true;
	for (size_t i = 0; i < topo->addr_count && ok; i++) {
		const struct topo_addr *a = &topo->addrs[i];
		const char *ifname = a->where.ifname.linux_name;
		if (a->where.node != node || (linux_ifname && strcmp(linux_ifname, ifname)))
			continue;
		if (!nl && !(nl = netns_nl_open(ns))) {
			snprintf(err, err_size, "%s: cannot open netlink: %s", ns, strerror(errno));
			return false;
		}
		unsigned index = nl_ifindex(nl, ifname);
		if (!index || !nl_addr_add(nl, index, a->family, a->bytes, a->len)) {
			snprintf(err, err_size, "%s: cannot add the address of line %d to %s: %s", topo->nodes[node].name,
				 a->line, ifname, index ? strerror(errno) : "no such interface");
			ok = false;
		}
	}
	nl_close(nl);
	return ok;
}

bool lab_apply_routes(const struct topology *topo, size_t node, bool tolerant, char *err, size_t err_size)
{
	const struct topo_node *n = &topo->nodes[node];
	if (n->route_count == 0)
		return true;
	char ns[2 * TOPO_NAME_MAX + 2];
	state_netns_name(topo->name, n->name, ns, sizeof(ns));
	struct mnl_socket *nl = netns_nl_open(ns);
	if (!nl) {
		snprintf(err, err_size, "%s: cannot open netlink: %s", ns, strerror(errno));
		return false;
	}
	bool ok = true;
	for (size_t i = 0; i < n->route_count && ok; i++) {
		const struct topo_route *r = &n->routes[i];
		if (nl_route_replace_v4(nl, r->dst, r->len, r->gateway, 0))
			continue;
		if (tolerant && errno == ENETUNREACH)
			continue;
		snprintf(err, err_size, "%s: cannot add route %u of %s: %s", n->name, (unsigned)i + 1, n->name,
			 strerror(errno));
		ok = false;
	}
	nl_close(nl);
	return ok;
}
