/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The steps `oomlab minimize` shrinks a cell by, as a table: each row is
 * one kind of step, and makes the candidates of that kind from a one-cell
 * matrix in normal form (plan/onecell.h: everything of the cell in
 * cells[0], no base, no axes). A candidate is a new matrix with one thing
 * less (a workload, a group, a PSI trigger, a knob or an option back to
 * its default) or one value halved (a size, a duration, the timeout),
 * and a line saying what the step removed. Pure: JSON in, JSON out; the
 * runner (cmd_minimize.c) runs them and keeps those that still fail.
 * The rows and the order they are tried in: docs/findings.md. */
#ifndef OOMLAB_SHRINK_H
#define OOMLAB_SHRINK_H

#include <jansson.h>
#include <stddef.h>

#include "lib/util.h"

struct shrink_step {
	const char *name; /* the step's word in progress lines and notes */
	const char *help; /* what it does (the docs' table) */
	/* The n-th candidate of this kind made from m (not changed): a new
	 * matrix, and *note (cleared first) what it removed, e.g. "knob
	 * swappiness 100 -> default"; NULL when there is no n-th. The n-th
	 * candidate of the cell a step was accepted on is the next thing to
	 * try: after a removal the item that took the removed one's place,
	 * after a halving the same value again. */
	json_t *(*candidate)(json_t *m, size_t n, struct buf *note);
};

extern const struct shrink_step shrink_table[];
extern const size_t shrink_count;

/* The row named name, or NULL. */
const struct shrink_step *shrink_find(const char *name);

#endif
