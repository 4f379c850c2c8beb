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

#include "lib/log.h"

#define BGP_DEFAULT_CONNECT_RETRY 120 /* RFC 4271 §10 suggests 120 seconds */

static time_t monotonic_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

uint64_t bgp_jitter_ms(uint32_t base_seconds)
{
	/* RFC 4271 §10: multiply by a random factor between 0.75 and 1.0 */
	uint64_t base = (uint64_t)base_seconds * 1000;
	return base - (base * (uint64_t)(random() % 251)) / 1000;
}

void bgp_peer_log(struct bgp_peer *peer, enum bgp_log_direction direction, const char *type,
		  const char *json, const char *fmt, ...)
{
	unsigned slot = (peer->log_head + peer->log_count) % BGP_LOG_ENTRIES;
	if (peer->log_count == BGP_LOG_ENTRIES)
		peer->log_head = (peer->log_head + 1) % BGP_LOG_ENTRIES;
	else
		peer->log_count++;
	struct bgp_log_entry *e = &peer->log[slot];
	clock_gettime(CLOCK_REALTIME, &e->time);
	e->direction = direction;
	e->type = type;
	snprintf(e->json, sizeof(e->json), "%s", json ? json : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->text, sizeof(e->text), fmt, ap);
	va_end(ap);
	char addr[IP_ADDR_STRLEN];
	bool routine = !strcmp(type, "keepalive") || !strcmp(type, "update");
	log_msg(routine && !peer->debug ? LOG_LEVEL_DEBUG : LOG_LEVEL_INFO, "bgp %s: %s",
		ip_addr_format(&peer->config.addr, addr), e->text);
}

const struct bgp_log_entry *bgp_peer_log_at(const struct bgp_peer *peer, unsigned index)
{
	if (index >= peer->log_count)
		return NULL;
	return &peer->log[(peer->log_head + index) % BGP_LOG_ENTRIES];
}

static uint32_t connect_retry_seconds(const struct bgp_peer *peer)
{
	return peer->config.connect_retry ? peer->config.connect_retry : BGP_DEFAULT_CONNECT_RETRY;
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
	return true;
}

static void connect_retry_cb(uv_timer_t *timer);

static void arm_connect_retry(struct bgp_peer *peer, uint64_t ms)
{
	uv_timer_start(&peer->connect_retry_timer, connect_retry_cb, ms, 0);
	peer->connect_retry_running = true;
}

static void peer_try_connect(struct bgp_peer *peer)
{
	if (!peer_may_run(peer) || peer->established)
		return;
	arm_connect_retry(peer, bgp_jitter_ms(connect_retry_seconds(peer)));
	if (peer->config.passive || peer->outgoing)
		return;
	if (!bgp_peer_directly_connected(peer, &peer->config.addr, -1)) {
		snprintf(peer->down_reason, sizeof(peer->down_reason),
			 "EBGP peer not directly connected (configure ebgp-multihop or disable-connected-check)");
		peer->unreachable = true; /* an address or route that appears tries again at once */
		return;
	}
	peer->outgoing = bgp_connection_connect(peer);
}

static void connect_retry_cb(uv_timer_t *timer)
{
	struct bgp_peer *peer = timer->data;
	peer->connect_retry_running = false;
	/* RFC 4271 §8.2.2, Event 9: ConnectRetryTimer_Expires: try again */
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
	if (best == BGP_STATE_IDLE && peer->connect_retry_running)
		best = BGP_STATE_ACTIVE;
	return best;
}

