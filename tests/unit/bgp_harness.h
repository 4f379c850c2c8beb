/*
 * DOC: what the BGP unit tests share (test_rib, test_aggregate, test_rib_cursor,
 * test_show_route, test_export_dump).
 *
 * A speaker on the test's own libuv loop, with no sockets, started and stopped so that the
 * leak checker sees only real leaks; and UPDATEs built by hand and applied as a session
 * applies them (cut by the wire codec, bgp_rib_update, then bgp_rib_commit ending the batch).
 */
#ifndef TERN_TESTS_BGP_HARNESS_H
#define TERN_TESTS_BGP_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "bgp/internal.h"
#include "lib/writer.h"

/* A speaker on a freshly initialised loop (asserts on failure). */
struct bgp_speaker *harness_speaker_start(uv_loop_t *loop, const struct bgp_speaker_options *options);
/* Destroys the speaker, lets the loop close its handles, frees the speaker and its RIB
 * and its copy of the routing policy (bgp_speaker_destroy leaves them to process exit) and
 * closes the loop. */
void harness_speaker_stop(uv_loop_t *loop, struct bgp_speaker *speaker);
/* What harness_speaker_stop does after bgp_speaker_destroy (for a test that looks at the
 * speaker between the two). */
void harness_speaker_finish(uv_loop_t *loop, struct bgp_speaker *speaker);

/* A configuration with BGP on: router bgp asn, bgp router-id router_id, no neighbour yet. */
void harness_bgp_config(struct config *c, uint32_t asn, uint32_t router_id);

/* An UPDATE's three fields, written with lib/writer. */
struct test_update {
	uint8_t wd_buf[512], at_buf[2048], nl_buf[512];
	struct writer wd, at, nl;
};
void test_update_init(struct test_update *u);
/* A prefix (RFC 4271 §4.3 encoding) into a withdrawn or NLRI field. */
void test_update_prefix(struct writer *field, const char *addr, uint8_t len);
/* An attribute header, Extended Length when the value needs it (RFC 4271 §4.3). */
void test_update_attr_header(struct test_update *u, uint8_t flags, uint8_t type, size_t len);
/* The UPDATE body (RFC 4271 §4.3: the three fields with their lengths) into body; its
 * length. */
size_t test_update_body(const struct test_update *u, uint8_t *body, size_t max);
/* Frames the body, cuts it with the wire codec, applies it from peer and ends the batch;
 * bgp_rib_update's result and error. */
bool test_update_apply(struct bgp_rib *rib, struct bgp_peer *peer, struct test_update *u, struct bgp_error *err);

#endif
