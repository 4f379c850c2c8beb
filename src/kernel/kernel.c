/*
 * DOC: the kernel connection: rtnetlink sockets on a libuv loop.
 *
 * Two sockets, so that a flood of one kind of message cannot hide the other:
 *   rt  carries our requests (routes, addresses, link state) and their answers, and the route
 *       dump at open;
 *   ev  is subscribed to RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR and RTNLGRP_IPV6_IFADDR and carries
 *       the link and address dumps, whose replies go through the same handler as changes.
 *
 * Batching. Requests are appended to one buffer and sent in one sendmsg() when it is full (the
 * buffer size bounds memory and the time one send keeps the kernel busy) or when the loop
 * iteration ends (uv_check after I/O callbacks, uv_prepare after timers). Route requests carry
 * no NLM_F_ACK: the kernel answers a request without it only when it fails, so a million
 * routes cost a handful of answers, not a million. The last message of each send carries
 * NLM_F_ACK so we can tell that nothing was lost; interface operations always do, for their
 * done callback.
 *
 * Answers are never waited for. rtnetlink handles a request inside the sender's sendmsg() (under
 * the RTNL lock, netlink_rcv_skb), so when sendmsg() returns every answer is already queued on
 * our socket; we read them right after sending, at the end of the iteration. Hence the rule for
 * lost answers: once the socket is drained (EAGAIN), a request that wanted an ACK and got none
 * has lost it, which only happens when the receive buffer overflowed (ENOBUFS). A lost answer
 * may have been an error we will never see, so the owner is asked to resync (push its whole
 * table again between kernel_routes_resync_begin/end) rather than let the FIB silently
 * diverge. A lost link or address notification (ENOBUFS on ev) makes us re-dump links and
 * addresses, mark-and-sweep, and report the differences.
 *
 * Errors come back as NLMSG_ERROR carrying the request itself (we do not set NETLINK_CAP_ACK),
 * so the refused route is parsed from the echo and needs no bookkeeping per request; the
 * kernel's extended ACK text (NETLINK_EXT_ACK) is appended to the message shown to the user.
 *
 * The set of installed routes is a hash set keyed by prefix with its metric and a generation
 * number: kernel_close deletes what it holds, a metric change knows which old route to remove,
 * and resync_end deletes what the resync did not replace.
 */
#include "kernel.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#include "lib/array.h"
#include "lib/hash.h"
#include "lib/hash_table.h"
#include "lib/log.h"
#include "lib/pool.h"

#define DEFAULT_BATCH_BYTES (256u * 1024u)
/* Room kept at the end of the batch for the largest message (8 next hops IPv6 ~ 300 bytes). */
#define MSG_MAX 1024u
#define RX_BUF (64u * 1024u)
#define RCVBUF_BYTES (8 * 1024 * 1024)
#define OPEN_TIMEOUT_MS 5000
#define CLOSE_TIMEOUT_MS 2000

/* ---------------------------------------------------------------------------------------- */
/* The set of installed routes: a lib hash table of pool entries (owner kernel). */

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

static size_t addr_len(uint8_t family)
{
	return family == AF_INET ? 4 : 16;
}

/* The routes come from peers (BGP, OSPF, RIP), who choose the prefixes: a keyed hash. */
static uint64_t route_hash(uint8_t family, uint8_t plen, const uint8_t *bytes)
{
	uint8_t key[18] = { family, plen };
	memcpy(key + 2, bytes, addr_len(family));
	return hash_keyed(key, 2 + addr_len(family));
}

static uint64_t slot_hash(const void *slot)
{
	const struct route_slot *s = slot;
	return route_hash(s->family, s->prefixlen, s->bytes);
}

static void set_init(struct route_set *set)
{
	struct hash_table_options options = { .initial_size = 1024, .max_load = 1 };
	hash_table_init(&set->table, MEMORY_KERNEL, offsetof(struct route_slot, hash_next), slot_hash, &options);
	pool_init(&set->pool, MEMORY_KERNEL, "kernel routes", sizeof(struct route_slot));
	set->used = 0;
}

static void set_free(struct route_set *set)
{
	hash_table_free(&set->table);
	pool_destroy(&set->pool);
	set->used = 0;
}

static bool slot_is(const struct route_slot *s, uint8_t family, uint8_t plen, const uint8_t *b)
{
	return s->family == family && s->prefixlen == plen && memcmp(s->bytes, b, addr_len(family)) == 0;
}

static struct route_slot *set_find(const struct route_set *set, const struct ip_addr *dst,
				   uint8_t plen)
{
	uint64_t hash = route_hash(dst->family, plen, dst->bytes);
	for (struct route_slot *s = hash_table_first(&set->table, hash); s; s = s->hash_next)
		if (slot_is(s, dst->family, plen, dst->bytes))
			return s;
	return NULL;
}

