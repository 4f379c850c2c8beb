/*
 * Unit tests of the per-connection BGP FSM (src/bgp/fsm.c) against RFC 4271 §8.2.2 and the
 * FSM error subcodes of RFC 6608. Every test drives a machine into a state through the
 * public API only, runs one event, and checks the exact action list and the new state.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "bgp/fsm.h"
#include "wire/bgp.h"

/* ---- expected actions ----------------------------------------------------------------- */

struct expect {
	enum bgp_action_kind kind;
	enum bgp_timer timer; /* TIMER_START, TIMER_STOP */
	uint32_t seconds;     /* TIMER_START */
	uint8_t code;         /* SEND_NOTIFICATION */
	uint8_t subcode;      /* SEND_NOTIFICATION */
};

#define X_SEND_OPEN { .kind = BGP_ACTION_SEND_OPEN }
#define X_SEND_KEEPALIVE { .kind = BGP_ACTION_SEND_KEEPALIVE }
#define X_NOTIFY(c, s) { .kind = BGP_ACTION_SEND_NOTIFICATION, .code = (c), .subcode = (s) }
#define X_START(t, s) { .kind = BGP_ACTION_TIMER_START, .timer = (t), .seconds = (s) }
#define X_STOP(t) { .kind = BGP_ACTION_TIMER_STOP, .timer = (t) }
#define X_CLOSE { .kind = BGP_ACTION_CLOSE }
#define X_ESTABLISHED { .kind = BGP_ACTION_ESTABLISHED }
/* The tail of every way down: both timers stopped, then the connection closed. */
#define X_DOWN X_STOP(BGP_TIMER_HOLD), X_STOP(BGP_TIMER_KEEPALIVE), X_CLOSE

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static void check_actions(const struct bgp_actions *out, const struct expect *want, unsigned n)
{
	assert_int_equal(out->count, n);
	for (unsigned i = 0; i < n; i++) {
		const struct bgp_action *a = &out->list[i];
		assert_int_equal(a->kind, want[i].kind);
		switch (want[i].kind) {
		case BGP_ACTION_TIMER_START:
			assert_int_equal(a->timer, want[i].timer);
			assert_int_equal(a->seconds, want[i].seconds);
			break;
		case BGP_ACTION_TIMER_STOP:
			assert_int_equal(a->timer, want[i].timer);
			break;
		case BGP_ACTION_SEND_NOTIFICATION:
			assert_int_equal(a->error.code, want[i].code);
			assert_int_equal(a->error.subcode, want[i].subcode);
			break;
		default:
			break;
		}
	}
}

#define CHECK(out, ...)                                                                        \
	do {                                                                                   \
		const struct expect want_[] = { __VA_ARGS__ };                                 \
		check_actions((out), want_, (unsigned)N_OF(want_));                            \
	} while (0)

static void check_no_actions(const struct bgp_actions *out)
{
	assert_int_equal(out->count, 0);
}

/* ---- machines in a given state ------------------------------------------------------- */

static struct bgp_fsm_config make_config(uint16_t hold_time, uint16_t keepalive)
{
	struct bgp_fsm_config c;
	memset(&c, 0, sizeof(c));
	c.local_as = 65001;
	c.remote_as = 65002;
	c.local_id = 0x0a000001;
	c.hold_time = hold_time;
	c.keepalive = keepalive;
	c.capabilities.present = true;
	c.capabilities.as4 = true;
	c.capabilities.as4_number = 65001;
	return c;
}

static struct bgp_open make_open(uint16_t hold_time)
{
	struct bgp_open o;
	memset(&o, 0, sizeof(o));
	o.version = BGP_VERSION;
	o.my_as = 65002;
	o.hold_time = hold_time;
	o.bgp_id = 0x0a000002;
	o.caps.present = true;
	o.caps.as4 = true;
	o.caps.as4_number = 65002;
	o.caps.route_refresh = true;
	return o;
}

static enum bgp_state run(struct bgp_fsm *fsm, enum bgp_event event, struct bgp_actions *out)
{
	return bgp_fsm_event(fsm, event, NULL, out);
}

static enum bgp_state run_error(struct bgp_fsm *fsm, enum bgp_event event,
				const struct bgp_error *error, struct bgp_actions *out)
{
	struct bgp_fsm_input in = { .error = error };
	return bgp_fsm_event(fsm, event, &in, out);
}

static enum bgp_state run_open(struct bgp_fsm *fsm, const struct bgp_open *open,
			       struct bgp_actions *out)
{
	struct bgp_fsm_input in = { .open = open };
	return bgp_fsm_event(fsm, BGP_EVENT_BGP_OPEN, &in, out);
}

/* Our hold time 180, the peer's 90: negotiated 90, keepalive 30. */
#define OUR_HOLD 180
#define PEER_HOLD 90
#define NEG_HOLD 90
#define NEG_KEEPALIVE 30

static void fsm_to(struct bgp_fsm *fsm, enum bgp_state target, uint16_t our_hold,
		   uint16_t peer_hold)
{
	struct bgp_fsm_config c = make_config(our_hold, 0);
	struct bgp_actions out;
	bgp_fsm_init(fsm, &c, true);
	assert_int_equal(fsm->state, BGP_STATE_CONNECT);
	if (target == BGP_STATE_CONNECT)
		return;
	if (target == BGP_STATE_ACTIVE) {
		bgp_fsm_init(fsm, &c, false);
		assert_int_equal(fsm->state, BGP_STATE_ACTIVE);
		return;
	}
	if (target == BGP_STATE_IDLE) {
		assert_int_equal(run(fsm, BGP_EVENT_TCP_CONNECTION_FAILS, &out), BGP_STATE_IDLE);
		return;
	}
	assert_int_equal(run(fsm, BGP_EVENT_TCP_CR_ACKED, &out), BGP_STATE_OPENSENT);
	if (target == BGP_STATE_OPENSENT)
		return;
	struct bgp_open o = make_open(peer_hold);
	assert_int_equal(run_open(fsm, &o, &out), BGP_STATE_OPENCONFIRM);
	if (target == BGP_STATE_OPENCONFIRM)
		return;
	assert_int_equal(run(fsm, BGP_EVENT_KEEPALIVE_MSG, &out), BGP_STATE_ESTABLISHED);
	assert_int_equal(target, BGP_STATE_ESTABLISHED);
}

static void fsm_in(struct bgp_fsm *fsm, enum bgp_state target)
{
	fsm_to(fsm, target, OUR_HOLD, PEER_HOLD);
}

static const enum bgp_state open_states[] = { BGP_STATE_OPENSENT, BGP_STATE_OPENCONFIRM,
					      BGP_STATE_ESTABLISHED };
static const enum bgp_state pre_states[] = { BGP_STATE_CONNECT, BGP_STATE_ACTIVE };

