/*
 * DOC: the canonical IOS text of a configuration (`show running-config`).
 *
 * One line per setting, in the order IOS prints them: hostname; each interface (loopbacks
 * first, as IOS lists them) with its description, secondary addresses before the primary
 * (`no ip address` when it has none), IPv6 addresses, its RIP settings and `shutdown`; the
 * router rip block (version, timers, redistribution, passive interfaces, networks, neighbours,
 * default-metric, distance, `no auto-summary`); the router bgp block
 * with its global settings, networks, aggregates, redistribution, then each neighbour (sorted
 * by address) with `remote-as` first, since IOS wants it before anything else about that
 * neighbour; then the static routes (`ip route`, then `ipv6 route`); then the policy
 * (`ip community-list`, `ip prefix-list`, `route-map` blocks, policy.h). Blocks are closed by `!`
 * and the whole by `end`. Every line printed here is a command of the table (commands.c),
 * and reading the text back with config_load_text() gives an equal config: the tests check
 * it per command.
 */
#include "config/config.h"

#include <stdio.h>
#include <string.h>

static const char *mask_text(uint8_t len, char *buf)
{
	uint32_t mask = len == 0 ? 0 : len >= 32 ? UINT32_MAX : ~(UINT32_MAX >> len);
	return ipv4_format(mask, buf);
}

static const char *prefix_address(const struct config_prefix *p, char *buf)
{
	struct ip_addr a = { .family = p->family };
	memcpy(a.bytes, p->addr, p->family == AF_INET6 ? 16 : 4);
	return ip_addr_format(&a, buf);
}

/* "10.0.0.0 255.0.0.0" */
static void print_prefix_mask(const struct config_prefix *p, struct strbuf *out)
{
	char addr[IP_ADDR_STRLEN], mask[16];
	strbuf_printf(out, "%s %s", prefix_address(p, addr), mask_text(p->len, mask));
}

