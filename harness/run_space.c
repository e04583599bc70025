// SPDX-License-Identifier: GPL-2.0-or-later
#include "run_space.h"
#include "lib/paths.h"
#include "proto/cellconf.h"
#include "vm/capture.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#define MIB (1024LL * 1024)

static long long mib_up(long long bytes)
{
	return (bytes + MIB - 1) / MIB;
}

static long long file_mb(const char *path)
{
	struct stat sb;
	return path && stat(path, &sb) == 0 ? mib_up((long long)sb.st_size) : 0;
}

struct space_cell run_space_cell(const struct cell_spec *cs, long long guest_mb)
{
	struct space_cell c = {.initramfs = guest_mb + RUN_SPACE_INITRAMFS_EXTRA_MB};
	for (size_t i = 0; i < cs->n_wl; i++)
		for (size_t f = 0; f < cs->wl[i].n_files; f++)
			c.initramfs += file_mb(cs->wl[i].files[f].host);
	if (cs->swap_mb > 0 && !cs->swap_zram)
		c.swap = cs->swap_mb;
	struct data_disk disks[CELL_DATA_DISKS_MAX];
	size_t n = cell_data_disks(cs, disks);
	for (size_t d = 0; d < n; d++)
		c.data += disks[d].mb;
	return c;
}

long long run_space_results_mb(void)
{
	/* while a port closes its tail is in the ring and in the file */
	return mib_up(CAPTURE_CONSOLE_HEAD + 2 * CAPTURE_CONSOLE_TAIL) +
	       mib_up(CAPTURE_STREAM_HEAD + 2 * CAPTURE_STREAM_TAIL) + RUN_SPACE_REPORT_MB;
}

static long long cell_total(const struct space_cell *c)
{
	return c->initramfs + c->swap + c->data;
}

/* "-j 2 x (initramfs 48 + swap 1024 + data 2048 MiB)" */
static void tmp_terms(struct buf *b, int jobs, const struct space_cell *c)
{
	buf_printf(b, "-j %d x (initramfs %lld", jobs, c->initramfs);
	if (c->swap)
		buf_printf(b, " + swap %lld", c->swap);
	if (c->data)
		buf_printf(b, " + data %lld", c->data);
	buf_printf(b, " MiB)");
}

static void res_terms(struct buf *b, int jobs)
{
	buf_printf(b, "-j %d x (console %lld + stream %lld + report %d MiB)", jobs,
		   mib_up(CAPTURE_CONSOLE_HEAD + 2 * CAPTURE_CONSOLE_TAIL),
		   mib_up(CAPTURE_STREAM_HEAD + 2 * CAPTURE_STREAM_TAIL), RUN_SPACE_REPORT_MB);
}

static const char advice[] = "free some space, give smaller swap or data disks, or a smaller -j "
			     "(TMPDIR chooses the temp dir, -o the results dir)";

int run_space_fits(int jobs, const struct space_cell *cell, long long results_mb,
		   const struct space_fs *tmp, const struct space_fs *res, struct buf *msg)
{
	long long need_tmp = jobs * cell_total(cell), need_res = jobs * results_mb;
	if (tmp->dev == res->dev) {
		if (need_tmp + need_res <= tmp->free_mb)
			return 0;
		buf_printf(msg, "not enough disk space: %s and %s are on one file system, which needs %lld MiB "
				"for the cells' temp dirs (",
			   tmp->path, res->path, need_tmp);
		tmp_terms(msg, jobs, cell);
		buf_printf(msg, ") + %lld MiB for their results (", need_res);
		res_terms(msg, jobs);
		buf_printf(msg, ") = %lld MiB and has %lld MiB free; %s", need_tmp + need_res, tmp->free_mb,
			   advice);
		return -1;
	}
	const struct space_fs *fs = need_tmp > tmp->free_mb ? tmp : need_res > res->free_mb ? res : NULL;
	if (!fs)
		return 0;
	buf_printf(msg, "not enough disk space: %s needs %lld MiB (", fs->path, fs == tmp ? need_tmp : need_res);
	if (fs == tmp)
		tmp_terms(msg, jobs, cell);
	else
		res_terms(msg, jobs);
	buf_printf(msg, ") and has %lld MiB free; %s", fs->free_mb, advice);
	return -1;
}

static int fs_of(const char *path, struct space_fs *fs)
{
	struct statvfs v;
	struct stat sb;
	if (statvfs(path, &v) < 0 || stat(path, &sb) < 0)
		return -1;
	fs->path = path;
	fs->free_mb = (long long)((unsigned long long)v.f_bavail * v.f_frsize / MIB);
	fs->dev = sb.st_dev;
	return 0;
}

int run_space(const struct matrix *m, const size_t *todo, size_t n_todo, int jobs,
	      const char *outdir)
{
	if (!n_todo)
		return 0;
	static const char *const guest[] = {"oomlab-agent", "oomlab-wl", "oomlab-wl32"};
	long long guest_mb = 0;
	for (size_t i = 0; i < ARRAY_SIZE(guest); i++) {
		char *p = guest_file(guest[i]);
		guest_mb += file_mb(p);
		free(p);
	}
	struct space_cell big = {0};
	for (size_t i = 0; i < n_todo; i++) {
		struct space_cell c = run_space_cell(&m->cells[todo[i]], guest_mb);
		if (cell_total(&c) > cell_total(&big))
			big = c;
	}
	const char *t = getenv("TMPDIR");
	struct space_fs tmp, res;
	/* a dir we cannot stat is not ours to judge: the cell says why it fails */
	if (fs_of(t && *t ? t : "/tmp", &tmp) < 0 || fs_of(outdir, &res) < 0)
		return 0;
	struct buf msg = {0};
	int r = run_space_fits(jobs, &big, run_space_results_mb(), &tmp, &res, &msg);
	if (r < 0)
		fprintf(stderr, "oomlab: %s\n", msg.data);
	buf_free(&msg);
	return r;
}
