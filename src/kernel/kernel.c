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
 * and resync_end deletes what the resync did not replace (routes.c). Links and addresses are
 * followed in links.c.
 */
#include "internal.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/log.h"

#define DEFAULT_BATCH_BYTES (256u * 1024u)
#define RCVBUF_BYTES (8 * 1024 * 1024)
#define OPEN_TIMEOUT_MS 5000
#define CLOSE_TIMEOUT_MS 2000

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

uint32_t kernel_next_seq(struct kernel *k)
{
	if (++k->seq == 0)
		k->seq = 1; /* 0 is what the kernel puts in notifications */
	return k->seq;
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
		if (!kernel_ops(k)[i].sent && !seq_before(last_seq, kernel_ops(k)[i].seq)) {
			kernel_ops(k)[i].sent = true;
			if (n < 0) {
				kernel_ops(k)[i].answered = true;
				kernel_ops(k)[i].result = err;
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
uint8_t *kernel_batch_room(struct kernel *k, size_t *cap)
{
	if (k->batch_cap - k->batch_len < MSG_MAX)
		send_batch(k);
	*cap = k->batch_cap - k->batch_len;
	return k->batch + k->batch_len;
}

void kernel_batch_commit(struct kernel *k, size_t len)
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
	struct kernel_op op = kernel_ops(k)[i];
	array_remove(&k->ops, i);
	char text[KERNEL_ERRTEXT_MAX];
	if (op.result)
		error_text(text, sizeof(text), op.what, op.result, op.extack);
	if (op.done)
		op.done(op.arg, op.result, op.result ? text : NULL);
	else if (op.result)
		log_warning("kernel: %s", text + 2);
}

void kernel_op_answer(struct kernel_op *op, int error, const char *extack)
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
		if (kernel_ops(k)[i].seq == e.seq) {
			kernel_op_answer(&kernel_ops(k)[i], e.error, e.extack);
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
bool kernel_drain(struct kernel *k, struct mnl_socket *s,
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
	bool ok = kernel_drain(k, k->rt, rt_message);
	if (k->ack_pending)
		ok = false;
	if (ok)
		return;
	for (size_t i = 0; i < k->ops.count; i++)
		if (kernel_ops(k)[i].sent && !kernel_ops(k)[i].answered)
			/* The link and address callbacks will still show the outcome. */
			kernel_op_answer(&kernel_ops(k)[i], ENOBUFS, "the kernel's answer was lost");
	k->ack_pending = false;
	k->resync_due = true;
}

/* Runs the callbacks for what drain_rt recorded, from the loop. */
static void deliver(struct kernel *k)
{
	while (k->ops.count && kernel_ops(k)[0].answered)
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
	kernel_links_drain(h->data);
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
		k->flush_seq = kernel_next_seq(k);
		size_t len = kernel_msg_dump(buf, sizeof(buf), k->flush_seq, RTM_GETROUTE, AF_UNSPEC);
		if (mnl_socket_sendto(k->rt, buf, len) < 0) {
			log_error("kernel: cannot dump routes: %s", strerror(errno));
			break;
		}
		while (!k->flush_done && wait_readable(mnl_socket_get_fd(k->rt), deadline))
			kernel_drain(k, k->rt, rt_message);
		if (!k->flush_done) {
			log_error("kernel: route dump timed out; stale routes may remain");
			break;
		}
		const struct kernel_route *stale = k->stale.items;
		for (size_t i = 0; i < k->stale.count; i++) {
			size_t cap;
			uint8_t *p = kernel_batch_room(k, &cap);
			size_t n = kernel_msg_route_delete(p, cap, kernel_next_seq(k), &stale[i].dst,
							   stale[i].prefixlen, true, stale[i].metric);
			if (n)
				kernel_batch_commit(k, n);
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
	kernel_routes_free(k);
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
	kernel_routes_init(k);
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
	kernel_links_redump(k);
	while (k->dump != DUMP_IDLE && wait_readable(mnl_socket_get_fd(k->ev), deadline))
		kernel_links_drain(k);
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
		kernel_routes_remove_all(k);
		kernel_settle(k, CLOSE_TIMEOUT_MS);
	}
	while (k->ops.count) {
		if (!kernel_ops(k)[0].answered)
			kernel_op_answer(&kernel_ops(k)[0], ECANCELED, NULL);
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
	kernel_links_drain(k);
	deliver(k);
	k->in_tick = was;
	return k->ack_pending || k->ops.count ? -ETIMEDOUT : 0;
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
