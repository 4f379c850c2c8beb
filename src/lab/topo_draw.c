/*
 * DOC: drawing a lab's topology (topo_draw.h).
 */
#include "lab/topo_draw.h"

#include <arpa/inet.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab/router_conf.h"
#include "lab/svg.h"

#define LAYER_GAP 270
#define ROW_GAP 170
#define MARGIN_X 110
#define ROW_TOP 250
#define NODE_RADIUS 30
#define MAX_SESSIONS 128

struct place {
	int layer, row;
	double x, y;
};

struct session {
	size_t a, b;
	char a_peer[ROUTER_CONF_ADDR_MAX], b_peer[ROUTER_CONF_ADDR_MAX];
};

struct drawing {
	const struct topology *t;
	struct router_conf *conf; /* per node (zeroed for PCs) */
	struct place place[TOPO_MAX_NODES];
	int layers, rows;
	struct session sessions[MAX_SESSIONS];
	size_t session_count;
};

/* Breadth-first layers from the first link's first end; unconnected parts follow. */
static void lay_out(struct drawing *d)
{
	const struct topology *t = d->t;
	int layer_of[TOPO_MAX_NODES];
	size_t queue[TOPO_MAX_NODES], head = 0, tail = 0;
	for (size_t i = 0; i < t->node_count; i++)
		layer_of[i] = -1;
	int base = 0;
	for (size_t pass = 0; pass <= t->node_count; pass++) {
		size_t start = t->node_count;
		if (pass == 0 && t->link_count)
			start = t->links[0].end[0].node;
		for (size_t i = 0; start == t->node_count && i < t->node_count; i++)
			if (layer_of[i] < 0)
				start = i;
		if (start == t->node_count || layer_of[start] >= 0)
			continue;
		layer_of[start] = base;
		queue[tail++] = start;
		int deepest = base;
		while (head < tail) {
			size_t n = queue[head++];
			for (size_t l = 0; l < t->link_count; l++) {
				for (int side = 0; side < 2; side++) {
					if (t->links[l].end[side].node != n)
						continue;
					size_t other = t->links[l].end[!side].node;
					if (layer_of[other] >= 0)
						continue;
					layer_of[other] = layer_of[n] + 1;
					if (layer_of[other] > deepest)
						deepest = layer_of[other];
					queue[tail++] = other;
				}
			}
		}
		base = deepest + 1;
	}
	d->layers = base;
	int rows_in[TOPO_MAX_NODES] = { 0 };
	d->rows = 1;
	for (size_t q = 0; q < tail; q++) { /* in visiting order: stable and deterministic */
		size_t n = queue[q];
		struct place *p = &d->place[n];
		p->layer = layer_of[n];
		p->row = rows_in[p->layer]++;
		if (rows_in[p->layer] > d->rows)
			d->rows = rows_in[p->layer];
		p->x = MARGIN_X + p->layer * LAYER_GAP;
		p->y = ROW_TOP + p->row * ROW_GAP;
	}
}

static int node_with_address(const struct drawing *d, const char *address)
{
	char pc[INET_ADDRSTRLEN];
	for (size_t i = 0; i < d->t->node_count; i++) {
		const struct topo_node *n = &d->t->nodes[i];
		if (n->kind == NODE_ROUTER && router_conf_has_address(&d->conf[i], address))
			return (int)i;
		if (n->kind == NODE_PC && n->pc_ip.set) {
			struct in_addr a = { htonl(n->pc_ip.addr) };
			if (!strcmp(inet_ntop(AF_INET, &a, pc, sizeof(pc)), address))
				return (int)i;
		}
	}
	return -1;
}

/* One session per pair of routers and pair of addresses: both ends' neighbour statements. */
static void find_sessions(struct drawing *d)
{
	for (size_t a = 0; a < d->t->node_count; a++) {
		for (size_t k = 0; k < d->conf[a].neighbor_count; k++) {
			const char *peer = d->conf[a].neighbors[k].address;
			int b = node_with_address(d, peer);
			if (b < 0 || (size_t)b == a)
				continue;
			bool known = false;
			for (size_t s = 0; s < d->session_count && !known; s++) {
				struct session *x = &d->sessions[s];
				if (x->a == (size_t)b && x->b == a && !x->b_peer[0] &&
				    router_conf_has_address(&d->conf[a], x->a_peer)) {
					snprintf(x->b_peer, sizeof(x->b_peer), "%s", peer);
					known = true;
				}
			}
			if (known || d->session_count == MAX_SESSIONS)
				continue;
			struct session *x = &d->sessions[d->session_count++];
			memset(x, 0, sizeof(*x));
			x->a = a;
			x->b = (size_t)b;
			snprintf(x->a_peer, sizeof(x->a_peer), "%s", peer);
		}
	}
}

