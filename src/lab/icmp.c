/* DOC: ICMP echo probes over a raw socket (see icmp.h). */
#include "lab/icmp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

volatile sig_atomic_t icmp_interrupted;

#define PAYLOAD 56 /* 84 bytes with the IP and ICMP headers, as VPCS and ping send */

int icmp_open(void)
{
	return socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static uint16_t checksum(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t sum = 0;
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
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

/* Does the ICMP message at icmp (len bytes) answer our probe (id, seq)? */
static enum icmp_answer classify(const uint8_t *icmp, size_t len, uint32_t dst, uint32_t from,
				 uint16_t id, uint16_t seq)
{
	if (len < 8)
		return ICMP_ANSWER_NONE;
	uint8_t type = icmp[0];
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
	size_t ihl = (size_t)(inner[0] & 0x0f) * 4;
	if (ihl < 20 || inner_len < ihl + 8 || inner[9] != IPPROTO_ICMP)
		return ICMP_ANSWER_NONE;
	uint32_t inner_dst;
	memcpy(&inner_dst, inner + 16, 4);
	const uint8_t *echo = inner + ihl;
	uint16_t rid = (uint16_t)(echo[4] << 8 | echo[5]), rseq = (uint16_t)(echo[6] << 8 | echo[7]);
	if (ntohl(inner_dst) != dst || echo[0] != ICMP_ECHO || rid != id || rseq != seq)
		return ICMP_ANSWER_NONE;
	return type == ICMP_TIME_EXCEEDED ? ICMP_ANSWER_TIME_EXCEEDED : ICMP_ANSWER_UNREACHABLE;
}

void icmp_probe(int fd, uint32_t dst, int ttl, uint16_t id, uint16_t seq, int timeout_ms,
		struct icmp_result *out)
{
	memset(out, 0, sizeof(*out));
	uint8_t pkt[8 + PAYLOAD] = { ICMP_ECHO, 0 };
	pkt[4] = (uint8_t)(id >> 8), pkt[5] = (uint8_t)id;
	pkt[6] = (uint8_t)(seq >> 8), pkt[7] = (uint8_t)seq;
	for (int i = 0; i < PAYLOAD; i++)
		pkt[8 + i] = (uint8_t)i;
	uint16_t sum = checksum(pkt, sizeof(pkt));
	memcpy(pkt + 2, &sum, 2);
	setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(dst) };
	double start = now_ms();
	if (sendto(fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&to, sizeof(to)) < 0) {
		out->answer = ICMP_ANSWER_SEND_FAILED;
		out->send_errno = errno;
		return;
	}
	double deadline = start + timeout_ms;
	for (;;) {
		double left = deadline - now_ms();
		if (left <= 0 || icmp_interrupted)
			return;
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int r = poll(&pfd, 1, (int)left + 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			continue;
		uint8_t buf[1500];
		struct sockaddr_in from;
		socklen_t flen = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);
		if (n < 20)
			continue;
		size_t ihl = (size_t)(buf[0] & 0x0f) * 4;
		if ((size_t)n < ihl + 8)
			continue;
		uint32_t src = ntohl(from.sin_addr.s_addr);
		enum icmp_answer a = classify(buf + ihl, (size_t)n - ihl, dst, src, id, seq);
		if (a == ICMP_ANSWER_NONE)
			continue;
		out->answer = a;
		out->from = src;
		out->ttl = buf[8];
		out->type = buf[ihl];
		out->code = buf[ihl + 1];
		out->ms = now_ms() - start;
		return;
	}
}
