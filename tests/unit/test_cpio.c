// SPDX-License-Identifier: GPL-2.0-or-later
/* cpio.c: the newc writer, checked against its own format rules and against
 * the real GNU cpio (listing and extraction). */
#include <criterion/criterion.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "boot/cpio.h"
#include "lib/spawn.h"
#include "lib/util.h"

static char cpio_tmp[64];

static void cpio_setup(void)
{
	strcpy(cpio_tmp, "/tmp/oomlab-test-cpio-XXXXXX");
	cr_assert_not_null(mkdtemp(cpio_tmp));
}

/* Runs after the test body, also when an assertion failed. */
static void cpio_teardown(void)
{
	if (cpio_tmp[0])
		rm_rf(cpio_tmp);
}

struct ent {
	const char *name;
	char type; /* d f l c */
	mode_t mode;
	const char *data;
	size_t len;
};

static const char bin1000_seed[] = "\x00\x01\xff\n\r\t";

static char bin1000[1000];

static const struct ent *sample(size_t *n)
{
	static struct ent e[] = {
		{"dev", 'd', 0755, NULL, 0},
		{"bin", 'd', 0700, NULL, 0},
		{"lib", 'd', 0755, NULL, 0},
		{"lib/modules", 'd', 0755, NULL, 0},
		{"f0", 'f', 0644, "", 0},
		{"f1", 'f', 0644, "a", 1},
		{"f2", 'f', 0600, "ab", 2},
		{"f3", 'f', 0755, "abc", 3},
		{"f4", 'f', 0644, "abcd", 4},
		{"f5", 'f', 0644, "abcde", 5},
		{"a", 'f', 0644, "x", 1},           /* name lengths 1..4 move the padding */
		{"abc", 'f', 0644, "xyz", 3},
		{"lib/modules/bin.ko", 'f', 0644, bin1000, sizeof bin1000},
		{"dev/console", 'c', 0600, NULL, 0},
		{"bin/sh", 'l', 0777, "../f3", 5},
	};
	for (size_t i = 0; i < sizeof bin1000; i++)
		bin1000[i] = bin1000_seed[i % 6] ^ (char)(i * 7);
	*n = ARRAY_SIZE(e);
	return e;
}

static char *write_sample(void)
{
	char *path = xasprintf("%s/test.cpio", cpio_tmp);
	struct cpio *c = cpio_create(path);
	cr_assert_not_null(c, "cpio_create: %s", strerror(errno));
	size_t n;
	const struct ent *e = sample(&n);
	for (size_t i = 0; i < n; i++) {
		int r = -1;
		/* a leading '/' is accepted and stripped */
		char *name = xasprintf("%s%s", i % 2 ? "/" : "", e[i].name);
		switch (e[i].type) {
		case 'd': r = cpio_add_dir(c, name, e[i].mode); break;
		case 'f': r = cpio_add_file(c, name, e[i].mode, e[i].data, e[i].len); break;
		case 'l': r = cpio_add_symlink(c, name, e[i].data); break;
		case 'c': r = cpio_add_nod(c, name, S_IFCHR | e[i].mode, 5, 1); break;
		}
		cr_assert_eq(r, 0, "adding %s: %s", name, strerror(errno));
		free(name);
	}
	cr_assert_eq(cpio_finish(c), 0, "cpio_finish: %s", strerror(errno));
	return path;
}

static unsigned long hexfield(const char *h, int i)
{
	char f[9];
	memcpy(f, h + 6 + 8 * i, 8);
	f[8] = 0;
	return strtoul(f, NULL, 16);
}

