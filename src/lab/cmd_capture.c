/*
 * DOC: `tern-lab capture LINK`: a link's frames as a pcap file, or its BGP, OSPF and RIP
 * messages as a ladder in the terminal.
 *
 *   tern-lab capture LINK [-w FILE] [--ladder] [-c N] [--seconds N] [--follow] [--live]
 *                         [--max-size MB]
 *   tern-lab capture -r FILE [--ladder]
 *
 * LINK is one end as `tern-lab link` names it (R2:f0/0, or a PC alone), or two nodes joined
 * by one link (R2-R3); the end named first is the ladder's left side. In a lab whose
 * topology says `capture: all`, the link has been captured since `up` (capture.h): capture
 * reads that file from the start (and, with --follow, goes on as it grows). In any other lab,
 * or with --live, it captures from now, on the first named end, until Ctrl-C or SIGTERM,
 * -c N frames or --seconds N. -w FILE writes pcap (`-w -`: standard output, for
 * `| wireshark -k -i -`); without -w, or with --ladder, the ladder is printed.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "lab/capture.h"
#include "lab/ladder.h"
#include "lab/lab.h"
#include "lab/netns.h"
#include "lab/nl.h"

struct options {
	const char *link, *write, *read;
	bool ladder, follow, live;
	long count;
	double seconds;
	uint64_t max_bytes;
};

/* Where the frames go: a pcap file, a ladder, or both. */
struct sink {
	bool writing;
	struct pcap_writer writer;
	struct ladder *ladder;
	long frames;
};

static struct topology topo;

static void usage(void)
{
	fprintf(stderr, "usage: tern-lab capture NODE:IFACE|NODE-NODE [-w FILE] [--ladder] [-c N] [--seconds N]\n"
			"                        [--follow] [--live] [--max-size MB]\n"
			"       tern-lab capture -r FILE [--ladder]\n");
}

static bool number(const char *text, double min, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(text ? text : "", &end);
	if (!text || !*text || *end || errno || v < min)
		return false;
	*out = v;
	return true;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	*o = (struct options){ .max_bytes = (uint64_t)CAPTURE_DEFAULT_MAX_MB << 20 };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
		double v;
		if (!strcmp(a, "-w") && next)
			o->write = next, i++;
		else if (!strcmp(a, "-r") && next)
			o->read = next, i++;
		else if (!strcmp(a, "--ladder") || !strcmp(a, "-l"))
			o->ladder = true;
		else if (!strcmp(a, "--follow") || !strcmp(a, "-f"))
			o->follow = true;
		else if (!strcmp(a, "--live"))
			o->live = true;
		else if (!strcmp(a, "-c") && number(next, 1, &v))
			o->count = (long)v, i++;
		else if (!strcmp(a, "--seconds") && number(next, 0.001, &v))
			o->seconds = v, i++;
		else if (!strcmp(a, "--max-size") && number(next, 1, &v))
			o->max_bytes = (uint64_t)(v * 1048576.0), i++;
		else if (a[0] != '-' && !o->link)
			o->link = a;
		else
			return 2;
	}
	if (!o->link == !o->read || (o->read && o->write))
		return 2;
	if (!o->write)
		o->ladder = true;
	return 0;
}

/* The link LINK names, its near end (the ladder's left) first. */
static bool resolve_link(const char *spec, char *lab, size_t lab_size, const struct topo_link **link, int *near,
			 char *err, size_t err_size)
{
	char text[160], first[160];
	snprintf(text, sizeof(text), "%s", spec);
	/* LAB/ is a prefix of the node: look for it before the interface (f0/0 has a '/') */
	char *colon = strchr(text, ':');
	if (colon)
		*colon = '\0';
	char *slash = strchr(text, '/');
	char *names = slash ? slash + 1 : text;
	char *dash = colon ? NULL : strchr(names, '-');
	if (dash)
		*dash = '\0';
	snprintf(first, sizeof(first), "%s", text); /* [LAB/]NODE */
	struct state_node node;
	if (!state_find_node(first, lab, lab_size, &node, err, err_size))
		return false;
	if (!lab_load_saved(lab, &topo, err, err_size))
		return false;
	int a = topo_find_node(&topo, node.name);
	if (dash) {
		int b = topo_find_node(&topo, dash + 1);
		int found = 0;
		for (size_t i = 0; i < topo.link_count; i++)
			for (int e = 0; e < 2; e++)
				if ((int)topo.links[i].end[e].node == a && (int)topo.links[i].end[!e].node == b) {
					*link = &topo.links[i];
					*near = e;
					found++;
				}
		if (b < 0 || found != 1) {
			snprintf(err, err_size, b < 0 ? "%s: no node %s in lab %s"
				 : found ? "%s: several links join them: name one end, NODE:IFACE"
					 : "%s: no link joins them in lab %s",
				 spec, dash + 1, lab);
			return false;
		}
		return true;
	}
	char endpoint[160];
	snprintf(endpoint, sizeof(endpoint), "%s%s%s", node.name, colon ? ":" : "", colon ? colon + 1 : "");
	struct topo_endpoint ep;
	if (!topo_parse_endpoint(&topo, endpoint, &ep, err, err_size))
		return false;
	for (size_t i = 0; i < topo.link_count; i++)
		for (int e = 0; e < 2; e++)
			if (topo.links[i].end[e].node == ep.node &&
			    !strcmp(topo.links[i].end[e].ifname.linux_name, ep.ifname.linux_name)) {
				*link = &topo.links[i];
				*near = e;
				return true;
			}
	snprintf(err, err_size, "%s is on no link of lab %s", endpoint, lab);
	return false;
}

