// SPDX-License-Identifier: GPL-2.0-or-later
/* oomlab compare on real runs: tests/golden/compare/ holds run.json and the
 * cell reports of real runs of tests/golden/compare/matrix.json (k61: the
 * Debian 6.1 kernel, k612: 6.12) and repeat.json (rep61). A test copies a
 * run into its temp dir and edits one figure with jansson. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "reports/compare.h"
#include "golden.h"
#include "runcopy.h"
#include "lib/util.h"

static char tdir[128];

static void setup(void)
{
	snprintf(tdir, sizeof tdir, "/tmp/oomlab-ctest-XXXXXX");
	cr_assert_not_null(mkdtemp(tdir));
}

/* Runs after a failed assertion too (criterion's fini). */
static void teardown(void)
{
	rm_rf(tdir);
}

TestSuite(compare, .init = setup, .fini = teardown);

static char *golden_run(const char *name)
{
	char *rel = xasprintf("compare/%s", name);
	char *p = golden_path(rel);
	free(rel);
	return p;
}

/* Copy golden run `name` to tdir/<as>; returns the new dir (caller frees). */
static char *copy_run(const char *name, const char *as)
{
	char *src = golden_run(name);
	char *dst = run_copy(tdir, src, as);
	free(src);
	return dst;
}

static json_t *cell_of(const char *dir, const char *id)
{
	char *rel = xasprintf("cells/%s.json", id);
	json_t *j = json_in(dir, rel);
	free(rel);
	return j;
}

static void cell_save(const char *dir, const char *id, json_t *j)
{
	char *rel = xasprintf("cells/%s.json", id);
	json_out(dir, rel, j);
	free(rel);
}

static json_t *wl(json_t *cell, size_t i)
{
	json_t *w = json_array_get(json_object_get(cell, "workloads"), i);
	cr_assert_not_null(w);
	return w;
}

struct cmp {
	struct rundir b, n;
	json_t *doc;
};

static void compare_dirs(struct cmp *c, const char *bdir, const char *ndir, double tol)
{
	struct buf err = {0};
	cr_assert_eq(rundir_load(bdir, &c->b, &err), 0, "%s", err.data);
	cr_assert_eq(rundir_load(ndir, &c->n, &err), 0, "%s", err.data);
	struct cmp_opts o = {.tol_pct = tol};
	c->doc = compare_runs(&c->b, &c->n, &o);
	cr_assert_not_null(c->doc);
}

static void cmp_free(struct cmp *c)
{
	json_decref(c->doc);
	rundir_free(&c->b);
	rundir_free(&c->n);
}

static long long summ(struct cmp *c, const char *k)
{
	json_t *v = json_object_get(json_object_get(c->doc, "summary"), k);
	cr_assert(json_is_integer(v), "summary.%s", k);
	return (long long)json_integer_value(v);
}

/* The compared cell named `name` in the document. */
static json_t *dcell(struct cmp *c, const char *name)
{
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(c->doc, "cells"), i, x)
		if (!strcmp(json_string_value(json_object_get(x, "name")), name))
			return x;
	cr_assert_fail("no cell %s in the comparison", name);
	return NULL;
}

static json_t *dwl(struct cmp *c, const char *name, size_t i)
{
	json_t *w = json_array_get(json_object_get(dcell(c, name), "workloads"), i);
	cr_assert_not_null(w, "%s: no workload %zu", name, i);
	return w;
}

static const char *status_of(json_t *j)
{
	return json_string_value(json_object_get(j, "status"));
}

/* ---- identical runs, kernels, order ---- */

Test(compare, identical_runs_no_regression)
{
	char *k61 = golden_run("k61");
	struct cmp c;
	compare_dirs(&c, k61, k61, COMPARE_TOL_PCT);
	cr_assert_eq(summ(&c, "compared"), 3);
	cr_assert_eq(summ(&c, "same"), 3);
	cr_assert_eq(summ(&c, "regressed"), 0);
	cr_assert_eq(summ(&c, "only_base") + summ(&c, "only_new") + summ(&c, "skipped"), 0);
	cr_assert_eq(compare_exit_code(c.doc, 0), 0);
	cr_assert_eq(compare_exit_code(c.doc, 1), 0);
	json_t *t = json_object_get(dwl(&c, "overcommit=0", 1), "time_to_oom_s");
	cr_assert(json_is_number(json_object_get(t, "base")), "touch was OOM-killed: a time to OOM");
	cr_assert(json_number_value(json_object_get(t, "base")) > 0);
	json_t *v = json_object_get(dcell(&c, "overcommit=0"), "victims");
	cr_assert_eq(json_array_size(json_object_get(v, "base")), 2, "alloc and touch were both killed");
	cmp_free(&c);
	free(k61);
}

