/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Cells from the command line (`oomlab run --cell 'ram_mb=256 swap_mb=128'
 * --workload touch`): each --cell is one cell, each --workload one workload
 * of every cell, and together they make a matrix document like any other
 * (docs/running.md#cells-from-the-command-line). Pure: text in, JSON out;
 * the matrix loader then checks every value as it checks a file's, so a
 * bad value gets the loader's message. */
#ifndef OOMLAB_CELLARG_H
#define OOMLAB_CELLARG_H

#include <jansson.h>

#include "lib/util.h"

/* What a matrix made from the command line is called in messages and in
 * run.json's matrix.path (its "file"). */
#define CELLARG_SOURCE "--cell"
/* Its name (the run id's start) without --name. */
#define CELLARG_DEFAULT_NAME "cell"

/* One --cell: KEY=VALUE words separated by blanks, each key a knob, a
 * group file (cgroup.<group>.<file>) or a key a cell takes (mode,
 * timeout_s, ...). A value is a JSON number when it is a decimal integer
 * and the key takes no string, JSON when it starts with '{' or '[', else a
 * string. A new object, or NULL and one line in err naming the word. */
json_t *cellarg_cell(const char *text, struct buf *err);
/* One --workload: its name, then KEY=VALUE words, each an option of the
 * workload or a key a workload takes (rlimit_as_mb, expect, ...). "touch"
 * alone is the string "touch". A new reference, or NULL and err. */
json_t *cellarg_workload(const char *text, struct buf *err);
/* The matrix document of cells and workloads (arrays, both taken): its
 * name (NULL: CELLARG_DEFAULT_NAME), timeout_s when timeout_s > 0. */
json_t *cellarg_matrix(json_t *cells, json_t *workloads, const char *name, long long timeout_s);
/* Its text as written into the run dir (caller frees): two-space indent,
 * a final newline. */
char *cellarg_text(json_t *matrix);

#endif
