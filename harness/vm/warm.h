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
	int state_fd;          /* it, open (snapshot_open; closed here); -1: open it by name */
	int ram_file;          /* its RAM is a file QEMU maps (vm_spec.ram_path): x-ignore-shared */
	const char *qmp_sock, *ctl_sock;
	char *frame;           /* the framed cell description (owned) */
	size_t frame_len;
	int ctl_fd;            /* kept open while the VM runs; -1 */
	double resume_s;       /* host time from the restore request to the VM running,
				* without the wait for its turn */
	int gate;              /* a cell's restore: wait for the cell's turn (lib/pool.h)
				* before cont; 0: a snapshot's check, never waits */
	int standby;           /* restored ahead of its turn, it waited */
	double paused_s;       /* how long */
	double turn_at;        /* when its turn came (now_s()); 0: it did not wait:
				* vm_spec.on_start_turn_s points here */
};

/* conf: the cell.conf text. */
void warm_ctx_init(struct warm_ctx *w, const char *state, const char *qmp_sock,
		   const char *ctl_sock, const char *conf);
/* The same with a probe frame (cellconf.h: CTL_PROBE_ALIVE, ...) in place
 * of a cell description. */
void warm_ctx_init_probe(struct warm_ctx *w, const char *state, const char *qmp_sock,
			 const char *ctl_sock, const char *cmd);
/* A probe frame: cmd, a newline and padding up to CTL_PROBE_BYTES, framed
 * with CTL_PROBE_MAGIC (malloc'ed; *len its size). Pure. */
char *warm_probe_frame(const char *cmd, size_t *len);
/* Read lines from the control port fd until one starts with prefix
 * (followed by a space or the newline); it goes to *line (malloc'ed,
 * without the newline). Other lines and noise are skipped. Waits until
 * end (now_s() clock). 0, or -1 with err (timeout, closed port). */
int warm_wait_line(int fd, double end, const char *prefix, char **line, struct buf *err);
/* The value of "key=" in a line of space-separated key=value words
 * (malloc'ed; NULL: not there). Pure. */
char *warm_line_value(const char *line, const char *key);
/* Set the migration capability x-ignore-shared on q: RAM mapped from a
 * file with share=on is left out of the state saved (the snapshot's
 * build), and must be set on the side that loads it too (a restore). 0,
 * or -1 with err. */
struct qmp;
int warm_ignore_shared(struct qmp *q, struct buf *err);
/* vm_spec.on_start: restore, resume, send the description. */
int warm_on_start(void *ctx, pid_t pid, struct buf *err);
/* Can be called twice. */
void warm_ctx_free(struct warm_ctx *w);

#endif
