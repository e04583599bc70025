// SPDX-License-Identifier: GPL-2.0-or-later
/* The Markdown summaries (reports/markdown.c) of recorded runs: a run
 * whose cells FAIL on a kernel finding (tests/golden/runs/pagefrag612), a
 * run that passes (swap61a), and the comparisons of the 5-repeat swap
 * runs (6.1 against 6.1 and against 6.12: the numbers of
 * docs/compare.md#statistics) and of single runs (the tolerance rule). */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "golden.h"
#include "runcopy.h"
#include "lib/util.h"
#include "reports/compare.h"
#include "reports/markdown.h"
#include "reports/rundir.h"

static json_t *load_run(const char *rel)
{
	char *dir = golden_path(rel);
	struct buf err = {0};
	json_t *run = rundir_load_run(dir, &err);
	cr_assert_not_null(run, "%s", err.data);
	free(dir);
	return run;
}

static char *run_md(const char *rel, const char *html)
{
	json_t *run = load_run(rel);
	struct buf b = {0};
	markdown_run(&b, run, html);
	json_decref(run);
	return b.data;
}

static char *compare_md(const char *base, const char *nw, const char *html)
{
	struct rundir b, n;
	struct buf err = {0};
	char *bd = golden_path(base), *nd = golden_path(nw);
	cr_assert_eq(rundir_load(bd, &b, &err), 0, "%s", err.data);
	cr_assert_eq(rundir_load(nd, &n, &err), 0, "%s", err.data);
	json_t *doc = compare_runs(&b, &n, &(struct cmp_opts){.tol_pct = COMPARE_TOL_PCT});
	struct buf md = {0};
	markdown_compare(&md, doc, html);
	json_decref(doc);
	rundir_free(&b);
	rundir_free(&n);
	free(bd);
	free(nd);
	return md.data;
}

Test(markdown, run_with_findings_not_allowed)
{
	char *md = run_md("runs/pagefrag612", NULL);
	cr_assert_str_eq(md, "### oomlab run pagefrag-20261201-195735: FAIL\n\n"
			     "matrix pagefrag on 6.12.117+deb12-amd64: 2 cells, **0 PASS, 2 FAIL, 0 BROK, 0 SKIP**\n\n"
			     "| cell | verdict | why |\n|---|---|---|\n"
			     "| thp=always madvise=1 | FAIL | kernel finding: page allocation failure in sock\\_kmalloc |\n"
			     "| thp=never madvise=0 | FAIL | kernel finding: page allocation failure in sock\\_kmalloc |\n\n"
			     "Kernel findings not allowed:\n\n"
			     "- page allocation failure in sock\\_kmalloc (alloc\\_failure): 2 cells\n");
	free(md);
}

Test(markdown, run_that_passes)
{
	char *md = run_md("runs/swap61a", "results/swap/report.html");
	cr_assert_str_eq(md, "### oomlab run touchswap5-20261201-214903: PASS\n\n"
			     "matrix touchswap5 on 6.1.0-57-amd64: 5 cells, **5 PASS, 0 FAIL, 0 BROK, 0 SKIP**\n\n"
			     "HTML report: results/swap/report.html\n");
	free(md);
}

/* More than MARKDOWN_MAX_ROWS cells FAIL: 20 rows, then how many more. */
Test(markdown, long_tables_are_cut)
{
	json_t *run = load_run("runs/pagefrag612");
	json_t *cells = json_object_get(run, "cells"), *row = json_deep_copy(json_array_get(cells, 0));
	json_object_set_new(row, "findings", json_array());
	for (int i = 0; i < 23; i++)
		json_array_append(cells, row);
	json_decref(row);
	struct buf b = {0};
	markdown_run(&b, run, NULL);
	/* the two cells of the run, then 18 of the 23 copies */
	const char *line = "\n| thp=";
	size_t n = 0;
	for (const char *p = b.data; (p = strstr(p, line)); p += strlen(line))
		n++;
	cr_assert_eq(n, 20, "rows: %zu", n);
	cr_assert(strstr(b.data, "\n\nand 5 more FAIL or BROK cells\n\nKernel findings not allowed:\n\n"
				 "- page allocation failure in sock\\_kmalloc (alloc\\_failure): 2 cells\n"),
		  "got %s", b.data);
	buf_free(&b);
	json_decref(run);
}

