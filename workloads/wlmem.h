/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers shared by the memory-kind workloads (pagefrag, shm, tmpfs,
 * filecache): small /proc readers, page residency, tmpfs mounts, filling a
 * shmem file, and holding memory while reporting what is resident. Linked
 * into the guest binary (and, unused, into the host like every workload
 * file). Nothing here allocates from the heap while memory is short. */
#ifndef OOMLAB_WLMEM_H
#define OOMLAB_WLMEM_H

#include <stddef.h>
#include <sys/types.h>

#define WLM_MIB (1024ull * 1024ull)
#define WLM_PAGE 4096ull

/* Whole file into buf (NUL-terminated). Returns its length or -1. */
ssize_t wlm_read_file(const char *path, char *buf, size_t size);
/* A /proc/meminfo value in kB, or -1. */
long long wlm_meminfo_kb(const char *key);
/* "key value" files (/proc/vmstat, smaps_rollup "Key: N kB"): value or -1. */
long long wlm_file_value(const char *path, const char *key);
long long wlm_vmstat(const char *key);
/* CLOCK_MONOTONIC in ms. */
long long wlm_now_ms(void);
void wlm_sleep_ms(long long ms);
/* Pages of [addr, addr+len) resident in RAM (mincore; for a shmem or
 * block-device mapping: in the page cache, not in swap), -1 on error. */
long long wlm_resident_pages(const void *addr, size_t len);
/* 1 when dir is a mount point (/proc/self/mountinfo), 0 when not, -1. */
int wlm_is_mountpoint(const char *dir);
/* mkdir -p dir and mount a tmpfs there with size=<size_mb>m (0: no
 * limit), mode 1777. Sets *mounted when it mounted one (0 when dir already
 * was a mount point). Returns 0 or -1 (errno). */
int wlm_mount_tmpfs(const char *dir, long long size_mb, int *mounted);
/* oomlab-buddyinfo <tag> <line> for each line of /proc/buddyinfo (the host
 * parses them into metrics buddyinfo.<tag>.<zone>.o<order>). */
void wlm_say_buddyinfo(const char *tag);

/* Fill a shmem object (tmpfs file, POSIX shm, memfd: fd >= 0; SysV
 * segment: fd < 0 and seg set) with bytes, every page written. */
enum wlm_fill_how { WLM_FILL_MMAP, WLM_FILL_WRITE };
struct wlm_fill {
	int fd;
	unsigned char *seg;        /* SysV: the attached segment */
	unsigned long long bytes;
	enum wlm_fill_how how;
	/* results */
	unsigned long long done;   /* bytes written */
	const char *reason;        /* "done", "enospc", "enomem", "sigbus", "error" */
	int err;                   /* errno of the failure */
	const unsigned char *map;  /* the object mapped (for residency), or NULL */
	size_t map_len;
};
void wlm_fill_shmem(struct wlm_fill *f);
/* Report residency of f->map every second or so (oomlab-metric
 * resident_mb=.. swapped_mb=..) for hold_ms, then once more. */
void wlm_hold(const struct wlm_fill *f, long long hold_ms);
/* Read every page of f->map back (swapping in what was swapped out) and
 * report oomlab-metric verified_mb=.. bad_pages=.. (pages whose first
 * byte is not the fill byte) verify_ms=.. */
void wlm_verify(const struct wlm_fill *f);

#endif
