/*
 * DOC: RIP's sockets, timer and routing-table glue (see rip/rip_io.h).
 */
#include "rip/rip_io.h"
#include "rip/redistribute.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/core.h"
#include "lib/addr.h"
#include "lib/ifname.h"
#include "lib/log.h"
#include "lib/memory.h"

#define SOCKS_MAX 256

struct rip_sock {
	struct rip_io *io;
	uint32_t ifindex;
	int fd;
	uv_poll_t poll;
	bool open;
};

struct rip_io {
	uv_loop_t *loop;
	struct core *core;
	struct kernel *kernel;
	struct rip *rip;
	const struct config *config;            /* the last rip_io_configure's */
	struct core_subscription *subscription; /* redistribution: the core's change events */
	struct rip_redistribution redistribution;
	uv_timer_t timer;
	struct rip_sock *socks[SOCKS_MAX];
	bool debug;                             /* `debug ip rip` */
	uint64_t log_second;
	unsigned logged_this_second, suppressed;
};

uint64_t rip_io_now(struct rip_io *io)
{
	uv_update_time(io->loop);
	return uv_now(io->loop);
}

struct rip *rip_io_core(struct rip_io *io)
{
	return io->rip;
}

/* ---- the core's callbacks ---- */

static struct rip_sock *sock_find(struct rip_io *io, uint32_t ifindex)
{
	for (size_t i = 0; i < SOCKS_MAX; i++) {
		if (io->socks[i] && io->socks[i]->ifindex == ifindex)
			return io->socks[i];
	}
	return NULL;
}

void rip_io_set_debug(struct rip_io *io, bool on)
{
	io->debug = on;
}

/* One message's header (RFC 2453 §4: command, version, then 20-byte entries) as a log line. */
static void debug_message(const char *verb, const char *direction, uint32_t ifindex, uint32_t peer,
			  const uint8_t *data, size_t len)
{
	char ifname[IFNAME_IOS_MAX], p[INET_ADDRSTRLEN];
	ifname_of_index(ifindex, ifname, sizeof(ifname));
	ipv4_format(peer, p);
	if (len < 4) {
		log_info("RIP: %s %zu bytes %s %s on %s: shorter than a RIP header", verb, len, direction, p, ifname);
		return;
	}
	const char *command = data[0] == 1 ? "request" : data[0] == 2 ? "update" : "message";
	log_info("RIP: %s v%u %s %s %s on %s (%zu entries)", verb, data[1], command, direction, p, ifname,
		 (len - 4) / 20);
}

static void sync_sockets(struct rip_io *io);

static void on_send(void *ctx, uint32_t ifindex, uint32_t dst, uint16_t port, const uint8_t *data, size_t len)
{
	struct rip_io *io = ctx;
	struct rip_sock *s = sock_find(io, ifindex);
	if (!s) {
		/* The core asks its neighbours (RFC 2453 §3.9.1) the moment an interface is
		 * enabled, from inside rip_configure, before rearm() has opened that interface's
		 * socket: open it now, or the start-up request is lost and the first routes wait
		 * for the neighbours' next 30-s update. */
		sync_sockets(io);
		s = sock_find(io, ifindex);
	}
	if (!s)
		return;
	if (io->debug)
		debug_message("sending", "to", ifindex, dst, data, len);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(dst) };
	if (sendto(s->fd, data, len, 0, (struct sockaddr *)&to, sizeof(to)) < 0 && errno != EAGAIN)
		log_debug("rip: send on ifindex %u: %s", ifindex, strerror(errno));
}

static void on_route(void *ctx, const struct prefix *prefix, const struct rip_route_info *info)
{
	struct rip_io *io = ctx;
	if (!info) {
		core_route_set(io->core, prefix, CORE_PROTO_RIP, NULL);
		return;
	}
	struct core_route_info ri = { .distance = info->distance, .metric = info->metric, .nexthop_count = 1 };
	ri.nexthops[0].gateway = ip_addr_from_v4(info->next_hop);
	ri.nexthops[0].ifindex = info->ifindex;
	core_route_set(io->core, prefix, CORE_PROTO_RIP, &ri);
}

static void on_drop(void *ctx, uint32_t ifindex, uint32_t src, uint16_t port, enum rip_drop reason)
{
	struct rip_io *io = ctx;
	uint64_t second = rip_io_now(io) / 1000;
	if (second != io->log_second) {
		if (io->suppressed)
			log_warning("rip: %u more dropped messages not logged", io->suppressed);
		io->log_second = second;
		io->logged_this_second = 0;
		io->suppressed = 0;
	}
	if (io->logged_this_second++ >= 1) {
		io->suppressed++;
		return;
	}
	char a[16];
	log_warning("rip: dropped a message from %s port %u on ifindex %u: %s", ipv4_format(src, a), port, ifindex,
		    rip_drop_name(reason));
}

