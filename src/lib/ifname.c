/* DOC: IOS to Linux interface names (see ifname.h for the rule). */
#include "ifname.h"

#include <ctype.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

struct ifname_kind {
	const char *long_name;  /* canonical IOS form */
	const char *shorts[3];  /* accepted short forms, NULL-terminated */
	char letter;            /* Linux prefix; 0 = loopback */
};

static const struct ifname_kind kinds[] = {
	{ "FastEthernet", { "f", "fa", NULL }, 'f' },
	{ "GigabitEthernet", { "g", "gi", NULL }, 'g' },
	{ "TenGigabitEthernet", { "t", "te", NULL }, 't' },
	{ "Ethernet", { "e", NULL, NULL }, 'e' },
	{ "Serial", { "s", "se", NULL }, 's' },
	{ "Loopback", { "lo", NULL, NULL }, 0 },
};

/* "0/0", "1", "0/0/1", "0/0.10": digits groups separated by '/', then an optional .N */
static bool valid_unit(const char *unit)
{
	if (!isdigit((unsigned char)unit[0]))
		return false;
	bool dot = false;
	for (const char *p = unit; *p; p++) {
		if (isdigit((unsigned char)*p))
			continue;
		if ((*p == '/' && !dot) || (*p == '.' && !dot)) {
			if (*p == '.')
				dot = true;
			if (!isdigit((unsigned char)p[1]))
				return false;
			continue;
		}
		return false;
	}
	return true;
}

static const struct ifname_kind *match_kind(const char *text, size_t prefix_len)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		const struct ifname_kind *k = &kinds[i];
		if (strlen(k->long_name) == prefix_len && !strncasecmp(text, k->long_name, prefix_len))
			return k;
		for (int s = 0; s < 3 && k->shorts[s]; s++)
			if (strlen(k->shorts[s]) == prefix_len && !strncasecmp(text, k->shorts[s], prefix_len))
				return k;
	}
	return NULL;
}

bool ifname_parse(const char *text, struct ifname *out)
{
	size_t len = strlen(text);
	if (len == 0 || len >= IFNAME_IOS_MAX)
		return false;
	size_t prefix = 0;
	while (isalpha((unsigned char)text[prefix]))
		prefix++;
	const struct ifname_kind *kind = prefix ? match_kind(text, prefix) : NULL;
	if (kind && valid_unit(text + prefix)) {
		const char *unit = text + prefix;
		struct ifname n = { .is_ios = true };
		if (!kind->letter) {
			n.is_loopback = true;
			if (strchr(unit, '/') || strchr(unit, '.'))
				return false;
			unsigned number = 0;
			for (const char *p = unit; *p; p++)
				number = number * 10 + (unsigned)(*p - '0');
			n.loopback_number = number;
			snprintf(n.linux_name, sizeof(n.linux_name), "lo");
			snprintf(n.ios_name, sizeof(n.ios_name), "Loopback%u", number);
			*out = n;
			return true;
		}
		if (strlen(unit) + 2 > IFNAME_LINUX_MAX)
			return false;
		n.linux_name[0] = kind->letter;
		size_t i = 0;
		for (; unit[i]; i++)
			n.linux_name[i + 1] = unit[i] == '/' ? '-' : unit[i];
		n.linux_name[i + 1] = '\0';
		snprintf(n.ios_name, sizeof(n.ios_name), "%s%s", kind->long_name, unit);
		*out = n;
		return true;
	}
	/* A Linux name: at most 15 bytes, no '/', no blanks, not "." or "..". */
	if (len >= IFNAME_LINUX_MAX || !strcmp(text, ".") || !strcmp(text, ".."))
		return false;
	for (const char *p = text; *p; p++)
		if (*p == '/' || isspace((unsigned char)*p) || *p == ':')
			return false;
	struct ifname n = { .is_ios = false, .is_loopback = !strcmp(text, "lo") };
	snprintf(n.linux_name, sizeof(n.linux_name), "%s", text);
	snprintf(n.ios_name, sizeof(n.ios_name), "%s", text);
	*out = n;
	return true;
}

bool ifname_from_linux(const char *linux_name, struct ifname *out)
{
	/* The rule read backwards: f0-0 -> FastEthernet0/0, lo -> Loopback0; other names stay. */
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		const struct ifname_kind *k = &kinds[i];
		if (!k->letter || linux_name[0] != k->letter || !isdigit((unsigned char)linux_name[1]))
			continue;
		char unit[IFNAME_LINUX_MAX];
		size_t n = 0;
		for (const char *p = linux_name + 1; *p && n + 1 < sizeof(unit); p++)
			unit[n++] = *p == '-' ? '/' : *p;
		unit[n] = '\0';
		if (!valid_unit(unit))
			break;
		struct ifname name = { .is_ios = true };
		snprintf(name.linux_name, sizeof(name.linux_name), "%s", linux_name);
		snprintf(name.ios_name, sizeof(name.ios_name), "%s%s", k->long_name, unit);
		*out = name;
		return true;
	}
	if (strlen(linux_name) >= IFNAME_LINUX_MAX)
		return false;
	struct ifname name = { .is_loopback = !strcmp(linux_name, "lo") };
	snprintf(name.linux_name, sizeof(name.linux_name), "%s", linux_name);
	snprintf(name.ios_name, sizeof(name.ios_name), "%s", name.is_loopback ? "Loopback0" : linux_name);
	name.is_ios = name.is_loopback;
	*out = name;
	return true;
}

const char *ifname_of_index(unsigned ifindex, char *buf, size_t size)
{
	char linux_name[IF_NAMESIZE];
	struct ifname name;
	if (if_indextoname(ifindex, linux_name) && ifname_from_linux(linux_name, &name))
		snprintf(buf, size, "%s", name.ios_name);
	else
		snprintf(buf, size, "ifindex %u", ifindex);
	return buf;
}
