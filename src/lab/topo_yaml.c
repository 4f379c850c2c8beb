/*
 * DOC: reading a topology file (YAML, libyaml) into the validated model of topo.h.
 *
 *   name: seed                     # optional: the directory's name otherwise
 *   nodes:                         # (nodes and links may also sit under `topology:`)
 *     R1: {kind: router, config: R1.conf}
 *     PC1: {kind: pc, ip: 10.0.0.2 255.0.0.0 10.0.0.1}
 *   links:
 *     - ["R1:f0/0", "R2:f1/0"]     # or {endpoints: [...]}; a PC's end may be just "PC1"
 *   capture: all                   # optional: every link captured from the start (or none)
 *
 * Every problem is reported as "FILE:LINE: problem" with FILE as the user named it; unknown
 * keys are errors, so a typo is never silently ignored. The keys of the former stand-ins
 * (`addresses:`, a router's `routes:`) get an error that says where those lines go now: the
 * router's own configuration, which ternd applies.
 */
#include "lab/topo.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

struct loader {
	yaml_document_t doc;
	struct topology *topo;
	const char *shown;  /* the file as the user named it */
	char dir[TOPO_PATH_MAX];
	char *err;
	size_t err_size;
	bool failed;
};

__attribute__((format(printf, 3, 4)))
static bool fail(struct loader *l, const yaml_node_t *at, const char *fmt, ...)
{
	if (l->failed)
		return false;
	l->failed = true;
	int n = snprintf(l->err, l->err_size, "%s:%lu: ", l->shown, at ? (unsigned long)at->start_mark.line + 1 : 1UL);
	if (n < 0 || (size_t)n >= l->err_size)
		return false;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(l->err + n, l->err_size - (size_t)n, fmt, ap);
	va_end(ap);
	return false;
}

static int line_of(const yaml_node_t *n)
{
	return (int)n->start_mark.line + 1;
}

static const char *scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static yaml_node_t *node_at(struct loader *l, int id)
{
	return yaml_document_get_node(&l->doc, id);
}

bool topo_valid_name(const char *name)
{
	size_t len = strlen(name);
	if (len == 0 || len >= TOPO_NAME_MAX)
		return false;
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '.')
			return false;
	return strcmp(name, ".") && strcmp(name, "..");
}

static bool valid_lab_name(const char *name)
{
	size_t len = strlen(name);
	if (len == 0 || len >= TOPO_NAME_MAX || name[0] == '-' || name[0] == '.')
		return false;
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '.' && *p != '-')
			return false;
	return true;
}

int topo_find_node(const struct topology *topo, const char *name)
{
	for (size_t i = 0; i < topo->node_count; i++)
		if (!strcmp(topo->nodes[i].name, name))
			return (int)i;
	return -1;
}

bool topo_parse_endpoint(const struct topology *topo, const char *text, struct topo_endpoint *out,
			 char *err, size_t err_size)
{
	char node[TOPO_NAME_MAX + 1];
	const char *colon = strchr(text, ':');
	size_t nlen = colon ? (size_t)(colon - text) : strlen(text);
	if (nlen == 0 || nlen >= sizeof(node)) {
		snprintf(err, err_size, "'%s' is not NODE:INTERFACE", text);
		return false;
	}
	memcpy(node, text, nlen);
	node[nlen] = '\0';
	int idx = topo_find_node(topo, node);
	if (idx < 0) {
		snprintf(err, err_size, "%s names no node", text);
		return false;
	}
	const char *iface = colon ? colon + 1 : NULL;
	if (!iface) {
		if (topo->nodes[idx].kind != NODE_PC) {
			snprintf(err, err_size, "%s: a router's endpoint needs an interface (%s:f0/0)", text, node);
			return false;
		}
		iface = "eth0";
	}
	out->node = (size_t)idx;
	if (!ifname_parse(iface, &out->ifname)) {
		snprintf(err, err_size, "%s: '%s' is not an interface name", text, iface);
		return false;
	}
	return true;
}

