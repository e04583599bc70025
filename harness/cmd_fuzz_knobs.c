// SPDX-License-Identifier: GPL-2.0-or-later
/* oomlab fuzz-knobs: random cells from a matrix's knob ranges, run in VMs,
 * and every FAIL (the kernel disagreed with the oracle) kept as a one-cell
 * matrix file that reproduces it.
 *
 * The sampling space is the matrix's `axes`: an integer knob takes any
 * value between the smallest and the largest listed (not only the listed
 * ones), any other knob one of its listed values; `base`, `workloads`,
 * `mode`, `timeout_s` and `sample_ms` are kept, `exclude` rules are
 * honoured. Cell i depends only on (seed, i): the same seed gives the same
 * cells whatever the budget. Cells run in batches through `oomlab run`
 * (this binary, exec'd with an argv), so VMs, pool, reports and Ctrl-C
 * behave exactly as in a run.
 *
 * Guided (the default; --random turns it off): each finished cell's
 * behaviour signature (reports/signature.h) that was never seen puts the
 * cell into the corpus, and three cells in four are then a mutation of a
 * corpus cell (plan/mutate.h), drawn from (seed, i) and the corpus as it
 * is when cell i's batch is made; the fourth is sampled as above. With
 * --random every cell is sampled, as before guidance: the baseline.
 * --corpus DIR loads DIR's cells of this matrix first and adds each new
 * one.
 *
 * A FAIL cell with a finding it does not allow, of a title no earlier cell
 * had, is minimised when its batch is done (`oomlab minimize` of its cell
 * report, exec'd as `oomlab run` is), within the budget: the rule is
 * search_minimize_title and search_minimize_needs (reports/search.h).
 * --no-minimize turns it off. Output in DIR:
 *   sampled.json          seed, matrix, search, settings, distinct
 *                         signatures, finding titles, every cell (knobs,
 *                         verdict, signature, new, findings; a mutated one:
 *                         cell and origin; a minimised one: minimize)
 *   search.html           the search page (reports/html/search.h), written
 *                         after every batch, with --against DIR2's curves
 *   corpus/<hash>.json    a cell of a new signature (and those loaded)
 *   batch-N.json, batch-N/   each batch's matrix and run dir
 *   repro/<id>.json       one per FAIL cell: a matrix with that cell only
 *   repro/<id>-min/, repro/<id>-min.log
 *                         oomlab minimize's dir and output for a new finding
 *   files/, repro/files/  copies of the files the workloads' options name,
 *                         so every matrix written names files in its own dir */
#include "cli.h"
#include "lib/jsonx.h"
#include "plan/hostfiles.h"
#include "plan/knobs.h"
#include "plan/matrix.h"
#include "plan/mutate.h"
#include "plan/wlreg.h"
#include "lib/spawn.h"
#include "lib/util.h"
#include "lib/vocab.h"
#include "reports/html/search.h"
#include "reports/search.h"
#include "reports/signature.h"
#include "workloads/wl.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { OPT_BUDGET = 1000, OPT_SEED, OPT_CELLS, OPT_DRY_RUN, OPT_KERNEL, OPT_ALLOW_FILE, OPT_MAX_CELLS,
       OPT_RANDOM, OPT_CORPUS, OPT_AGAINST, OPT_NO_MINIMIZE, OPT_MINIMIZE_RUNS };

static const struct cli_opt fk_opts[] = {
	{"budget", required_argument, OPT_BUDGET, "TIME",
	 "start no batch of cells after this much time: 90s, 10m, 2h (default 10m)"},
	{"seed", required_argument, OPT_SEED, "S", "PRNG seed, 0..2^63-1 (default 1): same seed, same cells"},
	{"cells", required_argument, OPT_CELLS, "N", "sample at most N cells (default: until the budget ends)"},
	{"output", required_argument, 'o', "DIR", "output dir (default results/fuzz-knobs-<matrix>-<seed>-<time>)"},
	{"jobs", required_argument, 'j', "N", "VMs at once, also the cells per batch (default 2)"},
	{"kernel", required_argument, OPT_KERNEL, "K", "guest kernel, passed to oomlab run"},
	{"dry-run", no_argument, OPT_DRY_RUN, NULL, "sample and write the cells (--cells N), run nothing"},
	{"allow-file", required_argument, OPT_ALLOW_FILE, "PATH",
	 "let file options name this file (or anything under this dir) outside the matrix's dir; repeatable"},
	{"max-cells", required_argument, OPT_MAX_CELLS, "N",
	 "check a matrix that expands to at most N cells (default 10000)"},
	{"random", no_argument, OPT_RANDOM, NULL,
	 "sample every cell at random (no mutation of the corpus): the baseline of the guided search"},
	{"corpus", required_argument, OPT_CORPUS, "DIR",
	 "keep the corpus in DIR too: load its cells at start, add each new one (default: DIR/corpus only)"},
	{"against", required_argument, OPT_AGAINST, "DIR",
	 "draw DIR's search (another fuzz-knobs output dir, e.g. a --random run) on DIR/search.html too"},
	{"no-minimize", no_argument, OPT_NO_MINIMIZE, NULL, "do not minimise the FAIL cells of new kernel findings"},
	{"minimize-runs", required_argument, OPT_MINIMIZE_RUNS, "K/N",
	 "minimise keeping a step when K of N runs fail the same way (oomlab minimize -k K -n N; default 2/3)"},
};

