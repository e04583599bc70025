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
		if (last != (size_t)-1)
			held_kb += col(w, "VmRSS_kb", last) + col(w, "VmSwap_kb", last) +
				   col(w, "VmPTE_kb", last);
	}
	fk->held_mb = (double)held_kb / 1024.0;
	fk->figure_mb = (double)(meminfo_kb(o, "MemAvailable") + meminfo_kb(o, "SwapTotal")) / 1024.0;
}

enum verdict first_kill_verdict(const struct first_kill *fk, char *why, size_t whysz)
{
	if (!fk->found || fk->figure_mb <= 0)
		return V_PASS;
	double r = fk->held_mb / fk->figure_mb;
	if (r >= FIRST_KILL_MIN && r <= FIRST_KILL_MAX)
		return V_PASS;
	snprintf(why, whysz,
		 "%s OOM kill: the workloads held %.0f MB when it came, predicted %.0f..%.0f MB "
		 "(MemAvailable + swap %.0f MB)",
		 r < FIRST_KILL_MIN ? "early" : "late", fk->held_mb, fk->figure_mb * FIRST_KILL_MIN,
		 fk->figure_mb * FIRST_KILL_MAX, fk->figure_mb);
	return V_FAIL;
}
