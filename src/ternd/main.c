/*
 * DOC: ternd, the routing daemon: wiring of configuration, BGP and the control socket onto
 * one libuv loop.
 *
 *   ternd -f FILE [-s SOCKET] [-n] [-p PORT] [-d] [-l]
 *
 * Runs in the foreground. A bad configuration file at start is fatal (file, line and caret
 * are printed); on SIGHUP the file is read again and, if any line is bad, the error is logged
 * and the running configuration stays as it was. SIGTERM and SIGINT close every session with
 * Cease (Administrative Shutdown) before exiting.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "bgp/bgp.h"
#include "core/core.h"
#include "kernel/kernel.h"
#include "ternd/interfaces.h"
#include "config/config.h"
#include "ctl/ctl.h"
#include "ctl/ctl_proto.h"
#include "lib/hash.h"
#include "lib/log.h"
#include "rip/rip_io.h"
#include "ospf/daemon.h"
#include "ternd/loop_watch.h"

struct ternd {
	uv_loop_t *loop;
	const char *config_path;
	struct config running;
	struct ctl_daemon ctl;
	struct bgp_speaker_options bgp_options;
	struct ctl_server *ctl_server, *ctl_server_read_only;
	uv_signal_t sighup, sigterm, sigint, sigusr1;
	struct loop_watch loop_watch; /* the longest loop iteration, reported on SIGUSR1 and at exit */
	uv_timer_t exit_timer;
	bool no_kernel; /* -n: never touch the kernel FIB */
	struct kernel *kernel;
	struct core *core;
	struct bgp_core_source *bgp_source; /* the speaker joined to the core */
	struct core_subscription *origination; /* network and redistribute under router bgp */
	struct ospf_daemon *ospf;
};

/* ---- the kernel's news goes to the core table ---- */

static void kernel_link_event(void *ctx, const struct kernel_link *link, enum kernel_change change)
{
	struct ternd *d = ctx;
	if (d->core)
		core_interface_state(d->core, link->ifindex,
				     change != KERNEL_REMOVED && link->admin_up && link->oper_up);
	if (d->ctl.rip)
		rip_io_link(d->ctl.rip, link, change == KERNEL_REMOVED);
	ospfd_kernel_changed(d->ospf);
}

static void kernel_addr_event(void *ctx, const struct kernel_addr *addr, enum kernel_change change)
{
	struct ternd *d = ctx;
	if (!d->core || !d->kernel)
		return;
	const struct kernel_link *link = kernel_ifaces_link(kernel_ifaces(d->kernel), addr->ifindex);
	bool up = link && link->admin_up && link->oper_up;
	if (change == KERNEL_REMOVED || up)
		core_interface_address(d->core, addr->ifindex, &addr->addr, addr->prefixlen, change != KERNEL_REMOVED);
	if (d->ctl.rip)
		rip_io_addr(d->ctl.rip, addr, change == KERNEL_REMOVED);
	ospfd_kernel_changed(d->ospf);
}

static void kernel_resync(void *ctx)
{
	struct ternd *d = ctx;
	log_warning("kernel: netlink lost messages; resynchronising the routing table");
	if (d->core)
		core_kernel_resync(d->core);
}

static void kernel_route_error(void *ctx, const struct kernel_route *route, bool is_delete, int error,
			       const char *text)
{
	(void)ctx, (void)route, (void)is_delete, (void)error;
	log_warning("kernel: %s", text);
}

/* ---- locally originated BGP routes follow the routing table ---- */

static void originate_prefix(struct ternd *d, const struct prefix *p, uint8_t origin, bool has_med,
			     uint32_t med)
{
	bgp_speaker_originate(d->ctl.speaker, p, origin, has_med, med);
}

struct redistribute_ctx {
	struct ternd *d;
	const struct config_redistribute *how;
};

static void redistribute_one(void *ctx, const struct prefix *prefix, uint32_t metric)
{
	struct redistribute_ctx *r = ctx;
	/* IOS: redistributed routes are incomplete; MED is the configured metric or the route's */
	originate_prefix(r->d, prefix, BGP_ORIGIN_INCOMPLETE, true, r->how->has_metric ? r->how->metric : metric);
}

