/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Warm-start snapshots: a VM booted once up to the agent's ready point
 * (cellconf.h), stopped and saved with QEMU migration into a file. One
 * snapshot serves every cell with the same inputs; the file is named by a
 * SHA-256 of all of them, so a change of any input (kernel image,
 * initramfs bytes, RAM, CPUs, accelerator, the CPU KVM passes through,
 * disk layout, kernel command line, QEMU version) makes a new one and
 * never reuses a stale one.
 *
 * Cache: $OOMLAB_SNAPSHOTS if set, else cache_subdir("snapshots")
 * (lib/paths.h: $OOMLAB_CACHE, the checkout's .cache or ~/.cache/oomlab):
 * <key>.state (the migration stream), <key>.json (its inputs
 * and how long it took), <key>.lock (flock: one worker builds, the others
 * wait and reuse). */
#ifndef OOMLAB_SNAPSHOT_H
#define OOMLAB_SNAPSHOT_H

#include "lib/util.h"

#define SNAP_DISKS_MAX 9

struct snap_inputs {
	const char *image;     /* bzImage */
	const char *initrd;    /* the warm initramfs (no cell.conf) */
	const char *append;    /* kernel command line (no per-cell part) */
	const char *accel;
	const char *cpu;       /* the CPU the guest gets (vm/hostcpu.h): KVM's
				* -cpu host; NULL under TCG */
	long long ram_mb, cpus;
	long long disk_mb[SNAP_DISKS_MAX]; /* virtio-blk disks in -drive order */
	size_t n_disks;
};

struct snapshot {
	char key[65];
	char *state;           /* path of the saved state */
	int built;             /* made by this call (else found in the cache) */
	double build_s;        /* host time it took to build (when built) */
	double wait_s;         /* host time spent in snapshot_get (build or wait for a builder) */
};

/* The cache dir (malloc'ed). */
char *snapshot_dir(void);

/* The cache is kept under $OOMLAB_SNAPSHOT_CACHE_MB (default below): after
 * a build, the least recently used snapshots go first. A snapshot's mtime
 * is its last use (a cell that restores it touches it). */
#define SNAP_CACHE_MB_DEFAULT 2048

struct snap_entry {
	char key[65];
	long long bytes;   /* its .state file */
	long long used_ns; /* last use (mtime) */
};

/* Which entries to remove so that the rest fit in cap_bytes, oldest use
 * first, never keep_key (the one just built or used). Writes their
 * indexes into victims (room for n) and returns how many. Pure. */
size_t snapshot_prune_pick(const struct snap_entry *e, size_t n, long long cap_bytes, const char *keep_key,
			   size_t *victims);

/* The key of these inputs. 0, or -1 with err (an unreadable input). */
int snapshot_key(const struct snap_inputs *in, char key[65], struct buf *err);

/* Find the snapshot of in, or build it (boot, wait for ready, save) with
 * at most timeout_s for the boot. tmp_root holds the builder's temp dir.
 * 0, or -1 with err (out untouched). */
int snapshot_get(const struct snap_inputs *in, const char *tmp_root, int timeout_s,
		 struct snapshot *out, struct buf *err);
void snapshot_free(struct snapshot *s);

/* A sparse raw disk image of mb MiB (what every snapshot disk is: the
 * guest never wrote it before the snapshot). 0 or -1 (err). */
int snapshot_make_disk(const char *path, long long mb, struct buf *err);

#endif
