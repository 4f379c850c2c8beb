/*
 * DOC: unit tests of the OSPF engine (ospf/ospf.h), with no network at all.
 *
 * SPF on hand-built databases (a transit network with equal-cost paths, stubs, an external
 * route), and routers wired together in memory: a tiny simulated network delivers each
 * packet to the interfaces on the same segment that joined its multicast group (or own its
 * unicast address), a simulated clock drives the timers. The neighbour state machine is
 * checked through the transitions it reports, the interface state machine through the DR
 * and BDR it elects.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "config/config.h"
#include "ospf/internal.h"
#include "ospf/settings.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

/* ---- a simulated network ---- */

#define ROUTERS_MAX 6
#define PORTS_MAX 4
#define QUEUE_MAX 4096

struct port {
	int segment;         /* -1: none (loopback) */
	uint32_t ifindex;
	uint32_t addr;
	bool spf, drs;       /* joined 224.0.0.5 / 224.0.0.6 */
};

struct router {
	struct ospf *o;
	int index;
	struct port ports[PORTS_MAX];
	size_t port_count;
	struct ospf_if_config cfg[PORTS_MAX];
	/* routes as the callback left them */
	struct { uint32_t prefix; uint8_t len; struct ospf_route_info info; bool set; uint64_t set_at; } routes[64];
	size_t route_count;
	char log[8192];
};

struct packet {
	int from;
	uint32_t ifindex, src, dst;
	size_t len;
	uint8_t data[1500];
};

static struct router routers[ROUTERS_MAX];
static size_t router_count;
static struct packet *queue;
static size_t queue_n;
static uint64_t now_ms;
static bool drop_all;

static void cb_send(void *ctx, uint32_t ifindex, uint32_t src, uint32_t dst, const uint8_t *pkt, size_t len)
{
	struct router *r = ctx;
	if (queue_n >= QUEUE_MAX || len > 1500 || drop_all)
		return;
	struct packet *p = &queue[queue_n++];
	p->from = r->index;
	p->ifindex = ifindex;
	p->src = src;
	p->dst = dst;
	p->len = len;
	memcpy(p->data, pkt, len);
}

static void cb_membership(void *ctx, uint32_t ifindex, uint32_t group, bool join)
{
	struct router *r = ctx;
	for (size_t i = 0; i < r->port_count; i++) {
		if (r->ports[i].ifindex != ifindex)
			continue;
		if (group == OSPF_ALL_SPF_ROUTERS)
			r->ports[i].spf = join;
		else
			r->ports[i].drs = join;
	}
}

static void cb_route(void *ctx, const struct prefix *p, const struct ospf_route_info *info)
{
	struct router *r = ctx;
	uint32_t prefix = prefix_v4(p);
	uint8_t len = p->len;
	for (size_t i = 0; i < r->route_count; i++) {
		if (r->routes[i].prefix == prefix && r->routes[i].len == len) {
			if (info && !r->routes[i].set)
				r->routes[i].set_at = now_ms;
			r->routes[i].set = info != NULL;
			if (info)
				r->routes[i].info = *info;
			return;
		}
	}
	if (!info || r->route_count >= 64)
		return;
	r->routes[r->route_count].prefix = prefix;
	r->routes[r->route_count].len = len;
	r->routes[r->route_count].info = *info;
	r->routes[r->route_count].set = true;
	r->routes[r->route_count].set_at = now_ms;
	r->route_count++;
}

static void cb_event(void *ctx, const char *ifname, uint32_t rid, uint32_t addr, const char *from, const char *to,
		     const char *event)
{
	struct router *r = ctx;
	(void)ifname, (void)addr, (void)event;
	size_t used = strlen(r->log);
	snprintf(r->log + used, sizeof(r->log) - used, "%u.%u:%s>%s ", rid >> 24, rid & 0xff, from, to);
}

static struct router *router_new(uint32_t rid)
{
	struct router *r = &routers[router_count];
	memset(r, 0, sizeof(*r));
	r->index = (int)router_count++;
	struct ospf_callbacks cb = { .ctx = r, .send = cb_send, .membership = cb_membership, .route = cb_route,
				     .neighbor_event = cb_event };
	struct ospf_options opt = { .router_id = rid, .crypto_seq_start = 1000 };
	r->o = ospf_create(&cb, &opt, now_ms);
	return r;
}

static struct ospf_if_config *port_add(struct router *r, int segment, uint32_t addr, uint8_t len,
				       enum ospf_if_type type)
{
	size_t i = r->port_count++;
	r->ports[i] = (struct port){ segment, (uint32_t)(i + 1), addr, false, false };
	struct ospf_if_config *c = &r->cfg[i];
	memset(c, 0, sizeof(*c));
	c->ifindex = (uint32_t)(i + 1);
	snprintf(c->name, sizeof(c->name), "eth%zu", i);
	c->addr = addr;
	c->prefixlen = len;
	c->type = type;
	c->up = true;
	c->cost = 10;
	c->hello_interval = 1;
	c->dead_interval = 4;
	c->priority = 1;
	c->mtu = 1500;
	return c;
}

static void router_apply(struct router *r)
{
	ospf_set_interfaces(r->o, r->cfg, r->port_count, now_ms);
}

static void deliver(void)
{
	for (size_t k = 0; k < queue_n; k++) {
		struct packet *p = &queue[k];
		struct router *from = &routers[p->from];
		int segment = -1;
		for (size_t i = 0; i < from->port_count; i++)
			if (from->ports[i].ifindex == p->ifindex)
				segment = from->ports[i].segment;
		if (segment < 0)
			continue;
		for (size_t r = 0; r < router_count; r++) {
			if ((int)r == p->from)
				continue;
			for (size_t i = 0; i < routers[r].port_count; i++) {
				struct port *port = &routers[r].ports[i];
				if (port->segment != segment)
					continue;
				bool take = p->dst == port->addr || (p->dst == OSPF_ALL_SPF_ROUTERS && port->spf) ||
					    (p->dst == OSPF_ALL_D_ROUTERS && port->drs);
				if (take)
					ospf_input(routers[r].o, port->ifindex, p->src, p->dst, p->data, p->len, now_ms);
			}
		}
	}
	queue_n = 0;
}

