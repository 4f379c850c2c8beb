/*
 * DOC: what a lab router's configuration file says that a picture of the lab shows.
 *
 * Interfaces with their first IPv4 address, the BGP AS and neighbours (address, remote-as),
 * whether OSPF (and its process number) and RIP run. Read line by line from the IOS text the
 * topology names (tern-lab never configures routers itself: ternd reads the same file and is
 * the judge of its correctness; this reader only looks, and skips what it does not know).
 */
#ifndef TERN_LAB_ROUTER_CONF_H
#define TERN_LAB_ROUTER_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/ifname.h"

#define ROUTER_CONF_IFACES 32
#define ROUTER_CONF_NEIGHBORS 32
#define ROUTER_CONF_ADDR_MAX 46

struct router_conf_iface {
	struct ifname name;
	char address[ROUTER_CONF_ADDR_MAX]; /* "192.168.1.2/24", "" if none */
};

struct router_conf_neighbor {
	char address[ROUTER_CONF_ADDR_MAX]; /* as written after `neighbor` */
	uint32_t remote_as;
};

struct router_conf {
	uint32_t bgp_as;      /* 0: no `router bgp` */
	unsigned ospf_process; /* 0: no `router ospf` */
	bool rip;
	struct router_conf_iface ifaces[ROUTER_CONF_IFACES];
	size_t iface_count;
	struct router_conf_neighbor neighbors[ROUTER_CONF_NEIGHBORS];
	size_t neighbor_count;
};

/* Reads the file; false with a message if it cannot be opened. */
bool router_conf_read(const char *path, struct router_conf *out, char *err, size_t err_size);
/* The interface whose Linux name is linux_name, or NULL. */
const struct router_conf_iface *router_conf_iface(const struct router_conf *c, const char *linux_name);
/* True if one of the router's interface addresses (without its length) is address. */
bool router_conf_has_address(const struct router_conf *c, const char *address);

#endif
