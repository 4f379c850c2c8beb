/*
 * DOC: BGP peers and the speaker.
 *
 * The speaker holds the listeners (TCP 179, IPv4 and IPv6) and the list of peers built from
 * the configuration. A peer owns at most one outgoing and one incoming connection. It
 * connects at once when started, then every ConnectRetry interval (RFC 4271 §10, jittered)
 * until a session is Established; a passive peer only listens. When a valid OPEN arrives on
 * one connection while the other is also past OpenSent, the collision rule of RFC 4271 §6.8
 * (the seed's tip) keeps the connection initiated by the side with the higher BGP Identifier,
 * and the other is closed with Cease 6/7.
 *
 * Each peer keeps counters and a message log (bgp.h) for `show`, and a copy of its
 * configuration; a configuration change resets a session only where it must.
 */
#include "bgp/internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/tcp.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bgp/adj_rib_in.h"
#include "bgp/collision.h"
#include "lib/log.h"

static time_t monotonic_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static bool peer_may_run(struct bgp_peer *peer)
{
	if (peer->removed || peer->speaker->destroying)
		return false;
	if (peer->config.shutdown) {
		snprintf(peer->down_reason, sizeof(peer->down_reason), "Admin shutdown");
		return false;
	}
	if (!peer->speaker->router_id) {
		snprintf(peer->down_reason, sizeof(peer->down_reason),
			 "no BGP router identifier: configure bgp router-id or a loopback address");
		return false;
	}
	if (!peer->config.remote_as) {
		snprintf(peer->down_reason, sizeof(peer->down_reason), "no remote-as");
		return false;
	}
	/* maximum-prefix went over: Idle (PfxCt) until clear ip bgp or its restart timer */
	if (bgp_max_prefix_holds(peer, peer->down_reason, sizeof(peer->down_reason)))
		return false;
	return true;
}

static uint64_t peer_now_ms(const struct bgp_peer *peer)
{
	uv_update_time(peer->speaker->loop);
	return uv_now(peer->speaker->loop);
}

/* The route to the peer's address as next-hop tracking sees it: a change of it is a reason
 * to try a failed connect again at once. */
static uint64_t route_signature(struct bgp_peer *peer)
{
	uint32_t metric;
	if (!bgp_speaker_resolve_next_hop(peer->speaker, &peer->config.addr, &metric))
		return 0;
	return (1ull << 32) | metric;
}

static void connect_timer_cb(uv_timer_t *timer);

/* Arms the peer's timer for what the connect policy has due. */
static void connect_schedule(struct bgp_peer *peer)
{
	uint64_t due = bgp_connect_policy_due(&peer->connect);
	if (due == BGP_CONNECT_NEVER || peer->freed) {
		uv_timer_stop(&peer->connect_retry_timer);
		peer->connect_retry_running = false;
		return;
	}
	uint64_t now = peer_now_ms(peer);
	uv_timer_start(&peer->connect_retry_timer, connect_timer_cb, due > now ? due - now : 0, 0);
	peer->connect_retry_running = true;
}

/* The last try failed (why: for show): back off, or try when the route changes. */
static void connect_failed(struct bgp_peer *peer, const char *why)
{
	peer->route_signature = route_signature(peer);
	bgp_connect_policy_failed(&peer->connect, peer_now_ms(peer), why);
	connect_schedule(peer);
}

/* RFC 4271 §8.2.2 ConnectRetryTimer_Expires (Event 9), or the policy's first try. One
 * connection at a time: while one is under way, its outcome decides what comes next. */
static void peer_try_connect(struct bgp_peer *peer)
{
	if (!peer_may_run(peer) || peer->established) {
		bgp_connect_policy_stop(&peer->connect);
		connect_schedule(peer);
		return;
	}
	if (peer->config.passive || peer->outgoing || peer->incoming)
		return;
	if (!bgp_peer_directly_connected(peer, &peer->config.addr, -1)) {
		snprintf(peer->down_reason, sizeof(peer->down_reason),
			 "EBGP peer not directly connected (configure ebgp-multihop or disable-connected-check)");
		connect_failed(peer, "not directly connected");
		return;
	}
	peer->down_reason[0] = '\0';
	bgp_connect_policy_attempt(&peer->connect, peer_now_ms(peer));
	peer->outgoing = bgp_connection_connect(peer);
	if (!peer->outgoing) {
		connect_failed(peer, peer->down_reason[0] ? peer->down_reason : "connect failed");
		return;
	}
	connect_schedule(peer); /* the connect timeout */
}

int64_t bgp_peer_next_connect(const struct bgp_peer *peer, char *why, size_t size)
{
	uint64_t now = uv_now(peer->speaker->loop);
	if (peer->established || peer->config.passive || !peer->connect_retry_running) {
		snprintf(why, size, "%s", peer->established ? "session Established"
				    : peer->config.passive ? "passive: waiting for the peer to connect"
				    : peer->outgoing || peer->incoming ? "a connection is under way"
				    : "none scheduled");
		return -1;
	}
	bgp_connect_policy_describe(&peer->connect, now, why, size);
	uint64_t due = bgp_connect_policy_due(&peer->connect);
	return due > now ? (int64_t)(due - now) : 0;
}

