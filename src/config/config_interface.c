/*
 * DOC: the interface section: `interface NAME` blocks, kept sorted as IOS lists them, each with
 * its description, IPv4 and IPv6 addresses (with the overlap checks IOS makes), shutdown,
 * and its RIP and OSPF settings (ip rip ..., ip ospf ...). The interface a config-if command
 * changes is the session's config_context; each such command is a row of
 * interface_settings[] and works on a copy of the entry, stored back only when accepted.
 */
#include "config/config_internal.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Compares names so that numbers compare as numbers: FastEthernet0/2 < FastEthernet0/10. */
static int natural_compare(const char *a, const char *b)
{
	while (*a && *b) {
		if (config_is_digit(*a) && config_is_digit(*b)) {
			while (*a == '0' && config_is_digit(a[1]))
				a++;
			while (*b == '0' && config_is_digit(b[1]))
				b++;
			size_t la = 0, lb = 0;
			while (config_is_digit(a[la]))
				la++;
			while (config_is_digit(b[lb]))
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
	config_text_copy(out->name, sizeof(out->name), n->ios_name);
	config_text_copy(out->linux_name, sizeof(out->linux_name), n->linux_name);
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
	struct config_interface *grown = config_array_insert(c->interfaces, c->interface_count,
	                                              sizeof(*grown), at);
	if (!grown)
		return false;
	c->interfaces = grown;
	c->interface_count++;
	grown[at] = *ifc;
	return true;
}

static bool apply_interface(struct config *c, const struct cli_parse *p, struct config_apply_state *s)
{
	struct config_apply_result *r = s->r;
	const struct cli_value *name = cli_arg(p, "IFNAME");
	struct ifname n;
	if (!config_interface_name(name, &n))
		return config_fail(r, p, name, "%s", config_msg_invalid_input);
	struct config_interface *ifc = interface_lookup(c, &n);
	if (p->negated) {
		/* Tern's `no interface`: forget its configuration (addresses leave the kernel). */
		if (ifc)
			c->interfaces = config_array_remove(c->interfaces, &c->interface_count,
			                             sizeof(c->interfaces[0]),
			                             (size_t)(ifc - c->interfaces));
		return true;
	}
	if (!ifc) {
		struct config_interface fresh;
		interface_from_name(&n, &fresh);
		if (!interface_store(c, &fresh))
			return config_fail(r, p, name, "%% Too many interfaces (at most %u)",
			                  CONFIG_INTERFACE_MAX);
		ifc = interface_lookup(c, &n);
	}
	config_text_copy(s->entered, sizeof(s->entered), ifc->name);
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
	uint32_t mask = config_length_mask(len);
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
	if (!config_mask_length(mask_value, &a.len))
		return config_fail(r, p, mask, "%% Bad mask 0x%08X for address %s", (unsigned)mask_value,
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
			return config_fail(r, p, addr, "%% Address %s not configured on %s", addr->text,
			                  ifc->name);
		if (!secondary && v4 > 1)
			return config_fail(r, p, addr, "%% Must delete secondary before deleting primary");
		address_remove(ifc, same);
		return true;
	}
	uint32_t host = ip_addr_v4(&addr->addr);
	if ((host >> 24) == 0 || (host >> 24) == 127 || host >= 0xe0000000u)
		return config_fail(r, p, addr, "%% Not a valid host address - %s", addr->text);
	uint32_t host_bits = host & ~config_length_mask(a.len);
	if (a.len == 0 || (a.len <= 30 && (host_bits == 0 || host_bits == ~config_length_mask(a.len))))
		return config_fail(r, p, addr, "%% Bad mask /%u for address %s", a.len, addr->text);
	if (same != SIZE_MAX)
		return true; /* typed again */
	const char *with;
	size_t replaced = !secondary && has_primary ? 0 : SIZE_MAX;
	if (address_overlaps(c, ifc, &a, replaced, &with)) {
		char network[16];
		return config_fail(r, p, addr, "%% %s overlaps with %s",
		                  ipv4_format(host & config_length_mask(a.len), network), with);
	}
	if (replaced == 0) {
		ifc->addresses[0] = a; /* a second primary replaces the first, as IOS */
		return true;
	}
	if (!address_insert(ifc, secondary ? v4 : 0, &a))
		return config_fail(r, p, addr, "%% Too many addresses on %s (at most %d)", ifc->name,
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
			return config_fail(r, p, prefix, "%% Address %s not configured on %s", prefix->text,
			                  ifc->name);
		address_remove(ifc, same);
		return true;
	}
	if (!config_next_hop_valid(&a.addr))
		return config_fail(r, p, prefix, "%% Not a valid IPv6 unicast address - %s", prefix->text);
	if (a.len == 0)
		return config_fail(r, p, prefix, "%% Bad prefix length /0 for address %s", prefix->text);
	for (size_t i = 0; i < c->interface_count; i++) {
		const struct config_interface *other = &c->interfaces[i];
		if (strcmp(other->name, ifc->name) == 0)
			continue;
		for (size_t k = 0; k < other->address_count; k++) {
			if (ip_addr_equal(&other->addresses[k].addr, &a.addr))
				return config_fail(r, p, prefix, "%% %s is already configured on %s",
				                  prefix->text, other->name);
		}
	}
	if (same != SIZE_MAX) {
		ifc->addresses[same].len = a.len; /* the same address with a new length */
		return true;
	}
	if (!address_insert(ifc, ifc->address_count, &a))
		return config_fail(r, p, prefix, "%% Too many addresses on %s (at most %d)", ifc->name,
		                  CONFIG_INTERFACE_ADDRESSES_MAX);
	return true;
}

/* ip ospf ... under an interface */
static bool apply_if_ospf(const struct config *c, struct config_interface *ifc, const struct cli_parse *p,
                          struct config_apply_result *r)
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
		config_text_copy(o->authentication_key, sizeof(o->authentication_key), p->negated || !v ? "" : v->text);
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
			config_text_copy(o->md5_key, sizeof(o->md5_key), key->text);
		}
	} else {
		return config_fail(r, p, NULL, "%s", config_msg_invalid_input);
	}
	return true;
}

