/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Creating files on the host, where a results dir or a cache may be
 * shared with other users: a file oomlab writes is always a new inode it
 * created itself (O_CREAT|O_EXCL|O_NOFOLLOW), never an existing file and
 * never what a symlink planted at the name points to. Temp names are
 * random, so nobody can plant one in advance.
 *
 *   file_create    a new file at path; anything already there is EEXIST
 *   file_replace   remove what is at path (a symlink itself, never what
 *                  it points to), then file_create
 *   file_tmp_name  path.tmp.<pid>.<random>, for a file renamed to path when
 *                  it is whole (write_file_atomic in lib/util.h)
 *   file_create_tmp  a new temp file beside path: file_tmp_name and
 *                  file_create, again on a name that is taken
 *
 * The fds are O_WRONLY and O_CLOEXEC. All return -1 with errno on failure. */
#ifndef OOMLAB_NEWFILE_H
#define OOMLAB_NEWFILE_H

#include <sys/types.h>

int file_create(const char *path, mode_t mode);
int file_replace(const char *path, mode_t mode);
/* malloc'ed; a new random part on each call */
char *file_tmp_name(const char *path);
/* fd, and its name in *tmp (caller frees; NULL on failure). */
int file_create_tmp(const char *path, mode_t mode, char **tmp);
/* 1 when path itself is a symlink (a dir oomlab writes into must not be:
 * files renamed into it would land where it points). */
int path_is_symlink(const char *path);

#endif
