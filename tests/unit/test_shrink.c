// SPDX-License-Identifier: GPL-2.0-or-later
/* oomlab minimize's pure parts: the shrink steps (plan/shrink.c), the
 * one-cell matrix a cell becomes (plan/onecell.c), and "the same failure"
 * of two cell reports (reports/failsig.c). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "plan/matrix.h"
#include "plan/onecell.h"
#include "plan/shrink.h"
#include "reports/failsig.h"

static json_t *parse(const char *text)
{
	json_error_t je;
	json_t *j = json_loads(text, 0, &je);
	cr_assert_not_null(j, "%s: %s", text, je.text);
	return j;
}

static char *compact(json_t *j)
{
	return json_dumps(j, JSON_COMPACT);
}

/* Every candidate of a row on m, as "note" lines joined by '\n'. */
static char *notes_of(const char *row, json_t *m)
{
	const struct shrink_step *s = shrink_find(row);
	cr_assert_not_null(s, "no row %s", row);
	struct buf all = {0};
	buf_printf(&all, "%s", "");
	for (size_t n = 0;; n++) {
		struct buf note = {0};
		json_t *c = s->candidate(m, n, &note);
		if (!c) {
			cr_assert_null(note.data, "%s[%zu]: a note without a candidate", row, n);
			break;
		}
		buf_printf(&all, "%s%s", n ? "\n" : "", note.data);
		json_decref(c);
		buf_free(&note);
		cr_assert_lt(n, 100);
	}
	return all.data;
}

static const char rich[] =
	"{\"name\":\"m\",\"cells\":[{\"name\":\"c\",\"ram_mb\":512,\"swap_mb\":100,\"swappiness\":100,"
	"\"cgroup.app.memory.max\":67108864,\"mode\":\"sequence\",\"timeout_s\":40,"
	"\"psi_triggers\":[{\"kind\":\"some\",\"stall_ms\":150,\"window_ms\":1000},"
	"{\"kind\":\"full\",\"stall_ms\":100,\"window_ms\":1000}],"
	"\"workloads\":[{\"name\":\"touch\",\"options\":{\"max_mb\":64,\"fill\":0,\"hold_ms\":300},"
	"\"oom_score_adj\":500,\"cgroup\":\"app\"},"
	"{\"name\":\"shm\",\"options\":{\"size_mb\":32,\"keep\":1},\"expect\":\"exit\",\"start_delay_ms\":100},"
	"{\"name\":\"alloc\",\"cgroup\":\"app/db\"}]}]}";

/* The rows, in the order they are tried: a wrong or missing row fails. */
Test(shrink, table_rows_in_order)
{
	static const char *const want[] = {"workload", "group", "psi_trigger", "allow", "knob", "option", "halve",
					   "timeout"};
	cr_assert_eq(shrink_count, sizeof want / sizeof *want);
	for (size_t i = 0; i < shrink_count; i++) {
		cr_assert_str_eq(shrink_table[i].name, want[i]);
		cr_assert_not_null(shrink_table[i].help);
		cr_assert_eq(shrink_find(want[i]), &shrink_table[i]);
	}
	cr_assert_null(shrink_find("nothing"));
}

