// SPDX-License-Identifier: GPL-2.0-or-later
/* The tests of oomlab compare on real runs with repeats:
 * tests/golden/runs/touch61a and touch61b are two runs of the same
 * one-cell matrix (touch in 256 MiB, no swap, repeat 5) on Debian's 6.1,
 * touch612 the same on 6.12 (tests/golden/runs/README.md). The expected
 * p-values were computed apart from GSL, from the values in the cell
 * reports: Welch's p by integrating Student's t density numerically
 * (Python, Simpson's rule), Mann-Whitney's exact p by enumerating the 252
 * ways to split the 10 values into two groups of 5. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "reports/compare.h"
#include "reports/compare_stats.h"
#include "golden.h"
#include "runcopy.h"
#include "lib/util.h"

static char tdir[128];

static void setup(void)
{
	snprintf(tdir, sizeof tdir, "/tmp/oomlab-cstest-XXXXXX");
	cr_assert_not_null(mkdtemp(tdir));
}

static void teardown(void)
{
	rm_rf(tdir);
}

TestSuite(compare_stats, .init = setup, .fini = teardown);

struct cmp {
	struct rundir b, n;
	json_t *doc;
};

static char *run_path(const char *name)
{
	char *rel = xasprintf("runs/%s", name);
	char *p = golden_path(rel);
	free(rel);
	return p;
}

static void compare_dirs(struct cmp *c, const char *bdir, const char *ndir, const struct cmp_opts *o)
{
	struct buf err = {0};
	cr_assert_eq(rundir_load(bdir, &c->b, &err), 0, "%s", err.data);
	cr_assert_eq(rundir_load(ndir, &c->n, &err), 0, "%s", err.data);
	c->doc = compare_runs(&c->b, &c->n, o);
	cr_assert_not_null(c->doc);
}

static void compare_golden(struct cmp *c, const char *b, const char *n, const struct cmp_opts *o)
{
	char *bd = run_path(b), *nd = run_path(n);
	compare_dirs(c, bd, nd, o);
	free(bd);
	free(nd);
}

static void cmp_free(struct cmp *c)
{
	json_decref(c->doc);
	rundir_free(&c->b);
	rundir_free(&c->n);
}

static json_t *cell0(struct cmp *c)
{
	json_t *x = json_array_get(json_object_get(c->doc, "cells"), 0);
	cr_assert_not_null(x);
	return x;
}

/* The figure of that name in the first cell's statistics. */
static json_t *fig(struct cmp *c, const char *name)
{
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(json_object_get(cell0(c), "statistics"), "figures"), i, f)
		if (!strcmp(json_string_value(json_object_get(f, "figure")), name))
			return f;
	cr_assert_fail("no figure %s", name);
	return NULL;
}

static double fnum(json_t *f, const char *k)
{
	json_t *v = json_object_get(f, k);
	cr_assert(json_is_number(v), "%s is not a number", k);
	return json_number_value(v);
}

static const char *verdict(json_t *f)
{
	return json_string_value(json_object_get(f, "verdict"));
}

static long long stat_of(struct cmp *c, const char *k)
{
	return (long long)json_integer_value(json_object_get(json_object_get(c->doc, "statistics"), k));
}

/* 6.1 against 6.1: nothing flagged. Four figures vary (time to OOM, peak
 * RSS, PSI some and full); MB reached is 176.688 in all ten repeats. */
