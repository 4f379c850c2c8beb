/*
 * DOC: `tern-lab view [LAB] [--port N]`: the lab in a browser, live, on 127.0.0.1 only.
 *
 * A small HTTP/1.1 server (one request per connection, one at a time: a learner's browser
 * is its only client) serving a fixed list of paths:
 *
 *   GET  /, /view.js, /view.css   the page (src/lab/view/, built into tern-lab)
 *   GET  /topology.svg            the topology (topo_draw.h), with ids the page colours
 *   GET  /api/state               each link end's state and each router's
 *                                 `show ip bgp neighbors json`, polled by the page
 *   GET  /api/ladder?node=R&peer=A[&name=P]   R's message ladder with neighbour A
 *                                 (router P), as SVG
 *   GET  /api/routes?node=R       R's `show ip route`
 *   GET  /api/capture?link=I      link I's capture as a ladder (`capture: all` labs)
 *   POST /api/link                link=I&state=down|up: cut or restore link I
 *
 * It runs as root, so (http.h) it binds 127.0.0.1, answers only requests whose Host names it
 * (DNS rebinding) and whose Origin, if any, is itself, and changes the lab only on a POST with
 * Origin and the token it printed at start (16 bytes from getrandom) in X-Tern-Token. The page
 * learns the token from the address printed with it (#token=..., a fragment: never sent to
 * any server). Requests are bounded (http.h) and each connection has seconds to send its
 * request. Cutting a link and reading a capture run tern-lab itself (`link`, `capture`) in a
 * child, so the server never enters a lab's namespace.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "lab/http.h"
#include "lab/lab.h"
#include "lab/router_ctl.h"
#include "lab/session_ladder.h"
#include "lab/topo_draw.h"
#include "lab/view_assets.h"

#define VIEW_DEFAULT_PORT 8179
#define CHILD_OUTPUT_MAX (1u << 20)
#define CHILD_SECONDS 20
#define REQUEST_SECONDS 3

static struct topology topo;
static char lab[TOPO_NAME_MAX];
static char token[33];
static unsigned port;
static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

struct response {
	int status;
	const char *content_type;
	struct strbuf body;
};

static const char *status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 413: return "Content Too Large";
	case 502: return "Bad Gateway";
	default: return "Internal Server Error";
	}
}

static void respond_text(struct response *r, int status, const char *text)
{
	r->status = status;
	r->content_type = "text/plain; charset=utf-8";
	strbuf_append(&r->body, text);
	strbuf_append(&r->body, "\n");
}

/* Runs tern-lab itself with args (NULL-terminated); its output, bounded, in out. */
static int run_self(const char *const *args, struct strbuf *out)
{
	char *argv[8];
	size_t n = 0;
	argv[n++] = "tern-lab";
	for (; args[n - 1] && n < 7; n++)
		argv[n] = (char *)args[n - 1];
	argv[n] = NULL;
	return lab_run_output("/proc/self/exe", argv, out, CHILD_OUTPUT_MAX, CHILD_SECONDS);
}

static int find_router(const char *name)
{
	int i = topo_find_node(&topo, name);
	return i >= 0 && topo.nodes[i].kind == NODE_ROUTER ? i : -1;
}

static bool link_param(const char *params, size_t *index)
{
	char text[16], *end;
	if (!http_param(params, "link", text, sizeof(text)) || !text[0])
		return false;
	unsigned long v = strtoul(text, &end, 10);
	if (*end || v >= topo.link_count)
		return false;
	*index = v;
	return true;
}

static void link_end_spec(size_t index, char *buf, size_t size)
{
	const struct topo_endpoint *e = &topo.links[index].end[0];
	snprintf(buf, size, "%s/%s:%s", lab, topo.nodes[e->node].name, e->ifname.ios_name);
}

