/*
 * DOC: redistribution into RIP, one prefix at a time (see rip/redistribute.h).
 *
 * One prefix is judged from the core alone (which protocol wins it among the stored routes,
 * whether BGP's source has a route for it not originated here), in the order the full listing
 * walks the tables, so that both give the same routes.
 */
#include "rip/redistribute.h"

#include <sys/socket.h>

void rip_redistribution_init(struct rip_redistribution *r, struct core *core)
{
	r->core = core;
	core_noted_init(&r->noted, MEMORY_RIP);
}

void rip_redistribution_free(struct rip_redistribution *r)
{
	core_noted_free(&r->noted);
}

bool rip_redistribution_event(struct rip_redistribution *r, const struct config *config,
			      const struct core_event *event)
{
	if (!config || event->prefix->family != AF_INET)
		return false;
	const struct config_rip *c = &config->rip;
	uint32_t taken = (c->redistribute_connected.enabled ? CORE_PROTO_BIT(CORE_PROTO_CONNECTED) : 0) |
			 (c->redistribute_static.enabled ? CORE_PROTO_BIT(CORE_PROTO_STATIC) : 0) |
			 (c->redistribute_bgp.enabled ? CORE_PROTO_BIT(CORE_PROTO_BGP) : 0);
	bool relevant = core_event_touches(event, taken);
	if (relevant)
		core_noted_add(&r->noted, event->prefix);
	return relevant;
}

/* The protocols in the listing's order, with the kind RIP knows them by. */
static const struct {
	enum core_protocol protocol;
	enum rip_redistribute_kind kind;
} sources[] = {
	{ CORE_PROTO_CONNECTED, RIP_REDIST_CONNECTED },
	{ CORE_PROTO_STATIC, RIP_REDIST_STATIC },
	/* BGP's best paths learned from peers (the core's BGP source takes no locally
	 * originated path: those may be RIP's own routes) */
	{ CORE_PROTO_BGP, RIP_REDIST_BGP },
};

static bool source_on(const struct config_rip *c, enum rip_redistribute_kind kind)
{
	return kind == RIP_REDIST_CONNECTED ? c->redistribute_connected.enabled
	       : kind == RIP_REDIST_STATIC  ? c->redistribute_static.enabled
					    : c->redistribute_bgp.enabled;
}

void rip_redistribution_apply(struct rip_redistribution *r, struct rip *rip, const struct config *config,
			      uint64_t now)
{
	if (r->noted.overflow) {
		rip_redistribution_recompute(r, rip, config, now);
		return;
	}
	for (size_t i = 0; i < r->noted.prefixes.count; i++) {
		const struct prefix *p = array_at(&r->noted.prefixes, i);
		bool present = false;
		enum rip_redistribute_kind kind = RIP_REDIST_CONNECTED;
		for (size_t k = 0; k < sizeof(sources) / sizeof(sources[0]) && !present; k++) {
			if (source_on(&config->rip, sources[k].kind) &&
			    core_redistributable(r->core, sources[k].protocol, p, NULL)) {
				present = true;
				kind = sources[k].kind;
			}
		}
		rip_redistribute_one(rip, p, present, kind, now);
	}
	core_noted_clear(&r->noted);
}

struct listing {
	struct rip *rip;
	enum rip_redistribute_kind kind;
};

static void list_one(void *ctx, const struct prefix *prefix, uint32_t metric)
{
	(void)metric;
	struct listing *l = ctx;
	if (prefix->family == AF_INET)
		rip_redistribute_add(l->rip, prefix, l->kind);
}

void rip_redistribution_recompute(struct rip_redistribution *r, struct rip *rip, const struct config *config,
				  uint64_t now)
{
	core_noted_clear(&r->noted);
	rip_redistribute_begin(rip);
	for (size_t k = 0; k < sizeof(sources) / sizeof(sources[0]); k++) {
		struct listing l = { rip, sources[k].kind };
		if (source_on(&config->rip, sources[k].kind))
			core_walk_protocol(r->core, sources[k].protocol, list_one, &l);
	}
	rip_redistribute_end(rip, now);
}