Test(markdown, escapes)
{
	struct buf b = {0};
	markdown_esc(&b, "a|b *c* _d_ `e` [f](g) <h> ~i~ & \\ #1\n\t!");
	cr_assert_str_eq(b.data, "a\\|b \\*c\\* \\_d\\_ \\`e\\` \\[f\\](g) \\<h> \\~i\\~ \\& \\\\ #1  !");
	buf_free(&b);
}

/* What the guest or the matrix wrote stays text in a table row. */
Test(markdown, hostile_row)
{
	json_t *run = load_run("runs/pagefrag612");
	json_t *row = json_array_get(json_object_get(run, "cells"), 0);
	json_object_set_new(row, "name", json_string("a|b <img src=x>"));
	json_object_set_new(row, "verdict_reason", json_string("x\n| y | z |"));
	struct buf b = {0};
	markdown_run(&b, run, NULL);
	cr_assert(strstr(b.data, "\n| a\\|b \\<img src=x> | FAIL | x \\| y \\| z \\| |\n"), "got %s", b.data);
	buf_free(&b);
	json_decref(run);
}

Test(markdown, compare_kernels)
{
	char *md = compare_md("runs/swap61a", "runs/swap612", "cmp/page.html");
	cr_assert_str_eq(
		md, "### oomlab compare: REGRESSED\n\n"
		    "base touchswap5-20261201-214903 (6.1.0-57-amd64) → touchswap5-20261201-214951 "
		    "(6.12.117+deb12-amd64): 1 compared, **1 regressed**, 0 changed, 0 same; 0 only in base, 0 only "
		    "in new, 0 skipped (BROK)\n\n"
		    "| cell | workload | change | p adjusted (raw) | verdict |\n|---|---|---|---|---|\n"
		    "| touch swap #1 | touch | MB reached 230.1 (2.2) 5 → 251.8 (1.1) 5, +21.7 [+19, +24.4] MB | "
		    "1.3e-05 (1.2e-06) | REGRESSED |\n"
		    "| touch swap #1 | touch | peak RSS 175 (0) 5 → 189.4 (0.45) 5, +14.3 [+13.8, +14.9] MB | "
		    "2.9e-06 (2.4e-07) | REGRESSED |\n"
		    "| touch swap #1 | - | pgscan direct 29539 (1217) 5 → 6759 (1032) 5, -22780 [-24433, -21127] "
		    "pages | 2e-08 (1.5e-09) | REGRESSED |\n\n"
		    "Tested: Welch's t-test (Fisher's exact test for endpoint and victim), Holm's correction over 13 "
		    "tests, alpha 0.01; a change reads base → new as mean (sd) n, then the difference [95% CI].\n\n"
		    "HTML report: cmp/page.html\n");
	free(md);
}

Test(markdown, compare_same_kernel)
{
	char *md = compare_md("runs/swap61a", "runs/swap61b", NULL);
	cr_assert_str_eq(md, "### oomlab compare: no regression\n\n"
			     "base touchswap5-20261201-214903 (6.1.0-57-amd64) → touchswap5-20261201-214931 "
			     "(6.1.0-57-amd64): 1 compared, **0 regressed**, 0 changed, 1 same; 0 only in base, 0 only "
			     "in new, 0 skipped (BROK)\n\n"
			     "Nothing regressed or changed.\n\n"
			     "Tested: Welch's t-test (Fisher's exact test for endpoint and victim), Holm's correction "
			     "over 12 tests, alpha 0.01; a change reads base → new as mean (sd) n, then the difference "
			     "[95% CI].\n");
	free(md);
}

