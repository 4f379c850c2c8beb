/*
 * DOC: OSPF on the loop: the raw socket, timers, the configuration and the core table.
 *
 * See ospf/daemon.h. Received datagrams carry the IP header (raw IPv4 sockets do); it is read
 * through the bounded reader, its header length checked, and the OSPF packet after it handed
 * to the engine with the interface IP_PKTINFO names. After every input and every timer the
 * engine's next deadline re-arms one uv timer.
 */
#include "ospf/daemon_internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "kernel/kernel.h"
#include "lib/array.h"
#include "lib/ifname.h"
#include "lib/log.h"
#include "lib/memory.h"
#include "lib/reader.h"

#define IPPROTO_OSPF 89

uint64_t ospfd_now(const struct ospf_daemon *d)
{
	(void)d;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void rearm(struct ospf_daemon *d, uint64_t next);

static void update_externals(struct ospf_daemon *d);

static void run(struct ospf_daemon *d)
{
	if (!d->ospf)
		return;
	rearm(d, ospf_run(d->ospf, ospfd_now(d)));
}

static void timer_cb(uv_timer_t *t)
{
	run(t->data);
}

static void rearm(struct ospf_daemon *d, uint64_t next)
{
	uint64_t now = ospfd_now(d);
	uint64_t delay = next > now ? next - now : 0;
	if (delay > 1000)
		delay = 1000;
	uv_timer_start(&d->timer, timer_cb, delay, 0);
}

/* ---- debug ip ospf ---- */

void ospfd_set_debug(struct ospf_daemon *d, bool on)
{
	d->debug = on;
}

/* One packet's header (RFC 2328 A.3.1) as a log line; peer is the source or destination. */
static void debug_packet(const char *verb, const char *direction, uint32_t ifindex, uint32_t peer,
			 const uint8_t *pkt, size_t len)
{
	static const char *const types[] = { "?", "Hello", "DB Description", "LS Request", "LS Update", "LS Ack" };
	char ifname[IFNAME_IOS_MAX], p[INET_ADDRSTRLEN], rid[INET_ADDRSTRLEN], aid[INET_ADDRSTRLEN];
	struct reader r = reader_make(pkt, len);
	uint8_t version = reader_u8(&r), type = reader_u8(&r);
	uint16_t length = reader_u16(&r);
	uint32_t router_id = reader_u32(&r), area = reader_u32(&r);
	ifname_of_index(ifindex, ifname, sizeof(ifname));
	if (!reader_ok(&r)) {
		log_info("OSPF: %s %zu bytes %s %s on %s: shorter than an OSPF header", verb, len, direction,
			 ipv4_format(peer, p), ifname);
		return;
	}
	log_info("OSPF: %s v:%u t:%u (%s) l:%u rid:%s aid:%s %s %s on %s", verb, version, type,
		 types[type < 6 ? type : 0], length, ipv4_format(router_id, rid), ipv4_format(area, aid), direction,
		 ipv4_format(peer, p), ifname);
}

/* ---- the engine's callbacks ---- */

static void cb_send(void *ctx, uint32_t ifindex, uint32_t src, uint32_t dst, const uint8_t *pkt, size_t len)
{
	struct ospf_daemon *d = ctx;
	if (d->fd < 0)
		return;
	if (d->debug)
		debug_packet("send", "to", ifindex, dst, pkt, len);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(dst) };
	struct iovec iov = { .iov_base = (void *)pkt, .iov_len = len };
	union {
		char buf[CMSG_SPACE(sizeof(struct in_pktinfo))];
		struct cmsghdr align;
	} control;
	memset(&control, 0, sizeof(control));
	struct msghdr msg = { .msg_name = &to, .msg_namelen = sizeof(to), .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = control.buf, .msg_controllen = sizeof(control.buf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = IPPROTO_IP;
	c->cmsg_type = IP_PKTINFO;
	c->cmsg_len = CMSG_LEN(sizeof(struct in_pktinfo));
	struct in_pktinfo info = { .ipi_ifindex = (int)ifindex, .ipi_spec_dst.s_addr = htonl(src) };
	memcpy(CMSG_DATA(c), &info, sizeof(info));
	if ((dst >> 28) == 0xe) {
		struct ip_mreqn m = { .imr_ifindex = (int)ifindex, .imr_address.s_addr = htonl(src) };
		setsockopt(d->fd, IPPROTO_IP, IP_MULTICAST_IF, &m, sizeof(m));
	}
	if (sendmsg(d->fd, &msg, MSG_DONTWAIT) < 0 && errno != EAGAIN && errno != ENETUNREACH)
		log_debug("ospf: send on ifindex %u: %s", ifindex, strerror(errno));
}

static void cb_membership(void *ctx, uint32_t ifindex, uint32_t group, bool join)
{
	struct ospf_daemon *d = ctx;
	if (d->fd < 0)
		return;
	struct ip_mreqn m = { .imr_multiaddr.s_addr = htonl(group), .imr_ifindex = (int)ifindex };
	if (setsockopt(d->fd, IPPROTO_IP, join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP, &m, sizeof(m)) < 0 &&
	    join)
		log_warning("ospf: cannot join %s on ifindex %u: %s", group == OSPF_ALL_SPF_ROUTERS ? "224.0.0.5" : "224.0.0.6",
			    ifindex, strerror(errno));
}

static void cb_route(void *ctx, const struct prefix *p, const struct ospf_route_info *info)
{
	struct ospf_daemon *d = ctx;
	if (!info) {
		core_route_set(d->core, p, CORE_PROTO_OSPF, NULL);
		return;
	}
	struct core_route_info ri = { .distance = CORE_DISTANCE_OSPF, .metric = info->cost,
				      .ospf_type = (uint8_t)info->type };
	for (uint8_t i = 0; i < info->nexthop_count && i < CORE_NEXTHOPS_MAX; i++) {
		ri.nexthops[i].ifindex = info->nexthops[i].ifindex;
		if (info->nexthops[i].gateway)
			ri.nexthops[i].gateway = ip_addr_from_v4(info->nexthops[i].gateway);
		ri.nexthop_count++;
	}
	core_route_set(d->core, p, CORE_PROTO_OSPF, &ri);
}

static void cb_event(void *ctx, const char *ifname, uint32_t rid, uint32_t addr, const char *from, const char *to,
		     const char *event)
{
	struct ospf_daemon *d = ctx;
	char r[16], a[16];
	bool notice = !strcmp(to, "FULL") || !strcmp(from, "FULL") || !strcmp(to, "DOWN");
	log_msg(notice ? LOG_LEVEL_NOTICE : LOG_LEVEL_INFO,
		"%%OSPF-5-ADJCHG: Process %u, Nbr %s on %s from %s to %s, %s", d->process, ipv4_format(rid, r),
		ifname, from, to, event);
	(void)a, (void)addr;
}

static void cb_dropped(void *ctx, const char *ifname, uint32_t src, uint32_t router_id, const char *reason,
		       uint64_t count)
{
	struct ospf_daemon *d = ctx;
	/* the 1st, 2nd, 4th, 8th... of each reason: a flood of bad packets stays a few lines */
	if (count & (count - 1))
		return;
	char s[16], r[16];
	log_warning("ospf %u: packet from %s (router ID %s) on %s dropped: %s (%llu so far)", d->process,
		    ipv4_format(src, s), ipv4_format(router_id, r), ifname, reason, (unsigned long long)count);
}

/* ---- input ---- */

static void poll_cb(uv_poll_t *h, int status, int events)
{
	struct ospf_daemon *d = h->data;
	if (status < 0 || !(events & UV_READABLE))
		return;
	uint8_t *buf = d->rx_buf;
	for (int k = 0; k < 64; k++) {
		struct sockaddr_in from;
		struct iovec iov = { .iov_base = buf, .iov_len = sizeof(d->rx_buf) };
		union {
			char b[CMSG_SPACE(sizeof(struct in_pktinfo)) + 64];
			struct cmsghdr align;
		} control;
		struct msghdr msg = { .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov, .msg_iovlen = 1,
				      .msg_control = control.b, .msg_controllen = sizeof(control.b) };
		ssize_t n = recvmsg(d->fd, &msg, MSG_DONTWAIT);
		if (n < 0)
			break;
		uint32_t ifindex = 0;
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
			if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
				struct in_pktinfo info;
				memcpy(&info, CMSG_DATA(c), sizeof(info));
				ifindex = (uint32_t)info.ipi_ifindex;
			}
		}
		/* the IP header, through the reader */
		struct reader r = reader_make(buf, (size_t)n);
		uint8_t vihl = reader_u8(&r);
		size_t ihl = (size_t)(vihl & 0x0f) * 4;
		struct reader ip = reader_make(buf, (size_t)n);
		reader_skip(&ip, 12);
		uint32_t src = reader_u32(&ip);
		uint32_t dst = reader_u32(&ip);
		struct reader whole = reader_make(buf, (size_t)n);
		reader_skip(&whole, ihl);
		if ((vihl >> 4) != 4 || ihl < 20 || !reader_ok(&ip) || !reader_ok(&whole) || !d->ospf) {
			d->rx_errors++;
			continue;
		}
		struct reader rest = reader_rest(&whole);
		if (d->debug)
			debug_packet("rcv.", "from", ifindex, src, reader_ptr(&rest), reader_remaining(&rest));
		ospf_input(d->ospf, ifindex, src, dst, reader_ptr(&rest), reader_remaining(&rest), ospfd_now(d));
	}
	run(d);
}

