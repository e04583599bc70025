// SPDX-License-Identifier: GPL-2.0-or-later
/* kmem: grow kernel memory from user space, memory the process's RSS does
 * not show and that the kernel can neither reclaim nor swap (the founding
 * Q&A: can user processes use up kernel memory? Implicitly, yes). --mode
 * says through what:
 *   pipes       pipes filled and held: F_SETPIPE_SZ raises each pipe to
 *               --block-kb, then non-blocking writes fill it; every page is
 *               a pipe buffer page (alloc_page(GFP_HIGHUSER | __GFP_ACCOUNT),
 *               fs/pipe.c), in no meminfo field but MemFree;
 *   sockets     AF_UNIX datagram socket pairs with their datagrams queued
 *               and never read: a datagram of 3712 bytes is one kmalloc-4k
 *               object (its data and skb_shared_info) plus an sk_buff
 *               (skbuff_head_cache), both unreclaimable slab; a pair holds
 *               up to its send buffer (SO_SNDBUFFORCE --block-kb);
 *   threads     threads that sleep: each has a kernel stack (THREAD_SIZE,
 *               KernelStack) and a task_struct (slab);
 *   files       empty files (1000 per directory) in a tmpfs the workload
 *               mounts with nr_inodes=0 (no inode limit) in a mount
 *               namespace of its own, so the files go when it dies: each is
 *               a shmem inode (shmem_inode_cache, unreclaimable) and a
 *               dentry (counted as SReclaimable, but a tmpfs dentry is
 *               pinned: it is the file);
 *   pagetables  a large sparse read-only mapping (MADV_NOHUGEPAGE) read one
 *               byte per 2 MiB: each read maps the shared zero page, so RSS
 *               stays near nothing while every 2 MiB costs a page-table
 *               page (PageTables) and every 1 GiB one more.
 * It counts the kernel memory it believes it pinned (object sizes from
 * /proc/slabinfo where they come from slab) and prints it as
 * oomlab-progress mb=N every --step-mb, and the result with the errno it
 * stopped on. With --raise 1 it first raises what counts units rather than
 * memory as far as it may (RLIMIT_NOFILE up to fs.nr_open,
 * kernel.threads-max, kernel.pid_max, vm.max_map_count) and reports the
 * values; limited_by= in the result names the limit that stopped it when
 * one did (EMFILE, ENFILE, EAGAIN). In a memory cgroup it also reports,
 * at each step, what memory.stat says the group has charged (anon, kernel,
 * slab, sock, kernel_stack, pagetables): kernel memory is charged to the
 * group of the task that allocates it (__GFP_ACCOUNT, SLAB_ACCOUNT). */
#define _FILE_OFFSET_BITS 64
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wl.h"
#include "wlmem.h"

enum { O_MODE, O_MAX_MB, O_BLOCK_KB, O_STEP_MB, O_HOLD_MS, O_RAISE };
enum { M_PIPES, M_SOCKETS, M_THREADS, M_FILES, M_PAGETABLES };

static const char *const modes[] = { "pipes", "sockets", "threads", "files", "pagetables", NULL };

static const struct wl_opt opts[] = {
	[O_MODE] = { "mode", OPT_ENUM, 0, 0, M_PIPES,
		     "what pins the memory: pipes, sockets, threads, files (tmpfs inodes and "
		     "dentries), pagetables",
		     modes },
	[O_MAX_MB] = { "max-mb", OPT_SIZE_MB, 0, 1LL << 20, 0,
		       "stop with reason=limit after this much kernel memory (0: until the kernel "
		       "stops it)" },
	[O_BLOCK_KB] = { "block-kb", OPT_SIZE_KB, 64, 1048576, 1024,
			 "pipes: the size of each pipe; sockets: the send buffer of each pair" },
	[O_STEP_MB] = { "step-mb", OPT_SIZE_MB, 1, 1024, 4, "a progress line every this many MB" },
	[O_HOLD_MS] = { "hold-ms", OPT_INT, 0, 86400000, 0,
			"keep the memory this long before reporting and exiting (ms)" },
	[O_RAISE] = { "raise", OPT_INT, 0, 1, 1,
		      "1: raise RLIMIT_NOFILE, threads-max, pid_max and max_map_count first, so "
		      "that memory, not a count, ends it" },
};