/* Finds or adds; *fresh tells which. NULL only when out of memory. */
static struct route_slot *set_insert(struct route_set *set, const struct ip_addr *dst,
				     uint8_t plen, bool *fresh)
{
	struct route_slot *s = set_find(set, dst, plen);
	*fresh = s == NULL;
	if (s)
		return s;
	s = pool_alloc(&set->pool);
	if (!s)
		return NULL;
	s->family = dst->family;
	s->prefixlen = plen;
	memcpy(s->bytes, dst->bytes, addr_len(dst->family));
	if (!hash_table_insert(&set->table, s, slot_hash(s))) {
		pool_free(&set->pool, s);
		return NULL;
	}
	set->used++;
	return s;
}

static void set_remove(struct route_set *set, struct route_slot *s)
{
	hash_table_remove(&set->table, s, slot_hash(s));
	pool_free(&set->pool, s);
	set->used--;
}

static struct ip_addr slot_addr(const struct route_slot *s)
{
	struct ip_addr a = { .family = s->family };
	memcpy(a.bytes, s->bytes, addr_len(s->family));
	return a;
}

/* ---------------------------------------------------------------------------------------- */

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

static struct kernel_op *ops_of(const struct kernel *k)
{
	return k->ops.items;
}

static struct kernel_route *stale_of(const struct kernel *k)
{
	return k->stale.items;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* seq comparison that survives wrap-around (RFC 1982 style). */
static bool seq_before(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static uint32_t next_seq(struct kernel *k)
{
	if (++k->seq == 0)
		k->seq = 1; /* 0 is what the kernel puts in notifications */
	return k->seq;
}

static const char *ifname_of(const struct kernel *k, uint32_t ifindex, char *buf, size_t len)
{
	const struct kernel_link *l = kernel_ifaces_link(k->ifaces, ifindex);
	if (l)
		snprintf(buf, len, "%s", l->name);
	else
		snprintf(buf, len, "ifindex %u", ifindex);
	return buf;
}

/* "% <what>: <strerror> (<extack>)" */
static void error_text(char *out, size_t len, const char *what, int error, const char *extack)
{
	if (extack && extack[0])
		snprintf(out, len, "%% %s: %s (%s)", what, strerror(error), extack);
	else
		snprintf(out, len, "%% %s: %s", what, strerror(error));
}

/* ---------------------------------------------------------------------------------------- */
/* Sending */

static void drain_rt(struct kernel *k);

static void send_batch(struct kernel *k)
{
	if (k->batch_len == 0)
		return;
	/* The last message asks for an ACK: its answer proves the whole send was processed. */
	struct nlmsghdr *last = (struct nlmsghdr *)(k->batch + k->batch_last);
	last->nlmsg_flags |= NLM_F_ACK;
	uint32_t last_seq = last->nlmsg_seq;
	ssize_t n = mnl_socket_sendto(k->rt, k->batch, k->batch_len);
	int err = errno;
	k->stats.sends++;
	k->stats.messages_sent += k->batch_msgs;
	k->batch_len = 0;
	k->batch_msgs = 0;
	for (size_t i = 0; i < k->ops.count; i++)
		if (!ops_of(k)[i].sent && !seq_before(last_seq, ops_of(k)[i].seq)) {
			ops_of(k)[i].sent = true;
			if (n < 0) {
				ops_of(k)[i].answered = true;
				ops_of(k)[i].result = err;
			}
		}
	if (n < 0) {
		/* Nothing of it was processed, or we cannot know: have the owner push again. */
		log_error("kernel: netlink send failed: %s", strerror(err));
		k->resync_due = true;
		return;
	}
	k->ack_wanted = last_seq;
	k->ack_pending = true;
	/* Every answer is queued by now (see the DOC block): read them before the next send
	 * can pile more on, so only one send's worth ever waits in the receive buffer. */
	drain_rt(k);
}

/* Room for one more message; sends the batch first when it is nearly full. */
static uint8_t *batch_room(struct kernel *k, size_t *cap)
{
	if (k->batch_cap - k->batch_len < MSG_MAX)
		send_batch(k);
	*cap = k->batch_cap - k->batch_len;
	return k->batch + k->batch_len;
}

static void batch_commit(struct kernel *k, size_t len)
{
	k->batch_last = k->batch_len;
	k->batch_len += MNL_ALIGN(len);
	k->batch_msgs++;
}

void kernel_flush(struct kernel *k)
{
	send_batch(k);
}

/* ---------------------------------------------------------------------------------------- */
/* Answers on rt */

/* Removes op i and runs its done callback. */
static void op_finish(struct kernel *k, size_t i)
{
	struct kernel_op op = ops_of(k)[i];
	array_remove(&k->ops, i);
	char text[KERNEL_ERRTEXT_MAX];
	if (op.result)
		error_text(text, sizeof(text), op.what, op.result, op.extack);
	if (op.done)
		op.done(op.arg, op.result, op.result ? text : NULL);
	else if (op.result)
		log_warning("kernel: %s", text + 2);
}

static void op_answer(struct kernel_op *op, int error, const char *extack)
{
	op->answered = true;
	op->result = error;
	snprintf(op->extack, sizeof(op->extack), "%s", extack ? extack : "");
}

static void route_refused(struct kernel *k, const struct kernel_msg_error *e)
{
	struct kernel_route r;
	struct kernel_route_meta meta;
	char what[KERNEL_ERRTEXT_MAX], buf[KERNEL_ERRTEXT_MAX];
	const struct nlmsghdr *req = e->request;
	bool parsed = req && kernel_msg_parse_route(e->request, e->request_len, &r, &meta) == 0;
	bool is_delete = parsed && req->nlmsg_type == RTM_DELROUTE;
	/* Deleting a route the kernel already dropped (its link went down) is what we wanted. */
	if (is_delete && e->error == ESRCH)
		return;
	k->stats.route_errors++;
	if (!parsed) {
		error_text(buf, sizeof(buf), "Kernel refused a request", e->error, e->extack);
		log_warning("kernel: %s", buf + 2);
		return;
	}
	if (k->nrefusals == REFUSALS_MAX) {
		k->refusals_dropped++;
		return;
	}
	if (!k->refusals && !(k->refusals = memory_alloc(MEMORY_KERNEL, REFUSALS_MAX * sizeof(*k->refusals)))) {
		k->refusals_dropped++;
		return;
	}
	struct route_refusal *f = &k->refusals[k->nrefusals++];
	char rtext[160];
	snprintf(what, sizeof(what), "Cannot %s %s", is_delete ? "remove" : "install",
		 kernel_route_format(&r, rtext, sizeof(rtext)));
	error_text(f->text, sizeof(f->text), what, e->error, e->extack);
	f->route = r;
	f->is_delete = is_delete;
	f->error = e->error;
}

static void rt_answer(struct kernel *k, const struct nlmsghdr *nlh)
{
	struct kernel_msg_error e;
	if (kernel_msg_parse_error(nlh, nlh->nlmsg_len, &e) < 0) {
		k->stats.parse_errors++;
		return;
	}
	if (e.seq == k->flush_seq && k->flush_seq) {
		/* The route dump itself failed. */
		log_error("kernel: route dump failed: %s", strerror(e.error));
		k->flush_done = true;
		return;
	}
	if (!seq_before(e.seq, k->ack_seen) || !k->ack_seen)
		k->ack_seen = e.seq;
	if (k->ack_pending && !seq_before(e.seq, k->ack_wanted))
		k->ack_pending = false;
	for (size_t i = 0; i < k->ops.count; i++) {
		if (ops_of(k)[i].seq == e.seq) {
			op_answer(&ops_of(k)[i], e.error, e.extack);
			return;
		}
	}
	if (e.error)
		route_refused(k, &e);
}

static void rt_message(struct kernel *k, const struct nlmsghdr *nlh)
{
	switch (nlh->nlmsg_type) {
	case NLMSG_ERROR:
		rt_answer(k, nlh);
		break;
	case RTM_NEWROUTE:
		if (nlh->nlmsg_seq != k->flush_seq || k->flush_done)
			break;
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			k->flush_intr = true;
		struct kernel_route r;
		struct kernel_route_meta meta;
		if (kernel_msg_parse_route(nlh, nlh->nlmsg_len, &r, &meta) < 0) {
			k->stats.parse_errors++;
			break;
		}
		if (meta.protocol != KERNEL_RTPROT_TERN || meta.table != RT_TABLE_MAIN)
			break;
		struct kernel_route *stale = array_push(&k->stale);
		if (!stale)
			break; /* what does not fit stays behind, as before when memory ran out */
		*stale = r;
		break;
	case NLMSG_DONE:
		if (nlh->nlmsg_seq == k->flush_seq) {
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				k->flush_intr = true;
			k->flush_done = true;
		}
		break;
	default:
		break;
	}
}

/* Reads every message waiting on s. Returns false on ENOBUFS (answers were dropped). */
static bool drain(struct kernel *k, struct mnl_socket *s,
		  void (*each)(struct kernel *, const struct nlmsghdr *))
{
	bool overrun = false;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(s, k->rx, sizeof(k->rx));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				k->stats.enobufs++;
				overrun = true;
				continue;
			}
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				log_error("kernel: netlink receive: %s", strerror(errno));
			break;
		}
		if (n == 0)
			break;
		/* mnl_nlmsg_ok checks each header against what is left of the datagram. */
		int left = (int)n;
		for (const struct nlmsghdr *nlh = (const struct nlmsghdr *)k->rx; mnl_nlmsg_ok(nlh, left);
		     nlh = mnl_nlmsg_next(nlh, &left)) {
			/* No filter on nlmsg_pid: a notification carries the portid of whoever
			 * made the change (`ip addr add` included). */
			each(k, nlh);
		}
	}
	return !overrun;
}

