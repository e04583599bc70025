// SPDX-License-Identifier: GPL-2.0-or-later
/* Quiescence before the warm-start snapshot (docs/warm-starts.md): the
 * agent writes back what is dirty, then waits until, for CTL_QUIET_MS in
 * a row, no task but itself was runnable and the other tasks ran for less
 * than QUIET_OTHERS_PCT of that time. Two measures, sampled every
 * QUIET_TICK_MS:
 *
 *   /proc/stat      procs_running (the agent itself is one) and
 *                   procs_blocked (tasks in uninterruptible sleep)
 *   /proc/schedstat the time every task ran on each CPU (7th field of a
 *                   cpuN line, ns), less /proc/self/schedstat's first
 *                   field (the agent's own): what the others ran
 *
 * The first catches a task that is runnable when the agent looks, the
 * second a task that ran between two looks. A kernel without schedstat
 * gives only the first. Static buffers only: the agent does not
 * allocate. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "proto/cellconf.h"

#define QUIET_TICK_MS 10
#define QUIET_OTHERS_PCT 2

static char qbuf[16384];

/* The whole (small) file into qbuf, NUL-terminated; its length or -1. */
static ssize_t slurp(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t got = 0;

	if (fd < 0)
		return -1;
	for (;;) {
		ssize_t n = read_retry(fd, qbuf + got, sizeof(qbuf) - 1 - got);

		if (n <= 0)
			break;
		got += (size_t)n;
		if (got == sizeof(qbuf) - 1)
			break;
	}
	close(fd);
	qbuf[got] = '\0';
	return (ssize_t)got;
}

/* The number after "key " at the start of a line of qbuf; -1: none. */
static long long stat_line(const char *key)
{
	size_t kl = strlen(key);

	for (const char *p = qbuf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, kl) && p[kl] == ' ')
			return strtoll(p + kl + 1, NULL, 10);
	return -1;
}

/* Sum over the cpuN lines of /proc/schedstat of their 7th number (time
 * tasks ran, ns); -1 when there is no such file or line. */
static long long cpus_ran_ns(void)
{
	long long sum = -1;

	if (slurp("/proc/schedstat") < 0)
		return -1;
	for (char *p = qbuf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		char *q = p + 3;
		long long v = 0;

		if (strncmp(p, "cpu", 3) || !isdigit((unsigned char)p[3]))
			continue;
		while (isdigit((unsigned char)*q))
			q++;
		for (int f = 0; f < 7; f++)
			v = strtoll(q, &q, 10);
		sum = (sum < 0 ? 0 : sum) + v;
	}
	return sum;
}

static long long self_ran_ns(void)
{
	if (slurp("/proc/self/schedstat") < 0)
		return -1;
	return strtoll(qbuf, NULL, 10);
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Name up to a few tasks (other than the agent) that are runnable or in
 * uninterruptible sleep, into out: "kworker/0:1(R) ...". */
static void name_busy(char *out, size_t cap)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	size_t used = 0;
	pid_t self = getpid();

	out[0] = '\0';
	if (!d)
		return;
	while ((de = readdir(d)) && used + 40 < cap) {
		char path[300], *l, *r;

		if (!isdigit((unsigned char)de->d_name[0]) || atoi(de->d_name) == self)
			continue;
		snprintf(path, sizeof(path), "/proc/%.255s/stat", de->d_name);
		if (slurp(path) < 0)
			continue;
		/* "pid (comm) S ...": the comm may hold spaces and parens */
		l = strchr(qbuf, '(');
		r = strrchr(qbuf, ')');
		if (!l || !r || r < l || (r[2] != 'R' && r[2] != 'D'))
			continue;
		*r = '\0';
		used += (size_t)snprintf(out + used, cap - used, "%s%.24s(%c)", used ? " " : "", l + 1, r[2]);
	}
	closedir(d);
}

int warm_quiesce(struct quiet *q)
{
	uint64_t t_end, t0;
	long long ran0, self0;

	memset(q, 0, sizeof(*q));
	sync();
	t0 = mono_ms();
	t_end = t0 + CTL_QUIET_MAX_MS;
	ran0 = cpus_ran_ns();
	self0 = self_ran_ns();
	for (;;) {
		uint64_t now;
		long long running, blocked, ran, self;

		sleep_ms(QUIET_TICK_MS);
		now = mono_ms();
		q->samples++;
		running = slurp("/proc/stat") < 0 ? -1 : stat_line("procs_running");
		blocked = stat_line("procs_blocked");
		ran = cpus_ran_ns();
		self = self_ran_ns();
		if (running != 1 || blocked != 0) {
			/* someone else wants the CPU: start the window again */
			t0 = now;
			ran0 = ran;
			self0 = self;
		} else if (now - t0 >= CTL_QUIET_MS) {
			long long others = ran >= 0 && ran0 >= 0 ? (ran - ran0) - (self - self0) : 0;

			if (others < 0)
				others = 0;
			if (others * 100 <= (long long)(now - t0) * 1000000LL * QUIET_OTHERS_PCT) {
				q->quiet_ms = (unsigned)(now - t0);
				q->others_us = (unsigned long long)others / 1000;
				q->schedstat = ran >= 0;
				return 0;
			}
			t0 = now; /* the others ran too long in this window */
			ran0 = ran;
			self0 = self;
		}
		if (now >= t_end) {
			name_busy(q->busy, sizeof(q->busy));
			return -1;
		}
	}
}
