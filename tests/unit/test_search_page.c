// SPDX-License-Identifier: GPL-2.0-or-later
/* The search page of oomlab fuzz-knobs (reports/html/search.c) and the
 * numbers under it (reports/search.c), on two real sampled.json:
 * tests/golden/search/guided/ and random/ (sampled.json), made by
 *   OOMLAB_CACHE=/work/cache build/oomlab fuzz-knobs examples/overcommit-sweep.json \
 *       --cells 4 -j1 --seed 1 -o /tmp/sp/G            (and --random -o /tmp/sp/R)
 * on Debian 6.1: the guided search found 3 distinct signatures in 4 cells
 * (1, 2, 3, 3), random 2 (1, 2, 2, 2); neither had a kernel finding, so
 * the findings table is tested on a copy with findings put in by hand.
 * Also which FAIL cells fuzz-knobs minimises, and when it starts to. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "lib/util.h"
#include "reports/html/search.h"
#include "reports/search.h"

static json_t *load_golden(const char *name)
{
	char *p = golden_path(name);
	json_error_t je;
	json_t *j = json_load_file(p, 0, &je);
	cr_assert_not_null(j, "%s: %s", p, je.text);
	free(p);
	return j;
}

static json_t *load(const char *text)
{
	json_error_t je;
	json_t *j = json_loads(text, 0, &je);
	cr_assert_not_null(j, "%s", je.text);
	return j;
}

static char *page(json_t *s, json_t *base)
{
	struct buf b = {0};
	report_html_search(&b, s, base, "");
	cr_assert_not_null(b.data);
	return b.data;
}

static size_t count(const char *h, const char *needle)
{
	size_t n = 0;
	for (const char *p = h; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

Test(search, curves_of_the_recorded_runs)
{
	json_t *g = load_golden("search/guided/sampled.json"), *r = load_golden("search/random/sampled.json");
	struct search_curve cg, cr;
	search_curve(g, &cg);
	search_curve(r, &cr);
	cr_assert_eq(cg.n, 4);
	cr_assert_eq(cr.n, 4);
	size_t gs[] = {1, 2, 3, 3}, rs[] = {1, 2, 2, 2};
	for (size_t i = 0; i < 4; i++) {
		cr_expect_eq(cg.sigs[i], gs[i], "guided after %zu cells: %zu", i + 1, cg.sigs[i]);
		cr_expect_eq(cr.sigs[i], rs[i], "random after %zu cells: %zu", i + 1, cr.sigs[i]);
		cr_expect_eq(cg.titles[i], 0);
		cr_expect_eq(cr.titles[i], 0);
	}
	/* the last point is what fuzz-knobs counted */
	cr_expect_eq(cg.sigs[3], (size_t)json_integer_value(json_object_get(g, "distinct_signatures")));
	cr_expect_eq(cr.sigs[3], (size_t)json_integer_value(json_object_get(r, "distinct_signatures")));
	search_curve_free(&cg);
	search_curve_free(&cr);
	cr_expect_null(cg.sigs);
	json_decref(g);
	json_decref(r);
}

Test(search, signatures_with_first_cell_and_parent)
{
	json_t *g = load_golden("search/guided/sampled.json");
	json_t *rows = search_signatures(g);
	cr_assert_eq(json_array_size(rows), 3);
	static const struct {
		const char *hash;
		int first, cells;
		const char *mutation;
	} want[] = {{"c5f15c3475a6c690", 0, 2, NULL},
		    {"67e1ef4f859be098", 1, 1, "workload-option"},
		    {"4124636567a5ced7", 2, 1, NULL}};
	for (size_t i = 0; i < 3; i++) {
		json_t *row = json_array_get(rows, i);
		cr_expect_str_eq(json_string_value(json_object_get(row, "hash")), want[i].hash);
		cr_expect_eq(json_integer_value(json_object_get(row, "first")), want[i].first);
		cr_expect_eq(json_integer_value(json_object_get(row, "cells")), want[i].cells);
		cr_expect(json_is_true(json_object_get(row, "new")));
		json_t *o = json_object_get(row, "origin");
		if (want[i].mutation) {
			cr_expect_str_eq(json_string_value(json_object_get(o, "mutation")), want[i].mutation);
			cr_expect_str_eq(json_string_value(json_object_get(o, "parent")), "c5f15c3475a6c690");
		} else {
			cr_expect(json_is_null(o));
		}
	}
	json_decref(rows);
	json_decref(g);
}

