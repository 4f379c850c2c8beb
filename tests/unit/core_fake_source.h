/*
 * DOC: a fake route source for the core's unit tests: routes in an array, as BGP's Loc-RIB
 * is a table of its own (core.h, core_source_ops). A test fills fake[] and tells the core
 * with core_source_changed; the walk visits the array in order.
 */
#ifndef TERN_TESTS_CORE_FAKE_SOURCE_H
#define TERN_TESTS_CORE_FAKE_SOURCE_H

#include <stdbool.h>

#include "core/core.h"

#define FAKE_ROUTES_MAX 2048

struct fake_route {
	struct prefix prefix;
	struct core_source_route route;
	bool used;
};

extern struct fake_route fake[FAKE_ROUTES_MAX];
extern const struct core_source_ops fake_ops;

/* "10.0.0.0/8" as a prefix (the test fails on anything else). */
struct prefix prefix(const char *text);

#endif
