/*
 * DOC: rendering of the BGP show commands (see show_bgp.h). Text follows the IOS layout an
 * engineer knows; JSON uses the same member names for every command so tests and scripts
 * read one vocabulary.
 */
#include "ctl/show_bgp.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lib/json_writer.h"

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

static void summary_json(struct bgp_speaker *speaker, struct strbuf *out)
{
	char id[16], addr[IP_ADDR_STRLEN], updown[32];
	struct json_writer w;
	json_writer_init(&w, out);
	json_object_begin(&w);
	json_member_string(&w, "routerId", ipv4_format(bgp_speaker_router_id(speaker), id));
	json_member_uint(&w, "as", bgp_speaker_local_as(speaker));
	json_member_object_begin(&w, "peers");
	for (struct bgp_peer *p = bgp_speaker_peers(speaker); p; p = p->next) {
		if (p->removed)
			continue;
		format_duration(since(p->last_change), updown, sizeof(updown));
		json_member_object_begin(&w, ip_addr_format(&p->config.addr, addr));
		json_member_uint(&w, "remoteAs", p->config.remote_as);
		json_member_string(&w, "state", bgp_state_name(bgp_peer_state(p)));
		json_member_bool(&w, "adminShutdown", p->config.shutdown);
		json_member_uint(&w, "msgRcvd", p->received.total);
		json_member_uint(&w, "msgSent", p->sent.total);
		json_member_string(&w, "upDown", updown);
		json_member_uint(&w, "pfxRcvd", bgp_afi_safi_prefixes_accepted(&p->afi_safi));
		if (p->config.description[0])
			json_member_string(&w, "description", p->config.description);
		json_object_end(&w);
	}
	json_object_end(&w);
	json_object_end(&w);
}

void show_bgp_summary(struct bgp_speaker *speaker, bool json, struct strbuf *out)
{
	char id[16], addr[IP_ADDR_STRLEN], updown[32];
	if (json) {
		summary_json(speaker, out);
		return;
	}
	ipv4_format(bgp_speaker_router_id(speaker), id);
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
			strbuf_printf(out, "%12llu\n", (unsigned long long)bgp_afi_safi_prefixes_accepted(&p->afi_safi));
		else
			strbuf_printf(out, "%s\n", peer_state_text(p));
	}
}

#define CAPABILITY_NAMES_MAX (BGP_CAP_MAX_AFI_SAFI + 8 + BGP_CAP_MAX_UNKNOWN)

/* The names of the capabilities in caps, into names (unknown ones formatted into unknown);
 * returns how many. */
static unsigned capability_names(const struct bgp_capabilities *caps, const char *names[CAPABILITY_NAMES_MAX],
				 char unknown[BGP_CAP_MAX_UNKNOWN][24])
{
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
	return n;
}

/* The names as a JSON array. */
static void capabilities_json(struct json_writer *w, const struct bgp_capabilities *caps)
{
	const char *names[CAPABILITY_NAMES_MAX];
	char unknown[BGP_CAP_MAX_UNKNOWN][24];
	unsigned n = capability_names(caps, names, unknown);
	json_array_begin(w);
	for (unsigned i = 0; i < n; i++)
		json_string(w, names[i]);
	json_array_end(w);
}

/* The names as IOS lists them, or "none". */
static void capabilities_text(const struct bgp_capabilities *caps, struct strbuf *out)
{
	const char *names[CAPABILITY_NAMES_MAX];
	char unknown[BGP_CAP_MAX_UNKNOWN][24];
	unsigned n = capability_names(caps, names, unknown);
	for (unsigned i = 0; i < n; i++)
		strbuf_printf(out, "%s%s", i ? ", " : "", names[i]);
	if (!n)
		strbuf_append(out, "none");
}

static void notification_json(struct json_writer *w, const char *key, bool has, const struct bgp_error *e)
{
	json_key(w, key);
	if (!has) {
		json_null(w);
		return;
	}
	json_object_begin(w);
	json_member_uint(w, "code", e->code);
	json_member_uint(w, "subcode", e->subcode);
	json_member_string(w, "name", bgp_error_subcode_name(e->code, e->subcode));
	json_object_end(w);
}

