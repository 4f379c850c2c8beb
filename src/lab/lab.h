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
int cmd_capture(int argc, char **argv);
int cmd_draw(int argc, char **argv);
int cmd_ladder(int argc, char **argv);
int cmd_view(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
int cmd_collide(int argc, char **argv);

/* An interface's state in a namespace: "up", "down" (administratively), "no-carrier" or
 * "missing" (cmd_info.c). */
const char *lab_link_state(const char *netns, const char *ifname);
/* A running lab by name, else a topology DIR or FILE (cmd_draw.c). */
bool lab_load_any(const char *spec, struct topology *t, char *err, size_t err_size);
/* Writes text to path ("-": standard output); prints the error. */
struct strbuf;
bool lab_write_file(const char *path, const struct strbuf *text);
/* PEER as NODE's BGP neighbour address: itself if an address, else the neighbour address of
 * NODE's configuration that belongs to the router PEER (cmd_ladder.c). */
bool lab_peer_address(const char *lab, const char *node, const char *peer, char *address, size_t size, char *err,
		      size_t err_size);
/* NODE's log of its session with address (`show bgp neighbors A messages json`); false
 * with the reason in json. */
bool lab_session_log(const char *lab, const char *node, const char *address, struct strbuf *json);

/* Removes every process, namespace and record of the lab; prints what it did when verbose.
 * Also works on a half-built lab or one whose processes died. */
bool lab_teardown(const char *lab, bool verbose);

/* Path of a Tern program (ternd, ternc): $TERN_BUILD/NAME, else next to tern-lab, else NAME
 * from PATH. False if none is executable. */
bool lab_find_program(const char *name, char *buf, size_t size);

/* Starts ternd in the router's namespace, detached (own session, output to NODE.log, err at
 * most 1024 bytes); *pid is its process. barrier: NULL, or a FIFO its first BGP connect waits
 * on (TERN_CONNECT_BARRIER, `collide`). cmd_up.c. */
bool lab_spawn_ternd(const struct topology *t, const struct topo_node *n, const char *ternd, const char *barrier,
		     pid_t *pid, char *err);

/* Loads a running lab's saved topology (relative paths as in the original directory). */
bool lab_load_saved(const char *lab, struct topology *topo, char *err, size_t err_size);

/* A PC's default gateway across a cut (standin.c): saved before its link goes down (the
 * kernel drops the route), put back on `up`. */
struct mnl_socket;
void lab_pc_save_gateway(const char *lab, const char *node, struct mnl_socket *nl);
bool lab_pc_restore_gateway(const char *lab, const char *node, struct mnl_socket *nl, const char *ifname,
			    char *err, size_t err_size);

__attribute__((format(printf, 1, 2))) void lab_error(const char *fmt, ...);

#endif
