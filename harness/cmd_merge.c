// SPDX-License-Identifier: GPL-2.0-or-later
/* oomlab merge -o OUT DIR...: the shards of one matrix (run with --shard
 * K/N, maybe on several machines) become one run dir, as if one machine
 * had run every cell. Shards that were run otherwise (run_header.h:
 * run_header_disagree) are refused. */
#include "cli.h"
#include "run_header.h"
#include "lib/jsonx.h"
#include "lib/newfile.h"
#include "plan/matrix.h"
#include "reports/rundir.h"
#include "reports/table.h"
#include "reports/views.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const struct cli_opt merge_opts[] = {
	{"output", required_argument, 'o', "DIR", "the merged run dir (must not hold a run)"},
};

static const char synopsis[] = "oomlab merge -o OUT DIR...   (shards of one matrix -> one run)";
const struct cmd_doc merge_doc = {synopsis, merge_opts, ARRAY_SIZE(merge_opts), NULL};

static int on_merge_opt(int key, const char *arg, void *ctx)
{
	if (key != 'o')
		return -1;
	*(const char **)ctx = arg;
	return 0;
}

static int copy_file(const char *from, const char *to)
{
	char *data;
	size_t len;
	if (read_file(from, &data, &len) < 0)
		return -1;
	int r = write_file_atomic(to, data, len);
	free(data);
	return r;
}

/* Copy a cell's report and raw files from one run dir to another. */
static int copy_cell(const char *from_dir, const char *to_dir, json_t *row, struct buf *err)
{
	/* rundir_load_run checked the id: a name, no '/' */
	const char *id = json_string_value(json_object_get(row, "id"));
	static const char *const suffixes[] = {".json", ".console.log", ".stream"};
	for (size_t i = 0; i < ARRAY_SIZE(suffixes); i++) {
		char *a = xasprintf("%s/cells/%s%s", from_dir, id, suffixes[i]);
		char *b = xasprintf("%s/cells/%s%s", to_dir, id, suffixes[i]);
		int r = 0;
		if (i == 0 || path_exists(a))
			r = copy_file(a, b);
		if (r < 0)
			buf_printf(err, "cannot copy %s to %s: %s", a, b, strerror(errno));
		free(a);
		free(b);
		if (r < 0)
			return -1;
	}
	return 0;
}

