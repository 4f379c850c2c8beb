/*
 * DOC: the table of interned attribute sets (inside the BGP module).
 */
#ifndef TERN_BGP_ATTRS_H
#define TERN_BGP_ATTRS_H

#include "bgp/rib.h"
#include "lib/hash_table.h"

struct bgp_next_hop {
	uint8_t family;          /* AF_INET or AF_INET6; all-zero address = ourselves */
	bool has_link_local;
	uint8_t addr[16];
	uint8_t link_local[16];
};

#define BGP_ATTRS_SIZE_STEP 16
#define BGP_ATTRS_SIZE_CLASSES 32   /* sets up to 496 bytes come from pools */

struct bgp_attrs_table {
	struct hash_table table; /* of bgp_path_attrs, chained through hash_next */
	size_t bytes;
	struct pool pools[BGP_ATTRS_SIZE_CLASSES];
	bool pools_ready[BGP_ATTRS_SIZE_CLASSES];
	uint8_t scratch[BGP_MAX_EXTENDED_MESSAGE + 64];
};

void bgp_attrs_table_init(struct bgp_attrs_table *table);
void bgp_attrs_table_free(struct bgp_attrs_table *table);
/* The shared copy of attrs with next_hop, with a reference taken; NULL on allocation
 * failure or an attribute set too large to encode. */
struct bgp_path_attrs *bgp_attrs_intern(struct bgp_attrs_table *table, const struct bgp_attrs *attrs,
					const struct bgp_next_hop *next_hop);
void bgp_attrs_ref(struct bgp_path_attrs *attrs);
/* The next hop an interned set was made with (what bgp_attrs_intern was given). */
void bgp_path_attrs_next_hop_of(const struct bgp_path_attrs *attrs, struct bgp_next_hop *out);
void bgp_attrs_unref(struct bgp_attrs_table *table, struct bgp_path_attrs *attrs);

#endif