/* Names the ladder's sides by the MAC addresses of the two ends. */
static void name_ends(struct ladder *l, const char *lab, const struct topo_link *link, int near)
{
	for (int side = 0; side < 2; side++) {
		const struct topo_endpoint *ep = &link->end[side ? !near : near];
		char ns[2 * TOPO_NAME_MAX + 2];
		state_netns_name(lab, topo.nodes[ep->node].name, ns, sizeof(ns));
		struct mnl_socket *nl = netns_nl_open(ns);
		struct nl_link_info info = { 0 };
		if (nl && nl_link_get(nl, ep->ifname.linux_name, &info) && info.exists)
			ladder_set_end(l, side, info.mac, topo.nodes[ep->node].name);
		nl_close(nl);
	}
}

static bool sink_frame(const struct pcap_frame *f, void *arg)
{
	struct sink *s = arg;
	s->frames++;
	if (s->writing && !pcap_write(&s->writer, f)) {
		lab_error("%s: stopped after %llu bytes", s->writer.full ? "size limit reached (--max-size)" : strerror(errno),
			  (unsigned long long)s->writer.written);
		return false;
	}
	if (s->ladder)
		ladder_frame(s->ladder, f);
	return true;
}

/* Waits until the file grows, the time is up or a signal came; false when it is time to stop. */
static bool wait_growth(int inotify_fd, double deadline)
{
	if (capture_stop || (deadline > 0 && capture_now() >= deadline))
		return false;
	int timeout = deadline > 0 ? (int)((deadline - capture_now()) * 1000) + 1 : -1;
	struct pollfd pfd = { .fd = inotify_fd, .events = POLLIN };
	int n = poll(&pfd, 1, timeout);
	if (n > 0) {
		char events[4096];
		ssize_t len = read(inotify_fd, events, sizeof(events));
		for (char *p = events; len > 0 && p < events + len;) {
			struct inotify_event *ev = (struct inotify_event *)p;
			if (ev->mask & (IN_DELETE_SELF | IN_IGNORED))
				return false; /* the lab went down */
			p += sizeof(*ev) + ev->len;
		}
	}
	return !capture_stop;
}

/* Frames from a pcap file: a saved one (-r), or a lab's growing capture (--follow). */
static int read_file(const char *path, struct sink *s, const struct options *o, bool learn_names)
{
	FILE *in = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	char err[256];
	struct pcap_reader r;
	if (!in || !pcap_reader_open(&r, in, err, sizeof(err))) {
		lab_error("%s: %s", path, in ? err : strerror(errno));
		if (in && in != stdin)
			fclose(in);
		return 1;
	}
	struct pcap_frame f;
	enum pcap_status st;
	if (learn_names && in != stdin) { /* a first pass names the ends by their addresses */
		while ((st = pcap_read(&r, &f, err, sizeof(err))) == PCAP_FRAME)
			ladder_learn(s->ladder, &f);
		fseek(in, PCAP_GLOBAL_HEADER_LEN, SEEK_SET);
	}
	if (s->ladder)
		ladder_heading(s->ladder);
	int inotify_fd = -1;
	if (o->follow) {
		inotify_fd = inotify_init1(IN_CLOEXEC);
		if (inotify_fd < 0 || inotify_add_watch(inotify_fd, path, IN_MODIFY | IN_DELETE_SELF) < 0)
			lab_error("cannot follow %s: %s", path, strerror(errno));
	}
	double deadline = o->seconds > 0 ? capture_now() + o->seconds : 0;
	int rc = 0;
	while (o->count <= 0 || s->frames < o->count) {
		st = pcap_read(&r, &f, err, sizeof(err));
		if (st == PCAP_ERROR) {
			lab_error("%s: %s", path, err);
			rc = 1;
			break;
		}
		if (st == PCAP_END) {
			if (inotify_fd >= 0 && wait_growth(inotify_fd, deadline))
				continue;
			break;
		}
		if (!sink_frame(&f, s))
			break;
	}
	if (inotify_fd >= 0)
		close(inotify_fd);
	pcap_reader_close(&r);
	if (in != stdin)
		fclose(in);
	return rc;
}