Test(shrink, every_candidate_of_every_row)
{
	json_t *m = parse(rich);
	char *before = compact(m);
	static const struct {
		const char *row, *notes;
	} want[] = {
		{"workload", "dropped workloads[0] (touch)\ndropped workloads[1] (shm)\ndropped workloads[2] (alloc)"},
		{"group", "removed group app: cgroup.app.memory.max workloads[0].cgroup workloads[2].cgroup\n"
			  "removed group app/db: workloads[2].cgroup"},
		{"psi_trigger", "removed psi_triggers[0] {\"kind\":\"some\",\"stall_ms\":150,\"window_ms\":1000}\n"
				"removed psi_triggers[1] {\"kind\":\"full\",\"stall_ms\":100,\"window_ms\":1000}"},
		{"allow", ""},
		{"knob", "ram_mb 512 -> default\nswap_mb 100 -> default\nswappiness 100 -> default\n"
			 "mode sequence -> default"},
		{"option", "workloads[0] (touch): option max_mb 64 -> default\n"
			   "workloads[0] (touch): option fill 0 -> default\n"
			   "workloads[0] (touch): option hold_ms 300 -> default\n"
			   "workloads[0] (touch): oom_score_adj 500 -> default\n"
			   "workloads[1] (shm): option keep 1 -> default\n"
			   "workloads[1] (shm): start_delay_ms 100 -> default"},
		{"halve", "halved ram_mb 512 -> 256\nhalved swap_mb 100 -> 50\n"
			  "workloads[0] (touch): halved option max_mb 64 -> 32\n"
			  "workloads[0] (touch): halved option hold_ms 300 -> 150\n"
			  "workloads[1] (shm): halved option size_mb 32 -> 16\n"
			  "workloads[1] (shm): halved start_delay_ms 100 -> 50"},
		{"timeout", "timeout_s 40 -> 20"},
	};
	cr_assert_eq(shrink_count, sizeof want / sizeof *want);
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		char *got = notes_of(want[i].row, m);
		cr_expect_str_eq(got, want[i].notes, "row %s:\n%s", want[i].row, got);
		free(got);
	}
	char *after = compact(m);
	cr_assert_str_eq(after, before, "a step changed the cell it was given");
	free(before);
	free(after);
	json_decref(m);
}

/* The candidate itself, whole, for one of each kind. */
static void expect_candidate(const char *row, size_t n, const char *in, const char *out)
{
	json_t *m = parse(in);
	struct buf note = {0};
	json_t *c = shrink_find(row)->candidate(m, n, &note);
	cr_assert_not_null(c, "%s[%zu]", row, n);
	char *got = compact(c);
	cr_expect_str_eq(got, out, "%s[%zu]: %s", row, n, got);
	free(got);
	json_decref(c);
	json_decref(m);
	buf_free(&note);
}

