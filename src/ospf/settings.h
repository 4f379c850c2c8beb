/*
 * DOC: what a configuration change says to OSPF: the settings of router ospf it compares
 * on every interface (enum ospf_if_settings), and what it does to the one interface an entry
 * of the interfaces' change list names (enum ospf_if_named).
 */
#ifndef TERN_OSPF_SETTINGS_H
#define TERN_OSPF_SETTINGS_H

#include "config/config.h"

/* The settings of router ospf (enum ospf_if_settings) whose change restarts the interfaces on
 * which the value OSPF computes differs, as router ospf's change list names them. */
unsigned ospf_if_settings_changed(const struct config_change *ospf);
/* What an interface's entry in the interfaces' change list does to the OSPF interfaces that
 * run on it (enum ospf_if_named); NULL: not named, 0. */
unsigned ospf_if_named(const struct config_interface_change *entry);

#endif
