/*
 * DOC: the router bgp section: the block and its global settings (router-id, timers,
 * cluster-id, decision flags), networks, aggregates and redistribution; the neighbour list
 * (sorted by address) with its neighbour settings in config_bgp_neighbor.c. Each setting is a
 * descriptor in bgp_commands[] (apply, print, compare, name, effect); the neighbour list is
 * one row whose change is its neighbours' settings, setting by setting.
 */
#include "config/config_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/memory.h"

void config_bgp_reset(struct config_bgp *bgp)
{
	memory_free(MEMORY_CONFIG, bgp->neighbors);
	memory_free(MEMORY_CONFIG, bgp->networks);
	memory_free(MEMORY_CONFIG, bgp->aggregates);
	memset(bgp, 0, sizeof(*bgp));
	bgp->keepalive = CONFIG_DEFAULT_KEEPALIVE;
	bgp->hold_time = CONFIG_DEFAULT_HOLD_TIME;
}

/* Index of addr, or where it would go (binary search over the sorted array). */
static size_t neighbor_position(const struct config_bgp *bgp, const struct ip_addr *addr, bool *found)
{
	size_t low = 0, high = bgp->neighbor_count;
	*found = false;
	while (low < high) {
		size_t mid = low + (high - low) / 2;
		int cmp = ip_addr_compare(&bgp->neighbors[mid].addr, addr);
		if (cmp == 0) {
			*found = true;
			return mid;
		}
		if (cmp < 0)
			low = mid + 1;
		else
			high = mid;
	}
	return low;
}

struct config_bgp_neighbor *config_bgp_neighbor_find(struct config_bgp *bgp, const struct ip_addr *addr)
{
	bool found;
	size_t i = neighbor_position(bgp, addr, &found);
	return found ? &bgp->neighbors[i] : NULL;
}

struct config_bgp_neighbor *config_bgp_neighbor_add(struct config_bgp *bgp, const struct ip_addr *addr)
{
	bool found;
	size_t i = neighbor_position(bgp, addr, &found);
	if (found)
		return &bgp->neighbors[i];
	if (bgp->neighbor_count >= CONFIG_BGP_NEIGHBOR_MAX)
		return NULL;
	struct config_bgp_neighbor *grown =
		memory_realloc(MEMORY_CONFIG, bgp->neighbors, (bgp->neighbor_count + 1) * sizeof(*grown));
	if (!grown)
		return NULL;
	bgp->neighbors = grown;
	memmove(&grown[i + 1], &grown[i], (bgp->neighbor_count - i) * sizeof(*grown));
	bgp->neighbor_count++;
	memset(&grown[i], 0, sizeof(grown[i]));
	grown[i].addr = *addr;
	return &grown[i];
}

void config_bgp_neighbor_remove(struct config_bgp *bgp, const struct ip_addr *addr)
{
	bool found;
	size_t i = neighbor_position(bgp, addr, &found);
	if (!found)
		return;
	memmove(&bgp->neighbors[i], &bgp->neighbors[i + 1],
	        (bgp->neighbor_count - i - 1) * sizeof(bgp->neighbors[0]));
	bgp->neighbor_count--;
	if (bgp->neighbor_count == 0) {
		memory_free(MEMORY_CONFIG, bgp->neighbors);
		bgp->neighbors = NULL;
	}
}

uint32_t config_bgp_router_id(const struct config *c)
{
	return c->bgp.has_router_id ? c->bgp.router_id : 0;
}

static bool apply_router_bgp(struct config *c, const struct cli_parse *p, struct config_apply_state *s)
{
	struct config_apply_result *r = s->r;
	const struct cli_value *asn = cli_arg(p, "ASN");
	struct config_bgp *bgp = &c->bgp;
	if (bgp->enabled && bgp->asn != asn->number) {
		if (p->negated)
			return config_fail(r, p, asn, "%% No BGP process for AS %u; AS is %u",
			                  asn->number, bgp->asn);
		return config_fail(r, p, asn, "%% BGP is already running; AS is %u", bgp->asn);
	}
	if (p->negated) {
		config_bgp_reset(bgp);
		return true;
	}
	bgp->enabled = true;
	bgp->asn = asn->number;
	return true;
}

