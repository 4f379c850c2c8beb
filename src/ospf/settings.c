/*
 * DOC: which OSPF interface settings a configuration change names.
 *
 * The configuration's descriptors say, setting by setting, what changed and what the change
 * needs (config_section_change). OSPF restarts an interface only for a setting whose change
 * needs a reset and whose value differs on that interface (ospf_reconfigure_interfaces); this
 * maps the change lists of router ospf and of the interfaces onto those settings. A new cost,
 * priority, reference bandwidth or redistribution is applied in place.
 */
#include "ospf/settings.h"

#include "config/grammar.h"
#include "ospf/ospf.h"

unsigned ospf_if_settings_changed(const struct config_change *ospf, const struct config_change *interfaces)
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
	for (size_t i = 0; i < interfaces->count; i++) {
		enum cli_cmd setting = interfaces->settings[i];
		/* an interface's configuration that comes, goes or moves to another address is
		 * everything OSPF reads of that interface (its name, type, passive, settings) */
		if (setting == CLI_CMD_INTERFACE || setting == CLI_CMD_IF_IP_ADDRESS)
			changed |= OSPF_IF_SETTING_ALL;
		/* what neighbours check in a Hello; a new cost or priority alone is in place */
		if (setting == CLI_CMD_IF_OSPF && interfaces->effects[i] >= CONFIG_EFFECT_RESET)
			changed |= OSPF_IF_SETTING_HELLO | OSPF_IF_SETTING_AUTH;
	}
	return changed;
}
