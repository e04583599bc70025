// SPDX-License-Identifier: GPL-2.0-or-later
#include "lib/newfile.h"
/* not lib/util.h: its write_file_atomic is built on this file */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* names a planted temp file could take, tried before giving up */
#define TMP_TRIES 64

int file_create(const char *path, mode_t mode)
{
	int fd;
	do
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	while (fd < 0 && errno == EINTR);
	return fd;
}

int file_replace(const char *path, mode_t mode)
{
	if (unlink(path) < 0 && errno != ENOENT)
		return -1;
	/* EEXIST now: someone put something there again; it is left alone */
	return file_create(path, mode);
}

static uint64_t random64(void)
{
	uint64_t r;
	if (getrandom(&r, sizeof r, GRND_NONBLOCK) == (ssize_t)sizeof r)
		return r;
	/* no entropy yet (early boot): unpredictable enough for a name that
	 * is only ever created exclusively */
	static uint64_t n;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^ (++n * 0x9e3779b97f4a7c15ULL) ^
	       (uint64_t)(uintptr_t)&ts;
}

int path_is_symlink(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
}

char *file_tmp_name(const char *path)
{
	char *s;
	if (asprintf(&s, "%s.tmp.%ld.%016llx", path, (long)getpid(), (unsigned long long)random64()) < 0) {
		fprintf(stderr, "oomlab: out of memory naming a temp file for %s\n", path);
		abort();
	}
	return s;
}

int file_create_tmp(const char *path, mode_t mode, char **tmp)
{
	for (int i = 0; i < TMP_TRIES; i++) {
		char *name = file_tmp_name(path);
		int fd = file_create(name, mode);
		if (fd >= 0) {
			*tmp = name;
			return fd;
		}
		int e = errno;
		free(name);
		if (e != EEXIST) {
			*tmp = NULL;
			errno = e;
			return -1;
		}
	}
	*tmp = NULL;
	errno = EEXIST;
	return -1;
}
