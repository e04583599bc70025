// SPDX-License-Identifier: GPL-2.0-or-later
/* The vocabularies of a run dir (lib/vocab.h): every row of the verdict,
 * endpoint and cell status tables, what a lookup gives for a word the
 * tables lack, and the schemas' enums, which must list the tables' words
 * (reports/cell.schema.json, reports/run.schema.json). */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "lib/vocab.h"

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
	static const char *const want[] = {"oom_killed", "enomem", "exit", "killed",
					   "timeout",	 "vm_panic", "vm_lost"};
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
};

static const struct status_want status_want[] = {
	{CS_OK, "ok", V_PASS, NULL, EP_VM_LOST},
	{CS_TIMEOUT, "timeout", V_PASS, NULL, EP_TIMEOUT},
	{CS_VM_PANIC, "vm_panic", V_PASS, NULL, EP_VM_PANIC},
	{CS_VM_LOST, "vm_lost", V_BROK, "the VM ended without the agent's bye", EP_VM_LOST},
	{CS_BOOT_ERROR, "boot_error", V_BROK, "the agent never said hello (boot failed; see console_tail)", EP_VM_LOST},
	{CS_INTERRUPTED, "interrupted", V_BROK, "interrupted by the user", EP_TIMEOUT},
	{CS_HARNESS_ERROR, "harness_error", V_BROK, "the harness could not run the cell", EP_VM_LOST},
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
	/* the summary counts every verdict, and cells_done */
	json_t *req = at(s, "properties/summary/required");
	const char *w[VERDICT_COUNT + 1];
	for (int i = 0; i < VERDICT_COUNT; i++)
		w[i] = verdict_table[i].word;
	w[VERDICT_COUNT] = "cells_done";
	same_words(req, w, VERDICT_COUNT + 1, "run summary");
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
