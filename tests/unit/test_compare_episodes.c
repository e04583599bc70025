// SPDX-License-Identifier: GPL-2.0-or-later
/* oomlab compare of OOM episodes (reports/compare_episodes.c): each
 * regression on cell reports made here, and through compare_runs (the
 * status it words, the cell's status) and its table on copies of the
 * golden run rep61 (tests/golden/compare/) given episodes. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "golden.h"
#include "lib/util.h"
#include "reports/compare.h"
#include "reports/compare_episodes.h"

/* A cell report (id) whose episodes each have victims[i] victims, reaped
 * after reap_us[i] (-1: not reaped), a double kill where dk[i]. */
static json_t *cell(const char *id, size_t n, const int *victims, const long long *reap_us, const int *dk)
{
	json_t *eps = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
			eps, json_pack("{s:i,s:i,s:o,s:o}", "n_victims", victims[i], "n_collateral", 0, "reap_us",
				       reap_us[i] >= 0 ? json_integer(reap_us[i]) : json_null(), "double_kill",
				       dk[i] ? json_pack("{s:i}", "episode", 0) : json_null()));
	return json_pack("{s:{s:s},s:o}", "cell", "id", id, "oom_episodes", eps);
}

static enum ep_change cmp1(json_t *b, json_t *n, json_t **out)
{
	enum ep_change st = compare_episodes(&b, 1, &n, 1, out);
	json_decref(b);
	json_decref(n);
	return st;
}

static const char *reason(json_t *out, size_t i)
{
	return json_string_value(json_array_get(json_object_get(out, "reasons"), i));
}

Test(compare_episodes, same)
{
	static const int v[] = {1, 1}, dk[] = {0, 0};
	static const long long r[] = {2000000, -1}, r2[] = {2400000, -1}; /* +20%: inside 25% */
	json_t *out;
	cr_assert_eq(cmp1(cell("a", 2, v, r, dk), cell("b", 2, v, r2, dk), &out), EP_SAME);
	cr_expect_null(json_object_get(out, "status"), "compare.c words the status");
	cr_expect_eq(json_array_size(json_object_get(out, "reasons")), 0);
	char *s = json_dumps(json_object_get(out, "base"), JSON_SORT_KEYS | JSON_COMPACT);
	cr_expect_str_eq(s, "{\"collateral\":0,\"double_kills\":0,\"episodes\":2,\"max_victims\":1,\"reap_s\":2.0,"
			    "\"reap_spread_pct\":0.0,\"repeats\":1}");
	free(s);
	json_decref(out);
}

Test(compare_episodes, more_victims_in_one_episode)
{
	static const int vb[] = {1, 1}, vn[] = {1, 3}, dk[] = {0, 0};
	static const long long r[] = {-1, -1};
	json_t *out;
	cr_assert_eq(cmp1(cell("a", 2, vb, r, dk), cell("b", 2, vn, r, dk), &out), EP_REGRESSED);
	cr_expect_str_eq(reason(out, 0), "more victims in one OOM episode: at most 1 -> 3");
	json_decref(out);
	/* fewer is no regression */
	cr_assert_eq(cmp1(cell("a", 2, vn, r, dk), cell("b", 2, vb, r, dk), &out), EP_SAME);
	json_decref(out);
}

Test(compare_episodes, slower_reaping_beyond_the_tolerance)
{
	static const int v[] = {1}, dk[] = {0};
	static const long long rb[] = {2000000}, rn[] = {2600000}; /* +30% > 25% */
	json_t *out;
	cr_assert_eq(cmp1(cell("a", 1, v, rb, dk), cell("b", 1, v, rn, dk), &out), EP_REGRESSED);
	cr_expect_str_eq(reason(out, 0), "slower OOM reaping: 2.00 s -> 2.60 s after the invocation (+30%, tolerance 25%)");
	json_decref(out);
	/* faster is none */
	cr_assert_eq(cmp1(cell("a", 1, v, rn, dk), cell("b", 1, v, rb, dk), &out), EP_SAME);
	json_decref(out);
}

/* The tolerance widens to the spread of a side's repeats. */
Test(compare_episodes, tolerance_widened_by_the_repeats_spread)
{
	static const int v[] = {1}, dk[] = {0};
	static const long long r1[] = {2000000}, r2[] = {3000000}, rn[] = {3100000};
	json_t *b[] = {cell("a1", 1, v, r1, dk), cell("a2", 1, v, r2, dk)}; /* mean 2.5, spread 40% */
	json_t *n[] = {cell("b", 1, v, rn, dk)};                           /* +24% */
	json_t *out;
	cr_assert_eq(compare_episodes(b, 2, n, 1, &out), EP_SAME);
	cr_expect_float_eq(json_real_value(json_object_get(out, "reap_tolerance_pct")), 40.0, 1e-9);
	json_decref(out);
	json_t *n2[] = {cell("b", 1, v, (const long long[]){3600000}, dk)}; /* +44% */
	cr_assert_eq(compare_episodes(b, 2, n2, 1, &out), EP_REGRESSED);
	cr_expect_str_eq(reason(out, 0), "slower OOM reaping: 2.50 s -> 3.60 s after the invocation (+44%, tolerance 40%)");
	json_decref(out);
	json_decref(b[0]);
	json_decref(b[1]);
	json_decref(n[0]);
	json_decref(n2[0]);
}

/* Reaped only in the new run: the victims no longer exit before the
 * reaper's delay; a change, not a regression. */
