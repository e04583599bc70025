/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The top of the compare page (oomlab compare --html) for tested cells:
 * the table of significant changes (per figure: cell, workload, both
 * sides' means, the difference with its 95% confidence interval, the
 * p-value adjusted and raw, the verdict, a duration under TCG marked
 * noisy), then each listed figure's two distributions side by side with
 * every repeat a point (inline SVG). With no tested cell, one line: the
 * tolerance rule decided. */
#ifndef OOMLAB_HTML_CHANGES_H
#define OOMLAB_HTML_CHANGES_H

#include <jansson.h>

#include "lib/util.h"

/* The sections of a comparison document (compare_runs). */
void html_compare_changes(struct buf *b, json_t *doc);

/* One figure's plot: the repeats of base (A) and new (B) as points in two
 * columns, a bar at each side's mean (none for an endpoint or a victim,
 * whose values are rows). */
void html_dist_plot(struct buf *b, json_t *fig, const char *title);

#endif
