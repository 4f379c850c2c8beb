/*
 * DOC: `tern-lab ladder NODE PEER [--svg FILE | --html FILE] [--json FILE]`: a BGP session's
 * message ladder, the seed's first picture, drawn from what NODE logged of it.
 *
 * PEER is the neighbour's address as NODE configured it, or a node of the lab, whose address
 * among NODE's neighbours is then used. The log comes from NODE's ternd through its control
 * socket (`show bgp neighbors PEER messages json`), or from a file saved from that command
 * (--json FILE; no lab, no root). Text goes to standard output; --svg and --html write a
 * standalone file (session_ladder.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab/lab.h"
#include "lab/router_conf.h"
#include "lab/router_ctl.h"
#include "lab/session_ladder.h"

static struct topology topo;

static void usage(void)
{
	fprintf(stderr, "usage: tern-lab ladder NODE PEER [--svg FILE | --html FILE] [--json FILE]\n");
}

static bool is_address(const char *text)
{
	unsigned char buf[16];
	return inet_pton(AF_INET, text, buf) == 1 || inet_pton(AF_INET6, text, buf) == 1;
}

bool lab_peer_address(const char *lab, const char *node, const char *peer, char *address, size_t size, char *err,
		      size_t err_size)
{
	if (is_address(peer)) {
		snprintf(address, size, "%s", peer);
		return true;
	}
	if (!lab_load_saved(lab, &topo, err, err_size))
		return false;
	int a = topo_find_node(&topo, node), b = topo_find_node(&topo, peer);
	if (a < 0 || b < 0 || topo.nodes[b].kind != NODE_ROUTER) {
		snprintf(err, err_size, "%s is neither an address nor a router of lab %s", peer, lab);
		return false;
	}
	static struct router_conf mine, theirs;
	if (!router_conf_read(topo.nodes[a].config, &mine, err, err_size) ||
	    !router_conf_read(topo.nodes[b].config, &theirs, err, err_size))
		return false;
	for (size_t i = 0; i < mine.neighbor_count; i++) {
		if (router_conf_has_address(&theirs, mine.neighbors[i].address)) {
			snprintf(address, size, "%s", mine.neighbors[i].address);
			return true;
		}
	}
	snprintf(err, err_size, "%s has no BGP neighbour on an address of %s", node, peer);
	return false;
}

/* NODE's log of its session with address, as `show bgp neighbors A messages json`. */
bool lab_session_log(const char *lab, const char *node, const char *address, struct strbuf *json)
{
	char line[160];
	snprintf(line, sizeof(line), "show bgp neighbors %.64s messages json", address);
	int status = 1;
	if (!router_ctl_run(lab, node, line, json, &status))
		return false;
	return status == 0;
}

static bool read_file(const char *path, struct strbuf *out)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!f) {
		lab_error("%s: %s", path, strerror(errno));
		return false;
	}
	char buf[8192];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0 && out->len < ROUTER_CTL_REPLY_MAX)
		strbuf_appendn(out, buf, n);
	if (f != stdin)
		fclose(f);
	return true;
}

int cmd_ladder(int argc, char **argv)
{
	const char *svg = NULL, *html = NULL, *json_file = NULL;
	if (argc < 3) {
		usage();
		return 2;
	}
	for (int i = 3; i < argc; i += 2) {
		const char **slot = !strcmp(argv[i], "--svg") ? &svg : !strcmp(argv[i], "--html") ? &html
			: !strcmp(argv[i], "--json") ? &json_file : NULL;
		if (!slot || i + 1 >= argc) {
			usage();
			return 2;
		}
		*slot = argv[i + 1];
	}
	if (svg && html) {
		usage();
		return 2;
	}
	const char *node_spec = argv[1], *peer = argv[2];
	struct strbuf json = STRBUF_INIT, out = STRBUF_INIT;
	char right[160], err[TOPO_ERR_MAX];
	const char *left = node_spec;
	struct state_node node;
	char lab[TOPO_NAME_MAX];
	int rc = 1;
	if (json_file) {
		snprintf(right, sizeof(right), "%s", peer);
		if (!read_file(json_file, &json))
			goto done;
	} else {
		char address[64];
		if (!state_find_node(node_spec, lab, sizeof(lab), &node, err, sizeof(err)) ||
		    !lab_peer_address(lab, node.name, peer, address, sizeof(address), err, sizeof(err))) {
			lab_error("%s", err);
			goto done;
		}
		left = node.name;
		if (strcmp(address, peer))
			snprintf(right, sizeof(right), "%s (%s)", peer, address);
		else
			snprintf(right, sizeof(right), "%s", address);
		if (!lab_session_log(lab, node.name, address, &json)) {
			lab_error("%s", json.len ? strbuf_str(&json) : "no answer");
			goto done;
		}
	}
	struct session_ladder ladder;
	if (!session_ladder_parse(strbuf_str(&json), json.len, &ladder, err, sizeof(err))) {
		lab_error("not a message log: %s", err);
		goto done;
	}
	if (svg)
		session_ladder_svg(&ladder, left, right, &out);
	else if (html)
		session_ladder_html(&ladder, left, right, &out);
	else
		session_ladder_text(&ladder, left, right, &out);
	session_ladder_free(&ladder);
	rc = lab_write_file(svg ? svg : html ? html : "-", &out) ? 0 : 1;
done:
	strbuf_free(&json);
	strbuf_free(&out);
	return rc;
}