static bool apply_bgp_router_id(struct config *c, const struct cli_parse *p, struct config_apply_state *s)
{
	struct config_bgp *bgp = &c->bgp;
	struct config_apply_result *r = s->r;
	const struct cli_value *id = cli_arg(p, "ROUTER-ID");
	if (p->negated) {
		bgp->has_router_id = false;
		bgp->router_id = 0;
		return true;
	}
	uint32_t value = ip_addr_v4(&id->addr);
	/* RFC 6286 §2.1: a non-zero 4-octet value; IOS also refuses the broadcast address. */
	if (value == 0 || value == UINT32_MAX)
		return config_fail(r, p, id, "%% Invalid router-id %s", id->text);
	bgp->has_router_id = true;
	bgp->router_id = value;
	return true;
}

static bool apply_bgp_timers(struct config *c, const struct cli_parse *p, struct config_apply_state *s)
{
	struct config_bgp *bgp = &c->bgp;
	struct config_apply_result *r = s->r;
	if (p->negated) {
		bgp->has_timers = false;
		bgp->keepalive = CONFIG_DEFAULT_KEEPALIVE;
		bgp->hold_time = CONFIG_DEFAULT_HOLD_TIME;
		return true;
	}
	const struct cli_value *keepalive = cli_arg(p, "KEEPALIVE");
	const struct cli_value *hold = cli_arg(p, "HOLD");
	if (!config_hold_time_valid(hold->number))
		return config_fail(r, p, hold, "%% Hold time must be 0 or at least 3 seconds");
	bgp->has_timers = true;
	bgp->keepalive = (uint16_t)keepalive->number;
	bgp->hold_time = (uint16_t)hold->number;
	return true;
}

static size_t network_position(const struct config_bgp *bgp, const struct prefix *key,
                               bool *found)
{
	size_t i = 0;
	while (i < bgp->network_count && prefix_compare(&bgp->networks[i], key) < 0)
		i++;
	*found = i < bgp->network_count && prefix_equal(&bgp->networks[i], key);
	return i;
}

static bool apply_bgp_network(struct config *c, const struct cli_parse *p, struct config_apply_state *s)
{
	struct config_bgp *bgp = &c->bgp;
	struct config_apply_result *r = s->r;
	struct prefix prefix;
	if (!config_network_and_mask(p, r, true, &prefix))
		return false;
	bool found;
	size_t i = network_position(bgp, &prefix, &found);
	if (p->negated) {
		if (found)
			bgp->networks = config_array_remove(bgp->networks, &bgp->network_count,
			                             sizeof(bgp->networks[0]), i);
		return true;
	}
	if (found)
		return true;
	if (bgp->network_count >= CONFIG_PREFIX_MAX)
		return config_fail(r, p, NULL, "%% Too many networks (at most %u)", CONFIG_PREFIX_MAX);
	struct prefix *grown = config_array_insert(bgp->networks, bgp->network_count,
	                                           sizeof(*grown), i);
	if (!grown)
		return config_fail(r, p, NULL, "%% Out of memory");
	bgp->networks = grown;
	bgp->network_count++;
	grown[i] = prefix;
	return true;
}

