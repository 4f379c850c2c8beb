/*
 * DOC: `tern-lab collide A B`: restarts both ends of a BGP session so that both connect at
 * the same instant, and the connection collision of RFC 4271 §6.8 (the seed's tip: two TCP
 * connections, one kept, chosen by BGP Identifier) happens every time, not by chance.
 *
 * Both ternds are stopped, then started again with TERN_CONNECT_BARRIER naming one FIFO
 * (ternd/main.c): each opens its listeners and its control socket, says in its log that it
 * waits, and blocks opening the FIFO for reading before its event loop runs its first connect.
 * Once both wait, tern-lab opens the FIFO for writing, which releases both at once. Each then
 * connects while the other's SYN is already queued on its listener: two connections, two
 * OPENs each way, and each side closes the one the rule says (Cease 6/7, Connection Collision
 * Resolution). `tern-lab ladder A B` then shows it from A's log of the session.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lab/json.h"
#include "lab/lab.h"
#include "lab/router_ctl.h"
#include "lib/strbuf.h"

#define COLLIDE_WAIT_SECONDS 10.0

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void pause_briefly(void)
{
	nanosleep(&(struct timespec){ .tv_nsec = 20 * 1000 * 1000 }, NULL);
}

static bool process_gone(pid_t pid)
{
	return pid <= 0 || (kill(pid, 0) < 0 && errno == ESRCH);
}

/* Stops a ternd (SIGTERM, then SIGKILL after 3 s) and waits until it is gone. */
static void stop_ternd(const char *lab, const char *node)
{
	pid_t pid = state_read_pid(lab, node);
	if (process_gone(pid))
		return;
	kill(pid, SIGTERM);
	double deadline = now() + 3;
	while (!process_gone(pid) && now() < deadline)
		pause_briefly();
	if (!process_gone(pid))
		kill(pid, SIGKILL);
	while (!process_gone(pid))
		pause_briefly();
}

/* Does the router's log contain text? */
static bool log_says(const char *lab, const char *node, const char *text)
{
	char file[64], path[512], line[1024];
	snprintf(file, sizeof(file), "%.31s.log", node);
	state_path(lab, file, path, sizeof(path));
	FILE *f = fopen(path, "r");
	bool found = false;
	while (f && !found && fgets(line, sizeof(line), f))
		found = strstr(line, text) != NULL;
	if (f)
		fclose(f);
	return found;
}

static bool both_logs_say(const char *lab, const char *const node[2], const char *text)
{
	double deadline = now() + COLLIDE_WAIT_SECONDS;
	while (!(log_says(lab, node[0], text) && log_says(lab, node[1], text)))
		if (now() > deadline)
			return false;
		else
			pause_briefly();
	return true;
}

/* The state of node's session with address, from `show ip bgp neighbors A json`. */
static bool session_state(const char *lab, const char *node, const char *address, char *state, size_t size)
{
	char line[160], err[128];
	snprintf(line, sizeof(line), "show ip bgp neighbors %.64s json", address);
	struct strbuf out = STRBUF_INIT;
	int status = 1;
	bool ok = router_ctl_run(lab, node, line, &out, &status) && status == 0;
	struct json *j = ok ? json_parse(strbuf_str(&out), out.len, err, sizeof(err)) : NULL;
	snprintf(state, size, "%s", json_get_string(json_get(j, address), "state", "?"));
	json_free(j);
	strbuf_free(&out);
	return j != NULL;
}

/* The collision lines of node's log of the session (`show bgp neighbors A messages`). */
static size_t print_collisions(const char *lab, const char *node, const char *address)
{
	struct strbuf log = STRBUF_INIT;
	char err[128];
	size_t count = 0;
	struct json *j = lab_session_log(lab, node, address, &log) ? json_parse(strbuf_str(&log), log.len, err, sizeof(err))
								      : NULL;
	const struct json *messages = json_get(j, "messages");
	for (const struct json *m = messages ? messages->child : NULL; m; m = m->next) {
		const char *type = json_get_string(m, "type", "");
		if (!strcmp(type, "collision") ||
		    (!strcmp(type, "notification") && strstr(json_get_string(m, "text", ""), "6/7"))) {
			printf("  %s %s: %s\n", node, json_get_string(m, "direction", ""), json_get_string(m, "text", ""));
			count += !strcmp(type, "collision");
		}
	}
	json_free(j);
	strbuf_free(&log);
	return count;
}

