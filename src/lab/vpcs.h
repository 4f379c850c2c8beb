/*
 * DOC: the VPCS commands of a lab PC: `ip`, `show ip`, `ping`, `trace`, `help`.
 *
 * A PC is a network namespace with one interface. vpcs_run() executes one command line the
 * way VPCS does and prints what VPCS prints; the caller has already entered the PC's
 * namespace (console and exec do that). vpcs_parse_ip() is also used to check the `ip` lines
 * of a topology file before anything is created.
 */
#ifndef TERN_LAB_VPCS_H
#define TERN_LAB_VPCS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vpcs_ip {
	bool set;
	uint32_t addr;    /* host order */
	unsigned len;
	uint32_t gateway; /* host order; 0 = none */
};

/* The arguments of `ip`: "ADDR MASK [GW]", "ADDR/LEN [GW]" or "ADDR GW LEN". */
bool vpcs_parse_ip(const char *args, struct vpcs_ip *out, char *err, size_t err_size);

struct vpcs {
	const char *name;   /* PC1 */
	const char *ifname; /* its one interface (Linux name) */
	struct mnl_socket *nl;
};

enum vpcs_result {
	VPCS_OK,      /* the command did what it should (a ping got a reply) */
	VPCS_FAILED,  /* bad input, or no reply */
	VPCS_QUIT,    /* `quit` / `exit` */
};

enum vpcs_result vpcs_run(struct vpcs *pc, const char *line);

/* Applies an `ip` setting to the interface: replaces its IPv4 addresses and default route. */
bool vpcs_apply_ip(struct vpcs *pc, const struct vpcs_ip *ip, char *err, size_t err_size);

#endif
