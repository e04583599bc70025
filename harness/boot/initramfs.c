// SPDX-License-Identifier: GPL-2.0-or-later
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "boot/initramfs.h"
#include "proto/cellconf.h"
#include "boot/cpio.h"
#include "lib/newfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *initramfs_module_path(const char *name)
{
	return xasprintf("%s/%s.ko", GUEST_MODULE_DIR, name);
}

/* Names already in the archive (no duplicates; parents before children). */
struct names {
	char **v;
	size_t n;
};

static int names_has(const struct names *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], name))
			return 1;
	return 0;
}

static void names_add(struct names *s, const char *name)
{
	s->v = xrealloc(s->v, (s->n + 1) * sizeof *s->v);
	s->v[s->n++] = xstrdup(name);
}

static void names_free(struct names *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

struct ctx {
	struct cpio *c;
	struct names names;
	struct buf *err;
	const char *out;
};

static int cpio_err(struct ctx *x, const char *what)
{
	buf_printf(x->err, "initramfs %s: cannot add %s: %s", x->out, what, strerror(errno));
	return -1;
}

static int add_dir(struct ctx *x, const char *name, mode_t mode)
{
	if (names_has(&x->names, name))
		return 0;
	if (cpio_add_dir(x->c, name, mode) < 0)
		return cpio_err(x, name);
	names_add(&x->names, name);
	return 0;
}

/* Create the missing parents of an absolute guest path, mode 0755. */
static int add_parents(struct ctx *x, const char *path)
{
	char *p = xstrdup(path);
	int rc = 0;
	for (char *s = p + 1; *s && rc == 0; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		rc = add_dir(x, p, 0755);
		*s = '/';
	}
	free(p);
	return rc;
}

static int add_data(struct ctx *x, const char *guest, mode_t mode, const void *data, size_t len)
{
	if (guest[0] != '/' || guest[strlen(guest) - 1] == '/' || strstr(guest, "/./") ||
	    strstr(guest, "/../") || strstr(guest, "//")) {
		buf_printf(x->err, "initramfs %s: bad guest path '%s' (must be absolute and normalized)",
			   x->out, guest);
		return -1;
	}
	if (names_has(&x->names, guest)) {
		buf_printf(x->err, "initramfs %s: %s added twice", x->out, guest);
		return -1;
	}
	if (add_parents(x, guest) < 0)
		return -1;
	if (cpio_add_file(x->c, guest, mode, data, len) < 0)
		return cpio_err(x, guest);
	names_add(&x->names, guest);
	return 0;
}

static int add_host_file(struct ctx *x, const char *guest, const char *host, mode_t mode)
{
	struct stat st;
	if (!host) {
		buf_printf(x->err, "initramfs %s: no host file given for %s", x->out, guest);
		return -1;
	}
	if (stat(host, &st) < 0) {
		buf_printf(x->err, "initramfs %s: %s (for %s): %s", x->out, host, guest, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		buf_printf(x->err, "initramfs %s: %s (for %s): not a regular file", x->out, host, guest);
		return -1;
	}
	char *data;
	size_t len;
	if (read_file(host, &data, &len) < 0) {
		buf_printf(x->err, "initramfs %s: cannot read %s: %s", x->out, host, strerror(errno));
		return -1;
	}
	int r = add_data(x, guest, mode ? mode : (st.st_mode & 07777), data, len);
	free(data);
	return r;
}

int initramfs_build(const char *out_path, const struct initramfs_spec *spec, struct buf *err)
{
	if (!spec || !spec->agent_path) {
		buf_printf(err, "initramfs %s: no agent binary given", out_path);
		return -1;
	}
	char *tmp = file_tmp_name(out_path);
	struct ctx x = {.err = err, .out = out_path};
	x.c = cpio_create(tmp);
	if (!x.c) {
		buf_printf(err, "cannot create %s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	static const struct {
		const char *name;
		mode_t mode;
	} dirs[] = {
		{"/dev", 0755}, {"/proc", 0555}, {"/sys", 0555}, {"/tmp", 01777},
		{"/bin", 0755}, {"/lib", 0755},  {GUEST_MODULE_DIR, 0755},
	};
	int rc = -1;
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		if (add_parents(&x, dirs[i].name) < 0 || add_dir(&x, dirs[i].name, dirs[i].mode) < 0)
			goto out;
	}
	/* The kernel opens /dev/console for init's stdio before devtmpfs exists. */
	if (cpio_add_nod(x.c, "/dev/console", S_IFCHR | 0600, 5, 1) < 0) {
		cpio_err(&x, "/dev/console");
		goto out;
	}
	names_add(&x.names, "/dev/console");
	if (add_host_file(&x, "/init", spec->agent_path, 0755) < 0)
		goto out;
	if (spec->workload_path && add_host_file(&x, GUEST_WL_PATH, spec->workload_path, 0755) < 0)
		goto out;
	for (size_t i = 0; spec->modules && i < spec->modules->n; i++) {
		const struct modset_item *m = &spec->modules->items[i];
		char *data;
		size_t len;
		if (module_load_file(m->path, &data, &len, err) < 0) {
			buf_printf(err, " (for initramfs %s)", out_path);
			goto out;
		}
		char *g = initramfs_module_path(m->name);
		int r = add_data(&x, g, 0644, data, len);
		free(g);
		free(data);
		if (r < 0)
			goto out;
	}
	if (spec->cellconf &&
	    add_data(&x, spec->cellconf_path ? spec->cellconf_path : CELLCONF_PATH, 0644,
		     spec->cellconf, spec->cellconf_len) < 0)
		goto out;
	for (size_t i = 0; i < spec->nextra; i++) {
		const struct initramfs_file *f = &spec->extra[i];
		if (!f->guest_path) {
			buf_printf(err, "initramfs %s: extra file %zu has no guest path", out_path, i);
			goto out;
		}
		if (add_host_file(&x, f->guest_path, f->host_path, f->mode) < 0)
			goto out;
	}
	struct cpio *c = x.c;
	x.c = NULL;
	if (cpio_finish(c) < 0) {
		buf_printf(err, "cannot write initramfs %s: %s", tmp, strerror(errno));
		goto out;
	}
	if (rename(tmp, out_path) < 0) {
		buf_printf(err, "cannot rename %s to %s: %s", tmp, out_path, strerror(errno));
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	cpio_abort(x.c); /* NULL after finish; removes the partial file otherwise */
	names_free(&x.names);
	free(tmp);
	return rc;
}
