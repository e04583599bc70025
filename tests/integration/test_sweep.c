// SPDX-License-Identifier: GPL-2.0-or-later
/* Sweeps for real: a 2x2 matrix with -j 2, the same matrix as two shards
 * through the GNU parallel recipe (on this machine, -S :) merged back,
 * and a run interrupted with SIGINT then resumed. */
#include <criterion/criterion.h>
#include <dirent.h>
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

/* ---- --resume is exact: a copy of a real run dir, edited into the state
 * an interrupted run leaves ---- */

static void copy_tree(const char *from, const char *to)
{
	cr_assert_eq(mkdir_p(to, 0755), 0);
	DIR *d = opendir(from);
	cr_assert_not_null(d, "%s", from);
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char *a = xasprintf("%s/%s", from, de->d_name), *b = xasprintf("%s/%s", to, de->d_name);
		struct stat st;
		cr_assert_eq(stat(a, &st), 0);
		if (S_ISDIR(st.st_mode)) {
			copy_tree(a, b);
		} else {
			char *text = NULL;
			size_t len = 0;
			cr_assert_eq(read_file(a, &text, &len), 0);
			cr_assert_eq(write_file_atomic(b, text, len), 0);
			free(text);
		}
		free(a);
		free(b);
	}
	closedir(d);
}

/* tests/golden/runs/article copied to dir/<name>; its run.json */
static char *article_copy(const char *name)
{
	char *src = xasprintf("%s/tests/golden/runs/article", root());
	char *rd = xasprintf("%s/%s", dir, name);
	copy_tree(src, rd);
	free(src);
	return rd;
}

static void save_run(const char *rd, json_t *rj)
{
	char *p = xasprintf("%s/run.json", rd);
	cr_assert_eq(json_dump_file(rj, p, JSON_INDENT(1) | JSON_SORT_KEYS), 0);
	free(p);
}

/* drop the row of cell id from run.json (as a harness killed between the
 * cell's report and its row leaves it) */
static void drop_row(json_t *rj, const char *id)
{
	json_t *cells = json_object_get(rj, "cells");
	size_t i;
	json_t *c;
	json_array_foreach(cells, i, c) {
		if (!strcmp(json_string_value(json_object_get(c, "id")), id)) {
			json_array_remove(cells, i);
			return;
		}
	}
	cr_assert_fail("no row %s", id);
}

static char *cell_text(const char *rd, const char *id)
{
	char *p = xasprintf("%s/cells/%s.json", rd, id), *text = NULL;
	read_file(p, &text, NULL);
	free(p);
	return text;
}

/* The harness was killed after a cell's report was written and before its
 * row reached run.json: the report is whole (written atomically), so the
 * cell finished and must not run again; its row comes from the report.
 * The run's own --junit is written again as the run wrote it. */
Test(sweep, resume_keeps_a_report_whose_row_never_reached_run_json)
{
	char *rd = article_copy("lostrow");
	json_t *rj = load_run(rd);
	drop_row(rj, "ulimit-v-128m");
	json_object_set_new(rj, "interrupted", json_true());
	char *junit = xasprintf("%s/ci-junit.xml", dir);
	json_object_set_new(json_object_get(rj, "options"), "junit", json_string(junit));
	save_run(rd, rj);
	json_decref(rj);
	char *before = cell_text(rd, "ulimit-v-128m");
	cr_assert_not_null(before);

	char *bin = xasprintf("%s/build/san/oomlab", root());
	char *argv[] = {bin, "run", "--resume", rd, "-j", "1", NULL};
	cr_expect_eq(run(argv, "lostrow.log"), 0);
	char *log = xasprintf("%s/lostrow.log", dir), *text = NULL;
	read_file(log, &text, NULL);
	cr_expect_not_null(strstr(text, "5 of 6 cells done, 1 whose row was lost kept from its report, 0 to run"),
			   "%s", text);
	rj = load_run(rd);
	cr_expect_eq(json_array_size(json_object_get(rj, "cells")), 6);
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(rj, "summary"), "PASS")), 6);
	cr_expect(json_is_false(json_object_get(rj, "interrupted")));
	json_t *row = json_array_get(json_object_get(rj, "cells"), 4);
	cr_expect_str_eq(json_string_value(json_object_get(row, "id")), "ulimit-v-128m");
	cr_expect_str_eq(json_string_value(json_object_get(row, "file")), "cells/ulimit-v-128m.json");
	char *after = cell_text(rd, "ulimit-v-128m");
	cr_expect_str_eq(after, before, "the cell ran again");
	cr_expect(path_exists(junit), "the run's --junit %s was not written", junit);
	validate(rd);
	json_decref(rj);
	free(after);
	free(text);
	free(log);
	free(bin);
	free(before);
	free(junit);
	free(rd);
}

