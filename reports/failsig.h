/* SPDX-License-Identifier: GPL-2.0-or-later */
/* "The same failure" that `oomlab minimize` keeps while it shrinks a
 * cell, taken from a cell report (reports/cell.schema.json):
 *
 *  - a kernel finding: the title of the first finding the cell does not
 *    allow (else, in a cell that allows all of its findings, the first
 *    one's title). Another report shows it when it has a finding of the
 *    same title (not allowed, when the first was not).
 *  - else a FAIL: the first workload whose verdict is FAIL, by its name,
 *    its endpoint and the shape of its verdict reason: the reason up to
 *    the rule in parentheses, every number as N ("ended exit, predicted
 *    enomem"; "ended oom_killed at N MB, predicted N..N MB"). Another
 *    report shows it when a workload of the same name FAILs with the same
 *    endpoint and shape: the MB reached and the predicted range vary from
 *    run to run and with the sizes minimize halves; which rule failed
 *    does not.
 *
 * Either way, what the cell allowed stays allowed: another report that
 * has a finding of a title the cell allowed, not allowed, does not show
 * the same failure (it fails for one more reason: minimize's `allow`
 * step removed an entry the cell needed).
 *
 * A report without a "findings" array has no findings. Pure. */
#ifndef OOMLAB_FAILSIG_H
#define OOMLAB_FAILSIG_H

#include <jansson.h>

#include "lib/util.h"

struct failsig {
	int finding;     /* 1: a kernel finding; 0: a workload's FAIL */
	int not_allowed; /* finding: it was not allowed */
	char *title;     /* finding: its title */
	char *workload;  /* FAIL: the workload's name */
	char *endpoint;  /* FAIL: how it ended */
	char *shape;     /* FAIL: its verdict reason's shape */
	char **allowed;  /* the titles of the findings the cell allowed */
	size_t n_allowed;
};

/* The failure of the cell report rep: 0 and *s, or -1 and why (the cell
 * has no failure to keep: no finding and not FAIL). */
int failsig_of(json_t *rep, struct failsig *s, struct buf *why);
/* 1 when rep shows the failure s, else 0. */
int failsig_match(const struct failsig *s, json_t *rep);
/* One line for people: `kernel finding "TITLE"` or `workload touch ended
 * exit: "ended exit, predicted enomem"` (caller frees). */
char *failsig_text(const struct failsig *s);
/* The shape of a verdict reason (caller frees). */
char *failsig_shape(const char *reason);
void failsig_free(struct failsig *s);

#endif
