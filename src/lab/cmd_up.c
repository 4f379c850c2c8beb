/*
 * DOC: `tern-lab up DIR|FILE [--force]`: a topology becomes namespaces, veths and ternds.
 *
 * Order: load and check the whole file (nothing exists yet if it is bad); refuse an existing
 * lab (unless --force: take it down first) or a namespace of that name that is not ours;
 * record the node list; then namespaces (lo up, forwarding on routers), veth pairs made
 * directly inside the two namespaces, PC addresses, and last a ternd per router, all started
 * in their namespaces at once and then waited for until their control sockets exist (so their
 * timers start together, as routers powered on together would): ternd puts the router's
 * interface addresses, admin states and static routes into the kernel from its own
 * configuration, so the links must exist before it starts. With `capture: all` each link's
 * capture starts once the links exist, before any ternd (capture.h). Any failure after the first
 * namespace takes the whole lab down again.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lab/capture.h"
#include "lab/lab.h"
#include "lab/netns.h"
#include "lab/nl.h"
#include "lab/vpcs.h"

#define ERR_MAX 1024

static bool make_node(const struct topology *t, const struct topo_node *n, char *err)
{
	char ns[2 * TOPO_NAME_MAX + 2];
	state_netns_name(t->name, n->name, ns, sizeof(ns));
	if (!netns_create(ns)) {
		snprintf(err, ERR_MAX, "cannot create namespace %s: %s", ns, strerror(errno));
		return false;
	}
	struct mnl_socket *nl = netns_nl_open(ns);
	bool ok = nl && nl_link_set_up(nl, "lo", true);
	nl_close(nl);
	if (ok && n->kind == NODE_ROUTER)
		ok = netns_sysctl(ns, "net/ipv4/ip_forward", "1") &&
		     netns_sysctl(ns, "net/ipv6/conf/all/forwarding", "1");
	if (!ok)
		snprintf(err, ERR_MAX, "cannot set up namespace %s: %s", ns, strerror(errno));
	return ok;
}

static bool make_link(const struct topology *t, const struct topo_link *l, char *err)
{
	char ns[2][2 * TOPO_NAME_MAX + 2];
	for (int e = 0; e < 2; e++)
		state_netns_name(t->name, t->nodes[l->end[e].node].name, ns[e], sizeof(ns[e]));
	const char *a = l->end[0].ifname.linux_name, *b = l->end[1].ifname.linux_name;
	struct mnl_socket *nla = netns_nl_open(ns[0]), *nlb = netns_nl_open(ns[1]);
	int fdb = netns_open(ns[1]);
	bool ok = nla && nlb && fdb >= 0 && nl_veth_create(nla, a, b, fdb) && nl_link_set_up(nla, a, true) &&
		  nl_link_set_up(nlb, b, true);
	if (!ok)
		snprintf(err, ERR_MAX, "line %d: cannot create the veth %s:%s -- %s:%s: %s", l->line, ns[0], a, ns[1], b,
			 strerror(errno));
	if (fdb >= 0)
		close(fdb);
	nl_close(nla);
	nl_close(nlb);
	return ok;
}

static bool configure_pc(const struct topology *t, size_t i, char *err)
{
	const struct topo_node *n = &t->nodes[i];
	if (!n->pc_ip.set)
		return true;
	const char *ifname = "eth0";
	for (size_t k = 0; k < t->link_count; k++)
		for (int e = 0; e < 2; e++)
			if (t->links[k].end[e].node == i)
				ifname = t->links[k].end[e].ifname.linux_name;
	char ns[2 * TOPO_NAME_MAX + 2];
	state_netns_name(t->name, n->name, ns, sizeof(ns));
	struct vpcs pc = { .name = n->name, .ifname = ifname, .nl = netns_nl_open(ns) };
	if (!pc.nl) {
		snprintf(err, ERR_MAX, "%s: cannot open netlink: %s", ns, strerror(errno));
		return false;
	}
	bool ok = vpcs_apply_ip(&pc, &n->pc_ip, err, ERR_MAX);
	nl_close(pc.nl);
	return ok;
}

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

bool lab_spawn_ternd(const struct topology *t, const struct topo_node *n, const char *ternd, const char *barrier,
		     pid_t *pid, char *err)
{
	char ns[2 * TOPO_NAME_MAX + 2], file[64], sock[512], log[512];
	state_netns_name(t->name, n->name, ns, sizeof(ns));
	snprintf(file, sizeof(file), "%.31s.sock", n->name);
	state_path(t->name, file, sock, sizeof(sock));
	snprintf(file, sizeof(file), "%.31s.log", n->name);
	state_path(t->name, file, log, sizeof(log));
	*pid = fork();
	if (*pid < 0) {
		snprintf(err, ERR_MAX, "fork: %s", strerror(errno));
		return false;
	}
	if (*pid == 0) {
		setsid();
		int null = open("/dev/null", O_RDONLY);
		int out = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
		if (null < 0 || out < 0 || !netns_enter(ns))
			_exit(126);
		dup2(null, 0);
		dup2(out, 1);
		dup2(out, 2);
		for (int fd = 3; fd < 1024; fd++)
			close(fd);
		signal(SIGPIPE, SIG_DFL);
		if (barrier)
			setenv("TERN_CONNECT_BARRIER", barrier, 1);
		execl(ternd, ternd, "-f", n->config, "-s", sock, (char *)NULL);
		_exit(127);
	}
	if (!state_write_pid(t->name, n->name, *pid)) {
		snprintf(err, ERR_MAX, "cannot record the pid of %s's ternd", n->name);
		return false;
	}
	return true;
}

/* Is the router's ternd up (its control socket exists)? false with err set once it exited. */
static bool ternd_ready(const struct topology *t, const struct topo_node *n, pid_t pid, bool *exited, char *err)
{
	char file[64], sock[512], log[512];
	snprintf(file, sizeof(file), "%.31s.sock", n->name);
	state_path(t->name, file, sock, sizeof(sock));
	snprintf(file, sizeof(file), "%.31s.log", n->name);
	state_path(t->name, file, log, sizeof(log));
	int status;
	if (waitpid(pid, &status, WNOHANG) == pid) {
		char line[512] = "";
		FILE *f = fopen(log, "r");
		size_t len = 0;
		while (f && len < sizeof(line) - 1 && fgets(line + len, (int)(sizeof(line) - len), f))
			len = strlen(line);
		if (f)
			fclose(f);
		while (len && line[len - 1] == '\n')
			line[--len] = '\0';
		snprintf(err, ERR_MAX, "%s's ternd exited (status %d):\n%s", n->name,
			 WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), line);
		*exited = true;
		return false;
	}
	return access(sock, F_OK) == 0;
}

