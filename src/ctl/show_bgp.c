/*
 * DOC: rendering of the BGP show commands (see show_bgp.h). Text follows the IOS layout an
 * engineer knows; JSON uses the same member names for every command so tests and scripts
 * read one vocabulary.
 */
#include "ctl/show_bgp.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static void format_duration(time_t seconds, char *buf, size_t size)
{
	if (seconds < 0)
		seconds = 0;
	if (seconds >= 86400)
		snprintf(buf, size, "%lldd%02lldh", (long long)(seconds / 86400),
			 (long long)(seconds % 86400 / 3600));
	else
		snprintf(buf, size, "%02lld:%02lld:%02lld", (long long)(seconds / 3600),
			 (long long)(seconds % 3600 / 60), (long long)(seconds % 60));
}

static time_t since(time_t then)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec - then;
}

/* The IOS State/PfxRcd column: a count when Established, else the state. */
static const char *peer_state_text(const struct bgp_peer *peer)
{
	if (peer->config.shutdown)
		return "Idle (Admin)";
	if (peer->max_prefix.held_down)
		return "Idle (PfxCt)";
	return bgp_state_name(bgp_peer_state(peer));
}

void show_bgp_summary(struct bgp_speaker *speaker, bool json, struct strbuf *out)
{
	char id[16], addr[IP_ADDR_STRLEN], updown[32];
	ipv4_format(bgp_speaker_router_id(speaker), id);
	if (json) {
		strbuf_printf(out, "{\"routerId\":\"%s\",\"as\":%u,\"peers\":{", id, bgp_speaker_local_as(speaker));
		bool first = true;
		for (struct bgp_peer *p = bgp_speaker_peers(speaker); p; p = p->next) {
			if (p->removed)
				continue;
			format_duration(since(p->last_change), updown, sizeof(updown));
			strbuf_printf(out, "%s\"%s\":{\"remoteAs\":%u,\"state\":\"%s\",\"adminShutdown\":%s,"
				      "\"msgRcvd\":%llu,\"msgSent\":%llu,\"upDown\":\"%s\",\"pfxRcvd\":%llu",
				      first ? "" : ",", ip_addr_format(&p->config.addr, addr), p->config.remote_as,
				      bgp_state_name(bgp_peer_state(p)), p->config.shutdown ? "true" : "false",
				      (unsigned long long)p->received.total, (unsigned long long)p->sent.total,
				      updown, (unsigned long long)p->prefixes_received);
			if (p->config.description[0]) {
				strbuf_append(out, ",\"description\":");
				strbuf_json_string(out, p->config.description);
			}
			strbuf_append(out, "}");
			first = false;
		}
		strbuf_append(out, "}}\n");
		return;
	}
	strbuf_printf(out, "BGP router identifier %s, local AS number %u\n\n", id, bgp_speaker_local_as(speaker));
	strbuf_append(out, "Neighbor        V           AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd\n");
	for (struct bgp_peer *p = bgp_speaker_peers(speaker); p; p = p->next) {
		if (p->removed)
			continue;
		format_duration(since(p->last_change), updown, sizeof(updown));
		ip_addr_format(&p->config.addr, addr);
		strbuf_printf(out, "%-15s%s%2d %12u %7llu %7llu %8d %4d %4d %-8s ", addr,
			      strlen(addr) > 15 ? "\n               " : "", 4, p->config.remote_as,
			      (unsigned long long)p->received.total, (unsigned long long)p->sent.total, 0,
			      0, 0, updown);
		if (bgp_peer_state(p) == BGP_STATE_ESTABLISHED)
			strbuf_printf(out, "%12llu\n", (unsigned long long)p->prefixes_received);
		else
			strbuf_printf(out, "%s\n", peer_state_text(p));
	}
}

