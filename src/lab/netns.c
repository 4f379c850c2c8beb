/* DOC: named network namespaces as iproute2 makes them (see netns.h). */
#include "lab/netns.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab/nl.h"

static void ns_path(const char *name, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s", NETNS_RUN_DIR, name);
}

bool netns_exists(const char *name)
{
	char path[512];
	ns_path(name, path, sizeof(path));
	return access(path, F_OK) == 0;
}

/* As `ip netns add`: the run directory is a shared mount, so every mount namespace sees
 * the namespaces created here. */
static bool prepare_run_dir(void)
{
	if (mkdir(NETNS_RUN_DIR, 0755) != 0 && errno != EEXIST)
		return false;
	bool bound = false;
	while (mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL) != 0) {
		if (errno != EINVAL || bound)
			return false;
		if (mount(NETNS_RUN_DIR, NETNS_RUN_DIR, "none", MS_BIND | MS_REC, NULL) != 0)
			return false;
		bound = true;
	}
	return true;
}

bool netns_create(const char *name)
{
	if (!prepare_run_dir())
		return false;
	char path[512];
	ns_path(name, path, sizeof(path));
	int fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0)
		return false;
	close(fd);
	/* A child makes the namespace and pins it with the bind mount; this process stays put. */
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		unlink(path);
		errno = e;
		return false;
	}
	if (pid == 0) {
		if (unshare(CLONE_NEWNET) != 0)
			_exit(1);
		if (mount("/proc/self/ns/net", path, "none", MS_BIND, NULL) != 0)
			_exit(2);
		_exit(0);
	}
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		unlink(path);
		errno = EPERM;
		return false;
	}
	return true;
}

bool netns_delete(const char *name)
{
	char path[512];
	ns_path(name, path, sizeof(path));
	umount2(path, MNT_DETACH);
	if (unlink(path) != 0 && errno != ENOENT)
		return false;
	return true;
}

int netns_open(const char *name)
{
	char path[512];
	ns_path(name, path, sizeof(path));
	return open(path, O_RDONLY | O_CLOEXEC);
}

bool netns_enter(const char *name)
{
	int fd = netns_open(name);
	if (fd < 0)
		return false;
	int r = setns(fd, CLONE_NEWNET);
	int e = errno;
	close(fd);
	errno = e;
	return r == 0;
}

/* Runs fn inside the namespace and comes back. */
static bool inside(const char *name, bool (*fn)(void *arg), void *arg)
{
	int home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (home < 0)
		return false;
	bool ok = false;
	int e = 0;
	if (netns_enter(name)) {
		ok = fn(arg);
		e = errno;
		if (setns(home, CLONE_NEWNET) != 0) {
			perror("tern-lab: cannot return to the original network namespace");
			abort();
		}
	} else {
		e = errno;
	}
	close(home);
	errno = e;
	return ok;
}

static bool open_nl(void *arg)
{
	struct mnl_socket **out = arg;
	*out = nl_open();
	return *out != NULL;
}

struct mnl_socket *netns_nl_open(const char *name)
{
	struct mnl_socket *nl = NULL;
	if (!inside(name, open_nl, &nl))
		return NULL;
	return nl;
}

struct sysctl_write {
	const char *key, *value;
};

static bool write_sysctl(void *arg)
{
	struct sysctl_write *w = arg;
	char path[256];
	snprintf(path, sizeof(path), "/proc/sys/%s", w->key);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	size_t len = strlen(w->value);
	bool ok = write(fd, w->value, len) == (ssize_t)len;
	int e = errno;
	close(fd);
	errno = e;
	return ok;
}

bool netns_sysctl(const char *name, const char *key, const char *value)
{
	struct sysctl_write w = { key, value };
	return inside(name, write_sysctl, &w);
}

int netns_foreach_pid(const char *name, void (*fn)(pid_t pid, void *arg), void *arg)
{
	char path[512];
	ns_path(name, path, sizeof(path));
	struct stat want;
	if (stat(path, &want) != 0)
		return 0;
	DIR *proc = opendir("/proc");
	if (!proc)
		return 0;
	int count = 0;
	struct dirent *de;
	while ((de = readdir(proc))) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		if (*end || pid <= 0 || pid == getpid())
			continue;
		char nspath[64];
		snprintf(nspath, sizeof(nspath), "/proc/%ld/ns/net", pid);
		struct stat st;
		if (stat(nspath, &st) != 0)
			continue;
		if (st.st_dev == want.st_dev && st.st_ino == want.st_ino) {
			count++;
			if (fn)
				fn((pid_t)pid, arg);
		}
	}
	closedir(proc);
	return count;
}
