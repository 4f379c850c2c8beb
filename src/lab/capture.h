/*
 * DOC: capturing one link: an AF_PACKET socket on one end of its veth.
 *
 * A packet socket bound to one interface sees every frame that interface sends
 * (PACKET_OUTGOING) and receives, so one end of a veth shows the whole link, both
 * directions, in the order that end saw them, timestamped by the kernel. The socket is
 * opened with protocol 0 and only then bound to ETH_P_ALL on the interface, so no frame of
 * another interface slips in before the bind.
 *
 * With `capture: all` in the topology, `up` starts one capture process per link before any
 * ternd, in the namespace of the link's first end, writing
 * /run/tern-lab/<lab>/link-<A>.<if>--<B>.<if>.pcap; `down` stops them with the rest of the
 * lab's processes (they live in its namespaces), and the files go with the lab's records.
 */
#ifndef TERN_LAB_CAPTURE_H
#define TERN_LAB_CAPTURE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lab/pcap.h"
#include "lab/topo.h"

#define CAPTURE_DEFAULT_MAX_MB 64 /* per link: the start of a session is what a learner reads */

/* Set by SIGINT and SIGTERM once capture_catch_signals() ran. */
extern volatile sig_atomic_t capture_stop;
void capture_catch_signals(void);

/* A packet socket on ifname in the calling thread's network namespace; -1 with err. */
int capture_open(const char *ifname, char *err, size_t err_size);

/* Receives frames until capture_stop, a limit (count frames, or until the CLOCK_MONOTONIC
 * time deadline, 0 for none) or fn returning false. Returns the frames handed to fn, or -1
 * on a socket error (errno). */
typedef bool (*capture_fn)(const struct pcap_frame *frame, void *arg);
long capture_run(int fd, long count, double deadline, capture_fn fn, void *arg);
/* Frames the kernel dropped because the socket's buffer was full (PACKET_STATISTICS). */
unsigned capture_drops(int fd);

/* The file a `capture: all` lab keeps for a link. */
void capture_lab_file(const struct topology *t, const struct topo_link *link, char *buf, size_t size);
/* Starts the capture of every link (see above); returns once each is capturing. False with
 * err if one could not start. */
bool capture_start_lab(const struct topology *t, char *err, size_t err_size);

/* Monotonic clock in seconds. */
double capture_now(void);

#endif
