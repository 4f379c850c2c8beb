/*
 * DOC: the kernel module: Linux routes, links and addresses over rtnetlink (libmnl).
 *
 * Three layers, each usable on its own:
 *
 *  1. The message codec (msg.c) is pure: it builds RTM_NEWROUTE, RTM_DELROUTE, RTM_NEWADDR,
 *     RTM_DELADDR, RTM_NEWLINK and dump requests into a caller's buffer, and parses
 *     RTM_NEWLINK, RTM_NEWADDR, RTM_NEWROUTE and NLMSG_ERROR messages out of untrusted bytes.
 *     Every parser checks each length (nlmsg_len against the buffer, the fixed header against
 *     nlmsg_len, every wanted attribute against a table of types and sizes) and rejects the
 *     message instead of reading past an end. Unit tests and fuzzers drive these directly.
 *
 *  2. The interface table (ifaces.c) is pure too: the current links and addresses, updated by
 *     parsed messages, answering "what changed" so the caller can report it, and queryable by
 *     ifindex and by name. A re-dump marks every entry, re-applies what the kernel lists, then
 *     sweeps what it no longer lists.
 *
 *  3. struct kernel (kernel.c) owns the sockets and runs on a libuv loop. Routes are queued into
 *     one batch buffer and go out in as few sendmsg() calls as possible, at the latest when the
 *     current loop iteration ends (uv_prepare and uv_check), so a whole slice of RIB work costs
 *     one system call per ~256 KiB of messages. Replies are read from a non-blocking socket in
 *     a uv_poll callback; the loop is never blocked waiting for the kernel.
 *
 * Routes carry rtm_protocol KERNEL_RTPROT_TERN (201). Linux reserves values up to RTPROT_STATIC
 * (4) for itself and iproute2's rt_protos lists the daemons it knows (bird 12, zebra 11, ...
 * babel 42, bgp 186, isis 187, ospf 188, rip 189, eigrp 192); 201 is free there. The protocol
 * number is how Tern recognises its own routes: at open every route of protocol 201 in the
 * main table is what a crashed ternd left behind and is deleted; deletes are sent with protocol
 * 201 so the kernel never removes a route another daemon (or `ip route`) installed. One ternd
 * per network namespace: two would flush each other's routes.
 *
 * What is not here: route selection (the core RIB hands winners over), VRFs and policy tables
 * (main table only), MPLS, nexthop objects (RTA_NH_ID).
 */
#ifndef TERN_KERNEL_KERNEL_H
#define TERN_KERNEL_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"
#include "lib/ifname.h"

/* rtm_protocol of every route Tern installs (see the DOC block above). */
#define KERNEL_RTPROT_TERN 201
/* Next hops per ECMP route; RTA_MULTIPATH is used when there are two or more. */
#define KERNEL_MAX_NEXTHOPS 8
/* Largest link-layer address kept (MAX_ADDR_LEN in linux/netdevice.h). */
#define KERNEL_LLADDR_MAX 32
/* Room for any text this module hands to the shell. */
#define KERNEL_ERRTEXT_MAX 256

/* ---------------------------------------------------------------------------------------- */
/* Values */

struct kernel_nexthop {
	struct ip_addr gateway; /* unset: the prefix is on-link through ifindex */
	uint32_t ifindex;       /* 0: the kernel finds the interface from the gateway */
	uint16_t weight;        /* ECMP weight 1..256 (0 is taken as 1); rtnh_hops = weight - 1 */
};

/* A route as Tern installs it: always table main, protocol 201. */
struct kernel_route {
	struct ip_addr dst; /* its family is the route's family; host bits must be zero */
	uint8_t prefixlen;
	uint32_t metric;          /* RTA_PRIORITY; IPv6 turns 0 into 1024, so we do it first */
	uint8_t nexthop_count;    /* 0: a blackhole route (IOS "ip route ... Null0") */
	struct kernel_nexthop nexthops[KERNEL_MAX_NEXTHOPS];
};

/* What a parsed RTM_NEWROUTE says beyond struct kernel_route. */
struct kernel_route_meta {
	uint8_t protocol; /* rtm_protocol */
	uint8_t type;     /* RTN_UNICAST, RTN_BLACKHOLE, ... */
	uint8_t scope;
	uint32_t table;   /* RTA_TABLE if present, else rtm_table */
};

