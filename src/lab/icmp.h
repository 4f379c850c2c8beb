/*
 * DOC: ICMP echo probes for a lab PC's ping and trace (raw ICMP socket, IPv4).
 *
 * One probe is an echo request with a chosen TTL; its answer is the echo reply, or the ICMP
 * error (time exceeded, destination unreachable) that quotes it. Called inside the PC's
 * namespace. A SIGINT during the wait ends it early (icmp_interrupted is then set).
 */
#ifndef TERN_LAB_ICMP_H
#define TERN_LAB_ICMP_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "lib/icmp_echo.h" /* the request and its answers as bytes; ICMP_ANSWER_NONE: timed out */

struct icmp_result {
	enum icmp_answer answer;
	uint32_t from;      /* host order */
	int ttl;            /* of the answer */
	int type, code;
	double ms;
	int send_errno;
};

extern volatile sig_atomic_t icmp_interrupted;

/* A raw ICMP socket, or -1 (errno). */
int icmp_open(void);
/* Sends echo request (id, seq) to dst with ttl and waits up to timeout_ms for its answer. */
void icmp_probe(int fd, uint32_t dst, int ttl, uint16_t id, uint16_t seq, int timeout_ms,
		struct icmp_result *out);

#endif
