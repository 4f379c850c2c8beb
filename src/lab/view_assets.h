/*
 * DOC: the files of tern-lab view's page (src/lab/view/), built into tern-lab by
 * src/lab/view/embed.py. The list ends with an entry whose path is NULL.
 */
#ifndef TERN_LAB_VIEW_ASSETS_H
#define TERN_LAB_VIEW_ASSETS_H

#include <stddef.h>

struct view_asset {
	const char *path;          /* "/", "/view.js", ... */
	const char *content_type;
	const unsigned char *data;
	size_t size;
};

extern const struct view_asset view_assets[];

#endif
