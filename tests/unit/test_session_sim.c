/*
 * Deterministic simulation of two speakers' session logic (session_sim.h): connection
 * collisions (RFC 4271 §6.8, RFC 6286 §2.3) in every interleaving of the two-connection case
 * and in thousands of seeded random schedules, and the timers (hold, ConnectRetry with its
 * backoff, IdleHoldTime) in virtual time. Nothing sleeps; every run is reproducible from its
 * seed, and a failure prints the event trace that led to it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "session_sim.h"
#include "wire/bgp.h"

static struct sim *sim_alloc(void)
{
	struct sim *sim = calloc(1, sizeof(*sim));
	assert_non_null(sim);
	return sim;
}

static void fail_with_trace(const struct sim *sim, const char *what, const char *why)
{
	fprintf(stderr, "%s: %s\ntrace:\n%s\n", what, why, sim->trace);
	fail();
}

/* One session at both ends; where both sides sent their OPEN on the connection the collision
 * rule names, it is that one. */
static bool check_outcome(const struct sim *sim, char *why, size_t size)
{
	if (!sim_one_session(sim, why, size))
		return false;
	int winner_initiator = sim_winner_initiator(sim);
	int kept = sim_established_conn(sim, 0);
	for (unsigned i = 0; i < sim->conn_count; i++) {
		const struct sim_conn *c = &sim->conns[i];
		if (!c->used || c->initiator != winner_initiator || !c->open_sent[0] || !c->open_sent[1])
			continue;
		if ((int)i != kept) {
			snprintf(why, size, "the connection initiated by S%d (the higher identifier) exchanged OPENs "
				 "but conn %d survived", winner_initiator, kept);
			return false;
		}
	}
	return true;
}

/* The same, except that which connection is kept is the peer's choice. */
static bool check_one_session(const struct sim *sim, char *why, size_t size)
{
	return sim_one_session(sim, why, size);
}

struct identities {
	uint32_t id0, as0, id1, as1;
	const char *name;
};

static const struct identities identity_cases[] = {
	{ 0x02020202, 100, 0x01010101, 100, "IBGP, S0 higher" },
	{ 0x01010101, 100, 0x02020202, 100, "IBGP, S1 higher" },
	{ 0x0a000001, 65001, 0x0a000001, 65002, "equal identifiers, S1's AS higher (RFC 6286)" },
	{ 0x0a000001, 65002, 0x0a000001, 65001, "equal identifiers, S0's AS higher (RFC 6286)" },
};

static void explore_case(const struct identities *ids, bool both_connect_first, enum sim_rule rule1,
			 sim_check_fn check)
{
	struct sim *sim = sim_alloc(), *failed = sim_alloc();
	sim_init(sim, ids->id0, ids->as0, ids->id1, ids->as1);
	sim->sp[1].rule = rule1;
	if (both_connect_first) {
		sim_connect_now(sim, 0);
		sim_connect_now(sim, 1);
	}
	char why[256] = "";
	size_t terminals = 0;
	size_t states = sim_explore(sim, check, failed, why, sizeof(why), &terminals);
	if (!states)
		fail_with_trace(failed, ids->name, why);
	print_message("%s%s: %zu states, %zu outcomes, all one session\n", ids->name,
		      both_connect_first ? "" : ", free start order", states, terminals);
	assert_true(terminals > 0);
	free(sim);
	free(failed);
}

/* Both speakers connect at the same instant: every order of the two connections' accepts,
 * connects, OPENs, KEEPALIVEs, NOTIFICATIONs and closes. */
static void test_exhaustive_simultaneous_connects(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(identity_cases) / sizeof(identity_cases[0]); i++)
		explore_case(&identity_cases[i], true, SIM_RULE_TERN, check_outcome);
}

/* The starts are events too: one side may start when the other's session is half up. */
static void test_exhaustive_any_start_order(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(identity_cases) / sizeof(identity_cases[0]); i++)
		explore_case(&identity_cases[i], false, SIM_RULE_TERN, check_outcome);
}

/* Against a peer that follows RFC 4271 §6.8 literally (OpenConfirm only, the Established
 * connection always kept): still exactly one session, never both closed. */