/* A new peer, a reset, a configuration change: try at once. */
static void peer_start(struct bgp_peer *peer)
{
	bgp_connect_policy_start(&peer->connect, peer_now_ms(peer));
	connect_schedule(peer);
}

static void connect_timer_cb(uv_timer_t *timer)
{
	struct bgp_peer *peer = timer->data;
	peer->connect_retry_running = false;
	if (peer->outgoing && peer->outgoing->connecting) {
		/* No answer to the SYN in time (the peer's route back may be missing): a failure,
		 * and the next try comes by the policy. */
		snprintf(peer->down_reason, sizeof(peer->down_reason), "connect: timed out");
		bgp_connection_abort(peer->outgoing, "connect timed out");
		return;
	}
	peer_try_connect(peer);
}

enum bgp_state bgp_peer_state(const struct bgp_peer *peer)
{
	if (peer->established)
		return BGP_STATE_ESTABLISHED;
	enum bgp_state best = BGP_STATE_IDLE;
	if (peer->outgoing && peer->outgoing->fsm.state > best)
		best = peer->outgoing->fsm.state;
	if (peer->incoming && peer->incoming->fsm.state > best)
		best = peer->incoming->fsm.state;
	/* Waiting to connect, or a passive peer waiting to be connected to: Active (IOS). */
	if (best == BGP_STATE_IDLE && (peer->connect_retry_running ||
				       (peer->config.passive && !peer->removed && !peer->config.shutdown)))
		best = BGP_STATE_ACTIVE;
	return best;
}

static void session_snapshot(struct bgp_peer *peer, const struct bgp_connection *conn)
{
	peer->session.valid = true;
	peer->session.initiated_locally = conn->outgoing;
	peer->session.local_addr = conn->local_addr;
	peer->session.remote_addr = conn->remote_addr;
	peer->session.local_port = conn->local_port;
	peer->session.remote_port = conn->remote_port;
	peer->session.remote_id = conn->fsm.peer_open.bgp_id;
	peer->session.hold_time = conn->fsm.negotiated_hold_time;
	peer->session.keepalive = conn->fsm.negotiated_keepalive;
	peer->session.sent_caps = conn->fsm.config.capabilities;
	peer->session.received_caps = conn->fsm.peer_open.caps;
	bgp_afi_safi_negotiate(&peer->session.sent_caps, &peer->session.received_caps, &peer->session.negotiated);
}

static struct bgp_connection *other_connection(const struct bgp_peer *peer, const struct bgp_connection *conn)
{
	return conn == peer->outgoing ? peer->incoming : peer->outgoing;
}

static struct bgp_collision_ids collision_ids(const struct bgp_peer *peer, const struct bgp_open *open)
{
	return (struct bgp_collision_ids){ .local_id = peer->speaker->router_id, .local_as = peer->speaker->local_as,
					   .remote_id = open->bgp_id, .remote_as = bgp_open_peer_as(open) };
}

/* The log line of a collision: which connection closes, and by which rule. */
static void log_collision(struct bgp_peer *peer, const struct bgp_collision_ids *ids, bool closed_outgoing,
			  const char *rule)
{
	char local[16], remote[16];
	ipv4_format(ids->local_id, local);
	ipv4_format(ids->remote_id, remote);
	bool local_wins = bgp_collision_local_wins(ids);
	struct bgp_log_members members = { 0 };
	bgp_log_add_string(&members, "closed", closed_outgoing ? "local" : "remote");
	bgp_log_add_string(&members, "localId", local);
	bgp_log_add_string(&members, "remoteId", remote);
	if (ids->local_id == ids->remote_id)
		bgp_peer_log(peer, BGP_LOG_EVENT, "collision", &members,
			     "connection collision: equal BGP Identifiers %s, our AS %u is %s than the peer's %u "
			     "(RFC 6286), so the connection initiated by %s is closed with Cease 6/7%s",
			     local, ids->local_as, local_wins ? "higher" : "lower", ids->remote_as,
			     closed_outgoing ? "us" : "the peer", rule);
	else
		bgp_peer_log(peer, BGP_LOG_EVENT, "collision", &members,
			     "connection collision: our BGP Identifier %s is %s than the peer's %s, so the "
			     "connection initiated by %s is closed with Cease 6/7%s",
			     local, local_wins ? "higher" : "lower", remote, closed_outgoing ? "us" : "the peer", rule);
}

/* soft-reconfiguration inbound: the pre-policy store of an Established session. */
static bool keep_received_routes(struct bgp_peer *peer)
{
	if (!peer->adj_rib_in)
		peer->adj_rib_in = bgp_rib_adj_rib_in_create(peer->speaker->rib);
	if (!peer->adj_rib_in)
		bgp_peer_log(peer, BGP_LOG_EVENT, "soft-reconfiguration", NULL,
			     "out of memory: received routes are not stored; clear ip bgp soft in sends ROUTE-REFRESH");
	return peer->adj_rib_in != NULL;
}

