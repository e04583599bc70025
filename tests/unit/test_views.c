// SPDX-License-Identifier: GPL-2.0-or-later
/* The reports people and CI systems read: the escaper, the SVG plots, the
 * HTML page, JUnit and KCIDB. Pages are built from real runs
 * (tests/golden/runs/article: make demo's matrix on Debian 6.1;
 * tests/golden/compare/k61) with hostile strings put where the guest's
 * text goes: process names, workload names, kernel messages. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cicheck.h"
#include "reports/compare.h"
#include "golden.h"
#include "reports/html/page.h"
#include "lib/jsonx.h"
#include "reports/markup.h"
#include "reports/junit/junit.h"
#include "reports/kcidb/kcidb.h"
#include "reports/html/html.h"
#include "lib/sha256.h"
#include "lib/spawn.h"
#include "reports/html/svg.h"
#include "lib/util.h"

/* What a hostile guest could name a process or print: markup, both quotes,
 * control characters, DEL, a C1 control, broken UTF-8. */
static const char hostile[] = "<img src=x onerror=alert(1)>\"'&\x01\x1b[31m\x7f\xc2\x85\xff<script>alert(2)</script>";

static char tdir[128];

static void setup(void)
{
	snprintf(tdir, sizeof tdir, "/tmp/oomlab-vtest-XXXXXX");
	cr_assert_not_null(mkdtemp(tdir));
}

static void teardown(void)
{
	rm_rf(tdir);
}

TestSuite(views, .init = setup, .fini = teardown);

static char *esc(const char *s, size_t n)
{
	struct buf b = {0};
	markup_escn(&b, s, n);
	return b.data ? b.data : xstrdup("");
}

Test(views, escapes_markup_quotes_and_controls)
{
	char *e = esc(hostile, strlen(hostile));
	cr_assert_str_eq(e, "&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;\\x01\\x1b[31m\\x7f\\xc2\\x85\\xff"
			    "&lt;script&gt;alert(2)&lt;/script&gt;");
	free(e);
}

Test(views, keeps_text_and_wellformed_utf8)
{
	const char s[] = "MemAvailable\t185760 kB\né → ✓ 𝄞";
	char *e = esc(s, strlen(s));
	cr_assert_str_eq(e, s);
	free(e);
}

Test(views, rejects_overlong_surrogate_and_nonchar)
{
	/* overlong '/', a UTF-16 surrogate, U+FFFE, a NUL, a cut sequence */
	const char s[] = "\xc0\xaf|\xed\xa0\x80|\xef\xbf\xbe|\0|\xe2\x82";
	char *e = esc(s, sizeof s - 1);
	cr_assert_str_eq(e, "\\xc0\\xaf|\\xed\\xa0\\x80|\\xef\\xbf\\xbe|\\x00|\\xe2\\x82");
	free(e);
}