int cmd_merge(int argc, char **argv)
{
	const char *out = NULL;
	int r = cli_parse(argc, argv, &merge_doc, on_merge_opt, &out);
	if (r)
		return r == 1 ? EXIT_OK : r;
	if (!out || optind >= argc) {
		fprintf(stderr, "oomlab merge: needs -o OUT and at least one run dir\nusage: %s\n", synopsis);
		return EXIT_USAGE;
	}
	int code = EXIT_USAGE;
	struct buf err = {0};
	struct matrix m = {0};
	json_t *merged = NULL, *first = NULL;
	char *out_run = xasprintf("%s/run.json", out);
	char *out_cells = xasprintf("%s/cells", out);
	char *mcopy = NULL;
	size_t n_dirs = (size_t)(argc - optind);
	json_t **runs = xcalloc(n_dirs, sizeof *runs);

	if (path_exists(out_run)) {
		fprintf(stderr, "oomlab merge: %s already holds a run; choose another -o\n", out);
		goto done;
	}
	for (size_t i = 0; i < n_dirs; i++) {
		if (!(runs[i] = rundir_load_run(argv[optind + (int)i], &err)))
			goto fail;
		const char *d0 = json_string_value(json_object_get(json_object_get(runs[0], "matrix"), "digest"));
		const char *di = json_string_value(json_object_get(json_object_get(runs[i], "matrix"), "digest"));
		if (!d0 || !di || strcmp(d0, di)) {
			buf_printf(&err, "%s ran another matrix (digest %s) than %s (digest %s): only shards "
					 "of one matrix merge",
				   argv[optind + (int)i], di ? di : "none", argv[optind], d0 ? d0 : "none");
			goto fail;
		}
		/* the same cells run otherwise give other results: not one run */
		struct buf what = {0};
		if (i && run_header_disagree(runs[0], runs[i], &what)) {
			buf_printf(&err, "%s and %s were not run alike: %s; only shards run with the same "
					 "oomlab, accelerator, cold or warm starts and kernels merge (docs/ci.md)",
				   argv[optind], argv[optind + (int)i], what.data);
			buf_free(&what);
			goto fail;
		}
	}
	first = runs[0];
	mcopy = xasprintf("%s/matrix.json", argv[optind]);
	if (matrix_load(mcopy, &m, &err) < 0)
		goto fail;
	if (path_is_symlink(out) || path_is_symlink(out_cells)) {
		buf_printf(&err, "%s is a symlink: a run is written only into a directory of its own",
			   path_is_symlink(out) ? out : out_cells);
		goto fail;
	}
	if (mkdir_p(out_cells, 0755) < 0) {
		buf_printf(&err, "cannot create %s: %s", out_cells, strerror(errno));
		goto fail;
	}
	free(mcopy);
	mcopy = xasprintf("%s/matrix.json", out);
	char *src_m = xasprintf("%s/matrix.json", argv[optind]);
	int cr = copy_file(src_m, mcopy);
	free(src_m);
	if (cr < 0) {
		buf_printf(&err, "cannot write %s: %s", mcopy, strerror(errno));
		goto fail;
	}

	json_t *rows = json_array();
	json_t *from = json_array();
	double wall = 0;
	const char *started = NULL, *ended = NULL;
	int interrupted = 0;
	for (size_t i = 0; i < n_dirs; i++) {
		const char *dir = argv[optind + (int)i];
		json_array_append_new(from, json_string(dir));
		double w = json_number_value(json_object_get(runs[i], "wall_s"));
		if (w > wall)
			wall = w;
		const char *s = json_string_value(json_object_get(runs[i], "started"));
		const char *e = json_string_value(json_object_get(runs[i], "ended"));
		if (s && (!started || strcmp(s, started) < 0))
			started = s;
		if (e && (!ended || strcmp(e, ended) > 0))
			ended = e;
		if (json_is_true(json_object_get(runs[i], "interrupted")))
			interrupted = 1;
		size_t k;
		json_t *row;
		json_array_foreach(json_object_get(runs[i], "cells"), k, row) {
			const char *id = json_string_value(json_object_get(row, "id"));
			size_t j;
			json_t *seen;
			json_array_foreach(rows, j, seen) {
				if (id && !strcmp(id, json_string_value(json_object_get(seen, "id")))) {
					buf_printf(&err, "cell %s is in more than one of the run dirs (%s again): "
							 "were the shards' K/N right?",
						   id, dir);
					json_decref(rows);
					json_decref(from);
					goto fail;
				}
			}
			if (copy_cell(dir, out, row, &err) < 0) {
				json_decref(rows);
				json_decref(from);
				code = EXIT_BROK;
				goto fail;
			}
			json_array_append(rows, row);
		}
	}
	/* cells of the matrix that no shard ran */
	json_t *missing = json_array();
	for (size_t c = 0; c < m.n_cells; c++) {
		int found = 0;
		size_t j;
		json_t *row;
		json_array_foreach(rows, j, row)
			if (!strcmp(m.cells[c].id, json_string_value(json_object_get(row, "id"))))
				found = 1;
		if (!found)
			json_array_append_new(missing, json_string(m.cells[c].id));
	}

	merged = json_object();
	json_object_set_new(merged, "format", json_string(RUN_FORMAT));
	json_object_set(merged, "tool", json_object_get(first, "tool"));
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	char ts[32];
	strftime(ts, sizeof ts, "%Y%m%d-%H%M%S", &tm);
	char *run_id = xasprintf("%s-merged-%s", m.name, ts);
	json_object_set_new(merged, "run_id", json_string(run_id));
	free(run_id);
	json_object_set(merged, "matrix", json_object_get(first, "matrix"));
	json_object_set(merged, "host", json_object_get(first, "host"));
	json_object_set(merged, "options", json_object_get(first, "options"));
	/* every kernel a shard booted (they agree on those they share) */
	if (json_is_array(json_object_get(first, "kernels"))) {
		json_t *kernels = json_deep_copy(json_object_get(first, "kernels"));
		for (size_t i = 1; i < n_dirs; i++)
			kernels_add_new(kernels, json_object_get(runs[i], "kernels"));
		json_object_set_new(merged, "kernels", kernels);
	}
	json_object_set_new(merged, "merged_from", from);
	json_object_set_new(merged, "started", json_string(started ? started : ""));
	if (ended)
		json_object_set_new(merged, "ended", json_string(ended));
	json_object_set_new(merged, "interrupted", json_boolean(interrupted));
	json_object_set_new(merged, "wall_s", json_real(wall));
	json_object_set_new(merged, "cells_planned", json_integer((json_int_t)m.n_cells));
	json_object_set_new(merged, "missing", missing);
	json_object_set_new(merged, "cells", rows);
	rundir_summarize(merged);
	if (json_write_atomic(out_run, merged) < 0) {
		buf_printf(&err, "cannot write %s: %s", out_run, strerror(errno));
		code = EXIT_BROK;
		goto fail;
	}
	report_print_table(stdout, merged, want_color(1));
	printf("\nmerged %zu run dirs: %zu of %zu cells", n_dirs, json_array_size(rows), m.n_cells);
	if (json_array_size(missing))
		printf(", %zu missing (no shard ran them)", json_array_size(missing));
	printf("\nrun report:   %s\n", out_run);
	code = json_array_size(missing) || interrupted
		       ? EXIT_BROK
		       : (int)json_integer_value(json_object_get(merged, "exit_code"));
	if (report_write_views(out, NULL) < 0)
		code = EXIT_BROK;
	goto done;
fail:
	fprintf(stderr, "oomlab merge: %s\n", err.data ? err.data : "failed");
done:
	for (size_t i = 0; i < n_dirs; i++)
		json_decref(runs[i]);
	free(runs);
	json_decref(merged);
	matrix_free(&m);
	buf_free(&err);
	free(out_run);
	free(out_cells);
	free(mcopy);
	return code;
}
