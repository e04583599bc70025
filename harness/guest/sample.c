// SPDX-License-Identifier: GPL-2.0-or-later
/* Samples of /proc (raw text, see stream.h "sample") and /dev/kmsg
 * forwarding. All buffers are static; the global /proc files stay open
 * and are re-read with pread() from offset 0 (seq_file restarts). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "agent.h"
#include "proto/cellconf.h"

#define SCRATCH_SIZE (64 * 1024)
#define SAMPLE_SIZE (512 * 1024)
#define KMSG_REC_MAX (16 * 1024) /* > CONSOLE_EXT_LOG_MAX (8 KiB) */

static const struct cell *cell;
static int fd_meminfo = -1, fd_vmstat = -1, fd_psi = -1, fd_buddy = -1, fd_kmsg = -1;
static char scratch[SCRATCH_SIZE];
static char sbuf[SAMPLE_SIZE];
static size_t slen;
static char kbuf[KMSG_REC_MAX];

/* The files of a memory cgroup in its sample section "cgroup.<group>",
 * each a section of its own inside it (stream.h). */
static const char *const cg_files[] = {
	"memory.current", "memory.peak", "memory.swap.current",
	"memory.events", "memory.stat", "memory.pressure",
};
#define CG_STAT 4 /* memory.stat: only the keys of the cgroup_stat line */
#define CG_SECTION_SIZE (16 * 1024)
static int fd_cg[MAX_CGROUPS][ARRAY_SIZE(cg_files)];
/* Each running workload's /proc/PID/status, open from its first sample
 * on: a file opened anew allocates its seq_file buffer at the first read
 * (GFP_KERNEL), and an agent the OOM killer never picks must not
 * allocate while a victim is still exiting, when nothing is left to kill
 * and the kernel panics ("System is deadlocked on memory"). */
static struct { pid_t pid; int fd; } st_fd[MAX_WORKLOADS];
static const struct wl_proc *wl_base;
static char gbuf[CG_SECTION_SIZE];
static size_t glen;

static struct {
	unsigned long long samples, bytes_max, bytes_total;
	unsigned long long emit_us_max, emit_us_total;
	unsigned long long truncated;
	unsigned long long kmsg, kmsg_lost;
} st;

int kmsg_open(void)
{
	fd_kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd_kmsg < 0)
		alog("kmsg: open /dev/kmsg: %s", strerror(errno));
	return fd_kmsg;
}

int kmsg_fd(void)
{
	return fd_kmsg;
}

int kmsg_drain(int max)
{
	int done = 0;

	while (fd_kmsg >= 0 && done < max) {
		ssize_t n = read_retry(fd_kmsg, kbuf, sizeof(kbuf));

		if (n > 0) {
			emit(STREAM_KIND_KMSG, kbuf, (size_t)n);
			st.kmsg++;
			done++;
			continue;
		}
		if (n < 0 && errno == EPIPE) {
			st.kmsg_lost++;
			alog("kmsg: records overwritten before they were read (EPIPE)");
			continue;
		}
		if (n < 0 && errno != EAGAIN) {
			alog("kmsg: read: %s; no more kernel records", strerror(errno));
			close(fd_kmsg);
			fd_kmsg = -1;
		}
		break;
	}
	return done;
}

static int open_ro(const char *path)
{
	return open(path, O_RDONLY | O_CLOEXEC);
}

void sample_init(const struct cell *c)
{
	cell = c;
	fd_meminfo = open_ro("/proc/meminfo");
	fd_vmstat = open_ro("/proc/vmstat");
	fd_psi = open_ro("/proc/pressure/memory");
	fd_buddy = open_ro("/proc/buddyinfo");
	if (fd_meminfo < 0 || fd_vmstat < 0)
		alog("sample: cannot open /proc/meminfo or /proc/vmstat");
	if (fd_psi < 0)
		alog("sample: no /proc/pressure/memory (%s): no psi section", strerror(errno));
	for (int g = 0; g < c->n_cgroups; g++) {
		for (size_t f = 0; f < ARRAY_SIZE(cg_files); f++) {
			char path[CGROUP_NAME_MAX + 64];

			snprintf(path, sizeof(path), "%s/%s/%s", GUEST_CGROUP_DIR, c->cgroups[g],
				 cg_files[f]);
			fd_cg[g][f] = open_ro(path); /* -1: the kernel lacks it */
		}
	}
	zswap_init();
}

