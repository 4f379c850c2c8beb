/* DOC: helpers shared by tern-lab's commands: finding programs, saved topologies, errors. */
#include "lab/lab.h"

#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void lab_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("tern-lab: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static bool try_dir(const char *dir, const char *name, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s/%s", dir, name);
	return n > 0 && (size_t)n < size && access(buf, X_OK) == 0;
}

bool lab_find_program(const char *name, char *buf, size_t size)
{
	const char *build = getenv("TERN_BUILD");
	if (build && *build && try_dir(build, name, buf, size))
		return true;
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		if (try_dir(dirname(self), name, buf, size))
			return true;
	}
	const char *path = getenv("PATH");
	if (!path)
		return false;
	char copy[4096];
	snprintf(copy, sizeof(copy), "%s", path);
	char *save = NULL;
	for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save))
		if (*dir && try_dir(dir, name, buf, size))
			return true;
	return false;
}

bool lab_load_saved(const char *lab, struct topology *topo, char *err, size_t err_size)
{
	char source_file[512], saved[512], source[TOPO_PATH_MAX] = "";
	state_path(lab, "source", source_file, sizeof(source_file));
	state_path(lab, "topology.yml", saved, sizeof(saved));
	FILE *f = fopen(source_file, "r");
	if (f) {
		if (!fgets(source, sizeof(source), f))
			source[0] = '\0';
		fclose(f);
	}
	source[strcspn(source, "\n")] = '\0';
	char *dir = dirname(source);
	return topo_load_from(saved, dir, topo, err, err_size);
}