Test(shrink, candidates_are_whole_matrices)
{
	expect_candidate("workload", 1, rich,
		"{\"name\":\"m\",\"cells\":[{\"name\":\"c\",\"ram_mb\":512,\"swap_mb\":100,\"swappiness\":100,"
		"\"cgroup.app.memory.max\":67108864,\"mode\":\"sequence\",\"timeout_s\":40,"
		"\"psi_triggers\":[{\"kind\":\"some\",\"stall_ms\":150,\"window_ms\":1000},"
		"{\"kind\":\"full\",\"stall_ms\":100,\"window_ms\":1000}],"
		"\"workloads\":[{\"name\":\"touch\",\"options\":{\"max_mb\":64,\"fill\":0,\"hold_ms\":300},"
		"\"oom_score_adj\":500,\"cgroup\":\"app\"},{\"name\":\"alloc\",\"cgroup\":\"app/db\"}]}]}");
	/* a group goes with its subgroups and its workloads' places */
	expect_candidate("group", 0, rich,
		"{\"name\":\"m\",\"cells\":[{\"name\":\"c\",\"ram_mb\":512,\"swap_mb\":100,\"swappiness\":100,"
		"\"mode\":\"sequence\",\"timeout_s\":40,"
		"\"psi_triggers\":[{\"kind\":\"some\",\"stall_ms\":150,\"window_ms\":1000},"
		"{\"kind\":\"full\",\"stall_ms\":100,\"window_ms\":1000}],"
		"\"workloads\":[{\"name\":\"touch\",\"options\":{\"max_mb\":64,\"fill\":0,\"hold_ms\":300},"
		"\"oom_score_adj\":500},{\"name\":\"shm\",\"options\":{\"size_mb\":32,\"keep\":1},"
		"\"expect\":\"exit\",\"start_delay_ms\":100},{\"name\":\"alloc\"}]}]}");
	/* the last trigger takes the key with it */
	expect_candidate("psi_trigger", 0,
		"{\"cells\":[{\"psi_triggers\":[{\"kind\":\"some\",\"stall_ms\":150,\"window_ms\":1000}],"
		"\"workloads\":[{\"name\":\"touch\"}]}]}",
		"{\"cells\":[{\"workloads\":[{\"name\":\"touch\"}]}]}");
	expect_candidate("option", 2, rich,
		"{\"name\":\"m\",\"cells\":[{\"name\":\"c\",\"ram_mb\":512,\"swap_mb\":100,\"swappiness\":100,"
		"\"cgroup.app.memory.max\":67108864,\"mode\":\"sequence\",\"timeout_s\":40,"
		"\"psi_triggers\":[{\"kind\":\"some\",\"stall_ms\":150,\"window_ms\":1000},"
		"{\"kind\":\"full\",\"stall_ms\":100,\"window_ms\":1000}],"
		"\"workloads\":[{\"name\":\"touch\",\"options\":{\"max_mb\":64,\"fill\":0},"
		"\"oom_score_adj\":500,\"cgroup\":\"app\"},"
		"{\"name\":\"shm\",\"options\":{\"size_mb\":32,\"keep\":1},\"expect\":\"exit\",\"start_delay_ms\":100},"
		"{\"name\":\"alloc\",\"cgroup\":\"app/db\"}]}]}");
	/* the matrix's entries first, then the cell's; an empty list takes
	 * its key with it */
	static const char allowing[] = "{\"allow\":[\"hung_task\"],\"cells\":[{\"allow\":[\"alloc_failure\","
				       "\"WARNING in shrink_folio_list\"],\"workloads\":[{\"name\":\"touch\"}]}]}";
	json_t *am = parse(allowing);
	char *got = notes_of("allow", am);
	json_decref(am);
	cr_expect_str_eq(got, "removed allow[0] hung_task\nremoved cells[0].allow[0] alloc_failure\n"
			      "removed cells[0].allow[1] WARNING in shrink_folio_list");
	free(got);
	expect_candidate("allow", 0, allowing,
			 "{\"cells\":[{\"allow\":[\"alloc_failure\",\"WARNING in shrink_folio_list\"],"
			 "\"workloads\":[{\"name\":\"touch\"}]}]}");
	expect_candidate("allow", 2, allowing,
			 "{\"allow\":[\"hung_task\"],\"cells\":[{\"allow\":[\"alloc_failure\"],"
			 "\"workloads\":[{\"name\":\"touch\"}]}]}");
	/* no timeout_s: the default 120 is halved */
	expect_candidate("timeout", 0, "{\"cells\":[{\"workloads\":[{\"name\":\"touch\"}]}]}",
			 "{\"cells\":[{\"workloads\":[{\"name\":\"touch\"}],\"timeout_s\":60}]}");
}

/* What a step does not offer: the last workload, a size already below
 * its default (halving would only undo going back), a halving below the
 * range or to 0, a timeout under 5 s, expect and name. */
Test(shrink, what_is_not_offered)
{
	json_t *m = parse("{\"cells\":[{\"name\":\"c\",\"ram_mb\":128,\"cpus\":1,\"timeout_s\":9,"
			  "\"workloads\":[{\"name\":\"shm\",\"options\":{\"size_mb\":1,\"fs_size_mb\":3},"
			  "\"expect\":\"exit\"}]}]}");
	static const struct {
		const char *row, *notes;
	} want[] = {
		{"workload", ""},
		{"group", ""},
		{"psi_trigger", ""},
		{"allow", ""},
		{"knob", "cpus 1 -> default"},
		{"option", "workloads[0] (shm): option fs_size_mb 3 -> default"},
		{"halve", "halved ram_mb 128 -> 64\nworkloads[0] (shm): halved option fs_size_mb 3 -> 1"},
		{"timeout", ""},
	};
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		char *got = notes_of(want[i].row, m);
		cr_expect_str_eq(got, want[i].notes, "row %s:\n%s", want[i].row, got);
		free(got);
	}
	json_decref(m);
	/* ram_mb 64 is its knob's minimum: not halved */
	m = parse("{\"cells\":[{\"ram_mb\":64,\"workloads\":[{\"name\":\"touch\"}]}]}");
	char *got = notes_of("halve", m);
	cr_expect_str_eq(got, "");
	free(got);
	json_decref(m);
}

/* ---- the one-cell matrix of a cell ---- */

/* cells[index] of the matrix text as a one-cell matrix (compact), which
 * must load to one cell of the same id (less the repeat's "-rN"). */