static const char synopsis[] =
	"oomlab fuzz-knobs MATRIX.json [--budget TIME] [--seed S] [--cells N] [-o DIR] [-j N] [--kernel K] "
	"[--dry-run] [--allow-file PATH]... [--max-cells N] [--random] [--corpus DIR] [--against DIR] "
	"[--no-minimize] [--minimize-runs K/N]";
const struct cmd_doc fuzz_knobs_doc = {synopsis, fk_opts, ARRAY_SIZE(fk_opts), NULL};

struct fk_args {
	long long budget_s, seed, cells, jobs;
	const char *out, *kernel;
	int dry_run, random, no_minimize;
	const char *corpus, *against;
	long long mz_k, mz_n; /* --minimize-runs */
	char **allow; /* --allow-file, resolved */
	size_t n_allow;
	long long max_cells;
};

/* "90", "90s", "10m", "2h", "1d" -> seconds; -1 if not that. */
static long long parse_duration(const char *s)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || v < 0)
		return -1;
	static const struct {
		const char *unit;
		long long mul;
	} units[] = {{"", 1}, {"s", 1}, {"m", 60}, {"h", 3600}, {"d", 86400}};
	for (size_t i = 0; i < ARRAY_SIZE(units); i++)
		if (!strcmp(end, units[i].unit))
			return v > LLONG_MAX / units[i].mul ? -1 : v * units[i].mul;
	return -1;
}

static int on_fk_opt(int key, const char *arg, void *ctx)
{
	struct fk_args *a = ctx;
	switch (key) {
	case OPT_BUDGET:
		a->budget_s = parse_duration(arg);
		if (a->budget_s < 1 || a->budget_s > 7 * 86400) {
			fprintf(stderr, "oomlab fuzz-knobs: --budget %s: allowed 1s..7d (e.g. 90s, 10m, 2h)\n", arg);
			return -1;
		}
		return 0;
	case OPT_SEED:
		if (parse_ll(arg, &a->seed) || a->seed < 0) {
			fprintf(stderr, "oomlab fuzz-knobs: --seed %s: allowed 0..%lld\n", arg, LLONG_MAX);
			return -1;
		}
		return 0;
	case OPT_CELLS:
		if (parse_ll(arg, &a->cells) || a->cells < 1 || a->cells > 100000) {
			fprintf(stderr, "oomlab fuzz-knobs: --cells %s: allowed 1..100000\n", arg);
			return -1;
		}
		return 0;
	case 'j':
		if (parse_ll(arg, &a->jobs) || a->jobs < 1 || a->jobs > 256) {
			fprintf(stderr, "oomlab fuzz-knobs: -j %s: allowed 1..256\n", arg);
			return -1;
		}
		return 0;
	case 'o':
		a->out = arg;
		return 0;
	case OPT_KERNEL:
		a->kernel = arg;
		return 0;
	case OPT_DRY_RUN:
		a->dry_run = 1;
		return 0;
	case OPT_RANDOM:
		a->random = 1;
		return 0;
	case OPT_CORPUS:
		a->corpus = arg;
		return 0;
	case OPT_AGAINST:
		a->against = arg;
		return 0;
	case OPT_NO_MINIMIZE:
		a->no_minimize = 1;
		return 0;
	case OPT_MINIMIZE_RUNS: {
		char *slash = strchr(arg, '/'), *k = slash ? xstrndup(arg, (size_t)(slash - arg)) : NULL;
		int bad = !k || parse_ll(k, &a->mz_k) || parse_ll(slash + 1, &a->mz_n) || a->mz_n < 1 ||
			  a->mz_n > 100 || a->mz_k < 1 || a->mz_k > a->mz_n;
		free(k);
		if (bad) {
			fprintf(stderr, "oomlab fuzz-knobs: --minimize-runs %s: want K/N, 1 <= K <= N <= 100 "
					"(e.g. 2/3)\n", arg);
			return -1;
		}
		return 0;
	}
	case OPT_MAX_CELLS:
		return cli_max_cells(arg, &a->max_cells);
	case OPT_ALLOW_FILE:
		return cli_allow_file(arg, &a->allow, &a->n_allow);
	}
	return -1;
}

/* ---- sampling ---- */


static int excluded(json_t *cell, json_t *exclude)
{
	size_t i;
	json_t *rule;
	json_array_foreach(exclude, i, rule) {
		const char *k;
		json_t *v;
		int all = json_object_size(rule) > 0;
		json_object_foreach(rule, k, v) {
			if (!json_equal(json_object_get(cell, k), v)) {
				all = 0;
				break;
			}
		}
		if (all)
			return 1;
	}
	return 0;
}

/* Knobs of cell i (a new object), or NULL when exclude rejects 100 draws. */
static json_t *sample_cell(const struct mut_axis *ax, size_t n_ax, json_t *exclude, uint64_t seed, size_t i)
{
	uint64_t st = seed ^ (0xd1b54a32d192ed03ull * (uint64_t)(i + 1));
	for (int attempt = 0; attempt < 100; attempt++) {
		json_t *c = json_object();
		for (size_t a = 0; a < n_ax; a++) {
			uint64_t r = mutate_rand(&st);
			if (ax[a].is_range) {
				uint64_t span = (uint64_t)(ax[a].hi - ax[a].lo) + 1;
				json_object_set_new(c, ax[a].knob, json_integer(ax[a].lo + (long long)(span ? r % span : r)));
			} else {
				size_t n = json_array_size(ax[a].values);
				json_object_set(c, ax[a].knob, json_array_get(ax[a].values, r % n));
			}
		}
		if (!exclude || !excluded(c, exclude))
			return c;
		json_decref(c);
	}
	return NULL;
}