static bool apply_bgp_aggregate(struct config *c, const struct cli_parse *p, struct config_apply_state *s)
{
	struct config_bgp *bgp = &c->bgp;
	struct config_apply_result *r = s->r;
	struct prefix prefix;
	if (!config_network_and_mask(p, r, false, &prefix))
		return false;
	size_t i = 0;
	while (i < bgp->aggregate_count && prefix_compare(&bgp->aggregates[i].prefix, &prefix) < 0)
		i++;
	bool found = i < bgp->aggregate_count && prefix_equal(&bgp->aggregates[i].prefix, &prefix);
	if (p->negated) {
		if (found)
			bgp->aggregates = config_array_remove(bgp->aggregates, &bgp->aggregate_count,
			                               sizeof(bgp->aggregates[0]), i);
		return true;
	}
	if (!found) {
		if (bgp->aggregate_count >= CONFIG_PREFIX_MAX)
			return config_fail(r, p, NULL, "%% Too many aggregates (at most %u)",
			                  CONFIG_PREFIX_MAX);
		struct config_bgp_aggregate *grown = config_array_insert(bgp->aggregates, bgp->aggregate_count,
		                                                  sizeof(*grown), i);
		if (!grown)
			return config_fail(r, p, NULL, "%% Out of memory");
		bgp->aggregates = grown;
		bgp->aggregate_count++;
	}
	/* A second aggregate-address for one prefix replaces the first, as IOS. */
	bgp->aggregates[i] = (struct config_bgp_aggregate){ .prefix = prefix,
	                                                    .summary_only = cli_has(p, "summary-only"),
	                                                    .as_set = cli_has(p, "as-set") };
	return true;
}

static bool apply_bgp_redistribute(struct config *c, const struct cli_parse *p, struct config_apply_state *s)
{
	struct config_bgp *bgp = &c->bgp;
	struct config_apply_result *r = s->r;
	const struct cli_value *metric = cli_arg(p, "METRIC");
	if (cli_has(p, "ospf")) {
		struct config_redistribute_ospf *o = &bgp->redistribute_ospf;
		*o = (struct config_redistribute_ospf){ 0 };
		if (p->negated)
			return true;
		o->enabled = true;
		o->process = (uint16_t)cli_arg(p, "PROCESS-ID")->number;
		o->has_metric = metric != NULL;
		o->metric = metric ? metric->number : 0;
		return true;
	}
	struct config_redistribute *which = cli_has(p, "connected") ? &bgp->redistribute_connected
	                                  : cli_has(p, "static")    ? &bgp->redistribute_static
	                                  : cli_has(p, "rip")       ? &bgp->redistribute_rip
	                                                            : NULL;
	if (!which)
		return config_not_supported(p, r);
	*which = (struct config_redistribute){ 0 };
	if (p->negated)
		return true;
	which->enabled = true;
	which->has_metric = metric != NULL;
	which->metric = metric ? metric->number : 0;
	return true;
}

static bool apply_bgp_cluster_id(struct config *c, const struct cli_parse *p, struct config_apply_state *s)
{
	struct config_bgp *bgp = &c->bgp;
	struct config_apply_result *r = s->r;
	if (p->negated) {
		bgp->cluster_id = 0;
		return true;
	}
	const struct cli_value *id = cli_arg(p, "CLUSTER-ID");
	const struct cli_value *number = cli_arg(p, "CLUSTER-NUMBER");
	uint32_t value = id ? ip_addr_v4(&id->addr) : number->number;
	if (value == 0)
		return config_fail(r, p, id, "%% Invalid cluster-id %s", id->text);
	bgp->cluster_id = value;
	return true;
}

static bool apply_bgp_always_compare_med(struct config *c, const struct cli_parse *p,
                                         struct config_apply_state *s)
{
	c->bgp.always_compare_med = !p->negated;
	return true;
}

static bool apply_bgp_ebgp_requires_policy(struct config *c, const struct cli_parse *p,
                                           struct config_apply_state *s)
{
	c->bgp.ebgp_requires_policy = !p->negated;
	return true;
}

static bool apply_bgp_enforce_first_as(struct config *c, const struct cli_parse *p,
                                       struct config_apply_state *s)
{
	c->bgp.no_enforce_first_as = p->negated;
	return true;
}

static bool bgp_running(const struct config *c)
{
	return c->bgp.enabled;
}


/* ---- print and compare, setting by setting (in the order IOS prints them) ---- */

static void router_id_print(const struct config *c, struct strbuf *out)
{
	const struct config_bgp *bgp = &c->bgp;
	char id[16];
	if (bgp->has_router_id)
		strbuf_printf(out, " bgp router-id %s\n", ipv4_format(bgp->router_id, id));
}