void bgp_peer_connection_state(struct bgp_peer *peer, struct bgp_connection *conn,
			       enum bgp_state old_state)
{
	(void)old_state;
	if (conn->fsm.state == BGP_STATE_OPENCONFIRM) {
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
	}
	if (conn->fsm.state != BGP_STATE_ESTABLISHED)
		return;
	peer->established = conn;
	peer->established_count++;
	peer->last_change = monotonic_seconds();
	peer->down_reason[0] = '\0';
	peer->prefixes_received = 0;
	peer->unreachable = false;
	peer->updates_logged[0] = peer->updates_logged[1] = 0;
	uv_timer_stop(&peer->connect_retry_timer);
	peer->connect_retry_running = false;
	bgp_peer_log(peer, BGP_LOG_EVENT, "established", "",
		     "session Established on the connection initiated by %s",
		     conn->outgoing ? "us" : "the peer");
	struct bgp_connection *other = conn == peer->outgoing ? peer->incoming : peer->outgoing;
	if (other)
		bgp_connection_abort(other, "a session is Established on the other connection");
	if (!peer->ibgp && peer->speaker->ebgp_requires_policy &&
	    (!bgp_filter_has(&peer->filter, false) || !bgp_filter_has(&peer->filter, true)))
		bgp_peer_log(peer, BGP_LOG_EVENT, "policy", "",
			     "eBGP session without %s policy: no routes are %s "
			     "(bgp ebgp-requires-policy, RFC 8212)",
			     bgp_filter_has(&peer->filter, false) ? "export"
			     : bgp_filter_has(&peer->filter, true) ? "import" : "import or export",
			     bgp_filter_has(&peer->filter, false) ? "sent"
			     : bgp_filter_has(&peer->filter, true) ? "accepted" : "exchanged");
	/* The initial table, then End-of-RIB (RFC 4724 §2) */
	bgp_rib_peer_send_table(peer->speaker->rib, peer);
}

bool bgp_peer_resolve_collision(struct bgp_peer *peer, struct bgp_connection *conn,
				const struct bgp_open *open)
{
	struct bgp_connection *other = conn == peer->outgoing ? peer->incoming : peer->outgoing;
	if (!other)
		return true;
	char json[BGP_LOG_JSON_MAX];
	if (other->fsm.state == BGP_STATE_ESTABLISHED) {
		/* RFC 4271 §6.8: a collision with an Established session closes the new one */
		snprintf(json, sizeof(json), "\"closed\":\"%s\"", conn->outgoing ? "local" : "remote");
		bgp_peer_log(peer, BGP_LOG_EVENT, "collision", json,
			     "connection collision: a session is already Established, closing the new "
			     "connection initiated by %s", conn->outgoing ? "us" : "the peer");
		return false;
	}
	if (other->fsm.state < BGP_STATE_OPENSENT) {
		/* Our connect has not even completed: no collision, just a wasted attempt. */
		bgp_connection_abort(other, "the other connection already received an OPEN");
		return true;
	}
	/* RFC 4271 §6.8: the connection initiated by the higher BGP Identifier survives. */
	uint32_t local_id = peer->speaker->router_id;
	bool keep_outgoing = local_id > open->bgp_id;
	struct bgp_connection *loser = keep_outgoing ? peer->incoming : peer->outgoing;
	char local[16], remote[16];
	ipv4_format(local_id, local);
	ipv4_format(open->bgp_id, remote);
	snprintf(json, sizeof(json), "\"closed\":\"%s\",\"localId\":\"%s\",\"remoteId\":\"%s\"",
		 keep_outgoing ? "remote" : "local", local, remote);
	bgp_peer_log(peer, BGP_LOG_EVENT, "collision", json,
		     "connection collision: our BGP Identifier %s is %s than the peer's %s, so the "
		     "connection initiated by %s is closed with Cease 6/7",
		     local, keep_outgoing ? "higher" : "lower", remote, keep_outgoing ? "the peer" : "us");
	if (loser == conn)
		return false;
	bgp_connection_event(loser, BGP_EVENT_OPEN_COLLISION_DUMP, NULL);
	return true;
}

static void peer_free(struct bgp_peer *peer);

