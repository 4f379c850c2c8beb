/* DOC: logging to stderr or syslog (see log.h). */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>
#include <time.h>

static bool log_use_syslog;
static enum log_level log_threshold = LOG_LEVEL_INFO;

void log_open(const char *ident, bool use_syslog, enum log_level level)
{
	log_use_syslog = use_syslog;
	log_threshold = level;
	if (use_syslog)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	static const int syslog_priority[] = { LOG_ERR, LOG_WARNING, LOG_NOTICE, LOG_INFO, LOG_DEBUG };
	static const char *const names[] = { "error", "warning", "notice", "info", "debug" };
	if (level > log_threshold)
		return;
	va_list ap;
	va_start(ap, fmt);
	if (log_use_syslog) {
		vsyslog(syslog_priority[level], fmt, ap);
	} else {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		struct tm tm;
		gmtime_r(&ts.tv_sec, &tm);
		fprintf(stderr, "%02d:%02d:%02d.%03ld %s: ", tm.tm_hour, tm.tm_min, tm.tm_sec,
			ts.tv_nsec / 1000000, names[level]);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
}
