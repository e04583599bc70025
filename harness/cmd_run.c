// SPDX-License-Identifier: GPL-2.0-or-later
/* oomlab run: the cells of a matrix, each in its own VM, -j at a time.
 * The run report is rewritten (atomically) after each cell, so an
 * interrupted run keeps what finished and --resume picks up the rest. */
#include "cell.h"
#include "cli.h"
#include "run_header.h"
#include "run_jobs.h"
#include "run_kernels.h"
#include "run_resume.h"
#include "run_source.h"
#include "run_space.h"
#include "boot/kernels.h"
#include "lib/fastpath.h"
#include "lib/jsonx.h"
#include "lib/newfile.h"
#include "lib/paths.h"
#include "lib/pool.h"
#include "lib/spawn.h"
#include "lib/vocab.h"
#include "plan/hostfiles.h"
#include "plan/matrix.h"
#include "reports/rundir.h"
#include "reports/table.h"
#include "reports/views.h"
#include "vm/hostcpu.h"
#include "vm/vm.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { OPT_KERNEL = 1000, OPT_MODULES, OPT_ACCEL, OPT_KEEP_TMP, OPT_RESUME, OPT_SHARD, OPT_JUNIT, OPT_COLD,
       OPT_ALLOW_FILE, OPT_MAX_CELLS };

static const struct cli_opt run_opts[] = {
	{"output", required_argument, 'o', "DIR", "results dir (default results/<matrix>-<time>)"},
	{"jobs", required_argument, 'j', "N", "VMs at once (default: CPUs, as many as fit in memory)"},
	{"shard", required_argument, OPT_SHARD, "K/N", "run only the K-th of N slices of the cells"},
	{"resume", required_argument, OPT_RESUME, "DIR", "finish an interrupted run (no MATRIX needed)"},
	{"kernel", required_argument, OPT_KERNEL, "K",
	 "guest kernel for cells that name none: a linux-image-* package or a bzImage path"},
	{"modules", required_argument, OPT_MODULES, "DIR", "modules dir for a --kernel bzImage"},
	{"accel", required_argument, OPT_ACCEL, "A", "auto (default), kvm or tcg"},
	{"keep-tmp", no_argument, OPT_KEEP_TMP, NULL, "keep each cell's temp dir (initramfs, swap disk)"},
	{"junit", required_argument, OPT_JUNIT, "FILE", "also write the JUnit XML here (always: DIR/junit.xml)"},
	{"cold", no_argument, OPT_COLD, NULL,
	 "boot every cell (default: restore cells from a booted snapshot, cached)"},
	{"allow-file", required_argument, OPT_ALLOW_FILE, "PATH",
	 "let file options name this file (or anything under this dir) outside the matrix's dir; repeatable"},
	{"max-cells", required_argument, OPT_MAX_CELLS, "N", "expand the matrix to at most N cells (default 10000)"},
	SOURCE_CLI_OPTS,
};

static const char synopsis[] =
	"oomlab run MATRIX.json|- [-o DIR] [-j N] [--shard K/N] [--kernel K [--modules DIR]] [--accel A] [--cold]\n"
	"       [--allow-file PATH]... [--max-cells N]\n"
	"       oomlab run --cell 'KNOB=V ...'... --workload 'W [OPT=V ...]'... [--name NAME] [--timeout S] [-o DIR] ...\n"
	"       oomlab run --resume DIR [-j N] [--allow-file PATH]... [--max-cells N]";
static const char description[] =
	"MATRIX is a matrix file (docs/matrix.md), or - to read one from standard input. --cell makes one\n"
	"instead: each --cell is a cell of KNOB=VALUE words, each --workload a workload of every cell with its\n"
	"OPTION=VALUE words (a value that starts with { or [ is JSON), e.g.\n"
	"  oomlab run --cell 'ram_mb=256 swap_mb=128 overcommit_memory=2' --workload touch\n"
	"The matrix is kept in the run dir as matrix.json whichever way it came: oomlab run DIR/matrix.json runs\n"
	"it again, --resume DIR finishes it. Files a matrix from stdin or --cell names start at the current dir.";
const struct cmd_doc run_doc = {synopsis, run_opts, ARRAY_SIZE(run_opts), description};

struct run_args {
	const char *out, *kernel, *modules, *accel, *resume, *junit;
	long long jobs; /* 0: default */
	long long shard_k, shard_n;
	int keep_tmp;
	int cold;
	char **allow; /* --allow-file, resolved */
	size_t n_allow;
	long long max_cells;
	struct source_args src; /* --cell, --workload, --name, --timeout */
};

