/*
 * DOC: show ip rip database and the RIP part of show ip protocols: IOS layout, and JSON.
 */
#include "rip/internal.h"

#include <stdio.h>
#include <string.h>

#include "lib/json_writer.h"

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

/* One route of the database, as a member of "routes". */
static void route_json(struct json_writer *w, const struct rip *rip, const struct route *r, uint64_t now)
{
	char nh[16], prefix[PREFIX_STRLEN];
	json_member_object_begin(w, prefix_format(&r->prefix, prefix));
	json_member_uint(w, "metric", r->metric);
	json_member_string(w, "type", kind_name(r));
	if (r->kind == ROUTE_LEARNED) {
		json_member_string(w, "nextHop", ipv4_format(r->next_hop, nh));
		json_member_string(w, "from", ipv4_format(r->from, nh));
		json_member_string(w, "interface", iface_name(rip, r->ifindex));
		json_member_uint(w, "tag", r->tag);
		json_member_uint(w, "ageSeconds", (now - r->updated) / 1000);
		if (r->expires)
			json_member_uint(w, "expiresInSeconds", (r->expires > now ? r->expires - now : 0) / 1000);
	} else if (r->kind == ROUTE_CONNECTED) {
		json_member_string(w, "interface", iface_name(rip, r->ifindex));
	}
	if (r->gc_at)
		json_member_uint(w, "deletedInSeconds", (r->gc_at > now ? r->gc_at - now : 0) / 1000);
	json_object_end(w);
}

void rip_show_database(const struct rip *rip, bool json, uint64_t now, struct strbuf *out)
{
	char text[PREFIX_STRLEN], nh[16], age[16];
	if (json) {
		struct json_writer w;
		json_writer_init(&w, out);
		json_object_begin(&w);
		json_member_object_begin(&w, "routes");
		for (size_t i = 0; i < rip->routes.count; i++)
			route_json(&w, rip, &rip_routes(rip)[i], now);
		json_object_end(&w);
		json_object_end(&w);
		return;
	}
	for (size_t i = 0; i < rip->routes.count; i++) {
		const struct route *r = &rip_routes(rip)[i];
		strbuf_printf(out, "%s    ", prefix_format(&r->prefix, text));
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
}

static const char *auth_name(const struct iface *ifc)
{
	return ifc->auth_mode == CONFIG_RIP_AUTH_MD5 ? "md5" : ifc->auth_mode == CONFIG_RIP_AUTH_TEXT ? "text" : "none";
}

static const char *receive_versions(const struct config_rip *c)
{
	return c->version == 1 ? "1" : c->version == 2 ? "2" : "1 2";
}

void rip_show_protocols_json(const struct rip *rip, uint64_t now, struct json_writer *w)
{
	const struct config_rip *c = &rip->config;
	char a[16];
	json_object_begin(w);
	json_member_uint(w, "updateInterval", c->update);
	json_member_uint(w, "invalid", c->invalid);
	json_member_uint(w, "holddown", c->holddown);
	json_member_uint(w, "flush", c->flush);
	json_member_uint(w, "nextUpdateInSeconds", rip->next_update > now ? (rip->next_update - now) / 1000 : 0);
	json_member_uint(w, "sendVersion", rip_send_version(rip));
	json_member_string(w, "receiveVersion", receive_versions(c));
	json_member_uint(w, "distance", c->distance);
	json_member_uint(w, "defaultMetric", c->default_metric);
	json_member_array_begin(w, "redistributing");
	if (c->redistribute_connected.enabled)
		json_string(w, "connected");
	if (c->redistribute_static.enabled)
		json_string(w, "static");
	if (c->redistribute_bgp.enabled)
		json_string(w, "bgp");
	json_array_end(w);
	json_member_object_begin(w, "interfaces");
	for (size_t i = 0; i < rip->iface_count; i++) {
		const struct iface *ifc = &rip->ifaces[i];
		if (!ifc->enabled)
			continue;
		json_member_object_begin(w, ifc->name);
		json_member_bool(w, "up", ifc->up);
		json_member_bool(w, "passive", ifc->passive);
		json_member_bool(w, "splitHorizon", ifc->split_horizon);
		json_member_string(w, "authentication", auth_name(ifc));
		json_member_uint(w, "received", ifc->received);
		json_member_uint(w, "badPackets", ifc->bad);
		json_member_uint(w, "sent", ifc->sent);
		json_member_uint(w, "triggeredUpdates", ifc->triggered);
		json_object_end(w);
	}
	json_object_end(w);
	json_member_array_begin(w, "networks");
	for (size_t i = 0; i < c->network_count; i++) {
		char text[PREFIX_STRLEN];
		json_string(w, prefix_format(&c->networks[i], text));
	}
	json_array_end(w);
	json_member_array_begin(w, "neighbors");
	for (size_t i = 0; i < c->neighbor_count; i++)
		json_string(w, ipv4_format(c->neighbors[i], a));
	json_array_end(w);
	json_member_object_begin(w, "sources");
	for (size_t i = 0; i < rip->source_count; i++) {
		json_member_object_begin(w, ipv4_format(rip->sources[i].addr, a));
		json_member_uint(w, "distance", c->distance);
		json_member_uint(w, "version", rip->sources[i].version);
		json_member_uint(w, "lastUpdateSeconds", (now - rip->sources[i].last_heard) / 1000);
		json_object_end(w);
	}
	json_object_end(w);
	json_member_uint(w, "received", rip->stats.received);
	json_member_uint(w, "sent", rip->stats.sent);
	json_member_uint(w, "triggeredUpdates", rip->stats.triggered_updates);
	json_member_uint(w, "badRoutes", rip->stats.bad_routes);
	json_member_object_begin(w, "drops");
	for (int d = 0; d < RIP_DROP_COUNT; d++)
		json_member_uint(w, rip_drop_name((enum rip_drop)d), rip->stats.drops[d]);
	json_object_end(w);
	json_object_end(w);
}

void rip_show_protocols(const struct rip *rip, bool json, uint64_t now, struct strbuf *out)
{
	if (json) {
		struct json_writer w;
		json_writer_init(&w, out);
		rip_show_protocols_json(rip, now, &w);
		return;
	}
	const struct config_rip *c = &rip->config;
	char a[16];
	uint64_t next = rip->next_update > now ? (rip->next_update - now) / 1000 : 0;
	const char *receive = receive_versions(c);
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
			      ifc->auth_mode == CONFIG_RIP_AUTH_NONE ? "" : auth_name(ifc),
			      (unsigned long long)ifc->received, (unsigned long long)ifc->bad,
			      (unsigned long long)ifc->sent, ifc->passive ? "  (passive)" : "");
	}
	strbuf_printf(out, "  Automatic network summarization is %sin effect\n",
		      c->auto_summary && rip_send_version(rip) == 2 ? "" : "not ");
	strbuf_append(out, "  Maximum path: 1\n  Routing for Networks:\n");
	for (size_t i = 0; i < c->network_count; i++) {
		char address[IP_ADDR_STRLEN];
		strbuf_printf(out, "    %s\n", prefix_format_address(&c->networks[i], address));
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
