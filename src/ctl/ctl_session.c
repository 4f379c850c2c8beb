/*
 * DOC: a shell session's own commands (see ctl_session.h).
 */
#include "ctl/ctl_session.h"

#include <time.h>

#include "ctl/show_system.h"
#include "rip/rip_io.h"

/* The daemon's debug switches as they are now. */
static void set_debug(struct ctl_daemon *daemon, bool bgp, bool ospf, bool rip)
{
	daemon->debug_bgp = bgp;
	daemon->debug_ospf = ospf;
	daemon->debug_rip = rip;
	if (daemon->speaker)
		bgp_speaker_set_debug(daemon->speaker, bgp);
	if (daemon->ospf)
		ospfd_set_debug(daemon->ospf, ospf);
	if (daemon->rip)
		rip_io_set_debug(daemon->rip, rip);
}

/* debug ip (bgp|ospf|rip), undebug ..., undebug all, show debugging: IOS's answers. */
static bool debugging(struct ctl_daemon *daemon, const struct cli_parse *p, struct strbuf *out)
{
	bool bgp = daemon->debug_bgp, ospf = daemon->debug_ospf, rip = daemon->debug_rip;
	if (p->cmd == CLI_CMD_SHOW_DEBUGGING) {
		if (bgp || ospf || rip)
			strbuf_append(out, "IP routing:\n");
		if (bgp)
			strbuf_append(out, "  BGP debugging is on for address family: IPv4 Unicast\n");
		if (ospf)
			strbuf_append(out, "  OSPF packet debugging is on\n");
		if (rip)
			strbuf_append(out, "  RIP protocol debugging is on\n");
		return true;
	}
	if (p->cmd == CLI_CMD_UNDEBUG_ALL) {
		set_debug(daemon, false, false, false);
		strbuf_append(out, "All possible debugging has been turned off\n");
		return true;
	}
	bool on = !p->negated && !cli_has(p, "undebug");
	const char *what;
	if (cli_has(p, "bgp")) {
		bgp = on;
		what = on ? "BGP debugging is on for address family: IPv4 Unicast" : "BGP debugging is off";
	} else if (cli_has(p, "ospf")) {
		ospf = on;
		what = on ? "OSPF packet debugging is on" : "OSPF packet debugging is off";
	} else {
		rip = on;
		what = on ? "RIP protocol debugging is on" : "RIP protocol debugging is off";
	}
	set_debug(daemon, bgp, ospf, rip);
	strbuf_printf(out, "%s\n", what);
	return true;
}

bool ctl_session_execute(struct ctl_daemon *daemon, const struct cli_parse *p, struct exec_session *session,
			 struct strbuf *out)
{
	switch (p->cmd) {
	case CLI_CMD_DEBUG_IP:
	case CLI_CMD_UNDEBUG_ALL:
	case CLI_CMD_SHOW_DEBUGGING:
		return debugging(daemon, p, out);
	case CLI_CMD_TERMINAL_LENGTH:
		if (session)
			session->terminal_length = cli_arg(p, "TERMINAL-LENGTH")->number;
		return true;
	case CLI_CMD_SHOW_HISTORY:
		if (session)
			exec_session_show_history(session, out);
		return true;
	case CLI_CMD_SHOW_VERSION:
		show_version(daemon->running->hostname, show_process_uptime(), daemon->config_path, out);
		return true;
	case CLI_CMD_SHOW_CLOCK: {
		struct timespec now;
		clock_gettime(CLOCK_REALTIME, &now);
		show_clock(&now, out);
		return true;
	}
	default:
		strbuf_append(out, "% Not a session command\n");
		return false;
	}
}
