/*
 * DOC: `tern-lab doctor [LAB]`: the common lab faults in plain words, each found from the
 * routers' own state (their `show ... json` through ternc, as `status` asks them) and the
 * topology: which link joins which interfaces, which router owns an address.
 *
 * What one router alone can say (no route to a neighbour, an EBGP peer not directly connected,
 * a NOTIFICATION 2/2 Bad Peer AS) its `show ip bgp neighbors` already says (whyNotEstablished);
 * the doctor adds what only both ends together show: whose address the neighbour is, which
 * IGP should have carried it and why that IGP has no adjacency on the link between them
 * (network statement missing, area, hello or dead interval, MTU, passive), and an IBGP route
 * whose next hop is the far side's EBGP peer (no next-hop-self on the router that learned it).
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab/json.h"
#include "lab/lab.h"
#include "lab/router_ctl.h"
#include "lib/strbuf.h"

enum doctor_query { Q_INTERFACES, Q_OSPF_INTERFACES, Q_OSPF_NEIGHBORS, Q_BGP_SUMMARY, Q_BGP_NEIGHBORS, Q_BGP_TABLE,
		    Q_PROTOCOLS, Q_RIP_DATABASE, Q_COUNT };

static const char *const queries[Q_COUNT] = {
	"show ip interface brief json", "show ip ospf interface json", "show ip ospf neighbor json",
	"show ip bgp summary json",     "show ip bgp neighbors json",  "show ip bgp json",
	"show ip protocols json",       "show ip rip database json",
};

struct doctor_router {
	const char *name;
	size_t node;                 /* index in the topology */
	struct json *answer[Q_COUNT]; /* NULL: no answer (not running, no BGP, ...) */
};

struct doctor {
	const char *lab;
	struct topology topo;
	struct doctor_router routers[TOPO_MAX_NODES];
	size_t router_count;
	bool link_explained[TOPO_MAX_LINKS]; /* its OSPF fault already told inside a BGP finding */
	size_t findings;
	size_t notes;                /* what is not up yet with no fault seen: still converging */
};

static struct doctor doc;

