/*
 * DOC: the simulation of session_sim.h. The speaker half (sp_*) follows src/bgp/peer.c
 * step by step: where peer.c carries out a collision verdict or a connect policy decision,
 * the same function is called here with the same inputs; only sockets and timers are
 * simulated.
 */
#include "session_sim.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp/collision.h"

enum sim_event_kind {
	EV_START,         /* speaker: starts, connects at once (exhaustive mode) */
	EV_ACCEPT,        /* conn: the acceptor's accept() */
	EV_CONNECTED,     /* conn: the initiator's connect completes */
	EV_REFUSED,       /* conn: the initiator's connect fails (RST) */
	EV_DELIVER,       /* conn, speaker: the next message toward the speaker */
	EV_HOLD,          /* speaker, slot */
	EV_KEEPALIVE,     /* speaker, slot */
	EV_CONNECT_TIMER, /* speaker */
};

static const char *const msg_names[] = { "OPEN", "KEEPALIVE", "UPDATE", "NOTIFICATION", "FIN" };

static void trace(struct sim *sim, const char *fmt, ...)
{
	if (sim->trace_len + 200 >= sizeof(sim->trace)) {
		/* keep the newest half */
		size_t half = sizeof(sim->trace) / 2;
		memmove(sim->trace, sim->trace + sim->trace_len - half, half);
		sim->trace_len = half;
	}
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(sim->trace + sim->trace_len, sizeof(sim->trace) - sim->trace_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		sim->trace_len += (size_t)n;
	sim->trace[sim->trace_len] = '\0';
}

uint64_t sim_random(struct sim *sim, uint64_t bound)
{
	/* splitmix64: small, seeded, the same on every machine */
	uint64_t z = (sim->rng.state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	return bound ? z % bound : z;
}

static uint64_t delay(struct sim *sim)
{
	uint32_t lo = sim->rng.delay_min, hi = sim->rng.delay_max;
	return lo + sim_random(sim, (uint64_t)(hi - lo) + 1);
}

void sim_seed(struct sim *sim, uint64_t seed, uint32_t delay_min, uint32_t delay_max)
{
	sim->rng.state = seed;
	sim->rng.delay_min = delay_min;
	sim->rng.delay_max = delay_max;
	sim->timers = true;
}

void sim_init(struct sim *sim, uint32_t id0, uint32_t as0, uint32_t id1, uint32_t as1)
{
	memset(sim, 0, sizeof(*sim));
	uint32_t ids[2] = { id0, id1 }, ases[2] = { as0, as1 };
	for (int k = 0; k < 2; k++) {
		struct sim_speaker *sp = &sim->sp[k];
		sp->id = ids[k];
		sp->as = ases[k];
		sp->hold_time = 90;
		sp->listening = true;
		sp->established = -1;
		bgp_connect_policy_init(&sp->policy, 0);
		sp->connect_due = BGP_CONNECT_NEVER;
	}
}

/* ---- the network ---- */

static void enqueue(struct sim *sim, int conn, int toward, uint8_t type, uint8_t code, uint8_t subcode)
{
	struct sim_conn *c = &sim->conns[conn];
	if (c->closed[toward])
		return; /* that end is gone: the bytes are dropped */
	struct sim_queue *q = &c->toward[toward];
	if (q->count == SIM_QUEUE_MAX)
		return; /* a frozen reader: the sender's buffer is full */
	uint64_t at = sim->now + (sim->timers ? delay(sim) : 0);
	if (q->count) {
		/* TCP keeps the order of one direction */
		uint64_t last = q->msgs[(q->head + q->count - 1) % SIM_QUEUE_MAX].at;
		if (at < last)
			at = last;
	}
	q->msgs[(q->head + q->count) % SIM_QUEUE_MAX] = (struct sim_msg){ .type = type, .code = code,
									  .subcode = subcode, .at = at };
	q->count++;
}

static int conn_new(struct sim *sim, int initiator)
{
	for (int i = 0; i < SIM_MAX_CONNS; i++) {
		struct sim_conn *c = &sim->conns[i];
		if (c->used)
			continue;
		memset(c, 0, sizeof(*c));
		c->used = true;
		c->initiator = initiator;
		c->slot[0] = c->slot[1] = -1;
		if ((unsigned)i >= sim->conn_count)
			sim->conn_count = (unsigned)i + 1;
		return i;
	}
	return -1;
}

/* A connection both of whose ends are closed and drained is free again (random mode). */
static void conn_reap(struct sim *sim, int i)
{
	struct sim_conn *c = &sim->conns[i];
	if (!sim->timers || !c->closed[0] || !c->closed[1] || c->accept_pending || c->connect_pending)
		return;
	if (c->toward[0].count || c->toward[1].count)
		return;
	c->used = false;
}

/* ---- one speaker: what src/bgp/peer.c does ---- */

static void sp_schedule(struct sim *sim, int k)
{
	sim->sp[k].connect_due = bgp_connect_policy_due(&sim->sp[k].policy);
}

static void sp_state_changed(struct sim *sim, int k, int s);
static void sp_slot_gone(struct sim *sim, int k, int s, bool was_established, const char *why);

static void sp_close(struct sim *sim, int k, int s, const char *why)
{
	struct sim_speaker *sp = &sim->sp[k];
	struct sim_slot *slot = &sp->slots[s];
	if (!slot->used)
		return;
	struct sim_conn *c = &sim->conns[slot->conn];
	int other = 1 - k;
	trace(sim, "%6llu  S%d closes conn %d (%s)\n", (unsigned long long)sim->now, k, slot->conn, why);
	enqueue(sim, slot->conn, other, SIM_MSG_FIN, 0, 0);
	c->closed[k] = true;
	c->slot[k] = -1;
	c->toward[k].count = 0;
	if (c->initiator == k)
		c->connect_pending = false;
	bool was_established = sp->established == s;
	slot->used = false;
	if (was_established)
		sp->established = -1;
	int conn = slot->conn;
	sp_slot_gone(sim, k, s, was_established, why);
	conn_reap(sim, conn);
}

/* Carries out the FSM's actions, as session.c's bgp_connection_event does. */
static void sp_fsm(struct sim *sim, int k, int s, enum bgp_event event, const struct bgp_fsm_input *input)
{
	struct sim_speaker *sp = &sim->sp[k];
	struct sim_slot *slot = &sp->slots[s];
	if (!slot->used)
		return;
	struct bgp_actions actions;
	enum bgp_state old = slot->fsm.state;
	bgp_fsm_event(&slot->fsm, event, input, &actions);
	bool close_it = false;
	int other = 1 - k;
	for (unsigned i = 0; i < actions.count; i++) {
		const struct bgp_action *a = &actions.list[i];
		switch (a->kind) {
		case BGP_ACTION_SEND_OPEN:
			sim->conns[slot->conn].open_sent[k] = true;
			enqueue(sim, slot->conn, other, SIM_MSG_OPEN, 0, 0);
			break;
		case BGP_ACTION_SEND_KEEPALIVE:
			enqueue(sim, slot->conn, other, SIM_MSG_KEEPALIVE, 0, 0);
			break;
		case BGP_ACTION_SEND_NOTIFICATION: {
			uint8_t code = a->error.code, subcode = a->error.subcode;
			enqueue(sim, slot->conn, other, SIM_MSG_NOTIFICATION, code, subcode);
			if (code < 7 && subcode < 12)
				sp->notifications_sent[code][subcode]++;
			sp->last_notification_at = sim->now;
			bool collision = code == BGP_ERR_CEASE && subcode == BGP_CEASE_CONNECTION_COLLISION;
			bool expected = collision || code == BGP_ERR_HOLD_TIMER ||
					(code == BGP_ERR_CEASE && subcode == BGP_CEASE_ADMIN_RESET);
			if (!expected)
				sp->fsm_error = true;
			trace(sim, "%6llu  S%d sends NOTIFICATION %u/%u on conn %d\n", (unsigned long long)sim->now, k,
			      code, subcode, slot->conn);
			break;
		}
		case BGP_ACTION_TIMER_START: {
			uint64_t ms = (uint64_t)a->seconds * 1000;
			if (a->timer == BGP_TIMER_HOLD)
				slot->hold_due = sim->now + ms;
			else /* RFC 4271 §10 jitter, as session.c */
				slot->keepalive_due = sim->now + ms - (sim->timers ? ms * sim_random(sim, 251) / 1000 : 0);
			break;
		}
		case BGP_ACTION_TIMER_STOP:
			if (a->timer == BGP_TIMER_HOLD)
				slot->hold_due = 0;
			else
				slot->keepalive_due = 0;
			break;
		case BGP_ACTION_CLOSE:
			close_it = true;
			break;
		case BGP_ACTION_ESTABLISHED:
			break;
		}
	}
	if (slot->fsm.state != old) {
		trace(sim, "%6llu  S%d conn %d %s -> %s (%s)\n", (unsigned long long)sim->now, k, slot->conn,
		      bgp_state_name(old), bgp_state_name(slot->fsm.state), slot->fsm.reason);
		sp_state_changed(sim, k, s);
	}
	if (close_it && slot->used)
		sp_close(sim, k, s, slot->fsm.reason);
}

static struct bgp_collision_ids sp_ids(const struct sim *sim, int k)
{
	return (struct bgp_collision_ids){ .local_id = sim->sp[k].id, .local_as = sim->sp[k].as,
					   .remote_id = sim->sp[1 - k].id, .remote_as = sim->sp[1 - k].as };
}

/* RFC 4271 §6.8 read literally: only OpenConfirm connections are examined, and a collision
 * with an Established connection closes the new one. */
static enum bgp_collision_verdict rfc_on_open(const struct bgp_collision_ids *ids, bool this_outgoing,
					      enum bgp_state other)
{
	if (other == BGP_STATE_ESTABLISHED)
		return BGP_COLLISION_CLOSE_THIS;
	if (other != BGP_STATE_OPENCONFIRM)
		return BGP_COLLISION_NONE;
	bool this_wins = bgp_collision_local_wins(ids) == this_outgoing;
	return this_wins ? BGP_COLLISION_CLOSE_OTHER : BGP_COLLISION_CLOSE_THIS;
}

static void sp_state_changed(struct sim *sim, int k, int s)
{
	struct sim_speaker *sp = &sim->sp[k];
	struct sim_slot *slot = &sp->slots[s];
	if (slot->fsm.state != BGP_STATE_ESTABLISHED)
		return;
	/* peer.c connection_state_changed (the session owner, internal.h) */
	int o = 1 - s;
	struct sim_slot *other = &sp->slots[o];
	if (other->used && sp->rule == SIM_RULE_TERN) {
		struct bgp_collision_ids ids = sp_ids(sim, k);
		enum bgp_collision_verdict v = bgp_collision_on_established(&ids, slot->outgoing, other->fsm.state);
		if (v == BGP_COLLISION_ABORT_OTHER)
			sp_close(sim, k, o, "a session is Established on the other connection");
		else if (v == BGP_COLLISION_CLOSE_OTHER)
			sp_fsm(sim, k, o, BGP_EVENT_OPEN_COLLISION_DUMP, NULL);
	}
	if (sp->established >= 0 && sp->established != s) {
		/* Two Established connections: an RFC speaker keeps the first. */
		sp_fsm(sim, k, s, BGP_EVENT_OPEN_COLLISION_DUMP, NULL);
		return;
	}
	sp->established = s;
	sp->established_count++;
	sp->established_at = sim->now;
	sim->conns[slot->conn].ever_established[k] = true;
	bgp_connect_policy_established(&sp->policy, sim->now);
	sp_schedule(sim, k);
}


static void sp_try_connect(struct sim *sim, int k)
{
	/* peer.c peer_try_connect */
	struct sim_speaker *sp = &sim->sp[k];
	if (sp->established >= 0) {
		bgp_connect_policy_stop(&sp->policy);
		sp_schedule(sim, k);
		return;
	}
	if (sp->passive || sp->slots[0].used || sp->slots[1].used)
		return;
	int conn = conn_new(sim, k);
	if (conn < 0)
		return;
	bgp_connect_policy_attempt(&sp->policy, sim->now);
	sp_schedule(sim, k);
	if (sp->connects < 64)
		sp->connect_times[sp->connects] = sim->now;
	sp->connects++;
	struct sim_slot *slot = &sp->slots[0];
	memset(slot, 0, sizeof(*slot));
	slot->used = true;
	slot->conn = conn;
	slot->outgoing = true;
	struct bgp_fsm_config cfg = { .local_as = sp->as, .remote_as = sim->sp[1 - k].as, .local_id = sp->id,
				      .hold_time = sp->hold_time };
	bgp_fsm_init(&slot->fsm, &cfg, true);
	struct sim_conn *c = &sim->conns[conn];
	c->slot[k] = 0;
	if (!sim->sp[1 - k].listening) {
		c->refused = true;
		c->connect_pending = true;
		c->connect_at = sim->now + (sim->timers ? delay(sim) : 0);
	} else if (sim->syn_lost) {
		/* nothing arrives */
	} else {
		c->connect_pending = true;
		c->accept_pending = true;
		uint64_t syn = sim->timers ? delay(sim) : 0;
		c->connect_at = sim->now + syn + (sim->timers ? delay(sim) : 0);
		c->accept_at = sim->now + syn + (sim->timers ? sim_random(sim, 3) : 0);
	}
	trace(sim, "%6llu  S%d connects: conn %d\n", (unsigned long long)sim->now, k, conn);
}

static void sp_slot_gone(struct sim *sim, int k, int s, bool was_established, const char *why)
{
	/* peer.c connection_gone (the session owner, internal.h) */
	(void)s;
	struct sim_speaker *sp = &sim->sp[k];
	if (was_established) {
		sp->dropped_count++;
		bgp_connect_policy_session_down(&sp->policy, sim->now);
	}
	if (sp->established >= 0 || sp->slots[0].used || sp->slots[1].used)
		return;
	if (!was_established)
		bgp_connect_policy_failed(&sp->policy, sim->now, why);
	sp_schedule(sim, k);
}

static void sp_accept(struct sim *sim, int k, int conn)
{
	/* peer.c accept_one */
	struct sim_speaker *sp = &sim->sp[k];
	struct sim_conn *c = &sim->conns[conn];
	c->accept_pending = false;
	c->accepted = true;
	if (bgp_connect_policy_refuses(&sp->policy, sim->now)) {
		/* IdleHoldTime after a flap (RFC 4271 §8.1.1; Idle refuses connections) */
		trace(sim, "%6llu  S%d refuses conn %d: IdleHoldTime\n", (unsigned long long)sim->now, k, conn);
		enqueue(sim, conn, 1 - k, SIM_MSG_FIN, 0, 0);
		c->closed[k] = true;
		return;
	}
	if (sp->slots[1].used) /* the peer started over: its old attempt is dead */
		sp_close(sim, k, 1, "the peer opened a new connection");
	struct sim_slot *slot = &sp->slots[1];
	memset(slot, 0, sizeof(*slot));
	slot->used = true;
	slot->conn = conn;
	slot->outgoing = false;
	struct bgp_fsm_config cfg = { .local_as = sp->as, .remote_as = sim->sp[1 - k].as, .local_id = sp->id,
				      .hold_time = sp->hold_time };
	bgp_fsm_init(&slot->fsm, &cfg, false);
	c->slot[k] = 1;
	trace(sim, "%6llu  S%d accepts conn %d\n", (unsigned long long)sim->now, k, conn);
	sp_fsm(sim, k, 1, BGP_EVENT_TCP_CONNECTION_CONFIRMED, NULL);
}

static void sp_open(struct sim *sim, int k, int s)
{
	/* session.c handle_open, then peer.c resolve_collision (the session owner) */
	struct sim_speaker *sp = &sim->sp[k];
	struct sim_slot *slot = &sp->slots[s];
	const struct sim_speaker *peer = &sim->sp[1 - k];
	struct bgp_open open = { .version = 4, .my_as = (uint16_t)peer->as, .hold_time = peer->hold_time,
				 .bgp_id = peer->id };
	struct bgp_fsm_input input = { .open = &open };
	if (slot->fsm.state != BGP_STATE_OPENSENT) {
		sp_fsm(sim, k, s, BGP_EVENT_BGP_OPEN, &input);
		return;
	}
	struct sim_slot *other = &sp->slots[1 - s];
	if (other->used) {
		struct bgp_collision_ids ids = sp_ids(sim, k);
		enum bgp_collision_verdict v = sp->rule == SIM_RULE_TERN
			? bgp_collision_on_open(&ids, slot->outgoing, other->fsm.state)
			: rfc_on_open(&ids, slot->outgoing, other->fsm.state);
		if (v == BGP_COLLISION_CLOSE_THIS) {
			sp_fsm(sim, k, s, BGP_EVENT_OPEN_COLLISION_DUMP, NULL);
			return;
		}
		if (v == BGP_COLLISION_CLOSE_OTHER)
			sp_fsm(sim, k, 1 - s, BGP_EVENT_OPEN_COLLISION_DUMP, NULL);
	}
	sp_fsm(sim, k, s, BGP_EVENT_BGP_OPEN, &input);
}

static void sp_receive(struct sim *sim, int k, int s, const struct sim_msg *m)
{
	struct bgp_error error;
	switch (m->type) {
	case SIM_MSG_OPEN:
		sp_open(sim, k, s);
		break;
	case SIM_MSG_KEEPALIVE:
		sp_fsm(sim, k, s, BGP_EVENT_KEEPALIVE_MSG, NULL);
		break;
	case SIM_MSG_UPDATE:
		sp_fsm(sim, k, s, BGP_EVENT_UPDATE_MSG, NULL);
		break;
	case SIM_MSG_NOTIFICATION:
		bgp_error_set(&error, m->code, m->subcode);
		sp_fsm(sim, k, s, BGP_EVENT_NOTIF_MSG, &(struct bgp_fsm_input){ .error = &error });
		break;
	case SIM_MSG_FIN:
		sp_fsm(sim, k, s, BGP_EVENT_TCP_CONNECTION_FAILS, NULL);
		break;
	}
}

void sim_start(struct sim *sim, int k)
{
	struct sim_speaker *sp = &sim->sp[k];
	sp->started = true;
	bgp_connect_policy_start(&sp->policy, sim->now);
	sp_schedule(sim, k);
	trace(sim, "%6llu  S%d starts\n", (unsigned long long)sim->now, k);
}

void sim_connect_now(struct sim *sim, int k)
{
	sim->sp[k].started = true;
	sp_try_connect(sim, k);
}

void sim_clear(struct sim *sim, int k, uint64_t restart_after_ms)
{
	/* peer.c bgp_peer_reset: peer_stop with Cease 6/4, then peer_start */
	struct bgp_error error;
	bgp_error_set(&error, BGP_ERR_CEASE, BGP_CEASE_ADMIN_RESET);
	for (int s = 0; s < 2; s++)
		sp_fsm(sim, k, s, BGP_EVENT_ADMIN_STOP, &(struct bgp_fsm_input){ .error = &error });
	bgp_connect_policy_stop(&sim->sp[k].policy);
	bgp_connect_policy_start(&sim->sp[k].policy, sim->now + restart_after_ms);
	sp_schedule(sim, k);
}

void sim_route_changed(struct sim *sim, int k)
{
	struct sim_speaker *sp = &sim->sp[k];
	if (bgp_connect_policy_route_changed(&sp->policy, sim->now))
		sp_schedule(sim, k);
}

/* ---- the scheduler ---- */

static bool end_open(const struct sim *sim, const struct sim_conn *c, int k)
{
	if (c->slot[k] < 0)
		return false;
	return c->initiator == k ? c->connected : c->accepted;
}

unsigned sim_enabled(const struct sim *sim, struct sim_event *out, unsigned max)
{
	unsigned n = 0;
#define ADD(kind_, sp_, conn_, at_)                                                                  \
	do {                                                                                         \
		if (n < max)                                                                         \
			out[n++] = (struct sim_event){ .kind = (kind_), .speaker = (int8_t)(sp_),    \
						       .conn = (int16_t)(conn_), .at = (at_) };      \
	} while (0)
	for (int k = 0; k < 2; k++) {
		const struct sim_speaker *sp = &sim->sp[k];
		if (!sp->started && !sim->timers)
			ADD(EV_START, k, -1, sim->now);
		if (sp->frozen || !sim->timers)
			continue;
		if (sp->connect_due != BGP_CONNECT_NEVER && sp->started)
			ADD(EV_CONNECT_TIMER, k, -1, sp->connect_due);
		for (int s = 0; s < 2; s++) {
			const struct sim_slot *slot = &sp->slots[s];
			if (!slot->used)
				continue;
			if (slot->hold_due)
				ADD(EV_HOLD, k, s, slot->hold_due);
			if (slot->keepalive_due)
				ADD(EV_KEEPALIVE, k, s, slot->keepalive_due);
		}
	}
	for (unsigned i = 0; i < sim->conn_count; i++) {
		const struct sim_conn *c = &sim->conns[i];
		if (!c->used)
			continue;
		int acceptor = 1 - c->initiator;
		if (c->accept_pending && !sim->sp[acceptor].frozen)
			ADD(EV_ACCEPT, acceptor, i, c->accept_at);
		if (c->connect_pending && !sim->sp[c->initiator].frozen)
			ADD(c->refused ? EV_REFUSED : EV_CONNECTED, c->initiator, i, c->connect_at);
		for (int k = 0; k < 2; k++)
			if (c->toward[k].count && end_open(sim, c, k) && !sim->sp[k].frozen)
				ADD(EV_DELIVER, k, i, c->toward[k].msgs[c->toward[k].head].at);
	}
#undef ADD
	return n;
}

void sim_fire(struct sim *sim, const struct sim_event *ev)
{
	int k = ev->speaker;
	struct sim_speaker *sp = &sim->sp[k];
	if (ev->at > sim->now)
		sim->now = ev->at;
	switch ((enum sim_event_kind)ev->kind) {
	case EV_START:
		sim_connect_now(sim, k);
		break;
	case EV_ACCEPT:
		sp_accept(sim, k, ev->conn);
		break;
	case EV_CONNECTED: {
		struct sim_conn *c = &sim->conns[ev->conn];
		c->connect_pending = false;
		c->connected = true;
		trace(sim, "%6llu  S%d connect done: conn %d\n", (unsigned long long)sim->now, k, ev->conn);
		if (c->slot[k] >= 0)
			sp_fsm(sim, k, c->slot[k], BGP_EVENT_TCP_CR_ACKED, NULL);
		break;
	}
	case EV_REFUSED: {
		struct sim_conn *c = &sim->conns[ev->conn];
		c->connect_pending = false;
		trace(sim, "%6llu  S%d connect refused: conn %d\n", (unsigned long long)sim->now, k, ev->conn);
		c->closed[1 - k] = true;
		if (c->slot[k] >= 0)
			sp_fsm(sim, k, c->slot[k], BGP_EVENT_TCP_CONNECTION_FAILS, NULL);
		conn_reap(sim, ev->conn);
		break;
	}
	case EV_DELIVER: {
		struct sim_conn *c = &sim->conns[ev->conn];
		struct sim_queue *q = &c->toward[k];
		struct sim_msg m = q->msgs[q->head];
		q->head = (q->head + 1) % SIM_QUEUE_MAX;
		q->count--;
		trace(sim, "%6llu  S%d receives %s on conn %d\n", (unsigned long long)sim->now, k, msg_names[m.type],
		      ev->conn);
		if (c->slot[k] >= 0)
			sp_receive(sim, k, c->slot[k], &m);
		conn_reap(sim, ev->conn);
		break;
	}
	case EV_HOLD:
		sp->slots[ev->conn].hold_due = 0;
		sp_fsm(sim, k, ev->conn, BGP_EVENT_HOLD_TIMER_EXPIRES, NULL);
		break;
	case EV_KEEPALIVE:
		sp->slots[ev->conn].keepalive_due = 0;
		sp_fsm(sim, k, ev->conn, BGP_EVENT_KEEPALIVE_TIMER_EXPIRES, NULL);
		break;
	case EV_CONNECT_TIMER:
		/* peer.c connect_timer_cb */
		sp->connect_due = BGP_CONNECT_NEVER;
		if (sp->slots[0].used && sp->slots[0].fsm.state == BGP_STATE_CONNECT) {
			trace(sim, "%6llu  S%d connect timed out\n", (unsigned long long)sim->now, k);
			sp_close(sim, k, 0, "connect timed out");
			break;
		}
		sp_try_connect(sim, k);
		break;
	}
}

bool sim_run_until(struct sim *sim, uint64_t until)
{
	struct sim_event evs[SIM_EVENTS_MAX];
	for (unsigned budget = 0; budget < 200000; budget++) {
		unsigned n = sim_enabled(sim, evs, SIM_EVENTS_MAX);
		unsigned best = n;
		for (unsigned i = 0; i < n; i++)
			if (best == n || evs[i].at < evs[best].at)
				best = i;
		if (best == n || evs[best].at > until) {
			sim->now = until;
			return true;
		}
		sim_fire(sim, &evs[best]);
	}
	return false;
}

/* ---- the outcome ---- */

int sim_established_conn(const struct sim *sim, int k)
{
	const struct sim_speaker *sp = &sim->sp[k];
	return sp->established < 0 ? -1 : sp->slots[sp->established].conn;
}

unsigned sim_open_slots(const struct sim *sim, int k)
{
	return (unsigned)sim->sp[k].slots[0].used + (unsigned)sim->sp[k].slots[1].used;
}

bool sim_one_session(const struct sim *sim, char *why, size_t size)
{
	int c0 = sim_established_conn(sim, 0), c1 = sim_established_conn(sim, 1);
	if (c0 < 0 || c1 < 0) {
		snprintf(why, size, "no session: S0 established on %d, S1 on %d (S0 %u, S1 %u connections open)", c0,
			 c1, sim_open_slots(sim, 0), sim_open_slots(sim, 1));
		return false;
	}
	if (c0 != c1) {
		snprintf(why, size, "the two sides are Established on different connections (%d, %d)", c0, c1);
		return false;
	}
	if (sim_open_slots(sim, 0) != 1 || sim_open_slots(sim, 1) != 1) {
		snprintf(why, size, "connections besides the session stay open (S0 %u, S1 %u)", sim_open_slots(sim, 0),
			 sim_open_slots(sim, 1));
		return false;
	}
	for (int k = 0; k < 2; k++)
		if (sim->sp[k].fsm_error) {
			snprintf(why, size, "S%d sent an unexpected NOTIFICATION", k);
			return false;
		}
	return true;
}

int sim_winner_initiator(const struct sim *sim)
{
	struct bgp_collision_ids ids = sp_ids(sim, 0);
	return bgp_collision_local_wins(&ids) ? 0 : 1;
}

/* ---- exhaustive search ---- */

/* The state without the clock and the trace: equal keys, equal futures. */
static uint64_t state_key(const struct sim *sim)
{
	uint64_t h = 1469598103934665603ull;
#define MIX(v)                                                                                       \
	do {                                                                                         \
		h ^= (uint64_t)(v);                                                                  \
		h *= 1099511628211ull;                                                               \
	} while (0)
	for (int k = 0; k < 2; k++) {
		const struct sim_speaker *sp = &sim->sp[k];
		MIX(sp->started);
		MIX(sp->established + 1);
		for (int s = 0; s < 2; s++) {
			const struct sim_slot *slot = &sp->slots[s];
			MIX(slot->used);
			if (!slot->used)
				continue;
			MIX(slot->conn);
			MIX(slot->fsm.state);
		}
	}
	for (unsigned i = 0; i < sim->conn_count; i++) {
		const struct sim_conn *c = &sim->conns[i];
		MIX(c->used * 1 + c->accepted * 2 + c->connected * 4 + c->accept_pending * 8 +
		    c->connect_pending * 16 + c->closed[0] * 32 + c->closed[1] * 64 + c->open_sent[0] * 128 +
		    c->open_sent[1] * 256 + c->ever_established[0] * 512 + c->ever_established[1] * 1024);
		for (int k = 0; k < 2; k++) {
			const struct sim_queue *q = &c->toward[k];
			MIX(q->count);
			for (unsigned j = 0; j < q->count; j++) {
				const struct sim_msg *m = &q->msgs[(q->head + j) % SIM_QUEUE_MAX];
				MIX(m->type | m->code << 8 | m->subcode << 16);
			}
		}
	}
#undef MIX
	return h;
}

struct seen_set {
	uint64_t *slots;
	size_t size, used;
};

static bool seen_insert(struct seen_set *set, uint64_t key)
{
	if (key == 0)
		key = 1;
	if ((set->used + 1) * 2 > set->size) {
		size_t size = set->size ? set->size * 2 : 4096;
		uint64_t *slots = calloc(size, sizeof(*slots));
		if (!slots)
			abort();
		for (size_t i = 0; i < set->size; i++) {
			uint64_t v = set->slots[i];
			if (!v)
				continue;
			size_t j = v & (size - 1);
			while (slots[j])
				j = (j + 1) & (size - 1);
			slots[j] = v;
		}
		free(set->slots);
		set->slots = slots;
		set->size = size;
	}
	size_t j = key & (set->size - 1);
	while (set->slots[j]) {
		if (set->slots[j] == key)
			return false;
		j = (j + 1) & (set->size - 1);
	}
	set->slots[j] = key;
	set->used++;
	return true;
}

struct explore {
	struct seen_set seen;
	sim_check_fn check;
	struct sim *failed;
	char *why;
	size_t why_size;
	size_t terminals;
	bool failed_once;
};

static void explore_from(struct explore *x, const struct sim *state, unsigned depth)
{
	if (x->failed_once)
		return;
	if (!seen_insert(&x->seen, state_key(state)))
		return;
	struct sim_event evs[SIM_EVENTS_MAX];
	unsigned n = sim_enabled(state, evs, SIM_EVENTS_MAX);
	if (n == 0 || depth > 200) {
		x->terminals++;
		if (!x->check(state, x->why, x->why_size)) {
			*x->failed = *state;
			x->failed_once = true;
		}
		return;
	}
	struct sim *next = malloc(sizeof(*next));
	if (!next)
		abort();
	for (unsigned i = 0; i < n && !x->failed_once; i++) {
		*next = *state;
		sim_fire(next, &evs[i]);
		explore_from(x, next, depth + 1);
	}
	free(next);
}

size_t sim_explore(const struct sim *start, sim_check_fn check, struct sim *failed, char *why, size_t size,
		   size_t *terminals)
{
	struct explore x = { .check = check, .failed = failed, .why = why, .why_size = size };
	explore_from(&x, start, 0);
	free(x.seen.slots);
	if (terminals)
		*terminals = x.terminals;
	return x.failed_once ? 0 : x.seen.used;
}
