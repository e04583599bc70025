/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What a cell's workloads carry into the guest besides oomlab's own
 * programs: the files their options name (a schedule), the programs they
 * run (stress-ng, earlyoom, the program of an exec workload) with the
 * shared libraries their loader lists and the loader itself, and the
 * files and dirs of an exec workload's `files`. Everything becomes an
 * extra file of the initramfs, which the guest unpacks into its RAM, so
 * what a cell carries must fit in half of its RAM (CARRY_RAM_DIVISOR): a
 * program too big for its cell is refused here, with the sizes.
 *
 * Order (the initramfs is built in it, and a warm start's snapshot is
 * keyed on the initramfs): the data files and trees of every workload,
 * then each program with its libraries, a guest path only once. */
#ifndef OOMLAB_CARRY_H
#define OOMLAB_CARRY_H

#include <stddef.h>

#include "boot/initramfs.h"
#include "lib/util.h"
#include "plan/spec.h"

/* At most 1/CARRY_RAM_DIVISOR of the cell's RAM is carried. */
#define CARRY_RAM_DIVISOR 2
/* Files of the carried dirs of a cell, all together, at most. */
#define CARRY_TREE_MAX_FILES 4096

struct carry {
	struct initramfs_file *v; /* guest path, host path, mode (0: the host's) */
	size_t n;
	char **owned;             /* the strings v points to */
	size_t n_owned;
	/* sizes in bytes, for the message of a cell that cannot carry them */
	long long prog_bytes, lib_bytes, file_bytes;
	size_t n_libs, n_files;
};

/* Everything cs's workloads carry, in the order above. Returns 0, or -1
 * with err naming the workload and what is wrong (a program that is not
 * ELF, a library not found, carried dirs with too many files, the whole
 * too big for the cell: carry_fits). */
int carry_cell(const struct cell_spec *cs, struct carry *out, struct buf *err);
void carry_free(struct carry *c);

/* Does what c holds fit a cell of ram_mb? 0, or -1 with one line in err:
 *   "the programs and files its workloads carry come to 80.0 MiB (programs
 *    2.0 MiB, 3 libraries 70.0 MiB, 2 files 8.0 MiB); a cell of ram_mb 128
 *    can carry at most 64 MiB (half its RAM: the guest unpacks its
 *    initramfs into memory): give it more ram_mb or carry less"
 * Pure. */
int carry_fits(const struct carry *c, long long ram_mb, struct buf *err);

#endif
