// SPDX-License-Identifier: GPL-2.0-or-later
/* The HTML report in a real browser: a real one-cell run (the article's
 * first cell: alloc and touch, no swap, both OOM-killed), its report.html
 * and junit.xml as oomlab run writes them, a KCIDB file, and a page made
 * after hostile strings were put into the cell report where the guest's
 * text goes. Headless Chromium (Debian's chromium) loads the pages; the
 * DOM it built must hold the plots with their points, and nothing a
 * hostile string carried may have become an element or run. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "itest.h"
#include "lib/jsonx.h"
#include "lib/spawn.h"
#include "lib/util.h"

TestSuite(browser, .init = setup, .fini = teardown, .timeout = 240);

static const char matrix[] = "{\"name\": \"browser\", \"timeout_s\": 60, "
			     "\"cells\": [{\"name\": \"overcommit=0 swap=0\", \"overcommit_memory\": 0, "
			     "\"workloads\": [\"alloc\", \"touch\"]}]}";

/* Each string would change the page's title if it ran. */
static const char *const hostile[] = {
	"<img src=x onerror=\"document.title='PWNED-img'\">\"'\x01\x7f",
	"<script>document.title='PWNED-script'</script>",
	"<svg onload=\"document.title='PWNED-svg'\"></svg>",
};

/* Run argv (NULL-terminated) with stdout to out_path; exit code. */
static int run_to(char **argv, const char *out_path, int timeout_ms)
{
	FILE *f = fopen(out_path, "w");
	cr_assert_not_null(f);
	struct spawn_opts o = {tmpdir, SPAWN_DEVNULL, fileno(f), SPAWN_DEVNULL};
	int st = 0;
	cr_assert_eq(run_argv(argv, &o, timeout_ms, &st), 0, "%s did not finish in time", argv[0]);
	fclose(f);
	cr_assert(WIFEXITED(st), "%s: %s", argv[0], status_str(st));
	return WEXITSTATUS(st);
}

/* Headless Chromium on a file: --dump-dom (the DOM after load) or a
 * screenshot. HOME and the profile point into the test's temp dir. */
