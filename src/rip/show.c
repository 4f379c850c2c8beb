/*
 * DOC: show ip rip database and the RIP part of show ip protocols: IOS layout, and JSON.
 */
#include "rip/internal.h"

#include <stdio.h>
#include <string.h>

static const char *iface_name(const struct rip *rip, uint32_t ifindex)
{
	const struct iface *ifc = rip_iface_find_const(rip, ifindex);
	return ifc && ifc->name[0] ? ifc->name : "?";
}

static const char *kind_name(const struct route *r)
{
	if (r->kind == ROUTE_CONNECTED)
		return "connected";
	if (r->kind == ROUTE_LEARNED)
		return "rip";
	return r->redist_kind == RIP_REDIST_CONNECTED ? "redistributed-connected"
	       : r->redist_kind == RIP_REDIST_STATIC  ? "redistributed-static"
						      : "redistributed-bgp";
}

static void hms(uint64_t ms, char *buf, size_t size)
{
	uint64_t s = ms / 1000;
	snprintf(buf, size, "%02u:%02u:%02u", (unsigned)(s / 3600 % 100), (unsigned)(s / 60 % 60), (unsigned)(s % 60));
}

void rip_show_database(const struct rip *rip, bool json, uint64_t now, struct strbuf *out)
{
	char a[16], nh[16], age[16];
	if (json)
		strbuf_append(out, "{\"routes\":{");
	for (size_t i = 0; i < rip->routes.count; i++) {
		const struct route *r = &rip_routes(rip)[i];
		ipv4_format(r->addr, a);
		if (json) {
			strbuf_printf(out, "%s\"%s/%u\":{\"metric\":%u,\"type\":\"%s\"", i ? "," : "", a, r->len,
				      r->metric, kind_name(r));
			if (r->kind == ROUTE_LEARNED) {
				strbuf_printf(out, ",\"nextHop\":\"%s\",", ipv4_format(r->next_hop, nh));
				strbuf_printf(out, "\"from\":\"%s\",\"interface\":", ipv4_format(r->from, nh));
				strbuf_json_string(out, iface_name(rip, r->ifindex));
				strbuf_printf(out, ",\"tag\":%u,\"ageSeconds\":%llu", r->tag,
					      (unsigned long long)((now - r->updated) / 1000));
				if (r->expires)
					strbuf_printf(out, ",\"expiresInSeconds\":%llu",
						      (unsigned long long)((r->expires > now ? r->expires - now : 0) / 1000));
			} else if (r->kind == ROUTE_CONNECTED) {
				strbuf_append(out, ",\"interface\":");
				strbuf_json_string(out, iface_name(rip, r->ifindex));
			}
			if (r->gc_at)
				strbuf_printf(out, ",\"deletedInSeconds\":%llu",
					      (unsigned long long)((r->gc_at > now ? r->gc_at - now : 0) / 1000));
			strbuf_append(out, "}");
			continue;
		}
		strbuf_printf(out, "%s/%u    ", a, r->len);
		if (r->kind == ROUTE_CONNECTED) {
			strbuf_printf(out, "directly connected, %s\n", iface_name(rip, r->ifindex));
		} else if (r->kind == ROUTE_REDISTRIBUTED) {
			strbuf_printf(out, "redistributed (%s), metric %u\n", kind_name(r) + 14, r->metric);
		} else {
			hms(now - r->updated, age, sizeof(age));
			strbuf_printf(out, "\n    [%u] via %s, %s, %s%s\n", r->metric, ipv4_format(r->next_hop, nh), age,
				      iface_name(rip, r->ifindex), r->metric >= RIP_INFINITY ? " (possibly down)" : "");
		}
	}
	if (json)
		strbuf_append(out, "}}\n");
}

