// SPDX-License-Identifier: GPL-2.0-or-later
/* oomlab minimize: the smallest cell that still fails the same way.
 *
 * It takes a cell report (cells/<id>.json of a run dir: the cell is
 * found again in the matrix the run kept, DIR/matrix.json, as --resume
 * finds it) or a matrix file of one cell, makes of it a one-cell matrix in
 * normal form (plan/onecell.h) and walks the step table of plan/shrink.h
 * once, in its order: each candidate a step makes runs N times (the
 * matrix's "repeat") through `oomlab run` (this binary, exec'd with an
 * argv: the same VMs, warm starts, pool and reports as a run), and is kept
 * when K of the N runs show the same failure (reports/failsig.h).
 * Output in DIR:
 *   original.json        the cell as it started, in normal form
 *   step-NNN.json, step-NNN/, step-NNN.log
 *                        each candidate's matrix, its run dir and what
 *                        oomlab run printed (step-000: the cell itself)
 *   steps.json           every step: what it removed, runs, kept or not
 *   minimized.json       the smallest cell; its "description" lists what
 *                        each kept step removed
 * Exit: 0 minimized.json written; 1 the cell's failure does not
 * reproduce in K of N runs (nothing to minimise); 2 usage, or a cell or
 * matrix that cannot be minimised (file and reason); 3 a run could not be
 * made (oomlab run failed: its log says why). */
#include "cli.h"
#include "lib/util.h"
#include "lib/vocab.h"
#include "lib/spawn.h"
#include "lib/newfile.h"
#include "lib/paths.h"
#include "plan/hostfiles.h"
#include "plan/matrix.h"
#include "plan/onecell.h"
#include "plan/shrink.h"
#include "plan/wlreg.h"
#include "reports/failsig.h"
#include "reports/rundir.h"
#include "vm/vm.h"
#include "workloads/wl.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { OPT_KERNEL = 1000, OPT_MODULES, OPT_ACCEL, OPT_COLD, OPT_ALLOW_FILE };

static const struct cli_opt mz_opts[] = {
	{"reproduce", required_argument, 'k', "K", "-k K: a step is kept when K of the N runs fail the same way "
						      "(default 2)"},
	{"runs", required_argument, 'n', "N", "-n N: runs of each candidate cell, 1..100 (default 3)"},
	{"output", required_argument, 'o', "DIR", "output dir (default results/minimize-<cell>-<time>)"},
	{"jobs", required_argument, 'j', "N", "VMs at once, passed to oomlab run (default: its own)"},
	{"kernel", required_argument, OPT_KERNEL, "K",
	 "guest kernel (default: the one the cell report ran; for a matrix, oomlab run's default)"},
	{"modules", required_argument, OPT_MODULES, "DIR", "modules dir for a --kernel bzImage"},
	{"accel", required_argument, OPT_ACCEL, "A", "auto (default), kvm or tcg"},
	{"cold", no_argument, OPT_COLD, NULL, "boot every cell (default: warm starts, as oomlab run)"},
	{"allow-file", required_argument, OPT_ALLOW_FILE, "PATH",
	 "let file options name this file (or anything under this dir) outside the matrix's dir; repeatable"},
};

static const char synopsis[] =
	"oomlab minimize CELL.json [-k K] [-n N] [-o DIR] [-j N] [--kernel K [--modules DIR]] [--accel A]\n"
	"       [--cold] [--allow-file PATH]...";
static const char description[] =
	"CELL.json is a cell report (cells/<id>.json of a run dir, which holds the matrix the run used) or a\n"
	"matrix file of one cell, whose verdict is FAIL or which has a kernel finding. Steps: drop a workload,\n"
	"remove a memory cgroup, remove a PSI trigger, a knob back to its default, a workload option back to\n"
	"its default, halve a size or a duration, halve the timeout; each is kept when the same failure (the\n"
	"finding's title, else the failing workload's endpoint and verdict reason without its numbers) comes\n"
	"in K of N runs. Writes DIR/minimized.json and keeps every run in DIR (docs/findings.md).\n"
	"Exit: 0 minimized.json written, 1 the failure does not reproduce, 2 usage or a cell that cannot be\n"
	"minimised, 3 a run could not be made.";
