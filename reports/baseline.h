/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Named reference runs in the cache (docs/compare.md#baselines): `oomlab
 * baseline save NAME DIR` keeps a copy of a finished run dir's reports
 * (run.json, matrix.json and the cell reports) under
 *   <cache>/baselines/<NAME>/<matrix digest>-<kernels>/
 * with baseline.json beside them, one entry per matrix digest and kernel
 * set (the sorted kernel releases of its cells, joined by '+'); saving
 * the same name, matrix and kernels again replaces the entry. `oomlab
 * compare --baseline NAME DIR` takes the entry of DIR's matrix digest: of
 * DIR's kernels when NAME has them, else NAME's only kernel set; an entry
 * of another digest (an older matrix) is refused with what was saved. */
#ifndef OOMLAB_REPORTS_BASELINE_H
#define OOMLAB_REPORTS_BASELINE_H

#include <jansson.h>

#include "lib/util.h"

/* A name is [a-z0-9][a-z0-9._-]*, at most 64 bytes. 1 when name is one. */
int baseline_name_ok(const char *name);

/* The kernel set of run.json run: the distinct kernel_release of its
 * cells, sorted, joined by '+' ("6.1.0-57-amd64"; "unknown" when no cell
 * has one). Caller frees. */
char *baseline_kernels(json_t *run);

/* Save the run dir dir as name. 0 (*where: the entry's dir, *replaced:
 * an entry was replaced), or -1 and err says why (nothing changed). */
int baseline_save(const char *name, const char *dir, char **where, int *replaced, struct buf *err);

/* The entry of name that a run (its run.json) compares against: 0 and
 * *dir, or -1 and err says why (no such name; no entry of the run's
 * matrix digest: what was saved; several kernel sets and none the run's). */
int baseline_find(const char *name, json_t *run, char **dir, struct buf *err);

/* Every entry: an array of baseline.json objects, each with "dir", by
 * name then saved time. */
json_t *baseline_list(void);

#endif
