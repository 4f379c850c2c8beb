/*
 * DOC: a deterministic simulation of two BGP speakers and the network between them.
 *
 * Each speaker runs Tern's sans-I/O session logic: the per-connection FSM (bgp/fsm.h), the
 * collision rule (bgp/collision.h) and the connect policy (bgp/connect_policy.h), joined the
 * way src/bgp/peer.c joins them (one outgoing and one incoming connection, the collision
 * verdicts carried out, a connect only while no connection is under way). A speaker can also
 * follow RFC 4271 §6.8 to the letter instead (SIM_RULE_RFC4271), to show that Tern agrees
 * with such a peer.
 *
 * The network is a set of TCP connections: the initiator's connect completes and the
 * acceptor's accept happens independently, each direction delivers its messages in order,
 * and a close reaches the other side after the messages sent before it. Nothing else is
 * ordered: the scheduler picks the next event among all enabled ones, either by a seeded
 * random clock (sim_run_random) or by trying every choice (sim_explore). Time is virtual
 * milliseconds; nothing sleeps.
 */
#ifndef TERN_TEST_SESSION_SIM_H
#define TERN_TEST_SESSION_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bgp/connect_policy.h"
#include "bgp/fsm.h"

#define SIM_MAX_CONNS 24
#define SIM_QUEUE_MAX 12

enum sim_rule { SIM_RULE_TERN, SIM_RULE_RFC4271 };

enum sim_msg_type { SIM_MSG_OPEN, SIM_MSG_KEEPALIVE, SIM_MSG_UPDATE, SIM_MSG_NOTIFICATION, SIM_MSG_FIN };

struct sim_msg {
	uint8_t type;                /* enum sim_msg_type */
	uint8_t code, subcode;       /* NOTIFICATION */
	uint64_t at;                 /* random mode: when it arrives */
};

struct sim_queue {
	struct sim_msg msgs[SIM_QUEUE_MAX];
	unsigned head, count;
};

struct sim_conn {
	bool used;
	int initiator;               /* speaker index */
	bool syn_lost;               /* the network drops it: the connect times out */
	bool refused;                /* the acceptor is not listening: RST */
	bool accepted, connected;    /* the acceptor's accept(), the initiator's connect done */
	bool accept_pending, connect_pending;
	uint64_t accept_at, connect_at;
	int slot[2];                 /* per speaker: 0 = outgoing, 1 = incoming, -1 = none */
	bool closed[2];              /* the speaker closed its end */
	bool open_sent[2];           /* the speaker sent an OPEN on it */
	bool ever_established[2];
	struct sim_queue toward[2];  /* messages in flight toward speaker k */
};

struct sim_slot {
	bool used;
	int conn;
	bool outgoing;
	struct bgp_fsm fsm;
	uint64_t hold_due, keepalive_due; /* 0 = not armed */
};

struct sim_speaker {
	uint32_t id, as;
	enum sim_rule rule;
	uint16_t hold_time;
	bool passive;
	bool started;
	bool listening;              /* accepts connections */
	bool frozen;                 /* processes nothing (a hung peer) */
	struct sim_slot slots[2];    /* [0] outgoing, [1] incoming */
	int established;             /* slot index, or -1 */
	struct bgp_connect_policy policy;
	uint64_t connect_due;        /* mirrors the policy, or the connect timeout */
	/* What a test checks. */
	unsigned connects;           /* tries started */
	uint64_t connect_times[64];
	unsigned established_count, dropped_count;
	uint64_t established_at;     /* the last time a session came up */
	uint64_t last_notification_at;
	unsigned notifications_sent[7][12];
	bool fsm_error;              /* a NOTIFICATION other than Cease 6/7 or hold expiry was sent */
};

struct sim_random {
	uint64_t state;
	/* Delays in ms, drawn uniformly from [min, max]. */
	uint32_t delay_min, delay_max;
};

struct sim {
	struct sim_speaker sp[2];
	struct sim_conn conns[SIM_MAX_CONNS];
	unsigned conn_count;
	uint64_t now;
	bool timers;                 /* hold, keepalive and connect timers fire (random mode) */
	struct sim_random rng;
	bool syn_lost;               /* SYNs get no answer (the peer's route back is missing) */
	char trace[4096];            /* the last events, for a failing test's message */
	size_t trace_len;
};

void sim_init(struct sim *sim, uint32_t id0, uint32_t as0, uint32_t id1, uint32_t as1);
/* Speaker k starts: its policy schedules a connect at once (unless passive). */
void sim_start(struct sim *sim, int k);
/* Speaker k tries to connect now, whatever its schedule (the exhaustive mode's start). */
void sim_connect_now(struct sim *sim, int k);

/* One enabled event. */
struct sim_event {
	uint8_t kind;                /* enum in session_sim.c */
	int8_t speaker;
	int16_t conn;                /* or slot for timers */
	uint64_t at;
};
#define SIM_EVENTS_MAX (SIM_MAX_CONNS * 4 + 16)
unsigned sim_enabled(const struct sim *sim, struct sim_event *out, unsigned max);
void sim_fire(struct sim *sim, const struct sim_event *ev);

/* Random mode: runs until `until` (virtual ms); returns false if the event budget ran out. */
void sim_seed(struct sim *sim, uint64_t seed, uint32_t delay_min, uint32_t delay_max);
bool sim_run_until(struct sim *sim, uint64_t until);
uint64_t sim_random(struct sim *sim, uint64_t bound);

/* The route to the peer changed at speaker k (next-hop tracking). */
void sim_route_changed(struct sim *sim, int k);
/* `clear ip bgp` at speaker k: Cease 6/4 on its connections, then it starts again after
 * restart_after_ms (0: at once, as ternd does). */
void sim_clear(struct sim *sim, int k, uint64_t restart_after_ms);

/* The outcome. */
int sim_established_conn(const struct sim *sim, int k);   /* conn index or -1 */
unsigned sim_open_slots(const struct sim *sim, int k);
/* Exactly one session, Established at both ends on the same connection, nothing else open. */
bool sim_one_session(const struct sim *sim, char *why, size_t size);
/* The connection the collision rule says survives among those both sides sent OPENs on. */
int sim_winner_initiator(const struct sim *sim);

/* Exhaustive search from the current state: every order of the enabled events (timers off).
 * check() is called on every terminal state; returns the number of distinct states seen, or
 * 0 when check failed (the failing trace is in sim->trace of *failed). */
typedef bool (*sim_check_fn)(const struct sim *sim, char *why, size_t size);
size_t sim_explore(const struct sim *start, sim_check_fn check, struct sim *failed, char *why, size_t size,
		   size_t *terminals);

#endif