static bool router_id_equal(const struct config *ca, const struct config *cb)
{
	const struct config_bgp *a = &ca->bgp, *b = &cb->bgp;
	return a->has_router_id == b->has_router_id && (!a->has_router_id || a->router_id == b->router_id);
}

static void cluster_id_print(const struct config *c, struct strbuf *out)
{
	const struct config_bgp *bgp = &c->bgp;
	char id[16];
	if (bgp->cluster_id)
		strbuf_printf(out, " bgp cluster-id %s\n", ipv4_format(bgp->cluster_id, id));
}

static bool cluster_id_equal(const struct config *ca, const struct config *cb)
{
	const struct config_bgp *a = &ca->bgp, *b = &cb->bgp;
	return a->cluster_id == b->cluster_id;
}

static void always_compare_med_print(const struct config *c, struct strbuf *out)
{
	const struct config_bgp *bgp = &c->bgp;
	if (bgp->always_compare_med)
		strbuf_append(out, " bgp always-compare-med\n");
}

static bool always_compare_med_equal(const struct config *ca, const struct config *cb)
{
	const struct config_bgp *a = &ca->bgp, *b = &cb->bgp;
	return a->always_compare_med == b->always_compare_med;
}

static void ebgp_requires_policy_print(const struct config *c, struct strbuf *out)
{
	const struct config_bgp *bgp = &c->bgp;
	if (bgp->ebgp_requires_policy)
		strbuf_append(out, " bgp ebgp-requires-policy\n");
}

static bool ebgp_requires_policy_equal(const struct config *ca, const struct config *cb)
{
	const struct config_bgp *a = &ca->bgp, *b = &cb->bgp;
	return a->ebgp_requires_policy == b->ebgp_requires_policy;
}

static void enforce_first_as_print(const struct config *c, struct strbuf *out)
{
	const struct config_bgp *bgp = &c->bgp;
	if (bgp->no_enforce_first_as)
		strbuf_append(out, " no bgp enforce-first-as\n");
}

static bool enforce_first_as_equal(const struct config *ca, const struct config *cb)
{
	const struct config_bgp *a = &ca->bgp, *b = &cb->bgp;
	return a->no_enforce_first_as == b->no_enforce_first_as;
}

static void timers_print(const struct config *c, struct strbuf *out)
{
	const struct config_bgp *bgp = &c->bgp;
	if (bgp->has_timers)
		strbuf_printf(out, " timers bgp %u %u\n", bgp->keepalive, bgp->hold_time);
}

static bool timers_equal(const struct config *ca, const struct config *cb)
{
	const struct config_bgp *a = &ca->bgp, *b = &cb->bgp;
	return a->has_timers == b->has_timers &&
	       (!a->has_timers || (a->keepalive == b->keepalive && a->hold_time == b->hold_time));
}

/* network A.B.C.D, with `mask` only when the mask is not the classful one (IOS). */
static void network_print(const struct config *c, struct strbuf *out)
{
	const struct config_bgp *bgp = &c->bgp;
	char addr[IP_ADDR_STRLEN], mask[16];
	for (size_t i = 0; i < bgp->network_count; i++) {
		const struct prefix *p = &bgp->networks[i];
		if (config_classful_length(prefix_v4(p)) == p->len)
			strbuf_printf(out, " network %s\n", prefix_format_address(p, addr));
		else
			strbuf_printf(out, " network %s mask %s\n", prefix_format_address(p, addr),
			              config_mask_text(p->len, mask));
	}
}

static bool network_equal(const struct config *ca, const struct config *cb)
{
	const struct config_bgp *a = &ca->bgp, *b = &cb->bgp;
	return config_prefixes_equal(a->networks, a->network_count, b->networks, b->network_count);
}

