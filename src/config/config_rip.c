/*
 * DOC: the router rip section (RFC 2453): version, classful networks, neighbours, passive
 * interfaces, timers, default metric, distance and redistribution. Lists are small sorted
 * arrays. The interface settings (ip rip ..., ip split-horizon) belong to the interface
 * section. Each command is a descriptor in rip_commands[].
 */
#include "config/config_internal.h"

#include <stdio.h>
#include <string.h>

void config_rip_reset(struct config_rip *rip)
{
	memset(rip, 0, sizeof(*rip));
	rip->update = CONFIG_RIP_DEFAULT_UPDATE;
	rip->invalid = CONFIG_RIP_DEFAULT_INVALID;
	rip->holddown = CONFIG_RIP_DEFAULT_HOLDDOWN;
	rip->flush = CONFIG_RIP_DEFAULT_FLUSH;
	rip->distance = CONFIG_RIP_DEFAULT_DISTANCE;
}

static bool apply_rip_network(struct config *c, const struct cli_parse *p, struct config_apply_state *s)
{
	struct config_rip *rip = &c->rip;
	struct config_apply_result *r = s->r;
	/* IOS: `network 10.1.2.0` under router rip means the classful network 10.0.0.0/8 */
	const struct cli_value *network = cli_arg(p, "NETWORK");
	int len = config_classful_length(ip_addr_v4(&network->addr));
	if (len <= 0)
		return config_fail(r, p, network, "%% Invalid network %s", network->text);
	struct prefix prefix = prefix_make(&network->addr, (uint8_t)len);
	size_t i = 0;
	while (i < rip->network_count && prefix_compare(&rip->networks[i], &prefix) < 0)
		i++;
	bool found = i < rip->network_count && prefix_equal(&rip->networks[i], &prefix);
	if (p->negated) {
		if (found) {
			memmove(&rip->networks[i], &rip->networks[i + 1],
			        (rip->network_count - i - 1) * sizeof(rip->networks[0]));
			rip->network_count--;
		}
		return true;
	}
	if (found)
		return true;
	if (rip->network_count >= CONFIG_RIP_NETWORK_MAX)
		return config_fail(r, p, NULL, "%% Too many networks (at most %u)", CONFIG_RIP_NETWORK_MAX);
	memmove(&rip->networks[i + 1], &rip->networks[i],
	        (rip->network_count - i) * sizeof(rip->networks[0]));
	rip->networks[i] = prefix;
	rip->network_count++;
	return true;
}

static bool apply_rip_neighbor(struct config *c, const struct cli_parse *p, struct config_apply_state *s)
{
	struct config_rip *rip = &c->rip;
	struct config_apply_result *r = s->r;
	const struct cli_value *addr = cli_arg(p, "RIP-NEIGHBOR");
	uint32_t a = ip_addr_v4(&addr->addr);
	if (!config_next_hop_valid(&addr->addr))
		return config_fail(r, p, addr, "%% Invalid neighbor address");
	size_t i = 0;
	while (i < rip->neighbor_count && rip->neighbors[i] < a)
		i++;
	bool found = i < rip->neighbor_count && rip->neighbors[i] == a;
	if (p->negated) {
		if (found) {
			memmove(&rip->neighbors[i], &rip->neighbors[i + 1],
			        (rip->neighbor_count - i - 1) * sizeof(rip->neighbors[0]));
			rip->neighbor_count--;
		}
		return true;
	}
	if (found)
		return true;
	if (rip->neighbor_count >= CONFIG_RIP_NEIGHBOR_MAX)
		return config_fail(r, p, NULL, "%% Too many neighbors (at most %u)", CONFIG_RIP_NEIGHBOR_MAX);
	memmove(&rip->neighbors[i + 1], &rip->neighbors[i],
	        (rip->neighbor_count - i) * sizeof(rip->neighbors[0]));
	rip->neighbors[i] = a;
	rip->neighbor_count++;
	return true;
}

