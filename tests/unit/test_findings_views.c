// SPDX-License-Identifier: GPL-2.0-or-later
/* The readers of kernel findings: rundir's checks, oomlab findings,
 * compare's titles (and --bisect), the HTML pages. On the real pagefrag
 * runs tests/golden/runs/pagefrag61 (alloc_failure allowed) and
 * pagefrag612 (not allowed, the cells FAIL); a test copies a run into its
 * temp dir and edits its findings with jansson. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "golden.h"
#include "runcopy.h"
#include "lib/util.h"
#include "reports/compare.h"
#include "reports/findings_list.h"
#include "reports/html/html.h"
#include "reports/rundir.h"

#define TITLE "page allocation failure in sock_kmalloc"
#define CELL1 "thp-always-madvise-1"
#define CELL2 "thp-never-madvise-0"

static char tdir[128];

static void setup(void)
{
	snprintf(tdir, sizeof tdir, "/tmp/oomlab-fvtest-XXXXXX");
	cr_assert_not_null(mkdtemp(tdir));
}

static void teardown(void)
{
	rm_rf(tdir);
}

TestSuite(findings_views, .init = setup, .fini = teardown);

static char *golden_run(const char *name)
{
	char *rel = xasprintf("runs/%s", name);
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

/* The findings of row `i` of dir's run.json replaced by fs (stolen); a
 * NULL fs deletes the key. The cell report gets the same. */
static void set_findings(const char *dir, size_t i, json_t *fs)
{
	json_t *run = json_in(dir, "run.json");
	json_t *row = json_array_get(json_object_get(run, "cells"), i);
	cr_assert_not_null(row);
	char *rel = xstrdup(json_string_value(json_object_get(row, "file")));
	json_t *cell = json_in(dir, rel);
	if (fs) {
		json_object_set(row, "findings", fs);
		json_object_set_new(cell, "findings", fs);
	} else {
		json_object_del(row, "findings");
		json_object_del(cell, "findings");
	}
	json_out(dir, "run.json", run);
	json_out(dir, rel, cell);
	free(rel);
}

static json_t *finding(const char *kind, const char *title, int count, int allowed)
{
	return json_pack("{s:s,s:s,s:i,s:b,s:I,s:[s],s:s,s:b,s:n}", "kind", kind, "title", title, "count", count,
			 "allowed", allowed, "t_us", (json_int_t)1500000, "frames", "foo", "raw", "WARNING: at foo",
			 "raw_truncated", 0, "allowed_by");
}

static json_t *list_of(const char *const *dirs, size_t n)
{
	json_t *runs[4] = {0};
	struct buf err = {0};
	cr_assert(n <= 4);
	for (size_t i = 0; i < n; i++) {
		runs[i] = rundir_load_run(dirs[i], &err);
		cr_assert_not_null(runs[i], "%s", err.data);
	}
	json_t *doc = findings_list(runs, dirs, n);
	for (size_t i = 0; i < n; i++)
		json_decref(runs[i]);
	return doc;
}

static char *printed(json_t *doc)
{
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);
	findings_list_print(f, doc, 0);
	fclose(f);
	return s;
}

/* ---- rundir ---- */

static void load_run_fails(const char *dir, const char *want)
{
	struct buf err = {0};
	json_t *r = rundir_load_run(dir, &err);
	cr_assert_null(r);
	cr_assert(err.data && strstr(err.data, want), "got: %s", err.data ? err.data : "(none)");
	buf_free(&err);
}