Test(compare_stats, same_kernel_flags_nothing)
{
	struct cmp c;
	compare_golden(&c, "touch61a", "touch61b", &(struct cmp_opts){.tol_pct = COMPARE_TOL_PCT});
	cr_assert_str_eq(json_string_value(json_object_get(cell0(&c), "status")), "same");
	cr_assert_eq(compare_exit_code(c.doc, 0), 0);
	cr_assert_eq(compare_exit_code(c.doc, 1), 0); /* a bisect calls it good */
	cr_assert_eq(stat_of(&c, "tests"), 4);
	cr_assert_eq(stat_of(&c, "cells"), 1);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(cell0(&c), "statistics"), "decided_by")),
			 "statistics");
	json_t *t = fig(&c, "time_to_oom_s");
	cr_assert_float_eq(fnum(json_object_get(t, "base"), "mean"), 1.9071866, 1e-9);
	cr_assert_float_eq(fnum(json_object_get(t, "new"), "mean"), 1.2231924, 1e-9);
	cr_assert_float_eq(fnum(t, "p_welch"), 0.30287942694, 1e-9);
	cr_assert_float_eq(fnum(t, "df"), 6.96074650474, 1e-9);
	cr_assert_float_eq(fnum(t, "p_mann_whitney"), 78.0 / 252.0, 1e-12);
	cr_assert(json_is_true(json_object_get(t, "mann_whitney_exact")));
	cr_assert(json_is_true(json_object_get(t, "noisy"))); /* TCG */
	cr_assert_float_eq(fnum(t, "p_adjusted"), 1.0, 1e-12);
	cr_assert_str_eq(verdict(t), "same");
	json_t *mb = fig(&c, "mb_reached");
	cr_assert(json_is_null(json_object_get(mb, "p_welch"))); /* equal everywhere: no test */
	cr_assert_str_eq(verdict(mb), "same");
	/* PSI some over the cell: the last some_total_us sampled less the
	 * first, per repeat (read off the reports with Python) */
	json_t *psi = fig(&c, "psi_some_s");
	static const double some_a[] = {0.032275, 0.088775, 0.021142, 0.142803, 0.315636};
	for (size_t i = 0; i < 5; i++)
		cr_assert_float_eq(json_number_value(json_array_get(json_object_get(json_object_get(psi, "base"), "values"), i)),
				   some_a[i], 1e-12);
	cr_assert_float_eq(fnum(json_object_get(psi, "new"), "mean"), 0.0576816, 1e-12);
	json_t *ep = fig(&c, "endpoint");
	cr_assert_str_eq(json_string_value(json_object_get(ep, "value")), "oom_killed");
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(ep, "new"), "k")), 5);
	cr_assert(json_is_null(json_object_get(ep, "p_fisher")));
	cmp_free(&c);
}

/* 6.1 against 6.12: MB reached and peak RSS regress (touch reaches
 * 176.688 MB in every 6.1 repeat, 188.734 in four 6.12 repeats and 186.727
 * in one: t = 29.01, df = 4 as the 6.1 side does not vary); time to OOM
 * and PSI do not move beyond their noise. Holm over 5 tests: the smallest
 * p (peak RSS, 2.398e-06) times 5, MB reached's times 4. */
Test(compare_stats, kernels_flag_mb_reached_and_peak_rss)
{
	struct cmp c;
	compare_golden(&c, "touch61a", "touch612", &(struct cmp_opts){.tol_pct = COMPARE_TOL_PCT});
	cr_assert_str_eq(json_string_value(json_object_get(cell0(&c), "status")), "regressed");
	cr_assert_eq(compare_exit_code(c.doc, 0), 1);
	cr_assert_eq(compare_exit_code(c.doc, 1), 1);
	cr_assert_eq(stat_of(&c, "tests"), 5);
	json_t *mb = fig(&c, "mb_reached");
	cr_assert_float_eq(fnum(mb, "difference"), 11.6446, 1e-9);
	cr_assert_float_eq(fnum(mb, "t"), 29.0099651221, 1e-8);
	cr_assert_float_eq(fnum(mb, "df"), 4.0, 1e-9);
	cr_assert_float_eq(fnum(mb, "p_welch"), 8.404849017e-06, 1e-14);
	cr_assert_float_eq(fnum(mb, "p_adjusted"), 4 * 8.404849017e-06, 4e-14);
	cr_assert_float_eq(json_number_value(json_array_get(json_object_get(mb, "ci95"), 0)), 10.53013493, 1e-8);
	cr_assert_float_eq(json_number_value(json_array_get(json_object_get(mb, "ci95"), 1)), 12.75906507, 1e-8);
	cr_assert(json_is_false(json_object_get(mb, "mann_whitney_exact"))); /* ties: 6.1's five 176.688 */
	cr_assert_str_eq(verdict(mb), "regressed");
	json_t *rss = fig(&c, "peak_rss_mb");
	cr_assert_float_eq(fnum(rss, "p_adjusted"), 5 * 2.397953579e-06, 5e-14);
	cr_assert_str_eq(verdict(rss), "regressed");
	json_t *t = fig(&c, "time_to_oom_s");
	cr_assert_float_eq(fnum(t, "p_welch"), 0.6930353847, 1e-9);
	cr_assert_str_eq(verdict(t), "same");
	json_t *w = json_array_get(json_object_get(cell0(&c), "workloads"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(w, "status")), "regressed");
	cr_assert_eq(json_array_size(json_object_get(w, "reasons")), 2);
	cmp_free(&c);
}