Test(search, page_guided_against_random)
{
	json_t *g = load_golden("search/guided/sampled.json"), *r = load_golden("search/random/sampled.json");
	char *h = page(g, r);
	/* no script, no warning: same matrix, seed, budget, jobs, kernel */
	cr_expect_null(strstr(h, "<script"));
	cr_expect_null(strstr(h, "class=\"warn\""), "%s", h);
	cr_expect_not_null(strstr(h, "<title>oomlab fuzz-knobs overcommit-sweep: guided search, seed 1</title>"));
	/* the runs side by side */
	cr_expect_not_null(strstr(h, "<tr><th></th><th>this run</th><th>against</th></tr>"));
	cr_expect_not_null(strstr(h, "<tr><th>search</th><td>guided</td><td>random</td></tr>"));
	cr_expect_not_null(strstr(h, "<tr><th>seed</th><td class=\"n\">1</td><td class=\"n\">1</td></tr>"));
	cr_expect_not_null(strstr(h, "<tr><th>budget (s)</th><td class=\"n\">600</td><td class=\"n\">600</td></tr>"));
	cr_expect_not_null(strstr(h, "<tr><th>cells run</th><td class=\"n\">4</td><td class=\"n\">4</td></tr>"));
	cr_expect_not_null(
		strstr(h, "<tr><th>distinct signatures</th><td class=\"n\">3</td><td class=\"n\">2</td></tr>"));
	cr_expect_not_null(
		strstr(h, "<tr><th>distinct finding titles</th><td class=\"n\">0</td><td class=\"n\">0</td></tr>"));
	/* two plots of two curves of 4 points each; the other run dashed */
	cr_expect_eq(count(h, "<svg class=\"plot\""), 2);
	cr_expect_not_null(strstr(h, "aria-label=\"distinct signatures after n cells\" data-points=\"8\""));
	cr_expect_not_null(strstr(h, "aria-label=\"distinct finding titles after n cells\" data-points=\"8\""));
	cr_expect_eq(count(h, "data-name=\"guided, seed 1\" data-points=\"4\""), 2);
	cr_expect_eq(count(h, "stroke-dasharray=\"5 3\" data-name=\"random, seed 1\" data-points=\"4\""), 2);
	cr_expect_not_null(strstr(h, "<li>solid line, <b>guided, seed 1</b>: this run, /tmp/sp/G: the guided search "
				     "of overcommit-sweep, seed 1, budget 600 s, 4 cells run</li>"));
	cr_expect_not_null(strstr(h, "<li>dashed line, <b>random, seed 1</b>: against, /tmp/sp/R: the random search "
				     "of overcommit-sweep, seed 1, budget 600 s, 4 cells run</li>"));
	/* the points of the curves */
	cr_expect_not_null(strstr(h, "<tr><th>cells run</th><th class=\"n\">1</th><th class=\"n\">2</th>"
				     "<th class=\"n\">3</th><th class=\"n\">4</th></tr>"), "%s", h);
	cr_expect_not_null(strstr(h, "<tr class=\"sigs\"><td>guided, seed 1 (this run): signatures</td>"
				     "<td class=\"n\">1</td><td class=\"n\">2</td><td class=\"n\">3</td>"
				     "<td class=\"n\">3</td></tr>"));
	cr_expect_not_null(strstr(h, "<tr class=\"sigs\"><td>random, seed 1 (against): signatures</td>"
				     "<td class=\"n\">1</td><td class=\"n\">2</td><td class=\"n\">2</td>"
				     "<td class=\"n\">2</td></tr>"));
	cr_expect_not_null(strstr(h, "<tr class=\"titles\"><td>random, seed 1 (against): finding titles</td>"
				     "<td class=\"n\">0</td><td class=\"n\">0</td><td class=\"n\">0</td>"
				     "<td class=\"n\">0</td></tr>"));
	/* this run's signatures and cells, linked under its dir */
	cr_expect_not_null(strstr(h, "<h2 id=\"signatures\">Signatures (3)</h2>"));
	cr_expect_not_null(strstr(h, "<td class=\"n\">2</td><td>sampled</td><td>yes</td></tr>"));
	cr_expect_not_null(strstr(h, "<td>mutated (workload-option) from <code>c5f15c3475a6c690</code>: "
				     "workloads[1] (touch) hold_ms 0 -&gt; 64</td>"));
	cr_expect_not_null(strstr(h, "<h2 id=\"findings\">Kernel findings (0)</h2>\n<p>No cell had a kernel "
				     "finding.</p>"));
	cr_expect_not_null(strstr(h, "<h2 id=\"cells\">Cells (4)</h2>"));
	cr_expect_not_null(strstr(h, "<a href=\"batch-3/cells/fuzz-3-overcommit-memory-1-overcommit-ratio-46-swap-mb-"
				     "103.json\">report</a>"));
	cr_expect_eq(count(h, "/tmp/sp/G/batch"), 0, "a link was not made relative to the run's dir");
	free(h);
	json_decref(g);
	json_decref(r);
}

