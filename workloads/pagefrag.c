// SPDX-License-Identifier: GPL-2.0-or-later
/* pagefrag: fragment physical memory, then ask for high-order memory.
 *
 * 1. fill: allocate --fill-mb (or --fill-pct of MemAvailable) one page at
 *    a time, alternating between pages to keep and pages to free (keep one
 *    of every --keep), so that consecutive physical pages (the allocator
 *    hands out order-0 pages mostly in address order) alternate too. --pin
 *    says what holds the kept pages:
 *      pipe   pipe buffers: kernel pages of the unmovable kind, that
 *             compaction cannot move (the strongest fragmentation);
 *      mlock  anonymous pages locked with mlock2(MLOCK_ONFAULT): not
 *             swappable, but compaction may move them
 *             (vm.compact_unevictable_allowed=1, the default);
 *      anon   plain anonymous pages: movable and swappable.
 * 2. free the other pages (close their pipes / munmap their region).
 *    Optionally (--compact 1) ask for a full compaction.
 * 3. fault --thp-mb of a 2 MiB-aligned anonymous region, madvise
 *    (MADV_HUGEPAGE) with --madvise 1, touching one byte per 2 MiB (a huge
 *    page costs 2 MiB, a fallback one 4 KiB page) and count the huge pages
 *    it got (AnonHugePages of /proc/self/smaps_rollup; thp_fault_alloc and
 *    thp_fault_fallback deltas of /proc/vmstat).
 * 4. with --drain 1, take every block of order --kmalloc-order down to 4
 *    that the kernel can still make, compacting if it can (pipe rings:
 *    F_SETPIPE_SZ allocates the ring as one kcalloc, __GFP_NOWARN), and
 *    count them per order (drain.o<N>): what the fragmented memory can
 *    still give at each order. It stops early when MemFree falls under
 *    2 x min_free_kbytes (at least 8 MiB).
 * 5. probe kernel allocations of order 4..--kmalloc-order: sendmsg(2) on a
 *    Unix socket with a control buffer of 2^order pages, which the kernel
 *    kmallocs (GFP_KERNEL, no __GFP_NOWARN: a failure logs "page
 *    allocation failure: order:N" and sendmsg returns ENOBUFS). The buffer
 *    must fit net.core.optmem_max: the workload raises it when needed
 *    (and reports the old value). Orders up to 3 are left out: the kernel
 *    does not let them fail, it invokes the OOM killer instead. The kernel
 *    logs one allocation failure in 10 s (mm/page_alloc.c warn_alloc's
 *    ratelimit): --probe-rounds N repeats the probe N times,
 *    --probe-gap-ms apart, for a storm of N logged failures
 *    (kmalloc_failed.r<round> for the rounds after the first).
 * /proc/buddyinfo is reported (oomlab-buddyinfo lines, which the host
 * turns into metrics buddyinfo.<tag>.<zone>.o<order>) before the fill
 * (before), after freeing (frag), after compacting (compacted) and at the
 * end (after); compaction and THP counters as deltas over the run. */
#define _FILE_OFFSET_BITS 64
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wl.h"
#include "wlmem.h"

#define HPAGE (2ull * WLM_MIB)
#define PIPE_BYTES (1024 * 1024) /* 256 pages; its buffer array is an order-2 kmalloc */
#define KMALLOC_MIN_ORDER 4
#define KMALLOC_MAX_ORDER 10 /* 4 MiB: the kernel's largest kmalloc */

enum {
	O_FILL_MB, O_FILL_PCT, O_KEEP, O_PIN, O_THP_MB, O_MADVISE, O_DRAIN, O_KMALLOC_ORDER,
	O_COMPACT, O_HOLD_MS, O_PROBE_ROUNDS, O_PROBE_GAP_MS,
};
enum { PIN_PIPE, PIN_MLOCK, PIN_ANON };

static const char *const pins[] = { "pipe", "mlock", "anon", NULL };