#define DGRAM_BYTES 3712            /* + skb_shared_info: one kmalloc-4k object */
#define THREAD_STACK_KB 16          /* x86-64 THREAD_SIZE */
#define HPAGE (2ull * WLM_MIB)      /* what one page-table page maps */
#if UINTPTR_MAX > 0xffffffffu
#define PT_CHUNK (64ull << 30)      /* mapped 64 GiB at a time */
#else
#define PT_CHUNK (1ull << 30)       /* oomlab-wl32 links this file too */
#endif
#define FILES_PER_DIR 1000
#define MAX_FDS (1 << 20)       /* the kernel's NR_OPEN default */

struct kmem {
	int mode;
	unsigned long long max, step, next; /* bytes */
	unsigned long long bytes, units;    /* counted so far */
	int err;                            /* what stopped it (0: max-mb) */
	const char *limited_by;             /* a count limit, when err says one */
	char limit_text[64];
};

/* The memory cgroup it runs in (cgroup v2, "0::<path>" of
 * /proc/self/cgroup): its memory.stat, or "" in the root group. */
static char memcg_stat[320];

static void find_memcg(void)
{
	char b[256];
	memcg_stat[0] = 0;
	if (wlm_read_file("/proc/self/cgroup", b, sizeof b) <= 0 || strncmp(b, "0::/", 4))
		return;
	char *nl = strchr(b, '\n');
	if (nl)
		*nl = 0;
	if (!b[4])
		return; /* the root group */
	snprintf(memcg_stat, sizeof memcg_stat, "/sys/fs/cgroup%s/memory.stat", b + 3);
	if (access(memcg_stat, R_OK) < 0)
		memcg_stat[0] = 0;
}

/* What its group has charged, kernel memory by kind (memory.stat, bytes):
 * a metric line at each progress step, so that the last one before an
 * OOM kill stays in the report. */
static void say_memcg(void)
{
	static const char *const keys[] = { "anon", "kernel", "slab", "sock", "kernel_stack", "pagetables" };
	char line[320];
	int n;

	if (!memcg_stat[0])
		return;
	n = snprintf(line, sizeof line, "oomlab-metric");
	for (size_t i = 0; i < ARRAY_SIZE(keys) && n > 0 && (size_t)n < sizeof line; i++) {
		long long v = wlm_file_value(memcg_stat, keys[i]);
		n += snprintf(line + n, sizeof line - (size_t)n, " memcg_%s_kb=%lld", keys[i], v >= 0 ? v / 1024 : -1);
	}
	wl_say("%s\n", line);
}

/* One more unit of `bytes` kernel memory; 1 when max-mb is reached. */
static int count(struct kmem *k, unsigned long long bytes)
{
	k->bytes += bytes;
	k->units++;
	for (; k->bytes >= k->next; k->next += k->step) {
		wl_say("oomlab-progress mb=%llu\n", k->next / WLM_MIB);
		say_memcg();
	}
	return k->max && k->bytes >= k->max;
}

/* ---- small /proc helpers ---- */

static long long read_ll(const char *path)
{
	char b[64];
	if (wlm_read_file(path, b, sizeof b) <= 0)
		return -1;
	return strtoll(b, NULL, 10);
}

static int write_ll(const char *path, long long v)
{
	char s[32];
	int n = snprintf(s, sizeof s, "%lld", v);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	ssize_t w = write(fd, s, (size_t)n);
	int e = w == n ? 0 : errno ? errno : EIO;
	close(fd);
	return e;
}

/* The object size of a slab cache ("name active num objsize ..." lines of
 * /proc/slabinfo), or def when the cache is not listed (merged) or the
 * file unreadable. */
