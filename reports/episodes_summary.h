/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The counts of a cell's OOM episodes ("oom_episodes" of the cell report,
 * docs/episodes.md) that JUnit carries as properties and KCIDB in each of
 * the cell's tests' misc: one reading of the report for both. */
#ifndef OOMLAB_EPISODES_SUMMARY_H
#define OOMLAB_EPISODES_SUMMARY_H

#include <jansson.h>
#include <stddef.h>

struct ep_summary {
	size_t episodes;
	size_t victims;         /* n_victims summed */
	size_t collateral;      /* n_collateral summed */
	size_t double_kills;    /* episodes with a double_kill */
	size_t reap_failed;     /* victims the oom_reaper gave up on ("unable to reap") */
	long long slowest_reap_us; /* the largest episode reap_us; -1 none reaped */
};

/* The summary of cell's episodes: 1, or 0 (s zeroed, slowest -1) when the
 * cell has none (an empty array, or a report of an older oomlab). */
int episodes_summary(json_t *cell, struct ep_summary *s);

/* Its keys, in this order, as a JSON object: "episodes", "victims",
 * "collateral", "double_kills", "reap_failed", "slowest_reap_ms" (an
 * integer, rounded down; null when none was reaped). */
json_t *episodes_summary_json(const struct ep_summary *s);

#endif