static int on_run_opt(int key, const char *arg, void *ctx)
{
	struct run_args *a = ctx;
	switch (key) {
	case 'o':
		a->out = arg;
		return 0;
	case 'j':
		if (parse_ll(arg, &a->jobs) || a->jobs < 1 || a->jobs > 256) {
			fprintf(stderr, "oomlab: -j %s: allowed 1..256\n", arg);
			return -1;
		}
		return 0;
	case OPT_SHARD: {
		char *slash = strchr(arg, '/');
		char *k = slash ? xstrndup(arg, (size_t)(slash - arg)) : NULL;
		int bad = !slash || parse_ll(k, &a->shard_k) || parse_ll(slash + 1, &a->shard_n) ||
			  a->shard_n < 1 || a->shard_n > 100000 || a->shard_k < 1 ||
			  a->shard_k > a->shard_n;
		free(k);
		if (bad) {
			fprintf(stderr, "oomlab: --shard %s: expected K/N with 1 <= K <= N, e.g. 2/4\n", arg);
			return -1;
		}
		return 0;
	}
	case OPT_RESUME:
		a->resume = arg;
		return 0;
	case OPT_KERNEL:
		a->kernel = arg;
		return 0;
	case OPT_MODULES:
		a->modules = arg;
		return 0;
	case OPT_ACCEL:
		return cli_accel(arg, &a->accel);
	case OPT_KEEP_TMP:
		a->keep_tmp = 1;
		return 0;
	case OPT_JUNIT:
		a->junit = arg;
		return 0;
	case OPT_COLD:
		a->cold = 1;
		return 0;
	case OPT_MAX_CELLS:
		return cli_max_cells(arg, &a->max_cells);
	case OPT_ALLOW_FILE:
		return cli_allow_file(arg, &a->allow, &a->n_allow);
	}
	return source_arg(&a->src, key, arg);
}

/* The static guest binaries: $OOMLAB_GUEST_DIR, PREFIX/libexec/oomlab
 * when installed, else build/guest (lib/paths.h). */
static char *guest_binary(const char *name)
{
	return guest_file(name);
}

/* State shared by the pool callbacks (parent side). */
struct run_state {
	struct matrix *m;
	struct run_env env;
	const struct kernel_info **kernel; /* per cell */
	json_t *run;
	const char *run_path;
	size_t total, done, running;
	int counts[VERDICT_COUNT]; /* cells by verdict */
	double t0;
	int tty;
	int write_failed; /* a report could not be written: the run stops */
};

static void progress(struct run_state *st)
{
	if (!st->tty)
		return;
	double el = now_s() - st->t0;
	char eta[32] = "-";
	if (st->done) {
		double left = el / (double)st->done * (double)(st->total - st->done);
		snprintf(eta, sizeof eta, "%d:%02d", (int)left / 60, (int)left % 60);
	}
	struct buf c = {0};
	for (size_t k = 0; k < VERDICT_COUNT; k++)
		buf_printf(&c, "%s%s %d", k ? " " : "", verdict_table[verdict_shown[k]].word,
			   st->counts[verdict_shown[k]]);
	fprintf(stderr, "\r\033[K[%zu/%zu] %zu running | %s | %d:%02d elapsed, ETA %s", st->done, st->total,
		st->running, c.data, (int)el / 60, (int)el % 60, eta);
	buf_free(&c);
	fflush(stderr);
}

static void say(struct run_state *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct run_state *st, const char *fmt, ...)
{
	va_list ap;
	char line[2048];
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (st->tty)
		fprintf(stderr, "\r\033[K");
	log_info("%s", line);
	progress(st);
}

/* Exit status of a worker that could not write its cell's report or temp
 * files (it has said why on stderr): the cell is not finished. */
#define WORKER_NO_REPORT 3

static int worker_run(size_t i, void *ctx)
{
	struct run_state *st = ctx;
	int we = 0;
	json_t *rep = cell_execute(&st->env, &st->m->cells[i], i, st->kernel[i], &we);
	if (!rep && pool_gate_closed())
		return POOL_NOT_STARTED; /* stopped before its turn: no report */
	json_decref(rep);
	return we ? WORKER_NO_REPORT : 0;
}

/* Out of space (or over RLIMIT_FSIZE): start no more cells, stop the
 * running ones (as on Ctrl-C); cmd_run ends with exit 3. */
static void stop_on_write_error(struct run_state *st)
{
	st->write_failed = 1;
	vm_stop_requested = 1;
}

