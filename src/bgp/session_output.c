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
 */
#include "bgp/internal.h"

/* The peer's connection that carries this session, or NULL. A peer list walk per chunk:
 * consecutive messages for a session share one chunk, so a drain walks it once per session
 * with output at most. */
static struct bgp_connection *session_connection(struct bgp_speaker *speaker, uint64_t session)
{
	for (struct bgp_peer *peer = speaker->peers; peer; peer = peer->next)
		if (peer->established && peer->established->session_id == session)
			return peer->established;
	return NULL;
}

static bool deliver(void *context, uint64_t session, const uint8_t *bytes, size_t len)
{
	struct bgp_connection *conn = session_connection(context, session);
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
	bgp_output_queue_init(&speaker->output);
	bgp_output_queue_set_drainer(&speaker->output, output_queued, speaker);
	uv_idle_init(speaker->loop, &speaker->output_idle);
	speaker->output_idle.data = speaker;
}

void bgp_session_output_close(struct bgp_speaker *speaker)
{
	bgp_output_queue_free(&speaker->output);
	uv_close((uv_handle_t *)&speaker->output_idle, NULL);
}
