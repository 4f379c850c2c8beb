/*
 * DOC: the collision rule of collision.h. Two small pure functions; the proof that they
 * agree with each other across two speakers is tests/unit/test_session_sim.c.
 */
#include "bgp/collision.h"

bool bgp_collision_local_wins(const struct bgp_collision_ids *ids)
{
	/* RFC 4271 §6.8: the higher BGP Identifier's connection survives */
	if (ids->local_id != ids->remote_id)
		return ids->local_id > ids->remote_id;
	/* RFC 6286 §2.3: equal identifiers, the larger AS number's connection survives */
	return ids->local_as > ids->remote_as;
}

/* Has this side sent its OPEN on a connection in this state? */
static bool open_sent(enum bgp_state state)
{
	return state >= BGP_STATE_OPENSENT;
}

enum bgp_collision_verdict bgp_collision_on_open(const struct bgp_collision_ids *ids, bool this_outgoing,
						 enum bgp_state other_state)
{
	if (!open_sent(other_state))
		return BGP_COLLISION_NONE; /* no other connection, or one that is not up yet */
	bool this_wins = bgp_collision_local_wins(ids) == this_outgoing;
	if (!this_wins)
		return BGP_COLLISION_CLOSE_THIS;
	/* The loser in OpenConfirm or Established has had our KEEPALIVE: the peer may be
	 * Established on it already, and an RFC 4271 peer then closes this one. */
	if (other_state >= BGP_STATE_OPENCONFIRM)
		return BGP_COLLISION_WAIT;
	return BGP_COLLISION_CLOSE_OTHER;
}

enum bgp_collision_verdict bgp_collision_on_established(const struct bgp_collision_ids *ids, bool this_outgoing,
							enum bgp_state other_state)
{
	if (other_state == BGP_STATE_IDLE)
		return BGP_COLLISION_NONE;
	if (!open_sent(other_state))
		return BGP_COLLISION_ABORT_OTHER;
	bool this_wins = bgp_collision_local_wins(ids) == this_outgoing;
	return this_wins ? BGP_COLLISION_CLOSE_OTHER : BGP_COLLISION_WAIT;
}

const char *bgp_collision_verdict_name(enum bgp_collision_verdict verdict)
{
	switch (verdict) {
	case BGP_COLLISION_NONE: return "none";
	case BGP_COLLISION_CLOSE_THIS: return "close this";
	case BGP_COLLISION_CLOSE_OTHER: return "close other";
	case BGP_COLLISION_ABORT_OTHER: return "abort other";
	case BGP_COLLISION_WAIT: return "wait";
	}
	return "unknown";
}