static void worker_started(size_t i, void *ctx)
{
	struct run_state *st = ctx;
	st->running++;
	const struct kernel_info *ki = st->kernel[i];
	if (!st->tty)
		say(st, "%s: booting %s", st->m->cells[i].id, ki->release ? ki->release : ki->image);
	else
		progress(st);
}

/* A cell's report (rep, taken) becomes its row of the run report, which
 * is written again; one line says how the cell ended. */
static void record_cell(struct run_state *st, size_t i, json_t *rep)
{
	const struct cell_spec *cs = &st->m->cells[i];
	char *file = xasprintf("cells/%s.json", cs->id);
	json_t *row = rundir_cell_row(rep, file);
	json_array_append_new(json_object_get(st->run, "cells"), row);
	const char *v = json_string_value(json_object_get(rep, "verdict"));
	const struct verdict_row *vr = verdict_find(v);
	if (vr)
		st->counts[vr->verdict]++;
	struct buf b = {0};
	size_t k;
	json_t *w;
	json_array_foreach(json_object_get(rep, "workloads"), k, w) {
		json_t *mb = json_object_get(w, "mb_reached");
		buf_printf(&b, " %s %s", json_string_value(json_object_get(w, "name")),
			   json_string_value(json_object_get(w, "endpoint")));
		if (json_is_number(mb))
			buf_printf(&b, " %.0f MB", json_number_value(mb));
		buf_printf(&b, ";");
	}
	double wall = json_number_value(json_object_get(json_object_get(rep, "timings"), "wall_s"));
	int pass = vr && vr->verdict == V_PASS;
	say(st, "[%zu/%zu] %s:%s %s (%.1f s)%s%s", st->done, st->total, cs->name, b.data ? b.data : "",
	    v ? v : "?", wall, pass ? "" : " - ",
	    pass ? "" : json_string_value(json_object_get(rep, "verdict_reason")));
	buf_free(&b);
	rundir_summarize(st->run);
	json_object_set_new(st->run, "wall_s", json_real(now_s() - st->t0));
	if (json_write_atomic(st->run_path, st->run) < 0) {
		log_err("cannot write %s: %s", st->run_path, strerror(errno));
		stop_on_write_error(st);
	}
	json_decref(rep);
	free(file);
}

static void worker_done(size_t i, int status, void *ctx)
{
	struct run_state *st = ctx;
	const struct cell_spec *cs = &st->m->cells[i];
	st->running--;
	st->done++;
	if (WIFEXITED(status) && WEXITSTATUS(status) == WORKER_NO_REPORT) {
		/* no row: the cell is not finished, --resume runs it again */
		stop_on_write_error(st);
		return;
	}
	char *path = xasprintf("%s/%s.json", st->env.cells_dir, cs->id);
	json_error_t je;
	json_t *rep = json_load_file(path, 0, &je);
	if (!rep || !WIFEXITED(status) || WEXITSTATUS(status)) {
		/* the worker died before writing its report: say so in one */
		char *why = xasprintf("the worker process for this cell ended with %s%s%s",
				      status_str(status), rep ? "" : " and no report: ", rep ? "" : je.text);
		json_decref(rep);
		int we = 0;
		rep = cell_report_broken(&st->env, cs, i, st->kernel[i], CS_HARNESS_ERROR, why, &we);
		free(why);
		if (we)
			stop_on_write_error(st);
	}
	free(path);
	record_cell(st, i, rep);
}

/* fork failed and no worker was left to wait for: the cell is BROK
 * (not_started, with the error), and --resume runs it. */
static void worker_not_started(size_t i, int err, void *ctx)
{
	struct run_state *st = ctx;
	st->done++;
	char *why = xasprintf("the harness could not start a worker process for this cell (fork: %s)",
			      strerror(err));
	int we = 0;
	json_t *rep = cell_report_broken(&st->env, &st->m->cells[i], i, st->kernel[i], CS_NOT_STARTED,
					 why, &we);
	free(why);
	if (we)
		stop_on_write_error(st);
	record_cell(st, i, rep);
}

/* Exit code of a failed mkdir in the results dir: a malformed path (2),
 * else an unwritable or full output (3: no cell can be kept). */
static int write_exit_code(int e)
{
	return e == ENOTDIR || e == ENAMETOOLONG || e == ELOOP ? EXIT_USAGE : EXIT_BROK;
}

/* A finished cell of an earlier (interrupted) invocation: its report
 * exists and its status is not one that runs again (interrupted, not
 * started: lib/vocab.h). */
