/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Small host-side helpers: allocation that cannot fail silently, files,
 * atomic writes, directories, logging. No policy lives here. */
#ifndef OOMLAB_UTIL_H
#define OOMLAB_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>

#include "proto/macros.h"

#define OOMLAB_VERSION "0.1.0"


/* Allocation failure on the host is not recoverable: these abort with a
 * message instead of returning NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable byte buffer (always NUL-terminated for convenience). */
struct buf {
	char *data;
	size_t len, cap;
};
void buf_append(struct buf *b, const void *p, size_t n);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_free(struct buf *b);

/* Read a whole file. Returns 0, or -1 with errno set. *buf is NUL-terminated. */
int read_file(const char *path, char **buf, size_t *len);
/* read(2), again while a signal interrupts it (EINTR); else as read(2). */
ssize_t read_retry(int fd, void *buf, size_t len);
/* Append what fd gives until its end. 0, or -1 with errno (what was read
 * before the error stays in b). */
int buf_read_fd(struct buf *b, int fd);
/* All of data to fd, again after interrupted and short writes. 0, or -1
 * with errno. send_full is for a socket: send(2) with MSG_NOSIGNAL, so a
 * peer that is gone is EPIPE, not a SIGPIPE. */
int write_full(int fd, const void *data, size_t len);
int send_full(int fd, const void *data, size_t len);
/* Write via a new temporary file in the same directory (lib/newfile.h:
 * a random name, created exclusively, never through a symlink), fsync,
 * rename (which replaces a symlink at path, not what it points to).
 * Returns 0, or -1 with errno set; the old file is untouched on error. */
int write_file_atomic(const char *path, const void *data, size_t len);
/* The same for a buffer (an empty one writes an empty file); on error err
 * gets "cannot write PATH: reason". 0 or -1. */
int buf_write_atomic(const char *path, const struct buf *text, struct buf *err);
int mkdir_p(const char *path, mode_t mode);
/* Remove a tree (no symlink following). Returns 0 or -1. NULL is a no-op. */
int rm_rf(const char *path);
int path_exists(const char *path);
double now_s(void); /* CLOCK_MONOTONIC seconds */
/* The current UTC time in strftime format fmt (caller frees). */
char *utc_now(const char *fmt);

/* Colours on fd: a terminal, and NO_COLOR (no-color.org) unset or empty. */
int want_color(int fd);

/* Logging to stderr, prefixed "oomlab: ". */
void log_msg(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_info(...) log_msg("", __VA_ARGS__)
#define log_warn(...) log_msg("warning: ", __VA_ARGS__)
#define log_err(...) log_msg("error: ", __VA_ARGS__)

/* Parse a decimal integer that must fill the whole string. 0 or -1. */
int parse_ll(const char *s, long long *out);

#endif
