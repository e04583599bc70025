/* oomlab run MATRIX.json: every cell in its own VM, one after another;
 * the run report is rewritten (atomically) after each cell so an
 * interrupted run keeps what finished. */
#include "cell.h"
#include "cli.h"
#include "jsonx.h"
#include "kernels.h"
#include "matrix.h"
#include "report.h"
#include "vm.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

enum { OPT_KERNEL = 1000, OPT_MODULES, OPT_ACCEL, OPT_KEEP_TMP };

static const struct cli_opt run_opts[] = {
	{"output", required_argument, 'o', "DIR", "results dir (default results/<matrix>-<time>)"},
	{"kernel", required_argument, OPT_KERNEL, "K",
	 "guest kernel for cells that name none: a linux-image-* package or a bzImage path"},
	{"modules", required_argument, OPT_MODULES, "DIR", "modules dir for a --kernel bzImage"},
	{"accel", required_argument, OPT_ACCEL, "A", "auto (default), kvm or tcg"},
	{"keep-tmp", no_argument, OPT_KEEP_TMP, NULL, "keep each cell's temp dir (initramfs, swap disk)"},
};

struct run_args {
	const char *out, *kernel, *modules, *accel;
	int keep_tmp;
};

static int on_run_opt(int key, const char *arg, void *ctx)
{
	struct run_args *a = ctx;
	switch (key) {
	case 'o':
		a->out = arg;
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
			return &kc->ki[i];
		}
	struct kernel_info ki = {0};
	*code = kernels_resolve(kernel, modules, &ki, err);
	if (*code) {
		free(key);
		return NULL;
	}
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

/* The static guest binaries: $OOMLAB_GUEST_DIR, else build/guest beside
 * build/oomlab (or one level up, for build/san/oomlab). */
static char *guest_binary(const char *name)
{
	const char *env = getenv("OOMLAB_GUEST_DIR");
	if (env && *env)
		return xasprintf("%s/%s", env, name);
	char *p = xasprintf("%s/guest/%s", exe_dir(), name);
	if (!path_exists(p)) {
		char *up = xasprintf("%s/../guest/%s", exe_dir(), name);
		if (path_exists(up)) {
			free(p);
			return up;
		}
		free(up);
	}
	return p;
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

static int exit_code_of(json_t *run)
{
	int fail = 0, brok = 0;
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(run, "cells"), i, c) {
		const char *v = json_string_value(json_object_get(c, "verdict"));
		if (v && !strcmp(v, "BROK"))
			brok = 1;
		else if (v && !strcmp(v, "FAIL"))
			fail = 1;
	}
	return brok ? EXIT_BROK : fail ? EXIT_FAIL : EXIT_OK;
}

static void update_summary(json_t *run)
{
	int counts[4] = {0};
	static const char *const names[] = {"PASS", "SKIP", "FAIL", "BROK"};
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(run, "cells"), i, c) {
		const char *v = json_string_value(json_object_get(c, "verdict"));
		for (int k = 0; k < 4; k++)
			if (v && !strcmp(v, names[k]))
				counts[k]++;
	}
	json_t *s = json_object();
	for (int k = 0; k < 4; k++)
		json_object_set_new(s, names[k], json_integer(counts[k]));
	json_object_set_new(s, "cells_done", json_integer((json_int_t)json_array_size(json_object_get(run, "cells"))));
	json_object_set_new(run, "summary", s);
	json_object_set_new(run, "exit_code", json_integer(exit_code_of(run)));
}

static void progress_line(size_t i, size_t n, const struct cell_spec *cs, json_t *rep)
{
	struct buf b = {0};
	buf_printf(&b, "[%zu/%zu] %s:", i + 1, n, cs->name);
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
	json_t *t = json_object_get(json_object_get(rep, "timings"), "wall_s");
	buf_printf(&b, " %s (%.1f s)", json_string_value(json_object_get(rep, "verdict")),
		   json_number_value(t));
	const char *v = json_string_value(json_object_get(rep, "verdict"));
	if (v && strcmp(v, "PASS"))
		buf_printf(&b, " - %s", json_string_value(json_object_get(rep, "verdict_reason")));
	log_info("%s", b.data);
	buf_free(&b);
}

