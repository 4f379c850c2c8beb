/*
 * DOC: the control socket server and the dispatch of EXEC commands (see ctl.h).
 *
 * Every client is one shell session. A request is read whole (bounded by CTL_REQUEST_MAX),
 * run through the grammar, and answered in one frame; a table view (the BGP table views,
 * `show ip route`) is answered in chunks instead (ctl_proto.h), a slice of the table per
 * loop iteration, so that a full table neither sits in memory as text nor stalls the loop.
 * A client that sends an over-long line is disconnected; nothing a client sends can affect
 * another client or the routing.
 */
#include "ctl/ctl.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "config/grammar.h"
#include "ctl/ctl_config.h"
#include "ctl/ctl_proto.h"
#include "ctl/ctl_session.h"
#include "ctl/ctl_view.h"
#include "ctl/show_bgp.h"
#include "ctl/show_interfaces.h"
#include "lib/json_writer.h"
#include "lib/memory.h"
#include "lib/pool.h"
#include "lib/log.h"
#include "rip/rip_io.h"

struct ctl_server {
	uv_loop_t *loop;
	struct ctl_daemon *daemon;
	uv_pipe_t pipe;
	bool read_only;
	char path[108];
	unsigned clients;    /* connections not yet closed: each points here */
	bool pipe_closed;    /* the listener's close callback ran */
};

struct ctl_stream;

struct ctl_client {
	struct ctl_server *server;
	uv_pipe_t pipe;
	uv_idle_t idle;             /* the next slice of a stream that produced no output yet */
	uv_timer_t wait;            /* the same, for a view that waits (ctl_view_ops.wait_ms) */
	int open_handles;           /* pipe, idle and wait: the client is freed when all closed */
	bool closing;
	bool read_stopped;          /* requests wait for a stream to end, the buffer is full */
	bool eof;                   /* the client closed its side during a stream */
	struct ctl_stream *stream;  /* the reply being streamed; requests wait meanwhile */
	int mode;
	struct config_context context; /* the interface of (config-if)# */
	struct exec_session session;   /* terminal length, history */
	char request[CTL_REQUEST_MAX + 1];
	size_t request_len;
};

/* For `show ip bgp neighbors`: is there a route to a neighbour's address? */
static bool peer_address_resolves(void *core, const struct ip_addr *addr)
{
	uint32_t metric;
	return !core || core_resolve(core, addr, &metric);
}

static bool no_bgp(struct ctl_daemon *daemon, struct strbuf *out)
{
	if (daemon->speaker)
		return false;
	strbuf_append(out, "% BGP not active\n");
	return true;
}

static bool read_file_into(const char *path, struct strbuf *out)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_appendn(out, buf, n);
	fclose(f);
	return true;
}

/* write memory: temporary file, fsync, rename, so a crash never leaves half a config. */
static bool write_config(struct ctl_daemon *daemon, struct strbuf *out)
{
	if (!daemon->config_path) {
		strbuf_append(out, "% No configuration file to write to\n");
		return false;
	}
	struct strbuf text = STRBUF_INIT;
	config_print(daemon->running, &text);
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.tmp", daemon->config_path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	bool ok = fd >= 0;
	if (ok) {
		size_t done = 0;
		while (ok && done < text.len) {
			ssize_t n = write(fd, text.data + done, text.len - done);
			ok = n > 0;
			if (ok)
				done += (size_t)n;
		}
		ok = ok && fsync(fd) == 0;
		ok = close(fd) == 0 && ok;
		ok = ok && rename(tmp, daemon->config_path) == 0;
	}
	if (!ok) {
		strbuf_printf(out, "%% Cannot write %s: %s\n", daemon->config_path, strerror(errno));
		unlink(tmp);
	} else {
		strbuf_append(out, "Building configuration...\n[OK]\n");
	}
	strbuf_free(&text);
	return ok;
}

static bool clear_bgp(struct ctl_daemon *daemon, const struct cli_parse *p, struct strbuf *out)
{
	if (no_bgp(daemon, out))
		return false;
	const struct cli_value *addr = cli_arg(p, "ADDR");
	bool soft = cli_has(p, "soft"), in = cli_has(p, "in"), only_out = cli_has(p, "out");
	bool any = false;
	for (struct bgp_peer *peer = bgp_speaker_peers(daemon->speaker); peer; peer = peer->next) {
		if (peer->removed || (addr && !ip_addr_equal(&addr->addr, &peer->config.addr)))
			continue;
		any = true;
		if (!soft) {
			bgp_peer_reset(peer);
			continue;
		}
		if (in || !only_out) {
			if (!bgp_peer_soft_in(peer) && addr) {
				strbuf_append(out, "% Route refresh not possible: session not Established "
						   "or the peer did not offer the capability\n");
				return false;
			}
		}
		if (only_out || !in)
			bgp_peer_resend(peer); /* soft out: the table goes out again */
	}
	if (addr && !any) {
		strbuf_append(out, "% No such neighbor\n");
		return false;
	}
	return true;
}

/* A table view: opened for the socket to stream when it can take a stream (stream != NULL),
 * else made whole into out. */
static void table_view(struct ctl_daemon *daemon, uint8_t family, const struct bgp_peer *from,
		       const struct bgp_peer *to, bool received, bool json, struct strbuf *out,
		       struct ctl_view *stream)
{
	if (stream) {
		stream->ops = &ctl_bgp_table_ops;
		stream->view = show_bgp_table_open(daemon->speaker, family, from, to, received, json);
		if (stream->view)
			return;
	}
	show_bgp_table(daemon->speaker, family, from, to, received, json, out);
}

