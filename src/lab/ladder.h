/*
 * DOC: a link's BGP, OSPF and RIP messages as a ladder in the terminal (the seed's first
 * picture, in text).
 *
 *         time  R2                                  R3
 *     0.000000  |-- TCP SYN ------------------------>|  192.168.2.1:40233 -> 192.168.2.2:179
 *     0.000034  |<-------------------- TCP SYN-ACK --|  192.168.2.2:179 -> 192.168.2.1:40233
 *     0.000811  |-- BGP OPEN ----------------------->|  [40233] My AS 100, Hold Time 180, BGP Identifier 1.1.1.1
 *               |                                    |  capabilities: Route Refresh, 4-Octet AS 100, ...
 *
 * A BGP message's fields start with its connection, named by the port that is not 179, so
 * the two connections of a collision can be told apart.
 * Frames go in one at a time (struct pcap_frame: from a live socket or a file); each is
 * parsed through the bounded reader (Ethernet, IPv4 or IPv6, TCP or UDP), and the messages
 * are decoded by Tern's own codecs (src/wire): BGP from TCP port 179, reassembled per
 * direction (a message may span segments, a segment may hold several), OSPFv2 (IP protocol
 * 89) and RIP (UDP port 520). TCP SYN, SYN-ACK, FIN and RST of port 179 are shown with their
 * ports; other frames (ARP, ICMP, bare ACKs) are counted, not shown.
 *
 * The left and right ends are the two MAC addresses of the link: named by the caller (a
 * lab's node names), or learnt from the frames (the first IP address each MAC sent from).
 * Everything is bounded: at most LADDER_MAX_FLOWS TCP directions are followed (the oldest is
 * forgotten), each buffers at most two maximal BGP messages; a gap in a stream (a frame the
 * capture lost) is shown and the stream resynchronises on the next BGP marker.
 */
#ifndef TERN_LAB_LADDER_H
#define TERN_LAB_LADDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lab/pcap.h"
#include "lib/strbuf.h"

#define LADDER_MAX_FLOWS 32
#define LADDER_NAME_MAX 48
#define LADDER_ARROW 36         /* characters between the two rails */
#define LADDER_PREFIXES_SHOWN 8 /* prefixes listed per UPDATE field, then "and N more" */

struct ladder;

struct ladder *ladder_new(FILE *out);
void ladder_free(struct ladder *l);
/* Names one end (side 0 left, 1 right) by its MAC address. */
void ladder_set_end(struct ladder *l, int side, const uint8_t mac[6], const char *name);
/* Learns the ends from a frame when they are not set (first two source MACs, each named by
 * its first IP source address). */
void ladder_learn(struct ladder *l, const struct pcap_frame *f);
/* Prints the heading (the two names over their rails). */
void ladder_heading(struct ladder *l);
/* Parses one frame and prints what it carries. The first frame's time is time 0. */
void ladder_frame(struct ladder *l, const struct pcap_frame *f);
/* Frames seen and messages printed so far. */
void ladder_counts(const struct ladder *l, size_t *frames, size_t *shown);

/* ---- message text (ladder_msg.c), used by ladder.c ---- */

/* What one direction of a BGP connection said in its OPEN (for AS path width and IBGP). */
struct ladder_bgp_side {
	bool open_seen;
	bool as4;
	uint32_t as;
};

/* One whole BGP message (header included): the arrow's label ("BGP OPEN") and the lines of
 * key fields. from/to: the sender's and receiver's OPEN state (updated by an OPEN). */
void ladder_bgp_text(const uint8_t *msg, size_t len, struct ladder_bgp_side *from, const struct ladder_bgp_side *to,
		     struct strbuf *label, struct strbuf *details);
/* One OSPFv2 packet (the IP payload). */
void ladder_ospf_text(const uint8_t *packet, size_t len, struct strbuf *label, struct strbuf *details);
/* One RIP message (the UDP payload). */
void ladder_rip_text(const uint8_t *payload, size_t len, struct strbuf *label, struct strbuf *details);

#endif
