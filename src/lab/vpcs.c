/* DOC: the VPCS commands of a lab PC (see vpcs.h), printing what VPCS prints. */
#include "lab/vpcs.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lab/icmp.h"
#include "lab/nl.h"

#define MAX_WORDS 16

static bool parse_v4(const char *text, uint32_t *out)
{
	struct in_addr a;
	if (inet_pton(AF_INET, text, &a) != 1)
		return false;
	*out = ntohl(a.s_addr);
	return true;
}

static const char *fmt_v4(uint32_t host, char buf[16])
{
	struct in_addr a = { htonl(host) };
	return inet_ntop(AF_INET, &a, buf, 16);
}

static bool mask_to_len(uint32_t mask, unsigned *len)
{
	unsigned n = 0;
	while (n < 32 && (mask & (0x80000000u >> n)))
		n++;
	if (n < 32 && (mask << n))
		return false;
	*len = n;
	return true;
}

static bool parse_len(const char *text, unsigned *len)
{
	char *end;
	if (!isdigit((unsigned char)text[0]))
		return false;
	unsigned long n = strtoul(text, &end, 10);
	if (*end || n > 32)
		return false;
	*len = (unsigned)n;
	return true;
}

static int split(char *line, char *words[MAX_WORDS])
{
	int n = 0;
	for (char *tok = strtok(line, " \t\r\n"); tok && n < MAX_WORDS; tok = strtok(NULL, " \t\r\n"))
		words[n++] = tok;
	return n;
}

bool vpcs_parse_ip(const char *args, struct vpcs_ip *out, char *err, size_t err_size)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", args);
	char *w[MAX_WORDS];
	int n = split(buf, w);
	struct vpcs_ip ip = { .set = true };
	if (n < 1 || n > 3)
		goto bad;
	char *slash = strchr(w[0], '/');
	if (slash) {
		*slash = '\0';
		if (!parse_len(slash + 1, &ip.len) || n > 2)
			goto bad;
	}
	if (!parse_v4(w[0], &ip.addr))
		goto bad;
	if (slash) {
		if (n == 2 && !parse_v4(w[1], &ip.gateway))
			goto bad;
	} else if (n == 1) {
		ip.len = 24; /* VPCS's default */
	} else {
		uint32_t second;
		if (!parse_v4(w[1], &second))
			goto bad;
		if (n == 3 && !strchr(w[2], '.')) {          /* ADDR GW LEN */
			ip.gateway = second;
			if (!parse_len(w[2], &ip.len))
				goto bad;
		} else if (mask_to_len(second, &ip.len) && second) { /* ADDR MASK [GW] */
			if (n == 3 && !parse_v4(w[2], &ip.gateway))
				goto bad;
		} else if (n == 2) {                                 /* ADDR GW */
			ip.gateway = second;
			ip.len = 24;
		} else {
			goto bad;
		}
	}
	if (ip.len == 0 || ip.addr == 0) {
		snprintf(err, err_size, "invalid address");
		return false;
	}
	if (ip.gateway) {
		uint32_t mask = ip.len ? 0xffffffffu << (32 - ip.len) : 0;
		if ((ip.gateway & mask) != (ip.addr & mask) || ip.gateway == ip.addr) {
			snprintf(err, err_size, "gateway %s is not on the PC's subnet", args);
			return false;
		}
	}
	*out = ip;
	return true;
bad:
	snprintf(err, err_size, "bad ip line '%s' (want ADDR MASK [GATEWAY] or ADDR/LEN [GATEWAY])", args);
	return false;
}

bool vpcs_apply_ip(struct vpcs *pc, const struct vpcs_ip *ip, char *err, size_t err_size)
{
	unsigned ifindex = nl_ifindex(pc->nl, pc->ifname);
	if (!ifindex) {
		snprintf(err, err_size, "%s has no interface %s", pc->name, pc->ifname);
		return false;
	}
	uint32_t a = htonl(ip->addr);
	if (!nl_link_set_up(pc->nl, pc->ifname, true) || !nl_addr_flush_v4(pc->nl, ifindex) ||
	    !nl_addr_add(pc->nl, ifindex, AF_INET, &a, ip->len) || !nl_route_delete_v4(pc->nl, 0, 0) ||
	    (ip->gateway && !nl_route_replace_v4(pc->nl, 0, 0, ip->gateway, ifindex))) {
		snprintf(err, err_size, "cannot configure %s: %s", pc->ifname, strerror(errno));
		return false;
	}
	return true;
}

