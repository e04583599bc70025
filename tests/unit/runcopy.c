// SPDX-License-Identifier: GPL-2.0-or-later
#include <criterion/criterion.h>
#include <stdlib.h>

#include "lib/util.h"
#include "runcopy.h"

static void copy_file(const char *from, const char *to)
{
	char *d;
	size_t n;
	cr_assert_eq(read_file(from, &d, &n), 0, "cannot read %s", from);
	cr_assert_eq(write_file_atomic(to, d, n), 0, "cannot write %s", to);
	free(d);
}

char *run_copy(const char *tdir, const char *src, const char *as)
{
	char *dst = xasprintf("%s/%s", tdir, as);
	char *cells = xasprintf("%s/cells", dst);
	cr_assert_eq(mkdir_p(cells, 0755), 0);
	char *from = xasprintf("%s/run.json", src), *to = xasprintf("%s/run.json", dst);
	copy_file(from, to);
	json_t *run = json_load_file(from, 0, NULL);
	cr_assert_not_null(run, "cannot load %s", from);
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(run, "cells"), i, c) {
		const char *f = json_string_value(json_object_get(c, "file"));
		cr_assert_not_null(f, "%s: a row without its file", from);
		char *a = xasprintf("%s/%s", src, f), *b = xasprintf("%s/%s", dst, f);
		copy_file(a, b);
		free(a);
		free(b);
	}
	json_decref(run);
	free(cells);
	free(from);
	free(to);
	return dst;
}

json_t *json_in(const char *dir, const char *rel)
{
	char *p = xasprintf("%s/%s", dir, rel);
	json_error_t je;
	json_t *j = json_load_file(p, 0, &je);
	cr_assert_not_null(j, "%s: %s", p, je.text);
	free(p);
	return j;
}

void json_out(const char *dir, const char *rel, json_t *j)
{
	char *p = xasprintf("%s/%s", dir, rel);
	cr_assert_eq(json_dump_file(j, p, JSON_INDENT(1)), 0, "cannot write %s", p);
	free(p);
	json_decref(j);
}
