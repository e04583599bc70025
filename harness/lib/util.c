// SPDX-License-Identifier: GPL-2.0-or-later
#include "lib/util.h"
#include "lib/newfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void oom_abort(size_t n)
{
	fprintf(stderr, "oomlab: out of memory allocating %zu bytes\n", n);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom_abort(n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom_abort(n * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom_abort(n);
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	va_start(ap, fmt);
	int r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0)
		oom_abort(0);
	return s;
}

void buf_append(struct buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		b->data = xrealloc(b->data, cap);
		b->cap = cap;
	}
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = 0;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;
	va_start(ap, fmt);
	int r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0)
		oom_abort(0);
	buf_append(b, s, (size_t)r);
	free(s);
}

void buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

ssize_t read_retry(int fd, void *buf, size_t len)
{
	ssize_t r;
	do
		r = read(fd, buf, len);
	while (r < 0 && errno == EINTR);
	return r;
}

int buf_read_fd(struct buf *b, int fd)
{
	char tmp[65536];
	ssize_t r;
	while ((r = read_retry(fd, tmp, sizeof tmp)) > 0)
		buf_append(b, tmp, (size_t)r);
	return r < 0 ? -1 : 0;
}

/* write(2) or, for a socket, send(2) without SIGPIPE */
static int put_full(int fd, const void *data, size_t len, int sock)
{
	const char *p = data;
	while (len) {
		ssize_t w = sock ? send(fd, p, len, MSG_NOSIGNAL) : write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO; /* no progress: not a loop forever */
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int write_full(int fd, const void *data, size_t len)
{
	return put_full(fd, data, len, 0);
}

int send_full(int fd, const void *data, size_t len)
{
	return put_full(fd, data, len, 1);
}

int read_file(const char *path, char **out, size_t *outlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct buf b = {0};
	if (buf_read_fd(&b, fd) < 0) {
		int e = errno;
		close(fd);
		buf_free(&b);
		errno = e;
		return -1;
	}
	close(fd);
	if (!b.data)
		buf_append(&b, "", 0);
	*out = b.data;
	if (outlen)
		*outlen = b.len;
	return 0;
}

int write_file_atomic(const char *path, const void *data, size_t len)
{
	char *tmp;
	int fd = file_create_tmp(path, 0644, &tmp);
	if (fd < 0)
		return -1;
	if (write_full(fd, data, len) < 0 || fsync(fd) < 0) {
		int e = errno;
		close(fd);
		unlink(tmp);
		free(tmp);
		errno = e;
		return -1;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		int e = errno;
		unlink(tmp);
		free(tmp);
		errno = e;
		return -1;
	}
	free(tmp);
	return 0;
}

int buf_write_atomic(const char *path, const struct buf *text, struct buf *err)
{
	if (write_file_atomic(path, text->data ? text->data : "", text->len) < 0) {
		buf_printf(err, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int mkdir_p(const char *path, mode_t mode)
{
	char *p = xstrdup(path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		if (mkdir(p, mode) < 0 && errno != EEXIST) {
			int e = errno;
			free(p);
			errno = e;
			return -1;
		}
		*s = '/';
	}
	int r = mkdir(p, mode);
	int e = errno;
	free(p);
	if (r < 0 && e != EEXIST) {
		errno = e;
		return -1;
	}
	return 0;
}

int rm_rf(const char *path)
{
	if (!path)
		return 0;
	struct stat st;
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	DIR *d = opendir(path);
	if (!d)
		return -1;
	int rc = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		char *sub = xasprintf("%s/%s", path, de->d_name);
		if (rm_rf(sub) < 0)
			rc = -1;
		free(sub);
	}
	closedir(d);
	if (rmdir(path) < 0)
		rc = -1;
	return rc;
}

int path_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

char *utc_now(const char *fmt)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	char s[64];
	strftime(s, sizeof s, fmt, &tm);
	return xstrdup(s);
}

double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void log_msg(const char *level, const char *fmt, ...)
{
	va_list ap;
	char line[4096];
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	fprintf(stderr, "oomlab: %s%s\n", level, line);
}

int parse_ll(const char *s, long long *out)
{
	if (!s || !*s)
		return -1;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

int want_color(int fd)
{
	const char *nc = getenv("NO_COLOR");
	return isatty(fd) && !(nc && *nc);
}
