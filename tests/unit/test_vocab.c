// SPDX-License-Identifier: GPL-2.0-or-later
/* The vocabularies of a run dir (lib/vocab.h): every row of the verdict,
 * endpoint and cell status tables, what a lookup gives for a word the
 * tables lack, the schemas' enums, which must list the tables' words
 * (reports/cell.schema.json, reports/run.schema.json), and what the
 * readers make of the words: counts, exit code, colours, badges. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "lib/vocab.h"
#include "reports/rundir.h"
#include "reports/html/page.h"
#include "reports/table.h"

/* ---- verdicts ---- */

struct verdict_want {
	enum verdict v;
	const char *word, *ansi, *css, *html_bg, *junit, *kcidb;
	int exit_code, failed;
};

static const struct verdict_want verdict_want[] = {
	{V_PASS, "PASS", "\033[32m", "v-PASS", "#2a7d2a", NULL, "PASS", 0, 0},
	{V_SKIP, "SKIP", "\033[33m", "v-SKIP", "#b08900", "skipped", "SKIP", 0, 0},
	{V_FAIL, "FAIL", "\033[31m", "v-FAIL", "#c62828", "failure", "FAIL", 1, 1},
	{V_BROK, "BROK", "\033[35m", "v-BROK", "#7b1fa2", "error", "ERROR", 3, 1},
};

Test(vocab, verdict_rows)
{
	cr_assert_eq(VERDICT_COUNT, ARRAY_SIZE(verdict_want));
	for (size_t i = 0; i < ARRAY_SIZE(verdict_want); i++) {
		const struct verdict_want *w = &verdict_want[i];
		const struct verdict_row *r = &verdict_table[w->v];
		cr_expect_eq(r->verdict, w->v, "%s", w->word);
		cr_expect_str_eq(r->word, w->word);
		cr_expect_str_eq(verdict_name(w->v), w->word);
		cr_expect_str_eq(r->ansi, w->ansi, "%s", w->word);
		cr_expect_str_eq(r->css, w->css, "%s", w->word);
		cr_expect_str_eq(r->html_bg, w->html_bg, "%s", w->word);
		if (w->junit)
			cr_expect_str_eq(r->junit, w->junit, "%s", w->word);
		else
			cr_expect_null(r->junit, "%s", w->word);
		cr_expect_str_eq(r->kcidb, w->kcidb, "%s", w->word);
		cr_expect_eq(r->exit_code, w->exit_code, "%s", w->word);
		cr_expect_eq(r->failed, w->failed, "%s", w->word);
		cr_expect_eq(verdict_find(w->word), r, "%s", w->word);
	}
}

/* The rank: a cell is as bad as its worst part, and a worse verdict never
 * gives a run a lower exit code. */
Test(vocab, verdicts_ranked_best_first)
{
	cr_expect(V_PASS < V_SKIP && V_SKIP < V_FAIL && V_FAIL < V_BROK);
	for (int i = 1; i < VERDICT_COUNT; i++)
		cr_expect_geq(verdict_table[i].exit_code, verdict_table[i - 1].exit_code, "%s",
			      verdict_table[i].word);
	cr_expect_eq(verdict_table[V_PASS].exit_code, EXIT_OK);
	cr_expect_eq(verdict_table[V_FAIL].exit_code, EXIT_FAIL);
	cr_expect_eq(verdict_table[V_BROK].exit_code, EXIT_BROK);
}

Test(vocab, verdicts_shown_pass_fail_brok_skip)
{
	static const enum verdict want[] = {V_PASS, V_FAIL, V_BROK, V_SKIP};
	cr_assert_eq(ARRAY_SIZE(verdict_shown), ARRAY_SIZE(want));
	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		cr_expect_eq(verdict_shown[i], want[i], "position %zu", i);
}

Test(vocab, unknown_verdicts)
{
	cr_expect_null(verdict_find(NULL));
	cr_expect_null(verdict_find(""));
	cr_expect_null(verdict_find("pass"));
	cr_expect_null(verdict_find("PASSED"));
	cr_expect_null(verdict_find("?"));
}

/* ---- endpoints ---- */

struct endpoint_want {
	enum endpoint e;
	const char *word, *css, *html_bg, *label, *meaning;
};