/* The main use: the same matrix on 6.1 and 6.12 matches cell for cell. */
Test(compare, two_kernels_match_and_real_differences_show)
{
	char *k61 = golden_run("k61"), *k612 = golden_run("k612");
	struct cmp c;
	compare_dirs(&c, k61, k612, COMPARE_TOL_PCT);
	cr_assert_eq(summ(&c, "compared"), 3);
	cr_assert_eq(summ(&c, "only_base") + summ(&c, "only_new"), 0);
	/* captured: touch reached 172 MB on 6.1, 187 MB on 6.12 (+8.8%) */
	json_t *mb = json_object_get(dwl(&c, "overcommit=0", 1), "mb_reached");
	cr_assert(json_is_true(json_object_get(mb, "changed")));
	cr_assert_str_eq(status_of(dwl(&c, "overcommit=0", 1)), "regressed");
	cr_assert_str_eq(status_of(dcell(&c, "ulimit -v 128M")), "same");
	cr_assert_eq(compare_exit_code(c.doc, 0), 1);
	cr_assert_eq(compare_exit_code(c.doc, 1), 1);
	cmp_free(&c);
	/* a wider tolerance accepts the 6.12 figures */
	compare_dirs(&c, k61, k612, 10);
	cr_assert_eq(summ(&c, "regressed"), 0);
	cr_assert_eq(compare_exit_code(c.doc, 0), 0);
	cmp_free(&c);
	free(k61);
	free(k612);
}

Test(compare, key_ignores_kernel_modules_name_and_id)
{
	char *k61 = golden_run("k61"), *k612 = golden_run("k612");
	json_t *a = cell_of(k61, "overcommit-0"), *b = cell_of(k612, "overcommit-0");
	char *ka = compare_cell_key(a), *kb = compare_cell_key(b);
	cr_assert_str_eq(ka, kb);
	json_object_set_new(json_object_get(b, "requested"), "kernel", json_string("/x/bzImage"));
	json_object_set_new(json_object_get(b, "requested"), "modules", json_string("/x/lib/modules/6.13"));
	json_object_set_new(json_object_get(b, "cell"), "id", json_string("other"));
	json_object_set_new(json_object_get(b, "cell"), "name", json_string("other"));
	free(kb);
	kb = compare_cell_key(b);
	cr_assert_str_eq(ka, kb);
	/* a knob or a workload option is part of the key */
	json_object_set_new(json_object_get(b, "requested"), "swappiness", json_integer(10));
	free(kb);
	kb = compare_cell_key(b);
	cr_assert_str_neq(ka, kb);
	json_object_del(json_object_get(b, "requested"), "swappiness");
	json_object_set_new(json_object_get(wl(b, 1), "options"), "block_kb", json_integer(4096));
	free(kb);
	kb = compare_cell_key(b);
	cr_assert_str_neq(ka, kb);
	free(ka);
	free(kb);
	json_decref(a);
	json_decref(b);
	free(k61);
	free(k612);
}

Test(compare, matching_ignores_position_and_ids)
{
	char *base = golden_run("k61");
	char *nw = copy_run("k61", "new");
	json_t *run = json_in(nw, "run.json");
	json_t *cells = json_object_get(run, "cells");
	json_t *rev = json_array();
	for (size_t i = json_array_size(cells); i-- > 0;)
		json_array_append(rev, json_array_get(cells, i));
	json_object_set_new(run, "cells", rev);
	json_out(nw, "run.json", run);
	/* another id and name for one cell: matching is by knobs */
	json_t *c = cell_of(nw, "overcommit-0");
	json_object_set_new(json_object_get(c, "cell"), "id", json_string("renamed"));
	json_object_set_new(json_object_get(c, "cell"), "name", json_string("renamed"));
	json_object_set_new(c, "run_id", json_string("another"));
	cell_save(nw, "overcommit-0", c);
	struct cmp x;
	compare_dirs(&x, base, nw, COMPARE_TOL_PCT);
	cr_assert_eq(summ(&x, "compared"), 3);
	cr_assert_eq(summ(&x, "same"), 3);
	cr_assert_eq(summ(&x, "only_base") + summ(&x, "only_new"), 0);
	cr_assert_str_eq(status_of(dcell(&x, "overcommit=0")), "same");
	cmp_free(&x);
	free(base);
	free(nw);
}

/* ---- the four comparisons ---- */

