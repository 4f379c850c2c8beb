/*
 * DOC: BGP neighbour settings, one descriptor each.
 *
 * Each row of config_neighbor_settings[] is one `neighbor ADDR ...` command: how it applies
 * (with the checks IOS makes), how it prints, and how two neighbours compare on it. The table
 * is in the order IOS prints a neighbour's lines (remote-as first, since IOS wants it before
 * anything else about the neighbour; then the session settings; then the address-family
 * ones), so printing and comparing a neighbour is a walk over it.
 *
 * To add a neighbour setting: its field in struct config_bgp_neighbor (config.h), its grammar
 * rows in commands.c, one row here, and its behaviour in src/bgp. The round-trip test
 * (tests/unit/test_config_roundtrip.c) builds a line for every grammar row and fails if the
 * setting does not print and parse back.
 */
#include "config/config_internal.h"

#include <stdio.h>
#include <string.h>

#include "config/config_policy.h"

static const char msg_remote_as_first[] = "% Specify remote-as or peer-group commands first";
/* IOS refuses GTSM and ebgp-multihop on one neighbour, whichever comes second. */
static const char msg_ttl_security_multihop[] =
	"% ttl-security and ebgp-multihop cannot be configured together";

/* ---- remote-as: creates and removes the neighbour ---- */