const struct cmd_doc minimize_doc = {synopsis, mz_opts, ARRAY_SIZE(mz_opts), description};

struct mz_args {
	long long k, n, jobs;
	const char *out, *kernel, *modules, *accel;
	int cold;
	char **allow; /* --allow-file, resolved */
	size_t n_allow;
};

static int on_mz_opt(int key, const char *arg, void *ctx)
{
	struct mz_args *a = ctx;
	switch (key) {
	case 'k':
		if (parse_ll(arg, &a->k) || a->k < 1 || a->k > 100) {
			fprintf(stderr, "oomlab minimize: -k %s: allowed 1..100 (and at most -n)\n", arg);
			return -1;
		}
		return 0;
	case 'n':
		if (parse_ll(arg, &a->n) || a->n < 1 || a->n > 100) {
			fprintf(stderr, "oomlab minimize: -n %s: allowed 1..100\n", arg);
			return -1;
		}
		return 0;
	case 'o':
		a->out = arg;
		return 0;
	case 'j':
		if (parse_ll(arg, &a->jobs) || a->jobs < 1 || a->jobs > 256) {
			fprintf(stderr, "oomlab minimize: -j %s: allowed 1..256\n", arg);
			return -1;
		}
		return 0;
	case OPT_KERNEL:
		a->kernel = arg;
		return 0;
	case OPT_MODULES:
		a->modules = arg;
		return 0;
	case OPT_ACCEL:
		return cli_accel(arg, &a->accel);
	case OPT_COLD:
		a->cold = 1;
		return 0;
	case OPT_ALLOW_FILE:
		return cli_allow_file(arg, &a->allow, &a->n_allow);
	}
	return -1;
}

/* The state of one minimisation. */
struct mz {
	const struct mz_args *a;
	const char *src;      /* the CELL.json given */
	char *outdir, *self;
	char *kernel, *modules; /* passed to oomlab run (NULL: none) */
	char **files;         /* the files the cell's options name, absolute (--allow-file) */
	size_t n_files;
	struct failsig sig;
	int have_sig;
	json_t *log;          /* steps.json */
	json_t *kept;         /* the notes of the steps kept */
	size_t step, runs;
	double t0;
};

/* ---- the cell to start from ---- */

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	return slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
}

/* File options of the cell's workloads name the files absolutely (the
 * candidates are written elsewhere); each is then allowed to oomlab run. */
static int absolute_files(struct mz *z, json_t *one, const char *base_dir)
{
	struct file_scope scope = {base_dir, NULL, (const char *const *)z->a->allow, z->a->n_allow};
	size_t i;
	json_t *w;
	json_array_foreach(json_object_get(json_array_get(json_object_get(one, "cells"), 0), "workloads"), i, w) {
		const struct workload *reg = wl_find(json_string_value(json_object_get(w, "name")));
		const char *key;
		json_t *v;
		json_object_foreach(json_object_get(w, "options"), key, v) {
			if (!reg || !wl_option_is_file(reg, key) || !json_is_string(v))
				continue;
			char *real = NULL;
			struct buf why = {0};
			if (hostfiles_resolve(&scope, json_string_value(v), &real, &why) < 0) {
				fprintf(stderr, "oomlab minimize: %s: workloads[%zu].options.%s: %s\n", z->src, i, key,
					why.data ? why.data : "cannot be resolved");
				buf_free(&why);
				return -1;
			}
			z->files = xrealloc(z->files, (z->n_files + 1) * sizeof *z->files);
			z->files[z->n_files++] = xstrdup(real);
			json_object_set_new(json_object_get(w, "options"), key, json_string(real));
			free(real);
		}
	}
	return 0;
}

/* The cell of a run dir's cell report: found again, by its index and id,
 * in the matrix the run kept; the kernel it ran. NULL (said) if not. */
