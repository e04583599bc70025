/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A cell's behaviour signature, the signal `oomlab fuzz-knobs` is guided
 * by (docs/fuzzing.md): what kind of thing the kernel did in the cell, in
 * coarse words that stay the same from run to run of the same cell and
 * change when the kernel takes another path. Taken from a cell report
 * (reports/cell.schema.json), one line per item, in this order:
 *
 *   endpoints  the set of name:endpoint of its workloads (sorted, once each)
 *   oom        the first OOM event: its kind, constraint, gfp flags and
 *              order ("oom -" when there was none)
 *   rule       per workload: name:endpoint: the oracle rule that decided,
 *              up to its first ':' with every number as N
 *   victim     the first OOM kill's victim: largest (the workload with the
 *              most RSS + swap + page tables of those alive), not-largest,
 *              not-workload, or "-" (no kill)
 *   findings   the titles of its kernel findings, sorted, once each (the
 *              line only when it has any)
 *   stall      yes when a workload ended stalled, else no
 *   mb         per workload: the MB reached against its predicted range:
 *              far-below (< half the minimum), below, in, above, far-above
 *              (> twice the maximum), or "-" (no range or no MB)
 *   time       the first OOM kill after the first workload's start, in
 *              buckets of powers of 4 seconds: <1s 1-4s 4-16s 16-64s >=64s,
 *              or "-" (no kill)
 *
 * Its hash is the first 16 hex digits of the text's SHA-256. Pure. */
#ifndef OOMLAB_SIGNATURE_H
#define OOMLAB_SIGNATURE_H

#include <jansson.h>

#include "lib/util.h"

/* The signature of cell report rep appended to out (lines ending in '\n'). */
void signature_text(json_t *rep, struct buf *out);
/* The hash of a signature text: 16 hex digits and a NUL. */
void signature_hash(const char *text, char out[17]);

/* The bucket words, for the docs and the tests. */
const char *signature_mb_bucket(double mb, double mb_min, double mb_max);
const char *signature_time_bucket(long long us);

#endif
