/*
 * DOC: the router ospf section (RFC 2328): the process, router ID, network statements in the
 * order typed (first match wins, as IOS), passive interfaces, redistribution, area
 * authentication and the reference bandwidth. The interface settings (ip ospf ...) belong to
 * the interface section. Each command is a descriptor in ospf_commands[].
 */
#include "config/config_internal.h"

#include <stdint.h>
#include <string.h>

static bool apply_router_ospf(struct config *c, const struct cli_parse *p, struct config_apply_state *s)
{
	struct config_apply_result *r = s->r;
	const struct cli_value *id = cli_arg(p, "PROCESS-ID");
	struct config_ospf *ospf = &c->ospf;
	if (ospf->enabled && ospf->process != id->number) {
		if (p->negated)
			return config_fail(r, p, id, "%% No OSPF process %u; the process is %u", id->number,
			                  ospf->process);
		return config_fail(r, p, id, "%% Only one OSPF process is supported (process %u is configured)",
		                  ospf->process);
	}
	if (p->negated) {
		memset(ospf, 0, sizeof(*ospf));
		return true;
	}
	ospf->enabled = true;
	ospf->process = (uint16_t)id->number;
	return true;
}

bool config_ospf_match(const struct config_ospf *ospf, uint32_t addr, uint32_t *area)
{
	if (!ospf->enabled)
		return false;
	for (size_t i = 0; i < ospf->network_count; i++) {
		const struct config_ospf_network *n = &ospf->networks[i];
		if ((addr & ~n->wildcard) == (n->addr & ~n->wildcard)) {
			if (area)
				*area = n->area;
			return true;
		}
	}
	return false;
}

bool config_ospf_passive(const struct config_ospf *ospf, const struct config_interface *ifc, const char *name)
{
	bool listed = false;
	for (size_t i = 0; i < ospf->passive_count; i++)
		if ((ifc && (strcmp(ospf->passive[i], ifc->name) == 0 || strcmp(ospf->passive[i], ifc->linux_name) == 0)) ||
		    (name && strcmp(ospf->passive[i], name) == 0))
			listed = true;
	return ospf->passive_default ? !listed : listed;
}

uint16_t config_ospf_hello_interval(const struct config_interface_ospf *o)
{
	return o && o->hello_interval ? o->hello_interval : 10;
}

uint32_t config_ospf_dead_interval(const struct config_interface_ospf *o)
{
	return o && o->dead_interval ? o->dead_interval : 4u * config_ospf_hello_interval(o);
}

uint8_t config_ospf_priority(const struct config_interface_ospf *o)
{
	return o && o->has_priority ? o->priority : 1;
}

static bool area_of(const struct cli_parse *p, uint32_t *area, bool *dotted)
{
	const struct cli_value *number = cli_arg(p, "AREA");
	const struct cli_value *dotted_id = cli_arg(p, "AREA-ID");
	*dotted = dotted_id != NULL;
	*area = number ? number->number : ip_addr_v4(&dotted_id->addr);
	return true;
}

static bool apply_ospf_network(struct config *c, const struct cli_parse *p, struct config_apply_state *s)
{
	struct config_ospf *ospf = &c->ospf;
	struct config_apply_result *r = s->r;
	struct config_ospf_network n = { 0 };
	n.wildcard = ip_addr_v4(&cli_arg(p, "WILDCARD")->addr);
	n.addr = ip_addr_v4(&cli_arg(p, "NETWORK")->addr) & ~n.wildcard;
	area_of(p, &n.area, &n.area_dotted);
	size_t at = SIZE_MAX;
	for (size_t i = 0; i < ospf->network_count; i++)
		if (ospf->networks[i].addr == n.addr && ospf->networks[i].wildcard == n.wildcard)
			at = i;
	if (p->negated) {
		if (at == SIZE_MAX || ospf->networks[at].area != n.area)
			return config_fail(r, p, NULL, "%% OSPF: Unknown network area entry");
		memmove(&ospf->networks[at], &ospf->networks[at + 1],
		        (ospf->network_count - at - 1) * sizeof(ospf->networks[0]));
		ospf->network_count--;
		return true;
	}
	if (at != SIZE_MAX) {
		if (ospf->networks[at].area != n.area)
			return config_fail(r, p, NULL, "%% OSPF: \"network %s %s area %u\" is already configured in "
			                  "another area", cli_arg(p, "NETWORK")->text, cli_arg(p, "WILDCARD")->text,
			                  ospf->networks[at].area);
		ospf->networks[at] = n;
		return true;
	}
	if (ospf->network_count >= CONFIG_OSPF_NETWORK_MAX)
		return config_fail(r, p, NULL, "%% Too many OSPF networks (at most %u)", CONFIG_OSPF_NETWORK_MAX);
	ospf->networks[ospf->network_count++] = n;
	return true;
}