static int live(const char *lab, const struct topo_link *link, int near, struct sink *s, const struct options *o)
{
	const struct topo_endpoint *ep = &link->end[near];
	char ns[2 * TOPO_NAME_MAX + 2], err[256];
	state_netns_name(lab, topo.nodes[ep->node].name, ns, sizeof(ns));
	if (!netns_enter(ns)) {
		lab_error("cannot enter %s: %s", ns, strerror(errno));
		return 1;
	}
	int fd = capture_open(ep->ifname.linux_name, err, sizeof(err));
	if (fd < 0) {
		lab_error("%s: %s", topo.nodes[ep->node].name, err);
		return 1;
	}
	const struct topo_endpoint *far = &link->end[!near];
	fprintf(stderr, "tern-lab: capturing %s:%s -- %s:%s (Ctrl-C stops)\n", topo.nodes[ep->node].name,
		ep->ifname.ios_name, topo.nodes[far->node].name, far->ifname.ios_name);
	if (s->ladder)
		ladder_heading(s->ladder);
	double deadline = o->seconds > 0 ? capture_now() + o->seconds : 0;
	long n = capture_run(fd, o->count, deadline, sink_frame, s);
	unsigned drops = capture_drops(fd);
	close(fd);
	if (n < 0) {
		lab_error("capture: %s", strerror(errno));
		return 1;
	}
	if (drops)
		lab_error("%u frames dropped by the kernel (the reader was too slow)", drops);
	return 0;
}

int cmd_capture(int argc, char **argv)
{
	struct options o;
	if (parse_args(argc, argv, &o) != 0) {
		usage();
		return 2;
	}
	capture_catch_signals();
	struct sink s = { 0 };
	int out = -1;
	if (o.write) {
		out = strcmp(o.write, "-") ? open(o.write, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644) : 1;
		if (out < 0 || !pcap_writer_start(&s.writer, out, o.max_bytes)) {
			lab_error("%s: %s", o.write, strerror(errno));
			return 1;
		}
		s.writing = true;
	}
	/* the ladder goes where the pcap does not */
	FILE *text = o.write && !strcmp(o.write, "-") ? stderr : stdout;
	setvbuf(text, NULL, _IOLBF, 0);
	if (o.ladder && !(s.ladder = ladder_new(text))) {
		lab_error("out of memory");
		return 1;
	}
	int rc;
	if (o.read) {
		rc = read_file(o.read, &s, &o, true);
	} else {
		char lab[TOPO_NAME_MAX], err[1024];
		const struct topo_link *link = NULL;
		int near = 0;
		if (!resolve_link(o.link, lab, sizeof(lab), &link, &near, err, sizeof(err))) {
			lab_error("%s", err);
			rc = 1;
		} else {
			if (s.ladder)
				name_ends(s.ladder, lab, link, near);
			if (topo.capture_all && !o.live) {
				char file[512];
				capture_lab_file(&topo, link, file, sizeof(file));
				rc = read_file(file, &s, &o, false);
			} else {
				rc = live(lab, link, near, &s, &o);
			}
		}
	}
	if (s.ladder) {
		size_t frames, shown;
		ladder_counts(s.ladder, &frames, &shown);
		fflush(text);
		if (rc == 0)
			fprintf(stderr, "tern-lab: %zu frames, %zu messages on the ladder\n", frames, shown);
		ladder_free(s.ladder);
	} else if (rc == 0) {
		fprintf(stderr, "tern-lab: %ld frames written to %s\n", s.frames, o.write);
	}
	if (out > 1 && close(out) != 0) {
		lab_error("%s: %s", o.write, strerror(errno));
		rc = 1;
	}
	return rc;
}
