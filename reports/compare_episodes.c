// SPDX-License-Identifier: GPL-2.0-or-later
/* oomlab compare, OOM episodes (compare_episodes.h). Per side, over its
 * repeats: how many episodes, the most victims one episode killed, the
 * collateral victims, the slowest reaping of each repeat (the episode
 * whose victims the reaper named last after the invocation), and the
 * repeats with a double kill (docs/episodes.md). */
#include "reports/compare_episodes.h"
#include "lib/jsonx.h"

#include <math.h>
#include <string.h>

struct eside {
	size_t repeats, episodes, collateral, double_kills, reaped;
	long long max_victims;
	double reap_sum, reap_min, reap_max; /* seconds, over the repeats that reaped */
	const char *dk_cell;                 /* the first repeat with a double kill */
	long long dk_episode;
};

/* 0, or -1 when a repeat has no "oom_episodes" */
static int eside_fill(struct eside *s, json_t *const *c, size_t n)
{
	memset(s, 0, sizeof *s);
	s->repeats = n;
	for (size_t r = 0; r < n; r++) {
		json_t *eps = json_object_get(c[r], "oom_episodes");
		if (!json_is_array(eps))
			return -1;
		long long slowest = -1;
		size_t i;
		json_t *e;
		json_array_foreach(eps, i, e) {
			s->episodes++;
			long long nv = json_integer_value(json_object_get(e, "n_victims"));
			if (nv > s->max_victims)
				s->max_victims = nv;
			s->collateral += (size_t)json_integer_value(json_object_get(e, "n_collateral"));
			json_t *ru = json_object_get(e, "reap_us");
			if (json_is_integer(ru) && json_integer_value(ru) > slowest)
				slowest = json_integer_value(ru);
			if (json_is_object(json_object_get(e, "double_kill")) && !s->dk_cell) {
				s->dk_cell = json_str(json_object_get(c[r], "cell"), "id", "?");
				s->dk_episode = (long long)i;
			}
		}
		for (i = 0; i < json_array_size(eps); i++)
			if (json_is_object(json_object_get(json_array_get(eps, i), "double_kill"))) {
				s->double_kills++;
				break;
			}
		if (slowest >= 0) {
			double v = (double)slowest / 1e6;
			if (!s->reaped || v < s->reap_min)
				s->reap_min = v;
			if (!s->reaped || v > s->reap_max)
				s->reap_max = v;
			s->reap_sum += v;
			s->reaped++;
		}
	}
	return 0;
}

static double reap_mean(const struct eside *s)
{
	return s->reaped ? s->reap_sum / (double)s->reaped : NAN;
}

/* (max - min) / mean of the slowest reaping, percent; 0 without repeats */
static double reap_spread(const struct eside *s)
{
	double m = reap_mean(s);
	return s->reaped >= 2 && m > 0 ? 100.0 * (s->reap_max - s->reap_min) / m : 0;
}

static json_t *eside_json(const struct eside *s)
{
	double m = reap_mean(s);
	return json_pack("{s:I,s:I,s:I,s:I,s:I,s:o,s:f}", "repeats", (json_int_t)s->repeats, "episodes",
			 (json_int_t)s->episodes, "max_victims", (json_int_t)s->max_victims, "collateral",
			 (json_int_t)s->collateral, "double_kills", (json_int_t)s->double_kills, "reap_s",
			 isfinite(m) ? json_real(m) : json_null(), "reap_spread_pct", reap_spread(s));
}

enum ep_change compare_episodes(json_t *const *b, size_t nb, json_t *const *n, size_t nn, json_t **out)
{
	struct eside B, N;
	*out = NULL;
	if (!nb || !nn || eside_fill(&B, b, nb) < 0 || eside_fill(&N, n, nn) < 0)
		return EP_SAME;
	enum ep_change st = EP_SAME;
	json_t *reasons = json_array();
	if (N.max_victims > B.max_victims) {
		st = EP_REGRESSED;
		json_array_append_new(reasons, json_sprintf("more victims in one OOM episode: at most %lld -> %lld",
							    B.max_victims, N.max_victims));
	}
	double bm = reap_mean(&B), nm = reap_mean(&N);
	double tol = COMPARE_REAP_TOL_PCT;
	if (reap_spread(&B) > tol)
		tol = reap_spread(&B);
	if (reap_spread(&N) > tol)
		tol = reap_spread(&N);
	if (isfinite(bm) && isfinite(nm) && bm > 0 && 100.0 * (nm - bm) / bm > tol + 1e-9) {
		st = EP_REGRESSED;
		json_array_append_new(reasons, json_sprintf("slower OOM reaping: %.2f s -> %.2f s after the invocation "
							    "(%+.0f%%, tolerance %.0f%%)",
							    bm, nm, 100.0 * (nm - bm) / bm, tol));
	} else if (!B.reaped && N.reaped) {
		if (st < EP_CHANGED)
			st = EP_CHANGED;
		json_array_append_new(reasons, json_sprintf("the oom_reaper now reaps (%.2f s after the invocation): "
							    "victims no longer free their memory on exit before it",
							    nm));
	}
	if (N.double_kills && !B.double_kills) {
		st = EP_REGRESSED;
		json_array_append_new(reasons, json_sprintf("new double kill: episode %lld of %s killed before an "
							    "earlier victim was reaped",
							    N.dk_episode + 1, N.dk_cell));
	}
	*out = json_pack("{s:o,s:o,s:f,s:o}", "base", eside_json(&B), "new", eside_json(&N), "reap_tolerance_pct",
			 tol, "reasons", reasons);
	return st;
}

void compare_episodes_print(FILE *f, const char *cell, json_t *ep)
{
	json_t *rs = json_object_get(ep, "reasons");
	if (!json_array_size(rs))
		return;
	fprintf(f, "%s: OOM episodes: ", cell);
	size_t i;
	json_t *x;
	json_array_foreach(rs, i, x)
		fprintf(f, "%s%s", i ? "; " : "", json_string_value(x));
	fprintf(f, "\n");
}
