/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The host files a matrix may name (workload file options, as frag's
 * `schedule`): they are copied into the guest, and what the guest reads
 * comes back in the stream, so a matrix that could name any file could
 * read any file of the host. A matrix is input from anyone (CI runs the
 * matrices of pull requests, often as root), so a file it names must
 * resolve, after `..` and every symlink (realpath), to a regular file in
 * the matrix file's own dir or below it; or to a file the user allowed on
 * the command line (--allow-file PATH: that file, or anything under that
 * dir). The user's word is the command line, never the matrix. */
#ifndef OOMLAB_HOSTFILES_H
#define OOMLAB_HOSTFILES_H

#include <stddef.h>

#include "lib/util.h"

/* The largest file an option may name: it goes into every cell's
 * initramfs (and the guest's RAM). A schedule of a million operations is
 * ~20 MB. */
#define HOSTFILE_MAX_BYTES (64LL << 20)

struct file_scope {
	const char *dir;          /* the matrix file's dir: relative paths start here */
	const char *dir_named;    /* how messages name it; NULL: "the matrix file's dir" */
	const char *const *allow; /* --allow-file paths, resolved (hostfiles_allow) */
	size_t n_allow;
};

/* The file path (relative to s->dir, or absolute) names, checked: 0 and
 * *real (its realpath; caller frees), or -1 and one line in why saying
 * where the path leads and what is allowed (without the key: the caller
 * names it). */
int hostfiles_resolve(const struct file_scope *s, const char *path, char **real, struct buf *why);

/* The same for a path that may also name a dir (exec's `files`): the dir
 * itself is checked; what is in it is carried as it is, symlinks left out
 * (boot/carry.h). */
int hostfiles_resolve_tree(const struct file_scope *s, const char *path, char **real,
			   struct buf *why);

/* --allow-file PATH: its realpath appended to *list (n entries; free with
 * hostfiles_allow_free). -1 with why when it does not resolve. */
int hostfiles_allow(char ***list, size_t *n, const char *path, struct buf *why);
void hostfiles_allow_free(char **list, size_t n);

#endif