static void counts_json(struct json_writer *w, const char *key, const struct bgp_message_counts *c)
{
	json_member_object_begin(w, key);
	json_member_uint(w, "open", c->by_type[BGP_MSG_OPEN]);
	json_member_uint(w, "update", c->by_type[BGP_MSG_UPDATE]);
	json_member_uint(w, "notification", c->by_type[BGP_MSG_NOTIFICATION]);
	json_member_uint(w, "keepalive", c->by_type[BGP_MSG_KEEPALIVE]);
	json_member_uint(w, "routeRefresh", c->by_type[BGP_MSG_ROUTE_REFRESH]);
	json_member_uint(w, "total", c->total);
	json_object_end(w);
}

/* maximum-prefix's settings and state, or null without it. */
static void max_prefix_json(struct json_writer *w, const struct bgp_peer *p)
{
	json_key(w, "maximumPrefix");
	if (!p->config.maximum_prefix) {
		json_null(w);
		return;
	}
	long restart_in = bgp_max_prefix_restart_in(p);
	json_object_begin(w);
	json_member_uint(w, "max", p->config.maximum_prefix);
	json_member_uint(w, "threshold", p->config.maximum_prefix_threshold);
	json_member_bool(w, "warningOnly", p->config.maximum_prefix_warning_only);
	json_member_uint(w, "restartMinutes", p->config.maximum_prefix_restart);
	json_member_bool(w, "exceeded", p->max_prefix.held_down);
	json_member_uint(w, "exceededCount", p->max_prefix.exceeded_count);
	json_key(w, "restartIn");
	if (restart_in >= 0)
		json_int(w, restart_in);
	else
		json_null(w);
	json_object_end(w);
}

/* Each family's prefix counts (afi_safi.h): accepted now; announced and withdrawn, as
 * received (before the import policy) and as sent, over the peer's sessions. */
static void address_families_json(struct json_writer *w, const struct bgp_peer *p)
{
	static const char *const names[BGP_AFI_SAFI_COUNT] = {
		[BGP_AFI_SAFI_IPV4_UNICAST] = "ipv4",
		[BGP_AFI_SAFI_IPV6_UNICAST] = "ipv6",
	};
	json_member_object_begin(w, "addressFamilies");
	for (int i = 0; i < BGP_AFI_SAFI_COUNT; i++) {
		const struct bgp_afi_safi_state *f = &p->afi_safi.family[i];
		json_member_object_begin(w, names[i]);
		json_member_uint(w, "prefixesAccepted", f->prefixes_accepted);
		json_member_uint(w, "announcedReceived", f->announced_received);
		json_member_uint(w, "withdrawnReceived", f->withdrawn_received);
		json_member_uint(w, "announcedSent", f->announced_sent);
		json_member_uint(w, "withdrawnSent", f->withdrawn_sent);
		json_object_end(w);
	}
	json_object_end(w);
}

/* The established session's addresses, identifiers, timers and capabilities. */
static void session_json(struct json_writer *w, const struct bgp_peer *p)
{
	char addr[IP_ADDR_STRLEN], id[16];
	if (!p->session.valid) {
		json_member_null(w, "localAddress");
		json_member_null(w, "remoteAddress");
		json_member_null(w, "connectionInitiatedBy");
		return;
	}
	json_member_string(w, "localAddress", ip_addr_format(&p->session.local_addr, addr));
	json_member_uint(w, "localPort", p->session.local_port);
	json_member_string(w, "remoteAddress", ip_addr_format(&p->session.remote_addr, addr));
	json_member_uint(w, "remotePort", p->session.remote_port);
	json_member_string(w, "remoteRouterId", ipv4_format(p->session.remote_id, id));
	json_member_uint(w, "holdTime", p->session.hold_time);
	json_member_uint(w, "keepalive", p->session.keepalive);
	json_member_string(w, "connectionInitiatedBy", p->session.initiated_locally ? "local" : "remote");
	json_member_object_begin(w, "capabilities");
	json_key(w, "sent");
	capabilities_json(w, &p->session.sent_caps);
	json_key(w, "received");
	capabilities_json(w, &p->session.received_caps);
	json_object_end(w);
}