Test(search, page_alone_and_dry_run)
{
	json_t *g = load_golden("search/guided/sampled.json");
	char *h = page(g, NULL);
	cr_expect_not_null(strstr(h, "<tr><th></th><th>this run</th></tr>"));
	cr_expect_not_null(strstr(h, "<tr class=\"sigs\"><td>guided, seed 1 (this run): signatures</td>"
				     "<td class=\"n\">1</td><td class=\"n\">2</td><td class=\"n\">3</td>"
				     "<td class=\"n\">3</td></tr>"));
	cr_expect_null(strstr(h, "against"));
	free(h);
	json_decref(g);
	/* --dry-run: cells without a verdict, nothing ran */
	json_t *d = load("{\"matrix\":\"m\",\"search\":\"guided\",\"seed\":7,\"budget_s\":600,\"cells\":["
			 "{\"index\":0,\"name\":\"fuzz 0: swappiness=3\",\"knobs\":{\"swappiness\":3}}]}");
	h = page(d, NULL);
	cr_expect_not_null(strstr(h, "<tr><th>cells run</th><td class=\"n\">0</td></tr>"));
	cr_expect_eq(count(h, "no samples"), 2);
	cr_expect_null(strstr(h, "class=\"curve\""));
	cr_expect_not_null(strstr(h, "<td>not run</td>"));
	free(h);
	json_decref(d);
}

Test(search, warnings_when_not_comparable)
{
	json_t *g = load_golden("search/guided/sampled.json"), *r = load_golden("search/random/sampled.json");
	json_object_set_new(r, "seed", json_integer(2));
	json_object_set_new(r, "matrix_digest", json_string("0000000000000000"));
	json_object_set_new(r, "budget_s", json_integer(1200));
	char *h = page(g, r);
	cr_expect_not_null(strstr(h, "<p class=\"warn\">The two searches sampled different matrices: their curves "
				     "are not comparable.</p>"));
	cr_expect_not_null(strstr(h, "<p class=\"warn\">The two searches ran with different seeds.</p>"));
	cr_expect_not_null(strstr(h, "<p class=\"warn\">The two searches ran with different budgets.</p>"));
	cr_expect_null(strstr(h, "different numbers of VMs"));
	cr_expect_null(strstr(h, "not guided against random"));
	cr_expect_not_null(strstr(h, "data-name=\"random, seed 2\""));
	free(h);
	/* two guided searches */
	h = page(g, g);
	cr_expect_eq(count(h, "class=\"warn\""), 1);
	cr_expect_not_null(strstr(h, "<p class=\"warn\">Both searches are guided: this is not guided against "
				     "random.</p>"));
	free(h);
	json_decref(g);
	json_decref(r);
}

/* The guided run with findings put in by hand (no recorded cell had one):
 * cell 2 a WARNING not allowed (FAIL, minimised) and an allowed page
 * allocation failure, cell 3 the same WARNING again and a title that
 * carries markup. */
