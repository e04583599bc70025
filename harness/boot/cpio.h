/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A minimal writer for "newc" (070701) cpio archives, the format the Linux
 * kernel unpacks as an initramfs.
 *
 * Every entry gets a fresh inode number, uid/gid 0, mtime 0 (reproducible
 * output), nlink 1 (2 for directories). Names are stored without leading
 * '/' (the kernel and `cpio -i` both expect relative names); a name that is
 * empty, or has a "." or ".." component, is refused (EINVAL).
 *
 * Errors are sticky: once a call fails, every later call fails with the same
 * errno, so a sequence of adds can be checked once, at cpio_finish(). All
 * functions return 0, or -1 with errno set; a NULL archive gives EINVAL.
 */
#ifndef OOMLAB_CPIO_H
#define OOMLAB_CPIO_H

#include <stddef.h>
#include <sys/types.h>

struct cpio;

/* Create the archive file: a new file (lib/newfile.h: whatever was at path,
 * a symlink included, is removed, never written through). NULL with errno
 * on failure. */
struct cpio *cpio_create(const char *path);

/* mode: permission bits (07777); the file type is implied by the call. */
int cpio_add_dir(struct cpio *c, const char *name, mode_t mode);
int cpio_add_file(struct cpio *c, const char *name, mode_t mode, const void *data, size_t len);
int cpio_add_symlink(struct cpio *c, const char *name, const char *target);
/* Device node: mode may carry S_IFCHR or S_IFBLK (no type bits: character
 * device). No privileges needed: it is only a header. */
int cpio_add_nod(struct cpio *c, const char *name, mode_t mode, unsigned major, unsigned minor);

/* Write the TRAILER!!! entry, flush, close, free. On any (earlier or
 * current) error the partial file is removed and -1 returned. */
int cpio_finish(struct cpio *c);
/* Close, remove the partial file, free. NULL is a no-op. */
void cpio_abort(struct cpio *c);

#endif
