/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The cell report: one jansson tree per cell from what was observed
 * (collect.h) and judged (outcome.h). The contract is
 * reports/cell.schema.json; the format word is CELL_FORMAT (lib/vocab.h). */
#ifndef OOMLAB_CELLREPORT_H
#define OOMLAB_CELLREPORT_H

#include <jansson.h>

#include "judge/collect.h"
#include "boot/kernels.h"
#include "plan/matrix.h"
#include "judge/outcome.h"
#include "vm/vm.h"

struct cell_ctx {
	const char *run_id;
	size_t index;
	const struct kernel_info *kernel;
	const char *accel;
	const char *append;
	const char *console_file;   /* basename, beside the cell json */
	const char *stream_file;
	/* bytes the capture did not keep (vm/capture.h): files.dropped */
	long long console_dropped, stream_dropped;
	const char *console_tail;   /* last lines of the console (may be NULL) */
	const char *harness_error;  /* the host could not run the cell (or NULL) */
	double wall_s;
};

json_t *report_cell(const struct cell_spec *cs, const struct cell_obs *o,
		    const struct cell_outcome *oc, const struct cell_ctx *cx);

#endif
