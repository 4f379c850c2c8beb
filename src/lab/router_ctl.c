/*
 * DOC: the control-socket client of tern-lab (router_ctl.h).
 */
#include "lab/router_ctl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl/ctl_proto.h"
#include "lab/state.h"

static bool write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		data += n;
		len -= (size_t)n;
	}
	return true;
}

static bool read_exact(int fd, char *buf, size_t len)
{
	while (len) {
		ssize_t n = read(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		buf += n;
		len -= (size_t)n;
	}
	return true;
}

static bool read_line(int fd, char *buf, size_t size)
{
	for (size_t used = 0; used + 1 < size; used++) {
		if (!read_exact(fd, buf + used, 1))
			return false;
		if (buf[used] == '\n') {
			buf[used] = '\0';
			return true;
		}
	}
	return false;
}

static bool parse_size(const char *text, size_t *out)
{
	char *end;
	if (*text < '0' || *text > '9')
		return false;
	unsigned long v = strtoul(text, &end, 10);
	if (*end || v > ROUTER_CTL_REPLY_MAX)
		return false;
	*out = v;
	return true;
}

static bool read_bytes(int fd, size_t len, struct strbuf *out)
{
	char buf[8192];
	if (out->len + len > ROUTER_CTL_REPLY_MAX)
		return false;
	while (len) {
		size_t n = len < sizeof(buf) ? len : sizeof(buf);
		if (!read_exact(fd, buf, n))
			return false;
		strbuf_appendn(out, buf, n);
		len -= n;
	}
	return true;
}

/* A plain reply "<status> <length>\n<bytes>", or a chunked one (ctl_proto.h). */
static bool read_reply(int fd, struct strbuf *out, int *status)
{
	char line[64];
	if (!read_line(fd, line, sizeof(line)))
		return false;
	char *space = strchr(line, ' ');
	if (!space || line[0] < '0' || line[0] > '9')
		return false;
	*status = atoi(line);
	size_t len;
	if (strcmp(space + 1, CTL_CHUNKED))
		return parse_size(space + 1, &len) && read_bytes(fd, len, out);
	for (;;) {
		if (!read_line(fd, line, sizeof(line)) || !parse_size(line, &len))
			return false;
		if (len == 0)
			break;
		if (!read_bytes(fd, len, out))
			return false;
	}
	if (!read_line(fd, line, sizeof(line)) || !(space = strchr(line, ' ')) || !parse_size(space + 1, &len))
		return false;
	*status = atoi(line);
	return read_bytes(fd, len, out);
}

bool router_ctl_run(const char *lab, const char *node, const char *line, struct strbuf *out, int *status)
{
	char file[64], path[512];
	snprintf(file, sizeof(file), "%.31s.sock", node);
	state_path(lab, file, path, sizeof(path));
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(sun.sun_path) || strlen(line) + 3 > CTL_REQUEST_MAX || strchr(line, '\n')) {
		strbuf_printf(out, "%s: request or socket path too long", node);
		return false;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		strbuf_printf(out, "%s: cannot reach its ternd (%s): %s", node, path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return false;
	}
	struct timeval tv = { .tv_sec = ROUTER_CTL_TIMEOUT_SECONDS };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	char request[CTL_REQUEST_MAX + 4];
	int n = snprintf(request, sizeof(request), "%c %s\n", CTL_REQUEST_EXECUTE, line);
	struct strbuf reply = STRBUF_INIT;
	bool ok = write_all(fd, request, (size_t)n) && read_reply(fd, &reply, status);
	close(fd);
	if (ok)
		strbuf_appendn(out, strbuf_str(&reply), reply.len);
	else
		strbuf_printf(out, "%s: its ternd did not answer `%s`", node, line);
	strbuf_free(&reply);
	return ok;
}