struct kernel_link {
	uint32_t ifindex;
	char name[IFNAME_LINUX_MAX];
	bool admin_up;  /* IFF_UP: "no shutdown" */
	bool oper_up;   /* IFF_RUNNING: RFC 2863 operationally up (UP or UNKNOWN operstate) */
	bool carrier;   /* IFF_LOWER_UP */
	bool loopback;  /* IFF_LOOPBACK */
	uint32_t flags; /* every IFF_* bit as the kernel reported it */
	uint32_t mtu;
	uint8_t lladdr_len; /* 6 for Ethernet, 0 when the link has none */
	uint8_t lladdr[KERNEL_LLADDR_MAX];
};

struct kernel_addr {
	uint32_t ifindex;
	struct ip_addr addr; /* IPv4: IFA_LOCAL (IFA_ADDRESS is the peer on point-to-point links) */
	uint8_t prefixlen;
	uint32_t flags;      /* IFA_F_*: SECONDARY, TENTATIVE, PERMANENT, ... (IFA_FLAGS if sent) */
};

enum kernel_change { KERNEL_ADDED, KERNEL_CHANGED, KERNEL_REMOVED };

/* ---------------------------------------------------------------------------------------- */
/* 1. Message codec (pure). Builders return the message length written at buf, or 0 when the
 * input is invalid or the message does not fit in cap. buf must be 4-byte aligned. */

size_t kernel_msg_route_replace(void *buf, size_t cap, uint32_t seq, const struct kernel_route *r);
/* RTM_DELROUTE for dst/prefixlen of protocol 201 in table main, any next hops. With
 * exact_metric only the route of that metric matches (used while changing a route's metric,
 * when the old and the new one briefly coexist); otherwise any metric does. */
size_t kernel_msg_route_delete(void *buf, size_t cap, uint32_t seq, const struct ip_addr *dst,
			       uint8_t prefixlen, bool exact_metric, uint32_t metric);
size_t kernel_msg_addr(void *buf, size_t cap, uint32_t seq, bool add, uint32_t ifindex,
		       const struct ip_addr *addr, uint8_t prefixlen);
size_t kernel_msg_link_set_up(void *buf, size_t cap, uint32_t seq, uint32_t ifindex, bool up);
/* type RTM_GETLINK, RTM_GETADDR or RTM_GETROUTE with NLM_F_DUMP; family AF_UNSPEC for all. */
size_t kernel_msg_dump(void *buf, size_t cap, uint32_t seq, uint16_t type, uint8_t family);

/* RTM_GETROUTE for one address (not a dump): the kernel answers with the route it would use to
 * reach dst, as one RTM_NEWROUTE. */
size_t kernel_msg_route_get(void *buf, size_t cap, uint32_t seq, const struct ip_addr *dst);

/* Parsers take one message of len bytes (the message must fit; trailing bytes are ignored) and
 * return 0, or -1 when it is malformed or not of the expected type (nothing useful written). */
/* kernel_msg_parse_link returns 1 for a well-formed message that is not about a link as a whole
 * (family AF_BRIDGE: a bridge port's state); apply only what returned 0. */
int kernel_msg_parse_link(const void *msg, size_t len, struct kernel_link *out);
int kernel_msg_parse_addr(const void *msg, size_t len, struct kernel_addr *out);
/* Routes of other tables and types parse too (meta says which); out->nexthop_count is capped at
 * KERNEL_MAX_NEXTHOPS. */
int kernel_msg_parse_route(const void *msg, size_t len, struct kernel_route *out,
			   struct kernel_route_meta *meta);

struct kernel_msg_error {
	int error;              /* a positive errno; 0 is an ACK */
	uint32_t seq;           /* the sequence number of the request it answers */
	const void *request;    /* the request as the kernel echoed it back, or NULL */
	size_t request_len;
	char extack[128];       /* the kernel's NLMSGERR_ATTR_MSG text, or "" */
};
int kernel_msg_parse_error(const void *msg, size_t len, struct kernel_msg_error *out);

/* "10.0.0.0/8 via 10.0.0.2 if 3, via 10.0.0.3 metric 20" (or "blackhole") into buf. */
const char *kernel_route_format(const struct kernel_route *r, char *buf, size_t len);

/* ---------------------------------------------------------------------------------------- */
/* Route lookup (lookup.c): one blocking RTM_GETROUTE question on a socket of its own, answered
 * by the kernel at once (no I/O beyond the netlink round trip, bounded by a 1 s timeout). For
 * rare questions such as "is this BGP peer on a connected subnet", not for the steady state. */