static bool apply_if_shutdown(const struct config *c, struct config_interface *ifc, const struct cli_parse *p,
                              struct config_apply_result *r)
{
	ifc->shutdown = !p->negated;
	return true;
}

static bool apply_if_description(const struct config *c, struct config_interface *ifc,
                                 const struct cli_parse *p, struct config_apply_result *r)
{
	const struct cli_value *description = cli_arg(p, "DESCRIPTION");
	config_text_copy(ifc->description, sizeof(ifc->description),
	                 !p->negated && description ? description->text : "");
	return true;
}

static bool apply_if_split_horizon(const struct config *c, struct config_interface *ifc,
                                   const struct cli_parse *p, struct config_apply_result *r)
{
	ifc->rip_no_split_horizon = p->negated;
	return true;
}

static bool apply_if_rip_auth_mode(const struct config *c, struct config_interface *ifc,
                                   const struct cli_parse *p, struct config_apply_result *r)
{
	ifc->rip_auth_mode = p->negated ? CONFIG_RIP_AUTH_NONE
	                   : cli_has(p, "md5") ? CONFIG_RIP_AUTH_MD5 : CONFIG_RIP_AUTH_TEXT;
	return true;
}

static bool apply_if_rip_auth_key(const struct config *c, struct config_interface *ifc,
                                  const struct cli_parse *p, struct config_apply_result *r)
{
	/* IOS key chains need their own configuration mode; Tern has one key per interface */
	if (cli_has(p, "key-chain"))
		return config_fail(r, p, NULL,
		                   "%% Not yet supported: key chains (ip rip authentication key KEY sets the key)");
	const struct cli_value *key = cli_arg(p, "RIP-KEY");
	config_text_copy(ifc->rip_auth_key, sizeof(ifc->rip_auth_key), !p->negated && key ? key->text : "");
	return true;
}

/* ---- print and compare of one interface, setting by setting (as IOS prints them) ---- */

static void description_print(const struct config_interface *ifc, struct strbuf *out)
{
	if (ifc->description[0])
		strbuf_printf(out, " description %s\n", ifc->description);
}

static bool description_equal(const struct config_interface *a, const struct config_interface *b)
{
	return strcmp(a->description, b->description) == 0;
}

/* IOS prints the secondary addresses first, then the primary; no IPv4 address at all is
 * "no ip address". */