static void pc_address(const struct topo_node *n, char *buf, size_t size)
{
	char addr[INET_ADDRSTRLEN] = "", gw[INET_ADDRSTRLEN] = "";
	if (!n->pc_ip.set) {
		snprintf(buf, size, "no address");
		return;
	}
	struct in_addr a = { htonl(n->pc_ip.addr) }, g = { htonl(n->pc_ip.gateway) };
	inet_ntop(AF_INET, &a, addr, sizeof(addr));
	inet_ntop(AF_INET, &g, gw, sizeof(gw));
	if (n->pc_ip.gateway)
		snprintf(buf, size, "%s/%u gw %s", addr, n->pc_ip.len, gw);
	else
		snprintf(buf, size, "%s/%u", addr, n->pc_ip.len);
}

/* The short IOS form the seed writes (f0/0, g0/1, lo0): the long one fills a link. */
static void short_ifname(const struct ifname *name, char *buf, size_t size)
{
	const char *digits = strpbrk(name->ios_name, "0123456789");
	if (!name->is_ios || !digits)
		snprintf(buf, size, "%s", name->ios_name);
	else if (name->is_loopback)
		snprintf(buf, size, "lo%s", digits);
	else
		snprintf(buf, size, "%c%s", name->ios_name[0] | 0x20, digits);
}

static void draw_as_boxes(const struct drawing *d, struct strbuf *out)
{
	uint32_t seen[TOPO_MAX_NODES];
	size_t seen_count = 0;
	for (size_t i = 0; i < d->t->node_count; i++) {
		uint32_t as = d->conf[i].bgp_as;
		bool done = !as;
		for (size_t s = 0; s < seen_count && !done; s++)
			done = seen[s] == as;
		if (done)
			continue;
		seen[seen_count++] = as;
		double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
		for (size_t j = 0; j < d->t->node_count; j++) {
			if (d->conf[j].bgp_as != as)
				continue;
			const struct place *p = &d->place[j];
			x0 = p->x < x0 ? p->x : x0;
			x1 = p->x > x1 ? p->x : x1;
			y0 = p->y < y0 ? p->y : y0;
			y1 = p->y > y1 ? p->y : y1;
		}
		char label[32];
		snprintf(label, sizeof(label), "AS %u", as);
		strbuf_printf(out,
			      "<g class=\"as\" id=\"as-%u\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"14\" "
			      "fill=\"#f3f7fc\" stroke=\"#5b7fa8\" stroke-dasharray=\"8 5\"/>\n",
			      as, x0 - 95, y0 - 120, x1 - x0 + 190, y1 - y0 + 205);
		svg_text(out, x0 - 85, y0 - 100, "as-label", "start", label);
		strbuf_append(out, "</g>\n");
	}
}

static void draw_link(const struct drawing *d, size_t index, struct strbuf *out)
{
	const struct topo_link *l = &d->t->links[index];
	const struct place *pa = &d->place[l->end[0].node], *pb = &d->place[l->end[1].node];
	strbuf_printf(out, "<g class=\"link\" id=\"link-%zu\" data-link=\"%zu\" data-a=\"", index, index);
	svg_escape(out, d->t->nodes[l->end[0].node].name);
	strbuf_append(out, ":");
	svg_escape(out, l->end[0].ifname.ios_name);
	strbuf_append(out, "\" data-b=\"");
	svg_escape(out, d->t->nodes[l->end[1].node].name);
	strbuf_append(out, ":");
	svg_escape(out, l->end[1].ifname.ios_name);
	strbuf_append(out, "\">\n");
	strbuf_printf(out,
		      "<line class=\"hit\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"transparent\" "
		      "stroke-width=\"16\"/>\n<line class=\"wire\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		      "stroke=\"#444\" stroke-width=\"4\"/>\n",
		      pa->x, pa->y, pb->x, pb->y, pa->x, pa->y, pb->x, pb->y);
	uint32_t as[2] = { 0, 0 };
	bool ospf = true, rip = true;
	for (int side = 0; side < 2; side++) {
		size_t n = l->end[side].node;
		const struct place *p = side ? pb : pa, *q = side ? pa : pb;
		double dir = q->x > p->x ? 1 : q->x < p->x ? -1 : 0;
		double x = p->x + dir * (NODE_RADIUS + 6), y = p->y + (q->y - p->y) * 0.2;
		const char *anchor = dir > 0 ? "start" : dir < 0 ? "end" : "start";
		if (dir == 0)
			x += 8, y = p->y + (q->y > p->y ? 1 : -1) * (NODE_RADIUS + 18);
		char address[64];
		if (d->t->nodes[n].kind == NODE_PC) {
			pc_address(&d->t->nodes[n], address, sizeof(address));
			char *gateway = strstr(address, " gw"); /* on the link, only the PC's own address */
			if (gateway)
				*gateway = '\0';
			ospf = rip = false;
		} else {
			const struct router_conf_iface *ifc = router_conf_iface(&d->conf[n], l->end[side].ifname.linux_name);
			snprintf(address, sizeof(address), "%s", ifc && ifc->address[0] ? ifc->address : "no address");
			as[side] = d->conf[n].bgp_as;
			ospf = ospf && d->conf[n].ospf_process;
			rip = rip && d->conf[n].rip;
		}
		char ifname[IFNAME_IOS_MAX];
		short_ifname(&l->end[side].ifname, ifname, sizeof(ifname));
		svg_text(out, x, y - 8, "ifname", anchor, ifname);
		svg_text(out, x, y + 16, "address", anchor, address);
	}
	char protocols[96] = "";
	size_t used = 0;
	if (ospf && d->conf[l->end[0].node].ospf_process == d->conf[l->end[1].node].ospf_process)
		used += (size_t)snprintf(protocols + used, sizeof(protocols) - used, "OSPF %u",
					 d->conf[l->end[0].node].ospf_process);
	if (rip)
		used += (size_t)snprintf(protocols + used, sizeof(protocols) - used, "%sRIP", used ? ", " : "");
	if (as[0] && as[1] && as[0] != as[1])
		snprintf(protocols + used, sizeof(protocols) - used, "%sEBGP", used ? ", " : "");
	if (protocols[0])
		svg_text(out, (pa->x + pb->x) / 2, (pa->y + pb->y) / 2 + 44, "protocol", "middle", protocols);
	strbuf_append(out, "</g>\n");
}