static const struct endpoint_want endpoint_want[] = {
	{EP_ENOMEM, "enomem", "ep-enomem", "#fde3a7", "ENOMEM", "an allocation was refused"},
	{EP_OOM_KILLED, "oom_killed", "ep-oom", "#f8c9c4", "OOM-killed", "killed by the OOM killer"},
	{EP_KILLED, "killed", "ep-killed", "#ffccbc", "killed", "another signal"},
	{EP_EXIT, "exit", "ep-exit", "#c8e6c9", "exited", "finished by itself"},
	{EP_TIMEOUT, "timeout", "ep-timeout", "#e0e0e0", "timeout", "still running at the deadline"},
	{EP_VM_PANIC, "vm_panic", "ep-panic", "#e1bee7", "panic", "the kernel panicked"},
	{EP_VM_LOST, "vm_lost", "ep-lost", "#b0bec5", "VM lost", "the VM ended without a report"},
	{EP_USER_OOM_KILLED, "user_oom_killed", "ep-uoom", "#ffe0b2", "user-OOM-killed",
	 "killed by a userspace OOM killer (earlyoom)"},
	{EP_STALLED, "stalled", "ep-stalled", "#ffab91", "stalled",
	 "no progress under memory pressure: the agent ended it at the stall limit"},
	{EP_FAILED, "failed", "ep-failed", "#ef9a9a", "failed",
	 "the program reported a failure: it exited with a code other than its ok_exit"},
};

Test(vocab, endpoint_rows)
{
	cr_assert_eq(ENDPOINT_COUNT, ARRAY_SIZE(endpoint_want));
	for (size_t i = 0; i < ARRAY_SIZE(endpoint_want); i++) {
		const struct endpoint_want *w = &endpoint_want[i];
		/* the enum is in the order of the list, which "expect" errors print */
		cr_expect_eq(w->e, (enum endpoint)i, "%s", w->word);
		const struct endpoint_row *r = &endpoint_table[w->e];
		cr_expect_eq(r->endpoint, w->e, "%s", w->word);
		cr_expect_str_eq(r->word, w->word);
		cr_expect_str_eq(endpoint_name(w->e), w->word);
		cr_expect_str_eq(r->css, w->css, "%s", w->word);
		cr_expect_str_eq(r->html_bg, w->html_bg, "%s", w->word);
		cr_expect_str_eq(r->label, w->label, "%s", w->word);
		cr_expect_str_eq(r->meaning, w->meaning, "%s", w->word);
		cr_expect_eq(endpoint_find(w->word), r, "%s", w->word);
	}
	cr_expect_null(endpoint_find(NULL));
	cr_expect_null(endpoint_find(""));
	cr_expect_null(endpoint_find("oom"));
	cr_expect_null(endpoint_find("OOM_KILLED"));
}

Test(vocab, endpoint_legend_order)
{
	static const char *const want[] = {"oom_killed", "user_oom_killed", "enomem", "exit", "failed",
					   "killed", "stalled", "timeout", "vm_panic", "vm_lost"};
	cr_assert_eq(ARRAY_SIZE(endpoint_legend), ARRAY_SIZE(want));
	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		cr_expect_str_eq(endpoint_name(endpoint_legend[i]), want[i], "position %zu", i);
}

/* ---- cell statuses ---- */

struct status_want {
	enum cell_status s;
	const char *word;
	enum verdict verdict;
	const char *why;
	enum endpoint unfinished;
	int rerun;
};

static const struct status_want status_want[] = {
	{CS_OK, "ok", V_PASS, NULL, EP_VM_LOST, 0},
	{CS_TIMEOUT, "timeout", V_PASS, NULL, EP_TIMEOUT, 0},
	{CS_VM_PANIC, "vm_panic", V_PASS, NULL, EP_VM_PANIC, 0},
	{CS_VM_LOST, "vm_lost", V_BROK, "the VM ended without the agent's bye", EP_VM_LOST, 0},
	{CS_BOOT_ERROR, "boot_error", V_BROK, "the agent never said hello (boot failed; see console_tail)", EP_VM_LOST, 0},
	{CS_BOOT_PANIC, "boot_panic", V_BROK, "the kernel panicked before the agent's hello", EP_VM_PANIC, 0},
	{CS_INTERRUPTED, "interrupted", V_BROK, "interrupted by the user", EP_TIMEOUT, 1},
	{CS_HARNESS_ERROR, "harness_error", V_BROK, "the harness could not run the cell", EP_VM_LOST, 0},
	{CS_NOT_STARTED, "not_started", V_BROK, "the harness could not start the cell", EP_VM_LOST, 1},
};