static void print_interface(const struct config_interface *ifc, struct strbuf *out)
{
	char addr[IP_ADDR_STRLEN], mask[16];
	strbuf_printf(out, "interface %s\n", ifc->name);
	if (ifc->description[0])
		strbuf_printf(out, " description %s\n", ifc->description);
	bool v4 = false;
	/* IOS prints the secondary addresses first, then the primary. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < ifc->address_count; i++) {
			const struct config_interface_address *a = &ifc->addresses[i];
			if (!ip_addr_is_v4(&a->addr) || a->secondary != (pass == 0))
				continue;
			v4 = true;
			strbuf_printf(out, " ip address %s %s%s\n", ip_addr_format(&a->addr, addr),
			              mask_text(a->len, mask), a->secondary ? " secondary" : "");
		}
	}
	if (!v4)
		strbuf_append(out, " no ip address\n");
	for (size_t i = 0; i < ifc->address_count; i++) {
		const struct config_interface_address *a = &ifc->addresses[i];
		if (!ip_addr_is_v4(&a->addr))
			strbuf_printf(out, " ipv6 address %s/%u\n", ip_addr_format(&a->addr, addr), a->len);
	}
	if (ifc->rip_auth_mode == CONFIG_RIP_AUTH_TEXT)
		strbuf_append(out, " ip rip authentication mode text\n");
	else if (ifc->rip_auth_mode == CONFIG_RIP_AUTH_MD5)
		strbuf_append(out, " ip rip authentication mode md5\n");
	if (ifc->rip_auth_key[0])
		strbuf_printf(out, " ip rip authentication key %s\n", ifc->rip_auth_key);
	if (ifc->rip_no_split_horizon)
		strbuf_append(out, " no ip split-horizon\n");
	const struct config_interface_ospf *o = &ifc->ospf;
	if (o->authentication)
		strbuf_printf(out, " ip ospf authentication%s\n",
		              o->authentication == 2 ? " message-digest" : o->authentication == 3 ? " null" : "");
	if (o->authentication_key[0])
		strbuf_printf(out, " ip ospf authentication-key %s\n", o->authentication_key);
	if (o->md5_key_id)
		strbuf_printf(out, " ip ospf message-digest-key %u md5 %s\n", o->md5_key_id, o->md5_key);
	if (o->network == CONFIG_OSPF_NET_P2P)
		strbuf_append(out, " ip ospf network point-to-point\n");
	else if (o->network == CONFIG_OSPF_NET_BROADCAST)
		strbuf_append(out, " ip ospf network broadcast\n");
	if (o->hello_interval)
		strbuf_printf(out, " ip ospf hello-interval %u\n", o->hello_interval);
	if (o->dead_interval)
		strbuf_printf(out, " ip ospf dead-interval %u\n", o->dead_interval);
	if (o->has_priority)
		strbuf_printf(out, " ip ospf priority %u\n", o->priority);
	if (o->cost)
		strbuf_printf(out, " ip ospf cost %u\n", o->cost);
	if (ifc->shutdown)
		strbuf_append(out, " shutdown\n");
	strbuf_append(out, "!\n");
}

static void print_area(uint32_t area, bool dotted, struct strbuf *out)
{
	char buf[16];
	if (dotted)
		strbuf_append(out, ipv4_format(area, buf));
	else
		strbuf_printf(out, "%u", area);
}

static void print_ospf_redistribute(const char *what, const struct config_ospf_redistribute *r,
                                    struct strbuf *out)
{
	if (!r->enabled)
		return;
	strbuf_printf(out, " redistribute %s", what);
	if (r->asn)
		strbuf_printf(out, " %u", r->asn);
	if (r->has_metric)
		strbuf_printf(out, " metric %u", r->metric);
	if (r->metric_type)
		strbuf_printf(out, " metric-type %u", r->metric_type);
	if (r->subnets)
		strbuf_append(out, " subnets");
	strbuf_append(out, "\n");
}

static void print_ospf(const struct config_ospf *o, struct strbuf *out)
{
	if (!o->enabled)
		return;
	char a[16], b[16];
	strbuf_printf(out, "router ospf %u\n", o->process);
	if (o->has_router_id)
		strbuf_printf(out, " router-id %s\n", ipv4_format(o->router_id, a));
	if (o->reference_bandwidth)
		strbuf_printf(out, " auto-cost reference-bandwidth %u\n", o->reference_bandwidth);
	for (size_t i = 0; i < o->area_count; i++) {
		strbuf_append(out, " area ");
		print_area(o->areas[i].area, o->areas[i].area_dotted, out);
		strbuf_printf(out, " authentication%s\n", o->areas[i].auth == 2 ? " message-digest" : "");
	}
	print_ospf_redistribute("connected", &o->redistribute_connected, out);
	print_ospf_redistribute("static", &o->redistribute_static, out);
	print_ospf_redistribute("bgp", &o->redistribute_bgp, out);
	if (o->passive_default)
		strbuf_append(out, " passive-interface default\n");
	for (size_t i = 0; i < o->passive_count; i++)
		strbuf_printf(out, " %spassive-interface %s\n", o->passive_default ? "no " : "", o->passive[i]);
	for (size_t i = 0; i < o->network_count; i++) {
		const struct config_ospf_network *n = &o->networks[i];
		strbuf_printf(out, " network %s %s area ", ipv4_format(n->addr, a), ipv4_format(n->wildcard, b));
		print_area(n->area, n->area_dotted, out);
		strbuf_append(out, "\n");
	}
	if (o->default_information_originate)
		strbuf_append(out, " default-information originate\n");
	strbuf_append(out, "!\n");
}

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
	if (n->disable_connected_check)
		strbuf_printf(out, " neighbor %s disable-connected-check\n", addr);
	if (n->ttl_security_hops)
		strbuf_printf(out, " neighbor %s ttl-security hops %u\n", addr, n->ttl_security_hops);
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
	/* the address-family settings, in IOS order */
	if (n->route_reflector_client)
		strbuf_printf(out, " neighbor %s route-reflector-client\n", addr);
	if (n->next_hop_self)
		strbuf_printf(out, " neighbor %s next-hop-self\n", addr);
	if (n->soft_reconfiguration_inbound)
		strbuf_printf(out, " neighbor %s soft-reconfiguration inbound\n", addr);
	if (n->allowas_in == CONFIG_DEFAULT_ALLOWAS_IN)
		strbuf_printf(out, " neighbor %s allowas-in\n", addr);
	else if (n->allowas_in)
		strbuf_printf(out, " neighbor %s allowas-in %u\n", addr, n->allowas_in);
	if (n->enforce_first_as != CONFIG_FIRST_AS_DEFAULT)
		strbuf_printf(out, " %sneighbor %s enforce-first-as\n",
		              n->enforce_first_as == CONFIG_FIRST_AS_IGNORE ? "no " : "", addr);
	if (n->maximum_prefix) {
		strbuf_printf(out, " neighbor %s maximum-prefix %u", addr, n->maximum_prefix);
		if (n->maximum_prefix_threshold != CONFIG_DEFAULT_MAXPFX_THRESHOLD)
			strbuf_printf(out, " %u", n->maximum_prefix_threshold);
		if (n->maximum_prefix_warning_only)
			strbuf_append(out, " warning-only");
		else if (n->maximum_prefix_restart)
			strbuf_printf(out, " restart %u", n->maximum_prefix_restart);
		strbuf_append(out, "\n");
	}
	if (n->prefix_list_in[0])
		strbuf_printf(out, " neighbor %s prefix-list %s in\n", addr, n->prefix_list_in);
	if (n->prefix_list_out[0])
		strbuf_printf(out, " neighbor %s prefix-list %s out\n", addr, n->prefix_list_out);
	if (n->route_map_in[0])
		strbuf_printf(out, " neighbor %s route-map %s in\n", addr, n->route_map_in);
	if (n->route_map_out[0])
		strbuf_printf(out, " neighbor %s route-map %s out\n", addr, n->route_map_out);
}