void rip_show_protocols(const struct rip *rip, bool json, uint64_t now, struct strbuf *out)
{
	const struct config_rip *c = &rip->config;
	char a[16];
	uint64_t next = rip->next_update > now ? (rip->next_update - now) / 1000 : 0;
	const char *receive = c->version == 1 ? "1" : c->version == 2 ? "2" : "1 2";
	if (json) {
		strbuf_printf(out, "{\"updateInterval\":%u,\"invalid\":%u,\"holddown\":%u,\"flush\":%u,"
				   "\"nextUpdateInSeconds\":%llu,\"sendVersion\":%u,\"receiveVersion\":\"%s\","
				   "\"distance\":%u,\"defaultMetric\":%u,\"redistributing\":[",
			      c->update, c->invalid, c->holddown, c->flush, (unsigned long long)next,
			      rip_send_version(rip), receive, c->distance, c->default_metric);
		const char *sep = "";
		if (c->redistribute_connected.enabled) {
			strbuf_append(out, "\"connected\"");
			sep = ",";
		}
		if (c->redistribute_static.enabled) {
			strbuf_printf(out, "%s\"static\"", sep);
			sep = ",";
		}
		if (c->redistribute_bgp.enabled)
			strbuf_printf(out, "%s\"bgp\"", sep);
		strbuf_append(out, "],\"interfaces\":{");
		sep = "";
		for (size_t i = 0; i < rip->iface_count; i++) {
			const struct iface *ifc = &rip->ifaces[i];
			if (!ifc->enabled)
				continue;
			strbuf_append(out, sep);
			strbuf_json_string(out, ifc->name);
			strbuf_printf(out, ":{\"up\":%s,\"passive\":%s,\"splitHorizon\":%s,\"authentication\":\"%s\","
					   "\"received\":%llu,\"badPackets\":%llu,\"sent\":%llu,\"triggeredUpdates\":%llu}",
				      ifc->up ? "true" : "false", ifc->passive ? "true" : "false",
				      ifc->split_horizon ? "true" : "false",
				      ifc->auth_mode == CONFIG_RIP_AUTH_MD5 ? "md5"
				      : ifc->auth_mode == CONFIG_RIP_AUTH_TEXT ? "text" : "none",
				      (unsigned long long)ifc->received, (unsigned long long)ifc->bad,
				      (unsigned long long)ifc->sent, (unsigned long long)ifc->triggered);
			sep = ",";
		}
		strbuf_append(out, "},\"networks\":[");
		for (size_t i = 0; i < c->network_count; i++) {
			struct ip_addr ip = { .family = AF_INET };
			memcpy(ip.bytes, c->networks[i].addr, 4);
			strbuf_printf(out, "%s\"%s/%u\"", i ? "," : "", ipv4_format(ip_addr_v4(&ip), a), c->networks[i].len);
		}
		strbuf_append(out, "],\"neighbors\":[");
		for (size_t i = 0; i < c->neighbor_count; i++)
			strbuf_printf(out, "%s\"%s\"", i ? "," : "", ipv4_format(c->neighbors[i], a));
		strbuf_append(out, "],\"sources\":{");
		for (size_t i = 0; i < rip->source_count; i++)
			strbuf_printf(out, "%s\"%s\":{\"distance\":%u,\"version\":%u,\"lastUpdateSeconds\":%llu}",
				      i ? "," : "", ipv4_format(rip->sources[i].addr, a), c->distance,
				      rip->sources[i].version,
				      (unsigned long long)((now - rip->sources[i].last_heard) / 1000));
		strbuf_printf(out, "},\"received\":%llu,\"sent\":%llu,\"triggeredUpdates\":%llu,\"badRoutes\":%llu,"
				   "\"drops\":{",
			      (unsigned long long)rip->stats.received, (unsigned long long)rip->stats.sent,
			      (unsigned long long)rip->stats.triggered_updates, (unsigned long long)rip->stats.bad_routes);
		for (int d = 0; d < RIP_DROP_COUNT; d++)
			strbuf_printf(out, "%s\"%s\":%llu", d ? "," : "", rip_drop_name((enum rip_drop)d),
				      (unsigned long long)rip->stats.drops[d]);
		strbuf_append(out, "}}");
		return;
	}
	strbuf_append(out, "Routing Protocol is \"rip\"\n");
	strbuf_printf(out, "  Sending updates every %u seconds, next due in %llu seconds\n", c->update,
		      (unsigned long long)next);
	strbuf_printf(out, "  Invalid after %u seconds, hold down %u, flushed after %u\n", c->invalid, c->holddown,
		      c->flush);
	strbuf_append(out, "  Redistributing: rip");
	if (c->redistribute_connected.enabled)
		strbuf_append(out, ", connected");
	if (c->redistribute_static.enabled)
		strbuf_append(out, ", static");
	if (c->redistribute_bgp.enabled)
		strbuf_append(out, ", bgp");
	strbuf_append(out, "\n");
	if (c->default_metric)
		strbuf_printf(out, "  Default redistribution metric is %u\n", c->default_metric);
	strbuf_printf(out, "  Default version control: send version %u, receive version %s\n", rip_send_version(rip),
		      c->version == 0 ? "1 2" : receive);
	strbuf_append(out, "    Interface             Send  Recv  Triggered RIP  Auth   Received  Bad  Sent\n");
	for (size_t i = 0; i < rip->iface_count; i++) {
		const struct iface *ifc = &rip->ifaces[i];
		if (!ifc->enabled)
			continue;
		strbuf_printf(out, "    %-20s  %-4u  %-4s  %-13s  %-5s  %8llu  %3llu  %4llu%s\n", ifc->name,
			      rip_send_version(rip), receive, "yes",
			      ifc->auth_mode == CONFIG_RIP_AUTH_MD5 ? "md5"
			      : ifc->auth_mode == CONFIG_RIP_AUTH_TEXT ? "text" : "",
			      (unsigned long long)ifc->received, (unsigned long long)ifc->bad,
			      (unsigned long long)ifc->sent, ifc->passive ? "  (passive)" : "");
	}
	strbuf_printf(out, "  Automatic network summarization is %sin effect\n",
		      c->auto_summary && rip_send_version(rip) == 2 ? "" : "not ");
	strbuf_append(out, "  Maximum path: 1\n  Routing for Networks:\n");
	for (size_t i = 0; i < c->network_count; i++) {
		struct ip_addr ip = { .family = AF_INET };
		memcpy(ip.bytes, c->networks[i].addr, 4);
		strbuf_printf(out, "    %s\n", ipv4_format(ip_addr_v4(&ip), a));
	}
	if (c->neighbor_count) {
		strbuf_append(out, "  Neighbors:\n");
		for (size_t i = 0; i < c->neighbor_count; i++)
			strbuf_printf(out, "    %s\n", ipv4_format(c->neighbors[i], a));
	}
	if (c->passive_default || c->passive_count) {
		strbuf_append(out, "  Passive Interface(s):\n");
		for (size_t i = 0; i < rip->iface_count; i++) {
			if (rip->ifaces[i].enabled && rip->ifaces[i].passive)
				strbuf_printf(out, "    %s\n", rip->ifaces[i].name);
		}
	}
	strbuf_append(out, "  Routing Information Sources:\n    Gateway         Distance      Last Update\n");
	for (size_t i = 0; i < rip->source_count; i++) {
		char age[16];
		hms(now - rip->sources[i].last_heard, age, sizeof(age));
		strbuf_printf(out, "    %-15s %8u      %s\n", ipv4_format(rip->sources[i].addr, a), c->distance, age);
	}
	strbuf_printf(out, "  Distance: (default is %u)\n", c->distance);
	strbuf_append(out, "  Dropped messages:");
	bool any = false;
	for (int d = 0; d < RIP_DROP_COUNT; d++) {
		if (rip->stats.drops[d]) {
			strbuf_printf(out, " %s %llu", rip_drop_name((enum rip_drop)d),
				      (unsigned long long)rip->stats.drops[d]);
			any = true;
		}
	}
	strbuf_append(out, any ? "\n" : " none\n");
}