Test(views, ticks_are_nice_and_cover_the_range)
{
	static const double ranges[][2] = {{0, 183}, {1.23, 2.57}, {0, 30905}, {-3, 7}, {0.001, 0.0042}, {5, 5}};
	for (size_t r = 0; r < ARRAY_SIZE(ranges); r++) {
		double t[16], step;
		size_t n = svg_ticks(ranges[r][0], ranges[r][1], 5, t, 16, &step);
		cr_assert(n >= 2 && n <= 16, "range %zu: %zu ticks", r, n);
		double mant = step / pow(10, floor(log10(step)));
		cr_assert(fabs(mant - 1) < 1e-9 || fabs(mant - 2) < 1e-9 || fabs(mant - 5) < 1e-9,
			  "range %zu: step %g", r, step);
		for (size_t i = 0; i < n; i++) {
			cr_assert(t[i] >= ranges[r][0] - 1e-9 * step, "range %zu tick %g", r, t[i]);
			if (i)
				cr_assert(fabs(t[i] - t[i - 1] - step) < 1e-6 * step);
		}
	}
	double t[4], step;
	cr_assert_eq(svg_ticks(2, 1, 5, t, 4, &step), 0);
	cr_assert_eq(svg_ticks(NAN, 1, 5, t, 4, &step), 0);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

Test(views, plot_draws_points_gaps_and_escaped_markers)
{
	double x[] = {0, 1, 2, 3, 4}, y[] = {10, 20, NAN, 40, 50};
	struct svg_series s = {"MemFree", "#123456", x, y, 5, 0};
	struct svg_marker m = {2.5, "OOM", hostile, "oom"};
	struct svg_plot p = {.title = "Memory", .xlabel = "time (s)", .ylabel = "MB", .series = &s,
			     .n_series = 1, .markers = &m, .n_markers = 1, .y_from_zero = 1};
	struct buf b = {0};
	svg_plot(&b, &p);
	cr_assert(strstr(b.data, "data-points=\"4\""), "%s", b.data);
	/* the NaN splits the line: two moves */
	const char *d = strstr(b.data, " d=\"");
	cr_assert_not_null(d);
	char *end = strchr(d + 4, '"');
	char *path = xstrndup(d + 4, (size_t)(end - d - 4));
	cr_assert_eq(count(path, "M"), 2, "%s", path);
	cr_assert_eq(count(path, "L"), 2, "%s", path);
	free(path);
	cr_assert_eq(count(b.data, "<img"), 0);
	cr_assert_eq(count(b.data, "<script"), 0);
	cr_assert(strstr(b.data, "&lt;img src=x onerror=alert(1)&gt;"));
	cr_assert(strstr(b.data, "time (s)") && strstr(b.data, ">MB<"));
	buf_free(&b);
	struct svg_plot empty = {.title = "Pressure", .xlabel = "t", .ylabel = "%"};
	svg_plot(&b, &empty);
	cr_assert(strstr(b.data, "no samples"));
	buf_free(&b);
}

Test(views, thinning_keeps_the_peak)
{
	enum { N = 20000 };
	double *x = xcalloc(N, sizeof *x), *y = xcalloc(N, sizeof *y);
	for (size_t i = 0; i < N; i++) {
		x[i] = (double)i / 1000;
		y[i] = 100;
	}
	y[12345] = 1000; /* one sample: the peak must survive */
	struct svg_series s = {"x", "#000", x, y, N, 0};
	struct svg_plot p = {.title = "t", .xlabel = "s", .ylabel = "MB", .series = &s, .n_series = 1,
			     .y_from_zero = 1};
	struct buf b = {0};
	svg_plot(&b, &p);
	size_t pts = count(b.data, "L") + count(b.data, "M");
	cr_assert(pts < 4 * 600, "%zu points drawn", pts);
	/* y of 1000 is the top of the axis (MT = 34) */
	cr_assert(strstr(b.data, " 34.0 "), "the peak is missing");
	buf_free(&b);
	free(x);
	free(y);
}

Test(views, link_base_is_relative)
{
	char *a = xasprintf("%s/run", tdir), *o = xasprintf("%s/out/deep", tdir);
	cr_assert_eq(mkdir_p(a, 0755), 0);
	cr_assert_eq(mkdir_p(o, 0755), 0);
	char *s = html_link_base(a, a);
	cr_assert_str_eq(s, "");
	free(s);
	s = html_link_base(o, a);
	cr_assert_str_eq(s, "../../run/");
	free(s);
	s = html_link_base(tdir, a);
	cr_assert_str_eq(s, "run/");
	free(s);
	free(a);
	free(o);
}

/* A real run with hostile text where the guest's strings go, and one
 * workload of each verdict. */
static void load_hostile(const char *rel, struct rundir *r)
{
	char *dir = golden_path(rel);
	struct buf err = {0};
	cr_assert_eq(rundir_load(dir, r, &err), 0, "%s", err.data);
	free(dir);
	json_t *c0 = json_array_get(r->cells, 0);
	json_t *ev = json_array_get(json_object_get(c0, "oom_events"), 0);
	cr_assert_not_null(ev, "the first cell has an OOM kill");
	json_object_set_new(ev, "victim_comm", json_text(hostile, strlen(hostile)));
	json_object_set_new(c0, "console_tail", json_text(hostile, strlen(hostile)));
	json_t *w0 = json_array_get(json_object_get(c0, "workloads"), 0);
	json_object_set_new(w0, "verdict_reason", json_text(hostile, strlen(hostile)));
	static const char *const verdicts[] = {"FAIL", "BROK", "SKIP"};
	for (size_t i = 0; i < ARRAY_SIZE(verdicts); i++) {
		json_t *c = json_array_get(r->cells, i + 1);
		json_object_set_new(c, "verdict", json_string(verdicts[i]));
		json_object_set_new(json_array_get(json_object_get(c, "workloads"), 0), "verdict",
				    json_string(verdicts[i]));
	}
	buf_free(&err);
}

static void assert_inert(const char *page)
{
	cr_assert_eq(count(page, "<img"), 0);
	cr_assert_eq(count(page, "<script"), 0);
	cr_assert_eq(count(page, "onerror=alert(1)>"), 0);
	for (const unsigned char *p = (const unsigned char *)page; *p; p++)
		cr_assert(*p >= 0x20 || *p == '\n' || *p == '\t' || *p == '\r', "raw control byte 0x%02x", *p);
}

Test(views, html_page_of_a_real_run)
{
	struct rundir r;
	load_hostile("runs/article", &r);
	struct buf page = {0};
	report_html_run(&page, &r, "");
	assert_inert(page.data);
	cr_assert(count(page.data, "&lt;img src=x onerror=alert(1)&gt;") >= 3, "escaped text shown");
	size_t cells = json_array_size(r.cells);
	/* eight plots a cell (five, and the three of reclaim); the memory plot
	 * of every cell has points */
	cr_assert_eq(count(page.data, "<svg class=\"plot\""), 8 * cells);
	cr_assert_eq(count(page.data, "aria-label=\"Kernel memory: slab, kernel stacks, page tables\""), cells);
	cr_assert_eq(count(page.data, "<section class=\"cell\""), cells);
	cr_assert_geq(count(page.data, "class=\"marker oom\""), 3);
	cr_assert(strstr(page.data, "href=\"cells/overcommit-0-swap-0.console.log\""));
	cr_assert(strstr(page.data, "time since guest boot (s)"));
	/* the grid: overcommit_memory across, swap_mb down */
	cr_assert(strstr(page.data, "swap_mb \\ overcommit_memory"));
	cr_assert(strstr(page.data, "Content-Security-Policy"));
	buf_free(&page);
	rundir_free(&r);
}

Test(views, html_compare_page)
{
	struct rundir a, b;
	struct buf err = {0};
	char *da = golden_path("compare/k61"), *db = golden_path("compare/k612");
	cr_assert_eq(rundir_load(da, &a, &err), 0, "%s", err.data);
	cr_assert_eq(rundir_load(db, &b, &err), 0, "%s", err.data);
	json_t *doc = compare_runs(&a, &b, &(struct cmp_opts){.tol_pct = 5});
	struct buf page = {0};
	report_html_compare(&page, &a, &b, doc);
	assert_inert(page.data);
	size_t regressed = 0, i, j;
	json_t *c, *w;
	json_array_foreach(json_object_get(doc, "cells"), i, c)
		json_array_foreach(json_object_get(c, "workloads"), j, w)
			regressed += !strcmp(json_string_value(json_object_get(w, "status")), "regressed");
	cr_assert_gt(regressed, 0, "6.1 vs 6.12 has regressed workloads");
	cr_assert_eq(count(page.data, "<tr class=\"regressed\">"), regressed);
	/* both runs' curves: A solid, B dashed, in each matched cell's plots */
	cr_assert_gt(count(page.data, "data-name=\"A: MemAvailable\""), 0);
	cr_assert_gt(count(page.data, "data-name=\"B: MemAvailable\""), 0);
	/* the runs booted in different times: both start at their first workload */
	cr_assert(strstr(page.data, "time since the first workload started (s)"));
	json_decref(doc);
	buf_free(&page);
	rundir_free(&a);
	rundir_free(&b);
	free(da);
	free(db);
	buf_free(&err);
}

Test(views, junit_validates_with_one_case_per_workload)
{
	struct rundir r;
	load_hostile("runs/article", &r);
	struct buf x = {0};
	report_junit(&x, &r);
	assert_inert(x.data);
	size_t wl = 0, i;
	json_t *c;
	json_array_foreach(r.cells, i, c)
		wl += json_array_size(json_object_get(c, "workloads"));
	cr_assert_eq(count(x.data, "<testcase "), wl);
	cr_assert_eq(count(x.data, "<failure type=\"FAIL\""), 1);
	cr_assert_eq(count(x.data, "<error type=\"BROK\""), 1);
	cr_assert_eq(count(x.data, "<skipped type=\"SKIP\""), 1);
	cr_assert(strstr(x.data, "message=\"endpoint oom_killed at 682 MB; predicted oom_killed, 588..748 MB\""),
		  "%s", x.data);
	cr_assert_eq(junit_valid(tdir, &x), 0, "junit.xml does not validate");
	buf_free(&x);
	rundir_free(&r);
}

Test(views, kcidb_validates_against_the_schema)
{
	struct rundir r;
	load_hostile("runs/article", &r);
	json_t *k = report_kcidb(&r, &(struct kcidb_opts){"oomlab_test", "https://ci.example.org/runs/x/"});
	json_t *tests = json_object_get(k, "tests");
	size_t wl = 0, i;
	json_t *c;
	json_array_foreach(r.cells, i, c)
		wl += json_array_size(json_object_get(c, "workloads"));
	cr_assert_eq(json_array_size(tests), wl);
	cr_assert_eq(json_array_size(json_object_get(k, "builds")), 1);
	static const char *const want[] = {"PASS", "FAIL", "ERROR", "SKIP"};
	size_t seen[4] = {0};
	json_t *t;
	json_array_foreach(tests, i, t)
		for (size_t s = 0; s < 4; s++)
			seen[s] += !strcmp(json_string_value(json_object_get(t, "status")), want[s]);
	for (size_t s = 0; s < 4; s++)
		cr_assert_gt(seen[s], 0, "no %s test", want[s]);
	json_t *t0 = json_array_get(tests, 0);
	cr_assert_str_eq(json_string_value(json_object_get(t0, "log_url")),
			 "https://ci.example.org/runs/x/cells/overcommit-0-swap-0.console.log");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(t0, "number"), "unit")), "MB");
	cr_assert_eq(kcidb_valid(tdir, k), 0, "kcidb.json does not validate");
	/* default URLs: file:// of the run dir */
	json_decref(k);
	k = report_kcidb(&r, NULL);
	cr_assert_eq(kcidb_valid(tdir, k), 0, "kcidb.json with file:// URLs does not validate");
	cr_assert_eq(strncmp(json_string_value(json_object_get(json_array_get(json_object_get(k, "tests"), 0), "log_url")),
			     "file:///", 8),
		     0);
	json_decref(k);
	rundir_free(&r);
}