/* show ip bgp A.B.C.D: the longest prefix holding the address, as IOS does; with a mask or
 * a length, exactly that prefix; with nothing, the whole table. */
static bool show_bgp_lookup(struct ctl_daemon *daemon, const struct cli_parse *p, bool json, struct strbuf *out,
			    struct ctl_view *stream)
{
	const struct cli_value *network = cli_arg(p, "NETWORK"), *mask = cli_arg(p, "MASK"),
			       *prefix = cli_arg(p, "PREFIX");
	if (!network && !prefix) {
		table_view(daemon, AF_INET, NULL, NULL, false, json, out, stream);
		return true;
	}
	const struct cli_value *v = prefix ? prefix : network;
	int exact = -1;
	if (prefix)
		exact = prefix->prefix_len;
	if (mask) {
		uint32_t m = ip_addr_v4(&mask->addr);
		exact = 0;
		while (exact < 32 && (m & (0x80000000u >> exact)))
			exact++;
	}
	for (int len = exact >= 0 ? exact : 32; len >= (exact >= 0 ? exact : 0); len--) {
		struct prefix n = prefix_make(&v->addr, (uint8_t)len);
		if (show_bgp_prefix(daemon->speaker, &n, json, out))
			return true;
	}
	strbuf_append(out, "% Network not in table\n");
	return false;
}

/* Pools that share a name (BGP's attribute sets have a pool per size class) are one line
 * and one JSON key: true when pool is the first of its name, with the objects and bytes of
 * every pool of that name; false for the others, which the first one counted. */
static bool pool_named_first(const struct pool *pool, size_t *objects, size_t *bytes)
{
	for (const struct pool *earlier = pool_all(); earlier != pool; earlier = earlier->next)
		if (!strcmp(earlier->name, pool->name))
			return false;
	*objects = *bytes = 0;
	for (const struct pool *same = pool; same; same = same->next) {
		if (strcmp(same->name, pool->name))
			continue;
		*objects += same->in_use;
		*bytes += pool_bytes(same);
	}
	return true;
}

static void show_memory(struct ctl_daemon *daemon, bool json, struct strbuf *out)
{
	/* Pools and owners say where memory goes (the BIRD habit): each module's containers and
	 * allocations count against its owner (lib/memory.h); the process's own numbers frame
	 * them. The pools stay listed on their own: a pool's objects are what tests count. */
	long rss_kb = 0, hwm_kb = 0;
	FILE *f = fopen("/proc/self/status", "r");
	if (f) {
		char line[256];
		while (fgets(line, sizeof(line), f)) {
			sscanf(line, "VmRSS: %ld", &rss_kb);
			sscanf(line, "VmHWM: %ld", &hwm_kb);
		}
		fclose(f);
	}
	struct bgp_memory_stats stats = { 0 };
	if (daemon->speaker)
		bgp_speaker_memory_stats(daemon->speaker, &stats);
	size_t queued_peak = stats.output_queued_peak;
	if (json) {
		struct json_writer w;
		json_writer_init(&w, out);
		json_object_begin(&w);
		json_member_int(&w, "rssKb", rss_kb);
		json_member_int(&w, "peakRssKb", hwm_kb);
		json_member_object_begin(&w, "bgp");
		json_member_uint(&w, "routes", stats.routes);
		json_member_uint(&w, "paths", stats.paths);
		json_member_uint(&w, "attributeSets", stats.attribute_sets);
		json_member_uint(&w, "bytes", stats.bytes);
		json_member_uint(&w, "outputQueuedPeak", queued_peak);
		json_object_end(&w);
		json_member_object_begin(&w, "pools");
		for (struct pool *pool = pool_all(); pool; pool = pool->next) {
			size_t objects, bytes;
			if (!pool_named_first(pool, &objects, &bytes))
				continue;
			json_member_object_begin(&w, pool->name);
			json_member_uint(&w, "objects", objects);
			json_member_uint(&w, "bytes", bytes);
			json_object_end(&w);
		}
		json_object_end(&w);
		json_member_object_begin(&w, "owners");
		for (int owner = 0; owner < MEMORY_OWNER_COUNT; owner++) {
			struct memory_usage u = memory_usage((enum memory_owner)owner);
			json_member_object_begin(&w, memory_owner_name((enum memory_owner)owner));
			json_member_uint(&w, "bytes", u.bytes);
			json_member_uint(&w, "allocations", u.allocations);
			json_member_uint(&w, "peakBytes", u.peak_bytes);
			json_object_end(&w);
		}
		json_object_end(&w);
		json_object_end(&w);
		return;
	}
	strbuf_printf(out, "Process: %ld kB resident, %ld kB at the peak\n", rss_kb, hwm_kb);
	strbuf_printf(out, "BGP: %zu routes, %zu paths, %zu attribute sets, %zu bytes\n", stats.routes, stats.paths,
		      stats.attribute_sets, stats.bytes);
	strbuf_printf(out, "BGP output queues: at most %zu bytes waited to be sent (all peers)\n", queued_peak);
	strbuf_printf(out, "%-24s %12s %12s\n", "Pool", "Objects", "Bytes");
	for (struct pool *pool = pool_all(); pool; pool = pool->next) {
		size_t objects, bytes;
		if (pool_named_first(pool, &objects, &bytes))
			strbuf_printf(out, "%-24s %12zu %12zu\n", pool->name, objects, bytes);
	}
	strbuf_printf(out, "%-24s %12s %12s %12s\n", "Owner", "Allocations", "Bytes", "Peak bytes");
	for (int owner = 0; owner < MEMORY_OWNER_COUNT; owner++) {
		struct memory_usage u = memory_usage((enum memory_owner)owner);
		strbuf_printf(out, "%-24s %12zu %12zu %12zu\n", memory_owner_name((enum memory_owner)owner), u.allocations,
			      u.bytes, u.peak_bytes);
	}
}

