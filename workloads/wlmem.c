// SPDX-License-Identifier: GPL-2.0-or-later
/* Helpers of the memory-kind workloads: see wlmem.h. */
#define _FILE_OFFSET_BITS 64
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "wl.h"
#include "wlmem.h"

/* Buffers are mapped when first used, not static: a large .bss would
 * raise every workload's VmSize at start (alloc and touch included). */
static char *rbuf;
#define RBUF_SIZE (64 * 1024)

static char *get_rbuf(void)
{
	if (!rbuf) {
		void *m = mmap(NULL, RBUF_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		rbuf = m == MAP_FAILED ? NULL : m;
	}
	return rbuf;
}

ssize_t wlm_read_file(const char *path, char *buf, size_t size)
{
	size_t len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || size == 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while (len < size - 1) {
		ssize_t n = read(fd, buf + len, size - 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = 0;
	return (ssize_t)len;
}

/* "Key: 123 kB" or "key 123" lines: the number after key. */
static long long value_in(const char *text, const char *key)
{
	size_t kl = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (!strncmp(p, key, kl) && (p[kl] == ':' || p[kl] == ' ')) {
			const char *v = p + kl + 1;

			while (*v == ' ' || *v == '\t')
				v++;
			return strtoll(v, NULL, 10);
		}
	}
	return -1;
}

long long wlm_file_value(const char *path, const char *key)
{
	if (!get_rbuf() || wlm_read_file(path, rbuf, RBUF_SIZE) < 0)
		return -1;
	return value_in(rbuf, key);
}

long long wlm_meminfo_kb(const char *key)
{
	return wlm_file_value("/proc/meminfo", key);
}

long long wlm_vmstat(const char *key)
{
	return wlm_file_value("/proc/vmstat", key);
}

long long wlm_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void wlm_sleep_ms(long long ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };

	while (ms > 0 && nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

long long wlm_resident_pages(const void *addr, size_t len)
{
	static unsigned char vec[4096];
	long long n = 0;
	size_t off = 0;

	/* in pieces, so the vector stays small and static */
	while (off < len) {
		size_t chunk = len - off;

		if (chunk > sizeof vec * WLM_PAGE)
			chunk = sizeof vec * WLM_PAGE;
		if (mincore((void *)((const unsigned char *)addr + off), chunk, vec) < 0)
			return -1;
		for (size_t i = 0; i < (chunk + WLM_PAGE - 1) / WLM_PAGE; i++)
			n += vec[i] & 1;
		off += chunk;
	}
	return n;
}

int wlm_is_mountpoint(const char *dir)
{
	/* mountinfo: id parent major:minor root mountpoint ... */
	if (!get_rbuf() || wlm_read_file("/proc/self/mountinfo", rbuf, RBUF_SIZE) < 0)
		return -1;
	size_t dl = strlen(dir);
	for (char *p = rbuf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		const char *f = p;

		for (int i = 0; i < 4 && f; i++) {
			f = strchr(f, ' ');
			f = f ? f + 1 : NULL;
		}
		if (f && !strncmp(f, dir, dl) && f[dl] == ' ')
			return 1;
	}
	return 0;
}

static int mkdir_p(const char *dir)
{
	char path[256];

	if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

int wlm_mount_tmpfs(const char *dir, long long size_mb, int *mounted)
{
	char data[64];

	*mounted = 0;
	if (mkdir_p(dir) < 0)
		return -1;
	if (wlm_is_mountpoint(dir) == 1)
		return 0;
	snprintf(data, sizeof data, "mode=1777,size=%lldm", size_mb);
	if (mount("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, data) < 0)
		return -1;
	*mounted = 1;
	return 0;
}

void wlm_say_buddyinfo(const char *tag)
{
	if (!get_rbuf() || wlm_read_file("/proc/buddyinfo", rbuf, RBUF_SIZE) < 0) {
		wl_say("oomlab-metric buddyinfo_error=%d\n", errno);
		return;
	}
	for (char *p = rbuf; *p;) {
		char *nl = strchr(p, '\n');

		if (nl)
			*nl = 0;
		if (*p)
			wl_say("oomlab-buddyinfo %s %s\n", tag, p);
		if (!nl)
			break;
		p = nl + 1;
	}
}

/* ---- filling shmem ---- */

#define WBUF_SIZE (1024 * 1024)
static sigjmp_buf bus_jmp;

static void on_sigbus(int sig)
{
	(void)sig;
	siglongjmp(bus_jmp, 1);
}

static void progress(unsigned long long done, unsigned long long *next)
{
	for (; done >= *next; *next += WL_PROGRESS_MB * WLM_MIB)
		wl_say("oomlab-progress mb=%llu\n", *next / WLM_MIB);
}

/* Write every page of f->map; a full tmpfs ends it with SIGBUS. */
static void touch_all(struct wlm_fill *f)
{
	unsigned char *m = (unsigned char *)f->map;
	unsigned long long next = WL_PROGRESS_MB * WLM_MIB;

	for (unsigned long long off = 0; off < f->bytes; off += WLM_PAGE) {
		size_t n = f->bytes - off < WLM_PAGE ? (size_t)(f->bytes - off) : (size_t)WLM_PAGE;

		memset(m + off, 0x5a, n);
		f->done = off + n;
		progress(f->done, &next);
	}
}

/* Nothing here changes after sigsetjmp: no local to clobber. */
static int touch_guarded(struct wlm_fill *f)
{
	if (sigsetjmp(bus_jmp, 1))
		return -1;
	touch_all(f);
	return 0;
}

static void fill_mmap(struct wlm_fill *f)
{
	unsigned char *m = f->seg;
	struct sigaction sa, old;

	if (f->bytes > (unsigned long long)(size_t)-1) {
		f->reason = "enomem";
		f->err = ENOMEM;
		return;
	}
	if (!m) {
		if (ftruncate(f->fd, (off_t)f->bytes) < 0) {
			f->err = errno;
			f->reason = errno == EFBIG || errno == ENOSPC ? "enospc" : "error";
			return;
		}
		m = mmap(NULL, (size_t)f->bytes, PROT_READ | PROT_WRITE, MAP_SHARED, f->fd, 0);
		if (m == MAP_FAILED) {
			f->err = errno;
			f->reason = errno == ENOMEM ? "enomem" : "error";
			return;
		}
	}
	f->map = m;
	f->map_len = (size_t)f->bytes;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigbus;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, &old);
	if (touch_guarded(f) < 0) {
		f->reason = "sigbus";
		f->err = ENOSPC;
	} else {
		f->reason = "done";
	}
	sigaction(SIGBUS, &old, NULL);
}

static void fill_write(struct wlm_fill *f)
{
	unsigned long long next = WL_PROGRESS_MB * WLM_MIB;
	unsigned char *wbuf = mmap(NULL, WBUF_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				   -1, 0);

	if (wbuf == MAP_FAILED) {
		f->err = errno;
		f->reason = "enomem";
		return;
	}
	memset(wbuf, 0x5a, WBUF_SIZE);
	while (f->done < f->bytes) {
		size_t n = f->bytes - f->done < WBUF_SIZE ? (size_t)(f->bytes - f->done) : WBUF_SIZE;
		ssize_t w = pwrite(f->fd, wbuf, n, (off_t)f->done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			f->err = w < 0 ? errno : ENOSPC;
			f->reason = f->err == ENOSPC || f->err == EFBIG ? "enospc"
				    : f->err == ENOMEM		      ? "enomem"
								      : "error";
			break;
		}
		f->done += (unsigned long long)w;
		progress(f->done, &next);
	}
	munmap(wbuf, WBUF_SIZE);
	if (f->done == f->bytes)
		f->reason = "done";
	/* mapped read-only only to ask which pages are resident */
	if (f->done && f->done <= (unsigned long long)(size_t)-1) {
		void *m = mmap(NULL, (size_t)f->done, PROT_READ, MAP_SHARED, f->fd, 0);

		if (m != MAP_FAILED) {
			f->map = m;
			f->map_len = (size_t)f->done;
		}
	}
}

void wlm_fill_shmem(struct wlm_fill *f)
{
	f->done = 0;
	f->err = 0;
	f->reason = "error";
	f->map = NULL;
	f->map_len = 0;
	if (f->how == WLM_FILL_MMAP || f->fd < 0)
		fill_mmap(f);
	else
		fill_write(f);
}

static void say_residency(const struct wlm_fill *f, long long *last)
{
	long long res = f->map ? wlm_resident_pages(f->map, f->map_len) : -1;
	long long shmem = wlm_meminfo_kb("Shmem");

	if (res < 0) {
		wl_say("oomlab-metric shmem_kb=%lld\n", shmem);
		return;
	}
	long long total = (long long)((f->map_len + WLM_PAGE - 1) / WLM_PAGE);
	*last = res;
	/* shmem has no backing store: a written page that is not resident
	 * is in swap */
	wl_say("oomlab-metric resident_mb=%.1f swapped_mb=%.1f shmem_kb=%lld\n",
	       (double)res * WLM_PAGE / WLM_MIB, (double)(total - res) * WLM_PAGE / WLM_MIB, shmem);
}

void wlm_hold(const struct wlm_fill *f, long long hold_ms)
{
	long long t_end = wlm_now_ms() + hold_ms, last = -1;

	say_residency(f, &last);
	while (wlm_now_ms() < t_end) {
		long long left = t_end - wlm_now_ms();
		long long before = last;

		wlm_sleep_ms(left < 1000 ? left : 1000);
		if (!f->map)
			continue;
		long long res = wlm_resident_pages(f->map, f->map_len);
		/* only when it moved by 1 MiB or more: the line is not free */
		if (res >= 0 && (res - before > 256 || before - res > 256))
			say_residency(f, &last);
	}
	say_residency(f, &last);
}

void wlm_verify(const struct wlm_fill *f)
{
	long long bad = 0, t0 = wlm_now_ms();

	if (!f->map)
		return;
	for (size_t off = 0; off < f->map_len; off += WLM_PAGE)
		bad += f->map[off] != 0x5a;
	wl_say("oomlab-metric verified_mb=%.1f bad_pages=%lld verify_ms=%lld\n",
	       (double)f->map_len / WLM_MIB, bad, wlm_now_ms() - t0);
}
