// SPDX-License-Identifier: GPL-2.0-or-later
/* Kernel findings in the reports (docs/findings.md): the cell report's
 * "findings" and the run.json row's, from a recorded cell replayed with
 * findings; the kinds of docs/findings.md and of the schemas against
 * finding_kind_table. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "judge/cellreport.h"
#include "judge/collect.h"
#include "judge/findings.h"
#include "judge/outcome.h"
#include "lib/util.h"
#include "lib/vocab.h"
#include "plan/matrix.h"
#include "reports/rundir.h"

static const char *groot(void)
{
	const char *r = getenv("OOMLAB_ROOT");
	return r && *r ? r : ".";
}

static char *slurp(const char *rel)
{
	char *p = xasprintf("%s/%s", groot(), rel), *data = NULL;
	size_t n = 0;
	cr_assert_eq(read_file(p, &data, &n), 0, "%s", p);
	free(p);
	return data;
}

/* The rows of the table after "first column lists finding-kinds". */
Test(findings_report, docs_table_is_finding_kind_table)
{
	char *doc = slurp("docs/findings.md");
	const char *at = strstr(doc, "<!-- docs-test: first column lists finding-kinds -->");
	cr_assert_not_null(at, "docs/findings.md has no kinds table");
	at = strstr(at, "|---|---|\n");
	cr_assert_not_null(at);
	at += strlen("|---|---|\n");
	for (int i = 0; i < FINDING_KIND_COUNT; i++) {
		char *want = xasprintf("| `%s` | %s |\n", finding_kind_table[i].word, finding_kind_table[i].meaning);
		cr_assert_eq(strncmp(at, want, strlen(want)), 0, "row %d: want %s got %.120s", i, want, at);
		at += strlen(want);
		free(want);
	}
	cr_expect_neq(*at, '|', "the table has more rows than the kinds: %.80s", at);
	free(doc);
}

/* The enum of kinds in a schema, in the table's order. */
static void same_kinds(json_t *e, const char *what)
{
	cr_assert(json_is_array(e), "%s: no enum", what);
	cr_assert_eq(json_array_size(e), FINDING_KIND_COUNT, "%s", what);
	for (int i = 0; i < FINDING_KIND_COUNT; i++)
		cr_expect_str_eq(json_string_value(json_array_get(e, (size_t)i)), finding_kind_table[i].word, "%s[%d]",
				 what, i);
}

Test(findings_report, schema_enums_are_the_kinds)
{
	char *cs = slurp("reports/cell.schema.json"), *rs = slurp("reports/run.schema.json");
	json_t *c = json_loads(cs, 0, NULL), *r = json_loads(rs, 0, NULL);
	cr_assert_not_null(c);
	cr_assert_not_null(r);
	same_kinds(json_object_get(json_object_get(json_object_get(c, "$defs"), "finding_kind"), "enum"),
		   "cell $defs.finding_kind");
	json_t *row = json_object_get(json_object_get(json_object_get(json_object_get(r, "properties"), "cells"),
						      "items"),
				      "properties");
	json_t *fi = json_object_get(json_object_get(json_object_get(row, "findings"), "items"), "properties");
	same_kinds(json_object_get(json_object_get(fi, "kind"), "enum"), "run cells[].findings[].kind");
	json_decref(c);
	json_decref(r);
	free(cs);
	free(rs);
}

struct replay {
	struct matrix m;
	const struct cell_spec *cs;
	char *stream, *console;
	size_t sl, cl;
	struct cell_obs obs;
	struct cell_outcome oc;
};

/* The recorded cell `id` of tests/golden/cells, judged. */
static void replay(struct replay *r, const char *id)
{
	memset(r, 0, sizeof *r);
	char *mp = xasprintf("%s/tests/golden/cells/cells.json", groot());
	struct buf err = {0};
	cr_assert_eq(matrix_load(mp, &r->m, &err), 0, "%s", err.data);
	free(mp);
	for (size_t i = 0; i < r->m.n_cells; i++)
		if (!strcmp(r->m.cells[i].id, id))
			r->cs = &r->m.cells[i];
	cr_assert_not_null(r->cs, "no cell %s", id);
	char *sp = xasprintf("%s/tests/golden/cells/%s.stream", groot(), id);
	char *cp = xasprintf("%s/tests/golden/cells/%s.console.log", groot(), id);
	cr_assert_eq(read_file(sp, &r->stream, &r->sl), 0, "%s", sp);
	cr_assert_eq(read_file(cp, &r->console, &r->cl), 0, "%s", cp);
	free(sp);
	free(cp);
	collect_cell(r->stream, r->sl, r->console, r->cl, r->cs->n_wl, &r->obs);
	struct vm_result vr = {0};
	outcome_compute(r->cs, &r->obs, &vr, &r->oc);
}

static void replay_free(struct replay *r)
{
	cell_outcome_free(&r->oc);
	cell_obs_free(&r->obs);
	matrix_free(&r->m);
	free(r->stream);
	free(r->console);
}

static json_t *report(struct replay *r)
{
	struct cell_ctx cx = {.run_id = "t", .index = 0, .accel = "tcg", .append = "console=ttyS0",
			      .console_file = "c.console.log", .stream_file = "c.stream"};
	return report_cell(r->cs, &r->obs, &r->oc, &cx);
}