/* A session is a dashed arc bowing away from the link between its routers (up, or right of a
 * vertical pair), each further session between the same two routers bowing further. */
static void draw_session(const struct drawing *d, size_t index, struct strbuf *out)
{
	const struct session *s = &d->sessions[index];
	const struct place *pa = &d->place[s->a], *pb = &d->place[s->b];
	int earlier = 0;
	for (size_t i = 0; i < index; i++) {
		const struct session *o = &d->sessions[i];
		earlier += (o->a == s->a && o->b == s->b) || (o->a == s->b && o->b == s->a);
	}
	double dx = pb->x - pa->x, dy = pb->y - pa->y, len = sqrt(dx * dx + dy * dy);
	if (len < 1)
		len = 1;
	double nx = dy / len, ny = -dx / len; /* a normal of A->B */
	if (ny > 0 || (ny == 0 && nx < 0))
		nx = -nx, ny = -ny;
	double lift = 90 + 45 * earlier;
	double ax = pa->x + nx * NODE_RADIUS, ay = pa->y + ny * NODE_RADIUS;
	double bx = pb->x + nx * NODE_RADIUS, by = pb->y + ny * NODE_RADIUS;
	double cx = (pa->x + pb->x) / 2 + nx * lift, cy = (pa->y + pb->y) / 2 + ny * lift;
	bool ebgp = d->conf[s->a].bgp_as != d->conf[s->b].bgp_as;
	strbuf_printf(out, "<g class=\"session\" id=\"session-%zu\" data-a=\"", index);
	svg_escape(out, d->t->nodes[s->a].name);
	strbuf_append(out, "\" data-b=\"");
	svg_escape(out, d->t->nodes[s->b].name);
	strbuf_append(out, "\" data-a-peer=\"");
	svg_escape(out, s->a_peer);
	strbuf_append(out, "\" data-b-peer=\"");
	svg_escape(out, s->b_peer);
	strbuf_printf(out,
		      "\">\n<path class=\"hit\" d=\"M %.1f %.1f Q %.1f %.1f %.1f %.1f\" fill=\"none\" stroke=\"transparent\" "
		      "stroke-width=\"14\"/>\n<path class=\"arc\" d=\"M %.1f %.1f Q %.1f %.1f %.1f %.1f\" fill=\"none\" "
		      "stroke=\"#888\" stroke-width=\"3\" stroke-dasharray=\"7 4\"/>\n",
		      ax, ay, cx, cy, bx, by, ax, ay, cx, cy, bx, by);
	char label[96];
	snprintf(label, sizeof(label), "%s %s-%s", ebgp ? "EBGP" : "IBGP", d->t->nodes[s->a].name, d->t->nodes[s->b].name);
	/* on the curve's middle (a quadratic Bezier at t = 1/2), just inside it */
	double mx = 0.25 * ax + 0.5 * cx + 0.25 * bx, my = 0.25 * ay + 0.5 * cy + 0.25 * by;
	svg_text(out, mx - nx * 8, my - ny * 8 + 4, "session-label", nx > 0.5 ? "start" : "middle", label);
	strbuf_append(out, "</g>\n");
}