Test(vocab, cell_status_rows)
{
	cr_assert_eq(CELL_STATUS_COUNT, ARRAY_SIZE(status_want));
	for (size_t i = 0; i < ARRAY_SIZE(status_want); i++) {
		const struct status_want *w = &status_want[i];
		const struct cell_status_row *r = &cell_status_table[w->s];
		cr_expect_eq(r->status, w->s, "%s", w->word);
		cr_expect_str_eq(r->word, w->word);
		cr_expect_str_eq(cell_status_name(w->s), w->word);
		cr_expect_eq(r->verdict, w->verdict, "%s", w->word);
		if (w->why)
			cr_expect_str_eq(r->why, w->why, "%s", w->word);
		else
			cr_expect_null(r->why, "%s", w->word);
		cr_expect_eq(r->unfinished, w->unfinished, "%s", w->word);
		cr_expect_eq(r->rerun, w->rerun, "%s", w->word);
		cr_expect_eq(cell_status_find(w->word), r, "%s", w->word);
	}
	cr_expect_null(cell_status_find(NULL));
	cr_expect_null(cell_status_find("OK"));
	cr_expect_null(cell_status_find("lost"));
}

/* ---- the schemas list the tables' words ---- */

static json_t *schema(const char *name)
{
	const char *root = getenv("OOMLAB_ROOT");
	char *p = xasprintf("%s/reports/%s", root && *root ? root : ".", name);
	json_error_t je;
	json_t *s = json_load_file(p, 0, &je);
	cr_assert_not_null(s, "%s: %s", p, je.text);
	free(p);
	return s;
}

/* The JSON value at a path of member names ("/" between them). */
static json_t *at(json_t *j, const char *path)
{
	char *copy = xstrdup(path), *save = NULL;
	for (char *k = strtok_r(copy, "/", &save); k && j; k = strtok_r(NULL, "/", &save))
		j = json_object_get(j, k);
	free(copy);
	cr_assert_not_null(j, "no %s in the schema", path);
	return j;
}

/* The strings of a JSON array are exactly words[0..n) (any order, once each). */
static void same_words(json_t *arr, const char *const *words, size_t n, const char *what)
{
	cr_assert(json_is_array(arr), "%s: not an array", what);
	cr_expect_eq(json_array_size(arr), n, "%s: %zu words, the table has %zu", what, json_array_size(arr), n);
	for (size_t i = 0; i < n; i++) {
		int found = 0;
		size_t k;
		json_t *x;
		json_array_foreach(arr, k, x)
			found += json_is_string(x) && !strcmp(json_string_value(x), words[i]);
		cr_expect_eq(found, 1, "%s: \"%s\" is there %d times", what, words[i], found);
	}
}

static void verdict_enum(json_t *arr, const char *what)
{
	const char *w[VERDICT_COUNT];
	for (int i = 0; i < VERDICT_COUNT; i++)
		w[i] = verdict_table[i].word;
	same_words(arr, w, VERDICT_COUNT, what);
}

static void endpoint_enum(json_t *arr, const char *what)
{
	const char *w[ENDPOINT_COUNT];
	for (int i = 0; i < ENDPOINT_COUNT; i++)
		w[i] = endpoint_table[i].word;
	same_words(arr, w, ENDPOINT_COUNT, what);
}

Test(vocab, cell_schema_enums_are_the_tables)
{
	json_t *s = schema("cell.schema.json");
	verdict_enum(at(s, "$defs/verdict/enum"), "cell $defs.verdict");
	endpoint_enum(at(s, "$defs/endpoint/enum"), "cell $defs.endpoint");
	const char *w[CELL_STATUS_COUNT];
	for (int i = 0; i < CELL_STATUS_COUNT; i++)
		w[i] = cell_status_table[i].word;
	same_words(at(s, "properties/status/enum"), w, CELL_STATUS_COUNT, "cell status");
	json_decref(s);
}