static char *one_of(const char *text, size_t index, const char *want_id)
{
	struct matrix m;
	struct buf err = {0};
	cr_assert_eq(matrix_load_buf("m.json", text, strlen(text), "/tmp", &m, &err), 0, "%s", err.data);
	json_t *root = parse(text);
	json_t *one = onecell_of(root, &m, index);
	cr_assert_not_null(one);
	char *s = compact(one);
	struct matrix m1;
	cr_assert_eq(matrix_load_buf("one.json", s, strlen(s), "/tmp", &m1, &err), 0, "%s: %s", s, err.data);
	cr_assert_eq(m1.n_cells, 1);
	cr_expect_str_eq(m1.cells[0].id, want_id);
	cr_assert_null(onecell_of(root, &m, m.n_cells), "a cell past the last");
	matrix_free(&m1);
	matrix_free(&m);
	json_decref(one);
	json_decref(root);
	return s;
}

Test(onecell, base_and_top_level_go_into_the_cell)
{
	char *text = NULL;
	size_t len;
	cr_assert_eq(read_file("tests/golden/runs/article/matrix.json", &text, &len), 0);
	char *got = one_of(text, 4, "ulimit-v-128m");
	json_t *g = parse(got), *root = parse(text);
	cr_expect(json_equal(json_object_get(g, "description"), json_object_get(root, "description")));
	json_object_del(g, "description");
	free(got);
	got = compact(g);
	cr_expect_str_eq(got, "{\"name\":\"article\",\"cells\":[{\"name\":\"ulimit -v 128M\",\"ram_mb\":256,\"cpus\":1,"
			      "\"swap_mb\":0,\"overcommit_memory\":0,\"rlimit_as_mb\":128,"
			      "\"workloads\":[{\"name\":\"alloc\"},{\"name\":\"touch\"}],\"timeout_s\":120,"
			      "\"sample_ms\":100,\"mode\":\"sequence\"}]}");
	free(got);
	json_decref(g);
	json_decref(root);
	free(text);
}

/* The loader's order: the axes' combinations less exclude, include, cells,
 * each repeated. */
Test(onecell, axes_include_cells_and_repeat)
{
	static const char m[] =
		"{\"name\":\"s\",\"repeat\":2,\"base\":{\"ram_mb\":256},\"workloads\":[\"touch\"],"
		"\"axes\":{\"swappiness\":[0,100],\"swap_mb\":[0,64]},\"exclude\":[{\"swappiness\":0,\"swap_mb\":64}],"
		"\"include\":[{\"name\":\"inc\",\"cpus\":2}],\"cells\":[{\"name\":\"own\",\"workloads\":[{\"name\":\"alloc\"}]}]}";
	static const struct {
		size_t index;
		const char *id, *want;
	} rows[] = {
		{0, "swappiness-0-swap-mb-0",
		 "{\"name\":\"s\",\"cells\":[{\"name\":\"swappiness=0 swap_mb=0\",\"ram_mb\":256,\"swappiness\":0,"
		 "\"swap_mb\":0,\"workloads\":[{\"name\":\"touch\"}]}]}"},
		{5, "swappiness-100-swap-mb-64",
		 "{\"name\":\"s\",\"cells\":[{\"name\":\"swappiness=100 swap_mb=64\",\"ram_mb\":256,\"swappiness\":100,"
		 "\"swap_mb\":64,\"workloads\":[{\"name\":\"touch\"}]}]}"},
		{7, "inc",
		 "{\"name\":\"s\",\"cells\":[{\"name\":\"inc\",\"ram_mb\":256,\"cpus\":2,\"workloads\":[{\"name\":\"touch\"}]}]}"},
		{8, "own",
		 "{\"name\":\"s\",\"cells\":[{\"name\":\"own\",\"ram_mb\":256,\"workloads\":[{\"name\":\"alloc\"}]}]}"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		char *got = one_of(m, rows[i].index, rows[i].id);
		cr_expect_str_eq(got, rows[i].want, "cell %zu: %s", rows[i].index, got);
		free(got);
	}
}

/* ---- the same failure ---- */

Test(failsig, shape_masks_numbers_and_drops_the_rule)
{
	static const char *const rows[][2] = {
		{"ended oom_killed at 682 MB, predicted 588..748 MB (writes every page: MemAvailable 184396 kB)",
		 "ended oom_killed at N MB, predicted N..N MB"},
		{"ended exit, predicted enomem (expect in the matrix file)", "ended exit, predicted enomem"},
		{"waste_ratio 0.1234, predicted 0.5..0.62 (frag)", "waste_ratio N, predicted N..N"},
		{"no end reported for this workload", "no end reported for this workload"},
		{"", ""},
	};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		char *s = failsig_shape(rows[i][0]);
		cr_expect_str_eq(s, rows[i][1], "%s -> %s", rows[i][0], s);
		free(s);
	}
}

