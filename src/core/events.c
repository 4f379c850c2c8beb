/*
 * DOC: the core's change events (see core.h): who subscribed to what, delivery, batch ends.
 *
 * An event goes to a subscription at once, from inside the change (core_route_set, a
 * source's change); the subscriber only takes note there, and says whether it has work to do.
 * That work runs from the settle pass at the end of the loop iteration (batch_end), once
 * however many events came: a full table loading into BGP costs OSPF and RIP one
 * re-origination per iteration, not one per prefix. Events raised by a batch_end itself are
 * held for the next iteration (no busy loop on a feedback between subscribers).
 *
 * Nothing here is kept per prefix: the masks say cheaply whether anyone listens at all, so a
 * full table costs nothing while nobody redistributes BGP.
 */
#include "core/core_internal.h"

#include <stdlib.h>

#include "lib/memory.h"

static void recompute_masks(struct core *core)
{
	core->candidate_mask = core->winner_mask = 0;
	for (struct core_subscription *s = core->subscriptions; s; s = s->next)
		if (s->ops) {
			core->candidate_mask |= s->candidates;
			core->winner_mask |= s->winners;
		}
}

/* Frees the subscriptions that were cancelled while a callback ran. */
static void sweep(struct core *core)
{
	if (core->delivering)
		return;
	for (struct core_subscription **pp = &core->subscriptions; *pp;) {
		struct core_subscription *s = *pp;
		if (s->ops) {
			pp = &s->next;
			continue;
		}
		*pp = s->next;
		memory_free(MEMORY_CORE, s);
	}
}

struct core_subscription *core_subscribe(struct core *core, uint32_t candidates, uint32_t winners,
					 const struct core_subscriber_ops *ops, void *ctx)
{
	struct core_subscription *s = memory_calloc(MEMORY_CORE, 1, sizeof(*s));
	if (!s)
		return NULL;
	s->core = core;
	s->candidates = candidates;
	s->winners = winners;
	s->ops = ops;
	s->ctx = ctx;
	struct core_subscription **tail = &core->subscriptions;
	while (*tail)
		tail = &(*tail)->next;
	*tail = s; /* batch ends run in the order of subscription */
	recompute_masks(core);
	return s;
}

void core_subscription_listen(struct core_subscription *s, uint32_t candidates, uint32_t winners)
{
	if (!s)
		return;
	s->candidates = candidates;
	s->winners = winners;
	recompute_masks(s->core);
}

void core_unsubscribe(struct core_subscription *s)
{
	if (!s)
		return;
	struct core *core = s->core;
	s->ops = NULL;
	s->pending = false;
	recompute_masks(core);
	sweep(core);
}

static void deliver(struct core *core, const struct core_event *event, uint32_t bits)
{
	bool was_delivering = core->delivering;
	core->delivering = true;
	for (struct core_subscription *s = core->subscriptions; s; s = s->next) {
		uint32_t mask = event->kind == CORE_EVENT_CANDIDATE ? s->candidates : s->winners;
		if (!s->ops || !(mask & bits))
			continue;
		if (s->ops->event(s->ctx, event) && !s->pending) {
			s->pending = true;
			core->events_pending = true;
			core_wake(core);
		}
	}
	core->delivering = was_delivering;
	sweep(core);
}

void core_events_candidate(struct core *core, const struct prefix *prefix, enum core_protocol protocol,
			   bool present, uint32_t metric, bool local)
{
	struct core_event event = { .kind = CORE_EVENT_CANDIDATE, .prefix = prefix, .protocol = protocol,
				    .previous = protocol, .present = present, .metric = metric, .local = local };
	deliver(core, &event, CORE_PROTO_BIT(protocol));
}

void core_events_winner(struct core *core, const struct prefix *prefix, enum core_protocol previous,
			enum core_protocol now, uint32_t metric)
{
	struct core_event event = { .kind = CORE_EVENT_WINNER, .prefix = prefix, .protocol = now,
				    .previous = previous, .present = now != CORE_PROTO_COUNT, .metric = metric };
	uint32_t bits = (previous < CORE_PROTO_COUNT ? CORE_PROTO_BIT(previous) : 0) |
			(now < CORE_PROTO_COUNT ? CORE_PROTO_BIT(now) : 0);
	deliver(core, &event, bits);
}

void core_events_batch_end(struct core *core)
{
	if (!core->events_pending)
		return;
	core->events_pending = false; /* set again by what a batch_end raises: next iteration */
	bool was_delivering = core->delivering;
	core->delivering = true;
	for (struct core_subscription *s = core->subscriptions; s; s = s->next) {
		if (!s->ops || !s->pending)
			continue;
		s->pending = false;
		if (s->ops->batch_end)
			s->ops->batch_end(s->ctx);
	}
	core->delivering = was_delivering;
	sweep(core);
}

void core_events_free(struct core *core)
{
	for (struct core_subscription *s = core->subscriptions, *next; s; s = next) {
		next = s->next;
		memory_free(MEMORY_CORE, s);
	}
	core->subscriptions = NULL;
}

/* ---- for redistributing subscribers ---- */

static bool in_mask(enum core_protocol protocol, uint32_t protocols)
{
	return protocol < CORE_PROTO_COUNT && (protocols & CORE_PROTO_BIT(protocol));
}

bool core_event_touches(const struct core_event *event, uint32_t protocols)
{
	if (event->kind == CORE_EVENT_CANDIDATE)
		return event->protocol >= CORE_PROTO_STORED_COUNT && in_mask(event->protocol, protocols);
	return in_mask(event->protocol, protocols) || in_mask(event->previous, protocols);
}

/* ---- a subscriber's noted prefixes ---- */

void core_noted_init(struct core_noted_prefixes *noted, enum memory_owner owner)
{
	array_init(&noted->prefixes, owner, sizeof(struct prefix), CORE_NOTED_PREFIXES_MAX);
	noted->overflow = false;
}

void core_noted_add(struct core_noted_prefixes *noted, const struct prefix *prefix)
{
	if (noted->overflow)
		return;
	struct prefix *p = array_push(&noted->prefixes);
	if (p)
		*p = *prefix;
	else
		noted->overflow = true;
}

void core_noted_clear(struct core_noted_prefixes *noted)
{
	array_clear(&noted->prefixes);
	noted->overflow = false;
}

void core_noted_free(struct core_noted_prefixes *noted)
{
	array_free(&noted->prefixes);
	noted->overflow = false;
}