static void assert_silent_idle(const struct bgp_fsm *fsm, enum bgp_state got)
{
	assert_int_equal(got, BGP_STATE_IDLE);
	assert_int_equal(fsm->state, BGP_STATE_IDLE);
	assert_false(fsm->notification_sent);
	assert_non_null(fsm->reason);
}

static void assert_notified(const struct bgp_fsm *fsm, uint8_t code, uint8_t subcode)
{
	assert_true(fsm->notification_sent);
	assert_false(fsm->notification_received);
	assert_int_equal(fsm->last_notification.code, code);
	assert_int_equal(fsm->last_notification.subcode, subcode);
	assert_int_equal(fsm->state, BGP_STATE_IDLE);
	assert_non_null(fsm->reason);
}

/* ---- init ---------------------------------------------------------------------------- */

static void test_init(void **state)
{
	(void)state;
	struct bgp_fsm_config c = make_config(OUR_HOLD, 7);
	struct bgp_fsm fsm;
	memset(&fsm, 0xa5, sizeof(fsm));
	bgp_fsm_init(&fsm, &c, true);
	assert_int_equal(fsm.state, BGP_STATE_CONNECT);
	assert_int_equal(fsm.config.hold_time, OUR_HOLD);
	assert_int_equal(fsm.config.keepalive, 7);
	assert_int_equal(fsm.config.local_as, 65001);
	assert_false(fsm.have_peer_open);
	assert_false(fsm.notification_sent);
	assert_false(fsm.notification_received);
	assert_int_equal(fsm.negotiated_hold_time, 0);
	assert_int_equal(fsm.negotiated_keepalive, 0);
	assert_non_null(fsm.reason);

	memset(&fsm, 0xa5, sizeof(fsm));
	bgp_fsm_init(&fsm, &c, false);
	assert_int_equal(fsm.state, BGP_STATE_ACTIVE);
	assert_false(fsm.have_peer_open);
	assert_false(fsm.notification_sent);
	assert_non_null(fsm.reason);
}

/* ---- Connect and Active -------------------------------------------------------------- */

/* RFC 4271 §8.2.2 Connect, Event 16: send OPEN, hold timer to a large value, OpenSent. */
static void test_connect_tcp_cr_acked(void **state)
{
	(void)state;
	struct bgp_fsm fsm;
	struct bgp_actions out;
	fsm_in(&fsm, BGP_STATE_CONNECT);
	assert_int_equal(run(&fsm, BGP_EVENT_TCP_CR_ACKED, &out), BGP_STATE_OPENSENT);
	CHECK(&out, X_SEND_OPEN, X_START(BGP_TIMER_HOLD, BGP_LARGE_HOLD_TIME));
	assert_int_equal(BGP_LARGE_HOLD_TIME, 240);
	assert_int_equal(fsm.state, BGP_STATE_OPENSENT);
	assert_non_null(fsm.reason);
	assert_false(fsm.have_peer_open);
}

/* RFC 4271 §8.2.2 Active, Event 17: the same for an accepted connection. */
static void test_active_tcp_connection_confirmed(void **state)
{
	(void)state;
	struct bgp_fsm fsm;
	struct bgp_actions out;
	fsm_in(&fsm, BGP_STATE_ACTIVE);
	assert_int_equal(run(&fsm, BGP_EVENT_TCP_CONNECTION_CONFIRMED, &out),
			 BGP_STATE_OPENSENT);
	CHECK(&out, X_SEND_OPEN, X_START(BGP_TIMER_HOLD, 240));
	assert_int_equal(fsm.state, BGP_STATE_OPENSENT);
	assert_non_null(fsm.reason);
}

/* The RFC accepts either event in either state (Connect Event 17, Active Event 16). */
static void test_pre_states_accept_either_connection_event(void **state)
{
	(void)state;
	struct bgp_fsm fsm;
	struct bgp_actions out;
	fsm_in(&fsm, BGP_STATE_CONNECT);
	assert_int_equal(run(&fsm, BGP_EVENT_TCP_CONNECTION_CONFIRMED, &out),
			 BGP_STATE_OPENSENT);
	CHECK(&out, X_SEND_OPEN, X_START(BGP_TIMER_HOLD, 240));
	fsm_in(&fsm, BGP_STATE_ACTIVE);
	assert_int_equal(run(&fsm, BGP_EVENT_TCP_CR_ACKED, &out), BGP_STATE_OPENSENT);
	CHECK(&out, X_SEND_OPEN, X_START(BGP_TIMER_HOLD, 240));
}

/* Event 18 before the session is open: the connection is dropped, no NOTIFICATION. */
static void test_pre_states_tcp_fails(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_OF(pre_states); i++) {
		struct bgp_fsm fsm;
		struct bgp_actions out;
		fsm_in(&fsm, pre_states[i]);
		assert_silent_idle(&fsm, run(&fsm, BGP_EVENT_TCP_CONNECTION_FAILS, &out));
		CHECK(&out, X_DOWN);
	}
}

/* Event 2 in Connect/Active: drop the connection, no NOTIFICATION (none can be sent). An
 * administrative stop carrying a Cease is no different: no OPEN was exchanged. */
static void test_pre_states_stop_is_silent(void **state)
{
	(void)state;
	struct bgp_error cease;
	bgp_error_set(&cease, BGP_ERR_CEASE, BGP_CEASE_PEER_DECONFIGURED);
	for (size_t i = 0; i < N_OF(pre_states); i++) {
		struct bgp_fsm fsm;
		struct bgp_actions out;
		fsm_in(&fsm, pre_states[i]);
		assert_silent_idle(&fsm, run(&fsm, BGP_EVENT_MANUAL_STOP, &out));
		CHECK(&out, X_DOWN);

		fsm_in(&fsm, pre_states[i]);
		assert_silent_idle(&fsm, run_error(&fsm, BGP_EVENT_ADMIN_STOP, &cease, &out));
		CHECK(&out, X_DOWN);
	}
}

/* Neither timer runs before OpenSent: a late expiry is ignored, not an error. */
static void test_pre_states_ignore_stale_timers(void **state)
{
	(void)state;
	const enum bgp_event timers[] = { BGP_EVENT_HOLD_TIMER_EXPIRES,
					  BGP_EVENT_KEEPALIVE_TIMER_EXPIRES };
	for (size_t i = 0; i < N_OF(pre_states); i++) {
		for (size_t j = 0; j < N_OF(timers); j++) {
			struct bgp_fsm fsm;
			struct bgp_actions out;
			fsm_in(&fsm, pre_states[i]);
			out.count = 99;
			assert_int_equal(run(&fsm, timers[j], &out), pre_states[i]);
			check_no_actions(&out);
			assert_int_equal(fsm.state, pre_states[i]);
		}
	}
}

/* RFC 4271 §8.2.2 Connect/Active, "any other event" (19, 21-28): the connection is dropped
 * and the state is Idle; without DelayOpen no NOTIFICATION is sent. */