/* Reads the answers (recording them; no callbacks run here). Once the socket is drained every
 * answer to what was sent is in (see the DOC block), so one still missing was lost. */
static void drain_rt(struct kernel *k)
{
	bool ok = drain(k, k->rt, rt_message);
	if (k->ack_pending)
		ok = false;
	if (ok)
		return;
	for (size_t i = 0; i < k->ops.count; i++)
		if (ops_of(k)[i].sent && !ops_of(k)[i].answered)
			/* The link and address callbacks will still show the outcome. */
			op_answer(&ops_of(k)[i], ENOBUFS, "the kernel's answer was lost");
	k->ack_pending = false;
	k->resync_due = true;
}

/* Runs the callbacks for what drain_rt recorded, from the loop. */
static void deliver(struct kernel *k)
{
	while (k->ops.count && ops_of(k)[0].answered)
		op_finish(k, 0);
	for (size_t i = 0; i < k->nrefusals; i++) {
		struct route_refusal *f = &k->refusals[i];
		if (k->cb.route_error)
			k->cb.route_error(k->cb.ctx, &f->route, f->is_delete, f->error, f->text);
		else
			log_warning("kernel: %s", f->text + 2);
	}
	k->nrefusals = 0;
	if (k->refusals_dropped) {
		log_warning("kernel: %llu more routes refused", (unsigned long long)k->refusals_dropped);
		k->refusals_dropped = 0;
	}
	if (k->resync_due) {
		k->resync_due = false;
		k->stats.resyncs++;
		log_warning("kernel: route answers lost; asking for a full route resync");
		if (k->cb.resync)
			k->cb.resync(k->cb.ctx);
	}
}

