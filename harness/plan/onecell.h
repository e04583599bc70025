/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One cell of a matrix as a matrix of its own, in the normal form
 * `oomlab minimize` shrinks (plan/shrink.h): the top level keeps the
 * name, the description and the keys that are not about one cell (e.g.
 * "allow"); everything the cell is made of goes into cells[0]: base's
 * knobs under the cell's own, the workloads (as objects), mode,
 * timeout_s, sample_ms and psi_triggers, its name. axes, exclude,
 * include and repeat are gone. The cell it makes loads to the same cell
 * (its id aside, which repeat suffixes). Pure. */
#ifndef OOMLAB_ONECELL_H
#define OOMLAB_ONECELL_H

#include <jansson.h>
#include <stddef.h>

#include "plan/matrix.h"

/* root: the matrix file's JSON (as matrix_load read it); m: the same
 * file loaded; index: the cell (m->cells[index]). A new matrix, or NULL
 * when index is not a cell of m. */
json_t *onecell_of(json_t *root, const struct matrix *m, size_t index);

#endif
