/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What a report quotes of a console log when a VM died early: the lines
 * from the first sign of a crash (an oops, a panic, a fault the kernel
 * traps), else the last lines. Pure; the text is the guest's (untrusted):
 * the excerpt is bounded in lines and bytes. */
#ifndef OOMLAB_EXCERPT_H
#define OOMLAB_EXCERPT_H

#include <stddef.h>

#define EXCERPT_LINES 24
#define EXCERPT_BYTES 4096

/* The excerpt of text (len bytes; need not be NUL-terminated), at most
 * max_lines lines and EXCERPT_BYTES bytes (malloc'ed, NUL-terminated;
 * "" for an empty text). */
char *console_excerpt(const char *text, size_t len, size_t max_lines);

/* The start of a crash the excerpt looks for: how many, and the i-th
 * (NULL past the end), in the order they are looked for. */
size_t excerpt_markers(void);
const char *excerpt_marker(size_t i);

/* The last part of a file: at most max bytes from its end, cut to whole
 * lines (malloc'ed, NUL-terminated, *len its length). 0, or -1 with errno. */
int read_file_tail(const char *path, size_t max, char **text, size_t *len);

#endif