Test(findings_views, rundir_refuses_malformed_findings)
{
	char *d = copy_run("pagefrag61", "bad");
	struct buf err = {0};
	/* a row's findings not an array */
	json_t *run = json_in(d, "run.json");
	json_object_set_new(json_array_get(json_object_get(run, "cells"), 1), "findings", json_string("x"));
	json_out(d, "run.json", run);
	load_run_fails(d, "/run.json: cells[1].findings must be an array of {kind, title, count, allowed}");
	/* an entry without its count */
	run = json_in(d, "run.json");
	json_object_set_new(json_array_get(json_object_get(run, "cells"), 1), "findings",
			    json_pack("[{s:s,s:s,s:b}]", "kind", "warning", "title", "WARNING in x", "allowed", 0));
	json_out(d, "run.json", run);
	load_run_fails(d, "cells[1].findings must be");
	/* a count of 0 */
	run = json_in(d, "run.json");
	json_object_set_new(json_array_get(json_object_get(run, "cells"), 1), "findings",
			    json_pack("[{s:s,s:s,s:i,s:b}]", "kind", "warning", "title", "WARNING in x", "count", 0,
				      "allowed", 0));
	json_out(d, "run.json", run);
	load_run_fails(d, "cells[1].findings must be");
	/* absent is no finding: a run of an older oomlab */
	set_findings(d, 1, NULL);
	json_t *ok = rundir_load_run(d, &err);
	cr_assert_not_null(ok, "%s", err.data);
	json_decref(ok);
	/* a cell report's entry without a title */
	json_t *cell = json_in(d, "cells/" CELL1 ".json");
	json_object_set_new(cell, "findings", json_pack("[{s:s}]", "kind", "warning"));
	json_out(d, "cells/" CELL1 ".json", cell);
	char *p = xasprintf("%s/cells/%s.json", d, CELL1);
	cr_assert_null(rundir_load_cell(p, &err));
	char *want = xasprintf("%s: not an oomlab cell report (findings is missing or of the wrong type)", p);
	cr_assert_str_eq(err.data, want);
	free(want);
	free(p);
	buf_free(&err);
	free(d);
}

/* ---- oomlab findings ---- */

Test(findings_views, list_two_kernels)
{
	char *a = golden_run("pagefrag61"), *b = golden_run("pagefrag612");
	const char *dirs[] = {a, b};
	json_t *doc = list_of(dirs, 2);
	json_t *t = json_array_get(json_object_get(doc, "titles"), 0);
	cr_assert_eq(json_array_size(json_object_get(doc, "titles")), 1);
	cr_assert_str_eq(json_string_value(json_object_get(t, "title")), TITLE);
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(t, "kinds"), 0)), "alloc_failure");
	cr_assert_eq(json_integer_value(json_object_get(t, "count")), 4);
	cr_assert_eq(json_integer_value(json_object_get(t, "cells")), 4);
	cr_assert_eq(json_integer_value(json_object_get(t, "cells_allowed")), 2);
	cr_assert(json_is_false(json_object_get(t, "allowed")));
	json_t *k = json_object_get(t, "kernels");
	cr_assert_eq(json_array_size(k), 2);
	cr_assert_str_eq(json_string_value(json_array_get(k, 0)), "6.1.0-57-amd64");
	cr_assert_str_eq(json_string_value(json_array_get(k, 1)), "6.12.117+deb12-amd64");
	json_t *first = json_object_get(t, "first");
	cr_assert_str_eq(json_string_value(json_object_get(first, "id")), CELL1);
	cr_assert_str_eq(json_string_value(json_object_get(first, "name")), "thp=always madvise=1");
	char *rep = xasprintf("%s/cells/%s.json", a, CELL1);
	cr_assert_str_eq(json_string_value(json_object_get(first, "report")), rep);
	cr_assert(json_is_null(json_object_get(first, "html")), "the golden run has no report.html");
	json_t *seen = json_object_get(t, "seen");
	cr_assert_eq(json_array_size(seen), 4);
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(seen, 2), "run")), 1);
	cr_assert(json_is_false(json_object_get(json_array_get(seen, 2), "allowed")));
	json_t *s = json_object_get(doc, "summary");
	cr_assert_eq(json_integer_value(json_object_get(s, "titles")), 1);
	cr_assert_eq(json_integer_value(json_object_get(s, "not_allowed")), 1);
	cr_assert_eq(json_integer_value(json_object_get(s, "cells")), 4);
	cr_assert_eq(json_integer_value(json_object_get(s, "cells_with_findings")), 4);
	cr_assert_eq(findings_list_exit_code(doc), 1);
	cr_assert_eq(json_integer_value(json_object_get(doc, "exit_code")), 1);

	char *out = printed(doc);
	char *want = xasprintf(
		"title                                    kind           count  cells  allowed  kernels                 "
		"              first seen\n"
		TITLE "  alloc_failure      4      4  2 of 4   6.1.0-57-amd64, 6.12.117+deb12-amd64  %s\n"
		"\n"
		"1 title (1 not allowed) in 4 of 4 cells of 2 runs\n",
		rep);
	cr_assert_str_eq(out, want);
	free(out);
	free(want);
	free(rep);
	json_decref(doc);
	free(a);
	free(b);
}

