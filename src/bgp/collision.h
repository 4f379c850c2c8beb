/*
 * DOC: which of a peer's two connections survives a collision (RFC 4271 §6.8), sans-I/O.
 *
 * A peer may own one connection it initiated and one the peer initiated. Both sides must
 * close the same one, whatever order the messages of the two connections arrive in: a side
 * that keeps the connection the other side closed loses the session and waits for the next
 * connect. The rule here makes every Tern agree with itself, and with a peer that follows
 * RFC 4271 to the letter, in every interleaving (tests/unit/test_session_sim.c tries them):
 *
 *   - The winner is the connection initiated by the speaker with the higher BGP Identifier
 *     (§6.8); equal identifiers (possible between ASes, RFC 6286 §2.2) are broken by the
 *     higher AS number (RFC 6286 §2.3).
 *   - A collision is seen when a valid OPEN arrives and the other connection has sent its
 *     OPEN (OpenSent or later). §6.8 lets a speaker look at OpenSent connections when it
 *     knows the peer's identifier: the OPEN just received tells it.
 *   - An OPEN on the loser closes it with Cease 6/7, whichever state the winner is in (with
 *     the winner Established this is the RFC's "collision with an existing Established
 *     connection": the new one closes).
 *   - An OPEN on the winner closes the loser with Cease 6/7 while the loser is in OpenSent.
 *     Once the loser is in OpenConfirm or Established we have sent it our KEEPALIVE, so the
 *     peer may be Established on it, and an RFC 4271 peer then keeps it and closes the
 *     winner: closing the loser too would leave nothing. So nothing is closed then: the peer
 *     either closes the loser (it saw the winner's OPEN in time) or the winner, and whichever
 *     survives is kept; should the winner reach Established, the loser is closed then.
 *   - A connection that never sent an OPEN (our connect still in progress) is dropped
 *     without a word once the other is Established: the peer cannot have judged by it.
 *
 * Graceful restart (RFC 4724 §4.2: a new connection from a restarting peer replaces an
 * Established one) will be one more input to bgp_collision_on_open.
 */
#ifndef TERN_BGP_COLLISION_H
#define TERN_BGP_COLLISION_H

#include <stdbool.h>
#include <stdint.h>

#include "bgp/fsm.h"

enum bgp_collision_verdict {
	BGP_COLLISION_NONE,        /* nothing to close: go on */
	BGP_COLLISION_CLOSE_THIS,  /* Cease 6/7 on the connection the event is about */
	BGP_COLLISION_CLOSE_OTHER, /* Cease 6/7 on the other connection */
	BGP_COLLISION_ABORT_OTHER, /* close the other without a message: it sent no OPEN */
	BGP_COLLISION_WAIT,        /* keep both: the peer's choice decides (see above) */
};

/* The two speakers' identities: the local one and the peer's from its OPEN. */
struct bgp_collision_ids {
	uint32_t local_id, local_as;
	uint32_t remote_id, remote_as;
};

/* Is the connection initiated by us the one that survives? */
bool bgp_collision_local_wins(const struct bgp_collision_ids *ids);

/* A valid OPEN arrived on a connection (initiated by us if this_outgoing) in OpenSent;
 * other_state is the peer's other connection's (Idle when there is none). */
enum bgp_collision_verdict bgp_collision_on_open(const struct bgp_collision_ids *ids, bool this_outgoing,
						 enum bgp_state other_state);

/* A connection (this_outgoing as above) reached Established; what of the other? */
enum bgp_collision_verdict bgp_collision_on_established(const struct bgp_collision_ids *ids, bool this_outgoing,
							enum bgp_state other_state);

/* Text for the log and show: "the peer's" / "our" winner explanation. */
const char *bgp_collision_verdict_name(enum bgp_collision_verdict verdict);

#endif
