/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A workload still running at the cell's deadline: was it still making
 * progress (the deadline was too short for this host: the harness's
 * problem, BROK) or had it stopped (a result about the kernel)? Decided
 * from its last /proc/PID/status samples. Pure. */
#ifndef OOMLAB_DEADLINE_H
#define OOMLAB_DEADLINE_H

#include <stddef.h>

#include "judge/collect.h"
#include "lib/vocab.h"

/* The samples looked at: the last DEADLINE_SAMPLES of the workload. */
#define DEADLINE_SAMPLES 5
/* Its memory (VmSize, or VmRSS + VmSwap) must have grown this much over
 * them, and grown at all over the last two steps. */
#define DEADLINE_MIN_RISE_KB 1024
/* The last sample must be this recent at the end (or two sample
 * intervals, when those are longer). */
#define DEADLINE_MAX_AGE_MS 1000

enum deadline_finding {
	DEADLINE_PROGRESS,  /* still growing when the deadline came */
	DEADLINE_NO_PROGRESS, /* not growing, or no recent samples to tell */
	DEADLINE_NO_EVIDENCE, /* the cell has no sample at all: the guest never ran */
};

struct deadline_evidence {
	enum deadline_finding finding;
	size_t n_samples;     /* samples of the workload in the window */
	double rise_mb;       /* growth over the window (the larger measure) */
	double window_s;      /* time the window spans */
	double age_s;         /* from the last sample to t_end, -1: no sample */
};

/* Look at w's last samples; t_end_us is when it stopped (its exit when
 * the agent killed it at the deadline, else the cell's last record). */
void deadline_evidence(const struct wl_obs *w, unsigned long long t_end_us,
		       struct deadline_evidence *e);

/* The one place that decides what a timeout means. A workload still
 * making progress at the deadline: BROK, "deadline too short for this
 * host: still making progress at N MB"; a cell without a single sample
 * (DEADLINE_NO_EVIDENCE, set by the caller): BROK too, nothing is known
 * about the kernel. Otherwise: FAIL, the kernel's result (oracle_why: why
 * the oracle disagrees with "timeout"). */
enum verdict deadline_verdict(const struct deadline_evidence *e, double mb_reached,
			      const char *oracle_why, char *why, size_t whysz);

#endif