static void run_for(uint64_t ms)
{
	uint64_t end = now_ms + ms;
	while (now_ms < end) {
		for (size_t r = 0; r < router_count; r++)
			ospf_run(routers[r].o, now_ms);
		/* deliver until quiet, as a LAN with no delay would */
		for (int round = 0; round < 20 && queue_n; round++) {
			deliver();
			for (size_t r = 0; r < router_count; r++)
				ospf_run(routers[r].o, now_ms);
		}
		now_ms += 50;
	}
}

static int setup(void **state)
{
	(void)state;
	router_count = 0;
	queue_n = 0;
	now_ms = 1000000;
	drop_all = false;
	queue = calloc(QUEUE_MAX, sizeof(*queue));
	return queue ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	for (size_t r = 0; r < router_count; r++)
		ospf_destroy(routers[r].o);
	free(queue);
	return 0;
}

static enum ospf_nbr_state nbr_state(struct router *r, uint32_t rid)
{
	struct ospf_nbr_view v;
	for (size_t i = 0; ospf_neighbor_view(r->o, i, now_ms, &v); i++)
		if (v.router_id == rid)
			return v.state;
	return OSPF_NBR_DOWN;
}

static const struct ospf_route_info *route_of(struct router *r, uint32_t prefix, uint8_t len)
{
	for (size_t i = 0; i < r->route_count; i++)
		if (r->routes[i].prefix == prefix && r->routes[i].len == len && r->routes[i].set)
			return &r->routes[i].info;
	return NULL;
}

static struct ospf_if_view if_view(struct router *r, size_t i)
{
	struct ospf_if_view v;
	assert_true(ospf_interface_view(r->o, i, &v));
	return v;
}

/* ---- hand-built databases ---- */

static size_t lsa_router(uint8_t *buf, size_t cap, uint32_t rid, uint8_t flags, const struct ospf_router_link *links,
			 size_t n)
{
	struct writer w = writer_make(buf, cap);
	struct ospf_lsa_header h = { .options = OSPF_OPT_E, .type = OSPF_LSA_ROUTER, .id = rid, .adv_router = rid,
				     .seq = OSPF_INITIAL_SEQ };
	size_t start = ospf_lsa_begin(&w, &h);
	writer_u8(&w, flags);
	writer_u8(&w, 0);
	writer_u16(&w, (uint16_t)n);
	for (size_t i = 0; i < n; i++)
		ospf_router_link_write(&w, &links[i]);
	ospf_lsa_end(&w, start);
	return w.len;
}

static void install(struct ospf_lsdb *db, const uint8_t *buf, size_t len)
{
	assert_true(ospf_lsa_checksum_ok(buf, len));
	assert_non_null(ospf_lsdb_install(db, buf, len, now_ms));
}

