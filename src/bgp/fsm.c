/*
 * DOC: the per-connection BGP FSM of RFC 4271 §8.2.2 (see fsm.h for the split between the
 * connection and the peer). Read it against the RFC: one function, a switch on the state,
 * then on the event. Timer events for a timer that is not armed in a state (a stale expiry
 * racing a transition) are ignored rather than treated as FSM errors.
 */
#include "fsm.h"

#include <string.h>

static void action_add(struct bgp_actions *out, struct bgp_action a)
{
	if (out->count < BGP_ACTIONS_MAX)
		out->list[out->count++] = a;
}

static void send_simple(struct bgp_actions *out, enum bgp_action_kind kind)
{
	action_add(out, (struct bgp_action){ .kind = kind });
}

static void timer_start(struct bgp_actions *out, enum bgp_timer timer, uint32_t seconds)
{
	action_add(out, (struct bgp_action){ .kind = BGP_ACTION_TIMER_START, .timer = timer,
					     .seconds = seconds });
}

static void timer_stop(struct bgp_actions *out, enum bgp_timer timer)
{
	action_add(out, (struct bgp_action){ .kind = BGP_ACTION_TIMER_STOP, .timer = timer });
}

static void send_notification(struct bgp_fsm *fsm, struct bgp_actions *out,
			      const struct bgp_error *error)
{
	struct bgp_action a = { .kind = BGP_ACTION_SEND_NOTIFICATION, .error = *error };
	action_add(out, a);
	fsm->notification_sent = true;
	fsm->last_notification = *error;
}

static void send_notification_code(struct bgp_fsm *fsm, struct bgp_actions *out, uint8_t code,
				   uint8_t subcode)
{
	struct bgp_error error;
	bgp_error_set(&error, code, subcode);
	send_notification(fsm, out, &error);
}

/* Every way down ends here: timers stopped, connection closed, state Idle. */
static enum bgp_state go_idle(struct bgp_fsm *fsm, struct bgp_actions *out, const char *reason)
{
	timer_stop(out, BGP_TIMER_HOLD);
	timer_stop(out, BGP_TIMER_KEEPALIVE);
	send_simple(out, BGP_ACTION_CLOSE);
	fsm->state = BGP_STATE_IDLE;
	fsm->reason = reason;
	return fsm->state;
}

static enum bgp_state notify_and_idle(struct bgp_fsm *fsm, struct bgp_actions *out,
				      const struct bgp_error *error, const char *reason)
{
	send_notification(fsm, out, error);
	return go_idle(fsm, out, reason);
}

static enum bgp_state fsm_error(struct bgp_fsm *fsm, struct bgp_actions *out, uint8_t subcode)
{
	/* RFC 4271 §6.6, subcodes from RFC 6608 */
	send_notification_code(fsm, out, BGP_ERR_FSM, subcode);
	return go_idle(fsm, out, "unexpected message for the state (FSM error)");
}

/* RFC 4271 §8.2.2, OpenSent state, Event 19: hold time negotiation (§4.2: the smaller of
 * the two; zero means no keepalives at all) and the first KEEPALIVE. */
static enum bgp_state accept_open(struct bgp_fsm *fsm, const struct bgp_open *open,
				  struct bgp_actions *out)
{
	fsm->peer_open = *open;
	fsm->have_peer_open = true;
	uint16_t hold = fsm->config.hold_time < open->hold_time ? fsm->config.hold_time
								  : open->hold_time;
	fsm->negotiated_hold_time = hold;
	uint16_t keepalive = (uint16_t)(hold / 3);
	if (fsm->config.keepalive && fsm->config.keepalive < keepalive)
		keepalive = fsm->config.keepalive;
	fsm->negotiated_keepalive = hold ? keepalive : 0;

	send_simple(out, BGP_ACTION_SEND_KEEPALIVE);
	if (hold) {
		timer_start(out, BGP_TIMER_KEEPALIVE, fsm->negotiated_keepalive);
		timer_start(out, BGP_TIMER_HOLD, hold);
	} else {
		timer_stop(out, BGP_TIMER_HOLD);
	}
	fsm->state = BGP_STATE_OPENCONFIRM;
	fsm->reason = "OPEN received and accepted";
	return fsm->state;
}

static void restart_hold_timer(struct bgp_fsm *fsm, struct bgp_actions *out)
{
	if (fsm->negotiated_hold_time)
		timer_start(out, BGP_TIMER_HOLD, fsm->negotiated_hold_time);
}

static void send_keepalive_and_rearm(struct bgp_fsm *fsm, struct bgp_actions *out)
{
	if (!fsm->negotiated_keepalive)
		return;
	send_simple(out, BGP_ACTION_SEND_KEEPALIVE);
	timer_start(out, BGP_TIMER_KEEPALIVE, fsm->negotiated_keepalive);
}

/* A ManualStop (Event 2) sends Cease; an administrative stop carries its own subcode
 * (RFC 4486) and maybe an RFC 8203 message. */
