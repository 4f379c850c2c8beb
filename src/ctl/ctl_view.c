/*
 * DOC: the control socket's streamed views (see ctl_view.h).
 */
#include "ctl/ctl_view.h"

#include "ctl/output_filter.h"
#include "ctl/ping.h"
#include "ctl/show_bgp.h"
#include "lib/memory.h"

static enum show_step bgp_table_next(void *view, struct ctl_daemon *daemon, struct strbuf *out)
{
	return show_bgp_table_next(view, daemon->speaker, out);
}

static const char *bgp_table_failure(const void *view)
{
	return show_bgp_table_failure(view);
}

static void bgp_table_close(void *view)
{
	show_bgp_table_close(view);
}

const struct ctl_view_ops ctl_bgp_table_ops = { bgp_table_next, bgp_table_failure, bgp_table_close, NULL };

static enum show_step routes_next(void *view, struct ctl_daemon *daemon, struct strbuf *out)
{
	(void)daemon; /* the core is the daemon's for its lifetime; it knows its BGP */
	return core_show_routes_next(view, out);
}

static const char *routes_failure(const void *view)
{
	return core_show_routes_failure(view);
}

static void routes_close(void *view)
{
	core_show_routes_close(view);
}

const struct ctl_view_ops ctl_routes_ops = { routes_next, routes_failure, routes_close, NULL };

static enum show_step ping_view_next(void *view, struct ctl_daemon *daemon, struct strbuf *out)
{
	(void)daemon;
	return ping_next(view, out);
}

static const char *ping_view_failure(const void *view)
{
	return ping_failure(view);
}

static void ping_view_close(void *view)
{
	ping_close(view);
}

static unsigned ping_view_wait(const void *view)
{
	return ping_wait_ms(view);
}

static const struct ctl_view_ops ping_ops = { ping_view_next, ping_view_failure, ping_view_close, ping_view_wait };

/* A streamed view behind an output modifier (`show ip bgp | include 65001`): each slice is
 * filtered as it is made (output_filter.h), so what is dropped is never sent. */
struct filtered_view {
	struct ctl_view inner;
	struct output_filter filter;
	struct strbuf raw;
};

static enum show_step filtered_next(void *view, struct ctl_daemon *daemon, struct strbuf *out)
{
	struct filtered_view *f = view;
	strbuf_reset(&f->raw);
	enum show_step step = f->inner.ops->next(f->inner.view, daemon, &f->raw);
	if (f->raw.failed)
		out->failed = true;
	output_filter_feed(&f->filter, f->raw.data ? f->raw.data : "", f->raw.len, out);
	if (step != SHOW_STEP_MORE)
		output_filter_finish(&f->filter, out);
	return step;
}

static const char *filtered_failure(const void *view)
{
	const struct filtered_view *f = view;
	return f->inner.ops->failure(f->inner.view);
}

static void filtered_close(void *view)
{
	struct filtered_view *f = view;
	f->inner.ops->close(f->inner.view);
	output_filter_free(&f->filter);
	strbuf_free(&f->raw);
	memory_free(MEMORY_CTL, f);
}

static unsigned filtered_wait(const void *view)
{
	const struct filtered_view *f = view;
	return f->inner.ops->wait_ms ? f->inner.ops->wait_ms(f->inner.view) : 0;
}

static const struct ctl_view_ops filtered_ops = { filtered_next, filtered_failure, filtered_close, filtered_wait };

bool ctl_view_filter(const struct cli_parse *p, struct strbuf *out, size_t start, struct ctl_view *stream)
{
	if (stream && stream->view) {
		struct filtered_view *f = memory_calloc(MEMORY_CTL, 1, sizeof(*f));
		if (!f || !output_filter_init(&f->filter, p, out)) {
			memory_free(MEMORY_CTL, f);
			stream->ops->close(stream->view);
			stream->view = NULL;
			if (!out->len)
				strbuf_append(out, "% Out of memory\n");
			return false;
		}
		f->inner = *stream;
		stream->ops = &filtered_ops;
		stream->view = f;
		return true;
	}
	struct strbuf whole = STRBUF_INIT;
	strbuf_appendn(&whole, out->data ? out->data + start : "", out->len - start);
	out->len = start;
	if (out->data)
		out->data[start] = '\0';
	bool ok = output_filter_text(p, strbuf_str(&whole), whole.len, out);
	strbuf_free(&whole);
	return ok;
}

bool ctl_view_ping(const struct cli_parse *p, struct strbuf *out, struct ctl_view *stream)
{
	const struct cli_value *repeat = cli_arg(p, "REPEAT-COUNT"), *size = cli_arg(p, "DATAGRAM-SIZE"),
			       *timeout = cli_arg(p, "PING-TIMEOUT"), *source = cli_arg(p, "PING-SOURCE"),
			       *ifname = cli_arg(p, "IFNAME");
	struct ping_request r = {
		.trace = p->cmd == CLI_CMD_TRACEROUTE,
		.dst = ip_addr_v4(&cli_arg(p, "TARGET")->addr),
		.repeat = repeat ? repeat->number : PING_DEFAULT_REPEAT,
		.size = size ? size->number : PING_DEFAULT_SIZE,
		.timeout_s = timeout ? timeout->number : PING_DEFAULT_TIMEOUT,
		.src = source ? ip_addr_v4(&source->addr) : 0,
	};
	if (ifname && !ping_source_of_interface(ifname->text, &r.src, out))
		return false;
	if (!stream) {
		strbuf_append(out, "% ping and traceroute run on a control socket session only\n");
		return false;
	}
	stream->view = ping_open(&r, out);
	if (!stream->view)
		return false;
	stream->ops = &ping_ops;
	return true;
}