static void test_pre_states_messages_drop_silently(void **state)
{
	(void)state;
	const enum bgp_event events[] = {
		BGP_EVENT_BGP_OPEN,          BGP_EVENT_BGP_HEADER_ERR,
		BGP_EVENT_BGP_OPEN_MSG_ERR,  BGP_EVENT_OPEN_COLLISION_DUMP,
		BGP_EVENT_NOTIF_MSG_VER_ERR, BGP_EVENT_NOTIF_MSG,
		BGP_EVENT_KEEPALIVE_MSG,     BGP_EVENT_UPDATE_MSG,
		BGP_EVENT_UPDATE_MSG_ERR,    BGP_EVENT_ROUTE_REFRESH_MSG,
	};
	struct bgp_error err;
	bgp_error_set(&err, BGP_ERR_HEADER, BGP_ERR_HEADER_BAD_TYPE);
	struct bgp_open open = make_open(PEER_HOLD);
	struct bgp_fsm_input in = { .open = &open, .error = &err };
	for (size_t i = 0; i < N_OF(pre_states); i++) {
		for (size_t j = 0; j < N_OF(events); j++) {
			struct bgp_fsm fsm;
			struct bgp_actions out;
			fsm_in(&fsm, pre_states[i]);
			assert_silent_idle(&fsm, bgp_fsm_event(&fsm, events[j], &in, &out));
			CHECK(&out, X_DOWN);
			assert_false(fsm.have_peer_open);
		}
	}
}

/* ---- OpenSent: the OPEN and hold time negotiation (RFC 4271 §4.2, §8.2.2 Event 19) ---- */

static void test_opensent_open_negotiates_smaller_hold(void **state)
{
	(void)state;
	struct bgp_fsm fsm;
	struct bgp_actions out;
	fsm_to(&fsm, BGP_STATE_OPENSENT, 180, 0);
	struct bgp_open open = make_open(90);
	assert_int_equal(run_open(&fsm, &open, &out), BGP_STATE_OPENCONFIRM);
	CHECK(&out, X_SEND_KEEPALIVE, X_START(BGP_TIMER_KEEPALIVE, 30),
	      X_START(BGP_TIMER_HOLD, 90));
	assert_int_equal(fsm.negotiated_hold_time, 90);
	assert_int_equal(fsm.negotiated_keepalive, 30);
	assert_true(fsm.have_peer_open);
	assert_int_equal(fsm.peer_open.hold_time, 90);
	assert_int_equal(fsm.peer_open.bgp_id, 0x0a000002);
	assert_int_equal(fsm.peer_open.my_as, 65002);
	assert_true(fsm.peer_open.caps.route_refresh);
	assert_int_equal(fsm.peer_open.caps.as4_number, 65002);
	assert_non_null(fsm.reason);
	assert_false(fsm.notification_sent);

	/* The other way round: ours is the smaller. */
	fsm_to(&fsm, BGP_STATE_OPENSENT, 60, 0);
	open = make_open(180);
	assert_int_equal(run_open(&fsm, &open, &out), BGP_STATE_OPENCONFIRM);
	CHECK(&out, X_SEND_KEEPALIVE, X_START(BGP_TIMER_KEEPALIVE, 20),
	      X_START(BGP_TIMER_HOLD, 60));
	assert_int_equal(fsm.negotiated_hold_time, 60);
	assert_int_equal(fsm.negotiated_keepalive, 20);

	/* Equal, and the smallest legal non-zero value (3 s -> 1 s keepalive). */
	fsm_to(&fsm, BGP_STATE_OPENSENT, 3, 0);
	open = make_open(3);
	assert_int_equal(run_open(&fsm, &open, &out), BGP_STATE_OPENCONFIRM);
	CHECK(&out, X_SEND_KEEPALIVE, X_START(BGP_TIMER_KEEPALIVE, 1),
	      X_START(BGP_TIMER_HOLD, 3));
}

static void test_opensent_open_configured_keepalive(void **state)
{
	(void)state;
	struct bgp_fsm fsm;
	struct bgp_actions out;
	struct bgp_open open = make_open(90);

	/* A configured keepalive below a third of the hold time wins. */
	struct bgp_fsm_config c = make_config(180, 10);
	bgp_fsm_init(&fsm, &c, false);
	run(&fsm, BGP_EVENT_TCP_CONNECTION_CONFIRMED, &out);
	assert_int_equal(run_open(&fsm, &open, &out), BGP_STATE_OPENCONFIRM);
	CHECK(&out, X_SEND_KEEPALIVE, X_START(BGP_TIMER_KEEPALIVE, 10),
	      X_START(BGP_TIMER_HOLD, 90));
	assert_int_equal(fsm.negotiated_keepalive, 10);

	/* One above a third of the negotiated hold time does not: 30 is used. */
	c = make_config(180, 60);
	bgp_fsm_init(&fsm, &c, false);
	run(&fsm, BGP_EVENT_TCP_CONNECTION_CONFIRMED, &out);
	assert_int_equal(run_open(&fsm, &open, &out), BGP_STATE_OPENCONFIRM);
	CHECK(&out, X_SEND_KEEPALIVE, X_START(BGP_TIMER_KEEPALIVE, 30),
	      X_START(BGP_TIMER_HOLD, 90));
	assert_int_equal(fsm.negotiated_keepalive, 30);

	/* Exactly a third: the same either way. */
	c = make_config(180, 30);
	bgp_fsm_init(&fsm, &c, false);
	run(&fsm, BGP_EVENT_TCP_CONNECTION_CONFIRMED, &out);
	assert_int_equal(run_open(&fsm, &open, &out), BGP_STATE_OPENCONFIRM);
	CHECK(&out, X_SEND_KEEPALIVE, X_START(BGP_TIMER_KEEPALIVE, 30),
	      X_START(BGP_TIMER_HOLD, 90));
}

/* RFC 4271 §4.2 / §8.2.2: a negotiated hold time of zero starts neither timer; the large
 * hold timer of OpenSent must be stopped. Zero on either side gives zero. */
static void test_opensent_open_hold_zero(void **state)
{
	(void)state;
	const uint16_t ours[] = { 0, 180, 0 };
	const uint16_t theirs[] = { 90, 0, 0 };
	for (size_t i = 0; i < N_OF(ours); i++) {
		struct bgp_fsm fsm;
		struct bgp_actions out;
		fsm_to(&fsm, BGP_STATE_OPENSENT, ours[i], 0);
		struct bgp_open open = make_open(theirs[i]);
		assert_int_equal(run_open(&fsm, &open, &out), BGP_STATE_OPENCONFIRM);
		CHECK(&out, X_SEND_KEEPALIVE, X_STOP(BGP_TIMER_HOLD));
		assert_int_equal(fsm.negotiated_hold_time, 0);
		assert_int_equal(fsm.negotiated_keepalive, 0);
		assert_true(fsm.have_peer_open);
	}

	/* A configured keepalive does not bring keepalives back when the hold time is zero. */
	struct bgp_fsm fsm;
	struct bgp_actions out;
	struct bgp_fsm_config c = make_config(180, 10);
	bgp_fsm_init(&fsm, &c, true);
	run(&fsm, BGP_EVENT_TCP_CR_ACKED, &out);
	struct bgp_open open = make_open(0);
	assert_int_equal(run_open(&fsm, &open, &out), BGP_STATE_OPENCONFIRM);
	CHECK(&out, X_SEND_KEEPALIVE, X_STOP(BGP_TIMER_HOLD));
	assert_int_equal(fsm.negotiated_keepalive, 0);
}

