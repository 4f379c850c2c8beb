/* DOC: IP address values (see addr.h). */
#include "addr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

bool ip_addr_parse(const char *text, struct ip_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, text, out->bytes) == 1) {
		out->family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, text, out->bytes) == 1) {
		out->family = AF_INET6;
		return true;
	}
	memset(out, 0, sizeof(*out));
	return false;
}

const char *ip_addr_format(const struct ip_addr *a, char *buf)
{
	if (!a->family || !inet_ntop(a->family, a->bytes, buf, IP_ADDR_STRLEN))
		snprintf(buf, IP_ADDR_STRLEN, "-");
	return buf;
}

static size_t ip_addr_size(const struct ip_addr *a)
{
	return a->family == AF_INET ? 4 : a->family == AF_INET6 ? 16 : 0;
}

bool ip_addr_equal(const struct ip_addr *a, const struct ip_addr *b)
{
	return a->family == b->family && memcmp(a->bytes, b->bytes, ip_addr_size(a)) == 0;
}

int ip_addr_compare(const struct ip_addr *a, const struct ip_addr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->bytes, b->bytes, ip_addr_size(a));
}

uint32_t ip_addr_v4(const struct ip_addr *a)
{
	return ((uint32_t)a->bytes[0] << 24) | ((uint32_t)a->bytes[1] << 16) |
	       ((uint32_t)a->bytes[2] << 8) | a->bytes[3];
}

struct ip_addr ip_addr_from_v4(uint32_t v)
{
	struct ip_addr a = { .family = AF_INET };
	a.bytes[0] = (uint8_t)(v >> 24);
	a.bytes[1] = (uint8_t)(v >> 16);
	a.bytes[2] = (uint8_t)(v >> 8);
	a.bytes[3] = (uint8_t)v;
	return a;
}

socklen_t ip_addr_to_sockaddr(const struct ip_addr *a, uint16_t port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		memcpy(&s6->sin6_addr, a->bytes, 16);
		return sizeof(*s6);
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	s4->sin_family = AF_INET;
	s4->sin_port = htons(port);
	memcpy(&s4->sin_addr, a->bytes, 4);
	return sizeof(*s4);
}

bool ip_addr_from_sockaddr(const struct sockaddr *sa, struct ip_addr *out, uint16_t *port)
{
	memset(out, 0, sizeof(*out));
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;
		out->family = AF_INET;
		memcpy(out->bytes, &s4->sin_addr, 4);
		if (port)
			*port = ntohs(s4->sin_port);
		return true;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;
		/* An IPv4 peer reaching a dual-stack socket shows up as ::ffff:a.b.c.d */
		if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
			out->family = AF_INET;
			memcpy(out->bytes, &s6->sin6_addr.s6_addr[12], 4);
		} else {
			out->family = AF_INET6;
			memcpy(out->bytes, &s6->sin6_addr, 16);
		}
		if (port)
			*port = ntohs(s6->sin6_port);
		return true;
	}
	return false;
}

const char *ipv4_format(uint32_t v, char *buf)
{
	snprintf(buf, 16, "%u.%u.%u.%u", v >> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255);
	return buf;
}

bool ipv4_parse(const char *text, uint32_t *host_order)
{
	struct in_addr in;
	if (inet_pton(AF_INET, text, &in) != 1)
		return false;
	*host_order = ntohl(in.s_addr);
	return true;
}