/* The flag changed on an Established session: the session stays up (bgp.h says why). */
/* The peer's store goes; a full one is freed a step at a time by the route engine. */
static void store_retire(struct bgp_peer *peer)
{
	if (!peer->adj_rib_in)
		return;
	bgp_rib_adj_rib_in_retire(peer->speaker->rib, peer->adj_rib_in);
	peer->adj_rib_in = NULL;
	bgp_route_engine_wake(peer->speaker);
}

static void soft_reconfiguration_changed(struct bgp_peer *peer)
{
	if (!peer->config.soft_reconfiguration_inbound) {
		store_retire(peer);
		bgp_peer_log(peer, BGP_LOG_EVENT, "soft-reconfiguration", NULL,
			     "soft-reconfiguration inbound off: received routes are no longer stored");
		return;
	}
	if (!keep_received_routes(peer))
		return;
	bgp_peer_refresh_or_explain(peer, "soft-reconfiguration",
				    "soft-reconfiguration inbound on: ROUTE-REFRESH asks for the routes to store",
				    "soft-reconfiguration inbound on: the peer has no route refresh, so routes it "
				    "sent before are stored only after a new session (clear ip bgp)");
}

static void connection_state_changed(struct bgp_peer *peer, struct bgp_connection *conn,
				     enum bgp_state old_state)
{
	(void)old_state;
	if (conn->fsm.state == BGP_STATE_OPENCONFIRM && !peer->established)
		session_snapshot(peer, conn);
	if (conn->fsm.state != BGP_STATE_ESTABLISHED)
		return;
	struct bgp_connection *other = other_connection(peer, conn);
	if (other) {
		struct bgp_collision_ids ids = collision_ids(peer, &conn->fsm.peer_open);
		enum bgp_collision_verdict verdict = bgp_collision_on_established(&ids, conn->outgoing, other->fsm.state);
		if (verdict == BGP_COLLISION_ABORT_OTHER) {
			bgp_connection_abort(other, "a session is Established on the other connection");
		} else if (verdict == BGP_COLLISION_CLOSE_OTHER) {
			/* The winner is up: the loser goes, Established or not (collision.h). */
			log_collision(peer, &ids, other->outgoing,
				      other == peer->established ? " (it was Established first; the peer chose this one)" : "");
			bgp_connection_event(other, BGP_EVENT_OPEN_COLLISION_DUMP, NULL);
		} else if (verdict == BGP_COLLISION_WAIT) {
			bgp_peer_log(peer, BGP_LOG_EVENT, "collision-pending", NULL,
				     "connection collision: Established on the connection initiated by %s; the "
				     "peer's choice decides whether the other one (initiated by %s) replaces it",
				     conn->outgoing ? "us" : "the peer", other->outgoing ? "us" : "the peer");
		}
	}
	if (peer->established && peer->established != conn)
		return; /* not possible: the other Established one closed above */
	session_snapshot(peer, conn);
	bgp_session_set_established(peer, conn);
	peer->established_count++;
	peer->last_change = monotonic_seconds();
	peer->down_reason[0] = '\0';
	/* the accepted counts are 0 once the last session's paths are gone (route engine) */
	peer->updates_logged[0] = peer->updates_logged[1] = 0;
	bgp_connect_policy_established(&peer->connect, peer_now_ms(peer));
	connect_schedule(peer);
	bgp_peer_log(peer, BGP_LOG_EVENT, "established", NULL,
		     "session Established on the connection initiated by %s",
		     conn->outgoing ? "us" : "the peer");
	if (!peer->ibgp && peer->speaker->ebgp_requires_policy &&
	    (!bgp_filter_has(&peer->filter, false) || !bgp_filter_has(&peer->filter, true)))
		bgp_peer_log(peer, BGP_LOG_EVENT, "policy", NULL,
			     "eBGP session without %s policy: no routes are %s "
			     "(bgp ebgp-requires-policy, RFC 8212)",
			     bgp_filter_has(&peer->filter, false) ? "export"
			     : bgp_filter_has(&peer->filter, true) ? "import" : "import or export",
			     bgp_filter_has(&peer->filter, false) ? "sent"
			     : bgp_filter_has(&peer->filter, true) ? "accepted" : "exchanged");
	if (peer->config.soft_reconfiguration_inbound)
		keep_received_routes(peer);
	/* The initial table, then End-of-RIB (RFC 4724 §2), from the route engine once what came
	 * before (the last session's walk) is done; with it what the session speaks per family. */
	if (!bgp_event_queue_peer_up(&peer->speaker->events, peer, &peer->session.negotiated)) {
		bgp_afi_safi_session_up(&peer->afi_safi, &peer->session.negotiated);
		bgp_rib_peer_send_table(peer->speaker->rib, peer);
	}
	bgp_route_engine_wake(peer->speaker);
}

