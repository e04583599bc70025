// SPDX-License-Identifier: GPL-2.0-or-later
/* A run's matrix from the command line (--cell, --workload) and from
 * standard input (-), for real: the cell's knobs in its report, the
 * matrix kept in the run dir byte for byte, a run repeated from that copy
 * and runs resumed. Three small cells (about 25 s in all under TCG). */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "itest.h"
#include "lib/spawn.h"
#include "lib/util.h"

TestSuite(cellcli, .init = setup, .fini = teardown, .timeout = 300);

/* build/san/oomlab with args (NULL-terminated, at most 15), stdin from
 * the file in_path (NULL: /dev/null); its exit code, stdout and stderr in
 * *out (caller frees). */
static int oomlab(const char *in_path, char **out, const char *const *args)
{
	char *bin = xasprintf("%s/build/san/oomlab", root());
	char *log = xasprintf("%s/out.txt", tmpdir);
	char *argv[16] = {bin};
	for (int i = 0; args[i] && i < 15; i++)
		argv[i + 1] = (char *)args[i];
	int in = in_path ? open(in_path, O_RDONLY) : SPAWN_DEVNULL;
	cr_assert(in != -1, "%s", in_path);
	FILE *f = fopen(log, "w");
	cr_assert_not_null(f);
	struct spawn_opts o = {NULL, in, fileno(f), fileno(f)};
	int st = 0;
	cr_assert_eq(run_argv(argv, &o, 200000, &st), 0, "oomlab did not end in time");
	fclose(f);
	if (in >= 0)
		close(in);
	cr_assert_eq(read_file(log, out, NULL), 0);
	cr_log_info("oomlab output:\n%s", *out);
	cr_assert(WIFEXITED(st), "oomlab died: %s\n%s", status_str(st), *out);
	free(bin);
	free(log);
	return WEXITSTATUS(st);
}

static char *slurp(const char *path)
{
	char *t = NULL;
	cr_assert_eq(read_file(path, &t, NULL), 0, "%s", path);
	return t;
}

static json_t *load(const char *path)
{
	json_error_t je;
	json_t *j = json_load_file(path, 0, &je);
	cr_assert_not_null(j, "%s: %s", path, je.text);
	return j;
}

static const char cell_id[] = "ram-mb-256-swap-mb-128-overcommit-memory-2";

/* The one cell of run dir d: its id, knobs and endpoint as --cell said. */
static void check_cell(const char *d)
{
	json_t *c = load_cell(d, cell_id);
	cr_expect_str_eq(str(json_object_get(c, "cell"), "name"), "ram_mb=256 swap_mb=128 overcommit_memory=2");
	char *req = json_dumps(json_object_get(c, "requested"), JSON_COMPACT | JSON_SORT_KEYS);
	cr_expect_str_eq(req, "{\"overcommit_memory\":2,\"ram_mb\":256,\"swap_mb\":128}");
	free(req);
	json_t *vm = json_object_get(c, "vm");
	cr_expect_eq(json_integer_value(json_object_get(vm, "ram_mb")), 256);
	cr_expect_eq(json_integer_value(json_object_get(vm, "swap_mb")), 128);
	json_t *k = knob(c, "overcommit_memory");
	cr_assert_not_null(k);
	cr_expect_str_eq(str(k, "want"), "2");
	cr_expect_str_eq(str(k, "got"), "2");
	cr_expect_str_eq(str(k, "status"), "ok");
	cr_expect_str_eq(str(json_object_get(c, "swap"), "status"), "ok");
	/* mode 2 refuses the commit before the OOM killer: touch ends enomem */
	cr_expect_str_eq(str(wl(c, 0), "name"), "touch");
	cr_expect_str_eq(str(wl(c, 0), "endpoint"), "enomem");
	cr_expect_str_eq(str(c, "verdict"), "PASS");
	json_decref(c);
}

static const char matrix_text[] = "{\n"
				  "  \"name\": \"cell\",\n"
				  "  \"timeout_s\": 60,\n"
				  "  \"workloads\": [\n"
				  "    \"touch\"\n"
				  "  ],\n"
				  "  \"cells\": [\n"
				  "    {\n"
				  "      \"ram_mb\": 256,\n"
				  "      \"swap_mb\": 128,\n"
				  "      \"overcommit_memory\": 2\n"
				  "    }\n"
				  "  ]\n"
				  "}\n";

