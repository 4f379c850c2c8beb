/*
 * DOC: how long the event loop goes without looking at its sockets and timers.
 *
 * Everything in ternd runs on one libuv loop, so the longest stretch of work between two
 * polls is how late a KEEPALIVE can be sent or a hold timer noticed (DESIGN.md: bounded
 * slices). A uv_prepare handle runs just before each poll; from one to the next, minus the
 * time the loop spent waiting in the kernel (libuv's idle-time metric), is the work of one
 * loop iteration: every callback of that iteration together, an upper bound of the longest
 * single callback. The longest such stretch is reported (and started afresh) on SIGUSR1 and
 * at exit, as a log line that bench/run.py reads. An iteration woken by a signal counts its
 * wait as busy (libuv 1.44 does not count the wait as idle then): signals are rare, and the
 * report's own iteration is left out. On a loaded machine the wall time includes the time
 * the kernel gave other processes, so the CPU time the loop thread used in its longest
 * iteration (by CPU time) is reported too: that part is ours.
 */
#ifndef TERN_TERND_LOOP_WATCH_H
#define TERN_TERND_LOOP_WATCH_H

#include <stdint.h>
#include <uv.h>

struct loop_watch {
	uv_prepare_t prepare;
	uint64_t last_ns, last_idle_ns;  /* at the previous prepare */
	uint64_t last_cpu_ns;            /* the loop thread's CPU time at the previous prepare */
	uint64_t longest_ns;             /* the longest iteration since the last report */
	uint64_t longest_cpu_ns;         /* the most CPU time one iteration took */
	uint64_t iterations;
	uint64_t total_busy_ns;
};

/* Before uv_run: the loop must be configured to measure its idle time. */
void loop_watch_start(struct loop_watch *w, uv_loop_t *loop);
/* Logs the longest iteration since the last report, with why (`what`), and starts afresh. */
void loop_watch_report(struct loop_watch *w, const char *what);

#endif