/* A report whose row is missing but whose status says it did not finish
 * (interrupted), or that another run wrote, runs again. */
Test(sweep, resume_runs_a_rowless_report_that_did_not_finish)
{
	char *rd = article_copy("rowless");
	json_t *rj = load_run(rd);
	drop_row(rj, "32-bit-process");
	/* the run is cold: the cell that runs again boots */
	json_object_set_new(json_object_get(rj, "options"), "cold", json_true());
	save_run(rd, rj);
	json_decref(rj);
	char *p = xasprintf("%s/cells/32-bit-process.json", rd);
	json_t *c = json_load_file(p, 0, NULL);
	cr_assert_not_null(c);
	json_object_set_new(c, "status", json_string("interrupted"));
	json_object_set_new(c, "verdict", json_string("BROK"));
	cr_assert_eq(json_dump_file(c, p, JSON_INDENT(1)), 0);
	json_decref(c);

	char *bin = xasprintf("%s/build/san/oomlab", root());
	char *argv[] = {bin, "run", "--resume", rd, "-j", "1", NULL};
	cr_expect_eq(run(argv, "rowless.log"), 0);
	rj = load_run(rd);
	cr_expect_eq(json_array_size(json_object_get(rj, "cells")), 6);
	c = json_load_file(p, 0, NULL);
	cr_assert_not_null(c);
	cr_expect_str_eq(json_string_value(json_object_get(c, "status")), "ok");
	cr_expect_str_eq(json_string_value(json_object_get(c, "run_id")),
			 json_string_value(json_object_get(rj, "run_id")));
	/* --cold of the run holds for the resumed cells */
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(c, "timings"), "start")), "cold");
	validate(rd);
	json_decref(c);
	json_decref(rj);
	free(bin);
	free(p);
	free(rd);
}

/* The accelerator is the run's: a run made under KVM is not finished under
 * TCG (the figures would mix); on a host without KVM --resume says so. */
Test(sweep, resume_keeps_the_runs_accelerator)
{
	if (access("/dev/kvm", R_OK | W_OK) == 0)
		cr_skip_test("this host has /dev/kvm: the refusal is for hosts without it");
	char *rd = article_copy("kvmrun");
	json_t *rj = load_run(rd);
	json_object_set_new(json_object_get(rj, "host"), "accel", json_string("kvm"));
	drop_row(rj, "32-bit-process");
	save_run(rd, rj);
	json_decref(rj);
	char *p = xasprintf("%s/cells/32-bit-process.json", rd);
	cr_assert_eq(unlink(p), 0);
	char *bin = xasprintf("%s/build/san/oomlab", root());
	char *argv[] = {bin, "run", "--resume", rd, "-j", "1", NULL};
	cr_expect_eq(run(argv, "kvmrun.log"), 3);
	char *log = xasprintf("%s/kvmrun.log", dir), *text = NULL;
	read_file(log, &text, NULL);
	cr_expect_not_null(strstr(text, "this run ran under kvm, which does not work on this host"), "%s", text);
	cr_expect_not(path_exists(p), "a cell ran");
	free(text);
	free(log);
	free(bin);
	free(p);
	free(rd);
}

/* The kernel is the run's: another build under the same name (here: a
 * default kernel that was no package) does not finish it. */
Test(sweep, resume_refuses_other_kernels)
{
	char *rd = article_copy("otherkernel");
	json_t *rj = load_run(rd);
	json_object_set_new(rj, "kernels",
			    json_pack("[{s:b,s:n,s:n,s:n,s:n,s:s,s:s}]", "default", 1, "arg", "modules", "package",
				      "version", "release", "6.1.0-custom", "image_sha256",
				      "0000000000000000000000000000000000000000000000000000000000000000"));
	drop_row(rj, "32-bit-process");
	save_run(rd, rj);
	json_decref(rj);
	char *p = xasprintf("%s/cells/32-bit-process.json", rd);
	cr_assert_eq(unlink(p), 0);
	char *bin = xasprintf("%s/build/san/oomlab", root());
	char *argv[] = {bin, "run", "--resume", rd, "-j", "1", NULL};
	cr_expect_eq(run(argv, "otherkernel.log"), 2);
	char *log = xasprintf("%s/otherkernel.log", dir), *text = NULL;
	read_file(log, &text, NULL);
	cr_expect_not_null(strstr(text, "the kernels are not the ones the run started with (the default kernel's "
					"package: null and \"linux-image-"),
			   "%s", text);
	cr_expect_not(path_exists(p), "a cell ran");
	free(text);
	free(log);
	free(bin);
	free(p);
	free(rd);
}

/* ---- merge joins only shards run alike ---- */

/* the article run cut in two shards, dir/<name>-1 (cells 0, 2, 4) and
 * dir/<name>-2 (1, 3, 5), as --shard K/2 would have run it; edit(run.json
 * of shard 2) changes what shard 2 was run with */
