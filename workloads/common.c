// SPDX-License-Identifier: GPL-2.0-or-later
/* Output helpers and the allocation loop shared by alloc and touch. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "wl.h"

#define MIB (1024ull * 1024ull)

void wl_say(const char *fmt, ...)
{
	char line[512];
	const char *p = line;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	while (n > 0) {
		ssize_t w = write(STDOUT_FILENO, p, (size_t)n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (int)w;
	}
}

/* The first number in a small /proc file, or def. */
static long long proc_first_ll(const char *path, long long def)
{
	char buf[128];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return def;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return def;
	buf[n] = 0;
	char *end;
	long long v = strtoll(buf, &end, 10);
	return end == buf ? def : v;
}

/* Our address-space size now, from /proc/self/statm (first field, pages),
 * so the host can tell MB allocated from total-vm. -1 if unreadable. */
long long wl_vmsize_kb(void)
{
	long long pages = proc_first_ll("/proc/self/statm", -1);
	return pages < 0 ? -1 : pages * (sysconf(_SC_PAGESIZE) / 1024);
}

/* RLIMIT_AS in force, in KiB; -1 when unlimited. */
long long wl_rlimit_as_kb(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_AS, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY)
		return -1;
	return (long long)(rl.rlim_cur / 1024);
}

/* Our oom_score_adj, as the kernel has it (-1001 if unreadable). */
long long wl_oom_score_adj(void)
{
	return proc_first_ll("/proc/self/oom_score_adj", -1001);
}

int wl_malloc_loop(const char *name, long long block_kb, long long max_mb, int fill,
		   long long hold_ms)
{
	unsigned long long block = (unsigned long long)block_kb * 1024u;
	unsigned long long max = (unsigned long long)max_mb * MIB;
	unsigned long long total = 0, blocks = 0, next = WL_PROGRESS_MB * MIB;
	const char *reason = "limit";
	int err = 0;

	wl_say("oomlab-start workload=%s pid=%d block_kb=%lld vmsize_kb=%lld rlimit_as_kb=%lld "
	       "oom_score_adj=%lld\n",
	       name, (int)getpid(), block_kb, wl_vmsize_kb(), wl_rlimit_as_kb(), wl_oom_score_adj());
	while (!max || total < max) {
		void *p;

		errno = 0;
		p = malloc(block);
		if (!p) {
			err = errno;
			reason = "enomem";
			break;
		}
		if (fill >= 0)
			memset(p, fill, block);
		total += block;
		blocks++;
		for (; total >= next; next += WL_PROGRESS_MB * MIB)
			wl_say("oomlab-progress mb=%llu\n", next / MIB);
	}
	/* keep what it has for a while (workloads together: let the others
	 * meet it), then report */
	if (hold_ms > 0) {
		struct timespec ts = {hold_ms / 1000, (hold_ms % 1000) * 1000000L};
		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
	}
	wl_say("oomlab-result workload=%s reason=%s mb=%llu bytes=%llu blocks=%llu errno=%d\n", name,
	       reason, total / MIB, total, blocks, err);
	return 0;
}
