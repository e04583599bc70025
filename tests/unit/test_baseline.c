// SPDX-License-Identifier: GPL-2.0-or-later
/* Named reference runs (reports/baseline.h) on recorded 5-repeat runs of
 * one matrix on 6.1 (twice) and 6.12, and of another matrix: where an
 * entry goes, what replaces it, which one a run compares against, and the
 * exact words of each refusal. The cache is the test's temp dir. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runcopy.h"
#include "lib/util.h"
#include "reports/baseline.h"

static char tdir[128];

static void setup(void)
{
	snprintf(tdir, sizeof tdir, "/tmp/oomlab-baseline-XXXXXX");
	cr_assert_not_null(mkdtemp(tdir));
	char *cache = xasprintf("%s/cache", tdir);
	setenv("OOMLAB_CACHE", cache, 1);
	free(cache);
}

static void teardown(void)
{
	rm_rf(tdir);
}

TestSuite(baseline, .init = setup, .fini = teardown);

static char *golden_run(const char *name)
{
	const char *r = getenv("OOMLAB_ROOT");
	return xasprintf("%s/tests/golden/runs/%s", r && *r ? r : ".", name);
}

static json_t *run_json(const char *name)
{
	char *d = golden_run(name);
	json_t *j = json_in(d, "run.json");
	free(d);
	return j;
}

Test(baseline, names)
{
	static const struct {
		const char *name;
		int ok;
	} cases[] = {{"nightly", 1}, {"6.1-ref_a", 1}, {"0", 1}, {"", 0}, {"Nightly", 0}, {".hidden", 0},
		     {"-x", 0}, {"a/b", 0}, {"a b", 0}, {"..", 0},
		     {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 1},
		     {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0}};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		cr_expect_eq(baseline_name_ok(cases[i].name), cases[i].ok, "\"%s\"", cases[i].name);
}

Test(baseline, kernel_sets)
{
	json_t *r = run_json("swap612");
	char *k = baseline_kernels(r);
	cr_expect_str_eq(k, "6.12.117+deb12-amd64");
	free(k);
	json_decref(r);
	r = json_pack("{s:[{s:s},{s:s},{s:s},{}]}", "cells", "kernel_release", "6.12.1", "kernel_release",
		      "6.1.0 x/y", "kernel_release", "6.12.1");
	k = baseline_kernels(r);
	cr_expect_str_eq(k, "6.1.0_x_y+6.12.1");
	free(k);
	json_decref(r);
	r = json_pack("{s:[]}", "cells");
	k = baseline_kernels(r);
	cr_expect_str_eq(k, "unknown");
	free(k);
	json_decref(r);
}

Test(baseline, save_replace_find_and_list)
{
	char *a = golden_run("swap61a"), *b612 = golden_run("swap612"), *where = NULL, *dir = NULL;
	char *want61 = xasprintf("%s/cache/baselines/nightly/5bdc78ab8f6ae2ba-6.1.0-57-amd64", tdir);
	char *want612 = xasprintf("%s/cache/baselines/nightly/5bdc78ab8f6ae2ba-6.12.117+deb12-amd64", tdir);
	struct buf err = {0};
	int replaced = -1;
	cr_assert_eq(baseline_save("nightly", a, &where, &replaced, &err), 0, "%s", err.data);
	cr_expect_str_eq(where, want61);
	cr_expect_eq(replaced, 0);
	json_t *meta = json_in(where, "baseline.json");
	cr_expect_str_eq(json_string_value(json_object_get(meta, "kernels")), "6.1.0-57-amd64");
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(meta, "matrix"), "name")), "touchswap5");
	cr_expect_eq(json_integer_value(json_object_get(meta, "cells")), 5);
	json_decref(meta);
	/* the reports came along */
	char *cell = xasprintf("%s/cells/touch-swap-r5.json", where);
	cr_expect(path_exists(cell), "%s", cell);
	free(cell);
	free(where);
	cr_assert_eq(baseline_save("nightly", a, &where, &replaced, &err), 0, "%s", err.data);
	cr_expect_eq(replaced, 1);
	free(where);

	/* the same matrix and kernel; another kernel, when it is the only one */
	json_t *r61 = run_json("swap61b"), *r612 = run_json("swap612");
	cr_assert_eq(baseline_find("nightly", r61, &dir, &err), 0, "%s", err.data);
	cr_expect_str_eq(dir, want61);
	free(dir);
	cr_assert_eq(baseline_find("nightly", r612, &dir, &err), 0, "%s", err.data);
	cr_expect_str_eq(dir, want61);
	free(dir);
	/* with both kernels saved, each run finds its own */
	cr_assert_eq(baseline_save("nightly", b612, &where, &replaced, &err), 0, "%s", err.data);
	cr_expect_str_eq(where, want612);
	free(where);
	cr_assert_eq(baseline_find("nightly", r612, &dir, &err), 0, "%s", err.data);
	cr_expect_str_eq(dir, want612);
	free(dir);
	cr_assert_eq(baseline_find("nightly", r61, &dir, &err), 0, "%s", err.data);
	cr_expect_str_eq(dir, want61);
	free(dir);
	/* a third kernel: which one is not guessed */
	json_t *row;
	size_t i;
	json_array_foreach(json_object_get(r61, "cells"), i, row)
		json_object_set_new(row, "kernel_release", json_string("6.5.0-test"));
	cr_expect_eq(baseline_find("nightly", r61, &dir, &err), -1);
	cr_expect_null(dir);
	cr_expect_str_eq(err.data, "baseline \"nightly\" has this matrix on kernels 6.1.0-57-amd64, "
				   "6.12.117+deb12-amd64 and this run's kernels are 6.5.0-test: save the reference "
				   "under a name of its own");
	buf_free(&err);

	json_t *all = baseline_list();
	cr_assert_eq(json_array_size(all), 2);
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(all, 0), "kernels")), "6.1.0-57-amd64");
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(all, 1), "dir")), want612);
	json_decref(all);
	json_decref(r61);
	json_decref(r612);
	free(want61);
	free(want612);
	free(a);
	free(b612);
}

