/*
 * DOC: the lab topology model: nodes, links, stand-in addresses and routes, fully validated.
 *
 * topo_load() reads a topology file (YAML, see topo_yaml.c) and checks everything that can be
 * checked before anything is created: node names, interface names (the one IOS-to-Linux rule,
 * lib/ifname.h), duplicate interfaces, addresses, PC `ip` lines, router configuration files.
 * A problem is reported as "FILE:LINE: what" and the load fails.
 */
#ifndef TERN_LAB_TOPO_H
#define TERN_LAB_TOPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/ifname.h"
#include "lab/vpcs.h"

#define TOPO_NAME_MAX 32
#define TOPO_MAX_NODES 64
#define TOPO_MAX_LINKS 128
#define TOPO_MAX_ADDRS 256
#define TOPO_MAX_ROUTES 32
#define TOPO_PATH_MAX 4096
#define TOPO_ERR_MAX 512

enum node_kind { NODE_ROUTER, NODE_PC };

/* A prefix route standing in for an IGP (or a router's future `ip route` line). */
struct topo_route {
	uint32_t dst;     /* host order */
	unsigned len;
	uint32_t gateway; /* host order */
};

struct topo_node {
	char name[TOPO_NAME_MAX];
	enum node_kind kind;
	char config[TOPO_PATH_MAX]; /* router: absolute path of its configuration file */
	struct vpcs_ip pc_ip;       /* pc: from its `ip` line (unset if none) */
	struct topo_route routes[TOPO_MAX_ROUTES];
	size_t route_count;
	int line;
};

struct topo_endpoint {
	size_t node;            /* index into nodes */
	struct ifname ifname;   /* as written, and its Linux name */
};

struct topo_link {
	struct topo_endpoint end[2];
	int line;
};

/* One address tern-lab puts on a router interface until ternd configures interfaces. */
struct topo_addr {
	struct topo_endpoint where;
	int family;             /* AF_INET or AF_INET6 */
	uint8_t bytes[16];
	unsigned len;
	int line;
};

struct topology {
	char name[TOPO_NAME_MAX];
	char path[TOPO_PATH_MAX];   /* absolute path of the topology file */
	struct topo_node nodes[TOPO_MAX_NODES];
	size_t node_count;
	struct topo_link links[TOPO_MAX_LINKS];
	size_t link_count;
	struct topo_addr addrs[TOPO_MAX_ADDRS];
	size_t addr_count;
};

/* Loads DIR/topology.yml or FILE. On failure writes one "FILE:LINE: problem" line to err. */
bool topo_load(const char *dir_or_file, struct topology *topo, char *err, size_t err_size);
/* The same, with relative configuration paths taken from base_dir (a lab's saved copy). */
bool topo_load_from(const char *file, const char *base_dir, struct topology *topo, char *err, size_t err_size);

/* Index of the node named `name`, or -1. */
int topo_find_node(const struct topology *topo, const char *name);

/* Parses "NODE:IFACE" (or "NODE" alone for a PC: its one interface, eth0). False with a
 * message in err (no file/line) if the node is unknown or the interface name invalid. */
bool topo_parse_endpoint(const struct topology *topo, const char *text, struct topo_endpoint *out,
			 char *err, size_t err_size);

/* Lab and node names: letters, digits, '_' and '.', not empty, short enough. */
bool topo_valid_name(const char *name);

#endif
