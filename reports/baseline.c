// SPDX-License-Identifier: GPL-2.0-or-later
#include "reports/baseline.h"
#include "lib/jsonx.h"
#include "lib/paths.h"
#include "reports/rundir.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NAME_MAX_LEN 64

int baseline_name_ok(const char *name)
{
	size_t n = strlen(name);
	if (!n || n > NAME_MAX_LEN || !((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= '0' && name[0] <= '9')))
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char *baseline_kernels(json_t *run)
{
	const char **k = NULL;
	size_t n = 0, i;
	json_t *row;
	json_array_foreach(json_object_get(run, "cells"), i, row) {
		const char *r = json_string_value(json_object_get(row, "kernel_release"));
		if (!r || !*r)
			continue;
		size_t j = 0;
		while (j < n && strcmp(k[j], r))
			j++;
		if (j == n) {
			k = xrealloc(k, (n + 1) * sizeof *k);
			k[n++] = r;
		}
	}
	if (n)
		qsort(k, n, sizeof *k, cmp_str);
	struct buf b = {0};
	buf_printf(&b, "%s", n ? "" : "unknown");
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i ? "+" : "", k[i]);
	free(k);
	/* it names a directory: anything but [A-Za-z0-9._+-] becomes _ */
	for (char *p = b.data; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '.' || *p == '_' || *p == '+' || *p == '-'))
			*p = '_';
	return b.data;
}

/* run.json's matrix digest when it is one (hex, 1..64), else NULL. */
static const char *digest_of(json_t *run)
{
	const char *d = json_string_value(json_object_get(json_object_get(run, "matrix"), "digest"));
	size_t n = d ? strlen(d) : 0;
	if (!n || n > 64 || strspn(d, "0123456789abcdef") != n)
		return NULL;
	return d;
}

static const char *matrix_name(json_t *j)
{
	return json_str(json_object_get(j, "matrix"), "name", "?");
}

/* Copy dir/rel to to/rel. 0, or -1 and err. */
static int copy_one(const char *dir, const char *to, const char *rel, struct buf *err)
{
	char *src = xasprintf("%s/%s", dir, rel), *dst = xasprintf("%s/%s", to, rel);
	char *text = NULL, *slash = strrchr(dst, '/');
	size_t len = 0;
	int r = -1;
	*slash = 0;
	if (read_file(src, &text, &len) < 0)
		buf_printf(err, "%s: %s", src, strerror(errno));
	else if (mkdir_p(dst, 0755) < 0 || (*slash = '/', write_file_atomic(dst, text, len) < 0))
		buf_printf(err, "%s: %s", dst, strerror(errno));
	else
		r = 0;
	free(text);
	free(src);
	free(dst);
	return r;
}

int baseline_save(const char *name, const char *dir, char **where, int *replaced, struct buf *err)
{
	*where = NULL;
	*replaced = 0;
	if (!baseline_name_ok(name)) {
		buf_printf(err, "baseline name \"%s\": want a-z or 0-9 first, then a-z 0-9 . _ -, at most %d characters",
			   name, NAME_MAX_LEN);
		return -1;
	}
	json_t *run = rundir_load_run(dir, err);
	if (!run)
		return -1;
	json_t *sum = json_object_get(run, "summary");
	long long done = json_integer_value(json_object_get(sum, "cells_done"));
	long long planned = json_integer_value(json_object_get(run, "cells_planned"));
	const char *digest = digest_of(run);
	int rc = -1;
	char *kernels = NULL, *ndir = NULL, *tmp = NULL, *fin = NULL, *old = NULL, *src = NULL;
	if (json_is_true(json_object_get(run, "interrupted")) || done < planned) {
		buf_printf(err, "%s: the run %s after %lld of %lld cells: a reference must be a whole run", dir,
			   json_is_true(json_object_get(run, "interrupted")) ? "was interrupted" : "stopped", done,
			   planned);
		goto out;
	}
	if (!digest) {
		buf_printf(err, "%s/run.json: matrix.digest: missing or not a digest", dir);
		goto out;
	}
	kernels = baseline_kernels(run);
	char *root = cache_subdir("baselines");
	ndir = xasprintf("%s/%s", root, name);
	free(root);
	if (mkdir_p(ndir, 0755) < 0) {
		buf_printf(err, "%s: %s", ndir, strerror(errno));
		goto out;
	}
	tmp = xasprintf("%s/.new-XXXXXX", ndir);
	if (!mkdtemp(tmp)) {
		buf_printf(err, "%s: %s", ndir, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	size_t i;
	json_t *row;
	if (copy_one(dir, tmp, "run.json", err))
		goto out;
	char *mp = xasprintf("%s/matrix.json", dir);
	int have_matrix = path_exists(mp);
	free(mp);
	if (have_matrix && copy_one(dir, tmp, "matrix.json", err))
		goto out;
	json_array_foreach(json_object_get(run, "cells"), i, row)
		if (copy_one(dir, tmp, json_string_value(json_object_get(row, "file")), err))
			goto out;
	src = realpath(dir, NULL);
	char *saved = utc_now("%Y-%m-%dT%H:%M:%SZ");
	json_t *meta = json_pack("{s:s,s:s,s:s,s:{s:s,s:s},s:s,s:I,s:s}", "name", name, "saved", saved, "source",
				 src ? src : dir, "matrix", "name", matrix_name(run), "digest", digest, "kernels",
				 kernels, "cells", (json_int_t)json_array_size(json_object_get(run, "cells")),
				 "run_id", json_str(run, "run_id", ""));
	free(saved);
	char *mpath = xasprintf("%s/baseline.json", tmp);
	int w = json_write_atomic(mpath, meta);
	free(mpath);
	json_decref(meta);
	if (w) {
		buf_printf(err, "%s/baseline.json: %s", tmp, strerror(errno));
		goto out;
	}
	/* the new entry in place of the old one, which goes only after */
	fin = xasprintf("%s/%s-%s", ndir, digest, kernels);
	old = xasprintf("%s/.old-%ld", ndir, (long)getpid());
	if (path_exists(fin)) {
		rm_rf(old);
		if (rename(fin, old) < 0) {
			buf_printf(err, "%s: %s", fin, strerror(errno));
			goto out;
		}
		*replaced = 1;
	}
	if (rename(tmp, fin) < 0) {
		buf_printf(err, "%s: %s", fin, strerror(errno));
		if (*replaced && rename(old, fin) == 0)
			*replaced = 0;
		goto out;
	}
	free(tmp);
	tmp = NULL;
	if (*replaced)
		rm_rf(old);
	*where = fin;
	fin = NULL;
	rc = 0;
out:
	if (tmp)
		rm_rf(tmp);
	free(tmp);
	free(fin);
	free(old);
	free(src);
	free(ndir);
	free(kernels);
	json_decref(run);
	return rc;
}

/* The entries of one name's dir (baseline.json objects with "dir"), in
 * name order; NULL when the dir cannot be read. */
static json_t *entries_of(const char *ndir)
{
	DIR *d = opendir(ndir);
	if (!d)
		return NULL;
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.') {
			names = xrealloc(names, (n + 1) * sizeof *names);
			names[n++] = xstrdup(de->d_name);
		}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, cmp_str);
	json_t *out = json_array();
	for (size_t i = 0; i < n; i++) {
		char *edir = xasprintf("%s/%s", ndir, names[i]), *p = xasprintf("%s/baseline.json", edir);
		json_error_t je;
		json_t *m = json_load_file(p, 0, &je);
		if (json_is_object(m) && json_is_string(json_object_get(json_object_get(m, "matrix"), "digest"))) {
			json_object_set_new(m, "dir", json_string(edir));
			json_array_append(out, m);
		}
		json_decref(m);
		free(p);
		free(edir);
		free(names[i]);
	}
	free(names);
	return out;
}