/* ---------------------------------------------------------------------------------------- */
/* Links and addresses on ev */

static void dump_start(struct kernel *k, uint16_t type)
{
	uint8_t buf[64] __attribute__((aligned(4)));
	k->dump_seq = next_seq(k);
	k->dump_intr = false;
	size_t len = kernel_msg_dump(buf, sizeof(buf), k->dump_seq, type, AF_UNSPEC);
	if (mnl_socket_sendto(k->ev, buf, len) < 0) {
		log_error("kernel: cannot dump %s: %s", type == RTM_GETLINK ? "links" : "addresses",
			  strerror(errno));
		k->dump = DUMP_IDLE;
		return;
	}
	k->dump = type == RTM_GETLINK ? DUMP_LINKS : DUMP_ADDRS;
}

/* Re-reads every link and address (at open, and after lost notifications). */
static void redump(struct kernel *k)
{
	if (k->dump != DUMP_IDLE) {
		k->dump_again = true;
		return;
	}
	kernel_ifaces_mark_links(k->ifaces);
	dump_start(k, RTM_GETLINK);
}

static void report_addr_removed(void *ctx, const struct kernel_addr *a)
{
	struct kernel *k = ctx;
	if (k->cb.addr)
		k->cb.addr(k->cb.ctx, a, KERNEL_REMOVED);
}

static void link_gone(struct kernel *k, const struct kernel_link *l)
{
	/* Its addresses go with it; report them first, as the kernel would. */
	size_t cur = 0;
	const struct kernel_addr *a;
	while ((a = kernel_ifaces_addr_next(k->ifaces, l->ifindex, &cur))) {
		struct kernel_addr copy = *a;
		kernel_ifaces_addr_update(k->ifaces, &copy, true);
		report_addr_removed(k, &copy);
		cur = 0;
	}
	if (k->cb.link)
		k->cb.link(k->cb.ctx, l, KERNEL_REMOVED);
}

static void report_link_removed(void *ctx, const struct kernel_link *l)
{
	link_gone(ctx, l);
}

static void dump_done(struct kernel *k)
{
	if (k->dump_again) {
		k->dump_again = false;
		k->dump = DUMP_IDLE;
		redump(k);
		return;
	}
	if (k->dump_intr) {
		/* The table changed under the dump (NLM_F_DUMP_INTR): what we saw may be
		 * inconsistent, so read it again. */
		dump_start(k, k->dump == DUMP_LINKS ? RTM_GETLINK : RTM_GETADDR);
		return;
	}
	if (k->dump == DUMP_LINKS) {
		kernel_ifaces_sweep_links(k->ifaces, report_link_removed, k);
		kernel_ifaces_mark_addrs(k->ifaces);
		dump_start(k, RTM_GETADDR);
	} else {
		kernel_ifaces_sweep_addrs(k->ifaces, report_addr_removed, k);
		k->dump = DUMP_IDLE;
	}
}