static void capability_names(const struct bgp_capabilities *caps, bool json, struct strbuf *out)
{
	const char *names[BGP_CAP_MAX_AFI_SAFI + 8 + BGP_CAP_MAX_UNKNOWN];
	char unknown[BGP_CAP_MAX_UNKNOWN][24];
	unsigned n = 0;
	for (unsigned i = 0; i < caps->multiprotocol_count && i < BGP_CAP_MAX_AFI_SAFI; i++)
		names[n++] = caps->multiprotocol[i].afi == BGP_AFI_IPV6 ? "Multiprotocol IPv6 Unicast"
									: "Multiprotocol IPv4 Unicast";
	if (caps->route_refresh)
		names[n++] = "Route Refresh";
	if (caps->enhanced_route_refresh)
		names[n++] = "Enhanced Route Refresh";
	if (caps->as4)
		names[n++] = "4-Octet AS";
	if (caps->extended_message)
		names[n++] = "Extended Message";
	if (caps->graceful_restart)
		names[n++] = "Graceful Restart";
	for (unsigned i = 0; i < caps->unknown_count && i < BGP_CAP_MAX_UNKNOWN; i++) {
		snprintf(unknown[i], sizeof(unknown[i]), "Unknown %u", caps->unknown[i].code);
		names[n++] = unknown[i];
	}
	for (unsigned i = 0; i < n; i++) {
		if (json) {
			strbuf_append(out, i ? "," : "");
			strbuf_json_string(out, names[i]);
		} else {
			strbuf_printf(out, "%s%s", i ? ", " : "", names[i]);
		}
	}
	if (!json && !n)
		strbuf_append(out, "none");
}

static void notification_json(struct strbuf *out, const char *key, bool has, const struct bgp_error *e)
{
	if (!has) {
		strbuf_printf(out, ",\"%s\":null", key);
		return;
	}
	strbuf_printf(out, ",\"%s\":{\"code\":%u,\"subcode\":%u,\"name\":\"%s\"}", key, e->code, e->subcode,
		      bgp_error_subcode_name(e->code, e->subcode));
}

static void counts_json(struct strbuf *out, const struct bgp_message_counts *c)
{
	strbuf_printf(out, "{\"open\":%llu,\"update\":%llu,\"notification\":%llu,\"keepalive\":%llu,"
			   "\"routeRefresh\":%llu,\"total\":%llu}",
		      (unsigned long long)c->by_type[BGP_MSG_OPEN], (unsigned long long)c->by_type[BGP_MSG_UPDATE],
		      (unsigned long long)c->by_type[BGP_MSG_NOTIFICATION],
		      (unsigned long long)c->by_type[BGP_MSG_KEEPALIVE],
		      (unsigned long long)c->by_type[BGP_MSG_ROUTE_REFRESH], (unsigned long long)c->total);
}

