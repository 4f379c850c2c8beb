/*
 * DOC: ICMP echo requests and the answers to them (RFC 792), as bytes: no socket here.
 *
 * Shared by tern-lab's PCs (lab/icmp.h: ping and trace) and ternd's `ping` and `traceroute`
 * (ctl/ping.h). A request is built into a buffer; an IPv4 packet read from a raw ICMP socket
 * is classified as the answer to one request (id, seq) or not: its echo reply, or an ICMP
 * time exceeded or destination unreachable quoting it (RFC 792: the quoted IP header and the
 * first 8 bytes of the request, which hold id and seq).
 */
#ifndef TERN_LIB_ICMP_ECHO_H
#define TERN_LIB_ICMP_ECHO_H

#include <stddef.h>
#include <stdint.h>

enum icmp_answer {
	ICMP_ANSWER_NONE,     /* not an answer to this request (or, for a probe, timed out) */
	ICMP_ANSWER_ECHO_REPLY,
	ICMP_ANSWER_TIME_EXCEEDED,
	ICMP_ANSWER_UNREACHABLE,
	ICMP_ANSWER_SEND_FAILED,   /* sendto failed (lab/icmp.h's probe) */
};

#define ICMP_ECHO_HEADER 8 /* type, code, checksum, id, seq */

/* An echo request (id, seq) with `payload` bytes of data into buf; returns its length, 0 if
 * buf is too small. The data counts up from 0, as ping's does. */
size_t icmp_echo_build(uint8_t *buf, size_t cap, uint16_t id, uint16_t seq, size_t payload);
/* packet: an IPv4 packet with its header, as a raw socket returns it; from: its source
 * (host order); dst: where the request (id, seq) went (host order). *type and *code get the
 * ICMP type and code of an answer. */
enum icmp_answer icmp_echo_classify(const uint8_t *packet, size_t len, uint32_t from, uint32_t dst,
                                    uint16_t id, uint16_t seq, int *type, int *code);
/* "Destination host unreachable" and the like for type 3 codes. */
const char *icmp_unreachable_text(int code);

#endif
