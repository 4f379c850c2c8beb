/*
 * DOC: the BGP finite state machine of one transport connection (RFC 4271 §8), sans-I/O.
 *
 * RFC 4271 describes one FSM per peer that may briefly own two TCP connections during a
 * collision (§6.8). Tern runs this machine once per connection: an outgoing connection starts
 * in Connect, an accepted one starts in Active and moves to OpenSent when the connection is
 * confirmed. The peer (peer.h) owns up to two connections, starts and retries them
 * (ConnectRetry, §10 jitter), and resolves collisions by comparing BGP Identifiers; Idle,
 * Connect and Active as a peer shows them come from there.
 *
 * bgp_fsm_event() is the whole machine: one switch on the state, then on the event, as in
 * §8.2.2. It touches no socket and no clock: it returns actions (send this message, arm or
 * stop this timer, close the connection) that the caller carries out in order, and it records
 * the reason for each transition so the caller can log it.
 */
#ifndef TERN_BGP_FSM_H
#define TERN_BGP_FSM_H

#include <stdbool.h>
#include <stdint.h>

#include "wire/bgp.h"

enum bgp_state {
	BGP_STATE_IDLE,
	BGP_STATE_CONNECT,
	BGP_STATE_ACTIVE,
	BGP_STATE_OPENSENT,
	BGP_STATE_OPENCONFIRM,
	BGP_STATE_ESTABLISHED,
};

/* The events of RFC 4271 §8.1 that reach a single connection. */
enum bgp_event {
	BGP_EVENT_MANUAL_STOP,              /* Event 2 */
	BGP_EVENT_HOLD_TIMER_EXPIRES,       /* Event 10 */
	BGP_EVENT_KEEPALIVE_TIMER_EXPIRES,  /* Event 11 */
	BGP_EVENT_TCP_CR_ACKED,             /* Event 16: our outgoing connect completed */
	BGP_EVENT_TCP_CONNECTION_CONFIRMED, /* Event 17: we accepted the peer's connection */
	BGP_EVENT_TCP_CONNECTION_FAILS,     /* Event 18 */
	BGP_EVENT_BGP_OPEN,                 /* Event 19: a valid OPEN (input.open) */
	BGP_EVENT_BGP_HEADER_ERR,           /* Event 21: input.error */
	BGP_EVENT_BGP_OPEN_MSG_ERR,         /* Event 22: input.error */
	BGP_EVENT_OPEN_COLLISION_DUMP,      /* Event 23 */
	BGP_EVENT_NOTIF_MSG_VER_ERR,        /* Event 24 */
	BGP_EVENT_NOTIF_MSG,                /* Event 25 */
	BGP_EVENT_KEEPALIVE_MSG,            /* Event 26 */
	BGP_EVENT_UPDATE_MSG,               /* Event 27 */
	BGP_EVENT_UPDATE_MSG_ERR,           /* Event 28: input.error */
	BGP_EVENT_ROUTE_REFRESH_MSG,        /* RFC 2918: counts as traffic for the hold timer */
	BGP_EVENT_ADMIN_STOP,               /* ManualStop with a Cease subcode (input.error) */
	BGP_EVENT_AUTOMATIC_STOP,           /* Event 8: a local limit stops the session, e.g.
	                                       maximum-prefix (input.error, RFC 4486) */
};

enum bgp_timer {
	BGP_TIMER_HOLD,
	BGP_TIMER_KEEPALIVE,
};

enum bgp_action_kind {
	BGP_ACTION_SEND_OPEN,
	BGP_ACTION_SEND_KEEPALIVE,
	BGP_ACTION_SEND_NOTIFICATION, /* error holds code, subcode, data */
	BGP_ACTION_TIMER_START,       /* timer, seconds (the caller adds jitter to keepalives) */
	BGP_ACTION_TIMER_STOP,        /* timer */
	BGP_ACTION_CLOSE,             /* drop the TCP connection, release its resources */
	BGP_ACTION_ESTABLISHED,       /* the session is up: hand it to the RIB */
};

struct bgp_action {
	enum bgp_action_kind kind;
	enum bgp_timer timer;
	uint32_t seconds;
	struct bgp_error error;
};

#define BGP_ACTIONS_MAX 8
struct bgp_actions {
	unsigned count;
	struct bgp_action list[BGP_ACTIONS_MAX];
};

/* What this side offers, fixed when the connection starts. */
struct bgp_fsm_config {
	uint32_t local_as;
	uint32_t remote_as;      /* the AS we expect (RFC 4271 §6.2 Bad Peer AS) */
	uint32_t local_id;       /* our BGP Identifier, host order */
	uint16_t hold_time;      /* ours: the OPEN carries it; 0 = no keepalives */
	uint16_t keepalive;      /* configured; 0 = a third of the negotiated hold time */
	struct bgp_capabilities capabilities; /* what our OPEN advertises */
};

/* RFC 4271 §8.2.2: "a large value" for the hold timer until the OPEN arrives; 4 minutes is
 * the suggested value. */
#define BGP_LARGE_HOLD_TIME 240

struct bgp_fsm {
	enum bgp_state state;
	struct bgp_fsm_config config;
	/* Known once the peer's OPEN has been accepted. */
	bool have_peer_open;
	struct bgp_open peer_open;
	uint16_t negotiated_hold_time;
	uint16_t negotiated_keepalive;
	/* Why the last transition happened, for the log and `show`: static text. */
	const char *reason;
	/* When the connection died of a NOTIFICATION, the one sent or received. */
	bool notification_sent;
	bool notification_received;
	struct bgp_error last_notification;
};

/* What comes with an event. */
struct bgp_fsm_input {
	const struct bgp_open *open;       /* BGP_EVENT_BGP_OPEN */
	const struct bgp_error *error;     /* *_ERR events, BGP_EVENT_ADMIN_STOP; or the
					    * NOTIFICATION received for NOTIF_MSG events */
};

/* outgoing: the connection is ours (starts in Connect) or the peer's (starts in Active). */
void bgp_fsm_init(struct bgp_fsm *fsm, const struct bgp_fsm_config *config, bool outgoing);
/* Runs one event; actions are appended to out (cleared first). Returns the new state. */
enum bgp_state bgp_fsm_event(struct bgp_fsm *fsm, enum bgp_event event,
			     const struct bgp_fsm_input *input, struct bgp_actions *out);

const char *bgp_state_name(enum bgp_state state);
const char *bgp_event_name(enum bgp_event event);

#endif