/* The files the workloads' options name (checked by matrix_load: in the
 * matrix's dir or allowed) are copied to OUT/files/ and OUT/repro/files/
 * as w<i>-<option>-<name>, and the options name the copies: the batch
 * matrices (in OUT) and the repro matrices (in OUT/repro) name files in
 * their own dirs, so `oomlab run` takes them without --allow-file, and the
 * output dir can be moved or sent whole. 0, or -1 with the message
 * printed. */
static int copy_files(json_t *workloads, const struct file_scope *scope, const char *outdir)
{
	size_t i;
	json_t *w;
	json_array_foreach(workloads, i, w) {
		const char *wname = json_string_value(json_object_get(w, "name"));
		const struct workload *reg = wname ? wl_find(wname) : NULL;
		json_t *opts = json_object_get(w, "options");
		const char *k;
		json_t *v;
		json_object_foreach(opts, k, v) {
			if (!reg || !wl_option_is_file(reg, k) || !json_is_string(v))
				continue;
			char *real = NULL, *text = NULL;
			size_t len = 0;
			struct buf why = {0};
			if (hostfiles_resolve(scope, json_string_value(v), &real, &why) < 0 ||
			    read_file(real, &text, &len) < 0) {
				fprintf(stderr, "oomlab fuzz-knobs: workloads[%zu].options.%s: %s\n", i, k,
					why.len ? why.data : strerror(errno));
				buf_free(&why);
				free(real);
				return -1;
			}
			char *name = xasprintf("files/w%zu-%s-%s", i, k, strrchr(real, '/') + 1);
			int bad = 0;
			for (int d = 0; d < 2 && !bad; d++) {
				char *dir = xasprintf("%s/%sfiles", outdir, d ? "repro/" : "");
				char *dst = xasprintf("%s/%s", dir, name + strlen("files/"));
				if (mkdir_p(dir, 0755) < 0 || write_file_atomic(dst, text, len) < 0) {
					fprintf(stderr, "oomlab fuzz-knobs: cannot write %s: %s\n", dst, strerror(errno));
					bad = 1;
				}
				free(dst);
				free(dir);
			}
			if (!bad)
				json_object_set_new(opts, k, json_string(name));
			free(name);
			free(text);
			free(real);
			if (bad)
				return -1;
		}
	}
	return 0;
}

static char *cell_label(size_t i, json_t *knobs)
{
	struct buf b = {0};
	buf_printf(&b, "fuzz %zu:", i);
	const char *k;
	json_t *v;
	json_object_foreach(knobs, k, v) {
		char *t = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
		const char *s = json_string_value(v);
		buf_printf(&b, " %s=%s", k, s ? s : t);
		free(t);
	}
	return b.data;
}

/* A matrix holding the given cells, with the original's shared keys. */
static json_t *matrix_of(json_t *orig, const char *name, const char *desc, json_t *cells)
{
	json_t *m = json_pack("{s:s,s:s,s:O}", "name", name, "description", desc, "cells", cells);
	static const char *const keep[] = {"timeout_s", "sample_ms", "mode"};
	for (size_t i = 0; i < ARRAY_SIZE(keep); i++) {
		json_t *v = json_object_get(orig, keep[i]);
		if (v)
			json_object_set(m, keep[i], v);
	}
	return m;
}

/* The cell object for the matrix: base, then the sampled knobs. */
static json_t *cell_object(json_t *base, json_t *knobs, json_t *workloads, const char *name)
{
	json_t *c = json_deep_copy(base ? base : json_object());
	if (!c)
		c = json_object();
	json_object_update(c, knobs);
	json_object_set_new(c, "name", json_string(name));
	if (workloads)
		json_object_set_new(c, "workloads", json_deep_copy(workloads));
	return c;
}

/* Load a written matrix: it must be valid (the sampled values are inside
 * the knobs' ranges). 0, or -1 with the message printed. */
static int check_matrix(const char *path)
{
	struct matrix m;
	struct buf err = {0};
	int r = matrix_load(path, &m, &err);
	if (r)
		fprintf(stderr, "oomlab fuzz-knobs: a sampled matrix does not load: %s\n", err.data);
	else
		matrix_free(&m);
	buf_free(&err);
	return r;
}

struct fk_state {
	const struct fk_args *a;
	json_t *orig, *base, *workloads, *exclude;
	struct mut_axis *ax;
	size_t n_ax;
	char *outdir, *matrix_name, *matrix_digest, *self;
	json_t *sampled; /* array of {index, name, knobs, verdict, repro, signature, new} */
	size_t n_fail, n_brok;
	struct mut_space space; /* what mutations draw from */
	json_t *corpus;	 /* array of {matrix, hash, signature, cell}: cells of new signatures */
	json_t *seen;		 /* {hash: true}: signatures of the corpus (loaded and new) */
	json_t *run_seen;	 /* {hash: true}: signatures of this run's cells */
	json_t *titles;	 /* {title: true}: finding titles of this run's cells */
};

/* The cell object of sampled entry e: its own (a mutated cell), else
 * base, its knobs and the matrix's workloads. */
