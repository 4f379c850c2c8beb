/*
 * DOC: show ip ospf, show ip ospf interface, neighbor, database, route: IOS layout, and JSON.
 *
 * `show ip ospf interface` also lists the interfaces that have an IPv4 address but do not run
 * OSPF, each with the reason (no `network` statement covers its address, the link is down),
 * and `show ip ospf interface NAME` on such an interface says so in plain words: the seed's R1,
 * whose link to R2 is in no network statement, shows why no adjacency forms. Each OSPF
 * interface shows its counters of dropped packets by reason.
 */
#include "ospf/daemon_internal.h"

#include <stdio.h>
#include <string.h>

#include "kernel/kernel.h"
#include "lib/ifname.h"
#include "lib/json_writer.h"

static const char *dur(uint64_t ms, char *buf)
{
	uint64_t s = ms / 1000;
	snprintf(buf, 16, "%02u:%02u:%02u", (unsigned)(s / 3600 % 100), (unsigned)(s / 60 % 60), (unsigned)(s % 60));
	return buf;
}

static const char *if_type_name(enum ospf_if_type t)
{
	return t == OSPF_IF_P2P ? "POINT_TO_POINT" : t == OSPF_IF_LOOPBACK ? "LOOPBACK" : "BROADCAST";
}

static const char *role(const struct ospf_nbr_view *n)
{
	return n->is_dr ? "DR" : n->is_bdr ? "BDR" : "DROTHER";
}

static const char *link_name(const struct ospf_daemon *d, uint32_t ifindex)
{
	const struct kernel_link *l = kernel_ifaces_link(kernel_ifaces(d->kernel), ifindex);
	return l ? l->name : "?";
}

/* ---- show ip ospf ---- */

static void show_process(struct ospf_daemon *d, bool json, struct strbuf *out)
{
	struct ospf_stats st;
	ospf_get_stats(d->ospf, &st);
	char rid[16];
	ipv4_format(ospf_router_id(d->ospf), rid);
	uint64_t now = ospfd_now(d);
	if (json) {
		struct json_writer w;
		json_writer_init(&w, out);
		json_object_begin(&w);
		json_member_uint(&w, "process", d->process);
		json_member_string(&w, "router_id", rid);
		json_member_uint(&w, "uptime_ms", now - d->started_ms);
		json_member_uint(&w, "spf_runs", st.spf_runs);
		json_member_uint(&w, "lsa_count", ospf_lsa_count(d->ospf));
		json_member_uint(&w, "lsa_originated", st.lsa_originated);
		json_member_uint(&w, "lsa_received", st.lsa_received);
		json_member_uint(&w, "interfaces", ospf_interface_count(d->ospf));
		json_member_uint(&w, "neighbors", ospf_neighbor_count(d->ospf));
		json_member_array_begin(&w, "areas");
		for (size_t i = 0; i < st.area_count; i++)
			json_uint(&w, st.areas[i]);
		json_array_end(&w);
		json_object_end(&w);
		return;
	}
	char t[16];
	strbuf_printf(out, " Routing Process \"ospf %u\" with ID %s\n", d->process, rid);
	strbuf_printf(out, " Start time: %s ago\n", dur(now - d->started_ms, t));
	strbuf_append(out, " Supports only single TOS(TOS0) routes\n Supports opaque LSA: no\n");
	strbuf_printf(out, " Initial SPF schedule delay %u msecs\n", OSPF_SPF_DELAY_MS);
	strbuf_printf(out, " Minimum hold time between two consecutive SPFs %u msecs\n", OSPF_SPF_HOLD_MS);
	strbuf_printf(out, " Maximum wait time between two consecutive SPFs %u msecs\n", OSPF_SPF_HOLD_MAX_MS);
	strbuf_printf(out, " Minimum LSA interval 5 secs. Minimum LSA arrival 1 secs\n");
	strbuf_printf(out, " Number of areas in this router is %zu. %zu normal 0 stub 0 nssa\n", st.area_count,
		      st.area_count);
	for (size_t a = 0; a < st.area_count; a++) {
		size_t ifs = 0, lsas = 0;
		struct ospf_if_view v;
		for (size_t i = 0; ospf_interface_view(d->ospf, i, &v); i++)
			if (v.cfg.area == st.areas[a])
				ifs++;
		struct ospf_lsa_view l;
		for (size_t i = 0; ospf_lsa_view(d->ospf, i, now, &l); i++)
			if (!l.external && l.area == st.areas[a])
				lsas++;
		if (st.areas[a] == 0)
			strbuf_append(out, "    Area BACKBONE(0)\n");
		else
			strbuf_printf(out, "    Area %u\n", st.areas[a]);
		strbuf_printf(out, "        Number of interfaces in this area is %zu\n", ifs);
		strbuf_printf(out, "        SPF algorithm executed %llu times\n", (unsigned long long)st.spf_runs);
		strbuf_printf(out, "        Number of LSA %zu.\n", lsas);
	}
}

