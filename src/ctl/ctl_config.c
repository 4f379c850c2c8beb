/*
 * DOC: configuration lines typed at the control socket (see ctl_config.h).
 *
 * The grammar says which command it is; config_apply() (config.h) says what it does to a
 * configuration. This file makes that transactional: a copy of the running configuration
 * takes the command, and only an accepted command is committed and applied live.
 */
#include "ctl/ctl_config.h"

bool ctl_execute_config(struct ctl_daemon *daemon, struct config_context *context, const struct cli_parse *p,
			size_t indent, struct strbuf *out)
{
	switch (p->cmd) {
	case CLI_CMD_EXIT:
	case CLI_CMD_END:
		return true; /* mode changes only */
	default:
		break;
	}
	struct config candidate;
	if (!config_copy(&candidate, daemon->running)) {
		strbuf_append(out, "% Out of memory\n");
		return false;
	}
	struct config_apply_result result;
	bool ok = config_apply_in(&candidate, p, context, &result);
	if (!ok) {
		/* IOS puts a caret under the offending word when it points at one */
		if (result.column)
			strbuf_printf(out, "%*s^\n", (int)(indent + result.column), "");
		strbuf_printf(out, "%s\n", result.message);
	} else {
		if (result.message[0])
			strbuf_printf(out, "%s\n", result.message);
		ok = daemon->commit(daemon, &candidate, out);
	}
	config_free(&candidate);
	return ok;
}