static const struct wl_opt opts[] = {
	[O_FILL_MB] = { "fill-mb", OPT_SIZE_MB, 0, 1LL << 20, 0,
			"memory to fill page by page (0: --fill-pct of MemAvailable)" },
	[O_FILL_PCT] = { "fill-pct", OPT_INT, 1, 100, 95, "fill this % of MemAvailable at start" },
	[O_KEEP] = { "keep", OPT_INT, 1, 1024, 2,
		     "keep one page of every N, free the others (2: every other page; 1: none)" },
	[O_PIN] = { "pin", OPT_ENUM, 0, 0, PIN_PIPE,
		    "what holds the kept pages: pipe (unmovable kernel pages), mlock, anon", pins },
	[O_THP_MB] = { "thp-mb", OPT_SIZE_MB, 0, 1LL << 20, 64,
		       "then fault this much for transparent huge pages (0: skip)" },
	[O_MADVISE] = { "madvise", OPT_INT, 0, 1, 1, "madvise(MADV_HUGEPAGE) the THP region" },
	[O_DRAIN] = { "drain", OPT_INT, 0, 1, 1,
		      "1: before the probe, take every block of order 4..--kmalloc-order the "
		      "kernel can still make (pipe rings), and count them" },
	[O_KMALLOC_ORDER] = { "kmalloc-order", OPT_INT, 0, KMALLOC_MAX_ORDER, KMALLOC_MAX_ORDER,
			      "probe kernel allocations of order 4 up to this (0: none)" },
	[O_COMPACT] = { "compact", OPT_INT, 0, 1, 0,
			"1: write /proc/sys/vm/compact_memory after freeing" },
	[O_HOLD_MS] = { "hold-ms", OPT_INT, 0, 86400000, 0,
			"keep the fragmentation this long at the end" },
	[O_PROBE_ROUNDS] = { "probe-rounds", OPT_INT, 1, 100, 1,
			     "probe kernel allocations this many times (the kernel logs one "
			     "allocation failure in 10 s: N rounds, a storm of N)" },
	[O_PROBE_GAP_MS] = { "probe-gap-ms", OPT_INT, 0, 600000, 10500,
			     "the wait between two probe rounds" },
};

static const char *const vm_keys[] = {
	"compact_stall", "compact_fail", "compact_success", "compact_migrate_scanned",
	"compact_free_scanned", "compact_isolated", "compact_daemon_wake", "thp_fault_alloc",
	"thp_fault_fallback", "pgmigrate_success", "pgmigrate_fail",
};
#define N_VM_KEYS ARRAY_SIZE(vm_keys)

static void vm_snap(long long *out)
{
	for (size_t i = 0; i < N_VM_KEYS; i++)
		out[i] = wlm_vmstat(vm_keys[i]);
}

/* mmap'd, not malloc'd: nothing of ours should sit in the heap between
 * the pages we fragment with */
