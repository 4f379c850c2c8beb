/*
 * DOC: the table of links and addresses (pure).
 *
 * Links live in an array sorted by ifindex (binary search; a router has tens or a few thousand
 * links, and they change rarely), addresses in one array in arrival order. Each update answers
 * what changed, so the caller reports only real changes: the kernel sends RTM_NEWLINK for many
 * reasons (statistics, a changed qdisc) that leave every field we keep as it was. A stale mark
 * on each entry supports a re-dump after lost notifications: mark all, apply the dump, sweep.
 */
#include "kernel.h"

#include <stdlib.h>
#include <string.h>

#include "lib/array.h"

struct link_slot {
	struct kernel_link link;
	bool stale;
};

struct addr_slot {
	struct kernel_addr addr;
	bool stale;
};

/* Far more than a router has; past them a new link or address stays unknown, as when memory
 * runs out. */
#define LINKS_MAX 65536
#define ADDRS_MAX 65536

struct kernel_ifaces {
	struct array links; /* of link_slot, by ifindex */
	struct array addrs; /* of addr_slot */
};

static struct link_slot *links_of(const struct kernel_ifaces *t)
{
	return t->links.items;
}

static struct addr_slot *addrs_of(const struct kernel_ifaces *t)
{
	return t->addrs.items;
}

struct kernel_ifaces *kernel_ifaces_new(void)
{
	struct kernel_ifaces *t = memory_calloc(MEMORY_KERNEL, 1, sizeof(struct kernel_ifaces));
	if (!t)
		return NULL;
	array_init(&t->links, MEMORY_KERNEL, sizeof(struct link_slot), LINKS_MAX);
	array_init(&t->addrs, MEMORY_KERNEL, sizeof(struct addr_slot), ADDRS_MAX);
	return t;
}

void kernel_ifaces_free(struct kernel_ifaces *t)
{
	if (!t)
		return;
	array_free(&t->links);
	array_free(&t->addrs);
	memory_free(MEMORY_KERNEL, t);
}

/* Index of ifindex, or of where it would go. */
static size_t link_pos(const struct kernel_ifaces *t, uint32_t ifindex, bool *found)
{
	const struct link_slot *links = links_of(t);
	size_t lo = 0, hi = t->links.count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (links[mid].link.ifindex < ifindex)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < t->links.count && links[lo].link.ifindex == ifindex;
	return lo;
}

static bool link_same(const struct kernel_link *a, const struct kernel_link *b)
{
	return a->ifindex == b->ifindex && strcmp(a->name, b->name) == 0 && a->flags == b->flags &&
	       a->mtu == b->mtu && a->lladdr_len == b->lladdr_len &&
	       memcmp(a->lladdr, b->lladdr, a->lladdr_len) == 0;
}

static void drop_addrs_of(struct kernel_ifaces *t, uint32_t ifindex)
{
	struct addr_slot *addrs = addrs_of(t);
	size_t w = 0;
	for (size_t i = 0; i < t->addrs.count; i++)
		if (addrs[i].addr.ifindex != ifindex)
			addrs[w++] = addrs[i];
	t->addrs.count = w;
}

int kernel_ifaces_link_update(struct kernel_ifaces *t, const struct kernel_link *l, bool removed)
{
	bool found;
	size_t i = link_pos(t, l->ifindex, &found);
	if (removed) {
		if (!found)
			return -1;
		array_remove(&t->links, i);
		/* The kernel sends RTM_DELADDR for a vanishing link's addresses, but a lost
		 * notification must not leave them behind. */
		drop_addrs_of(t, l->ifindex);
		return KERNEL_REMOVED;
	}
	if (found) {
		struct link_slot *s = &links_of(t)[i];
		s->stale = false;
		if (link_same(&s->link, l))
			return -1;
		s->link = *l;
		return KERNEL_CHANGED;
	}
	struct link_slot *s = array_insert(&t->links, i);
	if (!s)
		return -1; /* out of memory or at the cap: the link stays unknown, as if never listed */
	s->link = *l;
	return KERNEL_ADDED;
}