static bool load_node(struct loader *l, const char *name, yaml_node_t *key, yaml_node_t *v)
{
	struct topology *t = l->topo;
	if (!topo_valid_name(name))
		return fail(l, key, "node name '%s': use letters, digits, '_' and '.' (at most %d)", name, TOPO_NAME_MAX - 1);
	if (topo_find_node(t, name) >= 0)
		return fail(l, key, "node %s is defined twice", name);
	if (t->node_count >= TOPO_MAX_NODES)
		return fail(l, key, "more than %d nodes", TOPO_MAX_NODES);
	if (v->type != YAML_MAPPING_NODE)
		return fail(l, v, "node %s: expected a mapping (kind: router|pc, ...)", name);
	struct topo_node *node = &t->nodes[t->node_count];
	memset(node, 0, sizeof(*node));
	snprintf(node->name, sizeof(node->name), "%s", name);
	node->line = line_of(key);
	const char *kind = NULL, *config = NULL, *ip = NULL;
	yaml_node_t *config_at = NULL, *ip_at = NULL;
	for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node_at(l, p->key), *val = node_at(l, p->value);
		const char *ks = scalar(k);
		if (!ks)
			return fail(l, k, "node %s: keys must be plain words", name);
		if (!strcmp(ks, "kind"))
			kind = scalar(val);
		else if (!strcmp(ks, "config"))
			config = scalar(val), config_at = val;
		else if (!strcmp(ks, "ip"))
			ip = scalar(val), ip_at = val;
		else if (!strcmp(ks, "routes"))
			return fail(l, k, "node %s: routes: are gone; write them as `ip route` lines in the router's "
				    "configuration (ternd installs them)", name);
		else
			return fail(l, k, "node %s: unknown key '%s' (kind, config, ip)", name, ks);
	}
	if (!kind)
		return fail(l, key, "node %s has no kind (router or pc)", name);
	if (!strcmp(kind, "router")) {
		node->kind = NODE_ROUTER;
		if (!config)
			return fail(l, key, "router %s has no config file", name);
		if (ip)
			return fail(l, ip_at, "router %s: `ip` is for PCs (a router's addresses are `interface` / "
				    "`ip address` lines in its configuration)", name);
		char path[TOPO_PATH_MAX * 2];
		if (config[0] == '/')
			snprintf(path, sizeof(path), "%s", config);
		else
			snprintf(path, sizeof(path), "%s/%s", l->dir, config);
		if (strlen(path) >= sizeof(node->config))
			return fail(l, config_at, "config path too long");
		if (access(path, R_OK) != 0)
			return fail(l, config_at, "router %s: cannot read %s: %s", name, config, strerror(errno));
		snprintf(node->config, sizeof(node->config), "%s", path);
	} else if (!strcmp(kind, "pc")) {
		node->kind = NODE_PC;
		if (config)
			return fail(l, config_at, "PC %s: a PC has no config file (use ip:)", name);
		if (ip) {
			char err[256];
			if (!vpcs_parse_ip(ip, &node->pc_ip, err, sizeof(err)))
				return fail(l, ip_at, "PC %s: %s", name, err);
		}
	} else {
		return fail(l, key, "node %s: unknown kind '%s' (router or pc)", name, kind);
	}
	t->node_count++;
	return true;
}

static bool load_nodes(struct loader *l, yaml_node_t *v)
{
	if (v->type != YAML_MAPPING_NODE)
		return fail(l, v, "nodes: expected a mapping of node names");
	for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node_at(l, p->key);
		const char *name = scalar(k);
		if (!name)
			return fail(l, k, "node names must be plain words");
		if (!load_node(l, name, k, node_at(l, p->value)))
			return false;
	}
	return true;
}

static bool same_port(const struct topo_endpoint *a, const struct topo_endpoint *b)
{
	return a->node == b->node && !strcmp(a->ifname.linux_name, b->ifname.linux_name);
}

static bool load_endpoint(struct loader *l, yaml_node_t *at, struct topo_endpoint *out)
{
	const char *text = scalar(at);
	char err[256];
	if (!text)
		return fail(l, at, "a link endpoint is a string \"NODE:INTERFACE\"");
	if (!topo_parse_endpoint(l->topo, text, out, err, sizeof(err)))
		return fail(l, at, "link endpoint %s", err);
	if (out->ifname.is_loopback)
		return fail(l, at, "link endpoint %s: a link cannot end on a loopback", text);
	return true;
}