static void *xmap(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

/* A set of pipes, filled one page at a time in order. */
struct pipeset {
	int (*fd)[2];
	size_t n, cur, mapped; /* pipes open, being filled, room in fd[] */
	unsigned used, cap; /* pages in the current pipe, pages per pipe */
};

static int pipes_open(struct pipeset *ps, unsigned long long pages)
{
	size_t per = PIPE_BYTES / WLM_PAGE;

	memset(ps, 0, sizeof *ps);
	ps->n = (size_t)((pages + per - 1) / per);
	if (!ps->n)
		return 0;
	ps->fd = xmap(ps->n * sizeof *ps->fd);
	if (!ps->fd)
		return ENOMEM;
	ps->mapped = ps->n;
	for (size_t i = 0; i < ps->n; i++) {
		if (pipe2(ps->fd[i], O_CLOEXEC) < 0) {
			ps->n = i;
			return errno;
		}
		int sz = fcntl(ps->fd[i][1], F_SETPIPE_SZ, PIPE_BYTES);
		if (sz < (int)WLM_PAGE) {
			ps->n = i + 1;
			return sz < 0 ? errno : EINVAL;
		}
		if (!ps->cap || (unsigned)sz / (unsigned)WLM_PAGE < ps->cap)
			ps->cap = (unsigned)sz / (unsigned)WLM_PAGE;
	}
	return 0;
}

/* One more page into the set: write(2) of exactly one page allocates one
 * pipe buffer page. */
static int pipes_add(struct pipeset *ps, const unsigned char *page)
{
	if (ps->used == ps->cap) {
		ps->cur++;
		ps->used = 0;
	}
	if (ps->cur >= ps->n)
		return ENOSPC;
	for (;;) {
		ssize_t w = write(ps->fd[ps->cur][1], page, WLM_PAGE);
		if (w == (ssize_t)WLM_PAGE)
			break;
		if (w < 0 && errno == EINTR)
			continue;
		return w < 0 ? errno : EIO;
	}
	ps->used++;
	return 0;
}

static void pipes_close(struct pipeset *ps)
{
	for (size_t i = 0; ps->fd && i < ps->n; i++) {
		close(ps->fd[i][0]);
		close(ps->fd[i][1]);
	}
	if (ps->fd)
		munmap(ps->fd, ps->mapped * sizeof *ps->fd);
	memset(ps, 0, sizeof *ps);
}

struct frag {
	int pin;
	long long keep;
	unsigned long long pages, keep_pages, free_pages, done; /* done: pages filled */
	int err, stopped; /* stopped: at the high watermark, before pages */
	struct pipeset kp, fp;                 /* pin=pipe */
	unsigned char *kmap, *fmap;            /* pin=mlock, anon */
	size_t klen, flen;
};

static int frag_setup(struct frag *f)
{
	f->keep_pages = (f->pages + (unsigned long long)f->keep - 1) / (unsigned long long)f->keep;
	f->free_pages = f->pages - f->keep_pages;
	if (f->pin == PIN_PIPE) {
		/* two fds a pipe; root may raise its own limit */
		rlim_t need = (rlim_t)(2 * ((f->pages * WLM_PAGE + PIPE_BYTES - 1) / PIPE_BYTES + 2) + 64);
		struct rlimit rl;
		if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < need) {
			rl.rlim_cur = need;
			if (rl.rlim_max < need)
				rl.rlim_max = need;
			if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
				return errno;
		}
		int e = pipes_open(&f->kp, f->keep_pages);
		return e ? e : pipes_open(&f->fp, f->free_pages);
	}
	f->klen = (size_t)(f->keep_pages * WLM_PAGE);
	f->flen = (size_t)(f->free_pages * WLM_PAGE);
	if ((f->klen && !(f->kmap = xmap(f->klen))) || (f->flen && !(f->fmap = xmap(f->flen))))
		return ENOMEM;
	/* small pages only, whatever transparent_hugepage says */
	if (f->kmap)
		madvise(f->kmap, f->klen, MADV_NOHUGEPAGE);
	if (f->fmap)
		madvise(f->fmap, f->flen, MADV_NOHUGEPAGE);
	if (f->pin == PIN_MLOCK && f->kmap && mlock2(f->kmap, f->klen, MLOCK_ONFAULT) < 0)
		return errno;
	return 0;
}

/* Free pages above the high watermarks, summed over the zones, in pages
 * (/proc/zoneinfo: "pages free N" and "high N" of each zone; the
 * watermarks there include the boost the kernel adds after fragmenting
 * events, which MemAvailable does not see). -1 if unreadable. */
