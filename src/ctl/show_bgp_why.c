/*
 * DOC: the reasons `show ip bgp neighbors A` gives for a session that is not Established
 * (show_bgp_why.h), in the order a learner should look at them: the connect cannot even be
 * tried (no route, an EBGP peer that is not directly connected), then what the last
 * NOTIFICATION said (RFC 4271 §6.2: an OPEN refused for its AS), then the last connect error.
 */
#include "ctl/show_bgp_why.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire/bgp.h"

/* The My AS of the last OPEN the peer sent (its message log), or 0 if none is logged. */
static unsigned long last_open_as(const struct bgp_peer *peer)
{
	unsigned long as = 0;
	for (unsigned i = 0;; i++) {
		const struct bgp_log_entry *e = bgp_peer_log_at(peer, i);
		if (!e)
			break;
		if (e->direction != BGP_LOG_RECEIVED || strcmp(e->type, "open") != 0)
			continue;
		const char *my_as = strstr(e->json, "\"myAs\":");
		if (my_as)
			as = strtoul(my_as + strlen("\"myAs\":"), NULL, 10);
	}
	return as;
}

static bool is_bad_peer_as(const struct bgp_error *e)
{
	return e->code == BGP_ERR_OPEN && e->subcode == BGP_ERR_OPEN_BAD_PEER_AS;
}

const char *show_bgp_why_not_established(const struct bgp_peer *peer, const struct show_bgp_resolver *resolver,
					 char *text, size_t size)
{
	char addr[IP_ADDR_STRLEN];
	ip_addr_format(&peer->config.addr, addr);
	text[0] = '\0';
	if (bgp_peer_state(peer) == BGP_STATE_ESTABLISHED || peer->config.shutdown)
		return NULL;
	if (!strncmp(peer->down_reason, "EBGP peer not directly connected", 32)) {
		snprintf(text, size,
			 "%s is an external peer (remote-as %u) but not on a directly connected network, and "
			 "an EBGP session is one hop unless `neighbor %s ebgp-multihop` says otherwise",
			 addr, peer->config.remote_as, addr);
		return "not-directly-connected";
	}
	if (resolver && resolver->resolves && !resolver->resolves(resolver->context, &peer->config.addr)) {
		snprintf(text, size,
			 "no route to %s: the TCP connection cannot start; %s", addr,
			 peer->ibgp ? "an IBGP peer's address (often its loopback) must come from the IGP or a "
				      "static route"
				    : "the neighbour address should be on a connected network");
		return "no-route";
	}
	if (peer->has_notification_sent && is_bad_peer_as(&peer->notification_sent)) {
		unsigned long said = last_open_as(peer);
		if (said)
			snprintf(text, size,
				 "wrong remote-as: %s's OPEN said My AS %lu, but `neighbor %s remote-as %u` is "
				 "configured; NOTIFICATION 2/2 (Bad Peer AS) sent",
				 addr, said, addr, peer->config.remote_as);
		else
			snprintf(text, size,
				 "wrong remote-as: %s's OPEN did not carry AS %u (`neighbor %s remote-as`); "
				 "NOTIFICATION 2/2 (Bad Peer AS) sent",
				 addr, peer->config.remote_as, addr);
		return "bad-peer-as";
	}
	if (peer->has_notification_received && is_bad_peer_as(&peer->notification_received)) {
		snprintf(text, size,
			 "%s refused our OPEN with NOTIFICATION 2/2 (Bad Peer AS): its `neighbor ... remote-as` "
			 "for this router is not our AS %u",
			 addr, bgp_speaker_local_as(peer->speaker));
		return "refused-our-open";
	}
	if (peer->has_notification_received) {
		snprintf(text, size, "last NOTIFICATION received: %u/%u (%s)", peer->notification_received.code,
			 peer->notification_received.subcode,
			 bgp_error_subcode_name(peer->notification_received.code, peer->notification_received.subcode));
		return "notification-received";
	}
	if (peer->has_notification_sent) {
		snprintf(text, size, "last NOTIFICATION sent: %u/%u (%s)", peer->notification_sent.code,
			 peer->notification_sent.subcode,
			 bgp_error_subcode_name(peer->notification_sent.code, peer->notification_sent.subcode));
		return "notification-sent";
	}
	if (peer->connect.failures && peer->connect.last_failure[0]) {
		snprintf(text, size, "connect to %s failed %u time%s: %s", addr, peer->connect.failures,
			 peer->connect.failures == 1 ? "" : "s", peer->connect.last_failure);
		return "connect-failed";
	}
	return NULL;
}