Test(vocab, run_schema_enums_are_the_tables)
{
	json_t *s = schema("run.schema.json");
	json_t *row = at(s, "properties/cells/items/properties");
	verdict_enum(at(row, "verdict/enum"), "run cells[].verdict");
	json_t *wl = at(row, "workloads/items/properties");
	verdict_enum(at(wl, "verdict/enum"), "run cells[].workloads[].verdict");
	endpoint_enum(at(wl, "endpoint/enum"), "run cells[].workloads[].endpoint");
	/* the summary counts every verdict and cells_done; and the warm
	 * restores that failed (not required: older run dirs lack it) */
	json_t *req = at(s, "properties/summary/required");
	const char *w[VERDICT_COUNT + 1];
	for (int i = 0; i < VERDICT_COUNT; i++)
		w[i] = verdict_table[i].word;
	w[VERDICT_COUNT] = "cells_done";
	same_words(req, w, VERDICT_COUNT + 1, "run summary");
	cr_expect_str_eq(json_string_value(at(s, "properties/summary/properties/restore_failures/type")), "integer");
	/* a run's exit code is one of its verdicts' */
	json_t *codes = at(s, "properties/exit_code/enum");
	size_t k;
	json_t *x;
	json_array_foreach(codes, k, x) {
		int found = 0;
		for (int i = 0; i < VERDICT_COUNT; i++)
			found |= json_integer_value(x) == verdict_table[i].exit_code;
		cr_expect(found, "exit code %lld is no verdict's", (long long)json_integer_value(x));
	}
	for (int i = 0; i < VERDICT_COUNT; i++) {
		int found = 0;
		json_array_foreach(codes, k, x)
			found |= json_integer_value(x) == verdict_table[i].exit_code;
		cr_expect(found, "%s's exit code %d is not in the schema", verdict_table[i].word,
			  verdict_table[i].exit_code);
	}
	json_decref(s);
}

/* ---- the readers: what a run's verdicts give ---- */

/* A run report whose cells have these verdicts ("-": no verdict). */
static json_t *run_of(const char *const *verdicts, size_t n)
{
	json_t *cells = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *w = json_pack("{s:s,s:s,s:s}", "name", "alloc", "endpoint", "oom_killed", "verdict", verdicts[i]);
		json_t *c = json_pack("{s:I,s:s,s:s,s:[o]}", "index", (json_int_t)(n - i), "name", verdicts[i],
				      "verdict", verdicts[i], "workloads", w);
		if (!strcmp(verdicts[i], "-")) {
			json_object_del(c, "verdict");
			json_object_del(w, "verdict");
		}
		json_array_append_new(cells, c);
	}
	return json_pack("{s:o}", "cells", cells);
}

static json_int_t summary(json_t *run, const char *k)
{
	json_t *v = json_object_get(json_object_get(run, "summary"), k);
	cr_assert(json_is_integer(v), "no summary.%s", k);
	return json_integer_value(v);
}

Test(vocab, run_summary_counts_each_verdict_and_its_exit_code)
{
	static const char *const v[] = {"PASS", "SKIP", "WEIRD", "PASS", "-", "FAIL", "SKIP", "PASS"};
	json_t *run = run_of(v, ARRAY_SIZE(v));
	rundir_summarize(run);
	cr_expect_eq(summary(run, "PASS"), 3);
	cr_expect_eq(summary(run, "SKIP"), 2);
	cr_expect_eq(summary(run, "FAIL"), 1);
	cr_expect_eq(summary(run, "BROK"), 0);
	cr_expect_eq(summary(run, "cells_done"), 8);
	cr_expect_eq(summary(run, "restore_failures"), 0);
	cr_expect_eq(json_object_size(json_object_get(run, "summary")), 6);
	cr_expect_eq(json_integer_value(json_object_get(run, "exit_code")), EXIT_FAIL);
	json_decref(run);
}

/* Warm restores that failed before the agent's hello: each cell's count
 * goes into its row (from timings.warm_fallback) and the summary adds
 * them up; a cell without one has none in its row. */