static const char fail_rep[] =
	"{\"verdict\":\"FAIL\",\"findings\":[],\"workloads\":["
	"{\"name\":\"touch\",\"endpoint\":\"exit\",\"verdict\":\"PASS\",\"verdict_reason\":\"ended exit at 8 MB\"},"
	"{\"name\":\"shm\",\"endpoint\":\"exit\",\"verdict\":\"FAIL\","
	"\"verdict_reason\":\"ended exit, predicted enomem (expect in the matrix file)\"}]}";

Test(failsig, a_workload_fail)
{
	json_t *r = parse(fail_rep);
	struct failsig s;
	struct buf why = {0};
	cr_assert_eq(failsig_of(r, &s, &why), 0);
	cr_expect_eq(s.finding, 0);
	char *t = failsig_text(&s);
	cr_expect_str_eq(t, "workload shm ended exit: \"ended exit, predicted enomem\"");
	free(t);
	cr_expect_eq(failsig_match(&s, r), 1);
	static const struct {
		const char *rep;
		int same;
	} rows[] = {
		/* the workload alone (the other dropped), another rule text */
		{"{\"verdict\":\"FAIL\",\"workloads\":[{\"name\":\"shm\",\"endpoint\":\"exit\",\"verdict\":\"FAIL\","
		 "\"verdict_reason\":\"ended exit, predicted enomem (another rule)\"}]}", 1},
		{"{\"verdict\":\"FAIL\",\"workloads\":[{\"name\":\"shm\",\"endpoint\":\"oom_killed\",\"verdict\":\"FAIL\","
		 "\"verdict_reason\":\"ended oom_killed, predicted enomem (x)\"}]}", 0},
		{"{\"verdict\":\"FAIL\",\"workloads\":[{\"name\":\"touch\",\"endpoint\":\"exit\",\"verdict\":\"FAIL\","
		 "\"verdict_reason\":\"ended exit, predicted enomem (x)\"}]}", 0},
		{"{\"verdict\":\"PASS\",\"workloads\":[{\"name\":\"shm\",\"endpoint\":\"exit\",\"verdict\":\"PASS\","
		 "\"verdict_reason\":\"ended exit, predicted enomem (x)\"}]}", 0},
		{"{\"verdict\":\"BROK\",\"workloads\":[]}", 0},
	};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		json_t *o = parse(rows[i].rep);
		cr_expect_eq(failsig_match(&s, o), rows[i].same, "%s", rows[i].rep);
		json_decref(o);
	}
	failsig_free(&s);
	json_decref(r);
}

