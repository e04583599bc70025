// SPDX-License-Identifier: GPL-2.0-or-later
#include "vm/qmp.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define CONNECT_RETRY_MS 20

int unix_connect_wait(const char *path, int timeout_ms, struct buf *err)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof a.sun_path) {
		buf_printf(err, "socket path %s is longer than %zu bytes", path, sizeof a.sun_path - 1);
		return -1;
	}
	strcpy(a.sun_path, path);
	double end = now_s() + timeout_ms / 1000.0;
	for (;;) {
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			buf_printf(err, "socket: %s", strerror(errno));
			return -1;
		}
		if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0)
			return fd;
		int e = errno;
		close(fd);
		/* not there yet (ENOENT) or not listening yet (ECONNREFUSED) */
		if ((e != ENOENT && e != ECONNREFUSED) || now_s() >= end) {
			buf_printf(err, "cannot connect to %s: %s", path, strerror(e));
			return -1;
		}
		struct timespec ts = {0, CONNECT_RETRY_MS * 1000000L};
		nanosleep(&ts, NULL);
	}
}

json_t *qmp_parse(const char *s, size_t n, json_error_t *je)
{
	json_t *j = json_loadb(s, n, 0, je);
	if (!j) /* an unsigned 64-bit value above INT64_MAX (a CPU property mask) */
		j = json_loadb(s, n, JSON_DECODE_INT_AS_REAL, je);
	return j;
}