int cmd_run(int argc, char **argv)
{
	static const char synopsis[] = "oomlab run MATRIX.json [-o DIR] [--kernel K [--modules DIR]] [--accel A]";
	struct run_args a = {0};
	int r = cli_parse(argc, argv, synopsis, run_opts, ARRAY_SIZE(run_opts), on_run_opt, &a);
	if (r)
		return r == 1 ? EXIT_OK : r;
	if (optind != argc - 1) {
		fprintf(stderr, "oomlab run: expected one matrix file\nusage: %s\n", synopsis);
		return EXIT_USAGE;
	}
	if (a.modules && !a.kernel) {
		fprintf(stderr, "oomlab run: --modules needs --kernel PATH\n");
		return EXIT_USAGE;
	}
	struct matrix m;
	struct buf err = {0};
	if (matrix_load(argv[optind], &m, &err) < 0) {
		fprintf(stderr, "oomlab: %s\n", err.data);
		buf_free(&err);
		return EXIT_USAGE;
	}
	char *agent = guest_binary("oomlab-agent"), *wl = guest_binary("oomlab-wl");
	int code = EXIT_OK;
	char *outdir = NULL, *cells_dir = NULL, *run_id = NULL, *run_path = NULL, *started = NULL;
	struct kcache kc = {0};
	json_t *run = NULL;
	if (!path_exists(agent) || !path_exists(wl)) {
		fprintf(stderr, "oomlab: the guest binaries are missing (%s, %s): run `make build`\n",
			agent, wl);
		code = EXIT_BROK;
		goto out;
	}
	char *ts = utc_now("%Y%m%d-%H%M%S");
	run_id = xasprintf("%s-%s", m.name, ts);
	free(ts);
	outdir = a.out ? xstrdup(a.out) : xasprintf("%s/results/%s", project_root(), run_id);
	run_path = xasprintf("%s/run.json", outdir);
	if (path_exists(run_path)) {
		fprintf(stderr, "oomlab: %s already holds a run; choose another -o DIR\n", outdir);
		code = EXIT_USAGE;
		goto out;
	}
	cells_dir = xasprintf("%s/cells", outdir);
	if (mkdir_p(cells_dir, 0755) < 0) {
		fprintf(stderr, "oomlab: cannot create %s: %s\n", cells_dir, strerror(errno));
		code = EXIT_USAGE;
		goto out;
	}
	/* Resolve the default kernel first: the accel probe boots it. */
	int kcode = 0;
	const struct kernel_info *defk = kernel_for(&kc, a.kernel, a.modules, &err, &kcode);
	if (!defk) {
		fprintf(stderr, "oomlab: %s\n", err.data);
		code = kcode;
		goto out;
	}
	const char *accel = a.accel && strcmp(a.accel, "auto") ? a.accel : vm_detect_accel(defk->image);
	log_info("%zu cells from %s, accel %s, results in %s", m.n_cells, m.path, accel, outdir);

	vm_install_signals();
	started = utc_now("%Y-%m-%dT%H:%M:%SZ");
	struct utsname un;
	uname(&un);
	run = json_object();
	json_object_set_new(run, "format", json_string(RUN_FORMAT));
	json_object_set_new(run, "tool", json_pack("{s:s,s:s}", "name", "oomlab", "version", OOMLAB_VERSION));
	json_object_set_new(run, "run_id", json_string(run_id));
	json_object_set_new(run, "matrix", json_pack("{s:s,s:s,s:I}", "path", m.path, "name", m.name,
						     "cells", (json_int_t)m.n_cells));
	json_object_set_new(run, "host", json_pack("{s:s,s:s,s:s}", "release", un.release, "machine",
						   un.machine, "accel", accel));
	json_object_set_new(run, "started", json_string(started));
	json_object_set_new(run, "cells", json_array());
	double t0 = now_s();
	char *tmp_env = getenv("TMPDIR");
	struct run_env env = {
		.run_id = run_id,
		.cells_dir = cells_dir,
		.agent_path = agent,
		.wl_path = wl,
		.accel = accel,
		.tmp_root = tmp_env && *tmp_env ? tmp_env : "/tmp",
		.keep_tmp = a.keep_tmp,
	};
	for (size_t i = 0; i < m.n_cells && !vm_stop_requested; i++) {
		const struct cell_spec *cs = &m.cells[i];
		const char *kname = cs->kernel ? cs->kernel : a.kernel;
		const char *kmods = cs->kernel ? cs->modules : a.modules;
		buf_free(&err);
		const struct kernel_info *ki = kernel_for(&kc, kname, kmods, &err, &kcode);
		if (!ki) {
			fprintf(stderr, "oomlab: cell %s: %s\n", cs->id, err.data);
			code = kcode;
			goto out;
		}
		log_info("[%zu/%zu] %s: booting %s", i + 1, m.n_cells, cs->name,
			 ki->release ? ki->release : ki->image);
		json_t *rep = cell_execute(&env, cs, i, ki);
		progress_line(i, m.n_cells, cs, rep);
		char *file = xasprintf("cells/%s.json", cs->id);
		json_array_append_new(json_object_get(run, "cells"), report_cell_summary(rep, file));
		free(file);
		json_decref(rep);
		update_summary(run);
		json_object_set_new(run, "wall_s", json_real(now_s() - t0));
		if (json_write_atomic(run_path, run) < 0)
			log_err("cannot write %s: %s", run_path, strerror(errno));
	}
	json_object_set_new(run, "interrupted", json_boolean(vm_stop_requested));
	char *ended = utc_now("%Y-%m-%dT%H:%M:%SZ");
	json_object_set_new(run, "ended", json_string(ended));
	free(ended);
	update_summary(run);
	json_object_set_new(run, "wall_s", json_real(now_s() - t0));
	if (json_write_atomic(run_path, run) < 0) {
		log_err("cannot write %s: %s", run_path, strerror(errno));
		code = EXIT_BROK;
		goto out;
	}
	printf("\n");
	report_print_table(stdout, run, isatty(1));
	json_t *s = json_object_get(run, "summary");
	printf("\n%lld PASS, %lld FAIL, %lld BROK, %lld SKIP in %.0f s%s\n",
	       (long long)json_integer_value(json_object_get(s, "PASS")),
	       (long long)json_integer_value(json_object_get(s, "FAIL")),
	       (long long)json_integer_value(json_object_get(s, "BROK")),
	       (long long)json_integer_value(json_object_get(s, "SKIP")), now_s() - t0,
	       vm_stop_requested ? " (interrupted)" : "");
	printf("run report:   %s\ncell reports: %s/\n", run_path, cells_dir);
	code = vm_stop_requested ? EXIT_BROK : exit_code_of(run);
out:
	json_decref(run);
	kcache_free(&kc);
	matrix_free(&m);
	buf_free(&err);
	free(agent);
	free(wl);
	free(outdir);
	free(cells_dir);
	free(run_id);
	free(run_path);
	free(started);
	return code;
}
