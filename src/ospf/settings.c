/*
 * DOC: what a configuration change says to OSPF.
 *
 * The configuration's descriptors say, setting by setting, what changed and what the change
 * needs (config_section_change); for the interfaces they say which interface and which of its
 * settings. OSPF acts on that: an interface whose Hello changes (network type, intervals,
 * authentication: RFC 2328 §10.5, §D) goes down and up, that interface only; a new priority
 * runs its election (§9.4); a new cost, reference bandwidth or redistribution is originated
 * in place. The settings of router ospf (network statements, passive-interface, area
 * authentication) apply to the addresses the kernel has, so OSPF restarts the interfaces on
 * which the value it computes from them differs (ospf_reconfigure_interfaces).
 */
#include "ospf/settings.h"

#include "config/grammar.h"
#include "ospf/ospf.h"

unsigned ospf_if_settings_changed(const struct config_change *ospf)
{
	unsigned changed = 0;
	for (size_t i = 0; i < ospf->count; i++) {
		if (ospf->effects[i] < CONFIG_EFFECT_RESET)
			continue; /* costs, redistribution: in place */
		if (ospf->settings[i] == CLI_CMD_OSPF_NETWORK)
			changed |= OSPF_IF_SETTING_AREA;
		else if (ospf->settings[i] == CLI_CMD_OSPF_PASSIVE)
			changed |= OSPF_IF_SETTING_PASSIVE;
		else if (ospf->settings[i] == CLI_CMD_OSPF_AREA_AUTH)
			changed |= OSPF_IF_SETTING_AUTH;
	}
	return changed;
}

/* The interface settings a neighbour checks in a Hello. */
static const enum config_interface_setting hello_settings[] = {
	CONFIG_IF_OSPF_AUTHENTICATION,
	CONFIG_IF_OSPF_NETWORK,
	CONFIG_IF_OSPF_HELLO_INTERVAL,
	CONFIG_IF_OSPF_DEAD_INTERVAL,
};

unsigned ospf_if_named(const struct config_interface_change *entry)
{
	if (!entry)
		return 0;
	unsigned named = 0;
	/* an interface's configuration that comes, goes or moves to another address is
	 * everything OSPF reads of that interface (its name, type, passive, settings) */
	if (entry->delta != CONFIG_INTERFACE_CHANGED || (entry->settings & CONFIG_IF_SETTING_BIT(CONFIG_IF_IP_ADDRESS)))
		named |= OSPF_IF_NAMED_ANEW;
	for (size_t i = 0; i < sizeof(hello_settings) / sizeof(hello_settings[0]); i++)
		if (entry->effects[hello_settings[i]] >= CONFIG_EFFECT_RESET)
			named |= OSPF_IF_NAMED_RESTART;
	if (entry->effects[CONFIG_IF_OSPF_PRIORITY] >= CONFIG_EFFECT_IN_PLACE)
		named |= OSPF_IF_NAMED_REELECT;
	return named;
}
