/*
 * DOC: `show ip interface brief`, `show interfaces [NAME]`, `show ip interface [NAME]`, as
 * text in IOS layout and as JSON. Interfaces are what the kernel has (so changes made with
 * `ip addr` or `ip link` show up), named the IOS way when the rule of lib/ifname.h maps them,
 * with the running configuration's description and method.
 */
#include "ctl/show_interfaces.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/ifname.h"
#include "lib/json_writer.h"

static const struct config_interface *configured(const struct config *c, const char *linux_name)
{
	for (size_t i = 0; i < c->interface_count; i++)
		if (!strcmp(c->interfaces[i].linux_name, linux_name) && !c->interfaces[i].is_loopback)
			return &c->interfaces[i];
	return NULL;
}

static const char *status_text(const struct kernel_link *l)
{
	return l->admin_up ? "up" : "administratively down";
}

static const char *protocol_text(const struct kernel_link *l)
{
	return l->admin_up && l->oper_up ? "up" : "down";
}

/* The primary IPv4 address: the first one without the secondary flag. */
static const struct kernel_addr *primary_v4(const struct kernel_ifaces *t, uint32_t ifindex)
{
	size_t cursor = 0;
	const struct kernel_addr *a, *first = NULL;
	while ((a = kernel_ifaces_addr_next(t, ifindex, &cursor))) {
		if (a->addr.family != AF_INET || a->addr.bytes[0] == 127)
			continue;
		if (!first)
			first = a;
		if (!(a->flags & 0x01 /* IFA_F_SECONDARY */))
			return a;
	}
	return first;
}

static bool wanted(const struct kernel_link *l, const char *filter, struct ifname *name)
{
	ifname_from_linux(l->name, name);
	if (!filter)
		return true;
	struct ifname f;
	return ifname_parse(filter, &f) && !strcmp(f.linux_name, l->name);
}

static void interface_json(struct json_writer *w, const struct kernel_ifaces *t, const struct kernel_link *l,
			   const struct ifname *name, const struct config_interface *ci)
{
	json_member_object_begin(w, name->ios_name);
	json_member_string(w, "linuxName", l->name);
	json_member_string(w, "status", status_text(l));
	json_member_string(w, "protocol", protocol_text(l));
	json_member_uint(w, "mtu", l->mtu);
	json_member_uint(w, "ifindex", l->ifindex);
	json_member_array_begin(w, "addresses");
	size_t cursor = 0;
	const struct kernel_addr *x;
	while ((x = kernel_ifaces_addr_next(t, l->ifindex, &cursor))) {
		char text[IP_ADDR_STRLEN];
		json_stringf(w, "%s/%u", ip_addr_format(&x->addr, text), x->prefixlen);
	}
	json_array_end(w);
	if (ci && ci->description[0])
		json_member_string(w, "description", ci->description);
	json_object_end(w);
}

bool show_interfaces(const struct kernel *kernel, const struct config *config, enum show_interfaces_kind kind,
		     const char *filter, bool json, struct strbuf *out)
{
	const struct kernel_ifaces *t = kernel_ifaces(kernel);
	bool found = false;
	struct json_writer w;
	json_writer_init(&w, out);
	if (json) {
		json_object_begin(&w);
		json_member_object_begin(&w, "interfaces");
	} else if (kind == SHOW_INTERFACES_BRIEF)
		strbuf_printf(out, "%-26s %-15s %-3s %-6s %-21s %s\n", "Interface", "IP-Address", "OK?", "Method", "Status",
			      "Protocol");
	for (size_t i = 0; i < kernel_ifaces_link_count(t); i++) {
		const struct kernel_link *l = kernel_ifaces_link_at(t, i);
		struct ifname name;
		if (!wanted(l, filter, &name))
			continue;
		found = true;
		const struct kernel_addr *a = primary_v4(t, l->ifindex);
		char addr[IP_ADDR_STRLEN] = "unassigned";
		if (a)
			ip_addr_format(&a->addr, addr);
		const struct config_interface *ci = configured(config, l->name);
		const char *method = ci && ci->address_count ? "manual" : a ? "other" : "unset";
		if (json) {
			interface_json(&w, t, l, &name, ci);
			continue;
		}
		if (kind == SHOW_INTERFACES_BRIEF) {
			strbuf_printf(out, "%-26s %-15s YES %-6s %-21s %s\n", name.ios_name, addr, method, status_text(l),
				      protocol_text(l));
			continue;
		}
		strbuf_printf(out, "%s is %s, line protocol is %s\n", name.ios_name, status_text(l), protocol_text(l));
		if (kind == SHOW_INTERFACES_ALL && l->lladdr_len == 6)
			strbuf_printf(out, "  Hardware is Ethernet, address is %02x%02x.%02x%02x.%02x%02x\n", l->lladdr[0],
				      l->lladdr[1], l->lladdr[2], l->lladdr[3], l->lladdr[4], l->lladdr[5]);
		if (ci && ci->description[0])
			strbuf_printf(out, "  Description: %s\n", ci->description);
		size_t cursor = 0;
		const struct kernel_addr *x;
		bool any = false;
		while ((x = kernel_ifaces_addr_next(t, l->ifindex, &cursor))) {
			char text[IP_ADDR_STRLEN];
			if (x->addr.family != AF_INET)
				continue;
			strbuf_printf(out, "  Internet address is %s/%u%s\n", ip_addr_format(&x->addr, text), x->prefixlen,
				      x == a ? "" : " (secondary)");
			any = true;
		}
		if (!any && kind == SHOW_INTERFACES_IP)
			strbuf_append(out, "  Internet protocol processing disabled\n");
		strbuf_printf(out, "  MTU %u bytes\n", l->mtu);
	}
	if (json)
		json_close_all(&w);
	return found || !filter;
}