static json_t *entry_cell(struct fk_state *s, json_t *e)
{
	const char *name = json_string_value(json_object_get(e, "name"));
	json_t *own = json_object_get(e, "cell");
	if (own) {
		json_t *c = json_deep_copy(own);
		json_object_set_new(c, "name", json_string(name ? name : ""));
		return c;
	}
	return cell_object(s->base, json_object_get(e, "knobs"), s->workloads, name);
}

/* Does a matrix of cell c alone load (the same checks as oomlab run)? */
static int cell_loads(struct fk_state *s, json_t *c)
{
	json_t *cells = json_array();
	json_t *one = json_deep_copy(c);
	json_object_set_new(one, "name", json_string("mutant"));
	json_array_append_new(cells, one);
	json_t *m = matrix_of(s->orig, "mutant", "a mutated cell", cells);
	json_decref(cells);
	char *text = json_dumps(m, JSON_COMPACT);
	json_decref(m);
	struct matrix mx;
	struct buf err = {0};
	int ok = text && !matrix_load_buf("mutant.json", text, strlen(text), s->outdir, &mx, &err);
	if (ok)
		matrix_free(&mx);
	buf_free(&err);
	free(text);
	return ok;
}

/* Guided: cell i as a mutation of a corpus cell, drawn from (seed, i) and
 * the corpus as it is: *cell, its axis *knobs and its *origin; nothing
 * when the corpus is empty, for one cell in four (sampled at random
 * instead), or when 8 mutations in a row are excluded or do not load. */
static void make_mutant(struct fk_state *s, size_t i, json_t **knobs, json_t **cell, json_t **origin)
{
	size_t n = json_array_size(s->corpus);
	if (!n)
		return;
	uint64_t st = (uint64_t)s->a->seed ^ (0x9fb21c651e98df25ull * (uint64_t)(i + 1));
	if (mutate_rand(&st) % 4 == 0)
		return;
	for (int attempt = 0; attempt < 8; attempt++) {
		json_t *pe = json_array_get(s->corpus, mutate_rand(&st) % n);
		const struct mutation *m = NULL;
		struct buf note = {0};
		json_t *c = mutate_cell(json_object_get(pe, "cell"), &s->space, &st, &m, &note);
		if (c && (!s->exclude || !excluded(c, s->exclude)) && cell_loads(s, c)) {
			*knobs = json_object();
			for (size_t a = 0; a < s->n_ax; a++) {
				json_t *v = json_object_get(c, s->ax[a].knob);
				if (v)
					json_object_set(*knobs, s->ax[a].knob, v);
			}
			*cell = c;
			*origin = json_pack("{s:O,s:s,s:s}", "parent", json_object_get(pe, "hash"), "mutation", m->name,
					    "change", note.data ? note.data : "");
			buf_free(&note);
			return;
		}
		json_decref(c);
		buf_free(&note);
	}
}

/* Write corpus entry ce as DIR/<hash>.json. */
static void corpus_write(const char *dir, json_t *ce)
{
	char *p = xasprintf("%s/%s.json", dir, json_string_value(json_object_get(ce, "hash")));
	if (json_write_atomic(p, ce))
		fprintf(stderr, "oomlab fuzz-knobs: cannot write %s: %s\n", p, strerror(errno));
	free(p);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The corpus entries of DIR (made from this matrix), in name order; a dir
 * that does not exist yet is made. 0, or -1 with the message printed. */
static int corpus_load(struct fk_state *s, const char *dir)
{
	if (mkdir_p(dir, 0755)) {
		fprintf(stderr, "oomlab fuzz-knobs: --corpus %s: %s\n", dir, strerror(errno));
		return -1;
	}
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "oomlab fuzz-knobs: --corpus %s: %s\n", dir, strerror(errno));
		return -1;
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (l > 5 && !strcmp(de->d_name + l - 5, ".json")) {
			names = xrealloc(names, (n + 1) * sizeof *names);
			names[n++] = xstrdup(de->d_name);
		}
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_name);
	size_t kept = 0;
	char *own = xasprintf("%s/corpus", s->outdir);
	for (size_t i = 0; i < n; i++) {
		char *p = xasprintf("%s/%s", dir, names[i]);
		json_error_t je;
		json_t *ce = json_load_file(p, 0, &je);
		const char *h = json_string_value(json_object_get(ce, "hash"));
		if (ce && h && json_is_object(json_object_get(ce, "cell")) &&
		    !strcmp(json_string_value(json_object_get(ce, "matrix")) ?: "", s->matrix_name) &&
		    !json_object_get(s->seen, h)) {
			json_object_set_new(s->seen, h, json_true());
			json_array_append(s->corpus, ce);
			corpus_write(own, ce);
			kept++;
		}
		json_decref(ce);
		free(p);
		free(names[i]);
	}
	free(names);
	free(own);
	printf("fuzz-knobs: corpus %s: %zu cells of this matrix\n", dir, kept);
	return 0;
}