/* Both conditions: significant after the correction AND beyond the
 * tolerance. A stricter alpha makes the 6.12 change not significant; a
 * wider tolerance makes it not large enough; --tolerance-only decides by
 * the tolerance alone (regressed, with no statistics in the document). */
Test(compare_stats, significant_and_beyond_tolerance)
{
	struct cmp c;
	compare_golden(&c, "touch61a", "touch612", &(struct cmp_opts){.tol_pct = COMPARE_TOL_PCT, .alpha = 1e-5});
	cr_assert_str_eq(verdict(fig(&c, "mb_reached")), "same");
	cr_assert_str_eq(verdict(fig(&c, "peak_rss_mb")), "same");
	cr_assert_eq(compare_exit_code(c.doc, 0), 0);
	cmp_free(&c);
	compare_golden(&c, "touch61a", "touch612", &(struct cmp_opts){.tol_pct = 10});
	cr_assert(json_is_true(json_object_get(fig(&c, "mb_reached"), "significant")));
	cr_assert(json_is_false(json_object_get(fig(&c, "mb_reached"), "beyond_tolerance")));
	cr_assert_str_eq(verdict(fig(&c, "mb_reached")), "same");
	cr_assert_eq(compare_exit_code(c.doc, 0), 0);
	cmp_free(&c);
	compare_golden(&c, "touch61a", "touch612",
		       &(struct cmp_opts){.tol_pct = COMPARE_TOL_PCT, .alpha = 1e-5, .tolerance_only = 1});
	cr_assert_null(json_object_get(c.doc, "statistics"));
	cr_assert_null(json_object_get(cell0(&c), "statistics"));
	cr_assert_eq(compare_exit_code(c.doc, 0), 1);
	cmp_free(&c);
}

/* Fewer repeats than --min-repeats: every figure says so and the tolerance
 * rule decides the cell (here: regressed, MB reached +6.6%). */
Test(compare_stats, not_enough_repeats)
{
	struct cmp c;
	compare_golden(&c, "touch61a", "touch612",
		       &(struct cmp_opts){.tol_pct = COMPARE_TOL_PCT, .min_repeats = 6});
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(cell0(&c), "statistics"), "decided_by")),
			 "tolerance");
	cr_assert_str_eq(verdict(fig(&c, "mb_reached")), "not_enough_repeats");
	cr_assert_str_eq(verdict(fig(&c, "endpoint")), "not_enough_repeats");
	cr_assert_null(json_object_get(fig(&c, "mb_reached"), "p_welch"));
	cr_assert_eq(stat_of(&c, "tests"), 0);
	cr_assert_eq(stat_of(&c, "cells"), 0);
	cr_assert_eq(compare_exit_code(c.doc, 0), 1);
	cmp_free(&c);
}

/* Time to OOM under TCG never decides a regression: 10 s longer in every
 * new repeat is significant and beyond 25%, but only CHANGED; the same
 * runs marked kvm regress. */
