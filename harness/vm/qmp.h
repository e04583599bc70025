/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A small client for QEMU's machine protocol (QMP) on a unix socket: the
 * warm start drives stop / migrate / migrate-incoming with it. One JSON
 * object per line each way; events that arrive while a command waits for
 * its answer are kept for qmp_wait_event. Every wait has a timeout. */
#ifndef OOMLAB_QMP_H
#define OOMLAB_QMP_H

#include <jansson.h>

#include "lib/util.h"

struct qmp {
	int fd;
	struct buf in;    /* bytes read, not yet a whole line */
	json_t *events;   /* events seen while waiting for something else */
};

/* Connect to a unix socket, retrying while it does not exist yet (QEMU
 * creates it as it starts) until timeout_ms. Returns the fd or -1 (err). */
int unix_connect_wait(const char *path, int timeout_ms, struct buf *err);

/* Connect, read the greeting, negotiate capabilities. 0 or -1 (err). */
int qmp_open(struct qmp *q, const char *path, int timeout_ms, struct buf *err);

/* Run cmd with args (stolen; NULL: none). pass_fd >= 0 goes along with
 * the command as SCM_RIGHTS (for getfd). *ret (if not NULL) gets the
 * "return" value (new reference). 0, or -1 with err (QEMU's error text, a
 * timeout, or a closed socket). */
int qmp_exec(struct qmp *q, const char *cmd, json_t *args, int pass_fd, int timeout_ms,
	     json_t **ret, struct buf *err);

/* Wait for an event named name (one already seen counts). *ev (if not
 * NULL) gets it. 0, or -1 with err. */
int qmp_wait_event(struct qmp *q, const char *name, int timeout_ms, json_t **ev, struct buf *err);

/* Ask for MIGRATION events (before migrate / migrate-incoming). */
int qmp_migration_events(struct qmp *q, int timeout_ms, struct buf *err);
/* Wait for the MIGRATION event with status completed; failed is an error. */
int qmp_wait_migration(struct qmp *q, int timeout_ms, struct buf *err);

/* One message from QEMU as JSON: with every number read as a real when
 * one integer does not fit in 64 signed bits (QEMU prints unsigned ones). */
json_t *qmp_parse(const char *s, size_t n, json_error_t *je);

/* Accepts a struct that was never opened (fd 0 after memset is avoided:
 * callers start with QMP_INIT), and can be called twice. */
#define QMP_INIT {.fd = -1}
void qmp_close(struct qmp *q);

#endif