void bgp_peer_connection_gone(struct bgp_peer *peer, struct bgp_connection *conn)
{
	bool was_established = peer->established == conn;
	if (peer->outgoing == conn)
		peer->outgoing = NULL;
	if (peer->incoming == conn)
		peer->incoming = NULL;
	if (was_established) {
		peer->established = NULL;
		/* Every path of the peer goes at once (RFC 4271 §9.1: routes of a closed session
		 * are removed); the withdrawals and the routing table follow in one batch. */
		bgp_rib_peer_down(peer->speaker->rib, peer);
		peer->dropped_count++;
		peer->last_change = monotonic_seconds();
		peer->prefixes_received = 0;
		if (conn->fsm.notification_sent || conn->fsm.notification_received)
			snprintf(peer->last_reset, sizeof(peer->last_reset), "%s (NOTIFICATION %s: %s)",
				 conn->fsm.reason, conn->fsm.notification_sent ? "sent" : "received",
				 bgp_error_subcode_name(conn->fsm.last_notification.code,
							conn->fsm.last_notification.subcode));
		else
			snprintf(peer->last_reset, sizeof(peer->last_reset), "%s", conn->fsm.reason);
		bgp_peer_log(peer, BGP_LOG_EVENT, "state", "", "session down: %s", peer->last_reset);
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
	if (!peer->established && !peer->connect_retry_running && peer_may_run(peer))
		arm_connect_retry(peer, bgp_jitter_ms(connect_retry_seconds(peer)));
}

static void send_route_refresh(struct bgp_peer *peer, uint16_t afi, uint8_t subtype)
{
	struct bgp_route_refresh rr = { .afi = afi, .safi = BGP_SAFI_UNICAST, .subtype = subtype };
	uint8_t buf[BGP_ROUTE_REFRESH_LEN];
	struct writer w = writer_make(buf, sizeof(buf));
	size_t len = bgp_route_refresh_encode(&w, &rr);
	if (!len || !peer->established || !bgp_connection_send(peer->established, buf, len))
		return;
	peer->sent.by_type[BGP_MSG_ROUTE_REFRESH]++;
	peer->sent.total++;
	static const char *const names[] = { "ROUTE-REFRESH", "BoRR", "EoRR" };
	bgp_peer_log(peer, BGP_LOG_SENT, "route-refresh", "", "%s sent (%s unicast)", names[subtype % 3],
		     afi == BGP_AFI_IPV6 ? "IPv6" : "IPv4");
}

void bgp_peer_received_refresh(struct bgp_peer *peer, struct bgp_connection *conn,
			       const struct bgp_route_refresh *rr)
{
	(void)conn;
	if (rr->subtype != BGP_ROUTE_REFRESH_NORMAL)
		return; /* RFC 7313 §4: BoRR/EoRR from the peer frame its own re-advertisement */
	if (rr->safi != BGP_SAFI_UNICAST || (rr->afi != BGP_AFI_IPV4 && rr->afi != BGP_AFI_IPV6)) {
		/* RFC 2918 §4: a refresh for an AFI/SAFI we did not advertise is ignored */
		bgp_peer_log(peer, BGP_LOG_EVENT, "route-refresh", "", "ROUTE-REFRESH for AFI %u SAFI %u ignored",
			     rr->afi, rr->safi);
		return;
	}
	/* RFC 2918 §4: send the Adj-RIB-Out again; RFC 7313 §4 frames it with BoRR and EoRR
	 * when both sides offered enhanced route refresh. */
	bool enhanced = peer->session.sent_caps.enhanced_route_refresh &&
			peer->session.received_caps.enhanced_route_refresh;
	if (enhanced)
		send_route_refresh(peer, rr->afi, BGP_ROUTE_REFRESH_BORR);
	/* The EoRR follows the table's last UPDATE, whenever the socket lets that out. */
	bgp_export_send_table(peer, enhanced ? rr->afi : 0);
}

bool bgp_peer_request_refresh(struct bgp_peer *peer)
{
	if (!peer->established || !peer->session.received_caps.route_refresh)
		return false;
	send_route_refresh(peer, peer->config.addr.family == AF_INET6 ? BGP_AFI_IPV6 : BGP_AFI_IPV4,
			   BGP_ROUTE_REFRESH_NORMAL);
	return true;
}

void bgp_peer_resend(struct bgp_peer *peer)
{
	if (peer->established)
		bgp_rib_peer_send_table(peer->speaker->rib, peer);
}

/* Stops every connection of the peer; error NULL closes silently. */
static void peer_stop(struct bgp_peer *peer, const struct bgp_error *error)
{
	uv_timer_stop(&peer->connect_retry_timer);
	peer->connect_retry_running = false;
	struct bgp_connection *conns[2] = { peer->outgoing, peer->incoming };
	for (int i = 0; i < 2; i++) {
		if (!conns[i])
			continue;
		if (error)
			bgp_connection_event(conns[i], BGP_EVENT_ADMIN_STOP, &(struct bgp_fsm_input){ .error = error });
		else
			bgp_connection_abort(conns[i], "stopped");
	}
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
	cease(&error, BGP_CEASE_ADMIN_RESET, NULL);
	peer_stop(peer, &error);
	if (peer_may_run(peer))
		arm_connect_retry(peer, 1000);
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
		bgp_peer_log(peer, BGP_LOG_EVENT, "state", "", "connection from port %u refused: %s", port,
			     peer->down_reason);
		close(fd);
		return;
	}
	if (!bgp_peer_directly_connected(peer, &remote, fd)) {
		snprintf(peer->down_reason, sizeof(peer->down_reason),
			 "EBGP peer not directly connected (configure ebgp-multihop or disable-connected-check)");
		bgp_peer_log(peer, BGP_LOG_EVENT, "state", "",
			     "connection from port %u refused: EBGP peer not directly connected", port);
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
	speaker->rib = bgp_rib_create(speaker);
	if (!speaker->rib) {
		free(speaker);
		return NULL;
	}
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
	bgp_export_peer_free(peer);
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

/* Changes that need a new session (IOS resets the session for these). */
static bool neighbor_needs_reset(const struct config_bgp_neighbor *a, const struct config_bgp_neighbor *b)
{
	return a->remote_as != b->remote_as || strcmp(a->password, b->password) ||
	       strcmp(a->update_source_interface, b->update_source_interface) ||
	       !ip_addr_equal(&a->update_source_addr, &b->update_source_addr) ||
	       a->ebgp_multihop != b->ebgp_multihop || a->ebgp_multihop_ttl != b->ebgp_multihop_ttl ||
	       a->ttl_security_hops != b->ttl_security_hops ||
	       a->disable_connected_check != b->disable_connected_check ||
	       a->passive != b->passive;
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
	if (decision_changed)
		bgp_rib_next_hops_changed(speaker->rib); /* every prefix is decided again */
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
				arm_connect_retry(peer, 0);
			continue;
		}
		struct config_bgp_neighbor old = peer->config;
		bool was_shutdown = old.shutdown;
		set_listener_keys(speaker, peer, false);
		peer->config = *n;
		peer->ibgp = n->remote_as == speaker->local_as;
		set_listener_keys(speaker, peer, true);
		struct bgp_error error;
		if (n->shutdown && !was_shutdown) {
			cease(&error, BGP_CEASE_ADMIN_SHUTDOWN, n->shutdown_message);
			peer_stop(peer, &error);
			snprintf(peer->down_reason, sizeof(peer->down_reason), "Admin shutdown");
		} else if (!n->shutdown && (identity_changed || neighbor_needs_reset(&old, n))) {
			cease(&error, BGP_CEASE_CONFIG_CHANGE, NULL);
			peer_stop(peer, &error);
			peer_try_connect(peer);
		} else if (!n->shutdown && was_shutdown) {
			peer_try_connect(peer);
		}
	}
	bgp_filter_configure(speaker, config);
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
	bgp_rib_next_hops_changed(speaker->rib);
	for (struct bgp_peer *peer = speaker->peers; peer; peer = peer->next) {
		if (peer->removed)
			continue;
		/* A peer that had no route may have one now: try at once, not in two minutes. */
		if (peer->unreachable && !peer->established && !peer->outgoing && peer_may_run(peer)) {
			peer->unreachable = false;
			arm_connect_retry(peer, 0);
		}
		/* IOS fast-external-fallover: a single-hop eBGP session whose peer is no longer on a
		 * connected subnet (its interface went down) is closed now, not at hold expiry. */
		if (peer->established && bgp_peer_link_lost(peer)) {
			bgp_peer_log(peer, BGP_LOG_EVENT, "state", "",
				     "interface to the peer went down: session closed (fast external fallover)");
			struct bgp_error error;
			cease(&error, BGP_CEASE_CONFIG_CHANGE, NULL);
			peer_stop(peer, &error);
			if (peer_may_run(peer))
				arm_connect_retry(peer, bgp_jitter_ms(connect_retry_seconds(peer)));
		}
	}
}

bool bgp_speaker_resolve_next_hop(struct bgp_speaker *speaker, const struct ip_addr *next_hop, uint32_t *metric)
{
	*metric = 0;
	if (!speaker->options.resolve_next_hop)
		return true;
	return speaker->options.resolve_next_hop(speaker->options.context, next_hop, metric);
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