Test(compare, changed_endpoint_is_a_regression)
{
	char *base = golden_run("k61");
	char *nw = copy_run("k61", "new");
	json_t *c = cell_of(nw, "overcommit-2-ratio-50");
	json_object_set_new(wl(c, 0), "endpoint", json_string("oom_killed"));
	cell_save(nw, "overcommit-2-ratio-50", c);
	struct cmp x;
	compare_dirs(&x, base, nw, COMPARE_TOL_PCT);
	json_t *w = dwl(&x, "overcommit=2 ratio=50", 0);
	json_t *ep = json_object_get(w, "endpoint");
	cr_assert_str_eq(json_string_value(json_object_get(ep, "base")), "enomem");
	cr_assert_str_eq(json_string_value(json_object_get(ep, "new")), "oom_killed");
	cr_assert(json_is_true(json_object_get(ep, "changed")));
	cr_assert_str_eq(status_of(w), "regressed");
	cr_assert_eq(summ(&x, "regressed"), 1);
	cr_assert_eq(summ(&x, "same"), 2);
	cr_assert_eq(compare_exit_code(x.doc, 0), 1);
	cr_assert_eq(compare_exit_code(x.doc, 1), 1);
	cmp_free(&x);
	free(base);
	free(nw);
}

/* Both runs get MB reached b and n in the ulimit cell. */
static void mb_case(double b, double n, double tol, const char *want)
{
	char *bd = copy_run("k61", "base"), *nd = copy_run("k61", "new");
	json_t *c = cell_of(bd, "ulimit-v-128m");
	json_object_set_new(wl(c, 0), "mb_reached", json_real(b));
	cell_save(bd, "ulimit-v-128m", c);
	c = cell_of(nd, "ulimit-v-128m");
	json_object_set_new(wl(c, 0), "mb_reached", json_real(n));
	cell_save(nd, "ulimit-v-128m", c);
	struct cmp x;
	compare_dirs(&x, bd, nd, tol);
	json_t *w = dwl(&x, "ulimit -v 128M", 0);
	cr_assert_str_eq(status_of(w), want, "MB %g -> %g, tolerance %g%%: %s, want %s", b, n, tol,
			 status_of(w), want);
	cr_assert_eq(compare_exit_code(x.doc, 0), !strcmp(want, "regressed"));
	cmp_free(&x);
	rm_rf(bd);
	rm_rf(nd);
	free(bd);
	free(nd);
}

Test(compare, mb_tolerance_edges)
{
	mb_case(100, 104.9, COMPARE_TOL_PCT, "same");
	mb_case(100, 105.0, COMPARE_TOL_PCT, "same"); /* exactly 5%: not beyond */
	mb_case(100, 105.1, COMPARE_TOL_PCT, "regressed");
	mb_case(100, 95.1, COMPARE_TOL_PCT, "same");
	mb_case(100, 94.9, COMPARE_TOL_PCT, "regressed");
	mb_case(100, 107, 8, "same");
	mb_case(100, 100.5, 0, "regressed");
}

/* Repeats widen the tolerance to their spread ((max-min)/mean). */
Test(compare, repeats_spread_widens_tolerance)
{
	char *bd = copy_run("rep61", "base"), *nd = copy_run("k61", "new");
	/* base repeats of the overcommit=2 cell: 90 and 100 MB, mean 95,
	 * spread 10/95 = 10.5% */
	json_t *c = cell_of(bd, "overcommit-2-ratio-50-1");
	json_object_set_new(wl(c, 0), "mb_reached", json_real(90));
	cell_save(bd, "overcommit-2-ratio-50-1", c);
	c = cell_of(bd, "overcommit-2-ratio-50-2");
	json_object_set_new(wl(c, 0), "mb_reached", json_real(100));
	cell_save(bd, "overcommit-2-ratio-50-2", c);
	c = cell_of(nd, "overcommit-2-ratio-50");
	json_object_set_new(wl(c, 0), "mb_reached", json_real(104)); /* +9.5% */
	cell_save(nd, "overcommit-2-ratio-50", c);
	struct cmp x;
	compare_dirs(&x, bd, nd, COMPARE_TOL_PCT);
	json_t *cell = dcell(&x, "overcommit=2 ratio=50 #1");
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(cell, "base"), "repeats")), 2);
	json_t *mb = json_object_get(dwl(&x, "overcommit=2 ratio=50 #1", 0), "mb_reached");
	cr_assert_float_eq(json_number_value(json_object_get(mb, "base")), 95.0, 1e-9);
	cr_assert_float_eq(json_number_value(json_object_get(mb, "tolerance_pct")), 1000.0 / 95, 1e-6);
	cr_assert(json_is_false(json_object_get(mb, "changed")));
	cr_assert_str_eq(status_of(cell), "same");
	/* the three overcommit=0 repeats match the single new cell */
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(dcell(&x, "overcommit=0 #1"), "base"),
							"repeats")),
		     3);
	cr_assert_eq(summ(&x, "compared"), 2);
	cr_assert_eq(summ(&x, "only_new"), 1); /* ulimit is not in repeat.json */
	cmp_free(&x);
	/* beyond the spread */
	c = cell_of(nd, "overcommit-2-ratio-50");
	json_object_set_new(wl(c, 0), "mb_reached", json_real(106)); /* +11.6% */
	cell_save(nd, "overcommit-2-ratio-50", c);
	compare_dirs(&x, bd, nd, COMPARE_TOL_PCT);
	cr_assert_str_eq(status_of(dcell(&x, "overcommit=2 ratio=50 #1")), "regressed");
	cr_assert_eq(compare_exit_code(x.doc, 0), 1);
	cmp_free(&x);
	free(bd);
	free(nd);
}