/* Whole file into scratch from offset 0. Returns its length or -1. */
static ssize_t pread_all(int fd)
{
	size_t len = 0;

	while (len < sizeof(scratch)) {
		ssize_t n = pread(fd, scratch + len, sizeof(scratch) - len, (off_t)len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return len ? (ssize_t)len : -1;
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len == sizeof(scratch))
		st.truncated++;
	return (ssize_t)len;
}

/* Append the section "<name> <len>\n<data>\n" to buf (cap bytes, *blen used). */
static void sec_put(char *buf, size_t cap, size_t *blen, const char *name, const char *data,
		    size_t len)
{
	char hdr[CGROUP_NAME_MAX + 64];
	int h = snprintf(hdr, sizeof(hdr), "%s %zu\n", name, len);

	if (h <= 0 || (size_t)h >= sizeof(hdr) || *blen + (size_t)h + len + 1 > cap) {
		st.truncated++;
		return;
	}
	memcpy(buf + *blen, hdr, (size_t)h);
	*blen += (size_t)h;
	memcpy(buf + *blen, data, len);
	*blen += len;
	buf[(*blen)++] = '\n';
}

static void sec_add(const char *name, const char *data, size_t len)
{
	sec_put(sbuf, sizeof(sbuf), &slen, name, data, len);
}

static void sec_file(const char *name, int fd)
{
	ssize_t n;

	if (fd < 0 || (n = pread_all(fd)) < 0)
		return;
	sec_add(name, scratch, (size_t)n);
}

/* Does the line start with one of keys (a prefix; exact: the key and a
 * space)? No keys: every line. */
static int key_wanted(const char *line, size_t len, const char *const *keys, int n_keys, int exact)
{
	if (n_keys == 0)
		return 1;
	for (int i = 0; i < n_keys; i++) {
		size_t pl = strlen(keys[i]);

		if (pl + (size_t)exact <= len && !memcmp(line, keys[i], pl) &&
		    (!exact || line[pl] == ' '))
			return 1;
	}
	return 0;
}

/* Keep only the wanted lines of scratch[0, n) (in place); the new length. */
static size_t filter_lines(size_t n, const char *const *keys, int n_keys, int exact)
{
	size_t in = 0, out = 0;

	while (in < n) {
		char *nl = memchr(scratch + in, '\n', n - in);
		size_t ll = nl ? (size_t)(nl - (scratch + in)) + 1 : n - in;

		if (key_wanted(scratch + in, ll, keys, n_keys, exact)) {
			memmove(scratch + out, scratch + in, ll);
			out += ll;
		}
		in += ll;
	}
	return out;
}

/* Keep only the lines whose key starts with a wanted prefix. */
static void sec_vmstat(void)
{
	ssize_t n = fd_vmstat < 0 ? -1 : pread_all(fd_vmstat);

	if (n < 0)
		return;
	sec_add("vmstat", scratch,
		filter_lines((size_t)n, cell ? cell->prefixes : NULL, cell ? cell->n_prefixes : 0, 0));
}

/* "cgroup.<group>": one section per file of the group the kernel has. */
static void sec_cgroup(int g)
{
	char name[CGROUP_NAME_MAX + 16];

	glen = 0;
	for (size_t f = 0; f < ARRAY_SIZE(cg_files); f++) {
		ssize_t n = fd_cg[g][f] < 0 ? -1 : pread_all(fd_cg[g][f]);

		if (n < 0)
			continue;
		if (f == CG_STAT)
			n = (ssize_t)filter_lines((size_t)n, cell->cgstat_keys, cell->n_cgstat_keys, 1);
		sec_put(gbuf, sizeof(gbuf), &glen, cg_files[f], scratch, (size_t)n);
	}
	snprintf(name, sizeof(name), "cgroup.%s", cell->cgroups[g]);
	sec_add(name, gbuf, glen);
}

static void sec_status(const struct wl_proc *w)
{
	char path[48], name[48];
	ssize_t n;
	int fd;

	int i = (int)(w - wl_base);

	if (i < 0 || i >= MAX_WORKLOADS)
		return;
	if (st_fd[i].pid != w->pid || st_fd[i].fd < 0) {
		if (st_fd[i].pid && st_fd[i].fd >= 0)
			close(st_fd[i].fd);
		snprintf(path, sizeof(path), "/proc/%d/status", (int)w->pid);
		st_fd[i].fd = open_ro(path);
		st_fd[i].pid = w->pid;
	}
	fd = st_fd[i].fd;
	if (fd < 0)
		return;
	n = pread_all(fd);
	if (n < 0)
		return;
	snprintf(name, sizeof(name), "status.%d.%d", w->spec->id, (int)w->pid);
	stall_status(w, scratch, (size_t)n);
	sec_add(name, scratch, (size_t)n);
}

void sample_take(const struct wl_proc *p, int n)
{
	uint64_t t0;
	size_t zs;

	slen = 0;
	sec_file("meminfo", fd_meminfo);
	sec_vmstat();
	if (fd_psi >= 0) {
		ssize_t np = pread_all(fd_psi);

		if (np >= 0) {
			stall_psi(scratch, (size_t)np);
			sec_add("psi", scratch, (size_t)np);
		}
	}
	sec_file("buddyinfo", fd_buddy);
	for (int g = 0; cell && g < cell->n_cgroups; g++)
		sec_cgroup(g);
	zs = zswap_section(scratch, sizeof(scratch));
	if (zs)
		sec_add("zswap", scratch, zs);
	wl_base = p;
	for (int i = 0; i < n && i < MAX_WORKLOADS; i++) {
		if (p[i].state == WL_RUNNING) {
			sec_status(&p[i]);
		} else if (st_fd[i].pid && st_fd[i].fd >= 0) {
			close(st_fd[i].fd); /* reaped: its file reads ESRCH now */
			st_fd[i].fd = -1;
		}
	}
	t0 = mono_us();
	emit(STREAM_KIND_SAMPLE, sbuf, slen);
	t0 = mono_us() - t0;
	st.samples++;
	st.bytes_total += slen;
	if (slen > st.bytes_max)
		st.bytes_max = slen;
	st.emit_us_total += t0;
	if (t0 > st.emit_us_max)
		st.emit_us_max = t0;
}

/* The agent's own CPU time (getrusage: the scheduler's runtime, to the
 * microsecond, where /proc/self/stat has clock ticks) in the run phase:
 * what the sampler, the stream and the loop took from the workloads. */
static struct {
	int begun, ended;
	uint64_t t0_us, t1_us;
	unsigned long long cpu0_us, cpu1_us;
} run_cpu;

static unsigned long long self_cpu_us(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) < 0)
		return 0;
	return (unsigned long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000ull +
	       (unsigned long long)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

void sample_run_mark(int end)
{
	if (!end && !run_cpu.begun) {
		run_cpu.begun = 1;
		run_cpu.t0_us = mono_us();
		run_cpu.cpu0_us = self_cpu_us();
	} else if (end && run_cpu.begun && !run_cpu.ended) {
		run_cpu.ended = 1;
		run_cpu.t1_us = mono_us();
		run_cpu.cpu1_us = self_cpu_us();
	}
}

void sample_log_stats(unsigned long long timer_overruns)
{
	const struct emit_stats *e = emit_stats();
	int run = run_cpu.begun && run_cpu.ended;

	alog("stats samples=%llu sample_bytes_avg=%llu sample_bytes_max=%llu "
	     "sample_emit_us_avg=%llu sample_emit_us_max=%llu timer_overruns=%llu truncated=%llu "
	     "kmsg=%llu kmsg_lost=%llu records=%llu bytes=%llu write_errors=%llu run_us=%llu run_cpu_us=%llu",
	     st.samples, st.samples ? st.bytes_total / st.samples : 0, st.bytes_max,
	     st.samples ? st.emit_us_total / st.samples : 0, st.emit_us_max, timer_overruns, st.truncated,
	     st.kmsg, st.kmsg_lost, e->records, e->bytes, e->write_errors,
	     run ? (unsigned long long)(run_cpu.t1_us - run_cpu.t0_us) : 0ull,
	     run ? run_cpu.cpu1_us - run_cpu.cpu0_us : 0ull);
}