static void neighbor_json(struct bgp_speaker *speaker, const struct bgp_peer *p,
			  const struct show_bgp_resolver *resolver, struct strbuf *out)
{
	char addr[IP_ADDR_STRLEN], id[16];
	strbuf_printf(out, "\"%s\":{\"remoteAs\":%u,\"localAs\":%u,\"state\":\"%s\",\"adminShutdown\":%s",
		      ip_addr_format(&p->config.addr, addr), p->config.remote_as, bgp_speaker_local_as(speaker),
		      bgp_state_name(bgp_peer_state(p)), p->config.shutdown ? "true" : "false");
	strbuf_printf(out, ",\"type\":\"%s\"", p->ibgp ? "internal" : "external");
	if (p->config.description[0]) {
		strbuf_append(out, ",\"description\":");
		strbuf_json_string(out, p->config.description);
	}
	strbuf_printf(out, ",\"localRouterId\":\"%s\"", ipv4_format(bgp_speaker_router_id(speaker), id));
	if (p->session.valid) {
		strbuf_printf(out, ",\"localAddress\":\"%s\",\"localPort\":%u",
			      ip_addr_format(&p->session.local_addr, addr), p->session.local_port);
		strbuf_printf(out, ",\"remoteAddress\":\"%s\",\"remotePort\":%u",
			      ip_addr_format(&p->session.remote_addr, addr), p->session.remote_port);
		strbuf_printf(out, ",\"remoteRouterId\":\"%s\",\"holdTime\":%u,\"keepalive\":%u",
			      ipv4_format(p->session.remote_id, id), p->session.hold_time, p->session.keepalive);
		strbuf_printf(out, ",\"connectionInitiatedBy\":\"%s\"",
			      p->session.initiated_locally ? "local" : "remote");
		strbuf_append(out, ",\"capabilities\":{\"sent\":[");
		capability_names(&p->session.sent_caps, true, out);
		strbuf_append(out, "],\"received\":[");
		capability_names(&p->session.received_caps, true, out);
		strbuf_append(out, "]}");
	} else {
		strbuf_append(out, ",\"localAddress\":null,\"remoteAddress\":null,\"connectionInitiatedBy\":null");
	}
	/* the TTL rules of the session: what we send with, what we accept, and the connected check */
	strbuf_printf(out, ",\"outgoingTtl\":%d,\"minIncomingTtl\":%d,\"ttlSecurityHops\":",
		      bgp_peer_outgoing_ttl(p),
		      p->config.ttl_security_hops ? 256 - p->config.ttl_security_hops : 0);
	if (p->config.ttl_security_hops)
		strbuf_printf(out, "%u", p->config.ttl_security_hops);
	else
		strbuf_append(out, "null");
	strbuf_printf(out, ",\"connectedCheck\":%s",
		      bgp_peer_connected_check_applies(p) ? "true" : "false");
	strbuf_printf(out, ",\"establishedCount\":%llu,\"droppedCount\":%llu",
		      (unsigned long long)p->established_count, (unsigned long long)p->dropped_count);
	strbuf_append(out, ",\"lastReset\":");
	if (p->last_reset[0])
		strbuf_json_string(out, p->last_reset);
	else
		strbuf_append(out, "null");
	strbuf_append(out, ",\"downReason\":");
	if (p->down_reason[0] && bgp_peer_state(p) != BGP_STATE_ESTABLISHED)
		strbuf_json_string(out, p->down_reason);
	else
		strbuf_append(out, "null");
	char reason[400];
	const char *reason_name = show_bgp_why_not_established(p, resolver, reason, sizeof(reason));
	strbuf_append(out, ",\"whyNotEstablished\":");
	if (reason_name) {
		strbuf_printf(out, "{\"reason\":\"%s\",\"text\":", reason_name);
		strbuf_json_string(out, reason);
		strbuf_append(out, "}");
	} else {
		strbuf_append(out, "null");
	}
	char why[200];
	int64_t next = bgp_peer_next_connect(p, why, sizeof(why));
	strbuf_append(out, ",\"nextConnect\":{\"dueInMs\":");
	if (next < 0)
		strbuf_append(out, "null");
	else
		strbuf_printf(out, "%lld", (long long)next);
	strbuf_printf(out, ",\"why\":\"%s\",\"failures\":%u,\"lastFailure\":", bgp_connect_why_name(p->connect.why),
		      p->connect.failures);
	if (p->connect.last_failure[0])
		strbuf_json_string(out, p->connect.last_failure);
	else
		strbuf_append(out, "null");
	strbuf_append(out, ",\"text\":");
	strbuf_json_string(out, why);
	strbuf_append(out, "}");
	strbuf_append(out, ",\"messages\":{\"sent\":");
	counts_json(out, &p->sent);
	strbuf_append(out, ",\"received\":");
	counts_json(out, &p->received);
	strbuf_append(out, "}");
	notification_json(out, "lastNotificationSent", p->has_notification_sent, &p->notification_sent);
	notification_json(out, "lastNotificationReceived", p->has_notification_received,
			  &p->notification_received);
	if (p->shutdown_message_received[0]) {
		strbuf_append(out, ",\"shutdownMessageReceived\":");
		strbuf_json_string(out, p->shutdown_message_received);
	}
	strbuf_printf(out, ",\"prefixesReceived\":%llu", (unsigned long long)p->prefixes_received);
	strbuf_printf(out, ",\"prefixesAccepted\":{\"ipv4\":%llu,\"ipv6\":%llu}",
		      (unsigned long long)p->max_prefix.count[0], (unsigned long long)p->max_prefix.count[1]);
	strbuf_printf(out, ",\"updatesRejected\":%llu,\"lastRejected\":", (unsigned long long)p->updates_rejected);
	if (p->last_rejected[0])
		strbuf_json_string(out, p->last_rejected);
	else
		strbuf_append(out, "null");
	strbuf_printf(out, ",\"enforceFirstAs\":%s", bgp_peer_enforces_first_as(p) ? "true" : "false");
	strbuf_append(out, ",\"maximumPrefix\":");
	if (p->config.maximum_prefix) {
		long restart_in = bgp_max_prefix_restart_in(p);
		strbuf_printf(out, "{\"max\":%u,\"threshold\":%u,\"warningOnly\":%s,\"restartMinutes\":%u",
			      p->config.maximum_prefix, p->config.maximum_prefix_threshold,
			      p->config.maximum_prefix_warning_only ? "true" : "false", p->config.maximum_prefix_restart);
		strbuf_printf(out, ",\"exceeded\":%s,\"exceededCount\":%llu,\"restartIn\":",
			      p->max_prefix.held_down ? "true" : "false",
			      (unsigned long long)p->max_prefix.exceeded_count);
		if (restart_in >= 0)
			strbuf_printf(out, "%ld}", restart_in);
		else
			strbuf_append(out, "null}");
	} else {
		strbuf_append(out, "null");
	}
	strbuf_append(out, "}");
}

