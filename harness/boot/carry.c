// SPDX-License-Identifier: GPL-2.0-or-later
#include "boot/carry.h"
#include "boot/hostprogs.h"
#include "boot/ldlist.h"
#include "workloads/wl.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *own(struct carry *c, char *s)
{
	c->owned = xrealloc(c->owned, (c->n_owned + 1) * sizeof *c->owned);
	c->owned[c->n_owned++] = s;
	return s;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static long long size_of(const char *host)
{
	struct stat sb;
	return stat(host, &sb) == 0 ? (long long)sb.st_size : 0;
}

/* Add guest <- host unless the guest path is taken; 1 when added. */
static int add(struct carry *c, const char *guest, const char *host, mode_t mode)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].guest_path, guest))
			return 0;
	c->v = xrealloc(c->v, (c->n + 1) * sizeof *c->v);
	c->v[c->n++] = (struct initramfs_file){own(c, xstrdup(guest)), own(c, xstrdup(host)), mode};
	return 1;
}

/* A dir of `files`: its regular files, below it, at the same place under
 * guest, in name order (the same initramfs every time); symlinks and
 * other kinds are left out (a link could lead out of the dir the matrix
 * was allowed). */
static int add_tree(struct carry *c, const char *host, const char *guest, int depth, struct buf *err)
{
	DIR *d = opendir(host);
	if (!d) {
		buf_printf(err, "%s: %s", host, strerror(errno));
		return -1;
	}
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		names = xrealloc(names, (n + 1) * sizeof *names);
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, cmp_name);
	int r = 0;
	for (size_t i = 0; i < n; i++) {
		char *h = xasprintf("%s/%s", host, names[i]), *g = xasprintf("%s/%s", guest, names[i]);
		struct stat sb;
		if (r == 0 && lstat(h, &sb) == 0) {
			if (S_ISDIR(sb.st_mode) && depth < 32) {
				r = add_tree(c, h, g, depth + 1, err);
			} else if (S_ISREG(sb.st_mode)) {
				if (c->n_files >= CARRY_TREE_MAX_FILES) {
					buf_printf(err, "more than %d files to carry (at %s)", CARRY_TREE_MAX_FILES, h);
					r = -1;
				} else if (add(c, g, h, 0)) {
					c->n_files++;
					c->file_bytes += (long long)sb.st_size;
				}
			}
		}
		free(h);
		free(g);
		free(names[i]);
	}
	free(names);
	return r;
}

/* A program (the host file exe) at guest, with its libraries and its
 * loader at their own paths. */
static int add_prog(struct carry *c, const char *exe, const char *guest, struct buf *err)
{
	struct ldlist l = {0};
	if (ldlist_resolve(exe, &l, err) < 0) {
		ldlist_free(&l);
		return -1;
	}
	for (size_t k = 0; k < l.n; k++) {
		const char *p = l.v[k].path;
		if (!strcmp(p, exe)) {
			if (add(c, guest, p, 0))
				c->prog_bytes += size_of(p);
		} else if (add(c, p, p, 0)) {
			c->n_libs++;
			c->lib_bytes += size_of(p);
		}
	}
	ldlist_free(&l);
	return 0;
}

static void add_counted(struct carry *c, const char *guest, const char *host, mode_t mode)
{
	if (add(c, guest, host, mode)) {
		c->n_files++;
		c->file_bytes += size_of(host);
	}
}

int carry_cell(const struct cell_spec *cs, struct carry *out, struct buf *err)
{
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < cs->n_wl; i++) {
		const struct wl_spec *w = &cs->wl[i];
		for (size_t f = 0; f < w->n_files; f++) {
			const struct wl_file *wf = &w->files[f];
			struct stat sb;
			if (wf->kind == WLF_DATA) {
				add_counted(out, wf->guest, wf->host, 0644);
			} else if (wf->kind == WLF_TREE && stat(wf->host, &sb) == 0 && S_ISDIR(sb.st_mode)) {
				struct buf why = {0};
				if (add_tree(out, wf->host, wf->guest, 0, &why) < 0) {
					buf_printf(err, "workload %zu (%s): files: %s", i, w->name, why.data);
					buf_free(&why);
					goto bad;
				}
			} else if (wf->kind == WLF_TREE) {
				add_counted(out, wf->guest, wf->host, 0);
			}
		}
	}
	for (size_t i = 0; i < cs->n_wl; i++) {
		const struct wl_spec *w = &cs->wl[i];
		const struct workload *reg = w->reg;
		if (reg && reg->guest_exec) {
			char *src = NULL;
			int r = hostprog_source(reg, &src, err) != 0 ? -1 : add_prog(out, src, reg->guest_exec, err);
			free(src);
			if (r < 0)
				goto bad;
		}
		for (size_t f = 0; f < w->n_files; f++) {
			struct buf why = {0};
			if (w->files[f].kind != WLF_PROG)
				continue;
			if (add_prog(out, w->files[f].host, w->files[f].guest, &why) < 0) {
				buf_printf(err, "workload %zu (%s): %s", i, w->name, why.data);
				buf_free(&why);
				goto bad;
			}
		}
	}
	if (carry_fits(out, cs->ram_mb, err) < 0)
		goto bad;
	return 0;
bad:
	carry_free(out);
	return -1;
}

void carry_free(struct carry *c)
{
	for (size_t i = 0; i < c->n_owned; i++)
		free(c->owned[i]);
	free(c->owned);
	free(c->v);
	memset(c, 0, sizeof *c);
}

static double mib(long long b)
{
	return (double)b / 1048576.0;
}

int carry_fits(const struct carry *c, long long ram_mb, struct buf *err)
{
	long long total = c->prog_bytes + c->lib_bytes + c->file_bytes;
	long long cap = (ram_mb << 20) / CARRY_RAM_DIVISOR;
	if (total <= cap)
		return 0;
	buf_printf(err,
		   "the programs and files its workloads carry come to %.1f MiB (programs %.1f MiB, %zu "
		   "librar%s %.1f MiB, %zu file%s %.1f MiB); a cell of ram_mb %lld can carry at most %lld "
		   "MiB (half its RAM: the guest unpacks its initramfs into memory): give it more ram_mb "
		   "or carry less",
		   mib(total), mib(c->prog_bytes), c->n_libs, c->n_libs == 1 ? "y" : "ies", mib(c->lib_bytes),
		   c->n_files, c->n_files == 1 ? "" : "s", mib(c->file_bytes), ram_mb, cap >> 20);
	return -1;
}
