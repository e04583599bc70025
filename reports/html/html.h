/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The HTML report of a run (oomlab report --html, and by default beside
 * run.json after oomlab run) and of a comparison (oomlab compare --html):
 * one self-contained file a person can read without the JSON. */
#ifndef OOMLAB_REPORT_HTML_H
#define OOMLAB_REPORT_HTML_H

#include "reports/compare.h"
#include "lib/util.h"

/* Plots and a section per cell are drawn for every cell up to this many;
 * beyond, for FAIL and BROK cells only (the page stays small enough to
 * open). */
#define HTML_MAX_CELL_SECTIONS 300

/* The page of a loaded run. file_base: how the page reaches files of the
 * run dir ("" beside run.json; see html_link_base). */
void report_html_run(struct buf *out, const struct cmp_run *r, const char *file_base);

/* The page of a comparison document (compare_runs) of runs a and b. */
void report_html_compare(struct buf *out, const struct cmp_run *a, const struct cmp_run *b, json_t *doc);

/* Write text to path atomically (temp file and rename). 0, or -1 with a
 * message naming the file in err. */
int report_write_text(const char *path, const struct buf *text, struct buf *err);

/* After a run or a merge: DIR/report.html and DIR/junit.xml, and the
 * JUnit XML to junit too (NULL: not), made from the run dir as written;
 * prints their paths, the page last. 0, or -1 after logging why. */
int report_write_views(const char *dir, const char *junit);

/* Write the page of a loaded run to path, its links made relative to
 * path's directory. 0, or -1 with a message in err. */
int report_write_html(const struct cmp_run *r, const char *path, struct buf *err);

#endif
