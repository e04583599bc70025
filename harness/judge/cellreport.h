/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Report building: one jansson tree per cell and one per run, written once
 * and atomically. The contract is reports/cell.schema.json and
 * reports/run.schema.json. */
#ifndef OOMLAB_REPORT_H
#define OOMLAB_REPORT_H

#include <jansson.h>
#include <stdio.h>

#include "judge/collect.h"
#include "boot/kernels.h"
#include "plan/matrix.h"
#include "judge/outcome.h"
#include "vm/vm.h"

#define CELL_FORMAT "oomlab-cell/1"
#define RUN_FORMAT "oomlab-run/1"

struct cell_ctx {
	const char *run_id;
	size_t index;
	const struct kernel_info *kernel;
	const char *accel;
	const char *append;
	const char *console_file;   /* basename, beside the cell json */
	const char *stream_file;
	const char *console_tail;   /* last lines of the console (may be NULL) */
	const char *harness_error;  /* the host could not run the cell (or NULL) */
	double wall_s;
};

json_t *report_cell(const struct cell_spec *cs, const struct cell_obs *o,
		    const struct cell_outcome *oc, const struct cell_ctx *cx);

/* The row of a cell in the run report (and the table). */
json_t *report_cell_summary(json_t *cell, const char *file);

/* A run report's summary counts and exit_code from its rows, and the rows
 * sorted back into matrix order. */
void run_summarize(json_t *run);
/* 0 all PASS/SKIP, 1 a FAIL, 3 a BROK (BROK wins). */
int run_exit_code(json_t *run);

/* Print the results table of a run report. color: ANSI colours. */
void report_print_table(FILE *f, json_t *run, int color);

#endif