static void test_exhaustive_against_rfc_peer(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(identity_cases) / sizeof(identity_cases[0]); i++) {
		explore_case(&identity_cases[i], true, SIM_RULE_RFC4271, check_one_session);
		explore_case(&identity_cases[i], false, SIM_RULE_RFC4271, check_one_session);
	}
}

/* The search has teeth: two speakers that both follow RFC 4271 §6.8 to the letter (only
 * OpenConfirm examined, an Established connection always kept) lose both connections in some
 * interleaving, which is why Tern's rule (collision.h) differs. */
static void test_exhaustive_finds_the_rfc_race(void **state)
{
	(void)state;
	struct sim *sim = sim_alloc(), *failed = sim_alloc();
	sim_init(sim, 0x02020202, 100, 0x01010101, 100);
	sim->sp[0].rule = SIM_RULE_RFC4271;
	sim->sp[1].rule = SIM_RULE_RFC4271;
	sim_connect_now(sim, 0);
	sim_connect_now(sim, 1);
	char why[256] = "";
	assert_int_equal(sim_explore(sim, check_one_session, failed, why, sizeof(why), NULL), 0);
	assert_int_equal(sim_established_conn(failed, 0), -1);
	assert_int_equal(sim_established_conn(failed, 1), -1);
	print_message("two literal RFC 4271 speakers: %s\n", why);
	free(sim);
	free(failed);
}

/* Thousands of seeded schedules with real timers: random delays per message (FIFO within a
 * connection), random start offsets, sometimes a peer that is not listening yet. Exactly one
 * session within bounded time, and it stays up. */
static void test_random_schedules(void **state)
{
	(void)state;
	struct sim *sim = sim_alloc();
	unsigned collisions = 0, flaps = 0;
	const unsigned runs = 4000;
	for (unsigned seed = 1; seed <= runs; seed++) {
		const struct identities *ids = &identity_cases[seed % 4];
		sim_init(sim, ids->id0, ids->as0, ids->id1, ids->as1);
		static const uint32_t spreads[][2] = { { 0, 2 }, { 1, 20 }, { 5, 200 }, { 50, 1500 } };
		const uint32_t *spread = spreads[(seed / 4) % 4];
		sim_seed(sim, seed * 0x9e3779b97f4a7c15ull, spread[0], spread[1]);
		uint64_t start1 = sim_random(sim, 4) == 0 ? sim_random(sim, 3000) : sim_random(sim, 3);
		bool late_listener = sim_random(sim, 5) == 0;
		sim_start(sim, 0);
		if (late_listener)
			sim->sp[1].listening = false;
		assert_true(sim_run_until(sim, start1));
		sim->sp[1].listening = true;
		sim_start(sim, 1);
		/* Bounded: with starts within 3 s and delays under 1.5 s, 15 s is plenty (the
		 * backoff after a refused connect is 1, 2, 4 s...). */
		assert_true(sim_run_until(sim, 15000));
		char why[256] = "";
		if (!check_outcome(sim, why, sizeof(why))) {
			char what[64];
			snprintf(what, sizeof(what), "seed %u", seed);
			fail_with_trace(sim, what, why);
		}
		int conn = sim_established_conn(sim, 0);
		unsigned before = sim->sp[0].established_count + sim->sp[1].established_count;
		/* and it stays: keepalives flow, no hold timer expires, no new connection */
		assert_true(sim_run_until(sim, 15000 + 300000));
		if (!check_outcome(sim, why, sizeof(why)) || sim_established_conn(sim, 0) != conn ||
		    sim->sp[0].established_count + sim->sp[1].established_count != before) {
			char what[64];
			snprintf(what, sizeof(what), "seed %u, after 5 minutes", seed);
			fail_with_trace(sim, what, why[0] ? why : "the session changed");
		}
		if (sim->sp[0].notifications_sent[BGP_ERR_CEASE][BGP_CEASE_CONNECTION_COLLISION] +
		    sim->sp[1].notifications_sent[BGP_ERR_CEASE][BGP_CEASE_CONNECTION_COLLISION])
			collisions++;
		if (sim->sp[0].dropped_count + sim->sp[1].dropped_count)
			flaps++;
	}
	print_message("%u random schedules: %u resolved a collision with Cease 6/7, %u had a session "
		      "replaced by the winning connection, all ended with one session\n", runs, collisions, flaps);
	assert_true(collisions > runs / 10); /* the schedules do exercise collisions */
	free(sim);
}