/* The signature of e's cell report; a new one goes into the corpus. */
static void note_signature(struct fk_state *s, json_t *e, const char *rdir, json_t *row)
{
	char *p = xasprintf("%s/%s", rdir, json_string_value(json_object_get(row, "file")) ?: "");
	json_error_t je;
	json_t *rep = json_load_file(p, 0, &je);
	free(p);
	if (!rep)
		return;
	struct buf t = {0};
	signature_text(rep, &t);
	char h[17];
	signature_hash(t.data, h);
	int is_new = !json_object_get(s->seen, h);
	json_object_set_new(e, "signature", json_string(t.data));
	json_object_set_new(e, "signature_hash", json_string(h));
	json_object_set_new(e, "new", json_boolean(is_new));
	json_object_set_new(s->run_seen, h, json_true());
	size_t i;
	json_t *f, *fl = json_array();
	json_array_foreach(json_object_get(rep, "findings"), i, f) {
		const char *title = json_string_value(json_object_get(f, "title"));
		if (!title)
			continue;
		json_array_append_new(fl, json_pack("{s:s,s:s,s:b}", "kind", json_str(f, "kind", ""), "title", title,
						    "allowed", json_is_true(json_object_get(f, "allowed"))));
	}
	json_object_set_new(e, "findings", fl);
	if (is_new) {
		json_object_set_new(s->seen, h, json_true());
		json_t *c = entry_cell(s, e);
		json_object_del(c, "name");
		json_t *ce = json_pack("{s:s,s:s,s:s,s:O,s:o}", "matrix", s->matrix_name, "hash", h, "signature", t.data,
				       "found_by", json_object_get(e, "name"), "cell", c);
		json_array_append(s->corpus, ce);
		char *dir = xasprintf("%s/corpus", s->outdir);
		corpus_write(dir, ce);
		free(dir);
		if (s->a->corpus)
			corpus_write(s->a->corpus, ce);
		json_decref(ce);
		printf("new signature %s: %s\n", h, json_string_value(json_object_get(e, "name")));
	}
	buf_free(&t);
	json_decref(rep);
}

/* Run one batch through `oomlab run`; record verdicts, write repros. */
static int run_batch(struct fk_state *s, size_t batch, size_t first, size_t n)
{
	json_t *cells = json_array();
	for (size_t i = first; i < first + n; i++) {
		json_t *e = json_array_get(s->sampled, i);
		json_array_append_new(cells, entry_cell(s, e));
	}
	char *name = xasprintf("%s-fuzz-batch-%zu", s->matrix_name, batch);
	char *desc = xasprintf("oomlab fuzz-knobs --seed %lld, cells %zu..%zu", s->a->seed, first, first + n - 1);
	json_t *m = matrix_of(s->orig, name, desc, cells);
	char *mpath = xasprintf("%s/batch-%zu.json", s->outdir, batch);
	char *rdir = xasprintf("%s/batch-%zu", s->outdir, batch);
	int rc = json_write_atomic(mpath, m) ? -1 : check_matrix(mpath);
	json_decref(m);
	json_decref(cells);
	free(name);
	free(desc);
	if (!rc) {
		char jobs[24];
		snprintf(jobs, sizeof jobs, "%lld", s->a->jobs);
		char *argv[10] = {s->self, "run", mpath, "-o", rdir, "-j", jobs};
		if (s->a->kernel) {
			argv[7] = "--kernel";
			argv[8] = (char *)s->a->kernel;
		}
		int st = 0;
		fflush(stdout); /* our lines before the run's */
		if (run_argv(argv, NULL, -1, &st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) == EXIT_USAGE) {
			fprintf(stderr, "oomlab fuzz-knobs: oomlab run %s: %s\n", mpath, status_str(st));
			rc = -1;
		}
	}
	if (!rc) {
		char *runjson = xasprintf("%s/run.json", rdir);
		json_error_t je;
		json_t *run = json_load_file(runjson, 0, &je);
		size_t j;
		json_t *row;
		json_array_foreach(json_object_get(run, "cells"), j, row) {
			if (j >= n)
				break;
			json_t *e = json_array_get(s->sampled, first + j);
			const char *v = json_string_value(json_object_get(row, "verdict"));
			const struct verdict_row *vr = verdict_find(v);
			json_object_set_new(e, "verdict", json_string(v ? v : "?"));
			json_object_set(e, "verdict_reason", json_object_get(row, "verdict_reason"));
			json_object_set_new(e, "report", json_sprintf("%s/%s", rdir,
					    json_string_value(json_object_get(row, "file"))));
			note_signature(s, e, rdir, row);
			/* a FAIL with a finding of a title this run has not seen yet
			 * is minimised once the batch is done */
			const char *newt = s->a->no_minimize ? NULL : search_minimize_title(e, s->titles);
			if (newt)
				json_object_set_new(e, "minimize",
						    json_pack("{s:s,s:s}", "title", newt, "status", "pending"));
			size_t k;
			json_t *f;
			json_array_foreach(json_object_get(e, "findings"), k, f)
				json_object_set_new(s->titles, json_str(f, "title", ""), json_true());
			if (vr && vr->verdict == V_BROK)
				s->n_brok++;
			if (!vr || vr->verdict != V_FAIL)
				continue;
			/* the repro: this cell alone */
			s->n_fail++;
			const char *cname = json_string_value(json_object_get(e, "name"));
			json_t *one = json_array();
			json_array_append_new(one, entry_cell(s, e));
			char *d = xasprintf("FAIL found by oomlab fuzz-knobs %s --seed %lld (cell %zu): %s",
					    json_string_value(json_object_get(s->orig, "name")) ?: "", s->a->seed, first + j,
					    json_string_value(json_object_get(row, "verdict_reason")) ?: "");
			char *rname = xasprintf("%s-repro", s->matrix_name);
			json_t *rm = matrix_of(s->orig, rname, d, one);
			char *rpath = xasprintf("%s/repro/%s.json", s->outdir, json_string_value(json_object_get(row, "id")));
			if (json_write_atomic(rpath, rm) == 0) {
				json_object_set_new(e, "repro", json_string(rpath));
				printf("FAIL %s\n     repro: %s\n", cname, rpath);
			}
			json_decref(rm);
			json_decref(one);
			free(rpath);
			free(rname);
			free(d);
		}
		if (!run) {
			fprintf(stderr, "oomlab fuzz-knobs: %s: %s\n", runjson, je.text);
			rc = -1;
		}
		json_decref(run);
		free(runjson);
	}
	free(mpath);
	free(rdir);
	return rc;
}