static void shift_time(const char *dir, json_int_t us, const char *accel)
{
	for (int r = 1; r <= 5; r++) {
		char *rel = xasprintf("cells/touch-r%d.json", r);
		json_t *c = json_in(dir, rel);
		json_t *w = json_array_get(json_object_get(c, "workloads"), 0);
		json_t *e = compare_victim_event(c, w);
		cr_assert_not_null(e);
		json_int_t ts = json_integer_value(json_object_get(w, "t_spawn_us"));
		json_int_t tu = json_integer_value(json_object_get(e, "t_us"));
		cr_assert_geq(tu, ts);
		json_object_set_new(e, "t_us", json_integer(tu + us));
		json_object_set_new(json_object_get(c, "vm"), "accel", json_string(accel));
		json_out(dir, rel, c);
		free(rel);
	}
}

Test(compare_stats, tcg_timings_are_noisy)
{
	char *src = run_path("touch61a");
	char *bd = run_copy(tdir, src, "base"), *nd = run_copy(tdir, src, "new");
	struct cmp c;
	shift_time(nd, 10000000, "tcg");
	compare_dirs(&c, bd, nd, &(struct cmp_opts){.tol_pct = COMPARE_TOL_PCT});
	json_t *t = fig(&c, "time_to_oom_s");
	cr_assert(json_is_true(json_object_get(t, "significant")));
	cr_assert(json_is_true(json_object_get(t, "noisy")));
	cr_assert_str_eq(verdict(t), "changed");
	cr_assert_str_eq(json_string_value(json_object_get(cell0(&c), "status")), "changed");
	cr_assert_eq(compare_exit_code(c.doc, 0), 0);
	cmp_free(&c);
	shift_time(bd, 0, "kvm");
	shift_time(nd, 0, "kvm");
	compare_dirs(&c, bd, nd, &(struct cmp_opts){.tol_pct = COMPARE_TOL_PCT});
	t = fig(&c, "time_to_oom_s");
	cr_assert(json_is_false(json_object_get(t, "noisy")));
	cr_assert_str_eq(verdict(t), "regressed");
	cr_assert_eq(compare_exit_code(c.doc, 0), 1);
	cmp_free(&c);
	free(src);
	free(bd);
	free(nd);
}

/* Memory cgroups: each group's memory.events counters (and memory.stat,
 * peak, PSI) are figures of the cell. Added by hand to copies of the 6.1
 * runs: "app" has memory.events high 100, 110, 105, 95, 102 in the base
 * repeats and 200, 210, 190, 205, 198 in the new (Welch t = 23.394,
 * df = 7.3816, p = 3.4039e-08 by numerical integration apart from GSL),
 * and oom_kill 0 in every base repeat, 1 in every new one (no spread on
 * either side: p 0). */
static void add_group(const char *dir, const int *high, int oom_kill)
{
	for (int r = 1; r <= 5; r++) {
		char *rel = xasprintf("cells/touch-r%d.json", r);
		json_t *c = json_in(dir, rel);
		json_t *g = json_pack("{s:{s:i,s:i},s:I,s:{s:{s:I},s:{s:{s:I},s:{s:I}}},s:{s:{s:I},s:{s:{s:I},s:{s:I}}}}",
				      "events", "high", high[r - 1], "oom_kill", oom_kill, "peak",
				      (json_int_t)64 << 20, "start", "stat", "pgscan", (json_int_t)0, "pressure", "some",
				      "total_us", (json_int_t)0, "full", "total_us", (json_int_t)0, "end", "stat",
				      "pgscan", (json_int_t)0, "pressure", "some", "total_us", (json_int_t)0, "full",
				      "total_us", (json_int_t)0);
		json_object_set_new(c, "cgroups", json_pack("{s:o}", "app", g));
		json_out(dir, rel, c);
		free(rel);
	}
}

static json_t *group_fig(struct cmp *c, const char *key, const char *counter)
{
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(json_object_get(cell0(c), "statistics"), "figures"), i, f)
		if (!strcmp(json_string_value(json_object_get(f, "figure")), key) &&
		    !strcmp(json_string_value(json_object_get(f, "group")), "app") &&
		    (!counter || !strcmp(json_string_value(json_object_get(f, "counter")), counter)))
			return f;
	cr_assert_fail("no figure %s %s", key, counter ? counter : "");
	return NULL;
}