/* A recorded cell without a finding: an empty array in the report and
 * in its row. */
Test(findings_report, none_is_an_empty_array)
{
	struct replay r;
	replay(&r, "overcommit-0-swap-512");
	json_t *rep = report(&r);
	json_t *f = json_object_get(rep, "findings");
	cr_assert(json_is_array(f));
	cr_expect_eq(json_array_size(f), 0);
	json_t *row = rundir_cell_row(rep, "cells/c.json");
	cr_assert(json_is_array(json_object_get(row, "findings")));
	cr_expect_eq(json_array_size(json_object_get(row, "findings")), 0);
	/* an old report without the key: the row still has one */
	json_object_del(rep, "findings");
	json_decref(row);
	row = rundir_cell_row(rep, "cells/c.json");
	cr_expect(json_is_array(json_object_get(row, "findings")));
	json_decref(row);
	json_decref(rep);
	replay_free(&r);
}

/* Every key of a finding in the cell report and in the row, exactly. */
Test(findings_report, a_finding_in_the_report_and_the_row)
{
	struct replay r;
	replay(&r, "overcommit-0-swap-512");
	static const char *const allow[] = {"alloc_failure"};
	struct cell_spec cs = *r.cs;
	cs.allow = (char **)allow;
	cs.n_allow = 1;
	struct finding f[2];
	memset(f, 0, sizeof f);
	f[0].kind = FK_HUNG_TASK;
	snprintf(f[0].title, sizeof f[0].title, "INFO: task hung in folio_wait_bit_common");
	f[0].ts_us = 12345678;
	f[0].count = 1;
	static const char *const frames[] = {"folio_wait_bit_common", "filemap_fault", "__do_fault"};
	for (int k = 0; k < 3; k++)
		snprintf(f[0].frames[k], sizeof f[0].frames[k], "%s", frames[k]);
	f[0].n_frames = 3;
	f[0].raw_len = (size_t)snprintf(f[0].raw, sizeof f[0].raw, "INFO: task touch:123 blocked for more than 2 seconds.\n"
								   "Call Trace:");
	f[1].kind = FK_ALLOC_FAILURE;
	snprintf(f[1].title, sizeof f[1].title, "page allocation failure in pagefrag");
	f[1].ts_us = 20000000;
	f[1].count = 40;
	f[1].raw_len = sizeof f[1].raw;
	memset(f[1].raw, 'x', sizeof f[1].raw);
	f[1].raw_truncated = 1;
	struct findings fs = {.f = f, .n = 2, .cap = 2, .open = -1};
	cell_findings_free(&r.oc.findings);
	cell_findings_collect(&cs, &fs, NULL, &r.oc.findings);
	json_t *rep = report(&r);
	json_t *got = json_object_get(rep, "findings");
	cr_assert_eq(json_array_size(got), 2);
	json_t *want = json_loads("{\"kind\": \"hung_task\", \"title\": \"INFO: task hung in folio_wait_bit_common\","
				  " \"t_us\": 12345678, \"count\": 1,"
				  " \"frames\": [\"folio_wait_bit_common\", \"filemap_fault\", \"__do_fault\"],"
				  " \"raw\": \"INFO: task touch:123 blocked for more than 2 seconds.\\nCall Trace:\","
				  " \"raw_truncated\": false, \"allowed\": false, \"allowed_by\": null}",
				  0, NULL);
	cr_assert_not_null(want);
	char *g0 = json_dumps(json_array_get(got, 0), JSON_SORT_KEYS), *w0 = json_dumps(want, JSON_SORT_KEYS);
	cr_expect_str_eq(g0, w0);
	free(g0);
	free(w0);
	json_decref(want);
	json_t *a = json_array_get(got, 1);
	cr_expect_str_eq(json_string_value(json_object_get(a, "kind")), "alloc_failure");
	cr_expect_eq(json_integer_value(json_object_get(a, "count")), 40);
	cr_expect_eq(json_array_size(json_object_get(a, "frames")), 0);
	cr_expect_eq(strlen(json_string_value(json_object_get(a, "raw"))), 4096);
	cr_expect(json_is_true(json_object_get(a, "raw_truncated")));
	cr_expect(json_is_true(json_object_get(a, "allowed")));
	cr_expect_str_eq(json_string_value(json_object_get(a, "allowed_by")), "alloc_failure");
	json_t *row = rundir_cell_row(rep, "cells/c.json");
	char *rf = json_dumps(json_object_get(row, "findings"), JSON_SORT_KEYS);
	cr_expect_str_eq(rf, "[{\"allowed\": false, \"count\": 1, \"kind\": \"hung_task\", \"title\": \"INFO: task hung in "
			     "folio_wait_bit_common\"}, {\"allowed\": true, \"count\": 40, \"kind\": \"alloc_failure\", "
			     "\"title\": \"page allocation failure in pagefrag\"}]");
	free(rf);
	json_decref(row);
	json_decref(rep);
	cell_findings_free(&r.oc.findings);
	replay_free(&r);
}