static int finished(json_t *row, const char *outdir)
{
	const char *st = json_string_value(json_object_get(row, "status"));
	const char *file = json_string_value(json_object_get(row, "file"));
	const struct cell_status_row *cst = cell_status_find(st);
	if (!st || !file || (cst && cst->rerun))
		return 0;
	char *p = xasprintf("%s/%s", outdir, file);
	int ok = path_exists(p);
	free(p);
	return ok;
}

/* Is the cell id among the finished rows of an earlier invocation? */
static int finished_before(json_t *run, const char *id, const char *outdir)
{
	int done = 0;
	size_t k;
	json_t *row;
	json_array_foreach(json_object_get(run, "cells"), k, row)
		if (!strcmp(json_string_value(json_object_get(row, "id")), id) && finished(row, outdir))
			done = 1;
	return done;
}

/* One invocation: its run dir and run report, the matrix, the cells it
 * runs and their kernels. */
struct run_plan {
	struct matrix m;
	json_t *run;                       /* run.json, as it is written */
	char *outdir, *cells_dir, *run_id, *run_path;
	size_t *todo, n_todo;              /* the cells to run (indexes into m.cells) */
	size_t in_shard;                   /* the cells of this shard, finished or not */
	struct kcache kc;
	const struct kernel_info **kernel; /* per cell of m (those of todo) */
	const struct kernel_info *defk;    /* --kernel, else the default */
	json_t *kernels;                   /* kcache_record of them */
};

static void run_plan_free(struct run_plan *p)
{
	json_decref(p->run);
	json_decref(p->kernels);
	free(p->kernel);
	free(p->todo);
	kcache_free(&p->kc);
	matrix_free(&p->m);
	free(p->outdir);
	free(p->cells_dir);
	free(p->run_id);
	free(p->run_path);
}

/* The package the run's default kernel resolved to (run.json "kernels"),
 * or NULL (a run.json from before kernels were recorded). */
static const char *recorded_default_package(json_t *run)
{
	size_t i;
	json_t *k;
	json_array_foreach(json_object_get(run, "kernels"), i, k)
		if (json_is_true(json_object_get(k, "default")))
			return json_string_value(json_object_get(k, "package"));
	return NULL;
}

/* --resume DIR: the run report so far, and what the run was run with
 * (run.json's options): --kernel, --modules, --shard, the accelerator its
 * cells ran under (not detected again), --cold; --keep-tmp and --junit
 * unless given again (they change no result). Without --kernel the
 * default kernel is the package the run resolved it to, whatever the
 * cache's default is now. */
static int open_resumed(struct run_args *a, struct run_plan *p, struct buf *err)
{
	p->outdir = xstrdup(a->resume);
	p->run_path = xasprintf("%s/run.json", p->outdir);
	p->run = rundir_load_run(p->outdir, err);
	if (!p->run) {
		fprintf(stderr, "oomlab: --resume %s: %s\n", p->outdir, err->data);
		return EXIT_USAGE;
	}
	json_t *opts = json_object_get(p->run, "options");
	a->kernel = json_string_value(json_object_get(opts, "kernel"));
	a->modules = json_string_value(json_object_get(opts, "modules"));
	if (!a->kernel)
		a->kernel = recorded_default_package(p->run);
	a->shard_k = json_integer_value(json_object_get(json_object_get(p->run, "shard"), "index"));
	a->shard_n = json_integer_value(json_object_get(json_object_get(p->run, "shard"), "count"));
	a->accel = json_string_value(json_object_get(json_object_get(p->run, "host"), "accel"));
	a->cold = json_is_true(json_object_get(opts, "cold"));
	a->keep_tmp = a->keep_tmp || json_is_true(json_object_get(opts, "keep_tmp"));
	if (!a->junit)
		a->junit = json_string_value(json_object_get(opts, "junit"));
	p->run_id = xstrdup(json_string_value(json_object_get(p->run, "run_id")));
	return 0;
}

/* The matrix (a file, stdin or --cell); on --resume the run dir's copy,
 * whose relative file paths still start at the original matrix's dir (a
 * matrix from stdin or --cell: the current dir, as at the run). */
