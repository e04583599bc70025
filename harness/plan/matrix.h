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
/* The most cells a matrix may expand to unless --max-cells says more
 * (docs/matrix.md): a 10,000-cell run is ~40 h of TCG cells at -j 2 and
 * plans in under 1 s and ~25 MB (100,000: 3 s, 140 MB). More is more
 * often a mistake (a repeat over a big sweep) than a plan, and would cost
 * the host's memory before the first cell. */
#define MATRIX_MAX_CELLS 10000
/* --max-cells may raise it this far (~13 GB to plan). */
#define MATRIX_MAX_CELLS_LIMIT 10000000LL

struct matrix {
	char *path;
	char *name;
	char *description;
	char *digest;             /* of the canonical matrix JSON (shards must agree) */
	int repeat;
	struct cell_spec *cells;  /* axes sweep first (last axis fastest), then include, cells */
	size_t n_cells;
};

/* How a matrix is loaded; all zero: the defaults. */
struct matrix_opts {
	/* the dir of the files the matrix names (workload file options:
	 * relative paths start here and must stay in it, plan/hostfiles.h);
	 * NULL: the matrix file's own dir. --resume reads the copy kept in
	 * the run dir with the original matrix's dir here. */
	const char *base_dir;
	/* files outside it the user allowed (--allow-file, resolved) */
	const char *const *allow;
	size_t n_allow;
	/* the most cells it may expand to (--max-cells); 0: MATRIX_MAX_CELLS */
	long long max_cells;
	/* how messages name base_dir; NULL: "the matrix file's dir" (and
	 * its path when base_dir is given) */
	const char *base_named;
};

/* The keys a cell object takes besides knobs, and those of a workload
 * object (NULL-terminated; docs/matrix.md). */
extern const char *const matrix_cell_keys[];
extern const char *const matrix_wl_keys[];

/* Load and validate. On error returns -1 and err holds one message naming
 * the file, the JSON path and what is allowed. */
int matrix_load(const char *path, struct matrix *m, struct buf *err);
int matrix_load_opts(const char *path, const struct matrix_opts *o, struct matrix *m,
		     struct buf *err);
/* matrix_load_opts with only base_dir. */
int matrix_load_from(const char *path, const char *base_dir, struct matrix *m, struct buf *err);
/* The same from the bytes of a matrix file in memory: name stands for the
 * file in messages and in m->path, relative file paths resolve against
 * base_dir. Errors as matrix_load's (a file that cannot be read aside). */
int matrix_load_buf(const char *name, const void *data, size_t len, const char *base_dir, struct matrix *m,
		    struct buf *err);
/* The same with every option: o->base_dir NULL is the current dir (a
 * matrix read from stdin has no dir of its own). */
int matrix_load_buf_opts(const char *name, const void *data, size_t len, const struct matrix_opts *o,
			 struct matrix *m, struct buf *err);
void matrix_free(struct matrix *m);

#endif
