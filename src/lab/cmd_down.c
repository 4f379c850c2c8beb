/*
 * DOC: `tern-lab down NAME`: every process, namespace and record of a lab goes.
 *
 * Works from the records alone (the node list is written before anything is created), so a
 * lab whose `up` crashed half-way, or whose routers died, comes down the same way. Processes
 * are found by the namespace they live in, not only by pid file, so a stray shell started
 * with `ip netns exec` goes too; a ternd whose namespace was deleted behind tern-lab's back
 * is found by its pid file, trusted only if that process's command line still names the
 * lab's control socket (pids are reused).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lab/lab.h"
#include "lab/netns.h"

static void send_term(pid_t pid, void *arg)
{
	(void)arg;
	kill(pid, SIGTERM);
}

static void send_kill(pid_t pid, void *arg)
{
	(void)arg;
	kill(pid, SIGKILL);
}

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* Stops every process of the namespace: SIGTERM (ternd says goodbye to its peers), then
 * SIGKILL after 3 s. */
static void stop_processes(const char *netns)
{
	netns_foreach_pid(netns, send_term, NULL);
	for (int i = 0; i < 60 && netns_foreach_pid(netns, NULL, NULL) > 0; i++)
		pause_ms(50);
	if (netns_foreach_pid(netns, send_kill, NULL) > 0)
		for (int i = 0; i < 40 && netns_foreach_pid(netns, NULL, NULL) > 0; i++)
			pause_ms(50);
}

/* The router's ternd by its pid file, if that pid is still that ternd. */
static pid_t recorded_ternd(const char *lab, const char *node)
{
	pid_t pid = state_read_pid(lab, node);
	if (pid <= 0)
		return 0;
	char path[64], cmdline[4096], sock[512], file[64];
	snprintf(path, sizeof(path), "/proc/%ld/cmdline", (long)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t len = fread(cmdline, 1, sizeof(cmdline) - 1, f);
	fclose(f);
	snprintf(file, sizeof(file), "%.31s.sock", node);
	state_path(lab, file, sock, sizeof(sock));
	for (size_t i = 0; i < len; i += strlen(cmdline + i) + 1) {
		cmdline[len] = '\0';
		if (!strcmp(cmdline + i, sock))
			return pid;
	}
	return 0;
}

bool lab_teardown(const char *lab, bool verbose)
{
	struct state_node nodes[TOPO_MAX_NODES];
	size_t n = state_read_nodes(lab, nodes, TOPO_MAX_NODES);
	int procs = 0, spaces = 0;
	bool ok = true;
	/* first every process of every node, so no ternd sees its neighbours vanish first */
	for (size_t i = 0; i < n; i++)
		procs += netns_foreach_pid(nodes[i].netns, send_term, NULL);
	for (size_t i = 0; i < n; i++)
		stop_processes(nodes[i].netns);
	for (size_t i = 0; i < n; i++) {
		pid_t pid = nodes[i].router ? recorded_ternd(lab, nodes[i].name) : 0;
		if (pid > 0) {
			kill(pid, SIGKILL);
			procs++;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (!netns_exists(nodes[i].netns))
			continue;
		if (netns_delete(nodes[i].netns)) {
			spaces++;
		} else {
			lab_error("cannot remove namespace %s: %s", nodes[i].netns, strerror(errno));
			ok = false;
		}
	}
	if (ok && !state_remove(lab)) {
		lab_error("cannot remove %s/%s: %s", STATE_DIR, lab, strerror(errno));
		ok = false;
	}
	if (verbose)
		printf("lab %s down: %d namespaces and %d processes removed\n", lab, spaces, procs);
	return ok;
}

int cmd_down(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: tern-lab down NAME\n");
		return 2;
	}
	const char *lab = argv[1];
	if (!topo_valid_name(lab) && strchr(lab, '/')) {
		lab_error("'%s' is not a lab name", lab);
		return 2;
	}
	if (!state_exists(lab)) {
		lab_error("no lab %s (tern-lab list shows the running ones)", lab);
		return 1;
	}
	return lab_teardown(lab, true) ? 0 : 1;
}