/* passive-interface: the list holds the exceptions to passive_default. */
static bool apply_rip_passive(struct config *c, const struct cli_parse *p, struct config_apply_state *s)
{
	struct config_rip *rip = &c->rip;
	struct config_apply_result *r = s->r;
	if (cli_has(p, "default")) {
		rip->passive_default = !p->negated;
		rip->passive_count = 0;
		return true;
	}
	const struct cli_value *name = cli_arg(p, "IFNAME");
	struct ifname n;
	if (!config_interface_name(name, &n))
		return config_fail(r, p, name, "%s", config_msg_invalid_input);
	size_t i = 0;
	while (i < rip->passive_count && strcmp(rip->passive[i].name, n.ios_name) < 0)
		i++;
	bool found = i < rip->passive_count && strcmp(rip->passive[i].name, n.ios_name) == 0;
	/* listed = passive when the default is active, active when the default is passive */
	bool want_listed = p->negated == rip->passive_default;
	if (!want_listed) {
		if (found) {
			memmove(&rip->passive[i], &rip->passive[i + 1],
			        (rip->passive_count - i - 1) * sizeof(rip->passive[0]));
			rip->passive_count--;
		}
		return true;
	}
	if (found)
		return true;
	if (rip->passive_count >= CONFIG_RIP_PASSIVE_MAX)
		return config_fail(r, p, NULL, "%% Too many interfaces (at most %u)", CONFIG_RIP_PASSIVE_MAX);
	memmove(&rip->passive[i + 1], &rip->passive[i], (rip->passive_count - i) * sizeof(rip->passive[0]));
	memset(&rip->passive[i], 0, sizeof(rip->passive[i]));
	config_text_copy(rip->passive[i].name, sizeof(rip->passive[i].name), n.ios_name);
	config_text_copy(rip->passive[i].linux_name, sizeof(rip->passive[i].linux_name), n.linux_name);
	rip->passive_count++;
	return true;
}

static bool apply_rip_timers(struct config *c, const struct cli_parse *p, struct config_apply_state *s)
{
	struct config_rip *rip = &c->rip;
	struct config_apply_result *r = s->r;
	if (p->negated) {
		rip->has_timers = false;
		rip->update = CONFIG_RIP_DEFAULT_UPDATE;
		rip->invalid = CONFIG_RIP_DEFAULT_INVALID;
		rip->holddown = CONFIG_RIP_DEFAULT_HOLDDOWN;
		rip->flush = CONFIG_RIP_DEFAULT_FLUSH;
		return true;
	}
	const struct cli_value *update = cli_arg(p, "UPDATE"), *invalid = cli_arg(p, "INVALID");
	const struct cli_value *holddown = cli_arg(p, "HOLDDOWN"), *flush = cli_arg(p, "FLUSH");
	/* RFC 2453 §3.8: a route must outlive several missed updates, and be flushed after it
	 * timed out */
	if (invalid->number < update->number)
		return config_fail(r, p, invalid, "%% Invalid timer must not be less than the update timer");
	if (flush->number <= invalid->number)
		return config_fail(r, p, flush, "%% Flush timer must be greater than the invalid timer");
	rip->has_timers = true;
	rip->update = update->number;
	rip->invalid = invalid->number;
	rip->holddown = holddown->number;
	rip->flush = flush->number;
	return true;
}

static bool apply_rip_redistribute(struct config *c, const struct cli_parse *p, struct config_apply_state *s)
{
	struct config_rip *rip = &c->rip;
	struct config_redistribute *which = cli_has(p, "connected") ? &rip->redistribute_connected
	                                  : cli_has(p, "static")    ? &rip->redistribute_static
	                                                            : &rip->redistribute_bgp;
	const struct cli_value *metric = cli_arg(p, "RIP-METRIC");
	const struct cli_value *asn = cli_arg(p, "ASN");
	*which = (struct config_redistribute){ 0 };
	if (which == &rip->redistribute_bgp)
		rip->redistribute_bgp_asn = 0;
	if (p->negated)
		return true;
	which->enabled = true;
	which->has_metric = metric != NULL;
	which->metric = metric ? metric->number : 0;
	if (which == &rip->redistribute_bgp && asn)
		rip->redistribute_bgp_asn = asn->number;
	return true;
}

static bool apply_router_rip(struct config *c, const struct cli_parse *p, struct config_apply_state *s)
{
	if (p->negated)
		config_rip_reset(&c->rip);
	else
		c->rip.enabled = true;
	return true;
}

static bool apply_rip_version(struct config *c, const struct cli_parse *p, struct config_apply_state *s)
{
	c->rip.version = p->negated ? 0 : cli_has(p, "1") ? 1 : 2;
	return true;
}

/* IOS's default for RIP was auto-summary on; Tern's is off (subnets advertised as they are),
 * so a configuration without the line keeps behaving as before. */