static bool socket_open(struct ospf_daemon *d)
{
	d->fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_OSPF);
	if (d->fd < 0) {
		log_error("ospf: raw socket: %s", strerror(errno));
		return false;
	}
	int one = 1, zero = 0, ttl = 1, tos = 0xc0;
	setsockopt(d->fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
	setsockopt(d->fd, IPPROTO_IP, IP_MULTICAST_LOOP, &zero, sizeof(zero));
	setsockopt(d->fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl));
	setsockopt(d->fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
	setsockopt(d->fd, IPPROTO_IP, IP_TOS, &tos, sizeof(tos));
	int size = 4 << 20;
	setsockopt(d->fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	uv_poll_init(d->loop, &d->poll, d->fd);
	d->poll.data = d;
	uv_poll_start(&d->poll, UV_READABLE, poll_cb);
	d->poll_started = true;
	return true;
}

/* The loop is done with one of d's handles; the last one to close after ospfd_destroy()
 * frees d (libuv still reads a closing handle, which lives inside d). */
static void handle_closed(uv_handle_t *handle)
{
	struct ospf_daemon *d = handle->data;
	if (--d->handles_closing == 0 && d->destroyed)
		memory_free(MEMORY_OSPF, d);
}

static void socket_close(struct ospf_daemon *d)
{
	if (d->poll_started) {
		uv_poll_stop(&d->poll);
		d->handles_closing++;
		uv_close((uv_handle_t *)&d->poll, handle_closed);
		d->poll_started = false;
	}
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}

/* ---- the configuration onto the engine ---- */

static const struct config_interface *config_if_for(const struct config *c, const char *linux_name, uint32_t addr)
{
	const struct config_interface *by_name = NULL;
	for (size_t i = 0; i < c->interface_count; i++) {
		const struct config_interface *ifc = &c->interfaces[i];
		if (strcmp(ifc->linux_name, linux_name) != 0)
			continue;
		for (size_t k = 0; k < ifc->address_count; k++)
			if (ip_addr_is_v4(&ifc->addresses[k].addr) && ip_addr_v4(&ifc->addresses[k].addr) == addr)
				return ifc;
		if (!by_name && !ifc->is_loopback)
			by_name = ifc;
	}
	return by_name;
}

const char *ospfd_ifname(const struct ospf_daemon *d, const char *linux_name, uint32_t addr, char *buf, size_t len)
{
	const struct config_interface *ifc = d->config ? config_if_for(d->config, linux_name, addr) : NULL;
	if (ifc) {
		snprintf(buf, len, "%s", ifc->name);
		return buf;
	}
	struct ifname n;
	if (ifname_from_linux(linux_name, &n) && strcmp(linux_name, "lo") != 0)
		snprintf(buf, len, "%s", n.ios_name);
	else
		snprintf(buf, len, "%s", linux_name);
	return buf;
}

static uint32_t choose_router_id(const struct ospf_daemon *d)
{
	const struct config_ospf *o = &d->config->ospf;
	if (o->has_router_id)
		return o->router_id;
	const struct kernel_ifaces *t = kernel_ifaces(d->kernel);
	uint32_t best_lo = 0, best = 0;
	size_t cursor = 0;
	const struct kernel_addr *a;
	while ((a = kernel_ifaces_addr_next(t, 0, &cursor))) {
		if (!ip_addr_is_v4(&a->addr))
			continue;
		uint32_t v = ip_addr_v4(&a->addr);
		if ((v >> 24) == 127 || v == 0)
			continue;
		const struct kernel_link *l = kernel_ifaces_link(t, a->ifindex);
		if (l && l->loopback && v > best_lo)
			best_lo = v;
		if (v > best)
			best = v;
	}
	return best_lo ? best_lo : best;
}

/* Fills out (an array of struct ospf_if_config) with the interfaces OSPF runs on. */
static void collect_interfaces(const struct ospf_daemon *d, struct array *out)
{
	const struct config *c = d->config;
	const struct kernel_ifaces *t = kernel_ifaces(d->kernel);
	for (size_t i = 0; i < kernel_ifaces_link_count(t); i++) {
		const struct kernel_link *l = kernel_ifaces_link_at(t, i);
		size_t cursor = 0;
		const struct kernel_addr *a;
		bool taken = false;
		while ((a = kernel_ifaces_addr_next(t, l->ifindex, &cursor))) {
			if (!ip_addr_is_v4(&a->addr))
				continue;
			uint32_t addr = ip_addr_v4(&a->addr), area;
			if ((addr >> 24) == 127 || !config_ospf_match(&c->ospf, addr, &area))
				continue;
			if (taken && !l->loopback)
				continue; /* one OSPF interface per link; every /32 on lo */
			taken = true;
			struct ospf_if_config *x = array_push(out);
			if (!x) {
				if (out->count == out->max_count)
					log_warning("ospf %u: more than %zu interfaces; the rest do not run OSPF",
						    d->process, out->max_count);
				return;
			}
			const struct config_interface *ifc = config_if_for(c, l->name, addr);
			const struct config_interface_ospf *io = ifc ? &ifc->ospf : NULL;
			x->ifindex = l->ifindex;
			ospfd_ifname(d, l->name, addr, x->name, sizeof(x->name));
			x->addr = addr;
			x->prefixlen = a->prefixlen;
			x->area = area;
			x->type = l->loopback ? OSPF_IF_LOOPBACK
				: io && io->network == CONFIG_OSPF_NET_P2P ? OSPF_IF_P2P : OSPF_IF_BROADCAST;
			x->passive = config_ospf_passive(&c->ospf, ifc, ifc ? NULL : x->name);
			x->up = l->admin_up && l->oper_up;
			uint32_t ref = c->ospf.reference_bandwidth ? c->ospf.reference_bandwidth : 100;
			uint32_t cost = ref / 100; /* veths: taken as 100 Mbit/s, the seed's FastEthernet */
			x->cost = (uint16_t)(io && io->cost ? io->cost : cost < 1 ? 1 : cost > 65535 ? 65535 : cost);
			x->hello_interval = io && io->hello_interval ? io->hello_interval : 10;
			x->dead_interval = io && io->dead_interval ? io->dead_interval : 4u * x->hello_interval;
			x->priority = io && io->has_priority ? io->priority : 1;
			x->mtu = (uint16_t)(l->mtu > 65535 ? 65535 : l->mtu);
			/* the authentication type: the interface's `ip ospf authentication`, else its
			 * area's (RFC 2328 Appendix D: per area, IOS lets an interface override) */
			uint8_t auth = 0;
			for (size_t k = 0; k < c->ospf.area_count; k++)
				if (c->ospf.areas[k].area == area)
					auth = c->ospf.areas[k].auth;
			if (io && io->authentication)
				auth = io->authentication == 3 ? 0 : io->authentication;
			if (auth == 1) {
				x->auth.type = OSPF_AUTH_SIMPLE;
				if (io)
					memcpy(x->auth.key, io->authentication_key, strlen(io->authentication_key));
			} else if (auth == 2) {
				x->auth.type = OSPF_AUTH_CRYPTO;
				if (io) {
					x->auth.key_id = io->md5_key_id;
					memcpy(x->auth.key, io->md5_key, strlen(io->md5_key));
				}
			}
		}
	}
}

static int classful_len(uint32_t a)
{
	return a < 0x80000000u ? 8 : a < 0xc0000000u ? 16 : a < 0xe0000000u ? 24 : 32;
}

struct ext_collect {
	struct array routes; /* of struct ospf_external */
	uint32_t process;
	bool full_logged;    /* the cap was met and said so (once per collection) */
	const struct config_ospf_redistribute *how;
};

static void ext_add(struct ext_collect *e, const struct prefix *prefix, uint32_t metric, bool type1)
{
	const struct ospf_external *have = e->routes.items;
	for (size_t i = 0; i < e->routes.count; i++)
		if (prefix_equal(&have[i].prefix, prefix))
			return;
	struct ospf_external *x = array_push(&e->routes);
	if (!x) {
		if (e->routes.count == e->routes.max_count && !e->full_logged) {
			e->full_logged = true;
			log_warning("ospf %u: more than %zu routes to redistribute; the rest are not", e->process,
				    e->routes.max_count);
		}
		return;
	}
	*x = (struct ospf_external){ *prefix, metric, type1 };
}

static void ext_walk(void *ctx, const struct prefix *p, uint32_t metric)
{
	struct ext_collect *e = ctx;
	(void)metric;
	if (p->family != AF_INET)
		return;
	/* IOS: without `subnets` only classful networks are redistributed */
	if (!e->how->subnets && p->len != classful_len(prefix_v4(p)))
		return;
	ext_add(e, p, e->how->has_metric ? e->how->metric : 20, e->how->metric_type == 1);
}

static void update_externals(struct ospf_daemon *d)
{
	if (!d->ospf)
		return;
	const struct config_ospf *o = &d->config->ospf;
	struct ext_collect e = { .process = d->process };
	array_init(&e.routes, MEMORY_OSPF, sizeof(struct ospf_external), OSPF_EXTERNALS_MAX);
	if (o->redistribute_connected.enabled) {
		e.how = &o->redistribute_connected;
		core_walk_protocol(d->core, CORE_PROTO_CONNECTED, ext_walk, &e);
	}
	if (o->redistribute_static.enabled) {
		e.how = &o->redistribute_static;
		core_walk_protocol(d->core, CORE_PROTO_STATIC, ext_walk, &e);
	}
	if (o->redistribute_bgp.enabled && d->config->bgp.enabled &&
	    (!o->redistribute_bgp.asn || o->redistribute_bgp.asn == d->config->bgp.asn)) {
		/* BGP's best paths learned from peers (the core's BGP source) */
		e.how = &o->redistribute_bgp;
		core_walk_protocol(d->core, CORE_PROTO_BGP, ext_walk, &e);
	}
	if (o->default_information_originate) {
		struct prefix def = { .family = AF_INET, .len = 0 };
		enum core_protocol proto;
		if (core_has_prefix(d->core, &def, &proto, NULL) && proto != CORE_PROTO_OSPF)
			ext_add(&e, &def, 1, false);
	}
	bool asbr = o->redistribute_connected.enabled || o->redistribute_static.enabled ||
		    o->redistribute_bgp.enabled || o->default_information_originate;
	ospf_set_externals(d->ospf, e.routes.items, e.routes.count, asbr, ospfd_now(d));
	array_free(&e.routes);
}

static void apply(struct ospf_daemon *d)
{
	if (!d->ospf)
		return;
	uint64_t now = ospfd_now(d);
	uint32_t rid = choose_router_id(d);
	if (rid && rid != ospf_router_id(d->ospf)) {
		char b[16];
		log_notice("ospf %u: router ID %s", d->process, ipv4_format(rid, b));
		ospf_set_router_id(d->ospf, rid, now);
	}
	struct array ifs;
	array_init(&ifs, MEMORY_OSPF, sizeof(struct ospf_if_config), OSPF_INTERFACES_MAX);
	collect_interfaces(d, &ifs);
	ospf_set_interfaces(d->ospf, ifs.items, ifs.count, now);
	array_free(&ifs);
	update_externals(d);
	run(d);
}

/* ---- redistribution: the core's change events ---- */

static bool involves(const struct core_event *event, enum core_protocol protocol)
{
	return event->protocol == protocol || event->previous == protocol;
}

/* Does the change touch what the externals are made of (update_externals)? */
static bool core_event(void *ctx, const struct core_event *event)
{
	struct ospf_daemon *d = ctx;
	if (!d->ospf || !d->config || event->prefix->family != AF_INET)
		return false;
	const struct config_ospf *o = &d->config->ospf;
	if (event->kind == CORE_EVENT_CANDIDATE)
		return event->protocol == CORE_PROTO_BGP && o->redistribute_bgp.enabled;
	if (event->prefix->len == 0 && o->default_information_originate)
		return true;
	return (o->redistribute_connected.enabled && involves(event, CORE_PROTO_CONNECTED)) ||
	       (o->redistribute_static.enabled && involves(event, CORE_PROTO_STATIC));
}

/* Once per loop iteration however many routes changed: a full table loading into BGP makes
 * one new set of externals per iteration, not one per prefix. */
static void core_batch_end(void *ctx)
{
	struct ospf_daemon *d = ctx;
	if (d->ospf) {
		update_externals(d);
		run(d);
	}
}

static const struct core_subscriber_ops subscriber_ops = { .event = core_event, .batch_end = core_batch_end };

struct ospf_daemon *ospfd_create(uv_loop_t *loop, struct core *core, struct kernel *kernel)
{
	struct ospf_daemon *d = memory_calloc(MEMORY_OSPF, 1, sizeof(*d));
	if (!d)
		return NULL;
	d->loop = loop;
	d->core = core;
	d->kernel = kernel;
	d->fd = -1;
	/* every stored protocol's winners (the default route's, for default-information), BGP's
	 * routes; the event says whether the configuration redistributes them */
	uint32_t stored = CORE_PROTO_BIT(CORE_PROTO_STORED_COUNT) - 1;
	d->subscription = core_subscribe(core, CORE_PROTO_BIT(CORE_PROTO_BGP), stored, &subscriber_ops, d);
	if (!d->subscription) {
		memory_free(MEMORY_OSPF, d);
		return NULL;
	}
	uv_timer_init(loop, &d->timer);
	d->timer.data = d;
	return d;
}

static void stop(struct ospf_daemon *d)
{
	if (!d->ospf)
		return;
	ospf_destroy(d->ospf); /* leaves the groups, withdraws the routes */
	d->ospf = NULL;
	socket_close(d);
	uv_timer_stop(&d->timer);
	log_notice("ospf %u: stopped", d->process);
}

void ospfd_configure(struct ospf_daemon *d, const struct config *c)
{
	d->config = c;
	if (!c->ospf.enabled) {
		stop(d);
		return;
	}
	if (d->ospf && d->process != c->ospf.process)
		stop(d);
	if (!d->ospf) {
		if (!socket_open(d))
			return;
		d->process = c->ospf.process;
		struct ospf_callbacks cb = { .ctx = d, .send = cb_send, .membership = cb_membership, .route = cb_route,
					     .neighbor_event = cb_event, .dropped = cb_dropped };
		struct ospf_options opt = { .router_id = 0, .crypto_seq_start = (uint32_t)time(NULL) };
		d->ospf = ospf_create(&cb, &opt, ospfd_now(d));
		d->started_ms = ospfd_now(d);
		log_notice("ospf %u: started", d->process);
	}
	apply(d);
}

void ospfd_kernel_changed(struct ospf_daemon *d)
{
	if (d && d->ospf)
		apply(d);
}

bool ospfd_running(const struct ospf_daemon *d)
{
	return d && d->ospf;
}

void ospfd_destroy(struct ospf_daemon *d)
{
	if (!d)
		return;
	stop(d);
	core_unsubscribe(d->subscription);
	d->subscription = NULL;
	uv_timer_stop(&d->timer);
	d->destroyed = true;
	d->handles_closing++;
	uv_close((uv_handle_t *)&d->timer, handle_closed);
}
