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

void bgp_peer_received_refresh(struct bgp_peer *peer, struct bgp_connection *conn,
			       const struct bgp_route_refresh *rr)
{
	(void)conn;
	if (rr->subtype != BGP_ROUTE_REFRESH_NORMAL)
		return; /* RFC 7313 §4: BoRR/EoRR from the peer frame its own re-advertisement */
	enum bgp_afi_safi_index family;
	if (!bgp_afi_safi_index(rr->afi, rr->safi, &family)) {
		/* RFC 2918 §4: a refresh for an AFI/SAFI we did not advertise is ignored (today
		 * one for a family we know but did not negotiate is answered, as before) */
		bgp_peer_log(peer, BGP_LOG_EVENT, "route-refresh", NULL, "ROUTE-REFRESH for AFI %u SAFI %u ignored",
			     rr->afi, rr->safi);
		return;
	}
	/* RFC 2918 §4: send the Adj-RIB-Out again; RFC 7313 §4 frames it with BoRR and EoRR
	 * when both sides offered enhanced route refresh. */
	bool enhanced = peer->session.negotiated.enhanced_route_refresh;
	if (enhanced)
		bgp_export_send_route_refresh(peer, rr->afi, BGP_ROUTE_REFRESH_BORR);
	/* The EoRR follows the table's last UPDATE, whenever the socket lets that out. */
	bgp_export_send_table(peer, enhanced ? rr->afi : 0);
}

bool bgp_peer_request_refresh(struct bgp_peer *peer)
{
	if (!peer->established || !peer->session.negotiated.route_refresh)
		return false;
	/* The session address's family: the one family we offer today (afi_safi.h says how it
	 * becomes one request per negotiated family). */
	bgp_export_send_route_refresh(peer, peer->config.addr.family == AF_INET6 ? BGP_AFI_IPV6 : BGP_AFI_IPV4,
			   BGP_ROUTE_REFRESH_NORMAL);
	return true;
}

bool bgp_peer_refresh_or_explain(struct bgp_peer *peer, const char *kind, const char *asked,
				 const char *no_refresh)
{
	bool sent = bgp_peer_request_refresh(peer);
	bgp_peer_log(peer, BGP_LOG_EVENT, kind, NULL, "%s", sent ? asked : no_refresh);
	return sent;
}
