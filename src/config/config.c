/*
 * DOC: the configuration model: init, copy, compare, apply one command, load a file.
 *
 * struct config holds plain values (config.h). config_apply() is the only code that changes
 * it from a command: it takes a line already matched by the grammar (grammar.h), checks what
 * IOS would check, and only then writes, so a rejected command leaves the config as it was.
 *
 * Interface mode needs to know which interface it configures, which the mode cannot say: the
 * caller keeps a struct config_context per session and config_apply_in() keeps it current.
 * Interface commands work on a copy of the interface's entry, stored back only if accepted.
 *
 * Loading a file runs every line through cli_parse() and config_apply_in(), starting in global
 * configuration mode with an empty context. Indentation means nothing; the block structure
 * comes from the modes: `router bgp 100` enters router mode, `interface f0/0` interface mode,
 * and a line the mode does not know is tried again in global mode, leaving the block, as IOS
 * does when a configuration is pasted. `end` and `exit` in a file never leave configuration
 * mode. The first bad line stops the load with its file, line, caret column and IOS message.
 */
#include "config/config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_policy.h"
#include "lib/ifname.h"

#define CONFIG_FILE_MAX (16u << 20) /* a configuration file larger than this is refused */

static const char msg_remote_as_first[] = "% Specify remote-as or peer-group commands first";
/* IOS refuses GTSM and ebgp-multihop on one neighbour, whichever comes second. */
static const char msg_ttl_security_multihop[] =
	"% ttl-security and ebgp-multihop cannot be configured together";
static const char msg_invalid_input[] = "% Invalid input detected at '^' marker.";
static const char msg_inconsistent_mask[] = "% Inconsistent address and mask";
static const char msg_no_route[] = "%No matching route to delete";

/* ---- the model ---- */

static void config_bgp_reset(struct config_bgp *bgp)
{
	free(bgp->neighbors);
	free(bgp->networks);
	free(bgp->aggregates);
	memset(bgp, 0, sizeof(*bgp));
	bgp->keepalive = CONFIG_DEFAULT_KEEPALIVE;
	bgp->hold_time = CONFIG_DEFAULT_HOLD_TIME;
}

static void config_rip_reset(struct config_rip *rip)
{
	memset(rip, 0, sizeof(*rip));
	rip->update = CONFIG_RIP_DEFAULT_UPDATE;
	rip->invalid = CONFIG_RIP_DEFAULT_INVALID;
	rip->holddown = CONFIG_RIP_DEFAULT_HOLDDOWN;
	rip->flush = CONFIG_RIP_DEFAULT_FLUSH;
	rip->distance = CONFIG_RIP_DEFAULT_DISTANCE;
}

void config_init(struct config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->hostname, sizeof(c->hostname), "Router");
	config_bgp_reset(&c->bgp);
	config_rip_reset(&c->rip);
}

void config_free(struct config *c)
{
	free(c->bgp.neighbors);
	free(c->bgp.networks);
	free(c->bgp.aggregates);
	free(c->static_routes);
	free(c->interfaces);
	policy_config_free(&c->policy);
	c->bgp.neighbors = NULL;
	c->bgp.neighbor_count = 0;
	c->bgp.networks = NULL;
	c->bgp.network_count = 0;
	c->bgp.aggregates = NULL;
	c->bgp.aggregate_count = 0;
	c->static_routes = NULL;
	c->static_route_count = 0;
	c->interfaces = NULL;
	c->interface_count = 0;
}

void config_context_init(struct config_context *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
}

/* A heap copy of count elements of size bytes (NULL for none); false on allocation failure. */
static bool array_dup(void **dst, const void *src, size_t count, size_t size)
{
	*dst = NULL;
	if (count == 0)
		return true;
	*dst = malloc(count * size);
	if (!*dst)
		return false;
	memcpy(*dst, src, count * size);
	return true;
}

bool config_copy(struct config *dst, const struct config *src)
{
	*dst = *src;
	void *neighbors, *networks, *aggregates, *routes, *interfaces;
	bool ok = array_dup(&neighbors, src->bgp.neighbors, src->bgp.neighbor_count,
	                    sizeof(src->bgp.neighbors[0]));
	ok = array_dup(&networks, src->bgp.networks, ok ? src->bgp.network_count : 0,
	               sizeof(src->bgp.networks[0])) && ok;
	ok = array_dup(&aggregates, src->bgp.aggregates, ok ? src->bgp.aggregate_count : 0,
	               sizeof(src->bgp.aggregates[0])) && ok;
	ok = array_dup(&routes, src->static_routes, ok ? src->static_route_count : 0,
	               sizeof(src->static_routes[0])) && ok;
	ok = array_dup(&interfaces, src->interfaces, ok ? src->interface_count : 0,
	               sizeof(src->interfaces[0])) && ok;
	dst->bgp.neighbors = neighbors;
	dst->bgp.networks = networks;
	dst->bgp.aggregates = aggregates;
	dst->static_routes = routes;
	dst->interfaces = interfaces;
	policy_config_init(&dst->policy); /* src's arrays until copied: not ours to free */
	ok = ok && policy_config_copy(&dst->policy, &src->policy);
	if (!ok) {
		config_free(dst);
		config_init(dst);
	}
	return ok;
}

static bool neighbor_equal(const struct config_bgp_neighbor *a, const struct config_bgp_neighbor *b)
{
	if (!ip_addr_equal(&a->addr, &b->addr) || a->remote_as != b->remote_as ||
	    strcmp(a->description, b->description) != 0 ||
	    strcmp(a->update_source_interface, b->update_source_interface) != 0 ||
	    ip_addr_is_set(&a->update_source_addr) != ip_addr_is_set(&b->update_source_addr) ||
	    (ip_addr_is_set(&a->update_source_addr) &&
	     !ip_addr_equal(&a->update_source_addr, &b->update_source_addr)))
		return false;
	if (a->ebgp_multihop != b->ebgp_multihop ||
	    (a->ebgp_multihop && a->ebgp_multihop_ttl != b->ebgp_multihop_ttl) ||
	    a->disable_connected_check != b->disable_connected_check ||
	    a->ttl_security_hops != b->ttl_security_hops)
		return false;
	if (a->has_timers != b->has_timers ||
	    (a->has_timers && (a->keepalive != b->keepalive || a->hold_time != b->hold_time)))
		return false;
	if (a->next_hop_self != b->next_hop_self ||
	    a->route_reflector_client != b->route_reflector_client ||
	    a->allowas_in != b->allowas_in ||
	    a->soft_reconfiguration_inbound != b->soft_reconfiguration_inbound ||
	    a->enforce_first_as != b->enforce_first_as)
		return false;
	if (a->maximum_prefix != b->maximum_prefix ||
	    (a->maximum_prefix && (a->maximum_prefix_threshold != b->maximum_prefix_threshold ||
	                           a->maximum_prefix_warning_only != b->maximum_prefix_warning_only ||
	                           a->maximum_prefix_restart != b->maximum_prefix_restart)))
		return false;
	if (strcmp(a->route_map_in, b->route_map_in) || strcmp(a->route_map_out, b->route_map_out) ||
	    strcmp(a->prefix_list_in, b->prefix_list_in) || strcmp(a->prefix_list_out, b->prefix_list_out))
		return false;
	return a->connect_retry == b->connect_retry && strcmp(a->password, b->password) == 0 &&
	       a->shutdown == b->shutdown && strcmp(a->shutdown_message, b->shutdown_message) == 0 &&
	       a->passive == b->passive;
}

static size_t prefix_size(const struct config_prefix *p)
{
	return p->family == AF_INET6 ? 16 : 4;
}

/* Family, then address, then length: 10.0.0.0/8 before 10.0.0.0/16 before 10.1.0.0/16. */
static int prefix_compare(const struct config_prefix *a, const struct config_prefix *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	int cmp = memcmp(a->addr, b->addr, prefix_size(a));
	if (cmp)
		return cmp;
	return a->len < b->len ? -1 : a->len > b->len;
}

static bool prefix_equal(const struct config_prefix *a, const struct config_prefix *b)
{
	return prefix_compare(a, b) == 0;
}

static bool redistribute_equal(const struct config_redistribute *a,
                               const struct config_redistribute *b)
{
	return a->enabled == b->enabled && a->has_metric == b->has_metric &&
	       (!a->has_metric || a->metric == b->metric);
}

static bool bgp_equal(const struct config_bgp *a, const struct config_bgp *b)
{
	if (a->enabled != b->enabled)
		return false;
	if (!a->enabled)
		return true;
	if (a->asn != b->asn || a->has_router_id != b->has_router_id ||
	    (a->has_router_id && a->router_id != b->router_id))
		return false;
	if (a->has_timers != b->has_timers ||
	    (a->has_timers && (a->keepalive != b->keepalive || a->hold_time != b->hold_time)))
		return false;
	if (a->cluster_id != b->cluster_id || a->always_compare_med != b->always_compare_med ||
	    a->ebgp_requires_policy != b->ebgp_requires_policy ||
	    a->no_enforce_first_as != b->no_enforce_first_as ||
	    !redistribute_equal(&a->redistribute_connected, &b->redistribute_connected) ||
	    !redistribute_equal(&a->redistribute_static, &b->redistribute_static) ||
	    !redistribute_equal(&a->redistribute_rip, &b->redistribute_rip))
		return false;
	const struct config_redistribute_ospf *ro = &a->redistribute_ospf, *so = &b->redistribute_ospf;
	if (ro->enabled != so->enabled ||
	    (ro->enabled && (ro->process != so->process || ro->has_metric != so->has_metric ||
	                     (ro->has_metric && ro->metric != so->metric))))
		return false;
	if (a->neighbor_count != b->neighbor_count || a->network_count != b->network_count ||
	    a->aggregate_count != b->aggregate_count)
		return false;
	for (size_t i = 0; i < a->neighbor_count; i++) {
		if (!neighbor_equal(&a->neighbors[i], &b->neighbors[i]))
			return false;
	}
	for (size_t i = 0; i < a->network_count; i++) {
		if (!prefix_equal(&a->networks[i], &b->networks[i]))
			return false;
	}
	for (size_t i = 0; i < a->aggregate_count; i++) {
		const struct config_bgp_aggregate *x = &a->aggregates[i], *y = &b->aggregates[i];
		if (!prefix_equal(&x->prefix, &y->prefix) || x->summary_only != y->summary_only ||
		    x->as_set != y->as_set)
			return false;
	}
	return true;
}