static void test_spf_transit_ecmp(void **state)
{
	(void)state;
	struct router *r1 = router_new(IP(1, 1, 1, 1));
	port_add(r1, 0, IP(10, 0, 0, 1), 24, OSPF_IF_BROADCAST);
	router_apply(r1);
	struct ospf *o = r1->o;
	assert_int_equal(o->areas.count, 1);
	struct ospf_lsdb *db = &ospf_areas(o)[0].db;
	uint8_t buf[256];
	struct ospf_router_link l1[] = { { IP(10, 0, 0, 1), IP(10, 0, 0, 1), OSPF_LINK_TRANSIT, 0, 10 } };
	install(db, buf, lsa_router(buf, sizeof(buf), IP(1, 1, 1, 1), 0, l1, 1));
	struct ospf_router_link l2[] = { { IP(10, 0, 0, 1), IP(10, 0, 0, 2), OSPF_LINK_TRANSIT, 0, 10 },
					 { IP(4, 4, 4, 0), IP(255, 255, 255, 0), OSPF_LINK_STUB, 0, 5 } };
	install(db, buf, lsa_router(buf, sizeof(buf), IP(2, 2, 2, 2), 0, l2, 2));
	struct ospf_router_link l3[] = { { IP(10, 0, 0, 1), IP(10, 0, 0, 3), OSPF_LINK_TRANSIT, 0, 10 },
					 { IP(4, 4, 4, 0), IP(255, 255, 255, 0), OSPF_LINK_STUB, 0, 5 },
					 { IP(3, 3, 3, 3), IP(255, 255, 255, 255), OSPF_LINK_STUB, 0, 0 } };
	install(db, buf, lsa_router(buf, sizeof(buf), IP(3, 3, 3, 3), OSPF_ROUTER_E, l3, 3));
	/* a router that claims the network but is not in the network LSA: no link back */
	struct ospf_router_link l5[] = { { IP(10, 0, 0, 1), IP(10, 0, 0, 5), OSPF_LINK_TRANSIT, 0, 1 },
					 { IP(5, 5, 5, 5), IP(255, 255, 255, 255), OSPF_LINK_STUB, 0, 0 } };
	install(db, buf, lsa_router(buf, sizeof(buf), IP(5, 5, 5, 5), 0, l5, 2));
	struct writer w = writer_make(buf, sizeof(buf));
	struct ospf_lsa_header nh = { .options = OSPF_OPT_E, .type = OSPF_LSA_NETWORK, .id = IP(10, 0, 0, 1),
				      .adv_router = IP(1, 1, 1, 1), .seq = OSPF_INITIAL_SEQ };
	size_t start = ospf_lsa_begin(&w, &nh);
	writer_u32(&w, IP(255, 255, 255, 0));
	writer_u32(&w, IP(1, 1, 1, 1));
	writer_u32(&w, IP(2, 2, 2, 2));
	writer_u32(&w, IP(3, 3, 3, 3));
	ospf_lsa_end(&w, start);
	install(db, buf, w.len);
	/* an external route from 3.3.3.3 (E2, metric 20) */
	w = writer_make(buf, sizeof(buf));
	struct ospf_lsa_header xh = { .options = OSPF_OPT_E, .type = OSPF_LSA_EXTERNAL, .id = IP(172, 16, 0, 0),
				      .adv_router = IP(3, 3, 3, 3), .seq = OSPF_INITIAL_SEQ };
	start = ospf_lsa_begin(&w, &xh);
	writer_u32(&w, IP(255, 255, 0, 0));
	writer_u32(&w, 0x80000000u | 20);
	writer_u32(&w, 0);
	writer_u32(&w, 0);
	ospf_lsa_end(&w, start);
	install(&o->external, buf, w.len);

	ospf_spf_run(o, now_ms);
	const struct ospf_route_info *r = route_of(r1, IP(4, 4, 4, 0), 24);
	assert_non_null(r);
	assert_int_equal(r->cost, 15);
	assert_int_equal(r->type, OSPF_ROUTE_INTRA);
	assert_int_equal(r->nexthop_count, 2);
	uint32_t g0 = r->nexthops[0].gateway, g1 = r->nexthops[1].gateway;
	assert_true((g0 == IP(10, 0, 0, 2) && g1 == IP(10, 0, 0, 3)) || (g0 == IP(10, 0, 0, 3) && g1 == IP(10, 0, 0, 2)));
	assert_int_equal(r->nexthops[0].ifindex, 1);
	r = route_of(r1, IP(3, 3, 3, 3), 32);
	assert_non_null(r);
	assert_int_equal(r->cost, 10);
	assert_int_equal(r->nexthop_count, 1);
	assert_int_equal(r->nexthops[0].gateway, IP(10, 0, 0, 3));
	assert_null(route_of(r1, IP(5, 5, 5, 5), 32));   /* no link back */
	assert_null(route_of(r1, IP(10, 0, 0, 0), 24));  /* our own network: connected */
	r = route_of(r1, IP(172, 16, 0, 0), 16);
	assert_non_null(r);
	assert_int_equal(r->type, OSPF_ROUTE_E2);
	assert_int_equal(r->cost, 20);
	assert_int_equal(r->nexthops[0].gateway, IP(10, 0, 0, 3));
	/* R3 goes: its stubs and the external go with it, 4.4.4.0/24 keeps one path */
	struct ospf_lsa *l = ospf_lsdb_find(db, OSPF_LSA_ROUTER, IP(3, 3, 3, 3), IP(3, 3, 3, 3));
	ospf_lsdb_remove(db, l);
	ospf_spf_run(o, now_ms);
	assert_null(route_of(r1, IP(3, 3, 3, 3), 32));
	assert_null(route_of(r1, IP(172, 16, 0, 0), 16));
	r = route_of(r1, IP(4, 4, 4, 0), 24);
	assert_non_null(r);
	assert_int_equal(r->nexthop_count, 1);
	assert_int_equal(r->nexthops[0].gateway, IP(10, 0, 0, 2));
}

/* ---- routers in memory ---- */

/* Routers 1.1.1.1 and 2.2.2.2 on one broadcast segment (192.168.1.0/24, cost 10), each
 * with its router ID on a loopback (cost 1), their interfaces just configured. */
static void broadcast_pair(struct router **a, struct router **b)
{
	*a = router_new(IP(1, 1, 1, 1));
	*b = router_new(IP(2, 2, 2, 2));
	port_add(*a, 0, IP(192, 168, 1, 1), 24, OSPF_IF_BROADCAST);
	port_add(*a, -1, IP(1, 1, 1, 1), 32, OSPF_IF_LOOPBACK)->cost = 1;
	port_add(*b, 0, IP(192, 168, 1, 2), 24, OSPF_IF_BROADCAST);
	port_add(*b, -1, IP(2, 2, 2, 2), 32, OSPF_IF_LOOPBACK)->cost = 1;
	router_apply(*a);
	router_apply(*b);
}

