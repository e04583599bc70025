// SPDX-License-Identifier: GPL-2.0-or-later
/* The files qemu writes for a cell (its console, the agent's stream, its
 * own log) and the shard recipe's logs, against symlinks planted at their
 * names in a shared results dir: nothing opens them by name. A missing
 * kernel makes qemu stop right after it opened its character devices, a
 * missing matrix stops the shard, so no VM boots here. */
#include <criterion/criterion.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "itest.h"
#include "lib/newfile.h"
#include "lib/spawn.h"
#include "lib/util.h"
#include "vm/vm.h"

static char dir[64];

static void hf_setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/oomlab-hostfiles-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void hf_teardown(void)
{
	rm_rf(dir);
}

TestSuite(hostfiles, .init = hf_setup, .fini = hf_teardown, .timeout = 60);

/* dir/<name>.victim holding "victim", and a symlink dir/<name> to it */
static char *plant(const char *name)
{
	char *victim = xasprintf("%s/%s.victim", dir, name);
	cr_assert_eq(write_file_atomic(victim, "victim", 6), 0);
	char *l = xasprintf("%s/%s", dir, name);
	cr_assert_eq(symlink(victim, l), 0, "%s: %s", l, strerror(errno));
	free(victim);
	return l;
}

static void untouched(const char *link)
{
	char *victim = xasprintf("%s.victim", link);
	char *text = NULL;
	size_t len = 0;
	cr_assert_eq(read_file(victim, &text, &len), 0);
	cr_expect(len == 6 && !memcmp(text, "victim", 6), "%s was written through the symlink %s (%zu bytes)",
		  victim, link, len);
	struct stat st;
	cr_assert_eq(lstat(link, &st), 0, "%s: %s", link, strerror(errno));
	cr_expect(S_ISREG(st.st_mode), "%s is not a regular file (mode %o)", link, st.st_mode);
	free(text);
	free(victim);
}

Test(hostfiles, qemu_console_stream_and_log_are_new_files)
{
	char *con = plant("c0.console.log"), *str = plant("c0.stream"), *log = plant("qemu.log");
	struct vm_spec s = {
		.accel = "tcg", .image = "/nonexistent/bzImage", .initrd = "/nonexistent/initrd",
		.append = "console=ttyS0", .ram_mb = 128, .cpus = 1,
		.console_path = con, .stream_path = str, .qemu_log = log,
	};
	pid_t pid;
	struct buf err = {0};
	cr_assert_eq(vm_spawn(&s, &pid, &err), 0, "%s", err.data);
	int st = 0;
	cr_assert_eq(wait_pid_timeout(pid, 30000, &st), 0, "qemu did not stop");
	/* qemu ran far enough to complain about the kernel, in its log */
	char *qlog = NULL;
	cr_assert_eq(read_file(log, &qlog, NULL), 0);
	cr_expect_not_null(strstr(qlog, "/nonexistent/bzImage"), "qemu said: %s", qlog);
	untouched(con);
	untouched(str);
	untouched(log);
	free(qlog);
	buf_free(&err);
	free(con);
	free(str);
	free(log);
}

/* ci/shard-parallel: a shard's output goes to the recipe's own output,
 * tagged with the shard, not to OUT/shard-K.log opened by a shell, whose
 * ">" follows a symlink planted there and truncates what it points to */
Test(hostfiles, shard_recipe_writes_no_log_through_a_symlink)
{
	char *out = xasprintf("%s/out", dir);
	cr_assert_eq(mkdir(out, 0755), 0);
	char *l = plant("out/shard-1.log");
	char *recipe = xasprintf("%s/ci/shard-parallel", root());
	char *matrix = xasprintf("%s/missing.json", dir);
	char *argv[] = {recipe, matrix, out, "1", ":", NULL};
	char *logp = xasprintf("%s/recipe.txt", dir);
	int fd = file_create(logp, 0644);
	cr_assert(fd >= 0, "%s: %s", logp, strerror(errno));
	struct spawn_opts o = {NULL, SPAWN_DEVNULL, fd, fd};
	int st = 0;
	cr_assert_eq(run_argv(argv, &o, 60000, &st), 0);
	close(fd);
	char *text = NULL;
	cr_assert_eq(read_file(logp, &text, NULL), 0);
	cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 3, "%s: %s", status_str(st), text);
	char *victim = xasprintf("%s.victim", l), *vtext = NULL;
	size_t vlen = 0;
	cr_assert_eq(read_file(victim, &vtext, &vlen), 0);
	cr_expect(vlen == 6 && !memcmp(vtext, "victim", 6), "%s was written through the symlink %s: %s", victim,
		  l, vtext);
	/* oomlab's complaint, tagged, and where to find it */
	char *want = xasprintf("shard 1\toomlab: %s: cannot read the matrix file", matrix);
	cr_expect_not_null(strstr(text, want), "want '%s' in: %s", want, text);
	cr_expect_not_null(strstr(text, "ci/shard-parallel: shard 1 left no run (its output above is tagged "
					"\"shard 1\")"),
			   "%s", text);
	free(want);
	free(vtext);
	free(victim);
	free(text);
	free(logp);
	free(matrix);
	free(recipe);
	free(l);
	free(out);
}