Test(cellcli, a_cell_run_from_the_command_line_then_from_stdin_and_resumed)
{
	char *out, *d1 = xasprintf("%s/cli", tmpdir), *d2 = xasprintf("%s/piped", tmpdir);
	const char *a1[] = {"run", "--cell", "ram_mb=256 swap_mb=128 overcommit_memory=2", "--workload", "touch",
			    "--timeout", "60", "-o", d1, NULL};
	cr_assert_eq(oomlab(NULL, &out, a1), 0);
	free(out);
	check_cell(d1);
	/* the matrix it made, kept as a file like any other */
	char *mp = xasprintf("%s/matrix.json", d1);
	char *kept = slurp(mp);
	cr_expect_str_eq(kept, matrix_text);
	free(kept);
	char *rp = xasprintf("%s/run.json", d1);
	json_t *run = load(rp);
	cr_expect_str_eq(str(json_object_get(run, "matrix"), "path"), "--cell");
	cr_expect_str_eq(str(json_object_get(run, "matrix"), "name"), "cell");
	cr_expect_eq(strncmp(str(run, "run_id"), "cell-", 5), 0, "%s", str(run, "run_id"));
	json_decref(run);
	validate(d1);
	/* --resume finds the matrix a --cell run kept (nothing left to run) */
	const char *a1r[] = {"run", "--resume", d1, NULL};
	cr_expect_eq(oomlab(NULL, &out, a1r), 0);
	cr_expect_not_null(strstr(out, "resuming "), "%s", out);
	cr_expect_not_null(strstr(out, ": 1 of 1 cells done, 0 to run"), "%s", out);
	free(out);

	/* that copy piped back in: the same cell, the same end; its copy
	 * is the bytes read */
	const char *a2[] = {"run", "-", "-o", d2, NULL};
	cr_assert_eq(oomlab(mp, &out, a2), 0);
	free(out);
	check_cell(d2);
	char *mp2 = xasprintf("%s/matrix.json", d2), *rp2 = xasprintf("%s/run.json", d2);
	kept = slurp(mp2);
	cr_expect_str_eq(kept, matrix_text);
	free(kept);
	run = load(rp2);
	cr_expect_str_eq(str(json_object_get(run, "matrix"), "path"), "<stdin>");

	/* a stdin run resumed: its cell lost (no row, no report) runs again */
	json_object_set_new(run, "cells", json_array());
	cr_assert_eq(json_dump_file(run, rp2, 0), 0);
	json_decref(run);
	char *cp = xasprintf("%s/cells/%s.json", d2, cell_id);
	cr_assert_eq(unlink(cp), 0);
	const char *a3[] = {"run", "--resume", d2, NULL};
	cr_assert_eq(oomlab(NULL, &out, a3), 0);
	cr_expect_not_null(strstr(out, "0 of 1 cells done, 1 to run"), "%s", out);
	free(out);
	check_cell(d2);
	run = load(rp2);
	cr_expect_eq(json_array_size(json_object_get(run, "cells")), 1);
	cr_expect_str_eq(str(json_object_get(run, "matrix"), "path"), "<stdin>");
	json_decref(run);
	validate(d2);
	free(cp);
	free(mp);
	free(mp2);
	free(rp);
	free(rp2);
	free(d1);
	free(d2);
}

/* A refused --cell or stdin matrix: exit 2, this one line, no run dir. */
static void refused(const char *in_path, const char *const *args, const char *dir, const char *want)
{
	char *out;
	cr_expect_eq(oomlab(in_path, &out, args), 2, "%s", out);
	cr_expect_str_eq(out, want);
	cr_expect(!path_exists(dir), "%s was made", dir);
	free(out);
}