Test(vocab, run_summary_counts_the_restores_that_failed)
{
	static const char *const v[] = {"PASS", "PASS", "BROK"};
	json_t *run = run_of(v, ARRAY_SIZE(v));
	json_t *cells = json_object_get(run, "cells");
	json_object_set_new(json_array_get(cells, 0), "restore_failures", json_integer(2));
	json_object_set_new(json_array_get(cells, 2), "restore_failures", json_integer(1));
	rundir_summarize(run);
	cr_expect_eq(summary(run, "restore_failures"), 3);
	cr_expect_eq(json_integer_value(json_object_get(run, "exit_code")), EXIT_BROK);
	json_decref(run);
	json_t *fb = json_pack("{s:s,s:s,s:i}", "reason", "restore 1: x", "console", "c", "restore_failures", 2);
	json_t *cell = json_pack("{s:{s:s,s:s,s:i},s:s,s:s,s:s,s:{s:f,s:o},s:[],s:[]}", "cell", "id", "a", "name",
				 "a", "index", 0, "status", "ok", "verdict", "PASS", "verdict_reason", "r",
				 "timings", "wall_s", 1.0, "warm_fallback", fb, "workloads", "oom_events");
	json_t *row = rundir_cell_row(cell, "cells/a.json");
	cr_expect_eq(json_integer_value(json_object_get(row, "restore_failures")), 2);
	json_decref(row);
	json_object_set_new(json_object_get(cell, "timings"), "warm_fallback", json_null());
	row = rundir_cell_row(cell, "cells/a.json");
	cr_expect_null(json_object_get(row, "restore_failures"));
	json_decref(row);
	json_decref(cell);
}

Test(vocab, run_exit_code_is_its_worst_verdicts)
{
	static const struct {
		const char *v[3];
		int code;
	} cases[] = {
		{{"PASS", "PASS", "PASS"}, EXIT_OK},   {{"PASS", "SKIP", "SKIP"}, EXIT_OK},
		{{"SKIP", "FAIL", "PASS"}, EXIT_FAIL}, {{"BROK", "FAIL", "PASS"}, EXIT_BROK},
		{{"FAIL", "SKIP", "BROK"}, EXIT_BROK}, {{"WEIRD", "-", "pass"}, EXIT_OK},
		{{"WEIRD", "FAIL", "-"}, EXIT_FAIL},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		json_t *run = run_of(cases[i].v, 3);
		cr_expect_eq(rundir_exit_code(run), cases[i].code, "case %zu", i);
		json_decref(run);
	}
}

/* The results table on a terminal: each verdict in its colour, a word
 * that is no verdict (or none) in yellow. */
Test(vocab, results_table_colours_each_verdict)
{
	static const char *const v[] = {"PASS", "FAIL", "BROK", "SKIP", "WEIRD", "-"};
	static const char *const want[] = {"\033[32mPASS\033[0m", "\033[31mFAIL\033[0m", "\033[35mBROK\033[0m",
					   "\033[33mSKIP\033[0m", "\033[33mWEIRD\033[0m", "\033[33m-\033[0m"};
	json_t *run = run_of(v, ARRAY_SIZE(v));
	for (int color = 0; color < 2; color++) {
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);
		report_print_table(f, run, color);
		fclose(f);
		char *save = NULL, *line = strtok_r(text, "\n", &save);
		cr_assert_not_null(line);
		cr_expect(!strncmp(line, "cell ", 5), "%s", line);
		for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
			line = strtok_r(NULL, "\n", &save);
			cr_assert_not_null(line, "row %zu", i);
			const char *end = color ? want[i] : v[i];
			size_t le = strlen(line), ee = strlen(end);
			cr_expect(le > ee + 2 && !strcmp(line + le - ee, end) && !strncmp(line + le - ee - 2, "  ", 2),
				  "row %zu, color %d: %s", i, color, line);
		}
		cr_expect_null(strtok_r(NULL, "\n", &save));
		free(text);
	}
	json_decref(run);
}

/* A cell worse than each of its workloads (FAIL on a kernel finding while
 * its workloads PASS) gets a row of its own with its verdict and reason;
 * a cell as good as its worst workload gets none. */
