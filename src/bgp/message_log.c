/*
 * DOC: the per-peer message log (`show bgp neighbors A messages [json]`, bgp.h).
 *
 * A ring of the last BGP_LOG_ENTRIES entries per peer: what a person reads, and the entry's
 * facts as JSON members. The members are kept as names and values, never as JSON text, so
 * that show writes them through the JSON writer: a value is escaped there, and a member that
 * does not fit the entry is left out whole, so the document stays valid whatever a peer
 * sends (a shutdown communication, RFC 8203, is free text).
 */
#include "bgp/internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/log.h"

static struct bgp_log_member *add_member(struct bgp_log_members *members, const char *key, enum bgp_log_value kind)
{
	if (members->count >= BGP_LOG_MEMBERS_MAX)
		return NULL;
	struct bgp_log_member *m = &members->member[members->count];
	*m = (struct bgp_log_member){ .key = key, .kind = (uint8_t)kind };
	return m;
}

bool bgp_log_add_uint(struct bgp_log_members *members, const char *key, uint64_t value)
{
	struct bgp_log_member *m = add_member(members, key, BGP_LOG_VALUE_UINT);
	if (!m)
		return false;
	m->number = value;
	members->count++;
	return true;
}

bool bgp_log_add_true(struct bgp_log_members *members, const char *key)
{
	if (!add_member(members, key, BGP_LOG_VALUE_TRUE))
		return false;
	members->count++;
	return true;
}

bool bgp_log_add_string(struct bgp_log_members *members, const char *key, const char *text)
{
	size_t size = strlen(text) + 1;
	struct bgp_log_member *m = add_member(members, key, BGP_LOG_VALUE_STRING);
	if (!m || size > sizeof(members->strings) - members->strings_used)
		return false;
	m->text_at = members->strings_used;
	memcpy(members->strings + members->strings_used, text, size);
	members->strings_used = (uint8_t)(members->strings_used + size);
	members->count++;
	return true;
}

const char *bgp_log_member_text(const struct bgp_log_members *members, const struct bgp_log_member *member)
{
	return members->strings + member->text_at;
}

bool bgp_log_member_uint(const struct bgp_log_members *members, const char *key, uint64_t *value)
{
	for (unsigned i = 0; i < members->count; i++) {
		const struct bgp_log_member *m = &members->member[i];
		if (m->kind == BGP_LOG_VALUE_UINT && !strcmp(m->key, key)) {
			*value = m->number;
			return true;
		}
	}
	return false;
}

/* The length of the well-formed UTF-8 character at text (RFC 3629 §4: no overlong form, no
 * surrogate, nothing past U+10FFFF), or 0 when the octets there are not one; available is
 * how many octets there are. */
static size_t utf8_character(const unsigned char *text, size_t available)
{
	unsigned char lead = text[0];
	if (lead < 0x80)
		return 1;
	size_t len = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
	if (!len || len > available)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((text[i] & 0xc0) != 0x80)
			return 0;
	/* the second octet's range where the first allows less than every continuation */
	unsigned char second = text[1];
	if ((lead == 0xe0 && second < 0xa0) || (lead == 0xed && second > 0x9f) || (lead == 0xf0 && second < 0x90) ||
	    (lead == 0xf4 && second > 0x8f))
		return 0;
	return len;
}

void bgp_peer_text_sanitise(char *text)
{
	unsigned char *p = (unsigned char *)text;
	size_t left = strlen(text);
	while (left) {
		size_t len = utf8_character(p, left);
		if (!len || *p < 0x20 || *p == 0x7f) {
			*p = '?'; /* and the octets after it are judged on their own */
			len = 1;
		}
		p += len;
		left -= len;
	}
}

/* vsnprintf cuts where the buffer ends, maybe inside a UTF-8 character (a peer's shutdown
 * communication is UTF-8, RFC 9003 §2): a character left incomplete by the cut goes, so the
 * text stays valid UTF-8 for JSON (RFC 8259 §8.1). */
static void end_at_character(char *text, size_t size)
{
	size_t len = strlen(text);
	if (len + 1 < size)
		return;
	size_t start = len;
	while (start > 0 && len - start < 3 && ((unsigned char)text[start - 1] & 0xc0) == 0x80)
		start--;
	if (start > 0 && (unsigned char)text[start - 1] >= 0xc0 &&
	    !utf8_character((const unsigned char *)text + start - 1, len - (start - 1)))
		text[start - 1] = '\0';
}

void bgp_peer_log(struct bgp_peer *peer, enum bgp_log_direction direction, const char *type,
		  const struct bgp_log_members *members, const char *fmt, ...)
{
	unsigned slot = (peer->log_head + peer->log_count) % BGP_LOG_ENTRIES;
	if (peer->log_count == BGP_LOG_ENTRIES)
		peer->log_head = (peer->log_head + 1) % BGP_LOG_ENTRIES;
	else
		peer->log_count++;
	struct bgp_log_entry *e = &peer->log[slot];
	clock_gettime(CLOCK_REALTIME, &e->time);
	e->direction = direction;
	e->type = type;
	if (members)
		e->members = *members;
	else
		e->members.count = e->members.strings_used = 0;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->text, sizeof(e->text), fmt, ap);
	va_end(ap);
	end_at_character(e->text, sizeof(e->text));
	char addr[IP_ADDR_STRLEN];
	bool routine = !strcmp(type, "keepalive") || !strcmp(type, "update");
	log_msg(routine && !peer->debug ? LOG_LEVEL_DEBUG : LOG_LEVEL_INFO, "bgp %s: %s",
		ip_addr_format(&peer->config.addr, addr), e->text);
}

const struct bgp_log_entry *bgp_peer_log_at(const struct bgp_peer *peer, unsigned index)
{
	if (index >= peer->log_count)
		return NULL;
	return &peer->log[(peer->log_head + index) % BGP_LOG_ENTRIES];
}
