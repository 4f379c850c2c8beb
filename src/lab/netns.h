/*
 * DOC: named network namespaces, made the way iproute2 makes them.
 *
 * A namespace NAME is a bind mount of a process's /proc/self/ns/net on /run/netns/NAME, so
 * `ip netns` sees tern-lab's namespaces and tern-lab sees its own. The run directory is made a
 * shared mount first (as `ip netns add` does) so the mounts show in every mount namespace.
 */
#ifndef TERN_LAB_NETNS_H
#define TERN_LAB_NETNS_H

#include <stdbool.h>
#include <sys/types.h>

#define NETNS_RUN_DIR "/run/netns"

struct mnl_socket;

bool netns_exists(const char *name);
/* Creates the namespace; false (errno EEXIST) if it exists already. */
bool netns_create(const char *name);
/* Unmounts and removes the name; the namespace itself goes when its last user does. True if
 * it is gone (also when it never existed). */
bool netns_delete(const char *name);
/* An O_CLOEXEC descriptor of the namespace, or -1. */
int netns_open(const char *name);
/* Moves the calling thread into the namespace (for good: used before exec or in a console). */
bool netns_enter(const char *name);
/* A route netlink socket that acts inside the namespace; the caller stays where it is. */
struct mnl_socket *netns_nl_open(const char *name);
/* Writes a sysctl under /proc/sys of the namespace (e.g. "net/ipv4/ip_forward", "1"). */
bool netns_sysctl(const char *name, const char *key, const char *value);
/* Calls fn for every process whose network namespace is this one. Returns the count. */
int netns_foreach_pid(const char *name, void (*fn)(pid_t pid, void *arg), void *arg);

#endif
