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

void icmp_probe(int fd, uint32_t dst, int ttl, uint16_t id, uint16_t seq, int timeout_ms,
		struct icmp_result *out)
{
	memset(out, 0, sizeof(*out));
	uint8_t pkt[ICMP_ECHO_HEADER + PAYLOAD];
	icmp_echo_build(pkt, sizeof(pkt), id, seq, PAYLOAD);
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
		if (n < 0)
			continue;
		uint32_t src = ntohl(from.sin_addr.s_addr);
		int type, code;
		enum icmp_answer a = icmp_echo_classify(buf, (size_t)n, src, dst, id, seq, &type, &code);
		if (a == ICMP_ANSWER_NONE)
			continue;
		out->answer = a;
		out->type = type;
		out->code = code;
		out->from = src;
		out->ttl = buf[8];
		out->ms = now_ms() - start;
		return;
	}
}