static long long zone_headroom_pages(void)
{
	static char *zbuf;
	const size_t zlen = 256 * 1024;
	long long free_p = 0, high_p = 0;
	int seen = 0;

	if (!zbuf && !(zbuf = xmap(zlen)))
		return -1;
	if (wlm_read_file("/proc/zoneinfo", zbuf, zlen) < 0)
		return -1;
	for (char *p = zbuf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		char *q = p;
		while (*q == ' ')
			q++;
		if (!strncmp(q, "pages free ", 11)) {
			free_p += strtoll(q + 11, NULL, 10);
			seen = 1;
		} else if (!strncmp(q, "high ", 5)) {
			high_p += strtoll(q + 5, NULL, 10);
		}
	}
	return seen ? free_p - high_p : -1;
}

/* Allocate the pages, kept and freed ones interleaved. Stops early (and
 * says so) when the zones' free pages come down to their high watermarks:
 * pipe pages cannot be reclaimed, and filling past that point only wakes
 * the OOM killer. */
static void frag_fill(struct frag *f)
{
	static unsigned char page[WLM_PAGE];
	unsigned long long k = 0, fr = 0, next = WL_PROGRESS_MB * WLM_MIB / WLM_PAGE;

	memset(page, 0x5a, sizeof page);
	for (unsigned long long i = 0; i < f->pages && !f->err; i++) {
		int keep = i % (unsigned long long)f->keep == 0;
		if (f->pin == PIN_PIPE)
			f->err = pipes_add(keep ? &f->kp : &f->fp, page);
		else if (keep)
			f->kmap[k * WLM_PAGE] = 0x5a;
		else
			f->fmap[fr * WLM_PAGE] = 0x5a;
		if (f->err)
			break;
		if (keep)
			k++;
		else
			fr++;
		f->done = i + 1;
		if (f->done % 256 == 0) {
			long long room = zone_headroom_pages();
			if (room >= 0 && room < 256) {
				f->stopped = 1;
				break;
			}
		}
		if (f->done == next) {
			wl_say("oomlab-progress mb=%llu\n", f->done * WLM_PAGE / WLM_MIB);
			next += WL_PROGRESS_MB * WLM_MIB / WLM_PAGE;
		}
	}
}

static void frag_free_pattern(struct frag *f)
{
	if (f->pin == PIN_PIPE) {
		pipes_close(&f->fp);
	} else if (f->fmap) {
		munmap(f->fmap, f->flen);
		f->fmap = NULL;
	}
}

static void frag_release(struct frag *f)
{
	frag_free_pattern(f);
	pipes_close(&f->kp);
	if (f->kmap)
		munmap(f->kmap, f->klen);
	f->kmap = NULL;
}

/* Fault the THP region and count the huge pages it got (smaps_rollup).
 * The region stays mapped (the huge pages it got stay taken) until
 * thp_release. */
static unsigned char *thp_raw;
static size_t thp_raw_len;

static void thp_release(void)
{
	if (thp_raw)
		munmap(thp_raw, thp_raw_len);
	thp_raw = NULL;
}

static void thp_probe(long long mb, int adv)
{
	unsigned long long len = ((unsigned long long)mb * WLM_MIB + HPAGE - 1) / HPAGE * HPAGE;
	long long a0 = wlm_vmstat("thp_fault_alloc"), f0 = wlm_vmstat("thp_fault_fallback");
	long long h0 = wlm_file_value("/proc/self/smaps_rollup", "AnonHugePages");
	int madv_err = 0;

	if (len + HPAGE > (unsigned long long)(size_t)-1) {
		wl_say("oomlab-metric thp_error=%d\n", ENOMEM);
		return;
	}
	unsigned char *raw = xmap((size_t)(len + HPAGE));
	if (!raw) {
		wl_say("oomlab-metric thp_error=%d\n", errno);
		return;
	}
	unsigned char *r = (unsigned char *)(((uintptr_t)raw + (uintptr_t)(HPAGE - 1)) & ~(uintptr_t)(HPAGE - 1));
	if (adv && madvise(r, (size_t)len, MADV_HUGEPAGE) < 0)
		madv_err = errno;
	long long t0 = wlm_now_ms();
	for (unsigned long long off = 0; off < len; off += HPAGE)
		r[off] = 0x5a;
	long long ms = wlm_now_ms() - t0;
	long long h1 = wlm_file_value("/proc/self/smaps_rollup", "AnonHugePages");
	long long a1 = wlm_vmstat("thp_fault_alloc"), f1 = wlm_vmstat("thp_fault_fallback");
	wl_say("oomlab-metric thp_regions=%llu thp_got=%lld thp_fallback=%lld thp_fault_alloc_delta=%lld "
	       "thp_fault_fallback_delta=%lld thp_madvise_errno=%d thp_ms=%lld\n",
	       len / HPAGE, h1 >= 0 && h0 >= 0 ? (h1 - h0) / 2048 : -1,
	       h1 >= 0 && h0 >= 0 ? (long long)(len / HPAGE) - (h1 - h0) / 2048 : -1,
	       a1 >= 0 && a0 >= 0 ? a1 - a0 : -1, f1 >= 0 && f0 >= 0 ? f1 - f0 : -1, madv_err, ms);
	thp_raw = raw;
	thp_raw_len = (size_t)(len + HPAGE);
}

