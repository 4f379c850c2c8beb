/*
 * DOC: the system section: the host name, and the global lines a saved IOS configuration
 * carries that mean nothing on Tern (accepted and ignored with a note).
 */
#include "config/config_internal.h"

#include <stdio.h>
#include <string.h>

/* RFC 1123 host name label, as IOS enforces it. */
static bool hostname_valid(const char *name)
{
	size_t len = strlen(name);
	if (len == 0 || len >= CONFIG_NAME_MAX || !config_is_letter(name[0]))
		return false;
	if (!config_is_letter(name[len - 1]) && !config_is_digit(name[len - 1]))
		return false;
	for (size_t i = 0; i < len; i++) {
		if (!config_is_letter(name[i]) && !config_is_digit(name[i]) && name[i] != '-')
			return false;
	}
	return true;
}

static bool apply_hostname(struct config *c, const struct cli_parse *p, struct config_apply_state *s)
{
	struct config_apply_result *r = s->r;
	const struct cli_value *name = cli_arg(p, "HOSTNAME");
	if (p->negated) {
		snprintf(c->hostname, sizeof(c->hostname), "Router");
		return true;
	}
	if (!hostname_valid(name->text))
		return config_fail(r, p, name, "%% Hostname contains one or more illegal characters.");
	config_text_copy(c->hostname, sizeof(c->hostname), name->text);
	return true;
}

static bool hostname_equal(const struct config *a, const struct config *b)
{
	return strcmp(a->hostname, b->hostname) == 0;
}

static void hostname_print(const struct config *c, struct strbuf *out)
{
	strbuf_printf(out, "hostname %s\n", c->hostname);
}

/* The host name is the shell's prompt and nothing else: no protocol reads it. */
static const struct config_command system_commands[] = {
	CONFIG_SETTING(CLI_CMD_HOSTNAME, "hostname", apply_hostname, hostname_print, hostname_equal,
	               CONFIG_EFFECT_IN_PLACE),
	CONFIG_IGNORED(CLI_CMD_LEGACY_GLOBAL, "it has no meaning on Tern"),
	CONFIG_IGNORED(CLI_CMD_IP_CLASSLESS, "Tern always forwards classless"),
	CONFIG_IGNORED(CLI_CMD_IP_SUBNET_ZERO, "subnet zero is always allowed"),
	CONFIG_IGNORED(CLI_CMD_LINE, "terminal lines are not managed by Tern"),
	CONFIG_IGNORED(CLI_CMD_LINE_SETTING, "terminal lines are not managed by Tern"),
};
#define SYSTEM_COMMAND_COUNT (sizeof(system_commands) / sizeof(system_commands[0]))

static void system_print(const struct config *c, struct strbuf *out)
{
	config_rows_print(system_commands, SYSTEM_COMMAND_COUNT, c, out);
	strbuf_append(out, "!\n");
}

const struct config_section_ops config_system_section = {
	.section = CONFIG_SECTION_SYSTEM,
	.name = "system",
	.commands = system_commands,
	.command_count = SYSTEM_COMMAND_COUNT,
	.print = system_print,
};
