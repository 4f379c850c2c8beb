/*
 * DOC: BGP transport connections.
 *
 * One struct bgp_connection per TCP connection: a non-blocking socket watched by a uv_poll,
 * a receive buffer that is drained in one go (every complete message in it is handled before
 * the next read: DESIGN.md principle 4), a capped send queue, and the hold and keepalive
 * timers. Bytes are framed and decoded by the pure codec (wire/bgp.h); what a message means
 * is decided by the FSM (fsm.h); this file only carries out the FSM's actions.
 *
 * Closing: after a NOTIFICATION the write side is shut and the socket lingers, reading and
 * discarding, until the peer closes or BGP_LINGER_MS pass, so that the NOTIFICATION is not
 * lost to a reset (closing a socket with unread input sends RST).
 */
#include "bgp/internal.h"

#include <errno.h>
#include <ifaddrs.h>
#include <netinet/tcp.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/ifname.h"
#include "lib/log.h"

#define BGP_READ_BUFFER (2 * BGP_MAX_EXTENDED_MESSAGE)

static void connection_poll_cb(uv_poll_t *handle, int status, int events);

/* The write queue's octets: [write_head, write_queue.count) are still to be sent. */
static inline uint8_t *write_bytes(const struct bgp_connection *conn)
{
	return conn->write_queue.items;
}
static void connection_close(struct bgp_connection *conn, bool linger);

static void connection_handle_closed(uv_handle_t *handle)
{
	struct bgp_connection *conn = handle->data;
	if (--conn->open_handles == 0) {
		free(conn->read_buf);
		array_free(&conn->write_queue);
		free(conn);
	}
}

static void connection_set_poll(struct bgp_connection *conn)
{
	if (conn->closed)
		return;
	int events = conn->read_paused ? 0 : UV_READABLE;
	if (conn->connecting || conn->write_queue.count > conn->write_head)
		events |= UV_WRITABLE;
	if (events != conn->poll_events) {
		conn->poll_events = events;
		if (events)
			uv_poll_start(&conn->poll, events, connection_poll_cb);
		else
			uv_poll_stop(&conn->poll);
	}
}

/* Keeps the speaker's total of queued output up to date. */
static void account_output(struct bgp_connection *conn)
{
	size_t now = conn->closed ? 0 : conn->write_queue.count - conn->write_head;
	conn->speaker->output_queued += now;
	conn->speaker->output_queued -= conn->accounted;
	conn->accounted = now;
}

static void read_available(struct bgp_connection *conn);

/* What arrived meanwhile is read when the loop next polls (poll is level-triggered), never
 * from here: this runs inside the route engine's slice too (bgp_session_input_drained). */
static void resume_connection(struct bgp_connection *conn)
{
	if (!conn || !conn->read_paused || conn->closed)
		return;
	conn->read_paused = false;
	connection_set_poll(conn);
}

/* Output drained (or the pause lasted long enough): every paused connection reads again. */
static void resume_reads(struct bgp_speaker *speaker)
{
	if (!speaker->reads_paused)
		return;
	speaker->reads_paused = false;
	uv_timer_stop(&speaker->resume_timer);
	for (struct bgp_peer *peer = speaker->peers; peer; peer = peer->next) {
		resume_connection(peer->outgoing);
		resume_connection(peer->incoming);
	}
}

static void resume_timer_cb(uv_timer_t *timer)
{
	resume_reads(timer->data);
}

void bgp_session_input_drained(struct bgp_speaker *speaker)
{
	if (!speaker->input_paused || speaker->events.bytes >= BGP_INPUT_LOW)
		return;
	speaker->input_paused = false;
	/* A connection that is still over the output mark pauses again at its next read. */
	for (struct bgp_peer *peer = speaker->peers; peer; peer = peer->next) {
		resume_connection(peer->outgoing);
		resume_connection(peer->incoming);
	}
}

/*
 * Backpressure on input (events.h): with BGP_INPUT_HIGH bytes of UPDATEs waiting for the route
 * engine, Established connections stop reading; their peers' TCP windows fill and they stop
 * sending. Connections still opening keep being read (an OPEN or a KEEPALIVE is small).
 */
static bool pause_for_input(struct bgp_connection *conn)
{
	struct bgp_speaker *speaker = conn->speaker;
	if (speaker->events.bytes < BGP_INPUT_HIGH || conn->lingering || conn->fsm.state != BGP_STATE_ESTABLISHED)
		return false;
	speaker->input_paused = true;
	conn->read_paused = true;
	connection_set_poll(conn);
	return true;
}

/* Should this connection stop reading for now? Only a connection with little of its own
 * waiting to be sent (a KEEPALIVE, an End-of-RIB): the peers we wait for keep being read,
 * so no two Terns can wait for each other. */
static bool pause_reading(struct bgp_connection *conn)
{
	struct bgp_speaker *speaker = conn->speaker;
	if (pause_for_input(conn))
		return true;
	if (speaker->output_queued < BGP_OUTPUT_HIGH || conn->accounted > BGP_OUTPUT_OWN_MAX || conn->lingering)
		return false;
	conn->read_paused = true;
	connection_set_poll(conn);
	if (!speaker->reads_paused) {
		speaker->reads_paused = true;
		if (!speaker->resume_timer.data) {
			uv_timer_init(speaker->loop, &speaker->resume_timer);
			speaker->resume_timer.data = speaker;
			uv_unref((uv_handle_t *)&speaker->resume_timer);
		}
		uv_timer_start(&speaker->resume_timer, resume_timer_cb, BGP_READ_PAUSE_MS, 0);
	}
	return true;
}