static bool resolve_collision(struct bgp_peer *peer, struct bgp_connection *conn,
			      const struct bgp_open *open)
{
	struct bgp_connection *other = other_connection(peer, conn);
	if (!other)
		return true;
	struct bgp_collision_ids ids = collision_ids(peer, open);
	enum bgp_collision_verdict verdict = bgp_collision_on_open(&ids, conn->outgoing, other->fsm.state);
	switch (verdict) {
	case BGP_COLLISION_CLOSE_THIS:
		/* RFC 4271 §6.8; with the other Established, also its "closing of the newly
		 * created connection". */
		log_collision(peer, &ids, conn->outgoing,
			      other->fsm.state == BGP_STATE_ESTABLISHED ? " (a session is already Established)" : "");
		return false;
	case BGP_COLLISION_CLOSE_OTHER:
		log_collision(peer, &ids, other->outgoing, "");
		bgp_connection_event(other, BGP_EVENT_OPEN_COLLISION_DUMP, NULL);
		return true;
	case BGP_COLLISION_WAIT:
		bgp_peer_log(peer, BGP_LOG_EVENT, "collision-pending", NULL,
			     "connection collision: OPEN on the connection initiated by %s, which wins by BGP "
			     "Identifier, while the other is Established: the peer's choice decides",
			     conn->outgoing ? "us" : "the peer");
		return true;
	default:
		return true;
	}
}

static void peer_free(struct bgp_peer *peer);

/* maximum-prefix restart interval over: connect again, as clear ip bgp does. */
static void max_prefix_restart_cb(uv_timer_t *timer)
{
	struct bgp_peer *peer = timer->data;
	bgp_peer_log(peer, BGP_LOG_EVENT, "max-prefix",
		     NULL, "maximum-prefix restart interval of %u minutes over: connecting again",
		     peer->config.maximum_prefix_restart);
	/* bgp_peer_reset releases the hold-down and schedules a connect, as clear ip bgp does */
	bgp_peer_reset(peer);
}

static void connection_gone(struct bgp_peer *peer, struct bgp_connection *conn)
{
	bool was_established = peer->established == conn;
	if (peer->outgoing == conn)
		peer->outgoing = NULL;
	if (peer->incoming == conn)
		peer->incoming = NULL;
	if (was_established) {
		bgp_session_set_established(peer, NULL);
		/* What the session sent and the route engine has not applied yet goes with it. */
		bgp_event_queue_forget_peer(&peer->speaker->events, peer);
		/* Every path of the peer goes (RFC 4271 §9.1: routes of a closed session are
		 * removed): at once they stop being candidates, and the route engine removes them
		 * a slice at a time, withdrawals and routing table following each slice. */
		/* The pre-policy copy goes now: the next session's store starts empty at its
		 * Established, before this walk may have ended. */
		store_retire(peer);
		if (bgp_event_queue_peer(&peer->speaker->events, peer, BGP_ROUTE_EVENT_PEER_DOWN)) {
			peer->withdrawing++;
			bgp_route_engine_wake(peer->speaker);
		} else {
			bgp_afi_safi_session_down(&peer->afi_safi);
			bgp_rib_peer_down(peer->speaker->rib, peer);
		}
		peer->dropped_count++;
		peer->last_change = monotonic_seconds();
		if (conn->fsm.notification_sent || conn->fsm.notification_received)
			snprintf(peer->last_reset, sizeof(peer->last_reset), "%s (NOTIFICATION %s: %s)",
				 conn->fsm.reason, conn->fsm.notification_sent ? "sent" : "received",
				 bgp_error_subcode_name(conn->fsm.last_notification.code,
							conn->fsm.last_notification.subcode));
		else
			snprintf(peer->last_reset, sizeof(peer->last_reset), "%s", conn->fsm.reason);
		bgp_peer_log(peer, BGP_LOG_EVENT, "state", NULL, "session down: %s", peer->last_reset);
		/* A session maximum-prefix closed waits for its restart interval (max_prefix.h). */
		bgp_max_prefix_arm_restart(peer, max_prefix_restart_cb);
	} else if (!peer->established && conn->fsm.notification_sent | conn->fsm.notification_received &&
		   conn->fsm.last_notification.code != BGP_ERR_CEASE) {
		snprintf(peer->last_reset, sizeof(peer->last_reset), "%s (NOTIFICATION %s: %s)",
			 conn->fsm.reason, conn->fsm.notification_sent ? "sent" : "received",
			 bgp_error_subcode_name(conn->fsm.last_notification.code,
						conn->fsm.last_notification.subcode));
	}
	if (peer->removed || peer->speaker->destroying) {
		if (!peer->outgoing && !peer->incoming)
			peer_free(peer);
		return;
	}
	uint64_t now = peer_now_ms(peer);
	if (was_established)
		bgp_connect_policy_session_down(&peer->connect, now);
	if (!peer_may_run(peer)) {
		bgp_connect_policy_stop(&peer->connect);
		connect_schedule(peer);
		return;
	}
	if (peer->established || peer->outgoing || peer->incoming)
		return; /* the session, or the other connection, goes on: its outcome decides */
	if (was_established) {
		connect_schedule(peer);
		return;
	}
	/* A try that ended before Established: why, for show, then back off. */
	char why[sizeof(peer->connect.last_failure)];
	if (conn->fsm.notification_sent || conn->fsm.notification_received)
		snprintf(why, sizeof(why), "NOTIFICATION %s: %s", conn->fsm.notification_sent ? "sent" : "received",
			 bgp_error_subcode_name(conn->fsm.last_notification.code, conn->fsm.last_notification.subcode));
	else if (conn->outgoing && !strncmp(peer->down_reason, "connect: ", 9))
		snprintf(why, sizeof(why), "%s", peer->down_reason + 9);
	else
		snprintf(why, sizeof(why), "%s", conn->fsm.reason ? conn->fsm.reason : "closed");
	connect_failed(peer, why);
}

