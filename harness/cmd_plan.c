// SPDX-License-Identifier: GPL-2.0-or-later
/* oomlab plan MATRIX: the cells a matrix file expands to; runs nothing. */
#include "cli.h"
#include "run_source.h"
#include "plan/hostfiles.h"
#include "plan/knobs.h"
#include "plan/matrix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { OPT_ALLOW_FILE = 1000, OPT_MAX_CELLS, OPT_JSON };

static const struct cli_opt plan_opts[] = {
	{"allow-file", required_argument, OPT_ALLOW_FILE, "PATH",
	 "let file options name this file (or anything under this dir) outside the matrix's dir; repeatable"},
	{"max-cells", required_argument, OPT_MAX_CELLS, "N", "expand to at most N cells (default 10000)"},
	{"json", no_argument, OPT_JSON, NULL, "print the cells as one JSON document (reports/cli.schema.json)"},
	SOURCE_CLI_OPTS,
};

static const char synopsis[] =
	"oomlab plan MATRIX.json|- [--allow-file PATH]... [--max-cells N] [--json]   (print the expanded cells, run nothing)\n"
	"       oomlab plan --cell 'KNOB=V ...'... --workload 'W [OPT=V ...]'... [--name NAME] [--timeout S] [--json]";
const struct cmd_doc plan_doc = {synopsis, plan_opts, ARRAY_SIZE(plan_opts), NULL};

struct plan_args {
	char **allow;
	size_t n_allow;
	long long max_cells;
	int json;
	struct source_args src; /* --cell, --workload, --name, --timeout */
};

static int on_plan_opt(int key, const char *arg, void *ctx)
{
	struct plan_args *a = ctx;
	if (key == OPT_MAX_CELLS)
		return cli_max_cells(arg, &a->max_cells);
	if (key == OPT_ALLOW_FILE)
		return cli_allow_file(arg, &a->allow, &a->n_allow);
	if (key == OPT_JSON)
		return cli_set_flag(key, arg, &a->json);
	return source_arg(&a->src, key, arg);
}

static void print_value(struct buf *b, json_t *v)
{
	if (json_is_integer(v))
		buf_printf(b, "%lld", (long long)json_integer_value(v));
	else if (json_is_string(v))
		buf_printf(b, "%s", json_string_value(v));
	else {
		char *t = json_dumps(v, JSON_SORT_KEYS | JSON_COMPACT);
		buf_printf(b, "%s", t ? t : "?");
		free(t);
	}
}

static json_t *int_or_null(long long v)
{
	return v == KNOB_UNSET ? json_null() : json_integer(v);
}

/* The cells as JSON: what the table says, each value as the matrix typed it. */
static json_t *plan_json(const struct matrix *m)
{
	json_t *cells = json_array();
	for (size_t i = 0; i < m->n_cells; i++) {
		const struct cell_spec *cs = &m->cells[i];
		json_t *wls = json_array();
		for (size_t w = 0; w < cs->n_wl; w++) {
			json_t *args = json_array();
			for (size_t a = 0; a < cs->wl[w].n_args; a++)
				json_array_append_new(args, json_string(cs->wl[w].args[a]));
			json_array_append_new(wls, json_pack("{s:s,s:o,s:o,s:o,s:s?}", "name", cs->wl[w].name, "args",
							     args, "rlimit_as_mb", int_or_null(cs->wl[w].rlimit_as_mb),
							     "oom_score_adj", int_or_null(cs->wl[w].oom_score_adj),
							     "cgroup", cs->wl[w].cgroup));
		}
		json_array_append_new(cells, json_pack("{s:s,s:s,s:O,s:s,s:o}", "id", cs->id, "name", cs->name,
							"requested", cs->requested, "mode",
							cs->sequence ? "sequence" : "together", "workloads", wls));
	}
	return json_pack("{s:s,s:s,s:I,s:o}", "matrix", m->name, "digest", m->digest, "n_cells",
			 (json_int_t)m->n_cells, "cells", cells);
}

int cmd_plan(int argc, char **argv)
{
	struct plan_args pa = {0};
	int r = cli_parse(argc, argv, &plan_doc, on_plan_opt, &pa);
	const char *why = r ? NULL : source_args_conflict(&pa.src, argc - optind);
	if (why) {
		fprintf(stderr, "oomlab plan: %s\nusage: %s\n", why, synopsis);
		r = EXIT_USAGE;
	}
	struct matrix m;
	struct matrix_source src = {0};
	struct buf err = {0};
	struct matrix_opts o = {.allow = (const char *const *)pa.allow, .n_allow = pa.n_allow,
				.max_cells = pa.max_cells};
	if (!r && (source_from_args(&src, &pa.src, optind < argc ? argv[optind] : NULL, 0, &err) < 0 ||
		   source_load(&src, &o, &m, &err) < 0)) {
		fprintf(stderr, "oomlab: %s\n", err.data);
		r = EXIT_USAGE;
	}
	source_free(&src);
	buf_free(&err);
	source_args_free(&pa.src);
	hostfiles_allow_free(pa.allow, pa.n_allow);
	if (r)
		return r == 1 ? EXIT_OK : r;
	if (pa.json) {
		r = cli_print_json(plan_json(&m));
		matrix_free(&m);
		return r;
	}
	printf("# %s: %zu cells (matrix digest %s)\n", m.name, m.n_cells, m.digest);
	for (size_t i = 0; i < m.n_cells; i++) {
		const struct cell_spec *cs = &m.cells[i];
		struct buf b = {0};
		buf_printf(&b, "%s\t", cs->id);
		const char *key;
		json_t *v;
		int first = 1;
		json_object_foreach(cs->requested, key, v) {
			buf_printf(&b, "%s%s=", first ? "" : " ", key);
			print_value(&b, v);
			first = 0;
		}
		buf_printf(&b, "\t%s:", cs->sequence ? "sequence" : "together");
		for (size_t w = 0; w < cs->n_wl; w++) {
			buf_printf(&b, " %s", cs->wl[w].name);
			for (size_t a = 0; a < cs->wl[w].n_args; a++) {
				if (!strcmp(cs->wl[w].args[a], "--")) {
					/* trailing arguments, passed as they are */
					buf_printf(&b, " --");
					for (a++; a < cs->wl[w].n_args; a++)
						buf_printf(&b, " %s", cs->wl[w].args[a]);
					break;
				}
				buf_printf(&b, "%s%s", a % 2 ? "=" : " ", cs->wl[w].args[a]);
			}
			if (cs->wl[w].rlimit_as_mb != KNOB_UNSET)
				buf_printf(&b, " rlimit_as_mb=%lld", cs->wl[w].rlimit_as_mb);
			if (cs->wl[w].oom_score_adj != KNOB_UNSET)
				buf_printf(&b, " oom_score_adj=%lld", cs->wl[w].oom_score_adj);
			if (cs->wl[w].cgroup)
				buf_printf(&b, " cgroup=%s", cs->wl[w].cgroup);
			if (w + 1 < cs->n_wl)
				buf_printf(&b, ",");
		}
		printf("%s\n", b.data);
		buf_free(&b);
	}
	matrix_free(&m);
	return EXIT_OK;
}
