/*
 * DOC: stateful fuzz target: a whole speaker (sessions, FSM, RIB, decision, export) driven by a
 * peer that opens correctly and then sends arbitrary message sequences.
 *
 * Each input runs a fresh speaker (AS 65001) on its own libuv loop with two passive
 * neighbours on the loopback: the fuzzed EBGP peer 127.0.0.2 (AS 65002) and an IBGP observer
 * 127.0.0.3 (AS 65001) that receives what the speaker exports. Both connect over real TCP
 * sockets to the speaker's listener and open the session with valid OPENs and KEEPALIVEs;
 * then the input is replayed as records:
 *
 *   type (1 octet), length (2 octets, big endian), that many octets of body
 *
 * A record whose type has the 0x80 bit sends its body as raw bytes (framing errors, split
 * messages); otherwise the body goes out under a valid header of type & 0x7f (1 OPEN,
 * 2 UPDATE, 3 NOTIFICATION, 4 KEEPALIVE, 5 ROUTE-REFRESH, others: unknown types). Between
 * records the loop runs until it is idle, so every message is decided and exported before
 * the next.
 *
 * Oracles, besides the sanitizers: everything the speaker sends to either peer frames
 * (bgp_frame), every UPDATE to the observer splits and its attributes decode without error
 * for an IBGP 4-octet-AS session, every NOTIFICATION decodes; the speaker never sends to the
 * observer after the fuzzed peer's misbehaviour a NOTIFICATION (one bad peer never disturbs
 * another session).
 *
 * The listener port is TERN_FUZZ_PORT, or 20179 + pid % 10000.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include "bgp/internal.h"
#include "config/config.h"
#include "lib/log.h"
#include "lib/reader.h"
#include "lib/writer.h"
#include "wire/bgp.h"
#include "wire/bgp_attr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_bgp_session: %s\n", what);
		abort();
	}
}

static uint16_t listen_port(void)
{
	const char *env = getenv("TERN_FUZZ_PORT");
	if (env && atoi(env) > 0)
		return (uint16_t)atoi(env);
	return (uint16_t)(20179 + getpid() % 10000);
}

static const char config_text[] =
	"router bgp 65001\n"
	" bgp router-id 10.0.0.1\n"
	" neighbor 127.0.0.2 remote-as 65002\n"
	" neighbor 127.0.0.2 transport connection-mode passive\n"
	" neighbor 127.0.0.3 remote-as 65001\n"
	" neighbor 127.0.0.3 transport connection-mode passive\n"
	" network 10.9.0.0 mask 255.255.0.0\n";

/* A client end: a peer's socket, and what the speaker sent it. */
struct client {
	int fd;
	uint8_t buf[1 << 16];
	size_t len;
	bool closed;
	bool ibgp;
	unsigned notifications;
	unsigned updates;
};

static int client_connect(const char *source, uint16_t port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	check(fd >= 0, "socket");
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	struct linger lg = { .l_onoff = 1, .l_linger = 0 }; /* RST on close: no TIME_WAIT pile-up */
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	struct sockaddr_in src = { .sin_family = AF_INET };
	inet_pton(AF_INET, source, &src.sin_addr);
	check(bind(fd, (struct sockaddr *)&src, sizeof(src)) == 0, "bind source");
	struct sockaddr_in dst = { .sin_family = AF_INET, .sin_port = htons(port) };
	inet_pton(AF_INET, "127.0.0.1", &dst.sin_addr);
	if (connect(fd, (struct sockaddr *)&dst, sizeof(dst)) != 0) {
		close(fd);
		return -1;
	}
	fcntl(fd, F_SETFL, O_NONBLOCK);
	return fd;
}

static void client_send(struct client *c, const uint8_t *p, size_t n)
{
	while (n && !c->closed) {
		ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EAGAIN)
			return; /* a full socket: the speaker stopped reading; drop the rest */
		if (w <= 0) {
			c->closed = true;
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

/* Checks every whole message the speaker sent this client, keeps a partial one. */
static void client_check_messages(struct client *c)
{
	size_t off = 0;
	for (;;) {
		struct bgp_header hdr;
		struct bgp_error err;
		int r = bgp_frame(c->buf + off, c->len - off, BGP_MAX_EXTENDED_MESSAGE, &hdr, &err);
		check(r >= 0, "the speaker sent a message that does not frame");
		if (r == 0)
			break;
		struct reader body = reader_make(c->buf + off + BGP_HEADER_LEN, hdr.length - BGP_HEADER_LEN);
		if (hdr.type == BGP_MSG_NOTIFICATION) {
			struct bgp_notification n;
			check(bgp_notification_decode(&body, &n), "the speaker sent a bad NOTIFICATION");
			c->notifications++;
		} else if (hdr.type == BGP_MSG_UPDATE && c->ibgp) {
			c->updates++;
			struct bgp_update_parts parts;
			check(bgp_update_split(&body, &parts, &err), "the speaker sent an UPDATE that does not split");
			if (reader_remaining(&parts.attributes)) {
				static struct bgp_attrs attrs;
				struct bgp_attr_opts opts = { .as4 = true, .ibgp = true,
							      .ipv4_nlri = reader_remaining(&parts.nlri) > 0,
							      .ipv4_withdrawn = reader_remaining(&parts.withdrawn) > 0 };
				enum bgp_attr_result ar = bgp_attr_decode(&parts.attributes, &opts, &attrs, &err);
				check(ar == BGP_ATTR_RESULT_OK, "the speaker exported attributes its own decoder refuses");
			}
		}
		off += hdr.length;
	}
	memmove(c->buf, c->buf + off, c->len - off);
	c->len -= off;
}

/* Reads what there is; returns the bytes read. */
static size_t client_read(struct client *c)
{
	size_t total = 0;
	while (!c->closed) {
		if (c->len == sizeof(c->buf))
			client_check_messages(c);
		check(c->len < sizeof(c->buf), "a message longer than 64 KiB");
		ssize_t n = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, 0);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			c->closed = true;
			break;
		}
		c->len += (size_t)n;
		total += (size_t)n;
	}
	client_check_messages(c);
	return total;
}