/* What the session engine reports up to the peers (internal.h). */
static const struct bgp_session_owner session_owner = {
	.state_changed = connection_state_changed,
	.resolve_collision = resolve_collision,
	.connection_gone = connection_gone,
};

bool bgp_peer_soft_in(struct bgp_peer *peer)
{
	struct bgp_adj_rib_in *in = peer->adj_rib_in;
	if (!peer->established)
		return false;
	/* A store that lost routes for lack of memory is not what the peer sent: ask again. */
	if (in && bgp_adj_rib_in_lost(in) && bgp_peer_request_refresh(peer)) {
		bgp_adj_rib_in_clear_lost(in);
		return true;
	}
	if (!in)
		return bgp_peer_request_refresh(peer);
	bgp_peer_log(peer, BGP_LOG_EVENT, "soft-reconfiguration", NULL,
		     "clear soft in: %zu stored routes judged again by the import policy (no ROUTE-REFRESH)",
		     bgp_adj_rib_in_count(in));
	/* A full stored table is judged again a step at a time by the route engine (events.h),
	 * in its place after the peer's UPDATEs already queued. */
	if (bgp_event_queue_peer(&peer->speaker->events, peer, BGP_ROUTE_EVENT_SOFT_IN)) {
		bgp_route_engine_wake(peer->speaker);
		return true;
	}
	bgp_rib_peer_soft_in(peer->speaker->rib, peer);
	/* more routes may be accepted now: maximum-prefix judges them as after an UPDATE */
	struct bgp_error error;
	if (!bgp_max_prefix_after_update(peer, &error))
		bgp_connection_event(peer->established, BGP_EVENT_AUTOMATIC_STOP, &(struct bgp_fsm_input){ .error = &error });
	return true;
}

void bgp_peer_resend(struct bgp_peer *peer)
{
	if (peer->established && bgp_rib_peer_send_table(peer->speaker->rib, peer))
		bgp_route_engine_wake(peer->speaker);
}

/* Stops every connection of the peer; error NULL closes silently. */
static void peer_stop(struct bgp_peer *peer, const struct bgp_error *error)
{
	struct bgp_connection *conns[2] = { peer->outgoing, peer->incoming };
	for (int i = 0; i < 2; i++) {
		if (!conns[i])
			continue;
		if (error)
			bgp_connection_event(conns[i], BGP_EVENT_ADMIN_STOP, &(struct bgp_fsm_input){ .error = error });
		else
			bgp_connection_abort(conns[i], "stopped");
	}
	/* Whatever the closes scheduled, the caller decides what comes next. */
	bgp_connect_policy_stop(&peer->connect);
	if (!peer->freed)
		connect_schedule(peer);
}

static void cease(struct bgp_error *error, uint8_t subcode, const char *message)
{
	bgp_error_set(error, BGP_ERR_CEASE, subcode);
	if (message && message[0] &&
	    (subcode == BGP_CEASE_ADMIN_SHUTDOWN || subcode == BGP_CEASE_ADMIN_RESET)) {
		uint8_t data[256];
		size_t n = bgp_shutdown_message_data(message, data);
		if (n <= BGP_ERROR_DATA_MAX) {
			memcpy(error->data, data, n);
			error->data_len = (uint16_t)n;
		}
	}
}

void bgp_peer_reset(struct bgp_peer *peer)
{
	struct bgp_error error;
	bgp_max_prefix_release(peer);
	cease(&error, BGP_CEASE_ADMIN_RESET, NULL);
	peer_stop(peer, &error);
	if (peer_may_run(peer))
		peer_start(peer);
}

/* ---- listeners ---- */

static void set_listener_keys(struct bgp_speaker *speaker, const struct bgp_peer *peer, bool add)
{
	for (int i = 0; i < 2; i++) {
		struct bgp_listener *l = &speaker->listeners[i];
		if (!l->active || !peer->config.password[0])
			continue;
		/* An IPv6 listener is v6only: IPv4 peers' keys go on the IPv4 one. */
		if ((l->family == AF_INET) != (peer->config.addr.family == AF_INET))
			continue;
		struct tcp_md5sig sig;
		memset(&sig, 0, sizeof(sig));
		struct sockaddr_storage ss;
		ip_addr_to_sockaddr(&peer->config.addr, 0, &ss);
		memcpy(&sig.tcpm_addr, &ss, sizeof(ss));
		if (add) {
			size_t len = strlen(peer->config.password);
			sig.tcpm_keylen = (uint16_t)len;
			memcpy(sig.tcpm_key, peer->config.password, len);
		}
		if (setsockopt(l->fd, IPPROTO_TCP, TCP_MD5SIG, &sig, sizeof(sig)) != 0 && add)
			log_error("bgp: TCP_MD5SIG on listener: %s", strerror(errno));
	}
}

