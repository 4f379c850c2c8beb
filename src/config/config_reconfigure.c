/*
 * DOC: which protocols a new configuration concerns.
 *
 * The daemon applies a new configuration protocol by protocol. Each protocol's apply reads
 * some sections of the configuration; when none of them changed, the protocol is left alone:
 * `hostname R2` applies nothing, a new `ip route` applies the static routes only, a new
 * neighbour applies BGP only (and BGP's own apply then resets only the sessions whose
 * settings need it). The table below is the one place that says what each apply reads: a
 * protocol that starts reading another section adds it here.
 *
 * Within a section, what changed is known setting by setting: each setting's descriptor
 * compares it and says what a change of it needs (enum config_effect), so a commit can say
 * "ospf: router-id (reset)" and BGP asks a neighbour's descriptors whether to reset its
 * session. The interfaces section also names each interface that differs, with its settings
 * (struct config_interface_change): OSPF restarts that interface only, RIP reads that
 * interface's settings again, and neither compares an interface's old and new settings.
 */
#include "config/config_internal.h"

#include <string.h>

#include "lib/memory.h"

struct protocol_reads {
	const char *name;
	unsigned sections;
	/* Reads only whether BGP runs and as which AS (RIP and OSPF redistribute from the
	 * speaker), not the rest of router bgp: a new neighbour does not concern them. */
	bool bgp_process;
};

static const struct protocol_reads protocol_reads[CONFIG_PROTOCOL_COUNT] = {
	/* core_static_configure: the routes; their interfaces are resolved by the kernel */
	[CONFIG_PROTOCOL_STATIC] = { "static", CONFIG_SECTION_BIT(CONFIG_SECTION_STATIC), false },
	/* rip_io_configure and rip_io_redistribute: router rip, the interfaces' ip rip settings,
	 * and the BGP speaker it redistributes from (started or stopped with router bgp) */
	[CONFIG_PROTOCOL_RIP] = { "rip", CONFIG_SECTION_BIT(CONFIG_SECTION_RIP) |
	                                 CONFIG_SECTION_BIT(CONFIG_SECTION_INTERFACES), true },
	/* ospfd_configure: router ospf, the interfaces' ip ospf settings and addresses, and the
	 * BGP speaker it redistributes from (redistribute bgp ASN) */
	[CONFIG_PROTOCOL_OSPF] = { "ospf", CONFIG_SECTION_BIT(CONFIG_SECTION_OSPF) |
	                                   CONFIG_SECTION_BIT(CONFIG_SECTION_INTERFACES), true },
	/* bgp_speaker_configure and the origination: router bgp, the routing policy, the router
	 * ID picked from the interfaces' addresses when none is set, and redistribute ospf
	 * (which needs the OSPF process it names) */
	[CONFIG_PROTOCOL_BGP] = { "bgp", CONFIG_SECTION_BIT(CONFIG_SECTION_BGP) |
	                                 CONFIG_SECTION_BIT(CONFIG_SECTION_POLICY) |
	                                 CONFIG_SECTION_BIT(CONFIG_SECTION_INTERFACES) |
	                                 CONFIG_SECTION_BIT(CONFIG_SECTION_OSPF), false },
};

const char *config_protocol_name(enum config_protocol p)
{
	return p < CONFIG_PROTOCOL_COUNT ? protocol_reads[p].name : "none";
}

unsigned config_protocol_sections(enum config_protocol p)
{
	return p < CONFIG_PROTOCOL_COUNT ? protocol_reads[p].sections : 0;
}

unsigned config_protocols_changed(const struct config *running, const struct config *next)
{
	unsigned sections = config_sections_changed(running, next);
	bool bgp_process = running->bgp.enabled != next->bgp.enabled ||
	                   (next->bgp.enabled && running->bgp.asn != next->bgp.asn);
	unsigned protocols = 0;
	for (int p = 0; p < CONFIG_PROTOCOL_COUNT; p++)
		if ((protocol_reads[p].sections & sections) || (protocol_reads[p].bgp_process && bgp_process))
			protocols |= CONFIG_PROTOCOL_BIT(p);
	return protocols;
}

/* ---- what changed, setting by setting ---- */

const char *config_effect_name(enum config_effect e)
{
	switch (e) {
	case CONFIG_EFFECT_NONE:
		return "none";
	case CONFIG_EFFECT_IN_PLACE:
		return "in place";
	case CONFIG_EFFECT_REFRESH:
		return "refresh";
	case CONFIG_EFFECT_RESET:
		return "reset";
	case CONFIG_EFFECT_RESTART:
		return "restart";
	}
	return "unknown";
}

void config_change_add(struct config_change *out, enum cli_cmd setting, enum config_effect effect)
{
	if (effect > out->effect)
		out->effect = effect;
	for (size_t i = 0; i < out->count; i++) {
		if (out->settings[i] == setting) {
			if (effect > out->effects[i])
				out->effects[i] = effect;
			return;
		}
	}
	if (out->count >= CONFIG_CHANGE_MAX)
		return; /* the list is for naming; the effect above is always right */
	out->settings[out->count] = setting;
	out->effects[out->count++] = effect;
}

bool config_change_has(const struct config_change *change, enum cli_cmd setting)
{
	for (size_t i = 0; i < change->count; i++)
		if (change->settings[i] == setting)
			return true;
	return false;
}

void config_change_free(struct config_change *change)
{
	memory_free(MEMORY_CONFIG, change->interfaces);
	change->interfaces = NULL;
	change->interface_count = 0;
}

const struct config_interface_change *config_change_interface(const struct config_change *change,
                                                              const char *name)
{
	for (size_t i = 0; i < change->interface_count; i++)
		if (strcmp(change->interfaces[i].name, name) == 0)
			return &change->interfaces[i];
	return NULL;
}

const char *config_setting_name(enum cli_cmd setting)
{
	for (int s = 0; s < CONFIG_SECTION_COUNT; s++) {
		const struct config_section_ops *ops = config_sections[s];
		for (size_t i = 0; i < ops->command_count; i++)
			if (ops->commands[i].cmd == setting && ops->commands[i].name)
				return ops->commands[i].name;
	}
	const char *name = config_neighbor_setting_name(setting);
	if (!name)
		name = config_interface_setting_name(setting);
	return name ? name : "unknown";
}

void config_section_change(enum config_section s, const struct config *a, const struct config *b,
                           struct config_change *out)
{
	*out = (struct config_change){ .effect = CONFIG_EFFECT_NONE };
	if (s >= CONFIG_SECTION_COUNT)
		return;
	const struct config_section_ops *ops = config_sections[s];
	config_rows_change(ops->commands, ops->command_count, a, b, out);
}

void config_changes_print(const struct config *running, const struct config *next, struct strbuf *out)
{
	for (int s = 0; s < CONFIG_SECTION_COUNT; s++) {
		struct config_change change;
		config_section_change((enum config_section)s, running, next, &change);
		if (!change.count) {
			config_change_free(&change);
			continue;
		}
		strbuf_printf(out, "%s:", config_section_name((enum config_section)s));
		for (size_t i = 0; i < change.count; i++)
			strbuf_printf(out, "%s %s (%s)", i ? "," : "", config_setting_name(change.settings[i]),
			              config_effect_name(change.effects[i]));
		strbuf_append(out, "\n");
		config_change_free(&change);
	}
}