static bool rip_equal(const struct config_rip *a, const struct config_rip *b)
{
	if (a->enabled != b->enabled)
		return false;
	if (a->version != b->version || a->has_timers != b->has_timers || a->update != b->update ||
	    a->invalid != b->invalid || a->holddown != b->holddown || a->flush != b->flush ||
	    a->default_metric != b->default_metric || a->distance != b->distance ||
	    a->network_count != b->network_count || a->neighbor_count != b->neighbor_count ||
	    a->passive_default != b->passive_default || a->passive_count != b->passive_count ||
	    a->redistribute_bgp_asn != b->redistribute_bgp_asn ||
	    !redistribute_equal(&a->redistribute_connected, &b->redistribute_connected) ||
	    !redistribute_equal(&a->redistribute_static, &b->redistribute_static) ||
	    !redistribute_equal(&a->redistribute_bgp, &b->redistribute_bgp))
		return false;
	for (size_t i = 0; i < a->network_count; i++) {
		if (!prefix_equal(&a->networks[i], &b->networks[i]))
			return false;
	}
	for (size_t i = 0; i < a->passive_count; i++) {
		if (strcmp(a->passive[i].name, b->passive[i].name) != 0)
			return false;
	}
	return memcmp(a->neighbors, b->neighbors, a->neighbor_count * sizeof(a->neighbors[0])) == 0;
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

static bool ospf_equal(const struct config_ospf *a, const struct config_ospf *b)
{
	if (a->enabled != b->enabled)
		return false;
	if (!a->enabled)
		return true;
	if (a->process != b->process || a->has_router_id != b->has_router_id ||
	    (a->has_router_id && a->router_id != b->router_id) ||
	    a->network_count != b->network_count || a->passive_default != b->passive_default ||
	    a->passive_count != b->passive_count ||
	    a->default_information_originate != b->default_information_originate ||
	    a->area_count != b->area_count || a->reference_bandwidth != b->reference_bandwidth ||
	    !ospf_redistribute_equal(&a->redistribute_connected, &b->redistribute_connected) ||
	    !ospf_redistribute_equal(&a->redistribute_static, &b->redistribute_static) ||
	    !ospf_redistribute_equal(&a->redistribute_bgp, &b->redistribute_bgp))
		return false;
	for (size_t i = 0; i < a->network_count; i++) {
		const struct config_ospf_network *x = &a->networks[i], *y = &b->networks[i];
		if (x->addr != y->addr || x->wildcard != y->wildcard || x->area != y->area ||
		    x->area_dotted != y->area_dotted)
			return false;
	}
	for (size_t i = 0; i < a->passive_count; i++)
		if (strcmp(a->passive[i], b->passive[i]) != 0)
			return false;
	for (size_t i = 0; i < a->area_count; i++)
		if (a->areas[i].area != b->areas[i].area || a->areas[i].auth != b->areas[i].auth ||
		    a->areas[i].area_dotted != b->areas[i].area_dotted)
			return false;
	return true;
}

static bool interface_ospf_equal(const struct config_interface_ospf *a,
                                 const struct config_interface_ospf *b)
{
	return a->cost == b->cost && a->hello_interval == b->hello_interval &&
	       a->dead_interval == b->dead_interval && a->has_priority == b->has_priority &&
	       (!a->has_priority || a->priority == b->priority) && a->network == b->network &&
	       strcmp(a->authentication_key, b->authentication_key) == 0 &&
	       a->md5_key_id == b->md5_key_id && strcmp(a->md5_key, b->md5_key) == 0 &&
	       a->authentication == b->authentication;
}

static bool static_route_equal(const struct config_static_route *a,
                               const struct config_static_route *b)
{
	return prefix_equal(&a->prefix, &b->prefix) && ip_addr_equal(&a->next_hop, &b->next_hop) &&
	       strcmp(a->interface, b->interface) == 0 &&
	       strcmp(a->linux_name, b->linux_name) == 0 && a->distance == b->distance;
}

static bool interface_equal(const struct config_interface *a, const struct config_interface *b)
{
	if (strcmp(a->name, b->name) != 0 || strcmp(a->linux_name, b->linux_name) != 0 ||
	    a->is_loopback != b->is_loopback || strcmp(a->description, b->description) != 0 ||
	    a->shutdown != b->shutdown || a->address_count != b->address_count ||
	    a->rip_no_split_horizon != b->rip_no_split_horizon || a->rip_auth_mode != b->rip_auth_mode ||
	    strcmp(a->rip_auth_key, b->rip_auth_key) != 0 ||
	    !interface_ospf_equal(&a->ospf, &b->ospf))
		return false;
	for (size_t i = 0; i < a->address_count; i++) {
		const struct config_interface_address *x = &a->addresses[i], *y = &b->addresses[i];
		if (!ip_addr_equal(&x->addr, &y->addr) || x->len != y->len ||
		    x->secondary != y->secondary)
			return false;
	}
	return true;
}

bool config_equal(const struct config *a, const struct config *b)
{
	if (strcmp(a->hostname, b->hostname) != 0 || !bgp_equal(&a->bgp, &b->bgp) ||
	    !policy_config_equal(&a->policy, &b->policy) ||
	    !rip_equal(&a->rip, &b->rip) ||
	    !ospf_equal(&a->ospf, &b->ospf) ||
	    a->static_route_count != b->static_route_count ||
	    a->interface_count != b->interface_count)
		return false;
	for (size_t i = 0; i < a->static_route_count; i++) {
		if (!static_route_equal(&a->static_routes[i], &b->static_routes[i]))
			return false;
	}
	for (size_t i = 0; i < a->interface_count; i++) {
		if (!interface_equal(&a->interfaces[i], &b->interfaces[i]))
			return false;
	}
	return true;
}

/* Grows a heap array of count elements by one zeroed element at index at; returns the new
 * array, or NULL (the old one intact) on allocation failure. */
static void *array_insert(void *base, size_t count, size_t size, size_t at)
{
	char *grown = realloc(base, (count + 1) * size);
	if (!grown)
		return NULL;
	memmove(grown + (at + 1) * size, grown + at * size, (count - at) * size);
	memset(grown + at * size, 0, size);
	return grown;
}

/* Removes element at from a heap array of *count elements; returns the array (NULL once
 * empty). */
static void *array_remove(void *base, size_t *count, size_t size, size_t at)
{
	char *bytes = base;
	memmove(bytes + at * size, bytes + (at + 1) * size, (*count - at - 1) * size);
	if (--*count == 0) {
		free(base);
		return NULL;
	}
	return base;
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
		realloc(bgp->neighbors, (bgp->neighbor_count + 1) * sizeof(*grown));
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
		free(bgp->neighbors);
		bgp->neighbors = NULL;
	}
}

uint32_t config_bgp_router_id(const struct config *c)
{
	return c->bgp.has_router_id ? c->bgp.router_id : 0;
}

/* ---- applying one command ---- */

__attribute__((format(printf, 4, 5)))
static bool apply_fail(struct config_apply_result *r, const struct cli_parse *p,
                       const struct cli_value *at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->message, sizeof(r->message), fmt, ap);
	va_end(ap);
	r->mode = p->via_do ? p->next_mode : p->mode;
	r->column = at ? at->column : p->count ? p->values[0].column : 0;
	return false;
}