/* Runs the loop until nothing moves for a few rounds (bounded). */
static void settle(uv_loop_t *loop, struct client *clients, int count)
{
	int quiet = 0;
	for (int i = 0; i < 2000 && quiet < 4; i++) {
		int active = uv_run(loop, UV_RUN_NOWAIT);
		size_t got = 0;
		for (int k = 0; k < count; k++)
			got += client_read(&clients[k]);
		quiet = got ? 0 : quiet + 1;
		(void)active;
		if (!got)
			usleep(100);
	}
}

static size_t message(uint8_t *out, size_t cap, uint8_t type, const uint8_t *body, size_t len)
{
	struct writer w = writer_make(out, cap);
	size_t start = bgp_header_begin(&w, (enum bgp_msg_type)type);
	writer_bytes(&w, body, len);
	/* bgp_header_end refuses over 65535; the length is then whatever fits */
	if (!bgp_header_end(&w, start, BGP_MAX_EXTENDED_MESSAGE))
		return 0;
	return writer_ok(&w) ? w.len : 0;
}

static void open_session(struct client *c, uint32_t as, uint32_t id)
{
	uint8_t buf[256];
	struct bgp_open open = { .version = 4, .my_as = (uint16_t)as, .hold_time = 90, .bgp_id = id };
	open.caps.present = true;
	open.caps.multiprotocol_count = 2;
	open.caps.multiprotocol[0] = (struct bgp_afi_safi){ .afi = BGP_AFI_IPV4, .safi = BGP_SAFI_UNICAST };
	open.caps.multiprotocol[1] = (struct bgp_afi_safi){ .afi = BGP_AFI_IPV6, .safi = BGP_SAFI_UNICAST };
	open.caps.route_refresh = true;
	open.caps.enhanced_route_refresh = true;
	open.caps.as4 = true;
	open.caps.as4_number = as;
	struct writer w = writer_make(buf, sizeof(buf));
	size_t n = bgp_open_encode(&w, &open);
	check(n > 0, "OPEN encode");
	client_send(c, buf, n);
	w = writer_make(buf, sizeof(buf));
	n = bgp_keepalive_encode(&w);
	client_send(c, buf, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[BGP_MAX_EXTENDED_MESSAGE + 64];
	static struct client clients[2];
	static bool logging;
	if (!logging) {
		logging = true;
		log_open("fuzz", false, getenv("TERN_FUZZ_VERBOSE") ? LOG_LEVEL_DEBUG : LOG_LEVEL_ERROR);
	}
	uv_loop_t loop;
	check(uv_loop_init(&loop) == 0, "loop");
	struct config config;
	struct config_diag diag;
	memset(&config, 0, sizeof(config));
	check(config_load_text(config_text, "fuzz", &config, &diag), "config");
	struct bgp_speaker_options options = { .port = listen_port(), .listen = true };
	struct bgp_speaker *speaker = bgp_speaker_create(&loop, &options);
	check(speaker != NULL, "speaker (is the port free? set TERN_FUZZ_PORT)");
	bgp_speaker_configure(speaker, &config);
	uv_run(&loop, UV_RUN_NOWAIT);

	const char *sources[2] = { "127.0.0.2", "127.0.0.3" };
	for (int k = 0; k < 2; k++) {
		memset(&clients[k], 0, sizeof(clients[k]));
		clients[k].ibgp = k == 1;
		clients[k].fd = client_connect(sources[k], options.port);
		check(clients[k].fd >= 0, "connect to the speaker");
	}
	open_session(&clients[0], 65002, 0x0a000002);
	open_session(&clients[1], 65001, 0x0a000003);
	settle(&loop, clients, 2);

	struct reader in = reader_make(data, size);
	while (reader_remaining(&in) >= 3 && !clients[0].closed) {
		uint8_t type = reader_u8(&in);
		size_t len = reader_u16(&in);
		if (len > reader_remaining(&in))
			len = reader_remaining(&in);
		const uint8_t *body = reader_ptr(&in);
		reader_skip(&in, len);
		if (type & 0x80) {
			client_send(&clients[0], body, len);
		} else {
			size_t n = message(out, sizeof(out), type & 0x7f, body, len);
			if (n)
				client_send(&clients[0], out, n);
		}
		settle(&loop, clients, 2);
	}
	/* One bad peer never disturbs another session. */
	check(clients[1].notifications == 0 && !clients[1].closed, "the observer's session was disturbed");

	if (getenv("TERN_FUZZ_VERBOSE"))
		fprintf(stderr, "fuzz_bgp_session: observer got %u UPDATEs, the fuzzed peer %u NOTIFICATIONs\n",
			clients[1].updates, clients[0].notifications);
	for (int k = 0; k < 2; k++)
		close(clients[k].fd);
	settle(&loop, clients, 0);
	bgp_speaker_destroy(speaker, BGP_CEASE_ADMIN_SHUTDOWN);
	uv_run(&loop, UV_RUN_DEFAULT);
	bgp_rib_destroy(speaker->rib);
	free(speaker);
	config_free(&config);
	check(uv_loop_close(&loop) == 0, "loop close");
	return 0;
}
