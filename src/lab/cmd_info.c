/*
 * DOC: `tern-lab list` and `tern-lab status NAME`: what runs, read from the records and the
 * kernel (namespaces, link states), and each router's BGP sessions through its own ternc.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab/lab.h"
#include "lab/netns.h"
#include "lab/nl.h"

static void list_one(const char *lab, void *arg)
{
	int *count = arg;
	struct state_node nodes[TOPO_MAX_NODES];
	size_t n = state_read_nodes(lab, nodes, TOPO_MAX_NODES);
	size_t present = 0;
	for (size_t i = 0; i < n; i++)
		present += netns_exists(nodes[i].netns);
	char path[512], source[TOPO_PATH_MAX] = "?";
	state_path(lab, "source", path, sizeof(path));
	FILE *f = fopen(path, "r");
	if (f) {
		if (!fgets(source, sizeof(source), f))
			snprintf(source, sizeof(source), "?");
		fclose(f);
	}
	source[strcspn(source, "\n")] = '\0';
	if (*count == 0)
		printf("%-20s %-6s %s\n", "LAB", "NODES", "TOPOLOGY");
	printf("%-20s %-6zu %s%s\n", lab, n, source, present == n ? "" : "  (incomplete: tern-lab down it)");
	(*count)++;
}

int cmd_list(int argc, char **argv)
{
	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: tern-lab list\n");
		return 2;
	}
	int count = 0;
	state_foreach_lab(list_one, &count);
	if (count == 0)
		printf("no labs\n");
	return 0;
}

static bool alive(pid_t pid)
{
	return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
}

const char *lab_link_state(const char *netns, const char *ifname)
{
	struct mnl_socket *nl = netns_nl_open(netns);
	struct nl_link_info info = { 0 };
	bool ok = nl && nl_link_get(nl, ifname, &info);
	nl_close(nl);
	if (!ok || !info.exists)
		return "missing";
	if (!info.admin_up)
		return "down";
	return info.carrier ? "up" : "no-carrier";
}

static void run_ternc(const char *ternc, const char *sock, const char *prefix)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		execl(ternc, ternc, "-s", sock, "show", "ip", "bgp", "summary", (char *)NULL);
		_exit(127);
	}
	int status;
	if (pid > 0)
		waitpid(pid, &status, 0);
	(void)prefix;
}

static struct topology topo;

int cmd_status(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: tern-lab status NAME\n");
		return 2;
	}
	const char *lab = argv[1];
	if (!state_exists(lab)) {
		lab_error("no lab %s", lab);
		return 1;
	}
	char err[1024];
	bool have_topo = lab_load_saved(lab, &topo, err, sizeof(err));
	struct state_node nodes[TOPO_MAX_NODES];
	size_t n = state_read_nodes(lab, nodes, TOPO_MAX_NODES);
	printf("lab %s\n\nnodes\n", lab);
	for (size_t i = 0; i < n; i++) {
		const struct state_node *s = &nodes[i];
		char state[128];
		if (!netns_exists(s->netns)) {
			snprintf(state, sizeof(state), "namespace missing");
		} else if (s->router) {
			pid_t pid = state_read_pid(lab, s->name);
			snprintf(state, sizeof(state), pid > 0 && alive(pid) ? "ternd %ld running" : "ternd not running",
				 (long)pid);
		} else {
			snprintf(state, sizeof(state), "up");
		}
		printf("  %-10s %-7s %-24s %s\n", s->name, s->router ? "router" : "pc", s->netns, state);
	}
	if (have_topo) {
		printf("\nlinks\n");
		for (size_t i = 0; i < topo.link_count; i++) {
			const struct topo_link *l = &topo.links[i];
			char a[96], b[96], nsa[80], nsb[80];
			snprintf(a, sizeof(a), "%s:%s", topo.nodes[l->end[0].node].name, l->end[0].ifname.ios_name);
			snprintf(b, sizeof(b), "%s:%s", topo.nodes[l->end[1].node].name, l->end[1].ifname.ios_name);
			state_netns_name(lab, topo.nodes[l->end[0].node].name, nsa, sizeof(nsa));
			state_netns_name(lab, topo.nodes[l->end[1].node].name, nsb, sizeof(nsb));
			printf("  %-28s -- %-28s %s/%s\n", a, b, lab_link_state(nsa, l->end[0].ifname.linux_name),
			       lab_link_state(nsb, l->end[1].ifname.linux_name));
		}
	} else {
		printf("\n(links unknown: %s)\n", err);
	}
	char ternc[4096];
	bool have_ternc = lab_find_program("ternc", ternc, sizeof(ternc));
	for (size_t i = 0; i < n && have_ternc; i++) {
		if (!nodes[i].router || !alive(state_read_pid(lab, nodes[i].name)))
			continue;
		char file[64], sock[512];
		snprintf(file, sizeof(file), "%.31s.sock", nodes[i].name);
		state_path(lab, file, sock, sizeof(sock));
		printf("\n%s# show ip bgp summary\n", nodes[i].name);
		run_ternc(ternc, sock, nodes[i].name);
	}
	return 0;
}