/*
 * RFC 4271 §4.4 and §10: the hold timer measures the time since the peer's last KEEPALIVE or
 * UPDATE was *received*. While we ourselves do not read the socket (our input backpressure,
 * events.h), whatever the peer sent waits in our socket buffer, so the silence is ours, not
 * the peer's: we do not declare the peer dead for it. The expiry is put off, one second at a
 * time, until reading resumes; then the peer's messages restart the timer as they are read,
 * and a peer that really fell silent expires at most a second after the pause ended. A pause
 * lasts as long as the route engine needs for BGP_INPUT_HIGH bytes (well under a second).
 */
#define BGP_HOLD_DEFER_MS 1000

static void hold_timer_cb(uv_timer_t *timer)
{
	struct bgp_connection *conn = timer->data;
	if (conn->read_paused && conn->speaker->input_paused && !conn->lingering) {
		uv_timer_start(&conn->hold_timer, hold_timer_cb, BGP_HOLD_DEFER_MS, 0);
		return;
	}
	bgp_connection_event(conn, BGP_EVENT_HOLD_TIMER_EXPIRES, NULL);
}

static void keepalive_timer_cb(uv_timer_t *timer)
{
	bgp_connection_event(timer->data, BGP_EVENT_KEEPALIVE_TIMER_EXPIRES, NULL);
}

static struct bgp_connection *connection_new(struct bgp_peer *peer, int fd, bool outgoing)
{
	struct bgp_connection *conn = calloc(1, sizeof(*conn));
	if (!conn)
		return NULL;
	array_init(&conn->write_queue, MEMORY_BGP, 1, BGP_WRITE_QUEUE_ARRAY_MAX);
	conn->read_buf = malloc(BGP_READ_BUFFER);
	if (!conn->read_buf) {
		free(conn);
		return NULL;
	}
	conn->read_cap = BGP_READ_BUFFER;
	conn->peer = peer;
	conn->speaker = peer->speaker;
	conn->fd = fd;
	conn->outgoing = outgoing;
	conn->max_message = BGP_MAX_MESSAGE;
	uv_loop_t *loop = peer->speaker->loop;
	uv_poll_init(loop, &conn->poll, fd);
	uv_timer_init(loop, &conn->hold_timer);
	uv_timer_init(loop, &conn->keepalive_timer);
	conn->poll.data = conn->hold_timer.data = conn->keepalive_timer.data = conn;
	conn->open_handles = 3;
	struct bgp_fsm_config config;
	bgp_fsm_config_for_peer(peer, &config);
	bgp_fsm_init(&conn->fsm, &config, outgoing);
	return conn;
}

static void connection_addresses(struct bgp_connection *conn)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	if (getsockname(conn->fd, (struct sockaddr *)&ss, &len) == 0)
		ip_addr_from_sockaddr((struct sockaddr *)&ss, &conn->local_addr, &conn->local_port);
	len = sizeof(ss);
	if (getpeername(conn->fd, (struct sockaddr *)&ss, &len) == 0)
		ip_addr_from_sockaddr((struct sockaddr *)&ss, &conn->remote_addr, &conn->remote_port);
}

/* RFC 2385: the key must be set on the socket before the SYN is sent or accepted. */
static int set_md5_key(int fd, const struct ip_addr *peer, const char *password)
{
	struct tcp_md5sig sig;
	memset(&sig, 0, sizeof(sig));
	struct sockaddr_storage ss;
	ip_addr_to_sockaddr(peer, 0, &ss);
	memcpy(&sig.tcpm_addr, &ss, sizeof(ss));
	size_t len = strlen(password);
	sig.tcpm_keylen = (uint16_t)len;
	memcpy(sig.tcpm_key, password, len);
	return setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG, &sig, sizeof(sig));
}

/* EBGP peers are one hop away unless ebgp-multihop says otherwise (RFC 4271 §5.1.3 and the
 * seed's §1): the TTL we send with says how far our packets may go. With GTSM (ttl-security)
 * every packet leaves with 255 (RFC 5082 §3). disable-connected-check keeps TTL 1. */
int bgp_peer_outgoing_ttl(const struct bgp_peer *peer)
{
	if (peer->ibgp || peer->config.ttl_security_hops)
		return 255;
	return peer->config.ebgp_multihop ? peer->config.ebgp_multihop_ttl : 1;
}

#ifndef IPV6_MINHOPCOUNT
#define IPV6_MINHOPCOUNT 73 /* linux/in6.h, Linux 2.6.35 */
#endif

/*
 * RFC 5082 §3 (GTSM): a peer N hops away sends with TTL 255, so what arrives has at least
 * 255 - N + 1 = 256 - N; the kernel drops anything lower before TCP sees it (IP_MINTTL,
 * IPV6_MINHOPCOUNT), so a forged packet from further away cannot even reset the session.
 *
 * What the RFC asks beside what we do: the check should cover every packet of the session.
 * On a connection we open the option is set before connect(), so the SYN-ACK is checked too.
 * On an accepted connection it is set the moment accept() returns it. The SYN and the rest of
 * the handshake were taken by the listener, which serves every peer and cannot carry one
 * peer's minimum (Linux has no per-source IP_MINTTL on a listener), and segments that arrived
 * between the handshake and accept() are already queued, unchecked. So the kernel completes
 * a handshake for a SYN from any distance; what we add: the listener saves each SYN's IP
 * header (TCP_SAVE_SYN) and bgp_connection_accept() refuses a connection whose SYN came with
 * too low a TTL, before reading a byte from it. What stays open: a sender that passes the SYN
 * check can slip segments in before accept() returns (FRR 8.4 has the same gap, see
 * tests/net/test_bgp_ttl.py). The listener itself answers with TTL 255 (SYN-ACKs reach a
 * peer whose own connect has its minimum set already).
 */
