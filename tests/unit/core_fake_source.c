/* DOC: a fake route source for the core's unit tests (see core_fake_source.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "core_fake_source.h"

struct fake_route fake[FAKE_ROUTES_MAX];

struct prefix prefix(const char *text)
{
	char addr[64];
	const char *slash = strchr(text, '/');
	assert_non_null(slash);
	snprintf(addr, sizeof(addr), "%.*s", (int)(slash - text), text);
	struct prefix p = { .family = AF_INET, .len = (uint8_t)atoi(slash + 1) };
	assert_int_equal(inet_pton(AF_INET, addr, p.addr), 1);
	return p;
}

static const void *fake_lookup(void *ctx, const struct prefix *p)
{
	(void)ctx;
	for (size_t i = 0; i < FAKE_ROUTES_MAX; i++)
		if (fake[i].used && !memcmp(&fake[i].prefix, p, sizeof(*p)))
			return &fake[i];
	return NULL;
}

static void fake_describe(void *ctx, const void *handle, struct core_source_route *out)
{
	(void)ctx;
	*out = ((const struct fake_route *)handle)->route;
}

static void fake_prefix(void *ctx, const void *handle, struct prefix *out)
{
	(void)ctx;
	*out = ((const struct fake_route *)handle)->prefix;
}

static void fake_walk_open(void *ctx, struct core_source_cursor *cursor, uint8_t family)
{
	(void)ctx;
	memset(cursor, 0, sizeof(*cursor));
	cursor->opaque[1] = family;
}

static bool fake_walk_step(void *ctx, struct core_source_cursor *cursor, size_t budget,
			   void (*fn)(void *fn_ctx, const void *handle), void *fn_ctx)
{
	(void)ctx;
	for (size_t n = 0; cursor->opaque[0] < FAKE_ROUTES_MAX && n < (budget ? budget : 1); n++) {
		const struct fake_route *r = &fake[cursor->opaque[0]++];
		if (r->used && r->prefix.family == cursor->opaque[1])
			fn(fn_ctx, r);
	}
	return cursor->opaque[0] < FAKE_ROUTES_MAX;
}

const struct core_source_ops fake_ops = {
	.lookup = fake_lookup, .describe = fake_describe, .prefix = fake_prefix,
	.walk_open = fake_walk_open, .walk_step = fake_walk_step,
};

