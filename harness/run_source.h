/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Where the matrix of `oomlab run` (and `oomlab plan`) comes from: a file,
 * standard input (`-`), or cells on the command line (`--cell`). Each is
 * loaded by the same loader and kept in the run dir as matrix.json, the
 * bytes it was loaded from, so a run can be repeated from its dir. */
#ifndef OOMLAB_RUN_SOURCE_H
#define OOMLAB_RUN_SOURCE_H

#include <getopt.h>
#include <jansson.h>
#include <stddef.h>

#include "lib/util.h"
#include "plan/matrix.h"

/* The operand that reads the matrix from standard input, and what
 * messages and run.json's matrix.path call it. */
#define SOURCE_STDIN_ARG "-"
#define SOURCE_STDIN_NAME "<stdin>"
/* How messages name the dir the files of such a matrix start from. */
#define SOURCE_BASE_NAMED "the current dir (a matrix from stdin or --cell has no dir of its own)"
/* Is path (run.json's matrix.path) one of a matrix without a file? */
int source_is_fileless(const char *path);

struct matrix_source {
	const char *path; /* a file (the operand): loaded from there */
	char *data;       /* else the bytes (stdin, or what --cell made) */
	size_t len;
	const char *name; /* the file in messages: path, <stdin> or --cell */
};

/* The options that make a matrix on the command line (run, plan):
 * --cell and --workload (parsed, plan/cellarg.h), --name, --timeout. */
struct source_args {
	json_t *cells, *workloads; /* NULL: none given */
	const char *name;
	long long timeout_s; /* 0: none */
};
enum { SOURCE_OPT_CELL = 900, SOURCE_OPT_WORKLOAD, SOURCE_OPT_NAME, SOURCE_OPT_TIMEOUT };
/* Their rows of a command's option table (struct cli_opt). */
#define SOURCE_CLI_OPTS                                                                                          \
	{"cell", required_argument, SOURCE_OPT_CELL, "'K=V ...'",                                                \
	 "instead of MATRIX: one cell of these knobs (ram_mb=256 swap_mb=128 ...); repeatable"},                 \
	{"workload", required_argument, SOURCE_OPT_WORKLOAD, "'W [K=V ...]'",                                    \
	 "with --cell: what runs in every cell, with its options (touch block_kb=64); repeatable"},              \
	{"name", required_argument, SOURCE_OPT_NAME, "NAME", "with --cell: the matrix's name (default cell)"},   \
	{"timeout", required_argument, SOURCE_OPT_TIMEOUT, "S", "with --cell: each cell's timeout_s (default 120)"}
/* One of them: 0, or -1 (said on stderr: exit 2). */
int source_arg(struct source_args *a, int key, const char *arg);
/* Why the operands (n of them) and these options do not agree, or NULL:
 * one MATRIX (or -), or --cell with --workload. */
const char *source_args_conflict(const struct source_args *a, int n_operands);
/* The source they give: --cell's document, else the operand. */
int source_from_args(struct matrix_source *s, const struct source_args *a, const char *operand, int fd,
		     struct buf *err);
void source_args_free(struct source_args *a);

/* The operand: a file, or "-" (read from fd, at most MATRIX_MAX_BYTES:
 * more is refused, naming the limit). 0, or -1 and one line in err. */
int source_open(struct matrix_source *s, const char *operand, int fd, struct buf *err);
/* The matrix document --cell and --workload made (cellarg_matrix; taken). */
void source_of_doc(struct matrix_source *s, json_t *doc);
/* Load it. A matrix without a file of its own names its files relative
 * to the current dir (unless o->base_dir says another). */
int source_load(const struct matrix_source *s, const struct matrix_opts *o, struct matrix *m, struct buf *err);
/* Its bytes into dst (the run dir's matrix.json). 0, or -1 with errno. */
int source_keep(const struct matrix_source *s, const char *dst);
void source_free(struct matrix_source *s);

#endif