static void set_min_ttl(int fd, const struct bgp_peer *peer)
{
	if (!peer->config.ttl_security_hops)
		return;
	int min = 256 - peer->config.ttl_security_hops;
	char addr[IP_ADDR_STRLEN];
	int rc = peer->config.addr.family == AF_INET
			 ? setsockopt(fd, IPPROTO_IP, IP_MINTTL, &min, sizeof(min))
			 : setsockopt(fd, IPPROTO_IPV6, IPV6_MINHOPCOUNT, &min, sizeof(min));
	if (rc != 0)
		log_error("bgp %s: ttl-security: cannot set the minimum TTL %d: %s",
			  ip_addr_format(&peer->config.addr, addr), min, strerror(errno));
}

void bgp_listener_gtsm_options(int fd, int family)
{
	int ttl = 255, one = 1;
	if (family == AF_INET)
		setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
	else
		setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof(ttl));
	setsockopt(fd, IPPROTO_TCP, TCP_SAVE_SYN, &one, sizeof(one));
}

/* The TTL (IPv6: hop limit) the connection's SYN arrived with, from the header the listener
 * saved (TCP_SAVE_SYN), or -1. Reading it frees the kernel's copy. */
static int saved_syn_ttl(int fd, int family)
{
	uint8_t syn[256];
	socklen_t len = sizeof(syn);
	if (getsockopt(fd, IPPROTO_TCP, TCP_SAVED_SYN, syn, &len) != 0)
		return -1;
	if (family == AF_INET && len >= 20 && (syn[0] >> 4) == 4)
		return syn[8];
	if (family == AF_INET6 && len >= 40 && (syn[0] >> 4) == 6)
		return syn[7];
	return -1;
}

static void set_socket_options(int fd, const struct bgp_peer *peer)
{
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	int ttl = bgp_peer_outgoing_ttl(peer);
	int tos = IPTOS_PREC_INTERNETCONTROL;
	if (peer->config.addr.family == AF_INET) {
		setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
		setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, sizeof(tos));
	} else {
		setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof(ttl));
		setsockopt(fd, IPPROTO_IPV6, IPV6_TCLASS, &tos, sizeof(tos));
	}
	set_min_ttl(fd, peer);
}

/* update-source IFACE: the interface's first address of the peer's family. */
static bool interface_address(const char *name, int family, struct ip_addr *out)
{
	struct ifaddrs *list;
	if (getifaddrs(&list) != 0)
		return false;
	bool found = false;
	for (struct ifaddrs *ifa = list; ifa && !found; ifa = ifa->ifa_next) {
		if (!ifa->ifa_addr || ifa->ifa_addr->sa_family != family || strcmp(ifa->ifa_name, name))
			continue;
		ip_addr_from_sockaddr(ifa->ifa_addr, out, NULL);
		/* On lo, skip 127.0.0.1 and ::1: a router's loopback address is its own. */
		if (family == AF_INET && (ip_addr_v4(out) >> 24) == 127)
			continue;
		if (family == AF_INET6 && out->bytes[15] == 1 && !memcmp(out->bytes, (uint8_t[15]){ 0 }, 15))
			continue;
		found = true;
	}
	freeifaddrs(list);
	return found;
}

static bool update_source(const struct bgp_peer *peer, struct ip_addr *out)
{
	if (ip_addr_is_set(&peer->config.update_source_addr)) {
		*out = peer->config.update_source_addr;
		return true;
	}
	if (peer->config.update_source_interface[0]) {
		/* IOS names (Loopback0, f0/0) map to Linux ones by the one rule of lib/ifname.h */
		struct ifname name;
		if (!ifname_parse(peer->config.update_source_interface, &name))
			return false;
		return interface_address(name.linux_name, peer->config.addr.family, out);
	}
	return false;
}

struct bgp_connection *bgp_connection_connect(struct bgp_peer *peer)
{
	char addr[IP_ADDR_STRLEN];
	int family = peer->config.addr.family;
	int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		log_error("bgp %s: socket: %s", ip_addr_format(&peer->config.addr, addr), strerror(errno));
		return NULL;
	}
	if (peer->config.password[0] && set_md5_key(fd, &peer->config.addr, peer->config.password) != 0)
		log_error("bgp %s: TCP_MD5SIG: %s", ip_addr_format(&peer->config.addr, addr), strerror(errno));
	set_socket_options(fd, peer);

	struct ip_addr source;
	if (update_source(peer, &source)) {
		struct sockaddr_storage ss;
		socklen_t len = ip_addr_to_sockaddr(&source, 0, &ss);
		if (bind(fd, (struct sockaddr *)&ss, len) != 0) {
			char src[IP_ADDR_STRLEN];
			snprintf(peer->down_reason, sizeof(peer->down_reason),
				 "cannot bind update-source %s: %s", ip_addr_format(&source, src), strerror(errno));
			log_warning("bgp %s: %s", ip_addr_format(&peer->config.addr, addr), peer->down_reason);
			close(fd);
			return NULL;
		}
	} else if (peer->config.update_source_interface[0]) {
		snprintf(peer->down_reason, sizeof(peer->down_reason),
			 "update-source %s has no address", peer->config.update_source_interface);
		close(fd);
		return NULL;
	}

	struct sockaddr_storage ss;
	socklen_t len = ip_addr_to_sockaddr(&peer->config.addr, peer->speaker->options.port, &ss);
	if (connect(fd, (struct sockaddr *)&ss, len) != 0 && errno != EINPROGRESS) {
		snprintf(peer->down_reason, sizeof(peer->down_reason), "connect: %s", strerror(errno));
		close(fd);
		return NULL;
	}
	struct bgp_connection *conn = connection_new(peer, fd, true);
	if (!conn) {
		close(fd);
		return NULL;
	}
	conn->connecting = true;
	conn->remote_addr = peer->config.addr;
	conn->remote_port = peer->speaker->options.port;
	connection_set_poll(conn);
	return conn;
}

