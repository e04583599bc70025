// SPDX-License-Identifier: GPL-2.0-or-later
#include "vm/warm.h"
#include "proto/cellconf.h"
#include "vm/qmp.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define QMP_TIMEOUT_MS 10000
#define LOAD_TIMEOUT_MS 120000

void warm_ctx_init(struct warm_ctx *w, const char *state, const char *qmp_sock,
		   const char *ctl_sock, const char *conf)
{
	memset(w, 0, sizeof *w);
	w->state = state;
	w->qmp_sock = qmp_sock;
	w->ctl_sock = ctl_sock;
	w->frame = cellconf_frame(conf, &w->frame_len);
	w->ctl_fd = -1;
}

int warm_on_start(void *ctx, pid_t pid, struct buf *err)
{
	struct warm_ctx *w = ctx;
	struct qmp q = QMP_INIT;
	int fd = -1, rc = -1;
	(void)pid;
	double t0 = now_s();
	if (qmp_open(&q, w->qmp_sock, QMP_TIMEOUT_MS, err) < 0)
		goto out;
	fd = open(w->state, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		buf_printf(err, "cannot open the snapshot %s: %s", w->state, strerror(errno));
		goto out;
	}
	/* the state goes in as an fd (no shell, no path in a URI); the
	 * snapshot was saved stopped, so the loaded VM waits for cont */
	if (qmp_migration_events(&q, QMP_TIMEOUT_MS, err) < 0 ||
	    qmp_exec(&q, "getfd", json_pack("{s:s}", "fdname", "state"), fd, QMP_TIMEOUT_MS, NULL, err) < 0 ||
	    qmp_exec(&q, "migrate-incoming", json_pack("{s:s}", "uri", "fd:state"), -1, QMP_TIMEOUT_MS,
		     NULL, err) < 0 ||
	    qmp_wait_migration(&q, LOAD_TIMEOUT_MS, err) < 0 ||
	    qmp_exec(&q, "cont", NULL, -1, QMP_TIMEOUT_MS, NULL, err) < 0 ||
	    qmp_wait_event(&q, "RESUME", QMP_TIMEOUT_MS, NULL, err) < 0)
		goto out;
	w->resume_s = now_s() - t0;
	/* only now: no byte reaches the UART before its state is loaded */
	w->ctl_fd = unix_connect_wait(w->ctl_sock, QMP_TIMEOUT_MS, err);
	if (w->ctl_fd < 0)
		goto out;
	if (send_full(w->ctl_fd, w->frame, w->frame_len) < 0) {
		buf_printf(err, "cannot send the cell description: %s", strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (rc < 0)
		buf_printf(err, " (warm start from %s)", w->state);
	if (fd >= 0)
		close(fd);
	qmp_close(&q);
	return rc;
}

void warm_ctx_free(struct warm_ctx *w)
{
	if (!w)
		return;
	if (w->ctl_fd >= 0)
		close(w->ctl_fd);
	w->ctl_fd = -1;
	free(w->frame);
	w->frame = NULL;
}