Test(compare, flaky_repeats_keep_the_common_endpoint)
{
	char *bd = golden_run("rep61"), *nd = copy_run("rep61", "new");
	json_t *c = cell_of(nd, "overcommit-0-2");
	json_object_set_new(wl(c, 1), "endpoint", json_string("killed"));
	cell_save(nd, "overcommit-0-2", c);
	struct cmp x;
	compare_dirs(&x, bd, nd, COMPARE_TOL_PCT);
	json_t *ep = json_object_get(dwl(&x, "overcommit=0 #1", 1), "endpoint");
	cr_assert_str_eq(json_string_value(json_object_get(ep, "new")), "oom_killed");
	cr_assert(json_is_true(json_object_get(ep, "new_flaky")));
	cr_assert(json_is_false(json_object_get(ep, "base_flaky")));
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(ep, "new_counts"), "killed")), 1);
	cr_assert_str_eq(status_of(dwl(&x, "overcommit=0 #1", 1)), "changed");
	cr_assert_eq(summ(&x, "regressed"), 0);
	cr_assert_eq(compare_exit_code(x.doc, 0), 0);
	cmp_free(&x);
	free(bd);
	free(nd);
}

Test(compare, victim_change_is_a_regression)
{
	char *base = golden_run("k61");
	char *nw = copy_run("k61", "new");
	json_t *c = cell_of(nw, "overcommit-0");
	/* touch no longer named by an OOM report */
	json_t *t = wl(c, 1);
	size_t ev = (size_t)json_integer_value(json_object_get(t, "oom_event"));
	json_object_set_new(t, "oom_event", json_null());
	json_object_set_new(json_array_get(json_object_get(c, "oom_events"), ev), "victim_pid",
			    json_integer(4242));
	cell_save(nw, "overcommit-0", c);
	struct cmp x;
	compare_dirs(&x, base, nw, COMPARE_TOL_PCT);
	json_t *w = dwl(&x, "overcommit=0", 1);
	json_t *v = json_object_get(w, "victim");
	cr_assert(json_is_true(json_object_get(v, "base")));
	cr_assert(json_is_false(json_object_get(v, "new")));
	cr_assert_str_eq(status_of(w), "regressed");
	cr_assert_str_eq(status_of(dwl(&x, "overcommit=0", 0)), "same");
	json_t *vs = json_object_get(dcell(&x, "overcommit=0"), "victims");
	cr_assert(json_is_true(json_object_get(vs, "changed")));
	cr_assert_eq(json_array_size(json_object_get(vs, "new")), 1);
	cr_assert_eq(compare_exit_code(x.doc, 0), 1);
	cmp_free(&x);
	free(base);
	free(nw);
}

/* A victim found by pid alone (oom_event null) still counts. */
Test(compare, victim_by_pid)
{
	char *base = golden_run("k61");
	char *nw = copy_run("k61", "new");
	json_t *c = cell_of(nw, "overcommit-0");
	json_object_set_new(wl(c, 0), "oom_event", json_null());
	cell_save(nw, "overcommit-0", c);
	struct cmp x;
	compare_dirs(&x, base, nw, COMPARE_TOL_PCT);
	cr_assert_str_eq(status_of(dcell(&x, "overcommit=0")), "same");
	cmp_free(&x);
	free(base);
	free(nw);
}