Test(cpio, format_by_hand, .init = cpio_setup, .fini = cpio_teardown)
{
	char *path = write_sample();
	char *a;
	size_t len;
	cr_assert_eq(read_file(path, &a, &len), 0);
	cr_assert_eq(len % 4, 0, "archive length %zu not a multiple of 4", len);
	size_t n;
	const struct ent *e = sample(&n);
	size_t off = 0, i = 0;
	unsigned long inos[64];
	for (;;) {
		cr_assert_leq(off + 110, len);
		cr_assert_eq(off % 4, 0);
		const char *h = a + off;
		cr_assert_eq(memcmp(h, "070701", 6), 0, "bad magic at %zu", off);
		unsigned long ino = hexfield(h, 0), mode = hexfield(h, 1), nlink = hexfield(h, 4),
			      mtime = hexfield(h, 5), fsize = hexfield(h, 6), rmaj = hexfield(h, 9),
			      rmin = hexfield(h, 10), nsize = hexfield(h, 11);
		cr_assert_eq(hexfield(h, 2), 0); /* uid */
		cr_assert_eq(hexfield(h, 3), 0); /* gid */
		cr_assert_eq(mtime, 0);
		cr_assert_eq(hexfield(h, 12), 0); /* check */
		const char *name = h + 110;
		cr_assert_eq(name[nsize - 1], 0, "name not NUL-terminated");
		cr_assert_eq(strlen(name) + 1, nsize);
		size_t doff = (off + 110 + nsize + 3) & ~(size_t)3;
		for (size_t k = off + 110 + nsize; k < doff; k++)
			cr_assert_eq(a[k], 0, "name padding not zero");
		if (!strcmp(name, "TRAILER!!!")) {
			cr_assert_eq(fsize, 0);
			cr_assert_eq(ino, 0);
			cr_assert_eq(doff, len, "trailer is not the last entry");
			break;
		}
		cr_assert_lt(i, n);
		cr_assert_str_eq(name, e[i].name);
		for (size_t k = 0; k < i; k++)
			cr_assert_neq(inos[k], ino, "inode %lu reused", ino);
		inos[i] = ino;
		switch (e[i].type) {
		case 'd':
			cr_assert_eq(mode, (unsigned long)(S_IFDIR | e[i].mode));
			cr_assert_eq(nlink, 2);
			break;
		case 'f':
			cr_assert_eq(mode, (unsigned long)(S_IFREG | e[i].mode));
			cr_assert_eq(nlink, 1);
			break;
		case 'l':
			cr_assert_eq(mode, (unsigned long)(S_IFLNK | 0777));
			break;
		case 'c':
			cr_assert_eq(mode, (unsigned long)(S_IFCHR | e[i].mode));
			cr_assert_eq(rmaj, 5);
			cr_assert_eq(rmin, 1);
			break;
		}
		cr_assert_eq(fsize, e[i].len, "%s: size", name);
		cr_assert_leq(doff + fsize, len);
		if (fsize)
			cr_assert_eq(memcmp(a + doff, e[i].data, fsize), 0, "%s: data", name);
		size_t next = (doff + fsize + 3) & ~(size_t)3;
		for (size_t k = doff + fsize; k < next; k++)
			cr_assert_eq(a[k], 0, "data padding not zero");
		off = next;
		i++;
	}
	cr_assert_eq(i, n);
	free(a);
	free(path);
}

Test(cpio, gnu_cpio_lists_it, .init = cpio_setup, .fini = cpio_teardown)
{
	char *path = write_sample();
	char *arg = xasprintf("--file=%s", path);
	char *argv[] = {"cpio", "-t", "--quiet", arg, NULL};
	char *out = NULL;
	int r = run_capture(argv, &out, NULL);
	cr_assert_eq(r, 0, "cpio -t failed; output: %s", out ? out : "(none)");
	struct buf want = {0};
	size_t n;
	const struct ent *e = sample(&n);
	for (size_t i = 0; i < n; i++)
		buf_printf(&want, "%s\n", e[i].name);
	cr_assert_str_eq(out, want.data);
	free(out);

	/* the node and the symlink as cpio sees them */
	char *argv2[] = {"cpio", "-tv", "--quiet", arg, NULL};
	cr_assert_eq(run_capture(argv2, &out, NULL), 0);
	cr_assert_not_null(strstr(out, "5,   1"), "no 5,1 device in: %s", out);
	cr_assert_not_null(strstr(out, "crw-------"), "no char device in: %s", out);
	cr_assert_not_null(strstr(out, "bin/sh -> ../f3"), "no symlink in: %s", out);
	cr_assert_not_null(strstr(out, "drwx------"), "bin mode lost: %s", out);
	free(out);
	buf_free(&want);
	free(arg);
	free(path);
}

Test(cpio, gnu_cpio_extracts_it, .init = cpio_setup, .fini = cpio_teardown)
{
	char *path = write_sample();
	char *dir = xasprintf("%s/x", cpio_tmp);
	cr_assert_eq(mkdir(dir, 0700), 0);
	char *arg = xasprintf("--file=%s", path);
	char *argv[] = {"cpio", "-idv", "--no-absolute-filenames", "--quiet", arg, NULL};
	int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	struct spawn_opts o = {dir, SPAWN_DEVNULL, devnull, devnull};
	int st = 0;
	cr_assert_eq(run_argv(argv, &o, 30000, &st), 0);
	close(devnull);
	int root = geteuid() == 0;
	if (root) /* unprivileged, cpio cannot mknod dev/console and says so */
		cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "cpio -i: %s", status_str(st));

	size_t n;
	const struct ent *e = sample(&n);
	for (size_t i = 0; i < n; i++) {
		char *p = xasprintf("%s/%s", dir, e[i].name);
		struct stat sb;
		if (e[i].type == 'c' && !root) {
			free(p);
			continue;
		}
		cr_assert_eq(lstat(p, &sb), 0, "%s: %s", p, strerror(errno));
		switch (e[i].type) {
		case 'd':
			cr_assert(S_ISDIR(sb.st_mode), "%s not a dir", p);
			break;
		case 'f': {
			cr_assert(S_ISREG(sb.st_mode), "%s not a file", p);
			cr_assert_eq(sb.st_mode & 07777, e[i].mode, "%s: mode %o", p, sb.st_mode & 07777);
			char *d;
			size_t l;
			cr_assert_eq(read_file(p, &d, &l), 0);
			cr_assert_eq(l, e[i].len, "%s: %zu bytes, want %zu", p, l, e[i].len);
			cr_assert_eq(memcmp(d, e[i].data, l), 0, "%s: content differs", p);
			free(d);
			break;
		}
		case 'l': {
			char t[64];
			ssize_t k = readlink(p, t, sizeof t - 1);
			cr_assert_gt(k, 0);
			t[k] = 0;
			cr_assert_str_eq(t, e[i].data);
			break;
		}
		case 'c':
			cr_assert(S_ISCHR(sb.st_mode));
			cr_assert_eq(major(sb.st_rdev), 5);
			cr_assert_eq(minor(sb.st_rdev), 1);
			break;
		}
		free(p);
	}
	free(arg);
	free(dir);
	free(path);
}

