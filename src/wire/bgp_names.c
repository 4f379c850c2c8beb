/*
 * DOC: names of BGP message types, NOTIFICATION codes and capabilities.
 *
 * Static strings for logs, the message log and `show` output. Subcode names are the full
 * "Code/Subcode" text so a caller prints one string; names follow the IANA BGP Error
 * Subcodes registry (RFC 4271 §4.5, RFC 4486, RFC 5492, RFC 6608, RFC 7313, RFC 8538,
 * RFC 9234, RFC 9384). Subcode 0 means "no specific subcode" and gives the code name alone.
 */
#include "wire/bgp.h"

const char *bgp_msg_type_name(uint8_t type)
{
	switch (type) {
	case BGP_MSG_OPEN:
		return "OPEN";
	case BGP_MSG_UPDATE:
		return "UPDATE";
	case BGP_MSG_NOTIFICATION:
		return "NOTIFICATION";
	case BGP_MSG_KEEPALIVE:
		return "KEEPALIVE";
	case BGP_MSG_ROUTE_REFRESH:
		return "ROUTE-REFRESH";
	default:
		return "unknown";
	}
}

const char *bgp_error_code_name(uint8_t code)
{
	switch (code) {
	case BGP_ERR_HEADER:
		return "Message Header Error";
	case BGP_ERR_OPEN:
		return "OPEN Message Error";
	case BGP_ERR_UPDATE:
		return "UPDATE Message Error";
	case BGP_ERR_HOLD_TIMER:
		return "Hold Timer Expired";
	case BGP_ERR_FSM:
		return "Finite State Machine Error";
	case BGP_ERR_CEASE:
		return "Cease";
	case BGP_ERR_ROUTE_REFRESH:
		return "ROUTE-REFRESH Message Error";
	default:
		return "Unknown error code";
	}
}

/* RFC 4271 §4.5 */
static const char *header_subcode_name(uint8_t subcode)
{
	switch (subcode) {
	case BGP_ERR_HEADER_NOT_SYNCHRONIZED:
		return "Message Header Error/Connection Not Synchronized";
	case BGP_ERR_HEADER_BAD_LENGTH:
		return "Message Header Error/Bad Message Length";
	case BGP_ERR_HEADER_BAD_TYPE:
		return "Message Header Error/Bad Message Type";
	default:
		return "Message Header Error/Unknown subcode";
	}
}

/* RFC 4271 §4.5, RFC 5492 §5, RFC 9234 §4.2 */
static const char *open_subcode_name(uint8_t subcode)
{
	switch (subcode) {
	case BGP_ERR_OPEN_UNSUPPORTED_VERSION:
		return "OPEN Message Error/Unsupported Version Number";
	case BGP_ERR_OPEN_BAD_PEER_AS:
		return "OPEN Message Error/Bad Peer AS";
	case BGP_ERR_OPEN_BAD_BGP_ID:
		return "OPEN Message Error/Bad BGP Identifier";
	case BGP_ERR_OPEN_UNSUPPORTED_PARAMETER:
		return "OPEN Message Error/Unsupported Optional Parameter";
	case 5: /* deprecated by RFC 4271 */
		return "OPEN Message Error/Authentication Failure";
	case BGP_ERR_OPEN_UNACCEPTABLE_HOLD_TIME:
		return "OPEN Message Error/Unacceptable Hold Time";
	case BGP_ERR_OPEN_UNSUPPORTED_CAPABILITY:
		return "OPEN Message Error/Unsupported Capability";
	case BGP_ERR_OPEN_ROLE_MISMATCH:
		return "OPEN Message Error/Role Mismatch";
	default:
		return "OPEN Message Error/Unknown subcode";
	}
}

/* RFC 4271 §4.5 */
static const char *update_subcode_name(uint8_t subcode)
{
	switch (subcode) {
	case BGP_ERR_UPDATE_MALFORMED_ATTRIBUTE_LIST:
		return "UPDATE Message Error/Malformed Attribute List";
	case BGP_ERR_UPDATE_UNRECOGNIZED_WELL_KNOWN:
		return "UPDATE Message Error/Unrecognized Well-known Attribute";
	case BGP_ERR_UPDATE_MISSING_WELL_KNOWN:
		return "UPDATE Message Error/Missing Well-known Attribute";
	case BGP_ERR_UPDATE_ATTRIBUTE_FLAGS:
		return "UPDATE Message Error/Attribute Flags Error";
	case BGP_ERR_UPDATE_ATTRIBUTE_LENGTH:
		return "UPDATE Message Error/Attribute Length Error";
	case BGP_ERR_UPDATE_INVALID_ORIGIN:
		return "UPDATE Message Error/Invalid ORIGIN Attribute";
	case 7: /* deprecated by RFC 4271 */
		return "UPDATE Message Error/AS Routing Loop";
	case BGP_ERR_UPDATE_INVALID_NEXT_HOP:
		return "UPDATE Message Error/Invalid NEXT_HOP Attribute";
	case BGP_ERR_UPDATE_OPTIONAL_ATTRIBUTE:
		return "UPDATE Message Error/Optional Attribute Error";
	case BGP_ERR_UPDATE_INVALID_NETWORK_FIELD:
		return "UPDATE Message Error/Invalid Network Field";
	case BGP_ERR_UPDATE_MALFORMED_AS_PATH:
		return "UPDATE Message Error/Malformed AS_PATH";
	default:
		return "UPDATE Message Error/Unknown subcode";
	}
}