/* ---- OpenSent: everything else --------------------------------------------------------- */

/* RFC 6608 §4: KEEPALIVE, UPDATE or ROUTE-REFRESH in OpenSent -> 5/1. */
static void test_opensent_unexpected_messages(void **state)
{
	(void)state;
	const enum bgp_event events[] = { BGP_EVENT_KEEPALIVE_MSG, BGP_EVENT_UPDATE_MSG,
					  BGP_EVENT_ROUTE_REFRESH_MSG };
	for (size_t i = 0; i < N_OF(events); i++) {
		struct bgp_fsm fsm;
		struct bgp_actions out;
		fsm_in(&fsm, BGP_STATE_OPENSENT);
		assert_int_equal(run(&fsm, events[i], &out), BGP_STATE_IDLE);
		CHECK(&out, X_NOTIFY(BGP_ERR_FSM, BGP_ERR_FSM_IN_OPENSENT), X_DOWN);
		assert_notified(&fsm, BGP_ERR_FSM, BGP_ERR_FSM_IN_OPENSENT);
	}
}

/* RFC 4271 §8.2.2 OpenSent lists Event 28 (UpdateMsgErr) among "any other event": an UPDATE
 * is unexpected in OpenSent whether or not it parses, so the answer is the FSM error 5/1
 * (RFC 6608), not an UPDATE Message Error. */
static void test_opensent_update_msg_err_is_fsm_error(void **state)
{
	(void)state;
	struct bgp_fsm fsm;
	struct bgp_actions out;
	struct bgp_error err;
	bgp_error_set(&err, BGP_ERR_UPDATE, BGP_ERR_UPDATE_MALFORMED_ATTRIBUTE_LIST);
	fsm_in(&fsm, BGP_STATE_OPENSENT);
	assert_int_equal(run_error(&fsm, BGP_EVENT_UPDATE_MSG_ERR, &err, &out), BGP_STATE_IDLE);
	CHECK(&out, X_NOTIFY(BGP_ERR_FSM, BGP_ERR_FSM_IN_OPENSENT), X_DOWN);
	assert_notified(&fsm, BGP_ERR_FSM, BGP_ERR_FSM_IN_OPENSENT);
}

/* The keepalive timer is not armed before OpenConfirm: a stray expiry is ignored. */
static void test_opensent_ignores_keepalive_timer(void **state)
{
	(void)state;
	struct bgp_fsm fsm;
	struct bgp_actions out;
	fsm_in(&fsm, BGP_STATE_OPENSENT);
	assert_int_equal(run(&fsm, BGP_EVENT_KEEPALIVE_TIMER_EXPIRES, &out),
			 BGP_STATE_OPENSENT);
	check_no_actions(&out);
	assert_false(fsm.notification_sent);
}

/* ---- OpenConfirm ------------------------------------------------------------------------ */

/* RFC 4271 §8.2.2 OpenConfirm, Event 26: restart the hold timer, Established. */
static void test_openconfirm_keepalive_establishes(void **state)
{
	(void)state;
	struct bgp_fsm fsm;
	struct bgp_actions out;
	fsm_in(&fsm, BGP_STATE_OPENCONFIRM);
	assert_int_equal(run(&fsm, BGP_EVENT_KEEPALIVE_MSG, &out), BGP_STATE_ESTABLISHED);
	CHECK(&out, X_START(BGP_TIMER_HOLD, NEG_HOLD), X_ESTABLISHED);
	assert_int_equal(fsm.state, BGP_STATE_ESTABLISHED);
	assert_non_null(fsm.reason);
	assert_false(fsm.notification_sent);
}

static void test_openconfirm_keepalive_establishes_hold_zero(void **state)
{
	(void)state;
	struct bgp_fsm fsm;
	struct bgp_actions out;
	fsm_to(&fsm, BGP_STATE_OPENCONFIRM, OUR_HOLD, 0);
	assert_int_equal(run(&fsm, BGP_EVENT_KEEPALIVE_MSG, &out), BGP_STATE_ESTABLISHED);
	CHECK(&out, X_ESTABLISHED);
}

/* RFC 4271 §8.2.2 OpenConfirm/Established, Event 11: send KEEPALIVE, restart the timer. */
static void test_keepalive_timer_sends_and_rearms(void **state)
{
	(void)state;
	const enum bgp_state states[] = { BGP_STATE_OPENCONFIRM, BGP_STATE_ESTABLISHED };
	for (size_t i = 0; i < N_OF(states); i++) {
		struct bgp_fsm fsm;
		struct bgp_actions out;
		fsm_in(&fsm, states[i]);
		assert_int_equal(run(&fsm, BGP_EVENT_KEEPALIVE_TIMER_EXPIRES, &out), states[i]);
		CHECK(&out, X_SEND_KEEPALIVE, X_START(BGP_TIMER_KEEPALIVE, NEG_KEEPALIVE));
		/* and again */
		assert_int_equal(run(&fsm, BGP_EVENT_KEEPALIVE_TIMER_EXPIRES, &out), states[i]);
		CHECK(&out, X_SEND_KEEPALIVE, X_START(BGP_TIMER_KEEPALIVE, NEG_KEEPALIVE));
	}
}

/* With a configured keepalive the re-arm uses the negotiated (configured) value. */
static void test_keepalive_timer_uses_configured_value(void **state)
{
	(void)state;
	struct bgp_fsm fsm;
	struct bgp_actions out;
	struct bgp_fsm_config c = make_config(180, 10);
	bgp_fsm_init(&fsm, &c, true);
	run(&fsm, BGP_EVENT_TCP_CR_ACKED, &out);
	struct bgp_open open = make_open(90);
	run_open(&fsm, &open, &out);
	assert_int_equal(run(&fsm, BGP_EVENT_KEEPALIVE_TIMER_EXPIRES, &out),
			 BGP_STATE_OPENCONFIRM);
	CHECK(&out, X_SEND_KEEPALIVE, X_START(BGP_TIMER_KEEPALIVE, 10));
	assert_int_equal(run(&fsm, BGP_EVENT_KEEPALIVE_MSG, &out), BGP_STATE_ESTABLISHED);
	CHECK(&out, X_START(BGP_TIMER_HOLD, 90), X_ESTABLISHED);
	assert_int_equal(run(&fsm, BGP_EVENT_KEEPALIVE_TIMER_EXPIRES, &out),
			 BGP_STATE_ESTABLISHED);
	CHECK(&out, X_SEND_KEEPALIVE, X_START(BGP_TIMER_KEEPALIVE, 10));
}

