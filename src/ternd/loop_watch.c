/*
 * DOC: the event loop's longest iteration (loop_watch.h).
 */
#include "ternd/loop_watch.h"

#include <time.h>

#include "lib/log.h"

static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void prepare_cb(uv_prepare_t *handle)
{
	struct loop_watch *w = handle->data;
	uint64_t now = uv_hrtime();
	uint64_t idle = uv_metrics_idle_time(handle->loop);
	uint64_t cpu = thread_cpu_ns();
	if (w->last_ns) {
		if (cpu - w->last_cpu_ns > w->longest_cpu_ns)
			w->longest_cpu_ns = cpu - w->last_cpu_ns;
		uint64_t wall = now - w->last_ns, waited = idle - w->last_idle_ns;
		uint64_t busy = wall > waited ? wall - waited : 0;
		if (busy > w->longest_ns)
			w->longest_ns = busy;
		w->total_busy_ns += busy;
		w->iterations++;
	}
	w->last_ns = now;
	w->last_idle_ns = idle;
	w->last_cpu_ns = cpu;
}

void loop_watch_start(struct loop_watch *w, uv_loop_t *loop)
{
	*w = (struct loop_watch){ 0 };
	if (uv_loop_configure(loop, UV_METRICS_IDLE_TIME) != 0)
		log_warning("event loop: its idle time cannot be measured; stretches include waiting");
	uv_prepare_init(loop, &w->prepare);
	w->prepare.data = w;
	uv_prepare_start(&w->prepare, prepare_cb);
	uv_unref((uv_handle_t *)&w->prepare);
}

void loop_watch_report(struct loop_watch *w, const char *what)
{
	log_notice("event loop (%s): longest iteration %.1f ms (%.1f ms on the CPU), %llu iterations, %.1f s busy",
		   what, (double)w->longest_ns / 1e6, (double)w->longest_cpu_ns / 1e6,
		   (unsigned long long)w->iterations, (double)w->total_busy_ns / 1e9);
	w->longest_ns = 0;
	w->longest_cpu_ns = 0;
	w->iterations = 0;
	w->total_busy_ns = 0;
	/* Not the iteration this report runs in: a signal woke it, and libuv does not count the
	 * wait for a signal as idle time, so it would count as busy. */
	w->last_ns = 0;
}
