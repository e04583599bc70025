/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A run dir as its readers see it: DIR/run.json (format RUN_FORMAT,
 * reports/run.schema.json) and the cell reports its rows name (format
 * CELL_FORMAT, reports/cell.schema.json). One loader for every reader:
 * report, compare, merge and run --resume. Also the run report's rows,
 * counts and exit code, which oomlab run and merge make from the cell
 * reports as they arrive. */
#ifndef OOMLAB_RUNDIR_H
#define OOMLAB_RUNDIR_H

#include <jansson.h>

#include "lib/util.h"

/* One loaded run dir. */
struct rundir {
	char *dir;
	json_t *run;   /* run.json */
	json_t *cells; /* the cell reports, in run.json order */
};

/* DIR/run.json alone, checked: the right format, a cells array whose rows
 * each name a file inside the run dir and a cell id. NULL with a message
 * naming the file in err. */
json_t *rundir_load_run(const char *dir, struct buf *err);

/* One cell report, checked: the right format, and the parts the readers
 * use of the right types. NULL with a message naming the file in err. */
json_t *rundir_load_cell(const char *path, struct buf *err);

/* run.json and every cell report it lists. 0, or -1 with a message
 * naming the file in err (r is then empty). */
int rundir_load(const char *dir, struct rundir *r, struct buf *err);
/* Accepts NULL and a run freed before. */
void rundir_free(struct rundir *r);

/* The row of a cell in the run report (and the table): its id, verdict,
 * and per workload endpoint, prediction and MB reached. file: the cell
 * report's path inside the run dir. */
json_t *rundir_cell_row(json_t *cell, const char *file);

/* A run report's summary counts and exit_code from its rows, and the rows
 * sorted back into matrix order. */
void rundir_summarize(json_t *run);
/* The exit code of the worst verdict of its cells (lib/vocab.h): 0 all
 * PASS/SKIP, 1 a FAIL, 3 a BROK (BROK wins). */
int rundir_exit_code(json_t *run);

#endif
