/* DOC: ICMP echo requests and their answers as bytes (see icmp_echo.h). */
#include "lib/icmp_echo.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <string.h>

#include "lib/inet_checksum.h"


size_t icmp_echo_build(uint8_t *buf, size_t cap, uint16_t id, uint16_t seq, size_t payload)
{
	size_t len = ICMP_ECHO_HEADER + payload;
	if (len > cap)
		return 0;
	memset(buf, 0, ICMP_ECHO_HEADER);
	buf[0] = ICMP_ECHO;
	buf[4] = (uint8_t)(id >> 8), buf[5] = (uint8_t)id;
	buf[6] = (uint8_t)(seq >> 8), buf[7] = (uint8_t)seq;
	for (size_t i = 0; i < payload; i++)
		buf[ICMP_ECHO_HEADER + i] = (uint8_t)i;
	uint16_t sum = htons(inet_checksum(buf, len));
	memcpy(buf + 2, &sum, 2);
	return len;
}

const char *icmp_unreachable_text(int code)
{
	switch (code) {
	case 0: return "Destination network unreachable";
	case 1: return "Destination host unreachable";
	case 2: return "Destination protocol unreachable";
	case 3: return "Destination port unreachable";
	case 4: return "Fragmentation needed";
	case 9: case 10: case 13: return "Communication administratively prohibited";
	default: return "Destination unreachable";
	}
}

enum icmp_answer icmp_echo_classify(const uint8_t *packet, size_t len, uint32_t from, uint32_t dst,
                                    uint16_t id, uint16_t seq, int *type_out, int *code_out)
{
	if (len < 20)
		return ICMP_ANSWER_NONE;
	size_t ihl = (size_t)(packet[0] & 0x0f) * 4;
	if (ihl < 20 || len < ihl + 8)
		return ICMP_ANSWER_NONE;
	const uint8_t *icmp = packet + ihl;
	len -= ihl;
	uint8_t type = icmp[0];
	*type_out = type;
	*code_out = icmp[1];
	if (type == ICMP_ECHOREPLY) {
		uint16_t rid = (uint16_t)(icmp[4] << 8 | icmp[5]), rseq = (uint16_t)(icmp[6] << 8 | icmp[7]);
		return rid == id && rseq == seq && from == dst ? ICMP_ANSWER_ECHO_REPLY : ICMP_ANSWER_NONE;
	}
	if (type != ICMP_TIME_EXCEEDED && type != ICMP_DEST_UNREACH)
		return ICMP_ANSWER_NONE;
	/* the quoted datagram: its IP header, then our echo request's first 8 bytes */
	const uint8_t *inner = icmp + 8;
	size_t inner_len = len - 8;
	if (inner_len < 20)
		return ICMP_ANSWER_NONE;
	size_t inner_ihl = (size_t)(inner[0] & 0x0f) * 4;
	if (inner_ihl < 20 || inner_len < inner_ihl + 8 || inner[9] != IPPROTO_ICMP)
		return ICMP_ANSWER_NONE;
	uint32_t inner_dst;
	memcpy(&inner_dst, inner + 16, 4);
	const uint8_t *echo = inner + inner_ihl;
	uint16_t rid = (uint16_t)(echo[4] << 8 | echo[5]), rseq = (uint16_t)(echo[6] << 8 | echo[7]);
	if (ntohl(inner_dst) != dst || echo[0] != ICMP_ECHO || rid != id || rseq != seq)
		return ICMP_ANSWER_NONE;
	return type == ICMP_TIME_EXCEEDED ? ICMP_ANSWER_TIME_EXCEEDED : ICMP_ANSWER_UNREACHABLE;
}