static char *chromium(const char *html, const char *screenshot)
{
	char *home = xasprintf("HOME=%s", tmpdir);
	char *profile = xasprintf("--user-data-dir=%s/chromium", tmpdir);
	char *url = xasprintf("file://%s", html);
	char *shot = screenshot ? xasprintf("--screenshot=%s", screenshot) : xstrdup("--dump-dom");
	char *argv[] = {"env", home, "chromium", "--headless", "--no-sandbox", "--disable-gpu",
			"--no-first-run", "--disable-extensions", profile, "--window-size=1280,2200",
			shot, url, NULL};
	char *out = xasprintf("%s/chromium.out", tmpdir);
	int rc = run_to(argv, out, 90 * 1000);
	cr_assert_eq(rc, 0, "chromium exit %d", rc);
	char *dom = NULL;
	cr_assert_eq(read_file(out, &dom, NULL), 0);
	free(home);
	free(profile);
	free(url);
	free(shot);
	free(out);
	return dom;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static int validate_ci(const char *kind, const char *file)
{
	char *tool = xasprintf("%s/tests/validate-ci", root());
	char *argv[] = {tool, (char *)kind, (char *)file, NULL};
	char *log = xasprintf("%s/validate.out", tmpdir);
	int rc = run_to(argv, log, 60 * 1000);
	char *text = NULL;
	read_file(log, &text, NULL);
	if (rc)
		cr_log_error("%s", text ? text : "");
	free(text);
	free(log);
	free(tool);
	return rc;
}

/* The plots of the DOM: every <svg class="plot"> and the points its
 * series carry. */
static void assert_plots(const char *dom, size_t want_plots)
{
	cr_assert_eq(count(dom, "<svg class=\"plot\""), want_plots, "plots in the DOM");
	size_t with_points = 0;
	for (const char *p = dom; (p = strstr(p, "<path class=\"series\"")); p++) {
		const char *dp = strstr(p, "data-points=\"");
		cr_assert_not_null(dp);
		with_points += atoi(dp + 13) > 1;
	}
	/* MemFree, MemAvailable, Cached, Committed_AS, CommitLimit, PSI x2,
	 * two workloads' VmRSS */
	cr_assert_geq(with_points, 9, "series with points: %zu", with_points);
	cr_assert_geq(count(dom, "class=\"marker oom\""), 2 * 4, "an OOM marker per kill per plot");
}

Test(browser, report_renders_plots_and_stays_inert)
{
	json_t *cell;
	char *dir;
	int rc = run_matrix(matrix, &cell, &dir);
	cr_assert_eq(rc, 0, "the cell should PASS");
	validate(dir);

	/* what oomlab run wrote */
	char *html = xasprintf("%s/report.html", dir), *junit = xasprintf("%s/junit.xml", dir);
	cr_assert(path_exists(html) && path_exists(junit));
	cr_assert_eq(validate_ci("junit", junit), 0);
	char *kcidb = xasprintf("%s/kcidb.json", tmpdir);
	char *bin = xasprintf("%s/build/san/oomlab", root());
	char *out = xasprintf("%s/report.out", tmpdir);
	char *kargv[] = {bin, "report", dir, "--kcidb", kcidb, NULL};
	cr_assert_eq(run_to(kargv, out, 60000), 0);
	cr_assert_eq(validate_ci("kcidb", kcidb), 0);

	char *dom = chromium(html, NULL);
	cr_assert(strstr(dom, "<title>oomlab run browser-"), "the page loaded: %.300s", dom);
	assert_plots(dom, 8); /* memory, commit, kernel memory, PSI, VmRSS; reclaim, swap, efficiency */
	free(dom);

	/* hostile strings where the guest's text goes */
	json_t *ev = json_array_get(json_object_get(cell, "oom_events"), 0);
	cr_assert_not_null(ev);
	json_object_set_new(ev, "victim_comm", json_text(hostile[0], strlen(hostile[0])));
	json_object_set_new(cell, "console_tail", json_text(hostile[1], strlen(hostile[1])));
	json_object_set_new(wl(cell, 0), "verdict_reason", json_text(hostile[2], strlen(hostile[2])));
	json_object_set_new(json_object_get(cell, "kernel"), "version", json_text(hostile[1], strlen(hostile[1])));
	char *cpath = xasprintf("%s/cells/%s.json", dir, str(json_object_get(cell, "cell"), "id"));
	cr_assert_eq(json_write_atomic(cpath, cell), 0);
	char *hpage = xasprintf("%s/hostile.html", tmpdir);
	char *hargv[] = {bin, "report", dir, "--html", "-o", hpage, NULL};
	cr_assert_eq(run_to(hargv, out, 60000), 0);
	dom = chromium(hpage, NULL);
	cr_assert(strstr(dom, "<title>oomlab run browser-"), "a hostile string changed the title");
	cr_assert_eq(count(dom, "PWNED-img'\">"), 0);
	cr_assert_eq(count(dom, "<img"), 0, "a hostile string became an element");
	cr_assert_eq(count(dom, "<script"), 0, "a hostile string became a script");
	cr_assert_eq(count(dom, "<svg onload"), 0);
	/* shown as text instead */
	cr_assert_geq(count(dom, "&lt;img src=x onerror="), 1);
	cr_assert_geq(count(dom, "&lt;script&gt;document.title="), 1);
	assert_plots(dom, 8); /* memory, commit, kernel memory, PSI, VmRSS; reclaim, swap, efficiency */
	free(dom);

	/* and what a person sees */
	char *png = xasprintf("%s/report.png", tmpdir);
	free(chromium(html, png));
	char *img = NULL;
	size_t n = 0;
	cr_assert_eq(read_file(png, &img, &n), 0, "no screenshot");
	cr_assert(n > 20000 && !memcmp(img, "\x89PNG", 4), "screenshot: %zu bytes", n);
	free(img);

	free(png);
	free(hpage);
	free(cpath);
	free(out);
	free(bin);
	free(kcidb);
	free(html);
	free(junit);
	free(dir);
	json_decref(cell);
}

/* The search page of oomlab fuzz-knobs (no VM: the recorded guided and
 * random searches of tests/golden/search/), as oomlab report writes it:
 * two plots of two curves of 4 points each, the points' table, nothing
 * active. */
Test(browser, search_page_renders)
{
	char *bin = xasprintf("%s/build/san/oomlab", root());
	char *g = xasprintf("%s/tests/golden/search/guided", root());
	char *r = xasprintf("%s/tests/golden/search/random", root());
	char *html = xasprintf("%s/search.html", tmpdir), *out = xasprintf("%s/report.out", tmpdir);
	char *argv[] = {bin, "report", g, "--html", "-o", html, "--against", r, NULL};
	cr_assert_eq(run_to(argv, out, 60000), 0);
	char *dom = chromium(html, NULL);
	cr_assert(strstr(dom, "<title>oomlab fuzz-knobs overcommit-sweep: guided search, seed 1</title>"),
		  "the page loaded: %.300s", dom);
	cr_assert_eq(count(dom, "<svg class=\"plot\""), 2);
	cr_assert_eq(count(dom, "<path class=\"series\""), 4);
	cr_assert_eq(count(dom, "data-points=\"4\""), 4, "each curve has its 4 points");
	cr_assert_eq(count(dom, "<script"), 0);
	cr_assert(strstr(dom, "<tr class=\"sigs\"><td>guided, seed 1 (this run): signatures</td><td class=\"n\">1</td>"
			      "<td class=\"n\">2</td><td class=\"n\">3</td><td class=\"n\">3</td></tr>"));
	free(dom);
	free(bin);
	free(g);
	free(r);
	free(html);
	free(out);
}

/* The run page of a sweep (no VM: the recorded tests/golden/runs/sweep61,
 * two knobs of two values, three repeats) with its Knob effects section:
 * 15 figures for each knob, every point with its error bar, nothing
 * active. docs/report-effects.png is that section. */
Test(browser, knob_effects_render)
{
	char *bin = xasprintf("%s/build/san/oomlab", root());
	char *dir = xasprintf("%s/tests/golden/runs/sweep61", root());
	char *html = xasprintf("%s/sweep.html", tmpdir), *out = xasprintf("%s/report.out", tmpdir);
	char *argv[] = {bin, "report", dir, "--html", "-o", html, NULL};
	cr_assert_eq(run_to(argv, out, 60000), 0);
	char *dom = chromium(html, NULL);
	cr_assert(strstr(dom, "<h2 id=\"effects\">Knob effects</h2>"), "the page loaded: %.300s", dom);
	cr_assert_eq(count(dom, "<svg class=\"plot effect\""), 30);
	/* 2 knobs x 15 figures x 2 series x 2 values, less time to OOM's 2 x 2
	 * points under overcommit 2 (no OOM kill) */
	cr_assert_eq(count(dom, "<circle class=\"pt"), 116);
	cr_assert_eq(count(dom, "<path class=\"ci\""), 116);
	cr_assert_eq(count(dom, "<script"), 0);
	free(dom);
	free(bin);
	free(dir);
	free(html);
	free(out);
}

/* The compare page (no VM: the recorded 5-repeat swap runs on 6.1 and
 * 6.12, tests/golden/runs/swap61a and swap612) as oomlab compare --html
 * writes it: the table of significant changes first, a plot of the two
 * distributions per changed figure with every repeat a point, then the
 * cells and their timelines; nothing active. docs/compare-page.png is
 * its top. */
Test(browser, compare_page_renders)
{
	char *bin = xasprintf("%s/build/san/oomlab", root());
	char *a = xasprintf("%s/tests/golden/runs/swap61a", root());
	char *b = xasprintf("%s/tests/golden/runs/swap612", root());
	char *html = xasprintf("%s/compare.html", tmpdir), *out = xasprintf("%s/compare.out", tmpdir);
	char *argv[] = {bin, "compare", a, b, "--html", html, NULL};
	cr_assert_eq(run_to(argv, out, 60000), 1, "6.12 regressed");
	char *dom = chromium(html, NULL);
	cr_assert(strstr(dom, "<title>oomlab compare</title>"), "the page loaded: %.300s", dom);
	const char *changes = strstr(dom, "<h2 id=\"changes\">Significant changes</h2>");
	const char *dists = strstr(dom, "<h2 id=\"distributions\">Distributions</h2>");
	const char *cells = strstr(dom, "<table class=\"results\">");
	cr_assert(changes && dists && cells && changes < dists && dists < cells, "the order of the sections");
	cr_assert_eq(count(dom, "<tr class=\"regressed\"><td><a href=\"#dist-"), 3, "MB reached, peak RSS, pgscan direct");
	cr_assert_eq(count(dom, "<svg class=\"plot dist\""), 3);
	cr_assert_eq(count(dom, "<circle class=\"rep a\""), 15, "5 repeats of A per plot");
	cr_assert_eq(count(dom, "<circle class=\"rep b\""), 15);
	cr_assert_geq(count(dom, "<svg class=\"plot\""), 4, "the timelines of the matched cell");
	cr_assert_eq(count(dom, "<script"), 0);
	free(dom);
	free(bin);
	free(a);
	free(b);
	free(html);
	free(out);
}
