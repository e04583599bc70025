/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A dynamic host program and everything it needs to run in the guest: the
 * shared libraries the dynamic loader itself lists (`<interp> --list
 * <exe>`), and the loader named by the program's PT_INTERP. The guest gets
 * them at the same paths, so PT_INTERP and the loader's default search
 * path resolve there as they do on the host.
 *
 * ldlist_parse() and elf_interp() are pure over (buf, len); ldlist_resolve()
 * runs the loader (run_capture, an argv array, never a shell). */
#ifndef OOMLAB_LDLIST_H
#define OOMLAB_LDLIST_H

#include <stddef.h>

#include "lib/util.h"

struct ldlist_item {
	char *soname; /* "libm.so.6"; for the loader's own line its path */
	char *path;   /* "/lib/x86_64-linux-gnu/libm.so.6" (absolute) */
};

struct ldlist {
	struct ldlist_item *v;
	size_t n;
};

/* Parse the loader's trace output, one line per object:
 *   "\tlibm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x00007f...)"
 *   "\t/lib64/ld-linux-x86-64.so.2 (0x00007f...)"      the loader itself
 *   "\tlinux-vdso.so.1 (0x00007f...)"                  skipped (in the kernel)
 *   "\tlibfoo.so.1 => not found"                       error naming libfoo.so.1
 * Items are appended to out in the order listed (a path already in out is
 * not added twice). Returns the number of items added, or -1 with err
 * holding one message (a missing library, a line it does not understand,
 * no object at all). buf need not be NUL-terminated. */
int ldlist_parse(const char *buf, size_t len, struct ldlist *out, struct buf *err);

/* PT_INTERP of an ELF file image (32 or 64 bit, little or big endian):
 * 1 and the path in out (NUL-terminated), 0 for an ELF without PT_INTERP
 * (static), -1 for something that is not a well-formed ELF or an
 * interpreter path that does not fit outsz. */
int elf_interp(const char *buf, size_t len, char *out, size_t outsz);

/* Append exe, the libraries the loader lists for it and the loader to out
 * (no duplicates). A static exe adds only itself. Returns 0, or -1 with err
 * naming the program and what is wrong (missing library, loader failed). */
int ldlist_resolve(const char *exe, struct ldlist *out, struct buf *err);

/* Append one item (copies; no-op when path is already there). */
void ldlist_add(struct ldlist *l, const char *soname, const char *path);
void ldlist_free(struct ldlist *l);

#endif