static json_t *from_report(struct mz *z, json_t *rep, char **base_dir)
{
	char *cells = dir_of(z->src), *dir = dir_of(cells);
	char *copy = xasprintf("%s/matrix.json", dir);
	struct buf err = {0};
	json_t *run = rundir_load_run(dir, &err), *one = NULL;
	struct matrix m = {0};
	json_t *cell = json_object_get(rep, "cell");
	json_t *ix = json_object_get(cell, "index");
	const char *id = json_string_value(json_object_get(cell, "id"));
	if (!run) {
		fprintf(stderr, "oomlab minimize: %s: a cell report is read in its run dir, and %s is not one: %s\n",
			z->src, dir, err.data);
		goto out;
	}
	const char *orig = json_string_value(json_object_get(json_object_get(run, "matrix"), "path"));
	*base_dir = orig ? dir_of(orig) : xstrdup(dir);
	/* a run made with --max-cells N: as many cells again */
	json_int_t planned = json_integer_value(json_object_get(json_object_get(run, "matrix"), "cells"));
	struct matrix_opts o = {.base_dir = *base_dir, .allow = (const char *const *)z->a->allow,
				.n_allow = z->a->n_allow,
				.max_cells = planned > MATRIX_MAX_CELLS && planned <= MATRIX_MAX_CELLS_LIMIT ? planned : 0};
	if (matrix_load_opts(copy, &o, &m, &err) < 0) {
		fprintf(stderr, "oomlab minimize: %s: the run's matrix does not load: %s\n", z->src, err.data);
		goto out;
	}
	if (!json_is_integer(ix) || json_integer_value(ix) < 0 || (size_t)json_integer_value(ix) >= m.n_cells ||
	    !id || strcmp(m.cells[json_integer_value(ix)].id, id)) {
		fprintf(stderr, "oomlab minimize: %s: cell %s (index %lld) is not a cell of the run's matrix %s\n",
			z->src, id ? id : "?", json_is_integer(ix) ? (long long)json_integer_value(ix) : -1LL, copy);
		goto out;
	}
	json_error_t je;
	json_t *root = json_load_file(copy, JSON_REJECT_DUPLICATES, &je);
	one = root ? onecell_of(root, &m, (size_t)json_integer_value(ix)) : NULL;
	json_decref(root);
	/* the kernel the cell ran, unless --kernel says another */
	json_t *k = json_object_get(rep, "kernel");
	if (one && !z->a->kernel && json_string_value(json_object_get(k, "package"))) {
		z->kernel = xstrdup(json_string_value(json_object_get(k, "package")));
	} else if (one && !z->a->kernel && json_string_value(json_object_get(k, "image"))) {
		z->kernel = xstrdup(json_string_value(json_object_get(k, "image")));
		if (json_string_value(json_object_get(k, "modules_dir")))
			z->modules = xstrdup(json_string_value(json_object_get(k, "modules_dir")));
	}
out:
	matrix_free(&m);
	json_decref(run);
	buf_free(&err);
	free(copy);
	free(dir);
	free(cells);
	return one;
}

/* A matrix file of one cell. NULL (said) if it has more. */
static json_t *from_matrix(struct mz *z, char **base_dir)
{
	struct matrix m;
	struct buf err = {0};
	struct matrix_opts o = {.allow = (const char *const *)z->a->allow, .n_allow = z->a->n_allow};
	json_t *one = NULL;
	if (matrix_load_opts(z->src, &o, &m, &err) < 0) {
		fprintf(stderr, "oomlab minimize: %s\n", err.data);
		buf_free(&err);
		return NULL;
	}
	if (m.n_cells != 1) {
		fprintf(stderr, "oomlab minimize: %s: the matrix has %zu cells; give a matrix of one cell, or the "
				"report of one cell (cells/<id>.json of its run)\n", z->src, m.n_cells);
	} else {
		json_t *root = json_load_file(z->src, JSON_REJECT_DUPLICATES, NULL);
		one = root ? onecell_of(root, &m, 0) : NULL;
		json_decref(root);
		*base_dir = dir_of(z->src);
	}
	matrix_free(&m);
	return one;
}

/* ---- running a candidate ---- */

static int write_json(const char *path, json_t *j)
{
	char *text = json_dumps(j, JSON_INDENT(2));
	if (!text)
		return -1;
	size_t len = strlen(text);
	text = xrealloc(text, len + 2);
	text[len] = '\n';
	int r = write_file_atomic(path, text, len + 1);
	free(text);
	return r;
}

