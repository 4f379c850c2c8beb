/*
 * DOC: a session's address families: one row per AFI/SAFI (inside the BGP module).
 *
 * A BGP session carries several address families at once (RFC 4760): what was negotiated,
 * End-of-RIB, prefix counts and the maximum-prefix state are all per AFI/SAFI, so they live
 * in one small table indexed by a compact index (enum bgp_afi_safi_index), not in per-family
 * special cases spread over the module.
 *
 * Who writes what:
 * - The session engine (peer.c) computes struct bgp_afi_safi_negotiated when a connection
 *   reaches Established (bgp_afi_safi_negotiate, sans-I/O: both OPENs' capabilities in, the
 *   families and flags out), keeps it in the session snapshot for `show`, and carries a copy
 *   in the PEER_UP event (events.h).
 * - The route engine installs it at PEER_UP (bgp_afi_safi_session_up) into the peer's
 *   struct bgp_afi_safi_table and from then on reads only the table: which families are
 *   exported to the peer (export.c), which End-of-RIB markers go out after the initial table
 *   and which came in (RFC 4724 §2), the accepted prefixes per family (rib.c), the prefixes
 *   announced and withdrawn both ways (rib.c as received, export.c as sent) and the
 *   maximum-prefix verdict per family (max_prefix.c). At PEER_DOWN the session part is
 *   cleared (bgp_afi_safi_session_down); the accepted counts stay until the walk removed
 *   the paths, the announced and withdrawn ones for the peer's life.
 *   Whole-peer numbers are sums over the rows (bgp_afi_safi_prefixes_accepted), never kept
 *   beside them.
 *
 * Negotiation (RFC 4760 §8 and common practice): a family is spoken when both OPENs listed
 * it in a Multiprotocol Extensions capability; a side that sent no such capability at all
 * speaks IPv4 unicast only. A pair we do not know (another AFI or SAFI) is ignored: it has
 * no row, so nothing is ever sent or accepted for it.
 *
 * How the later work plugs in (additions, not another refactor):
 * - More families (IPv6 over an IPv4 session, VPN, flowspec...): a new enum value before
 *   BGP_AFI_SAFI_COUNT and its row in afi_safi.c's table. Our OPEN then lists every
 *   configured family (bgp_fsm_config_for_peer, session.c: today the peer address's family
 *   only); export.c and rib.c already go through the index, and the Loc-RIB cursor walks the
 *   families the dump needs. The ROUTE-REFRESH we ask for (peer.c) becomes one per negotiated
 *   family instead of the session address's family.
 * - Graceful restart (RFC 4724): the capability is already decoded (struct bgp_capabilities
 *   .gr). Negotiation fills the fields marked "graceful restart" below: the peer's restart
 *   time and R bit in struct bgp_afi_safi_negotiated, and per family whether the peer offered
 *   GR for it and its Forwarding State bit (RFC 4724 §3). The per-family row gets `stale`:
 *   at a session loss the peer's paths of a family with GR are marked stale instead of walked
 *   away (§4.2), and end_of_rib_received (already tracked) or the restart timer sweeps them.
 */
#ifndef TERN_BGP_AFI_SAFI_H
#define TERN_BGP_AFI_SAFI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bgp/max_prefix.h"
#include "wire/bgp.h"

/* The families a session can carry, compact: a row of struct bgp_afi_safi_table each. The
 * numbers are also IOS's "afi" in the maximum-prefix messages (0 = IPv4 unicast). */
enum bgp_afi_safi_index {
	BGP_AFI_SAFI_IPV4_UNICAST,
	BGP_AFI_SAFI_IPV6_UNICAST,
	BGP_AFI_SAFI_COUNT,
};