static void ev_message(struct kernel *k, const struct nlmsghdr *nlh)
{
	/* A notification carries the seq and portid of whoever made the change (iproute2 seeds
	 * its seq with the time, as we do), so a dump reply is told by both. */
	bool from_dump = k->dump != DUMP_IDLE && nlh->nlmsg_seq == k->dump_seq &&
			 nlh->nlmsg_pid == k->ev_portid;
	if (from_dump && (nlh->nlmsg_flags & NLM_F_DUMP_INTR))
		k->dump_intr = true;
	switch (nlh->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK: {
		struct kernel_link l;
		int rc = kernel_msg_parse_link(nlh, nlh->nlmsg_len, &l);
		if (rc < 0)
			k->stats.parse_errors++;
		if (rc != 0)
			break;
		const struct kernel_link *old = kernel_ifaces_link(k->ifaces, l.ifindex);
		if (nlh->nlmsg_type == RTM_DELLINK) {
			if (old) {
				struct kernel_link gone = *old;
				link_gone(k, &gone);
				kernel_ifaces_link_update(k->ifaces, &gone, true);
			}
			break;
		}
		if (!l.name[0] && old)
			memcpy(l.name, old->name, sizeof(l.name));
		int change = kernel_ifaces_link_update(k->ifaces, &l, false);
		if (change >= 0 && k->cb.link)
			k->cb.link(k->cb.ctx, &l, (enum kernel_change)change);
		break;
	}
	case RTM_NEWADDR:
	case RTM_DELADDR: {
		struct kernel_addr a;
		if (kernel_msg_parse_addr(nlh, nlh->nlmsg_len, &a) < 0) {
			k->stats.parse_errors++;
			break;
		}
		int change = kernel_ifaces_addr_update(k->ifaces, &a, nlh->nlmsg_type == RTM_DELADDR);
		if (change >= 0 && k->cb.addr)
			k->cb.addr(k->cb.ctx, &a, (enum kernel_change)change);
		break;
	}
	case NLMSG_DONE:
		if (from_dump)
			dump_done(k);
		break;
	case NLMSG_ERROR:
		if (from_dump) {
			struct kernel_msg_error e;
			if (kernel_msg_parse_error(nlh, nlh->nlmsg_len, &e) == 0 && e.error) {
				log_error("kernel: interface dump failed: %s", strerror(e.error));
				k->dump = DUMP_IDLE;
			}
		}
		break;
	default:
		break;
	}
}

static void drain_ev(struct kernel *k)
{
	if (!drain(k, k->ev, ev_message)) {
		/* Notifications were dropped: what we hold may be stale. */
		log_warning("kernel: link/address notifications lost (ENOBUFS); re-reading them");
		redump(k);
	}
}

/* ---------------------------------------------------------------------------------------- */
/* Loop glue */

static void on_tick(struct kernel *k)
{
	if (k->in_tick)
		return;
	k->in_tick = true;
	/* Deliver first: a resync callback queues routes that then go out in this same tick. */
	deliver(k);
	send_batch(k);
	drain_rt(k);
	deliver(k);
	k->in_tick = false;
}

static void on_prepare(uv_prepare_t *h)
{
	on_tick(h->data);
}

static void on_check(uv_check_t *h)
{
	on_tick(h->data);
}

static void on_rt_readable(uv_poll_t *h, int status, int events);

/* A netlink socket that overran reports POLLERR (sk_err = ENOBUFS) and libuv then stops the
 * uv_poll and passes UV_EBADF. The error is ours to read (recv returns ENOBUFS once), so
 * start watching again: without this a single overrun would deafen us for good. */
static void poll_restart(uv_poll_t *h, int status, uv_poll_cb cb)
{
	if (status < 0 && !uv_is_closing((uv_handle_t *)h))
		uv_poll_start(h, UV_READABLE, cb);
}

static void on_rt_readable(uv_poll_t *h, int status, int events)
{
	struct kernel *k = h->data;
	poll_restart(h, status, on_rt_readable);
	if (!k->in_tick) {
		k->in_tick = true;
		drain_rt(k);
		deliver(k);
		k->in_tick = false;
	}
}

static void on_ev_readable(uv_poll_t *h, int status, int events)
{
	poll_restart(h, status, on_ev_readable);
	drain_ev(h->data);
}

/* Blocks up to the deadline for fd to become readable. */
static bool wait_readable(int fd, int64_t deadline)
{
	int64_t left = deadline - now_ms();
	if (left <= 0)
		return false;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int rc = poll(&p, 1, (int)left);
	return rc > 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Open and close */

static struct mnl_socket *open_socket(uint32_t *portid, bool want_ext_ack, size_t *batch_cap,
				      int rcvbuf)
{
	struct mnl_socket *s = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (!s)
		return NULL;
	if (mnl_socket_bind(s, 0, MNL_SOCKET_AUTOPID) < 0) {
		mnl_socket_close(s);
		return NULL;
	}
	*portid = mnl_socket_get_portid(s);
	int fd = mnl_socket_get_fd(s);
	/* A big receive buffer makes overruns rare (SO_RCVBUFFORCE needs CAP_NET_ADMIN, which
	 * ternd keeps; without it the sysctl-capped SO_RCVBUF is the best we get). */
	int size = rcvbuf > 0 ? rcvbuf : RCVBUF_BYTES;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (batch_cap) {
		/* netlink refuses a datagram larger than the send buffer (EMSGSIZE), so make
		 * room for a whole batch, then shrink the batch to what we got. */
		int want = (int)(*batch_cap + 4096);
		if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &want, sizeof(want)) < 0)
			setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &want, sizeof(want));
		int got = 0;
		socklen_t gl = sizeof(got);
		if (getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &got, &gl) == 0 && got > 0 &&
		    (size_t)got < *batch_cap + 64)
			*batch_cap = (size_t)got > 64 + 2 * MSG_MAX ? (size_t)got - 64 : 2 * MSG_MAX;
	}
	int on = 1;
	if (want_ext_ack)
		mnl_socket_setsockopt(s, NETLINK_EXT_ACK, &on, sizeof(on));
	return s;
}