/* ---- show ip ospf interface ---- */

static void show_one_interface(struct ospf_daemon *d, const struct ospf_if_view *v, uint64_t now, struct strbuf *out)
{
	char a[16], b[16], t[16];
	const char *state = v->cfg.up ? "up" : "down";
	strbuf_printf(out, "%s is %s, line protocol is %s\n", v->cfg.name, state, state);
	strbuf_printf(out, "  Internet Address %s/%u, Area %u\n", ipv4_format(v->cfg.addr, a), v->cfg.prefixlen,
		      v->cfg.area);
	strbuf_printf(out, "  Process ID %u, Router ID %s, Network Type %s, Cost: %u\n", d->process,
		      ipv4_format(ospf_router_id(d->ospf), b), if_type_name(v->cfg.type), v->cfg.cost);
	if (v->cfg.type == OSPF_IF_LOOPBACK) {
		strbuf_append(out, "  Loopback interface is treated as a stub Host\n");
		return;
	}
	strbuf_printf(out, "  Transmit Delay is 1 sec, State %s, Priority %u\n", ospf_if_state_name(v->state),
		      v->cfg.priority);
	if (v->cfg.type == OSPF_IF_BROADCAST) {
		if (v->dr_addr)
			strbuf_printf(out, "  Designated Router (ID) %s, Interface address %s\n", ipv4_format(v->dr_id, a),
				      ipv4_format(v->dr_addr, b));
		else
			strbuf_append(out, "  No designated router on this network\n");
		if (v->bdr_addr)
			strbuf_printf(out, "  Backup Designated router (ID) %s, Interface address %s\n",
				      ipv4_format(v->bdr_id, a), ipv4_format(v->bdr_addr, b));
		else
			strbuf_append(out, "  No backup designated router on this network\n");
	}
	strbuf_printf(out, "  Timer intervals configured, Hello %u, Dead %u, Wait %u, Retransmit 5\n",
		      v->cfg.hello_interval, v->cfg.dead_interval, v->cfg.dead_interval);
	if (v->cfg.passive)
		strbuf_append(out, "    No Hellos (Passive interface)\n");
	else
		strbuf_printf(out, "    Hello due in %s\n", dur(v->hello_due_ms > now ? v->hello_due_ms - now : 0, t));
	if (v->state == OSPF_IFS_WAITING)
		strbuf_printf(out, "    Wait timer (electing DR/BDR) due in %s\n",
			      dur(v->wait_due_ms > now ? v->wait_due_ms - now : 0, t));
	const char *auth = v->cfg.auth.type == OSPF_AUTH_CRYPTO ? "Message digest authentication enabled"
			   : v->cfg.auth.type == OSPF_AUTH_SIMPLE ? "Simple password authentication enabled"
								  : NULL;
	if (auth)
		strbuf_printf(out, "  %s\n", auth);
	strbuf_printf(out, "  Neighbor Count is %zu, Adjacent neighbor count is %zu\n", v->neighbor_count,
		      v->adjacent_count);
	struct ospf_nbr_view n;
	for (size_t i = 0; ospf_neighbor_view(d->ospf, i, now, &n); i++) {
		if (n.ifindex != v->cfg.ifindex || n.state != OSPF_NBR_FULL)
			continue;
		strbuf_printf(out, "    Adjacent with neighbor %s%s\n", ipv4_format(n.router_id, a),
			      n.is_dr ? "  (Designated Router)" : n.is_bdr ? "  (Backup Designated Router)" : "");
	}
	uint64_t total = 0;
	for (int k = 0; k < OSPF_DROP_COUNT; k++)
		if (k != OSPF_DROP_OWN)
			total += v->drops[k];
	strbuf_printf(out, "  Packets received: hello %llu, DD %llu, LSR %llu, LSU %llu, LSAck %llu; dropped %llu\n",
		      (unsigned long long)v->rx[1], (unsigned long long)v->rx[2], (unsigned long long)v->rx[3],
		      (unsigned long long)v->rx[4], (unsigned long long)v->rx[5], (unsigned long long)total);
	for (int k = 0; k < OSPF_DROP_COUNT; k++)
		if (v->drops[k] && k != OSPF_DROP_OWN)
			strbuf_printf(out, "    Dropped (%s): %llu\n", ospf_drop_name((enum ospf_drop)k),
				      (unsigned long long)v->drops[k]);
}

