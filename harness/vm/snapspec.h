/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The inputs of a warm-start snapshot (snapshot.h): what its VM is. Apart
 * so that the snapshot's check (snapcheck.h) can start the same VM. */
#ifndef OOMLAB_SNAPSPEC_H
#define OOMLAB_SNAPSPEC_H

#include <stddef.h>

#define SNAP_DISKS_MAX 9

struct snap_inputs {
	const char *image;     /* bzImage */
	const char *initrd;    /* the warm initramfs (no cell.conf) */
	const char *append;    /* kernel command line (no per-cell part) */
	const char *accel;
	const char *cpu;       /* the CPU the guest gets (vm/hostcpu.h): KVM's
				* -cpu host; NULL under TCG */
	long long ram_mb, cpus;
	int ram_file;          /* the guest's RAM is a file beside the state,
				* mapped privately by each restore (<key>.ram,
				* lib/fastpath.h FAST_RAM); 0: in the state,
				* copied in by every restore */
	int shm;               /* the VM has the stream's ring device
				* (proto/shmring.h, lib/fastpath.h FAST_SHM):
				* each restore gets a fresh region */
	long long disk_mb[SNAP_DISKS_MAX]; /* virtio-blk disks in -drive order */
	size_t n_disks;
};

#endif