static void originate_routes(void *ctx)
{
	struct ternd *d = ctx;
	if (!d->ctl.speaker || !d->core)
		return;
	const struct config_bgp *bgp = &d->running.bgp;
	bgp_speaker_originate_begin(d->ctl.speaker);
	/* IOS: `network` announces a prefix while exactly that prefix is in the routing table,
	 * with MED = its IGP metric and origin IGP. */
	for (size_t i = 0; i < bgp->network_count; i++) {
		uint32_t metric = 0;
		if (core_has_prefix(d->core, &bgp->networks[i], NULL, &metric))
			originate_prefix(d, &bgp->networks[i], BGP_ORIGIN_IGP, true, metric);
	}
	if (bgp->redistribute_connected.enabled) {
		struct redistribute_ctx r = { d, &bgp->redistribute_connected };
		core_walk_protocol(d->core, CORE_PROTO_CONNECTED, redistribute_one, &r);
	}
	if (bgp->redistribute_static.enabled) {
		struct redistribute_ctx r = { d, &bgp->redistribute_static };
		core_walk_protocol(d->core, CORE_PROTO_STATIC, redistribute_one, &r);
	}
	if (bgp->redistribute_rip.enabled) {
		struct redistribute_ctx r = { d, &bgp->redistribute_rip };
		core_walk_protocol(d->core, CORE_PROTO_RIP, redistribute_one, &r);
	}
	if (bgp->redistribute_ospf.enabled && d->running.ospf.enabled &&
	    d->running.ospf.process == bgp->redistribute_ospf.process) {
		struct config_redistribute how = { .enabled = true, .has_metric = bgp->redistribute_ospf.has_metric,
						   .metric = bgp->redistribute_ospf.metric };
		struct redistribute_ctx r = { d, &how };
		core_walk_protocol(d->core, CORE_PROTO_OSPF, redistribute_one, &r);
	}
	bgp_speaker_originate_end(d->ctl.speaker);
}

/* The core's winners changed: BGP's origination follows once per loop iteration. */
static bool origination_event(void *ctx, const struct core_event *event)
{
	(void)event;
	struct ternd *d = ctx;
	return d->ctl.speaker != NULL;
}

static const struct core_subscriber_ops origination_ops = { .event = origination_event,
							    .batch_end = originate_routes };

static void usage(FILE *to)
{
	fprintf(to, "usage: ternd -f FILE [-s SOCKET] [-n] [-p PORT] [-d] [-l]\n"
		    "  -f FILE    configuration file (IOS syntax)\n"
		    "  -s SOCKET  control socket (default %s; SOCKET.ro is the read-only one)\n"
		    "  -n         never touch the kernel routing table\n"
		    "  -p PORT    BGP port (default 179)\n"
		    "  -d         debug logging\n"
		    "  -l         log to syslog instead of stderr\n",
		CTL_DEFAULT_SOCKET);
}

/* What changed in the sections RIP and OSPF read, setting by setting: they act on it. */
struct igp_changes {
	struct config_change rip, ospf, interfaces;
};

static void igp_changes_compute(const struct config *running, const struct config *next, struct igp_changes *out)
{
	config_section_change(CONFIG_SECTION_RIP, running, next, &out->rip);
	config_section_change(CONFIG_SECTION_OSPF, running, next, &out->ospf);
	config_section_change(CONFIG_SECTION_INTERFACES, running, next, &out->interfaces);
}

static void igp_changes_free(struct igp_changes *changes)
{
	config_change_free(&changes->rip);
	config_change_free(&changes->ospf);
	config_change_free(&changes->interfaces);
}

/* Brings RIP in line with the running configuration: start, reconfigure or stop it. */
static void apply_rip(struct ternd *d, const struct config_change *change, const struct config_change *interfaces)
{
	if (d->running.rip.enabled && !d->ctl.rip) {
		d->ctl.rip = rip_io_create(d->loop, d->core, d->kernel);
		if (d->ctl.rip)
			rip_io_set_debug(d->ctl.rip, d->ctl.debug_rip);
		if (!d->ctl.rip)
			log_error("rip: cannot start (out of memory)");
	}
	if (!d->running.rip.enabled && d->ctl.rip) {
		rip_io_destroy(d->ctl.rip);
		d->ctl.rip = NULL;
	}
	if (d->ctl.rip) {
		rip_io_configure(d->ctl.rip, &d->running, change, interfaces);
		rip_io_redistribute(d->ctl.rip, &d->running);
	}
}

