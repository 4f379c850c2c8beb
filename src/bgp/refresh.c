/*
 * DOC: route refresh (RFC 2918, enhanced: RFC 7313), both ways.
 *
 * Part of the route engine: a ROUTE-REFRESH from the peer (an event from the session engine)
 * sends the peer's Adj-RIB-Out again through export, framed by BoRR and EoRR when both sides
 * offered enhanced route refresh; an import policy change or `clear ip bgp soft in` without
 * stored routes asks the peer for its routes again. It calls export and the session engine
 * below it, never the peers' orchestrator (peer.c) above.
 */
#include "bgp/internal.h"

#include "lib/writer.h"

static void send_route_refresh(struct bgp_peer *peer, uint16_t afi, uint8_t subtype)
{
	struct bgp_route_refresh rr = { .afi = afi, .safi = BGP_SAFI_UNICAST, .subtype = subtype };
	uint8_t buf[BGP_ROUTE_REFRESH_LEN];
	struct writer w = writer_make(buf, sizeof(buf));
	size_t len = bgp_route_refresh_encode(&w, &rr);
	if (!len || !peer->established || !bgp_connection_send(peer->established, buf, len))
		return;
	peer->sent.by_type[BGP_MSG_ROUTE_REFRESH]++;
	peer->sent.total++;
	static const char *const names[] = { "ROUTE-REFRESH", "BoRR", "EoRR" };
	bgp_peer_log(peer, BGP_LOG_SENT, "route-refresh", "", "%s sent (%s unicast)", names[subtype % 3],
		     afi == BGP_AFI_IPV6 ? "IPv6" : "IPv4");
}

void bgp_peer_received_refresh(struct bgp_peer *peer, struct bgp_connection *conn,
			       const struct bgp_route_refresh *rr)
{
	(void)conn;
	if (rr->subtype != BGP_ROUTE_REFRESH_NORMAL)
		return; /* RFC 7313 §4: BoRR/EoRR from the peer frame its own re-advertisement */
	if (rr->safi != BGP_SAFI_UNICAST || (rr->afi != BGP_AFI_IPV4 && rr->afi != BGP_AFI_IPV6)) {
		/* RFC 2918 §4: a refresh for an AFI/SAFI we did not advertise is ignored */
		bgp_peer_log(peer, BGP_LOG_EVENT, "route-refresh", "", "ROUTE-REFRESH for AFI %u SAFI %u ignored",
			     rr->afi, rr->safi);
		return;
	}
	/* RFC 2918 §4: send the Adj-RIB-Out again; RFC 7313 §4 frames it with BoRR and EoRR
	 * when both sides offered enhanced route refresh. */
	bool enhanced = peer->session.sent_caps.enhanced_route_refresh &&
			peer->session.received_caps.enhanced_route_refresh;
	if (enhanced)
		send_route_refresh(peer, rr->afi, BGP_ROUTE_REFRESH_BORR);
	/* The EoRR follows the table's last UPDATE, whenever the socket lets that out. */
	bgp_export_send_table(peer, enhanced ? rr->afi : 0);
}

bool bgp_peer_request_refresh(struct bgp_peer *peer)
{
	if (!peer->established || !peer->session.received_caps.route_refresh)
		return false;
	send_route_refresh(peer, peer->config.addr.family == AF_INET6 ? BGP_AFI_IPV6 : BGP_AFI_IPV4,
			   BGP_ROUTE_REFRESH_NORMAL);
	return true;
}
