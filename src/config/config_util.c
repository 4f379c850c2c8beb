/*
 * DOC: helpers every section of the config module shares (config_internal.h): refusing a
 * command with its IOS message and caret, notes for ignored commands, sorted heap arrays,
 * prefixes and masks, interface names, and the print forms of prefixes and redistribution.
 */
#include "config/config_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/memory.h"

const char config_msg_invalid_input[] = "% Invalid input detected at '^' marker.";
const char config_msg_inconsistent_mask[] = "% Inconsistent address and mask";

bool config_fail(struct config_apply_result *r, const struct cli_parse *p,
                       const struct cli_value *at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->message, sizeof(r->message), fmt, ap);
	va_end(ap);
	r->mode = p->via_do ? p->next_mode : p->mode;
	r->column = at ? at->column : p->count ? p->values[0].column : 0;
	return false;
}

/* The command's keywords as the table spells them: "router ospf", "ip classless". */
static void command_keywords(const struct cli_parse *p, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < p->count && used < size; i++) {
		if (p->values[i].kind != CLI_KEYWORD)
			continue;
		int n = snprintf(buf + used, size - used, "%s%s", used ? " " : "", p->values[i].name);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

bool config_not_supported(const struct cli_parse *p, struct config_apply_result *r)
{
	char words[CONFIG_TEXT_MAX / 2];
	command_keywords(p, words, sizeof(words));
	return config_fail(r, p, NULL, "%% Not yet supported: %s", words);
}

bool config_ignored(const struct cli_parse *p, struct config_apply_result *r, const char *why)
{
	char words[CONFIG_TEXT_MAX / 2];
	command_keywords(p, words, sizeof(words));
	snprintf(r->message, sizeof(r->message), "%% Ignored: %s%s (%s)", p->negated ? "no " : "",
	         words, why);
	return true;
}

/* Copies src into dst of size bytes, cutting it if it does not fit. */
void config_text_copy(char *dst, size_t size, const char *src)
{
	size_t len = strnlen(src, size - 1);
	memcpy(dst, src, len);
	dst[len] = '\0';
}

bool config_is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool config_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Grows a heap array of count elements by one zeroed element at index at; returns the new
 * array, or NULL (the old one intact) on allocation failure. */
void *config_array_insert(void *base, size_t count, size_t size, size_t at)
{
	char *grown = memory_realloc(MEMORY_CONFIG, base, (count + 1) * size);
	if (!grown)
		return NULL;
	memmove(grown + (at + 1) * size, grown + at * size, (count - at) * size);
	memset(grown + at * size, 0, size);
	return grown;
}

/* Removes element at from a heap array of *count elements; returns the array (NULL once
 * empty). */
void *config_array_remove(void *base, size_t *count, size_t size, size_t at)
{
	char *bytes = base;
	memmove(bytes + at * size, bytes + (at + 1) * size, (*count - at - 1) * size);
	if (--*count == 0) {
		memory_free(MEMORY_CONFIG, base);
		return NULL;
	}
	return base;
}

/* The length of a contiguous IPv4 mask; false for 255.0.255.0 and the like. */
bool config_mask_length(uint32_t mask, uint8_t *len)
{
	uint32_t inverted = ~mask;
	if ((inverted & (inverted + 1)) != 0)
		return false;
	uint8_t n = 0;
	while (n < 32 && (mask & (0x80000000u >> n)))
		n++;
	*len = n;
	return true;
}

uint32_t config_length_mask(uint8_t len)
{
	return len == 0 ? 0 : len >= 32 ? UINT32_MAX : ~(UINT32_MAX >> len);
}

/* The classful length IOS implies for `network A.B.C.D` (0.0.0.0: the default route), or -1
 * for class D and E. */
int config_classful_length(uint32_t addr)
{
	if (addr == 0)
		return 0;
	if (addr < 0x80000000u)
		return 8;
	if (addr < 0xc0000000u)
		return 16;
	if (addr < 0xe0000000u)
		return 24;
	return -1;
}

/* NETWORK [MASK] of a command: the prefix with host bits cleared (IOS normalises). */
bool config_network_and_mask(const struct cli_parse *p, struct config_apply_result *r,
                             bool classful, struct prefix *out)
{
	const struct cli_value *network = cli_arg(p, "NETWORK");
	const struct cli_value *mask = cli_arg(p, "MASK");
	uint8_t len;
	if (mask) {
		if (!config_mask_length(ip_addr_v4(&mask->addr), &len))
			return config_fail(r, p, mask, "%s", config_msg_inconsistent_mask);
	} else {
		int implied = classful ? config_classful_length(ip_addr_v4(&network->addr)) : -1;
		if (implied < 0)
			return config_fail(r, p, network, "%% %s is not a classful network: give its mask",
			                  network->text);
		len = (uint8_t)implied;
	}
	*out = prefix_make(&network->addr, len);
	return true;
}

/* An interface as typed in a command: false (invalid input at the word) if it is no name. */
bool config_interface_name(const struct cli_value *v, struct ifname *out)
{
	return ifname_parse(v->text, out) && strlen(out->ios_name) < CONFIG_NAME_MAX;
}

bool config_next_hop_valid(const struct ip_addr *a)
{
	if (ip_addr_is_v4(a)) {
		uint32_t v = ip_addr_v4(a);
		return v != 0 && (v >> 24) != 127 && v < 0xe0000000u;
	}
	static const uint8_t loopback[16] = { [15] = 1 };
	static const uint8_t unspecified[16] = { 0 };
	return a->bytes[0] != 0xff && memcmp(a->bytes, loopback, 16) != 0 &&
	       memcmp(a->bytes, unspecified, 16) != 0;
}

bool config_redistribute_equal(const struct config_redistribute *a,
                               const struct config_redistribute *b)
{
	return a->enabled == b->enabled && a->has_metric == b->has_metric &&
	       (!a->has_metric || a->metric == b->metric);
}

/* RFC 4271 §4.2: a Hold Time is 0 or at least three seconds. */
bool config_hold_time_valid(uint32_t hold)
{
	return hold == 0 || hold >= 3;
}

const char *config_mask_text(uint8_t len, char *buf)
{
	uint32_t mask = len == 0 ? 0 : len >= 32 ? UINT32_MAX : ~(UINT32_MAX >> len);
	return ipv4_format(mask, buf);
}

/* "10.0.0.0 255.0.0.0" */
void config_print_prefix_mask(const struct prefix *p, struct strbuf *out)
{
	char addr[IP_ADDR_STRLEN], mask[16];
	strbuf_printf(out, "%s %s", prefix_format_address(p, addr), config_mask_text(p->len, mask));
}

void config_print_redistribute(const char *what, const struct config_redistribute *r,
                               struct strbuf *out)
{
	if (!r->enabled)
		return;
	if (r->has_metric)
		strbuf_printf(out, " redistribute %s metric %u\n", what, r->metric);
	else
		strbuf_printf(out, " redistribute %s\n", what);
}

bool config_prefixes_equal(const struct prefix *a, size_t a_count, const struct prefix *b, size_t b_count)
{
	if (a_count != b_count)
		return false;
	for (size_t i = 0; i < a_count; i++)
		if (!prefix_equal(&a[i], &b[i]))
			return false;
	return true;
}
