/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The head of a new run's run.json (reports/run.schema.json): what ran
 * (tool, run id, matrix), where (host, accel), with which options and
 * shard, and when it started; no cell yet. */
#ifndef OOMLAB_RUN_HEADER_H
#define OOMLAB_RUN_HEADER_H

#include <jansson.h>

#include "plan/matrix.h"

struct run_header_in {
	const char *run_id;
	const struct matrix *m;
	const char *accel;             /* kvm / tcg */
	const char *kernel, *modules;  /* --kernel, --modules; NULL: not given */
	long long shard_k, shard_n;    /* the K-th of N slices; shard_n 0: all */
	const char *started;           /* UTC, 2024-01-31T12:00:00Z */
};

/* format, tool, run_id, matrix, host, options, shard (if any), started
 * and an empty cells array, in that order. */
json_t *run_header(const struct run_header_in *in);

#endif
