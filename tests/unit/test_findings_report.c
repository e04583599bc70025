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
#include "replay.h"

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

/* The recorded cell id of tests/golden/cells, judged. */
static void golden_cell(struct replay *r, const char *id)
{
	replay_cell(r, "tests/golden/cells/cells.json", "tests/golden/cells", id);
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
	golden_cell(&r, "overcommit-0-swap-512");
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
	golden_cell(&r, "overcommit-0-swap-512");
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

/* The lines of a golden console from the line starting with `from` to
 * the one starting with `to` (both included). */
static char *lines_between(const char *rel, const char *from, const char *to)
{
	char *all = slurp(rel);
	const char *a = strstr(all, from);
	cr_assert_not_null(a, "%s: no %s", rel, from);
	while (a > all && a[-1] != '\n')
		a--;
	const char *b = strstr(a, to);
	cr_assert_not_null(b, "%s: no %s", rel, to);
	b = strchr(b, '\n');
	char *s = xstrndup(a, b ? (size_t)(b + 1 - a) : strlen(a));
	free(all);
	return s;
}

/* A real WARNING (6.1's, from tests/golden/kernlog/allocfail-6.1.console)
 * in the kmsg of a recorded cell that PASSes: the cell FAILs with its
 * title; allowed by its kind, it PASSes again and records the entry. */
Test(findings_report, a_warning_fails_a_recorded_cell_unless_allowed)
{
	char *warn = lines_between("tests/golden/kernlog/allocfail-6.1.console", "WARNING: CPU: 0 PID: 1 at",
				   "</TASK>");
	for (int allowed = 0; allowed < 2; allowed++) {
		struct replay r;
		golden_cell(&r, "overcommit-0-swap-512");
		cr_assert_eq(r.oc.verdict, V_PASS, "%s", r.oc.why);
		static const char *const allow[] = {"alloc_failure", "warning"};
		struct cell_spec cs = *r.cs;
		cs.allow = (char **)allow;
		cs.n_allow = allowed ? 2 : 0;
		kernlog_feed_console(&r.obs.klog, warn, strlen(warn));
		cell_outcome_free(&r.oc);
		struct vm_result vr = {0};
		outcome_compute(&cs, &r.obs, &vr, &r.oc);
		cr_assert_eq(r.oc.findings.n, 1);
		const struct cell_finding *f = &r.oc.findings.f[0];
		cr_expect_eq(f->f.kind, FK_WARNING);
		cr_expect_str_eq(f->f.title, "WARNING in __alloc_pages");
		cr_expect_eq(f->f.ts_us, 1341172);
		if (!allowed) {
			cr_expect_eq(r.oc.verdict, V_FAIL);
			cr_expect_str_eq(r.oc.why, "kernel finding: WARNING in __alloc_pages");
			cr_expect_null(f->allowed_by);
			/* the workloads' own verdicts are theirs */
			cr_expect_eq(r.oc.wl[0].verdict, V_PASS);
		} else {
			cr_expect_eq(r.oc.verdict, V_PASS);
			cr_expect_str_eq(r.oc.why, "all workloads ended as predicted");
			cr_expect_eq(f->allowed_by, allow[1]);
		}
		json_t *rep = report(&r);
		json_t *row = rundir_cell_row(rep, "cells/c.json");
		cr_expect_str_eq(json_string_value(json_object_get(row, "verdict")), allowed ? "PASS" : "FAIL");
		cr_expect_eq(json_is_true(json_object_get(json_array_get(json_object_get(row, "findings"), 0), "allowed")),
			     allowed);
		json_decref(row);
		json_decref(rep);
		replay_free(&r);
	}
	free(warn);
}

/* 6.12 warns of the allocation it refuses the OOM killer's victim (pid
 * 123 of the recorded 612-two-adj, 3 ms after its kill): allowed as
 * oom_victim, the cell PASSes; the same failure of another pid FAILs. */
Test(findings_report, the_oom_victims_allocation_failure_is_allowed)
{
	struct replay r;
	golden_cell(&r, "612-two-adj");
	cr_assert_eq(r.oc.findings.n, 1);
	const struct cell_finding *f = &r.oc.findings.f[0];
	cr_expect_str_eq(f->f.title, "page allocation failure in do_anonymous_page");
	cr_expect_eq(finding_pid(&f->f), 123);
	cr_expect_str_eq(f->allowed_by, FINDING_BY_OOM_VICTIM);
	cr_expect_eq(r.oc.verdict, V_PASS, "%s", r.oc.why);
	/* the victim's pid made another's: no longer excused */
	for (size_t i = 0; i < r.obs.klog.n_oom; i++)
		if (r.obs.klog.oom[i].victim_pid == 123)
			r.obs.klog.oom[i].victim_pid = 99999;
	cell_outcome_free(&r.oc);
	struct vm_result vr = {0};
	outcome_compute(r.cs, &r.obs, &vr, &r.oc);
	cr_assert_eq(r.oc.findings.n, 1);
	cr_expect_eq(r.oc.findings.f[0].allowed, 0);
	cr_expect_eq(r.oc.verdict, V_FAIL);
	cr_expect(!strncmp(r.oc.why, "kernel finding: page allocation failure in do_anonymous_page", 60), "%s", r.oc.why);
	replay_free(&r);
}