/* ---- timer and sockets ---- */

static void rearm(struct rip_io *io);

static void on_timer(uv_timer_t *t)
{
	struct rip_io *io = t->data;
	rip_tick(io->rip, rip_io_now(io));
	rearm(io);
}

static void sock_closed(uv_handle_t *h)
{
	struct rip_sock *s = h->data;
	close(s->fd);
	memory_free(MEMORY_RIP, s);
}

static void sock_close(struct rip_io *io, size_t i)
{
	struct rip_sock *s = io->socks[i];
	io->socks[i] = NULL;
	uv_poll_stop(&s->poll);
	uv_close((uv_handle_t *)&s->poll, sock_closed);
}

static void on_readable(uv_poll_t *p, int status, int events)
{
	struct rip_sock *s = p->data;
	if (status < 0 || !(events & UV_READABLE))
		return;
	uint8_t buf[2048];
	for (int n = 0; n < 64; n++) {
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		ssize_t len = recvfrom(s->fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
		if (len < 0)
			break;
		if (s->io->debug)
			debug_message("received", "from", s->ifindex, ntohl(from.sin_addr.s_addr), buf, (size_t)len);
		rip_receive(s->io->rip, s->ifindex, ntohl(from.sin_addr.s_addr), ntohs(from.sin_port), buf, (size_t)len,
			    rip_io_now(s->io));
	}
	rearm(s->io);
}

static int sock_open(struct rip_io *io, uint32_t ifindex, const char *name)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	int one = 1, zero = 0, ttl = 1;
	struct ip_mreqn mreq = { .imr_multiaddr.s_addr = htonl(RIP_GROUP), .imr_ifindex = (int)ifindex };
	struct sockaddr_in any = { .sin_family = AF_INET, .sin_port = htons(RIP_PORT) };
	/* RFC 2453 §3.9.2 wants messages checked against the interface they came in on: one
	 * socket per interface, bound to it */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, name, (socklen_t)strlen(name)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &zero, sizeof(zero)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mreq, sizeof(mreq)) < 0 ||
	    bind(fd, (struct sockaddr *)&any, sizeof(any)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof(mreq)) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* One socket for every interface the core runs on, none for the others. */
static void sync_sockets(struct rip_io *io)
{
	for (size_t i = 0; i < SOCKS_MAX; i++) {
		if (io->socks[i] && !rip_interface_wanted(io->rip, io->socks[i]->ifindex))
			sock_close(io, i);
	}
	const struct kernel_ifaces *t = kernel_ifaces(io->kernel);
	for (size_t i = 0; i < kernel_ifaces_link_count(t); i++) {
		const struct kernel_link *l = kernel_ifaces_link_at(t, i);
		if (!rip_interface_wanted(io->rip, l->ifindex) || sock_find(io, l->ifindex))
			continue;
		size_t slot = 0;
		while (slot < SOCKS_MAX && io->socks[slot])
			slot++;
		if (slot == SOCKS_MAX)
			return;
		int fd = sock_open(io, l->ifindex, l->name);
		if (fd < 0) {
			log_warning("rip: cannot open a socket on %s: %s", l->name, strerror(errno));
			continue;
		}
		struct rip_sock *s = memory_calloc(MEMORY_RIP, 1, sizeof(*s));
		if (!s) {
			close(fd);
			continue;
		}
		*s = (struct rip_sock){ .io = io, .ifindex = l->ifindex, .fd = fd };
		uv_poll_init(io->loop, &s->poll, fd);
		s->poll.data = s;
		uv_poll_start(&s->poll, UV_READABLE, on_readable);
		io->socks[slot] = s;
		log_info("rip: running on %s", l->name);
	}
}

static void rearm(struct rip_io *io)
{
	sync_sockets(io);
	uint64_t next = rip_next_event(io->rip);
	if (next == RIP_NEVER) {
		uv_timer_stop(&io->timer);
		return;
	}
	uint64_t now = rip_io_now(io);
	uv_timer_start(&io->timer, on_timer, next > now ? next - now : 0, 0);
}

/* ---- the owner's side ---- */

/* ---- redistribution: the core's change events ---- */

/* The winners the subscription hears: those `redistribute connected` and `static` take. */
#define REDISTRIBUTED_WINNERS (CORE_PROTO_BIT(CORE_PROTO_CONNECTED) | CORE_PROTO_BIT(CORE_PROTO_STATIC))

