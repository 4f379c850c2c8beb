/*
 * DOC: what the configuration tests share: a configuration's printed form as a string.
 *
 * Included by test_config.c, test_config_roundtrip.c and test_config_reconfigure.c (each a
 * test program of its own, so the helper is static inline, not a second object to link).
 */
#ifndef TERN_TESTS_CONFIG_TEST_PRINT_H
#define TERN_TESTS_CONFIG_TEST_PRINT_H

#include <stdlib.h>
#include <string.h>

#include "config/config.h"

/* The text `show running-config` prints for c, on the heap (the caller frees it). */
static inline char *printed(const struct config *c)
{
	struct strbuf out = STRBUF_INIT;
	config_print(c, &out);
	char *text = strdup(strbuf_str(&out));
	strbuf_free(&out);
	return text;
}

#endif
