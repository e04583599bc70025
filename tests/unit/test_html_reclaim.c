// SPDX-License-Identifier: GPL-2.0-or-later
/* The reclaim plots of a cell's section (reports/html/cell.c) on a real
 * recorded cell: tests/golden/runs/sweep61, touch with 256 MiB of swap,
 * overcommit 0, repeat 1 (40 samples). The counts of points were worked
 * out apart from the code from series.vmstat of the cell report: a rate
 * per interval between samples (39), an efficiency where the interval
 * scanned pages (29 for kswapd, 28 for direct reclaim). */
#include <criterion/criterion.h>
#include <string.h>

#include "reports/html/page.h"
#include "reports/rundir.h"
#include "golden.h"
#include "lib/util.h"

static char *section(const char *cell)
{
	char *rel = xasprintf("runs/sweep61/cells/%s.json", cell);
	char *path = golden_path(rel);
	struct buf err = {0}, b = {0};
	json_t *c = rundir_load_cell(path, &err);
	cr_assert_not_null(c, "%s", err.data);
	html_cell_section(&b, c, "");
	json_decref(c);
	free(rel);
	free(path);
	return b.data;
}

static const char *plot(const char *h, const char *title)
{
	char *k = xasprintf("aria-label=\"%s\"", title);
	const char *p = strstr(h, k);
	free(k);
	cr_assert_not_null(p, "no plot %s", title);
	return p;
}

Test(html_reclaim, rates_and_efficiency_of_a_swapping_cell)
{
	char *h = section("overcommit-memory-0-swap-mb-256-r1");
	const char *r = plot(h, "Reclaim: pages scanned and stolen");
	const char *s = plot(h, "Swap, refaults and compaction stalls");
	const char *e = plot(h, "Reclaim efficiency: stolen / scanned");
	cr_assert(r < s && s < e && e < strstr(h, "<h3>OOM killer</h3>"), "the three after the cell's plots");
	cr_assert(strstr(r, "aria-label=\"Reclaim: pages scanned and stolen\" data-points=\"156\">"));
	cr_assert(strstr(r, "<path class=\"series\" fill=\"none\" stroke=\"#1f77b4\" data-name=\"pgscan kswapd\" "
			    "data-points=\"39\""));
	cr_assert(strstr(s, "<path class=\"series\" fill=\"none\" stroke=\"#8c564b\" data-name=\"compaction stalls\" "
			    "data-points=\"39\""));
	cr_assert(strstr(e, "aria-label=\"Reclaim efficiency: stolen / scanned\" data-points=\"57\">"));
	cr_assert(strstr(e, "<path class=\"series\" fill=\"none\" stroke=\"#1f77b4\" data-name=\"kswapd\" "
			    "data-points=\"29\""));
	cr_assert(strstr(e, "<path class=\"series\" fill=\"none\" stroke=\"#d62728\" data-name=\"direct\" "
			    "data-points=\"28\""));
	/* the highest rate, 225343 pages/s of direct scanning at 4.4 s,
	 * sets the axis; the OOM kill is marked on each */
	cr_assert(strstr(r, ">250000</text>"));
	cr_assert(strstr(r, "<g class=\"marker oom\">"));
	free(h);
}

Test(html_reclaim, no_reclaim_no_efficiency)
{
	/* no swap, overcommit 2: touch gets ENOMEM before reclaim scans */
	char *h = section("overcommit-memory-2-swap-mb-0-r1");
	cr_assert(strstr(h, "aria-label=\"Reclaim efficiency: stolen / scanned\" data-points=\"0\">"
			    "<text class=\"title\" x=\"56\" y=\"16\">Reclaim efficiency: stolen / scanned</text>"
			    "<text class=\"empty\""));
	free(h);
}