enum kernel_reach {
	KERNEL_REACH_UNKNOWN = -1,  /* the kernel could not be asked */
	KERNEL_REACH_NONE = 0,      /* no route, or unreachable/prohibit/blackhole */
	KERNEL_REACH_GATEWAY,       /* through a gateway */
	KERNEL_REACH_ON_LINK,       /* on-link: a unicast route with no gateway */
	KERNEL_REACH_LOCAL,         /* one of our own addresses */
};
/* How the kernel's main routing would reach dst; *ifindex (may be NULL) the output interface. */
enum kernel_reach kernel_route_reach(const struct ip_addr *dst, uint32_t *ifindex);

/* ---------------------------------------------------------------------------------------- */
/* 2. Interface table (pure) */

struct kernel_ifaces;

struct kernel_ifaces *kernel_ifaces_new(void);
void kernel_ifaces_free(struct kernel_ifaces *t);
/* Adds or updates a link (removed=false) or drops it and its addresses (removed=true).
 * Returns what happened, or -1 if the table already said exactly that. */
int kernel_ifaces_link_update(struct kernel_ifaces *t, const struct kernel_link *l, bool removed);
/* Returns KERNEL_ADDED, KERNEL_CHANGED (flags only), KERNEL_REMOVED, or -1 for no change. */
int kernel_ifaces_addr_update(struct kernel_ifaces *t, const struct kernel_addr *a, bool removed);

const struct kernel_link *kernel_ifaces_link(const struct kernel_ifaces *t, uint32_t ifindex);
const struct kernel_link *kernel_ifaces_link_by_name(const struct kernel_ifaces *t,
						     const char *linux_name);
size_t kernel_ifaces_link_count(const struct kernel_ifaces *t);
/* Links in ifindex order, i < kernel_ifaces_link_count(). */
const struct kernel_link *kernel_ifaces_link_at(const struct kernel_ifaces *t, size_t i);
/* Iterates the addresses of ifindex (0: of every link). Start with *cursor = 0; NULL at end. */
const struct kernel_addr *kernel_ifaces_addr_next(const struct kernel_ifaces *t, uint32_t ifindex,
						  size_t *cursor);

/* Re-dump support: mark every link (or address) stale; an update clears the mark; sweep drops
 * what is still stale, reporting each through the callback before it goes. */
void kernel_ifaces_mark_links(struct kernel_ifaces *t);
void kernel_ifaces_mark_addrs(struct kernel_ifaces *t);
void kernel_ifaces_sweep_links(struct kernel_ifaces *t,
			       void (*removed)(void *ctx, const struct kernel_link *l), void *ctx);
void kernel_ifaces_sweep_addrs(struct kernel_ifaces *t,
			       void (*removed)(void *ctx, const struct kernel_addr *a), void *ctx);

/* ---------------------------------------------------------------------------------------- */
/* 3. The kernel connection (libuv) */

struct kernel;
typedef struct uv_loop_s uv_loop_t;

/*
 * Callbacks run from the loop (uv_poll, uv_prepare, uv_check), and from inside kernel_open()
 * and kernel_settle() (which say so), never from inside the other kernel_* calls, so the owner
 * may call any kernel_* function from a callback except kernel_close(). Any may be NULL.
 */
struct kernel_callbacks {
	void *ctx;
	/* A link appeared, changed (any field) or disappeared. During kernel_open() every link
	 * present is reported as KERNEL_ADDED. */
	void (*link)(void *ctx, const struct kernel_link *link, enum kernel_change change);
	/* An address appeared (KERNEL_ADDED), changed flags (KERNEL_CHANGED, e.g. DAD finished)
	 * or disappeared (KERNEL_REMOVED). Reported for addresses present at open too. */
	void (*addr)(void *ctx, const struct kernel_addr *addr, enum kernel_change change);
	/* The kernel's route table may no longer match what was queued (netlink ENOBUFS: replies
	 * were lost, so errors may have gone unseen). The owner must call
	 * kernel_routes_resync_begin(), kernel_route_replace() for every route it wants, then
	 * kernel_routes_resync_end() (which deletes every installed route not replaced since
	 * begin). The resync may span loop iterations; route calls stay valid meanwhile. */
	void (*resync)(void *ctx);
	/* The kernel refused a route (delete of an absent route, ESRCH, is not reported). text is
	 * e.g. "% Cannot install 10.0.0.0/8 via 10.9.9.9: Network is unreachable (Nexthop has
	 * invalid gateway)". route is parsed from the echoed request; is_delete tells which. */
	void (*route_error)(void *ctx, const struct kernel_route *route, bool is_delete, int error,
			    const char *text);
};

