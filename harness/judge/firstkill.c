// SPDX-License-Identifier: GPL-2.0-or-later
#include "judge/firstkill.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* Value i of column name of the workload's series, 0 when missing. */
static long long col(const struct wl_obs *w, const char *name, size_t i)
{
	json_t *v = json_array_get(json_object_get(w->series, name), i);
	return json_is_integer(v) ? json_integer_value(v) : 0;
}

/* what workload w held at sample i, kB */
static long long held(const struct wl_obs *w, size_t i)
{
	return col(w, "VmRSS_kb", i) + col(w, "VmSwap_kb", i) + col(w, "VmPTE_kb", i);
}

/* the address space workload w had mapped at sample i, kB */
static long long vmsize(const struct wl_obs *w, size_t i)
{
	return col(w, "VmSize_kb", i);
}

static long long meminfo_kb(const struct cell_obs *o, const char *key)
{
	json_t *v = o->meminfo_start ? json_object_get(o->meminfo_start, key) : NULL;
	return json_is_integer(v) ? json_integer_value(v) : 0;
}

/* What the workloads alive at t (us; and those whose memory outlives them)
 * held, from their last samples at or before t: *lo_kb the samples' sum,
 * *hi_kb each grown at its last rate up to t. */
static void held_at(const struct cell_obs *o, size_t at, unsigned long long t, const int *keeps,
		    size_t n, long long *lo_kb, double *hi_kb)
{
	*lo_kb = 0;
	*hi_kb = 0;
	for (size_t i = 0; i < n && i < o->n_wl; i++) {
		const struct wl_obs *w = &o->wl[i];
		/* not started yet, or already gone (and its memory with it) */
		if (!w->spawned || w->t_spawn_us > t ||
		    (i != at && w->exited && w->t_exit_us < t && !keeps[i]))
			continue;
		json_t *ts = json_object_get(w->series, "t_ms");
		size_t last = (size_t)-1;
		for (size_t k = 0; k < json_array_size(ts); k++)
			if ((unsigned long long)json_integer_value(json_array_get(ts, k)) * 1000 <= t)
				last = k;
		if (last == (size_t)-1)
			continue;
		long long now = held(w, last);
		*lo_kb += now;
		double grown = (double)now;
		if (last > 0) {
			/* its last rate, carried on to t */
			double t0 = (double)json_integer_value(json_array_get(ts, last - 1));
			double t1 = (double)json_integer_value(json_array_get(ts, last));
			double rate = t1 > t0 ? (double)(now - held(w, last - 1)) / (t1 - t0) : 0;
			if (rate > 0)
				grown += rate * ((double)t / 1000.0 - t1);
		}
		*hi_kb += grown;
	}
}

/* the first workload (by its end) with ended[i] set, or n */
static size_t first_end(const struct cell_obs *o, const int *ended, size_t n)
{
	size_t first = n;
	for (size_t i = 0; i < n && i < o->n_wl; i++)
		if (ended[i] && o->wl[i].exited &&
		    (first == n || o->wl[i].t_exit_us < o->wl[first].t_exit_us))
			first = i;
	return first;
}

void first_kill_measure(const struct cell_obs *o, const int *killed, const int *keeps, size_t n,
			struct first_kill *fk)
{
	memset(fk, 0, sizeof *fk);
	size_t v = first_end(o, killed, n);
	if (v == n)
		return;
	fk->found = 1;
	fk->victim = v;
	long long held_kb;
	double held_max_kb;
	held_at(o, v, o->wl[v].t_exit_us, keeps, n, &held_kb, &held_max_kb);
	fk->held_mb = (double)held_kb / 1024.0;
	fk->held_max_mb = held_max_kb / 1024.0;
	fk->figure_mb = (double)(meminfo_kb(o, "MemAvailable") + meminfo_kb(o, "SwapTotal")) / 1024.0;
}