/* show ip protocols [json]: the RIP section from the running core, the BGP one from the
 * configuration (IOS layout). */
/* The OSPF section of `show ip protocols`, from the running configuration (the live state
 * is `show ip ospf`). */
static void show_protocols_ospf_json(const struct config_ospf *o, struct json_writer *w)
{
	char addr[16];
	json_object_begin(w);
	json_member_uint(w, "process", o->process);
	json_member_uint(w, "distance", 110);
	json_member_array_begin(w, "networks");
	for (size_t i = 0; i < o->network_count; i++) {
		const struct config_ospf_network *n = &o->networks[i];
		json_object_begin(w);
		json_member_string(w, "address", ipv4_format(n->addr, addr));
		json_member_string(w, "wildcard", ipv4_format(n->wildcard, addr));
		json_member_string(w, "area", ipv4_format(n->area, addr));
		json_object_end(w);
	}
	json_array_end(w);
	json_object_end(w);
}

static void show_protocols_ospf(const struct config_ospf *o, struct strbuf *out)
{
	char addr[16], wildcard[16], area[16];
	strbuf_printf(out, "Routing Protocol is \"ospf %u\"\n", o->process);
	if (o->has_router_id)
		strbuf_printf(out, "  Router ID %s\n", ipv4_format(o->router_id, addr));
	strbuf_append(out, "  Routing for Networks:\n");
	for (size_t i = 0; i < o->network_count; i++) {
		const struct config_ospf_network *n = &o->networks[i];
		if (n->area_dotted)
			ipv4_format(n->area, area);
		else
			snprintf(area, sizeof(area), "%u", n->area);
		strbuf_printf(out, "    %s %s area %s\n", ipv4_format(n->addr, addr), ipv4_format(n->wildcard, wildcard),
			      area);
	}
	if (o->passive_default)
		strbuf_append(out, "  Passive Interface(s):\n    default\n");
	else if (o->passive_count) {
		strbuf_append(out, "  Passive Interface(s):\n");
		for (size_t i = 0; i < o->passive_count; i++)
			strbuf_printf(out, "    %s\n", o->passive[i]);
	}
	strbuf_append(out, "  Distance: (default is 110)\n\n");
}

static void show_protocols_json(struct ctl_daemon *daemon, struct strbuf *out)
{
	const struct config *c = daemon->running;
	char a[IP_ADDR_STRLEN];
	struct json_writer w;
	json_writer_init(&w, out);
	json_object_begin(&w);
	json_key(&w, "ospf");
	if (c->ospf.enabled)
		show_protocols_ospf_json(&c->ospf, &w);
	else
		json_null(&w);
	json_key(&w, "rip");
	if (daemon->rip)
		rip_show_protocols_json(rip_io_core(daemon->rip), rip_io_now(daemon->rip), &w);
	else
		json_null(&w);
	json_key(&w, "bgp");
	if (c->bgp.enabled) {
		json_object_begin(&w);
		json_member_uint(&w, "asn", c->bgp.asn);
		json_member_object_begin(&w, "distance");
		json_member_uint(&w, "external", 20);
		json_member_uint(&w, "internal", 200);
		json_object_end(&w);
		json_member_array_begin(&w, "neighbors");
		for (size_t i = 0; i < c->bgp.neighbor_count; i++)
			json_string(&w, ip_addr_format(&c->bgp.neighbors[i].addr, a));
		json_array_end(&w);
		json_object_end(&w);
	} else {
		json_null(&w);
	}
	json_object_end(&w);
}

static void show_protocols(struct ctl_daemon *daemon, bool json, struct strbuf *out)
{
	const struct config *c = daemon->running;
	char a[IP_ADDR_STRLEN];
	if (json) {
		show_protocols_json(daemon, out);
		return;
	}
	if (c->ospf.enabled)
		show_protocols_ospf(&c->ospf, out);
	if (daemon->rip) {
		struct rip_io *io = daemon->rip;
		rip_show_protocols(rip_io_core(io), false, rip_io_now(io), out);
		strbuf_append(out, "\n");
	}
	if (c->bgp.enabled) {
		strbuf_printf(out, "Routing Protocol is \"bgp %u\"\n", c->bgp.asn);
		strbuf_append(out, "  IGP synchronization is disabled\n  Automatic route summarization is disabled\n");
		if (c->bgp.neighbor_count) {
			strbuf_append(out, "  Neighbor(s):\n    Address\n");
			for (size_t i = 0; i < c->bgp.neighbor_count; i++)
				strbuf_printf(out, "    %s\n", ip_addr_format(&c->bgp.neighbors[i].addr, a));
		}
		strbuf_append(out, "  Distance: external 20 internal 200 local 200\n");
	}
}

/* show ip route [ADDR]: the whole table is a view to stream (when the socket can); a lookup
 * is a few prefixes, answered whole. */
/* `show ip route` and its parts: a protocol's routes, a prefix's routing entry, the prefixes
 * within one (longer-prefixes). False when the address or prefix is not in the table. */
