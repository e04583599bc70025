/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Building blocks of oomlab's HTML pages (run report, comparison): the
 * page frame and its style sheet, verdict badges, endpoint classes, the
 * plots of one cell (or of matched cells of two runs drawn together),
 * links to files. Pages are self-contained: inline CSS and SVG, no script,
 * and a Content-Security-Policy that forbids scripts anyway. */
#ifndef OOMLAB_PAGE_H
#define OOMLAB_PAGE_H

#include <jansson.h>

#include "lib/util.h"

/* <!doctype html> ... <body>, with the title escaped. */
void html_begin(struct buf *b, const char *title);
void html_end(struct buf *b);

/* Escaped text of a JSON value: strings as they are, numbers, "-" for
 * null or missing. */
void html_val(struct buf *b, json_t *v);

/* <span class="badge v-PASS">PASS</span> (unknown verdicts: "?"). */
void html_verdict(struct buf *b, const char *verdict);

/* The CSS class and short label of an endpoint ("ep-oom", "OOM-killed";
 * unknown endpoints: "ep-none", "-"). */
const char *html_endpoint_class(const char *endpoint);
const char *html_endpoint_label(const char *endpoint);
/* The legend of endpoint classes. */
void html_endpoint_legend(struct buf *b);

/* href for a file of a run dir: base (a path ending in '/', or "") plus
 * rel, percent-encoded where needed and escaped for an attribute. */
void html_href(struct buf *b, const char *base, const char *rel);

/* The path from directory from to directory to ("" when the same, else
 * ending in '/'), from their real paths; an absolute path when either
 * cannot be resolved. Caller frees. */
char *html_link_base(const char *from_dir, const char *to_dir);

/* The plots of a cell: memory, commit, PSI, each workload's RSS and swap,
 * with markers at OOM kills and page allocation failures. With n > 1 (at
 * most 8) the cells (matched cells of runs labelled label[i]) share the
 * axes, the first solid, the others dashed, each drawn from the moment its
 * first workload started. */
void html_cell_plots(struct buf *b, json_t *const *cells, const char *const *label, size_t n);

/* One cell's section (id "cell-<id>"): workloads with prediction and
 * verdict, plots, OOM events, allocation failures, kernel log, knobs, and
 * links to the raw files under base. */
void html_cell_section(struct buf *b, json_t *cell, const char *file_base);

#endif