/* The JSON members of a tcp-connect entry (both directions of connecting). */
static void log_tcp_connect_members(struct bgp_log_members *members, const char *local, uint16_t local_port,
				    const char *remote, uint16_t remote_port, const char *initiator)
{
	bgp_log_add_string(members, "localAddress", local);
	bgp_log_add_uint(members, "localPort", local_port);
	bgp_log_add_string(members, "remoteAddress", remote);
	bgp_log_add_uint(members, "remotePort", remote_port);
	bgp_log_add_string(members, "initiator", initiator);
}

struct bgp_connection *bgp_connection_accept(struct bgp_peer *peer, int fd)
{
	/* RFC 5082 §3 for the SYN, which the shared listener could not filter: its saved header
	 * tells the TTL it came with. */
	int syn_ttl = saved_syn_ttl(fd, peer->config.addr.family);
	if (peer->config.ttl_security_hops && syn_ttl >= 0 && syn_ttl < 256 - peer->config.ttl_security_hops) {
		struct bgp_log_members members = { 0 };
		bgp_log_add_uint(&members, "synTtl", (uint64_t)syn_ttl);
		bgp_log_add_uint(&members, "minTtl", 256u - peer->config.ttl_security_hops);
		bgp_peer_log(peer, BGP_LOG_EVENT, "state", &members,
			     "connection refused: its SYN arrived with TTL %d, ttl-security hops %u wants "
			     "at least %d (RFC 5082)",
			     syn_ttl, peer->config.ttl_security_hops, 256 - peer->config.ttl_security_hops);
		return NULL;
	}
	struct bgp_connection *conn = connection_new(peer, fd, false);
	if (!conn)
		return NULL;
	set_socket_options(fd, peer);
	connection_addresses(conn);
	char local[IP_ADDR_STRLEN], remote[IP_ADDR_STRLEN];
	ip_addr_format(&conn->local_addr, local);
	ip_addr_format(&conn->remote_addr, remote);
	struct bgp_log_members members = { 0 };
	log_tcp_connect_members(&members, local, conn->local_port, remote, conn->remote_port, "remote");
	bgp_peer_log(peer, BGP_LOG_EVENT, "tcp-connect", &members,
		     "TCP connection from %s port %u to %s port %u accepted (the peer connected first)",
		     remote, conn->remote_port, local, conn->local_port);
	connection_set_poll(conn);
	/* The caller records the connection, then confirms it (BGP_EVENT_TCP_CONNECTION_CONFIRMED). */
	return conn;
}

static void flush_writes(struct bgp_connection *conn);

bool bgp_connection_send(struct bgp_connection *conn, const uint8_t *data, size_t len)
{
	if (conn->closed || conn->lingering)
		return false;
	/* Never a send() per message: messages are queued and the socket, writable at once,
	 * takes the whole batch in the same loop iteration (one syscall for a thousand UPDATEs). */
	struct array *queue = &conn->write_queue;
	if (queue->count - conn->write_head + len > BGP_WRITE_QUEUE_MAX)
		return false;
	/* Sent bytes are dropped from the front only now and then, never per send(). */
	if (conn->write_head && (conn->write_head == queue->count || conn->write_head > queue->capacity / 2)) {
		memmove(queue->items, write_bytes(conn) + conn->write_head, queue->count - conn->write_head);
		queue->count -= conn->write_head;
		conn->write_head = 0;
	}
	if (array_reserve(queue, len) != ARRAY_OK)
		return false;
	memcpy(write_bytes(conn) + queue->count, data, len);
	queue->count += len;
	/* A big batch (a table, a dropped table's withdrawals) starts out while it is still being
	 * made, so the peer works on it in parallel: a send() per BGP_WRITE_EARLY octets. */
	if (conn->write_queue.count - conn->write_head >= BGP_WRITE_EARLY && !conn->connecting)
		flush_writes(conn);
	account_output(conn);
	if (conn->peer && conn->write_queue.count - conn->write_head > conn->peer->output_queued_peak)
		conn->peer->output_queued_peak = conn->write_queue.count - conn->write_head;
	connection_set_poll(conn);
	return true;
}

static void flush_writes(struct bgp_connection *conn)
{
	while (conn->write_head < conn->write_queue.count) {
		ssize_t n = send(conn->fd, write_bytes(conn) + conn->write_head, conn->write_queue.count - conn->write_head,
				 MSG_NOSIGNAL);
		if (n <= 0)
			break;
		conn->write_head += (size_t)n;
	}
	if (conn->write_head == conn->write_queue.count)
		conn->write_head = conn->write_queue.count = 0;
	account_output(conn);
	if (conn->speaker->output_queued < BGP_OUTPUT_LOW)
		resume_reads(conn->speaker);
}

/* A message of the session engine's own (OPEN, KEEPALIVE, NOTIFICATION) goes behind what the
 * route engine queued before it (session_output.c). */
static bool send_own(struct bgp_connection *conn, const uint8_t *data, size_t len)
{
	if (!bgp_output_queue_empty(&conn->speaker->output))
		bgp_session_output_drain(conn->speaker);
	return bgp_connection_send(conn, data, len);
}

static void count_sent(struct bgp_connection *conn, uint8_t type)
{
	if (conn->peer && type < BGP_MSG_TYPE_COUNT) {
		conn->peer->sent.by_type[type]++;
		conn->peer->sent.total++;
	}
}