static enum bgp_state stop(struct bgp_fsm *fsm, enum bgp_event event,
			   const struct bgp_fsm_input *input, struct bgp_actions *out,
			   bool session_open)
{
	if (!session_open)
		return go_idle(fsm, out, "stopped");
	if (event == BGP_EVENT_ADMIN_STOP && input && input->error)
		return notify_and_idle(fsm, out, input->error, "stopped by the administrator");
	send_notification_code(fsm, out, BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN);
	return go_idle(fsm, out, "stopped by the administrator");
}

static enum bgp_state common_down_events(struct bgp_fsm *fsm, enum bgp_event event,
					 const struct bgp_fsm_input *input,
					 struct bgp_actions *out, bool *handled)
{
	*handled = true;
	switch (event) {
	case BGP_EVENT_MANUAL_STOP:
	case BGP_EVENT_ADMIN_STOP:
		return stop(fsm, event, input, out, true);
	case BGP_EVENT_HOLD_TIMER_EXPIRES:
		send_notification_code(fsm, out, BGP_ERR_HOLD_TIMER, 0); /* RFC 4271 §6.5 */
		return go_idle(fsm, out, "hold timer expired");
	case BGP_EVENT_TCP_CONNECTION_FAILS:
		return go_idle(fsm, out, "TCP connection closed");
	case BGP_EVENT_BGP_HEADER_ERR:
		/* RFC 4271 §6.1 in every state; the code may also be a ROUTE-REFRESH error */
		return notify_and_idle(fsm, out, input->error, bgp_error_code_name(input->error->code));
	case BGP_EVENT_BGP_OPEN_MSG_ERR:
		/* Events 22 and 28 are errors of their message only where that message is
		 * expected; elsewhere they fall through to the FSM error (RFC 4271 §8.2.2,
		 * RFC 6608). */
		if (fsm->state == BGP_STATE_ESTABLISHED)
			break;
		return notify_and_idle(fsm, out, input->error, "bad OPEN message");
	case BGP_EVENT_UPDATE_MSG_ERR:
		if (fsm->state != BGP_STATE_ESTABLISHED)
			break;
		return notify_and_idle(fsm, out, input->error, "bad UPDATE message");
	case BGP_EVENT_AUTOMATIC_STOP:
		/* RFC 4271 §8.2.2, Event 8: Cease, with the caller's subcode and data if given */
		if (!input || !input->error) {
			send_notification_code(fsm, out, BGP_ERR_CEASE, 0);
			return go_idle(fsm, out, "stopped automatically");
		}
		return notify_and_idle(fsm, out, input->error, "stopped automatically (a limit was exceeded)");
	case BGP_EVENT_OPEN_COLLISION_DUMP:
		/* RFC 4271 §6.8: the losing connection is closed with Cease */
		send_notification_code(fsm, out, BGP_ERR_CEASE, BGP_CEASE_CONNECTION_COLLISION);
		return go_idle(fsm, out, "connection collision: this connection lost");
	case BGP_EVENT_NOTIF_MSG_VER_ERR:
	case BGP_EVENT_NOTIF_MSG:
		fsm->notification_received = true;
		if (input && input->error)
			fsm->last_notification = *input->error;
		return go_idle(fsm, out, "NOTIFICATION received");
	default:
		break;
	}
	*handled = false;
	return fsm->state;
}