/* RFC 4271 §4.4 and §6.5: a peer that goes silent gets Hold Timer Expired (4/0) exactly one
 * hold time after its last message. */
static void test_hold_timer_expires(void **state)
{
	(void)state;
	struct sim *sim = sim_alloc();
	sim_init(sim, 0x02020202, 100, 0x01010101, 100);
	sim_seed(sim, 42, 1, 5);
	sim_start(sim, 0);
	sim_start(sim, 1);
	assert_true(sim_run_until(sim, 2000));
	char why[256];
	if (!sim_one_session(sim, why, sizeof(why)))
		fail_with_trace(sim, "hold", why);
	sim->sp[1].frozen = true;
	uint64_t frozen_at = sim->now;
	assert_true(sim_run_until(sim, frozen_at + 200000));
	assert_int_equal(sim->sp[0].notifications_sent[BGP_ERR_HOLD_TIMER][0], 1);
	/* the last KEEPALIVE from S1 came at most one keepalive interval (30 s) before the freeze */
	uint64_t at = sim->sp[0].last_notification_at;
	assert_true(at >= frozen_at + 90000 - 30000 && at <= frozen_at + 90000);
	assert_int_equal(sim->sp[0].dropped_count, 1);
	free(sim);
}

/* A refused connect is retried after 1 s, then 2, 4, 8... up to ConnectRetryTime. */
static void test_connect_retry_backoff(void **state)
{
	(void)state;
	struct sim *sim = sim_alloc();
	sim_init(sim, 0x02020202, 100, 0x01010101, 100);
	sim_seed(sim, 7, 0, 0);
	sim->sp[1].listening = false;
	sim_start(sim, 0);
	assert_true(sim_run_until(sim, 400000));
	static const uint64_t want[] = { 0, 1000, 3000, 7000, 15000, 31000, 63000, 127000, 247000, 367000 };
	assert_true(sim->sp[0].connects >= 10);
	for (size_t i = 0; i < 10; i++)
		assert_int_equal(sim->sp[0].connect_times[i], want[i]);

	/* `timers connect 10`: the waits stop growing at 10 s */
	sim_init(sim, 0x02020202, 100, 0x01010101, 100);
	sim_seed(sim, 7, 0, 0);
	bgp_connect_policy_init(&sim->sp[0].policy, 10);
	sim->sp[1].listening = false;
	sim_start(sim, 0);
	assert_true(sim_run_until(sim, 60000));
	static const uint64_t want10[] = { 0, 1000, 3000, 7000, 15000, 25000, 35000, 45000, 55000 };
	for (size_t i = 0; i < 9; i++)
		assert_int_equal(sim->sp[0].connect_times[i], want10[i]);

	/* once the peer listens, the next try succeeds */
	sim->sp[1].listening = true;
	sim_start(sim, 1);
	assert_true(sim_run_until(sim, 70000));
	char why[256];
	if (!sim_one_session(sim, why, sizeof(why)))
		fail_with_trace(sim, "after backoff", why);
	free(sim);
}

/* An unanswered SYN times out after 5 s and counts as a failure. */
static void test_connect_timeout(void **state)
{
	(void)state;
	struct sim *sim = sim_alloc();
	sim_init(sim, 0x02020202, 100, 0x01010101, 100);
	sim_seed(sim, 9, 0, 0);
	sim->syn_lost = true;
	sim->sp[1].passive = true;
	sim_start(sim, 0);
	sim_start(sim, 1);
	assert_true(sim_run_until(sim, 30000));
	/* 0: try, 5 s timeout, wait 1 s; 6 s: try, timeout at 11 s, wait 2 s; 13 s ... */
	static const uint64_t want[] = { 0, 6000, 13000, 22000 };
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(sim->sp[0].connect_times[i], want[i]);
	free(sim);
}

