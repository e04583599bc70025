/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The disk space a run can need, checked against the file systems before
 * the first cell (docs/running.md). A cell running has, in the temp dir,
 * its initramfs and its swap and data disks: sparse files that the guest
 * can fill to their size, and a disk that fills the host's file system
 * pauses QEMU, which would look like a hung kernel. In the results dir it
 * writes its console and stream files (capped: vm/capture.h) and its
 * report. -j cells run at once. Nothing of a running cell grows past
 * this: the disks are raw images of a fixed size (qemu refuses a write
 * past their end), and the logs are capped by their capture (qemu's own
 * log, 128 KiB at most, is within RUN_SPACE_INITRAMFS_EXTRA_MB). The results dir holds the finished cells
 * too, but a full results dir stops a run cleanly (exit 3, --resume), so
 * only what the cells running at once can write is asked for. */
#ifndef OOMLAB_RUN_SPACE_H
#define OOMLAB_RUN_SPACE_H

#include <stddef.h>
#include <sys/types.h>

#include "lib/util.h"
#include "plan/matrix.h"

/* Modules and host programs (stress-ng and its libraries) in an
 * initramfs, besides the guest programs and the files options name. */
#define RUN_SPACE_INITRAMFS_EXTRA_MB 32
/* A cell report (the series of a capped stream: ~750 bytes a sample). */
#define RUN_SPACE_REPORT_MB 16

/* What one cell can write in the temp dir (MiB). */
struct space_cell {
	long long initramfs, swap, data;
};

/* A file system and what is free on it for us (MiB). */
struct space_fs {
	const char *path; /* as the user gave it */
	long long free_mb;
	dev_t dev;
};

/* The temp dir of one cell (MiB); guest_mb: the guest programs. Pure. */
struct space_cell run_space_cell(const struct cell_spec *cs, long long guest_mb);
/* What one running cell can write in the results dir (MiB). */
long long run_space_results_mb(void);

/* jobs cells at once, each at most `cell` in tmp and results_mb in res:
 * 0 when both fit, else -1 and msg holds one line with the arithmetic
 * ("/tmp needs 6192 MiB (-j 2 x (initramfs 48 + swap 1024 + data 2048
 * MiB)) and has 3174 MiB free; ..."). Pure. */
int run_space_fits(int jobs, const struct space_cell *cell, long long results_mb,
		   const struct space_fs *tmp, const struct space_fs *res, struct buf *msg);

/* The check of a run: the biggest cell of todo, the guest programs, TMPDIR
 * (else /tmp) and outdir, statvfs. 0 or -1 (said on stderr). */
int run_space(const struct matrix *m, const size_t *todo, size_t n_todo, int jobs,
	      const char *outdir);

#endif