static void next_connect_json(struct json_writer *w, const struct bgp_peer *p)
{
	char why[200];
	int64_t next = bgp_peer_next_connect(p, why, sizeof(why));
	json_member_object_begin(w, "nextConnect");
	json_key(w, "dueInMs");
	if (next < 0)
		json_null(w);
	else
		json_int(w, next);
	json_member_string(w, "why", bgp_connect_why_name(p->connect.why));
	json_member_uint(w, "failures", p->connect.failures);
	json_key(w, "lastFailure");
	json_string_or_null(w, p->connect.last_failure);
	json_member_string(w, "text", why);
	json_object_end(w);
}

/* Why the session is not Established, as far as this router knows (show_bgp_why.h), or null. */
static void why_not_established_json(struct json_writer *w, const struct bgp_peer *p,
				     const struct show_bgp_resolver *resolver)
{
	char text[400];
	const char *reason = show_bgp_why_not_established(p, resolver, text, sizeof(text));
	if (!reason) {
		json_member_null(w, "whyNotEstablished");
		return;
	}
	json_member_object_begin(w, "whyNotEstablished");
	json_member_string(w, "reason", reason);
	json_member_string(w, "text", text);
	json_object_end(w);
}

static void neighbor_json(struct bgp_speaker *speaker, const struct bgp_peer *p,
			  const struct show_bgp_resolver *resolver, struct json_writer *w)
{
	char addr[IP_ADDR_STRLEN], id[16];
	json_member_object_begin(w, ip_addr_format(&p->config.addr, addr));
	json_member_uint(w, "remoteAs", p->config.remote_as);
	json_member_uint(w, "localAs", bgp_speaker_local_as(speaker));
	json_member_string(w, "state", bgp_state_name(bgp_peer_state(p)));
	json_member_bool(w, "adminShutdown", p->config.shutdown);
	json_member_string(w, "type", p->ibgp ? "internal" : "external");
	if (p->config.description[0])
		json_member_string(w, "description", p->config.description);
	json_member_string(w, "localRouterId", ipv4_format(bgp_speaker_router_id(speaker), id));
	session_json(w, p);
	/* the TTL rules of the session: what we send with, what we accept, and the connected check */
	json_member_int(w, "outgoingTtl", bgp_peer_outgoing_ttl(p));
	json_member_int(w, "minIncomingTtl", p->config.ttl_security_hops ? 256 - p->config.ttl_security_hops : 0);
	json_key(w, "ttlSecurityHops");
	if (p->config.ttl_security_hops)
		json_uint(w, p->config.ttl_security_hops);
	else
		json_null(w);
	json_member_bool(w, "connectedCheck", bgp_peer_connected_check_applies(p));
	json_member_uint(w, "establishedCount", p->established_count);
	json_member_uint(w, "droppedCount", p->dropped_count);
	json_key(w, "lastReset");
	json_string_or_null(w, p->last_reset);
	json_key(w, "downReason");
	json_string_or_null(w, bgp_peer_state(p) != BGP_STATE_ESTABLISHED ? p->down_reason : NULL);
	why_not_established_json(w, p, resolver);
	next_connect_json(w, p);
	json_member_object_begin(w, "messages");
	counts_json(w, "sent", &p->sent);
	counts_json(w, "received", &p->received);
	json_object_end(w);
	notification_json(w, "lastNotificationSent", p->has_notification_sent, &p->notification_sent);
	notification_json(w, "lastNotificationReceived", p->has_notification_received, &p->notification_received);
	if (p->shutdown_message_received[0])
		json_member_string(w, "shutdownMessageReceived", p->shutdown_message_received);
	json_member_uint(w, "prefixesReceived", bgp_afi_safi_prefixes_accepted(&p->afi_safi));
	json_member_object_begin(w, "prefixesAccepted");
	json_member_uint(w, "ipv4", p->afi_safi.family[BGP_AFI_SAFI_IPV4_UNICAST].prefixes_accepted);
	json_member_uint(w, "ipv6", p->afi_safi.family[BGP_AFI_SAFI_IPV6_UNICAST].prefixes_accepted);
	json_object_end(w);
	address_families_json(w, p);
	json_member_uint(w, "updatesRejected", p->updates_rejected);
	json_key(w, "lastRejected");
	json_string_or_null(w, p->last_rejected);
	json_member_bool(w, "enforceFirstAs", bgp_peer_enforces_first_as(p));
	max_prefix_json(w, p);
	json_object_end(w);
}