Test(compare_stats, cgroup_events)
{
	char *src = run_path("touch61a");
	char *bd = run_copy(tdir, src, "base"), *nd = run_copy(tdir, src, "new");
	static const int hb[] = {100, 110, 105, 95, 102}, hn[] = {200, 210, 190, 205, 198};
	add_group(bd, hb, 0);
	add_group(nd, hn, 1);
	struct cmp c;
	compare_dirs(&c, bd, nd, &(struct cmp_opts){.tol_pct = COMPARE_TOL_PCT});
	json_t *high = group_fig(&c, "cgroup_event", "high");
	cr_assert_float_eq(fnum(high, "t"), 23.3942181706, 1e-8);
	cr_assert_float_eq(fnum(high, "df"), 7.38158742537, 1e-8);
	cr_assert_float_eq(fnum(high, "p_welch"), 3.40392443553593e-08, 1e-15);
	cr_assert_str_eq(verdict(high), "regressed");
	json_t *kill = group_fig(&c, "cgroup_event", "oom_kill");
	cr_assert_float_eq(fnum(kill, "p_welch"), 0, 1e-300);
	cr_assert_str_eq(verdict(kill), "regressed");
	json_t *peak = group_fig(&c, "cgroup_peak_mb", NULL);
	cr_assert_float_eq(fnum(json_object_get(peak, "base"), "mean"), 64, 1e-12);
	cr_assert(json_is_null(json_object_get(peak, "p_welch"))); /* equal everywhere */
	cr_assert(json_is_true(json_object_get(group_fig(&c, "cgroup_psi_some_s", NULL), "noisy")));
	/* a group figure is the cell's: its reasons are among the notes */
	cr_assert_str_eq(json_string_value(json_object_get(cell0(&c), "status")), "regressed");
	cr_assert_str_eq(json_string_value(json_object_get(
				 json_array_get(json_object_get(cell0(&c), "workloads"), 0), "status")),
			 "same");
	json_t *notes = json_object_get(cell0(&c), "notes");
	cr_assert_eq(json_array_size(notes), 2);
	cr_assert(!strncmp(json_string_value(json_array_get(notes, 0)), "app high 102.4 -> 200.6 events (+95.9%", 38),
		  "%s", json_string_value(json_array_get(notes, 0)));
	/* high, oom_kill, and the 4 figures that vary between touch61a's repeats (p 1: both sides are that run) */
	cr_assert_eq(stat_of(&c, "tests"), 2 + 4);
	cmp_free(&c);
	free(src);
	free(bd);
	free(nd);
}

/* The options: --alpha, --min-repeats, --tolerance-only, through the
 * command and its exit codes (a bad value aborts a bisect). */
Test(compare_stats, cli_options)
{
	cr_redirect_stdout();
	cr_redirect_stderr();
	char *a = run_path("touch61a"), *n = run_path("touch612");
	char *a1[] = {"compare", a, n, NULL};
	cr_assert_eq(cmd_compare(3, a1), 1);
	char *a2[] = {"compare", "--alpha", "1e-6", a, n, NULL};
	cr_assert_eq(cmd_compare(5, a2), 0, "3.4e-05 after Holm is not significant at 1e-6");
	char *a3[] = {"compare", "--alpha", "1e-6", "--tolerance-only", a, n, NULL};
	cr_assert_eq(cmd_compare(6, a3), 1, "the tolerance rule: +6.6%% beyond 5%%");
	char *a4[] = {"compare", "--min-repeats", "6", "--tolerance", "10", a, n, NULL};
	cr_assert_eq(cmd_compare(7, a4), 0, "too few repeats: the tolerance rule, 10%%");
	char *a5[] = {"compare", "--alpha", "1", a, n, NULL};
	cr_assert_eq(cmd_compare(5, a5), EXIT_USAGE);
	char *a6[] = {"compare", "--alpha", "0", a, n, NULL};
	cr_assert_eq(cmd_compare(5, a6), EXIT_USAGE);
	char *a7[] = {"compare", "--min-repeats", "1", a, n, NULL};
	cr_assert_eq(cmd_compare(5, a7), EXIT_USAGE, "a test needs two values a side");
	char *a8[] = {"compare", "--bisect", "--min-repeats", "x", a, n, NULL};
	cr_assert_eq(cmd_compare(6, a8), EXIT_BISECT_ABORT);
	char *a9[] = {"compare", "--bisect", a, n, NULL};
	cr_assert_eq(cmd_compare(4, a9), 1);
	free(a);
	free(n);
}

