/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The mutation operators of a guided `oomlab fuzz-knobs`, as a table:
 * each row makes a new cell from a corpus cell (a matrix cell object:
 * knobs, "cgroup.<g>.<file>" limits, "workloads" as objects) by one
 * change: a knob moved within the matrix's range, a workload added,
 * removed or re-optioned, a group limit halved or doubled, a start delay
 * shifted. Pure: JSON in, JSON out, the choices drawn from a splitmix64
 * state the caller seeds, so the same state gives the same cell. The
 * rows and what each changes: docs/fuzzing.md. */
#ifndef OOMLAB_MUTATE_H
#define OOMLAB_MUTATE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/util.h"

/* One knob of the search space: an integer range or a list to pick from. */
struct mut_axis {
	const char *knob;
	json_t *values; /* borrowed */
	int is_range;
	long long lo, hi;
};

/* What mutations may draw from: the matrix's axes and its workloads. */
struct mut_space {
	const struct mut_axis *ax;
	size_t n_ax;
	json_t *workloads; /* the matrix's "workloads" (names or objects), borrowed */
};

/* At most this many workloads in a mutated cell. */
#define MUT_MAX_WORKLOADS 6

struct mutation {
	const char *name; /* its word in sampled.json and progress lines */
	const char *help; /* what it changes (the docs' table) */
	/* A new cell from cell (not changed), and *note what changed, e.g.
	 * "swap_mb 0 -> 137"; NULL when the row does not apply to cell. */
	json_t *(*apply)(json_t *cell, const struct mut_space *sp, uint64_t *rng, struct buf *note);
};

extern const struct mutation mutate_table[];
extern const size_t mutate_count;

/* The next number of a splitmix64 sequence. */
uint64_t mutate_rand(uint64_t *state);
/* The row named name, or NULL. */
const struct mutation *mutate_find(const char *name);
/* One mutation of cell: a row drawn from rng, the next rows in turn when
 * it does not apply. The new cell, *used its row and *note what changed;
 * NULL when no row applies. */
json_t *mutate_cell(json_t *cell, const struct mut_space *sp, uint64_t *rng, const struct mutation **used,
		    struct buf *note);

#endif