/* Hold time zero: the keepalive timer never runs, so an expiry is stale and ignored; traffic
 * restarts no hold timer. */
static void test_hold_zero_no_timers(void **state)
{
	(void)state;
	const enum bgp_state states[] = { BGP_STATE_OPENCONFIRM, BGP_STATE_ESTABLISHED };
	for (size_t i = 0; i < N_OF(states); i++) {
		struct bgp_fsm fsm;
		struct bgp_actions out;
		fsm_to(&fsm, states[i], 0, 90);
		assert_int_equal(run(&fsm, BGP_EVENT_KEEPALIVE_TIMER_EXPIRES, &out), states[i]);
		check_no_actions(&out);
	}
	const enum bgp_event traffic[] = { BGP_EVENT_KEEPALIVE_MSG, BGP_EVENT_UPDATE_MSG,
					   BGP_EVENT_ROUTE_REFRESH_MSG };
	for (size_t i = 0; i < N_OF(traffic); i++) {
		struct bgp_fsm fsm;
		struct bgp_actions out;
		fsm_to(&fsm, BGP_STATE_ESTABLISHED, 0, 90);
		assert_int_equal(run(&fsm, traffic[i], &out), BGP_STATE_ESTABLISHED);
		check_no_actions(&out);
	}
}

/* RFC 6608 §4: UPDATE, ROUTE-REFRESH (or a second OPEN on this connection) in OpenConfirm
 * -> 5/2. */
static void test_openconfirm_unexpected_messages(void **state)
{
	(void)state;
	const enum bgp_event events[] = { BGP_EVENT_UPDATE_MSG, BGP_EVENT_ROUTE_REFRESH_MSG,
					  BGP_EVENT_BGP_OPEN };
	struct bgp_open open = make_open(PEER_HOLD);
	struct bgp_fsm_input in = { .open = &open };
	for (size_t i = 0; i < N_OF(events); i++) {
		struct bgp_fsm fsm;
		struct bgp_actions out;
		fsm_in(&fsm, BGP_STATE_OPENCONFIRM);
		assert_int_equal(bgp_fsm_event(&fsm, events[i], &in, &out), BGP_STATE_IDLE);
		CHECK(&out, X_NOTIFY(BGP_ERR_FSM, BGP_ERR_FSM_IN_OPENCONFIRM), X_DOWN);
		assert_notified(&fsm, BGP_ERR_FSM, BGP_ERR_FSM_IN_OPENCONFIRM);
	}
}

/* RFC 4271 §8.2.2 OpenConfirm lists Event 28 among "any other event": FSM error 5/2. */
static void test_openconfirm_update_msg_err_is_fsm_error(void **state)
{
	(void)state;
	struct bgp_fsm fsm;
	struct bgp_actions out;
	struct bgp_error err;
	bgp_error_set(&err, BGP_ERR_UPDATE, BGP_ERR_UPDATE_MALFORMED_ATTRIBUTE_LIST);
	fsm_in(&fsm, BGP_STATE_OPENCONFIRM);
	assert_int_equal(run_error(&fsm, BGP_EVENT_UPDATE_MSG_ERR, &err, &out), BGP_STATE_IDLE);
	CHECK(&out, X_NOTIFY(BGP_ERR_FSM, BGP_ERR_FSM_IN_OPENCONFIRM), X_DOWN);
	assert_notified(&fsm, BGP_ERR_FSM, BGP_ERR_FSM_IN_OPENCONFIRM);
}

/* ---- Established -------------------------------------------------------------------------- */

/* RFC 4271 §8.2.2 Established, Events 26-27 (and RFC 2918 ROUTE-REFRESH): restart the hold
 * timer, stay Established. */
static void test_established_traffic_restarts_hold(void **state)
{
	(void)state;
	const enum bgp_event events[] = { BGP_EVENT_KEEPALIVE_MSG, BGP_EVENT_UPDATE_MSG,
					  BGP_EVENT_ROUTE_REFRESH_MSG };
	struct bgp_fsm fsm;
	struct bgp_actions out;
	fsm_in(&fsm, BGP_STATE_ESTABLISHED);
	for (int round = 0; round < 2; round++) {
		for (size_t i = 0; i < N_OF(events); i++) {
			assert_int_equal(run(&fsm, events[i], &out), BGP_STATE_ESTABLISHED);
			CHECK(&out, X_START(BGP_TIMER_HOLD, NEG_HOLD));
		}
	}
	assert_false(fsm.notification_sent);
}

/* RFC 6608 §4: an OPEN in Established -> 5/3. */
static void test_established_open_is_fsm_error(void **state)
{
	(void)state;
	struct bgp_fsm fsm;
	struct bgp_actions out;
	struct bgp_open open = make_open(PEER_HOLD);
	fsm_in(&fsm, BGP_STATE_ESTABLISHED);
	assert_int_equal(run_open(&fsm, &open, &out), BGP_STATE_IDLE);
	CHECK(&out, X_NOTIFY(BGP_ERR_FSM, BGP_ERR_FSM_IN_ESTABLISHED), X_DOWN);
	assert_notified(&fsm, BGP_ERR_FSM, BGP_ERR_FSM_IN_ESTABLISHED);
}

/* RFC 4271 §8.2.2 Established: "any other event (Events 9, 12-13, 20-22)" is an FSM error;
 * an OPEN is unexpected in Established whether or not it parses (RFC 6608: 5/3). */
static void test_established_open_msg_err_is_fsm_error(void **state)
{
	(void)state;
	struct bgp_fsm fsm;
	struct bgp_actions out;
	struct bgp_error err;
	bgp_error_set(&err, BGP_ERR_OPEN, BGP_ERR_OPEN_BAD_BGP_ID);
	fsm_in(&fsm, BGP_STATE_ESTABLISHED);
	assert_int_equal(run_error(&fsm, BGP_EVENT_BGP_OPEN_MSG_ERR, &err, &out),
			 BGP_STATE_IDLE);
	CHECK(&out, X_NOTIFY(BGP_ERR_FSM, BGP_ERR_FSM_IN_ESTABLISHED), X_DOWN);
	assert_notified(&fsm, BGP_ERR_FSM, BGP_ERR_FSM_IN_ESTABLISHED);
}

/* ---- the ways down common to OpenSent, OpenConfirm and Established ------------------- */

/* RFC 4271 §6.5, §8.2.2 Event 10: NOTIFICATION Hold Timer Expired (4/0). */
static void test_hold_timer_expires(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_OF(open_states); i++) {
		struct bgp_fsm fsm;
		struct bgp_actions out;
		fsm_in(&fsm, open_states[i]);
		assert_int_equal(run(&fsm, BGP_EVENT_HOLD_TIMER_EXPIRES, &out), BGP_STATE_IDLE);
		CHECK(&out, X_NOTIFY(BGP_ERR_HOLD_TIMER, 0), X_DOWN);
		assert_int_equal(out.list[0].error.data_len, 0);
		assert_notified(&fsm, BGP_ERR_HOLD_TIMER, 0);
	}
}