static bool load_link(struct loader *l, yaml_node_t *v)
{
	struct topology *t = l->topo;
	yaml_node_t *seq = v;
	if (v->type == YAML_MAPPING_NODE) {
		seq = NULL;
		for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
			const char *ks = scalar(node_at(l, p->key));
			if (ks && !strcmp(ks, "endpoints"))
				seq = node_at(l, p->value);
			else
				return fail(l, node_at(l, p->key), "link: unknown key '%s' (endpoints)", ks ? ks : "");
		}
		if (!seq)
			return fail(l, v, "link without endpoints");
	}
	if (seq->type != YAML_SEQUENCE_NODE || seq->data.sequence.items.top - seq->data.sequence.items.start != 2)
		return fail(l, v, "a link is a pair of endpoints [\"R1:f0/0\", \"R2:f1/0\"]");
	if (t->link_count >= TOPO_MAX_LINKS)
		return fail(l, v, "more than %d links", TOPO_MAX_LINKS);
	struct topo_link *link = &t->links[t->link_count];
	memset(link, 0, sizeof(*link));
	link->line = line_of(v);
	for (int e = 0; e < 2; e++) {
		yaml_node_t *at = node_at(l, seq->data.sequence.items.start[e]);
		struct topo_endpoint *ep = &link->end[e];
		if (!load_endpoint(l, at, ep))
			return false;
		for (size_t i = 0; i < t->link_count; i++)
			for (int f = 0; f < 2; f++)
				if (same_port(ep, &t->links[i].end[f]))
					return fail(l, at, "interface %s of %s is already used by the link on line %d",
						    ep->ifname.ios_name, t->nodes[ep->node].name, t->links[i].line);
		if (e == 1 && same_port(ep, &link->end[0]))
			return fail(l, at, "a link joins %s:%s to itself", t->nodes[ep->node].name, ep->ifname.ios_name);
	}
	for (int e = 0; e < 2; e++) {
		const struct topo_node *n = &t->nodes[link->end[e].node];
		if (n->kind != NODE_PC)
			continue;
		for (size_t i = 0; i < t->link_count; i++)
			for (int f = 0; f < 2; f++)
				if (t->links[i].end[f].node == link->end[e].node)
					return fail(l, node_at(l, seq->data.sequence.items.start[e]),
						    "PC %s has one interface, already linked on line %d", n->name,
						    t->links[i].line);
	}
	t->link_count++;
	return true;
}

static bool load_links(struct loader *l, yaml_node_t *v)
{
	if (v->type != YAML_SEQUENCE_NODE)
		return fail(l, v, "links: expected a list of endpoint pairs");
	for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++)
		if (!load_link(l, node_at(l, *it)))
			return false;
	return true;
}

static bool load_top(struct loader *l, yaml_node_t *root, bool nested)
{
	if (!root || root->type != YAML_MAPPING_NODE)
		return fail(l, root, "expected a mapping (name, nodes, links)");
	yaml_node_t *nodes = NULL, *links = NULL, *topology = NULL;
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node_at(l, p->key), *v = node_at(l, p->value);
		const char *ks = scalar(k);
		if (!ks)
			return fail(l, k, "keys must be plain words");
		if (!strcmp(ks, "name") && !nested) {
			const char *name = scalar(v);
			if (!name || !valid_lab_name(name))
				return fail(l, v, "lab name '%s': use letters, digits, '_', '.' and '-' (at most %d)",
					    name ? name : "", TOPO_NAME_MAX - 1);
			snprintf(l->topo->name, sizeof(l->topo->name), "%s", name);
		} else if (!strcmp(ks, "nodes")) {
			nodes = v;
		} else if (!strcmp(ks, "links")) {
			links = v;
		} else if (!strcmp(ks, "addresses")) {
			return fail(l, k, "addresses: are gone; write them in each router's configuration "
				    "(interface f0/0 / ip address A MASK / no shutdown), which ternd applies");
		} else if (!strcmp(ks, "capture")) {
			const char *what = scalar(v);
			if (!what || (strcmp(what, "all") && strcmp(what, "none")))
				return fail(l, v, "capture: all or none");
			l->topo->capture_all = !strcmp(what, "all");
		} else if (!strcmp(ks, "topology") && !nested) {
			topology = v;
		} else {
			return fail(l, k, "unknown key '%s' (name, topology, nodes, links, capture)", ks);
		}
	}
	if (topology && !load_top(l, topology, true))
		return false;
	if (nodes && !load_nodes(l, nodes))
		return false;
	if (links && !load_links(l, links))
		return false;
	return true;
}

