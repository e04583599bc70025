/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The search page of `oomlab fuzz-knobs` (DIR/search.html, and `oomlab
 * report DIR --html` on its output dir): distinct behaviour signatures
 * and distinct kernel finding titles against cells run, drawn next to
 * another search of the same matrix (--against, e.g. a --random run with
 * the same seed and budget); then the signatures, the findings with their
 * reports, repro matrices and minimised reproducers, and every cell.
 * Inline SVG and CSS, no script (page.h). */
#ifndef OOMLAB_HTML_SEARCH_H
#define OOMLAB_HTML_SEARCH_H

#include <jansson.h>

#include "lib/util.h"

/* The page of sampled.json s, with base (another run's sampled.json, or
 * NULL) drawn next to it. A path in s under its "dir" is linked as
 * file_base plus the rest of the path (file_base: how the page reaches
 * that dir, "" beside sampled.json; see html_link_base); any other path
 * as it is. */
void report_html_search(struct buf *out, json_t *s, json_t *base, const char *file_base);

/* Write the page of s (read from dir, the fuzz-knobs output dir) to path,
 * its links relative to path's directory. 0, or -1 with a message in err. */
int report_write_search_html(json_t *s, json_t *base, const char *dir, const char *path, struct buf *err);

/* DIR/sampled.json, checked to be one (an object with a "cells" array and
 * a "search"): NULL with a message in err if not. */
json_t *search_load(const char *dir, struct buf *err);

#endif
