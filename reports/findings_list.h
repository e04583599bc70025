/* SPDX-License-Identifier: GPL-2.0-or-later */
/* oomlab findings: the distinct kernel finding titles of one or more run
 * dirs, from the "findings" of their run.json rows alone (kind, title,
 * count, allowed: docs/findings.md). One JSON document (the --json output,
 * shape in docs/running.md); the table, the exit code and the findings
 * of the HTML run page are made from it. */
#ifndef OOMLAB_FINDINGS_LIST_H
#define OOMLAB_FINDINGS_LIST_H

#include <jansson.h>
#include <stdio.h>

#define FINDINGS_LIST_FORMAT "oomlab-findings/1"

/* The titles of runs[0..n) (run.json documents checked by rundir_load_run;
 * dirs[i] is where runs[i] is, used as given in the paths of the links).
 * Titles that some cell did not allow come first, then by the cells they
 * came in (most first), then by title. */
json_t *findings_list(json_t *const *runs, const char *const *dirs, size_t n);

/* 0 every finding allowed (or none), 1 a finding not allowed. */
int findings_list_exit_code(json_t *doc);

/* The table (one row per title), notes on runs that record no findings,
 * the summary line. */
void findings_list_print(FILE *f, json_t *doc, int color);

#endif
