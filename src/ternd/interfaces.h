/*
 * DOC: interface configuration onto the kernel (inside ternd).
 */
#ifndef TERN_TERND_INTERFACES_H
#define TERN_TERND_INTERFACES_H

#include "config/config.h"
#include "kernel/kernel.h"
#include "lib/strbuf.h"

/* Brings the kernel's interfaces in line with new (old: the configuration before, or NULL;
 * change: the interfaces' change list from old to new, config_section_change). Kernel
 * errors are logged and, if messages is not NULL, appended to it. */
void interfaces_apply(struct kernel *kernel, const struct config *old, const struct config *new,
		      const struct config_change *change, struct strbuf *messages);

#endif
