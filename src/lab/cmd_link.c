/*
 * DOC: `tern-lab link NODE:IFACE down|up`: cutting and restoring a cable.
 *
 * Both ends of the veth go administratively down, as both ports of a cut cable lose their
 * link (veth has no carrier switch of its own); the kernel then drops the routes through
 * them. On `up` both ends come back; the kernel restores the connected routes and ternd what
 * it installs (static and BGP routes). The one thing tern-lab restores is a PC's default
 * gateway as it was at the cut (standin.c), since no daemon runs on a PC.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lab/lab.h"
#include "lab/netns.h"
#include "lab/nl.h"

static struct topology topo;

static bool set_end(const struct topo_endpoint *ep, bool up, char *err, size_t err_size)
{
	const struct topo_node *n = &topo.nodes[ep->node];
	char ns[2 * TOPO_NAME_MAX + 2];
	state_netns_name(topo.name, n->name, ns, sizeof(ns));
	struct mnl_socket *nl = netns_nl_open(ns);
	if (!nl) {
		snprintf(err, err_size, "%s: %s", ns, strerror(errno));
		return false;
	}
	bool ok = true;
	if (!up && n->kind == NODE_PC)
		lab_pc_save_gateway(topo.name, n->name, nl);
	if (!nl_link_set_up(nl, ep->ifname.linux_name, up)) {
		snprintf(err, err_size, "%s:%s: %s", n->name, ep->ifname.ios_name, strerror(errno));
		ok = false;
	}
	if (ok && up && n->kind == NODE_PC)
		ok = lab_pc_restore_gateway(topo.name, n->name, nl, ep->ifname.linux_name, err, err_size);
	nl_close(nl);
	return ok;
}

int cmd_link(int argc, char **argv)
{
	if (argc != 3 || (strcmp(argv[2], "down") && strcmp(argv[2], "up"))) {
		fprintf(stderr, "usage: tern-lab link NODE:IFACE down|up\n");
		return 2;
	}
	bool up = !strcmp(argv[2], "up");
	char spec[128], lab[TOPO_NAME_MAX], err[1024];
	snprintf(spec, sizeof(spec), "%s", argv[1]);
	char *colon = strchr(spec, ':');
	if (colon)
		*colon = '\0';
	struct state_node node;
	if (!state_find_node(spec, lab, sizeof(lab), &node, err, sizeof(err))) {
		lab_error("%s", err);
		return 1;
	}
	if (!lab_load_saved(lab, &topo, err, sizeof(err))) {
		lab_error("lab %s: %s", lab, err);
		return 1;
	}
	char endpoint[160];
	snprintf(endpoint, sizeof(endpoint), "%s%s%s", node.name, colon ? ":" : "", colon ? colon + 1 : "");
	struct topo_endpoint ep;
	if (!topo_parse_endpoint(&topo, endpoint, &ep, err, sizeof(err))) {
		lab_error("%s", err);
		return 1;
	}
	for (size_t i = 0; i < topo.link_count; i++) {
		struct topo_link *l = &topo.links[i];
		for (int e = 0; e < 2; e++) {
			if (l->end[e].node != ep.node || strcmp(l->end[e].ifname.linux_name, ep.ifname.linux_name))
				continue;
			bool ok = set_end(&l->end[e], up, err, sizeof(err)) && set_end(&l->end[!e], up, err, sizeof(err));
			if (!ok) {
				lab_error("%s", err);
				return 1;
			}
			printf("link %s:%s -- %s:%s %s\n", topo.nodes[l->end[0].node].name, l->end[0].ifname.ios_name,
			       topo.nodes[l->end[1].node].name, l->end[1].ifname.ios_name, up ? "up" : "down");
			return 0;
		}
	}
	lab_error("%s is on no link of lab %s", endpoint, lab);
	return 1;
}