static bool remote_as_apply(struct config_bgp *bgp, struct config_bgp_neighbor *n, const struct cli_parse *p,
                            struct config_apply_state *s)
{
	struct config_apply_result *r = s->r;
	const struct cli_value *addr = cli_arg(p, "ADDR");
	if (p->negated) {
		if (!n)
			return config_fail(r, p, addr, "%s", msg_remote_as_first);
		config_bgp_neighbor_remove(bgp, &addr->addr);
		return true;
	}
	if (!n) {
		n = config_bgp_neighbor_add(bgp, &addr->addr);
		if (!n)
			return config_fail(r, p, addr, "%% Too many neighbors (at most %u)",
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

static void remote_as_print(const struct config_bgp_neighbor *n, const char *addr, struct strbuf *out)
{
	strbuf_printf(out, " neighbor %s remote-as %u\n", addr, n->remote_as);
}

static bool remote_as_equal(const struct config_bgp_neighbor *a, const struct config_bgp_neighbor *b)
{
	return a->remote_as == b->remote_as;
}

/* no neighbor ADDR: removes the neighbour with all its settings */
static bool remove_apply(struct config_bgp *bgp, struct config_bgp_neighbor *n, const struct cli_parse *p,
                         struct config_apply_state *s)
{
	config_bgp_neighbor_remove(bgp, &n->addr);
	return true;
}

/* ---- session settings ---- */

static bool description_apply(struct config_bgp *bgp, struct config_bgp_neighbor *n,
                              const struct cli_parse *p, struct config_apply_state *s)
{
	const struct cli_value *value = cli_arg(p, "DESCRIPTION");
	config_text_copy(n->description, sizeof(n->description), !p->negated && value ? value->text : "");
	return true;
}

static void description_print(const struct config_bgp_neighbor *n, const char *addr, struct strbuf *out)
{
	if (n->description[0])
		strbuf_printf(out, " neighbor %s description %s\n", addr, n->description);
}

static bool description_equal(const struct config_bgp_neighbor *a, const struct config_bgp_neighbor *b)
{
	return strcmp(a->description, b->description) == 0;
}

static bool update_source_apply(struct config_bgp *bgp, struct config_bgp_neighbor *n,
                                const struct cli_parse *p, struct config_apply_state *s)
{
	const struct cli_value *ifname = cli_arg(p, "IFNAME");
	const struct cli_value *source = cli_arg(p, "SOURCE");
	n->update_source_interface[0] = '\0';
	memset(&n->update_source_addr, 0, sizeof(n->update_source_addr));
	if (p->negated)
		return true;
	if (ifname)
		config_text_copy(n->update_source_interface, sizeof(n->update_source_interface), ifname->text);
	else if (source)
		n->update_source_addr = source->addr;
	return true;
}

static void update_source_print(const struct config_bgp_neighbor *n, const char *addr, struct strbuf *out)
{
	char source[IP_ADDR_STRLEN];
	if (n->update_source_interface[0])
		strbuf_printf(out, " neighbor %s update-source %s\n", addr, n->update_source_interface);
	else if (ip_addr_is_set(&n->update_source_addr))
		strbuf_printf(out, " neighbor %s update-source %s\n", addr,
		              ip_addr_format(&n->update_source_addr, source));
}

static bool update_source_equal(const struct config_bgp_neighbor *a, const struct config_bgp_neighbor *b)
{
	return strcmp(a->update_source_interface, b->update_source_interface) == 0 &&
	       ip_addr_is_set(&a->update_source_addr) == ip_addr_is_set(&b->update_source_addr) &&
	       (!ip_addr_is_set(&a->update_source_addr) ||
	        ip_addr_equal(&a->update_source_addr, &b->update_source_addr));
}

static bool ebgp_multihop_apply(struct config_bgp *bgp, struct config_bgp_neighbor *n,
                                const struct cli_parse *p, struct config_apply_state *s)
{
	if (!p->negated && n->ttl_security_hops)
		return config_fail(s->r, p, NULL, "%s", msg_ttl_security_multihop);
	const struct cli_value *value = cli_arg(p, "TTL");
	n->ebgp_multihop = !p->negated;
	n->ebgp_multihop_ttl = p->negated ? 0 : value ? (uint8_t)value->number : 255;
	return true;
}

static void ebgp_multihop_print(const struct config_bgp_neighbor *n, const char *addr, struct strbuf *out)
{
	if (n->ebgp_multihop)
		strbuf_printf(out, " neighbor %s ebgp-multihop %u\n", addr, n->ebgp_multihop_ttl);
}

static bool ebgp_multihop_equal(const struct config_bgp_neighbor *a, const struct config_bgp_neighbor *b)
{
	return a->ebgp_multihop == b->ebgp_multihop &&
	       (!a->ebgp_multihop || a->ebgp_multihop_ttl == b->ebgp_multihop_ttl);
}

static bool connected_check_apply(struct config_bgp *bgp, struct config_bgp_neighbor *n,
                                  const struct cli_parse *p, struct config_apply_state *s)
{
	n->disable_connected_check = !p->negated;
	return true;
}

static void connected_check_print(const struct config_bgp_neighbor *n, const char *addr, struct strbuf *out)
{
	if (n->disable_connected_check)
		strbuf_printf(out, " neighbor %s disable-connected-check\n", addr);
}

static bool connected_check_equal(const struct config_bgp_neighbor *a, const struct config_bgp_neighbor *b)
{
	return a->disable_connected_check == b->disable_connected_check;
}

static bool ttl_security_apply(struct config_bgp *bgp, struct config_bgp_neighbor *n,
                               const struct cli_parse *p, struct config_apply_state *s)
{
	/* RFC 5082 §3 replaces the multihop TTL: IOS refuses the two together */
	if (!p->negated && n->ebgp_multihop)
		return config_fail(s->r, p, NULL, "%s", msg_ttl_security_multihop);
	const struct cli_value *value = cli_arg(p, "HOPS");
	n->ttl_security_hops = !p->negated && value ? (uint8_t)value->number : 0;
	return true;
}

static void ttl_security_print(const struct config_bgp_neighbor *n, const char *addr, struct strbuf *out)
{
	if (n->ttl_security_hops)
		strbuf_printf(out, " neighbor %s ttl-security hops %u\n", addr, n->ttl_security_hops);
}

static bool ttl_security_equal(const struct config_bgp_neighbor *a, const struct config_bgp_neighbor *b)
{
	return a->ttl_security_hops == b->ttl_security_hops;
}

static bool timers_apply(struct config_bgp *bgp, struct config_bgp_neighbor *n, const struct cli_parse *p,
                         struct config_apply_state *s)
{
	if (p->negated) {
		n->has_timers = false;
		n->keepalive = 0;
		n->hold_time = 0;
		return true;
	}
	const struct cli_value *hold = cli_arg(p, "HOLD");
	if (!config_hold_time_valid(hold->number))
		return config_fail(s->r, p, hold, "%% Hold time must be 0 or at least 3 seconds");
	n->has_timers = true;
	n->keepalive = (uint16_t)cli_arg(p, "KEEPALIVE")->number;
	n->hold_time = (uint16_t)hold->number;
	return true;
}

static void timers_print(const struct config_bgp_neighbor *n, const char *addr, struct strbuf *out)
{
	if (n->has_timers)
		strbuf_printf(out, " neighbor %s timers %u %u\n", addr, n->keepalive, n->hold_time);
}

static bool timers_equal(const struct config_bgp_neighbor *a, const struct config_bgp_neighbor *b)
{
	return a->has_timers == b->has_timers &&
	       (!a->has_timers || (a->keepalive == b->keepalive && a->hold_time == b->hold_time));
}

static bool connect_apply(struct config_bgp *bgp, struct config_bgp_neighbor *n, const struct cli_parse *p,
                          struct config_apply_state *s)
{
	const struct cli_value *value = cli_arg(p, "CONNECT-RETRY");
	n->connect_retry = !p->negated && value ? (uint16_t)value->number : 0;
	return true;
}

static void connect_print(const struct config_bgp_neighbor *n, const char *addr, struct strbuf *out)
{
	if (n->connect_retry)
		strbuf_printf(out, " neighbor %s timers connect %u\n", addr, n->connect_retry);
}

static bool connect_equal(const struct config_bgp_neighbor *a, const struct config_bgp_neighbor *b)
{
	return a->connect_retry == b->connect_retry;
}

static bool password_apply(struct config_bgp *bgp, struct config_bgp_neighbor *n, const struct cli_parse *p,
                           struct config_apply_state *s)
{
	const struct cli_value *password = cli_arg(p, "PASSWORD");
	if (p->negated) {
		n->password[0] = '\0';
		return true;
	}
	if (strlen(password->text) > CONFIG_PASSWORD_MAX)
		return config_fail(s->r, p, password, "%% Password too long (at most %d characters)",
		                   CONFIG_PASSWORD_MAX);
	config_text_copy(n->password, sizeof(n->password), password->text);
	return true;
}

static void password_print(const struct config_bgp_neighbor *n, const char *addr, struct strbuf *out)
{
	if (n->password[0])
		strbuf_printf(out, " neighbor %s password %s\n", addr, n->password);
}

static bool password_equal(const struct config_bgp_neighbor *a, const struct config_bgp_neighbor *b)
{
	return strcmp(a->password, b->password) == 0;
}

static bool shutdown_apply(struct config_bgp *bgp, struct config_bgp_neighbor *n, const struct cli_parse *p,
                           struct config_apply_state *s)
{
	const struct cli_value *message = cli_arg(p, "MESSAGE");
	n->shutdown = !p->negated;
	config_text_copy(n->shutdown_message, sizeof(n->shutdown_message),
	                 !p->negated && message ? message->text : "");
	return true;
}

static void shutdown_print(const struct config_bgp_neighbor *n, const char *addr, struct strbuf *out)
{
	if (n->shutdown && n->shutdown_message[0])
		strbuf_printf(out, " neighbor %s shutdown message %s\n", addr, n->shutdown_message);
	else if (n->shutdown)
		strbuf_printf(out, " neighbor %s shutdown\n", addr);
}

static bool shutdown_equal(const struct config_bgp_neighbor *a, const struct config_bgp_neighbor *b)
{
	return a->shutdown == b->shutdown && strcmp(a->shutdown_message, b->shutdown_message) == 0;
}

static bool passive_apply(struct config_bgp *bgp, struct config_bgp_neighbor *n, const struct cli_parse *p,
                          struct config_apply_state *s)
{
	n->passive = !p->negated;
	return true;
}

static void passive_print(const struct config_bgp_neighbor *n, const char *addr, struct strbuf *out)
{
	if (n->passive)
		strbuf_printf(out, " neighbor %s transport connection-mode passive\n", addr);
}

static bool passive_equal(const struct config_bgp_neighbor *a, const struct config_bgp_neighbor *b)
{
	return a->passive == b->passive;
}

/* ---- address-family settings ---- */

static bool rr_client_apply(struct config_bgp *bgp, struct config_bgp_neighbor *n, const struct cli_parse *p,
                            struct config_apply_state *s)
{
	if (!p->negated && n->remote_as != bgp->asn)
		return config_fail(s->r, p, cli_arg(p, "ADDR"), "%% Invalid command for an eBGP neighbor");
	n->route_reflector_client = !p->negated;
	return true;
}

static void rr_client_print(const struct config_bgp_neighbor *n, const char *addr, struct strbuf *out)
{
	if (n->route_reflector_client)
		strbuf_printf(out, " neighbor %s route-reflector-client\n", addr);
}

static bool rr_client_equal(const struct config_bgp_neighbor *a, const struct config_bgp_neighbor *b)
{
	return a->route_reflector_client == b->route_reflector_client;
}

static bool next_hop_self_apply(struct config_bgp *bgp, struct config_bgp_neighbor *n,
                                const struct cli_parse *p, struct config_apply_state *s)
{
	n->next_hop_self = !p->negated;
	return true;
}

static void next_hop_self_print(const struct config_bgp_neighbor *n, const char *addr, struct strbuf *out)
{
	if (n->next_hop_self)
		strbuf_printf(out, " neighbor %s next-hop-self\n", addr);
}

static bool next_hop_self_equal(const struct config_bgp_neighbor *a, const struct config_bgp_neighbor *b)
{
	return a->next_hop_self == b->next_hop_self;
}

static bool soft_reconfiguration_apply(struct config_bgp *bgp, struct config_bgp_neighbor *n,
                                       const struct cli_parse *p, struct config_apply_state *s)
{
	n->soft_reconfiguration_inbound = !p->negated;
	return true;
}

static void soft_reconfiguration_print(const struct config_bgp_neighbor *n, const char *addr,
                                       struct strbuf *out)
{
	if (n->soft_reconfiguration_inbound)
		strbuf_printf(out, " neighbor %s soft-reconfiguration inbound\n", addr);
}

static bool soft_reconfiguration_equal(const struct config_bgp_neighbor *a,
                                       const struct config_bgp_neighbor *b)
{
	return a->soft_reconfiguration_inbound == b->soft_reconfiguration_inbound;
}

static bool allowas_in_apply(struct config_bgp *bgp, struct config_bgp_neighbor *n, const struct cli_parse *p,
                             struct config_apply_state *s)
{
	const struct cli_value *value = cli_arg(p, "ALLOWAS");
	n->allowas_in = p->negated ? 0 : value ? (uint8_t)value->number : CONFIG_DEFAULT_ALLOWAS_IN;
	return true;
}

static void allowas_in_print(const struct config_bgp_neighbor *n, const char *addr, struct strbuf *out)
{
	if (n->allowas_in == CONFIG_DEFAULT_ALLOWAS_IN)
		strbuf_printf(out, " neighbor %s allowas-in\n", addr);
	else if (n->allowas_in)
		strbuf_printf(out, " neighbor %s allowas-in %u\n", addr, n->allowas_in);
}

static bool allowas_in_equal(const struct config_bgp_neighbor *a, const struct config_bgp_neighbor *b)
{
	return a->allowas_in == b->allowas_in;
}

static bool activate_apply(struct config_bgp *bgp, struct config_bgp_neighbor *n, const struct cli_parse *p,
                           struct config_apply_state *s)
{
	if (p->negated)
		return config_not_supported(p, s->r);
	return config_ignored(p, s->r, "IPv4 unicast is always active");
}

static bool enforce_first_as_apply(struct config_bgp *bgp, struct config_bgp_neighbor *n,
                                   const struct cli_parse *p, struct config_apply_state *s)
{
	n->enforce_first_as = p->negated ? CONFIG_FIRST_AS_IGNORE : CONFIG_FIRST_AS_ENFORCE;
	return true;
}

static void enforce_first_as_print(const struct config_bgp_neighbor *n, const char *addr, struct strbuf *out)
{
	if (n->enforce_first_as != CONFIG_FIRST_AS_DEFAULT)
		strbuf_printf(out, " %sneighbor %s enforce-first-as\n",
		              n->enforce_first_as == CONFIG_FIRST_AS_IGNORE ? "no " : "", addr);
}

static bool enforce_first_as_equal(const struct config_bgp_neighbor *a, const struct config_bgp_neighbor *b)
{
	return a->enforce_first_as == b->enforce_first_as;
}

/* neighbor A maximum-prefix MAX [THRESHOLD] [warning-only | restart MINUTES] (IOS); the no
 * form, with or without the numbers, removes the limit. */
static bool maximum_prefix_apply(struct config_bgp *bgp, struct config_bgp_neighbor *n,
                                 const struct cli_parse *p, struct config_apply_state *s)
{
	const struct cli_value *max = cli_arg(p, "MAXPFX");
	const struct cli_value *threshold = cli_arg(p, "THRESHOLD");
	const struct cli_value *restart = cli_arg(p, "RESTART-MINUTES");
	n->maximum_prefix = p->negated ? 0 : (uint32_t)max->number;
	n->maximum_prefix_threshold =
		p->negated ? 0 : threshold ? (uint8_t)threshold->number : CONFIG_DEFAULT_MAXPFX_THRESHOLD;
	n->maximum_prefix_warning_only = !p->negated && cli_has(p, "warning-only");
	n->maximum_prefix_restart = !p->negated && restart ? (uint16_t)restart->number : 0;
	return true;
}

static void maximum_prefix_print(const struct config_bgp_neighbor *n, const char *addr, struct strbuf *out)
{
	if (!n->maximum_prefix)
		return;
	strbuf_printf(out, " neighbor %s maximum-prefix %u", addr, n->maximum_prefix);
	if (n->maximum_prefix_threshold != CONFIG_DEFAULT_MAXPFX_THRESHOLD)
		strbuf_printf(out, " %u", n->maximum_prefix_threshold);
	if (n->maximum_prefix_warning_only)
		strbuf_append(out, " warning-only");
	else if (n->maximum_prefix_restart)
		strbuf_printf(out, " restart %u", n->maximum_prefix_restart);
	strbuf_append(out, "\n");
}

static bool maximum_prefix_equal(const struct config_bgp_neighbor *a, const struct config_bgp_neighbor *b)
{
	return a->maximum_prefix == b->maximum_prefix &&
	       (!a->maximum_prefix || (a->maximum_prefix_threshold == b->maximum_prefix_threshold &&
	                               a->maximum_prefix_warning_only == b->maximum_prefix_warning_only &&
	                               a->maximum_prefix_restart == b->maximum_prefix_restart));
}

/* neighbor A prefix-list|route-map NAME in|out: the names only; the lists are the policy's */
static bool policy_apply(struct config_bgp *bgp, struct config_bgp_neighbor *n, const struct cli_parse *p,
                         struct config_apply_state *s)
{
	config_policy_neighbor(n, p);
	return true;
}

static void prefix_list_print(const struct config_bgp_neighbor *n, const char *addr, struct strbuf *out)
{
	if (n->prefix_list_in[0])
		strbuf_printf(out, " neighbor %s prefix-list %s in\n", addr, n->prefix_list_in);
	if (n->prefix_list_out[0])
		strbuf_printf(out, " neighbor %s prefix-list %s out\n", addr, n->prefix_list_out);
}

static bool prefix_list_equal(const struct config_bgp_neighbor *a, const struct config_bgp_neighbor *b)
{
	return strcmp(a->prefix_list_in, b->prefix_list_in) == 0 &&
	       strcmp(a->prefix_list_out, b->prefix_list_out) == 0;
}

static void route_map_print(const struct config_bgp_neighbor *n, const char *addr, struct strbuf *out)
{
	if (n->route_map_in[0])
		strbuf_printf(out, " neighbor %s route-map %s in\n", addr, n->route_map_in);
	if (n->route_map_out[0])
		strbuf_printf(out, " neighbor %s route-map %s out\n", addr, n->route_map_out);
}

static bool route_map_equal(const struct config_bgp_neighbor *a, const struct config_bgp_neighbor *b)
{
	return strcmp(a->route_map_in, b->route_map_in) == 0 &&
	       strcmp(a->route_map_out, b->route_map_out) == 0;
}

#define SETTING(cmd, name, text, effect) { cmd, name##_apply, name##_print, name##_equal, text, effect }
#define IN_PLACE CONFIG_EFFECT_IN_PLACE
#define REFRESH CONFIG_EFFECT_REFRESH
#define RESET CONFIG_EFFECT_RESET

/* In the order IOS prints them. The effects are what IOS does: a setting that the OPEN or
 * the TCP connection carries (the AS, TCP-MD5, the source address, the TTL rules, who
 * connects) closes the session with Cease/Other Configuration Change (RFC 4486) and opens it
 * again; a policy binding sends and asks for the routes again (soft, RFC 2918); the rest
 * applies at once or to the next session (timers, as IOS). Shutdown stops or starts the
 * session, which is its meaning, not a reset (bgp_speaker_configure). */
const struct config_neighbor_setting config_neighbor_settings[] = {
	SETTING(CLI_CMD_NEIGHBOR_REMOTE_AS, remote_as, "neighbor remote-as", RESET),
	{ CLI_CMD_NEIGHBOR, remove_apply, NULL, NULL, "neighbor", RESET },
	SETTING(CLI_CMD_NEIGHBOR_DESCRIPTION, description, "neighbor description", IN_PLACE),
	SETTING(CLI_CMD_NEIGHBOR_UPDATE_SOURCE, update_source, "neighbor update-source", RESET),
	SETTING(CLI_CMD_NEIGHBOR_EBGP_MULTIHOP, ebgp_multihop, "neighbor ebgp-multihop", RESET),
	SETTING(CLI_CMD_NEIGHBOR_DISABLE_CONNECTED_CHECK, connected_check,
	        "neighbor disable-connected-check", RESET),
	SETTING(CLI_CMD_NEIGHBOR_TTL_SECURITY, ttl_security, "neighbor ttl-security", RESET),
	SETTING(CLI_CMD_NEIGHBOR_TIMERS, timers, "neighbor timers", IN_PLACE),
	SETTING(CLI_CMD_NEIGHBOR_TIMERS_CONNECT, connect, "neighbor timers connect", IN_PLACE),
	SETTING(CLI_CMD_NEIGHBOR_PASSWORD, password, "neighbor password", RESET),
	SETTING(CLI_CMD_NEIGHBOR_SHUTDOWN, shutdown, "neighbor shutdown", IN_PLACE),
	SETTING(CLI_CMD_NEIGHBOR_PASSIVE, passive, "neighbor transport connection-mode", RESET),
	SETTING(CLI_CMD_NEIGHBOR_ROUTE_REFLECTOR_CLIENT, rr_client, "neighbor route-reflector-client",
	        IN_PLACE),
	SETTING(CLI_CMD_NEIGHBOR_NEXT_HOP_SELF, next_hop_self, "neighbor next-hop-self", IN_PLACE),
	SETTING(CLI_CMD_NEIGHBOR_SOFT_RECONFIGURATION, soft_reconfiguration,
	        "neighbor soft-reconfiguration", IN_PLACE),
	SETTING(CLI_CMD_NEIGHBOR_ALLOWAS_IN, allowas_in, "neighbor allowas-in", IN_PLACE),
	{ CLI_CMD_NEIGHBOR_ACTIVATE, activate_apply, NULL, NULL, "neighbor activate", CONFIG_EFFECT_NONE },
	SETTING(CLI_CMD_NEIGHBOR_ENFORCE_FIRST_AS, enforce_first_as, "neighbor enforce-first-as", IN_PLACE),
	SETTING(CLI_CMD_NEIGHBOR_MAXIMUM_PREFIX, maximum_prefix, "neighbor maximum-prefix", IN_PLACE),
	{ CLI_CMD_NEIGHBOR_PREFIX_LIST, policy_apply, prefix_list_print, prefix_list_equal,
	  "neighbor prefix-list", REFRESH },
	{ CLI_CMD_NEIGHBOR_ROUTE_MAP, policy_apply, route_map_print, route_map_equal, "neighbor route-map",
	  REFRESH },
};
const size_t config_neighbor_setting_count =
	sizeof(config_neighbor_settings) / sizeof(config_neighbor_settings[0]);

const struct config_neighbor_setting *config_neighbor_setting_find(enum cli_cmd cmd)
{
	for (size_t i = 0; i < config_neighbor_setting_count; i++)
		if (config_neighbor_settings[i].cmd == cmd)
			return &config_neighbor_settings[i];
	return NULL;
}

const char *config_neighbor_setting_name(enum cli_cmd cmd)
{
	const struct config_neighbor_setting *setting = config_neighbor_setting_find(cmd);
	return setting ? setting->name : NULL;
}

/* Every neighbour command but remote-as needs the neighbour to exist. */
bool config_bgp_apply_neighbor(struct config *c, const struct cli_parse *p, struct config_apply_state *s)
{
	const struct config_neighbor_setting *setting = config_neighbor_setting_find(p->cmd);
	const struct cli_value *addr = cli_arg(p, "ADDR");
	if (!setting || !addr)
		return config_fail(s->r, p, NULL, "%% Not a neighbor command");
	struct config_bgp_neighbor *n = config_bgp_neighbor_find(&c->bgp, &addr->addr);
	if (!n && setting->cmd != CLI_CMD_NEIGHBOR_REMOTE_AS)
		return config_fail(s->r, p, addr, "%s", msg_remote_as_first);
	return setting->apply(&c->bgp, n, p, s);
}

bool config_bgp_neighbor_equal(const struct config_bgp_neighbor *a, const struct config_bgp_neighbor *b)
{
	if (!ip_addr_equal(&a->addr, &b->addr))
		return false;
	for (size_t i = 0; i < config_neighbor_setting_count; i++) {
		const struct config_neighbor_setting *setting = &config_neighbor_settings[i];
		if (setting->equal && !setting->equal(a, b))
			return false;
	}
	return true;
}

void config_bgp_neighbor_print(const struct config_bgp_neighbor *n, struct strbuf *out)
{
	char addr[IP_ADDR_STRLEN];
	ip_addr_format(&n->addr, addr);
	for (size_t i = 0; i < config_neighbor_setting_count; i++) {
		const struct config_neighbor_setting *setting = &config_neighbor_settings[i];
		if (setting->print)
			setting->print(n, addr, out);
	}
}

void config_bgp_neighbor_change(const struct config_bgp_neighbor *old, const struct config_bgp_neighbor *new,
                                struct config_change *out)
{
	for (size_t i = 0; i < config_neighbor_setting_count; i++) {
		const struct config_neighbor_setting *setting = &config_neighbor_settings[i];
		if (setting->equal && !setting->equal(old, new))
			config_change_add(out, setting->cmd, setting->effect);
	}
}
