// SPDX-License-Identifier: GPL-2.0-or-later
/* tmpfs: fill a file on a tmpfs and hold it. tmpfs pages are shmem:
 * Shmem in /proc/meminfo, reclaimable only to swap. By default the
 * workload mounts its own tmpfs at /mnt/oomlab-tmpfs-<pid> (size=
 * --fs-size-mb, 0 = no limit); --dir names an existing directory instead
 * (the agent's /tmp is a tmpfs with the kernel's default size, half of
 * RAM). The file stays after exit (--keep 1, the default), so its memory
 * stays used when the workload ends or is killed. */
#define _FILE_OFFSET_BITS 64
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <unistd.h>

#include "wl.h"
#include "wlmem.h"

enum { O_SIZE_MB, O_DIR, O_FS_SIZE_MB, O_FILL, O_HOLD_MS, O_VERIFY, O_KEEP };

static const char *const fills[] = { "write", "mmap", NULL };

static const struct wl_opt opts[] = {
	[O_SIZE_MB] = { "size-mb", OPT_SIZE_MB, 1, 1LL << 20, 64, "bytes to write into the file" },
	[O_DIR] = { "dir", OPT_STR, 0, 0, 0,
		    "an existing directory to write in (e.g. /tmp); default: mount a private tmpfs",
		    NULL, "" },
	[O_FS_SIZE_MB] = { "fs-size-mb", OPT_SIZE_MB, 0, 1LL << 20, 0,
			   "size= of the private tmpfs (0: no limit)" },
	[O_FILL] = { "fill", OPT_ENUM, 0, 0, 0,
		     "write: write(2) 1 MiB at a time; mmap: ftruncate, map and write every page",
		     fills },
	[O_HOLD_MS] = { "hold-ms", OPT_INT, 0, 86400000, 0,
			"stay alive this long after filling, reporting what is resident" },
	[O_VERIFY] = { "verify", OPT_INT, 0, 1, 0,
			"1: after the hold, read every page back (from swap if need be) and "
			"count pages that lost their contents" },
	[O_KEEP] = { "keep", OPT_INT, 0, 1, 1,
		     "1: leave the file (its memory stays used); 0: delete it (and unmount "
		     "the private tmpfs) at the end" },
};

static int run(const struct wl_args *a)
{
	const long long *v = a->v;
	char dir[128], path[192];
	int mounted = 0;
	long long shmem0 = wlm_meminfo_kb("Shmem");
	struct wlm_fill f = { .fd = -1,
			      .bytes = (unsigned long long)v[O_SIZE_MB] * WLM_MIB,
			      /* the enum's order here is write, mmap */
			      .how = v[O_FILL] == 0 ? WLM_FILL_WRITE : WLM_FILL_MMAP };

	if (*a->s[O_DIR])
		snprintf(dir, sizeof dir, "%s", a->s[O_DIR]);
	else
		snprintf(dir, sizeof dir, "/mnt/oomlab-tmpfs-%d", (int)getpid());
	wl_say("oomlab-start workload=tmpfs pid=%d dir=%s fill=%s size_mb=%lld vmsize_kb=%lld "
	       "rlimit_as_kb=%lld oom_score_adj=%lld\n",
	       (int)getpid(), dir, a->s[O_FILL], v[O_SIZE_MB], wl_vmsize_kb(), wl_rlimit_as_kb(),
	       wl_oom_score_adj());
	if (!*a->s[O_DIR] && wlm_mount_tmpfs(dir, v[O_FS_SIZE_MB], &mounted) < 0) {
		wl_say("oomlab-result workload=tmpfs reason=error mb=0 bytes=0 errno=%d what=mount\n",
		       errno);
		return 0;
	}
	snprintf(path, sizeof path, "%s/fill-%d", dir, (int)getpid());
	f.fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (f.fd < 0) {
		wl_say("oomlab-result workload=tmpfs reason=error mb=0 bytes=0 errno=%d what=open\n",
		       errno);
		return 0;
	}
	wl_say("oomlab-metric mounted=%d file=%s\n", mounted, path);
	long long t0 = wlm_now_ms();
	wlm_fill_shmem(&f);
	wl_say("oomlab-metric filled_mb=%llu fill_ms=%lld shmem_delta_kb=%lld\n", f.done / WLM_MIB,
	       wlm_now_ms() - t0, wlm_meminfo_kb("Shmem") - shmem0);
	if (!strcmp(f.reason, "done"))
		wlm_hold(&f, v[O_HOLD_MS]);
	if (!strcmp(f.reason, "done") && v[O_VERIFY])
		wlm_verify(&f);
	if (!v[O_KEEP]) {
		unlink(path);
		if (mounted) {
			if (f.map)
				munmap((void *)f.map, f.map_len);
			close(f.fd);
			umount(dir);
			rmdir(dir);
		}
	}
	wl_say("oomlab-result workload=tmpfs reason=%s mb=%llu bytes=%llu errno=%d kept=%d\n",
	       f.reason, f.done / WLM_MIB, f.done, f.err, (int)v[O_KEEP]);
	return 0;
}

const struct workload wl_tmpfs = {
	.name = "tmpfs",
	.help = "fill a file on a tmpfs (a private mount by default) and hold it; "
		"not reclaimable except to swap",
	.opts = opts,
	.n_opts = ARRAY_SIZE(opts),
	.run = run,
	.mem = WL_MEM_FILL,
	.writes = 1,
	.size_opt = "size-mb",
	.keep_opt = "keep",
};