static int load_matrix(const struct run_args *a, const struct matrix_source *src, struct run_plan *p,
		       struct buf *err)
{
	char *copy = NULL, *base_dir = NULL;
	if (a->resume) {
		copy = xasprintf("%s/matrix.json", p->outdir);
		const char *orig = json_string_value(json_object_get(json_object_get(p->run, "matrix"), "path"));
		const char *slash = orig ? strrchr(orig, '/') : NULL;
		base_dir = slash ? xstrndup(orig, (size_t)(slash - orig)) : xstrdup(".");
	}
	struct matrix_opts o = {.base_dir = base_dir, .allow = (const char *const *)a->allow,
				.n_allow = a->n_allow, .max_cells = a->max_cells};
	if (a->resume && source_is_fileless(json_string_value(json_object_get(json_object_get(p->run, "matrix"),
									       "path"))))
		o.base_named = SOURCE_BASE_NAMED;
	int ml = a->resume ? matrix_load_opts(copy, &o, &p->m, err) : source_load(src, &o, &p->m, err);
	free(base_dir);
	free(copy);
	if (ml < 0) {
		fprintf(stderr, "oomlab: %s\n", err->data);
		return EXIT_USAGE;
	}
	return 0;
}

/* What every cell needs on the host: the guest binaries and qemu. */
static int check_host(const char *agent, const char *wl)
{
	if (!path_exists(agent) || !path_exists(wl)) {
		fprintf(stderr, "oomlab: the guest binaries are missing (%s, %s): run `make build`\n",
			agent, wl);
		return EXIT_BROK;
	}
	if (!vm_qemu_found(NULL)) {
		fprintf(stderr, "oomlab: qemu-system-x86_64 is not in PATH (%s): install the Debian "
				"package qemu-system-x86 (ci/install-deps does)\n",
			getenv("PATH") ? getenv("PATH") : "unset");
		return EXIT_BROK;
	}
	return 0;
}

/* A new run: its id (matrix, time, shard) and its dir, which must not
 * hold a run already. */
static int open_new(const struct run_args *a, struct run_plan *p)
{
	char *ts = utc_now("%Y%m%d-%H%M%S");
	p->run_id = a->shard_n ? xasprintf("%s-%s-shard%lldof%lld", p->m.name, ts, a->shard_k, a->shard_n)
			       : xasprintf("%s-%s", p->m.name, ts);
	free(ts);
	p->outdir = a->out ? xstrdup(a->out) : xasprintf("%s/results/%s", project_root(), p->run_id);
	p->run_path = xasprintf("%s/run.json", p->outdir);
	if (path_exists(p->run_path)) {
		fprintf(stderr, "oomlab: %s already holds a run; choose another -o DIR (or --resume %s)\n",
			p->outdir, p->outdir);
		return EXIT_USAGE;
	}
	return 0;
}

/* A run dir or cells dir that is a symlink (planted in a shared results
 * dir) would take every report where it points: refused. */
static int refuse_symlink(const char *dir)
{
	if (!path_is_symlink(dir))
		return 0;
	fprintf(stderr, "oomlab: %s is a symlink: a run is written only into a directory of its own "
			"(give the directory it points to, if that is meant)\n", dir);
	return EXIT_USAGE;
}

/* DIR/cells, and for a new run DIR/matrix.json: the bytes the matrix
 * was loaded from. */
static int make_run_dir(const struct run_args *a, const struct matrix_source *src, struct run_plan *p)
{
	p->cells_dir = xasprintf("%s/cells", p->outdir);
	int code = refuse_symlink(p->outdir);
	if (code || (code = refuse_symlink(p->cells_dir)))
		return code;
	if (mkdir_p(p->cells_dir, 0755) < 0) {
		fprintf(stderr, "oomlab: cannot create %s: %s\n", p->cells_dir, strerror(errno));
		return write_exit_code(errno);
	}
	char *copy = xasprintf("%s/matrix.json", p->outdir);
	if (!a->resume && source_keep(src, copy) < 0) {
		fprintf(stderr, "oomlab: cannot copy the matrix to %s: %s\n", copy, strerror(errno));
		code = EXIT_BROK;
	}
	free(copy);
	return code;
}

/* A shard that holds no cell (K beyond the matrix's cells) would be a run
 * with nothing run: never a pass, so refused. */
static int check_shard(const struct run_args *a, const struct matrix *m)
{
	if (a->shard_n && (size_t)a->shard_k > m->n_cells) {
		fprintf(stderr, "oomlab: --shard %lld/%lld holds no cell: %s has %zu cells (use at most %zu shards)\n",
			a->shard_k, a->shard_n, m->path, m->n_cells, m->n_cells);
		return EXIT_USAGE;
	}
	return 0;
}

/* A cell without a finished row whose report is in cells/: the harness
 * died between the report and the row. The report is whole (written
 * atomically): if it is this run's and finished, it is the cell's result
 * and its row is made from it; else NULL and the cell runs again. */
