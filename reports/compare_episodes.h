/* SPDX-License-Identifier: GPL-2.0-or-later */
/* oomlab compare, OOM episodes (docs/compare.md#oom-episodes): the
 * episodes of a matched cell's repeats on each side, and what of them is
 * a regression: more victims in one episode, slower reaping beyond a
 * tolerance, a double kill the base never had. */
#ifndef OOMLAB_COMPARE_EPISODES_H
#define OOMLAB_COMPARE_EPISODES_H

#include <jansson.h>
#include <stdio.h>

/* Floor of the tolerance on the slowest reaping, percent: the reaper
 * runs OOM_REAPER_DELAY (2 s) after a kill and then waits for the CPU,
 * which a TCG guest of one CPU shares with the victim's exit and the
 * next allocator; repeats of one cell differ by tenths of a second. */
#define COMPARE_REAP_TOL_PCT 25.0

/* How the episodes changed; compare.c gives each its cmp_status (and
 * the "status" word of *out). */
enum ep_change {
	EP_SAME,      /* CMP_SAME */
	EP_CHANGED,   /* CMP_CHANGED: reaped only in the new run */
	EP_REGRESSED, /* CMP_REGRESSED */
};

/* Compare the episodes of the base repeats b[0..nb) and the new ones
 * n[0..nn) (cell reports, BROK repeats left out). *out: the cell's
 * "oom_episodes" of the comparison document but its "status", or NULL
 * (and EP_SAME) when a repeat has no "oom_episodes" (a report of an
 * older oomlab): then nothing is said. */
enum ep_change compare_episodes(json_t *const *b, size_t nb, json_t *const *n, size_t nn, json_t **out);

/* The "what changed" line of a compared cell's episodes ("<cell>: OOM
 * episodes: <reasons>"), nothing when none changed. */
void compare_episodes_print(FILE *f, const char *cell, json_t *ep);

#endif
