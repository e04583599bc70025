// SPDX-License-Identifier: GPL-2.0-or-later
/* The compare page (oomlab compare --html) of the recorded 5-repeat swap
 * runs (tests/golden/runs/swap61a, swap61b on 6.1, swap612 on 6.12): it
 * opens with the table of significant changes, then each listed figure's
 * two distributions, then the table of cells and the timelines; runs with
 * one repeat get today's page and one line. The numbers are those of
 * docs/compare.md#statistics. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "lib/util.h"
#include "reports/compare.h"
#include "reports/html/changes.h"
#include "reports/html/html.h"
#include "reports/rundir.h"

struct cmp {
	struct rundir b, n;
	json_t *doc;
	struct buf page;
};

static void compare_golden(struct cmp *c, const char *base, const char *nw, int tol_only, double alpha)
{
	char *rb = xasprintf("%s", base), *rn = xasprintf("%s", nw);
	char *bd = golden_path(rb), *nd = golden_path(rn);
	struct buf err = {0};
	cr_assert_eq(rundir_load(bd, &c->b, &err), 0, "%s", err.data);
	cr_assert_eq(rundir_load(nd, &c->n, &err), 0, "%s", err.data);
	c->doc = compare_runs(&c->b, &c->n, &(struct cmp_opts){.tol_pct = COMPARE_TOL_PCT, .tolerance_only = tol_only, .alpha = alpha});
	cr_assert_not_null(c->doc);
	memset(&c->page, 0, sizeof c->page);
	report_html_compare(&c->page, &c->b, &c->n, c->doc);
	free(rb);
	free(rn);
	free(bd);
	free(nd);
}

static void cmp_free(struct cmp *c)
{
	buf_free(&c->page);
	json_decref(c->doc);
	rundir_free(&c->b);
	rundir_free(&c->n);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* where needle first is in hay, asserting it is there */
static size_t at(const char *hay, const char *needle)
{
	const char *p = strstr(hay, needle);
	cr_assert_not_null(p, "not in the page: %s", needle);
	return (size_t)(p - hay);
}

#define ROW(fig, dist, wl, a, b, d, padj, p) \
	"<tr class=\"regressed\"><td><a href=\"#dist-" dist "\">" fig "</a></td><td><a href=\"#cmp-0\">touch swap " \
	"#1</a></td><td>" wl "</td><td class=\"n\">" a "</td><td class=\"n\">" b "</td><td class=\"n\">" d      \
	"</td><td class=\"n\">" padj "</td><td class=\"n\">" p "</td><td>REGRESSED</td></tr>\n"

Test(compare_page, kernels_open_with_the_significant_changes)
{
	struct cmp c;
	compare_golden(&c, "runs/swap61a", "runs/swap612", 0, 0);
	const char *p = c.page.data;
	const char *table =
		"<h2 id=\"changes\">Significant changes</h2>\n<p class=\"note\">Welch's t-test (Fisher's exact test "
		"for endpoint and victim), Holm's correction over 13 tests, alpha 0.01: a figure regresses when "
		"significant and beyond its tolerance.</p>\n"
		"<table class=\"changes\"><tr><th>figure</th><th>cell</th><th>workload</th><th>A mean (sd) n</th>"
		"<th>B mean (sd) n</th><th>difference [95% CI]</th><th>p adjusted</th><th>p</th><th>verdict</th></tr>\n"
		ROW("MB reached", "0", "touch", "230.1 (2.2) 5", "251.8 (1.1) 5", "+21.7 [+19, +24.4] MB", "1.3e-05",
		    "1.2e-06")
		ROW("peak RSS", "1", "touch", "175 (0) 5", "189.4 (0.45) 5", "+14.3 [+13.8, +14.9] MB", "2.9e-06",
		    "2.4e-07")
		ROW("pgscan direct", "2", "-", "29539 (1217) 5", "6759 (1032) 5", "-22780 [-24433, -21127] pages",
		    "2e-08", "1.5e-09")
		"</table>\n<p class=\"note\">Durations (time to OOM, PSI) measured under TCG are noisy, marked "
		"(noisy: TCG): they never decide a regression on their own.</p>\n"
		"<p class=\"note\">4 figures equal in every repeat of both runs: no test.</p>\n"
		"<h2 id=\"distributions\">Distributions</h2>\n";
	cr_assert(strstr(p, table), "got:\n%.4000s", strstr(p, "<h2") ? strstr(p, "<h2") : p);
	/* the order: the changes, their distributions, the cells, the timelines */
	cr_assert_lt(at(p, "id=\"changes\""), at(p, "id=\"distributions\""));
	cr_assert_lt(at(p, "id=\"distributions\""), at(p, "<table class=\"results\">"));
	cr_assert_lt(at(p, "<table class=\"results\">"), at(p, "<section class=\"cell\" id=\"cmp-0\">"));
	/* a plot per listed figure, every repeat a point */
	cr_assert_eq(count(p, "<svg class=\"plot dist\""), 3);
	cr_assert_eq(count(p, "<span id=\"dist-"), 3);
	cr_assert_eq(count(p, "data-points=\"10\" aria-label=\"touch swap #1"), 3);
	cr_assert_eq(count(p, "<circle class=\"rep a\""), 15);
	cr_assert_eq(count(p, "<circle class=\"rep b\""), 15);
	cr_assert_eq(count(p, "<line class=\"mean\""), 6);
	cr_assert(strstr(p, "aria-label=\"touch swap #1: pgscan direct (pages)\""));
	cr_assert(strstr(p, "<title>A (base) mean 29539.4 pages</title>"), "the base's mean");
	cr_assert(strstr(p, "<title>B (new) mean 6759.4 pages</title>"), "the new run's mean");
	cr_assert_eq(count(p, "(noisy: TCG)</td>"), 0, "no listed figure is a duration");
	cmp_free(&c);
}