static bool apply_ospf_passive(struct config *c, const struct cli_parse *p, struct config_apply_state *s)
{
	struct config_ospf *ospf = &c->ospf;
	struct config_apply_result *r = s->r;
	if (cli_has(p, "default")) {
		ospf->passive_default = !p->negated;
		ospf->passive_count = 0;
		return true;
	}
	struct ifname n;
	const struct cli_value *v = cli_arg(p, "IFNAME");
	if (!config_interface_name(v, &n))
		return config_fail(r, p, v, "%s", config_msg_invalid_input);
	/* listed: passive (or, under passive-interface default, the exceptions) */
	bool list = ospf->passive_default ? p->negated : !p->negated;
	size_t at = SIZE_MAX;
	for (size_t i = 0; i < ospf->passive_count; i++)
		if (strcmp(ospf->passive[i], n.ios_name) == 0)
			at = i;
	if (list && at == SIZE_MAX) {
		if (ospf->passive_count >= CONFIG_OSPF_PASSIVE_MAX)
			return config_fail(r, p, NULL, "%% Too many passive interfaces");
		config_text_copy(ospf->passive[ospf->passive_count++], CONFIG_NAME_MAX, n.ios_name);
	} else if (!list && at != SIZE_MAX) {
		memmove(&ospf->passive[at], &ospf->passive[at + 1], (ospf->passive_count - at - 1) * CONFIG_NAME_MAX);
		ospf->passive_count--;
	}
	return true;
}

static bool apply_ospf_redistribute(struct config *c, const struct cli_parse *p, struct config_apply_state *s)
{
	struct config_ospf *ospf = &c->ospf;
	struct config_ospf_redistribute *which = cli_has(p, "connected") ? &ospf->redistribute_connected
	                                       : cli_has(p, "static")    ? &ospf->redistribute_static
	                                                                 : &ospf->redistribute_bgp;
	*which = (struct config_ospf_redistribute){ 0 };
	if (p->negated)
		return true;
	const struct cli_value *asn = cli_arg(p, "ASN");
	const struct cli_value *metric = cli_arg(p, "OSPF-METRIC");
	which->enabled = true;
	which->asn = asn ? asn->number : 0;
	which->has_metric = metric != NULL;
	which->metric = metric ? metric->number : 0;
	which->metric_type = cli_has(p, "1") ? 1 : cli_has(p, "2") ? 2 : 0;
	which->subnets = cli_has(p, "subnets");
	return true;
}

static bool apply_ospf_area_auth(struct config *c, const struct cli_parse *p, struct config_apply_state *s)
{
	struct config_ospf *ospf = &c->ospf;
	struct config_apply_result *r = s->r;
	uint32_t area;
	bool dotted;
	area_of(p, &area, &dotted);
	size_t at = SIZE_MAX;
	for (size_t i = 0; i < ospf->area_count; i++)
		if (ospf->areas[i].area == area)
			at = i;
	if (p->negated) {
		if (at != SIZE_MAX) {
			memmove(&ospf->areas[at], &ospf->areas[at + 1], (ospf->area_count - at - 1) * sizeof(ospf->areas[0]));
			ospf->area_count--;
		}
		return true;
	}
	if (at == SIZE_MAX) {
		if (ospf->area_count >= CONFIG_OSPF_AREA_MAX)
			return config_fail(r, p, NULL, "%% Too many OSPF areas (at most %u)", CONFIG_OSPF_AREA_MAX);
		at = ospf->area_count++;
	}
	ospf->areas[at] = (struct config_ospf_area){ area, dotted, (uint8_t)(cli_has(p, "message-digest") ? 2 : 1) };
	return true;
}

static bool apply_ospf_router_id(struct config *c, const struct cli_parse *p, struct config_apply_state *s)
{
	const struct cli_value *v = cli_arg(p, "ROUTER-ID");
	if (!p->negated && ip_addr_v4(&v->addr) == 0)
		return config_fail(s->r, p, v, "%% OSPF: Invalid router ID 0.0.0.0");
	c->ospf.has_router_id = !p->negated;
	c->ospf.router_id = p->negated ? 0 : ip_addr_v4(&v->addr);
	return true;
}

