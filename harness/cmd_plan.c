// SPDX-License-Identifier: GPL-2.0-or-later
/* oomlab plan MATRIX: the cells a matrix file expands to; runs nothing. */
#include "cli.h"
#include "plan/hostfiles.h"
#include "plan/knobs.h"
#include "plan/matrix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { OPT_ALLOW_FILE = 1000, OPT_MAX_CELLS };

static const struct cli_opt plan_opts[] = {
	{"allow-file", required_argument, OPT_ALLOW_FILE, "PATH",
	 "let file options name this file (or anything under this dir) outside the matrix's dir; repeatable"},
	{"max-cells", required_argument, OPT_MAX_CELLS, "N", "expand to at most N cells (default 10000)"},
};

static const char synopsis[] =
	"oomlab plan MATRIX.json [--allow-file PATH]... [--max-cells N]   (print the expanded cells, run nothing)";
const struct cmd_doc plan_doc = {synopsis, plan_opts, ARRAY_SIZE(plan_opts), NULL};

struct plan_args {
	char **allow;
	size_t n_allow;
	long long max_cells;
};

static int on_plan_opt(int key, const char *arg, void *ctx)
{
	struct plan_args *a = ctx;
	if (key == OPT_MAX_CELLS)
		return cli_max_cells(arg, &a->max_cells);
	if (key == OPT_ALLOW_FILE)
		return cli_allow_file(arg, &a->allow, &a->n_allow);
	return -1;
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

int cmd_plan(int argc, char **argv)
{
	struct plan_args pa = {0};
	int r = cli_parse(argc, argv, &plan_doc, on_plan_opt, &pa);
	if (!r && optind != argc - 1) {
		fprintf(stderr, "oomlab plan: expected one matrix file\nusage: %s\n", synopsis);
		r = EXIT_USAGE;
	}
	struct matrix m;
	struct buf err = {0};
	struct matrix_opts o = {.allow = (const char *const *)pa.allow, .n_allow = pa.n_allow,
				.max_cells = pa.max_cells};
	if (!r && matrix_load_opts(argv[optind], &o, &m, &err) < 0) {
		fprintf(stderr, "oomlab: %s\n", err.data);
		r = EXIT_USAGE;
	}
	buf_free(&err);
	hostfiles_allow_free(pa.allow, pa.n_allow);
	if (r)
		return r == 1 ? EXIT_OK : r;
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