/* Minimise cell e (its "minimize" is pending): `oomlab minimize` of its
 * cell report (the failure kept is the cell's own: the finding's title),
 * into DIR/repro/<id>-min, its output in DIR/repro/<id>-min.log. It is
 * not started when the budget has less time left than its first step
 * needs (the cell N times, -j at a time, each round as long as the slowest
 * batch so far), and it is stopped (SIGINT, as Ctrl-C) when the budget
 * ends. The outcome goes into e's "minimize". */
static void minimize_cell(struct fk_state *s, json_t *e, double t0, double slowest)
{
	json_t *m = json_object_get(e, "minimize");
	const char *rep = json_str(e, "report", "");
	const char *slash = strrchr(rep, '/');
	char *id = xstrdup(slash ? slash + 1 : rep);
	if (strlen(id) > 5 && !strcmp(id + strlen(id) - 5, ".json"))
		id[strlen(id) - 5] = 0;
	double left = (double)s->a->budget_s - (now_s() - t0);
	double need = search_minimize_needs(s->a->mz_n, s->a->jobs, slowest);
	printf("minimize %s: new finding \"%s\"\n", id, json_str(m, "title", ""));
	if (left < need) {
		json_object_set_new(m, "status", json_string("not started"));
		json_object_set_new(m, "why", json_sprintf("%.0f s left in the budget; its first step (the cell %lld "
							   "times) needs about %.0f s",
							   left < 0 ? 0 : left, s->a->mz_n, need));
		printf("     not started: %s\n", json_str(m, "why", ""));
		free(id);
		return;
	}
	char *dir = xasprintf("%s/repro/%s-min", s->outdir, id);
	char *log = xasprintf("%s.log", dir);
	char jobs[24], k[24], n[24];
	snprintf(jobs, sizeof jobs, "%lld", s->a->jobs);
	snprintf(k, sizeof k, "%lld", s->a->mz_k);
	snprintf(n, sizeof n, "%lld", s->a->mz_n);
	char *argv[16] = {s->self, "minimize", (char *)rep, "-o", dir, "-j", jobs, "-k", k, "-n", n};
	if (s->a->kernel) {
		argv[11] = "--kernel";
		argv[12] = (char *)s->a->kernel;
	}
	json_object_set_new(m, "dir", json_string(dir));
	json_object_set_new(m, "log", json_string(log));
	printf("     oomlab minimize %s -o %s -k %s -n %s (log %s)\n", rep, dir, k, n, log);
	fflush(stdout);
	int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	struct spawn_opts so = {NULL, SPAWN_DEVNULL, fd, fd};
	double m0 = now_s();
	pid_t pid;
	int st = 0, stopped = 0, r = -1;
	if (fd >= 0 && spawn_argv(argv, &so, &pid) == 0) {
		r = wait_pid_timeout(pid, (int)(left * 1000), &st);
		if (r == 1) { /* the budget ended: stop it as Ctrl-C would */
			stopped = 1;
			kill(pid, SIGINT);
			r = wait_pid_timeout(pid, 120 * 1000, &st);
			if (r == 1) {
				kill(pid, SIGKILL);
				r = waitpid(pid, &st, 0) == pid ? 0 : -1;
			}
		}
	}
	if (fd >= 0)
		close(fd);
	json_object_set_new(m, "seconds", json_integer((json_int_t)(now_s() - m0 + 0.5)));
	/* oomlab minimize's exit codes */
	static const struct {
		int code;
		const char *status, *why;
	} outcome[] = {
		{EXIT_OK, "minimized", NULL},
		{EXIT_FAIL, "not reproduced", "the finding did not come in K of the N runs of the cell"},
		{EXIT_USAGE, "cannot be minimised", "oomlab minimize refused the cell: see its log"},
		{EXIT_BROK, "broken", "a run could not be made: see the log"},
	};
	const char *status = "broken", *why = NULL;
	char *other = NULL;
	if (stopped) {
		status = "stopped at the budget";
		why = "the steps so far are in its steps.json";
	} else if (r != 0 || !WIFEXITED(st)) {
		other = xasprintf("oomlab minimize: %s", r != 0 ? strerror(errno) : status_str(st));
		why = other;
	} else {
		why = "unexpected exit: see the log";
		for (size_t i = 0; i < ARRAY_SIZE(outcome); i++)
			if (WEXITSTATUS(st) == outcome[i].code) {
				status = outcome[i].status;
				why = outcome[i].why;
			}
	}
	json_object_set_new(m, "status", json_string(status));
	if (!strcmp(status, "minimized")) {
		json_object_set_new(m, "minimized", json_sprintf("%s/minimized.json", dir));
		printf("     minimized: %s/minimized.json (%lld s)\n", dir,
		       (long long)json_integer_value(json_object_get(m, "seconds")));
	} else {
		json_object_set_new(m, "why", json_string(why));
		printf("     not minimised: %s: %s (%lld s)\n", status, why,
		       (long long)json_integer_value(json_object_get(m, "seconds")));
	}
	free(other);
	free(dir);
	free(log);
	free(id);
}

