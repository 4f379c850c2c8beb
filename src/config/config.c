/*
 * DOC: the configuration model: init, copy, compare and print by section, and applying one
 * command through its descriptor.
 *
 * struct config holds plain values (config.h). A configuration is made of sections (system,
 * interfaces, rip, ospf, bgp, static routes, policy; config_internal.h), each in its own file
 * with its commands as descriptors, its compare and its print. config_apply_in() is the only
 * code that changes a config from a command: it takes a line already matched by the grammar
 * (grammar.h), finds the command's descriptor, checks the block it belongs to exists, and
 * calls its apply, which checks what IOS would check and only then writes, so a rejected
 * command leaves the config as it was.
 *
 * Interface mode needs to know which interface it configures, which the mode cannot say: the
 * caller keeps a struct config_context per session and config_apply_in() keeps it current.
 *
 * Loading a file (config_load.c) runs every line through cli_parse() and config_apply_in().
 */
#include "config/config_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_policy.h"
#include "lib/memory.h"

/* In the order show running-config prints them. */
const struct config_section_ops *const config_sections[CONFIG_SECTION_COUNT] = {
	[CONFIG_SECTION_SYSTEM] = &config_system_section,
	[CONFIG_SECTION_INTERFACES] = &config_interface_section,
	[CONFIG_SECTION_RIP] = &config_rip_section,
	[CONFIG_SECTION_OSPF] = &config_ospf_section,
	[CONFIG_SECTION_BGP] = &config_bgp_section,
	[CONFIG_SECTION_STATIC] = &config_static_section,
	[CONFIG_SECTION_POLICY] = &config_policy_section,
};

void config_init(struct config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->hostname, sizeof(c->hostname), "Router");
	config_bgp_reset(&c->bgp);
	config_rip_reset(&c->rip);
}

void config_free(struct config *c)
{
	memory_free(MEMORY_CONFIG, c->bgp.neighbors);
	memory_free(MEMORY_CONFIG, c->bgp.networks);
	memory_free(MEMORY_CONFIG, c->bgp.aggregates);
	memory_free(MEMORY_CONFIG, c->static_routes);
	memory_free(MEMORY_CONFIG, c->interfaces);
	policy_config_free(&c->policy);
	c->bgp.neighbors = NULL;
	c->bgp.neighbor_count = 0;
	c->bgp.networks = NULL;
	c->bgp.network_count = 0;
	c->bgp.aggregates = NULL;
	c->bgp.aggregate_count = 0;
	c->static_routes = NULL;
	c->static_route_count = 0;
	c->interfaces = NULL;
	c->interface_count = 0;
}

void config_context_init(struct config_context *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
}

/* A heap copy of count elements of size bytes (NULL for none); false on allocation failure. */
static bool array_dup(void **dst, const void *src, size_t count, size_t size)
{
	*dst = NULL;
	if (count == 0)
		return true;
	*dst = memory_alloc(MEMORY_CONFIG, count * size);
	if (!*dst)
		return false;
	memcpy(*dst, src, count * size);
	return true;
}

bool config_copy(struct config *dst, const struct config *src)
{
	*dst = *src;
	void *neighbors, *networks, *aggregates, *routes, *interfaces;
	bool ok = array_dup(&neighbors, src->bgp.neighbors, src->bgp.neighbor_count,
	                    sizeof(src->bgp.neighbors[0]));
	ok = array_dup(&networks, src->bgp.networks, ok ? src->bgp.network_count : 0,
	               sizeof(src->bgp.networks[0])) && ok;
	ok = array_dup(&aggregates, src->bgp.aggregates, ok ? src->bgp.aggregate_count : 0,
	               sizeof(src->bgp.aggregates[0])) && ok;
	ok = array_dup(&routes, src->static_routes, ok ? src->static_route_count : 0,
	               sizeof(src->static_routes[0])) && ok;
	ok = array_dup(&interfaces, src->interfaces, ok ? src->interface_count : 0,
	               sizeof(src->interfaces[0])) && ok;
	dst->bgp.neighbors = neighbors;
	dst->bgp.networks = networks;
	dst->bgp.aggregates = aggregates;
	dst->static_routes = routes;
	dst->interfaces = interfaces;
	policy_config_init(&dst->policy); /* src's arrays until copied: not ours to free */
	ok = ok && policy_config_copy(&dst->policy, &src->policy);
	if (!ok) {
		config_free(dst);
		config_init(dst);
	}
	return ok;
}

const char *config_section_name(enum config_section s)
{
	return s < CONFIG_SECTION_COUNT ? config_sections[s]->name : "none";
}

bool config_rows_equal(const struct config_command *rows, size_t count, const struct config *a,
                       const struct config *b)
{
	for (size_t i = 0; i < count; i++)
		if (rows[i].equal && !rows[i].equal(a, b))
			return false;
	return true;
}