static void api_state(struct response *r)
{
	struct strbuf *b = &r->body;
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%H:%M:%S UTC", &tm);
	strbuf_printf(b, "{\"time\":\"%s\",\"links\":[", stamp);
	for (size_t i = 0; i < topo.link_count; i++) {
		strbuf_append(b, i ? ",{" : "{");
		for (int side = 0; side < 2; side++) {
			const struct topo_endpoint *e = &topo.links[i].end[side];
			char ns[2 * TOPO_NAME_MAX + 2];
			state_netns_name(lab, topo.nodes[e->node].name, ns, sizeof(ns));
			strbuf_printf(b, "%s\"%c\":\"%s\"", side ? "," : "", side ? 'b' : 'a',
				      lab_link_state(ns, e->ifname.linux_name));
		}
		strbuf_append(b, "}");
	}
	strbuf_append(b, "],\"routers\":{");
	bool first = true;
	for (size_t i = 0; i < topo.node_count; i++) {
		if (topo.nodes[i].kind != NODE_ROUTER)
			continue;
		struct strbuf json = STRBUF_INIT;
		int status = 1;
		bool ok = router_ctl_run(lab, topo.nodes[i].name, "show ip bgp neighbors json", &json, &status);
		strbuf_append(b, first ? "" : ",");
		strbuf_json_string(b, topo.nodes[i].name);
		/* ternd's own JSON goes in as it is: the page parses it; a router that did not
		 * answer is null */
		strbuf_append(b, ":");
		if (ok && status == 0 && json.len && strbuf_str(&json)[0] == '{')
			strbuf_appendn(b, strbuf_str(&json), json.len);
		else
			strbuf_append(b, "null");
		strbuf_free(&json);
		first = false;
	}
	strbuf_append(b, "}}\n");
	r->status = 200;
	r->content_type = "application/json";
}

static void api_ladder(const struct http_request *req, struct response *r)
{
	char node[TOPO_NAME_MAX], peer[64];
	unsigned char binary[16];
	if (!http_param(req->query, "node", node, sizeof(node)) || find_router(node) < 0 ||
	    !http_param(req->query, "peer", peer, sizeof(peer)) ||
	    (inet_pton(AF_INET, peer, binary) != 1 && inet_pton(AF_INET6, peer, binary) != 1)) {
		respond_text(r, 400, "node=ROUTER&peer=ADDRESS wanted");
		return;
	}
	struct strbuf json = STRBUF_INIT;
	struct session_ladder ladder;
	char err[256];
	if (!lab_session_log(lab, node, peer, &json)) {
		respond_text(r, 502, json.len ? strbuf_str(&json) : "the router did not answer");
	} else if (!session_ladder_parse(strbuf_str(&json), json.len, &ladder, err, sizeof(err))) {
		respond_text(r, 502, err);
	} else {
		/* the right rail: "R3 (192.168.2.2)" when the page names the peer's router */
		char name[TOPO_NAME_MAX], right[TOPO_NAME_MAX + 72];
		if (http_param(req->query, "name", name, sizeof(name)) && find_router(name) >= 0)
			snprintf(right, sizeof(right), "%s (%s)", name, peer);
		else
			snprintf(right, sizeof(right), "%s", peer);
		session_ladder_svg(&ladder, node, right, &r->body);
		session_ladder_free(&ladder);
		r->status = 200;
		r->content_type = "image/svg+xml";
	}
	strbuf_free(&json);
}

static void api_routes(const struct http_request *req, struct response *r)
{
	char node[TOPO_NAME_MAX];
	if (!http_param(req->query, "node", node, sizeof(node)) || find_router(node) < 0) {
		respond_text(r, 400, "node=ROUTER wanted");
		return;
	}
	int status = 1;
	if (!router_ctl_run(lab, node, "show ip route", &r->body, &status)) {
		r->status = 502;
	} else {
		r->status = 200;
	}
	r->content_type = "text/plain; charset=utf-8";
}

