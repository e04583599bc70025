// SPDX-License-Identifier: GPL-2.0-or-later
/* Knob effects (reports/effects.c, reports/html/effects.c) on a real
 * recorded sweep: tests/golden/runs/sweep61, touch in 256 MiB with
 * overcommit_memory 0/2 x swap_mb 0/256, three repeats each. The expected
 * means and intervals were computed apart from the code from the cell
 * reports (Python's statistics.mean and stdev, and t(0.975, 2) =
 * 4.302652729911275 from a table). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/effects.h"
#include "reports/html/effects.h"
#include "reports/html/html.h"
#include "reports/rundir.h"
#include "golden.h"
#include "lib/jsonx.h"
#include "lib/util.h"

static struct rundir run;
static json_t *axes, *eff;

static void load(const char *name)
{
	char *rel = xasprintf("runs/%s", name);
	char *dir = golden_path(rel);
	struct buf err = {0};
	cr_assert_eq(rundir_load(dir, &run, &err), 0, "%s", err.data);
	axes = effects_axes(&run);
	eff = effects_of(run.cells, axes);
	free(rel);
	free(dir);
}

static void unload(void)
{
	json_decref(eff);
	json_decref(axes);
	rundir_free(&run);
}

TestSuite(effects, .fini = unload);

static json_t *knob(json_t *e, const char *name)
{
	size_t i;
	json_t *k;
	json_array_foreach(json_object_get(e, "knobs"), i, k)
		if (!strcmp(json_str(k, "knob", ""), name))
			return k;
	cr_assert_fail("no knob %s", name);
	return NULL;
}

static json_t *fig(json_t *k, const char *name)
{
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(k, "figures"), i, f)
		if (!strcmp(json_str(f, "figure", ""), name))
			return f;
	return NULL;
}

/* point vi of series si of figure f of knob k */
static json_t *pt(const char *k, const char *f, size_t si, size_t vi)
{
	json_t *g = fig(knob(eff, k), f);
	cr_assert_not_null(g, "no figure %s", f);
	return json_array_get(json_object_get(json_array_get(json_object_get(g, "series"), si), "points"), vi);
}

static void assert_point(json_t *p, long long n, const char *mean, const char *lo, const char *hi)
{
	char m[64], l[64], h[64];
	cr_assert_eq(json_integer_value(json_object_get(p, "n")), n);
	snprintf(m, sizeof m, "%.6g", json_number_value(json_object_get(p, "mean")));
	cr_assert_str_eq(m, mean);
	if (!lo) {
		cr_assert(json_is_null(json_object_get(p, "ci_lo")) && json_is_null(json_object_get(p, "ci_hi")));
		return;
	}
	snprintf(l, sizeof l, "%.6g", json_number_value(json_object_get(p, "ci_lo")));
	snprintf(h, sizeof h, "%.6g", json_number_value(json_object_get(p, "ci_hi")));
	cr_assert_str_eq(l, lo);
	cr_assert_str_eq(h, hi);
}

Test(effects, the_axes_of_the_matrix_and_their_series)
{
	load("sweep61");
	cr_assert_not_null(axes);
	cr_assert_eq(json_array_size(json_object_get(eff, "knobs")), 2);
	json_t *om = knob(eff, "overcommit_memory"), *sw = knob(eff, "swap_mb");
	cr_assert_eq(json_integer_value(json_array_get(json_object_get(om, "values"), 1)), 2);
	cr_assert_eq(json_integer_value(json_array_get(json_object_get(sw, "values"), 1)), 256);
	json_t *s = json_object_get(fig(om, "mb_reached"), "series");
	cr_assert_eq(json_array_size(s), 2);
	cr_assert_str_eq(json_str(json_array_get(s, 0), "label", ""), "swap_mb=0");
	cr_assert_str_eq(json_str(json_array_get(s, 1), "label", ""), "swap_mb=256");
	cr_assert_str_eq(json_str(json_array_get(json_object_get(fig(sw, "pswpout"), "series"), 1), "label", ""),
			 "overcommit_memory=2");
	cr_assert_str_eq(json_str(fig(om, "mb_reached"), "workload", ""), "touch");
	cr_assert(json_is_null(json_object_get(fig(om, "pswpout"), "workload")));
	/* the figures of compare's table a cell report carries, workloads' first */
	const char *want[] = {"mb_reached", "time_to_oom_s", "peak_rss_mb", "pswpout", "pswpin", "pgmajfault",
			      "workingset_refault_anon", "workingset_refault_file", "pgscan_kswapd", "pgscan_direct",
			      "pgsteal_kswapd", "pgsteal_direct", "compact_stall", "psi_some_s", "psi_full_s"};
	json_t *figs = json_object_get(om, "figures");
	cr_assert_eq(json_array_size(figs), sizeof want / sizeof *want);
	for (size_t i = 0; i < sizeof want / sizeof *want; i++)
		cr_assert_str_eq(json_str(json_array_get(figs, i), "figure", ""), want[i]);
}

