// SPDX-License-Identifier: GPL-2.0-or-later
#include "plan/hostfiles.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Is the resolved path p the dir d or under it? */
static int under(const char *p, const char *d)
{
	size_t n = strlen(d);
	if (n == 1 && d[0] == '/')
		return p[0] == '/';
	return !strncmp(p, d, n) && (p[n] == '/' || p[n] == 0);
}

/* Does an --allow-file entry (resolved) cover the resolved path p? */
static int allowed(const struct file_scope *s, const char *p)
{
	for (size_t i = 0; i < s->n_allow; i++) {
		struct stat sb;
		const char *a = s->allow[i];
		if (!strcmp(a, p) || (stat(a, &sb) == 0 && S_ISDIR(sb.st_mode) && under(p, a)))
			return 1;
	}
	return 0;
}

static int resolve(const struct file_scope *s, const char *path, int dirs, char **real, struct buf *why)
{
	*real = NULL;
	const char *dir = s->dir && *s->dir ? s->dir : ".";
	char *given = path[0] == '/' ? xstrdup(path) : xasprintf("%s/%s", dir, path);
	char *r = realpath(given, NULL);
	if (!r) {
		if (errno == ENOENT || errno == ENOTDIR)
			buf_printf(why, "no such file: %s", given);
		else
			buf_printf(why, "%s: %s", given, strerror(errno));
		free(given);
		return -1;
	}
	free(given);
	char *root = realpath(dir, NULL);
	int ok = (root && under(r, root)) || allowed(s, r);
	struct stat sb;
	if (!ok) {
		buf_printf(why,
			   "%s is %s, outside %s (allowed: a regular file in that dir or below it, or a file "
			   "or dir given with --allow-file PATH)",
			   path, r, s->dir_named ? s->dir_named : "the matrix file's dir");
	} else if (stat(r, &sb) < 0) {
		buf_printf(why, "%s: %s", r, strerror(errno));
		ok = 0;
	} else if (!S_ISREG(sb.st_mode) && !(dirs && S_ISDIR(sb.st_mode))) {
		buf_printf(why, "%s is %s, not a regular file%s", path, r, dirs ? " or a dir" : "");
		ok = 0;
	} else if (S_ISREG(sb.st_mode) && sb.st_size > HOSTFILE_MAX_BYTES) {
		buf_printf(why, "%s has %lld bytes; a file option may name at most %lld MiB", path,
			   (long long)sb.st_size, HOSTFILE_MAX_BYTES >> 20);
		ok = 0;
	}
	free(root);
	if (!ok) {
		free(r);
		return -1;
	}
	*real = r;
	return 0;
}

int hostfiles_resolve(const struct file_scope *s, const char *path, char **real, struct buf *why)
{
	return resolve(s, path, 0, real, why);
}

int hostfiles_resolve_tree(const struct file_scope *s, const char *path, char **real,
			   struct buf *why)
{
	return resolve(s, path, 1, real, why);
}

int hostfiles_allow(char ***list, size_t *n, const char *path, struct buf *why)
{
	char *r = realpath(path, NULL);
	if (!r) {
		buf_printf(why, "--allow-file %s: %s", path, strerror(errno));
		return -1;
	}
	*list = xrealloc(*list, (*n + 1) * sizeof **list);
	(*list)[(*n)++] = r;
	return 0;
}

void hostfiles_allow_free(char **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
}
