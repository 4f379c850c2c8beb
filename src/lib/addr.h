/*
 * DOC: IP addresses as values.
 *
 * struct ip_addr holds an IPv4 or IPv6 address in network byte order, small enough to copy
 * and compare by value; helpers convert to and from text and socket addresses.
 */
#ifndef TERN_LIB_ADDR_H
#define TERN_LIB_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define IP_ADDR_STRLEN 46

struct ip_addr {
	uint8_t family; /* AF_INET or AF_INET6; 0 = unset */
	uint8_t bytes[16];
};

bool ip_addr_parse(const char *text, struct ip_addr *out);
/* Writes the address as text into buf (at least IP_ADDR_STRLEN); returns buf. */
const char *ip_addr_format(const struct ip_addr *a, char *buf);
bool ip_addr_equal(const struct ip_addr *a, const struct ip_addr *b);
int ip_addr_compare(const struct ip_addr *a, const struct ip_addr *b);
static inline bool ip_addr_is_set(const struct ip_addr *a) { return a->family != 0; }
static inline bool ip_addr_is_v4(const struct ip_addr *a) { return a->family == 2 /* AF_INET */; }
/* IPv4 only: the address as a host-order integer. */
uint32_t ip_addr_v4(const struct ip_addr *a);
struct ip_addr ip_addr_from_v4(uint32_t host_order);
/* Socket address with a port; returns its length. */
socklen_t ip_addr_to_sockaddr(const struct ip_addr *a, uint16_t port, struct sockaddr_storage *ss);
bool ip_addr_from_sockaddr(const struct sockaddr *sa, struct ip_addr *out, uint16_t *port);

/* Dotted quad of a host-order IPv4 value, e.g. a BGP Identifier. buf >= 16. */
const char *ipv4_format(uint32_t host_order, char *buf);
bool ipv4_parse(const char *text, uint32_t *host_order);

#endif