static enum vpcs_result cmd_ip(struct vpcs *pc, const char *args)
{
	struct vpcs_ip ip;
	char err[256];
	if (!vpcs_parse_ip(args, &ip, err, sizeof(err))) {
		printf("Invalid address: %s\n", err);
		return VPCS_FAILED;
	}
	if (!vpcs_apply_ip(pc, &ip, err, sizeof(err))) {
		printf("%s\n", err);
		return VPCS_FAILED;
	}
	char a[16], m[16], g[16];
	uint32_t mask = 0xffffffffu << (32 - ip.len);
	if (ip.gateway)
		printf("%s : %s %s gateway %s\n", pc->name, fmt_v4(ip.addr, a), fmt_v4(mask, m), fmt_v4(ip.gateway, g));
	else
		printf("%s : %s %s\n", pc->name, fmt_v4(ip.addr, a), fmt_v4(mask, m));
	return VPCS_OK;
}

static enum vpcs_result cmd_show_ip(struct vpcs *pc)
{
	unsigned ifindex = nl_ifindex(pc->nl, pc->ifname);
	struct nl_link_info info = { 0 };
	nl_link_get(pc->nl, pc->ifname, &info);
	uint32_t addr = 0, gw = nl_default_gateway_v4(pc->nl);
	unsigned len = 0;
	char a[16], g[16];
	printf("\nNAME        : %s[1]\n", pc->name);
	if (ifindex && nl_addr_get_v4(pc->nl, ifindex, &addr, &len))
		printf("IP/MASK     : %s/%u\n", fmt_v4(addr, a), len);
	else
		printf("IP/MASK     : 0.0.0.0/0\n");
	printf("GATEWAY     : %s\n", fmt_v4(gw, g));
	printf("DNS         : \n");
	printf("MAC         : %02x:%02x:%02x:%02x:%02x:%02x\n", info.mac[0], info.mac[1], info.mac[2],
	       info.mac[3], info.mac[4], info.mac[5]);
	printf("MTU         : %u\n\n", info.mtu);
	return VPCS_OK;
}

static bool resolve(const char *host, uint32_t *dst)
{
	if (parse_v4(host, dst))
		return true;
	printf("Invalid address: %s\n", host);
	return false;
}

static void sleep_ms(double ms)
{
	if (ms <= 0)
		return;
	struct timespec ts = { (time_t)(ms / 1000), (long)((ms - (double)(time_t)(ms / 1000) * 1000) * 1e6) };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR && !icmp_interrupted)
		;
}

static void print_send_failure(const char *host, int e)
{
	if (e == ENETUNREACH)
		printf("No gateway found\n");
	else
		printf("host (%s) not reachable\n", host);
}

static enum vpcs_result cmd_ping(struct vpcs *pc, char **w, int n)
{
	if (n < 2) {
		printf("ping HOST [-c COUNT] [-w WAIT_MS]\n");
		return VPCS_FAILED;
	}
	const char *host = NULL;
	long count = 5, wait_ms = 1000;
	for (int i = 1; i < n; i++) {
		if ((!strcmp(w[i], "-c") || !strcmp(w[i], "-w")) && i + 1 < n) {
			char *end;
			long v = strtol(w[i + 1], &end, 10);
			if (*end || v <= 0 || v > 100000) {
				printf("Invalid option value: %s\n", w[i + 1]);
				return VPCS_FAILED;
			}
			if (w[i][1] == 'c')
				count = v;
			else
				wait_ms = v;
			i++;
		} else if (w[i][0] != '-' && !host) {
			host = w[i];
		} else {
			printf("Invalid option: %s\n", w[i]);
			return VPCS_FAILED;
		}
	}
	uint32_t dst;
	if (!host || !resolve(host, &dst))
		return VPCS_FAILED;
	int fd = icmp_open();
	if (fd < 0) {
		printf("cannot open an ICMP socket: %s\n", strerror(errno));
		return VPCS_FAILED;
	}
	uint16_t id = (uint16_t)(getpid() ^ (unsigned)time(NULL));
	char addr[16];
	bool replied = false;
	(void)pc;
	for (long seq = 1; seq <= count && !icmp_interrupted; seq++) {
		struct icmp_result r;
		icmp_probe(fd, dst, 64, id, (uint16_t)seq, (int)wait_ms, &r);
		switch (r.answer) {
		case ICMP_ANSWER_ECHO_REPLY:
			replied = true;
			printf("84 bytes from %s icmp_seq=%ld ttl=%d time=%.3f ms\n", fmt_v4(r.from, addr), seq, r.ttl, r.ms);
			break;
		case ICMP_ANSWER_NONE:
			if (!icmp_interrupted)
				printf("%s icmp_seq=%ld timeout\n", host, seq);
			break;
		case ICMP_ANSWER_SEND_FAILED:
			print_send_failure(host, r.send_errno);
			close(fd);
			return replied ? VPCS_OK : VPCS_FAILED;
		case ICMP_ANSWER_UNREACHABLE:
		case ICMP_ANSWER_TIME_EXCEEDED:
			printf("*%s icmp_seq=%ld ttl=%d time=%.3f ms (ICMP type:%d, code:%d, %s)\n", fmt_v4(r.from, addr),
			       seq, r.ttl, r.ms, r.type, r.code,
			       r.answer == ICMP_ANSWER_UNREACHABLE ? icmp_unreachable_text(r.code) : "TTL expired in transit");
			break;
		}
		fflush(stdout);
		if (seq < count)
			sleep_ms(1000 - (r.answer == ICMP_ANSWER_NONE ? wait_ms : r.ms));
	}
	close(fd);
	return replied ? VPCS_OK : VPCS_FAILED;
}

