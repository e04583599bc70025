/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The check of a new warm-start snapshot (docs/warm-starts.md): restore it
 * into a fresh QEMU, resume it, send the agent an alive probe of a cell
 * description's size (cellconf.h) and see it answer, then see the guest
 * still run a moment later. A snapshot is used only after it passed
 * several of these. */
#ifndef OOMLAB_SNAPCHECK_H
#define OOMLAB_SNAPCHECK_H

#include "lib/util.h"
#include "vm/snapspec.h"

#define SNAPCHECK_GRACE_MS 500     /* the guest must still run this long after its answer */
#define SNAPCHECK_TIMEOUT_S 60     /* for the restore and the answer */

struct snap_check {
	int answered;      /* the agent answered the probe */
	int crashed;       /* the guest died (QEMU exited) or the console shows a crash */
	long tasks;        /* tasks started between the snapshot and the answer (-1: unknown) */
	double s;          /* host seconds it took */
	char *console;     /* when it failed: the console excerpt (lib/excerpt.h) */
};

/* Restore state (a snapshot of in; ram: its RAM file, mapped privately,
 * or NULL: the RAM is in the state) in dir (its disks, sockets, console
 * go there). 0 when the agent answered and the guest still ran
 * SNAPCHECK_GRACE_MS later; -1 with err saying what went wrong (and
 * out->console). */
int snapshot_check(const struct snap_inputs *in, const char *state, const char *ram, const char *dir,
		   struct snap_check *out, struct buf *err);
void snap_check_free(struct snap_check *c);

#endif
