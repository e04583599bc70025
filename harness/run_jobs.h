/* SPDX-License-Identifier: GPL-2.0-or-later */
/* How many VMs a run starts at once: what the user asked (-j), else the
 * CPUs, never more than the cells to run, and only as many as fit in the
 * host's available memory. */
#ifndef OOMLAB_RUN_JOBS_H
#define OOMLAB_RUN_JOBS_H

#include <stddef.h>

#include "plan/matrix.h"

/* Host memory one QEMU (TCG) process needs besides its guest RAM: measured
 * ~150-200 MB RSS for a 256 MiB guest; rounded up. */
#define QEMU_OVERHEAD_MB 300

/* asked: -j (0: not given). A count that does not fit is lowered (and
 * said), or refused when asked or when not even one VM fits: then -1,
 * with why on stderr. Else 0 and *jobs. */
int run_jobs(long long asked, const struct matrix *m, const size_t *todo, size_t n_todo,
	     int *jobs);

/* How many VMs may wait ahead of their turn beside the jobs running
 * (lib/pool.h spares: restored and stopped, each holds QEMU and what the
 * guest's restore touched): as many as jobs, when the cells left are
 * more than the jobs and twice the VMs fit in the host's available
 * memory, else as many as fit (0: none). */
int run_spares(const struct matrix *m, const size_t *todo, size_t n_todo, int jobs);

#endif
