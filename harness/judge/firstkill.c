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

static long long meminfo_kb(const struct cell_obs *o, const char *key)
{
	json_t *v = o->meminfo_start ? json_object_get(o->meminfo_start, key) : NULL;
	return json_is_integer(v) ? json_integer_value(v) : 0;
}

void first_kill_measure(const struct cell_obs *o, const int *killed, const int *keeps, size_t n,
			struct first_kill *fk)
{
	memset(fk, 0, sizeof *fk);
	for (size_t i = 0; i < n && i < o->n_wl; i++)
		if (killed[i] && o->wl[i].exited &&
		    (!fk->found || o->wl[i].t_exit_us < o->wl[fk->victim].t_exit_us)) {
			fk->found = 1;
			fk->victim = i;
		}
	if (!fk->found)
		return;
	unsigned long long t = o->wl[fk->victim].t_exit_us;
	long long held_kb = 0;
	double held_max_kb = 0;
	for (size_t i = 0; i < n && i < o->n_wl; i++) {
		const struct wl_obs *w = &o->wl[i];
		/* not started yet, or already gone (and its memory with it) */
		if (!w->spawned || w->t_spawn_us > t ||
		    (i != fk->victim && w->exited && w->t_exit_us < t && !keeps[i]))
			continue;
		json_t *ts = json_object_get(w->series, "t_ms");
		size_t last = (size_t)-1;
		for (size_t k = 0; k < json_array_size(ts); k++)
			if ((unsigned long long)json_integer_value(json_array_get(ts, k)) * 1000 <= t)
				last = k;
		if (last == (size_t)-1)
			continue;
		long long now = held(w, last);
		held_kb += now;
		double grown = (double)now;
		if (last > 0) {
			/* its last rate, carried on to the kill */
			double t0 = (double)json_integer_value(json_array_get(ts, last - 1));
			double t1 = (double)json_integer_value(json_array_get(ts, last));
			double rate = t1 > t0 ? (double)(now - held(w, last - 1)) / (t1 - t0) : 0;
			if (rate > 0)
				grown += rate * ((double)t / 1000.0 - t1);
		}
		held_max_kb += grown;
	}
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
