/*
 * DOC: UPDATE packing (RFC 4271 §4.3, RFC 4760 §3-§4, RFC 4724 §2), pure.
 *
 * The encoding half of export: given a peer's path attributes (already in wire form, or as a
 * struct bgp_attrs to encode for a 2- or 4-octet AS session) and a run of prefixes to announce
 * or withdraw, writes complete UPDATE messages, header included, each within the session's
 * message limit (4096 octets, or 65535 with RFC 8654 extended messages). Which prefixes a peer
 * is owed, with which attributes, is the route engine's business (src/bgp/export.c); here are
 * only bytes. No daemon state, no I/O, no allocation, no static buffers: the caller owns every
 * buffer.
 *
 * Prefixes travel in their wire form, the way the NLRI and Withdrawn Routes fields carry them
 * (RFC 4271 §4.3): a length octet, then ceil(length / 8) address octets, back to back. A
 * struct bgp_update_prefixes is a cursor over such a run: each packing call takes as many
 * prefixes from the cursor as fit in one message and moves it on, so the caller writes
 *
 *     while (prefixes.at < prefixes.len && (n = bgp_update_pack_announce(buf, max, ...)))
 *             send(buf, n);
 *
 * IPv4 unicast goes in the UPDATE's own fields; IPv6 unicast in MP_REACH_NLRI (with the
 * 16-octet next hop) and MP_UNREACH_NLRI (RFC 4760), always written with the Extended Length
 * flag. An MP_REACH_NLRI message puts that attribute first (RFC 7606 §5.1).
 */
#ifndef TERN_WIRE_BGP_UPDATE_PACK_H
#define TERN_WIRE_BGP_UPDATE_PACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wire/bgp.h"
#include "wire/bgp_attr.h"

/* A run of wire-form prefixes, the position of the first one not yet packed, and how many
 * have been packed so far (for the caller's counts of prefixes sent). */
struct bgp_update_prefixes {
	const uint8_t *data;
	size_t len;
	size_t at;
	size_t packed;
};

/* Octets of the wire-form prefix of this length (length octet included). */
static inline size_t bgp_prefix_wire_size(uint8_t prefix_len)
{
	return 1 + (prefix_len + 7u) / 8u;
}

/* Appends one prefix in wire form (the address's first ceil(len / 8) octets) to out, which
 * must hold 17 octets; returns the octets written. */
size_t bgp_prefix_wire_encode(uint8_t *out, uint8_t prefix_len, const uint8_t *addr);

/*
 * One UPDATE withdrawing prefixes of afi (BGP_AFI_IPV4 in Withdrawn Routes, BGP_AFI_IPV6 in
 * MP_UNREACH_NLRI with SAFI unicast), as many from the cursor as fit in max octets, into buf
 * (which holds max octets). Returns the message length, or 0 when the cursor is at its end or
 * nothing fits.
 */
size_t bgp_update_pack_withdrawn(uint8_t *buf, size_t max, uint16_t afi, struct bgp_update_prefixes *prefixes);

/* What the announced prefixes of one group share. */
struct bgp_update_reach {
	uint16_t afi;              /* BGP_AFI_IPV4 or BGP_AFI_IPV6 (unicast) */
	const uint8_t *attributes; /* encoded path attributes, NEXT_HOP included for IPv4; for
				    * IPv6 without MP_REACH_NLRI, which the packer writes */
	size_t attributes_len;
	uint8_t next_hop[16];      /* IPv6: MP_REACH_NLRI's global next hop */
};

/*
 * One UPDATE announcing prefixes with the reach's attributes, as many from the cursor as fit.
 * Returns the message length, or 0 when the cursor is at its end or the attributes leave no
 * room for a single prefix (then nothing of this group can be sent).
 */
size_t bgp_update_pack_announce(uint8_t *buf, size_t max, const struct bgp_update_reach *reach,
				struct bgp_update_prefixes *prefixes);

/* The End-of-RIB marker (RFC 4724 §2): for IPv4 unicast an UPDATE with no withdrawn routes,
 * no attributes and no NLRI; for any other AFI/SAFI an UPDATE holding only an empty
 * MP_UNREACH_NLRI. Returns the message length (23, or 29), or 0 if max is too small. */
size_t bgp_update_pack_end_of_rib(uint8_t *buf, size_t max, uint16_t afi, uint8_t safi);

/*
 * The attributes of a set in wire form for one session: on a session without the 4-octet AS
 * capability (as4 false), first the RFC 6793 §4.2.2 split (AS4_PATH and AS4_AGGREGATOR when
 * an AS does not fit in two octets, AS_TRANS in their place), then bgp_attr_encode's
 * canonical form. attrs is not changed. Returns the octets written to buf, or 0 when they do
 * not fit in cap.
 */
size_t bgp_update_attributes_encode(uint8_t *buf, size_t cap, const struct bgp_attrs *attrs, bool as4);

#endif