static void ip_address_print(const struct config_interface *ifc, struct strbuf *out)
{
	char addr[IP_ADDR_STRLEN], mask[16];
	bool v4 = false;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < ifc->address_count; i++) {
			const struct config_interface_address *a = &ifc->addresses[i];
			if (!ip_addr_is_v4(&a->addr) || a->secondary != (pass == 0))
				continue;
			v4 = true;
			strbuf_printf(out, " ip address %s %s%s\n", ip_addr_format(&a->addr, addr),
			              config_mask_text(a->len, mask), a->secondary ? " secondary" : "");
		}
	}
	if (!v4)
		strbuf_append(out, " no ip address\n");
}

/* The addresses of one family, in their order (IPv4 first, then IPv6). */
static bool addresses_equal(const struct config_interface *a, const struct config_interface *b, bool v4)
{
	size_t i = 0, j = 0;
	for (;;) {
		while (i < a->address_count && ip_addr_is_v4(&a->addresses[i].addr) != v4)
			i++;
		while (j < b->address_count && ip_addr_is_v4(&b->addresses[j].addr) != v4)
			j++;
		if (i == a->address_count || j == b->address_count)
			return i == a->address_count && j == b->address_count;
		const struct config_interface_address *x = &a->addresses[i++], *y = &b->addresses[j++];
		if (!ip_addr_equal(&x->addr, &y->addr) || x->len != y->len || x->secondary != y->secondary)
			return false;
	}
}

static bool ip_address_equal(const struct config_interface *a, const struct config_interface *b)
{
	return addresses_equal(a, b, true);
}

static void ipv6_address_print(const struct config_interface *ifc, struct strbuf *out)
{
	char addr[IP_ADDR_STRLEN];
	for (size_t i = 0; i < ifc->address_count; i++) {
		const struct config_interface_address *a = &ifc->addresses[i];
		if (!ip_addr_is_v4(&a->addr))
			strbuf_printf(out, " ipv6 address %s/%u\n", ip_addr_format(&a->addr, addr), a->len);
	}
}

static bool ipv6_address_equal(const struct config_interface *a, const struct config_interface *b)
{
	return addresses_equal(a, b, false);
}

static void rip_auth_mode_print(const struct config_interface *ifc, struct strbuf *out)
{
	if (ifc->rip_auth_mode == CONFIG_RIP_AUTH_TEXT)
		strbuf_append(out, " ip rip authentication mode text\n");
	else if (ifc->rip_auth_mode == CONFIG_RIP_AUTH_MD5)
		strbuf_append(out, " ip rip authentication mode md5\n");
}

static bool rip_auth_mode_equal(const struct config_interface *a, const struct config_interface *b)
{
	return a->rip_auth_mode == b->rip_auth_mode;
}

static void rip_auth_key_print(const struct config_interface *ifc, struct strbuf *out)
{
	if (ifc->rip_auth_key[0])
		strbuf_printf(out, " ip rip authentication key %s\n", ifc->rip_auth_key);
}

static bool rip_auth_key_equal(const struct config_interface *a, const struct config_interface *b)
{
	return strcmp(a->rip_auth_key, b->rip_auth_key) == 0;
}

static void split_horizon_print(const struct config_interface *ifc, struct strbuf *out)
{
	if (ifc->rip_no_split_horizon)
		strbuf_append(out, " no ip split-horizon\n");
}

static bool split_horizon_equal(const struct config_interface *a, const struct config_interface *b)
{
	return a->rip_no_split_horizon == b->rip_no_split_horizon;
}

/* ---- ip ospf: one command, the settings below; each is compared by what OSPF runs with
 * (config_ospf_hello_interval and its kind), so that writing out a default is named with no
 * effect ---- */

static void ospf_authentication_print(const struct config_interface *ifc, struct strbuf *out)
{
	const struct config_interface_ospf *o = &ifc->ospf;
	if (o->authentication)
		strbuf_printf(out, " ip ospf authentication%s\n",
		              o->authentication == 2 ? " message-digest" : o->authentication == 3 ? " null" : "");
	if (o->authentication_key[0])
		strbuf_printf(out, " ip ospf authentication-key %s\n", o->authentication_key);
	if (o->md5_key_id)
		strbuf_printf(out, " ip ospf message-digest-key %u md5 %s\n", o->md5_key_id, o->md5_key);
}

static bool ospf_authentication_equal(const struct config_interface *a, const struct config_interface *b)
{
	const struct config_interface_ospf *x = &a->ospf, *y = &b->ospf;
	return x->authentication == y->authentication && strcmp(x->authentication_key, y->authentication_key) == 0 &&
	       x->md5_key_id == y->md5_key_id && strcmp(x->md5_key, y->md5_key) == 0;
}