static void capabilities_text(const struct bgp_capabilities *caps, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
#define CAP_APPEND(...)                                                                        \
	do {                                                                                   \
		int n = snprintf(buf + used, size - used, __VA_ARGS__);                        \
		if (n > 0 && (size_t)n < size - used)                                          \
			used += (size_t)n;                                                     \
	} while (0)
	for (unsigned i = 0; i < caps->multiprotocol_count; i++)
		CAP_APPEND("%sMP %s", used ? ", " : "",
			   caps->multiprotocol[i].afi == BGP_AFI_IPV6 ? "IPv6" : "IPv4");
	if (caps->route_refresh)
		CAP_APPEND("%sRoute Refresh", used ? ", " : "");
	if (caps->enhanced_route_refresh)
		CAP_APPEND("%sEnhanced Route Refresh", used ? ", " : "");
	if (caps->as4)
		CAP_APPEND("%s4-Octet AS %u", used ? ", " : "", caps->as4_number);
	if (caps->extended_message)
		CAP_APPEND("%sExtended Message", used ? ", " : "");
	if (caps->graceful_restart)
		CAP_APPEND("%sGraceful Restart", used ? ", " : "");
	for (unsigned i = 0; i < caps->unknown_count; i++)
		CAP_APPEND("%sCapability %u", used ? ", " : "", caps->unknown[i].code);
#undef CAP_APPEND
}

static void log_open_message(struct bgp_peer *peer, enum bgp_log_direction dir, const struct bgp_open *open)
{
	char id[16], caps[160];
	ipv4_format(open->bgp_id, id);
	capabilities_text(&open->caps, caps, sizeof(caps));
	uint32_t as = bgp_open_peer_as(open);
	struct bgp_log_members members = { 0 };
	bgp_log_add_uint(&members, "myAs", as);
	bgp_log_add_uint(&members, "holdTime", open->hold_time);
	bgp_log_add_string(&members, "bgpId", id);
	bgp_peer_log(peer, dir, "open", &members, "OPEN %s: My AS %u, Hold Time %u, BGP Identifier %s%s%s",
		     dir == BGP_LOG_SENT ? "sent" : "received", as, open->hold_time, id,
		     caps[0] ? "; capabilities: " : "", caps);
}

static void log_notification(struct bgp_peer *peer, enum bgp_log_direction dir,
			     const struct bgp_error *error, const char *message)
{
	const char *name = bgp_error_subcode_name(error->code, error->subcode);
	struct bgp_log_members members = { 0 };
	bgp_log_add_uint(&members, "code", error->code);
	bgp_log_add_uint(&members, "subcode", error->subcode);
	bgp_log_add_string(&members, "name", name);
	bgp_peer_log(peer, dir, "notification", &members, "NOTIFICATION %s: %u/%u %s%s%s%s",
		     dir == BGP_LOG_SENT ? "sent" : "received", error->code, error->subcode, name,
		     message && message[0] ? " \"" : "", message ? message : "",
		     message && message[0] ? "\"" : "");
}

static void send_open(struct bgp_connection *conn)
{
	struct bgp_peer *peer = conn->peer;
	struct bgp_open open = {
		.version = BGP_VERSION,
		/* RFC 6793 §4.1: a 4-octet AS goes in the capability, AS_TRANS in My AS */
		.my_as = conn->fsm.config.local_as > 0xffff ? BGP_AS_TRANS
							    : (uint16_t)conn->fsm.config.local_as,
		.hold_time = conn->fsm.config.hold_time,
		.bgp_id = conn->fsm.config.local_id,
		.caps = conn->fsm.config.capabilities,
	};
	uint8_t buf[BGP_MAX_MESSAGE];
	struct writer w = writer_make(buf, sizeof(buf));
	size_t len = bgp_open_encode(&w, &open);
	if (!len || !send_own(conn, buf, len))
		return;
	count_sent(conn, BGP_MSG_OPEN);
	log_open_message(peer, BGP_LOG_SENT, &open);
}

static void send_keepalive(struct bgp_connection *conn)
{
	uint8_t buf[BGP_KEEPALIVE_LEN];
	struct writer w = writer_make(buf, sizeof(buf));
	size_t len = bgp_keepalive_encode(&w);
	if (!len || !send_own(conn, buf, len))
		return;
	count_sent(conn, BGP_MSG_KEEPALIVE);
	/* Periodic keepalives are counted, not logged: the log keeps the session's story. */
	if (conn->fsm.state != BGP_STATE_ESTABLISHED || conn->peer->debug)
		bgp_peer_log(conn->peer, BGP_LOG_SENT, "keepalive", NULL, "KEEPALIVE sent");
}

static void send_notification(struct bgp_connection *conn, const struct bgp_error *error)
{
	struct bgp_notification n = {
		.code = error->code,
		.subcode = error->subcode,
		.data_len = error->data_len,
		.data = error->data,
	};
	uint8_t buf[BGP_MAX_MESSAGE];
	struct writer w = writer_make(buf, sizeof(buf));
	size_t len = bgp_notification_encode(&w, &n);
	if (!len || !send_own(conn, buf, len))
		return;
	count_sent(conn, BGP_MSG_NOTIFICATION);
	struct bgp_peer *peer = conn->peer;
	peer->has_notification_sent = true;
	peer->notification_sent = *error;
	char message[256] = "";
	if (error->code == BGP_ERR_CEASE &&
	    (error->subcode == BGP_CEASE_ADMIN_SHUTDOWN || error->subcode == BGP_CEASE_ADMIN_RESET) &&
	    error->data_len > 1 && error->data[0] == error->data_len - 1) {
		memcpy(message, error->data + 1, error->data[0]);
		message[error->data[0]] = '\0';
	}
	log_notification(peer, BGP_LOG_SENT, error, message);
}

static void arm_timer(struct bgp_connection *conn, enum bgp_timer timer, uint32_t seconds)
{
	if (timer == BGP_TIMER_HOLD)
		uv_timer_start(&conn->hold_timer, hold_timer_cb, (uint64_t)seconds * 1000, 0);
	else /* RFC 4271 §10: keepalives are jittered */
		uv_timer_start(&conn->keepalive_timer, keepalive_timer_cb, bgp_jitter_ms(seconds), 0);
}

