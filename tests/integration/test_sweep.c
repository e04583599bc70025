// SPDX-License-Identifier: GPL-2.0-or-later
/* Sweeps for real: a 2x2 matrix with -j 2, the same matrix as two shards
 * through the GNU parallel recipe (on this machine, -S :) merged back,
 * and a run interrupted with SIGINT then resumed. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/spawn.h"
#include "lib/util.h"

static char dir[256];

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/oomlab-sweeptest-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
	rm_rf(dir);
}

TestSuite(sweep, .init = setup, .fini = teardown, .timeout = 300);

static const char *root(void)
{
	const char *r = getenv("OOMLAB_ROOT");
	return r && *r ? r : ".";
}

static const char matrix_2x2[] =
	"{\"name\":\"sq\",\"timeout_s\":60,\"base\":{\"ram_mb\":256},"
	"\"axes\":{\"overcommit_memory\":[0,2],\"swap_mb\":[0,64]},\"workloads\":[\"touch\"]}";

static char *write_matrix(void)
{
	char *p = xasprintf("%s/m.json", dir);
	cr_assert_eq(write_file_atomic(p, matrix_2x2, strlen(matrix_2x2)), 0);
	return p;
}

/* Run argv (output to dir/<log>); return the exit code. */
static int run(char **argv, const char *log)
{
	char *lp = xasprintf("%s/%s", dir, log);
	FILE *f = fopen(lp, "w");
	cr_assert_not_null(f);
	struct spawn_opts o = {NULL, SPAWN_DEVNULL, fileno(f), fileno(f)};
	int st = 0;
	cr_assert_eq(run_argv(argv, &o, 250000, &st), 0, "%s did not finish", argv[0]);
	fclose(f);
	char *text = NULL;
	read_file(lp, &text, NULL);
	cr_log_info("%s:\n%s", argv[0], text ? text : "");
	cr_assert(WIFEXITED(st), "%s died: %s", argv[0], status_str(st));
	free(text);
	free(lp);
	return WEXITSTATUS(st);
}

static json_t *load_run(const char *rd)
{
	char *p = xasprintf("%s/run.json", rd);
	json_error_t je;
	json_t *r = json_load_file(p, 0, &je);
	cr_assert_not_null(r, "%s: %s", p, je.text);
	free(p);
	return r;
}

static void validate(const char *rd)
{
	char *v = xasprintf("%s/tests/validate-report", root());
	char *argv[] = {v, (char *)rd, NULL};
	cr_assert_eq(run(argv, "validate.log"), 0, "%s does not match the schema", rd);
	free(v);
}

/* "id endpoint endpoint...;" per cell, sorted by id: what must agree. */
static char *cell_set(json_t *run)
{
	size_t n = json_array_size(json_object_get(run, "cells"));
	char **lines = xcalloc(n ? n : 1, sizeof *lines);
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(run, "cells"), i, c) {
		struct buf b = {0};
		buf_printf(&b, "%s", json_string_value(json_object_get(c, "id")));
		size_t k;
		json_t *w;
		json_array_foreach(json_object_get(c, "workloads"), k, w)
			buf_printf(&b, " %s", json_string_value(json_object_get(w, "endpoint")));
		lines[i] = b.data;
	}
	for (size_t a = 0; a < n; a++)
		for (size_t b2 = a + 1; b2 < n; b2++)
			if (strcmp(lines[a], lines[b2]) > 0) {
				char *t = lines[a];
				lines[a] = lines[b2];
				lines[b2] = t;
			}
	struct buf all = {0};
	for (size_t a = 0; a < n; a++) {
		buf_printf(&all, "%s;", lines[a]);
		free(lines[a]);
	}
	free(lines);
	return all.data ? all.data : xstrdup("");
}

