/* SPDX-License-Identifier: GPL-2.0-or-later */
/* PSI triggers a cell registers on the guest's /proc/pressure/memory, or
 * on a memory cgroup's memory.pressure (Documentation/accounting/psi.rst,
 * "Monitoring for pressure thresholds", and its "Cgroup2 interface"):
 * "some" or "full" stall of stall_ms within a window of window_ms; the
 * kernel takes windows of 500 ms to 10 s and a stall of at most the
 * window. In a matrix file, a cell's (or the top level's)
 *
 *   "psi_triggers": [{"kind": "some", "stall_ms": 150, "window_ms": 1000},
 *                    {"kind": "some", "stall_ms": 50, "window_ms": 1000, "cgroup": "app"}, ...]
 *
 * at most PSI_TRIGGERS_MAX of them. Whether "cgroup" names a group of the
 * cell is the matrix's check (plan/matrix.c), not this parser's. Pure. */
#ifndef OOMLAB_PSITRIG_H
#define OOMLAB_PSITRIG_H

#include <jansson.h>
#include <stddef.h>

#include "lib/util.h"

#define PSI_TRIGGERS_MAX 8
#define PSI_WINDOW_MIN_MS 500
#define PSI_WINDOW_MAX_MS 10000

struct psi_trigger {
	int full;                   /* 0: "some", 1: "full" */
	long long stall_ms, window_ms;
	char *cgroup;               /* a group of the cell ("app/db"), NULL: the system */
};

/* v: the "psi_triggers" array. 0 with *out (psi_triggers_free; NULL when empty)
 * and *n, or -1 with *where (malloc'ed: the key below the array that is
 * wrong, "" for the array itself, e.g. "[1].window_ms") and why (one
 * line naming what is allowed). */
int psi_triggers_parse(json_t *v, struct psi_trigger **out, size_t *n, char **where,
		       struct buf *why);

void psi_triggers_free(struct psi_trigger *t, size_t n);

/* "some" / "full" */
const char *psi_trigger_kind(const struct psi_trigger *t);

#endif