/* The authentication types (bit 0 none, 1 simple, 2 MD5) the interface may run: its own
 * `ip ospf authentication`, or when it has none its area's (RFC 2328 Appendix D; IOS lets an
 * interface override its area). Which area is the `network` statement's that covers the
 * address the kernel has, unknown here: every area's type counts, so a new key restarts an
 * interface that takes its area's type whenever some area uses that kind of key, even when
 * its own area has no authentication. */
static unsigned ospf_authentication_types(const struct config *c, const struct config_interface_ospf *o)
{
	if (o->authentication)
		return 1u << (o->authentication == 3 ? 0 : o->authentication);
	unsigned types = 1u << 0;
	for (size_t i = 0; i < c->ospf.area_count; i++)
		types |= 1u << c->ospf.areas[i].auth;
	return types;
}

/* What a neighbour checks (§D.3, §D.4: the type, the key, the MD5 key ID) differs: the
 * interface restarts. A key the interface cannot be using is not looked at. */
static enum config_effect ospf_authentication_effect(const struct config *ca, const struct config_interface *a,
                                                     const struct config *cb, const struct config_interface *b)
{
	const struct config_interface_ospf *x = &a->ospf, *y = &b->ospf;
	unsigned types = ospf_authentication_types(ca, x);
	if (types != ospf_authentication_types(cb, y))
		return CONFIG_EFFECT_RESET;
	if ((types & (1u << 1)) && strcmp(x->authentication_key, y->authentication_key) != 0)
		return CONFIG_EFFECT_RESET;
	if ((types & (1u << 2)) && (x->md5_key_id != y->md5_key_id || strcmp(x->md5_key, y->md5_key) != 0))
		return CONFIG_EFFECT_RESET;
	return CONFIG_EFFECT_NONE;
}

static void ospf_network_print(const struct config_interface *ifc, struct strbuf *out)
{
	if (ifc->ospf.network == CONFIG_OSPF_NET_P2P)
		strbuf_append(out, " ip ospf network point-to-point\n");
	else if (ifc->ospf.network == CONFIG_OSPF_NET_BROADCAST)
		strbuf_append(out, " ip ospf network broadcast\n");
}

static bool ospf_network_equal(const struct config_interface *a, const struct config_interface *b)
{
	return a->ospf.network == b->ospf.network;
}

/* An Ethernet is a broadcast network unless it says point-to-point (§9: the interface type);
 * a loopback is a loopback whatever it says. */
static enum config_effect ospf_network_effect(const struct config *ca, const struct config_interface *a,
                                              const struct config *cb, const struct config_interface *b)
{
	(void)ca, (void)cb;
	if (!strcmp(a->linux_name, "lo") || !strcmp(b->linux_name, "lo"))
		return CONFIG_EFFECT_NONE; /* IOS loopbacks and lo itself */
	bool x = a->ospf.network == CONFIG_OSPF_NET_P2P, y = b->ospf.network == CONFIG_OSPF_NET_P2P;
	return x != y ? CONFIG_EFFECT_RESET : CONFIG_EFFECT_NONE;
}

/* A number of ip ospf that 0 leaves at its default (config_ospf_hello_interval and its
 * kind): printed when set, compared as written. */
#define OSPF_NUMBER(field, text) \
	static void ospf_##field##_print(const struct config_interface *ifc, struct strbuf *out) \
	{ \
		if (ifc->ospf.field) \
			strbuf_printf(out, " ip ospf " text " %u\n", (unsigned)ifc->ospf.field); \
	} \
	static bool ospf_##field##_equal(const struct config_interface *a, const struct config_interface *b) \
	{ \
		return a->ospf.field == b->ospf.field; \
	}

/* What a change of it needs when the value OSPF runs with (`effective`) differs; none when it
 * is the same value written differently. */
#define OSPF_EFFECTIVE(field, effective, effect) \
	static enum config_effect ospf_##field##_effect(const struct config *ca, const struct config_interface *a, \
	                                               const struct config *cb, const struct config_interface *b) \
	{ \
		(void)ca, (void)cb; \
		return effective(&a->ospf) != effective(&b->ospf) ? (effect) : CONFIG_EFFECT_NONE; \
	}

OSPF_NUMBER(hello_interval, "hello-interval")
OSPF_NUMBER(dead_interval, "dead-interval")
OSPF_NUMBER(cost, "cost")
/* §10.5: a Hello whose HelloInterval or RouterDeadInterval differs from the receiver's is
 * dropped, so the neighbours must meet the interface again. */
