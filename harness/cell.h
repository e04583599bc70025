/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Run one cell: build its initramfs and swap disk in a temp dir, boot the
 * VM, collect the stream, judge, and write the cell report. */
#ifndef OOMLAB_CELL_H
#define OOMLAB_CELL_H

#include <jansson.h>

#include "boot/kernels.h"
#include "lib/vocab.h"
#include "plan/matrix.h"

struct run_env {
	const char *run_id;
	const char *cells_dir;   /* where <id>.json, .console.log, .stream go */
	const char *agent_path;  /* static oomlab-agent */
	const char *wl_path;     /* static oomlab-wl */
	const char *wl32_path;   /* its 32-bit build, for m32 */
	const char *accel;       /* kvm / tcg */
	const char *tmp_root;    /* parent of the per-cell temp dir */
	int keep_tmp;
	int warm;                /* restore cells from a booted snapshot (snapshot.h); 0: --cold */
};

/* Returns the cell report (NULL only in a worker forked ahead of its turn
 * (lib/pool.h) that the run stopped before that turn: the cell did not
 * start and leaves nothing behind; else a cell the host could not even
 * start is reported as BROK with harness_error set). The report is also written
 * to <cells_dir>/<id>.json (atomically); *write_errno (if not NULL) is 0,
 * or the errno of a write that failed (disk full, over RLIMIT_FSIZE): of
 * that report, or of the cell's temp files (then the cell did not run). */
json_t *cell_execute(const struct run_env *env, const struct cell_spec *cs, size_t index,
		     const struct kernel_info *ki, int *write_errno);

/* The report of a cell that could not run at all: BROK with why as the
 * harness error and status (CS_HARNESS_ERROR: its worker process died;
 * CS_NOT_STARTED: it could not be started, --resume runs it), written like
 * any other. */
json_t *cell_report_broken(const struct run_env *env, const struct cell_spec *cs, size_t index,
			   const struct kernel_info *ki, enum cell_status status, const char *why,
			   int *write_errno);

#endif