static json_t *row_from_report(const struct run_plan *p, size_t i)
{
	const struct cell_spec *cs = &p->m.cells[i];
	char *path = xasprintf("%s/%s.json", p->cells_dir, cs->id);
	json_t *row = NULL;
	if (path_exists(path)) {
		struct buf err = {0};
		json_t *rep = rundir_load_cell(path, &err);
		if (!rep)
			log_warn("%s (the cell runs again)", err.data);
		if (rep && resume_report_finished(rep, p->run_id, cs->id, i)) {
			char *file = xasprintf("cells/%s.json", cs->id);
			row = rundir_cell_row(rep, file);
			free(file);
		}
		json_decref(rep);
		buf_free(&err);
	}
	free(path);
	return row;
}

/* The cells this invocation runs: its shard, less what an earlier
 * invocation finished (its row, or its report when the row was lost). On
 * --resume the rows of the cells that run again (interrupted, not
 * started) go from the run report. */
static void select_cells(const struct run_args *a, struct run_plan *p)
{
	const struct matrix *m = &p->m;
	json_t *keep = json_array(), *row;
	size_t k, kept = 0;
	if (a->resume)
		json_array_foreach(json_object_get(p->run, "cells"), k, row)
			if (finished(row, p->outdir))
				json_array_append(keep, row);
	p->todo = xcalloc(m->n_cells ? m->n_cells : 1, sizeof *p->todo);
	for (size_t i = 0; i < m->n_cells; i++) {
		if (a->shard_n && (long long)(i % (size_t)a->shard_n) != a->shard_k - 1)
			continue;
		p->in_shard++;
		if (a->resume && finished_before(p->run, m->cells[i].id, p->outdir))
			continue;
		if (a->resume && (row = row_from_report(p, i))) {
			json_array_append_new(keep, row);
			kept++;
			continue;
		}
		p->todo[p->n_todo++] = i;
	}
	if (!a->resume) {
		json_decref(keep);
		return;
	}
	json_object_set_new(p->run, "cells", keep);
	if (kept)
		log_info("resuming %s: %zu of %zu cells done, %zu whose row was lost kept from its report, %zu to run",
			 p->outdir, p->in_shard - p->n_todo - kept, p->in_shard, kept, p->n_todo);
	else
		log_info("resuming %s: %zu of %zu cells done, %zu to run", p->outdir, p->in_shard - p->n_todo,
			 p->in_shard, p->n_todo);
}

/* What the cells to run need: their kernels (resolved, downloaded if
 * missing), the job count and the accelerator. A resumed run's kernels
 * must be the ones it ran (run.json "kernels"), and its accelerator must
 * work here. With no cell left to run (a resume that only finishes the
 * run report) nothing is resolved. */
static int prepare_cells(const struct run_args *a, struct run_plan *p, int *jobs, const char **accel,
			 struct buf *err)
{
	p->kernel = xcalloc(p->m.n_cells ? p->m.n_cells : 1, sizeof *p->kernel);
	*jobs = 0;
	*accel = a->accel;
	if (!p->n_todo)
		return 0;
	int code = kcache_resolve(&p->kc, a->kernel, a->modules, &p->m, p->todo, p->n_todo, p->kernel,
				  &p->defk, err);
	if (code)
		return code;
	p->kernels = kcache_record(&p->kc, p->defk, err);
	if (!p->kernels) {
		fprintf(stderr, "oomlab: %s\n", err->data);
		return EXIT_BROK;
	}
	json_t *ran = json_object_get(p->run, "kernels");
	if (a->resume && ran) {
		struct buf what = {0};
		if (kernels_disagree(ran, p->kernels, &what)) {
			fprintf(stderr, "oomlab: --resume %s: the kernels are not the ones the run started with "
					"(%s): the run cannot be finished with them\n", p->outdir, what.data);
			buf_free(&what);
			return EXIT_USAGE;
		}
	}
	if (run_jobs(a->jobs, &p->m, p->todo, p->n_todo, jobs) < 0 ||
	    run_space(&p->m, p->todo, p->n_todo, *jobs, p->outdir) < 0)
		return EXIT_USAGE;
	if (!*accel || !strcmp(*accel, "auto"))
		*accel = vm_detect_accel(p->defk->image);
	else if (a->resume && !strcmp(*accel, "kvm") && strcmp(vm_detect_accel(p->defk->image), "kvm")) {
		fprintf(stderr, "oomlab: --resume %s: this run ran under kvm, which does not work on this host "
				"(no usable /dev/kvm): finish it where it started\n", p->outdir);
		return EXIT_BROK;
	}
	return 0;
}

/* run.json before the first cell: a new run's header, then for any run
 * the cells planned, the job count (0: none started, as it was) and the
 * summary so far. */