static long long slab_objsize(const char *name, long long def)
{
	static char *buf;
	const size_t len = 256 * 1024;
	size_t nl = strlen(name);

	if (!buf) {
		void *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED)
			return def;
		buf = m;
	}
	if (wlm_read_file("/proc/slabinfo", buf, len) < 0)
		return def;
	for (char *p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, name, nl) || p[nl] != ' ')
			continue;
		char *q = p + nl;
		long long v[3];
		for (int i = 0; i < 3; i++)
			v[i] = strtoll(q, &q, 10);
		return v[2] > 0 ? v[2] : def;
	}
	return def;
}

/* sysctls that count units, raised (when --raise) to where memory ends
 * the workload first; the old and new values are reported. */
static const struct {
	const char *key, *path;
	long long want;
} raise_rows[] = {
	{ "nr_open", "/proc/sys/fs/nr_open", MAX_FDS },
	{ "threads_max", "/proc/sys/kernel/threads-max", 4194304 },
	{ "pid_max", "/proc/sys/kernel/pid_max", 4194304 },
	{ "max_map_count", "/proc/sys/vm/max_map_count", 4194304 },
};

static void raise_limits(int raise)
{
	for (size_t i = 0; i < ARRAY_SIZE(raise_rows); i++) {
		long long was = read_ll(raise_rows[i].path);
		int e = 0;
		if (raise && was >= 0 && was < raise_rows[i].want)
			e = write_ll(raise_rows[i].path, raise_rows[i].want);
		wl_say("oomlab-metric %s_was=%lld %s=%lld %s_errno=%d\n", raise_rows[i].key, was,
		       raise_rows[i].key, read_ll(raise_rows[i].path), raise_rows[i].key, e);
	}
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return;
	long long was = (long long)rl.rlim_cur;
	if (raise) {
		long long nr_open = read_ll("/proc/sys/fs/nr_open");
		/* root may raise the hard limit up to fs.nr_open */
		struct rlimit want = rl;
		want.rlim_cur = want.rlim_max = nr_open > 0 ? (rlim_t)nr_open : rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &want) < 0) {
			want.rlim_cur = want.rlim_max = rl.rlim_max;
			setrlimit(RLIMIT_NOFILE, &want);
		}
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	wl_say("oomlab-metric nofile_was=%lld nofile=%lld file_max=%lld\n", was,
	       (long long)rl.rlim_cur, read_ll("/proc/sys/fs/file-max"));
}

/* errno -> the limit it means (for fds, threads), into k */
static void name_limit(struct kmem *k)
{
	struct rlimit rl;
	k->limited_by = NULL;
	if (k->err == EMFILE && getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		snprintf(k->limit_text, sizeof k->limit_text, "RLIMIT_NOFILE=%llu",
			 (unsigned long long)rl.rlim_cur);
		k->limited_by = k->limit_text;
	} else if (k->err == ENFILE) {
		snprintf(k->limit_text, sizeof k->limit_text, "fs.file-max=%lld",
			 read_ll("/proc/sys/fs/file-max"));
		k->limited_by = k->limit_text;
	} else if (k->err == EAGAIN && k->mode == M_THREADS) {
		snprintf(k->limit_text, sizeof k->limit_text, "threads-max=%lld,pid_max=%lld",
			 read_ll("/proc/sys/kernel/threads-max"), read_ll("/proc/sys/kernel/pid_max"));
		k->limited_by = k->limit_text;
	}
}

/* ---- the modes: each fills until max-mb or an error, sets k->err ---- */

