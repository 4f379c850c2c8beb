/*
 * DOC: redistribution into OSPF (redistribute connected|static|bgp, default-information
 * originate): which routes of the core become AS-external LSAs, followed one prefix at a time.
 *
 * The rules (IOS): connected, then static, then BGP, the first that has a prefix gives it its
 * metric (default 20) and metric type; without `subnets` only classful networks are taken; a
 * default route in the table that is not OSPF's own makes `default-information originate`
 * announce 0.0.0.0/0 with metric 1 (type 2) unless a redistributed route gave it already. At
 * most OSPF_EXTERNALS_MAX externals: the rest are left out with a warning.
 *
 * ospfd subscribes to the core's change events: each relevant event notes its prefix
 * (ospf_redistribution_event), and at the batch's end ospf_redistribution_apply looks at
 * those prefixes only and adds, replaces or removes one external each. A full recompute
 * (ospf_redistribution_recompute: a walk of every redistributed protocol, then the
 * difference applied) happens at start, when the configuration changes, when a burst noted
 * more prefixes than CORE_NOTED_PREFIXES_MAX, and when a route goes while others were left out
 * at the cap (one of them may take its place). Which routes are left out at the cap: those
 * the walk meets last after a recompute, those that came last in between.
 */
#ifndef TERN_OSPF_REDISTRIBUTE_H
#define TERN_OSPF_REDISTRIBUTE_H

#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"
#include "core/core.h"
#include "ospf/ospf.h"

struct ospf_redistribution {
	struct core *core;
	uint32_t process;                /* for the log */
	size_t max_externals;            /* the cap: OSPF_EXTERNALS_MAX (a test makes it small) */
	struct core_noted_prefixes noted;
	bool left_out;                   /* a route was left out at the cap */
	bool cap_logged;                 /* ... and the log said so (until the next recompute) */
};

void ospf_redistribution_init(struct ospf_redistribution *r, struct core *core);
void ospf_redistribution_free(struct ospf_redistribution *r);

/* Does the change touch what the externals are made of? If so the prefix is noted: true
 * asks for ospf_redistribution_apply at the batch's end. */
bool ospf_redistribution_event(struct ospf_redistribution *r, const struct config *config,
			       const struct core_event *event);
/* The noted prefixes' externals, one by one (or a recompute, see above). */
void ospf_redistribution_apply(struct ospf_redistribution *r, struct ospf *ospf, const struct config *config);
/* Every external again from the core's tables, and the ASBR flag; noted prefixes dropped. */
void ospf_redistribution_recompute(struct ospf_redistribution *r, struct ospf *ospf, const struct config *config);

#endif
