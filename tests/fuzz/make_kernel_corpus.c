/* Seed corpus generator for fuzz_kernel_msg (not part of the build): from the repo root,
 *   cc -std=c17 -D_GNU_SOURCE -Isrc tests/fuzz/make_kernel_corpus.c build/libterncore.a -lmnl -luv \
 *      -o /tmp/mk && /tmp/mk
 */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>
#include "kernel/kernel.h"

static void save(const char *name, uint8_t which, const void *msg, size_t len)
{
	char path[256];
	snprintf(path, sizeof(path), "tests/fuzz/corpus/kernel_msg/%s", name);
	FILE *f = fopen(path, "wb");
	fputc(which, f);
	fwrite(msg, 1, len, f);
	fclose(f);
}

int main(void)
{
	uint32_t buf[1024];
	struct kernel_route r = { .prefixlen = 24, .metric = 20, .nexthop_count = 1 };
	ip_addr_parse("10.1.2.0", &r.dst);
	ip_addr_parse("10.0.0.2", &r.nexthops[0].gateway);
	r.nexthops[0].ifindex = 3;
	size_t n = kernel_msg_route_replace(buf, sizeof(buf), 7, &r);
	save("route-v4", 2, buf, n);
	r.nexthop_count = 2;
	ip_addr_parse("10.0.0.3", &r.nexthops[1].gateway);
	n = kernel_msg_route_replace(buf, sizeof(buf), 8, &r);
	save("route-ecmp", 2, buf, n);
	struct kernel_route r6 = { .prefixlen = 48, .nexthop_count = 1 };
	ip_addr_parse("2001:db8:1::", &r6.dst);
	ip_addr_parse("fe80::1", &r6.nexthops[0].gateway);
	r6.nexthops[0].ifindex = 2;
	n = kernel_msg_route_replace(buf, sizeof(buf), 9, &r6);
	save("route-v6", 2, buf, n);
	struct ip_addr a;
	ip_addr_parse("192.168.1.2", &a);
	n = kernel_msg_addr(buf, sizeof(buf), 10, true, 4, &a, 24);
	save("addr-v4", 1, buf, n);
	n = kernel_msg_link_set_up(buf, sizeof(buf), 11, 4, true);
	save("link", 0, buf, n);
	n = kernel_msg_route_delete(buf, sizeof(buf), 12, &r.dst, 24, true, 20);
	save("route-delete", 2, buf, n);
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	memset(buf, 0, 64);
	h->nlmsg_len = NLMSG_LENGTH(sizeof(struct nlmsgerr));
	h->nlmsg_type = NLMSG_ERROR;
	((struct nlmsgerr *)NLMSG_DATA(h))->error = -17;
	save("error", 3, buf, h->nlmsg_len);
	return 0;
}