Test(effects, means_and_intervals_of_the_repeats)
{
	load("sweep61");
	/* MB reached 421.641, 423.648, 424.652 at overcommit 0, swap 256 */
	assert_point(pt("overcommit_memory", "mb_reached", 1, 0), 3, "423.314", "419.505", "427.122");
	assert_point(pt("swap_mb", "mb_reached", 0, 1), 3, "423.314", "419.505", "427.122");
	/* 347 in each repeat: an interval of no width */
	assert_point(pt("overcommit_memory", "mb_reached", 1, 1), 3, "347", "347", "347");
	/* pswpout 45989, 47355, 46740 */
	assert_point(pt("overcommit_memory", "pswpout", 1, 1), 3, "46694.7", "44995.2", "48394.1");
	assert_point(pt("swap_mb", "pswpout", 0, 1), 3, "65543.3", "65540.5", "65546.2");
	/* PSI some over the cell: the interval may reach below 0 */
	assert_point(pt("overcommit_memory", "psi_some_s", 0, 0), 3, "0.0236947", "-0.00414622", "0.0515356");
	assert_point(pt("overcommit_memory", "psi_some_s", 1, 1), 3, "2.74924", "2.24822", "3.25025");
	/* no OOM kill under overcommit 2: no time to OOM */
	json_t *p = pt("overcommit_memory", "time_to_oom_s", 0, 1);
	cr_assert_eq(json_integer_value(json_object_get(p, "n")), 0);
	cr_assert(json_is_null(json_object_get(p, "mean")));
}

Test(effects, endpoints_as_counts)
{
	load("sweep61");
	json_t *e = json_array_get(json_object_get(knob(eff, "overcommit_memory"), "endpoints"), 0);
	cr_assert_str_eq(json_str(e, "workload", ""), "touch");
	json_t *s1 = json_object_get(json_array_get(json_object_get(e, "series"), 1), "points");
	json_t *c0 = json_object_get(json_array_get(s1, 0), "counts"), *c1 = json_object_get(json_array_get(s1, 1), "counts");
	cr_assert_eq(json_object_size(c0), 1);
	cr_assert_eq(json_integer_value(json_object_get(c0, "oom_killed")), 3);
	cr_assert_eq(json_object_size(c1), 1);
	cr_assert_eq(json_integer_value(json_object_get(c1, "enomem")), 3);
}

Test(effects, one_repeat_has_no_interval)
{
	load("sweep61");
	json_t *r1 = json_array();
	size_t i;
	json_t *c;
	json_array_foreach(run.cells, i, c)
		if (strstr(json_str(json_object_get(c, "cell"), "id", ""), "-r1"))
			json_array_append(r1, c);
	cr_assert_eq(json_array_size(r1), 4);
	json_t *e1 = effects_of(r1, axes);
	json_t *g = fig(knob(e1, "overcommit_memory"), "mb_reached");
	json_t *p = json_array_get(json_object_get(json_array_get(json_object_get(g, "series"), 1), "points"), 0);
	assert_point(p, 1, "421.641", NULL, NULL);
	json_decref(e1);
	json_decref(r1);
}

Test(effects, no_swept_knob_no_effects)
{
	/* the article's matrix lists its cells: no axes */
	load("article");
	cr_assert_null(axes);
	cr_assert_null(eff);
	/* a single-valued axis is no swept knob either */
	json_t *one = json_pack("{s:[i]}", "overcommit_memory", 0);
	cr_assert_null(effects_of(run.cells, one));
	json_decref(one);
	struct buf page = {0};
	report_html_run(&page, &run, "");
	cr_assert_null(strstr(page.data, "Knob effects"));
	buf_free(&page);
}

static char *print(json_t *e)
{
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);
	effects_print(f, e);
	fclose(f);
	return s;
}

