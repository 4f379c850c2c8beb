/*
 * DOC: the control socket: the daemon side of what ternc asks.
 *
 * A Unix stream socket. Each client connection is a shell session with its own mode (EXEC,
 * configuration, router bgp...), so `configure terminal` followed by configuration lines
 * works as on a router. Requests and replies are frames (ctl_proto.h); the reply to a table
 * view (a BGP table view, `show ip route`) is chunked, made and sent a slice of the table per
 * loop iteration.
 *
 * Commands are parsed by the one grammar (config/grammar.h); configuration commands are
 * applied to a copy of the running configuration and committed only if accepted, so a
 * rejected command changes nothing.
 */
#ifndef TERN_CTL_CTL_H
#define TERN_CTL_CTL_H

#include <stdbool.h>
#include <uv.h>

#include "bgp/bgp.h"
#include "config/config.h"
#include "core/core.h"
#include "lib/strbuf.h"
#include "ospf/daemon.h"

struct rip_io;

/* What the daemon lends the control socket. */
struct ctl_daemon {
	struct config *running;          /* the running configuration */
	struct bgp_speaker *speaker;     /* NULL without `router bgp` */
	struct ospf_daemon *ospf;        /* OSPF (show ip ospf ...) */
	struct core *core;               /* the routing table */
	struct kernel *kernel;           /* links and addresses */
	struct rip_io *rip;              /* NULL without `router rip` */
	const char *config_path;         /* where `write memory` saves */
	/* Makes new_config the running one and applies it live. On success the daemon takes
	 * new_config's contents (new_config is left empty); on failure it explains in err. */
	bool (*commit)(struct ctl_daemon *daemon, struct config *new_config, struct strbuf *err);
	bool debug_bgp;
	bool debug_ospf, debug_rip;      /* `debug ip ospf`, `debug ip rip` */
};

struct ctl_server;

/* read_only: the socket accepts show commands only (user EXEC mode). */
struct ctl_server *ctl_server_open(uv_loop_t *loop, const char *path, bool read_only,
				   struct ctl_daemon *daemon);
void ctl_server_close(struct ctl_server *server);

/* Runs one line for a session in *mode (updated); output and errors go to out, with an IOS
 * caret indented by `indent` (the prompt's length). Returns false on an error. */
bool ctl_execute(struct ctl_daemon *daemon, int *mode, struct config_context *context, const char *line,
		 size_t indent, struct strbuf *out);

#endif