Test(compare, time_to_oom_changes_but_never_regresses)
{
	char *base = golden_run("k61");
	char *nw = copy_run("k61", "new");
	json_t *c = cell_of(nw, "overcommit-0");
	json_t *w = wl(c, 1);
	json_t *e = json_array_get(json_object_get(c, "oom_events"),
				   (size_t)json_integer_value(json_object_get(w, "oom_event")));
	json_int_t spawn = json_integer_value(json_object_get(w, "t_spawn_us"));
	json_int_t t = json_integer_value(json_object_get(e, "t_us"));
	json_object_set_new(e, "t_us", json_integer(spawn + 2 * (t - spawn)));
	cell_save(nw, "overcommit-0", c);
	struct cmp x;
	compare_dirs(&x, base, nw, COMPARE_TOL_PCT);
	json_t *tt = json_object_get(dwl(&x, "overcommit=0", 1), "time_to_oom_s");
	cr_assert_float_eq(json_number_value(json_object_get(tt, "delta_pct")), 100.0, 1e-6);
	cr_assert(json_is_true(json_object_get(tt, "changed")));
	cr_assert_float_eq(json_number_value(json_object_get(tt, "tolerance_pct")), COMPARE_TIME_TOL_PCT, 1e-9);
	cr_assert_str_eq(status_of(dwl(&x, "overcommit=0", 1)), "changed");
	cr_assert_eq(summ(&x, "changed"), 1);
	cr_assert_eq(summ(&x, "regressed"), 0);
	cr_assert_eq(compare_exit_code(x.doc, 0), 0);
	cr_assert_eq(compare_exit_code(x.doc, 1), 0);
	cmp_free(&x);
	free(base);
	free(nw);
}

/* ---- cells on one side, BROK ---- */

Test(compare, only_in_one_side_is_listed_not_a_regression)
{
	char *base = golden_run("k61");
	char *nw = copy_run("k61", "new");
	json_t *run = json_in(nw, "run.json");
	json_array_remove(json_object_get(run, "cells"), 2); /* ulimit */
	json_out(nw, "run.json", run);
	struct cmp x;
	compare_dirs(&x, base, nw, COMPARE_TOL_PCT);
	cr_assert_eq(summ(&x, "only_base"), 1);
	cr_assert_eq(summ(&x, "compared"), 2);
	cr_assert_str_eq(status_of(dcell(&x, "ulimit -v 128M")), "only_base");
	cr_assert_eq(compare_exit_code(x.doc, 0), 0);
	cr_assert_eq(compare_exit_code(x.doc, 1), EXIT_BISECT_SKIP, "a base cell missing from the new run");
	cmp_free(&x);
	compare_dirs(&x, nw, base, COMPARE_TOL_PCT);
	cr_assert_eq(summ(&x, "only_new"), 1);
	cr_assert_str_eq(status_of(dcell(&x, "ulimit -v 128M")), "only_new");
	cr_assert_eq(compare_exit_code(x.doc, 1), 0, "a new cell the base lacks does not stop a bisect");
	cmp_free(&x);
	free(base);
	free(nw);
}

static void set_brok(const char *dir, const char *id)
{
	json_t *c = cell_of(dir, id);
	json_object_set_new(c, "verdict", json_string("BROK"));
	json_object_set_new(c, "status", json_string("vm_lost"));
	cell_save(dir, id, c);
}

Test(compare, brok_cell_is_skipped_and_bisect_skips)
{
	char *base = golden_run("k61");
	char *nw = copy_run("k61", "new");
	set_brok(nw, "overcommit-0");
	json_t *c = cell_of(nw, "overcommit-0"); /* what it holds must not matter */
	json_object_set_new(wl(c, 0), "endpoint", json_string("vm_lost"));
	cell_save(nw, "overcommit-0", c);
	struct cmp x;
	compare_dirs(&x, base, nw, COMPARE_TOL_PCT);
	json_t *cell = dcell(&x, "overcommit=0");
	cr_assert_str_eq(status_of(cell), "skipped");
	cr_assert_str_eq(json_string_value(json_object_get(cell, "reason")), "BROK in new");
	cr_assert_eq(summ(&x, "skipped"), 1);
	cr_assert_eq(summ(&x, "compared"), 2);
	cr_assert_eq(summ(&x, "regressed"), 0);
	cr_assert_eq(compare_exit_code(x.doc, 0), 0);
	cr_assert_eq(compare_exit_code(x.doc, 1), EXIT_BISECT_SKIP);
	cmp_free(&x);
	/* a regression elsewhere is still "bad" */
	c = cell_of(nw, "ulimit-v-128m");
	json_object_set_new(wl(c, 0), "endpoint", json_string("oom_killed"));
	cell_save(nw, "ulimit-v-128m", c);
	compare_dirs(&x, base, nw, COMPARE_TOL_PCT);
	cr_assert_eq(compare_exit_code(x.doc, 1), 1);
	cmp_free(&x);
	/* everything BROK: nothing compared */
	set_brok(nw, "ulimit-v-128m");
	set_brok(nw, "overcommit-2-ratio-50");
	compare_dirs(&x, base, nw, COMPARE_TOL_PCT);
	cr_assert_eq(summ(&x, "compared"), 0);
	cr_assert_eq(summ(&x, "skipped"), 3);
	cr_assert_eq(compare_exit_code(x.doc, 0), EXIT_BROK);
	cr_assert_eq(compare_exit_code(x.doc, 1), EXIT_BISECT_SKIP);
	cmp_free(&x);
	free(base);
	free(nw);
}

