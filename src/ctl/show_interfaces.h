/*
 * DOC: the interface show commands (IOS layout and JSON), from the kernel's view of links
 * and addresses and the running configuration.
 */
#ifndef TERN_CTL_SHOW_INTERFACES_H
#define TERN_CTL_SHOW_INTERFACES_H

#include <stdbool.h>

#include "config/config.h"
#include "kernel/kernel.h"
#include "lib/strbuf.h"

enum show_interfaces_kind {
	SHOW_INTERFACES_BRIEF, /* show ip interface brief */
	SHOW_INTERFACES_ALL,   /* show interfaces [NAME] */
	SHOW_INTERFACES_IP,    /* show ip interface [NAME] */
};

/* filter: an interface name as typed (IOS or Linux), NULL for all. False if it names none. */
bool show_interfaces(const struct kernel *kernel, const struct config *config, enum show_interfaces_kind kind,
		     const char *filter, bool json, struct strbuf *out);

#endif