/* network A.B.C.D, with `mask` only when the mask is not the classful one (IOS). */
static void print_network(const struct config_prefix *p, struct strbuf *out)
{
	char addr[IP_ADDR_STRLEN];
	uint32_t a = ((uint32_t)p->addr[0] << 24) | ((uint32_t)p->addr[1] << 16) |
	             ((uint32_t)p->addr[2] << 8) | p->addr[3];
	int classful = a == 0 ? 0 : a < 0x80000000u ? 8 : a < 0xc0000000u ? 16 : a < 0xe0000000u ? 24 : -1;
	if (classful == p->len) {
		strbuf_printf(out, " network %s\n", prefix_address(p, addr));
		return;
	}
	char mask[16];
	strbuf_printf(out, " network %s mask %s\n", prefix_address(p, addr), mask_text(p->len, mask));
}

static void print_redistribute(const char *what, const struct config_redistribute *r,
                               struct strbuf *out)
{
	if (!r->enabled)
		return;
	if (r->has_metric)
		strbuf_printf(out, " redistribute %s metric %u\n", what, r->metric);
	else
		strbuf_printf(out, " redistribute %s\n", what);
}

static void print_bgp(const struct config_bgp *bgp, struct strbuf *out)
{
	if (!bgp->enabled)
		return;
	char id[16];
	strbuf_printf(out, "router bgp %u\n", bgp->asn);
	if (bgp->has_router_id)
		strbuf_printf(out, " bgp router-id %s\n", ipv4_format(bgp->router_id, id));
	if (bgp->cluster_id)
		strbuf_printf(out, " bgp cluster-id %s\n", ipv4_format(bgp->cluster_id, id));
	if (bgp->always_compare_med)
		strbuf_append(out, " bgp always-compare-med\n");
	if (bgp->ebgp_requires_policy)
		strbuf_append(out, " bgp ebgp-requires-policy\n");
	if (bgp->no_enforce_first_as)
		strbuf_append(out, " no bgp enforce-first-as\n");
	if (bgp->has_timers)
		strbuf_printf(out, " timers bgp %u %u\n", bgp->keepalive, bgp->hold_time);
	for (size_t i = 0; i < bgp->network_count; i++)
		print_network(&bgp->networks[i], out);
	for (size_t i = 0; i < bgp->aggregate_count; i++) {
		const struct config_bgp_aggregate *a = &bgp->aggregates[i];
		strbuf_append(out, " aggregate-address ");
		print_prefix_mask(&a->prefix, out);
		strbuf_printf(out, "%s%s\n", a->as_set ? " as-set" : "",
		              a->summary_only ? " summary-only" : "");
	}
	print_redistribute("connected", &bgp->redistribute_connected, out);
	print_redistribute("static", &bgp->redistribute_static, out);
	print_redistribute("rip", &bgp->redistribute_rip, out);
	if (bgp->redistribute_ospf.enabled && bgp->redistribute_ospf.has_metric)
		strbuf_printf(out, " redistribute ospf %u metric %u\n", bgp->redistribute_ospf.process,
		              bgp->redistribute_ospf.metric);
	else if (bgp->redistribute_ospf.enabled)
		strbuf_printf(out, " redistribute ospf %u\n", bgp->redistribute_ospf.process);
	for (size_t i = 0; i < bgp->neighbor_count; i++)
		print_neighbor(&bgp->neighbors[i], out);
	strbuf_append(out, "!\n");
}

