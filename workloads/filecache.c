// SPDX-License-Identifier: GPL-2.0-or-later
/* filecache: grow the page cache with buffered I/O on a data disk, so that
 * the memory it takes is reclaimable: clean pages can be dropped, dirty
 * ones written back. The guest's root is an initramfs (its pages are not
 * reclaimable) and the Debian kernels have no disk file system built in,
 * so the host attaches a sparse virtio-blk disk of --size-mb for this
 * workload (struct workload.disk_size_opt) and passes its device with
 * --dev; the workload reads (and with --write 1 first writes) the raw
 * block device. Its cache shows as Buffers in /proc/meminfo (the block
 * device's page cache) and in Active(file)/Inactive(file).
 *
 * The kernel throws a block device's page cache away when its last opener
 * closes it (kill_bdev): the cache lives as long as the workload. To see
 * it reclaimed under pressure, run filecache together with the workload
 * that makes the pressure (with --duration-ms: the cache is in use; with
 * --hold-ms: it sits idle) and start that one later (start_delay_ms).
 *
 * After each pass it reports how much of the disk is still cached
 * (mincore on a read-only mapping of the device) and how much it has read
 * from the disk so far (/sys/block/<dev>/stat): a pass that reads from
 * disk again means the kernel dropped the cache in between. */
#define _FILE_OFFSET_BITS 64
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "wl.h"
#include "wlmem.h"

enum { O_SIZE_MB, O_DEV, O_PASSES, O_DURATION_MS, O_HOLD_MS, O_WRITE, O_BLOCK_KB, O_WAIT_MS };

static const struct wl_opt opts[] = {
	[O_SIZE_MB] = { "size-mb", OPT_SIZE_MB, 1, 1LL << 20, 128,
			"page cache to grow: the size of the data disk the host attaches" },
	[O_DEV] = { "dev", OPT_STR, 0, 0, 0,
		    "the data disk (set by the host: /dev/vda, or /dev/vdb after a swap disk)",
		    NULL, "" },
	[O_PASSES] = { "passes", OPT_INT, 1, 1000000, 1, "read passes over the disk" },
	[O_DURATION_MS] = { "duration-ms", OPT_INT, 0, 86400000, 0,
			    "keep making read passes until this long has passed (0: just --passes)" },
	[O_HOLD_MS] = { "hold-ms", OPT_INT, 0, 86400000, 0,
			"then keep the device open (its cache alive) this long, reporting what "
			"is still cached" },
	[O_WRITE] = { "write", OPT_INT, 0, 1, 0,
		      "1: write the disk first (dirty pages the kernel must write back before "
		      "it can drop them)" },
	[O_BLOCK_KB] = { "block-kb", OPT_SIZE_KB, 4, 65536, 1024, "size of each read/write" },
	[O_WAIT_MS] = { "wait-ms", OPT_INT, 0, 600000, 10000,
			"how long to wait for the device to appear" },
};

struct disk_io {
	char stat_path[96];
	long long rd0, wr0; /* sectors at start */
};

/* /sys/block/<name>/stat: fields 3 and 7 are sectors read and written. */
static int disk_sectors(const struct disk_io *d, long long *rd, long long *wr)
{
	char buf[256];
	long long f[7];

	if (wlm_read_file(d->stat_path, buf, sizeof buf) < 0 ||
	    sscanf(buf, "%lld %lld %lld %lld %lld %lld %lld", &f[0], &f[1], &f[2], &f[3], &f[4],
		   &f[5], &f[6]) != 7)
		return -1;
	*rd = f[2];
	*wr = f[6];
	return 0;
}

static int open_dev(const char *dev, long long wait_ms)
{
	long long t_end = wlm_now_ms() + wait_ms;

	for (;;) {
		int fd = open(dev, O_RDWR | O_CLOEXEC);

		if (fd >= 0 || (errno != ENOENT && errno != ENXIO && errno != ENODEV) ||
		    wlm_now_ms() >= t_end)
			return fd;
		wlm_sleep_ms(20);
	}
}

static void report(const char *what, const unsigned char *map, size_t len, const struct disk_io *d,
		   long long extra_ms, int pass)
{
	long long res = map ? wlm_resident_pages(map, len) : -1, rd = -1, wr = -1;

	disk_sectors(d, &rd, &wr);
	wl_say("oomlab-metric passes=%d %s_ms=%lld cached_mb=%.1f disk_read_mb=%.1f "
	       "disk_written_mb=%.1f buffers_kb=%lld dirty_kb=%lld\n",
	       pass, what, extra_ms, res < 0 ? -1.0 : (double)res * WLM_PAGE / WLM_MIB,
	       rd < 0 ? -1.0 : (double)(rd - d->rd0) / 2048.0,
	       wr < 0 ? -1.0 : (double)(wr - d->wr0) / 2048.0, wlm_meminfo_kb("Buffers"),
	       wlm_meminfo_kb("Dirty"));
}