static void grow_pipes(struct kmem *k, long long block_kb)
{
	static unsigned char chunk[64 * 1024];
	int fd[2];

	memset(chunk, 0x5a, sizeof chunk);
	for (;;) {
		if (pipe2(fd, O_CLOEXEC | O_NONBLOCK) < 0) {
			k->err = errno;
			return;
		}
		if (fcntl(fd[1], F_SETPIPE_SZ, (int)(block_kb * 1024)) < 0) {
			k->err = errno;
			return;
		}
		for (;;) {
			ssize_t w = write(fd[1], chunk, sizeof chunk);
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0 && errno == EAGAIN)
				break; /* full: the next pipe */
			if (w <= 0) {
				k->err = w < 0 ? errno : EIO;
				return;
			}
			/* whole pages: every write is a multiple of one */
			for (ssize_t p = 0; p < w; p += (ssize_t)WLM_PAGE)
				if (count(k, WLM_PAGE))
					return;
		}
	}
}

static void grow_sockets(struct kmem *k, long long block_kb)
{
	static unsigned char dgram[DGRAM_BYTES];
	unsigned long long per = 4096 + (unsigned long long)slab_objsize("skbuff_head_cache", 256);
	int sv[2], sndbuf = 0;
	socklen_t sl = sizeof sndbuf;

	memset(dgram, 0x5a, sizeof dgram);
	wl_say("oomlab-metric dgram_bytes=%d per_dgram_bytes=%llu\n", DGRAM_BYTES, per);
	for (;;) {
		if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv) < 0) {
			k->err = errno;
			return;
		}
		/* the kernel doubles what it is given */
		int want = (int)(block_kb * 1024 / 2);
		if (setsockopt(sv[0], SOL_SOCKET, SO_SNDBUFFORCE, &want, sizeof want) < 0)
			setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &want, sizeof want);
		if (!sndbuf && getsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sndbuf, &sl) == 0)
			wl_say("oomlab-metric sndbuf=%d\n", sndbuf);
		for (;;) {
			ssize_t w = send(sv[0], dgram, sizeof dgram, MSG_DONTWAIT);
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0 && errno == EAGAIN)
				break; /* its send buffer is full: the next pair */
			if (w < 0) {
				k->err = errno;
				return;
			}
			if (count(k, per))
				return;
		}
	}
}

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void grow_threads(struct kmem *k)
{
	unsigned long long per = THREAD_STACK_KB * 1024ull +
				  (unsigned long long)slab_objsize("task_struct", 9 * 1024);
	pthread_attr_t at;
	pthread_t t;

	wl_say("oomlab-metric per_thread_bytes=%llu\n", per);
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	/* the least user memory a thread can have: a small stack */
	pthread_attr_setstacksize(&at, 64 * 1024);
	for (;;) {
		int e = pthread_create(&t, &at, sleeper, NULL);
		if (e) {
			k->err = e;
			break;
		}
		if (count(k, per))
			break;
	}
	pthread_attr_destroy(&at);
}

static void grow_files(struct kmem *k)
{
	char dir[64], path[96];
	unsigned long long per = (unsigned long long)slab_objsize("shmem_inode_cache", 768) +
				  (unsigned long long)slab_objsize("dentry", 192);
	int private_ns = unshare(CLONE_NEWNS) == 0 &&
			 mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0;

	snprintf(dir, sizeof dir, "/mnt/oomlab-kmem-%d", (int)getpid());
	mkdir("/mnt", 0755);
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		k->err = errno;
		return;
	}
	if (mount("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700,nr_inodes=0") < 0) {
		k->err = errno;
		return;
	}
	wl_say("oomlab-metric private_ns=%d dir=%s per_file_bytes=%llu\n", private_ns, dir, per);
	for (unsigned long long d = 0;; d++) {
		snprintf(path, sizeof path, "%s/d%llu", dir, d);
		if (mkdir(path, 0700) < 0) {
			k->err = errno;
			return;
		}
		if (count(k, per))
			return;
		for (unsigned f = 0; f < FILES_PER_DIR; f++) {
			snprintf(path, sizeof path, "%s/d%llu/f%u", dir, d, f);
			if (mknod(path, S_IFREG | 0600, 0) < 0) {
				k->err = errno;
				return;
			}
			if (count(k, per))
				return;
		}
	}
}