int cmd_collide(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: tern-lab collide NODE PEER\n");
		return 2;
	}
	static struct topology topo;
	struct state_node a, b;
	char lab[TOPO_NAME_MAX], lab_b[TOPO_NAME_MAX], err[1024], spec[2 * TOPO_NAME_MAX + 2];
	if (!state_find_node(argv[1], lab, sizeof(lab), &a, err, sizeof(err))) {
		lab_error("%s", err);
		return 1;
	}
	snprintf(spec, sizeof(spec), "%s%s%s", strchr(argv[2], '/') ? "" : lab, strchr(argv[2], '/') ? "" : "/", argv[2]);
	if (!state_find_node(spec, lab_b, sizeof(lab_b), &b, err, sizeof(err)) || strcmp(lab, lab_b)) {
		lab_error("%s", strcmp(lab, lab_b) ? "both routers must be of one lab" : err);
		return 1;
	}
	char address[64], back[64], ternd[4096], fifo[512];
	if (!a.router || !b.router || !lab_load_saved(lab, &topo, err, sizeof(err)) ||
	    !lab_peer_address(lab, a.name, b.name, address, sizeof(address), err, sizeof(err)) ||
	    !lab_peer_address(lab, b.name, a.name, back, sizeof(back), err, sizeof(err))) {
		lab_error("%s", a.router && b.router ? err : "collide needs two routers");
		return 1;
	}
	if (!lab_find_program("ternd", ternd, sizeof(ternd))) {
		lab_error("cannot find ternd");
		return 1;
	}
	const char *const node[2] = { a.name, b.name };
	state_path(lab, "collide.fifo", fifo, sizeof(fifo));
	unlink(fifo);
	if (mkfifo(fifo, 0600) < 0) {
		lab_error("mkfifo %s: %s", fifo, strerror(errno));
		return 1;
	}
	int rc = 1;
	for (int k = 0; k < 2; k++) {
		stop_ternd(lab, node[k]);
		char file[64], sock[512];
		snprintf(file, sizeof(file), "%.31s.sock", node[k]);
		state_path(lab, file, sock, sizeof(sock));
		unlink(sock);
		/* the old log says "waiting at the connect barrier" too: gone before the new ternd
		 * starts, so that only its own line counts */
		snprintf(file, sizeof(file), "%.31s.log", node[k]);
		state_path(lab, file, sock, sizeof(sock));
		unlink(sock);
	}
	for (int k = 0; k < 2; k++) {
		int i = topo_find_node(&topo, node[k]);
		pid_t pid;
		if (i < 0 || !lab_spawn_ternd(&topo, &topo.nodes[i], ternd, fifo, &pid, err)) {
			lab_error("%s: %s", node[k], i < 0 ? "not in the topology" : err);
			goto done;
		}
	}
	if (!both_logs_say(lab, node, "waiting at the connect barrier")) {
		lab_error("the ternds did not reach the connect barrier in %.0f s (see their logs)", COLLIDE_WAIT_SECONDS);
		goto done;
	}
	/* Opening for writing returns once a reader has it open, and releases every reader
	 * blocked in open; held open until both have passed, so a late one passes at once. */
	int fd = open(fifo, O_WRONLY);
	if (fd < 0) {
		lab_error("open %s: %s", fifo, strerror(errno));
		goto done;
	}
	bool released = both_logs_say(lab, node, "connect barrier released");
	close(fd);
	if (!released) {
		lab_error("the ternds were not released in %.0f s", COLLIDE_WAIT_SECONDS);
		goto done;
	}
	printf("%s and %s released at once: both connect now\n", a.name, b.name);
	char state[2][32] = { "?", "?" };
	double deadline = now() + 30;
	while (now() < deadline) {
		session_state(lab, a.name, address, state[0], sizeof(state[0]));
		session_state(lab, b.name, back, state[1], sizeof(state[1]));
		if (!strcmp(state[0], "Established") && !strcmp(state[1], "Established"))
			break;
		pause_briefly();
	}
	size_t collisions = print_collisions(lab, a.name, address) + print_collisions(lab, b.name, back);
	printf("session %s (%s) - %s (%s): %s/%s; %s\n", a.name, back, b.name, address, state[0], state[1],
	       collisions ? "connection collision resolved (RFC 4271 6.8)" : "no collision this time");
	printf("the ladder: tern-lab ladder %s/%s %s\n", lab, a.name, b.name);
	rc = !strcmp(state[0], "Established") && !strcmp(state[1], "Established") ? 0 : 1;
done:
	unlink(fifo);
	return rc;
}