void bgp_connection_event(struct bgp_connection *conn, enum bgp_event event,
			  const struct bgp_fsm_input *input)
{
	if (conn->closed || !conn->peer)
		return;
	struct bgp_actions actions;
	enum bgp_state old_state = conn->fsm.state;
	bgp_fsm_event(&conn->fsm, event, input, &actions);
	bool close_it = false, linger = false;
	for (unsigned i = 0; i < actions.count; i++) {
		const struct bgp_action *a = &actions.list[i];
		switch (a->kind) {
		case BGP_ACTION_SEND_OPEN:
			send_open(conn);
			break;
		case BGP_ACTION_SEND_KEEPALIVE:
			send_keepalive(conn);
			break;
		case BGP_ACTION_SEND_NOTIFICATION:
			send_notification(conn, &a->error);
			linger = true;
			break;
		case BGP_ACTION_TIMER_START:
			arm_timer(conn, a->timer, a->seconds);
			break;
		case BGP_ACTION_TIMER_STOP:
			uv_timer_stop(a->timer == BGP_TIMER_HOLD ? &conn->hold_timer : &conn->keepalive_timer);
			break;
		case BGP_ACTION_CLOSE:
			close_it = true;
			break;
		case BGP_ACTION_ESTABLISHED:
			break; /* reported through the state change below */
		}
	}
	if (conn->fsm.state != old_state) {
		/* A new session: bytes the route engine queued for an earlier one never reach it. */
		if (conn->fsm.state == BGP_STATE_ESTABLISHED)
			conn->session_id = ++conn->speaker->last_session_id;
		bgp_peer_log(conn->peer, BGP_LOG_EVENT, "state", NULL, "%s -> %s (%s, %s connection)",
			     bgp_state_name(old_state), bgp_state_name(conn->fsm.state), conn->fsm.reason,
			     conn->outgoing ? "our" : "the peer's");
		conn->speaker->session_owner->state_changed(conn->peer, conn, old_state);
	}
	if (close_it)
		connection_close(conn, linger);
}

static void linger_timer_cb(uv_timer_t *timer)
{
	struct bgp_connection *conn = timer->data;
	conn->lingering = false;
	connection_close(conn, false);
}

/* Detaches the connection from its peer and releases it, now or after lingering. */
static void connection_close(struct bgp_connection *conn, bool linger)
{
	if (conn->closed)
		return;
	if (conn->peer) {
		struct bgp_peer *peer = conn->peer;
		conn->peer = NULL;
		conn->speaker->session_owner->connection_gone(peer, conn);
	}
	uv_timer_stop(&conn->keepalive_timer);
	uv_timer_stop(&conn->hold_timer);
	if (linger && !conn->lingering) {
		flush_writes(conn);
		shutdown(conn->fd, SHUT_WR);
		conn->lingering = true;
		conn->write_queue.count = conn->write_head = 0;
		account_output(conn);
		conn->read_paused = false;
		uv_poll_start(&conn->poll, UV_READABLE, connection_poll_cb);
		conn->poll_events = UV_READABLE;
		uv_timer_start(&conn->hold_timer, linger_timer_cb, BGP_LINGER_MS, 0);
		return;
	}
	conn->closed = true;
	account_output(conn);
	uv_poll_stop(&conn->poll);
	close(conn->fd);
	uv_close((uv_handle_t *)&conn->poll, connection_handle_closed);
	uv_close((uv_handle_t *)&conn->hold_timer, connection_handle_closed);
	uv_close((uv_handle_t *)&conn->keepalive_timer, connection_handle_closed);
}

void bgp_connection_abort(struct bgp_connection *conn, const char *reason)
{
	if (conn->peer)
		bgp_peer_log(conn->peer, BGP_LOG_EVENT, "state", NULL, "%s connection dropped: %s",
			     conn->outgoing ? "our" : "the peer's", reason);
	connection_close(conn, false);
}

static void connect_finished(struct bgp_connection *conn)
{
	int error = 0;
	socklen_t len = sizeof(error);
	conn->connecting = false;
	getsockopt(conn->fd, SOL_SOCKET, SO_ERROR, &error, &len);
	struct bgp_peer *peer = conn->peer;
	if (error) {
		snprintf(peer->down_reason, sizeof(peer->down_reason), "connect: %s", strerror(error));
		bgp_connection_event(conn, BGP_EVENT_TCP_CONNECTION_FAILS, NULL);
		return;
	}
	connection_addresses(conn);
	char local[IP_ADDR_STRLEN], remote[IP_ADDR_STRLEN];
	ip_addr_format(&conn->local_addr, local);
	ip_addr_format(&conn->remote_addr, remote);
	struct bgp_log_members members = { 0 };
	log_tcp_connect_members(&members, local, conn->local_port, remote, conn->remote_port, "local");
	bgp_peer_log(peer, BGP_LOG_EVENT, "tcp-connect", &members,
		     "TCP connection from %s port %u (random local port) to %s port %u established",
		     local, conn->local_port, remote, conn->remote_port);
	connection_set_poll(conn);
	bgp_connection_event(conn, BGP_EVENT_TCP_CR_ACKED, NULL);
}