Test(findings_views, list_order_allowed_and_html_link)
{
	char *d = copy_run("pagefrag61", "pf");
	char *old = golden_path("runs/article");
	/* a second title in one cell, not allowed; a report.html beside run.json */
	json_t *fs = json_pack("[o,o]", finding("alloc_failure", TITLE, 1, 1),
			       finding("warning", "WARNING in <b>x</b>", 3, 0));
	set_findings(d, 1, fs);
	char *page = xasprintf("%s/report.html", d);
	cr_assert_eq(write_file_atomic(page, "x", 1), 0);
	const char *dirs[] = {d, old};
	json_t *doc = list_of(dirs, 2);
	json_t *titles = json_object_get(doc, "titles");
	cr_assert_eq(json_array_size(titles), 2);
	/* the one not allowed first though it came in fewer cells */
	json_t *w = json_array_get(titles, 0);
	cr_assert_str_eq(json_string_value(json_object_get(w, "title")), "WARNING in <b>x</b>");
	cr_assert_eq(json_integer_value(json_object_get(w, "count")), 3);
	char *html = xasprintf("%s/report.html#cell-%s", d, CELL2);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(w, "first"), "html")), html);
	json_t *a = json_array_get(titles, 1);
	cr_assert_str_eq(json_string_value(json_object_get(a, "title")), TITLE);
	cr_assert(json_is_true(json_object_get(a, "allowed")));
	json_t *runs = json_object_get(doc, "runs");
	cr_assert(json_is_true(json_object_get(json_array_get(runs, 0), "recorded")));
	cr_assert(json_is_false(json_object_get(json_array_get(runs, 1), "recorded")));
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(doc, "summary"), "cells")), 8);
	char *out = printed(doc);
	char *note = xasprintf("note: %s records no findings (its run.json was written before oomlab recorded "
			       "them)\n1 title",
			       old);
	cr_assert(strstr(out, note) == NULL, "two titles");
	free(note);
	note = xasprintf("\nnote: %s records no findings (its run.json was written before oomlab recorded "
			 "them)\n2 titles (1 not allowed) in 2 of 8 cells of 2 runs\n",
			 old);
	cr_assert(strstr(out, note), "got:\n%s", out);
	cr_assert(strstr(out, "  yes      6.1.0-57-amd64  "), "got:\n%s", out);
	cr_assert(strstr(out, "      3      1  no       6.1.0-57-amd64  "), "got:\n%s", out);
	cr_assert_eq(findings_list_exit_code(doc), 1);
	free(note);
	free(out);
	json_decref(doc);

	/* every finding allowed: exit 0 */
	const char *one[] = {golden_path("runs/pagefrag61")};
	doc = list_of(one, 1);
	cr_assert_eq(findings_list_exit_code(doc), 0);
	cr_assert(json_is_true(json_object_get(json_array_get(json_object_get(doc, "titles"), 0), "allowed")));
	json_decref(doc);
	free((char *)one[0]);
	free(html);
	free(page);
	free(old);
	free(d);
}

Test(findings_views, cli_exit_codes)
{
	cr_redirect_stdout();
	cr_redirect_stderr();
	char *a = golden_run("pagefrag61"), *b = golden_run("pagefrag612"), *old = golden_run("article");
	char *missing = xasprintf("%s/nope", tdir);
	char *a1[] = {"findings", a, NULL};
	cr_assert_eq(cmd_findings(2, a1), EXIT_OK);
	char *a2[] = {"findings", a, b, NULL};
	cr_assert_eq(cmd_findings(3, a2), EXIT_FAIL);
	char *a3[] = {"findings", "--json", b, NULL};
	cr_assert_eq(cmd_findings(3, a3), EXIT_FAIL);
	char *a4[] = {"findings", old, NULL};
	cr_assert_eq(cmd_findings(2, a4), EXIT_OK, "no finding recorded");
	char *a5[] = {"findings", a, missing, NULL};
	cr_assert_eq(cmd_findings(3, a5), EXIT_USAGE);
	char *a6[] = {"findings", NULL};
	cr_assert_eq(cmd_findings(1, a6), EXIT_USAGE);
	char *a7[] = {"findings", "--bogus", a, NULL};
	cr_assert_eq(cmd_findings(3, a7), EXIT_USAGE);
	free(a);
	free(b);
	free(old);
	free(missing);
}

