/*
 * DOC: links and addresses. The ev socket is subscribed to RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR and
 * RTNLGRP_IPV6_IFADDR and carries the link and address dumps, whose replies go through the same
 * handler as changes; the table (ifaces.c) says what really changed, and only that is reported.
 * A lost notification (ENOBUFS) makes us re-dump, mark-and-sweep, and report the differences.
 * The requests that change links and addresses go out in the batch on rt, each asking for an
 * ACK, and their outcome reaches the caller's done callback from the loop.
 */
#include "internal.h"

#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"

static const char *ifname_of(const struct kernel *k, uint32_t ifindex, char *buf, size_t len)
{
	const struct kernel_link *l = kernel_ifaces_link(k->ifaces, ifindex);
	if (l)
		snprintf(buf, len, "%s", l->name);
	else
		snprintf(buf, len, "ifindex %u", ifindex);
	return buf;
}

/* ---------------------------------------------------------------------------------------- */
/* Dumps and notifications on ev */

static void dump_start(struct kernel *k, uint16_t type)
{
	uint8_t buf[64] __attribute__((aligned(4)));
	k->dump_seq = kernel_next_seq(k);
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
void kernel_links_redump(struct kernel *k)
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
		kernel_links_redump(k);
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

void kernel_links_drain(struct kernel *k)
{
	if (!kernel_drain(k, k->ev, ev_message)) {
		/* Notifications were dropped: what we hold may be stale. */
		log_warning("kernel: link/address notifications lost (ENOBUFS); re-reading them");
		kernel_links_redump(k);
	}
}

/* ---------------------------------------------------------------------------------------- */
/* Requests on rt: addresses, link state */

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
		kernel_op_answer(op, EINVAL, NULL);
		return;
	}
	((struct nlmsghdr *)p)->nlmsg_flags |= NLM_F_ACK;
	kernel_batch_commit(k, len);
}

/* Room in the batch and a queued operation for one request; NULL (done told) without memory. */
static struct kernel_op *op_begin(struct kernel *k, kernel_done_fn *done, void *arg, uint8_t **p, size_t *cap)
{
	*p = kernel_batch_room(k, cap);
	struct kernel_op *op = op_queue(k, done, arg);
	if (!op && done)
		done(arg, ENOMEM, "% Out of memory");
	return op;
}

static void address_op(struct kernel *k, bool add, uint32_t ifindex, const struct ip_addr *addr,
		       uint8_t prefixlen, kernel_done_fn *done, void *arg)
{
	size_t cap;
	uint8_t *p;
	struct kernel_op *op = op_begin(k, done, arg, &p, &cap);
	if (!op)
		return;
	char a[IP_ADDR_STRLEN], name[IFNAME_LINUX_MAX + 16];
	snprintf(op->what, sizeof(op->what), add ? "Cannot assign %s/%u to %s"
						 : "Cannot remove %s/%u from %s",
		 ip_addr_format(addr, a), prefixlen, ifname_of(k, ifindex, name, sizeof(name)));
	op->seq = kernel_next_seq(k);
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
	uint8_t *p;
	struct kernel_op *op = op_begin(k, done, arg, &p, &cap);
	if (!op)
		return;
	char name[IFNAME_LINUX_MAX + 16];
	snprintf(op->what, sizeof(op->what), up ? "Cannot bring up %s" : "Cannot shut down %s",
		 ifname_of(k, ifindex, name, sizeof(name)));
	op->seq = kernel_next_seq(k);
	op_send(k, op, kernel_msg_link_set_up(p, cap, op->seq, ifindex, up), p);
}