static void accept_one(struct bgp_speaker *speaker, int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct ip_addr remote;
	uint16_t port;
	char addr[IP_ADDR_STRLEN];
	if (getpeername(fd, (struct sockaddr *)&ss, &len) != 0 ||
	    !ip_addr_from_sockaddr((struct sockaddr *)&ss, &remote, &port)) {
		close(fd);
		return;
	}
	struct bgp_peer *peer = bgp_speaker_find_peer(speaker, &remote);
	if (!peer) {
		log_notice("bgp: connection from %s port %u refused: not a configured neighbor",
			   ip_addr_format(&remote, addr), port);
		close(fd);
		return;
	}
	if (!peer_may_run(peer)) {
		bgp_peer_log(peer, BGP_LOG_EVENT, "state", NULL, "connection from port %u refused: %s", port,
			     peer->down_reason);
		close(fd);
		return;
	}
	if (!bgp_peer_directly_connected(peer, &remote, fd)) {
		snprintf(peer->down_reason, sizeof(peer->down_reason),
			 "EBGP peer not directly connected (configure ebgp-multihop or disable-connected-check)");
		bgp_peer_log(peer, BGP_LOG_EVENT, "state", NULL,
			     "connection from port %u refused: EBGP peer not directly connected", port);
		close(fd);
		return;
	}
	if (bgp_connect_policy_refuses(&peer->connect, peer_now_ms(peer))) {
		char when[160];
		bgp_connect_policy_describe(&peer->connect, peer_now_ms(peer), when, sizeof(when));
		bgp_peer_log(peer, BGP_LOG_EVENT, "state", NULL, "connection from port %u refused: Idle, next try %s",
			     port, when);
		close(fd);
		return;
	}
	if (peer->incoming) /* the peer started over: its old attempt is dead */
		bgp_connection_abort(peer->incoming, "the peer opened a new connection");
	struct bgp_connection *conn = bgp_connection_accept(peer, fd);
	if (!conn) {
		close(fd);
		return;
	}
	peer->incoming = conn;
	bgp_connection_event(conn, BGP_EVENT_TCP_CONNECTION_CONFIRMED, NULL);
}

static void listener_cb(uv_poll_t *handle, int status, int events)
{
	struct bgp_listener *l = handle->data;
	struct bgp_speaker *speaker = (struct bgp_speaker *)((char *)(l - (l->family == AF_INET ? 0 : 1)) -
							      offsetof(struct bgp_speaker, listeners));
	(void)events;
	if (status < 0)
		return;
	for (int i = 0; i < 64; i++) {
		int fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		accept_one(speaker, fd);
	}
}

