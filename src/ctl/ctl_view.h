/*
 * DOC: the views the control socket streams (inside the ctl module, for ctl.c).
 *
 * A table view (the BGP table views, `show ip route`), a ping or traceroute run, and any of
 * them behind an output modifier (`| include ...`) are made a slice at a time; ctl.c writes
 * each slice as a chunk (ctl_proto.h) and asks for the next once it has left, at the next loop
 * iteration, or, for a view that waits on the network, after its wait_ms.
 */
#ifndef TERN_CTL_CTL_VIEW_H
#define TERN_CTL_CTL_VIEW_H

#include "config/grammar.h"
#include "ctl/ctl.h"
#include "lib/show_step.h"
#include "lib/strbuf.h"

/* A view that is made a slice at a time and streamed: a BGP table view or the routing
 * table. The operations take the daemon as it is at each slice. */
struct ctl_view_ops {
	enum show_step (*next)(void *view, struct ctl_daemon *daemon, struct strbuf *out);
	const char *(*failure)(const void *view);
	void (*close)(void *view);
	/* NULL: a slice without output goes on at the next loop iteration; else after this many
	 * milliseconds (a view that waits on the network: ping) */
	unsigned (*wait_ms)(const void *view);
};

struct ctl_view {
	const struct ctl_view_ops *ops;
	void *view; /* NULL: the command made no view (its output is whole) */
};

extern const struct ctl_view_ops ctl_bgp_table_ops; /* view: ctl/show_bgp.h's table view */
extern const struct ctl_view_ops ctl_routes_ops;    /* view: core/core.h's route view */

/* Applies p's output modifier to what the command made: the stream's view (wrapped, filtered
 * as it is made), or else out from start on. False (why in out) on a bad expression. */
bool ctl_view_filter(const struct cli_parse *p, struct strbuf *out, size_t start, struct ctl_view *stream);
/* ping or traceroute (ctl/ping.h) as a view into *stream; false with the reason in out. */
bool ctl_view_ping(const struct cli_parse *p, struct strbuf *out, struct ctl_view *stream);

#endif