static int write_sampled(struct fk_state *s)
{
	char *p = xasprintf("%s/sampled.json", s->outdir);
	json_t *titles = json_array();
	const char *k;
	json_t *v;
	json_object_foreach(s->titles, k, v)
		json_array_append_new(titles, json_string(k));
	json_t *j = json_pack("{s:s,s:s?,s:I,s:I,s:s,s:I,s:s?,s:s,s:I,s:o,s:O}", "matrix",
			      s->orig ? json_string_value(json_object_get(s->orig, "name")) ?: "" : "", "matrix_digest",
			      s->matrix_digest, "seed", (json_int_t)s->a->seed, "budget_s", (json_int_t)s->a->budget_s,
			      "search", s->a->random ? "random" : "guided", "jobs", (json_int_t)s->a->jobs, "kernel",
			      s->a->kernel, "dir", s->outdir, "distinct_signatures",
			      (json_int_t)json_object_size(s->run_seen), "findings", titles, "cells", s->sampled);
	json_object_set_new(j, "minimize",
			    s->a->no_minimize ? json_null()
					      : json_pack("{s:I,s:I}", "k", (json_int_t)s->a->mz_k, "n", (json_int_t)s->a->mz_n));
	int r = json_write_atomic(p, j);
	if (!s->a->dry_run) {
		/* the page; the other search is read again each time (it may be
		 * running too) */
		char *page = xasprintf("%s/search.html", s->outdir);
		struct buf err = {0};
		json_t *base = s->a->against ? search_load(s->a->against, &err) : NULL;
		if (err.data)
			fprintf(stderr, "oomlab fuzz-knobs: --against: %s\n", err.data);
		buf_free(&err);
		if (report_write_search_html(j, base, s->outdir, page, &err))
			fprintf(stderr, "oomlab fuzz-knobs: %s\n", err.data);
		buf_free(&err);
		json_decref(base);
		free(page);
	}
	json_decref(j);
	free(p);
	return r;
}

/* Axes -> sampling space; 0 or -1 (message printed). */
static int load_axes(struct fk_state *s, const char *path)
{
	json_t *axes = json_object_get(s->orig, "axes");
	if (!json_is_object(axes) || !json_object_size(axes)) {
		fprintf(stderr, "oomlab: %s: axes: fuzz-knobs samples a matrix's axes, and this one has none "
				"(give \"axes\": {\"knob\": [values...]})\n", path);
		return -1;
	}
	s->ax = xcalloc(json_object_size(axes), sizeof *s->ax);
	const char *k;
	json_t *v;
	json_object_foreach(axes, k, v) {
		struct mut_axis *a = &s->ax[s->n_ax++];
		const struct knob *kn = knob_find(k);
		a->knob = k;
		a->values = v;
		a->is_range = kn && kn->type == KNOB_INT;
		for (size_t i = 0; a->is_range && i < json_array_size(v); i++) {
			json_t *x = json_array_get(v, i);
			if (!json_is_integer(x)) {
				a->is_range = 0;
				break;
			}
			long long n = json_integer_value(x);
			if (i == 0 || n < a->lo)
				a->lo = n;
			if (i == 0 || n > a->hi)
				a->hi = n;
		}
	}
	return 0;
}