/* Deletes every proto 201 route of table main (what a crashed ternd left behind). */
static void flush_stale(struct kernel *k)
{
	int64_t deadline = now_ms() + OPEN_TIMEOUT_MS;
	for (int attempt = 0; attempt < 3; attempt++) {
		uint8_t buf[64] __attribute__((aligned(4)));
		k->stale.count = 0;
		k->flush_done = k->flush_intr = false;
		k->flush_seq = next_seq(k);
		size_t len = kernel_msg_dump(buf, sizeof(buf), k->flush_seq, RTM_GETROUTE, AF_UNSPEC);
		if (mnl_socket_sendto(k->rt, buf, len) < 0) {
			log_error("kernel: cannot dump routes: %s", strerror(errno));
			break;
		}
		while (!k->flush_done && wait_readable(mnl_socket_get_fd(k->rt), deadline))
			drain(k, k->rt, rt_message);
		if (!k->flush_done) {
			log_error("kernel: route dump timed out; stale routes may remain");
			break;
		}
		for (size_t i = 0; i < k->stale.count; i++) {
			size_t cap;
			uint8_t *p = batch_room(k, &cap);
			size_t n = kernel_msg_route_delete(p, cap, next_seq(k), &stale_of(k)[i].dst,
							   stale_of(k)[i].prefixlen, true,
							   stale_of(k)[i].metric);
			if (n)
				batch_commit(k, n);
		}
		k->stats.flushed_at_open += k->stale.count;
		if (k->stale.count)
			log_notice("kernel: deleting %zu stale routes of protocol %d", k->stale.count,
				   KERNEL_RTPROT_TERN);
		kernel_settle(k, (int)(deadline - now_ms()));
		if (!k->flush_intr)
			break;
	}
	k->flush_seq = 0;
	k->flush_done = false;
	array_free(&k->stale);
}

static void kernel_free(struct kernel *k)
{
	if (k->rt)
		mnl_socket_close(k->rt);
	if (k->ev)
		mnl_socket_close(k->ev);
	kernel_ifaces_free(k->ifaces);
	set_free(&k->routes);
	memory_free(MEMORY_KERNEL, k->batch);
	array_free(&k->ops);
	memory_free(MEMORY_KERNEL, k->refusals);
	array_free(&k->stale);
	memory_free(MEMORY_KERNEL, k);
}

struct kernel *kernel_open(uv_loop_t *loop, const struct kernel_options *opt,
			   const struct kernel_callbacks *cb, char *err, size_t errlen)
{
	struct kernel *k = memory_calloc(MEMORY_KERNEL, 1, sizeof(*k));
	if (!k) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	set_init(&k->routes);
	array_init(&k->ops, MEMORY_KERNEL, sizeof(struct kernel_op), OPS_MAX);
	array_init(&k->stale, MEMORY_KERNEL, sizeof(struct kernel_route), STALE_ROUTES_MAX);
	k->loop = loop;
	if (cb)
		k->cb = *cb;
	if (opt)
		k->opt = *opt;
	k->batch_cap = k->opt.batch_bytes ? k->opt.batch_bytes : DEFAULT_BATCH_BYTES;
	if (k->batch_cap < 2 * MSG_MAX)
		k->batch_cap = 2 * MSG_MAX;
	k->batch = memory_alloc(MEMORY_KERNEL, k->batch_cap);
	k->ifaces = kernel_ifaces_new();
	k->seq = (uint32_t)time(NULL);
	k->gen = 1;
	if (!k->batch || !k->ifaces) {
		snprintf(err, errlen, "out of memory");
		kernel_free(k);
		return NULL;
	}
	k->rt = open_socket(&k->rt_portid, true, &k->batch_cap, k->opt.rcvbuf_bytes);
	k->ev = k->rt ? open_socket(&k->ev_portid, false, NULL, k->opt.rcvbuf_bytes) : NULL;
	if (!k->rt || !k->ev) {
		snprintf(err, errlen, "cannot open a netlink socket: %s", strerror(errno));
		kernel_free(k);
		return NULL;
	}
	/* Subscribe before dumping, so no change falls between the dump and the first
	 * notification; a change seen twice is reported once (the table compares). */
	static const unsigned groups[] = { RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR };
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		unsigned group = groups[i];
		if (mnl_socket_setsockopt(k->ev, NETLINK_ADD_MEMBERSHIP, &group, sizeof(group)) < 0) {
			snprintf(err, errlen, "cannot subscribe to netlink group %u: %s", groups[i],
				 strerror(errno));
			kernel_free(k);
			return NULL;
		}
	}
	if (!k->opt.no_fib)
		flush_stale(k);

	int64_t deadline = now_ms() + OPEN_TIMEOUT_MS;
	redump(k);
	while (k->dump != DUMP_IDLE && wait_readable(mnl_socket_get_fd(k->ev), deadline))
		drain_ev(k);
	if (k->dump != DUMP_IDLE) {
		snprintf(err, errlen, "timed out reading links and addresses");
		kernel_free(k);
		return NULL;
	}

	uv_poll_init(loop, &k->rt_poll, mnl_socket_get_fd(k->rt));
	uv_poll_init(loop, &k->ev_poll, mnl_socket_get_fd(k->ev));
	uv_prepare_init(loop, &k->prepare);
	uv_check_init(loop, &k->check);
	k->rt_poll.data = k->ev_poll.data = k->prepare.data = k->check.data = k;
	k->open_handles = 4;
	uv_poll_start(&k->rt_poll, UV_READABLE, on_rt_readable);
	uv_poll_start(&k->ev_poll, UV_READABLE, on_ev_readable);
	uv_prepare_start(&k->prepare, on_prepare);
	uv_check_start(&k->check, on_check);
	/* The kernel module alone must not keep the loop running. */
	uv_unref((uv_handle_t *)&k->rt_poll);
	uv_unref((uv_handle_t *)&k->ev_poll);
	uv_unref((uv_handle_t *)&k->prepare);
	uv_unref((uv_handle_t *)&k->check);
	return k;
}