static void api_capture(const struct http_request *req, struct response *r)
{
	size_t index;
	if (!link_param(req->query, &index)) {
		respond_text(r, 400, "link=INDEX wanted");
		return;
	}
	if (!topo.capture_all) {
		respond_text(r, 200, "This lab does not capture its links from the start: add `capture: all` to its "
				     "topology, or run `tern-lab capture` on the link in a terminal.");
		return;
	}
	char spec[128];
	link_end_spec(index, spec, sizeof(spec));
	const char *args[] = { "capture", spec, NULL };
	run_self(args, &r->body);
	r->status = 200;
	r->content_type = "text/plain; charset=utf-8";
}

static void api_link(const struct http_request *req, struct response *r)
{
	char body[HTTP_BODY_MAX + 1], state[8];
	size_t index;
	memcpy(body, req->body, req->content_length);
	body[req->content_length] = '\0';
	if (!link_param(body, &index) || !http_param(body, "state", state, sizeof(state)) ||
	    (strcmp(state, "down") && strcmp(state, "up"))) {
		respond_text(r, 400, "link=INDEX&state=down|up wanted");
		return;
	}
	char spec[128];
	link_end_spec(index, spec, sizeof(spec));
	const char *args[] = { "link", spec, state, NULL };
	int rc = run_self(args, &r->body);
	fprintf(stderr, "tern-lab view: link %s %s (%s)\n", spec, state, rc == 0 ? "done" : "failed");
	if (rc == 0 && r->body.len == 0)
		strbuf_printf(&r->body, "link %s %s\n", spec, state);
	r->status = rc == 0 ? 200 : 500;
	r->content_type = "text/plain; charset=utf-8";
}

/* The fixed list of what is served; anything else is 404. */
static void route(const struct http_request *req, struct response *r)
{
	bool post = !strcmp(req->path, "/api/link");
	const char *why = "";
	int refused = http_check(req, port, token, post, &why);
	if (refused) {
		respond_text(r, refused, why);
		return;
	}
	if (!post && strcmp(req->method, "GET")) {
		respond_text(r, 405, "GET only");
		return;
	}
	for (const struct view_asset *a = view_assets; a->path; a++) {
		if (!strcmp(req->path, a->path)) {
			r->status = 200;
			r->content_type = a->content_type;
			strbuf_appendn(&r->body, (const char *)a->data, a->size);
			return;
		}
	}
	char err[TOPO_ERR_MAX];
	if (!strcmp(req->path, "/topology.svg")) {
		r->content_type = "image/svg+xml";
		r->status = topo_draw_svg(&topo, &r->body, err, sizeof(err)) ? 200 : 500;
		if (r->status != 200)
			respond_text(r, 500, err);
	} else if (!strcmp(req->path, "/api/state")) {
		api_state(r);
	} else if (!strcmp(req->path, "/api/ladder")) {
		api_ladder(req, r);
	} else if (!strcmp(req->path, "/api/routes")) {
		api_routes(req, r);
	} else if (!strcmp(req->path, "/api/capture")) {
		api_capture(req, r);
	} else if (post) {
		api_link(req, r);
	} else {
		respond_text(r, 404, "not found");
	}
}

static void send_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		data += n;
		len -= (size_t)n;
	}
}