/* IOS's lines for maximum-prefix in show ip bgp neighbors. */
static void max_prefix_text(const struct bgp_peer *p, struct strbuf *out)
{
	const struct config_bgp_neighbor *c = &p->config;
	strbuf_printf(out, "  Prefixes Current: IPv4 %llu, IPv6 %llu\n", (unsigned long long)p->max_prefix.count[0],
		      (unsigned long long)p->max_prefix.count[1]);
	if (p->updates_rejected)
		strbuf_printf(out, "  UPDATEs rejected: %llu, last: %s\n", (unsigned long long)p->updates_rejected,
			      p->last_rejected);
	if (!c->maximum_prefix)
		return;
	strbuf_printf(out, "  Maximum prefixes allowed %u%s\n", c->maximum_prefix,
		      c->maximum_prefix_warning_only ? " (warning-only)" : "");
	strbuf_printf(out, "  Threshold for warning message %u%%", c->maximum_prefix_threshold);
	if (c->maximum_prefix_restart)
		strbuf_printf(out, ", restart interval %u min", c->maximum_prefix_restart);
	strbuf_append(out, "\n");
	if (!p->max_prefix.held_down)
		return;
	char addr[IP_ADDR_STRLEN], duration[32];
	ip_addr_format(&c->addr, addr);
	strbuf_append(out, "  Peer had exceeded the max. no. of prefixes configured.\n");
	long in = bgp_max_prefix_restart_in(p);
	if (in >= 0) {
		format_duration(in, duration, sizeof(duration));
		strbuf_printf(out, "  Reduce the no of prefix from %s, will restart in %s\n", addr, duration);
	} else {
		strbuf_printf(out, "  Reduce the no of prefix and clear ip bgp %s to restore peering\n", addr);
	}
}

static void counts_row(struct strbuf *out, const char *name, const struct bgp_peer *p, int type)
{
	unsigned long long sent = type < 0 ? p->sent.total : p->sent.by_type[type];
	unsigned long long rcvd = type < 0 ? p->received.total : p->received.by_type[type];
	strbuf_printf(out, "    %-16s %10llu %10llu\n", name, sent, rcvd);
}

static const char *capability_state(bool sent, bool received)
{
	return sent && received ? "advertised and received" : sent ? "advertised" : received ? "received" : NULL;
}