Test(sweep, two_by_two_with_j2_equals_two_merged_shards)
{
	char *m = write_matrix();
	char *bin = xasprintf("%s/build/san/oomlab", root());
	char *single = xasprintf("%s/single", dir);
	char *a1[] = {bin, "run", m, "-j", "2", "-o", single, NULL};
	cr_assert_eq(run(a1, "single.log"), 0);
	json_t *r1 = load_run(single);
	cr_assert_eq(json_array_size(json_object_get(r1, "cells")), 4);
	cr_expect_eq(json_integer_value(json_object_get(r1, "jobs")), 2);
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(r1, "summary"), "PASS")), 4);
	validate(single);

	char *recipe = xasprintf("%s/ci/shard-parallel", root());
	char *sharded = xasprintf("%s/sharded", dir);
	char *a2[] = {recipe, m, sharded, "2", ":", "--", "-j", "1", NULL};
	cr_assert_eq(run(a2, "sharded.log"), 0);
	char *merged = xasprintf("%s/merged", sharded);
	json_t *r2 = load_run(merged);
	cr_expect_eq(json_array_size(json_object_get(r2, "missing")), 0);
	cr_expect_eq(json_array_size(json_object_get(r2, "merged_from")), 2);
	char *s1 = cell_set(r1), *s2 = cell_set(r2);
	cr_expect_str_eq(s2, s1, "the merged shards differ from the single run");
	validate(merged);
	/* the merged run gets its own page and JUnit file, as a run does */
	char *page = xasprintf("%s/report.html", merged), *junit = xasprintf("%s/junit.xml", merged);
	cr_expect(path_exists(page) && path_exists(junit), "merge wrote no report.html / junit.xml");
	free(page);
	free(junit);
	free(s1);
	free(s2);
	json_decref(r1);
	json_decref(r2);
	free(merged);
	free(sharded);
	free(recipe);
	free(single);
	free(bin);
	free(m);
}

Test(sweep, sigint_then_resume_loses_and_repeats_nothing)
{
	char *m = write_matrix();
	char *bin = xasprintf("%s/build/san/oomlab", root());
	char *rd = xasprintf("%s/run", dir);
	char *runjson = xasprintf("%s/run.json", rd);
	char *lp = xasprintf("%s/first.log", dir);
	FILE *f = fopen(lp, "w");
	char *argv[] = {bin, "run", m, "-j", "1", "-o", rd, NULL};
	struct spawn_opts o = {NULL, SPAWN_DEVNULL, fileno(f), fileno(f)};
	pid_t pid;
	cr_assert_eq(spawn_argv(argv, &o, &pid), 0);
	fclose(f);
	/* interrupt once the first cell is done (the run report says so) */
	int done = 0;
	for (int i = 0; i < 1200 && !done; i++) {
		json_t *r = json_load_file(runjson, 0, NULL);
		done = r && json_integer_value(json_object_get(json_object_get(r, "summary"),
								  "cells_done")) >= 1;
		json_decref(r);
		if (!done)
			cr_assert_eq(wait_pid_timeout(pid, 100, NULL), 1, "oomlab ended too early");
	}
	cr_assert(done, "no cell finished in 120 s");
	cr_assert_eq(kill(pid, SIGINT), 0);
	int st;
	cr_assert_eq(wait_pid_timeout(pid, 60000, &st), 0, "oomlab did not stop after SIGINT");
	cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 3, "%s", status_str(st));
	json_t *r = load_run(rd);
	cr_expect(json_is_true(json_object_get(r, "interrupted")));
	size_t before = json_array_size(json_object_get(r, "cells"));
	cr_assert_geq(before, 1);
	cr_assert_lt(before, 5);
	/* the first finished cell must not run again: remember its report */
	json_t *c0 = json_array_get(json_object_get(r, "cells"), 0);
	char *c0path = xasprintf("%s/%s", rd, json_string_value(json_object_get(c0, "file")));
	const char *c0status = json_string_value(json_object_get(c0, "status"));
	int c0_finished = c0status && strcmp(c0status, "interrupted");
	char *c0text = NULL;
	read_file(c0path, &c0text, NULL);
	json_decref(r);
	validate(rd);

	char *a2[] = {bin, "run", "--resume", rd, "-j", "2", NULL};
	cr_assert_eq(run(a2, "resume.log"), 0);
	r = load_run(rd);
	json_t *cells = json_object_get(r, "cells");
	cr_assert_eq(json_array_size(cells), 4);
	for (size_t i = 0; i < 4; i++)
		for (size_t j = i + 1; j < 4; j++)
			cr_expect_str_neq(json_string_value(json_object_get(json_array_get(cells, i), "id")),
					  json_string_value(json_object_get(json_array_get(cells, j), "id")));
	cr_expect(json_is_false(json_object_get(r, "interrupted")));
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(r, "summary"), "PASS")), 4);
	if (c0_finished) {
		char *now = NULL;
		read_file(c0path, &now, NULL);
		cr_expect_str_eq(now, c0text, "a finished cell ran again");
		free(now);
	}
	validate(rd);
	json_decref(r);
	free(c0text);
	free(c0path);
	free(lp);
	free(runjson);
	free(rd);
	free(bin);
	free(m);
}