/* The command's keywords as the table spells them: "router ospf", "ip classless". */
static void command_keywords(const struct cli_parse *p, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < p->count && used < size; i++) {
		if (p->values[i].kind != CLI_KEYWORD)
			continue;
		int n = snprintf(buf + used, size - used, "%s%s", used ? " " : "", p->values[i].name);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

static bool apply_not_supported(const struct cli_parse *p, struct config_apply_result *r)
{
	char words[CONFIG_TEXT_MAX / 2];
	command_keywords(p, words, sizeof(words));
	return apply_fail(r, p, NULL, "%% Not yet supported: %s", words);
}

static bool apply_ignored(const struct cli_parse *p, struct config_apply_result *r, const char *why)
{
	char words[CONFIG_TEXT_MAX / 2];
	command_keywords(p, words, sizeof(words));
	snprintf(r->message, sizeof(r->message), "%% Ignored: %s%s (%s)", p->negated ? "no " : "",
	         words, why);
	return true;
}

/* Copies src into dst of size bytes, cutting it if it does not fit. */
static void text_copy(char *dst, size_t size, const char *src)
{
	size_t len = strnlen(src, size - 1);
	memcpy(dst, src, len);
	dst[len] = '\0';
}

static bool is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* RFC 1123 host name label, as IOS enforces it. */
static bool hostname_valid(const char *name)
{
	size_t len = strlen(name);
	if (len == 0 || len >= CONFIG_NAME_MAX || !is_letter(name[0]))
		return false;
	if (!is_letter(name[len - 1]) && !is_digit(name[len - 1]))
		return false;
	for (size_t i = 0; i < len; i++) {
		if (!is_letter(name[i]) && !is_digit(name[i]) && name[i] != '-')
			return false;
	}
	return true;
}

static bool apply_hostname(struct config *c, const struct cli_parse *p, struct config_apply_result *r)
{
	const struct cli_value *name = cli_arg(p, "HOSTNAME");
	if (p->negated) {
		snprintf(c->hostname, sizeof(c->hostname), "Router");
		return true;
	}
	if (!hostname_valid(name->text))
		return apply_fail(r, p, name, "%% Hostname contains one or more illegal characters.");
	text_copy(c->hostname, sizeof(c->hostname), name->text);
	return true;
}

static bool apply_router_bgp(struct config *c, const struct cli_parse *p, struct config_apply_result *r)
{
	const struct cli_value *asn = cli_arg(p, "ASN");
	struct config_bgp *bgp = &c->bgp;
	if (bgp->enabled && bgp->asn != asn->number) {
		if (p->negated)
			return apply_fail(r, p, asn, "%% No BGP process for AS %u; AS is %u",
			                  asn->number, bgp->asn);
		return apply_fail(r, p, asn, "%% BGP is already running; AS is %u", bgp->asn);
	}
	if (p->negated) {
		config_bgp_reset(bgp);
		return true;
	}
	bgp->enabled = true;
	bgp->asn = asn->number;
	return true;
}

/* RFC 4271 §4.2: a Hold Time is 0 or at least three seconds. */
static bool hold_time_valid(uint32_t hold)
{
	return hold == 0 || hold >= 3;
}

static bool apply_bgp_router_id(struct config_bgp *bgp, const struct cli_parse *p,
                                struct config_apply_result *r)
{
	const struct cli_value *id = cli_arg(p, "ROUTER-ID");
	if (p->negated) {
		bgp->has_router_id = false;
		bgp->router_id = 0;
		return true;
	}
	uint32_t value = ip_addr_v4(&id->addr);
	/* RFC 6286 §2.1: a non-zero 4-octet value; IOS also refuses the broadcast address. */
	if (value == 0 || value == UINT32_MAX)
		return apply_fail(r, p, id, "%% Invalid router-id %s", id->text);
	bgp->has_router_id = true;
	bgp->router_id = value;
	return true;
}

static bool apply_bgp_timers(struct config_bgp *bgp, const struct cli_parse *p,
                             struct config_apply_result *r)
{
	if (p->negated) {
		bgp->has_timers = false;
		bgp->keepalive = CONFIG_DEFAULT_KEEPALIVE;
		bgp->hold_time = CONFIG_DEFAULT_HOLD_TIME;
		return true;
	}
	const struct cli_value *keepalive = cli_arg(p, "KEEPALIVE");
	const struct cli_value *hold = cli_arg(p, "HOLD");
	if (!hold_time_valid(hold->number))
		return apply_fail(r, p, hold, "%% Hold time must be 0 or at least 3 seconds");
	bgp->has_timers = true;
	bgp->keepalive = (uint16_t)keepalive->number;
	bgp->hold_time = (uint16_t)hold->number;
	return true;
}

static bool apply_neighbor_remote_as(struct config_bgp *bgp, const struct cli_parse *p,
                                     struct config_apply_result *r)
{
	const struct cli_value *addr = cli_arg(p, "ADDR");
	struct config_bgp_neighbor *n = config_bgp_neighbor_find(bgp, &addr->addr);
	if (p->negated) {
		if (!n)
			return apply_fail(r, p, addr, "%s", msg_remote_as_first);
		config_bgp_neighbor_remove(bgp, &addr->addr);
		return true;
	}
	if (!n) {
		n = config_bgp_neighbor_add(bgp, &addr->addr);
		if (!n)
			return apply_fail(r, p, addr, "%% Too many neighbors (at most %u)",
			                  CONFIG_BGP_NEIGHBOR_MAX);
	}
	n->remote_as = cli_arg(p, "ASN")->number;
	if (n->route_reflector_client && n->remote_as != bgp->asn) {
		/* Only iBGP neighbours are clients (RFC 4456); the flag would not load again. */
		n->route_reflector_client = false;
		snprintf(r->message, sizeof(r->message),
		         "%% Removed route-reflector-client: %.45s is an eBGP neighbor now",
		         addr->text);
	}
	return true;
}

static bool apply_neighbor_timers(struct config_bgp_neighbor *n, const struct cli_parse *p,
                                  struct config_apply_result *r)
{
	if (p->negated) {
		n->has_timers = false;
		n->keepalive = 0;
		n->hold_time = 0;
		return true;
	}
	const struct cli_value *hold = cli_arg(p, "HOLD");
	if (!hold_time_valid(hold->number))
		return apply_fail(r, p, hold, "%% Hold time must be 0 or at least 3 seconds");
	n->has_timers = true;
	n->keepalive = (uint16_t)cli_arg(p, "KEEPALIVE")->number;
	n->hold_time = (uint16_t)hold->number;
	return true;
}

static bool apply_neighbor_password(struct config_bgp_neighbor *n, const struct cli_parse *p,
                                    struct config_apply_result *r)
{
	const struct cli_value *password = cli_arg(p, "PASSWORD");
	if (p->negated) {
		n->password[0] = '\0';
		return true;
	}
	if (strlen(password->text) > CONFIG_PASSWORD_MAX)
		return apply_fail(r, p, password, "%% Password too long (at most %d characters)",
		                  CONFIG_PASSWORD_MAX);
	text_copy(n->password, sizeof(n->password), password->text);
	return true;
}

static void apply_neighbor_update_source(struct config_bgp_neighbor *n, const struct cli_parse *p)
{
	const struct cli_value *ifname = cli_arg(p, "IFNAME");
	const struct cli_value *source = cli_arg(p, "SOURCE");
	n->update_source_interface[0] = '\0';
	memset(&n->update_source_addr, 0, sizeof(n->update_source_addr));
	if (p->negated)
		return;
	if (ifname)
		text_copy(n->update_source_interface, sizeof(n->update_source_interface), ifname->text);
	else if (source)
		n->update_source_addr = source->addr;
}

static void apply_neighbor_shutdown(struct config_bgp_neighbor *n, const struct cli_parse *p)
{
	const struct cli_value *message = cli_arg(p, "MESSAGE");
	n->shutdown = !p->negated;
	text_copy(n->shutdown_message, sizeof(n->shutdown_message),
	          !p->negated && message ? message->text : "");
}

/* neighbor A maximum-prefix MAX [THRESHOLD] [warning-only | restart MINUTES] (IOS); the no
 * form, with or without the numbers, removes the limit. */
static void apply_neighbor_maximum_prefix(struct config_bgp_neighbor *n, const struct cli_parse *p)
{
	const struct cli_value *max = cli_arg(p, "MAXPFX");
	const struct cli_value *threshold = cli_arg(p, "THRESHOLD");
	const struct cli_value *restart = cli_arg(p, "RESTART-MINUTES");
	n->maximum_prefix = p->negated ? 0 : (uint32_t)max->number;
	n->maximum_prefix_threshold =
		p->negated ? 0 : threshold ? (uint8_t)threshold->number : CONFIG_DEFAULT_MAXPFX_THRESHOLD;
	n->maximum_prefix_warning_only = !p->negated && cli_has(p, "warning-only");
	n->maximum_prefix_restart = !p->negated && restart ? (uint16_t)restart->number : 0;
}

/* Neighbour settings other than remote-as: the neighbour must exist. */
static bool apply_neighbor_setting(struct config_bgp *bgp, const struct cli_parse *p,
                                   struct config_apply_result *r)
{
	const struct cli_value *addr = cli_arg(p, "ADDR");
	struct config_bgp_neighbor *n = config_bgp_neighbor_find(bgp, &addr->addr);
	if (!n)
		return apply_fail(r, p, addr, "%s", msg_remote_as_first);
	const struct cli_value *value;
	switch (p->cmd) {
	case CLI_CMD_NEIGHBOR:
		config_bgp_neighbor_remove(bgp, &addr->addr);
		return true;
	case CLI_CMD_NEIGHBOR_DESCRIPTION:
		value = cli_arg(p, "DESCRIPTION");
		text_copy(n->description, sizeof(n->description), !p->negated && value ? value->text : "");
		return true;
	case CLI_CMD_NEIGHBOR_UPDATE_SOURCE:
		apply_neighbor_update_source(n, p);
		return true;
	case CLI_CMD_NEIGHBOR_EBGP_MULTIHOP:
		if (!p->negated && n->ttl_security_hops)
			return apply_fail(r, p, NULL, "%s", msg_ttl_security_multihop);
		value = cli_arg(p, "TTL");
		n->ebgp_multihop = !p->negated;
		n->ebgp_multihop_ttl = p->negated ? 0 : value ? (uint8_t)value->number : 255;
		return true;
	case CLI_CMD_NEIGHBOR_DISABLE_CONNECTED_CHECK:
		n->disable_connected_check = !p->negated;
		return true;
	case CLI_CMD_NEIGHBOR_TTL_SECURITY:
		/* RFC 5082 §3 replaces the multihop TTL: IOS refuses the two together */
		if (!p->negated && n->ebgp_multihop)
			return apply_fail(r, p, NULL, "%s", msg_ttl_security_multihop);
		value = cli_arg(p, "HOPS");
		n->ttl_security_hops = !p->negated && value ? (uint8_t)value->number : 0;
		return true;
	case CLI_CMD_NEIGHBOR_TIMERS:
		return apply_neighbor_timers(n, p, r);
	case CLI_CMD_NEIGHBOR_TIMERS_CONNECT:
		value = cli_arg(p, "CONNECT-RETRY");
		n->connect_retry = !p->negated && value ? (uint16_t)value->number : 0;
		return true;
	case CLI_CMD_NEIGHBOR_PASSWORD:
		return apply_neighbor_password(n, p, r);
	case CLI_CMD_NEIGHBOR_SHUTDOWN:
		apply_neighbor_shutdown(n, p);
		return true;
	case CLI_CMD_NEIGHBOR_PASSIVE:
		n->passive = !p->negated;
		return true;
	case CLI_CMD_NEIGHBOR_NEXT_HOP_SELF:
		n->next_hop_self = !p->negated;
		return true;
	case CLI_CMD_NEIGHBOR_ROUTE_REFLECTOR_CLIENT:
		if (!p->negated && n->remote_as != bgp->asn)
			return apply_fail(r, p, addr, "%% Invalid command for an eBGP neighbor");
		n->route_reflector_client = !p->negated;
		return true;
	case CLI_CMD_NEIGHBOR_ALLOWAS_IN:
		value = cli_arg(p, "ALLOWAS");
		n->allowas_in = p->negated ? 0 : value ? (uint8_t)value->number : CONFIG_DEFAULT_ALLOWAS_IN;
		return true;
	case CLI_CMD_NEIGHBOR_SOFT_RECONFIGURATION:
		n->soft_reconfiguration_inbound = !p->negated;
		return true;
	case CLI_CMD_NEIGHBOR_ROUTE_MAP:
	case CLI_CMD_NEIGHBOR_PREFIX_LIST:
		config_policy_neighbor(n, p);
		return true;
	case CLI_CMD_NEIGHBOR_ENFORCE_FIRST_AS:
		n->enforce_first_as = p->negated ? CONFIG_FIRST_AS_IGNORE : CONFIG_FIRST_AS_ENFORCE;
		return true;
	case CLI_CMD_NEIGHBOR_MAXIMUM_PREFIX:
		apply_neighbor_maximum_prefix(n, p);
		return true;
	case CLI_CMD_NEIGHBOR_ACTIVATE:
		if (p->negated)
			return apply_not_supported(p, r);
		return apply_ignored(p, r, "IPv4 unicast is always active");
	default:
		return apply_fail(r, p, NULL, "%% Not a neighbor command");
	}
}

/* ---- prefixes and masks ---- */

/* The length of a contiguous IPv4 mask; false for 255.0.255.0 and the like. */
static bool mask_length(uint32_t mask, uint8_t *len)
{
	uint32_t inverted = ~mask;
	if ((inverted & (inverted + 1)) != 0)
		return false;
	uint8_t n = 0;
	while (n < 32 && (mask & (0x80000000u >> n)))
		n++;
	*len = n;
	return true;
}

static uint32_t length_mask(uint8_t len)
{
	return len == 0 ? 0 : len >= 32 ? UINT32_MAX : ~(UINT32_MAX >> len);
}

/* addr/len with the host bits cleared. */
static struct config_prefix prefix_make(const struct ip_addr *addr, uint8_t len)
{
	struct config_prefix p = { .family = addr->family, .len = len };
	size_t size = addr->family == AF_INET6 ? 16 : 4;
	memcpy(p.addr, addr->bytes, size);
	for (size_t bit = len; bit < size * 8; bit++)
		p.addr[bit / 8] &= (uint8_t)~(0x80u >> (bit % 8));
	return p;
}

static bool prefix_has_host_bits(const struct ip_addr *addr, uint8_t len)
{
	struct config_prefix p = prefix_make(addr, len);
	return memcmp(p.addr, addr->bytes, prefix_size(&p)) != 0;
}

/* The classful length IOS implies for `network A.B.C.D` (0.0.0.0: the default route), or -1
 * for class D and E. */
static int classful_length(uint32_t addr)
{
	if (addr == 0)
		return 0;
	if (addr < 0x80000000u)
		return 8;
	if (addr < 0xc0000000u)
		return 16;
	if (addr < 0xe0000000u)
		return 24;
	return -1;
}

/* NETWORK [MASK] of a command: the prefix with host bits cleared (IOS normalises). */
static bool network_and_mask(const struct cli_parse *p, struct config_apply_result *r,
                             bool classful, struct config_prefix *out)
{
	const struct cli_value *network = cli_arg(p, "NETWORK");
	const struct cli_value *mask = cli_arg(p, "MASK");
	uint8_t len;
	if (mask) {
		if (!mask_length(ip_addr_v4(&mask->addr), &len))
			return apply_fail(r, p, mask, "%s", msg_inconsistent_mask);
	} else {
		int implied = classful ? classful_length(ip_addr_v4(&network->addr)) : -1;
		if (implied < 0)
			return apply_fail(r, p, network, "%% %s is not a classful network: give its mask",
			                  network->text);
		len = (uint8_t)implied;
	}
	*out = prefix_make(&network->addr, len);
	return true;
}

/* ---- router bgp: networks, aggregates, redistribution ---- */

static size_t network_position(const struct config_bgp *bgp, const struct config_prefix *key,
                               bool *found)
{
	size_t i = 0;
	while (i < bgp->network_count && prefix_compare(&bgp->networks[i], key) < 0)
		i++;
	*found = i < bgp->network_count && prefix_equal(&bgp->networks[i], key);
	return i;
}

static bool apply_bgp_network(struct config_bgp *bgp, const struct cli_parse *p,
                              struct config_apply_result *r)
{
	struct config_prefix prefix;
	if (!network_and_mask(p, r, true, &prefix))
		return false;
	bool found;
	size_t i = network_position(bgp, &prefix, &found);
	if (p->negated) {
		if (found)
			bgp->networks = array_remove(bgp->networks, &bgp->network_count,
			                             sizeof(bgp->networks[0]), i);
		return true;
	}
	if (found)
		return true;
	if (bgp->network_count >= CONFIG_PREFIX_MAX)
		return apply_fail(r, p, NULL, "%% Too many networks (at most %u)", CONFIG_PREFIX_MAX);
	struct config_prefix *grown = array_insert(bgp->networks, bgp->network_count,
	                                           sizeof(*grown), i);
	if (!grown)
		return apply_fail(r, p, NULL, "%% Out of memory");
	bgp->networks = grown;
	bgp->network_count++;
	grown[i] = prefix;
	return true;
}

static bool apply_bgp_aggregate(struct config_bgp *bgp, const struct cli_parse *p,
                                struct config_apply_result *r)
{
	struct config_prefix prefix;
	if (!network_and_mask(p, r, false, &prefix))
		return false;
	size_t i = 0;
	while (i < bgp->aggregate_count && prefix_compare(&bgp->aggregates[i].prefix, &prefix) < 0)
		i++;
	bool found = i < bgp->aggregate_count && prefix_equal(&bgp->aggregates[i].prefix, &prefix);
	if (p->negated) {
		if (found)
			bgp->aggregates = array_remove(bgp->aggregates, &bgp->aggregate_count,
			                               sizeof(bgp->aggregates[0]), i);
		return true;
	}
	if (!found) {
		if (bgp->aggregate_count >= CONFIG_PREFIX_MAX)
			return apply_fail(r, p, NULL, "%% Too many aggregates (at most %u)",
			                  CONFIG_PREFIX_MAX);
		struct config_bgp_aggregate *grown = array_insert(bgp->aggregates, bgp->aggregate_count,
		                                                  sizeof(*grown), i);
		if (!grown)
			return apply_fail(r, p, NULL, "%% Out of memory");
		bgp->aggregates = grown;
		bgp->aggregate_count++;
	}
	/* A second aggregate-address for one prefix replaces the first, as IOS. */
	bgp->aggregates[i] = (struct config_bgp_aggregate){ .prefix = prefix,
	                                                    .summary_only = cli_has(p, "summary-only"),
	                                                    .as_set = cli_has(p, "as-set") };
	return true;
}

static bool apply_bgp_redistribute(struct config_bgp *bgp, const struct cli_parse *p,
                                   struct config_apply_result *r)
{
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
		return apply_not_supported(p, r);
	*which = (struct config_redistribute){ 0 };
	if (p->negated)
		return true;
	which->enabled = true;
	which->has_metric = metric != NULL;
	which->metric = metric ? metric->number : 0;
	return true;
}

static bool apply_bgp_cluster_id(struct config_bgp *bgp, const struct cli_parse *p,
                                 struct config_apply_result *r)
{
	if (p->negated) {
		bgp->cluster_id = 0;
		return true;
	}
	const struct cli_value *id = cli_arg(p, "CLUSTER-ID");
	const struct cli_value *number = cli_arg(p, "CLUSTER-NUMBER");
	uint32_t value = id ? ip_addr_v4(&id->addr) : number->number;
	if (value == 0)
		return apply_fail(r, p, id, "%% Invalid cluster-id %s", id->text);
	bgp->cluster_id = value;
	return true;
}

static bool apply_router_bgp_mode(struct config *c, const struct cli_parse *p,
                                  struct config_apply_result *r)
{
	struct config_bgp *bgp = &c->bgp;
	if (!bgp->enabled)
		return apply_fail(r, p, NULL, "%% BGP is not running");
	switch (p->cmd) {
	case CLI_CMD_BGP_ROUTER_ID:
		return apply_bgp_router_id(bgp, p, r);
	case CLI_CMD_BGP_TIMERS:
		return apply_bgp_timers(bgp, p, r);
	case CLI_CMD_BGP_SYNCHRONIZATION:
		return apply_ignored(p, r, "Tern never synchronizes BGP with the IGP");
	case CLI_CMD_BGP_AUTO_SUMMARY:
		return apply_ignored(p, r, "Tern never summarizes to classful networks");
	case CLI_CMD_NEIGHBOR_REMOTE_AS:
		return apply_neighbor_remote_as(bgp, p, r);
	case CLI_CMD_BGP_NETWORK:
		return apply_bgp_network(bgp, p, r);
	case CLI_CMD_BGP_AGGREGATE:
		return apply_bgp_aggregate(bgp, p, r);
	case CLI_CMD_BGP_REDISTRIBUTE:
		return apply_bgp_redistribute(bgp, p, r);
	case CLI_CMD_BGP_CLUSTER_ID:
		return apply_bgp_cluster_id(bgp, p, r);
	case CLI_CMD_BGP_ALWAYS_COMPARE_MED:
		bgp->always_compare_med = !p->negated;
		return true;
	case CLI_CMD_BGP_EBGP_REQUIRES_POLICY:
		bgp->ebgp_requires_policy = !p->negated;
		return true;
	case CLI_CMD_BGP_ENFORCE_FIRST_AS:
		bgp->no_enforce_first_as = p->negated;
		return true;
	case CLI_CMD_BGP_LOG_NEIGHBOR_CHANGES:
		return apply_ignored(p, r, "Tern always logs neighbor changes");
	case CLI_CMD_BGP_ADDRESS_FAMILY:
	case CLI_CMD_BGP_EXIT_ADDRESS_FAMILY:
		return apply_ignored(p, r, "IPv4 unicast settings go straight under router bgp");
	default:
		return apply_neighbor_setting(bgp, p, r);
	}
}

/* ---- router ospf ---- */

static bool interface_name(const struct cli_value *v, struct ifname *out);

static bool apply_router_ospf(struct config *c, const struct cli_parse *p, struct config_apply_result *r)
{
	const struct cli_value *id = cli_arg(p, "PROCESS-ID");
	struct config_ospf *ospf = &c->ospf;
	if (ospf->enabled && ospf->process != id->number) {
		if (p->negated)
			return apply_fail(r, p, id, "%% No OSPF process %u; the process is %u", id->number,
			                  ospf->process);
		return apply_fail(r, p, id, "%% Only one OSPF process is supported (process %u is configured)",
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

static bool area_of(const struct cli_parse *p, uint32_t *area, bool *dotted)
{
	const struct cli_value *number = cli_arg(p, "AREA");
	const struct cli_value *dotted_id = cli_arg(p, "AREA-ID");
	*dotted = dotted_id != NULL;
	*area = number ? number->number : ip_addr_v4(&dotted_id->addr);
	return true;
}

static bool apply_ospf_network(struct config_ospf *ospf, const struct cli_parse *p, struct config_apply_result *r)
{
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
			return apply_fail(r, p, NULL, "%% OSPF: Unknown network area entry");
		memmove(&ospf->networks[at], &ospf->networks[at + 1],
		        (ospf->network_count - at - 1) * sizeof(ospf->networks[0]));
		ospf->network_count--;
		return true;
	}
	if (at != SIZE_MAX) {
		if (ospf->networks[at].area != n.area)
			return apply_fail(r, p, NULL, "%% OSPF: \"network %s %s area %u\" is already configured in "
			                  "another area", cli_arg(p, "NETWORK")->text, cli_arg(p, "WILDCARD")->text,
			                  ospf->networks[at].area);
		ospf->networks[at] = n;
		return true;
	}
	if (ospf->network_count >= CONFIG_OSPF_NETWORK_MAX)
		return apply_fail(r, p, NULL, "%% Too many OSPF networks (at most %u)", CONFIG_OSPF_NETWORK_MAX);
	ospf->networks[ospf->network_count++] = n;
	return true;
}

static bool apply_ospf_passive(struct config_ospf *ospf, const struct cli_parse *p, struct config_apply_result *r)
{
	if (cli_has(p, "default")) {
		ospf->passive_default = !p->negated;
		ospf->passive_count = 0;
		return true;
	}
	struct ifname n;
	const struct cli_value *v = cli_arg(p, "IFNAME");
	if (!interface_name(v, &n))
		return apply_fail(r, p, v, "%s", msg_invalid_input);
	/* listed: passive (or, under passive-interface default, the exceptions) */
	bool list = ospf->passive_default ? p->negated : !p->negated;
	size_t at = SIZE_MAX;
	for (size_t i = 0; i < ospf->passive_count; i++)
		if (strcmp(ospf->passive[i], n.ios_name) == 0)
			at = i;
	if (list && at == SIZE_MAX) {
		if (ospf->passive_count >= CONFIG_OSPF_PASSIVE_MAX)
			return apply_fail(r, p, NULL, "%% Too many passive interfaces");
		text_copy(ospf->passive[ospf->passive_count++], CONFIG_NAME_MAX, n.ios_name);
	} else if (!list && at != SIZE_MAX) {
		memmove(&ospf->passive[at], &ospf->passive[at + 1], (ospf->passive_count - at - 1) * CONFIG_NAME_MAX);
		ospf->passive_count--;
	}
	return true;
}

static bool apply_ospf_redistribute(struct config_ospf *ospf, const struct cli_parse *p)
{
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

static bool apply_ospf_area_auth(struct config_ospf *ospf, const struct cli_parse *p, struct config_apply_result *r)
{
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
			return apply_fail(r, p, NULL, "%% Too many OSPF areas (at most %u)", CONFIG_OSPF_AREA_MAX);
		at = ospf->area_count++;
	}
	ospf->areas[at] = (struct config_ospf_area){ area, dotted, (uint8_t)(cli_has(p, "message-digest") ? 2 : 1) };
	return true;
}

static bool apply_router_ospf_mode(struct config *c, const struct cli_parse *p, struct config_apply_result *r)
{
	struct config_ospf *ospf = &c->ospf;
	if (!ospf->enabled)
		return apply_fail(r, p, NULL, "%% OSPF is not running");
	const struct cli_value *v;
	switch (p->cmd) {
	case CLI_CMD_OSPF_NETWORK:
		return apply_ospf_network(ospf, p, r);
	case CLI_CMD_OSPF_ROUTER_ID:
		v = cli_arg(p, "ROUTER-ID");
		if (!p->negated && ip_addr_v4(&v->addr) == 0)
			return apply_fail(r, p, v, "%% OSPF: Invalid router ID 0.0.0.0");
		ospf->has_router_id = !p->negated;
		ospf->router_id = p->negated ? 0 : ip_addr_v4(&v->addr);
		return true;
	case CLI_CMD_OSPF_PASSIVE:
		return apply_ospf_passive(ospf, p, r);
	case CLI_CMD_OSPF_REDISTRIBUTE:
		return apply_ospf_redistribute(ospf, p);
	case CLI_CMD_OSPF_DEFAULT_INFORMATION:
		ospf->default_information_originate = !p->negated;
		return true;
	case CLI_CMD_OSPF_AREA_AUTH:
		return apply_ospf_area_auth(ospf, p, r);
	case CLI_CMD_OSPF_AUTO_COST:
		v = cli_arg(p, "BANDWIDTH");
		ospf->reference_bandwidth = p->negated || !v ? 0 : v->number;
		return true;
	case CLI_CMD_OSPF_LOG_ADJACENCY:
		return apply_ignored(p, r, "Tern always logs adjacency changes");
	default:
		return apply_fail(r, p, NULL, "%% Not an OSPF command");
	}
}

/* ip ospf ... under an interface */
static bool apply_if_ospf(struct config_interface *ifc, const struct cli_parse *p, struct config_apply_result *r)
{
	struct config_interface_ospf *o = &ifc->ospf;
	const struct cli_value *v;
	if (cli_has(p, "cost")) {
		v = cli_arg(p, "COST");
		o->cost = p->negated || !v ? 0 : (uint16_t)v->number;
	} else if (cli_has(p, "hello-interval")) {
		v = cli_arg(p, "HELLO-INTERVAL");
		o->hello_interval = p->negated || !v ? 0 : (uint16_t)v->number;
	} else if (cli_has(p, "dead-interval")) {
		v = cli_arg(p, "DEAD-INTERVAL");
		o->dead_interval = p->negated || !v ? 0 : v->number;
	} else if (cli_has(p, "priority")) {
		v = cli_arg(p, "PRIORITY");
		o->has_priority = !p->negated && v;
		o->priority = o->has_priority ? (uint8_t)v->number : 0;
	} else if (cli_has(p, "network")) {
		o->network = p->negated ? CONFIG_OSPF_NET_DEFAULT
		           : cli_has(p, "point-to-point") ? CONFIG_OSPF_NET_P2P : CONFIG_OSPF_NET_BROADCAST;
	} else if (cli_has(p, "authentication")) {
		o->authentication = p->negated ? 0 : cli_has(p, "message-digest") ? 2 : cli_has(p, "null") ? 3 : 1;
	} else if (cli_has(p, "authentication-key")) {
		v = cli_arg(p, "OSPF-KEY");
		text_copy(o->authentication_key, sizeof(o->authentication_key), p->negated || !v ? "" : v->text);
	} else if (cli_has(p, "message-digest-key")) {
		v = cli_arg(p, "KEY-ID");
		const struct cli_value *key = cli_arg(p, "MD5-KEY");
		if (p->negated) {
			if (o->md5_key_id == v->number) {
				o->md5_key_id = 0;
				o->md5_key[0] = '\0';
			}
		} else {
			o->md5_key_id = (uint8_t)v->number;
			text_copy(o->md5_key, sizeof(o->md5_key), key->text);
		}
	} else {
		return apply_fail(r, p, NULL, "%s", msg_invalid_input);
	}
	return true;
}

/* ---- static routes ---- */

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

/* An interface as typed in a command: false (invalid input at the word) if it is no name. */
static bool interface_name(const struct cli_value *v, struct ifname *out)
{
	return ifname_parse(v->text, out) && strlen(out->ios_name) < CONFIG_NAME_MAX;
}

static bool next_hop_valid(const struct ip_addr *a)
{
	if (ip_addr_is_v4(a)) {
		uint32_t v = ip_addr_v4(a);
		return v != 0 && (v >> 24) != 127 && v < 0xe0000000u;
	}
	static const uint8_t loopback[16] = { [15] = 1 };
	static const uint8_t unspecified[16] = { 0 };
	return a->bytes[0] != 0xff && memcmp(a->bytes, loopback, 16) != 0 &&
	       memcmp(a->bytes, unspecified, 16) != 0;
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
		if (!mask_length(ip_addr_v4(&mask->addr), &len))
			return apply_fail(r, p, mask, "%s", msg_inconsistent_mask);
		if (prefix_has_host_bits(&network->addr, len))
			return apply_fail(r, p, network, "%s", msg_inconsistent_mask);
		route->prefix = prefix_make(&network->addr, len);
	}
	const struct cli_value *ifname = cli_arg(p, "IFNAME");
	const struct cli_value *next_hop = cli_arg(p, v6 ? "IPV6-NEXTHOP" : "NEXTHOP");
	const struct cli_value *distance = cli_arg(p, "DISTANCE");
	if (ifname) {
		struct ifname n;
		if (!interface_name(ifname, &n))
			return apply_fail(r, p, ifname, "%s", msg_invalid_input);
		text_copy(route->interface, sizeof(route->interface), n.ios_name);
		text_copy(route->linux_name, sizeof(route->linux_name), n.linux_name);
	}
	if (next_hop) {
		if (!next_hop_valid(&next_hop->addr))
			return apply_fail(r, p, next_hop, "%% Invalid next hop address");
		if (is_link_local(&next_hop->addr) && !ifname)
			return apply_fail(r, p, next_hop,
			                  "%% Interface has to be specified for a link-local nexthop");
		route->next_hop = next_hop->addr;
	}
	route->distance = distance ? (uint8_t)distance->number : 1;
	return true;
}

static bool apply_static_route(struct config *c, const struct cli_parse *p,
                               struct config_apply_result *r)
{
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
				c->static_routes = array_remove(c->static_routes, &c->static_route_count,
				                                sizeof(c->static_routes[0]), first);
				removed++;
			}
			return removed ? true : apply_fail(r, p, NULL, "%s", msg_no_route);
		}
		if (!found)
			return apply_fail(r, p, NULL, "%s", msg_no_route);
		c->static_routes = array_remove(c->static_routes, &c->static_route_count,
		                                sizeof(c->static_routes[0]), i);
		return true;
	}
	if (!found) {
		if (c->static_route_count >= CONFIG_PREFIX_MAX)
			return apply_fail(r, p, NULL, "%% Too many static routes (at most %u)",
			                  CONFIG_PREFIX_MAX);
		struct config_static_route *grown = array_insert(c->static_routes, c->static_route_count,
		                                                 sizeof(*grown), i);
		if (!grown)
			return apply_fail(r, p, NULL, "%% Out of memory");
		c->static_routes = grown;
		c->static_route_count++;
	}
	c->static_routes[i] = route; /* the same route again: the new distance, as IOS */
	return true;
}