/* One repeat a side: the tolerance rule's reasons, no p-value. */
Test(markdown, compare_single_runs)
{
	char *md = compare_md("compare/k61", "compare/k612", NULL);
	cr_assert_str_eq(md, "### oomlab compare: REGRESSED\n\n"
			     "base compare-20261122-032021 (6.1.0-56-amd64) → compare-20261122-032034 "
			     "(6.12.117+deb12-amd64): 3 compared, **1 regressed**, 0 changed, 2 same; 0 only in base, 0 "
			     "only in new, 0 skipped (BROK)\n\n"
			     "| cell | workload | change | p adjusted (raw) | verdict |\n|---|---|---|---|---|\n"
			     "| overcommit=0 | alloc | MB reached 30233.6 -> 32623.9 (+7.9%, tolerance 5.0%); time to "
			     "OOM 0.84 s -> 1.16 s (+38%) | - | REGRESSED |\n"
			     "| overcommit=0 | touch | MB reached 171.7 -> 186.7 (+8.8%, tolerance 5.0%) | - | "
			     "REGRESSED |\n\n"
			     "3 compared cells decided by the tolerance rule (no p-value: not enough repeats).\n");
	free(md);
}

/* A new kernel finding title the new cells did not allow (added to the
 * document of the pagefrag runs, whose one title is in both). */
Test(markdown, compare_new_finding)
{
	struct rundir b, n;
	struct buf err = {0};
	char *bd = golden_path("runs/pagefrag61"), *nd = golden_path("runs/pagefrag612");
	cr_assert_eq(rundir_load(bd, &b, &err), 0, "%s", err.data);
	cr_assert_eq(rundir_load(nd, &n, &err), 0, "%s", err.data);
	json_t *doc = compare_runs(&b, &n, &(struct cmp_opts){.tol_pct = 10});
	json_t *fd = json_object_get(doc, "findings");
	cr_assert(json_is_true(json_object_get(fd, "compared")));
	json_array_append_new(json_object_get(fd, "titles"),
			      json_pack("{s:s,s:s,s:b,s:{s:i}}", "title", "WARNING in __alloc_pages_slowpath", "status",
					"new", "regression", 1, "new", "count", 2));
	json_object_set_new(json_object_get(doc, "summary"), "findings_new", json_integer(1));
	struct buf md = {0};
	markdown_compare(&md, doc, NULL);
	cr_assert(strstr(md.data, "### oomlab compare: REGRESSED\n"), "got %s", md.data);
	/* the title in both runs is not listed */
	cr_assert(strstr(md.data, "\n\nNew kernel findings not allowed:\n\n"
				  "- WARNING in \\_\\_alloc\\_pages\\_slowpath: 2 cells\n"),
		  "got %s", md.data);
	cr_assert_null(strstr(md.data, "sock\\_kmalloc"));
	buf_free(&md);
	json_decref(doc);
	rundir_free(&b);
	rundir_free(&n);
	free(bd);
	free(nd);
}

/* Through the commands: --markdown and --json exclude each other; report
 * --markdown names DIR/report.html when it is there, and prints nothing
 * else. */
Test(markdown, commands)
{
	cr_redirect_stdout();
	cr_redirect_stderr();
	char tdir[] = "/tmp/oomlab-mdtest-XXXXXX";
	cr_assert_not_null(mkdtemp(tdir));
	char *a = golden_path("runs/swap61a"), *n = golden_path("runs/swap612");
	char *c1[] = {"compare", "--json", "--markdown", a, n, NULL};
	cr_assert_eq(cmd_compare(5, c1), EXIT_USAGE);
	char *c2[] = {"compare", "--bisect", "--json", "--markdown", a, n, NULL};
	cr_assert_eq(cmd_compare(6, c2), EXIT_BISECT_ABORT);
	char *dir = run_copy(tdir, a, "run");
	char *page = xasprintf("%s/report.html", dir);
	FILE *f = fopen(page, "w");
	cr_assert_not_null(f);
	fclose(f);
	char *r1[] = {"report", dir, "--markdown", NULL};
	cr_assert_eq(cmd_report(3, r1), 0);
	fflush(stdout);
	char *want = xasprintf("### oomlab run touchswap5-20261201-214903: PASS\n\n"
			       "matrix touchswap5 on 6.1.0-57-amd64: 5 cells, **5 PASS, 0 FAIL, 0 BROK, 0 SKIP**\n\n"
			       "HTML report: %s\n",
			       page);
	cr_assert_stdout_eq_str(want);
	free(want);
	free(page);
	free(dir);
	free(a);
	free(n);
	rm_rf(tdir);
}
