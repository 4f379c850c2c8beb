/* DOC: a running lab's records in /run/tern-lab/<lab>/ (see state.h). */
#include "lab/state.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void state_path(const char *lab, const char *file, char *buf, size_t size)
{
	if (file)
		snprintf(buf, size, "%s/%s/%s", STATE_DIR, lab, file);
	else
		snprintf(buf, size, "%s/%s", STATE_DIR, lab);
}

void state_netns_name(const char *lab, const char *node, char *buf, size_t size)
{
	snprintf(buf, size, "%s-%s", lab, node);
}

bool state_exists(const char *lab)
{
	char path[512];
	state_path(lab, NULL, path, sizeof(path));
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "r");
	if (!in)
		return false;
	FILE *out = fopen(to, "w");
	if (!out) {
		fclose(in);
		return false;
	}
	char buf[8192];
	size_t n;
	bool ok = true;
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		ok &= fwrite(buf, 1, n, out) == n;
	fclose(in);
	ok &= fclose(out) == 0;
	return ok;
}

bool state_create(const struct topology *topo)
{
	if (mkdir(STATE_DIR, 0755) != 0 && errno != EEXIST)
		return false;
	char path[512];
	state_path(topo->name, NULL, path, sizeof(path));
	if (mkdir(path, 0755) != 0)
		return false;
	state_path(topo->name, "nodes", path, sizeof(path));
	FILE *f = fopen(path, "w");
	if (!f)
		return false;
	for (size_t i = 0; i < topo->node_count; i++) {
		char ns[2 * TOPO_NAME_MAX + 2];
		state_netns_name(topo->name, topo->nodes[i].name, ns, sizeof(ns));
		fprintf(f, "%s %s %s\n", topo->nodes[i].name, topo->nodes[i].kind == NODE_ROUTER ? "router" : "pc", ns);
	}
	if (fclose(f) != 0)
		return false;
	state_path(topo->name, "source", path, sizeof(path));
	f = fopen(path, "w");
	if (!f)
		return false;
	fprintf(f, "%s\n", topo->path);
	if (fclose(f) != 0)
		return false;
	state_path(topo->name, "topology.yml", path, sizeof(path));
	return copy_file(topo->path, path);
}

size_t state_read_nodes(const char *lab, struct state_node *out, size_t max)
{
	char path[512];
	state_path(lab, "nodes", path, sizeof(path));
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = 0;
	char name[TOPO_NAME_MAX], kind[16], ns[2 * TOPO_NAME_MAX + 2];
	while (n < max && fscanf(f, "%31s %15s %65s", name, kind, ns) == 3) {
		snprintf(out[n].name, sizeof(out[n].name), "%s", name);
		out[n].router = !strcmp(kind, "router");
		snprintf(out[n].netns, sizeof(out[n].netns), "%s", ns);
		n++;
	}
	fclose(f);
	return n;
}

bool state_write_pid(const char *lab, const char *node, pid_t pid)
{
	char file[64], path[512];
	snprintf(file, sizeof(file), "%.31s.pid", node);
	state_path(lab, file, path, sizeof(path));
	FILE *f = fopen(path, "w");
	if (!f)
		return false;
	fprintf(f, "%ld\n", (long)pid);
	return fclose(f) == 0;
}

pid_t state_read_pid(const char *lab, const char *node)
{
	char file[64], path[512];
	snprintf(file, sizeof(file), "%.31s.pid", node);
	state_path(lab, file, path, sizeof(path));
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	long pid = 0;
	if (fscanf(f, "%ld", &pid) != 1)
		pid = 0;
	fclose(f);
	return (pid_t)pid;
}

bool state_remove(const char *lab)
{
	char path[512];
	state_path(lab, NULL, path, sizeof(path));
	DIR *d = opendir(path);
	if (!d)
		return errno == ENOENT;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		char file[1024];
		snprintf(file, sizeof(file), "%s/%s", path, de->d_name);
		unlink(file);
	}
	closedir(d);
	return rmdir(path) == 0;
}

void state_foreach_lab(void (*fn)(const char *lab, void *arg), void *arg)
{
	DIR *d = opendir(STATE_DIR);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (state_exists(de->d_name))
			fn(de->d_name, arg);
	}
	closedir(d);
}

struct find {
	const char *node;
	char lab[TOPO_NAME_MAX];
	struct state_node found;
	int count;
	char labs[256];
};

static void find_in_lab(const char *lab, void *arg)
{
	struct find *f = arg;
	struct state_node nodes[TOPO_MAX_NODES];
	size_t n = state_read_nodes(lab, nodes, TOPO_MAX_NODES);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(nodes[i].name, f->node))
			continue;
		if (f->count++ == 0)
			snprintf(f->lab, sizeof(f->lab), "%.*s", TOPO_NAME_MAX - 1, lab), f->found = nodes[i];
		size_t len = strlen(f->labs);
		if (len + strlen(lab) + 3 < sizeof(f->labs)) {
			if (len)
				strcat(f->labs, ", ");
			strcat(f->labs, lab);
		}
	}
}

bool state_find_node(const char *spec, char *lab, size_t lab_size, struct state_node *node,
		     char *err, size_t err_size)
{
	const char *slash = strchr(spec, '/');
	if (slash) {
		char l[TOPO_NAME_MAX];
		size_t len = (size_t)(slash - spec);
		if (len == 0 || len >= sizeof(l)) {
			snprintf(err, err_size, "no lab in '%s'", spec);
			return false;
		}
		memcpy(l, spec, len);
		l[len] = '\0';
		struct state_node nodes[TOPO_MAX_NODES];
		size_t n = state_read_nodes(l, nodes, TOPO_MAX_NODES);
		for (size_t i = 0; i < n; i++) {
			if (!strcmp(nodes[i].name, slash + 1)) {
				snprintf(lab, lab_size, "%s", l);
				*node = nodes[i];
				return true;
			}
		}
		snprintf(err, err_size, "%s: no such node in a running lab", spec);
		return false;
	}
	struct find f = { .node = spec };
	state_foreach_lab(find_in_lab, &f);
	if (f.count == 0) {
		snprintf(err, err_size, "%s: no such node in a running lab", spec);
		return false;
	}
	if (f.count > 1) {
		snprintf(err, err_size, "%s is in several labs (%s): say LAB/%s", spec, f.labs, spec);
		return false;
	}
	snprintf(lab, lab_size, "%s", f.lab);
	*node = f.found;
	return true;
}
