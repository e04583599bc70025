// SPDX-License-Identifier: GPL-2.0-or-later
/* oomlab run: the cells of a matrix, each in its own VM, -j at a time.
 * The run report is rewritten (atomically) after each cell, so an
 * interrupted run keeps what finished and --resume picks up the rest. */
#include "cell.h"
#include "cli.h"
#include "boot/kernels.h"
#include "lib/jsonx.h"
#include "lib/paths.h"
#include "lib/pool.h"
#include "lib/spawn.h"
#include "parse/parse.h"
#include "plan/matrix.h"
#include "reports/rundir.h"
#include "reports/table.h"
#include "reports/views.h"
#include "vm/vm.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { OPT_KERNEL = 1000, OPT_MODULES, OPT_ACCEL, OPT_KEEP_TMP, OPT_RESUME, OPT_SHARD, OPT_JUNIT, OPT_COLD };

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
};

static const char synopsis[] =
	"oomlab run MATRIX.json [-o DIR] [-j N] [--shard K/N] [--kernel K [--modules DIR]] [--accel A] [--cold]\n"
	"       oomlab run --resume DIR [-j N]";
const struct cmd_doc run_doc = {synopsis, run_opts, ARRAY_SIZE(run_opts), NULL};

/* Host memory one QEMU (TCG) process needs besides its guest RAM: measured
 * ~150-200 MB RSS for a 256 MiB guest; rounded up. */
#define QEMU_OVERHEAD_MB 300

struct run_args {
	const char *out, *kernel, *modules, *accel, *resume, *junit;
	long long jobs; /* 0: default */
	long long shard_k, shard_n;
	int keep_tmp;
	int cold;
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
		if (strcmp(arg, "auto") && strcmp(arg, "kvm") && strcmp(arg, "tcg")) {
			fprintf(stderr, "oomlab: --accel %s: allowed values are auto, kvm, tcg\n", arg);
			return -1;
		}
		a->accel = arg;
		return 0;
	case OPT_KEEP_TMP:
		a->keep_tmp = 1;
		return 0;
	case OPT_JUNIT:
		a->junit = arg;
		return 0;
	case OPT_COLD:
		a->cold = 1;
		return 0;
	}
	return -1;
}

/* Kernels resolved so far, by the string that named them. */
struct kcache {
	char **keys;
	struct kernel_info *ki;
	size_t n;
};

static const struct kernel_info *kernel_for(struct kcache *kc, const char *kernel,
					    const char *modules, struct buf *err, int *code)
{
	char *key = xasprintf("%s|%s", kernel ? kernel : "", modules ? modules : "");
	for (size_t i = 0; i < kc->n; i++)
		if (!strcmp(kc->keys[i], key)) {
			free(key);
			return kc->ki[i].image ? &kc->ki[i] : NULL;
		}
	struct kernel_info ki = {0};
	*code = kernels_resolve(kernel, modules, &ki, err);
	if (*code) {
		free(key);
		return NULL;
	}
	/* grows: pointers handed out before may move (cmd_run looks them up
	 * again once every kernel is resolved) */
	kc->keys = xrealloc(kc->keys, (kc->n + 1) * sizeof *kc->keys);
	kc->ki = xrealloc(kc->ki, (kc->n + 1) * sizeof *kc->ki);
	kc->keys[kc->n] = key;
	kc->ki[kc->n] = ki;
	return &kc->ki[kc->n++];
}

static void kcache_free(struct kcache *kc)
{
	for (size_t i = 0; i < kc->n; i++) {
		free(kc->keys[i]);
		kernel_info_free(&kc->ki[i]);
	}
	free(kc->keys);
	free(kc->ki);
}

/* The static guest binaries: $OOMLAB_GUEST_DIR, PREFIX/libexec/oomlab
 * when installed, else build/guest (lib/paths.h). */
static char *guest_binary(const char *name)
{
	return guest_file(name);
}

/* The current UTC time in strftime format fmt (caller frees). */
static char *utc_now(const char *fmt)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	char s[64];
	strftime(s, sizeof s, fmt, &tm);
	return xstrdup(s);
}