/* ---- compare ---- */

struct cmp {
	struct rundir b, n;
	json_t *doc;
};

/* tol: the MB tolerance; the recorded cells reach 158 -> 167 MB and
 * 172 -> 180 MB from 6.1 to 6.12 (+6.0%, +4.7%), so a test whose exit
 * code only the findings must decide widens it */
static void compare_dirs_tol(struct cmp *c, const char *bdir, const char *ndir, int bisect, double tol)
{
	struct buf err = {0};
	cr_assert_eq(rundir_load(bdir, &c->b, &err), 0, "%s", err.data);
	cr_assert_eq(rundir_load(ndir, &c->n, &err), 0, "%s", err.data);
	struct cmp_opts o = {.tol_pct = tol, .bisect = bisect};
	c->doc = compare_runs(&c->b, &c->n, &o);
}

static void compare_dirs(struct cmp *c, const char *bdir, const char *ndir, int bisect)
{
	compare_dirs_tol(c, bdir, ndir, bisect, COMPARE_TOL_PCT);
}

static void cmp_free(struct cmp *c)
{
	json_decref(c->doc);
	rundir_free(&c->b);
	rundir_free(&c->n);
}

static long long summ(struct cmp *c, const char *k)
{
	return (long long)json_integer_value(json_object_get(json_object_get(c->doc, "summary"), k));
}

static json_t *ftitle(struct cmp *c, size_t i)
{
	json_t *t = json_array_get(json_object_get(json_object_get(c->doc, "findings"), "titles"), i);
	cr_assert_not_null(t, "no title %zu", i);
	return t;
}

static char *compare_printed(struct cmp *c)
{
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);
	compare_print(f, c->doc, 0);
	fclose(f);
	return s;
}

Test(findings_views, compare_new_title_is_a_regression)
{
	char *base = golden_run("pagefrag61");
	char *nw = copy_run("pagefrag61", "new");
	json_t *fs = json_pack("[o,o]", finding("alloc_failure", TITLE, 1, 1),
			       finding("warning", "WARNING in __alloc_pages_slowpath", 2, 0));
	set_findings(nw, 1, fs);
	struct cmp c;
	compare_dirs(&c, base, nw, 0);
	cr_assert_eq(summ(&c, "regressed"), 0, "the workloads did not change");
	cr_assert_eq(summ(&c, "findings_new"), 1);
	cr_assert_eq(summ(&c, "findings_gone"), 0);
	cr_assert(json_is_true(json_object_get(json_object_get(c.doc, "findings"), "compared")));
	json_t *t0 = ftitle(&c, 0), *t1 = ftitle(&c, 1);
	cr_assert_str_eq(json_string_value(json_object_get(t0, "title")), TITLE);
	cr_assert_str_eq(json_string_value(json_object_get(t0, "status")), "both");
	cr_assert(json_is_false(json_object_get(t0, "regression")));
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(t0, "base"), "count")), 2);
	cr_assert_str_eq(json_string_value(json_object_get(t1, "title")), "WARNING in __alloc_pages_slowpath");
	cr_assert_str_eq(json_string_value(json_object_get(t1, "status")), "new");
	cr_assert(json_is_true(json_object_get(t1, "regression")));
	cr_assert(json_is_false(json_object_get(t1, "allowed")));
	json_t *n1 = json_object_get(t1, "new");
	cr_assert_eq(json_integer_value(json_object_get(n1, "count")), 2);
	cr_assert_eq(json_array_size(json_object_get(n1, "cells")), 1);
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(n1, "cells"), 0)), "thp=never madvise=0");
	cr_assert_eq(json_array_size(json_object_get(json_object_get(t1, "base"), "cells")), 0);
	cr_assert(json_is_null(json_object_get(json_object_get(t1, "base"), "allowed")));
	cr_assert_eq(compare_exit_code(c.doc, 0), 1);
	cr_assert_eq(compare_exit_code(c.doc, 1), 1, "bisect: bad");
	cr_assert_eq(json_integer_value(json_object_get(c.doc, "exit_code")), 1);
	struct buf page = {0};
	report_html_compare(&page, &c.b, &c.n, c.doc);
	cr_assert(strstr(page.data, "<h2>Kernel findings</h2>\n<table class=\"findings\"><tr><th>title</th><th>kind</th>"
				    "<th>status</th><th>allowed</th><th>base</th><th>new</th></tr>\n"
				    "<tr><td>" TITLE "</td><td>alloc_failure</td><td>both</td><td>yes</td><td>2 in "
				    "thp=always madvise=1, thp=never madvise=0</td><td>2 in thp=always madvise=1, "
				    "thp=never madvise=0</td></tr>\n"
				    "<tr class=\"regressed\"><td>WARNING in __alloc_pages_slowpath</td><td>warning</td>"
				    "<td>new</td><td>no</td><td></td><td>2 in thp=never madvise=0</td></tr>\n</table>\n"),
		  "compare page");
	buf_free(&page);
	char *out = compare_printed(&c);
	cr_assert(strstr(out, "\nkernel findings in the compared cells:\n"
			      "  in both  " TITLE " (alloc_failure), allowed; base: 2 in thp=always madvise=1, "
			      "thp=never madvise=0; new: 2 in thp=always madvise=1, thp=never madvise=0\n"
			      "  NEW      WARNING in __alloc_pages_slowpath (warning); new: 2 in thp=never madvise=0\n"
			      "1 new (a regression), 0 gone; allowed titles decide nothing\n"),
		  "got:\n%s", out);
	free(out);
	cmp_free(&c);

	/* the other way round: the title is gone, an improvement */
	compare_dirs(&c, nw, base, 1);
	cr_assert_eq(summ(&c, "findings_new"), 0);
	cr_assert_eq(summ(&c, "findings_gone"), 1);
	cr_assert_str_eq(json_string_value(json_object_get(ftitle(&c, 1), "status")), "gone");
	cr_assert_eq(compare_exit_code(c.doc, 1), 0, "bisect: good");
	cmp_free(&c);
	free(base);
	free(nw);
}

