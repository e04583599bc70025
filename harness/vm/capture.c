// SPDX-License-Identifier: GPL-2.0-or-later
#include "vm/capture.h"
#include "lib/newfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK 65536
/* a pipe this big lets qemu print ~50 MB/s between two reads 20 ms apart
 * without waiting (best effort: the default 64 KiB otherwise) */
#define PIPE_SIZE (1 << 20)

void capture_init(struct capture *c)
{
	memset(c, 0, sizeof *c);
	c->rfd = c->wfd = c->out = c->ring = -1;
}

int capture_open(struct capture *c, const char *path, long long head_max, long long tail_max,
		 struct buf *err)
{
	capture_init(c);
	c->path = path;
	c->head_max = head_max > 0 ? head_max : 0;
	c->tail_max = tail_max > 0 ? tail_max : 0;
	/* a new file: never through a symlink planted at its name */
	c->out = file_replace(path, 0644);
	if (c->out < 0) {
		buf_printf(err, "cannot create %s: %s", path, strerror(errno));
		return -1;
	}
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		buf_printf(err, "cannot make a pipe for %s: %s", path, strerror(errno));
		close(c->out);
		c->out = -1;
		return -1;
	}
	c->rfd = p[0];
	c->wfd = p[1];
	fcntl(c->rfd, F_SETFL, O_NONBLOCK);
	(void)fcntl(c->wfd, F_SETPIPE_SZ, PIPE_SIZE);
	/* qemu inherits the write end (a worker runs one VM at a time, so no
	 * other child gets it before capture_started closes it) */
	fcntl(c->wfd, F_SETFD, 0);
	return 0;
}

char *capture_qemu_path(const struct capture *c)
{
	return xasprintf("/dev/fd/%d", c->wfd);
}

void capture_started(struct capture *c)
{
	if (c->wfd >= 0)
		close(c->wfd);
	c->wfd = -1;
}

static void note_err(struct capture *c, int e)
{
	if (!c->err)
		c->err = e ? e : EIO;
}

static int pwrite_full(int fd, const char *b, size_t n, off_t at)
{
	while (n > 0) {
		ssize_t w = pwrite(fd, b, n, at);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		b += w;
		n -= (size_t)w;
		at += w;
	}
	return 0;
}

/* The ring: an unnamed file in the file's dir (a named one, unlinked at
 * once, where O_TMPFILE is not supported). */
static int ring_open(struct capture *c)
{
	if (c->ring >= 0)
		return 0;
	const char *slash = strrchr(c->path, '/');
	char *dir = slash ? xstrndup(c->path, slash == c->path ? 1 : (size_t)(slash - c->path)) : xstrdup(".");
	c->ring = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (c->ring < 0) {
		char *t = xasprintf("%s/.capture-XXXXXX", dir);
		c->ring = mkostemp(t, O_CLOEXEC);
		if (c->ring >= 0)
			unlink(t);
		free(t);
	}
	free(dir);
	return c->ring >= 0 ? 0 : -1;
}

/* Keep n more bytes: the head while it is not full, then the ring. */
static void keep(struct capture *c, const char *b, size_t n)
{
	if (c->total < c->head_max) {
		size_t h = (long long)n < c->head_max - c->total ? n : (size_t)(c->head_max - c->total);
		if (!c->err && write_full(c->out, b, h) < 0)
			note_err(c, errno);
		b += h;
		n -= h;
		c->total += (long long)h;
	}
	while (n > 0 && c->tail_max > 0) {
		long long at = (c->total - c->head_max) % c->tail_max;
		size_t k = (long long)n < c->tail_max - at ? n : (size_t)(c->tail_max - at);
		if (!c->err && (ring_open(c) < 0 || pwrite_full(c->ring, b, k, (off_t)at) < 0))
			note_err(c, errno);
		b += k;
		n -= k;
		c->total += (long long)k;
	}
	c->total += (long long)n; /* no tail kept: the rest is dropped */
}

long long capture_pump(struct capture *c, capture_seen_fn *seen, void *ctx)
{
	char b[CHUNK];
	long long got = 0;
	while (c->rfd >= 0 && got < CAPTURE_PUMP_MAX) {
		ssize_t n = read(c->rfd, b, sizeof b);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) /* empty for now (EAGAIN) or ended */
			break;
		if (seen)
			seen(ctx, b, (size_t)n);
		keep(c, b, (size_t)n);
		got += n;
	}
	return got;
}

void capture_feed(struct capture *c, const char *data, size_t len)
{
	keep(c, data, len);
}

void capture_drain(struct capture *c, capture_seen_fn *seen, void *ctx)
{
	while (capture_pump(c, seen, ctx) > 0)
		;
}

/* Append the ring's bytes [from, to) to the file. */
static int copy_ring(struct capture *c, long long from, long long to)
{
	char b[CHUNK];
	while (from < to) {
		size_t want = to - from < CHUNK ? (size_t)(to - from) : CHUNK;
		ssize_t n = pread(c->ring, b, want, (off_t)from);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		if (write_full(c->out, b, (size_t)n) < 0)
			return -1;
		from += n;
	}
	return 0;
}

static void write_tail(struct capture *c)
{
	long long past = c->total - c->head_max; /* bytes after the head */
	if (past <= 0 || c->err)
		return;
	long long kept = past < c->tail_max ? past : c->tail_max;
	c->dropped = past - kept;
	if (c->dropped) {
		char line[160];
		int n = snprintf(line, sizeof line, CAPTURE_DROPPED_FMT, c->dropped, c->head_max, c->tail_max);
		if (write_full(c->out, line, (size_t)n) < 0) {
			note_err(c, errno);
			return;
		}
	}
	if (!kept)
		return;
	/* the oldest byte of the ring is where the next one would go */
	long long start = past > c->tail_max ? past % c->tail_max : 0;
	if (copy_ring(c, start, kept) < 0 || copy_ring(c, 0, start) < 0)
		note_err(c, errno);
}

int capture_close(struct capture *c)
{
	capture_started(c);
	capture_drain(c, NULL, NULL);
	if (c->out >= 0) {
		write_tail(c);
		if (close(c->out) < 0)
			note_err(c, errno);
	}
	if (c->total > c->head_max + c->tail_max)
		c->dropped = c->total - c->head_max - c->tail_max;
	if (c->rfd >= 0)
		close(c->rfd);
	if (c->ring >= 0)
		close(c->ring);
	c->rfd = c->out = c->ring = -1;
	if (c->err) {
		errno = c->err;
		return -1;
	}
	return 0;
}
