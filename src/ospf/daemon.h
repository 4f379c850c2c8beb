/*
 * DOC: OSPF inside ternd: the engine (ospf.h) on a libuv loop, a raw socket and the core
 * routing table.
 *
 * ospfd_configure() starts, reconfigures or stops the process from the running
 * configuration: the interfaces that run OSPF are those whose IPv4 address a `network`
 * statement covers (IOS wildcard matching, first statement wins), with their `ip ospf`
 * settings; the router ID is `router-id`, else the highest loopback address, else the highest
 * interface address (IOS). Links and addresses come from the kernel; ospfd_kernel_changed()
 * re-evaluates them when the kernel reports a change. Routes go to the core table at distance
 * 110; redistribution (connected, static, BGP, default-information) reads the core table,
 * when its change events say a redistributed route changed (once per loop iteration).
 *
 * One raw IP socket (protocol 89) serves every interface: IP_PKTINFO says on which interface a
 * packet arrived and chooses the one it leaves by; 224.0.0.5 and 224.0.0.6 are joined per
 * interface as the engine asks; TTL 1, multicast loop off, precedence internetwork control.
 */
#ifndef TERN_OSPF_DAEMON_H
#define TERN_OSPF_DAEMON_H

#include <stdbool.h>
#include <uv.h>

#include "config/config.h"
#include "config/grammar.h"
#include "lib/strbuf.h"

struct core;
struct kernel;
struct ospf_daemon;

struct ospf_daemon *ospfd_create(uv_loop_t *loop, struct core *core, struct kernel *kernel);
void ospfd_destroy(struct ospf_daemon *d);
/* The running configuration changed (c stays valid until the next call); `ospf` and
 * `interfaces` say what changed in those sections (config_section_change): a change with
 * effect restart starts the process again, the settings named restart the interfaces whose
 * value of them changed, the rest is applied in place. */
void ospfd_configure(struct ospf_daemon *d, const struct config *c, const struct config_change *ospf,
                     const struct config_change *interfaces);
/* Links or addresses changed. */
void ospfd_kernel_changed(struct ospf_daemon *d);
bool ospfd_running(const struct ospf_daemon *d);
/* `debug ip ospf`: log a line for every packet sent and received (IOS's `debug ip ospf
 * packet` layout: "OSPF: rcv. v:2 t:1 (Hello) l:48 rid:2.2.2.2 aid:0.0.0.0 from ..."). */
void ospfd_set_debug(struct ospf_daemon *d, bool on);

/* show ip ospf [interface [IFNAME] | neighbor [detail] | database | route] [json] */
void ospfd_show(struct ospf_daemon *d, const struct cli_parse *p, struct strbuf *out);

#endif
