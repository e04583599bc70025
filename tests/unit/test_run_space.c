// SPDX-License-Identifier: GPL-2.0-or-later
/* The disk space a run can need (harness/run_space.c): what a cell can
 * write in its temp dir, and the arithmetic of the check against one or
 * two file systems. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run_space.h"
#include "lib/util.h"
#include "plan/matrix.h"

static char sdir[128];

static void setup(void)
{
	snprintf(sdir, sizeof sdir, "/tmp/oomlab-space-XXXXXX");
	cr_assert_not_null(mkdtemp(sdir));
}

static void teardown(void)
{
	rm_rf(sdir);
}

TestSuite(run_space, .init = setup, .fini = teardown);

static void load(const char *text, struct matrix *m)
{
	struct buf err = {0};
	char *p = xasprintf("%s/m.json", sdir);
	cr_assert_eq(write_file_atomic(p, text, strlen(text)), 0);
	cr_assert_eq(matrix_load(p, m, &err), 0, "%s", err.data);
	free(p);
	buf_free(&err);
}

Test(run_space, a_cell_counts_its_disks_initramfs_and_files)
{
	/* a 3 MiB schedule beside the matrix */
	char *f = xasprintf("%s/s.sched", sdir);
	char *big = xcalloc(1, 3 * 1024 * 1024 - 5);
	cr_assert_eq(write_file_atomic(f, big, 3 * 1024 * 1024 - 5), 0);
	struct matrix m;
	load("{\"cells\":[{\"name\":\"disk\",\"swap_mb\":1024,\"workloads\":[\"touch\","
	     "{\"name\":\"filecache\",\"options\":{\"size_mb\":2048}},{\"name\":\"filecache\",\"options\":{\"size_mb\":16}}]},"
	     "{\"name\":\"zram\",\"swap_mb\":1024,\"swap_type\":\"zram\",\"workloads\":[{\"name\":\"frag\","
	     "\"options\":{\"pattern\":\"file\",\"schedule\":\"s.sched\"}}]},"
	     "{\"name\":\"none\",\"workloads\":[\"alloc\"]}]}",
	     &m);
	struct space_cell c = run_space_cell(&m.cells[0], 5);
	cr_expect_eq(c.initramfs, 5 + RUN_SPACE_INITRAMFS_EXTRA_MB);
	cr_expect_eq(c.swap, 1024);
	cr_expect_eq(c.data, 2048 + 16);
	/* zram swap is the guest's RAM, not a file; the schedule rounds up */
	c = run_space_cell(&m.cells[1], 5);
	cr_expect_eq(c.initramfs, 5 + RUN_SPACE_INITRAMFS_EXTRA_MB + 3);
	cr_expect_eq(c.swap, 0);
	cr_expect_eq(c.data, 0);
	c = run_space_cell(&m.cells[2], 0);
	cr_expect_eq(c.initramfs + c.swap + c.data, RUN_SPACE_INITRAMFS_EXTRA_MB);
	matrix_free(&m);
	free(big);
	free(f);
}

Test(run_space, results_are_the_capped_logs_and_a_report)
{
	/* console 4 + 2 x 4, stream 16 + 2 x 16, report 16 */
	cr_expect_eq(run_space_results_mb(), 12 + 48 + 16);
}

Test(run_space, the_arithmetic_on_two_file_systems)
{
	struct space_cell c = {.initramfs = 48, .swap = 1024, .data = 2048};
	struct space_fs tmp = {"/tmp", 3174, 1}, res = {"results/x", 100000, 2};
	struct buf msg = {0};
	cr_assert_eq(run_space_fits(2, &c, 76, &tmp, &res, &msg), -1);
	cr_expect_str_eq(msg.data,
			 "not enough disk space: /tmp needs 6240 MiB (-j 2 x (initramfs 48 + swap 1024 + data 2048 "
			 "MiB)) and has 3174 MiB free; free some space, give smaller swap or data disks, or a "
			 "smaller -j (TMPDIR chooses the temp dir, -o the results dir)");
	buf_free(&msg);
	/* exactly enough */
	tmp.free_mb = 6240;
	cr_expect_eq(run_space_fits(2, &c, 76, &tmp, &res, &msg), 0);
	cr_expect_null(msg.data);
	/* the results dir short, the temp dir fine; a cell without disks */
	struct space_cell small = {.initramfs = 40};
	res.free_mb = 151;
	cr_assert_eq(run_space_fits(2, &small, 76, &tmp, &res, &msg), -1);
	cr_expect_str_eq(msg.data,
			 "not enough disk space: results/x needs 152 MiB (-j 2 x (console 12 + stream 48 + report "
			 "16 MiB)) and has 151 MiB free; free some space, give smaller swap or data disks, or a "
			 "smaller -j (TMPDIR chooses the temp dir, -o the results dir)");
	buf_free(&msg);
}

Test(run_space, one_file_system_holds_both)
{
	struct space_cell c = {.initramfs = 48, .swap = 512};
	struct space_fs tmp = {"/tmp", 1000, 7}, res = {"out", 1000, 7};
	struct buf msg = {0};
	/* each alone fits (560 and 76), together not: 1 x 560 + 1 x 76 = 636 */
	tmp.free_mb = res.free_mb = 635;
	cr_assert_eq(run_space_fits(1, &c, 76, &tmp, &res, &msg), -1);
	cr_expect_str_eq(msg.data,
			 "not enough disk space: /tmp and out are on one file system, which needs 560 MiB for the "
			 "cells' temp dirs (-j 1 x (initramfs 48 + swap 512 MiB)) + 76 MiB for their results (-j 1 "
			 "x (console 12 + stream 48 + report 16 MiB)) = 636 MiB and has 635 MiB free; free some "
			 "space, give smaller swap or data disks, or a smaller -j (TMPDIR chooses the temp dir, -o "
			 "the results dir)");
	buf_free(&msg);
	tmp.free_mb = res.free_mb = 636;
	cr_expect_eq(run_space_fits(1, &c, 76, &tmp, &res, &msg), 0);
}