static int run(const struct wl_args *a)
{
	const long long *v = a->v;
	const char *dev = a->s[O_DEV];
	unsigned long long want = (unsigned long long)v[O_SIZE_MB] * WLM_MIB, devsize = 0, bytes;
	size_t block = (size_t)v[O_BLOCK_KB] * 1024u;
	struct disk_io d = { "", -1, -1 };

	wl_say("oomlab-start workload=filecache pid=%d dev=%s size_mb=%lld vmsize_kb=%lld "
	       "rlimit_as_kb=%lld oom_score_adj=%lld\n",
	       (int)getpid(), *dev ? dev : "-", v[O_SIZE_MB], wl_vmsize_kb(), wl_rlimit_as_kb(),
	       wl_oom_score_adj());
	if (!*dev) {
		wl_say("oomlab-result workload=filecache reason=error mb=0 bytes=0 errno=0 "
		       "what=no_device\n");
		return 0;
	}
	int fd = open_dev(dev, v[O_WAIT_MS]);
	if (fd < 0 || ioctl(fd, BLKGETSIZE64, &devsize) < 0) {
		wl_say("oomlab-result workload=filecache reason=error mb=0 bytes=0 errno=%d "
		       "what=open_device\n", errno);
		return 0;
	}
	bytes = want < devsize ? want : devsize;
	if (bytes > (unsigned long long)(size_t)-1 / 2)
		bytes = (unsigned long long)(size_t)-1 / 2;
	const char *base = strrchr(dev, '/');
	snprintf(d.stat_path, sizeof d.stat_path, "/sys/block/%s/stat", base ? base + 1 : dev);
	disk_sectors(&d, &d.rd0, &d.wr0);
	unsigned char *buf = mmap(NULL, block, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		wl_say("oomlab-result workload=filecache reason=enomem mb=0 bytes=0 errno=%d\n", errno);
		return 0;
	}
	/* read-only view of the device's page cache, only for mincore */
	unsigned char *map = mmap(NULL, (size_t)bytes, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		map = NULL;
	wl_say("oomlab-metric dev=%s dev_mb=%llu size_mb=%llu\n", dev, devsize / WLM_MIB,
	       bytes / WLM_MIB);

	int err = 0;
	const char *reason = "done";
	unsigned long long next = WL_PROGRESS_MB * WLM_MIB;
	if (v[O_WRITE]) {
		long long t0 = wlm_now_ms();
		memset(buf, 0x5a, block);
		for (unsigned long long off = 0; off < bytes && !err;) {
			size_t n = bytes - off < block ? (size_t)(bytes - off) : block;
			ssize_t w = pwrite(fd, buf, n, (off_t)off);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				err = w < 0 ? errno : EIO;
			else
				off += (unsigned long long)w;
			for (; off >= next; next += WL_PROGRESS_MB * WLM_MIB)
				wl_say("oomlab-progress mb=%llu\n", next / WLM_MIB);
		}
		report("write", map, (size_t)bytes, &d, wlm_now_ms() - t0, 0);
	}
	long long t_start = wlm_now_ms();
	int pass = 0;
	while (!err && (pass < v[O_PASSES] || wlm_now_ms() - t_start < v[O_DURATION_MS])) {
		long long t0 = wlm_now_ms();
		for (unsigned long long off = 0; off < bytes && !err;) {
			size_t n = bytes - off < block ? (size_t)(bytes - off) : block;
			ssize_t r = pread(fd, buf, n, (off_t)off);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				err = r < 0 ? errno : EIO;
			else
				off += (unsigned long long)r;
			if (!pass && !v[O_WRITE])
				for (; off >= next; next += WL_PROGRESS_MB * WLM_MIB)
					wl_say("oomlab-progress mb=%llu\n", next / WLM_MIB);
		}
		pass++;
		report(pass == 1 ? "first_pass" : "last_pass", map, (size_t)bytes, &d,
		       wlm_now_ms() - t0, pass);
	}
	if (!err && v[O_HOLD_MS]) {
		long long t_end = wlm_now_ms() + v[O_HOLD_MS], last = -1;
		while (wlm_now_ms() < t_end) {
			long long left = t_end - wlm_now_ms();
			wlm_sleep_ms(left < 500 ? left : 500);
			long long res = map ? wlm_resident_pages(map, (size_t)bytes) : -1;
			/* only when it moved by 1 MiB or more */
			if (res >= 0 && (last < 0 || res - last > 256 || last - res > 256)) {
				report("hold", map, (size_t)bytes, &d, v[O_HOLD_MS] - (t_end - wlm_now_ms()),
				       pass);
				last = res;
			}
		}
		report("hold", map, (size_t)bytes, &d, v[O_HOLD_MS], pass);
	}
	if (err)
		reason = err == ENOMEM ? "enomem" : "error";
	wl_say("oomlab-result workload=filecache reason=%s mb=%llu bytes=%llu errno=%d passes=%d\n",
	       reason, bytes / WLM_MIB, bytes, err, pass);
	return 0;
}

const struct workload wl_filecache = {
	.name = "filecache",
	.help = "grow the page cache (reclaimable) by reading/writing a data disk the host attaches",
	.opts = opts,
	.n_opts = ARRAY_SIZE(opts),
	.run = run,
	.mem = WL_MEM_BOUNDED,
	.mem_note = "reclaimable page cache",
	.disk_size_opt = "size-mb",
	.disk_dev_opt = "dev",
};