static struct addr_slot *addr_find(const struct kernel_ifaces *t, const struct kernel_addr *a)
{
	for (size_t i = 0; i < t->addrs.count; i++) {
		struct addr_slot *s = &addrs_of(t)[i];
		if (s->addr.ifindex == a->ifindex && s->addr.prefixlen == a->prefixlen &&
		    ip_addr_equal(&s->addr.addr, &a->addr))
			return s;
	}
	return NULL;
}

int kernel_ifaces_addr_update(struct kernel_ifaces *t, const struct kernel_addr *a, bool removed)
{
	struct addr_slot *s = addr_find(t, a);
	if (removed) {
		if (!s)
			return -1;
		*s = addrs_of(t)[--t->addrs.count];
		return KERNEL_REMOVED;
	}
	if (s) {
		s->stale = false;
		if (s->addr.flags == a->flags)
			return -1;
		s->addr.flags = a->flags;
		return KERNEL_CHANGED;
	}
	struct addr_slot *added = array_push(&t->addrs);
	if (!added)
		return -1;
	added->addr = *a;
	return KERNEL_ADDED;
}

const struct kernel_link *kernel_ifaces_link(const struct kernel_ifaces *t, uint32_t ifindex)
{
	bool found;
	size_t i = link_pos(t, ifindex, &found);
	return found ? &links_of(t)[i].link : NULL;
}

const struct kernel_link *kernel_ifaces_link_by_name(const struct kernel_ifaces *t,
						     const char *linux_name)
{
	for (size_t i = 0; i < t->links.count; i++)
		if (strcmp(links_of(t)[i].link.name, linux_name) == 0)
			return &links_of(t)[i].link;
	return NULL;
}

size_t kernel_ifaces_link_count(const struct kernel_ifaces *t)
{
	return t->links.count;
}

const struct kernel_link *kernel_ifaces_link_at(const struct kernel_ifaces *t, size_t i)
{
	return i < t->links.count ? &links_of(t)[i].link : NULL;
}

const struct kernel_addr *kernel_ifaces_addr_next(const struct kernel_ifaces *t, uint32_t ifindex,
						  size_t *cursor)
{
	while (*cursor < t->addrs.count) {
		const struct kernel_addr *a = &addrs_of(t)[(*cursor)++].addr;
		if (ifindex == 0 || a->ifindex == ifindex)
			return a;
	}
	return NULL;
}

void kernel_ifaces_mark_links(struct kernel_ifaces *t)
{
	for (size_t i = 0; i < t->links.count; i++)
		links_of(t)[i].stale = true;
}

void kernel_ifaces_mark_addrs(struct kernel_ifaces *t)
{
	for (size_t i = 0; i < t->addrs.count; i++)
		addrs_of(t)[i].stale = true;
}

void kernel_ifaces_sweep_links(struct kernel_ifaces *t,
			       void (*removed)(void *ctx, const struct kernel_link *l), void *ctx)
{
	size_t i = 0;
	while (i < t->links.count) {
		if (!links_of(t)[i].stale) {
			i++;
			continue;
		}
		/* Reported first, while its addresses are still listed, so the callback can
		 * report those as removed too. The callback may change addresses, not links. */
		struct kernel_link gone = links_of(t)[i].link;
		if (removed)
			removed(ctx, &gone);
		kernel_ifaces_link_update(t, &gone, true);
	}
}

void kernel_ifaces_sweep_addrs(struct kernel_ifaces *t,
			       void (*removed)(void *ctx, const struct kernel_addr *a), void *ctx)
{
	size_t i = 0;
	while (i < t->addrs.count) {
		struct addr_slot *addrs = addrs_of(t);
		if (!addrs[i].stale) {
			i++;
			continue;
		}
		struct kernel_addr gone = addrs[i].addr;
		addrs[i] = addrs[--t->addrs.count];
		if (removed)
			removed(ctx, &gone);
	}
}
