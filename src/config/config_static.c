/*
 * DOC: the static route section: ip route and ipv6 route, one entry per prefix, interface and
 * next hop (IOS keeps several routes to one prefix), sorted by prefix, then interface, then
 * next hop.
 */
#include "config/config_internal.h"

#include <string.h>

static const char static_msg_no_route[] = "%No matching route to delete";

static int static_route_compare(const struct config_static_route *a,
                                const struct config_static_route *b)
{
	int cmp = prefix_compare(&a->prefix, &b->prefix);
	if (cmp)
		return cmp;
	cmp = strcmp(a->interface, b->interface);
	if (cmp)
		return cmp;
	return ip_addr_compare(&a->next_hop, &b->next_hop);
}

static bool is_link_local(const struct ip_addr *a)
{
	return !ip_addr_is_v4(a) && a->bytes[0] == 0xfe && (a->bytes[1] & 0xc0) == 0x80;
}

/* The route a command names (key and distance); false with r filled if it is refused. */
static bool static_route_read(const struct cli_parse *p, struct config_apply_result *r,
                              struct config_static_route *route)
{
	memset(route, 0, sizeof(*route));
	bool v6 = p->cmd == CLI_CMD_IPV6_ROUTE;
	if (v6) {
		const struct cli_value *prefix = cli_arg(p, "IPV6-PREFIX");
		route->prefix = prefix_make(&prefix->addr, prefix->prefix_len);
	} else {
		const struct cli_value *network = cli_arg(p, "NETWORK");
		const struct cli_value *mask = cli_arg(p, "MASK");
		uint8_t len;
		if (!config_mask_length(ip_addr_v4(&mask->addr), &len))
			return config_fail(r, p, mask, "%s", config_msg_inconsistent_mask);
		if (prefix_has_host_bits(&network->addr, len))
			return config_fail(r, p, network, "%s", config_msg_inconsistent_mask);
		route->prefix = prefix_make(&network->addr, len);
	}
	const struct cli_value *ifname = cli_arg(p, "IFNAME");
	const struct cli_value *next_hop = cli_arg(p, v6 ? "IPV6-NEXTHOP" : "NEXTHOP");
	const struct cli_value *distance = cli_arg(p, "DISTANCE");
	if (ifname) {
		struct ifname n;
		if (!config_interface_name(ifname, &n))
			return config_fail(r, p, ifname, "%s", config_msg_invalid_input);
		config_text_copy(route->interface, sizeof(route->interface), n.ios_name);
		config_text_copy(route->linux_name, sizeof(route->linux_name), n.linux_name);
	}
	if (next_hop) {
		if (!config_next_hop_valid(&next_hop->addr))
			return config_fail(r, p, next_hop, "%% Invalid next hop address");
		if (is_link_local(&next_hop->addr) && !ifname)
			return config_fail(r, p, next_hop,
			                  "%% Interface has to be specified for a link-local nexthop");
		route->next_hop = next_hop->addr;
	}
	route->distance = distance ? (uint8_t)distance->number : 1;
	return true;
}

static bool apply_static_route(struct config *c, const struct cli_parse *p, struct config_apply_state *s)
{
	struct config_apply_result *r = s->r;
	struct config_static_route route;
	if (!static_route_read(p, r, &route))
		return false;
	size_t i = 0;
	while (i < c->static_route_count && static_route_compare(&c->static_routes[i], &route) < 0)
		i++;
	bool found = i < c->static_route_count && static_route_compare(&c->static_routes[i], &route) == 0;
	if (p->negated) {
		bool all = !route.interface[0] && !ip_addr_is_set(&route.next_hop);
		if (all) {
			/* no ip route P M: every route to that prefix */
			size_t first = 0, removed = 0;
			while (first < c->static_route_count &&
			       prefix_compare(&c->static_routes[first].prefix, &route.prefix) < 0)
				first++;
			while (first < c->static_route_count &&
			       prefix_equal(&c->static_routes[first].prefix, &route.prefix)) {
				c->static_routes = config_array_remove(c->static_routes, &c->static_route_count,
				                                sizeof(c->static_routes[0]), first);
				removed++;
			}
			return removed ? true : config_fail(r, p, NULL, "%s", static_msg_no_route);
		}
		if (!found)
			return config_fail(r, p, NULL, "%s", static_msg_no_route);
		c->static_routes = config_array_remove(c->static_routes, &c->static_route_count,
		                                sizeof(c->static_routes[0]), i);
		return true;
	}
	if (!found) {
		if (c->static_route_count >= CONFIG_PREFIX_MAX)
			return config_fail(r, p, NULL, "%% Too many static routes (at most %u)",
			                  CONFIG_PREFIX_MAX);
		struct config_static_route *grown = config_array_insert(c->static_routes, c->static_route_count,
		                                                 sizeof(*grown), i);
		if (!grown)
			return config_fail(r, p, NULL, "%% Out of memory");
		c->static_routes = grown;
		c->static_route_count++;
	}
	c->static_routes[i] = route; /* the same route again: the new distance, as IOS */
	return true;
}

