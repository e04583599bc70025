/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The man page oomlab.1 (roff with the man macros), printed from the
 * command table and each command's doc (cli.h): the same data as
 * `oomlab --help` and `oomlab CMD --help`, so the two cannot drift.
 * `oomlab help --man` prints it; make install puts it in
 * PREFIX/share/man/man1/. No date in it: the same build, the same page. */
#ifndef OOMLAB_MANPAGE_H
#define OOMLAB_MANPAGE_H

#include <stddef.h>
#include <stdio.h>

#include "cli.h"

void manpage_write(FILE *f, const struct command *cmds, size_t n);

/* Text for a roff line: '\' as \e, '-' as \- (an ASCII minus, so an
 * option copied from the page works), a line starting with '.' or '\''
 * guarded by \&; newlines stay. */
void manpage_text(FILE *f, const char *s);

#endif
