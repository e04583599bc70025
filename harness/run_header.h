/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The head of a new run's run.json (reports/run.schema.json): what ran
 * (tool, run id, matrix), where (host, accel), with which options, kernels
 * and shard, and when it started; no cell yet. --resume finishes a run as
 * its head says; merge joins only shards whose heads agree on what changes
 * results (run_header_disagree). */
#ifndef OOMLAB_RUN_HEADER_H
#define OOMLAB_RUN_HEADER_H

#include <jansson.h>

#include "lib/util.h"
#include "plan/matrix.h"

struct run_header_in {
	const char *run_id;
	const struct matrix *m;
	const char *accel;             /* kvm / tcg: what the cells run under */
	const char *kernel, *modules;  /* --kernel, --modules; NULL: not given */
	const char *accel_arg;         /* --accel as given: auto, kvm, tcg */
	int cold, keep_tmp;            /* --cold, --keep-tmp */
	const char *junit;             /* --junit FILE; NULL: not given */
	json_t *kernels;               /* kcache_record (run_kernels.h), taken; NULL: none */
	long long shard_k, shard_n;    /* the K-th of N slices; shard_n 0: all */
	const char *started;           /* UTC, 2024-01-31T12:00:00Z */
};

/* format, tool, run_id, matrix, host, options, kernels (if any), shard
 * (if any), started and an empty cells array, in that order. */
json_t *run_header(const struct run_header_in *in);

/* Do two runs (shards of one matrix) disagree on anything that changes
 * results: the tool's version, the matrix, the accelerator, cold or warm
 * starts, or a kernel both ran (kernels_disagree)? 1 with the field, the
 * value in a and the value in b in what ("host.accel: \"kvm\" and
 * \"tcg\""), else 0. A field one run records and the other does not
 * disagrees ("(not recorded)"). When a run records no "kernels" (an older
 * oomlab), options.kernel and options.modules as typed are compared. */
int run_header_disagree(json_t *a, json_t *b, struct buf *what);

/* Do two runs' "kernels" records disagree on a kernel both ran (the
 * default kernel with the default, another by its arg and modules): on its
 * package, version, release or image_sha256? 1 with the kernel, the field
 * and both values in what ("the default kernel's release: \"6.1.0-57-amd64\"
 * and \"6.1.0-58-amd64\""), else 0. A kernel only one names is no
 * disagreement (an invocation resolves only the kernels of its cells). */
int kernels_disagree(json_t *a, json_t *b, struct buf *what);

/* Add to record a the kernels of b it does not name yet. */
void kernels_add_new(json_t *a, json_t *b);

#endif