/* RFC 4271 §6.8, Event 23: the losing connection sends Cease / Connection Collision
 * Resolution (RFC 4486: 6/7) and closes. */
static void test_open_collision_dump(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_OF(open_states); i++) {
		struct bgp_fsm fsm;
		struct bgp_actions out;
		fsm_in(&fsm, open_states[i]);
		assert_int_equal(run(&fsm, BGP_EVENT_OPEN_COLLISION_DUMP, &out), BGP_STATE_IDLE);
		CHECK(&out, X_NOTIFY(BGP_ERR_CEASE, BGP_CEASE_CONNECTION_COLLISION), X_DOWN);
		assert_notified(&fsm, BGP_ERR_CEASE, BGP_CEASE_CONNECTION_COLLISION);
	}
}

/* Events 24-25: a NOTIFICATION received closes the connection; none is sent back. */
static void test_notification_received(void **state)
{
	(void)state;
	const enum bgp_event events[] = { BGP_EVENT_NOTIF_MSG, BGP_EVENT_NOTIF_MSG_VER_ERR };
	struct bgp_error got;
	bgp_error_set(&got, BGP_ERR_CEASE, BGP_CEASE_ADMIN_RESET);
	got.data_len = 3;
	got.data[0] = 2;
	got.data[1] = 'h';
	got.data[2] = 'i';
	for (size_t i = 0; i < N_OF(open_states); i++) {
		for (size_t j = 0; j < N_OF(events); j++) {
			struct bgp_fsm fsm;
			struct bgp_actions out;
			fsm_in(&fsm, open_states[i]);
			assert_int_equal(run_error(&fsm, events[j], &got, &out), BGP_STATE_IDLE);
			CHECK(&out, X_DOWN);
			assert_false(fsm.notification_sent);
			assert_true(fsm.notification_received);
			assert_int_equal(fsm.last_notification.code, BGP_ERR_CEASE);
			assert_int_equal(fsm.last_notification.subcode, BGP_CEASE_ADMIN_RESET);
			assert_int_equal(fsm.last_notification.data_len, 3);
			assert_memory_equal(fsm.last_notification.data, got.data, 3);
			assert_non_null(fsm.reason);
		}
	}
	/* No details given: still a silent close. */
	struct bgp_fsm fsm;
	struct bgp_actions out;
	fsm_in(&fsm, BGP_STATE_ESTABLISHED);
	assert_int_equal(run(&fsm, BGP_EVENT_NOTIF_MSG, &out), BGP_STATE_IDLE);
	CHECK(&out, X_DOWN);
	assert_true(fsm.notification_received);
	assert_false(fsm.notification_sent);
}

/* Event 18 once the connection is up: close, nothing sent. */
static void test_tcp_fails_when_open(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_OF(open_states); i++) {
		struct bgp_fsm fsm;
		struct bgp_actions out;
		fsm_in(&fsm, open_states[i]);
		assert_silent_idle(&fsm, run(&fsm, BGP_EVENT_TCP_CONNECTION_FAILS, &out));
		CHECK(&out, X_DOWN);
		assert_false(fsm.notification_received);
	}
}

/* Events 21-22 (Event 28 in Established): the NOTIFICATION the decoder built, data included,
 * then close. */
static void test_message_errors_send_given_notification(void **state)
{
	(void)state;
	struct bgp_error header, open, update;
	bgp_error_set(&header, BGP_ERR_HEADER, BGP_ERR_HEADER_BAD_LENGTH);
	header.data_len = 2;
	header.data[0] = 0x10;
	header.data[1] = 0x01;
	bgp_error_set(&open, BGP_ERR_OPEN, BGP_ERR_OPEN_BAD_PEER_AS);
	open.data_len = 2;
	open.data[0] = 0xfd;
	open.data[1] = 0xea;
	bgp_error_set(&update, BGP_ERR_UPDATE, BGP_ERR_UPDATE_INVALID_ORIGIN);
	update.data_len = 4;
	memcpy(update.data, "\x40\x01\x01\x07", 4);

	const struct {
		enum bgp_state state;
		enum bgp_event event;
		const struct bgp_error *error;
	} cases[] = {
		{ BGP_STATE_OPENSENT, BGP_EVENT_BGP_HEADER_ERR, &header },
		{ BGP_STATE_OPENSENT, BGP_EVENT_BGP_OPEN_MSG_ERR, &open },
		{ BGP_STATE_OPENCONFIRM, BGP_EVENT_BGP_HEADER_ERR, &header },
		{ BGP_STATE_OPENCONFIRM, BGP_EVENT_BGP_OPEN_MSG_ERR, &open },
		{ BGP_STATE_ESTABLISHED, BGP_EVENT_BGP_HEADER_ERR, &header },
		{ BGP_STATE_ESTABLISHED, BGP_EVENT_UPDATE_MSG_ERR, &update },
	};
	for (size_t i = 0; i < N_OF(cases); i++) {
		struct bgp_fsm fsm;
		struct bgp_actions out;
		fsm_in(&fsm, cases[i].state);
		assert_int_equal(run_error(&fsm, cases[i].event, cases[i].error, &out),
				 BGP_STATE_IDLE);
		CHECK(&out, X_NOTIFY(cases[i].error->code, cases[i].error->subcode), X_DOWN);
		assert_int_equal(out.list[0].error.data_len, cases[i].error->data_len);
		assert_memory_equal(out.list[0].error.data, cases[i].error->data,
				    cases[i].error->data_len);
		assert_notified(&fsm, cases[i].error->code, cases[i].error->subcode);
		assert_int_equal(fsm.last_notification.data_len, cases[i].error->data_len);
	}
}

/* Event 2 once an OPEN was sent: Cease / Administrative Shutdown (RFC 4486: 6/2). */
static void test_manual_stop_when_open(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_OF(open_states); i++) {
		struct bgp_fsm fsm;
		struct bgp_actions out;
		fsm_in(&fsm, open_states[i]);
		assert_int_equal(run(&fsm, BGP_EVENT_MANUAL_STOP, &out), BGP_STATE_IDLE);
		CHECK(&out, X_NOTIFY(BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN), X_DOWN);
		assert_notified(&fsm, BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN);

		/* An error given with a plain ManualStop does not change the Cease. */
		struct bgp_error other;
		bgp_error_set(&other, BGP_ERR_CEASE, BGP_CEASE_OUT_OF_RESOURCES);
		fsm_in(&fsm, open_states[i]);
		assert_int_equal(run_error(&fsm, BGP_EVENT_MANUAL_STOP, &other, &out),
				 BGP_STATE_IDLE);
		CHECK(&out, X_NOTIFY(BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN), X_DOWN);
	}
}

