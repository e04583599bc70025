/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Workloads running together: what all of them held when the first of
 * them was OOM-killed must add up to the memory the oracle's rule 5 gives
 * the cell (MemAvailable + swap at start): a kill while they held much
 * less is an early kill, much more a late one. From their last
 * /proc/PID/status samples before the kill. Likewise under
 * overcommit_memory=2, what they had committed (VmSize) at the first
 * ENOMEM must add up to CommitLimit, less Committed_AS at start (rule 3).
 * Pure. Measured figures in docs/oracle.md ("Workloads together"). */
#ifndef OOMLAB_FIRSTKILL_H
#define OOMLAB_FIRSTKILL_H

#include <stddef.h>

#include "judge/collect.h"
#include "lib/vocab.h"

/* accepted: held / (MemAvailable + swap) within these */
#define FIRST_KILL_MIN 0.85
#define FIRST_KILL_MAX 1.15

struct first_kill {
	int found;          /* a workload was OOM-killed */
	size_t victim;      /* the first one */
	double held_mb;     /* VmRSS + VmSwap + VmPTE of the workloads alive then, from
			     * their last samples before the kill: a lower estimate */
	double held_max_mb; /* each last sample grown at its last rate up to the kill (a
			     * sample can be a second old under load): an upper estimate */
	double figure_mb;   /* MemAvailable + SwapTotal at start */
};

/* killed[i]: workload i ended oom_killed; keeps[i]: its memory outlives
 * it (shm's segment, tmpfs's file: the row's keep_opt), so it counts
 * after it exited too. */
void first_kill_measure(const struct cell_obs *o, const int *killed, const int *keeps, size_t n,
			struct first_kill *fk);

/* PASS, or FAIL with why filled: early when even held_max_mb is below
 * the range, late when held_mb is above it. */
enum verdict first_kill_verdict(const struct first_kill *fk, char *why, size_t whysz);

/* accepted: (Committed_AS at start + VmSize held) / CommitLimit within these */
#define FIRST_ENOMEM_MIN 0.90
#define FIRST_ENOMEM_MAX 1.10

struct first_enomem {
	int found;          /* a workload was refused by CommitLimit */
	size_t first;       /* the first one */
	double held_mb;     /* VmSize of the workloads alive then, from their last samples
			     * before its end: a lower estimate */
	double held_max_mb; /* each grown at its last rate up to its end: an upper one */
	double baseline_mb; /* Committed_AS at start: what rule 3 already charges */
	double figure_mb;   /* CommitLimit at start */
};

/* refused[i]: workload i ended enomem under overcommit_memory=2 (rule 3's
 * shared CommitLimit); keeps[i] as above. */
void first_enomem_measure(const struct cell_obs *o, const int *refused, const int *keeps, size_t n,
			  struct first_enomem *fe);

/* PASS, or FAIL with why filled: early when baseline + held_max_mb is
 * below the range, late when baseline + held_mb is above it. */
enum verdict first_enomem_verdict(const struct first_enomem *fe, char *why, size_t whysz);

#endif