static int write_run_start(const struct run_args *a, struct run_plan *p, const char *accel, int jobs)
{
	if (!a->resume) {
		char *started = utc_now("%Y-%m-%dT%H:%M:%SZ");
		struct run_header_in h = {.run_id = p->run_id, .m = &p->m, .accel = accel,
					  .kernel = a->kernel, .modules = a->modules, .accel_arg = a->accel,
					  .cold = a->cold, .keep_tmp = a->keep_tmp, .junit = a->junit,
					  .kernels = json_incref(p->kernels),
					  .shard_k = a->shard_k, .shard_n = a->shard_n, .started = started};
		p->run = run_header(&h);
		free(started);
	} else if (p->kernels && json_object_get(p->run, "kernels")) {
		/* the kernels of cells no earlier invocation ran (a run.json
		 * from before kernels were recorded gets no record: what its
		 * earlier cells ran is not known) */
		kernels_add_new(json_object_get(p->run, "kernels"), p->kernels);
	}
	json_object_set_new(p->run, "cells_planned", json_integer((json_int_t)p->in_shard));
	if (jobs)
		json_object_set_new(p->run, "jobs", json_integer(jobs));
	rundir_summarize(p->run);
	json_object_set_new(p->run, "wall_s", json_real(0));
	if (json_write_atomic(p->run_path, p->run) < 0) {
		fprintf(stderr, "oomlab: cannot write %s: %s\n", p->run_path, strerror(errno));
		return EXIT_BROK;
	}
	return 0;
}

/* After the last cell: the run report's end, the table, the summary line,
 * the views. Returns the exit code. */
static int finish_run(const struct run_args *a, struct run_plan *p, struct run_state *st,
		      size_t not_started)
{
	json_t *run = p->run;
	json_object_set_new(run, "interrupted", json_boolean(vm_stop_requested));
	char *ended = utc_now("%Y-%m-%dT%H:%M:%SZ");
	json_object_set_new(run, "ended", json_string(ended));
	free(ended);
	rundir_summarize(run);
	json_object_set_new(run, "wall_s", json_real(now_s() - st->t0));
	if (json_write_atomic(p->run_path, run) < 0) {
		log_err("cannot write %s: %s", p->run_path, strerror(errno));
		st->write_failed = 1;
	}
	if (st->write_failed) {
		fprintf(stderr,
			"oomlab: stopped: a file could not be written (see above: the disk is full or "
			"a file size limit was hit). Every report in %s is whole (each is written to a "
			"temp file, then renamed); a cell the run report does not list did not finish. "
			"Free some space, then: oomlab run --resume %s\n",
			p->outdir, p->outdir);
		return EXIT_BROK;
	}
	printf("\n");
	report_print_table(stdout, run, want_color(1));
	json_t *s = json_object_get(run, "summary");
	printf("\n");
	for (size_t k = 0; k < VERDICT_COUNT; k++) {
		const char *w = verdict_table[verdict_shown[k]].word;
		printf("%s%lld %s", k ? ", " : "", (long long)json_integer_value(json_object_get(s, w)), w);
	}
	printf(" in %.0f s", now_s() - st->t0);
	json_int_t rf = json_integer_value(json_object_get(s, "restore_failures"));
	if (rf > 0) /* each such cell was started again: none is lost, but it is said */
		printf("; %lld warm restore%s failed and %s retried", (long long)rf, rf == 1 ? "" : "s",
		       rf == 1 ? "was" : "were");
	if (vm_stop_requested)
		printf(" (interrupted: %zu cells not started; oomlab run --resume %s finishes it)",
		       not_started, p->outdir);
	printf("\nrun report:   %s\ncell reports: %s/\n", p->run_path, p->cells_dir);
	int code = vm_stop_requested ? EXIT_BROK : rundir_exit_code(run);
	/* every cell of the shard has its row (a cell not run is a BROK row):
	 * a run that lost track of a cell is never a pass */
	size_t rows = json_array_size(json_object_get(run, "cells"));
	if (code == EXIT_OK && rows < p->in_shard) {
		fprintf(stderr, "oomlab: %zu of the %zu cells have no result\n", p->in_shard - rows, p->in_shard);
		code = EXIT_BROK;
	}
	if (report_write_views(p->outdir, a->junit) < 0)
		code = EXIT_BROK;
	return code;
}

/* Free what the options hold; returns code. */
static int run_args_done(struct run_args *a, int code)
{
	hostfiles_allow_free(a->allow, a->n_allow);
	source_args_free(&a->src);
	return code;
}

