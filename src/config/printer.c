/*
 * DOC: the canonical IOS text of a configuration (`show running-config`).
 *
 * One line per setting, in a fixed order: hostname, then the router bgp block with its
 * global settings and each neighbour (sorted by address) with `remote-as` first, since IOS
 * wants it before anything else about that neighbour. Blocks are closed by `!` and the whole
 * by `end`. Every line printed here is a command of the table (commands.c), and reading the
 * text back with config_load_text() gives an equal config: the tests check it per command.
 */
#include "config/config.h"

#include <stdio.h>

static void print_neighbor(const struct config_bgp_neighbor *n, struct strbuf *out)
{
	char addr[IP_ADDR_STRLEN], source[IP_ADDR_STRLEN];
	ip_addr_format(&n->addr, addr);
	strbuf_printf(out, " neighbor %s remote-as %u\n", addr, n->remote_as);
	if (n->description[0])
		strbuf_printf(out, " neighbor %s description %s\n", addr, n->description);
	if (n->update_source_interface[0])
		strbuf_printf(out, " neighbor %s update-source %s\n", addr, n->update_source_interface);
	else if (ip_addr_is_set(&n->update_source_addr))
		strbuf_printf(out, " neighbor %s update-source %s\n", addr,
		              ip_addr_format(&n->update_source_addr, source));
	if (n->ebgp_multihop)
		strbuf_printf(out, " neighbor %s ebgp-multihop %u\n", addr, n->ebgp_multihop_ttl);
	if (n->has_timers)
		strbuf_printf(out, " neighbor %s timers %u %u\n", addr, n->keepalive, n->hold_time);
	if (n->connect_retry)
		strbuf_printf(out, " neighbor %s timers connect %u\n", addr, n->connect_retry);
	if (n->password[0])
		strbuf_printf(out, " neighbor %s password %s\n", addr, n->password);
	if (n->shutdown && n->shutdown_message[0])
		strbuf_printf(out, " neighbor %s shutdown message %s\n", addr, n->shutdown_message);
	else if (n->shutdown)
		strbuf_printf(out, " neighbor %s shutdown\n", addr);
	if (n->passive)
		strbuf_printf(out, " neighbor %s transport connection-mode passive\n", addr);
}

static void print_bgp(const struct config_bgp *bgp, struct strbuf *out)
{
	if (!bgp->enabled)
		return;
	strbuf_printf(out, "router bgp %u\n", bgp->asn);
	if (bgp->has_router_id) {
		char id[16];
		strbuf_printf(out, " bgp router-id %s\n", ipv4_format(bgp->router_id, id));
	}
	if (bgp->has_timers)
		strbuf_printf(out, " timers bgp %u %u\n", bgp->keepalive, bgp->hold_time);
	for (size_t i = 0; i < bgp->neighbor_count; i++)
		print_neighbor(&bgp->neighbors[i], out);
	strbuf_append(out, "!\n");
}

void config_print(const struct config *c, struct strbuf *out)
{
	strbuf_printf(out, "hostname %s\n", c->hostname);
	strbuf_append(out, "!\n");
	print_bgp(&c->bgp, out);
	strbuf_append(out, "end\n");
}