/* Does the change touch a route `redistribute` takes? Its prefix is noted. */
static bool core_event(void *ctx, const struct core_event *event)
{
	struct rip_io *io = ctx;
	return rip_redistribution_event(&io->redistribution, io->config, event);
}

/* Once per loop iteration however many routes changed: the noted prefixes, one each. */
static void core_batch_end(void *ctx)
{
	struct rip_io *io = ctx;
	if (!io->config)
		return;
	rip_redistribution_apply(&io->redistribution, io->rip, io->config, rip_io_now(io));
	rearm(io);
}

static const struct core_subscriber_ops subscriber_ops = { .event = core_event, .batch_end = core_batch_end };

struct rip_io *rip_io_create(uv_loop_t *loop, struct core *core, struct kernel *kernel)
{
	struct rip_io *io = memory_calloc(MEMORY_RIP, 1, sizeof(*io));
	if (!io)
		return NULL;
	io->loop = loop;
	io->core = core;
	io->kernel = kernel;
	struct rip_callbacks cb = { .ctx = io, .send = on_send, .route = on_route, .drop = on_drop };
	uint64_t seed = ((uint64_t)random() << 32) ^ (uint64_t)random() ^ 1;
	io->rip = rip_create(&cb, seed, rip_io_now(io));
	if (!io->rip) {
		memory_free(MEMORY_RIP, io);
		return NULL;
	}
	/* BGP's routes once the configuration redistributes them (rip_io_configure) */
	io->subscription = core_subscribe(core, 0, REDISTRIBUTED_WINNERS, &subscriber_ops, io);
	if (!io->subscription) {
		rip_destroy(io->rip);
		free(io);
		return NULL;
	}
	rip_redistribution_init(&io->redistribution, core);
	uv_timer_init(loop, &io->timer);
	io->timer.data = io;
	/* the links and addresses the kernel already knows */
	const struct kernel_ifaces *t = kernel_ifaces(kernel);
	for (size_t i = 0; i < kernel_ifaces_link_count(t); i++)
		rip_io_link(io, kernel_ifaces_link_at(t, i), false);
	return io;
}

static void timer_closed(uv_handle_t *h)
{
	memory_free(MEMORY_RIP, h->data);
}

void rip_io_destroy(struct rip_io *io)
{
	if (!io)
		return;
	core_unsubscribe(io->subscription);
	io->subscription = NULL;
	rip_redistribution_free(&io->redistribution);
	rip_destroy(io->rip);
	for (size_t i = 0; i < SOCKS_MAX; i++) {
		if (io->socks[i])
			sock_close(io, i);
	}
	uv_timer_stop(&io->timer);
	uv_close((uv_handle_t *)&io->timer, timer_closed);
}

void rip_io_configure(struct rip_io *io, const struct config *config, const struct config_change *change,
                      const struct config_change *interfaces)
{
	io->config = config;
	/* BGP's routes only when redistributed: a full table costs no event otherwise */
	core_subscription_listen(io->subscription,
				 config->rip.redistribute_bgp.enabled ? CORE_PROTO_BIT(CORE_PROTO_BGP) : 0,
				 REDISTRIBUTED_WINNERS);
	rip_configure(io->rip, config, change, interfaces, rip_io_now(io));
	rearm(io);
}

void rip_io_link(struct rip_io *io, const struct kernel_link *link, bool removed)
{
	uint64_t now = rip_io_now(io);
	rip_interface(io->rip, link->ifindex, link->name, !removed && link->admin_up && link->oper_up, link->loopback,
		      now);
	if (!removed) {
		const struct kernel_ifaces *t = kernel_ifaces(io->kernel);
		size_t cursor = 0;
		const struct kernel_addr *a;
		while ((a = kernel_ifaces_addr_next(t, link->ifindex, &cursor)) != NULL) {
			if (ip_addr_is_v4(&a->addr))
				rip_address(io->rip, a->ifindex, ip_addr_v4(&a->addr), a->prefixlen, true, now);
		}
	}
	rearm(io);
}

void rip_io_addr(struct rip_io *io, const struct kernel_addr *addr, bool removed)
{
	if (!ip_addr_is_v4(&addr->addr))
		return;
	rip_address(io->rip, addr->ifindex, ip_addr_v4(&addr->addr), addr->prefixlen, !removed, rip_io_now(io));
	rearm(io);
}

void rip_io_redistribute(struct rip_io *io, const struct config *config)
{
	rip_redistribution_recompute(&io->redistribution, io->rip, config, rip_io_now(io));
	rearm(io);
}
