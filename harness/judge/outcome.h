/* SPDX-License-Identifier: GPL-2.0-or-later */
/* From observations to results: each workload's endpoint and MB reached,
 * the oracle's prediction, and PASS/FAIL/BROK/SKIP verdicts. Pure. */
#ifndef OOMLAB_OUTCOME_H
#define OOMLAB_OUTCOME_H

#include "judge/collect.h"
#include "judge/findings.h"
#include "judge/oracle.h"
#include "judge/owner.h"
#include "judge/stall.h"
#include "lib/vocab.h"
#include "plan/matrix.h"
#include "vm/vm.h"

struct wl_outcome {
	enum endpoint endpoint;
	double mb_reached;        /* -1 when unknown */
	const char *mb_source;    /* how mb_reached was derived */
	int oom_idx;              /* index into the cell's OOM events, -1 */
	int uoom_idx;             /* index into the userspace killers' events (collect.h), -1 */
	struct prediction pred;   /* the oracle's (or the matrix's expect) */
	struct stall_report stall; /* the agent's stall record, measured (judge/stall.h) */
	enum verdict verdict;
	char why[256];
};

struct cell_outcome {
	enum cell_status status;
	enum verdict verdict;
	char why[512];
	const struct kernlog *events; /* the log OOM events came from (kmsg, else console) */
	struct oom_owners owners;     /* whose kill each of those events was */
	struct cell_findings findings; /* the kernel's findings, judged (judge/findings.h) */
	struct wl_outcome *wl;
	size_t n_wl;
};

/* The exit code of workload i's run that went well (its row's
 * ok_exit_opt), -1 when every exit is "exit". */
long long wl_ok_exit(const struct cell_spec *cs, size_t i);
/* 1 when exit code code of workload i is the endpoint failed. */
int wl_failed_code(const struct cell_spec *cs, size_t i, int code);

void outcome_compute(const struct cell_spec *cs, const struct cell_obs *o,
		     const struct vm_result *vr, struct cell_outcome *out);
void cell_outcome_free(struct cell_outcome *c);

/* The oracle's inputs for workload w: the knobs as read back (else as
 * requested, else the kernel's defaults) and meminfo at start. */
void oracle_inputs(const struct cell_spec *cs, const struct cell_obs *o, size_t w,
		   struct oracle_in *in);

/* The userspace OOM killer of the cell (together) for oracle_uoom_first:
 * its options, MemTotal and SwapTotal at start, the fastest sampled fill.
 * u->present 0 when the cell runs none. */
void uoom_inputs(const struct cell_spec *cs, const struct cell_obs *o, struct uoom_in *u);

#endif