/* RFC 6608 §4 */
static const char *fsm_subcode_name(uint8_t subcode)
{
	switch (subcode) {
	case BGP_ERR_FSM_IN_OPENSENT:
		return "Finite State Machine Error/Receive Unexpected Message in OpenSent State";
	case BGP_ERR_FSM_IN_OPENCONFIRM:
		return "Finite State Machine Error/Receive Unexpected Message in OpenConfirm State";
	case BGP_ERR_FSM_IN_ESTABLISHED:
		return "Finite State Machine Error/Receive Unexpected Message in Established State";
	default:
		return "Finite State Machine Error/Unknown subcode";
	}
}

/* RFC 4486 §4, RFC 8538 §5, RFC 9384 §3 */
static const char *cease_subcode_name(uint8_t subcode)
{
	switch (subcode) {
	case BGP_CEASE_MAX_PREFIXES:
		return "Cease/Maximum Number of Prefixes Reached";
	case BGP_CEASE_ADMIN_SHUTDOWN:
		return "Cease/Administrative Shutdown";
	case BGP_CEASE_PEER_DECONFIGURED:
		return "Cease/Peer De-configured";
	case BGP_CEASE_ADMIN_RESET:
		return "Cease/Administrative Reset";
	case BGP_CEASE_CONNECTION_REJECTED:
		return "Cease/Connection Rejected";
	case BGP_CEASE_CONFIG_CHANGE:
		return "Cease/Other Configuration Change";
	case BGP_CEASE_CONNECTION_COLLISION:
		return "Cease/Connection Collision Resolution";
	case BGP_CEASE_OUT_OF_RESOURCES:
		return "Cease/Out of Resources";
	case BGP_CEASE_HARD_RESET:
		return "Cease/Hard Reset";
	case BGP_CEASE_BFD_DOWN:
		return "Cease/BFD Down";
	default:
		return "Cease/Unknown subcode";
	}
}

/* RFC 7313 §5 */
static const char *route_refresh_subcode_name(uint8_t subcode)
{
	switch (subcode) {
	case BGP_ERR_ROUTE_REFRESH_INVALID_LENGTH:
		return "ROUTE-REFRESH Message Error/Invalid Message Length";
	default:
		return "ROUTE-REFRESH Message Error/Unknown subcode";
	}
}

const char *bgp_error_subcode_name(uint8_t code, uint8_t subcode)
{
	/* Hold Timer Expired has no subcodes; 0 is "unspecific" for every code. */
	if (subcode == 0 || code == BGP_ERR_HOLD_TIMER)
		return bgp_error_code_name(code);
	switch (code) {
	case BGP_ERR_HEADER:
		return header_subcode_name(subcode);
	case BGP_ERR_OPEN:
		return open_subcode_name(subcode);
	case BGP_ERR_UPDATE:
		return update_subcode_name(subcode);
	case BGP_ERR_FSM:
		return fsm_subcode_name(subcode);
	case BGP_ERR_CEASE:
		return cease_subcode_name(subcode);
	case BGP_ERR_ROUTE_REFRESH:
		return route_refresh_subcode_name(subcode);
	default:
		return bgp_error_code_name(code);
	}
}

/* IANA Capability Codes registry: the ones Tern decodes, and a few common ones so that
 * `show` names what a peer offered even when Tern does not use it. */
const char *bgp_capability_name(uint8_t code)
{
	switch (code) {
	case BGP_CAP_MULTIPROTOCOL:
		return "Multiprotocol";
	case BGP_CAP_ROUTE_REFRESH:
		return "Route Refresh";
	case 5: /* RFC 8950 */
		return "Extended Next Hop Encoding";
	case BGP_CAP_EXTENDED_MESSAGE:
		return "Extended Message";
	case 9: /* RFC 9234 */
		return "BGP Role";
	case BGP_CAP_GRACEFUL_RESTART:
		return "Graceful Restart";
	case BGP_CAP_AS4:
		return "4-Octet AS";
	case 69: /* RFC 7911 */
		return "ADD-PATH";
	case BGP_CAP_ENHANCED_ROUTE_REFRESH:
		return "Enhanced Route Refresh";
	case 71: /* RFC 9494 */
		return "Long-Lived Graceful Restart";
	case 128: /* pre-standard Route Refresh, still sent by some speakers */
		return "Route Refresh (old)";
	default:
		return "Unknown";
	}
}