enum verdict first_kill_verdict(const struct first_kill *fk, char *why, size_t whysz)
{
	if (!fk->found || fk->figure_mb <= 0)
		return V_PASS;
	double lo = fk->figure_mb * FIRST_KILL_MIN, hi = fk->figure_mb * FIRST_KILL_MAX;
	if (fk->held_max_mb < lo)
		snprintf(why, whysz,
			 "early OOM kill: the workloads held at most %.0f MB when it came, predicted "
			 "%.0f..%.0f MB (MemAvailable + swap %.0f MB)",
			 fk->held_max_mb, lo, hi, fk->figure_mb);
	else if (fk->held_mb > hi)
		snprintf(why, whysz,
			 "late OOM kill: the workloads held at least %.0f MB when it came, predicted "
			 "%.0f..%.0f MB (MemAvailable + swap %.0f MB)",
			 fk->held_mb, lo, hi, fk->figure_mb);
	else
		return V_PASS;
	return V_FAIL;
}

/* VmSize at the workload's own end, kB, from its result line: its start
 * plus what it mapped (each block with the page of its chunk header, as
 * rule 3 counts it); -1 without a result. */
static long long end_vmsize(const struct wl_obs *w)
{
	if (!w->has_result || w->result_bytes < 0 || w->start_vmsize_kb < 0)
		return -1;
	return w->start_vmsize_kb + w->result_bytes / 1024 +
	       (w->result_blocks > 0 ? w->result_blocks * 4 : 0);
}

/* the most it ever mapped: its samples and its end */
static long long peak_vmsize(const struct wl_obs *w)
{
	long long peak = end_vmsize(w);
	for (size_t k = 0; k < json_array_size(json_object_get(w->series, "t_ms")); k++)
		if (vmsize(w, k) > peak)
			peak = vmsize(w, k);
	return peak > 0 ? peak : 0;
}

void first_enomem_measure(const struct cell_obs *o, const int *refused, const int *keeps, size_t n,
			  struct first_enomem *fe)
{
	memset(fe, 0, sizeof *fe);
	size_t f = first_end(o, refused, n);
	if (f == n)
		return;
	fe->found = 1;
	fe->first = f;
	unsigned long long t = o->wl[f].t_exit_us;
	long long held_kb = 0, held_max_kb = 0;
	for (size_t i = 0; i < n && i < o->n_wl; i++) {
		const struct wl_obs *w = &o->wl[i];
		if (!w->spawned || w->t_spawn_us > t ||
		    (i != f && w->exited && w->t_exit_us < t && !keeps[i]))
			continue;
		long long now = i == f ? end_vmsize(w) : -1, peak = peak_vmsize(w);
		if (now < 0) {
			/* its last sample before the refusal (an allocating workload can
			 * map 100 MB between two samples: its peak is the upper one) */
			json_t *ts = json_object_get(w->series, "t_ms");
			now = 0;
			for (size_t k = 0; k < json_array_size(ts); k++)
				if ((unsigned long long)json_integer_value(json_array_get(ts, k)) * 1000 <= t)
					now = vmsize(w, k);
		}
		held_kb += now;
		held_max_kb += peak > now ? peak : now;
	}
	fe->held_mb = (double)held_kb / 1024.0;
	fe->held_max_mb = (double)held_max_kb / 1024.0;
	fe->baseline_mb = (double)meminfo_kb(o, "Committed_AS") / 1024.0;
	fe->figure_mb = (double)meminfo_kb(o, "CommitLimit") / 1024.0;
}

enum verdict first_enomem_verdict(const struct first_enomem *fe, char *why, size_t whysz)
{
	if (!fe->found || fe->figure_mb <= 0)
		return V_PASS;
	double lo = fe->figure_mb * FIRST_ENOMEM_MIN, hi = fe->figure_mb * FIRST_ENOMEM_MAX;
	double max = fe->baseline_mb + fe->held_max_mb, min = fe->baseline_mb + fe->held_mb;
	if (max < lo)
		snprintf(why, whysz,
			 "early ENOMEM: Committed_AS at start %.0f MB + the workloads' VmSize at most "
			 "%.0f MB when it came, predicted %.0f..%.0f MB (CommitLimit %.0f MB)",
			 fe->baseline_mb, fe->held_max_mb, lo, hi, fe->figure_mb);
	else if (min > hi)
		snprintf(why, whysz,
			 "late ENOMEM: Committed_AS at start %.0f MB + the workloads' VmSize at least "
			 "%.0f MB when it came, predicted %.0f..%.0f MB (CommitLimit %.0f MB)",
			 fe->baseline_mb, fe->held_mb, lo, hi, fe->figure_mb);
	else
		return V_PASS;
	return V_FAIL;
}