static void neighbor_text(struct bgp_speaker *speaker, const struct bgp_peer *p,
			  const struct show_bgp_resolver *resolver, struct strbuf *out)
{
	char addr[IP_ADDR_STRLEN], id[16], duration[32];
	enum bgp_state state = bgp_peer_state(p);
	strbuf_printf(out, "BGP neighbor is %s,  remote AS %u, %s link\n", ip_addr_format(&p->config.addr, addr),
		      p->config.remote_as, p->ibgp ? "internal" : "external");
	if (p->config.description[0])
		strbuf_printf(out, " Description: %s\n", p->config.description);
	strbuf_printf(out, "  BGP version 4, remote router ID %s, local router ID %s\n",
		      p->session.valid ? ipv4_format(p->session.remote_id, id) : "0.0.0.0",
		      ipv4_format(bgp_speaker_router_id(speaker), (char[16]){ 0 }));
	format_duration(since(p->last_change), duration, sizeof(duration));
	if (state == BGP_STATE_ESTABLISHED)
		strbuf_printf(out, "  BGP state = Established, up for %s\n", duration);
	else
	{
		strbuf_printf(out, "  BGP state = %s%s%s\n", peer_state_text(p), p->down_reason[0] ? ", " : "",
			      p->down_reason);
		char why[200];
		if (bgp_peer_next_connect(p, why, sizeof(why)) >= 0)
			strbuf_printf(out, "  Next connect attempt %s\n", why);
		else if (!p->config.passive && !p->config.shutdown)
			strbuf_printf(out, "  Next connect attempt: %s\n", why);
		char reason[400];
		if (show_bgp_why_not_established(p, resolver, reason, sizeof(reason)))
			strbuf_printf(out, "  Why not Established: %s\n", reason);
	}
	if (p->session.valid) {
		strbuf_printf(out, "  Hold time is %u, keepalive interval is %u seconds\n", p->session.hold_time,
			      p->session.keepalive);
		strbuf_append(out, "  Neighbor capabilities:\n");
		const struct bgp_capabilities *s = &p->session.sent_caps, *r = &p->session.received_caps;
		struct {
			const char *name;
			bool sent, received;
		} rows[] = {
			{ "Route refresh", s->route_refresh, r->route_refresh },
			{ "Enhanced Refresh", s->enhanced_route_refresh, r->enhanced_route_refresh },
			{ "Four-octets ASN Capability", s->as4, r->as4 },
			{ "Extended Message", s->extended_message, r->extended_message },
			{ "Graceful Restart Capability", s->graceful_restart, r->graceful_restart },
		};
		for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
			const char *st = capability_state(rows[i].sent, rows[i].received);
			if (st)
				strbuf_printf(out, "    %s: %s\n", rows[i].name, st);
		}
		strbuf_append(out, "    Capabilities advertised: ");
		capability_names(s, false, out);
		strbuf_append(out, "\n    Capabilities received: ");
		capability_names(r, false, out);
		strbuf_append(out, "\n");
	}
	strbuf_append(out, "  Message statistics:\n                           Sent       Rcvd\n");
	counts_row(out, "Opens:", p, BGP_MSG_OPEN);
	counts_row(out, "Notifications:", p, BGP_MSG_NOTIFICATION);
	counts_row(out, "Updates:", p, BGP_MSG_UPDATE);
	counts_row(out, "Keepalives:", p, BGP_MSG_KEEPALIVE);
	counts_row(out, "Route Refresh:", p, BGP_MSG_ROUTE_REFRESH);
	counts_row(out, "Total:", p, -1);
	strbuf_printf(out, "  Connections established %llu; dropped %llu\n", (unsigned long long)p->established_count,
		      (unsigned long long)p->dropped_count);
	strbuf_printf(out, "  Last reset %s\n", p->last_reset[0] ? p->last_reset : "never");
	max_prefix_text(p, out);
	if (p->has_notification_sent)
		strbuf_printf(out, "  Last notification sent: %u/%u (%s)\n", p->notification_sent.code,
			      p->notification_sent.subcode,
			      bgp_error_subcode_name(p->notification_sent.code, p->notification_sent.subcode));
	if (p->has_notification_received)
		strbuf_printf(out, "  Last notification received: %u/%u (%s)%s%s%s\n", p->notification_received.code,
			      p->notification_received.subcode,
			      bgp_error_subcode_name(p->notification_received.code, p->notification_received.subcode),
			      p->shutdown_message_received[0] ? " \"" : "", p->shutdown_message_received,
			      p->shutdown_message_received[0] ? "\"" : "");
	if (p->config.ttl_security_hops) {
		/* IOS's two lines for GTSM (RFC 5082) */
		strbuf_printf(out, "  Minimum incoming TTL %d, Outgoing TTL 255\n", 256 - p->config.ttl_security_hops);
		if (!p->ibgp)
			strbuf_printf(out, "  External BGP neighbor may be up to %u hop%s away.\n",
				      p->config.ttl_security_hops, p->config.ttl_security_hops == 1 ? "" : "s");
	} else if (!p->ibgp) {
		strbuf_printf(out, "  External BGP neighbor %s (TTL %d)\n",
			      p->config.ebgp_multihop ? "may be up to several hops away" : "must be directly connected",
			      p->config.ebgp_multihop ? p->config.ebgp_multihop_ttl : 1);
	}
	if (!p->ibgp && !p->config.ebgp_multihop && p->config.ttl_security_hops <= 1) /* single-hop */
		strbuf_printf(out, "  External BGP neighbor %s for connected checks (%s)\n",
			      p->config.disable_connected_check ? "NOT configured" : "configured",
			      p->config.disable_connected_check ? "single-hop disable-connected-check"
								: "single-hop no-disable-connected-check");
	if (p->session.valid) {
		strbuf_printf(out, "Local host: %s, Local port: %u\n", ip_addr_format(&p->session.local_addr, addr),
			      p->session.local_port);
		strbuf_printf(out, "Foreign host: %s, Foreign port: %u\n",
			      ip_addr_format(&p->session.remote_addr, addr), p->session.remote_port);
		strbuf_printf(out, "Connection initiated by: %s\n", p->session.initiated_locally ? "local" : "peer");
	}
	strbuf_append(out, "\n");
}

