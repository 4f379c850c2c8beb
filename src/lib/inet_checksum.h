/*
 * DOC: the Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of
 * the data as 16-bit big-endian words (an odd last byte padded with zero), in host order.
 * ICMP (RFC 792) and OSPF packets (RFC 2328 D.4.1) use it.
 */
#ifndef TERN_LIB_INET_CHECKSUM_H
#define TERN_LIB_INET_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

static inline uint16_t inet_checksum(const uint8_t *data, size_t len)
{
	uint32_t sum = 0;
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(data[i] << 8 | data[i + 1]);
	if (len & 1)
		sum += (uint32_t)data[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

#endif