Test(compare, brok_in_base_only_skips_that_cell)
{
	char *bd = copy_run("k61", "base");
	char *nw = golden_run("k61");
	set_brok(bd, "overcommit-0");
	struct cmp x;
	compare_dirs(&x, bd, nw, COMPARE_TOL_PCT);
	cr_assert_str_eq(json_string_value(json_object_get(dcell(&x, "overcommit=0"), "reason")), "BROK in base");
	cr_assert_eq(compare_exit_code(x.doc, 0), 0);
	cr_assert_eq(compare_exit_code(x.doc, 1), 0, "the new run is whole: good");
	cmp_free(&x);
	free(bd);
	free(nw);
}

Test(compare, brok_repeat_is_left_out)
{
	char *bd = golden_run("rep61"), *nd = copy_run("rep61", "new");
	set_brok(nd, "overcommit-0-3");
	struct cmp x;
	compare_dirs(&x, bd, nd, COMPARE_TOL_PCT);
	json_t *cell = dcell(&x, "overcommit=0 #1");
	cr_assert_str_eq(status_of(cell), "same");
	cr_assert_eq(json_array_size(json_object_get(cell, "notes")), 1);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(dwl(&x, "overcommit=0 #1", 0), "victim"),
							"new_killed")),
		     2);
	cr_assert_eq(compare_exit_code(x.doc, 1), EXIT_BISECT_SKIP);
	cmp_free(&x);
	free(bd);
	free(nd);
}

Test(compare, no_cell_in_common_is_an_input_error)
{
	char *base = golden_run("k61");
	char *nw = copy_run("k61", "new");
	json_t *c = cell_of(nw, "overcommit-0");
	json_object_set_new(json_object_get(c, "requested"), "swappiness", json_integer(1));
	cell_save(nw, "overcommit-0", c);
	json_t *run = json_in(nw, "run.json");
	while (json_array_size(json_object_get(run, "cells")) > 1)
		json_array_remove(json_object_get(run, "cells"), 1);
	json_out(nw, "run.json", run);
	struct cmp x;
	compare_dirs(&x, base, nw, COMPARE_TOL_PCT);
	cr_assert_eq(summ(&x, "compared"), 0);
	cr_assert_eq(compare_exit_code(x.doc, 0), EXIT_USAGE);
	cr_assert_eq(compare_exit_code(x.doc, 1), EXIT_BISECT_SKIP);
	cmp_free(&x);
	free(base);
	free(nw);
}

/* A run holding the same cell on two kernels: matched by kernel too. */
Test(compare, same_cell_on_two_kernels_in_one_run)
{
	char *both = copy_run("k61", "both");
	char *k612 = golden_run("k612");
	json_t *run = json_in(both, "run.json");
	json_t *r612 = json_in(k612, "run.json");
	size_t i;
	json_t *row;
	json_array_foreach(json_object_get(r612, "cells"), i, row) {
		const char *id = json_string_value(json_object_get(row, "id"));
		char *nid = xasprintf("%s-612", id);
		json_t *c = cell_of(k612, id);
		cell_save(both, nid, c);
		json_t *r = json_deep_copy(row);
		json_object_set_new(r, "file", json_sprintf("cells/%s.json", nid));
		json_array_append_new(json_object_get(run, "cells"), r);
		free(nid);
	}
	json_decref(r612);
	json_out(both, "run.json", run);
	struct cmp x;
	compare_dirs(&x, both, both, COMPARE_TOL_PCT);
	cr_assert_eq(summ(&x, "compared"), 6, "not 3 cells with two repeats each");
	cr_assert_eq(summ(&x, "same"), 6);
	json_t *key = json_object_get(dcell(&x, "overcommit=0"), "key");
	cr_assert_str_eq(json_string_value(json_object_get(key, "kernel")), "6.1.0-56-amd64");
	cr_assert(json_is_object(json_object_get(key, "knobs")));
	cmp_free(&x);
	char *k61 = golden_run("k61");
	compare_dirs(&x, k61, both, COMPARE_TOL_PCT);
	cr_assert_eq(summ(&x, "compared"), 3);
	cr_assert_eq(summ(&x, "same"), 3, "6.1 matched 6.1");
	cr_assert_eq(summ(&x, "only_new"), 3);
	cmp_free(&x);
	free(k61);
	free(both);
	free(k612);
}

