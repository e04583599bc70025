// SPDX-License-Identifier: GPL-2.0-or-later
/* Every writer of host files against a symlink planted where it writes (a
 * results dir or a cache shared with other users): the file the symlink
 * points to must stay as it was, and what is written lands in a new file
 * of its own. The victims hold "victim" and must still hold exactly that. */
#include <criterion/criterion.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boot/cpio.h"
#include "boot/initramfs.h"
#include "lib/newfile.h"
#include "lib/util.h"
#include "vm/snapshot.h"

static char dir[64];

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/oomlab-test-symlinks-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
	rm_rf(dir);
}

TestSuite(symlinks, .init = setup, .fini = teardown);

/* dir/victim holding "victim", and a symlink at link (relative to dir) to it */
static char *plant(const char *link)
{
	char *victim = xasprintf("%s/victim", dir);
	if (!path_exists(victim)) {
		FILE *f = fopen(victim, "w");
		cr_assert_not_null(f);
		fputs("victim", f);
		fclose(f);
	}
	char *l = xasprintf("%s/%s", dir, link);
	cr_assert_eq(symlink(victim, l), 0, "%s: %s", l, strerror(errno));
	free(l);
	return victim;
}

static void victim_untouched(const char *victim)
{
	char *text = NULL;
	size_t len = 0;
	cr_assert_eq(read_file(victim, &text, &len), 0);
	cr_expect_eq(len, 6, "the victim was written through the symlink (%zu bytes)", len);
	cr_expect_eq(memcmp(text, "victim", len < 6 ? len : 6), 0);
	free(text);
}

static void regular_file(const char *path)
{
	struct stat st;
	cr_assert_eq(lstat(path, &st), 0, "%s: %s", path, strerror(errno));
	cr_expect(S_ISREG(st.st_mode), "%s is not a regular file (mode %o)", path, st.st_mode);
}

Test(symlinks, atomic_write_ignores_a_symlink_at_the_pid_temp_name)
{
	/* what today's writers named their temp file: <path>.tmp.<pid> */
	char *link = xasprintf("run.json.tmp.%ld", (long)getpid());
	char *victim = plant(link);
	char *path = xasprintf("%s/run.json", dir);
	cr_assert_eq(write_file_atomic(path, "{}\n", 3), 0, "%s", strerror(errno));
	victim_untouched(victim);
	regular_file(path);
	char *text = NULL;
	cr_assert_eq(read_file(path, &text, NULL), 0);
	cr_expect_str_eq(text, "{}\n");
	free(text);
	free(path);
	free(victim);
	free(link);
}

Test(symlinks, atomic_write_replaces_a_symlink_at_the_final_name)
{
	char *victim = plant("c0.json");
	char *path = xasprintf("%s/c0.json", dir);
	cr_assert_eq(write_file_atomic(path, "{}\n", 3), 0, "%s", strerror(errno));
	victim_untouched(victim);
	regular_file(path);
	free(path);
	free(victim);
}

Test(symlinks, cpio_archive)
{
	char *victim = plant("a.cpio");
	char *path = xasprintf("%s/a.cpio", dir);
	struct cpio *c = cpio_create(path);
	cr_assert_not_null(c, "%s", strerror(errno));
	cr_assert_eq(cpio_add_file(c, "init", 0755, "#!", 2), 0);
	cr_assert_eq(cpio_finish(c), 0);
	victim_untouched(victim);
	regular_file(path);
	free(path);
	free(victim);
}

Test(symlinks, initramfs_at_the_pid_temp_name)
{
	char *agent = xasprintf("%s/agent", dir);
	cr_assert_eq(write_file_atomic(agent, "agent", 5), 0);
	char *link = xasprintf("initrd.cpio.tmp.%ld", (long)getpid());
	char *victim = plant(link);
	char *path = xasprintf("%s/initrd.cpio", dir);
	struct initramfs_spec spec = {.agent_path = agent};
	struct buf err = {0};
	cr_assert_eq(initramfs_build(path, &spec, &err), 0, "%s", err.data);
	victim_untouched(victim);
	regular_file(path);
	buf_free(&err);
	free(path);
	free(victim);
	free(link);
	free(agent);
}

