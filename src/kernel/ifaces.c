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

struct link_slot {
	struct kernel_link link;
	bool stale;
};

struct addr_slot {
	struct kernel_addr addr;
	bool stale;
};

struct kernel_ifaces {
	struct link_slot *links;
	size_t nlinks, link_cap;
	struct addr_slot *addrs;
	size_t naddrs, addr_cap;
};

struct kernel_ifaces *kernel_ifaces_new(void)
{
	return calloc(1, sizeof(struct kernel_ifaces));
}

void kernel_ifaces_free(struct kernel_ifaces *t)
{
	if (!t)
		return;
	free(t->links);
	free(t->addrs);
	free(t);
}

/* Index of ifindex, or of where it would go. */
static size_t link_pos(const struct kernel_ifaces *t, uint32_t ifindex, bool *found)
{
	size_t lo = 0, hi = t->nlinks;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->links[mid].link.ifindex < ifindex)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < t->nlinks && t->links[lo].link.ifindex == ifindex;
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
	size_t w = 0;
	for (size_t i = 0; i < t->naddrs; i++)
		if (t->addrs[i].addr.ifindex != ifindex)
			t->addrs[w++] = t->addrs[i];
	t->naddrs = w;
}

int kernel_ifaces_link_update(struct kernel_ifaces *t, const struct kernel_link *l, bool removed)
{
	bool found;
	size_t i = link_pos(t, l->ifindex, &found);
	if (removed) {
		if (!found)
			return -1;
		memmove(&t->links[i], &t->links[i + 1], (t->nlinks - i - 1) * sizeof(*t->links));
		t->nlinks--;
		/* The kernel sends RTM_DELADDR for a vanishing link's addresses, but a lost
		 * notification must not leave them behind. */
		drop_addrs_of(t, l->ifindex);
		return KERNEL_REMOVED;
	}
	if (found) {
		struct link_slot *s = &t->links[i];
		s->stale = false;
		if (link_same(&s->link, l))
			return -1;
		s->link = *l;
		return KERNEL_CHANGED;
	}
	if (t->nlinks == t->link_cap) {
		size_t cap = t->link_cap ? t->link_cap * 2 : 16;
		struct link_slot *n = realloc(t->links, cap * sizeof(*n));
		if (!n)
			return -1; /* out of memory: the link stays unknown, as if never listed */
		t->links = n;
		t->link_cap = cap;
	}
	memmove(&t->links[i + 1], &t->links[i], (t->nlinks - i) * sizeof(*t->links));
	t->links[i] = (struct link_slot){ .link = *l, .stale = false };
	t->nlinks++;
	return KERNEL_ADDED;
}

static struct addr_slot *addr_find(const struct kernel_ifaces *t, const struct kernel_addr *a)
{
	for (size_t i = 0; i < t->naddrs; i++) {
		struct addr_slot *s = &t->addrs[i];
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
		*s = t->addrs[--t->naddrs];
		return KERNEL_REMOVED;
	}
	if (s) {
		s->stale = false;
		if (s->addr.flags == a->flags)
			return -1;
		s->addr.flags = a->flags;
		return KERNEL_CHANGED;
	}
	if (t->naddrs == t->addr_cap) {
		size_t cap = t->addr_cap ? t->addr_cap * 2 : 16;
		struct addr_slot *n = realloc(t->addrs, cap * sizeof(*n));
		if (!n)
			return -1;
		t->addrs = n;
		t->addr_cap = cap;
	}
	t->addrs[t->naddrs++] = (struct addr_slot){ .addr = *a, .stale = false };
	return KERNEL_ADDED;
}

const struct kernel_link *kernel_ifaces_link(const struct kernel_ifaces *t, uint32_t ifindex)
{
	bool found;
	size_t i = link_pos(t, ifindex, &found);
	return found ? &t->links[i].link : NULL;
}

const struct kernel_link *kernel_ifaces_link_by_name(const struct kernel_ifaces *t,
						     const char *linux_name)
{
	for (size_t i = 0; i < t->nlinks; i++)
		if (strcmp(t->links[i].link.name, linux_name) == 0)
			return &t->links[i].link;
	return NULL;
}

size_t kernel_ifaces_link_count(const struct kernel_ifaces *t)
{
	return t->nlinks;
}

const struct kernel_link *kernel_ifaces_link_at(const struct kernel_ifaces *t, size_t i)
{
	return i < t->nlinks ? &t->links[i].link : NULL;
}

const struct kernel_addr *kernel_ifaces_addr_next(const struct kernel_ifaces *t, uint32_t ifindex,
						  size_t *cursor)
{
	while (*cursor < t->naddrs) {
		const struct kernel_addr *a = &t->addrs[(*cursor)++].addr;
		if (ifindex == 0 || a->ifindex == ifindex)
			return a;
	}
	return NULL;
}

void kernel_ifaces_mark_links(struct kernel_ifaces *t)
{
	for (size_t i = 0; i < t->nlinks; i++)
		t->links[i].stale = true;
}

void kernel_ifaces_mark_addrs(struct kernel_ifaces *t)
{
	for (size_t i = 0; i < t->naddrs; i++)
		t->addrs[i].stale = true;
}

void kernel_ifaces_sweep_links(struct kernel_ifaces *t,
			       void (*removed)(void *ctx, const struct kernel_link *l), void *ctx)
{
	size_t i = 0;
	while (i < t->nlinks) {
		if (!t->links[i].stale) {
			i++;
			continue;
		}
		/* Reported first, while its addresses are still listed, so the callback can
		 * report those as removed too. The callback may change addresses, not links. */
		struct kernel_link gone = t->links[i].link;
		if (removed)
			removed(ctx, &gone);
		kernel_ifaces_link_update(t, &gone, true);
	}
}

void kernel_ifaces_sweep_addrs(struct kernel_ifaces *t,
			       void (*removed)(void *ctx, const struct kernel_addr *a), void *ctx)
{
	size_t i = 0;
	while (i < t->naddrs) {
		if (!t->addrs[i].stale) {
			i++;
			continue;
		}
		struct kernel_addr gone = t->addrs[i].addr;
		t->addrs[i] = t->addrs[--t->naddrs];
		if (removed)
			removed(ctx, &gone);
	}
}