Test(baseline, refusals)
{
	char *a = golden_run("swap61a"), *where = NULL, *dir = NULL;
	struct buf err = {0};
	int replaced;
	json_t *other = run_json("touch61b");
	cr_expect_eq(baseline_find("nightly", other, &dir, &err), -1);
	char *none = xasprintf("no baseline named \"nightly\" in %s/cache/baselines/nightly (oomlab baseline list "
			       "shows the saved ones)", tdir);
	cr_expect_str_eq(err.data, none);
	free(none);
	buf_free(&err);
	cr_assert_eq(baseline_save("nightly", a, &where, &replaced, &err), 0, "%s", err.data);
	free(where);
	/* another matrix: refused, with what was saved */
	cr_expect_eq(baseline_find("nightly", other, &dir, &err), -1);
	cr_expect(strstr(err.data, "baseline \"nightly\" was saved from matrix \"touchswap5\" (digest "
				   "5bdc78ab8f6ae2ba, 20") &&
		  strstr(err.data, "); this run's matrix \"touch5\" has digest 1c0a88303404c053: the reference is "
				   "older than the matrix, save a new one (oomlab baseline save nightly DIR)"),
		  "%s", err.data);
	buf_free(&err);
	cr_expect_eq(baseline_find("Nightly", other, &dir, &err), -1);
	cr_expect_str_eq(err.data, "--baseline Nightly: not a baseline name (a-z or 0-9 first, then a-z 0-9 . _ -)");
	buf_free(&err);
	cr_expect_eq(baseline_save("../x", a, &where, &replaced, &err), -1);
	cr_expect_str_eq(err.data, "baseline name \"../x\": want a-z or 0-9 first, then a-z 0-9 . _ -, at most 64 "
				   "characters");
	buf_free(&err);
	/* a run that was interrupted is no reference; nothing is written */
	char *half = run_copy(tdir, a, "half");
	json_t *run = json_in(half, "run.json");
	json_object_set_new(run, "interrupted", json_true());
	json_object_set_new(json_object_get(run, "summary"), "cells_done", json_integer(3));
	json_out(half, "run.json", run);
	cr_expect_eq(baseline_save("half", half, &where, &replaced, &err), -1);
	char *want = xasprintf("%s: the run was interrupted after 3 of 5 cells: a reference must be a whole run", half);
	cr_expect_str_eq(err.data, want);
	free(want);
	buf_free(&err);
	char *hd = xasprintf("%s/cache/baselines/half", tdir);
	cr_expect(!path_exists(hd), "%s", hd);
	free(hd);
	free(half);
	json_decref(other);
	free(a);
}