Test(compare, skip_on_one_side_is_a_change)
{
	char *base = golden_run("k61");
	char *nw = copy_run("k61", "new");
	json_t *c = cell_of(nw, "ulimit-v-128m");
	json_object_set_new(c, "verdict", json_string("SKIP"));
	cell_save(nw, "ulimit-v-128m", c);
	struct cmp x;
	compare_dirs(&x, base, nw, COMPARE_TOL_PCT);
	json_t *cell = dcell(&x, "ulimit -v 128M");
	cr_assert_str_eq(status_of(cell), "changed");
	cr_assert_eq(json_array_size(json_object_get(cell, "notes")), 1);
	cr_assert_eq(summ(&x, "new_skip"), 1);
	cr_assert_eq(compare_exit_code(x.doc, 0), 0);
	cr_assert_eq(compare_exit_code(x.doc, 1), EXIT_BISECT_SKIP);
	cmp_free(&x);
	free(base);
	free(nw);
}

/* Each table row carries its own workload's status. */
Test(compare, table_rows_have_their_own_status)
{
	char *base = golden_run("k61");
	char *nw = copy_run("k61", "new");
	json_t *c = cell_of(nw, "overcommit-0");
	json_object_set_new(wl(c, 1), "endpoint", json_string("killed"));
	cell_save(nw, "overcommit-0", c);
	struct cmp x;
	compare_dirs(&x, base, nw, COMPARE_TOL_PCT);
	char *p = xasprintf("%s/table", tdir);
	FILE *f = fopen(p, "w");
	cr_assert_not_null(f);
	compare_print(f, x.doc, 0);
	fclose(f);
	char *t;
	size_t n;
	cr_assert_eq(read_file(p, &t, &n), 0);
	char *l1 = strstr(t, "\novercommit=0 "), *l2 = l1 ? strchr(l1 + 1, '\n') : NULL;
	cr_assert(l1 && l2, "%s", t);
	char *l3 = strchr(l2 + 1, '\n');
	cr_assert_not_null(l3);
	*l2 = *l3 = 0;
	cr_assert(strstr(l1, "alloc") && strstr(l1, " same"), "alloc row: %s", l1);
	cr_assert(strstr(l2 + 1, "touch") && strstr(l2 + 1, "oom_killed -> killed") && strstr(l2 + 1, "REGRESSED"),
		  "touch row: %s", l2 + 1);
	free(t);
	free(p);
	cmp_free(&x);
	free(base);
	free(nw);
}

/* ---- loading ---- */

static void load_fails(const char *dir, const char *needle)
{
	struct rundir r;
	struct buf err = {0};
	cr_assert_eq(rundir_load(dir, &r, &err), -1, "%s loaded", dir);
	cr_assert_not_null(err.data);
	cr_assert(strstr(err.data, needle), "message \"%s\" does not name %s", err.data, needle);
	buf_free(&err);
	rundir_free(&r);
	rundir_free(&r);
}

Test(compare, bad_input_names_the_file)
{
	char *missing = xasprintf("%s/nope", tdir);
	load_fails(missing, missing);
	free(missing);
	char *nw = copy_run("k61", "new");
	char *p = xasprintf("%s/cells/overcommit-0.json", nw);
	cr_assert_eq(write_file_atomic(p, "{\"format\": \"oomlab-cell/1\",", strlen("{\"format\": \"oomlab-cell/1\",")), 0);
	load_fails(nw, p);
	cr_assert_eq(write_file_atomic(p, "{\"format\": \"other/1\"}", strlen("{\"format\": \"other/1\"}")), 0);
	load_fails(nw, p);
	cr_assert_eq(write_file_atomic(p, "{\"format\": \"oomlab-cell/1\"}", strlen("{\"format\": \"oomlab-cell/1\"}")), 0);
	load_fails(nw, p);
	unlink(p);
	load_fails(nw, p);
	free(p);
	p = xasprintf("%s/run.json", nw);
	cr_assert_eq(write_file_atomic(p, "[]", strlen("[]")), 0);
	load_fails(nw, p);
	json_t *run = json_pack("{s:s,s:[{s:s}]}", "format", "oomlab-run/1", "cells", "file", "../../etc/passwd");
	json_out(nw, "run.json", run);
	load_fails(nw, "cells[0].file");
	free(p);
	free(nw);
}

/* ---- the command ---- */

static int run_cmd(int argc, char **argv)
{
	return cmd_compare(argc, argv);
}

