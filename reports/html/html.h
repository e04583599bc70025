/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The HTML report of a run (oomlab report --html, and by default beside
 * run.json after oomlab run) and of a comparison (oomlab compare --html):
 * one self-contained file a person can read without the JSON. */
#ifndef OOMLAB_HTML_H
#define OOMLAB_HTML_H

#include <jansson.h>

#include "lib/util.h"
#include "reports/rundir.h"

/* Plots and a section per cell are drawn for every cell up to this many;
 * beyond, for FAIL and BROK cells only (the page stays small enough to
 * open). */
#define HTML_MAX_CELL_SECTIONS 300

/* The page of a loaded run. file_base: how the page reaches files of the
 * run dir ("" beside run.json; see html_link_base). */
void report_html_run(struct buf *out, const struct rundir *r, const char *file_base);

/* The page of a comparison document (compare_runs) of runs a and b. */
void report_html_compare(struct buf *out, const struct rundir *a, const struct rundir *b, json_t *doc);

/* Write the page of a loaded run to path, its links made relative to
 * path's directory. 0, or -1 with a message in err. */
int report_write_html(const struct rundir *r, const char *path, struct buf *err);

#endif