/* router rip, in the order IOS prints it. */
static void print_rip(const struct config_rip *rip, struct strbuf *out)
{
	if (!rip->enabled)
		return;
	char addr[IP_ADDR_STRLEN];
	strbuf_append(out, "router rip\n");
	if (rip->version)
		strbuf_printf(out, " version %u\n", rip->version);
	if (rip->has_timers)
		strbuf_printf(out, " timers basic %u %u %u %u\n", rip->update, rip->invalid, rip->holddown,
		              rip->flush);
	print_redistribute("connected", &rip->redistribute_connected, out);
	print_redistribute("static", &rip->redistribute_static, out);
	if (rip->redistribute_bgp.enabled && rip->redistribute_bgp_asn) {
		char what[32];
		snprintf(what, sizeof(what), "bgp %u", rip->redistribute_bgp_asn);
		print_redistribute(what, &rip->redistribute_bgp, out);
	} else {
		print_redistribute("bgp", &rip->redistribute_bgp, out);
	}
	if (rip->passive_default)
		strbuf_append(out, " passive-interface default\n");
	for (size_t i = 0; i < rip->passive_count; i++)
		strbuf_printf(out, " %spassive-interface %s\n", rip->passive_default ? "no " : "",
		              rip->passive[i].name);
	for (size_t i = 0; i < rip->network_count; i++)
		strbuf_printf(out, " network %s\n", prefix_address(&rip->networks[i], addr));
	for (size_t i = 0; i < rip->neighbor_count; i++)
		strbuf_printf(out, " neighbor %s\n", ipv4_format(rip->neighbors[i], addr));
	if (rip->default_metric)
		strbuf_printf(out, " default-metric %u\n", rip->default_metric);
	if (rip->distance != CONFIG_RIP_DEFAULT_DISTANCE)
		strbuf_printf(out, " distance %u\n", rip->distance);
	strbuf_append(out, " no auto-summary\n");
	strbuf_append(out, "!\n");
}

static void print_static_route(const struct config_static_route *r, struct strbuf *out)
{
	char addr[IP_ADDR_STRLEN];
	if (r->prefix.family == AF_INET6) {
		strbuf_printf(out, "ipv6 route %s/%u", prefix_address(&r->prefix, addr), r->prefix.len);
	} else {
		strbuf_append(out, "ip route ");
		print_prefix_mask(&r->prefix, out);
	}
	if (r->interface[0])
		strbuf_printf(out, " %s", r->interface);
	if (ip_addr_is_set(&r->next_hop))
		strbuf_printf(out, " %s", ip_addr_format(&r->next_hop, addr));
	if (r->distance != 1)
		strbuf_printf(out, " %u", r->distance);
	strbuf_append(out, "\n");
}

void config_print(const struct config *c, struct strbuf *out)
{
	strbuf_printf(out, "hostname %s\n", c->hostname);
	strbuf_append(out, "!\n");
	for (size_t i = 0; i < c->interface_count; i++)
		print_interface(&c->interfaces[i], out);
	print_rip(&c->rip, out);
	print_ospf(&c->ospf, out);
	print_bgp(&c->bgp, out);
	for (size_t i = 0; i < c->static_route_count; i++)
		print_static_route(&c->static_routes[i], out);
	if (c->static_route_count)
		strbuf_append(out, "!\n");
	policy_print_community_lists(&c->policy, out);
	policy_print_prefix_lists(&c->policy, out);
	policy_print_route_maps(&c->policy, out);
	strbuf_append(out, "end\n");
}
