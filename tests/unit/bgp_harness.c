/* DOC: the BGP unit tests' shared speaker and UPDATE builder (see bgp_harness.h). */
#include "bgp_harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/addr.h"
#include "lib/reader.h"
#include "wire/bgp.h"

struct bgp_speaker *harness_speaker_start(uv_loop_t *loop, const struct bgp_speaker_options *options)
{
	assert_int_equal(uv_loop_init(loop), 0);
	struct bgp_speaker *speaker = bgp_speaker_create(loop, options);
	assert_non_null(speaker);
	assert_non_null(bgp_speaker_rib(speaker));
	return speaker;
}

void harness_speaker_stop(uv_loop_t *loop, struct bgp_speaker *speaker)
{
	bgp_speaker_destroy(speaker, BGP_CEASE_ADMIN_SHUTDOWN);
	harness_speaker_finish(loop, speaker);
}

void harness_speaker_finish(uv_loop_t *loop, struct bgp_speaker *speaker)
{
	uv_run(loop, UV_RUN_DEFAULT); /* the peers' timers close, and the peers are freed */
	bgp_rib_destroy(speaker->rib);
	policy_config_free(&speaker->policy); /* the speaker's copy of the routing policy (filter.c) */
	free(speaker);
	assert_int_equal(uv_loop_close(loop), 0);
}

void harness_bgp_config(struct config *c, uint32_t asn, uint32_t router_id)
{
	config_init(c);
	c->bgp.enabled = true;
	c->bgp.asn = asn;
	c->bgp.has_router_id = true;
	c->bgp.router_id = router_id;
}

void test_update_init(struct test_update *u)
{
	u->wd = writer_make(u->wd_buf, sizeof(u->wd_buf));
	u->at = writer_make(u->at_buf, sizeof(u->at_buf));
	u->nl = writer_make(u->nl_buf, sizeof(u->nl_buf));
}

void test_update_prefix(struct writer *field, const char *addr, uint8_t len)
{
	struct ip_addr a;
	assert_true(ip_addr_parse(addr, &a));
	writer_u8(field, len);
	writer_bytes(field, a.bytes, (len + 7u) / 8);
}

void test_update_attr_header(struct test_update *u, uint8_t flags, uint8_t type, size_t len)
{
	bool extended = len > 255;
	writer_u8(&u->at, (uint8_t)(flags | (extended ? BGP_ATTR_FLAG_EXTENDED : 0)));
	writer_u8(&u->at, type);
	if (extended)
		writer_u16(&u->at, (uint16_t)len);
	else
		writer_u8(&u->at, (uint8_t)len);
}

size_t test_update_body(const struct test_update *u, uint8_t *body, size_t max)
{
	assert_true(writer_ok(&u->wd) && writer_ok(&u->at) && writer_ok(&u->nl));
	struct writer w = writer_make(body, max);
	writer_u16(&w, (uint16_t)u->wd.len);
	writer_bytes(&w, u->wd_buf, u->wd.len);
	writer_u16(&w, (uint16_t)u->at.len);
	writer_bytes(&w, u->at_buf, u->at.len);
	writer_bytes(&w, u->nl_buf, u->nl.len);
	assert_true(writer_ok(&w));
	return w.len;
}

bool test_update_apply(struct bgp_rib *rib, struct bgp_peer *peer, struct test_update *u, struct bgp_error *err)
{
	uint8_t body[4096];
	struct reader r = reader_make(body, test_update_body(u, body, sizeof(body)));
	struct bgp_update_parts parts;
	struct bgp_error split_err;
	assert_true(bgp_update_split(&r, &parts, &split_err));
	memset(err, 0, sizeof(*err));
	bool ok = bgp_rib_update(rib, peer, &parts, err);
	bgp_rib_commit(rib);
	return ok;
}