Test(failsig, a_finding_first)
{
	json_t *r = parse("{\"verdict\":\"FAIL\",\"findings\":[{\"kind\":\"warning\",\"title\":\"WARNING in foo\","
			  "\"allowed\":true},{\"kind\":\"hung_task\",\"title\":\"INFO: task hung in bar\",\"allowed\":false}],"
			  "\"workloads\":[{\"name\":\"shm\",\"endpoint\":\"exit\",\"verdict\":\"FAIL\","
			  "\"verdict_reason\":\"ended exit, predicted enomem\"}]}");
	struct failsig s;
	struct buf why = {0};
	cr_assert_eq(failsig_of(r, &s, &why), 0);
	char *t = failsig_text(&s);
	cr_expect_str_eq(t, "kernel finding \"INFO: task hung in bar\"");
	free(t);
	json_t *allowed = parse("{\"findings\":[{\"title\":\"INFO: task hung in bar\",\"allowed\":true}]}");
	json_t *not = parse("{\"findings\":[{\"title\":\"INFO: task hung in bar\",\"allowed\":false}]}");
	json_t *other = parse("{\"findings\":[{\"title\":\"INFO: task hung in baz\",\"allowed\":false}]}");
	cr_expect_eq(failsig_match(&s, allowed), 0);
	cr_expect_eq(failsig_match(&s, not), 1);
	cr_expect_eq(failsig_match(&s, other), 0);
	/* what the cell allowed must stay allowed: a candidate that lost the
	 * allow entry of "WARNING in foo" fails for one more reason */
	json_t *unallowed = parse("{\"findings\":[{\"title\":\"WARNING in foo\",\"allowed\":false},"
				  "{\"title\":\"INFO: task hung in bar\",\"allowed\":false}]}");
	json_t *still = parse("{\"findings\":[{\"title\":\"WARNING in foo\",\"allowed\":true},"
			      "{\"title\":\"INFO: task hung in bar\",\"allowed\":false}]}");
	cr_expect_eq(failsig_match(&s, unallowed), 0);
	cr_expect_eq(failsig_match(&s, still), 1);
	json_decref(unallowed);
	json_decref(still);
	failsig_free(&s);
	/* a PASS whose findings are all allowed: the first one's title */
	json_t *p = parse("{\"verdict\":\"PASS\",\"findings\":[{\"title\":\"WARNING in foo\",\"allowed\":true}]}");
	cr_assert_eq(failsig_of(p, &s, &why), 0);
	t = failsig_text(&s);
	cr_expect_str_eq(t, "kernel finding \"WARNING in foo\" (allowed)");
	free(t);
	json_t *again = parse("{\"findings\":[{\"title\":\"WARNING in foo\",\"allowed\":true}]}");
	cr_expect_eq(failsig_match(&s, again), 1);
	/* its allow entry gone: no longer the same (a FAIL now) */
	json_t *failing = parse("{\"findings\":[{\"title\":\"WARNING in foo\",\"allowed\":false}]}");
	cr_expect_eq(failsig_match(&s, failing), 0);
	json_decref(failing);
	failsig_free(&s);
	json_decref(again);
	json_decref(p);
	json_decref(allowed);
	json_decref(not);
	json_decref(other);
	json_decref(r);
}

/* A real PASS cell (from before findings: no "findings" key) has no
 * failure to keep. */
Test(failsig, a_pass_has_none)
{
	json_error_t je;
	json_t *r = json_load_file("tests/golden/runs/article/cells/ulimit-v-128m.json", 0, &je);
	cr_assert_not_null(r, "%s", je.text);
	struct failsig s;
	struct buf why = {0};
	cr_assert_eq(failsig_of(r, &s, &why), -1);
	cr_expect_str_eq(why.data, "the cell's verdict is PASS and it has no kernel finding: there is no failure to keep");
	buf_free(&why);
	json_decref(r);
}

/* Groups in the order the cell names them; a group takes its subgroups'
 * files and workloads with it. */
Test(shrink, groups_and_subgroups)
{
	json_t *m = parse("{\"cells\":[{\"cgroup.app.memory.max\":1,\"cgroup.app/db.memory.high\":2,"
			  "\"cgroup.web.memory.max\":3,\"workloads\":[{\"name\":\"touch\",\"cgroup\":\"app/db\"},"
			  "{\"name\":\"alloc\",\"cgroup\":\"web\"},{\"name\":\"shm\",\"cgroup\":\"apps\"}]}]}");
	char *got = notes_of("group", m);
	cr_expect_str_eq(got, "removed group app: cgroup.app.memory.max cgroup.app/db.memory.high workloads[0].cgroup\n"
			      "removed group app/db: cgroup.app/db.memory.high workloads[0].cgroup\n"
			      "removed group web: cgroup.web.memory.max workloads[1].cgroup\n"
			      "removed group apps: workloads[2].cgroup", "%s", got);
	free(got);
	json_decref(m);
}