/* An administrative stop sends the Cease it is given (RFC 4486 subcode, RFC 8203 text);
 * without one it is a plain Administrative Shutdown. */
static void test_admin_stop_when_open(void **state)
{
	(void)state;
	struct bgp_error reset;
	bgp_error_set(&reset, BGP_ERR_CEASE, BGP_CEASE_ADMIN_RESET);
	/* RFC 9003 shutdown communication: length octet, then UTF-8 */
	reset.data_len = 9;
	memcpy(reset.data, "\x08maintain", 9);
	struct bgp_error deconf;
	bgp_error_set(&deconf, BGP_ERR_CEASE, BGP_CEASE_PEER_DECONFIGURED);
	const struct bgp_error *given[] = { &reset, &deconf };
	for (size_t i = 0; i < N_OF(open_states); i++) {
		for (size_t j = 0; j < N_OF(given); j++) {
			struct bgp_fsm fsm;
			struct bgp_actions out;
			fsm_in(&fsm, open_states[i]);
			assert_int_equal(run_error(&fsm, BGP_EVENT_ADMIN_STOP, given[j], &out),
					 BGP_STATE_IDLE);
			CHECK(&out, X_NOTIFY(BGP_ERR_CEASE, given[j]->subcode), X_DOWN);
			assert_int_equal(out.list[0].error.data_len, given[j]->data_len);
			assert_memory_equal(out.list[0].error.data, given[j]->data,
					    given[j]->data_len);
			assert_notified(&fsm, BGP_ERR_CEASE, given[j]->subcode);
		}

		struct bgp_fsm fsm;
		struct bgp_actions out;
		fsm_in(&fsm, open_states[i]);
		assert_int_equal(run(&fsm, BGP_EVENT_ADMIN_STOP, &out), BGP_STATE_IDLE);
		CHECK(&out, X_NOTIFY(BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN), X_DOWN);
		assert_notified(&fsm, BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN);
	}
}

/* Event 8, AutomaticStop: maximum-prefix closes an Established session with Cease 6/1 and
 * the RFC 4486 §4 data, carried as given. */
static void test_automatic_stop_established(void **state)
{
	(void)state;
	struct bgp_error err;
	bgp_error_set(&err, BGP_ERR_CEASE, BGP_CEASE_MAX_PREFIXES);
	memcpy(err.data, "\x00\x01\x01\x00\x00\x03\xe8", 7); /* AFI 1, SAFI 1, 1000 */
	err.data_len = 7;
	struct bgp_fsm fsm;
	struct bgp_actions out;
	fsm_in(&fsm, BGP_STATE_ESTABLISHED);
	assert_int_equal(run_error(&fsm, BGP_EVENT_AUTOMATIC_STOP, &err, &out), BGP_STATE_IDLE);
	CHECK(&out, X_NOTIFY(BGP_ERR_CEASE, BGP_CEASE_MAX_PREFIXES), X_DOWN);
	assert_int_equal(out.list[0].error.data_len, 7);
	assert_memory_equal(out.list[0].error.data, "\x00\x01\x01\x00\x00\x03\xe8", 7);
	assert_notified(&fsm, BGP_ERR_CEASE, BGP_CEASE_MAX_PREFIXES);
}

/* ---- Idle -------------------------------------------------------------------------------- */

static const enum bgp_event all_events[] = {
	BGP_EVENT_MANUAL_STOP,         BGP_EVENT_HOLD_TIMER_EXPIRES,
	BGP_EVENT_KEEPALIVE_TIMER_EXPIRES, BGP_EVENT_TCP_CR_ACKED,
	BGP_EVENT_TCP_CONNECTION_CONFIRMED, BGP_EVENT_TCP_CONNECTION_FAILS,
	BGP_EVENT_BGP_OPEN,            BGP_EVENT_BGP_HEADER_ERR,
	BGP_EVENT_BGP_OPEN_MSG_ERR,    BGP_EVENT_OPEN_COLLISION_DUMP,
	BGP_EVENT_NOTIF_MSG_VER_ERR,   BGP_EVENT_NOTIF_MSG,
	BGP_EVENT_KEEPALIVE_MSG,       BGP_EVENT_UPDATE_MSG,
	BGP_EVENT_UPDATE_MSG_ERR,      BGP_EVENT_ROUTE_REFRESH_MSG,
	BGP_EVENT_ADMIN_STOP,          BGP_EVENT_AUTOMATIC_STOP,
};

/* A dead connection: every event is ignored, nothing changes, whatever the way down. */
static void test_idle_ignores_everything(void **state)
{
	(void)state;
	struct bgp_error err;
	bgp_error_set(&err, BGP_ERR_UPDATE, BGP_ERR_UPDATE_MALFORMED_AS_PATH);
	struct bgp_open open = make_open(PEER_HOLD);
	struct bgp_fsm_input in = { .open = &open, .error = &err };
	const enum bgp_event downs[] = { BGP_EVENT_TCP_CONNECTION_FAILS,
					 BGP_EVENT_HOLD_TIMER_EXPIRES, BGP_EVENT_NOTIF_MSG };
	for (size_t d = 0; d < N_OF(downs); d++) {
		struct bgp_fsm fsm;
		struct bgp_actions out;
		fsm_in(&fsm, BGP_STATE_ESTABLISHED);
		assert_int_equal(run(&fsm, downs[d], &out), BGP_STATE_IDLE);
		struct bgp_fsm before = fsm;
		for (size_t i = 0; i < N_OF(all_events); i++) {
			out.count = 99;
			assert_int_equal(bgp_fsm_event(&fsm, all_events[i], &in, &out),
					 BGP_STATE_IDLE);
			check_no_actions(&out);
			assert_int_equal(fsm.state, BGP_STATE_IDLE);
			assert_ptr_equal(fsm.reason, before.reason);
			assert_int_equal(fsm.notification_sent, before.notification_sent);
			assert_int_equal(fsm.notification_received, before.notification_received);
			assert_int_equal(fsm.last_notification.code, before.last_notification.code);
			assert_int_equal(fsm.last_notification.subcode,
					 before.last_notification.subcode);
			assert_int_equal(fsm.have_peer_open, before.have_peer_open);
		}
	}
}

/* ---- a whole session ---------------------------------------------------------------------- */