/* The PCs' ip lines against their links: an address needs an interface. */
static bool check_pcs(struct loader *l)
{
	struct topology *t = l->topo;
	for (size_t i = 0; i < t->node_count; i++) {
		struct topo_node *n = &t->nodes[i];
		if (n->kind != NODE_PC || !n->pc_ip.set)
			continue;
		bool linked = false;
		for (size_t k = 0; k < t->link_count; k++)
			for (int f = 0; f < 2; f++)
				linked |= t->links[k].end[f].node == i;
		if (!linked) {
			l->failed = false;
			snprintf(l->err, l->err_size, "%s:%d: PC %s has an ip line but no link", l->shown, n->line, n->name);
			return false;
		}
	}
	return true;
}

bool topo_load(const char *dir_or_file, struct topology *topo, char *err, size_t err_size)
{
	return topo_load_from(dir_or_file, NULL, topo, err, err_size);
}

bool topo_load_from(const char *dir_or_file, const char *base_dir, struct topology *topo, char *err, size_t err_size)
{
	memset(topo, 0, sizeof(*topo));
	struct loader l = { .topo = topo, .err = err, .err_size = err_size };
	char shown[TOPO_PATH_MAX];
	struct stat st;
	if (stat(dir_or_file, &st) != 0) {
		snprintf(err, err_size, "%s: %s", dir_or_file, strerror(errno));
		return false;
	}
	if (S_ISDIR(st.st_mode))
		snprintf(shown, sizeof(shown), "%s%stopology.yml", dir_or_file,
			 dir_or_file[strlen(dir_or_file) - 1] == '/' ? "" : "/");
	else
		snprintf(shown, sizeof(shown), "%s", dir_or_file);
	l.shown = shown;
	char *abs = realpath(shown, NULL);
	if (!abs || strlen(abs) >= sizeof(topo->path)) {
		snprintf(err, err_size, "%s: %s", shown, abs ? "path too long" : strerror(errno));
		free(abs);
		return false;
	}
	snprintf(topo->path, sizeof(topo->path), "%s", abs);
	free(abs);
	snprintf(l.dir, sizeof(l.dir), "%s", topo->path);
	char *slash = strrchr(l.dir, '/');
	if (slash)
		*slash = '\0';
	if (base_dir)
		snprintf(l.dir, sizeof(l.dir), "%s", base_dir);
	/* default name: the directory's */
	const char *base = strrchr(l.dir, '/');
	base = base ? base + 1 : l.dir;
	if (valid_lab_name(base))
		snprintf(topo->name, sizeof(topo->name), "%.*s", TOPO_NAME_MAX - 1, base);

	FILE *f = fopen(shown, "r");
	if (!f) {
		snprintf(err, err_size, "%s: %s", shown, strerror(errno));
		return false;
	}
	yaml_parser_t parser;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, f);
	bool ok = yaml_parser_load(&parser, &l.doc) != 0;
	if (!ok) {
		snprintf(err, err_size, "%s:%lu: %s%s%s", shown, (unsigned long)parser.problem_mark.line + 1,
			 parser.problem ? parser.problem : "bad YAML", parser.context ? " " : "",
			 parser.context ? parser.context : "");
	}
	yaml_parser_delete(&parser);
	fclose(f);
	if (!ok)
		return false;
	yaml_node_t *root = yaml_document_get_root_node(&l.doc);
	if (!root) {
		snprintf(err, err_size, "%s:1: empty topology", shown);
		ok = false;
	} else {
		ok = load_top(&l, root, false) && check_pcs(&l);
	}
	yaml_document_delete(&l.doc);
	if (ok && !topo->name[0]) {
		snprintf(err, err_size, "%s:1: the lab needs a name (name: ...)", shown);
		ok = false;
	}
	if (ok && topo->node_count == 0) {
		snprintf(err, err_size, "%s:1: no nodes", shown);
		ok = false;
	}
	return ok;
}
