// SPDX-License-Identifier: GPL-2.0-or-later
#include "judge/stall.h"

#include <jansson.h>
#include <string.h>

const char *const stall_end_words[STALL_END_COUNT] = {
	[SE_STALL_LIMIT] = "stall_limit",
	[SE_OOM_KILL] = "oom_kill",
	[SE_DEADLINE] = "deadline",
	[SE_WORKLOAD_END] = "workload_end",
};

/* The last sample at or before t_ms (-1: none). */
static long last_at(json_t *t, long long t_ms)
{
	long at = -1;
	for (size_t k = 0; k < json_array_size(t); k++)
		if (json_integer_value(json_array_get(t, k)) <= t_ms)
			at = (long)k;
	return at;
}

/* The rise of vmstat key from sample a to sample b, -1: not known. */
static long long rise(const struct cell_obs *o, const char *key, long a, long b)
{
	json_t *s = json_object_get(json_object_get(o->series, "vmstat"), key);
	json_t *x = json_array_get(s, (size_t)a), *y = json_array_get(s, (size_t)b);
	if (a < 0 || !json_is_integer(x) || !json_is_integer(y))
		return -1;
	return json_integer_value(y) - json_integer_value(x);
}

void stall_measure(const struct cell_obs *o, size_t i, enum endpoint ep,
		   unsigned long long oom_t_us, struct stall_report *r)
{
	const struct wl_obs *w = &o->wl[i];
	memset(r, 0, sizeof *r);
	if (i >= o->n_wl || !w->has_stall)
		return;
	r->present = 1;
	r->t_start_us = w->stall_start_us;
	r->t_end_us = w->stall_end_us;
	r->start_s = w->spawned && w->t_spawn_us <= r->t_start_us
			     ? (double)(r->t_start_us - w->t_spawn_us) / 1e6
			     : 0;
	r->length_s = (double)(r->t_end_us - r->t_start_us) / 1e6;
	r->ended_by = ep == EP_STALLED && w->stall_limit ? SE_STALL_LIMIT
		      : ep == EP_OOM_KILLED		 ? SE_OOM_KILL
		      : ep == EP_TIMEOUT		 ? SE_DEADLINE
							 : SE_WORKLOAD_END;

	/* the samples from the one that started it to the last before its end */
	json_t *t = json_object_get(o->series, "t_ms");
	json_t *full = json_object_get(json_object_get(o->series, "psi"), "full_avg10");
	long a = last_at(t, (long long)(r->t_start_us / 1000)), b = last_at(t, (long long)(r->t_end_us / 1000));
	double sum = 0;
	size_t n = 0;
	r->psi_full_max = r->psi_full_mean = -1;
	for (long k = a < 0 ? 0 : a; b >= 0 && k <= b; k++) {
		json_t *v = json_array_get(full, (size_t)k);
		if (!json_is_number(v))
			continue;
		double x = json_number_value(v);
		if (x > r->psi_full_max)
			r->psi_full_max = x;
		sum += x;
		n++;
	}
	if (n)
		r->psi_full_mean = sum / (double)n;
	r->refaults_anon = rise(o, "workingset_refault_anon", a, b);
	r->refaults_file = rise(o, "workingset_refault_file", a, b);

	unsigned long long end = r->t_end_us;
	if (ep == EP_OOM_KILLED && oom_t_us)
		end = oom_t_us;
	else if (w->exited && ep == EP_STALLED)
		end = w->t_exit_us;
	if (!w->spawned || end < w->t_spawn_us)
		return;
	r->time_to_end_s = (double)(end - w->t_spawn_us) / 1e6;
	r->time_growing_s = r->start_s;
	r->time_stalled_s = r->time_to_end_s - r->time_growing_s;
	if (r->time_stalled_s < 0)
		r->time_stalled_s = 0;
}
