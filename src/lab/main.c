/*
 * DOC: tern-lab: a lab of Tern routers and VPCS-like PCs in network namespaces.
 *
 *   tern-lab up DIR|FILE [--force]     build a lab from its topology file
 *   tern-lab down NAME                 remove it, also after a crash or a half-built up
 *   tern-lab list | status NAME
 *   tern-lab console NODE              a router's shell (ternc), or a PC's VPCS prompt
 *   tern-lab exec NODE -- CMD...       one shell or VPCS command, for scripts
 *   tern-lab link NODE:IFACE down|up   cut or restore a link
 *   tern-lab capture LINK [-w FILE]    a link's frames as pcap, or its messages as a ladder
 *   tern-lab capture -r FILE           the ladder of a saved pcap file
 *   tern-lab ladder NODE PEER [--svg FILE | --html FILE]   a BGP session's message ladder
 *   tern-lab draw LAB [--svg FILE]     the topology as a picture
 *   tern-lab view [LAB] [--port N]     the lab in a browser, live, on 127.0.0.1
 *   tern-lab doctor [LAB]              the lab's faults in plain words, and their causes
 *   tern-lab collide NODE PEER         restart both ends so that they connect at once
 *
 * Needs root (namespaces). See labs/README.md for the topology format.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lab/lab.h"

static void usage(FILE *to)
{
	fprintf(to, "usage: tern-lab COMMAND ...\n"
		    "  up DIR|FILE [--force]     build a lab from DIR/topology.yml or FILE\n"
		    "  down NAME                 remove every namespace, link and process of a lab\n"
		    "  list                      the labs that exist\n"
		    "  status NAME               nodes, links and each router's BGP sessions\n"
		    "  console NODE              a router's shell, or a PC's VPCS prompt\n"
		    "  exec NODE -- CMD...       run one command on a node (exit status says how it went)\n"
		    "  link NODE:IFACE down|up   cut or restore the link on that interface\n"
		    "  capture LINK [-w FILE] [--ladder] [-c N] [--seconds N] [--follow] [--live]\n"
		    "                            the link's frames as pcap (-w FILE, - for stdout), or its\n"
		    "                            BGP, OSPF and RIP messages as a ladder (the default);\n"
		    "                            LINK is NODE:IFACE or NODE-NODE; from lab start with\n"
		    "                            `capture: all` in the topology, else from now\n"
		    "  capture -r FILE           the ladder of a saved pcap file\n"
		    "  ladder NODE PEER [--svg FILE | --html FILE] [--json FILE]\n"
		    "                            a BGP session's message ladder from NODE's log of it\n"
		    "                            (text; SVG or a standalone HTML page with --svg/--html);\n"
		    "                            PEER is an address or a router; --json reads a saved\n"
		    "                            `show bgp neighbors A messages json`\n"
		    "  draw LAB|DIR|FILE [--svg FILE]\n"
		    "                            the topology as an SVG picture (standard output default)\n"
		    "  view [LAB] [--port N]     the lab in a browser at http://127.0.0.1:N/ (default 8179):\n"
		    "                            links and sessions coloured live, ladders, routes, captures;\n"
		    "                            cutting a link needs the token it prints\n"
		    "  doctor [LAB]              the lab's faults in plain words (a session that is not\n"
		    "                            up and why: no route and which IGP should carry it, an OSPF\n"
		    "                            link without adjacency and why, wrong remote-as, EBGP not\n"
		    "                            directly connected, next hop unresolved); exit status 0\n"
		    "                            when none is found\n"
		    "  collide NODE PEER         restart both routers' ternds with their first BGP connect\n"
		    "                            held behind one barrier and released at once, so the\n"
		    "                            session's connection collision (RFC 4271 6.8) happens;\n"
		    "                            `ladder NODE PEER` then shows which connection closed\n"
		    "NODE may be written LAB/NODE.\n");
}

/* `capture -r FILE`, `ladder ... --json FILE` and `draw` of a topology file only read
 * files: no namespaces, no root. */
static bool reads_a_file(int argc, char **argv)
{
	if (!strcmp(argv[1], "draw"))
		return true;
	for (int i = 2; i < argc; i++)
		if ((!strcmp(argv[1], "capture") && !strcmp(argv[i], "-r")) ||
		    (!strcmp(argv[1], "ladder") && !strcmp(argv[i], "--json")))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {
		{ "up", cmd_up }, { "down", cmd_down }, { "list", cmd_list }, { "status", cmd_status },
		{ "console", cmd_console }, { "exec", cmd_exec }, { "link", cmd_link }, { "capture", cmd_capture },
		{ "ladder", cmd_ladder }, { "draw", cmd_draw }, { "view", cmd_view },
		{ "doctor", cmd_doctor }, { "collide", cmd_collide },
	};
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(argv[1], cmds[i].name))
			continue;
		if (geteuid() != 0 && strcmp(argv[1], "list") && !reads_a_file(argc, argv)) {
			lab_error("needs root (network namespaces)");
			return 1;
		}
		return cmds[i].fn(argc - 1, argv + 1);
	}
	lab_error("unknown command '%s'", argv[1]);
	usage(stderr);
	return 2;
}
