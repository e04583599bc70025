/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The tested figures of a comparison document (compare_runs) as the
 * compare page's table of significant changes and the Markdown summary
 * list them: which figures are listed, how each is named and its
 * numbers written (as compare's text writes them: compare_stats.c). */
#ifndef OOMLAB_COMPARE_ROWS_H
#define OOMLAB_COMPARE_ROWS_H

#include <jansson.h>
#include <stddef.h>

/* A figure of a cell's "statistics" that the tables list: its verdict is
 * regressed or changed, or it is significant (and within its tolerance). */
int compare_row_listed(json_t *fig);

/* The test's raw p-value (Welch's, else Fisher's), or NULL: no test. */
json_t *compare_row_p(json_t *fig);

/* Its name: "MB reached", "endpoint", "<group> <counter>". */
void compare_row_label(char *out, size_t n, json_t *fig);


/* One side: "230.1 (2.2) 5" (mean, sd, n), or "5 of 5" for a count. */
void compare_row_side(char *out, size_t n, json_t *fig, const char *side);

/* The difference: "+21.7 [+19, +24.4]" (mean and 95% CI), "" for a count. */
void compare_row_diff(char *out, size_t n, json_t *fig);

/* The verdict as shown: "REGRESSED", "CHANGED", "same". */
const char *compare_row_verdict(json_t *fig);

/* Over the tested cells of doc: the figures listed, those without a test
 * (equal in every repeat), and the compared cells left to the tolerance
 * rule (fewer repeats than --min-repeats a side). */
struct compare_row_counts {
	size_t listed, untested, thin;
};
void compare_row_count(json_t *doc, struct compare_row_counts *c);

#endif
