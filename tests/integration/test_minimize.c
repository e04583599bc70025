// SPDX-License-Identifier: GPL-2.0-or-later
/* oomlab minimize: a real FAIL cell (one workload's expect is wrong, so it
 * FAILs on any kernel) with an extra workload and extra knobs, run, then
 * minimised from its cell report with n=1 k=1: the exact steps, the exact
 * smallest matrix, and that running it FAILs the same way. And the cells
 * it refuses, without a VM. */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "itest.h"
#include "lib/spawn.h"
#include "lib/util.h"

TestSuite(minimize, .init = setup, .fini = teardown, .timeout = 400);

/* shm fills 2 MiB and exits; its expect says enomem: FAIL "ended exit,
 * predicted enomem". touch stops at 8 MiB, as predicted: PASS. A timeout
 * of 19 s is halved once, to 9 s (4 would be below 5): three times what
 * a warm cell of this size takes here under TCG. */
static const char matrix[] =
	"{\"name\": \"minimize-vm\", \"timeout_s\": 19,\n"
	" \"cells\": [{\"name\": \"wrong expect\", \"swappiness\": 100, \"overcommit_memory\": 1,\n"
	"   \"workloads\": [{\"name\": \"shm\", \"options\": {\"size_mb\": 2}, \"expect\": \"enomem\"},\n"
	"                 {\"name\": \"touch\", \"options\": {\"max_mb\": 8}}]}]}\n";

/* oomlab ARGS... (NULL-terminated) within timeout_ms; exit code, and
 * what it printed (stdout and stderr) in *text */
static int oomlab(char **text, int timeout_ms, ...)
{
	char *bin = xasprintf("%s/build/san/oomlab", root());
	char *log = xasprintf("%s/oomlab-%d.log", tmpdir, timeout_ms);
	char *argv[24] = {bin};
	va_list ap;
	va_start(ap, timeout_ms);
	for (int i = 1; i < 23 && (argv[i] = va_arg(ap, char *)); i++)
		;
	va_end(ap);
	FILE *lf = fopen(log, "w");
	cr_assert_not_null(lf);
	struct spawn_opts o = {NULL, SPAWN_DEVNULL, fileno(lf), fileno(lf)};
	int st = 0;
	cr_assert_eq(run_argv(argv, &o, timeout_ms, &st), 0, "oomlab %s did not finish in time", argv[1]);
	fclose(lf);
	*text = NULL;
	read_file(log, text, NULL);
	cr_log_info("oomlab %s:\n%s", argv[1], *text ? *text : "");
	cr_assert(WIFEXITED(st), "oomlab died: %s", status_str(st));
	free(bin);
	free(log);
	return WEXITSTATUS(st);
}

static json_t *load(const char *path)
{
	json_error_t je;
	json_t *j = json_load_file(path, 0, &je);
	cr_assert_not_null(j, "%s: %s", path, je.text);
	return j;
}

