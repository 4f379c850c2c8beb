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
#include "ospf/settings.h"

#define IPPROTO_OSPF 89

uint64_t ospfd_now(const struct ospf_daemon *d)
{
	(void)d;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void rearm(struct ospf_daemon *d, uint64_t next);

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

/* What the interfaces' change list says of the OSPF interface x on link l (enum
 * ospf_if_named): the entry of the configured interface it runs on, by its name or by its
 * link's. A loopback whose configuration came, went or moved its address may have been the
 * one an address of lo ran on: each address of lo is then compared as a whole. A list that
 * could not name every interface names them all. */
static unsigned named_in(const struct config_change *interfaces, const struct kernel_link *l,
			 const struct ospf_if_config *x)
{
	if (!interfaces)
		return 0;
	if (interfaces->interfaces_incomplete)
		return OSPF_IF_NAMED_ANEW;
	unsigned named = 0;
	for (size_t i = 0; i < interfaces->interface_count; i++) {
		const struct config_interface_change *e = &interfaces->interfaces[i];
		unsigned said = ospf_if_named(e);
		if (strcmp(e->name, x->name) == 0 || (!e->is_loopback && strcmp(e->linux_name, l->name) == 0))
			named |= said;
		else if (e->is_loopback && l->loopback)
			named |= said & OSPF_IF_NAMED_ANEW;
	}
	return named;
}

/* Fills out (an array of struct ospf_if_config) with the interfaces OSPF runs on, and named
 * (an array of unsigned, one per interface) with what the interfaces' change list (NULL:
 * none) says of each. */
static void collect_interfaces(const struct ospf_daemon *d, const struct config_change *interfaces,
			       struct array *out, struct array *named)
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
			unsigned *said = x ? array_push(named) : NULL;
			if (!said) {
				if (x)
					out->count--; /* out of memory: not run rather than run unnamed */
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
			x->hello_interval = config_ospf_hello_interval(io);
			x->dead_interval = config_ospf_dead_interval(io);
			x->priority = config_ospf_priority(io);
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
			*said = named_in(interfaces, l, x);
		}
	}
}

/* `changed`: the settings (enum ospf_if_settings) to compare on every interface; interfaces:
 * the interfaces' change list, NULL when none names what changed (the kernel's events). */
static void apply(struct ospf_daemon *d, unsigned changed, const struct config_change *interfaces)
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
	struct array ifs, named;
	array_init(&ifs, MEMORY_OSPF, sizeof(struct ospf_if_config), OSPF_INTERFACES_MAX);
	array_init(&named, MEMORY_OSPF, sizeof(unsigned), OSPF_INTERFACES_MAX);
	collect_interfaces(d, interfaces, &ifs, &named);
	ospf_reconfigure_interfaces(d->ospf, ifs.items, named.items, ifs.count, changed, now);
	array_free(&ifs);
	array_free(&named);
	run(d);
}

/* ---- redistribution: the core's change events ---- */

/* The configuration changed (or OSPF started): every external again. */
static void recompute_externals(struct ospf_daemon *d)
{
	if (!d->ospf)
		return;
	d->redistribution.process = d->process;
	ospf_redistribution_recompute(&d->redistribution, d->ospf, d->config);
	run(d);
}

/* The winners the subscription hears: every stored protocol's. */
#define STORED_WINNERS (CORE_PROTO_BIT(CORE_PROTO_STORED_COUNT) - 1)

/* Does the change touch what the externals are made of? Its prefix is noted. */
static bool core_event(void *ctx, const struct core_event *event)
{
	struct ospf_daemon *d = ctx;
	if (!d->ospf)
		return false;
	return ospf_redistribution_event(&d->redistribution, d->config, event);
}

/* Once per loop iteration however many routes changed: the noted prefixes' externals, one
 * each (a full table loading into BGP costs what it changed, not a walk per iteration). */
static void core_batch_end(void *ctx)
{
	struct ospf_daemon *d = ctx;
	if (d->ospf) {
		ospf_redistribution_apply(&d->redistribution, d->ospf, d->config);
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
	/* every stored protocol's winners (the default route's, for default-information), and
	 * BGP's routes once the configuration redistributes them (ospfd_configure); the event
	 * says whether the configuration wants the change */
	d->subscription = core_subscribe(core, 0, STORED_WINNERS, &subscriber_ops, d);
	if (!d->subscription) {
		memory_free(MEMORY_OSPF, d);
		return NULL;
	}
	ospf_redistribution_init(&d->redistribution, core);
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

void ospfd_configure(struct ospf_daemon *d, const struct config *c, const struct config_change *ospf,
                     const struct config_change *interfaces)
{
	d->config = c;
	/* BGP's routes only when redistributed: a full table costs no event otherwise */
	core_subscription_listen(d->subscription, c->ospf.redistribute_bgp.enabled ? CORE_PROTO_BIT(CORE_PROTO_BGP) : 0,
				 STORED_WINNERS);
	if (!c->ospf.enabled) {
		stop(d);
		return;
	}
	if (d->ospf && ospf->effect == CONFIG_EFFECT_RESTART)
		stop(d); /* another process number */
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
	apply(d, ospf_if_settings_changed(ospf), interfaces);
	recompute_externals(d);
}

void ospfd_kernel_changed(struct ospf_daemon *d)
{
	if (d && d->ospf)
		apply(d, OSPF_IF_SETTING_ALL, NULL);
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
	ospf_redistribution_free(&d->redistribution);
	uv_timer_stop(&d->timer);
	d->destroyed = true;
	d->handles_closing++;
	uv_close((uv_handle_t *)&d->timer, handle_closed);
}