OSPF_EFFECTIVE(hello_interval, config_ospf_hello_interval, CONFIG_EFFECT_RESET)
OSPF_EFFECTIVE(dead_interval, config_ospf_dead_interval, CONFIG_EFFECT_RESET)
/* A new priority runs the election again (§9.4), in place. */
OSPF_EFFECTIVE(priority, config_ospf_priority, CONFIG_EFFECT_IN_PLACE)

static void ospf_priority_print(const struct config_interface *ifc, struct strbuf *out)
{
	if (ifc->ospf.has_priority)
		strbuf_printf(out, " ip ospf priority %u\n", ifc->ospf.priority);
}

static bool ospf_priority_equal(const struct config_interface *a, const struct config_interface *b)
{
	return a->ospf.has_priority == b->ospf.has_priority &&
	       (!a->ospf.has_priority || a->ospf.priority == b->ospf.priority);
}

static void shutdown_print(const struct config_interface *ifc, struct strbuf *out)
{
	if (ifc->shutdown)
		strbuf_append(out, " shutdown\n");
}

static bool shutdown_equal(const struct config_interface *a, const struct config_interface *b)
{
	return a->shutdown == b->shutdown;
}

struct interface_setting {
	enum config_interface_setting setting;
	enum cli_cmd cmd;
	const char *label;              /* the setting's name (config_interface_setting_label) */
	bool (*apply)(const struct config *c, struct config_interface *ifc, const struct cli_parse *p,
	              struct config_apply_result *r);
	void (*print)(const struct config_interface *ifc, struct strbuf *out);
	bool (*equal)(const struct config_interface *a, const struct config_interface *b);
	enum config_effect effect;
	/* when what a change needs depends on what OSPF runs with (ip ospf); NULL: effect */
	enum config_effect (*effect_of)(const struct config *ca, const struct config_interface *a,
	                                const struct config *cb, const struct config_interface *b);
};

