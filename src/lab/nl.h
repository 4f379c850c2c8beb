/*
 * DOC: the netlink operations tern-lab needs (libmnl): veth pairs created directly inside two
 * namespaces, links up and down, addresses and routes.
 *
 * Every function takes a route netlink socket that belongs to one namespace (see
 * netns_nl_open()); a netlink socket acts in the namespace it was opened in, whatever the
 * calling thread's namespace is later. Failures return false with errno set (the kernel's
 * error for a rejected request).
 */
#ifndef TERN_LAB_NL_H
#define TERN_LAB_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mnl_socket;

struct mnl_socket *nl_open(void);
void nl_close(struct mnl_socket *nl);

/* Creates veth `name` in nl's namespace with its peer `peer_name` in the namespace of the
 * file descriptor peer_netns_fd (RTM_NEWLINK, VETH_INFO_PEER carrying IFLA_NET_NS_FD): the
 * pair never exists in any other namespace. */
bool nl_veth_create(struct mnl_socket *nl, const char *name, const char *peer_name, int peer_netns_fd);

/* Interface index of `name`, 0 if there is none. */
unsigned nl_ifindex(struct mnl_socket *nl, const char *name);

bool nl_link_set_up(struct mnl_socket *nl, const char *name, bool up);

struct nl_link_info {
	bool exists;
	bool admin_up;
	bool carrier;
	unsigned mtu;
	uint8_t mac[6];
	char kind[16];   /* "veth", ... ("" if not told) */
};
bool nl_link_get(struct mnl_socket *nl, const char *name, struct nl_link_info *out);

bool nl_addr_add(struct mnl_socket *nl, unsigned ifindex, int family, const void *addr, unsigned len);
/* Removes every IPv4 address of the interface. */
bool nl_addr_flush_v4(struct mnl_socket *nl, unsigned ifindex);
/* First IPv4 address of the interface (host order); false if it has none. */
bool nl_addr_get_v4(struct mnl_socket *nl, unsigned ifindex, uint32_t *addr, unsigned *len);

/* IPv4 route dst/len via gateway (host order), created or replaced; oif 0 = any. */
bool nl_route_replace_v4(struct mnl_socket *nl, uint32_t dst, unsigned len, uint32_t gateway, unsigned oif);
bool nl_route_delete_v4(struct mnl_socket *nl, uint32_t dst, unsigned len);
/* Gateway of the IPv4 default route (host order), 0 if none. */
uint32_t nl_default_gateway_v4(struct mnl_socket *nl);

/* Names of every link in nl's namespace, one call per link. */
bool nl_link_foreach(struct mnl_socket *nl, void (*fn)(const char *name, const char *kind, void *arg), void *arg);

#endif