static void draw_node(const struct drawing *d, size_t i, struct strbuf *out)
{
	const struct topo_node *n = &d->t->nodes[i];
	const struct place *p = &d->place[i];
	strbuf_printf(out, "<g class=\"node %s\" id=\"node-", n->kind == NODE_ROUTER ? "router" : "pc");
	svg_escape(out, n->name);
	strbuf_append(out, "\" data-node=\"");
	svg_escape(out, n->name);
	strbuf_append(out, "\">\n");
	char below[96] = "";
	if (n->kind == NODE_ROUTER) {
		strbuf_printf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" fill=\"#2c6fbb\" stroke=\"#163a63\" "
				   "stroke-width=\"2\"/>\n",
			      p->x, p->y, NODE_RADIUS);
		for (size_t k = 0; k < d->conf[i].iface_count; k++)
			if (d->conf[i].ifaces[k].name.is_loopback && d->conf[i].ifaces[k].address[0]) {
				char ifname[IFNAME_IOS_MAX];
				short_ifname(&d->conf[i].ifaces[k].name, ifname, sizeof(ifname));
				snprintf(below, sizeof(below), "%.20s %s", ifname, d->conf[i].ifaces[k].address);
				break;
			}
	} else {
		strbuf_printf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%d\" rx=\"6\" fill=\"#e8e8e8\" "
				   "stroke=\"#555\" stroke-width=\"2\"/>\n",
			      p->x - NODE_RADIUS, p->y - 22, 2 * NODE_RADIUS, 44);
		struct in_addr gateway = { htonl(n->pc_ip.gateway) };
		char text[INET_ADDRSTRLEN] = "";
		if (n->pc_ip.set && n->pc_ip.gateway)
			snprintf(below, sizeof(below), "gateway %s", inet_ntop(AF_INET, &gateway, text, sizeof(text)));
	}
	svg_text(out, p->x, p->y + 5, n->kind == NODE_ROUTER ? "router-name" : "pc-name", "middle", n->name);
	if (below[0])
		svg_text(out, p->x, p->y + NODE_RADIUS + 22, "node-detail", "middle", below);
	strbuf_append(out, "</g>\n");
}

static const char style[] =
	"text{font-family:DejaVu Sans,Arial,sans-serif;font-size:12px;fill:#222}"
	".title{font-size:18px;font-weight:bold}.as-label{font-size:15px;font-weight:bold;fill:#33557a}"
	".router-name{font-size:15px;font-weight:bold;fill:#fff}.pc-name{font-size:14px;font-weight:bold}"
	".ifname{font-weight:bold;font-size:11px}.address{font-size:11px;fill:#333}"
	".protocol{font-style:italic;fill:#8a4b00}.session-label{font-size:11px;fill:#555}"
	".node-detail{font-size:11px;fill:#333}";

bool topo_draw_svg(const struct topology *t, struct strbuf *out, char *err, size_t err_size)
{
	struct drawing *d = calloc(1, sizeof(*d));
	if (!d || !(d->conf = calloc(t->node_count ? t->node_count : 1, sizeof(*d->conf)))) {
		snprintf(err, err_size, "out of memory");
		free(d);
		return false;
	}
	d->t = t;
	for (size_t i = 0; i < t->node_count; i++) {
		if (t->nodes[i].kind == NODE_ROUTER && !router_conf_read(t->nodes[i].config, &d->conf[i], err, err_size)) {
			free(d->conf);
			free(d);
			return false;
		}
	}
	lay_out(d);
	find_sessions(d);
	/* room on the right for the arcs that bow right of a vertical pair */
	double width = 2 * MARGIN_X + (d->layers > 1 ? d->layers - 1 : 0) * LAYER_GAP + (d->rows > 1 ? 140 : 0);
	double height = ROW_TOP + (d->rows - 1) * ROW_GAP + 130;
	strbuf_printf(out,
		      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"topology\" width=\"%.0f\" height=\"%.0f\" "
		      "viewBox=\"0 0 %.0f %.0f\">\n<style>%s</style>\n<rect width=\"100%%\" height=\"100%%\" "
		      "fill=\"#ffffff\"/>\n",
		      width, height, width, height, style);
	char title[96];
	snprintf(title, sizeof(title), "lab %s", t->name);
	svg_text(out, 16, 28, "title", "start", title);
	draw_as_boxes(d, out);
	for (size_t i = 0; i < t->link_count; i++)
		draw_link(d, i, out);
	for (size_t i = 0; i < d->session_count; i++)
		draw_session(d, i, out);
	for (size_t i = 0; i < t->node_count; i++)
		draw_node(d, i, out);
	strbuf_append(out, "</svg>\n");
	free(d->conf);
	free(d);
	return true;
}