/* An endpoint that changed in all 5 repeats: Fisher's p is 2/C(10,5) =
 * 1/126 = 0.0079, times 5 tests after Holm (the endpoint and the 4 figures
 * that vary between touch61a's repeats) 0.040: not significant at 0.01,
 * so CHANGED with "more repeats needed", and a bisect skips the commit
 * (it would take "same" for good); at --alpha 0.05 it regresses. */
static void set_endpoint(const char *dir, const char *ep)
{
	for (int r = 1; r <= 5; r++) {
		char *rel = xasprintf("cells/touch-r%d.json", r);
		json_t *c = json_in(dir, rel);
		json_object_set_new(json_array_get(json_object_get(c, "workloads"), 0), "endpoint", json_string(ep));
		json_out(dir, rel, c);
		free(rel);
	}
}

Test(compare_stats, endpoint_change_needs_repeats)
{
	char *src = run_path("touch61a");
	char *bd = run_copy(tdir, src, "base"), *nd = run_copy(tdir, src, "new");
	set_endpoint(nd, "exit");
	struct cmp c;
	compare_dirs(&c, bd, nd, &(struct cmp_opts){.tol_pct = COMPARE_TOL_PCT});
	json_t *ep = fig(&c, "endpoint");
	cr_assert_float_eq(fnum(ep, "p_fisher"), 1.0 / 126.0, 1e-15);
	cr_assert_float_eq(fnum(ep, "p_adjusted"), 5.0 / 126.0, 1e-15);
	cr_assert(json_is_false(json_object_get(ep, "significant")));
	cr_assert_str_eq(verdict(ep), "changed");
	json_t *w = json_array_get(json_object_get(cell0(&c), "workloads"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(w, "status")), "changed");
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(w, "reasons"), 0)),
			 "endpoint oom_killed: 5 of 5 -> 0 of 5 (Fisher p 0.0079, adjusted 0.04: not significant, "
			 "more repeats needed)");
	cr_assert_eq(compare_exit_code(c.doc, 0), 0);
	cr_assert_eq(stat_of(&c, "undecided"), 1);
	cr_assert_eq(compare_exit_code(c.doc, 1), EXIT_BISECT_SKIP, "a bisect skips what it cannot judge");
	cmp_free(&c);
	compare_dirs(&c, bd, nd, &(struct cmp_opts){.tol_pct = COMPARE_TOL_PCT, .alpha = 0.05});
	cr_assert_str_eq(verdict(fig(&c, "endpoint")), "regressed");
	cr_assert_eq(compare_exit_code(c.doc, 0), 1);
	cmp_free(&c);
	free(src);
	free(bd);
	free(nd);
}

/* The vmstat figures are the counters' end less start: swap out of 1000,
 * 1100, 900, 1050, 950 pages in the base repeats and 2000, 2100, 1900,
 * 2050, 1950 in the new; the difference is 1000 with no extra spread
 * (Welch t = 1000 / sqrt(2 * 6250 / 5) = 20, df 8, p = 4.0739183286749e-08
 * by two numerical integrations apart from GSL, of Student's density and
 * of the incomplete beta function I_{8/408}(4, 1/2)). */