/* Every router's ternd at once, then waits up to 5 s for all their control sockets: started
 * one after the other, each router's timers (OSPF's Wait timer above all) would start a
 * socket-wait later than the previous one's. */
static bool start_ternds(const struct topology *t, const char *ternd, char *err)
{
	pid_t pids[TOPO_MAX_NODES] = { 0 };
	for (size_t i = 0; i < t->node_count; i++)
		if (t->nodes[i].kind == NODE_ROUTER && !lab_spawn_ternd(t, &t->nodes[i], ternd, NULL, &pids[i], err))
			return false;
	for (int round = 0; round < 500; round++) {
		bool all = true;
		for (size_t i = 0; i < t->node_count; i++) {
			bool exited = false;
			if (t->nodes[i].kind != NODE_ROUTER || ternd_ready(t, &t->nodes[i], pids[i], &exited, err))
				continue;
			if (exited)
				return false;
			all = false;
		}
		if (all)
			return true;
		pause_ms(10);
	}
	for (size_t i = 0; i < t->node_count; i++) {
		bool exited = false;
		if (t->nodes[i].kind == NODE_ROUTER && !ternd_ready(t, &t->nodes[i], pids[i], &exited, err)) {
			if (!exited) {
				char file[64], log[512];
				snprintf(file, sizeof(file), "%.31s.log", t->nodes[i].name);
				state_path(t->name, file, log, sizeof(log));
				snprintf(err, ERR_MAX, "%s's ternd made no control socket in 5 s (see %s)",
					 t->nodes[i].name, log);
			}
			return false;
		}
	}
	return true;
}