static bool show_routes(struct ctl_daemon *daemon, const struct cli_parse *p, bool json, struct strbuf *out,
			struct ctl_view *stream)
{
	static const struct { const char *keyword; unsigned protocols; } parts[] = {
		{ "connected", CORE_PROTO_BIT(CORE_PROTO_CONNECTED) | CORE_PROTO_BIT(CORE_PROTO_LOCAL) },
		{ "static", CORE_PROTO_BIT(CORE_PROTO_STATIC) },
		{ "ospf", CORE_PROTO_BIT(CORE_PROTO_OSPF) },
		{ "rip", CORE_PROTO_BIT(CORE_PROTO_RIP) },
		{ "bgp", CORE_PROTO_BIT(CORE_PROTO_BGP) },
	};
	const struct cli_value *network = cli_arg(p, "NETWORK"), *mask = cli_arg(p, "MASK");
	struct core_route_filter filter = { 0 };
	bool filtered = false;
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (cli_has(p, parts[i].keyword)) {
			filter.protocols = parts[i].protocols;
			filtered = true;
		}
	struct prefix prefix = { .family = AF_INET };
	if (mask) {
		uint32_t m = ip_addr_v4(&mask->addr);
		uint8_t len = (uint8_t)__builtin_popcount(m);
		if (m != (len ? UINT32_MAX << (32 - len) : 0)) {
			strbuf_append(out, "% Inconsistent address and mask\n");
			return false;
		}
		prefix = prefix_from_v4(ip_addr_v4(&network->addr), len);
	}
	if (cli_has(p, "longer-prefixes")) {
		filter.has_within = filtered = true;
		filter.within = prefix;
	} else if (network && !json) {
		/* IOS's "Routing entry for P/L" block */
		if (core_show_route_entry(daemon->core, &network->addr, mask ? &prefix : NULL, out))
			return true;
		strbuf_append(out, mask ? "% Subnet not in table\n" : "% Network not in table\n");
		return false;
	} else if (network && mask) {
		filter.has_within = filter.exact = filtered = true; /* json: the prefix alone */
		filter.within = prefix;
	}
	if (network && !filtered) {
		core_show_routes(daemon->core, &network->addr, json, out); /* json of an address */
		return true;
	}
	struct core_route_view *view = core_show_routes_open_filtered(daemon->core, json, filtered ? &filter : NULL);
	if (!view) {
		strbuf_append(out, "% Out of memory\n");
		return false;
	}
	if (stream) {
		stream->ops = &ctl_routes_ops;
		stream->view = view;
		return true;
	}
	enum show_step step;
	while ((step = core_show_routes_next(view, out)) == SHOW_STEP_MORE)
		;
	if (step == SHOW_STEP_FAILED)
		strbuf_printf(out, "%% Output incomplete: %s\n", core_show_routes_failure(view));
	core_show_routes_close(view);
	return step != SHOW_STEP_FAILED;
}