static void set_pswpout(const char *dir, const int *v)
{
	for (int r = 1; r <= 5; r++) {
		char *rel = xasprintf("cells/touch-r%d.json", r);
		json_t *c = json_in(dir, rel);
		json_t *s = json_object_get(c, "vmstat_start"), *e = json_object_get(c, "vmstat_end");
		json_object_set_new(s, "pswpout", json_integer(500));
		json_object_set_new(e, "pswpout", json_integer(500 + v[r - 1]));
		json_out(dir, rel, c);
		free(rel);
	}
}

Test(compare_stats, vmstat_counters)
{
	char *src = run_path("touch61a");
	char *bd = run_copy(tdir, src, "base"), *nd = run_copy(tdir, src, "new");
	static const int vb[] = {1000, 1100, 900, 1050, 950}, vn[] = {2000, 2100, 1900, 2050, 1950};
	set_pswpout(bd, vb);
	set_pswpout(nd, vn);
	struct cmp c;
	compare_dirs(&c, bd, nd, &(struct cmp_opts){.tol_pct = COMPARE_TOL_PCT});
	json_t *f = fig(&c, "pswpout");
	cr_assert_float_eq(fnum(json_object_get(f, "base"), "mean"), 1000, 1e-9);
	cr_assert_float_eq(fnum(json_object_get(f, "new"), "mean"), 2000, 1e-9);
	cr_assert_float_eq(fnum(f, "t"), 20, 1e-9);
	cr_assert_float_eq(fnum(f, "df"), 8, 1e-9);
	cr_assert_float_eq(fnum(f, "p_welch"), 4.0739183286749e-08, 1e-19);
	cr_assert_float_eq(fnum(f, "p_mann_whitney"), 2.0 / 252.0, 1e-15); /* exact, separated */
	cr_assert_str_eq(verdict(f), "regressed");
	cr_assert(json_is_null(json_object_get(f, "workload")) || !json_object_get(f, "workload"));
	cr_assert_str_eq(json_string_value(json_object_get(cell0(&c), "status")), "regressed");
	cmp_free(&c);
	free(src);
	free(bd);
	free(nd);
}

/* The table of figures: a duration (key in _s, unit s) is the one kind
 * that is noisy under TCG and has the 25% floor; every vmstat row names
 * a counter that a real 6.1 cell report has, under its own name; keys are
 * unique. */
Test(compare_stats, figure_table_rows)
{
	char *src = run_path("touch61a");
	json_t *cell = json_in(src, "cells/touch-r1.json");
	json_t *vm = json_object_get(cell, "vmstat_end");
	size_t vmstat_rows = 0;
	for (size_t i = 0; i < compare_figure_count; i++) {
		const struct figure *f = &compare_figure_table[i];
		size_t len = strlen(f->key);
		int duration = len > 2 && !strcmp(f->key + len - 2, "_s");
		cr_assert_eq(f->timing, duration, "%s", f->key);
		cr_assert_eq(!strcmp(f->unit, "s"), duration, "%s", f->key);
		cr_assert_eq(f->tol_floor, duration ? 25.0 : 0.0, "%s", f->key);
		cr_assert_null(f->group, "%s", f->key);
		if (f->counter) {
			vmstat_rows++;
			cr_assert_eq(f->scope, FIG_CELL, "%s", f->key);
			cr_assert_str_eq(f->key, f->counter);
			cr_assert(json_is_integer(json_object_get(vm, f->counter)), "%s", f->counter);
		}
		for (size_t k = 0; k < i; k++)
			cr_assert_str_neq(f->key, compare_figure_table[k].key);
	}
	cr_assert_eq(vmstat_rows, 10);
	json_decref(cell);
	free(src);
}

/* With swap: tests/golden/runs/swap61a, swap61b (6.1 twice) and swap612,
 * touch in 256 MiB with 64 MiB of swap, repeat 5, so the reclaim counters
 * move. 6.1 against 6.1: 12 tests, nothing flagged; swap in (12, 8, 12,
 * 15, 12 pages against 0, 0, 7, 1, 5) has p 0.001166 (t = -5.0644, df
 * 7.5348, numerical integration apart from GSL), below 0.01 alone but
 * 0.0140 after Holm's 12 tests: the correction is what keeps it "same". */