static bool build(const struct topology *t, const char *ternd, char *err)
{
	for (size_t i = 0; i < t->node_count; i++)
		if (!make_node(t, &t->nodes[i], err))
			return false;
	for (size_t i = 0; i < t->link_count; i++)
		if (!make_link(t, &t->links[i], err))
			return false;
	/* before any router speaks, so the captures hold every session from its first SYN */
	if (t->capture_all && !capture_start_lab(t, err, ERR_MAX))
		return false;
	for (size_t i = 0; i < t->node_count; i++)
		if (t->nodes[i].kind == NODE_PC && !configure_pc(t, i, err))
			return false;
	return start_ternds(t, ternd, err);
}

static struct topology topo; /* large: not on the stack */

int cmd_up(int argc, char **argv)
{
	const char *source = NULL;
	bool force = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--force") || !strcmp(argv[i], "-f"))
			force = true;
		else if (!source)
			source = argv[i];
		else
			source = NULL, i = argc;
	}
	if (!source) {
		fprintf(stderr, "usage: tern-lab up DIR|FILE [--force]\n");
		return 2;
	}
	char err[ERR_MAX];
	if (!topo_load(source, &topo, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	char ternd[4096] = "";
	bool routers = false;
	for (size_t i = 0; i < topo.node_count; i++)
		routers |= topo.nodes[i].kind == NODE_ROUTER;
	if (routers && !lab_find_program("ternd", ternd, sizeof(ternd))) {
		lab_error("cannot find ternd (next to tern-lab, in $TERN_BUILD or on PATH)");
		return 1;
	}
	if (state_exists(topo.name)) {
		if (!force) {
			lab_error("lab %s exists (tern-lab down %s, or up --force)", topo.name, topo.name);
			return 1;
		}
		if (!lab_teardown(topo.name, true))
			return 1;
	}
	for (size_t i = 0; i < topo.node_count; i++) {
		char ns[2 * TOPO_NAME_MAX + 2];
		state_netns_name(topo.name, topo.nodes[i].name, ns, sizeof(ns));
		if (netns_exists(ns)) {
			lab_error("namespace %s exists and belongs to no tern-lab lab; not touching it", ns);
			return 1;
		}
	}
	if (!state_create(&topo)) {
		lab_error("cannot record lab %s in %s: %s", topo.name, STATE_DIR, strerror(errno));
		if (errno != EEXIST)
			state_remove(topo.name);
		return 1;
	}
	if (!build(&topo, ternd, err)) {
		lab_error("%s", err);
		lab_teardown(topo.name, false);
		lab_error("lab %s not created (everything undone)", topo.name);
		return 1;
	}
	size_t routers_n = 0;
	for (size_t i = 0; i < topo.node_count; i++)
		routers_n += topo.nodes[i].kind == NODE_ROUTER;
	printf("lab %s up: %zu nodes (%zu routers, %zu PCs), %zu links\n", topo.name, topo.node_count, routers_n,
	       topo.node_count - routers_n, topo.link_count);
	if (topo.capture_all)
		printf("capture: every link since now, in %s/%s/link-*.pcap (tern-lab capture NODE:IFACE [-w FILE])\n",
		       STATE_DIR, topo.name);
	printf("attach: tern-lab console NODE   status: tern-lab status %s   remove: tern-lab down %s\n", topo.name,
	       topo.name);
	return 0;
}