static long long read_ll(const char *path)
{
	char b[64];
	if (wlm_read_file(path, b, sizeof b) <= 0)
		return -1;
	return strtoll(b, NULL, 10);
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	ssize_t n = write(fd, s, strlen(s));
	int e = n == (ssize_t)strlen(s) ? 0 : errno ? errno : EIO;
	close(fd);
	return e;
}

/* Take the high-order blocks the kernel can still make, largest first:
 * a pipe's ring (an array of 40-byte struct pipe_buffer) is one kcalloc,
 * 2^(order+6) slots take an order-<order> block, and it stays until the
 * pipe is closed. Setting the size allocates only the ring, no data page.
 * The kernel may compact (and reclaim) to satisfy each one; it stops at
 * the first failure of each order, when MemFree falls under the floor, or
 * at DRAIN_MAX pipes. */
#define DRAIN_MAX 8192
static struct pipeset drain_set;

static void drain_high_order(int max_order)
{
	long long floor_kb = 2 * read_ll("/proc/sys/vm/min_free_kbytes");
	long long count[KMALLOC_MAX_ORDER + 1] = { 0 };
	int fails[KMALLOC_MAX_ORDER + 1] = { 0 };
	unsigned long long bytes = 0;
	int stop = 0;

	if (floor_kb < 8192)
		floor_kb = 8192;
	memset(&drain_set, 0, sizeof drain_set);
	drain_set.fd = xmap(DRAIN_MAX * sizeof *drain_set.fd);
	struct rlimit rl;
	if (!drain_set.fd || getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return;
	drain_set.mapped = DRAIN_MAX;
	rl.rlim_cur += 2 * DRAIN_MAX + 16;
	if (rl.rlim_max < rl.rlim_cur)
		rl.rlim_max = rl.rlim_cur;
	setrlimit(RLIMIT_NOFILE, &rl);
	long long t0 = wlm_now_ms();
	for (int o = max_order; o >= KMALLOC_MIN_ORDER && !stop; o--) {
		int size = (int)WLM_PAGE << (o + 6);
		while (drain_set.n < DRAIN_MAX) {
			long long mf = wlm_meminfo_kb("MemFree");
			if (mf >= 0 && mf < floor_kb) {
				stop = 1;
				break;
			}
			int *p = drain_set.fd[drain_set.n];
			if (pipe2(p, O_CLOEXEC) < 0) {
				stop = 1;
				break;
			}
			if (fcntl(p[1], F_SETPIPE_SZ, size) < 0) {
				fails[o] = errno;
				close(p[0]);
				close(p[1]);
				break;
			}
			drain_set.n++;
			count[o]++;
			bytes += (unsigned long long)WLM_PAGE << o;
		}
	}
	for (int o = KMALLOC_MIN_ORDER; o <= max_order; o++)
		wl_say("oomlab-metric drain.o%d=%lld drain_errno.o%d=%d\n", o, count[o], o, fails[o]);
	wl_say("oomlab-metric drain_mb=%.1f drain_pipes=%zu drain_ms=%lld drain_floor_kb=%lld "
	       "memfree_after_drain_kb=%lld\n",
	       (double)bytes / WLM_MIB, drain_set.n, wlm_now_ms() - t0, floor_kb,
	       wlm_meminfo_kb("MemFree"));
}

/* sendmsg(2) with a control buffer of 2^order pages: the kernel kmallocs
 * it (sock_kmalloc, GFP_KERNEL) before it looks at its contents. */
static void kmalloc_probe(int max_order, int round)
{
	static const char optmem[] = "/proc/sys/net/core/optmem_max";
	size_t biggest = (size_t)WLM_PAGE << max_order;
	long long was = read_ll(optmem);
	int sv[2], fails = 0, oks = 0, set_err = 0;

	if (was >= 0 && was <= (long long)biggest) {
		char v[32];
		snprintf(v, sizeof v, "%llu", (unsigned long long)biggest * 2);
		set_err = write_str(optmem, v);
	}
	if (!round)
		wl_say("oomlab-metric optmem_max_was=%lld optmem_max=%lld optmem_errno=%d\n", was,
		       read_ll(optmem), set_err);
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv) < 0) {
		wl_say("oomlab-metric kmalloc_error=%d\n", errno);
		return;
	}
	/* untouched anonymous memory reads as zeroes: no allocation of ours */
	unsigned char *ctl = xmap(biggest);
	if (!ctl) {
		wl_say("oomlab-metric kmalloc_error=%d\n", errno);
		close(sv[0]);
		close(sv[1]);
		return;
	}
	for (int o = KMALLOC_MIN_ORDER; o <= max_order; o++) {
		size_t len = (size_t)WLM_PAGE << o;
		/* one control message spanning the buffer, of a level no
		 * protocol handles: the kernel skips it */
		struct cmsghdr *c = (struct cmsghdr *)ctl;
		c->cmsg_len = len;
		c->cmsg_level = 0x7ead;
		c->cmsg_type = 1;
		char byte = 'x';
		struct iovec iov = { &byte, 1 };
		struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
				    .msg_controllen = len };
		ssize_t r = sendmsg(sv[0], &m, MSG_DONTWAIT);
		int e = r < 0 ? errno : 0;
		if (r == 1) {
			oks++;
			recv(sv[1], &byte, 1, MSG_DONTWAIT);
		} else {
			fails++;
		}
		if (!round)
			wl_say("oomlab-metric kmalloc.o%d=%d kmalloc_errno.o%d=%d\n", o, r == 1, o, e);
	}
	if (!round)
		wl_say("oomlab-metric kmalloc_ok=%d kmalloc_failed=%d\n", oks, fails);
	else
		wl_say("oomlab-metric kmalloc_failed.r%d=%d\n", round, fails);
	munmap(ctl, biggest);
	close(sv[0]);
	close(sv[1]);
}

