/*
 * DOC: RIP on the event loop (inside ternd): sockets, the timer, the routing table.
 *
 * Carries out what the sans-I/O core (rip/rip.h) asks: one UDP socket on port 520 per
 * interface RIP runs on (SO_BINDTODEVICE, 224.0.0.9 joined there, TTL 1, no multicast
 * loop), one libuv timer armed for rip_next_event(), and the learned routes put into the
 * core table as CORE_PROTO_RIP at the configured distance (120), from where they reach the
 * kernel and BGP's next-hop resolution. Dropped messages are logged with their reason
 * (at most one line a second, the rest counted).
 */
#ifndef TERN_RIP_RIP_IO_H
#define TERN_RIP_RIP_IO_H

#include <stdbool.h>
#include <uv.h>

#include "config/config.h"
#include "kernel/kernel.h"
#include "rip/rip.h"

struct core;
struct rip_io;

struct rip_io *rip_io_create(uv_loop_t *loop, struct core *core, struct kernel *kernel);
/* Routes leave the core table, sockets close. */
void rip_io_destroy(struct rip_io *io);
/* `change`: what changed in router rip; `interfaces`: in the interfaces (rip_configure). */
void rip_io_configure(struct rip_io *io, const struct config *config, const struct config_change *change,
                      const struct config_change *interfaces);
void rip_io_link(struct rip_io *io, const struct kernel_link *link, bool removed);
void rip_io_addr(struct rip_io *io, const struct kernel_addr *addr, bool removed);
/* Hands RIP the routes `redistribute` asks for: connected and static from the table, BGP's
 * best paths learned from peers (the core's BGP source), all of them (the configuration
 * changed). Afterwards the core's change events hand it the prefixes that change, once per
 * loop iteration (rip/redistribute.h). */
void rip_io_redistribute(struct rip_io *io, const struct config *config);
struct rip *rip_io_core(struct rip_io *io);
/* `debug ip rip`: a log line for every message sent and received ("RIP: received v2 update
 * from 10.0.0.2 on FastEthernet0/0 (3 entries)"). */
void rip_io_set_debug(struct rip_io *io, bool on);
/* The core's clock: milliseconds of the loop's monotonic time. */
uint64_t rip_io_now(struct rip_io *io);

#endif