/* Host MemAvailable in MiB (host /proc/meminfo is only read), or -1. */
static long long host_available_mb(void)
{
	char *text;
	size_t len;
	if (read_file("/proc/meminfo", &text, &len) < 0)
		return -1;
	struct kvlist l = {0};
	parse_meminfo(text, len, &l);
	long long kb = kv_get(&l, "MemAvailable", -1);
	kvlist_free(&l);
	free(text);
	return kb < 0 ? -1 : kb / 1024;
}

/* State shared by the pool callbacks (parent side). */
struct run_state {
	struct matrix *m;
	struct run_env env;
	const struct kernel_info **kernel; /* per cell */
	json_t *run;
	const char *run_path;
	size_t total, done, running;
	int counts[4];
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
	fprintf(stderr, "\r\033[K[%zu/%zu] %zu running | PASS %d FAIL %d BROK %d SKIP %d | %d:%02d elapsed, ETA %s",
		st->done, st->total, st->running, st->counts[0], st->counts[2], st->counts[3],
		st->counts[1], (int)el / 60, (int)el % 60, eta);
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
		rep = cell_report_broken(&st->env, cs, i, st->kernel[i], why, &we);
		free(why);
		if (we)
			stop_on_write_error(st);
	}
	char *file = xasprintf("cells/%s.json", cs->id);
	json_t *row = rundir_cell_row(rep, file);
	json_array_append_new(json_object_get(st->run, "cells"), row);
	const char *v = json_string_value(json_object_get(rep, "verdict"));
	static const char *const names[] = {"PASS", "SKIP", "FAIL", "BROK"};
	for (int k = 0; k < 4; k++)
		if (v && !strcmp(v, names[k]))
			st->counts[k]++;
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
	int pass = v && !strcmp(v, "PASS");
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
	free(path);
}

/* Exit code of a failed mkdir in the results dir: a malformed path (2),
 * else an unwritable or full output (3: no cell can be kept). */
static int write_exit_code(int e)
{
	return e == ENOTDIR || e == ENAMETOOLONG || e == ELOOP ? EXIT_USAGE : EXIT_BROK;
}

/* Copy the matrix file into the run dir (for --resume and merge). */
static int keep_matrix(const char *src, const char *dst)
{
	char *text;
	size_t len;
	if (read_file(src, &text, &len) < 0)
		return -1;
	int r = write_file_atomic(dst, text, len);
	free(text);
	return r;
}

/* Pick the job count: what the user asked (refused if the VMs would not
 * fit in host memory), else CPUs, lowered to what fits. */
static int choose_jobs(const struct run_args *a, const struct matrix *m, const size_t *todo,
		       size_t n_todo, int *jobs)
{
	long long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	long long want = a->jobs ? a->jobs : (cpus > 0 ? cpus : 1);
	if (want > (long long)n_todo)
		want = n_todo ? (long long)n_todo : 1;
	long long biggest = 0;
	for (size_t i = 0; i < n_todo; i++)
		if (m->cells[todo[i]].ram_mb > biggest)
			biggest = m->cells[todo[i]].ram_mb;
	long long avail = host_available_mb();
	long long per = biggest + QEMU_OVERHEAD_MB;
	if (avail > 0 && want * per > avail) {
		long long fit = avail / per;
		if (a->jobs || fit < 1) {
			fprintf(stderr,
				"oomlab: -j %lld: %lld VMs need up to %lld MiB (%lld MiB guest RAM + %d MiB "
				"for QEMU each) but the host has %lld MiB available; use -j %lld%s\n",
				want, want, want * per, biggest, QEMU_OVERHEAD_MB, avail, fit < 1 ? 1 : fit,
				fit < 1 ? " and smaller ram_mb" : "");
			return -1;
		}
		log_info("running %lld VMs at once (not %lld): that is what fits in %lld MiB", fit, want,
			 avail);
		want = fit;
	}
	*jobs = (int)want;
	return 0;
}

/* A finished cell of an earlier (interrupted) invocation: its report
 * exists and it was not cut short by the interruption. */
static int finished(json_t *row, const char *outdir)
{
	const char *st = json_string_value(json_object_get(row, "status"));
	const char *file = json_string_value(json_object_get(row, "file"));
	if (!st || !file || !strcmp(st, "interrupted"))
		return 0;
	char *p = xasprintf("%s/%s", outdir, file);
	int ok = path_exists(p);
	free(p);
	return ok;
}

