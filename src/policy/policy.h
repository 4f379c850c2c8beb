/*
 * DOC: routing policy: prefix-lists and route-maps, shared by every protocol.
 *
 * The model is the configuration as IOS writes it (`ip prefix-list`, `route-map` with its
 * match and set clauses, `ip community-list`); it lives in struct config (config.h) and is
 * plain values, copied and compared like the rest of the configuration. The evaluation
 * functions are pure: a route view (prefix and, for BGP, the decoded attributes) in, a
 * verdict and the entry whose set clauses apply out. No daemon state, no I/O, so the unit
 * tests drive them directly.
 *
 * IOS semantics, as implemented:
 * - A prefix-list is read in sequence order; the first entry that matches decides (permit or
 *   deny); a prefix no entry matches is denied. An entry A.B.C.D/LEN matches a prefix whose
 *   first LEN bits are A.B.C.D's and whose length is LEN exactly, or with `ge G` / `le L`
 *   within [G, 32] / [LEN, L] / [G, L]. An IPv4 list never matches an IPv6 prefix.
 * - A route-map is read in sequence order: the first entry whose match clauses all hold
 *   decides; an entry with no match clause matches everything. A matching `permit` entry
 *   accepts the route and its set clauses apply; a matching `deny` entry refuses it; a route
 *   no entry matches is refused (the implicit deny at the end).
 * - References to things not defined, as IOS treats them: `match ip address prefix-list`
 *   (or `match community`) naming a list that does not exist is ignored, so the clause
 *   matches every route (IOS skips the clause; FRR would match nothing). A neighbour's
 *   `prefix-list` that does not exist permits everything; a neighbour's `route-map` that
 *   does not exist denies everything (IOS drops all routes for an undefined neighbour
 *   route-map). `show route-map` marks undefined lists so the difference is visible.
 * - Communities in `set community` and community-lists: AA:NN (each 0-65535), a 32-bit
 *   number, or internet, no-export, no-advertise, local-AS. `set community` replaces the
 *   route's communities, with `additive` adds to them, `set community none` removes them.
 *   A standard community-list entry matches a route that carries all of its communities.
 * - `set as-path prepend A B C` puts A B C in front of the path (on export to an eBGP peer
 *   our own AS then goes in front of those, as IOS does).
 */
#ifndef TERN_POLICY_POLICY_H
#define TERN_POLICY_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/strbuf.h"
#include "wire/bgp_attr.h"

#define POLICY_NAME_MAX 64          /* names, with the NUL */
#define POLICY_COMMUNITIES_MAX 16   /* communities in one set clause or list entry */
#define POLICY_PREPEND_MAX 10       /* ASNs in one set as-path prepend (IOS: 10) */
#define POLICY_ENTRIES_MAX 65536    /* entries of one list or map: a cap */
#define POLICY_LISTS_MAX 4096       /* lists or maps: a cap */
#define POLICY_SEQ_MAX 4294967294u  /* prefix-list seq 1-4294967294 (IOS) */
#define POLICY_RM_SEQ_MAX 65535u    /* route-map sequence 0-65535 (IOS) */

/* Well-known communities (RFC 1997). */
#define POLICY_COMMUNITY_NO_EXPORT 0xFFFFFF01u
#define POLICY_COMMUNITY_NO_ADVERTISE 0xFFFFFF02u
#define POLICY_COMMUNITY_LOCAL_AS 0xFFFFFF03u

struct policy_prefix_entry {
	uint32_t seq;
	bool permit;
	uint8_t family;   /* AF_INET */
	uint8_t len;
	uint8_t ge, le;   /* 0 = not given */
	uint8_t addr[16]; /* network order, host bits zero */
};

struct policy_prefix_list {
	char name[POLICY_NAME_MAX];
	size_t count;
	struct policy_prefix_entry *entries; /* sorted by seq */
};

struct policy_community_entry {
	bool permit;
	uint8_t count;
	uint32_t communities[POLICY_COMMUNITIES_MAX];
};

/* ip community-list standard NAME | ip community-list 1-99: entries in the order typed. */
struct policy_community_list {
	char name[POLICY_NAME_MAX];
	size_t count;
	struct policy_community_entry *entries;
};

enum policy_set_flag {
	POLICY_SET_LOCAL_PREF = 1 << 0,
	POLICY_SET_METRIC = 1 << 1,
	POLICY_SET_COMMUNITY = 1 << 2,       /* communities[] replace (or add to) the route's */
	POLICY_SET_COMMUNITY_ADDITIVE = 1 << 3,
	POLICY_SET_COMMUNITY_NONE = 1 << 4,  /* set community none */
	POLICY_SET_PREPEND = 1 << 5,
};