static void on_closed(uv_handle_t *h)
{
	struct kernel *k = h->data;
	if (--k->open_handles == 0)
		kernel_free(k);
}

void kernel_close(struct kernel *k)
{
	if (!k)
		return;
	/* The owner is going away: from here only pending done callbacks run. */
	k->cb = (struct kernel_callbacks){ 0 };
	kernel_settle(k, CLOSE_TIMEOUT_MS);
	if (!k->opt.no_fib && k->routes.used) {
		log_notice("kernel: deleting %zu routes", k->routes.used);
		struct hash_table_iter it;
		hash_table_iter_init(&k->routes.table, &it);
		for (struct route_slot *s; (s = hash_table_iter_next(&k->routes.table, &it));) {
			struct ip_addr dst = slot_addr(s);
			size_t cap;
			uint8_t *p = batch_room(k, &cap);
			size_t n = kernel_msg_route_delete(p, cap, next_seq(k), &dst, s->prefixlen,
							   false, 0);
			if (n)
				batch_commit(k, n);
			set_remove(&k->routes, s);
		}
		kernel_settle(k, CLOSE_TIMEOUT_MS);
	}
	while (k->ops.count) {
		if (!ops_of(k)[0].answered)
			op_answer(&ops_of(k)[0], ECANCELED, NULL);
		op_finish(k, 0);
	}
	uv_close((uv_handle_t *)&k->rt_poll, on_closed);
	uv_close((uv_handle_t *)&k->ev_poll, on_closed);
	uv_close((uv_handle_t *)&k->prepare, on_closed);
	uv_close((uv_handle_t *)&k->check, on_closed);
}