Test(views, url_base_and_origin_checks)
{
	cr_assert(kcidb_url_base_ok("https://ci.example.org/a%20b/"));
	cr_assert(kcidb_url_base_ok("file:///srv/runs/"));
	cr_assert_not(kcidb_url_base_ok("https://ci.example.org/a b/"));
	cr_assert_not(kcidb_url_base_ok("https://ci.example.org/x"));
	cr_assert_not(kcidb_url_base_ok("/srv/runs/"));
	cr_assert_not(kcidb_url_base_ok("ht<tp://x/"));
	cr_assert(kcidb_origin_ok("my_ci2"));
	cr_assert_not(kcidb_origin_ok("My-CI"));
	cr_assert_not(kcidb_origin_ok(""));
}

/* ---- kernel findings in JUnit and KCIDB (docs/findings.md) ---- */

static json_t *finding(const char *kind, const char *title, long long t_us, int count, const char *allowed_by)
{
	return json_pack("{s:s,s:s,s:I,s:i,s:[s],s:s,s:b,s:b,s:s?}", "kind", kind, "title", title, "t_us",
			 (json_int_t)t_us, "count", count, "frames", "__alloc_pages_slowpath", "raw", title,
			 "raw_truncated", 0, "allowed", allowed_by != NULL, "allowed_by", allowed_by);
}

