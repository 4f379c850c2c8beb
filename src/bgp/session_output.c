/*
 * DOC: the session engine's side of the output queue (events.h): bytes the route engine
 * made for a session go into that session's connection send queue.
 *
 * The route engine never writes to a connection: export.c queues whole messages for a
 * session id. This file takes them: when woken by a message queued, from a uv_idle handle (it
 * runs before the loop next polls, so bytes queued in one iteration reach the socket at that
 * poll, as when export wrote into the send queue itself), at once when the queue holds
 * BGP_OUTPUT_QUEUE_EARLY octets (so that a table dump keeps the peer busy while it is being
 * made, session.c BGP_WRITE_EARLY), and before any message of the session engine's own
 * (bgp_session_output_drain, from session.c), so that a KEEPALIVE or a NOTIFICATION is
 * written behind the UPDATEs queued before it, as RFC 4271 §4.3 and §6 expect of one TCP
 * stream: what was sent before a NOTIFICATION was sent.
 *
 * A chunk whose session id is no peer's Established session any more is dropped: the session
 * went down (its routes are withdrawn implicitly, RFC 4271 §9.1) or the peer is gone; a new
 * session of the same peer has a new id and starts from its own table dump.
 *
 * Which connection a session id names is a lookup in the speaker's session index (a hash
 * table, not a walk of the peers: thousands of peers each with output would make every drain
 * quadratic). The index holds exactly the peers' `established` connections: the one
 * function that sets or clears peer->established (bgp_session_set_established, from peer.c's
 * Established and connection-gone, the only two places a session starts and ends, whether by
 * NOTIFICATION, hold timer, a deleted peer or a destroyed speaker) enters and removes it.
 */
#include <stddef.h>

#include "bgp/internal.h"
#include "lib/hash.h"

/* The session index: a session id is given by us, never by a peer, and never reused
 * (session.c), so the fast unkeyed mix is the right hash (lib/hash.h). */
static uint64_t session_hash(const void *element)
{
	return hash_u64(((const struct bgp_connection *)element)->session_id);
}

/* Only when the index had no memory for a session (sessions_unindexed): the walk of old. */
static struct bgp_connection *session_connection_walk(struct bgp_speaker *speaker, uint64_t session)
{
	for (struct bgp_peer *peer = speaker->peers; peer; peer = peer->next)
		if (peer->established && peer->established->session_id == session)
			return peer->established;
	return NULL;
}

struct bgp_connection *bgp_session_connection(struct bgp_speaker *speaker, uint64_t session)
{
	for (struct bgp_connection *c = hash_table_first(&speaker->sessions, hash_u64(session)); c;
	     c = c->session_next)
		if (c->session_id == session)
			return c;
	return speaker->sessions_unindexed ? session_connection_walk(speaker, session) : NULL;
}

void bgp_session_set_established(struct bgp_peer *peer, struct bgp_connection *conn)
{
	struct bgp_speaker *speaker = peer->speaker;
	struct bgp_connection *old = peer->established;
	if (old == conn)
		return;
	if (old) {
		if (old->session_indexed)
			hash_table_remove(&speaker->sessions, old, hash_u64(old->session_id));
		else
			speaker->sessions_unindexed--;
		old->session_indexed = false;
	}
	peer->established = conn;
	if (!conn)
		return;
	conn->session_indexed = hash_table_insert(&speaker->sessions, conn, hash_u64(conn->session_id));
	if (!conn->session_indexed)
		speaker->sessions_unindexed++; /* still found, by the walk, until the session ends */
}

static bool deliver(void *context, uint64_t session, const uint8_t *bytes, size_t len)
{
	struct bgp_connection *conn = bgp_session_connection(context, session);
	return conn && bgp_connection_send(conn, bytes, len);
}

void bgp_session_output_drain(struct bgp_speaker *speaker)
{
	uv_idle_stop(&speaker->output_idle);
	if (!bgp_output_queue_empty(&speaker->output))
		bgp_output_queue_take(&speaker->output, deliver, speaker);
}

static void output_idle_cb(uv_idle_t *idle)
{
	bgp_session_output_drain(idle->data);
}

static void output_queued(void *context, size_t queued)
{
	struct bgp_speaker *speaker = context;
	if (queued >= BGP_OUTPUT_QUEUE_EARLY || speaker->destroying)
		bgp_session_output_drain(speaker);
	else
		uv_idle_start(&speaker->output_idle, output_idle_cb);
}

uint64_t bgp_session_id(const struct bgp_peer *peer)
{
	return peer->established ? peer->established->session_id : 0;
}

void bgp_session_output_init(struct bgp_speaker *speaker)
{
	hash_table_init(&speaker->sessions, MEMORY_BGP, offsetof(struct bgp_connection, session_next), session_hash,
			NULL);
	bgp_output_queue_init(&speaker->output);
	bgp_output_queue_set_drainer(&speaker->output, output_queued, speaker);
	uv_idle_init(speaker->loop, &speaker->output_idle);
	speaker->output_idle.data = speaker;
}

void bgp_session_output_close(struct bgp_speaker *speaker)
{
	bgp_output_queue_free(&speaker->output);
	/* Empty by now: every peer's connections went (bgp_speaker_destroy), each leaving it. */
	hash_table_free(&speaker->sessions);
	uv_close((uv_handle_t *)&speaker->output_idle, NULL);
}