Test(compare_page, same_kernel_says_nothing_changed)
{
	struct cmp c;
	compare_golden(&c, "runs/swap61a", "runs/swap61b", 0, 0);
	const char *p = c.page.data;
	cr_assert(strstr(p, "Holm's correction over 12 tests, alpha 0.01: a figure regresses when significant and "
			    "beyond its tolerance.</p>\n<p>No figure changed significantly.</p>\n"
			    "<p class=\"note\">Durations (time to OOM, PSI) measured under TCG are noisy, marked "
			    "(noisy: TCG): they never decide a regression on their own.</p>\n"
			    "<p class=\"note\">5 figures equal in every repeat of both runs: no test.</p>\n"
			    "<table class=\"results\">"),
		  "got:\n%.3000s", strstr(p, "<h2") ? strstr(p, "<h2") : p);
	cr_assert_eq(count(p, "<table class=\"changes\">"), 0);
	cr_assert_eq(count(p, "id=\"distributions\""), 0);
	cr_assert_eq(count(p, "<svg class=\"plot dist\""), 0);
	cmp_free(&c);
}

/* At --alpha 0.9 the same kernel's PSI is significant and beyond its 25%:
 * a duration under TCG, so CHANGED and marked noisy, never REGRESSED. */
Test(compare_page, noisy_durations_are_marked)
{
	struct cmp c;
	compare_golden(&c, "runs/swap61a", "runs/swap61b", 0, 0.9);
	cr_assert(strstr(c.page.data,
			 "<tr class=\"changed\"><td><a href=\"#dist-3\">PSI some</a></td><td><a href=\"#cmp-0\">touch swap "
			 "#1</a></td><td>-</td><td class=\"n\">1.94 (0.58) 5</td><td class=\"n\">1.305 (0.44) 5</td>"
			 "<td class=\"n\">-0.635 [-1.39, +0.124] s</td><td class=\"n\">0.8</td><td class=\"n\">0.089</td>"
			 "<td>CHANGED (noisy: TCG)</td></tr>\n"),
		  "got:\n%.5000s", strstr(c.page.data, "<table class=\"changes\">"));
	/* swap in, major faults, refaults anon regress at 0.9; PSI some and full only change */
	cr_assert_eq(count(c.page.data, "<td>REGRESSED</td>"), 3);
	cr_assert_eq(count(c.page.data, "<td>CHANGED (noisy: TCG)</td>"), 2);
	cr_assert_eq(count(c.page.data, "<svg class=\"plot dist\""), 5);
	cmp_free(&c);
}

/* One repeat a side: the page of the tolerance rule and one line. */
Test(compare_page, single_repeats_one_line)
{
	struct cmp c;
	compare_golden(&c, "compare/k61", "compare/k612", 0, 0);
	cr_assert(strstr(c.page.data, " MB tolerance 5%.</p>\n<p class=\"note\">No significance tests: no compared "
				      "cell has 3 repeats on each side, the tolerance rule decided.</p>\n"
				      "<table class=\"results\">"));
	cr_assert_eq(count(c.page.data, "Significant changes"), 0);
	cmp_free(&c);
	compare_golden(&c, "runs/swap61a", "runs/swap612", 1, 0);
	cr_assert(strstr(c.page.data, " MB tolerance 5%.</p>\n<p class=\"note\">No significance tests "
				      "(--tolerance-only): the tolerance rule decided every cell.</p>\n"
				      "<table class=\"results\">"));
	cr_assert_eq(count(c.page.data, "<svg class=\"plot dist\""), 0);
	cmp_free(&c);
}

/* An endpoint: its values are rows, every repeat a point on its row. */
Test(compare_page, endpoint_distribution)
{
	json_t *f = json_loads("{\"figure\": \"endpoint\", \"workload\": 0, \"name\": \"touch\", \"value\": \"oom_killed\","
			       " \"base\": {\"k\": 3, \"n\": 3, \"values\": [\"oom_killed\", \"oom_killed\", \"oom_killed\"]},"
			       " \"new\": {\"k\": 1, \"n\": 3, \"values\": [\"exit\", \"oom_killed\", \"exit\"]}}",
			       0, NULL);
	cr_assert_not_null(f);
	struct buf b = {0};
	html_dist_plot(&b, f, "c / touch: endpoint");
	cr_assert(strstr(b.data, "data-points=\"6\""));
	/* two rows: oom_killed (the base's) above exit */
	cr_assert(strstr(b.data, "<text class=\"tick\" x=\"54\" y=\"67.5\" text-anchor=\"end\">oom_killed</text>"),
		  "got %s", b.data);
	cr_assert(strstr(b.data, "<text class=\"tick\" x=\"54\" y=\"142.5\" text-anchor=\"end\">exit</text>"));
	/* three base points on one row, spread apart; the new ones on theirs */
	cr_assert(strstr(b.data, "cx=\"133.0\" cy=\"63.5\""), "got %s", b.data);
	cr_assert(strstr(b.data, "cx=\"139.0\" cy=\"63.5\""));
	cr_assert(strstr(b.data, "cx=\"127.0\" cy=\"63.5\""));
	cr_assert_eq(count(b.data, "<title>B (new): exit</title>"), 2);
	cr_assert_eq(count(b.data, "<line class=\"mean\""), 0, "no mean of an endpoint");
	buf_free(&b);
	json_decref(f);
}