enum bgp_state bgp_fsm_event(struct bgp_fsm *fsm, enum bgp_event event,
			     const struct bgp_fsm_input *input, struct bgp_actions *out)
{
	out->count = 0;
	bool handled;

	switch (fsm->state) {
	case BGP_STATE_IDLE:
		/* A dead connection: nothing more happens on it. */
		return fsm->state;

	case BGP_STATE_CONNECT:
	case BGP_STATE_ACTIVE:
		switch (event) {
		case BGP_EVENT_TCP_CR_ACKED:
		case BGP_EVENT_TCP_CONNECTION_CONFIRMED:
			/* RFC 4271 §8.2.2, Connect/Active, Events 16-17 */
			send_simple(out, BGP_ACTION_SEND_OPEN);
			timer_start(out, BGP_TIMER_HOLD, BGP_LARGE_HOLD_TIME);
			fsm->state = BGP_STATE_OPENSENT;
			fsm->reason = event == BGP_EVENT_TCP_CR_ACKED ? "TCP connection established, OPEN sent"
								      : "TCP connection accepted, OPEN sent";
			return fsm->state;
		case BGP_EVENT_MANUAL_STOP:
		case BGP_EVENT_ADMIN_STOP:
			return stop(fsm, event, input, out, false);
		case BGP_EVENT_TCP_CONNECTION_FAILS:
			return go_idle(fsm, out, "TCP connection failed");
		case BGP_EVENT_HOLD_TIMER_EXPIRES:
		case BGP_EVENT_KEEPALIVE_TIMER_EXPIRES:
			return fsm->state;
		default:
			/* No BGP message can arrive before the connection is up. */
			return go_idle(fsm, out, "unexpected event before the connection was up");
		}

	case BGP_STATE_OPENSENT:
		common_down_events(fsm, event, input, out, &handled);
		if (handled)
			return fsm->state;
		switch (event) {
		case BGP_EVENT_BGP_OPEN:
			return accept_open(fsm, input->open, out);
		case BGP_EVENT_KEEPALIVE_TIMER_EXPIRES:
			return fsm->state;
		default:
			return fsm_error(fsm, out, BGP_ERR_FSM_IN_OPENSENT);
		}

	case BGP_STATE_OPENCONFIRM:
		common_down_events(fsm, event, input, out, &handled);
		if (handled)
			return fsm->state;
		switch (event) {
		case BGP_EVENT_KEEPALIVE_TIMER_EXPIRES:
			send_keepalive_and_rearm(fsm, out);
			return fsm->state;
		case BGP_EVENT_KEEPALIVE_MSG:
			/* RFC 4271 §8.2.2, OpenConfirm, Event 26 */
			restart_hold_timer(fsm, out);
			send_simple(out, BGP_ACTION_ESTABLISHED);
			fsm->state = BGP_STATE_ESTABLISHED;
			fsm->reason = "KEEPALIVE received";
			return fsm->state;
		default:
			return fsm_error(fsm, out, BGP_ERR_FSM_IN_OPENCONFIRM);
		}

	case BGP_STATE_ESTABLISHED:
		common_down_events(fsm, event, input, out, &handled);
		if (handled)
			return fsm->state;
		switch (event) {
		case BGP_EVENT_KEEPALIVE_TIMER_EXPIRES:
			send_keepalive_and_rearm(fsm, out);
			return fsm->state;
		case BGP_EVENT_KEEPALIVE_MSG:
		case BGP_EVENT_UPDATE_MSG:
		case BGP_EVENT_ROUTE_REFRESH_MSG:
			/* RFC 4271 §8.2.2, Established, Events 26-27 */
			restart_hold_timer(fsm, out);
			return fsm->state;
		default:
			return fsm_error(fsm, out, BGP_ERR_FSM_IN_ESTABLISHED);
		}
	}
	return fsm->state;
}

void bgp_fsm_init(struct bgp_fsm *fsm, const struct bgp_fsm_config *config, bool outgoing)
{
	memset(fsm, 0, sizeof(*fsm));
	fsm->config = *config;
	fsm->state = outgoing ? BGP_STATE_CONNECT : BGP_STATE_ACTIVE;
	fsm->reason = outgoing ? "connecting" : "connection from the peer";
}

const char *bgp_state_name(enum bgp_state state)
{
	static const char *const names[] = { "Idle", "Connect", "Active", "OpenSent", "OpenConfirm",
					     "Established" };
	return (unsigned)state < sizeof(names) / sizeof(names[0]) ? names[state] : "Unknown";
}

const char *bgp_event_name(enum bgp_event event)
{
	static const char *const names[] = {
		[BGP_EVENT_MANUAL_STOP] = "ManualStop",
		[BGP_EVENT_HOLD_TIMER_EXPIRES] = "HoldTimer_Expires",
		[BGP_EVENT_KEEPALIVE_TIMER_EXPIRES] = "KeepaliveTimer_Expires",
		[BGP_EVENT_TCP_CR_ACKED] = "Tcp_CR_Acked",
		[BGP_EVENT_TCP_CONNECTION_CONFIRMED] = "TcpConnectionConfirmed",
		[BGP_EVENT_TCP_CONNECTION_FAILS] = "TcpConnectionFails",
		[BGP_EVENT_BGP_OPEN] = "BGPOpen",
		[BGP_EVENT_BGP_HEADER_ERR] = "BGPHeaderErr",
		[BGP_EVENT_BGP_OPEN_MSG_ERR] = "BGPOpenMsgErr",
		[BGP_EVENT_OPEN_COLLISION_DUMP] = "OpenCollisionDump",
		[BGP_EVENT_NOTIF_MSG_VER_ERR] = "NotifMsgVerErr",
		[BGP_EVENT_NOTIF_MSG] = "NotifMsg",
		[BGP_EVENT_KEEPALIVE_MSG] = "KeepAliveMsg",
		[BGP_EVENT_UPDATE_MSG] = "UpdateMsg",
		[BGP_EVENT_UPDATE_MSG_ERR] = "UpdateMsgErr",
		[BGP_EVENT_ROUTE_REFRESH_MSG] = "RouteRefreshMsg",
		[BGP_EVENT_ADMIN_STOP] = "AdminStop",
		[BGP_EVENT_AUTOMATIC_STOP] = "AutomaticStop",
	};
	return (unsigned)event < sizeof(names) / sizeof(names[0]) && names[event] ? names[event] : "Unknown";
}