static void two_shards(const char *name, char **s1, char **s2, void (*edit)(json_t *))
{
	char *n1 = xasprintf("%s-1", name), *n2 = xasprintf("%s-2", name);
	*s1 = article_copy(n1);
	*s2 = article_copy(n2);
	for (int k = 1; k <= 2; k++) {
		const char *rd = k == 1 ? *s1 : *s2;
		json_t *rj = load_run(rd);
		json_t *cells = json_object_get(rj, "cells");
		for (size_t i = json_array_size(cells); i-- > 0;)
			if ((int)json_integer_value(json_object_get(json_array_get(cells, i), "index")) % 2 != k - 1)
				json_array_remove(cells, i);
		json_object_set_new(rj, "shard", json_pack("{s:i,s:i}", "index", k, "count", 2));
		json_object_set_new(rj, "kernels",
				    json_pack("[{s:b,s:n,s:n,s:s,s:s,s:s,s:s}]", "default", 1, "arg", "modules",
					      "package", "linux-image-6.1.0-56-amd64", "version", "6.1.192-2", "release",
					      "6.1.0-56-amd64", "image_sha256",
					      "1111111111111111111111111111111111111111111111111111111111111111"));
		json_object_set_new(json_object_get(rj, "options"), "cold", json_false());
		if (k == 2 && edit)
			edit(rj);
		save_run(rd, rj);
		json_decref(rj);
	}
	free(n1);
	free(n2);
}

static void edit_accel(json_t *rj)
{
	json_object_set_new(json_object_get(rj, "host"), "accel", json_string("kvm"));
}

static void edit_cold(json_t *rj)
{
	json_object_set_new(json_object_get(rj, "options"), "cold", json_true());
}

static void edit_version(json_t *rj)
{
	json_object_set_new(json_object_get(rj, "tool"), "version", json_string("0.0.9"));
}

static void edit_kernel(json_t *rj)
{
	json_object_set_new(json_array_get(json_object_get(rj, "kernels"), 0), "release",
			    json_string("6.1.0-57-amd64"));
}

/* what may differ: jobs, times, the host's own kernel, --keep-tmp */
static void edit_harmless(json_t *rj)
{
	json_object_set_new(rj, "jobs", json_integer(7));
	json_object_set_new(rj, "wall_s", json_real(99.5));
	json_object_set_new(json_object_get(rj, "host"), "release", json_string("6.12.0-other-host"));
	json_object_set_new(json_object_get(rj, "options"), "keep_tmp", json_true());
}

Test(sweep, merge_refuses_shards_run_otherwise)
{
	static const struct {
		const char *name;
		void (*edit)(json_t *);
		const char *want; /* NULL: merges */
	} cases[] = {
		{"same", NULL, NULL},
		{"harmless", edit_harmless, NULL},
		{"accel", edit_accel, "host.accel: \"tcg\" and \"kvm\""},
		{"cold", edit_cold, "options.cold: false and true"},
		{"version", edit_version, "tool.version: \"0.1.0\" and \"0.0.9\""},
		{"kernel", edit_kernel, "the default kernel's release: \"6.1.0-56-amd64\" and \"6.1.0-57-amd64\""},
	};
	char *bin = xasprintf("%s/build/san/oomlab", root());
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *s1, *s2;
		two_shards(cases[i].name, &s1, &s2, cases[i].edit);
		char *out = xasprintf("%s/merged-%s", dir, cases[i].name);
		char *argv[] = {bin, "merge", "-o", out, s1, s2, NULL};
		char *logname = xasprintf("merge-%s.log", cases[i].name);
		int code = run(argv, logname);
		char *lp = xasprintf("%s/%s", dir, logname), *text = NULL;
		read_file(lp, &text, NULL);
		if (cases[i].want) {
			cr_expect_eq(code, 2, "%s: exit %d", cases[i].name, code);
			char *want = xasprintf("oomlab merge: %s and %s were not run alike: %s", s1, s2, cases[i].want);
			cr_expect_not_null(strstr(text, want), "%s: want '%s' in: %s", cases[i].name, want, text);
			free(want);
			char *rj = xasprintf("%s/run.json", out);
			cr_expect_not(path_exists(rj), "%s: merged anyway", cases[i].name);
			free(rj);
		} else {
			cr_expect_eq(code, 0, "%s: exit %d: %s", cases[i].name, code, text);
			json_t *m = load_run(out);
			cr_expect_eq(json_array_size(json_object_get(m, "cells")), 6, "%s", cases[i].name);
			cr_expect_eq(json_array_size(json_object_get(m, "kernels")), 1, "%s", cases[i].name);
			json_decref(m);
			validate(out);
		}
		free(text);
		free(lp);
		free(logname);
		free(out);
		free(s1);
		free(s2);
	}
	free(bin);
}