/* The real run with findings: the first cell a warning not allowed (twice)
 * and an allowed allocation failure, the third the same warning and a
 * hostile title, the second only the allowed one. */
static void load_findings(struct rundir *r)
{
	char *dir = golden_path("runs/article");
	struct buf err = {0};
	cr_assert_eq(rundir_load(dir, r, &err), 0, "%s", err.data);
	free(dir);
	json_t *c0 = json_array_get(r->cells, 0), *c1 = json_array_get(r->cells, 1), *c2 = json_array_get(r->cells, 2);
	json_object_set_new(c0, "findings",
			    json_pack("[o,o]", finding("alloc_failure", "page allocation failure in pagefrag", 1500000, 37,
						       "alloc_failure"),
				      finding("warning", "WARNING in __alloc_pages_slowpath", 12345678, 2, NULL)));
	json_object_set_new(c1, "findings",
			    json_pack("[o]", finding("alloc_failure", "page allocation failure in pagefrag", 7, 1,
						     "alloc_failure")));
	json_object_set_new(c2, "findings",
			    json_pack("[o,o]", finding("warning", "WARNING in __alloc_pages_slowpath", 20000000, 1, NULL),
				      finding("bug", "BUG: x", 21000000, 1, NULL)));
	json_t *h = json_array_get(json_object_get(c2, "findings"), 1);
	cr_assert_not_null(h);
	json_object_set_new(h, "title", json_text(hostile, strlen(hostile)));
	json_object_set_new(h, "raw", json_text(hostile, strlen(hostile)));
	buf_free(&err);
}

