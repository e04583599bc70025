// SPDX-License-Identifier: GPL-2.0-or-later
#include "vm/warm.h"
#include "proto/cellconf.h"
#include "proto/crc32.h"
#include "vm/qmp.h"
#include "lib/pool.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define QMP_TIMEOUT_MS 10000
#define LOAD_TIMEOUT_MS 120000

/* The context of a restore that sends frame (malloc'd, frame_len bytes). */
static void ctx_init(struct warm_ctx *w, const char *state, const char *qmp_sock,
		     const char *ctl_sock, char *frame, size_t frame_len)
{
	memset(w, 0, sizeof *w);
	w->state = state;
	w->qmp_sock = qmp_sock;
	w->ctl_sock = ctl_sock;
	w->frame = frame;
	w->frame_len = frame_len;
	w->ctl_fd = -1;
	w->state_fd = -1;
}

void warm_ctx_init(struct warm_ctx *w, const char *state, const char *qmp_sock,
		   const char *ctl_sock, const char *conf)
{
	size_t len = 0;
	char *frame = cellconf_frame(conf, &len);
	ctx_init(w, state, qmp_sock, ctl_sock, frame, len);
}

char *warm_probe_frame(const char *cmd, size_t *len)
{
	size_t n = strlen(cmd) + 1;
	size_t total = n < CTL_PROBE_BYTES ? CTL_PROBE_BYTES : n;
	char *body = xmalloc(total);
	memcpy(body, cmd, n - 1);
	body[n - 1] = '\n';
	/* padding: lines of '#', as a comment in a cell description */
	for (size_t i = n; i < total; i++)
		body[i] = (i - n) % 64 == 63 ? '\n' : '#';
	struct buf b = {0};
	buf_printf(&b, CTL_PROBE_MAGIC " %zu %08x\n", total, crc32_ieee(body, total));
	buf_append(&b, body, total);
	free(body);
	*len = b.len;
	return b.data;
}

void warm_ctx_init_probe(struct warm_ctx *w, const char *state, const char *qmp_sock,
			 const char *ctl_sock, const char *cmd)
{
	size_t len = 0;
	char *frame = warm_probe_frame(cmd, &len);
	ctx_init(w, state, qmp_sock, ctl_sock, frame, len);
}

int warm_ignore_shared(struct qmp *q, struct buf *err)
{
	return qmp_exec(q, "migrate-set-capabilities",
			json_pack("{s:[{s:s,s:b}]}", "capabilities", "capability", "x-ignore-shared", "state", 1), -1,
			QMP_TIMEOUT_MS, NULL, err);
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
	fd = w->state_fd >= 0 ? w->state_fd : open(w->state, O_RDONLY | O_CLOEXEC);
	w->state_fd = -1;
	if (fd < 0) {
		buf_printf(err, "cannot open the snapshot %s: %s", w->state, strerror(errno));
		goto out;
	}
	/* the state goes in as an fd (no shell, no path in a URI); the
	 * snapshot was saved stopped, so the loaded VM waits for cont */
	if (qmp_migration_events(&q, QMP_TIMEOUT_MS, err) < 0 ||
	    (w->ram_file && warm_ignore_shared(&q, err) < 0) ||
	    qmp_exec(&q, "getfd", json_pack("{s:s}", "fdname", "state"), fd, QMP_TIMEOUT_MS, NULL, err) < 0 ||
	    qmp_exec(&q, "migrate-incoming", json_pack("{s:s}", "uri", "fd:state"), -1, QMP_TIMEOUT_MS,
		     NULL, err) < 0 ||
	    qmp_wait_migration(&q, LOAD_TIMEOUT_MS, err) < 0)
		goto out;
	/* loaded and stopped: a worker forked ahead of its turn waits for
	 * it here, and the cell starts with cont */
	if (w->gate && pool_gate_pending()) {
		double g0 = pool_gate_waited_s();
		int gated = pool_gate_wait();
		w->paused_s = pool_gate_waited_s() - g0;
		w->standby = 1;
		w->turn_at = pool_turn_at();
		if (gated < 0) {
			buf_printf(err, "the run was stopped before this cell's turn");
			goto out;
		}
	}
	if (qmp_exec(&q, "cont", NULL, -1, QMP_TIMEOUT_MS, NULL, err) < 0 ||
	    qmp_wait_event(&q, "RESUME", QMP_TIMEOUT_MS, NULL, err) < 0)
		goto out;
	w->resume_s = now_s() - t0 - w->paused_s;
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

/* The line of in that starts with prefix (then ' ' or its end), or NULL. */
static const char *find_line(const struct buf *in, const char *prefix)
{
	size_t pl = strlen(prefix);
	for (size_t i = 0; i < in->len; i++) {
		if (i > 0 && in->data[i - 1] != '\n')
			continue;
		const char *nl = memchr(in->data + i, '\n', in->len - i);
		if (!nl)
			return NULL;
		if ((size_t)(nl - (in->data + i)) >= pl && !memcmp(in->data + i, prefix, pl) &&
		    (in->data[i + pl] == ' ' || in->data[i + pl] == '\n'))
			return in->data + i;
	}
	return NULL;
}

int warm_wait_line(int fd, double end, const char *prefix, char **line, struct buf *err)
{
	struct buf in = {0};
	int rc = -1;
	for (;;) {
		const char *l = in.data ? find_line(&in, prefix) : NULL;
		if (l) {
			*line = xstrndup(l, strcspn(l, "\n"));
			rc = 0;
			break;
		}
		int left = (int)((end - now_s()) * 1000);
		if (left <= 0) {
			buf_printf(err, "no %s line from the agent in time", prefix);
			break;
		}
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int r = poll(&p, 1, left);
		if (r < 0 && errno != EINTR) {
			buf_printf(err, "poll: %s", strerror(errno));
			break;
		}
		if (r <= 0)
			continue;
		char b[512];
		ssize_t n = read_retry(fd, b, sizeof b);
		if (n <= 0) {
			buf_printf(err, "the VM closed its control port before the agent's %s line", prefix);
			break;
		}
		/* keep only the last line begun: noise must not grow it */
		if (in.len > 4096) {
			const char *nl = memrchr(in.data, '\n', in.len);
			size_t keep = nl ? in.len - (size_t)(nl + 1 - in.data) : 0;
			memmove(in.data, in.data + in.len - keep, keep);
			in.len = keep > 4096 ? 0 : keep;
		}
		buf_append(&in, b, (size_t)n);
	}
	buf_free(&in);
	return rc;
}

char *warm_line_value(const char *line, const char *key)
{
	size_t kl = strlen(key);
	for (const char *p = line; p && *p;) {
		p += strspn(p, " ");
		size_t wl = strcspn(p, " ");
		if (wl > kl && !strncmp(p, key, kl) && p[kl] == '=')
			return xstrndup(p + kl + 1, wl - kl - 1);
		p += wl;
	}
	return NULL;
}

void warm_ctx_free(struct warm_ctx *w)
{
	if (!w)
		return;
	if (w->ctl_fd >= 0)
		close(w->ctl_fd);
	w->ctl_fd = -1;
	if (w->state_fd >= 0)
		close(w->state_fd);
	w->state_fd = -1;
	free(w->frame);
	w->frame = NULL;
}
