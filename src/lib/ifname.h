/*
 * DOC: the one rule that maps IOS interface names to Linux ones.
 *
 * Linux interface names cannot contain '/', and this kernel has no dummy links, so Tern and
 * tern-lab agree on one mapping (DESIGN.md, "The lab"):
 *
 *   IOS name (any case)                      Linux name
 *   f0/0, fa0/0, FastEthernet0/0          -> f0-0
 *   g0/1, gi0/1, GigabitEthernet0/1       -> g0-1
 *   t0/0/1, te0/0/1, TenGigabitEthernet0/0/1 -> t0-0-1
 *   e0, Ethernet0, e1/0                   -> e0, e1-0
 *   s0/0, Serial0/0                       -> s0-0
 *   lo0, Loopback0, Loopback1             -> lo (every loopback's addresses live on lo)
 *   a subinterface f0/0.10                -> f0-0.10
 *
 * Any other name is a Linux name and is used as it is (eth0, veth1, ens3). The IOS form Tern
 * prints is the long one (FastEthernet0/0, Loopback0).
 */
#ifndef TERN_LIB_IFNAME_H
#define TERN_LIB_IFNAME_H

#include <stdbool.h>
#include <stddef.h>

#define IFNAME_LINUX_MAX 16 /* IFNAMSIZ, NUL included */
#define IFNAME_IOS_MAX 64

struct ifname {
	char linux_name[IFNAME_LINUX_MAX]; /* what the kernel calls it */
	char ios_name[IFNAME_IOS_MAX];     /* canonical IOS form, or the Linux name */
	bool is_ios;                       /* the input was an IOS name */
	bool is_loopback;
	unsigned loopback_number;          /* Loopback N */
};

/* Maps a name as typed. False (with nothing written) if it is neither a valid IOS name nor a
 * valid Linux name (empty, too long for Linux, or holding '/' or blanks outside the IOS
 * forms). */
bool ifname_parse(const char *text, struct ifname *out);

/* The way back, for display: a Linux name as IOS shows it (f0-0 -> FastEthernet0/0,
 * lo -> Loopback0); other names are shown as they are. */
bool ifname_from_linux(const char *linux_name, struct ifname *out);
/* The IOS name of the interface with that index in this namespace (the Linux name when it
 * has no IOS form; "ifindex N" when it is gone), into buf. For log lines. */
const char *ifname_of_index(unsigned ifindex, char *buf, size_t size);

#endif