/* How a candidate's runs came out. */
enum outcome { RUN_REPRODUCED, RUN_NOT, RUN_INVALID, RUN_BROKEN };

/* The runs of a run dir that show the failure; without one yet (a
 * matrix given), the first report that has a failure gives it. */
static void count_hits(struct mz *z, const char *rdir, json_t *run, size_t *hits, size_t *n)
{
	size_t i;
	json_t *row;
	json_array_foreach(json_object_get(run, "cells"), i, row) {
		char *p = xasprintf("%s/%s", rdir, json_string_value(json_object_get(row, "file")));
		struct buf err = {0};
		json_t *rep = rundir_load_cell(p, &err);
		(*n)++;
		if (rep && !z->have_sig) {
			struct buf why = {0};
			z->have_sig = failsig_of(rep, &z->sig, &why) == 0;
			buf_free(&why);
		}
		if (rep && z->have_sig && failsig_match(&z->sig, rep))
			(*hits)++;
		json_decref(rep);
		buf_free(&err);
		free(p);
	}
}

/* Run oomlab run and wait for it. Ctrl-C reaches it too (the terminal's
 * process group): it stops its cells and ends as interrupted, and so do
 * we after it; a SIGINT or SIGTERM sent to us alone is passed on. */
static int run_child(char **argv, const struct spawn_opts *so, int *st)
{
	pid_t pid;
	if (spawn_argv(argv, so, &pid) < 0)
		return -1;
	int r, passed = 0;
	while ((r = wait_pid_timeout(pid, -1, st)) < 0 && errno == EINTR)
		if (vm_stop_requested && !passed++)
			kill(pid, SIGINT);
	if (r != 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	return r;
}

static enum outcome run_candidate(struct mz *z, json_t *cand, const char *label, size_t *hits, size_t *n,
				  struct buf *why)
{
	char *mpath = xasprintf("%s/%s.json", z->outdir, label);
	char *rdir = xasprintf("%s/%s", z->outdir, label);
	char *lpath = xasprintf("%s/%s.log", z->outdir, label);
	json_t *m = json_deep_copy(cand);
	enum outcome out = RUN_BROKEN;
	if (z->a->n > 1)
		json_object_set_new(m, "repeat", json_integer(z->a->n));
	struct matrix mx;
	struct buf err = {0};
	struct matrix_opts o = {.allow = (const char *const *)z->files, .n_allow = z->n_files};
	if (write_json(mpath, m) < 0) {
		buf_printf(why, "cannot write %s: %s", mpath, strerror(errno));
		goto done;
	}
	if (matrix_load_opts(mpath, &o, &mx, &err) < 0) {
		/* a step that leaves a cell the loader refuses (e.g. a group
		 * file whose group no workload is in any more) is not tried */
		buf_printf(why, "%s", err.data);
		out = RUN_INVALID;
		goto done;
	}
	matrix_free(&mx);
	char jobs[24];
	snprintf(jobs, sizeof jobs, "%lld", z->a->jobs);
	size_t na = 0, cap = 16 + 2 * z->n_files;
	char **argv = xcalloc(cap, sizeof *argv);
	argv[na++] = z->self;
	argv[na++] = "run";
	argv[na++] = mpath;
	argv[na++] = "-o";
	argv[na++] = rdir;
	if (z->a->jobs) {
		argv[na++] = "-j";
		argv[na++] = jobs;
	}
	if (z->kernel) {
		argv[na++] = "--kernel";
		argv[na++] = z->kernel;
	}
	if (z->modules) {
		argv[na++] = "--modules";
		argv[na++] = z->modules;
	}
	if (z->a->accel) {
		argv[na++] = "--accel";
		argv[na++] = (char *)z->a->accel;
	}
	if (z->a->cold)
		argv[na++] = "--cold";
	for (size_t i = 0; i < z->n_files; i++) {
		argv[na++] = "--allow-file";
		argv[na++] = z->files[i];
	}
	int fd = file_replace(lpath, 0644);
	if (fd < 0) {
		buf_printf(why, "cannot write %s: %s", lpath, strerror(errno));
		free(argv);
		goto done;
	}
	struct spawn_opts so = {.stdin_fd = SPAWN_DEVNULL, .stdout_fd = fd, .stderr_fd = fd};
	int st = 0;
	fflush(stdout);
	int r = run_child(argv, &so, &st);
	close(fd);
	free(argv);
	z->runs += (size_t)z->a->n;
	char *rj = xasprintf("%s/run.json", rdir);
	json_t *run = r < 0 || !WIFEXITED(st) || WEXITSTATUS(st) == EXIT_USAGE ? NULL : rundir_load_run(rdir, &err);
	if (!run) {
		buf_printf(why, "oomlab run %s ended with %s: see %s", mpath, r < 0 ? strerror(errno) : status_str(st),
			   lpath);
	} else if (vm_stop_requested || json_is_true(json_object_get(run, "interrupted"))) {
		buf_printf(why, "oomlab run %s was interrupted: see %s", mpath, lpath);
	} else {
		count_hits(z, rdir, run, hits, n);
		out = *hits >= (size_t)z->a->k ? RUN_REPRODUCED : RUN_NOT;
	}
	json_decref(run);
	free(rj);
done:
	buf_free(&err);
	json_decref(m);
	free(mpath);
	free(rdir);
	free(lpath);
	return out;
}

/* ---- the walk ---- */

static int write_log(struct mz *z)
{
	char *p = xasprintf("%s/steps.json", z->outdir);
	int r = write_json(p, z->log);
	if (r < 0)
		fprintf(stderr, "oomlab minimize: cannot write %s: %s\n", p, strerror(errno));
	free(p);
	return r;
}

/* One candidate: run, say, log. Returns its outcome. */
static enum outcome try_step(struct mz *z, const char *kind, const char *note, json_t *cand)
{
	char label[32];
	snprintf(label, sizeof label, "step-%03zu", z->step);
	printf("[%s] %s: %s ... ", label, kind, note);
	fflush(stdout);
	double t = now_s();
	size_t hits = 0, n = 0;
	struct buf why = {0};
	enum outcome o = run_candidate(z, cand, label, &hits, &n, &why);
	static const char *const said[] = {"kept", "not kept", "skipped", "broken"};
	if (o == RUN_REPRODUCED || o == RUN_NOT)
		printf("%zu of %zu runs fail the same way: %s (%.0f s; %d:%02d in all)\n", hits, n, said[o], now_s() - t,
		       (int)(now_s() - z->t0) / 60, (int)(now_s() - z->t0) % 60);
	else
		printf("%s: %s\n", said[o], why.data);
	json_t *e = json_pack("{s:s,s:s,s:s,s:s,s:I,s:I,s:b}", "step", label, "kind", kind, "note", note,
			      "outcome", said[o], "runs", (json_int_t)n, "same_failure", (json_int_t)hits, "kept",
			      o == RUN_REPRODUCED);
	if (why.data)
		json_object_set_new(e, "why", json_string(why.data));
	json_array_append_new(json_object_get(z->log, "steps"), e);
	buf_free(&why);
	z->step++;
	if (write_log(z) < 0)
		return RUN_BROKEN;
	return o;
}

/* The smallest cell: its description lists what each kept step removed. */
static json_t *final_matrix(struct mz *z, json_t *cur)
{
	/* name, description, then the rest as they were */
	json_t *m = json_object();
	if (json_object_get(cur, "name"))
		json_object_set(m, "name", json_object_get(cur, "name"));
	json_object_set_new(m, "description", json_string(""));
	json_object_update_missing(m, cur);
	char *what = failsig_text(&z->sig);
	struct buf d = {0};
	buf_printf(&d, "Minimised by oomlab minimize from %s: %s, in %lld of %lld runs after each step:", z->src,
		   what, z->a->k, z->a->n);
	size_t i;
	json_t *v;
	json_array_foreach(z->kept, i, v)
		buf_printf(&d, "\n- %s", json_string_value(v));
	if (!json_array_size(z->kept))
		buf_printf(&d, "\n- (no step: nothing could be removed)");
	json_object_set_new(m, "description", json_string(d.data));
	buf_free(&d);
	free(what);
	return m;
}

static int minimize(struct mz *z, json_t *start)
{
	json_t *cur = json_incref(start);
	int code = EXIT_OK;
	enum outcome o = try_step(z, "original", "the cell as it is", cur);
	if (o == RUN_BROKEN || o == RUN_INVALID) {
		code = o == RUN_INVALID ? EXIT_USAGE : EXIT_BROK;
		goto out;
	}
	if (z->have_sig && !json_object_get(z->log, "failure")) {
		char *what = failsig_text(&z->sig);
		json_object_set_new(z->log, "failure", json_string(what));
		printf("minimize: the failure kept: %s\n", what);
		free(what);
	}
	if (o == RUN_NOT) {
		char *what = z->have_sig ? failsig_text(&z->sig) : xstrdup("no failure at all");
		printf("minimize: the cell does not fail the same way in %lld of %lld runs (%s): nothing to "
		       "minimise; the runs are in %s\n", z->a->k, z->a->n, what, z->outdir);
		free(what);
		code = EXIT_FAIL;
		goto out;
	}
	for (size_t s = 0; s < shrink_count; s++) {
		const struct shrink_step *row = &shrink_table[s];
		size_t n = 0;
		for (;;) {
			struct buf note = {0};
			json_t *cand = row->candidate(cur, n, &note);
			if (!cand) {
				buf_free(&note);
				break;
			}
			o = try_step(z, row->name, note.data, cand);
			if (o == RUN_REPRODUCED) {
				json_array_append_new(z->kept, json_string(note.data));
				json_decref(cur);
				cur = cand;
			} else {
				json_decref(cand);
				n++;
			}
			buf_free(&note);
			if (o == RUN_BROKEN) {
				printf("minimize: stopped; the steps so far are in %s/steps.json, the smallest cell "
				       "that failed the same way so far is the last one kept\n", z->outdir);
				code = EXIT_BROK;
				goto out;
			}
		}
	}
	json_t *fin = final_matrix(z, cur);
	char *p = xasprintf("%s/minimized.json", z->outdir);
	if (write_json(p, fin) < 0) {
		fprintf(stderr, "oomlab minimize: cannot write %s: %s\n", p, strerror(errno));
		code = EXIT_BROK;
	} else {
		printf("minimize: %zu of %zu steps kept, %zu runs in %.0f s\nminimized:  %s\nruns:       %s/\n",
		       json_array_size(z->kept), z->step - 1, z->runs, now_s() - z->t0, p, z->outdir);
	}
	json_decref(fin);
	free(p);
out:
	json_decref(cur);
	return code;
}

static json_t *load_start(struct mz *z, char **base_dir)
{
	struct stat sb;
	if (stat(z->src, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		fprintf(stderr, "oomlab minimize: %s: a directory; give one cell's report (DIR/cells/<id>.json of a "
				"run) or a matrix file of one cell\n", z->src);
		return NULL;
	}
	json_error_t je;
	json_t *j = json_load_file(z->src, JSON_REJECT_DUPLICATES, &je);
	if (!j && (!path_exists(z->src) || je.line < 1)) {
		fprintf(stderr, "oomlab minimize: %s: cannot read it: %s\n", z->src,
			path_exists(z->src) ? je.text : strerror(ENOENT));
		return NULL;
	}
	if (!j) {
		fprintf(stderr, "oomlab minimize: %s:%d:%d: not valid JSON: %s\n", z->src, je.line, je.column,
			je.text);
		return NULL;
	}
	const char *fmt = json_string_value(json_object_get(j, "format"));
	json_t *one = NULL;
	if (fmt && !strcmp(fmt, CELL_FORMAT)) {
		struct buf err = {0}, why = {0};
		json_t *rep = rundir_load_cell(z->src, &err);
		if (!rep) {
			fprintf(stderr, "oomlab minimize: %s\n", err.data);
		} else if (failsig_of(rep, &z->sig, &why) < 0) {
			fprintf(stderr, "oomlab minimize: %s: %s\n", z->src, why.data);
		} else {
			z->have_sig = 1;
			one = from_report(z, rep, base_dir);
		}
		json_decref(rep);
		buf_free(&err);
		buf_free(&why);
	} else if (fmt) {
		fprintf(stderr, "oomlab minimize: %s: format %s: give a cell report (%s) or a matrix file\n", z->src,
			fmt, CELL_FORMAT);
	} else {
		one = from_matrix(z, base_dir);
	}
	json_decref(j);
	return one;
}

static int mz_done(struct mz_args *a, int code)
{
	hostfiles_allow_free(a->allow, a->n_allow);
	return code;
}

int cmd_minimize(int argc, char **argv)
{
	struct mz_args a = {.k = 2, .n = 3};
	int r = cli_parse(argc, argv, &minimize_doc, on_mz_opt, &a);
	if (r)
		return mz_done(&a, r == 1 ? EXIT_OK : r);
	if (optind != argc - 1) {
		fprintf(stderr, "oomlab minimize: expected one cell report or matrix file\nusage: %s\n", synopsis);
		return mz_done(&a, EXIT_USAGE);
	}
	if (a.k > a.n) {
		fprintf(stderr, "oomlab minimize: -k %lld is more than -n %lld: K of N runs must fail the same way\n",
			a.k, a.n);
		return mz_done(&a, EXIT_USAGE);
	}
	if (a.modules && !a.kernel) {
		fprintf(stderr, "oomlab minimize: --modules needs --kernel PATH\n");
		return mz_done(&a, EXIT_USAGE);
	}
	struct mz z = {.a = &a, .src = argv[optind], .t0 = now_s()};
	char *base_dir = NULL;
	int code = EXIT_USAGE;
	if (a.kernel)
		z.kernel = xstrdup(a.kernel);
	if (a.modules)
		z.modules = xstrdup(a.modules);
	json_t *start = load_start(&z, &base_dir);
	if (!start || absolute_files(&z, start, base_dir) < 0)
		goto out;
	const char *cname = json_string_value(
		json_object_get(json_array_get(json_object_get(start, "cells"), 0), "name"));
	if (a.out) {
		z.outdir = xstrdup(a.out);
	} else {
		char ts[32];
		time_t now = time(NULL);
		strftime(ts, sizeof ts, "%Y%m%d-%H%M%S", gmtime(&now));
		char *slugged = xstrdup(cname ? cname : "cell");
		for (char *p = slugged; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
				*p = '-';
		z.outdir = xasprintf("%s/results/minimize-%s-%s", project_root(), slugged, ts);
		free(slugged);
	}
	char *orig = xasprintf("%s/original.json", z.outdir);
	if (path_exists(orig)) {
		fprintf(stderr, "oomlab minimize: %s already holds a minimisation; choose another -o DIR\n", z.outdir);
	} else if (path_is_symlink(z.outdir) || mkdir_p(z.outdir, 0755) < 0 || write_json(orig, start) < 0) {
		fprintf(stderr, "oomlab minimize: cannot write %s: %s\n", orig,
			path_is_symlink(z.outdir) ? "the dir is a symlink" : strerror(errno));
		code = EXIT_BROK;
	} else {
		z.self = realpath("/proc/self/exe", NULL);
		z.kept = json_array();
		z.log = json_pack("{s:s,s:I,s:I,s:[]}", "source", z.src, "k", (json_int_t)a.k, "n", (json_int_t)a.n,
				  "steps");
		if (z.have_sig) {
			char *what = failsig_text(&z.sig);
			json_object_set_new(z.log, "failure", json_string(what));
			printf("minimize: %s: %s, kept while it comes in %lld of %lld runs; output %s\n", z.src, what,
			       a.k, a.n, z.outdir);
			free(what);
		} else {
			printf("minimize: %s: the failure of its first failing run is kept while it comes in %lld of "
			       "%lld runs; output %s\n", z.src, a.k, a.n, z.outdir);
		}
		vm_install_signals();
		code = minimize(&z, start);
	}
	free(orig);
out:
	json_decref(start);
	json_decref(z.log);
	json_decref(z.kept);
	failsig_free(&z.sig);
	for (size_t i = 0; i < z.n_files; i++)
		free(z.files[i]);
	free(z.files);
	free(z.kernel);
	free(z.modules);
	free(z.outdir);
	free(z.self);
	free(base_dir);
	return mz_done(&a, code);
}