static void handle_open(struct bgp_connection *conn, struct reader *body)
{
	struct bgp_peer *peer = conn->peer;
	struct bgp_open open;
	struct bgp_error error;
	if (!bgp_open_decode(body, &open, &error)) {
		bgp_peer_log(peer, BGP_LOG_RECEIVED, "open", NULL, "OPEN received: malformed");
		bgp_connection_event(conn, BGP_EVENT_BGP_OPEN_MSG_ERR, &(struct bgp_fsm_input){ .error = &error });
		return;
	}
	log_open_message(peer, BGP_LOG_RECEIVED, &open);
	if (conn->fsm.state != BGP_STATE_OPENSENT) {
		bgp_connection_event(conn, BGP_EVENT_BGP_OPEN, &(struct bgp_fsm_input){ .open = &open });
		return;
	}
	if (!bgp_open_check(&open, peer->config.remote_as, conn->fsm.config.local_id, &error)) {
		bgp_connection_event(conn, BGP_EVENT_BGP_OPEN_MSG_ERR, &(struct bgp_fsm_input){ .error = &error });
		return;
	}
	if (!conn->speaker->session_owner->resolve_collision(peer, conn, &open)) {
		bgp_connection_event(conn, BGP_EVENT_OPEN_COLLISION_DUMP, NULL);
		return;
	}
	/* RFC 8654 §3: larger messages only once both sides have offered them. */
	if (open.caps.extended_message && conn->fsm.config.capabilities.extended_message)
		conn->max_message = BGP_MAX_EXTENDED_MESSAGE;
	bgp_connection_event(conn, BGP_EVENT_BGP_OPEN, &(struct bgp_fsm_input){ .open = &open });
}

static void handle_notification(struct bgp_connection *conn, struct reader *body)
{
	struct bgp_notification n;
	struct bgp_error error = { 0 };
	bgp_notification_decode(body, &n);
	error.code = n.code;
	error.subcode = n.subcode;
	error.data_len = n.data_len < BGP_ERROR_DATA_MAX ? n.data_len : BGP_ERROR_DATA_MAX;
	if (error.data_len)
		memcpy(error.data, n.data, error.data_len);
	struct bgp_peer *peer = conn->peer;
	peer->has_notification_received = true;
	peer->notification_received = error;
	snprintf(peer->shutdown_message_received, sizeof(peer->shutdown_message_received), "%s",
		 n.has_shutdown_message ? n.shutdown_message : "");
	/* RFC 9003 text is the peer's: control characters never reach a log or a terminal, and
	 * octets that are not UTF-8 (which §2 asks for) never reach a JSON document. */
	bgp_peer_text_sanitise(peer->shutdown_message_received);
	log_notification(peer, BGP_LOG_RECEIVED, &error,
			 n.has_shutdown_message ? peer->shutdown_message_received : NULL);
	/* RFC 4271 §8.1, Event 24: a version error lets a speaker retry with another version */
	enum bgp_event event = n.code == BGP_ERR_OPEN && n.subcode == BGP_ERR_OPEN_UNSUPPORTED_VERSION
				       ? BGP_EVENT_NOTIF_MSG_VER_ERR
				       : BGP_EVENT_NOTIF_MSG;
	bgp_connection_event(conn, event, &(struct bgp_fsm_input){ .error = &error });
}

/* An UPDATE is framed here once and handed to the route engine (events.h), which applies it
 * from the loop; receiving it is what the FSM hears about (it restarts the hold timer, RFC
 * 4271 §8.2.2). A malformed UPDATE comes back as bgp_session_route_error(). */
static void handle_update(struct bgp_connection *conn, struct reader *body)
{
	if (conn->fsm.state != BGP_STATE_ESTABLISHED) {
		bgp_connection_event(conn, BGP_EVENT_UPDATE_MSG, NULL); /* the FSM's error */
		return;
	}
	struct bgp_peer *peer = conn->peer;
	size_t len = reader_remaining(body);
	if (!bgp_event_queue_update(&peer->speaker->events, peer, reader_ptr(body), len)) {
		struct bgp_error error = { .code = BGP_ERR_CEASE, .subcode = BGP_CEASE_OUT_OF_RESOURCES };
		bgp_connection_event(conn, BGP_EVENT_AUTOMATIC_STOP, &(struct bgp_fsm_input){ .error = &error });
		return;
	}
	bgp_connection_event(conn, BGP_EVENT_UPDATE_MSG, NULL);
}

void bgp_session_route_error(struct bgp_peer *peer, enum bgp_event event, const struct bgp_error *error)
{
	if (peer->established)
		bgp_connection_event(peer->established, event, &(struct bgp_fsm_input){ .error = error });
}

static void handle_route_refresh(struct bgp_connection *conn, struct reader *body)
{
	struct bgp_route_refresh rr;
	struct bgp_error error;
	if (!bgp_route_refresh_decode(body, &rr, &error)) {
		bgp_connection_event(conn, BGP_EVENT_BGP_HEADER_ERR, &(struct bgp_fsm_input){ .error = &error });
		return;
	}
	if (conn->fsm.state != BGP_STATE_ESTABLISHED) {
		bgp_connection_event(conn, BGP_EVENT_ROUTE_REFRESH_MSG, NULL); /* the FSM's error */
		return;
	}
	bgp_connection_event(conn, BGP_EVENT_ROUTE_REFRESH_MSG, NULL);
	/* The table goes out from the route engine, after the UPDATEs that came before. */
	if (conn->peer && conn->fsm.state == BGP_STATE_ESTABLISHED)
		bgp_event_queue_refresh(&conn->peer->speaker->events, conn->peer, &rr);
}

