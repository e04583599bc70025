/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Warm start of one cell (host side): restore the snapshot into a fresh
 * QEMU started with -incoming defer, resume it, and hand the agent the
 * cell's description on the control port (protocol in cellconf.h). */
#ifndef OOMLAB_WARM_H
#define OOMLAB_WARM_H

#include <stddef.h>
#include <sys/types.h>

#include "lib/util.h"

struct warm_ctx {
	const char *state;     /* snapshot file */
	const char *qmp_sock, *ctl_sock;
	char *frame;           /* the framed cell description (owned) */
	size_t frame_len;
	int ctl_fd;            /* kept open while the VM runs; -1 */
	double resume_s;       /* host time from the restore request to the VM running */
};

/* conf: the cell.conf text. */
void warm_ctx_init(struct warm_ctx *w, const char *state, const char *qmp_sock,
		   const char *ctl_sock, const char *conf);
/* vm_spec.on_start: restore, resume, send the description. */
int warm_on_start(void *ctx, pid_t pid, struct buf *err);
/* Can be called twice. */
void warm_ctx_free(struct warm_ctx *w);

#endif