/* Next whole line as JSON (NULL: none within the deadline, or EOF). */
static json_t *read_msg(struct qmp *q, double end, struct buf *err)
{
	for (;;) {
		char *nl = q->in.data ? memchr(q->in.data, '\n', q->in.len) : NULL;
		if (nl) {
			size_t n = (size_t)(nl - q->in.data) + 1;
			json_error_t je;
			json_t *j = qmp_parse(q->in.data, n, &je);
			memmove(q->in.data, q->in.data + n, q->in.len - n);
			q->in.len -= n;
			q->in.data[q->in.len] = 0;
			if (!j || !json_is_object(j)) {
				json_decref(j);
				buf_printf(err, "qmp: not a JSON object from qemu: %s", je.text);
				return NULL;
			}
			return j;
		}
		int left = (int)((end - now_s()) * 1000);
		if (left <= 0) {
			buf_printf(err, "qmp: no answer from qemu in time");
			return NULL;
		}
		struct pollfd p = {.fd = q->fd, .events = POLLIN};
		int r = poll(&p, 1, left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			continue; /* the deadline check above ends it */
		char b[4096];
		ssize_t got = read_retry(q->fd, b, sizeof b);
		if (got <= 0) {
			buf_printf(err, "qmp: qemu closed the connection%s%s", got < 0 ? ": " : "",
				   got < 0 ? strerror(errno) : "");
			return NULL;
		}
		buf_append(&q->in, b, (size_t)got);
	}
}

static int send_msg(struct qmp *q, json_t *msg, int pass_fd, struct buf *err)
{
	char *text = json_dumps(msg, JSON_COMPACT);
	struct buf line = {0};
	buf_printf(&line, "%s\n", text);
	free(text);
	size_t off = 0;
	int rc = 0;
	while (off < line.len) {
		struct iovec iov = {line.data + off, line.len - off};
		struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
		char cbuf[CMSG_SPACE(sizeof(int))];
		if (pass_fd >= 0 && off == 0) {
			memset(cbuf, 0, sizeof cbuf);
			mh.msg_control = cbuf;
			mh.msg_controllen = sizeof cbuf;
			struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
			c->cmsg_level = SOL_SOCKET;
			c->cmsg_type = SCM_RIGHTS;
			c->cmsg_len = CMSG_LEN(sizeof(int));
			memcpy(CMSG_DATA(c), &pass_fd, sizeof(int));
		}
		ssize_t n = sendmsg(q->fd, &mh, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			buf_printf(err, "qmp: cannot send to qemu: %s", strerror(errno));
			rc = -1;
			break;
		}
		off += (size_t)n;
	}
	buf_free(&line);
	return rc;
}

int qmp_exec(struct qmp *q, const char *cmd, json_t *args, int pass_fd, int timeout_ms,
	     json_t **ret, struct buf *err)
{
	json_t *msg = json_pack("{s:s}", "execute", cmd);
	if (args)
		json_object_set_new(msg, "arguments", args);
	int rc = send_msg(q, msg, pass_fd, err);
	json_decref(msg);
	if (rc < 0)
		return -1;
	double end = now_s() + timeout_ms / 1000.0;
	for (;;) {
		json_t *m = read_msg(q, end, err);
		if (!m) {
			buf_printf(err, " (waiting for %s)", cmd);
			return -1;
		}
		if (json_object_get(m, "event")) {
			json_array_append_new(q->events, m);
			continue;
		}
		json_t *e = json_object_get(m, "error");
		if (e) {
			buf_printf(err, "qmp %s: %s", cmd,
				   json_string_value(json_object_get(e, "desc")) ?: "error");
			json_decref(m);
			return -1;
		}
		if (ret)
			*ret = json_incref(json_object_get(m, "return"));
		json_decref(m);
		return 0;
	}
}

int qmp_wait_event(struct qmp *q, const char *name, int timeout_ms, json_t **ev, struct buf *err)
{
	double end = now_s() + timeout_ms / 1000.0;
	for (;;) {
		for (size_t i = 0; i < json_array_size(q->events); i++) {
			json_t *e = json_array_get(q->events, i);
			if (!strcmp(json_string_value(json_object_get(e, "event")) ?: "", name)) {
				if (ev)
					*ev = json_incref(e);
				json_array_remove(q->events, i);
				return 0;
			}
		}
		json_t *m = read_msg(q, end, err);
		if (!m) {
			buf_printf(err, " (waiting for the %s event)", name);
			return -1;
		}
		if (json_object_get(m, "event"))
			json_array_append_new(q->events, m);
		else
			json_decref(m); /* a late answer: nothing waits for it */
	}
}

int qmp_open(struct qmp *q, const char *path, int timeout_ms, struct buf *err)
{
	q->fd = -1;
	memset(&q->in, 0, sizeof q->in);
	q->events = json_array();
	q->fd = unix_connect_wait(path, timeout_ms, err);
	if (q->fd < 0)
		return -1;
	json_t *greet = read_msg(q, now_s() + timeout_ms / 1000.0, err);
	if (!greet || !json_object_get(greet, "QMP")) {
		if (greet)
			buf_printf(err, "qmp: %s did not greet with a QMP banner", path);
		json_decref(greet);
		return -1;
	}
	json_decref(greet);
	return qmp_exec(q, "qmp_capabilities", NULL, -1, timeout_ms, NULL, err);
}

void qmp_close(struct qmp *q)
{
	if (!q)
		return;
	if (q->fd >= 0)
		close(q->fd);
	q->fd = -1;
	buf_free(&q->in);
	json_decref(q->events);
	q->events = NULL;
}

int qmp_migration_events(struct qmp *q, int timeout_ms, struct buf *err)
{
	json_t *caps = json_pack("{s:[{s:s,s:b}]}", "capabilities", "capability", "events", "state", 1);
	return qmp_exec(q, "migrate-set-capabilities", caps, -1, timeout_ms, NULL, err);
}

int qmp_wait_migration(struct qmp *q, int timeout_ms, struct buf *err)
{
	double end = now_s() + timeout_ms / 1000.0;
	for (;;) {
		json_t *ev = NULL;
		int left = (int)((end - now_s()) * 1000);
		if (qmp_wait_event(q, "MIGRATION", left > 0 ? left : 1, &ev, err) < 0)
			return -1;
		const char *st = json_string_value(json_object_get(json_object_get(ev, "data"), "status"));
		int done = st && !strcmp(st, "completed"), failed = st && !strcmp(st, "failed");
		json_decref(ev);
		if (done)
			return 0;
		if (failed) {
			buf_printf(err, "qemu: the migration failed");
			return -1;
		}
	}
}