static void test_broadcast_pair(void **state)
{
	(void)state;
	struct router *a, *b;
	broadcast_pair(&a, &b);
	/* Waiting for the dead interval (4 s): no DR yet */
	run_for(2000);
	assert_int_equal(if_view(a, 0).state, OSPF_IFS_WAITING);
	assert_int_equal(nbr_state(a, IP(2, 2, 2, 2)), OSPF_NBR_2WAY);
	run_for(6000);
	assert_int_equal(nbr_state(a, IP(2, 2, 2, 2)), OSPF_NBR_FULL);
	assert_int_equal(nbr_state(b, IP(1, 1, 1, 1)), OSPF_NBR_FULL);
	/* equal priority: the higher router ID is DR */
	assert_int_equal(if_view(b, 0).state, OSPF_IFS_DR);
	assert_int_equal(if_view(a, 0).state, OSPF_IFS_BACKUP);
	assert_int_equal(if_view(a, 0).dr_addr, IP(192, 168, 1, 2));
	assert_int_equal(if_view(a, 1).state, OSPF_IFS_LOOPBACK);
	/* the whole way through ExStart and Exchange */
	assert_non_null(strstr(a->log, "2.2:DOWN>INIT"));
	assert_non_null(strstr(a->log, "2.2:INIT>2WAY"));
	assert_non_null(strstr(a->log, "2.2:2WAY>EXSTART"));
	assert_non_null(strstr(a->log, "2.2:EXSTART>EXCHANGE"));
	assert_non_null(strstr(a->log, ">FULL"));
	/* loopbacks learned across the transit network */
	run_for(2000);
	const struct ospf_route_info *r = route_of(a, IP(2, 2, 2, 2), 32);
	assert_non_null(r);
	assert_int_equal(r->cost, 11);
	assert_int_equal(r->nexthops[0].gateway, IP(192, 168, 1, 2));
	r = route_of(b, IP(1, 1, 1, 1), 32);
	assert_non_null(r);
	assert_int_equal(r->nexthops[0].gateway, IP(192, 168, 1, 1));
	/* same databases: router LSAs of both and B's network LSA */
	assert_int_equal(ospf_lsa_count(a->o), 3);
	assert_int_equal(ospf_lsa_count(b->o), 3);

	/* a hello with another hello interval is dropped, counted, and changes nothing */
	uint8_t pkt[128];
	struct writer w = writer_make(pkt, sizeof(pkt));
	ospf_packet_begin(&w, OSPF_HELLO, IP(9, 9, 9, 9), 0);
	struct ospf_hello h = { .mask = IP(255, 255, 255, 0), .hello_interval = 10, .dead_interval = 40,
				.options = OSPF_OPT_E, .priority = 1 };
	ospf_hello_encode(&w, &h);
	size_t n = ospf_packet_finish(&w, NULL, 0);
	ospf_input(a->o, 1, IP(192, 168, 1, 9), OSPF_ALL_SPF_ROUTERS, pkt, n, now_ms);
	assert_int_equal(if_view(a, 0).drops[OSPF_DROP_HELLO_MISMATCH], 1);
	/* a corrupted packet (the area changed under its checksum) */
	pkt[11] = 1;
	ospf_input(a->o, 1, IP(192, 168, 1, 9), OSPF_ALL_SPF_ROUTERS, pkt, n, now_ms);
	assert_int_equal(if_view(a, 0).drops[OSPF_DROP_WIRE_FIRST + OSPF_WIRE_BAD_CHECKSUM], 1);
	run_for(1000);
	assert_int_equal(nbr_state(a, IP(2, 2, 2, 2)), OSPF_NBR_FULL);
	assert_int_equal(ospf_neighbor_count(a->o), 1);

	/* B goes silent: dead after 4 s, the route goes */
	drop_all = true;
	run_for(5000);
	drop_all = false;
	assert_int_equal(ospf_neighbor_count(a->o), 0);
	run_for(1500);
	assert_null(route_of(a, IP(2, 2, 2, 2), 32));
}

static void test_p2p_and_ecmp_square(void **state)
{
	(void)state;
	/* A - B, A - C, B - D, C - D, point-to-point; D's loopback by two equal paths */
	struct router *a = router_new(IP(1, 1, 1, 1));
	struct router *b = router_new(IP(2, 2, 2, 2));
	struct router *c = router_new(IP(3, 3, 3, 3));
	struct router *d = router_new(IP(4, 4, 4, 4));
	port_add(a, 0, IP(10, 0, 1, 1), 30, OSPF_IF_P2P);
	port_add(b, 0, IP(10, 0, 1, 2), 30, OSPF_IF_P2P);
	port_add(a, 1, IP(10, 0, 2, 1), 30, OSPF_IF_P2P);
	port_add(c, 1, IP(10, 0, 2, 2), 30, OSPF_IF_P2P);
	port_add(b, 2, IP(10, 0, 3, 1), 30, OSPF_IF_P2P);
	port_add(d, 2, IP(10, 0, 3, 2), 30, OSPF_IF_P2P);
	port_add(c, 3, IP(10, 0, 4, 1), 30, OSPF_IF_P2P);
	port_add(d, 3, IP(10, 0, 4, 2), 30, OSPF_IF_P2P);
	port_add(d, -1, IP(4, 4, 4, 4), 32, OSPF_IF_LOOPBACK)->cost = 0;
	for (size_t i = 0; i < 4; i++)
		router_apply(&routers[i]);
	/* no Wait timer on point-to-point links */
	run_for(1500);
	assert_int_equal(nbr_state(a, IP(2, 2, 2, 2)), OSPF_NBR_FULL);
	assert_int_equal(nbr_state(d, IP(3, 3, 3, 3)), OSPF_NBR_FULL);
	assert_int_equal(if_view(a, 0).state, OSPF_IFS_P2P);
	run_for(7000);
	const struct ospf_route_info *r = route_of(a, IP(4, 4, 4, 4), 32);
	assert_non_null(r);
	assert_int_equal(r->cost, 20);
	assert_int_equal(r->nexthop_count, 2);
	r = route_of(a, IP(10, 0, 3, 0), 30);
	assert_non_null(r);
	assert_int_equal(r->cost, 20);
	assert_int_equal(r->nexthops[0].gateway, IP(10, 0, 1, 2));
	/* B's link to D costs more now: one path left */
	b->cfg[1].cost = 50;
	router_apply(b);
	run_for(7000);
	r = route_of(a, IP(4, 4, 4, 4), 32);
	assert_non_null(r);
	assert_int_equal(r->nexthop_count, 1);
	assert_int_equal(r->nexthops[0].gateway, IP(10, 0, 2, 2));
}