static bool execute_exec(struct ctl_daemon *daemon, const struct cli_parse *p, struct exec_session *session,
			 struct strbuf *out, struct ctl_view *stream)
{
	bool json = cli_has(p, "json");
	const struct cli_value *addr = cli_arg(p, "ADDR");
	switch (p->cmd) {
	case CLI_CMD_TERMINAL_LENGTH:
	case CLI_CMD_SHOW_HISTORY:
	case CLI_CMD_SHOW_VERSION:
	case CLI_CMD_SHOW_CLOCK:
	case CLI_CMD_DEBUG_IP:
	case CLI_CMD_UNDEBUG_ALL:
	case CLI_CMD_SHOW_DEBUGGING:
		return ctl_session_execute(daemon, p, session, out);
	case CLI_CMD_PING:
	case CLI_CMD_TRACEROUTE:
		return ctl_view_ping(p, out, stream);
	case CLI_CMD_SHOW_BGP_SUMMARY:
		if (no_bgp(daemon, out))
			return false;
		show_bgp_summary(daemon->speaker, json, out);
		return true;
	case CLI_CMD_SHOW_BGP_NEIGHBORS:
		if (no_bgp(daemon, out))
			return false;
		if (!show_bgp_neighbors(daemon->speaker, addr ? &addr->addr : NULL,
					&(struct show_bgp_resolver){ peer_address_resolves, daemon->core }, json, out)) {
			strbuf_reset(out);
			strbuf_append(out, "% No such neighbor\n");
			return false;
		}
		return true;
	case CLI_CMD_SHOW_BGP_MESSAGES:
		if (no_bgp(daemon, out))
			return false;
		if (!addr || !show_bgp_messages(daemon->speaker, &addr->addr, json, out)) {
			strbuf_append(out, "% No such neighbor\n");
			return false;
		}
		return true;
	case CLI_CMD_SHOW_BGP:
		if (no_bgp(daemon, out))
			return false;
		return show_bgp_lookup(daemon, p, json, out, stream);
	case CLI_CMD_SHOW_BGP_NEIGHBOR_ROUTES: {
		if (no_bgp(daemon, out))
			return false;
		struct bgp_peer *peer = addr ? bgp_speaker_find_peer(daemon->speaker, &addr->addr) : NULL;
		if (!peer) {
			strbuf_append(out, "% No such neighbor\n");
			return false;
		}
		bool advertised = cli_has(p, "advertised-routes"), received = cli_has(p, "received-routes");
		/* The routes as received are kept only with soft-reconfiguration inbound (IOS). */
		if (received && !peer->config.soft_reconfiguration_inbound) {
			char text[IP_ADDR_STRLEN];
			strbuf_printf(out, "%% Inbound soft reconfiguration not enabled on %s\n",
				      ip_addr_format(&peer->config.addr, text));
			return false;
		}
		table_view(daemon, peer->config.addr.family, advertised ? NULL : peer, advertised ? peer : NULL,
			   received, json, out, stream);
		return true;
	}
	case CLI_CMD_SHOW_BGP_IPV6:
		if (no_bgp(daemon, out))
			return false;
		table_view(daemon, AF_INET6, NULL, NULL, false, json, out, stream);
		return true;
	case CLI_CMD_SHOW_OSPF:
	case CLI_CMD_SHOW_OSPF_INTERFACE:
	case CLI_CMD_SHOW_OSPF_NEIGHBOR:
	case CLI_CMD_SHOW_OSPF_DATABASE:
	case CLI_CMD_SHOW_OSPF_ROUTE:
		ospfd_show(daemon->ospf, p, out);
		return true;
	case CLI_CMD_SHOW_IP_ROUTE:
		return show_routes(daemon, p, json, out, stream);
	case CLI_CMD_SHOW_IP_INTERFACE_BRIEF:
	case CLI_CMD_SHOW_INTERFACES:
	case CLI_CMD_SHOW_IP_INTERFACE: {
		const struct cli_value *name = cli_arg(p, "IFNAME");
		enum show_interfaces_kind kind = p->cmd == CLI_CMD_SHOW_IP_INTERFACE_BRIEF ? SHOW_INTERFACES_BRIEF
						 : p->cmd == CLI_CMD_SHOW_INTERFACES	  ? SHOW_INTERFACES_ALL
											  : SHOW_INTERFACES_IP;
		if (!show_interfaces(daemon->kernel, daemon->running, kind, name ? name->text : NULL, json, out)) {
			strbuf_reset(out);
			strbuf_printf(out, "%% Invalid input: no interface %s\n", name->text);
			return false;
		}
		return true;
	}
	case CLI_CMD_SHOW_MEMORY:
		show_memory(daemon, json, out);
		return true;
	case CLI_CMD_SHOW_IP_PREFIX_LIST:
	case CLI_CMD_SHOW_ROUTE_MAP: {
		const struct cli_value *name = cli_arg(p, p->cmd == CLI_CMD_SHOW_ROUTE_MAP ? "RM-NAME" : "PL-NAME");
		bool found = p->cmd == CLI_CMD_SHOW_ROUTE_MAP
				     ? policy_show_route_maps(&daemon->running->policy, name ? name->text : NULL, json, out)
				     : policy_show_prefix_lists(&daemon->running->policy, name ? name->text : NULL, json, out);
		if (!found)
			strbuf_printf(out, "%% %s %s not found\n", p->cmd == CLI_CMD_SHOW_ROUTE_MAP ? "route-map" : "prefix-list",
				      name->text);
		return found;
	}
	case CLI_CMD_SHOW_IP_RIP_DATABASE:
		if (!daemon->rip) {
			strbuf_append(out, "% RIP not active\n");
			return false;
		}
		rip_show_database(rip_io_core(daemon->rip), json, rip_io_now(daemon->rip), out);
		return true;
	case CLI_CMD_SHOW_IP_PROTOCOLS:
		show_protocols(daemon, json, out);
		return true;
	case CLI_CMD_SHOW_RUNNING_CONFIG:
		strbuf_append(out, "Building configuration...\n\nCurrent configuration:\n!\n");
		config_print(daemon->running, out);
		return true;
	case CLI_CMD_SHOW_STARTUP_CONFIG:
		if (!daemon->config_path || !read_file_into(daemon->config_path, out)) {
			strbuf_append(out, "startup-config is not present\n");
			return false;
		}
		return true;
	case CLI_CMD_CLEAR_BGP:
		return clear_bgp(daemon, p, out);
	case CLI_CMD_DEBUG_BGP:
		daemon->debug_bgp = !p->negated;
		if (daemon->speaker)
			bgp_speaker_set_debug(daemon->speaker, daemon->debug_bgp);
		strbuf_printf(out, "BGP debugging is %s\n", daemon->debug_bgp ? "on" : "off");
		return true;
	case CLI_CMD_WRITE_MEMORY:
	case CLI_CMD_COPY_RUN_START:
		return write_config(daemon, out);
	case CLI_CMD_CONFIGURE_TERMINAL:
		strbuf_append(out, "Enter configuration commands, one per line.  End with CNTL/Z.\n");
		return true;
	default:
		return true; /* mode changes only */
	}
}

/* ctl_execute; a table view goes to *stream instead of out when stream is not NULL. */
static bool execute(struct ctl_daemon *daemon, int *mode, struct config_context *context,
		    struct exec_session *session, const char *line, size_t indent, struct strbuf *out,
		    struct ctl_view *stream)
{
	struct cli_parse p;
	enum cli_status status = cli_parse((enum cli_mode)*mode, line, &p);
	if (status != CLI_OK && status != CLI_EMPTY && cli_mode_is_config((enum cli_mode)*mode) &&
	    *mode != CLI_MODE_CONFIG) {
		/* IOS: a line the sub-mode does not know, but global configuration does, runs there
		 * and leaves the block (`interface f1/0` typed at (config-if)#, `router bgp` after
		 * an interface). Of two failures the one that got further is reported, as when a
		 * file is loaded (config_load.c). */
		struct cli_parse *global = memory_alloc(MEMORY_CTL, sizeof(*global));
		if (global) {
			enum cli_status gs = cli_parse(CLI_MODE_CONFIG, line, global);
			if (gs == CLI_OK || (gs != CLI_EMPTY && global->column > p.column)) {
				p = *global;
				status = gs;
			}
			memory_free(MEMORY_CTL, global);
		}
	}
	if (status == CLI_EMPTY)
		return true;
	if (status != CLI_OK) {
		cli_format_error(&p, indent, out);
		return false;
	}
	bool ok;
	size_t start = out->len;
	if (p.mode == CLI_MODE_EXEC || p.mode == CLI_MODE_USER_EXEC || p.via_do) {
		ok = execute_exec(daemon, &p, session, out, stream);
		if (ok && p.filter != CLI_CMD_NONE)
			ok = ctl_view_filter(&p, out, start, stream);
	} else
		ok = ctl_execute_config(daemon, context, &p, indent, out);
	if (ok && !p.via_do)
		*mode = (int)p.next_mode;
	return ok;
}