Test(minimize, a_wrong_expect_comes_down_to_its_workload)
{
	char *out = NULL, *text = NULL;
	cr_assert_eq(run_sweep(matrix, 170 * 1000, &out), 1, "the cell must FAIL");
	char *rep = xasprintf("%s/cells/wrong-expect.json", out);
	char *mz = xasprintf("%s/mz", tmpdir);
	int rc = oomlab(&text, 300 * 1000, "minimize", rep, "-k", "1", "-n", "1", "-o", mz, NULL);
	cr_assert_eq(rc, 0, "%s", text);

	/* every step, in the table's order, and what each did */
	static const char *const want[][3] = {
		{"original", "the cell as it is", "kept"},
		{"workload", "dropped workloads[0] (shm)", "not kept"},
		{"workload", "dropped workloads[1] (touch)", "kept"},
		{"knob", "swappiness 100 -> default", "kept"},
		{"knob", "overcommit_memory 1 -> default", "kept"},
		{"halve", "workloads[0] (shm): halved option size_mb 2 -> 1", "kept"},
		{"timeout", "timeout_s 19 -> 9", "kept"},
	};
	char *sp = xasprintf("%s/steps.json", mz);
	json_t *steps = load(sp);
	cr_expect_str_eq(str(steps, "failure"), "workload shm ended exit: \"ended exit, predicted enomem\"");
	json_t *arr = json_object_get(steps, "steps");
	cr_assert_eq(json_array_size(arr), sizeof want / sizeof *want, "%s", text);
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		json_t *s = json_array_get(arr, i);
		cr_expect_str_eq(str(s, "kind"), want[i][0], "step %zu", i);
		cr_expect_str_eq(str(s, "note"), want[i][1], "step %zu", i);
		cr_expect_str_eq(str(s, "outcome"), want[i][2], "step %zu", i);
		cr_expect_eq(json_integer_value(json_object_get(s, "runs")), 1, "step %zu", i);
		/* the line on the terminal */
		char *line = xasprintf("[step-%03zu] %s: %s ... %s of 1 runs fail the same way: %s (", i, want[i][0],
				       want[i][1], strcmp(want[i][2], "kept") ? "0" : "1", want[i][2]);
		cr_expect_not_null(strstr(text, line), "no line %s", line);
		free(line);
	}

	/* the smallest cell, exactly; its description what the steps removed */
	char *mp = xasprintf("%s/minimized.json", mz);
	json_t *min = load(mp);
	char *desc = xasprintf("Minimised by oomlab minimize from %s: workload shm ended exit: \"ended exit, "
			       "predicted enomem\", in 1 of 1 runs after each step:\n"
			       "- dropped workloads[1] (touch)\n- swappiness 100 -> default\n"
			       "- overcommit_memory 1 -> default\n- workloads[0] (shm): halved option size_mb 2 -> 1\n"
			       "- timeout_s 19 -> 9", rep);
	cr_expect_str_eq(str(min, "description"), desc);
	json_object_del(min, "description");
	char *got = json_dumps(min, JSON_COMPACT);
	cr_expect_str_eq(got, "{\"name\":\"minimize-vm\",\"cells\":[{\"name\":\"wrong expect\",\"workloads\":"
			      "[{\"name\":\"shm\",\"options\":{\"size_mb\":1},\"expect\":\"enomem\"}],"
			      "\"timeout_s\":9}]}");
	/* the cell report's kernel was passed on */
	char *log0 = xasprintf("%s/step-000/run.json", mz);
	json_t *run0 = load(log0);
	json_t *first = load_cell(out, "wrong-expect");
	cr_expect_str_eq(str(json_object_get(run0, "options"), "kernel"),
			 str(json_object_get(first, "kernel"), "package"));

	/* and it runs, and FAILs the same way */
	free(text);
	char *again = xasprintf("%s/again", tmpdir);
	rc = oomlab(&text, 170 * 1000, "run", mp, "-o", again, NULL);
	cr_assert_eq(rc, 1, "%s", text);
	json_t *cell = load_cell(again, "wrong-expect");
	cr_expect_str_eq(str(cell, "verdict"), "FAIL");
	cr_assert_eq(json_array_size(json_object_get(cell, "workloads")), 1);
	cr_expect_str_eq(str(wl(cell, 0), "name"), "shm");
	cr_expect_str_eq(str(wl(cell, 0), "endpoint"), "exit");
	cr_expect_str_eq(str(wl(cell, 0), "verdict_reason"), "ended exit, predicted enomem (expect in the matrix file)");
	json_decref(cell);
	json_decref(first);
	json_decref(run0);
	json_decref(min);
	json_decref(steps);
	free(again);
	free(log0);
	free(got);
	free(desc);
	free(mp);
	free(sp);
	free(text);
	free(mz);
	free(rep);
	free(out);
}

/* What it refuses, with the file and the reason (exit 2), before any VM. */
Test(minimize, refusals)
{
	char *text = NULL;
	char *pass = xasprintf("%s/tests/golden/runs/article/cells/ulimit-v-128m.json", root());
	char *many = xasprintf("%s/examples/article.json", root());
	cr_expect_eq(oomlab(&text, 30000, "minimize", pass, NULL), 2);
	char *want = xasprintf("oomlab minimize: %s: the cell's verdict is PASS and it has no kernel finding: "
			       "there is no failure to keep\n", pass);
	cr_expect_str_eq(text, want);
	free(want);
	free(text);
	cr_expect_eq(oomlab(&text, 30000, "minimize", many, NULL), 2);
	want = xasprintf("oomlab minimize: %s: the matrix has 6 cells; give a matrix of one cell, or the report of "
			 "one cell (cells/<id>.json of its run)\n", many);
	cr_expect_str_eq(text, want);
	free(want);
	free(text);
	cr_expect_eq(oomlab(&text, 30000, "minimize", tmpdir, NULL), 2);
	want = xasprintf("oomlab minimize: %s: a directory; give one cell's report (DIR/cells/<id>.json of a run) "
			 "or a matrix file of one cell\n", tmpdir);
	cr_expect_str_eq(text, want);
	free(want);
	free(text);
	char *none = xasprintf("%s/none.json", tmpdir);
	cr_expect_eq(oomlab(&text, 30000, "minimize", none, NULL), 2);
	want = xasprintf("oomlab minimize: %s: cannot read it: No such file or directory\n", none);
	cr_expect_str_eq(text, want);
	free(want);
	free(none);
	free(text);
	cr_expect_eq(oomlab(&text, 30000, "minimize", many, "-k", "3", "-n", "2", NULL), 2);
	cr_expect_str_eq(text, "oomlab minimize: -k 3 is more than -n 2: K of N runs must fail the same way\n");
	free(text);
	free(pass);
	free(many);
}

