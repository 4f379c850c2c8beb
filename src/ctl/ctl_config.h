/*
 * DOC: configuration commands typed at the control socket (inside the ctl module).
 *
 * A configuration line is applied to a copy of the running configuration; only when it is
 * accepted does the copy become the running configuration, applied live by the daemon.
 */
#ifndef TERN_CTL_CTL_CONFIG_H
#define TERN_CTL_CTL_CONFIG_H

#include "config/grammar.h"
#include "ctl/ctl.h"

/* context: the session's (config-if)# interface, kept between lines. */
bool ctl_execute_config(struct ctl_daemon *daemon, struct config_context *context, const struct cli_parse *p,
			size_t indent, struct strbuf *out);

#endif
