/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Short Markdown summaries for a CI job summary or a pull-request
 * comment: oomlab report DIR --markdown (the counts, the cells that FAIL
 * or are BROK, the kernel findings not allowed, the HTML page) and oomlab
 * compare --markdown (the counts, the regressions and changes with their
 * p-values where tested, the new kernel findings not allowed, the HTML
 * page). Pure: a document in, text out. */
#ifndef OOMLAB_MARKDOWN_H
#define OOMLAB_MARKDOWN_H

#include <jansson.h>

#include "lib/util.h"

/* Rows of a summary's table; the others are counted ("and N more"). */
#define MARKDOWN_MAX_ROWS 20

/* Text escaped for Markdown (CommonMark, GitHub's tables): ASCII
 * punctuation that could start markup gets a backslash, a control
 * character becomes a space. */
void markdown_esc(struct buf *b, const char *s);

/* The summary of a run report (run.json as rundir_load_run checks it);
 * html: where its HTML page is (NULL: not said). */
void markdown_run(struct buf *b, json_t *run, const char *html);

/* The summary of a comparison document (compare_runs); html: the page
 * compare --html wrote (NULL: not said). */
void markdown_compare(struct buf *b, json_t *doc, const char *html);

#endif
