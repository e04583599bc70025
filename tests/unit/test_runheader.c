// SPDX-License-Identifier: GPL-2.0-or-later
/* The head of run.json (harness/run_header.c): every field a new run
 * writes before its first cell, with the exact values, sharded or not. */
#include <criterion/criterion.h>
#include <string.h>
#include <sys/utsname.h>

#include "run_header.h"
#include "lib/util.h"
#include "lib/vocab.h"

static struct matrix stub(void)
{
	struct matrix m;
	memset(&m, 0, sizeof m);
	m.path = (char *)"examples/article.json";
	m.name = (char *)"article";
	m.n_cells = 6;
	m.digest = (char *)"abc123";
	return m;
}

Test(run_header, whole_matrix)
{
	struct matrix m = stub();
	struct run_header_in in = {.run_id = "article-20240131-120000", .m = &m, .accel = "tcg",
				   .started = "2024-01-31T12:00:00Z"};
	json_t *h = run_header(&in);
	struct utsname un;
	uname(&un);
	json_t *want = json_pack(
		"{s:s,s:{s:s,s:s},s:s,s:{s:s,s:s,s:i,s:s,s:s},s:{s:s,s:s,s:s},s:{s:n,s:n},s:s,s:[]}",
		"format", RUN_FORMAT, "tool", "name", "oomlab", "version", OOMLAB_VERSION, "run_id",
		"article-20240131-120000", "matrix", "path", "examples/article.json", "name", "article",
		"cells", 6, "digest", "abc123", "copy", "matrix.json", "host", "release", un.release,
		"machine", un.machine, "accel", "tcg", "options", "kernel", "modules", "started",
		"2024-01-31T12:00:00Z", "cells");
	cr_assert_not_null(want);
	char *got_s = json_dumps(h, JSON_SORT_KEYS), *want_s = json_dumps(want, JSON_SORT_KEYS);
	cr_assert_str_eq(got_s, want_s);
	free(got_s);
	free(want_s);
	json_decref(want);
	json_decref(h);
}

Test(run_header, shard_and_kernel)
{
	struct matrix m = stub();
	struct run_header_in in = {.run_id = "r", .m = &m, .accel = "kvm", .kernel = "/boot/bz",
				   .modules = "/lib/modules/x", .shard_k = 2, .shard_n = 4, .started = "t"};
	json_t *h = run_header(&in);
	char *s = json_dumps(json_object_get(h, "shard"), JSON_SORT_KEYS);
	cr_assert_str_eq(s, "{\"count\": 4, \"index\": 2}");
	free(s);
	s = json_dumps(json_object_get(h, "options"), JSON_SORT_KEYS);
	cr_assert_str_eq(s, "{\"kernel\": \"/boot/bz\", \"modules\": \"/lib/modules/x\"}");
	free(s);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(h, "host"), "accel")), "kvm");
	cr_assert_eq(json_object_size(h), 9);
	json_decref(h);
	in.shard_n = 0;
	h = run_header(&in);
	cr_assert_null(json_object_get(h, "shard"));
	cr_assert_eq(json_object_size(h), 8);
	json_decref(h);
}
