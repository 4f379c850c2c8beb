/*
 * DOC: what tern-lab remembers of a running lab, in /run/tern-lab/<lab>/.
 *
 *   nodes          one line per node: "NAME router|pc NETNS", written before anything is
 *                  created, so `down` can remove a half-built lab
 *   topology.yml   a copy of the topology file `up` used (link, status and restores read it)
 *   source         the topology file's path
 *   <node>.pid     the pid of the router's ternd
 *   <node>.sock    its control socket; <node>.log its output
 *
 * The directory's existence means "the lab exists"; it is made atomically (mkdir).
 */
#ifndef TERN_LAB_STATE_H
#define TERN_LAB_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "lab/topo.h"

#define STATE_DIR "/run/tern-lab"

struct state_node {
	char name[TOPO_NAME_MAX];
	bool router;
	char netns[2 * TOPO_NAME_MAX + 2];
};

/* /run/tern-lab/<lab>[/<file>] */
void state_path(const char *lab, const char *file, char *buf, size_t size);
/* "<lab>-<node>" */
void state_netns_name(const char *lab, const char *node, char *buf, size_t size);
bool state_exists(const char *lab);
/* Makes the directory (EEXIST if the lab exists) and records nodes and topology. */
bool state_create(const struct topology *topo);
/* Reads the node list; returns the count (0 with errno if none). */
size_t state_read_nodes(const char *lab, struct state_node *out, size_t max);
bool state_write_pid(const char *lab, const char *node, pid_t pid);
pid_t state_read_pid(const char *lab, const char *node);
/* Removes the directory and everything in it. */
bool state_remove(const char *lab);
/* Calls fn with each lab's name. */
void state_foreach_lab(void (*fn)(const char *lab, void *arg), void *arg);
/* Finds the lab holding NODE, or takes "LAB/NODE". False with a message if none or several. */
bool state_find_node(const char *spec, char *lab, size_t lab_size, struct state_node *node,
		     char *err, size_t err_size);

#endif