int cmd_run(int argc, char **argv)
{
	struct run_args a = {0};
	int r = cli_parse(argc, argv, &run_doc, on_run_opt, &a);
	if (r)
		return r == 1 ? EXIT_OK : r;
	if (a.resume ? optind != argc : optind != argc - 1) {
		fprintf(stderr, "oomlab run: %s\nusage: %s\n",
			a.resume ? "--resume takes the run dir, not a matrix file" : "expected one matrix file",
			synopsis);
		return EXIT_USAGE;
	}
	if (a.resume && (a.out || a.shard_n || a.kernel || a.modules)) {
		fprintf(stderr, "oomlab run: --resume reuses the run's own -o, --shard, --kernel and --modules\n");
		return EXIT_USAGE;
	}
	if (a.modules && !a.kernel) {
		fprintf(stderr, "oomlab run: --modules needs --kernel PATH\n");
		return EXIT_USAGE;
	}
	int code = EXIT_OK;
	struct matrix m = {0};
	struct buf err = {0};
	struct kcache kc = {0};
	json_t *run = NULL;
	char *agent = guest_binary("oomlab-agent"), *wl = guest_binary("oomlab-wl");
	char *wl32 = guest_binary("oomlab-wl32");
	char *outdir = NULL, *cells_dir = NULL, *run_id = NULL, *run_path = NULL;
	char *matrix_copy = NULL, *started = NULL;
	size_t *todo = NULL, n_todo = 0;
	const struct kernel_info **kernel = NULL;

	if (a.resume) {
		outdir = xstrdup(a.resume);
		run_path = xasprintf("%s/run.json", outdir);
		run = rundir_load_run(outdir, &err);
		if (!run) {
			fprintf(stderr, "oomlab: --resume %s: %s\n", outdir, err.data);
			code = EXIT_USAGE;
			goto out;
		}
		json_t *opts = json_object_get(run, "options");
		a.kernel = json_string_value(json_object_get(opts, "kernel"));
		a.modules = json_string_value(json_object_get(opts, "modules"));
		a.shard_k = json_integer_value(json_object_get(json_object_get(run, "shard"), "index"));
		a.shard_n = json_integer_value(json_object_get(json_object_get(run, "shard"), "count"));
		run_id = xstrdup(json_string_value(json_object_get(run, "run_id")));
	}
	matrix_copy = xasprintf("%s/matrix.json", outdir ? outdir : ".");
	/* on --resume, relative file paths still start at the original matrix's dir */
	char *base_dir = NULL;
	if (a.resume) {
		const char *orig = json_string_value(json_object_get(json_object_get(run, "matrix"), "path"));
		const char *slash = orig ? strrchr(orig, '/') : NULL;
		base_dir = slash ? xstrndup(orig, (size_t)(slash - orig)) : xstrdup(".");
	}
	int ml = matrix_load_from(a.resume ? matrix_copy : argv[optind], base_dir, &m, &err);
	free(base_dir);
	if (ml < 0) {
		fprintf(stderr, "oomlab: %s\n", err.data);
		code = EXIT_USAGE;
		goto out;
	}
	if (!path_exists(agent) || !path_exists(wl)) {
		fprintf(stderr, "oomlab: the guest binaries are missing (%s, %s): run `make build`\n",
			agent, wl);
		code = EXIT_BROK;
		goto out;
	}
	if (!vm_qemu_found(NULL)) {
		fprintf(stderr, "oomlab: qemu-system-x86_64 is not in PATH (%s): install the Debian "
				"package qemu-system-x86 (ci/install-deps does)\n",
			getenv("PATH") ? getenv("PATH") : "unset");
		code = EXIT_BROK;
		goto out;
	}
	if (!a.resume) {
		char *ts = utc_now("%Y%m%d-%H%M%S");
		run_id = a.shard_n ? xasprintf("%s-%s-shard%lldof%lld", m.name, ts, a.shard_k, a.shard_n)
				   : xasprintf("%s-%s", m.name, ts);
		free(ts);
		outdir = a.out ? xstrdup(a.out) : xasprintf("%s/results/%s", project_root(), run_id);
		run_path = xasprintf("%s/run.json", outdir);
		if (path_exists(run_path)) {
			fprintf(stderr, "oomlab: %s already holds a run; choose another -o DIR (or --resume %s)\n",
				outdir, outdir);
			code = EXIT_USAGE;
			goto out;
		}
	}
	cells_dir = xasprintf("%s/cells", outdir);
	if (mkdir_p(cells_dir, 0755) < 0) {
		fprintf(stderr, "oomlab: cannot create %s: %s\n", cells_dir, strerror(errno));
		code = write_exit_code(errno);
		goto out;
	}
	free(matrix_copy);
	matrix_copy = xasprintf("%s/matrix.json", outdir);
	if (!a.resume && keep_matrix(argv[optind], matrix_copy) < 0) {
		fprintf(stderr, "oomlab: cannot copy the matrix to %s: %s\n", matrix_copy, strerror(errno));
		code = EXIT_BROK;
		goto out;
	}

	/* The cells this invocation runs: its shard, less what is finished. */
	todo = xcalloc(m.n_cells ? m.n_cells : 1, sizeof *todo);
	size_t in_shard = 0;
	for (size_t i = 0; i < m.n_cells; i++) {
		if (a.shard_n && (long long)(i % (size_t)a.shard_n) != a.shard_k - 1)
			continue;
		in_shard++;
		int done = 0;
		if (a.resume) {
			size_t k;
			json_t *row;
			json_array_foreach(json_object_get(run, "cells"), k, row)
				if (!strcmp(json_string_value(json_object_get(row, "id")), m.cells[i].id) &&
				    finished(row, outdir))
					done = 1;
		}
		if (!done)
			todo[n_todo++] = i;
	}
	if (a.resume) {
		/* rows of cells that will run again (interrupted) go */
		json_t *keep = json_array();
		size_t k;
		json_t *row;
		json_array_foreach(json_object_get(run, "cells"), k, row)
			if (finished(row, outdir))
				json_array_append(keep, row);
		json_object_set_new(run, "cells", keep);
		log_info("resuming %s: %zu of %zu cells done, %zu to run", outdir, in_shard - n_todo,
			 in_shard, n_todo);
	}

	/* Kernels: resolved (fetched) here, before any worker starts. */
	kernel = xcalloc(m.n_cells ? m.n_cells : 1, sizeof *kernel);
	int kcode = 0;
	const struct kernel_info *defk = kernel_for(&kc, a.kernel, a.modules, &err, &kcode);
	for (size_t t = 0; defk && t < n_todo; t++) {
		const struct cell_spec *cs = &m.cells[todo[t]];
		const char *kname = cs->kernel ? cs->kernel : a.kernel;
		const char *kmods = cs->kernel ? cs->modules : a.modules;
		if (!kernel_for(&kc, kname, kmods, &err, &kcode)) {
			fprintf(stderr, "oomlab: cell %s: %s\n", cs->id, err.data);
			code = kcode;
			goto out;
		}
	}
	if (!defk) {
		fprintf(stderr, "oomlab: %s\n", err.data);
		code = kcode;
		goto out;
	}
	/* all resolved: the cache no longer grows, pointers into it hold */
	defk = kernel_for(&kc, a.kernel, a.modules, &err, &kcode);
	for (size_t t = 0; t < n_todo; t++) {
		const struct cell_spec *cs = &m.cells[todo[t]];
		kernel[todo[t]] = kernel_for(&kc, cs->kernel ? cs->kernel : a.kernel,
					     cs->kernel ? cs->modules : a.modules, &err, &kcode);
	}
	int jobs;
	if (choose_jobs(&a, &m, todo, n_todo, &jobs) < 0) {
		code = EXIT_USAGE;
		goto out;
	}
	const char *accel = a.accel && strcmp(a.accel, "auto") ? a.accel : vm_detect_accel(defk->image);
	log_info("%zu cells to run from %s, %d at a time, accel %s, results in %s", n_todo, m.path, jobs,
		 accel, outdir);

	if (!a.resume) {
		struct utsname un;
		uname(&un);
		started = utc_now("%Y-%m-%dT%H:%M:%SZ");
		run = json_object();
		json_object_set_new(run, "format", json_string(RUN_FORMAT));
		json_object_set_new(run, "tool", json_pack("{s:s,s:s}", "name", "oomlab", "version", OOMLAB_VERSION));
		json_object_set_new(run, "run_id", json_string(run_id));
		json_object_set_new(run, "matrix", json_pack("{s:s,s:s,s:I,s:s,s:s}", "path", m.path, "name",
							     m.name, "cells", (json_int_t)m.n_cells, "digest",
							     m.digest, "copy", "matrix.json"));
		json_object_set_new(run, "host", json_pack("{s:s,s:s,s:s}", "release", un.release,
							   "machine", un.machine, "accel", accel));
		json_object_set_new(run, "options", json_pack("{s:s?,s:s?}", "kernel", a.kernel, "modules",
							      a.modules));
		if (a.shard_n)
			json_object_set_new(run, "shard", json_pack("{s:I,s:I}", "index", (json_int_t)a.shard_k,
								    "count", (json_int_t)a.shard_n));
		json_object_set_new(run, "started", json_string(started));
		json_object_set_new(run, "cells", json_array());
	}
	json_object_set_new(run, "cells_planned", json_integer((json_int_t)in_shard));
	json_object_set_new(run, "jobs", json_integer(jobs));
	rundir_summarize(run);
	json_object_set_new(run, "wall_s", json_real(0));
	if (json_write_atomic(run_path, run) < 0) {
		fprintf(stderr, "oomlab: cannot write %s: %s\n", run_path, strerror(errno));
		code = EXIT_BROK;
		goto out;
	}

	vm_install_signals();
	char *tmp_env = getenv("TMPDIR");
	struct run_state st = {
		.m = &m,
		.env = {.run_id = run_id, .cells_dir = cells_dir, .agent_path = agent, .wl_path = wl,
			.wl32_path = wl32,
			.accel = accel, .tmp_root = tmp_env && *tmp_env ? tmp_env : "/tmp",
			.keep_tmp = a.keep_tmp, .warm = !a.cold},
		.kernel = kernel,
		.run = run,
		.run_path = run_path,
		.total = n_todo,
		.t0 = now_s(),
		.tty = isatty(2),
	};
	struct pool_cb cb = {worker_run, worker_started, worker_done, &st, &vm_stop_requested};
	size_t not_started = pool_run(todo, n_todo, jobs, &cb);
	if (st.tty)
		fprintf(stderr, "\r\033[K");

	json_object_set_new(run, "interrupted", json_boolean(vm_stop_requested));
	char *ended = utc_now("%Y-%m-%dT%H:%M:%SZ");
	json_object_set_new(run, "ended", json_string(ended));
	free(ended);
	rundir_summarize(run);
	json_object_set_new(run, "wall_s", json_real(now_s() - st.t0));
	if (json_write_atomic(run_path, run) < 0) {
		log_err("cannot write %s: %s", run_path, strerror(errno));
		st.write_failed = 1;
	}
	if (st.write_failed) {
		fprintf(stderr,
			"oomlab: stopped: a file could not be written (see above: the disk is full or "
			"a file size limit was hit). Every report in %s is whole (each is written to a "
			"temp file, then renamed); a cell the run report does not list did not finish. "
			"Free some space, then: oomlab run --resume %s\n",
			outdir, outdir);
		code = EXIT_BROK;
		goto out;
	}
	printf("\n");
	report_print_table(stdout, run, want_color(1));
	json_t *s = json_object_get(run, "summary");
	printf("\n%lld PASS, %lld FAIL, %lld BROK, %lld SKIP in %.0f s",
	       (long long)json_integer_value(json_object_get(s, "PASS")),
	       (long long)json_integer_value(json_object_get(s, "FAIL")),
	       (long long)json_integer_value(json_object_get(s, "BROK")),
	       (long long)json_integer_value(json_object_get(s, "SKIP")), now_s() - st.t0);
	if (vm_stop_requested)
		printf(" (interrupted: %zu cells not started; oomlab run --resume %s finishes it)",
		       not_started, outdir);
	printf("\nrun report:   %s\ncell reports: %s/\n", run_path, cells_dir);
	code = vm_stop_requested ? EXIT_BROK : rundir_exit_code(run);
	if (report_write_views(outdir, a.junit) < 0)
		code = EXIT_BROK;
out:
	json_decref(run);
	free(kernel);
	free(todo);
	kcache_free(&kc);
	matrix_free(&m);
	buf_free(&err);
	free(agent);
	free(wl);
	free(wl32);
	free(outdir);
	free(cells_dir);
	free(run_id);
	free(run_path);
	free(matrix_copy);
	free(started);
	return code;
}