void config_rows_print(const struct config_command *rows, size_t count, const struct config *c,
                       struct strbuf *out)
{
	for (size_t i = 0; i < count; i++)
		if (rows[i].print)
			rows[i].print(c, out);
}

void config_rows_change(const struct config_command *rows, size_t count, const struct config *a,
                        const struct config *b, struct config_change *out)
{
	for (size_t i = 0; i < count; i++) {
		if (!rows[i].equal || rows[i].equal(a, b))
			continue;
		if (rows[i].opens_block) {
			/* the block begins or ends (or changes its number): its settings come and go
			 * with the process */
			config_change_add(out, rows[i].cmd, rows[i].effect);
			return;
		}
		if (rows[i].change)
			rows[i].change(a, b, out);
		else
			config_change_add(out, rows[i].cmd, rows[i].effect);
	}
}

static bool section_equal(enum config_section s, const struct config *a, const struct config *b)
{
	const struct config_section_ops *ops = config_sections[s];
	return config_rows_equal(ops->commands, ops->command_count, a, b);
}

unsigned config_sections_changed(const struct config *a, const struct config *b)
{
	unsigned changed = 0;
	for (int s = 0; s < CONFIG_SECTION_COUNT; s++)
		if (!section_equal((enum config_section)s, a, b))
			changed |= CONFIG_SECTION_BIT(s);
	return changed;
}

bool config_equal(const struct config *a, const struct config *b)
{
	for (int s = 0; s < CONFIG_SECTION_COUNT; s++)
		if (!section_equal((enum config_section)s, a, b))
			return false;
	return true;
}

void config_print(const struct config *c, struct strbuf *out)
{
	for (int s = 0; s < CONFIG_SECTION_COUNT; s++)
		config_sections[s]->print(c, out);
	strbuf_append(out, "end\n");
}

/* The descriptor of a configuration command and the section it belongs to; NULL if the
 * command is no configuration command. The BGP neighbour settings are descriptors of their
 * own (config_bgp_neighbor.c), applied through config_bgp_apply_neighbor(). */
static const struct config_command *command_find(enum cli_cmd cmd, enum config_section *section)
{
	static const struct config_command neighbor_command = CONFIG_APPLY(CLI_CMD_NONE,
	                                                                   config_bgp_apply_neighbor);
	for (int s = 0; s < CONFIG_SECTION_COUNT; s++) {
		const struct config_section_ops *ops = config_sections[s];
		for (size_t i = 0; i < ops->command_count; i++) {
			if (ops->commands[i].cmd == cmd) {
				*section = (enum config_section)s;
				return &ops->commands[i];
			}
		}
	}
	if (config_neighbor_setting_find(cmd)) {
		*section = CONFIG_SECTION_BGP;
		return &neighbor_command;
	}
	return NULL;
}

enum config_section config_command_section(enum cli_cmd cmd)
{
	enum config_section section;
	const struct config_command *command = command_find(cmd, &section);
	return command && command->apply ? section : CONFIG_SECTION_COUNT;
}

static bool apply_command(struct config *c, const struct cli_parse *p, struct config_apply_state *s)
{
	if (p->cmd == CLI_CMD_EXIT || p->cmd == CLI_CMD_END)
		return true;
	enum config_section section;
	const struct config_command *command = command_find(p->cmd, &section);
	if (!command)
		return config_fail(s->r, p, NULL, "%% Not a configuration command");
	const struct config_section_ops *ops = config_sections[section];
	if (ops->running && !command->opens_block && !ops->running(c))
		return config_fail(s->r, p, NULL, "%s", ops->not_running);
	if (!command->apply)
		return config_ignored(p, s->r, command->ignored);
	return command->apply(c, p, s);
}

bool config_apply_in(struct config *c, const struct cli_parse *p, struct config_context *ctx,
                     struct config_apply_result *r)
{
	memset(r, 0, sizeof(*r));
	r->mode = p->via_do ? p->next_mode : p->mode;
	if (p->status != CLI_OK)
		return config_fail(r, p, NULL, "%s", p->message);
	if (p->via_do || !cli_mode_is_config(p->mode))
		return config_fail(r, p, NULL, "%% Not a configuration command");
	struct config_apply_state state = { .ctx = ctx, .r = r };
	if (!apply_command(c, p, &state))
		return false;
	r->mode = p->next_mode;
	if (ctx && state.entered[0])
		config_text_copy(ctx->interface, sizeof(ctx->interface), state.entered);
	else if (ctx && r->mode != CLI_MODE_CONFIG_INTERFACE)
		ctx->interface[0] = '\0';
	if (ctx && r->mode != CLI_MODE_CONFIG_ROUTE_MAP)
		ctx->route_map[0] = '\0';
	return true;
}

bool config_apply(struct config *c, const struct cli_parse *p, struct config_apply_result *r)
{
	return config_apply_in(c, p, NULL, r);
}