/* What OPEN negotiation gave one session (bgp_afi_safi_negotiate). */
struct bgp_afi_safi_negotiated {
	bool family[BGP_AFI_SAFI_COUNT]; /* both sides speak it (RFC 4760 §8) */
	bool route_refresh;              /* the peer takes ROUTE-REFRESH (RFC 2918 §3) */
	bool enhanced_route_refresh;     /* both sides offered it (RFC 7313 §3) */
	/* Graceful restart, a later issue (RFC 4724 §3): the peer's restart time and R bit, and
	 * per family `graceful_restart[i]` (both offered GR for it) and `forwarding_preserved[i]`
	 * (the peer's F bit) go here. */
};

/* One family of one peer, as the route engine sees it. */
struct bgp_afi_safi_state {
	bool negotiated;                 /* this session speaks it (installed at PEER_UP) */
	bool end_of_rib_sent;            /* our initial table of it is out (RFC 4724 §2) */
	bool end_of_rib_received;        /* the peer's initial table of it is in */
	uint64_t prefixes_accepted;      /* the peer's paths of the family in the Loc-RIB now */
	/* Prefixes as UPDATEs carried them, over every session of the peer (never reset): */
	uint64_t announced_received;     /* announced by the peer and put to the import policy:
	                                    pre-policy, whatever the policy then did (rib.c) */
	uint64_t withdrawn_received;     /* withdrawn by the peer, or treated as withdrawn before
	                                    any policy: RFC 7606, loops, refused (rib.c) */
	uint64_t announced_sent;         /* announced to the peer: the prefixes advertised */
	uint64_t withdrawn_sent;         /* withdrawn from the peer (export.c) */
	struct bgp_max_prefix_family max_prefix; /* what was logged about the limit */
	/* Graceful restart, a later issue (RFC 4724 §4.2): `stale`, the peer's paths of the
	 * family are kept, marked stale, until end_of_rib_received or the restart timer. */
};

/* A peer's table (struct bgp_peer.afi_safi): the session's negotiation and a row per family. */
struct bgp_afi_safi_table {
	struct bgp_afi_safi_negotiated session;
	struct bgp_afi_safi_state family[BGP_AFI_SAFI_COUNT];
};

/* The index of an AFI/SAFI pair, false when it has no row (not a family we speak). */
bool bgp_afi_safi_index(uint16_t afi, uint8_t safi, enum bgp_afi_safi_index *index);
/* The unicast family of an address family (AF_INET, AF_INET6). */
enum bgp_afi_safi_index bgp_afi_safi_unicast(uint8_t address_family);
uint16_t bgp_afi_safi_afi(enum bgp_afi_safi_index index);
uint8_t bgp_afi_safi_safi(enum bgp_afi_safi_index index);

/* OPEN negotiation: our capabilities and the peer's in, what the session speaks out. */
void bgp_afi_safi_negotiate(const struct bgp_capabilities *sent, const struct bgp_capabilities *received,
			    struct bgp_afi_safi_negotiated *out);

/* A session reached Established (PEER_UP): its negotiation is installed, End-of-RIB starts
 * over both ways. Counts and maximum-prefix state are left as they are. */
void bgp_afi_safi_session_up(struct bgp_afi_safi_table *table, const struct bgp_afi_safi_negotiated *negotiated);
/* The session ended: nothing is negotiated any more. */
void bgp_afi_safi_session_down(struct bgp_afi_safi_table *table);
/* The peer's paths in the Loc-RIB now, every family's (what `show` calls received, as IOS's
 * PfxRcd: after the inbound policy). */
uint64_t bgp_afi_safi_prefixes_accepted(const struct bgp_afi_safi_table *table);
/* Is the peer's session speaking this family now? */
bool bgp_afi_safi_spoken(const struct bgp_afi_safi_table *table, enum bgp_afi_safi_index index);

/* Is this UPDATE body an End-of-RIB marker (RFC 4724 §2: an UPDATE with nothing but, for
 * IPv4 unicast, nothing; for another family an MP_UNREACH_NLRI with its AFI/SAFI and no
 * withdrawn routes)? Which family's, in index; false also for a family without a row. */
bool bgp_afi_safi_end_of_rib(const uint8_t *body, size_t len, enum bgp_afi_safi_index *index);

#endif
