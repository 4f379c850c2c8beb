/* DOC: capturing one link with a packet socket, and a lab's captures from its start (see
 * capture.h). */
#include "lab/capture.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "lab/netns.h"
#include "lab/state.h"

volatile sig_atomic_t capture_stop;

static void on_signal(int sig)
{
	(void)sig;
	capture_stop = 1;
}

void capture_catch_signals(void)
{
	/* no SA_RESTART: poll() returns with EINTR and the loop sees the flag */
	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

double capture_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int capture_open(const char *ifname, char *err, size_t err_size)
{
	unsigned ifindex = if_nametoindex(ifname);
	if (ifindex == 0) {
		snprintf(err, err_size, "no interface %s: %s", ifname, strerror(errno));
		return -1;
	}
	/* protocol 0: nothing is queued until the bind below names the interface */
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, err_size, "packet socket: %s", strerror(errno));
		return -1;
	}
	int on = 1, size = 4 << 20;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) != 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL), .sll_ifindex = (int)ifindex };
	if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMP, &on, sizeof(on)) != 0 ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll)) != 0) {
		snprintf(err, err_size, "packet socket on %s: %s", ifname, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

long capture_run(int fd, long count, double deadline, capture_fn fn, void *arg)
{
	uint8_t *buf = malloc(PCAP_SNAPLEN);
	if (!buf)
		return -1;
	long frames = 0;
	while (!capture_stop && (count <= 0 || frames < count)) {
		int timeout = -1;
		if (deadline > 0) {
			double left = deadline - capture_now();
			if (left <= 0)
				break;
			timeout = (int)(left * 1000) + 1;
		}
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int n = poll(&pfd, 1, timeout);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			frames = -1;
			break;
		}
		if (n == 0)
			continue;
		struct sockaddr_ll from;
		char control[CMSG_SPACE(sizeof(struct timeval))];
		struct iovec iov = { buf, PCAP_SNAPLEN };
		struct msghdr msg = { .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov, .msg_iovlen = 1,
				      .msg_control = control, .msg_controllen = sizeof(control) };
		ssize_t len = recvmsg(fd, &msg, MSG_TRUNC | MSG_DONTWAIT);
		if (len < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			frames = -1;
			break;
		}
		struct timeval tv = { 0 };
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_TIMESTAMP)
				memcpy(&tv, CMSG_DATA(c), sizeof(tv));
		if (tv.tv_sec == 0)
			gettimeofday(&tv, NULL);
		struct pcap_frame f = {
			.sec = tv.tv_sec,
			.usec = (uint32_t)tv.tv_usec,
			.caplen = (uint32_t)len > PCAP_SNAPLEN ? PCAP_SNAPLEN : (uint32_t)len,
			.origlen = (uint32_t)len,
			.data = buf,
		};
		frames++;
		if (!fn(&f, arg))
			break;
	}
	free(buf);
	return frames;
}

unsigned capture_drops(int fd)
{
	struct tpacket_stats stats = { 0 };
	socklen_t len = sizeof(stats);
	if (getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &stats, &len) != 0)
		return 0;
	return stats.tp_drops;
}

void capture_lab_file(const struct topology *t, const struct topo_link *link, char *buf, size_t size)
{
	char file[160];
	snprintf(file, sizeof(file), "link-%s.%s--%s.%s.pcap", t->nodes[link->end[0].node].name,
		 link->end[0].ifname.linux_name, t->nodes[link->end[1].node].name, link->end[1].ifname.linux_name);
	state_path(t->name, file, buf, size);
}

static bool write_frame(const struct pcap_frame *f, void *arg)
{
	struct pcap_writer *w = arg;
	if (!pcap_write(w, f)) {
		fprintf(stderr, "tern-lab capture: %s, capture stopped after %llu bytes\n",
			w->full ? "size limit reached" : strerror(errno), (unsigned long long)w->written);
		return false;
	}
	return true;
}

/* The capture process of one link: tells the parent on `ready` once it captures, then
 * captures until SIGTERM (tern-lab down) or the size limit. */
static void capture_child(const struct topology *t, const struct topo_link *link, int ready)
{
	char ns[2 * TOPO_NAME_MAX + 2], file[512], log[512], err[800] = "";
	state_netns_name(t->name, t->nodes[link->end[0].node].name, ns, sizeof(ns));
	capture_lab_file(t, link, file, sizeof(file));
	state_path(t->name, "captures.log", log, sizeof(log));
	setsid();
	capture_catch_signals();
	int fd = -1, out = -1;
	struct pcap_writer w;
	if (!netns_enter(ns))
		snprintf(err, sizeof(err), "cannot enter %s: %s", ns, strerror(errno));
	else if ((fd = capture_open(link->end[0].ifname.linux_name, err, sizeof(err))) < 0)
		;
	else if ((out = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0 ||
		 !pcap_writer_start(&w, out, (uint64_t)CAPTURE_DEFAULT_MAX_MB << 20))
		snprintf(err, sizeof(err), "%s: %s", file, strerror(errno));
	size_t len = strlen(err);
	if (write(ready, len ? err : "ok", len ? len : 2) < 0 || len)
		_exit(1);
	close(ready);
	int null = open("/dev/null", O_RDWR), logfd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
	dup2(null, 0);
	dup2(null, 1);
	dup2(logfd >= 0 ? logfd : null, 2);
	capture_run(fd, 0, 0, write_frame, &w);
	_exit(0);
}

bool capture_start_lab(const struct topology *t, char *err, size_t err_size)
{
	for (size_t i = 0; i < t->link_count; i++) {
		int pipefd[2];
		if (pipe2(pipefd, O_CLOEXEC) != 0) {
			snprintf(err, err_size, "pipe: %s", strerror(errno));
			return false;
		}
		fflush(NULL);
		pid_t pid = fork();
		if (pid < 0) {
			snprintf(err, err_size, "fork: %s", strerror(errno));
			close(pipefd[0]);
			close(pipefd[1]);
			return false;
		}
		if (pid == 0) {
			close(pipefd[0]);
			capture_child(t, &t->links[i], pipefd[1]);
		}
		close(pipefd[1]);
		char answer[800];
		ssize_t n;
		do
			n = read(pipefd[0], answer, sizeof(answer) - 1);
		while (n < 0 && errno == EINTR);
		close(pipefd[0]);
		answer[n > 0 ? n : 0] = '\0';
		if (strcmp(answer, "ok")) {
			snprintf(err, err_size, "line %d: cannot capture the link: %s", t->links[i].line,
				 n > 0 ? answer : "the capture process died");
			return false;
		}
	}
	return true;
}