static void json_interface(struct ospf_daemon *d, const struct ospf_if_view *v, uint64_t now, struct json_writer *w)
{
	char a[16];
	json_object_begin(w);
	json_member_string(w, "name", v->cfg.name);
	json_member_string(w, "linux_name", link_name(d, v->cfg.ifindex));
	json_key(w, "address");
	json_stringf(w, "%s/%u", ipv4_format(v->cfg.addr, a), v->cfg.prefixlen);
	json_member_uint(w, "area", v->cfg.area);
	json_member_bool(w, "up", v->cfg.up);
	json_member_bool(w, "passive", v->cfg.passive);
	json_member_string(w, "network_type", if_type_name(v->cfg.type));
	json_member_string(w, "state", ospf_if_state_name(v->state));
	json_member_uint(w, "cost", v->cfg.cost);
	json_member_uint(w, "priority", v->cfg.priority);
	json_member_uint(w, "hello_interval", v->cfg.hello_interval);
	json_member_uint(w, "dead_interval", v->cfg.dead_interval);
	json_member_string(w, "dr", ipv4_format(v->dr_id, a));
	json_member_string(w, "dr_address", ipv4_format(v->dr_addr, a));
	json_member_string(w, "bdr", ipv4_format(v->bdr_id, a));
	json_member_string(w, "bdr_address", ipv4_format(v->bdr_addr, a));
	json_member_uint(w, "neighbors", v->neighbor_count);
	json_member_uint(w, "adjacent", v->adjacent_count);
	json_member_uint(w, "auth", v->cfg.auth.type);
	json_member_object_begin(w, "rx");
	static const char *const packet_names[] = { NULL, "hello", "dd", "lsr", "lsu", "lsack" };
	for (int type = 1; type <= 5; type++)
		json_member_uint(w, packet_names[type], v->rx[type]);
	json_object_end(w);
	json_member_object_begin(w, "drops");
	for (int k = 0; k < OSPF_DROP_COUNT; k++)
		if (v->drops[k])
			json_member_uint(w, ospf_drop_name((enum ospf_drop)k), v->drops[k]);
	json_object_end(w);
	/* how long ago Waiting ended (§9.3), and by which event: where a lab's first 40 s go */
	if (v->wait_ended_ms) {
		json_member_uint(w, "wait_ended_ms", now > v->wait_ended_ms ? now - v->wait_ended_ms : 0);
		json_member_string(w, "wait_ended_by", v->wait_backup_seen ? "BackupSeen" : "WaitTimer");
	} else {
		json_member_null(w, "wait_ended_ms");
		json_member_null(w, "wait_ended_by");
	}
	if (v->state == OSPF_IFS_WAITING)
		json_member_uint(w, "wait_due_ms", v->wait_due_ms > now ? v->wait_due_ms - now : 0);
	json_object_end(w);
}