static void aggregate_print(const struct config *c, struct strbuf *out)
{
	const struct config_bgp *bgp = &c->bgp;
	for (size_t i = 0; i < bgp->aggregate_count; i++) {
		const struct config_bgp_aggregate *a = &bgp->aggregates[i];
		strbuf_append(out, " aggregate-address ");
		config_print_prefix_mask(&a->prefix, out);
		strbuf_printf(out, "%s%s\n", a->as_set ? " as-set" : "", a->summary_only ? " summary-only" : "");
	}
}

static bool aggregate_equal(const struct config *ca, const struct config *cb)
{
	const struct config_bgp *a = &ca->bgp, *b = &cb->bgp;
	if (a->aggregate_count != b->aggregate_count)
		return false;
	for (size_t i = 0; i < a->aggregate_count; i++) {
		const struct config_bgp_aggregate *x = &a->aggregates[i], *y = &b->aggregates[i];
		if (!prefix_equal(&x->prefix, &y->prefix) || x->summary_only != y->summary_only ||
		    x->as_set != y->as_set)
			return false;
	}
	return true;
}

static void redistribute_print(const struct config *c, struct strbuf *out)
{
	const struct config_bgp *bgp = &c->bgp;
	config_print_redistribute("connected", &bgp->redistribute_connected, out);
	config_print_redistribute("static", &bgp->redistribute_static, out);
	config_print_redistribute("rip", &bgp->redistribute_rip, out);
	const struct config_redistribute_ospf *o = &bgp->redistribute_ospf;
	if (o->enabled && o->has_metric)
		strbuf_printf(out, " redistribute ospf %u metric %u\n", o->process, o->metric);
	else if (o->enabled)
		strbuf_printf(out, " redistribute ospf %u\n", o->process);
}

static bool redistribute_equal(const struct config *ca, const struct config *cb)
{
	const struct config_bgp *a = &ca->bgp, *b = &cb->bgp;
	const struct config_redistribute_ospf *ro = &a->redistribute_ospf, *so = &b->redistribute_ospf;
	return config_redistribute_equal(&a->redistribute_connected, &b->redistribute_connected) &&
	       config_redistribute_equal(&a->redistribute_static, &b->redistribute_static) &&
	       config_redistribute_equal(&a->redistribute_rip, &b->redistribute_rip) &&
	       ro->enabled == so->enabled &&
	       (!ro->enabled || (ro->process == so->process && ro->has_metric == so->has_metric &&
	                         (!ro->has_metric || ro->metric == so->metric)));
}

static bool router_bgp_equal(const struct config *ca, const struct config *cb)
{
	const struct config_bgp *a = &ca->bgp, *b = &cb->bgp;
	return a->enabled == b->enabled && (!a->enabled || a->asn == b->asn);
}

/* ---- the neighbours: a list of objects with settings of their own ---- */

static void neighbors_print(const struct config *c, struct strbuf *out)
{
	for (size_t i = 0; i < c->bgp.neighbor_count; i++)
		config_bgp_neighbor_print(&c->bgp.neighbors[i], out);
}

static bool neighbors_equal(const struct config *ca, const struct config *cb)
{
	const struct config_bgp *a = &ca->bgp, *b = &cb->bgp;
	if (a->neighbor_count != b->neighbor_count)
		return false;
	for (size_t i = 0; i < a->neighbor_count; i++)
		if (!config_bgp_neighbor_equal(&a->neighbors[i], &b->neighbors[i]))
			return false;
	return true;
}

/* A neighbour added or removed is a session that starts or ends; a neighbour in both
 * changes setting by setting (config_bgp_neighbor_change). Both lists are sorted. */
static void neighbors_change(const struct config *ca, const struct config *cb, struct config_change *out)
{
	const struct config_bgp *a = &ca->bgp, *b = &cb->bgp;
	size_t i = 0, j = 0;
	while (i < a->neighbor_count || j < b->neighbor_count) {
		int cmp = i == a->neighbor_count ? 1
		        : j == b->neighbor_count ? -1
		                                 : ip_addr_compare(&a->neighbors[i].addr, &b->neighbors[j].addr);
		if (cmp != 0) {
			config_change_add(out, CLI_CMD_NEIGHBOR_REMOTE_AS, CONFIG_EFFECT_RESET);
			i += cmp < 0;
			j += cmp > 0;
			continue;
		}
		config_bgp_neighbor_change(&a->neighbors[i++], &b->neighbors[j++], out);
	}
}

