/*
 * DOC: `show version` and `show clock` (see show_system.h).
 */
#include "ctl/show_system.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#ifndef TERN_VERSION
#define TERN_VERSION "unknown"
#endif

static void unit(struct strbuf *out, unsigned long n, const char *name, bool *first)
{
	strbuf_printf(out, "%s%lu %s%s", *first ? "" : ", ", n, name, n == 1 ? "" : "s");
	*first = false;
}

void show_uptime_text(unsigned long seconds, struct strbuf *out)
{
	unsigned long minutes = seconds / 60, hours = minutes / 60, days = hours / 24, weeks = days / 7;
	bool first = true;
	if (weeks)
		unit(out, weeks, "week", &first);
	if (days % 7)
		unit(out, days % 7, "day", &first);
	if (hours % 24)
		unit(out, hours % 24, "hour", &first);
	unit(out, minutes % 60, "minute", &first);
}

void show_version(const char *hostname, unsigned long uptime_seconds, const char *config_path,
                  struct strbuf *out)
{
	strbuf_append(out, "Tern Routing Suite, Version " TERN_VERSION "\n");
	struct utsname u;
	if (uname(&u) == 0)
		strbuf_printf(out, "Running on %s %s (%s)\n", u.sysname, u.release, u.machine);
	strbuf_printf(out, "\n%s uptime is ", hostname);
	show_uptime_text(uptime_seconds, out);
	strbuf_printf(out, "\nternd process %ld, configuration file %s\n", (long)getpid(),
	              config_path ? config_path : "none");
}

void show_clock(const struct timespec *now, struct strbuf *out)
{
	struct tm tm;
	time_t t = now->tv_sec;
	if (!gmtime_r(&t, &tm))
		return;
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	strbuf_printf(out, "*%02d:%02d:%02d.%03ld UTC %s %s %d %d\n", tm.tm_hour, tm.tm_min, tm.tm_sec,
	              now->tv_nsec / 1000000, days[tm.tm_wday], months[tm.tm_mon], tm.tm_mday,
	              tm.tm_year + 1900);
}

unsigned long show_process_uptime(void)
{
	/* field 22 of /proc/self/stat: start time in clock ticks after boot (proc(5)) */
	FILE *f = fopen("/proc/self/stat", "r");
	if (!f)
		return 0;
	char buf[1024];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	const char *p = strrchr(buf, ')'); /* the command name may hold blanks */
	unsigned long long start = 0;
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
	                 &start) != 1)
		return 0;
	double boot_uptime = 0;
	f = fopen("/proc/uptime", "r");
	if (!f)
		return 0;
	int got = fscanf(f, "%lf", &boot_uptime);
	fclose(f);
	long ticks = sysconf(_SC_CLK_TCK);
	if (got != 1 || ticks <= 0)
		return 0;
	double up = boot_uptime - (double)start / (double)ticks;
	return up > 0 ? (unsigned long)up : 0;
}