/* The operands and options that name the matrix agree: one MATRIX (or
 * -), or --cell with --workload, or --resume DIR alone. 0, or a message
 * on stderr and EXIT_USAGE. */
static int check_matrix_args(const struct run_args *a, int n_operands)
{
	const char *why = NULL;
	if (a->resume && (n_operands || a->src.cells || a->src.workloads || a->src.name || a->src.timeout_s))
		why = "--resume takes the run dir, not a matrix file or --cell";
	else if (!a->resume)
		why = source_args_conflict(&a->src, n_operands);
	if (!why)
		return 0;
	fprintf(stderr, "oomlab run: %s\nusage: %s\n", why, synopsis);
	return EXIT_USAGE;
}

int cmd_run(int argc, char **argv)
{
	struct run_args a = {0};
	int r = cli_parse(argc, argv, &run_doc, on_run_opt, &a);
	if (r)
		return run_args_done(&a, r == 1 ? EXIT_OK : r);
	if ((r = check_matrix_args(&a, argc - optind)))
		return run_args_done(&a, r);
	if (a.resume && (a.out || a.shard_n || a.kernel || a.modules || a.accel || a.cold)) {
		fprintf(stderr, "oomlab run: --resume reuses the run's own -o, --shard, --kernel, --modules, "
				"--accel and --cold\n");
		return run_args_done(&a, EXIT_USAGE);
	}
	if (a.modules && !a.kernel) {
		fprintf(stderr, "oomlab run: --modules needs --kernel PATH\n");
		return run_args_done(&a, EXIT_USAGE);
	}
	struct run_plan p = {0};
	struct buf err = {0};
	char *agent = guest_binary("oomlab-agent"), *wl = guest_binary("oomlab-wl");
	char *wl32 = guest_binary("oomlab-wl32");
	struct matrix_source src = {0};
	int code = EXIT_OK;

	if (!a.resume && source_from_args(&src, &a.src, optind < argc ? argv[optind] : NULL, 0, &err) < 0) {
		fprintf(stderr, "oomlab: %s\n", err.data);
		code = EXIT_USAGE;
		goto out;
	}
	if (a.resume && (code = open_resumed(&a, &p, &err)))
		goto out;
	if ((code = load_matrix(&a, &src, &p, &err)) || (code = check_shard(&a, &p.m)) ||
	    (code = check_host(agent, wl)))
		goto out;
	if (!a.resume && (code = open_new(&a, &p)))
		goto out;
	if ((code = make_run_dir(&a, &src, &p)))
		goto out;
	select_cells(&a, &p);
	/* kernels: resolved (downloaded if missing) here, before any worker starts */
	int jobs;
	const char *accel;
	if ((code = prepare_cells(&a, &p, &jobs, &accel, &err)))
		goto out;
	if (!a.cold && accel)
		hostcpu_id(accel); /* the snapshot key's CPU: probed once, before the workers fork */
	log_info("%zu cells to run from %s, %d at a time, accel %s, results in %s", p.n_todo, p.m.path,
		 jobs, accel ? accel : "-", p.outdir);
	if ((code = write_run_start(&a, &p, accel, jobs)))
		goto out;

	vm_install_signals();
	char *tmp_env = getenv("TMPDIR");
	struct run_state st = {
		.m = &p.m,
		.env = {.run_id = p.run_id, .cells_dir = p.cells_dir, .agent_path = agent, .wl_path = wl,
			.wl32_path = wl32,
			.accel = accel, .tmp_root = tmp_env && *tmp_env ? tmp_env : "/tmp",
			.keep_tmp = a.keep_tmp, .warm = !a.cold},
		.kernel = p.kernel,
		.run = p.run,
		.run_path = p.run_path,
		.total = p.n_todo,
		.t0 = now_s(),
		.tty = isatty(2),
	};
	struct pool_cb cb = {.run = worker_run, .started = worker_started, .done = worker_done,
			     .not_started = worker_not_started, .ctx = &st, .stop = &vm_stop_requested};
	/* the next cells' VMs restored and waiting while these run */
	if (!a.cold && fastpath_on(FAST_STANDBY))
		cb.spares = run_spares(&p.m, p.todo, p.n_todo, jobs);
	size_t not_started = pool_run(p.todo, p.n_todo, jobs, &cb);
	if (st.tty)
		fprintf(stderr, "\r\033[K");
	code = finish_run(&a, &p, &st, not_started);
out:
	run_plan_free(&p);
	source_free(&src);
	buf_free(&err);
	free(agent);
	free(wl);
	free(wl32);
	return run_args_done(&a, code);
}