/* The speaker leaves the core, then closes every session with Cease `subcode`. */
static void stop_bgp(struct ternd *d, uint8_t subcode)
{
	bgp_core_source_detach(d->bgp_source);
	d->bgp_source = NULL;
	if (d->ctl.speaker)
		bgp_speaker_destroy(d->ctl.speaker, subcode);
	d->ctl.speaker = NULL;
}

/* Brings the protocols in `protocols` (CONFIG_PROTOCOL_BIT()s: those whose part of the
 * configuration changed) in line with the running configuration: start, reconfigure in place
 * or stop each. The others are not touched. */
static bool apply_running(struct ternd *d, unsigned protocols, const struct igp_changes *changes)
{
	log_notice("configuration: applying%s%s%s%s%s", protocols ? "" : " nothing",
		   protocols & CONFIG_PROTOCOL_BIT(CONFIG_PROTOCOL_STATIC) ? " static" : "",
		   protocols & CONFIG_PROTOCOL_BIT(CONFIG_PROTOCOL_RIP) ? " rip" : "",
		   protocols & CONFIG_PROTOCOL_BIT(CONFIG_PROTOCOL_OSPF) ? " ospf" : "",
		   protocols & CONFIG_PROTOCOL_BIT(CONFIG_PROTOCOL_BGP) ? " bgp" : "");
	bool bgp = protocols & CONFIG_PROTOCOL_BIT(CONFIG_PROTOCOL_BGP), bgp_started = true;
	if (bgp && d->running.bgp.enabled && !d->ctl.speaker) {
		/* BGP's best paths become a route source of the core, its next hops are tracked */
		d->bgp_source = bgp_core_source_create(d->core, &d->bgp_options);
		d->ctl.speaker = d->bgp_source ? bgp_speaker_create(d->loop, &d->bgp_options) : NULL;
		if (!d->ctl.speaker || !bgp_core_source_attach(d->bgp_source, d->ctl.speaker)) {
			/* the other protocols still get this commit's changes: their change lists are
			 * not computed again by the next commit */
			stop_bgp(d, BGP_CEASE_ADMIN_SHUTDOWN);
			bgp_started = false;
		} else {
			bgp_speaker_set_debug(d->ctl.speaker, d->ctl.debug_bgp);
		}
	}
	if (bgp && !d->running.bgp.enabled && d->ctl.speaker) {
		/* `no router bgp`: RFC 4486 Peer De-configured on every session */
		stop_bgp(d, BGP_CEASE_PEER_DECONFIGURED);
	}
	if (protocols & CONFIG_PROTOCOL_BIT(CONFIG_PROTOCOL_STATIC))
		core_static_configure(d->core, &d->running);
	if (protocols & CONFIG_PROTOCOL_BIT(CONFIG_PROTOCOL_RIP))
		apply_rip(d, &changes->rip, &changes->interfaces);
	if (d->ospf && (protocols & CONFIG_PROTOCOL_BIT(CONFIG_PROTOCOL_OSPF)))
		ospfd_configure(d->ospf, &d->running, &changes->ospf, &changes->interfaces);
	if (bgp && d->ctl.speaker) {
		bgp_speaker_configure(d->ctl.speaker, &d->running);
		originate_routes(d);
	}
	return bgp_started;
}

/* The settings a commit changes, by name, and what each needs (the descriptors say it):
 *   configuration: changed ospf: router-id (reset), redistribute (in place) */
static void log_changes(const struct config *running, const struct config *next)
{
	struct strbuf text = STRBUF_INIT;
	config_changes_print(running, next, &text);
	const char *line = strbuf_str(&text);
	while (*line) {
		const char *end = strchr(line, '\n');
		int len = end ? (int)(end - line) : (int)strlen(line);
		log_notice("configuration: changed %.*s", len, line);
		line += len + (end != NULL);
	}
	strbuf_free(&text);
}