static bool listener_open(struct bgp_speaker *speaker, struct bgp_listener *l, int family)
{
	l->family = family;
	l->fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (l->fd < 0)
		return false;
	int one = 1;
	setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (family == AF_INET6)
		setsockopt(l->fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	bgp_listener_gtsm_options(l->fd, family);
	struct ip_addr any = { .family = (uint8_t)family };
	struct sockaddr_storage ss;
	socklen_t len = ip_addr_to_sockaddr(&any, speaker->options.port, &ss);
	if (bind(l->fd, (struct sockaddr *)&ss, len) != 0 || listen(l->fd, 64) != 0) {
		log_error("bgp: cannot listen on %s port %u: %s", family == AF_INET ? "IPv4" : "IPv6",
			  speaker->options.port, strerror(errno));
		close(l->fd);
		return false;
	}
	uv_poll_init(speaker->loop, &l->poll, l->fd);
	l->poll.data = l;
	uv_poll_start(&l->poll, UV_READABLE, listener_cb);
	l->active = true;
	return true;
}

/* ---- speaker and configuration ---- */

/* IOS: without bgp router-id, the highest loopback address, else the highest address. */
static uint32_t pick_router_id(void)
{
	struct ifaddrs *list;
	if (getifaddrs(&list) != 0)
		return 0;
	uint32_t best_loopback = 0, best_any = 0;
	for (struct ifaddrs *ifa = list; ifa; ifa = ifa->ifa_next) {
		if (!ifa->ifa_addr || ifa->ifa_addr->sa_family != AF_INET)
			continue;
		struct ip_addr a;
		ip_addr_from_sockaddr(ifa->ifa_addr, &a, NULL);
		uint32_t v = ip_addr_v4(&a);
		if ((v >> 24) == 127 || v == 0)
			continue;
		if (!strcmp(ifa->ifa_name, "lo") || !strncmp(ifa->ifa_name, "lo", 2)) {
			if (v > best_loopback)
				best_loopback = v;
		} else if (v > best_any) {
			best_any = v;
		}
	}
	freeifaddrs(list);
	return best_loopback ? best_loopback : best_any;
}

struct bgp_speaker *bgp_speaker_create(uv_loop_t *loop, const struct bgp_speaker_options *options)
{
	struct bgp_speaker *speaker = calloc(1, sizeof(*speaker));
	if (!speaker)
		return NULL;
	speaker->loop = loop;
	speaker->options = *options;
	speaker->session_owner = &session_owner;
	speaker->rib = bgp_rib_create(speaker);
	if (!speaker->rib) {
		free(speaker);
		return NULL;
	}
	bgp_route_engine_init(speaker);
	bgp_session_output_init(speaker);
	if (!speaker->options.port)
		speaker->options.port = BGP_PORT;
	if (options->listen) {
		bool v4 = listener_open(speaker, &speaker->listeners[0], AF_INET);
		listener_open(speaker, &speaker->listeners[1], AF_INET6);
		if (!v4) {
			bgp_speaker_destroy(speaker, BGP_CEASE_ADMIN_SHUTDOWN);
			return NULL;
		}
	}
	return speaker;
}

static struct bgp_peer *peer_create(struct bgp_speaker *speaker, const struct config_bgp_neighbor *config)
{
	struct bgp_peer *peer = calloc(1, sizeof(*peer));
	if (!peer)
		return NULL;
	peer->speaker = speaker;
	peer->config = *config;
	peer->ibgp = config->remote_as == speaker->local_as;
	peer->last_change = monotonic_seconds();
	bgp_connect_policy_init(&peer->connect, config->connect_retry);
	uv_timer_init(speaker->loop, &peer->connect_retry_timer);
	peer->connect_retry_timer.data = peer;
	peer->debug = speaker->debug;
	peer->next = speaker->peers;
	speaker->peers = peer;
	set_listener_keys(speaker, peer, true);
	return peer;
}

static void peer_handle_closed(uv_handle_t *handle)
{
	free(handle->data);
}

static void peer_free(struct bgp_peer *peer)
{
	if (peer->freed)
		return;
	peer->freed = true;
	struct bgp_speaker *speaker = peer->speaker;
	for (struct bgp_peer **p = &speaker->peers; *p; p = &(*p)->next) {
		if (*p == peer) {
			*p = peer->next;
			break;
		}
	}
	set_listener_keys(speaker, peer, false);
	/* Its connections are gone, so its session left the index with them; whatever path led
	 * here, the index never keeps a freed peer's connection. */
	bgp_session_set_established(peer, NULL);
	bgp_route_engine_drop_peer(speaker, peer);
	bgp_export_peer_free(peer);
	bgp_max_prefix_peer_free(peer);
	store_retire(peer);
	uv_close((uv_handle_t *)&peer->connect_retry_timer, peer_handle_closed);
	if (speaker->destroying && !speaker->peers) {
		for (int i = 0; i < 2; i++)
			if (speaker->listeners[i].active)
				uv_close((uv_handle_t *)&speaker->listeners[i].poll, NULL);
	}
}

static void peer_remove(struct bgp_peer *peer, uint8_t cease_subcode)
{
	peer->removed = true;
	struct bgp_error error;
	cease(&error, cease_subcode, NULL);
	peer_stop(peer, &error);
	if (!peer->outgoing && !peer->incoming)
		peer_free(peer);
}

void bgp_speaker_configure(struct bgp_speaker *speaker, const struct config *config)
{
	const struct config_bgp *bgp = &config->bgp;
	uint32_t router_id = bgp->has_router_id ? bgp->router_id : pick_router_id();
	bool identity_changed = speaker->local_as != bgp->asn || speaker->router_id != router_id;
	speaker->local_as = bgp->asn;
	speaker->router_id = router_id;
	speaker->hold_time = bgp->has_timers ? bgp->hold_time : CONFIG_DEFAULT_HOLD_TIME;
	bool decision_changed = speaker->always_compare_med != bgp->always_compare_med;
	speaker->cluster_id = bgp->cluster_id;
	speaker->always_compare_med = bgp->always_compare_med;
	speaker->ebgp_requires_policy = bgp->ebgp_requires_policy;
	speaker->enforce_first_as = !bgp->no_enforce_first_as;
	if (decision_changed)
		bgp_route_engine_redecide(speaker); /* every prefix is decided again */
	bgp_aggregate_configure(speaker, bgp);
	speaker->keepalive = bgp->has_timers ? bgp->keepalive : CONFIG_DEFAULT_KEEPALIVE;

	/* Peers no longer configured: Cease 6/3 (RFC 4486 Peer De-configured). */
	for (struct bgp_peer *peer = speaker->peers, *next; peer; peer = next) {
		next = peer->next;
		if (!peer->removed && !config_bgp_neighbor_find((struct config_bgp *)bgp, &peer->config.addr))
			peer_remove(peer, BGP_CEASE_PEER_DECONFIGURED);
	}
	for (size_t i = 0; i < bgp->neighbor_count; i++) {
		const struct config_bgp_neighbor *n = &bgp->neighbors[i];
		struct bgp_peer *peer = bgp_speaker_find_peer(speaker, &n->addr);
		if (!peer) {
			/* Connect on the next loop iteration, not now: interface addresses and static
			 * routes of the same configuration reach the kernel at the end of this one. */
			peer = peer_create(speaker, n);
			if (peer && peer_may_run(peer))
				peer_start(peer);
			continue;
		}
		/* What changed, and whether it needs a new session, is the settings' descriptors'
		 * to say (config.h: config_bgp_neighbor_change). */
		struct config_change change = { 0 };
		config_bgp_neighbor_change(&peer->config, n, &change);
		bool was_shutdown = peer->config.shutdown;
		set_listener_keys(speaker, peer, false);
		peer->config = *n;
		peer->ibgp = n->remote_as == speaker->local_as;
		set_listener_keys(speaker, peer, true);
		struct bgp_error error;
		if (n->shutdown && !was_shutdown) {
			cease(&error, BGP_CEASE_ADMIN_SHUTDOWN, n->shutdown_message);
			peer_stop(peer, &error);
			snprintf(peer->down_reason, sizeof(peer->down_reason), "Admin shutdown");
		} else if (!n->shutdown && (identity_changed || change.effect >= CONFIG_EFFECT_RESET)) {
			cease(&error, BGP_CEASE_CONFIG_CHANGE, NULL);
			peer_stop(peer, &error);
			peer_start(peer);
		} else if (!n->shutdown && was_shutdown) {
			peer_start(peer);
		} else if (config_change_has(&change, CLI_CMD_NEIGHBOR_SOFT_RECONFIGURATION) && peer->established &&
			   peer->established->fsm.state == BGP_STATE_ESTABLISHED) {
			soft_reconfiguration_changed(peer);
		}
		bgp_connect_policy_set_max(&peer->connect, n->connect_retry);
	}
	bgp_policy_change_configure(speaker, config);
}

void bgp_speaker_destroy(struct bgp_speaker *speaker, uint8_t cease_subcode)
{
	speaker->destroying = true;
	if (!speaker->peers) {
		for (int i = 0; i < 2; i++)
			if (speaker->listeners[i].active)
				uv_close((uv_handle_t *)&speaker->listeners[i].poll, NULL);
	}
	for (struct bgp_peer *peer = speaker->peers, *next; peer; peer = next) {
		next = peer->next;
		peer_remove(peer, cease_subcode);
	}
	/* Every peer's paths went with it (peer_free); what is still queued goes now. */
	bgp_route_engine_close(speaker);
	bgp_session_output_close(speaker);
	/* Listener fds close now; the speaker's memory is left to process exit or reuse. */
	for (int i = 0; i < 2; i++)
		if (speaker->listeners[i].active) {
			close(speaker->listeners[i].fd);
			speaker->listeners[i].active = false;
		}
}

uint32_t bgp_speaker_router_id(const struct bgp_speaker *speaker) { return speaker->router_id; }
struct bgp_rib *bgp_speaker_rib(struct bgp_speaker *speaker) { return speaker->rib; }

void bgp_speaker_next_hops_changed(struct bgp_speaker *speaker)
{
	bgp_route_engine_redecide(speaker);
	for (struct bgp_peer *peer = speaker->peers; peer; peer = peer->next) {
		if (peer->removed)
			continue;
		/* A try that failed may work now that the route to the peer appeared or changed:
		 * try at once, not after the backoff (connect_policy.h). */
		if (peer->connect.why == BGP_CONNECT_RETRY) {
			uint64_t signature = route_signature(peer);
			if (signature != peer->route_signature) {
				peer->route_signature = signature;
				if (signature && bgp_connect_policy_route_changed(&peer->connect, peer_now_ms(peer)))
					connect_schedule(peer);
			}
		}
		/* IOS fast-external-fallover: a single-hop eBGP session whose peer is no longer on a
		 * connected subnet (its interface went down) is closed now, not at hold expiry. */
		if (peer->established && bgp_peer_link_lost(peer)) {
			bgp_peer_log(peer, BGP_LOG_EVENT, "state", NULL,
				     "interface to the peer went down: session closed (fast external fallover)");
			struct bgp_error error;
			cease(&error, BGP_CEASE_CONFIG_CHANGE, NULL);
			peer_stop(peer, &error);
			if (peer_may_run(peer))
				connect_failed(peer, "interface to the peer went down");
		}
	}
}

uint32_t bgp_speaker_local_as(const struct bgp_speaker *speaker) { return speaker->local_as; }
struct bgp_peer *bgp_speaker_peers(struct bgp_speaker *speaker) { return speaker->peers; }

struct bgp_peer *bgp_speaker_find_peer(struct bgp_speaker *speaker, const struct ip_addr *addr)
{
	for (struct bgp_peer *peer = speaker->peers; peer; peer = peer->next)
		if (!peer->removed && ip_addr_equal(&peer->config.addr, addr))
			return peer;
	return NULL;
}

void bgp_speaker_set_debug(struct bgp_speaker *speaker, bool on)
{
	speaker->debug = on;
	for (struct bgp_peer *peer = speaker->peers; peer; peer = peer->next)
		peer->debug = on;
}
