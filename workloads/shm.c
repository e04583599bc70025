// SPDX-License-Identifier: GPL-2.0-or-later
/* shm: fill shared memory and hold it. Shared memory lives in shmem (the
 * kernel's tmpfs): its pages show as Shmem in /proc/meminfo and can leave
 * RAM only to swap; the kernel cannot drop them. A POSIX object or a SysV
 * segment outlives the process (--keep 1, the default): killing the
 * workload does not give the memory back.
 *
 *   api=posix  shm_open("/oomlab-shm-<pid>") in /dev/shm. The guest has no
 *              /dev/shm mount (the agent mounts /proc, /sys, /dev, /tmp):
 *              the workload mounts a tmpfs there (size=--fs-size-mb, 0 = no
 *              limit) unless one is mounted already.
 *   api=memfd  memfd_create: the same pages, no name, gone with the process.
 *   api=sysv   shmget/shmat (kernel.shmmax/shmall apply).
 */
#define _FILE_OFFSET_BITS 64
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wl.h"
#include "wlmem.h"

enum { O_SIZE_MB, O_API, O_FILL, O_HOLD_MS, O_VERIFY, O_KEEP, O_FS_SIZE_MB };
enum { API_POSIX, API_MEMFD, API_SYSV };

static const char *const apis[] = { "posix", "memfd", "sysv", NULL };
static const char *const fills[] = { "mmap", "write", NULL };

static const struct wl_opt opts[] = {
	[O_SIZE_MB] = { "size-mb", OPT_SIZE_MB, 1, 1LL << 20, 64, "shared memory to fill" },
	[O_API] = { "api", OPT_ENUM, 0, 0, API_POSIX,
		    "posix: shm_open in /dev/shm; memfd: memfd_create; sysv: shmget", apis },
	[O_FILL] = { "fill", OPT_ENUM, 0, 0, WLM_FILL_MMAP,
		     "mmap: map it and write every page; write: write(2) it (posix, memfd)", fills },
	[O_HOLD_MS] = { "hold-ms", OPT_INT, 0, 86400000, 0,
			"stay alive this long after filling, reporting what is resident" },
	[O_VERIFY] = { "verify", OPT_INT, 0, 1, 0,
			"1: after the hold, read every page back (from swap if need be) and "
			"count pages that lost their contents" },
	[O_KEEP] = { "keep", OPT_INT, 0, 1, 1,
		     "1: leave the posix object / sysv segment behind at exit (its memory "
		     "stays used); 0: remove it" },
	[O_FS_SIZE_MB] = { "fs-size-mb", OPT_SIZE_MB, 0, 1LL << 20, 0,
			   "size= of the tmpfs the workload mounts on /dev/shm (0: no limit)" },
};

static int run(const struct wl_args *a)
{
	const long long *v = a->v;
	unsigned long long bytes = (unsigned long long)v[O_SIZE_MB] * WLM_MIB;
	struct wlm_fill f = { .fd = -1, .bytes = bytes, .how = (enum wlm_fill_how)v[O_FILL] };
	char name[64] = "";
	int shmid = -1, mounted = 0;
	long long shmem0 = wlm_meminfo_kb("Shmem");

	wl_say("oomlab-start workload=shm pid=%d api=%s fill=%s size_mb=%lld vmsize_kb=%lld "
	       "rlimit_as_kb=%lld oom_score_adj=%lld\n",
	       (int)getpid(), a->s[O_API], a->s[O_FILL], v[O_SIZE_MB], wl_vmsize_kb(),
	       wl_rlimit_as_kb(), wl_oom_score_adj());
	switch (v[O_API]) {
	case API_POSIX:
		if (wlm_mount_tmpfs("/dev/shm", v[O_FS_SIZE_MB], &mounted) < 0) {
			wl_say("oomlab-result workload=shm reason=error mb=0 bytes=0 errno=%d "
			       "what=mount_dev_shm\n", errno);
			return 0;
		}
		snprintf(name, sizeof name, "/oomlab-shm-%d", (int)getpid());
		f.fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
		break;
	case API_MEMFD:
		f.fd = memfd_create("oomlab-shm", MFD_CLOEXEC);
		break;
	case API_SYSV:
		if (bytes > (unsigned long long)(size_t)-1) {
			errno = ENOMEM;
			break;
		}
		shmid = shmget(IPC_PRIVATE, (size_t)bytes, IPC_CREAT | 0600);
		if (shmid >= 0) {
			f.seg = shmat(shmid, NULL, 0);
			if (f.seg == (void *)-1) {
				int e = errno;
				shmctl(shmid, IPC_RMID, NULL);
				f.seg = NULL;
				shmid = -1;
				errno = e;
			}
		}
		break;
	}
	if (f.fd < 0 && !f.seg) {
		int e = errno;
		wl_say("oomlab-result workload=shm reason=%s mb=0 bytes=0 errno=%d what=create\n",
		       e == ENOMEM ? "enomem" : e == ENOSPC ? "enospc" : "error", e);
		return 0;
	}
	wl_say("oomlab-metric mounted_dev_shm=%d shm_name=%s shmid=%d\n", mounted,
	       *name ? name : "-", shmid);
	long long t0 = wlm_now_ms();
	wlm_fill_shmem(&f);
	wl_say("oomlab-metric filled_mb=%llu fill_ms=%lld shmem_delta_kb=%lld\n", f.done / WLM_MIB,
	       wlm_now_ms() - t0, wlm_meminfo_kb("Shmem") - shmem0);
	if (!strcmp(f.reason, "done"))
		wlm_hold(&f, v[O_HOLD_MS]);
	if (!strcmp(f.reason, "done") && v[O_VERIFY])
		wlm_verify(&f);
	if (!v[O_KEEP]) {
		if (*name)
			shm_unlink(name);
		if (shmid >= 0)
			shmctl(shmid, IPC_RMID, NULL);
	}
	wl_say("oomlab-result workload=shm reason=%s mb=%llu bytes=%llu errno=%d kept=%d\n", f.reason,
	       f.done / WLM_MIB, f.done, f.err, v[O_API] == API_MEMFD ? 0 : (int)v[O_KEEP]);
	return 0;
}

const struct workload wl_shm = {
	.name = "shm",
	.help = "fill shared memory (POSIX shm in /dev/shm, memfd or SysV) and hold it; "
		"not reclaimable except to swap",
	.opts = opts,
	.n_opts = ARRAY_SIZE(opts),
	.run = run,
	.mem = WL_MEM_FILL,
	.writes = 1,
	.size_opt = "size-mb",
	.keep_opt = "keep",
};