static void test_dr_election_priority(void **state)
{
	(void)state;
	struct router *a = router_new(IP(1, 1, 1, 1));
	struct router *b = router_new(IP(2, 2, 2, 2));
	struct router *c = router_new(IP(3, 3, 3, 3));
	port_add(a, 0, IP(10, 0, 0, 1), 24, OSPF_IF_BROADCAST)->priority = 10;
	port_add(b, 0, IP(10, 0, 0, 2), 24, OSPF_IF_BROADCAST)->priority = 0;
	port_add(c, 0, IP(10, 0, 0, 3), 24, OSPF_IF_BROADCAST);
	for (size_t i = 0; i < 3; i++)
		router_apply(&routers[i]);
	run_for(10000);
	assert_int_equal(if_view(a, 0).state, OSPF_IFS_DR);
	assert_int_equal(if_view(c, 0).state, OSPF_IFS_BACKUP);
	assert_int_equal(if_view(b, 0).state, OSPF_IFS_DROTHER);
	/* DROthers are adjacent to the DR and BDR only */
	assert_int_equal(nbr_state(b, IP(1, 1, 1, 1)), OSPF_NBR_FULL);
	assert_int_equal(nbr_state(b, IP(3, 3, 3, 3)), OSPF_NBR_FULL);
	assert_int_equal(nbr_state(a, IP(3, 3, 3, 3)), OSPF_NBR_FULL);
	assert_int_equal(if_view(b, 0).dr_addr, IP(10, 0, 0, 1));
	assert_int_equal(if_view(b, 0).bdr_addr, IP(10, 0, 0, 3));
	/* the DR dies: the BDR takes over and a new election gives B nothing (priority 0) */
	ospf_set_interfaces(a->o, NULL, 0, now_ms);
	run_for(8000);
	assert_int_equal(if_view(c, 0).state, OSPF_IFS_DR);
	assert_int_equal(if_view(b, 0).state, OSPF_IFS_DROTHER);
	assert_int_equal(nbr_state(b, IP(3, 3, 3, 3)), OSPF_NBR_FULL);
}

static void test_md5_and_wrong_key(void **state)
{
	(void)state;
	struct router *a = router_new(IP(1, 1, 1, 1));
	struct router *b = router_new(IP(2, 2, 2, 2));
	struct ospf_if_config *ca = port_add(a, 0, IP(10, 0, 0, 1), 30, OSPF_IF_P2P);
	struct ospf_if_config *cb = port_add(b, 0, IP(10, 0, 0, 2), 30, OSPF_IF_P2P);
	ca->auth.type = cb->auth.type = OSPF_AUTH_CRYPTO;
	ca->auth.key_id = cb->auth.key_id = 1;
	memcpy(ca->auth.key, "secret", 6);
	memcpy(cb->auth.key, "secreT", 6);
	router_apply(a);
	router_apply(b);
	run_for(3000);
	assert_int_equal(ospf_neighbor_count(a->o), 0);
	assert_true(if_view(a, 0).drops[OSPF_DROP_WIRE_FIRST + OSPF_WIRE_BAD_AUTH] > 0);
	memcpy(b->cfg[0].auth.key, "secret", 6);
	router_apply(b);
	run_for(3000);
	assert_int_equal(nbr_state(a, IP(2, 2, 2, 2)), OSPF_NBR_FULL);
}

static void test_abr_summaries(void **state)
{
	(void)state;
	/* A (area 0) - B (ABR: area 0 and area 1) - C (area 1), point-to-point */
	struct router *a = router_new(IP(1, 1, 1, 1));
	struct router *b = router_new(IP(2, 2, 2, 2));
	struct router *c = router_new(IP(3, 3, 3, 3));
	port_add(a, 0, IP(10, 0, 1, 1), 30, OSPF_IF_P2P);
	port_add(a, -1, IP(1, 1, 1, 1), 32, OSPF_IF_LOOPBACK)->cost = 1;
	port_add(b, 0, IP(10, 0, 1, 2), 30, OSPF_IF_P2P);
	port_add(b, 1, IP(10, 0, 2, 1), 30, OSPF_IF_P2P)->area = 1;
	port_add(c, 1, IP(10, 0, 2, 2), 30, OSPF_IF_P2P)->area = 1;
	struct ospf_if_config *lo = port_add(c, -1, IP(3, 3, 3, 3), 32, OSPF_IF_LOOPBACK);
	lo->area = 1;
	lo->cost = 1;
	for (size_t i = 0; i < 3; i++)
		router_apply(&routers[i]);
	/* C redistributes a route: A reaches the ASBR through B's ASBR-summary */
	struct ospf_external x = { prefix_from_v4(IP(172, 16, 0, 0), 16), 20, false };
	ospf_set_externals(c->o, &x, 1, true, now_ms);
	run_for(15000);
	assert_true(ospf_is_abr(b->o));
	assert_false(ospf_is_abr(a->o));
	const struct ospf_route_info *r = route_of(a, IP(3, 3, 3, 3), 32);
	assert_non_null(r);
	assert_int_equal(r->type, OSPF_ROUTE_INTER);
	assert_int_equal(r->cost, 21);
	assert_int_equal(r->nexthops[0].gateway, IP(10, 0, 1, 2));
	r = route_of(a, IP(10, 0, 2, 0), 30); /* B's own area-1 network, summarised */
	assert_non_null(r);
	assert_int_equal(r->type, OSPF_ROUTE_INTER);
	assert_int_equal(r->cost, 20);
	r = route_of(c, IP(1, 1, 1, 1), 32);
	assert_non_null(r);
	assert_int_equal(r->type, OSPF_ROUTE_INTER);
	assert_int_equal(r->cost, 21);
	r = route_of(a, IP(172, 16, 0, 0), 16);
	assert_non_null(r);
	assert_int_equal(r->type, OSPF_ROUTE_E2);
	assert_int_equal(r->cost, 20);
	/* B's route to C's loopback is intra-area: it is not overridden by anything */
	r = route_of(b, IP(3, 3, 3, 3), 32);
	assert_non_null(r);
	assert_int_equal(r->type, OSPF_ROUTE_INTRA);
	/* the link to C goes: the summaries are flushed and A's routes go */
	c->cfg[0].up = false;
	router_apply(c);
	run_for(10000);
	assert_null(route_of(a, IP(3, 3, 3, 3), 32));
	assert_null(route_of(a, IP(172, 16, 0, 0), 16));
}