static bool commit(struct ctl_daemon *ctl, struct config *new_config, struct strbuf *err)
{
	struct ternd *d = (struct ternd *)((char *)ctl - offsetof(struct ternd, ctl));
	if (d->running.bgp.enabled && new_config->bgp.enabled && d->running.bgp.asn != new_config->bgp.asn) {
		strbuf_printf(err, "%% BGP is already running; AS is %u\n", d->running.bgp.asn);
		return false;
	}
	unsigned protocols = config_protocols_changed(&d->running, new_config);
	log_changes(&d->running, new_config);
	struct igp_changes changes; /* the running configuration is replaced below */
	igp_changes_compute(&d->running, new_config, &changes);
	interfaces_apply(d->kernel, &d->running, new_config, &changes.interfaces, err);
	config_free(&d->running);
	d->running = *new_config;
	config_init(new_config);
	bool started = apply_running(d, protocols, &changes);
	igp_changes_free(&changes);
	if (!started) {
		strbuf_append(err, "% Cannot start BGP (see the daemon log)\n");
		return false;
	}
	return true;
}

static void reload(uv_signal_t *handle, int signum)
{
	(void)signum;
	struct ternd *d = handle->data;
	struct config fresh;
	struct config_diag diag;
	if (!config_load_file(d->config_path, &fresh, &diag)) {
		struct strbuf text = STRBUF_INIT;
		config_diag_format(&diag, &text);
		log_error("reload refused, running configuration kept:\n%s", strbuf_str(&text));
		strbuf_free(&text);
		return;
	}
	log_notice("reloading %s", d->config_path);
	struct strbuf err = STRBUF_INIT;
	if (!commit(&d->ctl, &fresh, &err))
		log_error("reload refused: %s", strbuf_str(&err));
	strbuf_free(&err);
	config_free(&fresh);
}

static void exit_now(uv_timer_t *timer)
{
	uv_stop(timer->loop);
}

static void report_loop(uv_signal_t *handle, int signum)
{
	(void)signum;
	struct ternd *d = handle->data;
	loop_watch_report(&d->loop_watch, "SIGUSR1");
}

static void terminate(uv_signal_t *handle, int signum)
{
	struct ternd *d = handle->data;
	log_notice("signal %d: closing sessions and exiting", signum);
	if (d->ctl.speaker)
		stop_bgp(d, BGP_CEASE_ADMIN_SHUTDOWN);
	if (d->ctl.rip) {
		rip_io_destroy(d->ctl.rip);
		d->ctl.rip = NULL;
	}
	ospfd_destroy(d->ospf);
	d->ospf = d->ctl.ospf = NULL;
	ctl_server_close(d->ctl_server);
	ctl_server_close(d->ctl_server_read_only);
	d->ctl_server = d->ctl_server_read_only = NULL;
	uv_signal_stop(&d->sigterm);
	uv_signal_stop(&d->sigint);
	uv_signal_stop(&d->sighup);
	uv_signal_stop(&d->sigusr1);
	loop_watch_report(&d->loop_watch, "until exit");
	/* Give NOTIFICATIONs a moment to leave, then stop whatever is still open. */
	uv_timer_start(&d->exit_timer, exit_now, 300, 0);
}

/* `tern-lab collide`: the first BGP connect (due as soon as the loop runs) waits until the
 * lab opens the FIFO at path for writing, which releases every ternd waiting on it at once,
 * so both ends of a session connect at the same instant and collide (RFC 4271 §6.8). The
 * listeners are open already: the kernel completes the peer's handshake meanwhile. */
static void connect_barrier(const char *path)
{
	log_notice("waiting at the connect barrier %s", path);
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		log_warning("connect barrier %s: %s", path, strerror(errno));
	else
		close(fd);
	log_notice("connect barrier released");
}

