/*
 * DOC: the one thing tern-lab still restores itself after a cut: a PC's default gateway.
 *
 * Routers configure their own addresses and static routes (ternd applies `interface`, `ip
 * address` and `ip route` from their configuration, and puts back what the kernel drops
 * when a link goes down), so the stand-ins this file once held for them are gone. A PC has
 * no daemon: its address and gateway come from the VPCS `ip` line, and the kernel drops the
 * default route when the PC's link goes down. `tern-lab link ... down` saves it here
 * (/run/tern-lab/<lab>/<node>.gw) and `up` puts it back, as VPCS keeps its `ip` setting.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lab/lab.h"
#include "lab/nl.h"

static void gw_path(const char *lab, const char *node, char *buf, size_t size)
{
	char file[64];
	snprintf(file, sizeof(file), "%.31s.gw", node);
	state_path(lab, file, buf, size);
}

void lab_pc_save_gateway(const char *lab, const char *node, struct mnl_socket *nl)
{
	char path[512];
	gw_path(lab, node, path, sizeof(path));
	uint32_t gw = nl_default_gateway_v4(nl);
	FILE *f = gw ? fopen(path, "w") : NULL;
	if (f) {
		fprintf(f, "%u\n", (unsigned)gw);
		fclose(f);
	}
}

bool lab_pc_restore_gateway(const char *lab, const char *node, struct mnl_socket *nl, const char *ifname,
			    char *err, size_t err_size)
{
	char path[512];
	gw_path(lab, node, path, sizeof(path));
	FILE *f = fopen(path, "r");
	unsigned gw = 0;
	if (!f)
		return true;
	if (fscanf(f, "%u", &gw) != 1)
		gw = 0;
	fclose(f);
	unlink(path);
	if (gw && !nl_route_replace_v4(nl, 0, 0, gw, nl_ifindex(nl, ifname))) {
		snprintf(err, err_size, "%s: cannot restore the default gateway: %s", node, strerror(errno));
		return false;
	}
	return true;
}