Test(findings_views, compare_allowed_title_decides_nothing)
{
	char *base = golden_run("pagefrag61");
	char *nw = copy_run("pagefrag61", "new");
	set_findings(nw, 0, json_pack("[o]", finding("warning", "WARNING in foo", 1, 1)));
	struct cmp c;
	compare_dirs(&c, base, nw, 1);
	cr_assert_eq(summ(&c, "findings_new"), 0);
	json_t *t = ftitle(&c, 1);
	cr_assert_str_eq(json_string_value(json_object_get(t, "status")), "new");
	cr_assert(json_is_true(json_object_get(t, "allowed")));
	cr_assert(json_is_false(json_object_get(t, "regression")));
	cr_assert_eq(compare_exit_code(c.doc, 1), 0);
	cmp_free(&c);
	free(base);
	free(nw);
}

Test(findings_views, compare_base_without_findings_compares_no_title)
{
	char *base = copy_run("pagefrag61", "old");
	set_findings(base, 0, NULL);
	set_findings(base, 1, NULL);
	char *nw = golden_run("pagefrag612");
	struct cmp c;
	compare_dirs_tol(&c, base, nw, 1, 10.0);
	cr_assert_eq(summ(&c, "regressed"), 0);
	json_t *f = json_object_get(c.doc, "findings");
	cr_assert(json_is_false(json_object_get(f, "compared")));
	cr_assert_str_eq(json_string_value(json_object_get(f, "reason")),
			 "the base run records no findings (an older oomlab)");
	cr_assert_eq(summ(&c, "findings_new"), 0);
	cr_assert_eq(compare_exit_code(c.doc, 1), 0);
	char *out = compare_printed(&c);
	cr_assert(strstr(out, "\nkernel findings are not compared: the base run records no findings (an older "
			      "oomlab)\n"),
		  "got:\n%s", out);
	free(out);
	cmp_free(&c);
	free(base);
	free(nw);
}

Test(findings_views, compare_of_runs_without_findings_is_unchanged)
{
	char *a = golden_path("compare/k61"), *b = golden_path("compare/k612");
	struct cmp c;
	compare_dirs(&c, a, b, 0);
	cr_assert_null(json_object_get(c.doc, "findings"));
	cr_assert_null(json_object_get(json_object_get(c.doc, "summary"), "findings_new"));
	char *out = compare_printed(&c);
	cr_assert_null(strstr(out, "kernel findings"));
	free(out);
	cmp_free(&c);
	free(a);
	free(b);
}

