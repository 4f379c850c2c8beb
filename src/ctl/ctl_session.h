/*
 * DOC: a shell session's own commands (inside the ctl module): `terminal length`, `show
 * history`, `show version`, `show clock`, and the debug switches (`debug ip bgp|ospf|rip`,
 * `undebug`, `show debugging`).
 */
#ifndef TERN_CTL_CTL_SESSION_H
#define TERN_CTL_CTL_SESSION_H

#include "config/grammar.h"
#include "ctl/ctl.h"
#include "ctl/exec_session.h"

/* p is one of those commands; session is NULL outside a socket session (ctl_execute). */
bool ctl_session_execute(struct ctl_daemon *daemon, const struct cli_parse *p, struct exec_session *session,
			 struct strbuf *out);

#endif
