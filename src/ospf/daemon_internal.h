/*
 * DOC: what daemon.c (sockets, configuration, routes) and show.c (show ip ospf) share.
 */
#ifndef TERN_OSPF_DAEMON_INTERNAL_H
#define TERN_OSPF_DAEMON_INTERNAL_H

#include "ospf/daemon.h"
#include "ospf/ospf.h"
#include "ospf/redistribute.h"

struct ospf_daemon {
	uv_loop_t *loop;
	struct core *core;
	struct kernel *kernel;
	const struct config *config;
	struct ospf *ospf;          /* NULL while OSPF is not configured */
	uint16_t process;
	int fd;
	uv_poll_t poll;
	bool poll_started;
	uv_timer_t timer;
	uint64_t started_ms;
	struct core_subscription *subscription; /* redistribution: the core's change events */
	struct ospf_redistribution redistribution;
	uint64_t rx_errors;
	bool debug;                 /* `debug ip ospf`: every packet sent and received is logged */
	uint8_t rx_buf[65536];      /* one received datagram (IP header included) */
	unsigned handles_closing;   /* uv_close()d, their callbacks not run yet */
	bool destroyed;             /* ospfd_destroy(): freed when handles_closing is 0 */
};

uint64_t ospfd_now(const struct ospf_daemon *d);
/* The IOS name of a Linux interface (as configured, else the Linux name), into buf. */
const char *ospfd_ifname(const struct ospf_daemon *d, const char *linux_name, uint32_t addr, char *buf, size_t len);

#endif