/* ---- interfaces ---- */

/* Compares names so that numbers compare as numbers: FastEthernet0/2 < FastEthernet0/10. */
static int natural_compare(const char *a, const char *b)
{
	while (*a && *b) {
		if (is_digit(*a) && is_digit(*b)) {
			while (*a == '0' && is_digit(a[1]))
				a++;
			while (*b == '0' && is_digit(b[1]))
				b++;
			size_t la = 0, lb = 0;
			while (is_digit(a[la]))
				la++;
			while (is_digit(b[lb]))
				lb++;
			if (la != lb)
				return la < lb ? -1 : 1;
			int cmp = strncmp(a, b, la);
			if (cmp)
				return cmp;
			a += la;
			b += lb;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return *a ? 1 : *b ? -1 : 0;
}

/* IOS lists loopbacks first, then the other IOS names; Linux names come last. */
static int interface_rank(const struct config_interface *i)
{
	return i->is_loopback ? 0 : strcmp(i->name, i->linux_name) != 0 ? 1 : 2;
}

static int interface_compare(const struct config_interface *a, const struct config_interface *b)
{
	int ra = interface_rank(a), rb = interface_rank(b);
	if (ra != rb)
		return ra < rb ? -1 : 1;
	int cmp = natural_compare(a->name, b->name);
	return cmp ? cmp : strcmp(a->name, b->name);
}

/* The entry for a parsed name: an IOS loopback by its name, anything else by its Linux name
 * (f0/0 and f0-0 are one interface). */
static struct config_interface *interface_lookup(struct config *c, const struct ifname *n)
{
	bool loopback = n->is_ios && n->is_loopback;
	for (size_t i = 0; i < c->interface_count; i++) {
		struct config_interface *ifc = &c->interfaces[i];
		if (loopback ? strcmp(ifc->name, n->ios_name) == 0
		             : !ifc->is_loopback && strcmp(ifc->linux_name, n->linux_name) == 0)
			return ifc;
	}
	return NULL;
}

struct config_interface *config_interface_find(struct config *c, const char *name)
{
	struct ifname n;
	return ifname_parse(name, &n) ? interface_lookup(c, &n) : NULL;
}

static void interface_from_name(const struct ifname *n, struct config_interface *out)
{
	memset(out, 0, sizeof(*out));
	text_copy(out->name, sizeof(out->name), n->ios_name);
	text_copy(out->linux_name, sizeof(out->linux_name), n->linux_name);
	out->is_loopback = n->is_ios && n->is_loopback;
}

/* Stores ifc (new or changed) at its sorted place, replacing the entry of the same name. */
static bool interface_store(struct config *c, const struct config_interface *ifc)
{
	for (size_t i = 0; i < c->interface_count; i++) {
		if (strcmp(c->interfaces[i].name, ifc->name) == 0) {
			c->interfaces[i] = *ifc;
			return true;
		}
	}
	if (c->interface_count >= CONFIG_INTERFACE_MAX)
		return false;
	size_t at = 0;
	while (at < c->interface_count && interface_compare(&c->interfaces[at], ifc) < 0)
		at++;
	struct config_interface *grown = array_insert(c->interfaces, c->interface_count,
	                                              sizeof(*grown), at);
	if (!grown)
		return false;
	c->interfaces = grown;
	c->interface_count++;
	grown[at] = *ifc;
	return true;
}

static bool apply_interface(struct config *c, const struct cli_parse *p,
                            struct config_apply_result *r, char *entered)
{
	const struct cli_value *name = cli_arg(p, "IFNAME");
	struct ifname n;
	if (!interface_name(name, &n))
		return apply_fail(r, p, name, "%s", msg_invalid_input);
	struct config_interface *ifc = interface_lookup(c, &n);
	if (p->negated) {
		/* Tern's `no interface`: forget its configuration (addresses leave the kernel). */
		if (ifc)
			c->interfaces = array_remove(c->interfaces, &c->interface_count,
			                             sizeof(c->interfaces[0]),
			                             (size_t)(ifc - c->interfaces));
		return true;
	}
	if (!ifc) {
		struct config_interface fresh;
		interface_from_name(&n, &fresh);
		if (!interface_store(c, &fresh))
			return apply_fail(r, p, name, "%% Too many interfaces (at most %u)",
			                  CONFIG_INTERFACE_MAX);
		ifc = interface_lookup(c, &n);
	}
	text_copy(entered, CONFIG_NAME_MAX, ifc->name);
	return true;
}

static size_t v4_address_count(const struct config_interface *ifc)
{
	size_t n = 0;
	while (n < ifc->address_count && ip_addr_is_v4(&ifc->addresses[n].addr))
		n++;
	return n;
}

static void address_remove(struct config_interface *ifc, size_t at)
{
	memmove(&ifc->addresses[at], &ifc->addresses[at + 1],
	        (ifc->address_count - at - 1) * sizeof(ifc->addresses[0]));
	ifc->address_count--;
}

static bool address_insert(struct config_interface *ifc, size_t at,
                           const struct config_interface_address *a)
{
	if (ifc->address_count >= CONFIG_INTERFACE_ADDRESSES_MAX)
		return false;
	memmove(&ifc->addresses[at + 1], &ifc->addresses[at],
	        (ifc->address_count - at) * sizeof(ifc->addresses[0]));
	ifc->addresses[at] = *a;
	ifc->address_count++;
	return true;
}

static bool subnets_overlap(const struct config_interface_address *a,
                            const struct config_interface_address *b)
{
	uint8_t len = a->len < b->len ? a->len : b->len;
	uint32_t mask = length_mask(len);
	return (ip_addr_v4(&a->addr) & mask) == (ip_addr_v4(&b->addr) & mask);
}

/* IOS refuses an IPv4 subnet that overlaps one of any interface; skip is the address of ifc
 * the new one replaces (SIZE_MAX: none). */
static bool address_overlaps(const struct config *c, const struct config_interface *ifc,
                             const struct config_interface_address *a, size_t skip,
                             const char **with)
{
	for (size_t i = 0; i < c->interface_count; i++) {
		const struct config_interface *other = &c->interfaces[i];
		if (strcmp(other->name, ifc->name) == 0)
			continue; /* ifc itself is checked below, as it is being changed */
		for (size_t k = 0; k < other->address_count; k++) {
			if (ip_addr_is_v4(&other->addresses[k].addr) &&
			    subnets_overlap(a, &other->addresses[k])) {
				*with = other->name;
				return true;
			}
		}
	}
	for (size_t k = 0; k < v4_address_count(ifc); k++) {
		if (k != skip && subnets_overlap(a, &ifc->addresses[k])) {
			*with = ifc->name;
			return true;
		}
	}
	return false;
}

static bool apply_if_ip_address(const struct config *c, struct config_interface *ifc,
                                const struct cli_parse *p, struct config_apply_result *r)
{
	const struct cli_value *addr = cli_arg(p, "IP-ADDRESS");
	const struct cli_value *mask = cli_arg(p, "MASK");
	bool secondary = cli_has(p, "secondary");
	size_t v4 = v4_address_count(ifc);
	if (p->negated && !addr) {
		while (v4--) /* no ip address: every IPv4 address */
			address_remove(ifc, 0);
		return true;
	}
	uint32_t mask_value = ip_addr_v4(&mask->addr);
	struct config_interface_address a = { .addr = addr->addr, .secondary = secondary };
	if (!mask_length(mask_value, &a.len))
		return apply_fail(r, p, mask, "%% Bad mask 0x%08X for address %s", (unsigned)mask_value,
		                  addr->text);
	bool has_primary = v4 > 0 && !ifc->addresses[0].secondary;
	size_t same = SIZE_MAX; /* this very address, in the same role */
	for (size_t k = 0; k < v4; k++) {
		const struct config_interface_address *x = &ifc->addresses[k];
		if (ip_addr_equal(&x->addr, &a.addr) && x->len == a.len && x->secondary == secondary)
			same = k;
	}
	if (p->negated) {
		if (same == SIZE_MAX)
			return apply_fail(r, p, addr, "%% Address %s not configured on %s", addr->text,
			                  ifc->name);
		if (!secondary && v4 > 1)
			return apply_fail(r, p, addr, "%% Must delete secondary before deleting primary");
		address_remove(ifc, same);
		return true;
	}
	uint32_t host = ip_addr_v4(&addr->addr);
	if ((host >> 24) == 0 || (host >> 24) == 127 || host >= 0xe0000000u)
		return apply_fail(r, p, addr, "%% Not a valid host address - %s", addr->text);
	uint32_t host_bits = host & ~length_mask(a.len);
	if (a.len == 0 || (a.len <= 30 && (host_bits == 0 || host_bits == ~length_mask(a.len))))
		return apply_fail(r, p, addr, "%% Bad mask /%u for address %s", a.len, addr->text);
	if (same != SIZE_MAX)
		return true; /* typed again */
	const char *with;
	size_t replaced = !secondary && has_primary ? 0 : SIZE_MAX;
	if (address_overlaps(c, ifc, &a, replaced, &with)) {
		char network[16];
		return apply_fail(r, p, addr, "%% %s overlaps with %s",
		                  ipv4_format(host & length_mask(a.len), network), with);
	}
	if (replaced == 0) {
		ifc->addresses[0] = a; /* a second primary replaces the first, as IOS */
		return true;
	}
	if (!address_insert(ifc, secondary ? v4 : 0, &a))
		return apply_fail(r, p, addr, "%% Too many addresses on %s (at most %d)", ifc->name,
		                  CONFIG_INTERFACE_ADDRESSES_MAX);
	return true;
}

static bool apply_if_ipv6_address(const struct config *c, struct config_interface *ifc,
                                  const struct cli_parse *p, struct config_apply_result *r)
{
	const struct cli_value *prefix = cli_arg(p, "IPV6-PREFIX");
	size_t v4 = v4_address_count(ifc);
	if (p->negated && !prefix) {
		ifc->address_count = v4; /* no ipv6 address: every IPv6 address */
		return true;
	}
	struct config_interface_address a = { .addr = prefix->addr, .len = prefix->prefix_len };
	size_t same = SIZE_MAX;
	for (size_t k = v4; k < ifc->address_count; k++) {
		if (ip_addr_equal(&ifc->addresses[k].addr, &a.addr))
			same = k;
	}
	if (p->negated) {
		if (same == SIZE_MAX || ifc->addresses[same].len != a.len)
			return apply_fail(r, p, prefix, "%% Address %s not configured on %s", prefix->text,
			                  ifc->name);
		address_remove(ifc, same);
		return true;
	}
	if (!next_hop_valid(&a.addr))
		return apply_fail(r, p, prefix, "%% Not a valid IPv6 unicast address - %s", prefix->text);
	if (a.len == 0)
		return apply_fail(r, p, prefix, "%% Bad prefix length /0 for address %s", prefix->text);
	for (size_t i = 0; i < c->interface_count; i++) {
		const struct config_interface *other = &c->interfaces[i];
		if (strcmp(other->name, ifc->name) == 0)
			continue;
		for (size_t k = 0; k < other->address_count; k++) {
			if (ip_addr_equal(&other->addresses[k].addr, &a.addr))
				return apply_fail(r, p, prefix, "%% %s is already configured on %s",
				                  prefix->text, other->name);
		}
	}
	if (same != SIZE_MAX) {
		ifc->addresses[same].len = a.len; /* the same address with a new length */
		return true;
	}
	if (!address_insert(ifc, ifc->address_count, &a))
		return apply_fail(r, p, prefix, "%% Too many addresses on %s (at most %d)", ifc->name,
		                  CONFIG_INTERFACE_ADDRESSES_MAX);
	return true;
}

/* ---- router rip ---- */

static bool apply_rip_network(struct config_rip *rip, const struct cli_parse *p,
                              struct config_apply_result *r)
{
	/* IOS: `network 10.1.2.0` under router rip means the classful network 10.0.0.0/8 */
	const struct cli_value *network = cli_arg(p, "NETWORK");
	int len = classful_length(ip_addr_v4(&network->addr));
	if (len <= 0)
		return apply_fail(r, p, network, "%% Invalid network %s", network->text);
	struct config_prefix prefix = prefix_make(&network->addr, (uint8_t)len);
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
		return apply_fail(r, p, NULL, "%% Too many networks (at most %u)", CONFIG_RIP_NETWORK_MAX);
	memmove(&rip->networks[i + 1], &rip->networks[i],
	        (rip->network_count - i) * sizeof(rip->networks[0]));
	rip->networks[i] = prefix;
	rip->network_count++;
	return true;
}

static bool apply_rip_neighbor(struct config_rip *rip, const struct cli_parse *p,
                               struct config_apply_result *r)
{
	const struct cli_value *addr = cli_arg(p, "RIP-NEIGHBOR");
	uint32_t a = ip_addr_v4(&addr->addr);
	if (!next_hop_valid(&addr->addr))
		return apply_fail(r, p, addr, "%% Invalid neighbor address");
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
		return apply_fail(r, p, NULL, "%% Too many neighbors (at most %u)", CONFIG_RIP_NEIGHBOR_MAX);
	memmove(&rip->neighbors[i + 1], &rip->neighbors[i],
	        (rip->neighbor_count - i) * sizeof(rip->neighbors[0]));
	rip->neighbors[i] = a;
	rip->neighbor_count++;
	return true;
}

/* passive-interface: the list holds the exceptions to passive_default. */
static bool apply_rip_passive(struct config_rip *rip, const struct cli_parse *p,
                              struct config_apply_result *r)
{
	if (cli_has(p, "default")) {
		rip->passive_default = !p->negated;
		rip->passive_count = 0;
		return true;
	}
	const struct cli_value *name = cli_arg(p, "IFNAME");
	struct ifname n;
	if (!interface_name(name, &n))
		return apply_fail(r, p, name, "%s", msg_invalid_input);
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
		return apply_fail(r, p, NULL, "%% Too many interfaces (at most %u)", CONFIG_RIP_PASSIVE_MAX);
	memmove(&rip->passive[i + 1], &rip->passive[i], (rip->passive_count - i) * sizeof(rip->passive[0]));
	memset(&rip->passive[i], 0, sizeof(rip->passive[i]));
	text_copy(rip->passive[i].name, sizeof(rip->passive[i].name), n.ios_name);
	text_copy(rip->passive[i].linux_name, sizeof(rip->passive[i].linux_name), n.linux_name);
	rip->passive_count++;
	return true;
}

static bool apply_rip_timers(struct config_rip *rip, const struct cli_parse *p,
                             struct config_apply_result *r)
{
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
		return apply_fail(r, p, invalid, "%% Invalid timer must not be less than the update timer");
	if (flush->number <= invalid->number)
		return apply_fail(r, p, flush, "%% Flush timer must be greater than the invalid timer");
	rip->has_timers = true;
	rip->update = update->number;
	rip->invalid = invalid->number;
	rip->holddown = holddown->number;
	rip->flush = flush->number;
	return true;
}

static bool apply_rip_redistribute(struct config_rip *rip, const struct cli_parse *p)
{
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

static bool apply_router_rip_mode(struct config *c, const struct cli_parse *p,
                                  struct config_apply_result *r)
{
	struct config_rip *rip = &c->rip;
	if (!rip->enabled)
		return apply_fail(r, p, NULL, "%% RIP is not running");
	const struct cli_value *v;
	switch (p->cmd) {
	case CLI_CMD_RIP_VERSION:
		rip->version = p->negated ? 0 : cli_has(p, "1") ? 1 : 2;
		return true;
	case CLI_CMD_RIP_NETWORK:
		return apply_rip_network(rip, p, r);
	case CLI_CMD_RIP_AUTO_SUMMARY:
		if (p->negated)
			return true;
		return apply_fail(r, p, NULL,
		                  "%% Not yet supported: auto-summary (Tern advertises subnets as they are)");
	case CLI_CMD_RIP_PASSIVE_INTERFACE:
		return apply_rip_passive(rip, p, r);
	case CLI_CMD_RIP_NEIGHBOR:
		return apply_rip_neighbor(rip, p, r);
	case CLI_CMD_RIP_TIMERS:
		return apply_rip_timers(rip, p, r);
	case CLI_CMD_RIP_DEFAULT_METRIC:
		v = cli_arg(p, "RIP-METRIC");
		rip->default_metric = !p->negated && v ? (uint8_t)v->number : 0;
		return true;
	case CLI_CMD_RIP_DISTANCE:
		v = cli_arg(p, "DISTANCE");
		rip->distance = !p->negated && v ? (uint8_t)v->number : CONFIG_RIP_DEFAULT_DISTANCE;
		return true;
	case CLI_CMD_RIP_REDISTRIBUTE:
		return apply_rip_redistribute(rip, p);
	default:
		return apply_fail(r, p, NULL, "%% Not a RIP command");
	}
}

/* A command of config-if mode, on the session's interface. It works on a copy of the entry,
 * stored back only when accepted, so a refused command changes nothing. */
static bool apply_interface_mode(struct config *c, const struct cli_parse *p,
                                 const struct config_context *ctx, struct config_apply_result *r)
{
	struct ifname n;
	if (!ctx || !ctx->interface[0] || !ifname_parse(ctx->interface, &n))
		return apply_fail(r, p, NULL, "%% No interface selected");
	struct config_interface copy;
	const struct config_interface *current = interface_lookup(c, &n);
	if (current)
		copy = *current;
	else
		interface_from_name(&n, &copy); /* removed meanwhile: configure it again */
	bool ok;
	const struct cli_value *description;
	switch (p->cmd) {
	case CLI_CMD_IF_IP_ADDRESS:
		ok = apply_if_ip_address(c, &copy, p, r);
		break;
	case CLI_CMD_IF_IPV6_ADDRESS:
		ok = apply_if_ipv6_address(c, &copy, p, r);
		break;
	case CLI_CMD_IF_SHUTDOWN:
		copy.shutdown = !p->negated;
		ok = true;
		break;
	case CLI_CMD_IF_OSPF:
		ok = apply_if_ospf(&copy, p, r);
		break;
	case CLI_CMD_IF_DESCRIPTION:
		description = cli_arg(p, "DESCRIPTION");
		text_copy(copy.description, sizeof(copy.description),
		          !p->negated && description ? description->text : "");
		ok = true;
		break;
	case CLI_CMD_IF_SPLIT_HORIZON:
		copy.rip_no_split_horizon = p->negated;
		ok = true;
		break;
	case CLI_CMD_IF_RIP_AUTH_MODE:
		copy.rip_auth_mode = p->negated ? CONFIG_RIP_AUTH_NONE
		                   : cli_has(p, "md5") ? CONFIG_RIP_AUTH_MD5 : CONFIG_RIP_AUTH_TEXT;
		ok = true;
		break;
	case CLI_CMD_IF_RIP_AUTH_KEY:
		/* IOS key chains need their own configuration mode; Tern has one key per interface */
		if (cli_has(p, "key-chain"))
			return apply_fail(r, p, NULL,
					  "%% Not yet supported: key chains (ip rip authentication key KEY sets the key)");
		description = cli_arg(p, "RIP-KEY");
		text_copy(copy.rip_auth_key, sizeof(copy.rip_auth_key),
		          !p->negated && description ? description->text : "");
		ok = true;
		break;
	default:
		return apply_fail(r, p, NULL, "%% Not an interface command");
	}
	if (ok && !interface_store(c, &copy))
		return apply_fail(r, p, NULL, "%% Too many interfaces (at most %u)", CONFIG_INTERFACE_MAX);
	return ok;
}

/* entered: where `interface NAME` writes the name of the interface it enters. */
static bool apply_command(struct config *c, const struct cli_parse *p,
                          struct config_context *ctx, struct config_apply_result *r,
                          char *entered)
{
	switch (p->cmd) {
	case CLI_CMD_EXIT:
	case CLI_CMD_END:
		return true;
	case CLI_CMD_HOSTNAME:
		return apply_hostname(c, p, r);
	case CLI_CMD_ROUTER_BGP:
		return apply_router_bgp(c, p, r);
	case CLI_CMD_ROUTER_OSPF:
		return apply_router_ospf(c, p, r);
	case CLI_CMD_OSPF_NETWORK:
	case CLI_CMD_OSPF_ROUTER_ID:
	case CLI_CMD_OSPF_PASSIVE:
	case CLI_CMD_OSPF_REDISTRIBUTE:
	case CLI_CMD_OSPF_DEFAULT_INFORMATION:
	case CLI_CMD_OSPF_AREA_AUTH:
	case CLI_CMD_OSPF_AUTO_COST:
	case CLI_CMD_OSPF_LOG_ADJACENCY:
		return apply_router_ospf_mode(c, p, r);
	case CLI_CMD_ROUTER_RIP:
		if (p->negated)
			config_rip_reset(&c->rip);
		else
			c->rip.enabled = true;
		return true;
	case CLI_CMD_RIP_VERSION:
	case CLI_CMD_RIP_NETWORK:
	case CLI_CMD_RIP_AUTO_SUMMARY:
	case CLI_CMD_RIP_PASSIVE_INTERFACE:
	case CLI_CMD_RIP_NEIGHBOR:
	case CLI_CMD_RIP_TIMERS:
	case CLI_CMD_RIP_DEFAULT_METRIC:
	case CLI_CMD_RIP_DISTANCE:
	case CLI_CMD_RIP_REDISTRIBUTE:
		return apply_router_rip_mode(c, p, r);
	case CLI_CMD_INTERFACE:
		return apply_interface(c, p, r, entered);
	case CLI_CMD_IF_IP_ADDRESS:
	case CLI_CMD_IF_IPV6_ADDRESS:
	case CLI_CMD_IF_SHUTDOWN:
	case CLI_CMD_IF_DESCRIPTION:
	case CLI_CMD_IF_SPLIT_HORIZON:
	case CLI_CMD_IF_RIP_AUTH_MODE:
	case CLI_CMD_IF_RIP_AUTH_KEY:
	case CLI_CMD_IF_OSPF:
		return apply_interface_mode(c, p, ctx, r);
	case CLI_CMD_IF_MEDIA:
		return apply_ignored(p, r, "Tern does not set link media");
	case CLI_CMD_IP_ROUTE:
	case CLI_CMD_IPV6_ROUTE:
		return apply_static_route(c, p, r);
	case CLI_CMD_LEGACY_GLOBAL:
	case CLI_CMD_LEGACY_INTERFACE:
		return apply_ignored(p, r, "it has no meaning on Tern");
	case CLI_CMD_IP_CLASSLESS:
		return apply_ignored(p, r, "Tern always forwards classless");
	case CLI_CMD_IP_SUBNET_ZERO:
		return apply_ignored(p, r, "subnet zero is always allowed");
	case CLI_CMD_LINE:
	case CLI_CMD_LINE_SETTING:
		return apply_ignored(p, r, "terminal lines are not managed by Tern");
	case CLI_CMD_BGP_ROUTER_ID:
	case CLI_CMD_BGP_TIMERS:
	case CLI_CMD_BGP_SYNCHRONIZATION:
	case CLI_CMD_BGP_AUTO_SUMMARY:
	case CLI_CMD_NEIGHBOR:
	case CLI_CMD_NEIGHBOR_REMOTE_AS:
	case CLI_CMD_NEIGHBOR_DESCRIPTION:
	case CLI_CMD_NEIGHBOR_UPDATE_SOURCE:
	case CLI_CMD_NEIGHBOR_EBGP_MULTIHOP:
	case CLI_CMD_NEIGHBOR_DISABLE_CONNECTED_CHECK:
	case CLI_CMD_NEIGHBOR_TTL_SECURITY:
	case CLI_CMD_NEIGHBOR_TIMERS:
	case CLI_CMD_NEIGHBOR_TIMERS_CONNECT:
	case CLI_CMD_NEIGHBOR_PASSWORD:
	case CLI_CMD_NEIGHBOR_SHUTDOWN:
	case CLI_CMD_NEIGHBOR_PASSIVE:
	case CLI_CMD_NEIGHBOR_NEXT_HOP_SELF:
	case CLI_CMD_NEIGHBOR_ROUTE_REFLECTOR_CLIENT:
	case CLI_CMD_NEIGHBOR_ALLOWAS_IN:
	case CLI_CMD_NEIGHBOR_SOFT_RECONFIGURATION:
	case CLI_CMD_NEIGHBOR_ACTIVATE:
	case CLI_CMD_NEIGHBOR_ENFORCE_FIRST_AS:
	case CLI_CMD_NEIGHBOR_MAXIMUM_PREFIX:
	case CLI_CMD_BGP_ENFORCE_FIRST_AS:
	case CLI_CMD_BGP_NETWORK:
	case CLI_CMD_BGP_AGGREGATE:
	case CLI_CMD_BGP_REDISTRIBUTE:
	case CLI_CMD_BGP_CLUSTER_ID:
	case CLI_CMD_BGP_ALWAYS_COMPARE_MED:
	case CLI_CMD_BGP_EBGP_REQUIRES_POLICY:
	case CLI_CMD_BGP_LOG_NEIGHBOR_CHANGES:
	case CLI_CMD_BGP_ADDRESS_FAMILY:
	case CLI_CMD_BGP_EXIT_ADDRESS_FAMILY:
	case CLI_CMD_NEIGHBOR_ROUTE_MAP:
	case CLI_CMD_NEIGHBOR_PREFIX_LIST:
		return apply_router_bgp_mode(c, p, r);
	case CLI_CMD_IP_PREFIX_LIST:
	case CLI_CMD_IP_COMMUNITY_LIST:
	case CLI_CMD_ROUTE_MAP:
	case CLI_CMD_RM_MATCH_PREFIX_LIST:
	case CLI_CMD_RM_MATCH_COMMUNITY:
	case CLI_CMD_RM_SET_LOCAL_PREF:
	case CLI_CMD_RM_SET_METRIC:
	case CLI_CMD_RM_SET_COMMUNITY:
	case CLI_CMD_RM_SET_PREPEND:
		return config_policy_apply(&c->policy, p, ctx, r);
	default:
		return apply_fail(r, p, NULL, "%% Not a configuration command");
	}
}

bool config_apply_in(struct config *c, const struct cli_parse *p, struct config_context *ctx,
                     struct config_apply_result *r)
{
	memset(r, 0, sizeof(*r));
	r->mode = p->via_do ? p->next_mode : p->mode;
	if (p->status != CLI_OK)
		return apply_fail(r, p, NULL, "%s", p->message);
	if (p->via_do || !cli_mode_is_config(p->mode))
		return apply_fail(r, p, NULL, "%% Not a configuration command");
	char entered[CONFIG_NAME_MAX] = "";
	if (!apply_command(c, p, ctx, r, entered))
		return false;
	r->mode = p->next_mode;
	if (ctx && entered[0])
		text_copy(ctx->interface, sizeof(ctx->interface), entered);
	else if (ctx && r->mode != CLI_MODE_CONFIG_INTERFACE)
		ctx->interface[0] = '\0';
	if (ctx && r->mode != CLI_MODE_CONFIG_ROUTE_MAP)
		ctx->route_map[0] = '\0';
	return true;
}

bool config_apply(struct config *c, const struct cli_parse *p, struct config_apply_result *r)
{
	return config_apply_in(c, p, NULL, r);
}

/* ---- diagnostics ---- */

void config_diag_format(const struct config_diag *d, struct strbuf *out)
{
	if (d->line)
		strbuf_printf(out, "%s:%u: %s\n", d->file, d->line, d->message);
	else
		strbuf_printf(out, "%s: %s\n", d->file, d->message);
	strbuf_printf(out, "  %s\n  %*s^", d->text, (int)d->column, "");
}

static void diag_set(struct config_diag *diag, const char *name, unsigned line, const char *text,
                     size_t column, const char *message)
{
	if (!diag)
		return;
	memset(diag, 0, sizeof(*diag));
	snprintf(diag->file, sizeof(diag->file), "%s", name ? name : "-");
	diag->line = line;
	diag->column = (unsigned)column;
	snprintf(diag->text, sizeof(diag->text), "%s", text);
	snprintf(diag->message, sizeof(diag->message), "%s", message);
}

/* ---- loading ---- */

struct loader {
	struct config *config;
	enum cli_mode mode;
	const char *name;
	unsigned line_number;
	struct config_diag *diag;
	struct strbuf *notes;
	struct config_context context; /* the interface of interface mode */
	struct cli_parse parse;      /* the line as read in the current mode */
	struct cli_parse fallback;   /* the line as read in global configuration mode */
};

/* Reads the line in the current mode; a line that mode does not know, but global mode does,
 * ends the block (IOS pasting). Of two failures the one that got further is reported. */
static const struct cli_parse *load_parse(struct loader *l, const char *line)
{
	cli_parse(l->mode, line, &l->parse);
	if (l->parse.status == CLI_OK || l->parse.status == CLI_EMPTY || l->mode == CLI_MODE_CONFIG)
		return &l->parse;
	cli_parse(CLI_MODE_CONFIG, line, &l->fallback);
	if (l->fallback.status == CLI_OK || l->fallback.column > l->parse.column)
		return &l->fallback;
	return &l->parse;
}

static bool load_line(struct loader *l, const char *line)
{
	const struct cli_parse *p = load_parse(l, line);
	if (p->status == CLI_EMPTY)
		return true;
	if (p->status != CLI_OK) {
		diag_set(l->diag, l->name, l->line_number, line, p->column, p->message);
		return false;
	}
	struct config_apply_result r;
	if (!config_apply_in(l->config, p, &l->context, &r)) {
		diag_set(l->diag, l->name, l->line_number, line, r.column, r.message);
		return false;
	}
	if (r.message[0] && l->notes)
		strbuf_printf(l->notes, "%s:%u: %s\n", l->name, l->line_number, r.message);
	/* A file is configuration from start to end: `end` and `exit` do not leave it. */
	l->mode = cli_mode_is_config(r.mode) ? r.mode : CLI_MODE_CONFIG;
	return true;
}

bool config_load_text_notes(const char *text, const char *name, struct config *out,
                            struct config_diag *diag, struct strbuf *notes)
{
	config_init(out);
	struct loader *l = calloc(1, sizeof(*l));
	if (!l) {
		diag_set(diag, name, 0, "", 0, "% Out of memory");
		return false;
	}
	*l = (struct loader){ .config = out, .mode = CLI_MODE_CONFIG, .name = name ? name : "-",
	                      .diag = diag, .notes = notes };
	bool ok = true;
	char line[CLI_LINE_MAX + 2];
	for (const char *at = text ? text : ""; ok && *at;) {
		const char *end = strchr(at, '\n');
		size_t len = end ? (size_t)(end - at) : strlen(at);
		l->line_number++;
		/* One byte more than the grammar takes, so that an overlong line is refused. */
		snprintf(line, sizeof(line), "%.*s", (int)(len < sizeof(line) ? len : sizeof(line) - 1), at);
		ok = load_line(l, line);
		at += len + (end ? 1 : 0);
	}
	free(l);
	if (!ok)
		config_free(out);
	return ok;
}

bool config_load_text(const char *text, const char *name, struct config *out, struct config_diag *diag)
{
	return config_load_text_notes(text, name, out, diag, NULL);
}

static char *read_file(const char *path, char *error, size_t error_size)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(error, error_size, "%% Cannot open: %s", strerror(errno));
		return NULL;
	}
	char *text = malloc(CONFIG_FILE_MAX + 1);
	size_t len = text ? fread(text, 1, CONFIG_FILE_MAX + 1, f) : 0;
	bool failed = !text || ferror(f);
	fclose(f);
	if (failed || len > CONFIG_FILE_MAX || memchr(text, '\0', len)) {
		snprintf(error, error_size, "%s", failed ? "% Cannot read the file"
		         : len > CONFIG_FILE_MAX ? "% File too large" : "% File contains a NUL byte");
		free(text);
		return NULL;
	}
	text[len] = '\0';
	return text;
}

bool config_load_file(const char *path, struct config *out, struct config_diag *diag)
{
	char error[CONFIG_TEXT_MAX];
	char *text = read_file(path, error, sizeof(error));
	if (!text) {
		config_init(out);
		diag_set(diag, path, 0, "", 0, error);
		return false;
	}
	bool ok = config_load_text(text, path, out, diag);
	free(text);
	return ok;
}