int baseline_find(const char *name, json_t *run, char **dir, struct buf *err)
{
	*dir = NULL;
	if (!baseline_name_ok(name)) {
		buf_printf(err, "--baseline %s: not a baseline name (a-z or 0-9 first, then a-z 0-9 . _ -)", name);
		return -1;
	}
	char *root = cache_subdir("baselines"), *ndir = xasprintf("%s/%s", root, name);
	free(root);
	json_t *all = entries_of(ndir);
	const char *digest = digest_of(run);
	char *kernels = baseline_kernels(run);
	json_t *same = json_array(), *e;
	size_t i;
	json_array_foreach(all, i, e)
		if (digest && !strcmp(json_str(json_object_get(e, "matrix"), "digest", ""), digest))
			json_array_append(same, e);
	json_t *pick = NULL;
	json_array_foreach(same, i, e)
		if (!strcmp(json_str(e, "kernels", ""), kernels))
			pick = e;
	if (!pick && json_array_size(same) == 1)
		pick = json_array_get(same, 0);
	if (pick) {
		*dir = xstrdup(json_str(pick, "dir", ""));
	} else if (!json_array_size(all)) {
		buf_printf(err, "no baseline named \"%s\" in %s (oomlab baseline list shows the saved ones)", name, ndir);
	} else if (!json_array_size(same)) {
		json_t *last = json_array_get(all, json_array_size(all) - 1);
		buf_printf(err, "baseline \"%s\" was saved from matrix \"%s\" (digest %s, %s); this run's matrix \"%s\" "
				"has digest %s: the reference is older than the matrix, save a new one (oomlab baseline "
				"save %s DIR)",
			   name, matrix_name(last), json_str(json_object_get(last, "matrix"), "digest", "?"),
			   json_str(last, "saved", "?"), matrix_name(run), digest ? digest : "none", name);
	} else {
		buf_printf(err, "baseline \"%s\" has this matrix on kernels", name);
		json_array_foreach(same, i, e)
			buf_printf(err, "%s %s", i ? "," : "", json_str(e, "kernels", "?"));
		buf_printf(err, " and this run's kernels are %s: save the reference under a name of its own", kernels);
	}
	json_decref(same);
	json_decref(all);
	free(kernels);
	free(ndir);
	return *dir ? 0 : -1;
}

json_t *baseline_list(void)
{
	char *root = cache_subdir("baselines");
	json_t *out = json_array();
	DIR *d = opendir(root);
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	while (d && (de = readdir(d)))
		if (baseline_name_ok(de->d_name)) {
			names = xrealloc(names, (n + 1) * sizeof *names);
			names[n++] = xstrdup(de->d_name);
		}
	if (d)
		closedir(d);
	if (n)
		qsort(names, n, sizeof *names, cmp_str);
	for (size_t i = 0; i < n; i++) {
		char *ndir = xasprintf("%s/%s", root, names[i]);
		json_t *e = entries_of(ndir);
		json_array_extend(out, e);
		json_decref(e);
		free(ndir);
		free(names[i]);
	}
	free(names);
	free(root);
	return out;
}
