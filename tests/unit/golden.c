// SPDX-License-Identifier: GPL-2.0-or-later
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "lib/util.h"

char *golden_path(const char *rel)
{
	const char *root = getenv("OOMLAB_ROOT");
	return xasprintf("%s/tests/golden/%s", root && *root ? root : ".", rel);
}

void golden_load(const char *rel, struct golden *g)
{
	char *path = golden_path(rel);
	memset(g, 0, sizeof *g);
	cr_assert(read_file(path, &g->data, &g->len) == 0, "cannot read golden file %s", path);
	const char *sep = strstr(g->data, "\n# ---\n");
	cr_assert(sep, "%s: no '# ---' line", path);
	free(path);
	g->body = sep + 7;
	g->body_len = g->len - (size_t)(g->body - g->data);
}

void golden_free(struct golden *g)
{
	free(g->data);
	g->data = NULL;
}

char *dup_exact(const char *p, size_t n)
{
	char *d = xmalloc(n ? n : 1);
	memcpy(d, p, n);
	return d;
}