/* Handles every complete message in the read buffer, each framed once. */
static void process_messages(struct bgp_connection *conn)
{
	size_t offset = 0;
	while (conn->peer && !conn->closed) {
		struct bgp_header hdr;
		struct bgp_error error;
		int framed = bgp_frame(conn->read_buf + offset, conn->read_len - offset, conn->max_message,
				       &hdr, &error);
		if (framed == 0)
			break;
		if (framed < 0) {
			bgp_peer_log(conn->peer, BGP_LOG_RECEIVED, "error", NULL, "bad message header: %s",
				     bgp_error_subcode_name(error.code, error.subcode));
			bgp_connection_event(conn, BGP_EVENT_BGP_HEADER_ERR, &(struct bgp_fsm_input){ .error = &error });
			break;
		}
		struct reader body = reader_make(conn->read_buf + offset + BGP_HEADER_LEN,
						 hdr.length - BGP_HEADER_LEN);
		offset += hdr.length;
		struct bgp_peer *peer = conn->peer;
		peer->received.by_type[hdr.type]++;
		peer->received.total++;
		switch (hdr.type) {
		case BGP_MSG_OPEN:
			handle_open(conn, &body);
			break;
		case BGP_MSG_UPDATE:
			handle_update(conn, &body);
			break;
		case BGP_MSG_NOTIFICATION:
			handle_notification(conn, &body);
			break;
		case BGP_MSG_KEEPALIVE:
			if (conn->fsm.state != BGP_STATE_ESTABLISHED || peer->debug)
				bgp_peer_log(peer, BGP_LOG_RECEIVED, "keepalive", NULL, "KEEPALIVE received");
			bgp_connection_event(conn, BGP_EVENT_KEEPALIVE_MSG, NULL);
			break;
		case BGP_MSG_ROUTE_REFRESH:
			bgp_peer_log(peer, BGP_LOG_RECEIVED, "route-refresh", NULL, "ROUTE-REFRESH received");
			handle_route_refresh(conn, &body);
			break;
		}
	}
	/* The route engine applies the batch after this loop's reads, in one decision and export
	 * run (route_engine.c, DESIGN.md principle 4). */
	if (conn->closed || !conn->peer)
		return;
	memmove(conn->read_buf, conn->read_buf + offset, conn->read_len - offset);
	conn->read_len -= offset;
}

/*
 * BGP_INPUT_PER_ITERATION (internal.h): what all Established sessions together may read in
 * one loop iteration. Each wake-up reads up to BGP_READS_PER_WAKEUP buffers, about a megabyte; when the route engine's queue fell
 * below BGP_INPUT_LOW, ten feeders of a full table each took theirs in the same iteration,
 * and framing and queueing those ten megabytes held the loop 40 ms beyond the route engine's
 * slice (bench stall). The rest waits in the sockets (poll is level-triggered) for the next
 * iteration; the route engine's check phase starts the next iteration's count
 * (bgp_session_iteration_begin). One busy peer reads as much per wake-up as before.
 */
void bgp_session_iteration_begin(struct bgp_speaker *speaker)
{
	speaker->input_this_iteration = 0;
}

static void read_available(struct bgp_connection *conn)
{
	/* A few reads per wake-up, then back to the loop: other sockets (a slow peer's writes
	 * above all) get their turn, and poll is level-triggered, so nothing is lost. */
	for (int reads = 0; reads < BGP_READS_PER_WAKEUP; reads++) {
		if (conn->lingering) {
			uint8_t discard[4096];
			ssize_t n = recv(conn->fd, discard, sizeof(discard), 0);
			if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
				conn->lingering = false;
				uv_timer_stop(&conn->hold_timer);
				connection_close(conn, false);
			}
			if (n <= 0)
				return;
			continue;
		}
		if (pause_reading(conn))
			return;
		bool established = conn->fsm.state == BGP_STATE_ESTABLISHED;
		if (established && conn->speaker->input_this_iteration >= BGP_INPUT_PER_ITERATION)
			return;
		ssize_t n = recv(conn->fd, conn->read_buf + conn->read_len, conn->read_cap - conn->read_len, 0);
		if (n > 0) {
			if (established)
				conn->speaker->input_this_iteration += (size_t)n;
			conn->read_len += (size_t)n;
			process_messages(conn);
			if (conn->closed || !conn->peer)
				return;
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (conn->peer)
			snprintf(conn->peer->down_reason, sizeof(conn->peer->down_reason), "%s",
				 n == 0 ? "the peer closed the TCP connection" : strerror(errno));
		bgp_connection_event(conn, BGP_EVENT_TCP_CONNECTION_FAILS, NULL);
		return;
	}
}

static void connection_poll_cb(uv_poll_t *handle, int status, int events)
{
	struct bgp_connection *conn = handle->data;
	if (conn->closed)
		return;
	if (conn->connecting) {
		if (status < 0 || (events & (UV_WRITABLE | UV_READABLE)))
			connect_finished(conn);
		return;
	}
	if (events & UV_WRITABLE) {
		flush_writes(conn);
		/* Room again: the route engine carries a table dump to this peer on after this
		 * poll phase, not from inside this callback: its check handle runs after every
		 * poll phase and finds the dump runnable (route_engine.c). */
		connection_set_poll(conn);
	}
	if ((events & UV_READABLE) || status < 0)
		read_available(conn);
}

void bgp_fsm_config_for_peer(const struct bgp_peer *peer, struct bgp_fsm_config *config)
{
	const struct bgp_speaker *speaker = peer->speaker;
	memset(config, 0, sizeof(*config));
	config->local_as = speaker->local_as;
	config->remote_as = peer->config.remote_as;
	config->local_id = speaker->router_id;
	if (peer->config.has_timers) {
		config->hold_time = peer->config.hold_time;
		config->keepalive = peer->config.keepalive;
	} else {
		config->hold_time = speaker->hold_time;
		config->keepalive = speaker->keepalive;
	}
	struct bgp_capabilities *caps = &config->capabilities;
	caps->present = true;
	caps->multiprotocol[caps->multiprotocol_count++] = (struct bgp_afi_safi){
		.afi = peer->config.addr.family == AF_INET6 ? BGP_AFI_IPV6 : BGP_AFI_IPV4,
		.safi = BGP_SAFI_UNICAST,
	};
	caps->route_refresh = true;
	caps->enhanced_route_refresh = true;
	caps->as4 = true;
	caps->as4_number = speaker->local_as;
	caps->extended_message = true;
}