Test(views, junit_a_findings_case_per_cell_with_findings)
{
	struct rundir r;
	load_findings(&r);
	struct buf x = {0};
	report_junit(&x, &r);
	assert_inert(x.data);
	size_t wl = 0, i;
	json_t *c;
	json_array_foreach(r.cells, i, c)
		wl += json_array_size(json_object_get(c, "workloads"));
	cr_assert_eq(count(x.data, "<testcase "), wl + 3);
	cr_assert_eq(count(x.data, "name=\"findings\""), 3);
	/* two cells with a finding not allowed fail; the article run has no FAIL of its own */
	cr_assert_eq(count(x.data, "<failure type=\"FAIL\""), 2);
	cr_assert(strstr(x.data, "failures=\"2\""), "%s", x.data);
	cr_assert(strstr(x.data, "<failure type=\"FAIL\" message=\"WARNING in __alloc_pages_slowpath\">"
				 "1 kernel finding not allowed:\n"
				 "page allocation failure in pagefrag (alloc_failure, 37 times, at 1.500000 s): "
				 "allowed by alloc_failure\n"
				 "WARNING in __alloc_pages_slowpath (warning, 2 times, at 12.345678 s): not allowed</failure>"),
		  "%s", x.data);
	cr_assert(strstr(x.data, "<failure type=\"FAIL\" message=\"WARNING in __alloc_pages_slowpath\">"
				 "2 kernel findings not allowed:\n"),
		  "%s", x.data);
	/* only allowed: the case passes, the findings in its output */
	cr_assert(strstr(x.data, "name=\"findings\" time=\"")
		  && strstr(x.data, "<system-out>page allocation failure in pagefrag (alloc_failure, 1 time, at 0.000007 s): "
				    "allowed by alloc_failure</system-out>"),
		  "%s", x.data);
	cr_assert_eq(junit_valid(tdir, &x), 0, "junit.xml does not validate");
	buf_free(&x);
	rundir_free(&r);
}

