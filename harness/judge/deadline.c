// SPDX-License-Identifier: GPL-2.0-or-later
#include "judge/deadline.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* Value i of column name of the workload's series, -1 when missing. */
static long long col(const struct wl_obs *w, const char *name, size_t i)
{
	json_t *v = json_array_get(json_object_get(w->series, name), i);
	return json_is_integer(v) ? json_integer_value(v) : -1;
}

/* The workload's memory at sample i by one of the two measures: 0 its
 * address space (VmSize: what alloc grows), 1 what it holds (VmRSS +
 * VmSwap: what a writer grows once its address space is mapped). */
static long long measure(const struct wl_obs *w, int m, size_t i)
{
	if (m == 0)
		return col(w, "VmSize_kb", i);
	long long rss = col(w, "VmRSS_kb", i), swap = col(w, "VmSwap_kb", i);
	return rss < 0 ? -1 : rss + (swap > 0 ? swap : 0);
}

void deadline_evidence(const struct wl_obs *w, unsigned long long t_end_us,
		       struct deadline_evidence *e)
{
	memset(e, 0, sizeof *e);
	e->finding = DEADLINE_NO_PROGRESS;
	e->age_s = -1;
	json_t *t = json_object_get(w->series, "t_ms");
	size_t n = json_array_size(t);
	if (!n)
		return;
	size_t first = n > DEADLINE_SAMPLES ? n - DEADLINE_SAMPLES : 0, last = n - 1;
	long long t0 = json_integer_value(json_array_get(t, first));
	long long t1 = json_integer_value(json_array_get(t, last));
	e->n_samples = n - first;
	e->window_s = (double)(t1 - t0) / 1000.0;
	long long end_ms = (long long)(t_end_us / 1000);
	e->age_s = end_ms > t1 ? (double)(end_ms - t1) / 1000.0 : 0;
	double step_ms = e->n_samples > 1 ? (double)(t1 - t0) / (double)(e->n_samples - 1) : 0;
	double max_age_ms = 2 * step_ms > DEADLINE_MAX_AGE_MS ? 2 * step_ms : DEADLINE_MAX_AGE_MS;
	int grows = 0;
	for (int m = 0; m < 2; m++) {
		long long a = measure(w, m, first), b = measure(w, m, last);
		long long mid = measure(w, m, last >= 2 && last - 2 >= first ? last - 2 : first);
		if (a < 0 || b < 0 || mid < 0)
			continue;
		double rise = (double)(b - a) / 1024.0;
		if (rise > e->rise_mb)
			e->rise_mb = rise;
		if (b - a >= DEADLINE_MIN_RISE_KB && b > mid)
			grows = 1;
	}
	if (e->n_samples >= 3 && grows && e->age_s * 1000 <= max_age_ms)
		e->finding = DEADLINE_PROGRESS;
}

enum verdict deadline_verdict(const struct deadline_evidence *e, double mb_reached,
			      const char *oracle_why, char *why, size_t whysz)
{
	if (e->finding == DEADLINE_PROGRESS) {
		snprintf(why, whysz,
			 "deadline too short for this host: still making progress at %.0f MB "
			 "(+%.0f MB in its last %.1f s)",
			 mb_reached, e->rise_mb, e->window_s);
		return V_BROK;
	}
	if (e->finding == DEADLINE_NO_EVIDENCE) {
		snprintf(why, whysz, "deadline too short for this host: no sample of the cell before it (%s)",
			 oracle_why);
		return V_BROK;
	}
	if (e->age_s < 0)
		snprintf(why, whysz, "no sample shows progress: %s", oracle_why);
	else
		snprintf(why, whysz, "no progress in its last %zu samples (%.1f s): %s", e->n_samples,
			 e->window_s, oracle_why);
	return V_FAIL;
}
