/* Warm-start snapshots: a VM booted once up to the agent's ready point
 * (cellconf.h), stopped and saved with QEMU migration into a file. One
 * snapshot serves every cell with the same inputs; the file is named by a
 * SHA-256 of all of them, so a change of any input (kernel image,
 * initramfs bytes, RAM, CPUs, accelerator, disk layout, kernel command
 * line, QEMU version) makes a new one and never reuses a stale one.
 *
 * Cache: $OOMLAB_SNAPSHOTS if set, else <cache>/snapshots ($OOMLAB_CACHE
 * or .cache): <key>.state (the migration stream), <key>.json (its inputs
 * and how long it took), <key>.lock (flock: one worker builds, the others
 * wait and reuse). */
#ifndef OOMLAB_SNAPSHOT_H
#define OOMLAB_SNAPSHOT_H

#include "util.h"

#define SNAP_DISKS_MAX 9

struct snap_inputs {
	const char *image;     /* bzImage */
	const char *initrd;    /* the warm initramfs (no cell.conf) */
	const char *append;    /* kernel command line (no per-cell part) */
	const char *accel;
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