struct kernel_options {
	/* ternd -n: route calls are accepted and counted but nothing reaches the kernel, and the
	 * proto 201 flushes at open and close are skipped. Links, addresses and interface
	 * configuration work as usual. */
	bool no_fib;
	/* Send a batch once this many bytes are queued (0: 256 KiB; capped by the socket's
	 * send buffer, since netlink refuses a larger datagram). */
	size_t batch_bytes;
	/* Receive buffer of each socket (0: 8 MiB). Tests make it tiny to provoke ENOBUFS. */
	int rcvbuf_bytes;
};

struct kernel_stats {
	uint64_t routes_installed;   /* prefixes in our set: replaced and not deleted since
				      * (a refused replace stays until deleted); 0 with no_fib */
	uint64_t route_replaces;     /* kernel_route_replace() calls */
	uint64_t route_deletes;      /* kernel_route_delete() calls that had something to delete */
	uint64_t route_errors;       /* routes the kernel refused */
	uint64_t messages_sent;      /* netlink requests sent */
	uint64_t sends;              /* sendmsg() calls that carried them */
	uint64_t flushed_at_open;    /* stale proto 201 routes deleted at open */
	uint64_t resyncs;            /* resync callbacks made */
	uint64_t enobufs;            /* ENOBUFS seen on either socket */
	uint64_t parse_errors;       /* malformed messages dropped */
};

/* Opens the sockets, flushes stale proto 201 routes, dumps links and addresses (reporting each
 * through the callbacks before returning, bounded by a 5 s timeout), subscribes to their
 * changes and starts watching on loop. NULL on failure with the reason in err. */
struct kernel *kernel_open(uv_loop_t *loop, const struct kernel_options *opt,
			   const struct kernel_callbacks *cb, char *err, size_t errlen);
/* Sends what is queued, deletes every route installed through this handle (waiting up to 2 s
 * for the kernel's answers), fails pending interface operations with ECANCELED (their done
 * callbacks are the only ones that run from here), closes the
 * handles and frees k once libuv has closed them (run the loop a last time, or don't: at exit
 * that is fine). */
void kernel_close(struct kernel *k);

/* Queue a route; it reaches the kernel in the batch flushed at the end of this loop iteration
 * (or earlier when the batch is full). Replacing an installed prefix with another metric adds
 * the new route first, then deletes the old one, so there is no gap. false if r is invalid
 * (text in *why when why is not NULL). */
bool kernel_route_replace(struct kernel *k, const struct kernel_route *r, const char **why);
/* False under ternd -n: routes are never sent to the kernel, so callers may skip the work of
 * preparing them. */
bool kernel_fib_enabled(const struct kernel *k);
/* Queue the removal of our route for dst/prefixlen (a no-op if we have none installed). */
void kernel_route_delete(struct kernel *k, const struct ip_addr *dst, uint8_t prefixlen);
void kernel_routes_resync_begin(struct kernel *k);
void kernel_routes_resync_end(struct kernel *k);
/* Sends the queued batch now rather than at the end of the iteration. */
void kernel_flush(struct kernel *k);

/* Interface configuration. done(arg, 0, NULL) on success, done(arg, errno, text) on failure
 * with text such as "% Cannot assign 10.0.0.1/8 to f0-0: File exists", always from the loop,
 * after the request went out in order with the queued routes. done may be NULL (errors are
 * then logged). Adding an address that is already there fails with EEXIST. */
typedef void kernel_done_fn(void *arg, int error, const char *text);
void kernel_address_add(struct kernel *k, uint32_t ifindex, const struct ip_addr *addr,
			uint8_t prefixlen, kernel_done_fn *done, void *arg);
void kernel_address_delete(struct kernel *k, uint32_t ifindex, const struct ip_addr *addr,
			   uint8_t prefixlen, kernel_done_fn *done, void *arg);
void kernel_link_set_up(struct kernel *k, uint32_t ifindex, bool up, kernel_done_fn *done,
			void *arg);

/* Flushes and processes the kernel's answers until every request sent so far is answered (done
 * and error callbacks run), or timeout_ms passes. 0 when settled, -ETIMEDOUT otherwise. This
 * blocks; for tools, tests and shutdown, not for the daemon's steady state. */
int kernel_settle(struct kernel *k, int timeout_ms);

const struct kernel_ifaces *kernel_ifaces(const struct kernel *k);
void kernel_get_stats(const struct kernel *k, struct kernel_stats *out);

#endif