static int run(const struct wl_args *a)
{
	const long long *v = a->v;
	long long vm0[N_VM_KEYS], vm1[N_VM_KEYS];
	long long avail = wlm_meminfo_kb("MemAvailable");
	struct frag f;

	memset(&f, 0, sizeof f);
	f.pin = (int)v[O_PIN];
	f.keep = v[O_KEEP];
	if (v[O_FILL_MB])
		f.pages = (unsigned long long)v[O_FILL_MB] * WLM_MIB / WLM_PAGE;
	else
		f.pages = avail > 0 ? (unsigned long long)avail * (unsigned long long)v[O_FILL_PCT] / 100 / 4 : 0;
	wl_say("oomlab-start workload=pagefrag pid=%d pin=%s keep=%lld fill_mb=%llu memavailable_kb=%lld "
	       "vmsize_kb=%lld rlimit_as_kb=%lld oom_score_adj=%lld\n",
	       (int)getpid(), a->s[O_PIN], f.keep, f.pages * WLM_PAGE / WLM_MIB, avail, wl_vmsize_kb(),
	       wl_rlimit_as_kb(), wl_oom_score_adj());
	vm_snap(vm0);
	wlm_say_buddyinfo("before");
	int e = frag_setup(&f);
	if (e) {
		frag_release(&f);
		wl_say("oomlab-result workload=pagefrag reason=%s mb=0 bytes=0 errno=%d what=setup\n",
		       e == ENOMEM ? "enomem" : "error", e);
		return 0;
	}
	long long t0 = wlm_now_ms();
	frag_fill(&f);
	long long fill_ms = wlm_now_ms() - t0;
	if (f.err) {
		frag_release(&f);
		wl_say("oomlab-result workload=pagefrag reason=%s mb=%llu bytes=%llu errno=%d what=fill\n",
		       f.err == ENOMEM ? "enomem" : "error", f.done * WLM_PAGE / WLM_MIB,
		       f.done * WLM_PAGE, f.err);
		return 0;
	}
	/* what was really allocated, kept and freed (the fill may stop early) */
	unsigned long long kept = (f.done + (unsigned long long)f.keep - 1) / (unsigned long long)f.keep;
	frag_free_pattern(&f);
	wl_say("oomlab-metric fill_ms=%lld filled_mb=%.1f fill_stopped_at_watermark=%d kept_mb=%.1f "
	       "freed_mb=%.1f memfree_kb=%lld\n",
	       fill_ms, (double)f.done * WLM_PAGE / WLM_MIB, f.stopped,
	       (double)kept * WLM_PAGE / WLM_MIB, (double)(f.done - kept) * WLM_PAGE / WLM_MIB,
	       wlm_meminfo_kb("MemFree"));
	wlm_say_buddyinfo("frag");
	if (v[O_COMPACT]) {
		int ce = write_str("/proc/sys/vm/compact_memory", "1");
		wl_say("oomlab-metric compact_errno=%d\n", ce);
		wlm_say_buddyinfo("compacted");
	}
	if (v[O_THP_MB])
		thp_probe(v[O_THP_MB], (int)v[O_MADVISE]);
	if (v[O_DRAIN] && v[O_KMALLOC_ORDER] >= KMALLOC_MIN_ORDER)
		drain_high_order((int)v[O_KMALLOC_ORDER]);
	for (int r = 0; v[O_KMALLOC_ORDER] >= KMALLOC_MIN_ORDER && r < v[O_PROBE_ROUNDS]; r++) {
		if (r)
			wlm_sleep_ms(v[O_PROBE_GAP_MS]);
		kmalloc_probe((int)v[O_KMALLOC_ORDER], r);
	}
	wlm_say_buddyinfo("after");
	vm_snap(vm1);
	for (size_t i = 0; i < N_VM_KEYS; i++)
		wl_say("oomlab-metric %s_delta=%lld\n", vm_keys[i],
		       vm0[i] >= 0 && vm1[i] >= 0 ? vm1[i] - vm0[i] : -1);
	if (v[O_HOLD_MS])
		wlm_sleep_ms(v[O_HOLD_MS]);
	pipes_close(&drain_set);
	thp_release();
	frag_release(&f);
	wl_say("oomlab-result workload=pagefrag reason=done mb=%llu bytes=%llu errno=0\n",
	       f.done * WLM_PAGE / WLM_MIB, f.done * WLM_PAGE);
	return 0;
}

const struct workload wl_pagefrag = {
	.name = "pagefrag",
	.help = "fragment physical memory (keep 1 page of N), then fault THP and probe "
		"high-order kernel allocations; reports /proc/buddyinfo",
	.opts = opts,
	.n_opts = ARRAY_SIZE(opts),
	.run = run,
	.mem = WL_MEM_BOUNDED,
	.mem_note = "bounded by the zones' watermarks",
};
