/*
 * DOC: tern-lab's commands and the few helpers they share.
 *
 * Each command returns the process exit status (0 success, 1 failure, 2 usage) and prints
 * its own errors as "tern-lab: ...".
 */
#ifndef TERN_LAB_LAB_H
#define TERN_LAB_LAB_H

#include <stdbool.h>
#include <stddef.h>

#include "lab/state.h"

int cmd_up(int argc, char **argv);
int cmd_down(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_console(int argc, char **argv);
int cmd_exec(int argc, char **argv);
int cmd_link(int argc, char **argv);

/* Removes every process, namespace and record of the lab; prints what it did when verbose.
 * Also works on a half-built lab or one whose processes died. */
bool lab_teardown(const char *lab, bool verbose);

/* Path of a Tern program (ternd, ternc): $TERN_BUILD/NAME, else next to tern-lab, else NAME
 * from PATH. False if none is executable. */
bool lab_find_program(const char *name, char *buf, size_t size);

/* Loads a running lab's saved topology (relative paths as in the original directory). */
bool lab_load_saved(const char *lab, struct topology *topo, char *err, size_t err_size);

/* Stand-ins for what ternd will configure itself (labs/README.md): the topology's interface
 * addresses of one node (only those on linux_ifname, unless NULL) and its routes. With
 * tolerant set, routes whose gateway is unreachable just now are skipped. */
bool lab_apply_addresses(const struct topology *topo, size_t node, const char *linux_ifname,
			 char *err, size_t err_size);
bool lab_apply_routes(const struct topology *topo, size_t node, bool tolerant, char *err, size_t err_size);

__attribute__((format(printf, 1, 2))) void lab_error(const char *fmt, ...);

#endif