#define SETTING(cmd, text, name, effect) \
	CONFIG_SETTING(cmd, text, apply_bgp_##name, name##_print, name##_equal, CONFIG_EFFECT_##effect)

/* The router bgp block: every command but the neighbour settings (config_bgp_neighbor.c).
 * The settings print and compare in this order, the order IOS prints them. The router ID
 * and the AS are the speaker's identity in every OPEN: a new one resets every session
 * (bgp_speaker_configure); the decision flags decide every prefix again in place; the
 * policy flag judges the routes again; timers apply to the next sessions, as IOS. */
static const struct config_command bgp_commands[] = {
	CONFIG_BLOCK(CLI_CMD_ROUTER_BGP, "router bgp", apply_router_bgp, router_bgp_equal,
	             CONFIG_EFFECT_RESTART),
	SETTING(CLI_CMD_BGP_ROUTER_ID, "bgp router-id", router_id, RESET),
	SETTING(CLI_CMD_BGP_CLUSTER_ID, "bgp cluster-id", cluster_id, IN_PLACE),
	SETTING(CLI_CMD_BGP_ALWAYS_COMPARE_MED, "bgp always-compare-med", always_compare_med, IN_PLACE),
	SETTING(CLI_CMD_BGP_EBGP_REQUIRES_POLICY, "bgp ebgp-requires-policy", ebgp_requires_policy, REFRESH),
	SETTING(CLI_CMD_BGP_ENFORCE_FIRST_AS, "bgp enforce-first-as", enforce_first_as, IN_PLACE),
	SETTING(CLI_CMD_BGP_TIMERS, "timers bgp", timers, IN_PLACE),
	SETTING(CLI_CMD_BGP_NETWORK, "network", network, IN_PLACE),
	SETTING(CLI_CMD_BGP_AGGREGATE, "aggregate-address", aggregate, IN_PLACE),
	SETTING(CLI_CMD_BGP_REDISTRIBUTE, "redistribute", redistribute, IN_PLACE),
	/* the neighbour commands all apply through their own descriptors */
	{ CLI_CMD_NEIGHBOR, config_bgp_apply_neighbor, NULL, false, neighbors_print, neighbors_equal,
	  "neighbor", CONFIG_EFFECT_RESET, neighbors_change },
	CONFIG_IGNORED(CLI_CMD_BGP_SYNCHRONIZATION, "Tern never synchronizes BGP with the IGP"),
	CONFIG_IGNORED(CLI_CMD_BGP_AUTO_SUMMARY, "Tern never summarizes to classful networks"),
	CONFIG_IGNORED(CLI_CMD_BGP_LOG_NEIGHBOR_CHANGES, "Tern always logs neighbor changes"),
	CONFIG_IGNORED(CLI_CMD_BGP_ADDRESS_FAMILY, "IPv4 unicast settings go straight under router bgp"),
	CONFIG_IGNORED(CLI_CMD_BGP_EXIT_ADDRESS_FAMILY, "IPv4 unicast settings go straight under router bgp"),
};
#define BGP_COMMAND_COUNT (sizeof(bgp_commands) / sizeof(bgp_commands[0]))

static void print_bgp(const struct config *c, struct strbuf *out)
{
	if (!c->bgp.enabled)
		return;
	strbuf_printf(out, "router bgp %u\n", c->bgp.asn);
	config_rows_print(bgp_commands, BGP_COMMAND_COUNT, c, out);
	strbuf_append(out, "!\n");
}

const struct config_section_ops config_bgp_section = {
	.section = CONFIG_SECTION_BGP,
	.name = "bgp",
	.running = bgp_running,
	.not_running = "% BGP is not running",
	.commands = bgp_commands,
	.command_count = BGP_COMMAND_COUNT,
	.print = print_bgp,
};