#define TRACE_HOPS 8
#define TRACE_PROBES 3

static enum vpcs_result cmd_trace(struct vpcs *pc, char **w, int n)
{
	(void)pc;
	uint32_t dst;
	if (n != 2) {
		printf("trace HOST\n");
		return VPCS_FAILED;
	}
	if (!resolve(w[1], &dst))
		return VPCS_FAILED;
	int fd = icmp_open();
	if (fd < 0) {
		printf("cannot open an ICMP socket: %s\n", strerror(errno));
		return VPCS_FAILED;
	}
	printf("trace to %s, %d hops max, press Ctrl+C to stop\n", w[1], TRACE_HOPS);
	fflush(stdout);
	uint16_t id = (uint16_t)(getpid() ^ (unsigned)time(NULL) ^ 0x5a5a);
	uint16_t seq = 0;
	bool reached = false;
	char addr[16];
	for (int ttl = 1; ttl <= TRACE_HOPS && !reached && !icmp_interrupted; ttl++) {
		printf("%2d   ", ttl);
		bool shown = false, stop = false;
		for (int p = 0; p < TRACE_PROBES && !icmp_interrupted; p++) {
			struct icmp_result r;
			icmp_probe(fd, dst, ttl, id, ++seq, 1000, &r);
			if (r.answer == ICMP_ANSWER_SEND_FAILED) {
				printf("\n");
				print_send_failure(w[1], r.send_errno);
				close(fd);
				return VPCS_FAILED;
			}
			if (r.answer == ICMP_ANSWER_NONE) {
				printf("  *");
				fflush(stdout);
				continue;
			}
			if (!shown) {
				printf("%s%s ", r.answer == ICMP_ANSWER_TIME_EXCEEDED ? "" : "*", fmt_v4(r.from, addr));
				shown = true;
			}
			printf("  %.3f ms", r.ms);
			if (r.answer == ICMP_ANSWER_UNREACHABLE) {
				printf(" (ICMP type:3, code:%d, %s)", r.code, icmp_unreachable_text(r.code));
				stop = true;
				break;
			}
			if (r.answer == ICMP_ANSWER_ECHO_REPLY)
				reached = true;
			fflush(stdout);
		}
		printf("\n");
		fflush(stdout);
		if (stop)
			break;
	}
	close(fd);
	return reached ? VPCS_OK : VPCS_FAILED;
}

static void help(void)
{
	printf("\n"
	       "ip ARG ... [OPTION]       Configure the current VPC's IP settings:\n"
	       "  ADDRESS MASK [GATEWAY]  e.g. ip 10.0.0.2 255.0.0.0 10.0.0.1\n"
	       "  ADDRESS/LEN [GATEWAY]   e.g. ip 10.0.0.2/8 10.0.0.1\n"
	       "show ip                   Print the VPC's IP settings\n"
	       "ping HOST [-c N] [-w MS]  Ping HOST with ICMP echo requests (5 by default)\n"
	       "trace HOST                Print the path packets take to HOST\n"
	       "quit                      Leave this console (the PC stays up)\n"
	       "?, help                   Print this help\n\n");
}

enum vpcs_result vpcs_run(struct vpcs *pc, const char *line)
{
	char buf[512];
	snprintf(buf, sizeof(buf), "%s", line);
	char *w[MAX_WORDS];
	int n = split(buf, w);
	if (n == 0)
		return VPCS_OK;
	icmp_interrupted = 0;
	enum vpcs_result r;
	if (!strcmp(w[0], "ip") && n >= 2) {
		const char *args = strstr(line, "ip") + 2;
		r = cmd_ip(pc, args);
	} else if (!strcmp(w[0], "show") && n == 2 && !strcmp(w[1], "ip")) {
		r = cmd_show_ip(pc);
	} else if (!strcmp(w[0], "ping")) {
		r = cmd_ping(pc, w, n);
	} else if (!strcmp(w[0], "trace") || !strcmp(w[0], "tracert")) {
		r = cmd_trace(pc, w, n);
	} else if (!strcmp(w[0], "?") || !strcmp(w[0], "help")) {
		help();
		r = VPCS_OK;
	} else if (!strcmp(w[0], "quit") || !strcmp(w[0], "exit")) {
		r = VPCS_QUIT;
	} else {
		printf("Bad command: \"%s\". Use ? for help.\n", line);
		r = VPCS_FAILED;
	}
	fflush(stdout);
	return r;
}