/* After a failure, a change of the route to the peer brings the next try forward. */
static void test_route_change_retries_at_once(void **state)
{
	(void)state;
	struct sim *sim = sim_alloc();
	sim_init(sim, 0x02020202, 100, 0x01010101, 100);
	sim_seed(sim, 11, 0, 0);
	sim->sp[1].listening = false;
	sim_start(sim, 0);
	assert_true(sim_run_until(sim, 2000)); /* tries at 0 and 1 s; the next is due at 3 s */
	assert_int_equal(sim->sp[0].connects, 2);
	sim->sp[1].listening = true;
	sim_start(sim, 1);
	sim->sp[1].passive = true;
	sim_route_changed(sim, 0);
	assert_true(sim_run_until(sim, 2001));
	assert_int_equal(sim->sp[0].connects, 3);
	assert_int_equal(sim->sp[0].connect_times[2], 2000);
	assert_true(sim_run_until(sim, 2500));
	char why[256];
	if (!sim_one_session(sim, why, sizeof(why)))
		fail_with_trace(sim, "route change", why);
	/* a route change while the session is up tries nothing */
	sim_route_changed(sim, 0);
	assert_true(sim_run_until(sim, 5000));
	assert_int_equal(sim->sp[0].connects, 3);
	free(sim);
}

/* RFC 4271 §8.1.1 DampPeerOscillations: a session that drops soon after coming up holds the
 * next try back for IdleHoldTime (2, 4, 8 s...), refusing the peer meanwhile; a session that
 * stayed up a minute is tried again at once. */
static void test_idle_hold_damps_flaps(void **state)
{
	(void)state;
	struct sim *sim = sim_alloc();
	sim_init(sim, 0x02020202, 100, 0x01010101, 100);
	sim_seed(sim, 13, 0, 0);
	sim_start(sim, 0);
	sim_start(sim, 1);
	assert_true(sim_run_until(sim, 100));
	char why[256];
	uint64_t expect_hold = 2000;
	for (int flap = 0; flap < 3; flap++) {
		if (!sim_one_session(sim, why, sizeof(why)))
			fail_with_trace(sim, "flap", why);
		uint64_t drop_at = sim->now + 500;
		assert_true(sim_run_until(sim, drop_at));
		/* S1 resets the session (for S0 it went down after 0.5 s) and connects again */
		sim_clear(sim, 1, 100);
		/* S0 refuses S1 and waits out its IdleHoldTime */
		assert_true(sim_run_until(sim, drop_at + expect_hold - 1));
		assert_int_equal(sim_established_conn(sim, 0), -1);
		assert_true(sim_run_until(sim, drop_at + expect_hold + 100));
		if (!sim_one_session(sim, why, sizeof(why)))
			fail_with_trace(sim, "after IdleHoldTime", why);
		assert_true(sim->sp[0].established_at >= drop_at + expect_hold);
		expect_hold *= 2;
	}
	/* stable for a minute: forgiven, back at once */
	uint64_t drop_at = sim->now + BGP_SESSION_STABLE_MS;
	assert_true(sim_run_until(sim, drop_at));
	sim_clear(sim, 1, 0);
	assert_true(sim_run_until(sim, drop_at + 100));
	if (!sim_one_session(sim, why, sizeof(why)))
		fail_with_trace(sim, "stable session reset", why);
	free(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exhaustive_simultaneous_connects),
		cmocka_unit_test(test_exhaustive_any_start_order),
		cmocka_unit_test(test_exhaustive_against_rfc_peer),
		cmocka_unit_test(test_exhaustive_finds_the_rfc_race),
		cmocka_unit_test(test_random_schedules),
		cmocka_unit_test(test_hold_timer_expires),
		cmocka_unit_test(test_connect_retry_backoff),
		cmocka_unit_test(test_connect_timeout),
		cmocka_unit_test(test_route_change_retries_at_once),
		cmocka_unit_test(test_idle_hold_damps_flaps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