static void test_mtu_mismatch_and_passive(void **state)
{
	(void)state;
	struct router *a = router_new(IP(1, 1, 1, 1));
	struct router *b = router_new(IP(2, 2, 2, 2));
	port_add(a, 0, IP(10, 0, 0, 1), 30, OSPF_IF_P2P);
	port_add(b, 0, IP(10, 0, 0, 2), 30, OSPF_IF_P2P)->mtu = 1400;
	/* a passive interface on B: announced, but no hellos there */
	struct ospf_if_config *pas = port_add(b, 1, IP(192, 168, 9, 1), 24, OSPF_IF_BROADCAST);
	pas->passive = true;
	struct router *c = router_new(IP(3, 3, 3, 3));
	port_add(c, 1, IP(192, 168, 9, 2), 24, OSPF_IF_BROADCAST);
	for (size_t i = 0; i < 3; i++)
		router_apply(&routers[i]);
	run_for(8000);
	/* §10.6: B drops A's DD packets (MTU 1500 > 1400): the adjacency stays in ExStart */
	assert_int_equal(nbr_state(b, IP(1, 1, 1, 1)), OSPF_NBR_EXSTART);
	assert_true(if_view(b, 0).drops[OSPF_DROP_MTU_MISMATCH] > 0);
	assert_int_equal(ospf_neighbor_count(c->o), 0);
	assert_int_equal(if_view(b, 1).tx[OSPF_HELLO], 0);
	/* the same MTU: Full, and B's passive network reaches A */
	a->cfg[0].mtu = 1400;
	router_apply(a);
	run_for(8000);
	assert_int_equal(nbr_state(b, IP(1, 1, 1, 1)), OSPF_NBR_FULL);
	const struct ospf_route_info *r = route_of(a, IP(192, 168, 9, 0), 24);
	assert_non_null(r);
	assert_int_equal(r->cost, 20);
}

static void test_external_lsid_collision(void **state)
{
	(void)state;
	/* Appendix E: 10.9.0.0/16 and 10.9.0.0/24 share their network address */
	struct router *a = router_new(IP(1, 1, 1, 1));
	struct router *b = router_new(IP(2, 2, 2, 2));
	port_add(a, 0, IP(192, 168, 0, 1), 30, OSPF_IF_P2P);
	port_add(b, 0, IP(192, 168, 0, 2), 30, OSPF_IF_P2P);
	router_apply(a);
	router_apply(b);
	struct ospf_external x[] = { { prefix_from_v4(IP(10, 9, 0, 0), 16), 20, false },
				     { prefix_from_v4(IP(10, 9, 0, 0), 24), 30, false } };
	ospf_set_externals(b->o, x, 2, true, now_ms);
	run_for(8000);
	const struct ospf_route_info *r16 = route_of(a, IP(10, 9, 0, 0), 16), *r24 = route_of(a, IP(10, 9, 0, 0), 24);
	assert_non_null(r16);
	assert_non_null(r24);
	assert_int_equal(r16->cost, 20);
	assert_int_equal(r24->cost, 30);
	/* the /24 has its host bits set in its link state ID */
	struct ospf_lsa_view v;
	bool found = false;
	for (size_t i = 0; ospf_lsa_view(a->o, i, now_ms, &v); i++)
		if (v.header.type == OSPF_LSA_EXTERNAL && v.header.id == IP(10, 9, 0, 255))
			found = true;
	assert_true(found);
	/* the /16 goes: the /24 takes the plain ID and stays reachable */
	ospf_set_externals(b->o, &x[1], 1, true, now_ms);
	run_for(12000);
	assert_null(route_of(a, IP(10, 9, 0, 0), 16));
	r24 = route_of(a, IP(10, 9, 0, 0), 24);
	assert_non_null(r24);
	assert_int_equal(r24->cost, 30);
}

/* The seed lab's AS 100 (make demo): two routers on one Ethernet with the default timers,
 * the one with the higher router ID started first. Both wait out the dead interval (nobody
 * is DR yet, so no BackupSeen); after that only milliseconds may pass: the first router's
 * initial DD reached the other while it was still Waiting, and the router LSAs each builds on
 * reaching Full follow the copies just exchanged by less than MinLSArrival. Neither may
 * cost an RxmtInterval (5 s). */