/* ---- HTML ---- */

static char *page_of(const char *dir)
{
	struct rundir r;
	struct buf err = {0};
	cr_assert_eq(rundir_load(dir, &r, &err), 0, "%s", err.data);
	struct buf page = {0};
	report_html_run(&page, &r, "");
	rundir_free(&r);
	return page.data;
}

Test(findings_views, html_run_and_cell_pages)
{
	char *d = copy_run("pagefrag612", "h");
	json_t *fs = json_pack("[o]", finding("warning", "WARNING in <script>alert(1)</script>", 2, 0));
	json_object_set_new(json_array_get(fs, 0), "raw", json_string("WARNING: <b>&\"'"));
	json_object_set_new(json_array_get(fs, 0), "frames", json_pack("[s,s]", "a<b", "c"));
	set_findings(d, 0, fs);
	char *p = page_of(d);
	cr_assert_null(strstr(p, "<script>alert"), "the guest's title is escaped");
	cr_assert(strstr(p, "<h2>Kernel findings</h2>\n<p>2 distinct titles in 2 of 2 cells; 2 not allowed.</p>\n"
			    "<table class=\"findings\"><tr><th>title</th><th>kind</th><th>count</th><th>cells</th>"
			    "<th>allowed</th></tr>\n"
			    "<tr class=\"regressed\"><td>WARNING in &lt;script&gt;alert(1)&lt;/script&gt;</td>"
			    "<td>warning</td><td class=\"n\">2</td><td><a href=\"#cell-" CELL1
			    "\">thp=always madvise=1</a></td><td>no</td></tr>\n"
			    "<tr class=\"regressed\"><td>" TITLE "</td><td>alloc_failure</td><td class=\"n\">1</td>"
			    "<td><a href=\"#cell-" CELL2 "\">thp=never madvise=0</a></td><td>no</td></tr>\n"
			    "</table>\n<h2>Outcomes</h2>"),
		  "run page findings");
	cr_assert(strstr(p, "<h3>Kernel findings</h3>\n<table class=\"findings\"><tr><th>title</th><th>kind</th>"
			    "<th>time (s)</th><th>count</th><th>allowed</th><th>frames</th></tr>\n"
			    "<tr class=\"regressed\"><td>WARNING in &lt;script&gt;alert(1)&lt;/script&gt;</td>"
			    "<td>warning</td><td class=\"n\">1.50</td><td class=\"n\">2</td><td>no</td>"
			    "<td><code>a&lt;b</code> <code>c</code></td></tr>\n"
			    "<tr><td colspan=\"6\"><details><summary>kernel report</summary><pre>WARNING: "
			    "&lt;b&gt;&amp;&quot;&#39;</pre></details></td></tr>\n</table>\n"),
		  "cell section findings");
	cr_assert(strstr(p, "<g class=\"marker finding\"><title>WARNING in &lt;script&gt;alert(1)&lt;/script&gt; at "
			    "1.50 s: warning, 2 times, not allowed</title>"),
		  "timeline marker");
	cr_assert(strstr(p, "<g class=\"marker finding\"><title>" TITLE " at 3.79 s: alloc_failure, 1 time, "
			    "not allowed</title>"),
		  "the real finding's marker");
	free(p);

	/* allowed, with who allowed it */
	char *g61 = golden_path("runs/pagefrag61");
	char *q = page_of(g61);
	free(g61);
	cr_assert(strstr(q, "<td>alloc_failure</td><td class=\"n\">2</td><td><a href=\"#cell-" CELL1
			    "\">thp=always madvise=1</a>, <a href=\"#cell-" CELL2
			    "\">thp=never madvise=0</a></td><td>yes</td></tr>\n"));
	cr_assert(strstr(q, "<td>yes (alloc_failure)</td>"));
	free(q);

	/* a run of an older oomlab: no findings section anywhere */
	char *old = golden_path("runs/article");
	char *r = page_of(old);
	cr_assert_null(strstr(r, "Kernel findings"));
	cr_assert_null(strstr(r, "marker finding"));
	free(r);
	free(old);
	free(d);
}