static bool apply_ospf_default_information(struct config *c, const struct cli_parse *p,
                                           struct config_apply_state *s)
{
	c->ospf.default_information_originate = !p->negated;
	return true;
}

static bool apply_ospf_auto_cost(struct config *c, const struct cli_parse *p, struct config_apply_state *s)
{
	const struct cli_value *v = cli_arg(p, "BANDWIDTH");
	c->ospf.reference_bandwidth = p->negated || !v ? 0 : v->number;
	return true;
}

static bool ospf_running(const struct config *c)
{
	return c->ospf.enabled;
}

static bool ospf_redistribute_equal(const struct config_ospf_redistribute *a,
                                    const struct config_ospf_redistribute *b)
{
	if (a->enabled != b->enabled)
		return false;
	return !a->enabled || (a->asn == b->asn && a->has_metric == b->has_metric &&
	                       (!a->has_metric || a->metric == b->metric) &&
	                       a->metric_type == b->metric_type && a->subnets == b->subnets);
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

/* ---- print and compare, setting by setting (in the order IOS prints them) ---- */

static bool router_ospf_equal(const struct config *ca, const struct config *cb)
{
	const struct config_ospf *a = &ca->ospf, *b = &cb->ospf;
	return a->enabled == b->enabled && (!a->enabled || a->process == b->process);
}

static void router_id_print(const struct config *c, struct strbuf *out)
{
	char a[16];
	if (c->ospf.has_router_id)
		strbuf_printf(out, " router-id %s\n", ipv4_format(c->ospf.router_id, a));
}

static bool router_id_equal(const struct config *ca, const struct config *cb)
{
	const struct config_ospf *a = &ca->ospf, *b = &cb->ospf;
	return a->has_router_id == b->has_router_id && (!a->has_router_id || a->router_id == b->router_id);
}

static void auto_cost_print(const struct config *c, struct strbuf *out)
{
	if (c->ospf.reference_bandwidth)
		strbuf_printf(out, " auto-cost reference-bandwidth %u\n", c->ospf.reference_bandwidth);
}

static bool auto_cost_equal(const struct config *a, const struct config *b)
{
	return a->ospf.reference_bandwidth == b->ospf.reference_bandwidth;
}

static void area_auth_print(const struct config *c, struct strbuf *out)
{
	const struct config_ospf *o = &c->ospf;
	for (size_t i = 0; i < o->area_count; i++) {
		strbuf_append(out, " area ");
		print_area(o->areas[i].area, o->areas[i].area_dotted, out);
		strbuf_printf(out, " authentication%s\n", o->areas[i].auth == 2 ? " message-digest" : "");
	}
}

static bool area_auth_equal(const struct config *ca, const struct config *cb)
{
	const struct config_ospf *a = &ca->ospf, *b = &cb->ospf;
	if (a->area_count != b->area_count)
		return false;
	for (size_t i = 0; i < a->area_count; i++)
		if (a->areas[i].area != b->areas[i].area || a->areas[i].auth != b->areas[i].auth ||
		    a->areas[i].area_dotted != b->areas[i].area_dotted)
			return false;
	return true;
}

static void redistribute_print(const struct config *c, struct strbuf *out)
{
	const struct config_ospf *o = &c->ospf;
	print_ospf_redistribute("connected", &o->redistribute_connected, out);
	print_ospf_redistribute("static", &o->redistribute_static, out);
	print_ospf_redistribute("bgp", &o->redistribute_bgp, out);
}

static bool redistribute_equal(const struct config *ca, const struct config *cb)
{
	const struct config_ospf *a = &ca->ospf, *b = &cb->ospf;
	return ospf_redistribute_equal(&a->redistribute_connected, &b->redistribute_connected) &&
	       ospf_redistribute_equal(&a->redistribute_static, &b->redistribute_static) &&
	       ospf_redistribute_equal(&a->redistribute_bgp, &b->redistribute_bgp);
}

static void passive_print(const struct config *c, struct strbuf *out)
{
	const struct config_ospf *o = &c->ospf;
	if (o->passive_default)
		strbuf_append(out, " passive-interface default\n");
	for (size_t i = 0; i < o->passive_count; i++)
		strbuf_printf(out, " %spassive-interface %s\n", o->passive_default ? "no " : "", o->passive[i]);
}

static bool passive_equal(const struct config *ca, const struct config *cb)
{
	const struct config_ospf *a = &ca->ospf, *b = &cb->ospf;
	if (a->passive_default != b->passive_default || a->passive_count != b->passive_count)
		return false;
	for (size_t i = 0; i < a->passive_count; i++)
		if (strcmp(a->passive[i], b->passive[i]) != 0)
			return false;
	return true;
}

static void network_print(const struct config *c, struct strbuf *out)
{
	const struct config_ospf *o = &c->ospf;
	char a[16], b[16];
	for (size_t i = 0; i < o->network_count; i++) {
		const struct config_ospf_network *n = &o->networks[i];
		strbuf_printf(out, " network %s %s area ", ipv4_format(n->addr, a), ipv4_format(n->wildcard, b));
		print_area(n->area, n->area_dotted, out);
		strbuf_append(out, "\n");
	}
}

static bool network_equal(const struct config *ca, const struct config *cb)
{
	const struct config_ospf *a = &ca->ospf, *b = &cb->ospf;
	if (a->network_count != b->network_count)
		return false;
	for (size_t i = 0; i < a->network_count; i++) {
		const struct config_ospf_network *x = &a->networks[i], *y = &b->networks[i];
		if (x->addr != y->addr || x->wildcard != y->wildcard || x->area != y->area ||
		    x->area_dotted != y->area_dotted)
			return false;
	}
	return true;
}

static void default_information_print(const struct config *c, struct strbuf *out)
{
	if (c->ospf.default_information_originate)
		strbuf_append(out, " default-information originate\n");
}

static bool default_information_equal(const struct config *a, const struct config *b)
{
	return a->ospf.default_information_originate == b->ospf.default_information_originate;
}

#define SETTING(cmd, text, name, effect) \
	CONFIG_SETTING(cmd, text, apply_ospf_##name, name##_print, name##_equal, CONFIG_EFFECT_##effect)

/* router ospf, in the order IOS prints it. The OSPF daemon acts on what a change needs
 * (ospfd_configure is handed the change list; ospf/settings.c maps it onto the interface
 * settings that restart an interface): a new process number, the one change with effect
 * restart, stops the process and starts another; a new router ID takes every adjacency down
 * and up and flushes the old self-originated LSAs (IOS waits for `clear ip ospf process`;
 * ospf_set_router_id); network statements, passive interfaces and area authentication change
 * what an interface is (its area, whether it sends Hellos, its authentication), so the
 * interfaces whose value changes go down and up (ospf_reconfigure_interfaces); costs and
 * redistribution are originated again in place. */
static const struct config_command ospf_commands[] = {
	CONFIG_BLOCK(CLI_CMD_ROUTER_OSPF, "router ospf", apply_router_ospf, router_ospf_equal,
	             CONFIG_EFFECT_RESTART),
	SETTING(CLI_CMD_OSPF_ROUTER_ID, "router-id", router_id, RESET),
	SETTING(CLI_CMD_OSPF_AUTO_COST, "auto-cost reference-bandwidth", auto_cost, IN_PLACE),
	SETTING(CLI_CMD_OSPF_AREA_AUTH, "area authentication", area_auth, RESET),
	SETTING(CLI_CMD_OSPF_REDISTRIBUTE, "redistribute", redistribute, IN_PLACE),
	SETTING(CLI_CMD_OSPF_PASSIVE, "passive-interface", passive, RESET),
	SETTING(CLI_CMD_OSPF_NETWORK, "network", network, RESET),
	SETTING(CLI_CMD_OSPF_DEFAULT_INFORMATION, "default-information originate", default_information,
	        IN_PLACE),
	CONFIG_IGNORED(CLI_CMD_OSPF_LOG_ADJACENCY, "Tern always logs adjacency changes"),
};
#define OSPF_COMMAND_COUNT (sizeof(ospf_commands) / sizeof(ospf_commands[0]))

static void print_ospf(const struct config *c, struct strbuf *out)
{
	if (!c->ospf.enabled)
		return;
	strbuf_printf(out, "router ospf %u\n", c->ospf.process);
	config_rows_print(ospf_commands, OSPF_COMMAND_COUNT, c, out);
	strbuf_append(out, "!\n");
}

const struct config_section_ops config_ospf_section = {
	.section = CONFIG_SECTION_OSPF,
	.name = "ospf",
	.running = ospf_running,
	.not_running = "% OSPF is not running",
	.commands = ospf_commands,
	.command_count = OSPF_COMMAND_COUNT,
	.print = print_ospf,
};