Test(views, kcidb_an_issue_per_title_an_incident_per_finding)
{
	struct rundir r;
	load_findings(&r);
	json_t *k = report_kcidb(&r, &(struct kcidb_opts){"oomlab_test", "https://ci.example.org/runs/x/"});
	size_t wl = 0, i;
	json_t *c;
	json_array_foreach(r.cells, i, c)
		wl += json_array_size(json_object_get(c, "workloads"));
	json_t *tests = json_object_get(k, "tests"), *issues = json_object_get(k, "issues"),
	       *inc = json_object_get(k, "incidents");
	cr_assert_eq(json_array_size(tests), wl + 3);
	cr_assert_eq(json_array_size(issues), 3);
	cr_assert_eq(json_array_size(inc), 5);
	/* the id is the hash of the title: the same in every run */
	json_t *iw = json_array_get(issues, 1);
	cr_expect_str_eq(json_string_value(json_object_get(iw, "comment")), "WARNING in __alloc_pages_slowpath");
	struct sha256 h;
	char hex[65];
	const char *t = "WARNING in __alloc_pages_slowpath";
	sha256_init(&h);
	sha256_update(&h, t, strlen(t));
	sha256_hex(&h, hex);
	char *want = xasprintf("oomlab_test:finding-%.16s", hex);
	cr_expect_str_eq(json_string_value(json_object_get(iw, "id")), want);
	cr_expect(json_is_true(json_object_get(json_object_get(iw, "culprit"), "code")));
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(iw, "misc"), "kind")), "warning");
	/* both cells' incidents of the warning name that issue and their own test */
	size_t n = 0;
	json_t *x;
	json_array_foreach(inc, i, x)
		if (!strcmp(json_string_value(json_object_get(x, "issue_id")), want)) {
			n++;
			cr_expect(json_is_true(json_object_get(x, "present")));
			cr_expect(strstr(json_string_value(json_object_get(x, "test_id")), ".findings") != NULL);
		}
	cr_expect_eq(n, 2);
	free(want);
	/* the findings tests: FAIL with one not allowed, PASS with only allowed ones */
	static const char *const st[] = {"FAIL", "PASS", "FAIL"};
	for (size_t k2 = 0; k2 < 3; k2++) {
		json_t *ft = NULL;
		json_array_foreach(tests, i, x) {
			const char *cid = json_string_value(json_object_get(json_object_get(json_array_get(r.cells, k2), "cell"), "id"));
			char *suffix = xasprintf(".%s.findings", cid);
			const char *id = json_string_value(json_object_get(x, "id"));
			if (strlen(id) > strlen(suffix) && !strcmp(id + strlen(id) - strlen(suffix), suffix))
				ft = x;
			free(suffix);
		}
		cr_assert_not_null(ft, "cell %zu has no findings test", k2);
		cr_expect_str_eq(json_string_value(json_object_get(ft, "status")), st[k2], "cell %zu", k2);
	}
	cr_assert_eq(kcidb_valid(tdir, k), 0, "kcidb.json does not validate");
	json_decref(k);
	/* a run without findings has neither issues nor incidents, as before */
	rundir_free(&r);
	load_hostile("runs/article", &r);
	k = report_kcidb(&r, NULL);
	cr_expect_null(json_object_get(k, "issues"));
	cr_expect_null(json_object_get(k, "incidents"));
	json_decref(k);
	rundir_free(&r);
}