Test(compare_episodes, reaped_only_in_new)
{
	static const int v[] = {1}, dk[] = {0};
	static const long long rb[] = {-1}, rn[] = {2050000};
	json_t *out;
	cr_assert_eq(cmp1(cell("a", 1, v, rb, dk), cell("b", 1, v, rn, dk), &out), EP_CHANGED);
	cr_expect_str_eq(reason(out, 0), "the oom_reaper now reaps (2.05 s after the invocation): victims no longer free "
					 "their memory on exit before it");
	json_decref(out);
}

Test(compare_episodes, new_double_kill)
{
	static const int v[] = {1, 1}, dk0[] = {0, 0}, dk1[] = {0, 1};
	static const long long r[] = {-1, -1};
	json_t *out;
	cr_assert_eq(cmp1(cell("a", 2, v, r, dk0), cell("b-2", 2, v, r, dk1), &out), EP_REGRESSED);
	cr_expect_str_eq(reason(out, 0), "new double kill: episode 2 of b-2 killed before an earlier victim was reaped");
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(out, "new"), "double_kills")), 1);
	json_decref(out);
	/* one the base had too is not new */
	cr_assert_eq(cmp1(cell("a", 2, v, r, dk1), cell("b", 2, v, r, dk1), &out), EP_SAME);
	json_decref(out);
}

/* A report without episodes (an older oomlab) on either side: nothing
 * said, no key in the document. */
Test(compare_episodes, older_reports)
{
	static const int v[] = {1}, dk[] = {0};
	static const long long r[] = {-1};
	json_t *old = json_pack("{s:{s:s}}", "cell", "id", "old");
	json_t *nw = cell("b", 1, v, r, dk);
	json_t *out = (json_t *)1;
	cr_assert_eq(compare_episodes(&old, 1, &nw, 1, &out), EP_SAME);
	cr_expect_null(out);
	cr_assert_eq(compare_episodes(&nw, 1, &old, 1, &out), EP_SAME);
	cr_expect_null(out);
	json_decref(old);
	json_decref(nw);
}

/* ---- through compare_runs and its table ---- */

static char tdir[128];

static void setup(void)
{
	snprintf(tdir, sizeof tdir, "/tmp/oomlab-eptest-XXXXXX");
	cr_assert_not_null(mkdtemp(tdir));
}

static void teardown(void)
{
	rm_rf(tdir);
}

/* Copy golden run rep61 to tdir/<as>, every cell given the episodes of
 * cell(..., victims) (one episode). Returns the dir (caller frees). */
static char *copy_with_episodes(const char *as, int victims)
{
	char *src = golden_path("compare/rep61");
	char *dst = xasprintf("%s/%s", tdir, as), *cells = xasprintf("%s/cells", dst);
	cr_assert_eq(mkdir_p(cells, 0755), 0);
	char *from = xasprintf("%s/run.json", src), *to = xasprintf("%s/run.json", dst);
	json_t *run = json_load_file(from, 0, NULL);
	cr_assert_not_null(run);
	cr_assert_eq(json_dump_file(run, to, JSON_INDENT(1)), 0);
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(run, "cells"), i, c) {
		const char *f = json_string_value(json_object_get(c, "file"));
		char *a = xasprintf("%s/%s", src, f), *b = xasprintf("%s/%s", dst, f);
		json_t *rep = json_load_file(a, 0, NULL);
		cr_assert_not_null(rep, "%s", a);
		static const long long r[] = {-1};
		static const int dk[] = {0};
		json_t *e = cell("x", 1, &victims, r, dk);
		json_object_set(rep, "oom_episodes", json_object_get(e, "oom_episodes"));
		json_decref(e);
		cr_assert_eq(json_dump_file(rep, b, JSON_INDENT(1)), 0);
		json_decref(rep);
		free(a);
		free(b);
	}
	json_decref(run);
	free(src);
	free(cells);
	free(from);
	free(to);
	return dst;
}

TestSuite(compare_episodes_runs, .init = setup, .fini = teardown);

Test(compare_episodes_runs, regression_in_the_document_and_the_table)
{
	char *bd = copy_with_episodes("base", 1), *nd = copy_with_episodes("new", 2);
	struct rundir b, n;
	struct buf err = {0};
	cr_assert_eq(rundir_load(bd, &b, &err), 0, "%s", err.data);
	cr_assert_eq(rundir_load(nd, &n, &err), 0, "%s", err.data);
	json_t *doc = compare_runs(&b, &n, NULL);
	cr_assert_eq(json_integer_value(json_object_get(doc, "exit_code")), 1);
	json_t *c0 = json_array_get(json_object_get(doc, "cells"), 0);
	cr_expect_str_eq(json_string_value(json_object_get(c0, "status")), "regressed");
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(c0, "oom_episodes"), "status")),
			 "regressed");
	/* the workloads themselves are the same */
	json_t *w;
	size_t i;
	json_array_foreach(json_object_get(c0, "workloads"), i, w)
		cr_expect_str_eq(json_string_value(json_object_get(w, "status")), "same");
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	compare_print(f, doc, 0);
	fclose(f);
	cr_expect_not_null(strstr(out, "\novercommit=0 #1: OOM episodes: more victims in one OOM episode: at most 1 -> 2\n"),
			   "%s", out);
	/* the cell's rows show the cell's status */
	cr_expect_not_null(strstr(out, "REGRESSED\n"), "%s", out);
	free(out);
	json_decref(doc);
	rundir_free(&b);
	rundir_free(&n);
	free(bd);
	free(nd);
}
