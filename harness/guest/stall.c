// SPDX-License-Identifier: GPL-2.0-or-later
/* Stall detection (stream.h "stall", docs/architecture.md#stalls). A
 * workload is stuck at a sample when, since the sample before,
 *   - it wrote no oomlab-progress line,
 *   - its VmRSS + VmSwap did not rise STALL_GROW_KB above its high-water
 *     mark (thrashing moves pages in and out; only new memory counts),
 *   - it was not sleeping (State R or D: a workload that holds its memory
 *     and sleeps is waiting by design, not stalled),
 * and PSI full avg10 (/proc/pressure/memory) was at or above the cell's
 * threshold. The stall clock starts at the first stuck sample and stops
 * at the first one that is not; once it reaches the cell's stall_ms the
 * agent says so (limit=1) and SIGKILLs the workload's process group, so
 * the cell does not thrash on until its deadline. A stall that the
 * workload's end cut short is said too (limit=0), when it lasted
 * STALL_REPORT_MS. No allocation: PID 1 keeps running under pressure. */
#include <signal.h>
#include <string.h>

#include "agent.h"

struct stall_wl {
	unsigned long long hw_kb; /* VmRSS + VmSwap high-water mark */
	uint64_t since_us;        /* the stall clock's start, 0: not running */
	int moved;                /* progress since the last check */
	int sleeping;             /* its last status said S, T, Z, I... */
	int have_status;          /* a status since the last check */
	int said;                 /* its stall record went out */
};

static const struct cell *cell;
static struct stall_wl sw[MAX_WORKLOADS];
static long psi_full = -1; /* full avg10 x 100 of the last sample, -1: none */

void stall_init(const struct cell *c)
{
	cell = c;
	memset(sw, 0, sizeof(sw));
}

/* Where the line that starts with key continues, NULL: no such line. */
static const char *line_after(const char *text, size_t len, const char *key)
{
	size_t kl = strlen(key);

	for (size_t i = 0; i + kl <= len; i++)
		if (!memcmp(text + i, key, kl) && (!i || text[i - 1] == '\n'))
			return text + i + kl;
	return NULL;
}

/* The value after key at the start of a line of text[0, len) in
 * hundredths ("12.34" -> 1234, "7" -> 700); -1 when absent. */
static long hundredths(const char *text, size_t len, const char *key)
{
	const char *p = line_after(text, len, key), *end = text + len;
	long v = 0;
	int frac = -1; /* digits after the point, -1: no point yet */

	if (!p)
		return -1;
	for (; p < end && frac < 2; p++) {
		if (*p == '.' && frac < 0) {
			frac = 0;
		} else if (*p >= '0' && *p <= '9') {
			v = v * 10 + (*p - '0');
			if (frac >= 0)
				frac++;
		} else {
			break;
		}
	}
	for (int k = frac < 0 ? 0 : frac; k < 2; k++)
		v *= 10;
	return v;
}

/* "Key:\t   1234 kB" -> 1234, -1 when absent. */
static long long status_kb(const char *text, size_t len, const char *key)
{
	const char *p = line_after(text, len, key), *end = text + len;
	long long v = 0;
	int digits = 0;

	if (!p)
		return -1;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	for (; p < end && *p >= '0' && *p <= '9'; p++, digits++)
		v = v * 10 + (*p - '0');
	return digits ? v : -1;
}

void stall_psi(const char *text, size_t len)
{
	psi_full = hundredths(text, len, "full avg10=");
}

/* The workload's index in the cell (its spec is a row of cell->wl). */
static struct stall_wl *of(const struct wl_proc *w)
{
	long i = cell ? (long)(w->spec - cell->wl) : -1;

	return i >= 0 && i < cell->n_wl && i < MAX_WORKLOADS ? &sw[i] : NULL;
}

void stall_status(const struct wl_proc *w, const char *text, size_t len)
{
	struct stall_wl *s = of(w);
	long long rss, swap;
	const char *st;

	if (!s)
		return;
	rss = status_kb(text, len, "VmRSS:");
	swap = status_kb(text, len, "VmSwap:");
	st = line_after(text, len, "State:");
	if (st) {
		size_t at = (size_t)(st - text);

		while (at < len && (text[at] == ' ' || text[at] == '\t'))
			at++;
		s->sleeping = at < len && text[at] != 'R' && text[at] != 'D';
	}
	s->have_status = 1;
	if (rss >= 0) {
		unsigned long long kb = (unsigned long long)rss + (unsigned long long)(swap > 0 ? swap : 0);

		if (kb >= s->hw_kb + STALL_GROW_KB || !s->hw_kb) {
			s->hw_kb = kb;
			s->moved = 1;
		}
	}
}

void stall_progress(const struct wl_proc *w)
{
	struct stall_wl *s = of(w);

	if (s)
		s->moved = 1;
}

static void say(const struct wl_proc *w, const struct stall_wl *s, uint64_t end_us, int limit)
{
	emitf(STREAM_KIND_STALL, "id=%d\npid=%d\nstart_us=%llu\nend_us=%llu\nlimit=%d\npsi_full=%ld.%02ld\n",
	      w->spec->id, (int)w->pid, (unsigned long long)s->since_us, (unsigned long long)end_us,
	      limit, psi_full < 0 ? 0 : psi_full / 100, psi_full < 0 ? 0 : psi_full % 100);
}

void stall_check(struct wl_proc *p, int n)
{
	uint64_t now = mono_us();

	if (!cell || !cell->stall_ms)
		return;
	for (int i = 0; i < n && i < MAX_WORKLOADS; i++) {
		struct stall_wl *s = &sw[i];
		int stuck = s->have_status && !s->moved && !s->sleeping && psi_full >= 0 &&
			    psi_full >= cell->stall_psi_x100;

		s->moved = 0;
		s->have_status = 0;
		if (p[i].state != WL_RUNNING || p[i].spec->watcher || s->said)
			continue;
		if (!stuck) {
			s->since_us = 0;
			continue;
		}
		if (!s->since_us)
			s->since_us = now;
		if (now - s->since_us < cell->stall_ms * 1000u)
			continue;
		say(&p[i], s, now, 1);
		s->said = 1;
		alog("stall: SIGKILL id=%d pid=%d after %llu ms without progress", p[i].spec->id,
		     (int)p[i].pid, (unsigned long long)(now - s->since_us) / 1000u);
		kill(-p[i].pid, SIGKILL);
		kill(p[i].pid, SIGKILL);
	}
}

void stall_ended(const struct wl_proc *w)
{
	struct stall_wl *s = of(w);
	uint64_t now = mono_us();

	if (!s || s->said || !s->since_us || now - s->since_us < STALL_REPORT_MS * 1000u)
		return;
	say(w, s, now, 0);
	s->said = 1;
}
