/* SPDX-License-Identifier: GPL-2.0-or-later */
/* oomlab compare, kernel findings: the titles of the findings of the
 * compared cells of two runs (their run.json rows' "findings"). A title
 * the new run has and the base lacks is a regression, unless the new
 * cells allowed it; a title gone from the new run is an improvement;
 * allowed titles are listed and decide nothing. */
#ifndef OOMLAB_COMPARE_FINDINGS_H
#define OOMLAB_COMPARE_FINDINGS_H

#include <jansson.h>
#include <stdio.h>

#include "reports/rundir.h"

/* Adds "findings" (shape in docs/compare.md) and the summary counts
 * findings_new and findings_gone to a comparison document whose cells are
 * made. Adds nothing when neither run records findings (runs of an older
 * oomlab compare as they did). */
void compare_findings(json_t *doc, const struct rundir *base, const struct rundir *nw);

/* How many titles regressed (new, not allowed). */
long long compare_findings_regressed(json_t *doc);

/* The titles of the document, one line each, after the table's details;
 * nothing when it has none. */
void compare_findings_print(FILE *f, json_t *doc, int color);

#endif
