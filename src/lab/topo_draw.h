/*
 * DOC: the lab's topology as the seed's picture shows it, an SVG drawn from the topology
 * file and the routers' configurations.
 *
 * Routers are circles, PCs boxes, each link a line with its two interface names and
 * addresses at its ends and the protocols both ends run (OSPF N, RIP, EBGP when the ends are
 * in different ASes) under it; routers of one AS sit in a dashed box labelled with it, and
 * each BGP session (a `neighbor A remote-as N` whose address belongs to another node) is a
 * dashed arc between its two routers, labelled IBGP or EBGP.
 *
 * The layout is deterministic: layers by breadth-first search from the first link's first
 * end (a chain such as the seed's becomes one row, in its order), nodes of one layer stacked.
 * Elements carry ids and data attributes for `tern-lab view`: node-NAME, link-I (I: the link's
 * index in the topology file), session-I with data-a/data-b (the routers) and
 * data-a-peer/data-b-peer (the neighbour address each one configured; "" if only one did).
 */
#ifndef TERN_LAB_TOPO_DRAW_H
#define TERN_LAB_TOPO_DRAW_H

#include <stdbool.h>
#include <stddef.h>

#include "lab/topo.h"
#include "lib/strbuf.h"

/* False with a message if a router's configuration cannot be read. */
bool topo_draw_svg(const struct topology *t, struct strbuf *out, char *err, size_t err_size);

#endif