int kernel_settle(struct kernel *k, int timeout_ms)
{
	int64_t deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	bool was = k->in_tick;
	k->in_tick = true;
	send_batch(k);
	drain_rt(k);
	while (k->ack_pending && wait_readable(mnl_socket_get_fd(k->rt), deadline))
		drain_rt(k);
	drain_ev(k);
	deliver(k);
	k->in_tick = was;
	return k->ack_pending || k->ops.count ? -ETIMEDOUT : 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Routes */

static bool host_bits_clear(const struct ip_addr *a, uint8_t plen)
{
	size_t n = addr_len(a->family);
	for (size_t bit = plen; bit < n * 8; bit++)
		if (a->bytes[bit / 8] & (0x80 >> (bit % 8)))
			return false;
	return true;
}

bool kernel_route_replace(struct kernel *k, const struct kernel_route *r, const char **why)
{
	const char *dummy;
	if (!why)
		why = &dummy;
	if (r->dst.family != AF_INET && r->dst.family != AF_INET6) {
		*why = "not an IPv4 or IPv6 prefix";
		return false;
	}
	if (r->prefixlen > addr_len(r->dst.family) * 8 || !host_bits_clear(&r->dst, r->prefixlen)) {
		*why = "bad prefix length or host bits set";
		return false;
	}
	struct kernel_route route = *r;
	if (route.metric == 0 && route.dst.family == AF_INET6)
		route.metric = 1024; /* what the kernel makes of 0, so the set matches it */
	if (!k->opt.no_fib) {
		size_t cap;
		uint8_t *p = batch_room(k, &cap);
		size_t n = kernel_msg_route_replace(p, cap, next_seq(k), &route);
		if (!n) {
			*why = "bad next hops";
			return false;
		}
		batch_commit(k, n);
	} else {
		/* ternd -n: nothing is sent and nothing is tracked (a full table would cost tens
		 * of megabytes of bookkeeping for routes that never reach the kernel). */
		if (route.nexthop_count > KERNEL_MAX_NEXTHOPS) {
			*why = "bad next hops";
			return false;
		}
		k->stats.route_replaces++;
		return true;
	}
	k->stats.route_replaces++;
	bool fresh;
	struct route_slot *s = set_insert(&k->routes, &route.dst, route.prefixlen, &fresh);
	if (!s) {
		/* Sent but untracked: close would leave it behind, so ask for a resync later. */
		log_error("kernel: out of memory tracking routes");
		k->resync_due = true;
		return true;
	}
	if (!fresh && s->metric != route.metric && !k->opt.no_fib) {
		/* The kernel keys routes by metric too: the replace added a second route, so
		 * remove the old one now that the new one is in place. */
		size_t cap;
		uint8_t *p = batch_room(k, &cap);
		size_t n = kernel_msg_route_delete(p, cap, next_seq(k), &route.dst, route.prefixlen,
						   true, s->metric);
		if (n)
			batch_commit(k, n);
	}
	s->metric = route.metric;
	s->gen = k->gen;
	return true;
}

bool kernel_fib_enabled(const struct kernel *k)
{
	return !k->opt.no_fib;
}

void kernel_route_delete(struct kernel *k, const struct ip_addr *dst, uint8_t prefixlen)
{
	struct route_slot *s = set_find(&k->routes, dst, prefixlen);
	if (!s)
		return;
	k->stats.route_deletes++;
	uint32_t metric = s->metric;
	set_remove(&k->routes, s);
	if (k->opt.no_fib)
		return;
	size_t cap;
	uint8_t *p = batch_room(k, &cap);
	size_t n = kernel_msg_route_delete(p, cap, next_seq(k), dst, prefixlen, true, metric);
	if (n)
		batch_commit(k, n);
}

void kernel_routes_resync_begin(struct kernel *k)
{
	if (++k->gen == 0)
		k->gen = 1;
}

void kernel_routes_resync_end(struct kernel *k)
{
	/* Deleting the route just returned is allowed during an iteration (lib/hash_table.h). */
	struct hash_table_iter it;
	hash_table_iter_init(&k->routes.table, &it);
	for (struct route_slot *s; (s = hash_table_iter_next(&k->routes.table, &it));) {
		if (s->gen == k->gen)
			continue;
		struct ip_addr dst = slot_addr(s);
		kernel_route_delete(k, &dst, s->prefixlen);
	}
}

/* ---------------------------------------------------------------------------------------- */
/* Interface configuration */

static struct kernel_op *op_queue(struct kernel *k, kernel_done_fn *done, void *arg)
{
	struct kernel_op *op = array_push(&k->ops);
	if (!op)
		return NULL;
	op->done = done;
	op->arg = arg;
	return op;
}

static void op_send(struct kernel *k, struct kernel_op *op, size_t len, uint8_t *p)
{
	if (!len) {
		op->sent = true;
		op_answer(op, EINVAL, NULL);
		return;
	}
	((struct nlmsghdr *)p)->nlmsg_flags |= NLM_F_ACK;
	batch_commit(k, len);
}

static void address_op(struct kernel *k, bool add, uint32_t ifindex, const struct ip_addr *addr,
		       uint8_t prefixlen, kernel_done_fn *done, void *arg)
{
	size_t cap;
	uint8_t *p = batch_room(k, &cap);
	struct kernel_op *op = op_queue(k, done, arg);
	if (!op) {
		if (done)
			done(arg, ENOMEM, "% Out of memory");
		return;
	}
	char a[IP_ADDR_STRLEN], name[IFNAME_LINUX_MAX + 16];
	snprintf(op->what, sizeof(op->what), add ? "Cannot assign %s/%u to %s"
						 : "Cannot remove %s/%u from %s",
		 ip_addr_format(addr, a), prefixlen, ifname_of(k, ifindex, name, sizeof(name)));
	op->seq = next_seq(k);
	op_send(k, op, kernel_msg_addr(p, cap, op->seq, add, ifindex, addr, prefixlen), p);
}

void kernel_address_add(struct kernel *k, uint32_t ifindex, const struct ip_addr *addr,
			uint8_t prefixlen, kernel_done_fn *done, void *arg)
{
	address_op(k, true, ifindex, addr, prefixlen, done, arg);
}

void kernel_address_delete(struct kernel *k, uint32_t ifindex, const struct ip_addr *addr,
			   uint8_t prefixlen, kernel_done_fn *done, void *arg)
{
	address_op(k, false, ifindex, addr, prefixlen, done, arg);
}

void kernel_link_set_up(struct kernel *k, uint32_t ifindex, bool up, kernel_done_fn *done,
			void *arg)
{
	size_t cap;
	uint8_t *p = batch_room(k, &cap);
	struct kernel_op *op = op_queue(k, done, arg);
	if (!op) {
		if (done)
			done(arg, ENOMEM, "% Out of memory");
		return;
	}
	char name[IFNAME_LINUX_MAX + 16];
	snprintf(op->what, sizeof(op->what), up ? "Cannot bring up %s" : "Cannot shut down %s",
		 ifname_of(k, ifindex, name, sizeof(name)));
	op->seq = next_seq(k);
	op_send(k, op, kernel_msg_link_set_up(p, cap, op->seq, ifindex, up), p);
}

/* ---------------------------------------------------------------------------------------- */

const struct kernel_ifaces *kernel_ifaces(const struct kernel *k)
{
	return k->ifaces;
}

void kernel_get_stats(const struct kernel *k, struct kernel_stats *out)
{
	*out = k->stats;
	out->routes_installed = k->routes.used;
}