static void test_wait_end_to_routes(void **state)
{
	(void)state;
	struct router *a = router_new(IP(1, 1, 1, 1));
	struct router *b = router_new(IP(2, 2, 2, 2));
	struct ospf_if_config *ca = port_add(a, 0, IP(192, 168, 1, 1), 24, OSPF_IF_BROADCAST);
	struct ospf_if_config *cb = port_add(b, 0, IP(192, 168, 1, 2), 24, OSPF_IF_BROADCAST);
	port_add(a, -1, IP(1, 1, 1, 1), 32, OSPF_IF_LOOPBACK)->cost = 1;
	port_add(b, -1, IP(2, 2, 2, 2), 32, OSPF_IF_LOOPBACK)->cost = 1;
	ca->hello_interval = cb->hello_interval = 10;
	ca->dead_interval = cb->dead_interval = 40;
	uint64_t start = now_ms;
	router_apply(b);
	run_for(50);
	router_apply(a);
	run_for(39900);
	assert_int_equal(if_view(a, 0).state, OSPF_IFS_WAITING);
	assert_int_equal(if_view(b, 0).state, OSPF_IFS_WAITING);
	assert_int_equal(nbr_state(a, IP(2, 2, 2, 2)), OSPF_NBR_2WAY);
	run_for(2000);
	/* the Wait timer ended both waits, 40 s after each interface came up */
	struct ospf_if_view va = if_view(a, 0), vb = if_view(b, 0);
	assert_int_equal(vb.wait_ended_ms, start + 40000);
	assert_int_equal(va.wait_ended_ms, start + 50 + 40000);
	assert_false(va.wait_backup_seen);
	assert_int_equal(vb.state, OSPF_IFS_DR);
	assert_int_equal(va.state, OSPF_IFS_BACKUP);
	/* Full in the same instant the later wait ended */
	struct ospf_nbr_view n;
	for (size_t i = 0; ospf_neighbor_view(a->o, i, now_ms, &n); i++) {
		assert_int_equal(n.state, OSPF_NBR_FULL);
		assert_true(now_ms - n.up_ms <= va.wait_ended_ms + 50);
	}
	/* each loopback in the other's table an SPF delay later (the election ran no SPF whose
	 * hold the adjacency would wait out), not seconds */
	assert_non_null(route_of(a, IP(2, 2, 2, 2), 32));
	assert_non_null(route_of(b, IP(1, 1, 1, 1), 32));
	for (size_t i = 0; i < a->route_count; i++)
		if (a->routes[i].prefix == IP(2, 2, 2, 2))
			assert_true(a->routes[i].set_at <= va.wait_ended_ms + OSPF_SPF_DELAY_MS);
	for (size_t i = 0; i < b->route_count; i++)
		if (b->routes[i].prefix == IP(1, 1, 1, 1))
			assert_true(b->routes[i].set_at <= va.wait_ended_ms + OSPF_SPF_DELAY_MS);
	assert_null(strstr(a->log, "EXSTART>EXSTART"));
}

/* An LSU from neighbour 2.2.2.2 carrying 9.9.9.9's router LSA with sequence number seq. */
static size_t lsu_with(uint8_t *pkt, size_t cap, int32_t seq)
{
	uint8_t lsa[64];
	struct ospf_router_link link = { IP(10, 9, 9, 0), IP(255, 255, 255, 0), OSPF_LINK_STUB, 0, 1 };
	size_t len = lsa_router(lsa, sizeof(lsa), IP(9, 9, 9, 9), 0, &link, 1);
	lsa[12] = (uint8_t)((uint32_t)seq >> 24);
	lsa[13] = (uint8_t)((uint32_t)seq >> 16);
	lsa[14] = (uint8_t)((uint32_t)seq >> 8);
	lsa[15] = (uint8_t)seq;
	ospf_lsa_checksum_set(lsa, len);
	struct writer w = writer_make(pkt, cap);
	ospf_packet_begin(&w, OSPF_LSU, IP(2, 2, 2, 2), 0);
	writer_u32(&w, 1);
	writer_bytes(&w, lsa, len);
	return ospf_packet_finish(&w, NULL, 0);
}

static int32_t seq_of_9999(struct router *r)
{
	struct ospf_lsa_view v;
	for (size_t i = 0; ospf_lsa_view(r->o, i, now_ms, &v); i++)
		if (v.header.adv_router == IP(9, 9, 9, 9))
			return v.header.seq;
	return 0;
}

/* §13 step 5(a): a flooded copy still holds off a newer instance for MinLSArrival. */
static void test_min_ls_arrival_flooded(void **state)
{
	(void)state;
	struct router *a = router_new(IP(1, 1, 1, 1));
	struct router *b = router_new(IP(2, 2, 2, 2));
	port_add(a, 0, IP(192, 168, 1, 1), 24, OSPF_IF_BROADCAST);
	port_add(b, 0, IP(192, 168, 1, 2), 24, OSPF_IF_BROADCAST);
	router_apply(a);
	router_apply(b);
	run_for(8000);
	assert_int_equal(nbr_state(a, IP(2, 2, 2, 2)), OSPF_NBR_FULL);
	uint8_t pkt[256];
	size_t n = lsu_with(pkt, sizeof(pkt), OSPF_INITIAL_SEQ + 10);
	ospf_input(a->o, 1, IP(192, 168, 1, 2), OSPF_ALL_SPF_ROUTERS, pkt, n, now_ms);
	assert_int_equal(seq_of_9999(a), OSPF_INITIAL_SEQ + 10);
	run_for(100);
	n = lsu_with(pkt, sizeof(pkt), OSPF_INITIAL_SEQ + 11);
	ospf_input(a->o, 1, IP(192, 168, 1, 2), OSPF_ALL_SPF_ROUTERS, pkt, n, now_ms);
	assert_int_equal(seq_of_9999(a), OSPF_INITIAL_SEQ + 10); /* within MinLSArrival: dropped */
	run_for(1000);
	ospf_input(a->o, 1, IP(192, 168, 1, 2), OSPF_ALL_SPF_ROUTERS, pkt, n, now_ms);
	assert_int_equal(seq_of_9999(a), OSPF_INITIAL_SEQ + 11);
}

/* SPF throttling: 50 ms after a first change, then holds of 200 ms doubling while changes
 * keep coming, back to 200 ms after a quiet hold. */
static void test_spf_throttle(void **state)
{
	(void)state;
	struct router *r = router_new(IP(1, 1, 1, 1));
	uint64_t t0 = now_ms;
	struct ospf_stats st;
	static const struct { uint64_t change, runs_at; } steps[] = {
		{ 0, 50 },       /* quiet: the initial delay */
		{ 100, 250 },    /* within the 200 ms hold of the run at 50 */
		{ 300, 650 },    /* within the hold, now 400 ms */
		{ 1460, 1510 },  /* after the 800 ms hold had passed: the initial delay again */
		{ 1600, 1710 },  /* and the hold is 200 ms again */
	};
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		ospf_set_interfaces(r->o, NULL, 0, t0 + steps[i].change);
		assert_int_equal(ospf_run(r->o, t0 + steps[i].change), t0 + steps[i].runs_at);
		ospf_get_stats(r->o, &st);
		uint64_t before = st.spf_runs;
		ospf_run(r->o, t0 + steps[i].runs_at - 1);
		ospf_get_stats(r->o, &st);
		assert_int_equal(st.spf_runs, before);
		ospf_run(r->o, t0 + steps[i].runs_at);
		ospf_get_stats(r->o, &st);
		assert_int_equal(st.spf_runs, before + 1);
	}
}