#define SETTING(setting, cmd, text, name, effect) \
	{ CONFIG_IF_##setting, cmd, text, apply_if_##name, name##_print, name##_equal, CONFIG_EFFECT_##effect, NULL }
/* One of the settings of `ip ospf`, whose effect is computed. */
#define OSPF_SETTING(setting, text, name, effect) \
	{ CONFIG_IF_##setting, CLI_CMD_IF_OSPF, text, apply_if_ospf, name##_print, name##_equal, \
	  CONFIG_EFFECT_##effect, name##_effect }

/* The settings of one interface (config-if mode), in the order IOS prints them, one row per
 * enum config_interface_setting. The kernel module applies the link and its addresses in
 * place (interfaces_apply); what a protocol on them sees of a new address is the old one's
 * adjacencies and sessions ending (an OSPF interface is its address: ospf_set_interfaces),
 * hence a reset. Shutdown takes the link down, which is its meaning, not a reset. RIP reads
 * its interface settings in place (rip_configure); OSPF restarts an interface for what its
 * neighbours check in a Hello and applies a cost or a priority in place
 * (ospf_reconfigure_interfaces). */
static const struct interface_setting interface_settings[CONFIG_IF_SETTING_COUNT] = {
	SETTING(DESCRIPTION, CLI_CMD_IF_DESCRIPTION, "description", description, IN_PLACE),
	SETTING(IP_ADDRESS, CLI_CMD_IF_IP_ADDRESS, "ip address", ip_address, RESET),
	SETTING(IPV6_ADDRESS, CLI_CMD_IF_IPV6_ADDRESS, "ipv6 address", ipv6_address, RESET),
	SETTING(RIP_AUTH_MODE, CLI_CMD_IF_RIP_AUTH_MODE, "ip rip authentication mode", rip_auth_mode, IN_PLACE),
	SETTING(RIP_AUTH_KEY, CLI_CMD_IF_RIP_AUTH_KEY, "ip rip authentication key", rip_auth_key, IN_PLACE),
	SETTING(SPLIT_HORIZON, CLI_CMD_IF_SPLIT_HORIZON, "ip split-horizon", split_horizon, IN_PLACE),
	OSPF_SETTING(OSPF_AUTHENTICATION, "ip ospf authentication", ospf_authentication, RESET),
	OSPF_SETTING(OSPF_NETWORK, "ip ospf network", ospf_network, RESET),
	OSPF_SETTING(OSPF_HELLO_INTERVAL, "ip ospf hello-interval", ospf_hello_interval, RESET),
	OSPF_SETTING(OSPF_DEAD_INTERVAL, "ip ospf dead-interval", ospf_dead_interval, RESET),
	OSPF_SETTING(OSPF_PRIORITY, "ip ospf priority", ospf_priority, IN_PLACE),
	/* originated again with the router LSA (§12.4.1) */
	{ CONFIG_IF_OSPF_COST, CLI_CMD_IF_OSPF, "ip ospf cost", apply_if_ospf, ospf_cost_print, ospf_cost_equal,
	  CONFIG_EFFECT_IN_PLACE, NULL },
	SETTING(SHUTDOWN, CLI_CMD_IF_SHUTDOWN, "shutdown", shutdown, IN_PLACE),
};
#define INTERFACE_SETTING_COUNT (sizeof(interface_settings) / sizeof(interface_settings[0]))

/* The section's change list names a command: `ip ospf` for any of its settings. */
const char *config_interface_setting_name(enum cli_cmd cmd)
{
	if (cmd == CLI_CMD_IF_OSPF)
		return "ip ospf";
	for (size_t i = 0; i < INTERFACE_SETTING_COUNT; i++)
		if (interface_settings[i].cmd == cmd)
			return interface_settings[i].label;
	return NULL;
}

const char *config_interface_setting_label(enum config_interface_setting s)
{
	return s < CONFIG_IF_SETTING_COUNT ? interface_settings[s].label : "unknown";
}

/* A command of config-if mode, on the session's interface. It works on a copy of the entry,
 * stored back only when accepted, so a refused command changes nothing. */
static bool apply_interface_mode(struct config *c, const struct cli_parse *p, struct config_apply_state *s)
{
	struct config_apply_result *r = s->r;
	struct ifname n;
	if (!s->ctx || !s->ctx->interface[0] || !ifname_parse(s->ctx->interface, &n))
		return config_fail(r, p, NULL, "%% No interface selected");
	const struct interface_setting *setting = NULL;
	for (size_t i = 0; i < INTERFACE_SETTING_COUNT && !setting; i++)
		if (interface_settings[i].cmd == p->cmd)
			setting = &interface_settings[i]; /* ip ospf: the first of its rows applies it */
	if (!setting)
		return config_fail(r, p, NULL, "%% Not an interface command");
	struct config_interface copy;
	const struct config_interface *current = interface_lookup(c, &n);
	if (current)
		copy = *current;
	else
		interface_from_name(&n, &copy); /* removed meanwhile: configure it again */
	if (!setting->apply(c, &copy, p, r))
		return false;
	if (!interface_store(c, &copy))
		return config_fail(r, p, NULL, "%% Too many interfaces (at most %u)", CONFIG_INTERFACE_MAX);
	return true;
}

static bool interface_equal(const struct config_interface *a, const struct config_interface *b)
{
	if (strcmp(a->name, b->name) != 0 || strcmp(a->linux_name, b->linux_name) != 0 ||
	    a->is_loopback != b->is_loopback)
		return false;
	for (size_t i = 0; i < INTERFACE_SETTING_COUNT; i++)
		if (!interface_settings[i].equal(a, b))
			return false;
	return true;
}

static void print_interface(const struct config_interface *ifc, struct strbuf *out)
{
	strbuf_printf(out, "interface %s\n", ifc->name);
	for (size_t i = 0; i < INTERFACE_SETTING_COUNT; i++)
		interface_settings[i].print(ifc, out);
	strbuf_append(out, "!\n");
}

/* ---- the interfaces: a list of objects with settings of their own ---- */

static bool interfaces_equal(const struct config *a, const struct config *b)
{
	if (a->interface_count != b->interface_count)
		return false;
	for (size_t i = 0; i < a->interface_count; i++)
		if (!interface_equal(&a->interfaces[i], &b->interfaces[i]))
			return false;
	return true;
}

static void interfaces_print(const struct config *c, struct strbuf *out)
{
	for (size_t i = 0; i < c->interface_count; i++)
		print_interface(&c->interfaces[i], out);
}

/* Names ifc in out (a new entry at the end: both lists are walked in order) with the
 * settings that differ between a and b; false when out of memory. */
static bool interface_change(const struct config *ca, const struct config_interface *a, const struct config *cb,
                             const struct config_interface *b, const struct config_interface *ifc,
                             enum config_interface_delta delta, struct config_change *out)
{
	struct config_interface_change entry = { .delta = delta };
	config_text_copy(entry.name, sizeof(entry.name), ifc->name);
	config_text_copy(entry.linux_name, sizeof(entry.linux_name), ifc->linux_name);
	entry.is_loopback = ifc->is_loopback;
	for (size_t i = 0; i < INTERFACE_SETTING_COUNT; i++) {
		const struct interface_setting *setting = &interface_settings[i];
		if (setting->equal(a, b))
			continue;
		enum config_effect effect = setting->effect_of ? setting->effect_of(ca, a, cb, b) : setting->effect;
		config_change_add(out, setting->cmd, effect);
		entry.settings |= CONFIG_IF_SETTING_BIT(setting->setting);
		entry.effects[setting->setting] = effect;
		if (effect > entry.effect)
			entry.effect = effect;
	}
	struct config_interface_change *grown =
		config_array_insert(out->interfaces, out->interface_count, sizeof(entry), out->interface_count);
	if (!grown)
		return false;
	out->interfaces = grown;
	out->interfaces[out->interface_count++] = entry;
	return true;
}

/* An interface added or removed is one block more or less, and its settings against none;
 * an interface in both changes setting by setting. Both lists are sorted the same way. */
static void interfaces_change(const struct config *ca, const struct config *cb, struct config_change *out)
{
	struct config_interface none;
	memset(&none, 0, sizeof(none));
	size_t i = 0, j = 0;
	while (i < ca->interface_count || j < cb->interface_count) {
		const struct config_interface *a = i < ca->interface_count ? &ca->interfaces[i] : NULL;
		const struct config_interface *b = j < cb->interface_count ? &cb->interfaces[j] : NULL;
		int cmp = !a ? 1 : !b ? -1 : interface_compare(a, b);
		if (cmp == 0 && interface_equal(a, b)) {
			i++, j++;
			continue;
		}
		bool stored;
		if (cmp == 0 && strcmp(a->linux_name, b->linux_name) == 0 && a->is_loopback == b->is_loopback) {
			stored = interface_change(ca, a, cb, b, b, CONFIG_INTERFACE_CHANGED, out);
		} else {
			config_change_add(out, CLI_CMD_INTERFACE, CONFIG_EFFECT_IN_PLACE);
			if (cmp <= 0)
				stored = interface_change(ca, a, cb, &none, a, CONFIG_INTERFACE_REMOVED, out);
			else
				stored = interface_change(ca, &none, cb, b, b, CONFIG_INTERFACE_ADDED, out);
		}
		if (!stored)
			out->interfaces_incomplete = true;
		i += cmp <= 0;
		j += cmp >= 0;
	}
}

static const struct config_command interface_commands[] = {
	{ CLI_CMD_INTERFACE, apply_interface, NULL, false, interfaces_print, interfaces_equal, "interface",
	  CONFIG_EFFECT_IN_PLACE, interfaces_change },
	CONFIG_APPLY(CLI_CMD_IF_IP_ADDRESS, apply_interface_mode),
	CONFIG_APPLY(CLI_CMD_IF_IPV6_ADDRESS, apply_interface_mode),
	CONFIG_APPLY(CLI_CMD_IF_SHUTDOWN, apply_interface_mode),
	CONFIG_APPLY(CLI_CMD_IF_DESCRIPTION, apply_interface_mode),
	CONFIG_APPLY(CLI_CMD_IF_SPLIT_HORIZON, apply_interface_mode),
	CONFIG_APPLY(CLI_CMD_IF_RIP_AUTH_MODE, apply_interface_mode),
	CONFIG_APPLY(CLI_CMD_IF_RIP_AUTH_KEY, apply_interface_mode),
	CONFIG_APPLY(CLI_CMD_IF_OSPF, apply_interface_mode),
	CONFIG_IGNORED(CLI_CMD_IF_MEDIA, "Tern does not set link media"),
	CONFIG_IGNORED(CLI_CMD_LEGACY_INTERFACE, "it has no meaning on Tern"),
};

const struct config_section_ops config_interface_section = {
	.section = CONFIG_SECTION_INTERFACES,
	.name = "interfaces",
	.commands = interface_commands,
	.command_count = sizeof(interface_commands) / sizeof(interface_commands[0]),
	.print = interfaces_print,
};
