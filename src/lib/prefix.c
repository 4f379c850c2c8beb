/*
 * DOC: IP prefixes as values (see prefix.h).
 */
#include "lib/prefix.h"

#include <stdio.h>
#include <string.h>

void prefix_clear_host_bits(struct prefix *p)
{
	size_t size = prefix_addr_size(p);
	for (size_t i = 0; i < size; i++) {
		int bits = (int)p->len - (int)i * 8;
		uint8_t mask = bits >= 8 ? 0xff : bits <= 0 ? 0 : (uint8_t)(0xff << (8 - bits));
		p->addr[i] &= mask;
	}
	memset(p->addr + size, 0, sizeof(p->addr) - size);
}

struct prefix prefix_make(const struct ip_addr *addr, uint8_t len)
{
	struct prefix p = { .family = addr->family, .len = len };
	memcpy(p.addr, addr->bytes, prefix_addr_size(&p));
	prefix_clear_host_bits(&p);
	return p;
}

struct prefix prefix_from_v4(uint32_t host_order, uint8_t len)
{
	struct ip_addr a = ip_addr_from_v4(host_order);
	return prefix_make(&a, len);
}

bool prefix_has_host_bits(const struct ip_addr *addr, uint8_t len)
{
	struct prefix p = prefix_make(addr, len);
	return memcmp(p.addr, addr->bytes, prefix_addr_size(&p)) != 0;
}

struct ip_addr prefix_address(const struct prefix *p)
{
	struct ip_addr a = { .family = p->family };
	memcpy(a.bytes, p->addr, prefix_addr_size(p));
	return a;
}

bool prefix_contains(const struct prefix *outer, const struct prefix *inner)
{
	if (inner->family != outer->family || inner->len < outer->len)
		return false;
	for (unsigned bit = 0; bit < outer->len; bit++) {
		uint8_t mask = (uint8_t)(0x80 >> (bit % 8));
		if ((inner->addr[bit / 8] & mask) != (outer->addr[bit / 8] & mask))
			return false;
	}
	return true;
}

size_t prefix_hash_input(const struct prefix *p, uint8_t out[PREFIX_HASH_INPUT_MAX])
{
	size_t size = prefix_addr_size(p);
	memcpy(out, p->addr, size);
	out[size] = p->len;
	return size + 1;
}

const char *prefix_format_address(const struct prefix *p, char *buf)
{
	struct ip_addr a = prefix_address(p);
	return ip_addr_format(&a, buf);
}

const char *prefix_format(const struct prefix *p, char *buf)
{
	char addr[IP_ADDR_STRLEN];
	snprintf(buf, PREFIX_STRLEN, "%s/%u", prefix_format_address(p, addr), p->len);
	return buf;
}