bool show_bgp_neighbors(struct bgp_speaker *speaker, const struct ip_addr *addr,
			const struct show_bgp_resolver *resolver, bool json, struct strbuf *out)
{
	bool found = false, first = true;
	if (json)
		strbuf_append(out, "{");
	for (struct bgp_peer *p = bgp_speaker_peers(speaker); p; p = p->next) {
		if (p->removed || (addr && !ip_addr_equal(addr, &p->config.addr)))
			continue;
		found = true;
		if (json) {
			strbuf_append(out, first ? "" : ",");
			neighbor_json(speaker, p, resolver, out);
		} else {
			neighbor_text(speaker, p, resolver, out);
		}
		first = false;
	}
	if (json)
		strbuf_append(out, "}\n");
	return found || !addr;
}

bool show_bgp_messages(struct bgp_speaker *speaker, const struct ip_addr *addr, bool json, struct strbuf *out)
{
	struct bgp_peer *peer = bgp_speaker_find_peer(speaker, addr);
	if (!peer)
		return false;
	static const char *const directions[] = { "sent", "received", "event" };
	static const char *const arrows[] = { "->", "<-", "  " };
	if (json)
		strbuf_append(out, "{\"messages\":[");
	for (unsigned i = 0;; i++) {
		const struct bgp_log_entry *e = bgp_peer_log_at(peer, i);
		if (!e)
			break;
		struct tm tm;
		gmtime_r(&e->time.tv_sec, &tm);
		char stamp[80];
		snprintf(stamp, sizeof(stamp), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
			 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(e->time.tv_nsec / 1000000) % 1000);
		if (json) {
			strbuf_printf(out, "%s{\"time\":\"%s\",\"direction\":\"%s\",\"type\":\"%s\",\"text\":", i ? "," : "",
				      stamp, directions[e->direction], e->type);
			strbuf_json_string(out, e->text);
			if (e->json[0])
				strbuf_printf(out, ",%s", e->json);
			strbuf_append(out, "}");
		} else {
			strbuf_printf(out, "%s %s %s\n", stamp + 11, arrows[e->direction], e->text);
		}
	}
	if (json)
		strbuf_append(out, "]}\n");
	return true;
}