static void finding(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void finding(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("%zu. ", ++doc.findings);
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
}

/* "192.168.1.2/24" -> "192.168.1.2" */
static void strip_length(const char *text, char *out, size_t size)
{
	snprintf(out, size, "%s", text);
	out[strcspn(out, "/")] = '\0';
}

static const struct doctor_router *router_by_node(size_t node)
{
	for (size_t i = 0; i < doc.router_count; i++)
		if (doc.routers[i].node == node)
			return &doc.routers[i];
	return NULL;
}

/* The router and interface (IOS name) that own address, from their `show ip interface`. */
static const struct doctor_router *address_owner(const char *address, const char **ifname)
{
	for (size_t i = 0; i < doc.router_count; i++) {
		const struct json *ifs = json_get(doc.routers[i].answer[Q_INTERFACES], "interfaces");
		for (const struct json *f = ifs ? ifs->child : NULL; f; f = f->next) {
			const struct json *addrs = json_get(f, "addresses");
			for (const struct json *a = addrs ? addrs->child : NULL; a; a = a->next) {
				char bare[64];
				strip_length(a->string ? a->string : "", bare, sizeof(bare));
				if (!strcmp(bare, address)) {
					*ifname = f->key;
					return &doc.routers[i];
				}
			}
		}
	}
	return NULL;
}

static bool ospf_runs(const struct doctor_router *r)
{
	const struct json *o = r->answer[Q_OSPF_INTERFACES];
	return o && json_get(o, "interfaces");
}

/* r's OSPF interface (or, with not_enabled, its entry of interfaces that do not run OSPF)
 * whose Linux name is linux_name. */
static const struct json *ospf_interface(const struct doctor_router *r, const char *linux_name, bool not_enabled)
{
	const struct json *list = json_get(r->answer[Q_OSPF_INTERFACES], not_enabled ? "not_enabled" : "interfaces");
	for (const struct json *i = list ? list->child : NULL; i; i = i->next)
		if (!strcmp(json_get_string(i, "linux_name", ""), linux_name))
			return i;
	return NULL;
}

/* r's OSPF neighbour state on the interface called name, or NULL if none. */
static const char *ospf_neighbor_state(const struct doctor_router *r, const char *name)
{
	const struct json *list = json_get(r->answer[Q_OSPF_NEIGHBORS], "neighbors");
	for (const struct json *n = list ? list->child : NULL; n; n = n->next)
		if (!strncmp(json_get_string(n, "interface", ""), name, strlen(name)))
			return json_get_string(n, "state", "?");
	return NULL;
}

static bool member_is(const struct json *object, const char *key, enum json_type type)
{
	const struct json *m = json_get(object, key);
	return m && m->type == type;
}

/* Something not up yet for which no fault is seen (OSPF in its Wait timer, a session
 * starting): said, but not a fault. */
static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	doc.notes++;
	printf("- not yet: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
}

static double drops(const struct json *iface, const char *reason)
{
	return json_get_number(json_get(iface, "drops"), reason, 0);
}

/* Why the OSPF routers at the ends of link l have no Full adjacency on it; false if they do,
 * if OSPF is not meant to run there (one end runs no OSPF at all), or if it is only
 * converging. from: the end whose point of view the text takes. */
static bool ospf_link_fault(size_t l, size_t from, char *text, size_t size)
{
	const struct topo_link *link = &doc.topo.links[l];
	const struct doctor_router *r[2] = { router_by_node(link->end[from].node),
					     router_by_node(link->end[1 - from].node) };
	const char *linux_name[2] = { link->end[from].ifname.linux_name, link->end[1 - from].ifname.linux_name };
	if (!r[0] || !r[1] || !ospf_runs(r[0]) || !ospf_runs(r[1]))
		return false;
	const struct json *on[2], *off[2];
	for (int k = 0; k < 2; k++) {
		on[k] = ospf_interface(r[k], linux_name[k], false);
		off[k] = ospf_interface(r[k], linux_name[k], true);
	}
	for (int k = 0; k < 2; k++) {
		if (on[k] || !on[1 - k] || !off[k])
			continue;
		char address[64];
		const char *with_length = json_get_string(off[k], "address", "?");
		strip_length(with_length, address, sizeof(address));
		const char *slash = strchr(with_length, '/'), *process = strstr(json_get_string(off[k], "reason", ""), "process ");
		struct in_addr a;
		unsigned length = slash ? (unsigned)atoi(slash + 1) : 32;
		uint32_t mask = length ? ~0u << (32 - length) : 0;
		char network[INET_ADDRSTRLEN] = "?", wildcard[INET_ADDRSTRLEN] = "?";
		if (inet_pton(AF_INET, address, &a) == 1 && length <= 32) {
			struct in_addr n = { htonl(ntohl(a.s_addr) & mask) }, w = { htonl(~mask) };
			inet_ntop(AF_INET, &n, network, sizeof(network));
			inet_ntop(AF_INET, &w, wildcard, sizeof(wildcard));
		}
		snprintf(text, size, "%s's OSPF has no neighbour on %s: %s has no `network` statement covering %s (%s); "
			 "`network %s %s area %.0f` under `router ospf %u` enables it",
			 r[0]->name, json_get_string(on[0] ? on[0] : off[0], "name", "?"), r[k]->name, address,
			 json_get_string(off[k], "name", "?"), network, wildcard, json_get_number(on[1 - k], "area", 0),
			 process ? (unsigned)atoi(process + strlen("process ")) : 0u);
		return true;
	}
	if (!on[0] || !on[1])
		return false; /* neither end runs OSPF on the link: an AS boundary, say */
	const char *name[2] = { json_get_string(on[0], "name", "?"), json_get_string(on[1], "name", "?") };
	const char *state = ospf_neighbor_state(r[0], name[0]);
	if (state && !strcmp(state, "FULL"))
		return false;
	char where[256];
	snprintf(where, sizeof(where), "%s's OSPF has no %sneighbour on %s (to %s %s)", r[0]->name,
		 state ? "Full " : "", name[0], r[1]->name, name[1]);
	for (int k = 0; k < 2; k++)
		if (member_is(on[k], "passive", JSON_TRUE)) {
			snprintf(text, size, "%s: %s's %s is passive (`passive-interface`): it sends no Hello", where,
				 r[k]->name, name[k]);
			return true;
		}
	double area[2] = { json_get_number(on[0], "area", 0), json_get_number(on[1], "area", 0) };
	if (area[0] != area[1]) {
		snprintf(text, size, "%s: area mismatch, %s puts %s in area %.0f, %s puts %s in area %.0f", where,
			 r[0]->name, name[0], area[0], r[1]->name, name[1], area[1]);
		return true;
	}
	static const char *const timers[] = { "hello_interval", "dead_interval" };
	for (int t = 0; t < 2; t++) {
		double a = json_get_number(on[0], timers[t], 0), b = json_get_number(on[1], timers[t], 0);
		if (a != b) {
			snprintf(text, size, "%s: %s mismatch, %s has %.0f s, %s has %.0f s (`ip ospf %s-interval`)",
				 where, t ? "dead interval" : "hello interval", r[0]->name, a, r[1]->name, b,
				 t ? "dead" : "hello");
			return true;
		}
	}
	if (drops(on[0], "MTU mismatch") || drops(on[1], "MTU mismatch") || (state && !strcmp(state, "EXSTART"))) {
		snprintf(text, size, "%s: MTU mismatch, the Database Description packets are refused (RFC 2328 10.6; "
			 "`ip mtu` or `ip ospf mtu-ignore`)", where);
		return true;
	}
	if (drops(on[0], "network mask mismatch") || drops(on[1], "network mask mismatch")) {
		snprintf(text, size, "%s: network mask mismatch (the two addresses' prefix lengths differ)", where);
		return true;
	}
	if (!strcmp(json_get_string(on[0], "state", ""), "WAITING") && !state)
		return false; /* still in the Wait timer: not a fault yet */
	if (!state && json_get_number(json_get(on[0], "rx"), "hello", 0) == 0) {
		snprintf(text, size, "%s: no Hello received from %s", where, r[1]->name);
		return true;
	}
	return false;
}

/* The link between r's interface (Linux name) and another router's, if any. */
static bool link_of(const struct doctor_router *r, size_t l, size_t *end)
{
	for (size_t e = 0; e < 2; e++)
		if (doc.topo.links[l].end[e].node == r->node && router_by_node(doc.topo.links[l].end[1 - e].node)) {
			*end = e;
			return true;
		}
	return false;
}

/* Is r's interface (Linux name) an end of a link to another router? */
static bool faces_router(const struct doctor_router *r, const char *linux_name)
{
	for (size_t l = 0; l < doc.topo.link_count; l++) {
		size_t end;
		if (link_of(r, l, &end) && !strcmp(doc.topo.links[l].end[end].ifname.linux_name, linux_name))
			return true;
	}
	return false;
}

/* Is r's OSPF still converging: an interface in its Wait timer, or a neighbour short of Full? */
static bool ospf_converging(const struct doctor_router *r, char *text, size_t size)
{
	const struct json *list = json_get(r->answer[Q_OSPF_INTERFACES], "interfaces");
	/* an interface toward another router first: that is where the adjacency will be */
	for (int toward_router = 1; toward_router >= 0; toward_router--)
		for (const struct json *i = list ? list->child : NULL; i; i = i->next) {
			if (strcmp(json_get_string(i, "state", ""), "WAITING") ||
			    (toward_router && !faces_router(r, json_get_string(i, "linux_name", ""))))
				continue;
			snprintf(text, size, "%s's OSPF interface %s is in its Wait timer (%.0f s left, RFC 2328 9.4)",
				 r->name, json_get_string(i, "name", "?"), json_get_number(i, "wait_due_ms", 0) / 1000);
			return true;
		}
	list = json_get(r->answer[Q_OSPF_NEIGHBORS], "neighbors");
	for (const struct json *n = list ? list->child : NULL; n; n = n->next) {
		const char *state = json_get_string(n, "state", "");
		if (strcmp(state, "FULL") && strcmp(state, "2WAY")) {
			snprintf(text, size, "%s's OSPF neighbour %s is in state %s", r->name,
				 json_get_string(n, "router_id", "?"), state);
			return true;
		}
	}
	return false;
}

/* Asks r one query (again): its answer replaces the last; false if r could not be asked. */
static bool ask_again(struct doctor_router *r, enum doctor_query q)
{
	struct strbuf out = STRBUF_INIT;
	int status = 1;
	char err[256];
	if (!router_ctl_run(doc.lab, r->name, queries[q], &out, &status)) {
		lab_error("%s: %s", r->name, strbuf_str(&out));
		strbuf_free(&out);
		return false;
	}
	json_free(r->answer[q]);
	r->answer[q] = status == 0 ? json_parse(strbuf_str(&out), out.len, err, sizeof(err)) : NULL;
	strbuf_free(&out);
	return true;
}

static const struct json *rip(const struct doctor_router *r)
{
	const struct json *j = json_get(r->answer[Q_PROTOCOLS], "rip");
	return j && j->type == JSON_OBJECT ? j : NULL;
}

/* The address is in no OSPF of its owner: is it in its RIP? True if RIP is only slow. */
#define RIP_PATIENCE 3

static bool explain_no_route_rip(const struct doctor_router *r, const struct doctor_router *owner,
				 const char *address, double failures, char *text, size_t size)
{
	char key[80];
	snprintf(key, sizeof(key), "%s/32", address);
	const struct json *own = json_get(json_get(owner->answer[Q_RIP_DATABASE], "routes"), key);
	if (!rip(owner) || !own) {
		snprintf(text, size, "%s advertises it in no IGP (%s, %s): a static route on %s must carry it then",
			 owner->name, ospf_runs(owner) ? "no OSPF network statement covers it" : "no OSPF",
			 rip(owner) ? "no RIP network statement covers it" : "no RIP", r->name);
		return false;
	}
	if (!rip(r)) {
		snprintf(text, size, "%s advertises it in RIP but %s runs no RIP", owner->name, r->name);
		return false;
	}
	/* RIP asks its neighbours at start and answers at once (RFC 2453 3.9.1), so a working
	 * RIP brings the route within a second or two: after RIP_PATIENCE failed connects
	 * (about 7 s of backing off) nothing heard is a fault, before it only slow */
	if (json_get_number(rip(r), "received", 0) == 0 && failures >= RIP_PATIENCE) {
		snprintf(text, size, "%s advertises it in RIP but %s's RIP has received no update (`show ip protocols`: "
			 "a network statement for the link, version 2 on both, no passive-interface)", owner->name,
			 r->name);
		return false;
	}
	snprintf(text, size, "%s advertises it in RIP, and RIP is converging: %s has not learned it yet", owner->name,
		 r->name);
	return failures < RIP_PATIENCE;
}

/* Which IGP should have carried owner's address, and why it did not reach r. True if it is
 * only not there yet (OSPF or RIP converging). */
static bool explain_no_route(const struct doctor_router *r, const struct doctor_router *owner, const char *address,
			     double failures, char *text, size_t size)
{
	const struct json *list = json_get(owner->answer[Q_OSPF_INTERFACES], "interfaces");
	const struct json *advertised = NULL;
	for (const struct json *i = list ? list->child : NULL; i; i = i->next) {
		char bare[64];
		strip_length(json_get_string(i, "address", ""), bare, sizeof(bare));
		if (!strcmp(bare, address))
			advertised = i;
	}
	if (!advertised)
		return explain_no_route_rip(r, owner, address, failures, text, size);
	size_t used = (size_t)snprintf(text, size, "%s advertises it in OSPF area %.0f", owner->name,
				       json_get_number(advertised, "area", 0));
	for (size_t l = 0; l < doc.topo.link_count && used < size; l++) {
		size_t end;
		char why[1024];
		if (!link_of(r, l, &end) || !ospf_link_fault(l, end, why, sizeof(why)))
			continue;
		used += (size_t)snprintf(text + used, size - used, " but %s", why);
		doc.link_explained[l] = true;
		return false;
	}
	char converging[256];
	if (!ospf_runs(r)) {
		snprintf(text + used, size - used, " but %s runs no OSPF", r->name);
	} else if (ospf_converging(r, converging, sizeof(converging))) {
		snprintf(text + used, size - used, ", and OSPF is converging: %s", converging);
		return true;
	} else {
		snprintf(text + used, size - used, ", and OSPF has not brought it to %s (`show ip ospf neighbor`, "
			 "`show ip ospf database`)", r->name);
	}
	return false;
}

static const char *peer_name(const char *address, char *buf, size_t size)
{
	const char *ifname = NULL;
	const struct doctor_router *o = address_owner(address, &ifname);
	if (o)
		snprintf(buf, size, "%s's %s", o->name, ifname);
	else
		snprintf(buf, size, "no router of the lab");
	return buf;
}

static void check_bgp_neighbors(const struct doctor_router *r)
{
	for (const struct json *n = r->answer[Q_BGP_NEIGHBORS] ? r->answer[Q_BGP_NEIGHBORS]->child : NULL; n;
	     n = n->next) {
		const char *address = n->key, *state = json_get_string(n, "state", "?");
		if (!strcmp(state, "Established") || member_is(n, "adminShutdown", JSON_TRUE))
			continue;
		const struct json *why = json_get(n, "whyNotEstablished");
		const char *reason = json_get_string(why, "reason", ""), *text = json_get_string(why, "text", "");
		bool internal = !strcmp(json_get_string(n, "type", ""), "internal");
		char who[128], more[2048];
		const char *ifname = NULL;
		const struct doctor_router *owner = address_owner(address, &ifname);
		peer_name(address, who, sizeof(who));
		if (!strcmp(reason, "no-route")) {
			more[0] = '\0';
			double failures = json_get_number(json_get(n, "nextConnect"), "failures", 0);
			bool converging = owner && explain_no_route(r, owner, address, failures, more, sizeof(more));
			(converging ? note : finding)("%s has no route to %s (%s, the %s neighbour), so the session "
						      "stays %s%s%s", r->name, address, who, internal ? "IBGP" : "EBGP",
						      state, more[0] ? "; " : "", more);
		} else if (!strcmp(reason, "bad-peer-as") && owner) {
			const struct json *as = json_get(owner->answer[Q_BGP_SUMMARY], "as");
			finding("%s: wrong remote-as for %s (%s, in AS %s): %s", r->name, address, who,
				as && as->string ? as->string : "?", text);
		} else if (!strcmp(reason, "refused-our-open")) {
			continue; /* the other end's bad-peer-as finding says it */
		} else if (!strcmp(reason, "connect-failed") &&
			   json_get_number(json_get(n, "nextConnect"), "failures", 0) < 3) {
			note("%s's session with %s (%s) is %s, retrying: %s", r->name, address, who, state, text);
		} else if (reason[0]) {
			finding("%s's session with %s (%s) is %s: %s", r->name, address, who, state, text);
		} else {
			note("%s's session with %s (%s) is %s, with no fault seen (starting?)", r->name, address, who,
			     state);
		}
	}
}

/* The IBGP neighbour router that sent a route, and its EBGP neighbour at next_hop. */
static void check_next_hops(const struct doctor_router *r)
{
	const struct json *routes = json_get(r->answer[Q_BGP_TABLE], "routes");
	for (const struct json *prefix = routes ? routes->child : NULL; prefix; prefix = prefix->next) {
		for (const struct json *p = prefix->child; p; p = p->next) {
			if (!member_is(p, "valid", JSON_FALSE) || !member_is(p, "internal", JSON_TRUE))
				continue;
			const char *next_hop = json_get_string(p, "nextHop", "?"), *from = json_get_string(p, "peer", "?");
			const char *ifname = NULL;
			const struct doctor_router *sender = address_owner(from, &ifname);
			const struct json *ebgp = sender ? json_get(sender->answer[Q_BGP_NEIGHBORS], next_hop) : NULL;
			if (!ebgp || strcmp(json_get_string(ebgp, "type", ""), "external")) {
				finding("%s: the next hop %s of %s (from %s) does not resolve: %s has no route to it",
					r->name, next_hop, prefix->key, from, r->name);
				continue;
			}
			/* the sender's neighbour address for r: the one r owns */
			const char *mine = "A";
			for (const struct json *n = sender->answer[Q_BGP_NEIGHBORS]->child; n; n = n->next) {
				const char *owner_if = NULL;
				if (address_owner(n->key, &owner_if) == r)
					mine = n->key;
			}
			finding("%s: the next hop %s of %s does not resolve: %s learned the route over EBGP from %s "
				"and passed it to %s over IBGP with the EBGP next hop unchanged (RFC 4271 5.1.3), but no "
				"IGP carries %s; `neighbor %s next-hop-self` on %s makes %s the next hop",
				r->name, next_hop, prefix->key, sender->name, next_hop, r->name, next_hop, mine,
				sender->name, sender->name);
		}
	}
}

static void check_ospf_links(void)
{
	for (size_t l = 0; l < doc.topo.link_count; l++) {
		char why[1024];
		if (!doc.link_explained[l] && ospf_link_fault(l, 0, why, sizeof(why)))
			finding("%s", why);
	}
}

static bool ask(struct doctor_router *r)
{
	for (int q = 0; q < Q_COUNT; q++)
		if (!ask_again(r, (enum doctor_query)q))
			return false;
	return true;
}

/* With no LAB: the only lab that runs (count says whether there is just one). */
struct only_lab {
	char name[TOPO_NAME_MAX];
	size_t count;
};

static void only_lab(const char *lab, void *arg)
{
	struct only_lab *found = arg;
	if (found->count++ == 0)
		snprintf(found->name, sizeof(found->name), "%s", lab);
}

int cmd_doctor(int argc, char **argv)
{
	if (argc > 2) {
		fprintf(stderr, "usage: tern-lab doctor [LAB]\n");
		return 2;
	}
	static struct only_lab found;
	if (argc == 2) {
		doc.lab = argv[1];
	} else {
		state_foreach_lab(only_lab, &found);
		if (found.count != 1) {
			lab_error(found.count ? "several labs run: name one (tern-lab list)" : "no lab runs");
			return 2;
		}
		doc.lab = found.name;
	}
	char err[1024];
	if (!state_exists(doc.lab) || !lab_load_saved(doc.lab, &doc.topo, err, sizeof(err))) {
		lab_error("no lab %s", doc.lab);
		return 2;
	}
	int status = 1;
	for (size_t i = 0; i < doc.topo.node_count; i++) {
		if (doc.topo.nodes[i].kind != NODE_ROUTER)
			continue;
		struct doctor_router *r = &doc.routers[doc.router_count++];
		r->name = doc.topo.nodes[i].name;
		r->node = i;
		if (!ask(r))
			goto done;
	}
	for (size_t i = 0; i < doc.router_count; i++)
		check_bgp_neighbors(&doc.routers[i]);
	for (size_t i = 0; i < doc.router_count; i++)
		check_next_hops(&doc.routers[i]);
	check_ospf_links();
	if (!doc.findings)
		printf("no faults found%s\n", doc.notes ? " (what is not up yet is converging: ask again)" : "");
	status = doc.findings ? 1 : 0;
done:
	for (size_t i = 0; i < doc.router_count; i++)
		for (int q = 0; q < Q_COUNT; q++)
			json_free(doc.routers[i].answer[q]);
	return status;
}