Test(vocab, results_table_row_of_a_cell_worse_than_its_workloads)
{
	static const char *const v[] = {"PASS", "FAIL"};
	json_t *run = run_of(v, 2);
	json_t *cells = json_object_get(run, "cells");
	json_t *c = json_array_get(cells, 0);
	json_object_set_new(c, "verdict", json_string("FAIL"));
	json_object_set_new(c, "verdict_reason", json_string("kernel finding: INFO: task hung in pipe_read"));
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	report_print_table(f, run, 0);
	fclose(f);
	cr_expect_str_eq(text,
			 "cell  workload   endpoint     predicted           MB reached  predicted MB   VmHWM MB  "
			 "VmPTE MB   oom  verdict\n"
			 "PASS  alloc      oom_killed   -                            -  -                     -  "
			 "       -     0  PASS\n"
			 "      (cell)                                                                            "
			 "               FAIL  kernel finding: INFO: task hung in pipe_read\n"
			 "FAIL  alloc      oom_killed   -                            -  -                     -  "
			 "       -     0  FAIL\n");
	free(text);
	json_decref(run);
}

/* The HTML pages: badges and chips from the tables, "?" and "-" for a
 * word the tables lack, the legend and the style rules in their order. */
Test(vocab, html_badges_chips_legend_and_style)
{
	struct buf b = {0};
	html_verdict(&b, "BROK");
	html_verdict(&b, "PASS");
	html_verdict(&b, "WEIRD");
	html_verdict(&b, NULL);
	cr_expect_str_eq(b.data, "<span class=\"badge v-BROK\">BROK</span><span class=\"badge v-PASS\">PASS</span>"
				 "<span class=\"badge v-unknown\">?</span><span class=\"badge v-unknown\">?</span>");
	buf_free(&b);
	cr_expect_str_eq(html_endpoint_class("oom_killed"), "ep-oom");
	cr_expect_str_eq(html_endpoint_label("oom_killed"), "OOM-killed");
	cr_expect_str_eq(html_endpoint_class("vm_lost"), "ep-lost");
	cr_expect_str_eq(html_endpoint_label("vm_lost"), "VM lost");
	cr_expect_str_eq(html_endpoint_class("zzz"), "ep-none");
	cr_expect_str_eq(html_endpoint_label("zzz"), "-");
	cr_expect_str_eq(html_endpoint_class(NULL), "ep-none");
	cr_expect_str_eq(html_endpoint_label(NULL), "-");
	html_endpoint_legend(&b);
	cr_expect_str_eq(b.data,
			 "<p class=\"legend\">Endpoints: "
			 "<span class=\"chip ep-oom\" title=\"killed by the OOM killer\">OOM-killed</span> "
			 "<span class=\"chip ep-uoom\" title=\"killed by a userspace OOM killer (earlyoom)\">"
			 "user-OOM-killed</span> "
			 "<span class=\"chip ep-enomem\" title=\"an allocation was refused\">ENOMEM</span> "
			 "<span class=\"chip ep-exit\" title=\"finished by itself\">exited</span> "
			 "<span class=\"chip ep-failed\" title=\"the program reported a failure: it exited "
			 "with a code other than its ok_exit\">failed</span> "
			 "<span class=\"chip ep-killed\" title=\"another signal\">killed</span> "
			 "<span class=\"chip ep-stalled\" title=\"no progress under memory pressure: the agent "
			 "ended it at the stall limit\">stalled</span> "
			 "<span class=\"chip ep-timeout\" title=\"still running at the deadline\">timeout</span> "
			 "<span class=\"chip ep-panic\" title=\"the kernel panicked\">panic</span> "
			 "<span class=\"chip ep-lost\" title=\"the VM ended without a report\">VM lost</span> </p>\n");
	buf_free(&b);
	html_begin(&b, "t");
	cr_expect_not_null(strstr(b.data, "color:#fff}.v-PASS{background:#2a7d2a}.v-FAIL{background:#c62828}"
					  ".v-BROK{background:#7b1fa2}.v-SKIP{background:#b08900}.v-unknown{background:#777}"
					  ".chip{"),
			   "%s", b.data);
	cr_expect_not_null(strstr(b.data, "white-space:nowrap}.ep-oom{background:#f8c9c4}.ep-uoom{background:#ffe0b2}"
					  ".ep-enomem{background:#fde3a7}"
					  ".ep-exit{background:#c8e6c9}.ep-failed{background:#ef9a9a}.ep-killed{background:#ffccbc}"
					  ".ep-stalled{background:#ffab91}.ep-timeout{background:#e0e0e0}.ep-panic{background:#e1bee7}"
					  ".ep-lost{background:#b0bec5}.ep-none{background:#fff}table.grid"),
			   "%s", b.data);
	buf_free(&b);
}
