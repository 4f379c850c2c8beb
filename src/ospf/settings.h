/*
 * DOC: the OSPF interface settings a configuration change names (enum ospf_if_settings).
 */
#ifndef TERN_OSPF_SETTINGS_H
#define TERN_OSPF_SETTINGS_H

#include "config/config.h"

/* The interface settings (enum ospf_if_settings) whose change restarts an interface, as the
 * change lists of router ospf and of the interfaces (config_section_change) name them. */
unsigned ospf_if_settings_changed(const struct config_change *ospf, const struct config_change *interfaces);

#endif
