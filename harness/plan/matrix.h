/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Matrix files: what to run. A matrix lists cells (one VM each); each cell
 * has knob values (merged over `base`) and workloads. Format in docs/matrix.md. */
#ifndef OOMLAB_MATRIX_H
#define OOMLAB_MATRIX_H

#include <jansson.h>
#include <stddef.h>

#include "plan/knobs.h"
#include "lib/util.h"
#include "plan/spec.h"
#include "plan/wlreg.h"

/* The largest matrix file oomlab reads (bytes): bigger is refused. */
#define MATRIX_MAX_BYTES (4 * 1024 * 1024)

struct matrix {
	char *path;
	char *name;
	char *description;
	char *digest;             /* of the canonical matrix JSON (shards must agree) */
	int repeat;
	struct cell_spec *cells;  /* axes sweep first (last axis fastest), then include, cells */
	size_t n_cells;
};

/* Load and validate. On error returns -1 and err holds one message naming
 * the file, the JSON path and what is allowed. */
int matrix_load(const char *path, struct matrix *m, struct buf *err);
/* The same, with relative file paths (workload file options) resolved
 * against base_dir instead of the matrix file's own dir (--resume reads
 * the copy kept in the run dir). */
int matrix_load_from(const char *path, const char *base_dir, struct matrix *m, struct buf *err);
/* The same from the bytes of a matrix file in memory: name stands for the
 * file in messages and in m->path, relative file paths resolve against
 * base_dir. Errors as matrix_load's (a file that cannot be read aside). */
int matrix_load_buf(const char *name, const void *data, size_t len, const char *base_dir, struct matrix *m,
		    struct buf *err);
void matrix_free(struct matrix *m);

#endif
