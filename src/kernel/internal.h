/*
 * DOC: the kernel connection's own structures and the functions its files call in one another.
 * kernel.c: the sockets, batching, answers, loop glue, open and close (its DOC block tells how
 * it all works); routes.c: the routes we install and the set that tracks them; links.c: links
 * and addresses, followed through dumps and notifications on ev, and the requests that change
 * them. Nothing outside src/kernel includes this.
 */
#ifndef TERN_KERNEL_INTERNAL_H
#define TERN_KERNEL_INTERNAL_H

#include "kernel.h"

#include <libmnl/libmnl.h>
#include <uv.h>

#include "lib/array.h"
#include "lib/hash_table.h"
#include "lib/pool.h"

/* Room kept at the end of the batch for the largest message (8 next hops IPv6 ~ 300 bytes). */
#define MSG_MAX 1024u
#define RX_BUF (64u * 1024u)

/* The set of installed routes (routes.c): a lib hash table of pool entries (owner kernel). */
struct route_slot {
	struct route_slot *hash_next;
	uint8_t family;
	uint8_t prefixlen;
	uint8_t bytes[16];
	uint32_t metric;
	uint32_t gen;
};

struct route_set {
	struct hash_table table; /* of route_slot, chained through hash_next */
	struct pool pool;
	size_t used;
};

struct kernel_op {
	uint32_t seq;
	bool sent;
	bool answered;              /* result and extack are final; done is due */
	int result;                 /* errno, 0 for success */
	kernel_done_fn *done;
	void *arg;
	char what[96];              /* "Cannot assign 10.0.0.1/8 to f0-0" */
	char extack[128];
};

/* A refused route, read from the socket and waiting for delivery from the loop. */
struct route_refusal {
	struct kernel_route route;
	bool is_delete;
	int error;
	char text[KERNEL_ERRTEXT_MAX];
};
/* Refusals kept per loop iteration; more are counted and summarised in the log. Without the
 * cap a next hop gone bad under a full table would queue a million texts. */
#define REFUSALS_MAX 1024
/* Interface operations waiting for answers: a configuration's worth, with room to spare. */
#define OPS_MAX 65536
/* Routes a crashed ternd left behind, read at open: a few full tables. */
#define STALE_ROUTES_MAX (16u * 1024u * 1024u)

enum dump_stage { DUMP_IDLE, DUMP_LINKS, DUMP_ADDRS };

struct kernel {
	uv_loop_t *loop;
	struct kernel_callbacks cb;
	struct kernel_options opt;
	struct mnl_socket *rt, *ev;
	uint32_t rt_portid, ev_portid;
	uint32_t seq;

	uv_poll_t rt_poll, ev_poll;
	uv_prepare_t prepare;
	uv_check_t check;
	int open_handles;

	/* the batch being filled */
	uint8_t *batch;
	size_t batch_len, batch_cap, batch_msgs, batch_last; /* offset of the last message */

	/* answers */
	uint32_t ack_wanted;  /* seq of the last sent message that asked for an ACK */
	uint32_t ack_seen;    /* highest seq answered */
	bool ack_pending;     /* ack_wanted not answered yet */
	bool resync_due;
	bool in_tick;

	/* interface operations awaiting answers or delivery, in seq order */
	struct array ops; /* of kernel_op */
	struct route_refusal *refusals;
	size_t nrefusals;
	uint64_t refusals_dropped;

	/* routes */
	struct route_set routes;
	uint32_t gen;

	/* stale route flush at open */
	uint32_t flush_seq;
	bool flush_done, flush_intr;
	struct array stale; /* of kernel_route */

	/* link/address (re-)dump on ev */
	struct kernel_ifaces *ifaces;
	enum dump_stage dump;
	uint32_t dump_seq;
	bool dump_intr, dump_again;

	struct kernel_stats stats;
	uint8_t rx[RX_BUF];
};

static inline struct kernel_op *kernel_ops(const struct kernel *k)
{
	return k->ops.items;
}

/* kernel.c */
uint32_t kernel_next_seq(struct kernel *k);
/* Room for one more message; sends the batch first when it is nearly full. */
uint8_t *kernel_batch_room(struct kernel *k, size_t *cap);
void kernel_batch_commit(struct kernel *k, size_t len);
/* Reads every message waiting on s. Returns false on ENOBUFS (answers were dropped). */
bool kernel_drain(struct kernel *k, struct mnl_socket *s, void (*each)(struct kernel *, const struct nlmsghdr *));
void kernel_op_answer(struct kernel_op *op, int error, const char *extack);

/* routes.c */
void kernel_routes_init(struct kernel *k);
void kernel_routes_free(struct kernel *k);
/* Deletes every route we installed (kernel_close); the caller settles. */
void kernel_routes_remove_all(struct kernel *k);

/* links.c */
/* Re-reads every link and address (at open, and after lost notifications). */
void kernel_links_redump(struct kernel *k);
/* Reads the link and address messages waiting on ev. */
void kernel_links_drain(struct kernel *k);

#endif
