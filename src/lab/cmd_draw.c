/*
 * DOC: `tern-lab draw LAB|DIR|FILE [--svg FILE]`: the topology as the seed's picture shows it.
 *
 * LAB is a running lab (its saved topology), DIR or FILE a topology file as `up` takes it;
 * nothing is started and no root is needed for a file. The SVG goes to FILE, or to standard
 * output. See topo_draw.h for what is drawn.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lab/lab.h"
#include "lab/topo_draw.h"

static struct topology topo;

bool lab_load_any(const char *spec, struct topology *t, char *err, size_t err_size)
{
	if (!strchr(spec, '/') && strcmp(spec, ".") && topo_valid_name(spec) && state_exists(spec))
		return lab_load_saved(spec, t, err, err_size);
	return topo_load(spec, t, err, err_size);
}

bool lab_write_file(const char *path, const struct strbuf *text)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "w") : stdout;
	if (!f) {
		lab_error("%s: %s", path, strerror(errno));
		return false;
	}
	bool ok = fwrite(strbuf_str(text), 1, text->len, f) == text->len;
	ok = (f == stdout ? fflush(f) == 0 : fclose(f) == 0) && ok;
	if (!ok)
		lab_error("%s: write failed", path);
	return ok;
}

int cmd_draw(int argc, char **argv)
{
	const char *svg = "-";
	if (argc == 4 && !strcmp(argv[2], "--svg")) {
		svg = argv[3];
	} else if (argc != 2) {
		fprintf(stderr, "usage: tern-lab draw LAB|DIR|FILE [--svg FILE]\n");
		return 2;
	}
	char err[TOPO_ERR_MAX];
	if (!lab_load_any(argv[1], &topo, err, sizeof(err))) {
		lab_error("%s", err);
		return 1;
	}
	struct strbuf out = STRBUF_INIT;
	bool ok = topo_draw_svg(&topo, &out, err, sizeof(err));
	if (!ok)
		lab_error("%s", err);
	else
		ok = lab_write_file(svg, &out);
	strbuf_free(&out);
	return ok ? 0 : 1;
}