static void grow_pagetables(struct kmem *k)
{
	for (;;) {
		volatile unsigned char *m = mmap(NULL, PT_CHUNK, PROT_READ,
						 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (m == MAP_FAILED) {
			k->err = errno;
			return;
		}
		/* no huge zero page: a page table per 2 MiB */
		madvise((void *)m, PT_CHUNK, MADV_NOHUGEPAGE);
		for (unsigned long long off = 0; off < PT_CHUNK; off += HPAGE) {
			(void)m[off];
			/* a PTE page, and a PMD page every 1 GiB */
			unsigned long long b = WLM_PAGE + (off % (1ull << 30) == 0 ? WLM_PAGE : 0);
			if (count(k, b))
				return;
		}
	}
}

static int run(const struct wl_args *a)
{
	const long long *v = a->v;
	struct kmem k;
	static const char *const keys[] = { "MemAvailable", "Slab", "SUnreclaim", "KernelStack",
					    "PageTables" };
	long long m0[ARRAY_SIZE(keys)];

	memset(&k, 0, sizeof k);
	k.mode = (int)v[O_MODE];
	k.max = (unsigned long long)v[O_MAX_MB] * WLM_MIB;
	k.step = k.next = (unsigned long long)v[O_STEP_MB] * WLM_MIB;
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		m0[i] = wlm_meminfo_kb(keys[i]);
	wl_say("oomlab-start workload=kmem pid=%d mode=%s memavailable_kb=%lld vmsize_kb=%lld "
	       "rlimit_as_kb=%lld oom_score_adj=%lld\n",
	       (int)getpid(), a->s[O_MODE], m0[0], wl_vmsize_kb(), wl_rlimit_as_kb(),
	       wl_oom_score_adj());
	raise_limits((int)v[O_RAISE]);
	find_memcg();
	if (memcg_stat[0])
		wl_say("oomlab-metric memcg_stat=%s\n", memcg_stat);
	long long t0 = wlm_now_ms();
	switch (k.mode) {
	case M_PIPES:
		grow_pipes(&k, v[O_BLOCK_KB]);
		break;
	case M_SOCKETS:
		grow_sockets(&k, v[O_BLOCK_KB]);
		break;
	case M_THREADS:
		grow_threads(&k);
		break;
	case M_FILES:
		grow_files(&k);
		break;
	default:
		grow_pagetables(&k);
		break;
	}
	name_limit(&k);
	/* what meminfo says moved, next to what it counted */
	char line[256];
	int n = snprintf(line, sizeof line, "oomlab-metric grow_ms=%lld units=%llu", wlm_now_ms() - t0,
			 k.units);
	for (size_t i = 0; i < ARRAY_SIZE(keys) && n > 0 && (size_t)n < sizeof line; i++) {
		long long now = wlm_meminfo_kb(keys[i]);
		n += snprintf(line + n, sizeof line - (size_t)n, " %s_delta_kb=%lld", keys[i],
			      now >= 0 && m0[i] >= 0 ? now - m0[i] : -1);
	}
	wl_say("%s\n", line);
	say_memcg();
	if (v[O_HOLD_MS])
		wlm_sleep_ms(v[O_HOLD_MS]);
	const char *reason = !k.err				      ? "limit"
			     : k.err == ENOMEM || k.err == ENOBUFS ? "enomem"
			     : k.limited_by			      ? "count_limit"
								      : "error";
	wl_say("oomlab-result workload=kmem reason=%s mb=%llu bytes=%llu errno=%d units=%llu%s%s\n",
	       reason, k.bytes / WLM_MIB, k.bytes, k.err, k.units, k.limited_by ? " limited_by=" : "",
	       k.limited_by ? k.limited_by : "");
	return 0;
}

const struct workload wl_kmem = {
	.name = "kmem",
	.help = "grow unreclaimable kernel memory from user space (pipes, sockets, threads, tmpfs "
		"files, page tables) until max_mb or the kernel stops it",
	.opts = opts,
	.n_opts = ARRAY_SIZE(opts),
	.run = run,
	.mem = WL_MEM_KERNEL,
};