bool ctl_execute(struct ctl_daemon *daemon, int *mode, struct config_context *context, const char *line,
		 size_t indent, struct strbuf *out)
{
	return execute(daemon, mode, context, NULL, line, indent, out, NULL);
}

/* ---- the socket ---- */

/* A reply streamed in chunks (ctl_proto.h): one write at a time, and the next slice is made
 * only once the last one has left (uv_write's callback), so a slow reader holds back the
 * show, not the daemon's memory: at most a slice (about 64 kB) waits here. A slice that made
 * no output (the view still gathering) goes on at the next loop iteration (the idle handle),
 * so each slice is one iteration's work and everything else runs in between. */
struct ctl_stream {
	struct ctl_view view;
	struct strbuf head;   /* the reply's header (first write), then the chunk's length */
	struct strbuf slice;  /* the chunk */
	struct strbuf end;    /* the last write: the zero chunk and the closing frame */
	uv_write_t req;
	bool header_sent, done;
};

static void stream_free(struct ctl_stream *s)
{
	if (!s)
		return;
	s->view.ops->close(s->view.view);
	strbuf_free(&s->head);
	strbuf_free(&s->slice);
	strbuf_free(&s->end);
	memory_free(MEMORY_CTL, s);
}

static void handle_closed(uv_handle_t *handle)
{
	struct ctl_client *client = handle->data;
	if (--client->open_handles > 0)
		return;
	/* A write in flight was cancelled (its callback ran) before the pipe's close callback */
	stream_free(client->stream);
	exec_session_free(&client->session);
	struct ctl_server *server = client->server;
	memory_free(MEMORY_CTL, client);
	/* the last connection of a closed server frees it (ctl_server_close) */
	if (--server->clients == 0 && server->pipe_closed)
		free(server);
}

static void client_close(struct ctl_client *client)
{
	if (client->closing)
		return;
	client->closing = true;
	uv_close((uv_handle_t *)&client->pipe, handle_closed);
	uv_close((uv_handle_t *)&client->idle, handle_closed);
	uv_close((uv_handle_t *)&client->wait, handle_closed);
}

static void alloc_cb(uv_handle_t *handle, size_t suggested, uv_buf_t *buf)
{
	(void)suggested;
	struct ctl_client *client = handle->data;
	buf->base = client->request + client->request_len;
	buf->len = CTL_REQUEST_MAX - client->request_len;
}

struct ctl_write {
	uv_write_t req;
	char *data;
};

static void write_done(uv_write_t *req, int status)
{
	(void)status;
	struct ctl_write *w = (struct ctl_write *)req;
	memory_free(MEMORY_CTL, w->data);
	memory_free(MEMORY_CTL, w);
}

static void reply(struct ctl_client *client, int status, const struct strbuf *body)
{
	char header[32];
	int n = snprintf(header, sizeof(header), "%d %zu\n", status, body->len);
	/* A reply waits here until the client reads it: counted against ctl. */
	struct ctl_write *w = memory_alloc(MEMORY_CTL, sizeof(*w));
	char *data = memory_alloc(MEMORY_CTL, (size_t)n + body->len);
	if (!w || !data) {
		memory_free(MEMORY_CTL, w);
		memory_free(MEMORY_CTL, data);
		return;
	}
	memcpy(data, header, (size_t)n);
	if (body->len)
		memcpy(data + n, body->data, body->len);
	w->data = data;
	uv_buf_t buf = uv_buf_init(data, (unsigned)((size_t)n + body->len));
	if (uv_write(&w->req, (uv_stream_t *)&client->pipe, &buf, 1, write_done) != 0) {
		memory_free(MEMORY_CTL, data);
		memory_free(MEMORY_CTL, w);
	}
}

/* What the shell shows before the line: "R1" + "(config)#". */
static size_t prompt_length(const struct ctl_daemon *daemon, const struct ctl_client *client)
{
	return strlen(daemon->running->hostname) + strlen(cli_mode_prompt((enum cli_mode)client->mode));
}

static void stream_pump(struct ctl_client *client);

static void stream_start(struct ctl_client *client, struct ctl_view view)
{
	struct ctl_stream *s = memory_calloc(MEMORY_CTL, 1, sizeof(*s));
	if (!s) {
		view.ops->close(view.view);
		struct strbuf out = STRBUF_INIT;
		strbuf_append(&out, "% Out of memory\n");
		reply(client, CTL_STATUS_ERROR, &out);
		strbuf_free(&out);
		return;
	}
	s->view = view;
	s->req.data = client;
	client->stream = s;
	stream_pump(client);
}