Test(cpio, empty_archive_is_just_a_trailer, .init = cpio_setup, .fini = cpio_teardown)
{
	char *path = xasprintf("%s/e.cpio", cpio_tmp);
	struct cpio *c = cpio_create(path);
	cr_assert_not_null(c);
	cr_assert_eq(cpio_finish(c), 0);
	struct stat st;
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_size, 124); /* 110 + "TRAILER!!!\0" (11) + 3 padding */
	free(path);
}

Test(cpio, errors_are_sticky_and_remove_the_file, .init = cpio_setup, .fini = cpio_teardown)
{
	char *path = xasprintf("%s/bad.cpio", cpio_tmp);
	struct cpio *c = cpio_create(path);
	cr_assert_not_null(c);
	cr_assert_eq(cpio_add_dir(c, "ok", 0755), 0);
	errno = 0;
	cr_assert_eq(cpio_add_file(c, "a/../b", 0644, "x", 1), -1);
	cr_assert_eq(errno, EINVAL);
	errno = 0;
	cr_assert_eq(cpio_add_dir(c, "fine", 0755), -1, "error not sticky");
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(cpio_add_nod(c, "n", 0600, 1, 3), -1);
	cr_assert_eq(cpio_finish(c), -1);
	cr_assert_eq(errno, EINVAL);
	cr_assert_not(path_exists(path), "partial archive left behind");
	free(path);
}

Test(cpio, bad_names_and_args)
{
	static const char *const bad[] = {"", "/", "//", ".", "a/.", "..", "x/../y", "a//b", "a/", NULL};
	for (size_t i = 0; bad[i]; i++) {
		char path[] = "/tmp/oomlab-test-cpio-n-XXXXXX";
		int fd = mkstemp(path);
		cr_assert_geq(fd, 0);
		close(fd);
		struct cpio *c = cpio_create(path);
		cr_assert_not_null(c);
		errno = 0;
		cr_assert_eq(cpio_add_file(c, bad[i], 0644, "x", 1), -1, "name '%s' accepted", bad[i]);
		cr_assert_eq(errno, EINVAL);
		cpio_abort(c);
		cr_assert_not(path_exists(path));
	}
	char path[] = "/tmp/oomlab-test-cpio-a-XXXXXX";
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	close(fd);
	struct cpio *c = cpio_create(path);
	cr_assert_eq(cpio_add_nod(c, "fifo", S_IFIFO | 0600, 0, 0), -1, "a fifo is not a device");
	cpio_abort(c);
	c = cpio_create(path);
	cr_assert_eq(cpio_add_symlink(c, "l", ""), -1);
	cpio_abort(c);
	c = cpio_create(path);
	cr_assert_eq(cpio_add_file(c, "f", 0644, NULL, 3), -1);
	cpio_abort(c);
	unlink(path);

	/* NULL archive, NULL-safe abort, unwritable place */
	errno = 0;
	cr_assert_eq(cpio_add_dir(NULL, "x", 0755), -1);
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(cpio_finish(NULL), -1);
	cpio_abort(NULL);
	errno = 0;
	cr_assert_null(cpio_create("/nonexistent-dir-oomlab/x.cpio"));
	cr_assert_eq(errno, ENOENT);
}

Test(cpio, abort_removes_the_partial_file, .init = cpio_setup, .fini = cpio_teardown)
{
	char *path = xasprintf("%s/p.cpio", cpio_tmp);
	struct cpio *c = cpio_create(path);
	cr_assert_eq(cpio_add_file(c, "init", 0755, "#!", 2), 0);
	cr_assert(path_exists(path));
	cpio_abort(c);
	cr_assert_not(path_exists(path));
	free(path);
}
