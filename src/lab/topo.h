/*
 * DOC: the lab topology model: nodes and links, fully validated.
 *
 * topo_load() reads a topology file (YAML, see topo_yaml.c) and checks everything that can be
 * checked before anything is created: node names, interface names (the one IOS-to-Linux rule,
 * lib/ifname.h), duplicate interfaces, PC `ip` lines, router configuration files. A problem
 * is reported as "FILE:LINE: what" and the load fails. Routers configure their own interface
 * addresses and static routes (`interface`, `ip address`, `ip route` in their configuration,
 * applied by ternd); tern-lab only wires them.
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
#define TOPO_PATH_MAX 4096
#define TOPO_ERR_MAX 512

enum node_kind { NODE_ROUTER, NODE_PC };

struct topo_node {
	char name[TOPO_NAME_MAX];
	enum node_kind kind;
	char config[TOPO_PATH_MAX]; /* router: absolute path of its configuration file */
	struct vpcs_ip pc_ip;       /* pc: from its `ip` line (unset if none) */
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

struct topology {
	char name[TOPO_NAME_MAX];
	char path[TOPO_PATH_MAX];   /* absolute path of the topology file */
	struct topo_node nodes[TOPO_MAX_NODES];
	size_t node_count;
	struct topo_link links[TOPO_MAX_LINKS];
	size_t link_count;
	bool capture_all;           /* `capture: all`: every link captured from the start */
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