Test(compare, cli_exit_codes)
{
	cr_redirect_stdout();
	cr_redirect_stderr();
	char *k61 = golden_run("k61"), *k612 = golden_run("k612");
	char *missing = xasprintf("%s/nope", tdir);
	char *a1[] = {"compare", k61, k61, NULL};
	cr_assert_eq(run_cmd(3, a1), 0);
	char *a2[] = {"compare", k61, k612, NULL};
	cr_assert_eq(run_cmd(3, a2), 1);
	char *a3[] = {"compare", "--tolerance", "10", "--json", k61, k612, NULL};
	cr_assert_eq(run_cmd(6, a3), 0);
	char *a4[] = {"compare", k61, missing, NULL};
	cr_assert_eq(run_cmd(3, a4), EXIT_USAGE);
	char *a5[] = {"compare", "--bisect", k61, missing, NULL};
	cr_assert_eq(run_cmd(4, a5), EXIT_BISECT_SKIP, "new run unusable: skip the commit");
	char *a6[] = {"compare", "--bisect", missing, k61, NULL};
	cr_assert_eq(run_cmd(4, a6), EXIT_BISECT_ABORT, "base run unusable: stop the bisect");
	char *a7[] = {"compare", "--bisect", "--tolerance", "x", k61, k61, NULL};
	cr_assert_eq(run_cmd(6, a7), EXIT_BISECT_ABORT);
	char *a8[] = {"compare", "--tolerance", "-1", k61, k61, NULL};
	cr_assert_eq(run_cmd(5, a8), EXIT_USAGE);
	char *a9[] = {"compare", k61, NULL};
	cr_assert_eq(run_cmd(2, a9), EXIT_USAGE);
	char *a10[] = {"compare", "--bisect", k61, k612, NULL};
	cr_assert_eq(run_cmd(4, a10), 1);
	char *a11[] = {"compare", "--help", NULL};
	cr_assert_eq(run_cmd(2, a11), 0);
	free(k61);
	free(k612);
	free(missing);
}

Test(compare, table_and_json_output)
{
	char *k61 = golden_run("k61"), *k612 = golden_run("k612");
	struct cmp x;
	compare_dirs(&x, k61, k612, COMPARE_TOL_PCT);
	char *p = xasprintf("%s/table", tdir);
	FILE *f = fopen(p, "w");
	cr_assert_not_null(f);
	compare_print(f, x.doc, 0);
	fclose(f);
	char *t;
	size_t n;
	cr_assert_eq(read_file(p, &t, &n), 0);
	cr_assert(strstr(t, "REGRESSED"), "%s", t);
	cr_assert(strstr(t, "oom_killed"), "%s", t);
	cr_assert(strstr(t, "3 compared: 1 regressed, 0 changed, 2 same"), "%s", t);
	cr_assert_null(strstr(t, "\033["), "no colour when not asked");
	free(t);
	free(p);
	cr_assert_str_eq(json_string_value(json_object_get(x.doc, "format")), COMPARE_FORMAT);
	cr_assert_eq(json_integer_value(json_object_get(x.doc, "exit_code")), 1);
	cmp_free(&x);
	free(k61);
	free(k612);
}

/* The statuses of a comparison, one row each: the word of the document
 * (and its summary key), the table's word and colour, whether the cell's
 * workloads were compared, the HTML class beside its heading. */
Test(compare, status_table_rows)
{
	static const struct {
		enum cmp_status s;
		const char *word, *shown, *ansi;
		int compared;
		const char *html_class;
	} want[] = {
		{CMP_SAME, "same", "same", "\033[32m", 1, "note"},
		{CMP_CHANGED, "changed", "CHANGED", "\033[33m", 1, "note"},
		{CMP_REGRESSED, "regressed", "REGRESSED", "\033[31m", 1, "warn"},
		{CMP_ONLY_BASE, "only_base", "only in base", "\033[36m", 0, "note"},
		{CMP_ONLY_NEW, "only_new", "only in new", "\033[36m", 0, "note"},
		{CMP_SKIPPED, "skipped", "skipped", "\033[35m", 0, "note"},
	};
	cr_assert_eq(CMP_STATUS_COUNT, sizeof want / sizeof want[0]);
	/* ranked: a cell takes its most changed workload's status */
	cr_expect(CMP_SAME < CMP_CHANGED && CMP_CHANGED < CMP_REGRESSED);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const struct cmp_status_row *r = &cmp_status_table[want[i].s];
		cr_expect_eq(r->status, want[i].s, "%s", want[i].word);
		cr_expect_str_eq(r->word, want[i].word);
		cr_expect_str_eq(r->shown, want[i].shown, "%s", want[i].word);
		cr_expect_str_eq(r->ansi, want[i].ansi, "%s", want[i].word);
		cr_expect_eq(r->compared, want[i].compared, "%s", want[i].word);
		cr_expect_str_eq(r->html_class, want[i].html_class, "%s", want[i].word);
		cr_expect_eq(cmp_status_find(want[i].word), r, "%s", want[i].word);
	}
	cr_expect_null(cmp_status_find(NULL));
	cr_expect_null(cmp_status_find("SAME"));
	cr_expect_null(cmp_status_find("only in base"));
}