Test(effects, text_tables)
{
	load("sweep61");
	char *t = print(eff);
	cr_assert(strstr(t, "== overcommit_memory: mean [95% CI] (n repeats) per value\n"
			    "endpoints of touch:\n"
			    "              0              2\n"
			    "  swap_mb=0   oom_killed 3/3 enomem 3/3\n"
			    "  swap_mb=256 oom_killed 3/3 enomem 3/3\n"
			    "MB reached of touch (MB):\n"
			    "              0                                2\n"
			    "  swap_mb=0   176.688 [176.688, 176.688] (n=3) 95 [95, 95] (n=3)\n"
			    "  swap_mb=256 423.314 [419.505, 427.122] (n=3) 347 [347, 347] (n=3)\n"
			    "time to OOM of touch (s):\n"),
		  "%s", t);
	cr_assert(strstr(t, "swap out (pages):\n"
			    "                      0              256\n"
			    "  overcommit_memory=0 0 [0, 0] (n=3) 65543.3 [65540.5, 65546.2] (n=3)\n"
			    "  overcommit_memory=2 0 [0, 0] (n=3) 46694.7 [44995.2, 48394.1] (n=3)\n"),
		  "%s", t);
	cr_assert(strstr(t, "  swap_mb=0   0.522241 [0.493352, 0.551129] (n=3) -\n"), "%s", t);
	free(t);
	t = print(NULL);
	cr_assert_str_eq(t, "no swept knob: the matrix has no axis with two values\n");
	free(t);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

Test(effects, the_section_of_the_run_page)
{
	load("sweep61");
	struct buf page = {0};
	report_html_run(&page, &run, "");
	const char *h = page.data;
	cr_assert(strstr(h, "<h2 id=\"effects\">Knob effects</h2>"));
	cr_assert(strstr(h, "<section class=\"effects\" id=\"effects-overcommit_memory\"><h3>overcommit_memory</h3>"));
	cr_assert(strstr(h, "<section class=\"effects\" id=\"effects-swap_mb\"><h3>swap_mb</h3>"));
	/* the section comes between the outcome grid and the results table */
	cr_assert(strstr(h, "<h2>Outcomes</h2>") < strstr(h, "Knob effects"));
	cr_assert(strstr(h, "Knob effects") < strstr(h, "<th>MB reached</th>"));
	cr_assert_eq(count(h, "<svg class=\"plot effect\""), 30, "15 figures for each of the 2 knobs");
	cr_assert_eq(count(h, "<script"), 0);
	/* the endpoints per value, in the chips' colours */
	cr_assert(strstr(h, "<tr><th><span class=\"swatch\" style=\"background:#d62728\"></span> swap_mb=256</th>"
			    "<td><span class=\"chip ep-oom\">OOM-killed 3/3</span></td>"
			    "<td><span class=\"chip ep-enomem\">ENOMEM 3/3</span></td></tr>"));
	/* MB reached against overcommit_memory, swap 256: the line, the
	 * interval's bar and the point filled as its endpoint */
	cr_assert(strstr(h, "<path class=\"series\" fill=\"none\" stroke=\"#d62728\" d=\"M119.5 48.1 L235.5 70.1 \">"
			    "<title>swap_mb=256</title></path>"
			    "<path class=\"ci\" stroke=\"#d62728\" d=\"M116.5 47.0 H122.5 M119.5 47.0 V49.2 M116.5 49.2 H122.5\"/>"
			    "<circle class=\"pt ep-oom\" cx=\"119.5\" cy=\"48.1\" r=\"4\" fill=\"#f8c9c4\" stroke=\"#d62728\">"
			    "<title>swap_mb=256; overcommit_memory=0: mean 423.314, 95% CI 419.505..427.122, 3 repeats, "
			    "oom_killed 3/3</title></circle>"));
	cr_assert(strstr(h, "<circle class=\"pt ep-enomem\" cx=\"235.5\" cy=\"70.1\" r=\"4\" fill=\"#fde3a7\" "
			    "stroke=\"#d62728\"><title>swap_mb=256; overcommit_memory=2: mean 347, 95% CI 347..347, "
			    "3 repeats, enomem 3/3</title></circle>"));
	/* a figure of the cell: points in their series' colour */
	cr_assert(strstr(h, "<path class=\"ci\" stroke=\"#d62728\" d=\"M232.5 82.9 H238.5 M235.5 82.9 V89.0 M232.5 89.0 "
			    "H238.5\"/><circle class=\"pt\" cx=\"235.5\" cy=\"85.9\" r=\"4\" fill=\"#d62728\" "
			    "stroke=\"#d62728\"><title>swap_mb=256; overcommit_memory=2: mean 46694.7, 95% CI "
			    "44995.2..48394.1, 3 repeats</title></circle></svg>"));
	cr_assert(strstr(h, "<text class=\"tick\" x=\"116.0\" y=\"184\" text-anchor=\"middle\">0</text>"
			    "<text class=\"tick\" x=\"232.0\" y=\"184\" text-anchor=\"middle\">2</text>"));
	buf_free(&page);
}