int main(int argc, char **argv)
{
	struct ternd d;
	memset(&d, 0, sizeof(d));
	const char *socket_path = CTL_DEFAULT_SOCKET;
	bool debug = false, use_syslog = false;
	d.bgp_options.port = 179;
	d.bgp_options.listen = true;
	int opt;
	while ((opt = getopt(argc, argv, "f:s:np:dlh")) != -1) {
		switch (opt) {
		case 'f': d.config_path = optarg; break;
		case 's': socket_path = optarg; break;
		case 'n': d.no_kernel = true; break;
		case 'p': d.bgp_options.port = (uint16_t)atoi(optarg); break;
		case 'd': debug = true; break;
		case 'l': use_syslog = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!d.config_path || optind != argc) {
		usage(stderr);
		return 2;
	}
	log_open("ternd", use_syslog, debug ? LOG_LEVEL_DEBUG : LOG_LEVEL_INFO);
	struct config_diag diag;
	if (!config_load_file(d.config_path, &d.running, &diag)) {
		struct strbuf text = STRBUF_INIT;
		config_diag_format(&diag, &text);
		fprintf(stderr, "%s\n", strbuf_str(&text));
		strbuf_free(&text);
		return 1;
	}
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	srandom((unsigned)(ts.tv_nsec ^ getpid()));
	signal(SIGPIPE, SIG_IGN);

	d.loop = uv_default_loop();
	loop_watch_start(&d.loop_watch, d.loop);
	/* The hash tables' secret key (lib/hash.h): without it a peer could choose prefixes that
	 * share one chain, so no randomness means no start. */
	if (!hash_seed_init()) {
		fprintf(stderr, "ternd: getrandom: %s: no secret key for the hash tables\n", strerror(errno));
		return 1;
	}
	d.core = core_create(d.loop, NULL);
	struct kernel_options kernel_options = { .no_fib = d.no_kernel };
	struct kernel_callbacks kernel_callbacks = {
		.ctx = &d, .link = kernel_link_event, .addr = kernel_addr_event,
		.resync = kernel_resync, .route_error = kernel_route_error,
	};
	char kernel_error[256];
	d.kernel = kernel_open(d.loop, &kernel_options, &kernel_callbacks, kernel_error, sizeof(kernel_error));
	if (!d.kernel) {
		fprintf(stderr, "ternd: cannot open netlink: %s\n", kernel_error);
		return 1;
	}
	core_set_kernel(d.core, d.kernel);
	/* at start, everything configured is a change from nothing */
	struct config nothing;
	config_init(&nothing);
	struct igp_changes changes;
	igp_changes_compute(&nothing, &d.running, &changes);
	config_free(&nothing);
	interfaces_apply(d.kernel, NULL, &d.running, &changes.interfaces, NULL);
	/* network statements and redistribution into BGP follow the winners of the stored table */
	d.origination = core_subscribe(d.core, 0, CORE_PROTO_BIT(CORE_PROTO_STORED_COUNT) - 1, &origination_ops, &d);
	if (!d.origination) {
		fprintf(stderr, "ternd: out of memory\n");
		igp_changes_free(&changes);
		return 1;
	}
	d.ospf = ospfd_create(d.loop, d.core, d.kernel);
	d.ctl.ospf = d.ospf;
	d.ctl.core = d.core;
	d.ctl.kernel = d.kernel;
	d.ctl.running = &d.running;
	d.ctl.config_path = d.config_path;
	d.ctl.commit = commit;
	bool started = apply_running(&d, CONFIG_PROTOCOL_ALL, &changes);
	igp_changes_free(&changes);
	if (!started)
		return 1;

	if (strchr(socket_path, '/')) {
		char dir[4096];
		snprintf(dir, sizeof(dir), "%s", socket_path);
		*strrchr(dir, '/') = '\0';
		if (dir[0])
			mkdir(dir, 0755);
	}
	d.ctl_server = ctl_server_open(d.loop, socket_path, false, &d.ctl);
	char ro_path[4096];
	snprintf(ro_path, sizeof(ro_path), "%s.ro", socket_path);
	d.ctl_server_read_only = ctl_server_open(d.loop, ro_path, true, &d.ctl);
	if (!d.ctl_server)
		return 1;

	uv_signal_init(d.loop, &d.sighup);
	uv_signal_init(d.loop, &d.sigterm);
	uv_signal_init(d.loop, &d.sigint);
	uv_signal_init(d.loop, &d.sigusr1);
	uv_timer_init(d.loop, &d.exit_timer);
	d.sighup.data = d.sigterm.data = d.sigint.data = d.sigusr1.data = &d;
	uv_signal_start(&d.sighup, reload, SIGHUP);
	uv_signal_start(&d.sigterm, terminate, SIGTERM);
	uv_signal_start(&d.sigint, terminate, SIGINT);
	uv_signal_start(&d.sigusr1, report_loop, SIGUSR1);
	uv_unref((uv_handle_t *)&d.sigusr1);
	log_notice("ternd started: configuration %s, control socket %s", d.config_path, socket_path);
	const char *barrier = getenv("TERN_CONNECT_BARRIER");
	if (barrier && barrier[0])
		connect_barrier(barrier);
	uv_run(d.loop, UV_RUN_DEFAULT);
	/* Our routes leave the kernel with us. */
	kernel_close(d.kernel);
	config_free(&d.running);
	log_notice("ternd stopped");
	return 0;
}
