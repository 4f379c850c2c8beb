/*
 * DOC: sim_trace, the session simulation's event traces for the differential check.
 *
 *   sim_trace FIRST LAST
 *
 * Runs the seeded random schedules of test_session_sim's test_random_schedules for seeds
 * FIRST..LAST (the same identities, delay spreads, start offsets and late listeners) and
 * prints every event of each run with its virtual time, then the outcome (the Established
 * connection of each speaker, sessions up and dropped, NOTIFICATIONs sent). The schedule
 * depends only on the seed, so two builds of the session logic (bgp/fsm, bgp/collision,
 * bgp/connect_policy) that behave alike print the same lines.
 *
 * The simulation keeps only the last few kilobytes of its trace, so the run advances in
 * steps of virtual time and the trace is printed and emptied after each step.
 */
#include <stdio.h>
#include <stdlib.h>

#include "session_sim.h"

static const struct {
	uint32_t id0, as0, id1, as1;
} identities[] = {
	{ 0x02020202, 100, 0x01010101, 100 },
	{ 0x01010101, 100, 0x02020202, 100 },
	{ 0x0a000001, 65001, 0x0a000001, 65002 },
	{ 0x0a000001, 65002, 0x0a000001, 65001 },
};

/* Steps short enough that one step's events fit the trace buffer (checked). */
#define STEP_MS 5

static int run_traced(struct sim *sim, uint64_t until)
{
	while (sim->now < until) {
		uint64_t next = sim->now + STEP_MS < until ? sim->now + STEP_MS : until;
		if (!sim_run_until(sim, next))
			return -1;
		if (sim->trace_len + 200 >= sizeof(sim->trace) / 2) {
			fprintf(stderr, "sim_trace: one step's events overflow the trace\n");
			return -1;
		}
		fputs(sim->trace, stdout);
		sim->trace_len = 0;
		sim->trace[0] = '\0';
		if (sim->now < next)
			sim->now = next;
	}
	return 0;
}

static void outcome(const struct sim *sim)
{
	for (int k = 0; k < 2; k++) {
		const struct sim_speaker *sp = &sim->sp[k];
		printf("  S%d: established conn %d, up %u, dropped %u, connects %u, fsm error %d, notifications", k,
		       sim_established_conn(sim, k), sp->established_count, sp->dropped_count, sp->connects, sp->fsm_error);
		for (int c = 0; c < 7; c++)
			for (int s = 0; s < 12; s++)
				if (sp->notifications_sent[c][s])
					printf(" %d/%d x%u", c, s, sp->notifications_sent[c][s]);
		printf("\n");
	}
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: sim_trace FIRST LAST\n");
		return 2;
	}
	unsigned first = (unsigned)strtoul(argv[1], NULL, 10), last = (unsigned)strtoul(argv[2], NULL, 10);
	struct sim *sim = calloc(1, sizeof(*sim));
	if (!sim)
		return 1;
	static const uint32_t spreads[][2] = { { 0, 2 }, { 1, 20 }, { 5, 200 }, { 50, 1500 } };
	for (unsigned seed = first; seed <= last; seed++) {
		unsigned i = seed % 4;
		sim_init(sim, identities[i].id0, identities[i].as0, identities[i].id1, identities[i].as1);
		const uint32_t *spread = spreads[(seed / 4) % 4];
		sim_seed(sim, seed * 0x9e3779b97f4a7c15ull, spread[0], spread[1]);
		uint64_t start1 = sim_random(sim, 4) == 0 ? sim_random(sim, 3000) : sim_random(sim, 3);
		bool late_listener = sim_random(sim, 5) == 0;
		printf("seed %u\n", seed);
		sim_start(sim, 0);
		if (late_listener)
			sim->sp[1].listening = false;
		if (run_traced(sim, start1) < 0)
			printf("  event budget ran out before S1 started\n");
		sim->sp[1].listening = true;
		sim_start(sim, 1);
		if (run_traced(sim, 15000) < 0)
			printf("  event budget ran out\n");
		outcome(sim);
		/* five quiet minutes: keepalives only, printed as the outcome, not event by event */
		sim->trace_len = 0;
		if (!sim_run_until(sim, 15000 + 300000))
			printf("  event budget ran out in the quiet minutes\n");
		outcome(sim);
	}
	free(sim);
	return 0;
}