Test(compare_stats, swap_same_kernel_flags_nothing)
{
	struct cmp c;
	compare_golden(&c, "swap61a", "swap61b", &(struct cmp_opts){.tol_pct = COMPARE_TOL_PCT});
	cr_assert_str_eq(json_string_value(json_object_get(cell0(&c), "status")), "same");
	cr_assert_eq(compare_exit_code(c.doc, 0), 0);
	cr_assert_eq(compare_exit_code(c.doc, 1), 0);
	cr_assert_eq(stat_of(&c, "tests"), 12);
	json_t *in = fig(&c, "pswpin");
	cr_assert_float_eq(fnum(in, "t"), -5.06443331958, 1e-9);
	cr_assert_float_eq(fnum(in, "p_welch"), 0.00116600413112, 1e-12);
	cr_assert_float_eq(fnum(in, "p_adjusted"), 12 * 0.00116600413112, 1e-11);
	cr_assert(json_is_true(json_object_get(in, "beyond_tolerance")));
	cr_assert(json_is_false(json_object_get(in, "significant")));
	cr_assert_str_eq(verdict(in), "same");
	cmp_free(&c);
}

/* 6.1 against 6.12 with swap: MB reached (+21.7 MB, p 1.2063e-06),
 * peak RSS and direct reclaim's pgscan (29539 -> 6759 pages a cell,
 * t = -31.933, df 7.7915, p 1.5272e-09, Mann-Whitney exact 2/252) regress;
 * kswapd's pgscan halves too (p 0.0055) but 0.0496 after Holm's 13 tests
 * is not significant. p-values by numerical integration apart from GSL. */
Test(compare_stats, swap_kernels_flag_mb_rss_and_direct_reclaim)
{
	struct cmp c;
	compare_golden(&c, "swap61a", "swap612", &(struct cmp_opts){.tol_pct = COMPARE_TOL_PCT});
	cr_assert_eq(compare_exit_code(c.doc, 0), 1);
	cr_assert_eq(stat_of(&c, "tests"), 13);
	cr_assert_float_eq(fnum(fig(&c, "mb_reached"), "p_welch"), 1.20626911054e-06, 1e-15);
	json_t *d = fig(&c, "pgscan_direct");
	cr_assert_float_eq(fnum(json_object_get(d, "base"), "mean"), 29539.4, 1e-9);
	cr_assert_float_eq(fnum(json_object_get(d, "new"), "mean"), 6759.4, 1e-9);
	cr_assert_float_eq(fnum(d, "t"), -31.9329234969, 1e-8);
	cr_assert_float_eq(fnum(d, "df"), 7.79153347907, 1e-9);
	cr_assert_float_eq(fnum(d, "p_welch"), 1.52720090774e-09, 1e-18);
	cr_assert_float_eq(fnum(d, "p_mann_whitney"), 2.0 / 252.0, 1e-15);
	cr_assert_str_eq(verdict(d), "regressed");
	json_t *k = fig(&c, "pgscan_kswapd");
	cr_assert_float_eq(fnum(k, "p_welch"), 0.00550587518125, 1e-12);
	cr_assert_str_eq(verdict(k), "same");
	/* exactly these three regress */
	size_t i, regressed = 0;
	json_t *f;
	json_array_foreach(json_object_get(json_object_get(cell0(&c), "statistics"), "figures"), i, f)
		regressed += !strcmp(verdict(f), "regressed");
	cr_assert_eq(regressed, 3);
	cr_assert_str_eq(verdict(fig(&c, "peak_rss_mb")), "regressed");
	/* the cell figure's reason is a note of the cell */
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(cell0(&c), "notes"), 0)),
			 "pgscan direct 29539 -> 6759 pages (-77.1%, difference -22780, 95% CI -24433..-21127, Welch p "
			 "1.5e-09, adjusted 2e-08)");
	cmp_free(&c);
}
