// SPDX-License-Identifier: GPL-2.0-or-later
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "itest.h"
#include "lib/spawn.h"
#include "lib/util.h"

char tmpdir[256];

void setup(void)
{
	const char *t = getenv("TMPDIR");
	snprintf(tmpdir, sizeof tmpdir, "%s/oomlab-itest-XXXXXX", t && *t ? t : "/tmp");
	cr_assert_not_null(mkdtemp(tmpdir));
}

void teardown(void)
{
	rm_rf(tmpdir);
}

const char *root(void)
{
	const char *r = getenv("OOMLAB_ROOT");
	return r && *r ? r : ".";
}

/* run.json and the cell report name the oomlab that ran them as
 * `oomlab --version` does: the same version, commit and modified. */
static void check_tool(char *bin, json_t *run, json_t *cell)
{
	char *argv[] = {bin, "--version", NULL}, *said = NULL;
	cr_assert_eq(run_capture(argv, &said, NULL), 0);
	json_t *t = json_object_get(run, "tool");
	const char *c = str(t, "commit");
	json_t *mod = json_object_get(t, "modified");
	cr_assert(json_is_boolean(mod) || json_is_null(mod), "tool.modified: %s", said);
	char *want = xasprintf("oomlab %s (git %.*s%s)\n", str(t, "version"), strcmp(c, "unknown") ? 12 : 7, c,
			       json_is_true(mod) ? ", modified" : "");
	cr_expect_str_eq(said, want, "run.json's tool is not what oomlab --version says");
	cr_expect(strcmp(c, "unknown") == 0 || strlen(c) == 40, "tool.commit %s", c);
	cr_expect(json_equal(t, json_object_get(cell, "tool")), "the cell report's tool is not run.json's");
	free(want);
	free(said);
}

int run_matrix(const char *matrix, json_t **cell, char **out_dir)
{
	char *mpath = xasprintf("%s/matrix.json", tmpdir);
	cr_assert_eq(write_file_atomic(mpath, matrix, strlen(matrix)), 0);
	char *out = xasprintf("%s/run", tmpdir);
	char *bin = xasprintf("%s/build/san/oomlab", root());
	char *log = xasprintf("%s/oomlab.log", tmpdir);
	char *argv[] = {bin, "run", mpath, "-o", out, NULL};
	FILE *lf = fopen(log, "w");
	cr_assert_not_null(lf);
	struct spawn_opts o = {NULL, SPAWN_DEVNULL, fileno(lf), fileno(lf)};
	int st = 0;
	int r = run_argv(argv, &o, 170 * 1000, &st);
	fclose(lf);
	char *text = NULL;
	read_file(log, &text, NULL);
	cr_log_info("oomlab output:\n%s", text ? text : "");
	cr_assert_eq(r, 0, "oomlab run did not finish in time");
	cr_assert(WIFEXITED(st), "oomlab died: %s\n%s", status_str(st), text);
	free(text);
	*cell = NULL;
	char *runjson = xasprintf("%s/run.json", out);
	json_error_t je;
	json_t *run = json_load_file(runjson, 0, &je);
	cr_assert_not_null(run, "%s: %s", runjson, je.text);
	json_t *c0 = json_array_get(json_object_get(run, "cells"), 0);
	cr_assert_not_null(c0);
	char *cpath = xasprintf("%s/%s", out, json_string_value(json_object_get(c0, "file")));
	*cell = json_load_file(cpath, 0, &je);
	cr_assert_not_null(*cell, "%s: %s", cpath, je.text);
	check_tool(bin, run, *cell);
	json_decref(run);
	free(cpath);
	free(runjson);
	free(mpath);
	free(bin);
	free(log);
	if (out_dir)
		*out_dir = out;
	else
		free(out);
	return WEXITSTATUS(st);
}

int run_file(const char *mpath, int timeout_ms, char **out_dir)
{
	char *bin = xasprintf("%s/build/san/oomlab", root());
	char *out = xasprintf("%s/run", tmpdir);
	char *argv[] = {bin, "run", (char *)mpath, "-j", "2", "-o", out, NULL};
	struct spawn_opts o = {NULL, SPAWN_DEVNULL, SPAWN_DEVNULL, SPAWN_DEVNULL};
	int st = 0;
	cr_assert_eq(run_argv(argv, &o, timeout_ms, &st), 0, "oomlab run did not finish in time");
	free(bin);
	*out_dir = out;
	if (!WIFEXITED(st)) {
		cr_log_error("oomlab run: %s", status_str(st));
		return -1;
	}
	return WEXITSTATUS(st);
}

int run_sweep(const char *matrix, int timeout_ms, char **out_dir)
{
	char *mp = xasprintf("%s/m.json", tmpdir);
	cr_assert_eq(write_file_atomic(mp, matrix, strlen(matrix)), 0);
	int rc = run_file(mp, timeout_ms, out_dir);
	free(mp);
	return rc;
}

json_t *load_cell(const char *out, const char *id)
{
	char *cp = xasprintf("%s/cells/%s.json", out, id);
	json_error_t je;
	json_t *cell = json_load_file(cp, 0, &je);
	cr_assert_not_null(cell, "%s: %s", cp, je.text);
	free(cp);
	return cell;
}

void validate(const char *run_dir)
{
	char *v = xasprintf("%s/tests/validate-report", root());
	char *argv[] = {v, (char *)run_dir, NULL};
	int st = 0;
	cr_assert_eq(run_argv(argv, NULL, 60000, &st), 0);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "report does not match the schema");
	free(v);
}

const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "(null)";
}

json_t *wl(json_t *cell, size_t i)
{
	json_t *w = json_array_get(json_object_get(cell, "workloads"), i);
	cr_assert_not_null(w, "no workload %zu in the cell", i);
	return w;
}

json_t *knob(json_t *cell, const char *name)
{
	size_t i;
	json_t *k;
	json_array_foreach(json_object_get(cell, "knobs"), i, k)
		if (!strcmp(str(k, "name"), name))
			return k;
	return NULL;
}

json_t *metric(json_t *w, const char *k)
{
	json_t *v = json_object_get(json_object_get(w, "metrics"), k);
	cr_assert_not_null(v, "no metric %s", k);
	return v;
}

long long mint(json_t *w, const char *k)
{
	json_t *v = metric(w, k);
	cr_assert(json_is_integer(v), "metric %s is not an integer", k);
	return json_integer_value(v);
}

double mreal(json_t *w, const char *k)
{
	json_t *v = metric(w, k);
	cr_assert(json_is_real(v), "metric %s is not a decimal", k);
	return json_real_value(v);
}

const char *reason(json_t *w)
{
	return str(json_object_get(w, "result"), "reason");
}
