/*
 * DOC: `tern-lab console NODE` and `tern-lab exec NODE -- CMD...`: talking to one node.
 *
 * A router's console is its ternd shell: ternc on the router's control socket, in the
 * foreground. A PC's console is the VPCS prompt (`PC1> `) run by tern-lab itself inside the
 * PC's namespace; exec runs one such command line and exits 0 only if it succeeded (for
 * ping: if any reply came). NODE may be written LAB/NODE when several labs have that node.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lab/icmp.h"
#include "lab/lab.h"
#include "lab/netns.h"
#include "lab/nl.h"
#include "lab/vpcs.h"

static void on_sigint(int sig)
{
	(void)sig;
	icmp_interrupted = 1;
}

struct first_link {
	char name[32];
};

static void pick_link(const char *name, const char *kind, void *arg)
{
	struct first_link *f = arg;
	(void)kind;
	if (strcmp(name, "lo") && !f->name[0])
		snprintf(f->name, sizeof(f->name), "%s", name);
}

/* Enters the PC's namespace and finds its one interface. */
static bool pc_open(const struct state_node *node, struct vpcs *pc, struct first_link *link)
{
	if (!netns_enter(node->netns)) {
		lab_error("cannot enter %s: %s", node->netns, strerror(errno));
		return false;
	}
	pc->name = node->name;
	pc->nl = nl_open();
	if (!pc->nl) {
		lab_error("netlink: %s", strerror(errno));
		return false;
	}
	memset(link, 0, sizeof(*link));
	nl_link_foreach(pc->nl, pick_link, link);
	pc->ifname = link->name[0] ? link->name : "eth0";
	struct sigaction sa = { .sa_handler = on_sigint }; /* no SA_RESTART: Ctrl+C ends a wait */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	return true;
}

/* Runs ternc on the router's socket (never returns on success). */
static int router_shell(const char *lab, const struct state_node *node, char **words, int nwords)
{
	char ternc[4096], file[64], sock[512];
	if (!lab_find_program("ternc", ternc, sizeof(ternc))) {
		lab_error("cannot find ternc (next to tern-lab, in $TERN_BUILD or on PATH)");
		return 1;
	}
	snprintf(file, sizeof(file), "%.31s.sock", node->name);
	state_path(lab, file, sock, sizeof(sock));
	if (!netns_enter(node->netns)) {
		lab_error("cannot enter %s: %s", node->netns, strerror(errno));
		return 1;
	}
	char *argv[64];
	int n = 0;
	argv[n++] = ternc;
	argv[n++] = "-s";
	argv[n++] = sock;
	for (int i = 0; i < nwords && n < 63; i++)
		argv[n++] = words[i];
	argv[n] = NULL;
	execv(ternc, argv);
	lab_error("cannot run %s: %s", ternc, strerror(errno));
	return 1;
}

static bool lookup(const char *spec, char *lab, size_t size, struct state_node *node)
{
	char err[512];
	if (!state_find_node(spec, lab, size, node, err, sizeof(err))) {
		lab_error("%s", err);
		return false;
	}
	return true;
}

int cmd_console(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: tern-lab console NODE\n");
		return 2;
	}
	char lab[TOPO_NAME_MAX];
	struct state_node node;
	if (!lookup(argv[1], lab, sizeof(lab), &node))
		return 1;
	if (node.router)
		return router_shell(lab, &node, NULL, 0);
	struct vpcs pc;
	struct first_link link;
	if (!pc_open(&node, &pc, &link))
		return 1;
	bool tty = isatty(STDIN_FILENO);
	if (tty)
		printf("%s of lab %s: VPCS commands (? for help), quit to leave.\n\n", node.name, lab);
	char line[512];
	for (;;) {
		if (tty) {
			printf("%s> ", node.name);
			fflush(stdout);
		}
		icmp_interrupted = 0;
		if (!fgets(line, sizeof(line), stdin)) {
			if (ferror(stdin) && errno == EINTR) {
				clearerr(stdin);
				printf("\n");
				continue;
			}
			break;
		}
		if (vpcs_run(&pc, line) == VPCS_QUIT)
			break;
	}
	if (tty)
		printf("\n");
	nl_close(pc.nl);
	return 0;
}

int cmd_exec(int argc, char **argv)
{
	int dashes = 2;
	if (argc >= 3 && strcmp(argv[2], "--"))
		dashes = 1; /* tolerate a missing "--" */
	if (argc < 2 + dashes) {
		fprintf(stderr, "usage: tern-lab exec NODE -- COMMAND...\n");
		return 2;
	}
	char lab[TOPO_NAME_MAX];
	struct state_node node;
	if (!lookup(argv[1], lab, sizeof(lab), &node))
		return 1;
	char **words = argv + 1 + dashes;
	int nwords = argc - 1 - dashes;
	if (node.router)
		return router_shell(lab, &node, words, nwords);
	struct vpcs pc;
	struct first_link link;
	if (!pc_open(&node, &pc, &link))
		return 1;
	char line[512] = "";
	for (int i = 0; i < nwords; i++) {
		size_t len = strlen(line);
		snprintf(line + len, sizeof(line) - len, "%s%s", i ? " " : "", words[i]);
	}
	enum vpcs_result r = vpcs_run(&pc, line);
	nl_close(pc.nl);
	return r == VPCS_OK || r == VPCS_QUIT ? 0 : 1;
}
