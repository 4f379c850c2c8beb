/*
 * DOC: fuzz target for the path attribute decoder (src/wire/bgp_attr.h).
 *
 * Input: one mode octet, then a Path Attributes field. Mode bit 0: 4-octet AS session;
 * bit 1: internal peer; bit 2: the UPDATE has IPv4 NLRI; bit 3: it has withdrawn routes.
 * Every input is decoded and the text and AS-path helpers run over the result. When the
 * decode is OK, the canonical encoding must fit in the input's size, decode OK again, and
 * give the same attribute set; after the RFC 6793 merge of a 2-octet session's set, the
 * 4-octet encoding must round-trip too. Any disagreement aborts.
 */
#include <stdint.h>
#include <stdlib.h>

#include "wire/bgp_attr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t out_buf[1 << 17];
static uint8_t path_buf[1 << 18];

static void exercise_helpers(const struct bgp_attrs *a)
{
	struct strbuf sb = STRBUF_INIT;
	bgp_as_path_text(&a->as_path, &sb);
	bgp_as_path_text(&a->as4_path, &sb);
	bgp_communities_text(&a->communities, &sb);
	bgp_large_communities_text(&a->large_communities, &sb);
	strbuf_free(&sb);
	(void)bgp_as_path_length(&a->as_path);
	(void)bgp_as_path_contains(&a->as_path, 65000);
	(void)bgp_as_path_first(&a->as_path);
	for (size_t i = 0; i < bgp_ext_communities_count(&a->ext_communities); i++)
		(void)bgp_ext_community_at(&a->ext_communities, i);
	for (size_t i = 0; i < bgp_communities_count(&a->cluster_list); i++)
		(void)bgp_cluster_id_at(&a->cluster_list, i);
	struct bgp_as_path p;
	if (bgp_as_path_prepend(&a->as_path, 65001, 3, path_buf, sizeof(path_buf), &p) &&
	    bgp_as_path_length(&p) != bgp_as_path_length(&a->as_path) + 3)
		abort();
}

/* Encodes a with the given options, decodes the bytes again and insists on the same set. */
static void round_trip(const struct bgp_attrs *a, const struct bgp_attr_opts *opts, size_t cap)
{
	if (cap > sizeof(out_buf))
		cap = sizeof(out_buf);
	struct writer w = writer_make(out_buf, cap);
	if (!bgp_attr_encode(&w, a, opts->as4))
		abort();
	struct reader again = reader_make(out_buf, w.len);
	struct bgp_attrs b;
	struct bgp_error err;
	if (bgp_attr_decode(&again, opts, &b, &err) != BGP_ATTR_RESULT_OK)
		abort();
	if (!bgp_attrs_equal(a, &b) || b.discarded != 0 || b.dropped_unknown != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reader in = reader_make(data, size);
	uint8_t mode = reader_u8(&in);
	if (!reader_ok(&in))
		return 0;
	struct reader attrs = reader_rest(&in);
	size_t attrs_len = reader_remaining(&attrs);
	struct bgp_attr_opts opts = {
		.as4 = mode & 1,
		.ibgp = (mode >> 1) & 1,
		.ipv4_nlri = (mode >> 2) & 1,
		.ipv4_withdrawn = (mode >> 3) & 1,
	};
	struct bgp_attrs a;
	struct bgp_error err;
	enum bgp_attr_result res = bgp_attr_decode(&attrs, &opts, &a, &err);
	if (!reader_empty(&attrs))
		abort();
	if (res == BGP_ATTR_RESULT_RESET) {
		if (err.code != BGP_ERR_UPDATE || err.data_len > BGP_ERROR_DATA_MAX)
			abort();
		return 0;
	}
	if ((res == BGP_ATTR_RESULT_OK) != (err.code == 0))
		abort();
	exercise_helpers(&a);
	if (res != BGP_ATTR_RESULT_OK)
		return 0;

	/* The canonical form is never longer than what was received. */
	round_trip(&a, &opts, attrs_len);

	if (!opts.as4 && bgp_attrs_as4_merge(&a, path_buf, sizeof(path_buf)) &&
	    a.as_path.len < 60000) {
		struct bgp_attr_opts opts4 = opts;
		opts4.as4 = true;
		round_trip(&a, &opts4, sizeof(out_buf));
	}
	return 0;
}