Test(cellcli, bad_cells_refused_before_any_vm)
{
	char *d = xasprintf("%s/never", tmpdir);
	const char *a1[] = {"run", "--cell", "ram_mb=256 swap_mb", "--workload", "touch", "-o", d, NULL};
	refused(NULL, a1, d, "oomlab: --cell 'ram_mb=256 swap_mb': swap_mb: not KEY=VALUE (e.g. ram_mb=256)\n");
	const char *a2[] = {"run", "--cell", "ram_mb=abc", "--workload", "touch", "-o", d, NULL};
	refused(NULL, a2, d, "oomlab: --cell: cells[0].ram_mb: must be an integer in 64..65536\n");
	const char *a3[] = {"run", "--cell", "ram_mb=256", "--cell", "overcommit_memory=3", "--workload", "touch",
			    "-o", d, NULL};
	refused(NULL, a3, d, "oomlab: --cell: cells[1].overcommit_memory: 3 is out of range (allowed 0..2)\n");
	const char *a4[] = {"run", "--cell", "ram_mb=256", "--workload", "touch size=1", "-o", d, NULL};
	refused(NULL, a4, d,
		"oomlab: --workload 'touch size=1': size: unknown option of touch (allowed: block_kb, fill, max_mb, "
		"hold_ms; or rlimit_as_mb, oom_score_adj, start_delay_ms, expect, cgroup)\n");
	/* usage errors: the reason, then the usage lines of --help */
	char *usage = NULL;
	char *bin = xasprintf("%s/build/san/oomlab", root());
	char *help[] = {bin, "run", "--help", NULL};
	cr_assert_eq(run_capture(help, &usage, NULL), 0);
	free(bin);
	char *nl = strstr(usage, "\n\n");
	cr_assert_not_null(nl);
	*nl = 0;
	const char *a5[] = {"run", "--cell", "ram_mb=256", "-o", d, NULL};
	char *want = xasprintf("oomlab run: --cell needs --workload NAME: what runs in each cell (oomlab workloads "
			       "lists them)\n%s\n", usage);
	refused(NULL, a5, d, want);
	free(want);
	const char *a6[] = {"run", "m.json", "--cell", "ram_mb=256", "--workload", "touch", "-o", d, NULL};
	want = xasprintf("oomlab run: --cell makes the matrix: give no MATRIX file (or -) with it\n%s\n", usage);
	refused(NULL, a6, d, want);
	free(want);
	const char *a7[] = {"run", "m.json", "--workload", "touch", "-o", d, NULL};
	want = xasprintf("oomlab run: --workload, --name and --timeout go with --cell (a matrix file says them "
			 "itself)\n%s\n", usage);
	refused(NULL, a7, d, want);
	free(want);
	free(usage);
	/* a matrix on stdin: its errors name <stdin> */
	char *mp = xasprintf("%s/bad.json", tmpdir);
	const char bad[] = "{\"name\":\"x\",\"cells\":[{\"ram_mb\":32,\"workloads\":[\"touch\"]}]}";
	cr_assert_eq(write_file_atomic(mp, bad, strlen(bad)), 0);
	const char *a8[] = {"run", "-", "-o", d, NULL};
	refused(mp, a8, d, "oomlab: <stdin>: cells[0].ram_mb: 32 is out of range (allowed 64..65536)\n");
	free(mp);
	free(d);
}

Test(cellcli, plan_reads_stdin_and_cells)
{
	char *mp = xasprintf("%s/m.json", tmpdir), *out;
	const char m[] = "{\"name\":\"piped\",\"cells\":[{\"ram_mb\":256,\"workloads\":[\"touch\"]}]}";
	cr_assert_eq(write_file_atomic(mp, m, strlen(m)), 0);
	const char *a1[] = {"plan", "-", NULL};
	cr_expect_eq(oomlab(mp, &out, a1), 0);
	/* the digest oomlab plan m.json gives: the same document */
	cr_expect_str_eq(out, "# piped: 1 cells (matrix digest 6c1490a049e17f89)\n"
			      "ram-mb-256\tram_mb=256\ttogether: touch\n");
	free(out);
	const char *a2[] = {"plan", "--cell", "ram_mb=256", "--workload", "touch", "--name", "piped", NULL};
	cr_expect_eq(oomlab(NULL, &out, a2), 0);
	/* another document (top-level workloads), the same cell */
	cr_expect_str_eq(out, "# piped: 1 cells (matrix digest 6c36e97b284213a3)\n"
			      "ram-mb-256\tram_mb=256\ttogether: touch\n");
	free(out);
	free(mp);
}