static void test_full_session(void **state)
{
	(void)state;
	struct bgp_fsm fsm;
	struct bgp_actions out;
	struct bgp_fsm_config c = make_config(OUR_HOLD, 0);
	bgp_fsm_init(&fsm, &c, false);
	assert_int_equal(run(&fsm, BGP_EVENT_TCP_CONNECTION_CONFIRMED, &out), BGP_STATE_OPENSENT);
	CHECK(&out, X_SEND_OPEN, X_START(BGP_TIMER_HOLD, 240));
	struct bgp_open open = make_open(PEER_HOLD);
	assert_int_equal(run_open(&fsm, &open, &out), BGP_STATE_OPENCONFIRM);
	CHECK(&out, X_SEND_KEEPALIVE, X_START(BGP_TIMER_KEEPALIVE, 30),
	      X_START(BGP_TIMER_HOLD, 90));
	assert_int_equal(run(&fsm, BGP_EVENT_KEEPALIVE_MSG, &out), BGP_STATE_ESTABLISHED);
	CHECK(&out, X_START(BGP_TIMER_HOLD, 90), X_ESTABLISHED);
	assert_int_equal(run(&fsm, BGP_EVENT_UPDATE_MSG, &out), BGP_STATE_ESTABLISHED);
	CHECK(&out, X_START(BGP_TIMER_HOLD, 90));
	assert_int_equal(run(&fsm, BGP_EVENT_KEEPALIVE_TIMER_EXPIRES, &out),
			 BGP_STATE_ESTABLISHED);
	CHECK(&out, X_SEND_KEEPALIVE, X_START(BGP_TIMER_KEEPALIVE, 30));
	assert_int_equal(run(&fsm, BGP_EVENT_MANUAL_STOP, &out), BGP_STATE_IDLE);
	CHECK(&out, X_NOTIFY(BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN), X_DOWN);
	assert_int_equal(run(&fsm, BGP_EVENT_TCP_CONNECTION_FAILS, &out), BGP_STATE_IDLE);
	check_no_actions(&out);
}

/* ---- names -------------------------------------------------------------------------------- */

static void test_state_names(void **state)
{
	(void)state;
	assert_string_equal(bgp_state_name(BGP_STATE_IDLE), "Idle");
	assert_string_equal(bgp_state_name(BGP_STATE_CONNECT), "Connect");
	assert_string_equal(bgp_state_name(BGP_STATE_ACTIVE), "Active");
	assert_string_equal(bgp_state_name(BGP_STATE_OPENSENT), "OpenSent");
	assert_string_equal(bgp_state_name(BGP_STATE_OPENCONFIRM), "OpenConfirm");
	assert_string_equal(bgp_state_name(BGP_STATE_ESTABLISHED), "Established");
	assert_string_equal(bgp_state_name((enum bgp_state)6), "Unknown");
	assert_string_equal(bgp_state_name((enum bgp_state)-1), "Unknown");
}

static void test_event_names(void **state)
{
	(void)state;
	const struct {
		enum bgp_event event;
		const char *name;
	} names[] = {
		{ BGP_EVENT_MANUAL_STOP, "ManualStop" },
		{ BGP_EVENT_HOLD_TIMER_EXPIRES, "HoldTimer_Expires" },
		{ BGP_EVENT_KEEPALIVE_TIMER_EXPIRES, "KeepaliveTimer_Expires" },
		{ BGP_EVENT_TCP_CR_ACKED, "Tcp_CR_Acked" },
		{ BGP_EVENT_TCP_CONNECTION_CONFIRMED, "TcpConnectionConfirmed" },
		{ BGP_EVENT_TCP_CONNECTION_FAILS, "TcpConnectionFails" },
		{ BGP_EVENT_BGP_OPEN, "BGPOpen" },
		{ BGP_EVENT_BGP_HEADER_ERR, "BGPHeaderErr" },
		{ BGP_EVENT_BGP_OPEN_MSG_ERR, "BGPOpenMsgErr" },
		{ BGP_EVENT_OPEN_COLLISION_DUMP, "OpenCollisionDump" },
		{ BGP_EVENT_NOTIF_MSG_VER_ERR, "NotifMsgVerErr" },
		{ BGP_EVENT_NOTIF_MSG, "NotifMsg" },
		{ BGP_EVENT_KEEPALIVE_MSG, "KeepAliveMsg" },
		{ BGP_EVENT_UPDATE_MSG, "UpdateMsg" },
		{ BGP_EVENT_UPDATE_MSG_ERR, "UpdateMsgErr" },
		{ BGP_EVENT_ROUTE_REFRESH_MSG, "RouteRefreshMsg" },
		{ BGP_EVENT_ADMIN_STOP, "AdminStop" },
		{ BGP_EVENT_AUTOMATIC_STOP, "AutomaticStop" },
	};
	assert_int_equal(N_OF(names), N_OF(all_events));
	for (size_t i = 0; i < N_OF(names); i++)
		assert_string_equal(bgp_event_name(names[i].event), names[i].name);
	assert_string_equal(bgp_event_name((enum bgp_event)(BGP_EVENT_AUTOMATIC_STOP + 1)),
			    "Unknown");
	assert_string_equal(bgp_event_name((enum bgp_event)-1), "Unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_connect_tcp_cr_acked),
		cmocka_unit_test(test_active_tcp_connection_confirmed),
		cmocka_unit_test(test_pre_states_accept_either_connection_event),
		cmocka_unit_test(test_pre_states_tcp_fails),
		cmocka_unit_test(test_pre_states_stop_is_silent),
		cmocka_unit_test(test_pre_states_ignore_stale_timers),
		cmocka_unit_test(test_pre_states_messages_drop_silently),
		cmocka_unit_test(test_opensent_open_negotiates_smaller_hold),
		cmocka_unit_test(test_opensent_open_configured_keepalive),
		cmocka_unit_test(test_opensent_open_hold_zero),
		cmocka_unit_test(test_opensent_unexpected_messages),
		cmocka_unit_test(test_opensent_update_msg_err_is_fsm_error),
		cmocka_unit_test(test_opensent_ignores_keepalive_timer),
		cmocka_unit_test(test_openconfirm_keepalive_establishes),
		cmocka_unit_test(test_openconfirm_keepalive_establishes_hold_zero),
		cmocka_unit_test(test_keepalive_timer_sends_and_rearms),
		cmocka_unit_test(test_keepalive_timer_uses_configured_value),
		cmocka_unit_test(test_hold_zero_no_timers),
		cmocka_unit_test(test_openconfirm_unexpected_messages),
		cmocka_unit_test(test_openconfirm_update_msg_err_is_fsm_error),
		cmocka_unit_test(test_established_traffic_restarts_hold),
		cmocka_unit_test(test_established_open_is_fsm_error),
		cmocka_unit_test(test_established_open_msg_err_is_fsm_error),
		cmocka_unit_test(test_hold_timer_expires),
		cmocka_unit_test(test_open_collision_dump),
		cmocka_unit_test(test_notification_received),
		cmocka_unit_test(test_tcp_fails_when_open),
		cmocka_unit_test(test_message_errors_send_given_notification),
		cmocka_unit_test(test_manual_stop_when_open),
		cmocka_unit_test(test_admin_stop_when_open),
		cmocka_unit_test(test_automatic_stop_established),
		cmocka_unit_test(test_idle_ignores_everything),
		cmocka_unit_test(test_full_session),
		cmocka_unit_test(test_state_names),
		cmocka_unit_test(test_event_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