static void handle_request(struct ctl_client *client, char kind, const char *text)
{
	struct ctl_daemon *daemon = client->server->daemon;
	struct strbuf out = STRBUF_INIT;
	struct ctl_view view = { NULL, NULL };
	int status = CTL_STATUS_OK;
	switch (kind) {
	case CTL_REQUEST_EXECUTE: {
		int before = client->mode;
		struct cli_parse probe;
		if (cli_parse((enum cli_mode)client->mode, text, &probe) == CLI_OK &&
		    probe.cmd == CLI_CMD_EXIT && !probe.via_do &&
		    (before == CLI_MODE_EXEC || before == CLI_MODE_USER_EXEC)) {
			status = CTL_STATUS_END;
			break;
		}
		/* The read-only socket stays in user EXEC: `enable` is refused, and so is anything
		 * that would run in another mode (the grammar already offers no such command there;
		 * this holds even if a row's modes were wrong). */
		if (client->server->read_only &&
		    (client->mode != CLI_MODE_USER_EXEC ||
		     (cli_parse((enum cli_mode)client->mode, text, &probe) == CLI_OK &&
		      (probe.cmd == CLI_CMD_ENABLE || probe.mode != CLI_MODE_USER_EXEC || probe.via_do)))) {
			strbuf_append(&out, "% This socket is read-only\n");
			status = CTL_STATUS_ERROR;
			client->mode = CLI_MODE_USER_EXEC;
			break;
		}
		size_t indent = prompt_length(daemon, client);
		if (client->mode == CLI_MODE_EXEC || client->mode == CLI_MODE_USER_EXEC)
			exec_session_remember(&client->session, text);
		if (!execute(daemon, &client->mode, &client->context, &client->session, text, indent, &out, &view))
			status = CTL_STATUS_ERROR;
		break;
	}
	case CTL_REQUEST_HELP: {
		/* On a word that cannot be, IOS answers `?` with the caret under it, as for Enter */
		struct strbuf help = STRBUF_INIT;
		size_t column = 0;
		enum cli_status hs = cli_help((enum cli_mode)client->mode, text, &help, &column);
		if (hs != CLI_OK) {
			status = CTL_STATUS_ERROR;
			if (hs == CLI_ERR_INVALID)
				strbuf_printf(&out, "%*s^\n", (int)(prompt_length(daemon, client) + column), "");
		}
		strbuf_appendn(&out, help.data ? help.data : "", help.len);
		strbuf_free(&help);
		break;
	}
	case CTL_REQUEST_COMPLETE: {
		struct cli_completion c;
		cli_complete((enum cli_mode)client->mode, text, &c);
		if (c.count == 1 && c.line[0])
			strbuf_printf(&out, "=%s", c.line);
		else
			for (size_t i = 0; i < c.count; i++)
				strbuf_printf(&out, "%s%s", i ? " " : "", c.candidates[i]);
		break;
	}
	case CTL_REQUEST_TERMINAL_LENGTH:
		strbuf_printf(&out, "%u", client->session.terminal_length);
		break;
	case CTL_REQUEST_PROMPT:
		strbuf_printf(&out, "%s%s", daemon->running->hostname,
			      cli_mode_prompt((enum cli_mode)client->mode));
		break;
	default:
		strbuf_append(&out, "% Unknown request\n");
		status = CTL_STATUS_ERROR;
	}
	if (view.view) /* a table view: nothing was written to out */
		stream_start(client, view);
	else
		reply(client, status, &out);
	strbuf_free(&out);
}

/* Runs the complete request lines received, in order; while a reply streams they wait. */
static void process_requests(struct ctl_client *client)
{
	while (!client->stream && !client->closing) {
		char *nl = memchr(client->request, '\n', client->request_len);
		if (!nl)
			break;
		*nl = '\0';
		size_t used = (size_t)(nl - client->request) + 1;
		if (used >= 3 && client->request[1] == ' ')
			handle_request(client, client->request[0], client->request + 2);
		else if (used >= 2)
			handle_request(client, client->request[0], "");
		memmove(client->request, client->request + used, client->request_len - used);
		client->request_len -= used;
	}
	if (client->closing || client->request_len < CTL_REQUEST_MAX)
		return;
	if (client->stream) {
		/* Lines queued behind a stream filled the buffer: read more once it has ended */
		uv_read_stop((uv_stream_t *)&client->pipe);
		client->read_stopped = true;
		return;
	}
	log_warning("ctl: request over %d bytes, client disconnected", CTL_REQUEST_MAX);
	client_close(client);
}

static void read_cb(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf);

static void stream_end(struct ctl_client *client)
{
	stream_free(client->stream);
	client->stream = NULL;
	process_requests(client);
	if (client->closing || client->stream)
		return;
	if (client->eof) {
		client_close(client); /* what it asked for before closing its side is answered */
		return;
	}
	if (client->read_stopped) {
		client->read_stopped = false;
		uv_read_start((uv_stream_t *)&client->pipe, alloc_cb, read_cb);
	}
}

static void stream_written(uv_write_t *req, int status)
{
	struct ctl_client *client = req->data;
	if (client->closing)
		return; /* cancelled: the close frees the stream */
	if (status < 0) {
		client_close(client); /* the reader went away */
		return;
	}
	if (client->stream->done)
		stream_end(client);
	else
		stream_pump(client);
}

static void stream_wait(uv_timer_t *timer)
{
	struct ctl_client *client = timer->data;
	if (!client->closing && client->stream)
		stream_pump(client);
}

