/*
 * DOC: reading a lab router's IOS configuration for pictures (router_conf.h).
 */
#include "lab/router_conf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Splits a line into at most max blank-separated words (in place). */
static int split(char *line, char **words, int max)
{
	int n = 0;
	for (char *save = NULL, *w = strtok_r(line, " \t\r\n", &save); w && n < max;
	     w = strtok_r(NULL, " \t\r\n", &save))
		words[n++] = w;
	return n;
}

static int mask_length(const char *mask)
{
	struct in_addr m;
	if (inet_pton(AF_INET, mask, &m) != 1)
		return -1;
	uint32_t v = ntohl(m.s_addr);
	int len = 0;
	while (len < 32 && (v & (0x80000000u >> len)))
		len++;
	return (uint32_t)(len ? ~0u << (32 - len) : 0) == v ? len : -1;
}

bool router_conf_read(const char *path, struct router_conf *out, char *err, size_t err_size)
{
	memset(out, 0, sizeof(*out));
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
		return false;
	}
	char line[512];
	struct router_conf_iface *iface = NULL; /* inside `interface X` */
	while (fgets(line, sizeof(line), f)) {
		bool indented = line[0] == ' ' || line[0] == '\t';
		char *w[8];
		int n = split(line, w, 8);
		if (n == 0 || w[0][0] == '!')
			continue;
		if (!indented)
			iface = NULL;
		if (!indented && n >= 2 && !strcmp(w[0], "interface") && out->iface_count < ROUTER_CONF_IFACES) {
			iface = &out->ifaces[out->iface_count];
			if (ifname_parse(w[1], &iface->name))
				out->iface_count++;
			else
				iface = NULL;
		} else if (!indented && n >= 2 && !strcmp(w[0], "router") && !strcmp(w[1], "bgp") && n >= 3) {
			out->bgp_as = (uint32_t)strtoul(w[2], NULL, 10);
		} else if (!indented && n >= 3 && !strcmp(w[0], "router") && !strcmp(w[1], "ospf")) {
			out->ospf_process = (unsigned)strtoul(w[2], NULL, 10);
		} else if (!indented && n >= 2 && !strcmp(w[0], "router") && !strcmp(w[1], "rip")) {
			out->rip = true;
		} else if (iface && n >= 4 && !strcmp(w[0], "ip") && !strcmp(w[1], "address") && !iface->address[0]) {
			int len = mask_length(w[3]);
			if (len >= 0)
				snprintf(iface->address, sizeof(iface->address), "%.20s/%d", w[2], len);
		} else if (indented && n >= 4 && !strcmp(w[0], "neighbor") && !strcmp(w[2], "remote-as") &&
			   out->neighbor_count < ROUTER_CONF_NEIGHBORS) {
			struct router_conf_neighbor *nb = &out->neighbors[out->neighbor_count++];
			snprintf(nb->address, sizeof(nb->address), "%s", w[1]);
			nb->remote_as = (uint32_t)strtoul(w[3], NULL, 10);
		}
	}
	fclose(f);
	return true;
}

const struct router_conf_iface *router_conf_iface(const struct router_conf *c, const char *linux_name)
{
	for (size_t i = 0; i < c->iface_count; i++)
		if (!strcmp(c->ifaces[i].name.linux_name, linux_name))
			return &c->ifaces[i];
	return NULL;
}

bool router_conf_has_address(const struct router_conf *c, const char *address)
{
	size_t len = strlen(address);
	for (size_t i = 0; i < c->iface_count; i++)
		if (!strncmp(c->ifaces[i].address, address, len) && c->ifaces[i].address[len] == '/')
			return true;
	return false;
}