Test(symlinks, disk_image)
{
	char *victim = plant("swap.img");
	char *path = xasprintf("%s/swap.img", dir);
	struct buf err = {0};
	cr_assert_eq(snapshot_make_disk(path, 1, &err), 0, "%s", err.data);
	victim_untouched(victim);
	regular_file(path);
	struct stat st;
	cr_assert_eq(stat(path, &st), 0);
	cr_expect_eq(st.st_size, 1024 * 1024);
	buf_free(&err);
	free(path);
	free(victim);
}

/* ---- what every writer is built on (lib/newfile.h) ---- */

Test(symlinks, file_create_takes_no_name_that_is_taken)
{
	char *victim = plant("link");
	char *p = xasprintf("%s/link", dir);
	errno = 0;
	cr_expect_eq(file_create(p, 0644), -1);
	cr_expect_eq(errno, EEXIST);
	victim_untouched(victim);
	/* a dangling symlink: its target is not created */
	char *dangling = xasprintf("%s/dangling", dir), *target = xasprintf("%s/nothing", dir);
	cr_assert_eq(symlink(target, dangling), 0);
	errno = 0;
	cr_expect_eq(file_create(dangling, 0644), -1);
	cr_expect_eq(errno, EEXIST);
	cr_expect_not(path_exists(target), "created through a dangling symlink");
	/* a file */
	errno = 0;
	cr_expect_eq(file_create(victim, 0644), -1);
	cr_expect_eq(errno, EEXIST);
	victim_untouched(victim);
	/* a free name: a new file, with the mode asked for (less the umask) */
	char *fresh = xasprintf("%s/fresh", dir);
	mode_t old = umask(022);
	int fd = file_create(fresh, 0640);
	umask(old);
	cr_assert_geq(fd, 0, "%s", strerror(errno));
	cr_expect_eq(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	cr_expect_eq(fcntl(fd, F_GETFL) & O_ACCMODE, O_WRONLY);
	close(fd);
	struct stat st;
	cr_assert_eq(stat(fresh, &st), 0);
	cr_expect_eq(st.st_mode & 07777, 0640);
	free(fresh);
	free(dangling);
	free(target);
	free(p);
	free(victim);
}

Test(symlinks, file_replace_removes_the_symlink_not_its_target)
{
	char *victim = plant("c0.console.log");
	char *p = xasprintf("%s/c0.console.log", dir);
	int fd = file_replace(p, 0644);
	cr_assert_geq(fd, 0, "%s", strerror(errno));
	cr_assert_eq(write(fd, "console", 7), 7);
	close(fd);
	victim_untouched(victim);
	regular_file(p);
	/* again over the file it made: a new file again, the old one gone */
	fd = file_replace(p, 0644);
	cr_assert_geq(fd, 0, "%s", strerror(errno));
	close(fd);
	struct stat st;
	cr_assert_eq(stat(p, &st), 0);
	cr_expect_eq(st.st_size, 0);
	free(p);
	free(victim);
}

Test(symlinks, temp_names_are_beside_the_file_and_unpredictable)
{
	char *p = xasprintf("%s/run.json", dir);
	char *pre = xasprintf("%s.tmp.%ld.", p, (long)getpid());
	char *a = file_tmp_name(p), *b = file_tmp_name(p);
	cr_expect_eq(strncmp(a, pre, strlen(pre)), 0, "%s", a);
	cr_expect_eq(strlen(a), strlen(pre) + 16, "%s", a);
	cr_expect_str_neq(a, b);
	char *tmp = NULL;
	int fd = file_create_tmp(p, 0644, &tmp);
	cr_assert_geq(fd, 0, "%s", strerror(errno));
	cr_expect_eq(strncmp(tmp, pre, strlen(pre)), 0, "%s", tmp);
	regular_file(tmp);
	close(fd);
	free(tmp);
	free(a);
	free(b);
	free(pre);
	free(p);
}
