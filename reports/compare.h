/* SPDX-License-Identifier: GPL-2.0-or-later */
/* oomlab compare: what changed between two runs of the same matrix (two
 * kernels, or two builds of one kernel). Cells are matched by their knobs
 * and workloads, never by position or id; cells with the same key in one
 * run are repeats. The result is one JSON document (the --json output);
 * the table and the exit code are computed from it. */
#ifndef OOMLAB_COMPARE_H
#define OOMLAB_COMPARE_H

#include <jansson.h>
#include <stdio.h>

#include "lib/util.h"
#include "reports/rundir.h"

#define COMPARE_FORMAT "oomlab-compare/1"
#define COMPARE_TOL_PCT 5.0       /* default --tolerance */
#define COMPARE_TIME_TOL_PCT 25.0 /* floor of the time-to-OOM tolerance */

/* git bisect run: 125 skips the commit; 128 and above abort the bisect. */
#define EXIT_BISECT_SKIP 125
#define EXIT_BISECT_ABORT 128

/* The matching key of a cell report: compact JSON with sorted keys of
 * {"knobs": requested without kernel and modules, "mode": vm.mode,
 *  "workloads": [{name, options, rlimit_as_mb, oom_score_adj}...]}.
 * Caller frees. */
char *compare_cell_key(json_t *cell);

/* The status of a matched cell, and of each workload of a compared cell.
 * The compared ones first, ranked: a cell is as changed as its most
 * changed workload (or a note: SKIP on one side only). */
enum cmp_status {
	CMP_SAME,
	CMP_CHANGED,   /* beyond a tolerance, not a regression (time to OOM, a SKIP) */
	CMP_REGRESSED, /* another endpoint, MB reached or OOM victim */
	CMP_ONLY_BASE, /* no cell with its key in the new run */
	CMP_ONLY_NEW,  /* no cell with its key in the base run */
	CMP_SKIPPED,   /* every repeat BROK on one side: nothing to compare */
	CMP_STATUS_COUNT
};

struct cmp_status_row {
	enum cmp_status status; /* its own index */
	const char *word;       /* "status" in the document, and its summary key */
	const char *shown;      /* in the table */
	const char *ansi;       /* its colour there, on a terminal */
	int compared;           /* the cell's workloads were compared (else it has a reason) */
	const char *html_class; /* of the status beside the cell's heading in HTML */
};

extern const struct cmp_status_row cmp_status_table[CMP_STATUS_COUNT];
/* NULL for NULL or a word that is no status. */
const struct cmp_status_row *cmp_status_find(const char *word);

struct cmp_opts {
	double tol_pct; /* MB tolerance floor, percent (default COMPARE_TOL_PCT) */
	int bisect;     /* exit_code in the document follows git bisect run */
	/* The tests (reports/compare_stats.h): 0 for the defaults */
	double alpha;       /* significance after Holm's correction (COMPARE_ALPHA) */
	int min_repeats;    /* repeats a side needs for a test (COMPARE_MIN_REPEATS) */
	int tolerance_only; /* the tolerance rule alone, no tests */
};

/* The comparison as one JSON document (format COMPARE_FORMAT; shape in
 * docs/compare.md). */
json_t *compare_runs(const struct rundir *base, const struct rundir *nw, const struct cmp_opts *o);

/* The exit code for a comparison document.
 * plain:  0 nothing regressed, 1 a regression, 3 nothing compared because
 *         of BROK, 2 nothing compared otherwise (no cell in common).
 * bisect: 1 a regression; else 125 when the new run cannot vouch for
 *         "good" (nothing compared, a BROK or SKIP cell in the new run, a
 *         base cell missing from it, an interrupted new run, an endpoint
 *         or victim that changed without being significant); else 0. */
int compare_exit_code(json_t *doc, int bisect);

/* The table, the details of every row that is not "same", the summary. */
void compare_print(FILE *f, json_t *doc, int color);

#endif