/* The article's run, its ulimit cell made a FAIL (its alloc's verdict),
 * copied into tmpdir/DIR; the report's path (caller frees). index moves
 * the cell (-1: where it is). */
static char *failing_article(const char *dir, int with_run, long long index)
{
	char *src = xasprintf("%s/tests/golden/runs/article", root());
	char *cells = xasprintf("%s/%s/cells", tmpdir, dir);
	cr_assert_eq(mkdir_p(cells, 0755), 0);
	static const char *const files[] = {"run.json", "matrix.json"};
	for (size_t i = 0; with_run && i < 2; i++) {
		char *text = NULL, *from = xasprintf("%s/%s", src, files[i]);
		char *to = xasprintf("%s/%s/%s", tmpdir, dir, files[i]);
		size_t len;
		cr_assert_eq(read_file(from, &text, &len), 0);
		cr_assert_eq(write_file_atomic(to, text, len), 0);
		free(text);
		free(from);
		free(to);
	}
	char *rp = xasprintf("%s/cells/ulimit-v-128m.json", src);
	json_t *rep = load(rp);
	json_object_set_new(rep, "verdict", json_string("FAIL"));
	json_t *w = wl(rep, 0);
	json_object_set_new(w, "verdict", json_string("FAIL"));
	json_object_set_new(w, "verdict_reason", json_string("ended enomem at 126 MB, predicted 130..140 MB (made up)"));
	if (index >= 0)
		json_object_set_new(json_object_get(rep, "cell"), "index", json_integer(index));
	char *out = xasprintf("%s/ulimit-v-128m.json", cells);
	cr_assert_eq(json_dump_file(rep, out, 0), 0);
	json_decref(rep);
	free(rp);
	free(cells);
	free(src);
	return out;
}

/* A cell report is found again in its run dir's matrix; without a VM:
 * the kernel given does not exist, so the first run cannot be made
 * (exit 3), after the cell was written as a matrix of its own. */
Test(minimize, a_report_and_its_run_dir)
{
	char *text = NULL;
	char *alone = failing_article("alone", 0, -1);
	cr_expect_eq(oomlab(&text, 30000, "minimize", alone, NULL), 2);
	char *want = xasprintf("oomlab minimize: %s: a cell report is read in its run dir, and %s/alone is not "
			       "one: %s/alone/run.json: not an oomlab run report (No such file or directory)\n",
			       alone, tmpdir, tmpdir);
	cr_expect_str_eq(text, want);
	free(want);
	free(text);
	char *moved = failing_article("moved", 1, 3);
	cr_expect_eq(oomlab(&text, 30000, "minimize", moved, NULL), 2);
	want = xasprintf("oomlab minimize: %s: cell ulimit-v-128m (index 3) is not a cell of the run's matrix "
			 "%s/moved/matrix.json\n", moved, tmpdir);
	cr_expect_str_eq(text, want);
	free(want);
	free(text);
	char *rep = failing_article("run", 1, -1);
	char *mz = xasprintf("%s/mz", tmpdir);
	cr_expect_eq(oomlab(&text, 60000, "minimize", rep, "-o", mz, "--kernel", "/nonexistent/bzImage", NULL), 3);
	cr_expect_not_null(strstr(text, "workload alloc ended enomem: \"ended enomem at N MB, predicted N..N MB\""),
			   "%s", text);
	cr_expect_not_null(strstr(text, "[step-000] original: the cell as it is ... broken: oomlab run "), "%s", text);
	char *op = xasprintf("%s/original.json", mz);
	json_t *one = load(op);
	json_object_del(one, "description");
	char *got = json_dumps(one, JSON_COMPACT);
	cr_expect_str_eq(got, "{\"name\":\"article\",\"cells\":[{\"name\":\"ulimit -v 128M\",\"ram_mb\":256,"
			      "\"cpus\":1,\"swap_mb\":0,\"overcommit_memory\":0,\"rlimit_as_mb\":128,"
			      "\"workloads\":[{\"name\":\"alloc\"},{\"name\":\"touch\"}],\"timeout_s\":120,"
			      "\"sample_ms\":100,\"mode\":\"sequence\"}]}");
	free(got);
	json_decref(one);
	free(op);
	free(mz);
	free(text);
	free(rep);
	free(moved);
	free(alone);
}

