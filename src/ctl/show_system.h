/*
 * DOC: `show version` and `show clock`, in IOS's layout but saying what Tern is.
 *
 *   Tern Routing Suite, Version 0.1.0
 *   Running on Linux 6.1.0 (x86_64)
 *
 *   R1 uptime is 1 hour, 5 minutes
 *   ternd process 4711, configuration file /etc/tern/tern.conf
 *
 * `show clock` is `*10:01:07.123 UTC Sun Dec 6 2026`: the `*` is IOS's mark for a clock
 * not known to be right, which is what a router that does not run NTP itself can say.
 */
#ifndef TERN_CTL_SHOW_SYSTEM_H
#define TERN_CTL_SHOW_SYSTEM_H

#include <time.h>

#include "lib/strbuf.h"

/* uptime_seconds: how long ternd has run; config_path may be NULL. */
void show_version(const char *hostname, unsigned long uptime_seconds, const char *config_path,
                  struct strbuf *out);
/* IOS's uptime text: "1 week, 2 days, 3 hours, 4 minutes" (the larger units only when not
 * zero; minutes always, "0 minutes" in the first minute). */
void show_uptime_text(unsigned long seconds, struct strbuf *out);
/* now: wall-clock time (CLOCK_REALTIME), shown in UTC. */
void show_clock(const struct timespec *now, struct strbuf *out);
/* How long this process has run, from /proc (0 if unknown). */
unsigned long show_process_uptime(void);

#endif
