// SPDX-License-Identifier: GPL-2.0-or-later
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "boot/cpio.h"
#include "lib/newfile.h"
#include "lib/util.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NEWC_HDR_LEN 110

struct cpio {
	FILE *f;
	char *path;
	int err;       /* sticky errno, 0 while healthy */
	uint32_t ino;  /* last inode number handed out */
	uint64_t off;  /* bytes written so far */
};

struct cpio *cpio_create(const char *path)
{
	if (!path || !*path) {
		errno = EINVAL;
		return NULL;
	}
	int fd = file_replace(path, 0644);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, "wb");
	if (!f) {
		int e = errno;
		close(fd);
		unlink(path);
		errno = e;
		return NULL;
	}
	struct cpio *c = xcalloc(1, sizeof *c);
	c->f = f;
	c->path = xstrdup(path);
	return c;
}

static int fail(struct cpio *c, int e)
{
	if (!c->err)
		c->err = e ? e : EIO;
	errno = c->err;
	return -1;
}

static int put(struct cpio *c, const void *p, size_t n)
{
	if (n && fwrite(p, 1, n, c->f) != n)
		return fail(c, errno);
	c->off += n;
	return 0;
}

static int pad4(struct cpio *c)
{
	static const char zero[4];
	size_t n = (size_t)((4 - (c->off & 3)) & 3);
	return put(c, zero, n);
}

/* Strip leading '/', refuse empty names and "."/".." components. */
static const char *clean_name(const char *name)
{
	if (!name)
		return NULL;
	while (*name == '/')
		name++;
	if (!*name)
		return NULL;
	const char *p = name;
	while (*p) {
		const char *e = strchrnul(p, '/');
		size_t n = (size_t)(e - p);
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return NULL;
		p = *e ? e + 1 : e;
	}
	/* a trailing '/' leaves an empty last component: refused above only if
	 * followed by more; check it here */
	if (name[strlen(name) - 1] == '/')
		return NULL;
	return name;
}

static int entry(struct cpio *c, const char *name, uint32_t mode, uint32_t nlink,
		 const void *data, size_t len, unsigned rmaj, unsigned rmin)
{
	if (!c) {
		errno = EINVAL;
		return -1;
	}
	if (c->err) {
		errno = c->err;
		return -1;
	}
	const char *n = clean_name(name);
	if (!n)
		return fail(c, EINVAL);
	if (len > UINT32_MAX)
		return fail(c, EFBIG);
	size_t namesize = strlen(n) + 1;
	if (namesize > UINT32_MAX)
		return fail(c, ENAMETOOLONG);
	char hdr[NEWC_HDR_LEN + 1];
	int w = snprintf(hdr, sizeof hdr,
			 "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
			 ++c->ino, mode, 0u, 0u, nlink, 0u, (unsigned)len, 0u, 0u,
			 rmaj, rmin, (unsigned)namesize, 0u);
	if (w != NEWC_HDR_LEN)
		return fail(c, EOVERFLOW);
	if (put(c, hdr, NEWC_HDR_LEN) < 0 || put(c, n, namesize) < 0 || pad4(c) < 0)
		return -1;
	if (len && (put(c, data, len) < 0 || pad4(c) < 0))
		return -1;
	return 0;
}

int cpio_add_dir(struct cpio *c, const char *name, mode_t mode)
{
	return entry(c, name, S_IFDIR | (mode & 07777), 2, NULL, 0, 0, 0);
}

int cpio_add_file(struct cpio *c, const char *name, mode_t mode, const void *data, size_t len)
{
	if (c && !c->err && len && !data)
		return fail(c, EINVAL);
	return entry(c, name, S_IFREG | (mode & 07777), 1, data, len, 0, 0);
}

int cpio_add_symlink(struct cpio *c, const char *name, const char *target)
{
	if (c && !c->err && (!target || !*target))
		return fail(c, EINVAL);
	return entry(c, name, S_IFLNK | 0777, 1, target, target ? strlen(target) : 0, 0, 0);
}

int cpio_add_nod(struct cpio *c, const char *name, mode_t mode, unsigned major, unsigned minor)
{
	mode_t type = mode & S_IFMT;
	if (!type)
		type = S_IFCHR;
	if (c && !c->err && type != S_IFCHR && type != S_IFBLK)
		return fail(c, EINVAL);
	return entry(c, name, type | (mode & 07777), 1, NULL, 0, major, minor);
}

static void destroy(struct cpio *c, int remove)
{
	if (c->f)
		fclose(c->f);
	if (remove)
		unlink(c->path);
	free(c->path);
	free(c);
}

int cpio_finish(struct cpio *c)
{
	if (!c) {
		errno = EINVAL;
		return -1;
	}
	if (!c->err) {
		/* The trailer: ino 0, nlink 1, everything else 0. */
		c->ino = UINT32_MAX; /* so entry() hands out 0 after the increment */
		if (entry(c, "TRAILER!!!", 0, 1, NULL, 0, 0, 0) == 0 && fflush(c->f) != 0)
			fail(c, errno);
	}
	if (!c->err) {
		FILE *f = c->f;
		c->f = NULL;
		if (fclose(f) != 0)
			fail(c, errno);
	}
	int e = c->err;
	destroy(c, e != 0);
	if (e) {
		errno = e;
		return -1;
	}
	return 0;
}

void cpio_abort(struct cpio *c)
{
	if (!c)
		return;
	int e = errno;
	destroy(c, 1);
	errno = e;
}
