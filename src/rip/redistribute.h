/*
 * DOC: redistribution into RIP (redistribute connected|static|bgp), one prefix at a time.
 *
 * Connected, then static, then BGP: the first that has a prefix makes it a local route of
 * that kind (rip.c gives the metric from the configuration). ripd subscribes to the core's
 * change events: each relevant event notes its prefix (rip_redistribution_event) and at the
 * batch's end rip_redistribution_apply hands RIP that prefix alone (rip_redistribute_one), so
 * that a full table loading into BGP costs what changed, not a listing of every route per
 * loop iteration. The full listing (rip_redistribution_recompute) runs at start, when the
 * configuration changes, and when a burst noted more than CORE_NOTED_PREFIXES_MAX prefixes.
 */
#ifndef TERN_RIP_REDISTRIBUTE_H
#define TERN_RIP_REDISTRIBUTE_H

#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"
#include "core/core.h"
#include "rip/rip.h"

struct rip_redistribution {
	struct core *core;
	struct core_noted_prefixes noted;
};

void rip_redistribution_init(struct rip_redistribution *r, struct core *core);
void rip_redistribution_free(struct rip_redistribution *r);
/* Does the change touch a route `redistribute` takes? If so its prefix is noted: true asks
 * for rip_redistribution_apply at the batch's end. */
bool rip_redistribution_event(struct rip_redistribution *r, const struct config *config,
			      const struct core_event *event);
void rip_redistribution_apply(struct rip_redistribution *r, struct rip *rip, const struct config *config,
			      uint64_t now);
/* Every redistributed route listed again; noted prefixes dropped. */
void rip_redistribution_recompute(struct rip_redistribution *r, struct rip *rip, const struct config *config,
				  uint64_t now);

#endif