static bool apply_rip_auto_summary(struct config *c, const struct cli_parse *p, struct config_apply_state *s)
{
	c->rip.auto_summary = !p->negated;
	return true;
}

static bool apply_rip_default_metric(struct config *c, const struct cli_parse *p, struct config_apply_state *s)
{
	const struct cli_value *v = cli_arg(p, "RIP-METRIC");
	c->rip.default_metric = !p->negated && v ? (uint8_t)v->number : 0;
	return true;
}

static bool apply_rip_distance(struct config *c, const struct cli_parse *p, struct config_apply_state *s)
{
	const struct cli_value *v = cli_arg(p, "DISTANCE");
	c->rip.distance = !p->negated && v ? (uint8_t)v->number : CONFIG_RIP_DEFAULT_DISTANCE;
	return true;
}

static bool rip_running(const struct config *c)
{
	return c->rip.enabled;
}

/* ---- print and compare, setting by setting (in the order IOS prints them) ---- */

static bool router_rip_equal(const struct config *a, const struct config *b)
{
	return a->rip.enabled == b->rip.enabled;
}

static void version_print(const struct config *c, struct strbuf *out)
{
	if (c->rip.version)
		strbuf_printf(out, " version %u\n", c->rip.version);
}

static bool version_equal(const struct config *a, const struct config *b)
{
	return a->rip.version == b->rip.version;
}

static void timers_print(const struct config *c, struct strbuf *out)
{
	const struct config_rip *rip = &c->rip;
	if (rip->has_timers)
		strbuf_printf(out, " timers basic %u %u %u %u\n", rip->update, rip->invalid, rip->holddown,
		              rip->flush);
}

static bool timers_equal(const struct config *ca, const struct config *cb)
{
	const struct config_rip *a = &ca->rip, *b = &cb->rip;
	return a->has_timers == b->has_timers && a->update == b->update && a->invalid == b->invalid &&
	       a->holddown == b->holddown && a->flush == b->flush;
}

static void redistribute_print(const struct config *c, struct strbuf *out)
{
	const struct config_rip *rip = &c->rip;
	config_print_redistribute("connected", &rip->redistribute_connected, out);
	config_print_redistribute("static", &rip->redistribute_static, out);
	if (rip->redistribute_bgp.enabled && rip->redistribute_bgp_asn) {
		char what[32];
		snprintf(what, sizeof(what), "bgp %u", rip->redistribute_bgp_asn);
		config_print_redistribute(what, &rip->redistribute_bgp, out);
	} else {
		config_print_redistribute("bgp", &rip->redistribute_bgp, out);
	}
}

static bool redistribute_equal(const struct config *ca, const struct config *cb)
{
	const struct config_rip *a = &ca->rip, *b = &cb->rip;
	return a->redistribute_bgp_asn == b->redistribute_bgp_asn &&
	       config_redistribute_equal(&a->redistribute_connected, &b->redistribute_connected) &&
	       config_redistribute_equal(&a->redistribute_static, &b->redistribute_static) &&
	       config_redistribute_equal(&a->redistribute_bgp, &b->redistribute_bgp);
}

static void passive_print(const struct config *c, struct strbuf *out)
{
	const struct config_rip *rip = &c->rip;
	if (rip->passive_default)
		strbuf_append(out, " passive-interface default\n");
	for (size_t i = 0; i < rip->passive_count; i++)
		strbuf_printf(out, " %spassive-interface %s\n", rip->passive_default ? "no " : "",
		              rip->passive[i].name);
}

static bool passive_equal(const struct config *ca, const struct config *cb)
{
	const struct config_rip *a = &ca->rip, *b = &cb->rip;
	if (a->passive_default != b->passive_default || a->passive_count != b->passive_count)
		return false;
	for (size_t i = 0; i < a->passive_count; i++)
		if (strcmp(a->passive[i].name, b->passive[i].name) != 0)
			return false;
	return true;
}

static void network_print(const struct config *c, struct strbuf *out)
{
	char addr[IP_ADDR_STRLEN];
	for (size_t i = 0; i < c->rip.network_count; i++)
		strbuf_printf(out, " network %s\n", prefix_format_address(&c->rip.networks[i], addr));
}

static bool network_equal(const struct config *ca, const struct config *cb)
{
	const struct config_rip *a = &ca->rip, *b = &cb->rip;
	return config_prefixes_equal(a->networks, a->network_count, b->networks, b->network_count);
}