struct policy_route_map_entry {
	uint32_t seq;
	bool permit;
	char match_prefix_list[POLICY_NAME_MAX]; /* "" = no such clause */
	char match_community[POLICY_NAME_MAX];   /* "" = no such clause */
	unsigned set;                            /* enum policy_set_flag bits */
	uint32_t local_pref;
	uint32_t metric;
	uint8_t community_count;
	uint8_t prepend_count;
	uint32_t communities[POLICY_COMMUNITIES_MAX];
	uint32_t prepend[POLICY_PREPEND_MAX];
};

struct policy_route_map {
	char name[POLICY_NAME_MAX];
	size_t count;
	struct policy_route_map_entry *entries; /* sorted by seq */
};

/* Everything policy in one configuration; each array sorted by name. */
struct policy_config {
	size_t prefix_list_count;
	struct policy_prefix_list *prefix_lists;
	size_t route_map_count;
	struct policy_route_map *route_maps;
	size_t community_list_count;
	struct policy_community_list *community_lists;
};

void policy_config_init(struct policy_config *p);
void policy_config_free(struct policy_config *p);
/* Deep copy; false on allocation failure (dst is then empty). */
bool policy_config_copy(struct policy_config *dst, const struct policy_config *src);
bool policy_config_equal(const struct policy_config *a, const struct policy_config *b);
/* The same for one kind of list (the configuration compares them setting by setting). */
bool policy_prefix_lists_equal(const struct policy_config *a, const struct policy_config *b);
bool policy_community_lists_equal(const struct policy_config *a, const struct policy_config *b);
bool policy_route_maps_equal(const struct policy_config *a, const struct policy_config *b);

struct policy_prefix_list *policy_prefix_list_find(const struct policy_config *p, const char *name);
struct policy_route_map *policy_route_map_find(const struct policy_config *p, const char *name);
struct policy_community_list *policy_community_list_find(const struct policy_config *p, const char *name);
/* Same content: what a peer bound to a name is affected by (a route-map with the lists its
 * match clauses name). a or b may be NULL (undefined). */
bool policy_route_map_same(const struct policy_config *pa, const struct policy_route_map *a,
			   const struct policy_config *pb, const struct policy_route_map *b);
bool policy_prefix_list_same(const struct policy_prefix_list *a, const struct policy_prefix_list *b);

/* ---- evaluation ---- */

/* What a policy looks at: the prefix and, for BGP routes, the decoded attributes. */
struct policy_route {
	uint8_t family;          /* AF_INET or AF_INET6 */
	uint8_t len;
	const uint8_t *addr;     /* 4 or 16 octets, network order */
	const struct bgp_attrs *attrs; /* NULL for routes without BGP attributes */
};

/* Does the entry match the prefix (ignoring permit/deny)? */
bool policy_prefix_entry_matches(const struct policy_prefix_entry *e, const struct policy_route *r);
/* The first matching entry decides; none matching denies. */
bool policy_prefix_list_permits(const struct policy_prefix_list *list, const struct policy_route *r);
bool policy_community_list_permits(const struct policy_community_list *list, const struct policy_route *r);

/* A route-map over a route: true when permitted, with *entry (if not NULL) the entry whose set
 * clauses apply. map NULL (undefined) denies. Lists named in match clauses are looked up
 * in config. */
bool policy_route_map_permits(const struct policy_config *config, const struct policy_route_map *map,
			      const struct policy_route *r, const struct policy_route_map_entry **entry);

/* Does the entry change a route at all? */
static inline bool policy_entry_sets(const struct policy_route_map_entry *e)
{
	return e && e->set != 0;
}

/* Applies the set clauses of e to a: LOCAL_PREF, MULTI_EXIT_DISC, COMMUNITIES, the AS path.
 * The new community list and AS path are written to buf (cap octets) and a points into it,
 * so buf must live as long as a is used. False if buf is too small (a is unchanged then). */
bool policy_apply_sets(const struct policy_route_map_entry *e, struct bgp_attrs *a, uint8_t *buf, size_t cap);

/* ---- text (policy_text.c) ---- */

/* Parses one community: AA:NN, a number, or a well-known name. */
bool policy_community_parse(const char *text, uint32_t *out);
/* "65000:1", "no-export"... into buf (at least 16 octets). */
const char *policy_community_format(uint32_t community, char *buf, size_t size);

/* The configuration lines, as `show running-config` prints them. */
void policy_print_prefix_lists(const struct policy_config *p, struct strbuf *out);
void policy_print_community_lists(const struct policy_config *p, struct strbuf *out);
void policy_print_route_maps(const struct policy_config *p, struct strbuf *out);

/* show ip prefix-list [NAME] [json], show route-map [NAME] [json]. False when a name was
 * given and no such list or map exists (nothing written then). */
bool policy_show_prefix_lists(const struct policy_config *p, const char *name, bool json, struct strbuf *out);
bool policy_show_route_maps(const struct policy_config *p, const char *name, bool json, struct strbuf *out);

#endif
