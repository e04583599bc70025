/* From observations to results: each workload's endpoint and MB reached,
 * the oracle's prediction, and PASS/FAIL/BROK/SKIP verdicts. Pure. */
#ifndef OOMLAB_OUTCOME_H
#define OOMLAB_OUTCOME_H

#include "collect.h"
#include "matrix.h"
#include "vm.h"

enum verdict { V_PASS, V_SKIP, V_FAIL, V_BROK }; /* ordered: worst last */

struct wl_outcome {
	const char *endpoint;     /* one of endpoint_names */
	double mb_reached;        /* -1 when unknown */
	const char *mb_source;    /* how mb_reached was derived */
	int oom_idx;              /* index into the cell's OOM events, -1 */
	const char *predicted;    /* the oracle's endpoint */
	const char *prediction_rule;
	enum verdict verdict;
	char why[256];
};

struct cell_outcome {
	const char *status;       /* ok, timeout, vm_panic, vm_lost, boot_error, interrupted */
	enum verdict verdict;
	char why[512];
	const struct kernlog *events; /* the log OOM events came from (kmsg, else console) */
	struct wl_outcome *wl;
	size_t n_wl;
};

void outcome_compute(const struct cell_spec *cs, const struct cell_obs *o,
		     const struct vm_result *vr, struct cell_outcome *out);
void cell_outcome_free(struct cell_outcome *c);
const char *verdict_name(enum verdict v);

/* The oracle: predicted endpoint of workload w from the knobs as read back
 * (falls back to the requested values). *rule says which rule applied. */
const char *oracle_endpoint(const struct cell_spec *cs, const struct cell_obs *o, size_t w,
			    const char **rule);

#endif