static void stream_idle(uv_idle_t *idle)
{
	struct ctl_client *client = idle->data;
	uv_idle_stop(idle);
	if (!client->closing && client->stream)
		stream_pump(client);
}

/* One slice of the view: written as a chunk, or (no output yet) continued next iteration. */
static void stream_pump(struct ctl_client *client)
{
	struct ctl_stream *s = client->stream;
	strbuf_reset(&s->head);
	strbuf_reset(&s->slice);
	strbuf_reset(&s->end);
	enum show_step step = s->view.ops->next(s->view.view, client->server->daemon, &s->slice);
	if (step == SHOW_STEP_MORE && !s->slice.len && !s->slice.failed) {
		if (s->view.ops->wait_ms)
			uv_timer_start(&client->wait, stream_wait, s->view.ops->wait_ms(s->view.view), 0);
		else
			uv_idle_start(&client->idle, stream_idle);
		return;
	}
	if (!s->header_sent)
		strbuf_printf(&s->head, "%d %s\n", CTL_STATUS_OK, CTL_CHUNKED);
	s->header_sent = true;
	if (s->slice.len)
		strbuf_printf(&s->head, "%zu\n", s->slice.len);
	if (step != SHOW_STEP_MORE) {
		/* The closing frame: status, and on a failure why the output above is incomplete */
		struct strbuf why = STRBUF_INIT;
		if (step == SHOW_STEP_FAILED)
			strbuf_printf(&why, "%% Output incomplete: %s\n", s->view.ops->failure(s->view.view));
		strbuf_printf(&s->end, "0\n%d %zu\n%s", step == SHOW_STEP_FAILED ? CTL_STATUS_ERROR : CTL_STATUS_OK,
			      why.len, strbuf_str(&why));
		strbuf_free(&why);
		s->done = true;
	}
	if (s->head.failed || s->slice.failed || s->end.failed) {
		log_warning("ctl: out of memory streaming a reply, client disconnected");
		client_close(client);
		return;
	}
	uv_buf_t bufs[3] = {
		uv_buf_init(s->head.data, (unsigned)s->head.len),
		uv_buf_init(s->slice.data, (unsigned)s->slice.len),
		uv_buf_init(s->end.data, (unsigned)s->end.len),
	};
	if (uv_write(&s->req, (uv_stream_t *)&client->pipe, bufs, 3, stream_written) != 0)
		client_close(client);
}

static void read_cb(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf)
{
	(void)buf;
	struct ctl_client *client = stream->data;
	if (nread == UV_EOF && client->stream) {
		client->eof = true; /* answer the show first; closed when it ends */
		return;
	}
	if (nread < 0) {
		client_close(client);
		return;
	}
	client->request_len += (size_t)nread;
	process_requests(client);
}

static void connection_cb(uv_stream_t *listener, int status)
{
	struct ctl_server *server = listener->data;
	if (status < 0)
		return;
	struct ctl_client *client = memory_calloc(MEMORY_CTL, 1, sizeof(*client));
	if (!client)
		return;
	client->server = server;
	server->clients++;
	client->mode = server->read_only ? CLI_MODE_USER_EXEC : CLI_MODE_EXEC;
	config_context_init(&client->context);
	exec_session_init(&client->session);
	uv_pipe_init(server->loop, &client->pipe, 0);
	uv_idle_init(server->loop, &client->idle);
	uv_timer_init(server->loop, &client->wait);
	client->pipe.data = client->idle.data = client->wait.data = client;
	client->open_handles = 3;
	if (uv_accept(listener, (uv_stream_t *)&client->pipe) != 0) {
		client_close(client);
		return;
	}
	uv_read_start((uv_stream_t *)&client->pipe, alloc_cb, read_cb);
}

/* The listener is closed: the server goes once no connection points at it any more. */
static void server_closed(uv_handle_t *handle)
{
	struct ctl_server *server = handle->data;
	server->pipe_closed = true;
	if (server->clients == 0)
		free(server);
}

struct ctl_server *ctl_server_open(uv_loop_t *loop, const char *path, bool read_only, struct ctl_daemon *daemon)
{
	struct sockaddr_un sun;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		log_error("ctl: socket path %s is longer than the %zu bytes a Unix socket allows", path,
			  sizeof(sun.sun_path) - 1);
		return NULL;
	}
	struct ctl_server *server = calloc(1, sizeof(*server));
	if (!server)
		return NULL;
	server->loop = loop;
	server->daemon = daemon;
	server->read_only = read_only;
	snprintf(server->path, sizeof(server->path), "%s", path);
	unlink(path);
	uv_pipe_init(loop, &server->pipe, 0);
	server->pipe.data = server;
	int rc = uv_pipe_bind(&server->pipe, path);
	if (rc == 0)
		rc = uv_listen((uv_stream_t *)&server->pipe, 16, connection_cb);
	if (rc != 0) {
		log_error("ctl: cannot listen on %s: %s", path, uv_strerror(rc));
		uv_close((uv_handle_t *)&server->pipe, server_closed);
		return NULL;
	}
	/* Root and the `tern` group may configure; the read-only socket is for anyone. */
	struct group *g = getgrnam("tern");
	if (g && chown(path, 0, g->gr_gid) != 0)
		log_warning("ctl: chown %s: %s", path, strerror(errno));
	chmod(path, read_only ? 0666 : 0660);
	return server;
}

void ctl_server_close(struct ctl_server *server)
{
	if (!server)
		return;
	unlink(server->path);
	uv_close((uv_handle_t *)&server->pipe, server_closed);
}