/* Why an interface with an IPv4 address does not run OSPF, in plain words. */
static void not_enabled_reason(struct ospf_daemon *d, const struct kernel_link *l, uint32_t addr, char *buf,
			       size_t len)
{
	const struct config_ospf *o = &d->config->ospf;
	char a[16];
	if (!config_ospf_match(o, addr, NULL)) {
		size_t used = (size_t)snprintf(buf, len, "OSPF not enabled on this interface: no network statement of "
					       "process %u covers its address %s (",
					       o->process, ipv4_format(addr, a));
		for (size_t i = 0; i < o->network_count && used < len; i++) {
			char n[16], w[16];
			used += (size_t)snprintf(buf + used, len - used, "%snetwork %s %s area %u", i ? ", " : "",
						 ipv4_format(o->networks[i].addr, n), ipv4_format(o->networks[i].wildcard, w),
						 o->networks[i].area);
		}
		if (used < len)
			snprintf(buf + used, len - used, "%s)", o->network_count ? "" : "no network statements");
		return;
	}
	if (!(l->admin_up && l->oper_up))
		snprintf(buf, len, "OSPF not running on this interface: the link is down");
	else
		snprintf(buf, len, "OSPF not running on this interface: another address of the link runs OSPF");
}

static void show_interfaces(struct ospf_daemon *d, const char *only, bool json, struct strbuf *out)
{
	uint64_t now = ospfd_now(d);
	struct ifname want;
	bool filter = only && ifname_parse(only, &want);
	bool found = false;
	struct json_writer w;
	json_writer_init(&w, out);
	if (json) {
		json_object_begin(&w);
		json_member_array_begin(&w, "interfaces");
	}
	struct ospf_if_view v;
	for (size_t i = 0; ospf_interface_view(d->ospf, i, &v); i++) {
		if (filter && strcmp(v.cfg.name, want.ios_name) != 0 && strcmp(link_name(d, v.cfg.ifindex), want.linux_name) != 0 &&
		    strcmp(v.cfg.name, only) != 0)
			continue;
		found = true;
		if (json)
			json_interface(d, &v, now, &w);
		else
			show_one_interface(d, &v, now, out);
	}
	/* interfaces with an address that are not in OSPF, and why */
	if (json) {
		json_array_end(&w);
		json_member_array_begin(&w, "not_enabled");
	}
	const struct kernel_ifaces *t = kernel_ifaces(d->kernel);
	for (size_t i = 0; i < kernel_ifaces_link_count(t); i++) {
		const struct kernel_link *l = kernel_ifaces_link_at(t, i);
		size_t cursor = 0;
		const struct kernel_addr *a;
		while ((a = kernel_ifaces_addr_next(t, l->ifindex, &cursor))) {
			if (!ip_addr_is_v4(&a->addr))
				continue;
			uint32_t addr = ip_addr_v4(&a->addr);
			if ((addr >> 24) == 127)
				continue;
			bool in = false;
			for (size_t k = 0; ospf_interface_view(d->ospf, k, &v); k++)
				if (v.cfg.ifindex == l->ifindex && (l->loopback ? v.cfg.addr == addr : true))
					in = true;
			if (in)
				continue;
			char name[64], abuf[16], why[1024];
			ospfd_ifname(d, l->name, addr, name, sizeof(name));
			if (filter && strcmp(name, want.ios_name) != 0 && strcmp(l->name, want.linux_name) != 0 &&
			    strcmp(name, only) != 0)
				continue;
			found = true;
			not_enabled_reason(d, l, addr, why, sizeof(why));
			if (json) {
				json_object_begin(&w);
				json_member_string(&w, "name", name);
				json_member_string(&w, "linux_name", l->name);
				json_key(&w, "address");
				json_stringf(&w, "%s/%u", ipv4_format(addr, abuf), a->prefixlen);
				json_member_string(&w, "reason", why);
				json_object_end(&w);
			} else {
				const char *st = l->admin_up && l->oper_up ? "up" : "down";
				strbuf_printf(out, "%s is %s, line protocol is %s\n  Internet Address %s/%u\n  %s\n", name, st,
					      st, ipv4_format(addr, abuf), a->prefixlen, why);
			}
		}
	}
	if (json) {
		json_close_all(&w);
		return;
	}
	if (filter && !found)
		strbuf_printf(out, "%% OSPF: no interface %s with an IPv4 address\n", only);
}