static json_t *with_findings(void)
{
	json_t *g = load_golden("search/guided/sampled.json");
	json_t *c2 = json_array_get(json_object_get(g, "cells"), 2), *c3 = json_array_get(json_object_get(g, "cells"), 3);
	json_object_set_new(c2, "verdict", json_string("FAIL"));
	json_object_set_new(c2, "repro", json_string("/tmp/sp/G/repro/fuzz-2.json"));
	json_object_set_new(c2, "findings",
			    load("[{\"kind\":\"warning\",\"title\":\"WARNING in __alloc_pages_slowpath\",\"allowed\":false},"
				 "{\"kind\":\"alloc_failure\",\"title\":\"page allocation failure: order:0\","
				 "\"allowed\":true}]"));
	json_object_set_new(c2, "minimize",
			    load("{\"title\":\"WARNING in __alloc_pages_slowpath\",\"status\":\"minimized\","
				 "\"dir\":\"/tmp/sp/G/repro/fuzz-2-min\",\"log\":\"/tmp/sp/G/repro/fuzz-2-min.log\","
				 "\"seconds\":95,\"minimized\":\"/tmp/sp/G/repro/fuzz-2-min/minimized.json\"}"));
	json_object_set_new(c3, "findings",
			    load("[{\"kind\":\"warning\",\"title\":\"WARNING in __alloc_pages_slowpath\",\"allowed\":false},"
				 "{\"kind\":\"bug\",\"title\":\"BUG: <script>x</script>\",\"allowed\":false}]"));
	return g;
}

Test(search, findings_table_and_titles_curve)
{
	json_t *g = with_findings();
	struct search_curve c;
	search_curve(g, &c);
	size_t want[] = {0, 0, 2, 3};
	for (size_t i = 0; i < 4; i++)
		cr_expect_eq(c.titles[i], want[i], "after %zu cells: %zu titles", i + 1, c.titles[i]);
	search_curve_free(&c);
	json_t *rows = search_findings(g);
	cr_assert_eq(json_array_size(rows), 3);
	json_t *w = json_array_get(rows, 0);
	cr_expect_str_eq(json_string_value(json_object_get(w, "title")), "WARNING in __alloc_pages_slowpath");
	cr_expect_eq(json_integer_value(json_object_get(w, "first")), 2);
	cr_expect_eq(json_integer_value(json_object_get(w, "cells")), 2);
	cr_expect_eq(json_integer_value(json_object_get(w, "not_allowed")), 2);
	json_t *af = json_array_get(rows, 1);
	cr_expect_eq(json_integer_value(json_object_get(af, "cells")), 1);
	cr_expect_eq(json_integer_value(json_object_get(af, "not_allowed")), 0);
	json_decref(rows);

	char *h = page(g, NULL);
	cr_expect_not_null(strstr(h, "<h2 id=\"findings\">Kernel findings (3)</h2>"));
	cr_expect_not_null(
		strstr(h, "<tr class=\"regressed\"><td>WARNING in __alloc_pages_slowpath</td><td>warning</td><td>#2 "
			  "<span class=\"note\">overcommit_memory=1 overcommit_ratio=46 swap_mb=244</span></td>"
			  "<td class=\"n\">2</td><td class=\"n\">2</td><td><a href=\"batch-2/cells/fuzz-2-overcommit-"
			  "memory-1-overcommit-ratio-46-swap-mb-244.json\">cell report</a></td><td><a href=\"repro/"
			  "fuzz-2.json\">repro/fuzz-2.json</a></td><td><a href=\"repro/fuzz-2-min/minimized.json\">"
			  "minimised</a> (95 s) <a href=\"repro/fuzz-2-min\">runs</a></td></tr>"),
		"%s", h);
	cr_expect_not_null(strstr(h, "<tr><td>page allocation failure: order:0</td><td>alloc_failure</td>"));
	cr_expect_not_null(strstr(h, "<td>BUG: &lt;script&gt;x&lt;/script&gt;</td>"));
	cr_expect_null(strstr(h, "<script"));
	cr_expect_not_null(strstr(h, "<tr class=\"titles\"><td>guided, seed 1 (this run): finding titles</td>"
				     "<td class=\"n\">0</td><td class=\"n\">0</td><td class=\"n\">2</td>"
				     "<td class=\"n\">3</td></tr>"));
	cr_expect_not_null(strstr(h, "<tr><th>findings minimised</th><td class=\"n\">1</td></tr>"));
	cr_expect_not_null(strstr(h, "<tr><th>FAIL cells</th><td class=\"n\">1</td></tr>"));
	free(h);
	json_decref(g);
}

Test(search, minimise_status_other_than_minimised)
{
	json_t *g = with_findings();
	json_t *c2 = json_array_get(json_object_get(g, "cells"), 2);
	json_object_set_new(c2, "minimize",
			    load("{\"title\":\"WARNING in __alloc_pages_slowpath\",\"status\":\"not started\","
				 "\"why\":\"40 s left in the budget; its first step (the cell 3 times) needs about 90 s\"}"));
	char *h = page(g, NULL);
	cr_expect_not_null(strstr(h, "<td>not started: 40 s left in the budget; its first step (the cell 3 times) "
				     "needs about 90 s</td></tr>"), "%s", h);
	cr_expect_not_null(strstr(h, "<tr><th>findings minimised</th><td class=\"n\">0</td></tr>"));
	free(h);
	json_decref(g);
}