/* IOS's lines for maximum-prefix in show ip bgp neighbors. */
static void max_prefix_text(const struct bgp_peer *p, struct strbuf *out)
{
	const struct config_bgp_neighbor *c = &p->config;
	const struct bgp_afi_safi_state *family = p->afi_safi.family;
	strbuf_printf(out, "  Prefixes Current: IPv4 %llu, IPv6 %llu\n",
		      (unsigned long long)family[BGP_AFI_SAFI_IPV4_UNICAST].prefixes_accepted,
		      (unsigned long long)family[BGP_AFI_SAFI_IPV6_UNICAST].prefixes_accepted);
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
		capabilities_text(s, out);
		strbuf_append(out, "\n    Capabilities received: ");
		capabilities_text(r, out);
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
	bool found = false;
	struct json_writer w;
	json_writer_init(&w, out);
	if (json)
		json_object_begin(&w);
	for (struct bgp_peer *p = bgp_speaker_peers(speaker); p; p = p->next) {
		if (p->removed || (addr && !ip_addr_equal(addr, &p->config.addr)))
			continue;
		found = true;
		if (json)
			neighbor_json(speaker, p, resolver, &w);
		else
			neighbor_text(speaker, p, resolver, out);
	}
	if (json)
		json_object_end(&w);
	return found || !addr;
}

/* A log entry's own facts, as members of its object. */
static void log_members_json(struct json_writer *w, const struct bgp_log_members *members)
{
	for (unsigned i = 0; i < members->count; i++) {
		const struct bgp_log_member *m = &members->member[i];
		switch ((enum bgp_log_value)m->kind) {
		case BGP_LOG_VALUE_UINT:
			json_member_uint(w, m->key, m->number);
			break;
		case BGP_LOG_VALUE_STRING:
			json_member_string(w, m->key, bgp_log_member_text(members, m));
			break;
		case BGP_LOG_VALUE_TRUE:
			json_member_bool(w, m->key, true);
			break;
		}
	}
}

bool show_bgp_messages(struct bgp_speaker *speaker, const struct ip_addr *addr, bool json, struct strbuf *out)
{
	struct bgp_peer *peer = bgp_speaker_find_peer(speaker, addr);
	if (!peer)
		return false;
	static const char *const directions[] = { "sent", "received", "event" };
	static const char *const arrows[] = { "->", "<-", "  " };
	struct json_writer w;
	json_writer_init(&w, out);
	if (json) {
		json_object_begin(&w);
		json_member_array_begin(&w, "messages");
	}
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
			json_object_begin(&w);
			json_member_string(&w, "time", stamp);
			json_member_string(&w, "direction", directions[e->direction]);
			json_member_string(&w, "type", e->type);
			json_member_string(&w, "text", e->text);
			log_members_json(&w, &e->members);
			json_object_end(&w);
		} else {
			strbuf_printf(out, "%s %s %s\n", stamp + 11, arrows[e->direction], e->text);
		}
	}
	if (json) {
		json_array_end(&w);
		json_object_end(&w);
	}
	return true;
}