/* ---- show ip ospf neighbor ---- */

static void show_neighbors(struct ospf_daemon *d, bool detail, bool json, struct strbuf *out)
{
	uint64_t now = ospfd_now(d);
	struct ospf_nbr_view n;
	char a[16], b[16], c[16], t[16];
	if (json) {
		struct json_writer w;
		json_writer_init(&w, out);
		json_object_begin(&w);
		json_member_array_begin(&w, "neighbors");
		for (size_t i = 0; ospf_neighbor_view(d->ospf, i, now, &n); i++) {
			json_object_begin(&w);
			json_member_string(&w, "router_id", ipv4_format(n.router_id, a));
			json_member_uint(&w, "priority", n.priority);
			json_member_string(&w, "state", ospf_nbr_state_name(n.state));
			json_member_string(&w, "role", role(&n));
			json_member_uint(&w, "dead_ms", n.dead_ms);
			json_member_string(&w, "address", ipv4_format(n.addr, b));
			json_member_string(&w, "interface", n.ifname);
			json_member_string(&w, "dr", ipv4_format(n.dr, a));
			json_member_string(&w, "bdr", ipv4_format(n.bdr, c));
			json_member_uint(&w, "up_ms", n.up_ms);
			json_member_uint(&w, "state_changes", n.state_changes);
			json_member_uint(&w, "requests", n.request_count);
			json_member_uint(&w, "retransmissions", n.retransmit_count);
			json_object_end(&w);
		}
		json_close_all(&w);
		return;
	}
	if (!detail)
		strbuf_append(out, "\nNeighbor ID     Pri   State           Dead Time   Address         Interface\n");
	for (size_t i = 0; ospf_neighbor_view(d->ospf, i, now, &n); i++) {
		char state[32];
		bool p2p = !n.is_dr && !n.is_bdr && n.dr == 0 && n.bdr == 0;
		snprintf(state, sizeof(state), "%s/%s", ospf_nbr_state_name(n.state), p2p ? " -" : role(&n));
		if (p2p)
			snprintf(state, sizeof(state), "%s/  -", ospf_nbr_state_name(n.state));
		if (!detail) {
			strbuf_printf(out, "%-15s %3u   %-15s %-11s %-15s %s\n", ipv4_format(n.router_id, a), n.priority, state,
				      dur(n.dead_ms, t), ipv4_format(n.addr, b), n.ifname);
			continue;
		}
		strbuf_printf(out, " Neighbor %s, interface address %s\n", ipv4_format(n.router_id, a),
			      ipv4_format(n.addr, b));
		strbuf_printf(out, "    In the area via interface %s\n", n.ifname);
		strbuf_printf(out, "    Neighbor priority is %u, State is %s, %u state changes\n", n.priority,
			      ospf_nbr_state_name(n.state), n.state_changes);
		strbuf_printf(out, "    DR is %s BDR is %s\n", ipv4_format(n.dr, a), ipv4_format(n.bdr, c));
		strbuf_printf(out, "    Dead timer due in %s\n", dur(n.dead_ms, t));
		strbuf_printf(out, "    Neighbor is up for %s\n", dur(n.up_ms, t));
		strbuf_printf(out, "    Link state request list %zu, retransmission list %zu\n", n.request_count,
			      n.retransmit_count);
	}
}

/* ---- show ip ospf database ---- */

static size_t router_links(const struct ospf_lsa_view *l)
{
	struct ospf_router_lsa rl;
	return ospf_router_lsa_decode(l->data, l->len, &rl) == OSPF_WIRE_OK ? rl.link_count : 0;
}

