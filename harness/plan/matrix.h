/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Matrix files: what to run. A matrix lists cells (one VM each); each cell
 * has knob values (merged over `base`) and workloads. Format in README.md. */
#ifndef OOMLAB_MATRIX_H
#define OOMLAB_MATRIX_H

#include <jansson.h>
#include <stddef.h>

#include "plan/knobs.h"
#include "lib/util.h"
#include "plan/wlreg.h"

/* The largest matrix file oomlab reads (bytes): bigger is refused. */
#define MATRIX_MAX_BYTES (4 * 1024 * 1024)

/* One guest-side write: a knob of the table or a free-form sysctl. */
struct guest_set {
	char *name;  /* knob name, or "sysctl:vm.dirty_ratio" */
	char *path;  /* file in the guest */
	char *value; /* text written */
};

struct wl_spec {
	char *name;
	char **args;              /* "--block-kb", "1024", ... */
	size_t n_args;
	struct wl_file *files;    /* host files its options name, for the initramfs */
	size_t n_files;
	long long start_delay_ms; /* start this long after the cell's workloads begin */
	json_t *options;          /* as given (object), for the report */
	long long rlimit_as_mb;   /* KNOB_UNSET when not limited */
	long long oom_score_adj;  /* KNOB_UNSET when left alone */
	char *expect;             /* expected endpoint (a word of lib/vocab.h), or NULL: use the oracle */
};

struct cell_spec {
	char *id;                 /* stable, filename-safe */
	char *name;               /* human label */
	json_t *requested;        /* merged knob object as requested */
	long long ram_mb, swap_mb, cpus;
	int swap_zram;            /* swap on zram instead of a virtio-blk disk */
	char *kernel, *modules, *cmdline; /* NULL = default / none */
	struct guest_set *sets;
	size_t n_sets;
	struct wl_spec *wl;
	size_t n_wl;
	int sequence;             /* workloads one after another (else together) */
	int timeout_s, sample_ms;
	int repeat_index;         /* 1..repeat */
};

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
void matrix_free(struct matrix *m);

#endif