/* More than 25 cells: the table shows 1, every 5th and the last. */
Test(search, curve_table_of_a_long_search)
{
	json_t *cells = json_array();
	for (int i = 0; i < 62; i++)
		json_array_append_new(cells, json_pack("{s:i,s:s,s:s,s:s%}", "index", i, "name", "c", "verdict", "PASS",
						       "signature_hash", i % 3 ? "a" : "b", (size_t)1));
	json_t *s = json_pack("{s:s,s:s,s:i,s:i,s:o}", "matrix", "m", "search", "random", "seed", 3, "budget_s", 60,
			      "cells", cells);
	char *h = page(s, NULL);
	struct buf want = {0};
	buf_printf(&want, "<tr><th>cells run</th><th class=\"n\">1</th>");
	for (int x = 5; x <= 60; x += 5)
		buf_printf(&want, "<th class=\"n\">%d</th>", x);
	buf_printf(&want, "<th class=\"n\">62</th></tr>");
	cr_expect_not_null(strstr(h, want.data), "%s", h);
	cr_expect_not_null(strstr(h, "<td>random, seed 3 (this run): signatures</td><td class=\"n\">1</td>"
				     "<td class=\"n\">2</td>"));
	buf_free(&want);
	free(h);
	json_decref(s);
}

/* Which cells fuzz-knobs minimises: a FAIL with a finding it does not
 * allow, of a title no earlier cell of the run had. */
Test(search, which_cells_are_minimised)
{
	json_t *seen = load("{\"WARNING in old\": true}");
	static const struct {
		const char *cell, *want;
	} cases[] = {
		{"{\"verdict\":\"FAIL\",\"report\":\"r\",\"findings\":[{\"title\":\"WARNING in new\",\"allowed\":false}]}",
		 "WARNING in new"},
		/* the title came before */
		{"{\"verdict\":\"FAIL\",\"report\":\"r\",\"findings\":[{\"title\":\"WARNING in old\",\"allowed\":false}]}",
		 NULL},
		/* the first is old, the second new */
		{"{\"verdict\":\"FAIL\",\"report\":\"r\",\"findings\":[{\"title\":\"WARNING in old\",\"allowed\":false},"
		 "{\"title\":\"BUG: x\",\"allowed\":false}]}",
		 "BUG: x"},
		/* allowed: the cell fails for another reason */
		{"{\"verdict\":\"FAIL\",\"report\":\"r\",\"findings\":[{\"title\":\"WARNING in new\",\"allowed\":true}]}",
		 NULL},
		/* not FAIL */
		{"{\"verdict\":\"BROK\",\"report\":\"r\",\"findings\":[{\"title\":\"WARNING in new\",\"allowed\":false}]}",
		 NULL},
		{"{\"verdict\":\"PASS\",\"report\":\"r\",\"findings\":[]}", NULL},
		/* no report to minimise from */
		{"{\"verdict\":\"FAIL\",\"findings\":[{\"title\":\"WARNING in new\",\"allowed\":false}]}", NULL},
		/* a FAIL of the oracle, no finding */
		{"{\"verdict\":\"FAIL\",\"report\":\"r\",\"findings\":[]}", NULL},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		json_t *e = load(cases[i].cell);
		const char *t = search_minimize_title(e, seen);
		if (cases[i].want)
			cr_expect(t && !strcmp(t, cases[i].want), "case %zu: %s", i, t ? t : "(none)");
		else
			cr_expect_null(t, "case %zu: %s", i, t);
		json_decref(e);
	}
	json_decref(seen);
}

Test(search, time_a_minimisation_needs_to_start)
{
	cr_expect_float_eq(search_minimize_needs(3, 1, 40), 120, 1e-9);
	cr_expect_float_eq(search_minimize_needs(3, 2, 40), 80, 1e-9);
	cr_expect_float_eq(search_minimize_needs(3, 4, 40), 40, 1e-9);
	cr_expect_float_eq(search_minimize_needs(1, 1, 10.5), 10.5, 1e-9);
}