/* show ip ospf database (router|network|summary|asbr-summary|external) [LSID]: which ones */
struct db_filter {
	uint8_t type;    /* 0: all */
	bool has_id;
	uint32_t id;
};

static bool db_match(const struct db_filter *f, const struct ospf_lsa_view *l)
{
	return (!f->type || l->header.type == f->type) && (!f->has_id || l->header.id == f->id);
}

static void show_database(struct ospf_daemon *d, const struct db_filter *f, bool json, struct strbuf *out)
{
	uint64_t now = ospfd_now(d);
	char a[16], b[16];
	struct ospf_lsa_view l;
	if (json) {
		struct json_writer w;
		json_writer_init(&w, out);
		json_object_begin(&w);
		json_member_string(&w, "router_id", ipv4_format(ospf_router_id(d->ospf), a));
		json_member_uint(&w, "process", d->process);
		json_member_array_begin(&w, "lsas");
		for (size_t i = 0; ospf_lsa_view(d->ospf, i, now, &l); i++) {
			if (!db_match(f, &l))
				continue;
			json_object_begin(&w);
			json_member_uint(&w, "area", l.area);
			json_member_uint(&w, "type", l.header.type);
			json_member_string(&w, "link_id", ipv4_format(l.header.id, a));
			json_member_string(&w, "adv_router", ipv4_format(l.header.adv_router, b));
			json_member_uint(&w, "age", l.header.age);
			json_key(&w, "seq");
			json_stringf(&w, "0x%08x", (uint32_t)l.header.seq);
			json_key(&w, "checksum");
			json_stringf(&w, "0x%04x", l.header.checksum);
			json_member_uint(&w, "length", l.header.length);
			json_member_bool(&w, "self", l.self);
			json_object_end(&w);
		}
		json_close_all(&w);
		return;
	}
	strbuf_printf(out, "\n            OSPF Router with ID (%s) (Process ID %u)\n", ipv4_format(ospf_router_id(d->ospf), a),
		      d->process);
	struct ospf_stats st;
	ospf_get_stats(d->ospf, &st);
	static const char *const titles[] = { "", "Router Link States", "Net Link States", "Summary Net Link States",
					      "Summary ASB Link States" };
	for (size_t ai = 0; ai < st.area_count; ai++) {
		for (uint8_t type = 1; type <= 4; type++) {
			bool header = false;
			for (size_t i = 0; ospf_lsa_view(d->ospf, i, now, &l); i++) {
				if (l.external || l.area != st.areas[ai] || l.header.type != type || !db_match(f, &l))
					continue;
				if (!header) {
					strbuf_printf(out, "\n                %s (Area %u)\n\n", titles[type], st.areas[ai]);
					strbuf_printf(out, "Link ID         ADV Router      Age         Seq#       Checksum%s\n",
						      type == 1 ? " Link count" : "");
					header = true;
				}
				strbuf_printf(out, "%-15s %-15s %-11u 0x%08X 0x%06X", ipv4_format(l.header.id, a),
					      ipv4_format(l.header.adv_router, b), l.header.age, (uint32_t)l.header.seq,
					      l.header.checksum);
				if (type == 1)
					strbuf_printf(out, " %zu", router_links(&l));
				strbuf_append(out, "\n");
			}
		}
	}
	bool header = false;
	for (size_t i = 0; ospf_lsa_view(d->ospf, i, now, &l); i++) {
		if (!l.external || !db_match(f, &l))
			continue;
		if (!header) {
			strbuf_append(out, "\n                Type-5 AS External Link States\n\n");
			strbuf_append(out, "Link ID         ADV Router      Age         Seq#       Checksum Tag\n");
			header = true;
		}
		struct ospf_external_lsa x = { 0 };
		ospf_external_lsa_decode(l.data, l.len, &x);
		strbuf_printf(out, "%-15s %-15s %-11u 0x%08X 0x%06X %u\n", ipv4_format(l.header.id, a),
			      ipv4_format(l.header.adv_router, b), l.header.age, (uint32_t)l.header.seq, l.header.checksum,
			      x.tag);
	}
}