static void serve(int fd)
{
	struct timeval tv = { .tv_sec = REQUEST_SECONDS };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	tv.tv_sec = 10;
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	static char buf[HTTP_HEAD_MAX + HTTP_BODY_MAX];
	size_t len = 0;
	struct http_request req;
	enum http_parse parsed = HTTP_INCOMPLETE;
	struct response r = { .status = 500, .content_type = "text/plain", .body = STRBUF_INIT };
	while (parsed == HTTP_INCOMPLETE && len < sizeof(buf)) {
		ssize_t n = recv(fd, buf + len, sizeof(buf) - len, 0);
		if (n < 0 && errno == EINTR && !stopping)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		parsed = http_parse_request(buf, len, &req);
	}
	if (parsed == HTTP_INCOMPLETE && len == 0)
		return; /* a connection that said nothing (a browser's preconnect) */
	if (parsed == HTTP_COMPLETE)
		route(&req, &r);
	else if (parsed == HTTP_TOO_LARGE || len == sizeof(buf))
		respond_text(&r, 413, "request too large");
	else if (parsed == HTTP_BAD_REQUEST)
		respond_text(&r, 400, "bad request");
	else
		respond_text(&r, 408, "request incomplete");
	char head[512];
	int n = snprintf(head, sizeof(head),
			 "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\nCache-Control: no-store\r\n"
			 "X-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\n"
			 "Content-Security-Policy: default-src 'self'; style-src 'self' 'unsafe-inline'; "
			 "frame-ancestors 'none'\r\nConnection: close\r\n\r\n",
			 r.status, status_text(r.status), r.content_type, r.body.len);
	send_all(fd, head, (size_t)n);
	send_all(fd, strbuf_str(&r.body), r.body.len);
	strbuf_free(&r.body);
}

static void only_lab(const char *name, void *arg)
{
	int *count = arg;
	if ((*count)++ == 0)
		snprintf(lab, sizeof(lab), "%s", name);
}

static int listen_local(unsigned wanted)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons((uint16_t)wanted),
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t size = sizeof(sin);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0 || listen(fd, 16) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sin, &size) != 0) {
		lab_error("127.0.0.1:%u: %s", wanted, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	port = ntohs(sin.sin_port);
	return fd;
}

int cmd_view(int argc, char **argv)
{
	unsigned wanted = VIEW_DEFAULT_PORT;
	const char *name = NULL;
	for (int i = 1; i < argc; i++) {
		char *end;
		if (!strcmp(argv[i], "--port") && i + 1 < argc) {
			unsigned long v = strtoul(argv[++i], &end, 10);
			if (*end || v > 65535) {
				fprintf(stderr, "usage: tern-lab view [LAB] [--port N]\n");
				return 2;
			}
			wanted = (unsigned)v;
		} else if (!name && argv[i][0] != '-') {
			name = argv[i];
		} else {
			fprintf(stderr, "usage: tern-lab view [LAB] [--port N]\n");
			return 2;
		}
	}
	if (name) {
		snprintf(lab, sizeof(lab), "%s", name);
	} else {
		int count = 0;
		state_foreach_lab(only_lab, &count);
		if (count != 1) {
			lab_error(count ? "%d labs run: name one (tern-lab list)" : "no lab runs (tern-lab up DIR)", count);
			return 1;
		}
	}
	char err[TOPO_ERR_MAX];
	if (!state_exists(lab) || !lab_load_saved(lab, &topo, err, sizeof(err))) {
		lab_error(state_exists(lab) ? "%s" : "no lab %s", state_exists(lab) ? err : lab);
		return 1;
	}
	unsigned char random[16];
	if (getrandom(random, sizeof(random), 0) != (ssize_t)sizeof(random)) {
		lab_error("getrandom: %s", strerror(errno));
		return 1;
	}
	for (size_t i = 0; i < sizeof(random); i++)
		snprintf(token + 2 * i, 3, "%02x", random[i]);
	int fd = listen_local(wanted);
	if (fd < 0)
		return 1;
	struct sigaction sa = { .sa_handler = on_signal }; /* no SA_RESTART: accept returns */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	printf("tern-lab view: lab %s at http://127.0.0.1:%u/#token=%s\n"
	       "token %s (cutting a link from the page needs it; the address above gives it to the page)\n"
	       "Ctrl-C stops.\n",
	       lab, port, token, token);
	fflush(stdout);
	while (!stopping) {
		int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
		if (c < 0)
			continue;
		serve(c);
		close(c);
	}
	close(fd);
	return 0;
}