static bool static_route_equal(const struct config_static_route *a,
                               const struct config_static_route *b)
{
	return prefix_equal(&a->prefix, &b->prefix) && ip_addr_equal(&a->next_hop, &b->next_hop) &&
	       strcmp(a->interface, b->interface) == 0 &&
	       strcmp(a->linux_name, b->linux_name) == 0 && a->distance == b->distance;
}

static void print_static_route(const struct config_static_route *r, struct strbuf *out)
{
	char addr[IP_ADDR_STRLEN];
	if (r->prefix.family == AF_INET6) {
		strbuf_printf(out, "ipv6 route %s/%u", prefix_format_address(&r->prefix, addr), r->prefix.len);
	} else {
		strbuf_append(out, "ip route ");
		config_print_prefix_mask(&r->prefix, out);
	}
	if (r->interface[0])
		strbuf_printf(out, " %s", r->interface);
	if (ip_addr_is_set(&r->next_hop))
		strbuf_printf(out, " %s", ip_addr_format(&r->next_hop, addr));
	if (r->distance != 1)
		strbuf_printf(out, " %u", r->distance);
	strbuf_append(out, "\n");
}

/* The routes of one family, in their order (the array holds IPv4 first, then IPv6). */
static bool routes_equal(const struct config *a, const struct config *b, uint8_t family)
{
	size_t i = 0, j = 0;
	for (;;) {
		while (i < a->static_route_count && a->static_routes[i].prefix.family != family)
			i++;
		while (j < b->static_route_count && b->static_routes[j].prefix.family != family)
			j++;
		if (i == a->static_route_count || j == b->static_route_count)
			return i == a->static_route_count && j == b->static_route_count;
		if (!static_route_equal(&a->static_routes[i++], &b->static_routes[j++]))
			return false;
	}
}

static void routes_print(const struct config *c, uint8_t family, struct strbuf *out)
{
	for (size_t i = 0; i < c->static_route_count; i++)
		if (c->static_routes[i].prefix.family == family)
			print_static_route(&c->static_routes[i], out);
}

static bool ip_route_equal(const struct config *a, const struct config *b)
{
	return routes_equal(a, b, AF_INET);
}

static void ip_route_print(const struct config *c, struct strbuf *out)
{
	routes_print(c, AF_INET, out);
}

static bool ipv6_route_equal(const struct config *a, const struct config *b)
{
	return routes_equal(a, b, AF_INET6);
}

static void ipv6_route_print(const struct config *c, struct strbuf *out)
{
	routes_print(c, AF_INET6, out);
}

/* The core takes the new set of routes in place (core_static_configure: the difference). */
static const struct config_command static_commands[] = {
	CONFIG_SETTING(CLI_CMD_IP_ROUTE, "ip route", apply_static_route, ip_route_print, ip_route_equal,
	               CONFIG_EFFECT_IN_PLACE),
	CONFIG_SETTING(CLI_CMD_IPV6_ROUTE, "ipv6 route", apply_static_route, ipv6_route_print,
	               ipv6_route_equal, CONFIG_EFFECT_IN_PLACE),
};
#define STATIC_COMMAND_COUNT (sizeof(static_commands) / sizeof(static_commands[0]))

static void statics_print(const struct config *c, struct strbuf *out)
{
	config_rows_print(static_commands, STATIC_COMMAND_COUNT, c, out);
	if (c->static_route_count)
		strbuf_append(out, "!\n");
}

const struct config_section_ops config_static_section = {
	.section = CONFIG_SECTION_STATIC,
	.name = "static",
	.commands = static_commands,
	.command_count = STATIC_COMMAND_COUNT,
	.print = statics_print,
};
