// SPDX-License-Identifier: GPL-2.0-or-later
/* The whole cell report, and its row in run.json, of every recorded cell
 * (raw stream and console captured from real VMs) against a golden copy:
 * the judge may be rearranged, what it writes may not change unnoticed.
 *
 * The golden reports are tests/golden/<set>/<id>.report.json. After a
 * deliberate change of the report, write them again with
 *   OOMLAB_UPDATE_GOLDEN=1 OOMLAB_ROOT=. build/tests/unit --filter 'cellreport_golden/[a-z]*'
 * and read the diff before committing it. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "judge/cellreport.h"
#include "judge/collect.h"
#include "judge/outcome.h"
#include "lib/buildid.h"
#include "lib/jsonx.h"
#include "lib/util.h"
#include "plan/matrix.h"
#include "reports/rundir.h"

static const char *groot(void)
{
	const char *r = getenv("OOMLAB_ROOT");
	return r && *r ? r : ".";
}

/* The report of cell cs replayed from <dir>/<id>.stream and .console.log,
 * with the host-side context fixed (no kernel, no times). */
static json_t *replay_report(const char *dir, const struct cell_spec *cs, size_t index)
{
	char *sp = xasprintf("%s/%s.stream", dir, cs->id);
	char *cp = xasprintf("%s/%s.console.log", dir, cs->id);
	char *stream = NULL, *console = NULL;
	size_t sl = 0, cl = 0;
	cr_assert_eq(read_file(sp, &stream, &sl), 0, "%s", sp);
	cr_assert_eq(read_file(cp, &console, &cl), 0, "%s", cp);
	struct cell_obs obs;
	collect_cell(stream, sl, console, cl, cs->n_wl, &obs);
	struct vm_result vr = {0};
	struct cell_outcome oc;
	outcome_compute(cs, &obs, &vr, &oc);
	struct cell_ctx cx = {
		.run_id = "golden",
		.index = index,
		.accel = "tcg",
		.append = "console=ttyS0",
		.console_file = "c.console.log",
		.stream_file = "c.stream",
	};
	json_t *rep = report_cell(cs, &obs, &oc, &cx);
	cell_outcome_free(&oc);
	cell_obs_free(&obs);
	free(stream);
	free(console);
	free(sp);
	free(cp);
	return rep;
}

static void check_set(const char *set)
{
	char *dir = xasprintf("%s/tests/golden/%s", groot(), set);
	char *mp = xasprintf("%s/cells.json", dir);
	struct matrix m;
	struct buf err = {0};
	cr_assert_eq(matrix_load(mp, &m, &err), 0, "%s", err.data);
	const char *upd = getenv("OOMLAB_UPDATE_GOLDEN");
	size_t checked = 0;
	for (size_t i = 0; i < m.n_cells; i++) {
		const struct cell_spec *cs = &m.cells[i];
		char *sp = xasprintf("%s/%s.stream", dir, cs->id);
		int have = path_exists(sp);
		free(sp);
		if (!have)
			continue;
		json_t *doc = json_object();
		json_t *rep = replay_report(dir, cs, i);
		/* the build's commit and whether its tree was modified: checked
		 * here, then left out, or every commit would change the goldens */
		json_t *tool = json_object_get(rep, "tool"), *want_tool = buildid_tool_json();
		cr_assert(json_equal(tool, want_tool), "%s: tool is not buildid_tool_json()", cs->id);
		json_decref(want_tool);
		cr_assert_eq(json_object_del(tool, "commit") + json_object_del(tool, "modified"), 0);
		json_object_set_new(doc, "row", rundir_cell_row(rep, "cells/c.json"));
		json_object_set_new(doc, "report", rep);
		char *text = json_dumps(doc, JSON_SORT_KEYS | JSON_INDENT(1));
		json_decref(doc);
		char *gp = xasprintf("%s/%s.report.json", dir, cs->id);
		if (upd && *upd) {
			cr_assert_eq(write_file_atomic(gp, text, strlen(text)), 0, "%s", gp);
		} else {
			char *want = NULL;
			size_t wl = 0;
			cr_assert_eq(read_file(gp, &want, &wl), 0, "%s is missing (OOMLAB_UPDATE_GOLDEN=1 writes it)",
				     gp);
			/* the first differing line, to read the change */
			size_t at = 0, line = 1;
			while (text[at] && text[at] == want[at]) {
				if (text[at] == '\n')
					line++;
				at++;
			}
			cr_expect(!text[at] && !want[at], "%s differs from the golden report at line %zu: got '%.80s', want '%.80s'",
				  gp, line, text + at, want + at);
			free(want);
		}
		free(gp);
		free(text);
		checked++;
	}
	cr_expect_gt(checked, 0, "no recorded cell in %s", dir);
	matrix_free(&m);
	buf_free(&err);
	free(mp);
	free(dir);
}

Test(cellreport_golden, article_and_612_cells)
{
	check_set("cells");
}

Test(cellreport_golden, stressng_cells)
{
	check_set("stressng");
}

Test(cellreport_golden, zswap_cells)
{
	check_set("zswap");
}