int cmd_fuzz_knobs(int argc, char **argv)
{
	struct fk_args a = {.budget_s = 600, .seed = 1, .jobs = 2, .mz_k = 2, .mz_n = 3};
	struct fk_state s = {.a = &a};
	int code = cli_parse(argc, argv, &fuzz_knobs_doc, on_fk_opt, &a);
	if (code == 1) {
		code = EXIT_OK;
		goto out;
	}
	if (!code && optind != argc - 1) {
		fprintf(stderr, "oomlab fuzz-knobs: expected one matrix file\nusage: %s\n", synopsis);
		code = EXIT_USAGE;
	}
	if (!code && a.dry_run && !a.cells) {
		fprintf(stderr, "oomlab fuzz-knobs: --dry-run needs --cells N\n");
		code = EXIT_USAGE;
	}
	if (!code && a.against) {
		struct buf err = {0};
		json_t *base = search_load(a.against, &err);
		if (!base) {
			fprintf(stderr, "oomlab fuzz-knobs: --against %s: %s\n", a.against, err.data);
			code = EXIT_USAGE;
		}
		json_decref(base);
		buf_free(&err);
	}
	if (code)
		goto out;
	const char *path = argv[optind];
	/* the whole matrix must be valid first (same messages as oomlab run) */
	struct matrix m;
	struct buf err = {0};
	struct matrix_opts mo = {.allow = (const char *const *)a.allow, .n_allow = a.n_allow,
				 .max_cells = a.max_cells};
	if (matrix_load_opts(path, &mo, &m, &err)) {
		fprintf(stderr, "oomlab: %s\n", err.data);
		buf_free(&err);
		code = EXIT_USAGE;
		goto out;
	}
	s.matrix_name = xstrdup(m.name);
	s.matrix_digest = m.digest ? xstrdup(m.digest) : NULL;
	matrix_free(&m);
	json_error_t je;
	s.orig = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!s.orig || load_axes(&s, path)) {
		code = EXIT_USAGE;
		goto out;
	}
	s.base = json_object_get(s.orig, "base");
	s.exclude = json_object_get(s.orig, "exclude");
	s.workloads = json_deep_copy(json_object_get(s.orig, "workloads"));
	if (a.out) {
		s.outdir = xstrdup(a.out);
	} else {
		char ts[32];
		time_t now = time(NULL);
		strftime(ts, sizeof ts, "%Y%m%d-%H%M%S", localtime(&now));
		s.outdir = xasprintf("results/fuzz-knobs-%s-%lld-%s", s.matrix_name, a.seed, ts);
	}
	char *repro = xasprintf("%s/repro", s.outdir);
	int mk = mkdir_p(repro, 0755);
	free(repro);
	if (mk) {
		fprintf(stderr, "oomlab fuzz-knobs: cannot create %s: %s\n", s.outdir, strerror(errno));
		code = EXIT_USAGE;
		goto out;
	}
	{
		const char *slash = strrchr(path, '/');
		char *dir = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
		struct file_scope scope = {*dir ? dir : "/", NULL, (const char *const *)a.allow, a.n_allow};
		mk = copy_files(s.workloads, &scope, s.outdir);
		free(dir);
		if (mk) {
			code = EXIT_BROK;
			goto out;
		}
	}
	s.self = realpath("/proc/self/exe", NULL);
	s.sampled = json_array();
	s.corpus = json_array();
	s.seen = json_object();
	s.run_seen = json_object();
	s.titles = json_object();
	s.space = (struct mut_space){s.ax, s.n_ax, s.workloads};
	{
		char *cdir = xasprintf("%s/corpus", s.outdir);
		mk = mkdir_p(cdir, 0755);
		free(cdir);
		if (mk || (a.corpus && corpus_load(&s, a.corpus))) {
			code = EXIT_USAGE;
			goto out;
		}
	}
	printf("fuzz-knobs: %s, seed %lld, budget %lld s, output %s\n", path, a.seed, a.budget_s, s.outdir);
	double t0 = now_s(), slowest = 0;
	size_t batch = 0, done = 0;
	for (;;) {
		size_t n = (size_t)a.jobs;
		if (a.cells && done + n > (size_t)a.cells)
			n = (size_t)a.cells - done;
		if (!n)
			break;
		double el = now_s() - t0;
		/* start no batch the budget cannot finish (as far as the slowest one so far tells) */
		if (!a.dry_run && batch > 0 && el + slowest > (double)a.budget_s)
			break;
		for (size_t i = done; i < done + n; i++) {
			json_t *knobs = NULL, *cell = NULL, *origin = NULL;
			if (!a.random)
				make_mutant(&s, i, &knobs, &cell, &origin);
			if (!knobs)
				knobs = sample_cell(s.ax, s.n_ax, s.exclude, (uint64_t)a.seed, i);
			if (!knobs) {
				fprintf(stderr, "oomlab: %s: exclude: removes every one of 100 draws of cell %zu\n", path, i);
				code = EXIT_USAGE;
				goto out;
			}
			char *label = cell_label(i, knobs);
			printf("%s\n", label);
			json_t *e = json_pack("{s:I,s:s,s:o}", "index", (json_int_t)i, "name", label, "knobs", knobs);
			if (cell) {
				printf("     %s of %s: %s\n", json_string_value(json_object_get(origin, "mutation")),
				       json_string_value(json_object_get(origin, "parent")),
				       json_string_value(json_object_get(origin, "change")));
				json_object_set_new(e, "origin", origin);
				json_object_set_new(e, "cell", cell);
			}
			json_array_append_new(s.sampled, e);
			free(label);
		}
		if (!a.dry_run) {
			double b0 = now_s();
			if (run_batch(&s, batch, done, n)) {
				code = EXIT_BROK;
				break;
			}
			if (now_s() - b0 > slowest)
				slowest = now_s() - b0;
			for (size_t i = done; i < done + n; i++) {
				json_t *e = json_array_get(s.sampled, i);
				if (!strcmp(json_str(json_object_get(e, "minimize"), "status", ""), "pending")) {
					write_sampled(&s); /* the page shows the batch while it minimises */
					minimize_cell(&s, e, t0, slowest);
				}
			}
		}
		done += n;
		batch++;
		if (write_sampled(&s))
			fprintf(stderr, "oomlab fuzz-knobs: cannot write %s/sampled.json\n", s.outdir);
	}
	if (code == EXIT_OK && write_sampled(&s)) {
		fprintf(stderr, "oomlab fuzz-knobs: cannot write %s/sampled.json\n", s.outdir);
		code = EXIT_BROK;
	}
	printf("fuzz-knobs: %zu cells in %.0f s, %zu FAIL, %zu BROK; %s/sampled.json\n", done, now_s() - t0, s.n_fail,
	       s.n_brok, s.outdir);
	printf("fuzz-knobs: %zu cells, %zu distinct signatures, %zu findings (%s)\n", done,
	       json_object_size(s.run_seen), json_object_size(s.titles), a.random ? "random" : "guided");
	if (!a.dry_run)
		printf("fuzz-knobs: search page %s/search.html\n", s.outdir);
	if (code == EXIT_OK)
		code = s.n_fail ? EXIT_FAIL : s.n_brok ? EXIT_BROK : EXIT_OK;
out:
	json_decref(s.sampled);
	json_decref(s.corpus);
	json_decref(s.seen);
	json_decref(s.run_seen);
	json_decref(s.titles);
	json_decref(s.workloads);
	json_decref(s.orig);
	free(s.ax);
	free(s.outdir);
	free(s.matrix_name);
	free(s.matrix_digest);
	free(s.self);
	hostfiles_allow_free(a.allow, a.n_allow);
	return code;
}