/* ---- reconfiguration: the engine acts on what the configuration's change list names ---- */

/* What the change from `before` to `after` says to OSPF: the settings of router ospf it
 * compares on every interface (enum ospf_if_settings, returned), and what it does to
 * FastEthernet0/0 (enum ospf_if_named, in *named). */
static unsigned settings_changed_named(const char *before, const char *after, unsigned *named)
{
	struct config a, b;
	struct config_diag diag;
	if (!config_load_text(before, "before", &a, &diag) || !config_load_text(after, "after", &b, &diag))
		fail_msg("%s", diag.message);
	struct config_change ospf, interfaces;
	config_section_change(CONFIG_SECTION_OSPF, &a, &b, &ospf);
	config_section_change(CONFIG_SECTION_INTERFACES, &a, &b, &interfaces);
	config_free(&a);
	config_free(&b);
	*named = ospf_if_named(config_change_interface(&interfaces, "FastEthernet0/0"));
	config_change_free(&ospf);
	config_change_free(&interfaces);
	return ospf_if_settings_changed(&ospf);
}

static unsigned settings_changed(const char *before, const char *after)
{
	unsigned named;
	return settings_changed_named(before, after, &named) | named << 8;
}

#define RUNNING "interface FastEthernet0/0\n ip ospf cost 10\n!\nrouter ospf 1\n network 192.168.1.0 0.0.0.255 area 0\n"

/* A list naming only `ip ospf cost` restarts nothing: the adjacency stays Full and the new
 * cost is in the routes. A list naming `ip ospf hello-interval` restarts the interface. */
static void test_reconfigure_acts_on_the_change(void **state)
{
	(void)state;
	assert_int_equal(settings_changed(RUNNING, RUNNING), 0);
	assert_int_equal(settings_changed(RUNNING, "interface FastEthernet0/0\n ip ospf cost 20\n!\n"
				          "router ospf 1\n network 192.168.1.0 0.0.0.255 area 0\n"), 0);
	assert_int_equal(settings_changed(RUNNING, RUNNING " auto-cost reference-bandwidth 1000\n"), 0);
	unsigned hello;
	assert_int_equal(settings_changed_named(RUNNING, "interface FastEthernet0/0\n ip ospf cost 10\n"
	                                        " ip ospf hello-interval 2\n!\nrouter ospf 1\n"
	                                        " network 192.168.1.0 0.0.0.255 area 0\n", &hello), 0);
	assert_int_equal(hello, OSPF_IF_NAMED_RESTART);
	/* the default written out is no change to OSPF */
	assert_int_equal(settings_changed(RUNNING, "interface FastEthernet0/0\n ip ospf cost 10\n"
	                                  " ip ospf hello-interval 10\n ip ospf priority 1\n!\nrouter ospf 1\n"
	                                  " network 192.168.1.0 0.0.0.255 area 0\n"), 0);
	assert_int_equal(settings_changed(RUNNING, "interface FastEthernet0/0\n ip ospf cost 10\n"
	                                  " ip ospf priority 0\n!\nrouter ospf 1\n"
	                                  " network 192.168.1.0 0.0.0.255 area 0\n"), OSPF_IF_NAMED_REELECT << 8);
	assert_int_equal(settings_changed(RUNNING, RUNNING " network 10.0.0.0 0.255.255.255 area 1\n"),
			 OSPF_IF_SETTING_AREA);

	struct router *a, *b;
	broadcast_pair(&a, &b);
	run_for(10000);
	assert_int_equal(nbr_state(a, IP(2, 2, 2, 2)), OSPF_NBR_FULL);
	assert_int_equal(route_of(a, IP(2, 2, 2, 2), 32)->cost, 11);

	/* the cost, in place */
	a->log[0] = '\0';
	a->cfg[0].cost = 20;
	ospf_reconfigure_interfaces(a->o, a->cfg, NULL, a->port_count, 0, now_ms);
	assert_int_equal(nbr_state(a, IP(2, 2, 2, 2)), OSPF_NBR_FULL);
	run_for(2000);
	assert_string_equal(a->log, "");
	assert_int_equal(nbr_state(a, IP(2, 2, 2, 2)), OSPF_NBR_FULL);
	assert_int_equal(if_view(a, 0).cfg.cost, 20);
	assert_int_equal(route_of(a, IP(2, 2, 2, 2), 32)->cost, 21);

	/* the hello interval: the interface goes down and up, its adjacency with it */
	a->cfg[0].hello_interval = 2;
	a->cfg[0].dead_interval = 8;
	unsigned named[] = { hello, 0 };
	assert_true(a->port_count <= 2);
	ospf_reconfigure_interfaces(a->o, a->cfg, named, a->port_count, 0, now_ms);
	assert_int_not_equal(nbr_state(a, IP(2, 2, 2, 2)), OSPF_NBR_FULL);
	assert_non_null(strstr(a->log, "2.2:FULL>DOWN"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_spf_transit_ecmp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_broadcast_pair, setup, teardown),
		cmocka_unit_test_setup_teardown(test_p2p_and_ecmp_square, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dr_election_priority, setup, teardown),
		cmocka_unit_test_setup_teardown(test_md5_and_wrong_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_abr_summaries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mtu_mismatch_and_passive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_external_lsid_collision, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wait_end_to_routes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_min_ls_arrival_flooded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spf_throttle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reconfigure_acts_on_the_change, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