static void neighbor_print(const struct config *c, struct strbuf *out)
{
	char addr[IP_ADDR_STRLEN];
	for (size_t i = 0; i < c->rip.neighbor_count; i++)
		strbuf_printf(out, " neighbor %s\n", ipv4_format(c->rip.neighbors[i], addr));
}

static bool neighbor_equal(const struct config *ca, const struct config *cb)
{
	const struct config_rip *a = &ca->rip, *b = &cb->rip;
	return a->neighbor_count == b->neighbor_count &&
	       memcmp(a->neighbors, b->neighbors, a->neighbor_count * sizeof(a->neighbors[0])) == 0;
}

static void default_metric_print(const struct config *c, struct strbuf *out)
{
	if (c->rip.default_metric)
		strbuf_printf(out, " default-metric %u\n", c->rip.default_metric);
}

static bool default_metric_equal(const struct config *a, const struct config *b)
{
	return a->rip.default_metric == b->rip.default_metric;
}

static void distance_print(const struct config *c, struct strbuf *out)
{
	if (c->rip.distance != CONFIG_RIP_DEFAULT_DISTANCE)
		strbuf_printf(out, " distance %u\n", c->rip.distance);
}

static bool distance_equal(const struct config *a, const struct config *b)
{
	return a->rip.distance == b->rip.distance;
}

static void auto_summary_print(const struct config *c, struct strbuf *out)
{
	strbuf_append(out, c->rip.auto_summary ? " auto-summary\n" : " no auto-summary\n");
}

static bool auto_summary_equal(const struct config *a, const struct config *b)
{
	return a->rip.auto_summary == b->rip.auto_summary;
}

#define SETTING(cmd, text, name, apply, effect) \
	CONFIG_SETTING(cmd, text, apply, name##_print, name##_equal, CONFIG_EFFECT_##effect)

/* router rip, in the order IOS prints it. RIP applies every setting in place (rip_configure:
 * timers re-arm, a new distance reinstalls the routes, auto-summary triggers an update, an
 * interface that no longer runs RIP loses its routes); only `router rip` and `no router rip`
 * start and stop the process. */
static const struct config_command rip_commands[] = {
	CONFIG_BLOCK(CLI_CMD_ROUTER_RIP, "router rip", apply_router_rip, router_rip_equal,
	             CONFIG_EFFECT_RESTART),
	SETTING(CLI_CMD_RIP_VERSION, "version", version, apply_rip_version, IN_PLACE),
	SETTING(CLI_CMD_RIP_TIMERS, "timers basic", timers, apply_rip_timers, IN_PLACE),
	SETTING(CLI_CMD_RIP_REDISTRIBUTE, "redistribute", redistribute, apply_rip_redistribute, IN_PLACE),
	SETTING(CLI_CMD_RIP_PASSIVE_INTERFACE, "passive-interface", passive, apply_rip_passive, IN_PLACE),
	SETTING(CLI_CMD_RIP_NETWORK, "network", network, apply_rip_network, IN_PLACE),
	SETTING(CLI_CMD_RIP_NEIGHBOR, "neighbor", neighbor, apply_rip_neighbor, IN_PLACE),
	SETTING(CLI_CMD_RIP_DEFAULT_METRIC, "default-metric", default_metric, apply_rip_default_metric, IN_PLACE),
	SETTING(CLI_CMD_RIP_DISTANCE, "distance", distance, apply_rip_distance, IN_PLACE),
	SETTING(CLI_CMD_RIP_AUTO_SUMMARY, "auto-summary", auto_summary, apply_rip_auto_summary, IN_PLACE),
};
#define RIP_COMMAND_COUNT (sizeof(rip_commands) / sizeof(rip_commands[0]))

static void print_rip(const struct config *c, struct strbuf *out)
{
	if (!c->rip.enabled)
		return;
	strbuf_append(out, "router rip\n");
	config_rows_print(rip_commands, RIP_COMMAND_COUNT, c, out);
	strbuf_append(out, "!\n");
}

const struct config_section_ops config_rip_section = {
	.section = CONFIG_SECTION_RIP,
	.name = "rip",
	.running = rip_running,
	.not_running = "% RIP is not running",
	.commands = rip_commands,
	.command_count = RIP_COMMAND_COUNT,
	.print = print_rip,
};
