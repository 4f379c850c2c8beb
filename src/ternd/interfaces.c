/*
 * DOC: applying `interface` configuration to the kernel (IOS `ip address`, `shutdown`).
 *
 * The configuration is the truth for the interfaces it names: their configured addresses
 * are added, addresses the previous configuration had and the new one lacks are removed,
 * and their admin state follows `shutdown`. Interfaces the configuration does not name, and
 * addresses put on with `ip addr` that the configuration never had, are left alone, so Tern
 * can share a namespace with other tools. Loopback addresses go on `lo` (lib/ifname.h).
 * What the previous configuration had is read for the interfaces the change list names
 * only; every configured interface is compared with what the kernel has, so that a commit
 * puts back an address or admin state changed outside Tern.
 */
#include "ternd/interfaces.h"

#include <stdio.h>
#include <string.h>

#include "lib/log.h"

struct apply_errors {
	struct strbuf *out;
	unsigned failures;
};

static void done(void *arg, int error, const char *text)
{
	struct apply_errors *e = arg;
	if (!error)
		return;
	e->failures++;
	log_warning("interfaces: %s", text);
	if (e->out)
		strbuf_printf(e->out, "%s\n", text);
}

static bool kernel_has_address(const struct kernel_ifaces *t, uint32_t ifindex, const struct ip_addr *addr,
			       uint8_t len)
{
	size_t cursor = 0;
	const struct kernel_addr *a;
	while ((a = kernel_ifaces_addr_next(t, ifindex, &cursor)))
		if (ip_addr_equal(&a->addr, addr) && a->prefixlen == len)
			return true;
	return false;
}

static bool config_has_address(const struct config_interface *ci, const struct config_interface_address *addr)
{
	for (size_t i = 0; ci && i < ci->address_count; i++)
		if (ip_addr_equal(&ci->addresses[i].addr, &addr->addr) && ci->addresses[i].len == addr->len)
			return true;
	return false;
}

static const struct config_interface *find(const struct config *c, const char *name)
{
	for (size_t i = 0; c && i < c->interface_count; i++)
		if (!strcmp(c->interfaces[i].name, name))
			return &c->interfaces[i];
	return NULL;
}

/* Does the change list name the interface (a list that could not name them all: yes)? */
static bool named(const struct config_change *change, const char *name)
{
	return change->interfaces_incomplete || config_change_interface(change, name);
}

/* Did the interface's addresses change? */
static bool addresses_changed(const struct config_change *change, const char *name)
{
	const struct config_interface_change *e = config_change_interface(change, name);
	unsigned addresses = CONFIG_IF_SETTING_BIT(CONFIG_IF_IP_ADDRESS) | CONFIG_IF_SETTING_BIT(CONFIG_IF_IPV6_ADDRESS);
	return change->interfaces_incomplete || (e && (e->settings & addresses));
}

void interfaces_apply(struct kernel *kernel, const struct config *old, const struct config *new,
		      const struct config_change *change, struct strbuf *messages)
{
	if (!kernel)
		return;
	const struct kernel_ifaces *t = kernel_ifaces(kernel);
	struct apply_errors errors = { .out = messages };
	bool queued = false;
	/* What the old configuration had and the new one lacks goes first. */
	for (size_t i = 0; old && i < old->interface_count; i++) {
		const struct config_interface *was = &old->interfaces[i];
		if (!addresses_changed(change, was->name))
			continue;
		const struct config_interface *now = find(new, was->name);
		const struct kernel_link *link = kernel_ifaces_link_by_name(t, was->linux_name);
		if (!link)
			continue;
		for (size_t k = 0; k < was->address_count; k++) {
			const struct config_interface_address *a = &was->addresses[k];
			if (!config_has_address(now, a) && kernel_has_address(t, link->ifindex, &a->addr, a->len)) {
				kernel_address_delete(kernel, link->ifindex, &a->addr, a->len, done, &errors);
				queued = true;
			}
		}
	}
	for (size_t i = 0; i < new->interface_count; i++) {
		const struct config_interface *ci = &new->interfaces[i];
		const struct kernel_link *link = kernel_ifaces_link_by_name(t, ci->linux_name);
		if (!link) {
			/* Said once, when the configuration of that interface changes, not on every
			 * later command. */
			if (!named(change, ci->name))
				continue;
			if (messages)
				strbuf_printf(messages, "%% Interface %s (%s) does not exist here; its configuration is kept\n",
					      ci->name, ci->linux_name);
			log_warning("interfaces: %s (%s) does not exist", ci->name, ci->linux_name);
			continue;
		}
		/* lo is never shut down: IOS loopbacks share it here. */
		bool want_up = ci->is_loopback || !strcmp(ci->linux_name, "lo") ? true : !ci->shutdown;
		if (link->admin_up != want_up) {
			kernel_link_set_up(kernel, link->ifindex, want_up, done, &errors);
			queued = true;
		}
		for (size_t k = 0; k < ci->address_count; k++) {
			const struct config_interface_address *a = &ci->addresses[k];
			if (!kernel_has_address(t, link->ifindex, &a->addr, a->len)) {
				kernel_address_add(kernel, link->ifindex, &a->addr, a->len, done, &errors);
				queued = true;
			}
		}
	}
	/* Wait (briefly) for the kernel's answers so that an engineer sees an error at once. */
	if (queued)
		kernel_settle(kernel, 1000);
}