/* ---- show ip ospf route ---- */

static void show_routes(struct ospf_daemon *d, bool json, struct strbuf *out)
{
	static const char *const types[] = { "O", "O IA", "O E1", "O E2" };
	uint32_t prefix;
	uint8_t len;
	struct ospf_route_info info;
	char a[16], b[16];
	struct json_writer w;
	json_writer_init(&w, out);
	if (json) {
		json_object_begin(&w);
		json_member_array_begin(&w, "routes");
	}
	for (size_t i = 0; ospf_route_view(d->ospf, i, &prefix, &len, &info); i++) {
		if (json) {
			json_object_begin(&w);
			json_key(&w, "prefix");
			json_stringf(&w, "%s/%u", ipv4_format(prefix, a), len);
			json_member_string(&w, "type", types[info.type]);
			json_member_uint(&w, "cost", info.cost);
			json_member_bool(&w, "connected", info.connected);
			json_member_array_begin(&w, "nexthops");
			for (uint8_t k = 0; k < info.nexthop_count; k++) {
				json_object_begin(&w);
				json_member_string(&w, "gateway", ipv4_format(info.nexthops[k].gateway, b));
				json_member_string(&w, "interface", link_name(d, info.nexthops[k].ifindex));
				json_object_end(&w);
			}
			json_array_end(&w);
			json_object_end(&w);
			continue;
		}
		strbuf_printf(out, "%-5s %s/%u [%u]", types[info.type], ipv4_format(prefix, a), len, info.cost);
		if (info.connected) {
			strbuf_append(out, " is directly connected\n");
			continue;
		}
		for (uint8_t k = 0; k < info.nexthop_count; k++)
			strbuf_printf(out, "%s via %s, %s\n", k ? "                     " : "",
				      ipv4_format(info.nexthops[k].gateway, b), link_name(d, info.nexthops[k].ifindex));
	}
	if (json)
		json_close_all(&w);
}

void ospfd_show(struct ospf_daemon *d, const struct cli_parse *p, struct strbuf *out)
{
	bool json = cli_has(p, "json");
	if (!ospfd_running(d)) {
		if (json) {
			struct json_writer w;
			json_writer_init(&w, out);
			json_object_begin(&w);
			json_member_bool(&w, "running", false);
			json_object_end(&w);
		} else {
			strbuf_append(out, "%OSPF: OSPF is not running (no `router ospf` in the configuration)\n");
		}
		return;
	}
	switch (p->cmd) {
	case CLI_CMD_SHOW_OSPF:
		show_process(d, json, out);
		break;
	case CLI_CMD_SHOW_OSPF_INTERFACE: {
		const struct cli_value *name = cli_arg(p, "IFNAME");
		show_interfaces(d, name ? name->text : NULL, json, out);
		break;
	}
	case CLI_CMD_SHOW_OSPF_NEIGHBOR:
		show_neighbors(d, cli_has(p, "detail"), json, out);
		break;
	case CLI_CMD_SHOW_OSPF_DATABASE: {
		struct db_filter f = { 0 };
		f.type = cli_has(p, "router") ? OSPF_LSA_ROUTER : cli_has(p, "network") ? OSPF_LSA_NETWORK
		       : cli_has(p, "summary") ? OSPF_LSA_SUMMARY_NET : cli_has(p, "asbr-summary") ? OSPF_LSA_SUMMARY_ASBR
		       : cli_has(p, "external") ? OSPF_LSA_EXTERNAL : 0;
		const struct cli_value *id = cli_arg(p, "LSID");
		if (id) {
			f.has_id = true;
			f.id = ip_addr_v4(&id->addr);
		}
		show_database(d, &f, json, out);
		break;
	}
	case CLI_CMD_SHOW_OSPF_ROUTE:
		show_routes(d, json, out);
		break;
	default:
		break;
	}
}
