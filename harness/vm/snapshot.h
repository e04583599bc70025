/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Warm-start snapshots (docs/warm-starts.md): a VM booted once up to the
 * agent's ready point (cellconf.h: warmed up, quiet), stopped while its
 * vCPU idles and saved with QEMU migration into a file, which is then
 * restored SNAP_CHECKS times (vm/snapcheck.h) before any cell uses it.
 * One snapshot serves every cell with the same inputs; the file is named
 * by a SHA-256 of all of them, so a change of any input (kernel image,
 * initramfs bytes, RAM, CPUs, accelerator, the CPU KVM passes through,
 * disk layout, kernel command line, QEMU version) makes a new one and
 * never reuses a stale one.
 *
 * Cache: $OOMLAB_SNAPSHOTS if set, else cache_subdir("snapshots")
 * (lib/paths.h: $OOMLAB_CACHE, the checkout's .cache or ~/.cache/oomlab):
 * <key>.state (the migration stream), <key>.ram (the guest's RAM, when
 * snap_inputs.ram_file: then the stream holds only the devices),
 * <key>.json (its inputs, how it was made and checked), <key>.lock
 * (flock: one worker builds, the others wait and reuse), <key>.crashes
 * (one line per restore that crashed the guest), and after a quarantine
 * <key>.quarantined (the last state that crashed, kept to replay it) with
 * its <key>.quarantined.ram, and <key>.quarantines (how many).
 *
 * A state and its RAM go together: a RAM file is put in place before
 * its state (both renamed from temp names) and removed or moved after it,
 * so whoever finds a state finds its RAM; a restore opens both and checks
 * that the state at the name is still the one it opened (snapshot_open). */
#ifndef OOMLAB_SNAPSHOT_H
#define OOMLAB_SNAPSHOT_H

#include "lib/util.h"
#include "vm/snapspec.h"

struct snapshot {
	char key[65];
	char *state;           /* path of the saved state */
	char *ram;             /* path of its RAM file (<key>.ram), or NULL: the RAM is in the state */
	int built;             /* made by this call (else found in the cache) */
	double build_s;        /* host time it took to build (when built) */
	double wait_s;         /* host time spent in snapshot_get (build or wait for a builder) */
};

/* A snapshot is checked this many times after it is built (every check a
 * restore that must answer); $OOMLAB_SNAPSHOT_CHECKS overrides it. */
#define SNAP_CHECKS_DEFAULT 3
/* A snapshot whose restores crashed the guest this many times is
 * quarantined (the next cell builds a new one); $OOMLAB_SNAPSHOT_CRASH_LIMIT
 * overrides it. */
#define SNAP_CRASH_LIMIT_DEFAULT 2
/* After this many quarantines of one key's snapshots no more are built:
 * its cells start cold (rm <key>.quarantines to try again). */
#define SNAP_QUARANTINE_MAX 3

/* The cache dir (malloc'ed). */
char *snapshot_dir(void);

/* The cache is kept under $OOMLAB_SNAPSHOT_CACHE_MB (default below): after
 * a build, the least recently used snapshots go first. A snapshot's mtime
 * is its last use (a cell that restores it touches it). */
#define SNAP_CACHE_MB_DEFAULT 2048

struct snap_entry {
	char key[65];
	long long bytes;   /* its .state (or .quarantined) file and its RAM file */
	long long used_ns; /* last use (mtime) */
};

/* Which entries to remove so that the rest fit in cap_bytes, oldest use
 * first, never keep_key (the one just built or used). Writes their
 * indexes into victims (room for n) and returns how many. Pure. */
size_t snapshot_prune_pick(const struct snap_entry *e, size_t n, long long cap_bytes, const char *keep_key,
			   size_t *victims);

/* Remove the least recently used snapshots of dir (each with all its
 * files: state, RAM, quarantined ones) until the rest fit in
 * $OOMLAB_SNAPSHOT_CACHE_MB, never keep_key's. */
void snapshot_prune(const char *dir, const char *keep_key);

/* The key of these inputs. 0, or -1 with err (an unreadable input). */
int snapshot_key(const struct snap_inputs *in, char key[65], struct buf *err);

/* A build's boot gets the cell's timeout_s, but never less than this: a
 * snapshot is shared by every cell of its inputs, whatever their limits,
 * and a cell with a short limit (5 s) on a slow or busy host would
 * otherwise fail the build each time and boot cold after it. */
#define SNAP_BOOT_MIN_S 90

/* Find the snapshot of in, or build it (boot, wait for ready, save) with
 * at most max(timeout_s, SNAP_BOOT_MIN_S) for the boot. tmp_root holds
 * the builder's temp dir. 0, or -1 with err; out->wait_s is the time
 * spent either way (a failed build is not the cell's time either), the
 * rest of out is set only on success. */
int snapshot_get(const struct snap_inputs *in, const char *tmp_root, int timeout_s,
		 struct snapshot *out, struct buf *err);
void snapshot_free(struct snapshot *s);

/* Open s's files for one restore: the state (O_CLOEXEC) into *state_fd,
 * then its RAM file, when it has one, into *ram_fd (-1 when not), which
 * QEMU inherits and maps as /dev/fd/N (not O_CLOEXEC: close it once QEMU
 * started). Then the state at its name must still be the one opened: a
 * quarantine or prune between the two opens would pair a state with
 * another build's RAM. 0, or -1 with err and nothing open (the snapshot
 * went away: the cell boots cold). */
int snapshot_open(const struct snapshot *s, int *state_fd, int *ram_fd, struct buf *err);
/* The name of the RAM file of a state file (".state" -> ".ram", else
 * name + ".ram"; malloc'ed). Pure. */
char *snapshot_ram_name(const char *state);

/* A restore of the snapshot key crashed the guest before the agent's
 * hello (why: what happened). It is counted in <key>.crashes; at the
 * crash limit the snapshot is quarantined. Returns 1 when this call
 * quarantined it, else 0. */
int snapshot_restore_crashed(const char *key, const char *why);
/* Move <key>.state aside as <key>.quarantined (replacing an older one),
 * then its <key>.ram as <key>.quarantined.ram, and count it in
 * <key>.quarantines; the next snapshot_get builds anew.
 * 0, or -1 (errno) when there was no state to move. */
int snapshot_quarantine(const char *dir, const char *key, const char *why);
/* How many times key's snapshots were quarantined (0: never). */
int snapshot_quarantines(const char *dir, const char *key);

/* In "info registers -a" text from QEMU's monitor: 1 when every vCPU shows
 * HLT=1 (halted: the guest idles), else 0. Pure. */
int snapshot_all_halted(const char *info_registers);

/* A sparse raw disk image of mb MiB (what every snapshot disk is: the
 * guest never wrote it before the snapshot). 0 or -1 (err). */
int snapshot_make_disk(const char *path, long long mb, struct buf *err);

#endif
