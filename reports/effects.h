/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Knob effects of a sweep: for each swept knob (an axis of the matrix) and
 * each figure a cell report carries (the figures of compare,
 * reports/compare_stats.h), the figure's mean over the repeats at each of
 * the knob's values, with the repeats' 95% confidence interval (Student's
 * t, from GSL; none with one repeat), one series per combination of the
 * other knobs' values; and each workload's endpoints per value as counts.
 * Pure functions of the cell reports and the axes (docs/reports.md). */
#ifndef OOMLAB_EFFECTS_H
#define OOMLAB_EFFECTS_H

#include <jansson.h>
#include <stdio.h>

#include "reports/rundir.h"

/* The axes of the matrix a run dir was made from (the copy run.json's
 * "matrix" names, DIR/matrix.json): {knob: [values]}, NULL when it has
 * none (or cannot be read). The caller owns it. */
json_t *effects_axes(const struct rundir *r);

/* The effects of the axes (knobs with at least two values) over the cells:
 * {"knobs": [{"knob", "values": [...], "figures": [{"figure", "shown",
 * "unit", "workload" (name, or null for a figure of the cell), "series":
 * [{"label", "points": [{"value", "n", "mean", "ci_lo", "ci_hi"}]}]}],
 * "endpoints": [{"workload", "series": [{"label", "points": [{"value",
 * "n", "counts": {endpoint: k}}]}]}]}]}. A point without a value has n 0
 * and null mean; with one repeat the interval is null. A figure no cell
 * has is left out. NULL when no knob has two values. */
json_t *effects_of(json_t *cells, json_t *axes);

/* The text tables of effects_of's document (oomlab report DIR --effects). */
void effects_print(FILE *f, json_t *eff);

/* A value of an axis as text: strings as they are, others as JSON. */
char *effects_value_text(json_t *v);

#endif
